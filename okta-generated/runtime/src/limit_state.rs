//! The rate limiter's state, behind one small trait, [`LimitStore`]: for each bucket, what is
//! known of its window (limit, remaining, reset) and the requests in flight; and the number of
//! requests in flight for the concurrency cap.
//!
//! - [`InProcess`] keeps it in this process, shared by all clones of a client: the default.
//! - `redis_store::RedisStore` (cargo feature `redis`) keeps it in Redis, shared by every
//!   process that uses the same Redis and key prefix, and falls back on an [`InProcess`] of its
//!   own while Redis cannot be reached.
//!
//! The trait is shaped for both. Taking and giving back are synchronous and never wait: the
//! in-process store decides under its mutex, the Redis store from the slots and permits it has
//! leased in advance. When a store has to wait, or to ask Redis, it says so ([`Decision`],
//! [`PermitDecision`]) and the limiter calls [`LimitStore::wait`], the only async method.
//!
//! The rules of a window (see `rate_limit.rs` for the design): one probe request while a
//! window is unknown; then send while `remaining` exceeds the requests in flight plus the part
//! of the window [`Capacity`] keeps for others; a 429 uses the window up; late answers from an
//! ended window are ignored.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::pin::pin;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures_util::future::BoxFuture;
use reqwest::Method;
use tokio::sync::Notify;

/// Most buckets kept; past it, buckets without a request in flight are forgotten.
pub(crate) const MAX_BUCKETS: usize = 1024;
pub(crate) const NANOS_PER_SEC: i128 = 1_000_000_000;

/// The server's time now (Unix nanoseconds) as well as it is known: between `earliest` and
/// `latest`. A window has surely ended once `earliest` passes its reset, and surely not yet
/// while `latest` is before it; in between, a request could land in either window, so none is
/// sent on the old window's budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerTime {
    pub(crate) earliest: i128,
    pub(crate) latest: i128,
}

impl ServerTime {
    #[cfg(test)]
    pub(crate) fn exact(nanos: i128) -> ServerTime {
        ServerTime {
            earliest: nanos,
            latest: nanos,
        }
    }

    /// How long until `reset` (server Unix seconds) has surely passed.
    pub(crate) fn until(self, reset: u64) -> Duration {
        let nanos = i128::from(reset) * NANOS_PER_SEC - self.earliest;
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(0))
    }

    /// Whether `reset` has surely passed.
    pub(crate) fn past(self, reset: u64) -> bool {
        self.earliest >= i128::from(reset) * NANOS_PER_SEC
    }

    /// Whether `reset` has surely not passed yet.
    pub(crate) fn before(self, reset: u64) -> bool {
        self.latest < i128::from(reset) * NANOS_PER_SEC
    }
}

/// A bucket: the method and path template of a request (`GET /api/v1/users/{userId}`).
#[derive(Clone, Copy)]
pub(crate) struct BucketKey<'a> {
    pub(crate) method: &'a Method,
    /// `&Cow`, not `&str`: a new bucket's key is a clone of it, free for a generated call's
    /// `&'static` template.
    pub(crate) template: &'a Cow<'static, str>,
}

/// The share of each rate-limit window the client may use (`max_api_capacity`, in percent):
/// it sends only while more than the rest of the window's limit remains, so the rest is left
/// to other clients of the org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Capacity {
    percent: u8,
}

impl Capacity {
    pub(crate) const FULL: Capacity = Capacity { percent: 100 };

    /// `percent` from 1 to 100.
    pub(crate) fn percent(percent: u8) -> Option<Capacity> {
        (1..=100).contains(&percent).then_some(Capacity { percent })
    }

    pub(crate) fn as_percent(self) -> u8 {
        self.percent
    }

    /// Requests of a window of `limit` to leave unused: `limit` minus this client's share,
    /// rounded down (so 50% of 5 is 2).
    pub(crate) fn reserve(self, limit: Option<u64>) -> u64 {
        limit.map_or(0, |limit| {
            let share = u128::from(limit) * u128::from(self.percent) / 100;
            limit - share as u64
        })
    }
}

/// What an answer said about its bucket's window (`X-Rate-Limit-*`, and whether it was a 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Answer {
    pub(crate) throttled: bool,
    pub(crate) limit: Option<u64>,
    pub(crate) remaining: Option<u64>,
    pub(crate) reset: Option<u64>,
}

/// Where a slot came from, so that it is given back to the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lease {
    /// A slot of an [`InProcess`] bucket.
    Local,
    /// A slot leased from a shared store for the window that ends at `reset`.
    #[cfg(feature = "redis")]
    Shared { reset: u64 },
    /// The one request a shared store lets through while a window is unknown.
    #[cfg(feature = "redis")]
    SharedProbe,
    /// An endpoint that answers without rate-limit headers (as a shared store last saw it).
    #[cfg(feature = "redis")]
    SharedUnlimited,
}

