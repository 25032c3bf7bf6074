//! `cargo xtask fuzz [target] [--seconds N]`: runs the fuzz targets of `fuzz/` under
//! libFuzzer (cargo-fuzz, nightly Rust), each from its committed seeds and the corpus
//! grown by earlier runs.
//!
//! The fuzz crate is not part of the workspace: `cargo xtask test` never needs nightly.
//! It runs the targets' bodies over the committed inputs on stable instead
//! (`tests/fuzz.rs`).

use std::fs;
use std::process::Command;

use crate::util::{exec, probe, root, say, Failure, Result};

/// The targets, in the order `cargo xtask fuzz` runs them (see `fuzz/src/lib.rs`).
pub const TARGETS: [&str; 4] = ["index", "chunk", "query", "ingest"];

/// What `cargo xtask fuzz` was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// One target, or every target in turn.
    pub target: Option<String>,
    /// How long each target runs.
    pub seconds: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target: None,
            seconds: 60,
        }
    }
}

/// Installs what is missing, then runs each target asked for; the first crash stops.
pub fn run(options: &Options) -> Result {
    nightly()?;
    cargo_fuzz()?;
    let targets: Vec<&str> = match &options.target {
        Some(t) => vec![t.as_str()],
        None => TARGETS.to_vec(),
    };
    for target in targets {
        let corpus = format!("fuzz/corpus/{target}");
        let artifacts = format!("fuzz/artifacts/{target}/");
        for dir in [&corpus, &artifacts] {
            fs::create_dir_all(root().join(dir))
                .map_err(|e| Failure::new(format!("cannot create {dir}: {e}")))?;
        }
        say(format!(
            "fuzzing {target} for {} s (corpus {corpus}, crashes in {artifacts})",
            options.seconds
        ));
        let mut command = Command::new("cargo");
        command
            .current_dir(root())
            // the rustup proxy picks the toolchain from `+nightly`, not from the
            // stable one that runs xtask
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO")
            .args(["+nightly", "fuzz", "run", "--fuzz-dir", "fuzz", target])
            .arg(&corpus)
            .arg(format!("fuzz/seeds/{target}"))
            .args([
                "--",
                &format!("-max_total_time={}", options.seconds),
                // bounded work: an input taking seconds is a finding
                "-timeout=10",
                "-rss_limit_mb=2048",
                "-max_len=65536",
                "-print_final_stats=1",
                &format!("-artifact_prefix={artifacts}"),
            ]);
        exec(
            &mut command,
            &format!(
                "a crash input is in {artifacts}: reproduce it with `cargo +nightly fuzz run --fuzz-dir fuzz {target} <file>`, fix the cause, and keep the input in fuzz/regressions/{target}/"
            ),
        )?;
    }
    Ok(())
}

/// Installs the nightly toolchain (libFuzzer's instrumentation needs it) when missing.
fn nightly() -> Result {
    let installed = probe(Command::new("rustup").args(["toolchain", "list"])).ok_or_else(|| {
        Failure::new("rustup was not found: fuzzing needs a nightly toolchain")
            .fix("install Rust with rustup (https://rustup.rs)")
    })?;
    if installed.lines().any(|l| l.starts_with("nightly")) {
        say("nightly toolchain: installed");
        return Ok(());
    }
    say("nightly toolchain: missing, installing it with rustup");
    exec(
        Command::new("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]),
        "check your network, then run `rustup toolchain install nightly` by hand",
    )
}

/// Installs cargo-fuzz when missing.
fn cargo_fuzz() -> Result {
    if probe(Command::new("cargo-fuzz").arg("--version")).is_some() {
        say("cargo-fuzz: installed");
        return Ok(());
    }
    say("cargo-fuzz: missing, installing it with cargo install");
    exec(
        Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]),
        "check your network, then run `cargo install cargo-fuzz` by hand",
    )
}

/// Parses `fuzz`'s arguments: an optional target and `--seconds N` (or `--seconds=N`).
pub fn parse_args(args: &[String]) -> std::result::Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--seconds" | "--secs" => {
                let value = inline
                    .or_else(|| args.next().cloned())
                    .ok_or("`--seconds` needs a value")?;
                options.seconds =
                    value.parse().ok().filter(|&s| s > 0).ok_or_else(|| {
                        format!("`--seconds` takes a positive number, got `{value}`")
                    })?;
            }
            t if !t.starts_with('-') && options.target.is_none() => {
                if !TARGETS.contains(&t) {
                    return Err(format!(
                        "no fuzz target `{t}` (targets: {})",
                        TARGETS.join(", ")
                    ));
                }
                options.target = Some(t.to_string());
            }
            _ => return Err(format!("unknown argument for `fuzz`: `{arg}`")),
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> std::result::Result<Options, String> {
        parse_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_target_and_seconds_in_both_spellings() {
        assert_eq!(parse(&[]), Ok(Options::default()));
        let index = Options {
            target: Some("index".into()),
            seconds: 5,
        };
        assert_eq!(parse(&["index", "--seconds", "5"]), Ok(index.clone()));
        assert_eq!(parse(&["--seconds=5", "index"]), Ok(index.clone()));
        assert_eq!(parse(&["index", "--secs", "5"]), Ok(index));
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        assert!(parse(&["nothing"]).is_err());
        assert!(parse(&["index", "query"]).is_err());
        assert!(parse(&["--seconds"]).is_err());
        assert!(parse(&["--seconds", "0"]).is_err());
        assert!(parse(&["--seconds", "soon"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }

    #[test]
    fn every_target_has_a_binary_and_seeds() {
        let manifest = fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
        for t in TARGETS {
            assert!(manifest.contains(&format!("name = \"{t}\"")), "{t}");
            assert!(
                root().join(format!("fuzz/fuzz_targets/{t}.rs")).is_file(),
                "{t}"
            );
            assert!(root().join(format!("fuzz/seeds/{t}")).is_dir(), "{t}");
        }
    }
}
