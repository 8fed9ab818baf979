//! `--help` and `-h` print the usage on stdout and exit 0, for `cargo xtask` and for every
//! command, as cargo's own commands do; a wrong argument still exits 2 with the usage on stderr.

use std::process::{Command, Output};

const COMMANDS: &[&str] = &["codegen", "list", "verify-spec", "bench"];

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run the xtask binary")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[track_caller]
fn assert_success(args: &[&str]) -> String {
    let out = xtask(args);
    assert!(
        out.status.success(),
        "`cargo xtask {}` exited with {}:\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

#[test]
fn top_level_help_and_h_print_every_command_and_exit_0() {
    for args in [&["--help"][..], &["-h"], &["help"], &[]] {
        let text = assert_success(args);
        assert!(text.starts_with("usage:"), "{args:?}: {text}");
        for command in COMMANDS {
            assert!(
                text.contains(&format!("cargo xtask {command} ")),
                "{args:?} does not list {command}:\n{text}"
            );
        }
    }
}

#[test]
fn every_command_help_prints_its_own_usage_and_exits_0() {
    for command in COMMANDS {
        for args in [
            vec![*command, "--help"],
            vec![*command, "-h"],
            vec!["help", *command],
            // After other arguments too, and before a missing required one (verify-spec SPEC).
            vec![*command, "--manifest", "somewhere", "--help"],
        ] {
            let text = assert_success(&args);
            assert!(
                text.contains(&format!("cargo xtask {command} ")),
                "{args:?} does not show {command}'s usage:\n{text}"
            );
            for other in COMMANDS.iter().filter(|c| *c != command) {
                assert!(
                    !text.contains(&format!("cargo xtask {other} ")),
                    "{args:?} shows {other}'s usage too:\n{text}"
                );
            }
        }
    }
}

#[test]
fn help_does_not_run_the_command() {
    // `codegen --help` with an --out that would be written to: nothing is generated.
    let out = std::env::temp_dir().join(format!("xtask-help-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    assert_success(&["codegen", "--out", out.to_str().unwrap(), "--help"]);
    assert!(!out.exists(), "codegen --help wrote {}", out.display());
}

#[test]
fn unknown_commands_and_arguments_still_fail_with_the_usage_on_stderr() {
    for args in [
        &["frobnicate"][..],
        &["frobnicate", "--help"],
        &["help", "frobnicate"],
        &["codegen", "--bogus"],
    ] {
        let out = xtask(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("error: ") && stderr.contains("usage:"),
            "{args:?}: {stderr}"
        );
    }
}
