//! The outbox: a follower of the store's change feed, with what the parent acknowledged on disk.
//!
//! The outbox reads the change feed (`Store::changes`) from its cursor and sends each change of
//! its sources, in order, as one [`Message`]; after the parent acknowledges it, the change is
//! written to `{data_dir}/outbox/acknowledged.json` with the cursor past it (rewritten atomically).
//! When there is no cursor yet (the first start) or the feed no longer reaches back to it (the
//! feed's retention, a restored older copy), the outbox *re-synchronises*: it compares the
//! records of its sources with what the parent acknowledged, sends the difference, and then
//! follows the feed from the position it read before comparing.

use crate::connector::{Action, Connector, Message, SendError};
use healthcat_store::{Change as FeedChange, FeedEvent, Format, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Why a cycle could not start.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// Reading the records failed.
    #[error("reading the store: {0}")]
    Store(#[from] StoreError),
    /// The acknowledgements could not be read or written.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What happened.
        message: String,
    },
}

/// A record as the parent has it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Acknowledged {
    /// The content hash the parent acknowledged.
    pub hash: String,
    /// The parent's id for it.
    pub id: String,
}

/// A version the parent refused.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Refused {
    /// The refused content hash (sent again only once the record changes).
    pub hash: String,
    /// What the parent said.
    pub message: String,
}

/// What is kept on disk.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Ledger {
    /// By record key.
    acknowledged: BTreeMap<String, Acknowledged>,
    /// By record key.
    refused: BTreeMap<String, Refused>,
    /// The last change of the feed dealt with (sent and acknowledged, refused, or not this
    /// outbox's); none before the first re-synchronisation.
    #[serde(default)]
    cursor: Option<u64>,
}

/// What one cycle did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CycleReport {
    /// Records sent for the first time.
    pub created: usize,
    /// New versions sent.
    pub updated: usize,
    /// Withdrawals sent.
    pub deleted: usize,
    /// Changes the parent refused this cycle (key, message).
    pub refused: Vec<(String, String)>,
    /// Changes still to send (the parent went away during the cycle).
    pub pending: usize,
    /// Whether the cycle compared the records with the parent's (see the module).
    pub resynced: bool,
    /// Why the cycle stopped early, if it did.
    pub error: Option<String>,
}

/// The outbox of one node towards its parent.
pub struct Outbox<C> {
    store: Store,
    sources: Vec<String>,
    connector: C,
    file: PathBuf,
}

/// A message planned, with where its body comes from.
struct Pending {
    message: Message,
    body: Body,
}

/// Where a message's body comes from.
enum Body {
    /// None (a withdrawal).
    Nothing,
    /// The record as it is now (a re-synchronisation).
    Current(healthcat_model::LocalId),
    /// The record as a change of the feed left it.
    Version(FeedEvent),
}

/// Events read from the feed at a time.
const BATCH: usize = 500;

impl<C> Outbox<C> {
    /// The outbox for the records of `sources` (source ids: `local`, a push provider…), kept in
    /// `{data_dir}/outbox/`.
    pub fn new(store: Store, sources: Vec<String>, connector: C, data_dir: &Path) -> Self {
        Self {
            store,
            sources,
            connector,
            file: data_dir.join("outbox").join("acknowledged.json"),
        }
    }

    fn load(&self) -> Result<Ledger, OutboxError> {
        match std::fs::read(&self.file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| OutboxError::File {
                path: self.file.display().to_string(),
                message: format!("unreadable ({e}); move it away to send every record again"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ledger::default()),
            Err(e) => Err(self.io(e)),
        }
    }

    fn io(&self, e: std::io::Error) -> OutboxError {
        OutboxError::File {
            path: self.file.display().to_string(),
            message: e.to_string(),
        }
    }

    /// Written whole to a temporary file, then renamed over the old one: a crash leaves one or
    /// the other, never half of it.
    fn save(&self, ledger: &Ledger) -> Result<(), OutboxError> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        let tmp = dir.join(".acknowledged.json.tmp");
        let bytes = serde_json::to_vec_pretty(ledger).map_err(|e| OutboxError::File {
            path: tmp.display().to_string(),
            message: e.to_string(),
        })?;
        std::fs::write(&tmp, bytes).map_err(|e| self.io(e))?;
        std::fs::rename(&tmp, &self.file).map_err(|e| self.io(e))
    }

