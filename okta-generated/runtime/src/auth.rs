//! Authorization: SSWS API tokens, static bearer tokens, and OAuth 2.0 client credentials with a
//! `private_key_jwt` client assertion (Okta service apps).

use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use futures_util::lock::Mutex;
use reqwest::header::{HeaderValue, ACCEPT, USER_AGENT};
use reqwest::Url;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::PrivateKeyDer;
use serde::Deserialize;

use super::error::Error;
use super::rate_limit::RateLimiter;
use super::request::{AuthKinds, Operation};
use super::secret::{scrub, Secret};

/// Lifetime of a client assertion (Okta accepts at most one hour).
const ASSERTION_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// A cached access token is renewed when it has less than this left.
const RENEW_MARGIN: Duration = Duration::from_secs(60);
/// Lifetime assumed when the token response has no `expires_in`.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// Longest lifetime believed, whatever `expires_in` says (Okta's tokens live one hour).
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Operation name used in errors and spans of token requests.
pub(crate) const TOKEN_OPERATION: &str = "oauth2.token";

/// Credentials given to the builder, turned into an [`Auth`] by `build()`.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    ApiToken(Secret),
    Bearer(Secret),
    PrivateKeyJwt {
        client_id: String,
        private_key_pem: Secret,
        key_id: Option<String>,
        scopes: Vec<String>,
    },
}

/// How requests are authorized. Header values are marked sensitive, so `http`'s own `Debug`
/// hides them too.
pub(crate) enum Auth {
    /// `SSWS <API token>`.
    ApiToken(HeaderValue),
    /// `Bearer <access token>`, a token obtained elsewhere.
    Bearer(HeaderValue),
    /// OAuth 2.0 client credentials with a `private_key_jwt` assertion: tokens fetched and renewed.
    PrivateKeyJwt(Box<OAuth>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ApiToken(_) => f.write_str("ApiToken(\"***\")"),
            Auth::Bearer(_) => f.write_str("Bearer(\"***\")"),
            Auth::PrivateKeyJwt(o) => f
                .debug_struct("PrivateKeyJwt")
                .field("client_id", &o.client_id)
                .field("key_id", &o.key_id)
                .field("scopes", &o.scopes)
                .field("private_key", &"***")
                .finish(),
        }
    }
}

/// What a token request needs from the client.
pub(crate) struct TokenContext<'a> {
    pub(crate) http: &'a reqwest::Client,
    /// A token request counts against the concurrency cap like any other request.
    pub(crate) limits: &'a RateLimiter,
    pub(crate) user_agent: &'a HeaderValue,
    pub(crate) timeout: Option<Duration>,
}

impl Auth {
    pub(crate) fn new(credentials: Credentials, base_url: &Url) -> Result<Auth, Error> {
        match credentials {
            Credentials::ApiToken(token) => static_header("SSWS", &token).map(Auth::ApiToken),
            Credentials::Bearer(token) => static_header("Bearer", &token).map(Auth::Bearer),
            Credentials::PrivateKeyJwt {
                client_id,
                private_key_pem,
                key_id,
                scopes,
            } => {
                if client_id.is_empty() {
                    return Err(Error::Config("OAuth client id is empty".into()));
                }
                if scopes.is_empty() {
                    return Err(Error::Config(
                        "OAuth needs at least one scope, e.g. okta.users.read".into(),
                    ));
                }
                let token_url = base_url
                    .join("/oauth2/v1/token")
                    .map_err(|e| Error::Config(format!("cannot build the token URL: {e}")))?;
                Ok(Auth::PrivateKeyJwt(Box::new(OAuth {
                    key: parse_rsa_key(&private_key_pem)?,
                    client_id,
                    key_id,
                    scopes: scopes.join(" "),
                    token_url,
                    cached: Mutex::new(None),
                    rng: SystemRandom::new(),
                })))
            }
        }
    }

