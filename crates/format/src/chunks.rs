//! The lazy layout: an index cut into a small *core* and chunk files that the engine
//! asks for when a query needs them: the dictionary by term range, the stem groups by
//! stem range, the postings by term range and the stored documents by document range.
//!
//! [`split_into`] turns a whole index (one container holding every section, read a
//! part at a time) into the core and the chunks, handing each chunk to a
//! [`ChunkSink`] as it is cut; [`split`] does it in memory. The core is a container
//! like any other, with meta, facets, a [`SectionKind::Chunks`] table saying where the
//! other sections went and a
//! [`SectionKind::ChunkKeys`] list of the first key of each dictionary chunk:
//!
//! ```text
//! chunks section:
//!   4 × u32  chunk count of each kind: postings, documents, terms, stems
//!   u32  the bundle hash: CRC-32 of every chunk's check and deflated length (u32
//!        each, in id order); the pack's and the files' names carry it
//!   entries, kind by kind in that order (chunk ids are positions here), 3 varints:
//!     first ordinal (of a term, a document or a stem group), less the first ordinal
//!       of the entry before of its kind (0 for the kind's first; wrapping at 2^32)
//!     base: the postings offset of the first term (postings and terms chunks; else
//!       0), less the base of the entry before of its kind (alike)
//!     length of the chunk deflated (raw DEFLATE) in the pack
//!   the fallback files ([`Files`]): varint dictionary file count, per file two
//!     varints, its first terms chunk and its first stems chunk less the file
//!     before's; varint document file count, per file a varint, its first document
//!     chunk less the file before's
//! chunk-keys section: (terms + stems chunks + 1) u32 offsets, then the first key of
//!   each terms chunk and each stems chunk, back to back
//!
//! every chunk ends with its check: u32 CRC-32 of its id (u32) then its bytes before
//! the check ([`seal`], [`ChunkTable::check`])
//! a fallback file: its chunks in id order, each as a varint of its length (its check
//!   included) then its bytes ([`frame`], [`ChunkTable::file_parts`])
//! postings chunk: the postings of terms [first, next first), as in the postings section
//! document chunk:
//!   u32  document count c
//!   c × u32  offset of each document's record, from the end of this table
//!   the records (the doc-data layout)
//! terms chunk: u32 fst length, an fst::Map of the terms [first, next first) to their
//!   rank in the chunk, then their term-info table (postings offsets from the base)
//! stems chunk: u32 fst length, an fst::Map of the stems of groups [first, next first)
//!   to their group, then those groups as in the stem-groups section
//! ```
//!
//! A chunk holds whole terms, groups and documents. Chunks reach the browser two ways:
//!
//! - the **pack** (`chunks/pack-<hash>.bin`): every chunk deflated on its own, back to
//!   back in id order, read one chunk at a time with HTTP Range requests, so a query
//!   fetches the few kilobytes it needs however small the chunks are;
//! - the **files** (`chunks/<t|d><n>-<hash>.bin`): runs of chunks in id order, each
//!   after its length, for hosts that do not answer Range requests. A dictionary file
//!   (`t`) holds a run of terms chunks with their postings chunks and the stems chunks
//!   of the same key range, so that a word costs one file and one request; a document
//!   file (`d`) a run of document chunks ([`Files`]). There are at most [`Plan::max_files`] of
//!   them (static hosts limit files per site), and the host compresses them as it
//!   does any file.
//!
//! Both names carry the bundle hash ([`ChunkTable::file_name`],
//! [`ChunkTable::pack_name`]), so a cache never serves one deploy's bytes to another
//! deploy's engine, and the engine checks the check of every chunk it is given
//! ([`ChunkTable::check`]).
//!
//! Each chunk carries its own CRC rather than the table, and a fallback file the
//! lengths of its chunks: the table is in the core, which every first visit downloads
//! before anything else, and neither compresses. Varint differences make the rest of
//! an entry a few bytes (the Rust books' table went from 11.7 to 4.8 KB brotli in
//! version 7, WordNet's from 21.6 to 6.9 KB; without the lengths, version 9, WordNet's
//! table of 3,942 chunks, cut smaller since, is 9.2 KB instead of 13.7).
//!
//! # Example
//! ```
//! use scour_format::chunks::{ChunkKind, ChunkTable, Entry, Files};
//! let e = |packed| Entry { first: 0, base: 0, packed };
//! // a postings chunk (id 0), a document chunk (1) and a terms chunk (2); a
//! // dictionary file and a document file
//! let files = Files { dict: vec![(0, 0)], docs: vec![0] };
//! let table = ChunkTable::write([&[e(3)][..], &[e(8)], &[e(5)], &[]], &files, 7);
//! let t = ChunkTable::read(&table).unwrap();
//! t.check_files().unwrap();
//! assert_eq!(t.find(ChunkKind::Docs, 7), Some(1));
//! assert_eq!(t.file_of(1), Some(1));
//! // the terms chunk and its postings share a file, in id order
//! assert_eq!(t.file_chunks(0), Some(vec![0, 2]));
//! ```

use std::borrow::Cow;
use std::io::{Read, Seek};
use std::ops::Range;

use crate::stream::{IndexReader, StreamError};
use crate::{doc_data, table_u32, term_info, Container, ContainerWriter, FormatError};
use crate::{Meta, SectionKind, DOC_TABLE_LEN};

/// Kinds of chunk.
pub const KINDS: usize = 4;

/// Bytes of a chunk's check: see [`seal`].
pub const CHECK_LEN: usize = 4;

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
}

impl ChunkKind {
    /// Every kind, in chunk id order.
    pub const ALL: [ChunkKind; KINDS] = [
        ChunkKind::Postings,
        ChunkKind::Docs,
        ChunkKind::Terms,
        ChunkKind::Stems,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The letter that starts its chunks' names (and, for documents and terms, the
    /// names of the fallback files holding them).
    fn letter(self) -> char {
        ['p', 'd', 't', 's'][self.index()]
    }
}

/// One chunk of the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// The first term or document ordinal it holds.
    pub first: u32,
    /// For postings: the offset its first byte had in the whole postings section.
    pub base: u32,
    /// Its length deflated, as it is in the pack.
    pub packed: u32,
}

/// Ends chunk `id`'s bytes with their check ([`CHECK_LEN`] bytes: the CRC-32 of the id
/// then the bytes, so that neither another chunk nor altered bytes pass).
/// [`ChunkTable::check`] reads it.
pub fn seal(id: u32, bytes: &mut Vec<u8>) {
    let crc = check_of(id, bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
}

/// The check of chunk `id` holding `bytes`.
fn check_of(id: u32, bytes: &[u8]) -> u32 {
    !crate::crc::crc32_update(crate::crc::crc32_update(!0, &id.to_le_bytes()), bytes)
}

/// The chunk table of a lazy core, decoded once.
#[derive(Clone, Debug, Default)]
pub struct ChunkTable {
    counts: [u32; KINDS],
    hash: u32,
    entries: Vec<Entry>,
    files: Files,
}

/// The fallback files, for hosts without Range requests. A **dictionary file** holds a
/// run of terms chunks with their postings chunks (cut alike) and the stems chunks whose
/// first keys fall in the same key range: a word's dictionary entry, its postings and,
/// most of the time, its stem's group come in one file and one request. A **document
/// file** holds a run of document chunks. Files are numbered dictionary files first;
/// each holds its chunks back to back in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files {
    /// Per dictionary file: its first terms chunk and its first stems chunk, counted
    /// within their kinds (a file may hold no stems chunk, or no terms chunk).
    pub dict: Vec<(u32, u32)>,
    /// Per document file: its first document chunk, counted within the kind.
    pub docs: Vec<u32>,
}

