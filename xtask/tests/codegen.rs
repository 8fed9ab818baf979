//! `cargo xtask codegen` and `list` on the real manifest and on scratch copies.

use std::path::PathBuf;

use xtask::{codegen, list, workspace_root};

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn checked_in_client_matches_the_manifest() {
    let root = workspace_root();
    let plan = codegen::plan(&root.join("manifest"), &root.join("okta-generated"))
        .unwrap_or_else(|e| panic!("the manifest does not generate:\n{e}"));
    let stale: Vec<String> = plan
        .changed
        .iter()
        .map(|(p, _)| p.display().to_string())
        .chain(plan.stale.iter().map(|p| p.display().to_string()))
        .collect();
    assert!(
        stale.is_empty(),
        "okta-generated is out of date with manifest/: run `cargo xtask codegen`\nstale: {stale:#?}"
    );
}

#[test]
fn codegen_writes_changed_files_and_removes_stale_ones() {
    let out = scratch("write");
    let manifest = workspace_root().join("okta-codegen/tests/fixtures/kitchen_sink");
    let leftover = out.join("src/generated/api/gone.rs");
    std::fs::create_dir_all(leftover.parent().unwrap()).unwrap();
    std::fs::write(&leftover, "// from an older manifest").unwrap();

    let first = codegen::plan(&manifest, &out).unwrap();
    // Every file is new.
    assert_eq!(first.changed.len(), first.files);
    assert_eq!(first.stale, vec![leftover.clone()]);
    assert_eq!(
        codegen::run(&manifest, &out, false),
        std::process::ExitCode::SUCCESS
    );
    assert!(!leftover.exists());
    assert!(out.join("src/generated/api/widget.rs").exists());

    // A second run has nothing to do, and --check agrees.
    let second = codegen::plan(&manifest, &out).unwrap();
    assert!(second.changed.is_empty() && second.stale.is_empty());
    assert_eq!(
        codegen::run(&manifest, &out, true),
        std::process::ExitCode::SUCCESS
    );

    // An edited generated file is reported by --check and not rewritten by it.
    let widget = out.join("src/generated/api/widget.rs");
    std::fs::write(&widget, "// edited by hand").unwrap();
    assert_eq!(
        codegen::run(&manifest, &out, true),
        std::process::ExitCode::FAILURE
    );
    assert_eq!(
        std::fs::read_to_string(&widget).unwrap(),
        "// edited by hand"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn write_atomic_leaves_no_temporary_file() {
    let dir = scratch("atomic");
    let path = dir.join("a/b.rs");
    codegen::write_atomic(&path, "one").unwrap();
    codegen::write_atomic(&path, "two").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
    let names: Vec<_> = std::fs::read_dir(dir.join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("b.rs")]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn list_json_has_every_key_for_every_action() {
    let api = okta_codegen::load_api(&workspace_root().join("manifest")).unwrap();
    let actions = list::actions_json(&api);
    let actions = actions.as_array().unwrap();
    assert_eq!(
        actions.len(),
        api.categories
            .iter()
            .map(|c| c.actions.len())
            .sum::<usize>()
    );
    let keys = [
        "category",
        "name",
        "operation_id",
        "rust",
        "method",
        "path",
        "fixed_query",
        "path_params",
        "query_params",
        "body",
        "body_content_type",
        "response",
        "response_is_list",
        "paginated",
    ];
    for a in actions {
        let obj = a.as_object().unwrap();
        let mut have: Vec<&str> = obj.keys().map(|k| k.as_str()).collect();
        have.sort();
        let mut want = keys.to_vec();
        want.sort();
        assert_eq!(have, want);
    }
    let list_users = actions
        .iter()
        .find(|a| a["operation_id"] == "listUsers")
        .unwrap();
    assert_eq!(list_users["rust"], "user().list_users");
    assert_eq!(list_users["method"], "GET");
    assert_eq!(list_users["response"], "User");
    assert_eq!(list_users["response_is_list"], true);
    assert_eq!(list_users["paginated"], true);
    let expire = actions
        .iter()
        .find(|a| a["operation_id"] == "expirePasswordWithTempPassword")
        .unwrap();
    assert_eq!(
        expire["path"],
        "/api/v1/users/{id}/lifecycle/expire_password_with_temp_password"
    );
    assert_eq!(expire["rust"], "user().expire_password_with_temp_password");
    assert_eq!(expire["query_params"][0], "revokeSessions");
    assert_eq!(expire["path_params"][0], "id");
    let logo = actions
        .iter()
        .find(|a| a["operation_id"] == "uploadApplicationLogo")
        .unwrap();
    assert_eq!(logo["body_content_type"], "multipart/form-data");
}

#[test]
fn readme_category_table_matches_the_manifest() {
    let root = workspace_root();
    let api = okta_codegen::load_api(&root.join("manifest")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let table = readme
        .split_once("<!-- categories: begin -->\n")
        .and_then(|(_, rest)| rest.split_once("<!-- categories: end -->"))
        .map(|(table, _)| table)
        .expect("README.md has the category markers");
    assert_eq!(
        table,
        list::categories_markdown(&api),
        "README.md's category table is stale: paste `cargo xtask list --format markdown`"
    );
}
