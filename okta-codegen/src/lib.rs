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
/// the generator did not write this time is stale: the client's categories, each crate of
/// models' generated folder (`ir::ModelCrate`), the tests' support.
pub fn generated_dirs() -> Vec<String> {
    let mut dirs = vec![GENERATED_DIR.to_owned()];
    dirs.extend(ir::ModelCrate::all().map(models_dir));
    dirs.push(GENERATED_TESTS_DIR.to_owned());
    dirs
}
/// The generated source of the client: the categories of actions.
pub const GENERATED_DIR: &str = "src/generated";
/// Generated test support.
pub const GENERATED_TESTS_DIR: &str = "tests/generated";

/// The generated folder of a crate of models, relative to the client crate.
pub fn models_dir(krate: ir::ModelCrate) -> String {
    format!("{}/src/generated", krate.dir())
}

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
    jobs.sort_by(|a, b| a.path.cmp(&b.path));
    parallel::map(
        jobs,
        |job| job.size,
        |job| {
            let contents = format::format_file(&job.path, (job.emit)())?;
            Ok(GeneratedFile {
                path: job.path,
                contents,
            })
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
        .map(|job| {
            let tokens = (job.emit)();
            (job.path, tokens)
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

/// One generated Rust file to write: its path, how much code it gets, roughly (its actions and
/// their parameters, its models' weight: the largest files are laid out first), and the emitter
/// of its tokens (`Send` and `Sync`, so that any thread can run it).
struct Job<'a> {
    path: String,
    size: usize,
    emit: Box<dyn Fn() -> proc_macro2::TokenStream + Send + Sync + 'a>,
}

/// Every generated Rust file.
fn file_jobs(api: &ir::Api) -> Vec<Job<'_>> {
    let action_size =
        |a: &ir::ActionDef| 8 + a.path_params.len() + a.query_params.len() + a.header_params.len();
    let mut jobs = vec![Job {
        path: format!("{GENERATED_DIR}/mod.rs"),
        size: 0,
        emit: Box::new(emit::root::generated_mod),
    }];
    for krate in ir::ModelCrate::all() {
        let dir = models_dir(krate);
        let groups = api.model_groups_of(krate);
        let modules = groups.clone();
        jobs.push(Job {
            path: format!("{dir}/mod.rs"),
            size: 0,
            emit: Box::new(move || emit::root::models_mod(krate, &modules)),
        });
        for group in groups {
            let size = api
                .models
                .iter()
                .filter(|m| m.krate == krate && m.group == group)
                .map(ir::model_weight)
                .sum();
            jobs.push(Job {
                path: format!("{dir}/{group}.rs"),
                size,
                emit: Box::new(move || emit::root::models_group(api, krate, group)),
            });
        }
    }
    jobs.push(Job {
        path: format!("{GENERATED_DIR}/api/mod.rs"),
        size: 0,
        emit: Box::new(|| emit::root::api_mod(api)),
    });
    for cat in &api.categories {
        jobs.push(Job {
            path: format!("{GENERATED_DIR}/api/{}.rs", cat.accessor),
            size: cat.actions.iter().map(action_size).sum(),
            emit: Box::new(|| emit::actions::category(cat)),
        });
    }
    let actions = || api.categories.iter().flat_map(|c| &c.actions);
    jobs.push(Job {
        path: format!("{GENERATED_TESTS_DIR}/mod.rs"),
        size: 2 * actions().count() + api.models.len(),
        emit: Box::new(|| emit::test_support::test_support(api)),
    });
    jobs.push(Job {
        path: format!("{GENERATED_TESTS_DIR}/contract.rs"),
        size: actions().map(action_size).sum(),
        emit: Box::new(|| emit::contract_tests::contract_tests(api)),
    });
    jobs
}

/// Markers around the generated lines of the `[features]` tables of `okta-generated/Cargo.toml`
/// and of each crate of models' `Cargo.toml` (`ir::ModelCrate::dir`).
pub const FEATURES_BEGIN: &str = "# BEGIN category features, generated by `cargo xtask codegen`";
pub const FEATURES_END: &str = "# END category features";

/// Whose `Cargo.toml` a feature table is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeaturesOf {
    /// `okta-generated`: `all-categories`, and each category's feature, which enables the same
    /// feature of every crate of models.
    Client,
    /// A crate of models: each category's feature, which compiles the models it reaches (a
    /// part's also enables the shared crate's, whose models its own name).
    Models(ir::ModelCrate),
}

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
