//! Section `client`: the table printed by `cargo bench -p okta-generated --bench client`,
//! verbatim.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use super::support::{cargo, describe};

pub(super) fn section(root: &Path, quick: bool, out: &mut String) -> Result<(), String> {
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
