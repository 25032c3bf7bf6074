//! Query evaluation: expansion, BM25F scoring, phrase matching, exclusion, ranking.

use scour_format::term_info::Entry;

use crate::dict::{Dict, Expansion};
use crate::scan::{Matches, Scan};
use crate::snippet::{self, Matcher};
use crate::store::Postings;
use crate::{refine, sort, Clause, Hit, Index, Query, SearchOptions, SearchResults};

/// BM25 saturation.
const K1: f32 = 1.2;
/// Field weights: title, headings, body.
const FIELD_WEIGHT: [f32; 3] = [6.0, 2.5, 1.0];
/// Length normalisation per field: titles are short and their length says little.
const FIELD_B: [f32; 3] = [0.4, 0.5, 0.75];

const WEIGHT_STEM: f32 = 0.8;
const WEIGHT_FUZZY: [f32; 3] = [1.0, 0.45, 0.3];
/// The best candidates get a proximity bonus, from where their words occur in their
/// stored text: as many as a page of results, so that a lazy index fetches the
/// documents it shows and no others.
const RERANK: usize = 10;
/// Text scanned at most to verify the candidates of one phrase.
const PHRASE_SCAN_BYTES: usize = 256 << 10;
/// What a document of a lazy index not loaded yet counts against that budget, so
/// that one round asks for about as many documents as the scan will read.
const UNSEEN_DOC_BYTES: usize = 4 << 10;
/// Body bytes scanned for the proximity of a reranked candidate…
const RERANK_SCAN_BYTES: usize = 1 << 10;
/// …and for the snippet and sections of a hit: matches further into a long page do
/// not place its snippet or choose its sections (headings that contain the query
/// still do). The budget keeps the scans of one query to a few hundred kilobytes.
const HIT_SCAN_BYTES: usize = 8 << 10;
/// Average bytes of an English word with the space after it, to read byte distances
/// as word distances.
const WORD_BYTES: u32 = 6;
/// Body bytes one query may scan, beyond `HIT_SCAN_BYTES`, to find a first match for
/// the snippets of hits whose first bytes hold none.
const FIRST_MATCH_SCAN_BYTES: usize = 16 << 10;
/// Clauses a passage needs to end the scan for a snippet early.
const SNIPPET_CLAUSES: usize = 3;
/// A hard ceiling on hits returned.
const MAX_LIMIT: usize = 1000;

/// A matching document: (ordinal, clauses matched, score).
pub(crate) type Candidate = (u32, u32, f32);

/// What one clause looks for.
struct Plan {
    terms: Vec<Expansion>,
    /// Exact term ordinals that must appear adjacent and in order.
    phrase: Option<Vec<u32>>,
    matcher: Matcher,
    /// The best correction of a word the index does not hold.
    correction: Option<String>,
}

struct Scorer {
    n: f32,
    avg: [f32; 3],
}

