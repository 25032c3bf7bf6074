//! LEB128 variable-length unsigned integers: the postings, term info and stored
//! documents are sequences of small numbers, most of which fit in one byte.
//!
//! Decoding never panics: a truncated or over-long varint yields `None`.
//!
//! # Example
//! ```
//! use scour_format::varint;
//! let mut buf = Vec::new();
//! varint::write(&mut buf, 300);
//! let mut r = varint::Reader::new(&buf);
//! assert_eq!(r.u32(), Some(300));
//! assert!(r.is_empty());
//! ```

/// Appends `v` to `out`.
pub fn write(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-prefixed string.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    write(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// Appends increasing `values` as deltas (the first from 0): the stem groups' term
/// ordinals and the documents' filter values.
pub fn write_deltas(out: &mut Vec<u8>, values: impl IntoIterator<Item = u32>) {
    let mut prev = 0;
    for v in values {
        write(out, v - prev);
        prev = v;
    }
}

/// Decodes bytes written by [`write_deltas`] into `out`; corrupt bytes end the list.
pub fn read_deltas(bytes: &[u8], out: &mut Vec<u32>) {
    let mut r = Reader::new(bytes);
    let mut v: u32 = 0;
    while let Some(d) = r.u32() {
        v = v.saturating_add(d);
        out.push(v);
    }
}

/// A bounds-checked cursor over varint-coded bytes.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    /// The next varint, or `None` at the end or on a malformed varint.
    #[inline]
    pub fn u32(&mut self) -> Option<u32> {
        let mut v: u32 = 0;
        let mut shift = 0;
        loop {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            if shift == 28 && b > 0x0F {
                return None;
            }
            v |= ((b & 0x7F) as u32) << shift;
            if b < 0x80 {
                return Some(v);
            }
            shift += 7;
            if shift > 28 {
                return None;
            }
        }
    }

    /// The next `n` raw bytes.
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let b = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(b)
    }

    /// The next length-prefixed string; invalid UTF-8 yields `None`.
    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.bytes(n)?).ok()
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> Option<()> {
        self.bytes(n).map(|_| ())
    }

    /// True when every byte was read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// The current offset.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes not read yet: a bound on how many varints are left.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips(values in proptest::collection::vec(any::<u32>(), 0..50)) {
            let mut buf = Vec::new();
            for &v in &values { write(&mut buf, v); }
            let mut r = Reader::new(&buf);
            for &v in &values { prop_assert_eq!(r.u32(), Some(v)); }
            prop_assert!(r.is_empty());
        }

        #[test]
        fn deltas_round_trip(mut values in proptest::collection::vec(any::<u32>(), 0..50)) {
            values.sort_unstable();
            let mut buf = Vec::new();
            write_deltas(&mut buf, values.iter().copied());
            let mut out = Vec::new();
            read_deltas(&buf, &mut out);
            prop_assert_eq!(out, values);
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut r = Reader::new(&bytes);
            while r.u32().is_some() {}
            let mut r = Reader::new(&bytes);
            let _ = r.str();
        }
    }

    #[test]
    fn overlong_is_rejected() {
        assert_eq!(Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).u32(), None);
        assert_eq!(Reader::new(&[0x80]).u32(), None);
    }
}
