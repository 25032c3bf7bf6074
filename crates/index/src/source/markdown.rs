//! Markdown pages (`.md`, `.markdown`): CommonMark + GFM tables via pulldown-cmark, with
//! YAML (`---`) or TOML (`+++`) front matter as static site generators write it.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{add_filter, collapse_whitespace, join_url, Diagnostic, FileInfo, Loaded, PlainText};
use crate::{Document, Heading};

/// A front matter value, whichever language it was written in.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Scalar(String),
    Bool(bool),
    List(Vec<String>),
    Table(Vec<(String, Value)>),
    Other,
}

impl Value {
    /// The value as an item of a list (`tags: [a, true]`): scalars and booleans as
    /// text; nested lists and tables have no place there.
    fn into_list_item(self) -> Option<String> {
        match self {
            Value::Scalar(s) => Some(s),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar or a list of scalars, as strings.
    fn strings(&self) -> Vec<String> {
        match self {
            Value::Scalar(s) => vec![s.clone()],
            Value::List(items) => items.clone(),
            _ => Vec::new(),
        }
    }
}

type FrontMatter = Vec<(String, Value)>;

/// Front matter that could not be read: the 1-based line in the file and what is wrong.
struct FrontMatterError {
    line: Option<usize>,
    message: String,
    /// Where the Markdown after the front matter starts, when the page is still worth
    /// indexing without its front matter (a warning); `None` skips the file (an error).
    content_at: Option<usize>,
}

/// Bytes that YAML aliases (`*name`) in front matter may expand to, all together:
/// each repeats its anchored value, so nine levels of nine aliases in a few hundred
/// bytes would expand to gigabytes. Past this, the front matter is ignored with a
/// warning and the page is indexed without it. Front matter written by hand repeats
/// a few small values; this leaves ample room for it.
const ALIAS_EXPANSION_LIMIT: u64 = 1 << 20;
/// What a value counts for in [`ALIAS_EXPANSION_LIMIT`] besides its text: a node of a
/// loaded YAML tree takes at least this much memory.
const YAML_NODE_BYTES: u64 = 16;

pub(crate) fn load(file: &FileInfo<'_>, text: &str, out: &mut Loaded) {
    let (front, content) = match split_front_matter(text) {
        Ok(split) => split,
        Err(FrontMatterError {
            line,
            message,
            content_at: Some(at),
        }) => {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                line,
                format!("front matter ignored: {message}; the page is indexed without it"),
            ));
            (None, text.get(at..).unwrap_or_default())
        }
        Err(err) => {
            out.diagnostics.push(Diagnostic::error(
                file.path,
                err.line,
                format!("invalid front matter: {}: file skipped", err.message),
            ));
            return;
        }
    };
    let front = front.unwrap_or_default();
    let get = |key: &str| front.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let is_draft = match get("draft") {
        Some(Value::Bool(draft)) => *draft,
        Some(Value::Scalar(draft)) => matches!(draft.trim(), "true" | "yes"),
        _ => false,
    };
    if is_draft {
        out.skip(file.path, "draft");
        return;
    }
    let title = get("title")
        .and_then(Value::as_str)
        .map(collapse_whitespace)
        .filter(|t| !t.is_empty());
    let rendered = render(content, title.as_deref());
    // a page that is only a heading (a book's section page) is kept: its title is
    // what a visitor searches for
    if rendered.body.trim().is_empty()
        && rendered.headings.is_empty()
        && title.is_none()
        && rendered.title.is_none()
    {
        out.skip(file.path, "empty page");
        return;
    }
    let title = title
        .or(rendered.title)
        .unwrap_or_else(|| fallback_title(file));
    let mut doc = Document {
        id: file.id(),
        url: url(file, get("url").or(get("permalink")), get("slug")),
        title,
        headings: rendered.headings,
        body: rendered.body,
        ..Document::default()
    };
    for (key, value) in &front {
        match key.as_str() {
            "title" | "draft" | "url" | "permalink" | "slug" => {}
            "tags" | "categories" | "section" => {
                for item in value.strings() {
                    add_filter(&mut doc, key, &item);
                }
            }
            "lang" => {
                if let Some(lang) = value.as_str().map(str::trim).filter(|l| !l.is_empty()) {
                    add_filter(&mut doc, "lang", lang);
                    doc.lang = Some(lang.to_owned());
                }
            }
            "filters" => {
                if let Value::Table(filters) = value {
                    for (name, values) in filters {
                        for item in values.strings() {
                            add_filter(&mut doc, name, &item);
                        }
                    }
                }
            }
            _ => match value {
                Value::Scalar(s) => {
                    doc.meta.insert(key.clone(), s.clone());
                }
                Value::Bool(b) => {
                    doc.meta.insert(key.clone(), b.to_string());
                }
                _ => {}
            },
        }
    }
    out.documents.push(doc);
}

