//! Fault injection: 10,000 generated calls (GET, PUT, POST, DELETE) from 16 concurrent tasks
//! against a loopback server that misbehaves at the byte level: it resets connections (before
//! reading the body, after reading the request, mid-response), answers 503 with an HTML page and
//! 429 with rate-limit headers, stalls past the client's timeout, and cuts bodies short
//! (`Content-Length` larger than what it sends, a chunked body without its last chunk, and JSON cut
//! in the middle with correct framing), or answers with bytes that are not HTTP at all.
//!
//! The faults are not drawn per request but per *call*, from a seeded RNG: call `n` gets a fixed
//! list of faults, one per attempt, then a normal answer. The server identifies the call from the
//! user id in the path (or the login in a create request's body), so both the server and the
//! checker know exactly what every call must end with and how many attempts it may make. Asserted:
//!
//! - every call ends in success or a typed error: none hangs (a generous per-call deadline counts
//!   as a failure), none panics;
//! - every call ends exactly as its faults dictate: an idempotent call whose faults stayed within
//!   its retry budget succeeds, and each error kind matches the fault that ended the call;
//! - the server sees exactly the attempts the retry policy allows, and no POST arrives again
//!   after the server processed it (or may have: a reset after reading, a cut response, a stall);
//! - every retried body arrives complete.
//!
//! The seed is printed; `OKTA_FAULT_SEED=<seed> cargo test -p okta-generated --test
//! fault_injection -- --nocapture` replays a run. No timing is asserted.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use okta_generated::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CALLS: usize = 10_000;
const TASKS: usize = 16;
/// The client's retry budget (its default).
const MAX_RETRIES: u32 = 2;
/// Per-attempt timeout of the client used for calls whose faults include a stall: long enough
/// that a normal answer on a loaded machine never reaches it (a stalled task waits while the
/// others keep the CPU busy, so it costs little wall time).
const STALL_CLIENT_TIMEOUT: Duration = Duration::from_secs(1);
/// Per-attempt timeout of the client used for all other calls: never reached on loopback.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// A call still running after this has hung: counted as a failure.
const CALL_DEADLINE: Duration = Duration::from_secs(60);
/// Longest rate-limit wait the client accepts; `RateLimitedBeyondMaxWait` resets later than this.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(10);
/// `Date` of the 429s (Wed, 21 Oct 2015 07:28:00 GMT) and its Unix time: the client measures the
/// reset against it. The sleeper hook returns at once, so no wait is real.
const DATE: &str = "Wed, 21 Oct 2015 07:28:00 GMT";
const DATE_UNIX: u64 = 1_445_412_480;
/// A stalled connection is closed by the server after this if the client never gives up.
const STALL_LIMIT: Duration = Duration::from_secs(30);

/// The generated actions called, covering every method and both kinds of response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    /// `GET /api/v1/users/{id}` → `User`
    Get,
    /// `PUT /api/v1/users/{id}` → `User`
    Update,
    /// `DELETE /api/v1/users/{id}` → empty
    Delete,
    /// `POST /api/v1/users` → `User` (the call is identified by the login in the body)
    Create,
    /// `POST /api/v1/users/{id}` → `User`
    PartialUpdate,
    /// `POST /api/v1/users/{id}/lifecycle/deactivate` → empty
    Deactivate,
}

impl Action {
    const ALL: [Action; 6] = [
        Action::Get,
        Action::Update,
        Action::Delete,
        Action::Create,
        Action::PartialUpdate,
        Action::Deactivate,
    ];

    fn method(self) -> &'static str {
        match self {
            Action::Get => "GET",
            Action::Update => "PUT",
            Action::Delete => "DELETE",
            Action::Create | Action::PartialUpdate | Action::Deactivate => "POST",
        }
    }

    fn idempotent(self) -> bool {
        self.method() != "POST"
    }

    fn returns_user(self) -> bool {
        !matches!(self, Action::Delete | Action::Deactivate)
    }

    fn has_body(self) -> bool {
        matches!(
            self,
            Action::Update | Action::Create | Action::PartialUpdate
        )
    }

    fn operation(self) -> &'static str {
        match self {
            Action::Get => "getUser",
            Action::Update => "replaceUser",
            Action::Delete => "deleteUser",
            Action::Create => "createUser",
            Action::PartialUpdate => "updateUser",
            Action::Deactivate => "deactivateUser",
        }
    }
}

