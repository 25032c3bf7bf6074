//! One posting (a term in one document), written by the index builder and read by
//! the engine through the same two functions, so the layout cannot drift.
//!
//! ```text
//! varint  document delta (the first posting of a term: the document itself)
//! varint  tf_body << 2 | (tf_title > 0) << 1 | (tf_headings > 0)
//! varint  tf_title      (only when its flag is set)
//! varint  tf_headings   (only when its flag is set)
//! ```
//!
//! Most postings are in the body only: one byte carries all three frequencies. There
//! are no positions: they were 70% of the postings' bytes, and the engine finds where
//! words occur in the stored text of the few documents it shows or reranks
//! (`scour_query`'s match scan), which the bundle carries for snippets anyway.
//!
//! # Example
//! ```
//! use scour_format::{postings, varint::Reader};
//! let mut buf = Vec::new();
//! postings::write(&mut buf, 7, [1, 0, 2]);
//! postings::write(&mut buf, 3, [0, 0, 1]);
//! let mut r = Reader::new(&buf);
//! assert_eq!(postings::read(&mut r), Some(postings::Posting { delta: 7, tf: [1, 0, 2] }));
//! assert_eq!(postings::read(&mut r), Some(postings::Posting { delta: 3, tf: [0, 0, 1] }));
//! assert_eq!(postings::read(&mut r), None);
//! ```

use crate::varint::{self, Reader};

/// A decoded posting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    /// Document delta (absolute for a term's first posting).
    pub delta: u32,
    /// Frequency in title, headings, body.
    pub tf: [u32; 3],
}

/// Appends one posting.
pub fn write(out: &mut Vec<u8>, delta: u32, tf: [u32; 3]) {
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
}

/// Reads one posting; `None` at the end or on corrupt bytes.
#[inline]
pub fn read(r: &mut Reader<'_>) -> Option<Posting> {
    let delta = r.u32()?;
    let packed = r.u32()?;
    let title = if packed & 2 != 0 { r.u32()? } else { 0 };
    let headings = if packed & 1 != 0 { r.u32()? } else { 0 };
    Some(Posting {
        delta,
        tf: [title, headings, packed >> 2],
    })
}
