//! The future a generated action's `send()` returns.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tracing::instrument::Instrumented;

use super::client::{Client, Response};
use super::error::Error;
use super::request::Request;

/// A request that was answered with a 2xx status: what decoding an action's answer can use.
pub(crate) struct Exchange {
    pub(crate) client: Client,
    pub(crate) request: Request,
    pub(crate) response: Response,
}

/// The request loop of one call (auth, rate limits, retries, errors); the same type for every
/// action, so it is compiled once.
pub(crate) type BoxedExchange = Pin<Box<dyn Future<Output = Result<Exchange, Error>> + Send>>;

/// [`BoxedExchange`] inside its `okta.request` span (entered on every poll).
pub(crate) type Exchanging = Instrumented<BoxedExchange>;

/// The future of a generated action's `send()`: resolves to the action's decoded answer.
///
/// Every action shares one request loop, compiled once and boxed; this future only adds the
/// decoding of `T`. It is 64 bytes on 64-bit targets (the box, the `okta.request` span and the
/// decoder), so holding many calls at once (e.g. with `futures::future::join_all`) is cheap.
/// `Send` and `'static`, so it can be spawned.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ResponseFuture<T> {
    exchanging: Exchanging,
    decode: fn(Exchange) -> Result<T, Error>,
}

impl<T> ResponseFuture<T> {
    pub(crate) fn new(exchanging: Exchanging, decode: fn(Exchange) -> Result<T, Error>) -> Self {
        ResponseFuture { exchanging, decode }
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let exchange = ready!(Pin::new(&mut self.exchanging).poll(cx))?;
        Poll::Ready((self.decode)(exchange))
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_future_stays_a_few_words_whatever_the_request_state() {
        // The request loop's state (over a kilobyte) is in the box, not in the caller's future.
        let words =
            std::mem::size_of::<ResponseFuture<serde_json::Value>>() / std::mem::size_of::<usize>();
        assert!(words <= 8, "ResponseFuture is {words} words");
    }
}
