//! `cargo xtask import-spec`: a hand-written spec with every construct (`fixtures/import_spec/
//! widgets.yaml`) imported into an empty manifest and into an older one (`before/`), snapshotted;
//! a second import changes nothing; broken specs are errors naming where, and write nothing;
//! Okta's current spec imports whole (when `../shared` is there).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use xtask::import_spec::{self, Options};
use xtask::{manifest_files, verify_spec, workspace_root};

fn fixture(name: &str) -> PathBuf {
    workspace_root()
        .join("xtask/tests/fixtures/import_spec")
        .join(name)
}

/// A fresh folder for one test.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-import-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for sub in ["actions", "models"] {
        std::fs::create_dir_all(to.join(sub)).unwrap();
        for entry in std::fs::read_dir(from.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
}

fn options(spec: PathBuf, manifest: &Path) -> Options {
    Options {
        spec,
        manifest: manifest.to_path_buf(),
        only: None,
        dry_run: false,
    }
}

/// Import and write; the summary.
fn import(opts: &Options) -> String {
    let plan = import_spec::plan(opts).unwrap_or_else(|e| panic!("import failed: {e}"));
    if let Some(problems) = &plan.problems {
        panic!("the imported manifest is invalid:\n{problems}");
    }
    manifest_files::write(&opts.manifest, &plan.changed).unwrap();
    import_spec::render_summary(&plan, false)
}

