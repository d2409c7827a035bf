//! # healthcat-review
//!
//! The annual review of the catalogue's records (EHDS Art. 60(3): data holders keep their
//! descriptions current, at least once a year).
//!
//! - **Last confirmed**: a record is confirmed by any change of its content (an import, a harvest
//!   or push bringing a new version, an edit) or by an explicit "still accurate" confirmation by
//!   an editor of its publisher or an administrator (`Store::confirm`, through
//!   `healthcat_ingest`'s edits); the later of the two counts.
//! - **When**: a record is *due* once [`Policy::remind_after_months`] (11) have passed since then,
//!   *overdue* after [`Policy::due_after_months`] (12). [`overview`] sorts every record into
//!   current, due and overdue, per holder (its publisher) and per source.
//! - **Reminders** ([`reminders`]): once a record is due, its holder's editors get one e-mail for
//!   the records due in this cycle (SMTP, [`mail`]); each attempt is written to the reminder log,
//!   a failure is tried again at the next run, and a record is reminded once per cycle.
//!
//! Every function takes the time as a parameter (`now`): the server passes the clock, tests and
//! `healthcat review --now` a chosen date.
#![warn(missing_docs)]

pub mod mail;
pub mod reminders;

use healthcat_store::{ReviewRow, Store, StoreError};
use jiff::{Timestamp, ToSpan, tz::TimeZone};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why the review could not be read or a reminder run could not start.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Reading the store failed.
    #[error("reading the store: {0}")]
    Store(#[from] StoreError),
    /// Reading the accounts failed.
    #[error("reading the accounts: {0}")]
    Auth(#[from] healthcat_auth::AuthError),
    /// The reminder log could not be read or written.
    #[error("{path}: {message}")]
    Log {
        /// The file.
        path: String,
        /// What happened.
        message: String,
    },
    /// The mail settings are wrong.
    #[error("[review.smtp] {0}")]
    Settings(String),
}

/// The annual review of a running catalogue: its policy and its reminder log.
pub struct Review {
    /// When records are due.
    pub policy: Policy,
    /// Where reminders are logged (none: a catalogue without a data directory, in tests).
    pub log: Option<reminders::ReminderLog>,
}

impl Review {
    /// The review of the catalogue in `data_dir`.
    pub fn new(policy: Policy, data_dir: &std::path::Path) -> Self {
        Self {
            policy,
            log: Some(reminders::ReminderLog::new(data_dir)),
        }
    }

    /// The default policy, without a reminder log.
    pub fn unlogged() -> Self {
        Self {
            policy: Policy::default(),
            log: None,
        }
    }
}

/// When a record is due and overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Months after its last confirmation when a record is due (its holder is reminded).
    pub remind_after_months: i32,
    /// Months after its last confirmation when a record is overdue.
    pub due_after_months: i32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            remind_after_months: 11,
            due_after_months: 12,
        }
    }
}

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Confirmed less than [`Policy::remind_after_months`] ago.
    Current,
    /// Past the reminder, not yet overdue.
    Due,
    /// Not confirmed for [`Policy::due_after_months`] or more.
    Overdue,
}

/// One record in the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The record's local id.
    pub id: String,
    /// Its IRI.
    pub key: String,
    /// Its source.
    pub source: String,
    /// Its holder (publisher IRI), when it names one.
    pub holder: Option<String>,
    /// When it was last confirmed (RFC 3339).
    pub confirmed: String,
    /// By whom, when by an explicit confirmation (none: by a change of its content).
    pub confirmed_by: Option<String>,
    /// When its holder is (or was) reminded.
    pub remind_at: String,
    /// When it is (or was) overdue.
    pub due_at: String,
    /// Where it stands.
    pub state: State,
}

/// Counts of a holder's or a source's records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The holder's IRI or the source's id (`""`: records naming no publisher).
    pub name: String,
    /// Its records.
    pub total: usize,
    /// Confirmed within the reminder period.
    pub current: usize,
    /// Due.
    pub due: usize,
    /// Overdue.
    pub overdue: usize,
    /// Its oldest confirmation (RFC 3339).
    pub oldest: String,
}

impl Group {
    fn add(&mut self, e: &Entry) {
        self.total += 1;
        match e.state {
            State::Current => self.current += 1,
            State::Due => self.due += 1,
            State::Overdue => self.overdue += 1,
        }
        if self.oldest.is_empty() || e.confirmed < self.oldest {
            self.oldest = e.confirmed.clone();
        }
    }
}

/// The catalogue's review at a time.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overview {
    /// The time it was computed for.
    pub now: String,
    /// Every record, the oldest confirmation first.
    pub entries: Vec<Entry>,
    /// Per holder, the most overdue first.
    pub holders: Vec<Group>,
    /// Per source, the most overdue first.
    pub sources: Vec<Group>,
    /// The whole catalogue.
    pub total: Group,
}

