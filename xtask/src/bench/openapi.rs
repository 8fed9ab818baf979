//! The manifest's API as an OpenAPI 3.0 document, so the codegen bench can run progenitor on the
//! same API our generator gets (progenitor reads OpenAPI 3.0.x only; Okta's 2.16.0 spec is
//! Swagger 2.0).
//!
//! Built from the lowered IR, which has what a document needs already resolved: every object's
//! fields with the inherited ones, wire names, types. What OpenAPI (or progenitor) cannot say the
//! way the manifest does is approximated, or left out where it has no counterpart:
//! - a multipart or raw body becomes an `application/octet-stream` body (progenitor takes no
//!   `multipart/form-data`, nor other raw media types); a JSON body sent with another JSON media
//!   type (`application/merge-patch+json`) is written as `application/json`;
//! - a request body of a media type progenitor refuses is left out, its operation kept
//!   ([`progenitor_takes_request_body`], the one rule for it), and recorded in
//!   [`Document::left_out`] for the report;
//! - a family becomes a `oneOf` of its variants plus its fallback `<Family>Base` object, with a
//!   `discriminator` mapping each value to its variant; a union, a `oneOf` of its branches (with
//!   its `discriminator` and mapping, if it has one);
//! - `fixed_query` pairs and paging have no OpenAPI counterpart progenitor uses, and are left out;
//! - OpenAPI has one operation per method and path: of the actions that share both (they differ
//!   in their fixed query or their body), the first in the manifest is kept.

use std::collections::BTreeMap;

use okta_codegen::ir::{self, ActionDef, BodyDef, FieldDef, ModelKind, Param, ResponseDef, Type};
use serde_json::{json, Map, Value};

/// An OpenAPI document, and what of the manifest's API it leaves out.
pub struct Document {
    pub value: Value,
    /// What the document leaves out, in manifest order.
    pub left_out: Vec<LeftOut>,
}

/// Something of the manifest's API that the document leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftOut {
    /// A whole action (its operation id): it shares its method and path with an earlier one.
    Operation(String),
    /// The request body of an operation that is kept: progenitor takes no body of its media type
    /// ([`progenitor_takes_request_body`]).
    RequestBody {
        operation: String,
        media_type: String,
    },
}

/// Whether progenitor takes a request body of `media_type` (parameters after `;` ignored).
///
/// The one rule for which bodies the document leaves out, from progenitor 0.13.0
/// (`BodyContentType::from_str`, `progenitor-impl/src/method.rs`): a request body must be JSON,
/// form-urlencoded, `application/octet-stream` (a binary string) or `text/plain` /
/// `text/x-markdown` (a string); any other media type (a signed JWT,
/// `application/secevent+jwt`) makes it refuse the whole document with "unexpected content
/// type". A response body of any media type is taken (one not JSON as raw bytes), so no
/// response body is left out.
pub fn progenitor_takes_request_body(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    matches!(
        essence,
        "application/json"
            | "application/x-www-form-urlencoded"
            | "application/octet-stream"
            | "text/plain"
            | "text/x-markdown"
    )
}

/// What `left_out` leaves out, counted by kind for the report: "5 operations that share their
/// method and path with an earlier action (a, b, ...) and 1 request body of a media type
/// progenitor refuses (op: media/type)".
pub fn summary(left_out: &[LeftOut]) -> String {
    let operations: Vec<String> = (left_out.iter())
        .filter_map(|l| match l {
            LeftOut::Operation(id) => Some(id.clone()),
            LeftOut::RequestBody { .. } => None,
        })
        .collect();
    let bodies: Vec<String> = (left_out.iter())
        .filter_map(|l| match l {
            LeftOut::RequestBody {
                operation,
                media_type,
            } => Some(format!("{operation}: {media_type}")),
            LeftOut::Operation(_) => None,
        })
        .collect();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let list = |items: &[String]| match items {
        [] => String::new(),
        items => format!(" ({})", items.join(", ")),
    };
    format!(
        "{} that share their method and path with an earlier action{} and {} of a media type \
         progenitor refuses{}",
        count(operations.len(), "operation", "operations"),
        list(&operations),
        count(bodies.len(), "request body", "request bodies"),
        list(&bodies),
    )
}

