//! The scour engine as a WebAssembly module: a thin `#[wasm_bindgen]` facade over
//! `scour-query`. All logic lives in the plain-Rust crates and is tested natively.
#![deny(missing_docs)]

mod embed;

use wasm_bindgen::prelude::*;

/// The search engine over the index embedded in this module.
#[wasm_bindgen]
pub struct Engine {
    bytes: &'static [u8],
}

#[wasm_bindgen]
impl Engine {
    /// Opens the index embedded in this module (O(1): nothing is copied or decoded).
    #[wasm_bindgen(js_name = openEmbedded)]
    pub fn open_embedded() -> Result<Engine, JsError> {
        Ok(Engine { bytes: embed::index_bytes() })
    }

    /// Bytes of the embedded index.
    #[wasm_bindgen(getter, js_name = indexBytes)]
    pub fn index_bytes(&self) -> usize {
        self.bytes.len()
    }
}