impl Files {
    /// Appends the files as the table stores them: varint dictionary file count, per
    /// file the differences of its first terms chunk and first stems chunk from the
    /// file before's; varint document file count, per file the difference of its first
    /// chunk from the file before's.
    fn write(&self, out: &mut Vec<u8>) {
        crate::varint::write(out, self.dict.len() as u32);
        let mut last = (0u32, 0u32);
        for &(t, s) in &self.dict {
            crate::varint::write(out, t.wrapping_sub(last.0));
            crate::varint::write(out, s.wrapping_sub(last.1));
            last = (t, s);
        }
        crate::varint::write(out, self.docs.len() as u32);
        let mut last = 0u32;
        for &d in &self.docs {
            crate::varint::write(out, d.wrapping_sub(last));
            last = d;
        }
    }

    /// Reads what [`Files::write`] wrote; `None` when the bytes end first. Counts are
    /// checked against the bytes left before anything is allocated.
    fn read(r: &mut crate::varint::Reader<'_>) -> Option<Files> {
        let n = r.u32()? as usize;
        if n > r.remaining() / 2 {
            return None;
        }
        let mut dict = Vec::with_capacity(n);
        let mut last = (0u32, 0u32);
        for _ in 0..n {
            last = (last.0.wrapping_add(r.u32()?), last.1.wrapping_add(r.u32()?));
            dict.push(last);
        }
        let n = r.u32()? as usize;
        if n > r.remaining() {
            return None;
        }
        let mut docs = Vec::with_capacity(n);
        let mut last = 0u32;
        for _ in 0..n {
            last = last.wrapping_add(r.u32()?);
            docs.push(last);
        }
        Some(Files { dict, docs })
    }

    /// Files in all.
    pub fn len(&self) -> u32 {
        (self.dict.len() + self.docs.len()) as u32
    }

    /// True when there is no file (an index without chunks).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file holding the `i`th chunk of `kind` (`None` before the first file of
    /// its kind).
    pub fn of(&self, kind: ChunkKind, i: u32) -> Option<u32> {
        let last = |n: usize| (n as u32).checked_sub(1);
        match kind {
            ChunkKind::Terms | ChunkKind::Postings => last(self.dict.partition_point(|f| f.0 <= i)),
            ChunkKind::Stems => last(self.dict.partition_point(|f| f.1 <= i)),
            ChunkKind::Docs => {
                last(self.docs.partition_point(|&f| f <= i)).map(|f| f + self.dict.len() as u32)
            }
        }
    }
}

impl ChunkTable {
    /// The section bytes for these chunks, given kind by kind in [`ChunkKind::ALL`]
    /// order, the first chunk of each file, and the bundle hash.
    pub fn write(kinds: [&[Entry]; KINDS], files: &Files, hash: u32) -> Vec<u8> {
        let mut out = Vec::new();
        for k in kinds {
            out.extend_from_slice(&(k.len() as u32).to_le_bytes());
        }
        out.extend_from_slice(&hash.to_le_bytes());
        for k in kinds {
            let mut last = Entry::default();
            for e in k {
                crate::varint::write(&mut out, e.first.wrapping_sub(last.first));
                crate::varint::write(&mut out, e.base.wrapping_sub(last.base));
                crate::varint::write(&mut out, e.packed);
                last = *e;
            }
        }
        files.write(&mut out);
        out
    }

    /// Decodes the section (O(chunks); [`ChunkTable::check_files`] checks the files).
    pub fn read(bytes: &[u8]) -> Result<ChunkTable, FormatError> {
        let size = || FormatError::Corrupt("section chunks has the wrong size".into());
        let mut counts = [0u32; KINDS];
        for (i, c) in counts.iter_mut().enumerate() {
            *c = table_u32(bytes, i).ok_or_else(size)?;
        }
        let hash = table_u32(bytes, KINDS).ok_or_else(size)?;
        let rest = &bytes[4 * KINDS + 4..];
        // each entry takes at least three bytes: a count beyond that is corrupt, and
        // nothing is allocated for it
        let entries: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if entries > rest.len() as u64 / 3 {
            return Err(size());
        }
        let mut r = crate::varint::Reader::new(rest);
        let mut out = Vec::with_capacity(entries as usize);
        for &count in &counts {
            let mut last = Entry::default();
            for _ in 0..count {
                let mut next = || r.u32().ok_or_else(size);
                last = Entry {
                    first: last.first.wrapping_add(next()?),
                    base: last.base.wrapping_add(next()?),
                    packed: next()?,
                };
                out.push(last);
            }
        }
        let files = Files::read(&mut r).ok_or_else(size)?;
        if !r.is_empty() {
            return Err(size());
        }
        Ok(ChunkTable {
            counts,
            hash,
            entries: out,
            files,
        })
    }

    /// Checks that the terms and postings are cut alike and that the files hold runs
    /// of chunks, in order, each chunk in one file and no file empty (O(chunks)).
    pub fn check_files(&self) -> Result<(), FormatError> {
        let bad = || FormatError::Corrupt("section chunks has files out of order".into());
        if !self.aligned() {
            return Err(FormatError::Corrupt(
                "section chunks has terms and postings cut apart".into(),
            ));
        }
        let (terms, stems) = (self.count(ChunkKind::Terms), self.count(ChunkKind::Stems));
        let dict = &self.files.dict;
        // the first file starts at the first chunks; each one ends where the next starts
        let ends = dict.iter().skip(1).copied().chain([(terms, stems)]);
        for (i, (&(t, s), (nt, ns))) in dict.iter().zip(ends).enumerate() {
            let starts = i > 0 || (t, s) == (0, 0);
            if !starts || nt < t || ns < s || (nt, ns) == (t, s) || nt > terms || ns > stems {
                return Err(bad());
            }
        }
        if dict.is_empty() && terms + stems > 0 {
            return Err(bad());
        }
        let docs = self.count(ChunkKind::Docs);
        let ends = self.files.docs.iter().skip(1).copied().chain([docs]);
        for (i, (&d, next)) in self.files.docs.iter().zip(ends).enumerate() {
            if (i == 0 && d != 0) || next <= d || next > docs {
                return Err(bad());
            }
        }
        if self.files.docs.is_empty() && docs > 0 {
            return Err(bad());
        }
        Ok(())
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
        self.entries.len() as u32
    }

