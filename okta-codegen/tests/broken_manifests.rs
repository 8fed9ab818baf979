//! Broken manifests: each case makes one real-world mistake in a copy of the kitchen-sink
//! fixture; the exact messages (file, line, what is wrong) are snapshotted.

mod common;

/// (case name, file under the manifest folder, text to find, replacement).
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "unknown_model",
        "models/widget.yaml",
        "parts: {type: list<WidgetPart>}",
        "parts: {type: list<WidgetPrt>}",
    ),
    (
        "path_param_not_declared",
        "actions/widget.yaml",
        "      - {name: partName}\n",
        "",
    ),
    (
        "path_param_not_in_path",
        "actions/widget.yaml",
        "path: /api/v1/widgets/{widgetId}/logo",
        "path: /api/v1/widgets/logo",
    ),
    (
        "duplicate_rust_method",
        "actions/widget.yaml",
        "rust_name: remove_widget",
        "rust_name: get_widget",
    ),
    (
        "duplicate_operation_id",
        "actions/widget.yaml",
        "operation_id: uploadWidgetLogo",
        "operation_id: listWidgets",
    ),
    (
        "invalid_http_method",
        "actions/widget.yaml",
        "method: PUT",
        "method: FETCH",
    ),
    (
        "lowercase_http_method",
        "actions/widget.yaml",
        "method: PUT",
        "method: put",
    ),
    (
        "empty_enum",
        "models/widget.yaml",
        "enum: [ACTIVE, STAGED, DEPROVISIONED]",
        "enum: []",
    ),
    (
        "discriminator_value_names_missing_model",
        "models/widget.yaml",
        "push: PushFactor",
        "push: PushFactr",
    ),
    (
        "variant_without_parent",
        "models/widget.yaml",
        "    parent: Factor\n    fields:\n      digits",
        "    fields:\n      digits",
    ),
    (
        "query_params_collide_after_snake_case",
        "actions/widget.yaml",
        "- {name: after, type: string}",
        "- {name: After, type: string}\n      - {name: after, type: string}",
    ),
    (
        "fields_collide_after_snake_case",
        "models/widget.yaml",
        "count: {type: integer}",
        "count: {type: integer}\n      links: {type: string}",
    ),
    (
        "unknown_key",
        "actions/widget.yaml",
        "paginated: true",
        "paginate: true",
    ),
    (
        "tab_indentation",
        "actions/widget.yaml",
        "    method: DELETE",
        "\tmethod: DELETE",
    ),
    (
        "wrong_indentation",
        "actions/widget.yaml",
        "    method: DELETE\n",
        "      method: DELETE\n",
    ),
    (
        "duplicate_key",
        "actions/widget.yaml",
        "    method: DELETE\n",
        "    method: DELETE\n    method: GET\n",
    ),
    (
        "paginated_without_list_response",
        "actions/widget.yaml",
        "    response: {type: Widget}\n\n  - name: Replace",
        "    response: {type: Widget}\n    paginated: true\n\n  - name: Replace",
    ),
    (
        "struct_cycle_without_box",
        "models/widget.yaml",
        "next: {type: Widget, boxed: true}",
        "next: {type: Widget}",
    ),
    (
        "bad_type_expression",
        "models/widget.yaml",
        "tags: {type: list<string>}",
        "tags: {type: list<string}",
    ),
    (
        "multipart_without_file_part",
        "actions/widget.yaml",
        "body: {content: multipart, file_part: file}",
        "body: {content: multipart}",
    ),
    (
        "body_on_get",
        "actions/widget.yaml",
        "    query_params:\n      - {name: kid",
        "    body: {type: Widget}\n    query_params:\n      - {name: kid",
    ),
    (
        "response_with_type_and_text",
        "actions/widget.yaml",
        "response: {text: application/xml}",
        "response: {text: application/xml, type: Widget}",
    ),
    (
        "query_default_of_wrong_type",
        "actions/widget.yaml",
        "{name: limit, type: integer, default: 20}",
        "{name: limit, type: integer, default: twenty}",
    ),
    (
        "unknown_parent",
        "models/widget.yaml",
        "parent: PushFactor",
        "parent: PushFacter",
    ),
    (
        "enum_values_collide",
        "models/widget.yaml",
        "enum: [ACTIVE, STAGED, DEPROVISIONED]",
        "enum: [ACTIVE, STAGED, DEPROVISIONED, active]",
    ),
    (
        "unknown_spec_override_aspect",
        "actions/widget.yaml",
        "      body: The spec says",
        "      bodies: The spec says",
    ),
    (
        "path_with_query_string",
        "actions/widget.yaml",
        "path: /api/v1/widgets/{widgetId}/lifecycle/expire",
        "path: /api/v1/widgets/{widgetId}/lifecycle/expire?tempPassword=false",
    ),
    (
        "path_without_leading_slash",
        "actions/widget.yaml",
        "path: /api/v1/widgets\n",
        "path: api/v1/widgets\n",
    ),
    (
        "action_without_rust_name_source",
        "actions/widget.yaml",
        "    rust_name: remove_widget\n",
        "",
    ),
    (
        "reserved_extra_field_name",
        "models/widget.yaml",
        "      login: {type: string}",
        "      login: {type: string}\n      additionalProperties: {type: json}",
    ),
    (
        "model_of_two_kinds",
        "models/widget.yaml",
        "    map: string",
        "    map: string\n    enum: [A]",
    ),
];

fn run_case(name: &str, file: &str, find: &str, replace: &str) -> String {
    let root = common::scratch(&format!("broken-{name}")).join("manifest");
    common::copy_manifest(&common::fixture("kitchen_sink"), &root);
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "case {name}: `{find}` not in {file}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    let result = okta_codegen::load_api(&root);
    let _ = std::fs::remove_dir_all(root.parent().unwrap());
    match result {
        Ok(_) => panic!("case {name}: the broken manifest was accepted"),
        Err(diags) => diags.to_string(),
    }
}

#[test]
fn every_broken_manifest_is_rejected_with_file_line_and_reason() {
    assert!(CASES.len() >= 15);
    for (name, file, find, replace) in CASES {
        let out = run_case(name, file, find, replace);
        // Every message names a manifest file, and the line where the mistake is.
        for line in out.lines().filter(|l| l.starts_with("error: ")) {
            assert!(
                line.starts_with("error: manifest/"),
                "case {name}: no file in `{line}`"
            );
        }
        insta::assert_snapshot!(*name, out);
    }
}

#[test]
fn non_utf8_manifest_is_rejected_with_its_line() {
    let root = common::scratch("broken-non-utf8").join("manifest");
    common::copy_manifest(&common::fixture("kitchen_sink"), &root);
    let path = root.join("actions/widget.yaml");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(6).position(|w| w == b"method").unwrap();
    bytes.insert(at, 0xff);
    std::fs::write(&path, bytes).unwrap();
    let err = okta_codegen::load_api(&root).unwrap_err().to_string();
    let _ = std::fs::remove_dir_all(root.parent().unwrap());
    insta::assert_snapshot!(err);
}
