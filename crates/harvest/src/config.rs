//! Harvest sources, one TOML file each (`harvest/*.toml`); see `harvest/README.md`.

use crate::HarvestError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What kind of endpoint a source is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A DCAT catalogue in any RDF syntax, one document or Hydra-paged.
    #[default]
    Dcat,
    /// A FAIR Data Point: crawled from its root through `ldp:contains`, `fdp-o:metadataCatalog`,
    /// `dcat:catalog`, `dcat:dataset`, `dcat:service` and `dcat:distribution`.
    Fdp,
    /// A SPARQL endpoint: records read with CONSTRUCT queries, paged in IRI order.
    Sparql,
}

/// What to do with a record that fails validation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InvalidPolicy {
    /// Hold it back (a version already stored stays); listed in the run report.
    #[default]
    Reject,
    /// Store it, flagged with its validation summary.
    KeepFlagged,
}

/// What to do with records that vanished from the source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeletionPolicy {
    /// Withdraw them — unless the run failed or listed too few records (see `min_ratio`).
    #[default]
    Withdraw,
    /// Keep them.
    Keep,
}

/// `[deletion]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Deletion {
    /// See [`DeletionPolicy`].
    pub policy: DeletionPolicy,
    /// A run that lists fewer than this share of the records the source had last time withdraws
    /// nothing and is flagged for an administrator.
    pub min_ratio: f64,
}

impl Default for Deletion {
    fn default() -> Self {
        Self {
            policy: DeletionPolicy::Withdraw,
            min_ratio: 0.5,
        }
    }
}

/// `[http]`: limits and credentials of the source's requests.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Http {
    /// Whole-request time limit, in seconds (a source that trickles bytes is cut off).
    pub timeout_seconds: u64,
    /// Largest response body, in bytes.
    pub max_bytes: u64,
    /// Most pages in one run (a Hydra chain longer than this is an error).
    pub max_pages: usize,
    /// Most redirects per request; redirects stay on the source's host.
    pub max_redirects: usize,
    /// Whole-run time limit, in seconds: a run still going is stopped and withdraws nothing.
    pub run_timeout_seconds: u64,
    /// Extra request headers.
    pub headers: BTreeMap<String, String>,
    /// Name of an environment variable holding an API key, sent as `X-API-Key`.
    pub api_key_env: Option<String>,
}

impl Default for Http {
    fn default() -> Self {
        Self {
            timeout_seconds: 60,
            max_bytes: 100 << 20,
            max_pages: 10_000,
            max_redirects: 5,
            run_timeout_seconds: 3600,
            headers: BTreeMap::new(),
            api_key_env: None,
        }
    }
}

/// One harvest source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Short id (`a-z`, `0-9`, `-`), recorded as each harvested record's source.
    pub id: String,
    /// Name shown to people.
    pub title: String,
    /// The catalogue's address (its first page).
    pub url: String,
    /// See [`Kind`].
    #[serde(default)]
    pub kind: Kind,
    /// How often `serve` harvests it (`30s`, `30m`, `6h`, `1d`); none: only by hand.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Validation profile (bundled name or folder); none: the configured one.
    #[serde(default)]
    pub profile: Option<String>,
    /// See [`InvalidPolicy`].
    #[serde(default)]
    pub invalid: InvalidPolicy,
    /// RDF syntax when the server's `Content-Type` is wrong (`ttl`, `rdf`, `jsonld`, `nt`…).
    #[serde(default)]
    pub format: Option<String>,
    /// `[deletion]`
    #[serde(default)]
    pub deletion: Deletion,
    /// `[http]`
    #[serde(default)]
    pub http: Http,
    /// `[sparql]`, for `kind = "sparql"`.
    #[serde(default)]
    pub sparql: SparqlQuery,
}

/// `[sparql]`: how a SPARQL source is read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SparqlQuery {
    /// Records per page (one SELECT of their IRIs, then one CONSTRUCT of their descriptions).
    pub page_size: usize,
    /// How many links deep a record's description is followed from the record (dataset →
    /// distribution → checksum; dataset → data dictionary → table → column → its code list is
    /// four).
    pub depth: usize,
}

impl Default for SparqlQuery {
    fn default() -> Self {
        Self {
            page_size: 200,
            depth: 5,
        }
    }
}

