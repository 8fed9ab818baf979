//! `cargo xtask verify-spec`: clean against Okta's current spec, 2026.06.3 (when `../shared` is
//! present), and on a small manifest/spec pair, every kind of difference is found and only
//! overrides excuse one.

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
fn manifest_matches_okta_spec_2026_06_3_but_for_its_overrides() {
    let Some(spec) = xtask::shared_data::shared_or_skip(
        &workspace_root(),
        "okta-spec/management-2026.06.3.yaml",
        "manifest_matches_okta_spec_2026_06_3_but_for_its_overrides",
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
    let mut expected: Vec<(String, String)> = [
        // Two calls folded into one by x-okta-multi-operation.
        ("forgotPassword", "body"),
        ("publishCsrForIdentityProvider", "body"),
        // Text answers (the CSR as PKCS#10, SAML metadata as XML).
        ("generateCsrForIdentityProvider", "response"),
        ("getCsrForIdentityProvider", "response"),
        ("previewSAMLmetadataForApplication", "response"),
        // The spec's security omits the API token that Okta accepts.
        ("assignLinkedObjectValueForPrimary", "auth"),
        // Redirect-only in the spec; the manifest keeps the answer these calls had.
        ("extendOktaSupport", "response"),
        ("extendOktaSupport", "status"),
        ("grantOktaSupport", "response"),
        ("grantOktaSupport", "status"),
        ("revokeOktaSupport", "response"),
        ("revokeOktaSupport", "status"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .chain(extras_not_in_spec())
    .chain(field_overrides())
    .collect();
    expected.sort();
    assert_eq!(explained, expected);
}

/// Fields the manifest types otherwise than Okta's spec, or does not require where it does,
/// each with its reason (`spec_overrides` of the field): each is a `Model.field` difference of
/// that aspect, explained.
fn field_overrides() -> Vec<(String, String)> {
    let manifest = okta_codegen::manifest::load(&workspace_root().join("manifest")).unwrap();
    let mut out = Vec::new();
    for file in &manifest.model_files {
        for (name, model) in &file.value.models {
            for (json, field) in model.fields.iter().flatten() {
                for aspect in field.spec_overrides.keys() {
                    out.push((format!("{name}.{json}"), aspect.clone()));
                }
            }
        }
    }
    assert!(
        out.contains(&("UserFactorLinks.resend".into(), "type".into())),
        "{out:?}"
    );
    out
}

/// Actions the manifest has beyond Okta's spec (typed enrollment helpers, calls Okta dropped):
/// each is an `operation` difference.
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

/// `SPEC` as Okta writes specs since 2023 (OpenAPI 3.0): parameters with schemas, some of them
/// `$ref`s into `components` (one at the path level), the body a `$ref` to a request body.
const SPEC_OPENAPI3: &str = r##"
openapi: 3.0.3
paths:
  /api/v1/widgets/{id}:
    parameters:
    - $ref: "#/components/parameters/pathId"
    get:
      operationId: getWidget
      parameters:
      - {in: query, name: expand, schema: {type: integer}}
      - {in: query, name: color, schema: {$ref: "#/components/schemas/ColorInSpec"}}
      responses:
        "200":
          content:
            application/json: {schema: {$ref: "#/components/schemas/Widget"}}
  /api/v1/widgets:
    get:
      operationId: listWidgets
      parameters:
      - {in: query, name: limit, required: true, schema: {type: integer, default: 200}}
      - $ref: "#/components/parameters/queryAfter"
      - {in: header, name: X-Trace, schema: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Widget"}}
  /api/v1/widgets/{widgetId}:
    put:
      operationId: replaceWidget
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      - {in: header, name: If-Match, schema: {type: string}}
      requestBody:
        $ref: "#/components/requestBodies/GadgetBody"
      responses:
        "200":
          $ref: "#/components/responses/WidgetResponse"
  /api/v1/widgets/{widgetId}/lifecycle/activate:
    post:
      operationId: activateWidget
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      responses:
        "204": {description: activated}
components:
  parameters:
    pathId: {in: path, name: id, required: true, schema: {type: string}}
    queryAfter: {in: query, name: after, schema: {type: string}}
  requestBodies:
    GadgetBody:
      required: true
      content:
        application/json: {schema: {$ref: "#/components/schemas/Gadget"}}
  responses:
    WidgetResponse:
      description: the widget
      content:
        application/json: {schema: {$ref: "#/components/schemas/Widget"}}
  schemas:
    ColorInSpec: {type: string, enum: [RED, GREEN]}
    Widget: {type: object, properties: {id: {type: string}}}
    Gadget: {type: object}
"##;

#[test]
fn an_openapi3_spec_gives_the_same_differences_as_the_same_swagger_2_spec() {
    let dir = scratch("same-in-both");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), ACTIONS).unwrap();
    let swagger = dir.join("swagger.yaml");
    std::fs::write(&swagger, SPEC).unwrap();
    let openapi = dir.join("openapi.yaml");
    std::fs::write(&openapi, SPEC_OPENAPI3).unwrap();
    let from_swagger = lines(&verify(&dir, &swagger).unwrap());
    let from_openapi = lines(&verify(&dir, &openapi).unwrap());
    assert_eq!(from_openapi, from_swagger);
    assert_eq!(from_openapi.len(), 13);
}

/// What only OpenAPI 3 specs have, read as the manifest describes the same calls: multipart,
/// raw and `+json` bodies, a text response, a union path param, a redirect-only operation.
const OPENAPI3_CONSTRUCTS: &str = r##"
openapi: 3.0.3
paths:
  /api/v1/widgets/{widgetId}/logo:
    post:
      operationId: uploadWidgetLogo
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
      responses:
        "201": {description: uploaded}
  /api/v1/widgets/{widgetId}/cert:
    post:
      operationId: uploadWidgetCert
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/x-x509-ca-cert: {schema: {type: string, format: binary}}
          application/pkix-cert: {schema: {type: string, format: binary}}
      responses:
        "200":
          content:
            application/json: {schema: {$ref: "#/components/schemas/Widget"}}
  /api/v1/widgets/{widgetId}/patch:
    patch:
      operationId: patchWidget
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      requestBody:
        content:
          application/merge-patch+json: {schema: {$ref: "#/components/schemas/Widget"}}
      responses:
        "200":
          content:
            application/json: {schema: {$ref: "#/components/schemas/Widget"}}
  /api/v1/widgets/{roleRef}/metadata:
    get:
      operationId: getWidgetMetadata
      parameters:
      - in: path
        name: roleRef
        required: true
        schema: {oneOf: [{$ref: "#/components/schemas/Color"}, {type: string}]}
      responses:
        "200":
          content:
            application/xml: {schema: {type: string}}
  /api/v1/widgets/extend:
    post:
      operationId: extendWidget
      deprecated: true
      responses:
        "301": {description: moved}
components:
  schemas:
    Widget: {type: object, properties: {id: {type: string}}}
    Color: {type: string, enum: [RED, BLUE]}
"##;

const OPENAPI3_ACTIONS: &str = "\
category: Widget
actions:
- name: Upload Widget Logo
  operation_id: uploadWidgetLogo
  method: POST
  path: /api/v1/widgets/{widgetId}/logo
  path_params: [{name: widgetId}]
  body: {content: multipart, file_part: file}
  response: {status: 201}
- name: Upload Widget Cert
  operation_id: uploadWidgetCert
  method: POST
  path: /api/v1/widgets/{widgetId}/cert
  path_params: [{name: widgetId}]
  body: {content: raw, content_types: [application/x-x509-ca-cert, application/pkix-cert]}
  response: {type: Widget}
- name: Patch Widget
  operation_id: patchWidget
  method: PATCH
  path: /api/v1/widgets/{widgetId}/patch
  path_params: [{name: widgetId}]
  body: {type: Widget, required: false, media_type: application/merge-patch+json}
  response: {type: Widget}
- name: Get Widget Metadata
  operation_id: getWidgetMetadata
  method: GET
  path: /api/v1/widgets/{roleRef}/metadata
  path_params: [{name: roleRef}]
  response: {text: application/xml}
- name: Extend Widget
  operation_id: extendWidget
  method: POST
  path: /api/v1/widgets/extend
  response: {status: 200}
";

#[test]
fn openapi3_bodies_responses_and_params_read_as_the_manifest_writes_them() {
    let dir = scratch("openapi3-constructs");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), OPENAPI3_ACTIONS).unwrap();
    let spec = dir.join("openapi.yaml");
    std::fs::write(&spec, OPENAPI3_CONSTRUCTS).unwrap();
    let diffs = lines(&verify(&dir, &spec).unwrap());
    // The manifest's success statuses are 2xx: a redirect-only operation stays a difference.
    assert_eq!(
        diffs,
        vec!["DIFF extendWidget status: manifest 200, spec 301".to_string()]
    );
}

