//! Fleet benchmark: `cargo bench -p okta-generated --features redis --bench fleet [-- --quick]`
//! (needs `redis-server` on the `PATH`; it starts its own on a free port).
//!
//! Prints one markdown table on stdout (progress goes to stderr):
//! - a fleet of four processes (this binary, re-run as its own child), each with 16 tasks
//!   calling one local Okta-style org server (a window per endpoint, an org-wide cap on the
//!   requests in flight; `tests/fleet_support`), with the Redis store, each on its own state,
//!   and with the Redis store and `max_api_capacity(50)`: share of the allowed rate used, share
//!   of requests answered 429, most requests in flight, as the server counted them;
//! - the client CPU time per call of 16 tasks on one thread with the Redis store, against the
//!   same client on the in-process state, in interleaved rounds (the server, on its own thread,
//!   and Redis, its own process, are not counted).
//!
//! Every figure is a median of rounds or a count over whole windows, every ratio measured in
//! this run.

#[path = "../../tests/fleet_support/mod.rs"]
mod fleet_support;

use std::time::Duration;

use fleet_support::{
    redis_or_skip, run_children, unix_now, OrgLimits, OrgServer, RedisServer, Seen, Worker,
    GET_USER,
};
use okta_generated::{Client, RedisStore};

const PROCESSES: usize = 4;

