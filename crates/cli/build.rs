//! Builds the engine the `scour` binary carries, so that site owners need no Rust
//! toolchain, no wasm32 target and no wasm-bindgen binary (DESIGN.md, "The CLI carries
//! the engine"; the pattern of Substrate's `wasm-builder`):
//!
//! 1. compiles the root package `scour` for `wasm32-unknown-unknown` with the `wasm`
//!    profile, in a nested cargo with its own target directory under `OUT_DIR` and
//!    `SCOUR_SOURCE=none` (the engine ships without an index: `scour build` adds one);
//! 2. runs wasm-bindgen as a library (`--target web` glue) into `$OUT_DIR/engine/`:
//!    `scour_engine.js` and `scour_engine_bg.wasm`;
//! 3. shrinks the wasm with `wasm-opt -Oz` when `SCOUR_WASM_OPT` asks for it;
//! 4. copies the browser files a bundle carries (`www/`: `scour.js`, the worker, the
//!    widget and its languages) into `$OUT_DIR/www/`, scripts without their comment
//!    lines (`src/js_comments.rs`), and writes
//!    `$OUT_DIR/widget_files.rs`, listing the widget files, for `src/bundle.rs` to embed.
//!
//! The packaged crate (`cargo package`, then `cargo install` from it: no workspace, so
//! no engine sources) carries the engine and those files prebuilt in `prebuilt/`
//! (`cargo xtask package` puts them there); the build script then copies them into
//! `$OUT_DIR` and needs no wasm32 target, nested cargo or wasm-bindgen.

use std::env;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "src/js_comments.rs"]
mod js_comments;

const TARGET: &str = "wasm32-unknown-unknown";

/// The files of `www/` a bundle carries as they are, listed in `$OUT_DIR/widget_files.rs`:
/// the `<scour-search>` widget and its strings in the languages scour stems but English
/// (it loads one for a page in that language).
const WIDGET_FILES: [&str; 13] = [
    "scour-search.js",
    "scour-search.css",
    "lang/da.js",
    "lang/de.js",
    "lang/es.js",
    "lang/fi.js",
    "lang/fr.js",
    "lang/it.js",
    "lang/nl.js",
    "lang/no.js",
    "lang/pt.js",
    "lang/ru.js",
    "lang/sv.js",
];

/// The JS API and its worker, which `src/bundle.rs` embeds by name (a build rewrites
/// lines of `scour.js`).
const API_FILES: [&str; 2] = ["scour.js", "scour-worker.js"];

/// Binaryen releases before this one corrupt wasm-bindgen's output (Debian's 108 does).
const MIN_WASM_OPT: u32 = 116;

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let out_dir =
        PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR is not set: run this through cargo")?);
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?);
    let root = manifest_dir
        .parent()
        .and_then(Path::parent)
        .ok_or("crates/cli is expected two levels below the workspace root")?
        .to_path_buf();

    println!("cargo:rerun-if-changed=build.rs");
    let prebuilt = manifest_dir.join("prebuilt");
    if !root.join("crates/web").is_dir() {
        return from_prebuilt(&prebuilt, &out_dir);
    }
    for input in [
        "crates/web",
        "crates/query",
        "crates/text",
        "crates/format",
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
    ] {
        rerun_if_exists(&root.join(input));
    }
    // Not PATH: it differs between shells and would rerun this script needlessly.
    // After installing wasm-opt, set SCOUR_WASM_OPT or touch this file.
    println!("cargo:rerun-if-env-changed=SCOUR_WASM_OPT");

    copy_www(&root.join("www"), &out_dir)?;
    widget_files(&out_dir)?;

    check_target()?;
    let raw = build_engine(&root, &out_dir)?;
    let engine_dir = out_dir.join("engine");
    let wasm_opt = find_wasm_opt(&root);

    // The nested cargo is a no-op when nothing changed, but wasm-bindgen and wasm-opt
    // would still take seconds: skip them when their inputs are the same as last time.
    let raw_bytes =
        fs::read(&raw).map_err(|err| format!("cannot read {}: {err}", raw.display()))?;
    let stamp = stamp(&raw_bytes, wasm_opt.as_ref().map(|w| w.version));
    let stamp_path = engine_dir.join("stamp");
    let outputs = ["scour_engine.js", "scour_engine_bg.wasm"];
    if fs::read_to_string(&stamp_path).is_ok_and(|old| old == stamp)
        && outputs.iter().all(|name| engine_dir.join(name).is_file())
    {
        return Ok(());
    }

    let _ = fs::remove_dir_all(&engine_dir);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&raw)
        .web(true)
        .map_err(|err| format!("wasm-bindgen: {err:#}"))?
        .typescript(false)
        // Function names are a quarter of the module; a shipped engine does not need them.
        .remove_name_section(true)
        .out_name("scour_engine")
        .generate(&engine_dir)
        .map_err(|err| format!("wasm-bindgen failed on {}: {err:#}", raw.display()))?;

    if let Some(wasm_opt) = &wasm_opt {
        // Optional by design: a failing wasm-opt leaves the (working) unoptimised engine.
        if let Err(message) = optimise(wasm_opt, &engine_dir.join("scour_engine_bg.wasm")) {
            println!("cargo:warning={message}: the engine is left unoptimised");
        }
    }
    fs::write(&stamp_path, stamp)
        .map_err(|err| format!("cannot write {}: {err}", stamp_path.display()))
}

