//! [`RedisStore`] (cargo feature `redis`): the rate limiter's state in Redis, shared by every
//! process (and machine) whose clients use the same Redis and key prefix.
//!
//! Design:
//! - **Atomic.** Every change is one Lua script (`EVALSHA`), which Redis runs alone: one for a
//!   bucket (report what its answers said, then lease slots), one for the concurrency permits.
//! - **Leases, not a round trip per request.** A process leases slots of a bucket's window in
//!   batches (up to [`PREFETCH`] while the window has plenty, else just what its waiting tasks
//!   need) and hands them out locally; their answers are reported with the next lease, or by a
//!   flush a few milliseconds later. Redis counts leased slots as in flight, so the fleet sends
//!   while `remaining` exceeds the slots leased plus what `max_api_capacity` keeps for others.
//!   Permits are leased the same way and reused locally for a short while
//!   ([`PERMIT_REUSE`]); under contention they go back as soon as their request ends, and a
//!   process gets no more than its fair share of the cap.
//! - **Windows.** As in this process: one probe at a time while a window is unknown (the
//!   others poll), leases are of one window (a slot of an ended window is not used, and its
//!   report no longer counts), a 429 uses the window up.
//! - **Expiry.** A bucket's key expires a minute after its window; a process's permits expire
//!   with it (its holder entry lives for the client's request timeout plus a margin, renewed
//!   by every call), so a process that dies holds nothing for long.
//! - **Redis unreachable or slow.** Every call has a timeout ([`RedisStore::timeout`], default
//!   250 ms; connecting, 1 s). A failure logs one warning and switches to this process's own
//!   state (an [`InProcess`]: the limits then hold per process) for a second, after which
//!   Redis is tried again. Nothing waits longer than a timeout for Redis and no call fails
//!   because of it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use futures_util::future::{self, BoxFuture};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Script};
use reqwest::{Method, Url};

use super::error::Error;
use super::limit_state::{
    Answer, BucketKey, Capacity, Decision, Fnv1a, InProcess, Lease, LimitStore, PermitDecision,
    PermitLease, ServerTime, Signal, Wait, MAX_BUCKETS,
};

/// Default timeout of one call to Redis.
const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);
/// Timeout of connecting to Redis.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// After a failure, how long this process's own state is used before Redis is tried again.
const OUTAGE_RETRY: Duration = Duration::from_secs(1);
/// Most slots of a bucket leased at once, when the window has at least four times as many free.
const PREFETCH: u64 = 64;
/// Most permits leased at once.
const PERMIT_PREFETCH: u32 = 16;
/// How long leased permits are reused locally before they go back through Redis (where the
/// fair share applies).
const PERMIT_REUSE: Duration = Duration::from_millis(100);
/// How long answers wait to be reported when no lease is asked for meanwhile.
const FLUSH_DELAY: Duration = Duration::from_millis(5);
/// Unused slots and permits go back once nothing has been taken for this long.
const IDLE_RETURN: Duration = Duration::from_millis(25);
/// How often a task polls while another process probes a window, or holds the free slots or
/// permits.
const POLL: Duration = Duration::from_millis(10);
/// How long a probe may stay unanswered before another process may probe.
const PROBE_TTL: Duration = Duration::from_secs(5);
/// How long "this endpoint sends no rate-limit headers" is believed before asking again.
const UNLIMITED_RECHECK: Duration = Duration::from_secs(10);
/// A bucket's key outlives its window by this much (an unknown or unlimited one lives this
/// long after its last use).
const KEY_IDLE_TTL: Duration = Duration::from_secs(60);
/// A process's permits outlive its last call to Redis by the request timeout plus this.
const PERMIT_TTL_MARGIN: Duration = Duration::from_secs(10);
/// The permits' lifetime when requests have no timeout.
const PERMIT_TTL_NO_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a holder that got fewer permits than it needed makes the others keep to their fair
/// share.
const CONTENDED_TTL: Duration = Duration::from_millis(200);

/// Reports what a bucket's answers said and leases slots; see the module docs.
const BUCKET_SCRIPT: &str = r#"
-- KEYS[1]: the bucket's hash. ARGV: 1 now (server ms), 2 reset of the slots reported,
-- 3 slots answered, 4 slots returned unused, 5 answer kind (0 none, 1 headers, 2 no headers,
-- 3 throttled without a reset), 6 throttled, 7 remaining, 8 reset, 9 limit (0: unknown),
-- 10 probe over, 11 want at least, 12 want at most, 13 capacity percent, 14 probe ttl ms,
-- 15 idle ttl ms.
local now = tonumber(ARGV[1])
local f = redis.call('HMGET', KEYS[1], 'state', 'limit', 'remaining', 'reset', 'in_flight', 'ended', 'probe_until')
local state = f[1] or 'unknown'
local limit = tonumber(f[2]) or 0
local remaining = tonumber(f[3]) or 0
local reset = tonumber(f[4]) or 0
local in_flight = tonumber(f[5]) or 0
local ended = tonumber(f[6]) or 0
local probe_until = tonumber(f[7]) or 0
if state == 'known' and tonumber(ARGV[2]) == reset then
  in_flight = math.max(0, in_flight - tonumber(ARGV[3]) - tonumber(ARGV[4]))
