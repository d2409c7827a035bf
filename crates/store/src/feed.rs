//! The change feed: every creation, change and withdrawal of a record, numbered.
//!
//! Each revision of a record (see [`crate::revisions`]) is also an *event* with a sequence number,
//! written in the same atomic step (the bulk load or the transaction) into the internal graph
//! [`FEED_GRAPH`]. Numbers are handed out under the store's write turn and counted as used only
//! once the write is committed, so they are never reused and have no gaps; the highest one is
//! kept beside the events (`hc:feedHead`) and read back when the store opens. On a remote store
//! several servers write, and the write turn does not reach across them: two writes at the same
//! instant can take the same number, so each write checks its numbers once committed and moves
//! its events that share one ([`Store::settle_feed`]). Numbers are then never given twice, but one
//! may be skipped.
//!
//! Events are grouped 1,024 to a subject (`urn:healthcat:feed:{seq / 1024}`, one literal each),
//! so that reading from any point is a few lookups, whatever the feed's length.
//!
//! **Retention** ([`Store::compact_feed`]): an event older than the cut-off is removed when it is
//! superseded (a later event of the same record exists) or when it is a withdrawal; the latest
//! event of a record that still exists is kept for ever, so a reader starting from 0 receives
//! every record. A reader whose position is before a removed withdrawal could miss it: the feed
//! answers it with [`StoreError::FeedGone`] (re-sync from a full export).

use crate::error::StoreError;
use crate::revisions::Change;
use crate::store::Store;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// The internal graph of the feed's events (never exported, invisible to SPARQL).
pub const FEED_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:feed");

const EVENT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#feedEvent");
const HEAD: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#feedHead");
const FLOOR: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#feedFloor");
const FEED: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:feed");
const BUCKET: u64 = 1024;

/// Most rounds a write on a remote store takes new numbers for events that share theirs with
/// another server's (see [`Store::settle_feed`]).
const SETTLE_ROUNDS: u32 = 10;

/// Most events one read returns.
pub const MAX_FEED_PAGE: usize = 1000;

/// One event of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEvent {
    /// Its number: 1, 2, 3… in the order the changes were committed.
    pub seq: u64,
    /// What happened to the record.
    pub kind: Change,
    /// When (RFC 3339); also the id of the record's revision it is.
    pub time: String,
    /// The record's local id.
    pub id: String,
    /// The record's identity key (its IRI).
    pub key: String,
    /// The record's content hash after the change (before it, for a withdrawal).
    pub hash: String,
    /// The record's source (`local`, a harvest source, `push:<provider>`).
    pub source: String,
}

/// The feed's position, shared by the clones of a store.
#[derive(Debug, Default)]
pub(crate) struct FeedState {
    /// The last number committed.
    head: AtomicU64,
    /// Events up to this number may have been removed (see the module).
    floor: AtomicU64,
}

/// What [`Store::compact_feed`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedCompaction {
    /// Events removed.
    pub removed: usize,
    /// The feed's floor afterwards.
    pub floor: u64,
}

fn bucket(seq: u64) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:healthcat:feed:{}", seq / BUCKET))
}

fn graph() -> GraphName {
    GraphName::NamedNode(FEED_GRAPH.into_owned())
}

/// The quad of an event.
pub(crate) fn event_quad(event: &FeedEvent) -> Quad {
    let json = serde_json::to_string(event).unwrap_or_default();
    Quad::new(
        bucket(event.seq),
        EVENT,
        Literal::new_simple_literal(json),
        graph(),
    )
}

/// The quad saying the last number used is `head`.
pub(crate) fn head_quad(head: u64) -> Quad {
    Quad::new(FEED.into_owned(), HEAD, Literal::from(head as i64), graph())
}

fn number(t: &Term) -> Option<u64> {
    match t {
        Term::Literal(l) => l.value().parse().ok(),
        _ => None,
    }
}