    /// Whether requests of `op` carry these credentials: not when the operation takes none. An
    /// operation that does not take this kind of credentials is an `Error::Config` naming what it
    /// needs, before anything is sent (an API token never goes to an OAuth-only endpoint).
    pub(crate) fn sent_with(&self, op: &Operation) -> Result<bool, Error> {
        let accepts = op.auth;
        if accepts == AuthKinds::NONE {
            return Ok(false);
        }
        let (fits, have) = match self {
            Auth::ApiToken(_) => (accepts.api_token, "an API token"),
            Auth::Bearer(_) | Auth::PrivateKeyJwt(_) => (accepts.oauth2, "OAuth 2.0 credentials"),
        };
        if fits {
            return Ok(true);
        }
        let needs = if accepts.oauth2 {
            let scopes = if op.scopes.is_empty() {
                String::new()
            } else {
                format!(" with the scopes {}", op.scopes.join(", "))
            };
            format!(
                "an OAuth 2.0 access token{scopes} (ClientBuilder::bearer_token or \
                 oauth_private_key_jwt)"
            )
        } else {
            "an API token (ClientBuilder::api_token)".to_owned()
        };
        Err(Error::Config(format!(
            "operation {} accepts only {needs}, and this client has {have}; nothing was sent",
            op.id
        )))
    }

    /// The `Authorization` header for the next request; fetches or renews an OAuth token first
    /// when needed.
    pub(crate) async fn header(&self, ctx: &TokenContext<'_>) -> Result<HeaderValue, Error> {
        match self {
            Auth::ApiToken(value) | Auth::Bearer(value) => Ok(value.clone()),
            // Boxed: the token request's future is large, and carrying it inline would make
            // every request's future larger (and slower to move) for the static-token case too.
            Auth::PrivateKeyJwt(oauth) => Box::pin(oauth.header(ctx)).await,
        }
    }

    /// Called on a 401: forget the cached OAuth token if it is the one that was rejected (it may
    /// have been revoked), so the next request fetches a new one.
    pub(crate) async fn rejected(&self, used: &HeaderValue) {
        if let Auth::PrivateKeyJwt(oauth) = self {
            let mut cached = oauth.cached.lock().await;
            if cached.as_ref().is_some_and(|c| c.header == *used) {
                *cached = None;
            }
        }
    }
}

fn static_header(scheme: &str, token: &Secret) -> Result<HeaderValue, Error> {
    if token.expose().trim().is_empty() {
        return Err(Error::Config("the API token is empty".into()));
    }
    sensitive_header(scheme, token.expose())
}

