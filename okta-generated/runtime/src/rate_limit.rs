//! Rate-limit prevention: concurrent requests slow down *before* Okta answers 429, not after.
//!
//! Okta limits requests per endpoint in fixed windows (most are one minute long) and reports the
//! state of the window on every response: `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (the
//! end of the window, in Unix seconds of the server's clock, which the `Date` header gives at a
//! one-second resolution). Okta's Go SDK calls using them to hold requests back "rate-limit
//! prevention"; this module does that for all clones of one [`Client`](super::Client) (the
//! limiter lives in the client's `Arc`), or for several processes sharing a store.
//!
//! Design:
//! - **Buckets.** The headers describe the bucket of the endpoint that answered, and different
//!   endpoints have different buckets. State is kept per *method + path template*
//!   (`GET /api/v1/users/{userId}`), the finest grain Okta uses. Where Okta shares one bucket
//!   between several of them (e.g. GET/PUT/DELETE of a user), each key still learns the shared
//!   `remaining` from its own responses; only the in-flight requests of its siblings go
//!   unaccounted. A generic request's template is its literal path, so the map is capped
//!   (idle buckets are dropped when it is full).
//! - **Reservations.** A request reserves a slot before it is sent and gives it back when its
//!   response (or error) arrives: it may go while `remaining` (as last reported) exceeds the
//!   requests in flight. That double-counts requests the server has already counted but whose
//!   responses have not arrived yet, which errs on the safe side by at most the concurrency.
//! - **Exhausted budget.** With no slot left, a task sleeps until the window's reset instead of
//!   sending. A 429 sets `remaining` to 0 until the reset.
//! - **Unknown state, one probe.** While nothing is known about a bucket (its first request, or
//!   once its window has ended), one request at a time goes out to learn the new window; the
//!   others wait for its response. So a window that has not in fact reset yet costs one 429,
//!   not one per task, and a small limit is never overrun by a burst of first requests.
//!   An endpoint that answers without the headers is not limited at all.
//! - **Server clock.** Resets are in the server's clock. Each response's `Date` bounds (server
//!   clock − local monotonic clock): `Date` is truncated to the second and was stamped after
//!   the request was sent and before the response arrived. The tightest bounds seen so far
//!   are kept, so the server's time is known to lie between two estimates that close in to
//!   within a round trip once a few responses have straddled a tick of `Date`, without a
//!   one-second safety margin. A window is over once the earlier estimate passes its reset (so
//!   a probe never goes early), and its budget is used only while the later one is before it
//!   (so no request of the old window lands in the next one); in between, requests wait. Without
//!   any `Date`, the local clock stands in for the server's (as for 429 waits).
//! - **Limits of waiting.** A wait longer than the client's `max_rate_limit_wait` is not made:
//!   the request is sent and the server's answer decides (a 429 becomes `Error::RateLimited`).
//!
//! - **Capacity.** With `max_api_capacity(p)`, a request goes only while more than the
//!   window's `limit × (100 − p)%` remains (plus the requests in flight), as the Terraform
//!   provider's option of that name does: the rest of each window is left to other clients
//!   of the org, whoever uses it.
//! - **Concurrency.** With `max_concurrent_requests(n)`, at most `n` requests are in flight:
//!   each attempt takes a permit just before it is sent and gives it back when its answer
//!   arrives (an OAuth token request takes one too). A request takes its rate-limit slot
//!   first; with a shared store, if that slot's window may have ended by the time the permit
//!   comes, it gives both back and takes a slot of the next window, since the store counts a
//!   slot in its own window only.
//! - **Where the state lives.** The windows, the requests in flight and the permits are kept
//!   by a [`LimitStore`] (`limit_state.rs`): in this process by default, or in Redis
//!   (`redis_store.rs`) for several processes. What each process learns for itself (the
//!   server's clock, the latest headers) stays here.
//!
//! In this process, the lock is a plain mutex held for a few hash lookups and comparisons per
//! request; nothing is allocated per request once a bucket exists (except for generic
//! requests' own templates).

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, DATE};
use reqwest::{Method, StatusCode};

