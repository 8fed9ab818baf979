//! Models: structs that keep unknown fields, string enums that keep unknown values, map aliases,
//! polymorphic families that dispatch on a discriminator and keep unknown variants, and unions
//! that keep a value no branch takes. A struct's serde, `Debug`, `PartialEq` and `Clone` impls, a
//! string enum's impls and a union's impls come from `okta-generated`'s `model_support` macros,
//! given a table (`object_serde!`, `string_enum!`, `union_enum!`).

use proc_macro2::TokenStream;
use quote::quote;

use super::okta_docs::render as okta_text;
use super::{cfg_features, doc_cfg_features, doc_lines, ident, rust_type};
use crate::ir::{ActionRef, FieldDef, ModelDef, ModelKind, ModelUse, UnionBranch, UsePlace};
use crate::names::{EXTRA_FIELD, FIELD_CHUNK, OTHER_VARIANT, UNRECOGNIZED_VARIANT};

/// The items of one model (a family also gets its fallback struct).
pub fn model(m: &ModelDef) -> TokenStream {
    let cfg = cfg_features(&m.categories);
    let doc = doc_lines(&model_doc(m));
    let doc_cfg = doc_cfg_features(&m.categories);
    let doc = quote!(#doc #doc_cfg);
    match &m.kind {
        ModelKind::Object { fields } => object(&m.name, &cfg, &doc, fields),
        ModelKind::Enum { variants } => {
            let name = ident(&m.name);
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.ident)).collect();
            let values: Vec<_> = variants.iter().map(|v| &v.value).collect();
            let variant_docs = values.iter().map(|v| format!(" `{v}`"));
            let other = ident(UNRECOGNIZED_VARIANT);
            quote! {
                #doc
                #cfg
                #[derive(Debug)]
                pub enum #name {
                    #( #[doc = #variant_docs] #idents, )*
                    /// A value this version of the client does not know, kept as sent.
                    #other(String),
                }
                #cfg
                crate::model_support::string_enum!(#name { #(#idents = #values,)* });
            }
        }
        ModelKind::Map { value } => {
            let name = ident(&m.name);
            let value = rust_type(value, &quote!());
            quote! {
                #doc
                #cfg
                pub type #name = std::collections::BTreeMap<String, #value>;
            }
        }
        ModelKind::Family {
            discriminator,
            variants,
            base_name,
            base_fields,
        } => {
            let name = ident(&m.name);
            let base = ident(base_name);
            let other = ident(OTHER_VARIANT);
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.ident)).collect();
            let models: Vec<_> = variants.iter().map(|v| ident(&v.model)).collect();
            let tags: Vec<&String> = variants.iter().map(|v| &v.values[0]).collect();
            let patterns = variants.iter().map(|v| {
                let values = &v.values;
                quote!(#(#values)|*)
            });
            let variant_docs = variants.iter().map(|v| {
                let values: Vec<String> = v.values.iter().map(|x| format!("`{x}`")).collect();
                format!(" `{discriminator}`: {}", values.join(", "))
            });
            let other_doc = format!(
                " Any other `{discriminator}`: the fields every `{}` has, and the rest kept as sent.",
                m.name
            );
            let base_doc = doc_lines(&format!(
                "A [`{}`] whose `{discriminator}` this version of the client has no variant for.",
                m.name
            ));
            let pick_doc = format!(
                " Okta picks the variant by `{discriminator}`; a value without a variant decodes into `{OTHER_VARIANT}`."
            );
            let base_struct = object(base_name, &cfg, &base_doc, base_fields);
            quote! {
                #doc
                ///
                #[doc = #pick_doc]
                #cfg
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #( #[doc = #variant_docs] #idents(#models), )*
                    #[doc = #other_doc]
                    #other(#base),
                }
                #cfg
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            #( Self::#idents(value) => crate::model_support::encode_variant(value, #discriminator, #tags, serializer), )*
                            Self::#other(value) => value.serialize(serializer),
                        }
                    }
                }
                #cfg
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = serde_json::Value::deserialize(deserializer)?;
                        let tag = value
                            .get(#discriminator)
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or_default()
                            .to_owned();
                        match tag.as_str() {
                            #( #patterns => crate::model_support::decode_variant(value).map(Self::#idents), )*
                            _ => crate::model_support::decode_variant(value).map(Self::#other),
                        }
                    }
                }
                #base_struct
            }
        }
        ModelKind::Union {
            branches,
            discriminator,
        } => union(&m.name, &cfg, &doc, branches, discriminator.as_deref()),
    }
}