/// `index.md` is named after its folder; other files after themselves.
fn fallback_title(file: &FileInfo<'_>) -> String {
    let mut parts = file.rel.rsplit('/');
    parts.next();
    match (is_index(&file.stem), parts.next()) {
        (true, Some(folder)) => folder.to_owned(),
        _ => file.stem.clone(),
    }
}

fn is_index(stem: &str) -> bool {
    matches!(stem, "index" | "_index")
}

/// The page's URL: the front matter's `url`/`permalink`, else derived from the path
/// (`posts/hello.md` → `/posts/hello/`, `posts/index.md` → `/posts/`), with `slug`
/// replacing the last segment.
fn url(file: &FileInfo<'_>, explicit: Option<&Value>, slug: Option<&Value>) -> String {
    if let Some(url) = explicit
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        if url.contains("://") || url.starts_with("//") {
            return url.to_owned();
        }
        let path = if url.starts_with('/') {
            url.to_owned()
        } else {
            format!("/{url}")
        };
        return join_url(file.options.base_url.as_deref(), &path);
    }
    let mut segments: Vec<&str> = file.rel.split('/').collect();
    segments.pop();
    if !is_index(&file.stem) {
        segments.push(&file.stem);
    }
    let slug = slug
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.contains('/'));
    if let Some(slug) = slug {
        segments.pop();
        segments.push(slug);
    }
    let mut path = String::from("/");
    for segment in segments {
        path.push_str(segment);
        path.push('/');
    }
    file.url(&path)
}

/// Splits `---` YAML or `+++` TOML front matter from the Markdown after it.
fn split_front_matter(text: &str) -> Result<(Option<FrontMatter>, &str), FrontMatterError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let fence = text[..first_line_end].trim_end();
    let closers: &[&str] = match fence {
        "---" => &["---", "..."],
        "+++" => &["+++"],
        _ => return Ok((None, text)),
    };
    let mut offset = (first_line_end + 1).min(text.len());
    let start = offset;
    for line in text[start..].split_inclusive('\n') {
        if closers.contains(&line.trim_end()) {
            let source = &text[start..offset];
            let content = &text[offset + line.len()..];
            let front = if fence == "---" {
                parse_yaml(source)
            } else {
                parse_toml(source)
            };
            return match front {
                Ok(front) => Ok((Some(front), content)),
                Err(err) if err.content_at.is_some() => Err(FrontMatterError {
                    content_at: Some(offset + line.len()),
                    ..err
                }),
                Err(err) => Err(err),
            };
        }
        offset += line.len();
    }
    // No closing fence: a page that starts with a thematic break, not front matter.
    Ok((None, text))
}

fn parse_yaml(source: &str) -> Result<FrontMatter, FrontMatterError> {
    use yaml_rust2::parser::Parser;
    use yaml_rust2::{Yaml, YamlLoader};
    let scan_error = |err: yaml_rust2::ScanError| FrontMatterError {
        // The marker's line is 1-based within the front matter; the fence is line 1.
        line: Some(err.marker().line() + 1),
        message: err.info().to_owned(),
        content_at: None,
    };
    // The loader copies an anchored value at every alias: measure the copies first,
    // from the parser's events, which cost no more than the text.
    let mut budget = AliasBudget::default();
    Parser::new_from_str(source)
        .load(&mut budget, true)
        .map_err(scan_error)?;
    if let Some(mark) = budget.over {
        return Err(FrontMatterError {
            line: Some(mark.line() + 1),
            message: format!(
                "its aliases expand to more than {} KiB (an alias bomb?)",
                ALIAS_EXPANSION_LIMIT >> 10
            ),
            // `split_front_matter` knows where the Markdown starts.
            content_at: Some(0),
        });
    }
    let docs = YamlLoader::load_from_str(source).map_err(scan_error)?;
    fn convert(yaml: &Yaml) -> Value {
        match yaml {
            Yaml::String(s) | Yaml::Real(s) => Value::Scalar(s.clone()),
            Yaml::Integer(i) => Value::Scalar(i.to_string()),
            Yaml::Boolean(b) => Value::Bool(*b),
            Yaml::Array(items) => Value::List(
                items
                    .iter()
                    .filter_map(|item| convert(item).into_list_item())
                    .collect(),
            ),
            Yaml::Hash(map) => Value::Table(
                map.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), convert(v))))
                    .collect(),
            ),
            _ => Value::Other,
        }
    }
    match docs.first() {
        None | Some(Yaml::Null) => Ok(Vec::new()),
        Some(yaml @ Yaml::Hash(_)) => match convert(yaml) {
            Value::Table(entries) => Ok(entries),
            _ => Ok(Vec::new()),
        },
        Some(_) => Err(FrontMatterError {
            line: Some(2),
            message: "expected `key: value` pairs".to_owned(),
            content_at: None,
        }),
    }
}

