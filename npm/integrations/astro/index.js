// Astro (and Starlight): the integration that indexes the built site into
// `dist/search` when `astro build` is done.
//
//   // astro.config.mjs
//   import scour from "scour-search/astro";
//   export default defineConfig({ integrations: [starlight({ … }), scour()] });
//
// The search box is scour-search/starlight/Search.astro (Starlight's `Search` override),
// or the widget's two lines in a layout of a plain Astro site.

import { fileURLToPath } from "node:url";

import { buildSite } from "../build.js";

/**
 * @param {{ out?: string, rootSelector?: string, exclude?: string | string[], strict?: boolean,
 *   layout?: "auto" | "single" | "lazy", config?: string }} [options]
 */
export default function scourSearch(options = {}) {
  let base = "/";
  return {
    name: "scour-search",
    hooks: {
      "astro:config:done": ({ config }) => {
        base = config.base ?? "/";
      },
      "astro:build:done": async ({ dir, logger }) => {
        const log = { info: (m) => logger.info(m), warn: (m) => logger.warn(m) };
        await buildSite(fileURLToPath(dir), { ...options, baseUrl: base }, log);
      },
    },
  };
}
