//! Rate-limit prevention: concurrent requests slow down *before* Okta answers 429, not after.
//!
//! Okta limits requests per endpoint in fixed windows (most are one minute long) and reports the
//! state of the window on every response: `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (the
//! end of the window, in Unix seconds of the server's clock, which the `Date` header gives at a
//! one-second resolution). Okta's Go SDK calls using them to hold requests back "rate-limit
//! prevention"; this module does that for all clones of one [`Client`](super::Client) (the
//! limiter lives in the client's `Arc`).
//!
//! Design:
//! - **Buckets.** The headers describe the bucket of the endpoint that answered, and different
//!   endpoints have different buckets. State is kept per *method + path template*
//!   (`GET /api/v1/users/{userId}`), the finest grain Okta uses. Where Okta shares one bucket
//!   between several of them (e.g. GET/PUT/DELETE of a user), each key still learns the shared
//!   `remaining` from its own responses; only the in-flight requests of its siblings go
//!   unaccounted. A generic request's template is its literal path, so the map is capped at
//!   [`MAX_BUCKETS`] (idle buckets are dropped when it is full).
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
//! - **Server clock.** Resets are in the server's clock. Each response's `Date` gives a lower
//!   bound of (server clock − local monotonic clock): `Date` is truncated to the second and was
//!   stamped before the response arrived. The largest bound seen so far is used, so the
//!   estimate of the server's time is never ahead of it and gets within a round trip of it
//!   after a few responses, without a one-second safety margin. Without any `Date`, the local
//!   clock stands in for the server's (as for 429 waits).
//! - **Limits of waiting.** A wait longer than the client's `max_rate_limit_wait` is not made:
//!   the request is sent and the server's answer decides (a 429 becomes `Error::RateLimited`).
//!
//! The lock is a plain mutex held for a few hash lookups and comparisons per request; nothing is
//! allocated per request once a bucket exists (except for generic requests' own templates).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::pin::pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, DATE};
use reqwest::{Method, StatusCode};
use tokio::sync::Notify;

use super::retry::{jitter, Sleeper};

/// Most random delay added to a rate-limit wait, so clients that were throttled together do not
/// all retry in the same instant.
const RATE_LIMIT_JITTER: Duration = Duration::from_millis(250);

/// Okta's rate-limit headers (names built once: looking a header up by `&str` parses the name).
pub(crate) const X_RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("x-rate-limit-limit");
pub(crate) const X_RATE_LIMIT_REMAINING: HeaderName =
    HeaderName::from_static("x-rate-limit-remaining");
pub(crate) const X_RATE_LIMIT_RESET: HeaderName = HeaderName::from_static("x-rate-limit-reset");

/// Most buckets kept; past it, buckets without a request in flight are forgotten.
const MAX_BUCKETS: usize = 1024;
const NANOS_PER_SEC: i128 = 1_000_000_000;
/// A `Date` sample this far below the current clock estimate means the server's clock was set
/// back (or a response was very slow): the estimate restarts from the sample. Legitimate samples
/// are at most one second (the header's resolution) plus the response's latency below it.
const CLOCK_STEP_BACK: i128 = 2 * NANOS_PER_SEC;

/// Rate-limit state shared by all clones of a client: the latest headers seen (for
/// `Client::last_rate_limit`) and, with prevention on, the per-bucket windows.
pub(crate) struct RateLimiter {
    prevention: bool,
    /// Origin of the local monotonic clock the server clock is compared with.
    origin: Instant,
    state: Mutex<State>,
    /// Wakes tasks waiting for a bucket's probe request to finish.
    probe_done: Notify,
}

#[derive(Default)]
struct State {
    latest: Option<RateLimitSnapshot>,
    clock: ServerClock,
    /// The latest `Date` header and its value, so the same second is parsed once.
    date: DateCache,
    /// Path template → (method, bucket). Keyed by template first so a lookup borrows the
    /// request's template instead of building a key; few methods share a template.
    buckets: HashMap<Cow<'static, str>, Vec<(Method, Bucket)>, BuildHasherDefault<Fnv1a>>,
}

