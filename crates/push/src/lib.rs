//! # healthcat-push
//!
//! Sending this node's records to a parent catalogue — an institution to its national node, a
//! national node to the EU — so that creates, updates and deletes reach it without the parent
//! harvesting.
//!
//! The outbox ([`outbox`]) follows the store's change feed: each creation, change and withdrawal
//! of a record of the chosen sources is sent in the order it was committed, and what the parent
//! acknowledged is kept on disk with the feed position (`{data_dir}/outbox/acknowledged.json`,
//! rewritten atomically after each acknowledged change). Nothing is lost while the parent is down
//! or the node restarts: the cursor has not moved past an unacknowledged change. When there is no
//! cursor (the first start) or the feed no longer reaches back to it, the outbox *re-synchronises*
//! — sends the difference between the records and what the parent acknowledged — and follows
//! the feed from there. A change the parent refuses (422: not valid against its profile) is kept
//! with its message and not sent again until the record changes.
//!
//! The parent is reached through a [`Connector`]: [`HdhConnector`] speaks the Health Data Hub's
//! ingest API (`POST /ingest/datasets`, `PUT /ingest/datasets/origin?originalId=`,
//! `DELETE /ingest/datasets/{id}`, `X-API-Key`), which healthcat itself serves; [`As4Folder`]
//! hands each change to an eDelivery (AS4) access point's file-system back-end ([`as4`]), the
//! national contact point's way to the EU catalogue.
#![warn(missing_docs)]

pub mod as4;
pub mod connector;
pub mod outbox;

pub use as4::{As4Folder, As4Settings};
pub use connector::{Action, Connector, HdhConnector, Message, SendError};
pub use outbox::{CycleReport, Outbox};

/// One of the connectors, as chosen by the configuration.
pub enum AnyConnector {
    /// The Health Data Hub's ingest API.
    Hdh(HdhConnector),
    /// An eDelivery access point's folder.
    As4(As4Folder),
}

impl Connector for AnyConnector {
    async fn send(&self, m: &Message) -> Result<String, SendError> {
        match self {
            Self::Hdh(c) => c.send(m).await,
            Self::As4(c) => c.send(m).await,
        }
    }
}
