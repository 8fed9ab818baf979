//! The client users hold: the runtime's client (`okta_generated_runtime::Client`, which does
//! the HTTP work) with the typed actions on top. The generator writes one accessor per category
//! on it (`client.user()`, in `src/generated/api/mod.rs`); this file is the rest of its API,
//! each method handing over to the runtime.

use std::fmt;

use reqwest::Method;

use crate::runtime::{self, GenericRequest, RateLimitSnapshot, WrapClient};

/// Okta Management API client. Cheap to clone (an `Arc` inside); clones share the connection
/// pool, the OAuth access token, the rate-limit state and the concurrency cap.
///
/// One accessor per category of actions (`client.user()`, `client.group()`, ...), each enabled
/// by the cargo feature of the same name; [`Client::generic_request`] reaches any other
/// endpoint.
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
    /// What the generated actions call (`crate::runtime::Client`).
    pub(crate) engine: runtime::Client,
}

/// Builds a [`Client`]: `Client::builder().base_url(..).api_token(..).build()`, or
/// `ClientBuilder::from_env()` for Okta's configuration files and environment variables.
pub type ClientBuilder = runtime::ClientBuilder<Client>;

impl WrapClient for Client {
    fn wrap(engine: runtime::Client) -> Self {
        Client { engine }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The runtime's client shows its settings, never its credentials.
        fmt::Debug::fmt(&self.engine, f)
    }
}

impl Client {
    /// A builder with every setting at its default; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The org URL requests go to.
    pub fn base_url(&self) -> &str {
        self.engine.base_url()
    }

    /// Rate-limit headers (`X-Rate-Limit-*`) of the most recent response that had them, across
    /// all clones of this client.
    pub fn last_rate_limit(&self) -> Option<RateLimitSnapshot> {
        self.engine.last_rate_limit()
    }

    /// A request to any endpoint of the org, e.g.
    /// `client.generic_request(Method::GET, "/api/v1/users/me").send().await?`.
    ///
    /// `path` must be relative to the org URL (start with '/'), percent-encoded where needed,
    /// and may carry a query string; absolute URLs are refused with `Error::Config` so
    /// credentials never go to another host.
    pub fn generic_request(&self, method: Method, path: impl Into<String>) -> GenericRequest {
        self.engine.generic_request(method, path)
    }
}
