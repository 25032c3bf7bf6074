//! The term-info section: where each term's postings are, its document frequency and
//! its stem group, by term ordinal. Written by the index builder and read by the engine
//! through the functions below, so the layout cannot drift.
//!
//! ```text
//! per block of BLOCK terms, then one end entry:
//!   u32  postings offset of the block's first term
//!   u32  offset (from the section start) of the block's first entry
//! per term, the entries:
//!   varint  postings length in bytes
//!   varint  document frequency
//!   varint  stem group + 1 (0 = none)
//! ```
//!
//! Fixed-width entries (12 bytes a term) took 87 KB of brotli on the Rust books; varint
//! entries in blocks take 46 KB. A lookup decodes at most `BLOCK - 1` entries before its
//! own.
//!
//! # Example
//! ```
//! use scour_format::term_info::{self, Entry};
//! let table = term_info::write(&[(5, 2, None), (3, 1, Some(7))]);
//! assert_eq!(term_info::read(&table, 1), Some(Entry { start: 5, end: 8, df: 1, group: Some(7) }));
//! assert_eq!(term_info::read(&table, 2), None);
//! assert!(table.len() >= term_info::min_len(2));
//! ```

use crate::varint::{self, Reader};
use crate::{read_u32, table_u32};

/// Terms per block.
pub const BLOCK: usize = 32;

/// What the index knows of one term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Byte range of its postings in the postings section.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// Documents holding it.
    pub df: u32,
    /// Its stem group, if it shares its stem with other terms.
    pub group: Option<u32>,
}

/// The section for `terms` given in ordinal order as (postings length, document
/// frequency, stem group); postings are laid out back to back from offset 0.
pub fn write(terms: &[(u32, u32, Option<u32>)]) -> Vec<u8> {
    let blocks = terms.len().div_ceil(BLOCK);
    let header = (blocks + 1) * 8;
    let mut data = Vec::new();
    let mut table = Vec::with_capacity(header);
    let mut postings = 0u32;
    for (i, &(len, df, group)) in terms.iter().enumerate() {
        if i % BLOCK == 0 {
            table.extend_from_slice(&postings.to_le_bytes());
            table.extend_from_slice(&((header + data.len()) as u32).to_le_bytes());
        }
        varint::write(&mut data, len);
        varint::write(&mut data, df);
        varint::write(&mut data, group.map_or(0, |g| g.saturating_add(1)));
        postings = postings.saturating_add(len);
    }
    table.extend_from_slice(&postings.to_le_bytes());
    table.extend_from_slice(&((header + data.len()) as u32).to_le_bytes());
    table.extend_from_slice(&data);
    table
}

/// The entry of term `ord`; `None` past the last term or on corrupt bytes.
pub fn read(table: &[u8], ord: u32) -> Option<Entry> {
    let block = ord as usize / BLOCK;
    let mut start = table_u32(table, block * 2)? as usize;
    let from = table_u32(table, block * 2 + 1)? as usize;
    // the next block's entry bounds this one's entries (the end entry, the last's)
    let to = read_u32(table, (block + 1) * 8 + 4)? as usize;
    let mut r = Reader::new(table.get(from..to)?);
    for _ in 0..ord as usize % BLOCK {
        start = start.checked_add(r.u32()? as usize)?;
        r.u32()?;
        r.u32()?;
    }
    let len = r.u32()? as usize;
    let df = r.u32()?;
    let group = r.u32()?.checked_sub(1);
    Some(Entry {
        start,
        end: start.checked_add(len)?,
        df,
        group,
    })
}

/// The least length of the section of `terms` terms (its block table).
pub fn min_len(terms: usize) -> usize {
    (terms.div_ceil(BLOCK) + 1) * 8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips(terms in proptest::collection::vec((0u32..5000, 1u32..3000, proptest::option::of(0u32..100_000)), 0..200)) {
            let table = write(&terms);
            prop_assert!(table.len() >= min_len(terms.len()));
            let mut start = 0usize;
            for (i, &(len, df, group)) in terms.iter().enumerate() {
                let e = read(&table, i as u32).unwrap();
                prop_assert_eq!(e, Entry { start, end: start + len as usize, df, group });
                start += len as usize;
            }
            prop_assert_eq!(read(&table, terms.len() as u32), None);
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), ord in 0u32..100) {
            let _ = read(&bytes, ord);
        }
    }
}
