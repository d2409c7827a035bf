//! `healthcat-bench remote-store`: what keeping the records on a remote SPARQL 1.1 store costs,
//! beside the embedded store, on the same generated catalogue of N datasets (issue #23): the
//! import (healthcat's time and peak RSS, and the server's), then, served, 200 distinct dataset
//! pages, 50 distinct 100-record catalogue pages and a SPARQL count, one connection.
//!
//! The remote store is Oxigraph server from the Python package registry
//! (`HEALTHCAT_OXIGRAPH_SERVER`, `.ci/oxigraph-server`) on 127.0.0.1, with its data on the same
//! disk; it shares the two cores with healthcat.

use crate::linked::{COUNT_DATASETS, Server, ok, percentile};
use crate::{Measure, phase};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// An Oxigraph server child, killed when dropped.
struct Oxigraph(Child);

impl Drop for Oxigraph {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const STORE_BIND: &str = "127.0.0.1:18790";

impl Oxigraph {
    fn start(binary: &Path, data: &Path) -> Result<Self> {
        let child = Command::new(binary)
            .arg("serve")
            .arg("--location")
            .arg(data)
            .args(["--bind", STORE_BIND])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let server = Self(child);
        for _ in 0..300 {
            std::thread::sleep(std::time::Duration::from_millis(100));
            if std::net::TcpStream::connect(STORE_BIND).is_ok() {
                return Ok(server);
            }
        }
        bail!("Oxigraph server did not start on {STORE_BIND}")
    }

    fn peak_mb(&self) -> f64 {
        crate::memory::of(self.0.id()).map_or(f64::NAN, |m| m.peak_mb)
    }
}

fn fresh(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// The ids of up to `want` datasets, from the search API.
fn dataset_ids(want: usize) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut page = 1;
    while ids.len() < want {
        let body = ok(&format!("/api/search?per_page=100&page={page}"))?;
        let json: serde_json::Value = serde_json::from_slice(&body)?;
        let Some(hits) = json["hits"].as_array().filter(|h| !h.is_empty()) else {
            break;
        };
        ids.extend(
            hits.iter()
                .filter_map(|h| h["id"].as_str().map(str::to_owned)),
        );
        page += 1;
    }
    ids.truncate(want);
    Ok(ids)
}

fn timed(paths: &[String]) -> Result<(f64, f64)> {
    let mut times = Vec::with_capacity(paths.len());
    for p in paths {
        let t = Instant::now();
        ok(p)?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok((percentile(&times, 50), percentile(&times, 99)))
}

/// Pages of the served catalogue, one connection; one table row per measure.
fn served(n: usize, system: &str, ids: &[String]) -> Result<()> {
    let pages: Vec<String> = ids
        .iter()
        .map(|id| format!("/datasets/{id}?lang=en"))
        .collect();
    let (p50, p99) = timed(&pages)?;
    println!(
        "| {n} | {system} | dataset page, {} distinct | p50 {p50:.1} ms, p99 {p99:.1} ms |",
        pages.len()
    );
    let per = n.div_ceil(100).max(1);
    let lists: Vec<String> = (0..50usize)
        .map(|i| format!("/catalog.ttl?per_page=100&page={}", (i * 7919) % per + 1))
        .collect();
    let (p50, p99) = timed(&lists)?;
    println!(
        "| {n} | {system} | 100-record catalogue page (Turtle), 50 distinct | p50 {p50:.1} ms, p99 {p99:.1} ms |"
    );
    let t = Instant::now();
    ok(COUNT_DATASETS)?;
    println!(
        "| {n} | {system} | SPARQL: count the datasets | {:.0} ms |",
        t.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

fn row(n: usize, system: &str, what: &str, m: &Measure, extra: &str) {
    println!(
        "| {n} | {system} | {what} | {:.1} s, {:.0} datasets/s, healthcat peak RSS {:.0} MB{extra} |",
        m.seconds,
        n as f64 / m.seconds,
        m.peak_rss_mb.unwrap_or(f64::NAN)
    );
}

/// The workload for `n` datasets.
pub(crate) fn run(exe: &Path, work: &Path, n: usize) -> Result<()> {
    let Some(binary) = std::env::var_os("HEALTHCAT_OXIGRAPH_SERVER").filter(|v| !v.is_empty())
    else {
        eprintln!(
            "NOTICE: HEALTHCAT_OXIGRAPH_SERVER is not set (bash .ci/oxigraph-server prints it): remote-store not measured"
        );
        return Ok(());
    };
    let binary = Path::new(&binary);
    let file = work.join(format!("remote-demo-{n}.ttl"));
    let f = file.to_string_lossy().into_owned();
    let (embedded, node, oxi) = (
        work.join(format!("remote-embedded-{n}")),
        work.join(format!("remote-node-{n}")),
        work.join(format!("remote-oxigraph-{n}")),
    );
    for dir in [&embedded, &node, &oxi] {
        fresh(dir)?;
    }
    let n_s = n.to_string();
    phase(
        exe,
        &embedded,
        &["demo-data", "--datasets", &n_s, "--seed", "1", "-o", &f],
    )?;
    println!("| datasets | store | workload | figure |");
    println!("|---:|---|---|---|");
    let m = phase(exe, &embedded, &["import", &f])?;
    row(n, "embedded", "import with validation and index", &m, "");
    let server = Oxigraph::start(binary, &oxi)?;
    let url = format!("http://{STORE_BIND}");
    let m = phase(exe, &node, &["--store-url", &url, "import", &f])?;
    row(
        n,
        "remote (Oxigraph server)",
        "import with validation and index",
        &m,
        &format!("; server peak RSS {:.0} MB", server.peak_mb()),
    );
    let _ = std::fs::remove_file(&file);

    let ids = {
        let _s = Server::start_with(exe, &embedded, &[])?;
        std::thread::sleep(std::time::Duration::from_secs(3));
        let ids = dataset_ids(200)?;
        served(n, "embedded", &ids)?;
        ids
    };
    let s = Server::start_with(exe, &node, &["--store-url", &url])?;
    std::thread::sleep(std::time::Duration::from_secs(3));
    served(n, "remote (Oxigraph server)", &ids)?;
    let t = Instant::now();
    drop(s);
    let s = Server::start_with(exe, &node, &["--store-url", &url])?;
    let start = t.elapsed().as_secs_f64();
    drop(s);
    println!(
        "| {n} | remote (Oxigraph server) | restart of `serve` on the remote store (until it listens) | {start:.1} s |"
    );
    Ok(())
}
