//! `cargo xtask bench`: measure the project's speed and print a markdown report.
//!
//! Sections (each can be picked with `--only`):
//! - `codegen`: the generator in process (whole and per stage) and the `codegen --check` process,
//!   against progenitor run on the same API (the manifest as an OpenAPI 3.0 document, `openapi`);
//! - `compile`: `cargo check` / `cargo build` / `cargo build --release` of the generated crate alone
//!   (dependencies already built), all categories and `user` only, against the `okta` 0.7.1 crate
//!   built the same way in the same run;
//! - `client`: the output of `cargo bench -p okta-generated --bench client`, verbatim;
//! - `floor` (only with `--only floor` or `--full`): from-scratch builds of a user's crate on
//!   `okta-generated` against an empty crate on reqwest + serde + tokio.
//!
//! Every figure is the median of several runs; every ratio compares medians of this same run.
//! Builds happen in scratch crates and target dirs under `target/bench/`, never in the workspace's
//! own target dir. Progress goes to stderr, the report to stdout.

pub mod openapi;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `okta` crate release the compile section compares against.
const OKTA_BASELINE: &str = "0.7.1";
/// Operations in that release (from the issue: 267 operations of spec 2.5.0).
const OKTA_BASELINE_OPERATIONS: usize = 267;
/// The one category of the "one category" builds.
const ONE_CATEGORY: &str = "user";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Codegen,
    Compile,
    Client,
    Floor,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Codegen,
        Section::Compile,
        Section::Client,
        Section::Floor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Codegen => "codegen",
            Section::Compile => "compile",
            Section::Client => "client",
            Section::Floor => "floor",
        }
    }
}

/// Parse `--only`'s comma-separated list of section names.
pub fn parse_sections(list: &str) -> Result<Vec<Section>, String> {
    let mut sections = Vec::new();
    for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let section = Section::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                format!("unknown bench section `{name}` (expected codegen, compile, client, floor)")
            })?;
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    if sections.is_empty() {
        return Err("--only needs at least one section".into());
    }
    Ok(sections)
}

pub struct Options {
    /// Sections to run, in report order.
    pub sections: Vec<Section>,
    /// Runs per figure; `None` picks each section's default.
    pub runs: Option<usize>,
    /// Short smoke run: fewer runs, `cargo check` only, the client bench's `--quick`.
    pub quick: bool,
    /// Also write the report to `BENCHMARKS.md`.
    pub write: bool,
    /// The command line as the user typed it, for the report.
    pub command: String,
    pub manifest: PathBuf,
}

impl Options {
    /// Sections run when `--only` is not given: all but the slow `floor`, or all with `--full`.
    pub fn default_sections(full: bool) -> Vec<Section> {
        Section::ALL
            .into_iter()
            .filter(|s| full || *s != Section::Floor)
            .collect()
    }

    fn runs(&self, section: Section) -> usize {
        if let Some(n) = self.runs {
            return n;
        }
        match (section, self.quick) {
            // A round takes a few seconds, and this machine's timings swing: more of them.
            (Section::Codegen, false) => 9,
            (Section::Codegen, true) => 3,
            (Section::Compile, false) => 3,
            (Section::Compile, true) => 1,
            (Section::Floor | Section::Client, _) => 1,
        }
    }
}

/// `cargo xtask` runs a debug build; timing the generator there would measure the wrong thing.
/// Re-run the same command from a release build (cargo builds it if needed) and pass its exit
/// status on.
pub fn rerun_in_release(root: &Path, args: &[String]) -> Result<std::process::ExitCode, String> {
    eprintln!("bench: running from a release build of xtask (`cargo run --release -p xtask`)");
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["run", "--release", "--quiet", "-p", "xtask", "--", "bench"])
        .args(args);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {}: {e}", describe(&cmd)))?;
    Ok(match status.code() {
        Some(0) => std::process::ExitCode::SUCCESS,
        Some(c) => std::process::ExitCode::from(u8::try_from(c).unwrap_or(1)),
        None => std::process::ExitCode::FAILURE,
    })
}