end
if ARGV[10] == '1' then probe_until = 0 end
local kind = ARGV[5]
if kind == '1' then
  local r, rs, l = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
  if ARGV[6] == '1' then r = 0 end
  if state == 'unknown' and rs <= ended then
  elseif state == 'known' and rs < reset then
  elseif state == 'known' and rs == reset then
    remaining = math.min(remaining, r)
    if l > 0 then limit = l end
  else
    state, remaining, reset, limit, in_flight, probe_until = 'known', r, rs, l, 0, 0
  end
elseif kind == '3' then
  state, ended = 'unknown', 0
elseif kind == '2' and state == 'unknown' then
  state = 'unlimited'
end
if state == 'known' and now >= reset * 1000 then
  state, ended, in_flight = 'unknown', reset, 0
end
local want_min, want_max = tonumber(ARGV[11]), tonumber(ARGV[12])
local code, granted = 'none', 0
if want_min > 0 then
  if state == 'unlimited' then
    code = 'unlimited'
  elseif state == 'unknown' then
    if probe_until > now then
      code = 'wait_probe'
    else
      probe_until = now + tonumber(ARGV[14])
      code = 'probe'
    end
  else
    local keep = 0
    if limit > 0 then keep = limit - math.floor(limit * tonumber(ARGV[13]) / 100) end
    local left = remaining - keep
    local free = left - in_flight
    if left <= 0 then
      code = 'wait_reset'
    elseif free <= 0 then
      code = 'wait_others'
    else
      if free >= 4 * want_max then granted = want_max else granted = math.min(want_min, free) end
      in_flight = in_flight + granted
      code = 'granted'
    end
  end
end
redis.call('HSET', KEYS[1], 'state', state, 'limit', limit, 'remaining', remaining, 'reset', reset,
  'in_flight', in_flight, 'ended', ended, 'probe_until', probe_until)
local ttl = tonumber(ARGV[15])
if state == 'known' then ttl = ttl + math.max(0, reset * 1000 - now) end
redis.call('PEXPIRE', KEYS[1], ttl)
return {code, granted, reset}
"#;

/// Sets this process's permits and leases more; see the module docs.
const PERMIT_SCRIPT: &str = r#"
-- KEYS[1]: holder -> permits, KEYS[2]: holder -> expiry (ms, Redis clock), KEYS[3]: contended.
-- ARGV: 1 holder, 2 cap, 3 permits it holds now, 4 want at least, 5 want at most, 6 ttl ms,
-- 7 contended ttl ms.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, h in ipairs(dead) do redis.call('HDEL', KEYS[1], h) end
if #dead > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
local holder, cap, mine = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local want_min, want_max = tonumber(ARGV[4]), tonumber(ARGV[5])
local others = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i] ~= holder then others = others + tonumber(all[i + 1]) end
end
local contended = redis.call('EXISTS', KEYS[3]) == 1
local granted = 0
if want_min > 0 then
  local room = cap - others - mine
  local most = want_max
  if contended then
    local holders = redis.call('ZCARD', KEYS[2])
    if not redis.call('ZSCORE', KEYS[2], holder) then holders = holders + 1 end
    room = math.min(room, math.ceil(cap / holders) - mine)
    most = want_min
  end
  granted = math.max(0, math.min(room, most))
  if granted < want_min then
    redis.call('SET', KEYS[3], '1', 'PX', ARGV[7])
    contended = true
  end
end
mine = mine + granted
if mine > 0 or want_min > 0 then
  redis.call('HSET', KEYS[1], holder, mine)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), holder)
else
  redis.call('HDEL', KEYS[1], holder)
  redis.call('ZREM', KEYS[2], holder)
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
if contended then return {granted, 1} end
return {granted, 0}
"#;