    /// True when the table lists no chunk.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
        ChunkKind::Stems
    }

    /// The entry of chunk `id`.
    pub fn entry(&self, id: u32) -> Option<Entry> {
        self.entries.get(id as usize).copied()
    }

    /// True when the terms and postings chunks cover the same term ranges, chunk for
    /// chunk: a word's dictionary chunk then says which postings chunk it needs before
    /// it is read.
    pub fn aligned(&self) -> bool {
        let (t, p) = (
            self.start(ChunkKind::Terms),
            self.start(ChunkKind::Postings),
        );
        let n = self.count(ChunkKind::Terms);
        n == self.count(ChunkKind::Postings)
            && (0..n).all(|i| {
                let first = |id| self.entry(id).map(|e| e.first);
                first(t + i) == first(p + i)
            })
    }

    /// Files of the fallback layout.
    pub fn files(&self) -> u32 {
        self.files.len()
    }

    /// The chunks of file `f`, in the order its bytes hold them: id order (a
    /// dictionary file's postings chunks, then its terms chunks, then its stems chunks).
    pub fn file_chunks(&self, f: u32) -> Option<Vec<u32>> {
        let ids = |kind, from: u32, to: u32| {
            let start = self.start(kind);
            start + from..start + to
        };
        let dict = &self.files.dict;
        if let Some(&(t, s)) = dict.get(f as usize) {
            let (terms, stems) = (self.count(ChunkKind::Terms), self.count(ChunkKind::Stems));
            let (nt, ns) = dict.get(f as usize + 1).copied().unwrap_or((terms, stems));
            let mut out: Vec<u32> = ids(ChunkKind::Postings, t, nt).collect();
            out.extend(ids(ChunkKind::Terms, t, nt));
            out.extend(ids(ChunkKind::Stems, s, ns));
            return Some(out);
        }
        let d = (f as usize).checked_sub(dict.len())?;
        let first = *self.files.docs.get(d)?;
        let next = self.files.docs.get(d + 1).copied();
        let next = next.unwrap_or(self.count(ChunkKind::Docs));
        Some(ids(ChunkKind::Docs, first, next).collect())
    }

    /// The file holding chunk `id` (a binary search).
    pub fn file_of(&self, id: u32) -> Option<u32> {
        if id >= self.len() {
            return None;
        }
        let kind = self.kind(id);
        self.files.of(kind, id - self.start(kind))
    }

    /// The name of file `f` (relative to the bundle folder): `t` for a dictionary
    /// file, `d` for documents, its number and the bundle hash, so that a file of
    /// another deploy always has another name.
    pub fn file_name(&self, f: u32) -> Option<String> {
        let kind = match f < self.files.dict.len() as u32 {
            true => ChunkKind::Terms,
            false if f < self.files() => ChunkKind::Docs,
            false => return None,
        };
        let (start, end) = self.file_name_parts(kind);
        Some(format!("{start}{f}{end}"))
    }

    /// What the name of a file holding chunks of `kind` is made of, around its number:
    /// `scour.js` names the dictionary files it fetches before the engine arrives this
    /// way.
    pub fn file_name_parts(&self, kind: ChunkKind) -> (String, String) {
        // dictionary files hold the terms, postings and stems chunks: named for terms
        let named = match kind {
            ChunkKind::Docs => ChunkKind::Docs,
            _ => ChunkKind::Terms,
        };
        (
            format!("chunks/{}", named.letter()),
            format!("-{}.bin", hex(self.hash)),
        )
    }

    /// The files holding chunks of `kind`: the first's number, and the first chunk of
    /// `kind` in each, counted within the kind (the dictionary files hold the terms,
    /// postings and stems chunks).
    pub fn files_of(&self, kind: ChunkKind) -> (u32, Vec<u32>) {
        let dict = &self.files.dict;
        match kind {
            ChunkKind::Terms | ChunkKind::Postings => (0, dict.iter().map(|f| f.0).collect()),
            ChunkKind::Stems => (0, dict.iter().map(|f| f.1).collect()),
            ChunkKind::Docs => (dict.len() as u32, self.files.docs.clone()),
        }
    }

    /// The name of the pack (relative to the bundle folder), with the bundle hash.
    pub fn pack_name(&self) -> String {
        format!("chunks/pack-{}.bin", hex(self.hash))
    }

    /// Where each chunk starts in the pack, and where the pack ends: `len() + 1`
    /// offsets. `None` when the lengths overflow (a corrupt table).
    pub fn pack_offsets(&self) -> Option<Vec<u32>> {
        let mut at = 0u32;
        let mut out = Vec::with_capacity(self.entries.len() + 1);
        out.push(0);
        for e in &self.entries {
            at = at.checked_add(e.packed)?;
            out.push(at);
        }
        Some(out)
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
        let of_kind = self
            .entries
            .get(start as usize..(start + self.count(kind)) as usize)?;
        let after = of_kind.partition_point(|e| e.first <= ord) as u32;
        (after > 0).then(|| start + after - 1)
    }

    /// The name of chunk `id` in messages: its kind and number, and the pack's hash.
    pub fn name(&self, id: u32) -> Option<String> {
        (id < self.len()).then(|| chunk_name(self.kind(id), id, self.hash))
    }

    /// Checks that `bytes` are chunk `id` of this table (the check [`seal`] ended it
    /// with, which bytes cut short or longer fail as surely as altered ones) and
    /// returns them without the check.
    pub fn check<'b>(&self, id: u32, bytes: &'b [u8]) -> Result<&'b [u8], FormatError> {
        if id >= self.len() {
            return Err(FormatError::Corrupt(format!("there is no chunk {id}")));
        }
        let name = chunk_name(self.kind(id), id, self.hash);
        let fail = || {
            FormatError::Corrupt(format!(
                "chunk {name} fails its checksum: a stale cache or a partial upload, or \
                 bytes altered in transfer or on disk"
            ))
        };
        let split = bytes.len().checked_sub(CHECK_LEN).ok_or_else(fail)?;
        let (chunk, check) = bytes.split_at(split);
        if check_of(id, chunk).to_le_bytes() != check {
            return Err(fail());
        }
        Ok(chunk)
    }

    /// The chunks fallback file `f` holds, as (id, bytes) in the order of its bytes
    /// (which [`frame`] wrote): bytes shorter or longer than its chunks are an error
    /// naming the file. Each chunk's bytes are still to [`ChunkTable::check`].
    pub fn file_parts<'b>(
        &self,
        f: u32,
        bytes: &'b [u8],
    ) -> Result<Vec<(u32, &'b [u8])>, FormatError> {
        let ids = self
            .file_chunks(f)
            .ok_or_else(|| FormatError::Corrupt(format!("there is no chunk file {f}")))?;
        let short = || {
            FormatError::Corrupt(format!(
                "chunk file {f} is shorter than its chunks: a stale cache or a partial upload"
            ))
        };
        let mut r = crate::varint::Reader::new(bytes);
        let mut parts = Vec::with_capacity(ids.len());
        for id in ids {
            let len = r.u32().ok_or_else(short)? as usize;
            parts.push((id, r.bytes(len).ok_or_else(short)?));
        }
        if !r.is_empty() {
            return Err(FormatError::Corrupt(format!(
                "chunk file {f} holds more than its chunks"
            )));
        }
        Ok(parts)
    }
}

/// Appends a chunk's bytes to a fallback file as the file holds them, after their
/// length ([`ChunkTable::file_parts`] reads them): a file then says where its chunks
/// end, and the table in the core need not.
pub fn frame(file: &mut Vec<u8>, chunk: &[u8]) {
    file.extend_from_slice(&frame_head(chunk));
    file.extend_from_slice(chunk);
}

/// What goes before a chunk's bytes in a fallback file ([`frame`]), for a writer that
/// streams the bytes.
pub fn frame_head(chunk: &[u8]) -> Vec<u8> {
    let mut head = Vec::with_capacity(5);
    crate::varint::write(&mut head, chunk.len() as u32);
    head
}

/// The name of a chunk in messages (`p3-0a1b2c3d`: its kind, id and bundle hash):
/// chunks are not files of their own.
pub fn chunk_name(kind: ChunkKind, id: u32, hash: u32) -> String {
    format!("{}{id}-{}", kind.letter(), hex(hash))
}

/// Eight lowercase hex digits, by hand: the engine carries no integer formatting
/// beyond decimal.
fn hex(v: u32) -> String {
    (0..8)
        .rev()
        .map(|shift| char::from_digit((v >> (shift * 4)) & 0xf, 16).unwrap_or('0'))
        .collect()
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
    /// Files at most in the fallback layout, every kind together (at least one per
    /// kind).
    pub max_files: usize,
    /// The smallest chunk worth its own table entry, in bytes; a single large term or
    /// document makes a larger chunk.
    pub target: usize,
    /// Chunks at most: each costs the core a table entry (a few bytes), which
    /// every first visit downloads.
    pub max_chunks: usize,
}

impl Plan {
    /// The default plan for `docs` documents: at most one file per 50 documents and
    /// never more than 5,000 (static hosts limit files per site; Cloudflare Pages allows
    /// 20,000), chunks of at least 2 KB and at most 4,096 of them (about 18 KB of
    /// table, brotli).
    pub fn for_docs(docs: usize) -> Plan {
        Plan {
            max_files: (docs / 50).clamp(KINDS, 5000),
            target: 2 << 10,
            max_chunks: 4096,
        }
    }
}

/// A file of a bundle: its name relative to the bundle folder, and its bytes.
pub type NamedFile = (String, Vec<u8>);