    /// Whether the feed still reaches back to the ledger's cursor.
    fn following(&self, ledger: &Ledger) -> bool {
        ledger
            .cursor
            .is_some_and(|c| c >= self.store.feed_floor() && c <= self.store.feed_head())
    }

    /// The re-synchronisation's messages: the records of the sources the parent does not have
    /// as they are, and the withdrawals of those it has and the sources no longer hold. Bodies
    /// are written only when each is sent ([`Outbox::deliver`]).
    fn differences(&self, ledger: &Ledger) -> Result<Vec<Pending>, OutboxError> {
        let hashes: HashMap<_, String> = self.store.record_hashes()?.into_iter().collect();
        let mut current: BTreeMap<String, (healthcat_model::LocalId, String)> = BTreeMap::new();
        for source in &self.sources {
            for (id, key) in self.store.records_of_source(source)? {
                if let Some(hash) = hashes.get(&id) {
                    current.insert(key, (id, hash.clone()));
                }
            }
        }
        let mut out = Vec::new();
        for (key, (id, hash)) in &current {
            if ledger.refused.get(key).is_some_and(|r| &r.hash == hash) {
                continue;
            }
            let acknowledged = ledger.acknowledged.get(key);
            if acknowledged.is_some_and(|a| &a.hash == hash) {
                continue;
            }
            out.push(Pending {
                message: Message {
                    id: format!("sync-{}", &hash[..hash.len().min(24)]),
                    seq: None,
                    action: if acknowledged.is_some() {
                        Action::Replace
                    } else {
                        Action::Create
                    },
                    key: key.clone(),
                    hash: Some(hash.clone()),
                    turtle: None,
                    remote_id: acknowledged.map(|a| a.id.clone()),
                },
                body: Body::Current(id.clone()),
            });
        }
        for (key, a) in &ledger.acknowledged {
            if !current.contains_key(key) {
                out.push(Pending {
                    message: Message {
                        id: format!("sync-withdraw-{}", &a.hash[..a.hash.len().min(24)]),
                        seq: None,
                        action: Action::Delete,
                        key: key.clone(),
                        hash: None,
                        turtle: None,
                        remote_id: Some(a.id.clone()),
                    },
                    body: Body::Nothing,
                });
            }
        }
        Ok(out)
    }

    /// The message for a change of the feed, if the parent needs one (its body is written when
    /// it is sent).
    fn message(&self, ledger: &Ledger, e: &FeedEvent) -> Option<Pending> {
        let acknowledged = ledger.acknowledged.get(&e.key);
        let ours = self.sources.contains(&e.source);
        let mut m = Message {
            id: format!("feed-{}", e.seq),
            seq: Some(e.seq),
            action: Action::Delete,
            key: e.key.clone(),
            hash: None,
            turtle: None,
            remote_id: acknowledged.map(|a| a.id.clone()),
        };
        if e.kind == FeedChange::Withdrawn || !ours {
            // A record now of a source this outbox does not send is withdrawn from the parent.
            return acknowledged.is_some().then_some(Pending {
                message: m,
                body: Body::Nothing,
            });
        }
        if acknowledged.is_some_and(|a| a.hash == e.hash)
            || ledger.refused.get(&e.key).is_some_and(|r| r.hash == e.hash)
        {
            return None;
        }
        m.action = if acknowledged.is_some() {
            Action::Replace
        } else {
            Action::Create
        };
        m.hash = Some(e.hash.clone());
        Some(Pending {
            message: m,
            body: Body::Version(e.clone()),
        })
    }

