//! The lazy layout: the bulky sections of an index (postings, stored documents) moved
//! out into chunk files that the engine asks for when a query needs them.
//!
//! [`split`] turns a whole index (one container holding every section) into a *core*
//! and chunks; the core is a container like any other, without the
//! [`SectionKind::Postings`], [`SectionKind::DocTable`] and [`SectionKind::DocData`]
//! sections and with a [`SectionKind::Chunks`] table saying where their bytes went:
//!
//! ```text
//! chunks section:
//!   u32  postings chunk count P
//!   u32  document chunk count D
//!   (P + D) entries of 16 bytes:
//!     u32  first ordinal (term ordinal for postings, document ordinal for documents)
//!     u32  base: postings offset of the chunk's first byte (0 for document chunks)
//!     u32  length of the chunk in bytes
//!     u32  CRC-32 of the chunk
//!
//! postings chunk: the postings of terms [first, next first), as in the postings section
//! document chunk:
//!   u32  document count c
//!   c × u32  offset of each document's record, from the end of this table
//!   the records (the doc-data layout)
//! ```
//!
//! A chunk holds whole terms and whole documents: a term's postings or a document's
//! record never straddle two chunks. Chunk names ([`chunk_name`]) carry the chunk's
//! CRC, so a cache never serves one deploy's chunk to another deploy's engine, and the
//! engine checks the CRC of every chunk it is given ([`ChunkTable::check`]).
//!
//! # Example
//! ```
//! use scour_format::chunks::{ChunkKind, ChunkTable, Entry};
//! let table = ChunkTable::write(&[Entry { first: 0, base: 0, len: 3, crc: 1 }],
//!                               &[Entry { first: 0, base: 0, len: 8, crc: 2 }]);
//! let t = ChunkTable::read(&table).unwrap();
//! assert_eq!(t.count(ChunkKind::Docs), 1);
//! assert_eq!(t.find(ChunkKind::Docs, 7), Some(1));
//! ```

use crate::{read_u32, table_u32, term_info, Container, ContainerWriter, FormatError};
use crate::{Meta, SectionKind, DOC_TABLE_LEN};

/// Bytes of one chunk table entry.
pub const ENTRY_LEN: usize = 16;

/// What a chunk holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChunkKind {
    /// Postings of a range of term ordinals.
    Postings,
    /// Stored documents of a range of document ordinals.
    Docs,
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
    postings: u32,
    docs: u32,
    bytes: &'a [u8],
}