/// Unions as Okta's current spec writes them: inline `oneOf`s (a list or an object; role
/// assignments picked by `type`, also as list items), a `oneOf` component, an `anyOf`.
const OPENAPI3_UNIONS: &str = r##"
openapi: 3.0.3
paths:
  /api/v1/widgets/{widgetId}/parts:
    get:
      operationId: getWidgetParts
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema:
                oneOf:
                - {type: array, items: {$ref: "#/components/schemas/Part"}}
                - $ref: "#/components/schemas/Part"
  /api/v1/widgets/{widgetId}/roles:
    get:
      operationId: listWidgetRoles
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema:
                type: array
                items:
                  oneOf:
                  - $ref: "#/components/schemas/StandardRole"
                  - $ref: "#/components/schemas/CustomRole"
                  discriminator:
                    propertyName: type
                    mapping:
                      APP_ADMIN: "#/components/schemas/StandardRole"
                      CUSTOM: "#/components/schemas/CustomRole"
    post:
      operationId: assignWidgetRole
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/RoleAssignment"}}
      responses:
        "200":
          content:
            application/json:
              schema:
                oneOf:
                - $ref: "#/components/schemas/StandardRole"
                - $ref: "#/components/schemas/CustomRole"
                discriminator: {propertyName: type}
  /api/v1/widgets/{widgetId}/size:
    get:
      operationId: getWidgetSize
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema:
                anyOf: [{type: integer}, {type: string}]
  /api/v1/widgets/{widgetId}/kind:
    get:
      operationId: getWidgetKind
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/json: {schema: {$ref: "#/components/schemas/RoleAssignment"}}
components:
  schemas:
    Part: {type: object, properties: {id: {type: string}}}
    StandardRole: {type: object, properties: {type: {type: string}}}
    CustomRole: {type: object, properties: {type: {type: string}}}
    RoleAssignment:
      oneOf:
      - $ref: "#/components/schemas/StandardRole"
      - $ref: "#/components/schemas/CustomRole"
      discriminator: {propertyName: type}
