// The widget's size budget: scour-search.js + scour-search.css + the largest language
// module (a page loads at most one) under 16 KB gzipped together (each file gzipped on
// its own, as a server sends them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 16 * 1024;
const www = new URL("../../www/", import.meta.url);

test(`scour-search.js + scour-search.css + a language are under ${BUDGET / 1024} KB gzipped`, (t) => {
  const gz = (name) => {
    const raw = readFileSync(new URL(name, www));
    const n = gzipSync(raw, { level: 9 }).length;
    t.diagnostic(`${name}: ${raw.length} B raw, ${n} B gzipped`);
    return n;
  };
  let total = gz("scour-search.js") + gz("scour-search.css");
  total += Math.max(...readdirSync(new URL("lang/", www)).map((f) => gz(`lang/${f}`)));
  t.diagnostic(`widget total: ${total} B gzipped (budget ${BUDGET} B)`);
  console.log(`widget size: ${(total / 1024).toFixed(1)} KB gzipped of a ${BUDGET / 1024} KB budget`);
  assert.ok(total <= BUDGET, `widget is ${total} B gzipped, over the ${BUDGET} B budget`);
});
