//! Okta's inline hooks (`x-webhooks` in its spec) are models too: every example payload the spec
//! gives for them, requests Okta sends and answers it expects (inline `example` / `examples` and
//! `$ref: '#/components/examples/...'`), decodes into the generated model of its webhook and
//! encodes back to the same JSON (`null` members and the spelling of numbers aside), except the
//! listed payloads where Okta's example contradicts its own schema.
//!
//! Reads `../shared/okta-spec/management-2026.06.3.yaml` beside the checkout; says so and skips
//! when it is absent, and fails when it is absent under `CI=true`.

#[rustfmt::skip]
mod generated;

use std::collections::BTreeSet;

use serde_json::Value;

// The one "find ../shared or skip" helper of the workspace's tests (std only).
#[path = "../../xtask/src/shared_data.rs"]
mod shared_data;

// `normalize`: what a round trip may change without changing meaning, shared with the other
// example tests.
#[allow(dead_code)] // the spec tests' known-failure table and checks are not used here
mod example_support;

const TEST: &str = "every_example_payload_of_okta_s_webhooks_round_trips_through_its_model";

/// Webhook (its key in `x-webhooks`) -> the model of its request body, and of its answer (the
/// JSON 2xx), as `cargo xtask import-spec` names them: a component keeps its name, an anonymous
/// schema is named after the operationId. A webhook the spec has and this table lacks (or the
/// other way round) fails the test.
const WEBHOOKS: &[(&str, &str, &str)] = &[
    (
        "CreateTelephonyInlineHook",
        "CreateTelephonyInlineHookRequest",
        "TelephonyResponse",
    ),
    (
        "CreatePasswordImportInlineHook",
        "CreatePasswordImportInlineHookRequest",
        "PasswordImportResponse",
    ),
    (
        "create-registration-hook",
        "RegistrationInlineHookRequest",
        "RegistrationResponse",
    ),
    (
        "CreateUserImportInlineHook",
        "CreateUserImportInlineHookRequest",
        "UserImportResponse",
    ),
    (
        "create-saml-hook",
        "CreateSamlAssertionInlineHookRequest",
        "SAMLHookResponse",
    ),
    ("create-token-hook", "TokenRequest", "TokenHookResponse"),
];

/// Payloads that do not round trip today, each with the reason (Okta's example and its own schema
/// disagree). The test fails when one of them starts to pass (take it off the list) or any other
/// payload fails.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "CreateTelephonyInlineHook request TelephonyPayloadExample",
        "the example's `otpCode` is a number (`11111`); the schema says string",
    ),
    (
        "CreateUserImportInlineHook request UserImportPayloadExample",
        "the schema types every app-user profile attribute as a string (`map<string>`); the \
         example has `null`s and a list (`groups`)",
    ),
    (
        "create-registration-hook request ProfileEnrollmentRequest",
        "the example's `cloudEventVersion` is a number (`0.1`); the schema (`InlineHookBasePayload`, \
         which every registration hook request extends) says string",
    ),
    (
        "create-registration-hook request ProgressiveProfileRequest",
        "the example's `cloudEventVersion` is a number (`0.1`); the schema \
         (`InlineHookBasePayload`) says string",
    ),
];

fn spec() -> Option<Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = shared_data::shared_or_skip(&root, "okta-spec/management-2026.06.3.yaml", TEST)?;
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    Some(serde_json::to_value(yaml).expect("the spec is JSON-compatible"))
}

/// The example payloads of a JSON media type object, by name (see
/// `example_support::named_examples`).
fn payloads(spec: &Value, media: &Value) -> Vec<(String, Value)> {
    example_support::named_examples(spec, media)
        .into_iter()
        .map(|(name, value)| {
            let value = value.unwrap_or_else(|| panic!("example `{name}` has no `value`"));
            (name, value)
        })
        .collect()
}

/// Decode `json` as `model`, encode it back: the problem, if any.
fn round_trip(model: &str, json: &Value) -> Option<String> {
    match generated::model_roundtrip(model, json.clone()) {
        None => Some(format!("no generated model `{model}`")),
        Some(Err(e)) => Some(format!("does not decode as {model}: {e}")),
        Some(Ok((back, _)))
            if example_support::normalize(&back) != example_support::normalize(json) =>
        {
            Some(format!(
                "changed in the round trip through {model}:\n  in:  {json}\n  out: {back}"
            ))
        }
        Some(Ok(_)) => None,
    }
}

#[test]
fn every_example_payload_of_okta_s_webhooks_round_trips_through_its_model() {
    let Some(spec) = spec() else { return };
    let webhooks = spec["x-webhooks"]
        .as_object()
        .expect("the spec has x-webhooks");
    let in_spec: BTreeSet<&str> = webhooks.keys().map(String::as_str).collect();
    let in_table: BTreeSet<&str> = WEBHOOKS.iter().map(|w| w.0).collect();
    assert_eq!(
        in_spec, in_table,
        "the spec's webhooks and the table differ"
    );

    let mut checked = 0;
    let mut failures = Vec::new();
    let mut known_seen = BTreeSet::new();
    for &(name, request_model, response_model) in WEBHOOKS {
        let item = example_support::resolve(&spec, &webhooks[name]);
        let op = item.get("post").expect("an inline hook is a POST");
        let mut cases = Vec::new();
        if let Some(body) = op.get("requestBody") {
            let media = &example_support::resolve(&spec, body)["content"]["application/json"];
            for (example, json) in payloads(&spec, media) {
                cases.push((format!("request {example}"), request_model, json));
            }
        }
        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            if !status.starts_with('2') {
                continue;
            }
            let Some(media) = example_support::resolve(&spec, response)
                .get("content")
                .and_then(|c| c.get("application/json"))
            else {
                continue;
            };
            for (example, json) in payloads(&spec, media) {
                cases.push((format!("response {status} {example}"), response_model, json));
            }
        }
        assert!(!cases.is_empty(), "{name}: no example payloads");
        for (what, model, json) in cases {
            checked += 1;
            let id = format!("{name} {what}");
            let known = KNOWN_FAILURES.iter().any(|(k, _)| *k == id);
            match round_trip(model, &json) {
                Some(_) if known => {
                    known_seen.insert(id);
                }
                Some(problem) => failures.push(format!("{id}: {problem}")),
                None if known => {
                    failures.push(format!("{id} passes now: take it off KNOWN_FAILURES"))
                }
                None => {}
            }
        }
    }
    for (id, _) in KNOWN_FAILURES {
        if !known_seen.contains(*id) && !failures.iter().any(|f| f.starts_with(id)) {
            failures.push(format!(
                "{id} is in KNOWN_FAILURES but the spec has no such payload"
            ));
        }
    }
    eprintln!(
        "{checked} webhook payloads checked, {} known failures, {} other failures",
        known_seen.len(),
        failures.len()
    );
    assert!(checked >= 30, "only {checked} payloads");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The check above can fail: a payload of the wrong shape, or one the model changes, is reported.
#[test]
fn a_payload_its_model_cannot_hold_is_reported() {
    let wrong_type = serde_json::json!({"commands": "add a claim"});
    let problem = round_trip("TokenHookResponse", &wrong_type).expect("a problem");
    assert!(problem.contains("commands"), "{problem}");
    assert!(round_trip("NoSuchModel", &wrong_type).is_some());
    let fits = serde_json::json!({"error": {"errorSummary": "no"}, "extra": [1, null]});
    assert_eq!(round_trip("TokenHookResponse", &fits), None);
}
