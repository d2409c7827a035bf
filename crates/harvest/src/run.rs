//! One harvest run of one source: follow its pages, ingest each, then withdraw what vanished —
//! only when the run is trustworthy.

use crate::batch::Batch;
use crate::config::{DeletionPolicy, InvalidPolicy, Kind, SourceConfig};
use crate::fetch::{Fetched, Fetcher};
use crate::report::{Invalid, PageState, RunReport, SourceState, Status};
use healthcat_ingest::{Ingest, IngestError, NotOwned, Stewardship};
use healthcat_profiles::Profile;
use healthcat_search::SearchIndex;
use healthcat_store::{DocGraph, ParseOptions, Source, Store, parse_slice};
use oxrdf::TermRef;
use reqwest::Url;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub(crate) const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// What a run works with.
#[derive(Clone)]
pub struct Context {
    /// The catalogue store.
    pub store: Store,
    /// The search index, kept in step page by page.
    pub index: Option<Arc<SearchIndex>>,
    /// The source's validation profile; none: records are not validated.
    pub profile: Option<Arc<Profile>>,
    /// Language of validation messages in the report.
    pub lang: String,
    /// What one page may hold (nesting, literal length): a page past them fails the run.
    pub limits: healthcat_store::InputLimits,
}

/// The next page a page links to with Hydra — `hydra:next` or the legacy `hydra:nextPage`, as an
/// IRI or (udata) a string — resolved against the page's address.
fn next_page(graph: &DocGraph, page: &Url) -> Option<Url> {
    for t in graph.iter() {
        let is_next = t
            .predicate
            .as_str()
            .strip_prefix(HYDRA)
            .is_some_and(|local| local == "next" || local == "nextPage");
        if !is_next {
            continue;
        }
        let target = match t.object {
            TermRef::NamedNode(n) => n.as_str().to_owned(),
            TermRef::Literal(l) => l.value().to_owned(),
            TermRef::BlankNode(_) => continue,
        };
        // A page naming itself as next is a loop like any other: returned, and caught.
        if let Ok(u) = page.join(&target) {
            return Some(u);
        }
    }
    None
}

pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Runs `source` once. Never fails as a whole: problems are in the report, whose status says
/// what was (and was not) done.
pub async fn run(ctx: &Context, source: &SourceConfig, state: &mut SourceState) -> RunReport {
    let mut report = RunReport::start(source);
    let work = async {
        match source.kind {
            Kind::Dcat => pages(ctx, source, state, &mut report).await,
            Kind::Fdp => crate::fdp::crawl(ctx, source, &mut report).await,
            Kind::Sparql => crate::sparql::pages(ctx, source, &mut report).await,
        }
    };
    // A source that is slow as a whole (each request within its limit, but endless) is cut off
    // like one that fails: nothing withdrawn.
    let limit = std::time::Duration::from_secs(source.http.run_timeout_seconds);
    let result = match tokio::time::timeout(limit, work).await {
        Ok(r) => r,
        Err(_) => Err(format!(
            "the run took longer than {} s ([http] run_timeout_seconds); stopped",
            source.http.run_timeout_seconds
        )),
    };
    if let Err(e) = result {
        report.error(e);
    }
    withdraw(ctx, source, state, &mut report).await;
    report.finish();
    report
}

async fn pages(
    ctx: &Context,
    source: &SourceConfig,
    state: &mut SourceState,
    report: &mut RunReport,
) -> Result<(), String> {
    let first = Url::parse(&source.url).map_err(|e| format!("{}: {e}", source.url))?;
    let format = source
        .format
        .as_deref()
        .and_then(healthcat_store::Format::from_name);
    let fetcher = Fetcher::new(&source.http, &first, format).map_err(|e| e.to_string())?;
    let mut pages_state = Vec::new();
    let mut batch = Batch::default();
    let read = read_pages(
        ctx,
        source,
        state,
        report,
        &fetcher,
        &first,
        &mut pages_state,
        &mut batch,
    )
    .await;
    // What was read before a failure is stored, as it would have been page by page.
    let flushed = batch.flush(ctx, source, report, &mut pages_state).await;
    read?;
    flushed?;
    state.pages = pages_state;
    Ok(())
}