/// Writes `head` in a transaction, removing the numbers it supersedes (a bulk load only adds
/// its own: the largest wins when the store opens).
pub(crate) fn set_head(
    tx: &mut crate::engine::Transaction<'_>,
    head: u64,
) -> Result<(), StoreError> {
    let old: Vec<Quad> = tx
        .quads_for_pattern(Some(FEED.into()), Some(HEAD), None, Some(FEED_GRAPH.into()))
        .collect::<Result<_, _>>()?;
    for q in &old {
        tx.remove(q);
    }
    tx.insert(&head_quad(head));
    Ok(())
}

impl Store {
    /// Reads the feed's head and floor; a store written before the feed existed gets one
    /// creation event per record it holds (once, in local-id order).
    pub(crate) fn open_feed(&self) -> Result<(), StoreError> {
        let (head, floor) = self.read_feed_position()?;
        self.feed.floor.store(floor, Ordering::SeqCst);
        match head {
            Some(h) => self.feed.head.store(h, Ordering::SeqCst),
            None => self.backfill_feed()?,
        }
        Ok(())
    }

    /// On a store other processes write to (a remote store shared by serving replicas), reads
    /// the feed's head and floor again; when the head moved, what this process kept of the
    /// records (the id list, the shared roots, the quality figures) is read afresh at next use.
    /// Returns the head. On the embedded store, which only this process writes, nothing is read.
    pub fn sync_with_store(&self) -> Result<u64, StoreError> {
        if self.remote_config().is_none() {
            return Ok(self.feed_head());
        }
        let (head, floor) = self.read_feed_position()?;
        let head = head.unwrap_or(0);
        self.feed.floor.fetch_max(floor, Ordering::SeqCst);
        if self.feed.head.fetch_max(head, Ordering::SeqCst) < head {
            self.changed();
        }
        Ok(self.feed_head())
    }

