//! Opens a scour index in place and answers queries.
//!
//! [`Index::open`] copies nothing: it checks the header and section table, walks a whole
//! index's dictionaries once so that no search can panic on corrupt bytes, and keeps
//! the bytes (`&'static [u8]` embedded in the wasm, a `Vec<u8>`, an mmap).
//! [`Index::verify`] checks the checksum on request. [`Index::search`] parses the
//! query ([`Query`]), expands each word over the fst dictionary (exact, stem group,
//! prefix, Levenshtein automata), scores with BM25F plus proximity and exactness, and
//! returns the top hits with snippets.
//!
//! # Example
//! ```
//! use scour_index::{Document, IndexBuilder};
//! use scour_query::{Index, SearchOptions};
//! let mut b = IndexBuilder::new();
//! b.add(Document { id: "a".into(), url: "/a".into(), title: "QR codes in Russia".into(),
//!                  body: "Opposition to QR codes is broad.".into(), ..Default::default() });
//! let index = Index::open(b.finish().unwrap()).unwrap();
//! let r = index.search("qr cod", &SearchOptions::default());
//! assert_eq!(r.hits[0].id, "a");
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod dict;
mod json;
mod parse;
mod refine;
mod scan;
mod search;
mod snippet;
mod sort;
mod store;

use std::cell::RefCell;

use scour_format::chunks::{self, ChunkKind, ChunkTable};
use scour_format::doc_data;
use scour_format::term_info::Entry;
use scour_format::{Container, FormatError, Meta, SectionKind, DOC_TABLE_LEN};
use scour_text::{Analyzer, Language};
use serde::Serialize;

pub use parse::{Chunk, Clause, Query, MAX_CLAUSES, MAX_QUERY_CHARS};
pub use scour_format::doc_data::{StoredDoc, StoredHeading};

/// Options of a search.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    /// Hits to return (at most 1000).
    pub limit: usize,
    /// Characters of text around the best passage in a snippet.
    pub snippet_chars: usize,
    /// Sections (headings with anchors) shown under each hit, at most.
    pub subresults: usize,
    /// Only documents passing every filter.
    pub filters: Vec<Filter>,
    /// Order by a metadata key instead of relevance.
    pub sort: Option<Sort>,
    /// Only documents whose `date` metadata is on or after this (ISO 8601 prefix).
    pub date_from: Option<String>,
    /// Only documents whose `date` metadata is on or before this (ISO 8601 prefix:
    /// `2021-11` includes the whole month).
    pub date_to: Option<String>,
    /// Count the filter values of the matching documents.
    pub facets: bool,
    /// Say why each hit scored what it did ([`Hit::explain`]; not in the browser
    /// engine).
    pub explain: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            snippet_chars: 180,
            subresults: 3,
            filters: Vec::new(),
            sort: None,
            date_from: None,
            date_to: None,
            facets: false,
            explain: false,
        }
    }
}

impl SearchOptions {
    /// True when the options narrow or order the results beyond the query.
    pub fn refines(&self) -> bool {
        !self.filters.is_empty()
            || self.sort.is_some()
            || self.date_from.is_some()
            || self.date_to.is_some()
    }

    /// Options from the compact text form `scour.js` sends: one directive per line,
    /// fields separated by tabs:
    ///
    /// ```text
    /// filter <key> <any|all|none> <value>…
    /// sort <key> <asc|desc>
    /// from <date>
    /// to <date>
    /// facets
    /// sub <count>
    /// ```
    /// Unknown lines are ignored, so older engines accept newer pages.
    ///
    /// # Example
    /// ```
    /// let o = scour_query::SearchOptions::from_spec("filter\ttags\tany\trust\nsort\tdate\tdesc\nfacets", 5);
    /// assert_eq!(o.limit, 5);
    /// assert_eq!(o.filters[0].values, ["rust"]);
    /// assert!(o.sort.unwrap().descending && o.facets);
    /// ```
    pub fn from_spec(spec: &str, limit: usize) -> SearchOptions {
        let mut o = SearchOptions {
            limit,
            ..SearchOptions::default()
        };
        for line in spec.lines() {
            let mut f = line.split('\t');
            match (f.next(), f.next(), f.next()) {
                (Some("filter"), Some(key), Some(mode)) => {
                    let mode = match mode {
                        "all" => FilterMode::All,
                        "none" => FilterMode::None,
                        _ => FilterMode::Any,
                    };
                    o.filters.push(Filter {
                        key: key.to_string(),
                        values: f.map(str::to_string).collect(),
                        mode,
                    });
                }
                (Some("sort"), Some(key), dir) => {
                    o.sort = Some(Sort {
                        key: key.to_string(),
                        descending: dir != Some("asc"),
                    });
                }
                (Some("from"), Some(d), _) if !d.is_empty() => o.date_from = Some(d.to_string()),
                (Some("to"), Some(d), _) if !d.is_empty() => o.date_to = Some(d.to_string()),
                (Some("facets"), _, _) => o.facets = true,
                (Some("sub"), Some(n), _) => o.subresults = n.parse().unwrap_or(3).min(20),
                _ => {}
            }
        }
        o
    }
}

