//! The `scour` binary as site owners and other tools run it: on temporary folders, with
//! its real arguments, checking what it prints, what it writes and how it exits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The binary under test.
fn scour() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scour"))
}

/// Runs `scour args…` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    scour()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the scour binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the run succeeded, showing its output when it did not.
fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "scour failed\nstdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// Asserts the run failed, showing its output when it did not.
fn failed(out: &Output) {
    assert!(
        !out.status.success(),
        "scour should have failed\nstdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// A temporary site folder with `files` (`(relative path, contents)`).
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Three Markdown articles about different things, one of them about bread.
const ARTICLES: &[(&str, &str)] = &[
    ("content/bread.md", "---\ntitle: Sourdough bread\n---\nA starter of flour and water ferments for days before the loaf is baked.\n"),
    ("content/tea.md", "---\ntitle: Green tea\n---\nSteep the leaves in water below boiling, for two minutes at most.\n"),
    ("content/posts/bikes.md", "# Fixing a bicycle\n\nPatch the inner tube, then pump the tyre to the pressure on its side wall.\n"),
];

#[test]
fn hits_name_the_pages_they_are_under_by_title() {
    let dir = site(&[
        ("site/guide/index.html", "<title>The guide</title><main><h1>The guide</h1><p>Start here.</p></main>"),
        ("site/guide/install/index.html", "<title>Setup</title><main><h1>Setup</h1><p>Install the toolchain.</p></main>"),
        ("site/guide/install/linux.html", "<title>On Linux</title><main><h1>On Linux</h1><p>Install the toolchain with apt.</p></main>"),
        ("site/index.html", "<title>Home</title><main><h1>Home</h1><p>Install nothing.</p></main>"),
    ]);
    ok(&run_in(dir.path(), &["build", "site", "--out", "search"]));
    let results = search_json(dir.path(), "search", "toolchain");
    let parents: Vec<(&str, &str)> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["title"].as_str().unwrap(),
                h["meta"]["parent"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let mut parents = parents;
    parents.sort();
    assert_eq!(
        parents,
        [("On Linux", "The guide › Setup"), ("Setup", "The guide")]
    );
}

/// `scour search DIR QUERY --json` parsed.
fn search_json(dir: &Path, bundle: &str, query: &str) -> Value {
    let out = run_in(dir, &["search", bundle, query, "--json"]);
    ok(&out);
    serde_json::from_str(&stdout(&out)).expect("search --json prints one JSON object")
}

/// The ids of the hits, in rank order.
fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn build_then_search_finds_exactly_the_matching_articles() {
    let dir = site(ARTICLES);
    let out = run_in(dir.path(), &["build", "content", "--out", "search"]);
    ok(&out);
    for file in [
        "scour.js",
        "scour_engine.js",
        "scour_engine_bg.wasm",
        "index.html",
    ] {
        assert!(
            dir.path().join("search").join(file).is_file(),
            "the bundle has {file}"
        );
    }

    let results = search_json(dir.path(), "search", "water");
    assert_eq!(results["total"], 2);
    let mut found = ids(&results);
    found.sort();
    assert_eq!(found, ["bread", "tea"]);

    let results = search_json(dir.path(), "search", "bicycle tyre");
    assert_eq!(results["total"], 1);
    assert_eq!(ids(&results), ["posts/bikes"]);
    let hit = &results["hits"][0];
    assert_eq!(hit["title"], "Fixing a bicycle");
    assert_eq!(hit["url"], "/posts/bikes/");

    let results = search_json(dir.path(), "search", "zeppelin");
    assert_eq!(results["total"], 0);
    assert_eq!(results["hits"], Value::Array(vec![]));
}

#[test]
fn a_lazy_bundle_searches_as_the_single_one_and_names_a_missing_chunk() {
    let dir = site(ARTICLES);
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "one", "--layout", "single"],
    ));
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "lazy", "--layout", "lazy"],
    ));
    // three articles: auto keeps them in one file
    ok(&run_in(dir.path(), &["build", "content", "--out", "auto"]));
    assert!(!dir.path().join("one/chunks").exists());
    assert!(!dir.path().join("auto/chunks").exists());
    let chunks: Vec<_> = std::fs::read_dir(dir.path().join("lazy/chunks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(chunks.len() >= 2, "postings and documents: {chunks:?}");
    for query in ["water", "bicycle tyre", "wter", "zeppelin"] {
        assert_eq!(
            search_json(dir.path(), "lazy", query),
            search_json(dir.path(), "one", query),
            "{query}"
        );
    }
    let inspect = run_in(dir.path(), &["inspect", "lazy"]);
    ok(&inspect);
    assert!(
        stdout(&inspect).contains("layout     lazy"),
        "{}",
        stdout(&inspect)
    );
    let inspect = run_in(dir.path(), &["inspect", "one"]);
    assert!(
        stdout(&inspect).contains("layout     single"),
        "{}",
        stdout(&inspect)
    );

    std::fs::remove_file(&chunks[0]).unwrap();
    let out = run_in(dir.path(), &["search", "lazy", "water"]);
    failed(&out);
    let name = chunks[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(stderr(&out).contains(&name), "{}", stderr(&out));

    let out = run_in(
        dir.path(),
        &["build", "content", "--out", "x", "--layout", "huge"],
    );
    failed(&out);
    assert!(stderr(&out).contains("auto"), "{}", stderr(&out));
}

#[test]
fn the_build_summary_counts_documents_skips_problems_terms_and_bytes() {
    let dir = site(&[
        ("site/a.html", "<html><head><title>A</title></head><body><main><h1>Alpha</h1><p>First page.</p></main></body></html>"),
        ("site/old.html", "<html><head><meta http-equiv=\"refresh\" content=\"0; url=a.html\"></head></html>"),
        ("site/hidden.html", "<html><head><meta name=\"robots\" content=\"noindex\"></head><body><p>x</p></body></html>"),
        // Same id as a.html (`a`): renamed, with a warning.
        ("site/a.md", "# Alpha notes\n\nThe Markdown version.\n"),
        // A .txt file in a built HTML site is not an article (robots.txt, licences).
        ("site/robots.txt", "User-agent: *\n"),
        // Front matter that does not parse: the file is skipped with an error.
        ("site/b.md", "---\ntitle: [unclosed\n---\nBody of b.\n"),
    ]);
    let out = run_in(dir.path(), &["build", "site", "--out", "bundle"]);
    ok(&out);
    let text = stdout(&out);
    assert!(
        text.contains(
            "indexed   2 documents (skipped 3: 1 noindex, 1 redirect stub, 1 text file in an HTML site)"
        ),
        "{text}"
    );
    assert!(text.contains("terms     "), "{text}");
    assert!(text.contains("bundle    bundle: "), "{text}");
    assert!(text.contains(" gzipped"), "{text}");
    assert!(text.contains("time      "), "{text}");
    assert!(
        text.contains("problems  1 warning, 1 error (see above; the rest was indexed)"),
        "{text}"
    );
    let err = stderr(&out);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("warning: ")).count(),
        1,
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error: ")).count(),
        1,
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:", Path::new("site").join("b.md").display())),
        "{err}"
    );
}

