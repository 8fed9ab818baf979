//! The crate's one error type.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName};
use reqwest::StatusCode;
use serde_json::Value;

/// Longest excerpt of a non-JSON error body kept in an [`ApiError`], in characters.
const SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong calling Okta.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Okta answered with an error status (4xx/5xx other than an exhausted 429).
    Api(ApiError),

    /// Still HTTP 429 after all retries (or the reset was further away than the client waits).
    RateLimited {
        operation: &'static str,
        /// Okta's error body and request id.
        error: ApiError,
        /// `X-Rate-Limit-Limit`.
        limit: Option<u64>,
        /// `X-Rate-Limit-Remaining`.
        remaining: Option<u64>,
        /// `X-Rate-Limit-Reset`: when the window resets, in seconds since the Unix epoch.
        reset: Option<u64>,
        retries: u32,
    },

    /// A 2xx response whose body did not match the expected type.
    Decode {
        operation: &'static str,
        /// JSON path of the failing field, e.g. `profile.login` or `[3].id` (`.` for the root).
        path: String,
        request_id: Option<String>,
        source: serde_json::Error,
    },

    /// The request timed out (after retries, for idempotent requests).
    Timeout { operation: &'static str },

    /// Connection or protocol failure (after retries where retrying was safe).
    Transport {
        operation: &'static str,
        source: reqwest::Error,
    },

    /// The request body could not be serialized to JSON; nothing was sent.
    Serialize {
        operation: &'static str,
        source: serde_json::Error,
    },

    /// Invalid client configuration or request input: bad URL, missing credentials, unreadable
    /// private key, invalid header, a path that is not relative to the org, an empty or `.`/`..`
    /// path parameter (refused before sending: it would call another endpoint).
    Config(String),

    /// The OAuth 2.0 token endpoint refused or could not issue an access token.
    Auth(String),
}

// Written out rather than derived with thiserror: its proc macro is the last dependency that
// would build syn 2 in a user's from-scratch build (reqwest, serde and tokio are on syn 3).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => write!(f, "{error}"),
            Error::RateLimited {
                operation,
                error,
                limit,
                remaining,
                reset,
                retries,
            } => write!(
                f,
                "{operation}: rate limited by Okta (HTTP 429) after {retries} retries{}; {}",
                fmt_rate(limit, remaining, reset),
                error.details()
            ),
            Error::Decode {
                operation,
                path,
                request_id,
                source,
            } => write!(
                f,
                "{operation}: cannot decode the response at `{path}`: {source}{}",
                fmt_request_id(request_id.as_deref())
            ),
            Error::Timeout { operation } => write!(f, "{operation}: request to Okta timed out"),
            Error::Transport { operation, source } => {
                write!(f, "{operation}: HTTP transport error: {source}")
            }
            Error::Serialize { operation, source } => {
                write!(
                    f,
                    "{operation}: cannot serialize the request body: {source}"
                )
            }
            Error::Config(message) => write!(f, "invalid configuration: {message}"),
            Error::Auth(message) => write!(f, "OAuth 2.0 token request failed: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } | Error::Serialize { source, .. } => Some(source),
            Error::Transport { source, .. } => Some(source),
            Error::Api(_)
            | Error::RateLimited { .. }
            | Error::Timeout { .. }
            | Error::Config(_)
            | Error::Auth(_) => None,
        }
    }
}

impl Error {
    /// HTTP status of an `Api` or `RateLimited` error.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(e.status()),
            _ => None,
        }
    }

    /// Okta's error response behind an `Api` or `RateLimited` error (status, `errorCode`,
    /// `errorSummary`, `errorCauses`, request id, ...); `None` for any other error.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(e),
            _ => None,
        }
    }

    /// Okta's `errorCode` (e.g. `E0000001` for a failed validation, `E0000007` for not found),
    /// without a `match` on the variant first:
    ///
    /// ```no_run
    /// # async fn demo(client: okta_generated_runtime::Client, user: serde_json::Value) -> Result<(), okta_generated_runtime::Error> {
    /// // With okta-generated: `client.user().create_user(request).send().await`.
    /// let created = client
    ///     .generic_request(reqwest::Method::POST, "/api/v1/users")
    ///     .json(&user)
    ///     .send()
    ///     .await;
    /// match created {
    ///     Ok(user) => println!("created {}", user.text()),
    ///     Err(e) if e.error_code() == Some("E0000001") => println!("exists: {:?}", e.error_causes()),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn error_code(&self) -> Option<&str> {
        self.api().and_then(ApiError::error_code)
    }

    /// Okta's `errorSummary` of an `Api` or `RateLimited` error.
    pub fn error_summary(&self) -> Option<&str> {
        self.api().and_then(ApiError::error_summary)
    }

    /// The `errorSummary` of each of Okta's `errorCauses` (e.g. `login: An object with this
    /// field already exists in the current organization`); empty for any other error.
    pub fn error_causes(&self) -> &[String] {
        self.api().map(ApiError::error_causes).unwrap_or(&[])
    }

    /// Okta's `errorId` of an `Api` or `RateLimited` error.
    pub fn error_id(&self) -> Option<&str> {
        self.api().and_then(ApiError::error_id)
    }

    /// The `operationId` of the call that failed, for every error raised by a call (`None` for
    /// `Config` and `Auth`, which name what failed in their message).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => Some(e.operation()),
            Error::RateLimited { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Timeout { operation }
            | Error::Transport { operation, .. }
            | Error::Serialize { operation, .. } => Some(operation),
            Error::Config(_) | Error::Auth(_) => None,
        }
    }

    /// `X-Okta-Request-Id` of the response behind the error, if there was one: quote it to Okta
    /// support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => e.request_id(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

