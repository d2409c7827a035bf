//! Ranking plain words by relevance, one term at a time.
//!
//! A search of words is an AND of the words, each an OR of its terms (the word as each analyser
//! reads it, in each combined text). tantivy scores that document at a time: the intersection
//! seeks each word's union, and the union scores every document of its window to answer a seek.
//! At a million records, where a broad word is in a third of them, that was more than half of a
//! search's time (`docs/benchmarks.md`, issue #23).
//!
//! Here each term's postings are read once, a block of 128 documents at a time: the term's BM25
//! score — tantivy's own [`Bm25Weight`], from the same statistics a `TermQuery` uses — is added
//! into the segment's array of scores, and its documents into the word's bitset. The words'
//! matches are the AND of their bitsets and the live documents; the caller ANDs the filters'
//! documents (which do not score), and the page is the best `offset + limit` of what remains,
//! ties broken by address as tantivy's `TopDocs` does. Those matches are the sets facets are
//! counted on, so the counts cost nothing more.

use crate::SearchError;
use crate::facets::Bits;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Mutex;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::TermInfo;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, Searcher, SegmentReader, Term};

/// Every live document having every word (a word: any of its terms), with its score: the sum of
/// its terms' BM25 scores.
pub(crate) struct Scored {
    /// Per segment (in segment order): each matching document's score. The other entries hold
    /// whatever an earlier search left there (the arrays are reused without being cleared).
    scores: Vec<Vec<Score>>,
    /// Per segment: the live documents having every word.
    pub(crate) matches: Vec<Bits>,
}

impl Scored {
    /// Scores `words` (none empty: the caller drops the words the analysers drop).
    pub(crate) fn of(searcher: &Searcher, words: &[Vec<Term>]) -> Result<Self, SearchError> {
        let segments = searcher.segment_readers();
        // Each term's dictionary entry in each segment, read once: it gives the term's document
        // frequency (the BM25 statistics) and where its postings are.
        let mut infos: Vec<Vec<Vec<Option<TermInfo>>>> = Vec::with_capacity(segments.len());
        for segment in segments {
            let mut of_segment = Vec::with_capacity(words.len());
            for terms in words {
                let mut of_word = Vec::with_capacity(terms.len());
                for term in terms {
                    let info = segment.inverted_index(term.field())?.get_term_info(term);
                    of_word.push(info.map_err(crate::index_io)?);
                }
                of_segment.push(of_word);
            }
            infos.push(of_segment);
        }
        let weights = weights(searcher, words, &infos)?;
        let mut scores = spare(segments.iter().map(|s| s.max_doc() as usize));
        let mut matches = Vec::with_capacity(segments.len());
        for (ord, segment) in segments.iter().enumerate() {
            let of_segment = &mut scores[ord];
            let mut set: Option<Bits> = None;
            for (w, terms) in words.iter().enumerate() {
                let mut word = Bits::empty(segment.max_doc());
                for (t, term) in terms.iter().enumerate() {
                    if let Some(info) = &infos[ord][w][t] {
                        let weight = &weights[w][t];
                        let first = w == 0;
                        add_term(segment, term, info, weight, first, of_segment, &mut word)?;
                    }
                }
                match &mut set {
                    Some(s) => s.and_with(&word),
                    None => set = Some(word),
                }
            }
            let mut set = set.unwrap_or_else(|| Bits::empty(segment.max_doc()));
            if let Some(alive) = segment.alive_bitset() {
                set.retain(|doc| alive.is_alive(doc));
            }
            matches.push(set);
        }
        Ok(Scored { scores, matches })
    }

    /// The best documents of `among` (a subset of the matches, per segment), best first: the
    /// page after `offset`, of at most `limit`. Ties go to the lower address, as in tantivy's
    /// `TopDocs`.
    pub(crate) fn page(&self, among: &[Bits], offset: usize, limit: usize) -> Vec<DocAddress> {
        let best = offset + limit;
        let mut top = BinaryHeap::with_capacity(best.min(4096) + 1);
        // Once the page is full, the score of its worst: a lower score cannot get in (an equal
        // one may, with a lower address), and most matches are turned away by this alone.
        let mut floor = Score::NEG_INFINITY;
        for (ord, (set, scores)) in among.iter().zip(&self.scores).enumerate() {
            for doc in set.iter() {
                let score = scores[doc as usize];
                if score < floor {
                    continue;
                }
                let candidate = Candidate {
                    score,
                    address: DocAddress::new(ord as u32, doc),
                };
                if top.len() < best {
                    top.push(candidate);
                } else if top.peek().is_some_and(|worst| candidate < *worst) {
                    top.pop();
                    top.push(candidate);
                } else {
                    continue;
                }
                if top.len() >= best {
                    floor = top.peek().map_or(floor, |worst| worst.score);
                }
            }
        }
        top.into_sorted_vec()
            .into_iter()
            .skip(offset)
            .map(|c| c.address)
            .collect()
    }
}

