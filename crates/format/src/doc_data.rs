//! The stored documents: the doc-table and doc-data sections, and the document chunks
//! of the lazy layout, which hold a run of the same records. Written by the index
//! builder (and [`crate::chunks::split`]) and read by the engine through the functions
//! below, so the layout cannot drift.
//!
//! ```text
//! doc-table section: per document, u32 offset of its record in doc-data
//! doc-data section: the records, back to back; a record:
//!   str     id
//!   str     url
//!   str     title
//!   varint  heading count h
//!   h ×     str text, str anchor (empty: none),
//!           varint body offset where its section starts + 1 (0: none)
//!   varint  metadata count m
//!   m ×     str key, str value
//!   varint  filter count f
//!   f ×     str key, varint value count v, v × str value
//!   str     language tag (empty: unknown)
//!   str     body
//! document chunk:
//!   u32       document count c
//!   c × u32   offset of each document's record, from the end of this table
//!   the records
//! ```
//!
//! A `str` is a varint byte length, then the UTF-8 bytes ([`crate::varint`]). A record
//! has no length of its own: a reader stops at its body, so the engine reads a
//! document from its offset on ([`record`]) and never needs where it ends.
//!
//! # Example
//! ```
//! use scour_format::doc_data::{self, StoredDoc, StoredHeading};
//! let doc = StoredDoc {
//!     id: "a",
//!     url: "/a/",
//!     title: "QR codes",
//!     headings: vec![StoredHeading { text: "History", anchor: Some("history"), offset: Some(4) }],
//!     meta: vec![("date", "2021-11-13")],
//!     body: b"The codes of Russia",
//!     ..StoredDoc::default()
//! };
//! let mut data = Vec::new();
//! let mut offsets = Vec::new();
//! for d in [&doc, &StoredDoc { id: "b", ..StoredDoc::default() }] {
//!     offsets.push(data.len() as u32);
//!     doc_data::write(&mut data, d);
//! }
//! let table = doc_data::write_table(&offsets);
//! let record = doc_data::record(&table, &data, 0).unwrap();
//! let back = doc_data::read(record).unwrap();
//! assert_eq!((back.title, back.body_text()), ("QR codes", Some("The codes of Russia")));
//! assert_eq!(back.headings, doc.headings);
//! assert_eq!(doc_data::meta(record, "date"), Some("2021-11-13"));
//! assert_eq!(doc_data::read(doc_data::record(&table, &data, 1).unwrap()).unwrap().id, "b");
//! assert_eq!(doc_data::record(&table, &data, 2), None);
//! ```

use std::ops::Range;

use crate::table_u32;
use crate::varint::{self, Reader};

/// A section heading of a stored document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredHeading<'a> {
    /// The heading text.
    pub text: &'a str,
    /// Its fragment identifier, if it has one.
    pub anchor: Option<&'a str>,
    /// Byte offset in the body where its section starts, if known.
    pub offset: Option<usize>,
}

/// A stored document, borrowed from the index bytes (or, to write it, from the
/// document).
#[derive(Clone, Debug, Default)]
pub struct StoredDoc<'a> {
    /// The document's id.
    pub id: &'a str,
    /// Its URL.
    pub url: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its headings.
    pub headings: Vec<StoredHeading<'a>>,
    /// Metadata key/value pairs.
    pub meta: Vec<(&'a str, &'a str)>,
    /// Filter keys with their values.
    pub filters: Vec<(&'a str, Vec<&'a str>)>,
    /// Language tag, empty when unknown.
    pub lang: &'a str,
    /// The body text as UTF-8 bytes: validated only where it is used (the match scan
    /// skips most of it byte by byte, and a snippet needs a few hundred bytes).
    pub body: &'a [u8],
}

impl<'a> StoredDoc<'a> {
    /// The whole body as text, if it is valid UTF-8.
    pub fn body_text(&self) -> Option<&'a str> {
        std::str::from_utf8(self.body).ok()
    }
}

/// Appends the record of `doc` to the doc-data bytes `out`.
pub fn write(out: &mut Vec<u8>, doc: &StoredDoc<'_>) {
    varint::write_str(out, doc.id);
    varint::write_str(out, doc.url);
    varint::write_str(out, doc.title);
    varint::write(out, doc.headings.len() as u32);
    for h in &doc.headings {
        varint::write_str(out, h.text);
        varint::write_str(out, h.anchor.unwrap_or(""));
        varint::write(out, h.offset.map_or(0, |o| (o as u32).saturating_add(1)));
    }
    varint::write(out, doc.meta.len() as u32);
    for (k, v) in &doc.meta {
        varint::write_str(out, k);
        varint::write_str(out, v);
    }
    varint::write(out, doc.filters.len() as u32);
    for (k, vs) in &doc.filters {
        varint::write_str(out, k);
        varint::write(out, vs.len() as u32);
        for v in vs {
            varint::write_str(out, v);
        }
    }
    varint::write_str(out, doc.lang);
    varint::write(out, doc.body.len() as u32);
    out.extend_from_slice(doc.body);
}

