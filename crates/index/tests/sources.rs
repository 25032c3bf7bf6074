//! Integration tests of `scour_index::source`: named fixtures under the repository's
//! `tests/fixtures/` and the sample articles in `seeds/`.

use std::path::{Path, PathBuf};

use scour_index::source::{load, Loaded, Severity, SourceOptions};
use scour_index::Document;

/// A path under the repository root.
fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn fixture(path: &str) -> PathBuf {
    repo("tests/fixtures").join(path)
}

fn load_one(path: PathBuf) -> Loaded {
    load(&[path], &SourceOptions::default())
}

fn doc<'a>(loaded: &'a Loaded, id: &str) -> &'a Document {
    loaded
        .documents
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| {
            panic!(
                "no document `{id}` in {:?}",
                loaded.documents.iter().map(|d| &d.id).collect::<Vec<_>>()
            )
        })
}

mod seeds {
    use super::*;

    #[test]
    fn titles_skip_the_sites_boilerplate() {
        let loaded = load_one(repo("seeds"));
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let first = doc(&loaded, "000_948effc8b4f56d3f");
        assert_eq!(
            first.title,
            "Opposition to QR Codes in Russia far broader and more political than to vaccines, Kagarlitsky says"
        );
        let second = doc(&loaded, "003_b66bfd7c391968e6");
        assert_eq!(
            second.title,
            "Cops hunt down Russians who politely asked Putin to stop nationwide QR-tagging"
        );
    }

    #[test]
    fn body_drops_leading_boilerplate_and_title_repeats() {
        let loaded = load_one(repo("seeds"));
        let first = doc(&loaded, "000_948effc8b4f56d3f");
        assert!(
            first
                .body
                .starts_with("An anti-QR code protest in Yekaterinburg"),
            "{}",
            &first.body[..200]
        );
        assert!(!first.body.contains("Copyright"));
        assert!(!first.body.contains(&first.title));
        assert!(first.body.contains("Boris Kagarlitsky says.\n"));
    }

    #[test]
    fn urls_are_relative_file_paths() {
        let loaded = load_one(repo("seeds"));
        assert_eq!(
            doc(&loaded, "000_948effc8b4f56d3f").url,
            "000_948effc8b4f56d3f.txt"
        );
        let options = SourceOptions {
            base_url: Some("https://example.org/news/".into()),
            ..Default::default()
        };
        let loaded = load(&[repo("seeds/003_b66bfd7c391968e6.txt")], &options);
        assert_eq!(
            loaded.documents[0].url,
            "https://example.org/news/003_b66bfd7c391968e6.txt"
        );
    }
}

mod text {
    use super::*;

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_a_warning_naming_the_line() {
        let loaded = load_one(fixture("text/latin1.txt"));
        let doc = doc(&loaded, "latin1");
        assert_eq!(doc.title, "Café opens on the main square");
        assert!(doc.body.contains("na\u{fffd}ve"));
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
        let warning = &loaded.diagnostics[0];
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(warning.line, Some(4));
        assert!(warning.path.ends_with("latin1.txt"));
        assert!(warning.message.contains("UTF-8"));
    }

    #[test]
    fn empty_file_is_skipped_as_empty_page() {
        let loaded = load_one(fixture("text/empty.txt"));
        assert!(loaded.documents.is_empty());
        assert_eq!(loaded.skipped.len(), 1);
        assert_eq!(loaded.skipped[0].reason, "empty page");
        assert!(loaded.diagnostics.is_empty());
    }

    #[test]
    fn folder_walk_is_sorted_and_skips_hidden_and_unsupported_files() {
        let loaded = load_one(fixture("text"));
        let ids: Vec<&str> = loaded.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["article", "latin1"]);
        assert_eq!(
            doc(&loaded, "article").title,
            "City council approves the new bridge"
        );
        assert_eq!(doc(&loaded, "article").body, "The council voted on Monday.");
        // Only the invalid UTF-8 warning: hidden and .csv files are skipped silently.
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    }

    #[test]
    fn missing_path_is_an_error() {
        let loaded = load_one(fixture("text/no-such-file.txt"));
        assert!(loaded.documents.is_empty());
        assert_eq!(loaded.diagnostics[0].severity, Severity::Error);
        assert!(loaded.diagnostics[0].message.contains("no such file"));
    }
}

