// Shared by the browser tests and the screenshot script: finding the bundles,
// assembling the test site, serving it on 127.0.0.1, launching Chromium.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HERE = path.join(ROOT, "tests/browser");

export class SetupError extends Error {}

/** The `scour` binary: $SCOUR_CLI, else target/release/scour when it exists. */
export function cliPath() {
  if (process.env.SCOUR_CLI) return path.resolve(process.env.SCOUR_CLI);
  const p = path.join(ROOT, "target/release/scour");
  return fs.existsSync(p) ? p : null;
}

function build(cli, source, out, flags = []) {
  const r = spawnSync(cli, ["build", source, "--out", out, ...flags], { cwd: ROOT, encoding: "utf8" });
  if (r.error) throw new SetupError(`could not run ${cli}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new SetupError(`\`scour build ${source} --out ${out}\` failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  }
  if (!fs.existsSync(path.join(out, "scour.js"))) throw new SetupError(`scour build wrote no scour.js into ${out}`);
  return out;
}

/** The seeds, XSS and facets bundles to test, from the environment:
 *  - SCOUR_BUNDLE=<dir>: the seeds bundle (made by `scour build seeds --out <dir>`); the
 *    XSS and facets corpora are built with $SCOUR_CLI (or target/release/scour);
 *  - SCOUR_BUNDLE unset: all three are built with the CLI;
 *  - SCOUR_BUNDLE=fake: the stand-in engine in fixtures/fake (tests the widget alone). */
export function resolveBundles(tmp) {
  const env = process.env.SCOUR_BUNDLE;
  if (env === "fake") return { fake: true, seeds: null, xss: null, facets: null, lazy: null, book: null, sphinx: null };
  const cli = cliPath();
  let seeds;
  if (env) {
    seeds = path.resolve(env);
    if (!fs.existsSync(path.join(seeds, "scour.js"))) {
      throw new SetupError(`SCOUR_BUNDLE=${env} holds no scour.js: build it with \`scour build seeds --out ${env}\``);
    }
  }
  if (!cli) {
    throw new SetupError(
      "no scour CLI: set SCOUR_CLI to the `scour` binary (cargo build --release -p scour-cli), " +
        "or SCOUR_BUNDLE=fake to test the widget against the stand-in engine",
    );
  }
  seeds ??= build(cli, "seeds", path.join(tmp, "bundle-seeds"));
  const xss = build(cli, "tests/fixtures/xss", path.join(tmp, "bundle-xss"));
  const facets = build(cli, "tests/fixtures/facets", path.join(tmp, "bundle-facets"));
  // the same posts in the lazy layout: the index in chunks/ files
  const lazy = build(cli, "tests/fixtures/facets", path.join(tmp, "bundle-lazy"), ["--layout", "lazy"]);
  // the Rust Book, which the host pages search
  const book = build(cli, hostSources().book, path.join(tmp, "bundle-book"));
  // and Sphinx's documentation, searched from its own page
  const sphinx = build(cli, hostSources().sphinx, path.join(tmp, "bundle-sphinx"));
  return { fake: false, seeds, xss, facets, lazy, book, sphinx, cli };
}

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) copyDir(a, b);
    else if (e.isFile()) fs.copyFileSync(a, b);
  }
}

/** Documents for the stand-in engine from the seed articles: the title is the first
 * line that the article repeats (the headline), else its first line. */
function seedDocs() {
  const dir = path.join(ROOT, "seeds");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => {
      const lines = fs
        .readFileSync(path.join(dir, f), "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      const title = lines.find((l, i) => lines.indexOf(l, i + 1) > 0) || lines[0];
      const id = f.replace(/\.txt$/, "");
      return { id, url: `/articles/${id}/`, title, headings: [], body: lines.filter((l) => l !== title).join("\n") };
    });
}

function jsonlDocs(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l)),
    );
}

function fakeBundle(to, docs) {
  copyDir(path.join(HERE, "fixtures/fake"), to);
  fs.writeFileSync(path.join(to, "docs.json"), JSON.stringify(docs));
}

/** Copies the widget (scour-search.js, .css and its languages, www/lang) into `dir`,
 * over whatever the bundle had. */
function addWidget(dir) {
  for (const f of ["scour-search.js", "scour-search.css"]) fs.copyFileSync(path.join(ROOT, "www", f), path.join(dir, f));
  copyDir(path.join(ROOT, "www/lang"), path.join(dir, "lang"));
}

