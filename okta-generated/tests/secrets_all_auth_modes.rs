//! Secrets never leak, in any auth mode, whatever happens to a call.
//!
//! Every auth mode (SSWS API token, bearer token, OAuth `private_key_jwt` with a PKCS#8 and a
//! PKCS#1 key) is driven through a success, 429 retries (recovered and exhausted), a 401, a decode
//! failure, an error page that echoes the request (headers included, as some proxies do), a
//! timeout and transport failures (a reset after the request, a refused connection); the OAuth
//! modes also through a token endpoint that refuses the client, that answers an undecodable token
//! response, or that echoes the form (client assertion included). Everything the crate and its
//! HTTP stack log is captured at TRACE level (`tracing` spans and events, and `log` records from
//! reqwest), and none of it, no error's `Display`, `Debug` or source chain, nor the `Debug` of the
//! client, its builder or a request builder, contains any 12 consecutive characters of the API
//! token, the bearer token, the access token the token endpoint issued, the private key's base64
//! body, or a client assertion's signature. The modes' credentials are also refused by an
//! operation that takes another kind. (A text request body, which can be a credential too, is
//! checked by the runtime's own tests: no action of the Okta manifest sends one yet.)

use std::error::Error as _;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use okta_generated::{Client, ClientBuilder, Error};
use percent_encoding::percent_decode_str;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod runtime_support;
use runtime_support::{Capture, TEST_ONLY_KEY_PKCS1, TEST_ONLY_KEY_PKCS8};

/// Distinctive secrets, so a substring search means something.
const API_TOKEN: &str = "00SSWS-leakcheck-Q7v9Zr2Kx4";
const BEARER_TOKEN: &str = "eyBearer-leakcheck-M3p8Ty6Wd1";
const ACCESS_TOKEN: &str = "eyAccess-leakcheck-H5n2Bc9Lf0";
const CLIENT_ID: &str = "0oa-service-app-7";

#[derive(Clone, Copy, Debug)]
enum Mode {
    ApiToken,
    Bearer,
    OAuthPkcs8,
    OAuthPkcs1,
}

impl Mode {
    fn key(self) -> Option<&'static str> {
        match self {
            Mode::OAuthPkcs8 => Some(TEST_ONLY_KEY_PKCS8),
            Mode::OAuthPkcs1 => Some(TEST_ONLY_KEY_PKCS1),
            Mode::ApiToken | Mode::Bearer => None,
        }
    }

    fn builder(self, base_url: &str) -> ClientBuilder {
        let builder = Client::builder()
            .base_url(base_url)
            .sleeper(|_| async {})
            .timeout(Duration::from_secs(5));
        match self {
            Mode::ApiToken => builder.api_token(API_TOKEN),
            Mode::Bearer => builder.bearer_token(BEARER_TOKEN),
            Mode::OAuthPkcs8 | Mode::OAuthPkcs1 => builder.oauth_private_key_jwt(
                CLIENT_ID,
                self.key().unwrap(),
                Some("kid-7"),
                ["okta.users.read", "okta.users.manage"],
            ),
        }
    }

    /// The `Authorization` header Okta receives for API calls.
    fn authorization(self) -> String {
        match self {
            Mode::ApiToken => format!("SSWS {API_TOKEN}"),
            Mode::Bearer => format!("Bearer {BEARER_TOKEN}"),
            Mode::OAuthPkcs8 | Mode::OAuthPkcs1 => format!("Bearer {ACCESS_TOKEN}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// `log` records (reqwest logs through `log`, not `tracing`), captured from every thread.

static LOG_RECORDS: Mutex<String> = Mutex::new(String::new());

struct LogCapture;

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        // The mock server's own logs describe what it received, which is not the client's output.
        if record.target().starts_with("wiremock") {
            return;
        }
        let line = format!(
            "\nlog {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        );
        LOG_RECORDS.lock().unwrap().push_str(&line);
    }
    fn flush(&self) {}
}

fn capture_log_records() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        static LOGGER: LogCapture = LogCapture;
        log::set_logger(&LOGGER).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

// ---------------------------------------------------------------------------------------------
// Servers

fn user(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "status": "ACTIVE", "profile": {"login": "dana@example.com"}})
}

fn rate_limited() -> ResponseTemplate {
    ResponseTemplate::new(429)
        .set_body_json(serde_json::json!({
            "errorCode": "E0000047",
            "errorSummary": "API call exceeded rate limit due to too many requests."
        }))
        .insert_header("date", "Wed, 21 Oct 2015 07:28:00 GMT")
        .insert_header("x-rate-limit-limit", "600")
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header("x-rate-limit-reset", "1445412481")
}