/// A model's rustdoc: Okta's description, else where the model is used.
fn model_doc(m: &ModelDef) -> String {
    match (&m.description, &m.first_use) {
        (Some(d), _) => okta_text(d),
        (None, Some(u)) => use_sentence(u),
        (None, None) => "A model that no action of this client sends or returns.".to_owned(),
    }
}

/// Where a model is used, as a sentence ("The request body of `UserApi::create_user`."). A model
/// that holds it is linked when it is compiled whenever this model is, and named in code
/// otherwise (a link rustdoc could not resolve with some cargo features); an action is named.
fn use_sentence(u: &ModelUse) -> String {
    let model = |name: &str| {
        if u.linkable {
            format!("[`{name}`]")
        } else {
            format!("`{name}`")
        }
    };
    // An action is named, never linked: the models are a crate of their own
    // (`okta-generated-models`), which cannot link to the client crate's `api` module.
    let action = |a: &ActionRef| format!("`{}::{}`", a.api_struct, a.method);
    let the = if u.whole { "The" } else { "In the" };
    let more = match u.more {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    match &u.place {
        UsePlace::Variant {
            family,
            discriminator,
            values,
        } => {
            let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!(
                "The {} variant whose `{discriminator}` is {}.",
                model(family),
                values.join(" or ")
            )
        }
        UsePlace::Body(a) => format!("{the} request body of {}{more}.", action(a)),
        UsePlace::Response(a) => {
            let what = if u.whole { "What" } else { "In what" };
            format!("{what} {} returns{more}.", action(a))
        }
        UsePlace::Param { action: a, param } => {
            format!("{the} `{param}` parameter of {}{more}.", action(a))
        }
        UsePlace::Field {
            model: holder,
            field,
        } => format!("{the} `{field}` field of {}{more}.", model(holder)),
        UsePlace::MapValue { map } => format!("The values of {}{more}.", model(map)),
        UsePlace::Branch { union } => format!("A branch of {}{more}.", model(union)),
        UsePlace::Parent { child } => {
            format!("Its fields are among those of {}{more}.", model(child))
        }
    }
}

/// A union: an enum of one variant per branch plus `Other(serde_json::Value)`, marked
/// `#[non_exhaustive]` (a new branch is not a new arm every `match` must have: values that no
/// branch takes already arrive as `Other`). Its serde impls, `From` impls and accessors come
/// from `model_support::union_enum!`, given the table of branches.
fn union(
    name: &str,
    cfg: &TokenStream,
    doc: &TokenStream,
    branches: &[UnionBranch],
    discriminator: Option<&str>,
) -> TokenStream {
    let ty = ident(name);
    let other = ident(OTHER_VARIANT);
    let idents: Vec<_> = branches.iter().map(|b| ident(&b.ident)).collect();
    let types: Vec<_> = branches
        .iter()
        .map(|b| rust_type(&b.ty, &quote!()))
        .collect();
    let variant_docs = branches.iter().map(|b| match discriminator {
        Some(d) => {
            let values: Vec<String> = b.values.iter().map(|x| format!("`{x}`")).collect();
            let values = match values.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => values.concat(),
            };
            format!(" A value of type `{}`, picked by `{d}` {values}.", b.ty)
        }
        None => format!(" A value of type `{}`.", b.ty),
    });
    let (pick_doc, other_doc) = match discriminator {
        Some(d) => (
            format!(
                " The value of `{d}` picks the branch; a value without `{d}` decodes as the first branch, in the order below, that takes it and knows each of its keys (else the first that takes it)."
            ),
            format!(
                " A value whose `{d}` no branch has (or, without `{d}`, that no branch takes), kept as sent and written back unchanged."
            ),
        ),
        None => (
            " A value decodes as the first branch, in the order below, that takes it and knows each of its keys (else the first that takes it).".to_owned(),
            " A value no branch takes, kept as sent and written back unchanged.".to_owned(),
        ),
    };
    let table = branches.iter().map(|b| {
        let variant = ident(&b.ident);
        let branch = rust_type(&b.ty, &quote!());
        let accessor = ident(&b.accessor);
        let object = b.is_struct.then(|| quote!(object));
        let values = &b.values;
        let dispatch = match (discriminator, b.encoded_tag()) {
            (None, _) => quote!(),
            (Some(_), None) => quote!(= #(#values)|*),
            (Some(_), Some(tag)) => quote!(= #(#values)|* => #tag),
        };
        quote!(#variant(#branch) #accessor #object #dispatch,)
    });
    let by = discriminator.map(|d| quote!(by #d));
    quote! {
        #doc
        ///
        #[doc = #pick_doc]
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #ty {
            #( #[doc = #variant_docs] #idents(#types), )*
            #[doc = #other_doc]
            #other(serde_json::Value),
        }
        #cfg
        crate::model_support::union_enum!(#ty #by { #(#table)* });
    }
}

/// A struct. Its `Serialize`, `Deserialize`, `Debug`, `PartialEq` and `Clone` come from
/// `model_support::object_serde!`, given the table of fields (Rust name, JSON name, optional or
/// required, declared type; in chunks of at most `FIELD_CHUNK`, separated by `;`): the same code
/// for every struct, written once in the runtime instead of derived (the derives' per-field
/// code, in five or six bodies per struct, was most of the crate's type-checking time) or
/// spelled out here (most of the generator's layout time). Only `Default` is derived.
fn object(name: &str, cfg: &TokenStream, doc: &TokenStream, fields: &[FieldDef]) -> TokenStream {
    let ty = ident(name);
    let default = if fields.iter().all(|f| !f.required) {
        quote!(#[derive(Default)])
    } else {
        quote!()
    };
    let extra = ident(EXTRA_FIELD);
    let declared = fields.iter().map(field);
    let chunks = fields.chunks(FIELD_CHUNK).map(|chunk| {
        let rows = chunk.iter().map(|f| {
            let name = ident(&f.rust_name);
            let wire = &f.json_name;
            let kind = ident(if f.required { "required" } else { "optional" });
            let ty = field_type(f);
            quote!(#name: #wire #kind #ty,)
        });
        quote!(#(#rows)*)
    });
    let constructor = constructor(name, cfg, fields);
    quote! {
        #doc
        #cfg
        #default
        pub struct #ty {
            #(#declared)*
            /// Fields this version of the client does not know, kept as sent and written back.
            pub #extra: serde_json::Map<String, serde_json::Value>,
        }
        #cfg
        crate::model_support::object_serde!(#ty { #(#chunks);* });
        #constructor
    }
}

/// `new(required fields)` for a struct that has required fields (one without them derives
/// `Default` instead): every optional field `None`, nothing kept.
fn constructor(name: &str, cfg: &TokenStream, fields: &[FieldDef]) -> TokenStream {
    let required: Vec<&FieldDef> = fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        return quote!();
    }
    let ty = ident(name);
    let extra = ident(EXTRA_FIELD);
    let params = required.iter().map(|f| {
        let name = ident(&f.rust_name);
        let ty = field_type(f);
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|f| {
        let name = ident(&f.rust_name);
        if f.required {
            quote!(#name)
        } else {
            quote!(#name: None)
        }
    });
    let names: Vec<String> = required
        .iter()
        .map(|f| format!("`{}`", f.rust_name))
        .collect();
    let doc = format!(
        " A `{name}` with its required fields ({}) and no optional one.",
        names.join(", ")
    );
    quote! {
        #cfg
        impl #ty {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #extra: serde_json::Map::new() }
            }
        }
    }
}

/// A field's type as its struct declares it (an optional one in `Option`).
fn field_type(f: &FieldDef) -> TokenStream {
    let mut ty = rust_type(&f.ty, &quote!());
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn field(f: &FieldDef) -> TokenStream {
    let name = ident(&f.rust_name);
    let ty = field_type(f);
    let mut doc = f.description.as_deref().map(okta_text).unwrap_or_default();
    let mut note = |text: &str| {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(text);
    };
    if f.read_only {
        note("Read-only: set by Okta.");
    }
    if let Some(reason) = &f.optional_because {
        note(&format!(
            "Optional here, though Okta's spec requires it: {}",
            okta_text(reason)
        ));
    }
    if let Some(reason) = &f.retyped_because {
        note(&format!(
            "Typed otherwise than in Okta's spec: {}",
            okta_text(reason)
        ));
    }
    let doc = doc_lines(&doc);
    quote! {
        #doc
        pub #name: #ty,
    }
}
