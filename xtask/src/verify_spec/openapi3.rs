//! The spec side of `verify-spec` for an OpenAPI 3.0 document (Okta's specs since 2023): each
//! operation reduced to the same [`Shape`] as a Swagger 2.0 one, so the manifest is compared with
//! either the same way.
//!
//! What differs from Swagger 2.0: parameters carry a `schema`; parameters, request bodies and
//! responses may be `$ref`s into `components`; bodies and responses are keyed by media type.

use std::collections::BTreeMap;

use okta_codegen::manifest;
use serde_yaml::Value;

use super::{
    body_text, each_operation, in_path_order, json_content, json_response, paginated_by_rule,
    spec_scalar_type, str_of, success_response, Query, Security, Shape, SpecOp,
};

/// Deepest `$ref` chain followed (a chain that loops is an error, not a hang).
const MAX_REF_DEPTH: usize = 16;

/// `value`, or what its `$ref` (`#/components/...`) points to, followed to the end.
fn resolve<'a>(spec: &'a Value, mut value: &'a Value) -> Result<&'a Value, String> {
    for _ in 0..MAX_REF_DEPTH {
        let Some(pointer) = str_of(value, "$ref") else {
            return Ok(value);
        };
        let path = pointer
            .strip_prefix("#/")
            .ok_or_else(|| format!("`$ref: {pointer}` is not a reference into this document"))?;
        let mut target = spec;
        for part in path.split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            target = target
                .get(part.as_str())
                .ok_or_else(|| format!("`$ref: {pointer}` points at nothing"))?;
        }
        value = target;
    }
    Err(format!(
        "a `$ref` chain longer than {MAX_REF_DEPTH} (a cycle?)"
    ))
}

/// The manifest's spelling of a schema's type: a component's name, `list<...>`, `map<...>`,
/// a scalar, or `json` for an inline object or a union.
fn schema_type(schema: &Value) -> Result<String, String> {
    if let Some(r) = str_of(schema, "$ref") {
        return Ok(r.rsplit('/').next().unwrap_or(r).to_string());
    }
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return Ok("json".into());
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_sequence) {
        // `allOf: [$ref]` is how a described reference is written.
        if let [only] = all.as_slice() {
            return schema_type(only);
        }
        return Ok("json".into());
    }
    match str_of(schema, "type") {
        Some("array") => {
            let items = schema.get("items").ok_or("array schema without items")?;
            Ok(format!("list<{}>", schema_type(items)?))
        }
        Some("object") | None => match schema.get("additionalProperties") {
            Some(inner) if inner.is_mapping() => Ok(format!("map<{}>", schema_type(inner)?)),
            _ => Ok("json".into()),
        },
        ty => spec_scalar_type(ty, str_of(schema, "format")),
    }
}

/// The type of a parameter (its `schema`).
fn param_type(spec: &Value, p: &Value) -> Result<String, String> {
    let schema = resolve(spec, p.get("schema").ok_or("a parameter has no schema")?)?;
    if str_of(schema, "type") == Some("array") {
        let items = resolve(spec, schema.get("items").ok_or("array without items")?)?;
        return Ok(format!("list<{}>", param_scalar(items)?));
    }
    param_scalar(schema)
}

/// A scalar parameter type; an enum parameter compares by its type and values, as in Swagger.
/// A union of scalars (`oneOf: [RoleType, RoleId]`) travels as a string.
fn param_scalar(schema: &Value) -> Result<String, String> {
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return Ok("string".into());
    }
    spec_scalar_type(str_of(schema, "type"), str_of(schema, "format"))
}

/// Every operation of an OpenAPI 3.0 document.
pub(super) fn spec_ops(spec: &Value, security: &Security) -> Result<Vec<SpecOp>, String> {
    each_operation(spec, security, |method, path, op, shared| {
        shape(spec, method, path, op, shared)
    })
}

