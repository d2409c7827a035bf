//! `healthcat-bench linked-data`: the DCAT catalogue and SPARQL endpoint of a served catalogue of N
//! datasets (issue #6), side by side with ckanext-dcat's `RDFSerializer.serialize_catalog` on the
//! same records when the oracle venv is there (`HEALTHCAT_ORACLE_PYTHON`).
//!
//! Everything goes through HTTP on loopback against a `healthcat serve` child, whose peak RSS is
//! read from `/proc/{pid}/status`; a plain blocking client keeps the measuring side simple.

use crate::{demo_store, phase};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

const BIND: &str = "127.0.0.1:18766";

/// `/sparql` counting the datasets.
pub(crate) const COUNT_DATASETS: &str = "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fd%20a%20%3Chttp%3A%2F%2Fwww.w3.org%2Fns%2Fdcat%23Dataset%3E%20%7D";

/// A `healthcat serve` child, killed when dropped.
pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Server {
    fn start(exe: &Path, data: &Path) -> Result<Self> {
        Self::start_on(exe, data, BIND)
    }

    /// Serves the store in `data` on `bind`, once it answers.
    pub(crate) fn start_on(exe: &Path, data: &Path, bind: &str) -> Result<Self> {
        Self::start_args(exe, data, bind, &[])
    }

    /// Serves the store in `data` with the global options `args` on the workload's address.
    pub(crate) fn start_with(exe: &Path, data: &Path, args: &[&str]) -> Result<Self> {
        Self::start_args(exe, data, BIND, args)
    }

    fn start_args(exe: &Path, data: &Path, bind: &str, args: &[&str]) -> Result<Self> {
        let child = Command::new(exe)
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .args(["-q", "serve", "--bind", bind])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let server = Server(child);
        for _ in 0..300 {
            std::thread::sleep(std::time::Duration::from_millis(100));
            if std::net::TcpStream::connect(bind).is_ok() {
                return Ok(server);
            }
        }
        bail!("the server did not start on {bind}")
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.0.id()
    }

    /// (current RSS, peak RSS) in MB.
    fn rss_mb(&self) -> (f64, f64) {
        crate::memory::of(self.0.id()).map_or((f64::NAN, f64::NAN), |m| (m.rss_mb, m.peak_mb))
    }
}

/// GET `path`: status and body (chunked transfer decoded) — or, with `sink`, the body's size
/// only, streamed through.
fn get(path: &str, sink: bool) -> Result<(u16, Vec<u8>, u64)> {
    let mut s = std::net::TcpStream::connect(BIND)?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {BIND}\r\nConnection: close\r\n\r\n"
    )?;
    let mut r = BufReader::with_capacity(1 << 16, s);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .context("no status line")?;
    let mut chunked = false;
    loop {
        line.clear();
        r.read_line(&mut line)?;
        if line.trim().is_empty() {
            break;
        }
        let l = line.to_ascii_lowercase();
        chunked |= l.starts_with("transfer-encoding:") && l.contains("chunked");
    }
    let mut body = Vec::new();
    let mut size = 0u64;
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).context("bad chunk size")?;
            if n == 0 {
                break;
            }
            let mut chunk = (&mut r).take(n as u64);
            size += if sink {
                std::io::copy(&mut chunk, &mut std::io::sink())?
            } else {
                chunk.read_to_end(&mut body)? as u64
            };
            let mut crlf = [0u8; 2];
            r.read_exact(&mut crlf)?;
        }
    } else {
        size = if sink {
            std::io::copy(&mut r, &mut std::io::sink())?
        } else {
            r.read_to_end(&mut body)? as u64
        };
    }
    Ok((status, body, size))
}