/// How a filter combines its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterMode {
    /// The document has at least one of the values.
    Any,
    /// The document has every value.
    All,
    /// The document has none of the values.
    None,
}

/// Keeps documents by their filter values (`tags`, `section`, `lang`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// The filter key.
    pub key: String,
    /// The values.
    pub values: Vec<String>,
    /// How the values combine.
    pub mode: FilterMode,
}

/// Orders results by a metadata key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The metadata key (`date`); numbers compare as numbers, the rest as text.
    pub key: String,
    /// Largest (newest) first.
    pub descending: bool,
}

/// A passage of a document with the matched words marked.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Snippet {
    /// Plain text (never HTML).
    pub text: String,
    /// `[start, end)` ranges of matched words, in UTF-16 code units so JavaScript can
    /// `slice` the text directly; sorted, never overlapping.
    pub highlights: Vec<[u32; 2]>,
}

/// A section of a hit: a heading with an anchor where the query matches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SubHit {
    /// The heading text.
    pub title: String,
    /// The page URL with the heading's anchor.
    pub url: String,
    /// The best passage of the section.
    pub snippet: Snippet,
}

/// One result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// The document's id (a JSONL record's `id`).
    pub id: String,
    /// Where to link.
    pub url: String,
    /// The document title.
    pub title: String,
    /// The relevance score (higher is better); comparable within one query only.
    pub score: f32,
    /// The best-matching passage.
    pub snippet: Snippet,
    /// Metadata to show (date, author, image, …).
    pub meta: Vec<(String, String)>,
    /// The sections where the query matches best, in page order.
    pub headings: Vec<SubHit>,
    /// With [`SearchOptions::explain`]: each clause's best term here with its fields'
    /// occurrences and score, the title match and the final score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<String>,
}

/// How many matching documents carry each value of a filter key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Facet {
    /// The filter key.
    pub key: String,
    /// (value, documents), most frequent first.
    pub values: Vec<(String, usize)>,
}

/// The answer to a query.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Documents that match (before the limit).
    pub total: usize,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// A corrected query ("did you mean"), when a word was not in the index.
    pub suggestion: Option<String>,
    /// Filter value counts of the matching documents, when asked for.
    pub facets: Vec<Facet>,
}

/// An open index: a whole index, or the core of a lazy one whose postings and stored
/// documents arrive in chunks ([`Index::add_chunk`]).
pub struct Index<B> {
    container: Container<B>,
    meta: Meta,
    analyzer: Analyzer,
    builders: dict::Builders,
    /// The chunks of a lazy index, by id (`None`: not given yet); empty for a whole one.
    loaded: Vec<Option<Box<[u8]>>>,
    /// A lazy index's chunk table, decoded once.
    table: Option<ChunkTable>,
    /// Where each chunk starts in the pack, and where the pack ends; empty for a whole
    /// index.
    pack_at: Vec<u32>,
    /// The pack's name (a hash of the whole table: worked out once).
    pack: Option<String>,
    /// Terms and postings are cut alike ([`ChunkTable::aligned`]: worked out once).
    aligned: bool,
}