"##;

const UNION_MODELS: &str = "\
models:
  Part:
    fields:
      id: {type: string}
  StandardRole:
    fields:
      type: {type: string}
  CustomRole:
    fields:
      type: {type: string}
  PartOrParts:
    one_of: [Part, list<Part>]
  Role:
    one_of: [StandardRole, CustomRole]
    discriminator: type
    mapping: {APP_ADMIN: StandardRole, CUSTOM: CustomRole}
  UntaggedRole:
    one_of: [StandardRole, CustomRole]
  Size:
    one_of: [string, number]
";

const UNION_ACTIONS: &str = "\
category: Widget
actions:
- name: Get Widget Parts
  operation_id: getWidgetParts
  method: GET
  path: /api/v1/widgets/{widgetId}/parts
  path_params: [{name: widgetId}]
  response: {type: PartOrParts}
- name: List Widget Roles
  operation_id: listWidgetRoles
  method: GET
  path: /api/v1/widgets/{widgetId}/roles
  path_params: [{name: widgetId}]
  response: {type: list<Role>}
- name: Assign Widget Role
  operation_id: assignWidgetRole
  method: POST
  path: /api/v1/widgets/{widgetId}/roles
  path_params: [{name: widgetId}]
  body: {type: Role}
  response: {type: Role}
- name: Get Widget Size
  operation_id: getWidgetSize
  method: GET
  path: /api/v1/widgets/{widgetId}/size
  path_params: [{name: widgetId}]
  response: {type: Size}
- name: Get Widget Kind
  operation_id: getWidgetKind
  method: GET
  path: /api/v1/widgets/{widgetId}/kind
  path_params: [{name: widgetId}]
  response: {type: UntaggedRole}
";

