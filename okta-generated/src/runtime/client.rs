//! The client, its builder, and the request loop (auth, retries, rate limits, errors).

use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tracing::{field, Instrument, Span};

use super::auth::{Auth, Credentials, TokenContext};
use super::encode::{check_path, encode_query, join_path};
use super::error::{request_id, request_id_str, ApiError, Error};
use super::page::{next_link, Page};
use super::rate_limit::{RateLimiter, Slot};
use super::request::{Request, Target};
use super::response_future::{BoxedExchange, Exchange, Exchanging, ResponseFuture};
use super::retry::{
    backoff, header_u64, is_idempotent, rate_limit_wait, sleeper_from, tokio_sleeper,
    RateLimitSnapshot, Sleeper, X_RATE_LIMIT_LIMIT, X_RATE_LIMIT_REMAINING, X_RATE_LIMIT_RESET,
};
use super::secret::{credential, scrub, Secret};

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// As in Okta's official SDKs.
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Okta's rate-limit windows are one minute long; a reset further away than this is returned as
/// `Error::RateLimited` at once rather than waited for.
const DEFAULT_MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
const JSON: &str = "application/json";
/// Most memory reserved up front for a body that arrives in several chunks (a page of 200
/// users is about 0.5 MiB).
const PREALLOCATED_BODY_MAX: u64 = 1 << 20;

/// Okta Management API client. Cheap to clone (an `Arc` inside); clones share the connection
/// pool, the OAuth access token and the rate-limit state.
///
/// ```no_run
/// # async fn run() -> Result<(), okta_generated::Error> {
/// let client = okta_generated::Client::builder()
///     .base_url("https://acme.okta.com")
///     .api_token(std::env::var("OKTA_API_TOKEN").unwrap_or_default())
///     .build()?;
/// let me = client.generic_request(reqwest::Method::GET, "/api/v1/users/me").send().await?;
/// println!("{}", me.text());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    auth: Auth,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
    max_retries: u32,
    max_rate_limit_wait: Duration,
    rate_limits: RateLimiter,
    sleeper: Sleeper,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url.as_str())
            .field("auth", &i.auth)
            .field("user_agent", &i.user_agent)
            .field("timeout", &i.timeout)
            .field("max_retries", &i.max_retries)
            .field("max_rate_limit_wait", &i.max_rate_limit_wait)
            .field("rate_limit_prevention", &i.rate_limits.prevention())
            .finish_non_exhaustive()
    }
}

