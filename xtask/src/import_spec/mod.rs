//! `cargo xtask import-spec SPEC [--manifest DIR] [--only TAG,...] [--dry-run]`: Okta's
//! OpenAPI 3.0 spec into the manifest.
//!
//! 1. `document`: read the spec (size, YAML/JSON, OpenAPI 3.0), follow `$ref`s with JSON
//!    pointers for errors.
//! 2. `convert`: every operation into a `manifest::Action`, every schema they reach into a
//!    `manifest::Model` (anonymous ones named). `verify-spec` compares the manifest with this
//!    same conversion.
//! 3. `merge`: into the manifest, keeping what maintainers own, recording every change.
//! 4. Write the files that changed, in the manifest's one layout (`manifest_files`), and check
//!    that the result is a valid manifest.
//!
//! A spec that cannot be read or converted writes nothing.

pub mod convert;
pub mod document;
pub mod merge;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use okta_codegen::diagnostics::Diagnostics;
use okta_codegen::manifest;
use serde_yaml::Value;

use crate::manifest_files;

/// What the command was asked to do.
pub struct Options {
    pub spec: PathBuf,
    pub manifest: PathBuf,
    /// Okta tags to import; all when `None`.
    pub only: Option<BTreeSet<String>>,
    pub dry_run: bool,
}

/// The outcome of an import, before anything is written.
pub struct Import {
    /// Files whose text changes (relative to the manifest folder), in the layout.
    pub changed: Vec<(PathBuf, String)>,
    pub summary: merge::Summary,
    pub spec_version: String,
    /// Problems of the manifest the import produces (validation), if any.
    pub problems: Option<Diagnostics>,
}

/// Import the spec into the manifest in memory: nothing is written.
pub fn plan(opts: &Options) -> Result<Import, String> {
    let shown = opts.spec.display().to_string();
    let doc = document::read(&opts.spec)?;
    plan_from(&doc, &shown, &opts.manifest, opts.only.as_ref())
}

/// [`plan`] for a spec already parsed.
pub fn plan_from(
    doc: &Value,
    shown: &str,
    manifest_dir: &Path,
    only: Option<&BTreeSet<String>>,
) -> Result<Import, String> {
    let converted = convert::convert(doc).map_err(|e| format!("{shown}: {e}"))?;
    if let Some(tags) = only {
        let known: BTreeSet<&str> = converted
            .actions
            .iter()
            .filter_map(|a| a.tag.as_deref())
            .chain(converted.webhooks.iter().filter_map(|w| w.tag.as_deref()))
            .collect();
        if let Some(unknown) = tags.iter().find(|t| !known.contains(t.as_str())) {
            return Err(format!("--only: `{unknown}` is not a tag of {shown}"));
        }
    }
    let existing = load_existing(manifest_dir)?;
    let merged = merge::merge(existing.as_ref(), &converted, only, &tags(doc));
    let categories: Vec<_> = merged
        .categories
        .iter()
        .map(|(s, c)| (s.clone(), c))
        .collect();
    let models: Vec<_> = merged
        .model_files
        .iter()
        .map(|(s, m)| (s.clone(), m))
        .collect();
    let files = manifest_files::render(&categories, &models);
    let problems = check(manifest_dir, &files).err();
    Ok(Import {
        changed: manifest_files::changed(manifest_dir, files),
        summary: merged.summary,
        spec_version: converted.version,
        problems,
    })
}

/// The manifest in `dir`, or `None` for a folder without manifest files (a new manifest).
fn load_existing(dir: &Path) -> Result<Option<manifest::Manifest>, String> {
    let has_files = ["actions", "models"].iter().any(|sub| {
        std::fs::read_dir(dir.join(sub))
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(false)
    });
    if !has_files {
        return Ok(None);
    }
    manifest::load(dir).map(Some).map_err(|d| {
        format!(
            "the manifest in {} does not load; fix it first:\n{d}",
            dir.display()
        )
    })
}

fn tags(doc: &Value) -> merge::Tags {
    let mut tags = merge::Tags::default();
    for t in doc
        .get("tags")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let Some(name) = t.get("name").and_then(Value::as_str) else {
            continue;
        };
        if let Some(shown) = t.get("x-displayName").and_then(Value::as_str) {
            tags.display_names
                .insert(name.to_owned(), shown.trim().to_owned());
        }
        if let Some(text) = t.get("description").and_then(Value::as_str) {
            tags.descriptions
                .insert(name.to_owned(), text.trim().to_owned());
        }
    }
    tags
}