    /// On a remote store, after a committed write whose events are numbered `first..=last` and
    /// timed `now`: gives new numbers to those of its events that share theirs with another
    /// event. Two servers writing at the same instant read the same head and take the same
    /// numbers; each checks after committing, and one that finds its number taken moves its event
    /// after the head (both may move: a number is then skipped, never given twice). An event
    /// written after this check is its own writer's to move. The write itself is done: what goes
    /// wrong here is logged, not returned. The embedded store has one writer: nothing to do.
    pub(crate) fn settle_feed(&self, first: u64, last: u64, now: &str) {
        if self.remote_config().is_none() || first == 0 || first > last {
            return;
        }
        let (mut first, mut last) = (first, last);
        for _ in 0..SETTLE_ROUNDS {
            let shared = match self.shared_numbers(first, last, now) {
                Ok(shared) if shared.is_empty() => return,
                Ok(shared) => shared,
                Err(e) => {
                    tracing::warn!(error = %e, first, last, "cannot check the change feed's numbers after a write");
                    return;
                }
            };
            // A few milliseconds, different for each server, so that two that found the same
            // number do not take the next one together again.
            let wait = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos() % 20);
            std::thread::sleep(std::time::Duration::from_millis(u64::from(wait)));
            match self.renumber(&shared) {
                Ok((from, to)) => {
                    tracing::info!(
                        events = shared.len(),
                        from,
                        to,
                        "change feed: numbers another server also took were given again"
                    );
                    (first, last) = (from, to);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot give new numbers to change-feed events another server numbered the same");
                    return;
                }
            }
        }
        tracing::warn!(
            first,
            last,
            "change-feed numbers still shared after {SETTLE_ROUNDS} rounds"
        );
    }

    /// This write's events (numbers `first..=last`, time `now`) whose number another event has.
    fn shared_numbers(
        &self,
        first: u64,
        last: u64,
        now: &str,
    ) -> Result<Vec<(FeedEvent, Quad)>, StoreError> {
        let mut by_seq: HashMap<u64, Vec<(FeedEvent, Quad)>> = HashMap::new();
        for b in first / BUCKET..=last / BUCKET {
            for (event, quad) in self.bucket_quads(b)? {
                if (first..=last).contains(&event.seq) {
                    by_seq.entry(event.seq).or_default().push((event, quad));
                }
            }
        }
        let mut mine: Vec<(FeedEvent, Quad)> = by_seq
            .into_values()
            .filter(|same| same.len() > 1)
            .flat_map(|same| same.into_iter().filter(|(e, _)| e.time == now))
            .collect();
        mine.sort_by_key(|(e, _)| e.seq);
        Ok(mine)
    }

    /// Moves `events` after the head as stored, in one transaction; the numbers they took.
    fn renumber(&self, events: &[(FeedEvent, Quad)]) -> Result<(u64, u64), StoreError> {
        let head = self.sync_with_store()?;
        let mut tx = self.db.start_transaction()?;
        let mut seq = head;
        for (event, quad) in events {
            seq += 1;
            tx.remove(quad);
            tx.insert(&event_quad(&FeedEvent {
                seq,
                ..event.clone()
            }));
        }
        set_head(&mut tx, seq)?;
        tx.commit()?;
        self.feed_committed(seq);
        Ok((head + 1, seq))
    }

    /// The head (none: a store written before the feed existed) and floor as stored.
    fn read_feed_position(&self) -> Result<(Option<u64>, u64), StoreError> {
        let head = self
            .db
            .quads_for_pattern(Some(FEED.into()), Some(HEAD), None, Some(FEED_GRAPH.into()))
            .map(|q| q.map(|q| number(&q.object).unwrap_or(0)))
            .try_fold(None::<u64>, |m, n| n.map(|n| Some(m.unwrap_or(0).max(n))))?;
        let floor = self
            .db
            .quads_for_pattern(
                Some(FEED.into()),
                Some(FLOOR),
                None,
                Some(FEED_GRAPH.into()),
            )
            .map(|q| q.map(|q| number(&q.object).unwrap_or(0)))
            .try_fold(0, |m, n| n.map(|n| m.max(n)))?;
        Ok((head, floor))
    }

    /// One creation event per stored record, for a store written before the feed existed.
    fn backfill_feed(&self) -> Result<(), StoreError> {
        let _turn = self.write_turn();
        let mut events = Vec::new();
        for id in self.local_ids()? {
            let graph = crate::import::record_graph(&id);
            let Some(meta) = self.meta(&graph)? else {
                continue;
            };
            // The record's last revision was written with its modification time: its id.
            events.push(FeedEvent {
                seq: events.len() as u64 + 1,
                kind: Change::Created,
                time: meta.modified,
                id: id.to_string(),
                key: meta.key,
                hash: meta.hash,
                source: meta.source,
            });
        }
        let head = events.len() as u64;
        let mut loader = self.db.bulk_loader();
        loader.load_quads(
            events
                .iter()
                .map(event_quad)
                .chain(std::iter::once(head_quad(head))),
        )?;
        loader.commit()?;
        self.feed.head.store(head, Ordering::SeqCst);
        Ok(())
    }

    /// The last sequence number used (0: no event yet).
    pub fn feed_head(&self) -> u64 {
        self.feed.head.load(Ordering::SeqCst)
    }

    /// Events up to this number may have been removed by [`Store::compact_feed`] (0: none).
    pub fn feed_floor(&self) -> u64 {
        self.feed.floor.load(Ordering::SeqCst)
    }

    /// The next number, for a write holding the write turn (used only once committed).
    pub(crate) fn feed_next(&self) -> u64 {
        self.feed_head() + 1
    }

    /// After a committed write that used numbers up to `head`.
    pub(crate) fn feed_committed(&self, head: u64) {
        self.feed.head.fetch_max(head, Ordering::SeqCst);
    }

    /// Up to `limit` events (at most [`MAX_FEED_PAGE`]) after number `after`, in order.
    ///
    /// Errors: [`StoreError::FeedAhead`] when `after` is past the head (this store never issued
    /// it), [`StoreError::FeedGone`] when events after it have been removed.
    pub fn changes(&self, after: u64, limit: usize) -> Result<Vec<FeedEvent>, StoreError> {
        let (head, floor) = (self.feed_head(), self.feed_floor());
        if after > head {
            return Err(StoreError::FeedAhead { after, head });
        }
        if after < floor {
            return Err(StoreError::FeedGone { after, floor });
        }
        let limit = limit.min(MAX_FEED_PAGE);
        let mut out = Vec::new();
        let mut b = (after + 1) / BUCKET;
        while out.len() < limit && b <= head / BUCKET {
            let mut events = self.bucket_events(b)?;
            events.retain(|e| e.seq > after && e.seq <= head);
            events.sort_by_key(|e| e.seq);
            out.extend(events.into_iter().take(limit - out.len()));
            b += 1;
        }
        Ok(out)
    }

    fn bucket_events(&self, b: u64) -> Result<Vec<FeedEvent>, StoreError> {
        Ok(self.bucket_quads(b)?.into_iter().map(|(e, _)| e).collect())
    }

    /// The events of bucket `b`, each with the quad that holds it.
    fn bucket_quads(&self, b: u64) -> Result<Vec<(FeedEvent, Quad)>, StoreError> {
        let subject = bucket(b * BUCKET);
        let mut out = Vec::new();
        for q in self.db.quads_for_pattern(
            Some(subject.as_ref().into()),
            Some(EVENT),
            None,
            Some(FEED_GRAPH.into()),
        ) {
            let q = q?;
            if let Term::Literal(l) = &q.object {
                let event = serde_json::from_str(l.value()).map_err(|e| StoreError::Corrupt {
                    graph: FEED_GRAPH.as_str().to_owned(),
                    problem: format!("unreadable event in {subject}: {e}"),
                })?;
                out.push((event, q));
            }
        }
        Ok(out)
    }

    /// The record as the event left it (N-Triples): the current version when nothing changed
    /// it since, else that version rebuilt from its revisions. `None` for a withdrawal, or a
    /// version whose revision is gone.
    pub fn event_version(&self, event: &FeedEvent) -> Result<Option<String>, StoreError> {
        if event.kind == Change::Withdrawn {
            return Ok(None);
        }
        let Ok(id) = healthcat_model::LocalId::new(event.id.clone()) else {
            return Ok(None);
        };
        let graph = crate::import::record_graph(&id);
        if self.meta(&graph)?.is_some_and(|m| m.hash == event.hash) {
            return self.snapshot(&graph);
        }
        self.version_at(&id, &event.time)
    }

    /// What the event sends to a reader (the change feed's payload, the outbox's message): the
    /// record as the event left it, with what its source says of the shared resources it names
    /// (publisher, access body, code-list entries) so that the reader can validate it alone.
    /// `None` for a withdrawal, or a version whose revision is gone. `cache` keeps the shared
    /// descriptions read for one page of events (see [`Store::with_shared_from_cached`]).
    pub fn event_payload(
        &self,
        event: &FeedEvent,
        cache: &mut crate::SharedCache,
    ) -> Result<Option<oxrdf::Graph>, StoreError> {
        let Some(text) = self.event_version(event)? else {
            return Ok(None);
        };
        let mut graph = oxrdf::Graph::new();
        for t in oxttl::NTriplesParser::new().for_slice(text.as_bytes()) {
            let t = t.map_err(|e| StoreError::Corrupt {
                graph: FEED_GRAPH.as_str().to_owned(),
                problem: format!(
                    "unreadable version of {} (event {}): {e}",
                    event.key, event.seq
                ),
            })?;
            graph.insert(&t);
        }
        self.with_shared_from_cached(graph, &event.source, cache)
            .map(Some)
    }

    /// Removes the events older than `before` that are superseded or withdrawals (see the
    /// module) and raises the floor past the withdrawals removed.
    ///
    /// Streamed, so that memory holds one number per record rather than the feed: a first pass
    /// notes each record's latest event; the new floor is written before anything is removed (a
    /// compaction stopped half-way has refused readers it need not have, never served one a feed
    /// with a withdrawal missing); then each bucket's removals are one transaction. Writes go on
    /// meanwhile: an event after the head read at the start is not touched, and a withdrawal
    /// found final that a later write supersedes only raised the floor a little early.
    pub fn compact_feed(&self, before: jiff::Timestamp) -> Result<FeedCompaction, StoreError> {
        let head = self.feed_head();
        let old = |e: &FeedEvent| {
            // An unreadable time is kept: removing is the one thing that cannot be undone.
            e.seq <= head && e.time.parse::<jiff::Timestamp>().is_ok_and(|t| t < before)
        };
        let mut latest: HashMap<String, u64> = HashMap::new();
        let mut withdrawals = Vec::new();
        for b in 0..=head / BUCKET {
            for e in self.bucket_events(b)? {
                if e.seq > head {
                    continue;
                }
                if e.kind == Change::Withdrawn && old(&e) {
                    withdrawals.push((e.seq, e.id.clone()));
                }
                let l = latest.entry(e.id).or_default();
                *l = (*l).max(e.seq);
            }
        }
        let superseded = |e: &FeedEvent| latest.get(&e.id).is_some_and(|&l| l > e.seq);
        let floor = withdrawals
            .iter()
            .filter(|(seq, id)| latest.get(id) == Some(seq))
            .map(|(seq, _)| *seq)
            .fold(self.feed_floor(), u64::max);
        if floor > self.feed_floor() {
            let _turn = self.write_turn();
            let mut tx = self.db.start_transaction()?;
            let stale: Vec<Quad> = tx
                .quads_for_pattern(
                    Some(FEED.into()),
                    Some(FLOOR),
                    None,
                    Some(FEED_GRAPH.into()),
                )
                .collect::<Result<_, _>>()?;
            for q in &stale {
                tx.remove(q);
            }
            tx.insert(&Quad::new(
                FEED.into_owned(),
                FLOOR,
                Literal::from(floor as i64),
                graph(),
            ));
            tx.commit()?;
            self.feed.floor.store(floor, Ordering::SeqCst);
        }
        let mut removed = 0;
        for b in 0..=head / BUCKET {
            let remove: Vec<Quad> = self
                .bucket_quads(b)?
                .into_iter()
                .filter(|(e, _)| old(e) && (superseded(e) || e.kind == Change::Withdrawn))
                .map(|(_, q)| q)
                .collect();
            if remove.is_empty() {
                continue;
            }
            let _turn = self.write_turn();
            let mut tx = self.db.start_transaction()?;
            for q in &remove {
                tx.remove(q);
            }
            tx.commit()?;
            removed += remove.len();
        }
        Ok(FeedCompaction { removed, floor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, ParseOptions, Source, parse_document, split};
    use healthcat_model::LocalId;

    fn import(store: &Store, ttl: &str) {
        let doc = parse_document(
            ttl.as_bytes(),
            Format::Turtle,
            "t.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        store
            .import_units(
                &doc.graph,
                &split(&doc.graph).unwrap(),
                &Source::local_file("t.ttl"),
            )
            .unwrap();
    }

    const TWO: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://ex.org/a> a dcat:Dataset ; dct:title "A"@en .
        <https://ex.org/b> a dcat:Dataset ; dct:title "B"@en ."#;

    fn kinds(events: &[FeedEvent]) -> Vec<(u64, Change, &str)> {
        events
            .iter()
            .map(|e| (e.seq, e.kind, e.key.as_str()))
            .collect()
    }

    #[test]
    fn every_change_is_numbered_in_order_without_gaps_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.feed_head(), 0);
        import(&store, TWO); // the bulk loader
        import(&store, TWO); // unchanged: no event
        import(&store, &TWO.replace("\"A\"@en", "\"A, revised\"@en")); // a transaction
        let b = store.record_by_key("https://ex.org/b").unwrap().unwrap();
        store.delete(b.local_id.as_ref().unwrap()).unwrap();
        let events = store.changes(0, 100).unwrap();
        use Change::*;
        assert_eq!(
            kinds(&events),
            [
                (1, Created, "https://ex.org/a"),
                (2, Created, "https://ex.org/b"),
                (3, Changed, "https://ex.org/a"),
                (4, Withdrawn, "https://ex.org/b"),
            ]
        );
        assert_eq!(store.feed_head(), 4);
        assert_eq!(kinds(&store.changes(1, 2).unwrap()), kinds(&events[1..3]));
        assert!(store.changes(4, 10).unwrap().is_empty());
        // Each event gives the record as that change left it.
        let first = store.event_version(&events[0]).unwrap().unwrap();
        assert!(
            first.contains("\"A\"@en") && !first.contains("revised"),
            "{first}"
        );
        let third = store.event_version(&events[2]).unwrap().unwrap();
        assert!(third.contains("A, revised"), "{third}");
        assert_eq!(store.event_version(&events[3]).unwrap(), None);
        // A number never issued is refused, naming the head.
        let e = store.changes(9, 10).unwrap_err();
        assert!(
            matches!(e, StoreError::FeedAhead { after: 9, head: 4 }),
            "{e}"
        );
        assert!(e.to_string().contains("after=4"), "{e}");

        // Restarted: the numbers go on from where they were.
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.feed_head(), 4);
        import(
            &store,
            "<https://ex.org/c> a <http://www.w3.org/ns/dcat#Dataset> .",
        );
        let events = store.changes(4, 10).unwrap();
        assert_eq!(kinds(&events), [(5, Created, "https://ex.org/c")]);
    }

    #[test]
    fn compaction_keeps_the_latest_of_each_record_and_refuses_readers_it_left_behind() {
        let store = Store::in_memory().unwrap();
        import(&store, TWO);
        import(&store, &TWO.replace("\"A\"@en", "\"A2\"@en"));
        let b = store.record_by_key("https://ex.org/b").unwrap().unwrap();
        store.delete(b.local_id.as_ref().unwrap()).unwrap();
        // Nothing is old enough yet.
        let none = store
            .compact_feed("2000-01-01T00:00:00Z".parse().unwrap())
            .unwrap();
        assert_eq!(none.removed, 0);
        assert_eq!(store.changes(0, 10).unwrap().len(), 4);

        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3600);
        let c = store.compact_feed(later).unwrap();
        // a's creation (superseded), b's creation (superseded) and b's withdrawal go.
        assert_eq!(
            c,
            FeedCompaction {
                removed: 3,
                floor: 4
            }
        );
        assert_eq!(store.feed_floor(), 4);
        let e = store.changes(0, 10).unwrap_err();
        assert!(
            matches!(e, StoreError::FeedGone { after: 0, floor: 4 }),
            "{e}"
        );
        assert!(e.to_string().contains("full export"), "{e}");
        // From the floor on, the feed still reads; the record that exists is still in it.
        assert!(store.changes(4, 10).unwrap().is_empty());
        let all = store.bucket_events(0).unwrap();
        assert_eq!(kinds(&all), [(3, Change::Changed, "https://ex.org/a")]);
        // New changes go on numbering after the head.
        import(
            &store,
            "<https://ex.org/c> a <http://www.w3.org/ns/dcat#Dataset> .",
        );
        assert_eq!(store.changes(4, 10).unwrap()[0].seq, 5);
    }

    #[test]
    fn a_store_written_before_the_feed_gets_one_creation_per_record() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        import(&store, TWO);
        // As a store of an earlier healthcat: no feed at all.
        store.db.clear_graph(FEED_GRAPH).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        let events = store.changes(0, 10).unwrap();
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(|e| e.kind == Change::Created));
        let a = events.iter().find(|e| e.key == "https://ex.org/a").unwrap();
        let id = LocalId::new(a.id.clone()).unwrap();
        assert_eq!(store.history(&id).unwrap()[0].id, a.time);
        assert!(
            store
                .event_version(a)
                .unwrap()
                .unwrap()
                .contains("\"A\"@en")
        );
        drop(store);
        // Once.
        assert_eq!(Store::open(dir.path()).unwrap().feed_head(), 2);
    }
}
