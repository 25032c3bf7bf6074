//! [`IndexBuilder`]: documents in, index bytes out.
//!
//! It gathers what each section holds and writes it through the section's module in
//! `scour-format`, beside the reader the engine uses: the term dictionary
//! (`fst::Map`), term info, postings with per-field frequencies and lengths, stem
//! groups, stored documents and facets.

use std::collections::BTreeMap;
use std::fmt;

use rustc_hash::FxHashMap;
use scour_format::doc_data::{self, StoredDoc, StoredHeading};
use scour_format::{facets, stem_groups, varint, ContainerWriter, Meta, SectionKind};
use scour_text::{Analyzer, Language};

use crate::Document;

/// Why an index could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// No documents were added.
    Empty,
    /// The index would exceed the 4 GiB the format can address.
    TooLarge,
    /// More documents than [`scour_format::MAX_DOCS`].
    TooManyDocuments,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Empty => write!(
                f,
                "no documents to index: point scour at files or folders of .txt, .md, .html, .json or .jsonl articles"
            ),
            BuildError::TooLarge => write!(f, "the index would exceed 4 GiB: split the site into several indexes"),
            BuildError::TooManyDocuments => write!(
                f,
                "more than {} documents: split the site into several indexes",
                scour_format::MAX_DOCS
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds an index from documents.
///
/// Documents get ordinals in the order they are added; the same documents in the same
/// order give byte-identical indexes.
///
/// # Example
/// ```
/// use scour_index::{Document, IndexBuilder};
/// let mut b = IndexBuilder::new();
/// b.add(Document { id: "a".into(), title: "Hello".into(), body: "QR codes".into(), ..Default::default() });
/// let bytes = b.finish().unwrap();
/// assert!(bytes.starts_with(b"SCOURIDX"));
/// ```
pub struct IndexBuilder {
    analyzer: Analyzer,
    /// term → term id (insertion order; remapped to sorted ordinals at the end). Fx
    /// hashing: the map is looked up once per term of every document, and its order
    /// is never used (terms are sorted at the end).
    term_ids: FxHashMap<String, u32>,
    /// per term id: encoded postings and the last document added to them
    postings: Vec<(Vec<u8>, u32)>,
    /// per term id: the language of the first document that used it (its stemmer)
    term_lang: Vec<Language>,
    /// per document: its filter values as (key, value)
    doc_filters: Vec<Vec<(String, String)>>,
    languages: u32,
    doc_table: Vec<u32>,
    doc_data: Vec<u8>,
    field_totals: [u64; 3],
    doc_count: u32,
}

impl Default for IndexBuilder {
    fn default() -> Self {
        IndexBuilder::new()
    }
}

impl IndexBuilder {
    /// A builder with the English analyser.
    pub fn new() -> IndexBuilder {
        IndexBuilder::with_language(Language::English)
    }

    /// A builder whose analyser stems for `language`, the language of documents that
    /// do not say theirs (`Document::lang`).
    pub fn with_language(language: Language) -> IndexBuilder {
        IndexBuilder {
            analyzer: Analyzer::new(language),
            term_ids: FxHashMap::default(),
            postings: Vec::new(),
            term_lang: Vec::new(),
            doc_filters: Vec::new(),
            languages: 0,
            doc_table: Vec::new(),
            doc_data: Vec::new(),
            field_totals: [0; 3],
            doc_count: 0,
        }
    }

    /// Documents added so far.
    pub fn len(&self) -> usize {
        self.doc_count as usize
    }

    /// True before the first document.
    pub fn is_empty(&self) -> bool {
        self.doc_count == 0
    }

    /// The language of documents that do not say theirs.
    pub fn language(&self) -> Language {
        self.analyzer.language()
    }

    /// Adds a document; it gets the next ordinal.
    pub fn add(&mut self, doc: Document) {
        let analysed = Analysed::new(doc, self.language());
        self.add_analysed(analysed);
    }

    /// Adds a document analysed already (perhaps on another thread); it gets the next
    /// ordinal. The same as [`IndexBuilder::add`] of the document.
    pub fn add_analysed(&mut self, analysed: Analysed) {
        let Analysed {
            doc,
            language,
            text,
            terms,
            lens,
        } = analysed;
        self.languages |= 1 << language.code();
        let doc_id = self.doc_count;
        let mut start = 0;
        for (end, tf) in terms {
            let term = &text[start as usize..end as usize];
            start = end;
            // looked up before a term is copied: most are in the dictionary already
            let id = match self.term_ids.get(term) {
                Some(&id) => id,
                None => {
                    let id = self.postings.len() as u32;
                    self.term_ids.insert(term.to_owned(), id);
                    self.postings.push((Vec::new(), 0));
                    self.term_lang.push(language);
                    id
                }
            };
            let (buf, last) = &mut self.postings[id as usize];
            let first = buf.is_empty();
            let delta = if first { doc_id } else { doc_id - *last };
            *last = doc_id;
            scour_format::postings::write(buf, delta, tf, lens);
        }

        for (i, l) in lens.iter().enumerate() {
            self.field_totals[i] += *l as u64;
        }
        self.doc_table.push(self.doc_data.len() as u32);
        doc_data::write(&mut self.doc_data, &stored(&doc));
        let mut filters: Vec<(String, String)> = doc
            .filters
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect();
        filters.sort_unstable();
        filters.dedup();
        self.doc_filters.push(filters);
        self.doc_count += 1;
    }

    /// The finished index bytes.
    pub fn finish(self) -> Result<Vec<u8>, BuildError> {
        self.into_writer().map(ContainerWriter::finish)
    }

    /// The finished index as a container writer holding its sections: to write a
    /// large index to a file with [`ContainerWriter::write_to`], never holding it
    /// twice. The bytes are [`IndexBuilder::finish`]'s.
    pub fn into_writer(mut self) -> Result<ContainerWriter, BuildError> {
        if self.doc_count == 0 {
            return Err(BuildError::Empty);
        }
        if self.doc_count > scour_format::MAX_DOCS {
            return Err(BuildError::TooManyDocuments);
        }
        // Terms in byte order: the fst needs it, and ordinals follow it.
        let mut sorted: Vec<(&str, u32)> = self
            .term_ids
            .iter()
            .map(|(t, &id)| (t.as_str(), id))
            .collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));

        // Stem every term with the stemmer of the language it was first seen in, and
        // group terms by stem: the engine finds the other forms of a word through its
        // group, so it needs no stemmer of its own for the site's words.
        let mut stems: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (ord, (term, id)) in sorted.iter().enumerate() {
            let stem = Analyzer::new(self.term_lang[*id as usize])
                .stem(term)
                .into_owned();
            stems.entry(stem).or_default().push(ord as u32);
        }
        // A group is only needed when it links forms exact lookup alone would not:
        // several terms, or one term whose stem differs from it (so the English
        // stemmer of the engine can reach it from an unseen form).
        let mut group_of = vec![None; sorted.len()];
        let mut stems_fst = fst::MapBuilder::memory();
        let mut group_terms: Vec<&[u32]> = Vec::new();
        for (stem, ords) in &stems {
            if ords.len() == 1 && sorted[ords[0] as usize].0 == stem {
                continue;
            }
            let group = group_terms.len() as u32;
            stems_fst
                .insert(stem, group as u64)
                .map_err(|_| BuildError::TooLarge)?;
            if ords.len() > 1 {
                for &o in ords {
                    group_of[o as usize] = Some(group);
                }
            }
            group_terms.push(ords);
        }
        let groups = group_terms.len() as u32;
        let group_lists = stem_groups::write(group_terms);
        let stems_fst = stems_fst.into_inner().map_err(|_| BuildError::TooLarge)?;

        let mut terms_fst = fst::MapBuilder::memory();
        let mut infos = Vec::with_capacity(sorted.len());
        let mut postings: Vec<u8> =
            Vec::with_capacity(self.postings.iter().map(|(buf, _)| buf.len()).sum());
        for (ord, (term, id)) in sorted.iter().enumerate() {
            // Keys are unique and sorted, so insert cannot fail.
            terms_fst
                .insert(term, ord as u64)
                .map_err(|_| BuildError::TooLarge)?;
            // taken, so that each term's postings are held once, here or there
            let buf = std::mem::take(&mut self.postings[*id as usize].0);
            let len = u32::try_from(buf.len()).map_err(|_| BuildError::TooLarge)?;
            infos.push((len, df_of(&buf), group_of[ord]));
            postings.extend_from_slice(&buf);
        }
        if u32::try_from(postings.len()).is_err() {
            return Err(BuildError::TooLarge);
        }
        let term_info = scour_format::term_info::write(&infos);
        let terms_fst = terms_fst.into_inner().map_err(|_| BuildError::TooLarge)?;
        let facets = facets::write(&self.doc_filters);

        let n = self.doc_count as f32;
        let meta = Meta {
            doc_count: self.doc_count,
            term_count: sorted.len() as u32,
            stem_group_count: groups,
            language: self.analyzer.language().code() as u32,
            avg_field_len: self.field_totals.map(|t| (t as f32 / n).max(1.0)),
            languages: self.languages,
        };
        let doc_table = doc_data::write_table(&self.doc_table);
        let total: usize = terms_fst.len()
            + term_info.len()
            + postings.len()
            + stems_fst.len()
            + group_lists.len()
            + doc_table.len()
            + self.doc_data.len();
        if total > u32::MAX as usize - 4096 {
            return Err(BuildError::TooLarge);
        }
        let mut w = ContainerWriter::new();
        w.section(SectionKind::Meta, meta.to_bytes())
            .section(SectionKind::Terms, terms_fst)
            .section(SectionKind::TermInfo, term_info)
            .section(SectionKind::Postings, postings)
            .section(SectionKind::Stems, stems_fst)
            .section(SectionKind::StemGroups, group_lists)
            .section(SectionKind::DocTable, doc_table)
            .section(SectionKind::DocData, self.doc_data)
            .section(SectionKind::Facets, facets);
        Ok(w)
    }
}

