//! Query evaluation: expansion, BM25F scoring, phrase matching, exclusion, ranking.

use crate::dict::{Dict, Expansion};
use crate::scan::Matcher;
use crate::scan::{Matches, Scan};
use crate::snippet;
use crate::store::{Posting, Postings};
use crate::{refine, sort, Clause, Hit, Index, Query, SearchOptions, SearchResults};

/// BM25 saturation.
const K1: f32 = 1.2;
/// Field weights: title, headings, body.
const FIELD_WEIGHT: [f32; 3] = [6.0, 2.5, 1.0];
/// Length normalisation per field: titles are short and their length says little.
const FIELD_B: [f32; 3] = [0.4, 0.5, 0.75];

const WEIGHT_STEM: f32 = 0.8;
const WEIGHT_FUZZY: [f32; 3] = [1.0, 0.45, 0.3];
/// A phrase word in at most this many documents also matches its close terms.
const RARE_DF: u32 = 2;
/// The proximity bonus of a reranked candidate whose words are adjacent, as a
/// fraction of its score.
const PROXIMITY: f32 = 0.3;
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

/// How closely a document's title matches the whole query: the first ordering key
/// after the clauses matched, so that the page a person names comes first whatever the
/// length of the other pages (known-item search).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TitleMatch {
    /// The title does not hold every clause, holds other words too, or the page's
    /// text never mentions the query (a stub that only shares a title).
    #[default]
    None,
    /// Every title word is the query's, some through a stem, completion or typo.
    Near,
    /// The title is the query's words exactly, in any order.
    Exact,
}

/// A matching document and what orders it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Candidate {
    /// Its ordinal.
    pub doc: u32,
    /// How many clauses it matches: more first.
    pub matched: u32,
    /// How its title matches the query: closer first.
    pub title: TitleMatch,
    /// BM25F with the title and proximity bonuses: higher first.
    pub score: f32,
}

impl Candidate {
    /// Relevance order: clauses matched, title match, score, then document order.
    pub fn order(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
        b.matched
            .cmp(&a.matched)
            .then(b.title.cmp(&a.title))
            .then(b.score.total_cmp(&a.score))
            .then(a.doc.cmp(&b.doc))
    }
}

/// What one clause looks for.
struct Plan {
    terms: Vec<Expansion>,
    /// Per word of a phrase (or of a compound written apart), the ordinals of its forms
    /// (the exact word first, weight 1; its stem's other forms after, `WEIGHT_STEM`):
    /// the words must appear adjacent and in order.
    phrase: Option<Vec<Vec<Expansion>>>,
    matcher: Matcher,
    /// The best correction of a word the index does not hold.
    correction: Option<String>,
    /// Title words one match of the clause accounts for (a compound's parts).
    width: u32,
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

/// Per clause and document, what the postings say: the dense accumulators of the
/// score step, `clauses × docs` long, row by clause.
struct Evidence {
    n: usize,
    /// The clause's best score in the document.
    scores: Vec<f32>,
    /// Its best title match: (expansion weight, occurrences in the title).
    titles: Vec<(f32, u32)>,
    /// Per document: some clause's best expansion occurs in its body.
    in_body: Vec<bool>,
    /// Per document: its title's length, from a posting of a word in the title (0
    /// while no clause has one there; only then is it needed).
    title_len: Vec<u32>,
}

impl Evidence {
    fn new(clauses: usize, n: usize) -> Evidence {
        Evidence {
            n,
            scores: vec![0.0; clauses * n],
            titles: vec![(0.0, 0); clauses * n],
            in_body: vec![false; n],
            title_len: vec![0; n],
        }
    }

    /// Records one posting of clause `c`: `score` already weighted by `weight`.
    fn add(&mut self, c: usize, weight: f32, post: &Posting, score: f32) {
        let d = post.doc as usize;
        let at = c * self.n + d;
        if score > self.scores[at] {
            self.scores[at] = score;
            self.in_body[d] |= post.tf[2] > 0;
        }
        if post.tf[0] > 0 && weight > self.titles[at].0 {
            self.titles[at] = (weight, post.tf[0]);
        }
        self.note_title(post);
    }

