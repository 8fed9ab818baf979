//! `cargo xtask verify-spec SPEC`: compare the manifest with an Okta spec (Swagger 2.0 or OpenAPI
//! 3.0, YAML or JSON) and list every difference.
//!
//! Both sides are first reduced to the same [`Shape`] (what goes on the wire: method, path, params,
//! body, response, status, paging), then compared aspect by aspect. Bodies and responses are
//! compared by type: models by name, unions (`one_of` in the manifest, `oneOf`/`anyOf` in the spec)
//! by their branches and discriminator. For an OpenAPI 3.0 spec the fields of the models both
//! sides have are compared too (`Model.field`: presence, type, required-ness). A difference on an
//! aspect that the action (or the field) lists in `spec_overrides` is deliberate and reported with
//! its reason; any other difference, an action on one side only, or an override that no longer
//! explains anything makes the command exit 1.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::process::ExitCode;

mod openapi3;

use okta_codegen::manifest::{self, Action, BodyContent, Manifest, Type};
use okta_codegen::manifest::{FIELD_OVERRIDE_REQUIRED, FIELD_OVERRIDE_TYPE};
use okta_codegen::names;
use serde_yaml::Value;

/// Aspect of an action that is present in the manifest but not in the spec at all.
pub const ASPECT_OPERATION: &str = "operation";

/// One difference between the manifest and the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// `operationId`, or `METHOD path` when the action has none.
    pub action: String,
    /// `file:line` of the action in the manifest, when it is there.
    pub location: Option<String>,
    /// `operation`, `method`, `path`, `path_params`, ... (the `spec_overrides` aspects).
    pub aspect: String,
    pub detail: String,
    /// The `spec_overrides` reason that makes this difference deliberate.
    pub explained_by: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.action)?;
        if let Some(loc) = &self.location {
            write!(f, " ({loc})")?;
        }
        write!(f, ": {}: {}", self.aspect, self.detail)?;
        if let Some(reason) = &self.explained_by {
            write!(
                f,
                "\n    explained by spec_overrides.{}: {reason}",
                self.aspect
            )?;
        }
        Ok(())
    }
}

/// What an action puts on the wire, as either side describes it.
#[derive(Debug, Clone, PartialEq, Default)]
struct Shape {
    method: String,
    path: String,
    /// Path params in path order, with their types.
    path_params: Vec<(String, String)>,
    query_params: BTreeMap<String, Query>,
    fixed_query: BTreeMap<String, String>,
    header_params: Vec<String>,
    body: Option<String>,
    response: String,
    status: u16,
    paginated: bool,
    /// The DNS label in front of the org's host that the operation is served on (`drapp`).
    host_prefix: Option<String>,
    /// The credentials accepted, as the manifest names their kinds (`api_token`, `oauth2`),
    /// sorted. The manifest's side keeps only the kinds the spec has a security scheme for.
    auth: Vec<String>,
    /// The OAuth 2.0 scopes, sorted; compared where both sides accept `oauth2`.
    scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Query {
    ty: String,
    required: bool,
    default: Option<String>,
    enum_values: Vec<String>,
}

impl Query {
    /// A query param of type `ty`: whether it is required from the `param`, its default and
    /// enum values from `constraints` (Swagger 2.0 writes them on the param, OpenAPI 3.0 on its
    /// schema).
    fn new(ty: String, param: &Value, constraints: &Value) -> Query {
        Query {
            ty,
            required: param
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            default: constraints.get("default").map(scalar_text),
            enum_values: constraints
                .get("enum")
                .and_then(Value::as_sequence)
                .map(|vs| vs.iter().map(scalar_text).collect())
                .unwrap_or_default(),
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.ty)?;
        if !self.enum_values.is_empty() {
            write!(f, " [{}]", self.enum_values.join(", "))?;
        }
        if self.required {
            write!(f, ", required")?;
        }
        if let Some(d) = &self.default {
            write!(f, ", default {d}")?;
        }
        Ok(())
    }
}

/// Unions nested deeper than this are written by name: a union that holds itself through a
/// list would never end.
const MAX_UNION_DEPTH: usize = 8;

/// How both sides write a union: by its branches, sorted (a spec's `oneOf` has no order; the
/// manifest's order is which branch decoding tries first, not what goes on the wire), and the
/// field that picks the branch, if any: `one_of[CustomRole, StandardRole] by type`. A union is
/// compared by what it holds rather than by name: Okta's spec writes most unions inline, where
/// the manifest has to name them.
fn union_text(mut branches: Vec<String>, discriminator: Option<&str>) -> String {
    branches.sort();
    let by = discriminator
        .map(|d| format!(" by {d}"))
        .unwrap_or_default();
    format!("one_of[{}]{by}", branches.join(", "))
}

/// The unions of a manifest: name -> (branches, discriminator).
type Unions<'a> = BTreeMap<&'a str, (&'a [Type], Option<&'a str>)>;

fn manifest_unions(m: &Manifest) -> Unions<'_> {
    unions_of(m.model_files.iter().flat_map(|f| &f.value.models))
}

