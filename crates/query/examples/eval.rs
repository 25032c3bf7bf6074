//! Relevance and latency of the native engine on a corpus and its query sets, to
//! profile ranking changes before they reach the browser benchmark.
//!
//! ```text
//! cargo run --release -p scour-query --example eval -- <corpus.jsonl> <queries dir>
//! ```
//! The queries dir holds the benchmark's query sets (`known.json`, `known_typo.json`:
//! `[{q, expect}]`; `words.json`, `typo.json`, `multi.json`: `[{q}]`).

use std::path::PathBuf;
use std::time::Instant;

use scour_index::source::{load, SourceOptions};
use scour_index::IndexBuilder;
use scour_query::{Index, SearchOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (corpus, queries) = match args.as_slice() {
        [c, q, ..] => (PathBuf::from(c), PathBuf::from(q)),
        _ => {
            eprintln!("usage: eval <corpus.jsonl> <queries dir> [--show]");
            std::process::exit(2);
        }
    };
    let show = args.iter().any(|a| a == "--show");
    let t = Instant::now();
    let loaded = load(&[corpus], &SourceOptions::default());
    let mut b = IndexBuilder::new();
    for d in loaded.documents {
        b.add(d);
    }
    let index = Index::open(b.finish().unwrap()).unwrap();
    println!(
        "built {} docs in {:.2} s",
        index.doc_count(),
        t.elapsed().as_secs_f64()
    );
    let opts = SearchOptions::default();
    // EVAL_SETS=words,typo limits the sets; EVAL_REPEAT=n runs each n times (profiling)
    let sets =
        std::env::var("EVAL_SETS").unwrap_or_else(|_| "known,known_typo,words,typo,multi".into());
    let repeat: usize = std::env::var("EVAL_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    for set in sets.split(',') {
        let path = queries.join(format!("{set}.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let qs: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let (mut rr, mut zero, mut times) = (0.0, 0, Vec::new());
        for q in &qs {
            let query = q["q"].as_str().unwrap_or("");
            let t = Instant::now();
            let mut r = index.search(query, &opts);
            for _ in 1..repeat {
                r = index.search(query, &opts);
            }
            times.push(t.elapsed().as_micros() as u64 / repeat as u64);
            if r.hits.is_empty() {
                zero += 1;
            }
            if let Some(expect) = q["expect"].as_str() {
                let rank = r.hits.iter().position(|h| h.id == expect);
                if let Some(p) = rank {
                    rr += 1.0 / (p + 1) as f64;
                }
                if show && rank != Some(0) {
                    let got: Vec<&str> = r.hits.iter().take(3).map(|h| h.id.as_str()).collect();
                    println!("  {set}: {query:?} expected {expect} at {rank:?}, got {got:?}");
                }
            }
        }
        times.sort_unstable();
        let p = |f: f64| {
            times[((times.len() as f64 * f).ceil() as usize)
                .saturating_sub(1)
                .min(times.len() - 1)]
        };
        println!(
            "{set:<11} n={:<4} MRR@10={:.3} zero={:>3}  p50={}µs p95={}µs max={}µs",
            qs.len(),
            rr / qs.len() as f64,
            zero,
            p(0.5),
            p(0.95),
            times[times.len() - 1]
        );
    }
}
