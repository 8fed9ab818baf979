//! Stage 3: the resolved IR. Plain data with every name, Rust identifier and type decided, so the
//! emitters only translate it into tokens. Built once from a validated manifest; nothing mutates
//! it afterwards.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::manifest::{self, BodyContent, Manifest};
use crate::names::{camel_ident, snake_ident};

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub categories: Vec<Category>,
    /// Sorted by name.
    pub models: Vec<ModelDef>,
    /// Model file stems (= generated model modules), sorted.
    pub model_groups: Vec<String>,
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
    /// Method on the category struct ("list_users").
    pub method_name: String,
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
    pub paginated: bool,
    pub spec_overrides: BTreeMap<String, String>,
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
    },
    Multipart {
        part: String,
        required: bool,
    },
    Raw {
        content_types: Vec<String>,
        required: bool,
    },
}

impl BodyDef {
    pub fn required(&self) -> bool {
        match self {
            BodyDef::Json { required, .. }
            | BodyDef::Multipart { required, .. }
            | BodyDef::Raw { required, .. } => *required,
        }
    }
    pub fn content_type(&self) -> &str {
        match self {
            BodyDef::Json { .. } => "application/json",
            BodyDef::Multipart { .. } => "multipart/form-data",
            BodyDef::Raw { content_types, .. } => content_types.first().map_or("", |s| s.as_str()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseDef {
    /// No body (204, or a 200 with an empty body).
    Empty,
    /// A JSON body of this type (`Type::List` for lists).
    Json(Type),
    /// A non-JSON body returned as text; the media type to accept.
    Text(String),
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// An RFC 3339 timestamp, kept as text so any format Okta sends survives.
    DateTime,
    /// Any JSON value.
    Json,
    Model(String),
    List(Box<Type>),
    Map(Box<Type>),
}

impl Type {
    /// Parse a manifest type expression: `string`, `integer`, `int64`, `number`, `boolean`,
    /// `date-time`, `json`, `list<T>`, `map<T>` or a model name.
    pub fn parse(s: &str) -> Result<Type, String> {
        let s = s.trim();
        let inner = |prefix: &str| {
            s.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix('>'))
                .map(Type::parse)
        };
        if let Some(t) = inner("list<") {
            return Ok(Type::List(Box::new(t?)));
        }
        if let Some(t) = inner("map<") {
            return Ok(Type::Map(Box::new(t?)));
        }
        Ok(match s {
            "string" => Type::String,
            "integer" => Type::I32,
            "int64" => Type::I64,
            "number" => Type::F64,
            "boolean" => Type::Bool,
            "date-time" => Type::DateTime,
            "json" => Type::Json,
            _ if crate::names::is_plain_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) => {
                Type::Model(s.to_owned())
            }
            _ => {
                return Err(format!(
                    "`{s}` is not a type (expected string, integer, int64, number, boolean, \
                     date-time, json, list<T>, map<T> or a model name starting with an upper-case letter)"
                ))
            }
        })
    }

    /// Every model this type names.
    pub fn models(&self, out: &mut Vec<String>) {
        match self {
            Type::Model(m) => out.push(m.clone()),
            Type::List(t) | Type::Map(t) => t.models(out),
            _ => {}
        }
    }

    /// The manifest spelling, for docs and `xtask list`.
    pub fn manifest_name(&self) -> String {
        match self {
            Type::String => "string".into(),
            Type::I32 => "integer".into(),
            Type::I64 => "int64".into(),
            Type::F64 => "number".into(),
            Type::Bool => "boolean".into(),
            Type::DateTime => "date-time".into(),
            Type::Json => "json".into(),
            Type::Model(m) => m.clone(),
            Type::List(t) => format!("list<{}>", t.manifest_name()),
            Type::Map(t) => format!("map<{}>", t.manifest_name()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelDef {
    pub name: String,
    /// The generated module it lives in (its manifest file's stem).
    pub group: String,
    pub description: Option<String>,
    pub kind: ModelKind,
    /// Accessors of the categories whose actions reach this model (their cargo features).
    pub categories: BTreeSet<String>,
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub value: String,
    pub ident: String,
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

/// The name of the field that keeps unknown JSON fields on every generated struct.
/// `okta-generated`'s `model_support::object_serde!` names it too (the kitchen-sink client test
/// fails if the two differ).
pub const EXTRA_FIELD: &str = "additional_properties";
/// The catch-all variant of every generated string enum (Okta's enums use `OTHER` and `UNKNOWN`
/// as real values, so neither can be the catch-all).
/// `okta-generated`'s `model_support::string_enum!` names it too (the client's tests that match
/// on it fail to compile if the two differ).
pub const UNRECOGNIZED_VARIANT: &str = "Unrecognized";
/// The fallback variant of every polymorphic family: any other discriminator value.
pub const OTHER_VARIANT: &str = "Other";

// ---------------------------------------------------------------------------------------------
// Names derived from the manifest. `validate` uses the same functions, so what it checks is
// exactly what the emitters get.

pub fn accessor_name(cat: &manifest::CategoryFile) -> String {
    cat.accessor
        .clone()
        .unwrap_or_else(|| snake_ident(&cat.category))
}

pub fn method_name(action: &manifest::Action) -> Option<String> {
    action
        .rust_name
        .clone()
        .or_else(|| action.operation_id.as_deref().map(snake_ident))
}

pub fn builder_name(method_name: &str) -> String {
    method_name.to_upper_camel_case()
}

/// The static holding an action's `Operation` ("LIST_USERS").
pub fn static_name(method_name: &str) -> String {
    method_name.to_shouty_snake_case()
}

/// The struct a category's accessor returns ("UserApi").
pub fn api_struct_name(accessor: &str) -> String {
    format!("{}Api", accessor.to_upper_camel_case())
}

pub fn param_rust_name(wire: &str, overridden: Option<&String>) -> String {
    overridden.cloned().unwrap_or_else(|| snake_ident(wire))
}

pub fn field_rust_name(json: &str, field: &manifest::Field) -> String {
    field.rust_name.clone().unwrap_or_else(|| snake_ident(json))
}

pub fn family_base_name(family: &str) -> String {
    format!("{family}Base")
}

/// Split a path template into literal text and `{param}` names; `Err` on unbalanced braces.
pub fn split_path(path: &str) -> Result<Vec<Result<String, String>>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if rest[..open].contains('}') {
            return Err("unbalanced `}` in path".into());
        }
        if open > 0 {
            out.push(Ok(rest[..open].to_owned()));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("unclosed `{` in path")?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err("empty or nested `{}` in path".into());
        }
        out.push(Err(name.to_owned()));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err("unbalanced `}` in path".into());
    }
    if !rest.is_empty() {
        out.push(Ok(rest.to_owned()));
    }
    Ok(out)
}

/// Variant name of `model` inside `family`: the model name less the words it shares at the end
/// with the family name (`AutoLoginApplication` in `Application` -> `AutoLogin`).
pub fn family_variant_ident(family: &str, model: &str) -> String {
    let words = |s: &str| -> Vec<String> {
        s.to_snake_case()
            .split('_')
            .map(|w| w.to_upper_camel_case())
            .collect()
    };
    let (fw, mut mw) = (words(family), words(model));
    let mut fi = fw.len();
    while fi > 0 && mw.len() > 1 && mw.last() == Some(&fw[fi - 1]) {
        mw.pop();
        fi -= 1;
    }
    let ident = mw.concat();
    // `SelfFactor` in `Factor` would be `Self`, a keyword: keep the model's name then.
    if ident == OTHER_VARIANT || !crate::names::is_plain_ident(&ident) {
        model.to_owned()
    } else {
        ident
    }
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
    let mut groups = BTreeSet::new();
    for file in &m.model_files {
        let group = file
            .source
            .path
            .file_stem()
            .map(|s| snake_ident(&s.to_string_lossy()))
            .unwrap_or_default();
        groups.insert(group.clone());
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
            description: model.description.clone(),
            kind,
            categories: BTreeSet::new(),
        });
    }

    let mut categories = Vec::new();
    for file in &m.categories {
        let cat = &file.value;
        let accessor = accessor_name(cat);
        let mut actions = Vec::new();
        for action in &cat.actions {
            match lower_action(action) {
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
            api_struct: api_struct_name(&accessor),
            accessor,
            description: cat.description.clone(),
            source_file: file.source.path.to_string_lossy().replace('\\', "/"),
            actions,
        });
    }
    categories.sort_by(|a, b| a.accessor.cmp(&b.accessor));

    set_body_families(&models, &mut categories);
    mark_categories(&mut models, &categories);

    diags.into_result(Api {
        categories,
        models,
        model_groups: groups.into_iter().collect(),
    })
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
            .map(|v| EnumVariant {
                value: v.clone(),
                ident: camel_ident(v),
            })
            .collect();
        return Ok(ModelKind::Enum { variants });
    }
    if let Some(value) = &model.map {
        return Ok(ModelKind::Map {
            value: Type::parse(value)?,
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
                    ident: family_variant_ident(name, m),
                    model: m.to_owned(),
                    values,
                }
            })
            .collect();
        return Ok(ModelKind::Family {
            discriminator: discriminator.clone(),
            variants,
            base_name: family_base_name(name),
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
    if depth > 32 {
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
            rust_name: field_rust_name(json, f),
            ty: Type::parse(&f.ty)?,
            required: f.required,
            read_only: f.read_only,
            boxed: f.boxed,
            description: f.description.clone(),
        };
        match fields.iter_mut().find(|x| x.json_name == *json) {
            Some(existing) => *existing = def,
            None => fields.push(def),
        }
    }
    Ok(fields)
}

fn lower_action(a: &manifest::Action) -> Result<ActionDef, String> {
    let method_name = method_name(a).ok_or("needs `operation_id` or `rust_name`")?;
    let path_params: Vec<Param> = a
        .path_params
        .iter()
        .map(|p| {
            Ok(Param {
                wire_name: p.name.clone(),
                rust_name: snake_ident(&p.name),
                ty: Type::parse(&p.ty)?,
                required: true,
                default: None,
                description: p.description.clone(),
            })
        })
        .collect::<Result<_, String>>()?;
    let mut path_pieces = Vec::new();
    for piece in split_path(&a.path)? {
        path_pieces.push(match piece {
            Ok(lit) => PathPiece::Literal(lit),
            Err(name) => PathPiece::Param(
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
                rust_name: param_rust_name(&q.name, q.rust_name.as_ref()),
                ty: Type::parse(&q.ty)?,
                required: q.required,
                default: q.default.as_ref().map(yaml_scalar),
                description: q.description.clone(),
            })
        })
        .collect::<Result<_, String>>()?;
    let header_params = a
        .header_params
        .iter()
        .map(|h| Param {
            wire_name: h.name.clone(),
            rust_name: param_rust_name(&h.name, h.rust_name.as_ref()),
            ty: Type::String,
            required: false,
            default: None,
            description: h.description.clone(),
        })
        .collect();
    let body = match &a.body {
        None => None,
        Some(b) => Some(match b.content {
            BodyContent::Json => BodyDef::Json {
                ty: Type::parse(b.ty.as_deref().ok_or("a json body needs a `type`")?)?,
                required: b.required,
                via_families: Vec::new(),
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
        }),
    };
    let (response, success_status) = match &a.response {
        None => (ResponseDef::Empty, 204),
        Some(r) => (
            match (&r.ty, &r.text) {
                (Some(ty), None) => ResponseDef::Json(Type::parse(ty)?),
                (None, Some(text)) => ResponseDef::Text(text.clone()),
                (None, None) => ResponseDef::Empty,
                (Some(_), Some(_)) => return Err("response has both `type` and `text`".into()),
            },
            r.status,
        ),
    };
    Ok(ActionDef {
        display_name: a.name.clone(),
        operation_id: a.operation_id.clone(),
        builder_name: builder_name(&method_name),
        static_name: static_name(&method_name),
        method_name,
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
        success_status,
        paginated: a.paginated,
        spec_overrides: a.spec_overrides.clone(),
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
    if let ResponseDef::Json(ty) = &a.response {
        ty.models(&mut out);
    }
    out
}

/// The models a model names directly (fields, map values, family variants).
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
    }
    out
}

/// Record on every model which categories reach it, transitively.
fn mark_categories(models: &mut [ModelDef], categories: &[Category]) {
    let index: BTreeMap<String, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.clone(), i))
        .collect();
    let refs: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            model_refs(&m.kind)
                .iter()
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
}