#[test]
fn quiet_prints_nothing_and_no_progress_is_drawn_off_a_terminal() {
    // More files than the progress threshold: stderr is a pipe here, so no bar.
    let files: Vec<(String, String)> = (0..250)
        .map(|i| {
            (
                format!("many/{i:03}.txt"),
                format!("Note number {i} about things\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = site(&files);
    let out = run_in(dir.path(), &["build", "many", "--out", "b", "--quiet"]);
    ok(&out);
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "");
    assert_eq!(search_json(dir.path(), "b", "number")["total"], 250);
}

#[test]
fn strict_fails_on_a_malformed_jsonl_line_and_names_the_file_and_line() {
    let dir = site(&[(
        "data/records.jsonl",
        "{\"id\": \"one\", \"title\": \"One\", \"body\": \"first record\"}\n{\"id\": \"two\", \"title\": \n{\"id\": \"three\", \"title\": \"Three\", \"body\": \"third record\"}\n",
    )]);
    let records = Path::new("data").join("records.jsonl");
    let at_line_2 = format!("{}:2: ", records.display());

    // Without --strict the bad line is reported and the rest is indexed.
    let out = run_in(dir.path(), &["build", "data", "--out", "lenient"]);
    ok(&out);
    assert!(stderr(&out).contains(&at_line_2), "{}", stderr(&out));
    assert_eq!(search_json(dir.path(), "lenient", "record")["total"], 2);

    let out = run_in(
        dir.path(),
        &["build", "data", "--out", "strict", "--strict"],
    );
    failed(&out);
    let err = stderr(&out);
    assert!(err.contains(&at_line_2), "{err}");
    assert!(err.contains("--strict"), "{err}");
    assert!(
        !dir.path().join("strict").exists(),
        "nothing is written on a --strict failure"
    );
}

#[test]
fn no_documents_says_which_files_were_skipped_and_why() {
    let dir = site(&[
        ("site/a.md", ""),
        ("site/b.txt", "  \n"),
        ("site/c.jsonl", "\n"),
    ]);
    let out = run_in(dir.path(), &["build", "site", "--out", "bundle"]);
    failed(&out);
    let err = stderr(&out);
    assert!(
        err.contains("no documents found in site: 3 files were skipped (3 empty page; the first: "),
        "{err}"
    );
    assert!(err.contains("a.md"), "{err}");
}

#[test]
fn an_empty_corpus_is_an_error_with_advice() {
    let dir = site(&[("site/style.css", "body {}"), ("site/logo.svg", "<svg/>")]);
    let out = run_in(dir.path(), &["build", "site", "--out", "bundle"]);
    failed(&out);
    let err = stderr(&out);
    assert!(err.contains("no documents found in site"), "{err}");
    assert!(
        err.contains(".md") && err.contains(".html"),
        "the advice names the file types: {err}"
    );
    assert!(!dir.path().join("bundle").exists());
}

#[test]
fn a_nonexistent_source_is_named() {
    let dir = site(&[]);
    let out = run_in(dir.path(), &["build", "no-such-folder", "--out", "bundle"]);
    failed(&out);
    let err = stderr(&out);
    assert!(
        err.contains("no-such-folder: no such file or folder"),
        "{err}"
    );
    assert!(!dir.path().join("bundle").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_bundle_intact() {
    let dir = site(ARTICLES);
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "search"],
    ));
    std::fs::create_dir(dir.path().join("empty")).unwrap();

    failed(&run_in(dir.path(), &["build", "empty", "--out", "search"]));
    std::fs::write(dir.path().join("broken.jsonl"), "{not json\n").unwrap();
    failed(&run_in(
        dir.path(),
        &["build", "broken.jsonl", "--out", "search", "--strict"],
    ));

    assert!(
        dir.path().join("search/scour.js").is_file(),
        "the old scour.js is still there"
    );
    assert_eq!(
        search_json(dir.path(), "search", "water")["total"],
        2,
        "and the old index still answers"
    );
}

#[test]
fn builds_leave_no_temporary_files_whether_they_succeed_or_fail() {
    let dir = site(ARTICLES);
    // the documents and the index go through temporary files on their way
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        scour()
            .current_dir(dir.path())
            .env("TMPDIR", tmp.path())
            .args(args)
            .output()
            .expect("the scour binary runs")
    };
    ok(&run(&["build", "content", "--out", "search"]));
    std::fs::write(dir.path().join("broken.jsonl"), "{not json\n").unwrap();
    failed(&run(&[
        "build",
        "broken.jsonl",
        "--out",
        "search",
        "--strict",
    ]));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left in the temporary folder: {left:?}");
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["broken.jsonl", "content", "search"]);
}

