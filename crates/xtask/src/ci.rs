//! `cargo xtask test`: every check the project has, in the order CI runs them, stopping at
//! the first failure.
//!
//! Cheap checks come first (format, lints) so a typo fails in seconds, not after the
//! browser tests; the budgets come after the CLI build they measure.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::install::{self, CHROMEDRIVER, CHROMIUM, SPHINX_DOC};
use crate::size::{self, Size};
use crate::util::{
    cargo, display, exec, probe, root, say, target_dir, Failure, Outcome, Result, Steps,
};

/// Runs every step and prints the timed summary, whether the run passed or not.
pub fn run() -> Result {
    let mut steps = Steps::default();
    let result = run_steps(&mut steps);
    print!("{}", steps.summary());
    result
}

/// The steps in order; the first failure ends the run.
fn run_steps(steps: &mut Steps) -> Result {
    steps.run("wasm32 target", install::wasm32_target)?;
    steps.run("wasm32-wasip1 target", install::wasi_target)?;
    steps.run("rustfmt and clippy", install::rustfmt_and_clippy)?;
    steps.run("rust-docs", install::rust_docs)?;
    steps.run("wasm-bindgen-cli", install::wasm_bindgen_cli)?;
    steps.run("wasm-pack", install::wasm_pack)?;
    steps.run("chromium and sphinx-doc", install::chromium)?;
    steps.run("git-doc and sphinx-doc", install::doc_sites)?;
    steps.run("node packages", install::node_packages)?;
    steps.run("cargo fmt", fmt)?;
    steps.run("cargo clippy", clippy)?;
    steps.run("cargo test", test)?;
    steps.run("cargo doc", doc)?;
    steps.run("wasm tests (headless chromium)", wasm_tests)?;
    steps.run("build CLI", build_cli)?;
    steps.run("engine size", engine_size)?;
    steps.run("widget size", widget_size)?;
    steps.run("JS unit tests", js_tests)?;
    steps.run("browser end-to-end tests", browser_tests)?;
    steps.run("relevance on real sites", relevance)?;
    steps.run("npm package", npm_package)?;
    steps.run(
        "cargo install from the packaged crate (prebuilt engine)",
        crate::package::run,
    )?;
    steps.run(
        "framework integrations (Docusaurus, VitePress, Starlight)",
        crate::integrations::run,
    )?;
    steps.run("fuzz smoke (10 s per target)", fuzz_smoke)?;
    Ok(())
}

/// Runs a cargo command as a step: prints it, runs it, fails with `fix`.
fn cargo_step(args: &[&str], fix: &str) -> Result<Outcome> {
    let mut command = cargo();
    command.args(args);
    say(display(&command));
    exec(&mut command, fix)?;
    Ok(Outcome::Passed)
}

fn fmt() -> Result<Outcome> {
    cargo_step(
        &["fmt", "--all", "--", "--check"],
        "run `cargo fmt --all` (or rustfmt the files you changed)",
    )
}

fn clippy() -> Result<Outcome> {
    cargo_step(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        "fix the lints above; `cargo clippy --fix` handles many",
    )
}

fn test() -> Result<Outcome> {
    cargo_step(
        &["test", "--workspace"],
        "fix the failing tests above; rerun one with `cargo test -p <crate> <name>`",
    )
}