impl Drop for Scored {
    fn drop(&mut self) {
        let mut spare = SPARE.lock().unwrap_or_else(|p| p.into_inner());
        if spare.len() < SPARE_SETS {
            spare.push(std::mem::take(&mut self.scores));
        }
    }
}

/// Sets of score arrays kept for later searches. Searches compute a few at a time (see
/// `crate::gate`), so a few sets are enough.
const SPARE_SETS: usize = 8;

/// Sets of score arrays (one per segment, in segment order) that earlier searches left, for the
/// next ones. At a million records a set takes 4 MB, which the allocator would otherwise map and
/// fault in afresh for every search; and clearing it was a tenth of a search's time, so the
/// arrays are reused as they are (see [`add_term`] for why they need not be cleared).
static SPARE: Mutex<Vec<Vec<Vec<Score>>>> = Mutex::new(Vec::new());

/// A set of score arrays, one of `lens[i]` scores per segment, reusing a spare set: each array
/// keeps its segment's size while the segments stay the same.
fn spare(lens: impl ExactSizeIterator<Item = usize>) -> Vec<Vec<Score>> {
    let mut set = SPARE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop()
        .unwrap_or_default();
    set.resize_with(lens.len(), Vec::new);
    for (scores, len) in set.iter_mut().zip(lens) {
        scores.resize(len, 0.0);
    }
    set
}

/// Each term's BM25 weight over the whole index, as tantivy's `TermQuery` computes it
/// (`Bm25Weight::for_terms` of the one term): its document frequency in all segments, deleted
/// documents included, against all documents and the field's average length.
fn weights(
    searcher: &Searcher,
    words: &[Vec<Term>],
    infos: &[Vec<Vec<Option<TermInfo>>>],
) -> Result<Vec<Vec<Bm25Weight>>, SearchError> {
    let segments = searcher.segment_readers();
    let total_docs: u64 = segments.iter().map(|s| u64::from(s.max_doc())).sum();
    let mut out = Vec::with_capacity(words.len());
    for (w, terms) in words.iter().enumerate() {
        let mut of_word = Vec::with_capacity(terms.len());
        for (t, term) in terms.iter().enumerate() {
            let mut tokens = 0u64;
            for segment in segments {
                tokens += segment.inverted_index(term.field())?.total_num_tokens();
            }
            let doc_freq: u64 = infos
                .iter()
                .filter_map(|s| s[w][t].as_ref())
                .map(|i| u64::from(i.doc_freq))
                .sum();
            let average = tokens as Score / total_docs as Score;
            of_word.push(Bm25Weight::for_one_term_without_explain(
                doc_freq, total_docs, average,
            ));
        }
        out.push(of_word);
    }
    Ok(out)
}

/// Adds a term's scores into `scores` and its documents into `word`, block by block.
///
/// `scores` is not cleared between searches. Every match has the first word, so a term of the
/// first word (`first`) *sets* the score of a document its word has not had yet in this search,
/// and adds to it otherwise; a later word's term adds, and where its document lacks the first
/// word the sum is never read. The sums are the same, in the same order, as from zeroes.
fn add_term(
    segment: &SegmentReader,
    term: &Term,
    info: &TermInfo,
    weight: &Bm25Weight,
    first: bool,
    scores: &mut [Score],
    word: &mut Bits,
) -> Result<(), SearchError> {
    let norms = segment
        .fieldnorms_readers()
        .get_field(term.field())?
        .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1));
    let mut postings = segment
        .inverted_index(term.field())?
        .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
        .map_err(crate::index_io)?;
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            return Ok(());
        }
        let freqs = postings.freqs();
        for (i, &doc) in docs.iter().enumerate() {
            // A term indexed without frequencies occurs once.
            let freq = freqs.get(i).copied().unwrap_or(1);
            let score = weight.score(norms.fieldnorm_id(doc), freq);
            let had = word.insert(doc);
            let slot = &mut scores[doc as usize];
            // Without a branch: the old value's bits are kept (all ones) or dropped (zero).
            let keep = if first {
                0u32.wrapping_sub(u32::from(had))
            } else {
                u32::MAX
            };
            *slot = Score::from_bits(slot.to_bits() & keep) + score;
        }
        postings.advance();
    }
}

