//! `healthcat-bench`: measures healthcat on generated data, each phase as a child `healthcat`
//! process (so that every figure — wall time, peak RSS from [`memory`] — belongs to that phase
//! alone), beside the peers that run on this machine, and prints Markdown tables for
//! docs/benchmarks.md. Not part of the shipped binary: `cargo run -p healthcat-bench -- …`.

mod compare;
mod harvest;
mod linked;
mod load;
mod memory;
mod remote;
mod sheet;
mod variables;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

fn main() -> ExitCode {
    match run(BenchArgs::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("healthcat-bench: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `healthcat-bench`: measures healthcat on generated data, beside the peers that run here.
#[derive(Debug, Clone, Parser)]
#[command(name = "healthcat-bench", version, about)]
pub struct BenchArgs {
    /// What to measure.
    #[arg(value_enum)]
    pub workload: Workload,
    /// The `healthcat` binary measured (default: the one beside this program, as `cargo build`
    /// leaves them).
    #[arg(long, value_name = "FILE", env = "HEALTHCAT_BIN")]
    pub healthcat: Option<PathBuf>,
    /// Catalogue sizes to run, in datasets (repeat the flag).
    #[arg(long = "datasets", default_values_t = [10_000usize, 100_000])]
    pub datasets: Vec<usize>,
    /// Working directory (default: a temporary directory, removed afterwards).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// `compare`: runs of each measurement (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// `compare`: measure the peers only up to this many datasets (pySHACL needs minutes at 10k).
    #[arg(long, default_value_t = 10_000)]
    pub peers_up_to: usize,
    /// `compare`: the validation workloads only (with the peers at 10k, the rest takes another
    /// 20 minutes, most of it rdflib's Turtle serialiser).
    #[arg(long)]
    pub validation_only: bool,
    /// `compare`: write the report into this Markdown file, between `<!-- bench compare: begin -->`
    /// and `<!-- bench compare: end -->` (docs/benchmarks.md).
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// `load`: connections at once.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// `load`: how long to run, in seconds.
    #[arg(long, default_value_t = 600)]
    pub seconds: u64,
}

/// Benchmark workloads.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Workload {
    /// Generate, import (new, then unchanged) and export (N-Triples, Turtle) N datasets.
    ImportExport,
    /// Index N datasets (import, then `reindex` alone), measure query latency in process (p50,
    /// p99) and, when `wrk` is installed, `/api/search` over HTTP on loopback.
    Search,
    /// Serve N datasets: catalogue pages (p50, p99), a harvester's walk through every page, the
    /// streamed dump (time, server peak RSS), a SPARQL count; and ckanext-dcat's serializer on the
    /// same records when HEALTHCAT_ORACLE_PYTHON is set. Reuses `<work-dir>/linked-N` if present.
    LinkedData,
    /// Harvest a served node of N datasets into an empty node (time, datasets/s, peak RSS), then
    /// again after 1 % changed; ckanext-dcat's parser reading the same pages when
    /// HEALTHCAT_ORACLE_PYTHON is set. Reuses `<work-dir>/harvest-src-N` if present.
    Harvest,
    /// healthcat side by side with the peers that run here, on the same generated catalogue:
    /// validation (pySHACL, rudof), parse and import, Turtle serialisation (rdflib), cold start and
    /// memory at rest; medians of --runs, peak RSS, ratios only where the answers agree (the same
    /// validation results, the same triple count). Peers need HEALTHCAT_ORACLE_PYTHON and the
    /// reference material (HEALTHCAT_REFERENCE_DIR); `--write docs/benchmarks.md` records the table.
    Compare,
    /// Serve N datasets and drive a mix of searches, dataset pages, catalogue pages and API writes
    /// from --connections connections for --seconds (64, 600): throughput, p50/p99 per kind,
    /// errors (the run fails on any) and the server's memory over time. Not part of `all`.
    Load,
    /// Search the variables of N datasets' data dictionaries: in process (p50, p99) and over HTTP
    /// (`/api/variables`, the `/variables` page) beside the dataset search. Reuses
    /// `<work-dir>/variables-N` if present. Not part of `all`.
    Variables,
    /// A steward's bulk edit: `export --sheet` and `import --from-sheet` of N datasets (at most
    /// 20,000, a workbook's limit), beside openpyxl reading and writing the same workbook when
    /// HEALTHCAT_OPENPYXL_PYTHON is set. Not part of `all`.
    Sheet,
    /// The records on a remote SPARQL 1.1 store (Oxigraph server, HEALTHCAT_OXIGRAPH_SERVER)
    /// beside the embedded store: import, dataset and catalogue pages, a SPARQL count. Not part
    /// of `all`.
    RemoteStore,
    /// Every workload above but `load`, `variables` and `sheet` in turn, at each --datasets size: compare (written with
    /// --write), then import-export, search, linked-data and harvest.
    All,
}

pub(crate) struct Measure {
    pub(crate) seconds: f64,
    pub(crate) peak_rss_mb: Option<f64>,
}

pub(crate) fn phase(exe: &Path, data_dir: &Path, args: &[&str]) -> Result<Measure> {
    phase_with(exe, data_dir, args, &[])
}

/// [`phase`] with the variables `vars` set for the process.
pub(crate) fn phase_with(
    exe: &Path,
    data_dir: &Path,
    args: &[&str],
    vars: &[(&str, &str)],
) -> Result<Measure> {
    let mut cmd = Command::new(exe);
    cmd.arg("--data-dir").arg(data_dir).arg("-q").args(args);
    cmd.envs(vars.iter().copied());
    let run = memory::run(&mut cmd, Stdio::null())
        .with_context(|| format!("cannot run {}", exe.display()))?;
    if !run.status.success() {
        bail!("`healthcat {}` failed: {}", args.join(" "), run.stderr);
    }
    Ok(Measure {
        seconds: run.seconds,
        peak_rss_mb: Some(run.peak_mb),
    })
}

/// Runs a peer's Python `script` with `args` and reads the one JSON object it prints.
pub(crate) fn peer_json(
    python: &Path,
    script: &Path,
    args: &[&std::ffi::OsStr],
) -> Result<serde_json::Value> {
    let out = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {}", script.display()))?;
    if !out.status.success() {
        bail!(
            "{}: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// A store of `n` generated datasets (seed 1) in `data`, made unless it is there already.
pub(crate) fn demo_store(exe: &Path, data: &Path, work: &Path, n: usize) -> Result<()> {
    if data.exists() {
        return Ok(());
    }
    let file = work.join(format!("demo-{n}.ttl"));
    let f = file.to_string_lossy().into_owned();
    let n = n.to_string();
    phase(
        exe,
        data,
        &["demo-data", "--datasets", &n, "--seed", "1", "-o", &f],
    )?;
    phase(exe, data, &["import", &f])?;
    let _ = std::fs::remove_file(&file);
    Ok(())
}

fn run(args: BenchArgs) -> Result<ExitCode> {
    let exe = healthcat_binary(args.healthcat.as_deref())?;
    let tmp;
    let work = match &args.work_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => {
            tmp = tempfile::tempdir()?;
            tmp.path().to_path_buf()
        }
    };
    let workloads = match args.workload {
        Workload::All => vec![
            Workload::Compare,
            Workload::ImportExport,
            Workload::Search,
            Workload::LinkedData,
            Workload::Harvest,
        ],
        one => vec![one],
    };
    for workload in workloads {
        eprintln!("bench: {workload:?}");
        measure(&exe, &work, &args, workload)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One workload, at every size of `args`.
fn measure(exe: &Path, work: &Path, args: &BenchArgs, workload: Workload) -> Result<()> {
    match workload {
        Workload::ImportExport => {
            println!("| datasets | phase | time (s) | datasets/s | peak RSS (MB) | output |");
            println!("|---:|---|---:|---:|---:|---:|");
            for &n in &args.datasets {
                let data = work.join(format!("store-{n}"));
                if data.exists() {
                    std::fs::remove_dir_all(&data)?;
                }
                let file = work.join(format!("demo-{n}.ttl"));
                let f = file.to_string_lossy().into_owned();
                let nt = work
                    .join(format!("export-{n}.nt"))
                    .to_string_lossy()
                    .into_owned();
                let ttl = work
                    .join(format!("export-{n}.ttl"))
                    .to_string_lossy()
                    .into_owned();
                let n_s = n.to_string();
                let phases: [(&str, Vec<&str>, Option<&str>); 5] = [
                    (
                        "demo-data",
                        vec!["demo-data", "--datasets", &n_s, "--seed", "1", "-o", &f],
                        Some(&f),
                    ),
                    ("import (new)", vec!["import", &f], None),
                    ("import (unchanged)", vec!["import", &f], None),
                    (
                        "export nt",
                        vec!["export", "-f", "nt", "-o", &nt],
                        Some(&nt),
                    ),
                    (
                        "export ttl",
                        vec!["export", "-f", "ttl", "-o", &ttl],
                        Some(&ttl),
                    ),
                ];
                for (name, argv, output) in phases {
                    let m = phase(exe, &data, &argv)?;
                    let size = output
                        .and_then(|o| std::fs::metadata(o).ok())
                        .map_or(String::new(), |md| {
                            format!("{:.0} MB", md.len() as f64 / 1e6)
                        });
                    println!(
                        "| {n} | {name} | {:.2} | {:.0} | {} | {size} |",
                        m.seconds,
                        n as f64 / m.seconds,
                        m.peak_rss_mb.map_or("n/a".into(), |v| format!("{v:.0}")),
                    );
                }
                for p in [&nt, &ttl, &f] {
                    let _ = std::fs::remove_file(p);
                }
                std::fs::remove_dir_all(&data)?;
            }
        }
        Workload::Search => {
            for &n in &args.datasets {
                search(exe, work, n)?;
            }
        }
        Workload::LinkedData => {
            for &n in &args.datasets {
                linked::run(exe, work, n)?;
            }
        }
        Workload::Harvest => {
            for &n in &args.datasets {
                harvest::run(exe, work, n)?;
            }
        }
        Workload::Load => {
            for &n in &args.datasets {
                load::run(exe, work, n, args.connections, args.seconds)?;
            }
        }
        Workload::Variables => {
            for &n in &args.datasets {
                variables::run(exe, work, n)?;
            }
        }
        Workload::Sheet => {
            for &n in &args.datasets {
                sheet::run(exe, work, n)?;
            }
        }
        Workload::RemoteStore => {
            for &n in &args.datasets {
                remote::run(exe, work, n)?;
            }
        }
        Workload::All => {}
        Workload::Compare => compare::run(
            exe,
            work,
            &args.datasets,
            args.runs,
            args.peers_up_to,
            args.validation_only,
            args.write.as_deref(),
        )?,
    }
    Ok(())
}

/// The search workload of issue #4 for `n` datasets.
fn search(exe: &Path, work: &Path, n: usize) -> Result<()> {
    let data = work.join(format!("search-{n}"));
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    let file = work.join(format!("demo-{n}.ttl"));
    let f = file.to_string_lossy().into_owned();
    let n_s = n.to_string();
    phase(
        exe,
        &data,
        &["demo-data", "--datasets", &n_s, "--seed", "1", "-o", &f],
    )?;
    println!("| datasets | phase | time (s) | peak RSS (MB) |");
    println!("|---:|---|---:|---:|");
    for (name, argv) in [
        ("import (store + index)", vec!["import", f.as_str()]),
        ("reindex (index alone)", vec!["reindex"]),
    ] {
        let m = phase(exe, &data, &argv)?;
        println!(
            "| {n} | {name} | {:.2} | {} |",
            m.seconds,
            m.peak_rss_mb.map_or("n/a".into(), |v| format!("{v:.0}"))
        );
    }
    let _ = std::fs::remove_file(&file);

    // Latency of the work itself: no result cache.
    let index = healthcat_search::SearchIndex::open(&data.join("search"))?.with_settings(
        healthcat_search::SearchSettings {
            cache_entries: 0,
            ..Default::default()
        },
    );
    let nonpublic = "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC";
    let heal = "http://publications.europa.eu/resource/authority/data-theme/HEAL";
    let fra = "http://publications.europa.eu/resource/authority/language/FRA";
    let filters = vec![
        ("access_rights".to_owned(), vec![nonpublic.to_owned()]),
        ("theme".to_owned(), vec![heal.to_owned()]),
        ("language".to_owned(), vec![fra.to_owned()]),
    ];
    let cases: [(&str, healthcat_search::SearchRequest); 4] = [
        ("one term", request("cancer", Vec::new())),
        ("three terms", request("cohorte cancer sein", Vec::new())),
        ("a phrase", request("\"cancer du sein\"", Vec::new())),
        ("three filters, all facets", request("", filters)),
    ];
    println!();
    println!("| datasets | query | hits | p50 (ms) | p99 (ms) |");
    println!("|---:|---|---:|---:|---:|");
    for (name, r) in &cases {
        let mut times = Vec::with_capacity(500);
        let mut hits = 0;
        for _ in 0..500 {
            let start = Instant::now();
            hits = index.search(r)?.total;
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| {n} | {name} | {hits} | {:.2} | {:.2} |",
            times[times.len() / 2],
            times[times.len() * 99 / 100]
        );
    }
    let dataset = index
        .search(&request("", Vec::new()))?
        .hits
        .first()
        .map(|h| h.id.clone())
        .context("the index is empty")?;
    drop(index);
    http(exe, work, &data, n, &dataset)?;
    std::fs::remove_dir_all(&data)?;
    Ok(())
}

fn request(q: &str, filters: Vec<(String, Vec<String>)>) -> healthcat_search::SearchRequest {
    healthcat_search::SearchRequest {
        q: q.to_owned(),
        filters,
        ..Default::default()
    }
}

/// Queries of the mixed HTTP workload (query strings of `/api/search`).
const MIXED: &[&str] = &[
    "q=cancer",
    "q=cohorte+cancer+sein",
    "q=%22cancer+du+sein%22",
    "q=diabetes+cohort&lang=en",
    "access_rights=http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Faccess-right%2FNON_PUBLIC&theme=http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Fdata-theme%2FHEAL&language=http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Flanguage%2FFRA",
    "q=registre&sort=modified&page=2",
    "q=cancr",
    "",
];

/// `/api/search` and the search and dataset pages under wrk (10 s, 16 connections, or one for
/// latency alone) on loopback: with and without the result cache, and a mix of queries.
fn http(exe: &Path, work: &Path, data: &Path, n: usize, dataset: &str) -> Result<()> {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("\n(wrk is not installed — `apt-get install -y wrk` — so no HTTP figures)");
        return Ok(());
    }
    let no_cache = work.join("search-no-cache.toml");
    std::fs::write(&no_cache, "[search]\ncache_entries = 0\n")?;
    let mixed = work.join("search-mixed.lua");
    wrk_mix(&mixed, "/api/search", MIXED)?;
    println!();
    println!(
        "| datasets | HTTP (wrk -d10s, loopback; 16 connections unless said) | requests/s | p50 | p99 | page size |"
    );
    println!("|---:|---|---:|---:|---:|---:|");
    let one = "/api/search?q=cancer+sein&per_page=20";
    let page = format!("/datasets/{dataset}?lang=fr");
    let search_page = "/search?q=cancer";
    let nc = Some(&no_cache);
    for (name, path, config, script, connections) in [
        (
            "`/api/search?q=cancer+sein`, result cache on (default)",
            one,
            None,
            None,
            16,
        ),
        (
            "`/api/search?q=cancer+sein`, no result cache",
            one,
            nc,
            None,
            16,
        ),
        (
            "`/api/search`, mix of 8 queries, no result cache",
            one,
            nc,
            Some(&mixed),
            16,
        ),
        (
            "search page `/search?q=cancer`",
            search_page,
            None,
            None,
            16,
        ),
        ("search page, no result cache", search_page, nc, None, 16),
        ("search page, one connection", search_page, None, None, 1),
        (
            "dataset page `/datasets/{id}`",
            page.as_str(),
            None,
            None,
            16,
        ),
        ("dataset page, one connection", page.as_str(), None, None, 1),
    ] {
        let (rps, p50, p99, size) = wrk(
            exe,
            data,
            config.map(|p| p.as_path()),
            script.map(|p| p.as_path()),
            path,
            connections,
        )?;
        println!("| {n} | {name} | {rps} | {p50} | {p99} | {size} |");
    }
    let _ = std::fs::remove_file(&no_cache);
    let _ = std::fs::remove_file(&mixed);
    Ok(())
}

/// A wrk script requesting `{path}?{query}` for each of `queries` in turn.
pub(crate) fn wrk_mix(script: &Path, path: &str, queries: &[&str]) -> Result<()> {
    let paths: Vec<String> = queries.iter().map(|q| format!("\"{path}?{q}\"")).collect();
    std::fs::write(
        script,
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  \
             return wrk.format(nil, paths[(i % #paths) + 1])\nend\n",
            paths.join(", ")
        ),
    )?;
    Ok(())
}

/// Serves `data` and runs wrk on `path` (or the paths of `script`): requests/s, p50, p99 and the
/// size of `path`'s page.
pub(crate) fn wrk(
    exe: &Path,
    data: &Path,
    config: Option<&Path>,
    script: Option<&Path>,
    path: &str,
    connections: usize,
) -> Result<(String, String, String, String)> {
    let bind = "127.0.0.1:18765";
    let mut cmd = Command::new(exe);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let mut server = cmd
        .arg("--data-dir")
        .arg(data)
        .args(["-q", "serve", "--bind", bind])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let mut up = false;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if std::net::TcpStream::connect(bind).is_ok() {
            up = true;
            break;
        }
    }
    // The size of the page itself, headers excluded.
    let size = match up.then(|| page_size(bind, path)).flatten() {
        Some(bytes) => format!("{:.1} kB", bytes as f64 / 1e3),
        None => "?".to_owned(),
    };
    let out = if up {
        let mut w = Command::new("wrk");
        w.arg(format!("-t{}", connections.min(2)))
            .arg(format!("-c{connections}"))
            .args(["-d10s", "--latency"]);
        if let Some(s) = script {
            w.arg("-s").arg(s);
        }
        w.arg(format!("http://{bind}{path}")).output().ok()
    } else {
        None
    };
    let _ = server.kill();
    let _ = server.wait();
    let Some(out) = out else {
        bail!("the server did not start on {bind}");
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_owned()
    };
    if text.contains("Non-2xx") {
        bail!("wrk saw error responses:\n{text}");
    }
    Ok((field("Requests/sec:"), field("50%"), field("99%"), size))
}

/// The body length of one GET.
fn page_size(addr: &str, path: &str) -> Option<usize> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some(raw.len() - at - 4)
}

/// The `healthcat` binary to measure: the one named, or the one beside this program.
fn healthcat_binary(named: Option<&Path>) -> Result<PathBuf> {
    let path = match named {
        Some(p) => p.to_owned(),
        None => std::env::current_exe()
            .context("cannot locate healthcat-bench")?
            .with_file_name(format!("healthcat{}", std::env::consts::EXE_SUFFIX)),
    };
    if !path.is_file() {
        bail!(
            "no healthcat binary at {}: build it (`cargo build --workspace`) or name it with --healthcat FILE",
            path.display()
        );
    }
    Ok(path)
}
