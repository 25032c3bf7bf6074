// A minimal Docusaurus site with scour's plugin: `npm run build` builds the site, then
// the plugin's postBuild indexes build/ into build/search.
export default {
  title: "Scour fixture",
  url: "https://example.com",
  baseUrl: "/",
  onBrokenLinks: "throw",
  presets: [
    [
      "classic",
      {
        docs: { routeBasePath: "/", sidebarPath: false },
        blog: false,
        pages: false,
      },
    ],
  ],
  plugins: [["scour-search/docusaurus", { widget: { mode: "modal", placeholder: "Search the garden" } }]],
  themeConfig: {
    navbar: { title: "Garden", items: [{ to: "/compost", label: "Compost", position: "left" }] },
  },
};
