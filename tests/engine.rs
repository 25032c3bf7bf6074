//! The engine end to end on the sample articles: sources → index bytes → queries.
//!
//! Fixtures are named after what they are (ripgrep's `hay.rs` style): `seeds()` is the
//! index of `seeds/`, `EUROMAIDAN` and `COPS` are the two articles.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::sync::OnceLock;

use scour_index::source::{load, SourceOptions};
use scour_index::IndexBuilder;
use scour_query::{Index, SearchOptions, SearchResults};

const EUROMAIDAN: &str = "000_948effc8b4f56d3f";
const COPS: &str = "003_b66bfd7c391968e6";
const EUROMAIDAN_TITLE: &str =
    "Opposition to QR Codes in Russia far broader and more political than to vaccines, Kagarlitsky says";
const COPS_TITLE: &str =
    "Cops hunt down Russians who politely asked Putin to stop nationwide QR-tagging";

fn seeds_bytes() -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let loaded = load(&[dir], &SourceOptions::default());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut b = IndexBuilder::new();
    for d in loaded.documents {
        b.add(d);
    }
    b.finish().unwrap()
}

fn seeds() -> &'static Index<Vec<u8>> {
    static INDEX: OnceLock<Index<Vec<u8>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = Index::open(seeds_bytes()).unwrap();
        index.verify().unwrap();
        index
    })
}

fn search(q: &str) -> SearchResults {
    seeds().search(q, &SearchOptions::default())
}

