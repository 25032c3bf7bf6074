// The framework integrations in Chromium: a site built by Docusaurus, VitePress or
// Starlight with scour's integration (the build ran `scour build` through the hook) is
// served on 127.0.0.1 and checked as a visitor meets it: the <scour-search> box is there
// after hydration, still there after following a link (a client-side navigation where
// the framework routes on the client), and typing a query shows results.
//
//   node tests/integrations/check.mjs <docusaurus|vitepress|starlight> <built site> [artifacts dir]
//
// Needs playwright-core (the repository's devDependencies) and Chromium (CHROMIUM, else
// /usr/bin/chromium). The server and the browser stop when the check ends, and the
// whole run is bounded in time.

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { launch } from "../browser/lib.mjs";

// client: the framework routes links on the client (the page is not reloaded);
// base: the path the site is served under (its config's base)
const FRAMEWORKS = {
  docusaurus: { client: true, base: "/" },
  vitepress: { client: true, base: "/garden/" },
  starlight: { client: false, base: "/" },
};

const [name, siteArg, artifactsArg] = process.argv.slice(2);
const framework = FRAMEWORKS[name];
if (!framework || !siteArg) {
  console.error(`usage: node tests/integrations/check.mjs <${Object.keys(FRAMEWORKS).join("|")}> <built site> [artifacts dir]`);
  process.exit(2);
}
const site = path.resolve(siteArg);
const artifacts = path.resolve(artifactsArg ?? path.join(site, "..", "artifacts"));
fs.mkdirSync(artifacts, { recursive: true });
// never hang a test run: everything below takes seconds
setTimeout(() => {
  console.error(`${name}: the check did not finish in 3 minutes`);
  process.exit(1);
}, 180_000).unref();

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".bin": "application/octet-stream",
};

/** A static host as the frameworks expect one, with the site under `prefix`: `/a`
 * serves a.html or a/index.html. */
async function serve(root, prefix) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      rel = "/";
    }
    if (!rel.startsWith(prefix)) return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    rel = `/${rel.slice(prefix.length)}`;
    const base = path.join(root, path.normalize(rel));
    if (base !== root && !base.startsWith(root + path.sep)) return res.writeHead(403).end();
    const file = [base, `${base}.html`, path.join(base, "index.html")].find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
    if (!file) return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** The box's state as the visitor sees it (the widget draws in an open shadow root). */
function widget(page) {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll("scour-search")];
    const box = boxes[0];
    const root = box?.shadowRoot ?? box;
    return {
      count: boxes.length,
      upgraded: !!box && box instanceof (customElements.get("scour-search") ?? class {}),
      button: !!root?.querySelector(".scour-open"),
      visible: !!box && box.getBoundingClientRect().width > 0,
      state: box?.dataset.state ?? null,
      value: root?.querySelector("input")?.value ?? null,
      options: [...(root?.querySelectorAll("[role=option]") ?? [])].map((o) => ({
        text: o.textContent,
        href: o.getAttribute("href"),
      })),
    };
  });
}

/** Waits until the box is on the page, upgraded, showing its button. */
async function present(page, when) {
  await page
    .waitForFunction(
      () => {
        const box = document.querySelector("scour-search");
        return box && customElements.get("scour-search") && (box.shadowRoot ?? box).querySelector(".scour-open");
      },
      null,
      { timeout: 15000 },
    )
    .catch(() => {});
  const w = await widget(page);
  assert.equal(w.count, 1, `${when}: one <scour-search> on the page, found ${w.count}`);
  assert.ok(w.upgraded && w.button && w.visible, `${when}: the box is upgraded and visible: ${JSON.stringify(w)}`);
}

/** Opens the dialog with its button, types `query`, waits for the outcome. */
async function search(page, query) {
  await page.locator("scour-search .scour-open").click();
  await page.keyboard.type(query);
  await page
    .waitForFunction(
      (q) => {
        const box = document.querySelector("scour-search");
        const input = (box.shadowRoot ?? box).querySelector("input");
        return input?.value === q && ["results", "empty", "error"].includes(box.dataset.state);
      },
      query,
      { timeout: 15000 },
    )
    .catch(() => {});
  return widget(page);
}

const server = await serve(site, framework.base);
const browser = await launch();
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    // a failed request is reported below, with its URL
    if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${new URL(r.url()).pathname}`);
  });

  await page.goto(`${server.origin}${framework.base}`, { waitUntil: "networkidle" });
  await present(page, "after loading");
  // hydration and the framework's first effects are over by now; the box must have
  // survived them (React's error #418 replaced the whole server-rendered tree)
  await page.waitForTimeout(1000);
  await present(page, "after hydration");

  let w = await search(page, "stake tomatoes");
  assert.equal(w.state, "results", `a query shows results: ${JSON.stringify(w)}`);
  assert.match(w.options[0]?.text ?? "", /Growing tomatoes/, `the first result: ${JSON.stringify(w.options)}`);
  await page.screenshot({ path: path.join(artifacts, `${name}-results.png`) });
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");

  // follow a link of the page's content to the compost page
  await page.evaluate(() => {
    window.__scourSamePage = true;
  });
  await page.locator("a", { hasText: /^making compost$/ }).first().click();
  await page.waitForFunction(() => /compost/.test(location.pathname) && /Making compost/.test(document.querySelector("h1")?.textContent ?? ""), null, { timeout: 15000 });
  await page.waitForLoadState("networkidle");
  const samePage = await page.evaluate(() => window.__scourSamePage === true);
  assert.equal(samePage, framework.client, framework.client ? "the link was routed on the client" : "the link loaded a new page");
  await present(page, "after following a link");

  w = await search(page, "worms");
  assert.equal(w.state, "results", `a query after the navigation shows results: ${JSON.stringify(w)}`);
  assert.match(w.options[0]?.text ?? "", /Making compost/, `the first result: ${JSON.stringify(w.options)}`);
  // the theme's screen-reader text for heading anchors (Starlight's, marked
  // data-pagefind-ignore) is not page text
  assert.doesNotMatch(w.options[0].text, /Section titled/, "no anchor labels in the snippet");
  // the result's link leads to a page of the site
  const href = new URL(w.options[0].href, page.url());
  assert.ok(href.pathname.startsWith(framework.base), `the result's link ${href.pathname} is below the site's base ${framework.base}`);
  const response = await page.request.get(href.href);
  assert.equal(response.status(), 200, `the result's link ${href.pathname} is a page of the site`);
  await page.screenshot({ path: path.join(artifacts, `${name}-after-navigation.png`) });

  // browsers ask for /favicon.ico whether a site has one or not
  const noise = problems.filter((p) => !/^HTTP 404: \/favicon\.ico$/.test(p));
  assert.deepEqual(noise, [], "no errors on the page (a hydration error shows here)");
  console.log(
    `${name}: the box survives hydration and ${framework.client ? "a client-side navigation" : "a page load"}, and finds pages (screenshots in ${artifacts})`,
  );
} finally {
  await browser.close();
  await server.close();
}
