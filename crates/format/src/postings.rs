//! One posting (a term in one document), written by the index builder and read by
//! the engine through the same two functions, so the layout cannot drift.
//!
//! ```text
//! varint  document delta (the first posting of a term: the document itself)
//! varint  tf_body << 2 | (tf_title > 0) << 1 | (tf_headings > 0)
//! varint  tf_title      (only when its flag is set)
//! varint  tf_headings   (only when its flag is set)
//! u8      the title's length code    (only when tf_title > 0)
//! u8      the headings' length code   (only when tf_headings > 0)
//! u8      the body's length code      (only when tf_body > 0)
//! ```
//!
//! Most postings are in the body only: one byte carries all three frequencies, and one
//! more the body's length. There are no positions: they were 70% of the postings'
//! bytes, and the engine finds where words occur in the stored text of the few
//! documents it shows or reranks (`scour_query`'s match scan), which the bundle
//! carries for snippets anyway.
//!
//! **Why the lengths are here.** BM25 needs the length of each field a term occurs in
//! ([`crate::norms`] codes, a byte each). A table of every document's lengths would
//! be read by every query, all of it: a lazy index of 147,306 documents fetched
//! 147 KB of such a table in a round trip of its own before the first result. Inside
//! the postings, a query reads only the lengths of the documents it matches, in the
//! round trip that brings their postings; the index grows by about a byte a posting.
//!
//! # Example
//! ```
//! use scour_format::{postings, varint::Reader};
//! let mut buf = Vec::new();
//! postings::write(&mut buf, 7, [1, 0, 2], [3, 0, 12]);
//! postings::write(&mut buf, 3, [0, 0, 1], [5, 2, 9]);
//! let mut r = Reader::new(&buf);
//! assert_eq!(
//!     postings::read(&mut r),
//!     Some(postings::Posting { delta: 7, tf: [1, 0, 2], len: [3, 0, 12] })
//! );
//! // lengths of fields the term is not in are not stored: they read as 0
//! assert_eq!(
//!     postings::read(&mut r),
//!     Some(postings::Posting { delta: 3, tf: [0, 0, 1], len: [0, 0, 9] })
//! );
//! assert_eq!(postings::read(&mut r), None);
//! ```

use crate::norms;
use crate::varint::{self, Reader};

/// A decoded posting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    /// Document delta (absolute for a term's first posting).
    pub delta: u32,
    /// Frequency in title, headings, body.
    pub tf: [u32; 3],
    /// Length in tokens of the title, headings and body, as their [`norms`] codes
    /// keep it, for the fields where `tf` is not 0; 0 for the others.
    pub len: [u32; 3],
}

/// Appends one posting: the term occurs `tf` times in fields `len` tokens long.
pub fn write(out: &mut Vec<u8>, delta: u32, tf: [u32; 3], len: [u32; 3]) {
    varint::write(out, delta);
    varint::write(
        out,
        tf[2].saturating_mul(4) | (u32::from(tf[0] > 0) << 1) | u32::from(tf[1] > 0),
    );
    if tf[0] > 0 {
        varint::write(out, tf[0]);
    }
    if tf[1] > 0 {
        varint::write(out, tf[1]);
    }
    for f in 0..3 {
        if tf[f] > 0 {
            out.push(norms::encode(len[f]));
        }
    }
}

/// Reads one posting; `None` at the end or on corrupt bytes.
#[inline]
pub fn read(r: &mut Reader<'_>) -> Option<Posting> {
    let delta = r.u32()?;
    let packed = r.u32()?;
    let title = if packed & 2 != 0 { r.u32()? } else { 0 };
    let headings = if packed & 1 != 0 { r.u32()? } else { 0 };
    let tf = [title, headings, packed >> 2];
    let mut len = [0; 3];
    for f in 0..3 {
        if tf[f] > 0 {
            len[f] = norms::decode(*r.bytes(1)?.first()?);
        }
    }
    Some(Posting { delta, tf, len })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_frequencies_and_lengths() {
        let cases = [
            (0, [0, 0, 1], [0, 0, 3]),
            (5, [1, 0, 0], [4, 7, 100]),
            (300, [2, 3, 4], [2, 9, 70_000]),
            (u32::MAX, [u32::MAX >> 2, 1, 1 << 20], [1, 1, 1]),
        ];
        let mut buf = Vec::new();
        for &(delta, tf, len) in &cases {
            write(&mut buf, delta, tf, len);
        }
        let mut r = Reader::new(&buf);
        for &(delta, tf, len) in &cases {
            let p = read(&mut r).unwrap();
            assert_eq!((p.delta, p.tf), (delta, tf));
            for f in 0..3 {
                let want = if tf[f] > 0 {
                    norms::decode(norms::encode(len[f]))
                } else {
                    0
                };
                assert_eq!(p.len[f], want, "field {f} of {tf:?}");
            }
        }
        assert_eq!(read(&mut r), None);
    }

    #[test]
    fn a_posting_cut_short_is_none() {
        let mut buf = Vec::new();
        write(&mut buf, 9, [1, 1, 1], [5, 6, 7]);
        for cut in 0..buf.len() {
            assert_eq!(read(&mut Reader::new(&buf[..cut])), None, "cut at {cut}");
        }
    }
}
