// highlight(): snippet text + offset ranges → text and <mark> segments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { highlight, queryRanges } from "../../www/scour-search.js";

const show = (segs) => segs.map((s) => (s.mark ? `[${s.text}]` : s.text)).join("");

test("marks the given ranges and keeps the text between them", () => {
  const segs = highlight("QR codes in Russia", [
    [0, 2],
    [12, 18],
  ]);
  assert.deepEqual(segs, [
    { text: "QR", mark: true },
    { text: " codes in ", mark: false },
    { text: "Russia", mark: true },
  ]);
});

test("segments always join back to the original text", () => {
  const text = "total control over the people";
  for (const ranges of [
    [],
    [[0, 5]],
    [
      [3, 9],
      [1, 4],
    ],
    [[-5, 100]],
    [
      [6, 13],
      [6, 13],
    ],
  ]) {
    assert.equal(
      highlight(text, ranges)
        .map((s) => s.text)
        .join(""),
      text,
    );
  }
});

test("no ranges, or not an array, gives one plain segment", () => {
  assert.deepEqual(highlight("abc", []), [{ text: "abc", mark: false }]);
  assert.deepEqual(highlight("abc", null), [{ text: "abc", mark: false }]);
  assert.deepEqual(highlight("abc", "0,1"), [{ text: "abc", mark: false }]);
  assert.deepEqual(highlight("", [[0, 1]]), []);
  assert.deepEqual(highlight(undefined, undefined), []);
});

test("unsorted ranges are sorted", () => {
  assert.equal(
    show(
      highlight("one two three", [
        [8, 13],
        [0, 3],
      ]),
    ),
    "[one] two [three]",
  );
});

test("overlapping, nested and touching ranges merge into one mark", () => {
  assert.equal(
    show(
      highlight("abcdefghij", [
        [1, 4],
        [3, 6],
      ]),
    ),
    "a[bcdef]ghij",
  );
  assert.equal(
    show(
      highlight("abcdefghij", [
        [1, 8],
        [2, 3],
      ]),
    ),
    "a[bcdefgh]ij",
  );
  assert.equal(
    show(
      highlight("abcdefghij", [
        [1, 3],
        [3, 5],
      ]),
    ),
    "a[bcde]fghij",
  );
  assert.equal(
    highlight("abcdefghij", [
      [1, 3],
      [3, 5],
    ]).filter((s) => s.mark).length,
    1,
  );
});

test("out-of-range ranges are clamped, empty and invalid ones dropped", () => {
  assert.equal(show(highlight("abcdef", [[-3, 2]])), "[ab]cdef");
  assert.equal(show(highlight("abcdef", [[4, 99]])), "abcd[ef]");
  assert.equal(show(highlight("abcdef", [[10, 20]])), "abcdef");
  assert.equal(
    show(
      highlight("abcdef", [
        [3, 3],
        [4, 2],
      ]),
    ),
    "abcdef",
  );
  assert.equal(show(highlight("abcdef", [[NaN, 2], ["x", "y"], [1], null, "ab", [undefined, 3]])), "abcdef");
  assert.equal(show(highlight("abcdef", [[1.7, 3.2]])), "a[bc]def");
  assert.equal(show(highlight("abcdef", [[-Infinity, Infinity]])), "[abcdef]");
});

test("a surrogate pair is never split", () => {
  const text = "a😀b𝒳c"; // 😀 is text[1..3], 𝒳 is text[4..6]
  for (let a = 0; a <= text.length; a++) {
    for (let b = a + 1; b <= text.length; b++) {
      for (const seg of highlight(text, [[a, b]])) {
        const first = seg.text.charCodeAt(0);
        const last = seg.text.charCodeAt(seg.text.length - 1);
        assert.ok(!(first >= 0xdc00 && first <= 0xdfff), `segment starts with a low surrogate for [${a}, ${b}]`);
        assert.ok(!(last >= 0xd800 && last <= 0xdbff), `segment ends with a high surrogate for [${a}, ${b}]`);
      }
    }
  }
  assert.equal(show(highlight(text, [[2, 3]])), "a[😀]b𝒳c");
  assert.equal(show(highlight(text, [[0, 2]])), "[a😀]b𝒳c");
});

test("queryRanges finds query words at word starts, case-insensitively", () => {
  const title = "Opposition to QR Codes in Russia far broader, Kagarlitsky says";
  const marked = show(highlight(title, queryRanges(title, "qr codes kagar")));
  assert.equal(marked, "Opposition to [QR] [Codes] in Russia far broader, [Kagar]litsky says");
  // inside a word: no mark
  assert.equal(show(highlight("Cops hunt", queryRanges("Cops hunt", "ops"))), "Cops hunt");
});

test("queryRanges skips excluded terms and handles phrases and regex characters", () => {
  const t = "total control (a+b) vs vaccines";
  assert.equal(show(highlight(t, queryRanges(t, '"total control" -vaccines'))), "[total] [control] (a+b) vs vaccines");
  assert.equal(show(highlight(t, queryRanges(t, "a+b"))), "total control ([a+b]) vs vaccines");
  assert.deepEqual(queryRanges(t, ""), []);
  assert.deepEqual(queryRanges(t, '-"" - ()'), []);
});

test("queryRanges accepts any query text: hyphens, slashes, brackets, backslashes", () => {
  const t = "QR-tagging in Nizhny Tagil/Urals [2021] a\\b";
  assert.equal(show(highlight(t, queryRanges(t, "qr-tagging"))), "[QR-tagging] in Nizhny Tagil/Urals [2021] a\\b");
  assert.equal(show(highlight(t, queryRanges(t, "tagil/urals"))), "QR-tagging in Nizhny [Tagil/Urals] [2021] a\\b");
  for (const q of ["[", "(", "a\\b", "*", "?x", "{2}", "^$", "|", ".", "-", "--x", '"', '"unclosed', "\\p{L}"]) {
    assert.doesNotThrow(() => queryRanges(t, q), q);
  }
});