#[test]
fn a_rebuild_never_deletes_a_file_scour_did_not_write() {
    let dir = site(ARTICLES);
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "search"],
    ));
    let notes = dir.path().join("search/notes.md");
    std::fs::write(&notes, "# my notes\n").unwrap();

    let out = run_in(dir.path(), &["build", "content", "--out", "search"]);
    failed(&out);
    let err = stderr(&out);
    assert!(err.contains("notes.md"), "the error names the file: {err}");
    assert!(
        err.contains("empty or new folder"),
        "and says what to do: {err}"
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "# my notes\n");

    // Deep in a subfolder too.
    std::fs::remove_file(&notes).unwrap();
    let deep = dir.path().join("search/drafts/todo.txt");
    std::fs::create_dir_all(deep.parent().unwrap()).unwrap();
    std::fs::write(&deep, "keep me").unwrap();
    let out = run_in(dir.path(), &["build", "content", "--out", "search"]);
    failed(&out);
    assert!(stderr(&out).contains("drafts"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&deep).unwrap(), "keep me");

    // Once the folder holds only what scour wrote, it is rebuilt.
    std::fs::remove_dir_all(deep.parent().unwrap()).unwrap();
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "search"],
    ));
}

#[test]
fn a_bundle_inside_its_source_folder_is_not_read_by_the_next_build() {
    let dir = site(&[
        (
            "site/kites.txt",
            "Kites\n\nA kite needs wind and a long string.\n",
        ),
        ("site/boats.txt", "Boats\n\nA sail needs wind as well.\n"),
    ]);
    for _ in 0..2 {
        let out = run_in(dir.path(), &["build", "site", "--out", "site/search"]);
        ok(&out);
        assert!(
            stdout(&out).starts_with("indexed   2 documents\n"),
            "the bundle's own files are not indexed: {}",
            stdout(&out)
        );
    }
    assert_eq!(search_json(dir.path(), "site/search", "wind")["total"], 2);
}

