//! The streamed import: a file read part by part ([`healthcat_store::StreamSplit`]), each part
//! validated and assessed like a document, and everything stored in one atomic step at the end
//! ([`healthcat_store::BulkImport`]). Reading the next part overlaps with checking the last one.
//!
//! With a search index, each part's added records are indexed from memory as they are planned
//! ([`healthcat_search::Staging`]) and published right after the store's commit: reading a million
//! records back from a freshly bulk-loaded store took longer than loading them.
//!
//! A large load is then compacted ([`healthcat_store::Committed::compaction_due`]), after the index
//! is published: the records are searchable meanwhile, and a process killed while it runs leaves
//! both the store and the index whole.

use crate::{Ingest, IngestError, Outcome, Stewardship};
use healthcat_model::vocab::foaf;
use healthcat_search::SearchDoc;
use healthcat_store::{DocGraph, ParseError, Part, Source, Store, StoreError, StreamSplit, Unit};
use oxrdf::NamedOrBlankNodeRef;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::{Duration, Instant};

/// How far a streamed import has gone, as told to [`Ingest::stream`]'s caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// This many parts were checked and handed to the store so far.
    Parts(usize),
    /// Everything is stored and indexed; the store is being compacted, since the load left it
    /// this many sorted runs to merge (reads are slow until it ends).
    Compacting(usize),
    /// The compaction ended, after this long.
    Compacted(Duration),
}

impl Ingest<'_> {
    /// Validates, stores and indexes a file read part by part, as coming from `source`: the same
    /// records, verdicts and assessments as [`Ingest::document`] on the whole file, stored whole
    /// or not at all. `progress` is told how many parts were checked so far, and when the store is
    /// compacted after a large load ([`Progress`]).
    ///
    /// Fails with [`IngestError::Stream`] when the file is not grouped by record, and with
    /// [`healthcat_store::StoreError::WouldReplace`] when it changes stored records; nothing is
    /// stored then, and [`IngestError::read_whole`] says so: the caller imports the file whole.
    pub fn stream<I>(
        &self,
        split: &mut StreamSplit<I>,
        source: &Source,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Outcome, IngestError>
    where
        I: Iterator<Item = Result<oxrdf::Triple, ParseError>>,
    {
        if self.all_or_nothing
            || self.leave_others
            || self.origins.is_some()
            || self.stewardship != Stewardship::Any
        {
            return Err(IngestError::Unsupported(
                "a streamed import stores a file as its administrator does: without stewardship, \
                 origins, all-or-nothing or leaving other sources' records",
            ));
        }
        let (parts, received) = sync_channel::<Option<Part>>(1);
        std::thread::scope(|scope| {
            let worker = scope.spawn(|| self.store_parts(received, source, progress));
            let mut read = Ok(());
            loop {
                match split.next_part() {
                    // A closed channel: the worker stopped, with its error.
                    Ok(Some(part)) => {
                        if parts.send(Some(part)).is_err() {
                            break;
                        }
                    }
                    Ok(None) => {
                        let _ = parts.send(None);
                        break;
                    }
                    Err(e) => {
                        read = Err(IngestError::Stream(e));
                        break;
                    }
                }
            }
            drop(parts);
            let stored = worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            read?;
            match stored {
                Err(IngestError::NoRecords { .. }) => Err(IngestError::NoRecords {
                    triples: usize::try_from(split.statements_read()).unwrap_or(usize::MAX),
                }),
                other => other,
            }
        })
    }

    /// The worker's side of [`Ingest::stream`]: checks and plans each part, then commits once
    /// the end is received (a closed channel without it stores nothing).
    fn store_parts(
        &self,
        received: Receiver<Option<Part>>,
        source: &Source,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Outcome, IngestError> {
        let mut bulk = self.store.bulk_import(source);
        if !self.record_lines {
            bulk = bulk.without_record_lines();
        }
        let staging = self.index.map(|i| i.staging());
        let mut names = SharedNames::new(self.store, &source.id);
        let mut outcome = Outcome::default();
        let mut records = 0usize;
        let mut done = 0usize;
        loop {
            let Ok(message) = received.recv() else {
                return Err(IngestError::Unsupported("the file stopped being read"));
            };
            let Some(part) = message else { break };
            records += part.units.iter().filter(|u| u.is_record()).count();
            let units = if self.profile.is_some() || self.assessor.is_some() {
                self.check(
                    &part.doc,
                    part.units,
                    &part.context,
                    part.linked,
                    &mut outcome,
                )?
            } else {
                part.units
            };
            let added = bulk.add(&part.doc, &units, staging.is_some())?;
            if let Some(staging) = &staging {
                names.learn(&part.doc, &units);
                let mut docs = Vec::with_capacity(added.len());
                for record in &added {
                    docs.extend(names.document(record)?);
                }
                // Records new to the store, each added once.
                staging.add(&docs).map_err(index_error)?;
            }
            done += 1;
            progress(Progress::Parts(done));
        }
        if records == 0 {
            return Err(IngestError::NoRecords { triples: 0 });
        }
        let behind = crate::mark_behind(self.index)?;
        let committed = bulk.commit()?;
        outcome.report = committed.report;
        if let (Some(staging), Some(behind)) = (staging, behind) {
            staging.commit().map_err(index_error)?;
            behind.caught_up();
        }
        if let Some(runs) = committed.compaction_due {
            progress(Progress::Compacting(runs));
            let started = Instant::now();
            // Stored and indexed already: a store left uncompacted is slower, not wrong.
            match self.store.compact() {
                Ok(()) => progress(Progress::Compacted(started.elapsed())),
                Err(e) => outcome.report.warnings.push(format!(
                    "the store was not compacted after the load ({e}): reads stay slow until \
                     RocksDB has merged the load's files in the background"
                )),
            }
        }
        Ok(outcome)
    }
}

fn index_error(e: healthcat_search::SearchError) -> IngestError {
    IngestError::Index(e.to_string())
}

/// A resource's `foaf:name`s, as (language, name).
type Names = Vec<(String, String)>;

/// The names of shared publishers as [`Store::names_of`] will give them once the import is
/// committed: a bulk import only adds, so a publisher this import describes is named as this
/// import says (when it gives names), and any other as the store says now.
///
/// A publisher's description always comes before, or in the same part as, the first record that
/// names it: the splitter refuses a file that describes a node "far after the record that names
/// it" ([`StreamSplit`]). So a record is never indexed with names this import later changes.
struct SharedNames<'s> {
    store: &'s Store,
    source: &'s str,
    /// `foaf:name`s of the shared resources this import described so far.
    described: HashMap<String, Names>,
    /// Names read from the store, once per resource.
    read: HashMap<String, Names>,
}

