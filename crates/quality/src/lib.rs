//! # healthcat-quality
//!
//! Metadata quality with no HTTP and no storage. For one dataset, given its record with the
//! shared resources it names, [`Assessor::assess`] computes:
//!
//! - the data.europa.eu **MQA** score ([`mqa::score`]: 23 indicators, 405 points, the
//!   best-distribution rule, each indicator with its status and evidence, the rating band), against
//!   the vocabularies of [`vocab`], DCAT-AP compliance from healthcat's own validator;
//! - the **advice** ([`advice`]): what would raise the score, most points first, each exactly
//!   worth its points;
//! - the **Regulation (EU) 2026/2098** view ([`minimum`]): its 27 minimum elements present,
//!   absent, or not applicable and why;
//! - the **Article 78 quality and utility label** ([`label`]): QUANTUM's framework as data
//!   (`quality/quantum-label.toml`), each metric computed from the metadata or declared by the
//!   data holder, the score out of 100 and its stars;
//! - the **health layer** ([`health`]): the dataset against HealthDCAT-AP at its own access level
//!   (mandatory and recommended properties given) and its health values against their code lists;
//! - what each write keeps ([`Kept`]), many of them summed up ([`aggregate()`]), and the same as
//!   DQV measurements for the DCAT endpoints ([`dqv`]).
//!
//! What needs the network (whether a URL answers) comes from the caller; without it an indicator
//! says *not checked* and the score says out of how many points it was computed. Every sentence a
//! reader sees comes from this crate's message catalogues ([`messages`]).
#![warn(missing_docs)]

pub mod advice;
pub mod aggregate;
mod assess;
pub mod dqv;
pub mod health;
pub mod label;
pub mod messages;
pub mod minimum;
pub mod mqa;
pub mod vocab;

pub use advice::Advice;
pub use aggregate::{Aggregate, Summing, aggregate};
pub use assess::{Assessment, Assessor, Kept, KeptAdvice, KeptHealth, KeptLabel, Links, Summary};
pub use label::{Label, LabelSpec};
pub use mqa::{Band, Checks, Dimension, INDICATORS, MAX_POINTS, Measured, Score, Status, score};
pub use vocab::Vocabularies;

/// A Turtle text as a graph, for the tests.
#[cfg(test)]
pub(crate) fn test_graph(text: &str) -> oxrdf::Graph {
    healthcat_store::parse_document(
        text.as_bytes(),
        healthcat_store::Format::Turtle,
        "t.ttl",
        &Default::default(),
    )
    .unwrap()
    .graph
    .to_graph()
}
