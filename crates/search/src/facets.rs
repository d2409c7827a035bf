//! Facet counting on bitsets.
//!
//! Counting facets document by document (tantivy's `FacetCollector`) reads every matching
//! document's values from a column: on a broad query over 100k records it was 60% of the time.
//! Here each segment gets, once (segments are immutable), a table of every facet value with its
//! documents — a bitset when the value is common, a sorted list when it is rare. A search collects
//! the documents it matches as a bitset; a value's count is then the population count of an AND
//! (or a few bit tests), whatever the number of hits. The same tables give each facet's counts
//! under the *other* facets' filters with bitset operations instead of one more query per facet.

use crate::SearchError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

/// A set of documents of one segment.
#[derive(Debug, Clone)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    pub(crate) fn empty(max_doc: u32) -> Self {
        Bits(vec![0; (max_doc as usize).div_ceil(64)])
    }

    /// Adds `doc`; says whether it was there already.
    pub(crate) fn insert(&mut self, doc: DocId) -> bool {
        let word = &mut self.0[(doc / 64) as usize];
        let bit = 1 << (doc % 64);
        let had = *word & bit != 0;
        *word |= bit;
        had
    }

    /// The documents, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = DocId> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    i as DocId * 64 + bit
                })
            })
        })
    }

    /// Keeps the documents `keep` accepts.
    pub(crate) fn retain(&mut self, keep: impl Fn(DocId) -> bool) {
        for (i, word) in self.0.iter_mut().enumerate() {
            let mut rest = *word;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                if !keep(i as DocId * 64 + bit) {
                    *word &= !(1 << bit);
                }
            }
        }
    }

    fn contains(&self, doc: DocId) -> bool {
        self.0[(doc / 64) as usize] & (1 << (doc % 64)) != 0
    }

    /// Number of documents.
    pub(crate) fn len(&self) -> u64 {
        and_len(&self.0, &self.0)
    }

    fn and_len(&self, other: &Bits) -> u64 {
        and_len(&self.0, &other.0)
    }

    pub(crate) fn and_with(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
}

/// The number of bits set in both `a` and `b`: every facet value's count is one of these over a
/// million-bit set at a million records (a seventh of a search there). The default x86-64 target
/// has no population-count instruction, so `count_ones` is a dozen instructions a word. The same
/// loop is compiled three more times, and the CPU's best is chosen at run time (checked once,
/// cached by the standard library): AVX-512 with `vpopcntq` (eight words an instruction), AVX2
/// (four words, counted by nibble lookups), or `popcnt` (one word; every x86-64 CPU since 2008).
fn and_len(a: &[u64], b: &[u64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512vpopcntdq") {
            // SAFETY: the CPU has these features, checked just above.
            return unsafe { and_len_avx512(a, b) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { and_len_avx2(a, b) };
        }
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: as above.
            return unsafe { and_len_popcnt(a, b) };
        }
    }
    and_len_portable(a, b)
}

// Inlined, so that it is compiled with the features of its caller.
#[inline(always)]
fn and_len_portable(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u64::from((x & y).count_ones()))
        .sum()
}

/// [`and_len_portable`] compiled with `popcnt`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn and_len_popcnt(a: &[u64], b: &[u64]) -> u64 {
    and_len_portable(a, b)
}

/// [`and_len_portable`] compiled with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
fn and_len_avx2(a: &[u64], b: &[u64]) -> u64 {
    and_len_portable(a, b)
}

/// [`and_len_portable`] compiled with AVX-512's population count.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vpopcntdq,avx2,popcnt")]
fn and_len_avx512(a: &[u64], b: &[u64]) -> u64 {
    and_len_portable(a, b)
}

/// The documents having one value.
#[derive(Debug)]
enum Docs {
    /// Common values: one bit per document.
    Dense(Bits),
    /// Rare values: the documents, sorted.
    Sparse(Vec<DocId>),
}

impl Docs {
    fn count_in(&self, set: &Bits) -> u64 {
        match self {
            Docs::Dense(bits) => bits.and_len(set),
            Docs::Sparse(docs) => docs.iter().filter(|&&d| set.contains(d)).count() as u64,
        }
    }

