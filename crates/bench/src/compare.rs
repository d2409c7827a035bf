//! `healthcat-bench compare`: healthcat and the peers that run on this machine, on the same
//! generated catalogue, in one run — SHACL validation (pySHACL, rudof), parsing and serialising
//! (rdflib), cold start and memory at rest — each measured `--runs` times as a child process
//! (wall time, and the peak RSS of that child's own address space), medians reported,
//! and a ratio printed only where the systems were checked to compute the same thing (the same
//! multiset of validation results; the same number of triples).
//!
//! The peers come from `../shared/tools/oracle-venv.sh` (`HEALTHCAT_ORACLE_PYTHON`), the official
//! shapes from the reference material (`HEALTHCAT_REFERENCE_DIR`, default `../shared/reference`);
//! without them healthcat is measured alone and the table says so.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a child process cost.
struct Cost {
    seconds: f64,
    peak_mb: f64,
    stdout: Vec<u8>,
}

/// Runs `cmd` to its end: its wall time and its own peak RSS. Standard output goes to a file, so
/// a large report never blocks on a full pipe.
fn measure(cmd: &mut Command, out: &Path) -> Result<Cost> {
    measure_with(cmd, out, &[0])
}

/// [`measure`], accepting the exit codes `ok` (`validate` exits 1 on a non-conforming input).
fn measure_with(cmd: &mut Command, out: &Path, ok: &[i32]) -> Result<Cost> {
    let file = std::fs::File::create(out)?;
    let run = crate::memory::run(cmd, file).with_context(|| format!("cannot run {cmd:?}"))?;
    if !run.status.code().is_some_and(|c| ok.contains(&c)) {
        bail!("{cmd:?} failed ({}): {}", run.status, run.stderr.trim());
    }
    Ok(Cost {
        seconds: run.seconds,
        peak_mb: run.peak_mb,
        stdout: std::fs::read(out)?,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// One line of the table.
struct Row {
    workload: &'static str,
    n: usize,
    system: String,
    seconds: Vec<f64>,
    peak_mb: f64,
    /// What it computed, for the agreement check (result multiset digest, triple count…).
    answer: String,
}

type Key = healthcat_testkit::ResultKey;

/// A result as `validate --format json` and the SHACL oracle print it, normalised — the key the e2e
/// parity tests compare.
fn key(r: &serde_json::Value) -> Key {
    healthcat_testkit::result_key(|k| r[k].as_str(), &str::to_owned)
}

/// [`digest`] of the results the oracle prints, one JSON object per line (other lines, such as
/// its summary, have no `focus`).
fn digest_lines(stdout: &[u8]) -> String {
    digest(
        String::from_utf8_lossy(stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v.get("focus").is_some())
            .map(|v| key(&v)),
    )
}

/// A short digest of a result multiset: its size and a hash of its sorted keys.
fn digest(keys: impl IntoIterator<Item = Key>) -> String {
    use sha2::{Digest, Sha256};
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    let mut total = 0;
    for k in keys {
        *counts.entry(k).or_default() += 1;
        total += 1;
    }
    let mut h = Sha256::new();
    for (k, n) in &counts {
        h.update(format!("{k:?}{n}\n").as_bytes());
    }
    let hex: String = h.finalize()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{total} results #{hex}")
}

/// The peers' interpreter and the reference material, when both are here.
fn peers() -> Option<(PathBuf, PathBuf)> {
    let python = std::env::var_os("HEALTHCAT_ORACLE_PYTHON").map(PathBuf::from);
    let reference = reference_path();
    match python {
        Some(p) if p.is_file() && reference.is_dir() => Some((p, reference)),
        _ => {
            eprintln!(
                "NOTICE: peers not measured: set HEALTHCAT_ORACLE_PYTHON (bash ../shared/tools/oracle-venv.sh) \
                 and have the reference material at {} (HEALTHCAT_REFERENCE_DIR)",
                reference.display()
            );
            None
        }
    }
}

/// Where the reference material is said to be (`HEALTHCAT_REFERENCE_DIR`, default
/// `../shared/reference`).
fn reference_path() -> PathBuf {
    std::env::var_os("HEALTHCAT_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/reference"))
}

/// The reference material, when it is there.
fn reference_dir() -> Option<PathBuf> {
    let r = reference_path();
    r.is_dir().then_some(r)
}

/// The official R8 non-public shapes with the DCAT-AP 3.0.0 shapes they import and the graph guard.
fn official_shapes(reference: &Path) -> Vec<PathBuf> {
    let guard = reference.join("healthdcat-ap/release-8/validator/shapes/graph-guard.ttl");
    std::iter::once(guard)
        .chain(healthcat_testkit::official_r8_non_public_shapes(reference))
        .collect()
}

/// Records a row: workload, system, (seconds, peak MB) of each run, what it computed.
type AddRow<'a> = dyn FnMut(&'static str, &str, Vec<(f64, f64)>, String) + 'a;

/// One validation workload, every system on the same data file.
struct Validation<'a> {
    workload: &'static str,
    data: &'a Path,
    /// healthcat's arguments after `validate FILE`.
    ours: Vec<String>,
    /// The official shapes files the peers are given (`None`: healthcat alone).
    official: Option<Vec<PathBuf>>,
    /// The R8 shapes' pathless property shapes, read as node constraints by the peers too.
    fix_pathless: bool,
}