/// What the server does to one attempt instead of answering normally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    /// Reads the request head, then resets (RST) without reading the body or acting.
    ResetBeforeRead,
    /// Reads the whole request and acts on it, then resets without answering.
    ResetAfterRead,
    /// Acts, sends the status line, headers and half the body, then resets.
    ResetMidResponse,
    /// Answers 503 with a load balancer's HTML page, without acting.
    Html503,
    /// Answers 429 with `X-Rate-Limit-Reset` one second after `Date`, without acting.
    RateLimited,
    /// Answers 429 with a reset an hour away (beyond the client's longest wait), without acting.
    RateLimitedBeyondMaxWait,
    /// Acts, then never answers: the client's timeout must fire.
    Stall,
    /// Acts, sends the headers and half the body, then stalls: the timeout covers the body too.
    StallMidBody,
    /// Acts, answers 200 with a `Content-Length` larger than the body it sends, then closes.
    ShortContentLength,
    /// Acts, answers 200 chunked, cuts the body in the middle of a chunk and closes.
    CutChunked,
    /// Acts, answers 200 with correct framing but only the first half of the JSON.
    TruncatedJson,
    /// Acts, answers bytes that are not HTTP (another protocol's banner), then closes.
    NotHttp,
}

/// Relative frequency of each fault. Stalls cost a real client timeout each, so they are rare.
const FAULT_WEIGHTS: [(Fault, u32); 12] = [
    (Fault::ResetBeforeRead, 12),
    (Fault::ResetAfterRead, 12),
    (Fault::ResetMidResponse, 12),
    (Fault::Html503, 12),
    (Fault::RateLimited, 16),
    (Fault::RateLimitedBeyondMaxWait, 3),
    (Fault::Stall, 1),
    (Fault::StallMidBody, 1),
    (Fault::ShortContentLength, 12),
    (Fault::CutChunked, 12),
    (Fault::TruncatedJson, 4),
    (Fault::NotHttp, 4),
];

impl Fault {
    /// Whether the server acted on the request (or may have, as far as the client can tell)
    /// before failing. A POST must never arrive again after such an attempt.
    fn processed(self) -> bool {
        !matches!(
            self,
            Fault::ResetBeforeRead
                | Fault::Html503
                | Fault::RateLimited
                | Fault::RateLimitedBeyondMaxWait
        )
    }

    /// Whether the client's policy retries this failure: a 429 whose reset it is willing to
    /// wait for always (Okta did not process it); resets, cut bodies, stalls and 503s only for
    /// idempotent methods; a decode failure and a far reset never.
    fn retryable(self, idempotent: bool) -> bool {
        match self {
            Fault::RateLimited => true,
            Fault::RateLimitedBeyondMaxWait | Fault::TruncatedJson => false,
            _ => idempotent,
        }
    }

    /// How a call ends when this fault hits its last attempt.
    fn outcome(self, action: Action, retries: u32) -> Outcome {
        match self {
            Fault::ResetBeforeRead
            | Fault::ResetAfterRead
            | Fault::ResetMidResponse
            | Fault::ShortContentLength
            | Fault::CutChunked
            | Fault::NotHttp => Outcome::Transport,
            Fault::Html503 => Outcome::Api503,
            Fault::RateLimited | Fault::RateLimitedBeyondMaxWait => {
                Outcome::RateLimited { retries }
            }
            Fault::Stall | Fault::StallMidBody => Outcome::Timeout,
            // An action without a response body ignores it: the cut JSON is never decoded.
            Fault::TruncatedJson if action.returns_user() => Outcome::Decode,
            Fault::TruncatedJson => Outcome::Success,
        }
    }
}

