//! The progress display of `scour build`: a spinner while sources are read, a bar while
//! documents are indexed.
//!
//! Only drawn on a terminal and only for builds large enough to take a moment: a
//! redirected stderr (CI logs, other tools calling `scour build`) gets the diagnostics
//! and nothing else, and a small site finishes before a bar would be worth reading.

use std::io::IsTerminal;
use std::path::PathBuf;

use scour_index::source::SourceOptions;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Above this many files (or documents) a build shows progress.
pub const THRESHOLD: usize = 200;

/// The reading spinner's count moves in steps of this many documents (each step
/// formats a message).
const READ_STEP: usize = 1024;

/// A progress display that may be switched off; every method is a no-op then.
pub struct Progress {
    /// Whether to draw at all: stderr is a terminal and `--quiet` was not given.
    enabled: bool,
    /// The spinner or bar on screen, if any.
    bar: Option<ProgressBar>,
    /// Documents read so far.
    read: usize,
}

impl Progress {
    /// Progress for an interactive build: drawn when stderr is a terminal and not `quiet`.
    pub fn for_terminal(quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
            bar: None,
            read: 0,
        }
    }

    /// No progress at all (rebuilds in watch mode print one line each instead).
    pub fn off() -> Progress {
        Progress {
            enabled: false,
            bar: None,
            read: 0,
        }
    }

    /// Shows a spinner with `message` while the sources are read, when they hold more
    /// than [`THRESHOLD`] files. The loader reports nothing while it runs, so a spinner
    /// ticking on its own thread is what can be shown.
    pub fn reading(&mut self, sources: &[PathBuf], options: &SourceOptions) {
        if !self.enabled {
            return;
        }
        let files = count_files(sources, options, THRESHOLD + 1);
        if files <= THRESHOLD {
            return;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("reading {}", describe(sources)));
        bar.enable_steady_tick(Duration::from_millis(120));
        self.replace(Some(bar));
    }

    /// One more document read from `sources`. Past [`THRESHOLD`] documents (a single
    /// JSON-lines file may hold a million) the reading spinner counts them, every
    /// [`READ_STEP`]: a count that moves tells a long read from a stuck one.
    pub fn read_one(&mut self, sources: &[PathBuf]) {
        self.read += 1;
        if !self.enabled || self.read <= THRESHOLD || self.read % READ_STEP != 0 {
            return;
        }
        let message = format!("reading {}: {} documents", describe(sources), self.read);
        match &self.bar {
            Some(bar) => bar.set_message(message),
            None => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_message(message);
                bar.enable_steady_tick(Duration::from_millis(120));
                self.replace(Some(bar));
            }
        }
    }

    /// Shows a bar over `len` documents being indexed, when there are more than
    /// [`THRESHOLD`].
    pub fn indexing(&mut self, len: usize) {
        if !self.enabled || len <= THRESHOLD {
            self.replace(None);
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} documents indexed {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        self.replace(Some(bar));
    }

    /// One more document indexed.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Shows a spinner with `message` for a step that reports no progress of its own
    /// (writing the index and the bundle), if a display is on screen already.
    pub fn step(&mut self, message: &str) {
        if self.bar.is_none() {
            return;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        self.replace(Some(bar));
    }

    /// Removes the display, leaving the terminal as it was.
    pub fn clear(&mut self) {
        self.replace(None);
    }

    /// Runs `f` (which prints) with the display hidden, so lines are not torn by it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn replace(&mut self, bar: Option<ProgressBar>) {
        if let Some(old) = std::mem::replace(&mut self.bar, bar) {
            old.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `public` or `3 sources`, for the spinner: the folder's name only, so the line fits
/// a terminal whatever the path.
fn describe(sources: &[PathBuf]) -> String {
    match sources {
        [one] => one.file_name().map_or_else(
            || one.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        many => format!("{} sources", many.len()),
    }
}

/// The files the loader would read under `sources` (walked as it walks them, the
/// same links followed and folders excluded), counted up to `limit` (the walk stops
/// there: only "more than the threshold" matters).
pub fn count_files(sources: &[PathBuf], options: &SourceOptions, limit: usize) -> usize {
    let mut count = 0;
    for source in sources {
        if !source.is_dir() {
            count += usize::from(scour_index::source::is_supported(source));
        } else {
            // Problems are the loader's to report.
            count += scour_index::source::walk_files(source, options)
                .flatten()
                .take(limit - count)
                .count();
        }
        if count >= limit {
            return count;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_stops_at_the_limit_and_skips_what_the_loader_skips() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            std::fs::write(dir.path().join(format!("{i}.md")), "# x").unwrap();
        }
        std::fs::write(dir.path().join("style.css"), "").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/HEAD.txt"), "").unwrap();
        let sources = [dir.path().to_path_buf()];
        let options = SourceOptions::default();
        assert_eq!(count_files(&sources, &options, 100), 5);
        assert_eq!(count_files(&sources, &options, 3), 3);
    }
}
