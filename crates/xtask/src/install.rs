//! Installs the tools the checks need, each only when a quick probe shows it is missing.
//!
//! Every function probes first (a `--version`, a file test, an mtime comparison), prints one
//! `==> ` line saying what it found or what it is about to install, and fails with the
//! command that would fix things by hand.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use crate::util::{self, cargo, exec, probe, root, say, Failure, Outcome, Result};

/// The target the engine and its browser tests compile to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where Debian's `chromium` package puts the browser; `webdriver.json` names it too.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Where Debian's `chromium-driver` package puts chromedriver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where Debian's `sphinx-doc` package puts Sphinx's documentation: real Sphinx HTML,
/// one of the host pages the browser tests put the widget in.
pub const SPHINX_DOC: &str = "/usr/share/doc/sphinx-doc/html";

/// Adds the `wasm32-unknown-unknown` target (the engine) through rustup when it is not
/// installed.
pub fn wasm32_target() -> Result<Outcome> {
    rust_target(WASM_TARGET)
}

/// The target the CLI is compiled to for the npm package: WebAssembly with WASI.
pub const WASI_TARGET: &str = "wasm32-wasip1";

/// Adds the `wasm32-wasip1` target (the CLI of the npm package) when it is not installed.
pub fn wasi_target() -> Result<Outcome> {
    rust_target(WASI_TARGET)
}

/// Adds the Rust `target` through rustup when it is not installed.
fn rust_target(target: &str) -> Result<Outcome> {
    let Some(installed) = probe(Command::new("rustup").args(["target", "list", "--installed"]))
    else {
        // Without rustup (a distro Rust), the sysroot tells whether the target's std is there.
        return if sysroot_has_target(target) {
            say(format!("{target} target: installed"));
            Ok(Outcome::Passed)
        } else {
            Err(Failure::new(format!(
                "the {target} target is missing and rustup was not found"
            ))
            .fix(format!(
                "install Rust with rustup (https://rustup.rs), then `rustup target add {target}`"
            )))
        };
    };
    if installed.lines().any(|line| line.trim() == target) {
        say(format!("{target} target: installed"));
        return Ok(Outcome::Passed);
    }
    say(format!("{target} target: missing, adding it with rustup"));
    exec(
        Command::new("rustup").args(["target", "add", target]),
        &format!("check your network, then run `rustup target add {target}` by hand"),
    )?;
    Ok(Outcome::Passed)
}

/// Whether `rustc`'s sysroot holds the standard library of `target`.
fn sysroot_has_target(target: &str) -> bool {
    probe(Command::new("rustc").args(["--print", "sysroot"])).is_some_and(|sysroot| {
        Path::new(sysroot.trim())
            .join("lib/rustlib")
            .join(target)
            .is_dir()
    })
}

/// Adds the `rustfmt` and `clippy` components when `cargo fmt` or `cargo clippy` is missing
/// (rustup's `minimal` profile leaves both out).
pub fn rustfmt_and_clippy() -> Result<Outcome> {
    let fmt = probe(cargo().args(["fmt", "--version"])).is_some();
    let clippy = probe(cargo().args(["clippy", "--version"])).is_some();
    if fmt && clippy {
        say("rustfmt and clippy: installed");
        return Ok(Outcome::Passed);
    }
    say("rustfmt or clippy: missing, adding them with rustup");
    exec(
        Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]),
        "run `rustup component add rustfmt clippy` by hand",
    )?;
    Ok(Outcome::Passed)
}

/// Adds the `rust-docs` component when the toolchain has none: the CLI tests index a
/// real built site from it (the Rustonomicon, an mdBook), and would otherwise skip that.
pub fn rust_docs() -> Result<Outcome> {
    let sysroot = probe(Command::new("rustc").args(["--print", "sysroot"]));
    let present = sysroot.is_some_and(|root| {
        std::path::Path::new(root.trim())
            .join("share/doc/rust/html/nomicon/index.html")
            .is_file()
    });
    if present {
        say("rust-docs: installed");
        return Ok(Outcome::Passed);
    }
    say("rust-docs: missing, adding it with rustup");
    exec(
        Command::new("rustup").args(["component", "add", "rust-docs"]),
        "run `rustup component add rust-docs` by hand",
    )?;
    Ok(Outcome::Passed)
}

