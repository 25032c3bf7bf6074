// The navbar's search box (the theme component Docusaurus renders as @theme/SearchBar).
// The server renders an empty <span>; the <scour-search> element goes in after
// hydration, so React never sees it and never removes it, and it stays across
// client-side navigations (the navbar is not re-rendered from HTML).

import React, { useEffect, useRef } from "react";
import useBaseUrl from "@docusaurus/useBaseUrl";
import { usePluginData } from "@docusaurus/useGlobalData";

import { joinUrl, mountScourSearch } from "../../../mount.js";

export default function SearchBar() {
  const host = useRef(null);
  const { out = "search", widget = {} } = usePluginData("scour-search") ?? {};
  const src = useBaseUrl(joinUrl("/", `${out}/scour-search.js`));
  const key = JSON.stringify(widget);
  useEffect(() => mountScourSearch(host.current, { src, attributes: JSON.parse(key) }), [src, key]);
  return React.createElement("span", { ref: host, className: "scour-search-navbar" });
}
