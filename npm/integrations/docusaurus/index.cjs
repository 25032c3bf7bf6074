// The Docusaurus plugin: after `docusaurus build` it indexes the build folder into
// `build/search` (postBuild), and its theme's SearchBar puts <scour-search> in the navbar.
//
//   // docusaurus.config.js
//   plugins: [["scour-search/docusaurus", { mode: "modal" }]],
//
// CommonJS (.cjs), because Docusaurus loads plugins with require (through jiti); the build
// itself is the package's ES module API, imported when it runs.

const path = require("node:path");

const DEFAULTS = {
  // the bundle folder inside the build folder, and the URL path below baseUrl
  out: "search",
  // a doc page's text without the table of contents beside it
  rootSelector: "article",
  // the <scour-search> element's attributes (README: placeholder, limit, theme, …)
  widget: { mode: "modal" },
};

/**
 * @param {import("@docusaurus/types").LoadContext} context
 * @param {object} options see index.d.ts
 */
function scourSearch(context, options = {}) {
  const settings = { ...DEFAULTS, ...options };
  const { out, rootSelector, exclude, strict, layout, config, widget } = settings;
  return {
    name: "scour-search",

    getThemePath() {
      return path.join(__dirname, "theme");
    },

    // what the SearchBar needs in the browser: where the bundle is, the widget's attributes
    async contentLoaded({ actions }) {
      actions.setGlobalData({ out, widget });
    },

    async postBuild({ outDir, siteConfig }) {
      const { buildSite } = await import("../build.js");
      const log = {
        info: (message) => console.log(`[scour-search] ${message}`),
        warn: (message) => console.warn(`[scour-search] ${message}`),
      };
      await buildSite(outDir, { out, baseUrl: siteConfig.baseUrl, rootSelector, exclude, strict, layout, config }, log);
    },
  };
}

module.exports = scourSearch;
module.exports.default = scourSearch;
