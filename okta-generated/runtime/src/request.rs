//! One API request as built by the generated code: operation metadata, path, query, headers, body.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, Url};

use super::error::Error;

/// `application/json`: the media type of a JSON body unless the operation names another, and
/// the `Accept` of a JSON response.
pub(crate) const JSON: &str = "application/json";

/// Static metadata of one API action; the generated code has one `static` per action.
pub struct Operation {
    /// Okta `operationId`, e.g. `listUsers`; names the action in spans and errors.
    pub id: &'static str,
    pub method: Method,
    /// Path template, e.g. `/api/v1/users/{userId}`; recorded in spans (never the real path,
    /// which can hold logins and e-mail addresses).
    pub path: &'static str,
    /// The DNS label in front of the org's host on which the operation is served (`drapp`:
    /// `https://drapp.acme.okta.com`); `None`: the org URL. Its requests, and the client's
    /// credentials, go to that host only.
    pub host_prefix: Option<&'static str>,
    /// The credentials Okta accepts for the operation.
    pub auth: AuthKinds,
    /// The OAuth 2.0 scopes it needs (named when the client's credentials do not fit).
    pub scopes: &'static [&'static str],
}

/// The kinds of credentials an operation accepts (its spec's `security`). With neither, the
/// operation takes no credentials: its requests carry no `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthKinds {
    /// An API token (`SSWS`).
    pub api_token: bool,
    /// An OAuth 2.0 access token (`Bearer`), static or from the client credentials grant.
    pub oauth2: bool,
}

impl AuthKinds {
    /// Either kind: almost every operation of the Management API.
    pub const ANY: AuthKinds = AuthKinds {
        api_token: true,
        oauth2: true,
    };
    pub const API_TOKEN: AuthKinds = AuthKinds {
        api_token: true,
        oauth2: false,
    };
    pub const OAUTH2: AuthKinds = AuthKinds {
        api_token: false,
        oauth2: true,
    };
    /// No credentials: none are sent (public documents, a body that is its own credential).
    pub const NONE: AuthKinds = AuthKinds {
        api_token: false,
        oauth2: false,
    };
}

/// A file for a multipart upload (e.g. a user's or brand's logo).
#[derive(Clone)]
pub struct FilePart {
    bytes: Bytes,
    file_name: String,
    content_type: String,
}

impl FilePart {
    /// `bytes` accepts `Vec<u8>`, `&'static [u8]`, `String` and `bytes::Bytes`.
    pub fn new(
        bytes: impl Into<Bytes>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
    ) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: file_name.into(),
            content_type: content_type.into(),
        }
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A raw request body with its content type, e.g. a PEM or DER certificate
/// (`application/x-x509-ca-cert`, `application/pkix-cert`).
#[derive(Clone)]
pub struct RawBody {
    bytes: Bytes,
    content_type: String,
}

impl RawBody {
    /// `bytes` accepts `Vec<u8>`, `&'static [u8]`, `String` and `bytes::Bytes`.
    pub fn new(bytes: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        RawBody {
            bytes: bytes.into(),
            content_type: content_type.into(),
        }
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A text request body, such as a signed security event token: it can be a credential, so its
/// `Debug` shows only its length (request builders derive `Debug`).
#[derive(Clone)]
pub struct TextBody(String);

impl TextBody {
    pub fn new(text: impl Into<String>) -> TextBody {
        TextBody(text.into())
    }
}

impl fmt::Debug for TextBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextBody")
            .field("len", &self.0.len())
            .finish()
    }
}

