//! `cargo install` from the packaged crate, without the wasm32 target or wasm-bindgen:
//! the CLI's build script compiles the engine from the workspace's sources, which a
//! packaged crate does not have, so the package carries the engine prebuilt.
//!
//! 1. copies the engine the release build made (`scour_engine.js`,
//!    `scour_engine_bg.wasm`) and the browser files its build script gathered from
//!    `www/` into `crates/cli/prebuilt/` (ignored by git, listed in the crate's
//!    `include`);
//! 2. packages the CLI with the crates it depends on (`cargo package --no-verify`);
//! 3. unpacks the CLI's `.crate` outside the workspace and checks the engine is in it;
//! 4. `cargo install`s it from there (the unpublished sibling crates patched in from the
//!    workspace, offline) and checks its build script took the prebuilt engine: no
//!    nested wasm32 build ran;
//! 5. builds the seeds with the installed binary and compares the bundle with the
//!    workspace CLI's, byte for byte.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::ci::tree;
use crate::size::newest_engine_wasm;
use crate::util::{cargo, display, exec, root, say, target_dir, Failure, Outcome, Result};

/// The crates packaged with the CLI (it depends on them by path and version).
const CRATES: [(&str, &str); 5] = [
    ("scour-text", "crates/text"),
    ("scour-format", "crates/format"),
    ("scour-index", "crates/index"),
    ("scour-query", "crates/query"),
    ("scour-cli", "crates/cli"),
];

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)
            .map_err(|e| Failure::new(format!("cannot create {}: {e}", dir.display())))?;
    }
    fs::copy(from, to).map(|_| ()).map_err(|e| {
        Failure::new(format!(
            "cannot copy {} to {}: {e}",
            from.display(),
            to.display()
        ))
    })
}

/// Puts the engine and the browser files into `crates/cli/prebuilt/`.
pub fn prebuild() -> Result<PathBuf> {
    let root = root();
    let wasm = newest_engine_wasm(&target_dir()).ok_or_else(|| {
        Failure::new("no engine built: target/release/build/scour-cli-*/out/engine is missing")
            .fix("run `cargo build --release -p scour-cli` first")
    })?;
    // the build script's output: engine/ and the www/ files it copied there
    let out = wasm
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let prebuilt = root.join("crates/cli/prebuilt");
    let _ = fs::remove_dir_all(&prebuilt);
    for name in ["scour_engine.js", "scour_engine_bg.wasm"] {
        copy(
            &out.join("engine").join(name),
            &prebuilt.join("engine").join(name),
        )?;
    }
    for name in tree(&out.join("www"))?.into_keys() {
        copy(
            &out.join("www").join(&name),
            &prebuilt.join("www").join(&name),
        )?;
    }
    Ok(prebuilt)
}

/// The step of `cargo xtask test`.
pub fn run() -> Result<Outcome> {
    let root = root();
    let target = target_dir();
    prebuild()?;

    let mut package = cargo();
    package.args(["package", "--no-verify", "--allow-dirty", "--offline"]);
    for (name, _) in CRATES {
        package.args(["-p", name]);
    }
    package.current_dir(&root);
    say(display(&package));
    exec(&mut package, "read cargo's message above")?;
    let version = env!("CARGO_PKG_VERSION");
    let crate_file = target
        .join("package")
        .join(format!("scour-cli-{version}.crate"));

    // Outside the workspace: inside it, cargo would take the crate for a stray member.
    let work = std::env::temp_dir().join(format!("scour-package-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", work.display())))?;
    let result = install_and_compare(&root, &target, &crate_file, &work, version);
    let _ = fs::remove_dir_all(&work);
    result
}

fn install_and_compare(
    root: &Path,
    target: &Path,
    crate_file: &Path,
    work: &Path,
    version: &str,
) -> Result<Outcome> {
    let mut untar = Command::new("tar");
    untar.arg("xzf").arg(crate_file).arg("-C").arg(work);
    exec(&mut untar, "the packaged crate could not be unpacked")?;
    let unpacked = work.join(format!("scour-cli-{version}"));
    for file in [
        "prebuilt/engine/scour_engine_bg.wasm",
        "prebuilt/engine/scour_engine.js",
        "prebuilt/www/scour.js",
        "prebuilt/www/scour-search.js",
    ] {
        if !unpacked.join(file).is_file() {
            return Err(
                Failure::new(format!("{} has no {file}", crate_file.display()))
                    .fix("list prebuilt/** in crates/cli/Cargo.toml's `include`"),
            );
        }
    }

    // The unpublished siblings (and the vendored fst, for the same bytes) come from the
    // workspace; everything else from the registry cache, offline. A target folder of
    // its own, kept between runs, so a second run only relinks.
    let install_target = target.join("xtask").join("package-install");
    let mut install = cargo();
    install
        .args(["install", "--offline", "--force", "--path"])
        .arg(&unpacked)
        .arg("--root")
        .arg(work.join("root"))
        .arg("--target-dir")
        .arg(&install_target);
    for (name, dir) in CRATES.iter().filter(|(n, _)| *n != "scour-cli") {
        install.args([
            "--config",
            &format!(
                "patch.crates-io.{name}.path={:?}",
                root.join(dir).display().to_string()
            ),
        ]);
    }
    install.args([
        "--config",
        &format!(
            "patch.crates-io.fst.path={:?}",
            root.join("vendor/fst").display().to_string()
        ),
    ]);
    install.current_dir(work);
    say(display(&install));
    exec(
        &mut install,
        "the packaged CLI did not build: read cargo's message above",
    )?;
    let nested = fs::read_dir(install_target.join("release").join("build"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            e.file_name().to_string_lossy().starts_with("scour-cli-")
                && e.path().join("out/wasm-target").exists()
        });
    if nested {
        return Err(Failure::new(
            "the packaged CLI's build script compiled the engine for wasm32 instead of taking the prebuilt one",
        )
        .fix("crates/cli/build.rs takes prebuilt/ when the workspace's crates/web is absent"));
    }

    let installed = work.join("root").join("bin").join("scour");
    let workspace_cli = target.join("release").join("scour");
    let mut bundles = Vec::new();
    for (what, cli) in [("packaged", &installed), ("workspace", &workspace_cli)] {
        let out = work.join(format!("seeds-{what}"));
        let mut build = Command::new(cli);
        build
            .args(["build", "-q", "--out"])
            .arg(&out)
            .arg(root.join("seeds"));
        say(display(&build));
        exec(&mut build, "the CLI could not build the seeds")?;
        bundles.push(tree(&out)?);
    }
    if bundles[0] != bundles[1] {
        let differ: Vec<&String> = bundles[0]
            .iter()
            .filter(|(name, bytes)| bundles[1].get(*name) != Some(bytes))
            .map(|(name, _)| name)
            .collect();
        return Err(Failure::new(format!(
            "the packaged CLI's bundle of the seeds differs from the workspace CLI's: {differ:?}"
        )));
    }
    say("the packaged CLI built the seeds' bundle byte for byte as the workspace CLI does");
    Ok(Outcome::Passed)
}
