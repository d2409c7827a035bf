//! # healthcat-usage
//!
//! Usage statistics for the health data access body's biennial report (EHDS Art. 59), kept
//! without cookies and without personal data: no IP address, no user agent, no session is stored
//! or even held in memory — a request is classified ([`Client`]) and only the counter it adds to
//! survives it.
//!
//! - [`Client::of`] is the documented rule for who counts (robots and prefetches never; scripts
//!   only on machine endpoints; see `docs/usage.md`);
//! - [`Tally`] aggregates on write, in memory, one cell per (day, dataset) with a fixed set of
//!   counters, bounded by the number of records; [`Tally::flush`] adds it to the store's day
//!   counters (per dataset, per publisher, for the catalogue) in one transaction;
//! - [`figures`] reads them back per scope and period, [`chart`] lays out the page's SVG bars;
//! - [`report`] builds the biennial report (datasets, holders, views, downloads, requests,
//!   quality labels by category, new and withdrawn records) and writes it as CSV or XLSX.
#![warn(missing_docs)]

pub mod chart;
mod client;
mod error;
pub mod figures;
pub mod report;
mod tally;

pub use client::{Client, Endpoint};
pub use error::UsageError;
pub use figures::{Figures, Period};
pub use tally::{Metric, SYNTAXES, Tally};

use healthcat_model::messages::Catalogue;
use std::sync::OnceLock;

/// The report's and the statistics' sentences, per language.
pub fn messages() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::new(FILES))
}

const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../messages/en.toml")),
    ("fr", include_str!("../messages/fr.toml")),
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_language_has_every_sentence() {
        assert_eq!(
            healthcat_model::messages::Catalogue::missing(super::FILES),
            Vec::<String>::new()
        );
    }
}