/// Request body. Every variant is cheap to clone (`Bytes`), so a retry re-sends it without copying.
/// The rare variants are boxed: a request is kept in every call's state, whose size matters.
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    /// JSON, with its media type (`application/json`, or a flavour such as
    /// `application/merge-patch+json`).
    Json(Bytes, &'static str),
    Multipart {
        part: Cow<'static, str>,
        file: Box<FilePart>,
    },
    Raw(Box<RawBody>),
    /// Text of a non-JSON media type (a signed JWT). Never logged, and scrubbed from the error
    /// bodies the client keeps (an error page may echo the request).
    Text(Bytes, &'static str),
}

/// Where a request goes: a path below the org URL, or an absolute URL (a next-page link; boxed,
/// as `Body`'s rare variants are).
#[derive(Clone)]
pub(crate) enum Target {
    Path(String),
    Url(Box<Url>),
}

/// One request, built by the generated `send()`/`stream()` and by [`crate::GenericRequest`].
pub struct Request {
    pub(crate) op: &'static Operation,
    pub(crate) method: Method,
    /// Path template for spans: `op.path` for generated calls, the caller's path for generic ones.
    pub(crate) template: Cow<'static, str>,
    pub(crate) target: Target,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(Cow<'static, str>, String)>,
    pub(crate) body: Body,
    /// A body that failed to serialize; returned by `send_*` instead of sending anything.
    pub(crate) body_error: Option<serde_json::Error>,
    /// For a list paged in the body: the field of the response object that holds the items
    /// (the next page is its `_links.next.href`). `None`: the body is the list, and the next
    /// page is in the `Link` header.
    pub(crate) page_items: Option<&'static str>,
}

impl Request {
    /// `path` is already percent-encoded and starts with '/'.
    pub fn new(op: &'static Operation, path: String) -> Request {
        Request {
            op,
            method: op.method.clone(),
            template: Cow::Borrowed(op.path),
            target: Target::Path(path),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            body_error: None,
            page_items: None,
        }
    }

    /// Marks a list request whose response pages in the body, with its items in `field`.
    pub fn page_in_body(&mut self, field: &'static str) {
        self.page_items = Some(field);
    }

    /// Appends a query parameter (encoded when the URL is built). Repeated names are kept.
    /// `name` is a `&'static str` from the generated code, a `String` from a generic request.
    pub fn query(&mut self, name: impl Into<Cow<'static, str>>, value: String) {
        self.query.push((name.into(), value));
    }

    pub fn header(&mut self, name: impl Into<Cow<'static, str>>, value: String) {
        self.headers.push((name.into(), value));
    }

    /// Serializes `body` now; a failure is kept and returned by `send_*`.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) {
        self.json_as(body, JSON);
    }

    /// [`Request::json`] sent as another JSON media type (`application/merge-patch+json`).
    pub fn json_as<T: serde::Serialize + ?Sized>(&mut self, body: &T, media: &'static str) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Json(bytes.into(), media),
            Err(e) => self.body_error = Some(e),
        }
    }

    pub fn multipart_file(&mut self, part: &'static str, file: FilePart) {
        self.body = Body::Multipart {
            part: Cow::Borrowed(part),
            file: Box::new(file),
        };
    }

    pub fn raw(&mut self, body: RawBody) {
        self.body = Body::Raw(Box::new(body));
    }

    /// A text body sent as `media` (`application/secevent+jwt`).
    pub fn text(&mut self, body: TextBody, media: &'static str) {
        self.body = Body::Text(Bytes::from(body.0), media);
    }

    /// What it takes to request the page after this one: same operation and headers, the
    /// absolute URL from the `Link` header, no query (the link carries it) and no body.
    pub(crate) fn follow(&self, url: Url) -> NextLink {
        NextLink {
            op: self.op,
            method: self.method.clone(),
            template: self.template.clone(),
            headers: self.headers.clone(),
            page_items: self.page_items,
            url,
        }
    }

    /// Checks the request's own headers (names, values, raw content type), so a bad one is an
    /// `Error::Config` before anything is sent rather than a panic. `header()` does not check
    /// them, to stay infallible.
    pub(crate) fn check_headers(&self) -> Result<(), Error> {
        for (name, value) in &self.headers {
            let (name, _) = header_pair(name, value)?;
            if OWNED_HEADERS.contains(&name.as_str()) {
                return Err(Error::Config(format!(
                    "the {name} header is the client's own (credentials or framing) and cannot be \
                     set on a request"
                )));
            }
        }
        match &self.body {
            Body::Raw(raw) => {
                raw_content_type(raw)?;
            }
            Body::Text(_, media) => {
                media_type(media)?;
            }
            Body::Empty | Body::Json(..) | Body::Multipart { .. } => {}
        }
        Ok(())
    }

    /// Adds the request's own headers and its body's content type to `map`.
    pub(crate) fn append_headers(&self, map: &mut HeaderMap) -> Result<(), Error> {
        for (name, value) in &self.headers {
            let (name, value) = header_pair(name, value)?;
            map.append(name, value);
        }
        match &self.body {
            Body::Raw(raw) => {
                map.insert(CONTENT_TYPE, raw_content_type(raw)?);
            }
            Body::Json(_, JSON) => {
                map.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
            }
            Body::Json(_, media) | Body::Text(_, media) => {
                map.insert(CONTENT_TYPE, media_type(media)?);
            }
            Body::Empty | Body::Multipart { .. } => {} // multipart sets its own
        }
        Ok(())
    }

    /// The text body, if the request has one: what an error body must not quote.
    pub(crate) fn text_body(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Text(text, _) => Some(text),
            _ => None,
        }
    }
}

