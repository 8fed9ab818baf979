//! Section `compile`: compile time of the generated crate alone (all categories and one), and of
//! a user's crate calling ten actions, against the `okta` crate from crates.io built the same way.

use std::fmt::Write as _;
use std::path::Path;

use super::scratch::{ours_dependency, Build, Scratch, BUILDS, EMPTY_LIB};
use super::support::{ratio, run_cmd, secs, verdict, Samples};

/// The `okta` crate release the compile section compares against.
const OKTA_BASELINE: &str = "0.7.1";
/// Operations in that release (267 operations of Okta spec 2.5.0).
const OKTA_BASELINE_OPERATIONS: usize = 267;
/// The one category of the "one category" builds.
const ONE_CATEGORY: &str = "user";

pub(super) fn section(
    root: &Path,
    runs: usize,
    quick: bool,
    out: &mut String,
) -> Result<(), String> {
    let base = root.join("target/bench/compile");
    // The two crates of ours share a target dir: their dependencies are the same, built once.
    let ours_target = base.join("target-ours");
    let all = Scratch::create(
        root,
        "okta-generated, all categories",
        base.join("ours-all"),
        ours_target.clone(),
        &ours_dependency(root, None),
        ("lib.rs", EMPTY_LIB),
    )?;
    let one = Scratch::create(
        root,
        &format!("okta-generated, `{ONE_CATEGORY}` only"),
        base.join("ours-one"),
        ours_target,
        &ours_dependency(root, Some(&["rustls-tls", ONE_CATEGORY])),
        ("lib.rs", EMPTY_LIB),
    )?;
    let okta = Scratch::create(
        root,
        &format!("okta {OKTA_BASELINE}"),
        base.join("okta"),
        base.join("target-okta"),
        &format!("okta = \"={OKTA_BASELINE}\"\n"),
        ("lib.rs", EMPTY_LIB),
    )?;
    // A user's crate calling the same ten actions through each client: `send()` is `#[inline]`,
    // so what a call costs to compile lands in the caller's build, and is measured there.
    let ours_calls = Scratch::create(
        root,
        "a caller of 10 actions on okta-generated",
        base.join("ours-calls"),
        base.join("target-ours"),
        &ours_dependency(root, None),
        ("lib.rs", OURS_CALLS_LIB),
    )?;
    let okta_calls = Scratch::create(
        root,
        &format!("a caller of 10 actions on okta {OKTA_BASELINE}"),
        base.join("okta-calls"),
        base.join("target-okta"),
        &format!("okta = \"={OKTA_BASELINE}\"\n"),
        ("lib.rs", OKTA_CALLS_LIB),
    )?;
    // (crate, the packages `cargo clean -p` removes before each timed build: ours is the client,
    // its runtime and its crates of models). In this order: a clean of okta-generated removes it
    // for every feature set, so `one` goes first and each caller right after the crate it calls,
    // which is then built.
    let packages: Vec<String> = ["okta-generated", "okta-generated-runtime"]
        .into_iter()
        .map(str::to_owned)
        .chain(okta_codegen::ir::ModelCrate::all().map(|k| k.package()))
        .collect();
    let ours: Vec<&str> = packages.iter().map(String::as_str).collect();
    let ours: &[&str] = &ours;
    let crates = [
        (&one, ours),
        (&all, ours),
        (&ours_calls, &["bench-ours-calls"][..]),
        (&okta, &["okta"][..]),
        (&okta_calls, &["bench-okta-calls"][..]),
    ];
    let builds: &[Build] = if quick { &BUILDS[..1] } else { &BUILDS };

    // Untimed: fetch and build every dependency, so the timed builds only rebuild the crate.
    for build in builds {
        for (krate, _) in crates {
            eprintln!(
                "bench: compile: dependencies of {} ({}), untimed",
                krate.label, build.label
            );
            run_cmd(&mut krate.cargo(build.args))?;
        }
    }

    // samples[build][crate]; the crates alternate within each run so that a change in the
    // machine's load weighs on both sides of a ratio alike.
    let mut samples: Vec<[Samples; 5]> = builds.iter().map(|_| Default::default()).collect();
    for i in 0..runs {
        for (b, build) in builds.iter().enumerate() {
            for (c, (krate, packages)) in crates.iter().enumerate() {
                let mut clean = vec!["clean"];
                for package in packages.iter() {
                    clean.extend(["-p", package]);
                }
                if build.release {
                    clean.push("--release");
                }
                run_cmd(&mut krate.cargo(&clean))?;
                samples[b][c].push(krate.timed_build(build, "compile", (i + 1, runs))?);
            }
        }
    }

    let _ = writeln!(out, "## Compile time of the crate alone\n");
    let _ = writeln!(
        out,
        "Each crate is rebuilt after `cargo clean -p <crate>`, its dependencies already built \
         (`CARGO_INCREMENTAL=0`, as for any dependency from a registry), from a scratch crate \
         under `target/bench/compile/`; {runs} run(s). okta {OKTA_BASELINE} is the crates.io \
         client of {OKTA_BASELINE_OPERATIONS} operations.\n"
    );
    let _ = writeln!(
        out,
        "| build | all categories | `{ONE_CATEGORY}` only | okta {OKTA_BASELINE} | all / okta \
         | `{ONE_CATEGORY}` / okta | target |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |");
    for (build, [one, all, _, okta, _]) in builds.iter().zip(&samples) {
        let r_all = ratio(all, okta);
        let r_one = ratio(one, okta);
        let target = if build.release {
            // No target is set for release builds; show the figures only.
            "(none)".to_string()
        } else {
            // Issue 14's targets.
            format!(
                "all ≤ 0.8: {}; `{ONE_CATEGORY}` ≤ 0.2: {}",
                verdict(r_all <= 0.8),
                verdict(r_one <= 0.2)
            )
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {r_all:.2} | {r_one:.2} | {target} |",
            build.label,
            all.show(),
            one.show(),
            okta.show()
        );
    }
    let _ = writeln!(
        out,
        "\nA user's crate that calls ten common actions (get, list, create, update and \
         deactivate a user; list groups, add a user to one, list its users; list applications, \
         get one), each client's crate already built. Our `send()` is `#[inline]`, so the calls \
         are compiled here; the last column compares the sums, client plus caller.\n"
    );
    let _ = writeln!(
        out,
        "| build | caller on okta-generated | caller on okta {OKTA_BASELINE} | okta-generated \
         (all) + caller | okta {OKTA_BASELINE} + caller | sum / sum |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    for (build, [_, all, ours_calls, okta, okta_calls]) in builds.iter().zip(&samples) {
        let ours_sum = all.median() + ours_calls.median();
        let okta_sum = okta.median() + okta_calls.median();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.2} |",
            build.label,
            ours_calls.show(),
            okta_calls.show(),
            secs(ours_sum),
            secs(okta_sum),
            ours_sum.as_secs_f64() / okta_sum.as_secs_f64()
        );
    }
    out.push('\n');
    Ok(())
}

