//! The manifest as a git revision has it, copied into a temporary folder (never the work tree):
//! `git ls-tree` lists its files and one `git cat-file --batch` reads them all.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// A temporary folder, removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Result<TempDir, String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "okta-{tag}-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The manifest folder of a revision, in a temporary folder.
#[derive(Debug)]
pub struct ManifestAtRev {
    temp: TempDir,
    rev: String,
    /// The manifest folder's path in the repository (`manifest`).
    rel: String,
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

impl ManifestAtRev {
    /// The folder that `manifest` (a folder of a git checkout) is at `rev`.
    pub fn read(manifest: &Path, rev: &str) -> Result<ManifestAtRev, String> {
        let manifest = manifest
            .canonicalize()
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        let top = git(&manifest, &["rev-parse", "--show-toplevel"])
            .map_err(|e| format!("{} is not in a git checkout ({e})", manifest.display()))?;
        let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
        let top = top.canonicalize().unwrap_or(top);
        let rel_path = manifest.strip_prefix(&top).map_err(|_| {
            format!(
                "{} is not inside the git checkout {}",
                manifest.display(),
                top.display()
            )
        })?;
        let rel = rel_path
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        if rev.is_empty() || rev.starts_with('-') {
            return Err(format!("unknown git revision `{rev}`"));
        }
        let commit = git(
            &top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .ok()
        .map(|o| String::from_utf8_lossy(&o).trim().to_owned())
        .filter(|c| !c.is_empty())
        .ok_or_else(|| format!("unknown git revision `{rev}`"))?;
        let listing = git(
            &top,
            &[
                "ls-tree",
                "-r",
                "-z",
                "--name-only",
                &commit,
                "--",
                &format!("{rel}/"),
            ],
        )
        .map_err(|e| format!("cannot list {rel}/ at `{rev}`: {e}"))?;
        let paths: Vec<String> = listing
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        if paths.is_empty() {
            return Err(format!(
                "there is no manifest at `{rev}` (nothing in {rel}/)"
            ));
        }
        let blobs = cat_files(&top, &commit, &paths)?;
        let temp = TempDir::new("api-diff")?;
        let root = temp.path().join("manifest");
        for (path, bytes) in paths.iter().zip(blobs) {
            let inner = path.strip_prefix(&format!("{rel}/")).unwrap_or(path);
            let dest = root.join(inner);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&dest, bytes)
                .map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
        }
        Ok(ManifestAtRev {
            temp,
            rev: rev.to_owned(),
            rel,
        })
    }

    /// Loads it through the generator's pipeline; the diagnostics name the files as
    /// `<rev>:<path in the repository>`.
    pub fn load(&self) -> Result<super::Loaded, String> {
        let shown = |mut d: okta_codegen::Diagnostics| {
            let temp = self.temp.path().join("manifest");
            for diag in &mut d.0 {
                let shown = diag
                    .file
                    .strip_prefix(&temp)
                    .or_else(|_| diag.file.strip_prefix("manifest"))
                    .unwrap_or(&diag.file);
                let shown = shown.to_string_lossy().replace('\\', "/");
                diag.file = PathBuf::from(if shown.is_empty() {
                    format!("{}:{}", self.rev, self.rel)
                } else {
                    format!("{}:{}/{shown}", self.rev, self.rel)
                });
            }
            d
        };
        match super::load_lenient(&self.temp.path().join("manifest")) {
            Ok(loaded) => Ok(super::Loaded {
                api: loaded.api,
                refused: loaded.refused.map(shown),
            }),
            Err(d) => Err(format!(
                "the manifest at `{}` ({}/) does not load:\n{}",
                self.rev,
                self.rel,
                shown(d)
            )),
        }
    }
}

/// The contents of `paths` at `commit`, through one `git cat-file --batch`.
fn cat_files(top: &Path, commit: &str, paths: &[String]) -> Result<Vec<Vec<u8>>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let requests: String = paths.iter().map(|p| format!("{commit}:{p}\n")).collect();
    // Written from another thread: git answers while it reads, and a full pipe each way would
    // block both.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut stdout = BufReader::new(child.stdout.take().ok_or("git cat-file: no stdout")?);
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let mut header = String::new();
        stdout
            .read_line(&mut header)
            .map_err(|e| format!("git cat-file: {e}"))?;
        // `<sha> blob <size>`, or `<object> missing`.
        let size = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(|| format!("git cat-file: cannot read {path}: {}", header.trim()))?;
        let mut bytes = vec![0; size + 1];
        stdout
            .read_exact(&mut bytes)
            .map_err(|e| format!("git cat-file: {e}"))?;
        bytes.pop(); // the newline after each object
        out.push(bytes);
    }
    drop(stdout);
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}
