//! A term's postings as documents, and a window of a stored body as text. The byte
//! layouts are read through `scour_format` (postings, term info, stored documents,
//! stem groups, facets), where each one's writer is.
//!
//! Every reader is bounds-checked: corrupt bytes give `None` or an empty result, never
//! a panic (in wasm a panic would kill the module).

use scour_format::varint::Reader;

/// One document of a term's postings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Posting {
    pub doc: u32,
    pub tf: [u32; 3],
    /// The lengths of the fields `tf` counts in (0 for the others).
    pub len: [u32; 3],
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
            len: p.len,
        })
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