fn sensitive_header(scheme: &str, token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("{scheme} {token}")).map_err(|_| {
        Error::Config("the token contains characters not allowed in an HTTP header".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Reads an RSA private key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
/// (`BEGIN RSA PRIVATE KEY`). Errors never include the key.
fn parse_rsa_key(pem: &Secret) -> Result<RsaKeyPair, Error> {
    let der = PrivateKeyDer::from_pem_slice(pem.expose().as_bytes())
        .map_err(|e| Error::Config(format!("cannot read the private key PEM: {e}")))?;
    let key = match &der {
        PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
        PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()),
        _ => {
            return Err(Error::Config(
                "the private key must be an RSA key (RS256); EC keys are not supported".into(),
            ))
        }
    };
    key.map_err(|e| Error::Config(format!("the private key is not a usable RSA key: {e}")))
}

pub(crate) struct OAuth {
    client_id: String,
    key: RsaKeyPair,
    key_id: Option<String>,
    /// Space-separated, as sent in the `scope` form field.
    scopes: String,
    token_url: Url,
    /// The access token, shared by all clones of the client. The lock is held while a token is
    /// fetched, so concurrent requests wait for one fetch instead of each starting their own.
    cached: Mutex<Option<CachedToken>>,
    rng: SystemRandom,
}

struct CachedToken {
    /// `Bearer <access token>`, marked sensitive.
    header: HeaderValue,
    renew_at: Instant,
}

/// Successful token response. Deliberately not `Debug`.
#[derive(Deserialize)]
struct TokenResponse {
    token_type: String,
    access_token: String,
    expires_in: Option<u64>,
}

/// OAuth 2.0 error response (RFC 6749 §5.2), or Okta's own error shape.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenErrorResponse {
    error: Option<String>,
    #[serde(rename = "error_description")]
    error_description: Option<String>,
    error_code: Option<String>,
    error_summary: Option<String>,
}

impl OAuth {
    async fn header(&self, ctx: &TokenContext<'_>) -> Result<HeaderValue, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref() {
            if Instant::now() < token.renew_at {
                return Ok(token.header.clone());
            }
        }
        let token = self.fetch(ctx).await?;
        let header = token.header.clone();
        *cached = Some(token);
        Ok(header)
    }

    async fn fetch(&self, ctx: &TokenContext<'_>) -> Result<CachedToken, Error> {
        tracing::debug!(client_id = %self.client_id, "requesting an OAuth 2.0 access token");
        let assertion = self.client_assertion()?;
        let form = [
            ("grant_type", "client_credentials"),
            ("scope", self.scopes.as_str()),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion.expose()),
        ];
        let mut request = ctx
            .http
            .post(self.token_url.clone())
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, ctx.user_agent.clone())
            .form(&form);
        if let Some(timeout) = ctx.timeout {
            request = request.timeout(timeout);
        }
        let transport = |source: reqwest::Error| {
            if source.is_timeout() {
                Error::Timeout {
                    operation: TOKEN_OPERATION,
                }
            } else {
                Error::Transport {
                    operation: TOKEN_OPERATION,
                    source,
                }
            }
        };
        let (status, body) = {
            let _permit = ctx.limits.permit().await;
            let response = request.send().await.map_err(transport)?;
            let status = response.status();
            (status, response.bytes().await.map_err(transport)?)
        };

        if !status.is_success() {
            // An error that echoes the form would quote the client assertion.
            let body = scrub(body, assertion.expose().as_bytes());
            let mut message = format!("the token endpoint returned HTTP {status}");
            if let Ok(e) = serde_json::from_slice::<TokenErrorResponse>(&body) {
                for part in [e.error, e.error_code, e.error_description, e.error_summary]
                    .into_iter()
                    .flatten()
                {
                    message.push_str(": ");
                    message.push_str(&part);
                }
            }
            return Err(Error::Auth(message));
        }

        // The body holds the token: report where decoding failed, never the body or the value.
        let token: TokenResponse =
            serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(&body))
                .map_err(|e| {
                    Error::Auth(format!(
                        "unexpected token response (at `{}`: {:?} error)",
                        e.path(),
                        e.inner().classify()
                    ))
                })?;
        if !token.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Error::Auth(format!(
                "token type {:?} is not supported (only Bearer; DPoP-bound apps are not)",
                token.token_type
            )));
        }
        let lifetime = token
            .expires_in
            .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs)
            .min(MAX_TOKEN_LIFETIME);
        tracing::debug!(
            expires_in_secs = lifetime.as_secs(),
            "got an OAuth 2.0 access token"
        );
        Ok(CachedToken {
            header: sensitive_header("Bearer", &token.access_token)?,
            renew_at: Instant::now() + lifetime.saturating_sub(RENEW_MARGIN),
        })
    }

    /// A signed JWT (RS256) authenticating the client: `iss = sub = client_id`, `aud` = the token
    /// URL, five minutes of validity and a random `jti` (Okta rejects a reused one).
    fn client_assertion(&self) -> Result<Secret, Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| Error::Auth("the system clock is before 1970".into()))?
            .as_secs();
        let jti = ring::rand::generate::<[u8; 16]>(&self.rng)
            .map_err(|_| Error::Auth("the system random number generator failed".into()))?
            .expose();
        let mut header = serde_json::json!({ "alg": "RS256", "typ": "JWT" });
        if let Some(kid) = &self.key_id {
            header["kid"] = kid.as_str().into();
        }
        let claims = serde_json::json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.token_url.as_str(),
            "iat": now,
            "exp": now + ASSERTION_LIFETIME.as_secs(),
            "jti": jti.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &self.rng,
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| Error::Auth("signing the client assertion failed".into()))?;
        Ok(Secret::new(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}
