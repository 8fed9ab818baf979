//! Generic requests: any Okta endpoint, with the client's auth, retries and errors.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::client::Client;
use super::decode::decode_json;
use super::error::{request_id, Error};
use super::request::JSON;
use super::request::{AuthKinds, FilePart, Operation, RawBody, Request};

/// Operation metadata of generic requests (`method` and `path` are replaced per request): the
/// org URL, with the client's credentials.
static GENERIC: Operation = Operation {
    id: "genericRequest",
    method: Method::GET,
    path: "",
    host_prefix: None,
    auth: AuthKinds::ANY,
    scopes: &[],
};

impl Client {
    /// A request to any endpoint of the org, e.g.
    /// `client.generic_request(Method::GET, "/api/v1/users/me").send().await?`.
    ///
    /// `path` must be relative to the org URL (start with '/'), percent-encoded where needed,
    /// and may carry a query string; absolute URLs are refused with `Error::Config` so
    /// credentials never go to another host.
    pub fn generic_request(&self, method: Method, path: impl Into<String>) -> GenericRequest {
        let path = path.into();
        let mut request = Request::new(&GENERIC, path.clone());
        request.method = method;
        // The span's "path template" is the path without its query string.
        let template = path.split('?').next().unwrap_or_default().to_owned();
        request.template = Cow::Owned(template);
        GenericRequest {
            client: self.clone(),
            request,
        }
    }
}

/// A request built by [`Client::generic_request`].
#[must_use = "a request does nothing until `.send()`"]
pub struct GenericRequest {
    client: Client,
    request: Request,
}

impl fmt::Debug for GenericRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values are left out: callers may pass secrets in them.
        f.debug_struct("GenericRequest")
            .field("method", &self.request.method)
            .field("path", &self.request.template)
            .finish_non_exhaustive()
    }
}

impl GenericRequest {
    /// Appends a query parameter; it is percent-encoded once when sent.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.query(name.into(), value.into());
        self
    }

    /// Adds a header (e.g. `Accept`, which defaults to `application/json`). The headers that
    /// carry the credentials or frame the request (`Authorization`, `Proxy-Authorization`,
    /// `Host`, `Content-Length`, `Transfer-Encoding`, `Connection`, `Cookie`) are the client's
    /// own: naming one makes `send()` fail with `Error::Config` before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.header(name.into(), value.into());
        self
    }

    /// A JSON body (`Content-Type: application/json`). A serialization failure is returned by
    /// `send()`.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.request.json(body);
        self
    }

    /// A raw body with its content type, e.g. a PEM certificate.
    pub fn raw_body(mut self, body: RawBody) -> Self {
        self.request.raw(body);
        self
    }

    /// A `multipart/form-data` body with one file part named `part`.
    pub fn multipart_file(mut self, part: impl Into<String>, file: FilePart) -> Self {
        self.request.body = super::request::Body::Multipart {
            part: Cow::Owned(part.into()),
            file: Box::new(file),
        };
        self
    }

    /// Sends the request. A non-2xx final status is an error, as for generated calls.
    pub async fn send(self) -> Result<GenericResponse, Error> {
        let response = self.client.exchange(self.request, JSON).await?.response;
        Ok(GenericResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
        })
    }
}

/// The successful response of a [`GenericRequest`], body included.
pub struct GenericResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl GenericResponse {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `X-Okta-Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get("x-okta-request-id")
            .and_then(|v| v.to_str().ok())
    }

    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 is replaced with U+FFFD).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Decodes the body as JSON; an `Error::Decode` names the JSON path of the failing field.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(GENERIC.id, &self.headers, &self.body)
    }
}

impl fmt::Debug for GenericResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenericResponse")
            .field("status", &self.status)
            .field("request_id", &request_id(&self.headers))
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}
