//! The scour index byte layout, shared by the writer (`scour-index`) and the reader
//! (`scour-query`) so the two can never drift apart.
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"SCOURIDX"
//! 8       4     format version (u32 LE), see [`VERSION`]
//! 12      4     total length in bytes, checksum included (u32 LE)
//! 16      4     section count n (u32 LE)
//! 20      12·n  section table: kind (u32 LE), offset (u32 LE), length (u32 LE)
//! …             sections, each starting on a 4-byte boundary
//! end-4   4     CRC-32 (IEEE) of every byte before it
//! ```
//!
//! [`Container::open`] checks the header and the section table in O(1) (no copy, no
//! scan); [`Container::verify`] checks the checksum, on request. Every error says what
//! is wrong and what to do. docs/FORMAT.md describes each section.
//!
//! Each structure inside the sections has a module of its own, with its byte layout,
//! its writer and its reader, which the index builder and the engine both call (and
//! [`chunks::split`], cutting an index into chunks): [`term_info`], [`postings`] (with
//! the field lengths' [`norms`] codes), [`stem_groups`], [`doc_data`] (the doc-table,
//! the stored records and the document chunks), [`facets`], and [`chunks`] for the
//! lazy layout's table and chunks. [`Meta`] is the meta section, [`varint`] the
//! integers most of them are made of.
//!
//! # Example
//! ```
//! use scour_format::{Container, ContainerWriter, SectionKind};
//! let mut w = ContainerWriter::new();
//! w.section(SectionKind::Meta, b"hello".to_vec());
//! let bytes = w.finish();
//! let c = Container::open(&bytes[..]).unwrap();
//! c.verify().unwrap();
//! assert_eq!(c.section(SectionKind::Meta).unwrap(), b"hello");
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod chunks;
mod crc;
pub mod doc_data;
pub mod facets;
pub mod fst_check;
pub mod norms;
pub mod postings;
pub mod stem_groups;
pub mod stream;
pub mod term_info;
pub mod varint;

use std::fmt;
use std::ops::Range;

pub use crc::crc32;

/// The first eight bytes of every index.
pub const MAGIC: [u8; 8] = *b"SCOURIDX";

/// The format version this build writes and reads. Bump it on any layout change and
/// update the golden index (`tests/golden/`) on purpose.
pub const VERSION: u32 = 9;

/// Documents an index holds at most. A search allocates a few bytes per document and
/// query word before it reads any chunk, so the reader refuses a larger count (a
/// corrupt or tampered lazy core could claim billions); the builder refuses to write
/// one.
pub const MAX_DOCS: u32 = 1 << 21;

/// Bytes before the section table.
pub const HEADER_LEN: usize = 20;

/// Bytes of one section table entry.
pub const SECTION_ENTRY_LEN: usize = 12;

/// Bytes of the trailing checksum.
pub const CHECKSUM_LEN: usize = 4;

/// Fields of a document, in the order of their term frequencies and lengths in
/// postings.
pub const FIELDS: [&str; 3] = ["title", "headings", "body"];

/// Width in bytes of one [`SectionKind::DocTable`] entry: offset of the document's
/// record in [`SectionKind::DocData`] (u32 LE; [`doc_data`]).
pub const DOC_TABLE_LEN: usize = 4;

/// Width in bytes of the [`SectionKind::Meta`] section.
pub const META_LEN: usize = 32;

/// The sections of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SectionKind {
    /// Corpus statistics: see [`Meta`].
    Meta,
    /// `fst::Map` from term to term ordinal (its rank in sorted order).
    Terms,
    /// Per term ordinal: postings range, document frequency, stem group
    /// ([`term_info`]).
    TermInfo,
    /// Postings of every term, concatenated in term order.
    Postings,
    /// `fst::Map` from stem to stem-group ordinal.
    Stems,
    /// Per stem group: u32 LE offset into the group data, then (after the offsets,
    /// one extra end offset) varint delta-coded term ordinals ([`stem_groups`]).
    StemGroups,
    /// Per document: u32 LE offset of its record in [`SectionKind::DocData`]
    /// ([`doc_data`]).
    DocTable,
    /// Stored documents: id, url, title, headings, metadata, filters, language, body
    /// ([`doc_data`]).
    DocData,
    /// Filter values and which documents carry them: u32 value count, u32 document
    /// count, (values + 1) u32 offsets of value records, (documents + 1) u32 offsets of
    /// document lists, the value records (str key, str value, sorted), then per
    /// document the varint delta-coded ids of its values ([`facets`]).
    Facets,
    /// The lazy layout's table of chunk files ([`chunks`]): present instead of
    /// the dictionary, term info, stems, stem groups, postings, doc-table and
    /// doc-data when those live in chunks.
    Chunks,
    /// The first key of each dictionary chunk of a lazy core ([`chunks::first_key`]).
    ChunkKeys,
}