    /// Keeps the title length a posting in the title carries.
    #[inline]
    fn note_title(&mut self, post: &Posting) {
        if post.tf[0] > 0 {
            self.title_len[post.doc as usize] = post.len[0];
        }
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
    let scorer = Scorer {
        n: n as f32,
        avg: ix
            .meta
            .avg_field_len
            .map(|a| if a.is_finite() && a > 0.0 { a } else { 1.0 }),
    };
    let plans: Vec<Plan> = q.clauses.iter().map(|c| plan(ix, dict, c)).collect();
    let evidence = score(ix, dict, &scorer, &plans);
    let mut excluded = exclude(ix, dict, q);
    for words in &q.excluded_phrases {
        exclude_phrase(ix, dict, &scorer, words, &mut excluded);
    }
    let mut cands = candidates(&plans, &evidence, &excluded, browse);
    // A lazy index still waiting for postings has scored in part: the stored
    // text of what ranks first now may not be what ranks first, so none is asked for.
    if crate::wanting() {
        return SearchResults::default();
    }
    let refiner = refine::Refiner::new(ix, opts);
    if opts.refines() {
        cands.retain(|c| refiner.keeps(c.doc));
    }
    let total = cands.len();
    let facets = if opts.facets {
        refiner.count(cands.iter().map(|c| c.doc))
    } else {
        Vec::new()
    };
    let limit = opts.limit.min(MAX_LIMIT);
    let matchers: Vec<&Matcher> = plans.iter().map(|p| &p.matcher).collect();
    let scan = Scan::new(&matchers);
    let scanned = match &opts.sort {
        Some(sort) => {
            refiner.sort(&mut cands, sort);
            Vec::new()
        }
        None => rank(ix, &scan, &mut cands, limit),
    };
    let mut hits = build_hits(
        ix,
        &scan,
        &matchers,
        &cands[..cands.len().min(limit)],
        scanned,
        &evidence,
        opts,
    );
    // (natively only: float formatting would cost the engine kilobytes of wasm)
    #[cfg(not(target_arch = "wasm32"))]
    if opts.explain {
        for (hit, cand) in hits.iter_mut().zip(&cands) {
            hit.explain = Some(explain(ix, dict, &scorer, q, &plans, cand));
        }
    }
    SearchResults {
        total,
        suggestion: suggestion(q, &plans),
        hits: std::mem::take(&mut hits),
        facets,
    }
}

/// The score step: each clause's expansions scored from their postings (BM25F, with
/// the expansion's weight), and its phrase, if any, verified in the stored text.
fn score<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    scorer: &Scorer,
    plans: &[Plan],
) -> Evidence {
    let n = ix.meta.doc_count as usize;
    let mut ev = Evidence::new(plans.len(), n);
    for (c, p) in plans.iter().enumerate() {
        for e in &p.terms {
            let Some(info) = dict.info(e.ord) else {
                continue;
            };
            let idf = scorer.idf(info.df);
            for post in Postings::new(ix.postings(e.ord, info)) {
                if post.doc as usize >= n {
                    break;
                }
                let s = e.weight * scorer.bm25f(idf, post.tf, post.len);
                ev.add(c, e.weight, &post, s);
            }
        }
        if let Some(words) = &p.phrase {
            let weight = if p.terms.is_empty() { 1.0 } else { 0.95 };
            phrase_matches(ix, dict, scorer, words, &p.matcher, weight, c, &mut ev);
        }
    }
    ev
}

/// The exclude step: documents holding an excluded word (or another form of it).
fn exclude<B: AsRef<[u8]>>(ix: &Index<B>, dict: &Dict<'_>, q: &Query) -> Vec<bool> {
    let n = ix.meta.doc_count as usize;
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
    excluded
}

/// The phrase-exclusion step: documents where the words of `words` (or other forms of
/// them) occur adjacent and in order are left out, found as a phrase clause is (its
/// candidates checked best first, within `PHRASE_SCAN_BYTES` of text: past it, a page
/// is kept).
fn exclude_phrase<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    scorer: &Scorer,
    words: &[String],
    excluded: &mut [bool],
) {
    let mut matcher = Matcher::default();
    let forms = phrase_forms(ix, dict, words, false, &mut matcher);
    matcher.phrase = Some(words.to_vec());
    let mut ev = Evidence::new(1, excluded.len());
    phrase_matches(ix, dict, scorer, &forms, &matcher, 1.0, 0, &mut ev);
    for (x, &s) in excluded.iter_mut().zip(&ev.scores) {
        *x |= s > 0.0;
    }
}

