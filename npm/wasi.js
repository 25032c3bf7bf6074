// Runs the scour CLI, compiled to WebAssembly (WASI preview 1), in Node: one artefact
// for every platform, no native binary, nothing downloaded at install.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";


// Node 20 calls node:wasi experimental on first use; it is what this package is built
// on, so that one warning is not news to whoever runs `npx scour`.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (/WASI is an experimental feature/.test(String(warning?.message ?? warning))) return;
  return emitWarning.call(process, warning, ...rest);
};

const WASM = path.join(path.dirname(fileURLToPath(import.meta.url)), "scour.wasm");

/** @type {Promise<WebAssembly.Module> | null} */
let compiled = null;

/** The CLI module, compiled once per process. */
function module() {
  // node:wasi's functions are V8 "fast API calls" from optimised code, and a garbage
  // collection that starts while one runs, or while the CLI grows its memory, walks a
  // frame it cannot read: a segmentation fault, seen on inputs above about 50 MB
  // (Node 20 and 22; nodejs/node#46777 and #53087). Without fast calls WordNet five
  // times over (250 MB of JSON lines) builds; WASI calls are a small part of the time.
  // Set before the module is compiled, it holds for every call after; an application
  // that only imports the package keeps its fast calls until it runs the CLI.
  if (!compiled) v8.setFlagsFromString("--no-turbo-fast-api-calls");
  compiled ??= fs.promises.readFile(WASM).then(
    (bytes) => WebAssembly.compile(bytes),
    (error) => {
      compiled = null;
      throw new Error(`scour: cannot read ${WASM}: ${error.message}`);
    },
  );
  return compiled;
}

/** The file system the CLI sees: the whole disk (Unix), or the current drive
 * (Windows, where paths are given relative to the current folder or as /dir/file). */
function mounts(cwd) {
  if (process.platform !== "win32") return { preopens: { "/": "/" }, pwd: cwd };
  const root = path.parse(cwd).root;
  return { preopens: { "/": root }, pwd: "/" + path.relative(root, cwd).split(path.sep).join("/") };
}

/**
 * Runs `scour <args>` and resolves to its exit code. Output goes to the file
 * descriptors `stdout` and `stderr` (this process's by default).
 *
 * @param {string[]} args
 * @param {{ cwd?: string, stdout?: number, stderr?: number }} [options]
 * @returns {Promise<number>}
 */
export async function run(args, { cwd = process.cwd(), stdout = 1, stderr = 2 } = {}) {
  const { preopens, pwd } = mounts(path.resolve(cwd));
  // loaded here, after the warning filter above is in place
  const { WASI } = await import("node:wasi");
  const wasi = new WASI({
    version: "preview1",
    args: ["scour", ...args],
    env: { PWD: pwd, NO_COLOR: process.env.NO_COLOR ?? "", TERM: process.env.TERM ?? "" },
    preopens,
    stdout,
    stderr,
    returnOnExit: true,
  });
  const instance = await WebAssembly.instantiate(await module(), wasi.getImportObject());
  return wasi.start(instance);
}

/**
 * Runs `scour <args>` and resolves to its exit code and what it printed.
 *
 * @param {string[]} args
 * @param {{ cwd?: string }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export async function capture(args, { cwd } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scour-run-"));
  const out = path.join(dir, "out");
  const err = path.join(dir, "err");
  const fdOut = fs.openSync(out, "w");
  const fdErr = fs.openSync(err, "w");
  try {
    const code = await run(args, { cwd, stdout: fdOut, stderr: fdErr });
    return { code, stdout: fs.readFileSync(out, "utf8"), stderr: fs.readFileSync(err, "utf8") };
  } finally {
    fs.closeSync(fdOut);
    fs.closeSync(fdErr);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