/// The OpenAPI 3.0.3 document of `api`.
pub fn document(api: &ir::Api) -> Document {
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut left_out = Vec::new();
    for category in &api.categories {
        for action in &category.actions {
            let item = paths.entry(&action.path).or_default();
            let method = action.http_method.to_ascii_lowercase();
            if item.contains_key(&method) {
                left_out.push(LeftOut::Operation(operation_id(action).to_owned()));
            } else {
                item.insert(method, operation(&category.name, action, &mut left_out));
            }
        }
    }
    let mut schemas = Map::new();
    for model in &api.models {
        match &model.kind {
            ModelKind::Object { fields } => {
                schemas.insert(
                    model.name.clone(),
                    object(model.description.as_deref(), fields),
                );
            }
            ModelKind::Enum { variants } => {
                let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
                let mut schema = json!({"type": "string", "enum": values});
                describe(&mut schema, model.description.as_deref());
                schemas.insert(model.name.clone(), schema);
            }
            ModelKind::Map { value } => {
                let mut schema = json!({"type": "object", "additionalProperties": schema(value)});
                describe(&mut schema, model.description.as_deref());
                schemas.insert(model.name.clone(), schema);
            }
            ModelKind::Family {
                discriminator,
                variants,
                base_name,
                base_fields,
            } => {
                let mut one_of: Vec<Value> = variants.iter().map(|v| reference(&v.model)).collect();
                one_of.push(reference(base_name));
                let mapping: Map<String, Value> = variants
                    .iter()
                    .flat_map(|v| v.values.iter().map(move |value| (value, &v.model)))
                    .map(|(value, model)| (value.clone(), Value::from(ref_path(model))))
                    .collect();
                let mut schema = json!({
                    "oneOf": one_of,
                    "discriminator": {"propertyName": discriminator, "mapping": mapping},
                });
                describe(&mut schema, model.description.as_deref());
                schemas.insert(model.name.clone(), schema);
                schemas.insert(base_name.clone(), object(None, base_fields));
            }
            ModelKind::Union {
                branches,
                discriminator,
            } => {
                let one_of: Vec<Value> = branches.iter().map(|b| schema(&b.ty)).collect();
                let mut schema = json!({ "oneOf": one_of });
                if let Some(discriminator) = discriminator {
                    let mapping: Map<String, Value> = branches
                        .iter()
                        .flat_map(|b| b.values.iter().map(move |value| (value, &b.ty)))
                        .filter_map(|(value, ty)| {
                            Some((value.clone(), Value::from(ref_path(ty.model()?))))
                        })
                        .collect();
                    schema["discriminator"] =
                        json!({"propertyName": discriminator, "mapping": mapping});
                }
                describe(&mut schema, model.description.as_deref());
                schemas.insert(model.name.clone(), schema);
            }
        }
    }
    let value = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Okta Management API (from the okta-rs manifest)",
            "version": "2.16.0",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    });
    Document { value, left_out }
}

fn operation_id(action: &ActionDef) -> &str {
    &action.operation_name
}

/// The operation of `action`; what of it is left out goes to `left_out`.
fn operation(category: &str, action: &ActionDef, left_out: &mut Vec<LeftOut>) -> Value {
    let parameters: Vec<Value> = (action.path_params.iter().map(|p| parameter("path", p)))
        .chain(action.query_params.iter().map(|p| parameter("query", p)))
        .chain(action.header_params.iter().map(|p| parameter("header", p)))
        .collect();
    let content = match &action.response {
        ResponseDef::Empty => None,
        ResponseDef::Json(_) | ResponseDef::Page { .. } => {
            let ty = action.response.json_type().unwrap_or(Type::Json);
            Some(("application/json", schema(&ty)))
        }
        ResponseDef::Text(media) => Some((media.as_str(), json!({"type": "string"}))),
    };
    let mut response = json!({"description": "Success"});
    if let Some((media, schema)) = content {
        response["content"] = json!({ media: {"schema": schema} });
    }
    let mut op = json!({
        "operationId": operation_id(action),
        "summary": action.display_name,
        "tags": [category],
        "parameters": parameters,
        "responses": { action.success_status.to_string(): response },
    });
    describe(&mut op, action.description.as_deref());
    if let Some(body) = &action.body {
        let (media, schema) = match body {
            BodyDef::Json { ty, .. } => ("application/json", schema(ty)),
            BodyDef::Multipart { .. } | BodyDef::Raw { .. } => (
                "application/octet-stream",
                json!({"type": "string", "format": "binary"}),
            ),
            BodyDef::Text { media_type, .. } => (media_type.as_str(), json!({"type": "string"})),
        };
        if progenitor_takes_request_body(media) {
            op["requestBody"] = json!({
                "required": body.required(),
                "content": { media: {"schema": schema} },
            });
        } else {
            left_out.push(LeftOut::RequestBody {
                operation: operation_id(action).to_owned(),
                media_type: media.to_owned(),
            });
        }
    }
    op
}