/// Emits `rerun-if-changed` for `path` only if it exists: cargo reruns the script on
/// every build for a path that does not.
fn rerun_if_exists(path: &Path) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// Fails early, with the fix, instead of letting the nested cargo fail with "can't find
/// crate for `core`".
fn check_target() -> Result<(), String> {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|err| format!("cannot run {}: {err}", Path::new(&rustc).display()))?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if !sysroot
        .join("lib/rustlib")
        .join(TARGET)
        .join("lib")
        .is_dir()
    {
        return Err(format!(
            "the {TARGET} target is missing: run `rustup target add {TARGET}` (or `cargo xtask test`, which installs it)"
        ));
    }
    Ok(())
}

/// Compiles the root package for wasm32 and returns the path of the raw `.wasm`.
fn build_engine(root: &Path, out_dir: &Path) -> Result<PathBuf, String> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // Its own target directory: sharing the outer one blocks forever on cargo's lock.
    let target_dir = out_dir.join("wasm-target");
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .arg("build")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args([
            "--profile",
            "wasm",
            "--target",
            TARGET,
            "-p",
            "scour",
            "--lib",
            // no indexer in the engine's build: it embeds no index (see `embed`)
            "--no-default-features",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        // The engine ships without an index: `scour build` places each site's.
        .env("SCOUR_SOURCE", "none")
        // Build scripts' stdout is read by cargo as instructions.
        .stdout(Stdio::from(io::stderr()));
    // Flags meant for the host (cargo passes the outer ones down to build scripts)
    // would override, or break, the wasm target's. `RUSTC_WORKSPACE_WRAPPER` is how
    // `cargo clippy` runs: the engine's lints are checked by clippy on the root package,
    // not here. CARGO_MAKEFLAGS stays, so the nested build shares the outer jobserver.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_BUILD_TARGET_DIR",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PRIMARY_PACKAGE",
        "OUT_DIR",
        "TARGET",
        "HOST",
        "PROFILE",
        "OPT_LEVEL",
        "DEBUG",
        "NUM_JOBS",
    ] {
        command.env_remove(var);
    }
    for (var, _) in env::vars_os() {
        let var = var.to_string_lossy();
        if var.starts_with("CARGO_CFG_") || var.starts_with("CARGO_FEATURE_") {
            command.env_remove(&*var);
        }
    }
    // Panic locations of registry crates name their source files: without this, the
    // engine (and so every bundle) would carry this machine's cargo home path and
    // differ from one machine to the next.
    if let Some(home) = cargo_home() {
        let mut flag = std::ffi::OsString::from("--remap-path-prefix=");
        flag.push(home);
        flag.push("=cargo");
        command.env("CARGO_ENCODED_RUSTFLAGS", flag);
    }
    let status = command
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !status.success() {
        return Err(format!(
            "building the engine for {TARGET} failed ({status}): see the cargo output above"
        ));
    }
    let wasm = target_dir.join(TARGET).join("wasm").join("scour.wasm");
    if !wasm.is_file() {
        return Err(format!(
            "the engine build succeeded but {} is missing",
            wasm.display()
        ));
    }
    Ok(wasm)
}

/// Cargo's home folder: `$CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> Option<PathBuf> {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
}

/// A usable `wasm-opt`: how to run it and its version.
struct WasmOpt {
    program: PathBuf,
    version: u32,
}

/// The `wasm-opt` named by `$SCOUR_WASM_OPT` (a path, or `1` for the one on `PATH`
/// or the npm package `binaryen` at the workspace root); `None` when unset, `0`, or
/// not recent enough.
///
/// Off by default: on this engine it makes the gzipped wasm larger (see `optimise`),
/// and an optional tool would make the engine bytes depend on the machine.
fn find_wasm_opt(root: &Path) -> Option<WasmOpt> {
    let candidates: Vec<PathBuf> = match env::var_os("SCOUR_WASM_OPT") {
        None => return None,
        Some(value) if value == "0" || value.is_empty() => return None,
        Some(value) if value == "1" => vec![
            PathBuf::from("wasm-opt"),
            root.join("node_modules/.bin/wasm-opt"),
        ],
        Some(value) => vec![PathBuf::from(value)],
    };
    candidates.into_iter().find_map(|program| {
        let output = Command::new(&program).arg("--version").stderr(Stdio::null()).output().ok()?;
        // "wasm-opt version 132 (version_132)"
        let text = String::from_utf8_lossy(&output.stdout);
        let version = text.split_whitespace().find_map(|word| word.parse::<u32>().ok())?;
        if version < MIN_WASM_OPT {
            println!(
                "cargo:warning={} is version {version}: skipped, binaryen before {MIN_WASM_OPT} corrupts wasm-bindgen output",
                program.display()
            );
            return None;
        }
        Some(WasmOpt { program, version })
    })
}

