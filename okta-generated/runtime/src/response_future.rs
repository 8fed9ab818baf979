//! The future a generated action's `send()` returns, and the runtime functions that build it for
//! each kind of answer (JSON, none, text). Pages are in `page.rs`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use serde::de::DeserializeOwned;

use super::client::Client;
use super::decode::{decode_json, decode_text};
use super::error::Error;
use super::exchange::{Exchange, Exchanging};
use super::request::Request;
use super::request::JSON;

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

// The contract with the generated code: a generated `send()` describes its request and calls
// one of these (or `send_page`).
impl Client {
    /// Sends a request and decodes a JSON response body.
    #[doc(hidden)] // the contract with the generated code
    pub fn send_json<T: DeserializeOwned>(self, req: Request) -> ResponseFuture<T> {
        ResponseFuture::new(self.exchange(req, JSON), |ex| {
            decode_json(ex.request.op.id, &ex.response.headers, &ex.response.body)
        })
    }

    /// Sends a request whose response body (if any) is ignored: any 2xx succeeds.
    #[doc(hidden)] // the contract with the generated code
    pub fn send_empty(self, req: Request) -> ResponseFuture<()> {
        ResponseFuture::new(self.exchange(req, JSON), |_| Ok(()))
    }

    /// Sends a request with the given `Accept` and returns the body as text (XML metadata, PEM).
    #[doc(hidden)] // the contract with the generated code
    pub fn send_text(self, req: Request, accept: &'static str) -> ResponseFuture<String> {
        ResponseFuture::new(self.exchange(req, accept), |ex| {
            Ok(decode_text(&ex.response.body))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_future_stays_a_few_words_whatever_the_request_state() {
        // The request loop's state (several hundred bytes) is in the box, not in the caller's future.
        let words =
            std::mem::size_of::<ResponseFuture<serde_json::Value>>() / std::mem::size_of::<usize>();
        assert!(words <= 8, "ResponseFuture is {words} words");
    }
}
