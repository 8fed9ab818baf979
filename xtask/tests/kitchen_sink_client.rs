//! The kitchen-sink fixture (`okta-codegen/tests/fixtures/kitchen_sink`) uses every construct the
//! manifest format has, including some the Okta manifest does not (required fields, a host of
//! its own, a text body, an operation without credentials, for some). Its output is
//! snapshotted in okta-codegen; here it is compiled and run: the hand-written runtime of
//! `okta-generated` with the fixture's generated code in place of the Okta API's, checked by
//! cargo, so a construct that generates Rust which parses but does not type-check fails here;
//! then the fixture's generated contract tests, run by the client's own contract harness
//! (`okta-generated/tests/contract.rs`) against the fixture's manifest, so what each construct
//! puts on the wire is checked too.
//!
//! The copy lives in `target/kitchen-sink-client/` with its own target dir (the outer `cargo
//! test` holds the workspace's), so the first run builds the dependencies once.

use std::path::Path;
use std::process::Command;

use xtask::workspace_root;

/// Copies `from` to `to` recursively, leaving out `skip` (a path relative to `from`).
fn copy_tree(from: &Path, to: &Path, skip: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let rel = path.strip_prefix(from).unwrap();
        if rel == skip {
            continue;
        }
        let dest = to.join(rel);
        if path.is_dir() {
            let skip = skip.strip_prefix(rel).unwrap_or(Path::new("\0"));
            copy_tree(&path, &dest, skip);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// `text` up to (not including) the first line that starts with `header`.
fn before_section<'a>(text: &'a str, header: &str) -> &'a str {
    let at = text
        .find(&format!("\n{header}"))
        .unwrap_or_else(|| panic!("no {header} section"));
    &text[..at + 1]
}

#[test]
fn kitchen_sink_fixture_generates_a_client_that_compiles_and_keeps_its_contract() {
    let root = workspace_root();
    let scratch = root.join("target/kitchen-sink-client");
    let crate_dir = scratch.join("okta-generated");
    let _ = std::fs::remove_dir_all(&crate_dir);

    // A one-member workspace with our workspace's package settings, dependencies and lock file.
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = workspace
        .lines()
        .find(|l| l.starts_with("members = "))
        .expect("members line");
    let workspace = workspace.replace(members, "members = [\"okta-generated\"]");
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("Cargo.toml"), workspace).unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    // The client crate without its generated code, and of its tests only the contract harness
    // (its benches and examples call the Okta API's actions).
    let ours = root.join("okta-generated");
    copy_tree(
        &ours.join("src"),
        &crate_dir.join("src"),
        Path::new("generated"),
    );
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    std::fs::copy(
        ours.join("tests/contract.rs"),
        crate_dir.join("tests/contract.rs"),
    )
    .unwrap();
    let manifest = std::fs::read_to_string(ours.join("Cargo.toml")).unwrap();
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        before_section(&manifest, "[[bench]]"),
    )
    .unwrap();
    // The harness's dev-dependency, the generator (whose fuzzing module includes the fixture),
    // and the manifest it reads: the fixture's.
    let _ = std::fs::remove_dir_all(scratch.join("okta-codegen"));
    let _ = std::fs::remove_dir_all(scratch.join("manifest"));
    let codegen_dir = root.join("okta-codegen");
    copy_tree(
        &codegen_dir.join("src"),
        &scratch.join("okta-codegen/src"),
        Path::new("\0"),
    );
    copy_tree(
        &codegen_dir.join("tests/fixtures"),
        &scratch.join("okta-codegen/tests/fixtures"),
        Path::new("\0"),
    );
    std::fs::copy(
        codegen_dir.join("Cargo.toml"),
        scratch.join("okta-codegen/Cargo.toml"),
    )
    .unwrap();
    let fixture = root.join("okta-codegen/tests/fixtures/kitchen_sink");
    copy_tree(&fixture, &scratch.join("manifest"), Path::new("\0"));

    // The fixture's code, written by the real command (it also rewrites the category features).
    let codegen = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--manifest")
        .arg(&fixture)
        .arg("--out")
        .arg(&crate_dir)
        .output()
        .unwrap();
    assert!(
        codegen.status.success(),
        "codegen of the kitchen sink failed:\n{}",
        String::from_utf8_lossy(&codegen.stderr)
    );
    assert!(crate_dir.join("src/generated/mod.rs").exists());

    // Every category on (the default), then none: both must compile without a warning.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for features in [
        &[][..],
        &["--no-default-features", "--features", "rustls-tls"][..],
    ] {
        let check = Command::new(&cargo)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .args(["check", "--quiet", "--lib", "-p", "okta-generated"])
            .args(features)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "the kitchen-sink client does not compile ({features:?}):\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }

    // The fixture's contract tests, one per action, through the client's harness.
    let contract = Command::new(&cargo)
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .args([
            "test",
            "--quiet",
            "-p",
            "okta-generated",
            "--test",
            "contract",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&contract.stdout);
    assert!(
        contract.status.success(),
        "the kitchen-sink client's contract tests fail:\n{out}\n{}",
        String::from_utf8_lossy(&contract.stderr)
    );
    let actions = std::fs::read_to_string(fixture.join("actions/widget.yaml"))
        .unwrap()
        .matches("\n  - name: ")
        .count();
    assert!(
        out.contains(&format!("test result: ok. {actions} passed")),
        "one contract test per action ({actions}):\n{out}"
    );
}