    fn add_to(&self, set: &mut Bits) {
        match self {
            Docs::Dense(bits) => {
                for (a, b) in set.0.iter_mut().zip(&bits.0) {
                    *a |= b;
                }
            }
            Docs::Sparse(docs) => docs.iter().for_each(|&d| {
                set.insert(d);
            }),
        }
    }
}

/// One segment's facet values and their documents (deleted documents included: every use ANDs
/// them with a set of live matches).
#[derive(Debug)]
pub(crate) struct SegmentFacets {
    max_doc: u32,
    /// Per facet (in [`crate::FACETS`] order): values and documents.
    facets: Vec<Vec<(String, Docs)>>,
}

impl SegmentFacets {
    fn build(segment: &SegmentReader, fields: &[Field]) -> Result<Self, SearchError> {
        let max_doc = segment.max_doc();
        let mut facets = Vec::with_capacity(fields.len());
        for &field in fields {
            let inverted = segment.inverted_index(field)?;
            let mut values = Vec::new();
            let mut terms = inverted.terms().stream().map_err(crate::index_io)?;
            while terms.advance() {
                // Every ancestor of a facet is indexed too, the root included: only the values
                // (one level under the root) are counted.
                let Ok(facet) = Facet::from_encoded(terms.key().to_vec()) else {
                    continue;
                };
                if facet.is_root() {
                    continue;
                }
                let value = facet
                    .to_path()
                    .first()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(crate::index_io)?;
                let dense = postings.doc_freq() as usize * 32 > max_doc as usize;
                let mut list = Vec::new();
                let mut bits = dense.then(|| Bits::empty(max_doc));
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    match &mut bits {
                        Some(b) => {
                            b.insert(doc);
                        }
                        None => list.push(doc),
                    }
                    doc = postings.advance();
                }
                values.push((
                    value,
                    match bits {
                        Some(b) => Docs::Dense(b),
                        None => Docs::Sparse(list),
                    },
                ));
            }
            facets.push(values);
        }
        Ok(SegmentFacets { max_doc, facets })
    }

    /// The documents having any of `values` for facet `facet`.
    pub(crate) fn any_of(&self, facet: usize, values: &[String]) -> Bits {
        let mut set = Bits::empty(self.max_doc);
        for (value, docs) in &self.facets[facet] {
            if values.contains(value) {
                docs.add_to(&mut set);
            }
        }
        set
    }

    /// Adds each value's count among `set` to `counts`.
    pub(crate) fn count(&self, facet: usize, set: &Bits, counts: &mut HashMap<String, u64>) {
        for (value, docs) in &self.facets[facet] {
            let n = docs.count_in(set);
            if n > 0 {
                *counts.entry(value.clone()).or_default() += n;
            }
        }
    }
}

/// The facet tables of the segments seen, built on first use and dropped with their segment.
#[derive(Debug, Default)]
pub(crate) struct FacetTables {
    built: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetTables {
    /// The tables of `searcher`'s segments, in segment order.
    pub(crate) fn of(
        &self,
        searcher: &Searcher,
        fields: &[Field],
    ) -> Result<Vec<Arc<SegmentFacets>>, SearchError> {
        let segments = searcher.segment_readers();
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = Vec::with_capacity(segments.len());
        for segment in segments {
            let table = match built.get(&segment.segment_id()) {
                Some(t) => t.clone(),
                None => {
                    let t = Arc::new(SegmentFacets::build(segment, fields)?);
                    built.insert(segment.segment_id(), t.clone());
                    t
                }
            };
            out.push(table);
        }
        // Merged-away segments are never searched again.
        if built.len() > segments.len() {
            built.retain(|id, _| segments.iter().any(|s| s.segment_id() == *id));
        }
        Ok(out)
    }
}

/// Collects the live documents a query matches, one bitset per segment (in segment order).
pub(crate) struct Matches;

impl Collector for Matches {
    type Fruit = Vec<Bits>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches(ord, Bits::empty(segment.max_doc())))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, mut fruits: Vec<(SegmentOrdinal, Bits)>) -> tantivy::Result<Vec<Bits>> {
        fruits.sort_by_key(|(ord, _)| *ord);
        Ok(fruits.into_iter().map(|(_, bits)| bits).collect())
    }
}

/// [`Matches`] for one segment.
pub(crate) struct SegmentMatches(SegmentOrdinal, Bits);

