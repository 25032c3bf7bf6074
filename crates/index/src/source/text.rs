//! Plain text articles (`.txt`), typically scraped news pages: the site's boilerplate
//! (copyright, cookie and legal notices) often comes before the headline, so the title is
//! the first line that reads like one rather than simply the first line.

use super::{collapse_whitespace, FileInfo, Loaded};
use crate::Document;

/// A line longer than this is a paragraph, not a headline.
const MAX_TITLE_CHARS: usize = 300;
/// Headlines have a few words; shorter lines are labels (`Menu`, `Fools:`, a byline).
const MIN_TITLE_WORDS: usize = 3;
/// Boilerplate lines in the body are short; a longer line that mentions "cookies" is
/// likely an article sentence and is kept.
const MAX_BOILERPLATE_WORDS: usize = 12;

/// Phrases (lowercase) of site chrome and legal notices, never a headline.
const BOILERPLATE: &[&str] = &[
    "copyright",
    "©",
    "(c) 19",
    "(c) 20",
    "all rights reserved",
    "privacy",
    "cookie",
    "read more",
    "subscribe",
    "sign up",
    "sign in",
    "log in",
    "advertisement",
    "share this",
    "share on",
    "when referencing our materials",
    "active hyperlink",
    "written permission",
    "terms of use",
    "terms of service",
    "skip to content",
    "skip to main content",
    "follow us",
    "newsletter",
    "click here",
    // Sponsorship notices ("The work of X is supported by Y"): the passive form keeps
    // headlines like "Bill supported by senators" eligible.
    " is supported by ",
    " is sponsored by ",
    " is funded by ",
    "powered by",
];

pub(crate) fn load(file: &FileInfo<'_>, text: &str, out: &mut Loaded) {
    if text.trim().is_empty() {
        out.skip(file.path, "empty page");
        return;
    }
    let (title, body) = split_article(text);
    let title = title.unwrap_or_else(|| file.stem.clone());
    out.documents.push(Document {
        id: file.id(),
        url: file.url(&file.rel),
        title,
        body,
        ..Document::default()
    });
}

/// Splits an article into its title (when a line qualifies) and body.
///
/// Lines before the title are dropped as boilerplate, as are lines that repeat the title
/// and short boilerplate lines after it. Paragraphs are separated by single `\n`s.
pub(crate) fn split_article(text: &str) -> (Option<String>, String) {
    let lines: Vec<String> = text.lines().map(collapse_whitespace).collect();
    let title_at = lines
        .iter()
        .position(|line| is_title_like(line))
        // No line reads like a headline: fall back to the first short non-boilerplate one.
        .or_else(|| {
            lines.iter().position(|line| {
                !line.is_empty() && line.chars().count() <= MAX_TITLE_CHARS && !is_boilerplate(line)
            })
        });
    let Some(title_at) = title_at else {
        // Only boilerplate or paragraphs: keep everything as the body.
        let body = join_lines(lines.iter().map(String::as_str), None);
        return (None, body);
    };
    let title = lines[title_at].clone();
    let body = join_lines(
        lines[title_at + 1..].iter().map(String::as_str),
        Some(&title),
    );
    (Some(title), body)
}

fn join_lines<'a>(lines: impl Iterator<Item = &'a str>, title: Option<&str>) -> String {
    let title_key = title.map(normalized);
    let mut body = String::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if title_key
            .as_deref()
            .is_some_and(|key| normalized(line) == key)
        {
            continue;
        }
        if word_count(line) <= MAX_BOILERPLATE_WORDS && is_boilerplate(line) {
            continue;
        }
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(line);
    }
    body
}

