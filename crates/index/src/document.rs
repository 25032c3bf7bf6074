//! The document model every source produces and the index builder consumes.

use std::collections::BTreeMap;

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
