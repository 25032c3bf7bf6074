import type { AstroIntegration } from "astro";
import type { ScourBuildOptions } from "../vitepress/build.js";

/** Runs `scour build` on Astro's output folder when `astro build` is done. */
export default function scourSearch(options?: ScourBuildOptions): AstroIntegration;