impl SegmentCollector for SegmentMatches {
    type Fruit = (SegmentOrdinal, Bits);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.1.insert(doc);
    }

    fn harvest(self) -> Self::Fruit {
        (self.0, self.1)
    }
}

/// The documents `query` matches, one set per segment (deleted ones included: AND them with
/// live matches), without scoring.
pub(crate) fn docs_of(searcher: &Searcher, query: &dyn Query) -> Result<Vec<Bits>, SearchError> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut out = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        let mut set = Bits::empty(segment.max_doc());
        weight.for_each_no_score(segment, &mut |docs| {
            docs.iter().for_each(|&d| {
                set.insert(d);
            })
        })?;
        out.push(set);
    }
    Ok(out)
}

/// `sets` ANDed, segment by segment, with `with`.
pub(crate) fn and(sets: &[Bits], with: &[Bits]) -> Vec<Bits> {
    sets.iter()
        .zip(with)
        .map(|(a, b)| {
            let mut set = a.clone();
            set.and_with(b);
            set
        })
        .collect()
}

/// The live documents of each segment (what an empty query matches).
pub(crate) fn all_live(searcher: &Searcher) -> Vec<Bits> {
    searcher
        .segment_readers()
        .iter()
        .map(|s| {
            let mut bits = Bits::empty(s.max_doc());
            for doc in 0..s.max_doc() {
                if s.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                    bits.insert(doc);
                }
            }
            bits
        })
        .collect()
}

/// `base` restricted, segment by segment, to the documents having one of the chosen values of
/// each facet in `filters` (facet index, values).
pub(crate) fn restrict(
    tables: &[Arc<SegmentFacets>],
    base: &[Bits],
    filters: &[(usize, &[String])],
) -> Vec<Bits> {
    tables
        .iter()
        .zip(base)
        .map(|(table, bits)| {
            let mut set = bits.clone();
            for (facet, values) in filters {
                set.and_with(&table.any_of(*facet, values));
            }
            set
        })
        .collect()
}

