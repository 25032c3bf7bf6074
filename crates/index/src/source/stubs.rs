//! Stubs: pages whose text is a notice they share with many other pages ("this edition
//! is no longer distributed", "this page has moved"), under titles of their own.
//!
//! Such a page's title names a topic its text is not about, so it must not rank as the
//! page a visitor names: its title is searched as a heading instead (found, never
//! first on the strength of its title alone).

use std::collections::HashMap;

use crate::Document;

/// Pages sharing one text before they count as stubs: a few may be a page and its
/// copies, or synonyms sharing a definition (a dictionary's entries: WordNet has
/// groups of up to 22 headwords with one gloss)…
const MIN_PAGES: usize = 10;
/// …and at least one page in this many of the site: a notice is left on many pages of
/// one site (the Rust Book's three old editions: 16, 24 and 66 of 373 pages).
const SITE_SHARE: usize = 100;
/// A shared text longer than this is content (a licence, a changelog template), not a
/// notice.
const MAX_NOTICE_BYTES: usize = 1024;

/// Marks the stubs of `docs` ([`Document::stub`]) and returns how many there are.
pub fn mark(docs: &mut [Document]) -> usize {
    let keys: Vec<Option<String>> = docs.iter().map(notice).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for key in keys.iter().flatten() {
        *counts.entry(key.as_str()).or_default() += 1;
    }
    let least = MIN_PAGES.max(docs.len() / SITE_SHARE);
    let mut marked = 0;
    for (doc, key) in docs.iter_mut().zip(&keys) {
        if key.as_deref().is_some_and(|k| counts[k] >= least) {
            doc.stub = true;
            marked += 1;
        }
    }
    marked
}

/// The page's body without the lines that repeat its title or a heading, whitespace
/// collapsed and lowercased: what pages sharing one notice have in common. `None` for a
/// page with no such text, or too much of it to be a notice.
fn notice(doc: &Document) -> Option<String> {
    if doc.body.len() > MAX_NOTICE_BYTES * 4 {
        return None;
    }
    let own =
        |line: &str| line == doc.title.trim() || doc.headings.iter().any(|h| h.text.trim() == line);
    let mut key = String::new();
    for line in doc
        .body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !own(l))
    {
        for word in line.split_whitespace() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    (!key.is_empty() && key.len() <= MAX_NOTICE_BYTES).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> Document {
        Document {
            title: title.into(),
            body: format!("{title}\n{body}"),
            ..Document::default()
        }
    }

    /// `n` pages titled `{prefix} {i}` with the same `body`.
    fn pages(prefix: &str, n: usize, body: &str) -> Vec<Document> {
        (0..n)
            .map(|i| page(&format!("{prefix} {i}"), body))
            .collect()
    }

    #[test]
    fn pages_sharing_a_notice_are_stubs() {
        let notice = "The first edition of the book is no longer distributed.";
        let mut docs = pages("Chapter", MIN_PAGES - 1, notice);
        docs.push(page("Closures", &notice.to_uppercase()));
        docs.push(page(
            "Validating References with Lifetimes",
            "Every reference has a lifetime.",
        ));
        assert_eq!(mark(&mut docs), MIN_PAGES);
        assert!(docs[..MIN_PAGES].iter().all(|d| d.stub));
        assert!(!docs[MIN_PAGES].stub);
    }

    #[test]
    fn copies_synonyms_and_long_shared_text_are_not_stubs() {
        // a page and its copies, or a dictionary's synonyms sharing one definition
        let mut docs = pages("Pine", MIN_PAGES - 1, "A coniferous tree.");
        assert_eq!(mark(&mut docs), 0);
        // on a large site, a group must be one page in a hundred
        let mut docs = pages("Synonym", 20, "A shared gloss.");
        docs.extend((0..3000).map(|i| page(&format!("Entry {i}"), &format!("Its own text {i}."))));
        assert_eq!(mark(&mut docs), 0);
        let long = "word ".repeat(400);
        let mut docs = pages("Long", MIN_PAGES, &long);
        assert_eq!(mark(&mut docs), 0);
        // title-only pages share no text
        let mut docs = pages("Empty", MIN_PAGES, "");
        assert_eq!(mark(&mut docs), 0);
    }
}
