//! Text analysis for scour: the **one** definition of how text becomes terms.
//!
//! The indexer and the query engine both call [`Analyzer`], unchanged, so a term the
//! index holds is always found by its own text. Analysis is:
//!
//! 1. **Segmentation** into words: runs of letters, digits and combining marks; each
//!    CJK ideograph or kana is a word of its own (as Unicode word segmentation does).
//! 2. **Compounds**: words joined by one or two connector characters (`-`, `_`, `.`,
//!    `'`, `’`, `:`, `/`) with no space, and camelCase words, are split into their parts;
//!    the joined form is emitted too, so `QR-code` is found by `qr`, `code`, `qr-code`
//!    and `qrcode`, and `Vec::with_capacity` by `with_capacity` and `withcapacity`.
//! 3. **Normalisation**: lowercase and diacritic folding (`Café` → `cafe`, `ё` → `е`,
//!    `ß` → `ss`).
//! 4. **Stemming** ([`Analyzer::stem`]) is kept apart from the token stream: the index
//!    stores exact terms and groups them by stem, so exact forms can rank above stemmed
//!    ones.
//!
//! # Example
//! ```
//! use scour_text::Analyzer;
//! let a = Analyzer::english();
//! let terms: Vec<String> = a.tokens("QR-code Café").into_iter().map(|t| t.term).collect();
//! assert_eq!(terms, ["qr", "qrcode", "code", "cafe"]);
//! assert_eq!(a.stem("vaccinated"), a.stem("vaccines"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod fold;
mod fold_table;

use std::borrow::Cow;

pub use fold::{fold_char, normalize};

/// Terms longer than this (in bytes) are not indexed: they are base64 blobs, hashes or
/// minified code, never something a person types, and they would bloat the dictionary.
pub const MAX_TERM_BYTES: usize = 64;

/// A compound with more parts than this is not joined (long dotted paths, URLs):
/// its parts are still indexed.
pub const MAX_COMPOUND_PARTS: usize = 8;

/// The languages scour can stem. Unknown languages fall back to [`Language::None`]:
/// exact, prefix and typo-tolerant search still work, without stemming.
///
/// Every language stems at indexing time; the index stores which terms share a stem,
/// so the engine needs no stemmer to find the other forms of a word the site contains.
/// Only the English stemmer is compiled into the browser engine (for English words a
/// site does not contain); the others need the `all-languages` feature, which the
/// indexer enables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[non_exhaustive]
pub enum Language {
    /// No stemming.
    None,
    /// English.
    #[default]
    English,
    /// German.
    German,
    /// French.
    French,
    /// Spanish.
    Spanish,
    /// Russian.
    Russian,
    /// Portuguese.
    Portuguese,
    /// Italian.
    Italian,
    /// Dutch.
    Dutch,
    /// Swedish.
    Swedish,
    /// Norwegian.
    Norwegian,
    /// Danish.
    Danish,
    /// Finnish.
    Finnish,
}

impl Language {
    /// Every language, by code order.
    pub const ALL: [Language; 13] = [
        Language::None,
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Russian,
        Language::Portuguese,
        Language::Italian,
        Language::Dutch,
        Language::Swedish,
        Language::Norwegian,
        Language::Danish,
        Language::Finnish,
    ];

    /// The language for a BCP 47 tag such as `en`, `de-AT`, `pt_BR`; `None` when scour
    /// has no stemmer for it. An empty tag is English, scour's default.
    ///
    /// # Example
    /// ```
    /// use scour_text::Language;
    /// assert_eq!(Language::from_tag("de-AT"), Language::German);
    /// assert_eq!(Language::from_tag("ja"), Language::None);
    /// ```
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" | "" => Language::English,
            "de" => Language::German,
            "fr" => Language::French,
            "es" => Language::Spanish,
            "ru" => Language::Russian,
            "pt" => Language::Portuguese,
            "it" => Language::Italian,
            "nl" => Language::Dutch,
            "sv" => Language::Swedish,
            "no" | "nb" | "nn" => Language::Norwegian,
            "da" => Language::Danish,
            "fi" => Language::Finnish,
            _ => Language::None,
        }
    }

    /// A one-byte code for the index format.
    pub fn code(self) -> u8 {
        Language::ALL.iter().position(|&l| l == self).unwrap_or(0) as u8
    }

    /// The language of a code written by [`Language::code`]; unknown codes give `None`.
    pub fn from_code(code: u8) -> Language {
        Language::ALL
            .get(code as usize)
            .copied()
            .unwrap_or(Language::None)
    }
}

