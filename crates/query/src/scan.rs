//! The match scan: where the words of a query occur in one stored document.
//!
//! The index keeps no positions (they were 70% of the postings' bytes, and the bundle
//! carries the text for snippets anyway). The engine finds them in the text of the
//! few documents it reranks or shows, and verifies phrases the same way.
//!
//! Analysing a whole page would cost more than the search itself, so the scan first
//! looks at raw bytes: the text is cut at ASCII whitespace (never inside a token, as
//! compounds are joined only by punctuation) into chunks, and only a chunk that holds a
//! non-ASCII byte, or whose letters and digits spell the first bytes of one of the
//! query's forms from where a term can start, goes through the [`Analyzer`]. Every other
//! chunk cannot hold a match: its ASCII bytes fold to themselves lowercased. Most bytes
//! of a page get one table lookup.

use scour_text::Analyzer;

use crate::StoredDoc;

/// What one query clause looks for in text: the words, forms, prefix and phrase the
/// scan finds and the snippets mark.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matcher {
    /// Terms matched exactly (the word first, then its typo corrections).
    pub words: Vec<String>,
    /// Other forms of the word (its stem group's terms).
    pub forms: Vec<String>,
    /// Terms starting with this match (the word being typed).
    pub prefix: Option<String>,
    /// Parts of a compound or phrase: each part is marked.
    pub phrase: Option<Vec<String>>,
    /// Per part of `phrase`, the other forms it may take there (`codes` for `code`):
    /// empty when only the parts themselves match.
    pub phrase_forms: Vec<Vec<String>>,
}

impl Matcher {
    /// True when `term` may stand at part `k` of the phrase: the part or one of its
    /// forms.
    pub fn part(&self, k: usize, term: &str) -> bool {
        self.phrase
            .as_ref()
            .and_then(|ps| ps.get(k))
            .is_some_and(|p| p == term)
            || self
                .phrase_forms
                .get(k)
                .is_some_and(|fs| fs.iter().any(|f| f == term))
    }

    /// How well `term` stands for the clause on its own: 1 for the word itself, less
    /// for its other forms, completions and typo corrections, 0 for no match. A
    /// phrase's parts are not counted: they only match where the whole phrase occurs.
    pub fn weight_word(&self, term: &str) -> f32 {
        if self.words.first().is_some_and(|w| w == term) {
            return 1.0;
        }
        if self.forms.iter().any(|f| f == term) {
            return 0.8;
        }
        if self.prefix.as_deref().is_some_and(|p| term.starts_with(p)) {
            return 0.7;
        }
        if self.words.iter().skip(1).any(|w| w == term) {
            return 0.5;
        }
        0.0
    }
}

/// Bytes between the fields (title, each heading, body) in the match space of a
/// document: more than any window the ranking or the snippets look at, so a passage
/// or a proximity window never joins two fields.
const FIELD_GAP: u32 = 1024;

/// Bytes a passage spans (about 20 words): the snippet's window, and how close the
/// clauses must be for an early stop.
pub(crate) const WINDOW_BYTES: u32 = 120;

/// Where the clauses of a query match in one document. Offsets are in the document's
/// match space: the title from 0, then each heading and the body, each `FIELD_GAP`
/// bytes after the previous one ends, so each field's byte offsets are kept.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matches {
    /// Per clause, the match-space offsets where it matches, in scan order: increasing,
    /// but for a phrase, recorded at its start once its last word is read.
    pub positions: Vec<Vec<u32>>,
    /// Where the body starts in the match space.
    pub body_base: u32,
    /// Bytes of the body scanned (its start): matches after them are not listed.
    pub body_scanned: usize,
    /// True when the scan stopped early, at a passage holding the clauses asked for.
    pub window: bool,
}

