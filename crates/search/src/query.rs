//! Searching: the request, the query built from it, facets, snippets, suggestions.

use crate::document::Display;
use crate::index::SearchIndex;
use crate::schema::FACETS;
use crate::{SearchError, facet_index, facets};
use serde::Serialize;
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words (and phrases) in a query.
pub const MAX_QUERY_WORDS: usize = 32;
/// Largest page.
pub const MAX_PER_PAGE: usize = 100;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (most recently modified first when there is no text).
    #[default]
    Relevance,
    /// Most recently modified first.
    Modified,
    /// By title, A to Z.
    Title,
    /// By the MQA score each record's last write kept, best first (records not assessed last).
    Quality,
    /// By the Article 78 label's score each record's last write kept, best first.
    Label,
}

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Free text: words (all required), `"phrases"`.
    pub q: String,
    /// Facet filters: (facet name, accepted values). Values of one facet are alternatives; facets
    /// combine with AND.
    pub filters: Vec<(String, Vec<String>)>,
    /// The typical age range must overlap `[age_min, age_max]`.
    pub age_min: Option<u64>,
    /// See `age_min`.
    pub age_max: Option<u64>,
    /// At least this many records.
    pub min_records: Option<u64>,
    /// Modified at or after (seconds since 1970).
    pub modified_since: Option<i64>,
    /// Temporal coverage overlaps `[start, end]` (days since 1970).
    pub temporal: Option<(Option<i64>, Option<i64>)>,
    /// Order.
    pub sort: Sort,
    /// 1-based page.
    pub page: usize,
    /// Hits per page (at most [`MAX_PER_PAGE`]).
    pub per_page: usize,
    /// Language of titles and snippets shown (`fr` or `en`).
    pub lang: String,
    /// Words of at least this many characters match with one typo (0: never).
    pub typo_min_chars: usize,
    /// Words (and `"phrases"`) every record must have among its data dictionary's variables —
    /// names, titles, descriptions, tables' titles ("has a variable matching"); empty: no filter.
    pub variable: String,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: Vec::new(),
            age_min: None,
            age_max: None,
            min_records: None,
            modified_since: None,
            temporal: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: 20,
            lang: "fr".into(),
            typo_min_chars: 5,
            variable: String::new(),
        }
    }
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Local id.
    pub id: String,
    /// IRI.
    pub iri: String,
    /// `dataset`, `service`, `series`.
    pub kind: String,
    /// Title in the asked language (else French, English, any).
    pub title: String,
    /// The language tag of `title` (empty when it has none): its `lang` attribute in HTML.
    pub title_lang: String,
    /// An extract of the description with the matched words in `<mark>`; HTML-escaped.
    pub snippet: String,
    /// The language tag of the description `snippet` comes from.
    pub snippet_lang: String,
    /// Publisher IRI and name.
    pub publisher: Option<(String, String)>,
    /// Access-rights IRI.
    pub access_rights: Option<String>,
    /// Last modified (RFC 3339).
    pub modified: String,
}

/// A facet value and how many hits have it.
#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    /// The value (an IRI; a source id for `source`).
    pub value: String,
    /// Hits with it, under the other facets' filters.
    pub count: u64,
    /// For people; filled by the caller from the code lists (never left as a bare IRI when a
    /// label is known).
    pub label: Option<String>,
}

/// Counts of one facet.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCounts {
    /// The facet's name (request parameter).
    pub name: String,
    /// Values, most frequent first.
    pub values: Vec<FacetValue>,
}

/// What a search returns.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Hits matching, in all.
    pub total: usize,
    /// This page's hits.
    pub hits: Vec<Hit>,
    /// Every facet's counts.
    pub facets: Vec<FacetCounts>,
}

/// A type-ahead suggestion.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// Local id.
    pub id: String,
    /// Title in the asked language.
    pub title: String,
}