fn shape(
    spec: &Value,
    method: &str,
    raw_path: &str,
    op: &Value,
    shared: &[&Value],
) -> Result<Shape, String> {
    let mut shape = Shape {
        method: method.to_string(),
        path: raw_path.to_string(),
        ..Shape::default()
    };
    let mut params: Vec<&Value> = shared.to_vec();
    if let Some(own) = op.get("parameters").and_then(Value::as_sequence) {
        params.extend(own);
    }
    let mut path_types = BTreeMap::new();
    for p in params {
        let p = resolve(spec, p)?;
        let name = str_of(p, "name")
            .ok_or("a parameter has no name")?
            .to_string();
        match str_of(p, "in") {
            Some("path") => {
                path_types.insert(name, param_type(spec, p)?);
            }
            Some("query") => {
                let schema = resolve(spec, p.get("schema").unwrap_or(&Value::Null))?;
                let q = Query::new(param_type(spec, p)?, p, schema);
                shape.query_params.insert(name, q);
            }
            Some("header") => shape.header_params.push(name),
            Some("cookie") => {}
            other => return Err(format!("parameter `{name}` in {other:?}")),
        }
    }
    shape.path_params = in_path_order(raw_path, path_types)?;
    if let Some(body) = op.get("requestBody") {
        shape.body = Some(request_body(spec, resolve(spec, body)?)?);
    }

    // A 2xx, or (an operation Okta retired to a redirect) a 3xx.
    let (code, resp) = success_response(op, 200..400)?;
    shape.status = code;
    shape.response = response(resolve(spec, resp)?)?;
    shape.paginated = paginated_by_rule(method, &shape.response, &shape.query_params);
    Ok(shape)
}

/// A request body as `verify-spec` writes it: `json Model`, `multipart (file part `file`)`,
/// `text (type)` (one media type, a string schema that is not binary), `raw (types)`, with
/// `, optional` unless required.
fn request_body(spec: &Value, body: &Value) -> Result<String, String> {
    let required = body
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let content = body
        .get("content")
        .and_then(Value::as_mapping)
        .ok_or("a request body without content")?;
    let media: Vec<&str> = content.keys().filter_map(Value::as_str).collect();
    if let Some(json) = media.iter().find(|m| manifest::is_json_media_type(m)) {
        let schema = content[*json]
            .get("schema")
            .ok_or("a JSON body without schema")?;
        return Ok(body_text(
            &json_content(json),
            &schema_type(schema)?,
            required,
            &[],
            None,
        ));
    }
    if media.contains(&"multipart/form-data") {
        let schema = resolve(
            spec,
            content["multipart/form-data"]
                .get("schema")
                .unwrap_or(&Value::Null),
        )?;
        let part = schema
            .get("properties")
            .and_then(Value::as_mapping)
            .and_then(|props| {
                props.iter().find_map(|(name, p)| {
                    (str_of(p, "format") == Some("binary")).then(|| name.as_str())?
                })
            })
            .ok_or("a multipart body without a binary part")?;
        return Ok(body_text("multipart", "", required, &[], Some(part)));
    }
    let types: Vec<String> = media.iter().map(|m| m.to_string()).collect();
    if let [only] = media.as_slice() {
        let schema = resolve(spec, content[*only].get("schema").unwrap_or(&Value::Null))?;
        if str_of(schema, "type") == Some("string") && str_of(schema, "format") != Some("binary") {
            return Ok(body_text("text", "", required, &types, None));
        }
    }
    Ok(body_text("raw", "", required, &types, None))
}

/// A 2xx response as `verify-spec` writes it: `json Model` (with the other media types it comes
/// in, asked for with `Accept`), `text <media>`, or `empty`.
fn response(resp: &Value) -> Result<String, String> {
    let Some(content) = resp.get("content").and_then(Value::as_mapping) else {
        return Ok("empty".into());
    };
    let media: Vec<&str> = content.keys().filter_map(Value::as_str).collect();
    if let Some(json) = media.iter().find(|m| manifest::is_json_media_type(m)) {
        let others: Vec<&str> = media
            .iter()
            .copied()
            .filter(|m| !manifest::is_json_media_type(m))
            .collect();
        return match content[*json].get("schema") {
            Some(schema) => Ok(json_response(&schema_type(schema)?, &others)),
            None => Ok("empty".into()),
        };
    }
    match media.first() {
        Some(media) => Ok(format!("text {media}")),
        None => Ok("empty".into()),
    }
}
