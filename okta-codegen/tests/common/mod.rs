//! Shared helpers for the generator's tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh empty folder for one test, `<tmp>/okta-codegen-<tag>-<pid>/`.
pub fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("okta-codegen-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

/// Copy a manifest folder (actions/ and models/) into `to`.
pub fn copy_manifest(from: &Path, to: &Path) {
    for sub in ["actions", "models"] {
        std::fs::create_dir_all(to.join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(from.join(sub)).expect("read fixture") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, to.join(sub).join(path.file_name().expect("name"))).expect("copy");
        }
    }
}

/// A file of `../shared` (Okta's specs and the action tables), which CI always has. When it is
/// absent the calling test is skipped, and says so on stderr; under `CI=true` that is a failure.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(relative);
    if path.is_file() {
        return Some(path);
    }
    let message = format!("../shared/{relative} not found at {}", path.display());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}: CI always has it");
    }
    eprintln!("SKIPPED: {message}");
    None
}