/// How a call ended, as far as the invariants care.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Success,
    /// `Error::Api` with status 503 and the HTML page's text as its body snippet.
    Api503,
    /// `Error::RateLimited` after this many retries, with Okta's error code.
    RateLimited {
        retries: u32,
    },
    /// `Error::Timeout`.
    Timeout,
    /// `Error::Transport` (not a connect error: none is injected).
    Transport,
    /// `Error::Decode` naming the action.
    Decode,
    /// Anything else: always a failure.
    Unexpected(String),
    /// The call did not end within `CALL_DEADLINE`.
    Hang,
    /// The call panicked.
    Panic(String),
}

impl Outcome {
    fn kind(&self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Api503 => "Error::Api (503 HTML)",
            Outcome::RateLimited { .. } => "Error::RateLimited",
            Outcome::Timeout => "Error::Timeout",
            Outcome::Transport => "Error::Transport",
            Outcome::Decode => "Error::Decode",
            Outcome::Unexpected(_) => "UNEXPECTED",
            Outcome::Hang => "HANG",
            Outcome::Panic(_) => "PANIC",
        }
    }
}

/// The fixed fate of one call: its action and the fault of each attempt (then a normal answer).
#[derive(Debug)]
struct Plan {
    action: Action,
    faults: Vec<Fault>,
}

/// The plan of call `call` under `seed`; the server and the checker derive the same one.
fn plan(seed: u64, call: usize) -> Plan {
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (call as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let action = Action::ALL[rng.usize(..Action::ALL.len())];
    // 0 to MAX_RETRIES + 1 faults: one more than the budget, so exhausting it is exercised too.
    let count = match rng.u32(..100) {
        0..35 => 0,
        35..65 => 1,
        65..85 => 2,
        _ => MAX_RETRIES as usize + 1,
    };
    let total: u32 = FAULT_WEIGHTS.iter().map(|(_, w)| w).sum();
    let faults = (0..count)
        .map(|_| {
            let mut pick = rng.u32(..total);
            for (fault, weight) in FAULT_WEIGHTS {
                if pick < weight {
                    return fault;
                }
                pick -= weight;
            }
            unreachable!("pick < total")
        })
        .collect();
    Plan { action, faults }
}

/// What the retry policy makes of a plan: the call's outcome and how many attempts the server
/// must see.
fn expected(plan: &Plan) -> (Outcome, u32) {
    let mut retries = 0;
    for (attempt, fault) in plan.faults.iter().enumerate() {
        if fault.retryable(plan.action.idempotent()) && retries < MAX_RETRIES {
            retries += 1;
            continue;
        }
        return (fault.outcome(plan.action, retries), attempt as u32 + 1);
    }
    (Outcome::Success, plan.faults.len() as u32 + 1)
}

fn user_id(call: usize) -> String {
    format!("call-{call}")
}

fn login(call: usize) -> String {
    format!("call-{call}@example.com")
}

fn user_json(call: usize) -> String {
    serde_json::json!({
        "id": user_id(call),
        "status": "ACTIVE",
        "created": "2013-06-24T16:39:18.000Z",
        "profile": {"login": login(call), "email": login(call), "firstName": "Fault"},
        "_links": {"self": {"href": format!("https://acme.okta.com/api/v1/users/{}", user_id(call))}},
    })
    .to_string()
}

// ---------------------------------------------------------------------------------------------
// The server

/// What the server saw, for the invariants and the report.
#[derive(Default)]
struct Ledger {
    /// Attempts per call.
    attempts: HashMap<usize, u32>,
    /// Attempts per call that the server acted on (or may have).
    processed: HashMap<usize, u32>,
    /// POST calls that arrived again after an attempt the server had processed.
    post_resent_after_processing: Vec<usize>,
    /// Requests that matched no call, or whose body was not the one sent.
    bad_requests: Vec<String>,
    faults: BTreeMap<Fault, u64>,
}

struct Server {
    seed: u64,
    ledger: Mutex<Ledger>,
    connections: AtomicU64,
}

/// A parsed request head.
struct Head {
    method: String,
    path: String,
    content_length: usize,
}

/// The call and action a request path names, if it names one (create requests do not).
fn call_from_path(method: &str, path: &str) -> Option<(usize, Action)> {
    let rest = path.strip_prefix("/api/v1/users/")?;
    let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let call = id.strip_prefix("call-")?.parse().ok()?;
    let action = match (method, tail) {
        ("GET", "") => Action::Get,
        ("PUT", "") => Action::Update,
        ("DELETE", "") => Action::Delete,
        ("POST", "") => Action::PartialUpdate,
        ("POST", "lifecycle/deactivate") => Action::Deactivate,
        _ => return None,
    };
    Some((call, action))
}

/// The call a create request's body names (`profile.login`).
fn call_from_body(body: &[u8]) -> Option<usize> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let login = value["profile"]["login"].as_str()?;
    login
        .strip_prefix("call-")?
        .strip_suffix("@example.com")?
        .parse()
        .ok()
}

