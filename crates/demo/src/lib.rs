//! # healthcat-demo
//!
//! A deterministic generator of realistic HealthDCAT-AP Release 8 catalogues, for the demo, the
//! tests and the benchmarks. It writes Turtle straight to a writer (no RDF library in the loop), so
//! 100,000 datasets take seconds and constant memory.
//!
//! What it produces, per dataset: French and English titles, descriptions and keywords built from
//! real health topics and data-collection kinds (cohorts, registries, claims databases, clinical data
//! warehouses, surveys, trials, biobanks); one of the three access levels (PUBLIC, RESTRICTED,
//! NON_PUBLIC) with the properties each level makes mandatory; HealthData@EU health categories
//! matching the kind of collection; health themes; publishers and health data access bodies shared
//! between datasets (as real catalogues do), each with a contact point; distributions; age ranges,
//! record and individual counts, coding systems, temporal and spatial coverage; and, for some
//! structured datasets, a CSVW data dictionary (`healthdcatap:hasVariables`). On request, dataset
//! series (`dcat:DatasetSeries`, a registry's yearly editions) whose editions name them with
//! `dcat:inSeries` only, as most sources do.
//!
//! The same seed gives byte-identical output.
//!
//! ```
//! let mut out = Vec::new();
//! let stats = healthcat_demo::write_turtle(
//!     &healthcat_demo::DemoConfig { datasets: 3, seed: 7, base_iri: "https://catalogue.example.org/".into(), series: 0 },
//!     &mut out,
//! )?;
//! assert_eq!(stats.datasets, 3);
//! let text = String::from_utf8(out)?;
//! assert!(text.contains("a dcat:Dataset"));
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod data;
mod generate;

pub use generate::{DemoConfig, DemoStats, write_turtle};