mod jsonl {
    use super::*;

    #[test]
    fn malformed_line_is_reported_with_file_and_line_and_the_rest_is_kept() {
        let loaded = load_one(fixture("jsonl/records.jsonl"));
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let malformed = errors
            .iter()
            .find(|d| d.line == Some(4))
            .expect("an error on line 4");
        assert!(malformed.path.ends_with("records.jsonl"));
        assert_eq!(
            malformed.message,
            "invalid JSON: expected `:` at column 26: line skipped"
        );
        assert_eq!(
            malformed
                .to_string()
                .rsplit_once("records.jsonl:")
                .unwrap()
                .1,
            "4: invalid JSON: expected `:` at column 26: line skipped"
        );
        let ids: Vec<&str> = loaded.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["intro", "42", "records:5", "intro#2"]);
    }

    #[test]
    fn record_without_title_and_body_is_an_error_for_that_record() {
        let loaded = load_one(fixture("jsonl/records.jsonl"));
        let error = loaded
            .diagnostics
            .iter()
            .find(|d| d.line == Some(6))
            .expect("an error on line 6");
        assert_eq!(error.severity, Severity::Error);
        assert!(error.message.contains("neither `title` nor `body`"));
    }

    #[test]
    fn numeric_ids_are_kept_as_text() {
        let loaded = load_one(fixture("jsonl/records.jsonl"));
        assert_eq!(doc(&loaded, "42").title, "Frequently asked questions");
    }

    #[test]
    fn duplicate_ids_get_a_suffix_and_a_warning() {
        let loaded = load_one(fixture("jsonl/records.jsonl"));
        assert_eq!(doc(&loaded, "intro#2").url, "/docs/intro-again/");
        assert_eq!(doc(&loaded, "intro").url, "/docs/intro/");
        let warning = loaded
            .diagnostics
            .iter()
            .find(|d| d.message.contains("duplicate id"))
            .unwrap();
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.message.contains("`intro#2`"));
        // The repeated record's line, and the first one's.
        assert_eq!(warning.line, Some(7));
        assert!(warning.message.contains("line 1"), "{}", warning.message);
    }

    #[test]
    fn fields_become_headings_filters_meta_and_lang() {
        let loaded = load_one(fixture("jsonl/records.jsonl"));
        let intro = doc(&loaded, "intro");
        assert_eq!(intro.headings.len(), 2);
        assert_eq!(intro.headings[0].text, "Install");
        assert_eq!(intro.headings[1].anchor.as_deref(), Some("usage"));
        assert_eq!(intro.filters["tags"], ["docs", "start"]);
        assert_eq!(intro.filters["section"], ["guide"]);
        assert_eq!(intro.filters["lang"], ["en"]);
        assert_eq!(intro.lang.as_deref(), Some("en"));
        assert_eq!(intro.meta["author"], "Ada");
        assert_eq!(intro.meta["weight"], "3");
    }

    #[test]
    fn json_files_hold_one_record_or_an_array() {
        let loaded = load_one(fixture("jsonl"));
        assert_eq!(doc(&loaded, "single").filters["kind"], ["page"]);
        assert_eq!(doc(&loaded, "a2").title, "Second of an array");
        // The array's third record has neither title nor body: its line is named.
        let error = loaded
            .diagnostics
            .iter()
            .find(|d| d.path.ends_with("array.json") && d.severity == Severity::Error)
            .unwrap();
        assert_eq!(error.line, Some(4));
        // A truncated file is one error naming where serde stopped.
        let error = loaded
            .diagnostics
            .iter()
            .find(|d| d.path.ends_with("truncated.json"))
            .unwrap();
        assert_eq!(error.severity, Severity::Error);
        assert_eq!(error.line, Some(4));
        assert!(
            error
                .message
                .starts_with("invalid JSON: EOF while parsing an object"),
            "{}",
            error.message
        );
    }

    #[test]
    fn ids_repeated_across_files_count_on_and_name_both_lines() {
        let loaded = load_one(fixture("ids"));
        let ids: Vec<&str> = loaded.documents.iter().map(|d| d.id.as_str()).collect();
        // `same#2` again is `same#3`, not `same#2#2`; `same` again skips both taken
        assert_eq!(ids, ["same", "same#2", "other", "same#3", "same#4"]);
        let found: Vec<(Option<usize>, String)> = loaded
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.line,
                    d.message.replace(&fixture("ids").display().to_string(), ""),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    Some(2),
                    "duplicate id `same#2` (already used by /a.jsonl:2): renamed to `same#3`"
                        .to_owned()
                ),
                (
                    Some(3),
                    "duplicate id `same` (already used by /a.jsonl:1): renamed to `same#4`"
                        .to_owned()
                ),
            ]
        );
        assert!(loaded
            .diagnostics
            .iter()
            .all(|d| d.path.ends_with("b.jsonl")));
    }

    #[test]
    fn duplicate_urls_across_files_are_warned_about() {
        let loaded = load_one(fixture("jsonl"));
        let warning = loaded
            .diagnostics
            .iter()
            .find(|d| d.message.contains("duplicate URL `/faq/`"))
            .unwrap();
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.path.ends_with("records.jsonl"), "{}", warning);
    }
}

