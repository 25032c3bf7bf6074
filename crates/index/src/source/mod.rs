//! Sources: files and folders of articles turned into [`Document`]s.
//!
//! Supported: `.txt` (plain text articles), `.md` (Markdown with front matter),
//! `.html`/`.htm` (built sites), `.json` (one record or an array of records) and
//! `.jsonl` (one record per line). Bad input never stops the build: every problem
//! becomes a [`Diagnostic`] naming the file (and line), and the rest is kept.
//!
//! # Example
//!
//! ```no_run
//! use std::path::PathBuf;
//! use scour_index::source::{load, SourceOptions};
//!
//! let loaded = load(&[PathBuf::from("site/public")], &SourceOptions::default());
//! for diagnostic in &loaded.diagnostics {
//!     eprintln!("{diagnostic}");
//! }
//! println!("{} documents", loaded.documents.len());
//! ```

mod html;
mod json;
mod markdown;
pub mod stubs;
mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::Document;

pub use markdown::slugify;

/// Options for reading sources.
#[derive(Clone, Debug, Default)]
pub struct SourceOptions {
    /// Prefix for URLs derived from file paths (`--base-url`).
    pub base_url: Option<String>,
    /// CSS selector of the element holding the main content of HTML pages.
    pub root_selector: Option<String>,
    /// Follow symbolic links whose target is outside the folder being read. Off by
    /// default: a link to `~/creds.json` in a site folder would otherwise end up in a
    /// published index. Links to targets inside the folder are always followed.
    pub follow_external_links: bool,
    /// Folders never read while walking a source folder, e.g. the bundle folder when it
    /// is written inside a source (`public/search` in `public`): the previous bundle is
    /// not an article.
    pub exclude: Vec<PathBuf>,
    /// Glob patterns of files and folders left out (`--exclude`): matched against the
    /// path inside the source folder, with `/` between names (`2018-edition`,
    /// `first-edition/**`, `**/print.html`, `drafts/*.md`). A pattern without `/`
    /// matches a name at any depth, and a folder's pattern everything inside it.
    pub exclude_globs: Vec<String>,
}

/// The matcher of [`SourceOptions::exclude_globs`], or what is wrong with a pattern.
pub fn exclude_matcher(patterns: &[String]) -> Result<globset::GlobSet, String> {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let p = pattern
            .trim()
            .trim_start_matches("./")
            .trim_end_matches('/');
        if p.is_empty() {
            return Err(format!("exclude pattern {pattern:?} is empty"));
        }
        let mut forms = vec![p.to_owned(), format!("{p}/**")];
        if !p.contains('/') {
            forms.push(format!("**/{p}"));
            forms.push(format!("**/{p}/**"));
        }
        for form in forms {
            let glob = globset::GlobBuilder::new(&form)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("exclude pattern {pattern:?}: {}", e.kind()))?;
            set.add(glob);
        }
    }
    set.build().map_err(|e| format!("exclude patterns: {e}"))
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

impl Diagnostic {
    /// A [`Severity::Warning`] about `path` (at `line`, when known).
    pub fn warning(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// A [`Severity::Error`] about `path` (at `line`, when known).
    pub fn error(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(
                f,
                "{level}: {}:{line}: {}",
                self.path.display(),
                self.message
            ),
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
    /// The line of its file each document starts on, by position in `documents`, for
    /// those that have one (JSON records): messages about them name it.
    lines: HashMap<usize, usize>,
}

impl Loaded {
    /// Whether any diagnostic is an [`Severity::Error`].
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    fn skip(&mut self, path: &Path, reason: &str) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: reason.to_owned(),
        });
    }
}

/// The kinds of files sources understand, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Markdown,
    Html,
    Json,
    JsonLines,
}

impl Kind {
    fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Kind::Text,
            "md" | "markdown" => Kind::Markdown,
            "html" | "htm" => Kind::Html,
            "json" => Kind::Json,
            "jsonl" | "ndjson" => Kind::JsonLines,
            _ => return None,
        })
    }
}

/// Whether [`load`] reads files with this path's extension.
pub fn is_supported(path: &Path) -> bool {
    Kind::of(path).is_some()
}

