//! Scratch crates under `target/bench/`, the dependency line of the crate being measured, and
//! the ways of building them (compile and floor sections; progenitor's program too).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::support::{cargo, run_cmd, secs};

/// A throw-away crate under `target/bench/` that depends on the crate being measured.
pub(super) struct Scratch {
    /// For the report and progress lines.
    pub(super) label: String,
    dir: PathBuf,
    pub(super) target_dir: PathBuf,
}

impl Scratch {
    /// Write the crate (only what changed, so cargo keeps its fingerprints) with `dependencies`
    /// as the body of its `[dependencies]` table and one source file, `(name, contents)` under
    /// `src/` (`lib.rs` for a library, `main.rs` for a program). It starts from the workspace's
    /// `Cargo.lock`, so shared dependencies have the versions the workspace tests with.
    pub(super) fn create(
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
    pub(super) fn cargo(&self, args: &[&str]) -> Command {
        let mut c = cargo();
        c.current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .args(args);
        c
    }

    /// Times `build` of this crate, and says on stderr how long it took (run `run` of `runs`
    /// of `section`).
    pub(super) fn timed_build(
        &self,
        build: &Build,
        section: &str,
        (run, runs): (usize, usize),
    ) -> Result<Duration, String> {
        let d = run_cmd(&mut self.cargo(build.args))?;
        eprintln!(
            "bench: {section}: run {run}/{runs}, {}, {}: {}",
            build.label,
            self.label,
            secs(d)
        );
        Ok(d)
    }
}

pub(super) fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents)?;
    }
    Ok(())
}

/// The `okta-generated` path dependency line, with `features` (`None`: the default features).
pub(super) fn ours_dependency(root: &Path, features: Option<&[&str]>) -> String {
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

/// One way of building: its report label and cargo arguments.
pub(super) struct Build {
    pub(super) label: &'static str,
    pub(super) args: &'static [&'static str],
    pub(super) release: bool,
}

pub(super) const BUILDS: [Build; 3] = [
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

/// The library of a scratch crate whose dependencies are what is measured.
pub(super) const EMPTY_LIB: &str = "//! Empty: only its dependencies count.\n";