/// Validate the manifest the files make, as `codegen` would.
fn check(dir: &Path, files: &[(PathBuf, String)]) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    let (mut actions, mut models) = (Vec::new(), Vec::new());
    for (rel, text) in files {
        let entry = (dir.join(rel), text.clone().into_bytes());
        if rel.starts_with("actions") {
            actions.push(entry);
        } else {
            models.push(entry);
        }
    }
    let m = manifest::from_files(actions, models, &mut diags);
    diags.into_result(())?;
    okta_codegen::validate::validate(&m)
}

/// The summary a maintainer reviews with the diff.
pub fn render_summary(import: &Import, dry_run: bool) -> String {
    let s = &import.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Okta spec {}: {} operations, {} models",
        import.spec_version, s.spec_operations, s.spec_models
    );
    let _ = writeln!(
        out,
        "Operations: {} added, {} changed, {} unchanged, {} in the manifest only (left in place)",
        s.added.len(),
        s.changed.len(),
        s.unchanged,
        s.not_in_spec.len()
    );
    for (id, route, stem, new) in &s.added {
        let new = if *new { " (new category)" } else { "" };
        let _ = writeln!(out, "  added    {id}  {route}  -> actions/{stem}.yaml{new}");
    }
    for (id, aspects) in &s.changed {
        let _ = writeln!(out, "  changed  {id}: {}", aspects.join(", "));
    }
    for (old, new, alias) in &s.renamed {
        match alias {
            Some(alias) => {
                let _ = writeln!(
                    out,
                    "  renamed  {old} -> {new} (`{alias}` kept as a deprecated alias)"
                );
            }
            None => {
                let _ = writeln!(out, "  renamed  {old} -> {new}");
            }
        }
    }
    for (id, was, now) in &s.reused {
        let _ = writeln!(
            out,
            "  REUSED   {id} was {was}, now names {now}: check that old callers cannot reach the new operation"
        );
    }
    for (key, stem) in &s.not_in_spec {
        let _ = writeln!(
            out,
            "  not in the spec  {key} (actions/{stem}.yaml): kept, marked with spec_overrides.operation"
        );
    }
    for (id, aspect, reason) in &s.overrides_kept {
        let _ = writeln!(out, "  override kept     {id}.{aspect}: {reason}");
    }
    for (id, aspect, reason) in &s.overrides_added {
        let _ = writeln!(out, "  override ADDED    {id}.{aspect}: {reason}");
    }
    for (id, aspect, reason) in &s.overrides_dropped {
        let _ = writeln!(
            out,
            "  override dropped  {id}.{aspect}: the spec now agrees (was: {reason})"
        );
    }
    let _ = writeln!(
        out,
        "Models: {} added, {} changed, {} unchanged, {} in the manifest only (left in place), {} removed",
        s.models_added.len(),
        s.models_changed.len(),
        s.models_unchanged,
        s.models_not_in_spec.len(),
        s.models_removed.len()
    );
    for (name, stem) in &s.models_added {
        let _ = writeln!(out, "  added    {name} -> models/{stem}.yaml");
    }
    for (name, changes) in &s.models_changed {
        let _ = writeln!(out, "  changed  {name}: {}", changes.join(", "));
    }
    for name in &s.models_not_in_spec {
        let _ = writeln!(
            out,
            "  not in the spec  {name} (left in place: an action uses it)"
        );
    }
    for name in &s.models_removed {
        let _ = writeln!(
            out,
            "  removed  {name} (not in the spec, and no action uses it)"
        );
    }
    for note in &s.notes {
        let _ = writeln!(out, "  note     {note}");
    }
    if !s.webhooks.is_empty() {
        let _ = writeln!(
            out,
            "Webhooks: {} (calls Okta makes to your service: their payloads are models above, no actions)",
            s.webhooks.len()
        );
    }
    for (webhook, models) in &s.webhooks {
        let _ = writeln!(out, "  webhook  {webhook}: {models}");
    }
    let verb = if dry_run { "would change" } else { "changed" };
    let _ = writeln!(out, "Files: {} {verb}", import.changed.len());
    for (rel, _) in &import.changed {
        let _ = writeln!(out, "  {}", rel.display());
    }
    out
}

/// The command: plan, print the summary, write (unless `dry_run`). Exit 0 when the manifest
/// it leaves is valid, 1 when it has problems to fix (listed), 2 when the spec cannot be read
/// (nothing written).
pub fn run(opts: &Options) -> ExitCode {
    let import = match plan(opts) {
        Ok(i) => i,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    out!("{}", render_summary(&import, opts.dry_run));
    if !opts.dry_run {
        if let Err(msg) = manifest_files::write(&opts.manifest, &import.changed) {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    }
    match &import.problems {
        None => ExitCode::SUCCESS,
        Some(diags) => {
            eprintln!(
                "The imported manifest has problems to fix before `cargo xtask codegen`:\n{diags}"
            );
            ExitCode::FAILURE
        }
    }
}
