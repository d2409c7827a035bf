//! The search index of the data directory, opened for a command: caught up with the store first
//! when a write was interrupted (the protocol is `healthcat_search`'s: see
//! `SearchIndex::behind` and `SearchIndex::open_following`), with a progress bar for a long
//! catch-up.

use super::Ctx;
use anyhow::{Context, Result};
use healthcat_search::{BATCH, SearchIndex};
use healthcat_store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

/// The index folder inside the data directory.
pub fn index_dir(ctx: &Ctx) -> PathBuf {
    ctx.config.data_dir.join("search")
}

/// Opens the index, reconciling it with the store first if a write was interrupted or the counts
/// disagree.
pub fn open(ctx: &Ctx, store: &Store) -> Result<SearchIndex> {
    let dir = index_dir(ctx);
    let settings = healthcat_search::SearchSettings {
        typo_min_chars: ctx.config.search.typo_min_chars,
        cache_entries: ctx.config.search.cache_entries,
        concurrency: ctx.config.search.concurrency,
    };
    let bar = progress_bar("indexing");
    let shown = !ctx.quiet;
    let (index, caught) = SearchIndex::open_following(&dir, store, settings, &mut |done, total| {
        tick(&bar, shown, done, total)
    })
    .with_context(|| {
        format!(
            "cannot open the search index in {} (run `healthcat reindex`)",
            dir.display()
        )
    })?;
    bar.finish_and_clear();
    if !ctx.quiet && caught.indexed + caught.removed > 0 {
        eprintln!(
            "search index caught up with the store: {} records indexed, {} removed",
            caught.indexed, caught.removed
        );
    }
    Ok(index)
}

/// Marks the index behind the store when it could not be opened: the store is written anyway,
/// and the next command that opens the index catches it up.
pub fn mark_behind(ctx: &Ctx) -> Result<()> {
    let dir = index_dir(ctx);
    healthcat_search::mark_behind(&dir).with_context(|| format!("cannot mark {}", dir.display()))
}

/// Brings the index to the store's state, with a progress bar; (records indexed, removed).
pub fn reconcile(store: &Store, index: &SearchIndex, progress: bool) -> Result<(u64, u64)> {
    let bar = progress_bar("indexing");
    let caught = index.reconcile(store, &mut |done, total| tick(&bar, progress, done, total))?;
    bar.finish_and_clear();
    Ok((caught.indexed, caught.removed))
}

/// A bar for a pass over the records, hidden until [`tick`] shows it; `doing` says what it does.
pub fn progress_bar(doing: &str) -> ProgressBar {
    let bar = ProgressBar::hidden();
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{doing} {{bar:40}} {{pos}}/{{len}} records ({{per_sec}}, {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Shows the bar (when `shown`) once a pass is longer than one batch.
pub fn tick(bar: &ProgressBar, shown: bool, done: u64, total: u64) {
    if shown && total > BATCH as u64 && bar.is_hidden() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    bar.set_length(total);
    bar.set_position(done);
}
