//! Retry policy: which failures are retried, the backoff between attempts, and how the client
//! sleeps. How long a 429 waits is rate-limit logic, in `rate_limit.rs`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use reqwest::Method;

/// First backoff delay for transient failures (5xx, connection errors, timeouts).
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Longest backoff delay for transient failures.
const BACKOFF_MAX: Duration = Duration::from_secs(10);
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

/// A random duration in `[0, max)`. Falls back to no jitter if the OS RNG fails.
pub(super) fn jitter(max: Duration) -> Duration {
    let max_nanos = max.as_nanos() as u64;
    if max_nanos == 0 {
        return Duration::ZERO;
    }
    let random = ring::rand::generate::<[u8; 8]>(&ring::rand::SystemRandom::new())
        .map(|r| u64::from_le_bytes(r.expose()))
        .unwrap_or(0);
    Duration::from_nanos(random % max_nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

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
