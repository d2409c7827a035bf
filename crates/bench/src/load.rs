//! `healthcat-bench load`: a served catalogue of N datasets under a mix of readers and writers —
//! searches, dataset pages, DCAT catalogue pages and API writes — from many connections at once
//! for a while, on loopback (issue #18's load and soak workload).
//!
//! Reports throughput, latency (p50, p99) per kind of request, errors (any answer but the one
//! expected, or a failed connection: there must be none), and the server's resident memory
//! sampled every few seconds (it must stay flat). Each request opens its own connection, as the
//! harvesters and crawlers that hit a catalogue do.

use crate::demo_store;
use crate::linked::Server;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const BIND: &str = "127.0.0.1:18768";

/// The kinds of request, in the mix's proportions out of 20.
const KINDS: [(&str, u32); 4] = [
    ("search", 10),
    ("dataset page", 5),
    ("catalogue page", 3),
    ("API write", 2),
];

const WORDS: [&str; 8] = [
    "cancer", "cohorte", "diabète", "registre", "enquête", "santé", "hospital", "survey",
];

/// One request: (status, body length), or an error.
fn request(method: &str, path: &str, headers: &str, body: &str) -> Result<(u16, usize)> {
    let mut s = std::net::TcpStream::connect(BIND)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {BIND}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .context("no status line")?;
    let mut rest = Vec::new();
    r.read_to_end(&mut rest)?;
    Ok((status, rest.len()))
}

