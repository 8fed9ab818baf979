//! The request loop every action shares: checks, rate-limit slot, credentials, the HTTP round
//! trip, and what each answer means (done, retry after a delay, or an error).

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::{StatusCode, Url};
use tracing::instrument::Instrumented;
use tracing::{field, Instrument, Span};

use super::auth::TokenContext;
use super::client::Client;
use super::encode::{check_path, encode_query, join_path};
use super::error::{request_id_str, ApiError, Error};
use super::rate_limit::{
    header_u64, rate_limit_wait, Slot, X_RATE_LIMIT_LIMIT, X_RATE_LIMIT_REMAINING,
    X_RATE_LIMIT_RESET,
};
use super::request::{Operation, Request, Target, JSON};
use super::retry::{backoff, is_idempotent};
use super::secret::{credential, scrub};

/// Most memory reserved up front for a body that arrives in several chunks (a page of 200
/// users is about 0.5 MiB).
const PREALLOCATED_BODY_MAX: u64 = 1 << 20;

/// A response with a 2xx status and its whole body.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// A request that was answered with a 2xx status: what decoding an action's answer can use.
pub(crate) struct Exchange {
    pub(crate) client: Client,
    pub(crate) request: Request,
    pub(crate) response: Response,
}

/// The request loop of one call (auth, rate limits, retries, errors); the same type for every
/// action, so it is compiled once.
pub(crate) type BoxedExchange = Pin<Box<dyn Future<Output = Result<Exchange, Error>> + Send>>;

/// [`BoxedExchange`] inside its `okta.request` span (entered on every poll).
pub(crate) type Exchanging = Instrumented<BoxedExchange>;

impl Client {
    /// The request loop of one call (`execute`), boxed and inside its `okta.request` span: every
    /// action's future is this one type plus its decoding, so the loop is compiled once. The
    /// loop's state is built in its box once, never moved again (it is several hundred bytes).
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
            let send_credentials = self.inner.auth.sent_with(req.op)?;
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
                // No token is fetched for an operation that takes no credentials.
                let authorization = if send_credentials {
                    Some(self.inner.auth.header(&self.token_context()).await?)
                } else {
                    None
                };
                // Built for each attempt, rather than kept in the state across the awaits.
                let url = self.url_for(&req)?;
                let request = self.http_request(&req, url, accept, authorization.clone())?;
                // The concurrency cap: taken last, just before sending (a request waiting for
                // its turn is not sent yet), and given back as soon as the answer is in.
                let permit = self.inner.rate_limits.permit().await;
                if slot.outlived_its_window() {
                    // Its window ended while it waited: give the slot and the permit back
                    // (dropped) and take a slot of the next window. Not a retry: nothing was sent.
                    tracing::debug!(
                        operation = req.op.id,
                        "the window of the request's rate-limit slot ended while it waited to be \
                         sent; taking a slot of the next window"
                    );
                    continue;
                }
                let answer = round_trip(&self.inner.http, request).await;
                drop(permit);
                let (delay, reset) = {
                    let retry = match self.next_step(
                        &req,
                        answer,
                        slot,
                        authorization.as_ref(),
                        retries,
                        &span,
                    ) {
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
                            if let Some(authorization) = &authorization {
                                self.inner.auth.rejected(authorization).await;
                            }
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
            limits: &self.inner.rate_limits,
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
        authorization: Option<&HeaderValue>,
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
        // Some proxies and gateways echo the request, headers and body included, in their error
        // pages: neither the credential nor a text body (a signed token) may reach an error's
        // body snippet.
        if let Some(authorization) = authorization {
            response.body = scrub(
                std::mem::take(&mut response.body),
                credential(authorization),
            );
        }
        if let Some(text) = req.text_body() {
            response.body = scrub(std::mem::take(&mut response.body), text);
        }

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
        authorization: Option<HeaderValue>,
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
        if let Some(authorization) = authorization {
            headers.insert(AUTHORIZATION, authorization);
        }
        *request.timeout_mut() = self.inner.timeout;
        Ok(request)
    }

    /// Refuses a request whose target must not be sent to: a path that is not below the org
    /// URL, or that URL resolution would change (see `check_path`); an absolute URL of another
    /// origin than the operation's (e.g. a forged next-page link), so credentials are never sent
    /// to another host; an operation served on a host of its own that the org URL cannot give.
    fn check_target(&self, req: &Request) -> Result<(), Error> {
        match &req.target {
            Target::Path(path) => {
                if !path.starts_with('/') || path.starts_with("//") {
                    return Err(Error::Config(format!(
                        "request path {path:?} must be relative to the org URL and start with '/'"
                    )));
                }
                self.base_url_for(req.op)?;
                check_path(req.op.id, req.op.path, path)
            }
            Target::Url(url) => self.check_origin(url, req.op),
        }
    }

    /// Refuses a URL whose origin is not the one of `op`: the org URL's, or for an operation
    /// served on a host of its own, that host's (and only for that operation).
    fn check_origin(&self, url: &Url, op: &Operation) -> Result<(), Error> {
        let base = self.base_url_for(op)?;
        // Same origin (`Url::origin` would allocate twice per request to say the same).
        let same_origin = url.scheme() == base.scheme()
            && url.host() == base.host()
            && url.port_or_known_default() == base.port_or_known_default();
        if !same_origin {
            let whose = match op.host_prefix {
                Some(_) => format!("the host of operation {}", op.id),
                None => "the org URL".to_owned(),
            };
            return Err(Error::Config(format!(
                "refusing to send credentials to {}, which is not {whose} {}",
                url.origin().ascii_serialization(),
                base.origin().ascii_serialization()
            )));
        }
        Ok(())
    }

    /// The absolute URL of a request that passed [`Client::check_target`], with its query.
    pub(super) fn url_for(&self, req: &Request) -> Result<Url, Error> {
        let mut url = match &req.target {
            Target::Path(path) => join_path(&*self.base_url_for(req.op)?, path)
                .map_err(|e| Error::Config(format!("invalid request path {path:?}: {e}")))?,
            Target::Url(url) => Url::clone(url),
        };
        // A joined path keeps the operation's origin; checked all the same, as this is the URL
        // the credentials go to.
        self.check_origin(&url, req.op)?;
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