/// A user's crate calling ten actions through okta-generated.
const OURS_CALLS_LIB: &str = include_str!("callers/ours.rs");

/// The same ten calls through okta 0.7.1.
const OKTA_CALLS_LIB: &str = r#"//! Written by `cargo xtask bench`: ten calls through okta 0.7.1.
use okta::types::{CreateUserRequest, User};

pub async fn calls(client: &okta::Client, new_user: &CreateUserRequest, user: &User) -> usize {
    let mut n = 0;
    n += client.users().get("00u1").await.is_ok() as usize;
    n += client.users().list("", "", 200, "", "", "", "").await.is_ok() as usize;
    n += client.users().create(false, false, "", new_user).await.is_ok() as usize;
    n += client.users().update("00u1", false, user).await.is_ok() as usize;
    n += client.users().deactivate("00u1", false).await.is_ok() as usize;
    n += client.groups().list("", "", "", 200, "").await.is_ok() as usize;
    n += client.groups().add_user("00g1", "00u1").await.is_ok() as usize;
    n += client.groups().list_users("00g1", "", 200).await.is_ok() as usize;
    n += client.applications().list("", "", 200, "", "", false).await.is_ok() as usize;
    n += client.applications().get("0oa1", "").await.is_ok() as usize;
    n
}
"#;