#[test]
fn openapi3_unions_compare_with_manifest_unions_by_their_branches() {
    let dir = scratch("openapi3-unions");
    std::fs::write(dir.join("models/widget.yaml"), UNION_MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), UNION_ACTIONS).unwrap();
    let spec = dir.join("openapi.yaml");
    std::fs::write(&spec, OPENAPI3_UNIONS).unwrap();
    // A union's name is the manifest's own (the spec writes most inline); its branches, in any
    // order, and its discriminator are what is compared.
    assert_eq!(
        lines(&verify(&dir, &spec).unwrap()),
        [
            "DIFF getWidgetKind response: manifest \"json one_of[CustomRole, StandardRole]\", \
             spec \"json one_of[CustomRole, StandardRole] by type\"",
            "DIFF getWidgetSize response: manifest \"json one_of[number, string]\", \
             spec \"json one_of[integer, string]\"",
        ]
    );
}

#[test]
fn openapi3_dangling_or_looping_refs_are_errors_naming_them() {
    let dir = scratch("openapi3-refs");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), ACTIONS).unwrap();
    let spec = dir.join("openapi.yaml");
    for (text, expected) in [
        (
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/nope'}]\n      responses: {'204': {description: x}}\n",
            "`$ref: #/components/parameters/nope` points at nothing",
        ),
        (
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/a'}]\n      responses: {'204': {description: x}}\ncomponents:\n  parameters:\n    a: {$ref: '#/components/parameters/b'}\n    b: {$ref: '#/components/parameters/a'}\n",
            "a `$ref` chain longer than",
        ),
    ] {
        std::fs::write(&spec, text).unwrap();
        let err = verify(&dir, &spec).unwrap_err();
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn a_spec_that_is_neither_swagger_2_nor_openapi_3_is_an_error_not_an_empty_report() {
    let dir = scratch("not-a-spec");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), ACTIONS).unwrap();
    let spec = dir.join("spec.json");
    for text in [r#"{"openapi": "3.1.0", "paths": {}}"#, r#"{"paths": {}}"#] {
        std::fs::write(&spec, text).unwrap();
        let err = verify(&dir, &spec).unwrap_err();
        assert!(
            err.contains("neither a Swagger 2.0 nor an OpenAPI 3.0 document"),
            "{err}"
        );
    }
}

#[test]
fn okta_s_current_openapi3_spec_is_read_whole() {
    let Some(spec) = xtask::shared_data::shared_or_skip(
        &workspace_root(),
        "okta-spec/management-2026.06.3.yaml",
        "okta_s_current_openapi3_spec_is_read_whole",
    ) else {
        return;
    };
    // Every operation of Okta's current spec is read (none fails to reduce to a wire shape).
    // The manifest still follows 2.16.0, so most of the spec is reported as missing from it.
    let diffs = verify(&workspace_root().join("manifest"), &spec).unwrap();
    let not_in_manifest = diffs
        .iter()
        .filter(|d| d.aspect == "operation" && d.detail.starts_with("in the spec"))
        .count();
    let in_both_by_id = 732 - not_in_manifest;
    assert!(
        (200..=732).contains(&in_both_by_id),
        "{in_both_by_id} operations matched"
    );
}

/// Okta's current spec on hosts, credentials, text bodies and text answers: an operation served
/// on `drapp.<org>` for OAuth 2.0 only, one without credentials whose body is a signed token,
/// one for an API token only, a JSON answer also given as PKCS#10, the rest taking either kind
/// (the document's default `security`).
const OPENAPI3_TRANSPORT: &str = r##"
openapi: 3.0.3
servers:
- url: https://{yourOktaDomain}
security:
- apiToken: []
- oauth2: [okta.widgets.read]
paths:
  /api/v1/widgets/failover:
    post:
      operationId: failoverWidgets
      servers:
      - url: https://drapp.yourOrgSubDomain.okta.com
      security:
      - oauth2: [okta.widgets.manage, okta.dr.manage]
      responses:
        "200":
          content:
            application/json: {schema: {$ref: "#/components/schemas/Widget"}}
  /security/api/v1/widget-events:
    post:
      operationId: publishWidgetEvent
      security: []
      requestBody:
        required: true
        content:
          application/secevent+jwt: {schema: {type: string}}
      responses:
        "202": {description: accepted}
  /api/v1/widgets/questions:
    get:
      operationId: listWidgetQuestions
      security:
      - apiToken: []
      responses:
        "200":
          content:
            application/json: {schema: {$ref: "#/components/schemas/Widget"}}
  /api/v1/widgets/{widgetId}/csr:
    get:
      operationId: getWidgetCsr
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/pkcs10: {schema: {type: string}}
            application/json: {schema: {$ref: "#/components/schemas/Widget"}}
