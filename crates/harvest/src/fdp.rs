//! FAIR Data Point sources: crawl from the root document to the records.
//!
//! A FAIR Data Point serves one document per resource: the root (`fdp-o:FairDataPoint`) names
//! its catalogues, each catalogue its datasets, each dataset its distributions, and LDP
//! containers list members with `ldp:contains`. The crawl follows those links breadth first —
//! only to resources that no document read so far describes (a container that embeds its
//! members is read once), only on the source's own host, at most `[http] max_pages` documents —
//! and gathers everything into one graph, ingested once so that catalogue membership (a dataset
//! reached through two parents is one record) and nested descriptions survive. Each record
//! remembers the document that described it.

use crate::batch::merge;
use crate::config::SourceConfig;
use crate::fetch::{Fetched, Fetcher};
use crate::report::RunReport;
use crate::run::{Context, ingest, parse, same_origin};
use healthcat_model::vocab::dcat;
use healthcat_store::DocGraph;
use reqwest::Url;
use std::collections::{HashMap, HashSet, VecDeque};

const LDP_CONTAINS: &str = "http://www.w3.org/ns/ldp#contains";
const FDP_METADATA_CATALOG: &str = "https://w3id.org/fdp/fdp-o#metadataCatalog";

/// The links a crawl follows.
fn followed(predicate: &str) -> bool {
    [
        LDP_CONTAINS,
        FDP_METADATA_CATALOG,
        dcat::CATALOG_PROP.as_str(),
        dcat::DATASET_PROP.as_str(),
        dcat::SERVICE.as_str(),
        dcat::DISTRIBUTION_PROP.as_str(),
    ]
    .contains(&predicate)
}

/// Crawls the FAIR Data Point at `source.url` and ingests what it describes.
pub(crate) async fn crawl(
    ctx: &Context,
    source: &SourceConfig,
    report: &mut RunReport,
) -> Result<(), String> {
    let root = Url::parse(&source.url).map_err(|e| format!("{}: {e}", source.url))?;
    let format = source
        .format
        .as_deref()
        .and_then(healthcat_store::Format::from_name);
    let fetcher = Fetcher::new(&source.http, &root, format).map_err(|e| e.to_string())?;
    let mut queue = VecDeque::from([root.clone()]);
    let mut queued: HashSet<Url> = HashSet::from([root.clone()]);
    let mut described: HashSet<String> = HashSet::new();
    let mut off_host: Vec<String> = Vec::new();
    let mut all = DocGraph::new();
    let mut origins: HashMap<String, String> = HashMap::new();
    while let Some(url) = queue.pop_front() {
        if report.pages >= source.http.max_pages {
            return Err(format!(
                "more than {} documents ([http] max_pages); stopped before {url}",
                source.http.max_pages
            ));
        }
        report.pages += 1;
        let Fetched::Page { body, format, .. } = fetcher
            .get(&url, None, None)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Err(format!(
                "{url}: 304 Not Modified to an unconditional request"
            ));
        };
        let Some(format) = format else {
            return Err(format!(
                "{url}: cannot tell the RDF syntax (no known Content-Type or extension); set `format` for this source"
            ));
        };
        let doc = parse(ctx, body, format, &url).await?;
        let links = merge(&doc, &mut all, &mut described, &mut origins, &url, followed);
        for iri in links {
            if described.contains(&iri) {
                continue;
            }
            let Ok(mut target) = Url::parse(&iri) else {
                continue;
            };
            target.set_fragment(None);
            if !same_origin(&target, &root) {
                off_host.push(iri);
                continue;
            }
            if queued.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    if !off_host.is_empty() {
        off_host.sort();
        off_host.dedup();
        let n = off_host.len();
        off_host.truncate(10);
        report.notes.push(format!(
            "{n} linked resources are off the source's host and were not fetched (only what the \
             source's own documents say about them is kept): {}{}",
            off_host.join(", "),
            if n > 10 { ", …" } else { "" }
        ));
    }
    all.seal();
    ingest(ctx, source, &root, all, origins, report).await?;
    Ok(())
}
