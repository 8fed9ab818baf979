//! Errors found in a manifest, each naming the file, the line (and column) where known, and
//! what is wrong. Stages collect every problem they find before failing.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line and optional 1-based column.
    pub position: Option<(usize, Option<usize>)>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        file: PathBuf,
        position: Option<(usize, Option<usize>)>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file,
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes everywhere, so messages (and their snapshots) match on every OS.
        let file = self.file.to_string_lossy().replace('\\', "/");
        match self.position {
            Some((line, Some(col))) => write!(f, "{file}:{line}:{col}: {}", self.message),
            Some((line, None)) => write!(f, "{file}:{line}: {}", self.message),
            None => write!(f, "{file}: {}", self.message),
        }
    }
}

/// An ordered list of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    /// `Ok(value)` when nothing was reported.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "error: {d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} error{} in the manifest",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}
