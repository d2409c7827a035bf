//! # healthcat-search
//!
//! The search index: a [tantivy](https://docs.rs/tantivy) projection of the store, rebuilt from it
//! at will. One document per record, with its titles, descriptions and keywords analysed per
//! language (French and English stemming, accents folded, other languages folded only), its code-list
//! values as facets and its ages, counts, coverage and dates as ranges. The store stays the truth:
//! each document carries the record's content hash, so [`SearchIndex::hashes`] tells what to
//! re-index after a crash or an out-of-band change.
//!
//! Each record's data dictionary is indexed with it: `variable=` filters the records that have a
//! variable matching some words, and [`SearchIndex::variables`] lists which variables matched.
//!
//! Queries ([`SearchRequest`]) take free text — all words required, `"phrases"`, one typo allowed
//! in words of five letters or more that the catalogue does not hold as typed, titles weighing more
//! than keywords, keywords more than descriptions (a word is matched and scored on one combined
//! text per analyser in which a title counts three times and a keyword twice: three term queries
//! per word, where one per field and analyser cost eleven) — facet filters and ranges; [`SearchResults`] has the page of hits with highlighted
//! snippets and every facet's counts, each facet counted under the *other* facets' filters.
//! Filters narrow and never rank; a query of plain words (no phrase, no typo) is ranked one term
//! at a time (see `rank.rs`), with the scores tantivy's own scorers would give. A few searches
//! compute at once ([`SearchSettings::concurrency`]), the others waiting in arrival order
//! (`gate.rs`).
//!
//! ```
//! use healthcat_search::{SearchDoc, SearchIndex, SearchRequest};
//!
//! let index = SearchIndex::in_memory()?;
//! let mut doc = SearchDoc::default();
//! doc.id = "registre-cancers".into();
//! doc.titles = vec![("fr".into(), "Registre des cancers du sein".into())];
//! doc.facets = vec![Vec::new(); healthcat_search::FACETS.len()];
//! index.upsert(&[doc])?;
//! index.commit()?;
//! let found = index.search(&SearchRequest { q: "cancer sein".into(), ..Default::default() })?;
//! assert_eq!(found.hits[0].id, "registre-cancers");
//! # Ok::<_, healthcat_search::SearchError>(())
//! ```
#![warn(missing_docs)]

mod cache;
mod document;
mod facets;
mod follow;
mod gate;
mod index;
mod params;
mod query;
mod rank;
mod schema;
mod staging;
mod stem;
mod sync;
mod variables;

pub use document::{IndexedVariable, NamesOf, SearchDoc, days_since_epoch, seconds_since_epoch};
pub use follow::{Behind, CaughtUp, Disagreement, Lag, mark_behind};
pub use index::{SearchIndex, SearchSettings};
pub use params::lang_of;
pub use query::{
    FacetCounts, FacetValue, Hit, MAX_PER_PAGE, MAX_QUERY_CHARS, SearchRequest, SearchResults,
    Sort, Suggestion,
};
pub use schema::FACETS;
pub use staging::Staging;
pub use sync::{BATCH, read_documents};
pub use variables::{MAX_SCANNED, MAX_SHOWN, RecordVariables, VariableHit, VariableResults};

/// Why a search or an index operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The request is wrong; the message says how to fix it (HTTP 400).
    #[error("{0}")]
    BadRequest(String),
    /// The index on disk was written by another version of healthcat.
    #[error(
        "the search index in {path} was written by another healthcat version ({message}): run `healthcat reindex`"
    )]
    Outdated {
        /// The index folder.
        path: String,
        /// Tantivy's message.
        message: String,
    },
    /// The index folder cannot be used.
    #[error("{path}: {source}")]
    Io {
        /// The folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Tantivy failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index folder cannot be opened.
    #[error("search index folder: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// Reading a record from the store failed.
    #[error("reading the store: {0}")]
    Store(String),
}

impl SearchError {
    pub(crate) fn store(e: healthcat_store::StoreError) -> Self {
        SearchError::Store(e.to_string())
    }
}

/// An I/O error of tantivy's files read directly (postings, term dictionaries), as an index error.
pub(crate) fn index_io(e: std::io::Error) -> SearchError {
    SearchError::Index(e.into())
}

/// The position of a facet in [`FACETS`].
pub(crate) fn facet_index(name: &str) -> usize {
    FACETS.iter().position(|f| *f == name).unwrap_or(0)
}