impl Policy {
    /// The entry for `row` at `now`.
    pub fn entry(&self, row: &ReviewRow, now: Timestamp) -> Entry {
        let changed = row.modified.parse::<Timestamp>().ok();
        let confirmed = row
            .confirmed
            .as_ref()
            .and_then(|c| Some((c.time.parse::<Timestamp>().ok()?, c.by.clone())));
        // The later of a change and a confirmation; an unreadable date counts as never.
        let (last, by) = match (changed, confirmed) {
            (Some(m), Some((c, by))) if c > m => (c, Some(by)),
            (Some(m), _) => (m, None),
            (None, Some((c, by))) => (c, Some(by)),
            (None, None) => (Timestamp::UNIX_EPOCH, None),
        };
        let plus = |months: i32| {
            last.to_zoned(TimeZone::UTC)
                .checked_add(months.months())
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::MAX)
        };
        let (remind_at, due_at) = (plus(self.remind_after_months), plus(self.due_after_months));
        let state = if now >= due_at {
            State::Overdue
        } else if now >= remind_at {
            State::Due
        } else {
            State::Current
        };
        Entry {
            id: row.local_id.to_string(),
            key: row.key.clone(),
            source: row.source.clone(),
            holder: row.publisher.clone(),
            confirmed: last.to_string(),
            confirmed_by: by,
            remind_at: remind_at.to_string(),
            due_at: due_at.to_string(),
            state,
        }
    }
}

/// A time given as RFC 3339 or as a date (midnight UTC): `healthcat review --now`, the pages'
/// `?at=`; `None` when it is neither.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    text.parse::<Timestamp>().ok().or_else(|| {
        text.parse::<jiff::civil::Date>()
            .ok()?
            .to_zoned(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    })
}

/// Every record of `store` at `now`, with the counts per holder and per source.
pub fn overview(store: &Store, now: Timestamp, policy: &Policy) -> Result<Overview, ReviewError> {
    let mut entries: Vec<Entry> = store
        .review_rows()?
        .iter()
        .map(|r| policy.entry(r, now))
        .collect();
    entries.sort_by(|a, b| a.confirmed.cmp(&b.confirmed).then(a.id.cmp(&b.id)));
    let mut holders: BTreeMap<String, Group> = BTreeMap::new();
    let mut sources: BTreeMap<String, Group> = BTreeMap::new();
    let mut total = Group::default();
    for e in &entries {
        let h = e.holder.clone().unwrap_or_default();
        holders
            .entry(h.clone())
            .or_insert_with(|| Group {
                name: h,
                ..Group::default()
            })
            .add(e);
        sources
            .entry(e.source.clone())
            .or_insert_with(|| Group {
                name: e.source.clone(),
                ..Group::default()
            })
            .add(e);
        total.add(e);
    }
    let sorted = |m: BTreeMap<String, Group>| {
        let mut v: Vec<Group> = m.into_values().collect();
        v.sort_by(|a, b| {
            (b.overdue, b.due)
                .cmp(&(a.overdue, a.due))
                .then(a.name.cmp(&b.name))
        });
        v
    };
    Ok(Overview {
        now: now.to_string(),
        entries,
        holders: sorted(holders),
        sources: sorted(sources),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use healthcat_model::LocalId;
    use healthcat_store::Confirmation;

    fn row(modified: &str, confirmed: Option<&str>) -> ReviewRow {
        ReviewRow {
            local_id: LocalId::new("r".to_owned()).unwrap(),
            key: "https://ex.org/r".into(),
            source: "local".into(),
            publisher: Some("https://ex.org/org".into()),
            modified: modified.into(),
            confirmed: confirmed.map(|t| Confirmation {
                time: t.into(),
                by: "ed".into(),
            }),
        }
    }

    fn at(t: &str) -> Timestamp {
        t.parse().unwrap()
    }

    #[test]
    fn a_record_is_due_after_eleven_months_and_overdue_after_twelve() {
        let p = Policy::default();
        let r = row("2026-01-31T10:00:00Z", None);
        let e = p.entry(&r, at("2026-12-30T10:00:00Z"));
        assert_eq!(e.state, State::Current);
        assert_eq!(e.remind_at, "2026-12-31T10:00:00Z");
        assert_eq!(p.entry(&r, at("2026-12-31T10:00:00Z")).state, State::Due);
        // Calendar months, not 30-day ones.
        assert_eq!(e.due_at, "2027-01-31T10:00:00Z");
        assert_eq!(
            p.entry(&r, at("2027-01-31T10:00:00Z")).state,
            State::Overdue
        );
    }

    #[test]
    fn the_later_of_a_change_and_a_confirmation_counts() {
        let p = Policy::default();
        let now = at("2027-06-01T00:00:00Z");
        let confirmed = row("2026-01-01T00:00:00Z", Some("2026-12-01T00:00:00Z"));
        let e = p.entry(&confirmed, now);
        assert_eq!(
            (e.state, e.confirmed_by.as_deref()),
            (State::Current, Some("ed"))
        );
        // A confirmation older than the last change is not the one that counts.
        let stale = row("2026-12-01T00:00:00Z", Some("2026-01-01T00:00:00Z"));
        let e = p.entry(&stale, now);
        assert_eq!(
            (e.confirmed.as_str(), e.confirmed_by),
            ("2026-12-01T00:00:00Z", None)
        );
        // An unreadable date is never confirmed: overdue, not silently current.
        assert_eq!(p.entry(&row("yesterday", None), now).state, State::Overdue);
    }
}
