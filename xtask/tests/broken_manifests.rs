//! Every case of the broken-manifest corpus (`okta-codegen/tests/broken/cases.rs`) through the
//! real `cargo xtask codegen` binary, into a temporary copy of a generated client: the command
//! fails, prints exactly the generator's diagnostics, and leaves every generated file
//! byte-identical and untouched (same bytes, same modification time, no file added or removed).

#[path = "../../okta-codegen/tests/broken/cases.rs"]
mod cases;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use xtask::workspace_root;

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file below `dir` with its bytes and modification time, sorted by path.
fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
                out.push((p.clone(), std::fs::read(&p).unwrap(), modified));
            }
        }
    }
    out.sort();
    out
}

fn codegen(manifest: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--manifest")
        .arg(manifest)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run xtask")
}

#[test]
fn every_broken_manifest_fails_codegen_and_leaves_the_generated_folder_untouched() {
    let dir = scratch("broken-corpus");
    let fixture = workspace_root().join("okta-codegen/tests/fixtures/kitchen_sink");
    // A generated client, with the Cargo.toml whose feature table codegen rewrites.
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("Cargo.toml"),
        format!(
            "[package]\nname = \"client\"\n\n[features]\ndefault = [\"all-categories\"]\n{}\n{}\n",
            okta_codegen::FEATURES_BEGIN,
            okta_codegen::FEATURES_END
        ),
    )
    .unwrap();
    let first = codegen(&fixture, &out);
    assert!(first.status.success(), "{first:?}");
    let before = snapshot_tree(&out);
    assert!(before.len() > 5, "codegen wrote {} files", before.len());

    let cases = cases::all();
    assert!(cases.len() >= 30);
    for case in &cases {
        let manifest = dir.join(case.name).join("manifest");
        cases::make_broken_manifest(case, &fixture, &manifest);
        let expected = okta_codegen::load_api(&manifest)
            .err()
            .unwrap_or_else(|| panic!("case {}: the manifest was accepted", case.name));

        let run = codegen(&manifest, &out);
        assert_eq!(run.status.code(), Some(1), "case {}: {run:?}", case.name);
        assert_eq!(
            String::from_utf8_lossy(&run.stderr),
            format!("{expected}\nnothing was written\n"),
            "case {}",
            case.name
        );
        assert!(
            snapshot_tree(&out) == before,
            "case {}: the generated folder changed",
            case.name
        );
        let _ = std::fs::remove_dir_all(dir.join(case.name));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
