//! The bodies of the fuzz targets: each takes arbitrary bytes and must return without
//! a panic, a stall or an unbounded allocation, whatever the bytes.
//!
//! `cargo xtask fuzz` runs them under libFuzzer (nightly); `tests/fuzz.rs` includes
//! this file and runs them on stable over the committed seeds (`fuzz/seeds/<target>`)
//! and every input a fuzzer ever crashed on (`fuzz/regressions/<target>`), so they
//! cannot rot and no fixed crash comes back.

use std::sync::OnceLock;

use scour_format::chunks::{split, Plan, Split};
use scour_index::source::{load_file, Loaded, SourceOptions};
use scour_index::{Document, Heading, IndexBuilder};
use scour_query::{Index, Lookup, SearchOptions};

/// Queries run on every index: exact words, prefixes, typos (every dictionary piece),
/// stems, phrases, exclusions, a sort and filters through the options.
pub const QUERIES: [&str; 9] = [
    "qr codes",
    "kagarlisky",
    "\"total control\"",
    "nizh",
    "-qr cops",
    "controlled russians",
    "xyzzyq",
    "t",
    "police tagil",
];

/// The index every target starts from: the two seed articles with headings, metadata
/// and filters, and enough other words for every kind of dictionary node.
pub fn seeds_index() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let seeds = [
            include_str!("../../seeds/000_948effc8b4f56d3f.txt"),
            include_str!("../../seeds/003_b66bfd7c391968e6.txt"),
        ];
        let mut b = IndexBuilder::new();
        for (i, text) in seeds.iter().enumerate() {
            let (title, body) = text.split_once('\n').unwrap_or((text, ""));
            // a heading every few paragraphs, with an anchor and an offset
            let headings = body
                .match_indices("\n\n")
                .step_by(3)
                .enumerate()
                .map(|(h, (at, _))| Heading {
                    text: body[at..]
                        .split_whitespace()
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(" "),
                    anchor: Some(format!("s{h}")),
                    offset: Some(at),
                })
                .collect();
            let mut d = Document {
                id: format!("seed{i}"),
                url: format!("/seed{i}"),
                title: title.to_string(),
                headings,
                body: body.to_string(),
                ..Default::default()
            };
            d.meta.insert("date".into(), format!("2021-1{i}-0{i}"));
            d.filters
                .insert("tags".into(), vec![format!("t{i}"), "news".into()]);
            b.add(d);
        }
        for i in 0..40u32 {
            let w: String = (0..3 + i % 5)
                .map(|j| char::from(b'a' + ((i * 7 + j * 3) % 26) as u8))
                .collect();
            let c = char::from(b'a' + (i % 26) as u8);
            b.add(Document {
                id: format!("w{i}"),
                url: format!("/w{i}"),
                title: format!("{w} {c}{w}"),
                body: format!("t{i} {c}x{i} total control {w}s"),
                ..Default::default()
            });
        }
        b.finish().expect("the seeds index builds")
    })
}

/// The seeds index cut into a lazy core and small chunks of every kind.
pub fn seeds_split() -> &'static Split {
    static SPLIT: OnceLock<Split> = OnceLock::new();
    SPLIT.get_or_init(|| {
        let plan = Plan {
            max_files: 40,
            target: 1 << 10,
            max_chunks: 2048,
        };
        split(seeds_index(), plan).expect("the seeds index splits")
    })
}

/// Runs every query on `index`, giving a lazy one the chunks it asks for (from
/// `chunks`, by id) for a few rounds, and reads what an index shows.
fn search_all<B: AsRef<[u8]>>(index: &mut Index<B>, chunks: &[Vec<u8>]) {
    let options = SearchOptions::from_spec("filter\ttags\tany\tnews\nfacets", 10);
    for q in QUERIES {
        for _ in 0..4 {
            match index.try_search(q, &SearchOptions::default()) {
                Lookup::Done(r) => {
                    let _ = r.to_json();
                    break;
                }
                Lookup::Need(ids) => {
                    for id in ids {
                        let Some(bytes) = chunks.get(id as usize) else {
                            continue;
                        };
                        let _ = index.add_chunk(id, bytes.clone());
                    }
                }
            }
        }
        let _ = index.search(q, &options);
    }
    let _ = index.terms();
    for doc in 0..index.doc_count().min(64) {
        let _ = index.document(doc as u32);
    }
}

