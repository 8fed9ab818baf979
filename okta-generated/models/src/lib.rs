//! The models of the Okta Management API: the request and response bodies of
//! [`okta-generated`](https://docs.rs/okta-generated)'s actions, and Okta's inline hook
//! payloads.
//!
//! Use them as `okta_generated::models`, which re-exports this crate: a package of its own only
//! so that cargo builds the models (most of the client's code, needing only serde and
//! serde_json) beside the HTTP stack rather than after it. The client's category features enable
//! the features of the same name here, each compiling the models its category reaches.
//!
//! Layout: `src/generated/` is written by `cargo xtask codegen` from the YAML manifest in
//! `manifest/`; `model_support` (hand-written) implements each model's traits from the table the
//! generator writes.

// docs.rs builds with `--cfg docsrs` on nightly: show which cargo feature enables each item.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod json_path;
mod model_support;

// prettyplease lays out the generated files, not rustfmt: keep `cargo fmt` out of them.
#[rustfmt::skip]
mod generated;

// Empty when the enabled features leave no model in.
#[allow(unused_imports)]
pub use generated::*;

/// For the client's runtime: the JSON path of a decode error, as `Error::Decode` shows it.
#[doc(hidden)]
pub use json_path::json_path;
