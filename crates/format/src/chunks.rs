//! The lazy layout: an index cut into a small *core* and chunk files that the engine
//! asks for when a query needs them: the dictionary by term range, the stem groups by
//! stem range, the postings by term range and the stored documents by document range.
//!
//! [`split`] turns a whole index (one container holding every section) into the core
//! and the chunks. The core is a container like any other, with meta, facets, the
//! norms of a smaller site, a [`SectionKind::Chunks`] table saying where the other sections went and a
//! [`SectionKind::ChunkKeys`] list of the first key of each dictionary chunk:
//!
//! ```text
//! chunks section:
//!   5 × u32  chunk count of each kind: postings, documents, terms, stems, norms
//!   16-byte entries, kind by kind in that order (chunk ids are positions here):
//!     u32  first ordinal (of a term, a document or a stem group)
//!     u32  base: the postings offset of the first term (postings and terms chunks)
//!     u32  length of the chunk in bytes
//!     u32  CRC-32 of the chunk
//! chunk-keys section: (terms + stems chunks + 1) u32 offsets, then the first key of
//!   each terms chunk and each stems chunk, back to back
//!
//! postings chunk: the postings of terms [first, next first), as in the postings section
//! document chunk:
//!   u32  document count c
//!   c × u32  offset of each document's record, from the end of this table
//!   the records (the doc-data layout)
//! terms chunk: u32 fst length, an fst::Map of the terms [first, next first) to their
//!   rank in the chunk, then their term-info table (postings offsets from the base)
//! stems chunk: u32 fst length, an fst::Map of the stems of groups [first, next first)
//!   to their group, then those groups as in the stem-groups section
//! norms chunk: the norms of documents [first, next first), as in the norms section
//!   (only when that section is larger than `Plan::norms_in_core`; else it stays in
//!   the core)
//! ```
//!
//! A chunk holds whole terms, groups and documents. Chunk names ([`chunk_name`]) carry
//! the chunk's CRC, so a cache never serves one deploy's chunk to another deploy's
//! engine, and the engine checks the CRC of every chunk it is given
//! ([`ChunkTable::check`]).
//!
//! # Example
//! ```
//! use scour_format::chunks::{ChunkKind, ChunkTable, Entry};
//! let e = |len| Entry { first: 0, base: 0, len, crc: 1 };
//! let table = ChunkTable::write([&[e(3)][..], &[e(8)], &[], &[], &[]]);
//! let t = ChunkTable::read(&table).unwrap();
//! assert_eq!(t.count(ChunkKind::Docs), 1);
//! assert_eq!(t.find(ChunkKind::Docs, 7), Some(1));
//! ```

use crate::{table_u32, term_info, Container, ContainerWriter, FormatError};
use crate::{Meta, SectionKind, DOC_TABLE_LEN};

/// Kinds of chunk.
pub const KINDS: usize = 5;

/// Bytes of one chunk table entry.
pub const ENTRY_LEN: usize = 16;

/// What a chunk holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChunkKind {
    /// Postings of a range of term ordinals.
    Postings,
    /// Stored documents of a range of document ordinals.
    Docs,
    /// The dictionary and term info of a range of term ordinals.
    Terms,
    /// The stems and stem groups of a range of stem groups.
    Stems,
    /// The field lengths of a range of document ordinals (large sites only).
    Norms,
}

impl ChunkKind {
    /// Every kind, in chunk id order.
    pub const ALL: [ChunkKind; KINDS] = [
        ChunkKind::Postings,
        ChunkKind::Docs,
        ChunkKind::Terms,
        ChunkKind::Stems,
        ChunkKind::Norms,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The letter that starts its file names.
    fn letter(self) -> char {
        ['p', 'd', 't', 's', 'n'][self.index()]
    }
}

/// One chunk of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The first term or document ordinal it holds.
    pub first: u32,
    /// For postings: the offset its first byte had in the whole postings section.
    pub base: u32,
    /// Its length in bytes.
    pub len: u32,
    /// CRC-32 of its bytes.
    pub crc: u32,
}

