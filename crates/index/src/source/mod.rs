//! Sources: files and folders of articles turned into [`Document`]s.
//!
//! Supported: `.txt` (plain text articles), `.md` (Markdown with front matter),
//! `.html`/`.htm` (built sites), `.json` (one record or an array of records) and
//! `.jsonl` (one record per line). Bad input never stops the build: every problem
//! becomes a [`Diagnostic`] naming the file (and line), and the rest is kept.

use std::path::{Path, PathBuf};

use crate::Document;

/// Options for reading sources.
#[derive(Clone, Debug, Default)]
pub struct SourceOptions {
    /// Prefix for URLs derived from file paths (`--base-url`).
    pub base_url: Option<String>,
    /// CSS selector of the element holding the main content of HTML pages.
    pub root_selector: Option<String>,
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input was used, with a caveat.
    Warning,
    /// The input (a file or a record) could not be used and was skipped.
    Error,
}

/// A problem found while reading sources: what, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The file.
    pub path: PathBuf,
    /// The 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong, and what to do about it.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{level}: {}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{level}: {}: {}", self.path.display(), self.message),
        }
    }
}

/// A page that was deliberately not indexed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why (`redirect stub`, `noindex`, `draft`, `empty page`, …).
    pub reason: String,
}

/// Everything read from the sources.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The documents, in a deterministic order (sorted paths, then record order).
    pub documents: Vec<Document>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages skipped on purpose.
    pub skipped: Vec<Skipped>,
}

/// Reads every supported file under `paths` (files or folders, recursively, in sorted
/// order) into documents.
pub fn load(paths: &[PathBuf], options: &SourceOptions) -> Loaded {
    let _ = (paths, options);
    todo!("sources")
}

/// Reads one file. `root` is the folder the URL is made relative to.
pub fn load_file(path: &Path, root: &Path, options: &SourceOptions, out: &mut Loaded) {
    let _ = (path, root, options, out);
    todo!("sources")
}