/// Installs `wasm-bindgen-cli` at exactly the `wasm-bindgen` version in `Cargo.lock`: the
/// test runner and the library must agree on the schema of the wasm's custom section, so
/// any other version refuses to run the tests.
pub fn wasm_bindgen_cli() -> Result<Outcome> {
    let lock_path = root().join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path).map_err(|error| {
        Failure::new(format!("could not read Cargo.lock: {error}"))
            .fix("run `cargo generate-lockfile` in the repository root")
    })?;
    let wanted = match lock_versions(&lock, "wasm-bindgen").as_slice() {
        [version] => version.clone(),
        [] => {
            return Err(Failure::new("Cargo.lock has no `wasm-bindgen` package")
                .fix("run `cargo generate-lockfile` in the repository root"))
        }
        several => {
            return Err(Failure::new(format!(
                "Cargo.lock holds several wasm-bindgen versions ({}); the tests need one",
                several.join(", ")
            ))
            .fix("make every crate depend on the workspace's `wasm-bindgen` and run `cargo update -p wasm-bindgen`"))
        }
    };
    let installed = || {
        let bindgen = tool_version("wasm-bindgen");
        let runner = tool_version("wasm-bindgen-test-runner");
        (bindgen, runner)
    };
    let (bindgen, runner) = installed();
    if bindgen.as_deref() == Some(wanted.as_str()) && runner.as_deref() == Some(wanted.as_str()) {
        say(format!("wasm-bindgen-cli {wanted}: installed"));
        return Ok(Outcome::Passed);
    }
    let found = bindgen.map_or("not installed".to_string(), |v| format!("found {v}"));
    say(format!(
        "wasm-bindgen-cli {wanted}: {found}, installing it with cargo install"
    ));
    let fix = format!("run `cargo install wasm-bindgen-cli --version {wanted}` by hand");
    // Not `--locked`: wasm-bindgen-cli's own lockfile pins crates that no longer build on
    // current stable. `--force` because binaries of another version may have been put in
    // ~/.cargo/bin by hand, and cargo refuses to overwrite files it did not install.
    exec(
        cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ]),
        &fix,
    )?;
    match installed() {
        (Some(bindgen), Some(runner)) if bindgen == wanted && runner == wanted => {
            Ok(Outcome::Passed)
        }
        (bindgen, _) => {
            let at = util::which("wasm-bindgen")
                .map_or("nowhere".to_string(), |path| path.display().to_string());
            Err(Failure::new(format!(
                "after installing wasm-bindgen-cli {wanted}, `wasm-bindgen` on PATH (at {at}) reports {}",
                bindgen.unwrap_or_else(|| "no version".into())
            ))
            .fix("remove the other wasm-bindgen from PATH, or put ~/.cargo/bin first in PATH"))
        }
    }
}

/// Installs `wasm-pack` when `wasm-pack --version` fails.
pub fn wasm_pack() -> Result<Outcome> {
    if let Some(version) = tool_version("wasm-pack") {
        say(format!("wasm-pack: installed ({version})"));
        return Ok(Outcome::Passed);
    }
    say("wasm-pack: missing, installing it with cargo install");
    exec(
        cargo().args(["install", "wasm-pack"]),
        "run `cargo install wasm-pack` by hand",
    )?;
    Ok(Outcome::Passed)
}

