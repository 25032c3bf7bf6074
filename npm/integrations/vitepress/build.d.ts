export interface ScourBuildOptions {
  /** The bundle folder inside the output folder (default `search`). */
  out?: string;
  /** CSS selector of a page's content (default: automatic, `<main>`). */
  rootSelector?: string;
  exclude?: string | string[];
  strict?: boolean;
  layout?: "auto" | "single" | "lazy";
  config?: string;
}

/** A `buildEnd` hook that runs `scour build` on VitePress's `outDir`. */
export function scourBuildEnd(options?: ScourBuildOptions): (siteConfig: { outDir: string; site: { base: string } }) => Promise<void>;
