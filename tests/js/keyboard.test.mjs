// Keyboard logic: moving the active option, keys in the input, global shortcuts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { moveActive, inputKeyAction, isShortcut, isEditable } from "../../www/scour-search.js";

const key = (k, extra = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, isComposing: false, ...extra });

test("↓ from nothing goes to the first option, ↑ to the last", () => {
  assert.equal(moveActive(-1, 5, 1), 0);
  assert.equal(moveActive(-1, 5, -1), 4);
});

test("the active option moves and wraps around", () => {
  assert.equal(moveActive(0, 3, 1), 1);
  assert.equal(moveActive(2, 3, 1), 0);
  assert.equal(moveActive(0, 3, -1), 2);
  assert.equal(moveActive(1, 3, -1), 0);
});

test("no options: nothing is active; an out-of-range index restarts", () => {
  assert.equal(moveActive(-1, 0, 1), -1);
  assert.equal(moveActive(3, 0, -1), -1);
  assert.equal(moveActive(9, 3, 1), 0);
});

test("keys in the input", () => {
  assert.equal(inputKeyAction(key("ArrowDown"), "qr"), "next");
  assert.equal(inputKeyAction(key("ArrowUp"), "qr"), "prev");
  assert.equal(inputKeyAction(key("Enter"), "qr"), "enter");
  assert.equal(inputKeyAction(key("Escape"), "qr"), "clear", "the first Esc clears");
  assert.equal(inputKeyAction(key("Escape"), ""), "close", "Esc on an empty input closes");
  for (const k of ["Tab", "Home", "End", "a", "/", "ArrowLeft"]) assert.equal(inputKeyAction(key(k), "qr"), null, k);
});

test("keys confirming an IME composition are ignored", () => {
  assert.equal(inputKeyAction(key("Enter", { isComposing: true }), "東京"), null);
  assert.equal(inputKeyAction(key("ArrowDown", { isComposing: true }), "東京"), null);
  assert.equal(inputKeyAction(key("Process", { keyCode: 229 }), "東京"), null);
  assert.equal(inputKeyAction(key("Enter", { keyCode: 229 }), "東京"), null);
});

test("modified keys are left to the browser", () => {
  assert.equal(inputKeyAction(key("Enter", { ctrlKey: true }), "qr"), null);
  assert.equal(inputKeyAction(key("ArrowDown", { altKey: true }), "qr"), null);
  assert.equal(inputKeyAction(key("Enter", { metaKey: true }), "qr"), null);
});

test("/ and Ctrl/Cmd+K are shortcuts outside text fields", () => {
  const body = { tagName: "BODY" };
  assert.ok(isShortcut(key("/"), body));
  assert.ok(isShortcut(key("k", { ctrlKey: true }), body));
  assert.ok(isShortcut(key("K", { metaKey: true }), body));
  assert.ok(isShortcut(key("/"), { tagName: "BUTTON" }));
  assert.ok(isShortcut(key("/"), { tagName: "INPUT", type: "checkbox" }));
  assert.ok(!isShortcut(key("k"), body), "k alone");
  assert.ok(!isShortcut(key("/", { ctrlKey: true }), body));
  assert.ok(!isShortcut(key("k", { ctrlKey: true, altKey: true }), body));
  assert.ok(!isShortcut(key("K", { ctrlKey: true, shiftKey: true }), body));
  assert.ok(!isShortcut(key("/", { defaultPrevented: true }), body));
  assert.ok(!isShortcut(key("/", { isComposing: true }), body));
});

test("no shortcut while typing in an input, textarea, select or contenteditable", () => {
  for (const target of [
    { tagName: "INPUT", type: "text" },
    { tagName: "INPUT", type: "search" },
    { tagName: "INPUT" },
    { tagName: "input", type: "email" },
    { tagName: "TEXTAREA" },
    { tagName: "SELECT" },
    { tagName: "DIV", isContentEditable: true },
  ]) {
    assert.ok(isEditable(target), JSON.stringify(target));
    assert.ok(!isShortcut(key("/"), target));
    assert.ok(!isShortcut(key("k", { ctrlKey: true }), target));
  }
  assert.ok(!isEditable(null));
  assert.ok(!isEditable({ tagName: "A" }));
});