/// Reads until `buf` holds a whole request head; returns its length, `None` at EOF or error.
async fn read_head(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<usize> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(end + 4);
        }
        if !read_more(sock, buf).await {
            return None;
        }
    }
}

async fn read_more(sock: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match sock.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

fn parse_head(head: &[u8]) -> Option<Head> {
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?;
    let path = target.split('?').next()?.to_owned();
    let mut content_length = 0;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().ok()?;
            }
            // The client sends byte bodies with a length; anything else is not handled here.
            if name.eq_ignore_ascii_case("transfer-encoding") {
                return None;
            }
        }
    }
    Some(Head {
        method,
        path,
        content_length,
    })
}

/// Closes with a TCP reset (`SO_LINGER` 0) rather than an orderly shutdown.
fn reset(sock: TcpStream) {
    let _ = sock.set_zero_linger();
    drop(sock);
}

impl Server {
    async fn start(seed: u64) -> (Arc<Server>, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = Arc::new(Server {
            seed,
            ledger: Mutex::default(),
            connections: AtomicU64::new(0),
        });
        let accepting = server.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                accepting.connections.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(accepting.clone().serve(sock));
            }
        });
        (server, url)
    }

    fn bad_request(&self, what: String) {
        self.ledger.lock().unwrap().bad_requests.push(what);
    }

    /// Records an attempt of `call` and returns the fault to inject, if any.
    fn admit(&self, call: usize, action: Action) -> Option<Fault> {
        let plan = plan(self.seed, call);
        let mut ledger = self.ledger.lock().unwrap();
        if plan.action != action {
            ledger.bad_requests.push(format!(
                "call {call}: {action:?}, planned {:?}",
                plan.action
            ));
        }
        let attempts = ledger.attempts.entry(call).or_default();
        let fault = plan.faults.get(*attempts as usize).copied();
        *attempts += 1;
        let processed = *ledger.processed.get(&call).unwrap_or(&0);
        if action.method() == "POST" && processed > 0 {
            ledger.post_resent_after_processing.push(call);
        }
        // A normal answer is processing too.
        let acted = match fault {
            None => true,
            Some(fault) => fault.processed(),
        };
        if acted {
            *ledger.processed.entry(call).or_default() += 1;
        }
        if let Some(fault) = fault {
            *ledger.faults.entry(fault).or_default() += 1;
        }
        fault
    }

    /// Serves one connection (keep-alive) until the client closes it or a fault breaks it.
    async fn serve(self: Arc<Self>, mut sock: TcpStream) {
        let mut buf = Vec::new();
        loop {
            let Some(head_len) = read_head(&mut sock, &mut buf).await else {
                return;
            };
            let Some(head) = parse_head(&buf[..head_len]) else {
                let text = String::from_utf8_lossy(&buf[..head_len]).into_owned();
                return self.bad_request(format!("unparsable head {text:?}"));
            };
            buf.drain(..head_len);

            // A call named by the path can be failed before its body is read.
            let mut admitted = None;
            if let Some((call, action)) = call_from_path(&head.method, &head.path) {
                let fault = self.admit(call, action);
                if fault == Some(Fault::ResetBeforeRead) {
                    return reset(sock);
                }
                admitted = Some((call, action, fault));
            }
            while buf.len() < head.content_length {
                if !read_more(&mut sock, &mut buf).await {
                    return;
                }
            }
            let body: Vec<u8> = buf.drain(..head.content_length).collect();
            let (call, action, fault) = match admitted {
                Some(admitted) => admitted,
                None if head.method == "POST" && head.path == "/api/v1/users" => {
                    let Some(call) = call_from_body(&body) else {
                        let text = String::from_utf8_lossy(&body).into_owned();
                        return self.bad_request(format!("create body names no call: {text:?}"));
                    };
                    let fault = self.admit(call, Action::Create);
                    if fault == Some(Fault::ResetBeforeRead) {
                        return reset(sock);
                    }
                    (call, Action::Create, fault)
                }
                None => {
                    return self.bad_request(format!("{} {}", head.method, head.path));
                }
            };
            // Every attempt, retries included, must carry the whole body.
            if action.has_body() && call_from_body(&body) != Some(call) {
                let text = String::from_utf8_lossy(&body).into_owned();
                self.bad_request(format!("call {call}: body {text:?}"));
            }

            if !respond(&mut sock, call, action, fault).await {
                return match fault {
                    Some(Fault::ResetAfterRead | Fault::ResetMidResponse) => reset(sock),
                    _ => {
                        let _ = sock.shutdown().await;
                    }
                };
            }
        }
    }
}

