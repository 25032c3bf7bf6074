// The widget's size budget: scour-search.js + scour-search.css under 12 KB gzipped
// together (each file gzipped on its own, as a server sends them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 12 * 1024;
const www = new URL("../../www/", import.meta.url);

test(`scour-search.js + scour-search.css are under ${BUDGET / 1024} KB gzipped`, (t) => {
  let total = 0;
  for (const name of ["scour-search.js", "scour-search.css"]) {
    const raw = readFileSync(new URL(name, www));
    const gz = gzipSync(raw, { level: 9 }).length;
    total += gz;
    t.diagnostic(`${name}: ${raw.length} B raw, ${gz} B gzipped`);
  }
  t.diagnostic(`widget total: ${total} B gzipped (budget ${BUDGET} B)`);
  console.log(`widget size: ${(total / 1024).toFixed(1)} KB gzipped of a ${BUDGET / 1024} KB budget`);
  assert.ok(total <= BUDGET, `widget is ${total} B gzipped, over the ${BUDGET} B budget`);
});
