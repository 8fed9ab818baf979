//! `cargo xtask`: the maintainers' commands.
//!
//! - `cargo xtask codegen [--check] [--manifest DIR] [--out DIR]`
//! - `cargo xtask fmt-manifest [--check] [--manifest DIR]`
//! - `cargo xtask list [--format json|text|markdown] [--manifest DIR]`
//! - `cargo xtask verify-spec SPEC [--manifest DIR]`
//! - `cargo xtask import-spec SPEC [--manifest DIR] [--only TAG,...] [--dry-run]`
//! - `cargo xtask api-diff (--base REV | --base-manifest DIR) [--manifest DIR] [--format markdown|json]`
//! - `cargo xtask bench [--only SECTIONS] [--runs N] [--quick] [--full] [--write]`
//!
//! `cargo xtask --help` prints every command's usage, `cargo xtask COMMAND --help` (or `-h`, or
//! `cargo xtask help COMMAND`) one command's; both exit 0.

use xtask::{
    api_diff, bench, codegen, import_spec, list, manifest_files, outln, verify_spec, workspace_root,
};

/// The generator allocates for every token it emits, parses and lays out (quote, proc-macro2,
/// syn, prettyplease): with mimalloc, `cargo xtask codegen` takes about a quarter less time than
/// with the system allocator (measured with `cargo xtask bench --only codegen`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