/// Answers one request as `fault` dictates. Returns whether the connection can serve another.
async fn respond(sock: &mut TcpStream, call: usize, action: Action, fault: Option<Fault>) -> bool {
    let request_id = format!("req-{call}");
    let body = if action.returns_user() {
        user_json(call)
    } else {
        String::new()
    };
    let ok_head = |length: usize| {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\
             x-okta-request-id: {request_id}\r\n\r\n"
        )
    };
    // The first half of a user (or a stand-in when the action returns no body).
    let json = if body.is_empty() {
        user_json(call)
    } else {
        body.clone()
    };
    let half = &json[..json.len() / 2];

    let (bytes, keep_alive): (Vec<u8>, bool) = match fault {
        None => {
            let mut response = ok_head(body.len()).into_bytes();
            response.extend_from_slice(body.as_bytes());
            (response, true)
        }
        Some(Fault::ResetBeforeRead) => unreachable!("handled before the body is read"),
        Some(Fault::ResetAfterRead) => (Vec::new(), false),
        Some(Fault::ResetMidResponse) => {
            let mut response = ok_head(json.len()).into_bytes();
            response.extend_from_slice(half.as_bytes());
            (response, false)
        }
        Some(Fault::Html503) => {
            let page = "<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable\
                        </title></head>\n<body>\n<center><h1>503 Service Temporarily Unavailable\
                        </h1></center>\n<hr><center>nginx</center>\n</body></html>\n";
            let response = format!(
                "HTTP/1.1 503 Service Temporarily Unavailable\r\ncontent-type: text/html\r\n\
                 content-length: {}\r\n\r\n{page}",
                page.len()
            );
            (response.into_bytes(), true)
        }
        Some(fault @ (Fault::RateLimited | Fault::RateLimitedBeyondMaxWait)) => {
            let reset = if fault == Fault::RateLimited {
                DATE_UNIX + 1
            } else {
                DATE_UNIX + 3600
            };
            let error = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaeFault","errorCauses":[]}"#;
            let response = format!(
                "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n\
                 date: {DATE}\r\nx-rate-limit-limit: 600\r\nx-rate-limit-remaining: 0\r\n\
                 x-rate-limit-reset: {reset}\r\nx-okta-request-id: {request_id}\r\n\
                 content-length: {}\r\n\r\n{error}",
                error.len()
            );
            (response.into_bytes(), true)
        }
        Some(fault @ (Fault::Stall | Fault::StallMidBody)) => {
            if fault == Fault::StallMidBody {
                let mut response = ok_head(json.len()).into_bytes();
                response.extend_from_slice(half.as_bytes());
                let _ = sock.write_all(&response).await;
            }
            // Wait for the client to give up (EOF), reading and discarding anything it sends.
            let mut sink = Vec::new();
            let _ = tokio::time::timeout(STALL_LIMIT, async {
                while read_more(sock, &mut sink).await {
                    sink.clear();
                }
            })
            .await;
            return false;
        }
        Some(Fault::ShortContentLength) => {
            let mut response = ok_head(json.len() + 100).into_bytes();
            response.extend_from_slice(json.as_bytes());
            (response, false)
        }
        Some(Fault::CutChunked) => {
            // One whole chunk, then a chunk announced in full but cut in its middle.
            let (first, rest) = json.split_at(json.len() / 3);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                 transfer-encoding: chunked\r\n\r\n{:x}\r\n{first}\r\n{:x}\r\n{}",
                first.len(),
                rest.len(),
                &rest[..rest.len() / 2]
            );
            (response.into_bytes(), false)
        }
        Some(Fault::NotHttp) => (b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec(), false),
        Some(Fault::TruncatedJson) => {
            let mut response = ok_head(half.len()).into_bytes();
            response.extend_from_slice(half.as_bytes());
            (response, true)
        }
    };
    if sock.write_all(&bytes).await.is_err() {
        return false;
    }
    let _ = sock.flush().await;
    keep_alive
}