impl Scorer {
    fn idf(&self, df: u32) -> f32 {
        let df = df as f32;
        (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln()
    }

    /// BM25F of one term in one document.
    #[inline]
    fn bm25f(&self, idf: f32, tf: [u32; 3], len: [u32; 3]) -> f32 {
        let mut t = 0.0;
        for f in 0..3 {
            if tf[f] > 0 {
                let norm = 1.0 - FIELD_B[f] + FIELD_B[f] * (len[f] as f32 / self.avg[f]);
                t += FIELD_WEIGHT[f] * tf[f] as f32 / norm.max(0.1);
            }
        }
        idf * t * (K1 + 1.0) / (K1 + t)
    }
}

pub(crate) fn run<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    q: &Query,
    opts: &SearchOptions,
) -> SearchResults {
    let n = ix.meta.doc_count as usize;
    // With no words, filters, a sort or dates alone browse the site (newest posts…).
    let browse = q.clauses.is_empty() && opts.refines();
    if (q.clauses.is_empty() && !browse) || n == 0 {
        return SearchResults::default();
    }
    let norms = ix.norms();
    let scorer = Scorer {
        n: n as f32,
        avg: ix
            .meta
            .avg_field_len
            .map(|a| if a.is_finite() && a > 0.0 { a } else { 1.0 }),
    };

    let plans: Vec<Plan> = q.clauses.iter().map(|c| plan(ix, dict, c)).collect();
    let nc = plans.len();

    // Dense per-clause accumulators: the best score of the clause in each document…
    let mut scores = vec![0f32; nc * n];
    // …and its best title match: (expansion weight, occurrences in the title)
    let mut titles = vec![(0f32, 0u32); nc * n];
    // whether the best expansion of some clause occurs in the document's body
    let mut in_body = vec![false; n];
    for (c, p) in plans.iter().enumerate() {
        let row = c * n;
        for e in &p.terms {
            let Some(info) = dict.info(e.ord) else {
                continue;
            };
            let idf = scorer.idf(info.df);
            for post in Postings::new(ix.postings(e.ord, info)) {
                let d = post.doc as usize;
                if d >= n {
                    break;
                }
                let s = e.weight * scorer.bm25f(idf, post.tf, norms.get(post.doc));
                if s > scores[row + d] {
                    scores[row + d] = s;
                    in_body[d] |= post.tf[2] > 0;
                }
                if post.tf[0] > 0 && e.weight > titles[row + d].0 {
                    titles[row + d] = (e.weight, post.tf[0]);
                }
            }
        }
        if let (Some(words), Some(parts)) = (&p.phrase, &p.matcher.phrase) {
            let weight = if p.terms.is_empty() { 1.0 } else { 0.95 };
            let row = &mut scores[row..row + n];
            phrase_matches(ix, dict, &scorer, words, parts, weight, row);
        }
    }

    let mut excluded = vec![false; n];
    for word in &q.excluded {
        let mut ords: Vec<u32> = Vec::new();
        word_forms(ix, dict, word, &mut ords);
        for ord in ords {
            let Some(info) = dict.info(ord) else {
                continue;
            };
            for post in Postings::new(ix.postings(ord, info)) {
                if let Some(x) = excluded.get_mut(post.doc as usize) {
                    *x = true;
                }
            }
        }
    }

    // (doc, clauses matched, score), the score with its title bonus: every candidate
    // gets one, from the postings, so a short page titled with the query is not lost
    // behind long pages that mention it more.
    let mut cands: Vec<(u32, u32, f32)> = Vec::new();
    for d in 0..n {
        if excluded[d] {
            continue;
        }
        let (mut m, mut s) = (0u32, 0f32);
        let (mut found, mut covered) = (0f32, 0f32);
        for c in 0..nc {
            let v = scores[c * n + d];
            if v > 0.0 {
                m += 1;
                s += v;
                let (w, tf) = titles[c * n + d];
                found += w;
                covered += w * tf as f32;
            }
        }
        if m > 0 || browse {
            let title_len = norms.get(d as u32)[0];
            s += s * title_bonus(found / nc as f32, covered, title_len);
            cands.push((d as u32, m, s));
        }
    }
    // A lazy index still waiting for postings or norms has scored in part: the stored
    // text of what ranks first now may not be what ranks first, so none is asked for.
    if crate::wanting() {
        return SearchResults::default();
    }
    let refiner = refine::Refiner::new(ix, opts);
    if opts.refines() {
        cands.retain(|c| refiner.keeps(c.0));
    }
    let total = cands.len();
    let facets = if opts.facets {
        refiner.count(cands.iter().map(|c| c.0))
    } else {
        Vec::new()
    };
    let limit = opts.limit.min(MAX_LIMIT);
    let order = |a: &(u32, u32, f32), b: &(u32, u32, f32)| {
        b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0))
    };

    let matchers: Vec<&Matcher> = plans.iter().map(|p| &p.matcher).collect();
    let scan = Scan::new(&matchers);
    // where the clauses match in the documents scanned for the rerank, kept for snippets
    let mut scanned: Vec<(u32, Matches)> = Vec::new();
    if let Some(sort) = &opts.sort {
        refiner.sort(&mut cands, sort);
    } else {
        sort::top_k(&mut cands, limit.max(RERANK), order);
        // Rerank the best candidates by how close their words are.
        for cand in cands.iter_mut().take(RERANK) {
            if cand.1 >= 2 {
                if let Some(doc) = ix.document(cand.0) {
                    let found = scan.doc(&doc, &ix.analyzer, RERANK_SCAN_BYTES, nc);
                    cand.2 += cand.2 * 0.3 * proximity(&found.positions, cand.1);
                    scanned.push((cand.0, found));
                }
            }
        }
        sort::sort_by(&mut cands, order);
    }

    let mut hits = Vec::with_capacity(limit.min(cands.len()));
    let mut first_match_budget = FIRST_MATCH_SCAN_BYTES;
    for &(d, _, score) in cands.iter().take(limit) {
        let Some(doc) = ix.document(d) else { continue };
        // Sections need every match of the page; a snippet, the first passage with
        // the query's words (three of them are enough for a long query).
        let sections = opts.subresults > 0 && doc.headings.iter().any(|h| h.anchor.is_some());
        let need = if sections { 0 } else { nc.min(SNIPPET_CLAUSES) };
        let mut found = match scanned.iter().position(|s| s.0 == d) {
            Some(i) => {
                let mut found = std::mem::take(&mut scanned[i].1);
                scan.extend(&doc, &ix.analyzer, &mut found, HIT_SCAN_BYTES, need);
                found
            }
            None => scan.doc(&doc, &ix.analyzer, HIT_SCAN_BYTES, need),
        };
        // A long page whose start holds no match still gets a snippet showing one: the
        // scan goes on to the first match the postings promise, within a budget shared
        // by the hits in rank order.
        if first_match_budget > 0
            && in_body[d as usize]
            && doc.body.len() > found.body_scanned
            && !found
                .positions
                .iter()
                .flatten()
                .any(|&p| p >= found.body_base)
        {
            let before = found.body_scanned;
            let limit = before.saturating_add(first_match_budget);
            scan.extend(&doc, &ix.analyzer, &mut found, limit, 1);
            first_match_budget = first_match_budget.saturating_sub(found.body_scanned - before);
        }
        let snippet = snippet::build(&doc, &found, &matchers, &ix.analyzer, opts.snippet_chars);
        let headings = if opts.subresults > 0 && nc > 0 {
            snippet::sections(&doc, &found, &matchers, &ix.analyzer, opts)
        } else {
            Vec::new()
        };
        hits.push(Hit {
            id: doc.id.to_string(),
            url: doc.url.to_string(),
            title: doc.title.to_string(),
            score: (cand_score(score) * 1000.0).round() / 1000.0,
            snippet,
            meta: doc
                .meta
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            headings,
        });
    }

    SearchResults {
        total,
        hits,
        suggestion: suggestion(q, &plans),
        facets,
    }
}

