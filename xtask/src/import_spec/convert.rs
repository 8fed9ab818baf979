//! An OpenAPI 3.0 document turned into manifest entries: one `manifest::Action` per operation
//! and one `manifest::Model` per schema the operations reach, with names for the anonymous ones.
//! The operations of `x-webhooks` (the inline hooks Okta calls a customer's service with) give
//! models only: their request bodies and 2xx answers, named as an operation's are.
//!
//! This is the one reading of the spec: `import-spec` merges its output into the manifest, and
//! `verify-spec` compares the manifest with it, so the two can never disagree about what the
//! spec says.
//!
//! Schemas become manifest types this way:
//! - `$ref` to a component: the component's model (a scalar, list or `allOf: [one $ref]`
//!   component is inlined as its type instead);
//! - `allOf` of one `$ref` and parts that only annotate it (a description, `readOnly`, ...): the
//!   referenced type;
//! - `type: object` with `properties` or `allOf`: an object model (`allOf`'s first object
//!   reference becomes `parent`, the other parts' properties are merged in); a required property
//!   that is `readOnly` or `writeOnly` is required only where its model travels one way;
//! - a `discriminator` with a `mapping` whose targets extend the schema: a family (a target that
//!   only restates the schema: a variant with no fields of its own);
//! - `oneOf` / `anyOf`: a union (`one_of`, with `discriminator` and `mapping` when given);
//! - a string `enum`: an enum model; `additionalProperties` alone: `map<T>`, or `json` when it
//!   declares nothing (`{}`, `{type: object, properties: {}}`); an object with nothing declared:
//!   `json`; arrays: `list<T>`; scalars by `type` and `format`.
//!
//! An anonymous object, enum or union gets a name from where it is: the model and field
//! (`UserProfile` + `type` -> `UserProfileType`), the operation (`CreateGroupRequest`,
//! `ListRolesResponse`, `ListUsersStatus` for a parameter), or the union and branch
//! (`RoleVariant2`); a taken name gets a number. Component names always win.

use std::collections::{BTreeMap, BTreeSet};

use okta_codegen::manifest::{
    self, Action, AuthKind, Body, BodyContent, Field, HeaderParam, Lifecycle, Model, PathParam,
    QueryParam, Response, Type,
};
use okta_codegen::names;
use serde_yaml::Value;

use crate::verify_spec::Security;

use super::document::{child, resolve, schema_ref_name, str_of, SpecError};

/// The HTTP methods of a path item, in the order the importer lists an item's operations.
const METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// How deep `allOf` parts may nest inside one another.
const MAX_ALLOF_DEPTH: usize = 8;

/// The note of an action Okta marks `deprecated: true` without saying more.
pub const DEPRECATED_NOTE: &str = "Okta deprecates this operation.";

/// Every operation and the models they reach.
#[derive(Debug, Default)]
pub struct Converted {
    /// In the spec's order of paths, then [`METHODS`].
    pub actions: Vec<SpecAction>,
    /// The spec's `x-webhooks`, in its order, then [`METHODS`].
    pub webhooks: Vec<SpecWebhook>,
    pub models: BTreeMap<String, Model>,
    /// The tag of the first operation that reached each model (to file new models beside it).
    pub model_tags: BTreeMap<String, String>,
    /// What the manifest cannot carry and was left out (a cookie parameter, a header the client
    /// sets itself), one line each.
    pub notes: Vec<String>,
    /// The spec's `info.version`.
    pub version: String,
}

/// One operation as a manifest action (its `name` is a display name made from `summary`).
#[derive(Debug, Clone)]
pub struct SpecAction {
    pub action: Action,
    /// Okta's tag (the first of the operation's `tags`).
    pub tag: Option<String>,
    /// Where the operation is in the spec.
    pub pointer: String,
}

impl SpecAction {
    /// The operationId ("" for an operation without one).
    pub fn operation_id(&self) -> &str {
        self.action.operation_id.as_deref().unwrap_or_default()
    }

    /// How reports name the operation: its operationId, else its method and path.
    pub fn key(&self) -> String {
        match &self.action.operation_id {
            Some(id) => id.clone(),
            None => format!("{} {}", self.action.method, self.action.path),
        }
    }
}

/// One operation of the spec's `x-webhooks`: a call Okta makes to the customer's service (an
/// inline hook). No action: its request body and the answers Okta expects are models only, so
/// a service that handles the hook decodes and answers it with the generated types.
#[derive(Debug, Clone)]
pub struct SpecWebhook {
    /// The webhook's key in `x-webhooks` (`create-token-hook`).
    pub name: String,
    /// Upper case (`POST`).
    pub method: String,
    /// Its `operationId` (any text: Okta writes `create-registration-hook`), which names its
    /// anonymous models; without one, the name does.
    pub operation_id: Option<String>,
    /// Okta's tag (the first of the operation's `tags`).
    pub tag: Option<String>,
    /// Where the operation is in the spec.
    pub pointer: String,
    /// The JSON body Okta sends, when it has one.
    pub request: Option<Type>,
    /// The JSON answers Okta expects back, by 2xx status (a 204 has none).
    pub responses: Vec<(u16, Type)>,
}

impl SpecWebhook {
    /// Every model type the webhook names (its request, then its responses).
    pub fn types(&self) -> impl Iterator<Item = &Type> {
        self.request
            .iter()
            .chain(self.responses.iter().map(|(_, t)| t))
    }
}

/// Convert the whole document.
pub fn convert(root: &Value) -> Result<Converted, SpecError> {
    let mut cx = Converter::new(root)?;
    let paths = root
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or_else(|| SpecError::new("#", "no `paths`"))?;
    let mut actions = Vec::new();
    let mut seen_ids = BTreeMap::new();
    for (path, item) in paths {
        let path_text = path
            .as_str()
            .ok_or_else(|| SpecError::new("#/paths", "a path is not a string"))?;
        let item_ptr = child("#/paths", path_text);
        let (item, item_ptr) = resolve(root, item, &item_ptr)?;
        if !item.is_mapping() {
            return Err(SpecError::new(&item_ptr, "a path item is not a mapping"));
        }
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let op_ptr = child(&item_ptr, method);
            let action = cx.operation(path_text, method, item, &item_ptr, op, &op_ptr)?;
            let id = action.action.operation_id.clone();
            if let Some(first) = id.and_then(|id| seen_ids.insert(id, op_ptr.clone())) {
                return Err(SpecError::new(
                    &op_ptr,
                    format!(
                        "operationId `{}` is also the id of {first}",
                        action.operation_id()
                    ),
                ));
            }
            actions.push(action);
        }
    }
    for a in &mut actions {
        cx.body_paging(a);
    }
    // After every operation: a model an action reaches keeps the name and file it has without
    // webhooks, and the names of the webhooks' own anonymous models never take an action's.
    let webhooks = cx.webhooks()?;
    cx.unions_of_loose_families();
    // An anonymous model a union made above no longer reaches (the enum of its discriminator
    // field) is no model of the spec's; component schemas all stay.
    let mut roots = Vec::new();
    for ty in actions
        .iter()
        .flat_map(|a| action_types(&a.action))
        .chain(webhooks.iter().flat_map(|w| w.types().cloned()))
    {
        collect_models(&ty, &mut roots);
    }
    roots.extend(cx.component_models.iter().cloned());
    let reached = closure(&cx.models, roots);
    cx.models.retain(|name, _| reached.contains(name));
    cx.check_parent_cycles()?;
    cx.require_one_way_fields(&actions);
    cx.box_self_containing();
    Ok(Converted {
        actions,
        webhooks,
        models: cx.models,
        model_tags: cx.model_tags,
        notes: cx.notes,
        version: root
            .get("info")
            .and_then(|i| str_of(i, "version"))
            .unwrap_or_default()
            .to_owned(),
    })
}

/// What a component schema is in the manifest: a model of its own, or just a type.
#[derive(Debug, Clone)]
enum Component {
    Model(String),
    Alias(Type),
}

struct Converter<'a> {
    root: &'a Value,
    /// The spec's security schemes, as kinds of credentials.
    security: Security<'a>,
    schemas: Option<&'a serde_yaml::Mapping>,
    /// Component schema name -> model name, decided up front so component names always win.
    component_names: BTreeMap<String, String>,
    converted: BTreeMap<String, Component>,
    /// Components being converted (a component that is its own type is an error).
    in_progress: BTreeSet<String>,
    models: BTreeMap<String, Model>,
    model_tags: BTreeMap<String, String>,
    notes: Vec<String>,
    /// The tag of the operation being converted.
    tag: Option<String>,
    /// The model names of component schemas (final, unlike an anonymous model's name while it
    /// is converted).
    component_models: BTreeSet<String>,
    /// Fields of component models that the spec requires but that go one way only: `readOnly`
    /// (Okta sets them: absent from requests) or `writeOnly` (secrets Okta takes: absent from
    /// answers). Written not required; required again when the model goes only that way.
    one_way: BTreeMap<(String, String), Way>,
    /// Schemas with a discriminator whose mapping names models that do not extend them:
    /// (schema's model, discriminator, value -> model); see `unions_of_loose_families`.
    loose_families: Vec<(String, String, BTreeMap<String, String>)>,
    /// Schemas that are copies of a family (see `object_model`): model name -> the family.
    family_copies: BTreeMap<String, String>,
}

/// Which way a field of a model travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// In Okta's answers only (`readOnly`).
    Answer,
    /// In requests only (`writeOnly`).
    Request,
}

