//! Client benchmarks: `cargo bench -p okta-generated --bench client [-- --quick] [SECTION...]`,
//! SECTION one of `overhead`, `throughput`, `paging` (all when none is named).
//!
//! Prints one markdown table on stdout (progress goes to stderr):
//! - client overhead: time and heap allocations per `get_user` call against a local server,
//!   versus the same request made with plain reqwest + serde_json into the same model type;
//! - throughput of 16 concurrent tasks sharing one client against a server that enforces an
//!   Okta-style fixed-window limit, with rate-limit prevention on and off;
//! - peak live heap while streaming 100,000 users through `list_users().stream()` versus 1,000.
//!
//! `--way=okta` (or `okta-no-prevention`, `plain`, `plain-again`) instead makes 2,000 calls
//! (`--calls=N`) of that way only and prints nothing, for a profiler to compare whole runs, e.g. `valgrind
//! --tool=cachegrind target/release/deps/client-<hash> --way=okta`.
//!
//! Every figure is a median of several runs (or windows), every ratio measured in this process.
//! The local HTTP server is a few lines of raw tokio on its own thread, whose allocations are not
//! counted, so the allocator's figures are the client's alone.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures::StreamExt;
use okta_generated::{models, Client};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---------------------------------------------------------------------------------------------
// Counting allocator

/// Counts allocations and live bytes of every thread except the server's.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);
static PEAK: AtomicI64 = AtomicI64::new(0);

thread_local! {
    /// Set on the server thread: its allocations are not the client's.
    static UNCOUNTED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    UNCOUNTED.try_with(|u| !u.get()).unwrap_or(false)
}

fn grew(bytes: usize) {
    ALLOCS.fetch_add(1, Relaxed);
    let live = LIVE.fetch_add(bytes as i64, Relaxed) + bytes as i64;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every method forwards to `System` unchanged; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() && counted() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() && counted() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        if counted() {
            LIVE.fetch_sub(layout.size() as i64, Relaxed);
        }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() && counted() {
            LIVE.fetch_sub(layout.size() as i64, Relaxed);
            grew(new_size);
        }
        q
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

// ---------------------------------------------------------------------------------------------
// Local HTTP/1.1 server (keep-alive, GET only), on its own thread and runtime

/// Builds the whole HTTP response to `GET target`.
type Handler = Arc<dyn Fn(&str) -> Bytes + Send + Sync>;

fn spawn_server(handler: Handler) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("local addr");
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        UNCOUNTED.with(|u| u.set(true));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve_connection(socket, handler.clone()));
            }
        });
    });
    addr
}

async fn serve_connection(mut socket: tokio::net::TcpStream, handler: Handler) {
    let _ = socket.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read_buf(&mut buf).await {
                Ok(n) if n > 0 => {}
                _ => return,
            }
        };
        let response = {
            let head = std::str::from_utf8(&buf[..head_end]).unwrap_or("");
            let target = head.split(' ').nth(1).unwrap_or("/");
            handler(target)
        };
        buf.drain(..head_end);
        if socket.write_all(&response).await.is_err() {
            return;
        }
    }
}

fn http_response(status: &str, headers: &[(&str, String)], body: &[u8]) -> Bytes {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes.into()
}

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The headers Okta sends on every response.
fn okta_headers(
    now_secs: u64,
    limit: u64,
    remaining: u64,
    reset: u64,
) -> Vec<(&'static str, String)> {
    vec![
        (
            "date",
            httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(now_secs)),
        ),
        ("x-okta-request-id", format!("bench-{now_secs}-{remaining}")),
        ("x-rate-limit-limit", limit.to_string()),
        ("x-rate-limit-remaining", remaining.to_string()),
        ("x-rate-limit-reset", reset.to_string()),
    ]
}