/// Measures what the aliases of a YAML stream expand to, from its events: the size of
/// every anchored value (its scalars' bytes plus [`YAML_NODE_BYTES`] per value, the
/// aliases inside it expanded) and the sum over every alias of the value it repeats.
#[derive(Default)]
struct AliasBudget {
    /// The collections being read: their anchor id (0 for none) and size so far.
    open: Vec<(usize, u64)>,
    /// The size of each anchored value.
    anchors: HashMap<usize, u64>,
    /// What the aliases so far expand to.
    expanded: u64,
    /// The alias that went over [`ALIAS_EXPANSION_LIMIT`], if one did.
    over: Option<yaml_rust2::scanner::Marker>,
}

impl yaml_rust2::parser::MarkedEventReceiver for AliasBudget {
    fn on_event(&mut self, event: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        // A value read in full: its anchor id and size.
        let (id, size) = match event {
            Event::SequenceStart(id, _) | Event::MappingStart(id, _) => {
                self.open.push((id, YAML_NODE_BYTES));
                return;
            }
            Event::SequenceEnd | Event::MappingEnd => match self.open.pop() {
                Some(value) => value,
                None => return,
            },
            Event::Scalar(text, _, id, _) => (id, YAML_NODE_BYTES + text.len() as u64),
            Event::Alias(id) => {
                let size = self.anchors.get(&id).copied().unwrap_or(YAML_NODE_BYTES);
                self.expanded = self.expanded.saturating_add(size);
                if self.expanded > ALIAS_EXPANSION_LIMIT && self.over.is_none() {
                    self.over = Some(mark);
                }
                (0, size)
            }
            _ => return,
        };
        if id > 0 {
            self.anchors.insert(id, size);
        }
        if let Some(parent) = self.open.last_mut() {
            parent.1 = parent.1.saturating_add(size);
        }
    }
}

fn parse_toml(source: &str) -> Result<FrontMatter, FrontMatterError> {
    let table: toml::Table = toml::from_str(source).map_err(|err| FrontMatterError {
        line: err.span().map(|span| {
            let before = source.get(..span.start).unwrap_or(source);
            before.bytes().filter(|&b| b == b'\n').count() + 2
        }),
        message: err.message().trim().to_owned(),
        content_at: None,
    })?;
    fn convert(value: &toml::Value) -> Value {
        match value {
            toml::Value::String(s) => Value::Scalar(s.clone()),
            toml::Value::Integer(i) => Value::Scalar(i.to_string()),
            toml::Value::Float(f) => Value::Scalar(f.to_string()),
            toml::Value::Boolean(b) => Value::Bool(*b),
            toml::Value::Datetime(d) => Value::Scalar(d.to_string()),
            toml::Value::Array(items) => Value::List(
                items
                    .iter()
                    .filter_map(|item| convert(item).into_list_item())
                    .collect(),
            ),
            toml::Value::Table(table) => {
                Value::Table(table.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
            }
        }
    }
    Ok(table.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
}

/// What the Markdown itself gives: its text, headings and first `#` heading.
#[derive(Debug, Default)]
struct Rendered {
    title: Option<String>,
    headings: Vec<Heading>,
    body: String,
}

/// Renders Markdown to plain text. The first level-1 heading becomes the title when
/// `title` is `None`; when `title` is given, a level-1 heading repeating it is dropped.
fn render(markdown: &str, title: Option<&str>) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let mut out = Rendered::default();
    let mut body = PlainText::default();
    let mut slugs = Slugger::default();
    let mut title_taken = false;
    // The heading being read: where its text starts in the body, its level and `{#id}`.
    let mut heading: Option<(usize, HeadingLevel, Option<String>)> = None;
    let mut in_code = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                body.block();
                heading = Some((body.text.len(), level, id.map(|id| id.to_string())));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((start, level, id)) = heading.take() else {
                    continue;
                };
                let text = collapse_whitespace(body.text.get(start..).unwrap_or_default());
                let is_title = level == HeadingLevel::H1
                    && !title_taken
                    && match title {
                        None => true,
                        Some(title) => same_text(title, &text),
                    };
                if is_title {
                    title_taken = true;
                    if title.is_none() {
                        out.title = Some(text).filter(|t| !t.is_empty());
                    }
                    body.text.truncate(start);
                } else if !text.is_empty() {
                    let anchor = match id {
                        Some(id) => Some(slugs.claim(id)),
                        None => Some(slugs.slug(&text)).filter(|s| !s.is_empty()),
                    };
                    out.headings.push(Heading {
                        text,
                        anchor,
                        offset: Some(start),
                    });
                }
                body.block();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                body.block();
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                body.block();
            }
            Event::Start(tag) if is_block(&tag) => body.block(),
            Event::End(tag) if is_block_end(&tag) => body.block(),
            Event::End(TagEnd::TableCell) => body.space(),
            Event::Text(text) if in_code => body.raw(&text),
            Event::Text(text) | Event::Code(text) => body.inline(&text),
            Event::Html(html) => body.inline(&strip_tags(&html)),
            Event::SoftBreak => body.space(),
            Event::HardBreak | Event::Rule => body.block(),
            _ => {}
        }
    }
    let len = body.text.trim_end().len();
    body.text.truncate(len);
    for heading in &mut out.headings {
        heading.offset = heading.offset.map(|o| o.min(len));
    }
    out.body = body.text;
    out
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

