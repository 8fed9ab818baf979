//! Broken manifests: each case of `broken/cases.rs` makes one real-world mistake in a copy of the
//! kitchen-sink fixture; the exact messages (file, line, what is wrong) are snapshotted.
//! (`xtask/tests/broken_manifests.rs` runs the same cases through `cargo xtask codegen`.)

#[path = "broken/cases.rs"]
mod cases;
mod common;

fn run_case(case: &cases::Case) -> String {
    let dir = common::scratch(&format!("broken-{}", case.name));
    let root = dir.join("manifest");
    cases::make_broken_manifest(case, &common::fixture("kitchen_sink"), &root);
    let result = okta_codegen::load_api(&root);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(_) => panic!("case {}: the broken manifest was accepted", case.name),
        Err(diags) => diags.to_string(),
    }
}

/// `manifest/<file>.yaml:<line>[:<col>]: ` at the start of a message, or `manifest/<path>: `
/// for a problem with a file as a whole.
fn has_file_and_line(message: &str) -> (bool, bool) {
    let Some(rest) = message.strip_prefix("manifest/") else {
        return (false, false);
    };
    let Some((file, after)) = rest.split_once(".yaml") else {
        return (!file_level(rest).is_empty(), false);
    };
    let line = after
        .strip_prefix(':')
        .and_then(|a| a.split(|c: char| !c.is_ascii_digit()).next())
        .is_some_and(|n| !n.is_empty());
    (!file.is_empty(), line)
}

fn file_level(rest: &str) -> &str {
    rest.split(": ").next().unwrap_or_default()
}

#[test]
fn every_broken_manifest_is_rejected_with_file_line_and_reason() {
    let cases = cases::all();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let mut names = std::collections::BTreeSet::new();
    for case in &cases {
        assert!(names.insert(case.name), "case {} twice", case.name);
        let out = run_case(case);
        for line in out.lines().filter_map(|l| l.strip_prefix("error: ")) {
            let (file, has_line) = has_file_and_line(line);
            assert!(file, "case {}: no manifest file in `{line}`", case.name);
            assert_eq!(
                has_line, case.has_line,
                "case {}: line number expected: {}, in `{line}`",
                case.name, case.has_line
            );
        }
        insta::assert_snapshot!(case.name, out);
    }
}

/// The fixture's generated files after `edit` is applied to each of its manifest files.
fn generate_with(tag: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<okta_codegen::GeneratedFile> {
    let dir = common::scratch(tag);
    let root = dir.join("manifest");
    common::copy_manifest(&common::fixture("kitchen_sink"), &root);
    for file in ["actions/widget.yaml", "models/widget.yaml"] {
        let path = root.join(file);
        std::fs::write(&path, edit(std::fs::read(&path).unwrap())).unwrap();
    }
    let api = okta_codegen::load_api(&root);
    let _ = std::fs::remove_dir_all(&dir);
    okta_codegen::generate(&api.unwrap_or_else(|e| panic!("{tag}: rejected:\n{e}"))).unwrap()
}

#[test]
fn windows_line_endings_generate_the_same_code() {
    let unix = generate_with("lf", |b| b);
    let windows = generate_with("crlf", |b| {
        String::from_utf8(b)
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes()
    });
    assert_eq!(unix, windows);
}

#[test]
fn a_byte_order_mark_generates_the_same_code() {
    let plain = generate_with("no-bom", |b| b);
    let bom = generate_with("bom", |b| [&b"\xEF\xBB\xBF"[..], &b].concat());
    assert_eq!(plain, bom);
}

#[test]
fn a_byte_order_mark_before_a_top_level_key_loads() {
    // The kitchen sink's category file starts with a comment; a mark right before a key is
    // what libyaml misread as a second document.
    let plain = generate_with("no-bom-key", |b| b);
    let bom = generate_with("bom-key", |b| {
        let text = String::from_utf8(b).unwrap();
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        [&b"\xEF\xBB\xBF"[..], body.as_bytes()].concat()
    });
    assert_eq!(plain, bom);
}

#[test]
fn a_model_file_just_under_the_size_limit_loads() {
    let dir = common::scratch("big-but-allowed");
    let root = dir.join("manifest");
    common::copy_manifest(&common::fixture("kitchen_sink"), &root);
    let mut text = String::from("models:\n");
    let mut i = 0;
    let limit = okta_codegen::manifest::MAX_FILE_BYTES as usize - 200;
    while text.len() < limit {
        text.push_str(&format!(
            "  Generated{i}:\n    fields:\n      id: {{type: string}}\n      next: {{type: Generated{i}, boxed: true}}\n"
        ));
        i += 1;
    }
    std::fs::write(root.join("models/big.yaml"), &text).unwrap();
    let api = okta_codegen::load_api(&root);
    let _ = std::fs::remove_dir_all(&dir);
    let api = api.unwrap_or_else(|e| panic!("{e}"));
    let fixture_models = okta_codegen::load_api(&common::fixture("kitchen_sink"))
        .unwrap_or_else(|e| panic!("{e}"))
        .models
        .len();
    assert_eq!(
        api.models.len(),
        i + fixture_models,
        "every generated model and the fixture's {fixture_models}"
    );
}
