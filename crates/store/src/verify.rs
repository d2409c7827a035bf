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
    /// `progress(done, total)` is told how far it is. A problem is reported, not returned as an
    /// error: only the storage failing underneath is.
    pub fn verify(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Verification, StoreError> {
        let hashes = self.record_hashes()?;
        let total = hashes.len() as u64;
        let mut out = Verification::default();
        for (done, (id, hash)) in hashes.iter().enumerate() {
            if let Some(problem) = self.check_record(id, hash)? {
                out.damaged.push(Damage {
                    id: id.as_str().to_owned(),
                    problem,
                });
            }
            out.records += 1;
            if done % 1024 == 1023 {
                progress(done as u64 + 1, total);
            }
        }
        progress(total, total);
        Ok(out)
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
