//! The one "find `../shared` or skip" helper: found, a visible skip outside CI, a failure under
//! `CI=true`; and the tests that read `../shared` use it.

use std::path::{Path, PathBuf};

use xtask::shared_data::{act, is_ci, locate, shared_or_skip, shared_root, SharedData};
use xtask::workspace_root;

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-shared-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn present_data_is_found_in_ci_and_out_of_it() {
    let shared = scratch("present");
    std::fs::create_dir_all(shared.join("okta-spec")).unwrap();
    std::fs::write(shared.join("okta-spec/spec.yaml"), "swagger: '2.0'").unwrap();
    for ci in [false, true] {
        assert_eq!(
            locate(&shared, "okta-spec/spec.yaml", "t", ci),
            SharedData::Found(shared.join("okta-spec/spec.yaml"))
        );
    }
}

#[test]
fn absent_shared_outside_ci_skips_with_a_skipped_line_naming_the_test_and_path() {
    let missing = scratch("absent").join("shared");
    let decision = locate(&missing, "okta-spec/spec.yaml", "my_test", false);
    let SharedData::Skip(message) = &decision else {
        panic!("not a skip: {decision:?}");
    };
    assert_eq!(
        message,
        &format!(
            "SKIPPED: my_test: ../shared not found at {}",
            missing.display()
        )
    );
    assert_eq!(act(decision), None);
}

#[test]
fn absent_file_in_a_present_shared_names_the_file() {
    let shared = scratch("partial");
    let SharedData::Skip(message) = locate(&shared, "seeds", "my_test", false) else {
        panic!("not a skip");
    };
    assert!(
        message.starts_with("SKIPPED: my_test: seeds not found in ../shared"),
        "{message}"
    );
}

#[test]
fn absent_shared_under_ci_is_a_failure_not_a_skip() {
    let missing = scratch("ci").join("shared");
    let decision = locate(&missing, "seeds", "my_test", true);
    let SharedData::Missing(message) = &decision else {
        panic!("not a failure: {decision:?}");
    };
    let message = message.clone();
    assert!(
        message.contains("my_test")
            && message.contains(&missing.display().to_string())
            && message.contains("CI=true"),
        "{message}"
    );
    let panic = std::panic::catch_unwind(|| act(decision)).expect_err("act panics");
    let shown = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert_eq!(shown, message);
}

#[test]
fn only_ci_true_counts_as_ci() {
    for value in ["true", "TRUE", "True", " true\n"] {
        assert!(is_ci(Some(value)), "{value:?}");
    }
    for value in [None, Some(""), Some("false"), Some("0"), Some("yes")] {
        assert!(!is_ci(value), "{value:?}");
    }
}

#[test]
fn shared_is_the_folder_beside_the_checkout() {
    let root = workspace_root();
    let expected = root
        .canonicalize()
        .unwrap()
        .parent()
        .unwrap()
        .join("shared");
    assert_eq!(shared_root(&root), expected);
    // From the client crate's folder joined with `..`, as okta-generated's test passes it.
    assert_eq!(
        shared_root(&root.join("okta-generated").join("..")),
        expected
    );
    // A root that does not resolve still gives a path to show.
    let ghost = Path::new("/no/such/checkout");
    assert_eq!(shared_root(ghost), ghost.join("..").join("shared"));
}

#[test]
fn the_tests_that_read_shared_go_through_the_helper() {
    // Else a new one could quietly pass without running again.
    for (file, relative) in [
        (
            "okta-generated/tests/okta_examples.rs",
            "okta-spec/examples-2026.06.3.json",
        ),
        (
            "okta-generated/tests/webhook_payloads.rs",
            "okta-spec/management-2026.06.3.yaml",
        ),
        (
            "okta-generated/tests/spec_examples.rs",
            "okta-spec/management-2026.06.3.yaml",
        ),
        (
            "xtask/tests/import_spec.rs",
            "okta-spec/management-2026.06.3.yaml",
        ),
        (
            "xtask/tests/verify_spec.rs",
            "okta-spec/management-2026.06.3.yaml",
        ),
        ("xtask/tests/seed_table.rs", "\"seeds\""),
        (
            "okta-codegen/tests/reference_links.rs",
            "okta-spec/management-2026.06.3.yaml",
        ),
    ] {
        let text = std::fs::read_to_string(workspace_root().join(file)).unwrap();
        assert!(
            text.contains("shared_or_skip(") && text.contains(relative),
            "{file} does not locate {relative} with shared_data::shared_or_skip"
        );
        assert!(
            !text.contains("join(\"../shared") && !text.contains("\"../../shared"),
            "{file} builds a ../shared path by hand"
        );
    }
}

#[test]
fn in_this_checkout_the_helper_agrees_with_the_file_system() {
    let root = workspace_root();
    let present = shared_root(&root)
        .join("okta-spec/management-2.16.0.yaml")
        .exists();
    if present || !is_ci(std::env::var("CI").ok().as_deref()) {
        assert_eq!(
            shared_or_skip(&root, "okta-spec/management-2.16.0.yaml", "t").is_some(),
            present
        );
    }
}