/// The candidates step: every document matching a clause (or every document when
/// browsing), with its summed score, its title bonus and its title match. Every
/// candidate gets its title evidence from the postings, so a short page titled with
/// the query is never lost behind long pages that mention it more.
fn candidates(plans: &[Plan], ev: &Evidence, excluded: &[bool], browse: bool) -> Vec<Candidate> {
    let n = ev.n;
    let nc = plans.len();
    let mut cands = Vec::new();
    for (d, &out) in excluded.iter().enumerate().take(n) {
        if out {
            continue;
        }
        let (mut matched, mut s) = (0u32, 0f32);
        let (mut found, mut covered) = (0f32, 0f32);
        // title words the clauses account for, and clauses found in the title exactly
        let (mut words, mut in_title, mut exact) = (0u32, 0usize, 0usize);
        for (c, p) in plans.iter().enumerate() {
            let v = ev.scores[c * n + d];
            if v > 0.0 {
                matched += 1;
                s += v;
                let (w, tf) = ev.titles[c * n + d];
                found += w;
                covered += w * tf as f32;
                if tf > 0 {
                    in_title += 1;
                    words += tf * p.width;
                    exact += usize::from(w >= 1.0);
                }
            }
        }
        if matched == 0 && !browse {
            continue;
        }
        let title_len = ev.title_len[d];
        let mut title = TitleMatch::None;
        if nc > 0 && in_title == nc && words >= title_len {
            title = if exact == nc {
                TitleMatch::Exact
            } else {
                TitleMatch::Near
            };
        }
        s += s * title_bonus(found / nc.max(1) as f32, covered, title_len);
        cands.push(Candidate {
            doc: d as u32,
            matched,
            title,
            score: s,
        });
    }
    cands
}

/// The rank step: the best `limit` candidates in order, the first `RERANK` of them
/// reranked by how close their words are in the text. Returns where the clauses
/// matched in the documents scanned for it, kept for their snippets.
fn rank<B: AsRef<[u8]>>(
    ix: &Index<B>,
    scan: &Scan<'_>,
    cands: &mut Vec<Candidate>,
    limit: usize,
) -> Vec<(u32, Matches)> {
    let nc = scan.clauses();
    let mut scanned = Vec::new();
    sort::top_k(cands, limit.max(RERANK), Candidate::order);
    for cand in cands.iter_mut().take(RERANK) {
        if cand.matched >= 2 {
            if let Some(doc) = ix.document(cand.doc) {
                let found = scan.doc(&doc, &ix.analyzer, RERANK_SCAN_BYTES, nc);
                cand.score += cand.score * PROXIMITY * proximity(&found.positions, cand.matched);
                scanned.push((cand.doc, found));
            }
        }
    }
    sort::sort_by(cands, Candidate::order);
    scanned
}

