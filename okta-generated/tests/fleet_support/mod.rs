//! Shared by the Redis store's tests (`tests/redis_store.rs`, `tests/redis_fleet.rs`) and the
//! fleet benchmark (`benches/fleet/`, through `#[path]`):
//!
//! - [`OrgServer`]: a local Okta-style server for one org: a fixed window per endpoint
//!   (`X-Rate-Limit-*` and `Date` on every answer, 429 past the limit), a cap on the requests
//!   in flight across the whole org (429 past it, as Okta's concurrency limit), and a record of
//!   what it saw: per window and endpoint the requests answered 200 and 429, the most requests
//!   it had in flight at once, and every user created (so a repeated POST shows).
//! - [`RedisServer`]: a `redis-server` of its own on a free port in a temporary folder, killed
//!   when dropped; [`redis_or_skip`] says `SKIPPED` without the binary (and fails under
//!   `CI=true`).
//! - [`Worker`]: what one process of a fleet does: 16 tasks calling the server until a
//!   deadline, with the client configured from the environment ([`Worker::to_env`]), so a test
//!   or bench can run it in child processes of itself.
#![allow(dead_code)] // each test crate uses part of it

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use okta_generated::{models, Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The server's limits.
#[derive(Debug, Clone, Copy)]
pub struct OrgLimits {
    /// Requests per window, per endpoint.
    pub limit: u64,
    /// Window length in whole seconds (windows are aligned to the Unix clock, as Okta's are).
    pub window_secs: u64,
    /// Most requests in flight at once for the whole org; past it, a 429.
    pub concurrency: u64,
    /// How long the server takes to answer each request (so that requests overlap).
    pub hold: Duration,
}

/// The id of a user whose reads the server answers after [`SLOW_HOLD`] instead of the limits'
/// `hold`: a request that keeps its concurrency permit for a while.
pub const SLOW_USER_ID: &str = "00u-slow";
pub const SLOW_HOLD: Duration = Duration::from_millis(600);

/// Per window and endpoint: (answered 200, answered 429).
pub type WindowCounts = BTreeMap<(u64, &'static str), (u64, u64)>;

#[derive(Default)]
struct Record {
    windows: WindowCounts,
    /// Window index and used count, per endpoint.
    used: BTreeMap<&'static str, (u64, u64)>,
    /// 429s given because too many requests were in flight.
    concurrency_429: u64,
    created: BTreeSet<String>,
    created_twice: Vec<String>,
}

/// A running [`OrgServer`]; stops with the process (its thread is detached).
#[derive(Clone)]
pub struct OrgServer {
    pub addr: SocketAddr,
    pub limits: OrgLimits,
    record: Arc<Mutex<Record>>,
    in_flight: Arc<AtomicU64>,
    max_in_flight: Arc<AtomicU64>,
}

/// What the server saw over some windows.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub windows: usize,
    /// Answered 200 / (limit × windows): the share of the allowed rate used.
    pub rate_share: f64,
    /// The largest share of one window's limit answered 200.
    pub max_window_share: f64,
    /// Answered 429 / all answered.
    pub throttled_share: f64,
    pub requests: u64,
}

pub const GET_USER: &str = "GET /api/v1/users/{id}";
pub const CREATE_USER: &str = "POST /api/v1/users";

impl OrgServer {
    pub fn start(limits: OrgLimits) -> OrgServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("local addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let server = OrgServer {
            addr,
            limits,
            record: Arc::default(),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
        };
        let running = server.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                while let Ok((socket, _)) = listener.accept().await {
                    tokio::spawn(running.clone().serve(socket));
                }
            });
        });
        server
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The most requests the server had in flight at once.
    pub fn max_in_flight(&self) -> u64 {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    pub fn concurrency_429(&self) -> u64 {
        self.record.lock().unwrap().concurrency_429
    }

    /// Logins of users created more than once.
    pub fn created_twice(&self) -> Vec<String> {
        self.record.lock().unwrap().created_twice.clone()
    }

    pub fn created(&self) -> usize {
        self.record.lock().unwrap().created.len()
    }

    pub fn windows(&self) -> WindowCounts {
        self.record.lock().unwrap().windows.clone()
    }

    /// What `endpoint` saw in windows `from..to` (window indexes: Unix seconds / length).
    pub fn seen(&self, endpoint: &str, from: u64, to: u64) -> Seen {
        let (mut ok, mut throttled, mut max_share) = (0, 0, 0.0f64);
        for ((_, _), (o, t)) in self
            .windows()
            .iter()
            .filter(|((w, e), _)| *e == endpoint && (from..to).contains(w))
        {
            ok += o;
            throttled += t;
            max_share = max_share.max(*o as f64 / self.limits.limit as f64);
        }
        let n = to.saturating_sub(from).max(1);
        Seen {
            windows: n as usize,
            rate_share: ok as f64 / (self.limits.limit * n) as f64,
            max_window_share: max_share,
            throttled_share: throttled as f64 / (ok + throttled).max(1) as f64,
            requests: ok + throttled,
        }
    }

    /// Requests of `endpoint` answered (200, 429) over every window.
    pub fn totals(&self, endpoint: &str) -> (u64, u64) {
        self.windows()
            .iter()
            .filter(|((_, e), _)| *e == endpoint)
            .fold((0, 0), |(a, b), (_, (o, t))| (a + o, b + t))
    }

    /// The largest share of a window's limit answered 200, over every window seen.
    pub fn max_window_share(&self, endpoint: &str) -> f64 {
        self.windows()
            .iter()
            .filter(|((_, e), _)| *e == endpoint)
            .map(|(_, (ok, _))| *ok as f64 / self.limits.limit as f64)
            .fold(0.0, f64::max)
    }

    async fn serve(self, mut socket: tokio::net::TcpStream) {
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
            let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            while buf.len() < head_end + length {
                match socket.read_buf(&mut buf).await {
                    Ok(n) if n > 0 => {}
                    _ => return,
                }
            }
            let body = buf[head_end..head_end + length].to_vec();
            buf.drain(..head_end + length);
            let mut request_line = head.split(' ');
            let method = request_line.next().unwrap_or("").to_owned();
            let path = request_line.next().unwrap_or("").to_owned();
            let response = self.answer(&method, &path, &body).await;
            if socket.write_all(&response).await.is_err() {
                return;
            }
        }
    }

    async fn answer(&self, method: &str, path: &str, body: &[u8]) -> Vec<u8> {
        let in_flight = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(in_flight, Ordering::SeqCst);
        if path.starts_with("/oauth2/v1/token") {
            // An access token that the client renews for every request (it renews a minute
            // before expiry), so token requests keep coming.
            tokio::time::sleep(self.limits.hold).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            let body =
                br#"{"token_type":"Bearer","access_token":"fleet-access-token","expires_in":60}"#;
            let mut out = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            out.extend_from_slice(body);
            return out;
        }
        let endpoint = if method == "POST" {
            CREATE_USER
        } else {
            GET_USER
        };
        let OrgLimits {
            limit,
            window_secs,
            concurrency,
            hold,
        } = self.limits;
        let hold = if path.ends_with(SLOW_USER_ID) {
            SLOW_HOLD
        } else {
            hold
        };
        let now = unix_now();
        let window = now.as_secs() / window_secs;
        let reset = (window + 1) * window_secs;
        let (allowed, remaining) = {
            let mut r = self.record.lock().unwrap();
            let used = r.used.entry(endpoint).or_insert((window, 0));
            if used.0 != window {
                *used = (window, 0);
            }
            let too_many = in_flight > concurrency;
            let allowed = !too_many && used.1 < limit;
            if allowed {
                used.1 += 1;
            }
            let remaining = limit - used.1;
            let counts = r.windows.entry((window, endpoint)).or_default();
            if allowed {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
            if too_many {
                r.concurrency_429 += 1;
            }
            (allowed, remaining)
        };
        tokio::time::sleep(hold).await;
        let mut body_out = br#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#.to_vec();
        let mut status = "429 Too Many Requests";
        if allowed {
            status = "200 OK";
            let login = if endpoint == CREATE_USER {
                serde_json::from_slice::<serde_json::Value>(body)
                    .ok()
                    .and_then(|v| v["profile"]["login"].as_str().map(str::to_owned))
                    .unwrap_or_default()
            } else {
                "reader@example.com".into()
            };
            if endpoint == CREATE_USER {
                let mut r = self.record.lock().unwrap();
                if !r.created.insert(login.clone()) {
                    r.created_twice.push(login.clone());
                }
            }
            body_out = serde_json::json!({
                "id": "00u1fleet",
                "status": "ACTIVE",
                "profile": {"login": login, "email": login, "firstName": "F", "lastName": "L"}
            })
            .to_string()
            .into_bytes();
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let mut out = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             date: {}\r\nx-rate-limit-limit: {limit}\r\nx-rate-limit-remaining: {remaining}\r\n\
             x-rate-limit-reset: {reset}\r\n\r\n",
            body_out.len(),
            httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(now.as_secs())),
        )
        .into_bytes();
        out.extend_from_slice(&body_out);
        out
    }
}

