//! Built HTML pages (`.html`, `.htm`) from static site generators.
//!
//! The main content is found by `root_selector`, `[data-scour-body]`, `<main>`,
//! `[role=main]`, `<article>` or `<body>`, in that order; site chrome inside it (`nav`,
//! `header`, `footer`, `aside`, scripts, forms, hidden elements, `[data-scour-ignore]`,
//! and `[data-pagefind-ignore]`, which sites built for Pagefind already carry) is left
//! out. Elements nested deeper than [`nesting::MAX_DEPTH`] are flattened before
//! parsing (html5ever's time grows with the square of the depth), with a warning; the
//! tree is walked iteratively. "Not found" pages, redirect stubs and `noindex` pages are
//! skipped.

mod nesting;

use std::path::Path;
use std::sync::LazyLock;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};

use super::{add_filter, collapse_whitespace, FileInfo, Loaded, PlainText};
use crate::{Document, Heading};

/// Elements whose text is never page content.
const IGNORED: &[&str] = &[
    "nav", "header", "footer", "aside", "script", "style", "noscript", "template", "svg", "form",
    "button", "iframe", "select", "textarea", "head", "title",
];

/// Elements that start a new line in the plain text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Separators between a page's own title and the site name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " — ", " – ", " · "];

fn selector(css: &str) -> Selector {
    // The selectors below are constants: a parse failure is a bug caught by any test.
    Selector::parse(css).unwrap_or_else(|_| panic!("invalid built-in selector {css}"))
}

struct Selectors {
    roots: Vec<Selector>,
    meta: Selector,
    title: Selector,
    h1: Selector,
    time: Selector,
    scour_meta: Selector,
    scour_filter: Selector,
    scour_weight: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| Selectors {
    roots: [
        "[data-scour-body]",
        "main",
        "[role=main]",
        "article",
        "body",
    ]
    .map(selector)
    .into(),
    meta: selector("meta"),
    title: selector("title"),
    h1: selector("h1"),
    time: selector("time[datetime]"),
    scour_meta: selector("[data-scour-meta]"),
    scour_filter: selector("[data-scour-filter]"),
    scour_weight: selector("[data-scour-weight]"),
});

pub(crate) fn load(
    file: &FileInfo<'_>,
    text: &str,
    root_selector: Option<&Selector>,
    out: &mut Loaded,
) {
    if is_not_found_page(file.path) {
        out.skip(file.path, "404 page");
        return;
    }
    let (text, cut) = nesting::limit_depth(text);
    if let Some(cut) = cut {
        out.diagnostics.push(super::Diagnostic::warning(
            file.path,
            Some(cut.line),
            format!(
                "elements nested more than {} deep: {} tags from this line on were dropped \
                 (their text is indexed)",
                nesting::MAX_DEPTH,
                cut.tags
            ),
        ));
    }
    let html = Html::parse_document(&text);
    let sel = &*SELECTORS;
    let metas: Vec<ElementRef<'_>> = html.select(&sel.meta).collect();
    let meta_attr = |key: &str, name: &str| {
        metas.iter().find_map(|m| {
            let matches = m
                .attr(key)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(name));
            matches
                .then(|| m.attr("content"))
                .flatten()
                .map(str::trim)
                .filter(|c| !c.is_empty())
        })
    };
    if meta_attr("http-equiv", "refresh").is_some_and(|c| c.to_ascii_lowercase().contains("url=")) {
        out.skip(file.path, "redirect stub");
        return;
    }
    if meta_attr("name", "robots").is_some_and(|c| c.to_ascii_lowercase().contains("noindex")) {
        out.skip(file.path, "noindex");
        return;
    }

    let mut root = None;
    if let Some(custom) = root_selector {
        root = html.select(custom).next();
        if root.is_none() {
            out.diagnostics.push(super::Diagnostic::warning(
                file.path,
                None,
                "the root selector matches nothing on this page: its main content was detected automatically",
            ));
        }
    }
    let root = root
        .or_else(|| sel.roots.iter().find_map(|s| html.select(s).next()))
        .unwrap_or_else(|| html.root_element());

    let title_node = root
        .select(&sel.h1)
        .find(|h1| !in_chrome(*h1, root) && !text_of(*h1).is_empty());
    let extracted = extract(root, title_node.map(|h| h.id()));
    // A page with a heading and nothing under it is still a page: books have section
    // pages that only title their chapters, and a visitor searching that title wants it.
    if extracted.body.is_empty() && extracted.headings.is_empty() && title_node.is_none() {
        out.skip(file.path, "empty page");
        return;
    }
    let head_title = html
        .select(&sel.title)
        .next()
        .map(text_of)
        .map(|t| strip_site_name(&t))
        .filter(|t| !t.is_empty());
    let title = title_node
        .map(text_of)
        .or_else(|| head_title.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| fallback_title(file));
    // The `<title>` names the page too (in tabs, links and bookmarks): when it says
    // something else than the `<h1>`, it is searched as the title as well.
    let title_alias = head_title.filter(|t| !t.eq_ignore_ascii_case(&title));

    let mut doc = Document {
        id: file.id(),
        url: url(file),
        title,
        title_alias,
        headings: extracted.headings,
        body: extracted.body,
        ..Document::default()
    };
    if let Some(lang) = html
        .root_element()
        .attr("lang")
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        add_filter(&mut doc, "lang", lang);
        doc.lang = Some(lang.to_owned());
    }
    let mut set_meta = |key: &str, value: Option<&str>| {
        if let Some(value) = value.map(collapse_whitespace).filter(|v| !v.is_empty()) {
            doc.meta.insert(key.to_owned(), value);
        }
    };
    set_meta("description", meta_attr("name", "description"));
    set_meta("author", meta_attr("name", "author"));
    set_meta(
        "image",
        meta_attr("property", "og:image").or_else(|| meta_attr("name", "og:image")),
    );
    let time = || {
        root.select(&sel.time)
            .next()
            .and_then(|t| t.attr("datetime"))
    };
    set_meta(
        "date",
        meta_attr("property", "article:published_time").or_else(time),
    );
    // Explicit annotations come last: they override what was guessed.
    for element in html.select(&sel.scour_meta) {
        if let Some((key, value)) = annotation(element, "data-scour-meta") {
            doc.meta.insert(key, value);
        }
    }
    for element in html.select(&sel.scour_filter) {
        if let Some((key, value)) = annotation(element, "data-scour-filter") {
            add_filter(&mut doc, &key, &value);
        }
    }
    // `data-scour-weight="2"` or more: the text also counts in the headings field, which
    // ranks 2.5 times the body (the index has three field weights, not one per element).
    for element in root.select(&sel.scour_weight) {
        let weight: f32 = element
            .attr("data-scour-weight")
            .and_then(|w| w.trim().parse().ok())
            .unwrap_or(1.0);
        let text = text_of(element);
        if weight >= 2.0 && !text.trim().is_empty() {
            doc.headings.push(Heading {
                text: text.trim().to_string(),
                anchor: None,
                offset: None,
            });
        }
    }
    out.documents.push(doc);
}