/// The unions among `models`: name -> (branches, discriminator).
fn unions_of<'a>(models: impl Iterator<Item = (&'a String, &'a manifest::Model)>) -> Unions<'a> {
    models
        .filter_map(|(name, model)| {
            let branches = model.one_of.as_deref()?;
            Some((name.as_str(), (branches, model.discriminator.as_deref())))
        })
        .collect()
}

/// A manifest type as the spec side writes it: a union by its branches ([`union_text`]).
fn type_text(ty: &Type, unions: &Unions, depth: usize) -> String {
    match ty {
        Type::Model(m) => match unions.get(m.as_str()) {
            Some((branches, discriminator)) if depth < MAX_UNION_DEPTH => {
                let branches = branches
                    .iter()
                    .map(|b| type_text(b, unions, depth + 1))
                    .collect();
                union_text(branches, *discriminator)
            }
            _ => m.clone(),
        },
        Type::List(t) => format!("list<{}>", type_text(t, unions, depth)),
        Type::Map(t) => format!("map<{}>", type_text(t, unions, depth)),
        scalar => scalar.to_string(),
    }
}

/// Whether the spec implies paging: a GET that returns a list and takes `after` or `limit`. Lists
/// Okta pages without saying so carry `spec_overrides.paginated` in the manifest.
fn paginated_by_rule(method: &str, response: &str, query: &BTreeMap<String, Query>) -> bool {
    method == "GET"
        && response.starts_with("json list<")
        && (query.contains_key("after") || query.contains_key("limit"))
}

/// How a response is written on both sides: `json Model`, with the media types it also comes
/// in as text (`json Csr, or as text: application/pkcs10`).
fn json_response(ty: &str, alternatives: &[&str]) -> String {
    let mut out = format!("json {ty}");
    if !alternatives.is_empty() {
        let mut alternatives = alternatives.to_vec();
        alternatives.sort();
        out += &format!(", or as text: {}", alternatives.join(", "));
    }
    out
}

// ------------------------------------------------------------------------------------ spec side

struct SpecOp {
    key: String,
    operation_id: Option<String>,
    shape: Shape,
}

/// A spec's operations, and the kinds of credentials it has security schemes for.
struct SpecOps {
    ops: Vec<SpecOp>,
    auth_kinds: std::collections::BTreeSet<&'static str>,
    /// The values of the enum models of the spec's conversion (OpenAPI 3.0).
    enums: EnumValues,
    /// The models of the spec's conversion (OpenAPI 3.0; empty for Swagger 2.0, whose models
    /// are not compared).
    models: SpecModels,
}

/// The spec's models as `import-spec` converts them, by name.
type SpecModels = BTreeMap<String, manifest::Model>;

/// Enum model name -> its values, quoted (`"ACTIVE"`).
type EnumValues = BTreeMap<String, Vec<String>>;

/// The security of a spec: its schemes, by name, as the kind of credentials each is, and the
/// `security` of operations that do not say their own.
pub(crate) struct Security<'a> {
    kinds: BTreeMap<String, &'static str>,
    default: Option<&'a Value>,
}