/// FNV-1a, for the bucket map: its keys are path templates, hashed twice per request, and std's
/// SipHash costs several times more on strings that short. Its keys come from the generated
/// code, or from the paths of the caller's own generic requests, not from the server, and the
/// map is capped at [`MAX_BUCKETS`], so flooding attacks on the hash are not a concern.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325) // the offset basis
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
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
    /// Lower bound of (server Unix time − local monotonic time), in nanoseconds.
    offset: Option<i128>,
}

impl ServerClock {
    /// A response stamped `date_secs` (server clock) arrived at `local` (monotonic nanoseconds).
    fn observe(&mut self, date_secs: u64, local: i128) {
        let sample = i128::from(date_secs) * NANOS_PER_SEC - local;
        self.offset = Some(match self.offset {
            Some(bound) if sample > bound - CLOCK_STEP_BACK => bound.max(sample),
            _ => sample,
        });
    }

    /// The server's time (Unix nanoseconds) at local monotonic time `local`; the local wall
    /// clock before any `Date` was seen.
    fn now(&self, local: i128) -> i128 {
        match self.offset {
            Some(offset) => local + offset,
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as i128),
        }
    }
}

/// What is known of one bucket's current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// Nothing usable: a new bucket, or its window has ended. One request at a time is sent to
    /// learn the new window. Responses with a reset at or before `ended` describe the old window
    /// and are ignored.
    Unknown { ended: u64 },
    /// The endpoint answers without rate-limit headers: nothing to prevent.
    Unlimited,
    /// `remaining` requests may be made until `reset` (server Unix seconds).
    Known { remaining: u64, reset: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bucket {
    window: Window,
    /// Reserved slots whose response has not arrived yet.
    in_flight: u64,
}

/// What a request about to be sent must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// Send now (a slot was reserved).
    Send,
    /// Wait until the probe request in flight has answered.
    WaitForProbe,
    /// The window is used up: wait until `reset` (server Unix seconds), `wait` from now.
    WaitForReset { reset: u64, wait: Duration },
}

impl Bucket {
    const NEW: Bucket = Bucket {
        window: Window::Unknown { ended: 0 },
        in_flight: 0,
    };

    /// Decides at server time `server_now` (Unix nanoseconds); reserves a slot when it says
    /// `Send`.
    fn decide(&mut self, server_now: i128) -> Decision {
        if let Window::Known { reset, .. } = self.window {
            if server_now >= i128::from(reset) * NANOS_PER_SEC {
                self.window = Window::Unknown { ended: reset };
            }
        }
        let decision = match self.window {
            Window::Unlimited => Decision::Send,
            Window::Unknown { .. } if self.in_flight == 0 => Decision::Send,
            Window::Unknown { .. } => Decision::WaitForProbe,
            Window::Known { remaining, .. } if remaining > self.in_flight => Decision::Send,
            Window::Known { reset, .. } => {
                let nanos = i128::from(reset) * NANOS_PER_SEC - server_now;
                Decision::WaitForReset {
                    reset,
                    wait: Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX)),
                }
            }
        };
        if decision == Decision::Send {
            self.in_flight += 1;
        }
        decision
    }

    /// A reserved request was answered with `status` and these rate-limit headers (or failed
    /// without an answer: `None`), and its slot is given back. Returns whether tasks waiting for
    /// a probe may now proceed.
    fn complete(&mut self, answer: Option<(StatusCode, Option<RateLimitSnapshot>)>) -> bool {
        let was_unknown = matches!(self.window, Window::Unknown { .. });
        self.in_flight = self.in_flight.saturating_sub(1);
        if let Some((status, snapshot)) = answer {
            self.observe(status, snapshot);
        }
        was_unknown || matches!(self.window, Window::Unknown { .. })
    }

    fn observe(&mut self, status: StatusCode, snapshot: Option<RateLimitSnapshot>) {
        let throttled = status == StatusCode::TOO_MANY_REQUESTS;
        let (remaining, reset) = snapshot.map_or((None, None), |s| (s.remaining, s.reset));
        // A 429 means the window is used up, whatever `remaining` says.
        let remaining = if throttled { Some(0) } else { remaining };
        match (remaining, reset) {
            (Some(remaining), Some(reset)) => {
                self.window = match self.window {
                    Window::Unknown { ended } if reset <= ended => return,
                    Window::Known { reset: current, .. } if reset < current => return,
                    Window::Known {
                        remaining: known,
                        reset: current,
                    } if reset == current => Window::Known {
                        // Responses can arrive out of order: the lowest count is the latest.
                        remaining: remaining.min(known),
                        reset,
                    },
                    _ => Window::Known { remaining, reset },
                }
            }
            // Throttled without a reset: nothing to schedule by, so one request at a time.
            _ if throttled => self.window = Window::Unknown { ended: 0 },
            // An endpoint that answers without the headers is not limited (or does not say how):
            // nothing to wait for. Headers missing from one answer of a bucket known to have
            // them say nothing about its budget, though.
            (None, None) if matches!(self.window, Window::Unknown { .. }) => {
                self.window = Window::Unlimited;
            }
            _ => {}
        }
    }

    /// A task slept until `reset` (measured by the caller, e.g. after a 429): the window it
    /// waited for is over even if the local estimate of the server's clock lags.
    fn reset_passed(&mut self, reset: u64) {
        if let Window::Known { reset: current, .. } = self.window {
            if current <= reset {
                self.window = Window::Unknown { ended: current };
            }
        }
    }
}

