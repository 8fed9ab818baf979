//! Okta's own example payloads, straight from its current spec (2026.06.3): every JSON example of
//! every operation (request bodies and responses; a media type's `example` and each of its
//! `examples`, inline or a `$ref` to `#/components/examples`) decodes into the generated type of
//! the operation's action and encodes back to the same JSON, except Okta's documentation
//! mistakes, listed in `KNOWN_FAILURES` with their reasons.
//!
//! - A request body example goes through the action's body type, a response example with a
//!   2xx status through its response type (the client decodes every 2xx answer as that type).
//! - An error example (4xx, 5xx) is Okta's error object, which no action's model describes: a
//!   mock server answers it, and everything of it that the client's `Error` exposes (`errorCode`,
//!   `errorSummary`, `errorLink`, `errorId`, each cause's `errorSummary`) must read back equal.
//!   They are counted apart from the payloads.
//!
//! Reads `../shared/okta-spec/management-2026.06.3.yaml` beside the checkout (parsed once for
//! both tests); says so and skips when it is absent, and fails when it is absent under `CI=true`.

#[rustfmt::skip]
mod generated;

// The one "find ../shared or skip" helper of the workspace's tests (std only).
#[path = "../../xtask/src/shared_data.rs"]
mod shared_data;

mod example_support;

use example_support::{named_examples, problem, resolve, KNOWN_FAILURES};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

const SPEC: &str = "okta-spec/management-2026.06.3.yaml";

/// The share of checked payloads that must round trip. The target is 99%, but 82 of the
/// spec's 1,323 request and success examples contradict their own schemas (`KNOWN_FAILURES`:
/// Okta's mistakes, not the client's), so 93.8% is what a correct client reaches; the floor
/// keeps the list from growing unnoticed. Any failure not listed fails the test whatever the
/// share. (Fields the schemas require but Okta's answers leave out for some kinds of a model,
/// such as a catalog SAML app's sign-on flags, are optional in the manifest, each with its
/// reason in the field's `spec_overrides.required`; fields whose schema has another shape than
/// Okta's answers, such as a factor's `_links.resend`, have the answers' type, each with its
/// reason in `spec_overrides.type`: those examples pass.)
const TARGET_SHARE: f64 = 0.935;

/// One example of the spec.
struct Example {
    /// The operation's `operationId`.
    operation: String,
    /// `None` for a request body, else the response's status as written in the spec.
    status: Option<String>,
    /// `<operationId> request <name>` or `<operationId> response <status> <name>`.
    id: String,
    value: Value,
}

struct Spec {
    examples: Vec<Example>,
    /// Examples that are not JSON (another media type, or an `externalValue`): counted only.
    not_json: usize,
    /// Every operationId of the spec.
    operations: BTreeSet<String>,
}

/// The spec's examples, read and parsed once for every test of this binary.
fn spec(test: &str) -> Option<&'static Spec> {
    static SPEC_DATA: OnceLock<Option<Spec>> = OnceLock::new();
    // `shared_or_skip` prints the skip for the test that asks; a second test skips silently.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = shared_data::shared_or_skip(&root, SPEC, test)?;
    SPEC_DATA
        .get_or_init(|| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not YAML: {e}", path.display()));
            Some(collect(&to_json(&yaml)))
        })
        .as_ref()
}

/// YAML as JSON; a mapping key that is not a string (`200:`) is written as its text.
fn to_json(v: &serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(&tagged.value),
    }
}

/// Every example of every operation, in the spec's order.
fn collect(root: &Value) -> Spec {
    let mut spec = Spec {
        examples: Vec::new(),
        not_json: 0,
        operations: BTreeSet::new(),
    };
    let paths = root["paths"].as_object().expect("the spec has `paths`");
    for item in paths.values() {
        let item = resolve(root, item);
        for method in ["get", "post", "put", "patch", "delete", "head", "options"] {
            let Some(op) = item.get(method) else { continue };
            let operation = op["operationId"]
                .as_str()
                .expect("every operation of the spec has an operationId")
                .to_owned();
            spec.operations.insert(operation.clone());
            if let Some(body) = op.get("requestBody") {
                let content = &resolve(root, body)["content"];
                media_examples(root, content, &operation, None, &mut spec);
            }
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let content = &resolve(root, response)["content"];
                media_examples(root, content, &operation, Some(status), &mut spec);
            }
        }
    }
    spec
}