/// Follows the pages from `first`: each is gathered into `batch` (written when full), or, when
/// it cannot be gathered, ingested on its own; `pages_state` gets each page's state.
#[allow(clippy::too_many_arguments)]
async fn read_pages(
    ctx: &Context,
    source: &SourceConfig,
    state: &SourceState,
    report: &mut RunReport,
    fetcher: &Fetcher,
    first: &Url,
    pages_state: &mut Vec<PageState>,
    batch: &mut Batch,
) -> Result<(), String> {
    let mut seen_pages: HashSet<Url> = HashSet::new();
    let mut next = Some(first.clone());
    while let Some(url) = next.take() {
        if !seen_pages.insert(url.clone()) {
            return Err(format!(
                "paging loop: {url} was already read in this run (the source's Hydra links go round)"
            ));
        }
        if seen_pages.len() > source.http.max_pages {
            return Err(format!(
                "more than {} pages ([http] max_pages); stopped at {url}",
                source.http.max_pages
            ));
        }
        let known = state.pages.iter().find(|p| p.url == url.as_str()).cloned();
        let started = std::time::Instant::now();
        let fetched = fetcher
            .get(
                &url,
                known.as_ref().and_then(|p| p.etag.as_deref()),
                known.as_ref().and_then(|p| p.last_modified.as_deref()),
            )
            .await
            .map_err(|e| e.to_string())?;
        report.pages += 1;
        let page = match fetched {
            Fetched::NotModified => {
                // As last time: its records are still listed, unchanged.
                let Some(known) = known else {
                    return Err(format!(
                        "{url}: 304 Not Modified to an unconditional request"
                    ));
                };
                report.not_modified_pages += 1;
                report.unchanged += known.keys.len();
                report.seen.extend(known.keys.iter().cloned());
                next = known.next.as_deref().and_then(|n| Url::parse(n).ok());
                known
            }
            Fetched::Page {
                body,
                format,
                etag,
                last_modified,
            } => {
                let Some(format) = format else {
                    return Err(format!(
                        "{url}: cannot tell the RDF syntax (no known Content-Type or extension); set `format` for this source"
                    ));
                };
                let doc = parse(ctx, body, format, &url).await?;
                next = next_page(&doc, &url);
                let mut page = PageState {
                    url: url.to_string(),
                    etag,
                    last_modified,
                    keys: Vec::new(),
                    next: next.as_ref().map(Url::to_string),
                };
                let records = crate::batch::record_iris(&doc);
                if !records.as_deref().is_some_and(|r| batch.takes(r)) {
                    batch.flush(ctx, source, report, pages_state).await?;
                }
                if records.is_some() {
                    batch.add(&doc, &url, pages_state.len());
                } else {
                    // A record with a blank-node root: its key cannot be traced to its page
                    // once gathered, so the page is written on its own.
                    page.keys = ingest(ctx, source, &url, doc, HashMap::new(), report).await?;
                }
                tracing::debug!(
                    source = %source.id,
                    page = %url,
                    fetch_and_parse_ms = started.elapsed().as_millis() as u64,
                    "page read"
                );
                page
            }
        };
        pages_state.push(page);
        if batch.is_full() {
            let started = std::time::Instant::now();
            batch.flush(ctx, source, report, pages_state).await?;
            tracing::debug!(
                source = %source.id,
                ms = started.elapsed().as_millis() as u64,
                "pages written"
            );
        }
        if let Some(n) = &next
            && !same_origin(n, first)
        {
            return Err(format!(
                "{url} links its next page to {n}, off the source's address: not followed"
            ));
        }
    }
    Ok(())
}

