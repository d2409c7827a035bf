//! `healthcat export`

use super::Ctx;
use crate::cli::ExportArgs;
use anyhow::Result;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: ExportArgs) -> Result<ExitCode> {
    if let Some(path) = &args.sheet {
        return super::sheet::export(ctx, path, args.template, args.account.as_deref());
    }
    let store = ctx.open_store()?;
    let format = args.format.format();
    match &args.output {
        None => {
            let stdout = std::io::stdout().lock();
            let (mut w, stats) = store.export(BufWriter::with_capacity(1 << 16, stdout), format)?;
            w.flush()?;
            if !ctx.quiet {
                eprintln!(
                    "exported {} records ({} triples)",
                    stats.records, stats.quads
                );
            }
        }
        Some(path) => {
            let stats = super::write_atomically(path, |tmp| {
                let (mut w, stats) =
                    store.export(BufWriter::with_capacity(1 << 16, tmp), format)?;
                w.flush()?;
                Ok(stats)
            })?;
            if !ctx.quiet {
                eprintln!(
                    "exported {} records ({} triples) to {}",
                    stats.records,
                    stats.quads,
                    path.display()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
