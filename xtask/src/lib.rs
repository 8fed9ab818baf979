//! The `cargo xtask` commands as a library, so integration tests drive the same code.

pub mod api_diff;
pub mod bench;
pub mod codegen;
pub mod import_spec;
pub mod list;
pub mod manifest_files;
pub mod shared_data;
pub mod verify_spec;

use std::path::PathBuf;

/// The workspace root (xtask's parent), so commands work from any directory.
pub fn workspace_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}
