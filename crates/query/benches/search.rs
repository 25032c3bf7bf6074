//! Micro-benchmarks of the query hot paths, so a regression shows before it reaches
//! the browser benchmark: term lookup (exact, prefix, typo), multi-term scoring and
//! intersection, phrases, and snippet extraction.
//!
//! `cargo bench -p scour-query` (criterion). The corpus is synthetic and
//! deterministic: 3,000 documents of Zipf-distributed words, like a docs site.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use scour_index::{Document, IndexBuilder};
use scour_query::{Index, SearchOptions};

/// A deterministic xorshift generator: the same corpus on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn corpus() -> Index<Vec<u8>> {
    let syllables = [
        "ka", "ro", "mi", "tes", "lan", "vor", "qui", "del", "sun", "bra", "to", "pen",
    ];
    let vocab: Vec<String> = (0..6000u64)
        .map(|i| {
            let mut r = Rng(i * 7919 + 1);
            let n = 2 + (r.next() % 3) as usize;
            (0..n)
                .map(|_| syllables[(r.next() % syllables.len() as u64) as usize])
                .collect()
        })
        .collect();
    let mut rng = Rng(42);
    let zipf = |rng: &mut Rng| {
        // rank ~ 1/u: common words very common, rare words rare
        let u = (rng.next() % 10_000 + 1) as f64 / 10_000.0;
        ((1.0 / u) as usize).min(vocab.len()) - 1
    };
    let mut b = IndexBuilder::new();
    for d in 0..3000 {
        let title: Vec<&str> = (0..4)
            .map(|_| vocab[zipf(&mut rng) % 500].as_str())
            .collect();
        let body: Vec<&str> = (0..400).map(|_| vocab[zipf(&mut rng)].as_str()).collect();
        b.add(Document {
            id: d.to_string(),
            url: format!("/doc/{d}/"),
            title: title.join(" "),
            body: body.join(" "),
            ..Default::default()
        });
    }
    Index::open(b.finish().unwrap()).unwrap()
}

fn bench(c: &mut Criterion) {
    let index = corpus();
    let with_snippets = SearchOptions::default();
    let ids_only = SearchOptions {
        limit: 0,
        ..SearchOptions::default()
    };
    let mut g = c.benchmark_group("search");
    for (name, q) in [
        ("exact-rare", "quisunbra "),
        ("exact-common", "kaka "),
        ("prefix-1", "k"),
        ("prefix-3", "kar"),
        ("typo-d1", "kaorlan "),
        ("typo-d2", "delsunbrato "),
        ("multi-3", "kaka roro mimi "),
        ("phrase", "\"kaka roro\""),
    ] {
        g.bench_with_input(BenchmarkId::new("scoring", name), q, |b, q| {
            b.iter(|| index.search(q, &ids_only))
        });
        g.bench_with_input(BenchmarkId::new("with-snippets", name), q, |b, q| {
            b.iter(|| index.search(q, &with_snippets))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