/// A response with a 2xx status and its whole body.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The org URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Rate-limit headers (`X-Rate-Limit-*`) of the most recent response that had them, across
    /// all clones of this client.
    pub fn last_rate_limit(&self) -> Option<RateLimitSnapshot> {
        self.inner.rate_limits.latest()
    }

    /// The request loop of one call (`execute`), boxed and inside its `okta.request` span: every
    /// action's future is this one type plus its decoding, so the loop is compiled once. The
    /// loop's state is built in its box once, never moved again (it is over a kilobyte).
    pub(crate) fn exchange(self, request: Request, accept: &'static str) -> Exchanging {
        let span = tracing::info_span!(
            "okta.request",
            operation = request.op.id,
            method = %request.method,
            path = %request.template,
            status = field::Empty,
            request_id = field::Empty,
            retries = field::Empty,
        );
        let looping: BoxedExchange = Box::pin(self.execute(request, accept, span.clone()));
        looping.instrument(span)
    }

    /// Sends a request and decodes a JSON response body.
    #[allow(dead_code)] // called by the generated code; unused when no category feature is on
    pub(crate) fn send_json<T: DeserializeOwned>(self, req: Request) -> ResponseFuture<T> {
        ResponseFuture::new(self.exchange(req, JSON), |ex| {
            decode_json(ex.request.op.id, &ex.response.headers, &ex.response.body)
        })
    }

    /// Sends a request whose response body (if any) is ignored: any 2xx succeeds.
    #[allow(dead_code)] // called by the generated code; unused when no category feature is on
    pub(crate) fn send_empty(self, req: Request) -> ResponseFuture<()> {
        ResponseFuture::new(self.exchange(req, JSON), |_| Ok(()))
    }

    /// Sends a request with the given `Accept` and returns the body as text (XML metadata, PEM).
    #[allow(dead_code)] // called by the generated code; unused when no category feature is on
    pub(crate) fn send_text(self, req: Request, accept: &'static str) -> ResponseFuture<String> {
        ResponseFuture::new(self.exchange(req, accept), |ex| {
            Ok(decode_text(&ex.response.body))
        })
    }

    /// Sends a list request and returns its first page.
    pub(crate) fn send_page<T: DeserializeOwned>(self, req: Request) -> ResponseFuture<Page<T>> {
        ResponseFuture::new(self.exchange(req, JSON), |ex| {
            let Exchange {
                client,
                request,
                response,
            } = ex;
            let items: Vec<T> = decode_json(request.op.id, &response.headers, &response.body)?;
            // Next-page links may be relative to the URL requested (built again rather than
            // kept by every call for the few that page).
            let url = client.url_for(&request)?;
            let next = next_link(&response.headers, &url).map(|url| request.follow(url));
            Ok(Page::new(items, next, client))
        })
    }

    /// All items of a paginated list, one by one. A page is fetched only when the previous one
    /// has been drained, so one page is in memory at a time. The stream ends after an error.
    #[allow(dead_code)] // called by the generated code; unused when no category feature is on
    pub(crate) fn stream<T: DeserializeOwned + Send + 'static>(
        self,
        req: Request,
    ) -> BoxStream<'static, Result<T, Error>> {
        futures_util::stream::try_unfold(Some(req), move |next| {
            let client = self.clone();
            async move {
                let Some(req) = next else {
                    return Ok(None);
                };
                let (items, next) = client.send_page::<T>(req).await?.into_parts();
                Ok(Some((items, next.map(|link| link.request()))))
            }
        })
        .map_ok(|items| futures_util::stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }

    /// Sends `req` (retrying as the policy allows) and returns the exchange of its 2xx response;
    /// any other final status becomes an error. `span` is the `okta.request` span it runs in.
    ///
    /// An `async move` block rather than an `async fn`: the state of an `async fn` keeps its
    /// arguments twice (as captured and as locals). The state is built on every call, so what
    /// lives across its awaits is kept small: an answer is judged by [`Client::next_step`],
    /// which holds no await, and only what the next step needs is kept.
    #[allow(clippy::manual_async_fn)]
    fn execute(
        self,
        mut req: Request,
        accept: &'static str,
        span: Span,
    ) -> impl Future<Output = Result<Exchange, Error>> + Send + 'static {
        async move {
            if let Some(source) = req.body_error.take() {
                let operation = req.op.id;
                return Err(Error::Serialize { operation, source });
            }
            // Everything that can be refused is checked before anything is sent (and before
            // waiting for a rate-limit slot or an access token).
            self.check_target(&req)?;
            req.check_headers()?;
            // Checked here; built for each attempt (cheaper than keeping it in the state).
            accept_header(accept)?;
            let mut retries = 0;

            loop {
                span.record("retries", retries);
                // Rate-limit prevention: wait here (not after a 429) while the endpoint's budget is
                // used up by this client's clones. The slot is given back when the answer arrives.
                let slot = self
                    .inner
                    .rate_limits
                    .acquire(
                        &req.method,
                        &req.template,
                        self.inner.max_rate_limit_wait,
                        &self.inner.sleeper,
                    )
                    .await;
                let authorization = self.inner.auth.header(&self.token_context()).await?;
                // Built for each attempt, rather than kept in the state across the awaits.
                let url = self.url_for(&req)?;
                let request = self.http_request(&req, url, accept, authorization.clone())?;
                let answer = round_trip(&self.inner.http, request).await;
                let (delay, reset) = {
                    let retry =
                        match self.next_step(&req, answer, slot, &authorization, retries, &span) {
                            Next::Done(response) => {
                                return Ok(Exchange {
                                    client: self,
                                    request: req,
                                    response,
                                })
                            }
                            Next::Fail(error) => return Err(error),
                            Next::Retry { delay, reset } => Ok((delay, reset)),
                            Next::Unauthorized(error) => Err(error),
                        };
                    match retry {
                        Ok(retry) => retry,
                        Err(error) => {
                            self.inner.auth.rejected(&authorization).await;
                            return Err(error);
                        }
                    }
                };
                retries += 1;
                (self.inner.sleeper)(delay).await;
                if let Some(reset) = reset {
                    // The 429's window is over, even if the estimate of the server's clock lags.
                    self.inner
                        .rate_limits
                        .reset_passed(&req.method, &req.template, reset);
                }
            }
        }
    }

    fn token_context(&self) -> TokenContext<'_> {
        TokenContext {
            http: &self.inner.http,
            user_agent: &self.inner.user_agent,
            timeout: self.inner.timeout,
        }
    }

    /// Judges the answer to attempt `retries` of `req` (or the failure to get one): gives the
    /// rate-limit slot back, records the answer in `span`, and says what the loop does next.
    fn next_step(
        &self,
        req: &Request,
        answer: Result<Response, reqwest::Error>,
        slot: Slot<'_>,
        authorization: &HeaderValue,
        retries: u32,
        span: &Span,
    ) -> Next {
        let operation = req.op.id;
        let idempotent = is_idempotent(&req.method);
        let may_retry = retries < self.inner.max_retries;
        let mut response = match answer {
            Ok(response) => response,
            Err(source) => {
                // No answer: the slot is given back before any backoff.
                drop(slot);
                // A connect error means nothing was sent, so even a POST is safe to repeat.
                // After that, the server may have acted on it: only idempotent methods are.
                if (source.is_connect() || idempotent) && may_retry {
                    let delay = backoff(retries);
                    tracing::debug!(
                        operation,
                        retry = retries + 1,
                        delay_ms = delay.as_millis() as u64,
                        error = %source,
                        "retrying Okta request after a transport error"
                    );
                    return Next::Retry { delay, reset: None };
                }
                return Next::Fail(if source.is_timeout() {
                    Error::Timeout { operation }
                } else {
                    Error::Transport { operation, source }
                });
            }
        };

        let status = response.status;
        slot.complete(status, &response.headers);
        span.record("status", status.as_u16());
        if !span.is_disabled() {
            if let Some(id) = request_id_str(&response.headers) {
                span.record("request_id", id);
            }
        }
        if status.is_success() {
            tracing::debug!(status = status.as_u16(), "Okta request succeeded");
            return Next::Done(response);
        }
        // Some proxies and gateways echo the request, headers included, in their error pages:
        // the credential must not reach an error's body snippet.
        response.body = scrub(
            std::mem::take(&mut response.body),
            credential(authorization),
        );

        if status == StatusCode::TOO_MANY_REQUESTS {
            // Okta did not process a throttled request, so any method may be retried.
            let wait = rate_limit_wait(&response.headers, SystemTime::now())
                .unwrap_or_else(|| backoff(retries));
            if may_retry && wait <= self.inner.max_rate_limit_wait {
                tracing::debug!(
                    operation,
                    retry = retries + 1,
                    delay_ms = wait.as_millis() as u64,
                    "rate limited by Okta (HTTP 429), waiting for the rate-limit reset"
                );
                return Next::Retry {
                    delay: wait,
                    reset: header_u64(&response.headers, &X_RATE_LIMIT_RESET),
                };
            }
            return Next::Fail(Error::RateLimited {
                operation,
                limit: header_u64(&response.headers, &X_RATE_LIMIT_LIMIT),
                remaining: header_u64(&response.headers, &X_RATE_LIMIT_REMAINING),
                reset: header_u64(&response.headers, &X_RATE_LIMIT_RESET),
                error: ApiError::from_response(
                    operation,
                    status,
                    &response.headers,
                    &response.body,
                ),
                retries,
            });
        }

        let transient = matches!(
            status,
            StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
        );
        if transient && idempotent && may_retry {
            let delay = backoff(retries);
            tracing::debug!(
                operation,
                retry = retries + 1,
                status = status.as_u16(),
                delay_ms = delay.as_millis() as u64,
                "retrying Okta request after a transient server error"
            );
            return Next::Retry { delay, reset: None };
        }

        let error = ApiError::from_response(operation, status, &response.headers, &response.body);
        tracing::debug!(status = status.as_u16(), "Okta request failed");
        if status == StatusCode::UNAUTHORIZED {
            Next::Unauthorized(Error::Api(error))
        } else {
            Next::Fail(Error::Api(error))
        }
    }

    /// One attempt of `req` as a reqwest request. Headers go straight into the request's own
    /// map (no intermediate map to copy on every call).
    fn http_request(
        &self,
        req: &Request,
        url: Url,
        accept: &'static str,
        authorization: HeaderValue,
    ) -> Result<reqwest::Request, Error> {
        let builder = self.inner.http.request(req.method.clone(), url);
        let mut request = req
            .body
            .apply(builder)?
            .build()
            .map_err(|source| Error::Transport {
                operation: req.op.id,
                source,
            })?;
        let headers = request.headers_mut();
        req.append_headers(headers)?;
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, accept_header(accept)?);
        }
        // An action may forward the end user's User-Agent (verifyFactor does, for Okta's risk
        // checks); only otherwise is it the client's own.
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.inner.user_agent.clone());
        }
        headers.insert(AUTHORIZATION, authorization);
        *request.timeout_mut() = self.inner.timeout;
        Ok(request)
    }

    /// Refuses a request whose target must not be sent to: a path that is not below the org
    /// URL, or that URL resolution would change (see `check_path`); an absolute URL of another
    /// origin (e.g. a forged next-page link), so credentials are never sent to another host.
    fn check_target(&self, req: &Request) -> Result<(), Error> {
        match &req.target {
            Target::Path(path) => {
                if !path.starts_with('/') || path.starts_with("//") {
                    return Err(Error::Config(format!(
                        "request path {path:?} must be relative to the org URL and start with '/'"
                    )));
                }
                check_path(req.op.id, req.op.path, path)
            }
            Target::Url(url) => self.check_origin(url),
        }
    }

    /// Refuses a URL whose origin is not the org URL's.
    fn check_origin(&self, url: &Url) -> Result<(), Error> {
        let base = &self.inner.base_url;
        // Same origin (`Url::origin` would allocate twice per request to say the same).
        let same_origin = url.scheme() == base.scheme()
            && url.host() == base.host()
            && url.port_or_known_default() == base.port_or_known_default();
        if !same_origin {
            return Err(Error::Config(format!(
                "refusing to send credentials to {}, which is not the org URL {}",
                url.origin().ascii_serialization(),
                base.origin().ascii_serialization()
            )));
        }
        Ok(())
    }

    /// The absolute URL of a request that passed [`Client::check_target`], with its query.
    fn url_for(&self, req: &Request) -> Result<Url, Error> {
        let mut url = match &req.target {
            Target::Path(path) => join_path(&self.inner.base_url, path)
                .map_err(|e| Error::Config(format!("invalid request path {path:?}: {e}")))?,
            Target::Url(url) => Url::clone(url),
        };
        // A joined path keeps the org's origin; checked all the same, as this is the URL the
        // credentials go to.
        self.check_origin(&url)?;
        if !req.query.is_empty() {
            let extra = encode_query(req.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
            let query = match url.query() {
                Some(existing) if !existing.is_empty() => format!("{existing}&{extra}"),
                _ => extra,
            };
            url.set_query(Some(&query));
        }
        Ok(url)
    }
}