pub fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// A `redis-server` of the test's own, on a free port, in a temporary folder; killed (and the
/// folder removed) when dropped.
pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    dir: PathBuf,
}

impl RedisServer {
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills it at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends a raw command and returns the raw reply (RESP), for looking at the keys.
    pub fn command(&self, args: &[&str]) -> String {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut out = format!("*{}\r\n", args.len());
        for a in args {
            out.push_str(&format!("${}\r\n{a}\r\n", a.len()));
        }
        stream.write_all(out.as_bytes()).unwrap();
        let mut reply = Vec::new();
        let mut chunk = [0u8; 4096];
        // One reply: read until a read would block briefly.
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => reply.extend_from_slice(&chunk[..n]),
                Err(_) if !reply.is_empty() => break,
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    continue
                }
                Err(e) => panic!("redis reply: {e}"),
            }
        }
        String::from_utf8_lossy(&reply).to_string()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `redis-server` on the `PATH`, if any.
fn redis_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("redis-server"))
        .find(|p| p.is_file())
}

/// A fresh Redis for the test `test`, or `None` after printing a `SKIPPED` line (straight to
/// stderr, past the harness's capture) when `redis-server` is not installed. Under `CI=true`,
/// where `.ci/run` installs it, its absence fails the test instead.
pub fn redis_or_skip(test: &str) -> Option<RedisServer> {
    let Some(binary) = redis_binary() else {
        let ci = std::env::var("CI").is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"));
        assert!(
            !ci,
            "{test}: redis-server not found on PATH; CI=true and .ci/run installs it, so this \
             is a failure, not a skip"
        );
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED: {test}: redis-server not found on PATH (apt-get install redis-server)"
        );
        return None;
    };
    Some(start_redis(&binary))
}

