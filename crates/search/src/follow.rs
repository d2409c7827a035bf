//! The index's promise to follow the store, kept by every writer (the CLI's import, harvest and
//! remove, and in a server the write API, the editor, pushes and scheduled harvests, all through
//! `healthcat-ingest`): a write marks the index *behind* ([`SearchIndex::behind`]) before it
//! touches the store and says [`Behind::caught_up`] once the index has the change. The mark is a
//! file in the index folder (`PENDING`), there while any write is in flight or any write failed
//! to bring the index along. A process killed in between leaves it, and the next
//! [`SearchIndex::open_following`] reconciles the index with the store: every record whose content
//! hash differs from the index's (or that the index lacks) is re-indexed, every indexed record the
//! store no longer has is removed. The store is the truth; the index is rebuilt from it, never the
//! other way.
//!
//! **In step.** Counting a million records at start-up reads the whole bookkeeping (minutes on a
//! freshly loaded store), so the index keeps a second file beside the mark, `IN_STEP`: the
//! store's change-feed head and the number of indexed records, written when the last write in
//! flight has caught up and nothing was lost, and when the index has just been brought to the
//! store. Every record write moves the feed head ([`healthcat_store::FeedEvent`]), so an index
//! opened without the mark, whose `IN_STEP` names the store's head and its own length, has every
//! write: it is not counted against the store. Only for a store this process alone writes (the
//! embedded one); on a shared remote store other servers move the head.

use crate::sync::{BATCH, read_documents};
use crate::{SearchError, SearchIndex, SearchSettings};
use healthcat_model::LocalId;
use healthcat_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// The mark's file name in the index folder.
const MARK: &str = "PENDING";

/// The file that says the index had every write up to a feed head (see the module doc).
const IN_STEP: &str = "IN_STEP";

/// The writes in flight on one index, and whether one of them left it behind.
#[derive(Default)]
pub(crate) struct Following {
    dir: Option<PathBuf>,
    /// The store, when this process alone writes it: whose head `IN_STEP` records.
    store: Option<Store>,
    /// Held while the count of writers and the files that follow it change together; holds the
    /// feed head the index was last known to have every write of (a store only this process
    /// writes: see [`SearchIndex::in_step_at`]).
    files: Mutex<Option<u64>>,
    writers: AtomicUsize,
    lost: AtomicBool,
    /// On a store other processes write to: the last change-feed number seen in the store, and
    /// the last one whose record this index has (see [`SearchIndex::follow_changes`]).
    feed_seen: AtomicU64,
    feed_indexed: AtomicU64,
}

impl std::fmt::Debug for Following {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Following")
            .field("dir", &self.dir)
            .field("writers", &self.writers)
            .field("lost", &self.lost)
            .finish_non_exhaustive()
    }
}

impl Following {
    pub(crate) fn on_disk(dir: &Path) -> Self {
        Self {
            dir: Some(dir.to_owned()),
            ..Self::default()
        }
    }

    fn turn(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What `IN_STEP` says: the store's feed head and the records indexed then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct InStep {
    head: u64,
    indexed: u64,
}

impl InStep {
    fn read(dir: &Path) -> Option<InStep> {
        let text = std::fs::read_to_string(dir.join(IN_STEP)).ok()?;
        let mut words = text.split_whitespace();
        let head = words.next()?.parse().ok()?;
        let indexed = words.next()?.parse().ok()?;
        Some(InStep { head, indexed })
    }