components:
  securitySchemes:
    apiToken: {type: apiKey, in: header, name: Authorization}
    oauth2:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /oauth2/v1/token, scopes: {}}
  schemas:
    Widget: {type: object, properties: {id: {type: string}}}
"##;

const TRANSPORT_ACTIONS: &str = "\
category: Widget
actions:
- name: Failover Widgets
  operation_id: failoverWidgets
  method: POST
  path: /api/v1/widgets/failover
  response: {type: Widget}
  host_prefix: drapp
  auth: [oauth2]
  scopes: [okta.widgets.manage, okta.dr.manage]
- name: Publish Widget Event
  operation_id: publishWidgetEvent
  method: POST
  path: /security/api/v1/widget-events
  body: {content: text, media_type: application/secevent+jwt}
  response: {status: 202}
  auth: []
- name: List Widget Questions
  operation_id: listWidgetQuestions
  method: GET
  path: /api/v1/widgets/questions
  response: {type: Widget}
  auth: [api_token]
- name: Get Widget Csr
  operation_id: getWidgetCsr
  method: GET
  path: /api/v1/widgets/{widgetId}/csr
  path_params: [{name: widgetId}]
  response: {type: Widget, text_alternatives: [application/pkcs10]}
  scopes: [okta.widgets.read]
";

#[test]
fn hosts_credentials_text_bodies_and_text_answers_are_compared() {
    let dir = scratch("openapi3-transport");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    std::fs::write(dir.join("actions/widget.yaml"), TRANSPORT_ACTIONS).unwrap();
    let spec = dir.join("openapi.yaml");
    std::fs::write(&spec, OPENAPI3_TRANSPORT).unwrap();
    assert_eq!(lines(&verify(&dir, &spec).unwrap()), Vec::<String>::new());

    // Each aspect wrong once.
    let wrong = TRANSPORT_ACTIONS
        .replace("  host_prefix: drapp\n", "")
        .replace(
            "scopes: [okta.widgets.manage, okta.dr.manage]",
            "scopes: [okta.widgets.manage]",
        )
        .replace(
            "body: {content: text, media_type: application/secevent+jwt}",
            "body: {content: text, media_type: application/jwt}",
        )
        .replace("  auth: []\n", "")
        .replace("  auth: [api_token]\n", "  auth: [oauth2]\n")
        .replace(
            "text_alternatives: [application/pkcs10]",
            "text_alternatives: [application/x-pem-file]",
        );
    std::fs::write(dir.join("actions/widget.yaml"), wrong).unwrap();
    let expected = [
        r#"DIFF failoverWidgets host_prefix: manifest None, spec Some("drapp")"#,
        r#"DIFF failoverWidgets scopes: manifest ["okta.widgets.manage"], spec ["okta.dr.manage", "okta.widgets.manage"]"#,
        r#"DIFF getWidgetCsr response: manifest "json Widget, or as text: application/x-pem-file", spec "json Widget, or as text: application/pkcs10""#,
        r#"DIFF listWidgetQuestions auth: manifest ["oauth2"], spec ["api_token"]"#,
        r#"DIFF publishWidgetEvent auth: manifest ["api_token", "oauth2"], spec []"#,
        r#"DIFF publishWidgetEvent body: manifest Some("text (application/jwt)"), spec Some("text (application/secevent+jwt)")"#,
    ];
    assert_eq!(lines(&verify(&dir, &spec).unwrap()), expected);
}