thread_local! {
    /// Chunks the search running on this thread wanted and did not have, in the order
    /// it wanted them. Per thread, not per index, so that an `Index` stays `Sync` and
    /// searches on several threads never see each other's wants.
    static MISSING: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Records that the search running on this thread needed chunk `id`.
pub(crate) fn want(id: u32) {
    MISSING.with_borrow_mut(|missing| {
        if !missing.contains(&id) {
            missing.push(id);
        }
    });
}

/// True when the search running on this thread has needed a chunk it does not have:
/// what it computed so far is partial.
pub(crate) fn wanting() -> bool {
    MISSING.with_borrow(|missing| !missing.is_empty())
}

/// Checks a dictionary before any walk of it: the `fst` crate panics on some corrupt
/// bytes, and an index is searched unverified (see `scour_format::fst_check`). Its
/// outputs are term ranks and stem groups, which fit in a `u32`.
fn check_fst(bytes: &[u8], what: &str) -> Result<(), FormatError> {
    scour_format::fst_check::check(bytes, u32::MAX.into())
        .map_err(|e| FormatError::Corrupt(format!("{what} dictionary: {e}")))
}

/// Where a chunk is fetched from: see [`Index::chunk_place`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkPlace {
    /// The fallback file holding it, relative to the bundle folder.
    pub file: String,
    /// That file's number: give its bytes to [`Index::add_chunks`] with it.
    pub file_no: u32,
    /// Its deflated bytes' offset in the pack.
    pub pack_at: u32,
    /// Their length.
    pub pack_len: u32,
}

/// What [`Index::try_search`] found.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// The answer: every chunk it needed was there.
    Done(SearchResults),
    /// The chunks (ids, see [`Index::chunk_name`]) the query needs before it can be
    /// answered; give them with [`Index::add_chunk`] and search again.
    Need(Vec<u32>),
}

impl<B: AsRef<[u8]>> Index<B> {
    /// Opens index bytes: checks the header, section table and table sizes, and walks
    /// a whole index's dictionaries once (O(dictionary size): searching never panics
    /// on corrupt bytes, verified or not). Call [`Index::verify`] to check the
    /// checksum as well.
    ///
    /// The bytes are a whole index, or the core of a lazy one (it has a chunk table
    /// instead of postings and stored documents).
    pub fn open(bytes: B) -> Result<Index<B>, FormatError> {
        let container = Container::open(bytes)?;
        let meta = Meta::from_bytes(container.required(SectionKind::Meta)?)?;
        let corrupt = |what: &str| FormatError::Corrupt(what.to_string());
        // `None`: a size past usize (a corrupt count on wasm32)
        let expect = |kind, len: Option<usize>| -> Result<(), FormatError> {
            if Some(container.required(kind)?.len()) != len {
                return Err(corrupt(&format!(
                    "section {} has the wrong size",
                    kind.name()
                )));
            }
            Ok(())
        };
        if meta.doc_count > scour_format::MAX_DOCS {
            return Err(corrupt(&format!(
                "meta claims {} documents, more than an index holds ({})",
                meta.doc_count,
                scour_format::MAX_DOCS
            )));
        }
        let docs = meta.doc_count as usize;
        let (mut pack_at, mut pack, mut aligned, mut table) = (Vec::new(), None, false, None);
        let chunk_count = match container.section(SectionKind::Chunks) {
            Some(bytes) => {
                let t = ChunkTable::read(bytes)?;
                t.check_files()?;
                pack_at = t
                    .pack_offsets()
                    .ok_or_else(|| corrupt("the chunk table's pack is larger than 4 GiB"))?;
                pack = Some(t.pack_name());
                aligned = t.aligned();
                let keyed = t.count(ChunkKind::Terms) + t.count(ChunkKind::Stems);
                let keys = container.required(SectionKind::ChunkKeys)?;
                if (0..keyed).any(|i| chunks::first_key(keys, keyed, i).is_none()) {
                    return Err(corrupt("section chunk-keys is shorter than its table"));
                }
                // each document has at least its u32 offset in a documents chunk, and
                // DEFLATE makes at most 1,032 bytes of a byte: a count beyond that is
                // corrupt (searches allocate per document)
                let doc_bytes: u64 = (0..t.count(ChunkKind::Docs))
                    .filter_map(|i| t.entry(t.start(ChunkKind::Docs) + i))
                    .map(|e| u64::from(e.packed) * 1032)
                    .sum();
                if u64::from(meta.doc_count) * 4 > doc_bytes {
                    return Err(corrupt(
                        "the document chunks are too short for the document count",
                    ));
                }
                if (t.count(ChunkKind::Docs) == 0) != (docs == 0)
                    || (t.count(ChunkKind::Terms) == 0) != (meta.term_count == 0)
                {
                    return Err(corrupt("chunk table has no document or terms chunk"));
                }
                let len = t.len() as usize;
                table = Some(t);
                len
            }
            None => {
                let term_info = container.required(SectionKind::TermInfo)?;
                if term_info.len() < scour_format::term_info::min_len(meta.term_count as usize) {
                    return Err(corrupt("section term-info is shorter than its block table"));
                }
                expect(SectionKind::DocTable, docs.checked_mul(DOC_TABLE_LEN))?;
                container.required(SectionKind::Postings)?;
                container.required(SectionKind::DocData)?;
                let terms = container.required(SectionKind::Terms)?;
                check_fst(terms, "term")?;
                let terms =
                    fst::Map::new(terms).map_err(|e| corrupt(&format!("term dictionary: {e}")))?;
                if terms.len() != meta.term_count as usize {
                    return Err(corrupt(
                        "term dictionary and meta disagree on the term count",
                    ));
                }
                if let Some(stems) = container.section(SectionKind::Stems) {
                    check_fst(stems, "stem")?;
                }
                let groups = container
                    .section(SectionKind::StemGroups)
                    .map_or(0, |g| g.len());
                // an index without groups may leave the section out
                let least = scour_format::stem_groups::min_len(meta.stem_group_count as usize);
                if least > groups.max(4) {
                    return Err(corrupt("stem groups are shorter than their offset table"));
                }
                0
            }
        };
        let analyzer = Analyzer::new(Language::from_code(meta.language as u8));
        Ok(Index {
            container,
            meta,
            analyzer,
            builders: dict::Builders,
            loaded: vec![None; chunk_count],
            table,
            pack_at,
            pack,
            aligned,
        })
    }

