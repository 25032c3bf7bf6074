// reduce(): the search state. Every query gets a new id; results of an older query
// never overwrite a newer one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reduce, initialState } from "../../www/scour-search.js";

const result = (...titles) => ({
  hits: titles.map((title, i) => ({ id: String(i), url: `/${i}`, title, score: 1, snippet: { text: title, highlights: [] } })),
  total: titles.length,
  suggestion: null,
});

const run = (...actions) => actions.reduce(reduce, initialState);

test("each query gets a new search id", () => {
  const a = run({ type: "query", query: "q" });
  const b = reduce(a, { type: "query", query: "qr" });
  assert.equal(a.seq, 1);
  assert.equal(b.seq, 2);
  assert.equal(b.query, "qr");
});

test("the result of the current search is shown", () => {
  const s = run({ type: "loaded" }, { type: "query", query: "qr" }, { type: "result", seq: 1, result: result("QR codes") });
  assert.equal(s.result.hits[0].title, "QR codes");
  assert.equal(s.result.total, 1);
});

test("a stale result (older search id) is ignored, whatever the order of arrival", () => {
  let s = run({ type: "loaded" }, { type: "query", query: "k" }); // seq 1
  s = reduce(s, { type: "query", query: "kagarlitsky" }); // seq 2
  s = reduce(s, { type: "result", seq: 2, result: result("Kagarlitsky says") });
  const after = reduce(s, { type: "result", seq: 1, result: result("k: older, slower") });
  assert.equal(after, s, "a stale result leaves the state object unchanged");
  assert.equal(after.result.hits[0].title, "Kagarlitsky says");
});

test("a stale failure is ignored too", () => {
  let s = run({ type: "query", query: "a" }, { type: "query", query: "ab" });
  s = reduce(s, { type: "result", seq: 2, result: result("AB") });
  assert.equal(reduce(s, { type: "search-failed", seq: 1 }), s);
  const failed = reduce(s, { type: "search-failed", seq: 2 });
  assert.equal(failed.error, true);
  assert.equal(failed.result, null);
});

test("a search failed because the engine could not be loaded says search is unavailable, until the next query", () => {
  let s = run({ type: "loaded" }, { type: "query", query: "qr" });
  s = reduce(s, { type: "search-failed", seq: 1, unavailable: true });
  assert.equal(s.error, "unavailable");
  assert.equal(s.pending, false);
  s = reduce(s, { type: "query", query: "qr c" });
  assert.equal(s.error, false, "the next query tries again");
  s = reduce(s, { type: "result", seq: 2, result: result("QR codes") });
  assert.equal(s.result.hits[0].title, "QR codes");
});

test("clearing the query drops the result; typing keeps the last one until the next arrives", () => {
  let s = run({ type: "query", query: "qr" }, { type: "result", seq: 1, result: result("QR") });
  const typing = reduce(s, { type: "query", query: "qr c" });
  assert.equal(typing.result.hits[0].title, "QR");
  const cleared = reduce(s, { type: "query", query: "" });
  assert.equal(cleared.result, null);
  assert.equal(reduce(s, { type: "query", query: "   " }).result, null);
});

test("a new query or result resets the active option", () => {
  let s = run({ type: "query", query: "qr" }, { type: "result", seq: 1, result: result("a", "b") });
  s = reduce(s, { type: "move", delta: 1, count: 2 });
  assert.equal(s.active, 0);
  assert.equal(reduce(s, { type: "query", query: "qr c" }).active, -1);
  assert.equal(reduce(s, { type: "result", seq: 1, result: result("c") }).active, -1);
});

test("results are normalised: missing hits, total and blank suggestions", () => {
  const s = run({ type: "query", query: "x" }, { type: "result", seq: 1, result: { hits: [null, { title: "t" }], suggestion: "  " } });
  assert.deepEqual(s.result, { hits: [{ title: "t" }], total: 1, suggestion: null, facets: null });
  const t = run({ type: "query", query: "x" }, { type: "result", seq: 1, result: undefined });
  assert.deepEqual(t.result, { hits: [], total: 0, suggestion: null, facets: null });
  const u = run({ type: "query", query: "qr kodes" }, { type: "result", seq: 1, result: { hits: [], total: 0, suggestion: "qr codes" } });
  assert.equal(u.result.suggestion, "qr codes");
});

test("loading: ready after load, failed after a failed load, ready again after a retry", () => {
  const failed = run({ type: "load-failed" });
  assert.equal(failed.failed, true);
  assert.equal(failed.ready, false);
  const ok = reduce(failed, { type: "loaded" });
  assert.equal(ok.ready, true);
  assert.equal(ok.failed, false);
});

test("unknown actions change nothing", () => {
  assert.equal(reduce(initialState, { type: "nope" }), initialState);
});