/// Runs `wasm-opt -Oz` on `wasm` in place and reports the saving.
///
/// Measured with binaryen 132 on this engine (2026-11): 231 KB -> 208 KB raw, but
/// 89.7 KB -> 94.3 KB gzipped (-9 -c), i.e. less memory and compile work, more bytes on
/// the wire. `SCOUR_WASM_OPT=0` turns it off.
fn optimise(wasm_opt: &WasmOpt, wasm: &Path) -> Result<(), String> {
    let before = fs::metadata(wasm).map(|m| m.len()).unwrap_or(0);
    let optimised = wasm.with_extension("opt.wasm");
    // The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must
    // accept them and must not use any other.
    let status = Command::new(&wasm_opt.program)
        .arg("-Oz")
        .args([
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-multivalue",
            "--enable-reference-types",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(&optimised)
        .stdout(Stdio::from(io::stderr()))
        .status()
        .map_err(|err| format!("cannot run {}: {err}", wasm_opt.program.display()))?;
    if !status.success() {
        return Err(format!(
            "{} failed ({status}) on {}",
            wasm_opt.program.display(),
            wasm.display()
        ));
    }
    fs::rename(&optimised, wasm)
        .map_err(|err| format!("cannot replace {}: {err}", wasm.display()))?;
    let after = fs::metadata(wasm).map(|m| m.len()).unwrap_or(0);
    println!(
        "cargo:warning=wasm-opt {} -Oz: engine wasm {before} -> {after} bytes",
        wasm_opt.version
    );
    Ok(())
}

/// What the engine outputs were made from: the raw wasm, the wasm-opt used and this
/// script (which says how they are made).
fn stamp(raw_wasm: &[u8], wasm_opt: Option<u32>) -> String {
    // `DefaultHasher::new()` uses fixed keys: stable across runs of one toolchain,
    // which is all a cache stamp needs.
    let mut hasher = DefaultHasher::new();
    raw_wasm.hash(&mut hasher);
    include_str!("build.rs").hash(&mut hasher);
    format!("{:016x} wasm-opt={wasm_opt:?}\n", hasher.finish())
}

/// Writes `widget_files.rs`: `(name, bytes)` for each widget file present in `www/`.
/// The packaged crate: the engine and the browser files it carries, prebuilt.
fn from_prebuilt(prebuilt: &Path, out_dir: &Path) -> Result<(), String> {
    println!("cargo:rerun-if-changed={}", prebuilt.display());
    let engine = out_dir.join("engine");
    fs::create_dir_all(&engine)
        .map_err(|err| format!("cannot create {}: {err}", engine.display()))?;
    for name in ["scour_engine.js", "scour_engine_bg.wasm"] {
        let from = prebuilt.join("engine").join(name);
        fs::copy(&from, engine.join(name)).map_err(|err| {
            format!(
                "{}: {err}; this crate has neither the workspace's engine sources nor a prebuilt engine (`cargo xtask package` puts one in prebuilt/)",
                from.display()
            )
        })?;
    }
    copy_www(&prebuilt.join("www"), out_dir)?;
    widget_files(out_dir)?;
    println!(
        "cargo:warning=using the prebuilt engine in {}",
        prebuilt.display()
    );
    Ok(())
}

/// Copies the browser files a bundle carries from `www` into `$OUT_DIR/www/`.
fn copy_www(www: &Path, out_dir: &Path) -> Result<(), String> {
    for name in API_FILES.iter().chain(&WIDGET_FILES) {
        let from = www.join(name);
        let to = out_dir.join("www").join(name);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir)
                .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
        }
        // every bundle carries these, and its page uses the widget
        println!("cargo:rerun-if-changed={}", from.display());
        let bytes = fs::read(&from)
            .map_err(|err| format!("{} is missing ({err}): the bundle needs it", from.display()))?;
        // scripts without comment lines: they are most of scour.js (src/js_comments.rs)
        let bytes = js_comments::shipped(name, bytes)
            .map_err(|err| format!("{} is not UTF-8: {err}", from.display()))?;
        if fs::read(&to).ok().as_deref() != Some(&bytes[..]) {
            fs::write(&to, bytes).map_err(|err| format!("cannot write {}: {err}", to.display()))?;
        }
    }
    Ok(())
}

fn widget_files(out_dir: &Path) -> Result<(), String> {
    let mut code = String::from(
        "// Generated by crates/cli/build.rs: the <scour-search> widget files found in www/.\n\
         /// The widget files every bundle gets, its languages included: `(file name, contents)`.\n\
         pub(crate) const WIDGET_FILES: &[(&str, &[u8])] = &[\n",
    );
    for name in WIDGET_FILES {
        code.push_str(&format!(
            "    ({name:?}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/www/{name}\"))),\n"
        ));
    }
    code.push_str("];\n");
    let path = out_dir.join("widget_files.rs");
    if fs::read_to_string(&path).is_ok_and(|old| old == code) {
        return Ok(());
    }
    fs::write(&path, code).map_err(|err| format!("cannot write {}: {err}", path.display()))
}
