//! The link checker: whether each `dcat:accessURL` and `dcat:downloadURL` of the stored datasets
//! answers, for the MQA's URL indicators. It requests nothing else: a redirect is followed only on
//! the URL's own host (a redirect elsewhere is recorded, not followed); a name that resolves to a
//! private, loopback or link-local address is refused before any request unless configured
//! (`allow_private`); each request has a time limit and reads at most a few bytes; requests to one
//! host are spaced by `per_host_interval_ms`. A `HEAD` comes first; a server that refuses `HEAD`
//! (405, 501) or answers it with an error gets a `GET` of the first byte (`Range: bytes=0-0`).
//! Results are kept with their date ([`LinkResults`], `{data_dir}/links.tsv`) and checked again
//! after `recheck_days`.

use reqwest::Url;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `[links]`: the link checker's limits.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkConfig {
    /// Time limit of one request, in seconds.
    pub timeout_seconds: u64,
    /// Most redirects followed (on the URL's own host).
    pub max_redirects: usize,
    /// Least time between two requests to one host, in milliseconds.
    pub per_host_interval_ms: u64,
    /// A result older than this is checked again, in days.
    pub recheck_days: u64,
    /// Requests under way at once (to different hosts).
    pub concurrency: usize,
    /// Whether private, loopback and link-local addresses may be requested (an intranet
    /// catalogue); off by default.
    pub allow_private: bool,
    /// Inside `serve`, check the catalogue's due links every this many hours; 0 (the default):
    /// only `healthcat quality --check-links` checks them.
    pub every_hours: u64,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            timeout_seconds: 10,
            max_redirects: 5,
            per_host_interval_ms: 1000,
            recheck_days: 7,
            concurrency: 4,
            allow_private: false,
            every_hours: 0,
        }
    }
}

/// What one URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkResult {
    /// The HTTP status of the last answer, when there was one.
    pub status: Option<u16>,
    /// When it was checked (RFC 3339).
    pub checked: String,
    /// Why there is no 2xx answer (a timeout, a refused address, a redirect elsewhere…).
    pub note: Option<String>,
}

impl LinkResult {
    /// Whether it answered 2xx.
    pub fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Results by URL, as kept in a tab-separated file (`url`, `status` or `-`, `checked`, `note`).
#[derive(Debug, Default, Clone)]
pub struct LinkResults {
    by_url: HashMap<String, LinkResult>,
}

/// The results file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct LinkFileError {
    /// The file.
    pub path: String,
    /// What happened.
    pub message: String,
}

impl LinkResults {
    /// The results file of a data directory.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join("links.tsv")
    }

    /// Reads `path`; no file is no results. A line that cannot be read is an error naming it.
    pub fn load(path: &Path) -> Result<Self, LinkFileError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(LinkFileError {
                    path: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        let mut by_url = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            let bad = || {
                LinkFileError {
                path: format!("{}:{}", path.display(), n + 1),
                message: "expected url, status, date and note separated by tabs (delete the file to check every link again)".into(),
            }
            };
            if f.len() != 4 {
                return Err(bad());
            }
            let status = match f[1] {
                "-" => None,
                s => Some(s.parse::<u16>().map_err(|_| bad())?),
            };
            by_url.insert(
                f[0].to_owned(),
                LinkResult {
                    status,
                    checked: f[2].to_owned(),
                    note: (!f[3].is_empty()).then(|| f[3].to_owned()),
                },
            );
        }
        Ok(Self { by_url })
    }

    /// Writes to `path` whole or not at all (a temporary file renamed over it).
    pub fn save(&self, path: &Path) -> Result<(), LinkFileError> {
        let mut urls: Vec<&String> = self.by_url.keys().collect();
        urls.sort();
        let mut text = String::new();
        for u in urls {
            let r = &self.by_url[u];
            let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                clean(u),
                r.status.map_or("-".to_owned(), |s| s.to_string()),
                r.checked,
                clean(r.note.as_deref().unwrap_or(""))
            ));
        }
        let tmp = path.with_extension("tsv.tmp");
        let err = |e: std::io::Error| LinkFileError {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        std::fs::write(&tmp, text).map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)
    }

    /// The result of `url`, if it was checked.
    pub fn get(&self, url: &str) -> Option<&LinkResult> {
        self.by_url.get(url)
    }

    /// Whether `url` answered 2xx when last checked; `None` if it never was.
    pub fn answered(&self, url: &str) -> Option<bool> {
        self.get(url).map(LinkResult::ok)
    }

    /// Keeps `result` for `url`.
    pub fn insert(&mut self, url: String, result: LinkResult) {
        self.by_url.insert(url, result);
    }

    /// How many URLs have a result.
    pub fn len(&self) -> usize {
        self.by_url.len()
    }

    /// Whether none has.
    pub fn is_empty(&self) -> bool {
        self.by_url.is_empty()
    }

    /// Of `urls`, those never checked or checked more than `days` ago, `now` being the time.
    pub fn due<'a>(
        &self,
        urls: impl IntoIterator<Item = &'a str>,
        days: u64,
        now: jiff::Timestamp,
    ) -> Vec<String> {
        let limit = now - jiff::SignedDuration::from_hours(24 * days as i64);
        let mut seen = HashSet::new();
        urls.into_iter()
            .filter(|u| seen.insert(*u))
            .filter(|u| {
                self.get(u).is_none_or(|r| {
                    r.checked
                        .parse::<jiff::Timestamp>()
                        .map_or(true, |t| t < limit)
                })
            })
            .map(str::to_owned)
            .collect()
    }
}

