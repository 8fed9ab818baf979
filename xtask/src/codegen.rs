//! `cargo xtask codegen`: manifest -> `okta-generated/`. Writes only files whose content changed
//! (each through a temporary file renamed into place, so an interrupted run never leaves a
//! half-written file), removes generated files that no longer belong, and writes nothing at all
//! when the manifest is invalid.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use okta_codegen::ir::ModelCrate;
use okta_codegen::{generated_dirs, FeaturesOf, GeneratedFile};

/// What the generator wants on disk, relative to the client crate, with the current content.
pub struct Plan {
    /// (path, new contents) of every file that differs from disk.
    pub changed: Vec<(PathBuf, String)>,
    /// Generated files on disk that the manifest no longer produces.
    pub stale: Vec<PathBuf>,
    /// Temporary files an interrupted run left next to the files the generator wants (the next
    /// run overwrites or removes them; they are hidden and do not end in `.rs`, so nothing
    /// compiles them meanwhile).
    pub leftover_temps: Vec<PathBuf>,
    pub actions: usize,
    pub models: usize,
    pub files: usize,
    /// The lowered manifest (for the API-change summary).
    pub api: okta_codegen::ir::Api,
}

pub fn plan(manifest: &Path, out: &Path) -> Result<Plan, String> {
    let api = okta_codegen::load_api(manifest).map_err(|d| d.to_string())?;
    let mut files = okta_codegen::generate(&api)?;
    // The category features of the client crate and of each crate of models, where there is
    // one (the tests generate into bare folders).
    let tables = std::iter::once(("Cargo.toml".to_string(), FeaturesOf::Client)).chain(
        ModelCrate::all().map(|k| (format!("{}/Cargo.toml", k.dir()), FeaturesOf::Models(k))),
    );
    for (toml, of) in tables {
        let cargo_toml = out.join(&toml);
        if cargo_toml.exists() {
            let text = std::fs::read_to_string(&cargo_toml)
                .map_err(|e| format!("{}: {e}", cargo_toml.display()))?;
            let spliced = okta_codegen::splice_features(&text, &api, of)
                .map_err(|e| format!("{}: {e}", cargo_toml.display()))?;
            files.push(GeneratedFile {
                path: toml,
                contents: spliced,
            });
        }
    }
    let mut changed = Vec::new();
    let mut wanted = BTreeSet::new();
    let mut leftover_temps = Vec::new();
    for f in &files {
        let path = out.join(&f.path);
        wanted.insert(path.clone());
        let temp = temp_path(&path);
        if temp.symlink_metadata().is_ok() {
            leftover_temps.push(temp);
        }
        if std::fs::read(&path).ok().as_deref() != Some(f.contents.as_bytes()) {
            changed.push((path, f.contents.clone()));
        }
    }
    let mut stale = Vec::new();
    for dir in generated_dirs() {
        collect_files(&out.join(dir), &mut |p| {
            if !wanted.contains(p) && !leftover_temps.iter().any(|t| t == p) {
                stale.push(p.to_path_buf());
            }
        })?;
    }
    Ok(Plan {
        changed,
        stale,
        leftover_temps,
        actions: api.categories.iter().map(|c| c.actions.len()).sum(),
        models: api.models.len(),
        files: files.len(),
        api,
    })
}

fn collect_files(dir: &Path, f: &mut dyn FnMut(&Path)) -> Result<(), String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_files(&p, f)?;
        } else {
            f(&p);
        }
    }
    Ok(())
}

/// The temporary file `write_atomic` writes before renaming it to `path`: hidden, in the same
/// folder (a rename within one file system is atomic), and not a `.rs` file.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.codegen-tmp"))
}

/// Write `contents` to `path` atomically: a temporary file in the same folder, then a rename.
/// Killed at any point, `path` holds either its old or its new content, never a part.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = temp_path(path);
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn shown(out: &Path, p: &Path) -> String {
    let base = out.parent().unwrap_or(out);
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

pub fn run(manifest: &Path, out: &Path, check: bool) -> ExitCode {
    let start = Instant::now();
    let plan = match plan(manifest, out) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("{msg}");
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if check {
        if plan.changed.is_empty() && plan.stale.is_empty() {
            outln!(
                "generated code is up to date ({} actions, {} models, {} files)",
                plan.actions,
                plan.models,
                plan.files
            );
            return ExitCode::SUCCESS;
        }
        for (p, _) in &plan.changed {
            eprintln!("stale: {}", shown(out, p));
        }
        for p in &plan.stale {
            eprintln!("should not exist: {}", shown(out, p));
        }
        eprintln!("generated code is out of date with the manifest: run `cargo xtask codegen`");
        return ExitCode::FAILURE;
    }
    for (p, contents) in &plan.changed {
        if let Err(e) = write_atomic(p, contents) {
            eprintln!("cannot write {}: {e}", p.display());
            return ExitCode::FAILURE;
        }
    }
    for p in &plan.stale {
        if let Err(e) = std::fs::remove_file(p) {
            eprintln!("cannot remove {}: {e}", p.display());
            return ExitCode::FAILURE;
        }
    }
    // Writing a file reuses (and renames away) its leftover temporary file; those next to files
    // that did not change are removed here.
    for p in plan
        .leftover_temps
        .iter()
        .filter(|p| p.symlink_metadata().is_ok())
    {
        if let Err(e) = std::fs::remove_file(p) {
            eprintln!("cannot remove {}: {e}", p.display());
            return ExitCode::FAILURE;
        }
    }
    outln!(
        "{} actions, {} models -> {} files: {} written, {} removed ({:.0?})",
        plan.actions,
        plan.models,
        plan.files,
        plan.changed.len(),
        plan.stale.len(),
        start.elapsed()
    );
    // What the rewrite changes for users, against the manifest at HEAD: one line, only when
    // files were written and something changed; any failure (no git, no manifest at HEAD) is
    // silently no line.
    if !plan.changed.is_empty() || !plan.stale.is_empty() {
        if let Some(line) = crate::api_diff::codegen_summary(manifest, &plan.api) {
            outln!("{line}");
        }
    }
    ExitCode::SUCCESS
}
