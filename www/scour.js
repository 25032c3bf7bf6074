/**
 * scour: full-text search that runs in the visitor's browser.
 *
 * The engine is a WebAssembly module with the site's index inside it; this module
 * loads it once and searches it. A large site's index is lazy: the module holds what
 * finds the dictionary (so prefixes, stems and typos are understood at once) and the
 * dictionary, postings and stored text come in chunks, fetched in parallel the first
 * time a query needs them and kept for the next: each chunk on its own from the pack
 * (`chunks/pack-….bin`) with an HTTP Range request, or, from a host that does not
 * answer those, the chunk files (`chunks/…`) holding it.
 *
 * ```js
 * import { load } from "./scour.js";
 * const index = await load();                  // or load({ verify: true })
 * const { hits, total, suggestion } = await index.search("qr codes", { limit: 10 });
 * ```
 *
 * It expects `scour_engine.js` and `scour_engine_bg.wasm` (written by `scour build`)
 * beside it, and must be served over HTTP(S): browsers do not load modules or wasm
 * from `file://`.
 *
 * @module scour
 */

/** Rounds of chunk fetches one search may take (a query needs one or two). */
const MAX_ROUNDS = 6;

/** Whether `load()` searches in a worker by default: `scour build` sets it for an index
 * large enough that opening it and answering keystrokes would hold up the page. */
const LARGE_INDEX = false;

/** A lazy index's pack, relative to this module: `scour build` names it here, so that
 * whether the host answers Range requests is asked while the engine downloads. */
const PACK = null;

/**
 * A lazy index's dictionary chunks, written by `scour build`: `{ docs, bytes, terms,
 * postings, stems, files }`, each kind `[first chunk id, its offset in the pack,
 * [deflated length of each chunk], [first key of each chunk]]` (postings without keys,
 * and `null` when they are not cut as the terms are); `files` names the fallback files
 * holding them: `{ end, terms: [name before the number, first file's number, [first
 * chunk of each file, counted in the kind]], stems: … }` (the same files: a terms
 * file holds the postings of its terms and the stems of its key range too). With it,
 * `load()` resolves before the engine has arrived, and a search started meanwhile
 * fetches the chunks its words are in at once instead of a round trip after the
 * engine (see `ScourIndex#prefetch`).
 */
const PREFETCH = null;

/**
 * Whether chunks can come from the pack: the host says it answers Range requests
 * (`Accept-Ranges: bytes`, on a HEAD request sent at once, in parallel with the
 * engine) and sends the pack as it is, and the browser inflates raw DEFLATE. Offline,
 * a service worker controlling the page answers the ranges it has kept.
 *
 * @returns {Promise<boolean>}
 */
function packReadable() {
  if (!PACK || typeof DecompressionStream !== "function") return Promise.resolve(false);
  return fetch(new URL(PACK, import.meta.url), { method: "HEAD" }).then(
    (r) => r.ok && /\bbytes\b/.test(r.headers.get("accept-ranges") ?? "") && !r.headers.get("content-encoding"),
    () => Boolean(globalThis.navigator?.serviceWorker?.controller),
  );
}

/** The engine wasm, beside this module. */
const ENGINE = new URL("./scour_engine_bg.wasm", import.meta.url);

/** Thrown when a Range request was answered with the whole pack: use the files. */
const NO_RANGES = Symbol("no ranges");

/**
 * One search result. Index text is plain text: render it with `textContent`, never
 * as HTML; mark highlights with `<mark>` elements built from their offsets.
 *
 * @typedef {object} Hit
 * @property {string} id       The document's id.
 * @property {string} url      Where the document lives.
 * @property {string} title    Its title.
 * @property {number} score    Relevance: higher is better; only comparable within one search.
 * @property {{ text: string, highlights: Array<[number, number]> }} snippet
 *   A passage of the document around the matches, and where in `text` they are.
 */

/**
 * What {@link ScourIndex#search} resolves to.
 *
 * @typedef {object} SearchResult
 * @property {number} total             How many documents match (more than `hits` may hold).
 * @property {Hit[]} hits               The best matches, best first, at most `limit`.
 * @property {string | null} suggestion A corrected query when this one looks misspelt.
 */

