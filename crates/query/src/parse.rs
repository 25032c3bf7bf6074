//! Query syntax: words, `"exact phrases"`, `-exclusions`; the last word is a prefix
//! while the user is still typing it.

use scour_text::Analyzer;

/// Queries longer than this many characters are cut: nobody types more, and the cut
/// keeps every query fast whatever is pasted into the box.
pub const MAX_QUERY_CHARS: usize = 256;

/// At most this many clauses are evaluated (later words are ignored).
pub const MAX_CLAUSES: usize = 12;

/// One thing a document is asked to contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clause {
    /// One word.
    Term {
        /// The normalised word.
        word: String,
        /// The user may still be typing it: complete it as a prefix.
        prefix: bool,
    },
    /// A compound such as `qr-code` or `with_capacity`: its joined form, or its parts
    /// adjacent and in order.
    Compound {
        /// The parts, normalised.
        parts: Vec<String>,
        /// The joined form (`qrcode`).
        joined: String,
        /// The joined form may be completed as a prefix.
        prefix: bool,
    },
    /// Words that must be adjacent and in order.
    Phrase(Vec<String>),
}

/// A piece of the query as typed, kept to rebuild a corrected query ("did you mean").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// The text as typed (quotes and minus sign included).
    pub text: String,
    /// The clause it produced, if any (index into [`Query::clauses`]).
    pub clause: Option<usize>,
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Clauses a document should match; more matched clauses rank higher.
    pub clauses: Vec<Clause>,
    /// Normalised words whose documents are left out.
    pub excluded: Vec<String>,
    /// Phrases (`-"the borrow checker"`) whose documents are left out: only those where
    /// the words are adjacent and in order, not every page holding one of them.
    pub excluded_phrases: Vec<Vec<String>>,
    /// The query as typed, in pieces.
    pub chunks: Vec<Chunk>,
}

impl Query {
    /// Parses `input` with `analyzer` (the same analyser the index was built with).
    ///
    /// # Example
    /// ```
    /// use scour_query::{Clause, Query};
    /// let q = Query::parse("\"total control\" qr -kagarlitsky", &scour_text::Analyzer::english());
    /// assert_eq!(q.clauses[0], Clause::Phrase(vec!["total".into(), "control".into()]));
    /// assert_eq!(q.excluded, ["kagarlitsky"]);
    /// ```
    pub fn parse(input: &str, analyzer: &Analyzer) -> Query {
        let input: &str = match input.char_indices().nth(MAX_QUERY_CHARS) {
            Some((i, _)) => &input[..i],
            None => input,
        };
        let mut q = Query::default();
        let ends_open = input
            .chars()
            .last()
            .is_some_and(|c| !c.is_whitespace() && c != '"');
        let mut rest = input;
        while !rest.is_empty() {
            let trimmed = rest.trim_start();
            if trimmed.is_empty() {
                break;
            }
            rest = trimmed;
            let (negated, body) = match rest.strip_prefix('-') {
                Some(b) if b.starts_with(|c: char| !c.is_whitespace()) && !is_option(b) => {
                    (true, b)
                }
                _ => (false, rest),
            };
            let (text_len, inner, quoted) = if let Some(after) = body.strip_prefix('"') {
                match after.find('"') {
                    Some(end) => (1 + end + 1, &after[..end], true),
                    None => (1 + after.len(), after, true), // unbalanced: to the end
                }
            } else {
                let end = word_end(body);
                (end, &body[..end], false)
            };
            let consumed = (rest.len() - body.len()) + text_len;
            let chunk_text = rest[..consumed].to_string();
            rest = &rest[consumed..];
            let last = rest.trim().is_empty() && ends_open;
            let clause = if negated {
                let words = words(inner, analyzer);
                match words.len() {
                    0 => {}
                    1 if q.excluded.contains(&words[0]) => {}
                    1 => q.excluded.extend(words),
                    // `-"total control"` and `-anti-qr`: the words together
                    _ if !q.excluded_phrases.contains(&words) => q.excluded_phrases.push(words),
                    _ => {}
                }
                None
            } else if q.clauses.len() >= MAX_CLAUSES {
                None
            } else if quoted {
                let words = words(inner, analyzer);
                let clause = match words.len() {
                    0 => None,
                    1 => Some(Clause::Term {
                        word: words.into_iter().next().unwrap_or_default(),
                        prefix: false,
                    }),
                    _ => Some(Clause::Phrase(words)),
                };
                clause.map(|c| {
                    q.clauses.push(c);
                    q.clauses.len() - 1
                })
            } else if let Some(words) = code(inner, analyzer) {
                // like a phrase, so that `T` matches only where it follows `Rc`
                q.clauses.push(Clause::Phrase(words));
                Some(q.clauses.len() - 1)
            } else {
                q.push_word_clauses(inner, analyzer, last)
            };
            q.chunks.push(Chunk {
                text: chunk_text,
                clause,
            });
        }
        // A one-letter word being typed is completed only when it is the whole query
        // (the first keystroke): after other words it would turn `rust b` into every
        // word starting with "b" and mark them all.
        if q.clauses.len() > 1 {
            for c in &mut q.clauses {
                if let Clause::Term { word, prefix } = c {
                    if word.chars().count() == 1 {
                        *prefix = false;
                    }
                }
            }
        }
        q
    }

