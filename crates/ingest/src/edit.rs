//! Changing the catalogue's own records (source `local`) on someone's behalf: the rules every
//! such writer follows — the write API, the drafts API, the editor, a restore from history.
//!
//! - Only `local` records are changed here: a harvested or pushed record is changed at its
//!   source, or its next harvest or push would undo the edit ([`EditError::Elsewhere`]).
//! - A principal changes only the records of its publishers, before and after the change
//!   ([`healthcat_auth::Principal::may_edit`]).
//! - Optimistic concurrency: a record's ETag is its content hash; a change may be made
//!   conditional on it ([`Precondition`]), and the check and the write happen in the store's
//!   [decision turn](healthcat_store::Store::decision_turn), which the caller holds.
//! - The document is validated with the profile before anything is stored (an administrator
//!   may store it flagged), and shared descriptions follow [`Stewardship`].
//! - Every write is recorded in the audit log with the principal's name.

use crate::{Ingest, IngestError, NotOwned, Rejected, Stewardship};
use healthcat_auth::{Authenticator, Principal, Role};
use healthcat_model::LocalId;
use healthcat_model::vocab::dct;
use healthcat_profiles::Profile;
use healthcat_search::SearchIndex;
use healthcat_store::{
    DocGraph, Format, InputLimits, ParseOptions, Source, Store, StoreError, StoredRecord,
    parse_slice, split,
};
use oxrdf::TermRef;

/// Why an edit was refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The body is not RDF in its syntax, or cannot be cut into records.
    #[error("{0}")]
    Unreadable(String),
    /// The body describes no record.
    #[error("the body holds no dcat:Dataset, dcat:DataService or dcat:DatasetSeries")]
    NoRecords,
    /// No record with that local id.
    #[error("no record {0}")]
    NotFound(String),
    /// The record comes from a harvest or a push.
    #[error(
        "{id} comes from {source_id} ({origin}): change it there — the next harvest or push would undo an edit made here"
    )]
    Elsewhere {
        /// The record's local id.
        id: String,
        /// Its source.
        source_id: String,
        /// Where that source had it from.
        origin: String,
    },
    /// The record (by key or id) is not published by one of the principal's publishers.
    #[error("{what}: {who} may only {verb} records published by {publishers}")]
    NotYourPublisher {
        /// The record.
        what: String,
        /// The principal's name.
        who: String,
        /// `write` or `change`.
        verb: &'static str,
        /// Its publishers, joined.
        publishers: String,
    },
    /// The new version would have a publisher outside the principal's.
    #[error("{who} may not give the record a publisher outside {publishers}")]
    PublisherOutside {
        /// The principal's name.
        who: String,
        /// Its publishers, joined.
        publishers: String,
    },
    /// The change must say which version it changes.
    #[error("send If-Match with the record's ETag (GET /datasets/{id}.ttl gives it): it is {etag}")]
    NeedsIfMatch {
        /// The record's local id.
        id: String,
        /// Its ETag now.
        etag: String,
    },
    /// The record changed since the version the change was made from.
    #[error(
        "{id} changed since that version (its ETag is now {etag}): read it again, then apply your change"
    )]
    Changed {
        /// The record's local id.
        id: String,
        /// Its ETag now.
        etag: String,
    },
    /// A record to create exists.
    #[error("{key} exists: change it with PUT /api/datasets/{id}")]
    Exists {
        /// Its IRI.
        key: String,
        /// Its local id.
        id: String,
    },
    /// A new version describes other records than the one it replaces.
    #[error("the body must describe {key} and only it (it describes: {described})")]
    NotOnlyThis {
        /// The record replaced.
        key: String,
        /// What the body describes, joined.
        described: String,
    },
    /// No such revision in the record's history.
    #[error("{id} has no revision {revision:?} (see /api/datasets/{id}/history)")]
    NoRevision {
        /// The record's local id.
        id: String,
        /// The revision asked for.
        revision: String,
    },
    /// Records fail validation; nothing was stored.
    #[error(
        "not valid against the {profile} profile: nothing was stored{}",
        if *.may_force { " (an administrator may store it flagged with ?force=true)" } else { "" }
    )]
    Invalid {
        /// The profile's name.
        profile: String,
        /// The records held back, with their reports.
        rejected: Vec<Rejected>,
        /// Whether the principal may store it anyway (an administrator).
        may_force: bool,
    },
    /// The ingest path refused or failed (shared descriptions not the writer's, a document
    /// that cannot be split, the store).
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The search index failed.
    #[error(transparent)]
    Index(#[from] healthcat_search::SearchError),
    /// The drafts folder could not be written.
    #[error(transparent)]
    Drafts(#[from] crate::drafts::DraftError),
}

impl EditError {
    /// Whether the request is at fault (a refusal to explain), not the server.
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::Store(_) | Self::Index(_) | Self::Drafts(_) => false,
            Self::Ingest(e) => !matches!(e, IngestError::Store(_)),
            _ => true,
        }
    }
}

