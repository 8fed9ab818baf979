//! Replays the manifest fuzz target's checked-in inputs on stable Rust: the seed corpus
//! (`fuzz/seeds/manifest/`) and every input that ever broke the property
//! (`fuzz/regressions/manifest/`, named for what it found). The property is the fuzz target's
//! own, `okta_codegen::fuzzing::check_input`: it panics on a violation.

use std::path::{Path, PathBuf};

use okta_codegen::fuzzing::{check_input, Outcome};

fn inputs(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
}

/// Runs every input of `dir`, naming the input when one fails; returns (rejected, generated).
fn replay(dir: &str) -> (usize, usize) {
    let (mut rejected, mut generated) = (0, 0);
    for path in inputs(dir) {
        let data = std::fs::read(&path).expect("read input");
        let outcome = std::panic::catch_unwind(|| check_input(&data)).unwrap_or_else(|_| {
            panic!(
                "{} breaks the fuzz property (see the panic above)",
                path.display()
            )
        });
        match outcome {
            Outcome::Rejected(_) => rejected += 1,
            Outcome::Generated(_) => generated += 1,
        }
    }
    (rejected, generated)
}

#[test]
fn seed_corpus_keeps_the_fuzz_property() {
    let (rejected, generated) = replay("seeds/manifest");
    // The corpus exercises both sides of the property.
    assert!(rejected > 0, "no seed is rejected");
    assert!(generated > 0, "no seed generates");
}

#[test]
fn every_input_the_fuzzer_broke_keeps_the_fuzz_property_now() {
    let (rejected, generated) = replay("regressions/manifest");
    assert!(rejected + generated > 0, "no regression input");
}
