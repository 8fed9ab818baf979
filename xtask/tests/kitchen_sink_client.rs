//! The kitchen-sink fixture (`okta-codegen/tests/fixtures/kitchen_sink`) uses every construct the
//! manifest format has, including some the Okta manifest does not (required fields, unions, a
//! host of its own, a text body, an operation without credentials, for some). Its output is
//! snapshotted in okta-codegen; here it is compiled and run: the hand-written runtime of
//! `okta-generated` with the fixture's generated code in place of the Okta API's, checked by
//! cargo, so a construct that generates Rust which parses but does not type-check fails here.
//! Then every model's samples (`okta_codegen::sample`: each family variant, each union branch,
//! each value kept in `Other`) are round-tripped through the compiled types, as
//! `okta-generated/tests/model_roundtrip.rs` does for the Okta manifest, and the fixture's
//! generated contract tests run through the client's own contract harness
//! (`okta-generated/tests/contract.rs`), so what each construct puts on the wire is checked too.
//!
//! The copy lives in `target/kitchen-sink-client/` with its own target dir (the outer `cargo
//! test` holds the workspace's), so the first run builds the dependencies once.

use std::path::Path;
use std::process::Command;

use okta_codegen::ir::{BodyDef, ModelKind};
use okta_codegen::sample::Samples;
use xtask::workspace_root;

/// The round-trip test of the kitchen-sink client: each case of `samples.json` (written by this
/// test) decodes as its model (or as an action's body or response), encodes back to the same JSON
/// and, for a family or a union, decodes into the variant the case is for.
const ROUNDTRIP_TEST: &str = r#"
#[rustfmt::skip]
mod generated;

#[test]
fn every_sample_case_round_trips_through_its_type() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("samples.json")).expect("samples.json");
    let mut failures = Vec::new();
    for case in &cases {
        let (label, json) = (&case["label"], case["json"].clone());
        let result = match (case["model"].as_str(), case["response"].as_str(), case["body"].as_str()) {
            (Some(model), _, _) => generated::model_roundtrip(model, json.clone()),
            (_, Some(op), _) => generated::response_roundtrip(op, json.clone()).map(|r| r.map(|v| (v, None))),
            (_, _, Some(op)) => generated::body_roundtrip(op, json.clone()).map(|r| r.map(|v| (v, None))),
            _ => None,
        };
        match result {
            None => failures.push(format!("{label}: no generated type")),
            Some(Err(e)) => failures.push(format!("{label}: does not decode: {e}")),
            Some(Ok((back, _))) if back != json => failures.push(format!(
                "{label}: encodes back differently\n  sample: {json}\n  back:   {back}"
            )),
            Some(Ok((_, variant))) => {
                if variant.as_deref() != case["variant"].as_str() {
                    failures.push(format!("{label}: decoded as {variant:?}, not {}", case["variant"]));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
"#;

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
    let workspace = workspace.replace(
        members,
        "members = [\"okta-generated\", \"okta-generated/runtime\", \"okta-generated/models\", \"okta-generated/models/part-*\"]",
    );
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
    // The runtime's crate, all hand-written.
    copy_tree(
        &ours.join("runtime/src"),
        &crate_dir.join("runtime/src"),
        Path::new("\0"),
    );
    std::fs::copy(
        ours.join("runtime/Cargo.toml"),
        crate_dir.join("runtime/Cargo.toml"),
    )
    .unwrap();
    // Its crates of models, likewise without their generated code.
    for krate in okta_codegen::ir::ModelCrate::all() {
        let dir = krate.dir();
        copy_tree(
            &ours.join(&dir).join("src"),
            &crate_dir.join(&dir).join("src"),
            Path::new("generated"),
        );
        std::fs::copy(
            ours.join(&dir).join("Cargo.toml"),
            crate_dir.join(&dir).join("Cargo.toml"),
        )
        .unwrap();
    }
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
    assert!(crate_dir.join("models/src/generated/mod.rs").exists());

    // Every category on (the default), then none: both must compile without a warning.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // Every cargo run in the scratch workspace: its own target dir and the same flags, so each
    // reuses what the one before it built.
    let cargo_in_scratch = |args: &[&str]| {
        Command::new(&cargo)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .args(args)
            .output()
            .unwrap()
    };
    for features in [
        &[][..],
        &["--no-default-features", "--features", "rustls-tls"][..],
    ] {
        let mut args = vec!["check", "--quiet", "--lib", "-p", "okta-generated"];
        args.extend_from_slice(features);
        let check = cargo_in_scratch(&args);
        assert!(
            check.status.success(),
            "the kitchen-sink client does not compile ({features:?}):\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }

    // Every model's sample cases, with the variant a family's or a union's case must decode
    // into: the variants (branches) in order, then `Other`.
    let api = okta_codegen::load_api(&fixture).expect("the fixture loads");
    let samples = Samples::new(&api);
    let mut cases = Vec::new();
    for model in &api.models {
        let variants: Vec<&str> = match &model.kind {
            ModelKind::Family { variants, .. } => {
                variants.iter().map(|v| v.ident.as_str()).collect()
            }
            ModelKind::Union { branches, .. } => {
                branches.iter().map(|b| b.ident.as_str()).collect()
            }
            _ => Vec::new(),
        };
        for (i, (label, json)) in samples.cases(&model.name).into_iter().enumerate() {
            let variant =
                (!variants.is_empty()).then(|| variants.get(i).copied().unwrap_or("Other"));
            cases.push(serde_json::json!({
                "model": model.name, "label": label, "json": json, "variant": variant,
            }));
        }
    }
    // Every JSON body and response, as the contract tests send and serve them.
    for a in api.categories.iter().flat_map(|c| &c.actions) {
        let op = &a.operation_name;
        if let Some(ty) = a.response.json_type() {
            let label = format!("{op} response (`{ty}`)");
            let json = samples.of_type(&ty);
            cases.push(serde_json::json!({"response": op, "label": label, "json": json}));
        }
        if let Some(BodyDef::Json { ty, .. }) = &a.body {
            let label = format!("{op} body (`{ty}`)");
            let json = samples.of_type(ty);
            cases.push(serde_json::json!({"body": op, "label": label, "json": json}));
        }
    }
    let unions = api
        .models
        .iter()
        .filter(|m| matches!(m.kind, ModelKind::Union { .. }))
        .count();
    assert!(unions >= 4, "the fixture has {unions} unions");
    let tests = crate_dir.join("tests");
    std::fs::write(
        tests.join("samples.json"),
        serde_json::to_string_pretty(&cases).unwrap(),
    )
    .unwrap();
    std::fs::write(tests.join("model_roundtrip.rs"), ROUNDTRIP_TEST).unwrap();
    let run = cargo_in_scratch(&[
        "test",
        "--quiet",
        "-p",
        "okta-generated",
        "--test",
        "model_roundtrip",
    ]);
    assert!(
        run.status.success(),
        "the kitchen-sink models do not round-trip their samples:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );

    // The fixture's contract tests, one per action, through the client's harness.
    let contract = cargo_in_scratch(&[
        "test",
        "--quiet",
        "-p",
        "okta-generated",
        "--test",
        "contract",
    ]);
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
