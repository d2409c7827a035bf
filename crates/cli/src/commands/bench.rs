//! `healthcat bench`: runs each measured phase as a child `healthcat` process, so that every figure
//! (wall time, peak RSS) belongs to that phase alone, and prints a Markdown table for
//! docs/benchmarks.md.

use super::Ctx;
use crate::cli::{BenchArgs, Workload};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Set in the children's environment to make them report their peak RSS.
pub const REPORT_PEAK_RSS: &str = "HEALTHCAT_REPORT_PEAK_RSS";
/// Prefix of that report on standard error.
pub const PEAK_RSS_PREFIX: &str = "healthcat-peak-rss-kb: ";

struct Measure {
    seconds: f64,
    peak_rss_mb: Option<f64>,
}

fn phase(exe: &Path, data_dir: &Path, args: &[&str]) -> Result<Measure> {
    let start = Instant::now();
    let out = Command::new(exe)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("-q")
        .args(args)
        .env(REPORT_PEAK_RSS, "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("`healthcat {}` failed: {stderr}", args.join(" "));
    }
    let peak_rss_mb = stderr
        .lines()
        .find_map(|l| l.strip_prefix(PEAK_RSS_PREFIX))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    Ok(Measure {
        seconds,
        peak_rss_mb,
    })
}

pub fn run(_ctx: &Ctx, args: BenchArgs) -> Result<ExitCode> {
    let exe = std::env::current_exe().context("cannot locate the healthcat binary")?;
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
    match args.workload {
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
                    let m = phase(&exe, &data, &argv)?;
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
    }
    Ok(ExitCode::SUCCESS)
}