/// What a change is conditional on.
#[derive(Debug, Clone, Copy)]
pub enum Precondition<'a> {
    /// Nothing (reading a record to show it, deleting without `If-Match`).
    None,
    /// The `If-Match` value when one was sent; `required`: refuse without one.
    IfMatch {
        /// The header's value.
        value: Option<&'a str>,
        /// Whether a change without it is refused.
        required: bool,
    },
}

/// A document parsed from `body` in `format` and the keys of the records it describes.
pub fn described(
    format: Format,
    body: &[u8],
    limits: InputLimits,
) -> Result<(DocGraph, Vec<String>), EditError> {
    let options = ParseOptions {
        limits,
        ..ParseOptions::default()
    };
    let doc = parse_slice(body, format, "request body", &options)
        .map_err(|e| EditError::Unreadable(e.to_string()))?;
    let units = split(&doc.graph).map_err(|e| EditError::Unreadable(e.to_string()))?;
    let keys: Vec<String> = units
        .iter()
        .filter(|u| u.is_record())
        .map(|u| u.key.clone())
        .collect();
    if keys.is_empty() {
        return Err(EditError::NoRecords);
    }
    Ok((doc.graph, keys))
}

/// The `dct:publisher` IRIs of `root` in `triples`.
pub fn publishers<'a>(
    triples: impl Iterator<Item = oxrdf::TripleRef<'a>>,
    root: &str,
) -> Vec<String> {
    triples
        .filter(|t| t.predicate == dct::PUBLISHER && t.subject.to_string() == format!("<{root}>"))
        .filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// Refuses `who` a record (`what`) published by `publishers` it may not `verb`.
pub fn check_publishers(
    who: &Principal,
    what: &str,
    publishers: &[String],
    verb: &'static str,
) -> Result<(), EditError> {
    if who.may_edit(publishers.iter().map(String::as_str)) {
        Ok(())
    } else {
        Err(EditError::NotYourPublisher {
            what: what.to_owned(),
            who: who.name.clone(),
            verb,
            publishers: who.publishers.join(", "),
        })
    }
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Local ids of the records the document describes, in its order.
    pub ids: Vec<String>,
    /// Keys of the records stored although they have violations.
    pub flagged: Vec<String>,
    /// The first record's ETag after the write.
    pub etag: Option<String>,
}

impl Written {
    /// The first record's local id.
    pub fn first(&self) -> Option<&str> {
        self.ids.first().map(String::as_str)
    }
}

/// The writers of one catalogue's own records: the store, its index, the profile records are
/// validated with, what documents may hold, and where writes are audited.
pub struct Edits<'a> {
    /// The store.
    pub store: &'a Store,
    /// The search index, brought along with every write.
    pub index: &'a SearchIndex,
    /// The profile every record is validated with.
    pub profile: &'a Profile,
    /// What a document may hold.
    pub limits: InputLimits,
    /// Where writes are recorded.
    pub audit: &'a dyn Authenticator,
}

/// One thing the profile finds wrong in a description about to be published.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The node it is about.
    pub focus: oxrdf::Term,
    /// The property it is about, when it names one.
    pub path: Option<String>,
    /// What is wrong, in the language asked for.
    pub text: String,
}