impl<'a> Security<'a> {
    /// `schemes`: Swagger 2.0's `securityDefinitions` or OpenAPI 3.0's
    /// `components.securitySchemes`. An API key in the `Authorization` header is an API token
    /// (`SSWS`), an `oauth2` scheme OAuth 2.0; the manifest knows no other kind.
    pub(crate) fn new(spec: &'a Value, schemes: Option<&'a Value>) -> Result<Security<'a>, String> {
        let mut kinds = BTreeMap::new();
        for (name, scheme) in schemes.and_then(Value::as_mapping).into_iter().flatten() {
            let name = name
                .as_str()
                .ok_or("a security scheme's name is not a string")?;
            let kind = match str_of(scheme, "type") {
                Some("apiKey")
                    if str_of(scheme, "in") == Some("header")
                        && str_of(scheme, "name")
                            .is_some_and(|h| h.eq_ignore_ascii_case("authorization")) =>
                {
                    manifest::AuthKind::ApiToken.name()
                }
                Some("oauth2") => manifest::AuthKind::Oauth2.name(),
                other => {
                    return Err(format!(
                        "security scheme `{name}` ({other:?}) is neither an API token in the Authorization header nor OAuth 2.0"
                    ))
                }
            };
            kinds.insert(name.to_owned(), kind);
        }
        Ok(Security {
            kinds,
            default: spec.get("security"),
        })
    }

    /// The kinds of credentials `op` accepts, and its OAuth 2.0 scopes, both sorted. Each
    /// requirement of its `security` (or the spec's) is one way to authenticate; without any,
    /// the operation takes no credentials.
    pub(crate) fn of(&self, op: &Value) -> Result<(Vec<String>, Vec<String>), String> {
        let mut auth = std::collections::BTreeSet::new();
        let mut scopes = std::collections::BTreeSet::new();
        let requirements = op.get("security").or(self.default);
        for requirement in requirements
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            for (name, needed) in requirement.as_mapping().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                let kind = self
                    .kinds
                    .get(name)
                    .ok_or_else(|| format!("security names the undefined scheme `{name}`"))?;
                auth.insert(kind.to_string());
                if *kind == manifest::AuthKind::Oauth2.name() {
                    scopes.extend(
                        needed
                            .as_sequence()
                            .into_iter()
                            .flatten()
                            .map(scalar_text_raw),
                    );
                }
            }
        }
        Ok((auth.into_iter().collect(), scopes.into_iter().collect()))
    }

    fn auth_kinds(&self) -> std::collections::BTreeSet<&'static str> {
        self.kinds.values().copied().collect()
    }
}

/// A scalar as plain text (a scope).
fn scalar_text_raw(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => scalar_text(other),
    }
}