/// Run every section of `opts`, print the report (and write it with `--write`). A section that
/// fails says so in the report, the others still run, and the result is an error.
pub fn run(root: &Path, opts: &Options) -> Result<(), String> {
    let start = Instant::now();
    let load_before = load_average();
    let mut body = String::new();
    let mut failed = Vec::new();
    for &section in &opts.sections {
        let runs = opts.runs(section);
        eprintln!("bench: {} ({runs} run(s) per figure)", section.name());
        let mut text = String::new();
        let result = match section {
            Section::Codegen => codegen_section(root, &opts.manifest, runs, &mut text),
            Section::Compile => compile_section(root, runs, opts.quick, &mut text),
            Section::Client => client_section(root, opts.quick, &mut text),
            Section::Floor => floor_section(root, runs, &mut text),
        };
        match result {
            Ok(()) => body.push_str(&text),
            Err(msg) => {
                eprintln!("bench: {} failed: {msg}", section.name());
                let _ = writeln!(
                    body,
                    "## {}

failed:

```text
{msg}
```
",
                    section.name()
                );
                failed.push(section.name());
            }
        }
    }
    let machine_load = match (load_before, load_average()) {
        (Some(a), Some(b)) => format!("{a} at the start, {b} at the end"),
        _ => "unknown".into(),
    };
    let report = format!(
        "{}{body}",
        header(&opts.command, start.elapsed(), opts.quick, &machine_load)
    );
    print!("{report}");
    if opts.write {
        let path = root.join("BENCHMARKS.md");
        let previous = std::fs::read_to_string(&path).ok();
        let text = with_kept_notes(&report, previous.as_deref());
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!(
            "bench: wrote {} (notes below its marker kept)",
            path.display()
        );
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("bench sections failed: {}", failed.join(", ")))
    }
}

/// The line of `BENCHMARKS.md` after which the text is written by hand (what a run showed, the
/// targets not met and why); `--write` replaces the report above it and keeps the rest.
const NOTES_MARKER: &str =
    "<!-- Notes written by hand below this line; `cargo xtask bench --write` keeps them. -->";

/// `report`, then the marker and the hand-written notes of `previous` (the file as it was).
fn with_kept_notes(report: &str, previous: Option<&str>) -> String {
    let notes = previous
        .and_then(|text| text.split_once(NOTES_MARKER))
        .map_or("\n", |(_, notes)| notes);
    format!("{}\n\n{NOTES_MARKER}{notes}", report.trim_end())
}

/// The 1-minute load average (Linux), to judge how quiet the machine was.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_string)
}

// ---------------------------------------------------------------------------------------------
// Report header

fn header(command: &str, elapsed: Duration, quick: bool, machine_load: &str) -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    let os = command_line("uname", &["-srm"])
        .unwrap_or_else(|| format!("{} {}", std::env::consts::OS, std::env::consts::ARCH));
    let cpu = cpu_model().map(|m| format!(", {m}")).unwrap_or_default();
    let rustc = command_line("rustc", &["-V"]).unwrap_or_else(|| "rustc: unknown".into());
    let date = command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_else(|| "?".into());
    let mut s = String::new();
    let _ = writeln!(s, "# Benchmarks\n");
    let _ = writeln!(s, "- command: `{command}` (took {})", secs(elapsed));
    let _ = writeln!(s, "- date: {date}");
    let _ = writeln!(s, "- machine: {cores} cores{cpu}; {os}");
    let _ = writeln!(s, "- load average (1 min): {machine_load}");
    let _ = writeln!(s, "- toolchain: {rustc}");
    let _ = writeln!(
        s,
        "- every figure is the median of the runs shown (min–max in brackets); every ratio \
         compares medians taken in this same run"
    );
    if quick {
        let _ = writeln!(
            s,
            "- `--quick`: a smoke run with few runs per figure; not a figure to record"
        );
    }
    s.push('\n');
    s
}

