//! The frozen golden index of `seeds/`: a change to the byte layout (or to what the
//! analyser produces) must update `tests/golden/seeds.idx` on purpose, with
//! `SCOUR_BLESS=1 cargo test --test golden`, and bump `scour_format::VERSION` when
//! old indexes no longer read the same.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use scour_index::source::{load, SourceOptions};
use scour_index::IndexBuilder;
use scour_query::{Index, SearchOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_seeds() -> Vec<u8> {
    let loaded = load(&[root().join("seeds")], &SourceOptions::default());
    let mut b = IndexBuilder::new();
    for d in loaded.documents {
        b.add(d);
    }
    b.finish().unwrap()
}

#[test]
fn seeds_index_matches_the_golden_file() {
    let golden = root().join("tests/golden/seeds.idx");
    let built = build_seeds();
    if std::env::var_os("SCOUR_BLESS").is_some() {
        std::fs::write(&golden, &built).unwrap();
    }
    let frozen = std::fs::read(&golden)
        .expect("tests/golden/seeds.idx is missing: run SCOUR_BLESS=1 cargo test --test golden");
    assert!(
        built == frozen,
        "the seeds index changed ({} bytes, golden {} bytes): if the format or analysis changed on purpose, \
         run SCOUR_BLESS=1 cargo test --test golden and commit tests/golden/seeds.idx",
        built.len(),
        frozen.len()
    );
}

#[test]
fn golden_index_opens_verifies_and_answers() {
    let bytes = std::fs::read(root().join("tests/golden/seeds.idx")).unwrap();
    let index = Index::open(bytes).unwrap();
    index.verify().unwrap();
    assert_eq!(index.doc_count(), 2);
    let r = index.search("Kagarlitsky", &SearchOptions::default());
    assert_eq!(r.hits[0].id, "000_948effc8b4f56d3f");
}

#[test]
fn wrong_version_and_truncation_are_explained() {
    let mut bytes = std::fs::read(root().join("tests/golden/seeds.idx")).unwrap();
    let n = bytes.len();
    let e = Index::open(&bytes[..n / 2]).err().unwrap().to_string();
    assert!(e.contains("truncated"), "{e}");
    bytes[8] = 99;
    let e = Index::open(&bytes[..]).err().unwrap().to_string();
    assert!(e.contains("version 99") && e.contains("rebuild"), "{e}");
    bytes[8] = scour_format::VERSION as u8;
    bytes[n / 2] ^= 0xFF;
    // a damaged dictionary is refused on open (its nodes are checked), any other
    // section by the checksum
    let e = match Index::open(&bytes[..]) {
        Ok(index) => index.verify().err().unwrap().to_string(),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("corrupted") && e.contains("build it again"),
        "{e}"
    );
}