/// A realistic Okta user (about 3 KB), with `{ID}` where the id goes.
const USER_JSON: &str = r#"{"id":"{ID}","status":"ACTIVE","created":"2023-04-11T18:02:36.000Z","activated":"2023-04-11T18:02:37.000Z","statusChanged":"2023-04-11T18:02:37.000Z","lastLogin":"2024-11-02T09:14:51.000Z","lastUpdated":"2024-10-30T16:40:12.000Z","passwordChanged":"2024-06-18T07:55:03.000Z","type":{"id":"oty1a2b3c4d5e6f7g8h9"},"profile":{"firstName":"Isaac","lastName":"Brock","middleName":"Dale","honorificPrefix":"Dr.","displayName":"Isaac Brock","nickName":"izzy","title":"Director of Platform Engineering","department":"Engineering","division":"R&D","organization":"Acme Corporation","employeeNumber":"E-104233","costCenter":"CC-7781","userType":"Employee","login":"isaac.brock@example.com","email":"isaac.brock@example.com","secondEmail":"ibrock.personal@example.org","mobilePhone":"+1-555-415-1337","primaryPhone":"+1-555-415-2000","streetAddress":"301 Brannan Street, Suite 400","city":"San Francisco","state":"CA","zipCode":"94107","countryCode":"US","postalAddress":"301 Brannan Street\nSuite 400\nSan Francisco, CA 94107","preferredLanguage":"en-US","locale":"en_US","timezone":"America/Los_Angeles","profileUrl":"https://intranet.example.com/people/isaac.brock","manager":"Ruth Porat","managerId":"00u0manager0001abcd","githubUsername":"ibrock","startDate":"2019-09-03","badgeNumber":48213,"accessGroups":["platform","oncall","vpn-admins"]},"credentials":{"password":{},"emails":[{"value":"isaac.brock@example.com","status":"VERIFIED","type":"PRIMARY"},{"value":"ibrock.personal@example.org","status":"VERIFIED","type":"SECONDARY"}],"recovery_question":{"question":"Who's a major player in the cowboy scene?"},"provider":{"type":"OKTA","name":"OKTA"}},"_links":{"suspend":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/suspend","method":"POST"},"schema":{"href":"https://acme.okta.com/api/v1/meta/schemas/user/osc1a2b3c4d5e6f7g8h9"},"resetPassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/reset_password","method":"POST"},"forgotPassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/credentials/forgot_password","method":"POST"},"expirePassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/expire_password","method":"POST"},"changeRecoveryQuestion":{"href":"https://acme.okta.com/api/v1/users/{ID}/credentials/change_recovery_question","method":"POST"},"self":{"href":"https://acme.okta.com/api/v1/users/{ID}"},"type":{"href":"https://acme.okta.com/api/v1/meta/types/user/oty1a2b3c4d5e6f7g8h9"},"changePassword":{"href":"https://acme.okta.com/api/v1/users/{ID}/credentials/change_password","method":"POST"},"deactivate":{"href":"https://acme.okta.com/api/v1/users/{ID}/lifecycle/deactivate","method":"POST"}}}"#;

const TOKEN: &str = "00bench-api-token-0123456789abcdefghijklmn";
const USER_ID: &str = "00ub0oNGTSWTBKOLGLNR";

fn user_json(id: &str) -> String {
    USER_JSON.replace("{ID}", id)
}

