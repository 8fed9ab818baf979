//! `ClientBuilder::from_env()`: the configuration every official Okta management SDK reads, in
//! their order (Node's and Java's), each source overriding the ones before it, key by key:
//!
//! 1. `~/.okta/okta.yaml`
//! 2. `./okta.yaml` (the current directory)
//! 3. the environment: `OKTA_CLIENT_ORGURL`, `OKTA_CLIENT_TOKEN`, ...
//! 4. what the program then sets on the returned builder.
//!
//! The files hold `okta: client: { orgUrl: ..., token: ..., rateLimit: { maxRetries: ... } }`;
//! an environment variable is the upper-cased path joined with `_` (`OKTA_CLIENT_RATELIMIT_MAXRETRIES`).
//! Keys other SDKs read from the same file (`cache`, `requestor`, ...) are left alone.
//!
//! Everything is read through [`Sources`] (environment, home and current directory), so the
//! logic is tested without touching the process's environment. A bad value is an
//! `Error::Config` naming its source (file path or variable) and key; a secret's value (token,
//! private key, proxy password) never appears in an error, and is held in [`Secret`] until the
//! builder's setters take it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::PrivateKeyDer;

use super::client::ClientBuilder;
use super::error::Error;
#[cfg(feature = "redis")]
use super::redis_store::RedisStore;
use super::secret::Secret;

mod yaml;

use yaml::Node;

/// Largest configuration file read (Okta's files are a few hundred bytes).
const MAX_CONFIG_FILE: u64 = 1024 * 1024;
/// Largest private key file read (a 4096-bit RSA key in PEM is about 3.3 KB).
const MAX_KEY_FILE: u64 = 64 * 1024;

impl<C> ClientBuilder<C> {
    /// A builder configured the way every official Okta management SDK is: from
    /// `~/.okta/okta.yaml`, then `./okta.yaml`, then the `OKTA_CLIENT_*` environment variables,
    /// each overriding the one before; what you set on the returned builder overrides them all.
    ///
    /// | `okta.yaml` key (`okta: client: ...`) | environment variable | builder method |
    /// | --- | --- | --- |
    /// | `orgUrl` | `OKTA_CLIENT_ORGURL` | `base_url` |
    /// | `authorizationMode`: `SSWS` (default), `Bearer`, `PrivateKey` | `OKTA_CLIENT_AUTHORIZATIONMODE` | which of the three below |
    /// | `token` | `OKTA_CLIENT_TOKEN` | `api_token` (SSWS) or `bearer_token` (Bearer) |
    /// | `clientId`, `scopes`, `privateKey`, `privateKeyId` | `OKTA_CLIENT_CLIENTID`, `..._SCOPES`, `..._PRIVATEKEY`, `..._PRIVATEKEYID` | `oauth_private_key_jwt` (PrivateKey) |
    /// | `connectionTimeout`, `requestTimeout` (seconds) | `OKTA_CLIENT_CONNECTIONTIMEOUT`, `..._REQUESTTIMEOUT` | `connect_timeout`, `timeout` |
    /// | `rateLimit: maxRetries` | `OKTA_CLIENT_RATELIMIT_MAXRETRIES` | `max_retries` |
    /// | `rateLimit: maxConcurrentRequests` | `OKTA_CLIENT_RATELIMIT_MAXCONCURRENTREQUESTS` | `max_concurrent_requests` |
    /// | `rateLimit: maxApiCapacity` (percent) | `OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY` | `max_api_capacity` |
    /// | `rateLimit: redisUrl` (feature `redis`) | `OKTA_CLIENT_RATELIMIT_REDISURL` | `rate_limit_store(RedisStore::new(url)?)` |
    /// | `proxy: host, port, username, password` | `OKTA_CLIENT_PROXY_HOST`, `_PORT`, `_USERNAME`, `_PASSWORD` | `proxy` |
    ///
    /// `scopes` is a YAML list or a string of scopes separated by spaces or commas. `privateKey`
    /// is PEM text or the path of a PEM file (relative to the current directory; `~/` is the
    /// home directory). Without `authorizationMode`, a `privateKey` and no `token` mean
    /// `PrivateKey`. An empty value counts as unset; a missing file is fine.
    ///
    /// # Errors
    ///
    /// `Error::Config` naming the file or variable and the key, for a file that exists but cannot
    /// be read or is not YAML, a malformed URL, an unknown mode, a mode without the values it
    /// needs, a number that is not one, an unreadable or invalid private key file, a Redis URL
    /// without the `redis` feature. The value of a token, private key, password or Redis URL
    /// is never part of an error.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), okta_generated_runtime::Error> {
    /// // With okta-generated: `okta_generated::ClientBuilder::from_env()?`.
    /// let client: okta_generated_runtime::Client = okta_generated_runtime::ClientBuilder::from_env()?
    ///     .user_agent_suffix("my-app/1.0") // the program's own settings come last
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        let env: BTreeMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k.starts_with(ENV_PREFIX))
            .collect();
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        let sources = Sources {
            env,
            home,
            current_dir: std::env::current_dir().ok(),
        };
        configure(ClientBuilder::default(), &sources)
    }
}

const ENV_PREFIX: &str = "OKTA_CLIENT_";

/// Where the configuration comes from: the environment's `OKTA_CLIENT_*` variables, the home
/// directory (for `~/.okta/okta.yaml`) and the current directory (for `./okta.yaml` and
/// relative key paths). `None` directories are skipped.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sources {
    pub(crate) env: BTreeMap<String, String>,
    pub(crate) home: Option<PathBuf>,
    pub(crate) current_dir: Option<PathBuf>,
}

/// Reads every source in order and applies the result to `builder` through its public setters.
pub(crate) fn configure<C>(
    builder: ClientBuilder<C>,
    sources: &Sources,
) -> Result<ClientBuilder<C>, Error> {
    let resolved = resolve(&read_settings(sources)?, sources)?;
    Ok(resolved.apply(builder))
}

/// A configuration key: its path under `okta.client`. (Named as Okta names them, `privateKey`
/// and `privateKeyId` included.)
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    OrgUrl,
    Token,
    AuthorizationMode,
    ClientId,
    Scopes,
    PrivateKey,
    PrivateKeyId,
    ConnectionTimeout,
    RequestTimeout,
    MaxRetries,
    MaxConcurrentRequests,
    MaxApiCapacity,
    RedisUrl,
    ProxyHost,
    ProxyPort,
    ProxyUsername,
    ProxyPassword,
}

impl Key {
    const ALL: [Key; 17] = [
        Key::OrgUrl,
        Key::Token,
        Key::AuthorizationMode,
        Key::ClientId,
        Key::Scopes,
        Key::PrivateKey,
        Key::PrivateKeyId,
        Key::ConnectionTimeout,
        Key::RequestTimeout,
        Key::MaxRetries,
        Key::MaxConcurrentRequests,
        Key::MaxApiCapacity,
        Key::RedisUrl,
        Key::ProxyHost,
        Key::ProxyPort,
        Key::ProxyUsername,
        Key::ProxyPassword,
    ];