    /// True when postings and stored documents live in chunks.
    pub fn is_lazy(&self) -> bool {
        self.container.section(SectionKind::Chunks).is_some()
    }

    fn chunk_table(&self) -> Option<&ChunkTable> {
        self.table.as_ref()
    }

    /// Chunks of a lazy index (0 for a whole one).
    pub fn chunk_count(&self) -> u32 {
        self.loaded.len() as u32
    }

    /// The name of chunk `id` in messages (`p3-0a1b2c3d`: its kind, id and bundle hash).
    pub fn chunk_name(&self, id: u32) -> Option<String> {
        self.chunk_table()?.name(id)
    }

    /// Where chunk `id` is: the fallback file holding it (its name, relative to the
    /// bundle folder, and its number: give the file's bytes to [`Index::add_chunks`]),
    /// and its deflated bytes' offset and length in the pack ([`Index::pack_name`]).
    pub fn chunk_place(&self, id: u32) -> Option<ChunkPlace> {
        let table = self.chunk_table()?;
        let file = table.file_of(id)?;
        let at = *self.pack_at.get(id as usize)?;
        Some(ChunkPlace {
            file: table.file_name(file)?,
            file_no: file,
            pack_at: at,
            pack_len: self.pack_at.get(id as usize + 1)? - at,
        })
    }

    /// The name of the pack holding every chunk deflated, relative to the bundle
    /// folder (`None` for a whole index).
    pub fn pack_name(&self) -> Option<&str> {
        self.pack.as_deref()
    }

    /// Gives the chunks of fallback file `file`: `bytes` holds its chunks back to back
    /// ([`ChunkTable::file_chunks`]), each checked as [`Index::add_chunk`] does. Chunks
    /// already given are skipped; bytes shorter or longer than the file's chunks are an
    /// error before any chunk is taken.
    pub fn add_chunks(&mut self, file: u32, bytes: &[u8]) -> Result<(), FormatError> {
        let table = self
            .chunk_table()
            .ok_or_else(|| FormatError::Corrupt("this index has no chunks".into()))?;
        let parts = table.file_parts(file, bytes)?;
        for (id, part) in parts {
            if !self.has_chunk(id) {
                self.add_chunk(id, part.to_vec())?;
            }
        }
        Ok(())
    }

