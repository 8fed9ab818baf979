//! Tests of the rate limiter, the 429 wait and the rate-limit headers.
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

#[test]
fn server_clock_bounds_close_in_and_restart_when_set_back() {
    let mut clock = ServerClock::default();
    let now = |clock: &ServerClock, local| {
        let t = clock.now(local);
        (t.earliest, t.latest)
    };
    // Sent at local 4.9 s, answered at 5 s, Date says T0: stamped within [T0, T0 + 1).
    clock.observe(T0, 49 * SEC / 10, 5 * SEC);
    assert_eq!(now(&clock, 5 * SEC), (at(T0), at(T0 + 1) + SEC / 10));
    // The Date ticks to T0 + 1 for a request sent at 5.2 s, answered at 5.3 s: the server is
    // at least 0.7 s later than thought.
    clock.observe(T0 + 1, 52 * SEC / 10, 53 * SEC / 10);
    assert_eq!(
        now(&clock, 6 * SEC),
        (at(T0) + 17 * SEC / 10, at(T0 + 1) + 11 * SEC / 10)
    );
    // Still T0 + 1 for a request sent at 6.2 s: the server was before T0 + 2 then.
    clock.observe(T0 + 1, 62 * SEC / 10, 625 * SEC / 100);
    assert_eq!(
        now(&clock, 6 * SEC),
        (at(T0) + 17 * SEC / 10, at(T0) + 18 * SEC / 10)
    );
    // A stale-looking sample (a slow answer) within the resolution changes nothing.
    clock.observe(T0 + 1, 595 * SEC / 100, 69 * SEC / 10);
    assert_eq!(
        now(&clock, 6 * SEC),
        (at(T0) + 17 * SEC / 10, at(T0) + 18 * SEC / 10)
    );
    // The server's clock went back 10 s: start again from there.
    clock.observe(T0 - 8, 7 * SEC, 7 * SEC);
    assert_eq!(now(&clock, 7 * SEC), (at(T0 - 8), at(T0 - 7)));
    // And forward past the upper bound: both move.
    clock.observe(T0 + 100, 8 * SEC, 8 * SEC);
    assert_eq!(now(&clock, 8 * SEC), (at(T0 + 100), at(T0 + 101)));
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

/// A slot leased from a shared store is of one window: once the server's time may have reached
/// that window's reset (the latest estimate is not before it), a request must not go out on it.
/// A slot of this process's own state never outlives its window: its request counts as in
/// flight against the next window too.
#[cfg(feature = "redis")]
#[tokio::test]
async fn a_shared_slot_outlives_its_window_once_the_server_may_be_past_its_reset() {
    let limiter = RateLimiter::new(true);
    let (sleeper, _) = recording_sleeper();
    let (get, path) = (Method::GET, Cow::Borrowed("/api/v1/users/{userId}"));
    // The server's clock from `Date`: T0, to the second.
    let slot = limiter.acquire(&get, &path, MAX_WAIT, &sleeper).await;
    slot.complete(OK, &okta_headers(10, T0 + 30));
    let key = BucketKey {
        method: &get,
        template: &path,
    };
    let slot = |lease| Slot {
        limiter: &limiter,
        key: Some((key, lease)),
        sent: limiter.local_now(),
    };
    assert!(!slot(Lease::Shared { reset: T0 + 30 }).outlived_its_window());
    assert!(slot(Lease::Shared { reset: T0 }).outlived_its_window());
    assert!(slot(Lease::Shared { reset: T0 - 30 }).outlived_its_window());
    assert!(!slot(Lease::Local).outlived_its_window());
    assert!(!slot(Lease::SharedProbe).outlived_its_window());
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
    // Nothing was recorded about the bucket: it is new, its first request a probe.
    let key = BucketKey {
        method: &get,
        template: &path,
    };
    assert_eq!(
        limiter
            .store()
            .take_slot(key, ServerTime::exact(at(T0 + 1)), Capacity::FULL),
        Decision::Send(Lease::Local)
    );
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
fn rate_limit_wait_uses_the_date_header_not_the_local_clock() {
    // Date = 1445412480 (Wed, 21 Oct 2015 07:28:00 GMT); reset 5 s later.
    let h = headers(&[
        ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
        ("x-rate-limit-reset", "1445412485"),
    ]);
    // A local clock far in the future must not matter.
    let local = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
    let wait = rate_limit_wait(&h, local).unwrap();
    assert!(wait >= Duration::from_secs(6), "{wait:?}");
    assert!(
        wait < Duration::from_secs(6) + RATE_LIMIT_JITTER,
        "{wait:?}"
    );
}

#[test]
fn rate_limit_wait_falls_back_to_the_local_clock_without_date() {
    let h = headers(&[("x-rate-limit-reset", "1000010")]);
    let wait = rate_limit_wait(&h, UNIX_EPOCH + Duration::from_secs(1_000_000)).unwrap();
    assert!(wait >= Duration::from_secs(11) && wait < Duration::from_secs(12));
}

#[test]
fn rate_limit_wait_for_a_past_reset_is_about_one_second() {
    let h = headers(&[("x-rate-limit-reset", "10")]);
    let wait = rate_limit_wait(&h, UNIX_EPOCH + Duration::from_secs(1_000)).unwrap();
    assert!(wait >= Duration::from_secs(1) && wait < Duration::from_secs(2));
}

#[test]
fn rate_limit_wait_is_none_without_a_numeric_reset() {
    assert_eq!(rate_limit_wait(&headers(&[]), SystemTime::now()), None);
    let h = headers(&[("x-rate-limit-reset", "soon")]);
    assert_eq!(rate_limit_wait(&h, SystemTime::now()), None);
}

#[test]
fn absurd_reset_does_not_overflow() {
    let h = headers(&[("x-rate-limit-reset", &u64::MAX.to_string())]);
    assert!(rate_limit_wait(&h, SystemTime::now()).unwrap() > Duration::from_secs(3600));
}

#[test]
fn several_reset_headers_use_the_smallest() {
    let h = headers(&[("x-rate-limit-reset", "300"), ("x-rate-limit-reset", "200")]);
    assert_eq!(header_u64(&h, &X_RATE_LIMIT_RESET), Some(200));
}

#[test]
fn snapshot_reads_the_smallest_number_of_each_header() {
    let h = headers(&[
        ("content-type", "application/json"),
        ("x-rate-limit-limit", "600"),
        ("x-rate-limit-remaining", " 41 "),
        ("x-rate-limit-reset", "1445412485"),
        ("x-rate-limit-remaining", "40"),
        ("x-rate-limit-remaining", "not a number"),
        ("x-rate-limit-other", "7"),
        ("x-rate-limit-reset-at", "9"),
    ]);
    assert_eq!(
        RateLimitSnapshot::from_headers(&h),
        Some(RateLimitSnapshot {
            limit: Some(600),
            remaining: Some(40),
            reset: Some(1445412485),
        })
    );
    let partial = headers(&[("x-rate-limit-reset", "10"), ("date", "x")]);
    assert_eq!(
        RateLimitSnapshot::from_headers(&partial),
        Some(RateLimitSnapshot {
            limit: None,
            remaining: None,
            reset: Some(10),
        })
    );
    let none = headers(&[
        ("x-rate-limit-limit", "lots"),
        ("x-rate-limit-remaining", ""),
        ("x-rate-limit-reset", "18446744073709551616"), // u64::MAX + 1
        ("x-okta-request-id", "r"),
    ]);
    assert_eq!(RateLimitSnapshot::from_headers(&none), None);
}

#[test]
fn numeric_values_are_digits_only_and_fit_u64() {
    let n = |s: &str| value_u64(&HeaderValue::from_str(s).unwrap());
    assert_eq!(n("0"), Some(0));
    assert_eq!(n(" 600\t"), Some(600));
    assert_eq!(n(&u64::MAX.to_string()), Some(u64::MAX));
    for bad in [
        "",
        " ",
        "+1",
        "-1",
        "1.5",
        "1e3",
        "6 0",
        "18446744073709551616",
    ] {
        assert_eq!(n(bad), None, "{bad:?}");
    }
}
