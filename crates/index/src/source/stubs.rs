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
    let mut notices = Notices::default();
    for doc in docs.iter() {
        notices.add(doc);
    }
    let mut marked = 0;
    for (doc, stub) in docs.iter_mut().zip(notices.stubs()) {
        if stub {
            doc.stub = true;
            marked += 1;
        }
    }
    marked
}

/// [`mark`] for pages met one at a time (a site too large to hold, read with
/// [`super::load_each`]): each page's notice is counted as it passes, and which pages
/// are stubs is known once every page has.
#[derive(Debug, Default)]
pub struct Notices {
    /// Each distinct notice, with its number: pages sharing one are held once.
    numbers: HashMap<String, u32>,
    /// Pages per notice, by number.
    counts: Vec<usize>,
    /// Each page's notice number, in the order added; [`Notices::NONE`] for a page
    /// without one.
    pages: Vec<u32>,
}

impl Notices {
    const NONE: u32 = u32::MAX;

    /// Counts the notice of the next page.
    pub fn add(&mut self, doc: &Document) {
        let number = match notice(doc) {
            None => Notices::NONE,
            Some(key) => {
                let next = self.counts.len() as u32;
                let number = *self.numbers.entry(key).or_insert(next);
                if number == next {
                    self.counts.push(0);
                }
                self.counts[number as usize] += 1;
                number
            }
        };
        self.pages.push(number);
    }

    /// Whether each page added is a stub, in the order added.
    pub fn stubs(&self) -> Vec<bool> {
        let least = MIN_PAGES.max(self.pages.len() / SITE_SHARE);
        self.pages
            .iter()
            .map(|&n| n != Notices::NONE && self.counts[n as usize] >= least)
            .collect()
    }
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

    #[test]
    fn notices_counted_one_page_at_a_time_mark_the_same_stubs() {
        let notice = "This page has moved.";
        let mut docs = pages("Moved", MIN_PAGES, notice);
        docs.extend(pages("Pine", 3, "A coniferous tree."));
        docs.insert(4, page("Alone", "Its own text."));
        let mut notices = Notices::default();
        for doc in &docs {
            notices.add(doc);
        }
        let one_by_one = notices.stubs();
        mark(&mut docs);
        let at_once: Vec<bool> = docs.iter().map(|d| d.stub).collect();
        assert_eq!(one_by_one, at_once);
        assert_eq!(one_by_one.iter().filter(|&&s| s).count(), MIN_PAGES);
    }
}
