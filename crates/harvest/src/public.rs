//! What the public may see of the harvest sources and their runs (the catalogue's harvest
//! pages and `/api/harvest`): each source with the summary of its last run, its kept runs and one
//! report. What a source file says about credentials (`[http] headers`, `api_key_env`) is never
//! part of it.

use crate::config::Kind;
use crate::{SourceConfig, StateDir};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The configured sources and where their reports are.
#[derive(Debug, Default)]
pub struct HarvestSources {
    /// The sources, in file order.
    pub sources: Vec<SourceConfig>,
    /// The catalogue's data folder (reports in `harvest/{id}/`).
    pub data_dir: PathBuf,
}

impl HarvestSources {
    /// The state folder of source `id`.
    pub fn state(&self, id: &str) -> StateDir {
        StateDir::new(&self.data_dir, id)
    }

    /// The source `id`.
    pub fn find(&self, id: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// A source as the public may see it, with the summary of its last run.
fn summary(sources: &HarvestSources, s: &SourceConfig) -> Value {
    let last = sources.state(&s.id).last().map(|r| {
        json!({
            "status": r["status"],
            "started": r["started"],
            "finished": r["finished"],
            "duration_seconds": r["duration_seconds"],
            "pages": r["pages"],
            "new": r["new"],
            "updated": r["updated"],
            "unchanged": r["unchanged"],
            "withdrawn": r["withdrawn"],
            "invalid": r["invalid"].as_array().map_or(0, Vec::len),
            "errors": r["errors"],
            "guard": r["guard"],
        })
    });
    json!({
        "id": s.id,
        "title": s.title,
        "url": s.url,
        "kind": match s.kind { Kind::Dcat => "dcat", Kind::Fdp => "fdp", Kind::Sparql => "sparql" },
        "schedule": s.schedule,
        "profile": s.profile,
        "last": last,
    })
}

impl HarvestSources {
    /// Every source with the summary of its last run, in file order.
    pub fn summaries(&self) -> Vec<Value> {
        self.sources.iter().map(|s| summary(self, s)).collect()
    }

    /// The detail of source `id`: its summary, its kept runs and one report (the last, or the
    /// run named); `None` when there is no such source or run.
    pub fn detail(&self, id: &str, run: Option<&str>) -> Option<Value> {
        let source = self.find(id)?;
        let dir = self.state(id);
        let report = match run {
            Some(name) => Some(dir.run(name)?),
            None => dir.last(),
        };
        Some(json!({
            "source": summary(self, source),
            "runs": dir.run_names(),
            "report": report,
        }))
    }
}
