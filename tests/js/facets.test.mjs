// Facet chips, fixed filters and the URL line: facets="…", filter-<key>="…", sort, dates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { list, fixedFilters, toggle, searchFilters, facetRows, urlLine, reduce, initialState } from "../../www/scour-search.js";

const attrs = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));

test("list: comma-separated values, trimmed, blanks dropped", () => {
  assert.deepEqual(list("tags, section ,,"), ["tags", "section"]);
  assert.deepEqual(list(""), []);
  assert.deepEqual(list(null), []);
  assert.deepEqual(list(" , "), []);
});

test("fixedFilters: filter-<key> attributes, any of their values; others ignored", () => {
  assert.deepEqual(fixedFilters(attrs({ "filter-lang": "en", "filter-tags": "rust, wasm", facets: "tags", sort: "-date" })), {
    lang: ["en"],
    tags: ["rust", "wasm"],
  });
  assert.deepEqual(fixedFilters(attrs({ "filter-": "x", "filter-lang": " , ", filters: "a", "x-filter-a": "b" })), {}, "no key, no values, other names");
  assert.deepEqual(fixedFilters([]), {});
});

test("toggle: presses and releases a value of one key, leaving the old state as it was", () => {
  const a = {};
  const b = toggle(a, "tags", "rust");
  const c = toggle(b, "tags", "wasm");
  const d = toggle(c, "lang", "en");
  const e = toggle(d, "tags", "rust");
  assert.deepEqual(a, {});
  assert.deepEqual(b, { tags: ["rust"] });
  assert.deepEqual(c, { tags: ["rust", "wasm"] });
  assert.deepEqual(d, { tags: ["rust", "wasm"], lang: ["en"] });
  assert.deepEqual(e, { tags: ["wasm"], lang: ["en"] });
  assert.deepEqual(toggle(toggle(e, "tags", "wasm"), "lang", "en"), { tags: [], lang: [] });
});

test("searchFilters: picked chips (any of per key) and the fixed filters", () => {
  const picked = { tags: ["rust", "wasm"], lang: [], section: ["docs"] };
  assert.deepEqual(searchFilters({}, picked), { tags: ["rust", "wasm"], section: ["docs"] }, "keys with nothing picked are left out");
  assert.deepEqual(searchFilters({ lang: ["en"] }, picked), { tags: ["rust", "wasm"], section: ["docs"], lang: ["en"] });
  assert.deepEqual(searchFilters({}, picked, "tags"), { section: ["docs"] }, "all but the skipped key");
  assert.deepEqual(searchFilters({ tags: ["go"] }, picked), { tags: ["go"], section: ["docs"] }, "a fixed filter wins over chips of its key");
  assert.deepEqual(searchFilters({}, {}), {});
});

test("facetRows: one row per key, in the order of the attribute, values as counted", () => {
  const facets = { lang: [["en", 4]], tags: [["rust", 3], ["wasm", 3], ["go", 2]] };
  assert.deepEqual(facetRows(["tags", "lang", "section"], facets, { tags: ["go"] }), [
    ["tags", [["rust", 3, false], ["wasm", 3, false], ["go", 2, true]]],
    ["lang", [["en", 4, false]]],
    ["section", []],
  ]);
});

test("facetRows: a pressed chip stays, with count 0, when the result lacks it", () => {
  const picked = { tags: ["cli", "go"], lang: ["de"] };
  assert.deepEqual(facetRows(["tags", "lang"], { tags: [["go", 1]] }, picked), [
    ["tags", [["go", 1, true], ["cli", 0, true]]],
    ["lang", [["de", 0, true]]],
  ]);
  assert.deepEqual(facetRows(["tags"], null, picked), [["tags", [["cli", 0, true], ["go", 0, true]]]], "no facets at all (no results)");
  assert.deepEqual(facetRows(["tags"], undefined, {}), [["tags", []]]);
});

test("facetRows: at most the 12 most frequent values, and any pressed beyond them", () => {
  const values = Array.from({ length: 20 }, (_, i) => [`t${i}`, 20 - i]);
  const rows = facetRows(["tags"], { tags: values }, { tags: ["t15"] })[0][1];
  assert.equal(rows.length, 13);
  assert.deepEqual(rows[11], ["t11", 9, false]);
  assert.deepEqual(rows[12], ["t15", 5, true], "a pressed chip keeps its real count");
});

test("urlLine: the date as given, then the section", () => {
  assert.equal(urlLine("/posts/a/", "2021-11-02"), "2021-11-02 · Posts");
  assert.equal(urlLine("/posts/a/", undefined), "Posts");
  assert.equal(urlLine("/posts/a/", " "), "Posts", "a blank date");
  assert.equal(urlLine("/posts/a/", 2021), "Posts", "only a string is a date");
  assert.equal(urlLine("", "2021-11"), "2021-11");
  assert.equal(urlLine("/a.html", undefined), "", "a top-level page is in no section");
  assert.equal(urlLine(undefined, undefined), "");
  assert.equal(urlLine("https://example.com/blog/post.html", "Nov 2, 2021"), "Nov 2, 2021 · example.com › Blog");
  assert.equal(urlLine("https://example.com/blog/post.html", "", "https://example.com/"), "Blog", "the site's own host is left out");
  assert.equal(urlLine("/usage/quickstart.html", "", "", "Using Sphinx"), "Using Sphinx", "the parent pages' titles first");
  assert.equal(urlLine("/usage/quickstart.html", "2024", "", " "), "2024 · Usage", "a blank parent is none");
});

test("results keep their facets", () => {
  const facets = { tags: [["rust", 1]] };
  const s = [{ type: "query", query: "x" }, { type: "result", seq: 1, result: { hits: [], total: 0, facets } }].reduce(reduce, initialState);
  assert.deepEqual(s.result.facets, facets);
});