impl<'a> Converter<'a> {
    fn new(root: &'a Value) -> Result<Converter<'a>, SpecError> {
        let schemas = root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_mapping);
        let mut component_names = BTreeMap::new();
        let mut taken = BTreeSet::new();
        for name in schemas.into_iter().flat_map(|s| s.keys()) {
            let name = name.as_str().ok_or_else(|| {
                SpecError::new("#/components/schemas", "a schema name is not a string")
            })?;
            let base = if names::is_model_name(name) {
                name.to_owned()
            } else {
                names::camel_ident(name).ok_or_else(|| {
                    SpecError::new(
                        &child("#/components/schemas", name),
                        format!("schema name `{name}` gives no Rust type name"),
                    )
                })?
            };
            let mut model = base.clone();
            let mut n = 2;
            while !taken.insert(model.clone()) {
                model = format!("{base}{n}");
                n += 1;
            }
            component_names.insert(name.to_owned(), model);
        }
        let schemes = root
            .get("components")
            .and_then(|c| c.get("securitySchemes"));
        let security = Security::new(root, schemes)
            .map_err(|m| SpecError::new("#/components/securitySchemes", m))?;
        Ok(Converter {
            root,
            security,
            schemas,
            component_models: component_names.values().cloned().collect(),
            component_names,
            converted: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            models: BTreeMap::new(),
            model_tags: BTreeMap::new(),
            notes: Vec::new(),
            tag: None,
            one_way: BTreeMap::new(),
            loose_families: Vec::new(),
            family_copies: BTreeMap::new(),
        })
    }