use super::limit_state::{
    Answer, BucketKey, Capacity, Decision, InProcess, Lease, LimitStore, PermitDecision,
    PermitLease, ServerTime, Wait, NANOS_PER_SEC,
};
use super::retry::{jitter, Sleeper};

/// Most random delay added to a rate-limit wait, so clients that were throttled together do not
/// all retry in the same instant.
const RATE_LIMIT_JITTER: Duration = Duration::from_millis(250);

/// Okta's rate-limit headers (names built once: looking a header up by `&str` parses the name).
pub(crate) const X_RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("x-rate-limit-limit");
pub(crate) const X_RATE_LIMIT_REMAINING: HeaderName =
    HeaderName::from_static("x-rate-limit-remaining");
pub(crate) const X_RATE_LIMIT_RESET: HeaderName = HeaderName::from_static("x-rate-limit-reset");

/// A `Date` sample this far below the current clock estimate means the server's clock was set
/// back (or a response was very slow): the estimate restarts from the sample. Legitimate samples
/// are at most one second (the header's resolution) plus the response's latency below it.
const CLOCK_STEP_BACK: i128 = 2 * NANOS_PER_SEC;

/// What the builder says the limiter does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Rate-limit prevention: hold requests back while their bucket's budget is used up.
    pub(crate) prevention: bool,
    /// The share of each window this client may use (`max_api_capacity`).
    pub(crate) capacity: Capacity,
    /// At most this many requests in flight (`max_concurrent_requests`).
    pub(crate) max_concurrent: Option<u32>,
}

/// Rate-limit state shared by all clones of a client: the latest headers seen (for
/// `Client::last_rate_limit`), the estimate of the server's clock, and the store that keeps
/// the per-bucket windows and the requests in flight (in this process, or in Redis).
pub(crate) struct RateLimiter {
    limits: Limits,
    /// Origin of the local monotonic clock the server clock is compared with.
    origin: Instant,
    local: Mutex<Local>,
    store: Box<dyn LimitStore>,
}

/// What each process learns for itself from the responses it gets.
#[derive(Default)]
struct Local {
    latest: Option<RateLimitSnapshot>,
    clock: ServerClock,
    /// The latest `Date` header and its value, so the same second is parsed once.
    date: DateCache,
}

/// The last `Date` header parsed: responses within the same second carry the same text.
#[derive(Default)]
struct DateCache {
    raw: [u8; 32],
    len: usize,
    secs: u64,
}

impl DateCache {
    /// The `Date` header as Unix seconds.
    fn parse(&mut self, raw: &[u8]) -> Option<u64> {
        if raw.len() == self.len && raw == &self.raw[..self.len] {
            return Some(self.secs);
        }
        let date = httpdate::parse_http_date(std::str::from_utf8(raw).ok()?).ok()?;
        let secs = date.duration_since(UNIX_EPOCH).ok()?.as_secs();
        if raw.len() <= self.raw.len() {
            self.raw[..raw.len()].copy_from_slice(raw);
            (self.len, self.secs) = (raw.len(), secs);
        }
        Some(secs)
    }
}

/// Estimate of the server's clock from `Date` headers; see the module docs.
#[derive(Default, Clone, Copy)]
struct ServerClock {
    /// Bounds of (server Unix time − local monotonic time), in nanoseconds.
    offset: Option<(i128, i128)>,
}

impl ServerClock {
    /// A response stamped `date_secs` (server clock) arrived at `received` for a request sent
    /// (at the earliest) at `sent` (local monotonic nanoseconds). The stamp was made in between,
    /// at a server time within the second `date_secs`.
    fn observe(&mut self, date_secs: u64, sent: i128, received: i128) {
        let low = i128::from(date_secs) * NANOS_PER_SEC - received;
        let high = i128::from(date_secs + 1) * NANOS_PER_SEC - sent;
        self.offset = Some(match self.offset {
            Some((bound, _)) if low <= bound - CLOCK_STEP_BACK => (low, high),
            Some((bound, top)) => {
                let bound = bound.max(low);
                let top = if top < bound {
                    // The server's clock jumped forward past the old upper bound.
                    high
                } else if high >= bound {
                    top.min(high)
                } else {
                    // At odds with the lower bound (a clock set back a little): ignored.
                    top
                };
                (bound, top)
            }
            None => (low, high),
        });
    }

