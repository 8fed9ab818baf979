//! Stage 1: load. The manifest as written in YAML, parsed with serde (unknown keys rejected).
//!
//! This is the maintainer-facing format documented in `manifest/README.md`. Nothing here is
//! checked beyond YAML syntax, key names and type expressions (parsed into [`Type`] here, once);
//! `validate` does the rest.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use crate::source::SourceFile;
pub use crate::types::Type;

/// Largest manifest file read, in bytes. The largest real file is about 22 KB; a file past this
/// is a mistake (a generated dump, the wrong file), and refusing it bounds time and memory.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

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

/// `manifest/actions/<category>.yaml`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    /// The category as the action table names it ("User", "Authorizationserver", ...).
    pub category: String,
    /// Accessor method and cargo feature name; defaults to the category in snake_case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Okta's tag (a page of Okta's API reference) of the category's actions, unless an action
    /// names its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okta_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Display name, as the action table writes it.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// Okta's tag of this operation (its page in Okta's API reference), when it is not the
    /// category's `okta_tag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okta_tag: Option<String>,
    /// The operationId under which Okta's current API reference documents this operation, when
    /// it is not `operation_id` (Okta renamed it since the spec the manifest follows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okta_operation: Option<String>,
    /// Overrides the Rust method name derived from `operation_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Rust method names the action had before: each stays as a deprecated alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub method: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_params: Vec<PathParam>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_params: Vec<QueryParam>,
    /// Query pairs always sent, e.g. `tempPassword: "false"`.
    #[serde(
        default,
        deserialize_with = "unique_map",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub fixed_query: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_params: Vec<HeaderParam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
    /// The list is paged with Okta's `Link: <...>; rel="next"` headers.
    #[serde(default, skip_serializing_if = "is_false")]
    pub paginated: bool,
    /// The list is paged in the body: the response is an object whose field of this name holds
    /// the page's items and whose `_links.next.href` is the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_items: Option<String>,
    /// Where the operation is in Okta's release lifecycle (`x-okta-lifecycle`); GA by default.
    #[serde(default, skip_serializing_if = "Lifecycle::is_ga")]
    pub lifecycle: Lifecycle,
    /// The SKUs (products) an org needs for the operation, e.g. `Okta Identity Engine`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skus: Vec<String>,
    /// Okta deprecates the operation: what to use instead, or why. The method gets
    /// `#[deprecated]` with this note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// The operation is served on a host of its own: the org's host with this DNS label in front
    /// (`drapp`: `https://acme.okta.com` -> `https://drapp.acme.okta.com`). Absent: the org URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_prefix: Option<String>,
    /// The credentials Okta accepts for the operation (its spec's `security`). Absent: either
    /// ([`DEFAULT_AUTH`]); `[]`: none, the request carries no `Authorization` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Vec<AuthKind>>,
    /// The OAuth 2.0 scopes the operation needs (documentation: the client's scopes are its own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Deliberate differences from Okta's spec, aspect -> reason (read by `verify-spec`).
    #[serde(
        default,
        deserialize_with = "unique_map",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub spec_overrides: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PathParam {
    pub name: String,
    #[serde(
        default = "string_type",
        rename = "type",
        skip_serializing_if = "Type::is_string"
    )]
    pub ty: Type,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QueryParam {
    /// Name on the wire.
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Okta's server-side default, for documentation; never sent by the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_yaml::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Overrides the Rust setter name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderParam {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// A JSON media type: `application/json`, or a JSON flavour such as `application/merge-patch+json`
/// (`+json`, RFC 6839), parameters aside.
pub fn is_json_media_type(media: &str) -> bool {
    let base = media.split(';').next().unwrap_or_default().trim();
    base == "application/json" || (base.starts_with("application/") && base.ends_with("+json"))
}

/// A kind of credentials an operation accepts (a security scheme of Okta's spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// An API token: `Authorization: SSWS <token>` (the spec's `apiToken`).
    ApiToken,
    /// An OAuth 2.0 access token: `Authorization: Bearer <token>` (the spec's `oauth2`).
    Oauth2,
}

impl AuthKind {
    /// As the manifest writes it.
    pub fn name(self) -> &'static str {
        match self {
            AuthKind::ApiToken => "api_token",
            AuthKind::Oauth2 => "oauth2",
        }
    }
}