mod markdown {
    use super::*;

    fn site() -> Loaded {
        load_one(fixture("sites/markdown"))
    }

    #[test]
    fn yaml_front_matter_gives_title_date_tags_and_meta() {
        let loaded = site();
        let hello = doc(&loaded, "posts/hello");
        assert_eq!(hello.title, "Hello, world");
        assert_eq!(hello.url, "/posts/hello/");
        assert_eq!(hello.meta["date"], "2024-03-01");
        assert_eq!(hello.meta["author"], "Ada Lovelace");
        assert_eq!(hello.meta["weight"], "2");
        assert!(!hello.meta.contains_key("draft"));
        assert_eq!(hello.filters["tags"], ["rust", "wasm"]);
        assert_eq!(hello.filters["categories"], ["news"]);
    }

    #[test]
    fn body_is_plain_text_without_the_title_heading() {
        let hello = doc(&site(), "posts/hello").clone();
        assert!(hello
            .body
            .starts_with("Scour indexes Markdown with links and inline code.\nGetting started\n"));
        assert!(hello
            .body
            .contains("Command What\nscour build builds the index\nscour build site/\n"));
        assert!(
            !hello.body.contains('*') && !hello.body.contains('|') && !hello.body.contains("```")
        );
    }

    #[test]
    fn headings_have_github_slugs_and_body_offsets() {
        let hello = doc(&site(), "posts/hello").clone();
        let anchors: Vec<_> = hello
            .headings
            .iter()
            .map(|h| h.anchor.as_deref().unwrap())
            .collect();
        assert_eq!(anchors, ["getting-started", "getting-started-1", "own-id"]);
        assert_eq!(hello.headings[2].text, "Custom anchor");
        for heading in &hello.headings {
            assert!(hello.body[heading.offset.unwrap()..].starts_with(&heading.text));
        }
    }

    #[test]
    fn toml_front_matter_with_slug_lang_and_section() {
        let loaded = site();
        let page = doc(&loaded, "posts/toml-page");
        assert_eq!(page.title, "A TOML page");
        assert_eq!(page.url, "/posts/bonjour/");
        assert_eq!(page.lang.as_deref(), Some("fr"));
        assert_eq!(page.filters["section"], ["blog"]);
        assert_eq!(page.filters["tags"], ["hugo"]);
        assert_eq!(page.meta["date"], "2023-12-24T10:00:00Z");
        assert_eq!(page.body, "Une page avec du front matter TOML.");
    }

    #[test]
    fn drafts_are_skipped() {
        let loaded = site();
        assert!(loaded.documents.iter().all(|d| d.id != "posts/draft"));
        let skipped = loaded
            .skipped
            .iter()
            .find(|s| s.path.ends_with("posts/draft.md"))
            .unwrap();
        assert_eq!(skipped.reason, "draft");
    }

