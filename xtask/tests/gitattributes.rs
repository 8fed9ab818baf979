//! `.gitattributes` keeps every file `cargo xtask codegen --check` compares (and the manifest they
//! come from) LF in any checkout: a checkout with `core.autocrlf=true` (Git for Windows'
//! default) would otherwise turn them CRLF and `--check` would call every generated file stale.
//! Fuzz inputs are bytes and are never converted.

use std::path::{Path, PathBuf};
use std::process::Command;

use okta_codegen::generated_dirs;
use okta_codegen::ir::ModelCrate;
use xtask::workspace_root;

fn git(args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(workspace_root())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git (this test needs a git checkout): {e}"));
    assert!(
        out.status.success(),
        "git {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("git prints UTF-8")
}

/// Every tracked file under `paths`.
fn tracked(paths: &[&str]) -> Vec<String> {
    let mut args = vec!["ls-files", "--"];
    args.extend_from_slice(paths);
    git(&args).lines().map(str::to_owned).collect()
}

/// What `codegen --check` compares, and what it is generated from.
fn compared_files() -> Vec<String> {
    let generated: Vec<String> = generated_dirs()
        .iter()
        .map(|d| format!("okta-generated/{d}"))
        .collect();
    let mut paths = generated.clone();
    paths.push("okta-generated/Cargo.toml".into());
    paths.extend(ModelCrate::all().map(|k| format!("okta-generated/{}/Cargo.toml", k.dir())));
    paths.extend(["README.md".into(), "manifest".into()]);
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let files = tracked(&paths);
    for dir in &generated {
        assert!(
            files.iter().any(|f| f.starts_with(dir.as_str())),
            "no tracked file under {dir}"
        );
    }
    files
}

/// `git check-attr ATTR` for each file: (file, value).
fn attr(attr: &str, files: &[String]) -> Vec<(String, String)> {
    let mut args = vec!["check-attr", attr, "--"];
    args.extend(files.iter().map(String::as_str));
    git(&args)
        .lines()
        .map(|line| {
            let (file, rest) = line.split_once(": ").expect("path: attr: value");
            let value = rest.rsplit_once(": ").expect("attr: value").1;
            (file.to_owned(), value.to_owned())
        })
        .collect()
}

#[test]
fn generated_files_manifest_and_readme_are_text_with_lf_line_endings() {
    let files = compared_files();
    let wrong: Vec<String> = attr("text", &files)
        .into_iter()
        .zip(attr("eol", &files))
        .filter(|((_, text), (_, eol))| text != "set" || eol != "lf")
        .map(|((file, text), (_, eol))| format!("{file}: text {text}, eol {eol}"))
        .collect();
    assert!(
        wrong.is_empty(),
        ".gitattributes does not make these `text eol=lf`:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_checkout_with_autocrlf_writes_generated_files_byte_for_byte_as_the_generator_does() {
    // One file of each kind `codegen --check` compares, checked out the way a Windows clone
    // (core.autocrlf=true) would, into a scratch folder.
    let files = compared_files();
    let mut picked: Vec<&String> = generated_dirs()
        .iter()
        .filter_map(|d| {
            let dir = format!("okta-generated/{d}/");
            files.iter().find(|f| f.starts_with(&dir))
        })
        .collect();
    picked.extend(files.iter().filter(|f| {
        *f == "okta-generated/Cargo.toml" || *f == "README.md" || f.starts_with("manifest/")
    }));
    let scratch: PathBuf = std::env::temp_dir().join(format!("xtask-crlf-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let prefix = format!("{}/", scratch.display());
    let mut args = vec![
        "-c",
        "core.autocrlf=true",
        "-c",
        "core.eol=crlf",
        "checkout-index",
        "--force",
    ];
    let prefix_arg = format!("--prefix={prefix}");
    args.push(&prefix_arg);
    args.push("--");
    args.extend(picked.iter().map(|f| f.as_str()));
    git(&args);
    for file in &picked {
        let checked_out = std::fs::read(scratch.join(file.as_str())).unwrap();
        assert!(
            !checked_out.contains(&b'\r'),
            "{file}: a core.autocrlf=true checkout writes CRLF"
        );
        // Against the committed (staged) bytes, not the working tree, which may hold edits.
        let in_index = git(&["show", &format!(":{file}")]);
        assert!(
            checked_out == in_index.as_bytes(),
            "{file}: the autocrlf checkout differs from the bytes in git"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn fuzz_inputs_are_never_converted() {
    let dirs = [
        "okta-codegen/fuzz/seeds",
        "okta-codegen/fuzz/regressions",
        "okta-generated/fuzz/seeds",
        "okta-generated/fuzz/regressions",
    ];
    for dir in dirs {
        assert!(Path::new(&workspace_root().join(dir)).is_dir(), "{dir}");
    }
    let files = tracked(&dirs);
    let converted: Vec<String> = attr("text", &files)
        .into_iter()
        .filter(|(_, text)| text != "unset")
        .map(|(file, text)| format!("{file}: text {text}"))
        .collect();
    assert!(
        converted.is_empty(),
        "fuzz inputs git may convert:\n{}",
        converted.join("\n")
    );
}
