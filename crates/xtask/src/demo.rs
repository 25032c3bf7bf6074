//! `cargo xtask demo`: the demo site, built the way a site owner would build theirs (the
//! release `scour` CLI indexing a folder of articles), then served on 127.0.0.1.
//!
//! Layout of `target/demo/`: the pages from `www/` at the top, the bundle `scour build`
//! writes (engine wasm with the index inside, `scour.js`) in `search/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::ci::build_bundle;
use crate::install;
use crate::util::{cargo, display, exec, root, say, target_dir, Failure, Result};

/// `cargo xtask demo`'s options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The first port to try on 127.0.0.1.
    pub port: u16,
    /// Serve the site after building it; `--no-serve` turns this off.
    pub serve: bool,
    /// The articles to index, relative to the current directory; `seeds/` when `None`.
    pub source: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: 8000,
            serve: true,
            source: None,
        }
    }
}

/// Builds `target/demo/` and, unless `--no-serve`, serves it until Ctrl+C.
pub fn run(options: &Options) -> Result {
    let root = root();
    // Relative to where the user typed the command, which is cargo's working directory too.
    let source = match &options.source {
        Some(source) => std::env::current_dir()
            .map(|cwd| cwd.join(source))
            .unwrap_or_else(|_| source.clone()),
        None => root.join("seeds"),
    };
    if !source.is_dir() {
        return Err(Failure::new(format!(
            "the source folder {} does not exist",
            source.display()
        ))
        .fix("pass `--source <folder of articles>` with an existing folder"));
    }

    // The CLI's build script compiles the engine for wasm32; nothing else is needed.
    install::wasm32_target()?;
    let mut build = cargo();
    build.args(["build", "--release", "-p", "scour-cli"]);
    say(display(&build));
    exec(&mut build, "fix the build errors above")?;

    let target = target_dir();
    let site = target.join("demo");
    // A fresh folder every time, so a page deleted from www/ disappears from the demo too.
    if site.exists() {
        fs::remove_dir_all(&site).map_err(|error| io_failure("remove", &site, &error))?;
    }
    let cli = target.join("release").join("scour");
    // The articles are served beside the page, so the results link to them.
    build_bundle(&cli, &source, &site.join("search"), Some("articles/"))?;
    say(format!("copy www/ pages into {}", shown(&site)));
    copy_pages(&root.join("www"), &site)?;
    say(format!(
        "copy the articles into {}",
        shown(&site.join("articles"))
    ));
    copy_tree(&source, &site.join("articles"))?;

    if !options.serve {
        say(format!(
            "demo built in {} (not serving: --no-serve)",
            shown(&site)
        ));
        return Ok(());
    }
    let port = free_port(options.port).map_err(|error| {
        Failure::new(format!(
            "could not listen on 127.0.0.1 at ports {}..{}: {error}",
            options.port,
            options.port.saturating_add(PORT_ATTEMPTS - 1)
        ))
        .fix("pick a free port with `--port N`")
    })?;
    println!("serving the scour demo at http://127.0.0.1:{port}/ (Ctrl+C to stop)");
    // The CLI's own static server (`scour serve`), the one site owners preview with.
    let mut serve = std::process::Command::new(&cli);
    serve
        .arg("serve")
        .arg(&site)
        .args(["--port", &port.to_string()]);
    exec(&mut serve, "the demo server stopped; see its error above")
}

/// How many ports from `--port` on are tried before giving up.
const PORT_ATTEMPTS: u16 = 20;

/// The first port from `port` on (at most [`PORT_ATTEMPTS`] of them) that 127.0.0.1 can
/// listen on, so a busy port 8000 does not stop the demo. Port 0 lets the OS choose.
fn free_port(port: u16) -> std::io::Result<u16> {
    use std::io::{Error, ErrorKind};
    use std::net::{Ipv4Addr, TcpListener};
    let mut last = None;
    for candidate in (0..PORT_ATTEMPTS).map_while(|offset| port.checked_add(offset)) {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, candidate)) {
            // released at once: `scour serve` binds it next
            Ok(listener) => return Ok(listener.local_addr()?.port()),
            Err(error) if error.kind() == ErrorKind::AddrInUse => last = Some(error),
            Err(error) => return Err(error),
        }
        if port == 0 {
            break;
        }
    }
    Err(last.unwrap_or_else(|| Error::new(ErrorKind::AddrInUse, "no port left to try")))
}

/// Copies the demo's pages from `www/` into `site`: every top-level file except
/// `scour.js` and `scour-worker.js` (the bundle in `search/` carries the ones that match
/// its engine) and the
/// `lib/` folder. A missing `www/index.html` is a warning, not a failure, so the bundle
/// can be built while the page is being written.
fn copy_pages(www: &Path, site: &Path) -> Result {
    if !www.join("index.html").is_file() {
        println!("warning: www/index.html does not exist yet; the demo has no front page");
    }
    fs::create_dir_all(site).map_err(|error| io_failure("create", site, &error))?;
    let Ok(entries) = fs::read_dir(www) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // the bundle carries the API and its worker, matching its engine
        if path.is_file()
            && entry.file_name() != "scour.js"
            && entry.file_name() != "scour-worker.js"
        {
            copy_file(&path, &site.join(entry.file_name()))?;
        }
    }
    let lib = www.join("lib");
    if lib.is_dir() {
        copy_tree(&lib, &site.join("lib"))?;
    }
    Ok(())
}

/// Copies a folder recursively (files and folders; other entries are skipped).
fn copy_tree(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|error| io_failure("create", to, &error))?;
    let entries = fs::read_dir(from).map_err(|error| io_failure("read", from, &error))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &dest)?;
        } else if path.is_file() {
            copy_file(&path, &dest)?;
        }
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path) -> Result {
    fs::copy(from, to)
        .map(drop)
        .map_err(|error| io_failure("copy", from, &error))
}

fn io_failure(action: &str, path: &Path, error: &std::io::Error) -> Failure {
    Failure::new(format!("could not {action} {}: {error}", path.display()))
}

/// A path as shown to the user: relative to the repository root when inside it.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_pages_but_not_the_engine_loader() {
        let base = std::env::temp_dir().join(format!("scour-xtask-{}-demo", std::process::id()));
        let (www, site) = (base.join("www"), base.join("site"));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(www.join("lib/icons")).unwrap();
        fs::create_dir_all(www.join("drafts")).unwrap();
        for file in [
            "index.html",
            "scour.js",
            "scour-search.js",
            "lib/icons/x.svg",
            "drafts/a.html",
        ] {
            fs::write(www.join(file), file).unwrap();
        }
        copy_pages(&www, &site).unwrap();
        assert!(site.join("index.html").is_file());
        assert!(site.join("scour-search.js").is_file());
        assert!(site.join("lib/icons/x.svg").is_file());
        assert!(!site.join("scour.js").exists());
        assert!(!site.join("drafts").exists());
        fs::remove_dir_all(&base).unwrap();
    }
}
