//! Section `codegen`: the generator in process (whole and per stage) and the `codegen --check`
//! process, against progenitor on the same API (`progenitor.rs`), round by round.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::openapi;
use super::progenitor::{
    progenitor_round, ProgenitorFigures, ProgenitorProgram, Round, PROGENITOR_VERSION,
};
use super::support::{cargo, ratio, run_cmd, verdict, Samples};

pub(super) fn section(
    root: &Path,
    manifest_dir: &Path,
    runs: usize,
    out: &mut String,
) -> Result<(), String> {
    use okta_codegen::{emit_files, format_files, generate, ir, load_api, manifest, validate};

    // One untimed run first: warms the file cache and gives the sizes for the report.
    let api = load_api(manifest_dir).map_err(|d| d.to_string())?;
    let files = generate(&api)?;
    let actions: usize = api.categories.iter().map(|c| c.actions.len()).sum();
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();

    // Progenitor on the same API (built here, untimed). Its runs alternate with ours, round by
    // round, so a change in the machine's load weighs on both sides alike.
    let mut progenitor =
        ProgenitorProgram::build(root, &api).map(|p| (p, ProgenitorFigures::default()));

    let mut whole = Samples::default();
    let [mut load, mut check, mut lower, mut emit, mut format]: [Samples; 5] = Default::default();
    for i in 0..runs {
        eprintln!("bench: codegen in process, round {}/{runs}", i + 1);
        // The whole path exactly as `cargo xtask codegen` runs it.
        let t = Instant::now();
        let api = load_api(manifest_dir).map_err(|d| d.to_string())?;
        let files = generate(&api)?;
        whole.push(t.elapsed());
        drop((api, files));

        // The same path one stage at a time.
        let t = Instant::now();
        let m = manifest::load(manifest_dir).map_err(|d| d.to_string())?;
        load.push(t.elapsed());
        let t = Instant::now();
        validate::validate(&m).map_err(|d| d.to_string())?;
        check.push(t.elapsed());
        let t = Instant::now();
        let api = ir::lower(&m).map_err(|d| d.to_string())?;
        lower.push(t.elapsed());
        let t = Instant::now();
        let tokens = emit_files(&api);
        emit.push(t.elapsed());
        let t = Instant::now();
        let files = format_files(tokens)?;
        format.push(t.elapsed());
        drop(files);

        progenitor_round(&mut progenitor, Round::InProcess);
    }

    // The `codegen --check` process: this (release) binary, the debug binary `cargo xtask` runs,
    // and `cargo xtask` itself (cargo's own start-up and freshness check included). The first
    // `cargo xtask` run is untimed: it builds the debug binary if needed.
    let release_exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    // <target>/release/xtask -> <target>/debug/xtask, wherever the target dir is.
    let debug_exe = release_exe
        .parent()
        .and_then(Path::parent)
        .map(|target| target.join("debug"))
        .unwrap_or_else(|| root.join("target/debug"))
        .join(release_exe.file_name().unwrap_or_default());
    let manifest_arg = manifest_dir.as_os_str();
    let cargo_xtask = || {
        let mut c = cargo();
        c.current_dir(root)
            .args(["xtask", "codegen", "--check", "--manifest"])
            .arg(manifest_arg);
        c
    };
    let exe = |path: &Path| {
        let mut c = Command::new(path);
        c.current_dir(root)
            .args(["codegen", "--check", "--manifest"])
            .arg(manifest_arg);
        c
    };
    run_cmd(&mut cargo_xtask()).map_err(stale_hint)?;
    run_cmd(&mut exe(&release_exe)).map_err(stale_hint)?;
    let [mut p_release, mut p_debug, mut p_cargo]: [Samples; 3] = Default::default();
    progenitor_round(&mut progenitor, Round::Process); // untimed, as ours: the file cache
    if let Ok((_, figures)) = &mut progenitor {
        figures.process = Samples::default();
    }
    for i in 0..runs {
        eprintln!("bench: codegen processes, round {}/{runs}", i + 1);
        progenitor_round(&mut progenitor, Round::Process);
        p_release.push(run_cmd(&mut exe(&release_exe))?);
        p_debug.push(run_cmd(&mut exe(&debug_exe))?);
        p_cargo.push(run_cmd(&mut cargo_xtask())?);
    }

    // The stages one after another on one thread: what a one-core machine would take.
    let one_thread = Samples(
        (0..runs)
            .map(|i| {
                [&load, &check, &lower, &emit, &format]
                    .iter()
                    .map(|s| s.0[i])
                    .sum()
            })
            .collect(),
    );

    let _ = writeln!(out, "## Codegen\n");
    let _ = writeln!(
        out,
        "The whole manifest ({actions} actions, {} models) → {} formatted Rust files ({lines} lines, \
         {} KiB), {runs} runs.",
        api.models.len(),
        files.len(),
        bytes / 1024
    );
    let vs = match &progenitor {
        Ok((program, p)) => {
            let _ = writeln!(
                out,
                "Beside it, progenitor {PROGENITOR_VERSION} (builder style, release build) on the \
                 same API: the manifest's IR written as an OpenAPI 3.0 document ({} operations, \
                 {} schemas, {} KiB of JSON; `xtask/src/bench/openapi.rs`) → one formatted file \
                 ({} lines, {} KiB). Left out of progenitor's document: {}. Both allocate with \
                 mimalloc (ours: this xtask binary; progenitor: its program), so the ratios \
                 compare generators, not allocators; with the system allocator, as in a build \
                 script, progenitor is slower still.\n",
                program.operations,
                program.schemas,
                program.spec_bytes / 1024,
                p.lines,
                p.bytes / 1024,
                openapi::summary(&program.left_out),
            );
            format!("progenitor {PROGENITOR_VERSION}")
        }
        Err(msg) => {
            let _ = writeln!(out, "Progenitor was not run: {msg}\n");
            "progenitor (not run)".to_string()
        }
    };
    let _ = writeln!(
        out,
        "| figure | okta-codegen | {vs} | {vs} / ours | target |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    let compare = |ours: &Samples, theirs: Option<&Samples>| match theirs {
        Some(t) => (t.show(), format!("{:.1}×", ratio(t, ours))),
        None => ("—".to_string(), "—".to_string()),
    };
    let p = progenitor.as_ref().ok().map(|(_, figures)| figures);
    let three_times = |ours: &Samples, theirs: Option<&Samples>| match theirs {
        Some(t) => format!("≥ 3×: {}", verdict(ratio(t, ours) >= 3.0)),
        None => "≥ 3×: not measured".to_string(),
    };
    let (theirs, r) = compare(&whole, p.map(|p| &p.whole));
    let _ = writeln!(
        out,
        "| manifest → formatted files, in process | {} | {theirs} | {r} | ≤ 250 ms: {}; {} |",
        whole.show(),
        verdict(whole.median() <= Duration::from_millis(250)),
        three_times(&whole, p.map(|p| &p.whole)),
    );
    let (theirs, r) = compare(&one_thread, p.map(|p| &p.whole));
    let _ = writeln!(
        out,
        "| the same on one thread (sum of the stages below; progenitor uses one) | {} | {theirs} \
         | {r} | |",
        one_thread.show(),
    );
    let stages: [(&str, &Samples, Option<&Samples>); 5] = [
        (
            "load (YAML → `Manifest`; progenitor: JSON → `OpenAPI`)",
            &load,
            p.map(|p| &p.parse),
        ),
        ("validate", &check, None),
        ("IR (lower)", &lower, None),
        (
            "emit (`quote!` tokens; progenitor: `generate_tokens`)",
            &emit,
            p.map(|p| &p.tokens),
        ),
        ("format (syn + prettyplease)", &format, p.map(|p| &p.format)),
    ];
    for (name, ours, theirs) in stages {
        let (theirs, r) = compare(ours, theirs);
        let _ = writeln!(
            out,
            "| &nbsp;&nbsp;stage: {name} | {} | {theirs} | {r} | |",
            ours.show()
        );
    }
    let (theirs, r) = compare(&p_release, p.map(|p| &p.process));
    let _ = writeln!(
        out,
        "| `xtask codegen --check` process, release binary (progenitor: its program, writing its \
         file) | {} | {theirs} | {r} | {} |",
        p_release.show(),
        three_times(&p_release, p.map(|p| &p.process)),
    );
    let _ = writeln!(
        out,
        "| `xtask codegen --check` process, debug binary | {} | | | |",
        p_debug.show()
    );
    let _ = writeln!(
        out,
        "| `cargo xtask codegen --check` (cargo + debug binary, as typed) | {} | | | |\n",
        p_cargo.show()
    );
    Ok(())
}

fn stale_hint(e: String) -> String {
    format!("{e}\nthe codegen bench needs an up-to-date client: run `cargo xtask codegen` first")
}
