//! Rebuilding the bundle when a source changes (`scour build --watch`,
//! `scour serve --watch`).
//!
//! The sources are polled: every [`POLL`] the modification time and length of each
//! file the loader would read is compared with the previous look. Polling a site's
//! folder is cheap (one `stat` per file) and behaves the same on every OS and file
//! system, network mounts and containers included, without a native watcher crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use scour_index::source::SourceOptions;

use crate::progress::Progress;
use crate::site::{self, Plan};

/// How often the sources are looked at.
pub const POLL: Duration = Duration::from_millis(500);

/// How long the sources must stay unchanged before a rebuild: an editor saving, or a
/// generator rewriting a whole `public/`, touches many files over a moment.
const SETTLE: Duration = Duration::from_millis(300);

/// A rebuild waits at most this many settle periods for writes to stop.
const MAX_SETTLE: usize = 20;

/// What is known of each watched file: modification time and length.
pub type Snapshot = BTreeMap<PathBuf, (Option<SystemTime>, u64)>;

/// Watches a plan's sources, rebuilding into its bundle folder after each change.
pub struct Watcher {
    plan: Plan,
    ignore: Ignore,
    /// The sources as last seen.
    last: Snapshot,
}

impl Watcher {
    /// Takes the first look at the sources now, so a change made after this returns is
    /// seen even if [`Watcher::run`] starts later on another thread.
    pub fn new(plan: Plan) -> Watcher {
        let ignore = Ignore::new(&plan.out);
        let last = snapshot(&plan.sources, &plan.options, &ignore);
        println!(
            "watching {} for changes (Ctrl+C to stop)",
            describe(&plan.sources)
        );
        Watcher { plan, ignore, last }
    }

    /// Watches forever, printing one line per rebuild on stdout (diagnostics still go to
    /// stderr). A failed rebuild prints its error and leaves the previous bundle in place.
    pub fn run(mut self) -> ! {
        loop {
            std::thread::sleep(POLL);
            let now = snapshot(&self.plan.sources, &self.plan.options, &self.ignore);
            if now == self.last {
                continue;
            }
            let mut settled = now;
            for _ in 0..MAX_SETTLE {
                std::thread::sleep(SETTLE);
                let next = snapshot(&self.plan.sources, &self.plan.options, &self.ignore);
                if next == settled {
                    break;
                }
                settled = next;
            }
            let what = changed(&self.last, &settled);
            self.last = settled;
            match site::build(&self.plan, &mut Progress::off()) {
                Ok(outcome) => println!("rebuilt after {what}: {}", outcome.one_line()),
                Err(err) => {
                    println!("rebuild after {what} failed: {err}; the previous bundle is kept")
                }
            }
        }
    }
}

/// Paths a snapshot skips: the bundle folder itself and the temporary siblings
/// `write_bundle` renames through. When the bundle is written inside a source folder
/// (`public/search` in `public`) they would otherwise trigger a rebuild after every
/// rebuild.
struct Ignore {
    /// The bundle folder, absolute.
    out: PathBuf,
    /// `search.tmp-` and `search.old-` for a bundle folder named `search`.
    sibling_prefixes: [String; 2],
}

impl Ignore {
    fn new(out: &Path) -> Ignore {
        let out = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ignore {
            sibling_prefixes: [format!("{name}.tmp-"), format!("{name}.old-")],
            out,
        }
    }

    fn skips(&self, path: &Path) -> bool {
        if path.starts_with(&self.out) {
            return true;
        }
        path.parent() == self.out.parent()
            && path
                .file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| {
                    self.sibling_prefixes
                        .iter()
                        .any(|p| n.starts_with(p.as_str()))
                })
    }
}

/// The watched files under `sources`: those the loader reads (walked as it walks
/// them: supported extensions, hidden names skipped, the same links followed), minus
/// the bundle and its temporary siblings.
fn snapshot(sources: &[PathBuf], options: &SourceOptions, ignore: &Ignore) -> Snapshot {
    let mut files = Snapshot::new();
    for source in sources {
        let source = std::path::absolute(source).unwrap_or_else(|_| source.clone());
        let found: Vec<PathBuf> = if source.is_dir() {
            // Problems are the loader's to report, on the rebuild.
            scour_index::source::walk_files(&source, options)
                .flatten()
                .filter(|path| !path.ancestors().any(|a| ignore.skips(a)))
                .collect()
        } else {
            vec![source]
        };
        for path in found {
            if let Ok(meta) = std::fs::metadata(&path) {
                files.insert(path, (meta.modified().ok(), meta.len()));
            }
        }
    }
    files
}

/// `posts/a.md changed`, `3 files changed`, `posts/b.md removed`: what triggered a
/// rebuild, for its line.
fn changed(before: &Snapshot, after: &Snapshot) -> String {
    let mut paths: Vec<(&Path, &str)> = Vec::new();
    for (path, stamp) in after {
        match before.get(path) {
            None => paths.push((path, "added")),
            Some(old) if old != stamp => paths.push((path, "changed")),
            Some(_) => {}
        }
    }
    paths.extend(
        before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .map(|p| (p.as_path(), "removed")),
    );
    match paths.as_slice() {
        [] => "a change".to_owned(),
        [(path, how)] => format!("{} {how}", short(path)),
        many => format!("{} files changed", many.len()),
    }
}

/// `path` relative to the current directory when it is under it, for shorter lines.
fn short(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn describe(sources: &[PathBuf]) -> String {
    let names: Vec<String> = sources.iter().map(|s| s.display().to_string()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_bundle_and_its_temporary_siblings_are_not_watched() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        for folder in ["search", "search.tmp-42", "search.old-42", "posts"] {
            fs::create_dir_all(public.join(folder)).unwrap();
            fs::write(public.join(folder).join("page.html"), "<h1>x</h1>").unwrap();
        }
        fs::write(public.join("search/scour.js"), "").unwrap();
        let ignore = Ignore::new(&public.join("search"));
        let files = snapshot(
            std::slice::from_ref(&public),
            &SourceOptions::default(),
            &ignore,
        );
        let names: Vec<_> = files
            .keys()
            .map(|p| p.strip_prefix(&public).unwrap().to_path_buf())
            .collect();
        assert_eq!(names, [Path::new("posts/page.html")]);
    }

    #[test]
    fn only_files_the_loader_reads_are_watched() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "# a").unwrap();
        fs::write(dir.path().join("a.md.swp"), "").unwrap();
        fs::write(dir.path().join(".#a.md"), "").unwrap();
        let ignore = Ignore::new(&dir.path().join("out"));
        let files = snapshot(
            &[dir.path().to_path_buf()],
            &SourceOptions::default(),
            &ignore,
        );
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn a_change_is_described_by_its_file() {
        let a = PathBuf::from("/x/a.md");
        let b = PathBuf::from("/x/b.md");
        let t = SystemTime::UNIX_EPOCH;
        let before: Snapshot = [(a.clone(), (Some(t), 1)), (b.clone(), (Some(t), 1))]
            .into_iter()
            .collect();
        let mut after = before.clone();
        after.insert(a.clone(), (Some(t), 2));
        assert_eq!(changed(&before, &after), "/x/a.md changed");
        after.remove(&b);
        assert_eq!(changed(&before, &after), "2 files changed");
        let mut removed = before.clone();
        removed.remove(&a);
        assert_eq!(changed(&before, &removed), "/x/a.md removed");
    }
}
