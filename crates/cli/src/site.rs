//! One site build: sources → documents → index → bundle folder, and what it reports.
//!
//! Shared by `scour build` (full summary), `scour build --watch` and
//! `scour serve --watch` (one line per rebuild).

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::bundle::{self, BundleReport};
use crate::chunk_files::IndexSource;
use crate::progress::Progress;
use scour_index::source::{self, stubs::Notices, Severity, SourceOptions};
use scour_index::spill::DocSpill;
use scour_index::{Analysed, Document, IndexBuilder, Parents};

/// What to build: every setting resolved from the command line and `scour.toml`.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Files or folders of articles.
    pub sources: Vec<PathBuf>,
    /// The bundle folder.
    pub out: PathBuf,
    /// How sources are read.
    pub options: SourceOptions,
    /// Whether warnings fail the build.
    pub strict: bool,
    /// How the bundle holds its index.
    pub layout: crate::bundle::IndexLayout,
}

/// What a successful build did.
#[derive(Debug)]
pub struct Outcome {
    /// Documents indexed.
    pub documents: usize,
    /// Pages skipped on purpose, counted per reason (sorted by reason).
    pub skipped: BTreeMap<String, usize>,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Error diagnostics (files or records that could not be used).
    pub errors: usize,
    /// Distinct terms in the index.
    pub terms: usize,
    /// Bytes of the index alone.
    pub index_bytes: usize,
    /// The files written.
    pub report: BundleReport,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Builds `plan`, printing each diagnostic on stderr as `warning: path:line: message`.
///
/// Fails, writing nothing, on `--strict` with any diagnostic and on a corpus without
/// documents; a failure to write leaves the previous bundle in place
/// ([`bundle::write_bundle`] replaces the folder atomically).
pub fn build(plan: &Plan, progress: &mut Progress) -> Result<Outcome, String> {
    let started = Instant::now();
    progress.reading(&plan.sources, &plan.options);
    let read = read(plan, progress)?;
    let loaded = read.loaded;
    let (mut errors, mut warnings) = (0, 0);
    progress.suspend(|| {
        for d in &loaded.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            eprintln!("{d}");
        }
    });
    if plan.strict && errors + warnings > 0 {
        return Err(format!(
            "--strict: {errors} error(s) and {warnings} warning(s) in the sources; nothing was written to {}",
            plan.out.display()
        ));
    }
    if read.spill.is_empty() {
        let names: Vec<String> = plan
            .sources
            .iter()
            .map(|s| s.display().to_string())
            .collect();
        return Err(format!(
            "no documents found in {}: {}scour indexes .txt, .md, .html, .json and .jsonl files; \
             check the path, or see the messages above for files that could not be read",
            names.join(", "),
            skipped_files(&loaded.skipped)
        ));
    }
    let documents = read.spill.len();
    progress.indexing(documents);
    let mut builder = IndexBuilder::new();
    let spilled = read.spill.read().map_err(|e| spill_error(&e))?;
    let (stubs, parents) = (read.stubs, read.parents);
    let language = builder.language();
    // Each document read back, completed and analysed (on a second thread where there
    // are threads), then added in order.
    let analyse = |emit: &mut dyn FnMut(Analysed) -> bool| -> Result<(), String> {
        for (doc, stub) in spilled.zip(stubs) {
            let mut doc = doc.map_err(|e| spill_error(&e))?;
            doc.stub = stub;
            // results name the pages they are under, by title (the widget's breadcrumb)
            parents.link(&mut doc);
            if !emit(Analysed::new(doc, language)) {
                break;
            }
        }
        Ok(())
    };
    #[cfg(not(target_os = "wasi"))]
    std::thread::scope(|scope| {
        // batches, so that handing over costs little next to analysing
        const BATCH: usize = 256;
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Analysed>>(16);
        let worker = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let result = analyse(&mut |analysed| {
                batch.push(analysed);
                batch.len() < BATCH
                    || send
                        .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_ok()
            });
            let _ = send.send(batch);
            result
        });
        for batch in receive {
            for analysed in batch {
                builder.add_analysed(analysed);
                progress.inc();
            }
        }
        match worker.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })?;
    #[cfg(target_os = "wasi")]
    analyse(&mut |analysed| {
        builder.add_analysed(analysed);
        progress.inc();
        true
    })?;
    progress.step("writing the index");
    let index = finish_index(builder, &plan.out)?;
    let source = IndexSource::File(&index);
    let terms = source.meta().map_or(0, |m| m.term_count as usize);
    let index_bytes = source.len().map_err(|e| e.to_string())? as usize;
    progress.step("writing the bundle");
    let report =
        bundle::write_bundle_from(source, &plan.out, plan.layout).map_err(|e| e.to_string())?;
    // The display stays until the caller drops it: its summary may take a while.
    let mut skipped = BTreeMap::new();
    for s in &loaded.skipped {
        *skipped.entry(s.reason.clone()).or_default() += 1;
    }
    Ok(Outcome {
        documents,
        skipped,
        warnings,
        errors,
        terms,
        index_bytes,
        report,
        elapsed: started.elapsed(),
    })
}