fn doc() -> Result<Outcome> {
    let mut command = cargo();
    command
        .args(["doc", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings");
    say(format!(
        "RUSTDOCFLAGS=\"-D warnings\" {}",
        display(&command)
    ));
    exec(
        &mut command,
        "fix the rustdoc warnings above (broken intra-doc links, missing docs)",
    )?;
    Ok(Outcome::Passed)
}

/// The root package's `wasm_bindgen_test`s in headless Chromium, through wasm-pack.
fn wasm_tests() -> Result<Outcome> {
    let root = root();
    // wasm-bindgen-test-runner reads browser capabilities from ./webdriver.json (the
    // cargo test working directory is the package root): Chromium's binary, and the flags
    // it needs to start as root in a container.
    if !root.join("webdriver.json").is_file() {
        return Err(
            Failure::new("webdriver.json is missing from the repository root")
                .fix("restore it from git (`git restore webdriver.json`)"),
        );
    }
    let mut command = Command::new("wasm-pack");
    // `--mode no-install` and `--chromedriver`: use the wasm-bindgen and chromedriver
    // installed above, never download another one.
    command
        .args([
            "test",
            "--headless",
            "--chrome",
            "--chromedriver",
            CHROMEDRIVER,
        ])
        .args(["--mode", "no-install"])
        .current_dir(&root)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    say(display(&command));
    exec(
        &mut command,
        "read the test output above; a browser that fails to start usually means chromium \
         and chromedriver differ in version (`apt-get install -y chromium chromium-driver`)",
    )?;
    Ok(Outcome::Passed)
}

fn build_cli() -> Result<Outcome> {
    cargo_step(
        &["build", "--release", "-p", "scour-cli"],
        "fix the build errors above (the CLI's build script also compiles the engine for wasm32)",
    )
}

/// The engine wasm without an index, gzipped, against its budget. The CLI knows best
/// what "without an index" means, so its hidden `scour engine-size` is asked first; the
/// build script's output is measured directly while that command does not exist.
fn engine_size() -> Result<Outcome> {
    say("engine size");
    let target = target_dir();
    let cli = target.join("release").join("scour");
    let reported = probe(Command::new(&cli).arg("engine-size"))
        .as_deref()
        .and_then(size::parse_engine_size);
    let size = match reported {
        Some(size) => size,
        None => {
            let wasm = size::newest_engine_wasm(&target).ok_or_else(|| {
                Failure::new(
                    "found no engine wasm to measure: `scour engine-size` failed and no \
                     target/release/build/scour-cli-*/out/engine/scour_engine_bg.wasm exists",
                )
                .fix("build the CLI with `cargo build --release -p scour-cli`")
            })?;
            let bytes = read(&wasm)?;
            Size::of(&bytes)?
        }
    };
    size.check("engine wasm", size::ENGINE_BUDGET)?;
    Ok(Outcome::Passed)
}

/// The widget a site adds to its pages, script and style together, against its budget.
fn widget_size() -> Result<Outcome> {
    let www = root().join("www");
    let files = [www.join("scour-search.js"), www.join("scour-search.css")];
    if files.iter().any(|file| !file.is_file()) {
        return Ok(Outcome::Skipped(
            "www/scour-search.js or www/scour-search.css does not exist yet".into(),
        ));
    }
    say("widget size");
    // Each file is gzipped on its own, as a server sends them, in the form a bundle
    // carries (scripts without comment lines).
    let mut total = Size { raw: 0, gzip: 0 };
    let mut add = |size: Size| {
        total.raw += size.raw;
        total.gzip += size.gzip;
    };
    for file in &files {
        add(Size::of(&shipped(file)?)?);
    }
    // A page loads one language module at most: the largest counts.
    let mut largest = Size { raw: 0, gzip: 0 };
    let lang = www.join("lang");
    let entries = fs::read_dir(&lang)
        .map_err(|error| Failure::new(format!("could not read {}: {error}", lang.display())))?;
    for entry in entries.flatten() {
        let size = Size::of(&shipped(&entry.path())?)?;
        if size.gzip > largest.gzip {
            largest = size;
        }
    }
    add(largest);
    total.check("widget (js + css + largest language)", size::WIDGET_BUDGET)?;
    Ok(Outcome::Passed)
}

fn js_tests() -> Result<Outcome> {
    let root = root();
    if !root.join("tests/js").is_dir() {
        return Ok(Outcome::Skipped("tests/js/ does not exist yet".into()));
    }
    let mut command = Command::new("node");
    command.args(["--test", "tests/js/"]).current_dir(&root);
    say(display(&command));
    exec(&mut command, "fix the failing JS tests above")?;
    Ok(Outcome::Passed)
}

/// Builds the seeds bundle with the release CLI, then drives it in Chromium.
fn browser_tests() -> Result<Outcome> {
    let root = root();
    let runner = root.join("tests/browser/run.mjs");
    if !runner.is_file() {
        return Ok(Outcome::Skipped(
            "tests/browser/run.mjs does not exist yet".into(),
        ));
    }
    let target = target_dir();
    let cli = target.join("release").join("scour");
    let bundle = target.join("xtask").join("seeds-bundle");
    build_bundle(&cli, &root.join("seeds"), &bundle, None)?;
    let mut command = Command::new("node");
    command
        .arg("tests/browser/run.mjs")
        .current_dir(&root)
        .env("SCOUR_BUNDLE", &bundle)
        .env("SCOUR_CLI", &cli)
        .env("CHROMIUM", CHROMIUM)
        .env("SCOUR_SPHINX", SPHINX_DOC);
    say(display(&command));
    exec(
        &mut command,
        "read the failures above; screenshots and logs go to tests/browser/artifacts/",
    )?;
    Ok(Outcome::Passed)
}

/// The known-item evaluation on real sites (the rust-docs books, the Git manual,
/// Sphinx's documentation): each page's title finds it, with and without a typo.
fn relevance() -> Result<Outcome> {
    let root = root();
    let cli = target_dir().join("release").join("scour");
    let mut command = Command::new("node");
    command
        .args(["tests/relevance/known-item.mjs", "--check"])
        .current_dir(&root)
        .env("SCOUR_CLI", &cli)
        .env("CHROMIUM", CHROMIUM);
    say(display(&command));
    exec(
        &mut command,
        "read the misses above; `node tests/relevance/known-item.mjs --show 20` lists them",
    )?;
    Ok(Outcome::Passed)
}

/// The npm package as a new user gets it: the CLI compiled to WebAssembly, packed with
/// `npm pack`, installed from the tarball into a new project, run by `npx` with cargo
/// and rustc off the PATH. Its bundles must be byte-identical to the native CLI's, and
/// its Node API must build from records and search.
fn npm_package() -> Result<Outcome> {
    let root = root();
    let target = target_dir();
    let work = target.join("xtask").join("npm");
    let tarball = pack_npm(&work)?;
    let project = work.join("project");
    fs::create_dir_all(&project)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", project.display())))?;
    fs::write(
        project.join("package.json"),
        "{\"name\": \"site\", \"private\": true, \"type\": \"module\"}\n",
    )
    .map_err(|e| Failure::new(format!("cannot write the test project: {e}")))?;
    let mut install = Command::new("npm");
    install
        .args(["install", "--no-audit", "--no-fund", "--offline"])
        .arg(&tarball)
        .current_dir(&project);
    exec(&mut install, "read npm's message above")?;

    // Only Node's own folder on the PATH: no cargo, no rustc, nothing of this checkout.
    let node = crate::util::which("node").ok_or_else(|| Failure::new("node is not on the PATH"))?;
    let path = node.parent().map(Path::to_path_buf).unwrap_or_default();
    let cli = target.join("release").join("scour");
    let nomicon = rust_docs_book("nomicon")?;
    for (name, source) in [("seeds", root.join("seeds")), ("nomicon", nomicon)] {
        let from_npm = work.join(format!("{name}-npm"));
        // the seeds as the docs say (`npx scour-search build`), the book by the bin's path
        let mut npx = if name == "seeds" {
            let mut npx = Command::new(path.join("npx"));
            npx.args(["--no-install", "scour-search"]);
            npx
        } else {
            let mut npx = Command::new(&node);
            npx.arg(project.join("node_modules/scour-search/bin/scour.js"));
            npx
        };
        npx.args(["build", "-q", "--out"])
            .arg(&from_npm)
            .arg(&source)
            .current_dir(&project)
            .env_clear()
            .env("PATH", &path);
        // npx keeps its cache in the home folder
        if let Some(home) = std::env::var_os("HOME") {
            npx.env("HOME", home);
        }
        say(display(&npx));
        exec(
            &mut npx,
            "the npm package's CLI failed: read its message above",
        )?;
        let native = work.join(format!("{name}-native"));
        build_bundle(&cli, &source, &native, None)?;
        let (a, b) = (tree(&from_npm)?, tree(&native)?);
        if a != b {
            let differ: Vec<&String> = a
                .keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .collect();
            return Err(Failure::new(format!(
                "the npm package's bundle of {name} differs from the native CLI's: {differ:?}"
            )));
        }
        say(format!(
            "{name}: the npm package's bundle is byte-identical to the native CLI's ({} files)",
            a.len()
        ));
    }

    // A large site: 130,000 generated records, 65 MB of JSON lines. Node's fast calls
    // into node:wasi made a garbage collection during the build crash the process at
    // this size (a segmentation fault, 3 runs in 3); the package turns them off.
    let generate = r#"
import fs from "node:fs";
let x = 0x9e3779b9;
const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
const letters = "abcdefghijklmnopqrstuvwxyz";
const vocab = Array.from({ length: 60000 }, () =>
  Array.from({ length: 3 + (next() % 9) }, () => letters[next() % 26]).join(""));
const words = (n) => Array.from({ length: n }, () => vocab[next() % vocab.length]).join(" ");
const out = fs.openSync(process.argv[2], "w");
for (let i = 0; i < 130000; i++) {
  const record = { id: `r${i}`, url: `/r/${i}`, title: words(2), body: words(40 + (next() % 30)) };
  fs.writeSync(out, JSON.stringify(record) + "\n");
}
fs.closeSync(out);
"#;
    let large = work.join("large.jsonl");
    let generator = project.join("generate.mjs");
    fs::write(&generator, generate)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", generator.display())))?;
    exec(
        Command::new(&node).arg(&generator).arg(&large),
        "the large test site was not written: read Node's message above",
    )?;
    let mut big = Command::new(&node);
    big.arg(project.join("node_modules/scour-search/bin/scour.js"))
        .args(["build", "-q", "--out"])
        .arg(work.join("large-npm"))
        .arg(&large)
        .current_dir(&project)
        .env_clear()
        .env("PATH", &path);
    say(display(&big));
    exec(
        &mut big,
        "the npm package's CLI failed on a 65 MB site (a signal is Node's WebAssembly runtime crashing)",
    )?;
    if !work.join("large-npm").join("scour.js").is_file() {
        return Err(Failure::new(
            "the npm package's CLI wrote no scour.js for the 65 MB site",
        ));
    }
    let _ = fs::remove_file(&large);
    say("large site: the npm package's CLI built 130,000 records (65 MB)");

    // the Node API, from the installed package
    let script = r#"
import assert from "node:assert/strict";
import { build, Records, search, documents } from "scour-search";
const r = await search(process.argv[2], "qr code");
assert.equal(r.total, 2);
const records = new Records()
  .add({ id: "bread", url: "/bread/", title: "Sourdough bread", body: "Flour and water ferment." })
  .add({ id: "", url: "/tea/", title: "Green tea", body: "Steep the leaves." });
const built = await records.build({ out: "records-bundle" });
assert.ok(built.ok, built.stderr);
assert.deepEqual(built.diagnostics.map((d) => [d.severity, d.line]), [["warning", 2]]);
assert.deepEqual((await documents("records-bundle")).map((d) => d.url), ["/bread/", "/tea/"]);
assert.equal((await search("records-bundle", "bread")).hits[0].id, "bread");
const bad = await build(["no-such-folder"], { out: "x" });
assert.equal(bad.ok, false);
assert.ok(bad.diagnostics.some((d) => d.severity === "error" && d.path?.endsWith("no-such-folder")), JSON.stringify(bad.diagnostics));
console.log("npm package: the Node API builds from records and searches");
"#;
    let test = project.join("api.test.mjs");
    fs::write(&test, script)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", test.display())))?;
    let mut api = Command::new(&node);
    api.arg(&test)
        .arg(work.join("seeds-npm"))
        .current_dir(&project)
        .env_clear()
        .env("PATH", &path);
    say(display(&api));
    exec(
        &mut api,
        "the npm package's Node API failed: read the assertion above",
    )?;
    Ok(Outcome::Passed)
}

/// The npm package as `npm pack` makes it, with the CLI compiled for wasm32-wasip1, in
/// the fresh folder `work`; returns the tarball's path.
pub fn pack_npm(work: &Path) -> Result<PathBuf> {
    let target = target_dir();
    exec(
        cargo().args([
            "build",
            "--release",
            "--target",
            install::WASI_TARGET,
            "-p",
            "scour-cli",
        ]),
        "read the compiler errors above",
    )?;
    let wasm = target
        .join(install::WASI_TARGET)
        .join("release")
        .join("scour.wasm");
    let package = root().join("npm");
    fs::copy(&wasm, package.join("scour.wasm"))
        .map_err(|e| Failure::new(format!("cannot copy {} into npm/: {e}", wasm.display())))?;
    let _ = fs::remove_dir_all(work);
    fs::create_dir_all(work)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", work.display())))?;
    let mut pack = Command::new("npm");
    pack.args(["pack", "--pack-destination"])
        .arg(work)
        .current_dir(&package);
    exec(&mut pack, "read npm's message above")?;
    fs::read_dir(work)
        .ok()
        .and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        })
        .ok_or_else(|| Failure::new("npm pack wrote no .tgz"))
}

