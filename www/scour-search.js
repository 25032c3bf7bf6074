// <scour-search>: an ARIA 1.2 combobox over a scour index (attributes: README.md). It
// draws in a shadow root, out of reach of the page's CSS; around a page's own <input>
// the panel stays beside it in the page, where the input's id references reach.
// Document text is never parsed as HTML. No inline styles or eval: a strict CSP is fine.
// The pure helpers are exported for the tests.

/** `text` as `{ text, mark }` segments for `ranges` (UTF-16 `[start, end)`), clamped,
 * sorted, merged, never splitting a surrogate pair. */
export function highlight(text, ranges) {
  text = String(text ?? "");
  const n = text.length;
  const spans = [];
  for (const r of Array.isArray(ranges) ? ranges : []) {
    if (!Array.isArray(r)) continue;
    let a = Math.max(0, Math.min(n, Math.floor(+r[0])));
    let b = Math.max(0, Math.min(n, Math.floor(+r[1])));
    if (!(a < b)) continue; // also drops NaN
    if (a > 0 && isLow(text, a) && isHigh(text, a - 1)) a--;
    if (b < n && isLow(text, b) && isHigh(text, b - 1)) b++;
    spans.push([a, b]);
  }
  spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out = [];
  let pos = 0;
  const push = (end, mark) => {
    if (end > pos) out.push({ text: text.slice(pos, end), mark });
    pos = end;
  };
  for (let i = 0; i < spans.length; i++) {
    let [a, b] = spans[i];
    while (i + 1 < spans.length && spans[i + 1][0] <= b) b = Math.max(b, spans[++i][1]);
    push(a, false);
    push(b, true);
  }
  push(n, false);
  return out;
}

const isHigh = (s, i) => (s.charCodeAt(i) & 0xfc00) === 0xd800;
const isLow = (s, i) => (s.charCodeAt(i) & 0xfc00) === 0xdc00;