/// What a debugging proxy or a gateway's error page may do: echo the request, headers and body
/// included, in an error response. An HTML page for API calls, an OAuth error for the token
/// endpoint (its `error_description` quoting the form, client assertion included).
struct EchoRequest;

impl Respond for EchoRequest {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut echo = format!("{} {}\n", request.method, request.url);
        let mut headers: Vec<_> = request.headers.iter().collect();
        headers.sort_by_key(|(name, _)| name.as_str());
        for (name, value) in headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            echo.push_str(&format!("{name}: {value}\n"));
        }
        echo.push_str(&String::from_utf8_lossy(&request.body));
        if request.url.path() == "/oauth2/v1/token" {
            ResponseTemplate::new(400).set_body_json(serde_json::json!({
                "error": "invalid_request",
                "error_description": format!("cannot process {echo}")
            }))
        } else {
            // Padded so the credential straddles the 200-character snippet an ApiError keeps.
            let page = format!(
                "<html><body><h1>400 Bad Request</h1><p>{}</p><pre>{echo}</pre>",
                "x".repeat(45)
            );
            ResponseTemplate::new(400).set_body_raw(page, "text/html")
        }
    }
}

/// A mock Okta: a token endpoint issuing `ACCESS_TOKEN`, and one user path per scenario, each
/// answering only requests carrying the mode's credentials (anything else gets a 404).
async fn okta(mode: Mode) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": ACCESS_TOKEN,
            "scope": "okta.users.read okta.users.manage"
        })))
        .mount(&server)
        .await;
    let auth = mode.authorization();
    let user_path = |id: &str| {
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/users/{id}")))
            .and(header("authorization", auth.as_str()))
    };
    user_path("ok")
        .respond_with(ResponseTemplate::new(200).set_body_json(user("ok")))
        .mount(&server)
        .await;
    user_path("revoked")
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("www-authenticate", "Bearer error=\"invalid_token\"")
                .set_body_json(serde_json::json!({
                    "errorCode": "E0000011",
                    "errorSummary": "Invalid token provided",
                    "errorId": "oaeLeakcheck"
                })),
        )
        .mount(&server)
        .await;
    // Throttled twice, then answered: within the default budget of two retries.
    user_path("throttled")
        .respond_with(rate_limited())
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    user_path("throttled")
        .respond_with(ResponseTemplate::new(200).set_body_json(user("throttled")))
        .mount(&server)
        .await;
    user_path("always-throttled")
        .respond_with(rate_limited())
        .mount(&server)
        .await;
    user_path("garbled")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 42, "status": []})),
        )
        .mount(&server)
        .await;
    user_path("echo")
        .respond_with(EchoRequest)
        .mount(&server)
        .await;
    user_path("slow")
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    server
}

/// A server that issues `ACCESS_TOKEN` at the token endpoint and resets every other request
/// after reading it: an API call fails in transport after authenticating. Returns its URL and
/// the token requests' bodies it received.
async fn resetting_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let forms = Arc::new(Mutex::new(Vec::new()));
    let received = forms.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let received = received.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                if head.starts_with(b"POST /oauth2/v1/token ") {
                    // The form follows the head; read it up to its Content-Length.
                    let end = head.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                    let length: usize = text
                        .split("content-length:")
                        .nth(1)
                        .and_then(|rest| rest.lines().next()?.trim().parse().ok())
                        .unwrap_or(0);
                    while head.len() < end + length {
                        match sock.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let form = String::from_utf8_lossy(&head[end..end + length]).into_owned();
                    received.lock().unwrap().push(form);
                    let body = format!(
                        r#"{{"token_type":"Bearer","expires_in":3600,"access_token":"{ACCESS_TOKEN}"}}"#
                    );
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(response.as_bytes()).await;
                } else {
                    let _ = sock.set_zero_linger();
                }
            });
        }
    });
    (url, forms)
}

/// A loopback URL nothing listens on: connecting is refused.
fn refusing_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// The client assertions of the token requests a mock server received.
fn client_assertions(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.url.path() == "/oauth2/v1/token")
        .filter_map(|r| client_assertion(std::str::from_utf8(&r.body).ok()?))
        .collect()
}

/// The `client_assertion` field of a token request's form.
fn client_assertion(form: &str) -> Option<String> {
    form.split('&').find_map(|pair| {
        let value = pair.strip_prefix("client_assertion=")?;
        Some(percent_decode_str(value).decode_utf8().ok()?.into_owned())
    })
}

// ---------------------------------------------------------------------------------------------
// The scenarios