/// The hits step: the stored text of each candidate shown, with its snippet and the
/// sections where the query matches.
fn build_hits<B: AsRef<[u8]>>(
    ix: &Index<B>,
    scan: &Scan<'_>,
    matchers: &[&Matcher],
    cands: &[Candidate],
    mut scanned: Vec<(u32, Matches)>,
    ev: &Evidence,
    opts: &SearchOptions,
) -> Vec<Hit> {
    let nc = matchers.len();
    let mut hits = Vec::with_capacity(cands.len());
    let mut first_match_budget = FIRST_MATCH_SCAN_BYTES;
    for cand in cands {
        let d = cand.doc;
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
            && ev.in_body[d as usize]
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
        let snippet = snippet::build(&doc, &found, matchers, &ix.analyzer, opts.snippet_chars);
        let headings = if opts.subresults > 0 && nc > 0 {
            snippet::sections(&doc, &found, matchers, &ix.analyzer, opts)
        } else {
            Vec::new()
        };
        hits.push(Hit {
            id: doc.id.to_string(),
            url: doc.url.to_string(),
            title: doc.title.to_string(),
            score: (cand_score(cand.score) * 1000.0).round() / 1000.0,
            snippet,
            meta: doc
                .meta
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            headings,
            explain: None,
        });
    }
    hits
}

#[cfg(not(target_arch = "wasm32"))]
/// Why `cand` scored what it did, for `scour search --explain`: each clause's best
/// expansion in the document with its fields' occurrences and score, then the title
/// match and the proximity bonus.
fn explain<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    scorer: &Scorer,
    q: &Query,
    plans: &[Plan],
    cand: &Candidate,
) -> String {
    use std::fmt::Write;
    let mut lens = [0; 3];
    let mut out = String::new();
    let mut sum = 0.0;
    for (clause, p) in q.clauses.iter().zip(plans) {
        let mut best: Option<(f32, String, f32, [u32; 3])> = None;
        for e in &p.terms {
            let Some(info) = dict.info(e.ord) else {
                continue;
            };
            let Some(post) = Postings::new(ix.postings(e.ord, info)).find(|x| x.doc == cand.doc)
            else {
                continue;
            };
            let s = e.weight * scorer.bm25f(scorer.idf(info.df), post.tf, post.len);
            for (l, p) in lens.iter_mut().zip(post.len) {
                *l = (*l).max(p);
            }
            if best.as_ref().is_none_or(|b| s > b.0) {
                best = Some((s, dict.term(e.ord).unwrap_or_default(), e.weight, post.tf));
            }
        }
        let _ = match best {
            Some((s, term, w, tf)) => {
                sum += s;
                write!(
                    out,
                    "{clause:?}: \"{term}\" ×{w:.2} title {} headings {} body {} = {s:.3}; ",
                    tf[0], tf[1], tf[2]
                )
            }
            None if p.phrase.is_some() => write!(out, "{clause:?}: phrase; "),
            None => write!(out, "{clause:?}: no match; "),
        };
    }
    let _ = write!(
        out,
        "title {:?} (words {}/{}/{}), sum {sum:.3}, final {:.3}",
        cand.title, lens[0], lens[1], lens[2], cand.score
    );
    out
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
            let (terms, mut matcher, correction) = expand_word(ix, dict, word, *prefix, true);
            // A compound written joined (`qrcode`) also finds its words written apart
            // (`QR code`, `QR codes`), when the words are more common than the joined
            // form: the site writes it apart.
            let mut phrase = None;
            // (a word being typed is split only when nothing starts with it)
            if !*prefix || (matcher.prefix.is_none() && dict.exact(word).is_none()) {
                if let Some((left, right)) = split_compound(dict, word) {
                    let words = [left, right];
                    phrase = Some(phrase_forms(ix, dict, &words, true, &mut matcher));
                    matcher.phrase = Some(words.to_vec());
                }
            }
            Plan {
                terms,
                phrase,
                matcher,
                correction,
                width: 1,
            }
        }
        Clause::Compound {
            parts,
            joined,
            prefix,
        } => {
            // The joined form carries typo tolerance: `read_libes` → `readlines`.
            let (terms, mut matcher, _) = expand_word(ix, dict, joined, *prefix, true);
            // The parts written apart (`QR code`, `QR codes` for `QR-code`), verified in
            // the text of the pages holding them all.
            let phrase = phrase_forms(ix, dict, parts, true, &mut matcher);
            matcher.phrase = Some(parts.clone());
            Plan {
                terms,
                phrase: Some(phrase),
                matcher,
                correction: None,
                width: parts.len() as u32,
            }
        }
        Clause::Phrase(words) => {
            let mut matcher = Matcher::default();
            let phrase = phrase_forms(ix, dict, words, true, &mut matcher);
            matcher.phrase = Some(words.clone());
            Plan {
                terms: Vec::new(),
                phrase: Some(phrase),
                matcher,
                correction: None,
                width: words.len() as u32,
            }
        }
    }
}