pub(crate) fn ok(path: &str) -> Result<Vec<u8>> {
    let (status, body, _) = get(path, false)?;
    if status != 200 {
        bail!("GET {path}: {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(body)
}

pub(crate) fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// The `hydra:next` of a page, as a path on this server.
fn next_link(page: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(page).ok()?;
    let at = text.find("hydra/core#next> <")? + "hydra/core#next> <".len();
    let url = &text[at..at + text[at..].find('>')?];
    Some(url.split_once(BIND).map_or(url, |(_, p)| p).to_owned())
}

/// The linked-data workload for `n` datasets.
pub(crate) fn run(exe: &Path, work: &Path, n: usize) -> Result<()> {
    let data = work.join(format!("linked-{n}"));
    demo_store(exe, &data, work, n)?;
    println!("| datasets | system | workload | figure |");
    println!("|---:|---|---|---|");
    let server = Server::start(exe, &data)?;
    // Give the background warm-up (id list, shared roots) its time, as a running server has had.
    std::thread::sleep(std::time::Duration::from_secs(3));

    let (before, _) = server.rss_mb();
    let t = Instant::now();
    let (status, _, size) = get("/catalog/all.nt", true)?;
    if status != 200 {
        bail!("/catalog/all.nt: {status}");
    }
    let s = t.elapsed().as_secs_f64();
    let (_, peak) = server.rss_mb();
    println!(
        "| {n} | healthcat | `/catalog/all.nt` streamed ({:.0} MB) | {s:.1} s, {:.3} ms per dataset; server RSS {before:.0} MB before (just started), peak {peak:.0} MB |",
        size as f64 / 1e6,
        s * 1e3 / n as f64
    );

    let t = Instant::now();
    ok("/catalog.ttl?per_page=100")?;
    let first = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "| {n} | healthcat | first 100-record page (the server warmed its id list as it started) | {first:.0} ms |"
    );

    // Distinct pages, in a scrambled but fixed order.
    let pages = n.div_ceil(100).max(1);
    for (name, ext) in [("Turtle", "ttl"), ("JSON-LD (compacted)", "jsonld")] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for i in 0..200usize {
            let page = (i * 7919) % pages + 1;
            let t = Instant::now();
            bytes = ok(&format!("/catalog.{ext}?per_page=100&page={page}"))?.len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| {n} | healthcat | 100-record page, {name}, 200 distinct pages | p50 {:.1} ms, p99 {:.1} ms, {:.0} kB |",
            percentile(&times, 50),
            percentile(&times, 99),
            bytes as f64 / 1e3
        );
    }

    // A harvester's walk: every page by `next`.
    let t = Instant::now();
    let mut path = Some("/catalog.ttl?per_page=100".to_owned());
    let (mut walked, mut bytes) = (0usize, 0usize);
    while let Some(p) = path.take() {
        let page = ok(&p)?;
        bytes += page.len();
        walked += 1;
        path = next_link(&page);
        if walked > pages + 1 {
            bail!("paging does not end");
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "| {n} | healthcat | whole catalogue through `next`, 100 per page, Turtle ({walked} pages, {:.0} MB) | {s:.1} s, {:.2} ms per dataset |",
        bytes as f64 / 1e6,
        s * 1e3 / n as f64
    );

    let (rss, peak) = server.rss_mb();
    println!(
        "| {n} | healthcat | server RSS after all of the above | {rss:.0} MB (peak {peak:.0} MB) |"
    );
    let t = Instant::now();
    ok(COUNT_DATASETS)?;
    println!(
        "| {n} | healthcat | SPARQL: count the datasets | {:.0} ms |",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(server);

    ckanext(exe, work, n)?;
    Ok(())
}

/// ckanext-dcat's `serialize_catalog` on the same generated records, in pages of 100.
fn ckanext(exe: &Path, work: &Path, n: usize) -> Result<()> {
    let Some(python) = std::env::var_os("HEALTHCAT_ORACLE_PYTHON").map(PathBuf::from) else {
        println!(
            "\n(HEALTHCAT_ORACLE_PYTHON is not set — run ../shared/tools/oracle-venv.sh — so no ckanext-dcat figures)"
        );
        return Ok(());
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/ckanext_serialize.py");
    let sample = work.join("ckan-sample-1000.ttl");
    if !sample.exists() {
        let s = sample.to_string_lossy().into_owned();
        phase(
            exe,
            &work.join("unused"),
            &["demo-data", "--datasets", "1000", "--seed", "1", "-o", &s],
        )?;
    }
    let n_s = n.to_string();
    let v = crate::peer_json(
        &python,
        &script,
        &[
            sample.as_os_str(),
            n_s.as_ref(),
            "--max-pages".as_ref(),
            "100".as_ref(),
        ],
    )?;
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    println!(
        "| {n} | ckanext-dcat 2.4.4 | `serialize_catalog`, 100 per page, Turtle ({} of {} pages measured) | {:.2} ms per dataset; page p50 {:.0} ms, p99 {:.0} ms; peak RSS {:.0} MB |",
        f("pages_measured"),
        f("pages"),
        f("per_dataset_ms"),
        f("p50_page_ms"),
        f("p99_page_ms"),
        f("peak_rss_mb")
    );
    Ok(())
}
