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

    /// Adds records staged once each (a streamed import's new records): a record the index
    /// has committed is replaced, but no delete is queued for the others. Each queued delete is
    /// kept until the commit and checked against every segment written meanwhile, which at a
    /// million records cost time and memory for records the index cannot have.
    pub fn add(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let Some(w) = &self.writer else {
            return Ok(());
        };
        let searcher = self.index.reader.searcher();
        let (indexed, new): (Vec<&SearchDoc>, Vec<&SearchDoc>) = docs.iter().partition(|d| {
            let term = tantivy::Term::from_field_text(self.index.fields.id, &d.id);
            // Deleted documents count too: at worst a needless delete.
            searcher.doc_freq(&term).map_or(true, |n| n > 0)
        });
        for d in new {
            w.add_document(self.index.document(d))?;
        }
        self.index.upsert_with(w, indexed)
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

#[cfg(test)]
mod tests {
    use crate::{FACETS, SearchDoc, SearchIndex, SearchRequest};

    fn doc(id: &str, title: &str) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            titles: vec![("en".into(), title.into())],
            facets: vec![Vec::new(); FACETS.len()],
            ..Default::default()
        }
    }

    fn titles(index: &SearchIndex) -> Vec<String> {
        let mut t: Vec<String> = index
            .search(&SearchRequest {
                lang: "en".into(),
                ..Default::default()
            })
            .unwrap()
            .hits
            .into_iter()
            .map(|h| format!("{} {}", h.id, h.title))
            .collect();
        t.sort();
        t
    }

    #[test]
    fn staged_records_appear_at_the_commit_replace_what_was_there_or_go_if_dropped() {
        let index = SearchIndex::in_memory().unwrap();
        index.upsert(&[doc("a", "Old title")]).unwrap();
        index.commit().unwrap();

        let staging = index.staging();
        staging
            .add(&[doc("a", "New title"), doc("b", "Second")])
            .unwrap();
        // Not before the commit.
        assert_eq!(titles(&index), ["a Old title"]);
        staging.commit().unwrap();
        // `a` was indexed already: replaced, not doubled.
        assert_eq!(titles(&index), ["a New title", "b Second"]);

        let staging = index.staging();
        staging.add(&[doc("c", "Thrown away")]).unwrap();
        drop(staging);
        index.commit().unwrap();
        assert_eq!(titles(&index), ["a New title", "b Second"]);
    }
}