fn client_for(addr: SocketAddr) -> okta_generated::ClientBuilder {
    Client::builder()
        .base_url(format!("http://{addr}"))
        .api_token(TOKEN)
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

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

// ---------------------------------------------------------------------------------------------
// 3. Client overhead

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
enum Way {
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
fn way_named(name: &str) -> Option<Way> {
    Some(match name {
        "okta" => Way::Okta,
        "okta-no-prevention" => Way::OktaNoPrevention,
        "plain" => Way::Plain,
        "plain-again" => Way::PlainAgain,
        _ => return None,
    })
}

/// Calls made by a `--way=` run.
const PROFILE_CALLS: usize = 2_000;

/// Runs `calls` calls of one way only and prints nothing: for profilers (`valgrind --tool=
/// cachegrind target/release/deps/client-<hash> --way=okta`), which compare whole runs.
fn profile_overhead(way: Way, calls: usize) {
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
        let user = client.user().get_user(USER_ID).send().await;
        assert!(user.expect("okta call").id.is_some());
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
        let user: models::User = serde_json::from_slice(&body).expect("plain decode");
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

// ---------------------------------------------------------------------------------------------
// 4. Throughput under a rate limit

/// An Okta-style limit: `limit` requests per fixed window of `window` whole seconds, windows
/// aligned to the Unix clock, so `X-Rate-Limit-Reset` is exact and `Date`'s one-second
/// resolution is the only imprecision a client has to live with (as with Okta).
struct LimitConfig {
    limit: u64,
    window: u64,
}

#[derive(Default)]
struct LimitStats {
    window: u64,
    used: u64,
    /// Window index → (answered 200, answered 429).
    per_window: BTreeMap<u64, (u64, u64)>,
}

struct Throughput {
    /// Median over the measured windows of (answered 200 / limit).
    rate_fraction: f64,
    /// Answered 429 / all answered, over the measured windows.
    throttled_share: f64,
    windows: usize,
}

fn limited_handler(config: &LimitConfig, stats: Arc<Mutex<LimitStats>>) -> Handler {
    let (limit, window_secs) = (config.limit, config.window);
    let user = user_json(USER_ID);
    let error = br#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaeBench","errorCauses":[]}"#;
    Arc::new(move |_target: &str| {
        let now = unix_now().as_secs();
        let window = now / window_secs;
        let reset = (window + 1) * window_secs;
        let mut s = stats.lock().unwrap();
        if s.window != window {
            s.window = window;
            s.used = 0;
        }
        let allowed = s.used < limit;
        if allowed {
            s.used += 1;
        }
        let remaining = limit - s.used;
        let counts = s.per_window.entry(window).or_default();
        if allowed {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        drop(s);
        let headers = okta_headers(now, limit, remaining, reset);
        if allowed {
            http_response("200 OK", &headers, user.as_bytes())
        } else {
            http_response("429 Too Many Requests", &headers, error)
        }
    })
}

fn bench_throughput(config: &LimitConfig, measured_windows: u64, prevention: bool) -> Throughput {
    let stats = Arc::new(Mutex::new(LimitStats::default()));
    let addr = spawn_server(limited_handler(config, stats.clone()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let client = client_for(addr)
        .rate_limit_prevention(prevention)
        .build()
        .expect("client");

    // Measure whole windows only: the first one starts after the (partial) window we start in.
    let first = unix_now().as_secs() / config.window + 1;
    let end = (first + measured_windows) * config.window;
    let stop = Arc::new(AtomicBool::new(false));
    rt.block_on(async {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (client, stop) = (client.clone(), stop.clone());
                tokio::spawn(async move {
                    while !stop.load(Relaxed) {
                        // Errors (a 429 after the retries) are counted by the server.
                        let _ = client.user().get_user(USER_ID).send().await;
                    }
                })
            })
            .collect();
        let until_end = Duration::from_secs(end).saturating_sub(unix_now());
        tokio::time::sleep(until_end + Duration::from_millis(50)).await;
        stop.store(true, Relaxed);
        for task in tasks {
            task.abort();
        }
    });
    drop(rt);

    let stats = stats.lock().unwrap();
    let mut fractions = Vec::new();
    let (mut ok, mut throttled) = (0, 0);
    for window in first..first + measured_windows {
        let (o, t) = stats.per_window.get(&window).copied().unwrap_or_default();
        fractions.push(o as f64 / config.limit as f64);
        ok += o;
        throttled += t;
    }
    Throughput {
        rate_fraction: median(&mut fractions),
        throttled_share: throttled as f64 / (ok + throttled).max(1) as f64,
        windows: fractions.len(),
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Paging memory

const PAGE_SIZE: usize = 200;

fn paging_handler(addr_cell: Arc<Mutex<String>>, total: usize) -> Handler {
    let template = USER_JSON.to_owned();
    Arc::new(move |target: &str| {
        let after: usize = target
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("after="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let end = (after + PAGE_SIZE).min(total);
        let mut body = String::with_capacity((end - after) * (template.len() + 40) + 2);
        body.push('[');
        for i in after..end {
            if i > after {
                body.push(',');
            }
            body.push_str(&template.replace("{ID}", &format!("00u{i:017}")));
        }
        body.push(']');
        let now = unix_now().as_secs();
        let mut headers = okta_headers(now, 1_000_000, 999_999, (now / 60 + 1) * 60);
        if end < total {
            let base = addr_cell.lock().unwrap().clone();
            headers.push((
                "link",
                format!("<{base}/api/v1/users?after={end}&limit={PAGE_SIZE}>; rel=\"next\""),
            ));
        }
        http_response("200 OK", &headers, body.as_bytes())
    })
}

/// Peak live heap bytes (above the level before the stream started) while streaming `total`
/// users, and the size of one page's body.
fn bench_paging(total: usize) -> (i64, usize) {
    let base = Arc::new(Mutex::new(String::new()));
    let addr = spawn_server(paging_handler(base.clone(), total));
    *base.lock().unwrap() = format!("http://{addr}");
    let rt = current_thread_runtime();
    let client = client_for(addr).build().expect("client");
    rt.block_on(async {
        // Warm the connection pool, so the peak is the stream's alone.
        client
            .user()
            .list_users()
            .limit(1)
            .send()
            .await
            .expect("warm-up");
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        let mut stream = client.user().list_users().limit(PAGE_SIZE as i32).stream();
        let mut seen = 0;
        while let Some(user) = stream.next().await {
            let user = user.expect("user");
            assert!(user.id.is_some());
            seen += 1;
        }
        assert_eq!(seen, total, "every user streamed");
        let peak = PEAK.load(Relaxed) - before;
        let page_bytes = PAGE_SIZE * (user_json("00u00000000000000000").len() + 1);
        (peak, page_bytes)
    })
}

// ---------------------------------------------------------------------------------------------

fn mib(bytes: i64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let named: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    if let Some(name) = args.iter().find_map(|a| a.strip_prefix("--way=")) {
        let Some(way) = way_named(name) else {
            eprintln!("unknown way {name:?}: okta, okta-no-prevention, plain or plain-again");
            std::process::exit(2);
        };
        let calls = args
            .iter()
            .find_map(|a| a.strip_prefix("--calls=")?.parse().ok())
            .unwrap_or(PROFILE_CALLS);
        profile_overhead(way, calls);
        return;
    }
    let run = |section: &str| named.is_empty() || named.contains(&section);
    let mut rows: Vec<[String; 6]> = Vec::new();

    if run("overhead") {
        overhead_rows(quick, &mut rows);
    }
    if run("throughput") {
        throughput_rows(quick, &mut rows);
    }
    if run("paging") {
        paging_rows(quick, &mut rows);
    }

    println!("| # | benchmark | okta-generated | baseline | ratio | target |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for row in rows {
        println!("| {} |", row.join(" | "));
    }
}

/// One figure of a batch, `None` where the platform cannot measure it.
type Measure = fn(&Batch) -> Option<f64>;

fn overhead_rows(quick: bool, rows: &mut Vec<[String; 6]>) {
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
            format!("≤ 1.05: {}", verdict(ratio(Way::Okta) <= 1.05)),
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

fn throughput_rows(quick: bool, rows: &mut Vec<[String; 6]>) {
    let (config, windows) = if quick {
        (
            LimitConfig {
                limit: 100,
                window: 2,
            },
            2,
        )
    } else {
        (
            LimitConfig {
                limit: 600,
                window: 5,
            },
            4,
        )
    };
    eprintln!(
        "throughput, prevention on ({} windows of {} s)...",
        windows + 1,
        config.window
    );
    let on = bench_throughput(&config, windows, true);
    eprintln!("throughput, prevention off...");
    let off = bench_throughput(&config, windows, false);
    let setting = format!(
        "16 tasks, `get_user`, {} requests per {} s window",
        config.limit, config.window
    );
    rows.push([
        "4".into(),
        format!("throughput under a rate limit: share of the allowed rate ({setting}; median of {} windows)", on.windows),
        format!("{:.1}% (prevention on)", on.rate_fraction * 100.0),
        format!("{:.1}% (prevention off)", off.rate_fraction * 100.0),
        format!("{:.3}", on.rate_fraction / off.rate_fraction),
        format!("≥ 90%: {}", verdict(on.rate_fraction >= 0.9)),
    ]);
    rows.push([
        "4".into(),
        format!(
            "throughput under a rate limit: share of requests answered 429 ({} windows)",
            off.windows
        ),
        format!("{:.2}% (prevention on)", on.throttled_share * 100.0),
        format!("{:.2}% (prevention off)", off.throttled_share * 100.0),
        "—".into(),
        format!("< 2%: {}", verdict(on.throttled_share < 0.02)),
    ]);
}

fn paging_rows(quick: bool, rows: &mut Vec<[String; 6]>) {
    let (small, large, runs) = if quick {
        (1_000, 20_000, 1)
    } else {
        (1_000, 100_000, 3)
    };
    let peaks = |total: usize| {
        let mut values = Vec::new();
        let mut page = 0;
        for run in 0..runs {
            eprintln!("paging memory, {total} users, run {}/{runs}...", run + 1);
            let (peak, page_bytes) = bench_paging(total);
            values.push(peak as f64);
            page = page_bytes;
        }
        (median(&mut values) as i64, page)
    };
    let (small_peak, page_bytes) = peaks(small);
    let (large_peak, _) = peaks(large);
    rows.push([
        "5".into(),
        format!(
            "paging memory: peak live heap streaming {large} vs {small} users ({PAGE_SIZE} per page, one page ≈ {})",
            mib(page_bytes as i64)
        ),
        mib(large_peak),
        mib(small_peak),
        format!("{:.3}", large_peak as f64 / small_peak as f64),
        format!(
            "≤ small + one page: {}",
            verdict(large_peak <= small_peak + page_bytes as i64)
        ),
    ]);
}

/// A target's verdict, worded as in the rest of `cargo xtask bench`'s report.
fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}