/// The answers, shared by the checker and every assessment of the process (each write sees the
/// answers known when it runs).
#[derive(Clone, Default)]
pub struct SharedResults(Arc<std::sync::RwLock<LinkResults>>);

impl SharedResults {
    /// Shares `results`.
    pub fn new(results: LinkResults) -> Self {
        Self(Arc::new(std::sync::RwLock::new(results)))
    }

    /// What assessments read: whether a URL answered 2xx when last checked.
    pub fn answers(&self) -> healthcat_quality::Links {
        let shared = self.0.clone();
        Arc::new(move |url: &str| {
            shared
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .answered(url)
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, LinkResults> {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, LinkResults> {
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the answers to `path` (see [`LinkResults::save`]).
    pub fn save(&self, path: &Path) -> Result<(), LinkFileError> {
        self.read().save(path)
    }

    /// Of the URLs checked, how many are due again at `now` (checked more than `recheck_days`
    /// ago: the next pass checks them) and how many did not answer 2xx when last checked.
    pub fn figures(&self, recheck_days: u64, now: jiff::Timestamp) -> LinkFigures {
        let limit = now - jiff::SignedDuration::from_hours(24 * recheck_days as i64);
        let all = self.read();
        let mut figures = LinkFigures::default();
        for r in all.by_url.values() {
            figures.due += usize::from(
                r.checked
                    .parse::<jiff::Timestamp>()
                    .map_or(true, |t| t < limit),
            );
            figures.failing += usize::from(!r.ok());
        }
        figures
    }
}

/// What [`SharedResults::figures`] counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LinkFigures {
    /// Checked longer ago than the recheck period.
    pub due: usize,
    /// Whose last answer was not 2xx.
    pub failing: usize,
}

/// The access and download URLs each of the datasets `ids` gives (records that are not
/// datasets, or are gone, give none).
pub fn urls_of(
    store: &healthcat_store::Store,
    ids: &[healthcat_model::LocalId],
) -> Result<Vec<(healthcat_model::LocalId, Vec<String>)>, healthcat_store::StoreError> {
    use healthcat_model::vocab::dcat;
    let mut out = Vec::new();
    for id in ids {
        let Some(record) = store.get(id)? else {
            continue;
        };
        if record.meta.kind
            != healthcat_store::UnitKind::Record(healthcat_model::RecordKind::Dataset)
        {
            continue;
        }
        let mut urls = Vec::new();
        for p in [dcat::ACCESS_URL, dcat::DOWNLOAD_URL] {
            for t in record.graph.triples_for_predicate(p) {
                if let oxrdf::TermRef::NamedNode(n) = t.object {
                    urls.push(n.as_str().to_owned());
                }
            }
        }
        if !urls.is_empty() {
            out.push((id.clone(), urls));
        }
    }
    Ok(out)
}

/// What a check of due links came to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// URLs requested.
    pub checked: usize,
    /// Of them, answering 2xx.
    pub answered: usize,
}

/// Checks the URLs of `urls` that are due (never checked, or longer ago than `recheck_days`),
/// keeping each answer in `results`; returns the counts and the URLs whose verdict (2xx or not)
/// is new or changed.
pub async fn check_due(
    checker: &LinkChecker,
    results: &SharedResults,
    urls: &[(healthcat_model::LocalId, Vec<String>)],
    recheck_days: u64,
) -> (Checked, HashSet<String>) {
    let due = results.read().due(
        urls.iter().flat_map(|(_, u)| u.iter().map(String::as_str)),
        recheck_days,
        jiff::Timestamp::now(),
    );
    let mut counts = Checked::default();
    let mut changed = HashSet::new();
    checker
        .check_all(due, |url, r| {
            counts.checked += 1;
            counts.answered += usize::from(r.ok());
            let mut all = results.write();
            if all.answered(&url) != Some(r.ok()) {
                changed.insert(url.clone());
            }
            all.insert(url, r);
        })
        .await;
    (counts, changed)
}

/// Assesses again the datasets of `urls` that give one of `changed` (with `assessor`, which
/// reads the shared answers) and keeps the new scores that differ; returns how many changed.
pub fn rescore(
    store: &healthcat_store::Store,
    index: Option<&healthcat_search::SearchIndex>,
    assessor: &healthcat_quality::Assessor,
    urls: &[(healthcat_model::LocalId, Vec<String>)],
    changed: &HashSet<String>,
) -> Result<usize, healthcat_ingest::IngestError> {
    let mut kept = Vec::new();
    for (id, given) in urls {
        if !given.iter().any(|u| changed.contains(u)) {
            continue;
        }
        let Some(record) = store.get(id)? else {
            continue;
        };
        if let Some(a) = healthcat_ingest::assess_stored(store, assessor, &record, None)? {
            let json = a.kept().to_json();
            if record.meta.quality.as_deref() != Some(json.as_str()) {
                kept.push((id.clone(), record.meta.hash.clone(), json));
            }
        }
    }
    healthcat_ingest::keep_quality(store, index, &kept)
}

/// The link checker inside `serve`: every `every`, the URLs of every stored dataset that are
/// due are checked, the answers saved to `path`, and the datasets whose answers changed keep
/// their new scores.
pub struct Scheduled {
    /// The store.
    pub store: healthcat_store::Store,
    /// Its index.
    pub index: Arc<healthcat_search::SearchIndex>,
    /// The assessor every write uses (reading `results`).
    pub assessor: Arc<healthcat_quality::Assessor>,
    /// The checker.
    pub checker: LinkChecker,
    /// The answers.
    pub results: SharedResults,
    /// Where they are kept.
    pub path: PathBuf,
    /// How often.
    pub every: Duration,
    /// A result older than this many days is checked again.
    pub recheck_days: u64,
}

impl Scheduled {
    /// One pass over the catalogue.
    pub async fn run_once(&self) -> Result<(Checked, usize), String> {
        let store = self.store.clone();
        let urls = tokio::task::spawn_blocking(move || {
            let ids: Vec<_> = store
                .record_hashes()?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            urls_of(&store, &ids)
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        let (checked, changed) =
            check_due(&self.checker, &self.results, &urls, self.recheck_days).await;
        self.results.save(&self.path).map_err(|e| e.to_string())?;
        let (store, index, assessor) = (
            self.store.clone(),
            self.index.clone(),
            self.assessor.clone(),
        );
        let rescored = tokio::task::spawn_blocking(move || {
            rescore(&store, Some(&index), &assessor, &urls, &changed)
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        Ok((checked, rescored))
    }

    /// Runs [`Scheduled::run_once`] now and then every `every`, for ever (on the runtime),
    /// giving each pass's outcome to `after`.
    pub fn spawn(self, after: impl Fn(&Result<(Checked, usize), String>) + Send + 'static) {
        tokio::spawn(async move {
            loop {
                let pass = self.run_once().await;
                after(&pass);
                match pass {
                    Ok((c, rescored)) => tracing::info!(
                        checked = c.checked,
                        answered = c.answered,
                        rescored,
                        "links checked"
                    ),
                    Err(e) => tracing::error!(error = %e, "the link checker's run failed"),
                }
                tokio::time::sleep(self.every).await;
            }
        });
    }
}

/// Whether `ip` is one the checker refuses unless configured: loopback, private (RFC 1918, unique
/// local), link-local, shared (100.64/10), unspecified, multicast, documentation or broadcast.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Resolves names and drops the addresses the checker may not call.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| !is_private(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!(
                    "{host} resolves to no public address (private, loopback or link-local addresses are not checked; see [links] allow_private)"
                )
                .into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Checks URLs within [`LinkConfig`]'s limits.
pub struct LinkChecker {
    client: reqwest::Client,
    config: LinkConfig,
    last: Arc<Mutex<HashMap<String, tokio::time::Instant>>>,
}

impl LinkChecker {
    /// A checker with `config`'s limits.
    pub fn new(config: LinkConfig) -> Result<Self, String> {
        let max_redirects = config.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            let from = attempt.previous().first().cloned();
            if attempt.previous().len() > max_redirects {
                attempt.error(format!("more than {max_redirects} redirects"))
            } else if from.as_ref().and_then(Url::host_str) != attempt.url().host_str()
                || from.as_ref().and_then(Url::port_or_known_default)
                    != attempt.url().port_or_known_default()
            {
                // Elsewhere: not the URL the record gives; recorded, not followed.
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .redirect(policy)
            .timeout(Duration::from_secs(config.timeout_seconds))
            .user_agent(concat!(
                "healthcat/",
                env!("CARGO_PKG_VERSION"),
                " (link checker)"
            ));
        if !config.allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            config,
            last: Arc::default(),
        })
    }

    /// Checks every URL of `urls` (a few at a time, each host at its pace), calling `done` after
    /// each with the URL and its result.
    pub async fn check_all(&self, urls: Vec<String>, mut done: impl FnMut(String, LinkResult)) {
        use futures_util::StreamExt;
        let mut results = futures_util::stream::iter(urls.into_iter().map(|u| async move {
            let r = self.check(&u).await;
            (u, r)
        }))
        .buffer_unordered(self.config.concurrency.max(1));
        while let Some((u, r)) = results.next().await {
            done(u, r);
        }
    }

    /// Checks one URL.
    pub async fn check(&self, url: &str) -> LinkResult {
        let now = || jiff::Timestamp::now().to_string();
        let failed = |note: String| LinkResult {
            status: None,
            checked: now(),
            note: Some(note),
        };
        let parsed = match Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
            Ok(_) => return failed("not an http(s) URL: not checked".into()),
            Err(e) => return failed(format!("not a URL: {e}")),
        };
        // An address written as such is not resolved: refuse it here.
        let host = parsed.host_str().unwrap_or_default();
        if !self.config.allow_private
            && host
                .trim_matches(['[', ']'])
                .parse::<IpAddr>()
                .is_ok_and(is_private)
        {
            return failed(
                "a private, loopback or link-local address: not checked (see [links] allow_private)"
                    .into(),
            );
        }
        self.wait_turn(parsed.host_str().unwrap_or_default()).await;
        let answer = match self.client.head(parsed.clone()).send().await {
            Ok(r) if r.status().is_success() || r.status().is_redirection() => Ok(r),
            // Some servers refuse HEAD or answer it wrongly: ask for the first byte.
            Ok(_) | Err(_) => {
                self.wait_turn(parsed.host_str().unwrap_or_default()).await;
                self.client
                    .get(parsed.clone())
                    .header(reqwest::header::RANGE, "bytes=0-0")
                    .send()
                    .await
            }
        };
        match answer {
            Ok(r) => {
                let status = r.status().as_u16();
                let note = r.status().is_redirection().then(|| {
                    let to = r
                        .headers()
                        .get(reqwest::header::LOCATION)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("?");
                    format!("redirects to {to}, on another host: not followed (give that address in the record)")
                });
                // The body is not read: dropping the response closes it.
                LinkResult {
                    status: Some(status),
                    checked: now(),
                    note,
                }
            }
            Err(e) => failed(crate::fetch::describe_as(
                &e,
                "no answer within the time limit ([links] timeout_seconds)",
            )),
        }
    }

    /// Waits until this host may be called again.
    async fn wait_turn(&self, host: &str) {
        let interval = Duration::from_millis(self.config.per_host_interval_ms);
        loop {
            let wait = {
                let mut last = self
                    .last
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let now = tokio::time::Instant::now();
                match last.get(host) {
                    Some(t) if now < *t + interval => Some(*t + interval - now),
                    _ => {
                        last.insert(host.to_owned(), now);
                        None
                    }
                }
            };
            match wait {
                Some(d) => tokio::time::sleep(d).await,
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests;
