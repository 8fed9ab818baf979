//! The broken-manifest corpus: each case makes one real-world mistake in a copy of the
//! kitchen-sink fixture. Shared by `okta-codegen/tests/broken_manifests.rs` (which snapshots the
//! exact messages) and `xtask/tests/broken_manifests.rs` (which runs `cargo xtask codegen` on
//! each and checks that the generated folder is byte-identical afterwards).
#![allow(dead_code)]

use std::path::Path;

/// How a case breaks the fixture.
#[derive(Clone, Copy)]
pub enum Edit {
    /// Replace the first `find` in `file` (relative to the manifest folder) with `replace`.
    Replace {
        file: &'static str,
        find: &'static str,
        replace: &'static str,
    },
    /// Anything else, done to the manifest folder.
    Custom(fn(&Path)),
}

#[derive(Clone, Copy)]
pub struct Case {
    pub name: &'static str,
    pub edit: Edit,
    /// Whether the diagnostics point at a line. `false` for problems with a file as a whole
    /// (it is a folder, a link loop, too big), where there is no line to name.
    pub has_line: bool,
}

const fn replace(
    name: &'static str,
    file: &'static str,
    find: &'static str,
    replace: &'static str,
) -> Case {
    Case {
        name,
        edit: Edit::Replace {
            file,
            find,
            replace,
        },
        has_line: true,
    }
}

const ACTIONS: &str = "actions/widget.yaml";
const MODELS: &str = "models/widget.yaml";

