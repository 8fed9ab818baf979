//! Part 3, client overhead: time and heap allocations per `get_user` call against a local
//! server, versus the same request made with plain reqwest + serde_json into the same model.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use okta_generated::{models, Client};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};

use crate::alloc::ALLOCS;
use crate::server::{
    client_for, http_response, okta_headers, spawn_server, unix_now, user_json, Handler, TOKEN,
    USER_ID,
};
use crate::{current_thread_runtime, median, verdict};

/// The model `get_user` answers with: plain reqwest decodes into it too, so both ways decode the
/// same type (the okta call names it as well, so the two cannot drift apart).
type GetUserAnswer = models::UserGetSingleton;

/// One batch of calls made one way: per-call wall time, CPU time of the client's thread (all
/// the client's work: its runtime is single-threaded; unlike wall time, it does not count the
/// time the thread waits for the CPU on a busy machine), and heap allocations.
#[derive(Clone, Copy, Default)]
struct Batch {
    wall_us: f64,
    cpu_us: Option<f64>,
    allocs: f64,
}

/// The ways of making the call that are compared, each run once per round.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    /// The generated `get_user`, as a user gets it (rate-limit prevention on).
    Okta,
    /// The same with rate-limit prevention off: what the prevention's bookkeeping costs.
    OktaNoPrevention,
    /// Plain reqwest + serde_json.
    Plain,
    /// Plain again, through a second reqwest client built the same way (its own pool and
    /// connection, as the okta clients have theirs): the A/A control, whose ratio to `Plain`
    /// shows the noise floor, differences between client instances included.
    PlainAgain,
}

const WAYS: [Way; 4] = [
    Way::Okta,
    Way::OktaNoPrevention,
    Way::Plain,
    Way::PlainAgain,
];

/// Per-round batches of each way (indexed like `WAYS`).
struct Overhead {
    batches: [Vec<Batch>; 4],
    body_bytes: usize,
}

impl Overhead {
    fn of(&self, way: Way) -> &[Batch] {
        &self.batches[WAYS.iter().position(|w| *w == way).expect("a way")]
    }

    fn median_of(&self, way: Way, f: impl Fn(&Batch) -> Option<f64>) -> Option<f64> {
        let mut values: Vec<f64> = self.of(way).iter().filter_map(f).collect();
        (!values.is_empty()).then(|| median(&mut values))
    }

    /// Median over rounds of `f(a) / f(b)`: each ratio is of batches run back to back.
    fn median_ratio(&self, a: Way, b: Way, f: impl Fn(&Batch) -> Option<f64>) -> Option<f64> {
        let mut ratios: Vec<f64> = self
            .of(a)
            .iter()
            .zip(self.of(b))
            .filter_map(|(a, b)| Some(f(a)? / f(b)?))
            .collect();
        (!ratios.is_empty()).then(|| median(&mut ratios))
    }
}

/// CPU time used by the calling thread so far (Linux; `None` elsewhere).
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The way named `name` on the command line (`--way=okta`).
pub(crate) fn way_named(name: &str) -> Option<Way> {
    Some(match name {
        "okta" => Way::Okta,
        "okta-no-prevention" => Way::OktaNoPrevention,
        "plain" => Way::Plain,
        "plain-again" => Way::PlainAgain,
        _ => return None,
    })
}

/// Calls made by a `--way=` run.
pub(crate) const PROFILE_CALLS: usize = 2_000;

/// Runs `calls` calls of one way only and prints nothing: for profilers (`valgrind --tool=
/// cachegrind target/release/deps/client-<hash> --way=okta`), which compare whole runs.
pub(crate) fn profile_overhead(way: Way, calls: usize) {
    let (_, run) = overhead_setup();
    run(way, 300);
    run(way, calls);
}

fn bench_overhead(quick: bool) -> Overhead {
    let (body_bytes, batch) = overhead_setup();
    // Many short rounds, each running every way back to back in a rotating order, so the load
    // of a shared machine, which changes by the second, weighs on all of them alike.
    let (rounds, calls) = if quick { (12, 50) } else { (90, 100) };
    for way in WAYS {
        batch(way, 300); // warm-up: connections, caches, the rate-limit bucket
    }
    let mut result = Overhead {
        batches: Default::default(),
        body_bytes,
    };
    for round in 0..rounds {
        if round % 10 == 0 {
            eprintln!("  overhead round {}/{rounds}", round + 1);
        }
        for i in 0..WAYS.len() {
            let index = (round + i) % WAYS.len();
            result.batches[index].push(batch(WAYS[index], calls));
        }
    }
    result
}

