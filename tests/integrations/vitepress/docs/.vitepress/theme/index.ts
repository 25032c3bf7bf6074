// The default theme with scour's search box in the navbar.
import DefaultTheme from "vitepress/theme";
import { h } from "vue";
import { ScourSearch } from "scour-search/vitepress";

export default {
  extends: DefaultTheme,
  Layout: () =>
    h(DefaultTheme.Layout, null, {
      "nav-bar-content-before": () => h(ScourSearch, { widget: { mode: "modal", placeholder: "Search the garden" } }),
    }),
};
