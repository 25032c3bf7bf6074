//! Readers for the fixed-width tables, postings and stored documents.
//!
//! Every reader is bounds-checked: corrupt bytes give `None` or an empty result, never
//! a panic (in wasm a panic would kill the module).

use scour_format::table_u32;
use scour_format::varint::Reader;

/// One document of a term's postings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Posting {
    pub doc: u32,
    pub tf: [u32; 3],
}

/// Iterates a term's postings.
pub(crate) struct Postings<'a> {
    r: Reader<'a>,
    doc: u32,
    first: bool,
}

impl<'a> Postings<'a> {
    /// Over one term's postings bytes ([`crate::Index::postings`] finds them).
    pub fn new(bytes: &'a [u8]) -> Postings<'a> {
        Postings {
            r: Reader::new(bytes),
            doc: 0,
            first: true,
        }
    }
}

impl Iterator for Postings<'_> {
    type Item = Posting;

    #[inline]
    fn next(&mut self) -> Option<Posting> {
        let p = scour_format::postings::read(&mut self.r)?;
        self.doc = if self.first {
            p.delta
        } else {
            self.doc.checked_add(p.delta)?
        };
        self.first = false;
        Some(Posting {
            doc: self.doc,
            tf: p.tf,
        })
    }
}

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

/// A stored document, borrowed from the index bytes.
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

/// The longest valid UTF-8 text of at most `max` bytes starting at byte `start` of
/// `bytes` (empty when `start` is not the start of a character).
pub(crate) fn utf8_window(bytes: &[u8], start: usize, max: usize) -> &str {
    let Some(slice) = bytes.get(start..bytes.len().min(start.saturating_add(max))) else {
        return "";
    };
    match std::str::from_utf8(slice) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&slice[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// The record of document `doc` in the whole index's doc-table and doc-data (the
/// layout is written by `scour_index`'s `write_doc` and read only through the
/// functions below; in the lazy layout a document chunk holds the records).
pub(crate) fn record<'a>(doc_table: &[u8], doc_data: &'a [u8], doc: u32) -> Option<&'a [u8]> {
    let off = table_u32(doc_table, doc as usize)? as usize;
    doc_data.get(off..)
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

/// The document a record holds.
pub(crate) fn stored_doc(record: &[u8]) -> Option<StoredDoc<'_>> {
    let mut r = Reader::new(record);
    let (id, url, title) = read_head(&mut r)?;
    let nh = r.u32()? as usize;
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

/// The value of metadata `key` of a document, without decoding its body.
pub(crate) fn stored_meta<'a>(record: &'a [u8], key: &str) -> Option<&'a str> {
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