    /// Written whole or not at all (a new file renamed over the old one); when it cannot be,
    /// the old one goes (the next open counts the records instead).
    fn write(self, dir: &Path) {
        let tmp = dir.join(format!("{IN_STEP}.new"));
        let written = std::fs::write(&tmp, format!("{} {}\n", self.head, self.indexed))
            .and_then(|()| std::fs::rename(&tmp, dir.join(IN_STEP)));
        if let Err(e) = written {
            tracing::warn!(error = %e, "the index could not note that it is in step with the store; the next start counts the records");
            let _ = std::fs::remove_file(dir.join(IN_STEP));
        }
    }
}

/// Marks the index of the data folder `dir` behind its store, without opening it (a writer that
/// could not open the index still writes the store: the next open catches up).
pub fn mark_behind(dir: &Path) -> Result<(), SearchError> {
    let io = |source| SearchError::Io {
        path: dir.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    std::fs::write(dir.join(MARK), b"").map_err(io)
}

/// A write in flight: the index is marked behind until [`Behind::caught_up`]. Dropped without
/// it (the write or the index update failed), the mark stays until the next reconciliation.
#[must_use = "say caught_up() once the index has the change"]
pub struct Behind<'a> {
    index: &'a SearchIndex,
    done: bool,
}

impl Behind<'_> {
    /// The index has the change: the mark goes once no other write is in flight (and none
    /// failed).
    pub fn caught_up(mut self) {
        self.done = true;
    }
}

impl Drop for Behind<'_> {
    fn drop(&mut self) {
        let f = &self.index.following;
        if !self.done {
            f.lost.store(true, Ordering::SeqCst);
        }
        let mut turn = f.turn();
        if f.writers.fetch_sub(1, Ordering::SeqCst) == 1 && !f.lost.load(Ordering::SeqCst) {
            // No write in flight, none lost: the index has every change up to the head. Noted
            // before the mark goes, so a stop in between leaves the mark.
            let head = f.store.as_ref().map(Store::feed_head);
            *turn = head;
            if let Some(dir) = &f.dir {
                if let Some(head) = head {
                    InStep {
                        head,
                        indexed: self.index.len(),
                    }
                    .write(dir);
                }
                let _ = std::fs::remove_file(dir.join(MARK));
            }
        }
    }
}

/// What opening the index had to do to catch up with the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaughtUp {
    /// Records indexed again (changed, or missing from the index).
    pub indexed: u64,
    /// Records removed from the index (the store no longer has them).
    pub removed: u64,
}