/** Ranges of the query's words (not `-word`s) at word starts in `text`: for titles. */
export function queryRanges(text, query) {
  const words = [];
  for (const tok of String(query ?? "").match(/-?"[^"]*"?|\S+/g) || []) {
    if (tok.startsWith("-")) continue;
    for (const w of tok.replace(/"/g, " ").split(/\s+/)) {
      const t = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (t) words.push(t.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")); // `\-` is a syntax error with the u flag
    }
  }
  if (!words.length) return [];
  words.sort((x, y) => y.length - x.length);
  try {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join("|")})`, "giu");
    return [...String(text ?? "").matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
  } catch {
    return []; // a title without highlights rather than no results
  }
}

/** `url` if it may be a link (http:, https: or relative), else null. */
export function safeHref(url) {
  if (typeof url !== "string" || !url.trim()) return null;
  try {
    // parsed as href is, so "java\tscript:" is javascript: too
    const { protocol } = new URL(url, "https://base.invalid/");
    return protocol === "https:" || protocol === "http:" ? url.trim() : null;
  } catch {
    return null;
  }
}

/** A URL's folders as words ("Docs › Getting started"): no file name, hash or number;
 * the host only if not `here`'s. */
export function breadcrumb(url, here) {
  const s = String(url ?? "").trim();
  if (!safeHref(s)) return "";
  const u = new URL(s, "https://base.invalid/"); // the URL's own folders, not this page's
  const parts = u.pathname.split("/").filter(Boolean);
  if (/^index\.\w+$/i.test(parts.at(-1))) parts.pop();
  parts.pop(); // the page itself
  const words = parts
    .map((p) => {
      try {
        p = decodeURIComponent(p);
      } catch {}
      p = p.replace(/[-_+.\s]+/g, " ").trim();
      return /^[\d\s]*$|^[\da-f]{8,}$/i.test(p) && !/^(19|20)\d\d$/.test(p) ? "" : p[0].toUpperCase() + p.slice(1);
    })
    .filter(Boolean);
  if (/^(https?:)?[/\\]{2}/i.test(s) && (!here || u.host !== new URL(here).host)) words.unshift(u.host);
  return words.join(" › ");
}

/** The line under a title: the date, then the `parent` pages' titles or breadcrumb. */
export const urlLine = (url, date, here, parent) =>
  [typeof date == "string" && date.trim(), (typeof parent == "string" && parent.trim()) || (url && breadcrumb(url, here))].filter(Boolean).join(" · ");

/** A result's sections worth showing: none repeating the page's title (its h1), no
 * snippet twice, none starting with its own heading (see trimHeading). */
export function sections(hit) {
  const norm = (t) => String(t ?? "").trim().replace(/\s+/g, " ").toLowerCase();
  const seen = new Set([norm(pageSnippet(hit)?.text)]);
  const titles = new Set([norm(hit.title)]);
  const out = [];
  for (const h of Array.isArray(hit.headings) ? hit.headings : []) {
    if (!h || typeof h !== "object" || titles.has(norm(h.title))) continue;
    titles.add(norm(h.title));
    let snippet = trimHeading(h.snippet, h.title);
    if (snippet && seen.has(norm(snippet.text))) snippet = null;
    if (snippet) seen.add(norm(snippet.text));
    out.push({ ...h, snippet });
  }
  return out;
}

/** A result's snippet, from the first of its sections' headings it holds on. */
export const pageSnippet = (hit) =>
  (Array.isArray(hit.headings) ? hit.headings : []).reduce((s, h) => (s === hit.snippet && h ? trimHeading(s, h.title) : s), trimHeading(hit.snippet, hit.title));

/** `snippet` after its section's `title` (text before it is the previous section's),
 * highlights shifted. Only where a sentence may start: not "ownership" in one. */
export function trimHeading(snippet, title) {
  const text = String(snippet?.text ?? "");
  const t = String(title ?? "").trim();
  if (!text.trim()) return null;
  const at = t && new RegExp(`(^…?|[.!?:…]\\s*)${t.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")}(?![\\p{L}\\p{N}])[\\s:.–—-]*`, "iu").exec(text);
  // any case at the very start, else as written
  if (!at || (at.index + at[1].length > 1 && !at[0].includes(t))) return snippet;
  const cut = at.index + at[0].length;
  if (cut >= text.length) return null;
  const highlights = (Array.isArray(snippet.highlights) ? snippet.highlights : [])
    .map((r) => [Math.max(0, r[0] - cut), r[1] - cut])
    .filter((r) => r[1] > 0);
  return { text: text.slice(cut), highlights };
}

/** "a, b," → ["a", "b"]. */
export const list = (s) => String(s ?? "").split(",").map((x) => x.trim()).filter(Boolean);

/** `filter-lang="en,de"` among the attributes → `{ lang: ["en", "de"] }`. */
export function fixedFilters(attrs) {
  const f = {};
  for (const { name, value } of attrs) if (/^filter-./.test(name) && list(value)[0]) f[name.slice(7)] = list(value);
  return f;
}

/** A copy of `picked` (key → pressed values) with `value` of `key` toggled. */
export function toggle(picked, key, value) {
  const p = picked[key] || [];
  return { ...picked, [key]: p.includes(value) ? p.filter((v) => v !== value) : [...p, value] };
}

/** The picked chips but those of key `skip`, and the fixed filters (which win). */
export function searchFilters(fixed, picked, skip) {
  const f = {};
  for (const k in picked) if (k !== skip && picked[k].length) f[k] = picked[k];
  return { ...f, ...fixed };
}

/** Per key, chips `[value, count, pressed]`: the 12 most frequent and every pressed one
 * (count 0 if absent: a pressed chip never vanishes). */
export function facetRows(keys, facets, picked) {
  return keys.map((k) => {
    const p = picked[k] || [];
    const rows = (facets?.[k] || []).filter(([v], i) => i < 12 || p.includes(v)).map(([v, n]) => [v, n, p.includes(v)]);
    for (const v of p) if (!rows.some((r) => r[0] === v)) rows.push([v, 0, true]);
    return [k, rows];
  });
}

/** Recent searches, newest first, unique ignoring case. `storage()` gives the Storage:
 * even reaching it may throw (sandboxes), silently. */
export function recentStore(storage, key = "scour:recent", max = 8) {
  const read = () => {
    try {
      const v = JSON.parse(storage().getItem(key) || "[]");
      return Array.isArray(v) ? v.filter((x) => typeof x === "string" && x.trim()).slice(0, max) : [];
    } catch {
      return [];
    }
  };
  const write = (list) => {
    try {
      if (list.length) storage().setItem(key, JSON.stringify(list));
      else storage().removeItem(key);
    } catch {
      /* storage unavailable: recent searches simply are not kept */
    }
    return list;
  };
  return {
    list: read,
    add(query) {
      const q = String(query ?? "")
        .trim()
        .replace(/\s+/g, " ")
        .slice(0, 200);
      if (!q) return read();
      const k = q.toLowerCase();
      return write([q, ...read().filter((x) => x.toLowerCase() !== k)].slice(0, max));
    },
    clear: () => write([]),
  };
}

/** The next active option index: `delta` ±1 from `active` (-1 = none), wrapping. */
export function moveActive(active, count, delta) {
  if (count <= 0) return -1;
  if (active < 0 || active >= count) return delta > 0 ? 0 : count - 1;
  return (active + delta + count) % count;
}

/** The search state. A result or failure for an older query's `seq` leaves it as is:
 * a slow old search never wins. */
export const initialState = { seq: 0, query: "", ready: false, failed: false, pending: false, result: null, error: false, active: -1 };

export function reduce(s, a) {
  switch (a.type) {
    case "query":
      return {
        ...s,
        seq: s.seq + 1,
        query: a.query,
        active: -1,
        error: false,
        pending: !!a.query.trim(),
        result: a.query.trim() ? s.result : null,
      };
    case "loaded":
      return { ...s, ready: true, failed: false };
    case "load-failed":
      return { ...s, failed: true };
    case "result":
    case "search-failed":
      if (a.seq !== s.seq) return s;
      return a.type === "result"
        ? { ...s, pending: false, result: normalizeResult(a.result), error: false, active: -1 }
        : { ...s, pending: false, result: null, error: a.unavailable ? "unavailable" : true, active: -1 };
    case "move":
      return { ...s, active: moveActive(s.active, a.count, a.delta) };
    default:
      return s;
  }
}

function normalizeResult(r) {
  const hits = Array.isArray(r?.hits) ? r.hits.filter((h) => h && typeof h === "object") : [];
  const total = Number.isFinite(r?.total) ? r.total : hits.length;
  return { hits, total, suggestion: typeof r?.suggestion === "string" && r.suggestion.trim() ? r.suggestion : null, facets: r?.facets || null };
}

/** What a key in the input does: next, prev, enter, clear, close or null (the
 * browser's; IME keys too). */
export function inputKeyAction(e, value) {
  if (e.isComposing || e.keyCode === 229 || e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.key) {
    case "ArrowDown":
      return "next";
    case "ArrowUp":
      return "prev";
    case "Enter":
      return "enter";
    case "Escape":
      return value ? "clear" : "close";
  }
  return null;
}

/** Whether typing in `el` must not be taken over by the global shortcuts. */
export function isEditable(el) {
  if (!el || typeof el !== "object") return false;
  if (el.isContentEditable) return true;
  const tag = String(el.tagName || "").toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !/^(button|submit|reset|checkbox|radio|range|color|file|image|hidden)$/i.test(el.type || "");
}

/** Whether a keydown is `/` or Ctrl/Cmd+K outside any place the user types in. */
export function isShortcut(e, target) {
  if (e.defaultPrevented || e.isComposing || e.altKey || isEditable(target)) return false;
  if (e.key === "/") return !e.ctrlKey && !e.metaKey;
  return (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.shiftKey;
}

// The element. Everything below needs a DOM.

const HERE = import.meta.url;
const loads = new Map(); // scour.js URL → Promise<index>, shared by every instance
let uid = 0;
let shortcutsInstalled = false;
const SVG = "http://www.w3.org/2000/svg";

/** The English strings; lang/<code>.js has the page's language's, `text-<key>="…"`
 * a site's own. */
export const STRINGS = {
  search: "Search",
  loading: "Loading search…",
  unavailable: "Search is unavailable: the index could not be loaded.",
  failed: "Something went wrong with this search.",
  recent: "Recent searches",
  clear: "Clear",
  "clear-recent": "Clear recent searches",
  results: "Search results",
  "result-one": "{n} result",
  "result-other": "{n} results",
  "no-results": "No results for “{q}”.",
  none: "No results",
  "did-you-mean": "Did you mean {q}?",
  navigate: "to navigate",
  open: "to open",
  dismiss: "to clear",
};

/** The languages with a strings module in lang/ (the ones scour stems). */
export const LANGUAGES = ["de", "fr", "es", "ru", "pt", "it", "nl", "sv", "no", "da", "fi"];

/** A `lang` as a module name in LANGUAGES (nb, nn → no), or null (English). */
export function langCode(lang) {
  let c = String(lang ?? "").trim().toLowerCase().split(/[-_]/)[0];
  if (c === "nb" || c === "nn") c = "no";
  return LANGUAGES.includes(c) ? c : null;
}

const langs = new Map(); // code → Promise<strings>
const loadLang = (code) => {
  if (!langs.has(code))
    langs.set(
      code,
      import(new URL(`./lang/${code}.js`, HERE).href).then(
        (m) => m.default,
        () => ({}), // English rather than no widget
      ),
    );
  return langs.get(code);
};

/** "light" or "dark" as the page: its convention (data-theme, .dark, mdBook's…), else
 * its background, else its canvas (color-scheme, OS). */
export function pageScheme(doc = document) {
  const say = (v) => (/dark|coal|navy|ayu/i.test(v) ? "dark" : /light|rust/i.test(v) ? "light" : null);
  const nodes = [doc.documentElement, doc.body].filter(Boolean);
  for (const e of nodes) {
    for (const a of ["data-theme", "data-bs-theme", "data-color-scheme", "data-mode"]) {
      const v = say(e.getAttribute(a));
      if (v) return v;
    }
    const c = say(` ${e.className} `.match(/\s((theme-)?(dark|light|coal|navy|ayu|rust)(-mode|-theme)?)\s/)?.[1]);
    if (c) return c;
  }
  for (const e of nodes.reverse()) {
    const l = lightness(getComputedStyle(e).backgroundColor);
    if (l != null) return l < 0.45 ? "dark" : "light";
  }
  // a transparent page is its canvas: dark only if its color-scheme allows dark
  let cs = getComputedStyle(doc.documentElement).colorScheme;
  if (cs === "normal") cs = doc.querySelector("meta[name=color-scheme]")?.content || cs;
  if (!/dark/.test(cs)) return "light";
  return /light/.test(cs) && !globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ? "light" : "dark";
}

/** Lightness 0–1 of a computed rgb() or oklch() colour; null if mostly transparent. */
export function lightness(color) {
  const m = String(color).match(/^(rgba?|okl\w+)\(([^)]*)\)/);
  if (!m) return null;
  const v = m[2].split(/[\s,/]+/).filter(Boolean).map(parseFloat);
  if (v[3] < 0.5) return null;
  if (m[1][0] === "o") return v[0] > 1 ? v[0] / 100 : v[0];
  return (0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]) / 255;
}

let watching = false;
const retheme = () => document.querySelectorAll("scour-search").forEach((x) => x instanceof ScourSearch && x.theme());
/** Re-themes the widgets when the page's theme menu or the OS switches. */
function watchTheme() {
  if (watching) return;
  watching = true;
  const o = new MutationObserver(retheme);
  const attributeFilter = ["class", "style", "data-theme", "data-bs-theme", "data-color-scheme", "data-mode"];
  o.observe(document.documentElement, { attributeFilter });
  if (document.body) o.observe(document.body, { attributeFilter });
  globalThis.matchMedia?.("(prefers-color-scheme: dark)").addEventListener?.("change", retheme);
}

function loadIndex(url) {
  let p = loads.get(url);
  if (!p) {
    // the engine and its glue come with scour.js, not one round trip after it
    for (const [f, as] of [["scour_engine_bg.wasm", "fetch"], ["scour_engine.js"]]) {
      const l = document.createElement("link");
      l.rel = as ? "preload" : "modulepreload";
      if (as) (l.as = as), (l.crossOrigin = "");
      l.href = new URL(f, url);
      document.head.append(l);
    }
    p = import(url)
      .then((m) => m.load())
      .catch((err) => {
        loads.delete(url); // the next focus tries again
        console.error(`scour: could not load the search index (${url})`, err);
        throw err;
      });
    loads.set(url, p);
  }
  return p;
}

/** An element; its classes without `scour-` are its `part`s. */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) {
    e.className = cls;
    e.setAttribute("part", cls.replace(/scour-/g, ""));
  }
  if (text != null) e.textContent = text;
  return e;
}

