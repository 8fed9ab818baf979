//! The hand-written runtime of [`okta-generated`](https://docs.rs/okta-generated), the typed Okta
//! Management API client: HTTP, authentication, retries, rate limits, paging and errors.
//!
//! Use it through `okta-generated`, which re-exports what a user names (`Error`, `Page`,
//! `ClientBuilder`, ...) and whose `Client` adds the typed actions (`client.user()`, ...) to this
//! crate's [`Client`]. This crate's `Client` alone sends untyped requests
//! ([`Client::generic_request`]).
//!
//! A crate of its own so that cargo compiles it beside the crates of models rather than after
//! them. Its `#[doc(hidden)]` public items (`Operation`, `Request`, `AuthKinds`, `TextBody`,
//! `encode_path_segment`, `Client::send_*`, `Client::stream`) are the contract with the code the
//! generator writes into `okta-generated` (see ARCHITECTURE.md); nothing else calls them.

// docs.rs builds with `--cfg docsrs` on nightly: show which cargo feature enables each item.
#![cfg_attr(docsrs, feature(doc_cfg))]

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

pub use client::{Client, ClientBuilder, WrapClient};
pub use error::{ApiError, Error};
pub use generic::{GenericRequest, GenericResponse};
pub use page::Page;
pub use rate_limit::RateLimitSnapshot;
#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
pub use request::{FilePart, RawBody};
pub use response_future::ResponseFuture;

// The contract with the generated code: public, since `okta-generated` is another crate, and
// hidden from the docs, since users never call it.
#[doc(hidden)]
pub use encode::encode_path_segment;
#[doc(hidden)]
pub use request::{AuthKinds, Operation, Request, TextBody};