/// The server, the clients, and a function that runs a batch of calls one way: returns the
/// response body's size and that function.
fn overhead_setup() -> (usize, impl Fn(Way, usize) -> Batch) {
    let body = user_json(USER_ID);
    let body_bytes = body.len();
    // Okta-like headers; a budget that never runs out, so prevention does its bookkeeping but
    // never waits. The response is rebuilt once a second (for `Date`).
    let cache: Mutex<(u64, Bytes)> = Mutex::new((0, Bytes::new()));
    let handler: Handler = Arc::new(move |_target: &str| {
        let now = unix_now().as_secs();
        let mut cache = cache.lock().unwrap();
        if cache.0 != now {
            let reset = (now / 60 + 1) * 60;
            let headers = okta_headers(now, 1_000_000, 999_999, reset);
            *cache = (now, http_response("200 OK", &headers, body.as_bytes()));
        }
        cache.1.clone()
    });
    let addr = spawn_server(handler);
    let rt = current_thread_runtime();

    let okta = client_for(addr).build().expect("client");
    let okta_no_prevention = client_for(addr)
        .rate_limit_prevention(false)
        .build()
        .expect("client");
    // Plain reqwest, configured as the okta client configures its own: same timeouts, no
    // redirects, keep-alive (the default), and the same three headers, built once.
    let plain = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let base = format!("http://{addr}");
    let accept = HeaderValue::from_static("application/json");
    let user_agent =
        HeaderValue::from_str(concat!("okta-generated/", env!("CARGO_PKG_VERSION"))).unwrap();
    let mut authorization = HeaderValue::from_str(&format!("SSWS {TOKEN}")).unwrap();
    authorization.set_sensitive(true);

    async fn okta_call(client: &Client) {
        let user: GetUserAnswer = client
            .user()
            .get_user(USER_ID)
            .send()
            .await
            .expect("okta call");
        assert!(user.id.is_some());
    }
    let plain_again = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    async fn plain_get(
        plain: &reqwest::Client,
        base: &str,
        accept: &HeaderValue,
        user_agent: &HeaderValue,
        authorization: &HeaderValue,
    ) {
        let response = plain
            .get(format!("{base}/api/v1/users/{USER_ID}"))
            .header(ACCEPT, accept.clone())
            .header(USER_AGENT, user_agent.clone())
            .header(AUTHORIZATION, authorization.clone())
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("plain call");
        let body = response.bytes().await.expect("plain body");
        let user: GetUserAnswer = serde_json::from_slice(&body).expect("plain decode");
        assert!(user.id.is_some());
    }
    let batch = move |way: Way, calls: usize| {
        let plain_call = |plain| plain_get(plain, &base, &accept, &user_agent, &authorization);
        let cpu_before = thread_cpu();
        let allocs_before = ALLOCS.load(Relaxed);
        let start = Instant::now();
        rt.block_on(async {
            for _ in 0..calls {
                match way {
                    Way::Okta => okta_call(&okta).await,
                    Way::OktaNoPrevention => okta_call(&okta_no_prevention).await,
                    Way::Plain => plain_call(&plain).await,
                    Way::PlainAgain => plain_call(&plain_again).await,
                }
            }
        });
        let wall = start.elapsed();
        let allocs = ALLOCS.load(Relaxed) - allocs_before;
        let cpu = thread_cpu()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        let per_call = |d: Duration| d.as_secs_f64() * 1e6 / calls as f64;
        Batch {
            wall_us: per_call(wall),
            cpu_us: cpu.map(per_call),
            allocs: allocs as f64 / calls as f64,
        }
    };

    (body_bytes, batch)
}

/// One figure of a batch, `None` where the platform cannot measure it.
type Measure = fn(&Batch) -> Option<f64>;

/// Measures the overhead and adds its rows to the table.
pub(crate) fn rows(quick: bool, rows: &mut Vec<[String; 6]>) {
    eprintln!("client overhead (get_user against a local server)...");
    let o = bench_overhead(quick);
    let call = format!(
        "`get_user` ({:.1} KB user) against a local server",
        o.body_bytes as f64 / 1000.0
    );
    let rounds = o.of(Way::Okta).len();
    let measures: [(&str, Measure); 2] = [
        ("client CPU time", |b| b.cpu_us),
        ("wall time", |b| Some(b.wall_us)),
    ];
    for (what, f) in measures {
        let (Some(okta), Some(off), Some(plain)) = (
            o.median_of(Way::Okta, f),
            o.median_of(Way::OktaNoPrevention, f),
            o.median_of(Way::Plain, f),
        ) else {
            continue; // no per-thread CPU time on this platform
        };
        let ratio = |way| o.median_ratio(way, Way::Plain, f).unwrap_or(f64::NAN);
        rows.push([
            "3".into(),
            format!(
                "client overhead: {what} per call, {call} (median of {rounds} rounds; \
                 without rate-limit prevention: {off:.1} µs, ratio {:.3}; plain vs a second plain client: {:.3})",
                ratio(Way::OktaNoPrevention),
                ratio(Way::PlainAgain),
            ),
            format!("{okta:.1} µs"),
            format!("{plain:.1} µs (plain reqwest + serde_json)"),
            format!("{:.3}", ratio(Way::Okta)),
            format!("≤ 1.03: {}", verdict(ratio(Way::Okta) <= 1.03)),
        ]);
    }
    let allocs = |b: &Batch| Some(b.allocs);
    let (okta, plain) = (
        o.median_of(Way::Okta, allocs).unwrap_or_default(),
        o.median_of(Way::Plain, allocs).unwrap_or_default(),
    );
    rows.push([
        "3".into(),
        "client overhead: heap allocations per call".into(),
        format!("{okta:.0}"),
        format!("{plain:.0}"),
        format!("{:.3}", okta / plain),
        "—".into(),
    ]);
}
