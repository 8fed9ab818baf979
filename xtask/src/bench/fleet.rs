//! Section `fleet`: the table printed by `cargo bench -p okta-generated --features redis --bench
//! fleet`, verbatim: a fleet of processes sharing one rate-limit budget through Redis, and the
//! Redis store's cost per call. Needs `redis-server` on the `PATH` (the bench starts its own);
//! without it the section says it was skipped.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;

use super::support::{cargo, describe};

pub(super) fn section(root: &Path, quick: bool, out: &mut String) -> Result<(), String> {
    let _ = writeln!(out, "## Fleet (Redis store)\n");
    let has_redis = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("redis-server").is_file())
    });
    if !has_redis {
        let _ = writeln!(
            out,
            "skipped: `redis-server` is not on the PATH (`apt-get install redis-server`)\n"
        );
        return Ok(());
    }
    let mut cmd = cargo();
    cmd.current_dir(root).args([
        "bench",
        "-p",
        "okta-generated",
        "--features",
        "redis",
        "--bench",
        "fleet",
    ]);
    if quick {
        cmd.args(["--", "--quick"]);
    }
    eprintln!("bench: fleet: {}", describe(&cmd));
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
    if !output.status.success() {
        return Err(format!("`{}` failed ({})", describe(&cmd), output.status));
    }
    let _ = writeln!(
        out,
        "From `cargo bench -p okta-generated --features redis --bench fleet{}`. Each process is \
         this bench's own binary re-run as a child; the org server runs on a thread of the \
         parent and counts what it sees; Redis is a local `redis-server` of the bench's own. \
         Ratios compare figures of this same run.\n",
        if quick { " -- --quick" } else { "" }
    );
    out.push_str(String::from_utf8_lossy(&output.stdout).trim_end());
    out.push_str("\n\n");
    Ok(())
}
