//! Documents written while a long write to the store is under way and published in one commit
//! once the store has committed: a streamed import indexes each part from memory as it goes,
//! instead of reading every record back from the store at the end.

use crate::{SearchDoc, SearchError, SearchIndex};
use std::sync::MutexGuard;
use tantivy::IndexWriter;

/// Staged changes to a [`SearchIndex`]. It holds the index's writer, so no other write of this
/// process can publish them early (other writes wait; searches go on, on the last commit).
/// Dropped without [`Staging::commit`], what it staged is thrown away.
pub struct Staging<'a> {
    index: &'a SearchIndex,
    writer: Option<MutexGuard<'a, IndexWriter>>,
}

impl SearchIndex {
    /// Starts staging changes; see [`Staging`].
    pub fn staging(&self) -> Staging<'_> {
        Staging {
            index: self,
            writer: Some(self.writer()),
        }
    }
}

impl Staging<'_> {
    /// Adds or replaces records (by id); visible once committed. The writer flushes to disk
    /// what exceeds its memory budget, so staging a million records holds only that budget.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        match &self.writer {
            Some(w) => self.index.upsert_with(w, docs),
            None => Ok(()),
        }
    }

    /// Publishes everything staged, at once.
    pub fn commit(mut self) -> Result<(), SearchError> {
        if let Some(mut w) = self.writer.take() {
            w.commit()?;
            drop(w);
            self.index.published()?;
        }
        Ok(())
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if let Some(mut w) = self.writer.take() {
            // Throws away what was staged; if even that fails, the writer is unusable and the
            // next write reports it, while the committed index is untouched.
            if let Err(e) = w.rollback() {
                tracing::warn!(error = %e, "could not throw away the staged index changes");
            }
        }
    }
}
