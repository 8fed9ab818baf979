//! Reading an OpenAPI 3.0 document for the importer: size and shape checks, and `$ref`s
//! followed with the JSON pointer of every step, so an error names where in the spec it is.

use serde_yaml::Value;

/// Largest spec read, in bytes. Okta's whole Management API is about 3.5 MB; a file past this is
/// not a spec (a dump, a hostile file), and refusing it bounds time and memory.
pub const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

/// Longest `$ref` chain followed: a chain that loops is an error, not a hang.
pub const MAX_REF_HOPS: usize = 16;

/// What went wrong, and where: a JSON pointer into the spec (`#/paths/~1api~1v1~1users/get`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub pointer: String,
    pub message: String,
}

impl SpecError {
    pub fn new(pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError {
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {}", self.pointer, self.message)
    }
}

/// A JSON pointer one step further: `#/paths` + `/api/v1/users` = `#/paths/~1api~1v1~1users`.
pub fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Read and parse a spec file (YAML, or JSON, which is YAML): refuses a file that is too large,
/// not UTF-8, not YAML, or not an OpenAPI 3.0 document.
pub fn read(path: &std::path::Path) -> Result<Value, String> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{shown}: {e}"))?
        .len();
    if size > MAX_SPEC_BYTES {
        return Err(format!(
            "{shown}: {size} bytes, more than the {MAX_SPEC_BYTES} an Okta spec can be"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| format!("{shown}: not UTF-8 text ({e})"))?;
    parse(&text).map_err(|e| format!("{shown}: {e}"))
}

/// Parse spec text and check that it is an OpenAPI 3.0 document with `paths`.
pub fn parse(text: &str) -> Result<Value, String> {
    // serde_yaml bounds nesting depth and alias expansion, so a hostile document errors.
    let doc: Value = serde_yaml::from_str(text).map_err(|e| format!("not YAML or JSON: {e}"))?;
    if !doc.is_mapping() {
        return Err("not an OpenAPI document (the top level is not a mapping)".into());
    }
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => {}
        Some(v) => {
            return Err(format!(
                "OpenAPI {v}: import-spec reads OpenAPI 3.0 (Okta's specs since 2023)"
            ))
        }
        None if doc.get("swagger").is_some() => {
            return Err(
                "a Swagger 2.0 document: import-spec reads OpenAPI 3.0 (Okta's specs since \
                 2023); `cargo xtask verify-spec` still compares the manifest with Swagger 2.0"
                    .into(),
            )
        }
        None => return Err("not an OpenAPI document (no `openapi: 3.0.x`)".into()),
    }
    if !doc.get("paths").is_some_and(Value::is_mapping) {
        return Err("at #/paths: an OpenAPI document needs `paths` (a mapping)".into());
    }
    Ok(doc)
}

/// `value` (at `pointer`), or what its `$ref` points to, followed to the end; with the pointer
/// of what was found.
pub fn resolve<'a>(
    root: &'a Value,
    mut value: &'a Value,
    pointer: &str,
) -> Result<(&'a Value, String), SpecError> {
    let mut at = pointer.to_owned();
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = value.get("$ref") else {
            return Ok((value, at));
        };
        let reference = reference
            .as_str()
            .ok_or_else(|| SpecError::new(&at, "`$ref` is not a string"))?;
        value = lookup(root, reference).map_err(|m| SpecError::new(&at, m))?;
        at = reference.to_owned();
    }
    Err(SpecError::new(
        pointer,
        format!("a `$ref` chain longer than {MAX_REF_HOPS} steps (a cycle of references)"),
    ))
}

/// What a local reference (`#/components/schemas/User`) points at.
pub fn lookup<'a>(root: &'a Value, reference: &str) -> Result<&'a Value, String> {
    let path = reference.strip_prefix("#/").ok_or_else(|| {
        format!("`$ref: {reference}` is not a reference into this document (`#/...`)")
    })?;
    let mut target = root;
    for part in path.split('/') {
        let part = part.replace("~1", "/").replace("~0", "~");
        target = target
            .get(part.as_str())
            .ok_or_else(|| format!("`$ref: {reference}` points at nothing"))?;
    }
    Ok(target)
}

/// The name of a component schema a reference names (`#/components/schemas/User` -> `User`).
pub fn schema_ref_name(reference: &str) -> Option<&str> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|rest| !rest.contains('/'))
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}
