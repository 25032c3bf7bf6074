//! Compiles the corpus the engine embeds into `$OUT_DIR/index.bin`, which
//! `crates/web/embed.rs` includes with `include_bytes!`.
//!
//! The corpus is `seeds/` (the sample articles), or the file or folder named by the
//! `SCOUR_SOURCE` environment variable. `SCOUR_SOURCE=none` writes an empty index: the
//! CLI's build script sets it, because the engine the `scour` binary carries receives
//! each site's index later, from `scour build`, without being recompiled.
//!
//! Writes only to `OUT_DIR` (DESIGN.md principle 9).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[cfg(feature = "embed")]
use scour_index::source::{self, SourceOptions};
#[cfg(feature = "embed")]
use scour_index::IndexBuilder;

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SCOUR_SOURCE");
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Cargo shows a failing build script's stderr; one line per problem.
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let out_dir =
        PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR is not set: run this through cargo")?);
    let root =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?);
    let out = out_dir.join("index.bin");

    let bytes = match env::var_os("SCOUR_SOURCE") {
        Some(value) if value == "none" => Vec::new(),
        Some(value) if value.is_empty() => build(&root.join("seeds"))?,
        // Relative to the package root, like every other path in Cargo.toml.
        Some(value) => build(&root.join(value))?,
        None => build(&root.join("seeds"))?,
    };
    write_if_changed(&out, &bytes).map_err(|err| format!("cannot write {}: {err}", out.display()))
}

/// Without the `embed` feature there is no indexer: only `SCOUR_SOURCE=none` builds.
#[cfg(not(feature = "embed"))]
fn build(path: &Path) -> Result<Vec<u8>, String> {
    Err(format!(
        "cannot index {}: the `embed` feature is off; enable it or set SCOUR_SOURCE=none",
        path.display()
    ))
}

/// Reads the articles under `path` and returns the index bytes.
#[cfg(feature = "embed")]
fn build(path: &Path) -> Result<Vec<u8>, String> {
    if !path.exists() {
        return Err(format!(
            "{} does not exist: set SCOUR_SOURCE to a file or folder of articles \
             (SCOUR_SOURCE=none embeds no index)",
            path.display()
        ));
    }
    // Only for a path that exists: cargo reruns the script on every build otherwise.
    println!("cargo:rerun-if-changed={}", path.display());
    let loaded = source::load(&[path.to_path_buf()], &SourceOptions::default());
    for diagnostic in &loaded.diagnostics {
        // A cargo:warning is one line; a message with a newline would be cut.
        println!(
            "cargo:warning={}",
            diagnostic.to_string().replace('\n', " ")
        );
    }
    if loaded.documents.is_empty() {
        return Err(format!(
            "no articles to index in {}: add .txt, .md, .html, .json or .jsonl files there, \
             or set SCOUR_SOURCE to a file or folder of articles (SCOUR_SOURCE=none embeds no index)",
            path.display()
        ));
    }
    let mut builder = IndexBuilder::new();
    for document in loaded.documents {
        builder.add(document);
    }
    builder
        .finish()
        .map_err(|err| format!("cannot index {}: {err}", path.display()))
}

/// Leaves an identical file untouched so its timestamp does not trigger recompiles.
fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    fs::write(path, bytes)
}
