// VitePress: <ScourSearch>, a component for a layout slot of the default theme.
//
//   // .vitepress/theme/index.ts
//   import DefaultTheme from "vitepress/theme";
//   import { h } from "vue";
//   import { ScourSearch } from "scour-search/vitepress";
//   export default {
//     extends: DefaultTheme,
//     Layout: () => h(DefaultTheme.Layout, null, { "nav-bar-content-before": () => h(ScourSearch) }),
//   };
//
// The server renders an empty <span>; the <scour-search> element goes in once the page
// is mounted, so Vue's hydration never sees it, and the layout (with the slot) stays
// mounted across client-side navigations. The bundle is built by scourBuildEnd
// (scour-search/vitepress/build) in the site's config.

import { defineComponent, h, onBeforeUnmount, onMounted, ref } from "vue";

import { joinUrl, mountScourSearch } from "../mount.js";

export const ScourSearch = defineComponent({
  name: "ScourSearch",
  props: {
    /** The bundle folder below the site's base (as scourBuildEnd's `out`). */
    out: { type: String, default: "search" },
    /** The <scour-search> element's attributes (placeholder, limit, theme, …). */
    widget: { type: Object, default: () => ({ mode: "modal" }) },
  },
  setup(props) {
    const host = ref(null);
    let unmount = null;
    let gone = false;
    onMounted(async () => {
      // imported here, in the browser only: when VitePress renders the pages in Node it
      // loads this package as it is, where "vitepress" is its Node API, not the client's
      const { withBase } = await import("vitepress");
      if (gone) return;
      const src = withBase(joinUrl("/", `${props.out}/scour-search.js`));
      unmount = mountScourSearch(host.value, { src, attributes: props.widget });
    });
    onBeforeUnmount(() => {
      gone = true;
      unmount?.();
    });
    return () => h("span", { ref: host, class: "scour-search-navbar" });
  },
});

export default ScourSearch;