/// What one mode's run produced: the errors, every `Debug` shown, and the client assertions the
/// token endpoint received.
#[derive(Default)]
struct Run {
    errors: Vec<(&'static str, Error)>,
    debug_shown: Vec<String>,
    assertions: Vec<String>,
}

impl Run {
    fn expect_err<T: std::fmt::Debug>(&mut self, scenario: &'static str, result: Result<T, Error>) {
        match result {
            Err(err) => self.errors.push((scenario, err)),
            Ok(value) => panic!("{scenario}: expected an error, got {value:?}"),
        }
    }
}

async fn drive(mode: Mode) -> Run {
    let mut run = Run::default();
    let server = okta(mode).await;
    let builder = mode.builder(&server.uri());
    run.debug_shown.push(format!("{builder:?} {builder:#?}"));
    let client = builder.build().unwrap();
    let users = client.user();
    run.debug_shown
        .push(format!("{client:?} {client:#?} {users:?}"));
    run.debug_shown.push(format!("{:?}", users.get_user("ok")));

    // Success, also after 429s.
    let ok = users.get_user("ok").send().await.expect("success");
    assert_eq!(ok.id.as_deref(), Some("ok"));
    let throttled = users
        .get_user("throttled")
        .send()
        .await
        .expect("429s then success");
    assert_eq!(throttled.id.as_deref(), Some("throttled"));

    // Errors: 401, 429 beyond the budget, decode failure, timeout.
    let revoked = users.get_user("revoked").send().await;
    assert_eq!(
        revoked.as_ref().err().and_then(Error::status),
        Some(401.try_into().unwrap())
    );
    run.expect_err("401", revoked);
    let exhausted = users.get_user("always-throttled").send().await;
    assert!(
        matches!(exhausted, Err(Error::RateLimited { retries: 2, .. })),
        "{exhausted:?}"
    );
    run.expect_err("429 exhausted", exhausted);
    let garbled = users.get_user("garbled").send().await;
    assert!(matches!(garbled, Err(Error::Decode { .. })), "{garbled:?}");
    run.expect_err("decode", garbled);
    let echoed = users.get_user("echo").send().await;
    assert!(
        matches!(&echoed, Err(Error::Api(e)) if e.status() == 400),
        "{echoed:?}"
    );
    run.expect_err("error page echoing the request", echoed);
    // An operation that takes an API token only: OAuth 2.0 credentials are refused before
    // anything is sent, and the refusal names the operation, not the credentials.
    let questions = client
        .user_factor()
        .list_supported_security_questions("ok")
        .send()
        .await;
    match mode {
        Mode::ApiToken => assert!(matches!(&questions, Err(Error::Api(_))), "{questions:?}"),
        _ => assert!(
            matches!(&questions, Err(Error::Config(m)) if m.contains("listSupportedSecurityQuestions")),
            "{questions:?}"
        ),
    }
    run.expect_err("credentials the operation does not take", questions);
    let slow = mode
        .builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap()
        .user()
        .get_user("slow")
        .send()
        .await;
    assert!(matches!(slow, Err(Error::Timeout { .. })), "{slow:?}");
    run.expect_err("timeout", slow);

    // Transport: the connection is reset after the request (past the token endpoint), or refused.
    let (resetting_url, token_forms) = resetting_server().await;
    let reset = mode
        .builder(&resetting_url)
        .build()
        .unwrap()
        .user()
        .get_user("ok")
        .send()
        .await;
    assert!(matches!(reset, Err(Error::Transport { .. })), "{reset:?}");
    run.expect_err("reset", reset);
    let forms = token_forms.lock().unwrap().clone();
    // OAuth modes got their token there before the API call was reset.
    assert_eq!(forms.len(), usize::from(mode.key().is_some()), "{forms:?}");
    run.assertions
        .extend(forms.iter().filter_map(|form| client_assertion(form)));
    let refused = mode
        .builder(&refusing_url())
        .build()
        .unwrap()
        .user()
        .get_user("ok")
        .send()
        .await;
    assert!(
        matches!(refused, Err(Error::Transport { .. })),
        "{refused:?}"
    );
    run.expect_err("refused", refused);

    if mode.key().is_some() {
        let made = client_assertions(&server.received_requests().await.unwrap());
        // One token for all calls, then a new one after the 401 dropped it.
        assert!(made.len() >= 2, "{}", made.len());
        run.assertions.extend(made);
        drive_token_endpoint_failures(mode, &mut run).await;
    }
    run
}

/// The token endpoint refuses the client, answers a token response that does not decode, or
/// echoes the request in its error.
async fn drive_token_endpoint_failures(mode: Mode, run: &mut Run) {
    let refused = ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "error": "invalid_client",
        "error_description": "The client_assertion signature is invalid."
    }));
    let garbled = ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "token_type": "Bearer",
        "access_token": ACCESS_TOKEN,
        "expires_in": "an hour"
    }));
    token_endpoint_answers(mode, run, "token endpoint 401", refused).await;
    token_endpoint_answers(mode, run, "token response undecodable", garbled).await;
    token_endpoint_answers(mode, run, "token endpoint echoing the request", EchoRequest).await;
}

