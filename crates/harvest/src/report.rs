//! What a run did (the JSON report kept per run) and what the next run needs to know (the
//! source's state: conditional-request validators and the records each page listed).

use crate::HarvestError;
use crate::config::SourceConfig;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every page read; vanished records withdrawn (by policy).
    Ok,
    /// Every page read, but the source listed far fewer records than before: nothing withdrawn,
    /// an administrator should look.
    Guarded,
    /// A page could not be read or stored: what was read is stored, nothing withdrawn.
    Failed,
}

/// A record validation held back (or stored flagged).
#[derive(Debug, Clone, Serialize)]
pub struct Invalid {
    /// Its identity key.
    pub record: String,
    /// The page it was on.
    pub page: String,
    /// Violations.
    pub violations: usize,
    /// The first of them, in words.
    pub messages: Vec<String>,
    /// Whether it was stored anyway (policy `keep-flagged`).
    pub stored: bool,
}

/// The report of one run.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The source's id.
    pub source: String,
    /// Its address.
    pub url: String,
    /// Start (RFC 3339).
    pub started: String,
    /// End (RFC 3339).
    pub finished: String,
    /// Seconds.
    pub duration_seconds: f64,
    /// See [`Status`].
    pub status: Status,
    /// Pages requested.
    pub pages: usize,
    /// Of which answered 304 Not Modified.
    pub not_modified_pages: usize,
    /// Records stored for the first time.
    pub new: usize,
    /// Records whose content changed.
    pub updated: usize,
    /// Records as they were (not rewritten, not reindexed).
    pub unchanged: usize,
    /// Records withdrawn because the source no longer lists them.
    pub withdrawn: usize,
    /// Their keys.
    pub withdrawn_records: Vec<String>,
    /// Records that failed validation.
    pub invalid: Vec<Invalid>,
    /// What went wrong.
    pub errors: Vec<String>,
    /// Why nothing was withdrawn, when that was the safe choice.
    pub guard: Option<String>,
    /// What the run saw and left alone (links off the source's host…), for people.
    pub notes: Vec<String>,
    /// Records this source lists that another source brought first, left as they are: how many,
    /// by that source.
    pub elsewhere: std::collections::BTreeMap<String, usize>,
    /// Keys of every record the source listed (not written to the report file).
    #[serde(skip)]
    pub seen: HashSet<String>,
    #[serde(skip)]
    clock: Option<std::time::Instant>,
}

/// Longest error or note kept in a report: a message may quote what it failed on (a whole page),
/// and a source keeps many reports.
pub const MAX_MESSAGE: usize = 1000;

impl RunReport {
    /// Records an error, cut to [`MAX_MESSAGE`] bytes.
    pub(crate) fn error(&mut self, message: impl Into<String>) {
        self.errors
            .push(healthcat_store::shorten(message.into(), MAX_MESSAGE));
    }

    pub(crate) fn start(source: &SourceConfig) -> Self {
        Self {
            source: source.id.clone(),
            url: source.url.clone(),
            started: jiff::Timestamp::now().to_string(),
            finished: String::new(),
            duration_seconds: 0.0,
            status: Status::Ok,
            pages: 0,
            not_modified_pages: 0,
            new: 0,
            updated: 0,
            unchanged: 0,
            withdrawn: 0,
            withdrawn_records: Vec::new(),
            invalid: Vec::new(),
            errors: Vec::new(),
            guard: None,
            notes: Vec::new(),
            elsewhere: Default::default(),
            seen: HashSet::new(),
            clock: Some(std::time::Instant::now()),
        }
    }

    pub(crate) fn finish(&mut self) {
        if !self.errors.is_empty() {
            self.status = Status::Failed;
        }
        self.finished = jiff::Timestamp::now().to_string();
        self.duration_seconds = self.clock.map_or(0.0, |c| c.elapsed().as_secs_f64());
    }

    /// This run's id: the source and the start time, recorded with each record it brought.
    pub fn run_id(&self) -> String {
        format!("{}/{}", self.source, self.started)
    }

