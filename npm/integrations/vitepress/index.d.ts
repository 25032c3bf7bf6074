import type { DefineComponent } from "vue";

/** The search box for a slot of VitePress's default theme layout (e.g. `nav-bar-content-before`). */
export declare const ScourSearch: DefineComponent<{
  /** The bundle folder below the site's base (default `search`). */
  out?: string;
  /** The <scour-search> element's attributes (default `{ mode: "modal" }`). */
  widget?: Record<string, string | number | boolean>;
}>;
export default ScourSearch;