/// Cases that are a text edit of one file.
const REPLACEMENTS: &[Case] = &[
    replace(
        "field_override_of_unknown_aspect",
        MODELS,
        "total: {type: int64, required: true}",
        "total: {type: int64, required: true, spec_overrides: {read_only: Okta lets clients set it}}",
    ),
    replace(
        "field_override_of_required_on_a_required_field",
        MODELS,
        "total: {type: int64, required: true}",
        "total: {type: int64, required: true, spec_overrides: {required: Okta leaves it out}}",
    ),
    replace(
        "unknown_model",
        MODELS,
        "parts: {type: list<WidgetPart>}",
        "parts: {type: list<WidgetPrt>}",
    ),
    replace(
        "path_param_not_declared",
        ACTIONS,
        "      - {name: partName}\n",
        "",
    ),
    replace(
        "path_param_not_in_path",
        ACTIONS,
        "path: /api/v1/widgets/{widgetId}/logo",
        "path: /api/v1/widgets/logo",
    ),
    // A typo in the declared name: it is neither in the path, nor is the path's param declared.
    replace(
        "path_param_typo",
        ACTIONS,
        "    path: /api/v1/widgets/{widgetId}/metadata\n    path_params: [{name: widgetId}]",
        "    path: /api/v1/widgets/{widgetId}/metadata\n    path_params: [{name: widgetID}]",
    ),
    replace(
        "duplicate_rust_method",
        ACTIONS,
        "rust_name: remove_widget",
        "rust_name: get_widget",
    ),
    replace(
        "duplicate_operation_id",
        ACTIONS,
        "operation_id: uploadWidgetLogo",
        "operation_id: listWidgets",
    ),
    replace(
        "invalid_http_method",
        ACTIONS,
        "method: PUT",
        "method: FETCH",
    ),
    replace(
        "lowercase_http_method",
        ACTIONS,
        "method: PUT",
        "method: put",
    ),
    replace(
        "empty_enum",
        MODELS,
        "enum: [ACTIVE, STAGED, DEPROVISIONED]",
        "enum: []",
    ),
    replace(
        "discriminator_value_names_missing_model",
        MODELS,
        "push: PushFactor",
        "push: PushFactr",
    ),
    replace(
        "variant_without_parent",
        MODELS,
        "    parent: Factor\n    fields:\n      digits",
        "    fields:\n      digits",
    ),
    replace(
        "query_params_collide_after_snake_case",
        ACTIONS,
        "- {name: after, type: string}",
        "- {name: After, type: string}\n      - {name: after, type: string}",
    ),
    replace(
        "fields_collide_after_snake_case",
        MODELS,
        "count: {type: integer}",
        "count: {type: integer}\n      links: {type: string}",
    ),
    replace("unknown_key", ACTIONS, "paginated: true", "paginate: true"),
    replace(
        "tab_indentation",
        ACTIONS,
        "    method: DELETE",
        "\tmethod: DELETE",
    ),
    replace(
        "wrong_indentation",
        ACTIONS,
        "    method: DELETE\n",
        "      method: DELETE\n",
    ),
    replace(
        "duplicate_key",
        ACTIONS,
        "    method: DELETE\n",
        "    method: DELETE\n    method: GET\n",
    ),
    // serde's maps keep the last of two equal keys; a model defined twice in one file used to
    // lose its first definition silently.
    replace(
        "duplicate_model_in_one_file",
        MODELS,
        "  WidgetPart:\n",
        "  WidgetProfile:\n    fields:\n      nickname: {type: string}\n\n  WidgetPart:\n",
    ),
    replace(
        "paginated_without_list_response",
        ACTIONS,
        "    response: {type: Widget}\n\n  - name: Replace",
        "    response: {type: Widget}\n    paginated: true\n\n  - name: Replace",
    ),
    replace(
        "struct_cycle_without_box",
        MODELS,
        "next: {type: Widget, boxed: true}",
        "next: {type: Widget}",
    ),
    replace(
        "model_cycle_through_two_models",
        MODELS,
        "      login: {type: string}\n",
        "      login: {type: string}\n      widget: {type: Widget}\n",
    ),
    replace(
        "parent_cycle",
        MODELS,
        "    discriminator: factorType\n",
        "    parent: TotpFactor\n    discriminator: factorType\n",
    ),
    replace(
        "bad_type_expression",
        MODELS,
        "tags: {type: list<string>}",
        "tags: {type: list<string}",
    ),
    replace(
        "type_name_misspelled",
        MODELS,
        "email: {type: string}",
        "email: {type: strng}",
    ),
    replace(
        "multipart_without_file_part",
        ACTIONS,
        "body: {content: multipart, file_part: file}",
        "body: {content: multipart}",
    ),
    replace(
        "body_on_get",
        ACTIONS,
        "    query_params:\n      - {name: kid",
        "    body: {type: Widget}\n    query_params:\n      - {name: kid",
    ),
    replace(
        "response_with_type_and_text",
        ACTIONS,
        "response: {text: application/xml}",
        "response: {text: application/xml, type: Widget}",
    ),
    replace(
        "error_status_as_success",
        ACTIONS,
        "response: {status: 201}",
        "response: {status: 404}",
    ),
    replace(
        "query_default_of_wrong_type",
        ACTIONS,
        "{name: limit, type: integer, default: 20}",
        "{name: limit, type: integer, default: twenty}",
    ),
    // YAML 1.2 (serde_yaml) reads `yes` as a string, not the YAML 1.1 boolean.
    replace(
        "yaml_1_1_yes_as_boolean",
        ACTIONS,
        "{name: kid, type: string, required: true}",
        "{name: kid, type: string, required: yes}",
    ),
    replace(
        "yaml_1_1_on_as_boolean_default",
        ACTIONS,
        "{name: activate, type: boolean, default: true}",
        "{name: activate, type: boolean, default: on}",
    ),
    replace(
        "unknown_parent",
        MODELS,
        "parent: PushFactor",
        "parent: PushFacter",
    ),
    replace(
        "enum_values_collide",
        MODELS,
        "enum: [ACTIVE, STAGED, DEPROVISIONED]",
        "enum: [ACTIVE, STAGED, DEPROVISIONED, active]",
    ),
    replace(
        "unknown_spec_override_aspect",
        ACTIONS,
        "      body: The spec says",
        "      bodies: The spec says",
    ),
    replace(
        "path_with_query_string",
        ACTIONS,
        "path: /api/v1/widgets/{widgetId}/lifecycle/expire",
        "path: /api/v1/widgets/{widgetId}/lifecycle/expire?tempPassword=false",
    ),
    replace(
        "path_without_leading_slash",
        ACTIONS,
        "path: /api/v1/widgets\n",
        "path: api/v1/widgets\n",
    ),
    replace(
        "action_without_rust_name_source",
        ACTIONS,
        "    rust_name: remove_widget\n",
        "",
    ),
    replace("missing_required_key", ACTIONS, "    method: DELETE\n", ""),
    replace(
        "reserved_extra_field_name",
        MODELS,
        "      login: {type: string}",
        "      login: {type: string}\n      additionalProperties: {type: json}",
    ),
    replace(
        "model_of_two_kinds",
        MODELS,
        "    map: string",
        "    map: string\n    enum: [A]",
    ),
    replace(
        "list_where_a_map_is_expected",
        MODELS,
        "    fields:\n      name: {type: string}",
        "    fields:\n      - name: {type: string}",
    ),
    replace(
        "map_where_a_list_is_expected",
        ACTIONS,
        "    path_params: [{name: widgetId}]\n    header_params:",
        "    path_params: {name: widgetId}\n    header_params:",
    ),
    replace(
        "unquoted_colon_in_description",
        ACTIONS,
        "description: Lists widgets, paginated with Okta's Link headers.",
        "description: Lists widgets: paginated with Okta's Link headers.",
    ),
    replace(
        "backtick_starts_a_value",
        ACTIONS,
        "{name: widgetId, description: The widget's id}",
        "{name: widgetId, description: `id` of the widget}",
    ),
    replace(
        "unclosed_quote",
        MODELS,
        "enum: [\"SHA-512\", \"token:software:totp\"",
        "enum: [\"SHA-512, \"token:software:totp\"",
    ),
    replace(
        "unclosed_bracket",
        ACTIONS,
        "    path: /api/v1/widgets/{widgetId}/logo\n    path_params: [{name: widgetId}]",
        "    path: /api/v1/widgets/{widgetId}/logo\n    path_params: [{name: widgetId}",
    ),
    replace(
        "two_yaml_documents",
        MODELS,
        "  OktaPushFactor:\n",
        "---\n  OktaPushFactor:\n",
    ),
    replace(
        "header_name_with_spaces",
        ACTIONS,
        "{name: X-Forwarded-For,",
        "{name: X Forwarded For,",
    ),
    replace(
        "accessor_clashes_with_a_client_method",
        ACTIONS,
        "accessor: widget",
        "accessor: generic_request",
    ),
    replace(
        "model_name_with_an_underscore",
        MODELS,
        "  WidgetPart:\n    fields:",
        "  WIDGET_KIND:\n    enum: [BIG]\n\n  WidgetPart:\n    fields:",
    ),
    replace(
        "model_named_like_a_prelude_type",
        MODELS,
        "  WidgetPart:\n    fields:",
        "  Result:\n    fields:\n      ok: {type: boolean}\n\n  WidgetPart:\n    fields:",
    ),
    // Names the generator derives must come from real identifiers, never a placeholder.
    replace(
        "empty_operation_id",
        ACTIONS,
        "    operation_id: listWidgets",
        "    operation_id: ''",
    ),
    replace(
        "operation_id_with_a_space",
        ACTIONS,
        "    operation_id: listWidgets",
        "    operation_id: list widgets",
    ),
    replace(
        "field_name_with_no_rust_name",
        MODELS,
        "      email: {type: string}",
        "      $: {type: string}",
    ),
    // A setter must not be able to replace what the client sends itself.
    replace(
        "header_param_authorization",
        ACTIONS,
        "      - {name: X-Forwarded-For, description: The end user's IP}",
        "      - {name: Authorization, description: The end user's IP}",
    ),
    replace(
        "header_param_host_in_other_case",
        ACTIONS,
        "      - {name: X-Forwarded-For, description: The end user's IP}",
        "      - {name: hOST, rust_name: target_host}",
    ),
    replace(
        "header_param_content_type",
        ACTIONS,
        "      - {name: X-Forwarded-For, description: The end user's IP}",
        "      - {name: Content-Type}",
    ),
    replace(
        "header_param_declared_twice",
        ACTIONS,
        "      - {name: X-Forwarded-For, description: The end user's IP}",
        "      - {name: X-Forwarded-For}\n      - {name: x-forwarded-for, rust_name: forwarded_again}",
    ),
    replace(
        "path_repeats_a_placeholder",
        ACTIONS,
        "path: /api/v1/widgets/{widgetId}/logo",
        "path: /api/v1/widgets/{widgetId}/{widgetId}",
    ),
    // Display names are names: not a sentence from the spec, not YAML's null.
    replace(
        "display_name_is_a_sentence",
        ACTIONS,
        "  - name: Get Widget\n",
        "  - name: The file must be in PNG, JPG, or GIF format, and less than 1 MB in size.\n",
    ),
    replace(
        "okta_tag_is_not_a_tag",
        ACTIONS,
        "okta_tag: Widget\n",
        "okta_tag: Widget Things\n",
    ),
    replace(
        "okta_operation_is_not_an_operation_id",
        ACTIONS,
        "    okta_operation: getWidgetHashByAlgorithm",
        "    okta_operation: get widget hash",
    ),
    replace(
        "page_items_names_no_list_field",
        ACTIONS,
        "    page_items: parts",
        "    page_items: part",
    ),
    replace(
        "page_items_with_link_header_paging",
        ACTIONS,
        "    page_items: parts",
        "    page_items: parts\n    paginated: true",
    ),
    replace(
        "lifecycle_is_not_a_stage",
        ACTIONS,
        "    lifecycle: ea\n",
        "    lifecycle: early\n",
    ),
    replace(
        "json_body_media_type_is_not_json",
        ACTIONS,
        "media_type: application/merge-patch+json",
        "media_type: application/xml",
    ),
    replace(
        "host_prefix_is_not_one_label",
        ACTIONS,
        "    host_prefix: drapp\n",
        "    host_prefix: drapp.okta.com\n",
    ),
    replace(
        "auth_names_an_unknown_kind",
        ACTIONS,
        "    auth: [oauth2]\n",
        "    auth: [ssws]\n",
    ),
    replace(
        "auth_lists_a_kind_twice",
        ACTIONS,
        "    auth: [api_token]\n",
        "    auth: [api_token, api_token]\n",
    ),
    // Scopes are OAuth 2.0's, on an operation that takes an API token only; one is no scope.
    replace(
        "scopes_without_oauth2",
        ACTIONS,
        "    auth: [oauth2]\n    scopes: [okta.widgets.manage, okta.widgets.read]",
        "    auth: [api_token]\n    scopes: [okta.widgets.manage, okta widgets read]",
    ),
    replace(
        "text_body_without_media_type",
        ACTIONS,
        "body: {content: text, media_type: application/secevent+jwt, description",
        "body: {content: text, description",
    ),
    replace(
        "text_body_media_type_is_json",
        ACTIONS,
        "media_type: text/plain",
        "media_type: application/json",
    ),
    replace(
        "text_alternative_is_json",
        ACTIONS,
        "text_alternatives: [application/pkcs10, application/x-pem-file]",
        "text_alternatives: [application/pkcs10, application/problem+json]",
    ),
    replace(
        "text_alternatives_give_one_method",
        ACTIONS,
        "text_alternatives: [application/pkcs10, application/x-pem-file]",
        "text_alternatives: [application/pkcs10, text/pkcs10]",
    ),
    replace(
        "text_alternatives_of_a_text_response",
        ACTIONS,
        "response: {text: application/xml}",
        "response: {text: application/xml, text_alternatives: [application/pkcs10]}",
    ),
    replace(
        "display_name_is_null",
        ACTIONS,
        "  - name: Get Widget\n",
        "  - name: null\n",
    ),
    // A previous name (a deprecated alias) must not take a name that is in use.
    replace(
        "previous_name_is_another_method",
        ACTIONS,
        "previous_names: [get_widget_digest, fetch_widget_hash]",
        "previous_names: [get_widget_digest, get_widget, get_widget_digest, get_widget_]",
    ),
    replace(
        "previous_name_is_not_a_free_identifier",
        ACTIONS,
        "previous_names: [get_widget_digest, fetch_widget_hash]",
        "previous_names: [get widget hash, new, send, get_widget_hash]",
    ),
    // Unions: a union is one of several types, each told apart from the others.
    replace(
        "union_with_one_branch",
        MODELS,
        "one_of: [list<WidgetPart>, WidgetPart]",
        "one_of: [WidgetPart]",
    ),
    // OpenAPI's spelling, out of habit.
    replace(
        "union_written_one_of_as_in_openapi",
        MODELS,
        "one_of: [list<WidgetPart>, WidgetPart]",
        "oneOf: [list<WidgetPart>, WidgetPart]",
    ),
    replace(
        "union_lists_a_branch_twice",
        MODELS,
        "one_of: [WidgetStatus, json]",
        "one_of: [WidgetStatus, WidgetStatus, json]",
    ),
    replace(
        "union_branch_is_an_unknown_model",
        MODELS,
        "one_of: [list<WidgetPart>, WidgetPart]",
        "one_of: [list<WidgetPart>, WidgetPrt]",
    ),
    replace(
        "union_branches_give_one_variant",
        MODELS,
        "    one_of: [list<WidgetPart>, WidgetPart]\n",
        "    one_of: [list<WidgetPart>, WidgetPart, WidgetPartList]\n\n  WidgetPartList:\n    fields:\n      parts: {type: list<WidgetPart>}\n",
    ),
    replace(
        "union_branches_give_one_accessor",
        MODELS,
        "    one_of: [list<WidgetPart>, WidgetPart]\n",
        "    one_of: [list<WidgetPart>, WidgetPart, WidgetPART]\n\n  WidgetPART:\n    fields:\n      id: {type: string}\n",
    ),
    replace(
        "union_branches_are_one_rust_type",
        MODELS,
        "one_of: [integer, number, string, boolean,",
        "one_of: [integer, number, string, date-time, boolean,",
    ),
    replace(
        "union_branch_named_other",
        MODELS,
        "    one_of: [WidgetStatus, json]\n",
        "    one_of: [Other, json]\n\n  Other:\n    fields:\n      id: {type: string}\n",
    ),
    replace(
        "union_branch_that_takes_every_value_is_not_last",
        MODELS,
        "one_of: [WidgetStatus, json]",
        "one_of: [json, WidgetStatus]",
    ),
    replace(
        "union_contains_itself",
        MODELS,
        "one_of: [WidgetStatus, json]",
        "one_of: [WidgetStatus, WidgetNote]",
    ),
    replace(
        "union_with_fields_too",
        MODELS,
        "    one_of: [list<WidgetPart>, WidgetPart]\n",
        "    one_of: [list<WidgetPart>, WidgetPart]\n    fields:\n      count: {type: integer}\n",
    ),
    replace(
        "union_mapping_without_discriminator",
        MODELS,
        "    discriminator: type\n    mapping:",
        "    mapping:",
    ),
    replace(
        "union_mapping_names_no_branch",
        MODELS,
        "      CUSTOM: CustomWidgetRole",
        "      CUSTOM: WidgetPart",
    ),
    replace(
        "union_mapping_gives_a_branch_name_to_another",
        MODELS,
        "      CUSTOM: CustomWidgetRole",
        "      CUSTOM: CustomWidgetRole\n      LegacyWidgetRole: StandardWidgetRole",
    ),
    replace(
        "union_discriminator_with_a_branch_that_is_no_object",
        MODELS,
        "one_of: [StandardWidgetRole, CustomWidgetRole, LegacyWidgetRole]",
        "one_of: [StandardWidgetRole, CustomWidgetRole, LegacyWidgetRole, list<WidgetPart>]",
    ),
];