/// Reads every supported file under `paths` (files or folders, recursively, in sorted
/// order) into documents.
///
/// Hidden files and folders (`.git`, `.DS_Store`), unsupported extensions and
/// [`SourceOptions::exclude`] met while walking a folder are skipped silently; links
/// out of the folder are skipped with a warning (see [`walk_files`]); a path that does not exist or cannot be read
/// is an error diagnostic. URLs are made relative to each folder argument (for a file
/// argument: its parent folder). Duplicate ids are renamed (`id#2`) with a warning;
/// duplicate URLs are kept with a warning.
pub fn load(paths: &[PathBuf], options: &SourceOptions) -> Loaded {
    let mut out = Loaded::default();
    read_all(paths, options, &mut out, None);
    stubs::mark(&mut out.documents);
    out
}

/// [`load`] for sites too large to hold in memory: each document goes to `sink` as
/// soon as it is read and its id settled (in [`load`]'s order, with [`load`]'s
/// renames and messages), and the [`Loaded`] returned holds no documents.
///
/// Stubs are not marked: that needs every page (see [`stubs::Notices`]).
pub fn load_each(
    paths: &[PathBuf],
    options: &SourceOptions,
    sink: &mut dyn FnMut(Document),
) -> Loaded {
    let mut out = Loaded::default();
    read_all(paths, options, &mut out, Some(sink));
    out
}

fn read_all(
    paths: &[PathBuf],
    options: &SourceOptions,
    out: &mut Loaded,
    sink: Option<&mut dyn FnMut(Document)>,
) {
    let ctx = Context::new(options, paths.first().map(PathBuf::as_path), out);
    let mut seen = Seen::new(sink);
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                out.diagnostics
                    .push(Diagnostic::error(path, None, "no such file or folder"));
                continue;
            }
            Err(err) => {
                out.diagnostics
                    .push(Diagnostic::error(path, None, format!("cannot read: {err}")));
                continue;
            }
        };
        if meta.is_dir() {
            walk(path, &ctx, out, &mut seen);
        } else {
            if Kind::of(path).is_none() {
                // Named explicitly, so silence would hide a mistake.
                out.diagnostics.push(Diagnostic::warning(
                    path,
                    None,
                    "unsupported file type (expected .txt, .md, .html, .htm, .json or .jsonl): ignored",
                ));
                continue;
            }
            let root = path.parent().unwrap_or(Path::new(""));
            seen.file(path, out, |out, flush| {
                ctx.load_file(path, root, out, flush)
            });
        }
    }
}

/// Reads one file. `root` is the folder the URL is made relative to.
///
/// Duplicate ids and URLs are only resolved by [`load`], which sees every file.
pub fn load_file(path: &Path, root: &Path, options: &SourceOptions, out: &mut Loaded) {
    let ctx = Context::new(options, Some(path), out);
    ctx.load_file(path, root, out, &mut |_| {});
}