/// The first line of a command's stdout, if it ran and succeeded.
fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_string())
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

// ---------------------------------------------------------------------------------------------
// Samples and formatting

/// The durations of one figure, one per run.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    fn median(&self) -> Duration {
        let mut v = self.0.clone();
        v.sort();
        match v.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2,
        }
    }

    fn min(&self) -> Duration {
        self.0.iter().copied().min().unwrap_or_default()
    }

    fn max(&self) -> Duration {
        self.0.iter().copied().max().unwrap_or_default()
    }

    /// "123 ms (118–130)", or "123 ms" for a single run.
    fn show(&self) -> String {
        if self.0.len() < 2 {
            return secs(self.median());
        }
        format!(
            "{} ({}–{})",
            secs(self.median()),
            secs(self.min()),
            secs(self.max())
        )
    }
}

/// A duration for humans: "8.12 ms", "81.2 ms", "812 ms", "8.12 s", "81.2 s", "13 min 32 s".
fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    let ms = s * 1e3;
    match s {
        _ if s < 0.01 => format!("{ms:.2} ms"),
        _ if s < 0.1 => format!("{ms:.1} ms"),
        _ if s < 1.0 => format!("{ms:.0} ms"),
        _ if s < 10.0 => format!("{s:.2} s"),
        _ if s < 100.0 => format!("{s:.1} s"),
        _ => format!("{} min {:02} s", d.as_secs() / 60, d.as_secs() % 60),
    }
}

/// `a / b` of two medians.
fn ratio(a: &Samples, b: &Samples) -> f64 {
    a.median().as_secs_f64() / b.median().as_secs_f64()
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}

// ---------------------------------------------------------------------------------------------
// Processes

/// The cargo that runs us (`CARGO` when started by cargo), else `cargo` from `PATH`.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().to_string();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Run `cmd` to completion, its output captured; `Err` (with its stderr) when it fails.
fn run_cmd(cmd: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "`{}` failed ({}):\n{}",
            describe(cmd),
            out.status,
            tail.join("\n")
        ));
    }
    Ok(elapsed)
}

// ---------------------------------------------------------------------------------------------
// Section 1: codegen

fn codegen_section(
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
                 {} schemas, {} KiB of JSON; `xtask/src/bench/openapi.rs`; without {}, which \
                 share their method and path with another action) → one formatted file ({} \
                 lines, {} KiB). Both allocate with mimalloc (ours: this xtask binary; \
                 progenitor: its program), so the ratios compare generators, not allocators; \
                 with the system allocator, as in a build script, progenitor is slower still.\n",
                program.operations,
                program.schemas,
                program.spec_bytes / 1024,
                program.left_out.join(", "),
                p.lines,
                p.bytes / 1024
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
        "| manifest → formatted files, in process | {} | {theirs} | {r} | < 1 s: {}; {} |",
        whole.show(),
        verdict(whole.median() < Duration::from_secs(1)),
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

// ---------------------------------------------------------------------------------------------
// Progenitor, for section 1

/// The progenitor release the codegen section compares against.
const PROGENITOR_VERSION: &str = "0.13.0";

/// One round of progenitor's runs, recorded in its figures; a failure takes their place (the
/// section reports it and goes on with ours).
fn progenitor_round(
    progenitor: &mut Result<(ProgenitorProgram, ProgenitorFigures), String>,
    round: Round,
) {
    let Ok((program, figures)) = progenitor else {
        return;
    };
    let result = match round {
        Round::InProcess => program.in_process().map(|run| figures.push_in_process(run)),
        Round::Process => program.process().map(|d| figures.process.push(d)),
    };
    if let Err(msg) = result {
        *progenitor = Err(msg);
    }
}