/// Every case: the text edits above, then the ones that need more than a text edit.
pub fn all() -> Vec<Case> {
    let mut cases = REPLACEMENTS.to_vec();
    let custom = |name, f, has_line| Case {
        name,
        edit: Edit::Custom(f),
        has_line,
    };
    cases.push(custom("non_utf8_byte", non_utf8_byte, true));
    cases.push(custom("empty_file", empty_file, true));
    cases.push(custom("truncated_file", truncated_file, true));
    cases.push(custom(
        "deeply_nested_brackets",
        deeply_nested_brackets,
        true,
    ));
    cases.push(custom("huge_file", huge_file, false));
    cases.push(custom("file_is_a_folder", file_is_a_folder, false));
    cases.push(custom(
        "category_file_in_models_folder",
        category_file_in_models_folder,
        true,
    ));
    cases.push(custom(
        "model_defined_in_two_files",
        model_defined_in_two_files,
        true,
    ));
    cases.push(custom(
        "two_categories_with_one_accessor",
        two_categories_with_one_accessor,
        true,
    ));
    cases.push(custom(
        "family_variant_named_other",
        family_variant_named_other,
        true,
    ));
    #[cfg(unix)]
    {
        cases.push(custom("symlink_loop", symlink_loop, false));
        cases.push(custom("symlink_to_a_device", symlink_to_a_device, false));
    }
    cases
}

