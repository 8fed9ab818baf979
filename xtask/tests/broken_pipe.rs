//! `cargo xtask list | head` and the like: when whatever reads xtask's stdout goes away early, the
//! command finishes quietly with its own exit status (`xtask::out`), where `println!` would panic
//! with "failed printing to stdout: Broken pipe".
//!
//! The binary's stdout is a pipe whose read end this test closes right after the start; each
//! command here prints more than a pipe holds (64 KiB on Linux), so at least one of its writes
//! meets the closed pipe however the two processes are scheduled.

use std::io::Read;
use std::process::{Command, Stdio};

/// Runs the xtask binary with `args`, its stdout a pipe closed at once; its status and stderr.
fn run_into_closed_pipe(args: &[&str]) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the xtask binary");
    drop(child.stdout.take()); // the reader goes away, as `head` does once it has its lines
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    (child.wait().expect("wait for xtask"), stderr)
}

#[test]
fn a_closed_stdout_ends_the_output_quietly_not_in_a_panic() {
    for args in [&["list"][..], &["list", "--format", "json"]] {
        // The output really is larger than a pipe's buffer (64 KiB), so the pipe is met closed.
        let full = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .output()
            .expect("run the xtask binary");
        assert!(full.status.success(), "{args:?}: {}", full.status);
        assert!(
            full.stdout.len() > 64 * 1024,
            "{args:?}: only {} bytes",
            full.stdout.len()
        );

        let (status, stderr) = run_into_closed_pipe(args);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert!(status.success(), "{args:?} exited with {status}: {stderr}");
    }
}