/// The word and the other forms of its stem that the index holds.
fn word_forms<B: AsRef<[u8]>>(ix: &Index<B>, dict: &Dict<'_>, word: &str, out: &mut Vec<u32>) {
    let exact = dict.exact(word);
    out.extend(exact);
    let mut groups = Vec::new();
    if let Some(g) = exact.and_then(|o| dict.group(o)) {
        groups.push(g);
    }
    // the engine's stemmer reaches forms of words the site does not contain
    if ix.meta.languages & (1 << scour_text::Language::English.code()) != 0 {
        if let Some(g) = dict.stem_group(&scour_text::Analyzer::english().stem(word)) {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
    }
    for &g in &groups {
        dict.group_terms(g, out);
    }
    sort::sort(out);
    out.dedup();
}

fn cand_score(s: f32) -> f32 {
    if s.is_finite() {
        s
    } else {
        0.0
    }
}

/// Expands one clause over the dictionary.
fn plan<B: AsRef<[u8]>>(ix: &Index<B>, dict: &Dict<'_>, clause: &Clause) -> Plan {
    match clause {
        Clause::Term { word, prefix } => {
            let (terms, matcher, correction) = expand_word(ix, dict, word, *prefix, true);
            Plan {
                terms,
                phrase: None,
                matcher,
                correction,
            }
        }
        Clause::Compound {
            parts,
            joined,
            prefix,
        } => {
            // The joined form carries typo tolerance: `read_libes` → `readlines`.
            let (terms, mut matcher, _) = expand_word(ix, dict, joined, *prefix, true);
            // The parts written apart (`QR code` for `QR-code`) are looked for only
            // when the index does not hold the joined form: verifying a phrase scans
            // text, and the joined form finds the compound wherever it is written so.
            let phrase: Option<Vec<u32>> = match dict.exact(joined) {
                Some(_) => None,
                None => parts.iter().map(|p| dict.exact(p)).collect(),
            };
            matcher.phrase = Some(parts.clone());
            Plan {
                terms,
                phrase,
                matcher,
                correction: None,
            }
        }
        Clause::Phrase(words) => {
            let phrase: Option<Vec<u32>> = words.iter().map(|w| dict.exact(w)).collect();
            let matcher = Matcher {
                phrase: Some(words.clone()),
                ..Matcher::default()
            };
            Plan {
                terms: Vec::new(),
                phrase: Some(phrase.unwrap_or_default()),
                matcher,
                correction: None,
            }
        }
    }
}

/// Exact, stem, prefix and typo expansions of one word, with the snippet matcher and
/// the correction to suggest when the index does not hold the word.
fn expand_word<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    word: &str,
    prefix: bool,
    fuzzy: bool,
) -> (Vec<Expansion>, Matcher, Option<String>) {
    let mut terms = Vec::new();
    let mut matcher = Matcher {
        words: vec![word.to_string()],
        ..Matcher::default()
    };
    let exact = dict.exact(word);
    if let Some(ord) = exact {
        terms.push(Expansion { ord, weight: 1.0 });
    }
    let mut forms = Vec::new();
    word_forms(ix, dict, word, &mut forms);
    for ord in forms {
        if Some(ord) != exact {
            matcher.forms.extend(dict.term(ord));
            terms.push(Expansion {
                ord,
                weight: WEIGHT_STEM,
            });
        }
    }
    let mut completions = Vec::new();
    if prefix || exact.is_none() {
        dict.prefix(word, &mut completions);
        let wl = word.len() as f32;
        for &(ord, len) in &completions {
            if !terms.iter().any(|e| e.ord == ord) {
                let weight = 0.55 + 0.35 * (wl / len.max(1) as f32);
                terms.push(Expansion { ord, weight });
            }
        }
        if !completions.is_empty() {
            matcher.prefix = Some(word.to_string());
        }
    }
    let mut correction = None;
    // Typos are looked for only when the lookups above were complete: on a lazy index
    // still waiting for the word's dictionary chunk, "not found" is not known yet, and
    // typo matching would ask for the whole dictionary.
    if fuzzy && exact.is_none() && terms.is_empty() && !crate::wanting() {
        let mut found = Vec::new();
        dict.fuzzy(word, prefix, &ix.builders, &mut found);
        for (ord, d, term) in found {
            let weight = WEIGHT_FUZZY[(d as usize).min(2)];
            if correction.is_none() {
                correction = Some(term.clone());
            }
            terms.push(Expansion { ord, weight });
            matcher.words.push(term);
        }
        // a prefix-fuzzy match corrects a word being typed only if it completes it;
        // suggest the complete term
    }
    (terms, matcher, correction)
}