fn walk(dir: &Path, ctx: &Context<'_>, out: &mut Loaded, seen: &mut Seen<'_>) {
    let mut files: Vec<(PathBuf, Kind)> = Vec::new();
    for found in walk_files(dir, ctx.options) {
        match found {
            Ok(path) => {
                if let Some(kind) = Kind::of(&path) {
                    files.push((path, kind));
                }
            }
            Err(diagnostic) => out.diagnostics.push(diagnostic),
        }
    }
    // In a built HTML site, .txt files are robots.txt, licences (mdBook's fonts),
    // Sphinx's `_sources` copies of every page, and .json files are the generator's and
    // the theme's data (search indexes, manifests, hash maps): never articles. Named on
    // the command line, such a file is still indexed.
    if !ctx.options.exclude_globs.is_empty() {
        match exclude_matcher(&ctx.options.exclude_globs) {
            Ok(set) => files.retain(|(path, _)| {
                let inside = path.strip_prefix(dir).unwrap_or(path);
                let rel: Vec<&str> = inside.iter().filter_map(|c| c.to_str()).collect();
                if set.is_match(rel.join("/")) {
                    out.skipped.push(Skipped {
                        path: path.clone(),
                        reason: "excluded".into(),
                    });
                    return false;
                }
                true
            }),
            Err(message) => {
                out.diagnostics.push(Diagnostic::error(dir, None, message));
                return;
            }
        }
    }
    let html_site = files.iter().any(|(_, kind)| *kind == Kind::Html);
    for (path, kind) in files {
        let reason = match kind {
            Kind::Text if html_site => Some("text file in an HTML site"),
            // (.jsonl is records written for search, as generators never write it)
            Kind::Json if html_site => Some("data file in an HTML site"),
            _ => None,
        };
        if let Some(reason) = reason {
            out.skipped.push(Skipped {
                path,
                reason: reason.into(),
            });
            continue;
        }
        seen.file(&path, out, |out, flush| {
            ctx.load_file(&path, dir, out, flush)
        });
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

/// The files of the folder `dir` that [`load`] reads, in sorted order: supported
/// extensions, hidden names (`.git`) and [`SourceOptions::exclude`] skipped.
///
/// Symbolic links are followed only when their target, resolved, is inside `dir`
/// (or [`SourceOptions::follow_external_links`] is set): a link out of the folder is
/// skipped with a warning and nothing behind it is read, not even a folder's listing,
/// so a link to a private file is never published. Other problems (an unreadable
/// folder, a broken link, a link to a folder enclosing it) come as errors. A file
/// reached through a link keeps the link's path, from which its URL is made.
pub fn walk_files(dir: &Path, options: &SourceOptions) -> WalkFiles {
    WalkFiles {
        walkers: vec![walker(dir)],
        dir: dir.to_path_buf(),
        real_dir: dir.canonicalize().ok(),
        // Compared with resolved paths, so `site/./search` or a link to the bundle
        // folder is excluded too. A folder that does not exist yet holds nothing to skip.
        exclude: options
            .exclude
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .collect(),
        follow_external_links: options.follow_external_links,
    }
}

/// Links are not followed by walkdir: [`WalkFiles`] decides about each one before
/// anything behind it is opened.
fn walker(dir: &Path) -> walkdir::IntoIter {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
}

/// The iterator [`walk_files`] returns: a file to read, or a problem met on the way.
pub struct WalkFiles {
    /// The walk of `dir`, then one per linked folder being walked, innermost last.
    walkers: Vec<walkdir::IntoIter>,
    /// The folder walked, as given (for messages).
    dir: PathBuf,
    /// The folder walked, resolved; `None` if it cannot be (then no link is followed).
    real_dir: Option<PathBuf>,
    /// Resolved folders to skip.
    exclude: Vec<PathBuf>,
    follow_external_links: bool,
}

impl WalkFiles {
    fn excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty()
            && path
                .canonicalize()
                .is_ok_and(|real| self.exclude.contains(&real))
    }

    /// What to do with the link `path`: the file to read, a folder to walk (pushed),
    /// nothing, or a diagnostic.
    fn follow(&mut self, path: PathBuf) -> Option<Result<PathBuf, Diagnostic>> {
        let Ok(target) = path.canonicalize() else {
            return Some(Err(Diagnostic::error(
                path,
                None,
                "cannot read: a broken link (its target does not exist)",
            )));
        };
        let inside = self
            .real_dir
            .as_ref()
            .is_some_and(|dir| target.starts_with(dir));
        if !inside && !self.follow_external_links {
            let message = format!(
                "a link to {}, outside {}: not read (links out of a source folder are \
                 followed only with --follow-external-links)",
                target.display(),
                self.dir.display()
            );
            return Some(Err(Diagnostic::warning(path, None, message)));
        }
        if !target.is_dir() {
            return Kind::of(&path).is_some().then_some(Ok(path));
        }
        if self.exclude.contains(&target) {
            return None;
        }
        // A link to a folder holding it would be walked forever.
        let encloses = path
            .ancestors()
            .skip(1)
            .take_while(|a| a.starts_with(&self.dir))
            .any(|a| a.canonicalize().is_ok_and(|real| real.starts_with(&target)));
        if encloses {
            return Some(Err(Diagnostic::error(
                path,
                None,
                "a link to a folder holding it: not followed (it would be read forever)",
            )));
        }
        self.walkers.push(walker(&path));
        None
    }
}

impl Iterator for WalkFiles {
    type Item = Result<PathBuf, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let walker = self.walkers.last_mut()?;
            let Some(entry) = walker.next() else {
                self.walkers.pop();
                continue;
            };
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(&self.dir).to_path_buf();
                    let message = match err.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None => format!("cannot read: {err}"),
                    };
                    return Some(Err(Diagnostic::error(path, None, message)));
                }
            };
            // The folder itself, or a linked folder already decided on.
            if entry.depth() == 0 {
                continue;
            }
            let kind = entry.file_type();
            if is_hidden(entry.file_name()) {
                if kind.is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if kind.is_symlink() {
                match self.follow(entry.into_path()) {
                    Some(found) => return Some(found),
                    None => continue,
                }
            }
            if kind.is_dir() {
                if self.excluded(entry.path()) {
                    if let Some(walker) = self.walkers.last_mut() {
                        walker.skip_current_dir();
                    }
                }
                continue;
            }
            if kind.is_file() && Kind::of(entry.path()).is_some() {
                return Some(Ok(entry.into_path()));
            }
        }
    }
}

