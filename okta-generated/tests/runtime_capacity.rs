//! The concurrency cap and the capacity share in this process's own state: 16 tasks against
//! `fleet_support::OrgServer`, in real time, for a few seconds; the outcomes are counts the
//! server recorded, not timings. (A test binary of its own: its load would otherwise overlap the
//! virtual-clock tests of `runtime_rate_limit.rs`.)
#![cfg(feature = "user")]

mod fleet_support;
mod runtime_support;

use std::time::Duration;

use fleet_support::{unix_now, OrgLimits, OrgServer, Worker, GET_USER};
use okta_generated::{Client, Error};

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
