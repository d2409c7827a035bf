//! Aggregation on write: the counters of the current period in memory, added to the store's day
//! counters by [`Tally::flush`].
//!
//! A count is an increment of one slot of one cell, under a short lock; a cell is (day, dataset).
//! Only records that exist are counted (the callers count after finding the record), so the
//! cells between two flushes are at most the records × the days the interval spans — a flood of
//! requests raises numbers, never memory. A hard ceiling ([`Tally::with_ceiling`]) backs this
//! up: past it, counts are dropped and the drop is logged, never stored elsewhere.

use crate::{Client, Endpoint};
use healthcat_model::LocalId;
use healthcat_store::{Counters, Store, StoreError, UsageCell};
use std::collections::HashMap;
use std::sync::Mutex;

/// The RDF syntaxes a record is downloaded in, by the name of its file extension.
pub const SYNTAXES: [&str; 4] = ["ttl", "nt", "rdf", "jsonld"];

/// What one request did with one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Its page was read.
    View,
    /// Its metadata was downloaded in the syntax [`SYNTAXES`]`[i]`.
    Download(usize),
    /// It was shown in a search result.
    Impression,
    /// It was read through the JSON API.
    Api,
    /// A reader followed its access route (the application for access).
    Request,
}

const SLOTS: usize = 4 + SYNTAXES.len();

impl Metric {
    /// The download of a syntax by its extension (`ttl`…), `None` for one not counted.
    pub fn download(ext: &str) -> Option<Self> {
        SYNTAXES.iter().position(|s| *s == ext).map(Self::Download)
    }

    fn slot(self) -> usize {
        match self {
            Self::View => 0,
            Self::Impression => 1,
            Self::Api => 2,
            Self::Request => 3,
            Self::Download(i) => 4 + i.min(SYNTAXES.len() - 1),
        }
    }

    /// Where it happens, for [`Client::counts`].
    pub fn endpoint(self) -> Endpoint {
        match self {
            Self::View | Self::Request => Endpoint::Page,
            Self::Download(_) | Self::Api => Endpoint::Machine,
            // Counted by the caller with the search's own endpoint (see `Tally::shown`).
            Self::Impression => Endpoint::Page,
        }
    }

    /// The counter's name in the store.
    pub fn name(self) -> String {
        match self {
            Self::View => "views".into(),
            Self::Impression => "impressions".into(),
            Self::Api => "api".into(),
            Self::Request => "requests".into(),
            Self::Download(i) => format!("download.{}", SYNTAXES[i.min(SYNTAXES.len() - 1)]),
        }
    }

    fn all() -> impl Iterator<Item = Self> {
        [Self::View, Self::Impression, Self::Api, Self::Request]
            .into_iter()
            .chain((0..SYNTAXES.len()).map(Self::Download))
    }
}

/// One day's counts in memory.
#[derive(Default)]
struct Day {
    datasets: HashMap<Box<str>, [u64; SLOTS]>,
    searches: u64,
}

#[derive(Default)]
struct Inner {
    days: HashMap<i64, Day>,
    cells: usize,
    dropped: u64,
}

/// The counters not yet flushed. Cheap to share (`Arc`); counting never blocks on the store.
pub struct Tally {
    inner: Mutex<Inner>,
    ceiling: usize,
}

impl Default for Tally {
    fn default() -> Self {
        Self::with_ceiling(1_000_000)
    }
}

/// Today (UTC), as days since 1970-01-01.
fn today() -> i64 {
    jiff::Timestamp::now().as_second().div_euclid(86_400)
}

