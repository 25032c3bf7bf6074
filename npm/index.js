// The Node API of scour: build a search bundle from a folder, from files or from records,
// and search a built bundle (for tests and server-side rendering). It runs the same CLI,
// compiled to WebAssembly, so a bundle built here is byte-identical to the native CLI's.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { capture } from "./wasi.js";

/** The `scour build` flags of the options (see index.d.ts). */
function buildArgs({ out, baseUrl, rootSelector, strict, exclude, layout, followExternalLinks, config } = {}) {
  if (!out && !config) throw new TypeError("scour: build needs `out` (the bundle folder) or a `config` file");
  const args = [];
  if (out) args.push("--out", out);
  if (baseUrl) args.push("--base-url", baseUrl);
  if (rootSelector) args.push("--root-selector", rootSelector);
  if (strict) args.push("--strict");
  if (followExternalLinks) args.push("--follow-external-links");
  if (layout) args.push("--layout", layout);
  if (config) args.push("--config", config);
  for (const glob of [exclude ?? []].flat()) args.push("--exclude", glob);
  return args;
}

/** `warning: path:line: message` lines (and `error: …`) as structured values. */
export function parseDiagnostics(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^(warning|error): (.*)$/);
    if (!m) continue;
    const [, severity, rest] = m;
    // `path:line: message`, `path: message` (a path without spaces), or a message
    const at = rest.match(/^(.+?):(\d+): (.*)$/) ?? rest.match(/^([^\s:][^\s]*?): (.*)$/);
    if (at && at.length === 4) out.push({ severity, path: at[1], line: Number(at[2]), message: at[3] });
    else if (at) out.push({ severity, path: at[1], line: null, message: at[2] });
    else out.push({ severity, path: null, line: null, message: rest });
  }
  return out;
}

/**
 * Builds a search bundle from folders or files of articles (`scour build`).
 *
 * @param {string | string[]} sources
 * @param {import("./index.d.ts").BuildOptions} options
 * @returns {Promise<import("./index.d.ts").BuildResult>}
 */
export async function build(sources, options = {}) {
  const args = ["build", ...[sources ?? []].flat(), ...buildArgs(options)];
  const { code, stdout, stderr } = await capture(args, { cwd: options.cwd });
  return { ok: code === 0, code, diagnostics: parseDiagnostics(stderr), summary: stdout.trim(), stderr };
}

/**
 * Records added one by one (the JSONL record shape: `id`, `url`, `title`, `body`,
 * `headings`, `meta`, `filters`, `lang`), then built into a bundle.
 */
export class Records {
  #lines = [];

  /**
   * Adds one record.
   *
   * @param {import("./index.d.ts").Record} record
   * @returns {this}
   */
  add(record) {
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new TypeError("scour: a record is an object such as { id, url, title, body }");
    }
    this.#lines.push(JSON.stringify(record));
    return this;
  }

  /** How many records were added. */
  get length() {
    return this.#lines.length;
  }

  /**
   * Builds the records into a bundle; diagnostics name the records by line
   * (`records.jsonl:3` is the third record added).
   *
   * @param {import("./index.d.ts").BuildOptions} options
   * @returns {Promise<import("./index.d.ts").BuildResult>}
   */
  async build(options = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scour-records-"));
    const file = path.join(dir, "records.jsonl");
    try {
      fs.writeFileSync(file, this.#lines.join("\n") + "\n");
      const out = options.out && path.resolve(options.cwd ?? process.cwd(), options.out);
      return await build([file], { ...options, out });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Searches a built bundle with the same engine (`scour search --json`).
 *
 * @param {string} dir The bundle folder.
 * @param {string} query
 * @param {{ limit?: number, cwd?: string }} [options]
 * @returns {Promise<import("./index.d.ts").SearchResult>}
 */
export async function search(dir, query, { limit = 10, cwd } = {}) {
  const { code, stdout, stderr } = await capture(["search", dir, String(query), "--json", "--limit", String(limit)], { cwd });
  if (code !== 0) throw new Error(stderr.trim() || `scour search exited with ${code}`);
  return JSON.parse(stdout);
}

/**
 * Every document a bundle holds (`scour inspect --docs`).
 *
 * @param {string} dir The bundle folder.
 * @param {{ cwd?: string }} [options]
 * @returns {Promise<import("./index.d.ts").IndexedDocument[]>}
 */
export async function documents(dir, { cwd } = {}) {
  const { code, stdout, stderr } = await capture(["inspect", dir, "--docs"], { cwd });
  if (code !== 0) throw new Error(stderr.trim() || `scour inspect exited with ${code}`);
  return stdout
    .trim()
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [url, title, language, bytes, sections] = line.split("\t");
      return { url, title, language: language === "-" ? null : language, bytes: Number(bytes), sections: Number(sections) };
    });
}

export { run } from "./wasi.js";
