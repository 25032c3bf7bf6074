//! Stubs: pages whose text is a notice they share with other pages ("this edition is
//! no longer distributed", "this page has moved"), under titles of their own.
//!
//! Such a page's title names a topic its text is not about, so it must not rank as the
//! page a visitor names: its title is searched as a heading instead (found, never
//! first on the strength of its title alone).

use std::collections::HashMap;

use crate::Document;

/// Pages sharing one text before they count as stubs: two may be a page and its copy.
const MIN_PAGES: usize = 3;
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
    let mut marked = 0;
    for (doc, key) in docs.iter_mut().zip(&keys) {
        if key.as_deref().is_some_and(|k| counts[k] >= MIN_PAGES) {
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

    #[test]
    fn pages_sharing_a_notice_are_stubs() {
        let notice = "The first edition of the book is no longer distributed.";
        let mut docs = vec![
            page("Lifetimes", notice),
            page("Traits", notice),
            page("Closures", &notice.to_uppercase()),
            page(
                "Validating References with Lifetimes",
                "Every reference has a lifetime.",
            ),
        ];
        assert_eq!(mark(&mut docs), 3);
        assert!(docs[..3].iter().all(|d| d.stub));
        assert!(!docs[3].stub);
    }

    #[test]
    fn two_copies_or_long_shared_text_are_not_stubs() {
        let mut docs = vec![page("A", "Same text."), page("B", "Same text.")];
        assert_eq!(mark(&mut docs), 0);
        let long = "word ".repeat(400);
        let mut docs = vec![page("A", &long), page("B", &long), page("C", &long)];
        assert_eq!(mark(&mut docs), 0);
        // title-only pages share no text
        let mut docs = vec![page("A", ""), page("B", ""), page("C", "")];
        assert_eq!(mark(&mut docs), 0);
    }
}