/// Copy the fixture manifest (`actions/`, `models/`) into `root` and break it as `case` says.
pub fn make_broken_manifest(case: &Case, fixture: &Path, root: &Path) {
    for sub in ["actions", "models"] {
        std::fs::create_dir_all(root.join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(fixture.join(sub)).expect("read fixture") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, root.join(sub).join(path.file_name().expect("name")))
                .expect("copy");
        }
    }
    match case.edit {
        Edit::Replace {
            file,
            find,
            replace,
        } => {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path).expect("read");
            assert!(
                text.contains(find),
                "case {}: `{find}` is not in {file}",
                case.name
            );
            std::fs::write(&path, text.replacen(find, replace, 1)).expect("write");
        }
        Edit::Custom(f) => f(root),
    }
}

/// `Other` is every family's fallback variant: a variant model of that name would be a second.
fn family_variant_named_other(root: &Path) {
    let path = root.join(MODELS);
    let text = std::fs::read_to_string(&path).expect("read");
    let text = text.replacen(
        "      push: PushFactor\n",
        "      push: PushFactor\n      other: Other\n",
        1,
    ) + "\n  Other:\n    parent: Factor\n    fields:\n      x: {type: string}\n";
    std::fs::write(&path, text).expect("write");
}

fn non_utf8_byte(root: &Path) {
    // A Latin-1 `é` (0xE9) where UTF-8 is expected, as an editor in the wrong encoding saves it.
    let path = root.join(ACTIONS);
    let text = std::fs::read_to_string(&path).expect("read");
    let mut bytes = text
        .replacen("Lists widgets", "Lists widgets (d\u{0}cor)", 1)
        .into_bytes();
    let at = bytes.iter().position(|&b| b == 0).expect("marker");
    bytes[at] = 0xE9;
    std::fs::write(&path, bytes).expect("write");
}

