//! Contract tests: every action of the manifest, called through its generated method against a
//! mock server that records what reached the wire.
//!
//! The tests themselves are generated (`tests/generated/contract.rs`, one per action, from
//! `okta-codegen/src/emit/contract_tests.rs`); each states the method, the path template with its
//! sample path params, every query pair, the headers, the body and the reply. This harness serves
//! the reply and checks the request: the method; the path, segment by segment, each param segment
//! percent-decoding to exactly its sample; the query pairs, form-decoded, as a multiset; the
//! headers; the host (the org's, or the operation's own); the credentials (the kind the action
//! takes, or none); the content type and the body; the `Accept` of a text answer; and that the
//! response decoded into the generated type and encodes back to the JSON served.

#[rustfmt::skip] // generated, laid out by prettyplease
#[path = "generated/contract.rs"]
mod cases;

use std::sync::OnceLock;

use okta_codegen::ir::{ActionDef, Api, BodyDef, Paging, ResponseDef};
use okta_codegen::sample::Samples;
use okta_generated::{Client, Error, FilePart, RawBody};
use percent_encoding::percent_decode_str;
use serde::Serialize;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "contract-test-token";
/// The 8-byte PNG signature and a little more: what a logo upload sends.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRsample";
const CERT: &[u8] = b"-----BEGIN CERTIFICATE-----\nMIIBsample\n-----END CERTIFICATE-----\n";
const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1sample"/>"#;
/// A text body: what a security event token looks like (header.payload.signature).
const SET: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6InNlY2V2ZW50K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlIn0.c2lnbmF0dXJl";

/// What one generated test expects on the wire and serves back.
pub struct Case {
    pub operation: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// Path param name -> the raw value passed to the method.
    pub path_params: &'static [(&'static str, &'static str)],
    /// Every query pair the server must receive (fixed pairs included), decoded.
    pub query: &'static [(&'static str, &'static str)],
    pub headers: &'static [(&'static str, &'static str)],
    pub body: ExpectBody,
    pub reply: Reply,
    /// The label in front of the org's host the request must go to, if the action has a host of
    /// its own.
    pub host_prefix: Option<&'static str>,
    /// The kinds of credentials the action takes (`api_token`, `oauth2`); none: no
    /// `Authorization` may be sent.
    pub auth: &'static [&'static str],
}

pub enum ExpectBody {
    None,
    /// A JSON body: the sample of the action's body type.
    Json,
    /// A multipart upload with this file part.
    Multipart(&'static str),
    /// Raw bytes with this content type.
    Raw(&'static str),
    /// Text sent as this media type.
    Text(&'static str),
}

pub enum Reply {
    Empty {
        status: u16,
    },
    /// The sample of the action's response type.
    Json {
        status: u16,
    },
    Text {
        status: u16,
        media: &'static str,
    },
}

/// The result of a call, made comparable.
#[derive(Debug, PartialEq)]
pub enum Output {
    Empty,
    Text(String),
    Json(Value),
}

impl Output {
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Output {
        Output::Json(serde_json::to_value(value).expect("a decoded response encodes back"))
    }
}

fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../manifest");
        okta_codegen::load_api(std::path::Path::new(dir)).unwrap_or_else(|d| panic!("{d}"))
    })
}

/// The manifest's action of a case: its body and response types give the samples.
fn action(operation: &str) -> &'static ActionDef {
    api()
        .categories
        .iter()
        .flat_map(|c| &c.actions)
        .find(|a| a.operation_name == operation)
        .unwrap_or_else(|| panic!("{operation}: no such action in the manifest"))
}

/// The sample of the JSON body `operation` sends.
fn body_sample(operation: &str) -> Value {
    match &action(operation).body {
        Some(BodyDef::Json { ty, .. }) => Samples::new(api()).of_type(ty),
        _ => panic!("{operation}: no JSON body in the manifest"),
    }
}

