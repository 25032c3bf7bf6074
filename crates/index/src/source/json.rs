//! JSON records: `.jsonl` (one record per line) and `.json` (one record or an array).
//!
//! A record is `{id, url, title, headings, body, …}`: `headings` are strings or
//! `{text, anchor, offset}`; `tags`, `section`, `lang` and `filters` feed the filters
//! (`lang` also sets [`Document::lang`]); `meta` (an object) and every other scalar key
//! become metadata.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{add_filter, Diagnostic, FileInfo, Loaded};
use crate::{Document, Heading};

/// Keys with a meaning of their own, never copied into `meta`.
const KNOWN_KEYS: &[&str] = &[
    "id", "url", "title", "headings", "body", "meta", "tags", "section", "lang", "filters",
];

/// Records a JSON-lines file hands on at a time (see [`super::load_each`]): a large
/// file's documents are never all held at once.
const BATCH: usize = 4096;

/// Reads one record per line. Every [`BATCH`] records, `flush` is given `out` to take
/// the documents read so far.
pub(crate) fn load_lines(
    file: &FileInfo<'_>,
    out: &mut Loaded,
    flush: &mut dyn FnMut(&mut Loaded),
) {
    let cannot_read =
        |err: std::io::Error| Diagnostic::error(file.path, None, format!("cannot read: {err}"));
    let mut lines = match FileLines::open(file.path) {
        Ok(lines) => lines,
        Err(err) => return out.diagnostics.push(cannot_read(err)),
    };
    let first_diagnostic = out.diagnostics.len();
    // read again only for a file that repeats an id
    let ids =
        || FileLines::open(file.path).map_or_else(|_| HashSet::new(), |l| ids_of_lines(file, l));
    load_records(file, &mut lines, out, flush, ids);
    if let Some(line) = lines.invalid {
        // first, as when the whole file is decoded before its records are read
        let warning = super::not_utf8(file.path, line);
        out.diagnostics.insert(first_diagnostic, warning);
    }
    if let Some(err) = lines.failed {
        out.diagnostics.push(cannot_read(err));
    }
}

/// The records of `lines`, numbered from 1, as [`load_lines`] reads them; `ids` gives
/// the id of every record of the file (see [`Unique`]).
fn load_records<'t>(
    file: &FileInfo<'_>,
    lines: impl Iterator<Item = Cow<'t, str>>,
    out: &mut Loaded,
    flush: &mut dyn FnMut(&mut Loaded),
    ids: impl Fn() -> HashSet<String>,
) {
    let first_diagnostic = out.diagnostics.len();
    let mut any = false;
    let mut unique = Unique::new();
    for (index, line) in lines.enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        any = true;
        match serde_json::from_str::<Value>(&line) {
            Ok(value) => {
                let fallback = format!("{}:{number}", file.stem);
                if let Some(doc) = record(file, value, Some(number), fallback, out) {
                    unique.push(file, doc, Some(number), out, &ids);
                    if unique.given.len() % BATCH == 0 {
                        flush(out);
                    }
                }
            }
            Err(err) => out.diagnostics.push(Diagnostic::error(
                file.path,
                Some(number),
                format!("invalid JSON: {}: line skipped", message(&err)),
            )),
        }
    }
    if !any {
        out.skip(file.path, "empty page");
    }
    by_line(out, first_diagnostic);
}

/// The lines of a file as `str::lines` gives those of its text: a byte-order mark at
/// its start dropped, invalid UTF-8 replaced with U+FFFD (the first such line noted).
struct FileLines {
    reader: BufReader<File>,
    buf: Vec<u8>,
    /// Lines read.
    number: usize,
    /// The first line that is not valid UTF-8.
    invalid: Option<usize>,
    /// Why reading stopped before the end.
    failed: Option<std::io::Error>,
}

impl FileLines {
    fn open(path: &Path) -> std::io::Result<FileLines> {
        Ok(FileLines {
            reader: BufReader::with_capacity(1 << 16, File::open(path)?),
            buf: Vec::new(),
            number: 0,
            invalid: None,
            failed: None,
        })
    }
}

impl Iterator for FileLines {
    type Item = Cow<'static, str>;

    fn next(&mut self) -> Option<Cow<'static, str>> {
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(err) => {
                self.failed = Some(err);
                return None;
            }
        }
        self.number += 1;
        // `str::lines`: "\n" or "\r\n" ends a line; a last line may have neither
        if self.buf.ends_with(b"\n") {
            self.buf.pop();
            if self.buf.ends_with(b"\r") {
                self.buf.pop();
            }
        }
        let mut bytes = &self.buf[..];
        if self.number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        Some(Cow::Owned(match std::str::from_utf8(bytes) {
            Ok(line) => line.to_owned(),
            Err(_) => {
                self.invalid.get_or_insert(self.number);
                String::from_utf8_lossy(bytes).into_owned()
            }
        }))
    }
}

