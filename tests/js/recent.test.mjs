// recentStore(): recent searches in localStorage under "scour:recent".
import { test } from "node:test";
import assert from "node:assert/strict";
import { recentStore } from "../../www/scour-search.js";

function memoryStorage() {
  const map = new Map();
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k),
  };
}

test("stores newest first under scour:recent", () => {
  const storage = memoryStorage();
  const recent = recentStore(() => storage);
  recent.add("qr codes");
  recent.add("Kagarlitsky");
  assert.deepEqual(recent.list(), ["Kagarlitsky", "qr codes"]);
  assert.deepEqual(JSON.parse(storage.map.get("scour:recent")), ["Kagarlitsky", "qr codes"]);
});

test("de-duplicates case-insensitively and moves the repeat to the front", () => {
  const storage = memoryStorage();
  const recent = recentStore(() => storage);
  recent.add("qr codes");
  recent.add("vaccinated");
  recent.add("  QR   Codes ");
  assert.deepEqual(recent.list(), ["QR Codes", "vaccinated"]);
});

test("keeps at most 8", () => {
  const storage = memoryStorage();
  const recent = recentStore(() => storage);
  for (let i = 0; i < 12; i++) recent.add(`query ${i}`);
  const list = recent.list();
  assert.equal(list.length, 8);
  assert.equal(list[0], "query 11");
  assert.equal(list[7], "query 4");
});

test("ignores blank queries", () => {
  const storage = memoryStorage();
  const recent = recentStore(() => storage);
  recent.add("   ");
  recent.add("");
  recent.add(undefined);
  assert.deepEqual(recent.list(), []);
});

test("clear empties the list and removes the key", () => {
  const storage = memoryStorage();
  const recent = recentStore(() => storage);
  recent.add("Nizhny Tagil");
  assert.deepEqual(recent.clear(), []);
  assert.deepEqual(recent.list(), []);
  assert.equal(storage.map.has("scour:recent"), false);
});

test("corrupt or foreign data in storage reads as an empty or filtered list", () => {
  const storage = memoryStorage();
  const recent = recentStore(() => storage);
  storage.setItem("scour:recent", "{not json");
  assert.deepEqual(recent.list(), []);
  storage.setItem("scour:recent", JSON.stringify({ a: 1 }));
  assert.deepEqual(recent.list(), []);
  storage.setItem("scour:recent", JSON.stringify(["ok", 3, null, "", "fine"]));
  assert.deepEqual(recent.list(), ["ok", "fine"]);
  recent.add("new");
  assert.deepEqual(recent.list(), ["new", "ok", "fine"]);
});

test("storage failures (private mode, quota, no access) are swallowed", () => {
  const throwing = {
    getItem() {
      throw new Error("SecurityError");
    },
    setItem() {
      throw new Error("QuotaExceededError");
    },
    removeItem() {
      throw new Error("SecurityError");
    },
  };
  for (const get of [
    () => throwing,
    () => {
      throw new Error("localStorage is not available");
    },
    () => undefined,
  ]) {
    const recent = recentStore(get);
    assert.doesNotThrow(() => recent.add("qr codes"));
    assert.deepEqual(recent.list(), []);
    assert.doesNotThrow(() => recent.clear());
  }
});

test("a custom key and size are honoured", () => {
  const storage = memoryStorage();
  const recent = recentStore(() => storage, "site:recent", 2);
  recent.add("a");
  recent.add("b");
  recent.add("c");
  assert.deepEqual(recent.list(), ["c", "b"]);
  assert.ok(storage.map.has("site:recent"));
});
