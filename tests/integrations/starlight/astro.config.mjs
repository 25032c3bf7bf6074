// A minimal Starlight site with scour: the Search component replaced, and the
// integration indexing dist/ into dist/search after `astro build`.
import { defineConfig } from "astro/config";
import starlight from "@astrojs/starlight";
import scour from "scour-search/astro";

export default defineConfig({
  integrations: [
    starlight({
      title: "Garden",
      pagefind: false,
      components: { Search: "scour-search/starlight/Search.astro" },
      sidebar: [
        { label: "Growing tomatoes", link: "/" },
        { label: "Making compost", link: "/compost/" },
        { label: "Pruning fruit trees", link: "/pruning/" },
      ],
    }),
    scour(),
  ],
});