/// Where a document came from, for messages: `notes.jsonl:3`, or the file alone.
fn place(files: &[PathBuf], (file, line): Place) -> String {
    let path = files
        .get(file as usize)
        .map_or(Path::new(""), PathBuf::as_path);
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

/// An id and the number its renamed repeats count on from: `same#2` is `same` with
/// its own number, so its repeat becomes `same#3`, never `same#2#2`.
pub(crate) fn suffix_base(id: &str) -> (&str, u64) {
    match id.rsplit_once('#') {
        Some((base, n))
            if !base.is_empty()
                && !n.is_empty()
                && !n.starts_with('0')
                && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            match n.parse::<u64>().ok().and_then(|n| n.checked_add(1)) {
                Some(next) => (base, next),
                None => (id, 2),
            }
        }
        _ => (id, 2),
    }
}

/// Where an id or URL was first met: the file, by its number in [`Seen::files`], and
/// the line.
type Place = (u32, Option<u32>);

/// Ids and URLs already handed out (with where), to rename or report duplicates
/// across files; and where checked documents go.
struct Seen<'s> {
    /// The files read so far, in order: each id and URL names its file by number, not
    /// with a path of its own (a JSON-lines file of a million records is one path).
    files: Vec<PathBuf>,
    ids: HashMap<String, Place>,
    urls: HashMap<String, Place>,
    /// How many documents at the start of [`Loaded::documents`] are checked already.
    checked: usize,
    /// The current file's messages, given after the file's own (which are put in line
    /// order once the file is read).
    pending: Vec<Diagnostic>,
    /// Takes each document once it is checked ([`load_each`]); without it they stay
    /// in [`Loaded::documents`].
    sink: Option<&'s mut dyn FnMut(Document)>,
}

impl<'s> Seen<'s> {
    fn new(sink: Option<&'s mut dyn FnMut(Document)>) -> Self {
        Seen {
            files: Vec::new(),
            ids: HashMap::new(),
            urls: HashMap::new(),
            checked: 0,
            pending: Vec::new(),
            sink,
        }
    }

    /// Reads one file through `read`, which may hand over documents before it ends
    /// (a large JSON-lines file does), checking them as they come.
    fn file(
        &mut self,
        path: &Path,
        out: &mut Loaded,
        read: impl FnOnce(&mut Loaded, &mut dyn FnMut(&mut Loaded)),
    ) {
        self.files.push(path.to_path_buf());
        self.checked = out.documents.len();
        read(out, &mut |out| self.check(out));
        self.check(out);
        out.diagnostics.append(&mut self.pending);
    }

    /// Checks the documents of the current file added to `out` since the last check,
    /// then hands them to the sink, if any.
    fn check(&mut self, out: &mut Loaded) {
        let file = (self.files.len() - 1) as u32;
        let path = &self.files[file as usize];
        let from = self.checked;
        for (i, doc) in out.documents[from..].iter_mut().enumerate() {
            let line = out.lines.get(&(from + i)).copied();
            let here = (file, line.and_then(|l| u32::try_from(l).ok()));
            if let Some(&first) = self.ids.get(&doc.id) {
                // The suffixed id may itself be taken (`a`, `a`, `a#2`): count on.
                let (base, start) = suffix_base(&doc.id);
                let renamed = (start..)
                    .map(|n| format!("{base}#{n}"))
                    .find(|candidate| !self.ids.contains_key(candidate))
                    .unwrap_or_default();
                self.pending.push(Diagnostic::warning(
                    path,
                    line,
                    format!(
                        "duplicate id `{}` (already used by {}): renamed to `{renamed}`",
                        doc.id,
                        place(&self.files, first)
                    ),
                ));
                doc.id = renamed;
            }
            self.ids.insert(doc.id.clone(), here);
            if doc.url.is_empty() {
                continue;
            }
            match self.urls.get(&doc.url) {
                Some(&first) => self.pending.push(Diagnostic::warning(
                    path,
                    line,
                    format!(
                        "duplicate URL `{}` (also the URL of a document from {}): both are kept",
                        doc.url,
                        place(&self.files, first)
                    ),
                )),
                None => {
                    self.urls.insert(doc.url.clone(), here);
                }
            }
        }
        self.checked = out.documents.len();
        if let Some(sink) = self.sink.as_mut() {
            for doc in out.documents.drain(..) {
                sink(doc);
            }
            out.lines.clear();
            self.checked = 0;
        }
    }
}

