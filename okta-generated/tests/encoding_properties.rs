//! Property tests of path and query encoding, end to end: generated builders send real requests
//! to a local server that records the raw request line, and what it received must decode back to
//! exactly the values the caller passed, each in its own segment or under its own name.
//!
//! Reproduce a failure with the seed proptest prints (`PROPTEST_RNG_SEED`), or raise the case
//! count with `PROPTEST_CASES`.

use std::sync::mpsc;

use okta_generated::{Client, Error};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use reqwest::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

/// Cases per property (each is one real HTTP exchange over loopback).
const CASES: u32 = 512;

/// Strings made to break URLs: every character that means something in a URL or a query,
/// percent signs that look like escapes, controls, dots, non-ASCII and astral characters, mixed
/// with arbitrary Unicode scalar values; and a few whole values that are escapes already.
fn hostile_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '/', '?', '#', '%', '+', ' ', '&', '=', ';', ':', '@', '.', '\\', '[', ']', '{', '}', '"',
        '\'', '<', '>', '`', '|', '^', '~', '-', '_', '!', '$', '*', ',', '\0', '\t', '\n', '\r',
        '\u{7f}', '\u{85}', '\u{a0}', '\u{200b}', '\u{feff}', 'é', '日', '😀',
    ]);
    let chars = prop::collection::vec(prop_oneof![special, any::<char>()], 0..24);
    prop_oneof![
        4 => chars.prop_map(String::from_iter),
        1 => prop::sample::select(vec![
            "", ".", "..", "...", "%2e", "%2E%2e", "%", "%%", "%zz", "%2F", "a%20b", "+%2B", "/",
            "?", "#", "a/../b",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A loopback HTTP/1.1 server that sends the raw request target (`/api/v1/users/x?q=1`) of
/// every request it receives to the returned channel, and answers with a body that fits the
/// path: `[]` for the user list, a user for anything else (one request per connection).
struct RecordingServer {
    url: String,
    targets: mpsc::Receiver<String>,
}

fn recording_server(rt: &Runtime) -> RecordingServer {
    let (tx, targets) = mpsc::channel();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let request_line = head.lines().next().unwrap_or_default();
                // "METHOD target HTTP/1.1": the target is sent exactly as received.
                let target = request_line
                    .split(' ')
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                let body = if target.split('?').next() == Some("/api/v1/users") {
                    "[]".to_owned()
                } else {
                    r#"{"id":"00u1","status":"ACTIVE"}"#.to_owned()
                };
                let _ = tx.send(target);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    RecordingServer { url, targets }
}

fn setup() -> (Runtime, RecordingServer, Client) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = recording_server(&rt);
    let client = Client::builder()
        .base_url(&server.url)
        .api_token("00-encoding-test")
        .max_retries(0)
        .build()
        .unwrap();
    (rt, server, client)
}

impl RecordingServer {
    /// The one request target the server received for the call just made.
    fn only_target(&self) -> Result<String, TestCaseError> {
        let target = self
            .targets
            .recv_timeout(std::time::Duration::from_secs(10))
            .map_err(|_| TestCaseError::fail("the server received no request"))?;
        prop_assert!(self.targets.try_recv().is_err(), "more than one request");
        Ok(target)
    }

    fn received_nothing(&self) -> bool {
        self.targets.try_recv().is_err()
    }

    /// Forgets requests left over from a failed case, so shrinking starts from a clean slate.
    fn drain(&self) {
        while self.targets.try_recv().is_ok() {}
    }
}

/// Splits a request target into its decoded path segments and its query, exactly as received.
fn split_target(target: &str) -> (Vec<String>, Option<String>) {
    let url = Url::parse(&format!("http://okta.test{target}")).unwrap();
    // The URL parser must not have changed the path (dot segments, re-encoding).
    assert_eq!(url.path(), target.split('?').next().unwrap(), "{target}");
    let segments = url
        .path_segments()
        .unwrap()
        .map(|s| percent_decode_str(s).decode_utf8().unwrap().into_owned())
        .collect();
    (segments, url.query().map(str::to_owned))
}

/// The query's pairs decoded by RFC 3986 rules (`+` is a plus), which must agree with
/// form decoding (`+` is a space) because the client never sends a bare `+`.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode_str(s).decode_utf8().unwrap().into_owned();
    let rfc3986: Vec<(String, String)> = query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    let form: Vec<(String, String)> = url_form_pairs(query);
    assert_eq!(rfc3986, form, "{query}");
    rfc3986
}

fn url_form_pairs(query: &str) -> Vec<(String, String)> {
    let mut url = Url::parse("http://okta.test/").unwrap();
    url.set_query(Some(query));
    url.query_pairs().into_owned().collect()
}

fn is_refused(s: &str) -> bool {
    s.is_empty() || s == "." || s == ".."
}

#[test]
fn get_user_id_arrives_as_exactly_one_segment_or_is_refused_before_sending() {
    let (rt, server, client) = setup();
    proptest!(ProptestConfig::with_cases(CASES), |(id in hostile_string())| {
        server.drain();
        let result = rt.block_on(client.user().get_user(id.clone()).send());
        if is_refused(&id) {
            // `""` would be list users, `.`/`..` would be resolved away: a clear error, no call.
            match result {
                Err(Error::Config(msg)) => prop_assert!(msg.contains("`id`"), "{msg}"),
                other => prop_assert!(false, "{id:?}: expected Error::Config, got {other:?}"),
            }
            prop_assert!(server.received_nothing(), "{id:?} was sent");
            return Ok(());
        }
        let user = result.map_err(|e| TestCaseError::fail(format!("{id:?}: {e}")))?;
        prop_assert_eq!(user.id.as_deref(), Some("00u1"));
        let target = server.only_target()?;
        let (segments, query) = split_target(&target);
        prop_assert_eq!(segments, vec!["api", "v1", "users", id.as_str()], "{}", target);
        prop_assert_eq!(query, None);
    });
}

#[test]
fn three_path_params_each_arrive_in_their_own_segment() {
    let (rt, server, client) = setup();
    let params = (hostile_string(), hostile_string(), hostile_string());
    proptest!(ProptestConfig::with_cases(CASES), |((a, b, c) in params)| {
        server.drain();
        let call = client.user().assign_linked_object_value_for_primary(a.clone(), b.clone(), c.clone());
        let result = rt.block_on(call.send());
        if is_refused(&a) || is_refused(&b) || is_refused(&c) {
            prop_assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
            prop_assert!(server.received_nothing());
            return Ok(());
        }
        result.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let target = server.only_target()?;
        let (segments, _) = split_target(&target);
        let expected = ["api", "v1", "users", &a, "linkedObjects", &b, &c];
        prop_assert_eq!(segments, expected, "{}", target);
    });
}

#[test]
fn path_param_before_a_query_keeps_both_intact() {
    // `POST /api/v1/users/{id}/lifecycle/expire_password_with_temp_password?revokeSessions=true`
    let (rt, server, client) = setup();
    proptest!(ProptestConfig::with_cases(CASES), |(id in hostile_string())| {
        server.drain();
        let call = client
            .user()
            .expire_password_with_temp_password(id.clone())
            .revoke_sessions(true);
        let result = rt.block_on(call.send());
        if is_refused(&id) {
            prop_assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
            prop_assert!(server.received_nothing());
            return Ok(());
        }
        result.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let target = server.only_target()?;
        let (segments, query) = split_target(&target);
        let expected = [
            "api", "v1", "users", &id, "lifecycle", "expire_password_with_temp_password",
        ];
        prop_assert_eq!(segments, expected, "{}", target);
        prop_assert_eq!(query.as_deref(), Some("revokeSessions=true"));
    });
}

#[test]
fn query_values_arrive_exactly_under_their_own_names() {
    let (rt, server, client) = setup();
    let values = (
        hostile_string(),
        hostile_string(),
        hostile_string(),
        hostile_string(),
    );
    proptest!(ProptestConfig::with_cases(CASES), |((q, after, filter, search) in values)| {
        server.drain();
        let call = client
            .user()
            .list_users()
            .q(q.clone())
            .after(after.clone())
            .filter(filter.clone())
            .search(search.clone())
            .limit(-7);
        let page = rt
            .block_on(call.send())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(page.items().is_empty());
        let target = server.only_target()?;
        let (segments, query) = split_target(&target);
        prop_assert_eq!(segments, ["api", "v1", "users"]);
        let mut received = query_pairs(&query.unwrap_or_default());
        received.sort();
        let mut sent: Vec<(String, String)> = [
            ("q", q), ("after", after), ("filter", filter), ("search", search),
            ("limit", "-7".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        sent.sort();
        prop_assert_eq!(received, sent, "{}", target);
    });
}

/// Regression: `get_user("")` used to request `/api/v1/users/` (Okta's *list users*), and
/// `get_user("..")` `/api/v1/` (the URL parser resolved the dot segment). Both are refused now,
/// with the operation and parameter named, before anything is sent.
#[test]
fn empty_or_dot_path_param_is_a_config_error_and_nothing_is_sent() {
    let (rt, server, client) = setup();
    for id in ["", ".", ".."] {
        for result in [
            rt.block_on(client.user().get_user(id).send()).map(drop),
            rt.block_on(client.user().delete_user(id).send()),
        ] {
            match result {
                Err(Error::Config(msg)) => {
                    assert!(msg.contains("path parameter `id`"), "{msg}");
                    assert!(
                        msg.starts_with("getUser:") || msg.starts_with("deleteUser:"),
                        "{msg}"
                    );
                }
                other => panic!("{id:?}: expected Error::Config, got {other:?}"),
            }
        }
    }
    assert!(server.received_nothing());
}
