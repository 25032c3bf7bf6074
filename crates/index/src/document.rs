//! The document model every source produces and the index builder consumes.

use std::collections::{BTreeMap, HashMap};

/// One searchable page or record.
///
/// Sources (text, Markdown, HTML, JSON) fill it in; [`crate::IndexBuilder`] indexes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Stable identifier returned as the hit's `id` (a JSONL record's `id`, else derived
    /// from the file path).
    pub id: String,
    /// Where the hit links to.
    pub url: String,
    /// The page title (the most heavily weighted field).
    pub title: String,
    /// Another name of the page, searched as its title but not shown: an HTML page's
    /// `<title>` when it differs from the `<h1>` shown as its title (a manual page's
    /// `git-add(1)` for "git-add(1) Manual Page").
    pub title_alias: Option<String>,
    /// Section headings, in document order.
    pub headings: Vec<Heading>,
    /// The main text, plain, with block elements separated by line breaks.
    pub body: String,
    /// Displayed metadata (date, author, image, …), by key.
    pub meta: BTreeMap<String, String>,
    /// Filter values by key (`tags` → [`rust`, `wasm`]), for facets.
    pub filters: BTreeMap<String, Vec<String>>,
    /// The page language as a BCP 47 tag (`en`, `de-AT`), when known.
    pub lang: Option<String>,
    /// The page is a stub: its text is a notice other pages share (see
    /// [`crate::source::stubs`]), so its title is searched as a heading, not a title.
    pub stub: bool,
}

/// A section heading of a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heading {
    /// The heading text.
    pub text: String,
    /// The fragment identifier (`id` attribute or slug) that links to the section.
    pub anchor: Option<String>,
    /// Byte offset in [`Document::body`] where the section's text starts, when known.
    pub offset: Option<usize>,
}

impl Heading {
    /// A heading with text only.
    pub fn text(text: impl Into<String>) -> Heading {
        Heading {
            text: text.into(),
            anchor: None,
            offset: None,
        }
    }
}

/// The metadata key [`link_parents`] fills: the titles of the pages above a page.
pub const PARENT_KEY: &str = "parent";

/// Sets each document's [`PARENT_KEY`] metadata to the titles of the pages its URL lies
/// under (`/guide/install/` is under `/guide/`, whose page may be `/guide/`,
/// `/guide/index.html` or `/guide.html`), outermost first, joined by ` › `: the
/// breadcrumb a person reads, where the folder names would be slugs. The site's home
/// page is left out (it is every page's parent), and so is a document that already
/// has that key.
pub fn link_parents(docs: &mut [Document]) {
    let mut parents = Parents::default();
    for doc in docs.iter() {
        parents.add(doc);
    }
    for doc in docs.iter_mut() {
        parents.link(doc);
    }
}

/// [`link_parents`] for pages met one at a time (a site too large to hold): the
/// titles of the folders' pages are gathered as every page passes ([`Parents::add`]),
/// then each page gets its breadcrumb ([`Parents::link`]).
#[derive(Clone, Debug, Default)]
pub struct Parents {
    /// The title of each folder's page, by folder key (`/a/b/`); a later page of the
    /// same folder wins.
    titles: HashMap<String, String>,
}

impl Parents {
    /// Notes `doc`'s title if it is the page of a folder.
    pub fn add(&mut self, doc: &Document) {
        let title = doc.title.trim();
        if title.is_empty() {
            return;
        }
        for key in folder_keys(&doc.url) {
            self.titles.insert(key, title.to_owned());
        }
    }

    /// Sets `doc`'s [`PARENT_KEY`] metadata from the pages added (see
    /// [`link_parents`]).
    pub fn link(&self, doc: &mut Document) {
        if doc.meta.contains_key(PARENT_KEY) {
            return;
        }
        let path = page_path(&doc.url);
        // the folders above the page: for `/a/b/c.html` (or `/a/b/c/`) `/a/b/`, `/a/`
        let own = path.strip_suffix('/').unwrap_or(path.as_str());
        let mut crumbs = Vec::new();
        let mut at = own;
        while let Some(i) = at.rfind('/') {
            at = &at[..i];
            // the home page: `` or an absolute URL's `https://host`
            if at.is_empty() || at.find("://").is_some_and(|i| !at[i + 3..].contains('/')) {
                break;
            }
            match self.titles.get(&format!("{at}/")) {
                Some(t) if t != doc.title.trim() && crumbs.len() < 3 => crumbs.push(t.clone()),
                _ => {}
            }
        }
        if !crumbs.is_empty() {
            crumbs.reverse();
            doc.meta.insert(PARENT_KEY.to_owned(), crumbs.join(" › "));
        }
    }
}

/// A URL without its query and fragment, and without a trailing `index.html`.
fn page_path(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or("");
    let url = url
        .strip_suffix("index.html")
        .or_else(|| url.strip_suffix("index.htm"))
        .unwrap_or(url);
    url.to_owned()
}

/// The folder keys (`/a/b/`) a page with this URL stands for: `/a/b/`, `/a/b/index.html`
/// and `/a/b.html` are each the page of the folder `/a/b/`.
fn folder_keys(url: &str) -> impl Iterator<Item = String> {
    let path = page_path(url);
    let key = if path.ends_with('/') {
        Some(path)
    } else {
        path.strip_suffix(".html")
            .or_else(|| path.strip_suffix(".htm"))
            .map(|p| format!("{p}/"))
    };
    key.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str) -> Document {
        Document {
            url: url.into(),
            title: title.into(),
            ..Default::default()
        }
    }

    #[test]
    fn parents_are_the_titles_of_the_folders_pages() {
        let mut docs = vec![
            doc("/", "Home"),
            doc("/usage/index.html", "Using Sphinx"),
            doc("/usage/quickstart.html", "Getting Started"),
            doc("/usage/extensions/", "Extensions"),
            doc("/usage/extensions/autodoc.html#top", "autodoc"),
            doc("/guide.html", "The guide"),
            doc("/guide/install/", "Install"),
            doc("/orphan/deep/page.html", "Alone"),
            doc("top.txt", "A file"),
            doc("https://example.com/docs/a.html", "A"),
            doc("https://example.com/docs/", "Docs"),
            doc("https://example.com/", "Example"),
            doc("docs/b.html", "B"),
            doc("docs/index.html", "Relative docs"),
        ];
        docs[7].meta.insert(PARENT_KEY.into(), "Given".into());
        link_parents(&mut docs);
        let parent = |i: usize| docs[i].meta.get(PARENT_KEY).map(String::as_str);
        assert_eq!(parent(0), None, "the home page");
        assert_eq!(parent(1), None, "under the home page only");
        assert_eq!(parent(2), Some("Using Sphinx"));
        assert_eq!(parent(3), Some("Using Sphinx"));
        assert_eq!(parent(4), Some("Using Sphinx › Extensions"));
        assert_eq!(
            parent(6),
            Some("The guide"),
            "/guide.html is the page of /guide/"
        );
        assert_eq!(parent(7), Some("Given"), "a page's own value stays");
        assert_eq!(parent(8), None);
        assert_eq!(parent(9), Some("Docs"), "an absolute URL, under its host");
        assert_eq!(parent(10), None, "not the host's home page");
        assert_eq!(parent(12), Some("Relative docs"), "a relative URL");
    }
}