/// The `Accept` header for `accept` (a static string from the generated code, or JSON).
fn accept_header(accept: &'static str) -> Result<HeaderValue, Error> {
    if accept == JSON {
        return Ok(HeaderValue::from_static(JSON));
    }
    HeaderValue::from_str(accept)
        .map_err(|_| Error::Config(format!("invalid Accept value {accept:?}")))
}

/// What the request loop does after an attempt; see [`Client::next_step`].
enum Next {
    /// A 2xx answer.
    Done(Response),
    /// Try again after `delay`. `reset` is the rate-limit reset a 429 said to wait for.
    Retry {
        delay: Duration,
        reset: Option<u64>,
    },
    /// A 401: the credential used is forgotten (if it was an OAuth token), then this error.
    Unauthorized(Error),
    Fail(Error),
}

/// One HTTP round trip: sends `request` and reads the whole body of whatever answer comes.
///
/// Not an `async fn`: the request is handed to reqwest before the future is built, so the
/// future does not keep a slot for it. This future is part of the state of every call.
fn round_trip(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> impl Future<Output = Result<Response, reqwest::Error>> {
    let pending = http.execute(request);
    async move {
        let mut response = pending.await?;
        let body = read_body(&mut response).await?;
        Ok(Response {
            status: response.status(),
            headers: std::mem::take(response.headers_mut()),
            body,
        })
    }
}

/// The whole body of `response`. Chunk by chunk rather than `Response::bytes`, whose future is
/// several times larger (it buffers through a `VecDeque`); a body that arrives in one chunk,
/// as most do, is returned as it is, without a copy.
async fn read_body(response: &mut reqwest::Response) -> Result<Bytes, reqwest::Error> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    // Sized by Content-Length, up to a bound: the header is the server's word, not a fact.
    let expected = response
        .content_length()
        .unwrap_or(0)
        .min(PREALLOCATED_BODY_MAX) as usize;
    let mut body = BytesMut::with_capacity(expected.max(first.len() + second.len()));
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

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
        Err(e) => (super::json_path(e.path()), e.into_inner()),
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

/// Builds a [`Client`]: `Client::builder().base_url(..).api_token(..).build()`.
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_retries: u32,
    max_rate_limit_wait: Duration,
    user_agent_suffix: Option<String>,
    proxy: Option<reqwest::Proxy>,
    http_client: Option<reqwest::Client>,
    rate_limit_prevention: bool,
    sleeper: Option<Sleeper>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            credentials: None,
            connect_timeout: None,
            timeout: Some(DEFAULT_TIMEOUT),
            max_retries: DEFAULT_MAX_RETRIES,
            max_rate_limit_wait: DEFAULT_MAX_RATE_LIMIT_WAIT,
            user_agent_suffix: None,
            proxy: None,
            http_client: None,
            rate_limit_prevention: true,
            sleeper: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_rate_limit_wait", &self.max_rate_limit_wait)
            .field("rate_limit_prevention", &self.rate_limit_prevention)
            .field("user_agent_suffix", &self.user_agent_suffix)
            // A proxy's Debug can include its credentials.
            .field("proxy", &self.proxy.as_ref().map(|_| "***"))
            .field("http_client", &self.http_client.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The org URL, e.g. `https://acme.okta.com` (not the `-admin` URL). Must be `https`, except
    /// for loopback addresses (`http://127.0.0.1:8080`, for tests).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticate with an Okta API token: `Authorization: SSWS <token>`.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::ApiToken(Secret::new(token)));
        self
    }

    /// Authenticate with an OAuth 2.0 access token obtained elsewhere:
    /// `Authorization: Bearer <token>`. It is not renewed.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Bearer(Secret::new(token)));
        self
    }

    /// Authenticate as an OAuth 2.0 service app: client credentials grant against
    /// `{base_url}/oauth2/v1/token` with a `private_key_jwt` client assertion signed (RS256) by
    /// `private_key_pem` (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`).
    /// `key_id` is the key's `kid` in the app's JWKS, if it has one. The access token is cached,
    /// shared by clones of the client, and renewed shortly before it expires.
    pub fn oauth_private_key_jwt<S: Into<String>>(
        mut self,
        client_id: impl Into<String>,
        private_key_pem: impl Into<String>,
        key_id: Option<&str>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.credentials = Some(Credentials::PrivateKeyJwt {
            client_id: client_id.into(),
            private_key_pem: Secret::new(private_key_pem),
            key_id: key_id.map(str::to_owned),
            scopes: scopes.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Time allowed to establish a connection (default 30 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt of a request, body included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed request may be retried (default 2, as in Okta's SDKs). Applies to
    /// 429s, and to connection errors, timeouts and 502/503/504 where retrying is safe.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The longest wait for a rate-limit reset before giving up with `Error::RateLimited`
    /// (default 60 s).
    pub fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// Rate-limit prevention (default on): all clones of the client share what Okta's
    /// `X-Rate-Limit-*` headers say about each endpoint's budget, and requests wait for the
    /// window's reset when the budget is used up, instead of being sent and answered 429 (as
    /// Okta's Go SDK does). Off, requests are sent as they come and only a 429 makes them wait.
    /// Waits are bounded by [`max_rate_limit_wait`](Self::max_rate_limit_wait).
    pub fn rate_limit_prevention(mut self, on: bool) -> Self {
        self.rate_limit_prevention = on;
        self
    }

    /// Appended to the `User-Agent` (`okta-generated/<version> <suffix>`), e.g. `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Send requests through this proxy.
    pub fn proxy(mut self, proxy: reqwest::Proxy) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Use this HTTP client instead of building one. Proxy and connect timeout must then be set
    /// on it (setting them here too is an error); redirects should be disabled on it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Test hook: replaces the sleep between retries (e.g. to record the delays).
    #[doc(hidden)]
    pub fn sleeper<F, Fut>(mut self, f: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.sleeper = Some(sleeper_from(f));
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(
            self.base_url
                .as_deref()
                .ok_or_else(|| Error::Config("base_url is required".into()))?,
        )?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config(
                "no credentials: call api_token, bearer_token or oauth_private_key_jwt".into(),
            )
        })?;
        let auth = Auth::new(credentials, &base_url)?;

        let mut user_agent = format!("okta-generated/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = &self.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Config(format!("invalid user agent {user_agent:?}")))?;

        let http = match self.http_client {
            Some(client) => {
                if self.proxy.is_some() || self.connect_timeout.is_some() {
                    return Err(Error::Config(
                        "proxy and connect_timeout configure the built-in HTTP client; set them \
                         on the reqwest::Client given to http_client instead"
                            .into(),
                    ));
                }
                client
            }
            None => {
                let mut builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    // Okta's API does not redirect; following one could send the request (and,
                    // with a custom client, the token) somewhere unexpected.
                    .redirect(reqwest::redirect::Policy::none());
                if let Some(proxy) = self.proxy {
                    builder = builder.proxy(proxy);
                }
                builder
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                user_agent,
                timeout: self.timeout,
                max_retries: self.max_retries,
                max_rate_limit_wait: self.max_rate_limit_wait,
                rate_limits: RateLimiter::new(self.rate_limit_prevention),
                sleeper: self.sleeper.unwrap_or_else(tokio_sleeper),
            }),
        })
    }
}

fn parse_base_url(input: &str) -> Result<Url, Error> {
    let config = |msg: String| Err(Error::Config(msg));
    let url = match Url::parse(input.trim()) {
        Ok(url) => url,
        Err(e) => return config(format!("invalid base URL {input:?}: {e}")),
    };
    let Some(host) = url.host_str() else {
        return config(format!("base URL {input:?} has no host"));
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return config(format!(
                "base URL {input:?} must use https (http is only allowed for loopback test servers)"
            ))
        }
        other => return config(format!("base URL {input:?}: unsupported scheme {other:?}")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return config("the base URL must not contain credentials".into());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return config(format!(
            "base URL {input:?} must be the org URL without path, query or fragment, e.g. \
             https://acme.okta.com"
        ));
    }
    if host.contains("-admin.") {
        return config(format!(
            "base URL {input:?} is an admin console URL; use the org URL (acme.okta.com, not \
             acme-admin.okta.com)"
        ));
    }
    Ok(url)
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_must_be_https_except_for_loopback() {
        assert!(parse_base_url("https://acme.okta.com").is_ok());
        assert!(parse_base_url("https://acme.okta.com/").is_ok());
        assert!(parse_base_url("http://127.0.0.1:8080").is_ok());
        assert!(parse_base_url("http://[::1]:8080").is_ok());
        assert!(parse_base_url("http://localhost:8080").is_ok());
        for bad in [
            "http://acme.okta.com",
            "ftp://acme.okta.com",
            "acme.okta.com",
            "https://acme.okta.com/api/v1",
            "https://acme.okta.com/?x=1",
            "https://user:pw@acme.okta.com",
            "https://acme-admin.okta.com",
        ] {
            assert!(
                matches!(parse_base_url(bad), Err(Error::Config(_))),
                "{bad} should be rejected"
            );
        }
    }

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
