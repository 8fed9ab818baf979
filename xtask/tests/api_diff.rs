//! `cargo xtask api-diff`: fixture pairs of manifests (`tests/fixtures/api_diff/<case>/{base,head}`)
//! with their reports snapshotted, identical manifests, bases that cannot be loaded, and a git
//! base in a scratch repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::api_diff::{self, render, Base};
use xtask::workspace_root;

/// Paths relative to the xtask package (the tests' working directory), so that reports and
/// messages that name them are the same on every machine.
fn fixture(case: &str, side: &str) -> PathBuf {
    PathBuf::from(format!("tests/fixtures/api_diff/{case}/{side}"))
}

fn report(case: &str) -> (String, String) {
    let changes = api_diff::changes(&Base::Dir(fixture(case, "base")), &fixture(case, "head"))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    (
        render::markdown("base", &changes),
        render::json("base", &changes),
    )
}

#[test]
fn action_changes() {
    let (md, json) = report("actions");
    insta::assert_snapshot!("actions_markdown", md);
    insta::assert_snapshot!("actions_json", json);
}

#[test]
fn model_changes() {
    let (md, json) = report("models");
    insta::assert_snapshot!("models_markdown", md);
    insta::assert_snapshot!("models_json", json);
}

#[test]
fn every_change_kind_and_class_is_covered() {
    let mut kinds = std::collections::BTreeSet::new();
    for case in ["actions", "models"] {
        let changes =
            api_diff::changes(&Base::Dir(fixture(case, "base")), &fixture(case, "head")).unwrap();
        kinds.extend(changes.iter().map(|c| (c.kind.name(), c.class)));
    }
    let names: std::collections::BTreeSet<&str> = kinds.iter().map(|(k, _)| *k).collect();
    // Every kind but those only a family's body wrapping or a feature move shows.
    for kind in [
        "category_added",
        "category_removed",
        "action_added",
        "action_removed",
        "action_renamed_with_alias",
        "action_renamed",
        "alias_added",
        "alias_removed",
        "http_method_changed",
        "path_changed",
        "fixed_query_changed",
        "success_status_changed",
        "operation_id_changed",
        "paging_changed",
        "response_changed",
        "param_added",
        "param_removed",
        "param_required_changed",
        "param_type_changed",
        "param_wire_name_changed",
        "setter_renamed",
        "arguments_reordered",
        "body_encoding_changed",
        "host_changed",
        "auth_narrowed",
        "auth_sent_changed",
        "auth_widened",
        "text_alternative_added",
        "text_alternative_removed",
        "model_added",
        "model_removed",
        "model_kind_changed",
        "model_features_narrowed",
        "field_added",
        "field_removed",
        "field_type_changed",
        "field_required_changed",
        "field_renamed",
        "field_json_name_changed",
        "enum_value_added",
        "enum_value_removed",
        "enum_values_reordered",
        "family_variant_added",
        "family_variant_removed",
        "family_dispatch_changed",
        "map_value_changed",
        "union_branch_added",
        "union_branch_removed",
        "union_dispatch_changed",
    ] {
        assert!(names.contains(kind), "no fixture shows `{kind}`");
    }
    // Kinds that can be either class are shown as both.
    use api_diff::Class::*;
    for (kind, classes) in [
        ("param_added", [Breaking, Additive]),
        ("param_type_changed", [Breaking, Wire]),
        ("response_changed", [Breaking, Wire]),
        ("field_type_changed", [Breaking, Wire]),
        ("map_value_changed", [Breaking, Wire]),
    ] {
        for class in classes {
            assert!(
                kinds.contains(&(kind, class)),
                "`{kind}` is never {class:?}"
            );
        }
    }
}

#[test]
fn identical_manifests_have_no_changes() {
    let sink = workspace_root().join("okta-codegen/tests/fixtures/kitchen_sink");
    let changes = api_diff::changes(&Base::Dir(sink.clone()), &sink).unwrap();
    assert!(changes.is_empty(), "{changes:#?}");
    insta::assert_snapshot!("identical", render::markdown("base", &changes));
    insta::assert_snapshot!("identical_json", render::json("base", &changes));
    let real = workspace_root().join("manifest");
    assert!(api_diff::changes(&Base::Dir(real.clone()), &real)
        .unwrap()
        .is_empty());
}