    #[test]
    fn index_files_take_the_folder_url_and_title_comes_from_the_h1() {
        let loaded = site();
        assert_eq!(doc(&loaded, "index").url, "/");
        let docs = doc(&loaded, "docs/_index");
        assert_eq!(docs.url, "/docs/");
        assert_eq!(docs.title, "Documentation");
        assert_eq!(docs.headings[0].anchor.as_deref(), Some("overview"));
    }

    #[test]
    fn without_a_heading_the_file_name_is_the_title() {
        let loaded = site();
        let page = doc(&loaded, "docs/no-title");
        assert_eq!(page.title, "no-title");
        assert_eq!(page.url, "/docs/no-title/");
    }

    #[test]
    fn permalink_and_base_url() {
        assert_eq!(doc(&site(), "docs/permalink").url, "/elsewhere/");
        let options = SourceOptions {
            base_url: Some("https://example.org/blog/".into()),
            ..Default::default()
        };
        let loaded = load(&[fixture("sites/markdown")], &options);
        assert_eq!(
            doc(&loaded, "posts/hello").url,
            "https://example.org/blog/posts/hello/"
        );
        assert_eq!(
            doc(&loaded, "docs/permalink").url,
            "https://example.org/blog/elsewhere/"
        );
    }

    #[test]
    fn invalid_front_matter_is_an_error_naming_the_line() {
        let loaded = site();
        let error = loaded
            .diagnostics
            .iter()
            .find(|d| d.path.ends_with("docs/broken.md"))
            .unwrap();
        assert_eq!(error.severity, Severity::Error);
        assert!(error.line.is_some());
        assert!(error.message.starts_with("invalid front matter"));
        assert!(loaded.documents.iter().all(|d| d.id != "docs/broken"));
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    }
}

mod html {
    use super::*;

    fn site() -> Loaded {
        load_one(fixture("sites/html"))
    }

    fn reason(loaded: &Loaded, file: &str) -> String {
        loaded
            .skipped
            .iter()
            .find(|s| s.path.ends_with(file))
            .map(|s| s.reason.clone())
            .unwrap_or_default()
    }

    #[test]
    fn chrome_around_and_inside_the_content_is_left_out() {
        let loaded = site();
        let home = doc(&loaded, "index");
        assert_eq!(home.title, "Example Docs");
        assert_eq!(home.body, "Welcome to the example documentation.");
        assert_eq!(home.url, "/");
        assert_eq!(home.lang.as_deref(), Some("en"));
        assert_eq!(home.meta["description"], "Example documentation site.");

        let install = doc(&loaded, "guide/install/index");
        for noise in [
            "Sidebar",
            "aside",
            "Footer",
            "Decorative",
            "Ignored on purpose",
            "color",
            "¶",
        ] {
            assert!(
                !install.body.contains(noise),
                "{noise} in {:?}",
                install.body
            );
        }
    }

    #[test]
    fn headings_with_ids_become_anchored_sections() {
        let install = doc(&site(), "guide/install/index").clone();
        assert_eq!(install.title, "Installation");
        let headings: Vec<_> = install
            .headings
            .iter()
            .map(|h| (h.text.as_str(), h.anchor.as_deref()))
            .collect();
        assert_eq!(
            headings,
            [
                ("Requirements", Some("requirements")),
                ("Download", Some("download")),
                ("Without an anchor", None)
            ]
        );
        for heading in &install.headings {
            assert!(install.body[heading.offset.unwrap()..].starts_with(&heading.text));
        }
    }

    #[test]
    fn body_keeps_blocks_and_preformatted_lines() {
        let install = doc(&site(), "guide/install/index").clone();
        assert_eq!(
            install.body,
            "Install the tool with your package manager.\nLinux\nRequirements\nA computer\nPatience\n\
             Download\ncurl -O https://example.org/tool\nchmod +x tool\nWithout an anchor\nPlain section."
        );
    }