/// Options prepared once per [`load`]: the root selector is parsed a single time.
struct Context<'a> {
    options: &'a SourceOptions,
    root_selector: Option<scraper::Selector>,
}

impl<'a> Context<'a> {
    fn new(options: &'a SourceOptions, report_at: Option<&Path>, out: &mut Loaded) -> Self {
        let root_selector =
            options
                .root_selector
                .as_deref()
                .and_then(|css| match scraper::Selector::parse(css) {
                    Ok(selector) => Some(selector),
                    Err(err) => {
                        out.diagnostics.push(Diagnostic::error(
                            report_at.unwrap_or(Path::new("")),
                            None,
                            format!(
                                "invalid root selector `{css}`: {err}; the main content is \
                             detected automatically instead"
                            ),
                        ));
                        None
                    }
                });
        Context {
            options,
            root_selector,
        }
    }

    /// Reads one file into `out`; `flush` may be given `out` while it is read, to take
    /// the documents so far.
    fn load_file(
        &self,
        path: &Path,
        root: &Path,
        out: &mut Loaded,
        flush: &mut dyn FnMut(&mut Loaded),
    ) {
        let Some(kind) = Kind::of(path) else {
            out.diagnostics.push(Diagnostic::warning(
                path,
                None,
                "unsupported file type: ignored",
            ));
            return;
        };
        let file = FileInfo::new(path, root, self.options);
        // the file's text, or why it cannot be read
        let read = |out: &mut Loaded| match std::fs::read(path) {
            Ok(bytes) => Some(decode(bytes, path, out)),
            Err(err) => {
                out.diagnostics
                    .push(Diagnostic::error(path, None, format!("cannot read: {err}")));
                None
            }
        };
        match kind {
            Kind::Text => read(out).map(|text| text::load(&file, &text, out)),
            Kind::Markdown => read(out).map(|text| markdown::load(&file, &text, out)),
            Kind::Html => read(out).map(|text| {
                html::load(&file, &text, self.root_selector.as_ref(), out);
            }),
            Kind::Json => read(out).map(|text| json::load_json(&file, &text, out)),
            // a line at a time: a large site's records file is never held whole
            Kind::JsonLines => {
                json::load_lines(&file, out, flush);
                None
            }
        };
    }
}

/// What every format needs to know about the file it reads.
pub(crate) struct FileInfo<'a> {
    /// The file, as found (used in diagnostics).
    pub path: &'a Path,
    /// The path relative to the root, `/`-separated, e.g. `posts/hello.md`.
    pub rel: String,
    /// The file name without its extension, e.g. `hello`.
    pub stem: String,
    /// The options.
    pub options: &'a SourceOptions,
}

impl<'a> FileInfo<'a> {
    pub fn new(path: &'a Path, root: &Path, options: &'a SourceOptions) -> Self {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let rel = relative
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        FileInfo {
            path,
            rel,
            stem,
            options,
        }
    }

    /// The id of a document derived from this file: its relative path without the
    /// extension (`posts/hello`), unique as long as file names are.
    pub fn id(&self) -> String {
        match self.rel.rfind('/') {
            Some(slash) => format!("{}/{}", &self.rel[..slash], self.stem),
            None => self.stem.clone(),
        }
    }

    /// `path` (site-relative, e.g. `/posts/hello/` or `hello.txt`) with the base URL in
    /// front, when there is one.
    pub fn url(&self, path: &str) -> String {
        join_url(self.options.base_url.as_deref(), &encode_path(path))
    }
}