    /// The server's time at local monotonic time `local`; the local wall clock before any
    /// `Date` was seen.
    fn now(&self, local: i128) -> ServerTime {
        match self.offset {
            Some((low, high)) => ServerTime {
                earliest: local + low,
                latest: local + high,
            },
            None => {
                let wall = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as i128);
                ServerTime {
                    earliest: wall,
                    latest: wall,
                }
            }
        }
    }
}

impl RateLimiter {
    /// With the state in this process.
    #[cfg(test)]
    pub(crate) fn new(prevention: bool) -> RateLimiter {
        let limits = Limits {
            prevention,
            capacity: Capacity::FULL,
            max_concurrent: None,
        };
        RateLimiter::with_store(limits, Box::new(InProcess::default()))
    }

    pub(crate) fn with_store(limits: Limits, store: Box<dyn LimitStore>) -> RateLimiter {
        RateLimiter {
            limits,
            origin: Instant::now(),
            local: Mutex::default(),
            store,
        }
    }

    /// The default store: this process's own.
    pub(crate) fn in_process() -> Box<dyn LimitStore> {
        Box::new(InProcess::default())
    }

    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    fn lock(&self) -> MutexGuard<'_, Local> {
        // Every update leaves the state consistent, so a panic elsewhere cannot corrupt it.
        self.local.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn local_now(&self) -> i128 {
        self.origin.elapsed().as_nanos() as i128
    }

    /// The estimate of the server's time now.
    fn server_now(&self) -> ServerTime {
        let local = self.local_now();
        let clock = self.lock().clock;
        clock.now(local)
    }

    /// The rate-limit headers of the latest response that had them.
    pub(crate) fn latest(&self) -> Option<RateLimitSnapshot> {
        self.lock().latest
    }