/** Lays out the site the tests browse:
 *    /             www/* (the demo page)       /search/  the seeds bundle + the widget
 *    /test/*.html  pages for the options        /fake/    the stand-in engine over the seeds
 *    /slow/        the same, answering short queries late (out of order)
 *    /xss/         a page over the XSS corpus  /xss/search/  its bundle + the widget
 *    /facets/      chips over tests/fixtures/facets  /facets/search/  its bundle + the widget
 *    /lazy/search/ the same posts in a lazy bundle; /lazy-bad/search/ with a damaged chunk
 *    /lazy-files/search/ and /lazy-files/bad/search/ the same from a host without ranges
 *  (the stand-in engine has no facets: the checks of /facets/ need the real one) */
export function assembleSite(tmp, bundles) {
  const site = path.join(tmp, "site");
  copyDir(path.join(ROOT, "www"), site);
  const search = path.join(site, "search");
  const corpora = ["xss", "facets"];
  if (bundles.fake) {
    fakeBundle(search, seedDocs());
    for (const c of corpora) fakeBundle(path.join(site, c, "search"), jsonlDocs(path.join(ROOT, "tests/fixtures", c)));
  } else {
    copyDir(bundles.seeds, search);
    for (const c of corpora) copyDir(bundles[c], path.join(site, c, "search"));
    copyDir(bundles.lazy, path.join(site, "lazy", "search"));
    copyDir(bundles.lazy, path.join(site, "lazy-files", "search"));
    // a byte of each file damaged, and of every chunk in the pack
    for (const dir of ["lazy-bad", "lazy-files/bad"]) {
      const bad = path.join(site, dir, "search");
      copyDir(bundles.lazy, bad);
      for (const f of fs.readdirSync(path.join(bad, "chunks"))) {
        const file = path.join(bad, "chunks", f);
        const bytes = fs.readFileSync(file);
        if (f.startsWith("pack-")) for (let i = 0; i < bytes.length; i += 64) bytes[i] ^= 0x55;
        else bytes[bytes.length >> 1] ^= 1;
        fs.writeFileSync(file, bytes);
      }
    }
  }
  addWidget(search);
  for (const c of corpora) addWidget(path.join(site, c, "search"));
  fakeBundle(path.join(site, "fake"), seedDocs());
  fakeBundle(path.join(site, "slow"), { docs: seedDocs(), slow: 60 });
  fs.mkdirSync(path.join(site, "test"));
  for (const f of fs.readdirSync(path.join(HERE, "pages"))) {
    if (f.endsWith(".html")) fs.copyFileSync(path.join(HERE, "pages", f), path.join(site, "test", f));
  }
  for (const c of corpora) fs.copyFileSync(path.join(HERE, "pages", c, "index.html"), path.join(site, c, "index.html"));
  if (bundles.book) assembleHosts(site, bundles);
  return site;
}

/** The Rust Book's HTML (mdBook) from the rust-docs component, and Sphinx's own
 * documentation (Debian's sphinx-doc): `cargo xtask test` installs both. */
export function hostSources() {
  const sysroot = spawnSync("rustc", ["--print", "sysroot"], { encoding: "utf8" }).stdout?.trim();
  const book = process.env.SCOUR_BOOK || (sysroot && path.join(sysroot, "share/doc/rust/html/book"));
  const sphinx = process.env.SCOUR_SPHINX || "/usr/share/doc/sphinx-doc/html";
  for (const [dir, fix] of [
    [book, "rustup component add rust-docs (or set SCOUR_BOOK)"],
    [sphinx, "apt-get install sphinx-doc (or set SCOUR_SPHINX)"],
  ]) {
    if (!dir || !fs.existsSync(dir)) throw new SetupError(`no ${dir}: ${fix}`);
  }
  return { book, sphinx };
}

/** `to` mirrors the folder `from` through symbolic links, but for `page` (a path in
 * it): returns the function that gives that page with the widget's two lines added,
 * the script before </head>, a tag at the start of its main content. */
function hostSite(from, to, page) {
  // the folders on the page's path are real, everything else is a link
  const mirror = (dir) => {
    fs.mkdirSync(path.join(to, dir), { recursive: true });
    for (const e of fs.readdirSync(path.join(from, dir))) {
      const rel = path.join(dir, e);
      if (rel === page) continue;
      if (page.startsWith(rel + path.sep)) mirror(rel);
      else fs.symlinkSync(path.join(from, rel), path.join(to, rel));
    }
  };
  mirror(".");
  const html = fs.readFileSync(path.join(from, page), "utf8");
  const main = html.match(/<main[^>]*>|role="main"[^>]*>/);
  if (!main) throw new SetupError(`${path.join(from, page)} has no <main> or role="main" to put the widget in`);
  const at = main.index + main[0].length;
  return (tag) =>
    (html.slice(0, at) + `\n${tag}\n` + html.slice(at)).replace("</head>", '<script type="module" src="/hosts/search/scour-search.js"></script>\n</head>');
}