/// Installs Debian's `chromium` and `chromium-driver` when either binary is missing (the
/// two packages come from the same source, so their versions always match), and
/// `sphinx-doc` for the browser tests' Sphinx host page.
pub fn chromium() -> Result<Outcome> {
    if Path::new(CHROMIUM).is_file()
        && Path::new(CHROMEDRIVER).is_file()
        && Path::new(SPHINX_DOC).is_dir()
    {
        say("chromium, chromedriver and sphinx-doc: installed");
        return Ok(Outcome::Passed);
    }
    let by_hand = "apt-get update && apt-get install -y chromium chromium-driver sphinx-doc";
    if util::which("apt-get").is_none() {
        return Err(Failure::new(format!(
            "{CHROMIUM}, {CHROMEDRIVER} or {SPHINX_DOC} is missing and apt-get was not found"
        ))
        .fix(format!(
            "install Chromium and a matching chromedriver so that {CHROMIUM} and {CHROMEDRIVER} exist, \
             and Sphinx's documentation in {SPHINX_DOC} (or point SCOUR_SPHINX at Sphinx-built HTML)"
        )));
    }
    say("chromium, chromedriver or sphinx-doc: missing, installing them with apt-get");
    apt_install(
        &format!("{CHROMIUM}, {CHROMEDRIVER} or {SPHINX_DOC}"),
        &["chromium", "chromium-driver", "sphinx-doc"],
        by_hand,
    )?;
    Ok(Outcome::Passed)
}

/// Where Debian's `git-doc` and `sphinx-doc` put their HTML: the Git manual and
/// Sphinx's own documentation, real sites built by other tools, which the relevance
/// test indexes.
pub const DOC_SITES: [(&str, &str); 2] = [
    ("git-doc", "/usr/share/doc/git-doc/git-add.html"),
    ("sphinx-doc", "/usr/share/doc/sphinx-doc/html/index.html"),
];

/// Installs Debian's `git-doc` and `sphinx-doc` when their HTML is missing.
pub fn doc_sites() -> Result<Outcome> {
    let missing: Vec<&str> = DOC_SITES
        .iter()
        .filter(|(_, file)| !Path::new(file).is_file())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        say("git-doc and sphinx-doc: installed");
        return Ok(Outcome::Passed);
    }
    let by_hand = "apt-get update && apt-get install -y git-doc sphinx-doc";
    if util::which("apt-get").is_none() {
        return Err(Failure::new(format!(
            "{} missing and apt-get was not found",
            missing.join(" and ")
        ))
        .fix(format!(
            "install them so that {} exist",
            DOC_SITES.map(|d| d.1).join(" and ")
        )));
    }
    say(format!(
        "{}: missing, installing with apt-get",
        missing.join(" and ")
    ));
    apt_install(&missing.join(" and "), &missing, by_hand)?;
    Ok(Outcome::Passed)
}