/// The forms each word of a phrase may take: the word (weight 1) and the other forms
/// of its stem (`WEIGHT_STEM`): a quoted phrase matches `"qr codes"` for `"qr code"`,
/// as the engines that analyse phrase fields do, and ranks the exact words higher. A
/// word the index does not hold stands for its closest term (a typo in a phrase or in
/// code still finds it). The forms' text goes to `matcher` for the scan.
fn phrase_forms<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    words: &[String],
    typos: bool,
    matcher: &mut Matcher,
) -> Vec<Vec<Expansion>> {
    let mut out = Vec::with_capacity(words.len());
    matcher.phrase_forms.clear();
    for word in words {
        let mut ords = Vec::new();
        word_forms(ix, dict, word, &mut ords);
        let exact = dict.exact(word);
        let mut forms: Vec<Expansion> = ords
            .iter()
            .map(|&ord| Expansion {
                ord,
                weight: if Some(ord) == exact { 1.0 } else { WEIGHT_STEM },
            })
            .collect();
        let mut text: Vec<String> = ords.iter().filter_map(|&o| dict.term(o)).collect();
        // A word the index holds once or twice may be a typo there too (`carg` in
        // `carg uninstall`): its close terms are forms as well.
        let rare = ords
            .iter()
            .filter_map(|&o| dict.info(o))
            .map(|i| i.df)
            .sum::<u32>()
            <= RARE_DF;
        if typos && rare && !crate::wanting() {
            let mut found = Vec::new();
            dict.fuzzy(word, false, &ix.builders, &mut found);
            // every close term: the phrase's other words tell which one was meant
            for (ord, d, term) in found {
                forms.push(Expansion {
                    ord,
                    weight: WEIGHT_FUZZY[(d as usize).min(2)],
                });
                text.push(term);
            }
        }
        matcher.phrase_forms.push(text);
        out.push(forms);
    }
    out
}