const PROBE = '<scour-search class="probe" style="width: 560px; max-width: 100%"></scour-search>';
const MODAL = '<scour-search mode="modal" class="probe"></scour-search>';

/** Host pages: real sites with the widget added, all searching the Rust Book's bundle
 *  (/hosts/search/):
 *    /hosts/blank.html     the widget alone, the rendering every host must match
 *    /hosts/book/ch04-02-references-and-borrowing.html   the Rust Book (mdBook); book/modal.html
 *    /hosts/sphinx/usage/quickstart.html   Sphinx's documentation; usage/own-search.html
 *                          the same page searching Sphinx's documentation (/hosts/sphinx-search/)
 *    /hosts/{bootstrap,pico,tailwind,hostile}.html   CSS frameworks from npm, hostile rules */
function assembleHosts(site, bundles) {
  const hosts = path.join(site, "hosts");
  copyDir(bundles.book, path.join(hosts, "search"));
  addWidget(path.join(hosts, "search"));
  const src = hostSources();
  const page = "ch04-02-references-and-borrowing.html";
  const book = hostSite(src.book, path.join(hosts, "book"), page);
  fs.writeFileSync(path.join(hosts, "book", page), book(PROBE));
  fs.writeFileSync(path.join(hosts, "book", "modal.html"), book(MODAL));
  const quick = "usage/quickstart.html";
  const sphinx = hostSite(src.sphinx, path.join(hosts, "sphinx"), quick);
  fs.writeFileSync(path.join(hosts, "sphinx", quick), sphinx(PROBE));
  // the same page searching Sphinx's own documentation
  copyDir(bundles.sphinx, path.join(hosts, "sphinx-search"));
  addWidget(path.join(hosts, "sphinx-search"));
  fs.writeFileSync(path.join(hosts, "sphinx", "usage", "own-search.html"), sphinx(PROBE.replace("<scour-search ", '<scour-search bundle="/hosts/sphinx-search/" ')));
  for (const f of fs.readdirSync(path.join(HERE, "pages/hosts"))) fs.copyFileSync(path.join(HERE, "pages/hosts", f), path.join(hosts, f));
  fs.writeFileSync(
    path.join(hosts, "blank.html"),
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="color-scheme" content="light dark">\n<title>Blank host</title>\n<link rel="icon" href="data:,">\n<script type="module" src="/hosts/search/scour-search.js"></script>\n</head>\n<body>\n${PROBE}\n${MODAL}\n</body>\n</html>\n`,
  );
  const npm = path.join(site, "npm");
  fs.mkdirSync(npm);
  for (const f of ["bootstrap/dist/css/bootstrap.min.css", "@picocss/pico/css/pico.min.css", "tailwindcss/preflight.css"]) {
    fs.copyFileSync(path.join(ROOT, "node_modules", f), path.join(npm, path.basename(f)));
  }
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** A static server for `root` on 127.0.0.1 at a random port, answering single Range
 * requests as static hosts do, but under `/lazy-files/` (a host that does not).
 * `requests` records every path asked for (`HEAD <path>` for a HEAD request, `<path>
 * bytes=a-b` for a range). */
export async function serve(root) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const ranges = !url.pathname.startsWith("/lazy-files/");
    const range = ranges && /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    requests.push(req.method === "HEAD" ? `HEAD ${url.pathname}` : range ? `${url.pathname} ${range[0]}` : url.pathname);
    let rel;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      rel = "/";
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const type = TYPES[path.extname(file)] || "application/octet-stream";
      if (range) {
        const [start, end] = [Number(range[1]), Math.min(Number(range[2]), body.length - 1)];
        res.writeHead(206, {
          "content-type": type,
          "cache-control": "no-store",
          "content-range": `bytes ${start}-${end}/${body.length}`,
        });
        res.end(body.subarray(start, end + 1));
        return;
      }
      res.writeHead(200, { "content-type": type, "cache-control": "no-store", ...(ranges ? { "accept-ranges": "bytes" } : {}) });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launch() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) {
    throw new SetupError(`no Chromium at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM`);
  }
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

export const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "scour-e2e-"));
export const removeDir = (dir) => fs.rmSync(dir, { recursive: true, force: true });