function button(cls, text, act) {
  const b = el("button", cls, text);
  b.type = "button";
  if (act) b.dataset.act = act;
  return b;
}

/** Appends `text` to `parent` as text nodes and <mark> elements: never as HTML. */
function appendMarked(parent, text, ranges) {
  for (const seg of highlight(text, ranges)) {
    parent.append(seg.mark ? el("mark", "scour-mark", seg.text) : document.createTextNode(seg.text));
  }
  return parent;
}

function icon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "scour-icon");
  svg.setAttribute("viewBox", "0 0 20 20");
  svg.setAttribute("width", "20"); // a sane size without the stylesheet (no-styles)
  svg.setAttribute("height", "20");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute(
    "d",
    "M8.5 3a5.5 5.5 0 1 0 3.36 9.86l3.64 3.64 1.06-1.06-3.64-3.64A5.5 5.5 0 0 0 8.5 3Zm0 1.5a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z",
  );
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

const isMac = () => /Mac|iPhone|iPad/.test(globalThis.navigator?.platform || "");

function onDocumentKeydown(e) {
  const target = e.composedPath?.()[0] || e.target;
  if (!isShortcut(e, target)) return;
  const all = [...document.querySelectorAll("scour-search:not([no-shortcuts])")].filter((x) => x instanceof ScourSearch);
  const box = all.find((x) => x.getAttribute("mode") === "modal") || all[0];
  if (!box) return;
  e.preventDefault();
  box.open();
}