    /// Adds the clauses of one unquoted word; returns the index of the first.
    fn push_word_clauses(&mut self, word: &str, analyzer: &Analyzer, last: bool) -> Option<usize> {
        let tokens = analyzer.tokens(word);
        let first = self.clauses.len();
        let mut i = 0;
        while i < tokens.len() && self.clauses.len() < MAX_CLAUSES {
            let t = &tokens[i];
            // a joined token comes right after the first part of its compound
            if let Some(j) = tokens.get(i + 1).filter(|j| j.joined) {
                let parts: Vec<String> = tokens[i..]
                    .iter()
                    .filter(|p| !p.joined && p.start >= j.start && p.end <= j.end)
                    .map(|p| p.term.clone())
                    .collect();
                let n = parts.len();
                let is_last = last && j.end == word.len();
                self.clauses.push(Clause::Compound {
                    parts,
                    joined: j.term.clone(),
                    prefix: is_last,
                });
                // skip the first part, the joined token and the remaining parts
                i += 2 + n.saturating_sub(1);
                continue;
            }
            if !t.joined {
                // a word followed by punctuation (`foo.`, `bar)`) is complete
                let is_last = last && t.end == word.len();
                self.clauses.push(Clause::Term {
                    word: t.term.clone(),
                    prefix: is_last,
                });
            }
            i += 1;
        }
        (self.clauses.len() > first).then_some(first)
    }
}

/// Characters that make a word code when they join its parts: generics, calls,
/// references, attributes. (`*`, `{a,b}` and `?` are left out: in names such as
/// `riscv32i*-unknown-none-elf` they are patterns, not text to match.)
const CODE_PUNCTUATION: &[char] = &['<', '>', '(', ')', '[', ']', '&', '#'];

/// The words of `text` in order, without the joined forms of its compounds: what a
/// phrase, an exclusion or code must hold.
fn words(text: &str, analyzer: &Analyzer) -> Vec<String> {
    analyzer
        .tokens(text)
        .into_iter()
        .filter(|t| !t.joined)
        .map(|t| t.term)
        .collect()
}

/// The words of `word` when it is code: two words or more joined by code punctuation
/// (`Rc<T>`, `HashMap<K, V>`, `fn(&str)`, `git-config(1)`, `#[derive(Debug)]`), not
/// plain words and compounds. Code is one clause of its words adjacent and in order.
fn code(word: &str, analyzer: &Analyzer) -> Option<Vec<String>> {
    if !word.contains(CODE_PUNCTUATION) {
        return None;
    }
    let words = words(word, analyzer);
    (words.len() > 1).then_some(words)
}

/// Where an unquoted word ends: at whitespace or a quote, except inside brackets that
/// close later (`HashMap<K, V>` and `fn(a, b)` are one word). A bracket that does not
/// close (`x < y`, or code still being typed) does not join words.
fn word_end(text: &str) -> usize {
    let plain = text
        .find(|c: char| c.is_whitespace() || c == '"')
        .unwrap_or(text.len());
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '"' => break,
            c if c.is_whitespace() && depth == 0 => return i,
            _ => {}
        }
    }
    if depth == 0 {
        text.find('"').unwrap_or(text.len())
    } else {
        plain
    }
}

