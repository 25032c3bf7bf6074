//! [`IndexBuilder`]: documents in, index bytes out.
//!
//! The writer half of every structure in `scour-format`: term dictionary (`fst::Map`),
//! term info, postings with per-field frequencies and positions, stem groups, stored
//! documents with snippet checkpoints, and field norms.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use scour_format::{
    varint, ContainerWriter, Meta, SectionKind, CHECKPOINT_EVERY, POSITION_GAP,
};
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
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Empty => write!(
                f,
                "no documents to index: point scour at files or folders of .txt, .md, .html, .json or .jsonl articles"
            ),
            BuildError::TooLarge => write!(f, "the index would exceed 4 GiB: split the site into several indexes"),
        }
    }
}

impl std::error::Error for BuildError {}

#[derive(Default)]
struct DocTerm {
    tf: [u32; 3],
    positions: Vec<u32>,
}

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
    /// term → term id (insertion order; remapped to sorted ordinals at the end)
    term_ids: HashMap<String, u32>,
    /// per term id: encoded postings and the last document added to them
    postings: Vec<(Vec<u8>, u32)>,
    doc_table: Vec<u32>,
    doc_data: Vec<u8>,
    norms: Vec<u8>,
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

    /// A builder whose analyser stems for `language`.
    pub fn with_language(language: Language) -> IndexBuilder {
        IndexBuilder {
            analyzer: Analyzer::new(language),
            term_ids: HashMap::new(),
            postings: Vec::new(),
            doc_table: Vec::new(),
            doc_data: Vec::new(),
            norms: Vec::new(),
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

    /// Adds a document; it gets the next ordinal.
    pub fn add(&mut self, doc: Document) {
        let mut terms: HashMap<String, DocTerm> = HashMap::new();
        let mut lens = [0u32; 3];
        let mut checkpoints: Vec<u32> = Vec::new();

        let field = |text: &str, field: usize, base: u32, terms: &mut HashMap<String, DocTerm>, lens: &mut [u32; 3], cps: Option<&mut Vec<u32>>| -> u32 {
            let mut end = base;
            let mut cps = cps;
            self.analyzer.for_each_token(text, |t| {
                let pos = base.saturating_add(t.position);
                end = end.max(pos.saturating_add(1));
                if !t.joined {
                    lens[field] += 1;
                    if let Some(cps) = cps.as_deref_mut() {
                        if t.position % CHECKPOINT_EVERY == 0 && cps.len() as u32 == t.position / CHECKPOINT_EVERY {
                            cps.push(t.start as u32);
                        }
                    }
                }
                let e = terms.entry(t.term).or_default();
                e.tf[field] += 1;
                e.positions.push(pos);
            });
            end
        };
        let mut next_pos = field(&doc.title, 0, 0, &mut terms, &mut lens, None).saturating_add(POSITION_GAP);
        for h in &doc.headings {
            next_pos = field(&h.text, 1, next_pos, &mut terms, &mut lens, None).saturating_add(POSITION_GAP);
        }
        let body_base = next_pos;
        field(&doc.body, 2, body_base, &mut terms, &mut lens, Some(&mut checkpoints));

        let doc_id = self.doc_count;
        // Sort so postings are appended in a deterministic order (HashMap order is random
        // and term ids are assigned on first sight).
        let mut terms: Vec<(String, DocTerm)> = terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (term, mut dt) in terms {
            let next_id = self.postings.len() as u32;
            let id = *self.term_ids.entry(term).or_insert(next_id);
            if id == next_id {
                self.postings.push((Vec::new(), 0));
            }
            let (buf, last) = &mut self.postings[id as usize];
            let first = buf.is_empty();
            varint::write(buf, if first { doc_id } else { doc_id - *last });
            *last = doc_id;
            for tf in dt.tf {
                varint::write(buf, tf);
            }
            dt.positions.sort_unstable();
            dt.positions.dedup();
            let mut pos_bytes = Vec::with_capacity(dt.positions.len());
            let mut prev = 0;
            for p in dt.positions {
                varint::write(&mut pos_bytes, p - prev);
                prev = p;
            }
            varint::write(buf, pos_bytes.len() as u32);
            buf.extend_from_slice(&pos_bytes);
        }

        for (i, l) in lens.iter().enumerate() {
            self.field_totals[i] += *l as u64;
            self.norms.extend_from_slice(&l.to_le_bytes());
        }
        self.doc_table.push(self.doc_data.len() as u32);
        write_doc(&mut self.doc_data, &doc, body_base, &checkpoints);
        self.doc_count += 1;
    }

    /// The finished index bytes.
    pub fn finish(self) -> Result<Vec<u8>, BuildError> {
        if self.doc_count == 0 {
            return Err(BuildError::Empty);
        }
        // Terms in byte order: the fst needs it, and ordinals follow it.
        let mut sorted: Vec<(&str, u32)> = self.term_ids.iter().map(|(t, &id)| (t.as_str(), id)).collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));

        let mut terms_fst = fst::MapBuilder::memory();
        let mut term_info = Vec::with_capacity(sorted.len() * scour_format::TERM_INFO_LEN);
        let mut postings: Vec<u8> = Vec::new();
        let mut stems: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (ord, (term, id)) in sorted.iter().enumerate() {
            // Keys are unique and sorted, so insert cannot fail.
            terms_fst.insert(term, ord as u64).map_err(|_| BuildError::TooLarge)?;
            let (buf, _) = &self.postings[*id as usize];
            let off = u32::try_from(postings.len()).map_err(|_| BuildError::TooLarge)?;
            let df = df_of(buf);
            term_info.extend_from_slice(&off.to_le_bytes());
            term_info.extend_from_slice(&df.to_le_bytes());
            postings.extend_from_slice(buf);
            let stem = self.analyzer.stem(term);
            stems.entry(stem.into_owned()).or_default().push(ord as u32);
        }
        // End sentinel: the postings of ordinal i end where those of i + 1 start.
        term_info.extend_from_slice(&(postings.len() as u32).to_le_bytes());
        term_info.extend_from_slice(&0u32.to_le_bytes());
        let terms_fst = terms_fst.into_inner().map_err(|_| BuildError::TooLarge)?;

        // A stem group is only needed when it links forms that exact lookup alone would
        // not: several terms, or one term whose stem differs from it.
        let mut stems_fst = fst::MapBuilder::memory();
        let mut group_offsets: Vec<u8> = Vec::new();
        let mut group_data: Vec<u8> = Vec::new();
        let mut groups = 0u32;
        for (stem, ords) in &stems {
            if ords.len() == 1 && sorted[ords[0] as usize].0 == stem {
                continue;
            }
            stems_fst.insert(stem, groups as u64).map_err(|_| BuildError::TooLarge)?;
            group_offsets.extend_from_slice(&(group_data.len() as u32).to_le_bytes());
            let mut prev = 0;
            for &o in ords {
                varint::write(&mut group_data, o - prev);
                prev = o;
            }
            groups += 1;
        }
        group_offsets.extend_from_slice(&(group_data.len() as u32).to_le_bytes());
        let mut stem_groups = group_offsets;
        stem_groups.extend_from_slice(&group_data);
        let stems_fst = stems_fst.into_inner().map_err(|_| BuildError::TooLarge)?;

        let n = self.doc_count as f32;
        let meta = Meta {
            doc_count: self.doc_count,
            term_count: sorted.len() as u32,
            stem_group_count: groups,
            language: self.analyzer.language().code() as u32,
            avg_field_len: self.field_totals.map(|t| (t as f32 / n).max(1.0)),
        };
        let mut doc_table = Vec::with_capacity(self.doc_table.len() * 4);
        for off in &self.doc_table {
            doc_table.extend_from_slice(&off.to_le_bytes());
        }
        let total: usize = terms_fst.len() + term_info.len() + postings.len() + stems_fst.len()
            + stem_groups.len() + doc_table.len() + self.doc_data.len() + self.norms.len();
        if total > u32::MAX as usize - 4096 {
            return Err(BuildError::TooLarge);
        }
        let mut w = ContainerWriter::new();
        w.section(SectionKind::Meta, meta.to_bytes())
            .section(SectionKind::Terms, terms_fst)
            .section(SectionKind::TermInfo, term_info)
            .section(SectionKind::Postings, postings)
            .section(SectionKind::Stems, stems_fst)
            .section(SectionKind::StemGroups, stem_groups)
            .section(SectionKind::DocTable, doc_table)
            .section(SectionKind::DocData, self.doc_data)
            .section(SectionKind::Norms, self.norms);
        Ok(w.finish())
    }
}