/// An index cut into a core and chunks.
#[derive(Clone, Debug)]
pub struct Split {
    /// The core container: meta, facets, the chunk table and the chunk keys.
    pub core: Vec<u8>,
    /// The chunks as (name in messages, bytes), in id order.
    pub chunks: Vec<(String, Vec<u8>)>,
    /// Each chunk deflated (raw DEFLATE), as in the pack.
    pub packed: Vec<Vec<u8>>,
    /// How many chunks of each kind, in [`ChunkKind::ALL`] order.
    pub counts: [usize; KINDS],
}

impl Split {
    /// The ids of the chunks of one kind.
    fn ids(&self, kind: ChunkKind) -> std::ops::Range<usize> {
        let start: usize = self.counts[..kind.index()].iter().sum();
        start..start + self.counts[kind.index()]
    }

    /// The chunks of one kind.
    pub fn of_kind(&self, kind: ChunkKind) -> &[(String, Vec<u8>)] {
        &self.chunks[self.ids(kind)]
    }

    /// The chunks of one kind, deflated.
    pub fn packed_of_kind(&self, kind: ChunkKind) -> &[Vec<u8>] {
        &self.packed[self.ids(kind)]
    }

    /// The files a bundle carries: the fallback files, then the pack, as (name,
    /// bytes) relative to the bundle folder.
    pub fn files(&self) -> Result<Vec<NamedFile>, FormatError> {
        self.clone().into_files().map(|(_, files)| files)
    }

    /// The core and the files a bundle carries ([`Split::files`]), each chunk's bytes
    /// freed once copied into its file: a large site's chunks are not held twice.
    pub fn into_files(self) -> Result<(Vec<u8>, Vec<NamedFile>), FormatError> {
        let (names, of_file, pack_name) = {
            let c = Container::open(&self.core[..])?;
            let table = ChunkTable::read(c.required(SectionKind::Chunks)?)?;
            let names: Vec<String> = (0..table.files())
                .map(|f| table.file_name(f).unwrap_or_default())
                .collect();
            let of_file: Vec<u32> = (0..table.len())
                .map(|id| table.file_of(id).unwrap_or(0))
                .collect();
            (names, of_file, table.pack_name())
        };
        let Split {
            core,
            chunks,
            packed,
            ..
        } = self;
        let mut files: Vec<Vec<u8>> = vec![Vec::new(); names.len()];
        // in id order, as a file's bytes hold its chunks
        for ((_, bytes), f) in chunks.into_iter().zip(of_file) {
            if let Some(file) = files.get_mut(f as usize) {
                frame(file, &bytes);
            }
        }
        let mut out: Vec<NamedFile> = names.into_iter().zip(files).collect();
        if !packed.is_empty() {
            let mut pack = Vec::with_capacity(packed.iter().map(Vec::len).sum());
            for p in packed {
                pack.extend_from_slice(&p);
            }
            out.push((pack_name, pack));
        }
        Ok((core, out))
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

/// Cuts a whole index into a core and chunks, every chunk kept in memory: what
/// [`split_into`] hands on, collected (for tests, and the sizes of a small site).
pub fn split(index: &[u8], plan: Plan) -> Result<Split, FormatError> {
    let c = Container::open(index)?;
    c.verify()?;
    let mut kept = Kept::default();
    let core = split_sections(c, plan, &mut kept).map_err(|err| match err {
        StreamError::Format(err) => err,
        // unreachable: a container's sections are read in place, and `Kept` keeps
        StreamError::Io(_) => FormatError::Corrupt("an index in memory failed to read".into()),
    })?;
    let table = ChunkTable::read(Container::open(&core[..])?.required(SectionKind::Chunks)?)?;
    for (id, chunk) in kept.chunks.iter_mut().enumerate() {
        chunk.0 = table.name(id as u32).unwrap_or_default();
    }
    Ok(Split {
        core,
        chunks: kept.chunks,
        packed: kept.packed,
        counts: kept.counts,
    })
}

/// A chunk [`split_into`] cut, as its [`ChunkSink`] receives it.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// Its id: its position in the chunk table.
    pub id: u32,
    /// What it holds.
    pub kind: ChunkKind,
    /// The fallback file it is appended to.
    pub file: u32,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its bytes deflated, as in the pack.
    pub packed: Vec<u8>,
}

/// Where [`split_into`] puts the chunks it cuts.
pub trait ChunkSink {
    /// Called once, before any chunk, with the number of fallback files.
    fn start(&mut self, files: u32) -> std::io::Result<()>;

    /// The next chunk, in id order: its bytes go at the end of fallback file
    /// `chunk.file`, its deflated bytes at the end of the pack. A dictionary file gets
    /// its postings chunks, then its terms chunks, then its stems chunks, with other
    /// files' chunks between.
    fn chunk(&mut self, chunk: Chunk) -> std::io::Result<()>;
}

/// The sink of [`split`]: every chunk, kept.
#[derive(Default)]
struct Kept {
    chunks: Vec<(String, Vec<u8>)>,
    packed: Vec<Vec<u8>>,
    counts: [usize; KINDS],
}

impl ChunkSink for Kept {
    fn start(&mut self, _files: u32) -> std::io::Result<()> {
        Ok(())
    }

    fn chunk(&mut self, c: Chunk) -> std::io::Result<()> {
        // named once the table (and so the bundle hash) is complete
        self.chunks.push((String::new(), c.bytes));
        self.packed.push(c.packed);
        self.counts[c.kind.index()] += 1;
        Ok(())
    }
}

/// Cuts a whole index, read from `index` a part at a time, into a core (returned) and
/// chunks, handed to `sink` in id order (the writer of the lazy layout; the engine
/// reads it through [`ChunkTable`], [`first_key`], [`dict_parts`] and
/// [`doc_data::chunk_record`]).
///
/// It holds the dictionaries, the term info, the doc table and a few
/// numbers per term and document, and a batch of chunks at a time while they are
/// deflated: never the postings or the stored documents whole, nor every chunk.
pub fn split_into<R: Read + Seek>(
    index: R,
    plan: Plan,
    sink: &mut dyn ChunkSink,
) -> Result<Vec<u8>, StreamError> {
    let src = IndexReader::open(index)?;
    src.verify()?;
    split_sections(src, plan, sink)
}

/// The sections of an index being cut, read whole or a range at a time: in place
/// from a [`Container`], or from an [`IndexReader`].
trait Sections {
    /// A section's bytes, if the index has it.
    fn whole(&self, kind: SectionKind) -> Result<Option<Cow<'_, [u8]>>, StreamError>;

    /// A copy of a section's bytes, if the index has it.
    fn owned(&self, kind: SectionKind) -> Result<Option<Vec<u8>>, StreamError>;

    /// Bytes `range` of a section that must be present.
    fn part(&self, kind: SectionKind, range: Range<usize>) -> Result<Vec<u8>, StreamError> {
        let mut out = Vec::with_capacity(range.len());
        self.append(kind, range, &mut out)?;
        Ok(out)
    }

    /// [`Sections::part`], appended to `out`.
    fn append(
        &self,
        kind: SectionKind,
        range: Range<usize>,
        out: &mut Vec<u8>,
    ) -> Result<(), StreamError>;

    /// A section's length, if the index has it.
    fn len_of(&self, kind: SectionKind) -> Option<usize>;

    /// The sections, in file order.
    fn kinds(&self) -> Vec<SectionKind>;

    /// A section that must be present.
    fn required(&self, kind: SectionKind) -> Result<Cow<'_, [u8]>, StreamError> {
        self.whole(kind)?.ok_or_else(|| missing(kind))
    }

    /// The length of a section that must be present.
    fn required_len(&self, kind: SectionKind) -> Result<usize, StreamError> {
        self.len_of(kind).ok_or_else(|| missing(kind))
    }
}

fn missing(kind: SectionKind) -> StreamError {
    FormatError::Corrupt(format!("section {} is missing", kind.name())).into()
}

