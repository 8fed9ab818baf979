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
//! Layout: the runtime (`src/runtime/`, hand-written) does the HTTP work; the categories
//! ([`api`], under `src/generated/`) and the models ([`models`], which re-exports the crates of
//! models in `models/`) are written by `cargo xtask codegen` from the YAML manifest in
//! `manifest/`, one method per Okta action.

// docs.rs builds with `--cfg docsrs` on nightly: show which cargo feature enables each item.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod runtime;

// prettyplease lays out the generated files, not rustfmt: keep `cargo fmt` out of them.
#[rustfmt::skip]
mod generated;

pub use generated::{api, models};
pub use runtime::*;
