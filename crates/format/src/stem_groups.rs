//! The stem groups: the terms that share a stem (`vaccine`, `vaccines`, `vaccinated`),
//! by group ordinal. The stems dictionary maps a stem to its group, and a term's
//! group is in its term info; the section lists each group's terms. Written by the
//! index builder and read by the engine through the functions below, so the layout
//! cannot drift; a stems chunk of the lazy layout holds its groups the same way.
//!
//! ```text
//! (g + 1) × u32  offset of each group's list, from the end of this table (the last:
//!                the end of the lists)
//! per group: its term ordinals, increasing, as varint deltas
//! ```
//!
//! # Example
//! ```
//! use scour_format::stem_groups;
//! let table = stem_groups::write([&[3, 4, 9][..], &[7]]);
//! assert!(table.len() >= stem_groups::min_len(2));
//! let mut terms = Vec::new();
//! stem_groups::read(&table, 2, 0, &mut terms);
//! assert_eq!(terms, [3, 4, 9]);
//! stem_groups::read(&table, 2, 1, &mut terms);
//! assert_eq!(terms, [3, 4, 9, 7]);
//! ```

use crate::table_u32;
use crate::varint;

/// The table of these groups, each a list of increasing term ordinals, in group order.
pub fn write<'a>(groups: impl IntoIterator<Item = &'a [u32]>) -> Vec<u8> {
    let mut offsets: Vec<u8> = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    for terms in groups {
        offsets.extend_from_slice(&(data.len() as u32).to_le_bytes());
        varint::write_deltas(&mut data, terms.iter().copied());
    }
    offsets.extend_from_slice(&(data.len() as u32).to_le_bytes());
    offsets.extend_from_slice(&data);
    offsets
}

/// Appends the term ordinals of group `g` of a table of `groups` groups to `out`;
/// nothing for a group past the last, corrupt bytes end the list.
pub fn read(table: &[u8], groups: u32, g: u32, out: &mut Vec<u32>) {
    if g >= groups {
        return;
    }
    let (Some(start), Some(end)) = (
        table_u32(table, g as usize),
        table_u32(table, g as usize + 1),
    ) else {
        return;
    };
    let data = min_len(groups as usize);
    if let Some(bytes) =
        table.get(data.saturating_add(start as usize)..data.saturating_add(end as usize))
    {
        varint::read_deltas(bytes, out);
    }
}

/// The least length of a table of `groups` groups (its offsets).
pub fn min_len(groups: usize) -> usize {
    groups.saturating_add(1).saturating_mul(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_layout_is_the_documented_one() {
        let table = write([&[2, 5][..], &[], &[300]]);
        let mut expected: Vec<u8> = [0u32, 2, 2, 4]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        // deltas 2, 3; nothing; 300 in two bytes
        expected.extend_from_slice(&[2, 3, 0xAC, 0x02]);
        assert_eq!(table, expected);
        assert_eq!(write(std::iter::empty()), 0u32.to_le_bytes());
    }

    proptest! {
        #[test]
        fn round_trips(groups in proptest::collection::vec(proptest::collection::btree_set(0u32..100_000, 0..20), 0..30)) {
            let groups: Vec<Vec<u32>> = groups.into_iter().map(|g| g.into_iter().collect()).collect();
            let table = write(groups.iter().map(Vec::as_slice));
            prop_assert!(table.len() >= min_len(groups.len()));
            let n = groups.len() as u32;
            for (g, terms) in groups.iter().enumerate() {
                let mut out = Vec::new();
                read(&table, n, g as u32, &mut out);
                prop_assert_eq!(&out, terms);
            }
            let mut out = Vec::new();
            read(&table, n, n, &mut out);
            prop_assert!(out.is_empty());
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), groups in 0u32..u32::MAX, g in 0u32..50) {
            let mut out = Vec::new();
            read(&bytes, groups, g, &mut out);
        }
    }
}