/// The credentials an operation accepts when the manifest does not say: either kind, as for
/// almost every operation of Okta's Management API.
pub const DEFAULT_AUTH: [AuthKind; 2] = [AuthKind::ApiToken, AuthKind::Oauth2];

/// Okta's release lifecycle of an operation (its spec's `x-okta-lifecycle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// Generally available.
    #[default]
    Ga,
    /// Limited general availability: available to some orgs.
    LimitedGa,
    /// Early access: an org enables it under Settings > Features.
    Ea,
    /// Beta.
    Beta,
}

impl Lifecycle {
    fn is_ga(&self) -> bool {
        *self == Lifecycle::Ga
    }

    /// How Okta's docs name the stage.
    pub fn name(self) -> &'static str {
        match self {
            Lifecycle::Ga => "Generally Available",
            Lifecycle::LimitedGa => "Limited GA",
            Lifecycle::Ea => "Early Access",
            Lifecycle::Beta => "Beta",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyContent {
    /// `application/json`, the body is a model (or list of models).
    Json,
    /// `multipart/form-data` with one file part.
    Multipart,
    /// Raw bytes with a caller-chosen content type (certificates).
    Raw,
    /// Text of one non-JSON media type (`media_type`), e.g. a signed JWT
    /// (`application/secevent+jwt`).
    Text,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Type of a JSON body (a model name or `list<Model>`); absent for multipart and raw bodies.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<Type>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    #[serde(default = "json_content", skip_serializing_if = "BodyContent::is_json")]
    pub content: BodyContent,
    /// Multipart: the name of the file part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_part: Option<String>,
    /// Raw: the content types Okta accepts, the first is the default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_types: Vec<String>,
    /// Json: the media type to send, when not `application/json` (a JSON flavour such as
    /// `application/merge-patch+json`). Text: the media type sent (required, not JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// A model name or `list<Model>`; absent (with `text` absent too) for an empty response.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<Type>,
    /// A non-JSON response returned as text, with the media type to accept (`application/xml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The success status Okta answers with.
    #[serde(
        default = "default_success_status",
        skip_serializing_if = "is_default_status"
    )]
    pub status: u16,
    /// Other media types Okta answers a JSON response in when the request asks for them with
    /// `Accept` (`application/pkcs10`): each is one more way to send the request, returning the
    /// body as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_alternatives: Vec<String>,
}

/// `manifest/models/<group>.yaml`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(deserialize_with = "unique_map")]
    pub models: BTreeMap<String, Model>,
}

/// One model. Which keys are present decides its kind:
/// `fields` (object, optionally with `parent`), `enum` (string enum), `map` (string-keyed map),
/// `discriminator` + `variants` (polymorphic family; its own `fields` are shared by the variants),
/// `one_of` (union: one of several types, optionally picked by `discriminator` and `mapping`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Object: fields by JSON name.
    #[serde(
        default,
        deserialize_with = "opt_unique_map",
        skip_serializing_if = "Option::is_none"
    )]
    pub fields: Option<BTreeMap<String, Field>>,
    /// Object: inherit every field of this model (fields here override by JSON name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// String enum: the values on the wire.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<String>>,
    /// Map model: the value type of a JSON object with arbitrary keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<Type>,
    /// Union: the types a value may be, in the order they are tried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Type>>,
    /// Family or union: the JSON field whose value picks the variant (or branch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// Family: discriminator value -> variant model (a model whose `parent` is this family).
    #[serde(
        default,
        deserialize_with = "opt_unique_map",
        skip_serializing_if = "Option::is_none"
    )]
    pub variants: Option<BTreeMap<String, String>>,
    /// Union with a `discriminator`: discriminator value -> branch model (several values may
    /// share one; a branch no value names is picked by its own name).
    #[serde(
        default,
        deserialize_with = "opt_unique_map",
        skip_serializing_if = "Option::is_none"
    )]
    pub mapping: Option<BTreeMap<String, String>>,
}

/// The `spec_overrides` aspect of a field the manifest does not require where Okta's spec does.
pub const FIELD_OVERRIDE_REQUIRED: &str = "required";
/// The `spec_overrides` aspect of a field the manifest types otherwise than Okta's spec.
pub const FIELD_OVERRIDE_TYPE: &str = "type";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: Type,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Store behind a `Box` (needed where a model contains itself).
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Overrides the Rust field name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Deliberate differences from Okta's spec, aspect -> reason: `required` (the spec requires
    /// the field, but Okta leaves it out of some answers, of some kinds of the model, so the
    /// manifest does not, and a value without it decodes) and `type` (Okta's answers have
    /// another shape than the spec's type, so the manifest types the field as they are).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub spec_overrides: BTreeMap<String, String>,
}

