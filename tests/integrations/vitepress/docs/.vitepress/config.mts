// A minimal VitePress site with scour: buildEnd indexes the built site into
// docs/.vitepress/dist/search.
import { defineConfig } from "vitepress";
import { scourBuildEnd } from "scour-search/vitepress/build";

export default defineConfig({
  title: "Garden",
  // served under a path, as a project's GitHub Pages site is
  base: "/garden/",
  themeConfig: {
    nav: [{ text: "Compost", link: "/compost" }],
    sidebar: [
      { text: "Growing tomatoes", link: "/" },
      { text: "Making compost", link: "/compost" },
      { text: "Pruning fruit trees", link: "/pruning" },
    ],
  },
  buildEnd: scourBuildEnd(),
});
