//! The `okta.yaml` fuzz property, in one place: the libFuzzer target `config` calls [`check`] on
//! every input, and `okta-generated/tests/fuzz_corpus.rs` replays the checked-in corpus through
//! it on stable Rust. It panics (a crash, to the fuzzer) on a violation.
//!
//! An input is the text of an `okta.yaml` file (bytes that are not UTF-8 are refused before
//! parsing, as `from_env()` refuses them). Reading it, as `ClientBuilder::from_env()` does,
//! returns (never panics, never hangs) either the settings, all checked, or `Error::Config`
//! whose message starts with the file's name.

use okta_generated::fuzzing::read_config_file;
use okta_generated::Error;

/// The name the file is read under, which every error must start with.
const FILE: &str = "/home/u/.okta/okta.yaml";

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match read_config_file(FILE, text) {
        Ok(()) => {}
        Err(Error::Config(message)) => assert!(
            message.starts_with(&format!("{FILE}: ")),
            "the error does not name the file: {message:?}"
        ),
        Err(other) => panic!("not Error::Config: {other:?}"),
    }
}
