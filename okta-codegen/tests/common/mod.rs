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