/// What the call returns, as JSON, when served [`reply_sample`]: the sample itself, or for a
/// list paged in the body, the items it holds.
fn expected_json(operation: &str) -> Value {
    let served = reply_sample(operation);
    match &action(operation).response {
        ResponseDef::Page {
            paging: Paging::BodyLinks { items, .. },
            ..
        } => served
            .get(items)
            .cloned()
            .unwrap_or(Value::Array(Vec::new())),
        _ => served,
    }
}

/// The sample of the JSON response `operation` gets.
fn reply_sample(operation: &str) -> Value {
    let ty = action(operation)
        .response
        .json_type()
        .unwrap_or_else(|| panic!("{operation}: no JSON response in the manifest"));
    Samples::new(api()).of_type(&ty)
}

pub struct MockCall<'a> {
    case: &'a Case,
    server: MockServer,
    pub client: Client,
}

impl Case {
    /// The `Authorization` the request must carry: the client's API token where the action takes
    /// one, else its OAuth 2.0 access token; none for an action that takes no credentials.
    fn authorization(&self) -> Option<String> {
        if self.auth.contains(&"api_token") {
            Some(format!("SSWS {TOKEN}"))
        } else if self.auth.contains(&"oauth2") {
            Some(format!("Bearer {TOKEN}"))
        } else {
            None
        }
    }

    /// A mock server that answers any request with this case's reply, and a client for it: with
    /// an API token, unless the action takes OAuth 2.0 only. For an action served on a host of
    /// its own, the org URL is `http://localhost:<port>`, and the prefixed host resolves to the
    /// mock server.
    pub async fn mock(&self) -> MockCall<'_> {
        let server = MockServer::start().await;
        let template = match self.reply {
            Reply::Empty { status } => ResponseTemplate::new(status),
            Reply::Json { status } => ResponseTemplate::new(status)
                .set_body_raw(reply_sample(self.operation).to_string(), "application/json"),
            Reply::Text { status, media } => ResponseTemplate::new(status).set_body_raw(XML, media),
        };
        Mock::given(any())
            .respond_with(template)
            .mount(&server)
            .await;
        let mut builder = Client::builder().max_retries(0);
        builder = match self.host_prefix {
            None => builder.base_url(server.uri()),
            Some(prefix) => {
                let address = *server.address();
                let http = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .resolve(&format!("{prefix}.localhost"), address)
                    .build()
                    .expect("HTTP client");
                builder
                    .base_url(format!("http://localhost:{}", address.port()))
                    .http_client(http)
            }
        };
        builder = match self.authorization() {
            Some(header) if header.starts_with("Bearer ") => builder.bearer_token(TOKEN),
            _ => builder.api_token(TOKEN),
        };
        MockCall {
            case: self,
            server,
            client: builder.build().expect("client"),
        }
    }
}