/// Every file of a manifest folder, as one text for a snapshot.
fn all_files(dir: &Path) -> String {
    let mut out = String::new();
    for sub in ["actions", "models"] {
        let mut paths: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths {
            out.push_str(&format!(
                "==> {sub}/{}\n",
                p.file_name().unwrap().to_string_lossy()
            ));
            out.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
    out
}

fn assert_second_import_changes_nothing(opts: &Options) {
    let again = import_spec::plan(opts).unwrap();
    let changed: Vec<_> = again
        .changed
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(changed.is_empty(), "a second import changed {changed:?}");
}

#[test]
fn every_construct_of_the_fixture_spec_imports_into_a_new_manifest() {
    let dir = scratch("new");
    let opts = options(fixture("widgets.yaml"), &dir);
    let summary = import(&opts);
    insta::assert_snapshot!("new_manifest_summary", summary);
    insta::assert_snapshot!("new_manifest_files", all_files(&dir));
    // What it wrote is a manifest the generator turns into Rust.
    let api = okta_codegen::load_api(&dir).unwrap_or_else(|d| panic!("{d}"));
    okta_codegen::generate(&api).unwrap();
    // The webhook's models are filed with its tag's models; no category reaches them, so they
    // are compiled whatever features are on (the `Widget` they hold too).
    for name in [
        "WidgetBuiltHookRequest",
        "WidgetBuiltHookRequestStage",
        "WidgetHookResponse",
        "WidgetHookResponseCommands",
        "Widget",
    ] {
        let model = api.models.iter().find(|m| m.name == name);
        let model = model.unwrap_or_else(|| panic!("no model {name}"));
        assert_eq!(model.group, "widget", "{name}");
        assert!(
            model.categories.is_empty(),
            "{name}: {:?}",
            model.categories
        );
    }
    // A copy of a family is the family; a discriminator whose mapping names models that do
    // not extend it makes a union of them, and the enum of its field goes with the field.
    let files = all_files(&dir);
    assert!(files.contains("spare: {type: Part}"), "{files}");
    assert!(!files.contains("PartCopy"), "{files}");
    assert!(
        files.contains("one_of: [QuickGadgetSettings, SlowGadgetSettings]"),
        "{files}"
    );
    assert!(files.contains("discriminator: mode"), "{files}");
    assert!(!files.contains("GadgetSettingsMode"), "{files}");
    // verify-spec reads the spec as the importer does: nothing to report but the retired
    // operation (only a redirect), which is not added.
    let diffs: Vec<String> = verify_spec::verify(&dir, &opts.spec)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    assert!(diffs[0].contains("extendWidgetSupport"), "{diffs:#?}");
}

#[test]
fn the_same_spec_written_as_json_imports_the_same() {
    let (yaml_dir, json_dir) = (scratch("as-yaml"), scratch("as-json"));
    import(&options(fixture("widgets.yaml"), &yaml_dir));
    // serde_yaml's value keeps the document's order of keys (paths, operations) in JSON too.
    let doc: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(fixture("widgets.yaml")).unwrap()).unwrap();
    let json = json_dir.join("widgets.json");
    std::fs::write(&json, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let manifest = json_dir.join("manifest");
    import(&options(json, &manifest));
    assert_eq!(all_files(&manifest), all_files(&yaml_dir));
}

#[test]
fn a_second_import_of_the_same_spec_changes_no_byte() {
    let dir = scratch("twice");
    copy_dir(&fixture("before"), &dir);
    let opts = options(fixture("widgets.yaml"), &dir);
    import(&opts);
    let first = all_files(&dir);
    assert_second_import_changes_nothing(&opts);
    import(&opts);
    assert_eq!(all_files(&dir), first);
}

#[test]
fn an_import_keeps_what_maintainers_own_and_reports_renames_reuse_and_removals() {
    let dir = scratch("before");
    copy_dir(&fixture("before"), &dir);
    let opts = options(fixture("widgets.yaml"), &dir);
    let summary = import(&opts);
    insta::assert_snapshot!("update_summary", summary);
    let files = all_files(&dir);
    insta::assert_snapshot!("update_files", files);
    // Kept: display names, the param's and the field's Rust names, the override that still
    // differs, the action the spec lacks.
    for kept in [
        "- name: Get Widgets",
        "rust_name: page_size",
        "rust_name: widget_name",
        "Okta takes the image bytes themselves, not a form.",
        "operation_id: createWidgetSession",
    ] {
        assert!(files.contains(kept), "lost `{kept}`");
    }
    // Renamed with a deprecated alias; the stale override dropped.
    assert!(files.contains("previous_names: [get_widgets]"));
    assert!(!files.contains("An old spec said POST."));
    // A field's `required` override: kept (the field stays optional) while the spec requires
    // the field, dropped where the spec does not.
    assert!(files.contains("spec_overrides: {required: Okta leaves it out of a draft widget.}"));
    assert!(!files.contains("name: {type: string, required: true"));
    assert!(!files.contains("An old spec required it."));
    assert!(summary.contains("Widget.name.required"), "{summary}");
    assert!(summary.contains("Widget.size.required"), "{summary}");
    // A field's `type` override: the manifest's type kept while the spec gives another, and
    // dropped (the spec's type taken) once the spec agrees.
    assert!(files.contains(
        "weight:\n        type: json\n        spec_overrides: {type: Okta sends the weight of an old widget as text.}"
    ), "{files}");
    assert!(files.contains("enabled: {type: boolean"), "{files}");
    assert!(!files.contains("An old spec typed it as a number."));
    assert!(summary.contains("Widget.weight.type"), "{summary}");
    assert!(summary.contains("Widget.enabled.type"), "{summary}");
    let api = okta_codegen::load_api(&dir).unwrap_or_else(|d| panic!("{d}"));
    okta_codegen::generate(&api).unwrap();
    // The action Okta no longer has is reported and marked, never deleted: verify-spec
    // reports nothing it cannot explain.
    let diffs = verify_spec::verify(&dir, &opts.spec).unwrap();
    let unexplained: Vec<_> = diffs.iter().filter(|d| d.explained_by.is_none()).collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
}

#[test]
fn only_the_named_tags_are_imported() {
    let dir = scratch("only");
    let mut opts = options(fixture("widgets.yaml"), &dir);
    opts.only = Some(BTreeSet::from(["WidgetRecovery".to_owned()]));
    let plan = import_spec::plan(&opts).unwrap();
    let added: Vec<&str> = plan.summary.added.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(added, ["startWidgetFailover", "publishWidgetEvent"]);
    let files: Vec<String> = plan
        .changed
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "actions/widget_recovery.yaml",
            "models/widget_recovery.yaml"
        ]
    );
    assert!(
        plan.summary.webhooks.is_empty(),
        "{:?}",
        plan.summary.webhooks
    );
    // A webhook comes with its tag, and so do the models only it reaches.
    opts.only = Some(BTreeSet::from(["Widget".to_owned()]));
    let plan = import_spec::plan(&opts).unwrap();
    assert_eq!(
        plan.summary.webhooks.len(),
        1,
        "{:?}",
        plan.summary.webhooks
    );
    assert!(plan
        .summary
        .models_added
        .iter()
        .any(|(name, stem)| name == "WidgetHookResponse" && stem == "widget"));
    opts.only = Some(BTreeSet::from(["Nope".to_owned()]));
    let err = import_spec::plan(&opts).err().unwrap();
    assert!(err.contains("`Nope` is not a tag"), "{err}");
}

