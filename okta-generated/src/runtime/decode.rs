//! Decoding a 2xx answer's body: JSON into the action's type, or text.

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{request_id, Error};
use super::json_path::json_path;

/// Decodes a JSON body; on failure names the JSON path of the offending field.
pub(crate) fn decode_json<T: DeserializeOwned>(
    operation: &'static str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Error> {
    // serde_path_to_error allocates a string for every object key it passes, to know the path
    // if something fails; so decode with plain serde_json, and only after a failure decode again
    // to find the path.
    let first_error = match serde_json::from_slice(body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, source) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => (json_path(e.path()), e.into_inner()),
        // The value decoded, so what failed is the end: trailing characters after it.
        Ok(_) => (".".to_owned(), first_error),
    };
    Err(Error::Decode {
        operation,
        path,
        request_id: request_id(headers),
        source,
    })
}

/// The body of a text response (XML metadata, PEM). Okta sends UTF-8; anything else is kept
/// with U+FFFD in place of the bytes that are not.
pub(crate) fn decode_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_error_names_the_json_path() {
        #[derive(serde::Deserialize, Debug)]
        struct User {
            #[allow(dead_code)]
            profile: Profile,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Profile {
            #[allow(dead_code)]
            login: String,
        }
        let body = br#"[{"profile":{"login":"a"}},{"profile":{"login":7}}]"#;
        let err = decode_json::<Vec<User>>("listUsers", &HeaderMap::new(), body).unwrap_err();
        match err {
            Error::Decode { path, .. } => assert_eq!(path, "[1].profile.login"),
            other => panic!("expected Decode, got {other:?}"),
        }
        let err = decode_json::<Vec<User>>("listUsers", &HeaderMap::new(), b"[] x").unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }
}
