//! Checking what is stored against itself: every record's bookkeeping is complete, its content
//! (the quads of its graph and the N-Triples snapshot exports are written from) reads back, and
//! both hash to the content hash recorded when it was written.

use crate::Store;
use crate::canon::canonical_hash;
use crate::error::StoreError;
use healthcat_model::LocalId;
use oxrdf::Graph;

/// One record that does not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The record's local id.
    pub id: String,
    /// What is wrong.
    pub problem: String,
}

/// What [`Store::verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Records read.
    pub records: u64,
    /// Records that do not check out (none when the store is sound).
    pub damaged: Vec<Damage>,
}

impl Store {
    /// Reads every record back and checks it: bookkeeping present, the snapshot parses (strictly),
    /// and the snapshot and the record's quads both hash to the recorded content hash.
    /// `progress(done, total)` is told how far it is (on the calling thread; the work is shared
    /// among the cores). A problem is reported, not returned as an
    /// error: only the storage failing underneath is.
    pub fn verify(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Verification, StoreError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        let hashes = self.record_hashes()?;
        let total = hashes.len() as u64;
        // Canonical hashing is most of the time: the records are shared among the cores, the
        // caller's thread telling the progress.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = hashes.len().div_ceil(workers).max(1);
        let done = AtomicU64::new(0);
        let found = std::thread::scope(|scope| {
            let handles: Vec<_> = hashes
                .chunks(chunk)
                .map(|part| {
                    let done = &done;
                    scope.spawn(move || {
                        let mut damaged = Vec::new();
                        for (id, hash) in part {
                            if let Some(problem) = self.check_record(id, hash)? {
                                damaged.push(Damage {
                                    id: id.as_str().to_owned(),
                                    problem,
                                });
                            }
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok::<_, StoreError>(damaged)
                    })
                })
                .collect();
            while !handles.iter().all(|h| h.is_finished()) {
                progress(done.load(Ordering::Relaxed), total);
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect::<Result<Vec<_>, _>>()
        })?;
        progress(total, total);
        let mut damaged: Vec<Damage> = found.into_iter().flatten().collect();
        damaged.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Verification {
            records: total,
            damaged,
        })
    }

    /// What is wrong with record `id` whose recorded hash is `hash`, if anything.
    fn check_record(&self, id: &LocalId, hash: &str) -> Result<Option<String>, StoreError> {
        let Some(graph) = self.graph_for_local_id(id)? else {
            return Ok(Some("its local id names no graph".into()));
        };
        match self.meta(&graph) {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(Some("its bookkeeping is missing".into())),
            Err(StoreError::Corrupt { problem, .. }) => {
                return Ok(Some(format!("its bookkeeping is damaged: {problem}")));
            }
            Err(e) => return Err(e),
        }
        let mut quads = Graph::new();
        self.read_graph(&graph, &mut quads)?;
        if quads.is_empty() {
            return Ok(Some("its graph is empty".into()));
        }
        let of_quads = match canonical_hash(quads.iter()) {
            Ok(h) => h,
            Err(e) => return Ok(Some(e.to_string())),
        };
        if of_quads != hash {
            return Ok(Some(format!(
                "its content hashes to {of_quads}, its bookkeeping says {hash}"
            )));
        }
        let Some(text) = self.snapshot(&graph)? else {
            return Ok(None);
        };
        let mut snapshot = Graph::new();
        for (n, t) in oxttl::NTriplesParser::new()
            .for_slice(text.as_bytes())
            .enumerate()
        {
            match t {
                Ok(t) => {
                    snapshot.insert(&t);
                }
                Err(e) => {
                    return Ok(Some(format!(
                        "its snapshot does not parse at statement {}: {e}",
                        n + 1
                    )));
                }
            }
        }
        Ok(match canonical_hash(snapshot.iter()) {
            Ok(h) if h == hash => None,
            Ok(h) => Some(format!(
                "its snapshot hashes to {h}, its bookkeeping says {hash}"
            )),
            Err(e) => Some(e.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Format, Source, Store, parse_document, split};
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

    #[test]
    fn a_record_changed_behind_the_store_s_back_is_named() {
        let store = Store::in_memory().unwrap();
        let ttl = r#"<https://ex.org/ds/a> a <http://www.w3.org/ns/dcat#Dataset> ;
              <http://purl.org/dc/terms/title> "A"@en .
            <https://ex.org/ds/b> a <http://www.w3.org/ns/dcat#Dataset> ;
              <http://purl.org/dc/terms/title> "B"@en ."#;
        let doc =
            parse_document(ttl.as_bytes(), Format::Turtle, "t.ttl", &Default::default()).unwrap();
        let units = split(&doc.graph).unwrap();
        let report = store
            .import_units(&doc.graph, &units, &Source::local_file("t.ttl"))
            .unwrap();
        let sound = store.verify(&mut |_, _| {}).unwrap();
        assert_eq!((sound.records, sound.damaged.len()), (2, 0));

        // One triple added to record a's graph, not through the store.
        let id = report.records[0].id.clone();
        let graph = store
            .graph_for_local_id(&healthcat_model::LocalId::new(&id).unwrap())
            .unwrap()
            .unwrap();
        store
            .db
            .insert(&Quad::new(
                NamedNode::new("https://ex.org/ds/a").unwrap(),
                NamedNode::new("http://purl.org/dc/terms/description").unwrap(),
                Literal::new_simple_literal("slipped in"),
                GraphName::NamedNode(graph),
            ))
            .unwrap();
        let found = store.verify(&mut |_, _| {}).unwrap();
        assert_eq!(found.records, 2);
        assert_eq!(found.damaged.len(), 1, "{found:?}");
        assert_eq!(found.damaged[0].id, id);
        assert!(
            found.damaged[0]
                .problem
                .starts_with("its content hashes to"),
            "{found:?}"
        );
    }
}