impl Sections for Container<&[u8]> {
    fn whole(&self, kind: SectionKind) -> Result<Option<Cow<'_, [u8]>>, StreamError> {
        Ok(self.section(kind).map(Cow::Borrowed))
    }

    fn owned(&self, kind: SectionKind) -> Result<Option<Vec<u8>>, StreamError> {
        Ok(Some(self.section(kind).unwrap_or(&[]).to_vec()))
    }

    fn append(
        &self,
        kind: SectionKind,
        range: Range<usize>,
        out: &mut Vec<u8>,
    ) -> Result<(), StreamError> {
        let bytes = self.section(kind).ok_or_else(|| missing(kind))?;
        out.extend_from_slice(bytes.get(range).ok_or_else(|| corrupt(kind.name()))?);
        Ok(())
    }

    fn len_of(&self, kind: SectionKind) -> Option<usize> {
        self.section(kind).map(<[u8]>::len)
    }

    fn kinds(&self) -> Vec<SectionKind> {
        self.section_sizes().into_iter().map(|(k, _)| k).collect()
    }
}

impl<R: Read + Seek> Sections for IndexReader<R> {
    fn whole(&self, kind: SectionKind) -> Result<Option<Cow<'_, [u8]>>, StreamError> {
        Ok(self.section(kind)?.map(Cow::Owned))
    }

    fn owned(&self, kind: SectionKind) -> Result<Option<Vec<u8>>, StreamError> {
        self.section(kind)
    }

    fn append(
        &self,
        kind: SectionKind,
        range: Range<usize>,
        out: &mut Vec<u8>,
    ) -> Result<(), StreamError> {
        self.read_into(kind, range, out)
    }

    fn len_of(&self, kind: SectionKind) -> Option<usize> {
        self.section_len(kind)
    }

    fn kinds(&self) -> Vec<SectionKind> {
        self.section_sizes().into_iter().map(|(k, _)| k).collect()
    }
}

/// [`split_into`] of an index whose header, section table and checksum are checked.
fn split_sections(
    src: impl Sections,
    plan: Plan,
    sink: &mut dyn ChunkSink,
) -> Result<Vec<u8>, StreamError> {
    let input = Input::read(&src)?;
    let ranges = input.ranges();
    let cut = fine_cuts(&ranges, plan);
    let files = file_cuts(&input, &ranges, &cut, plan);
    sink.start(files.len())?;
    let (entries, hash) = cut_chunks(&src, &input, &cut, &files, sink)?;
    core(&src, &input, &cut, &entries, &files, hash)
}

/// What cutting holds of an index: the dictionaries, the term info, where each term's
/// postings, each stem group's terms and each document's record are.
/// The postings and the stored documents stay in the reader.
struct Input<'s> {
    /// Terms in ordinal order.
    terms: Vec<Vec<u8>>,
    /// The term info of each term.
    infos: Vec<term_info::Entry>,
    /// Each term's postings, in the postings section.
    term_ranges: Vec<(usize, usize)>,
    /// What each term takes in a terms chunk, roughly: its key and its entry.
    term_sizes: Vec<(usize, usize)>,
    /// Stems in group order (one stem per group, groups numbered in stem order).
    stems: Vec<Vec<u8>>,
    /// The stem-groups section.
    stem_groups: Cow<'s, [u8]>,
    /// Each group's term list, in the stem-groups section.
    group_ranges: Vec<(usize, usize)>,
    /// What each group takes in a stems chunk: its stem and its term list.
    group_sizes: Vec<(usize, usize)>,
    /// Each document's record, in the doc-data section.
    doc_ranges: Vec<(usize, usize)>,
}

impl<'s> Input<'s> {
    /// Reads and checks what cutting needs of `src`.
    fn read(src: &'s impl Sections) -> Result<Input<'s>, StreamError> {
        let meta = Meta::from_bytes(&src.required(SectionKind::Meta)?)?;
        let info = src.required(SectionKind::TermInfo)?;
        src.required_len(SectionKind::Postings)?;
        let doc_table = src.required(SectionKind::DocTable)?;
        let doc_data_len = src.required_len(SectionKind::DocData)?;
        let stem_groups = src.whole(SectionKind::StemGroups)?.unwrap_or_default();

        // Terms in ordinal order with their term info, and each term's postings range.
        let terms = fst_keys(&src.required(SectionKind::Terms)?, "terms")?;
        if terms.len() != meta.term_count as usize {
            return Err(corrupt(
                "term dictionary and meta disagree on the term count",
            ));
        }
        let mut infos = Vec::with_capacity(terms.len());
        for ord in 0..meta.term_count {
            infos.push(term_info::read(&info, ord).ok_or_else(|| corrupt("term-info"))?);
        }
        let term_ranges = infos.iter().map(|e| (e.start, e.end)).collect();
        let term_sizes = spans(terms.iter().map(|k| k.len() + 4));

        let stems = match src.whole(SectionKind::Stems)? {
            Some(bytes) => fst_keys(&bytes, "stems")?,
            None => Vec::new(),
        };
        if stems.len() != meta.stem_group_count as usize {
            return Err(corrupt(
                "stem dictionary and meta disagree on the group count",
            ));
        }
        let group_ranges = group_ranges(&stem_groups, stems.len())?;
        let group_sizes = spans(
            stems
                .iter()
                .zip(&group_ranges)
                .map(|(k, r)| k.len() + r.1 - r.0),
        );

        let docs = meta.doc_count as usize;
        let doc_ranges = doc_ranges(&doc_table, docs, doc_data_len)?;
        Ok(Input {
            terms,
            infos,
            term_ranges,
            term_sizes,
            stems,
            stem_groups,
            group_ranges,
            group_sizes,
            doc_ranges,
        })
    }

    /// The byte span of each item of each kind, in [`ChunkKind::ALL`] order: what the
    /// cuts are made by.
    fn ranges(&self) -> [&Vec<(usize, usize)>; KINDS] {
        [
            &self.term_ranges,
            &self.doc_ranges,
            &self.term_sizes,
            &self.group_sizes,
        ]
    }

    /// The bytes of the chunk of `kind` holding items `first..last`, and its base.
    fn chunk(
        &self,
        src: &impl Sections,
        kind: ChunkKind,
        first: usize,
        last: usize,
    ) -> Result<(Vec<u8>, usize), StreamError> {
        Ok(match kind {
            ChunkKind::Postings => {
                let (start, end) = (self.term_ranges[first].0, self.term_ranges[last - 1].1);
                (src.part(SectionKind::Postings, start..end)?, start)
            }
            ChunkKind::Docs => (docs_chunk(src, &self.doc_ranges[first..last])?, 0),
            ChunkKind::Terms => (self.terms_chunk(first, last)?, self.term_ranges[first].0),
            ChunkKind::Stems => (self.stems_chunk(first, last)?, 0),
        })
    }

    /// A terms chunk: the fst of the terms `first..last` to their rank in it, then
    /// their term info.
    fn terms_chunk(&self, first: usize, last: usize) -> Result<Vec<u8>, FormatError> {
        let ranks = (first..last).map(|o| (&self.terms[o][..], (o - first) as u64));
        let table: Vec<(u32, u32, Option<u32>)> = self.infos[first..last]
            .iter()
            .map(|e| ((e.end - e.start) as u32, e.df, e.group))
            .collect();
        dict_chunk(ranks, &term_info::write(&table))
    }

    /// A stems chunk: the fst of the stems of groups `first..last` to their group, then
    /// those groups.
    fn stems_chunk(&self, first: usize, last: usize) -> Result<Vec<u8>, FormatError> {
        let groups = (first..last).map(|g| (&self.stems[g][..], g as u64));
        let (lo, hi) = (self.group_ranges[first].0, self.group_ranges[last - 1].1);
        let mut table = Vec::new();
        for &(s, _) in &self.group_ranges[first..last] {
            table.extend_from_slice(&((s - lo) as u32).to_le_bytes());
        }
        table.extend_from_slice(&((hi - lo) as u32).to_le_bytes());
        table.extend_from_slice(&self.stem_groups[lo..hi]);
        dict_chunk(groups, &table)
    }
}

fn corrupt(what: &str) -> StreamError {
    FormatError::Corrupt(what.to_string()).into()
}

/// Where each of `groups` groups' term list is in the stem-groups section.
fn group_ranges(stem_groups: &[u8], groups: usize) -> Result<Vec<(usize, usize)>, StreamError> {
    let data = (groups + 1) * 4;
    let mut ranges = Vec::with_capacity(groups);
    for g in 0..groups {
        let (Some(s), Some(e)) = (table_u32(stem_groups, g), table_u32(stem_groups, g + 1)) else {
            return Err(corrupt("stem-groups"));
        };
        let (s, e) = (data + s as usize, data + e as usize);
        if s > e || e > stem_groups.len() {
            return Err(corrupt("stem-groups"));
        }
        ranges.push((s, e));
    }
    Ok(ranges)
}

/// Where each of `docs` documents' record is in a doc-data section of `data_len` bytes.
fn doc_ranges(
    doc_table: &[u8],
    docs: usize,
    data_len: usize,
) -> Result<Vec<(usize, usize)>, StreamError> {
    if doc_table.len() != docs * DOC_TABLE_LEN {
        return Err(corrupt("section doc-table has the wrong size"));
    }
    let mut ranges = Vec::with_capacity(docs);
    for d in 0..docs {
        let r = doc_data::record_range(doc_table, data_len, d as u32)
            .ok_or_else(|| corrupt("doc-table"))?;
        ranges.push((r.start, r.end));
    }
    Ok(ranges)
}

/// A document chunk of the documents whose records are at `records` (checked to be in
/// the doc-data section): their count, each one's offset, then the records.
fn docs_chunk(src: &impl Sections, records: &[(usize, usize)]) -> Result<Vec<u8>, StreamError> {
    let (base, end) = (records[0].0, records[records.len() - 1].1);
    let mut bytes = doc_data::chunk_head(records, end - base);
    src.append(SectionKind::DocData, base..end, &mut bytes)?;
    Ok(bytes)
}

/// Chunk bytes gathered before they are deflated together: enough for every core to
/// have several chunks, few enough that a batch is a small part of a large site.
const BATCH_BYTES: usize = 16 << 20;

/// Builds the chunks `cut` makes, in id order, and hands them to `sink` deflated in
/// batches; returns their table entries, kind by kind, and the bundle hash.
fn cut_chunks(
    src: &impl Sections,
    input: &Input<'_>,
    cut: &[Vec<usize>; KINDS],
    files: &Files,
    sink: &mut dyn ChunkSink,
) -> Result<([Vec<Entry>; KINDS], u32), StreamError> {
    let mut batch = Batch {
        sink,
        files,
        next_id: 0,
        chunks: Vec::new(),
        bytes: 0,
        entries: Default::default(),
        hash: !0,
    };
    let ranges = input.ranges();
    for kind in ChunkKind::ALL {
        let i = kind.index();
        let n = ranges[i].len();
        for (j, &first) in cut[i].iter().enumerate() {
            let last = cut[i].get(j + 1).map_or(n, |&x| x);
            let (mut bytes, base) = input.chunk(src, kind, first, last)?;
            seal(batch.next_id + batch.chunks.len() as u32, &mut bytes);
            let entry = Entry {
                first: first as u32,
                base: base as u32,
                packed: 0,
            };
            batch.push(kind, entry, bytes)?;
        }
    }
    batch.flush()?;
    Ok((batch.entries, !batch.hash))
}

/// Chunks built and not yet handed on, in id order, and the entries of those handed on.
struct Batch<'s> {
    sink: &'s mut dyn ChunkSink,
    files: &'s Files,
    /// The id of the first chunk waiting.
    next_id: u32,
    chunks: Vec<(ChunkKind, Entry, Vec<u8>)>,
    /// Bytes of the chunks waiting.
    bytes: usize,
    entries: [Vec<Entry>; KINDS],
    /// The bundle hash so far: a CRC-32 (not yet inverted) of the checks and deflated
    /// lengths of the chunks handed on.
    hash: u32,
}