/// What a request about to be sent must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Send now (a slot was reserved).
    Send(Lease),
    /// Wait until the probe request in flight has answered: [`Wait::Probe`] with `since`.
    WaitForProbe { since: u64 },
    /// The window is used up: wait until `reset` (server Unix seconds), `wait` from now.
    WaitForReset { reset: u64, wait: Duration },
    /// Ask the shared store for more: [`Wait::Refill`].
    #[cfg(feature = "redis")]
    Refill,
}

/// Where a concurrency permit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PermitLease {
    Local,
    #[cfg(feature = "redis")]
    Shared,
}

/// Whether a request may start now under the concurrency cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PermitDecision {
    Granted(PermitLease),
    /// Every permit is taken: wait for one to be given back ([`Wait::Permit`]).
    Wait {
        since: u64,
    },
    /// Ask the shared store for permits: [`Wait::RefillPermits`].
    #[cfg(feature = "redis")]
    Refill,
}

/// What [`LimitStore::wait`] waits for.
// Without the `redis` feature nothing reads the probe's key.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) enum Wait<'a> {
    /// A probe of `key` to answer; `since` as the decision said.
    Probe { key: BucketKey<'a>, since: u64 },
    /// More slots of `key` from the shared state, at server time `now`.
    #[cfg(feature = "redis")]
    Refill { key: BucketKey<'a>, now: ServerTime },
    /// A permit to be given back; `since` as the decision said.
    Permit { since: u64 },
    /// Permits from the shared state, up to `max` in flight in all.
    #[cfg(feature = "redis")]
    RefillPermits { max: u32 },
}

/// Where the limiter's state lives. See the module docs.
pub(crate) trait LimitStore: Send + Sync {
    /// Reserves a slot of `key` at server time `now`, keeping what `capacity` leaves to others
    /// unused; or says what to wait for. Never waits.
    fn take_slot(&self, key: BucketKey<'_>, now: ServerTime, capacity: Capacity) -> Decision;

    /// Sends anyway (a reset too far away to wait for): reserves a slot whatever the window
    /// says, so that the server's answer decides.
    fn force_slot(&self, key: BucketKey<'_>) -> Lease;

    /// Gives a slot back with the answer to its request, or `None` when there was none
    /// (transport error, or the request was dropped).
    fn give_back(&self, key: BucketKey<'_>, lease: Lease, answer: Option<Answer>);

    /// A task slept until `reset` for this bucket (a prevention wait, or after a 429): the
    /// window it waited for is over even if the estimate of the server's clock lags.
    fn reset_passed(&self, key: BucketKey<'_>, reset: u64);

    /// Takes a concurrency permit if fewer than `max` requests are in flight.
    fn take_permit(&self, max: u32) -> PermitDecision;

    fn give_back_permit(&self, lease: PermitLease);

    /// Waits for what a decision said to wait for. Bounded: a probe or a permit comes back
    /// when its request ends (requests have timeouts), a shared store's refill within its
    /// timeout (or it falls back on its local state).
    fn wait<'a>(&'a self, what: Wait<'a>) -> BoxFuture<'a, ()>;
}

/// A change counter and its notification: a waiter reads the counter with its decision and
/// waits until it moves, so a change between the decision and the wait is not missed.
#[derive(Default)]
pub(crate) struct Signal {
    version: AtomicU64,
    waiters: AtomicU32,
    notify: Notify,
}

impl Signal {
    // SeqCst: a waiter counts itself in, then reads the version; a bump moves the version,
    // then reads the count. At least one of them sees the other's write.
    pub(crate) fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    pub(crate) fn bump(&self) {
        self.version.fetch_add(1, Ordering::SeqCst);
        if self.waiters.load(Ordering::SeqCst) > 0 {
            self.notify.notify_waiters();
        }
    }

    /// Returns once the counter is no longer `since`.
    pub(crate) async fn changed(&self, since: u64) {
        self.waiters.fetch_add(1, Ordering::SeqCst);
        // Counted out however this future ends (it may be dropped while waiting).
        struct Leave<'a>(&'a AtomicU32);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let _leave = Leave(&self.waiters);
        loop {
            let mut notified = pin!(self.notify.notified());
            notified.as_mut().enable();
            if self.version() != since {
                return;
            }
            notified.await;
        }
    }
}

/// The state in this process: every clone of a client shares it.
pub(crate) struct InProcess {
    buckets: Mutex<Buckets>,
    /// Requests in flight, for the concurrency cap.
    permits: AtomicU32,
    /// A probe answered (or failed).
    probe_done: Signal,
    /// A permit was given back.
    permit_freed: Signal,
}

/// Path template → (method, bucket). Keyed by template first so a lookup borrows the request's
/// template instead of building a key; few methods share a template.
#[derive(Default)]
pub(crate) struct Buckets {
    map: HashMap<Cow<'static, str>, Vec<(Method, Bucket)>, BuildHasherDefault<Fnv1a>>,
}

/// FNV-1a, for the bucket map: its keys are path templates, hashed twice per request, and std's
/// SipHash costs several times more on strings that short. Its keys come from the generated
/// code, or from the paths of the caller's own generic requests, not from the server, and the
/// map is capped at [`MAX_BUCKETS`], so flooding attacks on the hash are not a concern.
pub(crate) struct Fnv1a(u64);

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

/// What is known of one bucket's current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// Nothing usable: a new bucket, or its window has ended. One request at a time is sent to
    /// learn the new window. Responses with a reset at or before `ended` describe the old window
    /// and are ignored.
    Unknown { ended: u64 },
    /// The endpoint answers without rate-limit headers: nothing to prevent.
    Unlimited,
    /// `remaining` requests (of `limit`, when said) may be made until `reset` (server Unix
    /// seconds).
    Known {
        limit: Option<u64>,
        remaining: u64,
        reset: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bucket {
    pub(crate) window: Window,
    /// Reserved slots whose response has not arrived yet.
    pub(crate) in_flight: u64,
}

/// What [`Bucket::decide`] says (the in-process form of [`Decision`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Send,
    WaitForProbe,
    WaitForReset { reset: u64, wait: Duration },
}

impl Bucket {
    pub(crate) const NEW: Bucket = Bucket {
        window: Window::Unknown { ended: 0 },
        in_flight: 0,
    };

    /// Decides at server time `now`, leaving what `capacity` keeps for others; reserves a
    /// slot when it says `Send`. Near a reset, while it is unsure which window a request would
    /// land in, it waits for the reset.
    pub(crate) fn decide(&mut self, now: ServerTime, capacity: Capacity) -> Verdict {
        if let Window::Known { reset, .. } = self.window {
            if now.past(reset) {
                self.window = Window::Unknown { ended: reset };
            }
        }
        let verdict = match self.window {
            Window::Unlimited => Verdict::Send,
            Window::Unknown { .. } if self.in_flight == 0 => Verdict::Send,
            Window::Unknown { .. } => Verdict::WaitForProbe,
            Window::Known {
                limit,
                remaining,
                reset,
            } if now.before(reset)
                && remaining > self.in_flight.saturating_add(capacity.reserve(limit)) =>
            {
                Verdict::Send
            }
            Window::Known { reset, .. } => Verdict::WaitForReset {
                reset,
                wait: now.until(reset),
            },
        };
        if verdict == Verdict::Send {
            self.in_flight += 1;
        }
        verdict
    }

    /// A reserved request was answered (or failed without an answer: `None`), and its slot is
    /// given back. Returns whether tasks waiting for a probe may now proceed.
    pub(crate) fn complete(&mut self, answer: Option<Answer>) -> bool {
        let was_unknown = matches!(self.window, Window::Unknown { .. });
        self.in_flight = self.in_flight.saturating_sub(1);
        if let Some(answer) = answer {
            self.observe(answer);
        }
        was_unknown || matches!(self.window, Window::Unknown { .. })
    }

    pub(crate) fn observe(&mut self, answer: Answer) {
        // A 429 means the window is used up, whatever `remaining` says.
        let remaining = if answer.throttled {
            Some(0)
        } else {
            answer.remaining
        };
        match (remaining, answer.reset) {
            (Some(remaining), Some(reset)) => {
                self.window = match self.window {
                    Window::Unknown { ended } if reset <= ended => return,
                    Window::Known { reset: current, .. } if reset < current => return,
                    Window::Known {
                        limit,
                        remaining: known,
                        reset: current,
                    } if reset == current => Window::Known {
                        limit: answer.limit.or(limit),
                        // Responses can arrive out of order: the lowest count is the latest.
                        remaining: remaining.min(known),
                        reset,
                    },
                    _ => Window::Known {
                        limit: answer.limit,
                        remaining,
                        reset,
                    },
                }
            }
            // Throttled without a reset: nothing to schedule by, so one request at a time.
            _ if answer.throttled => self.window = Window::Unknown { ended: 0 },
            // An endpoint that answers without the headers is not limited (or does not say how):
            // nothing to wait for. Headers missing from one answer of a bucket known to have
            // them say nothing about its budget, though.
            (None, None) if matches!(self.window, Window::Unknown { .. }) => {
                self.window = Window::Unlimited;
            }
            _ => {}
        }
    }

    /// See [`LimitStore::reset_passed`].
    pub(crate) fn reset_passed(&mut self, reset: u64) {
        if let Window::Known { reset: current, .. } = self.window {
            if current <= reset {
                self.window = Window::Unknown { ended: current };
            }
        }
    }
}

impl Buckets {
    pub(crate) fn bucket(&mut self, key: BucketKey<'_>) -> &mut Bucket {
        let template = key.template;
        if self.map.len() >= MAX_BUCKETS && !self.map.contains_key(template.as_ref()) {
            // Forgetting a bucket only costs a probe request the next time it is used.
            self.map
                .retain(|_, methods| methods.iter().any(|(_, b)| b.in_flight > 0));
        }
        let methods = match template {
            // One hash, and the key is a free copy of a generated call's `&'static` template.
            Cow::Borrowed(_) => self.map.entry(template.clone()).or_default(),
            // A generic request's own path: copied only when its bucket is new.
            Cow::Owned(path) => {
                if !self.map.contains_key(path.as_str()) {
                    self.map.insert(template.clone(), Vec::new());
                }
                self.map.get_mut(path.as_str()).expect("inserted above")
            }
        };
        let index = match methods.iter().position(|(m, _)| m == key.method) {
            Some(index) => index,
            None => {
                methods.push((key.method.clone(), Bucket::NEW));
                methods.len() - 1
            }
        };
        &mut methods[index].1
    }

    pub(crate) fn existing_bucket(&mut self, key: BucketKey<'_>) -> Option<&mut Bucket> {
        self.map
            .get_mut(key.template.as_ref())?
            .iter_mut()
            .find_map(|(m, bucket)| (m == key.method).then_some(bucket))
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    #[cfg(test)]
    pub(crate) fn contains(&self, template: &str) -> bool {
        self.map.contains_key(template)
    }
}

impl Default for InProcess {
    fn default() -> InProcess {
        InProcess {
            buckets: Mutex::default(),
            permits: AtomicU32::new(0),
            probe_done: Signal::default(),
            permit_freed: Signal::default(),
        }
    }
}

impl InProcess {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Buckets> {
        // Every update leaves the state consistent, so a panic elsewhere cannot corrupt it.
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Requests in flight under the concurrency cap.
    #[cfg(test)]
    pub(crate) fn permits_taken(&self) -> u32 {
        self.permits.load(Ordering::Acquire)
    }
}

impl LimitStore for InProcess {
    fn take_slot(&self, key: BucketKey<'_>, now: ServerTime, capacity: Capacity) -> Decision {
        let mut buckets = self.lock();
        match buckets.bucket(key).decide(now, capacity) {
            Verdict::Send => Decision::Send(Lease::Local),
            // Read under the lock: a probe answering after it changes the version.
            Verdict::WaitForProbe => Decision::WaitForProbe {
                since: self.probe_done.version(),
            },
            Verdict::WaitForReset { reset, wait } => Decision::WaitForReset { reset, wait },
        }
    }

    fn force_slot(&self, key: BucketKey<'_>) -> Lease {
        self.lock().bucket(key).in_flight += 1;
        Lease::Local
    }

    fn give_back(&self, key: BucketKey<'_>, _lease: Lease, answer: Option<Answer>) {
        let wake = self
            .lock()
            .existing_bucket(key)
            .is_some_and(|bucket| bucket.complete(answer));
        if wake {
            self.probe_done.bump();
        }
    }

    fn reset_passed(&self, key: BucketKey<'_>, reset: u64) {
        if let Some(bucket) = self.lock().existing_bucket(key) {
            bucket.reset_passed(reset);
        }
    }

    fn take_permit(&self, max: u32) -> PermitDecision {
        // Read before trying: a permit given back after the failed try changes it.
        let since = self.permit_freed.version();
        let taken = self
            .permits
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            });
        match taken {
            Ok(_) => PermitDecision::Granted(PermitLease::Local),
            Err(_) => PermitDecision::Wait { since },
        }
    }

    fn give_back_permit(&self, _lease: PermitLease) {
        let _ = self
            .permits
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        self.permit_freed.bump();
    }

    fn wait<'a>(&'a self, what: Wait<'a>) -> BoxFuture<'a, ()> {
        match what {
            Wait::Probe { since, .. } => Box::pin(self.probe_done.changed(since)),
            Wait::Permit { since } => Box::pin(self.permit_freed.changed(since)),
            // Never asked for: this store never says `Refill`.
            #[cfg(feature = "redis")]
            Wait::Refill { .. } | Wait::RefillPermits { .. } => Box::pin(async {}),
        }
    }
}

#[cfg(test)]
mod tests;
