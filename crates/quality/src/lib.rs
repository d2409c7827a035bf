//! # healthcat-quality
//!
//! Metadata quality with no HTTP and no storage: the data.europa.eu **MQA** score of one dataset
//! ([`mqa::score`]: 23 indicators, 405 points, the best-distribution rule, each indicator with its
//! status and evidence, the rating band), against the vocabularies of [`vocab`]. What needs the
//! network or the validator comes from the caller; without it an indicator says *not checked* and
//! the score says out of how many points it was computed.
//!
//! This is the first part of issue #20; the health layer, the advice, the Regulation 2026/2098
//! elements and the Article 78 label build on it (see `docs/quality.md`).
#![warn(missing_docs)]

pub mod mqa;
pub mod vocab;

pub use mqa::{Band, Checks, Dimension, INDICATORS, MAX_POINTS, Measured, Score, Status, score};
pub use vocab::Vocabularies;