    /// Waits until a request of `method template` may be sent, and reserves its slot. With
    /// prevention off, returns at once. Waits for a reset longer than `max_wait` are not made.
    // `&Cow`, not `&str`: see `BucketKey`.
    #[allow(clippy::ptr_arg)]
    pub(crate) async fn acquire<'a>(
        &'a self,
        method: &'a Method,
        template: &'a Cow<'static, str>,
        max_wait: Duration,
        sleeper: &Sleeper,
    ) -> Slot<'a> {
        let key = BucketKey { method, template };
        let slot = |lease: Option<Lease>| Slot {
            limiter: self,
            key: lease.map(|lease| (key, lease)),
            sent: self.local_now(),
        };
        if !self.limits.prevention {
            return slot(None);
        }
        if let Decision::Send(lease) = self.decide(key) {
            return slot(Some(lease));
        }
        // Boxed: waiting is rare, and its state would otherwise make every request's future
        // larger.
        let lease = Box::pin(self.wait_for_slot(key, max_wait, sleeper)).await;
        slot(Some(lease))
    }

    /// Waits until a slot of `key` is free (or a reset is too far to wait for), and reserves it.
    async fn wait_for_slot(
        &self,
        key: BucketKey<'_>,
        max_wait: Duration,
        sleeper: &Sleeper,
    ) -> Lease {
        loop {
            match self.decide(key) {
                Decision::Send(lease) => return lease,
                Decision::WaitForProbe { since } => {
                    tracing::trace!(path = %key.template, "waiting for the rate-limit probe request");
                    self.store.wait(Wait::Probe { key, since }).await;
                }
                #[cfg(feature = "redis")]
                Decision::Refill => {
                    let now = self.server_now();
                    self.store.wait(Wait::Refill { key, now }).await;
                }
                Decision::WaitForReset { wait, .. } if wait > max_wait => {
                    // Too long to wait: let the server decide (a 429 becomes an error).
                    return self.store.force_slot(key);
                }
                Decision::WaitForReset { reset, wait } => {
                    tracing::debug!(
                        path = %key.template,
                        delay_ms = wait.as_millis() as u64,
                        "rate-limit budget used up, waiting for the reset before sending"
                    );
                    sleeper(wait).await;
                    self.store.reset_passed(key, reset);
                }
            }
        }
    }

    fn decide(&self, key: BucketKey<'_>) -> Decision {
        let now = self.server_now();
        self.store.take_slot(key, now, self.limits.capacity)
    }

    /// A task slept until `reset` for this bucket (a prevention wait, or after a 429).
    #[allow(clippy::ptr_arg)] // see `acquire`
    pub(crate) fn reset_passed(&self, method: &Method, template: &Cow<'static, str>, reset: u64) {
        if self.limits.prevention {
            self.store
                .reset_passed(BucketKey { method, template }, reset);
        }
    }

    /// Records an answer (and gives back the slot of `key`, if one was reserved).
    fn complete(
        &self,
        key: Option<(BucketKey<'_>, Lease)>,
        status: StatusCode,
        headers: &HeaderMap,
        (sent, received): (i128, i128),
    ) {
        let snapshot = RateLimitSnapshot::from_headers(headers);
        let date = key.and(headers.get(DATE));
        {
            let mut state = self.lock();
            if snapshot.is_some() {
                state.latest = snapshot;
            }
            if let Some(date) = date.and_then(|d| state.date.parse(d.as_bytes())) {
                state.clock.observe(date, sent, received);
            }
        }
        if let Some((key, lease)) = key {
            let answer = Answer {
                throttled: status == StatusCode::TOO_MANY_REQUESTS,
                limit: snapshot.and_then(|s| s.limit),
                remaining: snapshot.and_then(|s| s.remaining),
                reset: snapshot.and_then(|s| s.reset),
            };
            self.store.give_back(key, lease, Some(answer));
        }
    }

    /// Waits for a concurrency permit (`max_concurrent_requests`); without a cap, returns at
    /// once. Taken for each attempt just before it is sent (after its rate-limit slot and its
    /// credentials, so an OAuth token fetch, which takes a permit of its own, never waits for
    /// one while holding another), and given back when its answer (or error) arrives.
    pub(crate) async fn permit(&self) -> Permit<'_> {
        let Some(max) = self.limits.max_concurrent else {
            return Permit {
                limiter: self,
                lease: None,
            };
        };
        let lease = match self.store.take_permit(max) {
            PermitDecision::Granted(lease) => lease,
            // Boxed, as in `acquire`.
            _ => Box::pin(self.wait_for_permit(max)).await,
        };
        Permit {
            limiter: self,
            lease: Some(lease),
        }
    }

    async fn wait_for_permit(&self, max: u32) -> PermitLease {
        loop {
            match self.store.take_permit(max) {
                PermitDecision::Granted(lease) => return lease,
                PermitDecision::Wait { since } => {
                    tracing::trace!(max, "waiting for a concurrency permit");
                    self.store.wait(Wait::Permit { since }).await;
                }
                #[cfg(feature = "redis")]
                PermitDecision::Refill => self.store.wait(Wait::RefillPermits { max }).await,
            }
        }
    }

    #[cfg(test)]
    fn store(&self) -> &dyn LimitStore {
        &*self.store
    }
}

/// A reserved slot (or, with prevention off, a placeholder). Give it back with
/// [`Slot::complete`] when the response arrives; dropping it (an error, or the request's future
/// being dropped) gives it back without an answer.
pub(crate) struct Slot<'a> {
    limiter: &'a RateLimiter,
    key: Option<(BucketKey<'a>, Lease)>,
    /// Local time the slot was reserved: the request was sent after it.
    sent: i128,
}