/// Where to keep the rate-limit state of several processes: a Redis server (cargo feature
/// `redis`). Give it to [`ClientBuilder::rate_limit_store`](super::ClientBuilder::rate_limit_store).
///
/// Every client that uses the same Redis and key prefix shares each endpoint's rate-limit
/// window and the concurrency cap (`max_concurrent_requests` then caps the requests in flight
/// across all of them). The key prefix is `okta:{<org host>}` unless set, so the clients of
/// one org share their state whatever else the Redis holds; the braces make it a Redis Cluster
/// hash tag (all of an org's keys in one slot, which the scripts need). Keys expire with the
/// windows they describe.
///
/// Nothing is connected until the first request. When Redis is unreachable or slower than
/// [`timeout`](Self::timeout), requests go on with this process's own rate-limit state (the
/// limits then hold per process), a `tracing` warning says so, and Redis is tried again a
/// second later: a request never fails, and never waits longer than a timeout, because of the
/// store.
///
/// ```no_run
/// # fn demo() -> Result<(), okta_generated_runtime::Error> {
/// let client = okta_generated_runtime::Client::builder()
///     .base_url("https://acme.okta.com")
///     .api_token(std::env::var("OKTA_API_TOKEN").unwrap_or_default())
///     .max_concurrent_requests(60)
///     .max_api_capacity(50)
///     .rate_limit_store(okta_generated_runtime::RedisStore::new("redis://redis.internal:6379")?)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    client: redis::Client,
    /// The URL without its credentials, for `Debug` and messages.
    shown: String,
    key_prefix: Option<String>,
    timeout: Duration,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.shown)
            .field("key_prefix", &self.key_prefix)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl RedisStore {
    /// A store at `url`: `redis://[user:password@]host[:port][/db]`, `rediss://` for TLS (with
    /// the redis crate's TLS features), or `redis+unix:///path/to/socket`. Only checked here;
    /// nothing is connected until the first request.
    ///
    /// # Errors
    ///
    /// `Error::Config` for a URL the redis crate does not accept (the URL is not shown: it may
    /// hold a password).
    pub fn new(url: impl AsRef<str>) -> Result<RedisStore, Error> {
        let url = url.as_ref().trim();
        let client = redis::Client::open(url).map_err(|e| {
            Error::Config(format!(
                "the Redis URL is not usable ({:?}): expected redis://host:port",
                e.kind()
            ))
        })?;
        Ok(RedisStore {
            client,
            shown: without_credentials(url),
            key_prefix: None,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The prefix of every key (default `okta:{<org host>}`). Clients share their state when
    /// their prefixes are equal; with Redis Cluster, put a `{hash tag}` in it.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = Some(prefix.into());
        self
    }

    /// The longest a call to Redis may take before the client goes on without it (default
    /// 250 ms).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The store of one client of the org at `base_url`, whose requests time out after
    /// `request_timeout`.
    /// `capacity` and `max_concurrent` are the client's, for the reports sent on their own.
    pub(crate) fn into_store(
        self,
        base_url: &Url,
        request_timeout: Option<Duration>,
        capacity: Capacity,
        max_concurrent: Option<u32>,
    ) -> Box<dyn LimitStore> {
        let prefix = self.key_prefix.unwrap_or_else(|| default_prefix(base_url));
        let permit_ttl = request_timeout.map_or(PERMIT_TTL_NO_TIMEOUT, |t| {
            t.saturating_add(PERMIT_TTL_MARGIN)
        });
        Box::new(Redis(Arc::new(Shared {
            client: self.client,
            shown: self.shown,
            timeout: self.timeout,
            conn: Mutex::new(None),
            connecting: tokio::sync::Mutex::new(()),
            permits_key: format!("{prefix}:permits"),
            holders_key: format!("{prefix}:holders"),
            contended_key: format!("{prefix}:contended"),
            prefix,
            holder: holder_id(),
            permit_ttl,
            bucket_script: Script::new(BUCKET_SCRIPT),
            permit_script: Script::new(PERMIT_SCRIPT),
            capacity,
            max_concurrent,
            fallback: InProcess::default(),
            cache: Mutex::default(),
            origin: Instant::now(),
            outage_until: AtomicU64::new(0),
            server_offset: AtomicI64::new(0),
            healthy: AtomicBool::new(true),
            slots_changed: Signal::default(),
            permits_changed: Signal::default(),
            flush_scheduled: AtomicBool::new(false),
        })))
    }
}

/// `okta:{<host>[:<port>]}` for the org at `base_url`.
fn default_prefix(base_url: &Url) -> String {
    let host = base_url.host_str().unwrap_or("");
    match base_url.port() {
        Some(port) => format!("okta:{{{host}:{port}}}"),
        None => format!("okta:{{{host}}}"),
    }
}

/// `url` without the user and password, if it has them.
fn without_credentials(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            if !parsed.username().is_empty() || parsed.password().is_some() {
                let _ = parsed.set_username("");
                let _ = parsed.set_password(None);
            }
            parsed.to_string()
        }
        Err(_) => "(not a URL)".into(),
    }
}