/// `base` + `path` with exactly one `/` between them.
fn join_url(base: Option<&str>, path: &str) -> String {
    match base {
        Some(base) if !base.is_empty() => {
            let base = base.trim_end_matches('/');
            let path = path.trim_start_matches('/');
            format!("{base}/{path}")
        }
        _ => path.to_owned(),
    }
}

/// Percent-encodes the characters that would break a URL path (spaces, `#`, `?`, `%`,
/// quotes, controls); other characters, non-ASCII included, are valid in an `href`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' | '"' | '#' | '%' | '?' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_control() && c.is_ascii() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Decodes a file as UTF-8 (without a byte order mark). Invalid bytes are replaced, with
/// a warning naming the line of the first one, so one bad byte does not lose a page.
fn decode(mut bytes: Vec<u8>, path: &Path, out: &mut Loaded) -> String {
    // in place: a large file is not held twice
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let valid = &bytes[..valid_up_to];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            out.diagnostics.push(not_utf8(path, line));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// The warning for a file whose line `line` is the first that is not valid UTF-8.
pub(crate) fn not_utf8(path: &Path, line: usize) -> Diagnostic {
    Diagnostic::warning(
        path,
        Some(line),
        "not valid UTF-8: invalid bytes were replaced with U+FFFD (save the file as UTF-8)",
    )
}

/// Collapses runs of whitespace (zero-width spaces included) into single spaces and
/// trims the ends.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Plain text being built: blocks on their own lines, no runs of spaces.
#[derive(Default)]
pub(crate) struct PlainText {
    /// The text so far.
    pub text: String,
}

impl PlainText {
    /// Ends the current line, if any.
    pub fn block(&mut self) {
        let len = self.text.trim_end_matches([' ', '\t']).len();
        self.text.truncate(len);
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// Separates words, once (never at a line start).
    pub fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
            self.text.push(' ');
        }
    }

    /// Appends flowing text: whitespace runs collapse to one space, kept at the edges so
    /// `a<b> b</b>` stays two words.
    pub fn inline(&mut self, text: &str) {
        let starts_space = text.starts_with(char::is_whitespace);
        let ends_space = text.ends_with(char::is_whitespace);
        let collapsed = collapse_whitespace(text);
        if starts_space {
            self.space();
        }
        if !collapsed.is_empty() {
            self.text.push_str(&collapsed);
            if ends_space {
                self.space();
            }
        }
    }

    /// Code keeps its lines and indentation.
    pub fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// The text without trailing whitespace.
    pub fn finish(mut self) -> String {
        let len = self.text.trim_end().len();
        self.text.truncate(len);
        self.text
    }
}

/// Adds `value` to the filter `key`, once.
pub(crate) fn add_filter(doc: &mut Document, key: &str, value: &str) {
    let value = value.trim();
    if key.is_empty() || value.is_empty() {
        return;
    }
    let values = doc.filters.entry(key.to_owned()).or_default();
    if !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_with_one_slash() {
        assert_eq!(join_url(Some("https://a.org/"), "/x/"), "https://a.org/x/");
        assert_eq!(
            join_url(Some("https://a.org"), "x.txt"),
            "https://a.org/x.txt"
        );
        assert_eq!(join_url(None, "/x/"), "/x/");
        assert_eq!(join_url(Some(""), "x.txt"), "x.txt");
    }

    #[test]
    fn url_paths_are_percent_encoded_only_where_needed() {
        assert_eq!(encode_path("/a b/c#d?.html"), "/a%20b/c%23d%3F.html");
        assert_eq!(encode_path("/über/"), "/über/");
    }

    #[test]
    fn file_ids_are_relative_paths_without_extension() {
        let options = SourceOptions::default();
        let file = FileInfo::new(Path::new("site/posts/a.b.md"), Path::new("site"), &options);
        assert_eq!(file.rel, "posts/a.b.md");
        assert_eq!(file.id(), "posts/a.b");
        let file = FileInfo::new(Path::new("site/x.txt"), Path::new("site"), &options);
        assert_eq!(file.id(), "x");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut out = Loaded::default();
        let text = decode(b"one\ntwo \xff\n".to_vec(), Path::new("f.txt"), &mut out);
        assert_eq!(text, "one\ntwo \u{fffd}\n");
        assert_eq!(out.diagnostics[0].line, Some(2));
        assert_eq!(out.diagnostics[0].severity, Severity::Warning);
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse_whitespace("  a \n\t b\u{200b} "), "a b");
    }
}
