//! The scour engine as a WebAssembly module: a thin `#[wasm_bindgen]` facade over
//! `scour-query`. All logic lives in the plain-Rust crates and is tested natively;
//! errors become `JsError`s only here, at the boundary.
//!
//! JavaScript uses it through `scour.js` (`www/scour.js`):
//! ```js
//! import { load } from "./scour.js";
//! const index = await load();
//! const { hits, total, suggestion } = await index.search("qr codes", { limit: 10 });
//! ```
#![deny(missing_docs)]

mod embed;

use scour_query::{Index, Lookup, SearchOptions};
use wasm_bindgen::prelude::*;

/// The search engine over the index embedded in this module.
#[wasm_bindgen]
pub struct Engine {
    index: Index<&'static [u8]>,
}

#[wasm_bindgen]
impl Engine {
    /// Opens the index embedded in this module. Nothing is copied; the dictionaries are
    /// walked once, so that no bytes can make a search trap. A missing, truncated,
    /// wrong-version or damaged index is an error saying what to do.
    #[wasm_bindgen(js_name = openEmbedded)]
    pub fn open_embedded() -> Result<Engine, JsError> {
        let bytes = embed::index_bytes();
        if bytes.is_empty() {
            return Err(JsError::new(
                "this scour engine carries no index: build a bundle with `scour build <articles> --out <dir>`",
            ));
        }
        let index = Index::open(bytes).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Engine { index })
    }

    /// Checks the index checksum (O(size)); an error says what is wrong.
    pub fn verify(&self) -> Result<(), JsError> {
        self.index
            .verify()
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Searches: returns `{ total, hits: [{ id, url, title, score, snippet: { text,
    /// highlights } }], suggestion }` as a JSON string (`scour.js` parses it: one
    /// string crossing the boundary is smaller in wasm bytes and as fast as building JS
    /// objects from Rust). Never fails on any query.
    ///
    /// A lazy index answers `{ "need": [[id, file, fileFirst, packAt, packLength], …],
    /// "pack": "chunks/pack-….bin" }` instead while the query needs chunks it has not
    /// been given: fetch each chunk's deflated bytes from the pack with a Range request,
    /// inflate them and give them with `addChunk`, or fetch its fallback file and give
    /// it with `addChunks(fileNo, bytes)`; then search again.
    #[wasm_bindgen(js_name = searchJson)]
    pub fn search_json(&self, query: &str, limit: u32) -> String {
        let options = SearchOptions {
            limit: limit as usize,
            ..SearchOptions::default()
        };
        self.answer(query, &options)
    }

    /// Like `searchJson`, with filters, sorting, dates and facets in the compact form
    /// `scour.js` writes (`SearchOptions::from_spec`: lines of tab-separated fields).
    #[wasm_bindgen(js_name = searchWith)]
    pub fn search_with(&self, query: &str, limit: u32, spec: &str) -> String {
        self.answer(query, &SearchOptions::from_spec(spec, limit as usize))
    }

    /// Gives a lazy index chunk `id` (the bytes of the file `searchJson` named). Bytes
    /// that are not exactly that chunk (wrong length or checksum: a stale cache, a
    /// partial upload) are an error and change nothing.
    #[wasm_bindgen(js_name = addChunk)]
    pub fn add_chunk(&mut self, id: u32, bytes: Vec<u8>) -> Result<(), JsError> {
        self.index
            .add_chunk(id, bytes)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Gives the chunks of fallback file number `file` (`need`'s `fileNo`), back to
    /// back, each checked as `addChunk` does.
    #[wasm_bindgen(js_name = addChunks)]
    pub fn add_chunks(&mut self, file: u32, bytes: &[u8]) -> Result<(), JsError> {
        self.index
            .add_chunks(file, bytes)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Chunks of a lazy index (0: the whole index is in this module).
    #[wasm_bindgen(getter)]
    pub fn chunks(&self) -> u32 {
        self.index.chunk_count()
    }

    /// Documents in the index.
    #[wasm_bindgen(getter)]
    pub fn documents(&self) -> u32 {
        self.index.doc_count() as u32
    }

    /// Distinct terms in the index.
    #[wasm_bindgen(getter)]
    pub fn terms(&self) -> u32 {
        self.index.term_count() as u32
    }

    fn answer(&self, query: &str, options: &SearchOptions) -> String {
        match self.index.try_search(query, options) {
            Lookup::Done(results) => results.to_json(),
            Lookup::Need(ids) => {
                // names are `chunks/<letter or pack><digits>-<hex>.bin`: nothing to escape
                let mut out = String::from("{\"need\":[");
                for p in ids
                    .into_iter()
                    .filter_map(|id| Some((id, self.index.chunk_place(id)?)))
                {
                    let (id, p) = p;
                    if !out.ends_with('[') {
                        out.push(',');
                    }
                    out.push_str(&format!(
                        "[{id},\"{}\",{},{},{}]",
                        p.file, p.file_no, p.pack_at, p.pack_len
                    ));
                }
                out.push_str("],\"pack\":\"");
                out.push_str(self.index.pack_name().unwrap_or_default());
                out.push_str("\"}");
                out
            }
        }
    }

    /// Bytes of the embedded index.
    #[wasm_bindgen(getter, js_name = indexBytes)]
    pub fn index_bytes(&self) -> u32 {
        self.index.byte_len() as u32
    }
}