    /// The body of a pending message, as it is sent: the record's description with what the
    /// catalogue says of the shared resources it names (publisher, access body, code-list
    /// entries), so that the parent can validate it on its own. `None`: nothing to send — the
    /// record was withdrawn meanwhile (its withdrawal follows).
    fn body(&self, body: &Body) -> Result<Option<Vec<u8>>, OutboxError> {
        let graph = match body {
            Body::Nothing => return Ok(None),
            Body::Current(id) => match self.store.get(id)? {
                Some(record) => Some(
                    self.store
                        .with_shared_from(record.graph, &record.meta.source)?,
                ),
                None => None,
            },
            Body::Version(e) => self
                .store
                .event_payload(e, &mut healthcat_store::SharedCache::default())?,
        };
        graph
            .map(|g| healthcat_store::write_graph(&g, Vec::new(), Format::Turtle))
            .transpose()
            .map_err(Into::into)
    }

    /// How many changes wait for the parent.
    pub fn backlog(&self) -> Result<usize, OutboxError> {
        let ledger = self.load()?;
        if !self.following(&ledger) {
            return Ok(self.differences(&ledger)?.len());
        }
        let mut cursor = ledger.cursor.unwrap_or_default();
        let mut n = 0;
        loop {
            let events = self.store.changes(cursor, BATCH)?;
            let Some(last) = events.last() else {
                return Ok(n);
            };
            cursor = last.seq;
            n += events
                .iter()
                .filter(|e| self.message(&ledger, e).is_some())
                .count();
        }
    }
}

impl<C: Connector> Outbox<C> {
    /// Sends what is pending, in order, acknowledging each change on disk as the parent accepts
    /// it; stops at the first sign that the parent is unavailable (the rest waits for the next
    /// cycle).
    pub async fn cycle(&self) -> Result<CycleReport, OutboxError> {
        let mut ledger = self.load()?;
        let mut report = CycleReport::default();
        if !self.following(&ledger) {
            report.resynced = true;
            // Read before comparing: whatever changes meanwhile is in the feed after it.
            let head = self.store.feed_head();
            let messages = self.differences(&ledger)?;
            let total = messages.len();
            for (done, p) in messages.into_iter().enumerate() {
                if !self.deliver(&mut ledger, p, &mut report).await? {
                    report.pending = total - done;
                    return Ok(report);
                }
            }
            ledger.cursor = Some(head);
            self.save(&ledger)?;
        }
        loop {
            let cursor = ledger.cursor.unwrap_or_default();
            let events = match self.store.changes(cursor, BATCH) {
                Ok(events) => events,
                // The feed moved past the cursor meanwhile: the next cycle re-synchronises.
                Err(e @ (StoreError::FeedGone { .. } | StoreError::FeedAhead { .. })) => {
                    ledger.cursor = None;
                    self.save(&ledger)?;
                    report.error = Some(e.to_string());
                    return Ok(report);
                }
                Err(e) => return Err(e.into()),
            };
            let Some(last) = events.last().map(|e| e.seq) else {
                break;
            };
            for e in &events {
                if let Some(p) = self.message(&ledger, e)
                    && !self.deliver(&mut ledger, p, &mut report).await?
                {
                    report.pending = self.backlog().unwrap_or_default();
                    return Ok(report);
                }
                ledger.cursor = Some(e.seq);
            }
            ledger.cursor = Some(last);
            self.save(&ledger)?;
        }
        Ok(report)
    }

