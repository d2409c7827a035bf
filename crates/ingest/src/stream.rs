//! The streamed import: a file read part by part ([`healthcat_store::StreamSplit`]), each part
//! validated and assessed like a document, and everything stored in one atomic step at the end
//! ([`healthcat_store::BulkImport`]). Reading the next part overlaps with checking the last one.

use crate::{Ingest, IngestError, Outcome, Stewardship};
use healthcat_store::{ParseError, Part, Source, StreamSplit};
use std::sync::mpsc::{Receiver, sync_channel};

impl Ingest<'_> {
    /// Validates, stores and indexes a file read part by part, as coming from `source`: the same
    /// records, verdicts and assessments as [`Ingest::document`] on the whole file, stored whole
    /// or not at all. `on_part` is told how many parts were checked so far.
    ///
    /// Fails with [`IngestError::Stream`] when the file is not grouped by record, and with
    /// [`healthcat_store::StoreError::WouldReplace`] when it changes stored records; nothing is
    /// stored then, and [`IngestError::read_whole`] says so: the caller imports the file whole.
    pub fn stream<I>(
        &self,
        split: &mut StreamSplit<I>,
        source: &Source,
        on_part: &(dyn Fn(usize) + Sync),
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
            let worker = scope.spawn(|| self.store_parts(received, source, on_part));
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
        on_part: &(dyn Fn(usize) + Sync),
    ) -> Result<Outcome, IngestError> {
        let mut bulk = self.store.bulk_import(source);
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
            bulk.add(&part.doc, &units)?;
            done += 1;
            on_part(done);
        }
        if records == 0 {
            return Err(IngestError::NoRecords { triples: 0 });
        }
        let behind = crate::mark_behind(self.index)?;
        outcome.report = bulk.commit()?;
        crate::follow(self.index, behind, self.store, &outcome.changed())?;
        Ok(outcome)
    }
}