/// `index`: arbitrary bytes opened as an index (whole, or a lazy core given the seeds'
/// chunks), unverified as a browser opens it, and searched.
pub fn index(data: &[u8]) {
    let Ok(mut index) = Index::open(data) else {
        return;
    };
    let _ = index.verify();
    let chunks: Vec<Vec<u8>> = seeds_split().chunks.iter().map(|c| c.1.clone()).collect();
    search_all(&mut index, &chunks);
}

/// `chunk`: the first byte picks a chunk of the seeds' lazy index, the rest replaces
/// what it holds; it is sealed (as a tampered deploy would), then every query runs.
/// The same bytes are also given unsealed as a whole fallback file (the first byte
/// picks it, or none), as a host might serve one.
pub fn chunk(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let split = seeds_split();
    let mut index = Index::open(&split.core[..]).expect("the seeds core opens");
    if index.add_chunks(u32::from(which) % 8, bytes).is_ok() {
        let _ = index.try_search("release notes", &SearchOptions::default());
    }
    let id = usize::from(which) % split.chunks.len();
    let mut sealed = bytes.to_vec();
    scour_format::chunks::seal(id as u32, &mut sealed);
    let mut chunks: Vec<Vec<u8>> = split.chunks.iter().map(|c| c.1.clone()).collect();
    chunks[id] = sealed;
    let Ok(mut index) = Index::open(&split.core[..]) else {
        return;
    };
    // every chunk at once: each query then runs one round, and inputs run faster
    for (id, bytes) in chunks.iter().enumerate() {
        let _ = index.add_chunk(id as u32, bytes.clone());
    }
    search_all(&mut index, &chunks);
}

/// `query`: the bytes up to the first NUL are a query, the rest the options' text form
/// (`SearchOptions::from_spec`); run on the seeds index, whole and lazy.
pub fn query(data: &[u8]) {
    let (q, spec) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let q = String::from_utf8_lossy(q);
    let options = SearchOptions::from_spec(&String::from_utf8_lossy(spec), 10);
    let whole = Index::open(seeds_index()).expect("the seeds index opens");
    let _ = whole.search(&q, &options).to_json();
    let split = seeds_split();
    let mut lazy = Index::open(&split.core[..]).expect("the seeds core opens");
    for _ in 0..4 {
        match lazy.try_search(&q, &options) {
            Lookup::Done(_) => break,
            Lookup::Need(ids) => {
                for id in ids {
                    if let Some((_, bytes)) = split.chunks.get(id as usize) {
                        let _ = lazy.add_chunk(id, bytes.clone());
                    }
                }
            }
        }
    }
}

/// `ingest`: the first byte picks a source kind, the rest is a file of that kind read
/// as `scour build` reads it; whatever documents it gives are indexed and searched.
pub fn ingest(data: &[u8]) {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let ext = ["txt", "md", "html", "json", "jsonl"][usize::from(kind) % 5];
    let loaded = read_as(ext, bytes);
    let mut b = IndexBuilder::new();
    for d in loaded.documents {
        b.add(d);
    }
    let Ok(bytes) = b.finish() else {
        return;
    };
    let index = Index::open(bytes).expect("a built index opens");
    for q in ["a", "the", "\"a b\""] {
        let _ = index.search(q, &SearchOptions::default());
    }
}

/// Reads `bytes` as a file with extension `ext`, through a file of its own in the
/// temporary folder (the readers take paths, as `scour build` gives them).
pub fn read_as(ext: &str, bytes: &[u8]) -> Loaded {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "scour-fuzz-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
    let path = dir.join(format!("input.{ext}"));
    std::fs::write(&path, bytes).expect("the temporary folder is writable");
    let mut out = Loaded::default();
    load_file(&path, &dir, &SourceOptions::default(), &mut out);
    let _ = std::fs::remove_dir_all(&dir);
    out
}
