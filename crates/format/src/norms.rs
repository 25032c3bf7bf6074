//! Field lengths (token counts of a document's title, headings or body) as one-byte
//! codes, which each posting carries for the fields its term occurs in
//! ([`crate::postings`]).
//!
//! A length below 16 is its own code; above, a code keeps the top five bits of the
//! length (a 4-bit mantissa after the leading one) and the shift, so it is within 1/32
//! of the length up to half a million tokens (longer fields count as 516,096). BM25 only
//! compares a length with the average, and this precision does not change a rank; a
//! byte instead of a varint keeps a posting of a long page as short as one of a short
//! page.
//!
//! # Example
//! ```
//! use scour_format::norms;
//! assert_eq!(norms::decode(norms::encode(12)), 12);
//! let body = norms::decode(norms::encode(70_000));
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
}
