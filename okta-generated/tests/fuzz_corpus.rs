//! Replays the fuzz targets' checked-in inputs on stable Rust. For response decoding: the seed
//! corpus (`fuzz/seeds/decode/`) and every input that ever broke the property
//! (`fuzz/regressions/decode/`); for `okta.yaml` reading, its seed corpus (`fuzz/seeds/config/`).
//! Each property is its fuzz target's own (`fuzz/decode_property.rs`,
//! `fuzz/config_property.rs`), which panics on a violation.

// The decode property calls actions of these categories.
#[cfg(all(feature = "user", feature = "application", feature = "policy"))]
#[path = "../fuzz/decode_property.rs"]
mod decode_property;

#[path = "../fuzz/config_property.rs"]
mod config_property;

use std::path::{Path, PathBuf};

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

/// Runs every input of `dir` through `check` (a fuzz property), naming the input that breaks
/// it; returns the inputs.
fn replay(dir: &str, check: fn(&[u8])) -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for path in inputs(dir) {
        let data = std::fs::read(&path).expect("read input");
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!(
                "{} breaks the fuzz property (see the panic above)",
                path.display()
            );
        }
        all.push(data);
    }
    all
}

/// Replays `dir` through the decode property; returns how many inputs each action got.
#[cfg(all(feature = "user", feature = "application", feature = "policy"))]
fn replay_decode(dir: &str) -> Vec<usize> {
    let mut per_action = vec![0; decode_property::ACTIONS.len()];
    for data in replay(dir, decode_property::check) {
        if let Some(&pick) = data.first() {
            per_action[usize::from(pick) % decode_property::ACTIONS.len()] += 1;
        }
    }
    per_action
}

#[cfg(all(feature = "user", feature = "application", feature = "policy"))]
#[test]
fn seed_corpus_keeps_the_decode_property() {
    let per_action = replay_decode("seeds/decode");
    for (action, n) in decode_property::ACTIONS.iter().zip(&per_action) {
        assert!(*n > 0, "no seed for {action}");
    }
}

#[cfg(all(feature = "user", feature = "application", feature = "policy"))]
#[test]
fn every_body_the_fuzzer_broke_keeps_the_decode_property_now() {
    let per_action = replay_decode("regressions/decode");
    assert!(per_action.iter().sum::<usize>() > 0, "no regression input");
}

#[test]
fn seed_corpus_keeps_the_config_property() {
    let seeds = replay("seeds/config", config_property::check);
    assert!(!seeds.is_empty(), "no seed for the config target");
}