    // ------------------------------------------------------------------------- operations

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a Value,
        item_ptr: &str,
        op: &'a Value,
        op_ptr: &str,
    ) -> Result<SpecAction, SpecError> {
        // An operation without an id gets none in the manifest either (the maintainer names its
        // method with `rust_name`); anonymous models are then named after its route.
        let id = str_of(op, "operationId").map(str::to_owned);
        if let Some(id) = &id {
            names::check_operation_id(id).map_err(|m| SpecError::new(op_ptr, m))?;
        }
        let camel = names::camel_part(id.as_deref().unwrap_or(&format!("{method} {path}")));
        self.tag = op
            .get("tags")
            .and_then(Value::as_sequence)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut action = Action {
            name: display_name(
                str_of(op, "summary"),
                id.as_deref().unwrap_or(&format!("{method} {path}")),
            ),
            operation_id: id.clone(),
            okta_tag: None,
            okta_operation: None,
            rust_name: None,
            previous_names: Vec::new(),
            description: description(op),
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            path_params: Vec::new(),
            query_params: Vec::new(),
            fixed_query: BTreeMap::new(),
            header_params: Vec::new(),
            body: None,
            response: None,
            paginated: false,
            page_items: None,
            lifecycle: Lifecycle::Ga,
            skus: Vec::new(),
            deprecated: None,
            spec_overrides: BTreeMap::new(),
            host_prefix: None,
            auth: None,
            scopes: Vec::new(),
        };
        self.parameters(&mut action, &camel, item, item_ptr, op, op_ptr)?;
        if let Some(body) = op.get("requestBody") {
            action.body = Some(self.request_body(body, &child(op_ptr, "requestBody"), &camel)?);
        }
        action.response = self.response(op, op_ptr, &camel)?;
        action.paginated = action.method == "GET"
            && matches!(
                action.response.as_ref().and_then(|r| r.ty.as_ref()),
                Some(Type::List(_))
            )
            && action
                .query_params
                .iter()
                .any(|q| q.name == "after" || q.name == "limit");
        self.lifecycle(&mut action, op, op_ptr)?;
        self.security(&mut action, op, op_ptr)?;
        action.host_prefix = host_prefix(op, op_ptr)?;
        Ok(SpecAction {
            action,
            tag: self.tag.clone(),
            pointer: op_ptr.to_owned(),
        })
    }

    fn parameters(
        &mut self,
        action: &mut Action,
        camel: &str,
        item: &'a Value,
        item_ptr: &str,
        op: &'a Value,
        op_ptr: &str,
    ) -> Result<(), SpecError> {
        // Path-level parameters, replaced by an operation's own of the same name and place.
        let mut params: Vec<(String, String, &Value, String)> = Vec::new();
        for (list, ptr) in [(item, item_ptr), (op, op_ptr)] {
            let Some(seq) = list.get("parameters") else {
                continue;
            };
            let ptr = child(ptr, "parameters");
            let seq = seq
                .as_sequence()
                .ok_or_else(|| SpecError::new(&ptr, "`parameters` is not a list"))?;
            for (i, p) in seq.iter().enumerate() {
                let (p, p_ptr) = resolve(self.root, p, &child(&ptr, &i.to_string()))?;
                let name = str_of(p, "name")
                    .ok_or_else(|| SpecError::new(&p_ptr, "a parameter without `name`"))?;
                let place = str_of(p, "in")
                    .ok_or_else(|| SpecError::new(&p_ptr, "a parameter without `in`"))?;
                params.retain(|(n, w, _, _)| !(n == name && w == place));
                params.push((name.to_owned(), place.to_owned(), p, p_ptr));
            }
        }
        let mut path_types = BTreeMap::new();
        for (name, place, p, p_ptr) in params {
            let schema_ptr = child(&p_ptr, "schema");
            let schema = p.get("schema");
            let description = str_of(p, "description").map(clean_text);
            let hint = names::camel_part(&name);
            match place.as_str() {
                "path" => {
                    let schema = schema.ok_or_else(|| {
                        SpecError::new(&p_ptr, "a path parameter without `schema`")
                    })?;
                    let ty = self.param_type(schema, &schema_ptr, &hint, camel)?;
                    path_types.insert(name.clone(), (ty, description));
                }
                "query" => {
                    let schema = schema.ok_or_else(|| {
                        SpecError::new(&p_ptr, "a query parameter without `schema`")
                    })?;
                    let ty = self.param_type(schema, &schema_ptr, &hint, camel)?;
                    let (resolved, _) = resolve(self.root, schema, &schema_ptr)?;
                    let default = resolved
                        .get("default")
                        .filter(|d| !d.is_mapping() && !d.is_sequence() && !d.is_null())
                        .cloned();
                    action.query_params.push(QueryParam {
                        name,
                        ty,
                        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        default,
                        description,
                        rust_name: None,
                    });
                }
                "header" => {
                    let lower = name.to_ascii_lowercase();
                    if names::CLIENT_HEADERS.contains(&lower.as_str())
                        && !names::FORWARDED_HEADERS.contains(&lower.as_str())
                    {
                        self.notes.push(format!(
                            "{}: header parameter `{name}` left out (the client sets it)",
                            crate::verify_spec::action_key(action)
                        ));
                        continue;
                    }
                    action.header_params.push(HeaderParam {
                        name,
                        description,
                        rust_name: None,
                    });
                }
                other => self.notes.push(format!(
                    "{}: {other} parameter `{name}` left out (the manifest has no {other} parameters)",
                    crate::verify_spec::action_key(action)
                )),
            }
        }
        for placeholder in names::path_placeholders(&action.path) {
            let (ty, description) = path_types.remove(placeholder).ok_or_else(|| {
                SpecError::new(
                    op_ptr,
                    format!("path parameter `{placeholder}` is not declared"),
                )
            })?;
            action.path_params.push(PathParam {
                name: placeholder.to_owned(),
                ty,
                description,
            });
        }
        if let Some(extra) = path_types.keys().next() {
            return Err(SpecError::new(
                op_ptr,
                format!("path parameter `{extra}` is not in the path"),
            ));
        }
        Ok(())
    }

    /// A parameter's type: a scalar, an enum, or a list of either. Anything else (a union of
    /// scalars, an object) travels as a string, which is how Okta reads it.
    fn param_type(
        &mut self,
        schema: &'a Value,
        ptr: &str,
        hint: &str,
        camel: &str,
    ) -> Result<Type, SpecError> {
        let (resolved, at) = resolve(self.root, schema, ptr)?;
        if str_of(resolved, "type") == Some("array") {
            let items = resolved
                .get("items")
                .ok_or_else(|| SpecError::new(&at, "an array without `items`"))?;
            let inner = self.param_type(items, &child(&at, "items"), hint, camel)?;
            return Ok(match inner {
                Type::List(_) => Type::String,
                other => Type::List(Box::new(other)),
            });
        }
        if is_string_enum(resolved) {
            // A named enum keeps its name; an inline one is named after the parameter (or
            // after the operation and parameter when that name is taken by another enum).
            if schema.get("$ref").is_some() {
                return self.schema_type(schema, ptr, hint);
            }
            let model = enum_model(resolved);
            let name = self.claim(&format!("{camel}{hint}"), &model, None);
            return Ok(Type::Model(name));
        }
        match self.schema_type(schema, ptr, hint)? {
            t
            @ (Type::String | Type::I32 | Type::I64 | Type::F64 | Type::Bool | Type::DateTime) => {
                Ok(t)
            }
            Type::Model(m) if self.models.get(&m).is_some_and(|m| m.enum_values.is_some()) => {
                Ok(Type::Model(m))
            }
            _ => Ok(Type::String),
        }
    }

    fn request_body(&mut self, body: &'a Value, ptr: &str, camel: &str) -> Result<Body, SpecError> {
        let (body, ptr) = resolve(self.root, body, ptr)?;
        let required = body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let description = str_of(body, "description").map(clean_text);
        let content = body
            .get("content")
            .and_then(Value::as_mapping)
            .ok_or_else(|| SpecError::new(&ptr, "a request body without `content`"))?;
        let content_ptr = child(&ptr, "content");
        let media: Vec<&str> = content.keys().filter_map(Value::as_str).collect();
        let mut out = Body {
            ty: None,
            required,
            content: BodyContent::Json,
            file_part: None,
            content_types: Vec::new(),
            media_type: None,
            description,
        };
        if let Some(json) = json_media(&media) {
            let schema_ptr = child(&child(&content_ptr, json), "schema");
            let schema = content[json]
                .get("schema")
                .ok_or_else(|| SpecError::new(&schema_ptr, "a JSON body without `schema`"))?;
            out.ty = Some(self.schema_type(schema, &schema_ptr, &format!("{camel}Request"))?);
            if json != "application/json" {
                out.media_type = Some(json.to_owned());
            }
            return Ok(out);
        }
        if let Some(form) = media.iter().find(|m| **m == "multipart/form-data") {
            let schema_ptr = child(&child(&content_ptr, form), "schema");
            let schema = content[*form].get("schema").unwrap_or(&Value::Null);
            let (schema, at) = resolve(self.root, schema, &schema_ptr)?;
            let part = schema
                .get("properties")
                .and_then(Value::as_mapping)
                .and_then(|props| {
                    props.iter().find_map(|(name, p)| {
                        (str_of(p, "format") == Some("binary")).then(|| name.as_str())?
                    })
                })
                .ok_or_else(|| SpecError::new(&at, "a multipart body without a binary part"))?;
            out.content = BodyContent::Multipart;
            out.file_part = Some(part.to_owned());
            // A form whose schema requires its file cannot be sent without it, whatever the
            // body's own `required` says (Okta leaves that out on its uploads).
            let part_required = schema
                .get("required")
                .and_then(Value::as_sequence)
                .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(part)));
            out.required |= part_required;
            return Ok(out);
        }
        // One non-JSON media type whose schema is a string: text (a signed token).
        if let [only] = media.as_slice() {
            let schema = content[*only].get("schema").unwrap_or(&Value::Null);
            let (schema, _) = resolve(self.root, schema, &content_ptr)?;
            if str_of(schema, "type") == Some("string")
                && str_of(schema, "format") != Some("binary")
            {
                out.content = BodyContent::Text;
                out.media_type = Some((*only).to_owned());
                return Ok(out);
            }
        }
        out.content = BodyContent::Raw;
        out.content_types = media.iter().map(|m| (*m).to_owned()).collect();
        Ok(out)
    }

    fn response(
        &mut self,
        op: &'a Value,
        op_ptr: &str,
        camel: &str,
    ) -> Result<Option<Response>, SpecError> {
        let responses_ptr = child(op_ptr, "responses");
        let responses = op
            .get("responses")
            .and_then(Value::as_mapping)
            .ok_or_else(|| SpecError::new(op_ptr, "an operation without `responses`"))?;
        // The lowest 2xx; an operation Okta retired to a redirect has only a 3xx.
        let mut success: Option<(u16, &Value, String)> = None;
        for (code, resp) in responses {
            let code_text = match code {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let Ok(status) = code_text.parse::<u16>() else {
                continue;
            };
            if (200..400).contains(&status) && success.as_ref().is_none_or(|(s, _, _)| status < *s)
            {
                success = Some((status, resp, child(&responses_ptr, &code_text)));
            }
        }
        let (status, resp, ptr) = success
            .ok_or_else(|| SpecError::new(&responses_ptr, "no success response (2xx or 3xx)"))?;
        let (resp, ptr) = resolve(self.root, resp, &ptr)?;
        let content = resp.get("content").and_then(Value::as_mapping);
        let media: Vec<&str> = content
            .into_iter()
            .flat_map(|c| c.keys())
            .filter_map(Value::as_str)
            .collect();
        let mut out = Response {
            ty: None,
            text: None,
            status,
            text_alternatives: Vec::new(),
        };
        match json_media(&media) {
            Some(json) => {
                let content_ptr = child(&child(&ptr, "content"), json);
                if let Some(schema) = content.and_then(|c| c[json].get("schema")) {
                    out.ty = Some(self.schema_type(
                        schema,
                        &child(&content_ptr, "schema"),
                        &format!("{camel}Response"),
                    )?);
                }
                out.text_alternatives = media
                    .iter()
                    .filter(|m| !manifest::is_json_media_type(m))
                    .map(|m| (*m).to_owned())
                    .collect();
            }
            None => out.text = media.first().map(|m| (*m).to_owned()),
        }
        if out.ty.is_none() && out.text.is_none() && status == manifest::NO_CONTENT_STATUS {
            return Ok(None);
        }
        Ok(Some(out))
    }

    fn lifecycle(
        &mut self,
        action: &mut Action,
        op: &Value,
        op_ptr: &str,
    ) -> Result<(), SpecError> {
        if op.get("deprecated").and_then(Value::as_bool) == Some(true) {
            action.deprecated = Some(DEPRECATED_NOTE.to_owned());
        }
        let Some(lc) = op.get("x-okta-lifecycle") else {
            return Ok(());
        };
        let ptr = child(op_ptr, "x-okta-lifecycle");
        action.lifecycle = match str_of(lc, "lifecycle") {
            None | Some("GA") => Lifecycle::Ga,
            Some("LIMITED_GA") => Lifecycle::LimitedGa,
            Some("EA") => Lifecycle::Ea,
            Some("BETA") => Lifecycle::Beta,
            Some(other) => {
                return Err(SpecError::new(
                    &ptr,
                    format!("lifecycle `{other}` is none of GA, LIMITED_GA, EA, BETA"),
                ))
            }
        };
        if let Some(skus) = lc.get("SKUs").and_then(Value::as_sequence) {
            action.skus = skus
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        Ok(())
    }

    /// `security`: which credentials the operation takes (the manifest's default is both kinds
    /// Okta offers) and the OAuth scopes it needs, read by the rule `verify-spec` reads Swagger
    /// 2.0 with (`verify_spec::Security`).
    fn security(&mut self, action: &mut Action, op: &Value, op_ptr: &str) -> Result<(), SpecError> {
        let (kinds, scopes) = self
            .security
            .of(op)
            .map_err(|m| SpecError::new(&child(op_ptr, "security"), m))?;
        let kinds: Vec<AuthKind> = kinds
            .iter()
            .filter_map(|k| {
                [AuthKind::ApiToken, AuthKind::Oauth2]
                    .into_iter()
                    .find(|kind| kind.name() == k)
            })
            .collect();
        if kinds != manifest::DEFAULT_AUTH {
            action.auth = Some(kinds);
        }
        action.scopes = scopes;
        Ok(())
    }

    /// A list the response pages in its body: a GET answering an object with one list field and
    /// `_links.next` (the manifest's `page_items`).
    fn body_paging(&self, a: &mut SpecAction) {
        let action = &mut a.action;
        if action.method != "GET" || action.paginated {
            return;
        }
        let Some(Type::Model(page)) = action.response.as_ref().and_then(|r| r.ty.as_ref()) else {
            return;
        };
        let fields = self.all_fields(page);
        let links_have_next = fields.iter().any(|(name, f)| {
            *name == "_links"
                && matches!(&f.ty, Type::Model(l) if self.all_fields(l).iter().any(|(n, _)| *n == "next"))
        });
        let lists: Vec<&str> = fields
            .iter()
            .filter(|(_, f)| matches!(f.ty, Type::List(_)))
            .map(|(n, _)| n.as_str())
            .collect();
        if let (true, [items]) = (links_have_next, lists.as_slice()) {
            action.page_items = Some((*items).to_owned());
        }
    }

    /// A model's fields, its parents' included (nearest wins).
    fn all_fields(&self, model: &str) -> Vec<(&String, &Field)> {
        let mut out: Vec<(&String, &Field)> = Vec::new();
        let mut current = Some(model);
        for _ in 0..names::MAX_PARENT_DEPTH {
            let Some(m) = current.and_then(|n| self.models.get(n)) else {
                break;
            };
            for (name, f) in m.fields.iter().flatten() {
                if !out.iter().any(|(n, _)| *n == name) {
                    out.push((name, f));
                }
            }
            current = m.parent.as_deref();
        }
        out
    }

    // ---------------------------------------------------------------------------- webhooks

    /// The spec's `x-webhooks` (a mapping of names to path items, as OpenAPI 3.1's `webhooks`):
    /// each operation's request body and 2xx answers become models, named as an operation's
    /// (`{OperationId}Request`, `{OperationId}Response`), filed by the operation's tag.
    fn webhooks(&mut self) -> Result<Vec<SpecWebhook>, SpecError> {
        const AT: &str = "#/x-webhooks";
        let Some(hooks) = self.root.get("x-webhooks") else {
            return Ok(Vec::new());
        };
        let hooks = hooks.as_mapping().ok_or_else(|| {
            SpecError::new(
                AT,
                "`x-webhooks` is not a mapping (webhook name -> path item)",
            )
        })?;
        let mut out = Vec::new();
        for (name, item) in hooks {
            let name = name
                .as_str()
                .ok_or_else(|| SpecError::new(AT, "a webhook name is not a string"))?;
            let (item, item_ptr) = resolve(self.root, item, &child(AT, name))?;
            if !item.is_mapping() {
                return Err(SpecError::new(
                    &item_ptr,
                    "a webhook is not a mapping (a path item: method -> operation)",
                ));
            }
            let before = out.len();
            for method in METHODS {
                if let Some(op) = item.get(*method) {
                    out.push(self.webhook(name, method, op, &child(&item_ptr, method))?);
                }
            }
            if out.len() == before {
                return Err(SpecError::new(
                    &item_ptr,
                    format!(
                        "webhook `{name}` has no operation (one of {})",
                        METHODS.join(", ")
                    ),
                ));
            }
        }
        Ok(out)
    }

    fn webhook(
        &mut self,
        name: &str,
        method: &str,
        op: &'a Value,
        op_ptr: &str,
    ) -> Result<SpecWebhook, SpecError> {
        if !op.is_mapping() {
            return Err(SpecError::new(
                op_ptr,
                "a webhook operation is not a mapping",
            ));
        }
        // Not an action's id (Okta writes `create-registration-hook`): only names models.
        let id = str_of(op, "operationId");
        let camel = names::camel_part(id.unwrap_or(name));
        if !names::is_model_name(&format!("{camel}Request")) {
            return Err(SpecError::new(
                op_ptr,
                format!(
                    "webhook `{}` gives no Rust type name for its models",
                    id.unwrap_or(name)
                ),
            ));
        }
        self.tag = op
            .get("tags")
            .and_then(Value::as_sequence)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .map(str::to_owned);
        let request = match op.get("requestBody") {
            Some(body) => {
                self.request_body(body, &child(op_ptr, "requestBody"), &camel)?
                    .ty
            }
            None => None,
        };
        let responses_ptr = child(op_ptr, "responses");
        let responses = op
            .get("responses")
            .and_then(Value::as_mapping)
            .ok_or_else(|| SpecError::new(op_ptr, "a webhook operation without `responses`"))?;
        let mut answers = Vec::new();
        for (code, resp) in responses {
            let code_text = match code {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let Some(status) = code_text
                .parse::<u16>()
                .ok()
                .filter(|s| (200..300).contains(s))
            else {
                continue;
            };
            let (resp, ptr) = resolve(self.root, resp, &child(&responses_ptr, &code_text))?;
            let content = resp.get("content").and_then(Value::as_mapping);
            let media: Vec<&str> = content
                .into_iter()
                .flat_map(|c| c.keys())
                .filter_map(Value::as_str)
                .collect();
            let Some(json) = json_media(&media) else {
                continue;
            };
            let Some(schema) = content.and_then(|c| c[json].get("schema")) else {
                continue;
            };
            let schema_ptr = child(&child(&child(&ptr, "content"), json), "schema");
            let ty = self.schema_type(schema, &schema_ptr, &format!("{camel}Response"))?;
            answers.push((status, ty));
        }
        answers.sort_by_key(|(status, _)| *status);
        Ok(SpecWebhook {
            name: name.to_owned(),
            method: method.to_ascii_uppercase(),
            operation_id: id.map(str::to_owned),
            tag: self.tag.clone(),
            pointer: op_ptr.to_owned(),
            request,
            responses: answers,
        })
    }

    // ---------------------------------------------------------------------------- schemas

    /// The manifest type of a schema at `ptr`; an anonymous model it needs is named `hint`.
    fn schema_type(&mut self, schema: &'a Value, ptr: &str, hint: &str) -> Result<Type, SpecError> {
        if let Some(reference) = schema.get("$ref") {
            let reference = reference
                .as_str()
                .ok_or_else(|| SpecError::new(ptr, "`$ref` is not a string"))?;
            if let Some(name) = schema_ref_name(reference) {
                return self.component(name, ptr);
            }
            let (target, at) = resolve(self.root, schema, ptr)?;
            return self.schema_type(target, &at, hint);
        }
        if !schema.is_mapping() {
            return Err(SpecError::new(ptr, "a schema is not a mapping"));
        }
        // `allOf: [$ref, {description: ...}]` is a described reference: the referenced type.
        if let Some((i, only)) = described_part(schema) {
            return self.schema_type(only, &child(&child(ptr, "allOf"), &i.to_string()), hint);
        }
        if let Some(ty) = scalar_union(schema) {
            return Ok(ty);
        }
        if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            let model = self.union_model(schema, ptr, hint)?;
            // Branches that are one Rust type (a date-time and a string) are that type.
            if let Some([only]) = model.one_of.as_deref() {
                return Ok(only.clone());
            }
            return Ok(Type::Model(self.claim(hint, &model, None)));
        }
        if is_string_enum(schema) {
            return Ok(Type::Model(self.claim(hint, &enum_model(schema), None)));
        }
        match str_of(schema, "type") {
            Some("array") => match schema.get("items") {
                Some(items) => Ok(Type::List(Box::new(self.schema_type(
                    items,
                    &child(ptr, "items"),
                    hint,
                )?))),
                // OpenAPI requires `items`; Okta leaves it out where any JSON may be listed.
                None => Ok(Type::List(Box::new(Type::Json))),
            },
            Some("string") => Ok(match str_of(schema, "format") {
                Some("date-time") => Type::DateTime,
                _ => Type::String,
            }),
            Some("integer") => Ok(match str_of(schema, "format") {
                Some("int64") => Type::I64,
                _ => Type::I32,
            }),
            Some("number") => Ok(Type::F64),
            Some("boolean") => Ok(Type::Bool),
            Some("object") | None => {
                let declares = schema.get("properties").is_some()
                    || schema.get("allOf").is_some()
                    || schema.get("discriminator").is_some();
                if declares {
                    let model = self.object_model(schema, ptr, hint)?;
                    return Ok(Type::Model(self.claim(hint, &model, None)));
                }
                match schema.get("additionalProperties") {
                    Some(inner) if inner.is_mapping() && !takes_any_value(inner) => {
                        Ok(Type::Map(Box::new(self.schema_type(
                            inner,
                            &child(ptr, "additionalProperties"),
                            hint,
                        )?)))
                    }
                    _ => Ok(Type::Json),
                }
            }
            Some(other) => Err(SpecError::new(
                ptr,
                format!("unknown schema type `{other}`"),
            )),
        }
    }

    /// The type of component schema `name`, converting it the first time.
    fn component(&mut self, name: &str, ptr: &str) -> Result<Type, SpecError> {
        if let Some(done) = self.converted.get(name) {
            let ty = match done {
                Component::Model(m) => Type::Model(m.clone()),
                Component::Alias(t) => t.clone(),
            };
            self.tag_reach(&ty);
            return Ok(ty);
        }
        let at = format!("#/components/schemas/{name}");
        let schema = self
            .schemas
            .and_then(|s| s.get(name))
            .ok_or_else(|| SpecError::new(ptr, format!("`$ref: {at}` points at nothing")))?;
        let model_name = self.component_names[name].clone();
        if let Some(ty) = scalar_union(schema) {
            self.converted
                .insert(name.to_owned(), Component::Alias(ty.clone()));
            return Ok(ty);
        }
        if !is_model_schema(schema) {
            // A scalar, a list or a described reference: used as its type wherever it appears.
            if !self.in_progress.insert(name.to_owned()) {
                return Err(SpecError::new(
                    &at,
                    format!("schema `{name}` is defined in terms of itself"),
                ));
            }
            let ty = self.schema_type(schema, &at, &model_name);
            self.in_progress.remove(name);
            let ty = ty?;
            self.converted
                .insert(name.to_owned(), Component::Alias(ty.clone()));
            return Ok(ty);
        }
        // Registered before its fields are converted: a model may contain itself.
        self.converted
            .insert(name.to_owned(), Component::Model(model_name.clone()));
        let model = if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            self.union_model(schema, &at, &model_name)?
        } else if is_string_enum(schema) {
            enum_model(schema)
        } else if str_of(schema, "type") == Some("object")
            && schema.get("properties").is_none()
            && schema.get("allOf").is_none()
            && schema.get("discriminator").is_none()
            && schema
                .get("additionalProperties")
                .is_some_and(|a| a.is_mapping() && !takes_any_value(a))
        {
            let inner = self.schema_type(
                &schema["additionalProperties"],
                &child(&at, "additionalProperties"),
                &format!("{model_name}Value"),
            )?;
            Model {
                description: description(schema),
                map: Some(inner),
                ..empty_model()
            }
        } else {
            self.object_model(schema, &at, &model_name)?
        };
        if let Some(family) = self.family_copies.remove(&model_name) {
            // A copy of a family (see `object_model`): the family itself wherever it is used.
            let ty = Type::Model(family);
            self.converted
                .insert(name.to_owned(), Component::Alias(ty.clone()));
            self.tag_reach(&ty);
            return Ok(ty);
        }
        self.models.insert(model_name.clone(), model);
        let ty = Type::Model(model_name);
        self.tag_reach(&ty);
        Ok(ty)
    }

    fn tag_reach(&mut self, ty: &Type) {
        if let (Type::Model(m), Some(tag)) = (ty, &self.tag) {
            self.model_tags
                .entry(m.clone())
                .or_insert_with(|| tag.clone());
        }
    }

    fn object_model(
        &mut self,
        schema: &'a Value,
        ptr: &str,
        name: &str,
    ) -> Result<Model, SpecError> {
        let mut model = Model {
            description: description(schema),
            fields: Some(BTreeMap::new()),
            ..empty_model()
        };
        let mut parts: Vec<(&'a Value, String)> = Vec::new();
        if let Some(all) = schema.get("allOf").and_then(Value::as_sequence) {
            for (i, part) in all.iter().enumerate() {
                let part_ptr = child(&child(ptr, "allOf"), &i.to_string());
                // The first reference to an object model is the parent; the rest is merged in.
                if model.parent.is_none() {
                    if let Some(r) = part
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(schema_ref_name)
                    {
                        if let Type::Model(parent) = self.component(r, &part_ptr)? {
                            let is_object = self.models.get(&parent).is_none_or(|m| {
                                m.enum_values.is_none() && m.map.is_none() && m.one_of.is_none()
                            });
                            if is_object && parent != name {
                                model.parent = Some(parent);
                                continue;
                            }
                        }
                    }
                }
                let (resolved, at) = resolve(self.root, part, &part_ptr)?;
                parts.push((resolved, at));
            }
        }
        for (part, at) in parts {
            self.merge_properties(&mut model, part, &at, name, Some(MAX_ALLOF_DEPTH))?;
        }
        // The schema's own properties (its `allOf` was taken apart above).
        self.merge_properties(&mut model, schema, ptr, name, None)?;
        // A family: the discriminator's mapping names models that extend this one.
        if let (Some(disc), Some(mapping)) = (
            schema.get("discriminator"),
            schema
                .get("discriminator")
                .and_then(|d| d.get("mapping"))
                .and_then(Value::as_mapping),
        ) {
            let disc_ptr = child(ptr, "discriminator");
            let property = str_of(disc, "propertyName").ok_or_else(|| {
                SpecError::new(&disc_ptr, "a discriminator without `propertyName`")
            })?;
            let mut variants = BTreeMap::new();
            // Each variant model's schema name.
            let mut schemas: BTreeMap<String, &str> = BTreeMap::new();
            // Values whose target only restates this schema: variants of their own (below).
            let mut restating = Vec::new();
            for (value, target) in mapping {
                let value = scalar_key(value);
                let target = target.as_str().unwrap_or_default();
                let target_name = schema_ref_name(target).ok_or_else(|| {
                    SpecError::new(
                        &disc_ptr,
                        format!("mapping `{value}`: `{target}` is not a schema"),
                    )
                })?;
                if let Type::Model(variant) = self.component(target_name, &disc_ptr)? {
                    if variant != name {
                        schemas.insert(variant.clone(), target_name);
                        variants.insert(value, variant);
                    } else {
                        restating.push((value, target_name));
                    }
                }
            }
            // A variant still being converted (it is what led here: its parent is this
            // schema, converted on the way) has no model yet: its schema says what it extends.
            let all_extend = variants.values().all(|v| match self.models.get(v) {
                Some(m) => m.parent.as_deref() == Some(name),
                None => self.first_all_of_ref(schemas[v]).as_deref() == Some(name),
            });
            if !variants.is_empty() && all_extend {
                for (value, target) in restating {
                    let variant = self.restating_variant(target, name, &value, &disc_ptr)?;
                    variants.insert(value, variant);
                }
                model.discriminator = Some(property.to_owned());
                model.variants = Some(variants);
            } else if let Some(family) = self.family_of_all(&variants, property) {
                // Every model the mapping names is a variant of one family picked by the same
                // field (Okta's `CreateOrUpdatePolicy` maps to `PasswordPolicy` and the like,
                // variants of `Policy`): a copy of that family, which is used in its place, so
                // a policy read from Okta is sent back as it is, and a kind the copy's mapping
                // leaves out is typed too.
                self.family_copies.insert(name.to_owned(), family);
            } else if !variants.is_empty() && restating.is_empty() {
                // Decided once every schema is converted (`unions_of_loose_families`).
                self.loose_families
                    .push((name.to_owned(), property.to_owned(), variants));
            } else {
                self.notes.push(format!(
                    "{name}: discriminator `{property}` left out (its mapping names models that do not extend it)"
                ));
            }
        }
        Ok(model)
    }

    /// The model the first `$ref` of a component schema's `allOf` names (what it extends).
    fn first_all_of_ref(&self, schema: &str) -> Option<String> {
        let parts = self.schemas?.get(schema)?.get("allOf")?.as_sequence()?;
        parts.iter().find_map(|part| {
            let r = part.get("$ref")?.as_str()?;
            self.component_names.get(schema_ref_name(r)?).cloned()
        })
    }

    /// The family every model of `variants` is a variant of, when it is one family whose
    /// discriminator is `property`.
    fn family_of_all(&self, variants: &BTreeMap<String, String>, property: &str) -> Option<String> {
        let mut parents = variants
            .values()
            .map(|v| self.models.get(v).and_then(|m| m.parent.clone()));
        let family = parents.next()??;
        if !parents.all(|p| p.as_deref() == Some(family.as_str())) {
            return None;
        }
        let f = self.models.get(&family)?;
        let is_variant = |v: &String| f.variants.iter().flatten().any(|(_, fv)| fv == v);
        (f.discriminator.as_deref() == Some(property) && variants.values().all(is_variant))
            .then_some(family)
    }

    /// A schema with a discriminator whose mapping names models that do not extend it (Okta's
    /// `InlineHookOAuthChannelConfig` maps to models that extend `InlineHookOAuthBasicConfig`)
    /// becomes a union of those models picked by the discriminator, so a value of each kind is
    /// typed as its model (the schema's own fields are left to the branches). When some model
    /// extends the schema itself (it is a parent, so it must stay an object), the
    /// discriminator is left out, and said so.
    fn unions_of_loose_families(&mut self) {
        let mut made = Vec::new();
        for (name, property, variants) in std::mem::take(&mut self.loose_families) {
            let extended = self
                .models
                .values()
                .any(|m| m.parent.as_deref() == Some(name.as_str()));
            if extended {
                self.notes.push(format!(
                    "{name}: discriminator `{property}` left out (its mapping names models that do not extend it, and other models extend it)"
                ));
                continue;
            }
            let mut branches: Vec<Type> = Vec::new();
            for variant in variants.values() {
                let ty = Type::Model(variant.clone());
                if !branches.contains(&ty) {
                    branches.push(ty);
                }
            }
            if let Some(model) = self.models.get_mut(&name) {
                model.fields = None;
                model.parent = None;
                model.one_of = Some(branches);
                model.discriminator = Some(property.clone());
                model.mapping = Some(variants);
                self.notes.push(format!(
                    "{name}: a union of the models its `{property}` maps to (they do not extend it)"
                ));
                made.push(name);
            }
        }
        // A union takes every value (its `Other`): an untagged union holding one of those just
        // made is ordered again, so that branch goes last.
        let holders: Vec<String> = self
            .models
            .iter()
            .filter(|(_, m)| {
                m.discriminator.is_none()
                    && m.one_of
                        .iter()
                        .flatten()
                        .any(|t| matches!(t, Type::Model(b) if made.contains(b)))
            })
            .map(|(n, _)| n.clone())
            .collect();
        for name in holders {
            let types = self.models[&name].one_of.clone().unwrap_or_default();
            let ordered = self.untagged_order(types);
            if let Some(model) = self.models.get_mut(&name) {
                model.one_of = Some(ordered);
            }
        }
    }

    /// A variant for a mapping target that only restates the family (`AuthenticatorKeyPassword:
    /// allOf: [$ref: AuthenticatorSimple]`, itself `allOf: [$ref: AuthenticatorBase]`), or is the
    /// family's own schema: a model extending the family with nothing, so that the value it
    /// names is a variant rather than `Other`. Named after the target (which stays the family's
    /// type wherever else it is used); for the family's own schema, after the family and the
    /// value (`UserFactorPushTransaction` + `SUCCESS` -> `UserFactorPushTransactionSuccess`),
    /// the name of a component that restates the family, if one has it.
    fn restating_variant(
        &mut self,
        target: &str,
        family: &str,
        value: &str,
        ptr: &str,
    ) -> Result<String, SpecError> {
        let mut target = target.to_owned();
        if self.component_names[&target] == family {
            let named = format!("{family}{}", names::camel_part(value));
            let restating = self
                .component_names
                .iter()
                .find(|(_, model)| **model == named)
                .map(|(schema, _)| schema.clone());
            match restating {
                Some(schema) if self.component(&schema, ptr)? == Type::Model(family.to_owned()) => {
                    target = schema;
                }
                _ => {
                    let model = Model {
                        fields: Some(BTreeMap::new()),
                        parent: Some(family.to_owned()),
                        ..empty_model()
                    };
                    return Ok(self.claim(&named, &model, None));
                }
            }
        }
        let own = self.component_names[&target].clone();
        if !self.models.contains_key(&own) {
            let model = Model {
                description: self
                    .schemas
                    .and_then(|s| s.get(&target))
                    .and_then(description),
                fields: Some(BTreeMap::new()),
                parent: Some(family.to_owned()),
                ..empty_model()
            };
            self.models.insert(own.clone(), model);
            self.tag_reach(&Type::Model(own.clone()));
        }
        Ok(own)
    }

    /// Merge the `properties` of `part` into `model`; with `descend: Some(levels)`, those of its
    /// own `allOf` parts too (an inline part may itself be an `allOf`), at most that deep.
    fn merge_properties(
        &mut self,
        model: &mut Model,
        part: &'a Value,
        ptr: &str,
        name: &str,
        descend: Option<usize>,
    ) -> Result<(), SpecError> {
        if let (Some(levels), Some(all)) = (descend, part.get("allOf").and_then(Value::as_sequence))
        {
            let Some(next) = levels.checked_sub(1) else {
                return Err(SpecError::new(
                    ptr,
                    format!(
                        "`allOf` nested more than {MAX_ALLOF_DEPTH} deep (a cycle of `allOf`s?)"
                    ),
                ));
            };
            for (i, inner) in all.iter().enumerate() {
                let inner_ptr = child(&child(ptr, "allOf"), &i.to_string());
                let (inner, at) = resolve(self.root, inner, &inner_ptr)?;
                self.merge_properties(model, inner, &at, name, Some(next))?;
            }
        }
        let required: BTreeSet<&str> = part
            .get("required")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let Some(props) = part.get("properties") else {
            return Ok(());
        };
        let props_ptr = child(ptr, "properties");
        let props = props
            .as_mapping()
            .ok_or_else(|| SpecError::new(&props_ptr, "`properties` is not a mapping"))?;
        for (field, prop) in props {
            let field = scalar_key(field);
            let field_ptr = child(&props_ptr, &field);
            let hint = format!("{name}{}", names::camel_part(&field));
            let ty = self.schema_type(prop, &field_ptr, &hint)?;
            let read_only = self.flag(prop, "readOnly");
            let write_only = self.flag(prop, "writeOnly");
            let listed = required.contains(field.as_str());
            if listed && (read_only || write_only) && self.component_models.contains(name) {
                let way = if read_only { Way::Answer } else { Way::Request };
                self.one_way.insert((name.to_owned(), field.clone()), way);
            }
            model.fields.get_or_insert_with(BTreeMap::new).insert(
                field.clone(),
                Field {
                    ty,
                    required: listed && !read_only && !write_only,
                    read_only,
                    boxed: false,
                    description: field_description(prop),
                    rust_name: None,
                    spec_overrides: BTreeMap::new(),
                },
            );
        }
        Ok(())
    }

    /// Whether `key` (`readOnly`, `writeOnly`) is `true` for a property: on the property, on an
    /// annotation of its described reference (`allOf: [$ref, {readOnly: true}]`), or on the
    /// schema it refers to.
    fn flag(&self, prop: &Value, key: &str) -> bool {
        let on = |s: &Value| s.get(key).and_then(Value::as_bool) == Some(true);
        let mut parts = vec![prop];
        if described_part(prop).is_some() {
            parts.extend(
                prop.get("allOf")
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten(),
            );
        }
        parts.into_iter().any(|p| {
            on(p)
                || (p.get("$ref").is_some()
                    && resolve(self.root, p, "#").is_ok_and(|(target, _)| on(target)))
        })
    }

    /// A required field that goes one way (see `one_way`) is required again in a model that
    /// goes only that way: an `id` Okta sets stays required in a model no request sends.
    fn require_one_way_fields(&mut self, actions: &[SpecAction]) {
        let requests = self.reach(
            actions
                .iter()
                .filter_map(|a| a.action.body.as_ref()?.ty.as_ref()),
        );
        let answers = self.reach(
            actions
                .iter()
                .filter_map(|a| a.action.response.as_ref()?.ty.as_ref()),
        );
        for ((model, field), way) in std::mem::take(&mut self.one_way) {
            let other_way = match way {
                Way::Answer => &requests,
                Way::Request => &answers,
            };
            if other_way.contains(&model) {
                continue;
            }
            if let Some(f) = self
                .models
                .get_mut(&model)
                .and_then(|m| m.fields.as_mut())
                .and_then(|f| f.get_mut(&field))
            {
                f.required = true;
            }
        }
    }

    /// The models a value of one of `roots` may hold: through fields, lists and maps, parents
    /// (whose fields a model inherits), a family's variants and a union's branches.
    fn reach<'t>(&self, roots: impl Iterator<Item = &'t Type>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Type> = roots.cloned().collect();
        while let Some(ty) = stack.pop() {
            match ty {
                Type::List(inner) | Type::Map(inner) => stack.push(*inner),
                Type::Model(name) => {
                    let Some(model) = self.models.get(&name) else {
                        continue;
                    };
                    if !seen.insert(name) {
                        continue;
                    }
                    stack.extend(model.fields.iter().flatten().map(|(_, f)| f.ty.clone()));
                    stack.extend(model.one_of.iter().flatten().cloned());
                    stack.extend(model.map.iter().cloned());
                    let variants = model.variants.iter().flat_map(|v| v.values());
                    stack.extend(
                        model
                            .parent
                            .iter()
                            .chain(variants)
                            .cloned()
                            .map(Type::Model),
                    );
                }
                _ => {}
            }
        }
        seen
    }

    fn union_model(
        &mut self,
        schema: &'a Value,
        ptr: &str,
        name: &str,
    ) -> Result<Model, SpecError> {
        let (key, branches) = match (schema.get("oneOf"), schema.get("anyOf")) {
            (Some(b), _) => ("oneOf", b),
            (None, Some(b)) => ("anyOf", b),
            (None, None) => {
                return Err(SpecError::new(ptr, "a union without `oneOf` or `anyOf`"));
            }
        };
        let list_ptr = child(ptr, key);
        let branches = branches
            .as_sequence()
            .ok_or_else(|| SpecError::new(&list_ptr, format!("`{key}` is not a list")))?;
        let mut types: Vec<Type> = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let hint = format!("{name}Variant{}", i + 1);
            let ty = self.schema_type(branch, &child(&list_ptr, &i.to_string()), &hint)?;
            if !types.contains(&ty) {
                types.push(ty);
            }
        }
        let mut model = Model {
            description: description(schema),
            ..empty_model()
        };
        if let Some(disc) = schema.get("discriminator") {
            let disc_ptr = child(ptr, "discriminator");
            let property = str_of(disc, "propertyName").ok_or_else(|| {
                SpecError::new(&disc_ptr, "a discriminator without `propertyName`")
            })?;
            let mut mapping = BTreeMap::new();
            for (value, target) in disc
                .get("mapping")
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
            {
                let value = scalar_key(value);
                let target = target.as_str().and_then(schema_ref_name).ok_or_else(|| {
                    SpecError::new(
                        &disc_ptr,
                        format!("mapping `{value}` does not name a schema"),
                    )
                })?;
                if let Type::Model(branch) = self.component(target, &disc_ptr)? {
                    mapping.insert(value, branch);
                }
            }
            model.discriminator = Some(property.to_owned());
            if !mapping.is_empty() {
                model.mapping = Some(mapping);
            }
        }
        if model.discriminator.is_none() {
            types = self.untagged_order(types);
        }
        model.one_of = Some(types);
        Ok(model)
    }

    /// The branches of a union without a discriminator, in an order in which each can be picked
    /// (tried first to last, the first that decodes wins): a `date-time` is a string (the same
    /// Rust type), so it goes; a branch that takes every value (`json`, or a union, whose `Other`
    /// keeps what none of its branches take) goes last, and where several would, the unions
    /// among them are replaced by their own branches. Objects that require more fields go first
    /// (in the spec's order otherwise): a value without them does not decode there and moves on,
    /// while an object that requires less would take the value of one that requires more.
    fn untagged_order(&self, types: Vec<Type>) -> Vec<Type> {
        let is_union = |t: &Type| matches!(t, Type::Model(m) if self.models.get(m).is_some_and(|m| m.one_of.is_some()));
        let takes_all = |t: &Type| *t == Type::Json || is_union(t);
        let mut types = types;
        if types.iter().filter(|t| takes_all(t)).count() > 1 {
            types = types
                .into_iter()
                .flat_map(|t| match &t {
                    Type::Model(m) if is_union(&t) => {
                        self.models[m].one_of.clone().unwrap_or_default()
                    }
                    _ => vec![t],
                })
                .collect();
        }
        let mut out: Vec<Type> = Vec::new();
        for t in types {
            let t = if t == Type::DateTime { Type::String } else { t };
            if !out.contains(&t) {
                out.push(t);
            }
        }
        let (all, mut specific): (Vec<Type>, Vec<Type>) =
            out.into_iter().partition(|t| takes_all(t));
        // Objects trade places among themselves only: a list or a scalar takes other values.
        let required = |t: &Type| match t {
            Type::Model(m) if self.models.get(m).is_some_and(|m| m.fields.is_some()) => Some(
                self.all_fields(m)
                    .iter()
                    .filter(|(_, f)| f.required)
                    .count(),
            ),
            _ => None,
        };
        let slots: Vec<usize> = (0..specific.len())
            .filter(|i| required(&specific[*i]).is_some())
            .collect();
        let mut objects: Vec<Type> = slots.iter().map(|i| specific[*i].clone()).collect();
        objects.sort_by_key(|t| std::cmp::Reverse(required(t)));
        for (slot, object) in slots.into_iter().zip(objects) {
            specific[slot] = object;
        }
        specific.into_iter().chain(all).collect()
    }

    /// `hint` (or `fallback`, or `hint` with a number) as the name of an anonymous model: a name
    /// already holding the same definition is shared, a component's name is never taken.
    fn claim(&mut self, hint: &str, model: &Model, fallback: Option<&str>) -> String {
        let mut candidates = std::iter::once(hint.to_owned())
            .chain(fallback.map(str::to_owned))
            .chain((2..).map(|n| format!("{hint}{n}")));
        loop {
            let candidate = candidates.next().unwrap_or_else(|| format!("{hint}X"));
            let is_component = self.component_names.values().any(|c| *c == candidate);
            match self.models.get(&candidate) {
                Some(existing) if same_model(existing, model) && !is_component => {
                    self.tag_reach(&Type::Model(candidate.clone()));
                    return candidate;
                }
                None if !is_component => {
                    self.models.insert(candidate.clone(), model.clone());
                    self.tag_reach(&Type::Model(candidate.clone()));
                    return candidate;
                }
                _ => {}
            }
        }
    }

    /// A model that extends itself through `allOf` (`A: allOf [B]`, `B: allOf [A]`) is an error.
    fn check_parent_cycles(&self) -> Result<(), SpecError> {
        for name in self.models.keys() {
            let mut current = self.models[name].parent.as_deref();
            for _ in 0..=self.models.len().min(names::MAX_PARENT_DEPTH) {
                let Some(p) = current else { break };
                if p == name {
                    let schema = self
                        .component_names
                        .iter()
                        .find(|(_, m)| *m == name)
                        .map_or(name.as_str(), |(s, _)| s.as_str());
                    return Err(SpecError::new(
                        &child("#/components/schemas", schema),
                        format!("schema `{schema}` extends itself through `allOf`"),
                    ));
                }
                current = self.models.get(p).and_then(|m| m.parent.as_deref());
            }
        }
        Ok(())
    }

    /// `boxed: true` on a field whose model contains the field's own model again, not behind a
    /// list or map (a Rust struct cannot contain itself by value).
    fn box_self_containing(&mut self) {
        let direct: BTreeMap<String, Vec<String>> = self
            .models
            .iter()
            .map(|(name, m)| {
                let mut out: Vec<String> = m
                    .fields
                    .iter()
                    .flatten()
                    .filter_map(|(_, f)| match &f.ty {
                        Type::Model(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect();
                out.extend(m.parent.clone());
                (name.clone(), out)
            })
            .collect();
        let reaches = |from: &str, to: &str| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.to_owned()];
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n.clone()) {
                    stack.extend(direct.get(&n).into_iter().flatten().cloned());
                }
            }
            false
        };
        let mut to_box = Vec::new();
        for (name, m) in &self.models {
            for (field, f) in m.fields.iter().flatten() {
                if let Type::Model(t) = &f.ty {
                    if reaches(t, name) {
                        to_box.push((name.clone(), field.clone()));
                    }
                }
            }
        }
        for (name, field) in to_box {
            if let Some(f) = self
                .models
                .get_mut(&name)
                .and_then(|m| m.fields.as_mut())
                .and_then(|f| f.get_mut(&field))
            {
                f.boxed = true;
            }
        }
    }
}