#[cfg(unix)]
#[test]
fn links_out_of_a_source_folder_are_read_only_when_asked() {
    let dir = site(&[
        ("site/kites.md", "# Kites\n\nA kite needs wind.\n"),
        (
            "home/creds.md",
            "# Credentials\n\nThe password is hunter2.\n",
        ),
    ]);
    std::os::unix::fs::symlink(
        dir.path().join("home/creds.md"),
        dir.path().join("site/creds.md"),
    )
    .unwrap();

    let out = run_in(dir.path(), &["build", "site", "--out", "search"]);
    ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("warning: site/creds.md: a link to ")
            && err.contains("--follow-external-links"),
        "{err}"
    );
    assert_eq!(search_json(dir.path(), "search", "hunter2")["total"], 0);
    failed(&run_in(
        dir.path(),
        &["build", "site", "--out", "search", "--strict"],
    ));

    ok(&run_in(
        dir.path(),
        &[
            "build",
            "site",
            "--out",
            "search",
            "--follow-external-links",
        ],
    ));
    assert_eq!(search_json(dir.path(), "search", "hunter2")["total"], 1);

    std::fs::write(
        dir.path().join("scour.toml"),
        "source = \"site\"\nout = \"toml-search\"\nfollow_external_links = true\n",
    )
    .unwrap();
    ok(&run_in(dir.path(), &["build"]));
    assert_eq!(
        search_json(dir.path(), "toml-search", "hunter2")["total"],
        1
    );
}

#[test]
fn serve_of_a_missing_folder_fails_before_saying_it_serves() {
    let dir = site(&[]);
    let out = run_in(dir.path(), &["serve", "no-such-folder", "--port", "0"]);
    failed(&out);
    assert!(!stdout(&out).contains("serving"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("cannot serve no-such-folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inspect_lists_documents_terms_sections_and_files() {
    let dir = site(ARTICLES);
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "search"],
    ));
    let out = run_in(dir.path(), &["inspect", "search"]);
    ok(&out);
    let text = stdout(&out);
    assert!(text.starts_with("documents  3\n"), "{text}");
    assert!(text.contains("\nterms      "), "{text}");
    for section in ["terms", "postings", "doc-data"] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{section} "))),
            "section {section}: {text}"
        );
    }
    assert!(text.contains("bundle files"), "{text}");
    assert!(text.contains("scour_engine_bg.wasm"), "{text}");
}

