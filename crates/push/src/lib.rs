//! # healthcat-push
//!
//! Sending this node's records to a parent catalogue — an institution to its national node, a
//! national node to the EU — so that creates, updates and deletes reach it without the parent
//! harvesting.
//!
//! The outbox ([`outbox`]) is *reconciling*: what is pending is the difference between the
//! records of the chosen sources in the store and what the parent has acknowledged, which is kept
//! on disk (`{data_dir}/outbox/acknowledged.json`, rewritten atomically after each acknowledged
//! change). Nothing is lost while the parent is down or the node restarts: the difference is still
//! there at the next cycle, and a change sent twice (acknowledged by the parent, not yet written
//! here when the node stopped) is harmless, because the parent recognises the record by its IRI.
//! A change the parent refuses (422: not valid against its profile) is kept with its message and
//! not sent again until the record changes.
//!
//! The parent is reached through a [`Connector`]; [`HdhConnector`] speaks the Health Data Hub's
//! ingest API (`POST /ingest/datasets`, `PUT /ingest/datasets/origin?originalId=`,
//! `DELETE /ingest/datasets/{id}`, `X-API-Key`), which healthcat itself serves. An EHDS eDelivery
//! (AS4) connector would be another implementation.
#![warn(missing_docs)]

pub mod connector;
pub mod outbox;

pub use connector::{Connector, HdhConnector, SendError};
pub use outbox::{CycleReport, Outbox};