fn empty_model() -> Model {
    Model {
        description: None,
        fields: None,
        parent: None,
        enum_values: None,
        map: None,
        discriminator: None,
        variants: None,
        one_of: None,
        mapping: None,
    }
}

/// The JSON media type of a body or response: `application/json`, else the first other JSON
/// type (`application/merge-patch+json`).
fn json_media<'m>(media: &[&'m str]) -> Option<&'m str> {
    media
        .iter()
        .find(|m| **m == "application/json")
        .or_else(|| media.iter().find(|m| manifest::is_json_media_type(m)))
        .copied()
}

/// Two anonymous models with the same definition (descriptions aside) share one name.
fn same_model(a: &Model, b: &Model) -> bool {
    let strip = |m: &Model| {
        let mut m = m.clone();
        m.description = None;
        for f in m.fields.iter_mut().flatten() {
            f.1.description = None;
        }
        serde_yaml::to_value(m).ok()
    };
    strip(a) == strip(b)
}

/// Does a component schema become a model of its own (rather than be inlined as a type)?
fn is_model_schema(schema: &Value) -> bool {
    if schema.get("$ref").is_some() {
        return false;
    }
    if schema.get("allOf").is_some() {
        // `allOf: [$ref]` alone (or with annotations) is the referenced type.
        return described_part(schema).is_none();
    }
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() || is_string_enum(schema) {
        return true;
    }
    match str_of(schema, "type") {
        Some("object") | None => {
            schema.get("properties").is_some()
                || schema.get("discriminator").is_some()
                || schema
                    .get("additionalProperties")
                    .is_some_and(|a| a.is_mapping() && !takes_any_value(a))
                || str_of(schema, "type") == Some("object")
        }
        _ => false,
    }
}

