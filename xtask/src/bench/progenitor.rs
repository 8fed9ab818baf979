//! Progenitor, the generator the codegen section compares against: a small program on it, built
//! in a scratch crate and given the manifest's API as an OpenAPI 3.0 document (`openapi.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::openapi;
use super::scratch::{write_if_changed, Scratch};
use super::support::{describe, run_cmd, Samples};

/// The progenitor release the codegen section compares against.
pub(super) const PROGENITOR_VERSION: &str = "0.13.0";

/// One round of progenitor's runs, recorded in its figures; a failure takes their place (the
/// section reports it and goes on with ours).
pub(super) fn progenitor_round(
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
pub(super) enum Round {
    InProcess,
    Process,
}

/// A small program on progenitor, built in `target/bench/progenitor/`, and the OpenAPI 3.0
/// document of the manifest's API it is given.
pub(super) struct ProgenitorProgram {
    exe: PathBuf,
    dir: PathBuf,
    spec: PathBuf,
    /// Where the process writes the client it generates.
    out: PathBuf,
    pub(super) operations: usize,
    /// What of the manifest's API the document leaves out (actions that share a method and path
    /// with another, request bodies progenitor refuses).
    pub(super) left_out: Vec<openapi::LeftOut>,
    pub(super) schemas: usize,
    pub(super) spec_bytes: usize,
}

/// Progenitor's figures, and the size of what it wrote.
#[derive(Default)]
pub(super) struct ProgenitorFigures {
    /// Reading and parsing the JSON document.
    pub(super) parse: Samples,
    /// `Generator::generate_tokens`.
    pub(super) tokens: Samples,
    /// `syn::parse2` + `prettyplease::unparse`.
    pub(super) format: Samples,
    /// All three, in process.
    pub(super) whole: Samples,
    /// The whole process, writing its output to a file.
    pub(super) process: Samples,
    pub(super) lines: usize,
    pub(super) bytes: usize,
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
    pub(super) fn build(
        root: &Path,
        api: &okta_codegen::ir::Api,
    ) -> Result<ProgenitorProgram, String> {
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
        eprintln!(
            "bench: progenitor's document leaves out {}",
            openapi::summary(&left_out)
        );
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
