/** Options of a build, as `scour build`'s flags (and `scour.toml`'s keys). */
export interface BuildOptions {
  /** The bundle folder (replaced whole; a folder holding files scour did not write is refused). */
  out?: string;
  /** Prefix for URLs derived from file paths, e.g. `/docs/`. */
  baseUrl?: string;
  /** CSS selector of the main content of HTML pages. */
  rootSelector?: string;
  /** Treat warnings as errors: nothing is written if any file has a problem. */
  strict?: boolean;
  /** Globs of files and folders to leave out, relative to the source folder. */
  exclude?: string | string[];
  /** `single` (one file), `lazy` (chunks fetched as queries need them) or `auto`. */
  layout?: "auto" | "single" | "lazy";
  /** Follow symbolic links that lead out of a source folder. */
  followExternalLinks?: boolean;
  /** A scour.toml to read settings from. */
  config?: string;
  /** The folder relative paths are relative to (default: the current one). */
  cwd?: string;
}

/** A problem found while building: what, and where. */
export interface Diagnostic {
  severity: "warning" | "error";
  /** The file, when the problem is in one. */
  path: string | null;
  /** The line in it, when known (a JSONL record's line). */
  line: number | null;
  message: string;
}

/** What a build did. */
export interface BuildResult {
  /** The bundle was written. */
  ok: boolean;
  /** The CLI's exit code. */
  code: number;
  diagnostics: Diagnostic[];
  /** The summary the CLI prints (documents, terms, bundle size, time). */
  summary: string;
  /** Everything the CLI printed on stderr. */
  stderr: string;
}

/** One article, in the JSONL record shape. */
export interface Record {
  id?: string | number;
  url?: string;
  title?: string;
  body?: string;
  headings?: string[];
  meta?: { [key: string]: string };
  filters?: { [key: string]: string | string[] };
  lang?: string;
  [key: string]: unknown;
}

/** One search result. Text is plain: render it with textContent, never as HTML. */
export interface Hit {
  id: string;
  url: string;
  title: string;
  score: number;
  snippet: { text: string; highlights: Array<[number, number]> };
  meta: { [key: string]: string };
  headings: Array<{ title: string; url: string; snippet: { text: string; highlights: Array<[number, number]> } }>;
}

export interface SearchResult {
  total: number;
  hits: Hit[];
  suggestion: string | null;
}

/** A document a bundle holds. */
export interface IndexedDocument {
  url: string;
  title: string;
  language: string | null;
  bytes: number;
  sections: number;
}

/** Builds a search bundle from folders or files of articles. */
export function build(sources: string | string[], options: BuildOptions): Promise<BuildResult>;

/** Records added one by one, then built into a bundle. */
export class Records {
  add(record: Record): this;
  readonly length: number;
  build(options: BuildOptions): Promise<BuildResult>;
}

/** Searches a built bundle with the same engine. */
export function search(dir: string, query: string, options?: { limit?: number; cwd?: string }): Promise<SearchResult>;

/** Every document a bundle holds. */
export function documents(dir: string, options?: { cwd?: string }): Promise<IndexedDocument[]>;

/** `warning: path:line: message` lines as structured values. */
export function parseDiagnostics(text: string): Diagnostic[];

/** Runs `scour <args>` and resolves to its exit code (output to this process's stdout/stderr unless given). */
export function run(args: string[], options?: { cwd?: string; stdout?: number; stderr?: number }): Promise<number>;
