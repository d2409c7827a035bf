//! # healthcat-harvest
//!
//! Pulling other catalogues into this one. A source is a TOML file ([`config`]) of one of three
//! kinds. A run ([`run::run`]) of a DCAT source follows its pages — one document, or Hydra paging
//! in both vocabularies (`hydra:next` and the legacy `hydra:nextPage`, as IRIs or as udata's
//! strings) with loop detection and a page cap; of a FAIR Data Point, crawls from its root to its
//! records (`fdp`); of a SPARQL endpoint, lists record IRIs in a stable order and describes them
//! with CONSTRUCT queries (`sparql`). Requests go only to the source's own host, with its time,
//! size and redirect limits and, for pages, conditional requests ([`fetch`]). Each page goes through the one ingest
//! path ([`healthcat_ingest`]): records keep their original IRIs, are validated with the source's
//! profile, stored only when their canonical hash changed (so an unchanged record is neither
//! rewritten nor reindexed) and carry their source and the page they were read from.
//!
//! Records the source no longer lists are withdrawn — unless the run failed, or listed fewer than
//! a configured share of what it listed last time: then nothing is withdrawn and the report says
//! why ([`report::Status::Guarded`]). Each run leaves a JSON report and the state the next run
//! needs (`{data_dir}/harvest/{source}/`).
//!
//! Inside `serve`, [`schedule`] runs each source on its own timer, a few at a time.
//!
//! The link checker ([`links`]) is here too: it is the other part of healthcat that calls other
//! servers, with the same kind of limits (only the URLs records give, time limits, no private
//! addresses unless configured, a pace per host).
//!
//! Every record stored by a run carries the run's id ([`RunReport::run_id`]) in its bookkeeping.
#![warn(missing_docs)]

mod batch;
pub mod config;
mod fdp;
pub mod fetch;
pub mod links;
mod public;
pub mod report;
pub mod run;
pub mod schedule;
mod sparql;

pub use config::{SourceConfig, load_dir};
pub use public::HarvestSources;
pub use report::{RunReport, SourceState, StateDir, Status};
pub use run::{Context, run};

/// Errors outside a run (a run's own problems are in its report).
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    /// A source file is wrong.
    #[error("{file}: {message}")]
    Config {
        /// The file.
        file: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The state or report could not be written.
    #[error("harvest state: {0}")]
    State(String),
}
