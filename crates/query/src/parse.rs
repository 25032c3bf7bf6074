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
                Some(b) if b.starts_with(|c: char| !c.is_whitespace()) => (true, b),
                _ => (false, rest),
            };
            let (text_len, inner, quoted) = if let Some(after) = body.strip_prefix('"') {
                match after.find('"') {
                    Some(end) => (1 + end + 1, &after[..end], true),
                    None => (1 + after.len(), after, true), // unbalanced: to the end
                }
            } else {
                let end = body
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .unwrap_or(body.len());
                (end, &body[..end], false)
            };
            let consumed = (rest.len() - body.len()) + text_len;
            let chunk_text = rest[..consumed].to_string();
            rest = &rest[consumed..];
            let last = rest.trim().is_empty() && ends_open;
            let clause = if negated {
                for t in analyzer.tokens(inner) {
                    if !t.joined && !q.excluded.contains(&t.term) {
                        q.excluded.push(t.term);
                    }
                }
                None
            } else if q.clauses.len() >= MAX_CLAUSES {
                None
            } else if quoted {
                let words: Vec<String> = analyzer
                    .tokens(inner)
                    .into_iter()
                    .filter(|t| !t.joined)
                    .map(|t| t.term)
                    .collect();
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
            } else {
                q.push_word_clauses(inner, analyzer, last)
            };
            q.chunks.push(Chunk {
                text: chunk_text,
                clause,
            });
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
                let is_last = last && (t.end == word.len() || i + 1 == tokens.len());
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
        assert_eq!(q.excluded, ["kagarlitsky", "qr", "code"]);
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

    #[test]
    fn a_hyphen_inside_a_word_is_not_an_exclusion() {
        let q = parse("anti-qr");
        assert!(q.excluded.is_empty());
        assert_eq!(q.clauses.len(), 1);
    }
}
