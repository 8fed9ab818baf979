//! `cargo xtask bench`: measure the project's speed and print a markdown report.
//!
//! Sections (each can be picked with `--only`):
//! - `codegen`: the generator in process (whole and per stage) and the `codegen --check` process,
//!   against progenitor run on the same API (the manifest as an OpenAPI 3.0 document, `openapi`);
//! - `compile`: `cargo check` / `cargo build` / `cargo build --release` of the generated crate alone
//!   (dependencies already built), all categories and `user` only, against the `okta` 0.7.1 crate
//!   built the same way in the same run;
//! - `client`: the output of `cargo bench -p okta-generated --bench client`, verbatim;
//! - `fleet`: the output of `cargo bench -p okta-generated --features redis --bench fleet`
//!   (four processes sharing a budget through Redis, and the Redis store's cost per call),
//!   verbatim; skipped without `redis-server`;
//! - `floor` (only with `--only floor` or `--full`): from-scratch builds of a user's crate on
//!   `okta-generated` against an empty crate on reqwest + serde + tokio.
//!
//! Every figure is the median of several runs; every ratio compares medians of this same run.
//! Builds happen in scratch crates and target dirs under `target/bench/`, never in the workspace's
//! own target dir. Progress goes to stderr, the report to stdout.
//!
//! One module per section (`codegen`, `compile`, `client`, `fleet`, `floor`); `codegen` has progenitor's
//! program (`progenitor`) and its OpenAPI document (`openapi`) beside it. Sections draw on
//! `support` (samples, durations, processes) and `scratch` (scratch crates and the ways of
//! building them), never on one another; this module parses `--only`, runs the sections and
//! assembles the report.

mod client;
mod codegen;
mod compile;
mod fleet;
mod floor;
pub mod openapi;
mod progenitor;
mod scratch;
mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::{cargo, describe, secs};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Codegen,
    Compile,
    Client,
    Fleet,
    Floor,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Codegen,
        Section::Compile,
        Section::Client,
        Section::Fleet,
        Section::Floor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Codegen => "codegen",
            Section::Compile => "compile",
            Section::Client => "client",
            Section::Fleet => "fleet",
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
                format!("unknown bench section `{name}` (expected codegen, compile, client, fleet, floor)")
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
            (Section::Floor | Section::Client | Section::Fleet, _) => 1,
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
            Section::Codegen => codegen::section(root, &opts.manifest, runs, &mut text),
            Section::Compile => compile::section(root, runs, opts.quick, &mut text),
            Section::Client => client::section(root, opts.quick, &mut text),
            Section::Fleet => fleet::section(root, opts.quick, &mut text),
            Section::Floor => floor::section(root, runs, &mut text),
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
    out!("{report}");
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