/// `key:value`, or `key` alone for the element's own text.
fn annotation(element: ElementRef<'_>, attr: &str) -> Option<(String, String)> {
    let spec = element.attr(attr)?;
    let (key, value) = match spec.split_once(':') {
        Some((key, value)) => (key.trim(), collapse_whitespace(value)),
        None => (spec.trim(), text_of(element)),
    };
    (!key.is_empty() && !value.is_empty()).then(|| (key.to_owned(), value))
}

/// `dir/index.html` → `/dir/`, `dir/page.html` → `/dir/page.html`.
fn url(file: &FileInfo<'_>) -> String {
    let path = match file.rel.rsplit_once('/') {
        _ if file.stem != "index" => format!("/{}", file.rel),
        Some((dir, _)) => format!("/{dir}/"),
        None => "/".to_owned(),
    };
    file.url(&path)
}

fn fallback_title(file: &FileInfo<'_>) -> String {
    match file.rel.rsplit('/').nth(1) {
        Some(folder) if file.stem == "index" => folder.to_owned(),
        _ => file.stem.clone(),
    }
}

/// `Page - Site` → `Page`: the part after the last separator is usually the site name.
fn strip_site_name(title: &str) -> String {
    let cut = TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep))
        .max();
    match cut.map(|at| title[..at].trim()) {
        Some(page) if !page.is_empty() => page.to_owned(),
        _ => title.trim().to_owned(),
    }
}

fn is_ignored(element: &scraper::node::Element) -> bool {
    IGNORED.contains(&element.name())
        || element.attr("hidden").is_some()
        || element.attr("data-scour-ignore").is_some()
        // Pagefind's marker for the same thing: Starlight puts it on the screen-reader
        // text of its heading anchors ("Section titled “Setup”")
        || element.attr("data-pagefind-ignore").is_some()
        || element
            .attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Whether `element` is inside ignored chrome below `root`. A `<header>` does not count:
/// the page's `<h1>` often sits in the article's header.
fn in_chrome(element: ElementRef<'_>, root: ElementRef<'_>) -> bool {
    let mut node = Some(*element);
    while let Some(current) = node {
        if current.id() == root.id() {
            return false;
        }
        if let Some(el) = current.value().as_element() {
            if el.name() != "header" && is_ignored(el) {
                return true;
            }
        }
        node = current.parent();
    }
    false
}

/// The visible text of an element on one line.
fn text_of(element: ElementRef<'_>) -> String {
    let mut text = PlainText::default();
    walk(element, None, &mut text, &mut Vec::new(), false);
    collapse_whitespace(&text.finish())
}

struct Extracted {
    body: String,
    headings: Vec<Heading>,
}

fn extract(root: ElementRef<'_>, title: Option<NodeId>) -> Extracted {
    let mut text = PlainText::default();
    let mut headings = Vec::new();
    walk(root, title, &mut text, &mut headings, true);
    let body = text.finish();
    for heading in &mut headings {
        heading.offset = heading.offset.map(|o| o.min(body.len()));
    }
    Extracted { body, headings }
}

/// Whether `path` is a site's "not found" page, `404.html` or `404/index.html` at any
/// depth: every static site generator writes one, and it must not be a search result.
fn is_not_found_page(path: &Path) -> bool {
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    };
    match name(Some(path)).as_str() {
        "404.html" | "404.htm" => true,
        "index.html" | "index.htm" => name(path.parent()) == "404",
        _ => false,
    }
}

