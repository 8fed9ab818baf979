//! Fuzz target: arbitrary bytes as the response body of a few representative actions (object,
//! list, polymorphic, text, error status), through the same decoding a generated `send()` runs.
//! The property is `decode_property::check`, which `okta-generated/tests/fuzz_corpus.rs` also
//! runs on the checked-in corpus with stable Rust.

#![no_main]

#[path = "../decode_property.rs"]
mod decode_property;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    decode_property::check(data);
});
