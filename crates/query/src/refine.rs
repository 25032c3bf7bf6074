//! Filters, date ranges, facet counts and metadata sorting.

use scour_format::doc_data;
use scour_format::facets::Facets;
use scour_format::SectionKind;

use crate::search::Candidate;
use crate::{Facet, FilterMode, Index, SearchOptions, Sort};

pub(crate) struct Refiner<'a, B> {
    ix: &'a Index<B>,
    facets: Facets<'a>,
    /// Per filter: its mode and the value ids it names (an unknown value names none).
    filters: Vec<(FilterMode, Vec<u32>, usize)>,
    from: Option<&'a str>,
    to: Option<&'a str>,
}

impl<'a, B: AsRef<[u8]>> Refiner<'a, B> {
    pub fn new(ix: &'a Index<B>, opts: &'a SearchOptions) -> Refiner<'a, B> {
        let facets = Facets::read(ix.section(SectionKind::Facets));
        let filters = opts
            .filters
            .iter()
            .map(|f| {
                let ids: Vec<u32> = (0..facets.value_count())
                    .filter(|&id| {
                        facets
                            .value(id)
                            .is_some_and(|(k, v)| k == f.key && f.values.iter().any(|x| x == v))
                    })
                    .collect();
                (f.mode, ids, f.values.len())
            })
            .collect();
        Refiner {
            ix,
            facets,
            filters,
            from: opts.date_from.as_deref(),
            to: opts.date_to.as_deref(),
        }
    }

    /// True when the document passes every filter and the date range.
    pub fn keeps(&self, doc: u32) -> bool {
        if !self.filters.is_empty() {
            let mut values = Vec::new();
            self.facets.doc_values(doc, &mut values);
            for (mode, ids, wanted) in &self.filters {
                let has = ids
                    .iter()
                    .filter(|id| values.binary_search(id).is_ok())
                    .count();
                let ok = match mode {
                    FilterMode::Any => has > 0,
                    FilterMode::All => has == *wanted && *wanted > 0,
                    FilterMode::None => has == 0,
                };
                if !ok {
                    return false;
                }
            }
        }
        if self.from.is_some() || self.to.is_some() {
            let Some(date) = self.ix.record(doc).and_then(|r| doc_data::meta(r, "date")) else {
                return false;
            };
            if self.from.is_some_and(|f| date < f) {
                return false;
            }
            // compare on the bound's length: `to = 2021-11` keeps `2021-11-30`
            if self
                .to
                .is_some_and(|t| date.get(..t.len()).unwrap_or(date) > t)
            {
                return false;
            }
        }
        true
    }

    /// Filter value counts over `docs`, keys in order, values by count then name.
    pub fn count(&self, docs: impl Iterator<Item = u32>) -> Vec<Facet> {
        let mut counts = vec![0usize; self.facets.value_count() as usize];
        let mut values = Vec::new();
        for d in docs {
            self.facets.doc_values(d, &mut values);
            for &v in &values {
                if let Some(c) = counts.get_mut(v as usize) {
                    *c += 1;
                }
            }
        }
        // Value ids follow (key, value) order, so each key's values are consecutive.
        let mut out: Vec<Facet> = Vec::new();
        for (id, &c) in counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let Some((k, v)) = self.facets.value(id as u32) else {
                continue;
            };
            match out.last_mut() {
                Some(f) if f.key == k => f.values.push((v.to_string(), c)),
                _ => out.push(Facet {
                    key: k.to_string(),
                    values: vec![(v.to_string(), c)],
                }),
            }
        }
        for f in &mut out {
            crate::sort::sort_by(&mut f.values, |a, b| {
                b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
            });
        }
        out
    }

    /// Orders candidates by a metadata key; documents without it go last, ties by
    /// relevance then document order.
    pub fn sort(&self, cands: &mut [Candidate], sort: &Sort) {
        let mut keyed: Vec<(Option<&str>, Candidate)> = cands
            .iter()
            .map(|&c| {
                (
                    self.ix
                        .record(c.doc)
                        .and_then(|r| doc_data::meta(r, &sort.key)),
                    c,
                )
            })
            .collect();
        crate::sort::sort_by(&mut keyed, |a, b| {
            let by_key = match (a.0, b.0) {
                (Some(x), Some(y)) => {
                    let o = compare_values(x, y);
                    if sort.descending {
                        o.reverse()
                    } else {
                        o
                    }
                }
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_key.then(Candidate::order(&a.1, &b.1))
        });
        for (slot, (_, c)) in cands.iter_mut().zip(keyed) {
            *slot = c;
        }
    }
}

/// Integers compare as numbers, everything else (ISO dates included) as text.
/// (Integers only: float parsing would add kilobytes of code to the wasm.)
fn compare_values(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}
