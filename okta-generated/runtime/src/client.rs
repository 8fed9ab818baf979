//! The client and its builder: configuration, checked once in `build()`, and the shared state
//! every clone uses (connection pool, credentials, rate-limit state). The request loop that uses
//! it is in `exchange.rs`.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use super::auth::{Auth, Credentials};
use super::error::Error;
use super::limit_state::Capacity;
use super::rate_limit::{Limits, RateLimitSnapshot, RateLimiter};
#[cfg(feature = "redis")]
use super::redis_store::RedisStore;
use super::request::Operation;
use super::retry::{sleeper_from, tokio_sleeper, Sleeper};
use super::secret::Secret;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// As in Okta's official SDKs.
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Okta's rate-limit windows are one minute long; a reset further away than this is returned as
/// `Error::RateLimited` at once rather than waited for.
const DEFAULT_MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// Okta Management API client, without typed actions: `okta_generated::Client` wraps it and adds
/// them. Cheap to clone (an `Arc` inside); clones share the connection pool, the OAuth access
/// token, the rate-limit state and the concurrency cap.
///
/// ```no_run
/// # async fn run() -> Result<(), okta_generated_runtime::Error> {
/// let client = okta_generated_runtime::Client::builder()
///     .base_url("https://acme.okta.com")
///     .api_token(std::env::var("OKTA_API_TOKEN").unwrap_or_default())
///     .build()?;
/// let me = client.generic_request(reqwest::Method::GET, "/api/v1/users/me").send().await?;
/// println!("{}", me.text());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

/// What every clone of a [`Client`] shares. The request loop (`exchange.rs`) reads it.
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: Url,
    pub(super) auth: Auth,
    pub(super) user_agent: HeaderValue,
    pub(super) timeout: Option<Duration>,
    pub(super) max_retries: u32,
    pub(super) max_rate_limit_wait: Duration,
    pub(super) rate_limits: RateLimiter,
    /// Where the rate-limit state lives, for `Debug`: `in-process` or `redis`.
    pub(super) store_name: &'static str,
    pub(super) sleeper: Sleeper,
    /// The org's other hosts that operations are served on (`drapp.acme.okta.com`), by prefix,
    /// each derived from `base_url` when an operation first needs it.
    pub(super) prefixed: Mutex<Vec<(&'static str, Url)>>,
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
            .field("rate_limit_prevention", &i.rate_limits.limits().prevention)
            .field(
                "max_concurrent_requests",
                &i.rate_limits.limits().max_concurrent,
            )
            .field(
                "max_api_capacity",
                &i.rate_limits.limits().capacity.as_percent(),
            )
            .field("rate_limit_store", &i.store_name)
            .finish_non_exhaustive()
    }
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

    /// The URL requests of `op` go to, and the only origin its credentials go to: the org URL,
    /// or for an operation served on a host of its own, the org URL with the operation's prefix
    /// in front of its host (derived once per client and prefix, then kept). `Error::Config`
    /// when the org URL's host cannot take a prefix (an IP address).
    pub(super) fn base_url_for(&self, op: &Operation) -> Result<Cow<'_, Url>, Error> {
        let Some(prefix) = op.host_prefix else {
            return Ok(Cow::Borrowed(&self.inner.base_url));
        };
        let mut prefixed = self
            .inner
            .prefixed
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, url)) = prefixed.iter().find(|(p, _)| *p == prefix) {
            return Ok(Cow::Owned(url.clone()));
        }
        let url = prefixed_url(&self.inner.base_url, prefix).map_err(|why| {
            Error::Config(format!(
                "operation {} is served on the org's host with `{prefix}.` in front, and {why}",
                op.id
            ))
        })?;
        prefixed.push((prefix, url.clone()));
        Ok(Cow::Owned(url))
    }
}

/// `base` (the org URL) with `prefix.` in front of its host, scheme and port kept
/// (`https://acme.okta.com` -> `https://drapp.acme.okta.com`). The reason as text when its host
/// is an IP address, which takes no prefix.
fn prefixed_url(base: &Url, prefix: &str) -> Result<Url, String> {
    // The org URL has a host (`parse_base_url`): without a domain name, it is an IP address.
    let Some(host) = base.domain() else {
        return Err(format!(
            "the org URL {} has an IP address for a host, which takes no prefix (use the org's host name)",
            base.origin().ascii_serialization()
        ));
    };
    let mut url = base.clone();
    url.set_host(Some(&format!("{prefix}.{host}")))
        .map_err(|e| format!("`{prefix}.{host}` is not a host name ({e})"))?;
    Ok(url)
}

