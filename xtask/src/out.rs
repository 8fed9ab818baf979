//! What the commands print on stdout, and the one rule for a stdout that is closed under them.
//!
//! Every command prints through `out!` and `outln!` (xtask's `print!` and `println!`, defined in
//! `lib.rs`; `xtask/clippy.toml` refuses the std macros in xtask's code), which call [`write`].

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout has been found closed: nothing more is written to it.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `args` to stdout (and flushes it).
///
/// When the reader has gone (`cargo xtask list | head`: `head` exits once it has its lines),
/// the write fails with `BrokenPipe` (Rust ignores SIGPIPE, so it arrives as an io error), and
/// `println!` would panic. Here the rest of the output is dropped quietly and the command goes
/// on to its end, exiting with its own status (0 when it succeeded). It does not stop at once,
/// as a process killed by SIGPIPE would: `codegen` and `import-spec` print between writing
/// files, and the reader giving up on the text is no reason to leave that job half done. Any
/// other error (a full disk under `> file`) still panics, as `println!` does.
pub fn write(args: fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = io::stdout().lock();
    match stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => CLOSED.store(true, Ordering::Relaxed),
        Err(e) => panic!("failed printing to stdout: {e}"),
    }
}