/// A random name for this client in Redis (its permits are kept under it).
fn holder_id() -> String {
    let bytes = ring::rand::generate::<[u8; 12]>(&ring::rand::SystemRandom::new())
        .map(|r| r.expose())
        .unwrap_or_else(|_| {
            // No OS randomness: the process id and the time still tell processes apart.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            let mut b = [0; 12];
            b[..4].copy_from_slice(&std::process::id().to_le_bytes());
            b[4..].copy_from_slice(&nanos.to_le_bytes());
            b
        });
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The store itself: an `Arc`, so a flush can outlive the request that scheduled it.
struct Redis(Arc<Shared>);

struct Shared {
    client: redis::Client,
    shown: String,
    timeout: Duration,
    conn: Mutex<Option<MultiplexedConnection>>,
    /// One connection attempt at a time.
    connecting: tokio::sync::Mutex<()>,
    prefix: String,
    permits_key: String,
    holders_key: String,
    contended_key: String,
    holder: String,
    permit_ttl: Duration,
    bucket_script: Script,
    permit_script: Script,
    /// The client's limits, for the reports sent on their own.
    capacity: Capacity,
    max_concurrent: Option<u32>,
    /// The state used while Redis cannot be reached.
    fallback: InProcess,
    cache: Mutex<Cache>,
    /// Origin of the local milliseconds below.
    origin: Instant,
    /// Until when (local ms) the fallback is used.
    outage_until: AtomicU64,
    /// The server's time (earliest estimate, ms) minus the local ms, as of the last request:
    /// for the reports a flush sends on its own.
    server_offset: AtomicI64,
    /// Whether the last call to Redis worked (a warning when it stops, a note when it is back).
    healthy: AtomicBool,
    /// A bucket's lease changed (a refill or a probe's answer).
    slots_changed: Signal,
    /// Permits were leased or given back.
    permits_changed: Signal,
    flush_scheduled: AtomicBool,
}

/// What this process holds of the shared state, and what it has to report.
#[derive(Default)]
struct Cache {
    buckets: HashMap<Cow<'static, str>, Vec<(Method, Cached)>, BuildHasherDefault<Fnv1a>>,
    permits: CachedPermits,
}

/// One bucket as this process sees it.
#[derive(Default)]
struct Cached {
    /// What Redis said last.
    status: Status,
    /// Leased slots not used yet, of the window that ends at `reset`.
    spare: u64,
    reset: u64,
    probe: Probe,
    /// Tasks that asked for a slot since the last lease.
    wanting: u64,
    /// A task is asking Redis for this bucket.
    refilling: bool,
    /// Local ms of the last slot taken.
    last_take: u64,
    report: Report,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Ask Redis.
    #[default]
    Ask,
    /// Leasing: use the spare slots, then ask again.
    Leasing,
    /// No rate-limit headers: send freely until (local ms).
    Unlimited { until: u64 },
    /// The window is used up until `reset` (server seconds).
    WaitReset { reset: u64 },
    /// Another process probes, or holds the free slots: ask again at (local ms).
    Poll { at: u64 },
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Probe {
    #[default]
    None,
    /// Redis gave this process the probe; no task has taken it yet.
    Granted,
    /// The probe request is in flight.
    Sent,
}

/// What a bucket's answers said, not yet told to Redis.
#[derive(Default, Clone, Copy)]
struct Report {
    /// Slots of window `reset` answered (or failed).
    done: u64,
    /// Unused slots of window `reset` given back.
    returned: u64,
    reset: u64,
    /// The answer that says the most: the latest window, and in it the lowest `remaining`.
    answer: Option<Answer>,
    probe_over: bool,
}

impl Report {
    fn is_empty(&self) -> bool {
        self.done == 0 && self.returned == 0 && self.answer.is_none() && !self.probe_over
    }

    /// Counts a slot of window `reset` back.
    fn slot_back(&mut self, reset: u64, unused: bool) {
        if reset != self.reset {
            // Slots of an ended window no longer count in Redis.
            if reset < self.reset {
                return;
            }
            (self.done, self.returned, self.reset) = (0, 0, reset);
        }
        if unused {
            self.returned += 1;
        } else {
            self.done += 1;
        }
    }

    fn merge(&mut self, answer: Answer) {
        let kind = |a: &Answer| match (a.remaining, a.reset) {
            (Some(_), Some(_)) => 2,
            _ if a.throttled => 1,
            _ => 0,
        };
        self.answer = Some(match self.answer {
            None => answer,
            Some(old) => match (kind(&old), kind(&answer)) {
                (2, 2) => {
                    let (old_reset, new_reset) =
                        (old.reset.unwrap_or(0), answer.reset.unwrap_or(0));
                    let remaining = |a: &Answer| {
                        if a.throttled {
                            0
                        } else {
                            a.remaining.unwrap_or(0)
                        }
                    };
                    if new_reset > old_reset
                        || (new_reset == old_reset && remaining(&answer) < remaining(&old))
                    {
                        answer
                    } else {
                        old
                    }
                }
                (a, b) if b > a => answer,
                _ => old,
            },
        });
    }
}

#[derive(Default)]
struct CachedPermits {
    /// Permits Redis counts as this process's.
    held: u32,
    /// Of which in use.
    in_use: u32,
    /// Local ms until which given-back permits are kept for the next request.
    reuse_until: u64,
    /// Others are waiting: give permits back as soon as their request ends.
    contended: bool,
    refilling: bool,
    wanting: u32,
    /// Local ms before which Redis is not asked again (it had none to give).
    poll_at: u64,
    /// Local ms of the last permit taken.
    last_take: u64,
}

/// The bucket script's reply.
type BucketReply = (String, u64, u64);

impl Shared {
    fn local_ms(&self) -> u64 {
        self.origin.elapsed().as_millis() as u64
    }

    fn in_outage(&self) -> bool {
        self.local_ms() < self.outage_until.load(Ordering::Acquire)
    }

    fn lock(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn bucket_key(&self, key: BucketKey<'_>) -> String {
        format!("{}:bucket:{} {}", self.prefix, key.method, key.template)
    }

    /// A call to Redis failed: use the fallback for a while.
    fn failed(&self, what: &str, error: &str) {
        self.outage_until.store(
            self.local_ms() + OUTAGE_RETRY.as_millis() as u64,
            Ordering::Release,
        );
        if self.healthy.swap(false, Ordering::AcqRel) {
            tracing::warn!(
                redis = %self.shown,
                error,
                "rate-limit store: {what} failed; going on with this process's own rate-limit \
                 state, trying Redis again in {} s",
                OUTAGE_RETRY.as_secs()
            );
        }
        *self.conn.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.slots_changed.bump();
        self.permits_changed.bump();
    }

    fn worked(&self) {
        if !self.healthy.swap(true, Ordering::AcqRel) {
            tracing::info!(redis = %self.shown, "rate-limit store: Redis answers again");
        }
    }

    /// The connection, made if there is none (within the connect timeout).
    async fn connection(&self) -> Result<MultiplexedConnection, String> {
        if let Some(conn) = self
            .conn
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return Ok(conn);
        }
        let _one = self.connecting.lock().await;
        if let Some(conn) = self
            .conn
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return Ok(conn);
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(CONNECT_TIMEOUT)
            .set_response_timeout(self.timeout);
        let connect = self
            .client
            .get_multiplexed_async_connection_with_config(&config);
        let conn = match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => return Err(format!("no connection within {CONNECT_TIMEOUT:?}")),
        };
        *self.conn.lock().unwrap_or_else(PoisonError::into_inner) = Some(conn.clone());
        Ok(conn)
    }

    /// Runs `script` with `keys` and `args`, within the timeout.
    async fn run<T: redis::FromRedisValue>(
        &self,
        script: &Script,
        keys: &[&str],
        args: &[u64],
    ) -> Result<T, String> {
        let mut conn = self.connection().await?;
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(*key);
        }
        for arg in args {
            invocation.arg(*arg);
        }
        match tokio::time::timeout(self.timeout, invocation.invoke_async(&mut conn)).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {:?}", self.timeout)),
        }
    }

    /// Reports `report` for `key` and leases between `want_min` and `want_max` slots (none
    /// when `want_min` is 0), at server time `now_ms`. Applies the reply to the cache.
    async fn sync_bucket(
        &self,
        key: BucketKey<'_>,
        report: Report,
        want_min: u64,
        now_ms: u64,
    ) -> bool {
        let answer = report.answer;
        let (kind, throttled, remaining, reset, limit) = match answer {
            None => (0, false, 0, 0, 0),
            Some(a) => match (a.remaining, a.reset) {
                (Some(remaining), Some(reset)) => {
                    (1, a.throttled, remaining, reset, a.limit.unwrap_or(0))
                }
                (_, Some(reset)) if a.throttled => (1, true, 0, reset, a.limit.unwrap_or(0)),
                _ if a.throttled => (3, true, 0, 0, 0),
                (None, None) => (2, false, 0, 0, 0),
                _ => (0, false, 0, 0, 0),
            },
        };
        let args = [
            now_ms,
            report.reset,
            report.done,
            report.returned,
            kind,
            u64::from(throttled),
            remaining,
            reset,
            limit,
            u64::from(report.probe_over),
            want_min,
            want_min.max(PREFETCH),
            u64::from(self.capacity.as_percent()),
            PROBE_TTL.as_millis() as u64,
            KEY_IDLE_TTL.as_millis() as u64,
        ];
        let redis_key = self.bucket_key(key);
        let reply: Result<BucketReply, String> =
            self.run(&self.bucket_script, &[&redis_key], &args).await;
        let local = self.local_ms();
        let ok = match reply {
            Ok((code, granted, reset)) => {
                self.worked();
                let mut cache = self.lock();
                let bucket = cache.bucket(key);
                bucket.refilling = false;
                if want_min > 0 {
                    bucket.wanting = 0;
                    bucket.status = match code.as_str() {
                        "granted" => {
                            if reset != bucket.reset {
                                (bucket.spare, bucket.reset) = (0, reset);
                            }
                            bucket.spare += granted;
                            Status::Leasing
                        }
                        "probe" => {
                            bucket.probe = Probe::Granted;
                            Status::Leasing
                        }
                        "unlimited" => Status::Unlimited {
                            until: local + UNLIMITED_RECHECK.as_millis() as u64,
                        },
                        "wait_reset" => Status::WaitReset { reset },
                        // "wait_probe", "wait_others"
                        _ => Status::Poll {
                            at: local + POLL.as_millis() as u64,
                        },
                    };
                }
                true
            }
            Err(e) => {
                self.lock().bucket(key).refilling = false;
                self.failed("a rate-limit bucket update", &e);
                false
            }
        };
        self.slots_changed.bump();
        ok
    }

    /// Tells Redis this process holds `mine` permits and leases between `want_min` and
    /// [`PERMIT_PREFETCH`] more (none when `want_min` is 0). Applies the reply to the cache.
    async fn sync_permits(&self, mine: u32, want_min: u32, max: u32) {
        let keys = [
            self.permits_key.as_str(),
            self.holders_key.as_str(),
            self.contended_key.as_str(),
        ];
        let args_text = [
            self.holder.clone(),
            max.to_string(),
            mine.to_string(),
            want_min.to_string(),
            want_min.max(PERMIT_PREFETCH).min(max).to_string(),
            (self.permit_ttl.as_millis() as u64).to_string(),
            (CONTENDED_TTL.as_millis() as u64).to_string(),
        ];
        let reply: Result<(u32, u32), String> = async {
            let mut conn = self.connection().await?;
            let mut invocation = self.permit_script.prepare_invoke();
            for key in keys {
                invocation.key(key);
            }
            for arg in &args_text {
                invocation.arg(arg.as_str());
            }
            match tokio::time::timeout(self.timeout, invocation.invoke_async(&mut conn)).await {
                Ok(Ok(reply)) => Ok(reply),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err(format!("no answer within {:?}", self.timeout)),
            }
        }
        .await;
        let local = self.local_ms();
        match reply {
            Ok((granted, contended)) => {
                self.worked();
                let mut cache = self.lock();
                let p = &mut cache.permits;
                p.refilling = false;
                // Permits given back during the call are among `mine`: Redis counts them
                // until the next call, and they may be used again meanwhile.
                p.held = mine + granted;
                p.contended = contended == 1;
                // Under contention, only long enough for the waiting tasks to take the new ones.
                let reuse = if p.contended { POLL } else { PERMIT_REUSE };
                p.reuse_until = local + reuse.as_millis() as u64;
                if want_min > 0 {
                    p.wanting = 0;
                    if granted == 0 {
                        p.poll_at = local + POLL.as_millis() as u64;
                    }
                }
            }
            Err(e) => {
                {
                    let mut cache = self.lock();
                    let p = &mut cache.permits;
                    p.refilling = false;
                    // Redis no longer counts on them; the next call says what is held then.
                    p.held = p.in_use;
                }
                self.failed("a concurrency permit update", &e);
            }
        }
        self.permits_changed.bump();
    }

    /// Reports every bucket's answers and gives back what has been unused for a while; runs
    /// again later while something is left to give back.
    async fn flush(&self) -> bool {
        if self.in_outage() {
            return false;
        }
        let local = self.local_ms();
        let idle = IDLE_RETURN.as_millis() as u64;
        let mut work = Vec::new();
        let mut keep_going = false;
        let mut permits = None;
        {
            let mut cache = self.lock();
            for (template, methods) in cache.buckets.iter_mut() {
                for (method, bucket) in methods.iter_mut() {
                    if bucket.refilling {
                        keep_going |= !bucket.report.is_empty();
                        continue;
                    }
                    if bucket.spare > 0 && local.saturating_sub(bucket.last_take) >= idle {
                        for _ in 0..bucket.spare {
                            bucket.report.slot_back(bucket.reset, true);
                        }
                        bucket.spare = 0;
                        bucket.status = Status::Ask;
                    }
                    keep_going |= bucket.spare > 0;
                    if !bucket.report.is_empty() {
                        bucket.refilling = true;
                        work.push((
                            method.clone(),
                            template.clone(),
                            std::mem::take(&mut bucket.report),
                        ));
                    }
                }
            }
            let p = &mut cache.permits;
            if !p.refilling && p.held > p.in_use {
                if p.contended
                    || local >= p.reuse_until
                    || local.saturating_sub(p.last_take) >= idle
                {
                    // Everything unused goes back.
                    p.refilling = true;
                    p.held = p.in_use;
                    permits = Some(p.in_use);
                } else {
                    keep_going = true;
                }
            }
        }
        // Every bucket and the permits marked above are cleared, whatever Redis does.
        for (method, template, report) in work {
            let key = BucketKey {
                method: &method,
                template: &template,
            };
            if self.in_outage() {
                // Redis failed meanwhile: the report is dropped (Redis counts its slots until
                // their window ends, which errs on the safe side).
                self.lock().bucket(key).refilling = false;
                continue;
            }
            let now = local as i64 + self.server_offset.load(Ordering::Acquire);
            self.sync_bucket(key, report, 0, now.max(0) as u64).await;
        }
        if let Some(in_use) = permits {
            match self.max_concurrent {
                Some(max) if !self.in_outage() => self.sync_permits(in_use, 0, max).await,
                _ => self.lock().permits.refilling = false,
            }
        }
        keep_going
    }
}