/// Each fuzz target under libFuzzer for a few seconds, from its committed seeds: a
/// smoke run that the targets still build and find nothing at once (`cargo xtask fuzz`
/// runs them longer). Installs nightly Rust and cargo-fuzz when missing.
fn fuzz_smoke() -> Result<Outcome> {
    crate::fuzz::run(&crate::fuzz::Options {
        target: None,
        seconds: 10,
    })?;
    Ok(Outcome::Passed)
}

/// Every file below `dir` (`/`-separated relative path → bytes).
pub fn tree(dir: &Path) -> Result<std::collections::BTreeMap<String, Vec<u8>>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d)
            .map_err(|e| Failure::new(format!("cannot list {}: {e}", d.display())))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap_or(&p);
                let name = rel
                    .iter()
                    .map(|c| c.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(name, read(&p)?);
            }
        }
    }
    Ok(out)
}

/// A book of the rust-docs component (installed by the rust-docs step).
fn rust_docs_book(name: &str) -> Result<PathBuf> {
    let sysroot = probe(Command::new("rustc").args(["--print", "sysroot"]))
        .ok_or_else(|| Failure::new("rustc --print sysroot failed"))?;
    let dir = Path::new(sysroot.trim())
        .join("share/doc/rust/html")
        .join(name);
    if !dir.join("index.html").is_file() {
        return Err(Failure::new(format!("{} is missing", dir.display()))
            .fix("rustup component add rust-docs"));
    }
    Ok(dir)
}