/// One term of analysed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The normalised (lowercased, folded), unstemmed term.
    pub term: String,
    /// Byte offset of the term's first character in the analysed text.
    pub start: usize,
    /// Byte offset just past the term's last character.
    pub end: usize,
    /// Word position: parts of a compound take consecutive positions; its joined form
    /// shares the position of its first part.
    pub position: u32,
    /// True for the joined form of a compound (`qrcode` for `QR-code`).
    pub joined: bool,
}

/// A term lent by [`Analyzer::for_each_term_while`]: the same fields as [`Token`],
/// the term borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term<'a> {
    /// The normalised (lowercased, folded), unstemmed term.
    pub term: &'a str,
    /// Byte offset of the term's first character in the analysed text.
    pub start: usize,
    /// Byte offset just past the term's last character.
    pub end: usize,
    /// Word position (see [`Token::position`]).
    pub position: u32,
    /// True for the joined form of a compound.
    pub joined: bool,
}

/// The analyser: segmentation, compounds, normalisation and stemming.
///
/// Cheap to create and to clone; hold one per language.
#[derive(Clone, Copy, Debug)]
pub struct Analyzer {
    language: Language,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::english()
    }
}

impl Analyzer {
    /// An analyser for `language`.
    pub fn new(language: Language) -> Analyzer {
        Analyzer { language }
    }

    /// The English analyser, scour's default.
    pub fn english() -> Analyzer {
        Analyzer::new(Language::English)
    }

    /// The language this analyser stems for.
    pub fn language(&self) -> Language {
        self.language
    }

    /// All tokens of `text`, in order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t));
        out
    }

    /// Calls `f` with every token of `text`, in order, without collecting them.
    pub fn for_each_token(&self, text: &str, mut f: impl FnMut(Token)) {
        self.for_each_token_while(text, |t| {
            f(t);
            true
        });
    }

    /// Calls `f` with the tokens of `text`, in order, until it returns `false`: finding
    /// one position in a long text costs only the tokens before it.
    pub fn for_each_token_while(&self, text: &str, mut f: impl FnMut(Token) -> bool) {
        self.for_each_term_while(text, |t| {
            f(Token {
                term: t.term.to_string(),
                start: t.start,
                end: t.end,
                position: t.position,
                joined: t.joined,
            })
        });
    }

    /// Like [`Analyzer::for_each_token_while`], lending each term instead of
    /// allocating it: the fast path for the engine and the indexer, which look most
    /// terms up and keep few of them.
    pub fn for_each_term_while(&self, text: &str, mut f: impl FnMut(&Term<'_>) -> bool) {
        self.terms(text, &mut f);
    }

    /// The tokeniser itself, behind a `dyn` callback so there is one copy of it in the
    /// wasm rather than one per call site (it is the largest function of the engine).
    fn terms(&self, text: &str, f: &mut dyn FnMut(&Term<'_>) -> bool) {
        let mut position: u32 = 0;
        let mut words: Vec<(usize, usize)> = Vec::new();
        // normalised parts of the current compound, back to back in `buf`
        let mut buf = String::new();
        let mut parts: Vec<(usize, usize, usize, usize)> = Vec::new();
        let mut joined = String::new();
        for (start, end) in Compounds::new(text) {
            words.clear();
            split_words(text, start, end, &mut words);
            buf.clear();
            parts.clear();
            for &(s, e) in &words {
                let at = buf.len();
                for c in text[s..e].chars() {
                    fold_char(c, &mut buf);
                }
                if buf.len() == at || buf.len() - at > MAX_TERM_BYTES {
                    buf.truncate(at);
                } else {
                    parts.push((s, e, at, buf.len()));
                }
            }
            if parts.is_empty() {
                continue;
            }
            let first = position;
            let n = parts.len();
            joined.clear();
            let has_joined = n > 1 && n <= MAX_COMPOUND_PARTS && {
                for p in &parts {
                    joined.push_str(&buf[p.2..p.3]);
                }
                joined.len() <= MAX_TERM_BYTES
            };
            let (s0, e_last) = (parts[0].0, parts[n - 1].1);
            for (i, &(s, e, a, b)) in parts.iter().enumerate() {
                let t = Term {
                    term: &buf[a..b],
                    start: s,
                    end: e,
                    position,
                    joined: false,
                };
                if !f(&t) {
                    return;
                }
                position = position.saturating_add(1);
                if i == 0 && has_joined {
                    let t = Term {
                        term: &joined,
                        start: s0,
                        end: e_last,
                        position: first,
                        joined: true,
                    };
                    if !f(&t) {
                        return;
                    }
                }
            }
        }
    }

    /// Normalises one word: lowercase and diacritic folding, no splitting.
    pub fn normalize(&self, word: &str) -> String {
        normalize(word)
    }

    /// The stem of a normalised term. Terms with digits and very short terms are their
    /// own stem: stemming `x86` or `is` only merges unrelated words.
    pub fn stem<'a>(&self, term: &'a str) -> Cow<'a, str> {
        if self.language == Language::None
            || term.chars().count() < 3
            || !term.chars().all(|c| c.is_alphabetic())
        {
            return Cow::Borrowed(term);
        }
        let stemmed = match self.language {
            // `Stemmer::create` is a match on the algorithm: called with a constant, only
            // the English algorithm is linked into the wasm.
            Language::English => {
                rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English).stem(term)
            }
            #[cfg(feature = "all-languages")]
            other => match algorithm(other) {
                Some(a) => rust_stemmers::Stemmer::create(a).stem(term),
                None => Cow::Borrowed(term),
            },
            #[cfg(not(feature = "all-languages"))]
            _ => Cow::Borrowed(term),
        };
        match stemmed {
            Cow::Borrowed(s) => Cow::Borrowed(s),
            Cow::Owned(s) if s == term => Cow::Borrowed(term),
            Cow::Owned(s) => Cow::Owned(s),
        }
    }
}

