//! Snippets: the best passage of a document as plain text, with the matched words
//! marked by UTF-16 ranges.

use scour_format::CHECKPOINT_EVERY;
use scour_text::Analyzer;

use crate::dict::Dict;
use crate::store;
use crate::{SearchOptions, Snippet, StoredDoc, SubHit};

/// Positions a passage spans when choosing the best one.
const WINDOW: u32 = 20;
/// Words of context shown before the first match.
const LEAD: u32 = 4;

/// Decides which words of a passage to mark for one query clause.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matcher {
    /// Terms matched exactly (the word first, then its typo corrections).
    pub words: Vec<String>,
    /// Stem groups of the word: their terms are other forms of it.
    pub groups: Vec<u32>,
    /// Terms starting with this match (the word being typed).
    pub prefix: Option<String>,
    /// Parts of a compound or phrase: each part is marked.
    pub phrase: Option<Vec<String>>,
}

impl Matcher {
    /// How well `term` matches: 1 for the word itself, less for its other forms,
    /// completions and typo corrections, 0 for no match. `group` caches the term's stem
    /// group across the matchers of one term (it costs a dictionary lookup).
    pub fn weight(&self, term: &str, dict: &Dict<'_>, group: &mut Option<Option<u32>>) -> f32 {
        if self.words.first().is_some_and(|w| w == term) {
            return 1.0;
        }
        if self
            .phrase
            .as_ref()
            .is_some_and(|ws| ws.iter().any(|w| w == term))
        {
            return 1.0;
        }
        // Forms of one stem start alike (`vaccine`, `vaccination`): checking the first
        // letters first spares a dictionary lookup for almost every other word.
        if !self.groups.is_empty()
            && same_start(term, self.words.first().map_or("", |w| w.as_str()))
        {
            let g = *group.get_or_insert_with(|| dict.exact(term).and_then(|o| dict.group(o)));
            if g.is_some_and(|g| self.groups.contains(&g)) {
                return 0.8;
            }
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

/// True when `a` and `b` share their first two characters (or one is that short).
fn same_start(a: &str, b: &str) -> bool {
    let mut x = a.chars();
    let mut y = b.chars();
    for _ in 0..2 {
        match (x.next(), y.next()) {
            (Some(p), Some(q)) if p != q => return false,
            (None, _) | (_, None) => return true,
            _ => {}
        }
    }
    true
}

/// Builds the snippet of `doc` around the densest cluster of matched positions.
pub(crate) fn build(
    doc: &StoredDoc<'_>,
    positions: &[Vec<u32>],
    matchers: &[&Matcher],
    analyzer: &Analyzer,
    dict: &Dict<'_>,
    chars: usize,
) -> Snippet {
    let body = doc.body;
    if body.is_empty() {
        return Snippet::default();
    }
    let local = best_window(positions, doc.body_base).map(|p| p.saturating_sub(LEAD));
    let (cp_byte, cp_pos) = checkpoint(doc, local.unwrap_or(0));
    // Only a window of the body is decoded: usually 2 KB hold the (at most 64) tokens
    // up to the position and the snippet after them; long tokens need a wider one.
    let mut text = store::utf8_window(body, cp_byte, 2048 + chars * 4);
    let mut start = 0;
    if let Some(l) = local {
        start = match locate(text, analyzer, cp_pos, l) {
            Some(s) => s,
            None => {
                text = store::utf8_window(body, cp_byte, 16384 + chars * 4);
                locate(text, analyzer, cp_pos, l).unwrap_or(0)
            }
        };
    }
    let end = snippet_end(text, start, chars);
    let marks = marks(&text[start..end], start, matchers, analyzer, dict);
    render(
        text,
        start,
        end,
        &marks,
        cp_byte + start > 0,
        cp_byte + end < body.len(),
    )
}

/// Byte ranges (offset by `base`) of the tokens of `text` that some matcher matches.
fn marks(
    text: &str,
    base: usize,
    matchers: &[&Matcher],
    analyzer: &Analyzer,
    dict: &Dict<'_>,
) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    analyzer.for_each_term_while(text, |t| {
        let mut group = None;
        if matchers
            .iter()
            .any(|m| m.weight(t.term, dict, &mut group) > 0.0)
        {
            out.push((base + t.start, base + t.end));
        }
        true
    });
    crate::sort::sort(&mut out);
    out
}

/// Sub-results: the sections (headings with an anchor) where the query matches best,
/// in document order, each with its own snippet.
pub(crate) fn sections(
    doc: &StoredDoc<'_>,
    positions: &[Vec<u32>],
    matchers: &[&Matcher],
    analyzer: &Analyzer,
    dict: &Dict<'_>,
    opts: &SearchOptions,
) -> Vec<SubHit> {
    let mut heads: Vec<(u32, usize)> = doc
        .headings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.anchor.is_some())
        .filter_map(|(i, h)| Some((h.position?, i)))
        .collect();
    if heads.is_empty() {
        return Vec::new();
    }
    crate::sort::sort(&mut heads);
    let base = doc.body_base;
    // a position of the unified space inside the body-local section [start, end)
    let in_section = |p: u32, start: u32, end: u32| p >= base && (start..end).contains(&(p - base));
    let mut scored: Vec<(u32, usize, (u32, u32))> = Vec::new();
    for (k, &(start, i)) in heads.iter().enumerate() {
        let end = heads.get(k + 1).map_or(u32::MAX, |h| h.0);
        let (mut distinct, mut count) = (0u32, 0u32);
        for ps in positions {
            let c = ps.iter().filter(|&&p| in_section(p, start, end)).count() as u32;
            if c > 0 {
                distinct += 1;
                count += c;
            }
        }
        let in_heading = marks(doc.headings[i].text, 0, matchers, analyzer, dict).len() as u32;
        let score = distinct * 4 + count.min(10) + in_heading * 6;
        if score > 0 {
            scored.push((score, i, (start, end)));
        }
    }
    crate::sort::top_k(&mut scored, opts.subresults, |a, b| {
        b.0.cmp(&a.0).then(a.1.cmp(&b.1))
    });
    crate::sort::sort_by(&mut scored, |a, b| a.1.cmp(&b.1));
    let page = doc.url.split('#').next().unwrap_or(doc.url);
    scored
        .into_iter()
        .map(|(_, i, (start, end))| {
            let h = &doc.headings[i];
            let inside: Vec<Vec<u32>> = positions
                .iter()
                .map(|ps| {
                    ps.iter()
                        .copied()
                        .filter(|&p| in_section(p, start, end))
                        .collect()
                })
                .collect();
            let mut snippet = build(doc, &inside, matchers, analyzer, dict, opts.snippet_chars);
            if inside.iter().all(|p| p.is_empty()) {
                // the match is in the heading itself: show the section's first words
                snippet = section_start(doc, start, matchers, analyzer, dict, opts.snippet_chars);
            }
            SubHit {
                title: h.text.to_string(),
                url: format!("{page}#{}", h.anchor.unwrap_or_default()),
                snippet,
            }
        })
        .collect()
}

/// The snippet at the start of a section (body-local position `start`).
fn section_start(
    doc: &StoredDoc<'_>,
    start: u32,
    matchers: &[&Matcher],
    analyzer: &Analyzer,
    dict: &Dict<'_>,
    chars: usize,
) -> Snippet {
    let (cp_byte, cp_pos) = checkpoint(doc, start);
    let text = store::utf8_window(doc.body, cp_byte, 16384 + chars * 4);
    let s = locate(text, analyzer, cp_pos, start).unwrap_or(0);
    let e = snippet_end(text, s, chars);
    let marks = marks(&text[s..e], s, matchers, analyzer, dict);
    render(
        text,
        s,
        e,
        &marks,
        cp_byte + s > 0,
        cp_byte + e < doc.body.len(),
    )
}

/// The body-local position where the passage with the most distinct clauses (then the
/// most matches) starts, if any clause matched in the body.
fn best_window(positions: &[Vec<u32>], body_base: u32) -> Option<u32> {
    let mut all: Vec<(u32, usize)> = Vec::new();
    for (c, ps) in positions.iter().enumerate() {
        all.extend(
            ps.iter()
                .filter(|&&p| p >= body_base)
                .map(|&p| (p - body_base, c)),
        );
    }
    if all.is_empty() {
        return None;
    }
    crate::sort::sort(&mut all);
    let mut best = (0usize, 0usize, all[0].0);
    let mut seen = vec![0usize; positions.len()];
    for lo in 0..all.len() {
        seen.iter_mut().for_each(|s| *s = 0);
        let mut distinct = 0;
        let mut count = 0;
        for &(p, c) in &all[lo..] {
            if p >= all[lo].0 + WINDOW {
                break;
            }
            if seen[c] == 0 {
                distinct += 1;
            }
            seen[c] += 1;
            count += 1;
        }
        if (distinct, count) > (best.0, best.1) {
            best = (distinct, count, all[lo].0);
        }
        if lo > 256 {
            break; // long documents: the first matches are enough to find a good passage
        }
    }
    Some(best.2)
}

/// The checkpoint at or before body-local `position`: its byte offset and position.
fn checkpoint(doc: &StoredDoc<'_>, position: u32) -> (usize, u32) {
    let k = ((position / CHECKPOINT_EVERY) as usize).min(doc.checkpoints.len().saturating_sub(1));
    match doc.checkpoints.get(k) {
        Some(&b) => (b as usize, k as u32 * CHECKPOINT_EVERY),
        None => (0, 0),
    }
}

/// Byte offset in `text` (which starts at the checkpoint of position `cp_pos`) of the
/// token at body-local `position`, tokenising only the tokens before it; `None` when
/// `text` ends first.
fn locate(text: &str, analyzer: &Analyzer, cp_pos: u32, position: u32) -> Option<usize> {
    let mut found = None;
    analyzer.for_each_term_while(text, |t| {
        if !t.joined && cp_pos + t.position >= position {
            found = Some(t.start);
            return false;
        }
        true
    });
    found
}

/// End of a passage of about `chars` characters from `start`, not cutting a word.
fn snippet_end(body: &str, start: usize, chars: usize) -> usize {
    let rest = &body[start..];
    let mut end = rest.len();
    for (n, (i, _)) in rest.char_indices().enumerate() {
        if n == chars {
            end = i;
            break;
        }
    }
    // finish the current word (at most 24 more characters)
    for (n, (i, c)) in rest[end..].char_indices().enumerate() {
        if c.is_whitespace() || n >= 24 {
            return start + end + i;
        }
    }
    body.len()
}

/// The passage as display text: whitespace runs collapsed, an ellipsis where it is cut,
/// and marks converted to UTF-16 offsets of that text.
fn render(
    body: &str,
    start: usize,
    end: usize,
    marks: &[(usize, usize)],
    cut_before: bool,
    cut_after: bool,
) -> Snippet {
    let mut text = String::with_capacity(end - start + 8);
    let mut utf16 = 0u32;
    if cut_before {
        text.push('…');
        utf16 += 1;
    }
    let mut highlights: Vec<[u32; 2]> = Vec::new();
    let mut mi = 0;
    let mut open: Option<u32> = None;
    let mut in_space = false;
    for (i, c) in body[start..end].char_indices() {
        let at = start + i;
        if let Some(s) = open {
            if at >= marks[mi].1 {
                push_mark(&mut highlights, s, utf16);
                open = None;
                mi += 1;
            }
        }
        while open.is_none() && mi < marks.len() && marks[mi].1 <= at {
            mi += 1;
        }
        if open.is_none() && mi < marks.len() && marks[mi].0 == at {
            open = Some(utf16);
        }
        if c.is_whitespace() || c.is_control() {
            if !in_space && open.is_none() {
                text.push(' ');
                utf16 += 1;
            }
            in_space = true;
            continue;
        }
        in_space = false;
        text.push(c);
        utf16 += c.len_utf16() as u32;
    }
    if let Some(s) = open {
        push_mark(&mut highlights, s, utf16);
    }
    let trimmed = text.trim_end().len();
    if trimmed < text.len() {
        text.truncate(trimmed);
    }
    if cut_after {
        text.push('…');
    }
    Snippet { text, highlights }
}

fn push_mark(h: &mut Vec<[u32; 2]>, s: u32, e: u32) {
    if e <= s {
        return;
    }
    match h.last_mut() {
        Some(last) if last[1] >= s => last[1] = last[1].max(e),
        _ => h.push([s, e]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_marks_in_utf16_and_collapses_space() {
        let body = "a  🎉 Café\n\nqr-code end";
        let s = |w: &str| body.find(w).unwrap();
        let marks = [
            (s("Café"), s("Café") + "Café".len()),
            (s("qr"), s("end") - 1),
        ];
        let snip = render(body, 0, body.len(), &marks, false, false);
        assert_eq!(snip.text, "a 🎉 Café qr-code end");
        let utf16: Vec<u16> = snip.text.encode_utf16().collect();
        let slice = |r: [u32; 2]| String::from_utf16(&utf16[r[0] as usize..r[1] as usize]).unwrap();
        assert_eq!(slice(snip.highlights[0]), "Café");
        assert_eq!(slice(snip.highlights[1]), "qr-code");
    }

    #[test]
    fn ellipses_mark_cuts() {
        let body = "one two three four";
        let snip = render(body, 4, 13, &[], true, true);
        assert_eq!(snip.text, "…two three…");
    }

    #[test]
    fn best_window_prefers_all_clauses() {
        let p = vec![vec![10, 100], vec![103]];
        assert_eq!(best_window(&p, 5), Some(95));
    }
}