    /// Writes the message's body, sends it and keeps its outcome; `false` when the parent is
    /// unavailable (the ledger is as it was: the change is sent again next time, with the same
    /// id).
    async fn deliver(
        &self,
        ledger: &mut Ledger,
        pending: Pending,
        report: &mut CycleReport,
    ) -> Result<bool, OutboxError> {
        let mut m = pending.message;
        if !matches!(pending.body, Body::Nothing) {
            match self.body(&pending.body)? {
                Some(turtle) => m.turtle = Some(turtle),
                // Withdrawn meanwhile: the withdrawal follows.
                None => return Ok(true),
            }
        }
        match self.connector.send(&m).await {
            Ok(remote) => {
                ledger.refused.remove(&m.key);
                match (m.action, &m.hash) {
                    (Action::Delete, _) => {
                        report.deleted += 1;
                        ledger.acknowledged.remove(&m.key);
                    }
                    (action, Some(hash)) => {
                        if action == Action::Create {
                            report.created += 1;
                        } else {
                            report.updated += 1;
                        }
                        ledger.acknowledged.insert(
                            m.key.clone(),
                            Acknowledged {
                                hash: hash.clone(),
                                id: remote,
                            },
                        );
                    }
                    (_, None) => {}
                }
            }
            Err(SendError::Refused(message)) => {
                if let Some(hash) = m.hash {
                    ledger.refused.insert(
                        m.key.clone(),
                        Refused {
                            hash,
                            message: message.clone(),
                        },
                    );
                }
                report.refused.push((m.key, message));
            }
            Err(e @ SendError::Unavailable(_)) => {
                report.error = Some(e.to_string());
                return Ok(false);
            }
        }
        if let Some(seq) = m.seq {
            ledger.cursor = Some(seq);
        }
        self.save(ledger)?;
        Ok(true)
    }
}

/// How many changes of the records of `sources` wait for the parent, read from the ledger in
/// `{data_dir}/outbox/` and the change feed without sending anything (what `/metrics` reports
/// while [`spawn`] works the outbox).
pub fn backlog(store: Store, sources: Vec<String>, data_dir: &Path) -> Result<usize, OutboxError> {
    Outbox::new(store, sources, (), data_dir).backlog()
}