#[test]
fn a_dry_run_writes_nothing() {
    let dir = scratch("dry");
    copy_dir(&fixture("before"), &dir);
    let before = all_files(&dir);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "import-spec",
            fixture("widgets.yaml").to_str().unwrap(),
            "--dry-run",
            "--manifest",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(stdout.contains("Files: 4 would change"), "{stdout}");
    assert_eq!(all_files(&dir), before);
}

/// Broken specs: each an error naming where (a JSON pointer) and what, and nothing written.
#[test]
fn broken_specs_are_errors_naming_the_place_and_write_nothing() {
    let dir = scratch("broken");
    copy_dir(&fixture("before"), &dir);
    let before = all_files(&dir);
    let minimal = |paths: &str, components: &str| {
        format!("openapi: 3.0.3\ninfo: {{version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{components}")
    };
    let op = |schema: &str| {
        format!("  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: x\n          content:\n            application/json:\n              schema: {schema}\n")
    };
    let billion_laughs = {
        let mut s = String::from("openapi: 3.0.3\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            s.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        s.push_str("paths: {}\n");
        s
    };
    let cases: Vec<(&str, String)> = vec![
        ("not_yaml", "openapi: [3.0.3\n".into()),
        ("not_openapi", "name: a shopping list\nitems: [milk]\n".into()),
        ("swagger_2", "swagger: '2.0'\npaths: {}\n".into()),
        ("openapi_3_1", "openapi: 3.1.0\npaths: {}\n".into()),
        ("no_paths", "openapi: 3.0.3\ninfo: {version: '1'}\n".into()),
        ("dangling_schema_ref", minimal(&op("{$ref: '#/components/schemas/Nope'}"), "    A: {type: string}\n")),
        ("external_ref", minimal(&op("{$ref: 'other.yaml#/A'}"), "    A: {type: string}\n")),
        ("alias_cycle", minimal(&op("{$ref: '#/components/schemas/A'}"), "    A: {type: array, items: {$ref: '#/components/schemas/B'}}\n    B: {type: array, items: {$ref: '#/components/schemas/A'}}\n")),
        ("ref_chain_cycle", minimal("  /a:\n    get:\n      operationId: getA\n      parameters: [{$ref: '#/components/parameters/p'}]\n      responses: {'204': {description: x}}\n", "    A: {type: string}\n  parameters:\n    p: {$ref: '#/components/parameters/q'}\n    q: {$ref: '#/components/parameters/p'}\n")),
        ("allof_alias_cycle", minimal(&op("{$ref: '#/components/schemas/A'}"), "    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n")),
        ("allof_inheritance_cycle", minimal(&op("{$ref: '#/components/schemas/A'}"), "    A: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {a: {type: string}}}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {b: {type: string}}}]}\n")),
        ("unknown_type", minimal(&op("{type: widget}"), "    A: {type: string}\n")),
        ("undeclared_path_param", minimal("  /a/{id}:\n    get:\n      operationId: getA\n      responses: {'204': {description: x}}\n", "    A: {type: string}\n")),
        ("duplicate_operation_id", minimal("  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: x}}\n  /b:\n    get:\n      operationId: getA\n      responses: {'204': {description: x}}\n", "    A: {type: string}\n")),
        ("no_success_response", minimal("  /a:\n    get:\n      operationId: getA\n      responses: {'404': {description: x}}\n", "    A: {type: string}\n")),
        ("foreign_server", minimal("  /a:\n    get:\n      operationId: getA\n      servers: [{url: 'https://evil.example.com'}]\n      responses: {'204': {description: x}}\n", "    A: {type: string}\n")),
        ("billion_laughs", billion_laughs),
        ("webhooks_not_a_mapping", format!("{}x-webhooks: [create-hook]\n", minimal(&op("{type: string}"), "    A: {type: string}\n"))),
        ("webhook_without_operation", format!("{}x-webhooks:\n  create-hook: {{summary: no method}}\n", minimal(&op("{type: string}"), "    A: {type: string}\n"))),
        ("webhook_dangling_response_ref", format!("{}x-webhooks:\n  create-hook:\n    post:\n      operationId: create-hook\n      responses:\n        '200':\n          description: x\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Nope'}}\n", minimal(&op("{type: string}"), "    A: {type: string}\n"))),
    ];
    let spec = dir.join("spec.yaml");
    let mut report = String::new();
    for (name, text) in cases {
        std::fs::write(&spec, &text).unwrap();
        let err = import_spec::plan(&options(spec.clone(), &dir))
            .err()
            .unwrap_or_else(|| panic!("{name}: imported"));
        let err = err.replace(&spec.display().to_string(), "spec.yaml");
        report.push_str(&format!("{name}: {err}\n"));
    }
    // A file that is not UTF-8, and one past the size limit.
    std::fs::write(&spec, b"openapi: 3.0.3\npaths: {}\n\xff\xfe").unwrap();
    let err = import_spec::plan(&options(spec.clone(), &dir))
        .err()
        .unwrap();
    report.push_str(&format!(
        "not_utf8: {}\n",
        err.replace(&spec.display().to_string(), "spec.yaml")
    ));
    let big = std::fs::File::create(&spec).unwrap();
    big.set_len(xtask::import_spec::document::MAX_SPEC_BYTES + 1)
        .unwrap();
    let err = import_spec::plan(&options(spec.clone(), &dir))
        .err()
        .unwrap();
    report.push_str(&format!(
        "too_large: {}\n",
        err.replace(&spec.display().to_string(), "spec.yaml")
    ));
    insta::assert_snapshot!("broken_specs", report);
    assert_eq!(
        all_files(&dir),
        before,
        "a broken spec changed the manifest"
    );
}

/// Okta's current spec, into a copy of the manifest: it imports whole, in seconds, valid, and
/// changes no byte of it (every action, model and field of the manifest is what the importer
/// makes of Okta's spec, but for the recorded overrides it keeps); verify-spec finds no
/// difference it cannot explain.
#[test]
fn okta_s_current_spec_imports_into_a_copy_of_the_manifest_and_verifies_clean() {
    let Some(spec) = xtask::shared_data::shared_or_skip(
        &workspace_root(),
        "okta-spec/management-2026.06.3.yaml",
        "okta_s_current_spec_imports_into_a_copy_of_the_manifest_and_verifies_clean",
    ) else {
        return;
    };
    let dir = scratch("okta-current");
    copy_dir(&workspace_root().join("manifest"), &dir);
    let opts = options(spec, &dir);
    let summary = import(&opts);
    assert!(summary.contains("732 operations"), "{summary}");
    let (manifest, imported) = (
        all_files(&workspace_root().join("manifest")),
        all_files(&dir),
    );
    if manifest != imported {
        let first = manifest
            .lines()
            .zip(imported.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "importing Okta's spec into a copy of the manifest changed it; first differing \
             line {}: {:?} became {:?} (record a deliberate difference as a spec_overrides \
             entry with its reason)",
            first + 1,
            manifest.lines().nth(first),
            imported.lines().nth(first)
        );
    }
    // Okta's six inline hooks: their payloads are models (no actions).
    assert!(summary.contains("Webhooks: 6 "), "{summary}");
    assert_second_import_changes_nothing(&opts);
    let diffs = verify_spec::verify(&dir, &opts.spec).unwrap();
    let unexplained: Vec<String> = diffs
        .iter()
        .filter(|d| d.explained_by.is_none())
        .map(|d| d.to_string())
        .collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
}