impl Batch<'_> {
    /// Adds a chunk; hands the batch on once it holds [`BATCH_BYTES`].
    fn push(&mut self, kind: ChunkKind, entry: Entry, bytes: Vec<u8>) -> std::io::Result<()> {
        self.bytes += bytes.len();
        self.chunks.push((kind, entry, bytes));
        match self.bytes >= BATCH_BYTES {
            true => self.flush(),
            false => Ok(()),
        }
    }

    /// Deflates the chunks waiting and hands them to the sink.
    fn flush(&mut self) -> std::io::Result<()> {
        let packed = deflate_all(&self.chunks);
        for ((kind, mut entry, bytes), packed) in self.chunks.drain(..).zip(packed) {
            entry.packed = packed.len() as u32;
            // each chunk ends with its check (`seal`)
            let check = &bytes[bytes.len().saturating_sub(CHECK_LEN)..];
            self.hash = crate::crc::crc32_update(self.hash, check);
            self.hash = crate::crc::crc32_update(self.hash, &entry.packed.to_le_bytes());
            let id = self.next_id;
            let i = self.entries[kind.index()].len() as u32;
            self.sink.chunk(Chunk {
                id,
                kind,
                file: self.files.of(kind, i).unwrap_or(0),
                bytes,
                packed,
            })?;
            self.entries[kind.index()].push(entry);
            self.next_id += 1;
        }
        self.bytes = 0;
        Ok(())
    }
}

/// The core: the sections no chunk holds, then the chunk table and the first key of
/// each dictionary chunk.
fn core(
    src: &impl Sections,
    input: &Input<'_>,
    cut: &[Vec<usize>; KINDS],
    entries: &[Vec<Entry>; KINDS],
    files: &Files,
    hash: u32,
) -> Result<Vec<u8>, StreamError> {
    let mut w = ContainerWriter::new();
    for kind in src.kinds() {
        if !CHUNKED.contains(&kind) {
            w.section(kind, src.owned(kind)?.unwrap_or_default());
        }
    }
    w.section(
        SectionKind::Chunks,
        ChunkTable::write(entries.each_ref().map(Vec::as_slice), files, hash),
    );
    w.section(SectionKind::ChunkKeys, chunk_keys(input, cut));
    Ok(w.finish())
}

/// The chunk-keys section: the first key of each terms chunk and each stems chunk.
fn chunk_keys(input: &Input<'_>, cut: &[Vec<usize>; KINDS]) -> Vec<u8> {
    let terms = cut[ChunkKind::Terms.index()]
        .iter()
        .map(|&t| &input.terms[t]);
    let stems = cut[ChunkKind::Stems.index()]
        .iter()
        .map(|&g| &input.stems[g]);
    let keys: Vec<&Vec<u8>> = terms.chain(stems).collect();
    let mut section = Vec::new();
    let mut at = 0u32;
    for k in keys.iter().map(|k| k.len() as u32).chain([0]) {
        section.extend_from_slice(&at.to_le_bytes());
        at += k;
    }
    for k in &keys {
        section.extend_from_slice(k);
    }
    section
}

/// How many chunks of each kind a query reads: about one of each dictionary kind, one
/// or two of postings, and a document chunk per hit shown (up to 10, the first page).
const READS: [f64; KINDS] = [2.0, 10.0, 1.0, 1.0];

/// What a kind's bytes compress to, about (gzip or brotli, as a host sends the files):
/// the Rust books' stored documents to 0.28 of their bytes, the dictionary with its
/// postings to 0.64, the stems to 0.63.
const COMPRESSES_TO: [f64; KINDS] = [0.65, 0.3, 0.65, 0.65];

