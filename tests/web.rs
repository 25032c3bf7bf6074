//! The engine in a real browser: the wasm built with the seeds' index embedded
//! (`build.rs`), driven through the same `Engine` API `scour.js` uses.
//!
//! Run with `wasm-pack test --headless --chrome` (part of `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use scour::Engine;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EUROMAIDAN: &str = "000_948effc8b4f56d3f";
const COPS: &str = "003_b66bfd7c391968e6";

fn engine() -> Engine {
    Engine::open_embedded().unwrap_or_else(|_| panic!("the seeds index is embedded"))
}

/// The query's results as the JS object `scour.js` hands to pages.
fn results(q: &str) -> JsValue {
    JSON::parse(&engine().search_json(q, 10)).expect("searchJson returns JSON")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn ids(q: &str) -> Vec<String> {
    let hits: Array = get(&results(q), "hits").into();
    hits.iter()
        .map(|h| get(&h, "id").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn opens_the_embedded_index() {
    let e = engine();
    assert_eq!(e.documents(), 2);
    e.verify()
        .unwrap_or_else(|_| panic!("the embedded index verifies"));
}

#[wasm_bindgen_test]
fn headlines_find_their_articles_first() {
    assert_eq!(
        ids("Opposition to QR Codes in Russia far broader and more political than to vaccines, Kagarlitsky says")[0],
        EUROMAIDAN
    );
    assert_eq!(
        ids("Cops hunt down Russians who politely asked Putin to stop nationwide QR-tagging")[0],
        COPS
    );
}

#[wasm_bindgen_test]
fn seed_queries_find_the_right_articles() {
    assert_eq!(ids("Kagarlitsky"), [EUROMAIDAN]);
    assert_eq!(ids("Kagarlisky"), [EUROMAIDAN]);
    assert_eq!(ids("Kagarl"), [EUROMAIDAN]);
    assert_eq!(ids("\"total control\""), [EUROMAIDAN]);
    assert_eq!(ids("Nizhny Tagil"), [COPS]);
    assert_eq!(ids("vaccinated")[0], EUROMAIDAN);
    assert_eq!(ids("qr -kagarlitsky"), [COPS]);
}

#[wasm_bindgen_test]
fn results_carry_snippets_totals_and_suggestions() {
    let r = results("Kagarlisky");
    assert_eq!(get(&r, "total").as_f64(), Some(1.0));
    assert_eq!(
        get(&r, "suggestion").as_string().as_deref(),
        Some("Kagarlitsky")
    );
    let hits: Array = get(&r, "hits").into();
    let snippet = get(&hits.get(0), "snippet");
    let text = get(&snippet, "text").as_string().unwrap();
    let first: Array = Array::from(&get(&snippet, "highlights")).get(0).into();
    let (s, e) = (
        first.get(0).as_f64().unwrap() as u32,
        first.get(1).as_f64().unwrap() as u32,
    );
    // highlights are UTF-16 offsets: slice the JS string with them
    let marked = js_sys::JsString::from(text).slice(s, e);
    assert_eq!(String::from(marked), "Kagarlitsky");
    assert!(get(&results("Kagarlitsky"), "suggestion").is_null());
}

#[wasm_bindgen_test]
fn any_query_answers() {
    let e = engine();
    let long = "qr ".repeat(4000);
    for q in [
        "",
        " ",
        "\"",
        "-",
        "🎉",
        "\u{0}",
        "مرحبا",
        long.as_str(),
        "\"total",
        "--qr",
    ] {
        let r = JSON::parse(&e.search_json(q, 10)).unwrap();
        assert!(get(&r, "total").as_f64().is_some());
    }
}

/// Damaged index bytes never trap the engine (in wasm a panic is `RuntimeError:
/// unreachable`), opened unverified as `load()` opens them: every third byte of the
/// golden index's dictionaries flipped in turn, and a sample of the other bytes (the
/// native property tests mutate many more; wasm in debug mode is slower).
#[wasm_bindgen_test]
fn damaged_indexes_never_trap() {
    let golden: &[u8] = include_bytes!("golden/seeds.idx");
    let u32_at = |at: usize| u32::from_le_bytes(golden[at..at + 4].try_into().unwrap()) as usize;
    let mut places: Vec<usize> = (0..golden.len()).step_by(61).collect();
    for i in 0..u32_at(16) {
        let entry = 20 + 12 * i;
        // the terms (2) and stems (5) sections: fst bytes
        if matches!(u32_at(entry), 2 | 5) {
            let (offset, len) = (u32_at(entry + 4), u32_at(entry + 8));
            places.extend((offset..offset + len).step_by(3));
        }
    }
    let mut opened = 0;
    for at in places {
        let mut bytes = golden.to_vec();
        bytes[at] ^= 0x5a;
        if let Ok(index) = scour_query::Index::open(bytes) {
            opened += 1;
            for q in ["kagarlisky", "qr cod"] {
                let _ = index.search(q, &scour_query::SearchOptions::default());
            }
        }
    }
    // most flips outside the dictionaries' structure still open: they were searched
    assert!(opened > 50, "{opened}");
}
