//! A fleet: four processes (this test binary, re-run as `child_fleet_worker`), each with 16
//! tasks calling one local Okta-style server that enforces a window per endpoint and a cap on
//! the requests in flight for the whole org, and records what it saw. With the Redis store they
//! share one budget and one cap; each on its own state, they do not.
//!
//! Figures are counts the server recorded over whole windows (share of the allowed rate used,
//! share of requests answered 429, most requests in flight), never elapsed times; the bounds
//! leave room for a loaded two-core machine. The tests run one at a time (a lock), as their
//! processes would otherwise compete for the same cores.

mod fleet_support;

use std::sync::Mutex;
use std::time::Duration;

use fleet_support::{
    redis_or_skip, run_children, unix_now, OrgLimits, OrgServer, Outcome, Seen, Worker, GET_USER,
};

const PROCESSES: usize = 4;
/// Whole windows measured, after one for the processes to start.
const MEASURED: u64 = 2;
/// Two-second windows: each process's estimate of the server's clock starts a second wide
/// (`Date` has a one-second resolution) and closes in as answers straddle its ticks; a request
/// waits while unsure which window it would land in, which a one-second window would always be.
const LIMITS: OrgLimits = OrgLimits {
    limit: 100,
    window_secs: 2,
    concurrency: 8,
    hold: Duration::from_millis(20),
};

/// One fleet at a time.
static FLEETS: Mutex<()> = Mutex::new(());

#[test]
#[ignore = "run in child processes by the fleet tests"]
fn child_fleet_worker() {
    let Some(worker) = Worker::from_env() else {
        return;
    };
    fleet_support::print_warnings();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        let client = worker.client();
        worker.run(&client).await
    });
    println!("{}", Worker::report(outcome));
}

/// What a fleet run showed.
struct Fleet {
    server: OrgServer,
    seen: Seen,
    outcomes: Vec<Outcome>,
}

/// Runs `PROCESSES` workers (each capped at `LIMITS.concurrency` requests in flight, using
/// `capacity` percent of each window) against a fresh server until `MEASURED` whole windows
/// have passed after a first one.
fn fleet(redis: Option<String>, capacity: u8, prefix: &str) -> Fleet {
    let server = OrgServer::start(LIMITS);
    let w = LIMITS.window_secs;
    // The first window measured starts a second or more from now: the processes start and
    // learn the server's clock meanwhile.
    let first = (unix_now() + Duration::from_millis(1200))
        .as_secs()
        .div_ceil(w);
    let end = first + MEASURED;
    let until_ms = end * w * 1000 + 100;
    let workers: Vec<Worker> = (0..PROCESSES)
        .map(|i| Worker {
            server: server.url(),
            redis: redis.clone(),
            key_prefix: prefix.to_owned(),
            max_concurrent: LIMITS.concurrency as u32,
            capacity,
            until_ms,
            post_every: 0,
            name: format!("p{i}"),
        })
        .collect();
    let results = run_children(
        &[
            "--exact",
            "child_fleet_worker",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ],
        &workers,
        Duration::from_secs(30),
    );
    let outcomes = results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|e| panic!("worker process {i}: {e}")))
        .collect();
    let seen = server.seen(GET_USER, first, end);
    Fleet {
        server,
        seen,
        outcomes,
    }
}

fn show(what: &str, f: &Fleet) {
    // Past the harness's capture, so `cargo test` shows the figures.
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "fleet ({what}): {:.1}% of the allowed rate over {} windows, {:.2}% answered 429, \
         at most {} in flight (cap {}), {} 429s for concurrency; outcomes {:?}",
        f.seen.rate_share * 100.0,
        f.seen.windows,
        f.seen.throttled_share * 100.0,
        f.server.max_in_flight(),
        LIMITS.concurrency,
        f.server.concurrency_429(),
        f.outcomes,
    );
}

#[test]
fn four_processes_through_redis_use_the_rate_without_429s_or_passing_the_cap_where_alone_they_pass_it(
) {
    let Some(redis) = redis_or_skip(
        "four_processes_through_redis_use_the_rate_without_429s_or_passing_the_cap_where_alone_they_pass_it",
    ) else {
        return;
    };
    let _one = FLEETS.lock().unwrap_or_else(|e| e.into_inner());

    let shared = fleet(Some(redis.url()), 100, "okta-test:{fleet}");
    show("Redis store", &shared);
    let alone = fleet(None, 100, "unused");
    show("each process on its own state", &alone);

    assert!(
        shared.seen.rate_share >= 0.9,
        "{:.1}% of the allowed rate: {:?}",
        shared.seen.rate_share * 100.0,
        shared.server.windows()
    );
    assert!(
        shared.seen.throttled_share < 0.02,
        "{:.2}% answered 429: {:?}",
        shared.seen.throttled_share * 100.0,
        shared.server.windows()
    );
    assert!(
        shared.server.max_in_flight() <= LIMITS.concurrency,
        "the server saw {} in flight (cap {})",
        shared.server.max_in_flight(),
        LIMITS.concurrency
    );
    // The contrast that shows these figures measure something: four processes capped at 8
    // each, on their own, do pass the org's cap of 8.
    assert!(
        alone.server.max_in_flight() > LIMITS.concurrency,
        "each process on its own: {} in flight",
        alone.server.max_in_flight()
    );
}

#[test]
fn four_processes_through_redis_with_half_the_capacity_use_at_most_half_of_each_window() {
    let Some(redis) = redis_or_skip(
        "four_processes_through_redis_with_half_the_capacity_use_at_most_half_of_each_window",
    ) else {
        return;
    };
    let _one = FLEETS.lock().unwrap_or_else(|e| e.into_inner());

    let half = fleet(Some(redis.url()), 50, "okta-test:{half}");
    show("Redis store, max_api_capacity(50)", &half);

    // Every window the server saw, the first (partial) one included.
    let most = half.server.max_window_share(GET_USER);
    assert!(
        most <= 0.5,
        "{:.0}% of a window used: {:?}",
        most * 100.0,
        half.server.windows()
    );
    assert!(
        half.seen.rate_share >= 0.4,
        "the fleet did use its half: {:.1}%",
        half.seen.rate_share * 100.0
    );
}