/// `apt-get update` then `apt-get install -y <packages>`, as root or through `sudo`;
/// `missing` names what is missing, for the error when neither is possible.
fn apt_install(missing: &str, packages: &[&str], by_hand: &str) -> Result {
    let sudo = if is_root() {
        None
    } else if util::which("sudo").is_some() {
        Some("sudo")
    } else {
        return Err(Failure::new(format!(
            "{missing} is missing, and installing it needs root (no sudo found)"
        ))
        .fix(format!("as root, run `{by_hand}`")));
    };
    let apt = |args: &[&str]| {
        let mut command = match sudo {
            Some(sudo) => {
                let mut command = Command::new(sudo);
                command.arg("apt-get");
                command
            }
            None => Command::new("apt-get"),
        };
        // No debconf questions: the install must never wait for a keyboard.
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    let fix = format!("run `{by_hand}` as root");
    exec(&mut apt(&["update"]), &fix)?;
    let mut install = apt(&["install", "-y"]);
    install.args(packages);
    exec(&mut install, &fix)?;
    Ok(())
}

/// Whether this process runs as root (`id -u` prints 0).
fn is_root() -> bool {
    probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

/// Checks Node.js, then runs `npm ci` in the repository root when `node_modules` is missing
/// or older than `package-lock.json`. Skipped while the root `package.json` does not exist.
pub fn node_packages() -> Result<Outcome> {
    let root = root();
    if !root.join("package.json").is_file() {
        return Ok(Outcome::Skipped("package.json does not exist yet".into()));
    }
    let Some(node) = tool_version("node") else {
        return Err(Failure::new("`node` was not found on PATH")
            .fix("install Node.js 20 or newer (https://nodejs.org), with npm"));
    };
    let lock = root.join("package-lock.json");
    let Some(lock_time) = modified(&lock) else {
        return Err(
            Failure::new("package.json exists but package-lock.json does not")
                .fix("run `npm install` in the repository root and commit package-lock.json"),
        );
    };
    // npm writes node_modules/.package-lock.json last, after a successful install, so its
    // time says when the install finished; the folder's own time is the fallback.
    let modules = root.join("node_modules");
    let installed = modified(&modules.join(".package-lock.json")).or_else(|| modified(&modules));
    if installed.is_some_and(|installed| installed >= lock_time) {
        say(format!(
            "node packages: node_modules is up to date (node {node})"
        ));
        return Ok(Outcome::Passed);
    }
    let why = if installed.is_some() {
        "older than package-lock.json"
    } else {
        "missing"
    };
    say(format!(
        "node packages: node_modules is {why}, running npm ci"
    ));
    exec(
        Command::new("npm").arg("ci").current_dir(&root),
        "run `npm ci` in the repository root and read its error; needs npm and network access",
    )?;
    Ok(Outcome::Passed)
}

/// A file's modification time, `None` when it does not exist.
fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}

/// The version a tool prints for `--version` (`wasm-bindgen 0.2.130` → `0.2.130`,
/// `v20.11.0` → `v20.11.0`); `None` when the tool is missing or fails.
pub fn tool_version(program: &str) -> Option<String> {
    let out = probe(Command::new(program).arg("--version"))?;
    parse_version_line(&out)
}

/// The last word of the first line, which is where every tool here prints its version.
fn parse_version_line(out: &str) -> Option<String> {
    out.lines()
        .next()?
        .split_whitespace()
        .last()
        .map(str::to_string)
}

/// Every version of the package `name` in a `Cargo.lock`, in file order.
///
/// Cargo.lock is TOML written by cargo in a fixed shape (`[[package]]`, then `name = "…"`
/// and `version = "…"` lines), so a line scan is exact and keeps xtask free of dependencies.
pub fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut in_package = false;
    let mut is_named = false;
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[[package]]";
            is_named = false;
        } else if in_package {
            if let Some(value) = toml_string(line, "name") {
                is_named = value == name;
            } else if let Some(value) = toml_string(line, "version") {
                if is_named {
                    versions.push(value.to_string());
                }
            }
        }
    }
    versions
}

/// The value of `key = "value"`, when `line` is that key.
fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
    rest.trim().strip_prefix('"')?.strip_suffix('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "wasm-bindgen-shared"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-test"
version = "0.3.80"
"#;

    #[test]
    fn finds_the_exact_package_not_its_namesakes() {
        assert_eq!(lock_versions(LOCK, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(lock_versions(LOCK, "wasm-bindgen-test"), ["0.3.80"]);
        assert!(lock_versions(LOCK, "wasm-pack").is_empty());
    }

    #[test]
    fn the_lockfile_version_line_is_not_a_package() {
        assert!(lock_versions("version = 4\n", "").is_empty());
    }

    #[test]
    fn reports_every_version_when_there_are_several() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert_eq!(lock_versions(&lock, "wasm-bindgen"), ["0.2.130", "0.2.99"]);
    }

    #[test]
    fn the_workspace_lockfile_pins_wasm_bindgen_once() {
        let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
        assert_eq!(lock_versions(&lock, "wasm-bindgen").len(), 1);
    }

    #[test]
    fn version_lines() {
        let version = parse_version_line("wasm-bindgen 0.2.130\n");
        assert_eq!(version.as_deref(), Some("0.2.130"));
        let version = parse_version_line("wasm-pack 0.15.1\n");
        assert_eq!(version.as_deref(), Some("0.15.1"));
        assert_eq!(
            parse_version_line("v20.20.2\n").as_deref(),
            Some("v20.20.2")
        );
        assert_eq!(parse_version_line(""), None);
    }
}