/// A document with its words counted: the part of indexing that needs nothing but
/// the document, so documents can be analysed on other threads and added in order
/// ([`IndexBuilder::add_analysed`]).
pub struct Analysed {
    doc: Document,
    /// The language whose stemmer the document's terms take.
    language: Language,
    /// The document's terms, sorted, back to back: two allocations a document rather
    /// than one a term, made on one thread and freed on another.
    text: String,
    /// Where each term of `text` ends, with its frequency in the title, headings and
    /// body.
    terms: Vec<(u32, [u32; 3])>,
    /// Words in the title, headings and body.
    lens: [u32; 3],
}

impl Analysed {
    /// Analyses `doc`; `default` is the language of a document that does not say its
    /// own ([`IndexBuilder::language`]).
    pub fn new(doc: Document, default: Language) -> Analysed {
        let mut terms: FxHashMap<String, [u32; 3]> = FxHashMap::default();
        let mut lens = [0u32; 3];
        let language = doc.lang.as_deref().map_or(default, Language::from_tag);
        let analyzer = Analyzer::new(language);

        let mut field = |text: &str, field: usize| {
            analyzer.for_each_term_while(text, |t| {
                if !t.joined {
                    lens[field] += 1;
                }
                // look up before allocating: most terms of a page repeat
                let tf = match terms.get_mut(t.term) {
                    Some(tf) => tf,
                    None => terms.entry(t.term.to_string()).or_default(),
                };
                tf[field] += 1;
                true
            });
        };
        // a stub's title names a topic its text is not about: a heading, not a title
        field(&doc.title, usize::from(doc.stub));
        for h in &doc.headings {
            field(&h.text, 1);
        }
        field(&doc.body, 2);
        if let Some(alias) = doc.title_alias.as_deref().filter(|_| !doc.stub) {
            // The alias's words count in the title once: a word both names hold is one
            // title word. The title's length is the shorter name's, so that a query
            // naming the page either way covers its whole title.
            let shown = lens[0];
            let mut words = 0;
            analyzer.for_each_term_while(alias, |t| {
                if !t.joined {
                    words += 1;
                }
                match terms.get_mut(t.term) {
                    Some(tf) if tf[0] > 0 => {}
                    Some(tf) => tf[0] += 1,
                    None => terms.entry(t.term.to_string()).or_default()[0] += 1,
                }
                true
            });
            lens[0] = if words > 0 { shown.min(words) } else { shown };
        }
        // Sorted so postings are appended in a deterministic order (HashMap order is
        // random and term ids are assigned on first sight).
        let mut sorted: Vec<(String, [u32; 3])> = terms.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::with_capacity(sorted.iter().map(|(t, _)| t.len()).sum());
        let terms = sorted
            .into_iter()
            .map(|(term, tf)| {
                text.push_str(&term);
                // a document's terms are far fewer than 4 GiB
                (text.len() as u32, tf)
            })
            .collect();
        Analysed {
            doc,
            language,
            text,
            terms,
            lens,
        }
    }
}