/// What the codegen section asks of progenitor in a round.
#[derive(Clone, Copy)]
enum Round {
    InProcess,
    Process,
}

/// A small program on progenitor, built in `target/bench/progenitor/`, and the OpenAPI 3.0
/// document of the manifest's API it is given.
struct ProgenitorProgram {
    exe: PathBuf,
    dir: PathBuf,
    spec: PathBuf,
    /// Where the process writes the client it generates.
    out: PathBuf,
    operations: usize,
    /// The actions the document leaves out (they share a method and path with another).
    left_out: Vec<String>,
    schemas: usize,
    spec_bytes: usize,
}

/// Progenitor's figures, and the size of what it wrote.
#[derive(Default)]
struct ProgenitorFigures {
    /// Reading and parsing the JSON document.
    parse: Samples,
    /// `Generator::generate_tokens`.
    tokens: Samples,
    /// `syn::parse2` + `prettyplease::unparse`.
    format: Samples,
    /// All three, in process.
    whole: Samples,
    /// The whole process, writing its output to a file.
    process: Samples,
    lines: usize,
    bytes: usize,
}

/// One in-process run of the program: its stages, and the size of its output.
struct InProcess {
    parse: Duration,
    tokens: Duration,
    format: Duration,
    whole: Duration,
    lines: usize,
    bytes: usize,
}

impl ProgenitorFigures {
    fn push_in_process(&mut self, run: InProcess) {
        self.parse.push(run.parse);
        self.tokens.push(run.tokens);
        self.format.push(run.format);
        self.whole.push(run.whole);
        (self.lines, self.bytes) = (run.lines, run.bytes);
    }
}

impl ProgenitorProgram {
    /// Writes the document of `api` and builds the program (not timed).
    fn build(root: &Path, api: &okta_codegen::ir::Api) -> Result<ProgenitorProgram, String> {
        let dir = root.join("target/bench/progenitor");
        let scratch = Scratch::create(
            root,
            &format!("progenitor {PROGENITOR_VERSION}"),
            dir.join("program"),
            dir.join("target"),
            &format!(
                "progenitor-impl = \"={PROGENITOR_VERSION}\"\nopenapiv3 = \"2\"\nserde_json = \
                 \"1\"\nsyn = {{ version = \"2\", features = [\"full\"] }}\nprettyplease = \
                 \"0.2\"\nmimalloc = {{ version = \"0.1\", default-features = false }}\n"
            ),
            ("main.rs", PROGENITOR_MAIN),
        )?;
        let openapi::Document {
            value: doc,
            left_out,
        } = openapi::document(api);
        let operations = doc["paths"].as_object().map_or(0, |paths| {
            paths
                .values()
                .filter_map(|p| p.as_object())
                .map(|p| p.len())
                .sum()
        });
        let schemas = doc["components"]["schemas"]
            .as_object()
            .map_or(0, |s| s.len());
        let text = serde_json::to_string(&doc).map_err(|e| format!("OpenAPI document: {e}"))?;
        let spec = dir.join("okta-openapi.json");
        write_if_changed(&spec, &text).map_err(|e| format!("{}: {e}", spec.display()))?;

        eprintln!("bench: building {} (not timed)", scratch.label);
        run_cmd(&mut scratch.cargo(&["build", "--release", "--quiet"]))?;
        let exe = scratch
            .target_dir
            .join("release")
            .join(format!("bench-program{}", std::env::consts::EXE_SUFFIX));
        Ok(ProgenitorProgram {
            exe,
            out: dir.join("okta-client.rs"),
            dir,
            spec,
            operations,
            left_out,
            schemas,
            spec_bytes: text.len(),
        })
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.exe);
        c.current_dir(&self.dir).arg(&self.spec);
        c
    }

    /// Two generations in one process; the second is timed, as ours are in a warm process.
    fn in_process(&self) -> Result<InProcess, String> {
        let mut cmd = self.command();
        cmd.args(["--runs", "2"]);
        let output = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(format!(
                "`{}` failed ({}): {}",
                describe(&cmd),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let unexpected = || format!("`{}` printed {stdout:?}", describe(&cmd));
        let numbers = |line: Option<&str>, prefix: &str| -> Option<Vec<u64>> {
            let rest = line?.strip_prefix(prefix)?;
            rest.split_whitespace().map(|n| n.parse().ok()).collect()
        };
        let mut lines = stdout.lines();
        let last_run = lines.nth(1);
        let Some([parse, tokens, format, whole]) =
            numbers(last_run, "run ").and_then(|n| <[u64; 4]>::try_from(n).ok())
        else {
            return Err(unexpected());
        };
        let Some([out_lines, out_bytes]) =
            numbers(lines.next(), "output ").and_then(|n| <[u64; 2]>::try_from(n).ok())
        else {
            return Err(unexpected());
        };
        Ok(InProcess {
            parse: Duration::from_nanos(parse),
            tokens: Duration::from_nanos(tokens),
            format: Duration::from_nanos(format),
            whole: Duration::from_nanos(whole),
            lines: out_lines as usize,
            bytes: out_bytes as usize,
        })
    }

    /// One process that generates the client and writes it to a file.
    fn process(&self) -> Result<Duration, String> {
        let mut cmd = self.command();
        cmd.arg("--out").arg(&self.out);
        run_cmd(&mut cmd)
    }
}

/// The program that times progenitor (see `run_progenitor`).
const PROGENITOR_MAIN: &str = r#"//! Written by `cargo xtask bench`: progenitor's generation of an OpenAPI document, timed.
//!
//! `bench-program SPEC.json --runs N`: N in-process runs, one line each on stdout:
//! `run <read+parse ns> <tokens ns> <format ns> <whole ns>`, then `output <lines> <bytes>`.
//! `bench-program SPEC.json --out FILE`: one run, the formatted client written to FILE (the
//! whole process is what is timed).
use std::time::Instant;

/// The allocator `cargo xtask` uses, so that the comparison is of the generators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fail(msg: String) -> ! {
    eprintln!("bench-program: {msg}");
    std::process::exit(1)
}

