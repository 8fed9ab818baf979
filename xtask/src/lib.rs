//! The `cargo xtask` commands as a library, so integration tests drive the same code.

/// `print!` for the commands: stdout through [`out::write`], which ends the output quietly when
/// the reader has gone (`cargo xtask list | head`) instead of panicking.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*))
    };
}

/// `println!` for the commands: stdout through [`out::write`], which ends the output quietly
/// when the reader has gone (`cargo xtask list | head`) instead of panicking.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::out::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub mod api_diff;
pub mod bench;
pub mod codegen;
pub mod import_spec;
pub mod list;
pub mod manifest_files;
pub mod out;
pub mod shared_data;
pub mod verify_spec;

use std::path::PathBuf;

/// The workspace root (xtask's parent), so commands work from any directory.
pub fn workspace_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}