/// A union of inline scalars that are one Rust type (`oneOf: [{type: string, format:
/// date-time}, {type: string}]`) is that type.
fn scalar_union(schema: &Value) -> Option<Type> {
    let branches = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))?
        .as_sequence()?;
    let mut found: Option<Type> = None;
    for b in branches {
        if b.get("$ref").is_some() || b.get("enum").is_some() {
            return None;
        }
        let ty = match str_of(b, "type")? {
            "string" => Type::String,
            "integer" if str_of(b, "format") == Some("int64") => Type::I64,
            "integer" => Type::I32,
            "number" => Type::F64,
            "boolean" => Type::Bool,
            _ => return None,
        };
        match &found {
            Some(t) if *t != ty => return None,
            _ => found = Some(ty),
        }
    }
    found
}

/// Keys that describe a schema without constraining its values.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "nullable",
    "deprecated",
    "externalDocs",
];

/// A schema that only annotates (a description, an example, `readOnly`, Okta's `x-` extensions):
/// as a part of an `allOf` it adds nothing to the type.
fn is_annotation(schema: &Value) -> bool {
    schema.as_mapping().is_some_and(|m| {
        m.keys().all(|k| {
            k.as_str()
                .is_some_and(|k| ANNOTATIONS.contains(&k) || k.starts_with("x-"))
        })
    })
}

