//! The spreadsheet workload (issue #24): a steward's bulk edit of N datasets. `healthcat export
//! --sheet` writes the workbook of every record; `healthcat import --from-sheet` reads it back
//! (every row applied to its record, validated as an edit, a draft per row, all or none). Beside
//! it, on the same workbook, openpyxl — the library a Python catalogue (the HDH catalogue is
//! FastAPI) reads and writes XLSX with — reading every cell and writing the same cells
//! (`HEALTHCAT_OPENPYXL_PYTHON`: a Python with openpyxl). openpyxl does only the file's part, so
//! its figures are a lower bound of any Python importer's; healthcat's include everything.

use crate::phase_with as healthcat;
use anyhow::Result;
use std::path::{Path, PathBuf};

pub(crate) fn run(exe: &Path, work: &Path, n: usize) -> Result<()> {
    let data = work.join(format!("sheet-{n}"));
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    crate::demo_store(exe, &data, work, n)?;
    healthcat(
        exe,
        &data,
        &[
            "users",
            "create",
            "steward",
            "--admin",
            "--password-env",
            "BENCH_PASSWORD",
        ],
        &[("BENCH_PASSWORD", "a long bench password")],
    )?;
    let book = work.join(format!("sheet-{n}.xlsx"));
    let b = book.to_string_lossy().into_owned();
    let _ = std::fs::remove_file(&book);
    println!("| datasets | system | what | time (s) | datasets/s | peak RSS (MB) |");
    println!("|---:|---|---|---:|---:|---:|");
    let row = |who: &str, what: &str, seconds: f64, peak: f64| {
        println!(
            "| {n} | {who} | {what} | {seconds:.2} | {:.0} | {peak:.0} |",
            n as f64 / seconds
        );
    };
    let out = healthcat(exe, &data, &["export", "--sheet", &b], &[])?;
    let size = std::fs::metadata(&book)?.len();
    row(
        "healthcat",
        &format!("`export --sheet` ({:.1} MB XLSX)", size as f64 / 1e6),
        out.seconds,
        out.peak_rss_mb.unwrap_or(f64::NAN),
    );
    let back = healthcat(
        exe,
        &data,
        &["import", "--from-sheet", &b, "--as", "steward"],
        &[],
    )?;
    row(
        "healthcat",
        "`import --from-sheet`: read, apply, validate, one draft per row",
        back.seconds,
        back.peak_rss_mb.unwrap_or(f64::NAN),
    );
    let Some(python) = std::env::var_os("HEALTHCAT_OPENPYXL_PYTHON").map(PathBuf::from) else {
        println!(
            "\n(HEALTHCAT_OPENPYXL_PYTHON is not set — a Python with openpyxl: python3 -m venv v && v/bin/pip install openpyxl — so no openpyxl figures)"
        );
        return Ok(());
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/openpyxl_sheet.py");
    let copy = work.join(format!("sheet-{n}-openpyxl.xlsx"));
    for (mode, what) in [
        ("read", "read every cell (read-only mode)"),
        ("write", "write the same cells (write-only mode)"),
    ] {
        let v = crate::peer_json(
            &python,
            &script,
            &[
                std::ffi::OsStr::new(mode),
                book.as_os_str(),
                copy.as_os_str(),
            ],
        )?;
        let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
        row(
            &format!("openpyxl ({} cells)", f("cells")),
            what,
            f("seconds"),
            f("peak_rss_mb"),
        );
    }
    let _ = std::fs::remove_file(&copy);
    Ok(())
}