/// Runs a cycle every `every` on the current Tokio runtime, for ever, logging what each did and
/// giving its report (or error) to `after`.
pub fn spawn<C: Connector + 'static>(
    outbox: Outbox<C>,
    every: std::time::Duration,
    after: impl Fn(&Result<CycleReport, OutboxError>) + Send + 'static,
) {
    tokio::spawn(async move {
        loop {
            let cycle = outbox.cycle().await;
            after(&cycle);
            match cycle {
                Ok(r) if r.error.is_some() => tracing::warn!(
                    pending = r.pending,
                    error = r.error.as_deref().unwrap_or_default(),
                    "push to the parent interrupted; retrying at the next cycle"
                ),
                Ok(r) if r.created + r.updated + r.deleted + r.refused.len() > 0 => {
                    tracing::info!(
                        created = r.created,
                        updated = r.updated,
                        deleted = r.deleted,
                        refused = ?r.refused,
                        "pushed to the parent"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "push to the parent"),
            }
            tokio::time::sleep(every).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use healthcat_store::{ParseOptions, Source, parse_document, split};
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A parent in memory: what it holds, and a switch to make it unavailable.
    #[derive(Default)]
    struct Parent {
        held: Mutex<BTreeMap<String, String>>,
        down: AtomicBool,
        refuse: Mutex<Option<String>>,
        calls: Mutex<Vec<String>>,
    }

    impl Connector for &Parent {
        async fn send(&self, m: &Message) -> Result<String, SendError> {
            if self.down.load(Ordering::SeqCst) {
                return Err(SendError::Unavailable("connection refused".into()));
            }
            if m.action != Action::Delete && self.refuse.lock().unwrap().as_deref() == Some(&m.key)
            {
                return Err(SendError::Refused(
                    "HTTP 422: dct:description is missing".into(),
                ));
            }
            let what = match m.action {
                Action::Create => "create",
                Action::Replace => "replace",
                Action::Delete => "delete",
            };
            match m.action {
                Action::Delete => {
                    let remote = m.remote_id.clone().unwrap();
                    self.calls.lock().unwrap().push(format!("delete {remote}"));
                    let key = format!("https://ex.org/{}", remote.trim_start_matches("id-"));
                    self.held.lock().unwrap().remove(&key);
                }
                _ => {
                    self.calls.lock().unwrap().push(format!("{what} {}", m.key));
                    let text = String::from_utf8(m.turtle.clone().unwrap()).unwrap();
                    self.held.lock().unwrap().insert(m.key.clone(), text);
                }
            }
            Ok(format!("id-{}", m.key.rsplit('/').next().unwrap()))
        }
    }

    impl Parent {
        fn calls(&self) -> Vec<String> {
            std::mem::take(&mut *self.calls.lock().unwrap())
        }
    }

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
        @prefix foaf: <http://xmlns.com/foaf/0.1/> .
        <https://ex.org/a> a dcat:Dataset ; dct:title "A"@en ; dct:publisher <https://ex.org/org> .
        <https://ex.org/b> a dcat:Dataset ; dct:title "B"@en .
        <https://ex.org/org> a foaf:Agent ; foaf:name "The org" ."#;

    #[tokio::test]
    async fn changes_reach_the_parent_once_even_across_outages_and_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::in_memory().unwrap();
        import(&store, TWO);
        let parent = Parent::default();
        let outbox = |p| Outbox::new(store.clone(), vec!["local".into()], p, dir.path());

        let r = outbox(&parent).cycle().await.unwrap();
        assert_eq!((r.created, r.updated, r.deleted), (2, 0, 0), "{r:?}");
        // Sent with the shared resources it names, so the parent can validate it alone.
        assert!(parent.held.lock().unwrap()["https://ex.org/a"].contains("The org"));
        parent.calls();
        assert_eq!(
            outbox(&parent).cycle().await.unwrap(),
            CycleReport::default()
        );
        assert!(parent.calls().is_empty(), "nothing sent twice");

        // The parent is down while a record changes and another is deleted: nothing is lost.
        import(&store, &TWO.replace("\"A\"@en", "\"A, revised\"@en"));
        let b = store.record_by_key("https://ex.org/b").unwrap().unwrap();
        store.delete(b.local_id.as_ref().unwrap()).unwrap();
        parent.down.store(true, Ordering::SeqCst);
        let r = outbox(&parent).cycle().await.unwrap();
        assert!(
            r.error.as_deref().unwrap().contains("connection refused"),
            "{r:?}"
        );
        assert_eq!(r.pending, 2);
        // The node restarts (a new outbox over the same folder); the parent is back.
        parent.down.store(false, Ordering::SeqCst);
        let restarted = outbox(&parent);
        assert_eq!(restarted.backlog().unwrap(), 2);
        let r = restarted.cycle().await.unwrap();
        assert_eq!((r.created, r.updated, r.deleted), (0, 1, 1), "{r:?}");
        assert_eq!(parent.calls(), ["replace https://ex.org/a", "delete id-b"]);
        assert!(parent.held.lock().unwrap()["https://ex.org/a"].contains("A, revised"));
        assert!(!parent.held.lock().unwrap().contains_key("https://ex.org/b"));

        // A version the parent refuses is reported once, and sent again only when it changes.
        *parent.refuse.lock().unwrap() = Some("https://ex.org/c".into());
        import(
            &store,
            "<https://ex.org/c> a <http://www.w3.org/ns/dcat#Dataset> .",
        );
        let r = restarted.cycle().await.unwrap();
        assert_eq!(r.refused.len(), 1, "{r:?}");
        assert!(r.refused[0].1.contains("422"), "{r:?}");
        assert_eq!(restarted.backlog().unwrap(), 0);
        *parent.refuse.lock().unwrap() = None;
        import(
            &store,
            "<https://ex.org/c> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"C\" .",
        );
        assert_eq!(restarted.cycle().await.unwrap().created, 1);
    }
}