/// Writes the text under `root` to `text`, skipping chrome and the `skip` node. With
/// `blocks`, block elements become line breaks and headings are collected.
fn walk(
    root: ElementRef<'_>,
    skip: Option<NodeId>,
    text: &mut PlainText,
    headings: &mut Vec<Heading>,
    blocks: bool,
) {
    // The element whose subtree is being skipped, until its closing edge.
    let mut skipping: Option<NodeId> = None;
    let mut pre_depth = 0usize;
    // The heading being read: where its text starts, and its anchor so far.
    let mut heading: Option<(NodeId, usize, Option<String>)> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) if pre_depth > 0 => text.raw(t),
                    Node::Text(t) => text.inline(t),
                    Node::Element(el) if node.id() != root.id() => {
                        let name = el.name();
                        if is_ignored(el) || Some(node.id()) == skip {
                            skipping = Some(node.id());
                            continue;
                        }
                        if name == "a" {
                            let href = el.attr("href").and_then(|h| h.strip_prefix('#'));
                            if let Some((_, _, anchor @ None)) = &mut heading {
                                let own = el.attr("id").or_else(|| el.attr("name")).or(href);
                                *anchor = own.map(str::to_owned).filter(|a| !a.is_empty());
                            }
                            // A "¶"/"#"/"🔗" permalink, not words: keep it out of the text.
                            if href.is_some()
                                && ElementRef::wrap(node).is_some_and(|e| !has_words(e))
                            {
                                skipping = Some(node.id());
                                continue;
                            }
                        }
                        if !blocks {
                            if name == "br" {
                                text.space();
                            }
                            continue;
                        }
                        if BLOCKS.contains(&name) || name == "pre" {
                            text.block();
                        }
                        if name == "pre" {
                            pre_depth += 1;
                        }
                        if heading.is_none() && is_heading(name) {
                            let id = el
                                .id()
                                .map(str::trim)
                                .filter(|id| !id.is_empty())
                                .map(str::to_owned);
                            heading = Some((node.id(), text.text.len(), id));
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                let Node::Element(el) = node.value() else {
                    continue;
                };
                if !blocks || node.id() == root.id() {
                    continue;
                }
                let name = el.name();
                match name {
                    "pre" => pre_depth = pre_depth.saturating_sub(1),
                    "td" | "th" => text.space(),
                    _ => {}
                }
                if heading.as_ref().is_some_and(|(id, _, _)| *id == node.id()) {
                    if let Some((_, start, anchor)) = heading.take() {
                        let words = collapse_whitespace(text.text.get(start..).unwrap_or_default());
                        if !words.is_empty() {
                            headings.push(Heading {
                                text: words,
                                anchor,
                                offset: Some(start),
                            });
                        }
                    }
                }
                if BLOCKS.contains(&name) || name == "pre" {
                    text.block();
                }
            }
        }
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Whether the element's text has a letter or digit.
fn has_words(element: ElementRef<'_>) -> bool {
    element.text().any(|t| t.chars().any(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceOptions;
    use std::path::Path;

    fn page(rel: &str, html: &str) -> Loaded {
        let options = SourceOptions::default();
        let path = Path::new("site").join(rel);
        let file = FileInfo::new(&path, Path::new("site"), &options);
        let mut out = Loaded::default();
        load(&file, html, None, &mut out);
        out
    }

    #[test]
    fn weighted_text_also_counts_as_a_heading() {
        let out = page(
            "p.html",
            "<main><h1>T</h1><p data-scour-weight=\"3\">Key  phrase</p><p data-scour-weight=\"1\">plain</p><p>body</p></main>",
        );
        let doc = &out.documents[0];
        let headings: Vec<&str> = doc.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(headings, ["Key phrase"]);
        assert!(doc.body.contains("Key phrase") && doc.body.contains("plain"));
    }

    #[test]
    fn pagefind_ignore_leaves_text_out_as_scour_ignore_does() {
        let out = page(
            "p.html",
            "<main><h1>T</h1><div><h2 id=\"setup\">Setup</h2><a href=\"#setup\">\
             <span data-pagefind-ignore=\"\">Section titled Setup</span></a></div>\
             <p>Run it.</p><p data-pagefind-ignore=\"all\">chrome</p>\
             <p data-scour-ignore>more chrome</p></main>",
        );
        assert_eq!(out.documents[0].body, "Setup\nRun it.");
    }

    #[test]
    fn site_name_is_stripped_from_title() {
        assert_eq!(strip_site_name("Install | My Docs"), "Install");
        assert_eq!(strip_site_name("A - B - Site"), "A - B");
        assert_eq!(strip_site_name(" - Site"), "- Site");
        assert_eq!(strip_site_name("Plain"), "Plain");
    }

    #[test]
    fn urls_follow_the_file_layout() {
        let options = SourceOptions {
            base_url: Some("https://x.org/docs".into()),
            ..Default::default()
        };
        for (path, expected) in [
            ("s/a/index.html", "https://x.org/docs/a/"),
            ("s/index.html", "https://x.org/docs/"),
            ("s/a/b.htm", "https://x.org/docs/a/b.htm"),
        ] {
            let file = FileInfo::new(Path::new(path), Path::new("s"), &options);
            assert_eq!(url(&file), expected);
        }
    }

    #[test]
    fn block_elements_become_lines_and_pre_keeps_its_own() {
        let out = page(
            "a.html",
            "<main><h1>T</h1><p>One <b>two</b>\n   three</p><ul><li>x</li><li>y</li></ul>\
             <pre>fn  a()\n  b</pre><table><tr><td>1</td><td>2</td></tr></table>a<br>b</main>",
        );
        assert_eq!(
            out.documents[0].body,
            "One two three\nx\ny\nfn  a()\n  b\n1 2\na\nb"
        );
    }

    #[test]
    fn permalink_symbols_are_dropped_and_give_the_anchor() {
        let out = page(
            "a.html",
            "<main><h1>T</h1><h2>Setup<a class=\"headerlink\" href=\"#setup\">¶</a></h2><p>x</p>\
             <h2><a class=\"header\" href=\"#use-it\">Use it</a></h2><h3>No id</h3></main>",
        );
        let doc = &out.documents[0];
        assert_eq!(doc.body, "Setup\nx\nUse it\nNo id");
        assert_eq!(
            doc.headings[0],
            Heading {
                text: "Setup".into(),
                anchor: Some("setup".into()),
                offset: Some(0)
            }
        );
        assert_eq!(doc.headings[1].anchor.as_deref(), Some("use-it"));
        assert_eq!(doc.headings[2].anchor, None);
    }

    #[test]
    fn h1_in_the_article_header_is_the_title() {
        let out = page(
            "a.html",
            "<title>Ignored | Site</title><article><header><h1>Real</h1><time datetime=\"2024-05-01\">May</time></header><p>Text</p></article>",
        );
        assert_eq!(out.documents[0].title, "Real");
        assert_eq!(out.documents[0].body, "Text");
        assert_eq!(out.documents[0].meta["date"], "2024-05-01");
    }

    /// html5ever took 34 s on 50,000 unclosed `<ul><li>` and 53 s on `<div><span>x`:
    /// each start tag looked through every open element.
    #[test]
    fn deep_nesting_is_flattened_with_a_warning() {
        for (unit, words) in [("<ul><li>item{n}\n", "item"), ("<div><span>x{n}\n", "x")] {
            let html: String = (0..20_000)
                .map(|n| unit.replace("{n}", &n.to_string()))
                .collect();
            let out = page("deep.html", &html);
            assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
            let warning = &out.diagnostics[0];
            assert_eq!(warning.path, Path::new("site/deep.html"));
            // Each line opens two elements: the 257th line opens the 513th.
            assert_eq!(warning.line, Some(nesting::MAX_DEPTH / 2 + 1));
            assert!(warning.message.contains("nested"), "{}", warning.message);
            let body = &out.documents[0].body;
            for n in [0, 255, 256, 19_999] {
                assert!(body.contains(&format!("{words}{n}")), "{words}{n}");
            }
        }
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        let deep = "<div>".repeat(2_000) + "deep text";
        let out = page("deep.html", &deep);
        assert_eq!(out.documents[0].body, "deep text");
        let big = format!(
            "<p title=\"{}\">x</p><h1><script>alert(1)</script>Safe",
            "a".repeat(1_000_000)
        );
        let out = page("big.html", &big);
        assert_eq!(out.documents[0].title, "Safe");
        let out = page("t.html", "<title><script>alert(1)</script></title><p>body");
        assert_eq!(out.documents[0].title, "<script>alert(1)</script>");
    }
}
