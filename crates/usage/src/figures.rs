//! Reading the counters back: a period of days, the figures of one scope per day or in total.

use crate::UsageError;
use crate::tally::{SYNTAXES, day_text};
use healthcat_store::{Counters, Store};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// The longest period a page or report covers, in days (three years: a biennial report and
/// some).
pub const MAX_DAYS: i64 = 1100;

/// A period of whole days (UTC), both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
}

fn parse_day(field: &'static str, text: &str) -> Result<Date, UsageError> {
    text.trim().parse::<Date>().map_err(|_| UsageError::Period {
        field,
        problem: format!("'{text}' is not a date; give one as 2026-12-05"),
    })
}

impl Period {
    /// The period from the `from` and `to` parameters (`2026-01-01`); a missing `to` is `today`,
    /// a missing `from` is `default_days` before `to`. Refused: a date that does not parse, `from`
    /// after `to`, more than [`MAX_DAYS`].
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: Date,
        default_days: i64,
    ) -> Result<Self, UsageError> {
        let to = match to.filter(|t| !t.trim().is_empty()) {
            Some(t) => parse_day("to", t)?,
            None => today,
        };
        let from = match from.filter(|f| !f.trim().is_empty()) {
            Some(f) => parse_day("from", f)?,
            None => to
                .checked_sub(jiff::Span::new().days(default_days - 1))
                .unwrap_or(to),
        };
        if from > to {
            return Err(UsageError::Period {
                field: "from",
                problem: format!("{from} is after to={to}; give a first day before the last"),
            });
        }
        let period = Self { from, to };
        if period.len() > MAX_DAYS {
            return Err(UsageError::Period {
                field: "from",
                problem: format!(
                    "{from} to {to} is {} days; a period covers at most {MAX_DAYS}",
                    period.len()
                ),
            });
        }
        Ok(period)
    }

    /// Today (UTC).
    pub fn today() -> Date {
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    }

    /// How many days.
    pub fn len(&self) -> i64 {
        (self.to - self.from).get_days() as i64 + 1
    }

    /// Never empty: a period has at least one day.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Its days, in order, as `2026-12-05`.
    pub fn days(&self) -> Vec<String> {
        let start = i64::from((self.from - jiff::civil::date(1970, 1, 1)).get_days());
        (0..self.len()).map(|i| day_text(start + i)).collect()
    }

    /// The first instant after it (RFC 3339), for comparing times.
    pub fn end_time(&self) -> String {
        format!("{}T00:00:00Z", self.to.tomorrow().unwrap_or(self.to))
    }

    /// Its first instant (RFC 3339).
    pub fn start_time(&self) -> String {
        format!("{}T00:00:00Z", self.from)
    }
}

/// What a scope's counters say, grouped as the pages and the report show them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Page views.
    pub views: u64,
    /// Metadata downloads, every syntax.
    pub downloads: u64,
    /// Metadata downloads per syntax (file extension).
    pub downloads_by: BTreeMap<String, u64>,
    /// Times shown in search results.
    pub impressions: u64,
    /// JSON API reads.
    pub api: u64,
    /// Access routes followed.
    pub requests: u64,
    /// Searches made (the catalogue's scope only).
    pub searches: u64,
}

impl Figures {
    /// Adds one cell's counters.
    pub fn add(&mut self, counts: &Counters) {
        for (name, &n) in counts {
            let slot = match name.as_str() {
                "views" => &mut self.views,
                "impressions" => &mut self.impressions,
                "api" => &mut self.api,
                "requests" => &mut self.requests,
                "searches" => &mut self.searches,
                other => match other.strip_prefix("download.") {
                    Some(ext) => {
                        let by = self.downloads_by.entry(ext.to_owned()).or_default();
                        *by = by.saturating_add(n);
                        &mut self.downloads
                    }
                    // A counter of a later version: kept in the store, not shown.
                    None => continue,
                },
            };
            *slot = slot.saturating_add(n);
        }
    }

    /// Adds another's figures.
    pub fn merge(&mut self, other: &Figures) {
        for (a, b) in [
            (&mut self.views, other.views),
            (&mut self.downloads, other.downloads),
            (&mut self.impressions, other.impressions),
            (&mut self.api, other.api),
            (&mut self.requests, other.requests),
            (&mut self.searches, other.searches),
        ] {
            *a = a.saturating_add(b);
        }
        for (k, v) in &other.downloads_by {
            let by = self.downloads_by.entry(k.clone()).or_default();
            *by = by.saturating_add(*v);
        }
    }

    /// Downloads of `ext`, in the order of [`SYNTAXES`].
    pub fn downloads_per_syntax(&self) -> Vec<(&'static str, u64)> {
        SYNTAXES
            .iter()
            .map(|s| (*s, self.downloads_by.get(*s).copied().unwrap_or(0)))
            .collect()
    }
}

/// The figures of `scope` (`catalogue`, `dataset:{id}`, `publisher:{iri}`) on each day of
/// `period` (days without use included, as zeros), and their total.
pub fn daily(
    store: &Store,
    scope: &str,
    period: &Period,
) -> Result<(Vec<(String, Figures)>, Figures), UsageError> {
    let days = period.days();
    let mut kept: BTreeMap<String, Counters> = store.usage(scope, &days)?.into_iter().collect();
    let mut total = Figures::default();
    let out = days
        .into_iter()
        .map(|d| {
            let mut f = Figures::default();
            if let Some(c) = kept.remove(&d) {
                f.add(&c);
            }
            total.merge(&f);
            (d, f)
        })
        .collect();
    Ok((out, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn periods_default_and_refuse_with_the_parameter_named() {
        let today = date("2026-12-05");
        let p = Period::parse(None, None, today, 30).unwrap();
        assert_eq!((p.from, p.to, p.len()), (date("2026-11-06"), today, 30));
        assert_eq!(p.days()[0], "2026-11-06");
        assert_eq!(p.days().last().unwrap(), "2026-12-05");
        assert_eq!(p.end_time(), "2026-12-06T00:00:00Z");
        let e = Period::parse(Some("2026-13-01"), None, today, 30)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("from: '2026-13-01' is not a date"), "{e}");
        let e = Period::parse(Some("2026-12-06"), Some("2026-12-05"), today, 30)
            .unwrap_err()
            .to_string();
        assert!(e.contains("after"), "{e}");
        let e = Period::parse(Some("2020-01-01"), None, today, 30)
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 1100"), "{e}");
    }
}