/// The ids of every record of a JSON-lines file, as [`load_lines`] reads them (its
/// diagnostics dropped): what a renamed id must not be. Read again only for a file
/// that repeats an id.
fn ids_of_lines<'t>(
    file: &FileInfo<'_>,
    lines: impl Iterator<Item = Cow<'t, str>>,
) -> HashSet<String> {
    let mut scratch = Loaded::default();
    let mut ids = HashSet::new();
    for (index, line) in lines.enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        if let Ok(value) = serde_json::from_str::<Value>(&line) {
            let fallback = format!("{}:{number}", file.stem);
            if let Some(doc) = record(file, value, Some(number), fallback, &mut scratch) {
                ids.insert(doc.id);
            }
        }
    }
    ids
}

pub(crate) fn load_json(file: &FileInfo<'_>, text: &str, out: &mut Loaded) {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        out.skip(file.path, "empty page");
        return;
    }
    let invalid = |err: serde_json::Error, out: &mut Loaded| {
        out.diagnostics.push(Diagnostic::error(
            file.path,
            Some(err.line()).filter(|&l| l > 0),
            format!("invalid JSON: {}: file skipped", message(&err)),
        ));
    };
    if trimmed.starts_with('[') {
        // Raw values keep their place in the text, so a bad record's error names its line.
        let raws: Vec<&RawValue> = match serde_json::from_str(text) {
            Ok(raws) => raws,
            Err(err) => return invalid(err, out),
        };
        let first_diagnostic = out.diagnostics.len();
        let mut records = Vec::new();
        for (index, raw) in raws.into_iter().enumerate() {
            let line = line_of(text, raw.get());
            let fallback = format!("{}:{}", file.stem, index + 1);
            match serde_json::from_str::<Value>(raw.get()) {
                Ok(value) => {
                    if let Some(doc) = record(file, value, line, fallback, out) {
                        records.push((doc, line));
                    }
                }
                Err(err) => invalid(err, out),
            }
        }
        push_unique(file, records, out);
        by_line(out, first_diagnostic);
    } else {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => {
                let line = line_of(text, trimmed);
                if let Some(doc) = record(file, value, line, file.id(), out) {
                    if let Some(line) = line {
                        out.lines.insert(out.documents.len(), line);
                    }
                    out.documents.push(doc);
                }
            }
            Err(err) => invalid(err, out),
        }
    }
}

/// Adds the records of one file to `out`, renaming repeated ids with a warning at the
/// record's line. A new id (`id#2`, `id#3`, …) is one that no record of the file has,
/// so a record whose own id is `id#2` keeps it. (Ids repeated across files are renamed
/// by the caller, which sees every file.)
fn push_unique(file: &FileInfo<'_>, records: Vec<(Document, Option<usize>)>, out: &mut Loaded) {
    let mut taken: Option<HashSet<String>> =
        Some(records.iter().map(|(doc, _)| doc.id.clone()).collect());
    let mut unique = Unique::new();
    for (doc, line) in records {
        unique.push(file, doc, line, out, || taken.take().unwrap_or_default());
    }
}

/// The ids one file has handed out so far, for [`push_unique`] and [`load_lines`].
struct Unique {
    /// Every id of the file's records (see [`push_unique`]); asked for at the first
    /// repeated id only, since most files repeat none.
    taken: Option<HashSet<String>>,
    /// Each id handed out, with the line of the record that has it.
    given: HashMap<String, Option<usize>>,
    /// Per repeated id, the suffix to try next: `a` repeated a thousand times costs a
    /// thousand lookups, not half a million.
    next: HashMap<String, u64>,
}

impl Unique {
    fn new() -> Unique {
        Unique {
            taken: None,
            given: HashMap::new(),
            next: HashMap::new(),
        }
    }