/// Headers the client alone sets (credentials and HTTP framing): a request's own header may not
/// name one, so neither a generic request nor a generated setter can replace the credentials
/// or the host they go to. (The generator refuses these, and a few more, as header params:
/// `okta_codegen::names::CLIENT_HEADERS`; a test checks that it refuses all of these.)
/// `Accept`, `Content-Type` and `User-Agent` may be set on purpose (see `GenericRequest::header`).
pub(crate) const OWNED_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "cookie",
];

fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Config(format!("invalid HTTP header name {name:?}")))?;
    // The value is not echoed: it could be a secret.
    let value = HeaderValue::from_str(value)
        .map_err(|_| Error::Config(format!("invalid value for HTTP header {name}")))?;
    Ok((name, value))
}

/// The `Content-Type` of a JSON or text body, whose media type the generated code gives.
fn media_type(media: &'static str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(media)
        .map_err(|_| Error::Config(format!("invalid content type {media:?}")))
}

fn raw_content_type(raw: &RawBody) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(&raw.content_type)
        .map_err(|_| Error::Config(format!("invalid content type {:?}", raw.content_type)))
}

/// A next-page link plus the request metadata needed to follow it (see [`Request::follow`]).
#[derive(Clone)]
pub(crate) struct NextLink {
    op: &'static Operation,
    method: Method,
    template: Cow<'static, str>,
    headers: Vec<(Cow<'static, str>, String)>,
    page_items: Option<&'static str>,
    pub(crate) url: Url,
}

impl NextLink {
    pub(crate) fn request(&self) -> Request {
        Request {
            op: self.op,
            method: self.method.clone(),
            template: self.template.clone(),
            target: Target::Url(Box::new(self.url.clone())),
            query: Vec::new(),
            headers: self.headers.clone(),
            body: Body::Empty,
            body_error: None,
            page_items: self.page_items,
        }
    }
}

impl Body {
    /// Attaches the body to one attempt. Called again for every retry.
    pub(crate) fn apply(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, Error> {
        Ok(match self {
            Body::Empty => builder,
            Body::Json(bytes, _) | Body::Text(bytes, _) => builder.body(bytes.clone()),
            Body::Raw(raw) => builder.body(raw.bytes.clone()),
            Body::Multipart { part, file } => {
                let len = file.bytes.len() as u64;
                let file_part = reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::from(file.bytes.clone()),
                    len,
                )
                .file_name(file.file_name.clone())
                .mime_str(&file.content_type)
                .map_err(|_| {
                    Error::Config(format!("invalid content type {:?}", file.content_type))
                })?;
                builder.multipart(reqwest::multipart::Form::new().part(part.clone(), file_part))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::OWNED_HEADERS;

    #[test]
    fn the_generator_refuses_every_header_the_runtime_owns() {
        for header in OWNED_HEADERS {
            assert!(
                okta_codegen::names::CLIENT_HEADERS.contains(header),
                "okta_codegen::names::CLIENT_HEADERS lacks `{header}`"
            );
        }
    }
}
