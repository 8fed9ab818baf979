//! Every crate's `rust-version` is true of its dependencies, and README's Rust versions are true of
//! the crates and of everything Cargo.lock builds. (The crates' own code is held to their
//! `rust-version` by clippy's `incompatible_msrv` lint in CI; see the workspace Cargo.toml.)

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;
use xtask::workspace_root;

/// `1.85`, `1.85.0` -> (1, 85, 0).
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.trim().split('.').map(|p| {
        p.parse::<u64>()
            .unwrap_or_else(|_| panic!("not a Rust version: {text:?}"))
    });
    let major = parts.next().unwrap_or(0);
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

struct Package {
    name: String,
    version: String,
    rust_version: Option<String>,
}

struct Metadata {
    packages: BTreeMap<String, Package>,
    members: Vec<String>,
    /// (package id, [(dependency id, kinds: "normal", "build", "dev")]) of the resolve graph.
    deps: BTreeMap<String, Vec<(String, Vec<String>)>>,
}

fn metadata() -> Metadata {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["metadata", "--format-version", "1"])
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let packages = json["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                Package {
                    name: p["name"].as_str().unwrap().to_owned(),
                    version: p["version"].as_str().unwrap().to_owned(),
                    rust_version: p["rust_version"].as_str().map(str::to_owned),
                },
            )
        })
        .collect();
    let members = json["workspace_members"]
        .as_array()
        .expect("workspace_members")
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect();
    let deps = json["resolve"]["nodes"]
        .as_array()
        .expect("resolve.nodes")
        .iter()
        .map(|node| {
            let deps = node["deps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    let kinds = d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|k| k["kind"].as_str().unwrap_or("normal").to_owned())
                        .collect();
                    (d["pkg"].as_str().unwrap().to_owned(), kinds)
                })
                .collect();
            (node["id"].as_str().unwrap().to_owned(), deps)
        })
        .collect();
    Metadata {
        packages,
        members,
        deps,
    }
}

/// The Rust versions README.md states: (for the repository, for the client crate).
fn readme_versions() -> (String, String) {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let text = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let after = |marker: &str| {
        let start = text
            .find(marker)
            .unwrap_or_else(|| panic!("README.md no longer says {marker:?}"))
            + marker.len();
        text[start..]
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap()
            .trim_end_matches('.')
            .to_owned()
    };
    (
        after("With Rust installed ("),
        after("the client crate alone needs "),
    )
}

#[test]
fn every_crate_declares_a_rust_version_no_lower_than_any_of_its_dependencies() {
    let meta = metadata();
    let mut problems = Vec::new();
    for member in &meta.members {
        let crate_ = &meta.packages[member];
        let Some(declared) = &crate_.rust_version else {
            problems.push(format!("{} declares no rust-version", crate_.name));
            continue;
        };
        for (dep, kinds) in &meta.deps[member] {
            // Dev-dependencies build only this repository's tests: README's figure covers them.
            if kinds.iter().all(|k| k == "dev") {
                continue;
            }
            let dep = &meta.packages[dep];
            if let Some(needed) = &dep.rust_version {
                if version(needed) > version(declared) {
                    problems.push(format!(
                        "{} declares rust-version {declared}, but its dependency {} {} needs {needed}",
                        crate_.name, dep.name, dep.version
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn readme_rust_versions_cover_every_locked_package_and_name_the_clients() {
    let meta = metadata();
    let (repository, client) = readme_versions();
    let too_new: Vec<String> = meta
        .deps
        .keys()
        .map(|id| &meta.packages[id])
        .filter_map(|p| {
            let needed = p.rust_version.as_deref()?;
            (version(needed) > version(&repository))
                .then(|| format!("{} {} needs {needed}", p.name, p.version))
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "README.md says Rust {repository} builds this repository, but Cargo.lock has:\n{}",
        too_new.join("\n")
    );
    let declared = meta
        .members
        .iter()
        .map(|m| &meta.packages[m])
        .find(|p| p.name == "okta-generated")
        .and_then(|p| p.rust_version.clone())
        .expect("okta-generated declares a rust-version");
    assert_eq!(
        version(&client),
        version(&declared),
        "README.md says the client needs Rust {client}; okta-generated's rust-version is {declared}"
    );
}

#[test]
fn versions_compare_as_numbers() {
    assert!(version("1.100") > version("1.85.0"));
    assert_eq!(version("1.85"), version("1.85.0"));
    assert!(version("1.85.1") > version("1.85"));
}
