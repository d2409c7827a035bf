//! # healthcat-basket
//!
//! A researcher's basket: the datasets (and, per dataset, the variables) they mean to ask for,
//! with a note each — and its hand-over to the system where access applications are made. Under
//! the EHDS an application may cover several datasets from several holders; the health data
//! access body (HDAB) that holds each decides, so the basket is shown grouped by that body
//! (`healthdcatap:hdab`; the publisher for public data or when none is named) and access level.
//!
//! - [`Baskets`]: the baskets kept by the server, each named by a signed token (a random id and
//!   its keyed hash, so that an altered token is told from an expired one), with bounds (items,
//!   variables, note length, how many baskets, how long an unused one is kept). Nothing about the
//!   researcher is kept: no account, no address, only what they put in the basket, removed after
//!   `ttl_hours` without use.
//! - [`resolve`]: a basket read against the store — each dataset's title, access routes,
//!   dictionary and the variables chosen; records withdrawn since are reported, the rest kept —
//!   grouped into [`Group`]s.
//! - [`handover`]: the basket as JSON (the documented format `healthcat-basket/1`) and as
//!   HealthDCAT-AP Turtle, an HDAB's request page filled from its URL template, and a POST of the
//!   JSON to a configured data-access-application endpoint (time and size limits, no redirects;
//!   a receiver that is down leaves the basket as it was).
#![warn(missing_docs)]

mod baskets;
pub mod handover;
mod resolve;

pub use baskets::{AddOutcome, Basket, BasketLimits, Baskets, Item, Lookup};
pub use handover::{Receipt, RequestPage, SubmitError, Submitter};
pub use resolve::{Agent, Chosen, Entry, Group, Resolved, resolve};

/// The baskets with how they are handed over, as configured (`[basket]`).
#[derive(Debug)]
pub struct Service {
    /// The baskets kept.
    pub baskets: Baskets,
    /// The HDABs' request pages.
    pub request_pages: Vec<RequestPage>,
    /// The data-access-application endpoint, if one is configured.
    pub submitter: Option<Submitter>,
}

impl Service {
    /// Baskets in memory, default limits, no hand-over but the downloads (tests).
    pub fn in_memory() -> Result<Self, BasketError> {
        Ok(Service {
            baskets: Baskets::in_memory(BasketLimits::default())?,
            request_pages: Vec::new(),
            submitter: None,
        })
    }

    /// The request page of the HDAB `iri`, if it declares one.
    pub fn request_page(&self, iri: &str) -> Option<&RequestPage> {
        self.request_pages.iter().find(|p| p.hdab == iri)
    }
}

/// Why a basket operation failed.
#[derive(Debug, thiserror::Error)]
pub enum BasketError {
    /// The request is wrong; the message names the field and says what to do (HTTP 400).
    #[error("{0}")]
    Bad(String),
    /// The baskets' folder or key cannot be used.
    #[error("{path}: {message}")]
    File {
        /// The file or folder.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] healthcat_store::StoreError),
}
