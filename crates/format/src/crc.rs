//! CRC-32 (IEEE 802.3), table-driven. A few lines instead of a dependency: it is only
//! used by `verify()` and the writer, and the table is 1 KiB in the wasm.

const fn make_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static TABLE: [u32; 256] = make_table();

/// The CRC-32 (IEEE) of `bytes`.
///
/// # Example
/// ```
/// assert_eq!(scour_format::crc32(b"123456789"), 0xCBF4_3926);
/// ```
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c = TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

/// The CRC-32 of bytes given in parts: start from `!0`, feed each part in order, and
/// invert the result (`!crc32_update(crc32_update(!0, a), b)` is the CRC of `a` then
/// `b`). For writers that stream what they checksum.
pub(crate) fn crc32_update(mut c: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        c = TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    c
}
