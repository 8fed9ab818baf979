//! Stage 3: the resolved IR. Plain data with every name, Rust identifier and type decided, so the
//! emitters only translate it into tokens. Built once from a validated manifest; nothing mutates
//! it afterwards.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::manifest::{self, BodyContent, Manifest};
use crate::names::{self, PathPart};
pub use crate::types::Type;

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub categories: Vec<Category>,
    /// Sorted by name.
    pub models: Vec<ModelDef>,
}

impl Api {
    /// The model files (groups) that have a model in `krate`, sorted: its generated modules.
    pub fn model_groups_of(&self, krate: ModelCrate) -> Vec<&str> {
        let groups: BTreeSet<&str> = self
            .models
            .iter()
            .filter(|m| m.krate == krate)
            .map(|m| m.group.as_str())
            .collect();
        groups.into_iter().collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// As the action table names it ("User").
    pub name: String,
    /// Accessor method, module and cargo feature ("user").
    pub accessor: String,
    /// The struct the accessor returns ("UserApi").
    pub api_struct: String,
    pub description: Option<String>,
    pub source_file: String,
    pub actions: Vec<ActionDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionDef {
    pub display_name: String,
    pub operation_id: Option<String>,
    /// What errors, tracing spans and the generated `Operation` call the action: the
    /// operationId, or the Rust method name where Okta has none.
    pub operation_name: String,
    /// Method on the category struct ("list_users").
    pub method_name: String,
    /// Method names the action had before, each kept as a deprecated alias of `method_name`.
    pub previous_names: Vec<String>,
    /// The request builder type ("ListUsers").
    pub builder_name: String,
    /// The static holding the operation's metadata ("LIST_USERS").
    pub static_name: String,
    pub description: Option<String>,
    /// Upper-case HTTP method ("GET").
    pub http_method: String,
    /// The path template as Okta writes it ("/api/v1/users/{userId}").
    pub path: String,
    pub path_pieces: Vec<PathPiece>,
    /// In path order.
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    pub fixed_query: Vec<(String, String)>,
    pub header_params: Vec<Param>,
    pub body: Option<BodyDef>,
    pub response: ResponseDef,
    pub success_status: u16,
    /// The page of Okta's API reference that documents the operation.
    pub reference_url: Option<String>,
    pub lifecycle: manifest::Lifecycle,
    /// The SKUs an org needs for the operation.
    pub skus: Vec<String>,
    /// Okta deprecates the operation; the note of its `#[deprecated]`.
    pub deprecated: Option<String>,
    pub spec_overrides: BTreeMap<String, String>,
    /// The DNS label in front of the org's host that the operation is served on (`drapp`);
    /// `None`: the org URL.
    pub host_prefix: Option<String>,
    /// The credentials Okta accepts, sorted; empty: none, no `Authorization` is sent.
    pub auth: Vec<manifest::AuthKind>,
    /// The OAuth 2.0 scopes the operation needs (documentation).
    pub scopes: Vec<String>,
    /// Other media types the JSON response comes in on request, each sent by its own method of
    /// the request builder and returned as text.
    pub text_alternatives: Vec<TextAlternative>,
}

/// A non-JSON media type a JSON response is also available in.
#[derive(Debug, Clone, PartialEq)]
pub struct TextAlternative {
    /// Sent as `Accept` (`application/pkcs10`).
    pub media_type: String,
    /// The request builder's method that asks for it (`send_pkcs10`).
    pub method_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPiece {
    Literal(String),
    /// Index into `path_params`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: Type,
    pub required: bool,
    pub default: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyDef {
    Json {
        ty: Type,
        required: bool,
        /// When `ty` is a variant of a polymorphic family: the families to wrap the body in
        /// before sending, innermost first, as (family model, variant ident). Sent through the
        /// family, the body gets its discriminator even when the caller left it unset.
        via_families: Vec<(String, String)>,
        /// The media type sent when not `application/json` (`application/merge-patch+json`).
        media_type: Option<String>,
    },
    Multipart {
        part: String,
        required: bool,
    },
    Raw {
        content_types: Vec<String>,
        required: bool,
    },
    /// A string sent as `media_type` (a signed JWT, `application/secevent+jwt`).
    Text {
        media_type: String,
        required: bool,
    },
}

impl BodyDef {
    pub fn required(&self) -> bool {
        match self {
            BodyDef::Json { required, .. }
            | BodyDef::Multipart { required, .. }
            | BodyDef::Raw { required, .. }
            | BodyDef::Text { required, .. } => *required,
        }
    }
    /// The argument (or setter) that holds the body.
    pub fn arg_name(&self) -> &'static str {
        names::body_arg_name(match self {
            BodyDef::Json { .. } => BodyContent::Json,
            BodyDef::Multipart { .. } => BodyContent::Multipart,
            BodyDef::Raw { .. } => BodyContent::Raw,
            BodyDef::Text { .. } => BodyContent::Text,
        })
    }

    pub fn content_type(&self) -> &str {
        match self {
            BodyDef::Json { media_type, .. } => media_type.as_deref().unwrap_or("application/json"),
            BodyDef::Multipart { .. } => "multipart/form-data",
            BodyDef::Raw { content_types, .. } => content_types.first().map_or("", |s| s.as_str()),
            BodyDef::Text { media_type, .. } => media_type,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseDef {
    /// No body (204, or a 200 with an empty body).
    Empty,
    /// A JSON body of this type (`Type::List` for a list that Okta does not page).
    Json(Type),
    /// One page of a list of `item`s: `send()` returns a `Page`, and `stream()` walks them all.
    Page { item: Type, paging: Paging },
    /// A non-JSON body returned as text; the media type to accept.
    Text(String),
}

/// How a paged list says where its next page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// A `Link: <url>; rel="next"` response header; the body is the list.
    LinkHeader,
    /// In the body: an object of model `page_model` whose field `items` (its JSON name) holds the
    /// list, and whose `_links.next.href` is the next page.
    BodyLinks { page_model: String, items: String },
}

impl ResponseDef {
    /// The JSON type of the whole response body, if it has one (a page's body is a list).
    pub fn json_type(&self) -> Option<Type> {
        match self {
            ResponseDef::Json(t) => Some(t.clone()),
            ResponseDef::Page {
                paging: Paging::BodyLinks { page_model, .. },
                ..
            } => Some(Type::Model(page_model.clone())),
            ResponseDef::Page { item, .. } => Some(Type::List(Box::new(item.clone()))),
            ResponseDef::Empty | ResponseDef::Text(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelDef {
    pub name: String,
    /// The generated module it lives in (its manifest file's stem).
    pub group: String,
    /// The crate it is compiled in ([`assign_model_crates`]).
    pub krate: ModelCrate,
    pub description: Option<String>,
    pub kind: ModelKind,
    /// Accessors of the categories whose actions reach this model (their cargo features);
    /// empty when the model is compiled with any features: no category reaches it, or a model
    /// that no category reaches does.
    pub categories: BTreeSet<String>,
    /// Where the model is used, for the rustdoc of a model Okta gives no description of.
    pub first_use: Option<ModelUse>,
}

/// How many crates the models that only one part of the API names are split into, beside the
/// shared one: cargo checks and builds those crates side by side, on as many cores.
pub const MODEL_PARTS: usize = 2;

/// A crate of models (its generated files, under `<dir>/src/generated/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModelCrate {
    /// `okta-generated-models`, in `okta-generated/models/`: the models that the other crates'
    /// models name, and the hand-written code they all call (`model_support`).
    Shared,
    /// `okta-generated-models-<n>` (1 to [`MODEL_PARTS`]), in `okta-generated/models/part-<n>/`:
    /// whole model files (manifest groups) but for their shared models. It depends on the
    /// shared crate only.
    Part(usize),
}

impl ModelCrate {
    /// Every crate of models: the shared one, then the parts.
    pub fn all() -> impl Iterator<Item = ModelCrate> {
        std::iter::once(ModelCrate::Shared).chain((1..=MODEL_PARTS).map(ModelCrate::Part))
    }

    /// The crate's folder, relative to the client crate.
    pub fn dir(self) -> String {
        match self {
            ModelCrate::Shared => "models".to_owned(),
            ModelCrate::Part(n) => format!("models/part-{n}"),
        }
    }

    /// The crate's package name.
    pub fn package(self) -> String {
        match self {
            ModelCrate::Shared => "okta-generated-models".to_owned(),
            ModelCrate::Part(n) => format!("okta-generated-models-{n}"),
        }
    }

    /// The crate's name in Rust paths.
    pub fn rust_name(self) -> String {
        self.package().replace('-', "_")
    }

    /// Whether code in this crate can name an item of `other`.
    pub fn can_name(self, other: ModelCrate) -> bool {
        self == other || other == ModelCrate::Shared
    }
}

/// How much code a model gets, roughly (its fields, variants, branches): what the crates of
/// models are balanced by, and the generator's threads.
pub fn model_weight(m: &ModelDef) -> usize {
    2 + match &m.kind {
        ModelKind::Object { fields } => fields.len(),
        ModelKind::Enum { variants } => variants.len() / 2,
        ModelKind::Map { .. } => 0,
        ModelKind::Family {
            variants,
            base_fields,
            ..
        } => 2 * variants.len() + base_fields.len(),
        ModelKind::Union { branches, .. } => 2 * branches.len(),
    }
}

/// One place that uses a model: the first of the most telling kind (a family's variant, then a
/// request body, a response, a parameter, a field, a map's values, a union's branch, an object
/// model it is the parent of), one whose
/// item is compiled whenever the model is before one that is not, then in order (categories by
/// accessor and their actions in manifest order, models by name and their fields in order).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelUse {
    pub place: UsePlace,
    /// Whether the place's type is the model itself, not a list or map of it.
    pub whole: bool,
    /// Whether the model's rustdoc can link to the item of the place: a model (holding the
    /// field, ...) that is compiled whenever this model is, with any cargo features, in a crate
    /// this model's crate can name. Never an action: the crates of models cannot link to the
    /// client's.
    pub linkable: bool,
    /// How many other places of the same kind use the model.
    pub more: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UsePlace {
    /// A variant of a polymorphic family, picked by the discriminator's `values`.
    Variant {
        family: String,
        discriminator: String,
        values: Vec<String>,
    },
    /// The JSON request body of an action.
    Body(ActionRef),
    /// The JSON response of an action.
    Response(ActionRef),
    /// A parameter of an action, by its name on the wire.
    Param { action: ActionRef, param: String },
    /// A field of a struct, by its Rust name.
    Field { model: String, field: String },
    /// The values of a map model.
    MapValue { map: String },
    /// A branch of a union.
    Branch { union: String },
    /// The parent of an object model, whose fields are among the child's.
    Parent { child: String },
}

/// An action's method, as a model's rustdoc names it (`UserApi::create_user`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRef {
    pub api_struct: String,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelKind {
    /// A struct; `fields` include every inherited field.
    Object { fields: Vec<FieldDef> },
    /// A string enum that keeps unknown values.
    Enum { variants: Vec<EnumVariant> },
    /// A JSON object with arbitrary keys.
    Map { value: Type },
    /// A polymorphic family: an enum of variant structs picked by `discriminator`, plus a
    /// fallback struct (`base_name`, holding `base_fields`) for values it does not know.
    Family {
        discriminator: String,
        variants: Vec<FamilyVariant>,
        base_name: String,
        base_fields: Vec<FieldDef>,
    },
    /// A union: an enum with one variant per branch type, plus `Other` (a
    /// `serde_json::Value`) for a value no branch takes. With a `discriminator`, the value of that
    /// field picks the branch; without one (or when a value lacks the field), the first branch,
    /// in order, that decodes the value.
    Union {
        branches: Vec<UnionBranch>,
        discriminator: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub json_name: String,
    pub rust_name: String,
    pub ty: Type,
    pub required: bool,
    pub read_only: bool,
    pub boxed: bool,
    pub description: Option<String>,
    /// Why the field is optional though Okta's spec requires it (its `spec_overrides.required`).
    pub optional_because: Option<String>,
    /// Why the field's type is not the one Okta's spec gives (its `spec_overrides.type`).
    pub retyped_because: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub value: String,
    pub ident: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionBranch {
    /// The enum variant ("GroupList").
    pub ident: String,
    /// The accessor that borrows the branch's value ("as_group_list").
    pub accessor: String,
    pub ty: Type,
    /// With a discriminator: the values that pick the branch, sorted (never empty); else empty.
    pub values: Vec<String>,
    /// Whether the type is a generated struct (an object model that is not a family), which
    /// keeps the keys it does not know: decoding prefers a branch that knows every key.
    pub is_struct: bool,
}

impl UnionBranch {
    /// The discriminator value an encoded branch gets when the caller left its discriminator
    /// field unset: its value, if only one picks it (with several, none is the right one).
    pub fn encoded_tag(&self) -> Option<&str> {
        match self.values.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FamilyVariant {
    /// The enum variant ("AutoLogin").
    pub ident: String,
    /// The model it holds ("AutoLoginApplication").
    pub model: String,
    /// Discriminator values that select it, sorted.
    pub values: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Lowering

/// Build the IR from a manifest that `validate` accepted. Anything still inconsistent is
/// reported as a diagnostic rather than a panic.
pub fn lower(m: &Manifest) -> Result<Api, Diagnostics> {
    let mut diags = Diagnostics::default();

    // All models by name, with their group.
    let mut raw: BTreeMap<&str, (&manifest::Model, String)> = BTreeMap::new();
    let mut sources: BTreeMap<&str, &manifest::SourceFile> = BTreeMap::new();
    for file in &m.model_files {
        let stem = file.source.file_stem();
        let group = match names::model_module(&stem) {
            Ok(group) => group,
            Err(msg) => {
                diags.push(Diagnostic::new(file.source.path.clone(), None, msg));
                continue;
            }
        };
        for (name, model) in &file.value.models {
            raw.insert(name, (model, group.clone()));
            sources.insert(name, &file.source);
        }
    }

    let mut models = Vec::new();
    for (&name, &(model, ref group)) in &raw {
        let kind = match lower_model(name, model, &raw) {
            Ok(kind) => kind,
            Err(msg) => {
                // `sources` has every name of `raw`: both are filled from the same files.
                let (file, line) = sources
                    .get(name)
                    .map(|s| (s.path.clone(), s.model_line(name)))
                    .unwrap_or_default();
                diags.push(Diagnostic::new(
                    file,
                    line.map(|l| (l, None)),
                    format!("model `{name}`: {msg}"),
                ));
                continue;
            }
        };
        models.push(ModelDef {
            name: name.to_owned(),
            group: group.clone(),
            // Set by `assign_model_crates`, once every model is known.
            krate: ModelCrate::Shared,
            description: model.description.clone(),
            kind,
            categories: BTreeSet::new(),
            first_use: None,
        });
    }

    let mut categories = Vec::new();
    for file in &m.categories {
        let cat = &file.value;
        let accessor = match names::accessor_name(cat) {
            Ok(accessor) => accessor,
            Err(msg) => {
                let line = file.source.section_line("category").map(|l| (l, None));
                diags.push(Diagnostic::new(file.source.path.clone(), line, msg));
                continue;
            }
        };
        let mut actions = Vec::new();
        for action in &cat.actions {
            match lower_action(cat, action, &raw) {
                Ok(a) => actions.push(a),
                Err(msg) => diags.push(Diagnostic::new(
                    file.source.path.clone(),
                    file.source.action_line(&action.name).map(|l| (l, None)),
                    format!("action `{}`: {msg}", action.name),
                )),
            }
        }
        categories.push(Category {
            name: cat.category.clone(),
            api_struct: names::api_struct_name(&accessor),
            accessor,
            description: cat.description.clone(),
            source_file: file.source.path.to_string_lossy().replace('\\', "/"),
            actions,
        });
    }
    categories.sort_by(|a, b| a.accessor.cmp(&b.accessor));

    set_body_families(&models, &mut categories);
    let parents: BTreeMap<&str, &str> = raw
        .iter()
        .filter_map(|(name, (m, _))| Some((&**name, m.parent.as_deref()?)))
        .collect();
    mark_categories(&mut models, &categories, &parents);
    assign_model_crates(&mut models);
    mark_first_uses(&mut models, &categories, &parents);

    diags.into_result(Api { categories, models })
}

/// Fill `BodyDef::Json::via_families` for bodies typed with a family variant's model.
fn set_body_families(models: &[ModelDef], categories: &mut [Category]) {
    // Variant model -> (family, variant ident). A model that is a variant of several families
    // is ambiguous and sent as it is.
    let mut family_of: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for m in models {
        if let ModelKind::Family { variants, .. } = &m.kind {
            for v in variants {
                family_of
                    .entry(v.model.as_str())
                    .or_default()
                    .push((m.name.clone(), v.ident.clone()));
            }
        }
    }
    for a in categories.iter_mut().flat_map(|c| c.actions.iter_mut()) {
        if let Some(BodyDef::Json {
            ty: Type::Model(model),
            via_families,
            ..
        }) = &mut a.body
        {
            let mut current = model.clone();
            // Bounded by the number of models: families cannot nest in a cycle that deep.
            for _ in 0..models.len() {
                match family_of.get(current.as_str()).map(Vec::as_slice) {
                    Some([(family, variant)]) => {
                        via_families.push((family.clone(), variant.clone()));
                        current = family.clone();
                    }
                    _ => break,
                }
            }
        }
    }
}

fn lower_model(
    name: &str,
    model: &manifest::Model,
    all: &BTreeMap<&str, (&manifest::Model, String)>,
) -> Result<ModelKind, String> {
    if let Some(values) = &model.enum_values {
        let variants = values
            .iter()
            .map(|v| {
                Ok(EnumVariant {
                    value: v.clone(),
                    ident: names::enum_variant_ident(v)?,
                })
            })
            .collect::<Result<_, String>>()?;
        return Ok(ModelKind::Enum { variants });
    }
    if let Some(value) = &model.map {
        return Ok(ModelKind::Map {
            value: value.clone(),
        });
    }
    if let Some(types) = &model.one_of {
        let branches = types
            .iter()
            .zip(model.union_values()?)
            .map(|(ty, values)| {
                let ident = names::union_variant_ident(ty)?;
                let is_struct = match ty {
                    Type::Model(name) => all.get(name.as_str()).is_some_and(|(m, _)| {
                        m.enum_values.is_none()
                            && m.map.is_none()
                            && m.one_of.is_none()
                            && m.discriminator.is_none()
                    }),
                    _ => false,
                };
                Ok(UnionBranch {
                    accessor: names::union_accessor_name(&ident),
                    ident,
                    ty: ty.clone(),
                    values,
                    is_struct,
                })
            })
            .collect::<Result<_, String>>()?;
        return Ok(ModelKind::Union {
            branches,
            discriminator: model.discriminator.clone(),
        });
    }
    let fields = inherited_fields(name, all, 0)?;
    if let Some(discriminator) = &model.discriminator {
        let mut by_model: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (value, variant) in model.variants.iter().flatten() {
            by_model.entry(variant).or_default().push(value.clone());
        }
        let variants = by_model
            .into_iter()
            .map(|(m, mut values)| {
                values.sort();
                FamilyVariant {
                    ident: names::family_variant_ident(name, m),
                    model: m.to_owned(),
                    values,
                }
            })
            .collect();
        return Ok(ModelKind::Family {
            discriminator: discriminator.clone(),
            variants,
            base_name: names::family_base_name(name),
            base_fields: fields,
        });
    }
    Ok(ModelKind::Object { fields })
}

/// The fields of `name` with those of its ancestors, parents first; a field redefined by a
/// child replaces the parent's in place.
fn inherited_fields(
    name: &str,
    all: &BTreeMap<&str, (&manifest::Model, String)>,
    depth: usize,
) -> Result<Vec<FieldDef>, String> {
    if depth > names::MAX_PARENT_DEPTH {
        return Err("`parent` chain is cyclic".into());
    }
    let (model, _) = all
        .get(name)
        .ok_or_else(|| format!("unknown model `{name}`"))?;
    let mut fields = match &model.parent {
        Some(parent) => inherited_fields(parent, all, depth + 1)?,
        None => Vec::new(),
    };
    for (json, f) in model.fields.iter().flatten() {
        let def = FieldDef {
            json_name: json.clone(),
            rust_name: names::field_rust_name(json, f)?,
            ty: f.ty.clone(),
            required: f.required,
            read_only: f.read_only,
            boxed: f.boxed,
            description: f.description.clone(),
            optional_because: f
                .spec_overrides
                .get(manifest::FIELD_OVERRIDE_REQUIRED)
                .cloned(),
            retyped_because: f.spec_overrides.get(manifest::FIELD_OVERRIDE_TYPE).cloned(),
        };
        match fields.iter_mut().find(|x| x.json_name == *json) {
            Some(existing) => *existing = def,
            None => fields.push(def),
        }
    }
    Ok(fields)
}

fn lower_action(
    cat: &manifest::CategoryFile,
    a: &manifest::Action,
    models: &BTreeMap<&str, (&manifest::Model, String)>,
) -> Result<ActionDef, String> {
    let method_name = names::method_name(a)?;
    let path_params: Vec<Param> = a
        .path_params
        .iter()
        .map(|p| {
            Ok(Param {
                wire_name: p.name.clone(),
                rust_name: names::path_param_rust_name(&p.name)?,
                ty: p.ty.clone(),
                required: true,
                default: None,
                description: p.description.clone(),
            })
        })
        .collect::<Result<_, String>>()?;
    let mut path_pieces = Vec::new();
    for piece in names::split_path(&a.path)? {
        path_pieces.push(match piece {
            PathPart::Literal(lit) => PathPiece::Literal(lit.to_owned()),
            PathPart::Param(name) => PathPiece::Param(
                path_params
                    .iter()
                    .position(|p| p.wire_name == name)
                    .ok_or_else(|| format!("path param `{name}` is not declared"))?,
            ),
        });
    }
    let query_params = a
        .query_params
        .iter()
        .map(|q| {
            Ok(Param {
                wire_name: q.name.clone(),
                rust_name: names::param_rust_name(&q.name, q.rust_name.as_ref())?,
                ty: q.ty.clone(),
                required: q.required,
                default: q.default.as_ref().map(yaml_scalar),
                description: q.description.clone(),
            })
        })
        .collect::<Result<_, String>>()?;
    let header_params = a
        .header_params
        .iter()
        .map(|h| {
            Ok(Param {
                wire_name: h.name.clone(),
                rust_name: names::param_rust_name(&h.name, h.rust_name.as_ref())?,
                ty: Type::String,
                required: false,
                default: None,
                description: h.description.clone(),
            })
        })
        .collect::<Result<_, String>>()?;
    let body = match &a.body {
        None => None,
        Some(b) => Some(match b.content {
            BodyContent::Json => BodyDef::Json {
                ty: b.ty.clone().ok_or("a json body needs a `type`")?,
                required: b.required,
                via_families: Vec::new(),
                media_type: b.media_type.clone(),
            },
            BodyContent::Multipart => BodyDef::Multipart {
                part: b
                    .file_part
                    .clone()
                    .ok_or("a multipart body needs `file_part`")?,
                required: b.required,
            },
            BodyContent::Raw => BodyDef::Raw {
                content_types: b.content_types.clone(),
                required: b.required,
            },
            BodyContent::Text => BodyDef::Text {
                media_type: b
                    .media_type
                    .clone()
                    .ok_or("a text body needs `media_type`")?,
                required: b.required,
            },
        }),
    };
    let response = match &a.response {
        None => ResponseDef::Empty,
        Some(r) => match (&r.ty, &r.text) {
            (Some(Type::List(item)), None) if a.paginated => ResponseDef::Page {
                item: Type::clone(item),
                paging: Paging::LinkHeader,
            },
            (Some(Type::Model(page_model)), None) if a.page_items.is_some() => {
                let items = a.page_items.clone().unwrap_or_default();
                let item = manifest::body_page_item(page_model, &items, |name| {
                    models.get(name).map(|(m, _)| *m)
                })?;
                ResponseDef::Page {
                    item,
                    paging: Paging::BodyLinks {
                        page_model: page_model.clone(),
                        items,
                    },
                }
            }
            (Some(ty), None) => ResponseDef::Json(ty.clone()),
            (None, Some(text)) => ResponseDef::Text(text.clone()),
            (None, None) => ResponseDef::Empty,
            (Some(_), Some(_)) => return Err("response has both `type` and `text`".into()),
        },
    };
    if a.paginated && !matches!(response, ResponseDef::Page { .. }) {
        return Err("`paginated: true` needs a list response (`type: list<Model>`)".into());
    }
    if a.page_items.is_some() && !matches!(response, ResponseDef::Page { .. }) {
        return Err("`page_items` needs a model response (`type: Model`)".into());
    }
    let text_alternatives: Vec<TextAlternative> = a
        .response
        .iter()
        .flat_map(|r| &r.text_alternatives)
        .map(|media| {
            Ok(TextAlternative {
                media_type: media.clone(),
                method_name: names::text_alternative_method(media)?,
            })
        })
        .collect::<Result<_, String>>()?;
    if !text_alternatives.is_empty() && !matches!(response, ResponseDef::Json(_)) {
        return Err("`text_alternatives` need a JSON response that is not paged".into());
    }
    let mut auth = a.accepted_auth().to_vec();
    auth.sort();
    Ok(ActionDef {
        display_name: a.name.clone(),
        operation_id: a.operation_id.clone(),
        operation_name: names::operation_name(a, &method_name),
        builder_name: names::builder_name(&method_name),
        static_name: names::static_name(&method_name),
        method_name,
        previous_names: a.previous_names.clone(),
        description: a.description.clone(),
        http_method: a.method.to_ascii_uppercase(),
        path: a.path.clone(),
        path_pieces,
        path_params,
        query_params,
        fixed_query: a
            .fixed_query
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        header_params,
        body,
        response,
        success_status: a.success_status(),
        reference_url: names::reference_url(cat, a)?,
        lifecycle: a.lifecycle,
        skus: a.skus.clone(),
        deprecated: a.deprecated.clone(),
        spec_overrides: a.spec_overrides.clone(),
        host_prefix: a.host_prefix.clone(),
        auth,
        scopes: a.scopes.clone(),
        text_alternatives,
    })
}

/// A YAML scalar as plain text (for documenting defaults).
pub fn yaml_scalar(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Null => "null".into(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// The models each action names, directly.
pub fn action_models(a: &ActionDef) -> Vec<String> {
    let mut out = Vec::new();
    for p in a.path_params.iter().chain(&a.query_params) {
        p.ty.models(&mut out);
    }
    if let Some(BodyDef::Json { ty, .. }) = &a.body {
        ty.models(&mut out);
    }
    if let Some(ty) = a.response.json_type() {
        ty.models(&mut out);
    }
    out
}

/// The models a model names directly (fields, map values, family variants, union branches).
pub fn model_refs(kind: &ModelKind) -> Vec<String> {
    let mut out = Vec::new();
    match kind {
        ModelKind::Object { fields } => fields.iter().for_each(|f| f.ty.models(&mut out)),
        ModelKind::Enum { .. } => {}
        ModelKind::Map { value } => value.models(&mut out),
        ModelKind::Family {
            variants,
            base_fields,
            ..
        } => {
            out.extend(variants.iter().map(|v| v.model.clone()));
            base_fields.iter().for_each(|f| f.ty.models(&mut out));
        }
        ModelKind::Union { branches, .. } => branches.iter().for_each(|b| b.ty.models(&mut out)),
    }
    out
}

/// Each model's position in `models`, by name.
fn model_index(models: &[ModelDef]) -> BTreeMap<String, usize> {
    models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.clone(), i))
        .collect()
}

/// Put every model in a crate (`ModelDef::krate`). The manifest's model files (groups) go to the
/// [`MODEL_PARTS`] parts whole, the heaviest first, each to the lightest part so far (ties to
/// the lower part, then by name: the same manifest always gives the same crates). A model that a
/// model of another part names moves to the shared crate, and with it every model it names, so
/// a part's models name only its own and shared ones. Depends on the manifest alone, never on
/// the cargo features.
fn assign_model_crates(models: &mut [ModelDef]) {
    let mut group_weight: BTreeMap<&str, usize> = BTreeMap::new();
    for m in models.iter() {
        *group_weight.entry(&m.group).or_default() += model_weight(m);
    }
    let mut groups: Vec<(&str, usize)> = group_weight.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut load = [0usize; MODEL_PARTS];
    let mut part_of: BTreeMap<String, ModelCrate> = BTreeMap::new();
    for (group, weight) in groups {
        let lightest = (0..MODEL_PARTS).min_by_key(|&i| (load[i], i)).unwrap_or(0);
        load[lightest] += weight;
        part_of.insert(group.to_owned(), ModelCrate::Part(lightest + 1));
    }
    let index = model_index(models);
    let refs: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            model_refs(&m.kind)
                .iter()
                .filter_map(|r| index.get(r).copied())
                .collect()
        })
        .collect();
    for m in models.iter_mut() {
        m.krate = part_of[&m.group];
    }
    // Models named across parts, then everything they name.
    let mut shared: Vec<usize> = Vec::new();
    for (i, m) in models.iter().enumerate() {
        shared.extend(refs[i].iter().filter(|&&r| models[r].krate != m.krate));
    }
    while let Some(i) = shared.pop() {
        if models[i].krate != ModelCrate::Shared {
            models[i].krate = ModelCrate::Shared;
            shared.extend(&refs[i]);
        }
    }
}

/// Record on every model one place that uses it (`ModelDef::first_use`); `mark_categories` has
/// run (whether a place can be linked to depends on the categories of both).
fn mark_first_uses(
    models: &mut [ModelDef],
    categories: &[Category],
    parents: &BTreeMap<&str, &str>,
) {
    let index: BTreeMap<&str, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.as_str(), i))
        .collect();
    // Per model: (kind's rank, not linkable, place, whole), in the order found.
    let mut found: Vec<Vec<(u8, bool, UsePlace, bool)>> = vec![Vec::new(); models.len()];
    let mut note = |ty: &Type, rank: u8, holder: Holder, place: &UsePlace| {
        let mut names = Vec::new();
        ty.models(&mut names);
        for name in names {
            let Some(&i) = index.get(name.as_str()) else {
                continue;
            };
            let model = &models[i];
            if holder.is_model(&model.name) {
                continue;
            }
            let linkable =
                holder.compiled_with(&model.categories) && holder.named_from(model.krate);
            let whole = matches!(ty, Type::Model(_));
            found[i].push((rank, !linkable, place.clone(), whole));
        }
    };
    for m in models.iter() {
        let holder = Holder::Model(&m.name, &m.categories, m.krate);
        match &m.kind {
            ModelKind::Object { fields } => {
                for f in fields {
                    let place = UsePlace::Field {
                        model: m.name.clone(),
                        field: f.rust_name.clone(),
                    };
                    note(&f.ty, 4, holder, &place);
                }
            }
            ModelKind::Family {
                discriminator,
                variants,
                base_name,
                base_fields,
            } => {
                for v in variants {
                    let place = UsePlace::Variant {
                        family: m.name.clone(),
                        discriminator: discriminator.clone(),
                        values: v.values.clone(),
                    };
                    note(&Type::Model(v.model.clone()), 0, holder, &place);
                }
                // The base struct is compiled with its family.
                for f in base_fields {
                    let place = UsePlace::Field {
                        model: base_name.clone(),
                        field: f.rust_name.clone(),
                    };
                    note(&f.ty, 4, holder, &place);
                }
            }
            ModelKind::Map { value } => {
                let place = UsePlace::MapValue {
                    map: m.name.clone(),
                };
                note(value, 5, holder, &place);
            }
            ModelKind::Union { branches, .. } => {
                let place = UsePlace::Branch {
                    union: m.name.clone(),
                };
                for b in branches {
                    note(&b.ty, 6, holder, &place);
                }
            }
            ModelKind::Enum { .. } => {}
        }
        if let Some(parent) = parents.get(m.name.as_str()) {
            let place = UsePlace::Parent {
                child: m.name.clone(),
            };
            note(&Type::Model(parent.to_string()), 7, holder, &place);
        }
    }
    for cat in categories {
        let holder = Holder::Action(&cat.accessor);
        for a in &cat.actions {
            let action = ActionRef {
                api_struct: cat.api_struct.clone(),
                method: a.method_name.clone(),
            };
            if let Some(BodyDef::Json { ty, .. }) = &a.body {
                note(ty, 1, holder, &UsePlace::Body(action.clone()));
            }
            if let Some(ty) = a.response.json_type() {
                note(&ty, 2, holder, &UsePlace::Response(action.clone()));
            }
            for p in a.path_params.iter().chain(&a.query_params) {
                let place = UsePlace::Param {
                    action: action.clone(),
                    param: p.wire_name.clone(),
                };
                note(&p.ty, 3, holder, &place);
            }
        }
    }
    for (m, mut uses) in models.iter_mut().zip(found) {
        // Stable: places of the same rank and linkability stay in the order found.
        uses.sort_by_key(|(rank, unlinkable, ..)| (*rank, *unlinkable));
        let Some((rank, unlinkable, place, whole)) = uses.first().cloned() else {
            continue;
        };
        let more = uses.iter().filter(|u| u.0 == rank).count() - 1;
        m.first_use = Some(ModelUse {
            place,
            whole,
            linkable: !unlinkable,
            more,
        });
    }
}

/// What holds a place that uses a model: an action of a category, or a model (its name,
/// categories and crate).
#[derive(Clone, Copy)]
enum Holder<'a> {
    Action(&'a str),
    Model(&'a str, &'a BTreeSet<String>, ModelCrate),
}

impl Holder<'_> {
    fn is_model(self, name: &str) -> bool {
        matches!(self, Holder::Model(own, ..) if own == name)
    }

    /// Whether a model's docs in `krate` can link to the holder: never to an action (the crates
    /// of models cannot link to the client's), to a model in a crate `krate` can name.
    fn named_from(self, krate: ModelCrate) -> bool {
        match self {
            Holder::Action(_) => false,
            Holder::Model(_, _, holder) => krate.can_name(holder),
        }
    }

    /// Whether the holder is compiled whenever a model of these categories is (no category:
    /// compiled with any features).
    fn compiled_with(self, model: &BTreeSet<String>) -> bool {
        match self {
            Holder::Action(accessor) => !model.is_empty() && model.iter().all(|c| c == accessor),
            Holder::Model(_, holder, _) => {
                holder.is_empty() || (!model.is_empty() && model.is_subset(holder))
            }
        }
    }
}

/// Record on every model which categories reach it, transitively. A model's `parent` object
/// (by name, in `parents`) is reached with it: its fields are among the child's, and a crate
/// that has the child can name the parent's struct too (without this, a parent no action names
/// would be compiled with no feature at all, and its fields' types only with theirs).
fn mark_categories(
    models: &mut [ModelDef],
    categories: &[Category],
    parents: &BTreeMap<&str, &str>,
) {
    let index = model_index(models);
    let refs: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            // A family's variant needs only its own struct, not the family (whose other
            // variants the edge would pull in too).
            let parent = parents
                .get(m.name.as_str())
                .filter(|p| {
                    index
                        .get(**p)
                        .is_some_and(|&i| matches!(models[i].kind, ModelKind::Object { .. }))
                })
                .map(|p| p.to_string());
            model_refs(&m.kind)
                .iter()
                .chain(parent.iter())
                .filter_map(|r| index.get(r).copied())
                .collect()
        })
        .collect();
    for cat in categories {
        let mut stack: Vec<usize> = cat
            .actions
            .iter()
            .flat_map(action_models)
            .filter_map(|r| index.get(&r).copied())
            .collect();
        while let Some(i) = stack.pop() {
            if models[i].categories.insert(cat.accessor.clone()) {
                stack.extend(refs[i].iter().copied());
            }
        }
    }
    // A model no category reaches (a callback's payload, say) is compiled with every feature
    // set, so everything it reaches must be too: their sets are emptied (no gate).
    let mut stack: Vec<usize> = (0..models.len())
        .filter(|&i| models[i].categories.is_empty())
        .flat_map(|i| refs[i].iter().copied())
        .collect();
    while let Some(i) = stack.pop() {
        if !models[i].categories.is_empty() {
            models[i].categories.clear();
            stack.extend(refs[i].iter().copied());
        }
    }
}
