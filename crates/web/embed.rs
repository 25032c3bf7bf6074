//! Where the index lives inside the module (placeholder until the embed mechanism lands).

/// The embedded index bytes.
pub fn index_bytes() -> &'static [u8] {
    &[]
}
