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

use reqwest::header::{HeaderMap, DATE};
use reqwest::{Method, StatusCode};
use tokio::sync::Notify;

use super::retry::{RateLimitSnapshot, Sleeper};

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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use std::sync::Arc;

    const SEC: i128 = NANOS_PER_SEC;
    /// Server time of the tests: 1445412480 = Wed, 21 Oct 2015 07:28:00 GMT.
    const T0: u64 = 1_445_412_480;
    const OK: StatusCode = StatusCode::OK;
    const THROTTLED: StatusCode = StatusCode::TOO_MANY_REQUESTS;

    fn at(secs: u64) -> i128 {
        i128::from(secs) * SEC
    }

    fn snapshot(remaining: u64, reset: u64) -> Option<RateLimitSnapshot> {
        Some(RateLimitSnapshot {
            limit: Some(600),
            remaining: Some(remaining),
            reset: Some(reset),
        })
    }

    fn known(remaining: u64, reset: u64) -> Bucket {
        Bucket {
            window: Window::Known { remaining, reset },
            in_flight: 0,
        }
    }

    #[test]
    fn first_request_of_a_bucket_is_a_lone_probe_and_its_answer_opens_the_window() {
        let mut b = Bucket::NEW;
        assert_eq!(b.decide(at(T0)), Decision::Send);
        assert_eq!(b.decide(at(T0)), Decision::WaitForProbe);
        assert!(
            b.complete(Some((OK, snapshot(3, T0 + 60)))),
            "waiters are woken"
        );
        assert_eq!(
            b.window,
            Window::Known {
                remaining: 3,
                reset: T0 + 60
            }
        );
        for _ in 0..3 {
            assert_eq!(b.decide(at(T0)), Decision::Send);
        }
        assert_eq!(b.in_flight, 3);
    }

    #[test]
    fn slots_are_remaining_minus_in_flight_then_tasks_wait_for_the_reset() {
        let mut b = known(2, T0 + 10);
        assert_eq!(b.decide(at(T0)), Decision::Send);
        assert_eq!(b.decide(at(T0)), Decision::Send);
        // Both in flight, nothing answered yet: the budget is spoken for.
        assert_eq!(
            b.decide(at(T0) + SEC / 2),
            Decision::WaitForReset {
                reset: T0 + 10,
                wait: Duration::from_millis(9_500)
            }
        );
        assert_eq!(b.in_flight, 2, "a waiting request reserves nothing");
        // The answers report the budget gone; the slots are back but nothing is left.
        assert!(!b.complete(Some((OK, snapshot(1, T0 + 10)))));
        assert!(!b.complete(Some((OK, snapshot(0, T0 + 10)))));
        assert_eq!(b.in_flight, 0);
        assert!(matches!(
            b.decide(at(T0 + 9)),
            Decision::WaitForReset { .. }
        ));
    }

    #[test]
    fn at_the_reset_the_window_is_unknown_and_one_probe_learns_the_next_one() {
        let mut b = known(0, T0 + 10);
        assert_eq!(b.decide(at(T0 + 10)), Decision::Send);
        assert_eq!(b.window, Window::Unknown { ended: T0 + 10 });
        assert_eq!(b.decide(at(T0 + 10)), Decision::WaitForProbe);
        b.complete(Some((OK, snapshot(599, T0 + 70))));
        assert_eq!(b.decide(at(T0 + 10)), Decision::Send);
    }

    #[test]
    fn late_answers_from_an_ended_window_are_ignored() {
        let mut b = known(5, T0 + 10);
        assert_eq!(b.decide(at(T0 + 9)), Decision::Send); // sent in the old window
        assert_eq!(b.decide(at(T0 + 10)), Decision::WaitForProbe); // window over, old one in flight
        b.complete(Some((OK, snapshot(4, T0 + 10))));
        assert_eq!(b.window, Window::Unknown { ended: T0 + 10 });
        assert_eq!(b.decide(at(T0 + 10)), Decision::Send, "now the probe goes");
    }

    #[test]
    fn a_429_sets_remaining_to_zero_until_the_reset() {
        let mut b = known(50, T0 + 30);
        assert_eq!(b.decide(at(T0)), Decision::Send);
        // Another client used the bucket up; the 429 may even claim some remain.
        b.complete(Some((THROTTLED, snapshot(7, T0 + 30))));
        assert_eq!(
            b.window,
            Window::Known {
                remaining: 0,
                reset: T0 + 30
            }
        );
        assert!(matches!(
            b.decide(at(T0 + 29)),
            Decision::WaitForReset { reset, .. } if reset == T0 + 30
        ));
    }

    #[test]
    fn a_429_without_a_reset_makes_requests_go_one_at_a_time() {
        let mut b = known(50, T0 + 30);
        b.decide(at(T0));
        b.complete(Some((THROTTLED, None)));
        assert!(matches!(b.window, Window::Unknown { .. }));
        assert_eq!(b.decide(at(T0)), Decision::Send);
        assert_eq!(b.decide(at(T0)), Decision::WaitForProbe);
    }

    #[test]
    fn out_of_order_answers_keep_the_lowest_remaining_and_a_newer_window_replaces() {
        let mut b = known(10, T0 + 60);
        b.complete(Some((OK, snapshot(3, T0 + 60))));
        b.complete(Some((OK, snapshot(8, T0 + 60)))); // sent earlier, arrived later
        assert_eq!(
            b.window,
            Window::Known {
                remaining: 3,
                reset: T0 + 60
            }
        );
        b.complete(Some((OK, snapshot(9, T0)))); // an older window
        assert_eq!(
            b.window,
            Window::Known {
                remaining: 3,
                reset: T0 + 60
            }
        );
        b.complete(Some((OK, snapshot(599, T0 + 120))));
        assert_eq!(
            b.window,
            Window::Known {
                remaining: 599,
                reset: T0 + 120
            }
        );
    }

    #[test]
    fn an_endpoint_without_rate_limit_headers_is_not_held_back() {
        let mut b = Bucket::NEW;
        b.decide(at(T0));
        b.complete(Some((OK, None)));
        assert_eq!(b.window, Window::Unlimited);
        for _ in 0..100 {
            assert_eq!(b.decide(at(T0)), Decision::Send);
        }
        // One answer without headers does not forget a known budget.
        let mut b = known(0, T0 + 60);
        b.complete(Some((OK, None)));
        assert_eq!(
            b.window,
            Window::Known {
                remaining: 0,
                reset: T0 + 60
            }
        );
    }

    #[test]
    fn a_probe_that_fails_without_an_answer_lets_the_next_request_probe() {
        let mut b = Bucket::NEW;
        assert_eq!(b.decide(at(T0)), Decision::Send);
        assert!(b.complete(None), "waiters are woken");
        assert_eq!(b.decide(at(T0)), Decision::Send);
    }

    #[test]
    fn sleeping_until_the_reset_ends_the_window_even_if_the_clock_estimate_lags() {
        let mut b = known(0, T0 + 10);
        b.reset_passed(T0 + 10);
        assert_eq!(b.window, Window::Unknown { ended: T0 + 10 });
        // A newer window learnt meanwhile is kept.
        let mut b = known(5, T0 + 70);
        b.reset_passed(T0 + 10);
        assert_eq!(
            b.window,
            Window::Known {
                remaining: 5,
                reset: T0 + 70
            }
        );
    }

    #[test]
    fn server_clock_is_a_lower_bound_that_tightens_and_restarts_when_set_back() {
        let mut clock = ServerClock::default();
        // Local monotonic time 5 s; Date says T0 (the true time may be up to T0 + 0.999).
        clock.observe(T0, 5 * SEC);
        assert_eq!(clock.now(5 * SEC), at(T0));
        // Later, the Date ticks to T0 + 1 just 0.3 s after: the server is 0.7 s later than thought.
        clock.observe(T0 + 1, 5 * SEC + 3 * SEC / 10);
        assert_eq!(clock.now(6 * SEC), at(T0) + 17 * SEC / 10);
        // A stale-looking sample within the resolution and latency does not lower it.
        clock.observe(T0 + 1, 6 * SEC + 9 * SEC / 10);
        assert_eq!(clock.now(6 * SEC), at(T0) + 17 * SEC / 10);
        // The server's clock went back 10 s: start again from there.
        clock.observe(T0 - 8, 7 * SEC);
        assert_eq!(clock.now(7 * SEC), at(T0 - 8));
    }

    #[test]
    fn date_cache_parses_each_distinct_date_and_refuses_garbage() {
        let mut cache = DateCache::default();
        let a = b"Wed, 21 Oct 2015 07:28:00 GMT";
        let b = b"Wed, 21 Oct 2015 07:28:01 GMT";
        assert_eq!(cache.parse(a), Some(T0));
        assert_eq!(cache.parse(a), Some(T0));
        assert_eq!(cache.parse(b), Some(T0 + 1));
        assert_eq!(cache.parse(b"yesterday"), None);
        assert_eq!(cache.parse(a), Some(T0));
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn okta_headers(remaining: u64, reset: u64) -> HeaderMap {
        headers(&[
            ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ("x-rate-limit-limit", "600"),
            ("x-rate-limit-remaining", &remaining.to_string()),
            ("x-rate-limit-reset", &reset.to_string()),
        ])
    }

    /// A sleeper that records the delays and returns at once.
    fn recording_sleeper() -> (Sleeper, Arc<Mutex<Vec<Duration>>>) {
        let delays = Arc::new(Mutex::new(Vec::new()));
        let recorder = delays.clone();
        let sleeper = super::super::retry::sleeper_from(move |d| {
            recorder.lock().unwrap().push(d);
            async {}
        });
        (sleeper, delays)
    }

    const MAX_WAIT: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn limiter_waits_for_the_reset_measured_against_date_when_the_budget_is_used_up() {
        let limiter = RateLimiter::new(true);
        let (sleeper, delays) = recording_sleeper();
        let (get, path) = (Method::GET, Cow::Borrowed("/api/v1/users/{userId}"));
        let slot = limiter.acquire(&get, &path, MAX_WAIT, &sleeper).await;
        slot.complete(OK, &okta_headers(0, T0 + 5));
        // Date = T0, the local clock is years later: the wait is measured against Date.
        let slot = limiter.acquire(&get, &path, MAX_WAIT, &sleeper).await;
        let waits = delays.lock().unwrap().clone();
        assert_eq!(waits.len(), 1, "{waits:?}");
        assert!(
            waits[0] > Duration::from_secs(4) && waits[0] <= Duration::from_secs(5),
            "{waits:?}"
        );
        drop(slot);
        // Other buckets and `last_rate_limit` are unaffected by the wait.
        let other = Cow::Borrowed("/api/v1/groups");
        let _slot = limiter.acquire(&get, &other, MAX_WAIT, &sleeper).await;
        assert_eq!(delays.lock().unwrap().len(), 1);
        assert_eq!(limiter.latest().unwrap().remaining, Some(0));
    }

    #[tokio::test]
    async fn limiter_sends_without_waiting_when_the_reset_is_beyond_the_max_wait() {
        let limiter = RateLimiter::new(true);
        let (sleeper, delays) = recording_sleeper();
        let (get, path) = (Method::GET, Cow::Borrowed("/api/v1/users"));
        limiter
            .acquire(&get, &path, MAX_WAIT, &sleeper)
            .await
            .complete(OK, &okta_headers(0, T0 + 3600));
        let _slot = limiter.acquire(&get, &path, MAX_WAIT, &sleeper).await;
        assert!(delays.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn limiter_with_prevention_off_only_records_the_latest_headers() {
        let limiter = RateLimiter::new(false);
        let (sleeper, delays) = recording_sleeper();
        let (get, path) = (Method::GET, Cow::Borrowed("/api/v1/users"));
        for _ in 0..3 {
            limiter
                .acquire(&get, &path, MAX_WAIT, &sleeper)
                .await
                .complete(THROTTLED, &okta_headers(0, T0 + 5));
        }
        assert!(delays.lock().unwrap().is_empty());
        assert!(limiter.lock().buckets.is_empty());
        assert_eq!(limiter.latest().unwrap().reset, Some(T0 + 5));
    }

    #[tokio::test]
    async fn latest_headers_survive_an_answer_without_them() {
        let limiter = RateLimiter::new(true);
        let (sleeper, _) = recording_sleeper();
        let (get, path) = (Method::GET, Cow::Borrowed("/api/v1/users"));
        assert_eq!(limiter.latest(), None);
        limiter
            .acquire(&get, &path, MAX_WAIT, &sleeper)
            .await
            .complete(OK, &okta_headers(5, T0 + 60));
        limiter
            .acquire(&get, &path, MAX_WAIT, &sleeper)
            .await
            .complete(OK, &HeaderMap::new());
        let latest = limiter.latest().unwrap();
        assert_eq!((latest.limit, latest.remaining), (Some(600), Some(5)));
    }

    #[tokio::test]
    async fn dropping_a_probe_slot_wakes_a_task_waiting_for_it() {
        let limiter = Arc::new(RateLimiter::new(true));
        let (sleeper, _) = recording_sleeper();
        let path = Cow::Borrowed("/api/v1/users");
        let probe = limiter
            .acquire(&Method::GET, &path, MAX_WAIT, &sleeper)
            .await;
        let waiter = {
            let (limiter, sleeper, path) = (limiter.clone(), sleeper.clone(), path.clone());
            tokio::spawn(async move {
                let _slot = limiter
                    .acquire(&Method::GET, &path, MAX_WAIT, &sleeper)
                    .await;
            })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "waits while the probe is in flight");
        drop(probe); // e.g. the probe's future was dropped, or it failed to connect
        waiter.await.unwrap();
    }

    #[test]
    fn buckets_are_keyed_by_method_and_template_and_capped() {
        let limiter = RateLimiter::new(true);
        let path = Cow::Borrowed("/api/v1/users/{userId}");
        assert_eq!(limiter.decide(&Method::GET, &path), Decision::Send);
        assert_eq!(
            limiter.decide(&Method::DELETE, &path),
            Decision::Send,
            "another bucket"
        );
        assert_eq!(limiter.decide(&Method::GET, &path), Decision::WaitForProbe);
        for i in 0..MAX_BUCKETS + 10 {
            let path = Cow::Owned(format!("/api/v1/users/{i}"));
            let (get, state) = (Method::GET, &mut *limiter.lock());
            let bucket = state.bucket(&get, &path);
            bucket.window = Window::Unlimited; // idle: may be forgotten
        }
        let state = limiter.lock();
        assert!(
            state.buckets.len() <= MAX_BUCKETS,
            "{}",
            state.buckets.len()
        );
        // The bucket with requests in flight was kept.
        assert!(state.buckets.contains_key("/api/v1/users/{userId}"));
    }

    #[test]
    fn bucket_hasher_is_fnv_1a() {
        // Published FNV-1a 64-bit test vectors.
        for (input, expected) in [
            ("", 0xcbf2_9ce4_8422_2325_u64),
            ("a", 0xaf63_dc4c_8601_ec8c),
            ("foobar", 0x8594_4171_f739_67e8),
        ] {
            let mut h = Fnv1a::default();
            h.write(input.as_bytes());
            assert_eq!(h.finish(), expected, "{input:?}");
        }
    }
}