/// The chunk table of a lazy core, read in place.
#[derive(Clone, Copy, Debug)]
pub struct ChunkTable<'a> {
    counts: [u32; KINDS],
    bytes: &'a [u8],
}

impl<'a> ChunkTable<'a> {
    /// The section bytes for these chunks, given kind by kind in [`ChunkKind::ALL`]
    /// order.
    pub fn write(kinds: [&[Entry]; KINDS]) -> Vec<u8> {
        let mut out = Vec::new();
        for k in kinds {
            out.extend_from_slice(&(k.len() as u32).to_le_bytes());
        }
        for e in kinds.into_iter().flatten() {
            for v in [e.first, e.base, e.len, e.crc] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// Reads the section, checking its size against its counts.
    pub fn read(bytes: &'a [u8]) -> Result<ChunkTable<'a>, FormatError> {
        let corrupt = || FormatError::Corrupt("section chunks has the wrong size".into());
        let mut counts = [0u32; KINDS];
        for (i, c) in counts.iter_mut().enumerate() {
            *c = table_u32(bytes, i).ok_or_else(corrupt)?;
        }
        let entries: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if bytes.len() as u64 != entries * ENTRY_LEN as u64 + 4 * KINDS as u64 {
            return Err(corrupt());
        }
        Ok(ChunkTable { counts, bytes })
    }

    /// Chunks of a kind.
    pub fn count(&self, kind: ChunkKind) -> u32 {
        self.counts[kind.index()]
    }

    /// The id of the first chunk of a kind.
    pub fn start(&self, kind: ChunkKind) -> u32 {
        self.counts[..kind.index()].iter().sum()
    }

    /// Every chunk: chunk ids are positions in [`ChunkKind::ALL`] order.
    pub fn len(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// True when the table lists no chunk.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kind of chunk `id` (the last kind for ids past the end).
    pub fn kind(&self, id: u32) -> ChunkKind {
        let mut end = 0;
        for k in ChunkKind::ALL {
            end += self.count(k);
            if id < end {
                return k;
            }
        }
        ChunkKind::Norms
    }

    /// The entry of chunk `id`.
    pub fn entry(&self, id: u32) -> Option<Entry> {
        if id >= self.len() {
            return None;
        }
        let at = KINDS + id as usize * 4;
        Some(Entry {
            first: table_u32(self.bytes, at)?,
            base: table_u32(self.bytes, at + 1)?,
            len: table_u32(self.bytes, at + 2)?,
            crc: table_u32(self.bytes, at + 3)?,
        })
    }

    /// The first ordinal after chunk `id`'s: the next chunk's of the same kind, else
    /// `end` (the count of documents, terms or groups).
    pub fn next_first(&self, id: u32, end: u32) -> u32 {
        match id + 1 < self.start(self.kind(id)) + self.count(self.kind(id)) {
            true => self.entry(id + 1).map_or(end, |e| e.first),
            false => end,
        }
    }

    /// The id of the chunk of `kind` holding ordinal `ord`: the last one whose first
    /// ordinal is at most `ord` (a binary search).
    pub fn find(&self, kind: ChunkKind, ord: u32) -> Option<u32> {
        let start = self.start(kind);
        let (mut lo, mut hi) = (0u32, self.count(kind));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.entry(start + mid)?.first <= ord {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo > 0).then(|| start + lo - 1)
    }

    /// The file name of chunk `id`: its kind, number and CRC, so that a changed chunk
    /// always has a new name.
    pub fn name(&self, id: u32) -> Option<String> {
        let e = self.entry(id)?;
        Some(chunk_name(self.kind(id), id, e.crc))
    }

    /// Checks that `bytes` are chunk `id`: its length and CRC.
    pub fn check(&self, id: u32, bytes: &[u8]) -> Result<(), FormatError> {
        let e = self
            .entry(id)
            .ok_or_else(|| FormatError::Corrupt(format!("there is no chunk {id}")))?;
        let name = chunk_name(self.kind(id), id, e.crc);
        if bytes.len() != e.len as usize {
            return Err(FormatError::Corrupt(format!(
                "chunk {name} has the wrong length: a stale cache or a partial upload"
            )));
        }
        if crate::crc32(bytes) != e.crc {
            return Err(FormatError::Corrupt(format!(
                "chunk {name} fails its checksum: it was altered in transfer or on disk"
            )));
        }
        Ok(())
    }
}

/// The file name of a chunk (relative to the bundle folder).
pub fn chunk_name(kind: ChunkKind, id: u32, crc: u32) -> String {
    let k = kind.letter();
    // hex by hand: the engine carries no integer formatting beyond decimal
    let mut name = format!("chunks/{k}{id}-");
    for shift in (0..8).rev() {
        let digit = (crc >> (shift * 4)) & 0xf;
        name.push(char::from_digit(digit, 16).unwrap_or('0'));
    }
    name.push_str(".bin");
    name
}

/// The record of document `local` (its position in the chunk) in a document chunk.
pub fn doc_record(chunk: &[u8], local: u32) -> Option<&[u8]> {
    let count = table_u32(chunk, 0)?;
    if local >= count {
        return None;
    }
    let data = (count as usize + 1) * 4;
    let start = table_u32(chunk, local as usize + 1)? as usize;
    let end = match local + 1 < count {
        true => table_u32(chunk, local as usize + 2)? as usize,
        false => chunk.len().checked_sub(data)?,
    };
    chunk.get(data.checked_add(start)?..data.checked_add(end)?)
}

/// The fst and the table of a terms or stems chunk.
pub fn dict_parts(chunk: &[u8]) -> Option<(&[u8], &[u8])> {
    let n = table_u32(chunk, 0)? as usize;
    let end = n.checked_add(4)?;
    Some((chunk.get(4..end)?, chunk.get(end..)?))
}

/// The first key of dictionary chunk `i` (the terms chunks, then the stems chunks) in
/// a chunk-keys section listing `n` keys.
pub fn first_key(keys: &[u8], n: u32, i: u32) -> Option<&[u8]> {
    if i >= n {
        return None;
    }
    let data = (n as usize + 1).checked_mul(4)?;
    let start = table_u32(keys, i as usize)? as usize;
    let end = table_u32(keys, i as usize + 1)? as usize;
    keys.get(data.checked_add(start)?..data.checked_add(end)?)
}

/// How to cut an index into chunks.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Chunk files at most, every kind together (at least one per kind).
    pub max_files: usize,
    /// The size a chunk aims at, in bytes; chunks grow beyond it when the file limit
    /// needs them to, and a single large term or document makes a larger chunk.
    pub target: usize,
    /// The norms section moves to chunks when it is larger than this.
    pub norms_in_core: usize,
}

impl Plan {
    /// The default plan for `docs` documents: at most one file per 50 documents and
    /// never more than 5,000 (static hosts limit files per site; Cloudflare Pages allows
    /// 20,000), chunks of 24 KB where that limit allows.
    pub fn for_docs(docs: usize) -> Plan {
        Plan {
            max_files: (docs / 50).clamp(KINDS, 5000),
            target: 24 << 10,
            // a site of about 21,000 pages: below, the norms cost less in the core
            // than a round of fetches would
            norms_in_core: 64 << 10,
        }
    }
}

/// An index cut into a core and chunks.
#[derive(Clone, Debug)]
pub struct Split {
    /// The core container: meta, norms, facets, the chunk table and the chunk keys.
    pub core: Vec<u8>,
    /// The chunks as (file name, bytes), in id order.
    pub chunks: Vec<(String, Vec<u8>)>,
    /// How many chunks of each kind, in [`ChunkKind::ALL`] order.
    pub counts: [usize; KINDS],
}

impl Split {
    /// The chunks of one kind.
    pub fn of_kind(&self, kind: ChunkKind) -> &[(String, Vec<u8>)] {
        let start: usize = self.counts[..kind.index()].iter().sum();
        &self.chunks[start..start + self.counts[kind.index()]]
    }
}

/// The sections a lazy core leaves to its chunks.
const CHUNKED: [SectionKind; 7] = [
    SectionKind::Terms,
    SectionKind::TermInfo,
    SectionKind::Postings,
    SectionKind::Stems,
    SectionKind::StemGroups,
    SectionKind::DocTable,
    SectionKind::DocData,
];

/// Cuts a whole index into a core and chunks (the writer of the lazy layout; the
/// engine reads it through [`ChunkTable`], [`first_key`], [`dict_parts`] and
/// [`doc_record`]).
pub fn split(index: &[u8], plan: Plan) -> Result<Split, FormatError> {
    let c = Container::open(index)?;
    c.verify()?;
    let meta = Meta::from_bytes(c.required(SectionKind::Meta)?)?;
    let info = c.required(SectionKind::TermInfo)?;
    let postings = c.required(SectionKind::Postings)?;
    let doc_table = c.required(SectionKind::DocTable)?;
    let doc_data = c.required(SectionKind::DocData)?;
    let stem_groups = c.section(SectionKind::StemGroups).unwrap_or(&[]);
    let corrupt = |what: &str| FormatError::Corrupt(what.to_string());

    // Terms in ordinal order with their term info, and each term's postings range.
    let terms = fst_keys(c.required(SectionKind::Terms)?, "terms")?;
    if terms.len() != meta.term_count as usize {
        return Err(corrupt(
            "term dictionary and meta disagree on the term count",
        ));
    }
    let mut infos = Vec::with_capacity(terms.len());
    for ord in 0..meta.term_count {
        infos.push(term_info::read(info, ord).ok_or_else(|| corrupt("term-info"))?);
    }
    let term_ranges: Vec<(usize, usize)> = infos.iter().map(|e| (e.start, e.end)).collect();
    // what a term takes in a terms chunk, roughly: its key and its entry
    let term_sizes = spans(terms.iter().map(|k| k.len() + 4));

    // Stems in group order (one stem per group, groups numbered in stem order) and
    // the bytes of each group's term list.
    let stems = match c.section(SectionKind::Stems) {
        Some(bytes) => fst_keys(bytes, "stems")?,
        None => Vec::new(),
    };
    if stems.len() != meta.stem_group_count as usize {
        return Err(corrupt(
            "stem dictionary and meta disagree on the group count",
        ));
    }
    let groups_data = (stems.len() + 1) * 4;
    let mut group_ranges = Vec::with_capacity(stems.len());
    for g in 0..stems.len() {
        let (Some(s), Some(e)) = (table_u32(stem_groups, g), table_u32(stem_groups, g + 1)) else {
            return Err(corrupt("stem-groups"));
        };
        let (s, e) = (groups_data + s as usize, groups_data + e as usize);
        if s > e || e > stem_groups.len() {
            return Err(corrupt("stem-groups"));
        }
        group_ranges.push((s, e));
    }
    let group_sizes = spans(
        stems
            .iter()
            .zip(&group_ranges)
            .map(|(k, r)| k.len() + r.1 - r.0),
    );

    let docs = meta.doc_count as usize;
    if doc_table.len() != docs * DOC_TABLE_LEN {
        return Err(corrupt("section doc-table has the wrong size"));
    }
    let mut doc_ranges = Vec::with_capacity(docs);
    for d in 0..docs {
        let start = table_u32(doc_table, d).unwrap_or(0) as usize;
        let end = match d + 1 < docs {
            true => table_u32(doc_table, d + 1).unwrap_or(0) as usize,
            false => doc_data.len(),
        };
        if start > end || end > doc_data.len() {
            return Err(corrupt("doc-table"));
        }
        doc_ranges.push((start, end));
    }

    // The file budget is shared so that a query's expected bytes are least: it reads
    // k chunks of a kind of B bytes in f files, and Σ k·B/f is least at f ∝ √(k·B).
    // A query reads about one chunk of each dictionary kind and of postings, and
    // several document chunks: its hits are spread over the site (2 on the Rust
    // books' first benchmark query, up to 10 for a page of hits); k = 4 for them.
    // The dictionary and postings take their shares first (on a small site they need
    // fewer files at the base target) and documents the rest.
    // Norms are read for every document of the postings scored: many chunks (k = 4).
    let norms = c.required(SectionKind::Norms)?;
    if norms.len() != docs * crate::NORMS_LEN {
        return Err(corrupt("section norms has the wrong size"));
    }
    let norm_ranges = match norms.len() > plan.norms_in_core {
        true => spans((0..docs).map(|_| crate::NORMS_LEN)),
        false => Vec::new(),
    };
    let ranges = [
        &term_ranges,
        &doc_ranges,
        &term_sizes,
        &group_sizes,
        &norm_ranges,
    ];
    let reads = [1.0, 4.0, 1.0, 1.0, 4.0];
    let bytes = ranges.map(|r| r.last().map_or(0, |l| l.1) as f64);
    let weight = |i: usize| (reads[i] * bytes[i]).sqrt();
    let roots: f64 = (0..KINDS).map(weight).sum::<f64>().max(1.0);
    let budget = plan.max_files.max(KINDS);
    let mut cut: [Vec<usize>; KINDS] = Default::default();
    let mut used = 0;
    let first = [
        ChunkKind::Terms,
        ChunkKind::Stems,
        ChunkKind::Postings,
        ChunkKind::Norms,
    ];
    for k in first {
        let i = k.index();
        let files = (budget as f64 * weight(i) / roots).round() as usize;
        cut[i] = fit(ranges[i], plan.target, files.clamp(1, budget - KINDS + 1));
        used += cut[i].len();
    }
    cut[1] = fit(&doc_ranges, plan.target, budget.saturating_sub(used).max(1));

    let mut chunks = Vec::new();
    let mut entries: [Vec<Entry>; KINDS] = Default::default();
    let mut keys: Vec<&[u8]> = Vec::new();
    for kind in ChunkKind::ALL {
        let i = kind.index();
        let n = ranges[i].len();
        for (j, &first) in cut[i].iter().enumerate() {
            let last = cut[i].get(j + 1).map_or(n, |&x| x);
            let (bytes, base) = match kind {
                ChunkKind::Postings => {
                    let (start, end) = (term_ranges[first].0, term_ranges[last - 1].1);
                    let bytes = postings
                        .get(start..end)
                        .ok_or_else(|| corrupt("postings"))?;
                    (bytes.to_vec(), start)
                }
                ChunkKind::Docs => {
                    let base = doc_ranges[first].0;
                    let mut bytes = Vec::new();
                    bytes.extend_from_slice(&((last - first) as u32).to_le_bytes());
                    for &(start, _) in &doc_ranges[first..last] {
                        bytes.extend_from_slice(&((start - base) as u32).to_le_bytes());
                    }
                    bytes.extend_from_slice(&doc_data[base..doc_ranges[last - 1].1]);
                    (bytes, 0)
                }
                ChunkKind::Terms => {
                    keys.push(&terms[first]);
                    let ranks = (first..last).map(|o| (&terms[o][..], (o - first) as u64));
                    let table: Vec<(u32, u32, Option<u32>)> = infos[first..last]
                        .iter()
                        .map(|e| ((e.end - e.start) as u32, e.df, e.group))
                        .collect();
                    let bytes = dict_chunk(ranks, &term_info::write(&table))?;
                    (bytes, term_ranges[first].0)
                }
                ChunkKind::Stems => {
                    keys.push(&stems[first]);
                    let groups = (first..last).map(|g| (&stems[g][..], g as u64));
                    let (lo, hi) = (group_ranges[first].0, group_ranges[last - 1].1);
                    let mut table = Vec::new();
                    for &(s, _) in &group_ranges[first..last] {
                        table.extend_from_slice(&((s - lo) as u32).to_le_bytes());
                    }
                    table.extend_from_slice(&((hi - lo) as u32).to_le_bytes());
                    table.extend_from_slice(&stem_groups[lo..hi]);
                    (dict_chunk(groups, &table)?, 0)
                }
                ChunkKind::Norms => {
                    let bytes = (0..3)
                        .flat_map(|f| &norms[f * docs + first..f * docs + last])
                        .copied()
                        .collect();
                    (bytes, 0)
                }
            };
            let e = entry(first, base, &bytes);
            chunks.push((chunk_name(kind, chunks.len() as u32, e.crc), bytes));
            entries[i].push(e);
        }
    }

    let mut w = ContainerWriter::new();
    for (kind, _) in c.section_sizes() {
        let chunked = kind == SectionKind::Norms && !norm_ranges.is_empty();
        if !CHUNKED.contains(&kind) && !chunked {
            w.section(kind, c.section(kind).unwrap_or(&[]).to_vec());
        }
    }
    w.section(
        SectionKind::Chunks,
        ChunkTable::write(entries.each_ref().map(Vec::as_slice)),
    );
    let mut key_section = Vec::new();
    let mut at = 0u32;
    for k in keys.iter().map(|k| k.len() as u32).chain([0]) {
        key_section.extend_from_slice(&at.to_le_bytes());
        at += k;
    }
    for k in &keys {
        key_section.extend_from_slice(k);
    }
    w.section(SectionKind::ChunkKeys, key_section);
    Ok(Split {
        core: w.finish(),
        chunks,
        counts: entries.each_ref().map(Vec::len),
    })
}

/// The keys of an fst map, in order, checking that each maps to its rank.
fn fst_keys(bytes: &[u8], what: &str) -> Result<Vec<Vec<u8>>, FormatError> {
    use fst::Streamer;
    let corrupt = || FormatError::Corrupt(format!("{what} dictionary"));
    let map = fst::Map::new(bytes).map_err(|_| corrupt())?;
    let mut keys = Vec::with_capacity(map.len());
    let mut stream = map.stream();
    while let Some((k, v)) = stream.next() {
        if v != keys.len() as u64 {
            return Err(corrupt());
        }
        keys.push(k.to_vec());
    }
    Ok(keys)
}

/// A terms or stems chunk: the fst of `pairs` (in key order), then `table`.
fn dict_chunk<'k>(
    pairs: impl Iterator<Item = (&'k [u8], u64)>,
    table: &[u8],
) -> Result<Vec<u8>, FormatError> {
    let mut b = fst::MapBuilder::memory();
    for (k, v) in pairs {
        b.insert(k, v)
            .map_err(|e| FormatError::Corrupt(format!("dictionary: {e}")))?;
    }
    let fst = b
        .into_inner()
        .map_err(|e| FormatError::Corrupt(format!("dictionary: {e}")))?;
    let mut out = Vec::with_capacity(4 + fst.len() + table.len());
    out.extend_from_slice(&(fst.len() as u32).to_le_bytes());
    out.extend_from_slice(&fst);
    out.extend_from_slice(table);
    Ok(out)
}

/// Back-to-back (start, end) spans of the given sizes.
fn spans(sizes: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let mut at = 0;
    sizes
        .map(|n| {
            at += n;
            (at - n, at)
        })
        .collect()
}

fn entry(first: usize, base: usize, bytes: &[u8]) -> Entry {
    Entry {
        first: first as u32,
        base: base as u32,
        len: bytes.len() as u32,
        crc: crate::crc32(bytes),
    }
}

/// The cuts of [`cuts`] for the smallest target at least `target` that makes at most
/// `files` chunks (a single item larger than the target is a chunk of its own).
fn fit(ranges: &[(usize, usize)], target: usize, files: usize) -> Vec<usize> {
    let total = ranges.last().map_or(0, |r| r.1);
    let mut target = target.max(1);
    loop {
        let c = cuts(ranges, target);
        if c.len() <= files.max(1) || target > total {
            return c;
        }
        target += (target / 4).max(1);
    }
}

/// The first item of each chunk: items are taken in order until a chunk reaches
/// `target` bytes. Empty input gives no chunk.
fn cuts(ranges: &[(usize, usize)], target: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut size = 0usize;
    for (i, &(start, end)) in ranges.iter().enumerate() {
        if i == 0 || size >= target {
            out.push(i);
            size = 0;
        }
        size += end - start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_picks_the_chunk_holding_an_ordinal() {
        let e = |first| Entry {
            first,
            base: 0,
            len: 0,
            crc: 0,
        };
        let bytes = ChunkTable::write([&[e(0), e(10), e(20)], &[e(0), e(5)], &[e(0)], &[], &[]]);
        let t = ChunkTable::read(&bytes).unwrap();
        assert_eq!(t.find(ChunkKind::Postings, 0), Some(0));
        assert_eq!(t.find(ChunkKind::Postings, 9), Some(0));
        assert_eq!(t.find(ChunkKind::Postings, 10), Some(1));
        assert_eq!(t.find(ChunkKind::Postings, 999), Some(2));
        assert_eq!(t.find(ChunkKind::Docs, 4), Some(3));
        assert_eq!(t.find(ChunkKind::Docs, 5), Some(4));
        assert_eq!(t.find(ChunkKind::Terms, 3), Some(5));
        assert_eq!(t.find(ChunkKind::Stems, 3), None);
        assert_eq!((t.kind(4), t.kind(5)), (ChunkKind::Docs, ChunkKind::Terms));
        assert_eq!(t.next_first(3, 99), 5);
        assert_eq!(t.next_first(4, 99), 99);
        assert!(ChunkTable::read(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn cuts_keep_items_whole() {
        let r = [(0, 10), (10, 40), (40, 41), (41, 45)];
        assert_eq!(cuts(&r, 20), vec![0, 2]);
        assert_eq!(cuts(&r, 1), vec![0, 1, 2, 3]);
        assert_eq!(cuts(&[], 1), Vec::<usize>::new());
    }

    #[test]
    fn fit_grows_the_target_until_the_files_suffice() {
        let r: Vec<(usize, usize)> = (0..100).map(|i| (i, i + 1)).collect();
        assert_eq!(fit(&r, 1, 100).len(), 100);
        assert!(fit(&r, 1, 7).len() <= 7);
        assert!(fit(&r, 1, 7).len() >= 5, "no fewer files than it may use");
        assert_eq!(fit(&r, 1, 0).len(), 1);
        assert_eq!(fit(&[], 1, 3), Vec::<usize>::new());
    }

    #[test]
    fn doc_records_are_found_and_bounded() {
        let mut chunk = Vec::new();
        chunk.extend_from_slice(&2u32.to_le_bytes());
        chunk.extend_from_slice(&0u32.to_le_bytes());
        chunk.extend_from_slice(&3u32.to_le_bytes());
        chunk.extend_from_slice(b"abcde");
        assert_eq!(doc_record(&chunk, 0), Some(&b"abc"[..]));
        assert_eq!(doc_record(&chunk, 1), Some(&b"de"[..]));
        assert_eq!(doc_record(&chunk, 2), None);
        chunk[8] = 99;
        assert_eq!(doc_record(&chunk, 1), None);
    }

    #[test]
    fn check_rejects_other_bytes() {
        let bytes = b"postings".to_vec();
        let table = ChunkTable::write([&[entry(0, 0, &bytes)], &[], &[], &[], &[]]);
        let t = ChunkTable::read(&table).unwrap();
        t.check(0, &bytes).unwrap();
        let e = t.check(0, b"postingz").unwrap_err().to_string();
        assert!(e.contains("chunks/p0-") && e.contains("altered"), "{e}");
        assert!(t
            .check(0, b"short")
            .unwrap_err()
            .to_string()
            .contains("stale"));
        assert!(t.check(1, &bytes).is_err());
    }
}