    /// Adds `doc` to `out`, renamed if its id was handed out already; `taken` gives
    /// the ids of all the file's records.
    fn push(
        &mut self,
        file: &FileInfo<'_>,
        mut doc: Document,
        line: Option<usize>,
        out: &mut Loaded,
        taken: impl FnOnce() -> HashSet<String>,
    ) {
        if let Some(&first) = self.given.get(&doc.id) {
            let taken = self.taken.get_or_insert_with(taken);
            // `same#2` repeated counts on from its own number: `same#3`
            let (base, start) = super::suffix_base(&doc.id);
            let n = self.next.entry(base.to_owned()).or_insert(start);
            let renamed = loop {
                let candidate = format!("{base}#{n}");
                *n += 1;
                if !taken.contains(&candidate) && !self.given.contains_key(&candidate) {
                    break candidate;
                }
            };
            let first = match first {
                Some(first) => format!("the record on line {first}"),
                None => "an earlier record".to_owned(),
            };
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                line,
                format!(
                    "duplicate id `{}` (already used by {first}): renamed to `{renamed}`",
                    doc.id
                ),
            ));
            doc.id = renamed;
        }
        self.given.insert(doc.id.clone(), line);
        if let Some(line) = line {
            out.lines.insert(out.documents.len(), line);
        }
        out.documents.push(doc);
    }
}

/// Puts the diagnostics of one file, from index `from` on, in line order: duplicate
/// ids are only found once every record is read.
fn by_line(out: &mut Loaded, from: usize) {
    if let Some(diagnostics) = out.diagnostics.get_mut(from..) {
        diagnostics.sort_by_key(|d| d.line);
    }
}

/// The 1-based line in `text` where `part`, a slice of it, starts.
fn line_of(text: &str, part: &str) -> Option<usize> {
    let offset = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let before = text.get(..offset)?;
    Some(before.bytes().filter(|&b| b == b'\n').count() + 1)
}

/// serde_json's message with its column but without its line (diagnostics carry the
/// line); no column at the end of the input, where serde_json reports column 0.
fn message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let what = match text.rfind(" at line ") {
        Some(at) => &text[..at],
        None => &text,
    };
    match err.column() {
        0 => what.to_owned(),
        column => format!("{what} at column {column}"),
    }
}

/// Turns one record into a document, or reports why it cannot be one.
fn record(
    file: &FileInfo<'_>,
    value: Value,
    line: Option<usize>,
    fallback_id: String,
    out: &mut Loaded,
) -> Option<Document> {
    let error = |out: &mut Loaded, message: String| {
        out.diagnostics
            .push(Diagnostic::error(file.path, line, message));
    };
    let Value::Object(map) = value else {
        error(
            out,
            format!(
                "expected a JSON object, found {}: record skipped",
                kind(&value)
            ),
        );
        return None;
    };
    let title = text_field(&map, "title");
    let body = text_field(&map, "body");
    let (title, body) = match (title, body) {
        (Err(key), _) | (_, Err(key)) => {
            error(out, format!("`{key}` must be a string: record skipped"));
            return None;
        }
        (Ok(None), Ok(None)) => {
            error(
                out,
                "record has neither `title` nor `body`: skipped".to_owned(),
            );
            return None;
        }
        (Ok(title), Ok(body)) => (title.unwrap_or_default(), body.unwrap_or_default()),
    };
    let mut doc = Document {
        title,
        body,
        ..Document::default()
    };

    doc.id = match map.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
        Some(Value::Number(id)) => id.to_string(),
        None | Some(Value::Null) => fallback_id,
        Some(Value::String(_)) => {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                line,
                format!("`id` is empty: using `{fallback_id}`"),
            ));
            fallback_id
        }
        Some(other) => {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                line,
                format!(
                    "`id` must be a string or a number, found {}: using `{fallback_id}`",
                    kind(other)
                ),
            ));
            fallback_id
        }
    };
    match text_field(&map, "url") {
        Ok(Some(url)) => doc.url = url,
        Ok(None) => out.diagnostics.push(Diagnostic::warning(
            file.path,
            line,
            format!(
                "record `{}` has no `url`: its hits will not link anywhere",
                doc.id
            ),
        )),
        Err(_) => out.diagnostics.push(Diagnostic::warning(
            file.path,
            line,
            format!("record `{}`: `url` must be a string: ignored", doc.id),
        )),
    }
    if let Some(headings) = map.get("headings") {
        doc.headings = parse_headings(headings);
    }
    for key in ["tags", "section"] {
        if let Some(value) = map.get(key) {
            for item in strings(value) {
                add_filter(&mut doc, key, &item);
            }
        }
    }
    if let Some(lang) = map
        .get("lang")
        .and_then(scalar)
        .filter(|l| !l.trim().is_empty())
    {
        let lang = lang.trim().to_owned();
        add_filter(&mut doc, "lang", &lang);
        doc.lang = Some(lang);
    }
    if let Some(Value::Object(filters)) = map.get("filters") {
        for (key, value) in filters {
            for item in strings(value) {
                add_filter(&mut doc, key, &item);
            }
        }
    }
    if let Some(Value::Object(meta)) = map.get("meta") {
        for (key, value) in meta {
            if let Some(value) = scalar(value) {
                doc.meta.insert(key.clone(), value);
            }
        }
    }
    for (key, value) in &map {
        if KNOWN_KEYS.contains(&key.as_str()) {
            continue;
        }
        if let Some(value) = scalar(value) {
            doc.meta.insert(key.clone(), value);
        }
    }
    Some(doc)
}

