//! `healthcat export`

use super::Ctx;
use crate::cli::ExportArgs;
use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: ExportArgs) -> Result<ExitCode> {
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
            // Written next to the target, then renamed: a failed export never leaves half a file.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
            let (w, stats) = store.export(BufWriter::with_capacity(1 << 16, tmp), format)?;
            let tmp = w.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
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