fn empty_file(root: &Path) {
    std::fs::write(
        root.join("actions/extra.yaml"),
        "# TODO: the Extra actions\n\n",
    )
    .expect("write");
}

fn truncated_file(root: &Path) {
    // Cut off mid-key, without a final newline (a copy that was interrupted).
    let path = root.join(ACTIONS);
    let text = std::fs::read_to_string(&path).expect("read");
    let cut = text
        .find("    path: /api/v1/widgets/{widgetId}/logo")
        .expect("line")
        + 8;
    std::fs::write(&path, &text[..cut]).expect("write");
}

fn deeply_nested_brackets(root: &Path) {
    // The YAML parser takes time quadratic in flow nesting; the loader refuses deep nesting
    // before parsing.
    let text = format!(
        "models:\n  Deep:\n    description: {}{}\n    map: string\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(root.join("models/deep.yaml"), text).expect("write");
}

fn huge_file(root: &Path) {
    // 50 MB of plausible models: refused by size before it is read.
    let mut text = String::from("models:\n");
    let mut i = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!(
            "  Generated{i}:\n    description: A model pasted in from a dump.\n    fields:\n      id: {{type: string}}\n"
        ));
        i += 1;
    }
    std::fs::write(root.join("models/dump.yaml"), text).expect("write");
}

