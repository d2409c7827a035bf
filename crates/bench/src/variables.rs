//! The variables workload (issue #22): searching the variables of every data dictionary of a
//! catalogue of N generated datasets (60 % with a dictionary of four variables), in process and
//! over HTTP, beside healthcat's own dataset search in the same run — no peer catalogue searches
//! variables (CKAN, piveau, udata, the HDH catalogue have no data dictionaries to search).

use anyhow::{Context, Result};
use healthcat_search::{SearchIndex, SearchRequest, SearchSettings};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Queries of `/api/variables` (query strings): distinct words, stems, a typo, a phrase.
const QUERIES: &[&str] = &[
    "q=hba1c",
    "q=h%C3%A9moglobine+glyqu%C3%A9e",
    "q=glycated+haemoglobin&lang=en",
    "q=poids+naissance",
    "q=score",
    "q=hemoglobyne",
    "q=%22fraction+d%27%C3%A9jection%22",
    "q=diagnostic+principal",
    "q=charge+virale",
    "q=age+inclusion",
];

/// A query measured: it returns how many records matched.
type Case<'a> = Box<dyn Fn() -> Result<usize> + 'a>;

fn p50_p99(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() * 99 / 100])
}

pub(crate) fn run(exe: &Path, work: &Path, n: usize) -> Result<()> {
    let data = work.join(format!("variables-{n}"));
    crate::demo_store(exe, &data, work, n)?;
    let index = SearchIndex::open(&data.join("search"))?.with_settings(SearchSettings {
        cache_entries: 0,
        ..Default::default()
    });
    let with_dictionary = index
        .search(&SearchRequest {
            variable: "age".into(),
            per_page: 1,
            ..Default::default()
        })?
        .total;
    println!("{with_dictionary} of the {n} datasets have a data dictionary.\n");
    println!("| datasets | in process, no cache | records | p50 (ms) | p99 (ms) |");
    println!("|---:|---|---:|---:|---:|");
    let variables = |q: &str| SearchRequest {
        q: q.to_owned(),
        ..Default::default()
    };
    let cases: Vec<(&str, Case)> = vec![
        (
            "variables: `hba1c`",
            Box::new(|| Ok(index.variables(&variables("hba1c"))?.total)),
        ),
        (
            "variables: `hémoglobine glyquée` (stemmed)",
            Box::new(|| Ok(index.variables(&variables("hémoglobine glyquée"))?.total)),
        ),
        (
            "variables: `score` (many records)",
            Box::new(|| Ok(index.variables(&variables("score"))?.total)),
        ),
        (
            "variables: `hemoglobyne` (a typo)",
            Box::new(|| Ok(index.variables(&variables("hemoglobyne"))?.total)),
        ),
        (
            "datasets with a variable about `hba1c` (`/api/search?variable=`)",
            Box::new(|| {
                Ok(index
                    .search(&SearchRequest {
                        variable: "hba1c".into(),
                        ..Default::default()
                    })?
                    .total)
            }),
        ),
        (
            "datasets: `cancer` (the dataset search, for comparison)",
            Box::new(|| {
                Ok(index
                    .search(&SearchRequest {
                        q: "cancer".into(),
                        ..Default::default()
                    })?
                    .total)
            }),
        ),
    ];
    for (name, f) in &cases {
        let mut times = Vec::with_capacity(500);
        let mut total = 0;
        for _ in 0..500 {
            let start = Instant::now();
            total = f()?;
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        let (p50, p99) = p50_p99(times);
        println!("| {n} | {name} | {total} | {p50:.2} | {p99:.2} |");
    }
    drop(cases);
    drop(index);
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("\n(wrk is not installed — `apt-get install -y wrk` — so no HTTP figures)");
        return Ok(());
    }
    let mix = work.join("variables-mix.lua");
    crate::wrk_mix(&mix, "/api/variables", QUERIES)?;
    println!();
    println!("| datasets | HTTP (wrk -d10s, loopback) | requests/s | p50 | p99 | page size |");
    println!("|---:|---|---:|---:|---:|---:|");
    let first = "/api/variables?q=hba1c";
    for (name, path, script, connections) in [
        (
            "`/api/variables`, mix of 10 queries, 16 connections",
            first,
            Some(mix.as_path()),
            16,
        ),
        (
            "`/api/variables`, mix of 10 queries, one connection",
            first,
            Some(mix.as_path()),
            1,
        ),
        (
            "page `/variables?q=hba1c`, 16 connections",
            "/variables?q=hba1c",
            None,
            16,
        ),
        (
            "`/api/search?q=cancer`, 16 connections (for comparison)",
            "/api/search?q=cancer",
            None,
            16,
        ),
    ] {
        let (rps, p50, p99, size) = crate::wrk(exe, &data, None, script, path, connections)
            .with_context(|| format!("wrk on {path}"))?;
        println!("| {n} | {name} | {rps} | {p50} | {p99} | {size} |");
    }
    let _ = std::fs::remove_file(&mix);
    Ok(())
}