/// Parses a fetched body (off the async threads), with the page as base IRI.
pub(crate) async fn parse(
    ctx: &Context,
    body: Vec<u8>,
    format: healthcat_store::Format,
    url: &Url,
) -> Result<DocGraph, String> {
    let page = url.clone();
    let limits = ctx.limits;
    tokio::task::spawn_blocking(move || {
        let options = ParseOptions {
            base_iri: Some(page.to_string()),
            continue_on_error: false,
            limits,
        };
        parse_slice(body.as_slice(), format, page.as_str(), &options)
            .map(|d| d.graph)
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("{url}: {e}"))?
}

/// Ingests one document read from `url` (records named in `origins` were read from the address
/// given there); tallies the outcome in `report` and returns the keys of the records it lists.
pub(crate) async fn ingest(
    ctx: &Context,
    source: &SourceConfig,
    url: &Url,
    doc: DocGraph,
    origins: HashMap<String, String>,
    report: &mut RunReport,
) -> Result<Vec<String>, String> {
    let ctx = ctx.clone();
    let keep = source.invalid == InvalidPolicy::KeepFlagged;
    let origin = Source {
        id: source.id.clone(),
        origin: url.to_string(),
        run: Some(report.run_id()),
        comment: None,
    };
    let page = url.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let ingest = Ingest::new(&ctx.store)
            .validating(ctx.profile.as_deref(), keep, &ctx.lang)
            .indexing(ctx.index.as_deref())
            .origins(&origins)
            .leaving_others()
            .stewardship(Stewardship::OwnSource, NotOwned::Leave)
            // A run is not one step either: a page's new records go in before the catalogue
            // listing them changes, each record whole.
            .atomicity(healthcat_store::Atomicity::Unit);
        let outcome = match ingest.document(&doc, &origin) {
            Ok(o) => Ok(Some(o)),
            // A page of a paged catalogue may describe no record (an empty last page).
            Err(IngestError::NoRecords { .. }) => Ok(None),
            Err(e) => Err(format!("{page}: {e}")),
        };
        outcome.map(|o| (o, origins))
    })
    .await
    .map_err(|e| format!("{url}: {e}"))??;
    let (outcome, origins) = outcome;
    // The page a record was read from, when gathered with others.
    let page_of = |key: &str| origins.get(key).cloned().unwrap_or_else(|| url.to_string());
    let mut keys = Vec::new();
    if let Some(o) = outcome {
        for r in &o.report.records {
            match r.outcome {
                healthcat_store::Outcome::Added => report.new += 1,
                healthcat_store::Outcome::Updated => report.updated += 1,
                healthcat_store::Outcome::Unchanged => report.unchanged += 1,
            }
            keys.push(r.key.clone());
        }
        for r in o.rejected {
            // Still listed by the source: not withdrawn, whatever was stored before stays.
            keys.push(r.key.clone());
            report.invalid.push(Invalid {
                page: page_of(&r.key),
                record: r.key,
                violations: r.violations,
                messages: r.messages,
                stored: false,
            });
        }
        for (_, why) in o.left {
            // Described on the page, owned by another source: left as it is.
            let note = format!("{page}: left as stored: {why}", page = url);
            if !report.notes.contains(&note) {
                report.notes.push(note);
            }
        }
        for (key, owner) in o.elsewhere {
            // Listed by this source too, but another brought it first: left as it is.
            keys.push(key);
            *report.elsewhere.entry(owner).or_default() += 1;
        }
        for key in o.flagged {
            report.invalid.push(Invalid {
                page: page_of(&key),
                record: key,
                violations: 0,
                messages: vec!["stored, flagged (invalid = \"keep-flagged\")".into()],
                stored: true,
            });
        }
    }
    report.seen.extend(keys.iter().cloned());
    Ok(keys)
}

/// Withdraws the records the source no longer lists, if the run can be trusted to say so.
async fn withdraw(
    ctx: &Context,
    source: &SourceConfig,
    state: &mut SourceState,
    report: &mut RunReport,
) {
    let store = ctx.store.clone();
    let id = source.id.clone();
    let stored = match tokio::task::spawn_blocking(move || store.records_of_source(&id)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            report.error(format!("reading the store: {e}"));
            return;
        }
        Err(e) => {
            report.error(e.to_string());
            return;
        }
    };
    let before = state.records.max(stored.len());
    let vanished: Vec<_> = stored
        .into_iter()
        .filter(|(_, key)| !report.seen.contains(key))
        .collect();
    if !report.errors.is_empty() {
        if !vanished.is_empty() {
            report.guard = Some(format!(
                "the run failed: nothing withdrawn ({} records not seen)",
                vanished.len()
            ));
        }
        report.status = Status::Failed;
        return;
    }
    let listed = report.seen.len();
    if (listed as f64) < source.deletion.min_ratio * before as f64 {
        report.status = Status::Guarded;
        report.guard = Some(format!(
            "the source listed {listed} records where it had {before}: below the {:.0} % \
             threshold ([deletion] min_ratio), so nothing is withdrawn — check the source, then \
             run again",
            source.deletion.min_ratio * 100.0
        ));
        return;
    }
    state.records = listed;
    if source.deletion.policy == DeletionPolicy::Keep || vanished.is_empty() {
        return;
    }
    let store = ctx.store.clone();
    let index = ctx.index.clone();
    let ids: Vec<_> = vanished.iter().map(|(id, _)| id.clone()).collect();
    let by = Source {
        id: source.id.clone(),
        origin: format!("{} (no longer listed)", source.url),
        run: Some(report.run_id()),
        comment: None,
    };
    let done = tokio::task::spawn_blocking(move || -> Result<usize, String> {
        // Marked behind the store until the index has the withdrawals (see `SearchIndex::behind`).
        let behind = match &index {
            Some(index) => Some(index.behind().map_err(|e| e.to_string())?),
            None => None,
        };
        let mut n = 0;
        for id in &ids {
            if store.withdraw(id, &by).map_err(|e| e.to_string())? {
                n += 1;
            }
        }
        if let (Some(index), Some(behind)) = (&index, behind) {
            index.refresh(&store, &ids).map_err(|e| e.to_string())?;
            behind.caught_up();
        }
        Ok(n)
    })
    .await;
    match done {
        Ok(Ok(n)) => {
            report.withdrawn = n;
            report.withdrawn_records = vanished.into_iter().map(|(_, k)| k).collect();
        }
        Ok(Err(e)) => report.error(format!("withdrawing: {e}")),
        Err(e) => report.error(e.to_string()),
    }
}
