//! Documents kept in a file between reading and indexing.
//!
//! Stubs and breadcrumbs need every page before the first one can be indexed
//! ([`crate::source::stubs::Notices`], [`crate::Parents`]), and a large site's
//! documents do not fit in memory: 736,530 WordNet records take 1.8 GB as
//! [`Document`]s, 150 MB written here. [`DocSpill`] writes each document as it is read
//! and gives them back, in the same order, to be indexed.
//!
//! A record: u32 LE length, then id, url, title, title alias (`u8` 0 or 1, then the
//! string), headings (count; text, anchor flag and string, offset flag and u64 LE),
//! body, meta (count; key, value), filters (count; key, value count, values),
//! language (flag, string), stub (`u8`). Counts and string lengths are varints
//! (`scour_format::varint`). The file is read back by the same build that wrote it,
//! so the layout has no version.
//!
//! # Example
//! ```
//! use scour_index::{spill::DocSpill, Document};
//! let mut spill = DocSpill::new(tempfile_for_the_example()?);
//! spill.push(&Document { id: "a".into(), body: "text".into(), ..Default::default() })?;
//! let docs: Vec<Document> = spill.read()?.collect::<Result<_, _>>()?;
//! assert_eq!(docs[0].body, "text");
//! # fn tempfile_for_the_example() -> std::io::Result<std::fs::File> {
//! #     let path = std::env::temp_dir().join(format!("scour-spill-doc-{}", std::process::id()));
//! #     let file = std::fs::File::options().read(true).write(true).create(true).truncate(true).open(&path)?;
//! #     std::fs::remove_file(&path)?;
//! #     Ok(file)
//! # }
//! # Ok::<(), std::io::Error>(())
//! ```

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use scour_format::varint;

use crate::{Document, Heading};

/// Documents written to a file, to be read back in order (see the module docs).
pub struct DocSpill {
    file: BufWriter<File>,
    count: usize,
    bytes: u64,
    /// One record, reused.
    buf: Vec<u8>,
}

impl DocSpill {
    /// Spills into `file`, an empty file opened for reading and writing (a temporary
    /// file: the spill does not remove it).
    pub fn new(file: File) -> DocSpill {
        DocSpill {
            file: BufWriter::with_capacity(1 << 20, file),
            count: 0,
            bytes: 0,
            buf: Vec::new(),
        }
    }

    /// Appends a document.
    pub fn push(&mut self, doc: &Document) -> io::Result<()> {
        self.buf.clear();
        encode(&mut self.buf, doc);
        let len = u32::try_from(self.buf.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a document over 4 GiB"))?;
        self.file.write_all(&len.to_le_bytes())?;
        self.file.write_all(&self.buf)?;
        self.count += 1;
        self.bytes += 4 + u64::from(len);
        Ok(())
    }

    /// Documents pushed.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True before the first push.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes written to the file.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The documents pushed, in order.
    pub fn read(self) -> io::Result<SpillReader> {
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(SpillReader {
            file: BufReader::with_capacity(1 << 20, file),
            left: self.count,
            buf: Vec::new(),
        })
    }
}

/// The documents of a [`DocSpill`], read back in the order they were pushed.
pub struct SpillReader {
    file: BufReader<File>,
    left: usize,
    buf: Vec<u8>,
}

impl Iterator for SpillReader {
    type Item = io::Result<Document>;

    fn next(&mut self) -> Option<io::Result<Document>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let mut len = [0u8; 4];
        let read = self.file.read_exact(&mut len).and_then(|()| {
            self.buf.resize(u32::from_le_bytes(len) as usize, 0);
            self.file.read_exact(&mut self.buf)
        });
        Some(read.and_then(|()| {
            decode(&self.buf).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "a spilled document is damaged")
            })
        }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

fn write_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            varint::write_str(out, s);
        }
        None => out.push(0),
    }
}

fn write_len(out: &mut Vec<u8>, n: usize) {
    // Counts of headings, metadata and filters: far below u32::MAX in any page.
    varint::write(out, u32::try_from(n).unwrap_or(u32::MAX));
}

