//! Rate-limit prevention, the concurrency cap and the capacity share, in this process's own
//! state: concurrent tasks sharing one client against a server that enforces an Okta-style
//! limit. In the first tests the client's sleeps take no time: its sleeper hook moves the
//! server's clock forward instead (which otherwise runs in real time, like a real server's). The
//! last ones run against `fleet_support::OrgServer` in real time, for a few seconds. Either way
//! the outcomes are counts the server recorded, not timings.
#![cfg(feature = "user")]

mod fleet_support;
mod runtime_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use fleet_support::{unix_now, OrgLimits, OrgServer, Worker, GET_USER};
use okta_generated::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Server time at the start: Wed, 21 Oct 2015 07:28:00 GMT, the start of a window (and far from
/// the local clock, so only the `Date` header can tell the client what time the server thinks it
/// is).
const START: Duration = Duration::from_secs(1_445_412_480);
const WINDOW: Duration = Duration::from_secs(60);

/// An Okta-style fixed-window limit of `limit` requests per minute on one endpoint. Its clock is
/// `START` + real time elapsed + the client's sleeps.
#[derive(Clone)]
struct LimitedServer {
    state: Arc<Mutex<ServerState>>,
}

struct ServerState {
    limit: u64,
    started: Instant,
    slept: Duration,
    window: u64,
    used: u64,
    ok: usize,
    throttled: usize,
}

impl LimitedServer {
    /// `used_before` requests of the first window were already made (by someone else).
    fn new(limit: u64, used_before: u64) -> LimitedServer {
        LimitedServer {
            state: Arc::new(Mutex::new(ServerState {
                limit,
                started: Instant::now(),
                slept: Duration::ZERO,
                window: START.as_secs() / WINDOW.as_secs(),
                used: used_before,
                ok: 0,
                throttled: 0,
            })),
        }
    }

    fn advance(&self, d: Duration) {
        self.state.lock().unwrap().slept += d;
    }

    fn counts(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap();
        (s.ok, s.throttled)
    }
}

impl Respond for LimitedServer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut s = self.state.lock().unwrap();
        let clock = START + s.started.elapsed() + s.slept;
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
            clock.advance(d);
            async {}
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

/// A worker of 16 tasks on this process's own state, calling `server` for `run_for`.
fn in_process_worker(
    server: &OrgServer,
    max_concurrent: u32,
    capacity: u8,
    run_for: Duration,
) -> Worker {
    Worker {
        server: server.url(),
        redis: None,
        key_prefix: String::new(),
        max_concurrent,
        capacity,
        until_ms: (unix_now() + run_for).as_millis() as u64,
        post_every: 0,
        name: "in-process".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_concurrent_requests_caps_what_the_server_sees_in_flight_across_clones() {
    let server = OrgServer::start(OrgLimits {
        limit: 100_000,
        window_secs: 60,
        concurrency: 1_000,
        hold: Duration::from_millis(10),
    });
    let w = in_process_worker(&server, 3, 100, Duration::from_millis(600));
    let outcome = w.run(&w.client()).await;

    assert!(
        outcome.ok > 0 && outcome.rate_limited + outcome.other_errors == 0,
        "{outcome:?}"
    );
    assert!(
        server.max_in_flight() <= 3,
        "{} in flight",
        server.max_in_flight()
    );
    assert!(
        server.max_in_flight() >= 2,
        "16 tasks did overlap: {}",
        server.max_in_flight()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_api_capacity_uses_at_most_that_share_of_each_window() {
    // Two-second windows: see `redis_fleet.rs`.
    let server = OrgServer::start(OrgLimits {
        limit: 30,
        window_secs: 2,
        concurrency: 1_000,
        hold: Duration::from_millis(2),
    });
    let w = in_process_worker(&server, 16, 50, Duration::from_millis(4500));
    w.run(&w.client()).await;

    let most = server.max_window_share(GET_USER);
    assert!(
        most <= 0.5,
        "{:.0}% of a window: {:?}",
        most * 100.0,
        server.windows()
    );
    assert!(
        most >= 0.4,
        "the client used its share: {:?}",
        server.windows()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oauth_token_request_waits_for_a_concurrency_permit_like_any_request() {
    // The server's token lives 60 s, which the client renews a minute early: every call
    // fetches one, while other tasks' calls are in flight. With a cap of 1, the server must
    // never see a token request beside an API request.
    let server = OrgServer::start(OrgLimits {
        limit: 100_000,
        window_secs: 60,
        concurrency: 1_000,
        hold: Duration::from_millis(10),
    });
    let client = Client::builder()
        .base_url(server.url())
        .oauth_private_key_jwt(
            "0oa-test-client",
            runtime_support::TEST_ONLY_KEY_PKCS8,
            None,
            ["okta.users.read"],
        )
        .max_concurrent_requests(1)
        .build()
        .unwrap();
    let calls: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.user().get_user(format!("00u{i}")).send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.max_in_flight(), 1);
}

#[test]
fn concurrency_and_capacity_out_of_range_are_refused_by_build() {
    let builder = || {
        Client::builder()
            .base_url("https://acme.okta.com")
            .api_token("00-t")
    };
    let refused = |b: okta_generated::ClientBuilder| match b.build() {
        Err(Error::Config(message)) => message,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        refused(builder().max_concurrent_requests(0)),
        "max_concurrent_requests must be at least 1"
    );
    for percent in [0, 101] {
        assert_eq!(
            refused(builder().max_api_capacity(percent)),
            format!("max_api_capacity must be a percentage from 1 to 100, not {percent}")
        );
    }
    assert_eq!(
        refused(builder().max_api_capacity(50).rate_limit_prevention(false)),
        "max_api_capacity needs rate-limit prevention, which is off"
    );
    let client = builder()
        .max_concurrent_requests(75)
        .max_api_capacity(50)
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("max_concurrent_requests: Some(75)"),
        "{shown}"
    );
    assert!(shown.contains("max_api_capacity: 50"), "{shown}");
    assert!(
        shown.contains("rate_limit_store: \"in-process\""),
        "{shown}"
    );
}