/// Runs a [`Shared::flush`] after `delay`, unless one is already due. Without a tokio runtime
/// (a request dropped outside of one), nothing is scheduled: the next lease reports instead.
fn schedule_flush(shared: &Arc<Shared>, delay: Duration) {
    // Most calls find one due already: checked before looking for the runtime.
    if shared.flush_scheduled.load(Ordering::Acquire) {
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if shared.flush_scheduled.swap(true, Ordering::AcqRel) {
        return;
    }
    let shared = shared.clone();
    runtime.spawn(async move {
        tokio::time::sleep(delay).await;
        // Cleared first: what is given back during the flush schedules the next one.
        shared.flush_scheduled.store(false, Ordering::Release);
        if shared.flush().await {
            schedule_flush(&shared, IDLE_RETURN);
        }
    });
}

impl Cache {
    fn bucket(&mut self, key: BucketKey<'_>) -> &mut Cached {
        let template = key.template;
        if self.buckets.len() >= MAX_BUCKETS && !self.buckets.contains_key(template.as_ref()) {
            self.buckets.retain(|_, methods| {
                methods.iter().any(|(_, b)| {
                    b.refilling || b.probe != Probe::None || b.spare > 0 || !b.report.is_empty()
                })
            });
        }
        let methods = match template {
            Cow::Borrowed(_) => self.buckets.entry(template.clone()).or_default(),
            Cow::Owned(path) => {
                if !self.buckets.contains_key(path.as_str()) {
                    self.buckets.insert(template.clone(), Vec::new());
                }
                self.buckets.get_mut(path.as_str()).expect("inserted above")
            }
        };
        let index = match methods.iter().position(|(m, _)| m == key.method) {
            Some(index) => index,
            None => {
                methods.push((key.method.clone(), Cached::default()));
                methods.len() - 1
            }
        };
        &mut methods[index].1
    }
}

/// Milliseconds of the earliest estimate of the server's time.
fn millis(now: ServerTime) -> u64 {
    u64::try_from(now.earliest / 1_000_000).unwrap_or(0)
}

impl LimitStore for Redis {
    fn take_slot(&self, key: BucketKey<'_>, now: ServerTime, capacity: Capacity) -> Decision {
        let shared = &self.0;
        if shared.in_outage() {
            return shared.fallback.take_slot(key, now, capacity);
        }
        let local = shared.local_ms();
        shared
            .server_offset
            .store(millis(now) as i64 - local as i64, Ordering::Release);
        let since = shared.slots_changed.version();
        let mut cache = shared.lock();
        let bucket = cache.bucket(key);
        bucket.last_take = local;
        match bucket.status {
            Status::Unlimited { until } if local < until => {
                return Decision::Send(Lease::SharedUnlimited)
            }
            Status::WaitReset { reset } if !now.past(reset) => {
                return Decision::WaitForReset {
                    reset,
                    wait: now.until(reset),
                };
            }
            Status::Poll { at } if local < at => return Decision::WaitForProbe { since },
            _ => {}
        }
        if bucket.probe == Probe::Granted {
            bucket.probe = Probe::Sent;
            return Decision::Send(Lease::SharedProbe);
        }
        if bucket.spare > 0 {
            let reset = bucket.reset;
            if now.before(reset) {
                bucket.spare -= 1;
                return Decision::Send(Lease::Shared { reset });
            }
            if !now.past(reset) {
                // Unsure which window a request would land in: wait until it is the next.
                return Decision::WaitForReset {
                    reset,
                    wait: now.until(reset),
                };
            }
            // The window is over: its slots are worth nothing (and no longer count in Redis).
            bucket.spare = 0;
        }
        bucket.wanting += 1;
        if bucket.refilling || bucket.probe == Probe::Sent {
            return Decision::WaitForProbe { since };
        }
        Decision::Refill
    }

    fn force_slot(&self, key: BucketKey<'_>) -> Lease {
        if self.0.in_outage() {
            return self.0.fallback.force_slot(key);
        }
        Lease::SharedUnlimited
    }

    fn give_back(&self, key: BucketKey<'_>, lease: Lease, answer: Option<Answer>) {
        let shared = &self.0;
        let delay = {
            let mut cache = shared.lock();
            let bucket = cache.bucket(key);
            match lease {
                Lease::Local => {
                    drop(cache);
                    shared.fallback.give_back(key, lease, answer);
                    return;
                }
                Lease::Shared { reset } => bucket.report.slot_back(reset, false),
                Lease::SharedProbe => {
                    bucket.probe = Probe::None;
                    bucket.report.probe_over = true;
                    bucket.status = Status::Ask;
                }
                Lease::SharedUnlimited => {}
            }
            if let Some(answer) = answer {
                // A 429 uses the window up: the spare slots are worth nothing now.
                if answer.throttled && bucket.spare > 0 {
                    for _ in 0..bucket.spare {
                        bucket.report.slot_back(bucket.reset, true);
                    }
                    bucket.spare = 0;
                    bucket.status = Status::Ask;
                }
                if lease == Lease::SharedUnlimited
                    && (answer.remaining.is_some() || answer.throttled)
                {
                    // The endpoint has limits after all.
                    bucket.status = Status::Ask;
                }
                bucket.report.merge(answer);
            }
            // A probe's answer is awaited by every other task of the bucket.
            if lease == Lease::SharedProbe {
                Duration::ZERO
            } else {
                FLUSH_DELAY
            }
        };
        if lease == Lease::SharedProbe {
            shared.slots_changed.bump();
        }
        schedule_flush(&self.0, delay);
    }

    fn reset_passed(&self, key: BucketKey<'_>, reset: u64) {
        let shared = &self.0;
        shared.fallback.reset_passed(key, reset);
        let mut cache = shared.lock();
        let bucket = cache.bucket(key);
        if let Status::WaitReset { reset: waited } = bucket.status {
            if waited <= reset {
                bucket.status = Status::Ask;
            }
        }
    }

    fn take_permit(&self, max: u32) -> PermitDecision {
        let shared = &self.0;
        if shared.in_outage() {
            return shared.fallback.take_permit(max);
        }
        let local = shared.local_ms();
        let since = shared.permits_changed.version();
        let mut cache = shared.lock();
        let p = &mut cache.permits;
        p.last_take = local;
        if p.held > p.in_use && local < p.reuse_until {
            p.in_use += 1;
            return PermitDecision::Granted(PermitLease::Shared);
        }
        p.wanting += 1;
        if p.refilling || local < p.poll_at {
            return PermitDecision::Wait { since };
        }
        PermitDecision::Refill
    }

    fn give_back_permit(&self, lease: PermitLease) {
        let shared = &self.0;
        if lease == PermitLease::Local {
            shared.fallback.give_back_permit(lease);
            return;
        }
        let give_back_now = {
            let mut cache = shared.lock();
            let p = &mut cache.permits;
            p.in_use = p.in_use.saturating_sub(1);
            p.contended || shared.local_ms() >= p.reuse_until
        };
        shared.permits_changed.bump();
        schedule_flush(
            &self.0,
            if give_back_now {
                Duration::ZERO
            } else {
                IDLE_RETURN
            },
        );
    }

    fn wait<'a>(&'a self, what: Wait<'a>) -> BoxFuture<'a, ()> {
        let shared = &self.0;
        match what {
            Wait::Refill { key, now } => Box::pin(async move {
                let (report, want) = {
                    let mut cache = shared.lock();
                    let bucket = cache.bucket(key);
                    if bucket.refilling {
                        (None, 0)
                    } else {
                        bucket.refilling = true;
                        let want = bucket.wanting.clamp(1, PREFETCH);
                        (Some(std::mem::take(&mut bucket.report)), want)
                    }
                };
                match report {
                    Some(report) => {
                        // Cleared however this future ends (it may be dropped mid-call).
                        let mut guard = Refilling {
                            shared,
                            key: Some(key),
                            armed: true,
                        };
                        shared.sync_bucket(key, report, want, millis(now)).await;
                        guard.armed = false;
                    }
                    None => {
                        let since = shared.slots_changed.version();
                        bounded(shared.slots_changed.changed(since), shared.timeout).await;
                    }
                }
            }),
            // The decision came from the fallback during an outage, else from the cache; either
            // way the wait is bounded, as Redis may fail or come back meanwhile.
            Wait::Probe { key, since } => Box::pin(async move {
                if shared.in_outage() {
                    bounded(shared.fallback.wait(Wait::Probe { key, since }), POLL).await;
                } else {
                    bounded(shared.slots_changed.changed(since), POLL).await;
                }
            }),
            Wait::RefillPermits { max } => Box::pin(async move {
                let take = {
                    let mut cache = shared.lock();
                    let p = &mut cache.permits;
                    if p.refilling {
                        None
                    } else {
                        // Everything unused goes back with the request for more.
                        p.refilling = true;
                        p.held = p.in_use;
                        Some((p.in_use, p.wanting.clamp(1, PERMIT_PREFETCH)))
                    }
                };
                match take {
                    Some((in_use, want)) => {
                        let mut guard = Refilling {
                            shared,
                            key: None,
                            armed: true,
                        };
                        shared.sync_permits(in_use, want, max).await;
                        guard.armed = false;
                    }
                    None => {
                        let since = shared.permits_changed.version();
                        bounded(shared.permits_changed.changed(since), shared.timeout).await;
                    }
                }
            }),
            Wait::Permit { since } => Box::pin(async move {
                if shared.in_outage() {
                    bounded(shared.fallback.wait(Wait::Permit { since }), POLL).await;
                } else {
                    bounded(shared.permits_changed.changed(since), POLL).await;
                }
            }),
        }
    }
}

/// Clears a bucket's (or the permits') `refilling` when a refill's future is dropped mid-call.
struct Refilling<'a> {
    shared: &'a Shared,
    key: Option<BucketKey<'a>>,
    armed: bool,
}