/// Measures `v` with healthcat, then with pySHACL and rudof when they are here, adding a row each
/// with its result digest.
fn validation(
    v: &Validation,
    runs: usize,
    hc: &dyn Fn(&[&str], &Path) -> Command,
    scratch: &Path,
    work: &Path,
    peers: Option<&(PathBuf, PathBuf)>,
    add: &mut AddRow,
) -> Result<()> {
    let out = work.join("stdout");
    let data = v.data.to_string_lossy().into_owned();
    let mut args = vec!["validate", &data, "--format", "json"];
    args.extend(v.ours.iter().map(String::as_str));
    let mut costs = Vec::new();
    let mut answer = String::new();
    for _ in 0..runs {
        // `validate` exits 1 when the data do not conform: still a measurement.
        let c = measure_with(&mut hc(&args, scratch), &out, &[0, 1])?;
        costs.push((c.seconds, c.peak_mb));
        let v: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap_or_default();
        answer = digest(v[0]["results"].as_array().into_iter().flatten().map(key));
    }
    add(v.workload, "healthcat", costs, answer);
    let (Some((python, reference)), Some(shapes)) = (peers, &v.official) else {
        return Ok(());
    };
    let oracle = reference
        .parent()
        .unwrap_or(reference)
        .join("tools/shacl_oracle.py");
    // rudof reads one shapes file: the same files, concatenated.
    let merged = work.join("official-shapes.ttl");
    let mut one = Vec::new();
    for s in shapes {
        one.extend(std::fs::read(s).with_context(|| s.display().to_string())?);
        one.push(b'\n');
    }
    std::fs::write(&merged, one)?;
    for (engine, files) in [("pyshacl", shapes.clone()), ("rudof", vec![merged.clone()])] {
        let mut costs = Vec::new();
        let mut answer = String::new();
        for _ in 0..runs {
            let mut cmd = Command::new(python);
            cmd.arg(&oracle).arg("--engine").arg(engine);
            if v.fix_pathless {
                cmd.arg("--fix-pathless");
            }
            cmd.arg("--data").arg(v.data);
            for f in &files {
                cmd.arg("--shapes").arg(f);
            }
            let c = measure(&mut cmd, &out)?;
            costs.push((c.seconds, c.peak_mb));
            answer = digest_lines(&c.stdout);
        }
        let name = if engine == "rudof" {
            "rudof (pyrudof)"
        } else {
            "pySHACL 0.40.1"
        };
        add(v.workload, name, costs, answer);
    }
    // Not on the R8 shapes: their pathless property shapes (read as node constraints by the other
    // peers and by healthcat) come out differently in Jena — two fewer results at 10 datasets,
    // the publisher's skos:inScheme checks — so Jena is measured where it computes the same thing.
    match std::env::var("HEALTHCAT_JENA_CP") {
        _ if v.fix_pathless => {}
        Ok(cp) if !cp.is_empty() => {
            let tools = oracle.parent().unwrap_or(Path::new("."));
            jena(v, runs, python, tools, shapes, &cp, work, add)?;
        }
        _ => eprintln!(
            "NOTICE: Apache Jena not measured: set HEALTHCAT_JENA_CP=\"$(bash .ci/jena)\" \
             (Debian's libapache-jena-java)"
        ),
    }
    Ok(())
}