impl SectionKind {
    /// Every kind, in file order.
    pub const ALL: [SectionKind; 11] = [
        SectionKind::Meta,
        SectionKind::Terms,
        SectionKind::TermInfo,
        SectionKind::Postings,
        SectionKind::Stems,
        SectionKind::StemGroups,
        SectionKind::DocTable,
        SectionKind::DocData,
        SectionKind::Facets,
        SectionKind::Chunks,
        SectionKind::ChunkKeys,
    ];

    /// The numeric tag written in the section table.
    pub fn tag(self) -> u32 {
        match self {
            SectionKind::Meta => 1,
            SectionKind::Terms => 2,
            SectionKind::TermInfo => 3,
            SectionKind::Postings => 4,
            SectionKind::Stems => 5,
            SectionKind::StemGroups => 6,
            SectionKind::DocTable => 7,
            SectionKind::DocData => 8,
            // 9 was the norms section (format 5): field lengths are in the postings now
            SectionKind::Facets => 10,
            SectionKind::Chunks => 11,
            SectionKind::ChunkKeys => 12,
        }
    }

    /// The kind of a tag, if known.
    pub fn from_tag(tag: u32) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// A short lowercase name, for `scour inspect`.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Meta => "meta",
            SectionKind::Terms => "terms",
            SectionKind::TermInfo => "term-info",
            SectionKind::Postings => "postings",
            SectionKind::Stems => "stems",
            SectionKind::StemGroups => "stem-groups",
            SectionKind::DocTable => "doc-table",
            SectionKind::DocData => "doc-data",
            SectionKind::Facets => "facets",
            SectionKind::Chunks => "chunks",
            SectionKind::ChunkKeys => "chunk-keys",
        }
    }
}

/// Why index bytes could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatError {
    /// The bytes do not start with [`MAGIC`]: not a scour index at all.
    NotAnIndex,
    /// Written by another version of the format.
    Version {
        /// The version this build reads.
        expected: u32,
        /// The version found.
        got: u32,
    },
    /// Fewer bytes than the header says: a partial download or copy.
    Truncated {
        /// Bytes the header announces.
        expected: usize,
        /// Bytes present.
        got: usize,
    },
    /// The checksum does not match: the bytes were altered.
    Checksum {
        /// The checksum stored in the index.
        stored: u32,
        /// The checksum of the bytes.
        computed: u32,
    },
    /// A section is missing, out of bounds or inconsistent.
    Corrupt(String),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::NotAnIndex => write!(
                f,
                "not a scour index (the magic bytes are missing): build the bundle again with `scour build`"
            ),
            FormatError::Version { expected, got } => write!(
                f,
                "index format version {got} is not supported by this engine (it reads version {expected}): \
                 rebuild the index with the same scour version as the engine (`scour build`)"
            ),
            FormatError::Truncated { expected, got } => write!(
                f,
                "index is truncated: the header announces {expected} bytes but only {got} are present; \
                 the file was cut short in transfer or on disk, copy or build it again"
            ),
            FormatError::Checksum { stored, computed } => write!(
                f,
                "index is corrupted: checksum {computed:08x} does not match the stored {stored:08x}; \
                 build it again with `scour build`"
            ),
            FormatError::Corrupt(what) => {
                write!(f, "index is corrupted ({what}): build it again with `scour build`")
            }
        }
    }
}

impl std::error::Error for FormatError {}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Reads the `i`-th little-endian u32 of a fixed-width table, or `None` out of bounds.
pub fn table_u32(bytes: &[u8], i: usize) -> Option<u32> {
    read_u32(bytes, i.checked_mul(4)?)
}

