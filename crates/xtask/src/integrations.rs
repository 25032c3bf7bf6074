//! The npm package's framework integrations on real sites: for Docusaurus, VitePress and
//! Starlight, a small site (`tests/integrations/<framework>/`, with its lockfile of exact
//! versions) is installed with `npm ci`, the package is installed from its tarball, the
//! framework builds the site (its hook runs `scour build`), the bundle is compared with
//! the native CLI's, and `tests/integrations/check.mjs` drives the site in Chromium.
//!
//! Installs are cached below `target/xtask/integrations/`, one folder per fixture and
//! lockfile, so a second run only installs the new tarball and builds.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::ci::{pack_npm, tree};
use crate::install::CHROMIUM;
use crate::util::{display, exec, root, say, target_dir, which, Failure, Outcome, Result};

/// A fixture: its folder's name, where the framework writes the site, what it leaves
/// behind between builds, and the `scour build` flags its integration uses (with the
/// site's base URL).
struct Fixture {
    name: &'static str,
    out: &'static str,
    generated: &'static [&'static str],
    flags: &'static [&'static str],
}

const FIXTURES: [Fixture; 3] = [
    Fixture {
        name: "docusaurus",
        out: "build",
        generated: &["build", ".docusaurus"],
        // the plugin's default root selector
        flags: &["--base-url", "/", "--root-selector", "article"],
    },
    Fixture {
        name: "vitepress",
        out: "docs/.vitepress/dist",
        generated: &["docs/.vitepress/dist", "docs/.vitepress/cache"],
        // served under a path, as a project's GitHub Pages site is
        flags: &["--base-url", "/garden/"],
    },
    Fixture {
        name: "starlight",
        out: "dist",
        generated: &["dist", ".astro"],
        flags: &["--base-url", "/"],
    },
];

/// The step: every fixture in turn.
pub fn run() -> Result<Outcome> {
    let root = root();
    let work = target_dir().join("xtask").join("integrations");
    let tarball = pack_npm(&work.join("package"))?;
    let artifacts = work.join("artifacts");
    for fixture in &FIXTURES {
        check(&root, &work, &tarball, &artifacts, fixture)?;
    }
    Ok(Outcome::Passed)
}

fn check(root: &Path, work: &Path, tarball: &Path, artifacts: &Path, fixture: &Fixture) -> Result {
    let source = root.join("tests/integrations").join(fixture.name);
    let lock = read(&source.join("package-lock.json"))?;
    let project = work.join(format!("{}-{:016x}", fixture.name, fnv1a(&lock)));
    let node = which("node").ok_or_else(|| Failure::new("node is not on the PATH"))?;
    // Node's own folder (with npm) only: no cargo, no rustc, nothing of this checkout.
    let path = node.parent().map(Path::to_path_buf).unwrap_or_default();
    let npm = |args: &[&str]| {
        let mut command = Command::new("npm");
        command
            .args(args)
            .current_dir(&project)
            .env("PATH", &path)
            .env("ASTRO_TELEMETRY_DISABLED", "1")
            .env("DO_NOT_TRACK", "1");
        command
    };

    // npm writes node_modules/.package-lock.json last: a folder without it is half done
    if project.join("node_modules/.package-lock.json").is_file() {
        say(format!(
            "{}: packages installed in {} (cached)",
            fixture.name,
            project.display()
        ));
    } else {
        remove_stale_installs(work, fixture.name);
        let _ = fs::remove_dir_all(&project);
        mkdir(&project)?;
        for file in ["package.json", "package-lock.json"] {
            copy(&source.join(file), &project.join(file))?;
        }
        let mut ci = npm(&["ci", "--no-audit", "--no-fund"]);
        say(display(&ci));
        exec(
            &mut ci,
            "read npm's message above; `npm ci` needs the registry",
        )?;
    }
    for generated in fixture.generated {
        let _ = fs::remove_dir_all(project.join(generated));
    }
    copy_sources(&source, &project)?;
    let mut install = npm(&[
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
    ]);
    install.arg(tarball);
    say(display(&install));
    exec(&mut install, "read npm's message above")?;

    let mut build = npm(&["run", "build"]);
    say(display(&build));
    exec(
        &mut build,
        "read the framework's output above: the integration's build hook runs `scour build`",
    )?;
    let site = project.join(fixture.out);
    let bundle = site.join("search");
    for file in ["scour.js", "scour-search.js"] {
        if !bundle.join(file).is_file() {
            return Err(Failure::new(format!(
                "{}: the build wrote no {}: the integration's hook did not run `scour build`",
                fixture.name,
                bundle.join(file).display()
            )));
        }
    }

    // the Node API's bundle is the native CLI's, byte for byte
    let native = work.join(format!("{}-native", fixture.name));
    let cli = target_dir().join("release").join("scour");
    if native.exists() {
        fs::remove_dir_all(&native)
            .map_err(|e| Failure::new(format!("cannot remove {}: {e}", native.display())))?;
    }
    let mut scour = Command::new(&cli);
    scour
        .arg("build")
        .arg(".")
        .arg("--out")
        .arg(&native)
        .arg("--quiet")
        .args(fixture.flags)
        .current_dir(&site);
    say(display(&scour));
    exec(&mut scour, "read the `scour build` error above")?;
    if tree(&bundle)? != tree(&native)? {
        return Err(Failure::new(format!(
            "{}: the bundle the integration built differs from the native CLI's ({} and {})",
            fixture.name,
            bundle.display(),
            native.display()
        )));
    }
    say(format!(
        "{}: the integration's bundle is byte-identical to the native CLI's",
        fixture.name
    ));

    let mut browser = Command::new(&node);
    browser
        .arg("tests/integrations/check.mjs")
        .arg(fixture.name)
        .arg(&site)
        .arg(artifacts)
        .current_dir(root)
        .env("CHROMIUM", CHROMIUM);
    say(display(&browser));
    exec(
        &mut browser,
        &format!(
            "read the failure above; screenshots in {}",
            artifacts.display()
        ),
    )
}

/// Removes the installs of `name` made for other lockfiles (`<name>-<16 hex digits>`).
fn remove_stale_installs(work: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(work) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let hash = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(name))
            .and_then(|n| n.strip_prefix('-'));
        if hash.is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit())) {
            say(format!(
                "{name}: removing the install of an older lockfile, {}",
                entry.path().display()
            ));
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Copies the fixture's own files (not its installed packages) over the project.
fn copy_sources(from: &Path, to: &Path) -> Result {
    mkdir(to)?;
    let entries = fs::read_dir(from)
        .map_err(|e| Failure::new(format!("cannot list {}: {e}", from.display())))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name == "node_modules" {
            continue;
        }
        let (a, b) = (entry.path(), to.join(&name));
        if a.is_dir() {
            copy_sources(&a, &b)?;
        } else {
            copy(&a, &b)?;
        }
    }
    Ok(())
}

/// FNV-1a, 64 bits: names a cache folder after a lockfile's bytes (not a security hash).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn mkdir(dir: &Path) -> Result {
    fs::create_dir_all(dir)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", dir.display())))
}

fn copy(from: &Path, to: &Path) -> Result {
    fs::copy(from, to).map(drop).map_err(|e| {
        Failure::new(format!(
            "cannot copy {} to {}: {e}",
            from.display(),
            to.display()
        ))
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| Failure::new(format!("cannot read {}: {e}", path.display())))
}