/// The text of an HTML fragment embedded in Markdown, tags and comments removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Equal up to case, whitespace and punctuation.
fn same_text(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    key(a) == key(b)
}

/// A GitHub-style anchor slug: lowercase, spaces to `-`, punctuation removed.
///
/// ```
/// assert_eq!(scour_index::source::slugify("Hello, World!"), "hello-world");
/// assert_eq!(scour_index::source::slugify("Café au lait"), "café-au-lait");
/// assert_eq!(scour_index::source::slugify("snake_case and - dash"), "snake_case-and---dash");
/// ```
pub fn slugify(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Hands out unique slugs within one page: `intro`, `intro-1`, `intro-2` (GitHub's rule).
#[derive(Default)]
pub(crate) struct Slugger {
    used: HashSet<String>,
}

impl Slugger {
    /// The slug of `text`, made unique.
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        if base.is_empty() {
            return base;
        }
        let mut slug = base.clone();
        let mut n = 1;
        while self.used.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(slug.clone());
        slug
    }

    /// Records an explicit id (`{#id}`) so generated slugs do not collide with it.
    pub fn claim(&mut self, id: String) -> String {
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slugify("What's new in 2.0?"), "whats-new-in-20");
        assert_eq!(slugify("  Über uns  "), "über-uns");
        let mut slugs = Slugger::default();
        assert_eq!(slugs.slug("Usage"), "usage");
        assert_eq!(slugs.slug("Usage"), "usage-1");
        assert_eq!(slugs.slug("usage"), "usage-2");
        assert_eq!(slugs.slug("!!!"), "");
    }

    #[test]
    fn yaml_front_matter_is_split_off() {
        let (front, content) =
            split_front_matter("---\ntitle: Hi\ntags: [a, b]\ndraft: false\n---\n# Body\n")
                .ok()
                .unwrap();
        let front = front.unwrap();
        assert_eq!(front[0], ("title".to_owned(), Value::Scalar("Hi".into())));
        assert_eq!(
            front[1],
            ("tags".to_owned(), Value::List(vec!["a".into(), "b".into()]))
        );
        assert_eq!(front[2], ("draft".to_owned(), Value::Bool(false)));
        assert_eq!(content, "# Body\n");
    }

    #[test]
    fn toml_front_matter_is_split_off() {
        let (front, content) =
            split_front_matter("+++\ntitle = \"Hi\"\ndate = 2024-01-02\n+++\ntext")
                .ok()
                .unwrap();
        let front = front.unwrap();
        assert!(front.contains(&("date".to_owned(), Value::Scalar("2024-01-02".into()))));
        assert_eq!(content, "text");
    }

    #[test]
    fn front_matter_errors_name_the_file_line() {
        let Err(err) = split_front_matter("---\ntitle: Hi\ntags: [a, b\n---\nx") else {
            panic!()
        };
        assert!(err.line.is_some_and(|l| l >= 3), "{:?}", err.line);
        let Err(err) = split_front_matter("+++\ntitle = \"Hi\"\ndate = \n+++\nx") else {
            panic!()
        };
        assert_eq!(err.line, Some(3));
    }

    /// Front matter whose anchors each repeat the one before nine times.
    fn alias_bomb(levels: usize) -> String {
        let names: Vec<char> = ('a'..='z').take(levels).collect();
        let mut yaml = String::from("---\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for pair in names.windows(2) {
            let alias = format!("*{}", pair[0]);
            yaml.push_str(&format!(
                "{}: &{} [{}]\n",
                pair[1],
                pair[1],
                [alias.as_str(); 9].join(", ")
            ));
        }
        yaml + "title: Bomb\n---\n# Body title\n\nThe body is still indexed.\n"
    }

    #[test]
    fn alias_bombs_are_ignored_and_the_body_indexed() {
        // Six levels are 531,441 copies (over 100 MB once loaded); nine, 387 million.
        let text = alias_bomb(6);
        let options = crate::source::SourceOptions::default();
        let path = std::path::Path::new("site/bomb.md");
        let file = FileInfo::new(path, std::path::Path::new("site"), &options);
        let mut out = Loaded::default();
        load(&file, &text, &mut out);
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        let warning = &out.diagnostics[0];
        assert_eq!(warning.severity, crate::source::Severity::Warning);
        assert_eq!(warning.path, path);
        // `e`, the fifth level, is where the expansion passes 1 MiB.
        assert_eq!(warning.line, Some(6));
        assert!(warning.message.contains("alias"), "{}", warning.message);
        let doc = &out.documents[0];
        assert_eq!(doc.title, "Body title");
        assert_eq!(doc.body, "The body is still indexed.");
        assert!(doc.meta.is_empty());
        // The full bomb is refused just as fast: only its events are read.
        let Err(err) = split_front_matter(&alias_bomb(9)) else {
            panic!("the bomb was loaded")
        };
        assert_eq!(err.line, Some(6));
        let at = err.content_at.unwrap();
        assert!(alias_bomb(9)[at..].starts_with("# Body title"));
    }

    #[test]
    fn small_aliases_still_work() {
        let (front, _) = split_front_matter(
            "---\nauthor: &me Jo\neditor: *me\ntags: &t [a, b]\nkeywords: *t\n---\nx",
        )
        .ok()
        .unwrap();
        let front = front.unwrap();
        assert_eq!(front[1], ("editor".to_owned(), Value::Scalar("Jo".into())));
        assert_eq!(
            front[3],
            (
                "keywords".to_owned(),
                Value::List(vec!["a".into(), "b".into()])
            )
        );
    }

    #[test]
    fn unclosed_fence_is_markdown() {
        let (front, content) = split_front_matter("---\nnot front matter").ok().unwrap();
        assert!(front.is_none());
        assert_eq!(content, "---\nnot front matter");
    }

    #[test]
    fn markup_becomes_plain_text_with_block_lines() {
        let r = render(
            "# Title\n\nSome *emphasis* and `code`\nwrapped.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() {\n    x();\n}\n```\n",
            None,
        );
        assert_eq!(r.title.as_deref(), Some("Title"));
        assert_eq!(
            r.body,
            "Some emphasis and code wrapped.\none\ntwo\na b\n1 2\nfn main() {\n    x();\n}"
        );
    }

    #[test]
    fn headings_get_slugs_and_offsets() {
        let r = render(
            "Intro.\n\n## Set up\n\nText.\n\n## Set up\n\n### Custom {#own}\n",
            Some("T"),
        );
        assert_eq!(r.headings.len(), 3);
        assert_eq!(r.headings[0].anchor.as_deref(), Some("set-up"));
        assert_eq!(r.headings[1].anchor.as_deref(), Some("set-up-1"));
        assert_eq!(r.headings[2].anchor.as_deref(), Some("own"));
        let offset = r.headings[0].offset.unwrap();
        assert!(r.body[offset..].starts_with("Set up\nText."));
    }

    #[test]
    fn h1_repeating_the_front_matter_title_is_dropped() {
        let r = render(
            "# Hello world\n\nText.\n\n# Another top\n",
            Some("Hello World"),
        );
        assert_eq!(r.title, None);
        assert_eq!(r.body, "Text.\nAnother top");
        assert_eq!(r.headings[0].text, "Another top");
    }

    #[test]
    fn inline_html_is_stripped() {
        let r = render(
            "Press <kbd>Ctrl</kbd> now.\n\n<div class=\"note\">\n<p>Boxed</p>\n</div>\n",
            Some("T"),
        );
        assert_eq!(r.body, "Press Ctrl now.\nBoxed");
    }
}