/// Raises `scores` (one clause's row, per document) to the phrase's score in the
/// documents where the words `ords` (spelt `parts`) occur adjacent and in order.
///
/// The postings say which documents hold every word; the text of each says whether
/// they are adjacent. Candidates are verified best first, until `PHRASE_SCAN_BYTES` of
/// text have been scanned: a phrase of very common words counts only the matches
/// among its best candidates.
fn phrase_matches<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    scorer: &Scorer,
    ords: &[u32],
    parts: &[String],
    weight: f32,
    scores: &mut [f32],
) {
    let norms = ix.norms();
    let n = scores.len();
    if ords.is_empty() {
        return;
    }
    let infos: Option<Vec<(u32, Entry)>> = ords.iter().map(|&o| Some((o, dict.info(o)?))).collect();
    let Some(infos) = infos else {
        return;
    };
    // documents holding every word, with the sum of the words' scores
    let mut cands: Vec<Candidate> = Vec::new();
    for (i, &(ord, info)) in infos.iter().enumerate() {
        let idf = scorer.idf(info.df);
        let mut next = Vec::with_capacity(cands.len());
        let mut ci = 0;
        for post in Postings::new(ix.postings(ord, info)) {
            if post.doc as usize >= n {
                break;
            }
            let s = scorer.bm25f(idf, post.tf, norms.get(post.doc));
            if i == 0 {
                next.push((post.doc, 1, s));
                continue;
            }
            while ci < cands.len() && cands[ci].0 < post.doc {
                ci += 1;
            }
            if ci >= cands.len() {
                break;
            }
            if cands[ci].0 == post.doc {
                next.push((post.doc, 1, cands[ci].2 + s));
            }
        }
        cands = next;
        if cands.is_empty() {
            return;
        }
    }
    sort::sort_by(&mut cands, |a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let matcher = Matcher {
        phrase: Some(parts.to_vec()),
        ..Matcher::default()
    };
    let scan = Scan::new(&[&matcher]);
    let mut budget = PHRASE_SCAN_BYTES;
    for (doc, _, s) in cands {
        // a document a compound's joined form already matched needs no verification
        if scores[doc as usize] > 0.0 {
            continue;
        }
        let Some(stored) = ix.document(doc) else {
            // in a chunk not given yet (it is asked for): count what a page may hold
            budget = budget.saturating_sub(UNSEEN_DOC_BYTES);
            if budget == 0 {
                break;
            }
            continue;
        };
        if scan.any(&stored, &ix.analyzer) {
            scores[doc as usize] = s * weight;
        }
        budget = budget.saturating_sub(stored.body.len() + stored.title.len());
        if budget == 0 {
            break;
        }
    }
}

/// 1.0 when the matched clauses occur next to each other, falling towards 0 as the
/// smallest window holding one occurrence of each grows. Offsets are bytes; a word and
/// its space take about `WORD_BYTES`.
fn proximity(positions: &[Vec<u32>], matched: u32) -> f32 {
    let mut all: Vec<(u32, usize)> = Vec::new();
    for (c, ps) in positions.iter().enumerate() {
        all.extend(ps.iter().map(|&p| (p, c)));
    }
    if all.is_empty() {
        return 0.0;
    }
    sort::sort(&mut all);
    let need = positions.iter().filter(|p| !p.is_empty()).count();
    let mut counts = vec![0usize; positions.len()];
    let (mut have, mut lo) = (0, 0);
    let mut best = u32::MAX;
    for hi in 0..all.len() {
        let c = all[hi].1;
        counts[c] += 1;
        if counts[c] == 1 {
            have += 1;
        }
        while have == need {
            best = best.min((all[hi].0 - all[lo].0 + WORD_BYTES / 2) / WORD_BYTES);
            let cl = all[lo].1;
            counts[cl] -= 1;
            if counts[cl] == 0 {
                have -= 1;
            }
            lo += 1;
        }
    }
    let ideal = matched.saturating_sub(1).max(1) as f32;
    if best == u32::MAX {
        return 0.0;
    }
    (ideal / (best as f32).max(ideal)).min(1.0)
}

/// A bonus for titles that contain the query, as a fraction of the score: `found`
/// is the share of the clauses the title holds (weighted by how exactly), `covered`
/// the title words they account for (weighted likewise) out of its `title_len` words;
/// more when the query covers the whole title (known-item search).
fn title_bonus(found: f32, covered: f32, title_len: u32) -> f32 {
    if title_len == 0 || found <= 0.0 {
        return 0.0;
    }
    let coverage = (covered / title_len as f32).min(1.0);
    0.3 * found + 0.5 * found * coverage
}

/// "Did you mean": the query with each unknown word replaced by its best correction.
fn suggestion(q: &Query, plans: &[Plan]) -> Option<String> {
    if plans.iter().all(|p| p.correction.is_none()) {
        return None;
    }
    let mut out = String::new();
    for (i, chunk) in q.chunks.iter().enumerate() {
        // only a chunk that produced exactly one word clause is replaced
        let next = q.chunks[i + 1..]
            .iter()
            .find_map(|c| c.clause)
            .unwrap_or(q.clauses.len());
        let fixed = chunk
            .clause
            .filter(|&c| next == c + 1)
            .and_then(|c| plans.get(c)?.correction.clone());
        if !out.is_empty() {
            out.push(' ');
        }
        match fixed {
            // keep the visitor's capital: `Kagarlisky` → `Kagarlitsky`
            // (ASCII only: Unicode case tables would cost kilobytes of wasm)
            Some(f) if chunk.text.starts_with(|c: char| c.is_ascii_uppercase()) => {
                let mut cs = f.chars();
                out.extend(cs.next().map(|c| c.to_ascii_uppercase()));
                out.push_str(cs.as_str());
            }
            Some(f) => out.push_str(&f),
            None => out.push_str(&chunk.text),
        }
    }
    Some(out)
}