fn start_redis(binary: &Path) -> RedisServer {
    static N: AtomicU64 = AtomicU64::new(0);
    let mut last_error = String::new();
    for _ in 0..5 {
        let dir = std::env::temp_dir().join(format!(
            "okta-redis-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // A free port: bound, read, released; another process may take it in between, in
        // which case Redis fails to start and the next try picks another.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let log = std::fs::File::create(dir.join("redis.log")).unwrap();
        let child = Command::new(binary)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start redis-server");
        let mut server = RedisServer {
            child: Some(child),
            port,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(child) = server.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    last_error = format!(
                        "exited ({status}): {}",
                        std::fs::read_to_string(server.dir.join("redis.log")).unwrap_or_default()
                    );
                    break;
                }
            }
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
                let mut pong = [0u8; 7];
                if s.write_all(b"PING\r\n").is_ok()
                    && s.read_exact(&mut pong).is_ok()
                    && &pong == b"+PONG\r\n"
                {
                    return server;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        server.kill();
    }
    panic!("redis-server did not start: {last_error}");
}

/// One process of a fleet: 16 tasks making calls through one client until `until` (Unix
/// milliseconds). Passed to a child process in environment variables.
#[derive(Debug, Clone)]
pub struct Worker {
    pub server: String,
    /// The Redis store's URL; `None`: the in-process state.
    pub redis: Option<String>,
    pub key_prefix: String,
    pub max_concurrent: u32,
    pub capacity: u8,
    pub until_ms: u64,
    /// Every `post_every`-th call of a task creates a user (0: only reads).
    pub post_every: u64,
    /// A tag for the users this worker creates.
    pub name: String,
}

pub const WORKER_ENV: &str = "OKTA_FLEET_WORKER";

/// What a worker's calls came to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub ok: u64,
    pub rate_limited: u64,
    pub other_errors: u64,
}

impl Worker {
    /// The worker as one environment variable.
    pub fn to_env(&self) -> (String, String) {
        let value = [
            self.server.clone(),
            self.redis.clone().unwrap_or_default(),
            self.key_prefix.clone(),
            self.max_concurrent.to_string(),
            self.capacity.to_string(),
            self.until_ms.to_string(),
            self.post_every.to_string(),
            self.name.clone(),
        ]
        .join("\t");
        (WORKER_ENV.to_owned(), value)
    }

    /// The worker this process is to be, if it is one.
    pub fn from_env() -> Option<Worker> {
        let value = std::env::var(WORKER_ENV).ok()?;
        let f: Vec<&str> = value.split('\t').collect();
        Some(Worker {
            server: f[0].to_owned(),
            redis: Some(f[1].to_owned()).filter(|s| !s.is_empty()),
            key_prefix: f[2].to_owned(),
            max_concurrent: f[3].parse().ok()?,
            capacity: f[4].parse().ok()?,
            until_ms: f[5].parse().ok()?,
            post_every: f[6].parse().ok()?,
            name: f[7].to_owned(),
        })
    }

    pub fn client(&self) -> Client {
        let builder = Client::builder()
            .base_url(&self.server)
            .api_token("00-fleet-test-token")
            .max_concurrent_requests(self.max_concurrent)
            .max_api_capacity(self.capacity)
            .max_retries(2)
            .max_rate_limit_wait(Duration::from_secs(5))
            .timeout(Duration::from_secs(10));
        #[cfg(feature = "redis")]
        let builder = match &self.redis {
            Some(url) => builder.rate_limit_store(
                okta_generated::RedisStore::new(url)
                    .expect("a Redis URL")
                    .key_prefix(&self.key_prefix),
            ),
            None => builder,
        };
        #[cfg(not(feature = "redis"))]
        assert!(
            self.redis.is_none(),
            "a worker with Redis needs the `redis` feature"
        );
        builder.build().expect("a client")
    }

    /// Runs the 16 tasks until the deadline; every call ends with an outcome.
    pub async fn run(&self, client: &Client) -> Outcome {
        let tasks: Vec<_> = (0..16)
            .map(|task| {
                let (client, worker) = (client.clone(), self.clone());
                tokio::spawn(async move {
                    let mut outcome = Outcome::default();
                    let mut i = 0u64;
                    while (unix_now().as_millis() as u64) < worker.until_ms {
                        i += 1;
                        let result = if worker.post_every > 0 && i % worker.post_every == 0 {
                            let login = format!("{}-{task}-{i}@example.com", worker.name);
                            create_user(&client, &login).await
                        } else {
                            client.user().get_user("00u1fleet").send().await.map(drop)
                        };
                        match result {
                            Ok(()) => outcome.ok += 1,
                            Err(Error::RateLimited { .. }) => outcome.rate_limited += 1,
                            Err(_) => outcome.other_errors += 1,
                        }
                    }
                    outcome
                })
            })
            .collect();
        let mut total = Outcome::default();
        for task in tasks {
            let o = task.await.expect("a worker task");
            total.ok += o.ok;
            total.rate_limited += o.rate_limited;
            total.other_errors += o.other_errors;
        }
        total
    }

    /// What a child process prints for its parent.
    pub fn report(outcome: Outcome) -> String {
        format!(
            "FLEET-OUTCOME ok={} rate_limited={} other_errors={}",
            outcome.ok, outcome.rate_limited, outcome.other_errors
        )
    }

    /// Reads a child's [`Worker::report`] from its output.
    pub fn parse_report(output: &str) -> Option<Outcome> {
        let line = output
            .lines()
            .find_map(|l| Some(&l[l.find("FLEET-OUTCOME ")?..]))?;
        let mut n = line
            .split_whitespace()
            .skip(1)
            .filter_map(|kv| kv.split_once('=')?.1.parse().ok());
        Some(Outcome {
            ok: n.next()?,
            rate_limited: n.next()?,
            other_errors: n.next()?,
        })
    }
}

async fn create_user(client: &Client, login: &str) -> Result<(), Error> {
    let body: models::CreateUserRequest = serde_json::from_value(serde_json::json!({
        "profile": {"login": login, "email": login, "firstName": "Fleet", "lastName": "Worker"}
    }))
    .expect("a create-user request");
    client.user().create_user(body).send().await.map(drop)
}

/// Runs `workers` as child processes of the current executable (`args` select the child's
/// role, e.g. a test name), each with its worker in the environment; waits for them all, up to
/// `deadline` past the last worker's `until_ms`, killing any still running then. Returns each
/// child's outcome, or what went wrong with it.
pub fn run_children(
    args: &[&str],
    workers: &[Worker],
    grace: Duration,
) -> Vec<Result<Outcome, String>> {
    let exe = std::env::current_exe().expect("the current executable");
    let mut children: Vec<Child> = workers
        .iter()
        .map(|w| {
            let (key, value) = w.to_env();
            Command::new(&exe)
                .args(args)
                .env(key, value)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a worker process")
        })
        .collect();
    let until = workers.iter().map(|w| w.until_ms).max().unwrap_or(0);
    let deadline = UNIX_EPOCH + Duration::from_millis(until) + grace;
    let mut results = Vec::new();
    for child in &mut children {
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if SystemTime::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => break None,
            }
        };
        let mut out = String::new();
        let mut err = String::new();
        match status {
            None => {
                let _ = child.kill();
                let _ = child.wait();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                results.push(Err(format!(
                    "still running {grace:?} after its deadline: killed (a call hung):\n{err}"
                )));
            }
            Some(status) => {
                if let Some(mut o) = child.stdout.take() {
                    let _ = o.read_to_string(&mut out);
                }
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                results.push(match Worker::parse_report(&out) {
                    Some(outcome) if status.success() => Ok(outcome),
                    _ => Err(format!("exited {status}:\n{out}\n{err}")),
                });
            }
        }
    }
    results
}

/// In a worker process: prints every warning (and note) the client traces to stderr, which the
/// parent shows when the worker fails.
pub fn print_warnings() {
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Level, Metadata, Subscriber};

    struct Printer;
    struct Line(String);
    impl Visit for Line {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }
    impl Subscriber for Printer {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            *metadata.level() <= Level::INFO
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut line = Line(format!(
                "{} {}",
                event.metadata().level(),
                event.metadata().target()
            ));
            event.record(&mut line);
            let _ = writeln!(std::io::stderr().lock(), "{}", line.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
    let _ = tracing::subscriber::set_global_default(Printer);
}
