//! A streamed import's write: parts planned one after another, stored in one atomic step.
//!
//! Oxigraph's bulk loader sorts what it is given into files on disk, batch by batch, and ingests
//! them all into RocksDB at [`BulkImport::commit`] in one atomic step: until then nothing is
//! visible, and a process killed before it leaves the store as it was (the files are temporary).
//! So a file of any size is stored whole or not at all, with memory bounded by the batches.
//!
//! Each part handed to the loader becomes at least one sorted run of its own, and the runs overlap
//! (records' keys are spread over the whole key space): RocksDB then looks into every run on each
//! read until its background compaction has merged them. A million datasets left 6,323 files, and
//! a dataset page took seconds while they were merged. A commit of [`COMPACT_AFTER_RUNS`] runs or
//! more says so ([`Committed::compaction_due`]), and the caller compacts ([`Store::compact`]) once
//! whatever must follow the commit at once (the search index) is done.
//!
//! The loader only adds. A part that would replace a stored unit (other content, other
//! membership) stops the import with [`StoreError::WouldReplace`] before anything is stored; the
//! caller then imports the file whole, in one transaction, as before.

use crate::doc::DocGraph;
use crate::error::StoreError;
use crate::feed::head_quad;
use crate::import::{ImportReport, Outcome, PlanState, added_quads, count, feed_numbers, new_meta};
use crate::meta::Source;
use crate::split::Unit;
use crate::store::{Store, StoredRecord};

/// Memory the loader may use for its sorted batches. Larger batches make fewer, larger files for
/// RocksDB to ingest and compact: at 10,000 datasets a streamed import took 12.6–13.5 s with 64 MB
/// (the whole-file import's budget, where the parsed file is held too), 11.1–11.2 s with 256 MB
/// (peak 423–427 MB against 331–354 MB) and 10.7–10.9 s with 512 MB (438–470 MB).
const STREAM_LOAD_MEMORY_MB: usize = 256;

/// Sorted runs from which a committed bulk load is worth compacting at once: about 100 files over
/// Oxigraph's indexes, some 18,000 datasets of the demo generator. A judgement, not a measured
/// edge: RocksDB merges a few overlapping files in the background without readers noticing, and
/// at 86 runs (100,000 datasets) pages were six to eight times slower until it had merged them.
pub const COMPACT_AFTER_RUNS: usize = 16;

/// What [`BulkImport::commit`] stored.
#[derive(Debug)]
pub struct Committed {
    /// The records, catalogues and resources, as [`Store::import`] reports them.
    pub report: ImportReport,
    /// The sorted runs the load handed RocksDB when they are [`COMPACT_AFTER_RUNS`] or more:
    /// call [`Store::compact`] (reads are slow until the runs are merged); `None` otherwise, and
    /// always on a remote store.
    pub compaction_due: Option<usize>,
}

/// An import in progress; see the module documentation.
pub struct BulkImport<'s> {
    store: &'s Store,
    _turn: std::sync::MutexGuard<'s, ()>,
    /// On disk: the loader, fed part by part. In memory, where the loader would lock the store
    /// until committed, the quads are kept and loaded at the end.
    loader: Option<crate::engine::Loader<'s>>,
    kept: Vec<oxigraph::model::Quad>,
    source: Source,
    now: String,
    state: PlanState,
    /// The first change-feed number this import may take, and the last it took.
    first: u64,
    seq: u64,
    added: bool,
    /// Sorted runs handed to the loader so far (one per part at least; see the module doc).
    runs: usize,
    /// Whether the report lists each record ([`BulkImport::without_record_lines`]).
    lines: bool,
    report: ImportReport,
}

impl Store {
    /// Starts a streamed import from `source`. Other writes of this process wait until it is
    /// committed or dropped.
    pub fn bulk_import(&self, source: &Source) -> BulkImport<'_> {
        let turn = self.write_turn();
        BulkImport {
            store: self,
            _turn: turn,
            loader: (!self.in_memory).then(|| self.loader()),
            kept: Vec::new(),
            source: source.clone(),
            now: jiff::Timestamp::now().to_string(),
            state: PlanState::default(),
            first: self.feed_next(),
            seq: self.feed_next() - 1,
            added: false,
            runs: 0,
            lines: true,
            report: ImportReport::default(),
        }
    }

    fn loader(&self) -> crate::engine::Loader<'_> {
        self.db
            .bulk_loader()
            .with_max_memory_size_in_megabytes(STREAM_LOAD_MEMORY_MB)
    }
}

