//! Stage 1: load. The manifest as written in YAML, parsed with serde (unknown keys rejected).
//!
//! This is the maintainer-facing format documented in `manifest/README.md`. Nothing here is
//! checked beyond YAML syntax and key names; `validate` does the rest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// A whole manifest: every category file and every model file, in a stable order.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub categories: Vec<Sourced<CategoryFile>>,
    pub model_files: Vec<Sourced<ModelFile>>,
}

/// A parsed file together with where it came from, so diagnostics can point into it.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub source: SourceFile,
    pub value: T,
}

/// The text of one manifest file, kept to find the line of a named item for diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in diagnostics (relative to the manifest's parent where possible).
    pub path: PathBuf,
    pub text: String,
}

/// `manifest/actions/<category>.yaml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    /// The category as the action table names it ("User", "Authorizationserver", ...).
    pub category: String,
    /// Accessor method and cargo feature name; defaults to the category in snake_case.
    #[serde(default)]
    pub accessor: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Display name, as the action table writes it.
    pub name: String,
    #[serde(default)]
    pub operation_id: Option<String>,
    /// Overrides the Rust method name derived from `operation_id`.
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub path_params: Vec<PathParam>,
    #[serde(default)]
    pub query_params: Vec<QueryParam>,
    /// Query pairs always sent, e.g. `tempPassword: "false"`.
    #[serde(default)]
    pub fixed_query: BTreeMap<String, String>,
    #[serde(default)]
    pub header_params: Vec<HeaderParam>,
    #[serde(default)]
    pub body: Option<Body>,
    #[serde(default)]
    pub response: Option<Response>,
    #[serde(default)]
    pub paginated: bool,
    /// Deliberate differences from Okta's spec, aspect -> reason (read by `verify-spec`).
    #[serde(default)]
    pub spec_overrides: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathParam {
    pub name: String,
    #[serde(default = "string_type", rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryParam {
    /// Name on the wire.
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    /// Okta's server-side default, for documentation; never sent by the client.
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    #[serde(default)]
    pub description: Option<String>,
    /// Overrides the Rust setter name.
    #[serde(default)]
    pub rust_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderParam {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub rust_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyContent {
    /// `application/json`, the body is a model (or list of models).
    Json,
    /// `multipart/form-data` with one file part.
    Multipart,
    /// Raw bytes with a caller-chosen content type (certificates).
    Raw,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Type of a JSON body (a model name or `list<Model>`); absent for multipart and raw bodies.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default = "json_content")]
    pub content: BodyContent,
    /// Multipart: the name of the file part.
    #[serde(default)]
    pub file_part: Option<String>,
    /// Raw: the content types Okta accepts, the first is the default.
    #[serde(default)]
    pub content_types: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// A model name or `list<Model>`; absent (with `text` absent too) for an empty response.
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// A non-JSON response returned as text, with the media type to accept (`application/xml`).
    #[serde(default)]
    pub text: Option<String>,
    /// The success status Okta answers with.
    #[serde(default = "status_200")]
    pub status: u16,
}

/// `manifest/models/<group>.yaml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    #[serde(default)]
    pub description: Option<String>,
    pub models: BTreeMap<String, Model>,
}

/// One model. Which keys are present decides its kind:
/// `fields` (object, optionally with `parent`), `enum` (string enum), `map` (string-keyed map),
/// `discriminator` + `variants` (polymorphic family; its own `fields` are shared by the variants).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    #[serde(default)]
    pub description: Option<String>,
    /// Object: fields by JSON name.
    #[serde(default)]
    pub fields: Option<BTreeMap<String, Field>>,
    /// Object: inherit every field of this model (fields here override by JSON name).
    #[serde(default)]
    pub parent: Option<String>,
    /// String enum: the values on the wire.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// Map model: the value type of a JSON object with arbitrary keys.
    #[serde(default)]
    pub map: Option<String>,
    /// Family: the JSON field whose value picks the variant.
    #[serde(default)]
    pub discriminator: Option<String>,
    /// Family: discriminator value -> variant model (a model whose `parent` is this family).
    #[serde(default)]
    pub variants: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub read_only: bool,
    /// Store behind a `Box` (needed where a model contains itself).
    #[serde(default)]
    pub boxed: bool,
    #[serde(default)]
    pub description: Option<String>,
    /// Overrides the Rust field name.
    #[serde(default)]
    pub rust_name: Option<String>,
}

