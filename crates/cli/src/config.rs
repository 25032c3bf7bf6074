//! `scour.toml`: a site's build settings, so `scour build` needs no arguments.
//!
//! ```toml
//! source = ["public"]        # or source = "public"
//! out = "public/search"
//! base_url = "/"
//! root_selector = "main"
//! strict = false
//! follow_external_links = false
//! layout = "auto"           # or "single", "lazy"
//! exclude = ["first-edition", "**/print.html"]
//! ```
//!
//! Relative paths are relative to the folder holding the file, so
//! `scour build --config site/scour.toml` works from anywhere. Command-line values
//! override the file's.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use scour_index::source::SourceOptions;

use crate::bundle::IndexLayout;
use crate::site::Plan;

/// The file `scour build` reads when it is given no SOURCE and no `--config`.
pub const DEFAULT_FILE: &str = "scour.toml";

/// The keys a `scour.toml` may hold (for error messages; must match [`Config`]).
const KEYS: &str =
    "source, out, base_url, root_selector, strict, follow_external_links, layout, exclude";

/// The contents of a `scour.toml`, paths already resolved against its folder.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Files or folders of articles (`source = "public"` or `source = ["a", "b"]`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub source: Vec<PathBuf>,
    /// The bundle folder.
    pub out: Option<PathBuf>,
    /// Prefix for URLs derived from file paths.
    pub base_url: Option<String>,
    /// CSS selector of the main content of HTML pages.
    pub root_selector: Option<String>,
    /// Treat warnings as errors.
    #[serde(default)]
    pub strict: bool,
    /// Read links whose target is outside the source folder.
    #[serde(default)]
    pub follow_external_links: bool,
    /// How the bundle holds its index: `auto`, `single` or `lazy`.
    pub layout: Option<String>,
    /// Glob patterns of files and folders inside the sources to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
}

impl Config {
    /// Reads and parses `path`.
    pub fn read(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        Config::parse(&text, path, dir)
    }

    /// Parses `text` (the contents of `path`); relative paths are joined to `dir`.
    pub fn parse(text: &str, path: &Path, dir: &Path) -> Result<Config, String> {
        let mut config: Config = toml::from_str(text).map_err(|e| describe(&e, text, path))?;
        for source in &mut config.source {
            *source = dir.join(&*source);
        }
        if let Some(out) = &mut config.out {
            *out = dir.join(&*out);
        }
        Ok(config)
    }
}

/// The build settings `scour build` and `scour serve --watch` share; each overrides the
/// same key of `scour.toml`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct BuildFlags {
    /// The folder to write the bundle into (replaced whole) [scour.toml: out].
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Prefix for URLs derived from file paths, e.g. `/docs/` [scour.toml: base_url].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// CSS selector of the main content of HTML pages [scour.toml: root_selector].
    #[arg(long, value_name = "CSS")]
    pub root_selector: Option<String>,
    /// Treat warnings as errors: nothing is written if any file has a problem
    /// [scour.toml: strict].
    #[arg(long)]
    pub strict: bool,
    /// Follow symbolic links that lead out of a source folder; by default they are
    /// skipped with a warning, so a link to a private file is never published
    /// [scour.toml: follow_external_links].
    #[arg(long)]
    pub follow_external_links: bool,
    /// How the bundle holds its index: `single` (inside the engine: one download),
    /// `lazy` (the dictionary inside the engine, postings and text in chunks/ fetched
    /// as queries need them) or `auto` (lazy when a first query then fetches at least
    /// 96 KB less) [scour.toml: layout].
    #[arg(long, value_name = "auto|single|lazy")]
    pub layout: Option<IndexLayout>,
    /// Leave out the files and folders matching this glob, relative to the source
    /// folder (`first-edition`, `**/print.html`, `drafts/*.md`); repeatable, added to
    /// scour.toml's [scour.toml: exclude].
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read settings from this file instead of ./scour.toml (which is read only when no
    /// SOURCE is given).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl BuildFlags {
    /// The config file in force: `--config`, else `./scour.toml` when `sources` is empty
    /// and it exists. Naming sources on the command line ignores `./scour.toml`, so a
    /// script calling `scour build SRC --out DIR` gets the same result in any folder.
    pub fn config_file(&self, sources: &[PathBuf]) -> Option<PathBuf> {
        match &self.config {
            Some(path) => Some(path.clone()),
            None if sources.is_empty() && Path::new(DEFAULT_FILE).is_file() => {
                Some(PathBuf::from(DEFAULT_FILE))
            }
            None => None,
        }
    }

    /// Combines `sources` and these flags with the config file, flags first.
    pub fn plan(&self, sources: Vec<PathBuf>) -> Result<Plan, String> {
        let file = self.config_file(&sources);
        let config = match &file {
            Some(path) => Config::read(path)?,
            None => Config::default(),
        };
        let sources = if sources.is_empty() {
            config.source
        } else {
            sources
        };
        if sources.is_empty() {
            return Err(match &file {
                Some(path) => format!(
                    "{} sets no `source`: add e.g. `source = [\"public\"]`, or name the folders: \
                     scour build <SOURCE>... --out <DIR>",
                    path.display()
                ),
                None => {
                    "nothing to index: name the folders (scour build <SOURCE>... --out <DIR>), \
                         or write a scour.toml with `source` and `out` in this folder"
                        .to_owned()
                }
            });
        }
        let Some(out) = self.out.clone().or(config.out) else {
            return Err(match &file {
                Some(path) => format!(
                    "no output folder: pass --out <DIR> or set `out` in {}",
                    path.display()
                ),
                None => {
                    "no output folder: pass --out <DIR> (or set `out` in a scour.toml)".to_owned()
                }
            });
        };
        let layout = match (self.layout, &config.layout) {
            (Some(layout), _) => layout,
            (None, Some(name)) => name.parse().map_err(|e| match &file {
                Some(path) => format!("{}: layout: {e}", path.display()),
                None => e,
            })?,
            (None, None) => IndexLayout::Auto,
        };
        let mut exclude_globs = config.exclude;
        exclude_globs.extend(self.exclude.iter().cloned());
        // a bad pattern is refused before anything is read (the message quotes it)
        scour_index::source::exclude_matcher(&exclude_globs)?;
        Ok(Plan {
            sources,
            layout,
            options: SourceOptions {
                base_url: self.base_url.clone().or(config.base_url),
                root_selector: self.root_selector.clone().or(config.root_selector),
                follow_external_links: self.follow_external_links || config.follow_external_links,
                // The bundle folder may lie inside a source (`public/search`): the
                // previous bundle is never read as articles.
                exclude: vec![out.clone()],
                exclude_globs,
            },
            out,
            strict: self.strict || config.strict,
        })
    }
}

