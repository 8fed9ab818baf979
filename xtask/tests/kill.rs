//! Killing `cargo xtask codegen` in the middle of writing never leaves a half-written file: each
//! file is written to a hidden temporary file and renamed into place, so after a kill every
//! generated file holds its old or its new content in full, and the next run finishes the job
//! (and removes the temporary file the kill left).
//!
//! The real binary regenerates the real manifest's client (61 files, about 1.6 MB) over an older
//! generation, and is killed with SIGKILL:
//! - at chosen points of the write phase: a named pipe put where the temporary file of the n-th
//!   file goes makes the writer block there, after it replaced the files before it; the kill
//!   must leave exactly those new and all the others old;
//! - at random times of the write phase.
#![cfg(unix)]
// The test's own notes go to the test harness, not through xtask's `outln!` (clippy.toml).
#![allow(clippy::disallowed_macros)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use xtask::{codegen, workspace_root};

/// Relative path -> content.
type Tree = BTreeMap<PathBuf, Vec<u8>>;

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file below `dir` (relative paths), following nothing but plain files and folders.
fn read_tree(dir: &Path) -> Tree {
    let mut out = Tree::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.insert(rel, std::fs::read(&p).unwrap());
            } else {
                // The named pipe a test put in place: not content.
                out.insert(rel, b"<not a regular file>".to_vec());
            }
        }
    }
    out
}

fn write_tree(dir: &Path, tree: &Tree) {
    let _ = std::fs::remove_dir_all(dir);
    for (rel, content) in tree {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
}

fn is_temp(rel: &Path) -> bool {
    let name = rel.file_name().unwrap().to_string_lossy();
    name.starts_with('.') && name.ends_with(".codegen-tmp")
}

/// After a kill: every file is the old or the new version in full; anything else is one of the
/// hidden temporary files (never a `.rs` file). Returns how many files are new.
fn assert_old_or_new(state: &Tree, old: &Tree, new: &Tree, what: &str) -> usize {
    let mut replaced = 0;
    for (rel, content) in state {
        match (old.get(rel), new.get(rel)) {
            (Some(o), Some(n)) => {
                assert!(
                    content == o || content == n,
                    "{what}: {} is neither its old nor its new content ({} bytes)",
                    rel.display(),
                    content.len()
                );
                replaced += usize::from(content == n && o != n);
            }
            _ => assert!(is_temp(rel), "{what}: unexpected file {}", rel.display()),
        }
    }
    for rel in new.keys() {
        assert!(
            state.contains_key(rel),
            "{what}: {} is missing",
            rel.display()
        );
    }
    replaced
}

fn spawn_codegen(manifest: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .arg("--manifest")
        .arg(manifest)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn xtask")
}

/// xorshift64*, seeded from the clock (printed, and settable with `KILL_TEST_SEED`).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) % n.max(1)
    }
}

#[test]
fn killing_codegen_mid_write_leaves_every_file_old_or_new() {
    let seed = std::env::var("KILL_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("KILL_TEST_SEED={seed}");
    let mut rng = Rng(seed | 1);

    let dir = scratch("kill");
    let manifest = workspace_root().join("manifest");
    let out = dir.join("out");
    let cargo_toml = |features: &str| {
        format!(
            "[package]\nname = \"client\"\n\n[features]\n{}\n{features}{}\n",
            okta_codegen::FEATURES_BEGIN,
            okta_codegen::FEATURES_END
        )
    };

    // The new generation, and an older one with the same files and other content.
    write_tree(
        &out,
        &Tree::from([(PathBuf::from("Cargo.toml"), cargo_toml("").into_bytes())]),
    );
    assert!(spawn_codegen(&manifest, &out).wait().unwrap().success());
    let new = read_tree(&out);
    assert!(new.len() > 50, "{} files", new.len());
    let old: Tree = new
        .keys()
        .map(|rel| {
            let content = if rel == Path::new("Cargo.toml") {
                cargo_toml("old = []\n")
            } else {
                format!("// an older generation of {}\n", rel.display())
            };
            (rel.clone(), content.into_bytes())
        })
        .collect();

    // The order files are written in.
    write_tree(&out, &old);
    let order: Vec<PathBuf> = codegen::plan(&manifest, &out)
        .unwrap()
        .changed
        .into_iter()
        .map(|(p, _)| p.strip_prefix(&out).unwrap().to_path_buf())
        .collect();
    assert_eq!(order.len(), new.len());

    // Kills at chosen points of the write phase: the first file after the first one, the last
    // file, and random ones.
    let mut targets = vec![1, order.len() - 1];
    targets.extend((0..3).map(|_| 1 + rng.below(order.len() as u64 - 1) as usize));
    for &i in &targets {
        write_tree(&out, &old);
        let fifo = codegen::temp_path(&out.join(&order[i]));
        assert!(Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let mut child = spawn_codegen(&manifest, &out);
        // Wait until the file before the target is in place: the writer is then at the target,
        // blocked opening the pipe. (The deadline only stops a broken run from hanging the test.)
        let before = out.join(&order[i - 1]);
        let deadline = Instant::now() + Duration::from_secs(120);
        while std::fs::read(&before).ok().as_ref() != new.get(&order[i - 1]) {
            assert!(child.try_wait().unwrap().is_none(), "codegen exited early");
            assert!(
                Instant::now() < deadline,
                "codegen never reached {}",
                order[i].display()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let state = read_tree(&out);
        let what = format!("killed before writing {}", order[i].display());
        let replaced = assert_old_or_new(&state, &old, &new, &what);
        assert_eq!(
            replaced, i,
            "{what}: the files before it are new, the rest old"
        );
        for rel in &order[..i] {
            assert_eq!(state.get(rel), new.get(rel), "{what}: {}", rel.display());
        }
        for rel in &order[i..] {
            assert_eq!(state.get(rel), old.get(rel), "{what}: {}", rel.display());
        }
    }

    // Kills at random times of the write phase: once the first file is replaced, within the
    // next few milliseconds (the whole phase takes about that long).
    let mut mixed = 0;
    for _ in 0..5 {
        write_tree(&out, &old);
        let mut child = spawn_codegen(&manifest, &out);
        let first = out.join(&order[0]);
        while std::fs::read(&first).ok().as_ref() != new.get(&order[0])
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        let delay = rng.below(5_000);
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let state = read_tree(&out);
        let what = format!("killed {delay} µs into the write phase");
        let replaced = assert_old_or_new(&state, &old, &new, &what);
        mixed += usize::from(replaced < new.len());
    }
    // How many random kills landed before the last file was written depends on the machine.
    println!("random kills that landed mid-write: {mixed} of 5");

    // The next run completes the job, over what a kill in the middle of writing a file leaves:
    // a partial temporary file next to it.
    write_tree(&out, &old);
    let partial = &new[&order[3]][..new[&order[3]].len() / 2];
    std::fs::write(codegen::temp_path(&out.join(&order[3])), partial).unwrap();
    assert!(spawn_codegen(&manifest, &out).wait().unwrap().success());
    assert_eq!(
        read_tree(&out),
        new,
        "a run after a kill leaves exactly the new generation"
    );

    // Temporary files next to files that need no rewrite are removed too.
    for rel in [&order[0], &order[order.len() - 1]] {
        std::fs::write(codegen::temp_path(&out.join(rel)), partial).unwrap();
    }
    assert!(spawn_codegen(&manifest, &out).wait().unwrap().success());
    assert_eq!(read_tree(&out), new, "leftover temporary files are removed");
    let _ = std::fs::remove_dir_all(&dir);
}