/// Counts the documents of one term's postings (the builder wrote them, so they decode).
fn df_of(buf: &[u8]) -> u32 {
    let mut r = varint::Reader::new(buf);
    let mut n = 0;
    while !r.is_empty() {
        for _ in 0..4 {
            r.u32();
        }
        let len = r.u32().unwrap_or(0) as usize;
        r.skip(len);
        n += 1;
    }
    n
}

/// A stored document record; the layout is read by `scour_query::StoredDoc`.
fn write_doc(out: &mut Vec<u8>, doc: &Document, body_base: u32, checkpoints: &[u32]) {
    varint::write_str(out, &doc.id);
    varint::write_str(out, &doc.url);
    varint::write_str(out, &doc.title);
    varint::write(out, doc.headings.len() as u32);
    for h in &doc.headings {
        varint::write_str(out, &h.text);
        varint::write_str(out, h.anchor.as_deref().unwrap_or(""));
        varint::write(out, h.offset.map_or(0, |o| o as u32 + 1));
    }
    varint::write(out, doc.meta.len() as u32);
    for (k, v) in &doc.meta {
        varint::write_str(out, k);
        varint::write_str(out, v);
    }
    varint::write(out, doc.filters.len() as u32);
    for (k, vs) in &doc.filters {
        varint::write_str(out, k);
        varint::write(out, vs.len() as u32);
        for v in vs {
            varint::write_str(out, v);
        }
    }
    varint::write_str(out, doc.lang.as_deref().unwrap_or(""));
    varint::write(out, body_base);
    varint::write(out, checkpoints.len() as u32);
    let mut prev = 0;
    for &c in checkpoints {
        varint::write(out, c - prev);
        prev = c;
    }
    varint::write_str(out, &doc.body);
}