/// Writes the peers' shapes as one N-Triples file for Jena, with the oracle's own `fix_pathless`
/// when asked: `tools-dir fix|keep out.nt shapes…`.
const JENA_SHAPES: &str = r#"
import sys
sys.path.insert(0, sys.argv[1])
from rdflib import Graph
from shacl_oracle import fix_pathless
g = Graph()
for f in sys.argv[4:]:
    g.parse(f, format="turtle")
if sys.argv[2] == "fix":
    fix_pathless(g)
g.serialize(destination=sys.argv[3], format="nt")
"#;

/// Reads a SHACL report in Turtle with the oracle's `results_of`, one JSON result per line, keyed
/// as pySHACL's and rudof's results are: `tools-dir report.ttl`.
const JENA_RESULTS: &str = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
from rdflib import Graph
from shacl_oracle import results_of
for r in results_of(Graph().parse(sys.argv[2], format="turtle")):
    print(json.dumps(r))
"#;

/// Apache Jena's SHACL (Debian's 4.5.0 on the class path `.ci/jena` prints) on `v`'s data with the
/// shapes the other peers get; its report is read back by the oracle's code, so its results are
/// compared with the same key.
#[allow(clippy::too_many_arguments)]
fn jena(
    v: &Validation,
    runs: usize,
    python: &Path,
    tools: &Path,
    shapes: &[PathBuf],
    class_path: &str,
    work: &Path,
    add: &mut AddRow,
) -> Result<()> {
    let jena_shapes = work.join("jena-shapes.nt");
    let fix = if v.fix_pathless { "fix" } else { "keep" };
    let prepared = Command::new(python)
        .arg("-c")
        .arg(JENA_SHAPES)
        .arg(tools)
        .arg(fix)
        .arg(&jena_shapes)
        .args(shapes)
        .status()?;
    if !prepared.success() {
        bail!("could not write the shapes for Jena ({prepared})");
    }
    let out = work.join("stdout");
    let mut costs = Vec::new();
    let mut answer = String::new();
    for _ in 0..runs {
        let mut cmd = Command::new("java");
        cmd.arg("-cp")
            .arg(class_path)
            .arg("shacl.shacl_validate")
            .arg("--shapes")
            .arg(&jena_shapes)
            .arg("--data")
            .arg(v.data);
        let c = measure(&mut cmd, &out)?;
        costs.push((c.seconds, c.peak_mb));
        let read = Command::new(python)
            .arg("-c")
            .arg(JENA_RESULTS)
            .arg(tools)
            .arg(&out)
            .output()?;
        if !read.status.success() {
            bail!(
                "Jena's report could not be read: {}",
                String::from_utf8_lossy(&read.stderr).trim()
            );
        }
        answer = digest_lines(&read.stdout);
    }
    add(v.workload, "Apache Jena 4.5.0", costs, answer);
    Ok(())
}

