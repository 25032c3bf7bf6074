//! `scour`: build a site's search bundle, search it, inspect it, preview it.
//!
//! ```text
//! scour build [SOURCE]... [--out DIR] [--watch]   articles → DIR/{scour.js, engine wasm with the index, widget, index.html}
//! scour search <DIR> <QUERY> [--limit N] [--json]
//! scour inspect <DIR>
//! scour serve [DIR] [--port N] [--watch [SOURCE]...]
//! ```
//!
//! Without SOURCE, `scour build` reads `scour.toml` (see `config`). The engine wasm and
//! its JS glue are inside this binary (see `bundle`): site owners need no Rust toolchain.

mod bundle;
mod chunk_files;
mod config;
mod par;
mod progress;
mod serve;
mod site;
mod watch;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use scour_query::{Index, SearchOptions};

use config::{BuildFlags, Config};
use progress::Progress;

/// Full-text search for any website, running in the visitor's browser.
#[derive(Parser)]
#[command(name = "scour", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index articles and write a search bundle (scour.js, the engine with the index,
    /// the widget, and an index.html that searches) into a folder.
    Build {
        /// Files or folders of .txt, .md, .html, .json or .jsonl articles. None: read the
        /// settings from ./scour.toml (or --config).
        sources: Vec<PathBuf>,
        #[command(flatten)]
        flags: BuildFlags,
        /// Print only problems.
        #[arg(long, short)]
        quiet: bool,
        /// After building, keep watching the sources and rebuild when one changes.
        #[arg(long)]
        watch: bool,
    },
    /// Search a bundle written by `scour build`, natively, with the same engine.
    Search {
        /// The bundle folder.
        dir: PathBuf,
        /// The query (words, "phrases", -exclusions).
        query: String,
        /// Hits to show.
        #[arg(long, short, default_value_t = 10)]
        limit: usize,
        /// Print one JSON object: {"total", "hits": [...], "suggestion"}.
        #[arg(long)]
        json: bool,
        /// Print why each hit scored what it did: each word's best term in the page with
        /// its occurrences in the title, headings and body, the title match and the score.
        #[arg(long)]
        explain: bool,
    },
    /// Show what a bundle holds: documents, terms and bytes per index section.
    Inspect {
        /// The bundle folder.
        dir: PathBuf,
        /// List every document indexed, one per line: URL, title, language, body
        /// bytes, sections (tab-separated).
        #[arg(long)]
        docs: bool,
    },
    /// Preview a site on http://127.0.0.1 (a static file server), optionally rebuilding
    /// its search bundle when the sources change.
    Serve {
        /// The folder to serve. Default: the source folder the bundle is written into
        /// (`public` for `out = "public/search"`), else the current folder.
        dir: Option<PathBuf>,
        /// The port to listen on (0: any free port).
        #[arg(long, short, default_value_t = 8000)]
        port: u16,
        /// Rebuild the bundle when these sources change; without SOURCE, watch the
        /// `source` of scour.toml. Put DIR before this option.
        #[arg(long, num_args = 0.., value_name = "SOURCE")]
        watch: Option<Vec<PathBuf>>,
        #[command(flatten)]
        flags: BuildFlags,
    },
    /// Print the size of the engine wasm without an index, as JSON (for size budgets).
    #[command(hide = true)]
    EngineSize,
}