/** @type {Promise<ScourIndex> | null} */
let opened = null;
/** @type {Promise<ScourIndex> | null} */
let verified = null;

/**
 * Loads the engine and opens its index. Memoised: every call returns the same promise
 * (one for `load()`, one for `load({ verify: true })`), so the wasm is fetched and
 * compiled once however many widgets ask. After a failure the next call tries again.
 *
 * @param {object} [options]
 * @param {boolean} [options.verify=false] Also check the whole index (checksums and
 *   structure) before resolving; opening alone checks the dictionaries (a few ms on a
 *   large site) and trusts the rest of the bytes, which searches read bounds-checked.
 * @param {boolean} [options.worker] Search in a Web Worker (`scour-worker.js`), off the
 *   page's main thread. Default: when the bundle's index is large (`scour build`
 *   decides); a worker that cannot start (an old browser, a CSP without `worker-src`)
 *   falls back to the main thread. The first call decides.
 * @returns {Promise<ScourIndex>} Rejects with an `Error` saying what went wrong. A lazy
 *   index's (unless `worker: true`) resolves before the engine has arrived, so that a
 *   search started at once fetches the chunks its words are in while the engine
 *   downloads; searches wait for the engine, and one that cannot load rejects them
 *   with an `Error` named `ScourUnavailableError` (and the next search loads it
 *   again).
 */
export function load({ verify = false, worker } = {}) {
  if (opened === null) {
    const ranges = packReadable();
    const start = () => (worker ?? (LARGE_INDEX && typeof Worker === "function") ? openWorker(worker === true, ranges) : open(undefined, ranges));
    const engine = start();
    const base = new URL(".", import.meta.url);
    // A lazy index's searches can start while the engine downloads: they fetch their
    // words' chunks meanwhile, and wait for the engine (its errors reject them, and the
    // next search loads it again). A caller that requires a worker learns at once
    // whether it started.
    opened = PREFETCH && worker !== true ? Promise.resolve(new ScourIndex(engine, base, ranges, PREFETCH, start)) : engine.then((e) => new ScourIndex(e, base, ranges));
    engine.catch(() => {
      opened = null;
    });
  }
  if (!verify) {
    return opened;
  }
  if (verified === null) {
    verified = opened.then((index) => index.verify().then(() => index));
    verified.catch(() => {
      verified = null;
    });
  }
  return verified;
}

/**
 * Fetches and compiles the engine wasm, for a worker: it downloads here while the
 * worker's own script does, and goes to it compiled.
 *
 * @returns {Promise<WebAssembly.Module>}
 */
function compileEngine() {
  const module = fetch(ENGINE).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // a host that sends another type: compile from the bytes instead
    return WebAssembly.compileStreaming(response.clone()).catch(() =>
      response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes)),
    );
  });
  module.catch(() => {});
  return module;
}

/**
 * Opens the engine on this thread.
 *
 * @param {Promise<WebAssembly.Module>} [module] The engine, compiled already.
 * @param {Promise<boolean>} [ranges] Whether the pack can be read by ranges.
 * @returns {Promise<any>} The engine, as {@link ScourIndex} speaks to it.
 */
async function open(module, ranges) {
  let glue;
  try {
    // The glue module and the wasm are fetched in parallel: one round trip, not two.
    const wasm = module ?? fetch(ENGINE);
    wasm.catch(() => {});
    glue = await import("./scour_engine.js");
    await glue.default({ module_or_path: await wasm });
  } catch (error) {
    throw wrap("could not load the search engine (scour_engine_bg.wasm)", error);
  }
  let engine;
  try {
    engine = glue.Engine.openEmbedded();
  } catch (error) {
    throw wrap("could not open the search index", error);
  }
  return {
    bytes: engine.indexBytes,
    documents: engine.documents,
    search(query, max, spec) {
      if (spec && typeof engine.searchWith === "function") return engine.searchWith(query, max, spec);
      // One JSON string across the wasm boundary: smaller engine, same speed.
      if (typeof engine.searchJson === "function") return engine.searchJson(query, max);
      throw new Error("this engine build cannot search (its scour_engine_bg.wasm has no search)");
    },
    addChunk: (id, bytes) => engine.addChunk(id, bytes),
    addChunks: (file, bytes) => engine.addChunks(file, bytes),
    verify() {
      if (typeof engine.verify !== "function") {
        throw new Error("this engine build cannot verify its index (no verify())");
      }
      engine.verify();
    },
  };
}