/// One generation: the formatted text, and the nanoseconds of read+parse, tokens and format.
fn generate(spec_path: &str) -> (String, [u128; 3]) {
    let t = Instant::now();
    let text = std::fs::read_to_string(spec_path)
        .unwrap_or_else(|e| fail(format!("{spec_path}: {e}")));
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{spec_path}: {e}")));
    let parse = t.elapsed().as_nanos();
    let t = Instant::now();
    let mut settings = progenitor_impl::GenerationSettings::new();
    settings.with_interface(progenitor_impl::InterfaceStyle::Builder);
    let mut generator = progenitor_impl::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| fail(format!("progenitor: {e}")));
    let tokens_ns = t.elapsed().as_nanos();
    let t = Instant::now();
    let file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| fail(format!("syn: {e}")));
    let out = prettyplease::unparse(&file);
    (out, [parse, tokens_ns, t.elapsed().as_nanos()])
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [spec, flag, runs] if flag == "--runs" => {
            let runs: usize = runs.parse().unwrap_or_else(|_| fail(format!("bad --runs {runs}")));
            let mut last = String::new();
            for _ in 0..runs {
                let t = Instant::now();
                let (out, [parse, tokens, format]) = generate(spec);
                let whole = t.elapsed().as_nanos();
                println!("run {parse} {tokens} {format} {whole}");
                last = out;
            }
            println!("output {} {}", last.lines().count(), last.len());
        }
        [spec, flag, out] if flag == "--out" => {
            let (text, _) = generate(spec);
            std::fs::write(out, text).unwrap_or_else(|e| fail(format!("{out}: {e}")));
        }
        _ => fail("usage: bench-program SPEC.json (--runs N | --out FILE)".into()),
    }
}
"#;

