//! Where the engine finds its index.
//!
//! Two places, checked in this order:
//!
//! 1. **The index slot**, filled by `scour build` without recompiling (microsoft/docfind's
//!    way). The CLI carries this module prebuilt; to give it a site's index it appends an
//!    active data segment holding the index at the end of the module's initial linear
//!    memory (growing the memory's initial pages to make room) and rewrites
//!    [`INDEX_SLOT`], found in the data section by its two magic words, to
//!    `[SLOT_MAGIC[0], SLOT_MAGIC[1], offset, len]`. See `crates/cli/src/bundle.rs`.
//! 2. **The index compiled in** by the root `build.rs` (`seeds/` or `$SCOUR_SOURCE`),
//!    used by `cargo build --target wasm32-unknown-unknown`, the wasm-bindgen tests and
//!    every native build. It is empty in the engine the CLI carries (`SCOUR_SOURCE=none`).

/// The index compiled into the module by the root `build.rs`.
static COMPILED_IN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// The two words that mark [`INDEX_SLOT`] in the module's data section.
///
/// Not ASCII, so that no text an index holds is likely to contain them; the CLI keeps
/// the same values (`bundle::SLOT_MAGIC`) and refuses a module with zero or several
/// matches.
#[cfg(target_arch = "wasm32")]
const SLOT_MAGIC: [u32; 2] = [0x8A3F_61C5, 0xD47E_0B92];

/// `[magic, magic, offset, len]`: where `scour build` placed the index in linear
/// memory. `len == 0` means it placed none.
///
/// Read only with volatile loads ([`slot`]): the compiler sees a constant `[.., 0, 0]`
/// and would otherwise fold every read of it away, before the CLI ever patches it.
#[cfg(target_arch = "wasm32")]
static INDEX_SLOT: [u32; 4] = [SLOT_MAGIC[0], SLOT_MAGIC[1], 0, 0];

/// The index this engine searches: the one `scour build` placed in the module, else
/// the one compiled in (which may be empty).
pub fn index_bytes() -> &'static [u8] {
    #[cfg(target_arch = "wasm32")]
    if let Some(bytes) = slot() {
        return bytes;
    }
    COMPILED_IN
}

/// The index `scour build` placed in linear memory, if it placed one.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)] // The project's only `unsafe`: reading memory no Rust value owns.
fn slot() -> Option<&'static [u8]> {
    // SAFETY: `INDEX_SLOT` is a live, aligned static; volatile reads of it are plain
    // loads that the optimiser must keep.
    let (offset, len) = unsafe {
        (
            core::ptr::read_volatile(&INDEX_SLOT[2]) as usize,
            core::ptr::read_volatile(&INDEX_SLOT[3]) as usize,
        )
    };
    if len == 0 {
        return None;
    }
    let memory_end = core::arch::wasm32::memory_size(0).saturating_mul(65_536);
    if offset == 0 || offset.checked_add(len).is_none_or(|end| end > memory_end) {
        // A slot that points outside memory was not written by `scour build`: hand
        // back no bytes, so opening fails with an error instead of a trap.
        return Some(&[]);
    }
    // SAFETY: `scour build` placed exactly `len` bytes at `offset` with an active data
    // segment, at or beyond the end of the module's original initial memory, so past
    // `__heap_base`, the stack and every static. Nothing in the module writes there:
    // Rust's wasm allocator only hands out memory it obtained from `memory.grow`, which
    // starts after the (grown) initial memory. So the bytes are initialised before any
    // code runs, in bounds (checked above), and never mutated: valid for `'static`.
    Some(unsafe { core::slice::from_raw_parts(offset as *const u8, len) })
}
