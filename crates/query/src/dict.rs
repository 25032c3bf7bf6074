//! Term lookup over the fst dictionary: exact, stem group, prefix and Levenshtein
//! (typo) expansion.

use fst::{Automaton, IntoStreamer, Map, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use scour_format::term_info::Entry;

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

/// Levenshtein automaton builders, made on first use (distance 2 takes milliseconds)
/// and shared by every index of the process: they depend on the distance alone, so a
/// page (or a fuzzer) opening many indexes builds them once.
#[derive(Default)]
pub(crate) struct Builders;

impl Builders {
    fn get(&self, d: u8) -> &'static LevenshteinAutomatonBuilder {
        static D1: std::sync::OnceLock<LevenshteinAutomatonBuilder> = std::sync::OnceLock::new();
        static D2: std::sync::OnceLock<LevenshteinAutomatonBuilder> = std::sync::OnceLock::new();
        // transpositions count as one edit: "Kagarlitksy" is one typo away
        if d <= 1 {
            D1.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
        } else {
            D2.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
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

/// One piece of the dictionary: the terms of a range of ordinals (or the stems of a
/// range of stem groups) with their table. A whole index is one piece of each; a lazy
/// one has a piece per chunk, present once the chunk has been given.
#[derive(Clone, Copy)]
pub(crate) struct Piece<'a> {
    /// The first term ordinal (or stem group) it holds.
    pub first: u32,
    /// Its first key: pieces are found by key for lookups by text.
    pub key: &'a [u8],
    /// Postings offset of its first term: its term info counts from there.
    pub base: usize,
    /// Its chunk, in a lazy index.
    pub chunk: Option<u32>,
    /// A chunk wanted with it: the postings of the same terms, when the index cuts
    /// terms and postings alike, so that a word's postings come in the round of its
    /// dictionary piece (a typo walk, which reads every piece, does not want them).
    pub with: Option<u32>,
    /// The fst (terms → rank in the piece, stems → group) and the table (term info,
    /// or the groups' offsets and term lists), when present.
    pub parts: Option<(&'a [u8], &'a [u8])>,
}

impl<'a> Piece<'a> {
    /// The fst and the table; a piece not given yet is wanted (see `crate::want`),
    /// with the postings of its terms.
    fn parts(&self) -> Option<(&'a [u8], &'a [u8])> {
        if self.parts.is_none() {
            if let Some(id) = self.with {
                crate::want(id);
            }
        }
        self.parts_alone()
    }

    /// The fst and the table; a piece not given yet is wanted alone.
    fn parts_alone(&self) -> Option<(&'a [u8], &'a [u8])> {
        if self.parts.is_none() {
            if let Some(id) = self.chunk {
                crate::want(id);
            }
        }
        self.parts
    }

    fn map(&self) -> Option<Map<&'a [u8]>> {
        Map::new(self.parts()?.0).ok()
    }
}

/// The dictionary: term pieces and stem pieces, each in key (and ordinal) order.
pub(crate) struct Dict<'a> {
    pub terms: Vec<Piece<'a>>,
    pub stems: Vec<Piece<'a>>,
    pub term_count: u32,
    pub stem_group_count: u32,
}

/// The piece that would hold `key`: the last whose first key is at most `key` (the
/// first piece for a key before every term: it may hold its completions).
fn by_key<'p, 'a>(pieces: &'p [Piece<'a>], key: &[u8]) -> Option<(usize, &'p Piece<'a>)> {
    let i = pieces.partition_point(|p| p.key <= key).saturating_sub(1);
    Some((i, pieces.get(i)?))
}

/// The piece holding ordinal `ord`, and the ordinal after its last.
fn by_ord<'p, 'a>(pieces: &'p [Piece<'a>], ord: u32, end: u32) -> Option<(&'p Piece<'a>, u32)> {
    let i = pieces.partition_point(|p| p.first <= ord).checked_sub(1)?;
    Some((&pieces[i], pieces.get(i + 1).map_or(end, |p| p.first)))
}

impl<'a> Dict<'a> {
    pub fn exact(&self, word: &str) -> Option<u32> {
        let (_, p) = by_key(&self.terms, word.as_bytes())?;
        p.map()?.get(word).map(|o| p.first.wrapping_add(o as u32))
    }