    fn path(self) -> &'static [&'static str] {
        match self {
            Key::OrgUrl => &["orgUrl"],
            Key::Token => &["token"],
            Key::AuthorizationMode => &["authorizationMode"],
            Key::ClientId => &["clientId"],
            Key::Scopes => &["scopes"],
            Key::PrivateKey => &["privateKey"],
            Key::PrivateKeyId => &["privateKeyId"],
            Key::ConnectionTimeout => &["connectionTimeout"],
            Key::RequestTimeout => &["requestTimeout"],
            Key::MaxRetries => &["rateLimit", "maxRetries"],
            Key::MaxConcurrentRequests => &["rateLimit", "maxConcurrentRequests"],
            Key::MaxApiCapacity => &["rateLimit", "maxApiCapacity"],
            Key::RedisUrl => &["rateLimit", "redisUrl"],
            Key::ProxyHost => &["proxy", "host"],
            Key::ProxyPort => &["proxy", "port"],
            Key::ProxyUsername => &["proxy", "username"],
            Key::ProxyPassword => &["proxy", "password"],
        }
    }

    /// `okta.client.rateLimit.maxRetries`
    fn yaml_name(self) -> String {
        format!("okta.client.{}", self.path().join("."))
    }

    /// `OKTA_CLIENT_RATELIMIT_MAXRETRIES`
    fn env_name(self) -> String {
        format!("{ENV_PREFIX}{}", self.path().join("_").to_uppercase())
    }

    /// Values that must never be shown (a Redis URL may hold a password).
    fn is_secret(self) -> bool {
        matches!(
            self,
            Key::Token | Key::PrivateKey | Key::ProxyPassword | Key::RedisUrl
        )
    }
}

/// A value and where it was read: `<file>: okta.client.token` or
/// `environment variable OKTA_CLIENT_TOKEN`.
#[derive(Debug, Clone)]
struct Setting<T> {
    value: T,
    at: String,
}

fn bad<T>(at: &str, problem: impl std::fmt::Display) -> Result<T, Error> {
    Err(Error::Config(format!("{at}: {problem}")))
}

/// Every key, each from the last source that set it. Values are checked as they are read, so a
/// bad value is reported even when a later source overrides it.
#[derive(Debug, Default)]
struct Settings {
    org_url: Option<Setting<String>>,
    token: Option<Setting<Secret>>,
    mode: Option<Setting<Mode>>,
    client_id: Option<Setting<String>>,
    scopes: Option<Setting<Vec<String>>>,
    private_key: Option<Setting<Secret>>,
    private_key_id: Option<Setting<String>>,
    connection_timeout: Option<Setting<Duration>>,
    request_timeout: Option<Setting<Duration>>,
    max_retries: Option<Setting<u32>>,
    max_concurrent_requests: Option<Setting<u32>>,
    max_api_capacity: Option<Setting<u8>>,
    redis_url: Option<Setting<Secret>>,
    proxy_host: Option<Setting<String>>,
    proxy_port: Option<Setting<u16>>,
    proxy_username: Option<Setting<String>>,
    proxy_password: Option<Setting<Secret>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ssws,
    Bearer,
    PrivateKey,
}

/// A raw value from a file or the environment.
enum Raw<'a> {
    Yaml(&'a Node),
    Env(&'a str),
}

impl Raw<'_> {
    /// The value as text; `None` when empty or null (unset).
    fn text(&self, at: &str) -> Result<Option<String>, Error> {
        let text = match self {
            Raw::Env(s) => (*s).to_owned(),
            Raw::Yaml(Node::Scalar(None)) => return Ok(None),
            // The text as written (`token: 00123` is `00123`): a number or a flag is read from
            // it by the key's own check below.
            Raw::Yaml(Node::Scalar(Some(s))) => s.clone(),
            Raw::Yaml(_) => return bad(at, "must be a string"),
        };
        Ok(Some(text).filter(|t| !t.trim().is_empty()))
    }
}

impl Settings {
    /// Sets `key` from `raw`, read at `at`; an empty value leaves the key as it was.
    fn set(&mut self, key: Key, raw: Raw<'_>, at: String) -> Result<(), Error> {
        if key == Key::Scopes {
            if let Raw::Yaml(Node::Sequence(items)) = raw {
                let mut scopes = Vec::new();
                for item in items {
                    match item {
                        Node::Scalar(Some(s)) => scopes.extend(split_scopes(s)),
                        _ => return bad(&at, "must be a list of strings"),
                    }
                }
                if !scopes.is_empty() {
                    self.scopes = Some(Setting { value: scopes, at });
                }
                return Ok(());
            }
        }
        let Some(text) = raw.text(&at)? else {
            return Ok(());
        };
        let text = if key.is_secret() {
            text
        } else {
            text.trim().to_owned()
        };
        macro_rules! put {
            ($field:ident, $value:expr) => {{
                let value = $value;
                self.$field = Some(Setting { value, at });
            }};
        }
        match key {
            Key::OrgUrl => {
                check_org_url(&text, &at)?;
                put!(org_url, text)
            }
            Key::Token => put!(token, Secret::new(text.trim())),
            Key::AuthorizationMode => put!(mode, parse_mode(&text, &at)?),
            Key::ClientId => put!(client_id, text),
            Key::Scopes => put!(scopes, split_scopes(&text)),
            Key::PrivateKey => put!(private_key, Secret::new(text)),
            Key::PrivateKeyId => put!(private_key_id, text),
            Key::ConnectionTimeout => put!(connection_timeout, parse_seconds(&text, &at)?),
            Key::RequestTimeout => put!(request_timeout, parse_seconds(&text, &at)?),
            Key::MaxRetries => put!(
                max_retries,
                match text.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => return bad(&at, format!("{text:?} is not a number of retries")),
                }
            ),
            Key::MaxConcurrentRequests => put!(
                max_concurrent_requests,
                match text.parse::<u32>() {
                    Ok(n) if n > 0 => n,
                    _ =>
                        return bad(
                            &at,
                            format!("{text:?} is not a number of requests (1 or more)")
                        ),
                }
            ),
            Key::MaxApiCapacity => put!(
                max_api_capacity,
                match text.trim_end_matches('%').parse::<u8>() {
                    Ok(n) if (1..=100).contains(&n) => n,
                    _ => return bad(&at, format!("{text:?} is not a percentage from 1 to 100")),
                }
            ),
            Key::RedisUrl => put!(redis_url, Secret::new(text.trim())),
            Key::ProxyHost => put!(proxy_host, text),
            Key::ProxyPort => put!(
                proxy_port,
                match text.parse::<u16>() {
                    Ok(port) if port > 0 => port,
                    _ => return bad(&at, format!("{text:?} is not a port (1 to 65535)")),
                }
            ),
            Key::ProxyUsername => put!(proxy_username, text),
            Key::ProxyPassword => put!(proxy_password, Secret::new(text)),
        }
        Ok(())
    }
}