/// The host prefix of an operation with `servers` of its own (OpenAPI 3.0): the first DNS label
/// of its first server's host (`https://drapp.yourOrgSubDomain.okta.com` -> `drapp`). A host
/// that starts with a variable (`https://{yourOktaDomain}`) is the org's own.
fn host_prefix(op: &Value) -> Option<String> {
    let url = op
        .get("servers")?
        .as_sequence()?
        .first()?
        .get("url")?
        .as_str()?;
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = host.split(['/', ':']).next()?;
    if host.starts_with('{') {
        return None;
    }
    let (label, _) = host.split_once('.')?;
    Some(label.to_owned())
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "null".into(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Manifest type name of a Swagger parameter or property type.
fn spec_scalar_type(ty: Option<&str>, format: Option<&str>) -> Result<String, String> {
    Ok(match (ty, format) {
        (Some("string"), Some("date-time")) => "date-time".into(),
        (Some("string"), _) => "string".into(),
        (Some("integer"), Some("int64")) => "int64".into(),
        (Some("integer"), _) => "integer".into(),
        (Some("number"), _) => "number".into(),
        (Some("boolean"), _) => "boolean".into(),
        (ty, format) => return Err(format!("unsupported parameter type {ty:?} ({format:?})")),
    })
}

fn spec_param_type(p: &Value) -> Result<String, String> {
    if str_of(p, "type") == Some("array") {
        let items = p.get("items").ok_or("array parameter without items")?;
        return Ok(format!("list<{}>", spec_param_type(items)?));
    }
    spec_scalar_type(str_of(p, "type"), str_of(p, "format"))
}

fn schema_type(schema: &Value) -> Result<String, String> {
    if let Some(r) = str_of(schema, "$ref") {
        return Ok(r.rsplit('/').next().unwrap_or(r).to_string());
    }
    match str_of(schema, "type") {
        Some("array") => {
            let items = schema.get("items").ok_or("array schema without items")?;
            Ok(format!("list<{}>", schema_type(items)?))
        }
        Some("object") if schema.get("additionalProperties").is_some() => {
            let inner = schema_type(&schema["additionalProperties"])?;
            Ok(format!("map<{inner}>"))
        }
        Some("object") => Ok("json".into()),
        ty => spec_scalar_type(ty, str_of(schema, "format")),
    }
}

/// Every operation of the spec, the kinds of credentials it defines schemes for, and (OpenAPI
/// 3.0) the values of the enum models its conversion defines; a Swagger 2.0 spec writes enum
/// values inline, on the parameters.
fn spec_ops(spec: &Value) -> Result<SpecOps, String> {
    if str_of(spec, "openapi").is_some_and(|v| v.starts_with("3.0")) {
        let schemes = spec
            .get("components")
            .and_then(|c| c.get("securitySchemes"));
        let security = Security::new(spec, schemes)?;
        let (ops, enums, models) = openapi3::spec_ops(spec)?;
        return Ok(SpecOps {
            ops,
            auth_kinds: security.auth_kinds(),
            enums,
            models,
        });
    }
    if str_of(spec, "swagger") != Some("2.0") {
        return Err(
            "neither a Swagger 2.0 nor an OpenAPI 3.0 document (no `swagger: \"2.0\"` or `openapi: 3.0.x`)"
                .into(),
        );
    }
    let security = Security::new(spec, spec.get("securityDefinitions"))?;
    let default_produces = spec.get("produces");
    let ops = each_operation(spec, &security, |method, path, op, shared| {
        spec_shape(method, path, op, shared, default_produces)
    })?;
    Ok(SpecOps {
        ops,
        auth_kinds: security.auth_kinds(),
        enums: BTreeMap::new(),
        models: BTreeMap::new(),
    })
}

/// The HTTP methods of a path item (its other keys are `parameters`, `summary`, `x-...`).
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of the spec (Swagger 2.0 and OpenAPI 3.0 lay paths out alike), each reduced
/// by `shape(METHOD, path, operation, path-level parameters)`; its credentials (by `security`)
/// and host (by its own `servers`) are read alike too.
fn each_operation(
    spec: &Value,
    security: &Security,
    shape: impl Fn(&str, &str, &Value, &[&Value]) -> Result<Shape, String>,
) -> Result<Vec<SpecOp>, String> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or("the spec has no `paths`")?;
    let mut ops = Vec::new();
    for (raw_path, item) in paths {
        let raw_path = raw_path.as_str().ok_or("a path key is not a string")?;
        let item = item.as_mapping().ok_or("a path item is not a mapping")?;
        let shared: Vec<&Value> = item
            .get("parameters")
            .and_then(Value::as_sequence)
            .map(|ps| ps.iter().collect())
            .unwrap_or_default();
        for (method, op) in item {
            let Some(method) = method.as_str().filter(|m| METHODS.contains(m)) else {
                continue;
            };
            let method = method.to_ascii_uppercase();
            let op_id = str_of(op, "operationId").map(str::to_string);
            let key = op_id
                .clone()
                .unwrap_or_else(|| format!("{method} {raw_path}"));
            let in_op = |e: String| format!("spec operation {key}: {e}");
            let mut shape = shape(&method, raw_path, op, &shared).map_err(in_op)?;
            (shape.auth, shape.scopes) = security.of(op).map_err(in_op)?;
            shape.host_prefix = host_prefix(op);
            ops.push(SpecOp {
                key,
                operation_id: op_id,
                shape,
            });
        }
    }
    Ok(ops)
}

fn spec_shape(
    method: &str,
    raw_path: &str,
    op: &Value,
    shared_params: &[&Value],
    default_produces: Option<&Value>,
) -> Result<Shape, String> {
    let mut shape = Shape {
        method: method.to_string(),
        ..Shape::default()
    };
    // Okta writes a few paths with their query baked in (`...?tempPassword=true`).
    let (path, baked) = raw_path.split_once('?').unwrap_or((raw_path, ""));
    shape.path = path.to_string();
    for pair in baked.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        shape.fixed_query.insert(k.to_string(), v.to_string());
    }

    let mut params: Vec<&Value> = shared_params.to_vec();
    if let Some(own) = op.get("parameters").and_then(Value::as_sequence) {
        params.extend(own);
    }
    let mut path_types = BTreeMap::new();
    let mut body = None;
    let mut form_file = None;
    for p in params {
        let name = str_of(p, "name")
            .ok_or("a parameter has no name")?
            .to_string();
        match str_of(p, "in") {
            Some("path") => {
                path_types.insert(name, spec_param_type(p)?);
            }
            Some("query") => {
                let q = Query::new(spec_param_type(p)?, p, p);
                shape.query_params.insert(name, q);
            }
            Some("header") => shape.header_params.push(name),
            Some("body") => {
                let schema = p.get("schema").ok_or("body parameter without schema")?;
                let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
                body = Some(body_text(
                    "json",
                    &schema_type(schema)?,
                    required,
                    &[],
                    None,
                ));
            }
            Some("formData") => {
                if str_of(p, "type") == Some("file") {
                    form_file = Some(name);
                }
            }
            other => return Err(format!("parameter `{name}` in {other:?}")),
        }
    }
    if let Some(file) = form_file {
        body = Some(body_text("multipart", "", true, &[], Some(&file)));
    }
    shape.body = body;
    shape.path_params = in_path_order(path, path_types)?;

    let (code, resp) = success_response(op, 200..300)?;
    shape.status = code;
    let produces: Vec<&str> = op
        .get("produces")
        .or(default_produces)
        .and_then(Value::as_sequence)
        .map(|ps| ps.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let produces_xml = produces.contains(&"application/xml");
    let produces_json = produces.iter().any(|p| manifest::is_json_media_type(p));
    shape.response = match (resp.get("schema"), produces_xml) {
        (Some(schema), true) if !produces_json => {
            format!("application/xml shaped as {}", schema_type(schema)?)
        }
        (Some(schema), _) => {
            // What it also produces, besides JSON, is an answer to ask for with `Accept`.
            let others: Vec<&str> = produces
                .iter()
                .copied()
                .filter(|p| !manifest::is_json_media_type(p))
                .collect();
            json_response(&schema_type(schema)?, &others)
        }
        (None, true) => "text application/xml".into(),
        (None, false) => "empty".into(),
    };
    shape.paginated = paginated_by_rule(method, &shape.response, &shape.query_params);
    Ok(shape)
}

/// How a JSON body's kind is written: `json`, or `json (application/merge-patch+json)` for
/// another JSON media type.
fn json_content(media: &str) -> String {
    if media == "application/json" {
        "json".to_owned()
    } else {
        format!("json ({media})")
    }
}

/// The path params of `path` in path order, with the types declared for them; a placeholder
/// without a declaration, or a declaration without a placeholder, is an error.
fn in_path_order(
    path: &str,
    mut declared: BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for name in names::path_placeholders(path) {
        let ty = declared
            .remove(name)
            .ok_or_else(|| format!("path parameter `{name}` is not declared"))?;
        out.push((name.to_owned(), ty));
    }
    match declared.keys().next() {
        Some(extra) => Err(format!("path parameter `{extra}` is not in the path")),
        None => Ok(out),
    }
}

/// The response an operation succeeds with: the lowest status in `statuses`, and its object.
fn success_response(op: &Value, statuses: std::ops::Range<u16>) -> Result<(u16, &Value), String> {
    let responses = op
        .get("responses")
        .and_then(Value::as_mapping)
        .ok_or("no responses")?;
    responses
        .iter()
        .filter_map(|(c, r)| {
            let c = match c {
                Value::String(s) => s.parse::<u16>().ok()?,
                Value::Number(n) => u16::try_from(n.as_u64()?).ok()?,
                _ => return None,
            };
            statuses.contains(&c).then_some((c, r))
        })
        .min_by_key(|(c, _)| *c)
        .ok_or_else(|| {
            format!(
                "no response with a status from {} to {}",
                statuses.start,
                statuses.end - 1
            )
        })
}

fn body_text(
    content: &str,
    ty: &str,
    required: bool,
    content_types: &[String],
    file_part: Option<&str>,
) -> String {
    let mut s = content.to_string();
    if !ty.is_empty() {
        s += &format!(" {ty}");
    }
    if let Some(part) = file_part {
        s += &format!(" (file part `{part}`)");
    }
    if !content_types.is_empty() {
        s += &format!(" ({})", content_types.join(", "));
    }
    if !required {
        s += ", optional";
    }
    s
}

// -------------------------------------------------------------------------------- manifest side

fn manifest_shape(a: &Action, unions: &Unions) -> Shape {
    let query_params = a
        .query_params
        .iter()
        .map(|q| {
            let query = Query {
                ty: q.ty.to_string(),
                required: q.required,
                default: q.default.as_ref().map(scalar_text),
                enum_values: Vec::new(),
            };
            (q.name.clone(), query)
        })
        .collect();
    let body = a.body.as_ref().map(|b| match b.content {
        BodyContent::Json => body_text(
            &json_content(b.media_type.as_deref().unwrap_or("application/json")),
            &b.ty
                .as_ref()
                .map(|t| type_text(t, unions, 0))
                .unwrap_or_default(),
            b.required,
            &[],
            None,
        ),
        BodyContent::Multipart => {
            body_text("multipart", "", b.required, &[], b.file_part.as_deref())
        }
        BodyContent::Raw => body_text("raw", "", b.required, &b.content_types, None),
        BodyContent::Text => body_text(
            "text",
            "",
            b.required,
            &[b.media_type.clone().unwrap_or_default()],
            None,
        ),
    });
    let response = match &a.response {
        None => "empty".to_string(),
        Some(r) => match (&r.ty, &r.text) {
            (Some(ty), _) => {
                let others: Vec<&str> = r.text_alternatives.iter().map(String::as_str).collect();
                json_response(&type_text(ty, unions, 0), &others)
            }
            (None, Some(media)) => format!("text {media}"),
            (None, None) => "empty".into(),
        },
    };
    let mut auth: Vec<String> = a
        .accepted_auth()
        .iter()
        .map(|k| k.name().to_owned())
        .collect();
    auth.sort();
    let mut scopes = a.scopes.clone();
    scopes.sort();
    Shape {
        method: a.method.clone(),
        path: a.path.clone(),
        path_params: a
            .path_params
            .iter()
            .map(|p| (p.name.clone(), p.ty.to_string()))
            .collect(),
        query_params,
        fixed_query: a.fixed_query.clone(),
        header_params: a.header_params.iter().map(|h| h.name.clone()).collect(),
        body,
        response,
        status: a.success_status(),
        paginated: a.paginated,
        host_prefix: a.host_prefix.clone(),
        auth,
        scopes,
    }
}

/// The values of each enum model of the manifest, by model name.
fn manifest_enums(m: &Manifest) -> BTreeMap<String, Vec<String>> {
    m.model_files
        .iter()
        .flat_map(|f| &f.value.models)
        .filter_map(|(name, model)| {
            let values = model.enum_values.as_ref()?;
            Some((
                name.clone(),
                values.iter().map(|v| format!("{v:?}")).collect(),
            ))
        })
        .collect()
}

/// A parameter typed with an enum model compares by its values, as a string (or list of
/// strings): the spec writes enums inline or names them differently from the manifest.
fn with_enum_values(shape: &mut Shape, enums: &BTreeMap<String, Vec<String>>) {
    let as_values = |ty: &str| -> Option<(String, Vec<String>)> {
        if let Some(values) = enums.get(ty) {
            return Some(("string".into(), values.clone()));
        }
        let inner = ty.strip_prefix("list<")?.strip_suffix('>')?;
        enums
            .get(inner)
            .map(|values| ("list<string>".into(), values.clone()))
    };
    for q in shape.query_params.values_mut() {
        if let Some((ty, values)) = as_values(&q.ty) {
            q.ty = ty;
            q.enum_values = values;
        }
    }
    for (_, ty) in &mut shape.path_params {
        if let Some((plain, _)) = as_values(ty) {
            *ty = plain;
        }
    }
}

// ---------------------------------------------------------------------------------- comparison

/// Every difference between the manifest and the spec, explained ones included.
pub fn compare(m: &Manifest, spec: &Value) -> Result<Vec<Difference>, String> {
    let SpecOps {
        ops: mut spec_ops,
        auth_kinds,
        enums: spec_enums,
        models: spec_models,
    } = spec_ops(spec)?;
    for op in &mut spec_ops {
        with_enum_values(&mut op.shape, &spec_enums);
    }
    let enums = manifest_enums(m);
    let unions = manifest_unions(m);
    let mut by_id = BTreeMap::new();
    let mut by_route = BTreeMap::new();
    for (i, op) in spec_ops.iter().enumerate() {
        if let Some(id) = &op.operation_id {
            by_id.insert(id.as_str(), i);
        }
        by_route.insert((op.shape.method.clone(), op.shape.path.clone()), i);
    }

    let mut matched = vec![false; spec_ops.len()];
    let mut diffs = Vec::new();
    for file in &m.categories {
        for a in &file.value.actions {
            let key = action_key(a);
            let location = file
                .source
                .action_line(&a.name)
                .map(|line| format!("{}:{line}", file.source.path.display()));
            let mut push = |aspect: &str, detail: String| {
                diffs.push(Difference {
                    action: key.clone(),
                    location: location.clone(),
                    aspect: aspect.to_string(),
                    detail,
                    explained_by: a.spec_overrides.get(aspect).cloned(),
                });
            };
            // An action declared absent from the spec (`spec_overrides.operation`) may share
            // its route with one that is there (per-factor enrollment helpers): match it by
            // operationId only.
            let declared_absent = a.spec_overrides.contains_key(ASPECT_OPERATION);
            let found = match &a.operation_id {
                Some(id) => by_id.get(id.as_str()).copied(),
                None if declared_absent => None,
                None => by_route.get(&(a.method.clone(), a.path.clone())).copied(),
            };
            let Some(i) = found else {
                push(ASPECT_OPERATION, "in the manifest, not in the spec".into());
                continue;
            };
            matched[i] = true;
            let spec = &spec_ops[i];
            if a.operation_id != spec.operation_id {
                push(
                    "operation_id",
                    format!(
                        "manifest {:?}, spec {:?}",
                        a.operation_id, spec.operation_id
                    ),
                );
            }
            let mut ours = manifest_shape(a, &unions);
            // A spec without a scheme for a kind of credentials says nothing about it (Okta's
            // Swagger 2.0 specs define the API token alone).
            ours.auth.retain(|k| auth_kinds.contains(k.as_str()));
            with_enum_values(&mut ours, &enums);
            for (aspect, detail) in compare_shapes(&ours, &spec.shape) {
                push(aspect, detail);
            }
            // An override that explains nothing is stale: the maintainer should drop it.
            for (aspect, reason) in &a.spec_overrides {
                let explains = diffs.iter().any(|d| d.action == key && &d.aspect == aspect);
                if !explains {
                    diffs.push(Difference {
                        action: key.clone(),
                        location: location.clone(),
                        aspect: aspect.clone(),
                        detail: stale(reason),
                        explained_by: None,
                    });
                }
            }
        }
    }
    for (op, seen) in spec_ops.iter().zip(matched) {
        if !seen {
            diffs.push(Difference {
                action: op.key.clone(),
                location: None,
                aspect: ASPECT_OPERATION.into(),
                detail: format!(
                    "in the spec ({} {}), not in the manifest",
                    op.shape.method, op.shape.path
                ),
                explained_by: None,
            });
        }
    }
    compare_models(m, &spec_models, &mut diffs);
    Ok(diffs)
}

/// The fields of every model that the manifest and the spec both have: a field on one side
/// only, or whose type or required-ness differs, is a difference, explained by the field's
/// `spec_overrides` entry of that aspect (`type`, `required`); an entry that explains nothing is
/// stale. Reported as `Model.field`. Models on one side only are not differences here: the
/// actions that reach them are compared above.
fn compare_models(m: &Manifest, spec_models: &SpecModels, diffs: &mut Vec<Difference>) {
    let empty = BTreeMap::new();
    for file in &m.model_files {
        for (name, model) in &file.value.models {
            let Some(spec_model) = spec_models.get(name) else {
                continue;
            };
            let model_line = file.source.model_line(name);
            let ours = model.fields.as_ref().unwrap_or(&empty);
            let theirs = spec_model.fields.as_ref().unwrap_or(&empty);
            let mut push = |field: &str, aspect: &str, detail: String, explained_by| {
                // The field's line where the manifest has it, else the model's.
                let line = model_line
                    .and_then(|l| file.source.key_line(l, field))
                    .or(model_line);
                diffs.push(Difference {
                    action: format!("{name}.{field}"),
                    location: line.map(|line| format!("{}:{line}", file.source.path.display())),
                    aspect: aspect.to_owned(),
                    detail,
                    explained_by,
                });
            };
            for (json, f) in ours {
                let Some(sf) = theirs.get(json) else {
                    push(
                        json,
                        "field",
                        "in the manifest, not in the spec".into(),
                        None,
                    );
                    continue;
                };
                let aspects = [
                    (
                        FIELD_OVERRIDE_TYPE,
                        f.ty != sf.ty,
                        format!("manifest {}, spec {}", f.ty, sf.ty),
                    ),
                    (
                        FIELD_OVERRIDE_REQUIRED,
                        f.required != sf.required,
                        format!(
                            "manifest required: {}, spec required: {}",
                            f.required, sf.required
                        ),
                    ),
                ];
                for (aspect, differs, detail) in aspects {
                    let reason = f.spec_overrides.get(aspect);
                    match (differs, reason) {
                        (true, reason) => push(json, aspect, detail, reason.cloned()),
                        (false, Some(reason)) => push(json, aspect, stale(reason), None),
                        (false, None) => {}
                    }
                }
            }
            for json in theirs.keys().filter(|json| !ours.contains_key(*json)) {
                push(
                    json,
                    "field",
                    "in the spec, not in the manifest".into(),
                    None,
                );
            }
        }
    }
}

/// The detail of an override that explains no difference: the maintainer should drop it.
fn stale(reason: &str) -> String {
    format!("stale spec_overrides entry: the manifest agrees with the spec ({reason})")
}

/// How a report names a manifest action: its operationId, else its Rust method, else its route.
pub fn action_key(a: &Action) -> String {
    a.operation_id
        .clone()
        .or_else(|| a.rust_name.clone())
        .unwrap_or_else(|| format!("{} {}", a.method, a.path))
}

fn compare_shapes(ours: &Shape, spec: &Shape) -> Vec<(&'static str, String)> {
    fn differ<T: fmt::Debug + PartialEq>(
        out: &mut Vec<(&'static str, String)>,
        aspect: &'static str,
        ours: &T,
        spec: &T,
    ) {
        if ours != spec {
            out.push((aspect, format!("manifest {ours:?}, spec {spec:?}")));
        }
    }
    let mut out = Vec::new();
    differ(&mut out, "method", &ours.method, &spec.method);
    differ(&mut out, "path", &ours.path, &spec.path);
    differ(
        &mut out,
        "path_params",
        &ours.path_params,
        &spec.path_params,
    );
    for name in ours
        .query_params
        .keys()
        .chain(spec.query_params.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (ours.query_params.get(name), spec.query_params.get(name)) {
            (Some(o), Some(s)) if o != s => {
                out.push(("query_params", format!("`{name}`: manifest {o}, spec {s}")))
            }
            (Some(_), None) => out.push(("query_params", format!("`{name}` only in the manifest"))),
            (None, Some(_)) => out.push(("query_params", format!("`{name}` only in the spec"))),
            _ => {}
        }
    }
    if ours.fixed_query != spec.fixed_query {
        out.push((
            "query_params",
            format!(
                "fixed query: manifest {:?}, spec {:?}",
                ours.fixed_query, spec.fixed_query
            ),
        ));
    }
    differ(
        &mut out,
        "header_params",
        &ours.header_params,
        &spec.header_params,
    );
    differ(&mut out, "body", &ours.body, &spec.body);
    differ(&mut out, "response", &ours.response, &spec.response);
    differ(&mut out, "status", &ours.status, &spec.status);
    differ(&mut out, "paginated", &ours.paginated, &spec.paginated);
    differ(
        &mut out,
        "host_prefix",
        &ours.host_prefix,
        &spec.host_prefix,
    );
    differ(&mut out, "auth", &ours.auth, &spec.auth);
    let oauth2 = |s: &Shape| {
        s.auth
            .iter()
            .any(|k| k == manifest::AuthKind::Oauth2.name())
    };
    if oauth2(ours) && oauth2(spec) {
        differ(&mut out, "scopes", &ours.scopes, &spec.scopes);
    }
    out
}

// ------------------------------------------------------------------------------------- command

/// Load the manifest in `manifest_dir` and the spec at `spec_path`, and compare them.
pub fn verify(manifest_dir: &Path, spec_path: &Path) -> Result<Vec<Difference>, String> {
    let m = manifest::load(manifest_dir).map_err(|d| d.to_string())?;
    okta_codegen::validate::validate(&m).map_err(|d| d.to_string())?;
    let text =
        std::fs::read_to_string(spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    // JSON is YAML, so one parser reads both spellings of a Swagger file.
    let spec: Value =
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    compare(&m, &spec).map_err(|e| format!("{}: {e}", spec_path.display()))
}

pub fn run(manifest_dir: &Path, spec_path: &Path) -> Result<ExitCode, String> {
    let diffs = match verify(manifest_dir, spec_path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let (explained, unexplained): (Vec<_>, Vec<_>) =
        diffs.iter().partition(|d| d.explained_by.is_some());
    if !explained.is_empty() {
        outln!("Deliberate differences (spec_overrides):");
        for d in &explained {
            outln!("  {d}");
        }
    }
    if !unexplained.is_empty() {
        outln!("Differences:");
        for d in &unexplained {
            outln!("  {d}");
        }
    }
    outln!(
        "{} difference(s), {} explained by spec_overrides, {} unexplained",
        diffs.len(),
        explained.len(),
        unexplained.len()
    );
    Ok(if unexplained.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
