//! Entry points for the fuzz targets in `okta-generated/fuzz/` and the stable test that replays
//! their corpus. Not part of the API. The response-decoding functions run exactly what a
//! generated `send()` runs on a response body, without HTTP; [`read_config_file`] what
//! `ClientBuilder::from_env()` runs on the text of an `okta.yaml` file, without the file.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::decode::{decode_json, decode_text};
use super::error::ApiError;
use super::Error;

/// What `send()` does with the 2xx body of a JSON action (`Client::send_json`, and
/// `Client::send_page` with `T = Vec<Item>`): the decoded value, or `Error::Decode` naming
/// `operation` and the JSON path that failed.
pub fn decode_json_response<T: DeserializeOwned>(
    operation: &'static str,
    body: &[u8],
) -> Result<T, Error> {
    decode_json(operation, &HeaderMap::new(), body)
}

/// What `send()` does with the 2xx body of a text action (`Client::send_text`).
pub fn decode_text_response(body: &[u8]) -> String {
    decode_text(body)
}

/// What a call does with a non-2xx response: the error Okta (or a proxy in front of it) sent.
/// `None` when `status` is not an HTTP status code.
pub fn decode_error_response(
    operation: &'static str,
    status: u16,
    body: &[u8],
) -> Option<ApiError> {
    let status = StatusCode::from_u16(status).ok()?;
    Some(ApiError::from_response(
        operation,
        status,
        &HeaderMap::new(),
        body,
    ))
}

/// What `ClientBuilder::from_env()` does with the text of an `okta.yaml` file named `shown`:
/// the file's YAML read and each of its `okta.client` values checked, or `Error::Config` naming
/// `shown`.
pub fn read_config_file(shown: &str, text: &str) -> Result<(), Error> {
    super::config::check_file_text(shown, text)
}