/// Each command's usage, in the order `cargo xtask --help` lists them: the synopsis, then what it
/// does. `cargo xtask COMMAND --help` (or `-h`, or `cargo xtask help COMMAND`) prints one.
const COMMANDS: &[(&str, &str)] = &[
    (
        "codegen",
        "\
  cargo xtask codegen [--check] [--manifest DIR] [--out DIR]
      Regenerate the client crate from the manifest (default: manifest/ into okta-generated/).
      --check writes nothing and exits 1 if any generated file is stale.",
    ),
    (
        "fmt-manifest",
        "\
  cargo xtask fmt-manifest [--check] [--manifest DIR]
      Rewrite the manifest's files in their one layout (the one import-spec writes).
      --check writes nothing and exits 1 if any file is not in it.",
    ),
    (
        "list",
        "\
  cargo xtask list [--format json|text|markdown] [--manifest DIR]
      Print every action of the manifest (markdown: the README's table of categories).",
    ),
    (
        "verify-spec",
        "\
  cargo xtask verify-spec SPEC [--manifest DIR]
      Compare the manifest with an Okta spec (Swagger 2.0 or OpenAPI 3.0, YAML or JSON) and list
      every difference (actions; with OpenAPI 3.0, models' fields too); exits 1 on any difference
      not explained by the action's or the field's spec_overrides.",
    ),
    (
        "import-spec",
        "\
  cargo xtask import-spec SPEC [--manifest DIR] [--only TAG,...] [--dry-run]
      Bring the manifest up to an Okta OpenAPI 3.0 spec (YAML or JSON): add its new operations
      and models, update the ones that changed, keep what maintainers own (names, categories,
      spec_overrides), report what the spec no longer has. --only: these Okta tags only.
      --dry-run: print the summary, write nothing. Exits 1 if the result needs fixing, 2 if the
      spec cannot be read (nothing written).",
    ),
    (
        "api-diff",
        "\
  cargo xtask api-diff (--base REV | --base-manifest DIR) [--manifest DIR] [--format markdown|json]
      What the manifest changes for users of okta-generated against the manifest at git
      revision REV (or in DIR): breaking changes first, then wire, deprecated and additive
      ones. Markdown (default) is a section ready for CHANGELOG.md. Exits 2 when either
      manifest cannot be loaded.",
    ),
    (
        "bench",
        "\
  cargo xtask bench [--only SECTIONS] [--runs N] [--quick] [--full] [--write]
      Measure codegen, compile times and the client; print a markdown report (runs from a
      release build of xtask, built on demand). SECTIONS: comma-separated among codegen,
      compile, client, fleet, floor (default: all but floor; --full: all). --runs N: runs
      per figure (default 9 for codegen, 3 for compile, 1 for floor). --quick: a short smoke
      run.
      --write: also write the report to BENCHMARKS.md.",
    ),
];

/// The usage of one command, or of all of them (`None`, or a name that is no command).
fn usage(command: Option<&str>) -> String {
    let mut text = String::from("usage:");
    for (name, help) in COMMANDS {
        if command.is_none() || command == Some(*name) {
            // A string continuation (`\` at a line's end) drops the first line's indent.
            text.push_str("\n  ");
            text.push_str(help.trim_start());
        }
    }
    if text == "usage:" {
        return usage(None);
    }
    text
}

fn is_command(name: &str) -> bool {
    COMMANDS.iter().any(|(command, _)| *command == name)
}

fn is_help(arg: &str) -> bool {
    arg == "--help" || arg == "-h"
}

struct Args {
    rest: Vec<String>,
}

impl Args {
    fn flag(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|a| a != name);
        before != self.rest.len()
    }
    fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.rest.iter().position(|a| a == name) {
            None => Ok(None),
            Some(i) if i + 1 < self.rest.len() => {
                let v = self.rest.remove(i + 1);
                self.rest.remove(i);
                Ok(Some(v))
            }
            Some(_) => Err(format!("{name} needs a value")),
        }
    }
    fn finish(self) -> Result<(), String> {
        match self.rest.first() {
            Some(extra) => Err(format!("unexpected argument `{extra}`")),
            None => Ok(()),
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut argv = std::env::args().skip(1);
    let command = argv.next();
    let mut args = Args {
        rest: argv.collect(),
    };
    // `--help`/`-h` anywhere prints the usage and succeeds, as cargo's own commands do: of the
    // command when one is named (`cargo xtask codegen --help`, `cargo xtask help codegen`),
    // else of all of them.
    match command.as_deref() {
        None | Some("help") => {
            let named = args.rest.first().map(String::as_str);
            if let Some(c) = named.filter(|c| !is_help(c) && !is_command(c)) {
                return Err(format!("unknown command `{c}`"));
            }
            outln!("{}", usage(named));
            return Ok(ExitCode::SUCCESS);
        }
        Some(c) if is_help(c) => {
            outln!("{}", usage(None));
            return Ok(ExitCode::SUCCESS);
        }
        Some(c) if args.rest.iter().any(|a| is_help(a)) => {
            if !is_command(c) {
                return Err(format!("unknown command `{c}`"));
            }
            outln!("{}", usage(Some(c)));
            return Ok(ExitCode::SUCCESS);
        }
        Some(_) => {}
    }
    let root = workspace_root();
    let manifest = args
        .value("--manifest")?
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("manifest"));
    match command.as_deref() {
        Some("codegen") => {
            let check = args.flag("--check");
            let out = args
                .value("--out")?
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("okta-generated"));
            args.finish()?;
            Ok(codegen::run(&manifest, &out, check))
        }
        Some("fmt-manifest") => {
            let check = args.flag("--check");
            args.finish()?;
            Ok(manifest_files::run(&manifest, check))
        }
        Some("list") => {
            let format = args.value("--format")?.unwrap_or_else(|| "text".into());
            args.finish()?;
            list::run(&manifest, &format)
        }
        Some("verify-spec") => {
            let spec = match args.rest.first() {
                Some(p) if !p.starts_with('-') => PathBuf::from(args.rest.remove(0)),
                _ => return Err("verify-spec needs the path of a spec file".into()),
            };
            args.finish()?;
            verify_spec::run(&manifest, &spec)
        }
        Some("import-spec") => {
            let spec = match args.rest.first() {
                Some(p) if !p.starts_with('-') => PathBuf::from(args.rest.remove(0)),
                _ => return Err("import-spec needs the path of a spec file".into()),
            };
            let dry_run = args.flag("--dry-run");
            let only = args.value("--only")?.map(|list| {
                list.split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect()
            });
            args.finish()?;
            Ok(import_spec::run(&import_spec::Options {
                spec,
                manifest,
                only,
                dry_run,
            }))
        }
        Some("api-diff") => {
            let base = match (args.value("--base")?, args.value("--base-manifest")?) {
                (Some(rev), None) => api_diff::Base::Rev(rev),
                (None, Some(dir)) => api_diff::Base::Dir(PathBuf::from(dir)),
                _ => return Err("api-diff needs one of --base REV and --base-manifest DIR".into()),
            };
            let format = match args.value("--format")? {
                Some(f) => api_diff::Format::parse(&f)?,
                None => api_diff::Format::Markdown,
            };
            args.finish()?;
            Ok(api_diff::run(&base, &manifest, format))
        }
        Some("bench") => {
            // Everything after `bench`, as typed (`--manifest` included), for the re-run and report.
            let raw: Vec<String> = std::env::args().skip(2).collect();
            let full = args.flag("--full");
            let quick = args.flag("--quick");
            let write = args.flag("--write");
            let sections = match args.value("--only")? {
                Some(list) => bench::parse_sections(&list)?,
                None => bench::Options::default_sections(full),
            };
            let runs = match args.value("--runs")? {
                None => None,
                Some(n) => match n.parse::<usize>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => return Err(format!("--runs needs a positive number, not `{n}`")),
                },
            };
            args.finish()?;
            // Timing the generator in a debug build would measure the wrong thing.
            if cfg!(debug_assertions) {
                return bench::rerun_in_release(&root, &raw);
            }
            let mut command = String::from("cargo xtask bench");
            for a in &raw {
                command.push(' ');
                command.push_str(a);
            }
            let opts = bench::Options {
                sections,
                runs,
                quick,
                write,
                command,
                manifest,
            };
            // Not `?`: a failed measurement is no usage error.
            match bench::run(&root, &opts) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(msg) => {
                    eprintln!("error: {msg}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Some(other) => Err(format!("unknown command `{other}`")),
        None => Ok(ExitCode::SUCCESS), // printed the usage above
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}\n\n{}", usage(None));
            ExitCode::from(2)
        }
    }
}