/// The examples of one `content` (media type -> media type object).
fn media_examples(
    root: &Value,
    content: &Value,
    operation: &str,
    status: Option<&String>,
    spec: &mut Spec,
) {
    for (media, object) in content.as_object().into_iter().flatten() {
        let json = okta_codegen::manifest::is_json_media_type(media);
        for (name, value) in named_examples(root, object) {
            let Some(value) = value.filter(|_| json) else {
                spec.not_json += 1;
                continue;
            };
            let place = match status {
                None => "request".to_owned(),
                Some(status) => format!("response {status}"),
            };
            let media_note = if media == "application/json" {
                String::new()
            } else {
                format!(" ({media})")
            };
            spec.examples.push(Example {
                operation: operation.to_owned(),
                status: status.cloned(),
                id: format!("{operation} {place} {name}{media_note}"),
                value,
            });
        }
    }
}

/// The manifest's action for each operationId of the spec: the action of that `operation_id`,
/// else the one whose `okta_operation` it is.
fn actions_by_operation() -> BTreeMap<String, String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../manifest");
    let manifest =
        okta_codegen::manifest::load(std::path::Path::new(dir)).unwrap_or_else(|d| panic!("{d}"));
    let mut out = BTreeMap::new();
    let actions = manifest.categories.iter().flat_map(|c| &c.value.actions);
    for a in actions.clone() {
        if let (Some(okta), Some(id)) = (&a.okta_operation, &a.operation_id) {
            out.entry(okta.clone()).or_insert_with(|| id.clone());
        }
    }
    for a in actions {
        if let Some(id) = &a.operation_id {
            out.insert(id.clone(), id.clone());
        }
    }
    out
}

fn is_error_status(status: &str) -> bool {
    matches!(status.as_bytes().first(), Some(b'4' | b'5'))
}

#[test]
fn every_json_example_of_oktas_spec_round_trips_through_its_actions_type() {
    let Some(spec) = spec("every_json_example_of_oktas_spec_round_trips_through_its_actions_type")
    else {
        return;
    };
    let actions = actions_by_operation();
    let known: BTreeSet<&str> = KNOWN_FAILURES
        .iter()
        .flat_map(|(_, cases)| cases.iter().copied())
        .collect();
    let (mut checked, mut passed, mut known_seen) = (0usize, 0usize, BTreeSet::new());
    let (mut no_action, mut no_json_type, mut errors) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for example in &spec.examples {
        if example.status.as_deref().is_some_and(is_error_status) {
            errors += 1;
            continue;
        }
        let Some(action) = actions.get(&example.operation) else {
            no_action += 1;
            continue;
        };
        let decoded = match example.status {
            None => generated::body_decode(action, example.value.clone()),
            Some(_) => generated::response_decode(action, example.value.clone()),
        };
        let Some(decoded) = decoded else {
            // The action sends or answers no JSON (a text or binary body, an empty answer).
            no_json_type += 1;
            continue;
        };
        checked += 1;
        let problem = problem(&example.value, decoded);
        let id = example.id.as_str();
        match problem {
            None if known.contains(id) => {
                failures.push(format!("{id} passes now: take it off KNOWN_FAILURES"));
            }
            None => passed += 1,
            Some(_) if known.contains(id) => {
                known_seen.insert(id);
            }
            Some(problem) => failures.push(format!("{id}: {problem}")),
        }
    }
    let missing: Vec<&&str> = known.difference(&known_seen).collect();
    let operations_without_action: Vec<&String> = spec
        .operations
        .iter()
        .filter(|op| !actions.contains_key(*op))
        .collect();
    let share = passed as f64 / checked.max(1) as f64;
    eprintln!(
        "{} examples in the spec: {} not JSON, {errors} error examples (4xx/5xx: the error \
         test), {} request and success examples; {checked} checked ({no_action} left out for \
         operations without an action {operations_without_action:?}, {no_json_type} where the \
         action takes or answers no JSON): {passed} pass ({:.2}%), {} known failures (Okta's \
         mistakes), {} other failures",
        spec.examples.len() + spec.not_json,
        spec.not_json,
        spec.examples.len() - errors,
        share * 100.0,
        known_seen.len(),
        failures.len(),
    );
    assert!(checked > 1000, "only {checked} examples matched an action");
    assert!(
        failures.is_empty(),
        "{} examples fail that KNOWN_FAILURES does not list:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        missing.is_empty(),
        "KNOWN_FAILURES lists examples the spec does not have: {missing:?}"
    );
    assert!(
        share >= TARGET_SHARE,
        "{passed} of {checked} examples round trip ({:.2}%), under {:.0}%",
        share * 100.0,
        TARGET_SHARE * 100.0
    );
}