impl RateLimiter {
    pub(crate) fn new(prevention: bool) -> RateLimiter {
        RateLimiter {
            prevention,
            origin: Instant::now(),
            state: Mutex::default(),
            probe_done: Notify::new(),
        }
    }

    pub(crate) fn prevention(&self) -> bool {
        self.prevention
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update leaves the state consistent, so a panic elsewhere cannot corrupt it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn local_now(&self) -> i128 {
        self.origin.elapsed().as_nanos() as i128
    }

    /// The rate-limit headers of the latest response that had them.
    pub(crate) fn latest(&self) -> Option<RateLimitSnapshot> {
        self.lock().latest
    }

    /// Waits until a request of `method template` may be sent, and reserves its slot. With
    /// prevention off, returns at once. Waits for a reset longer than `max_wait` are not made.
    // `&Cow`, not `&str`: a new bucket's key is a clone of it, free for a generated call's
    // `&'static` template.
    #[allow(clippy::ptr_arg)]
    pub(crate) async fn acquire<'a>(
        &'a self,
        method: &'a Method,
        template: &'a Cow<'static, str>,
        max_wait: Duration,
        sleeper: &Sleeper,
    ) -> Slot<'a> {
        let slot = |reserved: bool| Slot {
            limiter: self,
            key: reserved.then_some((method, template.as_ref())),
        };
        if !self.prevention {
            return slot(false);
        }
        if self.decide(method, template) == Decision::Send {
            return slot(true);
        }
        // Boxed: waiting is rare, and its state would otherwise make every request's future
        // larger.
        Box::pin(self.wait_for_slot(method, template, max_wait, sleeper)).await;
        slot(true)
    }

    /// Waits until a slot of `method template` is free (or a reset is too far to wait for), and
    /// reserves it.
    #[allow(clippy::ptr_arg)] // see `acquire`
    async fn wait_for_slot(
        &self,
        method: &Method,
        template: &Cow<'static, str>,
        max_wait: Duration,
        sleeper: &Sleeper,
    ) {
        loop {
            // Registered before deciding, so a probe finishing in between is not missed.
            let mut probe_done = pin!(self.probe_done.notified());
            probe_done.as_mut().enable();
            match self.decide(method, template) {
                Decision::Send => return,
                Decision::WaitForProbe => {
                    tracing::trace!(path = %template, "waiting for the rate-limit probe request");
                    probe_done.await;
                }
                Decision::WaitForReset { wait, .. } if wait > max_wait => {
                    // Too long to wait: let the server decide (a 429 becomes an error).
                    self.reserve_anyway(method, template);
                    return;
                }
                Decision::WaitForReset { reset, wait } => {
                    tracing::debug!(
                        path = %template,
                        delay_ms = wait.as_millis() as u64,
                        "rate-limit budget used up, waiting for the reset before sending"
                    );
                    sleeper(wait).await;
                    self.reset_passed(method, template, reset);
                }
            }
        }
    }

    #[allow(clippy::ptr_arg)] // see `acquire`
    fn decide(&self, method: &Method, template: &Cow<'static, str>) -> Decision {
        let local = self.local_now();
        let mut state = self.lock();
        let server_now = state.clock.now(local);
        state.bucket(method, template).decide(server_now)
    }

    #[allow(clippy::ptr_arg)] // see `acquire`
    fn reserve_anyway(&self, method: &Method, template: &Cow<'static, str>) {
        self.lock().bucket(method, template).in_flight += 1;
    }

    /// A task slept until `reset` for this bucket (a prevention wait, or after a 429).
    pub(crate) fn reset_passed(&self, method: &Method, template: &str, reset: u64) {
        if !self.prevention {
            return;
        }
        if let Some(bucket) = self.lock().existing_bucket(method, template) {
            bucket.reset_passed(reset);
        }
    }

    /// Records an answer (and gives back the slot of `key`, if one was reserved).
    fn complete(
        &self,
        key: Option<(&Method, &str)>,
        status: StatusCode,
        headers: &HeaderMap,
        local: i128,
    ) {
        let snapshot = RateLimitSnapshot::from_headers(headers);
        let date = key.and(headers.get(DATE));
        let wake = {
            let mut state = self.lock();
            if snapshot.is_some() {
                state.latest = snapshot;
            }
            if let Some(date) = date.and_then(|d| state.date.parse(d.as_bytes())) {
                state.clock.observe(date, local);
            }
            key.and_then(|(method, template)| state.existing_bucket(method, template))
                .is_some_and(|bucket| bucket.complete(Some((status, snapshot))))
        };
        if wake {
            self.probe_done.notify_waiters();
        }
    }

    /// Gives back a slot without an answer (transport error, timeout, or the caller gave up).
    fn release(&self, method: &Method, template: &str) {
        let wake = self
            .lock()
            .existing_bucket(method, template)
            .is_some_and(|bucket| bucket.complete(None));
        if wake {
            self.probe_done.notify_waiters();
        }
    }
}

