//! Results that do more: filters (any / all / none), facet counts, sorting by
//! metadata, date ranges, sections as sub-results, and stemming per page language.

use std::collections::BTreeMap;

use scour_index::{Document, Heading, IndexBuilder};
use scour_query::{Filter, FilterMode, Index, SearchOptions, Sort};

fn post(id: &str, date: &str, tags: &[&str], lang: &str, title: &str, body: &str) -> Document {
    let mut filters = BTreeMap::new();
    filters.insert(
        "tags".to_string(),
        tags.iter().map(|t| t.to_string()).collect(),
    );
    filters.insert("lang".to_string(), vec![lang.to_string()]);
    let mut meta = BTreeMap::new();
    meta.insert("date".to_string(), date.to_string());
    Document {
        id: id.into(),
        url: format!("/{id}/"),
        title: title.into(),
        body: body.into(),
        meta,
        filters,
        lang: Some(lang.into()),
        ..Default::default()
    }
}

/// A small news archive: four English posts and a German and a French one.
fn archive() -> Index<Vec<u8>> {
    let mut b = IndexBuilder::new();
    b.add(post(
        "a",
        "2021-11-02",
        &["rust", "wasm"],
        "en",
        "Search in the browser",
        "Offline search with wasm.",
    ));
    b.add(post(
        "b",
        "2021-12-24",
        &["rust"],
        "en",
        "Holiday release",
        "A release of the search engine.",
    ));
    b.add(post(
        "c",
        "2022-01-15",
        &["wasm"],
        "en",
        "Tiny modules",
        "Search modules that are tiny.",
    ));
    b.add(post(
        "d",
        "2020-05-01",
        &[],
        "en",
        "Old news",
        "Nothing about it.",
    ));
    b.add(post(
        "e",
        "2022-02-01",
        &["rust"],
        "de",
        "Häuser und Suchmaschinen",
        "Wir bauen Häuser für die Suche.",
    ));
    b.add(post(
        "f",
        "2022-03-01",
        &["wasm"],
        "fr",
        "Les moteurs",
        "Des recherches nationales et un moteur national.",
    ));
    Index::open(b.finish().unwrap()).unwrap()
}

fn ids(index: &Index<Vec<u8>>, q: &str, o: &SearchOptions) -> Vec<String> {
    index.search(q, o).hits.into_iter().map(|h| h.id).collect()
}

fn filter(key: &str, values: &[&str], mode: FilterMode) -> Filter {
    Filter {
        key: key.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
        mode,
    }
}

#[test]
fn filters_any_all_none() {
    let ix = archive();
    let any = SearchOptions {
        filters: vec![filter("tags", &["wasm"], FilterMode::Any)],
        ..Default::default()
    };
    assert_eq!(ids(&ix, "search ", &any), ["a", "c"]);
    let all = SearchOptions {
        filters: vec![filter("tags", &["rust", "wasm"], FilterMode::All)],
        ..Default::default()
    };
    assert_eq!(ids(&ix, "search ", &all), ["a"]);
    let none = SearchOptions {
        filters: vec![filter("tags", &["wasm"], FilterMode::None)],
        ..Default::default()
    };
    assert_eq!(ids(&ix, "search ", &none), ["b"]);
    let unknown = SearchOptions {
        filters: vec![filter("tags", &["cobol"], FilterMode::Any)],
        ..Default::default()
    };
    assert!(ids(&ix, "search ", &unknown).is_empty());
}

#[test]
fn facet_counts_follow_the_query_and_filters() {
    let ix = archive();
    let r = ix.search(
        "search ",
        &SearchOptions {
            facets: true,
            ..Default::default()
        },
    );
    let tags = r.facets.iter().find(|f| f.key == "tags").unwrap();
    assert_eq!(
        tags.values,
        [("rust".to_string(), 2), ("wasm".to_string(), 2)]
    );
    let r = ix.search(
        "search ",
        &SearchOptions {
            facets: true,
            filters: vec![filter("tags", &["rust"], FilterMode::Any)],
            ..Default::default()
        },
    );
    let tags = r.facets.iter().find(|f| f.key == "tags").unwrap();
    assert_eq!(
        tags.values,
        [("rust".to_string(), 2), ("wasm".to_string(), 1)]
    );
}

