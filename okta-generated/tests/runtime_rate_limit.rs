//! Rate-limit prevention: concurrent tasks sharing one client against a server that enforces an
//! Okta-style limit. The client's sleeps take no time: its sleeper hook moves the server's clock
//! forward instead (which otherwise runs in real time, like a real server's), so the outcomes are
//! counts, not timings. As in real time, a sleep of `d` ends at the server's time when it began
//! plus `d` (tasks that sleep at once sleep side by side: the clock moves to the latest end, not
//! by the sum of the sleeps), and the clock moves once the server has been idle for [`QUIET`]
//! of real time (a task that sleeps until a reset outlasts every request then in flight). A
//! clock that moved by the sum, or under a request in flight, would put requests in later
//! windows than any real clock does, and made the count of 429s depend on thread scheduling. (The concurrency cap and the capacity share, which run in real time, are
//! in `runtime_capacity.rs`: a test binary of their own, so that their load never overlaps
//! these.)
#![cfg(feature = "user")]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use okta_generated::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Server time at the start: Wed, 21 Oct 2015 07:28:00 GMT, the start of a window (and far from
/// the local clock, so only the `Date` header can tell the client what time the server thinks it
/// is).
const START: Duration = Duration::from_secs(1_445_412_480);
const WINDOW: Duration = Duration::from_secs(60);
/// How long the server must have been idle (real time) before a sleep moves its clock: far
/// longer than a request takes to reach it, on a busy machine too.
const QUIET: Duration = Duration::from_millis(50);

/// An Okta-style fixed-window limit of `limit` requests per minute on one endpoint. Its clock is
/// `START` + real time elapsed + the client's sleeps.
#[derive(Clone)]
struct LimitedServer {
    state: Arc<Mutex<ServerState>>,
}

struct ServerState {
    limit: u64,
    started: Instant,
    /// When the last request came (real time).
    last_request: Instant,
    slept: Duration,
    window: u64,
    used: u64,
    ok: usize,
    throttled: usize,
}

impl ServerState {
    /// The server's time: `START`, plus real time since it started, plus the client's sleeps.
    fn clock(&self) -> Duration {
        START + self.started.elapsed() + self.slept
    }
}

impl LimitedServer {
    /// `used_before` requests of the first window were already made (by someone else).
    fn new(limit: u64, used_before: u64) -> LimitedServer {
        LimitedServer {
            state: Arc::new(Mutex::new(ServerState {
                limit,
                started: Instant::now(),
                last_request: Instant::now(),
                slept: Duration::ZERO,
                window: START.as_secs() / WINDOW.as_secs(),
                used: used_before,
                ok: 0,
                throttled: 0,
            })),
        }
    }

    /// The server's time now.
    fn now(&self) -> Duration {
        self.state.lock().unwrap().clock()
    }

    /// Returns once the server's time is `end`: at once if it is already past, else once no
    /// request has come for [`QUIET`], by moving the clock to `end`.
    async fn sleep_until(&self, end: Duration) {
        loop {
            let idle = {
                let mut s = self.state.lock().unwrap();
                let now = s.clock();
                if now >= end {
                    return;
                }
                let idle = s.last_request.elapsed();
                if idle >= QUIET {
                    s.slept += end - now;
                    return;
                }
                idle
            };
            tokio::time::sleep(QUIET - idle).await;
        }
    }

    fn counts(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap();
        (s.ok, s.throttled)
    }
}

impl Respond for LimitedServer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut s = self.state.lock().unwrap();
        s.last_request = Instant::now();
        let clock = s.clock();
        let window = clock.as_secs() / WINDOW.as_secs();
        if window != s.window {
            s.window = window;
            s.used = 0;
        }
        let reset = (window + 1) * WINDOW.as_secs();
        let allowed = s.used < s.limit;
        let response = if allowed {
            s.used += 1;
            s.ok += 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "00u1"}))
        } else {
            s.throttled += 1;
            ResponseTemplate::new(429).set_body_json(serde_json::json!({
                "errorCode": "E0000047",
                "errorSummary": "API call exceeded rate limit due to too many requests."
            }))
        };
        response
            .insert_header("date", httpdate::fmt_http_date(UNIX_EPOCH + clock).as_str())
            .insert_header("x-rate-limit-limit", s.limit.to_string().as_str())
            .insert_header(
                "x-rate-limit-remaining",
                (s.limit - s.used.min(s.limit)).to_string().as_str(),
            )
            .insert_header("x-rate-limit-reset", reset.to_string().as_str())
    }
}

async fn start(server: &LimitedServer) -> MockServer {
    let mock = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(server.clone())
        .mount(&mock)
        .await;
    mock
}

/// A client whose sleeps advance the server's clock instead of taking time.
fn client(mock: &MockServer, server: &LimitedServer, prevention: bool) -> Client {
    let clock = server.clone();
    Client::builder()
        .base_url(mock.uri())
        .api_token("00-test-token")
        .max_retries(10)
        .max_rate_limit_wait(Duration::from_secs(120))
        .rate_limit_prevention(prevention)
        .sleeper(move |d| {
            let clock = clock.clone();
            let end = clock.now() + d;
            async move { clock.sleep_until(end).await }
        })
        .build()
        .unwrap()
}

/// 16 tasks, each making `per_task` get_user calls through its own clone of `client`.
async fn run_tasks(client: &Client, per_task: usize) -> Vec<Result<(), Error>> {
    let tasks: Vec<_> = (0..16)
        .map(|task| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut results = Vec::new();
                for i in 0..per_task {
                    let id = format!("00u{task}x{i}");
                    results.push(client.user().get_user(id).send().await.map(drop));
                }
                results
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.extend(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clones_stay_within_a_small_limit_without_any_429() {
    let server = LimitedServer::new(5, 0);
    let mock = start(&server).await;
    let client = client(&mock, &server, true);

    let results = run_tasks(&client, 10).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.counts(), (160, 0), "(answered 200, answered 429)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_prevention_the_same_load_overruns_the_limit() {
    // The contrast that shows the test above measures something.
    let server = LimitedServer::new(5, 0);
    let mock = start(&server).await;
    let client = client(&mock, &server, false);

    run_tasks(&client, 10).await;

    let (_, throttled) = server.counts();
    assert!(
        throttled >= 11,
        "16 first requests against 5 slots: {throttled} 429s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_window_used_up_elsewhere_costs_one_429_then_every_task_waits_for_the_reset() {
    // Another client already used the whole first window.
    let server = LimitedServer::new(20, 20);
    let mock = start(&server).await;
    let client = client(&mock, &server, true);

    let results = run_tasks(&client, 3).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // Only the first (probe) request was sent into the exhausted window.
    assert_eq!(server.counts(), (48, 1), "(answered 200, answered 429)");
    let rate = client.last_rate_limit().unwrap();
    assert_eq!(rate.limit, Some(20));
}
