//! Times the hostile inputs whose work scour bounds, for docs/BENCHMARKS.md ("Bounded
//! work"): a query on a page of 50,000 headings, a phrase on a 47 MB page, the build
//! of deeply nested HTML, and the one-time check of the dictionaries when an index is
//! opened (or a dictionary chunk given).
//!
//! ```text
//! cargo run --release -p scour-query --example bounds [-- corpus.jsonl]
//! ```
//!
//! With a JSON lines corpus (a large one: WordNet's 147,306 entries), the dictionary
//! check is timed on its index too. A benchmark, not a test: it prints numbers.

use std::time::{Duration, Instant};

use scour_index::source::{load, load_file, Loaded, SourceOptions};
use scour_index::{Document, Heading, IndexBuilder};
use scour_query::{Index, SearchOptions};

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn build(docs: impl IntoIterator<Item = Document>) -> Vec<u8> {
    let mut b = IndexBuilder::new();
    for d in docs {
        b.add(d);
    }
    b.finish().expect("the index builds")
}

/// Reads `text` as a file named `name`, the way `scour build` does.
fn read_as(name: &str, text: &str) -> (Loaded, Duration) {
    let dir = std::env::temp_dir().join(format!("scour-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a temporary file");
    let t = Instant::now();
    let mut out = Loaded::default();
    load_file(&path, &dir, &SourceOptions::default(), &mut out);
    let took = t.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    (out, took)
}

fn headings() {
    let n = 50_000;
    let mut body = String::new();
    let mut hs = Vec::with_capacity(n);
    for i in 0..n {
        hs.push(Heading {
            text: format!("Section {i} on kites"),
            anchor: Some(format!("s{i}")),
            offset: Some(body.len()),
        });
        body.push_str(&format!("Kites fly in wind number {i}. "));
    }
    let index = Index::open(build([Document {
        id: "h".into(),
        url: "/h".into(),
        title: "Headings".into(),
        headings: hs,
        body,
        ..Default::default()
    }]))
    .expect("the index opens");
    let opts = SearchOptions::default();
    let t = median(5, || {
        let r = index.search("kites wind", &opts);
        assert_eq!(r.total, 1);
    });
    println!("query on a page of 50,000 headings ........ {}", ms(t));
}

fn long_phrase() {
    // both words on every line, never adjacent: every chunk of the page is analysed,
    // and only the last line holds the phrase
    let line = "the total cost is under control\n";
    let mut body = line.repeat((47 << 20) / line.len());
    body.push_str("total control");
    let mb = body.len() as f64 / (1 << 20) as f64;
    let index = Index::open(build([
        Document {
            id: "long".into(),
            title: "A long page".into(),
            body,
            ..Default::default()
        },
        Document {
            id: "short".into(),
            title: "A short page".into(),
            body: "total kites, control wind".into(),
            ..Default::default()
        },
    ]))
    .expect("the index opens");
    let opts = SearchOptions::default();
    let t = median(5, || {
        let _ = index.search("\"total control\"", &opts);
    });
    println!("phrase on a {mb:.0} MB page .................. {}", ms(t));
}

fn nested_html() {
    for (what, open) in [("<ul><li>", "<ul><li>x"), ("<div><span>", "<div><span>x")] {
        let html = format!(
            "<html><head><title>Nested</title></head><body>{}</body></html>",
            open.repeat(50_000)
        );
        let (loaded, took) = read_as("nested.html", &html);
        assert_eq!(loaded.documents.len(), 1);
        let kb = html.len() >> 10;
        println!("read {what} x 50,000 ({kb} KB) ........ {}", ms(took));
    }
}

fn dictionary_check(corpus: Option<&str>) {
    let docs = match corpus {
        Some(path) => {
            let t = Instant::now();
            let loaded = load(&[path.into()], &SourceOptions::default());
            println!(
                "read {} documents from {path} in {:.1} s",
                loaded.documents.len(),
                t.elapsed().as_secs_f64()
            );
            loaded.documents
        }
        None => (0..20_000)
            .map(|i| Document {
                id: format!("d{i}"),
                title: format!("w{i} x{} y{}", i * 7, i * 13),
                body: format!("z{} q{i}r t{}", i * 31, i % 977),
                ..Default::default()
            })
            .collect(),
    };
    let bytes = build(docs);
    let container = scour_format::Container::open(&bytes[..]).expect("the index opens");
    let section = |k| container.section(k).unwrap_or(&[]);
    let terms = section(scour_format::SectionKind::Terms);
    let stems = section(scour_format::SectionKind::Stems);
    let check = median(5, || {
        let max = u64::from(u32::MAX);
        scour_format::fst_check::check(terms, max).expect("terms pass");
        scour_format::fst_check::check(stems, max).expect("stems pass");
    });
    let open = median(5, || {
        let _ = Index::open(&bytes[..]).expect("the index opens");
    });
    let index = Index::open(&bytes[..]).expect("the index opens");
    println!(
        "dictionary check: {} terms, fst {} KB + stems {} KB: {} (Index::open in all: {})",
        index.term_count(),
        terms.len() >> 10,
        stems.len() >> 10,
        ms(check),
        ms(open)
    );
    let plan = scour_format::chunks::Plan::for_docs(index.doc_count());
    let split = scour_format::chunks::split(&bytes, plan).expect("the index splits");
    let mut lazy = Index::open(split.core.clone()).expect("the core opens");
    let mut given = Duration::ZERO;
    let mut dict_chunks = 0;
    for id in 0..lazy.chunk_count() {
        let name = lazy.chunk_name(id).expect("a chunk name");
        if !(name.starts_with('t') || name.starts_with('s')) {
            continue;
        }
        let bytes = split.chunks[id as usize].1.clone();
        let t = Instant::now();
        lazy.add_chunk(id, bytes).expect("the chunk is accepted");
        given += t.elapsed();
        dict_chunks += 1;
    }
    println!(
        "every dictionary chunk given ({dict_chunks}, CRC and check): {} in all",
        ms(given)
    );
}

fn main() {
    let corpus = std::env::args().nth(1);
    headings();
    long_phrase();
    nested_html();
    dictionary_check(corpus.as_deref());
}