fn split_scopes(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_mode(text: &str, at: &str) -> Result<Mode, Error> {
    match text.to_ascii_lowercase().as_str() {
        "ssws" => Ok(Mode::Ssws),
        "bearer" => Ok(Mode::Bearer),
        "privatekey" => Ok(Mode::PrivateKey),
        _ => bad(
            at,
            format!("unknown authorization mode {text:?} (SSWS, Bearer or PrivateKey)"),
        ),
    }
}

fn parse_seconds(text: &str, at: &str) -> Result<Duration, Error> {
    match text.parse::<u64>() {
        Ok(seconds) if seconds > 0 => Ok(Duration::from_secs(seconds)),
        _ => bad(
            at,
            format!("{text:?} is not a positive whole number of seconds"),
        ),
    }
}

/// The org URL's shape, checked here to name its source (the builder checks the rest: https
/// outside loopback, no path). The value is not shown: a URL can carry credentials.
fn check_org_url(text: &str, at: &str) -> Result<(), Error> {
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(e) => {
            return bad(
                at,
                format!("not a URL ({e}); expected e.g. https://acme.okta.com"),
            )
        }
    };
    let has_host = matches!(url.host_str(), Some(host) if !host.is_empty());
    if !matches!(url.scheme(), "https" | "http") || !has_host {
        return bad(
            at,
            "not an http(s) URL with a host, e.g. https://acme.okta.com",
        );
    }
    if !url.username().is_empty() || url.password().is_some() {
        return bad(at, "the org URL must not contain credentials");
    }
    // Okta's sample files say `https://{yourOktaDomain}`, which parses as a URL.
    if text.contains('{') || text.contains('}') {
        return bad(
            at,
            "still a placeholder ({yourOktaDomain}); expected e.g. https://acme.okta.com",
        );
    }
    Ok(())
}

/// Reads the files, then the environment, into one set of settings.
fn read_settings(sources: &Sources) -> Result<Settings, Error> {
    let mut settings = Settings::default();
    let files = [
        sources
            .home
            .as_ref()
            .map(|h| h.join(".okta").join("okta.yaml")),
        sources.current_dir.as_ref().map(|d| d.join("okta.yaml")),
    ];
    for file in files.into_iter().flatten() {
        read_file(&file, &mut settings)?;
    }
    for key in Key::ALL {
        let name = key.env_name();
        if let Some(value) = sources.env.get(&name) {
            settings.set(key, Raw::Env(value), format!("environment variable {name}"))?;
        }
    }
    Ok(settings)
}

/// Reads `okta.client` of one YAML file into `settings`. A missing file is no error.
fn read_file(path: &Path, settings: &mut Settings) -> Result<(), Error> {
    let shown = path.display().to_string();
    let text = match read_bounded(path, MAX_CONFIG_FILE) {
        Ok(Some(text)) => text,
        Ok(None) => return Ok(()),
        Err(problem) => return bad(&shown, problem),
    };
    read_text(&shown, &text, settings)
}

/// What `from_env()` does with the text of one `okta.yaml` file named `shown`, up to the
/// settings it holds (for [`crate::fuzzing`]): each value read and checked, or the error.
pub(crate) fn check_file_text(shown: &str, text: &str) -> Result<(), Error> {
    read_text(shown, text, &mut Settings::default())
}

/// Reads `okta.client` of the YAML `text` of the file `shown` into `settings`.
fn read_text(shown: &str, text: &str, settings: &mut Settings) -> Result<(), Error> {
    let document = match yaml::parse(text) {
        Ok(document) => document,
        Err(invalid) => return bad(shown, invalid),
    };
    let client = match lookup(&document, &["okta", "client"]) {
        Ok(Some(client)) => client,
        Ok(None) => return Ok(()),
        Err(key) => return bad(&format!("{shown}: {key}"), "must be a mapping"),
    };
    for key in Key::ALL {
        match lookup(client, key.path()) {
            Ok(Some(value)) => settings.set(
                key,
                Raw::Yaml(value),
                format!("{shown}: {}", key.yaml_name()),
            )?,
            Ok(None) => {}
            Err(parent) => {
                return bad(
                    &format!("{shown}: okta.client.{parent}"),
                    "must be a mapping",
                )
            }
        }
    }
    Ok(())
}

/// The value at `path` under `node`: `None` when a key on the way is absent (or null); an error
/// naming the dotted prefix that is not a mapping.
fn lookup<'a>(node: &'a Node, path: &[&str]) -> Result<Option<&'a Node>, String> {
    let mut node = node;
    for (i, key) in path.iter().enumerate() {
        match node {
            Node::Mapping(_) => match node.get(key) {
                Some(next) => node = next,
                None => return Ok(None),
            },
            Node::Scalar(None) => return Ok(None),
            _ => return Err(path[..i].join(".")),
        }
    }
    Ok(Some(node))
}

/// The file's text, `None` if it does not exist; a problem (unreadable, too large, not UTF-8)
/// as a message without the content.
fn read_bounded(path: &Path, limit: u64) -> Result<Option<String>, String> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    let mut bytes = Vec::new();
    if let Err(e) = file.take(limit + 1).read_to_end(&mut bytes) {
        return Err(format!("cannot read: {e}"));
    }
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "not UTF-8 text".to_owned())
}

/// What the settings ask of the builder.
#[derive(Default)]
struct Resolved {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    max_concurrent_requests: Option<u32>,
    max_api_capacity: Option<u8>,
    #[cfg(feature = "redis")]
    redis_store: Option<RedisStore>,
    proxy: Option<reqwest::Proxy>,
}

#[derive(Debug)]
enum Credentials {
    ApiToken(Secret),
    Bearer(Secret),
    PrivateKey {
        client_id: String,
        pem: Secret,
        key_id: Option<String>,
        scopes: Vec<String>,
    },
}