fn string_type() -> Type {
    Type::String
}
fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_false(b: &bool) -> bool {
    !*b
}
fn is_default_status(status: &u16) -> bool {
    *status == DEFAULT_SUCCESS_STATUS
}
impl BodyContent {
    fn is_json(&self) -> bool {
        *self == BodyContent::Json
    }
}
fn json_content() -> BodyContent {
    BodyContent::Json
}
/// The success status of a response that names none.
pub const DEFAULT_SUCCESS_STATUS: u16 = 200;
/// The success status of an action without a response.
pub const NO_CONTENT_STATUS: u16 = 204;

fn default_success_status() -> u16 {
    DEFAULT_SUCCESS_STATUS
}

/// The item type of a list paged in the body (`page_items`): the field `items` of the response
/// model `page_model` (its own, or inherited through `parent`), which must be a list. `model`
/// looks a model up by name.
pub fn body_page_item<'a>(
    page_model: &str,
    items: &str,
    model: impl Fn(&str) -> Option<&'a Model>,
) -> Result<Type, String> {
    let mut current = Some(page_model.to_owned());
    for _ in 0..crate::names::MAX_PARENT_DEPTH {
        let Some(name) = current else { break };
        let m = model(&name).ok_or_else(|| format!("page_items: `{name}` is not a model"))?;
        if let Some(field) = m.fields.as_ref().and_then(|f| f.get(items)) {
            return match &field.ty {
                Type::List(item) => Ok(Type::clone(item)),
                other => Err(format!(
                    "page_items: field `{items}` of `{page_model}` is a `{other}`, not a list"
                )),
            };
        }
        current = m.parent.clone();
    }
    Err(format!(
        "page_items: `{page_model}` has no field `{items}` (the page's items)"
    ))
}

impl Model {
    /// The discriminator values that pick each branch of a union (`one_of` with a
    /// `discriminator`), in branch order, each list sorted: the `mapping` values that name the
    /// branch or, when none does, the branch model's own name (OpenAPI's implicit mapping). An
    /// error when that name is a `mapping` value for another branch. Empty lists for a union
    /// without a discriminator, and for branches that are not models.
    pub fn union_values(&self) -> Result<Vec<Vec<String>>, String> {
        let branches = self.one_of.as_deref().unwrap_or_default();
        if self.discriminator.is_none() {
            return Ok(vec![Vec::new(); branches.len()]);
        }
        let mapping = self.mapping.clone().unwrap_or_default();
        let mut out = Vec::new();
        for branch in branches {
            let Some(model) = branch.model() else {
                out.push(Vec::new());
                continue;
            };
            // A BTreeMap: the values come out sorted.
            let mut values: Vec<String> = mapping
                .iter()
                .filter(|(_, target)| *target == model)
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                if let Some(other) = mapping.get(model) {
                    return Err(format!(
                        "no `mapping` value names branch `{model}`, so its own name would pick it, but `mapping` gives `{model}` to `{other}`"
                    ));
                }
                values.push(model.to_owned());
            }
            out.push(values);
        }
        Ok(out)
    }
}

impl Action {
    /// The status Okta answers a successful call with.
    pub fn success_status(&self) -> u16 {
        self.response
            .as_ref()
            .map_or(NO_CONTENT_STATUS, |r| r.status)
    }

    /// The credentials Okta accepts for the operation: `auth`, or [`DEFAULT_AUTH`].
    pub fn accepted_auth(&self) -> &[AuthKind] {
        self.auth.as_deref().unwrap_or(&DEFAULT_AUTH)
    }
}

/// A YAML mapping into a `BTreeMap`, rejecting a key that appears twice (serde's own `BTreeMap`
/// keeps the last of two equal keys, silently dropping a model or a field).
fn unique_map<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "duplicate key `{key}`"
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}

/// [`unique_map`] for an optional mapping (`~` is `None`).
fn opt_unique_map<'de, D, V>(deserializer: D) -> Result<Option<BTreeMap<String, V>>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(bound = "V: Deserialize<'de>")]
    struct Wrap<V>(#[serde(deserialize_with = "unique_map")] BTreeMap<String, V>);
    Ok(Option::<Wrap<V>>::deserialize(deserializer)?.map(|w| w.0))
}