/// `path:line: message`, the shape of every other diagnostic `scour build` prints, with
/// serde's "unknown field" worded for people editing a config file.
fn describe(err: &toml::de::Error, text: &str, path: &Path) -> String {
    let message = err.message().trim();
    let message = match message.strip_prefix("unknown field `") {
        Some(rest) => {
            let key = rest.split('`').next().unwrap_or(rest);
            format!("unknown key `{key}` (scour.toml knows: {KEYS})")
        }
        None => message.to_owned(),
    };
    match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("{}:{line}: {message}", path.display())
        }
        None => format!("{}: {message}", path.display()),
    }
}

/// Accepts `"public"` as well as `["public", "extra"]`.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<PathBuf>, D::Error> {
    struct OneOrMany;

    impl<'de> Visitor<'de> for OneOrMany {
        type Value = Vec<PathBuf>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a path or an array of paths")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(vec![PathBuf::from(value)])
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut paths = Vec::new();
            while let Some(path) = seq.next_element::<String>()? {
                paths.push(PathBuf::from(path));
            }
            Ok(paths)
        }
    }

    deserializer.deserialize_any(OneOrMany)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("site/scour.toml"), Path::new("site"))
    }

    #[test]
    fn every_key_is_read_and_paths_are_relative_to_the_file() {
        let config = parse(
            "source = [\"public\", \"extra/notes.md\"]\nout = \"public/search\"\n\
             base_url = \"/docs/\"\nroot_selector = \"article\"\nstrict = true\n\
             follow_external_links = true\n",
        )
        .unwrap();
        assert_eq!(
            config.source,
            [Path::new("site/public"), Path::new("site/extra/notes.md")]
        );
        assert_eq!(config.out.as_deref(), Some(Path::new("site/public/search")));
        assert_eq!(config.base_url.as_deref(), Some("/docs/"));
        assert_eq!(config.root_selector.as_deref(), Some("article"));
        assert!(config.strict);
        assert!(config.follow_external_links);
    }

    #[test]
    fn source_may_be_a_single_string() {
        assert_eq!(
            parse("source = \"public\"").unwrap().source,
            [Path::new("site/public")]
        );
    }

    #[test]
    fn an_empty_file_sets_nothing() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let err = parse("source = \"public\"\n\nsorce = \"x\"\n").unwrap_err();
        assert!(
            err.starts_with("site/scour.toml:3: unknown key `sorce`"),
            "{err}"
        );
        assert!(err.contains("source, out"), "{err}");
    }

    #[test]
    fn a_wrong_type_names_its_line() {
        let err = parse("out = \"x\"\nstrict = \"yes\"\n").unwrap_err();
        assert!(err.starts_with("site/scour.toml:2: "), "{err}");
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let err = parse("out = \"x\"\nsource = [\n").unwrap_err();
        assert!(err.starts_with("site/scour.toml:"), "{err}");
    }
}