impl Slot<'_> {
    /// Whether the window this slot was taken in may have ended while its request waited (for
    /// its credentials or a concurrency permit). A slot leased from a shared store counts in
    /// its own window only: sent now, the request could be counted by the server in the next
    /// window, where the store does not count it. The same test as for leasing the slot: its
    /// window's budget is used only while the latest estimate of the server's time is before
    /// the reset. (A slot of this process's own state needs no such test: its request stays
    /// in flight, and counts against the next window too, until it is answered.)
    pub(crate) fn outlived_its_window(&self) -> bool {
        match self.key {
            #[cfg(feature = "redis")]
            Some((_, Lease::Shared { reset })) => !self.limiter.server_now().before(reset),
            _ => false,
        }
    }

    /// The request was answered: records its rate-limit headers and gives the slot back.
    pub(crate) fn complete(mut self, status: StatusCode, headers: &HeaderMap) {
        let received = self.limiter.local_now();
        self.limiter
            .complete(self.key.take(), status, headers, (self.sent, received));
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some((key, lease)) = self.key.take() {
            self.limiter.store.give_back(key, lease, None);
        }
    }
}

/// A concurrency permit (or, without a cap, a placeholder), given back when dropped.
pub(crate) struct Permit<'a> {
    limiter: &'a RateLimiter,
    lease: Option<PermitLease>,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Some(lease) = self.lease.take() {
            self.limiter.store.give_back_permit(lease);
        }
    }
}

/// How long to wait after a 429: until `X-Rate-Limit-Reset` (Unix seconds) as measured against
/// the response's `Date` header (the server's clock, so local clock skew does not matter; the
/// local clock when there is no `Date`), plus one second because both headers have a one-second
/// resolution (as Okta's Go SDK does), plus a small jitter. `None` without a usable reset header.
pub(crate) fn rate_limit_wait(headers: &HeaderMap, local_now: SystemTime) -> Option<Duration> {
    let reset = header_u64(headers, &X_RATE_LIMIT_RESET)?;
    let now = headers
        .get(DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .unwrap_or(local_now);
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let secs = reset.saturating_sub(now).saturating_add(1);
    Some(Duration::from_secs(secs).saturating_add(jitter(RATE_LIMIT_JITTER)))
}

/// Smallest value of a numeric header that may appear several times (Okta can send one per
/// applicable limit; the smallest is the binding one, as in Okta's Go SDK).
pub(crate) fn header_u64(headers: &HeaderMap, name: &HeaderName) -> Option<u64> {
    headers.get_all(name).iter().filter_map(value_u64).min()
}

/// A header value as a number: ASCII digits, surrounding blanks allowed. (A digit loop: this
/// runs three times on every response, and going through `str::parse` costs twice as much.)
fn value_u64(value: &HeaderValue) -> Option<u64> {
    let digits = value.as_bytes().trim_ascii();
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// The rate-limit headers of the latest Okta response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitSnapshot {
    /// `X-Rate-Limit-Limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `X-Rate-Limit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-Rate-Limit-Reset`: when the window resets, in seconds since the Unix epoch.
    pub reset: Option<u64>,
}

impl RateLimitSnapshot {
    /// The three headers, each read as [`header_u64`] reads it (the smallest of repeated
    /// values), in one pass over the response's headers. This runs on every response, and a
    /// lookup by name hashes the name: three lookups cost several times this scan, which
    /// rejects most names by their length.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<RateLimitSnapshot> {
        let mut s = RateLimitSnapshot {
            limit: None,
            remaining: None,
            reset: None,
        };
        for (name, value) in headers {
            let name = name.as_str();
            let field = match name.len() {
                // Names are lowercase in a `HeaderMap`.
                18 if name == "x-rate-limit-limit" => &mut s.limit,
                18 if name == "x-rate-limit-reset" => &mut s.reset,
                22 if name == "x-rate-limit-remaining" => &mut s.remaining,
                _ => continue,
            };
            if let Some(n) = value_u64(value) {
                *field = Some(field.map_or(n, |m| m.min(n)));
            }
        }
        (s.limit.is_some() || s.remaining.is_some() || s.reset.is_some()).then_some(s)
    }
}

#[cfg(test)]
mod tests;
