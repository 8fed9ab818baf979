//! Fuzz target: arbitrary text as an `okta.yaml` file, through what `ClientBuilder::from_env()`
//! runs on one. The property is `config_property::check`, which
//! `okta-generated/tests/fuzz_corpus.rs` also runs on the checked-in corpus with stable Rust.

#![no_main]

#[path = "../config_property.rs"]
mod config_property;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    config_property::check(data);
});
