//! Numbers survive a read and a write: what the client decodes from a response is the nearest
//! `f64` to what Okta sent (correctly rounded), and encoding it and decoding that again gives
//! the same `f64`. Before serde_json's `float_roundtrip` was enabled its default fast float
//! parser was off by one unit in the last place for some long decimals (found by the `decode`
//! fuzz target, `fuzz/regressions/decode/float_not_correctly_rounded_changed_on_round_trip_*`).
#![cfg(feature = "policy")]

use okta_generated::fuzzing::decode_json_response;
use okta_generated::models;

/// The number the fuzzer found: serde_json without `float_roundtrip` decodes it to
/// `15.22222222222222`, and the shortest text of that value decodes to `15.222222222222221`.
const FUZZED: &str = "15.22222222222222222222014856906103867";

/// Long decimals that fast (not correctly rounded) float parsers are known to get wrong, and a
/// few ordinary ones.
const HARD: &[&str] = &[
    FUZZED,
    "0.1",
    "2.2250738585072011e-308",
    "2.2250738585072012e-308",
    "9007199254740993.0000000000000000001",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "7.038531e-26",
    "0.30000000000000000000000000000000000001",
    "123456789012345678901234567890.123456789",
    "-1.7976931348623157e308",
    "4.9406564584124654e-324",
];

fn policy_body(number: &str) -> String {
    format!(
        r#"{{"id": "00p1", "type": "OKTA_SIGN_ON", "name": "Default", "status": "ACTIVE",
            "priority": 1, "system": true,
            "conditions": {{"people": {{"groups": {{"include": ["00g1"]}}}}, "unknownField": {number}}},
            "_links": {{}}}}"#
    )
}

/// The `f64` a policy's unknown `conditions.unknownField` decoded to, through the client's own
/// response decoding.
fn unknown_field(policy: &models::Policy) -> f64 {
    let encoded = serde_json::to_value(policy).expect("a decoded policy encodes");
    encoded["conditions"]["unknownField"]
        .as_f64()
        .unwrap_or_else(|| panic!("conditions.unknownField is not a number: {encoded}"))
}

#[test]
fn the_fuzzed_policy_number_decodes_to_the_nearest_f64_and_survives_a_round_trip() {
    let body = policy_body(FUZZED);
    let first: models::Policy =
        decode_json_response("getPolicy", body.as_bytes()).expect("the policy decodes");
    let nearest: f64 = FUZZED.parse().expect("std parses it (correctly rounded)");
    assert_eq!(unknown_field(&first).to_bits(), nearest.to_bits());

    let encoded = serde_json::to_vec(&first).expect("encodes");
    let again: models::Policy =
        decode_json_response("getPolicy", &encoded).expect("what the client encodes decodes");
    assert_eq!(
        unknown_field(&again).to_bits(),
        unknown_field(&first).to_bits(),
        "the number changed on a decode/encode/decode round trip"
    );
    assert_eq!(again, first);
}

#[test]
fn hard_to_round_decimals_decode_correctly_rounded_and_round_trip_exactly() {
    for text in HARD {
        let nearest: f64 = text.parse().expect("std parses it");
        let body = policy_body(text);
        let decoded: models::Policy = decode_json_response("getPolicy", body.as_bytes())
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        let value = unknown_field(&decoded);
        assert_eq!(
            value.to_bits(),
            nearest.to_bits(),
            "{text} decoded to {value:?}, not the nearest f64 {nearest:?}"
        );
        let encoded = serde_json::to_vec(&decoded).expect("encodes");
        let again: models::Policy = decode_json_response("getPolicy", &encoded).expect("decodes");
        assert_eq!(
            unknown_field(&again).to_bits(),
            value.to_bits(),
            "{text}: changed on a round trip"
        );
    }
}