const Base = globalThis.HTMLElement ?? class {};

export class ScourSearch extends Base {
  static observedAttributes = ["placeholder", "label", "limit", "sort", "facets", "theme", "lang"];

  #s = initialState;
  #index = null;
  #loading = false;
  #recent = recentStore(() => globalThis.localStorage);
  #options = []; // the option elements, in order
  #picked = {}; // facet key → values of the pressed chips
  #busy = false; // rebuilding the chips: a removed focused chip fires focusout
  #focused = false;
  #built = false;
  #id = "";
  #root; // the shadow root, or the element itself around a page's own <input>
  #strings = {};
  #lang = null;
  #input;
  #label;
  #field;
  #panel;
  #head;
  #chips;
  #msg;
  #list;
  #foot;
  #live;
  #dialog = null;
  #abort;
  #overflow = null; // the page's overflow while the dialog locks its scrolling

  connectedCallback() {
    if (!this.#built) this.#build();
    if (!this.hasAttribute("no-styles") && this.#root === this) addStyles();
    if (!shortcutsInstalled) {
      shortcutsInstalled = true;
      document.addEventListener("keydown", onDocumentKeydown);
    }
    watchTheme();
    this.theme();
    this.#language();
    if (this.hasAttribute("eager")) this.#load();
  }

  attributeChangedCallback(name) {
    if (!this.#built) return;
    if (name === "label" || name === "placeholder") this.#syncText();
    else if (name === "theme") this.theme();
    else if (name === "lang") this.#language();
    else this.#search();
  }

  /** Sets `data-scheme` (the colours) from `theme`: light, dark or auto (pageScheme). */
  theme() {
    const t = this.getAttribute("theme");
    const scheme = t === "light" || t === "dark" ? t : pageScheme();
    if (this.dataset.scheme !== scheme) this.dataset.scheme = scheme;
  }

  /** Focuses the search input (opening the dialog in modal mode). */
  open() {
    if (this.#dialog && !this.#dialog.open) {
      this.#dialog.showModal();
      // the page behind must not scroll (CSSOM: a strict CSP allows it)
      const s = document.documentElement.style;
      this.#overflow = s.overflow;
      s.overflow = "hidden";
    }
    this.#input.focus();
    this.#input.select();
  }

  /** Runs `query` as if it had been typed. */
  search(query) {
    this.#input.value = query;
    this.#run();
  }

  get #limit() {
    const n = parseInt(this.getAttribute("limit"), 10);
    return n > 0 ? Math.min(n, 100) : 8;
  }

  get #recentOn() {
    return !this.hasAttribute("no-recent");
  }

  /** A string in the page's language: the site's `text-<key>`, the language's, English. */
  #t(key, n) {
    const s = this.getAttribute(`text-${key}`) ?? this.#strings[key] ?? STRINGS[key] ?? "";
    return s.replace("{n}", n);
  }

