// Known-item queries from a built HTML site: each content page's <title> (without the
// site name every page repeats) is a query whose answer is that page.

import fs from "node:fs";
import path from "node:path";

/** Pages that are not content: generated indexes, search and error pages, mdBook's
 * print-everything page. */
const NOT_CONTENT = /(^|\/)(print|404|search|genindex|py-modindex|toc|searchindex)\.html$/;

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decode(s) {
  return s
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&(\w+);/g, (m, e) => ENTITIES[e] ?? m);
}

function htmlFiles(dir, rel = "", out = []) {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.name.startsWith("_") || e.name.startsWith(".")) continue;
    if (e.isDirectory()) htmlFiles(dir, r, out);
    else if (e.name.endsWith(".html") && !NOT_CONTENT.test(r)) out.push(r);
  }
  return out.sort();
}

/** `[{q, url}]`: one query per page whose title no other page shares (a shared title
 * names no page). The site name is cut when at least half the titles end with it. */
export function knownItemQueries(dir) {
  const pages = [];
  for (const rel of htmlFiles(dir)) {
    const html = fs.readFileSync(path.join(dir, rel), "utf8");
    // redirect stubs are not pages
    if (/http-equiv=["']?refresh/i.test(html)) continue;
    const m = html.match(/<title[^>]*>([^<]*)<\/title>/i);
    const title = m ? decode(m[1]).replace(/\s+/g, " ").trim() : "";
    if (title) pages.push({ title, url: "/" + rel });
  }
  const suffixes = new Map();
  for (const p of pages) {
    const m = p.title.match(/\s+(?:-|—|–|\|)\s+[^-—–|]+$/);
    if (m) suffixes.set(m[0], (suffixes.get(m[0]) || 0) + 1);
  }
  const [suffix, count] = [...suffixes].sort((a, b) => b[1] - a[1])[0] || ["", 0];
  const cut = count * 2 >= pages.length ? suffix : null;
  const named = pages.map((p) => ({
    q: cut && p.title.endsWith(cut) ? p.title.slice(0, -cut.length) : p.title,
    url: p.url,
  }));
  const seen = new Map();
  for (const p of named) seen.set(p.q.toLowerCase(), (seen.get(p.q.toLowerCase()) || 0) + 1);
  return named.filter((p) => seen.get(p.q.toLowerCase()) === 1);
}

/** The query with one typo in its longest word of five letters or more (a deleted,
 * doubled, swapped or replaced letter, never the first), chosen by `seed`; null when
 * no word is long enough. */
export function withTypo(q, seed) {
  const words = [...q.matchAll(/\p{L}{5,}/gu)];
  if (words.length === 0) return null;
  const w = words.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  const s = [...w[0]];
  let x = (seed * 2654435761 + 12345) >>> 0;
  const next = (n) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const at = 1 + next(s.length - 2);
  switch (next(4)) {
    case 0:
      s.splice(at, 1);
      break;
    case 1:
      s.splice(at, 0, s[at]);
      break;
    case 2:
      [s[at], s[at + 1]] = [s[at + 1], s[at]];
      break;
    default: {
      const letters = "aeiourstnl".replace(s[at].toLowerCase(), "");
      s[at] = letters[next(letters.length)];
    }
  }
  const typo = s.join("");
  if (typo.toLowerCase() === w[0].toLowerCase()) return null;
  return q.slice(0, w.index) + typo + q.slice(w.index + w[0].length);
}

/** 1-based rank of `want` among `urls` (fragments and a trailing index.html ignored),
 * 0 when absent. */
export function rank(urls, want) {
  const norm = (u) => decodeURI(u.replace(/#.*$/, "").replace(/\/index\.html$/, "/").replace(/^\/?/, "/"));
  const w = norm(want);
  return urls.findIndex((u) => norm(u) === w) + 1;
}
