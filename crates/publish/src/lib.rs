//! # healthcat-publish
//!
//! What the catalogue publishes as linked data, built from the store with no HTTP types: the DCAT
//! catalogue's pages ([`catalogue::page`]: the catalogue's own description, the records with the
//! shared resources they name, Hydra paging in both vocabularies, subsets chosen with the search
//! filters; [`dcat_ap::view`] keeps what DCAT-AP 3 knows, for `?profile=dcat-ap`), dataset series with their editions in order ([`series`]) and the SPARQL endpoint's
//! descriptions and limits ([`sparql`]); the trusted health data holders ([`trusted`]); for
//! researchers, a record's citation in BibTeX, RIS and DataCite XML ([`cite`]), its Croissant and
//! schema.org JSON-LD ([`croissant`]) and a search's Atom feed ([`atom`]). `healthcat-web` negotiates the
//! syntax, computes ETags and streams; the content is decided here.
#![warn(missing_docs)]

pub mod atom;
pub mod catalogue;
pub mod cite;
pub mod croissant;
pub mod dcat_ap;
pub mod series;
pub mod sparql;
pub mod trusted;

pub use catalogue::{CatalogueInfo, DEFAULT_PER_PAGE, MAX_PER_PAGE, PageRequest, page};
pub use sparql::SparqlLimits;

/// Why a page could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] healthcat_store::StoreError),
    /// The search filters were refused ([`healthcat_search::SearchError::BadRequest`] names the
    /// parameter) or the index failed.
    #[error(transparent)]
    Search(#[from] healthcat_search::SearchError),
}