/// rdflib parsing then serialising the file: prints `{"parse": s, "serialize": s, "triples": n}`.
const RDFLIB: &str = r#"
import json, sys, time
from rdflib import Graph
t0 = time.perf_counter(); g = Graph(); g.parse(sys.argv[1], format="turtle"); t1 = time.perf_counter()
g.serialize(destination=sys.argv[2], format="turtle"); t2 = time.perf_counter()
print(json.dumps({"parse": t1 - t0, "serialize": t2 - t1, "triples": len(g)}))
"#;

/// Lines of an N-Triples file (its triples).
fn lines(path: &Path) -> Result<usize> {
    Ok(BufReader::new(std::fs::File::open(path)?)
        .lines()
        .filter(|l| l.as_ref().is_ok_and(|l| !l.trim().is_empty()))
        .count())
}

/// What to measure at one size.
struct Size {
    n: usize,
    runs: usize,
    with_peers: bool,
    validation_only: bool,
}

/// Everything for one size.
fn size(exe: &Path, work: &Path, sizing: &Size, rows: &mut Vec<Row>) -> Result<()> {
    let &Size {
        n,
        runs,
        with_peers,
        validation_only,
    } = sizing;
    let data = work.join(format!("demo-{n}.ttl"));
    let out = work.join("stdout");
    let hc = |args: &[&str], dir: &Path| {
        let mut c = Command::new(exe);
        c.arg("--data-dir").arg(dir).arg("-q").args(args);
        c
    };
    let scratch = work.join("scratch");
    measure(
        &mut hc(
            &[
                "demo-data",
                "--datasets",
                &n.to_string(),
                "--seed",
                "1",
                "-o",
                &data.to_string_lossy(),
            ],
            &scratch,
        ),
        &out,
    )?;
    // Validation input: the catalogue with the bundled code lists, as the hosted validator merges
    // its preloaded lists; every tool reads the same file.
    let lists = work.join(format!("demo-{n}-lists.ttl"));
    {
        let mut all = std::fs::read(&data)?;
        let vocab = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shapes/vocabularies");
        let mut files: Vec<_> = std::fs::read_dir(&vocab)
            .with_context(|| {
                format!(
                    "{}: the bundled code lists (run the benchmark from a checkout)",
                    vocab.display()
                )
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
            .collect();
        files.sort();
        for f in files {
            all.push(b'\n');
            all.extend(std::fs::read(f)?);
        }
        std::fs::write(&lists, all)?;
    }
    let peers = if with_peers { peers() } else { None };
    let mut add = |workload, system: &str, costs: Vec<(f64, f64)>, answer: String| {
        // As it comes, so that a long run that is stopped still leaves its figures.
        eprintln!(
            "bench compare: {workload}, {n} datasets, {system}: {:.2} s (median of {}), {:.0} MB, {answer}",
            median(costs.iter().map(|c| c.0).collect()),
            costs.len(),
            costs.iter().map(|c| c.1).fold(0.0, f64::max)
        );
        rows.push(Row {
            workload,
            n,
            system: system.to_owned(),
            seconds: costs.iter().map(|c| c.0).collect(),
            peak_mb: costs.iter().map(|c| c.1).fold(0.0, f64::max),
            answer,
        });
    };

    // 1. Validation: HealthDCAT-AP R8 at the non-public level (healthcat's own profile; the peers
    // with the official shapes), then the DCAT-AP 3.0.0 generated shapes (the same file for all).
    let r8 = Validation {
        workload: "validate (R8 non-public)",
        data: &lists,
        ours: vec!["--level".into(), "non-public".into()],
        official: peers.as_ref().map(|(_, r)| official_shapes(r)),
        fix_pathless: true,
    };
    let generated = reference_dir().map(|r| {
        let shapes = r.join("dcat-ap-3/3.0.0/shacl/dcat-ap-SHACL.ttl");
        Validation {
            workload: "validate (DCAT-AP 3.0.0 shapes)",
            data: &data,
            ours: vec!["--shapes".into(), shapes.to_string_lossy().into_owned()],
            official: Some(vec![shapes]),
            fix_pathless: false,
        }
    });
    for v in std::iter::once(r8).chain(generated) {
        validation(&v, runs, &hc, &scratch, work, peers.as_ref(), &mut add)?;
    }
    let _ = std::fs::remove_file(&lists);
    if validation_only {
        return Ok(());
    }

    // 2. Parse and import; 3. serialise. healthcat: into a durable store with its search index,
    // then the streamed export; rdflib: into its in-memory graph, then Turtle.
    let mut import = Vec::new();
    let mut export = Vec::new();
    let nt = work.join("export.nt");
    let ttl = work.join("export.ttl");
    let mut triples = 0;
    for _ in 0..runs {
        let store = work.join("store");
        let _ = std::fs::remove_dir_all(&store);
        let c = measure(&mut hc(&["import", &data.to_string_lossy()], &store), &out)?;
        import.push((c.seconds, c.peak_mb));
        let c = measure(
            &mut hc(
                &["export", "-f", "ttl", "-o", &ttl.to_string_lossy()],
                &store,
            ),
            &out,
        )?;
        export.push((c.seconds, c.peak_mb));
        measure(
            &mut hc(&["export", "-f", "nt", "-o", &nt.to_string_lossy()], &store),
            &out,
        )?;
        triples = lines(&nt)?;
    }
    add(
        "parse + import",
        "healthcat (store + index)",
        import,
        format!("{triples} triples"),
    );
    add(
        "serialise (Turtle)",
        "healthcat (export)",
        export,
        format!("{triples} triples"),
    );
    if let Some((python, _)) = &peers {
        let mut parse = Vec::new();
        let mut ser = Vec::new();
        let mut count = 0;
        for _ in 0..runs {
            let c = measure(
                Command::new(python)
                    .arg("-c")
                    .arg(RDFLIB)
                    .arg(&data)
                    .arg(work.join("rdflib.ttl")),
                &out,
            )?;
            let v: serde_json::Value =
                serde_json::from_slice(&c.stdout).context("rdflib's timings")?;
            parse.push((v["parse"].as_f64().unwrap_or(f64::NAN), c.peak_mb));
            ser.push((v["serialize"].as_f64().unwrap_or(f64::NAN), c.peak_mb));
            count = v["triples"].as_u64().unwrap_or(0);
        }
        add(
            "parse + import",
            "rdflib 7 (in memory)",
            parse,
            format!("{count} triples"),
        );
        add(
            "serialise (Turtle)",
            "rdflib 7",
            ser,
            format!("{count} triples"),
        );
    }

    // 4. Cold start and memory at rest, serving the store just imported.
    let mut start = Vec::new();
    let mut rest = 0.0f64;
    for _ in 0..runs {
        let (seconds, rss) = serve_once(exe, &work.join("store"))?;
        start.push((seconds, rss));
        rest = rest.max(rss);
    }
    add(
        "cold start → first answer",
        "healthcat serve",
        start,
        format!("{rest:.0} MB at rest"),
    );
    let _ = std::fs::remove_dir_all(work.join("store"));
    Ok(())
}

/// Starts `serve` on the store: seconds until `/healthz` answers, and the resident memory a
/// second later (nothing requested meanwhile).
fn serve_once(exe: &Path, store: &Path) -> Result<(f64, f64)> {
    let started = Instant::now();
    let mut child = Command::new(exe)
        .arg("--data-dir")
        .arg(store)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("serve's output")?).read_line(&mut line)?;
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_owned();
    let addr = url.trim_start_matches("http://").to_owned();
    let result = (|| -> Result<(f64, f64)> {
        for _ in 0..600 {
            if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
                use std::io::{Read, Write};
                s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n")?;
                let mut r = String::new();
                s.read_to_string(&mut r)?;
                if r.contains(" 200 ") {
                    let seconds = started.elapsed().as_secs_f64();
                    std::thread::sleep(Duration::from_secs(1));
                    let rss = crate::memory::of(child.id()).map_or(f64::NAN, |m| m.rss_mb);
                    return Ok((seconds, rss));
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!("serve did not answer at {url}")
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// The machine, for the record.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:").map(|v| v.trim().to_owned()))
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    format!("{cores} cores ({cpu}), {mem} memory")
}

/// The report: one table per workload, systems side by side, ratios where answers agree.
fn report(rows: &[Row], runs: usize, command: &str) -> (String, bool) {
    let mut out = String::new();
    let mut agree = true;
    let _ = writeln!(
        out,
        "Measured {} on {}, one child process at a time, median of {runs} run(s); peak RSS is that \
         process's own high-water mark (`VmHWM`, sampled every 10 ms). Times are whole processes (start-up included), \
         except rdflib's, timed inside its process around `parse` and `serialize` (interpreter \
         start and imports excluded); the last column is how many times longer than healthcat a \
         system took, printed only when both computed the same (the same multiset of validation \
         results, the same number of triples). Reproduce: `{command}`.\n",
        jiff::Timestamp::now().strftime("%Y-%m-%d"),
        machine()
    );
    let mut workloads: Vec<&str> = Vec::new();
    for r in rows {
        if !workloads.contains(&r.workload) {
            workloads.push(r.workload);
        }
    }
    for w in workloads {
        let _ = writeln!(
            out,
            "**{w}**\n\n| datasets | system | time (s) | peak RSS (MB) | computed | time ÷ healthcat's |\n|---:|---|---:|---:|---|---:|"
        );
        for r in rows.iter().filter(|r| r.workload == w) {
            let ours = rows
                .iter()
                .find(|o| o.workload == w && o.n == r.n && o.system.starts_with("healthcat"));
            let t = median(r.seconds.clone());
            let ratio = match ours {
                Some(o) if std::ptr::eq(o, r) => "1".to_owned(),
                Some(o) if o.answer == r.answer => format!("{:.1}", t / median(o.seconds.clone())),
                Some(_) => {
                    agree = false;
                    "— (disagree)".to_owned()
                }
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} | {:.0} | {} | {ratio} |",
                r.n, r.system, t, r.peak_mb, r.answer
            );
        }
        out.push('\n');
    }
    (out, agree)
}

/// Runs the comparison for each size; prints the report, and writes it into `write` between the
/// markers `<!-- bench compare: begin -->` and `<!-- bench compare: end -->` when given.
pub fn run(
    exe: &Path,
    work: &Path,
    sizes: &[usize],
    runs: usize,
    peers_up_to: usize,
    validation_only: bool,
    write: Option<&Path>,
) -> Result<()> {
    let mut rows = Vec::new();
    for &n in sizes {
        eprintln!("bench compare: {n} datasets…");
        let sizing = Size {
            n,
            runs: runs.max(1),
            with_peers: n <= peers_up_to,
            validation_only,
        };
        size(exe, work, &sizing, &mut rows)?;
    }
    let sizes_arg: String = sizes.iter().map(|n| format!(" --datasets {n}")).collect();
    let only = if validation_only {
        " --validation-only"
    } else {
        ""
    };
    let command = format!(
        "healthcat-bench compare{sizes_arg} --runs {runs} --peers-up-to {peers_up_to}{only}"
    );
    let (text, agree) = report(&rows, runs, &command);
    print!("{text}");
    if let Some(file) = write {
        let (begin, end) = (
            "<!-- bench compare: begin -->",
            "<!-- bench compare: end -->",
        );
        let doc = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
        let (Some(a), Some(b)) = (doc.find(begin), doc.find(end)) else {
            bail!(
                "{}: no {begin} … {end} markers to write between",
                file.display()
            );
        };
        let updated = format!("{}{begin}\n{text}{}", &doc[..a], &doc[b..]);
        std::fs::write(file, updated)?;
    }
    if !agree {
        bail!("systems disagree on what they computed (see the rows marked “disagree”)");
    }
    Ok(())
}