    /// True when chunk `id` has been given.
    pub fn has_chunk(&self, id: u32) -> bool {
        self.loaded.get(id as usize).is_some_and(Option::is_some)
    }

    /// Gives the index chunk `id`, after checking its length and checksum (and walking
    /// a dictionary chunk's fst once): bytes that are not exactly this index's chunk
    /// are an error and change nothing.
    pub fn add_chunk(&mut self, id: u32, mut bytes: Vec<u8>) -> Result<(), FormatError> {
        let table = self
            .chunk_table()
            .ok_or_else(|| FormatError::Corrupt("this index has no chunks".into()))?;
        let len = table.check(id, &bytes)?.len();
        // the check is not part of what the chunk holds
        bytes.truncate(len);
        if let kind @ (ChunkKind::Terms | ChunkKind::Stems) = table.kind(id) {
            let what = if kind == ChunkKind::Terms {
                "term"
            } else {
                "stem"
            };
            let (fst, _) = chunks::dict_parts(&bytes).ok_or_else(|| {
                FormatError::Corrupt(format!("{what} chunk {id} is shorter than its dictionary"))
            })?;
            check_fst(fst, what)?;
        }
        if table.kind(id) == ChunkKind::Docs {
            let first = table.entry(id).map_or(0, |e| e.first);
            let next = table.next_first(id, self.meta.doc_count);
            if doc_data::chunk_len(&bytes) != Some(next.saturating_sub(first)) {
                return Err(FormatError::Corrupt(format!(
                    "document chunk {id} does not hold the documents the index expects"
                )));
            }
        }
        if let Some(slot) = self.loaded.get_mut(id as usize) {
            *slot = Some(bytes.into_boxed_slice());
        }
        Ok(())
    }

    /// The postings bytes of term `ord` (described by `info`); empty when they are in
    /// a chunk not given yet, which is recorded for [`Index::try_search`].
    pub(crate) fn postings(&self, ord: u32, info: Entry) -> &[u8] {
        let Some(table) = self.chunk_table() else {
            return self
                .section(SectionKind::Postings)
                .get(info.start..info.end)
                .unwrap_or(&[]);
        };
        let Some((entry, chunk)) = self.loaded_chunk(table, ChunkKind::Postings, ord) else {
            return &[];
        };
        let base = entry.base as usize;
        chunk
            .get(info.start.saturating_sub(base)..info.end.saturating_sub(base))
            .unwrap_or(&[])
    }

    /// The chunk of `kind` holding ordinal `ord`, with its table entry, if it has been
    /// given; one not given yet is recorded for [`Index::try_search`].
    fn loaded_chunk(
        &self,
        table: &ChunkTable,
        kind: ChunkKind,
        ord: u32,
    ) -> Option<(chunks::Entry, &[u8])> {
        let id = table.find(kind, ord)?;
        match self.loaded.get(id as usize).and_then(Option::as_deref) {
            Some(chunk) => Some((table.entry(id)?, chunk)),
            None => {
                want(id);
                None
            }
        }
    }

    /// The stored record of document `doc` (it may run on past the record's end);
    /// `None` when it is in a chunk not given yet, which is recorded.
    pub(crate) fn record(&self, doc: u32) -> Option<&[u8]> {
        if doc >= self.meta.doc_count {
            return None;
        }
        let Some(table) = self.chunk_table() else {
            return doc_data::record(
                self.section(SectionKind::DocTable),
                self.section(SectionKind::DocData),
                doc,
            );
        };
        let (entry, chunk) = self.loaded_chunk(table, ChunkKind::Docs, doc)?;
        doc_data::chunk_record(chunk, doc.checked_sub(entry.first)?)
    }

    /// Answers a query, or says which chunks it needs first. A whole index always
    /// answers; a lazy one answers once every chunk the query touches has been given.
    /// Each round asks for every chunk it can tell it needs, so a query takes one
    /// round for its postings and usually one for the documents it shows.
    pub fn try_search(&self, query: &str, options: &SearchOptions) -> Lookup {
        let results = self.search(query, options);
        let missing = MISSING.with_borrow_mut(std::mem::take);
        if missing.is_empty() {
            Lookup::Done(results)
        } else {
            Lookup::Need(missing)
        }
    }

