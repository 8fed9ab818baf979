//! `cargo xtask verify-spec`: clean against Okta's 2.16.0 spec (when `../shared` is present), and
//! on a small manifest/spec pair, every kind of difference is found and only overrides excuse one.

use std::path::PathBuf;

use xtask::verify_spec::{action_key, verify, Difference};
use xtask::workspace_root;

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-verify-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("actions")).unwrap();
    std::fs::create_dir_all(dir.join("models")).unwrap();
    dir
}

#[test]
fn manifest_matches_okta_spec_2_16_0_but_for_its_overrides() {
    let Some(spec) = xtask::shared_data::shared_or_skip(
        &workspace_root(),
        "okta-spec/management-2.16.0.yaml",
        "manifest_matches_okta_spec_2_16_0_but_for_its_overrides",
    ) else {
        return;
    };
    let diffs = verify(&workspace_root().join("manifest"), &spec).unwrap();
    let unexplained: Vec<String> = diffs
        .iter()
        .filter(|d| d.explained_by.is_none())
        .map(Difference::to_string)
        .collect();
    assert!(
        unexplained.is_empty(),
        "the manifest differs from Okta's spec:\n{}",
        unexplained.join("\n")
    );
    // The deliberate differences are exactly the recorded ones (see manifest/README.md).
    let mut explained: Vec<(String, String)> = diffs
        .iter()
        .map(|d| (d.action.clone(), d.aspect.clone()))
        .collect();
    explained.sort();
    let forgot = "forgot_password";
    let mut expected: Vec<(String, String)> = [
        (forgot, "body"),
        (forgot, "query_params"),
        ("publish_csr_for_application", "body"),
        ("publish_csr_for_identity_provider", "body"),
        ("previewSAMLAppMetadata", "response"),
        ("listBrands", "paginated"),
        ("listEmailTemplateCustomizations", "paginated"),
        ("listIdentityProviderApplicationUsers", "paginated"),
        ("listPolicies", "paginated"),
        ("listPolicyRules", "paginated"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .chain(extras_not_in_spec())
    .collect();
    expected.sort();
    assert_eq!(explained, expected);
}

/// Actions the manifest adds beyond the 2.16.0 spec: each is an `operation` difference.
fn extras_not_in_spec() -> Vec<(String, String)> {
    let manifest = okta_codegen::manifest::load(&workspace_root().join("manifest")).unwrap();
    manifest
        .categories
        .iter()
        .flat_map(|c| &c.value.actions)
        .filter(|a| a.spec_overrides.contains_key("operation"))
        .map(|a| (action_key(a), "operation".to_string()))
        .collect()
}

const MODELS: &str = "\
models:
  Widget:
    fields:
      id: {type: string}
  Color:
    enum: [RED, BLUE]
";

const ACTIONS: &str = "\
category: Widget
actions:
- name: Get Widget
  operation_id: getWidget
  method: GET
  path: /api/v1/widgets/{widgetId}
  path_params:
  - {name: widgetId}
  query_params:
  - {name: expand, type: string}
  - {name: color, type: Color}
  response: {type: Widget}

- name: List Widgets
  operation_id: listWidgets
  method: GET
  path: /api/v1/widgets
  query_params:
  - {name: limit, type: integer, default: 20}
  - {name: after, type: string}
  response: {type: list<Widget>}

- name: Replace Widget
  operation_id: replaceWidget
  method: POST
  path: /api/v1/widgets/{widgetId}
  path_params:
  - {name: widgetId}
  header_params:
  - {name: If-Match}
  body: {type: Widget}
  response: {type: Widget, status: 201}
  spec_overrides:
    method: Okta takes POST here, whatever the spec says.
    path: No longer different.

- name: Only Here
  operation_id: onlyHere
  method: DELETE
  path: /api/v1/widgets/{widgetId}/extra
  path_params:
  - {name: widgetId}
";

const SPEC: &str = r##"
swagger: "2.0"
produces: [application/json]
paths:
  /api/v1/widgets/{id}:
    get:
      operationId: getWidget
      parameters:
      - {in: path, name: id, required: true, type: string}
      - {in: query, name: expand, type: integer}
      - {in: query, name: color, type: string, enum: [RED, GREEN]}
      responses:
        "200": {schema: {$ref: "#/definitions/Widget"}}
  /api/v1/widgets:
    get:
      operationId: listWidgets
      parameters:
      - {in: query, name: limit, type: integer, default: 200, required: true}
      - {in: query, name: after, type: string}
      - {in: header, name: X-Trace, type: string}
      responses:
        "200": {schema: {type: array, items: {$ref: "#/definitions/Widget"}}}
  /api/v1/widgets/{widgetId}:
    put:
      operationId: replaceWidget
      parameters:
      - {in: path, name: widgetId, required: true, type: string}
      - {in: header, name: If-Match, type: string}
      - {in: body, name: widget, required: true, schema: {$ref: "#/definitions/Gadget"}}
      responses:
        "200": {schema: {$ref: "#/definitions/Widget"}}
  /api/v1/widgets/{widgetId}/lifecycle/activate:
    post:
      operationId: activateWidget
      parameters:
      - {in: path, name: widgetId, required: true, type: string}
      responses:
        "204": {description: activated}
"##;

fn lines(diffs: &[Difference]) -> Vec<String> {
    let mut out: Vec<String> = diffs
        .iter()
        .map(|d| {
            let tag = if d.explained_by.is_some() {
                "explained"
            } else {
                "DIFF"
            };
            format!("{tag} {} {}: {}", d.action, d.aspect, d.detail)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_kind_of_difference_is_reported_and_only_overrides_explain_one() {
    let dir = scratch("kinds");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), ACTIONS).unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, SPEC).unwrap();

    let diffs = verify(&dir, &spec).unwrap();
    let expected = [
        r#"DIFF activateWidget operation: in the spec (POST /api/v1/widgets/{widgetId}/lifecycle/activate), not in the manifest"#,
        r#"DIFF getWidget path: manifest "/api/v1/widgets/{widgetId}", spec "/api/v1/widgets/{id}""#,
        r#"DIFF getWidget path_params: manifest [("widgetId", "string")], spec [("id", "string")]"#,
        r#"DIFF getWidget query_params: `color`: manifest string ["RED", "BLUE"], spec string ["RED", "GREEN"]"#,
        r#"DIFF getWidget query_params: `expand`: manifest string, spec integer"#,
        r#"DIFF listWidgets header_params: manifest [], spec ["X-Trace"]"#,
        r#"DIFF listWidgets paginated: manifest false, spec true"#,
        r#"DIFF listWidgets query_params: `limit`: manifest integer, default 20, spec integer, required, default 200"#,
        r#"DIFF onlyHere operation: in the manifest, not in the spec"#,
        r#"DIFF replaceWidget path: stale spec_overrides entry: the manifest agrees with the spec (No longer different.)"#,
        r#"DIFF replaceWidget body: manifest Some("json Widget"), spec Some("json Gadget")"#,
        r#"DIFF replaceWidget status: manifest 201, spec 200"#,
        r#"explained replaceWidget method: manifest "POST", spec "PUT""#,
    ];
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(lines(&diffs), expected);
    let located = diffs.iter().find(|d| d.action == "onlyHere").unwrap();
    assert!(
        located
            .location
            .as_deref()
            .is_some_and(|l| l.ends_with("actions/widget.yaml:37")),
        "{located:?}"
    );
}

#[test]
fn a_spec_that_is_not_swagger_2_is_an_error_not_an_empty_report() {
    let dir = scratch("openapi3");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), ACTIONS).unwrap();
    let spec = dir.join("spec.json");
    std::fs::write(&spec, r#"{"openapi": "3.0.0", "paths": {}}"#).unwrap();
    let err = verify(&dir, &spec).unwrap_err();
    assert!(err.contains("not a Swagger 2.0 document"), "{err}");
}
