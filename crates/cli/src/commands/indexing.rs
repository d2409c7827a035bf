//! Keeping the search index a projection of the store.
//!
//! The store is the truth; the index follows it. Every write marks the index *pending* (a file in
//! its folder) before touching the store, and clears the mark once the index has caught up, in the
//! same command. A process killed in between leaves the mark, and the next command that opens the
//! index reconciles it: every record whose content hash differs from the index's (or that the
//! index lacks) is re-indexed, every indexed record the store no longer has is removed.

use super::Ctx;
use anyhow::{Context, Result};
use healthcat_model::LocalId;
use healthcat_search::SearchIndex;
use healthcat_store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

use healthcat_search::BATCH;

/// The index folder inside the data directory.
pub fn index_dir(ctx: &Ctx) -> PathBuf {
    ctx.config.data_dir.join("search")
}

fn pending_mark(ctx: &Ctx) -> PathBuf {
    index_dir(ctx).join("PENDING")
}

/// Opens the index, reconciling it with the store first if a write was interrupted or the counts
/// disagree.
pub fn open(ctx: &Ctx, store: &Store) -> Result<SearchIndex> {
    let dir = index_dir(ctx);
    let index = SearchIndex::open(&dir)
        .with_context(|| {
            format!(
                "cannot open the search index in {} (run `healthcat reindex`)",
                dir.display()
            )
        })?
        .with_settings(healthcat_search::SearchSettings {
            typo_min_chars: ctx.config.search.typo_min_chars,
            cache_entries: ctx.config.search.cache_entries,
        });
    let stored = store.counts()?.records();
    if pending_mark(ctx).exists() || index.len() != stored {
        let (upserted, deleted) = reconcile(store, &index, !ctx.quiet)?;
        if !ctx.quiet && upserted + deleted > 0 {
            eprintln!(
                "search index caught up with the store: {upserted} records indexed, {deleted} removed"
            );
        }
        let _ = std::fs::remove_file(pending_mark(ctx));
    }
    Ok(index)
}

/// Marks the index as behind the store (call before a store write).
pub fn mark_pending(ctx: &Ctx) -> Result<()> {
    let dir = index_dir(ctx);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(pending_mark(ctx), b"")
        .with_context(|| format!("cannot write {}", pending_mark(ctx).display()))
}

/// Clears the mark (call once the index has the store's changes).
pub fn clear_pending(ctx: &Ctx) {
    let _ = std::fs::remove_file(pending_mark(ctx));
}

/// Re-indexes these records (removing those the store no longer has) and commits.
pub fn update(store: &Store, index: &SearchIndex, ids: &[LocalId]) -> Result<()> {
    Ok(index.refresh(store, ids)?)
}

/// Brings the index to the store's state; returns (records indexed, records removed).
pub fn reconcile(store: &Store, index: &SearchIndex, progress: bool) -> Result<(u64, u64)> {
    let stored = store.record_hashes()?;
    let mut indexed = index.hashes()?;
    let stale: Vec<LocalId> = stored
        .iter()
        .filter(|(id, hash)| indexed.remove(id.as_str()).as_deref() != Some(hash.as_str()))
        .map(|(id, _)| id.clone())
        .collect();
    // What is left in `indexed` is no longer in the store.
    let gone: Vec<String> = indexed.into_keys().collect();
    let bar = if progress && stale.len() > BATCH {
        let bar = ProgressBar::new(stale.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "indexing {bar:40} {pos}/{len} records ({per_sec}, {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let (mut reading, mut indexing) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for chunk in stale.chunks(BATCH) {
        let started = std::time::Instant::now();
        let docs = healthcat_search::read_documents(store, chunk)?;
        reading += started.elapsed();
        let started = std::time::Instant::now();
        index.upsert(&docs)?;
        indexing += started.elapsed();
        bar.inc(chunk.len() as u64);
    }
    index.delete(&gone)?;
    let started = std::time::Instant::now();
    index.commit()?;
    tracing::debug!(?reading, ?indexing, committing = ?started.elapsed(), "reconciled");
    bar.finish_and_clear();
    Ok((stale.len() as u64, gone.len() as u64))
}