fn stale_hint(e: String) -> String {
    format!("{e}\nthe codegen bench needs an up-to-date client: run `cargo xtask codegen` first")
}

// ---------------------------------------------------------------------------------------------
// Scratch crates (sections 2 and 4)

/// A throw-away crate under `target/bench/` that depends on the crate being measured.
struct Scratch {
    /// For the report and progress lines.
    label: String,
    dir: PathBuf,
    target_dir: PathBuf,
}

impl Scratch {
    /// Write the crate (only what changed, so cargo keeps its fingerprints) with `dependencies`
    /// as the body of its `[dependencies]` table and one source file, `(name, contents)` under
    /// `src/` (`lib.rs` for a library, `main.rs` for a program). It starts from the workspace's
    /// `Cargo.lock`, so shared dependencies have the versions the workspace tests with.
    fn create(
        root: &Path,
        label: &str,
        dir: PathBuf,
        target_dir: PathBuf,
        dependencies: &str,
        (src_name, src): (&str, &str),
    ) -> Result<Scratch, String> {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // An empty `[workspace]` keeps cargo from taking the crate for a member of ours.
        let manifest = format!(
            "# Written by `cargo xtask bench`.\n[package]\nname = \"bench-{name}\"\nversion = \
             \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dependencies}\n\
             [workspace]\n"
        );
        let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
        std::fs::create_dir_all(dir.join("src")).map_err(|e| io(&dir, e))?;
        write_if_changed(&dir.join("Cargo.toml"), &manifest).map_err(|e| io(&dir, e))?;
        write_if_changed(&dir.join("src").join(src_name), src).map_err(|e| io(&dir, e))?;
        let lock = dir.join("Cargo.lock");
        if !lock.exists() {
            std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| io(&lock, e))?;
        }
        Ok(Scratch {
            label: label.to_string(),
            dir,
            target_dir,
        })
    }

    /// `cargo <args>` in this crate, with its own target dir. Incremental compilation is off: a
    /// dependency from a registry never gets it, and it would make the two sides unequal.
    fn cargo(&self, args: &[&str]) -> Command {
        let mut c = cargo();
        c.current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .args(args);
        c
    }
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents)?;
    }
    Ok(())
}

