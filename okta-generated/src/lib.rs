//! Typed async client for the Okta Management API.
//!
//! ```no_run
//! # async fn demo() -> Result<(), okta_generated::Error> {
//! use futures::TryStreamExt;
//! let client = okta_generated::Client::builder()
//!     .base_url("https://acme.okta.com")
//!     .api_token("00a...")
//!     .build()?;
//! let user = client.user().get_user("00u1abc").send().await?;
//! let active: Vec<_> = client.user().list_users().search("status eq \"ACTIVE\"").stream().try_collect().await?;
//! # Ok(()) }
//! ```
//!
//! Layout: the runtime (the crate `okta-generated-runtime` in `runtime/`, hand-written) does the
//! HTTP work, and this crate re-exports what a user names of it; [`Client`] (`src/client.rs`)
//! wraps the runtime's client. The categories ([`api`], under `src/generated/`) and the models
//! ([`models`], which re-exports the crates of models in `models/`) are written by
//! `cargo xtask codegen` from the YAML manifest in `manifest/`, one method per Okta action.

// docs.rs builds with `--cfg docsrs` on nightly: show which cargo feature enables each item.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
// The runtime, as the generated code names it (`crate::runtime::Request`, ...).
use okta_generated_runtime as runtime;

// prettyplease lays out the generated files, not rustfmt: keep `cargo fmt` out of them.
#[rustfmt::skip]
mod generated;

pub use client::{Client, ClientBuilder};
pub use generated::{api, models};
#[doc(hidden)]
pub use runtime::fuzzing;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use runtime::RedisStore;
pub use runtime::{
    ApiError, Error, FilePart, GenericRequest, GenericResponse, Page, RateLimitSnapshot, RawBody,
    ResponseFuture,
};