/// The document a record holds; `None` on corrupt bytes. `record` may run on past the
/// record's end.
pub fn read(record: &[u8]) -> Option<StoredDoc<'_>> {
    let mut r = Reader::new(record);
    let (id, url, title) = read_head(&mut r)?;
    let nh = r.u32()? as usize;
    // counts come from the bytes: no more capacity than a sane record needs
    let mut headings = Vec::with_capacity(nh.min(256));
    for _ in 0..nh {
        headings.push(read_heading(&mut r)?);
    }
    let nm = r.u32()? as usize;
    let mut meta = Vec::with_capacity(nm.min(64));
    for _ in 0..nm {
        meta.push((r.str()?, r.str()?));
    }
    let nf = r.u32()? as usize;
    let mut filters = Vec::with_capacity(nf.min(64));
    for _ in 0..nf {
        let k = r.str()?;
        let nv = r.u32()? as usize;
        let mut vs = Vec::with_capacity(nv.min(64));
        for _ in 0..nv {
            vs.push(r.str()?);
        }
        filters.push((k, vs));
    }
    let lang = r.str()?;
    let n = r.u32()? as usize;
    let body = r.bytes(n)?;
    Some(StoredDoc {
        id,
        url,
        title,
        headings,
        meta,
        filters,
        lang,
        body,
    })
}

/// The value of metadata `key` in a record, without decoding the rest (a date filter or
/// a sort reads it from every candidate): no allocation.
pub fn meta<'a>(record: &'a [u8], key: &str) -> Option<&'a str> {
    let mut r = Reader::new(record);
    read_head(&mut r)?;
    let nh = r.u32()?;
    for _ in 0..nh {
        read_heading(&mut r)?;
    }
    let nm = r.u32()?;
    for _ in 0..nm {
        let k = r.str()?;
        let v = r.str()?;
        if k == key {
            return Some(v);
        }
    }
    None
}

/// The id, url and title that open a record.
fn read_head<'a>(r: &mut Reader<'a>) -> Option<(&'a str, &'a str, &'a str)> {
    Some((r.str()?, r.str()?, r.str()?))
}

/// One heading of a record.
fn read_heading<'a>(r: &mut Reader<'a>) -> Option<StoredHeading<'a>> {
    let text = r.str()?;
    let anchor = r.str()?;
    let offset = r.u32()?;
    Some(StoredHeading {
        text,
        anchor: (!anchor.is_empty()).then_some(anchor),
        offset: offset.checked_sub(1).map(|o| o as usize),
    })
}

/// The doc-table section: each document's record offset in doc-data, in document
/// order.
pub fn write_table(offsets: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(offsets.len() * crate::DOC_TABLE_LEN);
    for off in offsets {
        out.extend_from_slice(&off.to_le_bytes());
    }
    out
}

/// The record of document `doc` in the doc-table and doc-data sections, from its start
/// to the end of the section (a record reader stops at its end); `None` out of bounds.
#[inline]
pub fn record<'a>(table: &[u8], data: &'a [u8], doc: u32) -> Option<&'a [u8]> {
    let off = table_u32(table, doc as usize)? as usize;
    data.get(off..)
}

/// The exact byte range of document `doc`'s record in a doc-data section of
/// `data_len` bytes: from its offset to the next document's, or to the end of the
/// section for the last one. `None` out of bounds or when the offsets decrease.
pub fn record_range(table: &[u8], data_len: usize, doc: u32) -> Option<Range<usize>> {
    let d = doc as usize;
    let start = table_u32(table, d)? as usize;
    let end = match table_u32(table, d.checked_add(1)?) {
        Some(next) => next as usize,
        None if table.len() / crate::DOC_TABLE_LEN == d + 1 => data_len,
        None => return None,
    };
    (start <= end && end <= data_len).then_some(start..end)
}

/// A document chunk holding the records at `ranges` of `data` (a doc-data section),
/// which follow each other in it.
///
/// # Panics
/// If a range is out of `data` or the ranges are not in order.
pub fn write_chunk(ranges: &[(usize, usize)], data: &[u8]) -> Vec<u8> {
    let base = ranges.first().map_or(0, |r| r.0);
    let end = ranges.last().map_or(base, |r| r.1);
    let mut out = chunk_head(ranges, end - base);
    out.extend_from_slice(&data[base..end]);
    out
}

/// The head of a document chunk for the records at `ranges` (their count and each
/// one's offset), with room for the `records` bytes that follow it: what
/// [`write_chunk`] writes before the records, for a writer that reads them from a file.
pub fn chunk_head(ranges: &[(usize, usize)], records: usize) -> Vec<u8> {
    let base = ranges.first().map_or(0, |r| r.0);
    let mut out = Vec::with_capacity(4 + ranges.len() * 4 + records);
    out.extend_from_slice(&(ranges.len() as u32).to_le_bytes());
    for &(start, _) in ranges {
        out.extend_from_slice(&((start - base) as u32).to_le_bytes());
    }
    out
}