/**
 * Opens the engine in a worker (`scour-worker.js`); every call becomes a message.
 * Unless `required`, a worker that cannot start falls back to the main thread.
 *
 * @param {boolean} required
 * @param {Promise<boolean>} ranges Whether the pack can be read by ranges.
 * @returns {Promise<any>} The engine, as {@link ScourIndex} speaks to it.
 */
async function openWorker(required, ranges) {
  const module = compileEngine();
  let worker;
  let info;
  const pending = new Map();
  let next = 0;
  /** @type {Error | null} Why the worker stopped: later calls fail at once. */
  let dead = null;
  const call = (op, args = [], transfer = []) =>
    new Promise((resolve, reject) => {
      if (dead) return reject(dead);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args }, transfer);
    });
  try {
    worker = new Worker(new URL("./scour-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      const p = pending.get(data.id);
      pending.delete(data.id);
      if (data.ok) p?.resolve(data.value);
      else p?.reject(new Error(data.error));
    };
    // the worker's module could not load (a 404, a CSP forbidding workers)
    worker.onerror = (event) => {
      event.preventDefault?.();
      dead = new Error(event.message || "the search worker did not start");
      for (const p of pending.values()) p.reject(dead);
      pending.clear();
    };
    info = await call("open", [await module]);
  } catch (error) {
    worker?.terminate();
    if (required) throw wrap("could not start the search worker (scour-worker.js)", error);
    // a worker that did not start: the engine it was to get, or another try at it
    return open(module.catch(() => fetch(ENGINE)), ranges);
  }
  return {
    bytes: info.bytes,
    documents: info.documents,
    search: (query, max, spec) => call("search", [query, max, spec]),
    // the bytes move to the worker: a chunk is not copied
    addChunk: (id, bytes) => call("addChunk", [id, bytes], [bytes.buffer]),
    addChunks: (file, bytes) => call("addChunks", [file, bytes], [bytes.buffer]),
    verify: () => call("verify"),
  };
}

/**
 * An opened index. Get one from {@link load}.
 */
export class ScourIndex {
  /**
   * The engine, on this thread or in a worker, once it is there: `search(query, max,
   * spec)` gives the engine's JSON (or a promise of it), `addChunk(id, bytes)`,
   * `verify()`, and the index's `bytes` and `documents`.
   *
   * @type {any}
   */
  #engine = null;
  /** @type {Promise<any>} The engine, when it is there. */
  #ready;
  /** @type {any} `PREFETCH` of a lazy index whose engine may still be on its way. */
  #early;
  /** @type {Map<number, Promise<Uint8Array>>} Chunks fetched before the engine asked. */
  #prefetched = new Map();
  /** @type {Map<string, Promise<Uint8Array>>} Chunk files (for a host without ranges)
   * fetched before the engine asked. */
  #prefetchedFiles = new Map();
  /** @type {URL} Where chunk files are, relative to the engine. */
  #base;
  /** @type {Map<string, Promise<void>>} Chunks and files given or on their way. */
  #fetches = new Map();
  /** @type {Promise<boolean>} Whether chunks come from the pack by Range requests. */
  #ranges;

  /**
   * @param {any} engine The engine (see `#engine`), or a promise of it.
   * @param {URL} base The folder of the bundle.
   * @param {Promise<boolean>} [ranges] Whether the pack can be read by ranges.
   * @param {any} [early] `PREFETCH`, when `engine` is a promise.
   * @param {() => Promise<any>} [again] Loads the engine again, after `engine` failed.
   * @hideconstructor
   */
  constructor(engine, base, ranges = Promise.resolve(false), early = null, again = null) {
    this.#wait(engine);
    if (!(engine instanceof Promise)) this.#engine = engine;
    this.#base = base;
    this.#ranges = ranges;
    this.#early = early;
    this.#again = again;
  }

