// Known-item relevance on real sites that other tools generated: each content page's
// title is a query and that page its answer, once as written and once with one typo.
// scour (and, when given, Pagefind on the same HTML and the same queries) answer in
// headless Chromium; the report gives recall@3 and MRR@10 per site.
//
//   node tests/relevance/known-item.mjs [--pagefind <dir of the pagefind npm package>]
//        [--site name=<folder>]... [--json <file>] [--show <n>] [--check]
//
// Without --site it evaluates the sites of docs/BENCHMARKS.md: the Rust Reference, Rust
// by Example, the Rustonomicon, the rustc and rustdoc books (rustup's rust-docs
// component), the Git manual (Debian's git-doc) and Sphinx's documentation (Debian's
// sphinx-doc); those not installed are skipped with a note. It uses target/release/scour
// (build it first: cargo build --release -p scour-cli), or $SCOUR_CLI. --show prints the
// first n misses. --check fails (exit 1) unless every site has recall@3 ≥ 0.98 and
// MRR@10 ≥ 0.95 for exact titles and recall@3 ≥ 0.95 with a typo, and every site is
// installed (`cargo xtask test` installs them).

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { ROOT, launch, serve, tmpDir, removeDir } from "../browser/lib.mjs";
import { knownItemQueries, withTypo, rank } from "./queries.mjs";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--site") {
    const [name, dir] = args[i + 1].split("=");
    sites.push({ name, dir: path.resolve(dir) });
  }
}
if (sites.length === 0) {
  const rustDocs = path.join(execFileSync("rustc", ["--print", "sysroot"]).toString().trim(), "share/doc/rust/html");
  for (const [name, dir] of [
    ["reference", path.join(rustDocs, "reference")],
    ["rust-by-example", path.join(rustDocs, "rust-by-example")],
    ["nomicon", path.join(rustDocs, "nomicon")],
    ["rustc", path.join(rustDocs, "rustc")],
    ["rustdoc", path.join(rustDocs, "rustdoc")],
    ["git", "/usr/share/doc/git-doc"],
    ["sphinx", "/usr/share/doc/sphinx-doc/html"],
  ]) {
    if (fs.existsSync(dir)) sites.push({ name, dir });
    else if (args.includes("--check")) {
      console.error(`${name}: ${dir} is not installed (cargo xtask test installs it)`);
      process.exit(1);
    } else console.error(`skipped ${name}: ${dir} is not installed`);
  }
}
const pagefindDir = opt("--pagefind");
const show = Number(opt("--show") || 0);
const scour = process.env.SCOUR_CLI || path.join(ROOT, "target/release/scour");
if (!fs.existsSync(scour)) {
  console.error("no target/release/scour: run cargo build --release -p scour-cli first");
  process.exit(2);
}

const tmp = tmpDir();
const browser = await launch();
const report = [];
try {
  for (const site of sites) {
    const queries = knownItemQueries(site.dir);
    const typos = queries.map((q, i) => ({ ...q, q: withTypo(q.q, i) })).filter((q) => q.q);
    const root = path.join(tmp, site.name);
    execFileSync(scour, ["build", site.dir, "--out", path.join(root, "scour")], { stdio: "pipe" });
    const engines = { scour: "scour" };
    if (pagefindDir) {
      await buildPagefind(pagefindDir, site.dir, path.join(root, "pagefind"));
      engines.pagefind = "pagefind";
    }
    const server = await serve(root);
    const page = await browser.newPage();
    await page.goto(`${server.origin}/scour/index.html`);
    const row = { site: site.name, pages: queries.length };
    for (const engine of Object.keys(engines)) {
      for (const [set, qs] of [["exact", queries], ["typo", typos]]) {
        if (engine === "pagefind" && set === "typo") continue;
        const urls = await page.evaluate(runQueries, { engine, qs: qs.map((q) => q.q) });
        const ranks = qs.map((q, i) => rank(urls[i], q.url));
        const recall3 = ranks.filter((r) => r > 0 && r <= 3).length / qs.length;
        const mrr = ranks.reduce((s, r) => s + (r > 0 && r <= 10 ? 1 / r : 0), 0) / qs.length;
        row[`${engine} ${set}`] = { recall3, mrr, n: qs.length };
        const misses = qs.map((q, i) => ({ ...q, rank: ranks[i], got: urls[i].slice(0, 3) })).filter((m) => m.rank !== 1);
        for (const m of misses.slice(0, show)) {
          console.log(`${site.name} ${engine} ${set}: ${JSON.stringify(m.q)} → ${m.url} at ${m.rank || "-"}; top ${m.got.join(" ")}`);
        }
      }
    }
    await page.close();
    await server.close();
    report.push(row);
    console.log(format(row));
  }
} finally {
  await browser.close();
  removeDir(tmp);
}
const out = opt("--json");
if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));

if (args.includes("--check")) {
  const REQUIRED = { "scour exact": { recall3: 0.98, mrr: 0.95 }, "scour typo": { recall3: 0.95, mrr: 0 } };
  const failed = [];
  for (const row of report) {
    for (const [set, min] of Object.entries(REQUIRED)) {
      const got = row[set];
      if (got.recall3 < min.recall3 || got.mrr < min.mrr) {
        failed.push(`${row.site} ${set}: recall@3 ${got.recall3.toFixed(3)} (at least ${min.recall3}), MRR@10 ${got.mrr.toFixed(3)} (at least ${min.mrr})`);
      }
    }
  }
  if (failed.length) {
    console.error(`known-item relevance below the required lines:\n  ${failed.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`known-item relevance: every line met on ${report.length} sites`);
}

function format(row) {
  const cells = Object.entries(row)
    .filter(([, v]) => typeof v === "object")
    .map(([k, v]) => `${k} R@3 ${v.recall3.toFixed(3)} MRR@10 ${v.mrr.toFixed(3)}`);
  return `${row.site} (${row.pages} pages): ${cells.join(" · ")}`;
}

// In the page: every query through one engine, each answered with its top 10 URLs.
async function runQueries({ engine, qs }) {
  const out = [];
  if (engine === "scour") {
    const { load } = await import("/scour/scour.js");
    const index = await load();
    for (const q of qs) {
      const r = await index.search(q, { limit: 10 });
      out.push(r.hits.map((h) => h.url));
    }
  } else {
    const pf = await import("/pagefind/pagefind.js");
    await pf.options({ basePath: "/pagefind/", baseUrl: "/" });
    await pf.init();
    for (const q of qs) {
      const r = await pf.search(q);
      const data = r && r.results ? await Promise.all(r.results.slice(0, 10).map((x) => x.data())) : [];
      out.push(data.map((d) => d.url));
    }
  }
  return out;
}

// Pagefind indexes the site's HTML as its users run it (`pagefind --site`), through
// its Node API.
async function buildPagefind(dir, site, out) {
  const pagefind = await import(pathToFileURL(path.join(dir, "lib/index.js")).href);
  const { index, errors } = await pagefind.createIndex({});
  if (errors?.length) throw new Error(errors.join("; "));
  const added = await index.addDirectory({ path: site });
  if (added.errors?.length) throw new Error(added.errors.join("; "));
  const w = await index.writeFiles({ outputPath: out });
  if (w.errors?.length) throw new Error(w.errors.join("; "));
  await pagefind.close();
}
