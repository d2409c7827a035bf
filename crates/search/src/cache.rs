//! A small cache of search results, emptied at every commit.
//!
//! Catalogue traffic repeats itself — the home page's browse links, the first page of popular
//! words, facet clicks — as Solr's query-result cache and Elasticsearch's request cache assume
//! too. Results are cheap to keep (a page of hits and the facet counts) and a commit clears them
//! all, so a cached answer is never older than the index view it was computed on.

use crate::query::SearchResults;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// Results by request, least recently used evicted first; `None` when disabled.
#[derive(Debug)]
pub(crate) struct ResultCache(Option<Mutex<LruCache<String, SearchResults>>>);

impl ResultCache {
    /// A cache of `entries` results (0: no cache).
    pub(crate) fn new(entries: usize) -> Self {
        ResultCache(NonZeroUsize::new(entries).map(|n| Mutex::new(LruCache::new(n))))
    }

    fn lock(
        m: &Mutex<LruCache<String, SearchResults>>,
    ) -> std::sync::MutexGuard<'_, LruCache<String, SearchResults>> {
        // A panic while holding the lock cannot leave a half-written entry behind.
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn get(&self, key: &str) -> Option<SearchResults> {
        let m = self.0.as_ref()?;
        Self::lock(m).get(key).cloned()
    }

    pub(crate) fn put(&self, key: String, results: &SearchResults) {
        if let Some(m) = &self.0 {
            Self::lock(m).put(key, results.clone());
        }
    }

    pub(crate) fn clear(&self) {
        if let Some(m) = &self.0 {
            Self::lock(m).clear();
        }
    }
}
