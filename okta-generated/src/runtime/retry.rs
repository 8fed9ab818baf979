//! Retry policy: which failures are retried, how long to wait, and the rate-limit state.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, DATE};
use reqwest::Method;

/// First backoff delay for transient failures (5xx, connection errors, timeouts).
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Longest backoff delay for transient failures.
const BACKOFF_MAX: Duration = Duration::from_secs(10);
/// Most random delay added to a rate-limit wait, so clients that were throttled together do not
/// all retry in the same instant.
const RATE_LIMIT_JITTER: Duration = Duration::from_millis(250);

/// Okta's rate-limit headers (names built once: looking a header up by `&str` parses the name).
pub(crate) const X_RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("x-rate-limit-limit");
pub(crate) const X_RATE_LIMIT_REMAINING: HeaderName =
    HeaderName::from_static("x-rate-limit-remaining");
pub(crate) const X_RATE_LIMIT_RESET: HeaderName = HeaderName::from_static("x-rate-limit-reset");

/// How the client sleeps between attempts. Tests replace it to record delays instead.
pub(crate) type Sleeper = Arc<dyn Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync>;

pub(crate) fn tokio_sleeper() -> Sleeper {
    Arc::new(|d| Box::pin(tokio::time::sleep(d)))
}

pub(crate) fn sleeper_from<F, Fut>(f: F) -> Sleeper
where
    F: Fn(Duration) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    Arc::new(move |d| Box::pin(f(d)))
}

/// Idempotent methods may be repeated after an ambiguous failure (the server may or may not have
/// processed the request). POST and PATCH may not.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Exponential backoff with "equal jitter": half of `BACKOFF_BASE * 2^retry` (capped at
/// `BACKOFF_MAX`) plus a random part up to the other half. `retry` counts from 0.
pub(crate) fn backoff(retry: u32) -> Duration {
    let exp = BACKOFF_BASE
        .saturating_mul(2u32.saturating_pow(retry))
        .min(BACKOFF_MAX);
    exp / 2 + jitter(exp / 2)
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

/// A random duration in `[0, max)`. Falls back to no jitter if the OS RNG fails.
fn jitter(max: Duration) -> Duration {
    let max_nanos = max.as_nanos() as u64;
    if max_nanos == 0 {
        return Duration::ZERO;
    }
    let random = ring::rand::generate::<[u8; 8]>(&ring::rand::SystemRandom::new())
        .map(|r| u64::from_le_bytes(r.expose()))
        .unwrap_or(0);
    Duration::from_nanos(random % max_nanos)
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
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
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

    #[test]
    fn backoff_grows_exponentially_and_is_capped() {
        for retry in 0..3 {
            let full = BACKOFF_BASE * 2u32.pow(retry);
            let d = backoff(retry);
            assert!(d >= full / 2 && d <= full, "retry {retry}: {d:?}");
        }
        assert!(backoff(40) <= BACKOFF_MAX);
    }

    #[test]
    fn post_and_patch_are_not_idempotent() {
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
        for m in [
            Method::GET,
            Method::PUT,
            Method::DELETE,
            Method::HEAD,
            Method::OPTIONS,
        ] {
            assert!(is_idempotent(&m), "{m}");
        }
    }
}