#[test]
fn inspect_of_a_folder_that_is_no_bundle_says_so() {
    let dir = site(&[("x/readme.txt", "hi")]);
    let out = run_in(dir.path(), &["inspect", "x"]);
    failed(&out);
    assert!(
        stderr(&out).contains("a folder written by `scour build`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inspect_and_search_refuse_a_damaged_engine() {
    let dir = site(ARTICLES);
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "search"],
    ));
    let wasm = dir.path().join("search/scour_engine_bg.wasm");
    let bytes = std::fs::read(&wasm).unwrap();
    let code = wasmparser::Parser::new(0)
        .parse_all(&bytes)
        .find_map(|p| match p.unwrap() {
            wasmparser::Payload::CodeSectionStart {
                unchecked_range, ..
            } => Some(unchecked_range),
            _ => None,
        })
        .unwrap();
    let mut damaged = bytes.clone();
    let mid = ((code.start + code.end) / 2) as usize;
    damaged[mid..mid + 16].fill(0xff);
    for (what, bytes) in [("damaged", damaged), ("truncated", bytes[..8].to_vec())] {
        std::fs::write(&wasm, bytes).unwrap();
        for args in [&["inspect", "search"][..], &["search", "search", "qr"]] {
            let out = run_in(dir.path(), args);
            failed(&out);
            let err = stderr(&out);
            assert!(
                err.contains("scour_engine_bg.wasm") && err.contains("not a valid"),
                "{what} {args:?}: {err}"
            );
        }
    }
}

#[test]
fn scour_toml_configures_a_build_without_arguments() {
    let dir = site(ARTICLES);
    std::fs::write(
        dir.path().join("scour.toml"),
        "# the site's search\nsource = \"content\"\nout = \"public/search\"\nbase_url = \"/blog/\"\n",
    )
    .unwrap();
    ok(&run_in(dir.path(), &["build"]));
    let results = search_json(dir.path(), "public/search", "bicycle");
    assert_eq!(results["hits"][0]["url"], "/blog/posts/bikes/");

    // A flag overrides the file's value.
    ok(&run_in(
        dir.path(),
        &[
            "build",
            "--out",
            "elsewhere",
            "--base-url",
            "https://example.org/",
        ],
    ));
    let results = search_json(dir.path(), "elsewhere", "bicycle");
    assert_eq!(
        results["hits"][0]["url"],
        "https://example.org/posts/bikes/"
    );
}