impl State {
    #[allow(clippy::ptr_arg)] // see `acquire`
    fn bucket(&mut self, method: &Method, template: &Cow<'static, str>) -> &mut Bucket {
        if self.buckets.len() >= MAX_BUCKETS && !self.buckets.contains_key(template.as_ref()) {
            // Forgetting a bucket only costs a probe request the next time it is used.
            self.buckets
                .retain(|_, methods| methods.iter().any(|(_, b)| b.in_flight > 0));
        }
        let methods = match template {
            // One hash, and the key is a free copy of a generated call's `&'static` template.
            Cow::Borrowed(_) => self.buckets.entry(template.clone()).or_default(),
            // A generic request's own path: copied only when its bucket is new.
            Cow::Owned(path) => {
                if !self.buckets.contains_key(path.as_str()) {
                    self.buckets.insert(template.clone(), Vec::new());
                }
                self.buckets.get_mut(path.as_str()).expect("inserted above")
            }
        };
        let index = match methods.iter().position(|(m, _)| m == method) {
            Some(index) => index,
            None => {
                methods.push((method.clone(), Bucket::NEW));
                methods.len() - 1
            }
        };
        &mut methods[index].1
    }

    fn existing_bucket(&mut self, method: &Method, template: &str) -> Option<&mut Bucket> {
        self.buckets
            .get_mut(template)?
            .iter_mut()
            .find_map(|(m, bucket)| (m == method).then_some(bucket))
    }
}

/// A reserved slot (or, with prevention off, a placeholder). Give it back with
/// [`Slot::complete`] when the response arrives; dropping it (an error, or the request's future
/// being dropped) gives it back without an answer.
pub(crate) struct Slot<'a> {
    limiter: &'a RateLimiter,
    key: Option<(&'a Method, &'a str)>,
}

impl Slot<'_> {
    /// The request was answered: records its rate-limit headers and gives the slot back.
    pub(crate) fn complete(mut self, status: StatusCode, headers: &HeaderMap) {
        let local = self.limiter.local_now();
        self.limiter
            .complete(self.key.take(), status, headers, local);
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some((method, template)) = self.key.take() {
            self.limiter.release(method, template);
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