/// Where the section table of an index of `len` bytes ends, from its first
/// [`HEADER_LEN`] bytes (fewer when the index is shorter), after checking the header:
/// what [`Container::open`] and `stream::IndexReader::open` both check.
pub(crate) fn table_end(head: &[u8], len: usize) -> Result<usize, FormatError> {
    if head.len() < 8 || head[..8] != MAGIC {
        return Err(FormatError::NotAnIndex);
    }
    let short = || FormatError::Truncated {
        expected: HEADER_LEN,
        got: len,
    };
    let version = read_u32(head, 8).ok_or_else(short)?;
    if version != VERSION {
        return Err(FormatError::Version {
            expected: VERSION,
            got: version,
        });
    }
    let total = read_u32(head, 12).ok_or_else(short)? as usize;
    if len < total {
        return Err(FormatError::Truncated {
            expected: total,
            got: len,
        });
    }
    if len > total {
        return Err(FormatError::Corrupt(format!(
            "{} bytes follow the end announced by the header ({total} bytes)",
            len - total
        )));
    }
    let count = read_u32(head, 16).ok_or_else(short)? as usize;
    count
        .checked_mul(SECTION_ENTRY_LEN)
        .and_then(|n| n.checked_add(HEADER_LEN))
        .filter(|&end| end + CHECKSUM_LEN <= total)
        .ok_or_else(|| {
            FormatError::Corrupt(format!(
                "section table of {count} entries overruns the index"
            ))
        })
}

/// The sections listed in `head` (the header and the table, `table_end` bytes) of an
/// index of `total` bytes, each checked to be in bounds and listed once.
pub(crate) fn section_table(
    head: &[u8],
    table_end: usize,
    total: usize,
) -> Result<Vec<(SectionKind, Range<usize>)>, FormatError> {
    let count = (table_end - HEADER_LEN) / SECTION_ENTRY_LEN;
    let data_end = total - CHECKSUM_LEN;
    let mut sections = Vec::with_capacity(count);
    for i in 0..count {
        let at = HEADER_LEN + i * SECTION_ENTRY_LEN;
        let (tag, off, len) = (
            read_u32(head, at).unwrap_or(0),
            read_u32(head, at + 4).unwrap_or(0) as usize,
            read_u32(head, at + 8).unwrap_or(0) as usize,
        );
        let kind = SectionKind::from_tag(tag)
            .ok_or_else(|| FormatError::Corrupt(format!("unknown section tag {tag}")))?;
        let end = off
            .checked_add(len)
            .filter(|&end| off >= table_end && end <= data_end)
            .ok_or_else(|| {
                FormatError::Corrupt(format!("section {} is out of bounds", kind.name()))
            })?;
        if sections.iter().any(|(k, _)| *k == kind) {
            return Err(FormatError::Corrupt(format!(
                "section {} appears twice",
                kind.name()
            )));
        }
        sections.push((kind, off..end));
    }
    Ok(sections)
}

/// Index bytes whose header and section table have been checked.
///
/// Generic over storage: `&[u8]`, `Vec<u8>`, `&'static [u8]`, an mmap.
#[derive(Clone, Debug)]
pub struct Container<B> {
    bytes: B,
    sections: Vec<(SectionKind, Range<usize>)>,
}

impl<B: AsRef<[u8]>> Container<B> {
    /// Checks the header and section table (O(number of sections); no copy).
    pub fn open(bytes: B) -> Result<Container<B>, FormatError> {
        let b = bytes.as_ref();
        let table_end = table_end(b, b.len())?;
        let sections = section_table(b, table_end, b.len())?;
        Ok(Container { bytes, sections })
    }

    /// Checks the CRC-32 of the whole index (O(n)).
    pub fn verify(&self) -> Result<(), FormatError> {
        let b = self.bytes.as_ref();
        let end = b.len() - CHECKSUM_LEN;
        let stored = read_u32(b, end).unwrap_or(0);
        let computed = crc32(&b[..end]);
        if stored != computed {
            return Err(FormatError::Checksum { stored, computed });
        }
        Ok(())
    }

    /// The bytes of a section, or `None` if the index has no such section.
    pub fn section(&self, kind: SectionKind) -> Option<&[u8]> {
        let (_, r) = self.sections.iter().find(|(k, _)| *k == kind)?;
        self.bytes.as_ref().get(r.clone())
    }

    /// The bytes of a section that must be present.
    pub fn required(&self, kind: SectionKind) -> Result<&[u8], FormatError> {
        self.section(kind)
            .ok_or_else(|| FormatError::Corrupt(format!("section {} is missing", kind.name())))
    }

    /// Every section with its length in bytes, in file order.
    pub fn section_sizes(&self) -> Vec<(SectionKind, usize)> {
        self.sections.iter().map(|(k, r)| (*k, r.len())).collect()
    }

    /// All the bytes of the index.
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_ref()
    }
}

/// Writes sections into the container layout.
#[derive(Debug, Default)]
pub struct ContainerWriter {
    sections: Vec<(SectionKind, Vec<u8>)>,
}

