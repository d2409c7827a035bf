//! `healthcat-bench harvest`: a node of N datasets harvested over HTTP into an empty node (time,
//! datasets/s, peak RSS), then again after 1 % of the source's records changed (time; what was
//! rewritten) — issue #7's workload — beside ckanext-dcat's parser reading the same pages when
//! the oracle venv is there (`HEALTHCAT_ORACLE_PYTHON`): what CKAN's DCAT harvester does before it
//! writes anything to Postgres and Solr, so a lower bound of its harvest.

use crate::linked::Server;
use crate::{demo_store, phase};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const BIND: &str = "127.0.0.1:18767";

/// The harvest workload for `n` datasets.
pub(crate) fn run(exe: &Path, work: &Path, n: usize) -> Result<()> {
    let src = work.join(format!("harvest-src-{n}"));
    demo_store(exe, &src, work, n)?;
    let dst = work.join(format!("harvest-dst-{n}"));
    if dst.exists() {
        std::fs::remove_dir_all(&dst)?;
    }
    let sources = work.join("harvest-sources");
    std::fs::create_dir_all(&sources)?;
    let url = format!("http://{BIND}/catalog.ttl?per_page=100");
    std::fs::write(
        sources.join("src.toml"),
        format!(
            "id = \"src\"\ntitle = \"bench source\"\nurl = \"{url}\"\nprofile = \"healthdcat-ap-r8\"\n"
        ),
    )?;
    let dir = sources.to_string_lossy().into_owned();
    println!("| datasets | system | workload | figure |");
    println!("|---:|---|---|---|");

    let server = Server::start_on(exe, &src, BIND)?;
    std::thread::sleep(std::time::Duration::from_secs(3));
    let m = phase(exe, &dst, &["harvest", "--dir", &dir])?;
    println!(
        "| {n} | healthcat | full harvest into an empty node (validated with R8, stored, indexed) | {:.1} s, {:.0} datasets/s, peak RSS {} |",
        m.seconds,
        n as f64 / m.seconds,
        m.peak_rss_mb.map_or("n/a".into(), |v| format!("{v:.0} MB"))
    );
    ckanext(&url, n)?;

    // The same records over SPARQL (`kind = "sparql"`), into another empty node.
    let over_sparql = work.join(format!("harvest-sparql-{n}"));
    if over_sparql.exists() {
        std::fs::remove_dir_all(&over_sparql)?;
    }
    let sparql_sources = work.join("harvest-sources-sparql");
    std::fs::create_dir_all(&sparql_sources)?;
    std::fs::write(
        sparql_sources.join("src.toml"),
        format!(
            "id = \"src\"\ntitle = \"bench source\"\nurl = \"http://{BIND}/sparql\"\nkind = \"sparql\"\nprofile = \"healthdcat-ap-r8\"\n"
        ),
    )?;
    let m = phase(
        exe,
        &over_sparql,
        &["harvest", "--dir", &sparql_sources.to_string_lossy()],
    )?;
    println!(
        "| {n} | healthcat | full harvest over SPARQL (`kind = \"sparql\"`: IRIs listed, then CONSTRUCT pages of 200), validated, stored, indexed | {:.1} s, {:.0} datasets/s, peak RSS {} |",
        m.seconds,
        n as f64 / m.seconds,
        m.peak_rss_mb.map_or("n/a".into(), |v| format!("{v:.0} MB"))
    );
    std::fs::remove_dir_all(&over_sparql)?;
    drop(server);

    // About 1 % of the source's records change (their identifier), then the source serves again.
    let changed = change_one_percent(exe, &src, work, n)?;
    let server = Server::start_on(exe, &src, BIND)?;
    std::thread::sleep(std::time::Duration::from_secs(3));
    let t = Instant::now();
    let out = Command::new(exe)
        .arg("--data-dir")
        .arg(&dst)
        .args(["-q", "harvest", "--json", "--dir", &dir])
        .output()?;
    let s = t.elapsed().as_secs_f64();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| String::from_utf8_lossy(&out.stderr).into_owned())?;
    let count = |k: &str| report[k].as_u64().unwrap_or(0);
    if count("updated") != changed as u64 {
        bail!(
            "the re-harvest updated {} records where {changed} changed: {report}",
            count("updated")
        );
    }
    println!(
        "| {n} | healthcat | re-harvest after {changed} records (≈1 %, spread as real edits are) changed | {s:.1} s: {} updated, {} unchanged, {} pages of {} not modified (304) |",
        count("updated"),
        count("unchanged"),
        count("not_modified_pages"),
        count("pages")
    );
    drop(server);
    Ok(())
}

