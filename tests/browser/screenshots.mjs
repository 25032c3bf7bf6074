// Screenshots of the demo page for a person to look at (not a test):
//   node tests/browser/screenshots.mjs [out-dir]     (default tests/browser/artifacts)
// Bundles come from the environment exactly as for run.mjs (SCOUR_BUNDLE, SCOUR_CLI).
import fs from "node:fs";
import path from "node:path";
import { ROOT, SetupError, resolveBundles, assembleSite, serve, launch, tmpDir, removeDir } from "./lib.mjs";

const out = path.resolve(process.argv[2] || path.join(ROOT, "tests/browser/artifacts"));
fs.mkdirSync(out, { recursive: true });
const tmp = tmpDir();
let server;
let browser;
try {
  const site = assembleSite(tmp, resolveBundles(tmp));
  server = await serve(site);
  browser = await launch();
  const input = "scour-search input[role=combobox]";
  const settle = (page, q) =>
    page.waitForFunction(
      ([sel, q]) => {
        // the input is in the widget's shadow root
        const host = document.querySelector(sel.split(" ")[0]);
        const i = host?.shadowRoot?.querySelector(sel.split(" ").slice(1).join(" "));
        const st = host?.dataset.state;
        return i && i.value === q && (st === "results" || st === "empty");
      },
      [input, q],
    );
  const shots = [
    { name: "light-results", scheme: "light", query: "qr codes", down: 2 },
    { name: "dark-results", scheme: "dark", query: "Kagarlitsky", down: 1 },
    { name: "light-empty", scheme: "light", query: "xqzvwj" },
    { name: "dark-suggest", scheme: "dark", query: "kagarlitzky" },
    { name: "light-page", scheme: "light", full: true },
    { name: "dark-page", scheme: "dark", full: true },
    { name: "light-recent", scheme: "light", recent: ["Nizhny Tagil", "vaccinated", "qr codes"] },
    { name: "mobile-results", scheme: "light", query: "vaccinated", width: 390 },
    { name: "modal-dark", scheme: "dark", query: "qr codes", page: "/test/modal.html", modal: true },
    { name: "xss-sections", scheme: "light", query: "script", page: "/xss/", down: 2 },
    { name: "fake-suggest", scheme: "light", query: "kagarlitzky", page: "/test/fake.html" },
  ];
  for (const s of shots) {
    const context = await browser.newContext({
      colorScheme: s.scheme,
      viewport: { width: s.width || 1280, height: 900 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    if (s.recent) await page.addInitScript((r) => localStorage.setItem("scour:recent", JSON.stringify(r)), s.recent);
    await page.goto(server.origin + (s.page || "/"));
    if (s.modal) await page.keyboard.press("Control+k");
    if ((s.query || s.recent) && !s.modal) await page.click(input);
    if (s.query) {
      await page.keyboard.type(s.query);
      await settle(page, s.query);
      for (let i = 0; i < (s.down || 0); i++) await page.keyboard.press("ArrowDown");
    }
    if (s.recent) await page.waitForSelector("scour-search[data-state=recent]");
    await page.screenshot({ path: path.join(out, `${s.name}.png`), fullPage: !!s.full });
    await context.close();
    console.log(`wrote ${path.join(out, s.name)}.png`);
  }
} catch (e) {
  console.error(e instanceof SetupError ? `screenshots: ${e.message}` : e);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await server?.close();
  removeDir(tmp);
}