fn parameter(location: &str, p: &Param) -> Value {
    let mut param = json!({
        "name": p.wire_name,
        "in": location,
        "required": location == "path" || p.required,
        "schema": schema(&p.ty),
    });
    describe(&mut param, p.description.as_deref());
    param
}

fn object(description: Option<&str>, fields: &[FieldDef]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| {
            let mut property = schema(&f.ty);
            // Siblings of a `$ref` are ignored in OpenAPI 3.0: only inline schemas get them.
            if property.get("$ref").is_none() {
                if f.read_only {
                    property["readOnly"] = Value::Bool(true);
                }
                describe(&mut property, f.description.as_deref());
            }
            (f.json_name.clone(), property)
        })
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.json_name.as_str())
        .collect();
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    describe(&mut schema, description);
    schema
}

fn schema(ty: &Type) -> Value {
    match ty {
        Type::String => json!({"type": "string"}),
        Type::I32 => json!({"type": "integer", "format": "int32"}),
        Type::I64 => json!({"type": "integer", "format": "int64"}),
        Type::F64 => json!({"type": "number", "format": "double"}),
        Type::Bool => json!({"type": "boolean"}),
        Type::DateTime => json!({"type": "string", "format": "date-time"}),
        Type::Json => json!({}),
        Type::Model(name) => reference(name),
        Type::List(item) => json!({"type": "array", "items": schema(item)}),
        Type::Map(value) => json!({"type": "object", "additionalProperties": schema(value)}),
    }
}

fn ref_path(model: &str) -> String {
    format!("#/components/schemas/{model}")
}

fn reference(model: &str) -> Value {
    json!({ "$ref": ref_path(model) })
}

