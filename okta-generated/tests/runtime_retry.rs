//! Retries and rate limits. Delays are recorded by the client's sleeper hook instead of slept.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use okta_generated::{Client, ClientBuilder, Error};
use reqwest::Method;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod runtime_support;
use runtime_support::{call, call_json, mount, mount_first_then};

/// `Date` of the mocked 429s: Wed, 21 Oct 2015 07:28:00 GMT = 1445412480 (Unix). Far from the
/// local clock, so a wait derived from it proves the client measured against `Date`.
const DATE: &str = "Wed, 21 Oct 2015 07:28:00 GMT";
const DATE_UNIX: u64 = 1_445_412_480;

const USERS: &str = "/api/v1/users";
const GROUPS: &str = "/api/v1/groups";

/// The delays the client's retries asked for, in order.
#[derive(Clone, Default)]
struct Delays(Arc<Mutex<Vec<Duration>>>);

impl Delays {
    fn recorded(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// A client whose retries record their delay and return at once.
fn client(base_url: &str) -> (Client, Delays) {
    client_with(base_url, |builder| builder)
}

/// [`client`], with `configure` applied to its builder.
fn client_with(
    base_url: &str,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (Client, Delays) {
    let delays = Delays::default();
    let recorder = delays.clone();
    let builder = Client::builder()
        .base_url(base_url)
        .api_token("00-test-token")
        .sleeper(move |d| {
            recorder.0.lock().unwrap().push(d);
            async {}
        });
    (configure(builder).build().unwrap(), delays)
}

/// A mock server answering the first `verb` request with `first`, every later one with `rest`.
async fn server_answering_first_then(
    verb: &str,
    first: ResponseTemplate,
    rest: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    mount_first_then(&server, || method(verb), first, rest).await;
    server
}

/// A mock server answering every `verb` request with `template`.
async fn server_answering(verb: &str, template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    mount(&server, method(verb), template).await;
    server
}

fn ok_json(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn rate_limited(reset: u64) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .set_body_json(serde_json::json!({
            "errorCode": "E0000047",
            "errorSummary": "API call exceeded rate limit due to too many requests.",
            "errorLink": "E0000047",
            "errorId": "oaeRATE",
            "errorCauses": []
        }))
        .insert_header("date", DATE)
        .insert_header("x-rate-limit-limit", "600")
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header("x-rate-limit-reset", reset.to_string().as_str())
        .insert_header("x-okta-request-id", "req-429")
}

/// Counts requests and answers with a fixed template.
struct Counting(Arc<AtomicUsize>, ResponseTemplate);
impl Respond for Counting {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0.fetch_add(1, Ordering::SeqCst);
        self.1.clone()
    }
}

#[tokio::test]
async fn rate_limited_request_waits_until_reset_measured_against_date_then_succeeds() {
    let server = server_answering_first_then(
        "GET",
        rate_limited(DATE_UNIX + 5),
        ok_json(serde_json::json!({"ok": true})),
    )
    .await;
    let (client, delays) = client(&server.uri());
    let response = call(&client, Method::GET, USERS).await.unwrap();
    assert_eq!(response.status(), 200);

    let delays = delays.recorded();
    assert_eq!(delays.len(), 1, "{delays:?}");
    // reset - date = 5 s, plus 1 s for the headers' one-second resolution, plus < 250 ms jitter.
    assert!(delays[0] >= Duration::from_secs(6), "{delays:?}");
    assert!(delays[0] < Duration::from_millis(6250), "{delays:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn rate_limit_retries_exhausted_return_rate_limited_with_body_and_reset() {
    let server = server_answering("GET", rate_limited(DATE_UNIX + 2)).await;
    let (client, delays) = client(&server.uri());
    let err = call(&client, Method::GET, USERS).await.unwrap_err();
    match &err {
        Error::RateLimited {
            operation,
            error,
            limit,
            remaining,
            reset,
            retries,
        } => {
            assert_eq!(*operation, "genericRequest");
            assert_eq!(error.status(), 429);
            assert_eq!(error.error_code(), Some("E0000047"));
            assert_eq!(error.request_id(), Some("req-429"));
            assert_eq!((*limit, *remaining), (Some(600), Some(0)));
            assert_eq!(*reset, Some(DATE_UNIX + 2));
            assert_eq!(*retries, 2, "default max_retries is 2");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.to_string().contains("E0000047"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(delays.recorded().len(), 2);
}

#[tokio::test]
async fn rate_limit_reset_beyond_the_max_wait_fails_fast() {
    let server = server_answering("GET", rate_limited(DATE_UNIX + 3600)).await;
    let (client, delays) = client_with(&server.uri(), |b| {
        b.max_rate_limit_wait(Duration::from_secs(60))
    });
    let err = call(&client, Method::GET, USERS).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retries: 0, .. }),
        "{err:?}"
    );
    assert!(delays.recorded().is_empty());
}

#[tokio::test]
async fn post_is_retried_after_429() {
    let server = server_answering_first_then(
        "POST",
        rate_limited(DATE_UNIX + 1),
        ok_json(serde_json::json!({"id": "u1"})),
    )
    .await;
    let (client, delays) = client(&server.uri());
    let body = serde_json::json!({"profile": {"login": "a@example.com"}});
    call_json(&client, Method::POST, USERS, &body)
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body, "same body re-sent");
    assert_eq!(delays.recorded().len(), 1);
}

#[tokio::test]
async fn get_is_retried_after_a_503_html_page_then_succeeds() {
    let server = server_answering_first_then(
        "GET",
        ResponseTemplate::new(503)
            .set_body_raw("<html><body>Service Unavailable</body></html>", "text/html"),
        ok_json(serde_json::json!([])),
    )
    .await;
    let (client, delays) = client(&server.uri());
    let response = call(&client, Method::GET, GROUPS).await.unwrap();
    assert_eq!(response.status(), 200);
    let delays = delays.recorded();
    assert_eq!(delays.len(), 1);
    // First backoff: 500 ms base, "equal jitter" → between 250 and 500 ms.
    assert!(delays[0] >= Duration::from_millis(250) && delays[0] <= Duration::from_millis(500));
}

#[tokio::test]
async fn get_gives_up_after_max_retries_of_502_with_the_last_error() {
    let count = Arc::new(AtomicUsize::new(0));
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Counting(count.clone(), ResponseTemplate::new(502)))
        .mount(&server)
        .await;
    let (client, _) = client_with(&server.uri(), |b| b.max_retries(3));
    let err = call(&client, Method::GET, GROUPS).await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::BAD_GATEWAY));
    assert_eq!(count.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn post_is_not_retried_after_a_5xx() {
    let server = MockServer::start().await;
    for status in [500, 502, 503, 504] {
        let count = Arc::new(AtomicUsize::new(0));
        let guard = Mock::given(method("POST"))
            .respond_with(Counting(count.clone(), ResponseTemplate::new(status)))
            .mount_as_scoped(&server)
            .await;
        let (client, delays) = client(&server.uri());
        let body = serde_json::json!({});
        let err = call_json(&client, Method::POST, USERS, &body)
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(count.load(Ordering::SeqCst), 1, "POST after {status}");
        assert!(delays.recorded().is_empty());
        drop(guard);
    }
}

/// A server that accepts connections and drops them without answering; counts the accepts.
async fn resetting_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepts = Arc::new(AtomicUsize::new(0));
    let counter = accepts.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (url, accepts)
}