/// Read every `actions/*.yaml` and `models/*.yaml` below `dir`, sorted by file name.
/// All files are read and parsed; every failure is reported, not just the first.
pub fn load(dir: &Path) -> Result<Manifest, Diagnostics> {
    let mut diags = Diagnostics::default();
    let actions = read_folder(dir, "actions", &mut diags);
    let models = read_folder(dir, "models", &mut diags);
    if actions.is_empty() && models.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::new(
            dir.to_path_buf(),
            None,
            "no manifest files found (expected actions/*.yaml and models/*.yaml)",
        ));
    }
    let manifest = from_files(actions, models, &mut diags);
    diags.into_result(manifest)
}

/// The manifest in files already read: (path as shown in diagnostics, bytes) of each category
/// file and each model file. Every problem goes to `diags`; the files that parsed are returned.
/// This is what [`load`] runs after reading the folder, and what the fuzzer drives directly.
pub fn from_files(
    actions: Vec<(PathBuf, Vec<u8>)>,
    models: Vec<(PathBuf, Vec<u8>)>,
    diags: &mut Diagnostics,
) -> Manifest {
    // Each file parses on its own (on every core: parsing is most of the load), with its own
    // diagnostics, gathered in the files' order.
    enum Parsed {
        Category(Option<Sourced<CategoryFile>>, Diagnostics),
        Models(Option<Sourced<ModelFile>>, Diagnostics),
    }
    let files: Vec<(bool, PathBuf, Vec<u8>)> = actions
        .into_iter()
        .map(|(path, bytes)| (true, path, bytes))
        .chain(models.into_iter().map(|(path, bytes)| (false, path, bytes)))
        .collect();
    let parsed = crate::parallel::map(
        files,
        |(_, _, bytes)| bytes.len(),
        |(is_category, path, bytes)| {
            let mut d = Diagnostics::default();
            if is_category {
                Parsed::Category(parse(path, bytes, &mut d), d)
            } else {
                Parsed::Models(parse(path, bytes, &mut d), d)
            }
        },
    );
    let mut manifest = Manifest {
        categories: Vec::new(),
        model_files: Vec::new(),
    };
    for p in parsed {
        match p {
            Parsed::Category(file, d) => {
                diags.extend(d);
                manifest.categories.extend(file);
            }
            Parsed::Models(file, d) => {
                diags.extend(d);
                manifest.model_files.extend(file);
            }
        }
    }
    manifest
}

/// The bytes of every `*.yaml` / `*.yml` file in `root/sub`, sorted by name.
fn read_folder(root: &Path, sub: &str, diags: &mut Diagnostics) -> Vec<(PathBuf, Vec<u8>)> {
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
        match read_file(&path) {
            Ok(bytes) => out.push((shown, bytes)),
            Err(msg) => diags.push(Diagnostic::new(shown, None, msg)),
        }
    }
    out
}