/// The `okta-generated` path dependency line, with `features` (`None`: the default features).
fn ours_dependency(root: &Path, features: Option<&[&str]>) -> String {
    let path = root.join("okta-generated");
    let path = path.to_string_lossy().replace('\\', "/");
    match features {
        None => format!("okta-generated = {{ path = \"{path}\" }}\n"),
        Some(f) => format!(
            "okta-generated = {{ path = \"{path}\", default-features = false, features = [{}] \
             }}\n",
            f.iter()
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Section 2: compile time of the crate alone

/// One way of building: its report label and cargo arguments.
struct Build {
    label: &'static str,
    args: &'static [&'static str],
    release: bool,
}

const BUILDS: [Build; 3] = [
    Build {
        label: "`cargo check`",
        args: &["check"],
        release: false,
    },
    Build {
        label: "`cargo build`",
        args: &["build"],
        release: false,
    },
    Build {
        label: "`cargo build --release`",
        args: &["build", "--release"],
        release: true,
    },
];

fn compile_section(root: &Path, runs: usize, quick: bool, out: &mut String) -> Result<(), String> {
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
    // (crate, the package `cargo clean -p` removes before each timed build). In this order: a
    // clean of okta-generated removes it for every feature set, so `one` goes first and each
    // caller right after the crate it calls, which is then built.
    let crates = [
        (&one, "okta-generated"),
        (&all, "okta-generated"),
        (&ours_calls, "bench-ours-calls"),
        (&okta, "okta"),
        (&okta_calls, "bench-okta-calls"),
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
            for (c, (krate, package)) in crates.iter().enumerate() {
                let mut clean = vec!["clean", "-p", package];
                if build.release {
                    clean.push("--release");
                }
                run_cmd(&mut krate.cargo(&clean))?;
                let d = run_cmd(&mut krate.cargo(build.args))?;
                eprintln!(
                    "bench: compile: run {}/{runs}, {}, {}: {}",
                    i + 1,
                    build.label,
                    krate.label,
                    secs(d)
                );
                samples[b][c].push(d);
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
            // The issue sets no target for release builds; show the figures only.
            "(none)".to_string()
        } else {
            format!(
                "all ≤ 1: {}; one < 0.25: {}",
                verdict(r_all <= 1.0),
                verdict(r_one < 0.25)
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

/// The library of a scratch crate whose dependencies are what is measured.
const EMPTY_LIB: &str = "//! Empty: only its dependencies count.\n";

/// A user's crate calling ten actions through okta-generated.
const OURS_CALLS_LIB: &str = r#"//! Written by `cargo xtask bench`: ten calls through okta-generated.
use okta_generated::{models, Client, Error};

pub async fn calls(
    client: &Client,
    new_user: models::CreateUserRequest,
    user: models::User,
) -> Result<usize, Error> {
    let mut n = 0;
    n += client.user().get_user("00u1").send().await?.additional_properties.len();
    n += client.user().list_users().limit(200).send().await?.items().len();
    n += client.user().create_user(new_user).activate(false).send().await?.additional_properties.len();
    n += client.user().update_user("00u1", user).send().await?.additional_properties.len();
    client.user().deactivate_user("00u1").send().await?;
    n += client.group().list_groups().send().await?.items().len();
    client.group().add_user_to_group("00g1", "00u1").send().await?;
    n += client.group().list_group_users("00g1").send().await?.items().len();
    n += client.application().list_applications().send().await?.items().len();
    client.application().get_application("0oa1").send().await?;
    Ok(n)
}
"#;

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

// ---------------------------------------------------------------------------------------------
// Section 3: the client bench (written elsewhere), verbatim

fn client_section(root: &Path, quick: bool, out: &mut String) -> Result<(), String> {
    let _ = writeln!(out, "## Client\n");
    if !has_client_bench(root)? {
        let _ = writeln!(
            out,
            "skipped: no client bench (`okta-generated` has no bench target `client`)\n"
        );
        return Ok(());
    }
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["bench", "-p", "okta-generated", "--bench", "client"]);
    if quick {
        cmd.args(["--", "--quick"]);
    }
    eprintln!("bench: client: {}", describe(&cmd));
    // Cargo's progress (stderr) goes to the terminal; the bench's table (stdout) to the report.
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
    if !output.status.success() {
        return Err(format!("`{}` failed ({})", describe(&cmd), output.status));
    }
    let _ = writeln!(out, "From `{}`:\n", describe_cargo(&cmd));
    out.push_str(String::from_utf8_lossy(&output.stdout).trim_end());
    out.push_str("\n\n");
    Ok(())
}

/// `cargo ...` for the report, whatever path `CARGO` holds.
fn describe_cargo(cmd: &Command) -> String {
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().to_string())
        .collect();
    format!("cargo {}", args.join(" "))
}

/// Whether `okta-generated` has a bench target named `client` (per `cargo metadata`).
fn has_client_bench(root: &Path) -> Result<bool, String> {
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"]);
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
    if !output.status.success() {
        return Err(format!("`{}` failed ({})", describe(&cmd), output.status));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let mut targets = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == "okta-generated")
        .flat_map(|p| p["targets"].as_array().into_iter().flatten());
    let is_client_bench = |t: &serde_json::Value| {
        t["name"] == "client"
            && t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bench"))
    };
    Ok(targets.any(is_client_bench))
}

// ---------------------------------------------------------------------------------------------
// Section 4: the dependency floor, from scratch

fn floor_section(root: &Path, runs: usize, out: &mut String) -> Result<(), String> {
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
    let crates = [&ours, &floor];
    // Download outside the timing: a from-scratch build here means compiling, not fetching.
    for krate in crates {
        run_cmd(&mut krate.cargo(&["fetch"]))?;
    }
    let builds = [&BUILDS[0], &BUILDS[2]];
    let mut samples: [[Samples; 2]; 2] = Default::default();
    for i in 0..runs {
        for (b, build) in builds.iter().enumerate() {
            for (c, krate) in crates.iter().enumerate() {
                match std::fs::remove_dir_all(&krate.target_dir) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(format!("{}: {e}", krate.target_dir.display()));
                    }
                    _ => {}
                }
                let d = run_cmd(&mut krate.cargo(build.args))?;
                eprintln!(
                    "bench: floor: run {}/{runs}, {}, {}: {}",
                    i + 1,
                    build.label,
                    krate.label,
                    secs(d)
                );
                samples[b][c].push(d);
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
        "| build | {} | {} | ours / floor | ours − floor |",
        ours.label, floor.label
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for (build, [o, f]) in builds.iter().zip(&samples) {
        let diff = o.median().as_secs_f64() - f.median().as_secs_f64();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.2} | {diff:+.1} s |",
            build.label,
            o.show(),
            f.show(),
            ratio(o, f)
        );
    }
    out.push('\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Samples {
        Samples(v.iter().map(|&m| Duration::from_millis(m)).collect())
    }

    #[test]
    fn write_replaces_the_report_and_keeps_the_notes_below_the_marker() {
        let first = with_kept_notes("# Benchmarks\n\nold figures\n", None);
        assert_eq!(
            first,
            format!("# Benchmarks\n\nold figures\n\n{NOTES_MARKER}\n")
        );
        let edited = format!("{first}\n## Notes\n\n- a target not met, and why\n");
        let second = with_kept_notes("# Benchmarks\n\nnew figures\n", Some(&edited));
        assert_eq!(
            second,
            format!(
                "# Benchmarks\n\nnew figures\n\n{NOTES_MARKER}\n\n## Notes\n\n- a target not met, \
                 and why\n"
            )
        );
        // A file from before the marker: its text is the old report, not notes.
        let legacy = with_kept_notes("# new\n", Some("# Benchmarks\n\nhand edits\n"));
        assert_eq!(legacy, format!("# new\n\n{NOTES_MARKER}\n"));
    }

    #[test]
    fn median_is_the_middle_run_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(ms(&[30, 10, 20]).median(), Duration::from_millis(20));
        assert_eq!(ms(&[40, 10, 30, 20]).median(), Duration::from_millis(25));
        assert_eq!(ms(&[7]).median(), Duration::from_millis(7));
        assert_eq!(ms(&[40, 10, 30]).show(), "30.0 ms (10.0 ms–40.0 ms)");
    }

    #[test]
    fn sections_parse_in_order_without_repeats_and_reject_unknown_names() {
        assert_eq!(
            parse_sections("floor, codegen,floor").unwrap(),
            [Section::Floor, Section::Codegen]
        );
        assert!(parse_sections("codegen,speed")
            .unwrap_err()
            .contains("speed"));
        assert!(parse_sections(",").is_err());
        assert!(!Options::default_sections(false).contains(&Section::Floor));
        assert_eq!(Options::default_sections(true), Section::ALL);
    }

    #[test]
    fn durations_print_with_three_significant_digits_or_minutes() {
        assert_eq!(secs(Duration::from_micros(8_123)), "8.12 ms");
        assert_eq!(secs(Duration::from_micros(81_234)), "81.2 ms");
        assert_eq!(secs(Duration::from_millis(812)), "812 ms");
        assert_eq!(secs(Duration::from_millis(8_123)), "8.12 s");
        assert_eq!(secs(Duration::from_millis(81_234)), "81.2 s");
        assert_eq!(secs(Duration::from_secs(812)), "13 min 32 s");
    }
}