fn describe(target: &mut Value, description: Option<&str>) {
    if let Some(text) = description {
        target["description"] = Value::from(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_api() -> ir::Api {
        let dir = crate::workspace_root().join("manifest");
        okta_codegen::load_api(&dir).expect("the manifest loads")
    }

    /// Every `$ref` string anywhere in `value`.
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r),
                        // Discriminator mappings are references too.
                        ("mapping", Value::Object(m)) => {
                            out.extend(m.values().filter_map(Value::as_str))
                        }
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn document_has_every_action_under_its_method_and_path_but_those_sharing_both() {
        let api = manifest_api();
        let doc = document(&api);
        let mut kept = std::collections::BTreeSet::new();
        let mut shared = Vec::new();
        for action in api.categories.iter().flat_map(|c| &c.actions) {
            let method = action.http_method.to_ascii_lowercase();
            let op = &doc.value["paths"][&action.path][&method];
            let id = op["operationId"].as_str().expect("an operationId");
            if id != operation_id(action) {
                // Another action with the same method and path came first.
                shared.push(LeftOut::Operation(operation_id(action).to_owned()));
                continue;
            }
            assert!(kept.insert(id.to_owned()), "operationId {id} twice");
            let names: Vec<&str> = op["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            for p in action.path_params.iter().chain(&action.query_params) {
                assert!(
                    names.contains(&p.wire_name.as_str()),
                    "{id}: no {}",
                    p.wire_name
                );
            }
            let body_left_out = doc
                .left_out
                .iter()
                .any(|l| matches!(l, LeftOut::RequestBody { operation, .. } if operation == id));
            assert_eq!(
                op["requestBody"].is_object(),
                action.body.is_some() && !body_left_out,
                "{id}"
            );
            let status = action.success_status.to_string();
            assert!(op["responses"][&status].is_object(), "{id}: no {status}");
        }
        let operations_left_out: Vec<LeftOut> = (doc.left_out.iter())
            .filter(|l| matches!(l, LeftOut::Operation(_)))
            .cloned()
            .collect();
        assert_eq!(operations_left_out, shared);
        // The Okta manifest has a few (expirePassword with and without a temporary password).
        assert!(!shared.is_empty() && shared.len() < 10, "{shared:?}");
        let operations: usize = doc.value["paths"]
            .as_object()
            .expect("paths")
            .values()
            .map(|item| item.as_object().map_or(0, Map::len))
            .sum();
        assert_eq!(operations, kept.len());
    }

    #[test]
    fn request_bodies_progenitor_refuses_are_left_out_and_recorded() {
        for taken in [
            "application/json",
            "application/json; charset=utf-8",
            "application/x-www-form-urlencoded",
            "application/octet-stream",
            "text/plain",
            "text/x-markdown",
        ] {
            assert!(progenitor_takes_request_body(taken), "{taken}");
        }
        for refused in [
            "application/secevent+jwt",
            "application/merge-patch+json",
            "multipart/form-data",
            "application/xml",
        ] {
            assert!(!progenitor_takes_request_body(refused), "{refused}");
        }

        let api = manifest_api();
        let doc = document(&api);
        // Every body the document has is of a media type progenitor takes.
        for item in doc.value["paths"].as_object().expect("paths").values() {
            for op in item.as_object().expect("a path item").values() {
                if let Some(content) = op["requestBody"]["content"].as_object() {
                    for media in content.keys() {
                        assert!(progenitor_takes_request_body(media), "{media}");
                    }
                }
            }
        }
        // Okta's Shared Signals publishing takes a signed JWT: its body is left out, and said so;
        // the operation stays.
        let left_out = LeftOut::RequestBody {
            operation: "publishSecurityEventTokens".into(),
            media_type: "application/secevent+jwt".into(),
        };
        assert!(doc.left_out.contains(&left_out), "{:?}", doc.left_out);
        let action = (api.categories.iter().flat_map(|c| &c.actions))
            .find(|a| a.operation_name == "publishSecurityEventTokens")
            .expect("publishSecurityEventTokens");
        let op = &doc.value["paths"][&action.path][action.http_method.to_ascii_lowercase()];
        assert_eq!(op["operationId"], "publishSecurityEventTokens");
        assert!(op.get("requestBody").is_none());
        // The report counts it, beside the operations left out.
        let summary = summary(&doc.left_out);
        assert!(
            summary.contains(
                " and 1 request body of a media type progenitor refuses \
                 (publishSecurityEventTokens: application/secevent+jwt)"
            ),
            "{summary}"
        );
    }

    #[test]
    fn the_summary_counts_what_is_left_out_by_kind() {
        assert_eq!(
            summary(&[]),
            "0 operations that share their method and path with an earlier action and 0 request \
             bodies of a media type progenitor refuses"
        );
        let left_out = [
            LeftOut::Operation("a".into()),
            LeftOut::RequestBody {
                operation: "b".into(),
                media_type: "application/jwt".into(),
            },
            LeftOut::Operation("c".into()),
        ];
        assert_eq!(
            summary(&left_out),
            "2 operations that share their method and path with an earlier action (a, c) and 1 \
             request body of a media type progenitor refuses (b: application/jwt)"
        );
    }

    #[test]
    fn document_has_a_schema_per_model_and_every_reference_resolves() {
        let api = manifest_api();
        let doc = document(&api).value;
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for model in &api.models {
            assert!(
                schemas.contains_key(&model.name),
                "no schema {}",
                model.name
            );
        }
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(
            found.len() > api.models.len(),
            "only {} references",
            found.len()
        );
        for r in found {
            let name = r
                .strip_prefix("#/components/schemas/")
                .expect("a schema ref");
            assert!(schemas.contains_key(name), "dangling reference {r}");
        }
    }

    #[test]
    fn object_schemas_keep_inherited_and_required_fields() {
        let api = manifest_api();
        let doc = document(&api).value;
        let objects = api.models.iter().filter_map(|m| match &m.kind {
            ModelKind::Object { fields } => Some((&m.name, fields)),
            _ => None,
        });
        for (name, fields) in objects {
            let schema = &doc["components"]["schemas"][name];
            for f in fields {
                assert!(
                    schema["properties"][&f.json_name].is_object(),
                    "{name}.{}",
                    f.json_name
                );
                let required = schema["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|r| r == f.json_name.as_str()));
                assert_eq!(required, f.required, "{name}.{}", f.json_name);
            }
        }
    }
}
