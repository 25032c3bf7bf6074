/**
 * scour's search worker: the engine of a large index, off the page's main thread, so
 * that compiling it, copying its index in and answering each keystroke never block
 * typing or scrolling. `scour.js` starts it (`load()` does, for a bundle built from a
 * large site, or with `load({ worker: true })`) and speaks to it; a page never talks to
 * it directly.
 *
 * Messages in: `{ id, op, args }`, `op` one of `open`, `search`, `addChunk`, `addChunks`, `verify`.
 * Messages out: `{ id, ok: true, value }` or `{ id, ok: false, error }` (a message).
 *
 * @module scour-worker
 */

/** @type {any} The wasm-bindgen engine, once opened. */
let engine = null;

// The glue is fetched as soon as the worker starts, while the page compiles the wasm.
const glueModule = import("./scour_engine.js");
glueModule.catch(() => {});

const ops = {
  /** @param {WebAssembly.Module} [module] The engine, compiled by the page. */
  async open(module) {
    const glue = await glueModule;
    await glue.default({ module_or_path: module ?? fetch(new URL("./scour_engine_bg.wasm", import.meta.url)) });
    engine = glue.Engine.openEmbedded();
    return { bytes: engine.indexBytes, documents: engine.documents, options: typeof engine.searchWith === "function" };
  },
  search(query, max, spec) {
    return spec ? engine.searchWith(query, max, spec) : engine.searchJson(query, max);
  },
  addChunk(id, bytes) {
    engine.addChunk(id, bytes);
  },
  addChunks(file, bytes) {
    engine.addChunks(file, bytes);
  },
  verify() {
    engine.verify();
  },
};

self.onmessage = async ({ data }) => {
  const { id, op, args } = data ?? {};
  try {
    if (!Object.hasOwn(ops, op)) throw new Error(`unknown request ${op}`);
    if (op !== "open" && engine === null) throw new Error("the engine is not open");
    self.postMessage({ id, ok: true, value: await ops[op](...(args ?? [])) });
  } catch (error) {
    self.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