/// Case- and punctuation-insensitive form, to spot a repeated title.
fn normalized(line: &str) -> String {
    line.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words with at least one letter: a date such as "November 13, 2021" is one word.
fn word_count(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

fn is_boilerplate(line: &str) -> bool {
    let lower = format!(" {} ", line.to_lowercase());
    BOILERPLATE
        .iter()
        .any(|phrase| contains_at_word_start(&lower, phrase))
}

/// Whether `phrase` occurs in `hay` at the start of a word: "log in" is in "please log
/// in" but not in "catalog inventory"; "cookie" is in "cookies".
fn contains_at_word_start(hay: &str, phrase: &str) -> bool {
    hay.match_indices(phrase).any(|(at, _)| {
        let starts_word = phrase.starts_with(|c: char| !c.is_alphanumeric());
        starts_word
            || !hay[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
    })
}

/// Whether a (whitespace-collapsed) line can be an article's headline.
pub(crate) fn is_title_like(line: &str) -> bool {
    if line.is_empty() || line.chars().count() > MAX_TITLE_CHARS {
        return false;
    }
    if word_count(line) < MIN_TITLE_WORDS || is_boilerplate(line) {
        return false;
    }
    let lower = line.to_lowercase();
    // A label introducing what follows ("Read More:", "Related posts:").
    if line.ends_with(':') {
        return false;
    }
    // Links and addresses.
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return false;
    }
    // Bylines and credits ("By Jane Doe", "Edited by: A. N.", "Photo: …").
    let credit = [
        "by ",
        "by:",
        "edited by",
        "written by",
        "photo:",
        "image:",
        "source:",
    ];
    if word_count(line) <= 6 && credit.iter().any(|c| lower.starts_with(c)) {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_boilerplate_is_not_a_title() {
        for line in [
            "Copyright © 2024 Euromaidanpress.com",
            "The work of Euromaidan Press is supported by the International Renaissance Foundation",
            "When referencing our materials, please include an active hyperlink to the material.",
            "Privacy and Cookie Policies.",
            "All rights reserved by the publisher",
            "Subscribe to our daily newsletter",
            "Sign up for free today",
            "Share this article with friends",
            "ADVERTISEMENT - scroll to continue",
        ] {
            assert!(!is_title_like(line), "{line}");
        }
    }

    #[test]
    fn short_lines_labels_and_bylines_are_not_titles() {
        for line in [
            "Think again.",
            "Fools:",
            "Read More:",
            "By Jane Doe",
            "Edited by: A. N.",
            "November 13, 2021",
        ] {
            assert!(!is_title_like(line), "{line}");
        }
    }

    #[test]
    fn boilerplate_phrases_match_at_word_starts() {
        assert!(is_boilerplate("Please log in"));
        assert!(!is_boilerplate("The catalog inventory grew"));
        assert!(is_boilerplate("We use cookies"));
    }

    #[test]
    fn paragraphs_are_not_titles() {
        let paragraph = "word ".repeat(80);
        assert!(!is_title_like(paragraph.trim()));
    }

    #[test]
    fn headlines_are_titles() {
        assert!(is_title_like(
            "Cops hunt down Russians who politely asked Putin to stop nationwide QR-tagging"
        ));
        assert!(is_title_like("Bill supported by senators passes"));
    }

    #[test]
    fn title_repeats_and_leading_boilerplate_leave_the_body() {
        let text = "Copyright © 2024 Site\n\nBig news about the river\n\nFirst paragraph here.\n\
                    Big news about the river\n\n\nSecond paragraph.\nRead More:\n";
        let (title, body) = split_article(text);
        assert_eq!(title.as_deref(), Some("Big news about the river"));
        assert_eq!(body, "First paragraph here.\nSecond paragraph.");
    }

    #[test]
    fn long_sentences_mentioning_cookies_stay_in_the_body() {
        let text = "A headline for the test\nThe bakery sold twelve thousand cookies during the \
                    holiday season, a record for the small town shop.\n";
        let (_, body) = split_article(text);
        assert!(body.contains("cookies"));
    }

    #[test]
    fn without_a_headline_the_first_short_line_is_the_title() {
        let (title, body) = split_article("Hello\nworld is round and big today\n");
        assert_eq!(title.as_deref(), Some("world is round and big today"));
        assert_eq!(body, "");
        let (title, body) = split_article("Hi\n");
        assert_eq!(title.as_deref(), Some("Hi"));
        assert_eq!(body, "");
    }
}
