//! Part 1 of the models of the Okta Management API: use them as `okta_generated::models`.
//!
//! One of the crates of models (see `okta-generated-models`): the models of some of the
//! manifest's model files, but for those another crate's models name, which are in the shared
//! crate. `src/generated/` is written by `cargo xtask codegen`.

// docs.rs builds with `--cfg docsrs` on nightly: show which cargo feature enables each item.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated code calls `crate::model_support::object_serde!` and the like, as in the
// shared crate.
#[allow(unused_imports)]
use okta_generated_models::model_support;

/// The models of this crate (`src/generated/`), which `okta_generated::models` re-exports with
/// every other crate's. A module of their own, so that a glob re-export of it takes the models
/// only, not this crate's hidden helpers.
// prettyplease lays out the generated files, not rustfmt: keep `cargo fmt` out of them.
#[rustfmt::skip]
#[path = "generated/mod.rs"]
pub mod models;