fn main() -> ExitCode {
    // Run as WebAssembly by Node (the npm package), the process starts in `/`: the
    // runner passes the folder it was started in as PWD, so relative paths mean what
    // they mean to the person typing them.
    #[cfg(target_os = "wasi")]
    if let Some(pwd) = std::env::var_os("PWD") {
        let _ = std::env::set_current_dir(pwd);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            sources,
            flags,
            quiet,
            watch,
        } => build(sources, &flags, quiet, watch),
        Command::Search {
            dir,
            query,
            limit,
            json,
            explain,
        } => search(&dir, &query, limit, json, explain),
        Command::Inspect { dir, docs: false } => inspect(&dir),
        Command::Inspect { dir, docs: true } => inspect_docs(&dir),
        Command::Serve {
            dir,
            port,
            watch,
            flags,
        } => serve(dir, port, watch, &flags),
        Command::EngineSize => {
            let wasm = bundle::engine_wasm();
            let gzip = site::gzip_len(wasm, flate2::Compression::best());
            println!("{{\"raw\":{},\"gzip\":{gzip}}}", wasm.len());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn build(
    sources: Vec<PathBuf>,
    flags: &BuildFlags,
    quiet: bool,
    watch: bool,
) -> Result<(), String> {
    let plan = flags.plan(sources)?;
    let mut progress = Progress::for_terminal(quiet);
    let result = site::build(&plan, &mut progress);
    // The summary gzips every file of the bundle: seconds for a large site.
    let summary = match &result {
        Ok(outcome) if !quiet => {
            progress.step("measuring the bundle gzipped");
            Some(outcome.summary(&plan.out))
        }
        _ => None,
    };
    drop(progress);
    match result {
        Ok(_) if !quiet => emit(&summary.unwrap_or_default())?,
        Ok(_) => {}
        // Watching goes on: the next save may fix it.
        Err(err) if watch => eprintln!("error: {err}"),
        Err(err) => return Err(err),
    }
    if watch {
        watch::Watcher::new(plan).run();
    }
    Ok(())
}

fn serve(
    dir: Option<PathBuf>,
    port: u16,
    watch: Option<Vec<PathBuf>>,
    flags: &BuildFlags,
) -> Result<(), String> {
    let listener = serve::bind(port)?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    // The bundle location, to pick the default folder and print the search page's URL.
    let (plan, bundle_at) = match watch {
        Some(sources) => {
            let plan = flags.plan(sources)?;
            let at = (plan.sources.clone(), plan.out.clone());
            (Some(plan), Some(at))
        }
        None => {
            let config = match flags.config_file(&[]) {
                Some(path) => Config::read(&path)?,
                None => Config::default(),
            };
            let out = flags.out.clone().or(config.out);
            (None, out.map(|out| (config.source, out)))
        }
    };
    let root = match (dir, &bundle_at) {
        (Some(dir), _) => dir,
        (None, Some((sources, out))) => default_root(sources, out),
        (None, None) => PathBuf::from("."),
    };
    if let Some(plan) = &plan {
        let mut progress = Progress::for_terminal(false);
        let built = site::build(plan, &mut progress);
        drop(progress);
        match built {
            Ok(outcome) => println!("built {}: {}", plan.out.display(), outcome.one_line()),
            Err(err) => eprintln!("error: {err}"),
        }
    }
    // After the first build (which may create the folder), before anything says
    // "serving": a missing folder is an error, not a server answering 404 to all.
    serve::check_root(&root)?;
    if let Some(plan) = &plan {
        let watcher = watch::Watcher::new(plan.clone());
        std::thread::spawn(move || watcher.run());
    }
    println!("serving {} at http://127.0.0.1:{port}/", root.display());
    if let Some(rel) = bundle_at
        .as_ref()
        .and_then(|(_, out)| relative_url(&root, out))
    {
        println!("search page: http://127.0.0.1:{port}/{rel}");
    }
    serve::run(listener, root)
}

/// The folder `scour serve` serves by default: the source folder holding the bundle
/// (a built site such as `public/` with the bundle in `public/search/`, so the site's
/// absolute links and the embed's `/search/…` both resolve), else the current folder.
fn default_root(sources: &[PathBuf], out: &Path) -> PathBuf {
    let out_abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    sources
        .iter()
        .find(|s| s.is_dir() && std::path::absolute(s).is_ok_and(|s| out_abs.starts_with(s)))
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `search/` for the bundle `public/search` served from `public`: where the bundle's
/// own search page is.
fn relative_url(root: &Path, out: &Path) -> Option<String> {
    let root = std::path::absolute(root).ok()?;
    let out = std::path::absolute(out).ok()?;
    let rel = out.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.iter().map(|p| format!("{p}/")).collect())
}

/// Opens the index inside a bundle and verifies its checksum.
fn open_bundle(dir: &Path) -> Result<Index<Vec<u8>>, String> {
    let wasm_path = dir.join(bundle::ENGINE_WASM_FILE);
    let wasm = std::fs::read(&wasm_path).map_err(|e| {
        format!(
            "cannot read {}: {e}; is {} a folder written by `scour build`?",
            wasm_path.display(),
            dir.display()
        )
    })?;
    let bytes = bundle::read_index(&wasm).map_err(|e| format!("{}: {e}", wasm_path.display()))?;
    let mut index = Index::open(bytes).map_err(|e| format!("{}: {e}", wasm_path.display()))?;
    index
        .verify()
        .map_err(|e| format!("{}: {e}", wasm_path.display()))?;
    // A lazy bundle: every chunk file is read and its chunks checked, as a browser
    // would one by one.
    for id in 0..index.chunk_count() {
        if index.has_chunk(id) {
            // given with an earlier chunk of its file
            continue;
        }
        let place = index.chunk_place(id).ok_or("the chunk table is damaged")?;
        let path = dir.join(&place.file);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "cannot read {}: {e}; the bundle's chunks/ folder is incomplete, build it again",
                path.display()
            )
        })?;
        index
            .add_chunks(place.file_no, &bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(index)
}

fn search(dir: &Path, query: &str, limit: usize, json: bool, explain: bool) -> Result<(), String> {
    let index = open_bundle(dir)?;
    let results = index.search(
        query,
        &SearchOptions {
            limit,
            explain,
            ..SearchOptions::default()
        },
    );
    if json {
        return emit(&results.to_json());
    }
    let mut out = String::new();
    if let Some(s) = &results.suggestion {
        let _ = writeln!(out, "did you mean: {s}");
    }
    let _ = write!(
        out,
        "{} result{}",
        results.total,
        if results.total == 1 { "" } else { "s" }
    );
    for (i, hit) in results.hits.iter().enumerate() {
        let _ = write!(
            out,
            "\n\n{}. {}  [{}]  score {:.3}",
            i + 1,
            hit.title,
            hit.id,
            hit.score
        );
        let _ = write!(out, "\n   {}", hit.url);
        if let Some(why) = &hit.explain {
            let _ = write!(out, "\n   why: {why}");
        }
        let _ = write!(
            out,
            "\n   {}",
            mark_terminal(&hit.snippet.text, &hit.snippet.highlights)
        );
    }
    emit(&out)
}

/// Prints `text` and a newline on stdout. A closed pipe (`scour search … | head`) ends
/// the output quietly instead of panicking as `println!` would.
fn emit(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}

/// The snippet with highlights in `[...]`, for a terminal.
fn mark_terminal(text: &str, highlights: &[[u32; 2]]) -> String {
    let mut out = String::with_capacity(text.len() + highlights.len() * 2);
    let mut utf16 = 0u32;
    let mut marks = highlights.iter().peekable();
    let mut open = false;
    for c in text.chars() {
        if open && marks.peek().is_some_and(|m| m[1] <= utf16) {
            out.push(']');
            open = false;
            marks.next();
        }
        if !open && marks.peek().is_some_and(|m| m[0] == utf16) {
            out.push('[');
            open = true;
        }
        out.push(c);
        utf16 += c.len_utf16() as u32;
    }
    if open {
        out.push(']');
    }
    out
}

/// Every document of the bundle, one tab-separated line each, so an owner sees what
/// was indexed (and can sort, grep or count it).
fn inspect_docs(dir: &Path) -> Result<(), String> {
    let index = open_bundle(dir)?;
    let mut out = String::from("url\ttitle\tlanguage\tbytes\tsections");
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    for d in 0..index.doc_count() as u32 {
        let Some(doc) = index.document(d) else {
            return Err(format!(
                "document {d} cannot be read: the bundle is damaged"
            ));
        };
        let _ = write!(
            out,
            "\n{}\t{}\t{}\t{}\t{}",
            clean(doc.url),
            clean(doc.title),
            if doc.lang.is_empty() { "-" } else { doc.lang },
            doc.body.len(),
            doc.headings.len()
        );
    }
    emit(&out)
}

fn inspect(dir: &Path) -> Result<(), String> {
    let index = open_bundle(dir)?;
    let mut out = String::new();
    let _ = writeln!(out, "documents  {}", index.doc_count());
    let _ = writeln!(out, "terms      {}", index.term_count());
    let _ = writeln!(out, "index      {} bytes", index.byte_len());
    match index.chunk_count() {
        0 => {
            let _ = writeln!(out, "layout     single (the whole index is in the engine)");
        }
        n => {
            let files: std::collections::BTreeSet<String> = (0..n)
                .filter_map(|id| Some(index.chunk_place(id)?.file))
                .collect();
            let size = |name: &str| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
            let bytes: u64 = files.iter().map(|f| size(f)).sum();
            let pack = index.pack_name().unwrap_or_default();
            let _ = writeln!(
                out,
                "layout     lazy: the core is in the engine, {n} chunks in {} files in chunks/ ({bytes} bytes) and in {pack} ({} bytes, read by range)",
                files.len(),
                size(pack)
            );
        }
    }
    for (kind, size) in index.section_sizes() {
        let share = 100.0 * size as f64 / index.byte_len() as f64;
        let _ = writeln!(
            out,
            "  {:<12} {:>10} bytes  {share:>5.1}%",
            kind.name(),
            size
        );
    }
    let mut files: Vec<(String, u64)> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            Some((
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().ok()?.len(),
            ))
        })
        .collect();
    files.sort();
    let _ = write!(out, "bundle files");
    for (name, len) in files {
        let _ = write!(out, "\n  {name:<24} {len:>10} bytes");
    }
    emit(&out)
}