fn ids(q: &str) -> Vec<String> {
    search(q).hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn each_headline_finds_its_own_article_first() {
    assert_eq!(ids(EUROMAIDAN_TITLE)[0], EUROMAIDAN);
    assert_eq!(ids(COPS_TITLE)[0], COPS);
}

#[test]
fn titles_are_the_headlines() {
    let r = search("qr");
    let mut titles: Vec<String> = r.hits.iter().map(|h| h.title.clone()).collect();
    titles.sort();
    assert_eq!(titles, [COPS_TITLE, EUROMAIDAN_TITLE]);
}

#[test]
fn name_typo_and_prefix_find_kagarlitsky() {
    for q in ["Kagarlitsky", "Kagarlisky", "Kagarl", "kagarlitksy"] {
        assert_eq!(ids(q), [EUROMAIDAN], "query {q:?}");
    }
}

#[test]
fn typo_suggests_the_indexed_word() {
    let r = search("Kagarlisky");
    assert_eq!(r.suggestion.as_deref(), Some("Kagarlitsky"));
    assert_eq!(search("Kagarlitsky").suggestion, None);
    // a word being typed is corrected to a longer word, not a shorter one
    assert_eq!(
        search("Nizhny Tagl").suggestion.as_deref(),
        Some("Nizhny Tagil")
    );
}

#[test]
fn phrase_needs_adjacent_words_in_order() {
    assert_eq!(ids("\"total control\""), [EUROMAIDAN]);
    assert!(ids("\"control total\"").is_empty());
}

#[test]
fn place_name_finds_the_cops_article_first() {
    assert_eq!(ids("Nizhny Tagil")[0], COPS);
    assert_eq!(ids("Nizhny Tagil"), [COPS]);
}

#[test]
fn stemming_meets_word_forms() {
    // "vaccinated" is in the Euromaidan article; the other article only has "vaccination"
    let hits = ids("vaccinated");
    assert_eq!(hits[0], EUROMAIDAN);
    assert!(hits.contains(&COPS.to_string()), "{hits:?}");
}

#[test]
fn exclusion_leaves_out_documents() {
    assert_eq!(ids("qr -kagarlitsky"), [COPS]);
    assert_eq!(ids("qr").len(), 2);
}

#[test]
fn an_excluded_phrase_leaves_out_only_the_pages_holding_it() {
    assert_eq!(ids("qr -\"total control\""), [COPS]);
    // the words in another order are not the phrase: nothing is left out
    assert_eq!(ids("qr -\"control total\"").len(), 2);
}

#[test]
fn hyphenated_words_match_in_every_form() {
    for q in ["QR-tagging", "qrtagging", "qr tagging", "tagging"] {
        assert_eq!(ids(q)[0], COPS, "query {q:?}");
    }
}

#[test]
fn compounds_find_every_spelling() {
    // EUROMAIDAN says "QR code" and "QR Codes", COPS "QR codes" and "QR-tagging"
    for q in [
        "qr-code",
        "\"qr code\"",
        "qrcode",
        "qrcode ",
        "qrcodes",
        "QR-codes ",
    ] {
        let mut hits = ids(q);
        hits.sort();
        assert_eq!(hits, [EUROMAIDAN, COPS], "query {q:?}");
    }
}

#[test]
fn a_phrase_marks_its_words_only_where_they_are_adjacent() {
    let r = search("\"qr code\"");
    for hit in &r.hits {
        let marked = marked(&hit.snippet);
        assert!(!marked.is_empty(), "{hit:?}");
        for pair in marked.chunks(2) {
            assert_eq!(pair[0].to_lowercase(), "qr", "{marked:?}");
            assert!(pair[1].to_lowercase().starts_with("code"), "{marked:?}");
        }
    }
}

#[test]
fn options_are_text_not_exclusions() {
    // `-kagarlitsky` excludes; `--kagarlitsky` is an option name, searched for
    assert_eq!(ids("qr -kagarlitsky"), [COPS]);
    assert_eq!(ids("qr --kagarlitsky")[0], EUROMAIDAN);
}

#[test]
fn documents_matching_all_terms_rank_first() {
    let r = search("Tagil Yekaterinburg");
    assert_eq!(r.total, 2);
    let r = search("qr Tagil");
    assert_eq!(r.hits[0].id, COPS);
}

#[test]
fn snippets_mark_the_matched_words() {
    let r = search("Nizhny Tagil");
    let s = &r.hits[0].snippet;
    let utf16: Vec<u16> = s.text.encode_utf16().collect();
    let marked: Vec<String> = s
        .highlights
        .iter()
        .map(|h| String::from_utf16(&utf16[h[0] as usize..h[1] as usize]).unwrap())
        .collect();
    assert!(
        marked.contains(&"Nizhny".to_string()) && marked.contains(&"Tagil".to_string()),
        "{s:?}"
    );
}

#[test]
fn every_keystroke_gives_results() {
    let word = "Kagarlitsky";
    for n in 1..=word.len() {
        assert!(
            !search(&word[..n]).hits.is_empty(),
            "prefix {:?}",
            &word[..n]
        );
    }
}

#[test]
fn hostile_queries_answer() {
    let long = "qr ".repeat(3400);
    for q in [
        "",
        "   ",
        "\"",
        "\"qr",
        "-",
        "--",
        "🎉",
        "\u{0}\u{7}",
        "מה נשמע",
        long.as_str(),
        "\"\"\"",
        "-\"\"",
    ] {
        let r = search(q);
        assert!(r.hits.len() <= 10);
    }
}

#[test]
fn building_is_deterministic() {
    assert_eq!(seeds_bytes(), seeds_bytes());
}

/// The words of a snippet that are highlighted.
fn marked(s: &scour_query::Snippet) -> Vec<String> {
    let utf16: Vec<u16> = s.text.encode_utf16().collect();
    s.highlights
        .iter()
        .map(|h| String::from_utf16(&utf16[h[0] as usize..h[1] as usize]).unwrap())
        .collect()
}

#[test]
fn long_pages_show_and_verify_matches_far_from_their_start() {
    let filler = "Ordinary words fill the first part of this long page. ".repeat(300);
    let body = format!("{filler}Here the rare Zanzibar-archipelago phrase appears once. {filler}");
    let mut b = IndexBuilder::new();
    b.add(scour_index::Document {
        id: "long".into(),
        title: "A long page".into(),
        body,
        ..Default::default()
    });
    b.add(scour_index::Document {
        id: "short".into(),
        title: "Archipelago rare".into(),
        body: "An archipelago that is rare, not Zanzibar.".into(),
        ..Default::default()
    });
    let index = Index::open(b.finish().unwrap()).unwrap();
    let opts = SearchOptions::default();

    // the only match is 16 KB into the page, past the first scan: its snippet shows it
    let r = index.search("zanzibar", &opts);
    let long = r
        .hits
        .iter()
        .find(|h| h.id == "long")
        .expect("long page found");
    assert!(
        marked(&long.snippet).contains(&"Zanzibar".to_string()),
        "{:?}",
        long.snippet
    );

    // a phrase is verified in the text, wherever it is
    let r = index.search("\"rare zanzibar\"", &opts);
    let found: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(found, ["long"]);
    let r = index.search("\"zanzibar rare\"", &opts);
    assert!(r.hits.is_empty(), "{:?}", r.hits);
}

#[test]
fn fullwidth_letters_and_ligatures_meet_their_plain_forms() {
    // a query typed with a CJK keyboard's fullwidth letters
    assert_eq!(ids("ＫＡＧＡＲＬＩＴＳＫＹ")[0], EUROMAIDAN);
    assert_eq!(ids("ＱＲ ｃｏｄｅｓ"), ids("qr codes"));
    // a typeset page's ligatures, found by the plain spelling and the other way round
    let mut b = IndexBuilder::new();
    b.add(scour_index::Document {
        id: "typeset".into(),
        title: "The ﬁrst ﬂight".into(),
        body: "An eﬃcient oﬃce".into(),
        ..Default::default()
    });
    let index = Index::open(b.finish().unwrap()).unwrap();
    for q in ["first flight", "efficient office", "ﬁrst", "oﬃce"] {
        let r = index.search(q, &SearchOptions::default());
        assert_eq!(r.total, 1, "{q}");
    }
    // the snippet shows the text as written and marks the ligature word
    let s = &index.search("efficient", &SearchOptions::default()).hits[0].snippet;
    let utf16: Vec<u16> = s.text.encode_utf16().collect();
    let h = s.highlights[0];
    assert_eq!(
        String::from_utf16(&utf16[h[0] as usize..h[1] as usize]).unwrap(),
        "eﬃcient"
    );
}