/// Read one manifest file, at most [`MAX_FILE_BYTES`] of it (so neither a huge file nor a
/// symlink to an endless device can exhaust memory or hang the generator).
fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|err| {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            // A loop (`a.yaml -> b.yaml -> a.yaml`) or a dangling link; the OS's words for it
            // vary, so say what it is.
            "is a symbolic link that does not lead to a file (a link loop, or its target is missing)"
                .to_owned()
        } else {
            format!("cannot read file: {err}")
        }
    })?;
    if meta.is_dir() {
        return Err("is a folder, not a manifest file".to_owned());
    }
    if !meta.is_file() {
        return Err("is not a regular file (a device, a pipe or a socket)".to_owned());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|err| format!("cannot read file: {err}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("cannot read file: {err}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // Grew while being read, or not a regular file (a device, a pipe).
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_big(len: u64) -> String {
    format!(
        "file is {} KiB, larger than the {} KiB a manifest file may be (split it: one file per category or model group)",
        len.div_ceil(1024),
        MAX_FILE_BYTES / 1024
    )
}

/// Parse one file's bytes: UTF-8 (a leading byte order mark is allowed), YAML indented with
/// spaces, one document, flow collections nested at most [`crate::source::MAX_FLOW_DEPTH`]
/// deep, then serde. Public so tests and fuzzers can feed bytes directly.
pub fn parse<T: for<'de> Deserialize<'de>>(
    path: PathBuf,
    bytes: Vec<u8>,
    diags: &mut Diagnostics,
) -> Option<Sourced<T>> {
    let mut error = |line: Option<usize>, col: Option<usize>, msg: String| {
        diags.push(Diagnostic::new(path.clone(), line.map(|l| (l, col)), msg));
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        error(None, None, too_big(bytes.len() as u64));
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let before = &err.as_bytes()[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = offset
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
            error(
                Some(line),
                Some(col + 1),
                format!("not valid UTF-8 (byte offset {offset}): save the file as UTF-8"),
            );
            return None;
        }
    };
    // A byte order mark is allowed (editors on Windows write one) and is not part of the YAML:
    // libyaml reads a mark before a block mapping as content of a document of its own.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if let Some(line) = text
        .lines()
        .position(|l| l.trim_start_matches(' ').starts_with('\t'))
    {
        error(
            Some(line + 1),
            None,
            "tab character in indentation (YAML indents with spaces)".to_owned(),
        );
        return None;
    }
    let is_blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if is_blank {
        error(
            Some(1),
            None,
            "the file is empty (a category file needs `category:` and `actions:`, a model file `models:`)"
                .to_owned(),
        );
        return None;
    }
    let scan = crate::source::scan(&text);
    if let Some((line, col)) = scan.too_deep {
        error(
            Some(line),
            Some(col),
            format!(
                "`[` / `{{` nested more than {} deep",
                crate::source::MAX_FLOW_DEPTH
            ),
        );
        return None;
    }
    if let Some(&line) = scan.extra_documents.first() {
        error(
            Some(line),
            None,
            "a second YAML document (`---`): a manifest file holds one".to_owned(),
        );
        return None;
    }
    let source = SourceFile::with_scan(path.clone(), text, scan);
    match serde_yaml::from_str::<T>(&source.text) {
        Ok(value) => Some(Sourced { source, value }),
        Err(err) => {
            let mut pos = err.location().map(|l| (l.line(), Some(l.column())));
            // serde_yaml appends " at line X column Y" to its message; the diagnostic says it.
            let msg = err.to_string();
            let msg = match msg.find(" at line ") {
                Some(i) => msg[..i].to_owned(),
                None => msg,
            };
            let msg = match yaml_1_1_boolean(&msg) {
                Some(word) => {
                    format!("{msg} (`{word}` is a string in YAML 1.2: write `true` or `false`)")
                }
                None => msg,
            };
            // A duplicate is reported at the start of its mapping; point at the duplicate.
            if let (Some((line, _)), Some(key)) = (pos, duplicated_key(&msg)) {
                if let Some(dup) = source.duplicate_key_line(line, key) {
                    pos = Some((dup, None));
                }
            }
            let (line, col) = match pos {
                // An error at the end of a file without a final newline is reported on the line
                // after the last: point at the end of the last line instead.
                Some((line, _)) if line > source.text.lines().count().max(1) => {
                    let last = source.text.lines().last().unwrap_or_default();
                    (
                        Some(source.text.lines().count().max(1)),
                        Some(last.chars().count() + 1),
                    )
                }
                Some((line, col)) => (Some(line), col),
                None => (None, None),
            };
            error(line, col, msg);
            None
        }
    }
}

/// YAML 1.1's words for booleans, which YAML 1.2 (and serde_yaml) reads as strings.
pub const YAML_1_1_BOOLEANS: &[&str] = &[
    "yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF", "Y",
    "N",
];

/// The word of an "invalid type: string "yes", expected a boolean" message.
fn yaml_1_1_boolean(msg: &str) -> Option<&str> {
    let rest = msg.split_once("invalid type: string \"")?.1;
    let (word, rest) = rest.split_once('"')?;
    (rest.starts_with(", expected a boolean") && YAML_1_1_BOOLEANS.contains(&word)).then_some(word)
}

/// The key named by a "duplicate field `x`" (serde) or "duplicate key `x`" (ours) message.
fn duplicated_key(msg: &str) -> Option<&str> {
    let rest = msg
        .split_once("duplicate field `")
        .or_else(|| msg.split_once("duplicate key `"))?
        .1;
    rest.split_once('`').map(|(key, _)| key)
}

fn display_path(root: &Path, path: &Path) -> PathBuf {
    let base = root.parent().unwrap_or(root);
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}
