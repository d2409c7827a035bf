//! Following the store: the index documents of records read from the store, and re-indexing the
//! records a write changed.

use crate::{SearchDoc, SearchError, SearchIndex};
use healthcat_model::LocalId;
use healthcat_store::Store;

/// Records read and indexed per batch.
pub const BATCH: usize = 1_000;

/// The index documents of `ids`, read from the store on every core (reads are independent);
/// records the store no longer has are left out.
pub fn read_documents(store: &Store, ids: &[LocalId]) -> Result<Vec<SearchDoc>, SearchError> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per = ids.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .chunks(per)
            .map(|part| {
                scope.spawn(move || -> Result<Vec<SearchDoc>, SearchError> {
                    let mut out = Vec::with_capacity(part.len());
                    for id in part {
                        out.extend(SearchDoc::read(store, id).map_err(SearchError::store)?);
                    }
                    Ok(out)
                })
            })
            .collect();
        let mut docs = Vec::with_capacity(ids.len());
        for h in handles {
            docs.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))?);
        }
        Ok(docs)
    })
}

impl SearchIndex {
    /// Re-indexes these records from the store (removing those it no longer has) and commits.
    pub fn refresh(&self, store: &Store, ids: &[LocalId]) -> Result<(), SearchError> {
        if ids.is_empty() {
            // Nothing changed: no commit (it would reload the reader and empty the cache).
            return Ok(());
        }
        for chunk in ids.chunks(BATCH) {
            let docs = read_documents(store, chunk)?;
            let found: std::collections::HashSet<&str> =
                docs.iter().map(|d| d.id.as_str()).collect();
            let gone: Vec<String> = chunk
                .iter()
                .filter(|id| !found.contains(id.as_str()))
                .map(|id| id.as_str().to_owned())
                .collect();
            self.upsert(&docs)?;
            self.delete(&gone)?;
        }
        self.commit()
    }
}