/// The quads Oxigraph's loader sorts into one run: each call's quads are cut into batches of
/// its memory budget (in thousands of quads) shared among its threads, one per core.
fn loader_batch_quads() -> usize {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    (STREAM_LOAD_MEMORY_MB * 1000 / threads).max(1)
}

impl BulkImport<'_> {
    /// Reports tallies only: [`ImportReport::records`] stays empty. A line per record is about
    /// 250 bytes held until the end: 250 MB for a million records nobody will read one by one.
    pub fn without_record_lines(mut self) -> Self {
        self.lines = false;
        self
    }

    /// Plans `units` (split from `doc`) and hands what they add to the loader. Units stored with
    /// the same content are left alone; a unit that would replace a stored one stops the import
    /// ([`StoreError::WouldReplace`]).
    ///
    /// With `records`, the records it adds are returned as [`Store::get`] will read them once
    /// committed (bookkeeping and graph), so that the search index can be written from memory
    /// rather than from reading a million records back.
    pub fn add(
        &mut self,
        doc: &DocGraph,
        units: &[Unit],
        records: bool,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let mut report = ImportReport::default();
        let plan = self
            .store
            .plan(doc, units, &self.source, &mut report, &mut self.state)?;
        if let Some(p) = plan.iter().find(|p| p.outcome == Outcome::Updated) {
            return Err(StoreError::WouldReplace(p.unit.label()));
        }
        let mut added = Vec::new();
        if plan.iter().any(|p| p.outcome == Outcome::Added) {
            let seqs = feed_numbers(&plan, &mut self.seq);
            let quads = added_quads(doc, &plan, seqs, &self.source, &self.now);
            if records {
                added = plan
                    .iter()
                    .filter(|p| p.outcome == Outcome::Added && p.unit.is_record())
                    .map(|p| StoredRecord {
                        meta: new_meta(p, &self.source, &self.now),
                        graph: p.unit.triples(doc).collect(),
                    })
                    .collect();
            }
            match &mut self.loader {
                Some(loader) => {
                    let mut n = 0usize;
                    loader.load_quads(quads.inspect(|_| n += 1))?;
                    self.runs += n.div_ceil(loader_batch_quads());
                }
                None => self.kept.extend(quads),
            }
            self.added = true;
        }
        count(&mut report, &plan);
        let r = &mut self.report;
        if self.lines {
            r.records.append(&mut report.records);
        }
        r.warnings.append(&mut report.warnings);
        for (sum, part) in [
            (&mut r.record_tally, report.record_tally),
            (&mut r.catalogs, report.catalogs),
            (&mut r.resources, report.resources),
        ] {
            sum.added += part.added;
            sum.updated += part.updated;
            sum.unchanged += part.unchanged;
        }
        Ok(added)
    }

    /// Stores everything added, in one atomic step, and returns the report (records in key order)
    /// and whether the store should be compacted now.
    pub fn commit(mut self) -> Result<Committed, StoreError> {
        if self.added {
            let head = std::iter::once(head_quad(self.seq));
            let mut loader = match self.loader.take() {
                Some(loader) => loader,
                None => self.store.loader(),
            };
            loader.load_quads(std::mem::take(&mut self.kept).into_iter().chain(head))?;
            // Before and after: the id list is read again from the store.
            self.store.changed();
            loader.commit()?;
            self.store.feed_committed(self.seq);
            self.store.settle_feed(self.first, self.seq, &self.now);
            self.store.changed();
        }
        self.report.records.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Committed {
            report: self.report,
            // A remote store's files are its own (and an in-memory one has none).
            compaction_due: (self.runs >= COMPACT_AFTER_RUNS
                && self.store.remote_config().is_none())
            .then_some(self.runs),
        })
    }
}

impl Store {
    /// Merges the store's files into one sorted run per index, as RocksDB's background
    /// compaction eventually would, while the caller waits: after a large bulk load
    /// ([`Committed::compaction_due`]), reads are then as fast as on a store written over time.
    /// Minutes at a million datasets, and it needs free disk about the size of the store while
    /// it runs. Nothing stored changes; a process killed meanwhile leaves the store as it was.
    /// An in-memory or remote store has nothing to do.
    pub fn compact(&self) -> Result<(), StoreError> {
        if self.in_memory {
            return Ok(());
        }
        Ok(self.db.compact()?)
    }
}