fn rss_mb(pid: u32) -> f64 {
    crate::memory::of(pid).map_or(f64::NAN, |m| m.rss_mb)
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// A small dataset for write number `i` of worker `w`.
fn new_dataset(w: usize, i: u64) -> String {
    format!(
        "<https://load.example/w{w}/d{i}> a <http://www.w3.org/ns/dcat#Dataset> ;\n\
         <http://purl.org/dc/terms/title> \"Jeu écrit sous charge {w}-{i}\"@fr , \"Written under load {w}-{i}\"@en ;\n\
         <http://purl.org/dc/terms/description> \"Écrit par le banc d'essai de charge.\"@fr ;\n\
         <http://www.w3.org/ns/dcat#keyword> \"charge\"@fr .\n"
    )
}

pub(crate) fn run(
    exe: &Path,
    work: &Path,
    n: usize,
    connections: usize,
    seconds: u64,
) -> Result<()> {
    let data = work.join(format!("load-{n}"));
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    demo_store(exe, &data, work, n)?;
    let key = std::process::Command::new(exe)
        .arg("--data-dir")
        .arg(&data)
        .args(["-q", "keys", "create", "--name", "load", "--role", "admin"])
        .output()?;
    if !key.status.success() {
        bail!(
            "cannot make a key: {}",
            String::from_utf8_lossy(&key.stderr)
        );
    }
    let key = String::from_utf8(key.stdout)?.trim().to_owned();
    let server = Server::start_on(exe, &data, BIND)?;
    let pid = server.pid();
    // Dataset ids to read pages of.
    let (status, _) = request("GET", "/healthz", "", "")?;
    if status != 200 {
        bail!("the server is not healthy: {status}");
    }
    let ids = dataset_ids()?;
    let pages = n.div_ceil(100).max(1);

    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|w| {
            let (stop, errors, first_error) = (stop.clone(), errors.clone(), first_error.clone());
            let (ids, key) = (ids.clone(), key.clone());
            std::thread::spawn(move || {
                let mut times: Vec<Vec<f64>> = vec![Vec::new(); KINDS.len()];
                let mut i: u64 = 0;
                let mut rng = w as u64 * 7919 + 1;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    rng = rng
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let pick = ((rng >> 33) % 20) as u32;
                    let kind = {
                        let mut acc = 0;
                        KINDS
                            .iter()
                            .position(|(_, share)| {
                                acc += share;
                                pick < acc
                            })
                            .unwrap_or(0)
                    };
                    let r = (rng >> 40) as usize;
                    let t = Instant::now();
                    let (answer, expected) = match kind {
                        0 => (
                            request(
                                "GET",
                                &format!("/api/search?q={}", WORDS[r % WORDS.len()]),
                                "",
                                "",
                            ),
                            200,
                        ),
                        1 => (
                            request("GET", &format!("/datasets/{}", ids[r % ids.len()]), "", ""),
                            200,
                        ),
                        2 => (
                            request(
                                "GET",
                                &format!("/catalog.ttl?page={}", 1 + r % pages),
                                "",
                                "",
                            ),
                            200,
                        ),
                        _ => (
                            request(
                                "POST",
                                "/api/datasets?force=true",
                                &format!(
                                    "Content-Type: text/turtle\r\nAuthorization: Bearer {key}\r\n"
                                ),
                                &new_dataset(w, i),
                            ),
                            201,
                        ),
                    };
                    times[kind].push(t.elapsed().as_secs_f64() * 1000.0);
                    let bad = match &answer {
                        Ok((status, _)) if *status == expected => None,
                        Ok((status, _)) => Some(format!("{}: HTTP {status}", KINDS[kind].0)),
                        Err(e) => Some(format!("{}: {e}", KINDS[kind].0)),
                    };
                    if let Some(b) = bad {
                        errors.fetch_add(1, Ordering::Relaxed);
                        first_error.lock().unwrap().get_or_insert(b);
                    }
                }
                times
            })
        })
        .collect();
    // Memory over time, every tenth of the run (at least every second).
    let mut memory = vec![(0.0, rss_mb(pid))];
    let step = Duration::from_secs((seconds / 10).max(1));
    while started.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(
            step.min(Duration::from_secs(seconds).saturating_sub(started.elapsed())),
        );
        memory.push((started.elapsed().as_secs_f64(), rss_mb(pid)));
    }
    stop.store(true, Ordering::Relaxed);
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); KINDS.len()];
    for w in workers {
        let t = w
            .join()
            .map_err(|_| anyhow::anyhow!("a load worker panicked"))?;
        for (k, v) in t.into_iter().enumerate() {
            times[k].extend(v);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total: usize = times.iter().map(Vec::len).sum();
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "\n{n} datasets, {connections} connections, {elapsed:.0} s: {total} requests, {:.0} requests/s, {errors} errors",
        total as f64 / elapsed
    );
    println!("\n| request | share | count | per s | p50 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (k, (name, share)) in KINDS.iter().enumerate() {
        let mut v = times[k].clone();
        v.sort_by(f64::total_cmp);
        println!(
            "| {name} | {}/20 | {} | {:.0} | {:.1} | {:.1} |",
            share,
            v.len(),
            v.len() as f64 / elapsed,
            percentile(&v, 50),
            percentile(&v, 99)
        );
    }
    let series: Vec<String> = memory
        .iter()
        .map(|(t, m)| format!("{t:.0} s: {m:.0}"))
        .collect();
    println!(
        "\nserver resident memory (MB) over the run: {}",
        series.join(", ")
    );
    drop(server);
    if errors > 0 {
        bail!(
            "{errors} requests failed under load (the first: {})",
            first_error.lock().unwrap().clone().unwrap_or_default()
        );
    }
    Ok(())
}

/// Local ids of up to 100 datasets, from the search API.
fn dataset_ids() -> Result<Arc<Vec<String>>> {
    let mut s = std::net::TcpStream::connect(BIND)?;
    write!(
        s,
        "GET /api/search?per_page=100 HTTP/1.1\r\nHost: {BIND}\r\nConnection: close\r\n\r\n"
    )?;
    let mut text = String::new();
    s.read_to_string(&mut text)?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(body).context("the search API's answer")?;
    let ids: Vec<String> = v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["id"].as_str().map(str::to_owned))
        .collect();
    if ids.is_empty() {
        bail!("the served catalogue lists no dataset");
    }
    Ok(Arc::new(ids))
}