/// Words and phrases of a user query; operators and control characters are separators.
pub(crate) fn parse(q: &str) -> Result<(Vec<String>, Vec<String>), SearchError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::BadRequest(format!(
            "the query is longer than {MAX_QUERY_CHARS} characters: shorten it"
        )));
    }
    let (mut words, mut phrases) = (Vec::new(), Vec::new());
    // Quotes pair up; an unbalanced last quote is ignored.
    for (i, part) in q.split('"').enumerate() {
        let inside = i % 2 == 1 && q.split('"').count() > i + 1;
        if inside {
            if !part.trim().is_empty() {
                phrases.push(part.to_owned());
            }
        } else {
            words.extend(
                part.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-' || c == '.'))
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    if words.len() + phrases.len() > MAX_QUERY_WORDS {
        return Err(SearchError::BadRequest(format!(
            "the query has more than {MAX_QUERY_WORDS} words: shorten it"
        )));
    }
    Ok((words, phrases))
}

/// A filter on a facet the index does not have is the caller's mistake, named.
pub(crate) fn check_filters(r: &SearchRequest) -> Result<(), SearchError> {
    parse(&r.variable).map_err(|e| SearchError::BadRequest(format!("variable: {e}")))?;
    for (name, _) in &r.filters {
        if !FACETS.contains(&name.as_str()) {
            return Err(SearchError::BadRequest(format!(
                "unknown filter {name:?}: use one of {}",
                FACETS.join(", ")
            )));
        }
    }
    Ok(())
}

impl SearchIndex {
    /// The text fields searched, with their boosts (title > keywords > description).
    fn text_fields(&self) -> Vec<(Field, f32)> {
        let f = &self.fields;
        let mut out = Vec::new();
        for i in 0..3 {
            out.push((f.title[i], 3.0));
            out.push((f.keywords[i], 2.0));
            out.push((f.description[i], 1.0));
        }
        out.push((f.publisher_name, 1.5));
        out.push((f.identifier, 3.0));
        out
    }

    pub(crate) fn tokens(&self, field: Field, text: &str) -> Vec<String> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(field) else {
            return Vec::new();
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// Whether `word` is looked for one typo away in `fields`: it is long enough and no unstemmed
    /// field among them holds it as typed.
    fn needs_typo(&self, word: &str, fields: &[(Field, f32)], typo_min_chars: usize) -> bool {
        // A word the catalogue has as typed is not a typo: one typo away is looked for only when
        // no unstemmed field of the search holds it (the Levenshtein automata and the unions of
        // their matches were the dearest part of a query at 100,000 records).
        let long = typo_min_chars > 0 && word.chars().count() >= typo_min_chars;
        long && {
            let searcher = self.reader.searcher();
            !fields
                .iter()
                .filter(|(f, _)| self.unstemmed(*f))
                .any(|&(field, _)| {
                    self.tokens(field, word).iter().any(|t| {
                        searcher
                            .doc_freq(&Term::from_field_text(field, t))
                            .is_ok_and(|n| n > 0)
                    })
                })
        }
    }

    /// Whether `field` is one of the texts only folded, not stemmed (every text is indexed there
    /// too).
    fn unstemmed(&self, field: Field) -> bool {
        let f = &self.fields;
        [
            f.all[2],
            f.title[2],
            f.keywords[2],
            f.description[2],
            f.variables[2],
        ]
        .contains(&field)
    }

    /// One word, in any text field; with one typo allowed for long words; `prefix` for type-ahead.
    pub(crate) fn word_query(
        &self,
        word: &str,
        fields: &[(Field, f32)],
        typo_min_chars: usize,
        prefix: bool,
    ) -> Option<Box<dyn Query>> {
        let typo = self.needs_typo(word, fields, typo_min_chars);
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, boost) in fields {
            for token in self.tokens(field, word) {
                let term = Term::from_field_text(field, &token);
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        boost,
                    )),
                ));
                // Typos are matched once, in the unstemmed fields (every text is indexed there
                // too).
                if typo && self.unstemmed(field) {
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new(term.clone(), 1, true)),
                            boost * 0.5,
                        )),
                    ));
                }
                if prefix {
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                            boost * 0.8,
                        )),
                    ));
                }
            }
        }
        (!should.is_empty()).then(|| Box::new(BooleanQuery::new(should)) as Box<dyn Query>)
    }

    pub(crate) fn phrase_query(
        &self,
        phrase: &str,
        fields: &[(Field, f32)],
    ) -> Option<Box<dyn Query>> {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, boost) in fields {
            let terms: Vec<Term> = self
                .tokens(field, phrase)
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            let q: Box<dyn Query> = match terms.len() {
                0 => continue,
                1 => Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                )),
                _ => Box::new(PhraseQuery::new(terms)),
            };
            should.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
        }
        (!should.is_empty()).then(|| Box::new(BooleanQuery::new(should)) as Box<dyn Query>)
    }

    /// One required clause per word and phrase, in `fields`; a word the analysers drop entirely
    /// gives none (it cannot be found, and does not restrict).
    pub(crate) fn required(
        &self,
        (words, phrases): &(Vec<String>, Vec<String>),
        fields: &[(Field, f32)],
        typo_min_chars: usize,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let words = words
            .iter()
            .filter_map(|w| self.word_query(w, fields, typo_min_chars, false));
        let phrases = phrases.iter().filter_map(|p| self.phrase_query(p, fields));
        words.chain(phrases).map(|q| (Occur::Must, q)).collect()
    }

    /// The text part of a request; `None` when there is no text.
    pub(crate) fn text_query(
        &self,
        r: &SearchRequest,
    ) -> Result<Option<Box<dyn Query>>, SearchError> {
        let (words, phrases) = parse(&r.q)?;
        let all: Vec<(Field, f32)> = self.fields.all.iter().map(|f| (*f, 1.0)).collect();
        let mut must = self.required(&(words, Vec::new()), &all, r.typo_min_chars);
        must.extend(self.required(&(Vec::new(), phrases), &self.text_fields(), 0));
        Ok((!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>))
    }

    /// The terms of each word of a request made only of words found as typed (each word: its
    /// tokens in the combined texts, as [`Self::text_query`] would search them), for
    /// [`crate::rank`]; `None` when it has a phrase or a word looked for one typo away, or no word
    /// the analysers keep.
    pub(crate) fn plain_words(
        &self,
        r: &SearchRequest,
    ) -> Result<Option<Vec<Vec<Term>>>, SearchError> {
        let (words, phrases) = parse(&r.q)?;
        if !phrases.is_empty() {
            return Ok(None);
        }
        let all: Vec<(Field, f32)> = self.fields.all.iter().map(|f| (*f, 1.0)).collect();
        let mut out = Vec::with_capacity(words.len());
        for word in &words {
            if self.needs_typo(word, &all, r.typo_min_chars) {
                return Ok(None);
            }
            let terms: Vec<Term> = all
                .iter()
                .flat_map(|&(field, _)| {
                    self.tokens(field, word)
                        .into_iter()
                        .map(move |t| Term::from_field_text(field, &t))
                })
                .collect();
            if !terms.is_empty() {
                out.push(terms);
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }

    /// The words and phrases of a request over the per-field texts, for snippets.
    fn highlight_query(&self, r: &SearchRequest) -> Result<Option<Box<dyn Query>>, SearchError> {
        let must = self.required(&parse(&r.q)?, &self.text_fields(), 0);
        Ok((!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>))
    }

    /// Filters: ranges, and the facets too when `with_facets`.
    pub(crate) fn filter_clauses(
        &self,
        r: &SearchRequest,
        with_facets: bool,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, values) in active_facets(r).into_iter().filter(|_| with_facets) {
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    let term = Term::from_facet(f.facets[i], &Facet::from_path([v.as_str()]));
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            out.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        // "Has a variable matching": each word among the variables (checked in `check_filters`).
        if let Ok(parsed) = parse(&r.variable) {
            out.extend(self.required(&parsed, &self.variable_fields(), r.typo_min_chars));
        }
        let u64_range = |field: Field, lo: Bound<u64>, hi: Bound<u64>| -> Box<dyn Query> {
            let t = |b: Bound<u64>| match b {
                Bound::Included(v) => Bound::Included(Term::from_field_u64(field, v)),
                Bound::Excluded(v) => Bound::Excluded(Term::from_field_u64(field, v)),
                Bound::Unbounded => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(t(lo), t(hi)))
        };
        let i64_range = |field: Field, lo: Bound<i64>, hi: Bound<i64>| -> Box<dyn Query> {
            let t = |b: Bound<i64>| match b {
                Bound::Included(v) => Bound::Included(Term::from_field_i64(field, v)),
                Bound::Excluded(v) => Bound::Excluded(Term::from_field_i64(field, v)),
                Bound::Unbounded => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(t(lo), t(hi)))
        };
        // Age ranges overlap: the record's minimum is at most the asked maximum, and its maximum
        // at least the asked minimum. A record without ages does not match an age filter.
        if let Some(max) = r.age_max {
            out.push((
                Occur::Must,
                u64_range(f.min_age, Bound::Unbounded, Bound::Included(max)),
            ));
        }
        if let Some(min) = r.age_min {
            out.push((
                Occur::Must,
                u64_range(f.max_age, Bound::Included(min), Bound::Unbounded),
            ));
        }
        if let Some(n) = r.min_records {
            out.push((
                Occur::Must,
                u64_range(f.records, Bound::Included(n), Bound::Unbounded),
            ));
        }
        if let Some(since) = r.modified_since {
            out.push((
                Occur::Must,
                i64_range(f.modified, Bound::Included(since), Bound::Unbounded),
            ));
        }
        if let Some((start, end)) = r.temporal {
            if let Some(end) = end {
                out.push((
                    Occur::Must,
                    i64_range(f.temporal_start, Bound::Unbounded, Bound::Included(end)),
                ));
            }
            if let Some(start) = start {
                out.push((
                    Occur::Must,
                    i64_range(f.temporal_end, Bound::Included(start), Bound::Unbounded),
                ));
            }
        }
        out
    }

    pub(crate) fn combined(
        &self,
        text: &Option<Box<dyn Query>>,
        filters: Vec<(Occur, Box<dyn Query>)>,
    ) -> Option<Box<dyn Query>> {
        // Filters narrow, words rank: a filter's clause scores nothing (a facet value's rarity
        // would otherwise lift its records).
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters
            .into_iter()
            .map(|(occur, q)| {
                (
                    occur,
                    Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>,
                )
            })
            .collect();
        if let Some(t) = text {
            clauses.push((Occur::Must, t.box_clone()));
        }
        if clauses.is_empty() {
            return None;
        }
        if text.is_none() {
            // Only filters: match all, restricted by them (scores are constant anyway).
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Runs a search. Results are cached until the next commit (see
    /// [`SearchSettings::cache_entries`](crate::SearchSettings)).
    pub fn search(&self, r: &SearchRequest) -> Result<SearchResults, SearchError> {
        if r.per_page == 0 || r.per_page > MAX_PER_PAGE {
            return Err(SearchError::BadRequest(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        if r.page == 0 || r.page > 10_000 {
            return Err(SearchError::BadRequest(
                "page must be between 1 and 10000".into(),
            ));
        }
        check_filters(r)?;
        let searcher = self.reader.searcher();
        // The searcher's generation is part of the key: a result computed on an older view of
        // the index is never served after a commit, even if it was stored after the clearing.
        let key = format!("{}|{r:?}", searcher.generation().generation_id());
        if let Some(hit) = self.cache.get(&key) {
            return Ok(hit);
        }
        let results = {
            let _turn = self.gate.enter();
            self.search_uncached(&searcher, r)?
        };
        self.cache.put(key, &results);
        Ok(results)
    }

    /// The local ids of every record matching `r`'s words and filters, sorted (its sort, page
    /// and language are ignored): the subset a harvester asked the DCAT catalogue for.
    pub fn matching_ids(&self, r: &SearchRequest) -> Result<Vec<String>, SearchError> {
        check_filters(r)?;
        let searcher = self.reader.searcher();
        let text = self.text_query(r)?;
        let query = self
            .combined(&text, self.filter_clauses(r, true))
            .unwrap_or_else(|| Box::new(AllQuery));
        let mut ids = Vec::new();
        for addr in searcher.search(query.as_ref(), &tantivy::collector::DocSetCollector)? {
            let doc: tantivy::TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_owned());
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    fn search_uncached(
        &self,
        searcher: &Searcher,
        r: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let tables = self.facet_tables.of(searcher, &self.fields.facets)?;
        let active = active_facets(r);
        // Words alone, by relevance: scored term at a time (see `crate::rank`).
        let plain = match r.sort {
            Sort::Relevance => self.plain_words(r)?,
            _ => None,
        };
        let offset = (r.page - 1) * r.per_page;
        let (addrs, matches, base) = if let Some(words) = plain {
            let scored = crate::rank::Scored::of(searcher, &words)?;
            let filtered = |with_facets: bool| -> Result<Vec<facets::Bits>, SearchError> {
                let filters = self.filter_clauses(r, with_facets);
                if filters.is_empty() {
                    return Ok(scored.matches.clone());
                }
                let passing = facets::docs_of(searcher, &BooleanQuery::new(filters))?;
                Ok(facets::and(&scored.matches, &passing))
            };
            let matches = filtered(true)?;
            let base = if active.is_empty() {
                Vec::new()
            } else {
                filtered(false)?
            };
            (scored.page(&matches, offset, r.per_page), matches, base)
        } else {
            let text = self.text_query(r)?;
            let (addrs, matches) = self.run_sorted(searcher, r, &text, offset)?;
            // A facet nobody filters on is counted over the hits. A filtered one is counted
            // without its own filter, so its counts show what choosing another value would give:
            // over the records matching the text and ranges, restricted by the other facets'
            // filters.
            let base = if active.is_empty() {
                Vec::new()
            } else {
                match self.combined(&text, self.filter_clauses(r, false)) {
                    Some(q) => searcher.search(q.as_ref(), &facets::Matches)?,
                    None => facets::all_live(searcher),
                }
            };
            (addrs, matches, base)
        };
        let total = matches.iter().map(facets::Bits::len).sum::<u64>() as usize;
        let facets = (0..FACETS.len())
            .map(|i| {
                let counts = if active.iter().any(|(a, _)| *a == i) {
                    let others: Vec<(usize, &[String])> = active
                        .iter()
                        .filter(|(a, _)| *a != i)
                        .map(|(a, v)| (*a, v.as_slice()))
                        .collect();
                    facets::counts(&tables, &facets::restrict(&tables, &base, &others), i)
                } else {
                    facets::counts(&tables, &matches, i)
                };
                FacetCounts {
                    name: FACETS[i].to_owned(),
                    values: counts
                        .into_iter()
                        .map(|(value, count)| FacetValue {
                            value,
                            count,
                            label: None,
                        })
                        .collect(),
                }
            })
            .collect();
        // Snippets mark the words in the description: a query over the per-field texts, whose
        // terms the snippet generator reads (it is not run).
        let highlight = self.highlight_query(r)?;
        let hits = self.hits(searcher, &addrs, highlight.as_deref(), &r.lang)?;
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }

    /// The page of a request `r` in its order, with tantivy's collectors, and every match.
    fn run_sorted(
        &self,
        searcher: &Searcher,
        r: &SearchRequest,
        text: &Option<Box<dyn Query>>,
        offset: usize,
    ) -> Result<(Vec<DocAddress>, Vec<facets::Bits>), SearchError> {
        let query = self
            .combined(text, self.filter_clauses(r, true))
            .unwrap_or_else(|| Box::new(AllQuery));
        let page = TopDocs::with_limit(r.per_page).and_offset(offset);
        let q = query.as_ref();
        match r.sort {
            Sort::Relevance if text.is_some() => run(searcher, q, page),
            Sort::Title => run(
                searcher,
                q,
                page.order_by_string_fast_field("title_sort", Order::Asc),
            ),
            Sort::Quality => run(
                searcher,
                q,
                page.order_by_fast_field::<u64>("quality_score", Order::Desc),
            ),
            Sort::Label => run(
                searcher,
                q,
                page.order_by_fast_field::<u64>("label_score", Order::Desc),
            ),
            Sort::Relevance | Sort::Modified => run(
                searcher,
                q,
                page.order_by_fast_field::<i64>("modified", Order::Desc),
            ),
        }
    }

    pub(crate) fn hits(
        &self,
        searcher: &Searcher,
        addrs: &[DocAddress],
        text: Option<&dyn Query>,
        lang: &str,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = &self.fields;
        let slot = crate::schema::lang_slot(lang);
        let snippets = match text {
            Some(q) => Some(SnippetGenerator::create(searcher, q, f.description[slot])?),
            None => None,
        };
        let mut out = Vec::with_capacity(addrs.len());
        for &addr in addrs {
            let stored = Stored::read(searcher, f, addr)?;
            let display = &stored.display;
            let (description_lang, description) = pick_tagged(&display.descriptions, lang);
            let (title_lang, title) = pick_tagged(&display.titles, lang);
            let snippet = match &snippets {
                Some(g) => {
                    let s = g.snippet(&description);
                    if s.is_empty() {
                        escape(&truncate(&description, 200))
                    } else {
                        s.to_html()
                            .replace("<b>", "<mark>")
                            .replace("</b>", "</mark>")
                    }
                }
                None => escape(&truncate(&description, 200)),
            };
            out.push(Hit {
                id: stored.text(f.id),
                iri: stored.text(f.iri),
                kind: stored.text(f.kind),
                title,
                title_lang,
                snippet,
                snippet_lang: description_lang,
                publisher: display
                    .publisher
                    .as_ref()
                    .map(|(iri, names)| (iri.clone(), pick(names, lang))),
                access_rights: display.access_rights.clone(),
                modified: display.modified.clone(),
            });
        }
        Ok(out)
    }

    /// Type-ahead: records whose title or keywords start with what was typed (the last word as a
    /// prefix, the others whole), best first.
    pub fn suggest(
        &self,
        q: &str,
        lang: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let (words, _) = parse(q)?;
        let Some((last, rest)) = words.split_last() else {
            return Ok(Vec::new());
        };
        let f = &self.fields;
        let fields: Vec<(Field, f32)> = (0..3)
            .flat_map(|i| [(f.title[i], 3.0), (f.keywords[i], 2.0)])
            .collect();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in rest {
            if let Some(q) = self.word_query(w, &fields, 0, false) {
                must.push((Occur::Must, q));
            }
        }
        if let Some(q) = self.word_query(last, &fields, 0, true) {
            must.push((Occur::Must, q));
        }
        if must.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(must),
            &TopDocs::with_limit(limit.clamp(1, 20)),
        )?;
        let mut out = Vec::new();
        for (_, addr) in top {
            let stored = Stored::read(&searcher, f, addr)?;
            out.push(Suggestion {
                id: stored.text(f.id),
                title: pick(&stored.display.titles, lang),
            });
        }
        Ok(out)
    }

    /// The stored names of a publisher, from any record it published (`None` if none indexed).
    pub fn publisher_name(&self, iri: &str, lang: &str) -> Option<String> {
        cached(&self.publisher_names, iri, lang, || {
            let term = Term::from_facet(
                self.fields.facets[facet_index("publisher")],
                &Facet::from_path([iri]),
            );
            self.first_stored(term)?
                .display
                .publisher
                .map(|(_, names)| names)
        })
    }

    /// The title of the indexed record `iri` in `lang` (`None` if it is not indexed); kept
    /// until the next commit.
    pub fn record_title(&self, iri: &str, lang: &str) -> Option<String> {
        cached(&self.record_titles, iri, lang, || {
            let term = Term::from_field_text(self.fields.iri, iri);
            Some(self.first_stored(term)?.display.titles)
        })
    }

    /// The stored fields of the first record having `term`.
    fn first_stored(&self, term: Term) -> Option<Stored> {
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &TermQuery::new(term, IndexRecordOption::Basic),
                &TopDocs::with_limit(1),
            )
            .ok()?;
        let (_, addr) = top.first()?;
        Stored::read(&searcher, &self.fields, *addr).ok()
    }
}

/// Texts per language by IRI, read with `read` on first use (the caches are cleared on commit),
/// in `lang`.
fn cached(
    cache: &std::sync::RwLock<std::collections::HashMap<String, Vec<(String, String)>>>,
    iri: &str,
    lang: &str,
    read: impl FnOnce() -> Option<Vec<(String, String)>>,
) -> Option<String> {
    if let Some(texts) = cache.read().unwrap_or_else(|p| p.into_inner()).get(iri) {
        return Some(pick(texts, lang));
    }
    let texts = read()?;
    let text = pick(&texts, lang);
    cache
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .insert(iri.to_owned(), texts);
    Some(text)
}

/// A hit's stored fields: the text of each string field asked for, and the display values.
pub(crate) struct Stored {
    pub(crate) doc: TantivyDocument,
    display: Display,
}

impl Stored {
    pub(crate) fn read(
        searcher: &Searcher,
        fields: &crate::schema::Fields,
        addr: DocAddress,
    ) -> Result<Self, SearchError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let display = doc
            .get_first(fields.display)
            .and_then(|v| v.as_str())
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default();
        Ok(Stored { doc, display })
    }

    fn text(&self, field: Field) -> String {
        self.doc
            .get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    }
}

/// The facets a request filters on, each once, with the values accepted.
fn active_facets(r: &SearchRequest) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    for (name, values) in &r.filters {
        let Some(i) = FACETS.iter().position(|x| x == name) else {
            continue;
        };
        if values.is_empty() {
            continue;
        }
        match out.iter_mut().find(|(a, _)| *a == i) {
            Some((_, v)) => v.extend(values.iter().cloned()),
            None => out.push((i, values.clone())),
        }
    }
    out
}

/// Runs `query` for the page `top` orders, and the set of all hits.
fn run<T: Send + Sync + 'static>(
    searcher: &Searcher,
    query: &dyn Query,
    top: impl tantivy::collector::Collector<Fruit = Vec<(T, DocAddress)>>,
) -> Result<(Vec<DocAddress>, Vec<facets::Bits>), SearchError> {
    let (page, matches) = searcher.search(query, &(top, facets::Matches))?;
    Ok((page.into_iter().map(|(_, a)| a).collect(), matches))
}

/// The text in `lang`, else French, else English, else any.
fn pick(values: &[(String, String)], lang: &str) -> String {
    pick_tagged(values, lang).1
}

/// [`pick`], with the language tag of the text chosen (empty when it has none).
pub(crate) fn pick_tagged(values: &[(String, String)], lang: &str) -> (String, String) {
    [lang, "fr", "en"]
        .iter()
        .find_map(|l| {
            values
                .iter()
                .find(|(tag, _)| tag.split('-').next() == Some(l))
        })
        .or(values.first())
        .cloned()
        .unwrap_or_default()
}

fn truncate(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(chars).collect();
    out.push('…');
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_never_fails_on_odd_input_and_bounds_it() {
        let (w, p) = parse("cancer \"du sein\" registre").unwrap();
        assert_eq!(w, ["cancer", "registre"]);
        assert_eq!(p, ["du sein"]);
        let (w, p) = parse("\"unbalanced quote AND (foo OR -bar)").unwrap();
        assert!(p.is_empty());
        assert!(w.contains(&"unbalanced".to_owned()) && w.contains(&"bar".to_owned()));
        assert!(parse("\u{0}\u{7}\t\n").unwrap().0.is_empty());
        assert!(matches!(
            parse(&"a ".repeat(40)),
            Err(SearchError::BadRequest(_))
        ));
        assert!(matches!(
            parse(&"x".repeat(5000)),
            Err(SearchError::BadRequest(_))
        ));
    }
}
