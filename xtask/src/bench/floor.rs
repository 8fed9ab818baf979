//! Section `floor`: a user's crate on `okta-generated` built from an empty target dir, against an
//! empty crate on reqwest + serde + tokio.

use std::fmt::Write as _;
use std::path::Path;

use super::scratch::{ours_dependency, Scratch, BUILDS, EMPTY_LIB};
use super::support::{ratio, run_cmd, verdict, Samples};

/// The features of the floor's second user crate: a TLS backend and the categories of the ten
/// actions the compile section's caller uses.
const CHOSEN_FEATURES: [&str; 4] = ["rustls-tls", "user", "group", "application"];

pub(super) fn section(root: &Path, runs: usize, out: &mut String) -> Result<(), String> {
    let base = root.join("target/bench/floor");
    // What any user's crate has anyway; both sides get it, so the difference is ours vs reqwest.
    let common = "serde = { version = \"1\", features = [\"derive\"] }\n\
                  tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n";
    let ours = Scratch::create(
        root,
        "user crate on okta-generated (default features)",
        base.join("ours"),
        base.join("target-ours"),
        &format!("{}{common}", ours_dependency(root, None)),
        ("lib.rs", EMPTY_LIB),
    )?;
    // The same crate choosing the categories its calls need (the compile section's caller of
    // ten actions: users, groups, applications) instead of every category.
    let chosen = Scratch::create(
        root,
        "the same with only its categories (user, group, application)",
        base.join("ours-chosen"),
        base.join("target-ours-chosen"),
        &format!("{}{common}", ours_dependency(root, Some(&CHOSEN_FEATURES))),
        ("lib.rs", EMPTY_LIB),
    )?;
    let floor = Scratch::create(
        root,
        "empty crate on reqwest 0.12 (rustls) + serde + tokio",
        base.join("reqwest"),
        base.join("target-reqwest"),
        &format!(
            "reqwest = {{ version = \"0.12\", default-features = false, features = \
             [\"rustls-tls\", \"json\"] }}\n{common}"
        ),
        ("lib.rs", EMPTY_LIB),
    )?;
    let crates = [&ours, &chosen, &floor];
    // Download outside the timing: a from-scratch build here means compiling, not fetching.
    for krate in crates {
        run_cmd(&mut krate.cargo(&["fetch"]))?;
    }
    let builds = [&BUILDS[0], &BUILDS[2]];
    let mut samples: [[Samples; 3]; 2] = Default::default();
    for i in 0..runs {
        for (b, build) in builds.iter().enumerate() {
            for (c, krate) in crates.iter().enumerate() {
                match std::fs::remove_dir_all(&krate.target_dir) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(format!("{}: {e}", krate.target_dir.display()));
                    }
                    _ => {}
                }
                samples[b][c].push(krate.timed_build(build, "floor", (i + 1, runs))?);
            }
        }
    }

    let _ = writeln!(out, "## Dependency floor, from scratch\n");
    let _ = writeln!(
        out,
        "Empty target dir, sources already downloaded, {runs} run(s) (slow: runs only with \
         `--only floor` or `--full`). Both crates also depend on serde (derive) and tokio \
         (macros, rt-multi-thread); the floor crate's reqwest has `rustls-tls` and `json`. Issue \
         5 measured the floor at ~34 s (check) and ~78 s (release) on its machine.\n"
    );
    let _ = writeln!(
        out,
        "| build | {} | {} | {} | ours / floor | only its categories / floor | ours − floor | \
         target |",
        ours.label, chosen.label, floor.label
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (build, [o, c, f]) in builds.iter().zip(&samples) {
        let diff = o.median().as_secs_f64() - f.median().as_secs_f64();
        // Issue 14's target, for `cargo check` of the crate with its default features.
        let target = if build.release {
            "(none)".to_string()
        } else {
            format!("ours ≤ 1.25: {}", verdict(ratio(o, f) <= 1.25))
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} | {:.2} | {diff:+.1} s | {target} |",
            build.label,
            o.show(),
            c.show(),
            f.show(),
            ratio(o, f),
            ratio(c, f)
        );
    }
    out.push('\n');
    Ok(())
}
