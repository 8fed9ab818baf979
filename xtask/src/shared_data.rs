//! Tests that read `../shared` (Okta's specs and seed tables, kept beside the checkout rather than
//! in it) find it here, or skip, visibly.
//!
//! - Present: the test gets the path.
//! - Absent (a clone without it): the test prints `SKIPPED: <test>: ../shared not found at
//!   <path>` straight to the process's stderr, past the test harness's output capture, so
//!   `cargo test` shows it even though the test passes; then the test returns.
//! - Absent under `CI=true`: CI always has `../shared`, so the test panics instead of passing
//!   without running.
//!
//! The one helper for every such test: xtask's tests use it as `xtask::shared_data`, and
//! `okta-generated/tests/okta_examples.rs` includes this file (`#[path]`), so it uses std only.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What a test does about data it reads from `../shared`.
#[derive(Debug, PartialEq, Eq)]
pub enum SharedData {
    /// The file or folder is there.
    Found(PathBuf),
    /// It is absent and this is not CI: skip, with this message.
    Skip(String),
    /// It is absent under `CI=true`, where it must be there: fail, with this message.
    Missing(String),
}

/// `../shared` for the checkout at `workspace_root` (shown without `..` when it resolves).
pub fn shared_root(workspace_root: &Path) -> PathBuf {
    match workspace_root.canonicalize() {
        Ok(root) => root.parent().unwrap_or(&root).join("shared"),
        Err(_) => workspace_root.join("..").join("shared"),
    }
}

/// Whether the `CI` environment variable's value means "running in CI" (`true`, any case).
pub fn is_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The decision, without side effects: `relative` (e.g. `okta-spec/management-2.16.0.yaml`)
/// under the `shared` folder, for the test named `test`, in CI or not.
pub fn locate(shared: &Path, relative: &str, test: &str, ci: bool) -> SharedData {
    let path = shared.join(relative);
    if path.exists() {
        return SharedData::Found(path);
    }
    let what = if shared.is_dir() {
        format!("{relative} not found in ../shared ({})", path.display())
    } else {
        format!("../shared not found at {}", shared.display())
    };
    if ci {
        SharedData::Missing(format!(
            "{test}: {what}; CI=true and CI always has ../shared, so this is a failure, not a skip"
        ))
    } else {
        SharedData::Skip(format!("SKIPPED: {test}: {what}"))
    }
}

/// `relative` under `../shared` for the test `test`: the path, or `None` after printing the
/// `SKIPPED` line. Panics under `CI=true` when the data is absent.
pub fn shared_or_skip(workspace_root: &Path, relative: &str, test: &str) -> Option<PathBuf> {
    let ci = is_ci(std::env::var("CI").ok().as_deref());
    act(locate(&shared_root(workspace_root), relative, test, ci))
}

/// Carries out a decision of [`locate`]: prints a skip past the harness's capture (which only
/// captures `print!`/`eprint!`), panics on data missing in CI.
pub fn act(decision: SharedData) -> Option<PathBuf> {
    match decision {
        SharedData::Found(path) => Some(path),
        SharedData::Skip(message) => {
            let _ = writeln!(std::io::stderr().lock(), "{message}");
            None
        }
        SharedData::Missing(message) => panic!("{message}"),
    }
}
