//! SPARQL sources: records read from an endpoint with the SPARQL 1.1 Protocol.
//!
//! Two levels of paging, both on a stable order so that a page boundary never skips or repeats a
//! record: the record IRIs are listed in string order, 10,000 at a time, each list starting after
//! the last IRI of the previous one (not with OFFSET, which shifts when the source changes between
//! requests and costs the endpoint a re-sort of everything before the page); then each
//! `[sparql] page_size` of them is described with one CONSTRUCT — the record and what it links to,
//! `[sparql] depth` links deep (one UNION branch per distance), never descending into another record (a dataset's series is its own
//! record, read on its own page, not overwritten by a partial copy). Blank-node records have no
//! identity an endpoint keeps between two queries, so they are not harvested this way (the run
//! report says how many there were).

use crate::config::SourceConfig;
use crate::fetch::{Fetched, Fetcher};
use crate::report::RunReport;
use crate::run::{Context, ingest, parse};
use healthcat_model::vocab::dcat;
use reqwest::Url;
use std::collections::HashMap;
use std::fmt::Write;

/// Record IRIs per listing query: what common endpoints return at most by default (Virtuoso's
/// `ResultSetMaxRows`), so a listing is never cut short by the server.
const LIST_PAGE: usize = 10_000;

fn record_types() -> String {
    format!(
        "<{}> <{}> <{}>",
        dcat::DATASET.as_str(),
        dcat::DATASET_SERIES.as_str(),
        dcat::DATA_SERVICE.as_str()
    )
}

/// The listing query: record IRIs after `after`, in string order.
fn list_query(after: Option<&str>) -> String {
    let after = after.map_or(String::new(), |a| {
        format!(" FILTER(STR(?r) > \"{}\")", escape(a))
    });
    format!(
        "SELECT DISTINCT ?r WHERE {{ VALUES ?t {{ {} }} ?r a ?t . FILTER(isIRI(?r)){after} }} \
         ORDER BY STR(?r) LIMIT {LIST_PAGE}",
        record_types()
    )
}

/// How many blank-node records the endpoint holds.
fn blank_query() -> String {
    format!(
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ VALUES ?t {{ {} }} ?r a ?t . FILTER(isBlank(?r)) }}",
        record_types()
    )
}

/// The description query for `records`: each node at most `depth - 1` links away from one of
/// them, through nodes that are not records, with all its triples.
///
/// One UNION branch per distance, each a chain starting from the listed IRIs — not nested
/// OPTIONALs, which an engine may evaluate as a scan of the whole store joined afterwards (on
/// healthcat's own endpoint: a 200-record page of a 10,000-dataset store went from over 10 s to
/// 1.7 s).
fn describe_query(records: &[String], depth: usize) -> String {
    let values: String = records.iter().map(|r| format!("<{r}> ")).collect();
    let types = record_types();
    let mut branches = Vec::with_capacity(depth);
    for distance in 0..depth {
        let mut chain = String::new();
        let mut node = "?r".to_owned();
        for i in 1..=distance {
            let _ = write!(
                chain,
                " {node} ?q{i} ?x{i} . FILTER NOT EXISTS {{ VALUES ?t{i} {{ {types} }} ?x{i} a ?t{i} }}"
            );
            node = format!("?x{i}");
        }
        branches.push(format!(
            "{{ VALUES ?r {{ {values}}}{chain} {node} ?p ?o . BIND({node} AS ?s) }}"
        ));
    }
    format!(
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {} }}",
        branches.join(" UNION ")
    )
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Reads the records of the SPARQL endpoint at `source.url` and ingests them page by page.
pub(crate) async fn pages(
    ctx: &Context,
    source: &SourceConfig,
    report: &mut RunReport,
) -> Result<(), String> {
    let endpoint = Url::parse(&source.url).map_err(|e| format!("{}: {e}", source.url))?;
    let fetcher = Fetcher::new(&source.http, &endpoint, None).map_err(|e| e.to_string())?;
    let blank = select(&fetcher, &endpoint, &blank_query(), "n", report).await?;
    if let Some(n) = blank.first().filter(|n| n.as_str() != "0") {
        report.notes.push(format!(
            "{n} records are blank nodes: an endpoint keeps no identity for them between two \
             queries, so they are not harvested over SPARQL (harvest the catalogue's DCAT \
             document instead)"
        ));
    }
    let mut after: Option<String> = None;
    loop {
        let ids = select(
            &fetcher,
            &endpoint,
            &list_query(after.as_deref()),
            "r",
            report,
        )
        .await?;
        for chunk in ids.chunks(source.sparql.page_size) {
            if report.pages >= source.http.max_pages {
                return Err(format!(
                    "more than {} queries ([http] max_pages); stopped after {}",
                    source.http.max_pages,
                    after.as_deref().unwrap_or("the start")
                ));
            }
            let query = describe_query(chunk, source.sparql.depth);
            report.pages += 1;
            let body = body(
                fetcher
                    .post_form(&endpoint, &[("query", &query)], "application/n-triples")
                    .await
                    .map_err(|e| e.to_string())?,
                &endpoint,
            )?;
            let doc = parse(ctx, body, healthcat_store::Format::NTriples, &endpoint).await?;
            ingest(ctx, source, &endpoint, doc, HashMap::new(), report).await?;
        }
        match ids.last() {
            Some(last) if ids.len() == LIST_PAGE => after = Some(last.clone()),
            _ => return Ok(()),
        }
    }
}

fn body(fetched: Fetched, endpoint: &Url) -> Result<Vec<u8>, String> {
    match fetched {
        Fetched::Page { body, .. } => Ok(body),
        Fetched::NotModified => Err(format!("{endpoint}: 304 to a query")),
    }
}

/// Runs a SELECT and returns the values of `var`, in order.
async fn select(
    fetcher: &Fetcher,
    endpoint: &Url,
    query: &str,
    var: &str,
    report: &mut RunReport,
) -> Result<Vec<String>, String> {
    report.pages += 1;
    let body = body(
        fetcher
            .post_form(
                endpoint,
                &[("query", query)],
                "application/sparql-results+json",
            )
            .await
            .map_err(|e| e.to_string())?,
        endpoint,
    )?;
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
        format!("{endpoint}: the answer to a SELECT is not SPARQL JSON results ({e})")
    })?;
    let rows = json["results"]["bindings"].as_array().ok_or_else(|| {
        format!("{endpoint}: the answer to a SELECT has no results.bindings array")
    })?;
    Ok(rows
        .iter()
        .filter_map(|row| row[var]["value"].as_str().map(str::to_owned))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queries_parse_and_page_on_iris() {
        let q = describe_query(&["https://ex.org/a".into(), "https://ex.org/b".into()], 3);
        for text in [
            q.as_str(),
            &list_query(None),
            &list_query(Some("https://ex.org/\"x")),
            &blank_query(),
        ] {
            spargebra::SparqlParser::new()
                .parse_query(text)
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
        }
        assert_eq!(q.matches(" UNION ").count(), 2, "{q}");
        assert!(q.contains("?x2 ?p ?o"), "{q}");
        assert!(!q.contains("?x3"), "{q}");
        assert!(list_query(Some("x")).contains("STR(?r) > \"x\""));
    }
}