  /** @type {(() => Promise<any>) | null} Loads the engine again after a failure. */
  #again;

  /**
   * Waits for `engine` (an engine or a promise of one); a failure is kept for the
   * searches waiting, and the next search loads the engine again.
   *
   * @param {any} engine
   */
  #wait(engine) {
    this.#ready = Promise.resolve(engine).then(
      (e) => (this.#engine = e),
      (error) => {
        throw unavailable(error);
      },
    );
    this.#ready.catch(() => {
      if (!this.#again) return;
      // not before a search asks: a page that never searches again downloads nothing
      let start;
      const next = new Promise((resolve) => (start = resolve));
      this.#retry = () => start(this.#again());
      this.#wait(next);
    });
  }

  /** @type {(() => void) | null} Starts loading the engine again, once. */
  #retry = null;

  /**
   * The engine, when it is there (loading it again first if it failed).
   *
   * @returns {Promise<any>}
   */
  #engineReady() {
    const retry = this.#retry;
    this.#retry = null;
    retry?.();
    return this.#ready;
  }

  /**
   * Fetches, while the engine downloads, the pack's chunks a query's words are likely
   * in: for each word its terms chunk with the postings chunk cut alike, and the stems
   * chunk it would be in; for the word being typed, the (at most three) terms chunks its
   * prefix spans (from a host without ranges, the chunk files holding them). The words
   * are split and folded here as the engine's analyser does for plain words, only to
   * guess: whatever the engine then asks for that was not guessed comes in its next
   * round, and answers are the engine's alone.
   *
   * @param {string} query
   */
  #prefetch(query) {
    const early = this.#early;
    const words = query.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!early || !words.length) return;
    early.keys ??= [early.terms[3].map(utf8), early.stems[3].map(utf8)];
    const typing = /[\p{L}\p{N}]$/u.test(query);
    // [kind, chunk of the kind]
    const guesses = [];
    words.slice(0, 8).forEach((word, i) => {
      const key = utf8(word);
      const from = chunkOf(early.keys[0], key);
      const to = typing && i === words.length - 1 ? Math.min(chunkOf(early.keys[0], [...key, 0xff]), from + 2) : from;
      for (let c = Math.max(from, 0); c <= to; c++) {
        guesses.push(["terms", c]);
        if (early.postings) guesses.push(["postings", c]);
      }
      const stem = chunkOf(early.keys[1], key);
      if (stem >= 0) guesses.push(["stems", stem]);
    });
    this.#ranges.then((ranges) => {
      if (!ranges) {
        // a host without ranges: the files holding them
        guesses.forEach(([kind, c]) => {
          // a word's postings are in its terms chunk's file
          const [start, first, firsts] = early.files[kind === "stems" ? kind : "terms"];
          const f = lastAtMost(firsts, c);
          const name = `${start}${first + f}${early.files.end}`;
          if (f < 0 || this.#prefetchedFiles.has(name) || this.#fetches.has(name)) return;
          const bytes = this.#fetchFile(new URL(name, this.#base));
          bytes.catch(() => this.#prefetchedFiles.delete(name));
          this.#prefetchedFiles.set(name, bytes);
        });
        return;
      }
      for (const [id, at, len] of guesses.map(([kind, c]) => place(early[kind], c))) {
        if (this.#prefetched.has(id)) continue;
        const bytes = this.#range(id, at, len, PACK).then(([inflated]) => {
          if (inflated instanceof Error) throw inflated;
          return inflated;
        });
        bytes.catch(() => this.#prefetched.delete(id));
        this.#prefetched.set(id, bytes);
      }
    });
  }

  /**
   * Runs `task` once for `key`; concurrent searches share it, and a failure is
   * forgotten so the next search retries.
   *
   * @param {string} key
   * @param {() => Promise<void>} task
   * @returns {Promise<void>}
   */
  #once(key, task) {
    let pending = this.#fetches.get(key);
    if (!pending) {
      pending = task();
      pending.catch(() => this.#fetches.delete(key));
      this.#fetches.set(key, pending);
    }
    return pending;
  }

  /**
   * Fetches what a query needs (the engine's `need`: `[id, file, fileNo, packAt,
   * packLength]` per chunk) in parallel and gives it to the engine: each chunk from the
   * pack, or each file holding some.
   *
   * @param {Array<[number, string, number, number, number]>} need
   * @param {string} pack
   */
  async #fetchNeeds(need, pack) {
    if (pack && (await this.#ranges)) {
      try {
        // chunks fetched while the engine downloaded are given now
        const early = need.filter(([id]) => this.#prefetched.has(id));
        const given = early.map(([id, , , at, len]) =>
          this.#once(`early ${id}`, async () => {
            const bytes = await this.#prefetched.get(id).catch(() => null);
            if (!bytes) return this.#fromPack({ at, len, chunks: [[id, len]] }, pack);
            try {
              await this.#engine.addChunk(id, bytes);
            } catch (error) {
              throw wrap(`index chunk ${id} of ${new URL(pack, this.#base).pathname} is not this index's`, error);
            } finally {
              // given (or refused): the engine holds it now, not this copy
              this.#prefetched.delete(id);
            }
          }),
        );
        // chunks back to back in the pack (a typo's walk of the whole dictionary) come
        // in one request: over HTTP/1.1 a browser opens six connections, not hundreds
        const runs = [];
        const rest = need.filter(([id]) => !this.#prefetched.has(id));
        for (const [id, , , at, len] of rest.sort((a, b) => a[3] - b[3])) {
          const last = runs.at(-1);
          if (last && last.at + last.len === at) last.chunks.push([id, len]), (last.len += len);
          else runs.push({ at, len, chunks: [[id, len]] });
        }
        await Promise.all([...given, ...runs.map((run) => this.#once(`${run.chunks[0][0]}+${run.chunks.length}`, () => this.#fromPack(run, pack)))]);
        return;
      } catch (error) {
        if (error !== NO_RANGES) throw error;
        this.#ranges = Promise.resolve(false);
      }
    }
    const files = new Map(need.map(([, file, no]) => [file, no]));
    await Promise.all([...files].map(([file, no]) => this.#once(file, () => this.#fromFile(file, no))));
  }

  /**
   * Fetches a run of chunks back to back in the pack (deflated, `len` bytes from `at`),
   * inflates each and gives it.
   *
   * @param {{ at: number, len: number, chunks: Array<[number, number]> }} run
   * @param {string} pack
   */
  async #fromPack({ at, len, chunks }, pack) {
    const inflated = await this.#range(chunks[0][0], at, len, pack, chunks);
    const url = new URL(pack, this.#base);
    for (const [i, [id]] of chunks.entries()) {
      try {
        if (inflated[i] instanceof Error) throw inflated[i];
        await this.#engine.addChunk(id, inflated[i]);
      } catch (error) {
        throw wrap(`index chunk ${id} of ${url.pathname} is not this index's`, error);
      }
    }
  }

  /**
   * Fetches `len` bytes from `at` in the pack (chunks back to back, deflated: `[id,
   * length]` each) and inflates each chunk; a chunk that does not inflate is its Error.
   *
   * @param {number} first The first chunk's id (the request's URL names it).
   * @param {number} at
   * @param {number} len
   * @param {string} pack
   * @param {Array<[number, number]>} [chunks] Default: one chunk of `len` bytes.
   * @returns {Promise<Array<Uint8Array | Error>>}
   */
  async #range(first, at, len, pack, chunks = [[first, len]]) {
    const url = new URL(pack, this.#base);
    // A URL of its own per run: browsers serialise concurrent requests for one URL
    // (its HTTP cache entry), which would fetch a page of hits one range at a time.
    url.search = `chunk=${first}`;
    const response = await fetch(url, { headers: { Range: `bytes=${at}-${at + len - 1}` } });
    if (response.status !== 206) {
      response.body?.cancel().catch(() => {});
      if (response.ok) throw NO_RANGES;
      throw new Error(`scour: could not fetch index chunk ${first} from ${url.pathname}: HTTP ${response.status}`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const out = [];
    let from = 0;
    for (const [, size] of chunks) {
      const stream = new Blob([bytes.subarray(from, from + size)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      out.push(await new Response(stream).arrayBuffer().then((b) => new Uint8Array(b), (e) => e));
      from += size;
    }
    return out;
  }

  /**
   * Fetches chunk file number `no`, named `name`, and gives its chunks.
   *
   * @param {string} name
   * @param {number} no
   */
  async #fromFile(name, no) {
    const url = new URL(name, this.#base);
    // fetched while the engine downloaded, else now (again, if that failed)
    const early = this.#prefetchedFiles.get(name);
    this.#prefetchedFiles.delete(name);
    const bytes = (await early?.catch(() => null)) ?? (await this.#fetchFile(url));
    try {
      await this.#engine.addChunks(no, bytes);
    } catch (error) {
      throw wrap(`the index chunk ${url.pathname} is not this index's`, error);
    }
  }

  /**
   * Fetches a chunk file.
   *
   * @param {URL} url
   * @returns {Promise<Uint8Array>}
   */
  async #fetchFile(url) {
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`scour: could not fetch the index chunk ${url.pathname}: HTTP ${response.status}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * Searches the index.
   *
   * Queries are words (`qr codes`), "quoted phrases" and -exclusions; the last word
   * also matches as a prefix, and misspelt words match their closest terms. An empty
   * query with filters, a sort or dates lists the matching documents (browse mode).
   *
   * ```js
   * await index.search("release", {
   *   filters: { tags: ["rust", "wasm"], lang: { none: ["de"] } },  // any of / all / none
   *   sort: "-date",                                                // newest first ("date": oldest)
   *   from: "2021-11", to: "2022",                                  // on the `date` metadata
   *   facets: true,                                                 // count filter values
   * });
   * ```
   *
   * @param {string} query What the visitor typed.
   * @param {object} [options]
   * @param {number} [options.limit=10] How many hits to return at most.
   * @param {Record<string, string[] | {any?: string[], all?: string[], none?: string[]}>} [options.filters]
   *   Filter values per key: an array means "any of these".
   * @param {string} [options.sort] A metadata key to order by instead of relevance;
   *   `-key` for largest/newest first.
   * @param {string} [options.from] Only documents whose `date` is on or after this.
   * @param {string} [options.to] Only documents whose `date` is on or before this
   *   (a prefix: `2021-11` includes the whole month).
   * @param {boolean} [options.facets=false] Also return `facets`: `{ key: [[value, count], …] }`.
   * @param {number} [options.subresults=3] Sections (headings) shown under each hit.
   * @param {AbortSignal} [options.signal] Stops a search of a lazy index between its
   *   rounds of fetches (it rejects with the signal's reason): pass one per keystroke
   *   and abort the last, so a query typed past fetches no text for its prefixes' hits.
   * @returns {Promise<SearchResult>}
   */
  async search(query, { limit = 10, filters, sort, from, to, facets = false, subresults, signal } = {}) {
    if (!Number.isInteger(limit) || limit < 0) {
      throw new TypeError(`scour: limit must be a whole number ≥ 0, got ${limit}`);
    }
    if (!this.#engine) this.#prefetch(String(query));
    const engine = await this.#engineReady();
    // a keystroke typed past while the engine arrived: no search for it
    signal?.throwIfAborted();
    // The engine takes a u32; more hits than that cannot exist anyway.
    const max = Math.min(limit, 0xffffffff);
    const spec = optionsSpec({ filters, sort, from, to, facets, subresults });
    for (let round = 0; ; round++) {
      let result;
      try {
        result = JSON.parse(await engine.search(String(query), max, spec));
      } catch (error) {
        throw wrap("search failed", error);
      }
      if (!Array.isArray(result.need)) {
        return result;
      }
      // A lazy index: fetch what the query needs, all at once, then ask again.
      if (round === MAX_ROUNDS) {
        throw new Error(`scour: search failed: the query still needs index chunks after ${round} rounds`);
      }
      signal?.throwIfAborted();
      await this.#fetchNeeds(result.need, result.pack);
      signal?.throwIfAborted();
    }
  }

  /**
   * Checks the whole index: checksums and structure. {@link load} with
   * `{ verify: true }` calls it for you.
   *
   * @returns {Promise<void>} Rejects when the index is damaged.
   */
  async verify() {
    await this.#engineReady();
    try {
      await this.#engine.verify();
    } catch (error) {
      if (/cannot verify/.test(error?.message)) throw new Error(`scour: ${error.message}`);
      throw wrap("the search index is damaged", error);
    }
  }

  /**
   * Size of the index in bytes.
   *
   * @type {number}
   */
  get bytes() {
    return this.#engine?.bytes ?? this.#early.bytes;
  }

  /**
   * How many documents the index holds.
   *
   * @type {number}
   */
  get documents() {
    return this.#engine?.documents ?? this.#early.docs;
  }
}

/**
 * The options in the engine's compact form: one directive per line, tab-separated
 * fields (`SearchOptions::from_spec` in scour-query). Tabs and line breaks inside
 * values become spaces so they cannot forge a directive.
 *
 * @param {object} options
 * @returns {string} Empty when there is nothing beyond the query.
 */
export function optionsSpec({ filters, sort, from, to, facets, subresults } = {}) {
  const clean = (v) => String(v).replace(/[\t\r\n]/g, " ");
  const lines = [];
  for (const [key, value] of Object.entries(filters ?? {})) {
    const modes = Array.isArray(value) || typeof value === "string" ? { any: [value].flat() } : value ?? {};
    for (const mode of ["any", "all", "none"]) {
      const values = [modes[mode] ?? []].flat();
      if (values.length) lines.push(["filter", clean(key), mode, ...values.map(clean)].join("\t"));
    }
  }
  if (sort) {
    const s = String(sort);
    lines.push(s.startsWith("-") ? `sort\t${clean(s.slice(1))}\tdesc` : `sort\t${clean(s)}\tasc`);
  }
  if (from) lines.push(`from\t${clean(from)}`);
  if (to) lines.push(`to\t${clean(to)}`);
  if (facets) lines.push("facets");
  if (Number.isInteger(subresults) && subresults >= 0) lines.push(`sub\t${subresults}`);
  return lines.join("\n");
}

/**
 * The bytes of `text` in UTF-8: the dictionary's keys are in byte order.
 *
 * @param {string} text
 * @returns {Uint8Array}
 */
function utf8(text) {
  return new TextEncoder().encode(text);
}

/**
 * The position of the last of `sorted` (ascending) at most `n`; -1 before the first.
 *
 * @param {number[]} sorted
 * @param {number} n
 * @returns {number}
 */
function lastAtMost(sorted, n) {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The chunk whose first key is the last at most `key` (byte order); -1 before the first.
 *
 * @param {Uint8Array[]} keys
 * @param {ArrayLike<number>} key
 * @returns {number}
 */
function chunkOf(keys, key) {
  const below = (a) => {
    for (let i = 0; i < Math.min(a.length, key.length); i++) if (a[i] !== key[i]) return a[i] < key[i];
    return a.length <= key.length;
  };
  let [lo, hi] = [0, keys.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(keys[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Chunk `i` of a `PREFETCH` kind: its id, offset in the pack and deflated length.
 *
 * @param {[number, number, number[]]} kind
 * @param {number} i
 * @returns {[number, number, number]}
 */
function place([first, at, lens], i) {
  for (let j = 0; j < i; j++) at += lens[j];
  return [first + i, at, lens[i]];
}

/**
 * The error a search waiting for an engine that could not be loaded rejects with: its
 * `name`, `ScourUnavailableError`, tells a caller that search as a whole is
 * unavailable for now (the next search loads the engine again), not that this query
 * failed.
 *
 * @param {unknown} error Why the engine could not be loaded.
 * @returns {Error}
 */
function unavailable(error) {
  const e = new Error(error instanceof Error ? error.message : String(error), { cause: error });
  e.name = "ScourUnavailableError";
  return e;
}

/**
 * An `Error` that says what scour was doing, keeping the engine's message and the
 * original error as its `cause`.
 *
 * @param {string} doing
 * @param {unknown} error
 * @returns {Error}
 */
function wrap(doing, error) {
  const detail = error instanceof Error ? error.message : String(error);
  return new Error(`scour: ${doing}: ${detail}`, { cause: error });
}