/// The two words a joined compound (`qrcode`) splits into, when the index holds both
/// and each is more frequent than the joined form (which it may not hold at all).
fn split_compound(dict: &Dict<'_>, word: &str) -> Option<(String, String)> {
    const MIN_PART: usize = 2;
    if word.len() < 2 * MIN_PART + 1 || word.len() > 24 || crate::wanting() {
        return None;
    }
    let whole = dict
        .exact(word)
        .and_then(|o| dict.info(o))
        .map_or(0, |i| i.df);
    // A word the site uses often is a word, not a compound written joined; and looking
    // up every split of it would ask a lazy index for dictionary chunks it does not need.
    if whole > RARE_DF {
        return None;
    }
    let mut best: Option<(u32, usize)> = None;
    for (at, _) in word.char_indices().skip(MIN_PART) {
        if word[at..].chars().count() < MIN_PART {
            break;
        }
        let df = |w: &str| dict.exact(w).and_then(|o| dict.info(o)).map_or(0, |i| i.df);
        let least = df(&word[..at]).min(df(&word[at..]));
        if least > whole && best.is_none_or(|b| least > b.0) {
            best = Some((least, at));
        }
    }
    // lookups of a lazy index still on their way: no split yet
    if crate::wanting() {
        return None;
    }
    best.map(|(_, at)| (word[..at].to_string(), word[at..].to_string()))
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
    // A complete word the index does not hold is looked for as a typo even when it
    // also starts longer words (`cde` → `code`, not only `cdecl`).
    if fuzzy && exact.is_none() && (terms.is_empty() || !prefix) && !crate::wanting() {
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

/// Scores clause `c` in the documents where the phrase's words (each in one of its
/// `forms`) occur adjacent and in order.
///
/// The postings say which documents hold every word; the text of each says whether
/// they are adjacent. Candidates are verified best first, until `PHRASE_SCAN_BYTES` of
/// text have been scanned: a phrase of very common words counts only the matches
/// among its best candidates.
#[allow(clippy::too_many_arguments)]
fn phrase_matches<B: AsRef<[u8]>>(
    ix: &Index<B>,
    dict: &Dict<'_>,
    scorer: &Scorer,
    forms: &[Vec<Expansion>],
    matcher: &Matcher,
    weight: f32,
    c: usize,
    ev: &mut Evidence,
) {
    let n = ev.n;
    if forms.is_empty() || forms.iter().any(Vec::is_empty) {
        return;
    }
    // documents holding every word: (doc, summed score, title weight, title tf, body)
    let mut cands: Vec<(u32, f32, f32, u32, bool)> = Vec::new();
    for (i, word) in forms.iter().enumerate() {
        // this word's documents, from every form, best form kept
        let mut docs: Vec<(u32, f32, f32, u32, bool)> = Vec::new();
        for e in word {
            let Some(info) = dict.info(e.ord) else {
                return;
            };
            let idf = scorer.idf(info.df);
            for post in Postings::new(ix.postings(e.ord, info)) {
                if post.doc as usize >= n {
                    break;
                }
                let s = e.weight * scorer.bm25f(idf, post.tf, post.len);
                ev.note_title(&post);
                let title = if post.tf[0] > 0 { e.weight } else { 0.0 };
                docs.push((post.doc, s, title, post.tf[0], post.tf[2] > 0));
            }
        }
        sort::sort_by(&mut docs, |a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        docs.dedup_by(|later, first| {
            if later.0 != first.0 {
                return false;
            }
            if later.2 > first.2 {
                first.2 = later.2;
                first.3 = later.3;
            }
            first.4 |= later.4;
            true
        });
        if i == 0 {
            cands = docs;
        } else {
            let mut next = Vec::with_capacity(cands.len().min(docs.len()));
            let mut di = 0;
            for c in &cands {
                while di < docs.len() && docs[di].0 < c.0 {
                    di += 1;
                }
                if let Some(d) = docs.get(di).filter(|d| d.0 == c.0) {
                    let title = if c.2 > 0.0 && d.2 > 0.0 {
                        c.2.min(d.2)
                    } else {
                        0.0
                    };
                    next.push((c.0, c.1 + d.1, title, c.3.min(d.3), c.4 && d.4));
                }
            }
            cands = next;
        }
        if cands.is_empty() {
            return;
        }
    }
    // Pages whose title holds every word first: their title (cheap to scan) is where
    // a phrase naming a page is; then the best scores.
    sort::sort_by(&mut cands, |a, b| {
        (b.2 > 0.0)
            .cmp(&(a.2 > 0.0))
            .then(b.1.total_cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let scan = Scan::new(&[matcher]);
    let mut budget = PHRASE_SCAN_BYTES;
    for (doc, s, title, tf, body) in cands {
        let d = doc as usize;
        // a document a compound's joined form already matched needs no verification
        if ev.scores[c * n + d] > 0.0 {
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
        // the title and headings first: a match there spares the body and its budget
        let mut found = scan.doc(&stored, &ix.analyzer, 0, 1);
        let mut cost =
            stored.title.len() + stored.headings.iter().map(|h| h.text.len()).sum::<usize>();
        if found.positions[0].is_empty() {
            // the budget bounds the scan of one huge page too, not only the sum
            scan.extend(&stored, &ix.analyzer, &mut found, budget, 1);
            cost += found.body_scanned;
        }
        if !found.positions[0].is_empty() {
            ev.scores[c * n + d] = s * weight;
            ev.in_body[d] |= body;
            if tf > 0 {
                ev.titles[c * n + d] = (title * weight, tf);
            }
        }
        budget = budget.saturating_sub(cost.max(1));
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

#[cfg(test)]
mod tests {
    use scour_index::{Document, IndexBuilder};

    use super::*;

    fn doc(id: &str, title: &str, body: &str) -> Document {
        Document {
            id: id.into(),
            url: format!("/{id}"),
            title: title.into(),
            body: body.into(),
            ..Document::default()
        }
    }

    fn index(docs: Vec<Document>) -> Index<Vec<u8>> {
        let mut b = IndexBuilder::new();
        for d in docs {
            b.add(d);
        }
        Index::open(b.finish().unwrap()).unwrap()
    }

    fn ids(ix: &Index<Vec<u8>>, q: &str) -> Vec<String> {
        ix.search(q, &SearchOptions::default())
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    /// A long page that says "configuration" often, and the short page named so.
    fn config_site() -> Index<Vec<u8>> {
        let long = "The configuration file holds the configuration. ".repeat(40);
        index(vec![
            doc(
                "guide",
                "Guide to configuration files and their configuration",
                &long,
            ),
            doc("config", "Configuration", "Set options in one file."),
            doc("install", "Install", "Run the installer."),
            doc(
                "installation",
                "Installation",
                "Installation takes a minute.",
            ),
        ])
    }

    #[test]
    fn relevance_order_is_clauses_then_title_then_score() {
        let c = |doc, matched, title, score| Candidate {
            doc,
            matched,
            title,
            score,
        };
        let mut v = [
            c(0, 1, TitleMatch::None, 9.0),
            c(1, 1, TitleMatch::Exact, 1.0),
            c(2, 2, TitleMatch::None, 0.5),
            c(3, 1, TitleMatch::Near, 5.0),
            c(4, 1, TitleMatch::Exact, 1.0),
        ];
        v.sort_by(Candidate::order);
        let docs: Vec<u32> = v.iter().map(|c| c.doc).collect();
        assert_eq!(docs, [2, 1, 4, 3, 0]);
    }

    #[test]
    fn the_page_titled_with_the_query_comes_first_whatever_the_others_length() {
        let ix = config_site();
        assert_eq!(ids(&ix, "configuration")[0], "config");
        // exact before a stem's form, a typo still finds the title
        assert_eq!(ids(&ix, "installation")[..2], ["installation", "install"]);
        assert_eq!(ids(&ix, "install ")[0], "install");
        assert_eq!(ids(&ix, "instalation")[0], "installation");
    }

    #[test]
    fn title_match_needs_every_title_word() {
        let ix = config_site();
        let dict = ix.dict().unwrap();
        let q = Query::parse("configuration", &ix.analyzer);
        let plans: Vec<Plan> = q.clauses.iter().map(|c| plan(&ix, &dict, c)).collect();
        let scorer = Scorer {
            n: 4.0,
            avg: ix.meta.avg_field_len,
        };
        let ev = score(&ix, &dict, &scorer, &plans);
        let cands = candidates(&plans, &ev, &[false; 4], false);
        let title = |id: u32| cands.iter().find(|c| c.doc == id).unwrap().title;
        assert_eq!(
            title(0),
            TitleMatch::None,
            "the guide's title has other words"
        );
        assert_eq!(title(1), TitleMatch::Exact);
    }

    #[test]
    fn a_joined_compound_finds_its_words_written_apart() {
        let ix = index(vec![
            doc("a", "Codes", "Scan the QR codes at the door."),
            doc("b", "Menus", "A QR code for the menu."),
        ]);
        let dict = ix.dict().unwrap();
        assert_eq!(
            split_compound(&dict, "qrcode"),
            Some(("qr".into(), "code".into()))
        );
        assert_eq!(split_compound(&dict, "menu"), None);
        let mut found = ids(&ix, "qrcode ");
        found.sort();
        assert_eq!(found, ["a", "b"]);
    }

    #[test]
    fn explain_names_the_parts_of_the_score() {
        let ix = config_site();
        let r = ix.search(
            "configuration",
            &SearchOptions {
                explain: true,
                ..SearchOptions::default()
            },
        );
        let why = r.hits[0].explain.as_deref().unwrap();
        assert!(why.contains("\"configuration\" ×1.00 title 1"), "{why}");
        assert!(why.contains("title Exact"), "{why}");
    }
}