// ---------------------------------------------------------------------------------------------
// The client side

fn user_body(call: usize) -> serde_json::Value {
    serde_json::json!({"profile": {"login": login(call), "email": login(call), "firstName": "Fault"}})
}

/// Makes the generated call of `plan` and classifies how it ended.
async fn run_call(client: &Client, call: usize, action: Action) -> Outcome {
    let id = user_id(call);
    let users = client.user();
    // The user id Okta answered with, for the calls that answer with a user.
    let result: Result<Option<Option<String>>, Error> = match action {
        Action::Get => users.get_user(&id).send().await.map(|u| Some(u.id)),
        Action::Update => {
            let body = serde_json::from_value(user_body(call)).unwrap();
            users
                .replace_user(&id, body)
                .send()
                .await
                .map(|u| Some(u.id))
        }
        Action::Delete => users.delete_user(&id).send().await.map(|()| None),
        Action::Create => {
            let body = serde_json::from_value(user_body(call)).unwrap();
            users.create_user(body).send().await.map(|u| Some(u.id))
        }
        Action::PartialUpdate => {
            let body = serde_json::from_value(user_body(call)).unwrap();
            users
                .partial_update_user(&id, body)
                .send()
                .await
                .map(|u| Some(u.id))
        }
        Action::Deactivate => users.deactivate_user(&id).send().await.map(|()| None),
    };
    classify(result, call, action)
}

fn classify(result: Result<Option<Option<String>>, Error>, call: usize, action: Action) -> Outcome {
    let unexpected = |what: String| Outcome::Unexpected(what);
    let err = match result {
        Ok(None) => return Outcome::Success,
        Ok(Some(id)) if id.as_deref() == Some(user_id(call).as_str()) => return Outcome::Success,
        Ok(Some(id)) => return unexpected(format!("wrong user {id:?}")),
        Err(err) => err,
    };
    let named = err.to_string().starts_with(action.operation());
    match &err {
        Error::Api(api)
            if named
                && api.status() == 503
                && api
                    .body_snippet()
                    .is_some_and(|s| s.contains("503 Service Temporarily Unavailable")) =>
        {
            Outcome::Api503
        }
        Error::RateLimited { error, retries, .. }
            if named && error.error_code() == Some("E0000047") =>
        {
            Outcome::RateLimited { retries: *retries }
        }
        Error::Timeout { .. } if named => Outcome::Timeout,
        Error::Transport { source, .. } if named && !source.is_connect() => Outcome::Transport,
        Error::Decode { request_id, .. }
            if named && request_id.as_deref() == Some(&format!("req-{call}")) =>
        {
            Outcome::Decode
        }
        _ => unexpected(format!("{err} / {err:?}")),
    }
}