impl SearchIndex {
    /// Marks the index behind the store for the write about to happen (see the module doc).
    pub fn behind(&self) -> Result<Behind<'_>, SearchError> {
        let f = &self.following;
        let mut turn = f.turn();
        *turn = None;
        if f.writers.fetch_add(1, Ordering::SeqCst) == 0
            && let Some(dir) = &f.dir
            && let Err(e) = mark_behind(dir)
        {
            f.writers.fetch_sub(1, Ordering::SeqCst);
            return Err(e);
        }
        Ok(Behind {
            index: self,
            done: false,
        })
    }

    /// Opens the index in `dir` and brings it to the store's state if a write was interrupted
    /// (the mark is there) or the record counts disagree. `progress(done, total)` is told how
    /// far a long catch-up is.
    pub fn open_following(
        dir: &Path,
        store: &Store,
        settings: SearchSettings,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(Self, CaughtUp), SearchError> {
        // The index is a projection of the store: one whose fields another healthcat version
        // wrote is set aside and rebuilt from the store, not refused.
        let mut index = match Self::open(dir) {
            Err(SearchError::Outdated { .. }) => {
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::Io {
                    path: dir.display().to_string(),
                    source: e,
                })?;
                Self::open(dir)?
            }
            other => other?,
        }
        .with_settings(settings);
        let alone = store.remote_config().is_none();
        if alone {
            index.following.store = Some(store.clone());
        }
        let marked = dir.join(MARK).exists();
        let head = store.feed_head();
        let in_step = alone
            && !marked
            && InStep::read(dir)
                == Some(InStep {
                    head,
                    indexed: index.len(),
                });
        let mut caught = CaughtUp::default();
        if !in_step {
            let stored = store.unit_counts().map_err(SearchError::store)?.records();
            if marked || index.len() != stored {
                caught = index.reconcile(store, progress)?;
            }
            if alone {
                InStep {
                    head,
                    indexed: index.len(),
                }
                .write(dir);
            }
            let _ = std::fs::remove_file(dir.join(MARK));
        }
        if alone {
            *index.following.turn() = Some(head);
        }
        Ok((index, caught))
    }

    /// The store's change-feed head up to which this index has every write, when it knows one:
    /// on a store only this process writes, since the index was opened or the last write in
    /// flight caught up (`None` while a write is in flight, after one was lost, and on a shared
    /// store). Equal to [`Store::feed_head`], the index holds exactly the store's records: a
    /// readiness probe need not count them.
    pub fn in_step_at(&self) -> Option<u64> {
        let f = &self.following;
        if f.lost.load(Ordering::SeqCst) {
            return None;
        }
        *f.turn()
    }

    /// Whether the index may be behind the store: writes in flight (`writers`), and whether one
    /// failed to reach the index since it was opened (`lost`: caught up only by a reconcile,
    /// at the next start or `healthcat reindex`). What `/readyz` and `/metrics` report.
    pub fn lag(&self) -> Lag {
        let f = &self.following;
        Lag {
            writers: f.writers.load(Ordering::SeqCst),
            lost: f.lost.load(Ordering::SeqCst),
            changes_behind: f
                .feed_seen
                .load(Ordering::SeqCst)
                .saturating_sub(f.feed_indexed.load(Ordering::SeqCst)),
        }
    }

    /// Starts following the store's change feed from `head` (the index holds every change up
    /// to it: it was just opened and reconciled with the store).
    pub fn following_from(&self, head: u64) {
        self.following.feed_seen.store(head, Ordering::SeqCst);
        self.following.feed_indexed.store(head, Ordering::SeqCst);
    }

    /// Brings the index along the changes other processes wrote to a shared store (serving
    /// replicas on one remote store): reads the store's change feed after the last number
    /// followed, re-indexes the records named there, and returns how many changes it read.
    /// When the feed no longer holds them all (its retention removed some), the index is
    /// reconciled with the store as a whole instead. Errors leave the position where it was:
    /// the next call tries again.
    pub fn follow_changes(&self, store: &Store) -> Result<u64, SearchError> {
        let f = &self.following;
        let head = store.sync_with_store().map_err(SearchError::store)?;
        f.feed_seen.fetch_max(head, Ordering::SeqCst);
        let mut after = f.feed_indexed.load(Ordering::SeqCst);
        let mut read = 0;
        while after < head {
            let events = match store.changes(after, healthcat_store::MAX_FEED_PAGE) {
                Ok(events) => events,
                Err(healthcat_store::StoreError::FeedGone { .. }) => {
                    self.reconcile(store, &mut |_, _| {})?;
                    f.feed_indexed.fetch_max(head, Ordering::SeqCst);
                    return Ok(head - after);
                }
                Err(e) => return Err(SearchError::store(e)),
            };
            let Some(last) = events.last().map(|e| e.seq) else {
                break;
            };
            let mut ids: Vec<LocalId> = events
                .iter()
                .filter_map(|e| LocalId::new(&e.id).ok())
                .collect();
            ids.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
            ids.dedup();
            self.refresh(store, &ids)?;
            read += last - after;
            after = last;
            f.feed_indexed.fetch_max(after, Ordering::SeqCst);
        }
        Ok(read)
    }

    /// Where the index and the store disagree, without changing anything: what `healthcat
    /// verify` reports and [`SearchIndex::reconcile`] repairs.
    pub fn disagreement(&self, store: &Store) -> Result<Disagreement, SearchError> {
        let stored = store.record_hashes().map_err(SearchError::store)?;
        let mut indexed = self.hashes()?;
        let stale: Vec<LocalId> = stored
            .iter()
            .filter(|(id, hash)| indexed.remove(id.as_str()).as_deref() != Some(hash.as_str()))
            .map(|(id, _)| id.clone())
            .collect();
        // What is left in `indexed` is no longer in the store.
        let mut gone: Vec<String> = indexed.into_keys().collect();
        gone.sort_unstable();
        Ok(Disagreement { stale, gone })
    }

    /// Brings the index to the store's state: every record whose content hash differs from the
    /// index's (or that the index lacks) is indexed again, every indexed record the store no
    /// longer has is removed.
    pub fn reconcile(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<CaughtUp, SearchError> {
        let Disagreement { stale, gone } = self.disagreement(store)?;
        let total = stale.len() as u64;
        let mut done = 0;
        for chunk in stale.chunks(BATCH) {
            self.upsert(&read_documents(store, chunk)?)?;
            done += chunk.len() as u64;
            progress(done, total);
        }
        self.delete(&gone)?;
        self.commit()?;
        Ok(CaughtUp {
            indexed: total,
            removed: gone.len() as u64,
        })
    }
}

