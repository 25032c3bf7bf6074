//! Snippets: the best passage of a document as plain text, with the matched words
//! marked by UTF-16 ranges.

use scour_text::Analyzer;

use crate::scan::{Matcher, Matches, WINDOW_BYTES};
use crate::store;
use crate::{SearchOptions, Snippet, StoredDoc, SubHit};

/// Words of context shown before the first match…
const LEAD: usize = 4;
/// …looked for this far back at most.
const LEAD_BYTES: usize = 64;

/// Builds the snippet of `doc` around the densest cluster of matches in its body.
pub(crate) fn build(
    doc: &StoredDoc<'_>,
    found: &Matches,
    matchers: &[&Matcher],
    analyzer: &Analyzer,
    chars: usize,
) -> Snippet {
    let start = best_window(&found.positions, found.body_base)
        .map_or(0, |at| lead_start(doc.body, at as usize));
    passage(doc, start, matchers, analyzer, chars)
}

/// The passage of about `chars` characters from body byte `start`, marked.
fn passage(
    doc: &StoredDoc<'_>,
    start: usize,
    matchers: &[&Matcher],
    analyzer: &Analyzer,
    chars: usize,
) -> Snippet {
    // Only the passage is decoded: a page may be megabytes long.
    let text = store::utf8_window(doc.body, start, chars * 4 + 96);
    if text.is_empty() {
        return Snippet::default();
    }
    let end = snippet_end(text, 0, chars);
    let marks = marks(&text[..end], 0, matchers, analyzer);
    render(
        text,
        0,
        end,
        &marks,
        start > 0,
        start + end < doc.body.len(),
    )
}