fn seed() -> u64 {
    match std::env::var("OKTA_FAULT_SEED") {
        Ok(seed) => seed.parse().expect("OKTA_FAULT_SEED must be a u64"),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    }
}

fn client(base_url: &str, timeout: Duration, sleeps: Arc<AtomicU64>) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_token("00-fault-injection")
        .timeout(timeout)
        .max_retries(MAX_RETRIES)
        .max_rate_limit_wait(MAX_RATE_LIMIT_WAIT)
        // Retries do not sleep for real: the waits are counted, not slept.
        .sleeper(move |_| {
            sleeps.fetch_add(1, Ordering::Relaxed);
            async {}
        })
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_under_injected_faults_end_as_their_faults_dictate() {
    let seed = seed();
    println!("fault injection seed: {seed} (replay with OKTA_FAULT_SEED={seed})");
    let started = Instant::now();
    let (server, url) = Server::start(seed).await;
    let sleeps = Arc::new(AtomicU64::new(0));
    let normal = client(&url, CLIENT_TIMEOUT, sleeps.clone());
    let stalling = client(&url, STALL_CLIENT_TIMEOUT, sleeps.clone());

    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (next, normal, stalling) = (next.clone(), normal.clone(), stalling.clone());
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                loop {
                    let call = next.fetch_add(1, Ordering::Relaxed);
                    if call >= CALLS {
                        return outcomes;
                    }
                    let plan = plan(seed, call);
                    // Only calls that will stall use the client with the short timeout.
                    let stalls = plan
                        .faults
                        .iter()
                        .any(|f| matches!(f, Fault::Stall | Fault::StallMidBody));
                    let client = if stalls { &stalling } else { &normal };
                    let run = AssertUnwindSafe(run_call(client, call, plan.action)).catch_unwind();
                    let outcome = match tokio::time::timeout(CALL_DEADLINE, run).await {
                        Err(_) => Outcome::Hang,
                        Ok(Err(panic)) => Outcome::Panic(
                            panic
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_default(),
                        ),
                        Ok(Ok(outcome)) => outcome,
                    };
                    outcomes.push((call, outcome));
                }
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(CALLS);
    for task in tasks {
        outcomes.extend(task.await.expect("worker task"));
    }
    let elapsed = started.elapsed();
    outcomes.sort_by_key(|(call, _)| *call);

    // Compare every call with what its plan dictates.
    let ledger = server.ledger.lock().unwrap();
    let mut mismatches = Vec::new();
    let mut by_kind: BTreeMap<&str, u64> = BTreeMap::new();
    let mut by_action: BTreeMap<String, u64> = BTreeMap::new();
    let (mut within_budget, mut within_budget_succeeded) = (0, 0);
    let mut server_retries = 0;
    for (call, outcome) in &outcomes {
        let plan = plan(seed, *call);
        let (want, want_attempts) = expected(&plan);
        let attempts = ledger.attempts.get(call).copied().unwrap_or(0);
        server_retries += u64::from(attempts.saturating_sub(1));
        *by_kind.entry(outcome.kind()).or_default() += 1;
        *by_action.entry(format!("{:?}", plan.action)).or_default() += 1;
        let budget_allows = plan.action.idempotent()
            && plan.faults.len() <= MAX_RETRIES as usize
            && plan.faults.iter().all(|f| f.retryable(true));
        if budget_allows {
            within_budget += 1;
            within_budget_succeeded += u64::from(*outcome == Outcome::Success);
        }
        if *outcome != want || attempts != want_attempts {
            mismatches.push(format!(
                "call {call} {:?} faults {:?}: got {outcome:?} after {attempts} attempts, \
                 expected {want:?} after {want_attempts}",
                plan.action, plan.faults
            ));
        }
    }

    println!(
        "calls: {} from {TASKS} tasks, by action: {by_action:?}",
        outcomes.len()
    );
    println!(
        "faults injected: {} {:?}",
        ledger.faults.values().sum::<u64>(),
        ledger.faults
    );
    println!(
        "retries seen by the server: {server_retries}; client retry sleeps: {}; connections: {}",
        sleeps.load(Ordering::Relaxed),
        server.connections.load(Ordering::Relaxed)
    );
    println!("outcomes: {by_kind:?}");
    println!("idempotent calls within their retry budget: {within_budget}, succeeded: {within_budget_succeeded}");
    println!(
        "POSTs resent after processing: {}",
        ledger.post_resent_after_processing.len()
    );
    println!("elapsed: {elapsed:.1?} (not asserted)");

    assert_eq!(outcomes.len(), CALLS);
    let failures: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Hang | Outcome::Panic(_)))
        .collect();
    assert!(
        failures.is_empty(),
        "hung or panicked (seed {seed}): {failures:?}"
    );
    let resent = &ledger.post_resent_after_processing;
    assert!(
        resent.is_empty(),
        "{} POSTs sent again after the server processed them (seed {seed}), e.g. calls {:?}",
        resent.len(),
        &resent[..resent.len().min(20)]
    );
    assert!(
        ledger.bad_requests.is_empty(),
        "malformed requests (seed {seed}): {:?}",
        &ledger.bad_requests[..ledger.bad_requests.len().min(20)]
    );
    assert_eq!(
        within_budget, within_budget_succeeded,
        "idempotent calls whose faults stayed within the retry budget must succeed (seed {seed})"
    );
    assert!(
        mismatches.is_empty(),
        "{} calls did not end as their faults dictate (seed {seed}):\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(30)].join("\n")
    );
    // Every kind of fault was injected, so every path above was exercised.
    for (fault, _) in FAULT_WEIGHTS {
        assert!(
            ledger.faults.get(&fault).is_some_and(|n| *n > 0),
            "{fault:?} never injected"
        );
    }
}

