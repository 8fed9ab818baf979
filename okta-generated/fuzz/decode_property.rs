//! The response-decoding fuzz property, in one place: the libFuzzer target `decode` calls
//! [`check`] on every input, and `okta-generated/tests/fuzz_corpus.rs` replays the checked-in
//! corpus through it on stable Rust. It panics (a crash, to the fuzzer) on a violation.
//!
//! An input's first byte picks an action, the rest is the body Okta (or whatever stands between
//! it and the client) answered with:
//! - a JSON object (`getUser` -> `User`), a list (`listUsers` -> `Vec<User>`) and two polymorphic
//!   families (`getApplication` -> `Application`, `getPolicy` -> `Policy`): the body decodes,
//!   encodes back, and decodes again to a value whose encoding is the same (a union's
//!   discriminator, absent from the body, may be filled in by the first encoding); or it fails with `Error::Decode` naming
//!   the action and a JSON path, and says both when displayed;
//! - a text action (`previewSAMLAppMetadata`): a UTF-8 body comes back unchanged;
//! - an error status: whatever the body, the error is built, names the action and keeps at
//!   most a short excerpt of a body that is not Okta's JSON.

use std::fmt::Debug;

use okta_generated::fuzzing::{decode_error_response, decode_json_response, decode_text_response};
use okta_generated::{models, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The actions an input can pick, by its first byte (modulo their number).
pub const ACTIONS: &[&str] = &[
    "getUser",
    "listUsers",
    "getApplication",
    "getPolicy",
    "previewSAMLAppMetadata",
    "error response",
];

pub fn check(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    match usize::from(pick) % ACTIONS.len() {
        0 => json::<models::User>("getUser", body),
        1 => json::<Vec<models::User>>("listUsers", body),
        2 => json::<models::Application>("getApplication", body),
        3 => json::<models::Policy>("getPolicy", body),
        4 => text(body),
        _ => error(400 + u16::from(pick) % 200, body),
    }
}

fn json<T>(operation: &'static str, body: &[u8])
where
    T: DeserializeOwned + Serialize + Debug,
{
    match decode_json_response::<T>(operation, body) {
        Ok(value) => {
            let encoded = serde_json::to_vec(&value)
                .unwrap_or_else(|e| panic!("{operation}: a decoded value does not encode: {e}"));
            let again = decode_json_response::<T>(operation, &encoded).unwrap_or_else(|e| {
                panic!("{operation}: a decoded value, encoded, does not decode: {e}")
            });
            // A union's branch decoded from a value without its discriminator is sent with it
            // (`model_support::union_enum!`: `Role::from(CustomRole::default())` goes out with
            // `"type": "CUSTOM"`), so the first encoding may add that key, and `again` have it
            // where `value` had none. From then on the wire form is a fixed point. (That
            // nothing Okta sent is lost on the way is checked against Okta's own examples,
            // JSON to JSON, in `spec_examples`.)
            let encoded_again = serde_json::to_vec(&again)
                .unwrap_or_else(|e| panic!("{operation}: a decoded value does not encode: {e}"));
            assert_eq!(
                String::from_utf8_lossy(&encoded_again),
                String::from_utf8_lossy(&encoded),
                "{operation}: encode(decode(encode(value))) != encode(value)"
            );
        }
        Err(err) => {
            let shown = err.to_string();
            let _ = format!("{err:?}");
            match err {
                Error::Decode {
                    operation: op,
                    path,
                    ..
                } => {
                    assert_eq!(op, operation, "the error names another action");
                    assert!(
                        !path.is_empty(),
                        "{operation}: a decode error without a path"
                    );
                    assert!(
                        shown.contains(operation) && shown.contains(&format!("`{path}`")),
                        "{operation}: the message does not say the action and the path: {shown}"
                    );
                }
                other => panic!(
                    "{operation}: a body failed with something else than Error::Decode: {other:?}"
                ),
            }
        }
    }
}

fn text(body: &[u8]) {
    let text = decode_text_response(body);
    if let Ok(utf8) = std::str::from_utf8(body) {
        assert_eq!(text, utf8, "a UTF-8 text body changed");
    }
}

fn error(status: u16, body: &[u8]) {
    let err = decode_error_response("getUser", status, body).expect("a 4xx/5xx status");
    let shown = err.to_string();
    let _ = format!("{err:?}");
    assert!(
        shown.starts_with("getUser: "),
        "the error does not name the action: {shown}"
    );
    assert_eq!(err.status().as_u16(), status);
    if let Some(snippet) = err.body_snippet() {
        assert!(
            snippet.chars().count() <= 201,
            "a body snippet of {} chars",
            snippet.chars().count()
        );
    }
}
