// safeHref() and breadcrumb(): only http(s) and relative URLs become links.
import { test } from "node:test";
import assert from "node:assert/strict";
import { safeHref, breadcrumb, sections, trimHeading, pageSnippet } from "../../www/scour-search.js";

test("http, https and relative URLs are links", () => {
  for (const url of [
    "https://example.com/a",
    "http://example.com/",
    "HTTPS://EXAMPLE.COM/",
    "/articles/qr-codes/",
    "articles/qr.html",
    "../up",
    "#section",
    "?q=1",
    "//example.com/protocol-relative",
    "/path:with:colons",
    "./javascript:alert(1)",
  ]) {
    assert.equal(safeHref(url), url, url);
  }
  assert.equal(safeHref("  /padded  "), "/padded");
});

test("javascript:, data:, vbscript: and other schemes are not links", () => {
  for (const url of [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\u0000javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\u0001\u001fjavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "mailto:a@b.c",
    "blob:https://example.com/uuid",
  ]) {
    assert.equal(safeHref(url), null, JSON.stringify(url));
  }
});

test("non-strings and blanks are not links", () => {
  for (const url of [undefined, null, 42, {}, [], "", "   "]) assert.equal(safeHref(url), null);
});

test("breadcrumb: the folders a page is in, as words, never its file name or slug", () => {
  assert.equal(breadcrumb("https://example.com/news/2021/qr-codes.html"), "example.com › News › 2021");
  assert.equal(breadcrumb("https://example.com/news/x.html", "https://example.com/about/"), "News", "same site: no host");
  assert.equal(breadcrumb("/docs/guide/index.html"), "Docs");
  assert.equal(breadcrumb("/docs/getting-started/install.html"), "Docs › Getting started");
  assert.equal(breadcrumb("/book/ch04-02-references-and-borrowing.html"), "Book");
  assert.equal(breadcrumb("/docs/caf%C3%A9/page/"), "Docs › Café");
  assert.equal(breadcrumb("/bad/%E0%A4%A/x"), "Bad › %E0%A4%A");
  assert.equal(breadcrumb("/"), "");
  assert.equal(breadcrumb("000_948effc8b4f56d3f.txt"), "", "a file at the top: no section");
  assert.equal(breadcrumb("/articles/948effc8b4f56d3f/x.html"), "Articles", "a folder named by a hash is left out");
  assert.equal(breadcrumb("/p/12345/x.html"), "P", "so is one named by a number");
  assert.equal(breadcrumb("//cdn.example.com/x"), "cdn.example.com");
});

test("breadcrumb of an unsafe URL is empty", () => {
  assert.equal(breadcrumb("javascript:alert(1)"), "");
  assert.equal(breadcrumb(null), "");
});

test("sections: none repeats the page's title, no snippet twice, no heading run into its text", () => {
  const hit = {
    title: "References and Borrowing",
    snippet: { text: "A reference is like a pointer", highlights: [] },
    headings: [
      { title: "References and Borrowing", url: "#a", snippet: { text: "A reference is like a pointer", highlights: [] } },
      { title: "Mutable References", url: "#m", snippet: { text: "Mutable References We can fix the code", highlights: [[0, 7], [27, 30]] } },
      { title: "Dangling References", url: "#d", snippet: { text: "We can fix the code", highlights: [] } },
      { title: "Dangling References", url: "#d2", snippet: null },
      null,
    ],
  };
  assert.deepEqual(sections(hit), [
    { title: "Mutable References", url: "#m", snippet: { text: "We can fix the code", highlights: [[8, 11]] } },
    { title: "Dangling References", url: "#d", snippet: null },
  ]);
});

test("trimHeading: the snippet starts after its section's heading", () => {
  const s = { text: "Installation: run the installer", highlights: [[0, 5]] };
  assert.deepEqual(trimHeading(s, "Install"), s, "the start of a word stays");
  assert.deepEqual(trimHeading(s, "Installation"), { text: "run the installer", highlights: [] });
  assert.deepEqual(trimHeading({ text: "…Dangling References In languages", highlights: [[1, 9], [21, 23]] }, "Dangling References"), {
    text: "In languages",
    highlights: [[0, 2]],
  });
  assert.deepEqual(trimHeading({ text: "…the way it does. Ownership Rules First, let’s look", highlights: [] }, "Ownership Rules"), {
    text: "First, let’s look",
    highlights: [],
  }, "the previous section's end goes too");
  assert.deepEqual(trimHeading({ text: "What Is Ownership? Ownership is a set", highlights: [] }, "What is Ownership?"), {
    text: "Ownership is a set",
    highlights: [],
  }, "at the very start, in any case");
  const mid = { text: "…rules. what is ownership? Ownership is", highlights: [] };
  assert.equal(trimHeading(mid, "What is Ownership?"), mid, "elsewhere, only as written");
  const mention = { text: "problems that ownership addresses. Once you", highlights: [] };
  assert.equal(trimHeading(mention, "Ownership"), mention, "a mention in a sentence is not the heading");
  assert.equal(trimHeading({ text: "Installation" }, "Installation"), null, "nothing left");
  assert.equal(trimHeading(null, "x"), null);
});

test("pageSnippet: a page's snippet starts after a heading of its own it runs into", () => {
  const hit = {
    title: "Validating References with Lifetimes",
    snippet: { text: "…comfortable with the concept. Dangling References The main aim", highlights: [[31, 39]] },
    headings: [
      { title: "Validating References with Lifetimes", snippet: null },
      { title: "Dangling References", snippet: { text: "…the concept. Dangling References The main aim", highlights: [] } },
    ],
  };
  assert.deepEqual(pageSnippet(hit), { text: "The main aim", highlights: [] });
  assert.deepEqual(sections(hit), [{ title: "Dangling References", snippet: null }], "the section's is the same text: shown once");
  const plain = { title: "T", snippet: { text: "Nothing to cut here", highlights: [] }, headings: [{ title: "Elsewhere" }] };
  assert.equal(pageSnippet(plain), plain.snippet);
  assert.equal(pageSnippet({ title: "T", snippet: null }), null);
});