impl Drop for Refilling<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let mut cache = self.shared.lock();
        match self.key {
            Some(key) => cache.bucket(key).refilling = false,
            None => cache.permits.refilling = false,
        }
        drop(cache);
        self.shared.slots_changed.bump();
        self.shared.permits_changed.bump();
    }
}

/// `wait`, or `most` if that comes first.
async fn bounded(wait: impl std::future::Future<Output = ()>, most: Duration) {
    let sleep = tokio::time::sleep(most);
    futures_util::pin_mut!(wait, sleep);
    let _ = future::select(wait, sleep).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_messages_never_show_the_password() {
        let store = RedisStore::new("redis://user:s3cret-pw@127.0.0.1:6380/2").unwrap();
        let shown = format!("{store:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(shown.contains("127.0.0.1:6380"), "{shown}");
        let err = RedisStore::new("http://s3cret-pw@host")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cret-pw"), "{err}");
    }

    #[test]
    fn the_default_key_prefix_is_the_org_host_as_a_hash_tag() {
        let url = |u: &str| Url::parse(u).unwrap();
        assert_eq!(
            default_prefix(&url("https://acme.okta.com")),
            "okta:{acme.okta.com}"
        );
        assert_eq!(
            default_prefix(&url("http://127.0.0.1:8080")),
            "okta:{127.0.0.1:8080}"
        );
    }

    #[test]
    fn a_report_keeps_the_answer_that_says_the_most_and_counts_one_window() {
        let ok = |remaining, reset| Answer {
            throttled: false,
            limit: Some(600),
            remaining: Some(remaining),
            reset: Some(reset),
        };
        let mut report = Report::default();
        report.merge(ok(10, 100));
        report.merge(ok(12, 100)); // sent earlier, arrived later
        assert_eq!(report.answer, Some(ok(10, 100)));
        report.merge(Answer::default()); // no headers: says nothing more
        assert_eq!(report.answer, Some(ok(10, 100)));
        report.merge(ok(599, 160)); // the next window
        assert_eq!(report.answer, Some(ok(599, 160)));
        let throttled = Answer {
            throttled: true,
            ..ok(5, 160)
        };
        report.merge(throttled);
        assert_eq!(report.answer, Some(throttled), "a 429 means none remain");

        report.slot_back(100, false);
        report.slot_back(100, true);
        assert_eq!((report.reset, report.done, report.returned), (100, 1, 1));
        report.slot_back(160, false);
        assert_eq!((report.reset, report.done, report.returned), (160, 1, 0));
        report.slot_back(100, false); // an ended window's slot no longer counts
        assert_eq!((report.reset, report.done, report.returned), (160, 1, 0));
    }
}