/// The one part of an `allOf` that is not an annotation, with its index, when the schema
/// declares no `properties` beside it: `allOf: [$ref]` or `allOf: [$ref, {description: ...}]`
/// (Okta's way to describe a reference) is the referenced type.
fn described_part(schema: &Value) -> Option<(usize, &Value)> {
    let all = schema.get("allOf")?.as_sequence()?;
    if schema.get("properties").is_some() {
        return None;
    }
    let mut parts = all.iter().enumerate().filter(|(_, p)| !is_annotation(p));
    let only = parts.next()?;
    parts.next().is_none().then_some(only)
}

/// An `additionalProperties` schema that takes any value: `{}`, or an object that declares
/// nothing (`{type: object, properties: {}}`, which Okta writes for "any value": its examples
/// put strings and lists there).
fn takes_any_value(schema: &Value) -> bool {
    let Some(map) = schema.as_mapping() else {
        return false;
    };
    map.iter().all(|(k, v)| match k.as_str() {
        Some("type") => v.as_str() == Some("object"),
        Some("properties") => v.as_mapping().is_some_and(|p| p.is_empty()),
        Some(k) => ANNOTATIONS.contains(&k) || k.starts_with("x-"),
        None => false,
    })
}

/// A string enum: `enum` values that are all strings (a `null` among them means "may be
/// absent" and is dropped).
fn is_string_enum(schema: &Value) -> bool {
    let Some(values) = schema.get("enum").and_then(Value::as_sequence) else {
        return false;
    };
    matches!(str_of(schema, "type"), Some("string") | None)
        && values.iter().any(Value::is_string)
        && values.iter().all(|v| v.is_string() || v.is_null())
}

