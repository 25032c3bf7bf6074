//! The facets section: every filter value (a key and a value, `tags: rust`) once, and
//! which of them each document carries. Written by the index builder and read by the
//! engine (filters, facet counts) through [`write()`] and [`Facets`], so the layout
//! cannot drift.
//!
//! ```text
//! u32            value count v
//! u32            document count d: up to the last document that carries a value
//!                (the ones after it carry none and take no bytes)
//! (v + 1) × u32  offset of each value record from the start of the records (the last:
//!                their end)
//! (d + 1) × u32  offset of each document's list from the start of the lists (the
//!                last: their end)
//! the value records: str key, str value, sorted by key then value (a value's id is
//!                its rank)
//! the lists: per document, the ids of its values, increasing, as varint deltas
//! ```
//!
//! A filter reads each document's list, not its stored record: a few bytes a document
//! rather than its whole text.
//!
//! # Example
//! ```
//! use scour_format::facets::{self, Facets};
//! let section = facets::write(&[vec![("tags", "rust"), ("lang", "en")], vec![], vec![("tags", "rust")]]);
//! let f = Facets::read(&section);
//! assert_eq!(f.value_count(), 2);
//! assert_eq!(f.value(0), Some(("lang", "en")));
//! let mut values = Vec::new();
//! f.doc_values(2, &mut values);
//! assert_eq!(values, [1]);
//! f.doc_values(0, &mut values);
//! assert_eq!(values, [0, 1]);
//! ```

use std::collections::BTreeSet;

use crate::table_u32;
use crate::varint::{self, Reader};

/// The section for these documents' filter values, as (key, value) pairs per document
/// in document order (in any order, repeats allowed).
pub fn write<S: AsRef<str>>(docs: &[Vec<(S, S)>]) -> Vec<u8> {
    let values: Vec<(&str, &str)> = docs
        .iter()
        .flatten()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut value_data = Vec::new();
    let mut value_offsets = Vec::with_capacity(values.len() + 1);
    for (k, v) in &values {
        value_offsets.push(value_data.len() as u32);
        varint::write_str(&mut value_data, k);
        varint::write_str(&mut value_data, v);
    }
    value_offsets.push(value_data.len() as u32);
    // A site without filters would otherwise spend 4 bytes a document on empty lists:
    // 589 KB of WordNet's core, which every visit holds in memory twice (the engine
    // module and its linear memory). The reader gives no values past the count.
    let docs = &docs[..docs
        .iter()
        .rposition(|fs| !fs.is_empty())
        .map_or(0, |i| i + 1)];
    let mut list_data = Vec::new();
    let mut list_offsets = Vec::with_capacity(docs.len() + 1);
    let mut ids = Vec::new();
    for fs in docs {
        list_offsets.push(list_data.len() as u32);
        // every pair is among the values: the search cannot miss
        ids.clear();
        ids.extend(fs.iter().filter_map(|(k, v)| {
            let id = values.binary_search(&(k.as_ref(), v.as_ref())).ok()?;
            Some(id as u32)
        }));
        ids.sort_unstable();
        ids.dedup();
        varint::write_deltas(&mut list_data, ids.iter().copied());
    }
    list_offsets.push(list_data.len() as u32);
    let header = 4 * (2 + value_offsets.len() + list_offsets.len());
    let mut out = Vec::with_capacity(header + value_data.len() + list_data.len());
    out.extend_from_slice(&(values.len() as u32).to_le_bytes());
    out.extend_from_slice(&(docs.len() as u32).to_le_bytes());
    for o in value_offsets.iter().chain(&list_offsets) {
        out.extend_from_slice(&o.to_le_bytes());
    }
    out.extend_from_slice(&value_data);
    out.extend_from_slice(&list_data);
    out
}

/// Reader of the facets section, in place.
#[derive(Clone, Copy, Debug, Default)]
pub struct Facets<'a> {
    values: u32,
    docs: u32,
    bytes: &'a [u8],
}

