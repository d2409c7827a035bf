//! Records pushed in by a provider (a child catalogue or a script, through the Health Data
//! Hub–compatible push API): the rules, whoever carries the request.
//!
//! - A provider's records are stored with the source `push:<provider>` and keep their IRIs;
//!   sending a record again updates it.
//! - A provider changes only its own records: a record another source brought is refused
//!   ([`PushError::NotYours`]), and so are the shared descriptions it does not own
//!   ([`crate::Stewardship::OwnSource`]).
//! - Every record is validated with the profile; one invalid record refuses the whole document.
//! - The ownership check and the write happen in the store's
//!   [decision turn](healthcat_store::Store::decision_turn), so that they cannot interleave with
//!   another push or an edit.

use crate::{Ingest, IngestError, NotOwned, Rejected, Stewardship};
use healthcat_model::LocalId;
use healthcat_profiles::Profile;
use healthcat_search::SearchIndex;
use healthcat_store::{Format, ParseOptions, Source, Store, StoreError, parse_slice, split};

/// Why a push was refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The body is not RDF in its syntax.
    #[error("{0}")]
    Unreadable(String),
    /// The body cannot be cut into records and shared resources.
    #[error("{0}")]
    Unsplittable(String),
    /// The body describes no record.
    #[error("the body holds no dcat:Dataset, dcat:DataService or dcat:DatasetSeries")]
    NoRecords,
    /// The record to replace is not in the catalogue.
    #[error("no record {0} here: create it with POST /ingest/datasets")]
    NotHere(String),
    /// The body does not describe the record it replaces.
    #[error("the body does not describe {0}")]
    NotDescribed(String),
    /// No record with that local id.
    #[error("no record {0}")]
    NotFound(String),
    /// The record belongs to another source.
    #[error(
        "{key} belongs to another source ({source_id}); a provider {verb} only its own records"
    )]
    NotYours {
        /// The record.
        key: String,
        /// The source it belongs to.
        source_id: String,
        /// `changes` or `deletes`.
        verb: &'static str,
    },
    /// Records fail validation; nothing was stored.
    #[error("not valid against the {profile} profile: nothing was stored")]
    Invalid {
        /// The profile's name.
        profile: String,
        /// The records held back, with their reports.
        rejected: Vec<Rejected>,
    },
    /// The ingest path refused or failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The search index failed.
    #[error(transparent)]
    Index(#[from] healthcat_search::SearchError),
}

impl PushError {
    /// Whether the request is at fault (a refusal to explain), not the server.
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::Store(_) | Self::Index(_) => false,
            Self::Ingest(e) => !matches!(e, IngestError::Store(_) | IngestError::Index(_)),
            _ => true,
        }
    }
}

/// The pushes into one catalogue: its store, its index, the profile records are validated with,
/// and how documents are parsed.
pub struct Pushes<'a> {
    /// The store.
    pub store: &'a Store,
    /// The search index, brought along with every write.
    pub index: &'a SearchIndex,
    /// The profile every record is validated with.
    pub profile: &'a Profile,
    /// How documents are parsed (no base IRI, the configured limits).
    pub options: ParseOptions,
}

/// The source of `provider`'s records.
pub fn source_of(provider: &str) -> Source {
    Source {
        id: format!("push:{provider}"),
        origin: format!("push:{provider}"),
        run: None,
        comment: None,
    }
}

impl Pushes<'_> {
    /// Stores the records of `body` for `provider` (`replacing`: the IRI of a record that must
    /// exist and be described); the local ids of the records the document describes.
    pub fn push(
        &self,
        provider: &str,
        format: Format,
        body: &[u8],
        replacing: Option<&str>,
    ) -> Result<Vec<String>, PushError> {
        let doc = parse_slice(body, format, "request body", &self.options)
            .map_err(|e| PushError::Unreadable(e.to_string()))?;
        let units = split(&doc.graph).map_err(|e| PushError::Unsplittable(e.to_string()))?;
        let keys: Vec<&str> = units
            .iter()
            .filter(|u| u.is_record())
            .map(|u| u.key.as_str())
            .collect();
        let source = source_of(provider);
        let _turn = self.store.decision_turn();
        if let Some(original) = replacing {
            if self.store.record_by_key(original)?.is_none() {
                return Err(PushError::NotHere(original.to_owned()));
            }
            if !keys.contains(&original) {
                return Err(PushError::NotDescribed(original.to_owned()));
            }
        }
        // Every record must be new or already this provider's.
        for key in &keys {
            if let Some(meta) = self.store.record_by_key(key)?
                && meta.source != source.id
            {
                return Err(PushError::NotYours {
                    key: (*key).to_owned(),
                    source_id: meta.source,
                    verb: "changes",
                });
            }
        }
        let outcome = Ingest::new(self.store)
            .validating(Some(self.profile), false, "en")
            .all_or_nothing()
            .stewardship(Stewardship::OwnSource, NotOwned::Refuse)
            .indexing(Some(self.index))
            .document(&doc.graph, &source)
            .map_err(|e| match e {
                IngestError::NoRecords { .. } => PushError::NoRecords,
                e => PushError::Ingest(e),
            })?;
        if !outcome.rejected.is_empty() {
            return Err(PushError::Invalid {
                profile: self.profile.name.clone(),
                rejected: outcome.rejected,
            });
        }
        Ok(outcome.report.records.into_iter().map(|r| r.id).collect())
    }

    /// Withdraws `provider`'s record `id` (it stays in the history) and takes it out of the
    /// index.
    pub fn withdraw(&self, provider: &str, id: &str) -> Result<(), PushError> {
        let local = LocalId::new(id.to_owned()).map_err(|_| PushError::NotFound(id.into()))?;
        let by = source_of(provider);
        let _turn = self.store.decision_turn();
        let Some(record) = self.store.get(&local)? else {
            return Err(PushError::NotFound(id.into()));
        };
        if record.meta.source != by.id {
            return Err(PushError::NotYours {
                key: id.to_owned(),
                source_id: record.meta.source,
                verb: "deletes",
            });
        }
        let behind = self.index.behind()?;
        self.store.withdraw(&local, &by)?;
        self.index
            .refresh(self.store, std::slice::from_ref(&local))?;
        behind.caught_up();
        Ok(())
    }
}
