//! `healthcat usage-report --from --to --out FILE.xlsx|FILE.csv [--table T]`: the biennial usage
//! report (EHDS Art. 59), the same as the editor's download. It opens the store, so it runs
//! while `serve` is stopped (or against a backup); counts `serve` had not yet added are not in it.

use super::{Ctx, user};
use crate::cli::UsageReportArgs;
use anyhow::{Context, Result};
use healthcat_usage::Period;
use healthcat_usage::report::{Report, TABLES};
use std::process::ExitCode;

pub fn report(ctx: &Ctx, args: UsageReportArgs) -> Result<ExitCode> {
    let period = Period::parse(
        args.from.as_deref(),
        args.to.as_deref(),
        Period::today(),
        730,
    )
    .map_err(|e| user(format!("--{e}")))?;
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let xlsx = match ext.as_deref() {
        Some("xlsx") => true,
        Some("csv") => false,
        _ => {
            return Err(user(format!(
                "--out {}: name a file ending in .xlsx (every table) or .csv (one table, see --table)",
                args.out.display()
            )));
        }
    };
    if !TABLES.contains(&args.table.as_str()) {
        return Err(user(format!(
            "--table {}: use one of {}",
            args.table,
            TABLES.join(", ")
        )));
    }
    let store = ctx.open_store()?;
    let index = super::indexing::open(ctx, &store)?;
    let assessor = super::assessor(ctx)?;
    let report = Report::build(
        &store,
        Some(&index),
        assessor.label_spec(),
        period,
        &ctx.lang,
    )?;
    let bytes = if xlsx {
        report.to_xlsx()?
    } else {
        report.write_csv(&args.table, Vec::new())?
    };
    // Written beside and renamed in: never half a report under the name asked for.
    let tmp = args.out.with_extension("partial");
    std::fs::write(&tmp, &bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    if !ctx.quiet {
        let t = &report.totals;
        eprintln!(
            "usage report {} to {}: {} page views, {} downloads, {} searches, {} access routes followed → {}",
            period.from,
            period.to,
            t.views,
            t.downloads,
            t.searches,
            t.requests,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