#[test]
fn config_paths_are_relative_to_the_config_file() {
    let dir = site(ARTICLES);
    std::fs::write(
        dir.path().join("content/scour.toml"),
        "source = [\".\"]\nout = \"../bundle\"\nstrict = true\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let config = dir.path().join("content/scour.toml");
    let out = run_in(
        &dir.path().join("elsewhere"),
        &["build", "--config", config.to_str().unwrap()],
    );
    ok(&out);
    assert_eq!(search_json(dir.path(), "bundle", "tea")["total"], 1);
}

#[test]
fn an_unknown_config_key_is_named_with_its_line() {
    let dir = site(ARTICLES);
    std::fs::write(
        dir.path().join("scour.toml"),
        "source = \"content\"\nout = \"search\"\nroot_selctor = \"main\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["build"]);
    failed(&out);
    let err = stderr(&out);
    assert!(
        err.contains("scour.toml:3: unknown key `root_selctor`"),
        "{err}"
    );
    assert!(
        err.contains("root_selector"),
        "the known keys are listed: {err}"
    );
    assert!(!dir.path().join("search").exists());
}

#[test]
fn build_without_sources_or_config_explains_both_ways() {
    let dir = site(ARTICLES);
    let out = run_in(dir.path(), &["build", "--out", "search"]);
    failed(&out);
    let err = stderr(&out);
    assert!(
        err.contains("scour build <SOURCE>... --out <DIR>") && err.contains("scour.toml"),
        "{err}"
    );
}

/// A running `scour serve`, killed when dropped; its stdout arrives line by line.
struct Server {
    child: Child,
    lines: Receiver<String>,
    port: u16,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = scour()
            .current_dir(dir)
            .arg("serve")
            .args(args)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("scour serve starts");
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            lines,
            port: 0,
        };
        let line = server.wait_for("serving ");
        let port = line.rsplit(':').next().unwrap().trim_end_matches('/');
        server.port = port
            .parse()
            .unwrap_or_else(|_| panic!("a port in {line:?}"));
        server
    }

    /// The next stdout line containing `text` (within 60 s: builds on a loaded machine).
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!("scour serve printed no line with {text:?}"),
            }
        }
    }

    /// Sends a raw request; returns the status code, the head and the body.
    fn request(&self, request: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let split = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&answer[..split]).into_owned();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status code");
        (status, head, answer[split + 4..].to_vec())
    }

    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_sends_the_bundle_with_the_types_browsers_need() {
    let dir = site(ARTICLES);
    ok(&run_in(
        dir.path(),
        &["build", "content", "--out", "site/search"],
    ));
    std::fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
    let server = Server::start(dir.path(), &["site"]);

    let (status, head, body) = server.get("/search/scour_engine_bg.wasm");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: application/wasm"), "{head}");
    assert!(head.contains("Cache-Control: no-cache"), "{head}");
    assert_eq!(&body[..4], b"\0asm");

    let (status, head, _) = server.get("/search/scour.js");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/javascript"), "{head}");

    // brotli, else gzip, to a client that asks for it: the same bytes once inflated,
    // brotli's fewer
    let (status, zhead, zbody) = server
        .request("GET /search/scour_engine_bg.wasm HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n");
    assert_eq!(status, 200);
    assert!(zhead.contains("\r\nContent-Encoding: gzip\r\n"), "{zhead}");
    assert!(zhead.contains("\r\nVary: Accept-Encoding\r\n"), "{zhead}");
    assert!(
        zbody.len() < body.len(),
        "{} of {}",
        zbody.len(),
        body.len()
    );
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(&zbody[..])
        .read_to_end(&mut inflated)
        .unwrap();
    assert_eq!(inflated, body);
    let (status, bhead, bbody) = server.request(
        "GET /search/scour_engine_bg.wasm HTTP/1.1\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n",
    );
    assert_eq!(status, 200);
    assert!(bhead.contains("\r\nContent-Encoding: br\r\n"), "{bhead}");
    assert!(
        bbody.len() < zbody.len(),
        "{} of {}",
        bbody.len(),
        zbody.len()
    );
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&bbody[..], 1 << 16)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, body);
    assert!(!head.contains("Content-Encoding"), "{head}");

    let (status, head, body) = server.request("HEAD /search/ HTTP/1.1\r\n\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html"), "{head}");
    assert!(
        head.contains("Content-Length: ") && !head.contains("Content-Length: 0\r"),
        "{head}"
    );
    assert!(body.is_empty(), "HEAD sends no body");

    assert_eq!(server.get("/search").0, 301);
    // A redirect never names another host (`//search/` would) and keeps the query.
    let (status, head, _) = server.get("//search?q=kite");
    assert_eq!(status, 301);
    assert!(head.contains("\r\nLocation: /search/?q=kite\r\n"), "{head}");
    assert_eq!(server.get("/nothing-here.js").0, 404);
    assert_eq!(server.get("/../secret.txt").0, 404);
    assert_eq!(server.get("/search/%2e%2e/%2e%2e/secret.txt").0, 404);
    assert_eq!(
        server.request("DELETE /search/scour.js HTTP/1.1\r\n\r\n").0,
        405
    );
    assert_eq!(server.request("nonsense\r\n\r\n").0, 400);
}

#[test]
fn serve_watch_rebuilds_on_change_and_keeps_the_bundle_when_a_rebuild_fails() {
    let dir = site(ARTICLES);
    let mut server = Server::start(dir.path(), &["--watch", "content", "--out", "search"]);
    assert!(
        dir.path().join("search/scour.js").is_file(),
        "the first build happens before serving"
    );
    assert_eq!(
        server.get("/search/scour.js").0,
        200,
        "the bundle folder's parent is served"
    );

    std::fs::write(
        dir.path().join("content/kites.md"),
        "# Kites\n\nA kite needs wind.\n",
    )
    .unwrap();
    let line = server.wait_for("rebuilt");
    assert!(
        line.contains("kites.md added") && line.contains("4 documents"),
        "{line}"
    );
    assert_eq!(search_json(dir.path(), "search", "kite")["total"], 1);

    for (path, _) in ARTICLES {
        std::fs::remove_file(dir.path().join(path)).unwrap();
    }
    std::fs::remove_file(dir.path().join("content/kites.md")).unwrap();
    let line = server.wait_for("failed");
    assert!(
        line.contains("no documents found") && line.contains("previous bundle is kept"),
        "{line}"
    );
    assert_eq!(
        search_json(dir.path(), "search", "kite")["total"],
        1,
        "the previous bundle still answers"
    );
}