#[tokio::test]
async fn post_is_not_retried_after_the_connection_drops_mid_request() {
    let (url, accepts) = resetting_server().await;
    let (client, delays) = client(&url);
    let body = serde_json::json!({"profile": {}});
    let err = call_json(&client, Method::POST, USERS, &body)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepts.load(Ordering::SeqCst), 1);
    assert!(delays.recorded().is_empty());
}

#[tokio::test]
async fn get_is_retried_after_the_connection_drops() {
    let (url, accepts) = resetting_server().await;
    let (client, delays) = client(&url);
    let err = call(&client, Method::GET, USERS).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepts.load(Ordering::SeqCst), 3);
    assert_eq!(delays.recorded().len(), 2);
}

#[tokio::test]
async fn post_is_retried_after_a_connect_error_because_nothing_was_sent() {
    // Bind to get a free port, then close it: connecting is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let (client, delays) = client(&url);
    let err = call(&client, Method::POST, USERS).await.unwrap_err();
    match &err {
        Error::Transport { source, .. } => assert!(source.is_connect(), "{source:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(delays.recorded().len(), 2, "retried twice");
}

/// A mock server whose `verb` responses come after 5 s.
async fn slow_server(verb: &str) -> MockServer {
    server_answering(
        verb,
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
    )
    .await
}

#[tokio::test]
async fn slow_response_is_a_timeout_error() {
    let server = slow_server("POST").await;
    let (client, delays) = client_with(&server.uri(), |b| b.timeout(Duration::from_millis(100)));
    let err = call(&client, Method::POST, USERS).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "genericRequest"
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("timed out"));
    assert!(
        delays.recorded().is_empty(),
        "a timed-out POST is not repeated"
    );
}

#[tokio::test]
async fn timed_out_get_is_retried() {
    let server = slow_server("GET").await;
    let (client, delays) = client_with(&server.uri(), |b| {
        b.timeout(Duration::from_millis(100)).max_retries(1)
    });
    let err = call(&client, Method::GET, USERS).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(delays.recorded().len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