/// Writes not yet in the index ([`SearchIndex::lag`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lag {
    /// Writes in flight (stored or being stored, not yet indexed).
    pub writers: usize,
    /// A write failed to reach the index since it was opened.
    pub lost: bool,
    /// Changes other processes wrote to a shared store that this index does not have yet
    /// ([`SearchIndex::follow_changes`]; always 0 on a store only this process writes).
    pub changes_behind: u64,
}

/// Where the index and the store disagree ([`SearchIndex::disagreement`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disagreement {
    /// Records the index lacks or holds at another content hash than the store's.
    pub stale: Vec<LocalId>,
    /// Records the index holds and the store no longer has.
    pub gone: Vec<String>,
}

impl Disagreement {
    /// True when the index is the store's projection.
    pub fn is_none(&self) -> bool {
        self.stale.is_empty() && self.gone.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_stays_while_a_write_is_in_flight_or_failed() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mark = dir.path().join(MARK);
        let a = index.behind().unwrap();
        let b = index.behind().unwrap();
        assert!(mark.exists());
        a.caught_up();
        assert!(mark.exists(), "b is still in flight");
        b.caught_up();
        assert!(!mark.exists(), "both caught up");
        let failed = index.behind().unwrap();
        drop(failed);
        let c = index.behind().unwrap();
        c.caught_up();
        assert!(
            mark.exists(),
            "a failed write leaves the index behind until reconciled"
        );
    }

    /// A document of dataset `n` titled `title`, split into its units.
    fn record(n: u32, title: &str) -> (healthcat_store::DocGraph, Vec<healthcat_store::Unit>) {
        let ttl = format!(
            r#"<https://example.org/ds/{n}> a <http://www.w3.org/ns/dcat#Dataset> ;
            <http://purl.org/dc/terms/title> "{title}"@fr ."#
        );
        let doc = healthcat_store::parse_document(
            ttl.as_bytes(),
            healthcat_store::Format::Turtle,
            "t.ttl",
            &Default::default(),
        )
        .unwrap();
        let units = healthcat_store::split(&doc.graph).unwrap();
        (doc.graph, units)
    }

    fn one_record() -> (healthcat_store::DocGraph, Vec<healthcat_store::Unit>) {
        record(1, "Registre")
    }

