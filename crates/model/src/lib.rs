//! # healthcat-model
//!
//! The vocabulary of a HealthDCAT-AP catalogue as healthcat sees it, and nothing else:
//!
//! - [`vocab`]: the namespace and term IRIs (DCAT 3, DCAT-AP 3, Dublin Core, HealthDCAT-AP, …) used by
//!   the other crates, so that no crate spells an IRI by hand;
//! - [`RecordKind`] and [`LocalId`]: what counts as a catalogue *record* and the stable, URL-safe id
//!   under which healthcat files it;
//! - [`DatasetView`]: a typed, read-only view of one record's triples for pages and the search index
//!   (titles and descriptions per language, keywords, themes, access rights, health properties…).
//!
//! - [`dictionary`]: a record's data dictionary (CSVW tables and columns: its variables);
//! - [`series`]: the editions of a dataset series in order, with the links DCAT gives them;
//! - [`messages`]: the message catalogues (per-language TOML sentences) every crate's user-facing
//!   sentences come from.
//!
//! The crate depends on `oxrdf` (and `toml` for the catalogues); it owns no storage and does no I/O.
//!
//! ```
//! use healthcat_model::{DatasetView, vocab};
//! use oxrdf::{Graph, Literal, NamedNode, Triple};
//!
//! let ds = NamedNode::new("https://example.org/dataset/1")?;
//! let mut graph = Graph::new();
//! graph.insert(&Triple::new(ds.clone(), vocab::rdf::TYPE, vocab::dcat::DATASET));
//! graph.insert(&Triple::new(ds.clone(), vocab::dct::TITLE,
//!     Literal::new_language_tagged_literal("Cohorte oncologie", "fr")?));
//! graph.insert(&Triple::new(ds.clone(), vocab::dct::TITLE,
//!     Literal::new_language_tagged_literal("Oncology cohort", "en")?));
//!
//! let view = DatasetView::new(&graph, ds.as_ref().into());
//! assert_eq!(view.title.get("fr"), Some("Cohorte oncologie"));
//! assert_eq!(view.title.best(&["de", "en"]), Some("Oncology cohort"));
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod dictionary;
mod id;
mod kind;
pub mod labels;
mod lang;
pub mod messages;
pub mod series;
mod view;
pub mod vocab;
pub mod xsd;

pub use dictionary::{ColumnView, Dictionary, TableView};
pub use id::{LocalId, LocalIdError};
pub use kind::{RECORD_LINKS, RecordKind};
pub use lang::LangMap;
pub use view::{AgentView, DatasetView, DistributionView};