#[test]
fn the_rustonomicon_is_indexed_chapter_by_chapter() {
    // the Rustonomicon, an mdBook, as a real built site
    let book = rust_docs_book("nomicon");
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &["build", book.to_str().unwrap(), "--out", "nomicon"],
    );
    ok(&out);

    for (query, id, title) in [
        (
            "Ownership and Lifetimes",
            "ownership",
            "Ownership and Lifetimes",
        ),
        (
            "Subtyping and Variance",
            "subtyping",
            "Subtyping and Variance",
        ),
        ("Send and Sync", "send-and-sync", "Send and Sync"),
        (
            "Higher-Rank Trait Bounds",
            "hrtb",
            "Higher-Rank Trait Bounds (HRTBs)",
        ),
        ("Implementing Vec", "vec/vec", "Example: Implementing Vec"),
    ] {
        let results = search_json(dir.path(), "nomicon", query);
        let hit = &results["hits"][0];
        assert_eq!(
            (hit["id"].as_str(), hit["title"].as_str()),
            (Some(id), Some(title)),
            "top hit for {query:?}"
        );
        assert_eq!(hit["url"], format!("/{id}.html"));
    }

    // The print version (every chapter on one page), the table of contents and the 404
    // page are not chapters: mdBook marks the first two noindex.
    let out = run_in(
        dir.path(),
        &["search", "nomicon", "the", "--json", "--limit", "1000"],
    );
    ok(&out);
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found = ids(&all);
    assert!(
        found.len() > 40,
        "most chapters hold `the`: {}",
        found.len()
    );
    for page in ["print", "toc", "404"] {
        assert!(
            !found.iter().any(|id| id == page),
            "{page}.html was indexed as a chapter"
        );
    }

    // One document per chapter page: every .html file but redirect stubs and noindex
    // pages; .txt files in a built HTML site (mdBook's `fonts/*.txt` licences) are not
    // articles and are skipped.
    let (mut chapters, mut texts) = (0, 0);
    for entry in walk(&book) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        match entry.extension().and_then(|e| e.to_str()) {
            Some("html")
                if !text.contains("http-equiv=\"refresh\"")
                    && !text.contains("content=\"noindex\"") =>
            {
                chapters += 1
            }
            Some("md" | "json" | "jsonl") => texts += 1,
            _ => {}
        }
    }
    let inspect = stdout(&run_in(dir.path(), &["inspect", "nomicon"]));
    let expected = chapters + texts;
    assert!(
        inspect.starts_with(&format!("documents  {expected}\n")),
        "{chapters} chapter pages and {texts} text files, but:\n{inspect}"
    );
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// A book of the rust-docs component (`cargo xtask test` installs it).
fn rust_docs_book(name: &str) -> PathBuf {
    let sysroot = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    let sysroot = String::from_utf8(sysroot.stdout).unwrap();
    let dir = Path::new(sysroot.trim())
        .join("share/doc/rust/html")
        .join(name);
    assert!(
        dir.join("index.html").is_file(),
        "{} is missing: install the rust-docs component (rustup component add rust-docs)",
        dir.display()
    );
    dir
}

/// The marked parts of a snippet (highlights are UTF-16 offsets, as JavaScript's).
fn highlighted(snippet: &Value) -> Vec<String> {
    let text: Vec<u16> = snippet["text"].as_str().unwrap().encode_utf16().collect();
    snippet["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let (a, b) = (
                h[0].as_u64().unwrap() as usize,
                h[1].as_u64().unwrap() as usize,
            );
            String::from_utf16(&text[a..b]).unwrap()
        })
        .collect()
}