/// A day number as `2026-12-05`.
pub(crate) fn day_text(day: i64) -> String {
    jiff::Timestamp::from_second(day * 86_400)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

impl Tally {
    /// A tally that holds at most `ceiling` (day, dataset) cells between two flushes.
    pub fn with_ceiling(ceiling: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            ceiling,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Counting panics nowhere; a poisoned lock still holds sound numbers.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts `metric` for dataset `id` if `client` counts there.
    pub fn count(&self, client: Client, id: &str, metric: Metric) {
        if client.counts(metric.endpoint()) {
            self.add(today(), id, metric, 1);
        }
    }

    /// Counts one search made at `endpoint` and one impression for each dataset it showed.
    pub fn shown<'a>(
        &self,
        client: Client,
        endpoint: Endpoint,
        ids: impl IntoIterator<Item = &'a str>,
    ) {
        if !client.counts(endpoint) {
            return;
        }
        let day = today();
        let mut inner = self.lock();
        inner.days.entry(day).or_default().searches += 1;
        for id in ids {
            bump(&mut inner, self.ceiling, day, id, Metric::Impression, 1);
        }
    }

    /// Adds `n` to `metric` of `id` on `day` (days since 1970-01-01): counting with a chosen
    /// clock, for tests and replays.
    pub fn add(&self, day: i64, id: &str, metric: Metric, n: u64) {
        let mut inner = self.lock();
        bump(&mut inner, self.ceiling, day, id, metric, n);
    }

    /// How many (day, dataset) cells wait for the next flush.
    pub fn cells(&self) -> usize {
        self.lock().cells
    }

    /// Adds what was counted since the last flush to the store's day counters: each dataset's,
    /// its publisher's (as the record names it at the flush) and the catalogue's, in one
    /// transaction. On a store error the counts are put back to be retried.
    pub fn flush(&self, store: &Store) -> Result<usize, StoreError> {
        let taken = std::mem::take(&mut *self.lock());
        if taken.dropped > 0 {
            tracing::warn!(
                dropped = taken.dropped,
                ceiling = self.ceiling,
                "usage counts dropped: more cells than the ceiling between two flushes"
            );
        }
        if taken.days.is_empty() {
            return Ok(0);
        }
        let mut publishers: HashMap<Box<str>, Option<String>> = HashMap::new();
        let mut cells = Vec::new();
        for (&day, counts) in &taken.days {
            let day_name = day_text(day);
            let mut catalogue = Counters::new();
            let mut by_publisher: HashMap<String, Counters> = HashMap::new();
            if counts.searches > 0 {
                catalogue.insert("searches".into(), counts.searches);
            }
            for (id, slots) in &counts.datasets {
                let publisher = match publishers.get(id) {
                    Some(p) => p.clone(),
                    None => {
                        let p = match LocalId::new(id.to_string()) {
                            Ok(local) => store.publisher_of(&local)?,
                            Err(_) => None,
                        };
                        publishers.insert(id.clone(), p.clone());
                        p
                    }
                };
                let mut own = Counters::new();
                for m in Metric::all() {
                    let n = slots[m.slot()];
                    if n == 0 {
                        continue;
                    }
                    own.insert(m.name(), n);
                    add_to(&mut catalogue, &m.name(), n);
                    if let Some(p) = &publisher {
                        add_to(by_publisher.entry(p.clone()).or_default(), &m.name(), n);
                    }
                }
                cells.push(UsageCell {
                    day: day_name.clone(),
                    scope: format!("dataset:{id}"),
                    counts: own,
                });
            }
            for (p, counts) in by_publisher {
                cells.push(UsageCell {
                    day: day_name.clone(),
                    scope: format!("publisher:{p}"),
                    counts,
                });
            }
            cells.push(UsageCell {
                day: day_name,
                scope: "catalogue".into(),
                counts: catalogue,
            });
        }
        let n = cells.len();
        if let Err(e) = store.add_usage(&cells) {
            // Put them back: the next flush retries (new counts add up with them).
            let mut inner = self.lock();
            for (day, counts) in taken.days {
                for (id, slots) in counts.datasets {
                    for m in Metric::all() {
                        if slots[m.slot()] > 0 {
                            bump(&mut inner, usize::MAX, day, &id, m, slots[m.slot()]);
                        }
                    }
                }
                inner.days.entry(day).or_default().searches += counts.searches;
            }
            return Err(e);
        }
        Ok(n)
    }
}

fn add_to(counters: &mut Counters, name: &str, n: u64) {
    let slot = counters.entry(name.to_owned()).or_default();
    *slot = slot.saturating_add(n);
}

fn bump(inner: &mut Inner, ceiling: usize, day: i64, id: &str, metric: Metric, n: u64) {
    let full = inner.cells >= ceiling;
    let d = inner.days.entry(day).or_default();
    let slots = match d.datasets.get_mut(id) {
        Some(slots) => slots,
        None if full => {
            inner.dropped = inner.dropped.saturating_add(n);
            return;
        }
        None => {
            inner.cells += 1;
            d.datasets.entry(id.into()).or_insert([0; SLOTS])
        }
    };
    let slot = &mut slots[metric.slot()];
    *slot = slot.saturating_add(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_raises_numbers_not_cells() {
        let tally = Tally::with_ceiling(3);
        for _ in 0..100_000 {
            tally.add(20_000, "a", Metric::View, 1);
        }
        tally.add(20_000, "b", Metric::Download(0), 1);
        tally.add(20_001, "a", Metric::View, 1);
        // A fourth cell is past the ceiling: dropped, not kept.
        tally.add(20_001, "c", Metric::View, 1);
        assert_eq!(tally.cells(), 3);
        let inner = tally.lock();
        assert_eq!(inner.days[&20_000].datasets["a"][0], 100_000);
        assert_eq!(inner.dropped, 1);
        assert!(!inner.days[&20_001].datasets.contains_key("c"));
    }

    #[test]
    fn names_and_syntaxes() {
        assert_eq!(
            Metric::download("jsonld").unwrap().name(),
            "download.jsonld"
        );
        assert_eq!(Metric::download("nq"), None);
        assert_eq!(day_text(20_427), "2025-12-05");
    }
}