/// What a chunk costs a first visit beyond its bytes, in chunk bytes, kind by kind: a
/// table entry compressed to about 4.5 bytes (2.3 since format 9 left the lengths
/// out), and document chunks deflate to about a third; a dictionary chunk also has its
/// first key in the core and in `scour.js`'s `PREFETCH`, with its deflated length (and
/// its postings chunk's). Costs of half these for the dictionary kinds (whose chunks
/// deflate only to two thirds) gave first queries within 3 KB of these on the books
/// and WordNet, in the noise of where a query's words fall; so did [7, 7, 36, 36] and
/// [7, 7, 20, 20] after format 9 (books and wordnet20k: within 2 KB, more chunks).
const ENTRY_COST: [f64; KINDS] = [14.0, 14.0, 40.0, 40.0];

/// The first item of each chunk of each kind. A kind of `T` bytes read `k` chunks at a
/// time costs a first query `n · e + k · T / n` for `n` chunks of table entries
/// costing `e`: least at chunks of `√(e · T / k)` bytes. Chunks are never below the
/// plan's target, and all grow together until there are at most `max_chunks`.
fn fine_cuts(ranges: &[&Vec<(usize, usize)>; KINDS], plan: Plan) -> [Vec<usize>; KINDS] {
    let bytes = ranges.map(|r| r.last().map_or(0, |l| l.1) as f64);
    // Terms and postings are cut alike, by their sizes together: a word's dictionary
    // chunk and its postings chunk are fetched in the same round (read once each).
    let (t, p) = (ChunkKind::Terms.index(), ChunkKind::Postings.index());
    let both: Vec<(usize, usize)> = spans(
        ranges[t]
            .iter()
            .zip(ranges[p].iter())
            .map(|(a, b)| (a.1 - a.0) + (b.1 - b.0)),
    );
    let mut scale = 1.0f64;
    loop {
        let mut cut: [Vec<usize>; KINDS] = std::array::from_fn(|i| {
            let best = (ENTRY_COST[i] * bytes[i] / READS[i]).sqrt() * scale;
            cuts(ranges[i], (best as usize).max(plan.target))
        });
        let best = ((ENTRY_COST[t] + ENTRY_COST[p]) * (bytes[t] + bytes[p])).sqrt() * scale;
        cut[t] = cuts(&both, (best as usize).max(plan.target));
        cut[p] = cut[t].clone();
        let n: usize = cut.iter().map(Vec::len).sum();
        if n <= plan.max_chunks.max(KINDS) || scale > 1e6 {
            return cut;
        }
        scale *= 1.25;
    }
}

/// The fallback files ([`Files`]). The file budget is shared between the dictionary
/// and the documents so that a query's expected bytes are least: it reads k files of
/// a group of B bytes (as sent, compressed) cut in f files, and Σ k·B/f is least at
/// f ∝ √(k·B). The dictionary takes its share first (on a small site it needs fewer
/// files at a 24 KB target) and the documents the rest.
///
/// A word's dictionary chunk, its postings and its stem's group are read together,
/// so a dictionary file holds all three: one request, and for the same bytes a query
/// reads (T + P + S)/f rather than T/f₁ + P/f₂ + S/f₃ ≥ (√T + √P + √S)²/f. The terms
/// chunks and the stems chunks are merged by first key (a stem sorts just before the
/// words it stems) and cut into files in that order.
fn file_cuts(
    input: &Input<'_>,
    ranges: &[&Vec<(usize, usize)>; KINDS],
    cut: &[Vec<usize>; KINDS],
    plan: Plan,
) -> Files {
    // the bytes of each chunk, kind by kind
    let sizes: [Vec<usize>; KINDS] = std::array::from_fn(|i| {
        let n = ranges[i].len();
        let ends = cut[i].iter().skip(1).copied().chain([n]);
        cut[i]
            .iter()
            .zip(ends)
            .map(|(&a, b)| ranges[i][b - 1].1 - ranges[i][a].0)
            .collect()
    });
    let [p, d, t, s] = ChunkKind::ALL.map(ChunkKind::index);
    // the dictionary's chunks in key order: (key, is a stems chunk, bytes)
    let mut dict: Vec<(&[u8], bool, usize)> = Vec::new();
    for (j, &first) in cut[t].iter().enumerate() {
        dict.push((&input.terms[first], false, sizes[t][j] + sizes[p][j]));
    }
    for (j, &first) in cut[s].iter().enumerate() {
        dict.push((&input.stems[first], true, sizes[s][j]));
    }
    // a stem sorts just before the words it stems; on a tie the stems chunk first
    dict.sort_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
    let groups = [
        spans(dict.iter().map(|c| c.2)),
        spans(sizes[d].iter().copied()),
    ];
    let weight = |g: usize, k: ChunkKind| {
        let sent = COMPRESSES_TO[k.index()] * groups[g].last().map_or(0, |l| l.1) as f64;
        (READS[k.index()].min(4.0) * sent).sqrt()
    };
    let (wd, wt) = (weight(1, ChunkKind::Docs), weight(0, ChunkKind::Terms));
    let budget = plan.max_files.max(2);
    let share = (budget as f64 * wt / (wt + wd).max(1.0)).round() as usize;
    let dict_files = fit(&groups[0], 24 << 10, share.clamp(1, budget - 1));
    let doc_files = fit(
        &groups[1],
        24 << 10,
        budget - dict_files.len().min(budget - 1),
    );
    // each dictionary file starts at the terms and stems chunks before its first
    let mut firsts = Vec::with_capacity(dict_files.len());
    let (mut terms, mut stems, mut at) = (0u32, 0u32, 0usize);
    for &first in &dict_files {
        for c in &dict[at..first] {
            match c.1 {
                true => stems += 1,
                false => terms += 1,
            }
        }
        at = first;
        firsts.push((terms, stems));
    }
    Files {
        dict: firsts,
        docs: doc_files.into_iter().map(|c| c as u32).collect(),
    }
}

/// `bytes` as raw DEFLATE, what browsers inflate natively
/// (`DecompressionStream("deflate-raw")`). Level 6: level 9 makes the Rust books' pack
/// 0.3% smaller and a 144 MB site's build 5 s slower.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 6)
}