impl<'a> Facets<'a> {
    /// Reads the section (O(1)); corrupt counts read as a section with no values.
    pub fn read(bytes: &'a [u8]) -> Facets<'a> {
        let values = table_u32(bytes, 0).unwrap_or(0);
        let docs = table_u32(bytes, 1).unwrap_or(0);
        // counts whose tables do not fit in the section are corrupt: no facets, rather
        // than a loop over four billion values (filters scan every value)
        let header = 4 * (4 + u64::from(values) + u64::from(docs));
        if header > bytes.len() as u64 {
            return Facets::default();
        }
        Facets {
            values,
            docs,
            bytes,
        }
    }

    /// Where the value records and the document lists start.
    fn area(&self) -> (usize, usize) {
        let header = 2 + self.values as usize + 1 + self.docs as usize + 1;
        let values_area = header * 4;
        let lists_area =
            values_area + table_u32(self.bytes, 2 + self.values as usize).unwrap_or(0) as usize;
        (values_area, lists_area)
    }

    /// Distinct filter values.
    pub fn value_count(&self) -> u32 {
        self.values
    }

    /// The (key, value) of value id `id`.
    pub fn value(&self, id: u32) -> Option<(&'a str, &'a str)> {
        if id >= self.values {
            return None;
        }
        let (values_area, _) = self.area();
        let off = table_u32(self.bytes, 2 + id as usize)? as usize;
        let mut r = Reader::new(self.bytes.get(values_area + off..)?);
        Some((r.str()?, r.str()?))
    }

    /// The value ids of document `doc`, increasing, into `out` (cleared first; empty
    /// past the last document or on corrupt bytes).
    #[inline]
    pub fn doc_values(&self, doc: u32, out: &mut Vec<u32>) {
        out.clear();
        if doc >= self.docs {
            return;
        }
        let (_, lists_area) = self.area();
        let base = 2 + self.values as usize + 1 + doc as usize;
        let (Some(s), Some(e)) = (table_u32(self.bytes, base), table_u32(self.bytes, base + 1))
        else {
            return;
        };
        let Some(bytes) = self
            .bytes
            .get(lists_area + s as usize..lists_area + e as usize)
        else {
            return;
        };
        varint::read_deltas(bytes, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_layout_is_the_documented_one() {
        let section = write(&[vec![("t", "b"), ("t", "a")], vec![("t", "b")]]);
        let mut expected: Vec<u8> = [2u32, 2, 0, 4, 8, 0, 2, 3]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        // the values sorted, then the lists: ids 0, 1 (deltas 0, 1) and id 1
        expected.extend_from_slice(&[1, b't', 1, b'a', 1, b't', 1, b'b', 0, 1, 1]);
        assert_eq!(section, expected);
    }

    #[test]
    fn no_filters_read_as_no_values() {
        let section = write::<&str>(&[vec![], vec![]]);
        let f = Facets::read(&section);
        assert_eq!(f.value_count(), 0);
        let mut out = vec![7];
        f.doc_values(1, &mut out);
        assert!(out.is_empty());
        assert_eq!(f.value(0), None);
    }

    #[test]
    fn documents_after_the_last_with_a_value_take_no_bytes() {
        let none = write::<&str>(&vec![vec![]; 1000]);
        assert_eq!(none.len(), 16);
        let f = Facets::read(&none);
        let mut out = vec![7];
        f.doc_values(999, &mut out);
        assert!(out.is_empty());
        let mut docs = vec![vec![]; 10];
        docs[3] = vec![("t", "a")];
        let section = write(&docs);
        assert_eq!(table_u32(&section, 1), Some(4));
        let f = Facets::read(&section);
        for d in 0..10 {
            f.doc_values(d, &mut out);
            assert_eq!(out, if d == 3 { vec![0] } else { vec![] });
        }
    }

    #[test]
    fn counts_past_the_section_are_no_facets() {
        let mut section = write(&[vec![("t", "a")]]);
        section[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(Facets::read(&section).value_count(), 0);
    }

    proptest! {
        #[test]
        fn round_trips(docs in proptest::collection::vec(
            proptest::collection::vec(("[a-c]{0,2}", "[x-z]{0,2}"), 0..4), 0..20)) {
            let f_bytes = write(&docs);
            let f = Facets::read(&f_bytes);
            let mut out = Vec::new();
            for (d, pairs) in docs.iter().enumerate() {
                f.doc_values(d as u32, &mut out);
                let mut got: Vec<(String, String)> = out
                    .iter()
                    .map(|&id| {
                        let (k, v) = f.value(id).unwrap();
                        (k.to_owned(), v.to_owned())
                    })
                    .collect();
                let mut want = pairs.clone();
                want.sort();
                want.dedup();
                got.sort();
                prop_assert_eq!(got, want);
                prop_assert!(out.windows(2).all(|w| w[0] < w[1]));
            }
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), id in 0u32..50) {
            let f = Facets::read(&bytes);
            let _ = f.value(id);
            let mut out = Vec::new();
            f.doc_values(id, &mut out);
        }
    }
}
