//! The reminders: one e-mail per holder for its records due this cycle, to its editors, and the
//! log of every attempt (`{data_dir}/review/reminders.jsonl`, one JSON line each, appended).
//!
//! A record is reminded once per *cycle* (its last confirmation): a reminder sent is not sent
//! again until the record is changed or confirmed and falls due once more. A failed send (the
//! mail server down or refusing) is logged and tried again at the next run. A holder with no
//! editor account carrying an e-mail address is logged once per cycle as having no recipient, and
//! reminded as soon as one exists.

use crate::mail::Mailer;
use crate::{Entry, Policy, ReviewError, State, overview};
use healthcat_auth::{Account, Accounts, Role};
use healthcat_model::messages::Catalogue;
use healthcat_store::Store;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The reminders' sentences, per language.
pub fn messages() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::new(FILES))
}

const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../messages/en.toml")),
    ("fr", include_str!("../messages/fr.toml")),
];

/// What happened to one record's reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The mail server accepted the e-mail.
    Sent,
    /// It did not (see the error); tried again at the next run.
    Failed,
    /// No editor of the holder has an e-mail address.
    NoRecipient,
}

/// One line of the reminder log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// When (RFC 3339).
    pub time: String,
    /// The record's local id.
    pub record: String,
    /// Its IRI.
    pub key: String,
    /// Its holder (`""`: none named).
    pub holder: String,
    /// The cycle: the last confirmation the reminder is about.
    pub cycle: String,
    /// Whom it was sent to.
    pub to: Vec<String>,
    /// What happened.
    pub outcome: Outcome,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The reminder log.
pub struct ReminderLog {
    path: PathBuf,
}

impl ReminderLog {
    /// The log of the catalogue in `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("review").join("reminders.jsonl"),
        }
    }

    fn err(&self, e: impl std::fmt::Display) -> ReviewError {
        ReviewError::Log {
            path: self.path.display().to_string(),
            message: e.to_string(),
        }
    }

    /// Every line, oldest first (none before the first reminder).
    pub fn read(&self) -> Result<Vec<LogLine>, ReviewError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.err(e)),
        };
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                serde_json::from_str(l)
                    .map_err(|e| self.err(format!("line {}: {e}; remove or fix it", n + 1)))
            })
            .collect()
    }

    /// Appends `lines`, each whole (one write of complete lines, flushed).
    pub fn append(&self, lines: &[LogLine]) -> Result<(), ReviewError> {
        if lines.is_empty() {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.err(e))?;
        }
        let mut text = String::new();
        for l in lines {
            text.push_str(&serde_json::to_string(l).map_err(|e| self.err(e))?);
            text.push('\n');
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| self.err(e))?;
        f.write_all(text.as_bytes()).map_err(|e| self.err(e))?;
        f.sync_data().map_err(|e| self.err(e))
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunReport {
    /// E-mails the server accepted.
    pub emails: usize,
    /// Records they were about.
    pub reminded: usize,
    /// Records whose reminder failed (tried again next run).
    pub failed: usize,
    /// Records of holders with nobody to write to.
    pub no_recipient: usize,
}

/// Everything a run needs.
pub struct Reminders<'a> {
    /// The records.
    pub store: &'a Store,
    /// Who the holders' editors are, with their addresses.
    pub accounts: &'a Accounts,
    /// How to send.
    pub mailer: &'a Mailer,
    /// Where attempts are written.
    pub log: &'a ReminderLog,
    /// When records are due.
    pub policy: Policy,
    /// The e-mails' language.
    pub lang: String,
    /// The catalogue's public address (links in the e-mails).
    pub base_url: String,
    /// The catalogue's name (signature).
    pub catalogue: String,
}

/// The editors of `holder` with an e-mail address, enabled.
fn recipients(accounts: &[Account], holder: &str) -> Vec<String> {
    let mut to: Vec<String> = accounts
        .iter()
        .filter(|a| a.role == Role::Editor && a.disabled.is_none())
        .filter(|a| a.publishers.iter().any(|p| p == holder))
        .filter_map(|a| a.email.clone())
        .collect();
    to.sort();
    to.dedup();
    to
}