fn string_type() -> String {
    "string".to_owned()
}
fn yes() -> bool {
    true
}
fn json_content() -> BodyContent {
    BodyContent::Json
}
fn status_200() -> u16 {
    200
}

impl SourceFile {
    /// 1-based line of the first line at or after `from` whose trimmed text (with any leading
    /// `- ` list marker removed) starts with `needle`.
    pub fn find_line(&self, from: usize, needle: &str) -> Option<usize> {
        self.text
            .lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, line)| {
                let t = line.trim_start();
                let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
                t.starts_with(needle)
            })
            .map(|(i, _)| i + 1)
    }

    /// Line of an action entry, found by its display name.
    pub fn action_line(&self, name: &str) -> Option<usize> {
        self.find_line(1, &format!("name: {name}"))
            .or_else(|| self.find_line(1, &format!("name: \"{name}\"")))
    }

    /// Line of a model entry (`  Name:` under `models:`).
    pub fn model_line(&self, name: &str) -> Option<usize> {
        self.find_line(1, &format!("{name}:"))
    }

    /// Line of a field inside a model entry.
    pub fn field_line(&self, model: &str, field: &str) -> Option<usize> {
        self.field_line_from(self.model_line(model)?, field)
    }

    /// Line of a field inside the model entry at `model_line` (what [`Self::model_line`] gave);
    /// saves a search from the top of the file when the model's line is already known.
    pub fn field_line_from(&self, model_line: usize, field: &str) -> Option<usize> {
        self.find_line(model_line, &format!("{field}:"))
            .or_else(|| self.find_line(model_line, &format!("\"{field}\":")))
    }
}

/// Read every `actions/*.yaml` and `models/*.yaml` below `dir`, sorted by file name.
/// All files are read and parsed; every failure is reported, not just the first.
pub fn load(dir: &Path) -> Result<Manifest, Diagnostics> {
    let mut diags = Diagnostics::default();
    let categories = load_dir::<CategoryFile>(dir, "actions", &mut diags);
    let model_files = load_dir::<ModelFile>(dir, "models", &mut diags);
    if categories.is_empty() && model_files.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::new(
            dir.to_path_buf(),
            None,
            "no manifest files found (expected actions/*.yaml and models/*.yaml)",
        ));
    }
    diags.into_result(Manifest {
        categories,
        model_files,
    })
}

fn load_dir<T: for<'de> Deserialize<'de>>(
    root: &Path,
    sub: &str,
    diags: &mut Diagnostics,
) -> Vec<Sourced<T>> {
    let dir = root.join(sub);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) => {
            diags.push(Diagnostic::new(
                dir,
                None,
                format!("cannot read folder: {err}"),
            ));
            return Vec::new();
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    paths.push(path);
                }
            }
            Err(err) => diags.push(Diagnostic::new(dir.clone(), None, err.to_string())),
        }
    }
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let shown = display_path(root, &path);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                diags.push(Diagnostic::new(
                    shown,
                    None,
                    format!("cannot read file: {err}"),
                ));
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let line = err.as_bytes()[..offset]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                diags.push(Diagnostic::new(
                    shown,
                    Some((line, None)),
                    format!("not valid UTF-8 (byte offset {offset})"),
                ));
                continue;
            }
        };
        if let Some(source) = parse::<T>(shown, text, diags) {
            out.push(source);
        }
    }
    out
}

/// Parse one file's text. Public so tests and fuzzers can feed text directly.
pub fn parse<T: for<'de> Deserialize<'de>>(
    path: PathBuf,
    text: String,
    diags: &mut Diagnostics,
) -> Option<Sourced<T>> {
    if let Some(line) = text
        .lines()
        .position(|l| l.starts_with('\t') || l.trim_start_matches(' ').starts_with('\t'))
    {
        diags.push(Diagnostic::new(
            path,
            Some((line + 1, None)),
            "tab character in indentation (YAML indents with spaces)",
        ));
        return None;
    }
    match serde_yaml::from_str::<T>(&text) {
        Ok(value) => Some(Sourced {
            source: SourceFile { path, text },
            value,
        }),
        Err(err) => {
            let pos = err.location().map(|l| (l.line(), Some(l.column())));
            // serde_yaml appends " at line X column Y" to its message; the diagnostic says it.
            let msg = err.to_string();
            let msg = match msg.find(" at line ") {
                Some(i) => msg[..i].to_owned(),
                None => msg,
            };
            diags.push(Diagnostic::new(path, pos, msg));
            None
        }
    }
}

fn display_path(root: &Path, path: &Path) -> PathBuf {
    let base = root.parent().unwrap_or(root);
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}