impl<'a> ChunkTable<'a> {
    /// The section bytes for these chunks.
    pub fn write(postings: &[Entry], docs: &[Entry]) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + (postings.len() + docs.len()) * ENTRY_LEN);
        out.extend_from_slice(&(postings.len() as u32).to_le_bytes());
        out.extend_from_slice(&(docs.len() as u32).to_le_bytes());
        for e in postings.iter().chain(docs) {
            for v in [e.first, e.base, e.len, e.crc] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// Reads the section, checking its size against its counts.
    pub fn read(bytes: &'a [u8]) -> Result<ChunkTable<'a>, FormatError> {
        let corrupt = || FormatError::Corrupt("section chunks has the wrong size".into());
        let postings = read_u32(bytes, 0).ok_or_else(corrupt)?;
        let docs = read_u32(bytes, 4).ok_or_else(corrupt)?;
        let want = (postings as u64 + docs as u64) * ENTRY_LEN as u64 + 8;
        if bytes.len() as u64 != want {
            return Err(corrupt());
        }
        Ok(ChunkTable {
            postings,
            docs,
            bytes,
        })
    }

    /// Chunks of a kind.
    pub fn count(&self, kind: ChunkKind) -> u32 {
        match kind {
            ChunkKind::Postings => self.postings,
            ChunkKind::Docs => self.docs,
        }
    }

    /// Every chunk, postings first: chunk ids are positions in this order.
    pub fn len(&self) -> u32 {
        self.postings + self.docs
    }

    /// True when the table lists no chunk.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kind of chunk `id`.
    pub fn kind(&self, id: u32) -> ChunkKind {
        if id < self.postings {
            ChunkKind::Postings
        } else {
            ChunkKind::Docs
        }
    }

    /// The entry of chunk `id`.
    pub fn entry(&self, id: u32) -> Option<Entry> {
        if id >= self.len() {
            return None;
        }
        let at = 2 + id as usize * 4;
        Some(Entry {
            first: table_u32(self.bytes, at)?,
            base: table_u32(self.bytes, at + 1)?,
            len: table_u32(self.bytes, at + 2)?,
            crc: table_u32(self.bytes, at + 3)?,
        })
    }

    /// The id of the chunk of `kind` holding ordinal `ord`: the last one whose first
    /// ordinal is at most `ord` (a binary search).
    pub fn find(&self, kind: ChunkKind, ord: u32) -> Option<u32> {
        let (start, n) = match kind {
            ChunkKind::Postings => (0, self.postings),
            ChunkKind::Docs => (self.postings, self.docs),
        };
        let (mut lo, mut hi) = (0u32, n);
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
    let k = match kind {
        ChunkKind::Postings => 'p',
        ChunkKind::Docs => 'd',
    };
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

/// How to cut an index into chunks.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Chunk files at most (postings and documents together).
    pub max_files: usize,
    /// The size a chunk aims at, in bytes; chunks grow beyond it when the file limit
    /// needs them to, and a single large term or document makes a larger chunk.
    pub target: usize,
}

impl Plan {
    /// The default plan for `docs` documents: at most one file per 50 documents and
    /// never more than 5,000 (static hosts limit files per site; Cloudflare Pages allows
    /// 20,000), chunks of 24 KB where that limit allows.
    pub fn for_docs(docs: usize) -> Plan {
        Plan {
            max_files: (docs / 50).clamp(2, 5000),
            target: 24 << 10,
        }
    }
}

/// An index cut into a core and chunks.
#[derive(Clone, Debug)]
pub struct Split {
    /// The core container: everything but postings and stored documents, plus the
    /// chunk table.
    pub core: Vec<u8>,
    /// The chunks as (file name, bytes), in id order.
    pub chunks: Vec<(String, Vec<u8>)>,
    /// How many of them, first in id order, hold postings; the rest hold documents.
    pub postings: usize,
}

/// Cuts a whole index into a core and chunks (the writer of the lazy layout; the
/// engine reads it through [`ChunkTable`] and [`doc_record`]).
pub fn split(index: &[u8], plan: Plan) -> Result<Split, FormatError> {
    let c = Container::open(index)?;
    c.verify()?;
    let meta = Meta::from_bytes(c.required(SectionKind::Meta)?)?;
    let info = c.required(SectionKind::TermInfo)?;
    let postings = c.required(SectionKind::Postings)?;
    let doc_table = c.required(SectionKind::DocTable)?;
    let doc_data = c.required(SectionKind::DocData)?;
    let corrupt = |what: &str| FormatError::Corrupt(what.to_string());

    // (start, end) of every term's postings and every document's record
    let mut term_ranges = Vec::with_capacity(meta.term_count as usize);
    for ord in 0..meta.term_count {
        let e = term_info::read(info, ord).ok_or_else(|| corrupt("term-info"))?;
        term_ranges.push((e.start, e.end));
    }
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
    // about one postings chunk and a few document chunks, and k·P/p + k·D/d for p + d
    // files is least at p : d = √P : √D. Postings take their share first (they need
    // fewer files at the base target on a small site) and documents the rest.
    let budget = plan.max_files.max(2);
    let (p_bytes, d_bytes) = (postings.len() as f64, doc_data.len() as f64);
    let share = p_bytes.sqrt() / (p_bytes.sqrt() + d_bytes.sqrt()).max(1.0);
    let p_files = ((budget as f64 * share).round() as usize).clamp(1, budget - 1);
    let term_cuts = fit(&term_ranges, plan.target, p_files);
    let doc_cuts = fit(
        &doc_ranges,
        plan.target,
        budget - term_cuts.len().min(budget - 1),
    );

    // chunk ids: the postings chunks first, then the document chunks
    let mut chunks = Vec::with_capacity(term_cuts.len() + doc_cuts.len());
    let mut p_entries = Vec::with_capacity(term_cuts.len());
    for (i, &first) in term_cuts.iter().enumerate() {
        let last = term_cuts.get(i + 1).map_or(term_ranges.len(), |&n| n);
        let start = term_ranges[first].0;
        let end = term_ranges[last - 1].1;
        let bytes = postings
            .get(start..end)
            .ok_or_else(|| corrupt("postings"))?
            .to_vec();
        let e = entry(first, start, &bytes);
        chunks.push((
            chunk_name(ChunkKind::Postings, chunks.len() as u32, e.crc),
            bytes,
        ));
        p_entries.push(e);
    }
    let mut d_entries = Vec::with_capacity(doc_cuts.len());
    for (i, &first) in doc_cuts.iter().enumerate() {
        let last = doc_cuts.get(i + 1).map_or(doc_ranges.len(), |&n| n);
        let base = doc_ranges[first].0;
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&((last - first) as u32).to_le_bytes());
        for &(start, _) in &doc_ranges[first..last] {
            bytes.extend_from_slice(&((start - base) as u32).to_le_bytes());
        }
        bytes.extend_from_slice(&doc_data[base..doc_ranges[last - 1].1]);
        let e = entry(first, 0, &bytes);
        chunks.push((
            chunk_name(ChunkKind::Docs, chunks.len() as u32, e.crc),
            bytes,
        ));
        d_entries.push(e);
    }

    let mut w = ContainerWriter::new();
    for (kind, _) in c.section_sizes() {
        if !matches!(
            kind,
            SectionKind::Postings | SectionKind::DocTable | SectionKind::DocData
        ) {
            w.section(kind, c.section(kind).unwrap_or(&[]).to_vec());
        }
    }
    w.section(
        SectionKind::Chunks,
        ChunkTable::write(&p_entries, &d_entries),
    );
    Ok(Split {
        core: w.finish(),
        chunks,
        postings: p_entries.len(),
    })
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
        let bytes = ChunkTable::write(&[e(0), e(10), e(20)], &[e(0), e(5)]);
        let t = ChunkTable::read(&bytes).unwrap();
        assert_eq!(t.find(ChunkKind::Postings, 0), Some(0));
        assert_eq!(t.find(ChunkKind::Postings, 9), Some(0));
        assert_eq!(t.find(ChunkKind::Postings, 10), Some(1));
        assert_eq!(t.find(ChunkKind::Postings, 999), Some(2));
        assert_eq!(t.find(ChunkKind::Docs, 4), Some(3));
        assert_eq!(t.find(ChunkKind::Docs, 5), Some(4));
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
        let table = ChunkTable::write(&[entry(0, 0, &bytes)], &[]);
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
