//! The manifest's files as the canonical layout writes them (`okta_codegen::manifest_writer`),
//! and `cargo xtask fmt-manifest`, which keeps the checked-in files in that layout.
//!
//! One layout for every writer of the manifest (this command and `import-spec`) means the diff of
//! an import shows what changed in Okta's API, never a reformatting.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use okta_codegen::manifest::{CategoryFile, Manifest, ModelFile};
use okta_codegen::manifest_writer;

use crate::codegen::write_atomic;

/// Where a category file lives, relative to the manifest folder.
pub fn category_path(file_stem: &str) -> PathBuf {
    Path::new("actions").join(format!("{file_stem}.yaml"))
}

/// Where a model file lives, relative to the manifest folder.
pub fn model_path(file_stem: &str) -> PathBuf {
    Path::new("models").join(format!("{file_stem}.yaml"))
}

/// The manifest's files, each (path relative to the manifest folder, text in the layout).
pub fn render(
    categories: &[(String, &CategoryFile)],
    models: &[(String, &ModelFile)],
) -> Vec<(PathBuf, String)> {
    let mut files = Vec::with_capacity(categories.len() + models.len());
    for (stem, file) in categories {
        files.push((category_path(stem), manifest_writer::category_file(file)));
    }
    for (stem, file) in models {
        files.push((model_path(stem), manifest_writer::model_file(file)));
    }
    files
}

/// A loaded manifest's files in the layout, under the names they were read from.
pub fn render_loaded(m: &Manifest) -> Vec<(PathBuf, String)> {
    let categories: Vec<_> = m
        .categories
        .iter()
        .map(|c| (c.source.file_stem(), &c.value))
        .collect();
    let models: Vec<_> = m
        .model_files
        .iter()
        .map(|f| (f.source.file_stem(), &f.value))
        .collect();
    render(&categories, &models)
}

/// The files of `files` whose text differs from what is on disk below `dir`.
pub fn changed(dir: &Path, files: Vec<(PathBuf, String)>) -> Vec<(PathBuf, String)> {
    files
        .into_iter()
        .filter(|(rel, text)| {
            std::fs::read_to_string(dir.join(rel)).ok().as_deref() != Some(text.as_str())
        })
        .collect()
}

/// Write each file (atomically: a temporary file renamed into place).
pub fn write(dir: &Path, files: &[(PathBuf, String)]) -> Result<(), String> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        write_atomic(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// `cargo xtask fmt-manifest [--check]`: rewrite the manifest's files in the layout (only those
/// that differ); with `check`, write nothing and exit 1 when any file differs. An invalid
/// manifest is left alone (exit 2, with the diagnostics).
pub fn run(dir: &Path, check: bool) -> ExitCode {
    let manifest = match okta_codegen::manifest::load(dir) {
        Ok(m) => m,
        Err(diags) => {
            eprintln!("{diags}");
            return ExitCode::from(2);
        }
    };
    let stale = changed(dir, render_loaded(&manifest));
    for (rel, _) in &stale {
        outln!(
            "{}{}",
            if check {
                "not in the layout: "
            } else {
                "formatted "
            },
            rel.display()
        );
    }
    if check {
        return if stale.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    match write(dir, &stale) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}
