//! The shared models of the Okta Management API, and the code every crate of models calls: use
//! them as `okta_generated::models`, which re-exports every crate of models.
//!
//! The models (the request and response bodies of
//! [`okta-generated`](https://docs.rs/okta-generated)'s actions, and Okta's inline hook payloads)
//! are most of the client's code and need only serde and serde_json, so they are compiled in
//! crates of their own, which cargo builds side by side and beside the HTTP stack rather than
//! after it: this one, with the models that models of more than one part name, and the parts
//! (`okta-generated-models-1`, ...), each with whole model files but for those. The client's
//! category features enable the features of the same name here, each compiling the models its
//! category reaches.
//!
//! Layout: `src/generated/` is written by `cargo xtask codegen` from the YAML manifest in
//! `manifest/`; `model_support` (hand-written) implements each model's traits from the table the
//! generator writes, for every crate of models.

// docs.rs builds with `--cfg docsrs` on nightly: show which cargo feature enables each item.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod json_path;
#[doc(hidden)]
pub mod model_support;

/// The models of this crate (`src/generated/`), which `okta_generated::models` re-exports with
/// every other crate's. A module of their own, so that a glob re-export of it takes the models
/// only, not this crate's hidden helpers.
// prettyplease lays out the generated files, not rustfmt: keep `cargo fmt` out of them.
#[rustfmt::skip]
#[path = "generated/mod.rs"]
pub mod models;

/// For the client's runtime: the JSON path of a decode error, as `Error::Decode` shows it.
#[doc(hidden)]
pub use json_path::json_path;