impl MockCall<'_> {
    /// The case's JSON body sample, decoded into the type the method takes.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> T {
        let op = self.case.operation;
        let ExpectBody::Json = self.case.body else {
            panic!("{op}: not a JSON body");
        };
        serde_path_to_error::deserialize(body_sample(op))
            .unwrap_or_else(|e| panic!("{op}: the body sample does not decode: {e}"))
    }

    pub fn file_part(&self) -> FilePart {
        FilePart::new(PNG, "logo.png", "image/png")
    }

    pub fn raw_body(&self) -> RawBody {
        let ExpectBody::Raw(content_type) = self.case.body else {
            panic!("{}: not a raw body", self.case.operation);
        };
        RawBody::new(CERT, content_type)
    }

    pub fn text_body(&self) -> &'static str {
        let ExpectBody::Text(_) = self.case.body else {
            panic!("{}: not a text body", self.case.operation);
        };
        SET
    }

    /// Checks the call's result and the one request the server received.
    pub async fn check(self, result: Result<Output, Error>) {
        let case = self.case;
        let op = case.operation;
        let output = result.unwrap_or_else(|e| panic!("{op}: the call failed: {e:?}"));
        let expected = match case.reply {
            Reply::Empty { .. } => Output::Empty,
            Reply::Text { .. } => Output::Text(XML.to_owned()),
            Reply::Json { .. } => Output::Json(expected_json(op)),
        };
        assert_eq!(
            output, expected,
            "{op}: the response did not come back as served"
        );

        let requests = self.server.received_requests().await.expect("recording");
        assert_eq!(requests.len(), 1, "{op}: one request, no retry");
        let req = &requests[0];
        assert_eq!(req.method.as_str(), case.method, "{op}: method");
        check_path(case, req.url.path());

        let mut query: Vec<(String, String)> = req
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        query.sort();
        let mut want: Vec<(String, String)> = case
            .query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        want.sort();
        assert_eq!(query, want, "{op}: query pairs ({:?})", req.url.query());

        let header = |name: &str| {
            req.headers
                .get(name)
                .map(|v| v.to_str().expect("ASCII header").to_owned())
        };
        for (name, value) in case.headers {
            assert_eq!(header(name).as_deref(), Some(*value), "{op}: header {name}");
        }
        assert_eq!(
            header("authorization"),
            case.authorization(),
            "{op}: authorization"
        );
        let port = self.server.address().port();
        let host = match case.host_prefix {
            Some(prefix) => format!("{prefix}.localhost:{port}"),
            None => format!("127.0.0.1:{port}"),
        };
        assert_eq!(header("host"), Some(host), "{op}: host");
        match case.reply {
            Reply::Text { media, .. } => {
                assert_eq!(header("accept").as_deref(), Some(media), "{op}: accept")
            }
            Reply::Json { .. } | Reply::Empty { .. } => assert_eq!(
                header("accept").as_deref(),
                Some("application/json"),
                "{op}: accept"
            ),
        }

        let content_type = header("content-type").unwrap_or_default();
        match case.body {
            ExpectBody::None => {
                assert!(req.body.is_empty(), "{op}: a body was sent");
            }
            ExpectBody::Json => {
                let expected = action(op).body.as_ref().map_or("", |b| b.content_type());
                assert!(
                    content_type.starts_with(expected),
                    "{op}: content type {content_type}, not {expected}"
                );
                let sent: Value = serde_json::from_slice(&req.body)
                    .unwrap_or_else(|e| panic!("{op}: the body is not JSON: {e}"));
                assert_eq!(sent, body_sample(op), "{op}: the body is not the sample");
            }
            ExpectBody::Multipart(part) => {
                assert!(
                    content_type.starts_with("multipart/form-data; boundary="),
                    "{op}: content type {content_type}"
                );
                let disposition = format!("name=\"{part}\"; filename=\"logo.png\"");
                assert!(
                    contains(&req.body, disposition.as_bytes()),
                    "{op}: no `{part}` part"
                );
                assert!(contains(&req.body, PNG), "{op}: the file bytes are missing");
            }
            ExpectBody::Raw(expected_type) => {
                assert_eq!(content_type, expected_type, "{op}: content type");
                assert_eq!(req.body, CERT, "{op}: the raw body");
            }
            ExpectBody::Text(expected_type) => {
                assert_eq!(content_type, expected_type, "{op}: content type");
                assert_eq!(req.body, SET.as_bytes(), "{op}: the text body");
            }
        }
    }
}

/// The received path has the template's segments; each `{param}` segment percent-decodes to
/// exactly the value passed (so `/`, `?`, `#` and `%` in a value stayed inside its segment).
fn check_path(case: &Case, received: &str) {
    let op = case.operation;
    let template: Vec<&str> = case.path.split('/').collect();
    let got: Vec<&str> = received.split('/').collect();
    assert_eq!(
        got.len(),
        template.len(),
        "{op}: `{received}` does not have the segments of `{}`",
        case.path
    );
    for (want, got) in template.iter().zip(&got) {
        match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) => {
                let value = case
                    .path_params
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| *v)
                    .unwrap_or_else(|| panic!("{op}: no sample for `{name}`"));
                let decoded = percent_decode_str(got)
                    .decode_utf8()
                    .unwrap_or_else(|e| panic!("{op}: segment `{got}` is not UTF-8: {e}"));
                assert_eq!(decoded, value, "{op}: path param `{name}` (sent `{got}`)");
            }
            None => assert_eq!(got, want, "{op}: path segment"),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