impl SourceConfig {
    /// Reads and checks one source file.
    pub fn from_file(path: &Path) -> Result<Self, HarvestError> {
        let bad = |message: String| HarvestError::Config {
            file: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read: {e}")))?;
        let cfg: SourceConfig = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if cfg.id.is_empty()
            || cfg.id == "local"
            || !cfg
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(bad(format!(
                "id {:?}: use lower-case letters, digits and '-' (and not \"local\", which names files imported by hand)",
                cfg.id
            )));
        }
        if !(cfg.url.starts_with("http://") || cfg.url.starts_with("https://"))
            || reqwest::Url::parse(&cfg.url).is_err()
        {
            return Err(bad(format!("url {:?} is not an http(s) address", cfg.url)));
        }
        if !(0.0..=1.0).contains(&cfg.deletion.min_ratio) {
            return Err(bad("deletion.min_ratio must be between 0 and 1".into()));
        }
        if let Some(f) = &cfg.format
            && healthcat_store::Format::from_name(f).is_none()
        {
            return Err(bad(format!(
                "format {f:?}: use ttl, nt, nq, trig, rdf or jsonld"
            )));
        }
        if cfg.sparql.page_size == 0 || !(1..=8).contains(&cfg.sparql.depth) {
            return Err(bad(
                "[sparql] page_size must be at least 1 and depth between 1 and 8".into(),
            ));
        }
        if let Some(s) = &cfg.schedule {
            parse_interval(s).map_err(bad)?;
        }
        Ok(cfg)
    }

    /// The schedule as seconds between runs.
    pub fn interval(&self) -> Option<u64> {
        self.schedule
            .as_deref()
            .and_then(|s| parse_interval(s).ok())
    }
}

/// `30s`, `30m`, `6h`, `1d` → seconds (at least 5: a run of an unchanged DCAT source costs one
/// conditional request per page, so a national node may follow a nearby institution closely).
pub fn parse_interval(s: &str) -> Result<u64, String> {
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: u64 = n.parse().map_err(|_| {
        format!("schedule {s:?}: write a number and s, m, h or d (30s, 30m, 6h, 1d)")
    })?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => {
            return Err(format!(
                "schedule {s:?}: write a number and s, m, h or d (30s, 30m, 6h, 1d)"
            ));
        }
    };
    if secs < 5 {
        return Err(format!("schedule {s:?}: at most once every 5 seconds"));
    }
    Ok(secs)
}

/// Every `*.toml` of `dir`, in name order; ids must be unique.
pub fn load_dir(dir: &Path) -> Result<Vec<SourceConfig>, HarvestError> {
    let entries = std::fs::read_dir(dir).map_err(|e| HarvestError::Config {
        file: dir.display().to_string(),
        message: format!("cannot read the sources folder: {e}"),
    })?;
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out: Vec<SourceConfig> = Vec::new();
    for f in files {
        let cfg = SourceConfig::from_file(&f)?;
        if out.iter().any(|o| o.id == cfg.id) {
            return Err(HarvestError::Config {
                file: f.display().to_string(),
                message: format!("id {:?} is used by another source", cfg.id),
            });
        }
        out.push(cfg);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_examples_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../harvest/examples");
        let national = load_dir(&root.join("national-node")).unwrap();
        assert_eq!(national.len(), 2);
        assert_eq!(national[1].deletion.min_ratio, 0.8);
        assert_eq!(
            national[1].http.api_key_env.as_deref(),
            Some("REGISTRES_API_KEY")
        );
        let one = SourceConfig::from_file(&root.join("institution.toml")).unwrap();
        assert_eq!(one.interval(), Some(6 * 3600));
        assert_eq!(one.invalid, InvalidPolicy::Reject);
    }

    #[test]
    fn mistakes_name_the_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        for (content, says) in [
            (
                "id = \"A b\"\ntitle = \"t\"\nurl = \"https://x.org/\"",
                "lower-case",
            ),
            (
                "id = \"local\"\ntitle = \"t\"\nurl = \"https://x.org/\"",
                "imported by hand",
            ),
            (
                "id = \"a\"\ntitle = \"t\"\nurl = \"ftp://x.org/\"",
                "not an http(s) address",
            ),
            (
                "id = \"a\"\ntitle = \"t\"\nurl = \"https://x.org/\"\nschedule = \"often\"",
                "30s, 30m, 6h, 1d",
            ),
            (
                "id = \"a\"\ntitle = \"t\"\nurl = \"https://x.org/\"\ncolour = 1",
                "colour",
            ),
            (
                "id = \"a\"\ntitle = \"t\"\nurl = \"https://x.org/\"\n[deletion]\nmin_ratio = 2.0",
                "min_ratio",
            ),
        ] {
            let f = dir.path().join("s.toml");
            std::fs::write(&f, content).unwrap();
            let e = SourceConfig::from_file(&f).unwrap_err().to_string();
            assert!(e.contains("s.toml") && e.contains(says), "{e}");
        }
    }
}