#[test]
fn the_rust_book_s_code_queries_find_their_types() {
    let book = rust_docs_book("book");
    let dir = tempfile::tempdir().unwrap();
    ok(&run_in(
        dir.path(),
        &["build", book.to_str().unwrap(), "--out", "book", "-q"],
    ));
    for (query, first, words) in [
        ("Rc<T>", "ch15-04-rc", &["rc", "t"][..]),
        ("Box<T>", "ch15-01-box", &["box", "t"]),
        (
            "HashMap<K, V>",
            "ch08-03-hash-maps",
            &["hashmap", "hash", "map", "k", "v"],
        ),
        ("Option<&T>", "ch06-01-defining-an-enum", &["option", "t"]),
    ] {
        let r = search_json(dir.path(), "book", query);
        let total = r["total"].as_u64().unwrap();
        assert!(total > 0 && total < 50, "{query}: {total} results");
        assert_eq!(ids(&r)[0], first, "{query}");
        // only the type is marked: its words, never a lone "t" of "the" or "to"
        for hit in r["hits"].as_array().unwrap() {
            for marked in highlighted(&hit["snippet"]) {
                assert!(
                    words.contains(&marked.to_lowercase().as_str()),
                    "{query}: {marked:?} marked in {}",
                    hit["id"]
                );
            }
        }
    }
    // the old editions' stubs ("no longer distributed") share one notice: their titles
    // do not put them before the chapters that are about the word
    for (query, first) in [
        ("lifetimes", "ch10-03-lifetime-syntax"),
        ("ownership", "ch04-00-understanding-ownership"),
        ("traits objects", "ch18-02-trait-objects"),
    ] {
        let r = search_json(dir.path(), "book", query);
        assert_eq!(ids(&r)[0], first, "{query}");
    }
}

/// A built HTML site as generators write it: pages, a section page that only titles
/// its chapters, the theme's and the generator's JSON data, and old pages to leave out.
const BUILT_SITE: &[(&str, &str)] = &[
    ("index.html", "<html><head><title>Guide</title></head><body><main><h1>Guide</h1><p>Welcome to the guide for installing things.</p></main></body></html>"),
    ("install.html", "<html><head><title>Installation - Guide</title></head><body><main><h1>Installation</h1><p>Run the installer, then check the version.</p></main></body></html>"),
    ("reference/index.html", "<html><head><title>Reference - Guide</title></head><body><main><h1>Reference</h1></main></body></html>"),
    ("search-index.json", "[{\"id\": \"x\", \"title\": \"Installation\", \"body\": \"Run the installer\"}]"),
    ("hashmap.json", "{\"install.md\": \"abc123\"}"),
    ("old/install.html", "<html><head><title>Old installation</title></head><body><main><h1>Old installation</h1><p>Run the old installer.</p></main></body></html>"),
];

#[test]
fn a_built_site_s_json_files_are_data_and_section_pages_are_pages() {
    let dir = site(BUILT_SITE);
    let out = run_in(dir.path(), &["build", ".", "--out", "search"]);
    ok(&out);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let listed = stdout(&run_in(dir.path(), &["inspect", "search", "--docs"]));
    let urls: Vec<&str> = listed
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        urls,
        ["/", "/install.html", "/old/install.html", "/reference/"]
    );
    assert!(listed.contains("/reference/\tReference\t"), "{listed}");
    // the page titled with the query comes first, the section page is found by its title
    assert_eq!(
        ids(&search_json(dir.path(), "search", "installation"))[0],
        "install"
    );
    assert_eq!(
        ids(&search_json(dir.path(), "search", "reference")),
        ["reference/index"]
    );
}

#[test]
fn exclude_leaves_out_files_and_folders_from_flags_and_scour_toml() {
    let dir = site(BUILT_SITE);
    ok(&run_in(
        dir.path(),
        &["build", ".", "--out", "search", "--exclude", "old"],
    ));
    let r = ids(&search_json(dir.path(), "search", "installer"));
    assert_eq!(r[0], "install");
    assert!(!r.contains(&"old/install".to_owned()), "{r:?}");

    std::fs::write(
        dir.path().join("scour.toml"),
        "source = \".\"\nout = \"search\"\nexclude = [\"**/index.html\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["build", "--exclude", "old/*.html"]);
    ok(&out);
    assert!(stdout(&out).contains("3 excluded"), "{}", stdout(&out));
    let listed = stdout(&run_in(dir.path(), &["inspect", "search", "--docs"]));
    assert_eq!(listed.lines().count(), 2, "{listed}");

    let out = run_in(dir.path(), &["build", "--exclude", "[old"]);
    failed(&out);
    assert!(
        stderr(&out).contains("exclude pattern \"[old\""),
        "{}",
        stderr(&out)
    );
    // nothing was written over the last bundle
    assert_eq!(
        stdout(&run_in(dir.path(), &["inspect", "search", "--docs"])),
        listed
    );
}