/// One query's scanner: the byte filter and what each clause looks for.
pub(crate) struct Scan<'q> {
    matchers: Vec<&'q Matcher>,
    /// Bytes worth a closer look: either case of a needle's first byte, and every
    /// non-ASCII byte (it could fold to anything).
    first: [bool; 256],
    /// Per first byte, the other bytes (lowercased ASCII, at most `NEEDLE_BYTES` in
    /// all) of every form a clause matches, and whether they end the form: a chunk is
    /// analysed where its letters and digits spell one from a term start.
    needles: Vec<Vec<(Vec<u8>, bool)>>,
}

/// Bytes of a form compared before a chunk is analysed.
const NEEDLE_BYTES: usize = 8;

/// A phrase being matched: the part expected next and where the phrase started.
type Partial = (usize, u32);

impl<'q> Scan<'q> {
    /// A scanner for the clauses of `matchers`: each matches where its matcher's word
    /// forms do (`Matcher::weight_word`) and where its phrase, if any, occurs whole.
    pub fn new(matchers: &[&'q Matcher]) -> Scan<'q> {
        let mut scan = Scan {
            matchers: matchers.to_vec(),
            first: [false; 256],
            needles: vec![Vec::new(); 128],
        };
        scan.first[128..].fill(true);
        for m in matchers {
            let parts = m
                .phrase
                .iter()
                .flatten()
                .chain(m.phrase_forms.iter().flatten());
            let forms = m.words.iter().chain(&m.forms).chain(parts);
            for w in forms {
                scan.needle(w.as_bytes(), true);
            }
            if let Some(p) = &m.prefix {
                scan.needle(p.as_bytes(), false);
            }
        }
        scan
    }

    /// Lets chunks spelling the first bytes of `word` through the filter; `whole`
    /// when the form is a whole term (not a prefix being typed).
    fn needle(&mut self, word: &[u8], whole: bool) {
        // Bytes after the first non-ASCII one are not compared: a chunk holding a
        // non-ASCII byte is always analysed.
        let ascii = word.iter().take_while(|b| b.is_ascii()).count();
        let needle = &word[..ascii.min(NEEDLE_BYTES)];
        let Some(&a) = needle.first() else { return };
        self.first[a as usize] = true;
        self.first[a.to_ascii_uppercase() as usize] = true;
        let entry = (needle[1..].to_vec(), whole && needle.len() == word.len());
        let bucket = &mut self.needles[a as usize];
        if !bucket.contains(&entry) {
            bucket.push(entry);
        }
    }

    /// True when a form may start at `text[i]`: a non-ASCII byte, or a needle spelt by
    /// the letters and digits from `i` on (punctuation between them skipped: the
    /// joined form of `e-mail` is `email`), starting where a term can start.
    #[inline]
    fn may_start(&self, text: &[u8], i: usize) -> bool {
        let b = text[i];
        if !b.is_ascii() {
            return true;
        }
        // Terms start at a word's start, a capital (camelCase) or a change between
        // letters and digits, never at a small letter after a letter.
        let prev = if i > 0 { text[i - 1] } else { b' ' };
        if (b.is_ascii_lowercase() && prev.is_ascii_alphabetic())
            || (b.is_ascii_digit() && prev.is_ascii_digit())
        {
            return false;
        }
        let l = b.to_ascii_lowercase();
        let rest = &text[i + 1..];
        self.needles[l as usize]
            .iter()
            .any(|(n, whole)| spells(n, rest, *whole, l))
    }

    /// How many clauses the scanner looks for.
    pub fn clauses(&self) -> usize {
        self.matchers.len()
    }

    /// Where each clause matches in `doc`: its title, headings, and about the first
    /// `limit` bytes of its body (cut at whitespace). With `need` above 0, the body scan
    /// stops at the first passage where that many clauses match (enough for a snippet).
    pub fn doc(
        &self,
        doc: &StoredDoc<'_>,
        analyzer: &Analyzer,
        limit: usize,
        need: usize,
    ) -> Matches {
        let mut positions = vec![Vec::new(); self.matchers.len()];
        let mut base = 0u32;
        let mut next = |len: usize| {
            let at = base;
            base = at.saturating_add(len as u32).saturating_add(FIELD_GAP);
            at
        };
        let at = next(doc.title.len());
        self.field(doc.title.as_bytes(), at, analyzer, &mut positions, None);
        for h in &doc.headings {
            let at = next(h.text.len());
            self.field(h.text.as_bytes(), at, analyzer, &mut positions, None);
        }
        let body_base = next(0);
        let mut found = Matches {
            positions,
            body_base,
            body_scanned: 0,
            window: false,
        };
        self.extend(doc, analyzer, &mut found, limit, need);
        found
    }

    /// Scans the body of `doc` on from where `found` stopped, to about `limit` bytes
    /// (with `need` above 0, only until a passage where that many clauses match).
    pub fn extend(
        &self,
        doc: &StoredDoc<'_>,
        analyzer: &Analyzer,
        found: &mut Matches,
        limit: usize,
        need: usize,
    ) {
        let body = head(doc.body, limit);
        if body.len() <= found.body_scanned || (need > 0 && found.window) {
            return;
        }
        let at = found.body_base.saturating_add(found.body_scanned as u32);
        let stop = (need > 0).then_some((found.body_base, need));
        let rest = &body[found.body_scanned..];
        match self.field(rest, at, analyzer, &mut found.positions, stop) {
            Some(end) => {
                found.window = true;
                found.body_scanned += end;
            }
            None => found.body_scanned = body.len(),
        }
    }

    /// Adds the matches of one field's text, offset by `base`, to `out`. With
    /// `stop: Some((floor, need))`, stops after the first chunk that completes a
    /// passage where `need` clauses match at or after `floor`, and returns where.
    fn field(
        &self,
        text: &[u8],
        base: u32,
        analyzer: &Analyzer,
        out: &mut [Vec<u32>],
        stop: Option<(u32, usize)>,
    ) -> Option<usize> {
        let mut partials: Vec<Vec<Partial>> = vec![Vec::new(); self.matchers.len()];
        let n = text.len();
        // `done`: the end of the last chunk analysed
        let (mut i, mut done) = (0, 0);
        while i < n {
            // the hot loop: most bytes start no needle
            if !self.first[text[i] as usize] || !self.may_start(text, i) {
                i += 1;
                continue;
            }
            let mut s = i;
            while s > done && !text[s - 1].is_ascii_whitespace() {
                s -= 1;
            }
            let mut e = i + 1;
            while e < n && !text[e].is_ascii_whitespace() {
                e += 1;
            }
            // a word skipped since the last chunk breaks every phrase in progress
            if partials.iter().any(|p| !p.is_empty())
                && text[done..s].iter().any(u8::is_ascii_alphanumeric)
            {
                partials.iter_mut().for_each(Vec::clear);
            }
            match std::str::from_utf8(&text[s..e]) {
                Ok(chunk) => {
                    let at = base.saturating_add(s as u32);
                    self.chunk(chunk, at, analyzer, &mut partials, out);
                    // clauses whose last match is in the passage ending with this chunk
                    let from = at.saturating_sub(WINDOW_BYTES);
                    if stop.is_some_and(|(floor, need)| {
                        let close =
                            |ps: &&Vec<u32>| ps.last().is_some_and(|&p| p >= floor.max(from));
                        out.iter().filter(close).count() >= need
                    }) {
                        return Some(e);
                    }
                }
                Err(_) => partials.iter_mut().for_each(Vec::clear),
            }
            done = e;
            i = e;
        }
        None
    }

    /// Analyses one chunk that passed the filter.
    fn chunk(
        &self,
        chunk: &str,
        at: u32,
        analyzer: &Analyzer,
        partials: &mut [Vec<Partial>],
        out: &mut [Vec<u32>],
    ) {
        analyzer.for_each_term_while(chunk, |t| {
            let start = at.saturating_add(t.start as u32);
            for (c, m) in self.matchers.iter().enumerate() {
                if m.weight_word(t.term) > 0.0 {
                    out[c].push(start);
                }
                // the joined form of a compound shares its first part's position
                let Some(parts) = m.phrase.as_deref().filter(|_| !t.joined) else {
                    continue;
                };
                // advance the phrases in progress, in place, then maybe start one
                let ps = &mut partials[c];
                let mut kept = 0;
                for j in 0..ps.len() {
                    let (k, s) = ps[j];
                    if m.part(k, t.term) {
                        if k + 1 == parts.len() {
                            out[c].push(s);
                        } else {
                            ps[kept] = (k + 1, s);
                            kept += 1;
                        }
                    }
                }
                ps.truncate(kept);
                if m.part(0, t.term) {
                    if parts.len() == 1 {
                        out[c].push(start);
                    } else {
                        ps.push((1, start));
                    }
                }
            }
            true
        });
    }
}

/// The first `limit` bytes of `text`, cut back to whitespace (or to a character
/// boundary in a text without any) so no chunk is split.
fn head(text: &[u8], limit: usize) -> &[u8] {
    if text.len() <= limit {
        return text;
    }
    let cut = text[..limit]
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .unwrap_or_else(|| {
            (0..=limit)
                .rev()
                .find(|&i| text[i] & 0xC0 != 0x80)
                .unwrap_or(0)
        });
    &text[..cut]
}

/// True when the letters and digits of `text`, up to its next whitespace, start with
/// `needle` (lowercased; `first` is the byte before it), and, for a `whole` term, end
/// with it: no small letter follows a letter, no digit a digit. Also true when a
/// non-ASCII byte comes first (it could fold to anything).
fn spells(needle: &[u8], text: &[u8], whole: bool, first: u8) -> bool {
    let mut k = 0;
    let mut last = first;
    for &x in text {
        if !x.is_ascii() {
            return true;
        }
        if k == needle.len() {
            return !whole
                || !((last.is_ascii_alphabetic() && x.is_ascii_lowercase())
                    || (last.is_ascii_digit() && x.is_ascii_digit()));
        }
        if x.is_ascii_whitespace() {
            return false;
        }
        if x.is_ascii_alphanumeric() {
            if x.to_ascii_lowercase() != needle[k] {
                return false;
            }
            last = needle[k];
            k += 1;
        }
    }
    k == needle.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Where `m` matches in `text` by analysing all of it: what the filter must not
    /// change.
    fn analysed(text: &str, m: &Matcher) -> Vec<u32> {
        let mut out = Vec::new();
        Analyzer::english().for_each_term_while(text, |t| {
            if m.weight_word(t.term) > 0.0 {
                out.push(t.start as u32);
            }
            true
        });
        out
    }

    fn scanned(text: &str, m: &Matcher) -> Vec<u32> {
        let mut out = vec![Vec::new()];
        Scan::new(&[m]).field(text.as_bytes(), 0, &Analyzer::english(), &mut out, None);
        out.pop().unwrap()
    }

    fn word(w: &str) -> Matcher {
        Matcher {
            words: vec![w.to_string()],
            ..Matcher::default()
        }
    }

    #[test]
    fn finds_words_inside_compounds_camel_case_and_folded_text() {
        let text =
            "An e-mail to HashMap users: the CAFÉ's Vec::with_capacity (x86, utf8) isn't this";
        for w in [
            "email",
            "e",
            "mail",
            "map",
            "hashmap",
            "cafe",
            "withcapacity",
            "capacity",
            "x86",
            "utf8",
            "is",
            "isn",
            "a",
        ] {
            assert_eq!(scanned(text, &word(w)), analysed(text, &word(w)), "{w}");
        }
        assert_eq!(scanned(text, &word("is")), analysed(text, &word("is")));
        assert!(scanned(text, &word("this")).len() == 1);
    }

    #[test]
    fn phrases_match_only_adjacent_words_in_order() {
        let m = Matcher {
            phrase: Some(vec!["borrow".into(), "checker".into()]),
            ..Matcher::default()
        };
        let text = "the borrow checker; borrow the checker; Borrow-Checker; borrow\n checker";
        let found = scanned(text, &m);
        let at = |s: &str| {
            text.match_indices(s)
                .map(|(i, _)| i as u32)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found,
            [
                at("borrow checker")[0],
                at("Borrow-Checker")[0],
                at("borrow\n")[0]
            ]
        );
    }

    #[test]
    fn early_stop_keeps_the_first_passage_with_every_clause() {
        let (a, b) = (word("alpha"), word("beta"));
        let scan = Scan::new(&[&a, &b]);
        let text = format!(
            "alpha {} alpha beta {}",
            "x ".repeat(200),
            "alpha beta ".repeat(50)
        );
        let mut out = vec![Vec::new(), Vec::new()];
        let end = scan.field(
            text.as_bytes(),
            0,
            &Analyzer::english(),
            &mut out,
            Some((0, 2)),
        );
        let second = text.find("alpha beta").unwrap();
        assert!(end.is_some_and(|e| e < second + 20), "{end:?}");
        assert_eq!(out[1], [second as u32 + 6]);
    }

    #[test]
    fn a_phrase_check_reads_at_most_its_limit_of_a_body() {
        // how `search::phrase_matches` verifies a phrase: title and headings, then the
        // body up to what is left of the query's phrase budget, checked as it scans
        const LIMIT: usize = 256 << 10;
        let m = Matcher {
            phrase: Some(vec!["borrow".into(), "checker".into()]),
            ..Matcher::default()
        };
        let scan = Scan::new(&[&m]);
        let found = |body: &str| {
            let doc = StoredDoc {
                body: body.as_bytes(),
                ..StoredDoc::default()
            };
            let analyzer = Analyzer::english();
            let mut found = scan.doc(&doc, &analyzer, 0, 1);
            scan.extend(&doc, &analyzer, &mut found, LIMIT, 1);
            assert!(found.body_scanned <= LIMIT);
            !found.positions[0].is_empty()
        };
        // "borrow the " is 11 bytes: half the limit, then twice it
        let half = "borrow the ".repeat(LIMIT / 22);
        assert!(found(&format!("{half}borrow checker")));
        // past the limit: not read, so not found
        assert!(!found(&format!("{half}{half}{half}{half}borrow checker")));
    }

    #[test]
    fn head_cuts_at_whitespace_or_a_character_boundary() {
        assert_eq!(head(b"one two three", 9), b"one two");
        assert_eq!(head("ééé".as_bytes(), 3), "é".as_bytes());
        assert_eq!(head(b"short", 100), b"short");
    }

    proptest! {
        /// The byte filter never hides a match the analyser finds.
        #[test]
        fn filter_agrees_with_the_analyser(
            words in proptest::collection::vec(
                "[a-zA-Z]{1,6}|[A-Z][a-z]{1,4}[A-Z][a-z]{1,4}|[a-z]{1,3}[-_.:'][a-z]{1,3}|[0-9]{1,3}[a-z]{0,2}|Café|ÉTÉ|naïve|日本|straße",
                1..40,
            ),
            seps in proptest::collection::vec("[ \n]|, |\\(|\\) |--", 40),
            pick in 0usize..40,
            prefix in any::<bool>(),
        ) {
            let mut text = String::new();
            for (w, s) in words.iter().zip(&seps) {
                text.push_str(w);
                text.push_str(s);
            }
            let terms: Vec<String> = Analyzer::english().tokens(&text).into_iter().map(|t| t.term).collect();
            prop_assume!(!terms.is_empty());
            let term = &terms[pick % terms.len()];
            let mut m = word(term);
            if prefix {
                let cut = term.char_indices().nth(1).map_or(term.len(), |(i, _)| i);
                m = Matcher { prefix: Some(term[..cut].to_string()), ..m };
            }
            prop_assert_eq!(scanned(&text, &m), analysed(&text, &m));
        }
    }
}