fn encode(out: &mut Vec<u8>, doc: &Document) {
    varint::write_str(out, &doc.id);
    varint::write_str(out, &doc.url);
    varint::write_str(out, &doc.title);
    write_opt(out, doc.title_alias.as_deref());
    write_len(out, doc.headings.len());
    for h in &doc.headings {
        varint::write_str(out, &h.text);
        write_opt(out, h.anchor.as_deref());
        match h.offset {
            Some(offset) => {
                out.push(1);
                out.extend_from_slice(&(offset as u64).to_le_bytes());
            }
            None => out.push(0),
        }
    }
    varint::write_str(out, &doc.body);
    write_len(out, doc.meta.len());
    for (k, v) in &doc.meta {
        varint::write_str(out, k);
        varint::write_str(out, v);
    }
    write_len(out, doc.filters.len());
    for (k, vs) in &doc.filters {
        varint::write_str(out, k);
        write_len(out, vs.len());
        for v in vs {
            varint::write_str(out, v);
        }
    }
    write_opt(out, doc.lang.as_deref());
    out.push(u8::from(doc.stub));
}

fn decode(bytes: &[u8]) -> Option<Document> {
    let mut r = varint::Reader::new(bytes);
    let string = |r: &mut varint::Reader<'_>| r.str().map(str::to_owned);
    let flag = |r: &mut varint::Reader<'_>| match r.bytes(1)? {
        [0] => Some(false),
        [1] => Some(true),
        _ => None,
    };
    let opt = |r: &mut varint::Reader<'_>| match flag(r)? {
        true => string(r).map(Some),
        false => Some(None),
    };
    let id = string(&mut r)?;
    let url = string(&mut r)?;
    let title = string(&mut r)?;
    let title_alias = opt(&mut r)?;
    let mut headings = Vec::new();
    for _ in 0..r.u32()? {
        let text = string(&mut r)?;
        let anchor = opt(&mut r)?;
        let offset = match flag(&mut r)? {
            true => {
                let b: [u8; 8] = r.bytes(8)?.try_into().ok()?;
                Some(usize::try_from(u64::from_le_bytes(b)).ok()?)
            }
            false => None,
        };
        headings.push(Heading {
            text,
            anchor,
            offset,
        });
    }
    let body = string(&mut r)?;
    let mut meta = std::collections::BTreeMap::new();
    for _ in 0..r.u32()? {
        let k = string(&mut r)?;
        meta.insert(k, string(&mut r)?);
    }
    let mut filters = std::collections::BTreeMap::new();
    for _ in 0..r.u32()? {
        let k = string(&mut r)?;
        let n = r.u32()?;
        let mut vs = Vec::new();
        for _ in 0..n {
            vs.push(string(&mut r)?);
        }
        filters.insert(k, vs);
    }
    let lang = opt(&mut r)?;
    let stub = flag(&mut r)?;
    r.is_empty().then_some(Document {
        id,
        url,
        title,
        title_alias,
        headings,
        body,
        meta,
        filters,
        lang,
        stub,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that is gone once closed, in the system's temporary folder.
    fn temp_file(name: &str) -> File {
        let path = std::env::temp_dir().join(format!("scour-spill-{name}-{}", std::process::id()));
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        file
    }

    fn full() -> Document {
        let mut doc = Document {
            id: "guide/install".into(),
            url: "/guide/install/".into(),
            title: "Install ünïcode".into(),
            title_alias: Some("install(1)".into()),
            headings: vec![
                Heading::text("Linux"),
                Heading {
                    text: "macOS".into(),
                    anchor: Some("macos".into()),
                    offset: Some(1 << 33),
                },
            ],
            body: "Run the installer.\nThen restart.".into(),
            lang: Some("de-AT".into()),
            stub: true,
            ..Document::default()
        };
        doc.meta.insert("author".into(), "Jo".into());
        doc.meta.insert("date".into(), String::new());
        doc.filters
            .insert("tags".into(), vec!["a".into(), "b".into()]);
        doc.filters.insert("empty".into(), vec![]);
        doc
    }

    #[test]
    fn documents_come_back_whole_and_in_order() {
        let docs = vec![
            full(),
            Document::default(),
            Document {
                id: "x".into(),
                body: "y".repeat(100_000),
                ..Document::default()
            },
        ];
        let mut spill = DocSpill::new(temp_file("order"));
        for doc in &docs {
            spill.push(doc).unwrap();
        }
        assert_eq!(spill.len(), 3);
        let back: Vec<Document> = spill.read().unwrap().map(Result::unwrap).collect();
        assert_eq!(back, docs);
    }

    #[test]
    fn a_damaged_record_is_an_error_not_a_panic() {
        let mut bytes = Vec::new();
        encode(&mut bytes, &full());
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        assert_eq!(decode(&bytes), Some(full()));
    }
}