/// Picks the mode, reads the private key and builds the proxy.
fn resolve(settings: &Settings, sources: &Sources) -> Result<Resolved, Error> {
    let mode = match &settings.mode {
        Some(mode) => Some((mode.value, mode.at.as_str())),
        None if settings.token.is_some() => Some((Mode::Ssws, "")),
        None if settings.private_key.is_some() => Some((Mode::PrivateKey, "")),
        None => None,
    };
    let needs = |what: Key, mode_at: &str, mode: &str| {
        let by = if mode_at.is_empty() {
            String::new()
        } else {
            format!(" (set by {mode_at})")
        };
        Error::Config(format!(
            "authorization mode {mode}{by} needs {} or {}",
            what.yaml_name(),
            what.env_name()
        ))
    };
    let credentials = match mode {
        None => None,
        Some((Mode::Ssws, at)) => Some(Credentials::ApiToken(
            settings
                .token
                .as_ref()
                .ok_or_else(|| needs(Key::Token, at, "SSWS"))?
                .value
                .clone(),
        )),
        Some((Mode::Bearer, at)) => Some(Credentials::Bearer(
            settings
                .token
                .as_ref()
                .ok_or_else(|| needs(Key::Token, at, "Bearer"))?
                .value
                .clone(),
        )),
        Some((Mode::PrivateKey, at)) => {
            let client_id = settings
                .client_id
                .as_ref()
                .ok_or_else(|| needs(Key::ClientId, at, "PrivateKey"))?;
            let key = settings
                .private_key
                .as_ref()
                .ok_or_else(|| needs(Key::PrivateKey, at, "PrivateKey"))?;
            let scopes = settings
                .scopes
                .as_ref()
                .ok_or_else(|| needs(Key::Scopes, at, "PrivateKey"))?;
            Some(Credentials::PrivateKey {
                client_id: client_id.value.clone(),
                pem: private_key_pem(key, sources)?,
                key_id: settings.private_key_id.as_ref().map(|k| k.value.clone()),
                scopes: scopes.value.clone(),
            })
        }
    };
    #[cfg(not(feature = "redis"))]
    redis_store(settings)?;
    Ok(Resolved {
        base_url: settings.org_url.as_ref().map(|u| u.value.clone()),
        credentials,
        connect_timeout: settings.connection_timeout.as_ref().map(|t| t.value),
        timeout: settings.request_timeout.as_ref().map(|t| t.value),
        max_retries: settings.max_retries.as_ref().map(|n| n.value),
        max_concurrent_requests: settings.max_concurrent_requests.as_ref().map(|n| n.value),
        max_api_capacity: settings.max_api_capacity.as_ref().map(|n| n.value),
        #[cfg(feature = "redis")]
        redis_store: redis_store(settings)?,
        proxy: proxy(settings)?,
    })
}

/// The Redis store `rateLimit.redisUrl` names (the URL is never shown: it may hold a password).
#[cfg(feature = "redis")]
fn redis_store(settings: &Settings) -> Result<Option<RedisStore>, Error> {
    let Some(url) = &settings.redis_url else {
        return Ok(None);
    };
    match RedisStore::new(url.value.expose()) {
        Ok(store) => Ok(Some(store)),
        Err(Error::Config(problem)) => bad(&url.at, problem),
        Err(other) => Err(other),
    }
}

/// Without the `redis` feature, a Redis URL is refused: the program would otherwise run with
/// a per-process state its operator did not ask for.
#[cfg(not(feature = "redis"))]
fn redis_store(settings: &Settings) -> Result<(), Error> {
    match &settings.redis_url {
        Some(url) => bad(
            &url.at,
            "a Redis store needs the `redis` cargo feature of okta-generated",
        ),
        None => Ok(()),
    }
}

/// The PEM text of `privateKey`: the value itself when it is PEM, else the file it names. Either
/// way it must hold a private key. Neither the key nor a value that may be one is shown; a path
/// is shown once it is known to be a file's.
fn private_key_pem(key: &Setting<Secret>, sources: &Sources) -> Result<Secret, Error> {
    let value = key.value.expose().trim();
    let (pem, from) = if value.starts_with("-----BEGIN") {
        (key.value.clone(), String::new())
    } else {
        let path = if let Some(rest) = value.strip_prefix("~/") {
            match &sources.home {
                Some(home) => home.join(rest),
                None => return bad(&key.at, "a key path under ~/ but no home directory"),
            }
        } else {
            let path = PathBuf::from(value);
            match &sources.current_dir {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path,
            }
        };
        if !path.is_file() {
            return bad(
                &key.at,
                "neither PEM text (-----BEGIN ...) nor the path of an existing file",
            );
        }
        match read_bounded(&path, MAX_KEY_FILE) {
            Ok(Some(text)) => (Secret::new(text), format!(" ({})", path.display())),
            Ok(None) => return bad(&key.at, format!("{}: no such file", path.display())),
            Err(problem) => {
                return bad(
                    &key.at,
                    format!("private key file {}: {problem}", path.display()),
                )
            }
        }
    };
    if PrivateKeyDer::from_pem_slice(pem.expose().as_bytes()).is_err() {
        return bad(
            &key.at,
            format!("no PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY){from}"),
        );
    }
    Ok(pem)
}