#[test]
fn a_base_that_cannot_be_loaded_is_a_clear_error() {
    let missing = api_diff::changes(
        &Base::Dir(PathBuf::from("tests/fixtures/api_diff/no_such_case")),
        &fixture("actions", "head"),
    )
    .unwrap_err();
    let broken = api_diff::changes(
        &Base::Dir(fixture("broken", "base")),
        &fixture("actions", "head"),
    )
    .unwrap_err();
    insta::assert_snapshot!("missing_base", missing);
    insta::assert_snapshot!("broken_base", broken);
}

// ----------------------------------------------------------------------------- git

fn run_git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

fn xtask(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scratch repository: a commit without a manifest, one with a broken manifest, one with the
/// `actions` fixture's base; the work tree holds its head.
#[test]
fn git_base_is_read_from_the_repository_not_the_work_tree() {
    let repo = std::env::temp_dir().join(format!("xtask-api-diff-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(&repo).unwrap();
    run_git(&repo, &["init", "-q"]);
    run_git(&repo, &["config", "user.email", "test@example.com"]);
    run_git(&repo, &["config", "user.name", "test"]);
    run_git(&repo, &["config", "commit.gpgsign", "false"]);
    std::fs::write(repo.join("README"), "no manifest yet\n").unwrap();
    run_git(&repo, &["add", "-A"]);
    run_git(&repo, &["commit", "-q", "-m", "no manifest"]);
    let manifest = repo.join("manifest");
    copy_dir(&fixture("broken", "base"), &manifest);
    run_git(&repo, &["add", "-A"]);
    run_git(&repo, &["commit", "-q", "-m", "broken manifest"]);
    std::fs::remove_dir_all(&manifest).unwrap();
    copy_dir(&fixture("actions", "base"), &manifest);
    run_git(&repo, &["add", "-A"]);
    run_git(&repo, &["commit", "-q", "-m", "base"]);
    std::fs::remove_dir_all(&manifest).unwrap();
    copy_dir(&fixture("actions", "head"), &manifest);

    let m = manifest.to_str().unwrap();
    let (code, out, err) = xtask(&["api-diff", "--base", "HEAD", "--manifest", m]);
    assert_eq!(code, 0, "{err}");
    let expected = api_diff::changes(
        &Base::Dir(fixture("actions", "base")),
        &fixture("actions", "head"),
    )
    .unwrap();
    assert_eq!(out, render::markdown("HEAD", &expected));
    let (code, json, _) = xtask(&[
        "api-diff",
        "--base",
        "HEAD",
        "--manifest",
        m,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(json, render::json("HEAD", &expected));

    let mut errors = String::new();
    for rev in ["no-such-rev", "HEAD~1", "HEAD~2"] {
        let (code, out, err) = xtask(&["api-diff", "--base", rev, "--manifest", m]);
        assert_eq!(code, 2, "--base {rev}: {out}{err}");
        assert!(out.is_empty());
        errors.push_str(&format!("$ cargo xtask api-diff --base {rev}\n{err}\n"));
    }
    insta::assert_snapshot!("git_base_errors", errors);

    // codegen's summary line: the head against HEAD's manifest, only when files are written.
    let out_dir = repo.join("out");
    let o = out_dir.to_str().unwrap();
    let (code, out, err) = xtask(&["codegen", "--manifest", m, "--out", o]);
    assert_eq!(code, 0, "{err}");
    let summary = out.lines().nth(1).unwrap_or_default();
    assert_eq!(
        summary,
        "api changes vs HEAD: 2 categories, 19 actions, 1 model changed (42 changes, 19 breaking) — see `cargo xtask api-diff --base HEAD`"
    );
    let (_, again, _) = xtask(&["codegen", "--manifest", m, "--out", o]);
    assert_eq!(again.lines().count(), 1, "{again}");
    let _ = std::fs::remove_dir_all(&repo);
}
