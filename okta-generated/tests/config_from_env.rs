//! `ClientBuilder::from_env()` reads the real process environment, home directory and current
//! directory. Tests never change their own process's environment: this one runs its `child_*`
//! tests (ignored otherwise) in a child process of the same test binary, with the environment,
//! `HOME` and working directory each case needs.

use std::path::{Path, PathBuf};
use std::process::Command;

use okta_generated::{ClientBuilder, Error};

const TOKEN: &str = "00-from-env-secret-token-DDDD";

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("okta-from-env-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("home/.okta")).unwrap();
    std::fs::create_dir_all(dir.join("project")).unwrap();
    dir
}

/// Runs the ignored test `name` in a child process with only `env` (plus `HOME` and the working
/// directory) from the `OKTA_CLIENT_*` family; panics with its output if it fails.
fn run_child(name: &str, root: &Path, env: &[(&str, &str)]) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            name,
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .current_dir(root.join("project"))
        .env("HOME", root.join("home"))
        .env_remove("USERPROFILE");
    for (key, _) in std::env::vars() {
        if key.starts_with("OKTA_CLIENT_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    let out = command.output().expect("run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} failed in the child process:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn from_env_reads_home_file_project_file_and_environment_in_that_order() {
    let root = scratch("order");
    std::fs::write(
        root.join("home/.okta/okta.yaml"),
        format!(
            "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: {TOKEN}\n    \
             rateLimit:\n      maxRetries: 1\n    connectionTimeout: 9\n"
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("project/okta.yaml"),
        "okta:\n  client:\n    orgUrl: https://project.okta.com\n    rateLimit:\n      maxRetries: 2\n",
    )
    .unwrap();
    run_child(
        "child_sees_project_url_env_retries_home_timeout",
        &root,
        &[("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "4")],
    );
}

#[test]
#[ignore = "run in a child process by from_env_reads_home_file_project_file_and_environment_in_that_order"]
fn child_sees_project_url_env_retries_home_timeout() {
    let builder = ClientBuilder::from_env().expect("the configuration is valid");
    let shown = format!("{builder:?}");
    assert!(shown.contains("\"https://project.okta.com\""), "{shown}");
    assert!(shown.contains("max_retries: 4"), "{shown}");
    assert!(shown.contains("connect_timeout: Some(9s)"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
    // The program's own settings come last.
    let builder = builder.max_retries(0);
    assert!(format!("{builder:?}").contains("max_retries: 0"));
    let client = builder.build().expect("builds with the home file's token");
    assert_eq!(client.base_url(), "https://project.okta.com/");
}

#[test]
fn from_env_reports_a_bad_environment_value_by_name_without_the_secret() {
    let root = scratch("bad");
    run_child(
        "child_gets_an_error_naming_okta_client_authorizationmode",
        &root,
        &[
            ("OKTA_CLIENT_AUTHORIZATIONMODE", "Kerberos"),
            ("OKTA_CLIENT_TOKEN", TOKEN),
        ],
    );
}

#[test]
#[ignore = "run in a child process by from_env_reports_a_bad_environment_value_by_name_without_the_secret"]
fn child_gets_an_error_naming_okta_client_authorizationmode() {
    let err = ClientBuilder::from_env().expect_err("an unknown mode");
    let shown = format!("{err} / {err:?}");
    assert!(matches!(err, Error::Config(_)), "{shown}");
    assert!(
        shown.contains("environment variable OKTA_CLIENT_AUTHORIZATIONMODE: unknown authorization mode \"Kerberos\""),
        "{shown}"
    );
    assert!(!shown.contains(TOKEN), "{shown}");
}
