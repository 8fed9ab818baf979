//! The Okta client generator: manifest (YAML) -> Rust source.
//!
//! Pipeline, one module per stage:
//! 1. [`manifest::load`]: read and parse the YAML files (unknown keys rejected);
//! 2. [`validate::validate`]: every consistency check, all problems reported with file and line;
//! 3. [`ir::lower`]: the resolved IR (names, identifiers, types), plain data;
//! 4. [`emit`]: IR -> `quote!` tokens, one stream per file;
//! 5. [`format`]: tokens -> `syn::File` -> prettyplease text with the generated-file header.
//!
//! [`generate`] runs stages 4 and 5 over a lowered [`ir::Api`] ([`emit_files`] then
//! [`format_files`]); [`load_api`] runs stages 1 to 3.

pub mod diagnostics;
pub mod emit;
pub mod format;
pub mod ir;
pub mod manifest;
pub mod manifest_writer;
pub mod names;
pub mod parallel;
pub mod sample;
pub mod source;
pub mod types;
pub mod validate;

#[doc(hidden)]
pub mod fuzzing;

use std::path::Path;

pub use diagnostics::{Diagnostic, Diagnostics};

/// One generated file, its path relative to the client crate (`okta-generated/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Folders (relative to the client crate) that hold only generated files; anything in them that
/// the generator did not write this time is stale.
pub const GENERATED_DIRS: [&str; 3] = [GENERATED_DIR, MODELS_DIR, GENERATED_TESTS_DIR];
/// The generated source of the client: the categories of actions.
pub const GENERATED_DIR: &str = "src/generated";
/// The client's models crate (`okta-generated-models`, a package of its own so that cargo
/// checks it beside the HTTP stack: it depends on serde and serde_json only), relative to the
/// client crate; `okta-generated` re-exports it as `okta_generated::models`.
pub const MODELS_CRATE: &str = "models";
/// The generated models, in the models crate.
pub const MODELS_DIR: &str = "models/src/generated";
/// Generated test support.
pub const GENERATED_TESTS_DIR: &str = "tests/generated";

/// Stages 1-3: load, validate and lower the manifest in `dir`.
pub fn load_api(dir: &Path) -> Result<ir::Api, Diagnostics> {
    let manifest = manifest::load(dir)?;
    check_and_lower(&manifest)
}

/// Stages 2-3 on a loaded manifest.
pub fn check_and_lower(manifest: &manifest::Manifest) -> Result<ir::Api, Diagnostics> {
    validate::validate(manifest)?;
    ir::lower(manifest)
}

/// Stages 4-5: every generated file, in a stable order.
///
/// Files are emitted and laid out on several threads (as many as the machine has cores): the
/// layout is most of the generator's time and each file is independent. A file's tokens never
/// cross threads (`TokenStream` is not `Send`): one thread emits and formats it. The output does
/// not depend on the number of threads.
pub fn generate(api: &ir::Api) -> Result<Vec<GeneratedFile>, String> {
    let mut jobs = file_jobs(api);
    // Sorted by path, so the files and the first error reported do not depend on scheduling.
    jobs.sort_by(|a, b| a.0.cmp(&b.0));
    parallel::map(
        jobs,
        |(path, _)| estimated_size(api, path),
        |(path, emit)| {
            let contents = format::format_file(&path, emit())?;
            Ok(GeneratedFile { path, contents })
        },
    )
    .into_iter()
    .collect()
}

/// Stage 4 alone, on one thread: the tokens of every generated file, with its path. With
/// [`format_files`] it gives what [`generate`] gives; the benchmark uses the two to time each
/// stage.
pub fn emit_files(api: &ir::Api) -> Vec<(String, proc_macro2::TokenStream)> {
    file_jobs(api)
        .into_iter()
        .map(|(path, emit)| {
            let tokens = emit();
            (path, tokens)
        })
        .collect()
}

