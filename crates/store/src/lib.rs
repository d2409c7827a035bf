//! # healthcat-store
//!
//! The lossless record store: what healthcat keeps, and how it reads it in and writes it out.
//!
//! - [`parse_document`] reads one RDF document (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD)
//!   into memory, with `file:line:column` errors and no network access;
//! - [`split()`] cuts its graph into *units*: one per record (`dcat:Dataset`, `dcat:DataService`,
//!   `dcat:DatasetSeries`) with everything it owns, one per catalogue, one per shared resource
//!   (see the module for the exact rule);
//! - [`Store`] keeps each unit in its own named graph of an Oxigraph database, with bookkeeping
//!   (local id, source, first seen, last modified, RDFC-1.0 content hash) changed in the same
//!   transaction; [`Store::import_units`] writes a document atomically and skips unchanged units;
//!   [`Store::export`] streams the catalogue back out in any syntax.
//!
//! Import → export is lossless: the exported graph is isomorphic to the union of the imported
//! documents (the tests check it on every DCAT-AP 3 and HealthDCAT-AP example).
//!
//! ```
//! use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, split};
//!
//! let ttl = r#"
//!   @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
//!   <https://example.org/ds/cohort-2024> a dcat:Dataset ; dct:title "Cohort 2024"@en .
//! "#;
//! let store = Store::in_memory()?;
//! let doc = parse_document(ttl.as_bytes(), Format::Turtle, "cohort.ttl", &ParseOptions::default())?;
//! let units = split(&doc.graph)?;
//! let first = store.import_units(&doc.graph, &units, &Source::local_file("cohort.ttl"))?;
//! assert_eq!(first.record_tally.added, 1);
//! assert_eq!(first.records[0].id, "cohort-2024");
//!
//! // The same content again is a no-op.
//! let again = store.import_units(&doc.graph, &units, &Source::local_file("cohort.ttl"))?;
//! assert_eq!(again.record_tally.unchanged, 1);
//!
//! let (nt, _) = store.export(Vec::new(), Format::NTriples)?;
//! assert!(String::from_utf8(nt)?.contains("Cohort 2024"));
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod backup;
mod bulk;
mod canon;
mod codec;
pub mod datadir;
mod doc;
mod engine;
mod error;
mod export;
mod feed;
mod format;
mod import;
mod jsonld;
mod limits;
mod literals;
mod meta;
mod parallel;
mod parse;
mod query_shape;
mod remote;
mod revisions;
mod sparql;
pub mod split;
mod store;
mod stream;
mod trend;
pub use trend::TrendMark;
mod usage;
mod verify;
mod xml_guard;

pub use backup::{BackupError, FileEntry, MANIFEST, Manifest, read_manifest, restore, store_bytes};
pub use bulk::{BulkImport, COMPACT_AFTER_RUNS, Committed};
pub use canon::{HashError, canonical_hash};
pub use doc::{DocGraph, TermId};
pub use error::{Location, ParseError, StoreError, shorten};
pub use export::{ExportStats, TripleWriter, write_graph, write_triples};
pub use feed::{FEED_GRAPH, FeedCompaction, FeedEvent, MAX_FEED_PAGE};
pub use format::Format;
pub use import::{Atomicity, ImportReport, Outcome, RecordOutcome, Tally};
pub use jsonld::CONTEXT_URL as JSONLD_CONTEXT_URL;
pub use limits::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_LITERAL_BYTES, InputLimits};
pub use literals::{IllTypedLiteral, ill_typed};
pub use meta::{Confirmation, Source, UnitMeta};
pub use parse::{Document, ParseOptions, bundled_context, parse_document, parse_slice};
pub use query_shape::{QueryShape, QueryShapeError};
pub use remote::{GENID, RemoteConfig, RemoteError, STATEMENTS_PER_UPDATE};
pub use revisions::{Change, REVISIONS_GRAPH, Revision};
pub use sparql::Published;
pub use split::{Unit, UnitKind, split};
pub use store::{
    Counts, KeptQuality, ReviewRow, SharedCache, Start, Store, StoredRecord, Window, name_pair,
};
pub use stream::{DEFAULT_PART_STATEMENTS, Part, StreamError, StreamSplit, stream_document};
pub use usage::{Counters, LifeEvent, UsageCell};
pub use verify::{Damage, Verification};
