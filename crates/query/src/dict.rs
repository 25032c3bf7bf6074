//! Term lookup over the fst dictionary: exact, stem group, prefix and Levenshtein
//! (typo) expansion.

use fst::{Automaton, IntoStreamer, Map, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use scour_format::term_info::Entry;
use scour_format::{table_u32, varint};

/// A dictionary term a query word expands to.
#[derive(Clone, Debug)]
pub(crate) struct Expansion {
    pub ord: u32,
    /// Multiplies the term's BM25F score: exact > stem > prefix > typo.
    pub weight: f32,
}

/// At most this many prefix completions are scanned per word; the most frequent are kept.
const PREFIX_SCAN: usize = 1024;
/// Completions kept per word.
const PREFIX_KEEP: usize = 24;
/// Typo candidates scanned and kept per word.
const FUZZY_SCAN: usize = 512;
const FUZZY_KEEP: usize = 12;

/// Adapts a `levenshtein_automata` DFA to `fst::Automaton` (tantivy's approach: the
/// parametric DFA is built once per distance, instantiated per word in microseconds).
struct Lev<'a>(&'a DFA);

impl Automaton for Lev<'_> {
    type State = u32;
    fn start(&self) -> u32 {
        self.0.initial_state()
    }
    fn is_match(&self, s: &u32) -> bool {
        matches!(self.0.distance(*s), Distance::Exact(_))
    }
    fn can_match(&self, s: &u32) -> bool {
        *s != SINK_STATE
    }
    fn accept(&self, s: &u32, b: u8) -> u32 {
        self.0.transition(*s, b)
    }
}

/// Levenshtein automaton builders, made on first use (distance 2 takes milliseconds).
#[derive(Default)]
pub(crate) struct Builders {
    d1: std::sync::OnceLock<LevenshteinAutomatonBuilder>,
    d2: std::sync::OnceLock<LevenshteinAutomatonBuilder>,
}

impl Builders {
    fn get(&self, d: u8) -> &LevenshteinAutomatonBuilder {
        // transpositions count as one edit: "Kagarlitksy" is one typo away
        if d <= 1 {
            self.d1
                .get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
        } else {
            self.d2
                .get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
        }
    }
}

/// Edits allowed for a word of `chars` characters: 1 from 4 characters, 2 from 8.
pub(crate) fn max_edits(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

pub(crate) struct Dict<'a> {
    pub terms: Map<&'a [u8]>,
    pub stems: Option<Map<&'a [u8]>>,
    pub stem_groups: &'a [u8],
    pub stem_group_count: u32,
    pub term_info: &'a [u8],
}

impl<'a> Dict<'a> {
    pub fn exact(&self, word: &str) -> Option<u32> {
        self.terms.get(word).map(|o| o as u32)
    }

    /// Where a term's postings are, its document frequency and stem group.
    pub fn info(&self, ord: u32) -> Option<Entry> {
        scour_format::term_info::read(self.term_info, ord)
    }

    pub fn df(&self, ord: u32) -> u32 {
        self.info(ord).map_or(0, |e| e.df)
    }

    /// The term of ordinal `ord`. The fst maps each term to its rank, and outputs sit
    /// as close to the root as they can, so each transition's output is the lowest
    /// rank below it: the walk takes, at each node, the last transition whose output
    /// does not pass `ord` (tantivy's `ord_to_term`).
    pub fn term(&self, ord: u32) -> Option<String> {
        let fst = self.terms.as_fst();
        let target = u64::from(ord);
        let mut node = fst.root();
        let mut acc = 0u64;
        let mut out = Vec::new();
        // a term is at most a few hundred bytes; the bound guards corrupt bytes
        for _ in 0..1024 {
            if node.is_final() && acc + node.final_output().value() == target {
                return String::from_utf8(out).ok();
            }
            let mut next = None;
            for t in node.transitions() {
                if acc + t.out.value() <= target {
                    next = Some(t);
                } else {
                    break;
                }
            }
            let t = next?;
            acc += t.out.value();
            out.push(t.inp);
            node = fst.node(t.addr);
        }
        None
    }

    /// The stem group of a term, if it has one.
    pub fn group(&self, ord: u32) -> Option<u32> {
        self.info(ord)?.group
    }

    /// The group of terms whose stem is `stem` (as the engine's own stemmer spells it).
    pub fn stem_group(&self, stem: &str) -> Option<u32> {
        self.stems.as_ref()?.get(stem).map(|g| g as u32)
    }

