// safeHref() and breadcrumb(): only http(s) and relative URLs become links.
import { test } from "node:test";
import assert from "node:assert/strict";
import { safeHref, breadcrumb } from "../../www/scour-search.js";

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

test("breadcrumb shows host and path segments", () => {
  assert.equal(breadcrumb("https://example.com/news/2021/qr-codes.html"), "example.com › news › 2021 › qr-codes");
  assert.equal(breadcrumb("/docs/guide/index.html"), "docs › guide");
  assert.equal(breadcrumb("/docs/caf%C3%A9/"), "docs › café");
  assert.equal(breadcrumb("/bad/%E0%A4%A"), "bad › %E0%A4%A");
  assert.equal(breadcrumb("/"), "/");
  assert.equal(breadcrumb("//cdn.example.com/x"), "cdn.example.com › x");
});

test("breadcrumb of an unsafe URL is the URL as text", () => {
  assert.equal(breadcrumb("javascript:alert(1)"), "javascript:alert(1)");
  assert.equal(breadcrumb(null), "");
});