impl ContainerWriter {
    /// An empty writer.
    pub fn new() -> ContainerWriter {
        ContainerWriter::default()
    }

    /// Adds a section (in file order).
    pub fn section(&mut self, kind: SectionKind, bytes: Vec<u8>) -> &mut Self {
        self.sections.push((kind, bytes));
        self
    }

    /// The finished index bytes, checksum included.
    ///
    /// # Panics
    /// If the index would exceed 4 GiB, which the u32 offsets cannot address; the
    /// builder checks sizes before it gets here.
    pub fn finish(self) -> Vec<u8> {
        let table_end = HEADER_LEN + self.sections.len() * SECTION_ENTRY_LEN;
        let mut out = Vec::with_capacity(
            table_end + self.sections.iter().map(|s| s.1.len() + 3).sum::<usize>() + 4,
        );
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes()); // total length, patched below
        out.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        out.resize(table_end, 0);
        for (i, (kind, bytes)) in self.sections.iter().enumerate() {
            while out.len() % 4 != 0 {
                out.push(0);
            }
            let at = HEADER_LEN + i * SECTION_ENTRY_LEN;
            let off = u32::try_from(out.len()).expect("index larger than 4 GiB");
            out[at..at + 4].copy_from_slice(&kind.tag().to_le_bytes());
            out[at + 4..at + 8].copy_from_slice(&off.to_le_bytes());
            out[at + 8..at + 12].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        let total = u32::try_from(out.len() + CHECKSUM_LEN).expect("index larger than 4 GiB");
        out[12..16].copy_from_slice(&total.to_le_bytes());
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

/// Corpus statistics, the [`SectionKind::Meta`] section: u32 LE document count, u32 LE
/// term count, u32 LE stem-group count, u32 LE language code, then f32 LE average
/// length of each field, then u32 LE bit set of the languages present (bit = code).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Meta {
    /// Documents in the index.
    pub doc_count: u32,
    /// Distinct terms.
    pub term_count: u32,
    /// Stem groups.
    pub stem_group_count: u32,
    /// The analyser's language code (`scour_text::Language::code`).
    pub language: u32,
    /// Average token count of each of the [`FIELDS`].
    pub avg_field_len: [f32; 3],
    /// Bit `1 << code` for every language whose documents the index holds.
    pub languages: u32,
}

impl Meta {
    /// The section bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(META_LEN);
        for v in [
            self.doc_count,
            self.term_count,
            self.stem_group_count,
            self.language,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in self.avg_field_len {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.languages.to_le_bytes());
        out
    }