/// A text field: `Ok(None)` when absent or null, `Err(key)` when of another type.
/// Numbers are accepted (a title "1984" is often written unquoted).
fn text_field<'k>(map: &Map<String, Value>, key: &'k str) -> Result<Option<String>, &'k str> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(key),
    }
}

/// The string form of a string, number or boolean.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A scalar or an array of scalars, as strings.
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

fn parse_headings(value: &Value) -> Vec<Heading> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(text) => Some(Heading::text(text.clone())),
            Value::Object(map) => {
                let text = map.get("text").and_then(scalar)?;
                let anchor = map.get("anchor").and_then(scalar).filter(|a| !a.is_empty());
                let offset = map
                    .get("offset")
                    .and_then(Value::as_u64)
                    .and_then(|o| usize::try_from(o).ok());
                Some(Heading {
                    text,
                    anchor,
                    offset,
                })
            }
            _ => None,
        })
        .collect()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceOptions;
    use std::path::Path;

    fn lines(text: &str) -> Loaded {
        let options = SourceOptions::default();
        let file = FileInfo::new(Path::new("d/recs.jsonl"), Path::new("d"), &options);
        let mut out = Loaded::default();
        let lines = || text.lines().map(Cow::Borrowed);
        load_records(&file, lines(), &mut out, &mut |_| {}, || {
            ids_of_lines(&file, lines())
        });
        out
    }

    /// A file read a line at a time gives what its text, decoded whole, gives: a
    /// byte-order mark, CRLF and LF endings, a line of invalid UTF-8, blank lines, a
    /// repeated id and a last line without an end.
    #[test]
    fn a_file_read_by_lines_is_its_text_read_whole() {
        let bytes: &[u8] = b"\xEF\xBB\xBF{\"id\": \"a\", \"title\": \"One\"}\r\n\
            \n{\"id\": \"a\", \"title\": \"T\xFF\xFEwo\"}\n\
            not json\r\n{\"id\": \"a#2\", \"title\": \"Three\"}\r";
        let path = std::env::temp_dir().join(format!("scour-lines-{}.jsonl", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let options = SourceOptions::default();
        let file = FileInfo::new(&path, path.parent().unwrap(), &options);
        let mut by_lines = Loaded::default();
        load_lines(&file, &mut by_lines, &mut |_| {});
        std::fs::remove_file(&path).unwrap();

        let mut whole = Loaded::default();
        let text = super::super::decode(bytes.to_vec(), &path, &mut whole);
        let lines = || text.lines().map(Cow::Borrowed);
        load_records(&file, lines(), &mut whole, &mut |_| {}, || {
            ids_of_lines(&file, lines())
        });
        assert_eq!(by_lines.documents, whole.documents);
        assert_eq!(by_lines.diagnostics, whole.diagnostics);
        assert_eq!(by_lines.documents.len(), 3);
        assert_eq!(by_lines.diagnostics.len(), 6, "{:?}", by_lines.diagnostics);
    }

    #[test]
    fn serde_position_is_reported_as_column() {
        let out = lines("{\"id\": \"a\" \"title\": 1}\n");
        let d = &out.diagnostics[0];
        assert_eq!(d.line, Some(1));
        assert_eq!(
            d.message,
            "invalid JSON: expected `,` or `}` at column 12: line skipped"
        );
    }

    #[test]
    fn record_fields_map_to_the_document() {
        let out = lines(
            r#"{"id": 7, "url": "/a/", "title": "A", "body": "b", "headings": ["H", {"text": "I", "anchor": "i"}], "tags": ["x", "y"], "section": "docs", "lang": "de", "author": "Jo", "draft": false, "n": 3, "list": [1], "filters": {"kind": "post"}, "meta": {"image": "a.png"}}"#,
        );
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let doc = &out.documents[0];
        assert_eq!(doc.id, "7");
        assert_eq!(
            doc.headings[1],
            Heading {
                text: "I".into(),
                anchor: Some("i".into()),
                offset: None
            }
        );
        assert_eq!(doc.filters["tags"], ["x", "y"]);
        assert_eq!(doc.filters["section"], ["docs"]);
        assert_eq!(doc.filters["lang"], ["de"]);
        assert_eq!(doc.filters["kind"], ["post"]);
        assert_eq!(doc.lang.as_deref(), Some("de"));
        assert_eq!(doc.meta["author"], "Jo");
        assert_eq!(doc.meta["draft"], "false");
        assert_eq!(doc.meta["n"], "3");
        assert_eq!(doc.meta["image"], "a.png");
        assert!(!doc.meta.contains_key("list"));
        assert!(!doc.meta.contains_key("tags"));
    }

    #[test]
    fn missing_id_falls_back_to_stem_and_line() {
        let out = lines("\n{\"title\": \"A\", \"url\": \"/a\"}\n");
        assert_eq!(out.documents[0].id, "recs:2");
    }

    #[test]
    fn empty_id_is_called_empty() {
        let out = lines("{\"id\": \" \", \"title\": \"A\", \"url\": \"/a\"}\n");
        assert_eq!(out.documents[0].id, "recs:1");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(1));
        assert_eq!(out.diagnostics[0].message, "`id` is empty: using `recs:1`");
    }

    #[test]
    fn repeated_ids_get_an_id_no_record_has_and_a_line() {
        let out = lines(
            "{\"id\": \"same\", \"title\": \"A\", \"url\": \"/a\"}\n\
             {\"id\": \"same\", \"title\": \"B\", \"url\": \"/b\"}\n\
             {\"id\": \"same#2\", \"title\": \"C\", \"url\": \"/c\"}\n\
             {\"id\": \"same\", \"title\": \"D\"}\n",
        );
        let ids: Vec<&str> = out.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["same", "same#3", "same#2", "same#4"]);
        let found: Vec<(Option<usize>, &str)> = out
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    Some(2),
                    "duplicate id `same` (already used by the record on line 1): renamed to `same#3`"
                ),
                (Some(4), "record `same` has no `url`: its hits will not link anywhere"),
                (
                    Some(4),
                    "duplicate id `same` (already used by the record on line 1): renamed to `same#4`"
                ),
            ]
        );
    }

    #[test]
    fn a_repeated_numbered_id_counts_on_from_its_number() {
        let out = lines(
            "{\"id\": \"same#2\", \"title\": \"A\", \"url\": \"/a\"}\n\
             {\"id\": \"same#2\", \"title\": \"B\", \"url\": \"/b\"}\n\
             {\"id\": \"same#3\", \"title\": \"C\", \"url\": \"/c\"}\n\
             {\"id\": \"v#09\", \"title\": \"D\", \"url\": \"/d\"}\n\
             {\"id\": \"v#09\", \"title\": \"E\", \"url\": \"/e\"}\n",
        );
        let ids: Vec<&str> = out.documents.iter().map(|d| d.id.as_str()).collect();
        // `same#3` is some record's own id: the repeat skips it; `09` is not a count
        assert_eq!(ids, ["same#2", "same#4", "same#3", "v#09", "v#09#2"]);
        assert_eq!(out.diagnostics[0].line, Some(2));
    }

    #[test]
    fn suffix_bases() {
        use crate::source::suffix_base;
        assert_eq!(suffix_base("same"), ("same", 2));
        assert_eq!(suffix_base("same#2"), ("same", 3));
        assert_eq!(suffix_base("a#b#10"), ("a#b", 11));
        assert_eq!(suffix_base("#2"), ("#2", 2));
        assert_eq!(suffix_base("x#"), ("x#", 2));
        assert_eq!(
            suffix_base("x#18446744073709551615"),
            ("x#18446744073709551615", 2)
        );
    }

    #[test]
    fn record_without_title_and_body_is_an_error() {
        let out = lines("{\"id\": \"a\", \"url\": \"/a\"}\n");
        assert!(out.documents.is_empty());
        assert_eq!(out.diagnostics[0].severity, crate::source::Severity::Error);
    }

    #[test]
    fn array_records_report_their_own_line() {
        let options = SourceOptions::default();
        let file = FileInfo::new(Path::new("d/all.json"), Path::new("d"), &options);
        let mut out = Loaded::default();
        load_json(
            &file,
            "[\n {\"title\": \"A\", \"url\": \"/a\"},\n {\"url\": \"/b\"}\n]\n",
            &mut out,
        );
        assert_eq!(out.documents.len(), 1);
        assert_eq!(out.documents[0].id, "all:1");
        assert_eq!(out.diagnostics[0].line, Some(3));
    }
}
