//! The fuzz targets' bodies (`fuzz/src/lib.rs`) on stable Rust, over the committed
//! seeds (`fuzz/seeds/<target>`) and every input a fuzzer crashed on
//! (`fuzz/regressions/<target>`): the targets keep compiling, and no fixed crash comes
//! back. `cargo xtask fuzz` runs them under libFuzzer.
//!
//! `SCOUR_BLESS=1 cargo test --test fuzz` rewrites the seeds (after a format change).
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/src/lib.rs"]
mod bodies;

use std::path::{Path, PathBuf};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz");

/// The seeds of each target: what a fuzzer starts from.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let named = |name: &str, bytes: &[u8]| (name.to_string(), bytes.to_vec());
    let with = |kind: u8, text: &str| [&[kind][..], text.as_bytes()].concat();
    match target {
        "index" => vec![
            named("whole.bin", bodies::seeds_index()),
            named("core.bin", &bodies::seeds_split().core),
        ],
        "chunk" => bodies::seeds_split()
            .chunks
            .iter()
            .enumerate()
            .map(|(id, (name, bytes))| {
                let file = name.trim_start_matches("chunks/");
                // what the chunk holds: the target seals it again
                let held = &bytes[..bytes.len() - scour_format::chunks::CHECK_LEN];
                (file.to_string(), [&[id as u8][..], held].concat())
            })
            .collect(),
        "query" => [
            "qr codes",
            "Kagarlisky -police",
            "\"total control\" russia",
            "nizh\0filter\ttags\tany\tnews\nsort\tdate\tdesc\nfacets\nsub\t5",
            "tagil\0from\t2021-10\nto\t2021-12",
            "ＱＲ ﬁle Æther \"a \"b",
        ]
        .iter()
        .enumerate()
        .map(|(i, q)| (format!("q{i}.txt"), q.as_bytes().to_vec()))
        .collect(),
        "ingest" => vec![
            named("text.txt", &with(0, "A title\n\nA paragraph of text.\n")),
            named(
                "front-matter.md",
                &with(1, "---\ntitle: Notes\ntags: [a, b]\nbase: &b {x: 1}\nmore: *b\n---\n# One\n\ntext *em* `code`\n\n## Two {#two}\n\nmore\n"),
            ),
            named(
                "toml.md",
                &with(1, "+++\ntitle = \"Toml\"\ndate = 2021-01-01\n+++\nbody\n"),
            ),
            named(
                "page.html",
                &with(2, "<!doctype html><html lang=en><head><title>T</title><meta name=description content=d></head><body><main><h1 id=a>A</h1><p>one <b>two</b></p><ul><li>x<li>y</ul><script>no()</script></main></body></html>"),
            ),
            named(
                "record.json",
                &with(3, "[{\"id\": \"a\", \"title\": \"T\", \"body\": \"b\", \"tags\": [\"x\"]}]"),
            ),
            named(
                "records.jsonl",
                &with(4, "{\"id\": \"a\", \"url\": \"/a\", \"title\": \"A\", \"body\": \"one\"}\n{\"id\": 2, \"title\": \"B\", \"headings\": [\"h\"], \"body\": \"two\", \"date\": \"2021-01-01\"}\nnot json\n"),
            ),
        ],
        other => panic!("no target {other}"),
    }
}

/// The committed inputs of `target`: its seeds and its regressions.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["seeds", "regressions"] {
        let dir = Path::new(ROOT).join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out.sort();
    out
}

fn run(target: &str, body: fn(&[u8])) {
    if std::env::var_os("SCOUR_BLESS").is_some() {
        let dir = Path::new(ROOT).join("seeds").join(target);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in seeds(target) {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let inputs = inputs(target);
    assert!(
        inputs.len() >= seeds(target).len(),
        "fuzz/seeds/{target} is missing seeds: run `SCOUR_BLESS=1 cargo test --test fuzz`"
    );
    for (path, bytes) in inputs {
        // a panic names the input
        let r = std::panic::catch_unwind(|| body(&bytes));
        assert!(r.is_ok(), "{target} panicked on {}", path.display());
    }
}

#[test]
fn index() {
    run("index", bodies::index);
}

#[test]
fn chunk() {
    run("chunk", bodies::chunk);
}

#[test]
fn query() {
    run("query", bodies::query);
}

#[test]
fn ingest() {
    run("ingest", bodies::ingest);
}

#[test]
fn the_seeds_index_is_searchable() {
    // the targets start from a real index: a fuzzer that only ever saw errors would
    // test nothing
    let index = scour_query::Index::open(bodies::seeds_index()).unwrap();
    let r = index.search("qr codes", &scour_query::SearchOptions::default());
    assert!(r.total > 0);
    assert!(bodies::seeds_split().chunks.len() >= 5);
}