    /// One line for people.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} — {} new, {} updated, {} unchanged, {} withdrawn, {} invalid; {} pages ({} not modified) in {:.1} s",
            self.source,
            match self.status {
                Status::Ok => "ok",
                Status::Guarded => "GUARDED",
                Status::Failed => "FAILED",
            },
            self.new,
            self.updated,
            self.unchanged,
            self.withdrawn,
            self.invalid.len(),
            self.pages,
            self.not_modified_pages,
            self.duration_seconds
        ) + &self
            .elsewhere
            .iter()
            .map(|(owner, n)| format!("; {n} already from {owner}, left as they are"))
            .collect::<String>()
    }
}

/// One page as last read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PageState {
    /// Its address.
    pub url: String,
    /// `ETag` it came with.
    pub etag: Option<String>,
    /// `Last-Modified` it came with.
    pub last_modified: Option<String>,
    /// Keys of the records it listed.
    pub keys: Vec<String>,
    /// The page it linked to.
    pub next: Option<String>,
}

/// What the next run of a source needs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SourceState {
    /// Records listed by the last trustworthy run.
    pub records: usize,
    /// Pages of the last complete run.
    pub pages: Vec<PageState>,
}

/// How many run reports are kept per source.
pub const KEPT_RUNS: usize = 100;

/// A run report's file name: nothing that could leave the folder.
fn is_run_name(name: &str) -> bool {
    name.starts_with("run-")
        && name.ends_with(".json")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !name.contains("..")
}

/// Where a source's state and reports live: `{data_dir}/harvest/{source}/`.
pub struct StateDir(PathBuf);

impl StateDir {
    /// The folder of `source` under `data_dir`.
    pub fn new(data_dir: &Path, source: &str) -> Self {
        Self(data_dir.join("harvest").join(source))
    }

    /// The last state, or a fresh one.
    pub fn load(&self) -> SourceState {
        std::fs::read(self.0.join("state.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn write(&self, name: &str, value: &impl Serialize) -> Result<PathBuf, HarvestError> {
        let io = |e: std::io::Error| HarvestError::State(format!("{}: {e}", self.0.display()));
        std::fs::create_dir_all(&self.0).map_err(io)?;
        let path = self.0.join(name);
        let tmp = self.0.join(format!(".{name}.tmp"));
        let bytes =
            serde_json::to_vec_pretty(value).map_err(|e| HarvestError::State(e.to_string()))?;
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(path)
    }

    /// Saves the state (atomically).
    pub fn save(&self, state: &SourceState) -> Result<(), HarvestError> {
        self.write("state.json", state).map(|_| ())
    }

    /// Keeps a run's report as `run-{started}.json` and `last.json` (and the latest
    /// [`KEPT_RUNS`] reports only); returns the former's path.
    pub fn keep(&self, report: &RunReport) -> Result<PathBuf, HarvestError> {
        let name = format!("run-{}.json", report.started.replace([':', '.'], "-"));
        let path = self.write(&name, report)?;
        self.write("last.json", report)?;
        for old in self.run_names().into_iter().skip(KEPT_RUNS) {
            let _ = std::fs::remove_file(self.0.join(old));
        }
        Ok(path)
    }

    /// The names of the kept run reports, newest first.
    pub fn run_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .map(|d| {
                d.flatten()
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| is_run_name(n))
                    .collect()
            })
            .unwrap_or_default();
        // The names are start times, which sort as text.
        names.sort_unstable_by(|a, b| b.cmp(a));
        names
    }

    /// A kept run report by name (`run-….json`), as JSON.
    pub fn run(&self, name: &str) -> Option<serde_json::Value> {
        if !is_run_name(name) {
            return None;
        }
        let bytes = std::fs::read(self.0.join(name)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The last run's report, as JSON.
    pub fn last(&self) -> Option<serde_json::Value> {
        std::fs::read(self.0.join("last.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
    }
}