/// The planner itself: deterministic per seed and call, and the expected outcomes follow the
/// retry policy (checked on hand-written plans, independent of the RNG).
#[test]
fn expected_outcomes_follow_the_retry_policy() {
    assert_eq!(format!("{:?}", plan(7, 42)), format!("{:?}", plan(7, 42)));
    let p = |action, faults: &[Fault]| Plan {
        action,
        faults: faults.to_vec(),
    };
    use Action::*;
    use Fault::*;
    assert_eq!(expected(&p(Get, &[])), (Outcome::Success, 1));
    assert_eq!(expected(&p(Get, &[Stall, Html503])), (Outcome::Success, 3));
    assert_eq!(
        expected(&p(Get, &[Stall, Html503, CutChunked])),
        (Outcome::Transport, 3)
    );
    assert_eq!(
        expected(&p(Delete, &[RateLimited, RateLimited, RateLimited])),
        (Outcome::RateLimited { retries: 2 }, 3)
    );
    // POST: a 429 is retried (Okta did not act), anything ambiguous is not.
    assert_eq!(expected(&p(Create, &[RateLimited])), (Outcome::Success, 2));
    assert_eq!(
        expected(&p(Create, &[ResetBeforeRead])),
        (Outcome::Transport, 1)
    );
    assert_eq!(expected(&p(Deactivate, &[Html503])), (Outcome::Api503, 1));
    assert_eq!(
        expected(&p(PartialUpdate, &[RateLimited, RateLimitedBeyondMaxWait])),
        (Outcome::RateLimited { retries: 1 }, 2)
    );
    assert_eq!(expected(&p(Update, &[TruncatedJson])), (Outcome::Decode, 1));
    assert_eq!(
        expected(&p(Delete, &[TruncatedJson])),
        (Outcome::Success, 1)
    );
}