/// Every chunk deflated, in order: on the cores there are (a large site's chunks take
/// most of a build's time to deflate on one), each taking the next chunk not taken, or
/// one after another where threads are not (WebAssembly).
fn deflate_all(chunks: &[(ChunkKind, Entry, Vec<u8>)]) -> Vec<Vec<u8>> {
    #[cfg(not(target_family = "wasm"))]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if threads > 1 && chunks.len() > 1 {
            let next = AtomicUsize::new(0);
            let take = || {
                let mut out = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(c) = chunks.get(i) else { break out };
                    out.push((i, deflate(&c.2)));
                }
            };
            let parts = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads.min(chunks.len()))
                    .map(|_| s.spawn(take))
                    .collect();
                let parts = handles.into_iter().map(|h| h.join().ok());
                parts.collect::<Option<Vec<_>>>()
            });
            if let Some(parts) = parts {
                let mut all = vec![Vec::new(); chunks.len()];
                for (i, p) in parts.into_iter().flatten() {
                    all[i] = p;
                }
                return all;
            }
        }
    }
    chunks.iter().map(|c| deflate(&c.2)).collect()
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

    fn entry(first: u32, base: u32, packed: u32) -> Entry {
        Entry {
            first,
            base,
            packed,
        }
    }

    #[test]
    fn find_picks_the_chunk_holding_an_ordinal() {
        let e = |first| entry(first, 0, 0);
        // files: terms (and postings) 0-1 with no stems chunk, terms 2 with stems
        // chunk 0; document chunks 0 and 1 apart
        let files = Files {
            dict: vec![(0, 0), (2, 0)],
            docs: vec![0, 1],
        };
        let bytes = ChunkTable::write(
            [
                &[e(0), e(10), e(20)],
                &[e(0), e(5)],
                &[e(0), e(10), e(20)],
                &[e(0)],
            ],
            &files,
            0xabc,
        );
        let t = ChunkTable::read(&bytes).unwrap();
        t.check_files().unwrap();
        assert_eq!(t.find(ChunkKind::Postings, 0), Some(0));
        assert_eq!(t.find(ChunkKind::Postings, 9), Some(0));
        assert_eq!(t.find(ChunkKind::Postings, 10), Some(1));
        assert_eq!(t.find(ChunkKind::Postings, 999), Some(2));
        assert_eq!(t.find(ChunkKind::Docs, 4), Some(3));
        assert_eq!(t.find(ChunkKind::Docs, 5), Some(4));
        assert_eq!(t.find(ChunkKind::Terms, 3), Some(5));
        assert_eq!(t.find(ChunkKind::Stems, 3), Some(8));
        assert_eq!((t.kind(4), t.kind(5)), (ChunkKind::Docs, ChunkKind::Terms));
        assert_eq!(t.next_first(3, 99), 5);
        assert_eq!(t.next_first(4, 99), 99);
        assert!(ChunkTable::read(&bytes[..bytes.len() - 1]).is_err());
        assert_eq!(t.files(), 4);
        assert_eq!(
            (0..t.len()).map(|id| t.file_of(id)).collect::<Vec<_>>(),
            [0, 0, 1, 2, 3, 0, 0, 1, 1].map(Some)
        );
        assert_eq!(t.file_of(9), None);
        // a dictionary file holds its postings, terms and stems chunks, in id order
        assert_eq!(t.file_chunks(0), Some(vec![0, 1, 5, 6]));
        assert_eq!(t.file_chunks(1), Some(vec![2, 7, 8]));
        assert_eq!(t.file_chunks(3), Some(vec![4]));
        assert_eq!(t.file_chunks(4), None);
        assert_eq!(t.file_name(0).unwrap(), "chunks/t0-00000abc.bin");
        assert_eq!(t.file_name(2).unwrap(), "chunks/d2-00000abc.bin");
        assert_eq!(t.file_name(4), None);
        assert_eq!(t.files_of(ChunkKind::Postings), (0, vec![0, 2]));
        assert_eq!(t.files_of(ChunkKind::Terms), (0, vec![0, 2]));
        assert_eq!(t.files_of(ChunkKind::Stems), (0, vec![0, 0]));
        assert_eq!(t.files_of(ChunkKind::Docs), (2, vec![0, 1]));
        assert_eq!(t.pack_name(), "chunks/pack-00000abc.bin");
    }

    #[test]
    fn the_table_reads_back_what_was_written() {
        let e = entry;
        // fields that go down, and the largest values, round-trip too
        let kinds = [
            &[e(0, 0, 4), e(3, 100, u32::MAX)][..],
            &[e(7, 0, 1), e(2, 0, 0)],
            &[],
            &[e(u32::MAX, 0, 1)],
        ];
        let files = Files {
            dict: vec![(0, 0), (5, 2)],
            docs: vec![0, u32::MAX],
        };
        let bytes = ChunkTable::write(kinds, &files, 1);
        let t = ChunkTable::read(&bytes).unwrap();
        let all: Vec<Entry> = kinds.into_iter().flatten().copied().collect();
        assert_eq!(
            (0..t.len()).filter_map(|i| t.entry(i)).collect::<Vec<_>>(),
            all
        );
        assert_eq!((t.files(), &t.files), (4, &files));
        // every cut of the bytes, and a byte more, is an error, never a panic
        for end in 0..bytes.len() {
            assert!(ChunkTable::read(&bytes[..end]).is_err(), "{end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(ChunkTable::read(&longer).is_err());
        // counts beyond what the bytes can hold are refused before anything is allocated
        let mut huge = bytes;
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(ChunkTable::read(&huge).is_err());
    }

    #[test]
    fn files_must_hold_runs_in_order() {
        let e = |first| entry(first, 0, 1);
        // two terms (and postings) chunks, a document chunk, two stems chunks
        let kinds = [&[e(0), e(1)][..], &[e(0)], &[e(0), e(1)], &[e(0), e(1)]];
        let check = |kinds: [&[Entry]; KINDS], dict: &[(u32, u32)], docs: &[u32]| {
            let files = Files {
                dict: dict.to_vec(),
                docs: docs.to_vec(),
            };
            let bytes = ChunkTable::write(kinds, &files, 0);
            ChunkTable::read(&bytes).unwrap().check_files()
        };
        assert!(check(kinds, &[(0, 0)], &[0]).is_ok());
        assert!(check(kinds, &[(0, 0), (1, 0), (1, 1), (2, 1)], &[0]).is_ok());
        // not from the first chunks, empty, going back, past the end, none
        let bad: [&[(u32, u32)]; 6] = [
            &[(1, 0)],
            &[(0, 0), (0, 0)],
            &[(0, 0), (1, 1), (2, 0)],
            &[(0, 0), (3, 0)],
            &[(0, 0), (2, 2)],
            &[],
        ];
        for dict in bad {
            assert!(check(kinds, dict, &[0]).is_err(), "{dict:?}");
        }
        for docs in [&[][..], &[1], &[0, 0], &[0, 1]] {
            assert!(check(kinds, &[(0, 0)], docs).is_err(), "{docs:?}");
        }
        // terms and postings cut apart
        let apart = [&[e(0), e(1)][..], &[e(0)], &[e(0), e(2)], &[e(0)]];
        assert!(check(apart, &[(0, 0)], &[0]).is_err());
        // an index without chunks needs no file
        assert!(check([&[], &[], &[], &[]], &[], &[]).is_ok());
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
    fn check_rejects_other_bytes() {
        let mut bytes = b"postings".to_vec();
        seal(0, &mut bytes);
        let e = entry(0, 0, 0);
        let table = ChunkTable::write([&[e, e], &[], &[], &[]], &Files::default(), 0xabc);
        let t = ChunkTable::read(&table).unwrap();
        assert_eq!(t.check(0, &bytes).unwrap(), b"postings");
        let mut altered = bytes.clone();
        altered[7] = b'z';
        let e = t.check(0, &altered).unwrap_err().to_string();
        assert!(e.contains("p0-00000abc") && e.contains("altered"), "{e}");
        // the same bytes given as another chunk fail: the check covers the id
        assert!(t
            .check(1, &bytes)
            .unwrap_err()
            .to_string()
            .contains("altered"));
        // bytes cut short or longer fail too
        let mut longer = bytes.clone();
        longer.insert(0, 0);
        for short in [&bytes[1..], &bytes[..bytes.len() - 1], b"", b"abc", &longer] {
            assert!(t.check(0, short).unwrap_err().to_string().contains("stale"));
        }
        assert!(t.check(2, &bytes).is_err());
    }

    #[test]
    fn a_file_says_where_its_chunks_end() {
        let e = |first| entry(first, 0, 1);
        // one document file of two chunks
        let files = Files {
            dict: vec![],
            docs: vec![0],
        };
        let table = ChunkTable::write([&[], &[e(0), e(1)], &[], &[]], &files, 0);
        let t = ChunkTable::read(&table).unwrap();
        let mut file = Vec::new();
        frame(&mut file, b"first");
        frame(&mut file, &[7; 200]);
        let parts = t.file_parts(0, &file).unwrap();
        assert_eq!(parts, [(0, &b"first"[..]), (1, &[7; 200][..])]);
        for end in 0..file.len() {
            let e = t.file_parts(0, &file[..end]).unwrap_err().to_string();
            assert!(e.contains("chunk file 0 is shorter"), "{e}");
        }
        file.push(0);
        let e = t.file_parts(0, &file).unwrap_err().to_string();
        assert!(e.contains("more than its chunks"), "{e}");
        assert!(t.file_parts(1, &file).is_err());
    }
}