/// What the client's `Error` exposes of Okta's error object, written as that object: each of
/// `errorCode`, `errorSummary`, `errorLink`, `errorId` it has, and `errorCauses` as the
/// causes' `errorSummary`s.
fn error_as_exposed(api: &okta_generated::ApiError) -> Value {
    let mut out = serde_json::Map::new();
    for (key, value) in [
        ("errorCode", api.error_code()),
        ("errorSummary", api.error_summary()),
        ("errorLink", api.error_link()),
        ("errorId", api.error_id()),
    ] {
        if let Some(value) = value {
            out.insert(key.to_owned(), Value::from(value));
        }
    }
    let causes: Vec<Value> = api
        .error_causes()
        .iter()
        .map(|summary| serde_json::json!({ "errorSummary": summary }))
        .collect();
    out.insert("errorCauses".to_owned(), Value::Array(causes));
    Value::Object(out)
}

/// The same fields of an example: what the client should read from it. A cause's members other
/// than `errorSummary` (Okta's `reason`, `locationType`, `domain` on a few) are not exposed.
fn error_expected(example: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for key in ["errorCode", "errorSummary", "errorLink", "errorId"] {
        if let Some(value) = example.get(key).filter(|v| !v.is_null()) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    let causes = match example.get("errorCauses") {
        Some(Value::Array(causes)) => causes.clone(),
        // One cause written as an object rather than a list of one.
        Some(cause @ Value::Object(_)) => vec![cause.clone()],
        _ => Vec::new(),
    };
    let causes = causes
        .iter()
        .filter_map(|c| c.get("errorSummary").filter(|s| s.is_string()))
        .map(|summary| serde_json::json!({ "errorSummary": summary }))
        .collect();
    out.insert("errorCauses".to_owned(), Value::Array(causes));
    Value::Object(out)
}

#[tokio::test]
async fn every_error_example_of_oktas_spec_reads_back_through_the_clients_error() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let Some(spec) = spec("every_error_example_of_oktas_spec_reads_back_through_the_clients_error")
    else {
        return;
    };
    // Most operations share Okta's few error examples: each (status, body) is served once.
    let mut distinct: BTreeMap<(u16, String), Vec<&str>> = BTreeMap::new();
    let mut examples = 0;
    for example in &spec.examples {
        let Some(status) = example.status.as_deref().filter(|s| is_error_status(s)) else {
            continue;
        };
        let status: u16 = status
            .parse()
            .unwrap_or_else(|_| panic!("{}: status `{status}` is not a number", example.id));
        examples += 1;
        distinct
            .entry((status, example.value.to_string()))
            .or_default()
            .push(&example.id);
    }
    let server = MockServer::start().await;
    for (i, (status, body)) in distinct.keys().enumerate() {
        Mock::given(method("GET"))
            .and(path(format!("/error/{i}")))
            .respond_with(
                ResponseTemplate::new(*status)
                    .insert_header("content-type", "application/json")
                    .set_body_string(body.clone()),
            )
            .mount(&server)
            .await;
    }
    let client = okta_generated::Client::builder()
        .base_url(server.uri())
        .api_token("00-test-token")
        .max_retries(0)
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for (i, ((status, body), ids)) in distinct.iter().enumerate() {
        let result = client
            .generic_request(reqwest::Method::GET, format!("/error/{i}"))
            .send()
            .await;
        let example: Value = serde_json::from_str(body).unwrap();
        let problem = match &result {
            Ok(_) => Some("the client took it for a success".to_owned()),
            Err(e) => match e.api() {
                None => Some(format!("not an error from Okta: {e}")),
                Some(api) if api.status().as_u16() != *status => {
                    Some(format!("status {} read as {}", status, api.status()))
                }
                Some(api) if error_as_exposed(api) != error_expected(&example) => Some(format!(
                    "read back as {}, not {}",
                    error_as_exposed(api),
                    error_expected(&example)
                )),
                Some(_) => None,
            },
        };
        if let Some(problem) = problem {
            failures.push(format!(
                "{} ({} examples, the first {}): {problem}",
                body,
                ids.len(),
                ids[0]
            ));
        }
    }
    eprintln!(
        "{examples} error examples ({} distinct status and body), {} read back wrong",
        distinct.len(),
        failures.len()
    );
    assert!(examples > 1000, "only {examples} error examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
