//! The Redis store against a real `redis-server` (started by each test on a free port, killed at
//! its end; without the binary each test says `SKIPPED`, and fails under `CI=true`): what the
//! clients of several processes share, what Redis keeps and for how long, and what happens when
//! Redis is unreachable, stopped or killed. Two clients with stores of their own stand for two
//! processes (each has its own holder name and local state); `redis_fleet.rs` runs real ones.
//!
//! Every call is bounded by a hang detector (a `tokio::time::timeout` far beyond what the calls
//! need): a call that never ends fails the test instead of hanging it. No assertion is on time.

mod fleet_support;
mod runtime_support;

use std::time::Duration;

use fleet_support::{
    redis_or_skip, unix_now, OrgLimits, OrgServer, Outcome, Worker, CREATE_USER, GET_USER,
    SLOW_USER_ID,
};
use okta_generated::{Client, RedisStore};
use runtime_support::Capture;

/// Far beyond what any run here needs: reaching it means a call hung.
const HANG: Duration = Duration::from_secs(60);

/// What the client logs (at debug) when a request's slot outlived its window while it waited.
const SLOT_RETAKEN: &str = "taking a slot of the next window";

fn worker(server: &OrgServer, redis: Option<String>, prefix: &str, run_for: Duration) -> Worker {
    Worker {
        server: server.url(),
        redis,
        key_prefix: prefix.to_owned(),
        max_concurrent: 4,
        capacity: 100,
        until_ms: (unix_now() + run_for).as_millis() as u64,
        post_every: 0,
        name: prefix.to_owned(),
    }
}

