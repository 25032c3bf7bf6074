import type { LoadContext, Plugin } from "@docusaurus/types";

declare namespace scourSearch {
  interface Options {
    /** The bundle folder inside the build folder, and its URL path below baseUrl (default `search`). */
    out?: string;
    /** CSS selector of a page's content (default `article`: a doc page without its table of contents). */
    rootSelector?: string;
    /** Globs of files and folders of the build to leave out. */
    exclude?: string | string[];
    /** Fail the build on any warning. */
    strict?: boolean;
    layout?: "auto" | "single" | "lazy";
    /** A scour.toml to read settings from (relative to the build folder). */
    config?: string;
    /** The <scour-search> element's attributes (default `{ mode: "modal" }`). */
    widget?: Record<string, string | number | boolean>;
  }
}

/** Builds the search bundle after `docusaurus build`; its theme's SearchBar shows the box. */
declare function scourSearch(context: LoadContext, options?: scourSearch.Options): Plugin;

export = scourSearch;