    /// Reads the section.
    pub fn from_bytes(b: &[u8]) -> Result<Meta, FormatError> {
        if b.len() != META_LEN {
            return Err(FormatError::Corrupt(format!(
                "meta section is {} bytes, not {META_LEN}",
                b.len()
            )));
        }
        let u = |i: usize| read_u32(b, i * 4).unwrap_or(0);
        Ok(Meta {
            doc_count: u(0),
            term_count: u(1),
            stem_group_count: u(2),
            language: u(3),
            avg_field_len: [
                f32::from_bits(u(4)),
                f32::from_bits(u(5)),
                f32::from_bits(u(6)),
            ],
            languages: u(7),
        })
    }
}

impl ContainerWriter {
    /// Writes the bytes [`ContainerWriter::finish`] returns to `out` as they are made,
    /// dropping each section once written, and returns how many there were: a large
    /// index (hundreds of megabytes) is never held twice. (`finish` keeps its own
    /// loop: the engine's code, compiled with it, stays as it is.)
    ///
    /// # Errors
    /// What `out` returns, and [`std::io::ErrorKind::InvalidInput`] when the index
    /// would exceed 4 GiB.
    ///
    /// # Example
    /// ```
    /// use scour_format::{ContainerWriter, SectionKind};
    /// let writer = || {
    ///     let mut w = ContainerWriter::new();
    ///     w.section(SectionKind::Meta, b"hello".to_vec());
    ///     w
    /// };
    /// let mut streamed = Vec::new();
    /// writer().write_to(&mut streamed).unwrap();
    /// assert_eq!(streamed, writer().finish());
    /// ```
    pub fn write_to(self, out: &mut impl std::io::Write) -> std::io::Result<u64> {
        let too_large =
            || std::io::Error::new(std::io::ErrorKind::InvalidInput, "index larger than 4 GiB");
        let table_end = HEADER_LEN + self.sections.len() * SECTION_ENTRY_LEN;
        // Offsets first: the header holds the total length and the table every
        // section's place, before any section is written.
        let mut at = table_end;
        let mut table = Vec::with_capacity(self.sections.len() * SECTION_ENTRY_LEN);
        for (kind, bytes) in &self.sections {
            at = at.next_multiple_of(4);
            let off = u32::try_from(at).map_err(|_| too_large())?;
            table.extend_from_slice(&kind.tag().to_le_bytes());
            table.extend_from_slice(&off.to_le_bytes());
            table.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            at += bytes.len();
        }
        let total = u32::try_from(at + CHECKSUM_LEN).map_err(|_| too_large())?;
        let mut head = Vec::with_capacity(table_end);
        head.extend_from_slice(&MAGIC);
        head.extend_from_slice(&VERSION.to_le_bytes());
        head.extend_from_slice(&total.to_le_bytes());
        head.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        head.extend_from_slice(&table);
        let mut crc = crc::crc32_update(!0, &head);
        out.write_all(&head)?;
        let mut written = head.len();
        for (_, bytes) in self.sections {
            let pad = &[0u8; 3][..written.next_multiple_of(4) - written];
            crc = crc::crc32_update(crc, pad);
            out.write_all(pad)?;
            crc = crc::crc32_update(crc, &bytes);
            out.write_all(&bytes)?;
            written += pad.len() + bytes.len();
        }
        out.write_all(&(!crc).to_le_bytes())?;
        Ok(u64::from(total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut w = ContainerWriter::new();
        w.section(
            SectionKind::Meta,
            Meta {
                doc_count: 3,
                ..Meta::default()
            }
            .to_bytes(),
        );
        w.section(SectionKind::Terms, vec![1, 2, 3]);
        w.finish()
    }

    #[test]
    fn a_streamed_container_is_the_finished_one() {
        let writer = || {
            let mut w = ContainerWriter::new();
            w.section(SectionKind::Meta, Meta::default().to_bytes());
            // lengths that need each amount of padding after them
            for (kind, len) in [
                (SectionKind::Terms, 1),
                (SectionKind::TermInfo, 2),
                (SectionKind::Postings, 3),
                (SectionKind::DocData, 4_099),
            ] {
                w.section(kind, (0..len).map(|i| i as u8).collect());
            }
            w
        };
        let mut streamed = Vec::new();
        let len = writer().write_to(&mut streamed).unwrap();
        assert_eq!(streamed, writer().finish());
        assert_eq!(len, streamed.len() as u64);
        Container::open(&streamed[..]).unwrap().verify().unwrap();
    }

    #[test]
    fn round_trip() {
        let b = sample();
        let c = Container::open(&b[..]).unwrap();
        c.verify().unwrap();
        assert_eq!(
            Meta::from_bytes(c.section(SectionKind::Meta).unwrap())
                .unwrap()
                .doc_count,
            3
        );
        assert_eq!(c.section(SectionKind::Terms).unwrap(), [1, 2, 3]);
        assert!(c.section(SectionKind::Postings).is_none());
    }

    #[test]
    fn wrong_magic_is_not_an_index() {
        assert_eq!(
            Container::open(&b"<!doctype html>"[..]).unwrap_err(),
            FormatError::NotAnIndex
        );
        assert_eq!(
            Container::open(&b""[..]).unwrap_err(),
            FormatError::NotAnIndex
        );
    }

    #[test]
    fn wrong_version_names_both_versions() {
        let mut b = sample();
        b[8] = 10;
        let e = Container::open(&b[..]).unwrap_err();
        assert_eq!(
            e,
            FormatError::Version {
                expected: VERSION,
                got: 10
            }
        );
        assert!(
            e.to_string().contains("version 10")
                && e.to_string().contains(&format!("version {VERSION}"))
        );
    }

    #[test]
    fn truncation_is_detected_at_every_length() {
        let b = sample();
        for n in 0..b.len() {
            assert!(
                Container::open(&b[..n]).is_err(),
                "prefix of {n} bytes opened"
            );
        }
    }

    #[test]
    fn any_flipped_byte_fails_open_or_verify() {
        let b = sample();
        for i in 0..b.len() {
            let mut c = b.clone();
            c[i] ^= 0x40;
            let ok = Container::open(&c[..])
                .map(|c| c.verify().is_ok())
                .unwrap_or(false);
            assert!(!ok, "flipping byte {i} went unnoticed");
        }
    }
}
