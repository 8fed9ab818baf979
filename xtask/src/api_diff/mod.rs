//! `cargo xtask api-diff`: what a manifest edit changes for users of `okta-generated`, breaking
//! changes first.
//!
//! Both manifests go through the same pipeline as `cargo xtask codegen` (`load_api`: load,
//! validate, lower) and the two IRs are compared ([`compare::diff`]); each change is
//! classified by one table ([`rules::classify`]). A git base is read with `git ls-tree` and
//! `git cat-file` into a temporary folder; the work tree is never touched.

pub mod compare;
pub mod git;
pub mod render;
pub mod rules;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use okta_codegen::ir::Api;

pub use compare::{diff, Change, Scope};
pub use rules::{classify, Class, Kind};

/// Where the base manifest comes from.
#[derive(Debug, Clone)]
pub enum Base {
    /// A git revision of the repository that holds the head manifest (same path inside it).
    Rev(String),
    /// A manifest folder.
    Dir(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, String> {
        match s {
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown format `{other}` (expected markdown or json)"
            )),
        }
    }
}

/// A base manifest as the generator's pipeline lowers it. Validation only grows stricter over
/// time, so an older manifest that today's checks refuse but that loads and lowers (it
/// generated a crate when it was committed) is still compared; `refused` holds what today's
/// checks say about it. A manifest that does not load or lower is an error.
pub struct Loaded {
    pub api: Api,
    pub refused: Option<okta_codegen::Diagnostics>,
}

/// Stages 1 to 3 for a base manifest: load (an error), validate (noted), lower (an error).
pub fn load_lenient(dir: &Path) -> Result<Loaded, okta_codegen::Diagnostics> {
    let manifest = okta_codegen::manifest::load(dir)?;
    let refused = okta_codegen::validate::validate(&manifest).err();
    let api = okta_codegen::ir::lower(&manifest)?;
    Ok(Loaded { api, refused })
}

/// Loads the base manifest: a folder as it is, a git revision through a temporary folder.
/// The error is the whole message to print.
pub fn load_base(base: &Base, head_manifest: &Path) -> Result<Loaded, String> {
    match base {
        Base::Dir(dir) => load_lenient(dir)
            .map_err(|d| format!("the base manifest ({}) does not load:\n{d}", dir.display())),
        Base::Rev(rev) => {
            let tree = git::ManifestAtRev::read(head_manifest, rev)?;
            tree.load()
        }
    }
}

/// The two manifests' changes, or the message of why one of them cannot be loaded.
/// A note about a base that today's checks refuse is printed to stderr.
pub fn changes(base: &Base, head_manifest: &Path) -> Result<Vec<Change>, String> {
    let Loaded { api: old, refused } = load_base(base, head_manifest)?;
    if let Some(d) = refused {
        eprintln!(
            "note: the base manifest does not pass today's checks ({} problem{}); it loads and lowers, so it is compared as it is:\n{d}\n",
            d.len(),
            if d.len() == 1 { "" } else { "s" }
        );
    }
    let new = okta_codegen::load_api(head_manifest).map_err(|d| {
        format!(
            "the manifest ({}) does not load:\n{d}",
            head_manifest.display()
        )
    })?;
    Ok(diff(&old, &new))
}

/// `cargo xtask api-diff`: prints the report; exit code 2 when a manifest cannot be loaded.
pub fn run(base: &Base, head_manifest: &Path, format: Format) -> ExitCode {
    match changes(base, head_manifest) {
        Ok(changes) => {
            let base_name = match base {
                Base::Rev(rev) => rev.clone(),
                Base::Dir(dir) => dir.display().to_string(),
            };
            let text = match format {
                Format::Markdown => render::markdown(&base_name, &changes),
                Format::Json => render::json(&base_name, &changes),
            };
            out!("{text}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Counts for a one-line summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub categories: usize,
    pub actions: usize,
    pub models: usize,
    pub breaking: usize,
    pub total: usize,
}

pub fn summarize(changes: &[Change]) -> Summary {
    use std::collections::BTreeSet;
    let scopes: BTreeSet<&Scope> = changes.iter().map(|c| &c.scope).collect();
    Summary {
        categories: scopes
            .iter()
            .filter(|s| matches!(s, Scope::Category(_)))
            .count(),
        actions: scopes
            .iter()
            .filter(|s| matches!(s, Scope::Action(..)))
            .count(),
        models: scopes
            .iter()
            .filter(|s| matches!(s, Scope::Model(_)))
            .count(),
        breaking: changes
            .iter()
            .filter(|c| c.class == Class::Breaking)
            .count(),
        total: changes.len(),
    }
}

/// The line `cargo xtask codegen` prints after writing files: the API changes against the
/// manifest at `HEAD`, or `None` when nothing changed or when there is no `HEAD` manifest to
/// compare with (not a git checkout, no manifest there, one that does not load): the summary
/// never fails code generation.
pub fn codegen_summary(manifest: &Path, head: &Api) -> Option<String> {
    let tree = git::ManifestAtRev::read(manifest, "HEAD").ok()?;
    let old = tree.load().ok()?.api;
    let changes = diff(&old, head);
    let s = summarize(&changes);
    if s.total == 0 {
        return None;
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if s.categories > 0 {
        parts.push(plural(s.categories, "category", "categories"));
    }
    if s.actions > 0 {
        parts.push(plural(s.actions, "action", "actions"));
    }
    if s.models > 0 {
        parts.push(plural(s.models, "model", "models"));
    }
    let breaking = if s.breaking == 0 {
        "none breaking".to_owned()
    } else {
        format!("{} breaking", s.breaking)
    };
    Some(format!(
        "api changes vs HEAD: {} changed ({}, {breaking}) — see `cargo xtask api-diff --base HEAD`",
        parts.join(", "),
        plural(s.total, "change", "changes"),
    ))
}