#[cfg(feature = "all-languages")]
fn algorithm(language: Language) -> Option<rust_stemmers::Algorithm> {
    use rust_stemmers::Algorithm as A;
    Some(match language {
        Language::English => A::English,
        Language::German => A::German,
        Language::French => A::French,
        Language::Spanish => A::Spanish,
        Language::Russian => A::Russian,
        Language::Portuguese => A::Portuguese,
        Language::Italian => A::Italian,
        Language::Dutch => A::Dutch,
        Language::Swedish => A::Swedish,
        Language::Norwegian => A::Norwegian,
        Language::Danish => A::Danish,
        Language::Finnish => A::Finnish,
        Language::None => return None,
    })
}

/// True for characters that make up words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || fold::is_combining(c)
}

/// True for characters that are a word on their own (CJK ideographs, kana, hangul
/// syllables are searched character by character).
fn is_solo_char(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FFFF) // CJK extensions B..
}

/// Characters that join two words into a compound when they stand between them with no
/// space: `QR-code`, `with_capacity`, `e.g`, `don't`, `std::vec`, `and/or`.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '-' | '_' | '.' | '\'' | '’' | ':' | '/' | '\u{2010}' | '\u{2011}'
    )
}

/// Iterator over compounds: byte ranges of word runs joined by at most two connector
/// characters. A compound starts and ends with a word character.
struct Compounds<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Compounds<'a> {
    fn new(text: &'a str) -> Self {
        Compounds { text, pos: 0 }
    }
}

impl Iterator for Compounds<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        // skip to the next word character
        let rest = &text[self.pos..];
        let (off, first) = rest
            .char_indices()
            .find(|&(_, c)| is_word_char(c) && !is_combining_start(c))?;
        let start = self.pos + off;
        if is_solo_char(first) {
            self.pos = start + first.len_utf8();
            return Some((start, self.pos));
        }
        let mut end = start;
        let mut iter = text[start..].char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let at = start + i;
            if is_word_char(c) && !is_solo_char(c) {
                end = at + c.len_utf8();
                continue;
            }
            if is_connector(c) {
                // one or two connectors followed by a word character continue the compound
                let mut next = iter.peek().copied();
                if let Some((_, c2)) = next {
                    if is_connector(c2) {
                        iter.next();
                        next = iter.peek().copied();
                    }
                }
                match next {
                    Some((_, c3))
                        if is_word_char(c3) && !is_solo_char(c3) && !fold::is_combining(c3) =>
                    {
                        continue
                    }
                    _ => break,
                }
            }
            break;
        }
        self.pos = end.max(start + first.len_utf8());
        Some((start, end))
    }
}

/// A combining mark with no base character before it is not a word start.
fn is_combining_start(c: char) -> bool {
    fold::is_combining(c)
}

