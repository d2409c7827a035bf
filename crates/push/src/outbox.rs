//! The reconciling outbox: what the parent acknowledged, on disk; what is pending, computed.

use crate::connector::{Connector, SendError};
use healthcat_model::LocalId;
use healthcat_store::{Format, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Why a cycle could not start.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// Reading the records failed.
    #[error("reading the store: {0}")]
    Store(#[from] healthcat_store::StoreError),
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

enum Change {
    Create {
        id: LocalId,
        key: String,
        hash: String,
    },
    Update {
        id: LocalId,
        key: String,
        hash: String,
    },
    Delete {
        key: String,
        remote: String,
    },
}

impl<C: Connector> Outbox<C> {
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

    /// The changes the parent has not acknowledged.
    fn pending(&self, ledger: &Ledger) -> Result<Vec<Change>, OutboxError> {
        let hashes: HashMap<LocalId, String> = self.store.record_hashes()?.into_iter().collect();
        let mut current: BTreeMap<String, (LocalId, String)> = BTreeMap::new();
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
            match ledger.acknowledged.get(key) {
                None => out.push(Change::Create {
                    id: id.clone(),
                    key: key.clone(),
                    hash: hash.clone(),
                }),
                Some(a) if &a.hash != hash => out.push(Change::Update {
                    id: id.clone(),
                    key: key.clone(),
                    hash: hash.clone(),
                }),
                Some(_) => {}
            }
        }
        for (key, a) in &ledger.acknowledged {
            if !current.contains_key(key) {
                out.push(Change::Delete {
                    key: key.clone(),
                    remote: a.id.clone(),
                });
            }
        }
        Ok(out)
    }

    /// How many changes wait for the parent.
    pub fn backlog(&self) -> Result<usize, OutboxError> {
        Ok(self.pending(&self.load()?)?.len())
    }

    /// Sends what is pending, in order, acknowledging each change on disk as the parent accepts
    /// it; stops at the first sign that the parent is unavailable (the rest waits for the next
    /// cycle).
    pub async fn cycle(&self) -> Result<CycleReport, OutboxError> {
        let mut ledger = self.load()?;
        let pending = self.pending(&ledger)?;
        let mut report = CycleReport::default();
        let total = pending.len();
        for (done, change) in pending.into_iter().enumerate() {
            let result = match &change {
                Change::Create { id, key, hash } | Change::Update { id, key, hash } => {
                    let body = match self.describe(id) {
                        Ok(Some(b)) => b,
                        // Deleted meanwhile: the next cycle sends the withdrawal.
                        Ok(None) => continue,
                        Err(e) => {
                            report.error = Some(e.to_string());
                            report.pending = total - done;
                            break;
                        }
                    };
                    let sent = match (&change, ledger.acknowledged.get(key)) {
                        (Change::Update { .. }, Some(a)) => self
                            .connector
                            .replace(key, body)
                            .await
                            .map(|()| a.id.clone()),
                        _ => self.connector.create(key, body).await,
                    };
                    sent.map(|remote| {
                        if matches!(change, Change::Create { .. }) {
                            report.created += 1;
                        } else {
                            report.updated += 1;
                        }
                        ledger.refused.remove(key);
                        ledger.acknowledged.insert(
                            key.clone(),
                            Acknowledged {
                                hash: hash.clone(),
                                id: remote,
                            },
                        );
                    })
                    .map_err(|e| (key.clone(), Some(hash.clone()), e))
                }
                Change::Delete { key, remote } => self
                    .connector
                    .delete(remote)
                    .await
                    .map(|()| {
                        report.deleted += 1;
                        ledger.acknowledged.remove(key);
                        ledger.refused.remove(key);
                    })
                    .map_err(|e| (key.clone(), None, e)),
            };
            match result {
                Ok(()) => self.save(&ledger)?,
                Err((key, hash, SendError::Refused { status, message })) => {
                    let message = format!("HTTP {status}: {message}");
                    if let Some(hash) = hash {
                        ledger.refused.insert(
                            key.clone(),
                            Refused {
                                hash,
                                message: message.clone(),
                            },
                        );
                        self.save(&ledger)?;
                    }
                    report.refused.push((key, message));
                }
                Err((_, _, e @ SendError::Unavailable(_))) => {
                    report.error = Some(e.to_string());
                    report.pending = total - done;
                    break;
                }
            }
        }
        Ok(report)
    }

    /// The record's description as sent: its graph and what the catalogue says of the shared
    /// resources it names (publisher, access body, code-list entries), so that the parent can
    /// validate it on its own.
    fn describe(&self, id: &LocalId) -> Result<Option<Vec<u8>>, healthcat_store::StoreError> {
        let Some(record) = self.store.get(id)? else {
            return Ok(None);
        };
        let graph = self.store.with_shared(record.graph)?;
        healthcat_store::write_graph(&graph, Vec::new(), Format::Turtle).map(Some)
    }
}

/// Runs a cycle every `every` on the current Tokio runtime, for ever, logging what each did.
pub fn spawn<C: Connector + 'static>(outbox: Outbox<C>, every: std::time::Duration) {
    tokio::spawn(async move {
        loop {
            match outbox.cycle().await {
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
        async fn create(&self, key: &str, turtle: Vec<u8>) -> Result<String, SendError> {
            self.accept("create", key, turtle)?;
            Ok(format!("id-{}", key.rsplit('/').next().unwrap()))
        }
        async fn replace(&self, key: &str, turtle: Vec<u8>) -> Result<(), SendError> {
            self.accept("replace", key, turtle)
        }
        async fn delete(&self, remote_id: &str) -> Result<(), SendError> {
            if self.down.load(Ordering::SeqCst) {
                return Err(SendError::Unavailable("connection refused".into()));
            }
            self.calls
                .lock()
                .unwrap()
                .push(format!("delete {remote_id}"));
            let key = format!("https://ex.org/{}", remote_id.trim_start_matches("id-"));
            self.held.lock().unwrap().remove(&key);
            Ok(())
        }
    }

    impl Parent {
        fn accept(&self, what: &str, key: &str, turtle: Vec<u8>) -> Result<(), SendError> {
            if self.down.load(Ordering::SeqCst) {
                return Err(SendError::Unavailable("connection refused".into()));
            }
            if self.refuse.lock().unwrap().as_deref() == Some(key) {
                return Err(SendError::Refused {
                    status: 422,
                    message: "dct:description is missing".into(),
                });
            }
            self.calls.lock().unwrap().push(format!("{what} {key}"));
            let text = String::from_utf8(turtle).unwrap();
            self.held.lock().unwrap().insert(key.to_owned(), text);
            Ok(())
        }
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