impl Edits<'_> {
    /// `graph` checked as it would be published (the editor's "publish", a spreadsheet row):
    /// with what the catalogue holds of the resources it names (publisher, access body) and the
    /// class of the records it links to (its series). Gives the graph that would be stored and
    /// what blocks its publication (violations, in `lang`), one finding per distinct text and
    /// place.
    pub fn check_for_publishing(
        &self,
        graph: oxrdf::Graph,
        lang: &str,
    ) -> Result<(oxrdf::Graph, Vec<Finding>), EditError> {
        let linked = self.store.linked_record_types(graph.iter())?;
        let whole = self.store.with_shared_from(graph, "local")?;
        let context: Vec<oxrdf::NamedNodeRef<'_>> = linked
            .iter()
            .filter_map(|t| match t.subject.as_ref() {
                oxrdf::NamedOrBlankNodeRef::NamedNode(n) => Some(n),
                oxrdf::NamedOrBlankNodeRef::BlankNode(_) => None,
            })
            .collect();
        let data: Vec<_> = whole
            .iter()
            .chain(linked.iter().map(|t| t.as_ref()))
            .collect();
        let report = self.profile.validate_in_context(
            &data,
            &context,
            &healthcat_profiles::Options {
                level: None,
                skip_document_shapes: true,
            },
        );
        let flat: Vec<_> = report.results.iter().flat_map(|r| r.flatten()).collect();
        let summaries = self.profile.summaries(&report, lang);
        let mut findings: Vec<Finding> = Vec::new();
        for (r, summary) in flat.iter().zip(&summaries) {
            if r.is_warning() || !r.details.is_empty() && summary.explanation.is_empty() {
                continue;
            }
            let path = match &r.result_path {
                Some(healthcat_shacl::ResultPath::Shape(p)) => self
                    .profile
                    .shapes()
                    .path_text(*p)
                    .map(|t| t.trim_matches(['<', '>']).to_owned()),
                Some(healthcat_shacl::ResultPath::Predicate(oxrdf::Term::NamedNode(n))) => {
                    Some(n.as_str().to_owned())
                }
                _ => None,
            };
            let text = if summary.explanation.is_empty() {
                summary.messages.join(" ")
            } else {
                summary.explanation.clone()
            };
            let f = Finding {
                focus: r.focus_node.clone(),
                path,
                text,
            };
            if !findings
                .iter()
                .any(|g| g.focus == f.focus && g.path == f.path && g.text == f.text)
            {
                findings.push(f);
            }
        }
        Ok((whole, findings))
    }

    /// The stored record `id` if `who` may change it and `pre` holds.
    pub fn editable(
        &self,
        who: &Principal,
        id: &str,
        pre: Precondition<'_>,
    ) -> Result<StoredRecord, EditError> {
        let not_found = || EditError::NotFound(id.to_owned());
        let local = LocalId::new(id.to_owned()).map_err(|_| not_found())?;
        let record = self.store.get(&local)?.ok_or_else(not_found)?;
        if record.meta.source != "local" {
            return Err(EditError::Elsewhere {
                id: id.to_owned(),
                source_id: record.meta.source.clone(),
                origin: record.meta.origin.clone(),
            });
        }
        let key = record.meta.key.clone();
        check_publishers(who, id, &publishers(record.graph.iter(), &key), "change")?;
        let etag = format!("\"{}\"", record.meta.hash);
        match pre {
            Precondition::IfMatch {
                value: None,
                required: true,
            } => Err(EditError::NeedsIfMatch {
                id: id.to_owned(),
                etag,
            }),
            Precondition::IfMatch { value: Some(m), .. }
                if m.trim() != "*" && !m.split(',').any(|t| t.trim() == etag) =>
            {
                Err(EditError::Changed {
                    id: id.to_owned(),
                    etag,
                })
            }
            _ => Ok(record),
        }
    }

    /// Refuses a new record whose key exists or that `who` may not write.
    pub fn check_new(
        &self,
        who: &Principal,
        doc: &DocGraph,
        keys: &[String],
    ) -> Result<(), EditError> {
        for key in keys {
            if let Some(m) = self.store.record_by_key(key)? {
                let id = m
                    .local_id
                    .map(|i| i.as_str().to_owned())
                    .unwrap_or_default();
                return Err(EditError::Exists {
                    key: key.clone(),
                    id,
                });
            }
            check_publishers(who, key, &publishers(doc.iter(), key), "write")?;
        }
        Ok(())
    }

    /// Validates and stores `doc` as written by `who` (`created`: a new record, as the audit
    /// log says), with `comment` kept with the revision.
    pub fn store(
        &self,
        who: &Principal,
        doc: &DocGraph,
        force: bool,
        created: bool,
        comment: Option<String>,
    ) -> Result<Written, EditError> {
        let source = Source {
            id: "local".into(),
            origin: format!(
                "{}:{}",
                if who.via.starts_with("account:") {
                    "editor"
                } else {
                    "api"
                },
                who.name
            ),
            run: None,
            comment,
        };
        // Shared resources and catalogues: an administrator's write may change any, an
        // editor's only its publishers' (and new ones); see `Stewardship`.
        let stewardship = match who.role {
            Role::Admin => Stewardship::Any,
            _ => Stewardship::Publishers(who.publishers.clone()),
        };
        let outcome = Ingest::new(self.store)
            .validating(Some(self.profile), force, "en")
            .all_or_nothing()
            .stewardship(stewardship, NotOwned::Refuse)
            .indexing(Some(self.index))
            .document(doc, &source)
            .map_err(|e| match e {
                IngestError::NoRecords { .. } => EditError::NoRecords,
                e => EditError::Ingest(e),
            })?;
        if !outcome.rejected.is_empty() {
            return Err(EditError::Invalid {
                profile: self.profile.name.clone(),
                rejected: outcome.rejected,
                may_force: who.role == Role::Admin,
            });
        }
        let ids: Vec<String> = outcome
            .report
            .records
            .iter()
            .map(|r| r.id.clone())
            .collect();
        let etag = match ids.first().and_then(|i| LocalId::new(i.clone()).ok()) {
            Some(id) => self.store.get(&id)?.map(|r| r.meta.hash),
            None => None,
        };
        self.audit.audit(
            who,
            &format!(
                "{} {}",
                if created { "create" } else { "update" },
                ids.join(" ")
            ),
        );
        Ok(Written {
            ids,
            flagged: outcome.flagged,
            etag,
        })
    }

    /// Stores `doc` as the new version of `record`, if it describes that record only and keeps
    /// it within `who`'s publishers.
    pub fn replace(
        &self,
        who: &Principal,
        record: &StoredRecord,
        (doc, keys): (&DocGraph, &[String]),
        force: bool,
        comment: Option<String>,
    ) -> Result<Written, EditError> {
        if keys != [record.meta.key.clone()] {
            return Err(EditError::NotOnlyThis {
                key: record.meta.key.clone(),
                described: keys.join(", "),
            });
        }
        if !who.may_edit(
            publishers(doc.iter(), &record.meta.key)
                .iter()
                .map(String::as_str),
        ) {
            return Err(EditError::PublisherOutside {
                who: who.name.clone(),
                publishers: who.publishers.join(", "),
            });
        }
        self.store(who, doc, force, false, comment)
    }

    /// Stores `graph` (a record's own triples) as the new version of `record`, read with what the
    /// catalogue holds of the resources it names (the record's graph never held them), so that
    /// it validates as the record did; see [`Edits::replace`].
    pub fn replace_graph(
        &self,
        who: &Principal,
        record: &StoredRecord,
        graph: oxrdf::Graph,
        comment: Option<String>,
    ) -> Result<Written, EditError> {
        let whole = self.store.with_shared_from(graph, "local")?;
        self.replace_whole(who, record, whole, comment)
    }

    /// Stores `whole` — a record's own triples with the descriptions of the shared resources it
    /// names, as [`Store::with_shared_from`] gives them, some of them changed — as the new
    /// version of `record`. The shared descriptions are written only where `who` may change them
    /// (an administrator, or an editor of the publisher described); see [`Edits::replace`].
    pub fn replace_whole(
        &self,
        who: &Principal,
        record: &StoredRecord,
        whole: oxrdf::Graph,
        comment: Option<String>,
    ) -> Result<Written, EditError> {
        let text = healthcat_store::write_graph(&whole, Vec::new(), Format::NTriples)?;
        let (doc, keys) = described(Format::NTriples, &text, self.limits)?;
        self.replace(who, record, (&doc, &keys), false, comment)
    }

    /// Stores `record` with its data dictionary replaced by `variables` (read from a steward's
    /// CSV or XLSX file by [`healthcat_dictionary::read`]), validated like any edit; the rest of
    /// the record is kept as it was.
    pub fn replace_dictionary(
        &self,
        who: &Principal,
        record: &StoredRecord,
        variables: &[healthcat_dictionary::Variable],
        comment: Option<String>,
    ) -> Result<Written, EditError> {
        use healthcat_dictionary::csvw;
        let Some(root) = record.meta.root.as_ref() else {
            return Err(EditError::NoRecords);
        };
        let group = csvw::group(root.as_ref(), variables);
        let graph = csvw::replace(&record.graph, root.as_ref(), &group);
        let written = self.replace_graph(who, record, graph, comment)?;
        self.audit.audit(
            who,
            &format!(
                "dictionary {} ({} variables)",
                written.first().unwrap_or_default(),
                variables.len()
            ),
        );
        Ok(written)
    }

    /// Stores the version of `record` right after `revision` as its new version (validated,
    /// itself a revision).
    pub fn restore(
        &self,
        who: &Principal,
        record: &StoredRecord,
        revision: &str,
        comment: Option<String>,
    ) -> Result<Written, EditError> {
        let id = record
            .meta
            .local_id
            .as_ref()
            .map(|l| l.as_str().to_owned())
            .unwrap_or_default();
        let Some(local) = record.meta.local_id.clone() else {
            return Err(EditError::NotFound(id));
        };
        let Some(text) = self.store.version_at(&local, revision)? else {
            return Err(EditError::NoRevision {
                id,
                revision: revision.to_owned(),
            });
        };
        // The version alone, then with what the catalogue holds of the resources it names (the
        // record's graph never held them), so that it validates as it did.
        let (version, _) = described(Format::NTriples, text.as_bytes(), self.limits)?;
        let written = self.replace_graph(who, record, version.to_graph(), comment)?;
        self.audit
            .audit(who, &format!("restore {id} to {revision}"));
        Ok(written)
    }

    /// Confirms that record `id` is still accurate as it is (the annual review, EHDS Art.
    /// 60(3)), at `now`: for an administrator, or an editor of its publisher — whichever source
    /// keeps it, since the holder's word is what counts. The content is untouched; the
    /// confirmation is audited.
    pub fn confirm(
        &self,
        who: &Principal,
        id: &str,
        now: jiff::Timestamp,
    ) -> Result<healthcat_store::Confirmation, EditError> {
        let not_found = || EditError::NotFound(id.to_owned());
        let local = LocalId::new(id.to_owned()).map_err(|_| not_found())?;
        let record = self.store.get(&local)?.ok_or_else(not_found)?;
        let key = record.meta.key.clone();
        check_publishers(who, id, &publishers(record.graph.iter(), &key), "confirm")?;
        let time = now.to_string();
        if !self.store.confirm(&local, &time, &who.name)? {
            return Err(not_found());
        }
        self.audit
            .audit(who, &format!("confirm {id} still accurate"));
        Ok(healthcat_store::Confirmation {
            time,
            by: who.name.clone(),
        })
    }

    /// Withdraws `record` (it stays in the history) and takes it out of the index.
    pub fn withdraw(
        &self,
        who: &Principal,
        record: &StoredRecord,
        comment: Option<String>,
    ) -> Result<(), EditError> {
        let Some(local) = record.meta.local_id.clone() else {
            return Err(EditError::NotFound(record.meta.key.clone()));
        };
        let by = Source {
            id: "local".into(),
            origin: format!("api:{}", who.name),
            run: None,
            comment,
        };
        let behind = self.index.behind()?;
        self.store.withdraw(&local, &by)?;
        self.index
            .refresh(self.store, std::slice::from_ref(&local))?;
        behind.caught_up();
        self.audit.audit(who, &format!("delete {}", local.as_str()));
        Ok(())
    }
}