    #[test]
    fn metadata_and_filters_from_head_and_annotations() {
        let install = doc(&site(), "guide/install/index").clone();
        assert_eq!(install.url, "/guide/install/");
        assert_eq!(install.meta["description"], "How to install the example.");
        assert_eq!(install.meta["image"], "/img/install.png");
        assert_eq!(install.meta["date"], "2024-02-10T09:00:00Z");
        assert_eq!(install.meta["author"], "Grace Hopper");
        assert_eq!(install.filters["version"], ["2.x"]);
        assert_eq!(install.filters["platform"], ["Linux"]);
    }

    #[test]
    fn redirect_stubs_noindex_and_empty_pages_are_skipped_with_a_reason() {
        let loaded = site();
        assert_eq!(reason(&loaded, "old/page.html"), "redirect stub");
        assert_eq!(reason(&loaded, "private.html"), "noindex");
        assert_eq!(reason(&loaded, "empty.html"), "empty page");
        assert_eq!(loaded.skipped.len(), 3);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    }

    #[test]
    fn not_found_pages_are_skipped_at_any_depth() {
        // Written here rather than into the shared fixture site, whose skip counts
        // other tests check.
        let root = std::env::temp_dir().join(format!("scour-404-{}", std::process::id()));
        let page = |title: &str| {
            format!("<html><head><title>{title}</title></head><body><main><h1>{title}</h1><p>Page not found, sorry.</p></main></body></html>")
        };
        let skipped = [
            "404.html",
            "404.htm",
            "en/404.html",
            "404/index.html",
            "docs/v2/404/index.html",
            "ERR/404.HTML",
        ];
        let indexed = [
            "404-errors.html",
            "4040.html",
            "404/other.html",
            "guide/index.html",
        ];
        for rel in skipped.iter().chain(&indexed) {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, page(rel)).unwrap();
        }
        let loaded = load_one(root.clone());
        std::fs::remove_dir_all(&root).unwrap();

        for rel in skipped {
            assert_eq!(reason(&loaded, rel), "404 page", "{rel}");
        }
        assert_eq!(loaded.skipped.len(), skipped.len(), "{:?}", loaded.skipped);
        let mut ids: Vec<_> = loaded.documents.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["404-errors", "404/other", "4040", "guide/index"]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    }

    #[test]
    fn non_english_page_keeps_its_language() {
        let loaded = site();
        let de = doc(&loaded, "de/index");
        assert_eq!(de.lang.as_deref(), Some("de"));
        assert_eq!(de.filters["lang"], ["de"]);
        assert_eq!(de.title, "Über uns");
        assert_eq!(de.url, "/de/");
    }

    #[test]
    fn title_falls_back_to_the_title_element_without_the_site_name() {
        let loaded = site();
        let about = doc(&loaded, "about");
        assert_eq!(about.title, "About us");
        assert_eq!(about.url, "/about.htm");
        assert_eq!(about.body, "We write example docs.\nSince 2024.");
    }

    #[test]
    fn hostile_markup_is_read_as_text() {
        let loaded = site();
        let page = doc(&loaded, "hostile");
        assert_eq!(page.title, "Hostile page");
        assert!(!page.body.contains("alert"));
        assert!(page.body.contains("deep"));
    }

    #[test]
    fn root_selector_picks_the_content_and_base_url_prefixes() {
        let options = SourceOptions {
            base_url: Some("https://docs.example.org".into()),
            root_selector: Some("article ul".into()),
            ..Default::default()
        };
        let loaded = load(&[fixture("sites/html/guide")], &options);
        let install = doc(&loaded, "install/index");
        assert_eq!(install.body, "A computer\nPatience");
        assert_eq!(install.url, "https://docs.example.org/install/");
    }

    #[test]
    fn invalid_root_selector_is_reported_once() {
        let options = SourceOptions {
            root_selector: Some("main[".into()),
            ..Default::default()
        };
        let loaded = load(&[fixture("sites/html")], &options);
        let errors = loaded
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("invalid root selector"))
            .count();
        assert_eq!(errors, 1);
        assert_eq!(
            doc(&loaded, "index").body,
            "Welcome to the example documentation."
        );
    }
}

mod walking {
    use super::*;