/// Where a passage showing the match at body byte `at` starts: up to `LEAD` words
/// before it, on a character boundary.
fn lead_start(body: &[u8], at: usize) -> usize {
    let at = at.min(body.len());
    let floor = at.saturating_sub(LEAD_BYTES);
    let (mut i, mut words, mut in_word) = (at, 0, false);
    while i > floor {
        let b = body[i - 1];
        if b.is_ascii_whitespace() {
            if in_word {
                words += 1;
                if words == LEAD {
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
        i -= 1;
    }
    if i == 0 {
        return 0;
    }
    // cut at the next character boundary (continuation bytes are 0b10xx_xxxx)
    while i < at && body[i] & 0xC0 == 0x80 {
        i += 1;
    }
    i
}

/// Byte ranges (offset by `base`) of the tokens of `text` that some matcher matches.
fn marks(
    text: &str,
    base: usize,
    matchers: &[&Matcher],
    analyzer: &Analyzer,
) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    // the words in order (joined forms apart), to find whole phrases
    let mut words: Vec<(String, usize, usize)> = Vec::new();
    analyzer.for_each_term_while(text, |t| {
        if matchers.iter().any(|m| m.weight_word(t.term) > 0.0) {
            out.push((base + t.start, base + t.end));
        }
        if !t.joined {
            words.push((t.term.to_owned(), t.start, t.end));
        }
        true
    });
    // A phrase's words are marked where the whole phrase is, never alone: `Rc<T>`
    // marks `Rc<T>`, not every "t" of the passage.
    for m in matchers {
        let Some(parts) = m.phrase.as_ref().filter(|p| !p.is_empty()) else {
            continue;
        };
        for at in words.windows(parts.len()) {
            if at.iter().enumerate().all(|(k, w)| m.part(k, &w.0)) {
                out.extend(at.iter().map(|w| (base + w.1, base + w.2)));
            }
        }
    }
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// Sub-results: the sections (headings with an anchor) where the query matches best,
/// in document order, each with its own snippet.
pub(crate) fn sections(
    doc: &StoredDoc<'_>,
    found: &Matches,
    matchers: &[&Matcher],
    analyzer: &Analyzer,
    opts: &SearchOptions,
) -> Vec<SubHit> {
    let mut heads: Vec<(u32, usize)> = doc
        .headings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.anchor.is_some())
        .filter_map(|(i, h)| Some((u32::try_from(h.offset?).ok()?, i)))
        .collect();
    if heads.is_empty() {
        return Vec::new();
    }
    crate::sort::sort(&mut heads);
    let base = found.body_base;
    // a match-space offset inside the body section [start, end) (body bytes)
    let in_section = |p: u32, start: u32, end: u32| p >= base && (start..end).contains(&(p - base));
    // Each clause's body matches as sorted body offsets: a section's matches are then
    // counted with two binary searches instead of a pass over every match, so a page
    // with tens of thousands of headings costs (headings + matches) × log, not their
    // product.
    let body: Vec<Vec<u32>> = found
        .positions
        .iter()
        .map(|ps| {
            let mut ps: Vec<u32> = ps
                .iter()
                .filter(|&&p| p >= base)
                .map(|&p| p - base)
                .collect();
            // phrases are recorded where they start once complete: nearly sorted
            crate::sort::sort(&mut ps);
            ps
        })
        .collect();
    let mut scored: Vec<(u32, usize, (u32, u32))> = Vec::new();
    for (k, &(start, i)) in heads.iter().enumerate() {
        let end = heads.get(k + 1).map_or(u32::MAX, |h| h.0);
        let (mut distinct, mut count) = (0u32, 0u32);
        for ps in &body {
            let c = count_in(ps, start, end);
            if c > 0 {
                distinct += 1;
                count = count.saturating_add(c);
            }
        }
        let in_heading = marks(doc.headings[i].text, 0, matchers, analyzer).len() as u32;
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
            let inside = Matches {
                positions: found
                    .positions
                    .iter()
                    .map(|ps| {
                        ps.iter()
                            .copied()
                            .filter(|&p| in_section(p, start, end))
                            .collect()
                    })
                    .collect(),
                body_base: base,
                body_scanned: found.body_scanned,
                window: found.window,
            };
            // a match only in the heading itself shows the section's first words
            let snippet = if inside.positions.iter().all(|p| p.is_empty()) {
                passage(doc, start as usize, matchers, analyzer, opts.snippet_chars)
            } else {
                build(doc, &inside, matchers, analyzer, opts.snippet_chars)
            };
            SubHit {
                title: h.text.to_string(),
                url: format!("{page}#{}", h.anchor.unwrap_or_default()),
                snippet,
            }
        })
        .collect()
}

/// How many of the sorted offsets `ps` lie in `[start, end)`.
fn count_in(ps: &[u32], start: u32, end: u32) -> u32 {
    let from = ps.partition_point(|&p| p < start);
    let to = ps.partition_point(|&p| p < end);
    to.saturating_sub(from) as u32
}

/// The body byte offset where the passage with the most distinct clauses (then the
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
            if p >= all[lo].0 + WINDOW_BYTES {
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
        let p = vec![vec![10, 200], vec![230]];
        assert_eq!(best_window(&p, 5), Some(195));
    }

    /// A page with 100,000 anchored headings and 20,000 matches: counting every match
    /// against every heading (what sections did) is two billion comparisons; sorted
    /// matches and binary searches make it a few million. The picks stay the same:
    /// the best scores, ties to the earlier heading, in page order.
    #[test]
    fn sections_of_a_page_with_many_headings_and_matches() {
        const HEADINGS: usize = 100_000;
        const MATCHED: usize = 20_000;
        let body = "h x ".repeat(HEADINGS);
        let anchors: Vec<String> = (0..HEADINGS).map(|i| format!("s{i}")).collect();
        let mut doc = StoredDoc {
            url: "/page/",
            body: body.as_bytes(),
            ..StoredDoc::default()
        };
        doc.headings = anchors
            .iter()
            .enumerate()
            .map(|(i, anchor)| crate::StoredHeading {
                // the last heading holds the query word itself: it ranks first
                text: if i == HEADINGS - 1 { "x" } else { "h" },
                anchor: Some(anchor),
                offset: Some(i * 4),
            })
            .collect();
        let base = 10;
        let found = Matches {
            positions: vec![(0..MATCHED).map(|i| base + (i * 4 + 2) as u32).collect()],
            body_base: base,
            body_scanned: MATCHED * 4,
            window: false,
        };
        let x = Matcher {
            words: vec!["x".into()],
            ..Matcher::default()
        };
        let opts = SearchOptions::default();
        let subs = sections(&doc, &found, &[&x], &Analyzer::english(), &opts);
        let urls: Vec<&str> = subs.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(urls, ["/page/#s0", "/page/#s1", "/page/#s99999"]);
        assert_eq!(subs[2].title, "x");
        assert!(subs[0].snippet.text.starts_with("h x h x"));
        assert!(!subs[0].snippet.highlights.is_empty());
    }

    #[test]
    fn lead_keeps_four_words_before_the_match() {
        let body = "one two three four five six seven".as_bytes();
        let at = body.len() - "seven".len();
        assert_eq!(&body[lead_start(body, at)..], b"three four five six seven");
        assert_eq!(lead_start(body, 4), 0);
        let body = "x".repeat(100) + "é match";
        let at = body.find("match").unwrap();
        let s = lead_start(body.as_bytes(), at);
        assert!(body.is_char_boundary(s) && s < at);
    }
}