    /// The terms of stem group `g` (`vaccine`, `vaccines`, `vaccinated`, …).
    pub fn group_terms(&self, g: u32, out: &mut Vec<u32>) {
        let g = g as usize;
        if g >= self.stem_group_count as usize {
            return;
        }
        let n = self.stem_group_count as usize + 1;
        let (Some(start), Some(end)) = (
            table_u32(self.stem_groups, g),
            table_u32(self.stem_groups, g + 1),
        ) else {
            return;
        };
        let data = n * 4;
        let Some(bytes) = self
            .stem_groups
            .get(data + start as usize..data + end as usize)
        else {
            return;
        };
        varint::read_deltas(bytes, out);
    }

    /// Completions of `prefix` (the word itself excluded), most frequent first.
    pub fn prefix(&self, prefix: &str, out: &mut Vec<(u32, usize)>) {
        let aut = fst::automaton::Str::new(prefix).starts_with();
        let mut stream = self.terms.search(aut).into_stream();
        let mut found: Vec<(u32, u32, usize)> = Vec::new();
        while let Some((k, v)) = stream.next() {
            if k.len() != prefix.len() {
                found.push((v as u32, self.df(v as u32), k.len()));
            }
            // Short prefixes have thousands of completions: scanning more finds the
            // frequent ones; long prefixes have few, and a small cap keeps typing fast.
            if found.len()
                >= if prefix.len() <= 2 {
                    PREFIX_SCAN
                } else {
                    PREFIX_SCAN / 4
                }
            {
                break;
            }
        }
        keep_best(&mut found, PREFIX_KEEP);
        out.extend(found.into_iter().map(|(o, _, len)| (o, len)));
    }

    /// Terms within the allowed edit distance of `word` (or of a prefix of it when
    /// `prefix`), with their distance; the word itself excluded.
    pub fn fuzzy(
        &self,
        word: &str,
        prefix: bool,
        builders: &Builders,
        out: &mut Vec<(u32, u8, String)>,
    ) {
        let max = max_edits(word.chars().count());
        // One edit first: most typos are one edit, and the distance-1 automaton visits
        // far fewer dictionary states than the distance-2 one.
        for d in 1..=max {
            let builder = builders.get(d);
            // Whole-word typos first (`Tagl` → `tagil`); a word still being typed may
            // also be a typo'd prefix (`Kagarlis` → `kagarlitsky`), tried when no whole
            // word is close.
            let before = out.len();
            self.fuzzy_with(word, &builder.build_dfa(word), prefix, out);
            if prefix && out.len() == before {
                self.fuzzy_with(word, &builder.build_prefix_dfa(word), prefix, out);
            }
            if out.len() > before {
                return;
            }
        }
    }

    fn fuzzy_with(&self, word: &str, dfa: &DFA, typing: bool, out: &mut Vec<(u32, u8, String)>) {
        let mut stream = self.terms.search(Lev(dfa)).into_stream();
        let mut found: Vec<(u32, u32, u8, String)> = Vec::new();
        while let Some((k, v)) = stream.next() {
            if k == word.as_bytes() {
                continue;
            }
            let dist = match dfa.eval(k) {
                Distance::Exact(d) => d,
                Distance::AtLeast(d) => d,
            };
            let Ok(term) = std::str::from_utf8(k).map(str::to_owned) else {
                continue;
            };
            found.push((v as u32, self.df(v as u32), dist, term));
            if found.len() >= FUZZY_SCAN {
                break;
            }
        }
        // Closest first; for a word still being typed, terms at least as long as it
        // (`tagl` → `tagil` rather than `tag`); then most frequent, then alphabetical.
        let shorter = |t: &str| typing && t.len() < word.len();
        crate::sort::sort_by(&mut found, |a, b| {
            a.2.cmp(&b.2)
                .then(shorter(&a.3).cmp(&shorter(&b.3)))
                .then(b.1.cmp(&a.1))
                .then(a.3.cmp(&b.3))
        });
        found.truncate(FUZZY_KEEP);
        out.extend(found.into_iter().map(|(o, _, d, t)| (o, d, t)));
    }
}

/// Keeps the `n` most frequent entries, ties broken by ordinal.
fn keep_best(found: &mut Vec<(u32, u32, usize)>, n: usize) {
    crate::sort::top_k(found, n, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
}