/// Counts the documents of one term's postings (the builder wrote them, so they decode).
fn df_of(buf: &[u8]) -> u32 {
    let mut r = varint::Reader::new(buf);
    let mut n = 0;
    while scour_format::postings::read(&mut r).is_some() {
        n += 1;
    }
    n
}

/// A document as its stored record holds it ([`doc_data`]).
fn stored(doc: &Document) -> StoredDoc<'_> {
    StoredDoc {
        id: &doc.id,
        url: &doc.url,
        title: &doc.title,
        headings: doc
            .headings
            .iter()
            .map(|h| StoredHeading {
                text: &h.text,
                anchor: h.anchor.as_deref(),
                offset: h.offset,
            })
            .collect(),
        meta: doc.meta.iter().map(|(k, v)| (&k[..], &v[..])).collect(),
        filters: doc
            .filters
            .iter()
            .map(|(k, vs)| (&k[..], vs.iter().map(String::as_str).collect()))
            .collect(),
        lang: doc.lang.as_deref().unwrap_or(""),
        body: doc.body.as_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Document> {
        (0..50)
            .map(|i| Document {
                id: format!("d{i}"),
                url: format!("/d/{i}/"),
                title: format!("Page {i} about QR codes"),
                title_alias: (i % 7 == 0).then(|| format!("page-{i}(1)")),
                body: format!("Body {i}: the codes of page {i}, Straße {}", i % 3),
                lang: (i % 5 == 0).then(|| "de".to_owned()),
                stub: i % 11 == 0,
                ..Document::default()
            })
            .collect()
    }

    #[test]
    fn documents_analysed_elsewhere_in_any_order_give_the_same_bytes() {
        let mut one_by_one = IndexBuilder::new();
        for doc in docs() {
            one_by_one.add(doc);
        }
        // analysed on another thread, last first, then added in order
        let language = IndexBuilder::new().language();
        let mut analysed: Vec<(usize, Analysed)> = std::thread::spawn(move || {
            let mut all: Vec<(usize, Analysed)> = docs()
                .into_iter()
                .enumerate()
                .rev()
                .map(|(i, d)| (i, Analysed::new(d, language)))
                .collect();
            all.reverse();
            all
        })
        .join()
        .unwrap();
        analysed.sort_by_key(|(i, _)| *i);
        let mut in_order = IndexBuilder::new();
        for (_, a) in analysed {
            in_order.add_analysed(a);
        }
        assert_eq!(in_order.finish().unwrap(), one_by_one.finish().unwrap());
    }
}
