//! Size budgets: what a visitor downloads is measured gzipped, the way servers send it.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use crate::util::{display, spawn_failure, Failure, Result};

/// Budget for the engine wasm without an index, gzipped: 92 KiB (80 until the lazy
/// layout's readers of chunked postings, documents, dictionary and norms, about 5.5 KB,
/// which keep a large site's whole index out of the first download; 88 until the
/// dictionary check that keeps corrupt bytes from panicking fst, about 1.5 KB, and the
/// known-item ranking, code-shaped queries, phrase forms, compound splits and excluded
/// phrases, about 3 KB).
pub const ENGINE_BUDGET: u64 = 92 * 1024;

/// Budget for the widget (`scour-search.js` + `scour-search.css` + the largest of its
/// language modules, of which a page loads at most one), gzipped as a bundle carries
/// them (scripts without comment lines since the build strips them): 16 KiB (12 until the
/// shadow root, themes, languages and readable results of the host-page work).
pub const WIDGET_BUDGET: u64 = 16 * 1024;

/// A measured artefact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes after `gzip -9`.
    pub gzip: u64,
}

impl Size {
    /// Measures `bytes` by compressing them with `gzip -9`.
    pub fn of(bytes: &[u8]) -> Result<Size> {
        Ok(Size {
            raw: bytes.len() as u64,
            gzip: gzip_len(bytes)?,
        })
    }

    /// Fails when the gzipped size is over `budget`; `what` names the artefact.
    pub fn check(self, what: &str, budget: u64) -> Result {
        println!(
            "{what}: {} bytes raw, {} bytes gzip (budget {budget})",
            self.raw, self.gzip
        );
        if self.gzip > budget {
            return Err(Failure::new(format!(
                "{what} is {} bytes gzipped, over its budget of {budget} by {}",
                self.gzip,
                self.gzip - budget
            ))
            .fix("make it smaller (see docs/BENCHMARKS.md), or raise the budget in crates/xtask/src/size.rs on purpose"));
        }
        Ok(())
    }
}

/// The length of `bytes` compressed by `gzip -9`. Shells out to gzip (every Debian has it)
/// because xtask has no dependencies; the number is what a `gzip_static` server would send.
pub fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut command = Command::new("gzip");
    command.args(["-9", "-c", "-n"]);
    let line = display(&command);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| spawn_failure(&line, &error).fix("apt-get install gzip"))?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    // Feed stdin from another thread: gzip writes while it reads, and a full stdout pipe
    // would otherwise block both processes.
    let output = std::thread::scope(|scope| {
        let writer = scope.spawn(move || stdin.write_all(bytes));
        let output = child.wait_with_output();
        (writer.join(), output)
    });
    let (written, output) = output;
    let output = output.map_err(|error| Failure::new(format!("`{line}` failed: {error}")))?;
    if !output.status.success() {
        return Err(Failure::new(format!("`{line}` failed ({})", output.status)));
    }
    match written {
        Ok(Ok(())) => Ok(output.stdout.len() as u64),
        Ok(Err(error)) => Err(Failure::new(format!("writing to `{line}` failed: {error}"))),
        Err(_) => Err(Failure::new(format!("writing to `{line}` panicked"))),
    }
}

/// Parses the CLI's `scour engine-size` output, `{"raw": N, "gzip": M}`.
pub fn parse_engine_size(json: &str) -> Option<Size> {
    Some(Size {
        raw: json_number(json, "raw")?,
        gzip: json_number(json, "gzip")?,
    })
}

/// The unsigned integer after `"key":` in a flat JSON object (xtask has no JSON parser).
fn json_number(json: &str, key: &str) -> Option<u64> {
    let quoted = format!("\"{key}\"");
    let after = &json[json.find(&quoted)? + quoted.len()..];
    let value = after.trim_start().strip_prefix(':')?.trim_start();
    let end = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    value[..end].parse().ok()
}

/// The engine wasm the CLI's build script left in `target/release/build/scour-cli-*/out/
/// engine/`: the newest one, since old build-script outputs stay behind after a rebuild.
pub fn newest_engine_wasm(target: &Path) -> Option<PathBuf> {
    let build = target.join("release").join("build");
    fs::read_dir(build)
        .ok()?
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("scour-cli-")
        })
        .map(|entry| entry.path().join("out/engine/scour_engine_bg.wasm"))
        .filter_map(|path| {
            let time = fs::metadata(&path).and_then(|m| m.modified()).ok()?;
            Some((time, path))
        })
        .max_by_key(|(time, _): &(SystemTime, PathBuf)| *time)
        .map(|(_, path)| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetition() {
        let size = Size::of(&[b'a'; 10_000]).unwrap();
        assert_eq!(size.raw, 10_000);
        assert!(size.gzip > 0 && size.gzip < 100, "{size:?}");
    }

    #[test]
    fn engine_size_json() {
        let size = parse_engine_size(r#"{"raw": 151234, "gzip":60123}"#);
        assert_eq!(
            size,
            Some(Size {
                raw: 151_234,
                gzip: 60_123
            })
        );
        let pretty = parse_engine_size("{\n  \"gzip\": 2,\n  \"raw\": 1\n}\n");
        assert_eq!(pretty, Some(Size { raw: 1, gzip: 2 }));
        assert_eq!(parse_engine_size("error: unknown command"), None);
        assert_eq!(parse_engine_size(r#"{"raw": -1, "gzip": 2}"#), None);
    }

    #[test]
    fn over_budget_fails_and_says_by_how_much() {
        let size = Size { raw: 10, gzip: 101 };
        assert!(size.check("thing", 101).is_ok());
        let failure = size.check("thing", 100).unwrap_err();
        assert!(
            failure.what.contains("over its budget of 100 by 1"),
            "{}",
            failure.what
        );
    }
}