/// `reqwest::Proxy` for `proxy.host` (`http://` unless it names a scheme), `proxy.port` and the
/// credentials, if any.
fn proxy(settings: &Settings) -> Result<Option<reqwest::Proxy>, Error> {
    let Some(host) = &settings.proxy_host else {
        let orphan = [
            settings.proxy_port.as_ref().map(|s| &s.at),
            settings.proxy_username.as_ref().map(|s| &s.at),
            settings.proxy_password.as_ref().map(|s| &s.at),
        ];
        return match orphan.into_iter().flatten().next() {
            Some(at) => bad(
                at,
                format!(
                    "a proxy setting without {} or {}",
                    Key::ProxyHost.yaml_name(),
                    Key::ProxyHost.env_name()
                ),
            ),
            None => Ok(None),
        };
    };
    let mut url = if host.value.contains("://") {
        host.value.clone()
    } else {
        format!("http://{}", host.value)
    };
    if let Some(port) = &settings.proxy_port {
        url = format!("{url}:{}", port.value);
    }
    let parsed = match Url::parse(&url) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => parsed,
        _ => return bad(&host.at, "not a proxy host name (with the port, if set)"),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return bad(
            &host.at,
            "credentials go in proxy.username and proxy.password, not in the host",
        );
    }
    let mut proxy = match reqwest::Proxy::all(parsed.as_str()) {
        Ok(proxy) => proxy,
        Err(e) => return bad(&host.at, format!("not a usable proxy: {e}")),
    };
    match (&settings.proxy_username, &settings.proxy_password) {
        (Some(user), password) => {
            let password = password.as_ref().map(|p| p.value.expose()).unwrap_or("");
            proxy = proxy.basic_auth(&user.value, password);
        }
        (None, Some(password)) => {
            return bad(
                &password.at,
                format!(
                    "a proxy password without {} or {}",
                    Key::ProxyUsername.yaml_name(),
                    Key::ProxyUsername.env_name()
                ),
            )
        }
        (None, None) => {}
    }
    Ok(Some(proxy))
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut f = f.debug_struct("Resolved");
        #[cfg(feature = "redis")]
        f.field("redis_store", &self.redis_store);
        f.field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("max_api_capacity", &self.max_api_capacity)
            // A proxy's Debug can include its credentials.
            .field("proxy", &self.proxy.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Resolved {
    fn apply<C>(self, mut builder: ClientBuilder<C>) -> ClientBuilder<C> {
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        builder = match self.credentials {
            None => builder,
            Some(Credentials::ApiToken(token)) => builder.api_token(token.expose()),
            Some(Credentials::Bearer(token)) => builder.bearer_token(token.expose()),
            Some(Credentials::PrivateKey {
                client_id,
                pem,
                key_id,
                scopes,
            }) => builder.oauth_private_key_jwt(client_id, pem.expose(), key_id.as_deref(), scopes),
        };
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(retries) = self.max_retries {
            builder = builder.max_retries(retries);
        }
        if let Some(n) = self.max_concurrent_requests {
            builder = builder.max_concurrent_requests(n);
        }
        if let Some(percent) = self.max_api_capacity {
            builder = builder.max_api_capacity(percent);
        }
        #[cfg(feature = "redis")]
        if let Some(store) = self.redis_store {
            builder = builder.rate_limit_store(store);
        }
        if let Some(proxy) = self.proxy {
            builder = builder.proxy(proxy);
        }
        builder
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::client::Client;

    const TOKEN: &str = "00-secret-token-from-the-test-AAAA";
    const OTHER_TOKEN: &str = "00-other-secret-token-BBBB";
    const PASSWORD: &str = "proxy-secret-password-CCCC";

    /// The TEST-ONLY key of the integration tests (tests/runtime_support).
    fn test_key() -> String {
        include_str!("../../tests/runtime_support/test_only_key_pkcs8.pem").to_owned()
    }

    /// A fresh home and project directory (`home/.okta/` exists).
    struct Dirs {
        home: PathBuf,
        project: PathBuf,
    }

    impl Dirs {
        fn new() -> Dirs {
            static N: AtomicUsize = AtomicUsize::new(0);
            let root = std::env::temp_dir().join(format!(
                "okta-config-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&root);
            let home = root.join("home");
            let project = root.join("project");
            std::fs::create_dir_all(home.join(".okta")).unwrap();
            std::fs::create_dir_all(&project).unwrap();
            Dirs { home, project }
        }
        fn home_file(&self) -> PathBuf {
            self.home.join(".okta/okta.yaml")
        }
        fn project_file(&self) -> PathBuf {
            self.project.join("okta.yaml")
        }
        fn sources(&self, env: &[(&str, &str)]) -> Sources {
            Sources {
                env: env
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                home: Some(self.home.clone()),
                current_dir: Some(self.project.clone()),
            }
        }
    }

    fn resolved(sources: &Sources) -> Result<Resolved, Error> {
        resolve(&read_settings(sources)?, sources)
    }

    /// The configuration error's message; checks that no secret of these tests is in it (shown
    /// or debugged).
    #[track_caller]
    fn config_error(sources: &Sources) -> String {
        let err = resolved(sources).expect_err("a configuration error");
        let shown = format!("{err} {err:?}");
        for secret in [
            TOKEN,
            OTHER_TOKEN,
            PASSWORD,
            "MIIEvAIBADANBgkqhkiG9w0BAQEFAASC",
        ] {
            assert!(!shown.contains(secret), "a secret in the error: {shown}");
        }
        match err {
            Error::Config(message) => message,
            other => panic!("not Error::Config: {other:?}"),
        }
    }

    fn token_of(resolved: &Resolved) -> (&'static str, String) {
        match &resolved.credentials {
            Some(Credentials::ApiToken(t)) => ("SSWS", t.expose().to_owned()),
            Some(Credentials::Bearer(t)) => ("Bearer", t.expose().to_owned()),
            other => panic!("not a token: {other:?}"),
        }
    }

    #[test]
    fn no_files_and_no_environment_configure_nothing() {
        let dirs = Dirs::new();
        let r = resolved(&dirs.sources(&[])).unwrap();
        assert!(r.base_url.is_none() && r.credentials.is_none() && r.proxy.is_none());
        assert!(r.timeout.is_none() && r.connect_timeout.is_none() && r.max_retries.is_none());
        // Nor do absent directories.
        assert!(resolved(&Sources::default()).unwrap().base_url.is_none());
    }

    #[test]
    fn a_files_values_are_read_as_written_without_yaml_number_or_flag_coercion() {
        let dirs = Dirs::new();
        // Plain scalars a YAML loader would turn into numbers (`00123456` -> 123456, `1e2`
        // -> 100.0), a quoted one, and an anchor's value through its alias.
        std::fs::write(
            dirs.project_file(),
            "defaults: &timeout 30\nokta:\n  client:\n    orgUrl: https://acme.okta.com\n    \
             token: 00123456\n    connectionTimeout: *timeout\n    requestTimeout: '45'\n",
        )
        .unwrap();
        let r = resolved(&dirs.sources(&[])).unwrap();
        assert_eq!(token_of(&r), ("SSWS", "00123456".to_owned()));
        assert_eq!(r.connect_timeout, Some(Duration::from_secs(30)));
        assert_eq!(r.timeout, Some(Duration::from_secs(45)));
        std::fs::write(
            dirs.project_file(),
            "okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: t\n    \
             connectionTimeout: 1e2\n",
        )
        .unwrap();
        // Read as its text, which is not a whole number of seconds: refused, not 100.
        let message = config_error(&dirs.sources(&[]));
        assert!(
            message.contains("okta.client.connectionTimeout"),
            "{message}"
        );
    }

    #[test]
    fn home_file_then_project_file_then_environment_each_override_key_by_key() {
        let dirs = Dirs::new();
        std::fs::write(
            dirs.home_file(),
            format!(
                "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: {TOKEN}\n    \
                 connectionTimeout: 11\n    requestTimeout: 12\n    rateLimit:\n      maxRetries: 1\n"
            ),
        )
        .unwrap();
        std::fs::write(
            dirs.project_file(),
            "okta:\n  client:\n    orgUrl: https://project.okta.com\n    requestTimeout: 22\n    \
             rateLimit:\n      maxRetries: 2\n",
        )
        .unwrap();
        let env = [
            ("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "3"),
            ("OKTA_CLIENT_TOKEN", OTHER_TOKEN),
        ];

        let home_only = resolved(&Sources {
            current_dir: None,
            ..dirs.sources(&[])
        })
        .unwrap();
        assert_eq!(home_only.base_url.as_deref(), Some("https://home.okta.com"));
        assert_eq!(token_of(&home_only), ("SSWS", TOKEN.to_owned()));
        assert_eq!(home_only.max_retries, Some(1));

        let files = resolved(&dirs.sources(&[])).unwrap();
        assert_eq!(files.base_url.as_deref(), Some("https://project.okta.com"));
        assert_eq!(files.connect_timeout, Some(Duration::from_secs(11))); // home's, kept
        assert_eq!(files.timeout, Some(Duration::from_secs(22)));
        assert_eq!(files.max_retries, Some(2));
        assert_eq!(token_of(&files), ("SSWS", TOKEN.to_owned()));

        let all = resolved(&dirs.sources(&env)).unwrap();
        assert_eq!(all.base_url.as_deref(), Some("https://project.okta.com"));
        assert_eq!(all.connect_timeout, Some(Duration::from_secs(11)));
        assert_eq!(all.timeout, Some(Duration::from_secs(22)));
        assert_eq!(all.max_retries, Some(3));
        assert_eq!(token_of(&all), ("SSWS", OTHER_TOKEN.to_owned()));
    }

    #[test]
    fn what_the_program_sets_on_the_builder_overrides_every_source() {
        let dirs = Dirs::new();
        let sources = dirs.sources(&[
            ("OKTA_CLIENT_ORGURL", "https://env.okta.com"),
            ("OKTA_CLIENT_TOKEN", TOKEN),
            ("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "5"),
        ]);
        let from_sources = format!("{:?}", configure(Client::builder(), &sources).unwrap());
        assert!(
            from_sources.contains("\"https://env.okta.com\""),
            "{from_sources}"
        );
        assert!(from_sources.contains("max_retries: 5"), "{from_sources}");
        assert!(!from_sources.contains(TOKEN), "{from_sources}");

        let builder = configure(Client::builder(), &sources)
            .unwrap()
            .base_url("https://program.okta.com")
            .max_retries(0);
        let shown = format!("{builder:?}");
        assert!(shown.contains("\"https://program.okta.com\"") && shown.contains("max_retries: 0"));
        builder.build().expect("the configured builder builds");
    }

    #[test]
    fn empty_values_count_as_unset() {
        let dirs = Dirs::new();
        std::fs::write(
            dirs.home_file(),
            format!("okta:\n  client:\n    token: {TOKEN}\n    orgUrl: https://a.okta.com\n"),
        )
        .unwrap();
        std::fs::write(
            dirs.project_file(),
            "okta:\n  client:\n    token: ''\n    orgUrl:\n",
        )
        .unwrap();
        let r = resolved(&dirs.sources(&[("OKTA_CLIENT_TOKEN", ""), ("OKTA_CLIENT_ORGURL", " ")]))
            .unwrap();
        assert_eq!(token_of(&r), ("SSWS", TOKEN.to_owned()));
        assert_eq!(r.base_url.as_deref(), Some("https://a.okta.com"));
    }

    #[test]
    fn bearer_mode_uses_the_token_as_an_access_token_and_modes_ignore_case() {
        let dirs = Dirs::new();
        for mode in ["Bearer", "bearer", "BEARER"] {
            let r = resolved(&dirs.sources(&[
                ("OKTA_CLIENT_AUTHORIZATIONMODE", mode),
                ("OKTA_CLIENT_TOKEN", TOKEN),
            ]))
            .unwrap();
            assert_eq!(token_of(&r), ("Bearer", TOKEN.to_owned()));
        }
    }

    #[test]
    fn private_key_mode_reads_pem_text_or_a_file_and_scopes_as_list_or_string() {
        let dirs = Dirs::new();
        let key = test_key();
        // PEM text in the home file, scopes as a YAML list.
        let indented: String = key.lines().map(|l| format!("      {l}\n")).collect();
        std::fs::write(
            dirs.home_file(),
            format!(
                "okta:\n  client:\n    orgUrl: https://acme.okta.com\n    authorizationMode: PrivateKey\n    \
                 clientId: 0oa1\n    privateKeyId: kid-1\n    scopes:\n      - okta.users.read\n      \
                 - okta.groups.read\n    privateKey: |\n{indented}"
            ),
        )
        .unwrap();
        let r = resolved(&dirs.sources(&[])).unwrap();
        let Some(Credentials::PrivateKey {
            client_id,
            pem,
            key_id,
            scopes,
        }) = &r.credentials
        else {
            panic!("not PrivateKey: {r:?}");
        };
        assert_eq!(client_id, "0oa1");
        assert_eq!(pem.expose().trim(), key.trim());
        assert_eq!(key_id.as_deref(), Some("kid-1"));
        assert_eq!(scopes, &["okta.users.read", "okta.groups.read"]);
        r.apply(Client::builder()).build().expect("builds");

        // A path relative to the current directory, and one under ~/, scopes as a string; no
        // mode: a private key and no token mean PrivateKey.
        std::fs::remove_file(dirs.home_file()).unwrap();
        std::fs::write(dirs.project.join("key.pem"), &key).unwrap();
        std::fs::write(dirs.home.join("key.pem"), &key).unwrap();
        for path in ["key.pem", "~/key.pem"] {
            let r = resolved(&Sources {
                home: Some(dirs.home.clone()),
                current_dir: Some(dirs.project.clone()),
                env: [
                    ("OKTA_CLIENT_CLIENTID", "0oa2"),
                    ("OKTA_CLIENT_PRIVATEKEY", path),
                    (
                        "OKTA_CLIENT_SCOPES",
                        "okta.users.read, okta.apps.read okta.logs.read",
                    ),
                ]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            })
            .unwrap();
            let Some(Credentials::PrivateKey {
                pem,
                scopes,
                key_id,
                ..
            }) = &r.credentials
            else {
                panic!("{path}: not PrivateKey: {r:?}");
            };
            assert_eq!(pem.expose(), key);
            assert_eq!(key_id, &None);
            assert_eq!(
                scopes,
                &["okta.users.read", "okta.apps.read", "okta.logs.read"]
            );
        }
    }

    #[test]
    fn proxy_settings_build_a_proxy_and_a_proxy_key_without_a_host_is_an_error() {
        let dirs = Dirs::new();
        std::fs::write(
            dirs.project_file(),
            format!(
                "okta:\n  client:\n    proxy:\n      host: proxy.internal\n      port: 3128\n      \
                 username: svc\n      password: {PASSWORD}\n"
            ),
        )
        .unwrap();
        let r = resolved(&dirs.sources(&[])).unwrap();
        assert!(r.proxy.is_some());
        assert!(!format!("{r:?}").contains(PASSWORD));

        let message = config_error(&dirs.sources(&[("OKTA_CLIENT_PROXY_HOST", "bad host name")]));
        assert!(
            message.starts_with("environment variable OKTA_CLIENT_PROXY_HOST: "),
            "{message}"
        );
        std::fs::remove_file(dirs.project_file()).unwrap();
        let message = config_error(&dirs.sources(&[("OKTA_CLIENT_PROXY_PASSWORD", PASSWORD)]));
        assert!(
            message.starts_with("environment variable OKTA_CLIENT_PROXY_PASSWORD: a proxy setting without okta.client.proxy.host"),
            "{message}"
        );
        let message = config_error(&dirs.sources(&[
            ("OKTA_CLIENT_PROXY_HOST", "proxy.internal"),
            ("OKTA_CLIENT_PROXY_PASSWORD", PASSWORD),
        ]));
        assert!(
            message.contains("a proxy password without okta.client.proxy.username"),
            "{message}"
        );
        for port in ["0", "65536", "http"] {
            let message = config_error(&dirs.sources(&[
                ("OKTA_CLIENT_PROXY_HOST", "proxy.internal"),
                ("OKTA_CLIENT_PROXY_PORT", port),
            ]));
            assert!(
                message.starts_with("environment variable OKTA_CLIENT_PROXY_PORT: "),
                "{message}"
            );
        }
    }

    #[test]
    fn a_malformed_org_url_names_its_source_and_key() {
        let dirs = Dirs::new();
        for url in [
            "acme.okta.com",
            "https://",
            "ftp://acme.okta.com",
            "https://{yourOktaDomain}",
        ] {
            let message = config_error(&dirs.sources(&[("OKTA_CLIENT_ORGURL", url)]));
            assert!(
                message.starts_with("environment variable OKTA_CLIENT_ORGURL: "),
                "{url}: {message}"
            );
        }
        let with_credentials = format!("https://admin:{TOKEN}@acme.okta.com");
        let message = config_error(&dirs.sources(&[("OKTA_CLIENT_ORGURL", &with_credentials)]));
        assert!(
            message.contains("must not contain credentials"),
            "{message}"
        );

        std::fs::write(
            dirs.project_file(),
            "okta:\n  client:\n    orgUrl: not a url\n",
        )
        .unwrap();
        let message = config_error(&dirs.sources(&[]));
        assert!(
            message.starts_with(&format!(
                "{}: okta.client.orgUrl: not a URL",
                dirs.project_file().display()
            )),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_authorization_mode_names_its_source_and_the_modes() {
        let dirs = Dirs::new();
        std::fs::write(
            dirs.home_file(),
            "okta:\n  client:\n    authorizationMode: OAuth\n",
        )
        .unwrap();
        let message = config_error(&dirs.sources(&[]));
        assert_eq!(
            message,
            format!(
                "{}: okta.client.authorizationMode: unknown authorization mode \"OAuth\" (SSWS, \
                 Bearer or PrivateKey)",
                dirs.home_file().display()
            )
        );
    }

    #[test]
    fn a_mode_without_the_values_it_needs_names_them() {
        let dirs = Dirs::new();
        let message = config_error(&dirs.sources(&[("OKTA_CLIENT_AUTHORIZATIONMODE", "Bearer")]));
        assert_eq!(
            message,
            "authorization mode Bearer (set by environment variable \
             OKTA_CLIENT_AUTHORIZATIONMODE) needs okta.client.token or OKTA_CLIENT_TOKEN"
        );
        let message = config_error(&dirs.sources(&[
            ("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey"),
            ("OKTA_CLIENT_CLIENTID", "0oa1"),
            ("OKTA_CLIENT_PRIVATEKEY", &test_key()),
        ]));
        assert!(
            message.ends_with("needs okta.client.scopes or OKTA_CLIENT_SCOPES"),
            "{message}"
        );
    }

    #[test]
    fn an_unreadable_or_invalid_private_key_names_its_source_never_the_key() {
        let dirs = Dirs::new();
        let env = |key: &str| {
            dirs.sources(&[
                ("OKTA_CLIENT_CLIENTID", "0oa1"),
                ("OKTA_CLIENT_SCOPES", "okta.users.read"),
                ("OKTA_CLIENT_PRIVATEKEY", key),
            ])
        };
        // A path that does not exist (or a key pasted without its PEM lines): not shown.
        let pasted = "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDZ";
        let message = config_error(&env(pasted));
        assert_eq!(
            message,
            "environment variable OKTA_CLIENT_PRIVATEKEY: neither PEM text (-----BEGIN ...) nor \
             the path of an existing file"
        );
        // A file that is not a key, a file too large, a file that is not UTF-8.
        let cases: [(&str, Vec<u8>, &str); 3] = [
            ("not-a-key.pem", b"hello".to_vec(), "no PEM private key"),
            ("huge.pem", vec![b'a'; 70_000], "larger than 65536 bytes"),
            ("binary.pem", vec![0xff, 0xfe, 0x00], "not UTF-8 text"),
        ];
        for (name, contents, problem) in cases {
            let path = dirs.project.join(name);
            std::fs::write(&path, contents).unwrap();
            let message = config_error(&env(name));
            assert!(
                message.starts_with("environment variable OKTA_CLIENT_PRIVATEKEY: ")
                    && message.contains(problem)
                    && message.contains(&path.display().to_string()),
                "{name}: {message}"
            );
        }
        // PEM text that is not a private key: the text is not shown.
        let message = config_error(&env(
            "-----BEGIN CERTIFICATE-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASC\n-----END CERTIFICATE-----\n",
        ));
        assert!(message.contains("no PEM private key"), "{message}");
        // A directory.
        std::fs::create_dir_all(dirs.project.join("keys")).unwrap();
        let message = config_error(&env("keys"));
        assert!(
            message.contains("nor the path of an existing file"),
            "{message}"
        );
    }

    #[test]
    fn bad_numbers_name_their_source_and_key() {
        let dirs = Dirs::new();
        let cases = [
            ("OKTA_CLIENT_CONNECTIONTIMEOUT", "ten"),
            ("OKTA_CLIENT_CONNECTIONTIMEOUT", "0"),
            ("OKTA_CLIENT_REQUESTTIMEOUT", "-5"),
            ("OKTA_CLIENT_REQUESTTIMEOUT", "1.5"),
            ("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "-1"),
            ("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "many"),
        ];
        for (name, value) in cases {
            let message = config_error(&dirs.sources(&[(name, value)]));
            assert!(
                message.starts_with(&format!("environment variable {name}: \"{value}\" is not")),
                "{message}"
            );
        }
        std::fs::write(
            dirs.home_file(),
            "okta:\n  client:\n    rateLimit:\n      maxRetries: lots\n",
        )
        .unwrap();
        let message = config_error(&dirs.sources(&[("OKTA_CLIENT_RATELIMIT_MAXRETRIES", "2")]));
        assert!(
            message.starts_with(&format!(
                "{}: okta.client.rateLimit.maxRetries: ",
                dirs.home_file().display()
            )),
            "a bad value is reported even when a later source overrides it: {message}"
        );
    }

    #[test]
    fn malformed_unreadable_or_oddly_shaped_files_are_errors_naming_the_file() {
        let dirs = Dirs::new();
        let file = dirs.project_file();
        let shown = file.display().to_string();
        let malformed = format!("okta:\n  client:\n    token: {TOKEN}\n   bad: [\n");
        let cases: [(&[u8], String); 8] = [
            (
                malformed.as_bytes(),
                format!("{shown}: not valid YAML at line"),
            ),
            (b"\xff\xfe", format!("{shown}: not UTF-8 text")),
            (b"okta: 3\n", format!("{shown}: okta: must be a mapping")),
            (
                b"okta:\n  client:\n    rateLimit: 5\n",
                format!("{shown}: okta.client.rateLimit: must be a mapping"),
            ),
            (
                b"okta:\n  client:\n    token: {a: b}\n",
                format!("{shown}: okta.client.token: must be a string"),
            ),
            (
                b"okta:\n  client:\n    orgUrl: [a]\n",
                format!("{shown}: okta.client.orgUrl: must be a string"),
            ),
            (
                b"okta:\n  client:\n    token: a\n    token: b\n",
                format!(
                    "{shown}: not valid YAML at line 4, column 5: the key `token` appears twice"
                ),
            ),
            (
                b"okta:\n  client: {}\n---\nokta: {}\n",
                format!("{shown}: not valid YAML at line 3, column 1: more than one document"),
            ),
        ];
        for (contents, expected) in cases {
            std::fs::write(&file, contents).unwrap();
            let message = config_error(&dirs.sources(&[]));
            assert!(
                message.starts_with(&expected),
                "{expected:?} vs {message:?}"
            );
        }
        // Too large.
        std::fs::write(&file, vec![b'#'; (MAX_CONFIG_FILE + 1) as usize]).unwrap();
        let message = config_error(&dirs.sources(&[]));
        assert_eq!(
            message,
            format!("{shown}: larger than {MAX_CONFIG_FILE} bytes")
        );
        // A directory where the file should be.
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        let message = config_error(&dirs.sources(&[]));
        assert!(
            message.starts_with(&format!("{shown}: cannot read")),
            "{message}"
        );
        // Other SDKs' keys in the same file are no error.
        std::fs::remove_dir(&file).unwrap();
        std::fs::write(
            &file,
            "okta:\n  client:\n    cache:\n      enabled: false\n    requestor: x\n  testing:\n    \
             disableHttpsCheck: true\n",
        )
        .unwrap();
        assert!(resolved(&dirs.sources(&[])).is_ok());
    }

    #[test]
    fn env_names_and_yaml_keys_follow_oktas_scheme() {
        let names: Vec<(String, String)> = Key::ALL
            .iter()
            .map(|k| (k.yaml_name(), k.env_name()))
            .collect();
        for expected in [
            ("okta.client.orgUrl", "OKTA_CLIENT_ORGURL"),
            (
                "okta.client.authorizationMode",
                "OKTA_CLIENT_AUTHORIZATIONMODE",
            ),
            ("okta.client.privateKeyId", "OKTA_CLIENT_PRIVATEKEYID"),
            (
                "okta.client.rateLimit.maxRetries",
                "OKTA_CLIENT_RATELIMIT_MAXRETRIES",
            ),
            ("okta.client.proxy.password", "OKTA_CLIENT_PROXY_PASSWORD"),
        ] {
            assert!(
                names.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?}"
            );
        }
    }

    #[test]
    fn secrets_are_never_in_debug_output() {
        let dirs = Dirs::new();
        let sources = dirs.sources(&[
            ("OKTA_CLIENT_TOKEN", TOKEN),
            ("OKTA_CLIENT_PROXY_HOST", "proxy.internal"),
            ("OKTA_CLIENT_PROXY_USERNAME", "svc"),
            ("OKTA_CLIENT_PROXY_PASSWORD", PASSWORD),
        ]);
        let settings = read_settings(&sources).unwrap();
        let resolved = resolve(&settings, &sources).unwrap();
        let builder = configure(Client::builder(), &sources).unwrap();
        for shown in [
            format!("{settings:?}"),
            format!("{resolved:?}"),
            format!("{builder:?}"),
        ] {
            assert!(
                !shown.contains(TOKEN) && !shown.contains(PASSWORD),
                "{shown}"
            );
        }
    }

    #[test]
    fn concurrency_and_capacity_are_read_from_files_and_the_environment() {
        let dirs = Dirs::new();
        std::fs::write(
            dirs.home.join(".okta/okta.yaml"),
            "okta:\n  client:\n    rateLimit:\n      maxConcurrentRequests: 35\n      \
             maxApiCapacity: 80\n",
        )
        .unwrap();
        let sources = dirs.sources(&[("OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY", "50%")]);
        let r = resolved(&sources).unwrap();
        assert_eq!(r.max_concurrent_requests, Some(35));
        assert_eq!(r.max_api_capacity, Some(50), "the environment comes last");
        let builder = configure(Client::builder(), &sources).unwrap();
        let shown = format!("{builder:?}");
        assert!(
            shown.contains("max_concurrent_requests: Some(35)"),
            "{shown}"
        );
        assert!(shown.contains("max_api_capacity: 50"), "{shown}");
    }

    #[test]
    fn a_concurrency_of_zero_or_a_capacity_past_100_is_an_error_naming_its_source() {
        let dirs = Dirs::new();
        let message =
            config_error(&dirs.sources(&[("OKTA_CLIENT_RATELIMIT_MAXCONCURRENTREQUESTS", "0")]));
        assert_eq!(
            message,
            "environment variable OKTA_CLIENT_RATELIMIT_MAXCONCURRENTREQUESTS: \"0\" is not a \
             number of requests (1 or more)"
        );
        for bad in ["0", "101", "half"] {
            let message =
                config_error(&dirs.sources(&[("OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY", bad)]));
            assert!(
                message.starts_with("environment variable OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY: ")
                    && message.ends_with("is not a percentage from 1 to 100"),
                "{message}"
            );
        }
    }

    const REDIS_URL: &str = "redis://:redis-secret-password-EEEE@redis.internal:6379/0";

    #[cfg(not(feature = "redis"))]
    #[test]
    fn a_redis_url_without_the_redis_feature_is_an_error_that_does_not_show_it() {
        let dirs = Dirs::new();
        let message = config_error(&dirs.sources(&[("OKTA_CLIENT_RATELIMIT_REDISURL", REDIS_URL)]));
        assert_eq!(
            message,
            "environment variable OKTA_CLIENT_RATELIMIT_REDISURL: a Redis store needs the \
             `redis` cargo feature of okta-generated"
        );
    }

    #[cfg(feature = "redis")]
    #[test]
    fn a_redis_url_becomes_the_rate_limit_store_and_its_password_is_never_shown() {
        let dirs = Dirs::new();
        std::fs::write(
            dirs.project.join("okta.yaml"),
            format!("okta:\n  client:\n    rateLimit:\n      redisUrl: {REDIS_URL}\n"),
        )
        .unwrap();
        let sources = dirs.sources(&[("OKTA_CLIENT_TOKEN", TOKEN)]);
        let settings = read_settings(&sources).unwrap();
        let r = resolve(&settings, &sources).unwrap();
        assert!(r.redis_store.is_some());
        let builder = configure(Client::builder(), &sources).unwrap();
        let shown = format!("{settings:?} {r:?} {builder:?}");
        assert!(shown.contains("redis.internal:6379"), "{shown}");
        assert!(!shown.contains("redis-secret-password-EEEE"), "{shown}");
        // A URL the redis crate refuses names its source, not its text.
        let message = config_error(&dirs.sources(&[(
            "OKTA_CLIENT_RATELIMIT_REDISURL",
            "http://redis-secret-password-EEEE@host",
        )]));
        assert!(
            message.starts_with(
                "environment variable OKTA_CLIENT_RATELIMIT_REDISURL: the Redis URL is not usable"
            ),
            "{message}"
        );
        assert!(!message.contains("redis-secret-password-EEEE"), "{message}");
    }
}