fn enum_model(schema: &Value) -> Model {
    let mut values: Vec<String> = Vec::new();
    for v in schema
        .get("enum")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        if let Some(s) = v.as_str() {
            if !values.iter().any(|x| x == s) {
                values.push(s.to_owned());
            }
        }
    }
    Model {
        description: description(schema),
        enum_values: Some(values),
        ..empty_model()
    }
}

fn scalar_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A property's description: its own, or that of an annotation of its described reference
/// (`allOf: [{description: ...}, $ref]`).
fn field_description(prop: &Value) -> Option<String> {
    let annotations = described_part(prop)
        .and_then(|_| prop.get("allOf"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter(|p| is_annotation(p));
    std::iter::once(prop)
        .chain(annotations)
        .find_map(|p| str_of(p, "description"))
        .map(clean_text)
}

fn description(v: &Value) -> Option<String> {
    str_of(v, "description")
        .map(clean_text)
        .filter(|d| !d.is_empty())
}

/// Spec text as the manifest keeps it: trimmed, Windows line ends made plain.
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_owned()
}

/// A display name from an operation's `summary` ("Retrieve a user" -> "Retrieve A User"), or
/// from its operationId when the summary is not one (`getDRStatus` -> "Get DR Status").
pub fn display_name(summary: Option<&str>, operation_id: &str) -> String {
    let from_words = |text: &str| -> String {
        text.split_whitespace()
            .map(|w| {
                let w: String = w.chars().filter(|c| !NOT_IN_NAMES.contains(c)).collect();
                let mut chars = w.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(summary) = summary {
        let name = from_words(summary);
        if names::check_display_name(&name).is_ok() {
            return name;
        }
    }
    from_words(&split_camel(operation_id))
}

/// Characters a display name may not have (`names::check_display_name`), dropped from words.
const NOT_IN_NAMES: &[char] = &[
    '.', ',', ';', ':', '!', '?', '`', '*', '<', '>', '[', ']', '|', '"', '(', ')',
];

/// `getDRStatusForDomain` -> `get DR Status For Domain`.
fn split_camel(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary || *c == '_' {
            out.push(' ');
        }
        if *c != '_' {
            out.push(*c);
        }
    }
    out
}

/// The operation's own server, as the manifest's `host_prefix`: Okta writes the disaster-
/// recovery host as `https://drapp.{yourOrgSubDomain}.okta.com` (or with `yourOktaDomain`).
fn host_prefix(op: &Value, op_ptr: &str) -> Result<Option<String>, SpecError> {
    let Some(servers) = op.get("servers").and_then(Value::as_sequence) else {
        return Ok(None);
    };
    let ptr = child(op_ptr, "servers");
    let url = servers
        .first()
        .and_then(|s| str_of(s, "url"))
        .ok_or_else(|| SpecError::new(&ptr, "a server without `url`"))?;
    let host = url
        .strip_prefix("https://")
        .map(|h| h.trim_end_matches('/'))
        .unwrap_or_default();
    for org in [
        "yourOrgSubDomain",
        "{yourOrgSubDomain}",
        "yourOktaDomain",
        "{yourOktaDomain}",
    ] {
        if let Some(prefix) = host
            .strip_suffix(&format!(".{org}.okta.com"))
            .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return Ok(Some(prefix.to_owned()));
        }
    }
    Err(SpecError::new(
        &ptr,
        format!("server `{url}` is not the org's host with a label in front (`https://<label>.yourOrgSubDomain.okta.com`)"),
    ))
}

/// Every type an action mentions.
pub(super) fn action_types(a: &Action) -> Vec<Type> {
    let mut out: Vec<Type> = a.path_params.iter().map(|p| p.ty.clone()).collect();
    out.extend(a.query_params.iter().map(|q| q.ty.clone()));
    out.extend(a.body.iter().filter_map(|b| b.ty.clone()));
    out.extend(a.response.iter().filter_map(|r| r.ty.clone()));
    out
}

pub(super) fn collect_models(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Model(m) => out.push(m.clone()),
        Type::List(inner) | Type::Map(inner) => collect_models(inner, out),
        _ => {}
    }
}

/// The models reachable from `roots` in `models`.
pub(super) fn closure(
    models: &BTreeMap<String, Model>,
    mut stack: Vec<String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        let Some(m) = models.get(&name) else { continue };
        if !seen.insert(name) {
            continue;
        }
        for f in m.fields.iter().flatten() {
            collect_models(&f.1.ty, &mut stack);
        }
        stack.extend(m.parent.clone());
        stack.extend(m.variants.iter().flatten().map(|(_, v)| v.clone()));
        for t in m.one_of.iter().flatten().chain(m.map.iter()) {
            collect_models(t, &mut stack);
        }
        stack.extend(m.mapping.iter().flatten().map(|(_, v)| v.clone()));
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec with `POST /in` taking `body` and `GET /out` answering `answer` (schemas in YAML).
    fn convert_yaml(body: &str, answer: &str, schemas: &str) -> Converted {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /in:\n    post:\n      \
             operationId: send\n      requestBody:\n        content:\n          application/json:\n            \
             schema: {body}\n      responses:\n        '204': {{description: ok}}\n  /out:\n    get:\n      \
             operationId: answer\n      responses:\n        '200':\n          description: ok\n          \
             content:\n            application/json:\n              schema: {answer}\n\
             components:\n  schemas:\n{schemas}"
        );
        let root: Value = serde_yaml::from_str(&text).unwrap();
        convert(&root).unwrap_or_else(|e| panic!("{e}"))
    }

    fn field<'c>(c: &'c Converted, model: &str, field: &str) -> &'c Field {
        &c.models[model].fields.as_ref().unwrap()[field]
    }

    #[test]
    fn an_allof_of_one_reference_and_annotations_is_the_referenced_type() {
        let c = convert_yaml(
            "{$ref: '#/components/schemas/Rule'}",
            "{$ref: '#/components/schemas/Rule'}",
            "    Status: {type: string, enum: [ACTIVE, INACTIVE]}\n\
             \x20   Rule:\n      type: object\n      properties:\n        \
             status: {allOf: [{$ref: '#/components/schemas/Status'}, {description: Whether it is on}]}\n        \
             kept: {allOf: [{description: Kept}, {$ref: '#/components/schemas/Status'}, {readOnly: true}]}\n        \
             again: {$ref: '#/components/schemas/Described'}\n\
             \x20   Described: {allOf: [{$ref: '#/components/schemas/Status'}, {description: Again}], x-okta-tag: t}\n",
        );
        let status = field(&c, "Rule", "status");
        assert_eq!(status.ty, Type::Model("Status".into()));
        assert_eq!(status.description.as_deref(), Some("Whether it is on"));
        let kept = field(&c, "Rule", "kept");
        assert_eq!(
            (&kept.ty, kept.read_only),
            (&Type::Model("Status".into()), true)
        );
        assert_eq!(kept.description.as_deref(), Some("Kept"));
        // A component that only describes a reference is that reference too.
        assert_eq!(field(&c, "Rule", "again").ty, Type::Model("Status".into()));
        // No object model wraps the enum (a string value would not decode into one).
        for wrapper in ["RuleStatus", "RuleKept", "Described"] {
            assert!(!c.models.contains_key(wrapper), "{wrapper}");
        }
    }

    #[test]
    fn an_object_that_declares_nothing_as_additional_properties_takes_any_value() {
        let c = convert_yaml(
            "{$ref: '#/components/schemas/Thing'}",
            "{$ref: '#/components/schemas/Thing'}",
            "    Thing:\n      type: object\n      properties:\n        \
             profile: {type: object, additionalProperties: {type: object, properties: {}}}\n        \
             named: {type: object, additionalProperties: {type: object, properties: {name: {type: string}}}}\n",
        );
        assert_eq!(field(&c, "Thing", "profile").ty, Type::Json);
        assert_eq!(
            field(&c, "Thing", "named").ty,
            Type::Map(Box::new(Type::Model("ThingNamed".into())))
        );
    }

    #[test]
    fn a_discriminator_value_whose_schema_restates_the_family_is_a_variant_of_its_own() {
        let c = convert_yaml(
            "{$ref: '#/components/schemas/Factor'}",
            "{$ref: '#/components/schemas/Factor'}",
            "    Factor:\n      type: object\n      properties: {kind: {type: string}}\n      \
             discriminator:\n        propertyName: kind\n        mapping:\n          \
             sms: '#/components/schemas/SmsFactor'\n          \
             password: '#/components/schemas/PasswordFactor'\n          \
             plain: '#/components/schemas/Factor'\n          \
             done: '#/components/schemas/Factor'\n\
             \x20   SmsFactor:\n      allOf:\n        - $ref: '#/components/schemas/Factor'\n        \
             - properties: {phone: {type: string}}\n\
             \x20   SimpleFactor: {allOf: [{$ref: '#/components/schemas/Factor'}]}\n\
             \x20   PasswordFactor: {description: A password., allOf: [{$ref: '#/components/schemas/SimpleFactor'}]}\n\
             \x20   FactorDone: {$ref: '#/components/schemas/Factor'}\n",
        );
        let variants = c.models["Factor"].variants.clone().expect("a family");
        assert_eq!(variants["sms"], "SmsFactor");
        // Through an alias of the family: a variant named after the mapping's target.
        assert_eq!(variants["password"], "PasswordFactor");
        let password = &c.models["PasswordFactor"];
        assert_eq!(password.parent.as_deref(), Some("Factor"));
        assert_eq!(password.fields.as_ref().map(BTreeMap::len), Some(0));
        assert_eq!(password.description.as_deref(), Some("A password."));
        // The family's own schema: named after the family and the value, or the component that
        // restates the family under that name.
        assert_eq!(variants["plain"], "FactorPlain");
        assert_eq!(variants["done"], "FactorDone");
        for v in ["FactorPlain", "FactorDone"] {
            assert_eq!(c.models[v].parent.as_deref(), Some("Factor"), "{v}");
        }
    }

    #[test]
    fn a_required_read_only_or_write_only_field_is_required_only_where_its_model_goes_one_way() {
        let schemas = "    Both:\n      type: object\n      properties:\n        \
                       id: {type: string, readOnly: true}\n        \
                       secret: {type: string, writeOnly: true}\n        \
                       name: {type: string}\n        \
                       links: {$ref: '#/components/schemas/Links'}\n      \
                       required: [id, secret, name, links]\n\
                       \x20   Links: {type: object, readOnly: true, properties: {self: {type: string}}}\n\
                       \x20   Sent:\n      type: object\n      properties:\n        \
                       secret: {type: string, writeOnly: true}\n        \
                       id: {type: string, readOnly: true}\n        \
                       both: {$ref: '#/components/schemas/Both'}\n      required: [secret, id]\n\
                       \x20   Answered:\n      type: object\n      properties:\n        \
                       id: {type: string, readOnly: true}\n        \
                       secret: {type: string, writeOnly: true}\n        \
                       both: {$ref: '#/components/schemas/Both'}\n      required: [id, secret]\n";
        let c = convert_yaml(
            "{$ref: '#/components/schemas/Sent'}",
            "{$ref: '#/components/schemas/Answered'}",
            schemas,
        );
        let required = |m: &str, f: &str| field(&c, m, f).required;
        // `Both` is sent (inside `Sent`) and answered (inside `Answered`).
        assert!(!required("Both", "id") && !required("Both", "secret"));
        assert!(!required("Both", "links"), "read-only through its model");
        assert!(required("Both", "name"));
        assert!(field(&c, "Both", "links").read_only);
        // A model only sent needs what only requests carry, one only answered what Okta sets.
        assert!(required("Sent", "secret") && !required("Sent", "id"));
        assert!(required("Answered", "id") && !required("Answered", "secret"));
    }

    #[test]
    fn display_names_come_from_summaries_or_operation_ids() {
        assert_eq!(
            display_name(Some("Retrieve a user"), "getUser"),
            "Retrieve A User"
        );
        assert_eq!(
            display_name(Some("List all users (paged)."), "listUsers"),
            "List All Users Paged"
        );
        assert_eq!(
            display_name(None, "getDRStatusForDomain"),
            "Get DR Status For Domain"
        );
        assert_eq!(
            display_name(Some(""), "listAPIServiceIntegrationInstances"),
            "List API Service Integration Instances"
        );
    }
}
