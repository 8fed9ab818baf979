//! Hand-written runtime of the generated Okta client: HTTP, authentication, retries, rate limits,
//! pagination and errors.
//!
//! Public items here are re-exported at the crate root. `pub(crate)` items (`Operation`,
//! `Request`, `encode_path_segment`, `Client::send_*`) are the contract with the generated code
//! in `src/generated/` (see ARCHITECTURE.md).

mod auth;
mod client;
mod config;
#[cfg(test)]
mod contract_tests;
mod decode;
mod encode;
mod error;
mod exchange;
#[doc(hidden)]
pub mod fuzzing;
mod generic;
mod limit_state;
mod page;
mod rate_limit;
#[cfg(feature = "redis")]
mod redis_store;
mod request;
mod response_future;
mod retry;
mod secret;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, Error};
pub use generic::{GenericRequest, GenericResponse};
pub use page::Page;
pub use rate_limit::RateLimitSnapshot;
#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
pub use request::{FilePart, RawBody};
pub use response_future::ResponseFuture;

// The contract API used by the generated code. With no category feature enabled nothing calls
// it, hence the `allow`s here and on the items that nothing else in the runtime calls.
#[allow(unused_imports)]
pub(crate) use encode::encode_path_segment;
#[allow(unused_imports)]
pub(crate) use request::{AuthKinds, Operation, Request, TextBody};