    /// Where a term's postings are, its document frequency and stem group.
    pub fn info(&self, ord: u32) -> Option<Entry> {
        let (p, _) = by_ord(&self.terms, ord, self.term_count)?;
        let e = scour_format::term_info::read(p.parts()?.1, ord.checked_sub(p.first)?)?;
        Some(Entry {
            start: e.start.checked_add(p.base)?,
            end: e.end.checked_add(p.base)?,
            ..e
        })
    }

    pub fn df(&self, ord: u32) -> u32 {
        self.info(ord).map_or(0, |e| e.df)
    }

    /// The term of ordinal `ord`. The fst maps each term to its rank in its piece,
    /// and outputs sit as close to the root as they can, so each transition's output
    /// is the lowest rank below it: the walk takes, at each node, the last transition
    /// whose output does not pass the rank (tantivy's `ord_to_term`).
    pub fn term(&self, ord: u32) -> Option<String> {
        let (p, _) = by_ord(&self.terms, ord, self.term_count)?;
        let map = p.map()?;
        let fst = map.as_fst();
        let target = u64::from(ord.checked_sub(p.first)?);
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
        let (_, p) = by_key(&self.stems, stem.as_bytes())?;
        p.map()?.get(stem).map(|g| g as u32)
    }

    /// The terms of stem group `g` (`vaccine`, `vaccines`, `vaccinated`, …).
    pub fn group_terms(&self, g: u32, out: &mut Vec<u32>) {
        if g >= self.stem_group_count {
            return;
        }
        let Some((p, end)) = by_ord(&self.stems, g, self.stem_group_count) else {
            return;
        };
        let Some((_, table)) = p.parts() else {
            return;
        };
        // corrupt chunk tables may list pieces out of order: nothing, not a panic
        let (Some(local), Some(n)) = (g.checked_sub(p.first), end.checked_sub(p.first)) else {
            return;
        };
        scour_format::stem_groups::read(table, n, local, out);
    }

    /// The pieces whose terms may start with `prefix`: from the one holding `prefix`
    /// to the last whose first key starts with it.
    fn prefix_pieces(&self, prefix: &[u8]) -> &[Piece<'a>] {
        let Some((from, _)) = by_key(&self.terms, prefix) else {
            return &[];
        };
        let to = from + 1 + self.terms[from + 1..].partition_point(|p| p.key.starts_with(prefix));
        &self.terms[from..to]
    }

    /// Completions of `prefix` (the word itself excluded), most frequent first.
    pub fn prefix(&self, prefix: &str, out: &mut Vec<(u32, usize)>) {
        // Short prefixes have thousands of completions: scanning more finds the
        // frequent ones; long prefixes have few, and a small cap keeps typing fast.
        let cap = if prefix.len() <= 2 {
            PREFIX_SCAN
        } else {
            PREFIX_SCAN / 4
        };
        let mut found: Vec<(u32, u32, usize)> = Vec::new();
        'pieces: for p in self.prefix_pieces(prefix.as_bytes()) {
            let Some(map) = p.map() else { continue };
            let aut = fst::automaton::Str::new(prefix).starts_with();
            let mut stream = map.search(aut).into_stream();
            while let Some((k, v)) = stream.next() {
                if k.len() != prefix.len() {
                    let ord = p.first.wrapping_add(v as u32);
                    found.push((ord, self.df(ord), k.len()));
                }
                if found.len() >= cap {
                    break 'pieces;
                }
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
        // A typo may change any letter, so every piece is searched (a lazy index asks
        // for the whole dictionary, once, when a query needs typo matching).
        let mut found: Vec<(u32, u32, u8, String)> = Vec::new();
        'pieces: for p in &self.terms {
            let Some(map) = p.parts_alone().and_then(|p| Map::new(p.0).ok()) else {
                continue;
            };
            let mut stream = map.search(Lev(dfa)).into_stream();
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
                let ord = p.first.wrapping_add(v as u32);
                found.push((ord, self.df(ord), dist, term));
                if found.len() >= FUZZY_SCAN {
                    break 'pieces;
                }
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