impl Reminders<'_> {
    /// Sends the reminders due at `now` that were not sent yet, and logs each attempt.
    pub fn run(&self, now: Timestamp) -> Result<RunReport, ReviewError> {
        let review = overview(self.store, now, &self.policy)?;
        let past = self.log.read()?;
        let done: HashSet<(&str, &str)> = past
            .iter()
            .filter(|l| l.outcome == Outcome::Sent)
            .map(|l| (l.record.as_str(), l.cycle.as_str()))
            .collect();
        let noted: HashSet<(&str, &str)> = past
            .iter()
            .filter(|l| l.outcome == Outcome::NoRecipient)
            .map(|l| (l.record.as_str(), l.cycle.as_str()))
            .collect();
        let mut by_holder: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
        for e in &review.entries {
            if e.state != State::Current && !done.contains(&(e.id.as_str(), e.confirmed.as_str())) {
                by_holder
                    .entry(e.holder.clone().unwrap_or_default())
                    .or_default()
                    .push(e);
            }
        }
        let accounts = self.accounts.list()?;
        let mut report = RunReport::default();
        let time = now.to_string();
        for (holder, entries) in by_holder {
            let to = recipients(&accounts, &holder);
            let line = |e: &Entry, outcome, error| LogLine {
                time: time.clone(),
                record: e.id.clone(),
                key: e.key.clone(),
                holder: holder.clone(),
                cycle: e.confirmed.clone(),
                to: to.clone(),
                outcome,
                error,
            };
            if to.is_empty() {
                let lines: Vec<LogLine> = entries
                    .iter()
                    .filter(|e| !noted.contains(&(e.id.as_str(), e.confirmed.as_str())))
                    .map(|e| line(e, Outcome::NoRecipient, None))
                    .collect();
                report.no_recipient += entries.len();
                self.log.append(&lines)?;
                continue;
            }
            let (subject, body) = self.email(&holder, &entries);
            let (outcome, error) = match self.mailer.send(&to, &subject, body) {
                Ok(()) => {
                    report.emails += 1;
                    report.reminded += entries.len();
                    (Outcome::Sent, None)
                }
                Err(e) => {
                    tracing::warn!(holder, error = %e, "annual review reminder not sent; tried again at the next run");
                    report.failed += entries.len();
                    (Outcome::Failed, Some(e))
                }
            };
            let lines: Vec<LogLine> = entries
                .iter()
                .map(|e| line(e, outcome, error.clone()))
                .collect();
            self.log.append(&lines)?;
        }
        Ok(report)
    }

    /// The subject and text of the reminder to `holder` about `entries`.
    fn email(&self, holder: &str, entries: &[&Entry]) -> (String, String) {
        let m = messages();
        let lang = self.lang.as_str();
        let name = if holder.is_empty() {
            m.fill(lang, "review.no_holder", &[])
        } else {
            self.store
                .names_of(holder, "local")
                .ok()
                .and_then(|names| {
                    names
                        .iter()
                        .find(|(l, _)| l == lang)
                        .or(names.first())
                        .map(|(_, n)| n.clone())
                })
                .unwrap_or_else(|| holder.to_owned())
        };
        let base = self.base_url.trim_end_matches('/');
        let list: String = entries
            .iter()
            .map(|e| {
                let overdue = e.state == State::Overdue;
                m.fill(
                    lang,
                    if overdue {
                        "review.item_overdue"
                    } else {
                        "review.item_due"
                    },
                    &[
                        ("record", &e.key),
                        ("confirmed", date(&e.confirmed)),
                        ("due", date(&e.due_at)),
                        ("link", &format!("{base}/datasets/{}", e.id)),
                    ],
                ) + "\n"
            })
            .collect();
        let count = entries.len().to_string();
        let subject = m.fill(
            lang,
            "review.subject",
            &[("count", &count), ("holder", &name)],
        );
        let body = m.fill(
            lang,
            "review.body",
            &[
                ("holder", &name),
                ("count", &count),
                ("months", &self.policy.due_after_months.to_string()),
                ("list", &list),
                ("review", &format!("{base}/edit/review")),
                ("catalogue", &self.catalogue),
            ],
        );
        (subject, body)
    }
}

/// The date of an RFC 3339 time.
fn date(time: &str) -> &str {
    time.get(..10).unwrap_or(time)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_language_has_every_sentence() {
        assert_eq!(
            healthcat_model::messages::Catalogue::missing(super::FILES),
            Vec::<String>::new()
        );
    }
}