/// Stage 5 alone, on one thread: lay out every emitted file ([`format::format_file`]), sorted by
/// path.
pub fn format_files(
    emitted: Vec<(String, proc_macro2::TokenStream)>,
) -> Result<Vec<GeneratedFile>, String> {
    let mut files = Vec::with_capacity(emitted.len());
    for (path, tokens) in emitted {
        let contents = format::format_file(&path, tokens)?;
        files.push(GeneratedFile { path, contents });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A rough measure of how much code the file at `path` gets, to lay out the largest files
/// first: its actions and their parameters, its models and their fields.
fn estimated_size(api: &ir::Api, path: &str) -> usize {
    let action =
        |a: &ir::ActionDef| 8 + a.path_params.len() + a.query_params.len() + a.header_params.len();
    let model = |m: &ir::ModelDef| {
        2 + match &m.kind {
            ir::ModelKind::Object { fields } => fields.len(),
            ir::ModelKind::Enum { variants } => variants.len() / 2,
            ir::ModelKind::Map { .. } => 0,
            ir::ModelKind::Family {
                variants,
                base_fields,
                ..
            } => 2 * variants.len() + base_fields.len(),
            ir::ModelKind::Union { branches, .. } => 2 * branches.len(),
        }
    };
    let actions = || api.categories.iter().flat_map(|c| &c.actions);
    if path == format!("{GENERATED_TESTS_DIR}/contract.rs") {
        return actions().map(action).sum();
    }
    if path == format!("{GENERATED_TESTS_DIR}/mod.rs") {
        return 2 * actions().count() + api.models.len();
    }
    if let Some(cat) = api
        .categories
        .iter()
        .find(|c| path == format!("{GENERATED_DIR}/api/{}.rs", c.accessor))
    {
        return cat.actions.iter().map(action).sum();
    }
    let group = path
        .strip_prefix(&format!("{MODELS_DIR}/"))
        .and_then(|file| file.strip_suffix(".rs"));
    match group {
        Some(group) if group != "mod" => api
            .models
            .iter()
            .filter(|m| m.group == group)
            .map(model)
            .sum(),
        _ => 0,
    }
}

/// An emitter of one file's tokens; `Send` so that any thread can run it.
type Emit<'a> = Box<dyn Fn() -> proc_macro2::TokenStream + Send + Sync + 'a>;

/// Every generated file: its path and the emitter of its tokens.
fn file_jobs(api: &ir::Api) -> Vec<(String, Emit<'_>)> {
    let mut jobs: Vec<(String, Emit<'_>)> = vec![
        (
            format!("{GENERATED_DIR}/mod.rs"),
            Box::new(emit::root::generated_mod),
        ),
        (
            format!("{MODELS_DIR}/mod.rs"),
            Box::new(|| emit::root::models_mod(api)),
        ),
    ];
    for group in &api.model_groups {
        jobs.push((
            format!("{MODELS_DIR}/{group}.rs"),
            Box::new(|| emit::root::models_group(api, group)),
        ));
    }
    jobs.push((
        format!("{GENERATED_DIR}/api/mod.rs"),
        Box::new(|| emit::root::api_mod(api)),
    ));
    for cat in &api.categories {
        jobs.push((
            format!("{GENERATED_DIR}/api/{}.rs", cat.accessor),
            Box::new(|| emit::actions::category(cat)),
        ));
    }
    jobs.push((
        format!("{GENERATED_TESTS_DIR}/mod.rs"),
        Box::new(|| emit::test_support::test_support(api)),
    ));
    jobs.push((
        format!("{GENERATED_TESTS_DIR}/contract.rs"),
        Box::new(|| emit::contract_tests::contract_tests(api)),
    ));
    jobs
}

/// Markers around the generated lines of the `[features]` tables of `okta-generated/Cargo.toml`
/// and `okta-generated/models/Cargo.toml`.
pub const FEATURES_BEGIN: &str = "# BEGIN category features, generated by `cargo xtask codegen`";
pub const FEATURES_END: &str = "# END category features";

/// Whose `Cargo.toml` a feature table is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeaturesOf {
    /// `okta-generated`: `all-categories`, and each category's feature, which enables the same
    /// feature of the models crate.
    Client,
    /// `okta-generated-models`: each category's feature, which compiles the models it reaches.
    Models,
}

/// The package name of the models crate, as the client's features name it.
pub const MODELS_PACKAGE: &str = "okta-generated-models";

/// `cargo_toml` with the lines between the feature markers replaced by the category features.
pub fn splice_features(cargo_toml: &str, api: &ir::Api, of: FeaturesOf) -> Result<String, String> {
    let begin = cargo_toml
        .find(FEATURES_BEGIN)
        .ok_or_else(|| format!("Cargo.toml has no line `{FEATURES_BEGIN}`"))?;
    let body_start = begin + FEATURES_BEGIN.len() + 1;
    let end = cargo_toml[begin..]
        .find(FEATURES_END)
        .map(|i| begin + i)
        .ok_or_else(|| format!("Cargo.toml has no line `{FEATURES_END}`"))?;
    if body_start > end {
        return Err("Cargo.toml's feature markers are out of order".into());
    }
    Ok(format!(
        "{}{}{}",
        &cargo_toml[..body_start],
        emit::root::features(api, of),
        &cargo_toml[end..]
    ))
}