  /** `key`'s string as nodes, `node` where it says {q}. */
  #tq(key, node) {
    const [a, b = ""] = this.#t(key).split("{q}");
    return [a, node, b];
  }

  #language() {
    const lang = this.closest("[lang]")?.lang || document.documentElement.lang;
    const code = langCode(lang);
    this.#lang = lang || "en";
    const done = (s) => {
      this.#strings = s;
      this.#syncText();
      this.#render();
    };
    if (code) loadLang(code).then((s) => langCode(this.closest("[lang]")?.lang || document.documentElement.lang) === code && done(s));
    else done({});
  }

  #build() {
    this.#built = true;
    this.#id = `scour-${++uid}`;
    this.classList.add("scour");
    const modal = this.getAttribute("mode") === "modal";
    // A page's own <input> (say, in a form for a server search) is used as is.
    let input = this.querySelector("input");
    const root = (this.#root = input ? this : this.attachShadow({ mode: "open" }));
    const box = el("div", "scour-box");
    const combo = el("div", "scour-combo");
    if (!input) {
      if (!this.hasAttribute("no-styles")) {
        const link = el("link");
        link.rel = "stylesheet";
        link.href = new URL("./scour-search.css", HERE).href;
        // no unstyled flash: a shadow root's stylesheet does not block rendering
        this.style.visibility = "hidden";
        link.onload = link.onerror = () => this.style.removeProperty("visibility");
        root.append(link);
      }
      input = el("input", "scour-input");
      input.type = "search";
      this.#label = el("label", "scour-label");
      const field = (this.#field = el("div", "scour-field"));
      field.append(icon(), input);
      if (!modal) field.append(el("kbd", "scour-kbd", "/"));
      combo.append(field);
      box.append(this.#label);
    } else {
      input.classList.add("scour-input");
      input.parentNode.insertBefore(combo, input.nextSibling);
      this.#field = input;
    }
    this.#input = input;
    input.id ||= `${this.#id}-input`;
    this.#label?.setAttribute("for", input.id);
    const listId = `${this.#id}-list`;
    for (const [k, v] of [
      ["role", "combobox"],
      ["aria-autocomplete", "list"],
      ["aria-expanded", "false"],
      ["aria-controls", listId],
      ["autocomplete", "off"],
      ["autocapitalize", "off"],
      ["spellcheck", "false"],
      ["enterkeyhint", "go"],
    ])
      input.setAttribute(k, v);

    this.#panel = el("div", "scour-panel");
    this.#panel.hidden = true;
    this.#head = el("div", "scour-head");
    this.#chips = el("div", "scour-facets");
    this.#msg = el("div", "scour-msg");
    this.#list = el("div", "scour-list");
    this.#list.id = listId;
    this.#list.setAttribute("role", "listbox");
    this.#foot = el("div", "scour-foot");
    this.#foot.setAttribute("aria-hidden", "true");
    this.#panel.append(this.#chips, this.#head, this.#msg, this.#list, this.#foot);
    this.#live = el("div", "scour-sr");
    this.#live.setAttribute("aria-live", "polite");
    combo.append(this.#panel);
    if (!combo.isConnected) box.append(combo);
    box.append(this.#live);

    if (modal) {
      const open = button("scour-open");
      open.setAttribute("aria-haspopup", "dialog");
      open.append(icon(), el("span", "scour-open-text"), el("kbd", "scour-kbd", isMac() ? "⌘K" : "Ctrl K"));
      open.addEventListener("click", () => this.open());
      const dialog = (this.#dialog = el("dialog", "scour-dialog"));
      if (this.#label) dialog.setAttribute("aria-labelledby", (this.#label.id = `${this.#id}-label`));
      dialog.append(box);
      // A click on the backdrop (the dialog itself, outside the box) closes it.
      dialog.addEventListener("click", (e) => e.target === dialog && dialog.close());
      dialog.addEventListener("close", () => {
        if (this.#overflow != null) document.documentElement.style.overflow = this.#overflow;
        this.#overflow = null;
        this.#remember();
        this.#setFocus(false);
      });
      root.append(open, dialog);
    } else {
      root.append(box);
    }
    this.#syncText();

    input.addEventListener("input", (e) => e.isComposing || this.#run());
    input.addEventListener("compositionend", () => this.#run());
    input.addEventListener("keydown", (e) => this.#onKey(e));
    // outside, keys seem typed on this element: the page's shortcuts would take them
    if (root !== this) for (const k of ["keydown", "keyup", "keypress"]) input.addEventListener(k, (e) => e.stopPropagation());
    input.addEventListener("focus", () => {
      this.#load();
      this.#setFocus(true);
    });
    // focus moving inside the shadow root comes with relatedTarget = this
    this.addEventListener("focusout", (e) => {
      if (this.#busy || this.#dialog?.open || this.contains(e.relatedTarget) || root.contains(e.relatedTarget)) return;
      this.#remember();
      this.#setFocus(false);
    });
    (globalThis.visualViewport ?? globalThis).addEventListener("resize", () => this.#fit());
    // Clicks in the panel must not take the focus from the input.
    this.#panel.addEventListener("mousedown", (e) => e.preventDefault());
    this.#panel.addEventListener("click", (e) => this.#onClick(e));
  }

  #syncText() {
    const label = this.getAttribute("label") || this.#t("search");
    if (this.#label) this.#label.textContent = label;
    this.#root.querySelector(".scour-open-text")?.replaceChildren(label);
    const ph = this.getAttribute("placeholder");
    if (ph != null) this.#input.placeholder = ph;
    this.#foot.replaceChildren();
    for (const [keys, what] of [
      [["↑", "↓"], "navigate"],
      [["↵"], "open"],
      [["esc"], "dismiss"],
    ]) {
      const s = el("span");
      for (const k of keys) s.append(el("kbd", "scour-kbd", k));
      s.append(` ${this.#t(what)}`);
      this.#foot.append(s);
    }
  }

  #bundleUrl() {
    const b = this.getAttribute("bundle");
    return b ? new URL("scour.js", new URL(b.replace(/\/?$/, "/"), document.baseURI)).href : new URL("./scour.js", HERE).href;
  }

  #load() {
    if (this.#index || this.#loading) return;
    this.#loading = true;
    loadIndex(this.#bundleUrl()).then(
      (index) => {
        this.#loading = false;
        this.#index = index;
        this.#set({ type: "loaded" });
        this.#search();
      },
      () => {
        this.#loading = false;
        this.#set({ type: "load-failed" });
      },
    );
  }

  #set(action) {
    const next = reduce(this.#s, action);
    if (next === this.#s) return;
    this.#s = next;
    if (action.type === "move") this.#showActive();
    else this.#render();
  }

  #run() {
    this.#set({ type: "query", query: this.#input.value });
    this.#search();
  }

  #search() {
    const { seq, query } = this.#s;
    const index = this.#index;
    if (!index || !query.trim()) return;
    const keys = list(this.getAttribute("facets"));
    const p = this.#picked;
    // a newer search stops this one's chunk fetches
    this.#abort?.abort();
    const { signal } = (this.#abort = new AbortController());
    const find = (skip, limit) =>
      index.search(query, { limit, filters: searchFilters(fixedFilters(this.attributes), p, skip), sort: this.getAttribute("sort"), facets: !!keys[0], signal });
    // A key's counts ignore its own pressed chips: they tell what another adds.
    const again = keys.filter((k) => p[k]?.length);
    Promise.resolve()
      .then(() => Promise.all([find(null, this.#limit), ...again.map((k) => find(k, 0))]))
      .then(
        ([result, ...more]) => {
          if (again[0]) result.facets = { ...result.facets };
          again.forEach((k, i) => (result.facets[k] = more[i].facets?.[k]));
          this.#set({ type: "result", seq, result });
        },
        (e) => signal.aborted || this.#set({ type: "search-failed", seq, unavailable: e?.name === "ScourUnavailableError" }),
      );
  }

  #setFocus(on) {
    if (this.#focused === on) return;
    this.#focused = on;
    this.#render();
  }

  #remember() {
    const r = this.#s.result;
    if (this.#recentOn && r && r.hits.length) this.#recent.add(this.#s.query);
  }

  #onKey(e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "k" || e.key === "K")) return e.preventDefault();
    const action = inputKeyAction(e, this.#input.value);
    const count = this.#options.length;
    if (!action) return;
    if (action === "next" || action === "prev") {
      if (!count) return;
      e.preventDefault();
      this.#set({ type: "move", count, delta: action === "next" ? 1 : -1 });
    } else if (action === "enter") {
      const option = this.#options[this.#s.active] || (this.#s.query.trim() && this.#options[0]);
      if (!option) return; // let a surrounding form submit
      e.preventDefault();
      this.#choose(option);
    } else if (action === "clear") {
      e.preventDefault(); // also stops type=search's own clearing and the dialog's cancel
      this.search("");
    } else {
      e.preventDefault();
      if (this.#dialog) this.#dialog.close();
      else this.#input.blur();
    }
  }

  #onClick(e) {
    const t = e.target.closest?.("[data-act],[role=option]");
    if (!t) return;
    const act = t.dataset.act;
    if (act === "clear-recent") {
      this.#recent.clear();
      this.#render();
      this.#input.focus();
    } else if (act === "chip") {
      this.#picked = toggle(this.#picked, t.name, t.value);
      this.#run();
    } else if (act === "suggest") {
      this.search(t.textContent);
      this.#input.focus();
    } else if (t.getAttribute("role") === "option" && !e.defaultPrevented) {
      // A result link navigates by itself (middle click and modifiers work as usual).
      if (t.dataset.q != null) {
        e.preventDefault();
        this.search(t.dataset.q);
        this.#input.focus();
      } else this.#remember();
    }
  }

  /** Opens an option: runs a recent search, or follows a result link. */
  #choose(option) {
    if (option.dataset.q != null) {
      this.search(option.dataset.q);
    } else if (option.href) {
      option.click(); // the click handler remembers the query; the link navigates
    }
  }

  #render() {
    if (!this.#built) return;
    const s = this.#s;
    const q = s.query.trim();
    const list = this.#list;
    const msg = this.#msg;
    const t = (k, n) => this.#t(k, n);
    this.#options = [];
    list.replaceChildren();
    msg.replaceChildren();
    this.#head.replaceChildren();
    let live = "";
    let kind = ""; // "recent" | "hits" | "" (message only or nothing)

    if (s.failed && !s.ready) {
      msg.append(el("p", "scour-error", t("unavailable")));
      live = t("unavailable");
    } else if (!q) {
      const recent = this.#recentOn ? this.#recent.list() : [];
      if (recent.length) {
        kind = "recent";
        const clear = button("scour-clear", t("clear"), "clear-recent");
        clear.setAttribute("aria-label", t("clear-recent"));
        this.#head.append(el("span", "scour-head-text", t("recent")), clear);
        for (const r of recent) {
          const o = this.#option("div", "scour-option scour-recent");
          o.dataset.q = r;
          o.append(el("span", "scour-title", r));
        }
      }
    } else if (s.error) {
      // an engine that could not be loaded is the whole search, not this query
      live = t(s.error === "unavailable" ? "unavailable" : "failed");
      msg.append(el("p", "scour-error", live));
    } else if (!s.result) {
      if (!s.ready) msg.append(el("p", "scour-loading", t("loading")));
    } else {
      const { hits, total, suggestion } = s.result;
      if (hits.length) {
        kind = "hits";
        for (const hit of hits) this.#hit(hit, q);
        let rule = "other";
        try {
          rule = new Intl.PluralRules(this.#lang).select(total);
        } catch {}
        const k = `result-${rule}`;
        live = t(this.getAttribute(`text-${k}`) ?? this.#strings[k] ?? STRINGS[k] ? k : "result-other", total);
      } else {
        const p = el("p", "scour-empty");
        p.append(...this.#tq("no-results", el("strong", null, q)));
        msg.append(p);
        live = t("none");
      }
      if (suggestion && suggestion.trim().toLowerCase() !== q.toLowerCase()) {
        const p = el("p", "scour-suggest");
        p.append(...this.#tq("did-you-mean", button("scour-suggestion", suggestion, "suggest")));
        msg.append(p);
        live += `. ${p.textContent}`;
      }
    }

    this.#facets(q && s.result);
    list.hidden = !kind;
    list.setAttribute("aria-label", t(kind === "recent" ? "recent" : "results"));
    this.#head.hidden = kind !== "recent";
    this.#foot.hidden = !kind; // the key hints, only with options to move through
    msg.hidden = !msg.firstChild;
    msg.classList.toggle("scour-msg-top", !!kind); // "did you mean" above results
    const open = this.#focused && (!!kind || !msg.hidden);
    this.#panel.hidden = !open;
    this.#input.setAttribute("aria-expanded", String(open && !!kind));
    // For page styles and tests.
    this.dataset.state =
      s.failed && !s.ready
        ? "error"
        : !q
          ? kind || "idle"
          : s.error
            ? "error"
            : !s.ready
              ? "loading"
              : s.pending
                ? "searching"
                : kind
                  ? "results"
                  : "empty";
    this.classList.toggle("scour-expanded", open);
    if (this.#live.textContent !== live) this.#live.textContent = live;
    // Enter's target before any arrow
    this.#options[0]?.classList.toggle("scour-first", kind === "hits");
    if (open) this.#fit();
    this.#showActive();
  }

  /** Keeps the inline panel on screen: at most the height left below the field. */
  #fit() {
    if (this.#dialog || this.#panel.hidden) return;
    // the visual viewport: what a phone's on-screen keyboard leaves
    const below = (globalThis.visualViewport?.height ?? innerHeight) - this.#field.getBoundingClientRect().bottom - 14;
    this.#panel.style.setProperty("--scour-fit", `${Math.max(160, Math.round(below))}px`);
  }

  #option(tag, cls) {
    const o = el(tag, cls);
    o.id = `${this.#id}-opt-${this.#options.length}`;
    o.setAttribute("role", "option");
    o.setAttribute("aria-selected", "false");
    this.#list.append(o);
    this.#options.push(o);
    return o;
  }

  /** A result and its sections. A URL that is not http(s) or relative gets no link. */
  #hit(hit, q) {
    const add = (item, sub) => {
      const title = String(item.title ?? "");
      const href = safeHref(item.url);
      const o = this.#option(href ? "a" : "div", `scour-option ${sub ? "scour-sub" : "scour-hit"}`);
      if (href) {
        o.href = href;
        o.tabIndex = -1;
      }
      o.append(appendMarked(el("span", "scour-title"), title || String(item.url ?? ""), queryRanges(title, q)));
      const line = !sub && urlLine(item.url, item.meta?.date, location.href, item.meta?.parent);
      if (line) o.append(el("span", "scour-url", line));
      const snip = sub ? item.snippet : pageSnippet(item);
      if (snip?.text && snip.text !== title) o.append(appendMarked(el("span", "scour-snippet"), snip.text, snip.highlights));
    };
    add(hit, false);
    for (const h of sections(hit)) add(h, true);
  }

  /** The chips; a focused one keeps the focus. */
  #facets(on) {
    const box = this.#chips;
    const active = (this.shadowRoot || document).activeElement;
    const was = box.contains(active) && active;
    let focus = was && this.#input;
    this.#busy = true;
    box.replaceChildren();
    for (const [k, rows] of on ? facetRows(list(this.getAttribute("facets")), this.#s.result.facets, this.#picked) : []) {
      if (!rows[0]) continue;
      const row = el("div", "scour-facet");
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", k);
      row.append(el("span", "scour-key", k));
      for (const [v, n, pressed] of rows) {
        const b = button("scour-chip", `${v} `, "chip");
        b.name = k;
        b.value = v;
        b.setAttribute("aria-pressed", pressed);
        b.append(el("span", "scour-count", n));
        row.append(b);
        if (was && was.name === k && was.value === v) focus = b;
      }
      box.append(row);
    }
    box.hidden = !box.firstChild;
    if (focus) focus.focus();
    this.#busy = false;
  }

  #showActive() {
    const { active } = this.#s;
    this.#options.forEach((o, i) => o.setAttribute("aria-selected", String(i === active)));
    const cur = this.#options[active];
    if (cur) {
      this.#input.setAttribute("aria-activedescendant", cur.id);
      cur.scrollIntoView?.({ block: "nearest" });
    } else this.#input.removeAttribute("aria-activedescendant");
  }
}

/** The stylesheet in the page, for a widget around the page's own <input>. */
function addStyles() {
  const href = new URL("./scour-search.css", HERE).href;
  const has = [...document.querySelectorAll("link[rel~=stylesheet]")].some((l) => l.href === href || l.hasAttribute("data-scour"));
  if (has) return;
  const link = el("link");
  link.rel = "stylesheet";
  link.href = href;
  link.dataset.scour = "";
  document.head.append(link);
}

if (globalThis.customElements && !customElements.get("scour-search")) {
  customElements.define("scour-search", ScourSearch);
}
