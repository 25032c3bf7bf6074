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

    #[test]
    fn corrupt_index_bytes_never_panic(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8), cut in any::<usize>()) {
        let mut b = IndexBuilder::new();
        b.add(Document { id: "a".into(), title: "QR codes in Russia".into(), body: "Kagarlitsky says total control".into(), ..Default::default() });
        b.add(Document { id: "b".into(), title: "Cops hunt down".into(), body: "Nizhny Tagil police".into(), ..Default::default() });
        let mut bytes = b.finish().unwrap();
        for (at, x) in flips {
            let n = bytes.len();
            bytes[at % n] ^= x | 1;
        }
        let n = bytes.len();
        bytes.truncate(n - cut % 16);
        // Opening checks structure in O(1); searching an unverified index must still
        // not panic on anything opening accepted. A verified index is always intact.
        if let Ok(index) = Index::open(bytes) {
            if index.verify().is_ok() {
                for q in ["qr", "kagarlisky", "\"total control\"", "nizh", "-qr cops"] {
                    let _ = index.search(q, &SearchOptions::default());
                }
            }
        }
    }
}