    /// Checks the checksum of the whole index (O(n)). An index that verifies is safe
    /// to search; an unverified corrupt one may give wrong results.
    pub fn verify(&self) -> Result<(), FormatError> {
        self.container.verify()
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.meta.doc_count as usize
    }

    /// Number of distinct terms.
    pub fn term_count(&self) -> usize {
        self.meta.term_count as usize
    }

    /// Each section with its size in bytes.
    pub fn section_sizes(&self) -> Vec<(SectionKind, usize)> {
        self.container.section_sizes()
    }

    /// Total size of the index in bytes.
    pub fn byte_len(&self) -> usize {
        self.container.bytes().len()
    }

    /// The stored document with ordinal `doc`, if it exists (and, in a lazy index,
    /// its chunk has been given).
    pub fn document(&self, doc: u32) -> Option<StoredDoc<'_>> {
        doc_data::read(self.record(doc)?)
    }

    /// The terms of the dictionary, in byte order (for `scour inspect` and tests).
    pub fn terms(&self) -> Vec<String> {
        use fst::Streamer;
        // the count comes from the bytes: no more capacity than a few pieces need
        let mut out = Vec::with_capacity(self.term_count().min(1 << 16));
        let pieces = self.dict().map(|d| d.terms).unwrap_or_default();
        for (fst, _) in pieces.iter().filter_map(|p| p.parts) {
            let Ok(map) = fst::Map::new(fst) else {
                continue;
            };
            let mut s = map.stream();
            while let Some((k, _)) = s.next() {
                out.push(String::from_utf8_lossy(k).into_owned());
            }
        }
        out
    }

    /// Answers a query. Never panics, whatever the input. On a lazy index missing
    /// chunks the query needs, the answer is partial or empty: use
    /// [`Index::try_search`] there.
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResults {
        MISSING.with_borrow_mut(Vec::clear);
        let Some(dict) = self.dict() else {
            return SearchResults::default();
        };
        let q = Query::parse(query, &self.analyzer);
        search::run(self, &dict, &q, options)
    }

    fn section(&self, kind: SectionKind) -> &[u8] {
        self.container.section(kind).unwrap_or(&[])
    }

    fn dict(&self) -> Option<dict::Dict<'_>> {
        let (terms, stems) = match self.chunk_table() {
            None => {
                // one piece of each, always present
                let whole = |fst: SectionKind, table: SectionKind| {
                    Some(dict::Piece {
                        first: 0,
                        key: &[],
                        base: 0,
                        chunk: None,
                        with: None,
                        parts: Some((self.container.section(fst)?, self.section(table))),
                    })
                };
                let terms = vec![whole(SectionKind::Terms, SectionKind::TermInfo)?];
                (
                    terms,
                    Vec::from_iter(whole(SectionKind::Stems, SectionKind::StemGroups)),
                )
            }
            Some(table) => {
                let keys = self.section(SectionKind::ChunkKeys);
                let keyed = table.count(ChunkKind::Terms) + table.count(ChunkKind::Stems);
                let pieces = |kind: ChunkKind, key_at: u32| -> Vec<dict::Piece<'_>> {
                    let start = table.start(kind);
                    let postings = table.start(ChunkKind::Postings);
                    (0..table.count(kind))
                        .filter_map(|i| {
                            let id = start + i;
                            let e = table.entry(id)?;
                            let with = (self.aligned && kind == ChunkKind::Terms)
                                .then_some(postings + i)
                                .filter(|&p| !self.has_chunk(p));
                            Some(dict::Piece {
                                first: e.first,
                                key: chunks::first_key(keys, keyed, key_at + i)?,
                                base: e.base as usize,
                                chunk: Some(id),
                                with,
                                parts: self.loaded[id as usize]
                                    .as_deref()
                                    .and_then(chunks::dict_parts),
                            })
                        })
                        .collect()
                };
                let terms = pieces(ChunkKind::Terms, 0);
                (
                    terms,
                    pieces(ChunkKind::Stems, table.count(ChunkKind::Terms)),
                )
            }
        };
        Some(dict::Dict {
            terms,
            stems,
            term_count: self.meta.term_count,
            stem_group_count: self.meta.stem_group_count,
        })
    }
}