/// Builds a client: `Client::builder().base_url(..).api_token(..).build()`.
///
/// `C` is the client `build` returns: this crate's [`Client`] (the default), or a client that
/// wraps it ([`WrapClient`]), as `okta_generated::Client` does, whose builder is
/// `okta_generated::ClientBuilder`.
pub struct ClientBuilder<C = Client> {
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
    max_concurrent_requests: Option<u32>,
    max_api_capacity: u8,
    #[cfg(feature = "redis")]
    redis_store: Option<RedisStore>,
    sleeper: Option<Sleeper>,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
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
            max_concurrent_requests: None,
            max_api_capacity: 100,
            #[cfg(feature = "redis")]
            redis_store: None,
            sleeper: None,
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = f.debug_struct("ClientBuilder");
        f.field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_rate_limit_wait", &self.max_rate_limit_wait)
            .field("rate_limit_prevention", &self.rate_limit_prevention)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("max_api_capacity", &self.max_api_capacity);
        #[cfg(feature = "redis")]
        f.field("rate_limit_store", &self.redis_store);
        f.field("user_agent_suffix", &self.user_agent_suffix)
            // A proxy's Debug can include its credentials.
            .field("proxy", &self.proxy.as_ref().map(|_| "***"))
            .field("http_client", &self.http_client.is_some())
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
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

    /// At most `n` requests in flight at once across all clones of the client (default: no
    /// cap), or across every client sharing a Redis store (`rate_limit_store`, feature `redis`).
    /// Okta caps the simultaneous requests of a whole org (75 for Workforce and Customer
    /// Identity orgs, 35 on the Integrator Free plan) and answers 429 past it. A request waiting
    /// for its turn is not sent yet; retries and OAuth token requests take their turn too.
    /// `0` is refused by `build()`.
    pub fn max_concurrent_requests(mut self, n: u32) -> Self {
        self.max_concurrent_requests = Some(n);
        self
    }

    /// Use at most `percent` (1 to 100, default 100) of each rate-limit window, like the Okta
    /// Terraform provider's option of the same name: a request is held back (as by
    /// [`rate_limit_prevention`](Self::rate_limit_prevention)) while less than
    /// `100 − percent`% of the window's limit would remain, leaving that share to the org's other
    /// integrations, whoever has used the rest. Needs rate-limit prevention (the default).
    pub fn max_api_capacity(mut self, percent: u8) -> Self {
        self.max_api_capacity = percent;
        self
    }

    /// Keep the rate-limit state (each endpoint's window, the requests in flight, the
    /// concurrency count) in Redis, shared by every client, process and machine that uses the
    /// same Redis and key prefix (by default, one per org URL), instead of in this process. See
    /// [`RedisStore`] for what happens when Redis is unreachable or slow: calls go on with the
    /// state of this process, never failing because of the store.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn rate_limit_store(mut self, store: RedisStore) -> Self {
        self.redis_store = Some(store);
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

    /// Checks the configuration and builds the client; `Error::Config` says what is wrong.
    pub fn build(self) -> Result<C, Error>
    where
        C: WrapClient,
    {
        self.build_client().map(C::wrap)
    }

    fn build_client(self) -> Result<Client, Error> {
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
        let limits = Limits {
            prevention: self.rate_limit_prevention,
            capacity: Capacity::percent(self.max_api_capacity).ok_or_else(|| {
                Error::Config(format!(
                    "max_api_capacity must be a percentage from 1 to 100, not {}",
                    self.max_api_capacity
                ))
            })?,
            max_concurrent: match self.max_concurrent_requests {
                Some(0) => {
                    return Err(Error::Config(
                        "max_concurrent_requests must be at least 1".into(),
                    ))
                }
                n => n,
            },
        };
        if limits.capacity != Capacity::FULL && !limits.prevention {
            return Err(Error::Config(
                "max_api_capacity needs rate-limit prevention, which is off".into(),
            ));
        }
        #[cfg(feature = "redis")]
        let (store, store_name) = match self.redis_store {
            Some(redis) => (
                redis.into_store(
                    &base_url,
                    self.timeout,
                    limits.capacity,
                    limits.max_concurrent,
                ),
                "redis",
            ),
            None => (RateLimiter::in_process(), "in-process"),
        };
        #[cfg(not(feature = "redis"))]
        let (store, store_name) = (RateLimiter::in_process(), "in-process");

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
                rate_limits: RateLimiter::with_store(limits, store),
                store_name,
                sleeper: self.sleeper.unwrap_or_else(tokio_sleeper),
                prefixed: Mutex::new(Vec::new()),
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

/// A client [`ClientBuilder::build`] can return: this crate's [`Client`], or a type that wraps
/// one and adds methods of its own (`okta_generated::Client`, with its typed actions).
pub trait WrapClient {
    /// The wrapper of a built client.
    fn wrap(client: Client) -> Self;
}

impl WrapClient for Client {
    fn wrap(client: Client) -> Self {
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefixed_host_keeps_scheme_and_port_and_refuses_ip_addresses() {
        let prefixed = |base: &str| {
            prefixed_url(&parse_base_url(base).unwrap(), "drapp").map(|u| u.to_string())
        };
        assert_eq!(
            prefixed("https://example.okta.com").unwrap(),
            "https://drapp.example.okta.com/"
        );
        assert_eq!(
            prefixed("https://example.okta.com:8443").unwrap(),
            "https://drapp.example.okta.com:8443/"
        );
        assert_eq!(
            prefixed("http://localhost:8080").unwrap(),
            "http://drapp.localhost:8080/"
        );
        for ip in ["http://127.0.0.1:8080", "http://[::1]:8080"] {
            let err = prefixed(ip).unwrap_err();
            assert!(err.contains("IP address"), "{ip}: {err}");
        }
    }

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
}