/// Changes the `dct:identifier` of about 1 % of the datasets of the store at `src`, chosen by a
/// hash of the identifier so that they fall on pages as real edits do (a page of 100 has no change
/// with probability 0.99^100 ≈ 37 %): the generated file is made again, those identifiers altered,
/// and the whole file re-imported (the others are unchanged). Returns how many changed.
fn change_one_percent(exe: &Path, src: &Path, work: &Path, n: usize) -> Result<usize> {
    let file: PathBuf = work.join("harvest-changed.ttl");
    let f = file.to_string_lossy().into_owned();
    phase(
        exe,
        &work.join("unused"),
        &[
            "demo-data",
            "--datasets",
            &n.to_string(),
            "--seed",
            "1",
            "-o",
            &f,
        ],
    )?;
    let text = std::fs::read_to_string(&file)?;
    const IDENTIFIER: &str = "dct:identifier \"";
    // A new suffix each time: a source reused from an earlier run changes again.
    let suffix = format!("-r{}", jiff::Timestamp::now().as_second());
    let mut changed = 0;
    let mut out = String::with_capacity(text.len() + n);
    for line in text.lines() {
        if let Some(at) = line.find(IDENTIFIER)
            && let Some(len) = line[at + IDENTIFIER.len()..].find('"')
        {
            let id = &line[at + IDENTIFIER.len()..at + IDENTIFIER.len() + len];
            if fnv1a(id).is_multiple_of(100) {
                changed += 1;
                let _ = writeln!(out, "{}", line.replacen(id, &format!("{id}{suffix}"), 1));
                continue;
            }
        }
        let _ = writeln!(out, "{line}");
    }
    std::fs::write(&file, out)?;
    phase(exe, src, &["import", &f])?;
    let _ = std::fs::remove_file(&file);
    Ok(changed)
}

/// FNV-1a, 64 bits: a fixed, well-spread choice of records.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// ckanext-dcat's `RDFParser` reading every page of the same source (`ckan_read.py`).
fn ckanext(url: &str, n: usize) -> Result<()> {
    let Some(python) = std::env::var_os("HEALTHCAT_ORACLE_PYTHON").map(PathBuf::from) else {
        println!(
            "\n(HEALTHCAT_ORACLE_PYTHON is not set — run ../shared/tools/oracle-venv.sh — so no ckanext-dcat figures)"
        );
        return Ok(());
    };
    let reference = std::env::var_os("HEALTHCAT_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"));
    let script = reference.join("../tools/ckan_read.py");
    let t = Instant::now();
    let out = Command::new(&python)
        .arg(&script)
        .arg(url)
        .output()
        .with_context(|| format!("cannot run {}", script.display()))?;
    let s = t.elapsed().as_secs_f64();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| String::from_utf8_lossy(&out.stderr).into_owned())?;
    let read = v["datasets"].as_u64().unwrap_or(0);
    // Only a reading of the same records is compared.
    if read != n as u64 {
        bail!("ckanext-dcat read {read} datasets of {n}: {v}");
    }
    println!(
        "| {n} | ckanext-dcat 2.4.4 | `RDFParser` reading the same pages (parse only: no validation, no database, no index) | {s:.1} s, {:.0} datasets/s |",
        n as f64 / s
    );
    Ok(())
}