/// Runs `workers` at once in this process, each through its own client (own store).
async fn run_all(workers: &[Worker]) -> Vec<Outcome> {
    let runs: Vec<_> = workers
        .iter()
        .map(|w| {
            let w = w.clone();
            tokio::spawn(async move {
                let client = w.client();
                w.run(&client).await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for run in runs {
        outcomes.push(
            tokio::time::timeout(HANG, run)
                .await
                .expect("a call hung")
                .unwrap(),
        );
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_sharing_redis_never_exceed_the_concurrency_cap_between_them() {
    let Some(redis) =
        redis_or_skip("two_clients_sharing_redis_never_exceed_the_concurrency_cap_between_them")
    else {
        return;
    };
    // A budget the run cannot use up: only the concurrency cap holds requests back.
    let server = OrgServer::start(OrgLimits {
        limit: 100_000,
        window_secs: 60,
        concurrency: 4,
        hold: Duration::from_millis(10),
    });
    let w = worker(
        &server,
        Some(redis.url()),
        "okta-test:{cap}",
        Duration::from_millis(1500),
    );
    let outcomes = run_all(&[w.clone(), w]).await;

    assert!(
        server.max_in_flight() <= 4,
        "the server saw {} in flight (cap 4)",
        server.max_in_flight()
    );
    assert_eq!(server.concurrency_429(), 0);
    for o in &outcomes {
        assert!(
            o.ok > 0 && o.rate_limited == 0 && o.other_errors == 0,
            "{o:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_two_clients_without_redis_exceed_it() {
    // The contrast that shows the test above measures something: each client alone keeps to
    // 4, together they do not.
    let server = OrgServer::start(OrgLimits {
        limit: 100_000,
        window_secs: 60,
        concurrency: 1_000,
        hold: Duration::from_millis(10),
    });
    let w = worker(&server, None, "unused", Duration::from_millis(1000));
    run_all(&[w.clone(), w]).await;
    assert!(
        server.max_in_flight() > 4,
        "two clients of 4 each: {} in flight",
        server.max_in_flight()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bucket_and_permit_keys_expire_with_their_window_and_the_request_timeout() {
    let Some(redis) =
        redis_or_skip("bucket_and_permit_keys_expire_with_their_window_and_the_request_timeout")
    else {
        return;
    };
    let server = OrgServer::start(OrgLimits {
        limit: 600,
        window_secs: 60,
        concurrency: 100,
        hold: Duration::from_millis(400),
    });
    let client = Client::builder()
        .base_url(server.url())
        .api_token("00-test-token")
        .max_concurrent_requests(5)
        .timeout(Duration::from_secs(20))
        .rate_limit_store(
            RedisStore::new(redis.url())
                .unwrap()
                .key_prefix("okta-test:{ttl}"),
        )
        .build()
        .unwrap();
    for _ in 0..2 {
        tokio::time::timeout(HANG, client.user().get_user("00u1").send())
            .await
            .expect("a call hung")
            .unwrap();
    }
    // While a request is in flight, this process's permits live for the request timeout plus
    // 10 s.
    let call = tokio::spawn({
        let client = client.clone();
        async move { client.user().get_user("00u1").send().await.map(drop) }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let ttl = pttl(&redis.command(&["PTTL", "okta-test:{ttl}:holders"]));
    assert!(ttl > 0 && ttl <= 30_000, "PTTL {ttl}");
    tokio::time::timeout(HANG, call)
        .await
        .expect("a call hung")
        .unwrap()
        .unwrap();
    // The answers' reports, and the permits, go back a few milliseconds after the calls.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let key = "okta-test:{ttl}:bucket:GET /api/v1/users/{id}";
    let state = redis.command(&["HGET", key, "state"]);
    assert!(state.contains("known"), "{state}");
    let remaining = redis.command(&["HGET", key, "remaining"]);
    assert!(
        remaining.contains("597"),
        "three requests of 600: {remaining}"
    );
    let in_flight = redis.command(&["HGET", key, "in_flight"]);
    assert!(
        in_flight.ends_with("\r\n0\r\n"),
        "every slot reported back: {in_flight:?}"
    );
    // The window ends within 60 s; the key a minute after it.
    let ttl = pttl(&redis.command(&["PTTL", key]));
    assert!(ttl > 60_000 && ttl <= 120_000, "PTTL {ttl}");
    // A process that holds no permit keeps nothing in Redis.
    assert_eq!(
        pttl(&redis.command(&["PTTL", "okta-test:{ttl}:holders"])),
        -2
    );
}

/// A `PTTL` reply (`:12345\r\n`) as a number.
fn pttl(reply: &str) -> i64 {
    reply
        .trim()
        .trim_start_matches(':')
        .parse()
        .unwrap_or_else(|_| panic!("not a PTTL reply: {reply:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_with_half_the_capacity_use_at_most_half_of_each_window_between_them() {
    let Some(redis) = redis_or_skip(
        "two_clients_with_half_the_capacity_use_at_most_half_of_each_window_between_them",
    ) else {
        return;
    };
    // Two-second windows, as in `redis_fleet.rs`.
    let server = OrgServer::start(OrgLimits {
        limit: 40,
        window_secs: 2,
        concurrency: 100,
        hold: Duration::from_millis(2),
    });
    let mut w = worker(
        &server,
        Some(redis.url()),
        "okta-test:{half}",
        Duration::from_millis(4500),
    );
    w.capacity = 50;
    w.max_concurrent = 16;
    run_all(&[w.clone(), w]).await;

    let most = server.max_window_share(GET_USER);
    assert!(
        most <= 0.5,
        "{:.0}% of a window used: {:?}",
        most * 100.0,
        server.windows()
    );
    assert!(
        most >= 0.25,
        "the clients did use the windows: {:?}",
        server.windows()
    );
}

/// A request takes its rate-limit slot, then waits for its concurrency permit. A slot leased from
/// Redis counts in its own window only, so a request still waiting when that window ends must
/// not go out on it (the server would count it in the next window, where the fleet does not):
/// it takes a slot of the next window instead, and is sent on that.
#[tokio::test]
async fn a_request_whose_slot_outlives_its_window_waiting_for_a_permit_takes_one_of_the_next() {
    let Some(redis) = redis_or_skip(
        "a_request_whose_slot_outlives_its_window_waiting_for_a_permit_takes_one_of_the_next",
    ) else {
        return;
    };
    let server = OrgServer::start(OrgLimits {
        limit: 100,
        window_secs: 2,
        concurrency: 100,
        hold: Duration::from_millis(2),
    });
    let capture = Capture::default();
    let _guard = capture.install();
    let client = Client::builder()
        .base_url(server.url())
        .api_token("00-test-token")
        .max_concurrent_requests(1)
        .rate_limit_store(
            RedisStore::new(redis.url())
                .unwrap()
                .key_prefix("okta-test:{outlived}"),
        )
        .build()
        .unwrap();
    let get = |id: &'static str| {
        let client = client.clone();
        tokio::spawn(async move {
            tokio::time::timeout(HANG, client.user().get_user(id).send())
                .await
                .expect("a call hung")
        })
    };
    // The server's clock, learnt from answers whose `Date` straddles its ticks (1.5 s of them).
    for _ in 0..30 {
        get("00u1").await.unwrap().expect("a warm-up call");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !capture.text().contains(SLOT_RETAKEN),
        "no slot outlived its window while nothing waited: {}",
        capture.text()
    );
    // Just before a window ends: the slow call takes the only permit (for 600 ms, well past the
    // end); then a second call takes a slot of the ending window and waits for that permit.
    let w = server.limits.window_secs;
    // The first reset more than half a second away (Unix seconds; windows are aligned to them).
    let secs = (unix_now() + Duration::from_millis(500)).as_secs() + 1;
    let reset = Duration::from_secs(secs.div_ceil(w) * w);
    let until =
        |before_reset: u64| reset.saturating_sub(unix_now() + Duration::from_millis(before_reset));
    // A call in the ending window first, so that its budget is known (no probe to wait for).
    tokio::time::sleep(until(500)).await;
    get("00u1")
        .await
        .unwrap()
        .expect("a call in the ending window");
    tokio::time::sleep(until(300)).await;
    let slow = get(SLOW_USER_ID);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let waiting = get("00u1");
    slow.await.unwrap().expect("the slow call");
    waiting
        .await
        .unwrap()
        .expect("the call that waited for the permit");

    let log = capture.text();
    assert_eq!(
        log.matches(SLOT_RETAKEN).count(),
        1,
        "the call that waited past the reset took a slot of the next window: {log}"
    );
    let windows = server.windows();
    let next = reset.as_secs() / w;
    assert_eq!(
        windows.get(&(next, GET_USER)).map(|(ok, _)| *ok),
        Some(1),
        "the server saw it in the next window: {windows:?}"
    );
}

#[tokio::test]
async fn an_unreachable_redis_means_this_process_state_one_warning_and_no_failed_call() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = OrgServer::start(OrgLimits {
        limit: 5,
        window_secs: 60,
        concurrency: 2,
        hold: Duration::from_millis(5),
    });
    let capture = Capture::default();
    let _guard = capture.install();
    let client = Client::builder()
        .base_url(server.url())
        .api_token("00-test-token")
        .max_concurrent_requests(2)
        .rate_limit_store(
            RedisStore::new(format!("redis://:pw-in-url-FFFF@127.0.0.1:{port}")).unwrap(),
        )
        .build()
        .unwrap();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.user().get_user("00u1").send().await.map(drop) })
        })
        .collect();
    for call in calls {
        tokio::time::timeout(HANG, call)
            .await
            .expect("a call hung")
            .unwrap()
            .expect("the store never fails a call");
    }
    // This process's own state still held the limits: 5 of 5, two at a time.
    assert_eq!(server.totals(GET_USER), (5, 0));
    assert!(server.max_in_flight() <= 2);
    let log = capture.text();
    assert_eq!(
        log.matches("event WARN").count(),
        1,
        "one warning for the outage:\n{log}"
    );
    assert!(
        log.contains("going on with this process's own rate-limit state"),
        "{log}"
    );
    assert!(!log.contains("pw-in-url-FFFF"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_redis_holds_calls_back_no_longer_than_its_timeout() {
    let Some(redis) = redis_or_skip("a_stopped_redis_holds_calls_back_no_longer_than_its_timeout")
    else {
        return;
    };
    let server = OrgServer::start(OrgLimits {
        limit: 100_000,
        window_secs: 60,
        concurrency: 100,
        hold: Duration::ZERO,
    });
    let client = Client::builder()
        .base_url(server.url())
        .api_token("00-test-token")
        .max_concurrent_requests(4)
        .rate_limit_store(
            RedisStore::new(redis.url())
                .unwrap()
                .key_prefix("okta-test:{stopped}")
                .timeout(Duration::from_millis(100)),
        )
        .build()
        .unwrap();
    client.user().get_user("00u1").send().await.unwrap();
    // SIGSTOP: connections stay open, nothing answers (a Redis stuck or far too slow).
    let pid = redis.pid().unwrap().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-STOP", &pid])
        .status()
        .unwrap()
        .success());
    let calls: Vec<_> = (0..20)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .user()
                    .get_user(format!("00u{i}"))
                    .send()
                    .await
                    .map(drop)
            })
        })
        .collect();
    let mut results = Vec::new();
    for call in calls {
        results.push(tokio::time::timeout(HANG, call).await);
    }
    std::process::Command::new("kill")
        .args(["-CONT", &pid])
        .status()
        .unwrap();
    for result in results {
        result
            .expect("a call hung on a stopped Redis")
            .unwrap()
            .expect("the store never fails a call");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_redis_mid_run_ends_every_call_and_repeats_no_processed_post() {
    let Some(mut redis) =
        redis_or_skip("killing_redis_mid_run_ends_every_call_and_repeats_no_processed_post")
    else {
        return;
    };
    let server = OrgServer::start(OrgLimits {
        limit: 400,
        window_secs: 2,
        concurrency: 8,
        hold: Duration::from_millis(5),
    });
    let mut w = worker(
        &server,
        Some(redis.url()),
        "okta-test:{kill}",
        Duration::from_millis(2000),
    );
    w.post_every = 3;
    let (mut a, mut b) = (w.clone(), w);
    a.name = "a".into();
    b.name = "b".into();
    let run = tokio::spawn(async move { run_all(&[a, b]).await });
    tokio::time::sleep(Duration::from_millis(700)).await;
    redis.kill();
    let outcomes = tokio::time::timeout(HANG, run)
        .await
        .expect("a call hung")
        .unwrap();

    let created = server.created();
    assert!(created > 0, "POSTs were made");
    assert_eq!(
        server.created_twice(),
        Vec::<String>::new(),
        "a processed POST was repeated"
    );
    for o in &outcomes {
        // A 429 (an error, typed) is possible once each process is on its own; nothing else.
        assert_eq!(o.other_errors, 0, "{o:?}");
        assert!(o.ok > 0, "{o:?}");
    }
    let (posts_ok, _) = server.totals(CREATE_USER);
    assert_eq!(
        posts_ok as usize, created,
        "every POST answered 200 created a new user"
    );
}
