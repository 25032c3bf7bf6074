// In Node: the build step the framework integrations share. It indexes a site's
// build output into `<dir>/<out>` with the package's Node API, so the bundle is the
// same, byte for byte, as `scour build <dir> --out <dir>/<out>` writes.
//
// The build runs in a Node process of its own (build-child.js), not in the framework's:
// Astro's build process crashed (SIGSEGV) in about half the runs of the WebAssembly CLI
// inside it on Node 20, and a separate process also keeps the framework's event loop
// free while scour works.

import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./build-child.js", import.meta.url));

/** The Node API's `build(sources, options)`, run in a new Node process. */
function build(sources, options) {
  return new Promise((resolve, reject) => {
    // execArgv: none of the framework's own Node flags (loaders, inspectors)
    const child = fork(CHILD, [], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result = null;
    child.once("message", (message) => {
      result = message;
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`scour build stopped before it finished (${signal ?? `exit ${code}`})`));
    });
    child.send({ sources, options });
  });
}

/**
 * Indexes the built site in `dir`; resolves to the build's result, rejects when it
 * fails (with scour's messages).
 *
 * @param {string} dir The framework's output folder.
 * @param {{ out?: string, baseUrl?: string, rootSelector?: string, exclude?: string | string[],
 *   strict?: boolean, layout?: "auto" | "single" | "lazy", config?: string }} [options]
 *   `out`: the bundle folder inside `dir` (default `search`); the rest as `build`'s.
 * @param {{ info(message: string): void, warn(message: string): void }} [log]
 */
export async function buildSite(dir, options = {}, log = console) {
  const { out = "search", baseUrl, rootSelector, exclude, strict, layout, config } = options;
  // Relative paths from the output folder: the WASI CLI sees them the same way on
  // every platform (on Windows it sees only the current drive).
  const result = await build(".", {
    cwd: path.resolve(dir),
    out: toPosix(out),
    baseUrl,
    rootSelector,
    exclude,
    strict,
    layout,
    config,
  });
  for (const d of result.diagnostics) {
    const where = d.path ? `${d.path}${d.line ? `:${d.line}` : ""}: ` : "";
    log.warn.call(log, `scour: ${d.severity}: ${where}${d.message}`);
  }
  if (!result.ok) {
    throw new Error(`scour build failed (exit ${result.code}):\n${result.stderr.trim()}`);
  }
  log.info.call(log, `scour: ${result.summary.split("\n").join("; ").replace(/\s+/g, " ")}`);
  return result;
}

function toPosix(p) {
  return String(p).split(path.sep).join("/");
}