/// The sources, read: what [`source::load`] gives, with the documents in a file rather
/// than in memory (a large site's do not fit), and what indexing needs to know of all
/// of them.
struct Read {
    loaded: source::Loaded,
    spill: DocSpill,
    /// Whether each document is a stub, in order.
    stubs: Vec<bool>,
    parents: Parents,
}

/// Reads the sources, writing each document to a temporary file as it comes (on a
/// second thread where there are threads, while the next ones are parsed).
fn read(plan: &Plan, progress: &mut Progress) -> Result<Read, String> {
    let file = temp_file(&plan.out).map_err(|e| spill_error(&e))?;
    let mut keep = Keep {
        spill: DocSpill::new(file),
        notices: Notices::default(),
        parents: Parents::default(),
        failed: None,
    };
    #[cfg(not(target_os = "wasi"))]
    let (loaded, keep) = std::thread::scope(|scope| {
        // batches, so that handing over costs little next to keeping
        const BATCH: usize = 256;
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Document>>(16);
        let keeper = scope.spawn(move || {
            for doc in receive.into_iter().flatten() {
                keep.add(&doc);
            }
            keep
        });
        let mut batch = Vec::with_capacity(BATCH);
        let loaded = source::load_each(&plan.sources, &plan.options, &mut |doc| {
            progress.read_one(&plan.sources);
            batch.push(doc);
            if batch.len() == BATCH {
                // a keeper that stopped has panicked; its join says so below
                let _ = send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
        });
        let _ = send.send(batch);
        drop(send);
        match keeper.join() {
            Ok(keep) => (loaded, keep),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    #[cfg(target_os = "wasi")]
    let loaded = source::load_each(&plan.sources, &plan.options, &mut |doc| {
        progress.read_one(&plan.sources);
        keep.add(&doc);
    });
    if let Some(err) = keep.failed {
        return Err(spill_error(&err));
    }
    Ok(Read {
        loaded,
        spill: keep.spill,
        stubs: keep.notices.stubs(),
        parents: keep.parents,
    })
}

/// What reading keeps of each document: the document itself, in the spill, and what
/// stubs and breadcrumbs need to know of every page.
struct Keep {
    spill: DocSpill,
    notices: Notices,
    parents: Parents,
    /// The first write to the spill that failed (the rest are not tried).
    failed: Option<std::io::Error>,
}

impl Keep {
    fn add(&mut self, doc: &Document) {
        self.notices.add(doc);
        self.parents.add(doc);
        if self.failed.is_none() {
            self.failed = self.spill.push(doc).err();
        }
    }
}

/// A temporary file (for the documents between reading and indexing, for the index
/// while it is written); the system removes it when it is closed, however the build
/// ends. Natively it is in the
/// system's temporary folder; run by Node (WASI), where there is none, next to the
/// bundle folder, in the nearest folder that exists.
fn temp_file(out: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(target_os = "wasi")]
    {
        let out = std::path::absolute(out)?;
        let dir = out
            .ancestors()
            .skip(1)
            .find(|d| d.is_dir())
            .unwrap_or(Path::new("/"));
        tempfile::tempfile_in(dir)
    }
    #[cfg(not(target_os = "wasi"))]
    {
        let _ = out;
        tempfile::tempfile()
    }
}

/// The index, in a temporary file: the builder's sections are written out one by one
/// and dropped, and the bundle reads the file a part at a time (736,530 WordNet
/// records: a 243 MB index, never in memory whole).
fn finish_index(builder: IndexBuilder, out: &Path) -> Result<Mutex<File>, String> {
    use std::io::Write;
    let writer = builder.into_writer().map_err(|e| e.to_string())?;
    let failed = |err: std::io::Error| format!("cannot write the index to a temporary file: {err}");
    let mut file = std::io::BufWriter::with_capacity(1 << 20, temp_file(out).map_err(failed)?);
    writer.write_to(&mut file).map_err(failed)?;
    file.flush().map_err(failed)?;
    let file = file.into_inner().map_err(|e| failed(e.into_error()))?;
    Ok(Mutex::new(file))
}

fn spill_error(err: &std::io::Error) -> String {
    format!("cannot keep the documents in a temporary file: {err}")
}

/// Why files were read and not indexed, for the "no documents found" error: `3 files
/// were skipped (2 empty page, 1 text file in an HTML site; the first: site/a.txt); `.
fn skipped_files(skipped: &[source::Skipped]) -> String {
    let Some(first) = skipped.first() else {
        return String::new();
    };
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for s in skipped {
        *reasons.entry(s.reason.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    let (n, were) = match skipped.len() {
        1 => ("1 file".to_owned(), "was"),
        n => (format!("{n} files"), "were"),
    };
    format!(
        "{n} {were} skipped ({}; the first: {}); ",
        parts.join(", "),
        first.path.display()
    )
}

impl Outcome {
    /// The summary `scour build` ends with, one fact per line:
    ///
    /// ```text
    /// indexed   83 documents (skipped 2: 1 noindex, 1 redirect stub)
    /// problems  1 warning, 0 errors (see above; the rest was indexed)
    /// terms     5321 (index 412 KB)
    /// bundle    public/search: 8 files, 1.4 MB, 480 KB gzipped
    /// time      0.42 s
    /// ```
    ///
    /// `out` is the folder as the user named it (the report holds it made absolute).
    pub fn summary(&self, out: &Path) -> String {
        let mut lines = Vec::new();
        lines.push(format!(
            "indexed   {}{}",
            plural(self.documents, "document"),
            self.skipped_note()
        ));
        lines.push(format!(
            "problems  {}, {}{}",
            plural(self.warnings, "warning"),
            plural(self.errors, "error"),
            if self.warnings + self.errors > 0 {
                " (see above; the rest was indexed)"
            } else {
                ""
            }
        ));
        lines.push(format!(
            "terms     {} (index {})",
            self.terms,
            human(self.index_bytes as u64)
        ));
        let gzip = gzip_folder(&self.report);
        lines.push(format!(
            "bundle    {}: {}, {}, {} gzipped",
            out.display(),
            plural(self.report.files.len(), "file"),
            human(self.report.total_bytes()),
            human(gzip)
        ));
        lines.push(format!("time      {:.2} s", self.elapsed.as_secs_f64()));
        lines.join("\n")
    }

    /// The one line a rebuild in watch mode prints.
    pub fn one_line(&self) -> String {
        let problems = match self.warnings + self.errors {
            0 => String::new(),
            _ => format!(
                ", {} and {}",
                plural(self.warnings, "warning"),
                plural(self.errors, "error")
            ),
        };
        format!(
            "{}{}{problems}, {} terms, bundle {} ({:.2} s)",
            plural(self.documents, "document"),
            self.skipped_note(),
            self.terms,
            human(self.report.total_bytes()),
            self.elapsed.as_secs_f64()
        )
    }

    fn skipped_note(&self) -> String {
        if self.skipped.is_empty() {
            return String::new();
        }
        let total: usize = self.skipped.values().sum();
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        format!(" (skipped {total}: {})", parts.join(", "))
    }
}

/// `1 document`, `2 documents`.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A byte count for people: `812 B`, `4.2 KB`, `37 KB`, `1.4 MB`, `12 MB`.
pub fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 10 << 20 => format!("{} MB", b >> 20),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1 << 20) as f64),
        b if b >= 10 << 10 => format!("{} KB", b >> 10),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// What the bundle costs over the wire: the files gzipped one by one (as a server
/// sends them), at the level servers typically use.
fn gzip_folder(report: &BundleReport) -> u64 {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // A lazy bundle's chunks are not read again: the pack holds every chunk deflated,
    // which gzip would not shrink, and the fallback files hold the same chunks, which
    // gzip to about what the pack holds (a large site's chunks took 6 s to gzip).
    let is_pack = |f: &&bundle::BundleFile| f.name.starts_with("chunks/pack-");
    let pack: u64 = report.files.iter().filter(is_pack).map(|f| f.bytes).sum();
    let chunks = 2 * pack;
    let mut files: Vec<&bundle::BundleFile> = match pack {
        0 => report.files.iter().collect(),
        _ => report
            .files
            .iter()
            .filter(|f| !f.name.starts_with("chunks/"))
            .collect(),
    };
    files.sort_by_key(|f| std::cmp::Reverse(f.bytes));
    let next = AtomicUsize::new(0);
    let take = || {
        let mut sum = 0u64;
        while let Some(f) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
            // read as it is gzipped: a large site's pack is tens of megabytes
            if let Ok(file) = std::fs::File::open(report.dir.join(&f.name)) {
                let len = bundle::gzip_len_of(file, flate2::Compression::default());
                sum += len.unwrap_or(0) as u64;
            }
        }
        sum
    };
    // On two cores, each taking the largest file left.
    let (a, b) = crate::par::both(take, take);
    a + b + chunks
}

/// Gzipped size of `bytes` at `level`.
pub fn gzip_len(bytes: &[u8], level: flate2::Compression) -> usize {
    bundle::gzip_len(bytes, level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::BundleFile;

    fn outcome() -> Outcome {
        Outcome {
            documents: 83,
            skipped: [("noindex".to_owned(), 1), ("redirect stub".to_owned(), 2)]
                .into_iter()
                .collect(),
            warnings: 1,
            errors: 0,
            terms: 5321,
            index_bytes: 420_000,
            report: BundleReport {
                dir: PathBuf::from("nowhere"),
                files: vec![BundleFile {
                    name: "scour.js".into(),
                    bytes: 1_500_000,
                }],
            },
            elapsed: Duration::from_millis(420),
        }
    }

    #[test]
    fn the_summary_counts_skips_per_reason_and_problems() {
        let text = outcome().summary(Path::new("public/search"));
        assert!(
            text.starts_with("indexed   83 documents (skipped 3: 1 noindex, 2 redirect stub)\n"),
            "{text}"
        );
        assert!(text.contains("problems  1 warning, 0 errors"), "{text}");
        assert!(text.contains("terms     5321 (index 410 KB)"), "{text}");
        assert!(
            text.contains("bundle    public/search: 1 file, 1.4 MB, "),
            "{text}"
        );
        assert!(text.ends_with("time      0.42 s"), "{text}");
    }

    #[test]
    fn a_rebuild_is_one_line() {
        let line = outcome().one_line();
        assert!(!line.contains('\n'));
        assert!(line.starts_with("83 documents (skipped 3: "), "{line}");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human(812), "812 B");
        assert_eq!(human(4300), "4.2 KB");
        assert_eq!(human(37 << 10), "37 KB");
        assert_eq!(human(12 << 20), "12 MB");
    }
}
