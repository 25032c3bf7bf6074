// In the browser: puts a <scour-search> into a host element that a framework rendered
// empty, after hydration, and loads the widget's script once. The frameworks' own
// components call it from their "mounted" hook, so the server-rendered HTML holds only
// the empty host and hydration has nothing of scour's to compare or remove.

/**
 * Mounts a `<scour-search>` with `attributes` in `host`; returns the function that
 * removes it.
 *
 * @param {Element} host
 * @param {{ src: string, attributes?: Record<string, string | number | boolean | null | undefined> }} options
 *   `src`: the widget script's URL (the bundle folder's `scour-search.js`).
 * @returns {() => void}
 */
export function mountScourSearch(host, { src, attributes = {} }) {
  loadScript(src);
  const box = document.createElement("scour-search");
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    box.setAttribute(name, value === true ? "" : String(value));
  }
  host.append(box);
  return () => box.remove();
}

/** Adds `<script type="module" src>` to the head, unless the page already has it. */
function loadScript(src) {
  const url = new URL(src, document.baseURI).href;
  for (const script of document.querySelectorAll("script[src]")) if (script.src === url) return;
  const script = document.createElement("script");
  script.type = "module";
  script.src = url;
  document.head.append(script);
}

/** `base` + `path` with one `/` between them (`/docs/` + `search/x.js`). */
export function joinUrl(base, path) {
  return `${String(base || "/").replace(/\/*$/, "/")}${String(path).replace(/^\/+/, "")}`;
}
