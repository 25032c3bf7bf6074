//! One posting (a term in one document), written by the index builder and read by
//! the engine through the same two functions, so the layout cannot drift.
//!
//! ```text
//! varint  document delta (the first posting of a term: the document itself)
//! varint  tf_body << 2 | (tf_title > 0) << 1 | (tf_headings > 0)
//! varint  tf_title      (only when its flag is set)
//! varint  tf_headings   (only when its flag is set)
//! varint× tf_title + tf_headings + tf_body position deltas (the first absolute)
//! ```
//!
//! Most postings are in the body only: one byte carries all three frequencies, and the
//! positions need no length prefix because their count is the frequency.
//!
//! # Example
//! ```
//! use scour_format::{postings, varint::Reader};
//! let mut buf = Vec::new();
//! postings::write(&mut buf, 7, [1, 0, 2], &[0, 20, 23]);
//! let mut r = Reader::new(&buf);
//! let p = postings::read(&mut r).unwrap();
//! assert_eq!((p.delta, p.tf), (7, [1, 0, 2]));
//! assert_eq!(postings::positions(&buf[p.positions]), [0, 20, 23]);
//! ```

use std::ops::Range;

use crate::varint::{self, Reader};

/// A decoded posting header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    /// Document delta (absolute for a term's first posting).
    pub delta: u32,
    /// Frequency in title, headings, body.
    pub tf: [u32; 3],
    /// Byte range of the positions in the buffer the reader reads.
    pub positions: Range<usize>,
}

/// Appends one posting. `positions` are sorted and hold one entry per occurrence
/// (`tf[0] + tf[1] + tf[2]` of them).
pub fn write(out: &mut Vec<u8>, delta: u32, tf: [u32; 3], positions: &[u32]) {
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
    let mut prev = 0;
    for &p in positions {
        varint::write(out, p - prev);
        prev = p;
    }
}

/// Reads one posting, skipping over its positions; `None` at the end or on corrupt
/// bytes.
#[inline]
pub fn read(r: &mut Reader<'_>) -> Option<Posting> {
    let delta = r.u32()?;
    let packed = r.u32()?;
    let title = if packed & 2 != 0 { r.u32()? } else { 0 };
    let headings = if packed & 1 != 0 { r.u32()? } else { 0 };
    let tf = [title, headings, packed >> 2];
    let count = title.checked_add(headings)?.checked_add(packed >> 2)?;
    let start = r.position();
    r.skip_varints(count as usize)?;
    Some(Posting {
        delta,
        tf,
        positions: start..r.position(),
    })
}

/// Decodes the positions bytes of one posting.
pub fn positions(bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    positions_into(bytes, &mut out);
    out
}

/// Decodes the positions bytes of one posting into `out` (cleared first).
pub fn positions_into(bytes: &[u8], out: &mut Vec<u32>) {
    out.clear();
    let mut r = Reader::new(bytes);
    let mut p: u32 = 0;
    while let Some(d) = r.u32() {
        p = p.saturating_add(d);
        out.push(p);
    }
}
