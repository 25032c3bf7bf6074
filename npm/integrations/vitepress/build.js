// VitePress: the `buildEnd` hook that indexes the built site into `<outDir>/search`.
//
//   // .vitepress/config.mts
//   import { scourBuildEnd } from "scour-search/vitepress/build";
//   export default defineConfig({ buildEnd: scourBuildEnd() });
//
// Node only: the theme imports "scour-search/vitepress", the config this file.

import { buildSite } from "../build.js";

/**
 * A `buildEnd` hook running `scour build` on VitePress's `outDir`, with the site's
 * `base` as the base URL.
 *
 * @param {{ out?: string, rootSelector?: string, exclude?: string | string[], strict?: boolean,
 *   layout?: "auto" | "single" | "lazy", config?: string }} [options]
 * @returns {(siteConfig: { outDir: string, site: { base: string } }) => Promise<void>}
 */
export function scourBuildEnd(options = {}) {
  return async (siteConfig) => {
    await buildSite(siteConfig.outDir, { ...options, baseUrl: siteConfig.site?.base ?? "/" });
  };
}
