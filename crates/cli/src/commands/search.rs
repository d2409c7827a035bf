//! `healthcat search` and `healthcat reindex`

use super::Ctx;
use crate::cli::SearchArgs;
use anyhow::{Context, Result};
use healthcat_search::{SearchRequest, Sort};
use std::process::ExitCode;

/// The request of `search`'s command line (and of `/api/search`'s parameters).
pub fn request(args: &SearchArgs, lang: &str) -> Result<SearchRequest> {
    let mut filters: Vec<(String, Vec<String>)> = Vec::new();
    for f in &args.filters {
        let (name, value) = f
            .split_once('=')
            .with_context(|| format!("--filter {f:?}: write NAME=VALUE"))?;
        match filters.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value.to_owned()),
            None => filters.push((name.to_owned(), vec![value.to_owned()])),
        }
    }
    Ok(SearchRequest {
        q: args.query.clone(),
        filters,
        sort: parse_sort(&args.sort)?,
        page: args.page,
        per_page: args.per_page,
        lang: lang.to_owned(),
        ..SearchRequest::default()
    })
}

/// `relevance`, `modified` or `title`.
pub fn parse_sort(s: &str) -> Result<Sort> {
    Ok(match s {
        "" | "relevance" => Sort::Relevance,
        "modified" => Sort::Modified,
        "title" => Sort::Title,
        "quality" => Sort::Quality,
        "ehds_label" => Sort::Label,
        other => anyhow::bail!(
            "unknown sort {other:?}: use relevance, modified, title, quality or ehds_label"
        ),
    })
}

pub fn run(ctx: &Ctx, args: SearchArgs) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let index = super::indexing::open(ctx, &store)?;
    let request = request(&args, &ctx.lang).map_err(|e| crate::UserError(format!("{e:#}")))?;
    let results = index
        .search(&request)
        .map_err(|e| crate::UserError(e.to_string()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} results", results.total);
    for hit in &results.hits {
        println!("{}  {}", hit.id, hit.title);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reindex(ctx: &Ctx) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let dir = super::indexing::index_dir(ctx);
    // From scratch: a corrupt or outdated index is simply replaced.
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("cannot remove the old index in {}", dir.display()))?;
    }
    let started = std::time::Instant::now();
    let index = healthcat_search::SearchIndex::open(&dir)?;
    let (indexed, _) = super::indexing::reconcile(&store, &index, !ctx.quiet)?;
    if !ctx.quiet {
        eprintln!(
            "indexed {indexed} records in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}