/// Counts of facet `facet` over `sets` (one per segment), most frequent first.
pub(crate) fn counts(
    tables: &[Arc<SegmentFacets>],
    sets: &[Bits],
    facet: usize,
) -> Vec<(String, u64)> {
    let mut counts = HashMap::new();
    for (table, set) in tables.iter().zip(sets) {
        table.count(facet, set, &mut counts);
    }
    let mut out: Vec<(String, u64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bits_in_both_are_counted_the_same_with_or_without_the_cpus_popcount() {
        let a: Vec<u64> = (0..1_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let b: Vec<u64> = a.iter().map(|x| x.rotate_left(17) ^ 0xFFFF).collect();
        let naive: u64 = (0..64 * a.len())
            .filter(|&i| a[i / 64] & b[i / 64] & (1 << (i % 64)) != 0)
            .count() as u64;
        assert_eq!(super::and_len(&a, &b), naive);
        assert_eq!(super::and_len_portable(&a, &b), naive);
        // Each compiled variant the CPU can run, on lengths that leave a tail after the vectors.
        #[cfg(target_arch = "x86_64")]
        for len in [0, 1, 7, 9, 999, 1_000] {
            let (a, b) = (&a[..len], &b[..len]);
            let want = super::and_len_portable(a, b);
            if std::arch::is_x86_feature_detected!("popcnt") {
                assert_eq!(unsafe { super::and_len_popcnt(a, b) }, want, "popcnt {len}");
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                assert_eq!(unsafe { super::and_len_avx2(a, b) }, want, "avx2 {len}");
            }
            if std::arch::is_x86_feature_detected!("avx512vpopcntdq") {
                assert_eq!(unsafe { super::and_len_avx512(a, b) }, want, "avx512 {len}");
            }
        }
        #[cfg(target_arch = "x86_64")]
        if !std::arch::is_x86_feature_detected!("avx512vpopcntdq") {
            eprintln!("NOTICE: this CPU has no AVX-512 popcount; that variant is not tested");
        }
        assert_eq!(
            super::and_len(&a, &a),
            a.iter().map(|x| u64::from(x.count_ones())).sum::<u64>()
        );
    }

    use crate::{FACETS, SearchDoc, SearchIndex, SearchRequest, SearchSettings};
    use tantivy::collector::FacetCollector;
    use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::{Facet, IndexRecordOption};

    /// Records spread over several segments, some replaced or deleted; values chosen so that
    /// some are common (bitsets) and some rare (lists).
    fn index() -> SearchIndex {
        let index = SearchIndex::in_memory()
            .unwrap()
            .with_settings(SearchSettings {
                cache_entries: 0,
                ..Default::default()
            });
        for batch in 0..4 {
            let docs: Vec<SearchDoc> = (0..150)
                .map(|n| {
                    let i = batch * 150 + n;
                    let mut d = SearchDoc {
                        id: format!("r{}", i % 500),
                        titles: vec![("fr".into(), format!("Registre {}", i % 7))],
                        facets: vec![Vec::new(); FACETS.len()],
                        ..Default::default()
                    };
                    d.facets[0] = vec![format!("t{}", i % 3)];
                    if i % 5 == 0 {
                        d.facets[0].push("t-rare".into());
                    }
                    d.facets[3] = vec![format!("p{}", i % 40)];
                    d.facets[4] = vec![format!("a{}", i % 2)];
                    d
                })
                .collect();
            index.upsert(&docs).unwrap();
            index.commit().unwrap();
        }
        index
            .delete(
                &(0..500)
                    .step_by(11)
                    .map(|i| format!("r{i}"))
                    .collect::<Vec<_>>(),
            )
            .unwrap();
        index.commit().unwrap();
        index
    }

    /// What tantivy's own facet collector counts for `facet` under `filters` and the words.
    fn reference(
        index: &SearchIndex,
        q: &str,
        filters: &[(usize, &str)],
        facet: usize,
    ) -> Vec<(String, u64)> {
        let searcher = index.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
        for (i, v) in filters.iter().filter(|(i, _)| *i != facet) {
            let term = tantivy::Term::from_facet(index.fields.facets[*i], &Facet::from_path([*v]));
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if !q.is_empty() {
            let term = tantivy::Term::from_field_text(index.fields.title[2], q);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        let mut fc = FacetCollector::for_field(FACETS[facet]);
        fc.add_facet(Facet::root());
        let counts = searcher.search(&BooleanQuery::new(clauses), &fc).unwrap();
        let mut out: Vec<(String, u64)> = counts
            .get(Facet::root())
            .map(|(f, n)| (f.to_path()[0].to_owned(), n))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    #[test]
    fn counts_agree_with_tantivy_across_segments_deletions_and_filters() {
        let index = index();
        assert!(index.reader.searcher().segment_readers().len() > 1);
        for (q, filters) in [
            ("", vec![]),
            ("3", vec![]),
            ("", vec![(0, "t1")]),
            ("", vec![(0, "t-rare"), (4, "a0")]),
            ("5", vec![(3, "p7"), (4, "a1")]),
        ] {
            let r = SearchRequest {
                q: q.into(),
                filters: filters
                    .iter()
                    .map(|(i, v)| (FACETS[*i].to_owned(), vec![v.to_string()]))
                    .collect(),
                ..Default::default()
            };
            let results = index.search(&r).unwrap();
            for facet in [0, 3, 4] {
                let ours: Vec<(String, u64)> = results.facets[facet]
                    .values
                    .iter()
                    .map(|v| (v.value.clone(), v.count))
                    .collect();
                assert_eq!(
                    ours,
                    reference(&index, q, &filters, facet),
                    "{q:?} {filters:?} facet {facet}"
                );
            }
        }
    }

    #[test]
    fn a_commit_is_seen_by_the_next_search_despite_the_cache() {
        let index = SearchIndex::in_memory().unwrap();
        let doc = |id: &str| SearchDoc {
            id: id.into(),
            titles: vec![("fr".into(), "Registre".into())],
            facets: vec![vec!["x".into()]; FACETS.len()],
            ..Default::default()
        };
        index.upsert(&[doc("a")]).unwrap();
        index.commit().unwrap();
        let r = SearchRequest {
            q: "registre".into(),
            ..Default::default()
        };
        assert_eq!(index.search(&r).unwrap().total, 1);
        index.upsert(&[doc("b")]).unwrap();
        index.commit().unwrap();
        let again = index.search(&r).unwrap();
        assert_eq!(again.total, 2);
        assert_eq!(again.facets[0].values[0].count, 2);
    }
}