fn file_is_a_folder(root: &Path) {
    std::fs::create_dir_all(root.join("actions/extra.yaml")).expect("mkdir");
}

fn category_file_in_models_folder(root: &Path) {
    std::fs::copy(root.join(ACTIONS), root.join("models/widget_actions.yaml")).expect("copy");
}

fn model_defined_in_two_files(root: &Path) {
    std::fs::write(
        root.join("models/extra.yaml"),
        "models:\n  WidgetPart:\n    fields:\n      size: {type: integer}\n",
    )
    .expect("write");
}

fn two_categories_with_one_accessor(root: &Path) {
    std::fs::write(
        root.join("actions/widget_copy.yaml"),
        "category: Widget Copy\naccessor: widget\nactions:\n  - name: Copy Widget\n    operation_id: copyWidget\n    method: POST\n    path: /api/v1/widgets/copy\n",
    )
    .expect("write");
}

#[cfg(unix)]
fn symlink_loop(root: &Path) {
    std::os::unix::fs::symlink("loop_b.yaml", root.join("models/loop_a.yaml")).expect("link");
    std::os::unix::fs::symlink("loop_a.yaml", root.join("models/loop_b.yaml")).expect("link");
}

#[cfg(unix)]
fn symlink_to_a_device(root: &Path) {
    // Reading it would never end.
    std::os::unix::fs::symlink("/dev/zero", root.join("models/zero.yaml")).expect("link");
}