fn main() {
    if let Some(worker) = Worker::from_env() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let outcome = runtime.block_on(async {
            let client = worker.client();
            worker.run(&client).await
        });
        println!("{}", Worker::report(outcome));
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let Some(redis) = redis_or_skip("fleet bench") else {
        println!("skipped: redis-server not found on PATH");
        return;
    };
    let mut rows: Vec<[String; 6]> = Vec::new();
    fleet_rows(&redis, quick, &mut rows);
    overhead_rows(&redis, quick, &mut rows);
    println!("| # | benchmark | okta-generated | baseline | ratio | target |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for row in rows {
        println!("| {} |", row.join(" | "));
    }
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

struct FleetRun {
    seen: Seen,
    max_in_flight: u64,
    max_window_share: f64,
}

fn fleet(
    limits: OrgLimits,
    measured: u64,
    redis: Option<&RedisServer>,
    capacity: u8,
    tag: &str,
) -> FleetRun {
    let server = OrgServer::start(limits);
    let w = limits.window_secs;
    let first = (unix_now() + Duration::from_millis(1500))
        .as_secs()
        .div_ceil(w);
    let end = first + measured;
    let workers: Vec<Worker> = (0..PROCESSES)
        .map(|i| Worker {
            server: server.url(),
            redis: redis.map(RedisServer::url),
            key_prefix: format!("okta-bench:{{{tag}}}"),
            max_concurrent: limits.concurrency as u32,
            capacity,
            until_ms: end * w * 1000 + 100,
            post_every: 0,
            name: format!("{tag}-{i}"),
        })
        .collect();
    for (i, result) in run_children(&[], &workers, Duration::from_secs(30))
        .into_iter()
        .enumerate()
    {
        if let Err(e) = result {
            panic!("worker process {i}: {e}");
        }
    }
    FleetRun {
        seen: server.seen(GET_USER, first, end),
        max_in_flight: server.max_in_flight(),
        max_window_share: server.max_window_share(GET_USER),
    }
}

fn fleet_rows(redis: &RedisServer, quick: bool, rows: &mut Vec<[String; 6]>) {
    let limits = OrgLimits {
        limit: if quick { 100 } else { 300 },
        window_secs: 2,
        concurrency: 8,
        hold: Duration::from_millis(20),
    };
    let measured = if quick { 1 } else { 3 };
    eprintln!("fleet: Redis store...");
    let shared = fleet(limits, measured, Some(redis), 100, "shared");
    eprintln!("fleet: each process on its own state...");
    let alone = fleet(limits, measured, None, 100, "alone");
    eprintln!("fleet: Redis store, max_api_capacity(50)...");
    let half = fleet(limits, measured, Some(redis), 50, "half");
    let setting = format!(
        "{PROCESSES} processes × 16 tasks, `get_user`, {} requests per {} s window, org cap {} in flight (each answer takes {} ms); {} whole windows",
        limits.limit,
        limits.window_secs,
        limits.concurrency,
        limits.hold.as_millis(),
        shared.seen.windows
    );
    rows.push([
        "6".into(),
        format!("fleet: share of the allowed rate used ({setting})"),
        format!("{:.1}% (Redis store)", shared.seen.rate_share * 100.0),
        format!(
            "{:.1}% (each process on its own state)",
            alone.seen.rate_share * 100.0
        ),
        format!(
            "{:.3}",
            shared.seen.rate_share / alone.seen.rate_share.max(f64::MIN_POSITIVE)
        ),
        format!("≥ 90%: {}", verdict(shared.seen.rate_share >= 0.9)),
    ]);
    rows.push([
        "6".into(),
        "fleet: share of requests answered 429".into(),
        format!("{:.2}% (Redis store)", shared.seen.throttled_share * 100.0),
        format!(
            "{:.2}% (each process on its own state)",
            alone.seen.throttled_share * 100.0
        ),
        "—".into(),
        format!("< 2%: {}", verdict(shared.seen.throttled_share < 0.02)),
    ]);
    rows.push([
        "6".into(),
        format!(
            "fleet: most requests the server saw in flight (org cap {}, each process capped at {})",
            limits.concurrency, limits.concurrency
        ),
        format!("{} (Redis store)", shared.max_in_flight),
        format!("{} (each process on its own state)", alone.max_in_flight),
        "—".into(),
        format!(
            "≤ {}: {}",
            limits.concurrency,
            verdict(shared.max_in_flight <= limits.concurrency)
        ),
    ]);
    rows.push([
        "6".into(),
        "fleet with `max_api_capacity(50)`: largest share of a window used, every window the server saw".into(),
        format!("{:.1}% (Redis store)", half.max_window_share * 100.0),
        format!("{:.1}% (Redis store, capacity 100)", shared.max_window_share * 100.0),
        "—".into(),
        format!("≤ 50%: {}", verdict(half.max_window_share <= 0.5)),
    ]);
}

/// CPU time used by the calling thread so far (Linux; `None` elsewhere).
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Client CPU per call of `calls` calls by 16 tasks on this thread's runtime.
fn cpu_per_call(rt: &tokio::runtime::Runtime, client: &Client, calls: usize) -> Option<f64> {
    let start = thread_cpu()?;
    rt.block_on(async {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move {
                    for _ in 0..calls / 16 {
                        client
                            .user()
                            .get_user("00u1fleet")
                            .send()
                            .await
                            .expect("a call");
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("a task");
        }
    });
    Some((thread_cpu()? - start).as_secs_f64() * 1e6 / (calls / 16 * 16) as f64)
}

fn overhead_rows(redis: &RedisServer, quick: bool, rows: &mut Vec<[String; 6]>) {
    // A budget no round uses up, no org cap: only the client's own work differs.
    let server = OrgServer::start(OrgLimits {
        limit: 10_000_000,
        window_secs: 3600,
        concurrency: 1_000_000,
        hold: Duration::ZERO,
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let builder = || {
        Client::builder()
            .base_url(server.url())
            .api_token("00-bench-token")
            .max_concurrent_requests(64)
    };
    let local = builder().build().expect("client");
    let shared = rt.block_on(async {
        builder()
            .rate_limit_store(
                RedisStore::new(redis.url())
                    .expect("url")
                    .key_prefix("okta-bench:{overhead}"),
            )
            .build()
            .expect("client")
    });
    let (rounds, calls) = if quick { (3, 800) } else { (15, 4000) };
    eprintln!("overhead: warming up...");
    cpu_per_call(&rt, &local, calls);
    cpu_per_call(&rt, &shared, calls);
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        eprintln!("overhead: round {}/{rounds}", round + 1);
        // Alternate which goes first, so drift affects both alike.
        let (x, y) = if round % 2 == 0 {
            let x = cpu_per_call(&rt, &shared, calls);
            (x, cpu_per_call(&rt, &local, calls))
        } else {
            let y = cpu_per_call(&rt, &local, calls);
            (cpu_per_call(&rt, &shared, calls), y)
        };
        if let (Some(x), Some(y)) = (x, y) {
            a.push(x);
            b.push(y);
            ratios.push(x / y);
        }
    }
    if ratios.is_empty() {
        eprintln!("overhead: no per-thread CPU time on this system; skipped");
        return;
    }
    let ratio = median(&mut ratios);
    rows.push([
        "7".into(),
        format!(
            "Redis store overhead: client CPU time per call, 16 tasks on one thread, `get_user` against a local server, `max_concurrent_requests(64)` (median of {rounds} rounds of {calls} calls)"
        ),
        format!("{:.1} µs (Redis store)", median(&mut a)),
        format!("{:.1} µs (in-process state)", median(&mut b)),
        format!("{ratio:.3}"),
        format!("≤ 1.15: {}", verdict(ratio <= 1.15)),
    ]);
}