/// A document of the page being chosen: higher scores first, then lower addresses (the order
/// tantivy's `TopDocs` gives ties). `Ord` puts the better candidate first (it is "less"), so the
/// heap's top is the worst one kept.
#[derive(Clone, Copy)]
struct Candidate {
    score: Score,
    address: DocAddress,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .partial_cmp(&self.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| self.address.cmp(&other.address))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

#[cfg(test)]
mod tests {
    use crate::{SearchDoc, SearchIndex, SearchRequest};
    use tantivy::collector::TopDocs;
    use tantivy::query::AllQuery;
    use tantivy::schema::Value;

    /// Records of two to twenty words from a small vocabulary (so that words repeat and lengths
    /// vary), a publisher facet, in three segments, some deleted.
    fn index() -> SearchIndex {
        let words = [
            "cancer", "cancers", "sein", "registre", "cohorte", "enfants", "diabète", "santé",
            "données", "breast", "registry", "children", "health", "data", "rare", "asthme",
        ];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let index = SearchIndex::in_memory().unwrap();
        for segment in 0..3 {
            let mut docs = Vec::new();
            for i in 0..200 {
                let mut text = |n: usize| {
                    let len = 2 + next(n);
                    (0..len)
                        .map(|_| words[next(words.len())])
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let mut doc = SearchDoc::default();
                doc.id = format!("d{segment}-{i}");
                doc.iri = format!("https://ex.org/{}", doc.id);
                doc.titles = vec![("fr".into(), text(4))];
                doc.descriptions = vec![("en".into(), text(18))];
                doc.keywords = vec![("fr".into(), text(2))];
                doc.facets = vec![Vec::new(); crate::FACETS.len()];
                doc.facets[crate::facet_index("publisher")] = vec![format!("p{}", next(4))];
                docs.push(doc);
            }
            index.upsert(&docs).unwrap();
            index.commit().unwrap();
        }
        let gone: Vec<String> = (0..200).step_by(7).map(|i| format!("d1-{i}")).collect();
        index.delete(&gone).unwrap();
        index.commit().unwrap();
        index
    }

    /// What tantivy's own scorers give for `r`: every match, best first, with its id.
    fn tantivy_ranking(index: &SearchIndex, r: &SearchRequest) -> Vec<(f32, String)> {
        let searcher = index.reader.searcher();
        let text = index.text_query(r).unwrap();
        let query = index
            .combined(&text, index.filter_clauses(r, true))
            .unwrap_or_else(|| Box::new(AllQuery));
        let top = searcher
            .search(query.as_ref(), &TopDocs::with_limit(10_000))
            .unwrap();
        top.into_iter()
            .map(|(score, addr)| {
                let doc: tantivy::TantivyDocument = searcher.doc(addr).unwrap();
                let id = doc.get_first(index.fields.id).unwrap().as_str().unwrap();
                (score, id.to_owned())
            })
            .collect()
    }

    #[test]
    fn words_scored_term_at_a_time_rank_and_count_as_tantivys_scorers_do() {
        let index = index();
        let queries = [
            "cancer",
            "cancer sein",
            "données santé",
            "data health children",
            "registre rare",
            "cancers breast",
            "asthme enfants données",
            "sein",
            "health",
        ];
        let mut checked = 0;
        for q in queries {
            for filters in [
                vec![],
                vec![(
                    "publisher".to_owned(),
                    vec!["p1".to_owned(), "p3".to_owned()],
                )],
            ] {
                for (page, per_page) in [(1, 10), (2, 7), (3, 25)] {
                    let r = SearchRequest {
                        q: q.into(),
                        filters: filters.clone(),
                        page,
                        per_page,
                        ..Default::default()
                    };
                    assert!(index.plain_words(&r).unwrap().is_some(), "{q}: plain words");
                    let expected = tantivy_ranking(&index, &r);
                    let found = index.search(&r).unwrap();
                    assert_eq!(found.total, expected.len(), "{q} {filters:?}: total");
                    let offset = (page - 1) * per_page;
                    let score_of = |id: &str| expected.iter().find(|(_, e)| e == id).unwrap().0;
                    for (i, hit) in found.hits.iter().enumerate() {
                        // Sums in another order may differ in the last bits: a hit is where it
                        // belongs when its score is the one tantivy ranks at that place.
                        let want = expected[offset + i].0;
                        let got = score_of(&hit.id);
                        assert!(
                            (want - got).abs() <= want.abs() * 1e-5,
                            "{q} {filters:?} page {page}: hit {i} is {} (score {got}), tantivy has {} (score {want})",
                            hit.id,
                            expected[offset + i].1
                        );
                        checked += 1;
                    }
                    assert_eq!(
                        found.hits.len(),
                        expected.len().saturating_sub(offset).min(per_page),
                        "{q}: page length"
                    );
                }
            }
        }
        assert!(checked > 300, "only {checked} hits compared");
        // The deleted records were there to be left out (tantivy's ranking skips them).
        assert_eq!(index.len(), 600 - 29);
    }
}