/// True when `after` (what follows a `-` starting a word) is a command-line option,
/// not an exclusion: `--release`, `-r`, `-O2`, `-j16`. Excluding them would remove the
/// very pages that document them.
fn is_option(after: &str) -> bool {
    if after.starts_with('-') {
        return true;
    }
    let word: &str = &after[..after.find(char::is_whitespace).unwrap_or(after.len())];
    if word.starts_with('"') {
        return false;
    }
    let mut chars = word.chars();
    let short = word.chars().count() <= 2 && word.chars().all(|c| c.is_ascii_alphanumeric());
    let letter_digits = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && !chars.as_str().is_empty()
        && chars.all(|c| c.is_ascii_digit());
    short || letter_digits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Query {
        Query::parse(s, &Analyzer::english())
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        let q = parse("Nizhny Tag");
        assert_eq!(
            q.clauses[0],
            Clause::Term {
                word: "nizhny".into(),
                prefix: false
            }
        );
        assert_eq!(
            q.clauses[1],
            Clause::Term {
                word: "tag".into(),
                prefix: true
            }
        );
        let q = parse("Nizhny Tag ");
        assert_eq!(
            q.clauses[1],
            Clause::Term {
                word: "tag".into(),
                prefix: false
            }
        );
    }

    #[test]
    fn compounds_keep_parts_and_joined_form() {
        let q = parse("QR-code protest");
        assert_eq!(
            q.clauses[0],
            Clause::Compound {
                parts: vec!["qr".into(), "code".into()],
                joined: "qrcode".into(),
                prefix: false
            }
        );
        assert_eq!(q.clauses.len(), 2);
    }

    #[test]
    fn phrases_and_exclusions() {
        let q = parse("\"total control\" -Kagarlitsky -\"qr code\"");
        assert_eq!(
            q.clauses,
            vec![Clause::Phrase(vec!["total".into(), "control".into()])]
        );
        assert_eq!(q.excluded, ["kagarlitsky"]);
        assert_eq!(q.excluded_phrases, [["qr", "code"]]);
    }

    #[test]
    fn unbalanced_quote_runs_to_the_end() {
        let q = parse("\"total contr");
        assert_eq!(
            q.clauses,
            vec![Clause::Phrase(vec!["total".into(), "contr".into()])]
        );
    }

    #[test]
    fn hostile_queries_parse() {
        for s in [
            "",
            "   ",
            "\"",
            "-",
            "- -",
            "--x",
            "\"\"",
            "🎉",
            "\u{0}\u{1}",
            "مرحبا",
            &"a ".repeat(5000),
            &"\"".repeat(999),
        ] {
            let q = parse(s);
            assert!(q.clauses.len() <= MAX_CLAUSES);
        }
    }

    fn phrase(words: &[&str]) -> Clause {
        Clause::Phrase(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn code_is_one_clause_of_adjacent_words() {
        assert_eq!(parse("Rc<T>").clauses, [phrase(&["rc", "t"])]);
        assert_eq!(parse("Option<&T>").clauses, [phrase(&["option", "t"])]);
        // brackets that close later hold the spaces inside them
        assert_eq!(
            parse("HashMap<K, V> insert").clauses[0],
            phrase(&["hash", "map", "k", "v"])
        );
        assert_eq!(parse("HashMap<K, V> insert").clauses.len(), 2);
        assert_eq!(
            parse("#[derive(Debug)]").clauses,
            [phrase(&["derive", "debug"])]
        );
        assert_eq!(parse("fn(&str)").clauses, [phrase(&["fn", "str"])]);
        assert_eq!(parse("git-add(1)").clauses, [phrase(&["git", "add", "1"])]);
        // one word with brackets is a word; a bracket that never closes joins nothing
        assert_eq!(
            parse("foo()").clauses,
            [Clause::Term {
                word: "foo".into(),
                prefix: false
            }]
        );
        assert_eq!(parse("x < y").clauses.len(), 2);
        // globs are patterns, not code
        assert!(matches!(
            parse("riscv32i*-unknown-none-elf").clauses[0],
            Clause::Term { .. } | Clause::Compound { .. }
        ));
    }

    #[test]
    fn options_are_words_not_exclusions() {
        for q in ["pip --force-reinstall", "build -r", "gcc -O2", "make -j16"] {
            let p = parse(q);
            assert!(p.excluded.is_empty(), "{q:?}: {p:?}");
            assert_eq!(p.clauses.len(), 2, "{q:?}: {p:?}");
        }
        assert!(matches!(
            &parse("pip --force-reinstall").clauses[1],
            Clause::Compound { joined, .. } if joined == "forcereinstall"
        ));
        assert_eq!(parse("qr -kagarlitsky").excluded, ["kagarlitsky"]);
        assert_eq!(
            parse("qr -\"total control\"").excluded_phrases,
            [["total", "control"]]
        );
    }

    #[test]
    fn a_one_letter_word_is_completed_only_alone() {
        assert_eq!(
            parse("t").clauses,
            [Clause::Term {
                word: "t".into(),
                prefix: true
            }]
        );
        assert_eq!(
            parse("rust b").clauses[1],
            Clause::Term {
                word: "b".into(),
                prefix: false
            }
        );
        // a word followed by punctuation is complete
        assert_eq!(
            parse("end.").clauses,
            [Clause::Term {
                word: "end".into(),
                prefix: false
            }]
        );
    }

    #[test]
    fn a_hyphen_inside_a_word_is_not_an_exclusion() {
        let q = parse("anti-qr");
        assert!(q.excluded.is_empty());
        assert_eq!(q.clauses.len(), 1);
    }
}