    #[test]
    fn an_index_another_version_wrote_is_rebuilt_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        // An index with other fields than this version's.
        {
            let mut b = tantivy::schema::Schema::builder();
            b.add_text_field("something_else", tantivy::schema::STORED);
            let directory = tantivy::directory::MmapDirectory::open(dir.path()).unwrap();
            tantivy::Index::open_or_create(directory, b.build()).unwrap();
        }
        assert!(matches!(
            SearchIndex::open(dir.path()),
            Err(SearchError::Outdated { .. })
        ));
        let store = Store::in_memory().unwrap();
        let (doc, units) = one_record();
        store
            .import_units(&doc, &units, &healthcat_store::Source::local_file("t"))
            .unwrap();
        let (index, caught) =
            SearchIndex::open_following(dir.path(), &store, Default::default(), &mut |_, _| {})
                .unwrap();
        assert_eq!((index.len(), caught.indexed), (1, 1));
    }

    #[test]
    fn opening_catches_up_after_an_interrupted_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::in_memory().unwrap();
        let (doc, units) = one_record();
        {
            let index = SearchIndex::open(dir.path()).unwrap();
            let behind = index.behind().unwrap();
            store
                .import_units(&doc, &units, &healthcat_store::Source::local_file("t"))
                .unwrap();
            // Killed here: the store has the record, the index does not.
            std::mem::forget(behind);
        }
        let mut seen = Vec::new();
        let (index, caught) = SearchIndex::open_following(
            dir.path(),
            &store,
            SearchSettings::default(),
            &mut |d, t| seen.push((d, t)),
        )
        .unwrap();
        assert_eq!(
            caught,
            CaughtUp {
                indexed: 1,
                removed: 0
            }
        );
        assert_eq!(index.len(), 1);
        assert_eq!(seen, vec![(1, 1)]);
        assert!(!dir.path().join(MARK).exists());
    }

    #[test]
    fn an_index_notes_the_head_it_is_in_step_with_and_a_store_written_behind_its_back_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::in_memory().unwrap();
        let source = healthcat_store::Source::local_file("t");
        let (doc, units) = one_record();
        store.import_units(&doc, &units, &source).unwrap();
        let head = store.feed_head();
        assert!(head > 0);
        {
            let (index, caught) =
                SearchIndex::open_following(dir.path(), &store, Default::default(), &mut |_, _| {})
                    .unwrap();
            assert_eq!(caught.indexed, 1);
            // Brought to the store: noted.
            assert_eq!(InStep::read(dir.path()), Some(InStep { head, indexed: 1 }));
            assert_eq!(index.in_step_at(), Some(head));
            // A write through the index: unknown while in flight, noted once caught up.
            let behind = index.behind().unwrap();
            assert_eq!(index.in_step_at(), None);
            let (doc2, units2) = record(2, "Cohorte");
            store.import_units(&doc2, &units2, &source).unwrap();
            index.refresh(&store, &store.local_ids().unwrap()).unwrap();
            behind.caught_up();
            let now = store.feed_head();
            assert!(now > head);
            assert_eq!(index.in_step_at(), Some(now));
            assert_eq!(
                InStep::read(dir.path()),
                Some(InStep {
                    head: now,
                    indexed: 2
                })
            );
        }
        // Reopened in step: nothing to catch up.
        {
            let (index, caught) =
                SearchIndex::open_following(dir.path(), &store, Default::default(), &mut |_, _| {})
                    .unwrap();
            assert_eq!((index.len(), caught), (2, CaughtUp::default()));
        }
        // A record withdrawn behind the index's back (no mark): the head moved, so the next
        // open counts, finds one record too many in the index and removes it.
        let gone = store.local_ids().unwrap()[0].clone();
        assert!(store.withdraw(&gone, &source).unwrap());
        let (index, caught) =
            SearchIndex::open_following(dir.path(), &store, Default::default(), &mut |_, _| {})
                .unwrap();
        assert_eq!((index.len(), caught.removed), (1, 1));
        assert_eq!(index.in_step_at(), Some(store.feed_head()));
        drop(index);
        // A note that does not match the index it sits in (the index lost documents since) is
        // not trusted either.
        InStep {
            head: store.feed_head(),
            indexed: 7,
        }
        .write(dir.path());
        let (index, _) =
            SearchIndex::open_following(dir.path(), &store, Default::default(), &mut |_, _| {})
                .unwrap();
        assert_eq!(
            InStep::read(dir.path()),
            Some(InStep {
                head: store.feed_head(),
                indexed: 1
            })
        );
        assert_eq!(index.len(), 1);
    }
}