/// One call through a client of `mode` whose token endpoint answers with `responder`: the call
/// must fail as `Error::Auth`; the error and the assertions the client sent go into `run`.
async fn token_endpoint_answers(
    mode: Mode,
    run: &mut Run,
    what: &'static str,
    responder: impl Respond + 'static,
) {
    let server = MockServer::start().await;
    Mock::given(path("/oauth2/v1/token"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let result = mode
        .builder(&server.uri())
        .build()
        .unwrap()
        .user()
        .get_user("ok")
        .send()
        .await;
    assert!(matches!(result, Err(Error::Auth(_))), "{what}: {result:?}");
    run.expect_err(what, result);
    run.assertions.extend(client_assertions(
        &server.received_requests().await.unwrap(),
    ));
}

/// Length of the fragments searched for: a leak of any 12 consecutive characters of a secret
/// (a secret cut by a 200-character error snippet, one line of a key) is a leak.
const FRAGMENT: usize = 12;

/// Every fragment of every secret of one mode: each `FRAGMENT`-long window of the tokens, of the
/// private key's base64 body (its lines joined, so a key printed on one line is caught too, and
/// each line alone) and of the client assertions' signatures (the part that makes a JWT a
/// credential; a whole JWT contains it).
fn secret_fragments(mode: Mode, assertions: &[String]) -> Vec<String> {
    let mut secrets = vec![
        API_TOKEN.to_owned(),
        BEARER_TOKEN.to_owned(),
        ACCESS_TOKEN.to_owned(),
    ];
    if let Some(pem) = mode.key() {
        let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        secrets.extend(body.iter().map(|line| line.to_string()));
        secrets.push(body.concat());
    }
    for jwt in assertions {
        secrets.push(jwt.rsplit('.').next().unwrap().to_owned());
    }
    let mut fragments: Vec<String> = secrets
        .iter()
        .flat_map(|s| s.as_bytes().windows(FRAGMENT))
        .map(|w| String::from_utf8(w.to_vec()).unwrap())
        .collect();
    fragments.sort();
    fragments.dedup();
    fragments
}

/// The first fragment that `text` contains.
fn leaked<'a>(text: &str, fragments: &'a [String]) -> Option<&'a str> {
    let windows: std::collections::HashSet<&[u8]> = text.as_bytes().windows(FRAGMENT).collect();
    fragments
        .iter()
        .find(|f| windows.contains(f.as_bytes()))
        .map(String::as_str)
}

/// Everything an error shows: `Display`, `Debug` (both forms) and its source chain.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}\n{err:#?}");
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(&format!("\n{s}\n{s:?}"));
        source = s.source();
    }
    text
}

#[tokio::test]
async fn no_secret_of_any_auth_mode_reaches_logs_errors_or_debug_output() {
    capture_log_records();
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mut checked = Vec::new();

    for mode in [
        Mode::ApiToken,
        Mode::Bearer,
        Mode::OAuthPkcs8,
        Mode::OAuthPkcs1,
    ] {
        let run = drive(mode).await;
        let fragments = secret_fragments(mode, &run.assertions);
        let mut outputs = vec![
            ("the trace output".to_owned(), capture.text()),
            (
                "the log records".to_owned(),
                LOG_RECORDS.lock().unwrap().clone(),
            ),
        ];
        for (scenario, err) in &run.errors {
            outputs.push((format!("the {scenario} error"), shown(err)));
        }
        for debug in &run.debug_shown {
            outputs.push(("a Debug output".to_owned(), debug.clone()));
        }
        for (what, text) in &outputs {
            if let Some(fragment) = leaked(text, &fragments) {
                panic!("{mode:?}: secret fragment {fragment:?} in {what}:\n{text}");
            }
        }
        checked.push((mode, run.errors.len(), fragments.len()));
    }

    // The capture is real: it saw the requests, the retries, the token fetches and the HTTP
    // stack's own records.
    let trace = capture.text();
    for expected in [
        "span INFO okta.request",
        "operation=\"getUser\"",
        "rate limited by Okta (HTTP 429)",
        "requesting an OAuth 2.0 access token",
        "got an OAuth 2.0 access token",
        "Okta request failed",
    ] {
        assert!(
            trace.contains(expected),
            "{expected:?} not captured:\n{trace}"
        );
    }
    assert!(
        !LOG_RECORDS.lock().unwrap().is_empty(),
        "reqwest's log records were not captured"
    );
    println!("checked (mode, errors, secret fragments): {checked:?}");
    println!(
        "captured: {} bytes of tracing output, {} bytes of log records",
        trace.len(),
        LOG_RECORDS.lock().unwrap().len()
    );
}