#[test]
fn sort_by_date_newest_first_and_browse_without_words() {
    let ix = archive();
    let newest = SearchOptions {
        sort: Some(Sort {
            key: "date".into(),
            descending: true,
        }),
        ..Default::default()
    };
    assert_eq!(ids(&ix, "search ", &newest), ["c", "b", "a"]);
    let oldest = SearchOptions {
        sort: Some(Sort {
            key: "date".into(),
            descending: false,
        }),
        ..Default::default()
    };
    assert_eq!(ids(&ix, "", &oldest), ["d", "a", "b", "c", "e", "f"]);
}

#[test]
fn date_ranges_include_whole_months() {
    let ix = archive();
    let nov_dec = SearchOptions {
        date_from: Some("2021-11".into()),
        date_to: Some("2021-12".into()),
        ..Default::default()
    };
    assert_eq!(ids(&ix, "search ", &nov_dec), ["a", "b"]);
    let r = ix.search(
        "",
        &SearchOptions {
            date_from: Some("2022".into()),
            ..Default::default()
        },
    );
    assert_eq!(r.total, 3);
}

#[test]
fn hits_carry_metadata() {
    let ix = archive();
    let r = ix.search("holiday", &SearchOptions::default());
    assert_eq!(
        r.hits[0].meta,
        [("date".to_string(), "2021-12-24".to_string())]
    );
}

#[test]
fn each_language_stems_its_own_words() {
    let ix = archive();
    // "hauser" finds the German page by its folded form; French plural and singular
    // meet through the French stemmer, which the engine itself does not carry.
    assert_eq!(ids(&ix, "hauser", &SearchOptions::default()), ["e"]);
    assert_eq!(ids(&ix, "nationales ", &SearchOptions::default()), ["f"]);
    let r = ix.search("national ", &SearchOptions::default());
    let marked: Vec<String> = r.hits[0]
        .snippet
        .highlights
        .iter()
        .map(|h| {
            let utf16: Vec<u16> = r.hits[0].snippet.text.encode_utf16().collect();
            String::from_utf16(&utf16[h[0] as usize..h[1] as usize]).unwrap()
        })
        .collect();
    assert_eq!(marked, ["nationales", "national"]);
}

#[test]
fn spec_lines_from_javascript_become_options() {
    let o = SearchOptions::from_spec(
        "filter\ttags\tnone\twasm\tcobol\nsort\tdate\tasc\nfrom\t2021\nto\t2022-01\nfacets\nsub\t2\nbogus",
        7,
    );
    assert_eq!(o.limit, 7);
    assert_eq!(
        o.filters,
        [filter("tags", &["wasm", "cobol"], FilterMode::None)]
    );
    assert_eq!(
        o.sort,
        Some(Sort {
            key: "date".into(),
            descending: false
        })
    );
    assert_eq!(
        (o.date_from.as_deref(), o.date_to.as_deref()),
        (Some("2021"), Some("2022-01"))
    );
    assert!(o.facets);
    assert_eq!(o.subresults, 2);
}

#[test]
fn sections_with_anchors_become_sub_results() {
    let body = "Intro text about the tool.\nRequirements: a computer and patience.\nDownload it with curl and run the installer.";
    let req = body.find("Requirements").unwrap();
    let dl = body.find("Download").unwrap();
    let mut b = IndexBuilder::new();
    b.add(Document {
        id: "install".into(),
        url: "/guide/install/".into(),
        title: "Installation".into(),
        headings: vec![
            Heading {
                text: "Requirements".into(),
                anchor: Some("requirements".into()),
                offset: Some(req),
            },
            Heading {
                text: "Download".into(),
                anchor: Some("download".into()),
                offset: Some(dl),
            },
        ],
        body: body.into(),
        ..Default::default()
    });
    let ix = Index::open(b.finish().unwrap()).unwrap();
    let r = ix.search("curl installer", &SearchOptions::default());
    let subs = &r.hits[0].headings;
    assert_eq!(subs.len(), 1, "{subs:?}");
    assert_eq!(subs[0].title, "Download");
    assert_eq!(subs[0].url, "/guide/install/#download");
    assert!(
        subs[0].snippet.text.contains("curl"),
        "{:?}",
        subs[0].snippet
    );
    let r = ix.search("patience", &SearchOptions::default());
    assert_eq!(r.hits[0].headings[0].url, "/guide/install/#requirements");
    let r = ix.search(
        "patience",
        &SearchOptions {
            subresults: 0,
            ..Default::default()
        },
    );
    assert!(r.hits[0].headings.is_empty());
}