fn fmt_request_id(id: Option<&str>) -> String {
    id.map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

fn fmt_rate(limit: &Option<u64>, remaining: &Option<u64>, reset: &Option<u64>) -> String {
    let mut s = String::new();
    if let Some(limit) = limit {
        s.push_str(&format!(", limit {limit}"));
    }
    if let Some(remaining) = remaining {
        s.push_str(&format!(", remaining {remaining}"));
    }
    if let Some(reset) = reset {
        s.push_str(&format!(", resets at {reset} (Unix time)"));
    }
    s
}

/// An error response from Okta: status, Okta's error fields and the request id.
///
/// Okta's JSON error body (`errorCode`, `errorSummary`, `errorLink`, `errorId`, `errorCauses`)
/// is parsed when present; any other body (an HTML page from a load balancer, plain text) is kept
/// as a short [`body_snippet`](ApiError::body_snippet).
#[derive(Clone)]
pub struct ApiError(Box<ApiErrorInner>);

#[derive(Clone, Debug)]
struct ApiErrorInner {
    operation: &'static str,
    status: StatusCode,
    error_code: Option<String>,
    error_summary: Option<String>,
    error_link: Option<String>,
    error_id: Option<String>,
    error_causes: Vec<String>,
    request_id: Option<String>,
    body_snippet: Option<String>,
}

/// Okta's error body. `error`/`error_description` is the OAuth 2.0 shape some endpoints use.
struct OktaErrorBody {
    error_code: Option<String>,
    error_summary: Option<String>,
    error_link: Option<String>,
    error_id: Option<String>,
    /// The `errorSummary` of each cause.
    error_causes: Vec<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl OktaErrorBody {
    /// A JSON object read field by field: a field of another shape than Okta documents is left
    /// out without losing the others, and `errorCauses` may be one cause rather than a list of
    /// them (as some of Okta's answers write it). `None` for a body that is not a JSON object.
    fn parse(body: &[u8]) -> Option<OktaErrorBody> {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
            return None;
        };
        let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
        let summary = |cause: &Value| cause.get("errorSummary")?.as_str().map(str::to_owned);
        let error_causes = match map.get("errorCauses") {
            Some(Value::Array(causes)) => causes.iter().filter_map(summary).collect(),
            Some(cause @ Value::Object(_)) => summary(cause).into_iter().collect(),
            _ => Vec::new(),
        };
        Some(OktaErrorBody {
            error_code: text("errorCode"),
            error_summary: text("errorSummary"),
            error_link: text("errorLink"),
            error_id: text("errorId"),
            error_causes,
            error: text("error"),
            error_description: text("error_description"),
        })
    }
}

impl ApiError {
    /// Builds the error from an error response. Never fails, whatever the body.
    pub(crate) fn from_response(
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> ApiError {
        let mut inner = ApiErrorInner {
            operation,
            status,
            error_code: None,
            error_summary: None,
            error_link: None,
            error_id: None,
            error_causes: Vec::new(),
            request_id: request_id(headers),
            body_snippet: None,
        };
        match OktaErrorBody::parse(body) {
            Some(b)
                if b.error_code.is_some()
                    || b.error_summary.is_some()
                    || b.error.is_some()
                    || b.error_description.is_some() =>
            {
                inner.error_code = b.error_code.or(b.error);
                inner.error_summary = b.error_summary.or(b.error_description);
                inner.error_link = b.error_link;
                inner.error_id = b.error_id;
                inner.error_causes = b.error_causes;
            }
            _ => inner.body_snippet = snippet(body),
        }
        ApiError(Box::new(inner))
    }

    /// The `operationId` of the failed call, e.g. `getUser`.
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }
    pub fn status(&self) -> StatusCode {
        self.0.status
    }
    /// Okta's `errorCode`, e.g. `E0000007`.
    pub fn error_code(&self) -> Option<&str> {
        self.0.error_code.as_deref()
    }
    /// Okta's `errorSummary`, e.g. `Not found: Resource not found: 00u1 (User)`.
    pub fn error_summary(&self) -> Option<&str> {
        self.0.error_summary.as_deref()
    }
    pub fn error_link(&self) -> Option<&str> {
        self.0.error_link.as_deref()
    }
    pub fn error_id(&self) -> Option<&str> {
        self.0.error_id.as_deref()
    }
    /// The `errorSummary` of each of Okta's `errorCauses` (e.g. one per invalid field).
    pub fn error_causes(&self) -> &[String] {
        &self.0.error_causes
    }
    /// The `X-Okta-Request-Id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// The start of a body that was not an Okta JSON error (at most 200 characters, whitespace
    /// collapsed); `None` for an Okta JSON error or an empty body.
    pub fn body_snippet(&self) -> Option<&str> {
        self.0.body_snippet.as_deref()
    }

    /// Everything but the operation and status, for `Display`.
    fn details(&self) -> String {
        let e = &self.0;
        let mut s = String::new();
        let mut push = |part: &str| {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(part);
        };
        if let Some(code) = &e.error_code {
            push(code);
        }
        if let Some(summary) = &e.error_summary {
            push(summary);
        }
        if !e.error_causes.is_empty() {
            push(&format!("(causes: {})", e.error_causes.join("; ")));
        }
        match &e.body_snippet {
            Some(snippet) => push(&format!("body: {snippet:?}")),
            None if e.error_code.is_none() && e.error_summary.is_none() => push("empty body"),
            None => {}
        }
        s.push_str(&fmt_request_id(e.request_id.as_deref()));
        s
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: Okta returned HTTP {}: {}",
            self.0.operation,
            self.0.status,
            self.details()
        )
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for ApiError {}

/// The `X-Okta-Request-Id` header.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    request_id_str(headers).map(str::to_owned)
}

pub(crate) fn request_id_str(headers: &HeaderMap) -> Option<&str> {
    const X_OKTA_REQUEST_ID: HeaderName = HeaderName::from_static("x-okta-request-id");
    headers.get(X_OKTA_REQUEST_ID)?.to_str().ok()
}

/// First [`SNIPPET_CHARS`] characters of a body with whitespace runs collapsed.
fn snippet(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > SNIPPET_CHARS * 4 {
            break; // enough to cut from; avoids copying a huge page
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.chars().count() > SNIPPET_CHARS {
        out = out.chars().take(SNIPPET_CHARS).collect();
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_capped_at_200_chars_on_a_char_boundary() {
        let body = "é".repeat(500);
        let s = snippet(body.as_bytes()).unwrap();
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn snippet_collapses_whitespace_and_is_none_for_blank_bodies() {
        assert_eq!(
            snippet(b"<html>\n  <h1>502</h1>\n</html>").as_deref(),
            Some("<html> <h1>502</h1> </html>")
        );
        assert_eq!(snippet(b"  \n "), None);
        assert_eq!(snippet(b""), None);
    }

    #[test]
    fn oauth_style_error_body_fills_code_and_summary() {
        let e = ApiError::from_response(
            "op",
            StatusCode::UNAUTHORIZED,
            &HeaderMap::new(),
            br#"{"error":"invalid_token","error_description":"The token has expired."}"#,
        );
        assert_eq!(e.error_code(), Some("invalid_token"));
        assert_eq!(e.error_summary(), Some("The token has expired."));
        assert_eq!(e.body_snippet(), None);
    }

    #[test]
    fn a_single_cause_or_a_field_of_another_shape_loses_nothing_else() {
        // Okta's own examples (and some answers) write one cause as an object.
        let e = ApiError::from_response(
            "op",
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            br#"{"errorCode":"E0000001","errorSummary":"Api validation failed: captchaId",
                "errorLink":7,"errorCauses":{"errorSummary":"captchaId: Invalid CAPTCHA ID."}}"#,
        );
        assert_eq!(e.error_code(), Some("E0000001"));
        assert_eq!(e.error_summary(), Some("Api validation failed: captchaId"));
        assert_eq!(e.error_link(), None);
        assert_eq!(e.error_causes(), ["captchaId: Invalid CAPTCHA ID."]);
        assert_eq!(e.body_snippet(), None);
        // Causes without a summary, or not objects, are left out.
        let e = ApiError::from_response(
            "op",
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            br#"{"errorCode":"E0000001","errorCauses":[{"reason":"x"},"text",{"errorSummary":"a"}]}"#,
        );
        assert_eq!(e.error_causes(), ["a"]);
    }

    #[test]
    fn json_without_okta_fields_is_kept_as_a_snippet() {
        let e = ApiError::from_response(
            "op",
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            br#"{"message":"upstream down"}"#,
        );
        assert_eq!(e.error_code(), None);
        assert_eq!(e.body_snippet(), Some(r#"{"message":"upstream down"}"#));
    }
}
