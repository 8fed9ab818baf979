//! Models: structs that keep unknown fields, string enums that keep unknown values, map aliases,
//! and polymorphic families that dispatch on a discriminator and keep unknown variants.

use proc_macro2::TokenStream;
use quote::quote;

use super::{cfg_features, doc_lines, ident, rust_type};
use crate::ir::{FieldDef, ModelDef, ModelKind, EXTRA_FIELD, OTHER_VARIANT, UNRECOGNIZED_VARIANT};

/// The items of one model (a family also gets its fallback struct).
pub fn model(m: &ModelDef) -> TokenStream {
    let cfg = cfg_features(&m.categories);
    let doc = doc_lines(m.description.as_deref().unwrap_or(&m.name));
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
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #( #[doc = #variant_docs] #idents, )*
                    /// A value this version of the client does not know, kept as sent.
                    #other(String),
                }
                #cfg
                impl #name {
                    /// The value as Okta writes it.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#idents => #values, )*
                            Self::#other(value) => value,
                        }
                    }
                }
                #cfg
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #values => Self::#idents, )*
                            other => Self::#other(other.to_owned()),
                        }
                    }
                }
                #cfg
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
                #cfg
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
                #cfg
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = String::deserialize(deserializer)?;
                        Ok(Self::from(value.as_str()))
                    }
                }
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
    }
}

/// A struct, with `Serialize` and `Deserialize` written out rather than derived: a JSON object
/// is read key by key into its fields, and any other key is kept in `additional_properties`.
/// This is a fraction of the code serde's derive expands to (no field enum, no sequence form, no
/// buffering for `flatten`), which is most of what the crate costs to type-check.
fn object(name: &str, cfg: &TokenStream, doc: &TokenStream, fields: &[FieldDef]) -> TokenStream {
    let ty = ident(name);
    let default = if fields.iter().all(|f| !f.required) {
        quote!(Default,)
    } else {
        quote!()
    };
    let extra = ident(EXTRA_FIELD);
    let declared = fields.iter().map(field);
    let names: Vec<_> = fields.iter().map(|f| ident(&f.rust_name)).collect();
    let wire: Vec<&String> = fields.iter().map(|f| &f.json_name).collect();
    // Decoding: one local per field; a required field is an error when absent.
    let reads = fields.iter().zip(&names).map(|(f, n)| {
        if f.required {
            quote!(#n = Some(__map.next_value()?))
        } else {
            quote!(#n = __map.next_value()?)
        }
    });
    let finish = fields.iter().zip(&names).zip(&wire).map(|((f, n), w)| {
        if f.required {
            quote!(#n: #n.ok_or_else(|| <A::Error as serde::de::Error>::missing_field(#w))?)
        } else {
            quote!(#n)
        }
    });
    // Encoding: fields in declaration order (an absent optional field is left out), then the
    // kept unknown ones.
    let writes = fields.iter().zip(&names).zip(&wire).map(|((f, n), w)| {
        if f.required {
            quote!(map.serialize_entry(#w, &self.#n)?;)
        } else {
            quote!(if let Some(value) = &self.#n { map.serialize_entry(#w, value)?; })
        }
    });
    let keep = quote!(#extra.insert(__key.into_owned(), __map.next_value()?););
    let match_key = if fields.is_empty() {
        keep
    } else {
        quote! {
            match __key.as_str() {
                #( #wire => #reads, )*
                _ => { #keep }
            }
        }
    };
    let expecting = format!("a JSON object ({name})");
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, #default PartialEq)]
        pub struct #ty {
            #(#declared)*
            /// Fields this version of the client does not know, kept as sent and written back.
            pub #extra: serde_json::Map<String, serde_json::Value>,
        }
        #cfg
        impl serde::Serialize for #ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                #(#writes)*
                for (key, value) in &self.#extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
        #cfg
        impl<'de> serde::Deserialize<'de> for #ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = #ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut __map: A) -> Result<#ty, A::Error> {
                        #( let mut #names = None; )*
                        let mut #extra = serde_json::Map::new();
                        while let Some(__key) = __map.next_key::<crate::model_support::Key<'de>>()? {
                            #match_key
                        }
                        Ok(#ty {
                            #(#finish,)*
                            #extra,
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    }
}

fn field(f: &FieldDef) -> TokenStream {
    let name = ident(&f.rust_name);
    let mut ty = rust_type(&f.ty, &quote!());
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let mut doc = f.description.clone().unwrap_or_default();
    if f.read_only {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str("Read-only: set by Okta.");
    }
    let doc = doc_lines(&doc);
    if f.required {
        quote! {
            #doc
            pub #name: #ty,
        }
    } else {
        quote! {
            #doc
            pub #name: Option<#ty>,
        }
    }
}