    #[test]
    fn whole_fixture_tree_loads_deterministically() {
        let roots = ["text", "jsonl", "sites"].map(fixture);
        let first = load(&roots, &SourceOptions::default());
        let second = load(&roots, &SourceOptions::default());
        assert_eq!(first.documents, second.documents);
        assert_eq!(first.diagnostics, second.diagnostics);
        assert!(first.documents.len() > 10);
    }

    #[test]
    fn several_roots_each_make_their_own_urls() {
        let loaded = load(
            &[repo("seeds"), fixture("sites/markdown/posts/hello.md")],
            &SourceOptions::default(),
        );
        assert_eq!(loaded.documents.len(), 3);
        // A file argument's root is its folder.
        assert_eq!(doc(&loaded, "hello").url, "/hello/");
    }

    #[test]
    fn unsupported_file_named_explicitly_is_a_warning() {
        let loaded = load_one(fixture("text/notes.csv"));
        assert!(loaded.documents.is_empty());
        assert_eq!(loaded.diagnostics[0].severity, Severity::Warning);
    }
}

#[test]
fn text_files_in_a_built_html_site_are_not_articles() {
    let root = std::env::temp_dir().join(format!("scour-html-site-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("_sources")).unwrap();
    std::fs::create_dir_all(root.join("fonts")).unwrap();
    std::fs::write(
        root.join("index.html"),
        "<html><body><main><h1>Home</h1><p>Welcome here.</p></main></body></html>",
    )
    .unwrap();
    std::fs::write(root.join("robots.txt"), "User-agent: *\nDisallow:\n").unwrap();
    std::fs::write(
        root.join("_sources/index.txt"),
        "Home\n\nWelcome here, as source text.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("fonts/OFL.txt"),
        "SIL Open Font License, the whole text of it\n",
    )
    .unwrap();
    let loaded = load(std::slice::from_ref(&root), &SourceOptions::default());
    let titles: Vec<&str> = loaded.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["Home"]);
    assert_eq!(
        loaded
            .skipped
            .iter()
            .filter(|s| s.reason == "text file in an HTML site")
            .count(),
        3
    );
    // named on the command line, a text file is still an article
    let one = load(&[root.join("fonts/OFL.txt")], &SourceOptions::default());
    assert_eq!(one.documents.len(), 1);
    std::fs::remove_dir_all(&root).unwrap();
}

/// Links and excluded folders: what a walk reads.
mod reading {
    use super::*;

    /// A fresh folder under the system's temporary folder.
    fn scratch(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("scour-reading-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        root
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn ids(loaded: &Loaded) -> Vec<&str> {
        let mut ids: Vec<&str> = loaded.documents.iter().map(|d| d.id.as_str()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn an_excluded_folder_is_not_read() {
        let root = scratch("exclude");
        let site = root.join("site");
        write(&site.join("kites.txt"), "Kites\n\nA kite needs wind.\n");
        // A previous bundle: its page would make the folder an HTML site.
        write(
            &site.join("search/index.html"),
            "<html><body><main><h1>Search</h1><p>Type to search.</p></main></body></html>",
        );
        let options = SourceOptions {
            exclude: vec![site.join("./search")],
            ..Default::default()
        };
        let loaded = load(std::slice::from_ref(&site), &options);
        assert_eq!(ids(&loaded), ["kites"]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);

        // Without it, the bundle's page is read and the text file skipped.
        let loaded = load(std::slice::from_ref(&site), &SourceOptions::default());
        assert_eq!(ids(&loaded), ["search/index"]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_source_folder_are_not_followed() {
        use std::os::unix::fs::symlink;
        let root = scratch("links");
        let site = root.join("site");
        write(&site.join("kites.txt"), "Kites\n\nA kite needs wind.\n");
        write(
            &site.join("posts/boats.txt"),
            "Boats\n\nA sail needs wind.\n",
        );
        write(
            &root.join("creds.json"),
            r#"{"title": "Secret", "body": "hunter2"}"#,
        );
        write(&root.join("private/diary.txt"), "Diary\n\nhunter2\n");
        symlink(root.join("creds.json"), site.join("creds.json")).unwrap();
        symlink(root.join("private"), site.join("private")).unwrap();
        // Links inside the folder are followed, to files and folders.
        symlink(site.join("kites.txt"), site.join("kites-again.txt")).unwrap();
        symlink(site.join("posts"), site.join("archive")).unwrap();
        // A link to a folder holding it is reported, not walked forever.
        symlink(&site, site.join("posts/loop")).unwrap();

        let loaded = load(std::slice::from_ref(&site), &SourceOptions::default());
        assert_eq!(
            ids(&loaded),
            ["archive/boats", "kites", "kites-again", "posts/boats"]
        );
        assert!(
            !loaded.documents.iter().any(|d| d.body.contains("hunter2")),
            "nothing behind an outside link is read"
        );
        let warned: Vec<&Path> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| d.path.as_path())
            .collect();
        assert_eq!(warned, [site.join("creds.json"), site.join("private")]);
        assert!(loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .all(|d| d.message.contains("--follow-external-links")));
        let loops: Vec<&Path> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.path.as_path())
            .collect();
        assert_eq!(
            loops,
            [site.join("archive/loop"), site.join("posts/loop")],
            "{:?}",
            loaded.diagnostics
        );

        // Allowed, they are read like any file.
        let options = SourceOptions {
            follow_external_links: true,
            ..Default::default()
        };
        let loaded = load(std::slice::from_ref(&site), &options);
        assert_eq!(
            ids(&loaded),
            [
                "archive/boats",
                "creds",
                "kites",
                "kites-again",
                "posts/boats",
                "private/diary"
            ]
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}

/// `load_each`: the documents of `load`, handed on as they are read.
mod one_at_a_time {
    use super::*;
    use scour_index::source::{load_each, stubs::Notices};

    /// `load` and `load_each` (with stubs marked from `Notices`) over `roots`.
    fn both(roots: &[PathBuf]) -> (Loaded, Vec<Document>, Loaded) {
        let options = SourceOptions::default();
        let at_once = load(roots, &options);
        let mut docs = Vec::new();
        let mut notices = Notices::default();
        let each = load_each(roots, &options, &mut |doc| {
            notices.add(&doc);
            docs.push(doc);
        });
        for (doc, stub) in docs.iter_mut().zip(notices.stubs()) {
            doc.stub = stub;
        }
        (at_once, docs, each)
    }

    #[test]
    fn the_fixtures_give_the_same_documents_and_messages() {
        let roots = ["text", "jsonl", "sites"].map(fixture);
        let (at_once, docs, each) = both(&roots);
        assert!(each.documents.is_empty());
        assert_eq!(docs, at_once.documents);
        assert_eq!(each.diagnostics, at_once.diagnostics);
        assert_eq!(each.skipped, at_once.skipped);
    }

    #[test]
    fn a_large_file_with_repeats_across_batches_gives_the_same_documents_and_messages() {
        let root = std::env::temp_dir().join(format!("scour-each-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        // More records than one batch; ids repeated within the file far apart (the
        // rename must skip `r5#2`, a later record's own id), across files, and URLs.
        let mut lines = Vec::new();
        for i in 0..10_000 {
            lines.push(format!(
                r#"{{"id": "r{}", "url": "/r/{}", "title": "Entry {i}", "body": "Moved."}}"#,
                i % 9_000,
                i % 9_500
            ));
        }
        lines.push(r#"{"id": "r5#2", "title": "Own id"}"#.to_owned());
        lines.push("not json".to_owned());
        std::fs::write(root.join("a.jsonl"), lines.join("\n")).unwrap();
        std::fs::write(
            root.join("b.jsonl"),
            "{\"id\": \"r1\", \"url\": \"/r/1\", \"title\": \"Again\"}\n",
        )
        .unwrap();
        let (at_once, docs, each) = both(std::slice::from_ref(&root));
        assert_eq!(docs.len(), 10_002);
        assert_eq!(docs, at_once.documents);
        assert_eq!(each.diagnostics, at_once.diagnostics);
        assert!(docs.iter().any(|d| d.id == "r5#3"), "r5#2 is taken");
        let stubs = docs.iter().filter(|d| d.stub).count();
        assert_eq!(stubs, 10_000, "the notice of the first file's pages");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