/// The number of documents a document chunk holds (what the engine checks against
/// the chunk table before keeping it).
pub fn chunk_len(chunk: &[u8]) -> Option<u32> {
    table_u32(chunk, 0)
}

/// The record of document `local` (its position in the chunk) in a document chunk,
/// exactly.
#[inline]
pub fn chunk_record(chunk: &[u8], local: u32) -> Option<&[u8]> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> StoredDoc<'static> {
        StoredDoc {
            id: "d1",
            url: "/d/1/",
            title: "Straße",
            headings: vec![
                StoredHeading {
                    text: "One",
                    anchor: Some("one"),
                    offset: Some(0),
                },
                StoredHeading {
                    text: "Two",
                    anchor: None,
                    offset: None,
                },
            ],
            meta: vec![("author", "A"), ("date", "2021")],
            filters: vec![("tags", vec!["x", "y"]), ("section", vec![])],
            lang: "de",
            body: "Text über alles".as_bytes(),
        }
    }

    #[test]
    fn a_record_reads_back_whole() {
        let mut data = b"junk before".to_vec();
        let at = data.len();
        write(&mut data, &sample());
        data.extend_from_slice(b"and after");
        let back = read(&data[at..]).unwrap();
        let doc = sample();
        assert_eq!(
            (back.id, back.url, back.title, back.lang, back.body),
            (doc.id, doc.url, doc.title, doc.lang, doc.body)
        );
        assert_eq!(back.headings, doc.headings);
        assert_eq!(back.meta, doc.meta);
        assert_eq!(back.filters, doc.filters);
        assert_eq!(meta(&data[at..], "date"), Some("2021"));
        assert_eq!(meta(&data[at..], "none"), None);
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        let mut out = Vec::new();
        write(
            &mut out,
            &StoredDoc {
                id: "a",
                headings: vec![StoredHeading {
                    text: "h",
                    anchor: None,
                    offset: Some(2),
                }],
                meta: vec![("k", "v")],
                filters: vec![("f", vec!["x"])],
                body: b"body",
                ..StoredDoc::default()
            },
        );
        #[rustfmt::skip]
        let expected = [
            1, b'a', 0, 0,
            1, 1, b'h', 0, 3,
            1, 1, b'k', 1, b'v',
            1, 1, b'f', 1, 1, b'x',
            0,
            4, b'b', b'o', b'd', b'y',
        ];
        assert_eq!(out, expected);
    }

    #[test]
    fn table_ranges_and_chunks_agree() {
        let mut data = Vec::new();
        let mut offsets = Vec::new();
        for id in ["a", "b", "c"] {
            offsets.push(data.len() as u32);
            write(
                &mut data,
                &StoredDoc {
                    id,
                    ..StoredDoc::default()
                },
            );
        }
        let table = write_table(&offsets);
        assert_eq!(table.len(), 3 * crate::DOC_TABLE_LEN);
        let ranges: Vec<(usize, usize)> = (0..3)
            .map(|d| {
                let r = record_range(&table, data.len(), d).unwrap();
                (r.start, r.end)
            })
            .collect();
        assert_eq!(record_range(&table, data.len(), 3), None);
        // a section ending before the last record starts
        assert_eq!(record_range(&table, ranges[2].0 - 1, 2), None);
        let chunk = write_chunk(&ranges[1..], &data);
        assert_eq!(chunk_len(&chunk), Some(2));
        for (local, d) in [(0, 1), (1, 2)] {
            let (s, e) = ranges[d];
            assert_eq!(chunk_record(&chunk, local), Some(&data[s..e]));
            assert!(record(&table, &data, d as u32)
                .unwrap()
                .starts_with(&data[s..e]));
        }
        assert_eq!(read(chunk_record(&chunk, 1).unwrap()).unwrap().id, "c");
        assert_eq!(chunk_record(&chunk, 2), None);
    }

    #[test]
    fn chunk_records_are_found_and_bounded() {
        let mut chunk = Vec::new();
        chunk.extend_from_slice(&2u32.to_le_bytes());
        chunk.extend_from_slice(&0u32.to_le_bytes());
        chunk.extend_from_slice(&3u32.to_le_bytes());
        chunk.extend_from_slice(b"abcde");
        assert_eq!(chunk_record(&chunk, 0), Some(&b"abc"[..]));
        assert_eq!(chunk_record(&chunk, 1), Some(&b"de"[..]));
        assert_eq!(chunk_record(&chunk, 2), None);
        chunk[8] = 99;
        assert_eq!(chunk_record(&chunk, 1), None);
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), doc in 0u32..50) {
            let _ = read(&bytes);
            let _ = meta(&bytes, "date");
            let _ = record(&bytes, &bytes, doc);
            let _ = record_range(&bytes, bytes.len(), doc);
            let _ = chunk_record(&bytes, doc);
        }
    }
}