#[test]
fn a_spec_without_a_scheme_for_a_kind_of_credentials_says_nothing_about_it() {
    // Okta's Swagger 2.0 specs define the API token alone: the manifest's `oauth2` is not a
    // difference there, but an action that does not take an API token is.
    let dir = scratch("swagger-api-token-only");
    std::fs::write(dir.join("models/widget.yaml"), MODELS).unwrap();
    let actions = "\
category: Widget
actions:
- name: Get Widget
  operation_id: getWidget
  method: GET
  path: /api/v1/widgets/{widgetId}
  path_params: [{name: widgetId}]
  response: {type: Widget}
- name: Delete Widget
  operation_id: deleteWidget
  method: DELETE
  path: /api/v1/widgets/{widgetId}
  path_params: [{name: widgetId}]
  auth: [oauth2]
";
    std::fs::write(dir.join("actions/widget.yaml"), actions).unwrap();
    let spec = dir.join("swagger.yaml");
    std::fs::write(
        &spec,
        r##"
swagger: "2.0"
produces: [application/json]
securityDefinitions:
  api_token: {type: apiKey, in: header, name: Authorization}
paths:
  /api/v1/widgets/{widgetId}:
    get:
      operationId: getWidget
      security: [{api_token: []}]
      parameters: [{in: path, name: widgetId, required: true, type: string}]
      responses:
        "200": {schema: {$ref: "#/definitions/Widget"}}
    delete:
      operationId: deleteWidget
      security: [{api_token: []}]
      parameters: [{in: path, name: widgetId, required: true, type: string}]
      responses:
        "204": {description: deleted}
"##,
    )
    .unwrap();
    assert_eq!(
        lines(&verify(&dir, &spec).unwrap()),
        [r#"DIFF deleteWidget auth: manifest [], spec ["api_token"]"#]
    );
}

/// A model with fields on one side only, a field of another type, one the manifest does not
/// require where the spec does, and overrides that explain or no longer explain a difference.
const FIELD_MODELS: &str = "\
models:
  Widget:
    fields:
      id: {type: string}
      size: {type: string, spec_overrides: {type: Okta sends the size as text.}}
      weight: {type: string}
      name: {type: string, spec_overrides: {required: Drafts have no name.}}
      color: {type: string, spec_overrides: {type: An old spec said integer.}}
      label: {type: string, required: true}
      legacy: {type: string}
";

const FIELD_SPEC: &str = r##"
openapi: 3.0.3
paths:
  /api/v1/widgets/{widgetId}:
    get:
      operationId: getWidget
      parameters:
      - {in: path, name: widgetId, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/json: {schema: {$ref: "#/components/schemas/Widget"}}
components:
  schemas:
    Widget:
      type: object
      required: [name]
      properties:
        id: {type: string}
        size: {type: integer}
        weight: {type: number}
        name: {type: string}
        color: {type: string}
        label: {type: string}
        created: {type: string, format: date-time}
"##;

#[test]
fn model_fields_are_compared_and_only_field_overrides_explain_a_difference() {
    let dir = scratch("fields");
    std::fs::write(dir.join("models/widget.yaml"), FIELD_MODELS).unwrap();
    std::fs::write(
        dir.join("actions/widget.yaml"),
        "category: Widget\nactions:\n- name: Get Widget\n  operation_id: getWidget\n  method: GET\n  path: /api/v1/widgets/{widgetId}\n  path_params:\n  - {name: widgetId}\n  response: {type: Widget}\n",
    )
    .unwrap();
    let spec = dir.join("openapi.yaml");
    std::fs::write(&spec, FIELD_SPEC).unwrap();
    let diffs = verify(&dir, &spec).unwrap();
    let mut expected: Vec<String> = [
        "DIFF Widget.color type: stale spec_overrides entry: the manifest agrees with the spec (An old spec said integer.)",
        "DIFF Widget.created field: in the spec, not in the manifest",
        "DIFF Widget.label required: manifest required: true, spec required: false",
        "DIFF Widget.legacy field: in the manifest, not in the spec",
        "DIFF Widget.weight type: manifest string, spec number",
        "explained Widget.name required: manifest required: false, spec required: true",
        "explained Widget.size type: manifest string, spec integer",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    expected.sort();
    assert_eq!(lines(&diffs), expected);
    // Each is located at its field's line in the model file.
    let size = diffs.iter().find(|d| d.action == "Widget.size").unwrap();
    assert!(
        size.location
            .as_deref()
            .is_some_and(|l| l.ends_with("models/widget.yaml:5")),
        "{size:?}"
    );
}
