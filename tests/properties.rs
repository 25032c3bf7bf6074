//! Property tests: analysis is idempotent, and every indexed term is found by its own
//! text; index bytes survive any corruption without a panic.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use proptest::prelude::*;
use scour_index::{Document, IndexBuilder};
use scour_query::{Index, SearchOptions};
use scour_text::{normalize, Analyzer};

/// Words as people write them: letters with and without accents, digits, hyphens,
/// underscores, apostrophes, camelCase.
fn word() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9àéöüßÆøłЁёйΣ]{1,9}([-_.'’:][a-zA-Z0-9éй]{1,6})?")
        .unwrap()
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 0..30).prop_map(|ws| ws.join(" "))
}

proptest! {
    #[test]
    fn normalize_is_idempotent(s in any::<String>()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn analysing_a_term_gives_the_term(t in text()) {
        let a = Analyzer::english();
        for tok in a.tokens(&t) {
            let again: Vec<String> = a.tokens(&tok.term).into_iter().map(|t| t.term).collect();
            prop_assert_eq!(again, vec![tok.term.clone()], "from {:?}", t);
        }
    }

    #[test]
    fn analysis_never_panics(s in any::<String>()) {
        let a = Analyzer::english();
        for t in a.tokens(&s) {
            prop_assert!(t.start < t.end && t.end <= s.len());
            let _ = a.stem(&t.term);
        }
    }

}

proptest! {
    // Each case builds an index and searches every term of it: fewer cases keep the
    // debug-mode test run short.
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn every_indexed_term_is_found(docs in proptest::collection::vec((text(), text()), 1..6)) {
        let a = Analyzer::english();
        let mut b = IndexBuilder::new();
        for (i, (title, body)) in docs.iter().enumerate() {
            b.add(Document { id: i.to_string(), url: format!("/{i}"), title: title.clone(), body: body.clone(), ..Default::default() });
        }
        let Ok(bytes) = b.finish() else { return Ok(()) };
        let index = Index::open(bytes).unwrap();
        let opts = SearchOptions { limit: 1000, ..SearchOptions::default() };
        for term in index.terms() {
            let expected: BTreeSet<String> = docs.iter().enumerate()
                .filter(|(_, (t, body))| a.tokens(t).iter().chain(a.tokens(body).iter()).any(|tok| tok.term == term))
                .map(|(i, _)| i.to_string())
                .collect();
            // a trailing space: the word is complete, not a prefix
            let r = index.search(&format!("{term} "), &opts);
            let found: BTreeSet<String> = r.hits.into_iter().map(|h| h.id).collect();
            prop_assert!(expected.is_subset(&found), "term {:?}: expected {:?} in {:?}", term, expected, found);
        }
    }

    /// Unverified, as a browser opens an index by default; `fix_crc` recomputes the
    /// checksum as a tampered index would carry it, so verifying would not help.
    #[test]
    fn corrupt_index_bytes_never_panic(
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
        fix_crc in any::<bool>(),
    ) {
        let mut bytes = small_index().clone();
        for (at, x) in flips {
            let n = bytes.len();
            bytes[at % n] ^= x | 1;
        }
        let n = bytes.len();
        bytes.truncate(n - cut % 16);
        if fix_crc {
            let n = bytes.len();
            let crc = scour_format::crc32(&bytes[..n - 4]);
            bytes[n - 4..].copy_from_slice(&crc.to_le_bytes());
        }
        if let Ok(index) = Index::open(bytes) {
            for q in QUERIES {
                let _ = index.search(q, &SearchOptions::default());
            }
            let _ = index.terms();
        }
    }

    /// A lazy index's chunks altered, each sealed again to pass its check (a tampered
    /// deploy): given unverified, then searched.
    #[test]
    fn corrupt_chunks_never_panic(
        flips in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..8),
    ) {
        let split = small_split();
        let core = split.core.clone();
        let mut chunks: Vec<Vec<u8>> = split.chunks.iter().map(|(_, c)| c.clone()).collect();
        for (which, at, x) in flips {
            let c = &mut chunks[which % split.chunks.len()];
            let n = c.len() - scour_format::chunks::CHECK_LEN;
            c[at % n] ^= x | 1;
        }
        for (id, c) in chunks.iter_mut().enumerate() {
            c.truncate(c.len() - scour_format::chunks::CHECK_LEN);
            scour_format::chunks::seal(id as u32, c);
        }
        let mut index = Index::open(core).unwrap();
        for (id, c) in chunks.into_iter().enumerate() {
            let _ = index.add_chunk(id as u32, c);
        }
        for q in QUERIES {
            let _ = index.try_search(q, &SearchOptions::default());
        }
        let _ = index.terms();
    }
}

/// Queries that walk every part of the engine: exact words, prefixes, typos (every
/// dictionary piece), stems, phrases, exclusions.
const QUERIES: [&str; 8] = [
    "qr",
    "kagarlisky",
    "\"total control\"",
    "nizh",
    "-qr cops",
    "controlled russians",
    "xyzzyq",
    "t",
];

/// Enough words for fst nodes of every kind (more than 32 transitions from a node
/// included), several chunks of each kind once split.
fn small_index() -> &'static Vec<u8> {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let mut b = IndexBuilder::new();
        b.add(Document {
            id: "a".into(),
            title: "QR codes in Russia".into(),
            body: "Kagarlitsky says total control".into(),
            ..Default::default()
        });
        b.add(Document {
            id: "b".into(),
            title: "Cops hunt down".into(),
            body: "Nizhny Tagil police controlled".into(),
            ..Default::default()
        });
        for i in 0..40u32 {
            let w: String = (0..3 + i % 5)
                .map(|j| char::from(b'a' + ((i * 7 + j * 3) % 26) as u8))
                .collect();
            let c = char::from(b'a' + (i % 26) as u8);
            b.add(Document {
                id: format!("w{i}"),
                title: format!("{w} {c}{w}"),
                body: format!("t{i} {c}x{i} total {w}s"),
                ..Default::default()
            });
        }
        b.finish().unwrap()
    })
}

fn small_split() -> &'static scour_format::chunks::Split {
    static SPLIT: std::sync::OnceLock<scour_format::chunks::Split> = std::sync::OnceLock::new();
    SPLIT.get_or_init(|| {
        let plan = scour_format::chunks::Plan {
            max_files: 40,
            target: 256,
            max_chunks: 2048,
        };
        scour_format::chunks::split(small_index(), plan).unwrap()
    })
}