/// `scour build <source> --out <out>` into a fresh folder, so files from an older bundle
/// can never make a test pass.
pub fn build_bundle(cli: &Path, source: &Path, out: &Path, base_url: Option<&str>) -> Result {
    if out.exists() {
        fs::remove_dir_all(out).map_err(|error| {
            Failure::new(format!("could not remove {}: {error}", out.display()))
        })?;
    }
    let mut command = Command::new(cli);
    command
        .arg("build")
        .arg(source)
        .arg("--out")
        .arg(out)
        .args(base_url.map(|b| ["--base-url", b]).into_iter().flatten())
        .current_dir(root());
    say(display(&command));
    exec(
        &mut command,
        "read the `scour build` error above; `cargo build --release -p scour-cli` first if the CLI is missing",
    )?;
    if !out.is_dir() {
        return Err(Failure::new(format!(
            "`{}` succeeded but wrote nothing to {}",
            display(&command),
            out.display()
        ))
        .fix("check that the CLI in target/release is up to date: `cargo build --release -p scour-cli`"));
    }
    Ok(())
}

/// A `www/` file as a bundle carries it: scripts without their comment lines.
fn shipped(path: &Path) -> Result<Vec<u8>> {
    crate::js_comments::shipped(&path.to_string_lossy(), read(path)?)
        .map_err(|error| Failure::new(format!("{} is not UTF-8: {error}", path.display())))
}

/// Reads a file, naming it on failure.
fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path)
        .map_err(|error| Failure::new(format!("could not read {}: {error}", path.display())))
}