/// Splits a compound into words: at connectors, and at camelCase boundaries
/// (`HashMap` → `Hash`, `Map`; `HTTPServer` → `HTTP`, `Server`).
fn split_words(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let s = &text[start..end];
    // Plain lowercase or digit words (most of them) have no inner boundary.
    if s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        out.push((start, end));
        return;
    }
    let mut word_start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        if !is_word_char(c) {
            if let Some(ws) = word_start.take() {
                out.push((start + ws, start + i));
            }
            prev = Some(c);
            continue;
        }
        match (word_start, prev) {
            (Some(ws), Some(p)) => {
                let lower_to_upper = p.is_lowercase() && c.is_uppercase();
                let acronym_end =
                    p.is_uppercase() && c.is_uppercase() && next.is_some_and(|n| n.is_lowercase());
                if lower_to_upper || acronym_end {
                    out.push((start + ws, start + i));
                    word_start = Some(i);
                }
            }
            _ => word_start = Some(i),
        }
        prev = Some(c);
    }
    if let Some(ws) = word_start {
        out.push((start + ws, end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Analyzer::english()
            .tokens(text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn words_are_lowercased_and_folded() {
        assert_eq!(
            terms("Café Ёлка Straße naïve"),
            ["cafe", "елка", "strasse", "naive"]
        );
    }

    #[test]
    fn hyphenated_words_give_parts_and_joined_form() {
        assert_eq!(
            terms("anti-QR-code protest"),
            ["anti", "antiqrcode", "qr", "code", "protest"]
        );
        let toks = Analyzer::english().tokens("QR-code");
        assert_eq!(toks[1].position, toks[0].position);
        assert!(toks[1].joined);
        assert_eq!(toks[2].position, 1);
    }

    #[test]
    fn identifiers_split_on_punctuation_and_case() {
        assert_eq!(
            terms("Vec::with_capacity HashMap"),
            [
                "vec",
                "vecwithcapacity",
                "with",
                "capacity",
                "hash",
                "hashmap",
                "map"
            ]
        );
        assert_eq!(terms("HTTPServer"), ["http", "httpserver", "server"]);
    }

    #[test]
    fn numbers_are_kept() {
        assert_eq!(
            terms("in 1904-1905, 20,000 rubles"),
            ["in", "1904", "19041905", "1905", "20", "000", "rubles"]
        );
    }

    #[test]
    fn offsets_point_into_the_source() {
        let text = "« Kagarlitsky » says Café-au-lait";
        for t in Analyzer::english().tokens(text) {
            let source = normalize(&text[t.start..t.end]);
            if t.joined {
                assert_eq!(source.replace('-', ""), t.term);
            } else {
                assert_eq!(source, t.term);
            }
        }
    }

    #[test]
    fn trailing_and_repeated_connectors_split() {
        assert_eq!(
            terms("e.g. end--start a...b"),
            ["e", "eg", "g", "end", "endstart", "start", "a", "b"]
        );
    }

    #[test]
    fn cjk_is_searched_per_character() {
        assert_eq!(terms("東京タワー"), ["東", "京", "タ", "ワ", "ー"]);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let a = Analyzer::english();
        for s in [
            "",
            "\u{0301}",
            "\u{0301}a",
            "--",
            "a-\u{0301}",
            "\0\u{1}\u{7f}",
            "🎉🎉",
            "مرحبا بالعالم",
            &"x".repeat(10_000),
        ] {
            let _ = a.tokens(s);
        }
        assert!(
            a.tokens(&"x".repeat(10_000)).is_empty(),
            "over-long terms are dropped"
        );
    }

    #[test]
    fn stemming_meets_word_forms() {
        let a = Analyzer::english();
        let s = a.stem("vaccine");
        for w in ["vaccines", "vaccinated", "vaccination"] {
            assert_eq!(a.stem(w), s, "{w}");
        }
        assert_eq!(a.stem("x86"), "x86");
        assert_eq!(Analyzer::new(Language::None).stem("vaccines"), "vaccines");
    }

    #[cfg(feature = "all-languages")]
    #[test]
    fn other_languages_stem_their_words() {
        let de = Analyzer::new(Language::German);
        assert_eq!(de.stem("häuser"), de.stem("hauser"));
        let fr = Analyzer::new(Language::French);
        assert_eq!(fr.stem("nationales"), fr.stem("national"));
        let ru = Analyzer::new(Language::Russian);
        assert_eq!(ru.stem("книги"), ru.stem("книга"));
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), l);
        }
    }
}