impl<'s> SharedNames<'s> {
    fn new(store: &'s Store, source: &'s str) -> Self {
        SharedNames {
            store,
            source,
            described: HashMap::new(),
            read: HashMap::new(),
        }
    }

    /// Notes the names the shared resources among `units` give themselves.
    fn learn(&mut self, doc: &DocGraph, units: &[Unit]) {
        for unit in units.iter().filter(|u| !u.is_record()) {
            let Some(oxrdf::NamedOrBlankNode::NamedNode(root)) = &unit.root else {
                continue;
            };
            let names: Names = unit
                .triples(doc)
                .filter(|t| {
                    t.predicate == foaf::NAME
                        && t.subject == NamedOrBlankNodeRef::NamedNode(root.as_ref())
                })
                .filter_map(|t| healthcat_store::name_pair(t.object))
                .collect();
            if !names.is_empty() {
                self.described.insert(root.as_str().to_owned(), names);
            }
        }
    }

    /// The index document of an added record.
    fn document(
        &mut self,
        record: &healthcat_store::StoredRecord,
    ) -> Result<Option<SearchDoc>, StoreError> {
        SearchDoc::of_record(record, &mut |iri| {
            if let Some(names) = self.described.get(iri) {
                return Ok(names.clone());
            }
            if let Some(names) = self.read.get(iri) {
                return Ok(names.clone());
            }
            let names = self.store.names_of(iri, self.source)?;
            self.read.insert(iri.to_owned(), names.clone());
            Ok(names)
        })
    }
}
