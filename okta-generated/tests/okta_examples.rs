//! Forward compatibility on real payloads: every example request body and response that Okta
//! publishes for its current API (2026.06.3, the spec the manifest is imported from) decodes into
//! the generated model of its action and encodes back to the same JSON. `spec_examples.rs` checks
//! every example of the spec itself, a superset of this file's.
//!
//! Reads `../shared/okta-spec/examples-2026.06.3.json` beside the checkout; says so and skips
//! when it is absent, and fails when it is absent under `CI=true`.

#[rustfmt::skip]
mod generated;

use serde_json::Value;

// The one "find ../shared or skip" helper of the workspace's tests (std only).
#[path = "../../xtask/src/shared_data.rs"]
mod shared_data;

mod example_support;

use example_support::{problem, KNOWN_FAILURES};

fn examples() -> Option<Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = shared_data::shared_or_skip(
        &root,
        "okta-spec/examples-2026.06.3.json",
        "okta_example_payloads_round_trip_except_the_listed_known_incompatibilities",
    )?;
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(serde_json::from_slice(&bytes).expect("examples file is JSON"))
}

/// Payloads of the file that are not in Okta's spec as JSON, with the reason; the rest of the
/// known failures are the spec's (`example_support::KNOWN_FAILURES`: every payload of this file
/// is also an example of the spec, with the same operation, status and name).
const NOT_JSON: &[(&str, &[&str])] = &[(
    "the example is the `application/pkcs10` form of the CSR; the client asks for JSON",
    &[
        "generateCsrForApplication response 201 CsrPkcs10Response",
        "generateCsrForIdentityProvider response 201 CsrPkcs10Response",
        "getCsrForApplication response 200 CsrPkcs10Response",
        "getCsrForIdentityProvider response 200 CsrPkcs10Response",
    ],
)];

#[test]
fn okta_example_payloads_round_trip_except_the_listed_known_incompatibilities() {
    let Some(examples) = examples() else { return };
    let known: std::collections::BTreeSet<&str> = KNOWN_FAILURES
        .iter()
        .chain(NOT_JSON)
        .flat_map(|(_, cases)| cases.iter().copied())
        .collect();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut known_seen = std::collections::BTreeSet::new();
    for (key, entry) in examples.as_object().expect("object keyed by operation") {
        // The manifest has Okta's current operation ids.
        let Some(op) = entry["operation_id_current"].as_str() else {
            continue;
        };
        let mut payloads = Vec::new();
        for (status, named) in entry["responses"].as_object().into_iter().flatten() {
            for (name, json) in named.as_object().into_iter().flatten() {
                payloads.push((format!("response {status} {name}"), json, true));
            }
        }
        for (name, json) in entry["requests"].as_object().into_iter().flatten() {
            payloads.push((format!("request {name}"), json, false));
        }
        for (what, json, is_response) in payloads {
            let decoded = if is_response {
                generated::response_decode(op, json.clone())
            } else {
                generated::body_decode(op, json.clone())
            };
            let Some(decoded) = decoded else { continue };
            checked += 1;
            let problem = problem(json, decoded);
            let id = format!("{op} {what}");
            match problem {
                Some(_) if known.contains(id.as_str()) => {
                    known_seen.insert(id);
                }
                Some(problem) => failures.push(format!("{key}: {id}: {problem}")),
                None if known.contains(id.as_str()) => {
                    failures.push(format!("{id} passes now: take it off KNOWN_FAILURES"))
                }
                None => {}
            }
        }
    }
    eprintln!(
        "{checked} example payloads checked, {} known failures, {} other failures",
        known_seen.len(),
        failures.len()
    );
    assert!(checked > 200, "only {checked} payloads matched an action");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
