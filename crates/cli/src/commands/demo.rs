//! `healthcat demo-data`

use super::Ctx;
use crate::cli::DemoArgs;
use anyhow::{Context, Result};
use healthcat_demo::{DemoConfig, write_turtle};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: DemoArgs) -> Result<ExitCode> {
    let config = DemoConfig {
        datasets: args.datasets,
        seed: args.seed,
        base_iri: args
            .base_iri
            .clone()
            .unwrap_or_else(|| ctx.config.base_iri.clone()),
        series: args.series,
    };
    let stats = match &args.output {
        None => write_turtle(&config, &mut std::io::stdout().lock())?,
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
            let stats = write_turtle(&config, &mut tmp)?;
            tmp.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            stats
        }
    };
    if !ctx.quiet {
        eprintln!(
            "generated {} datasets (PUBLIC {}, RESTRICTED {}, NON_PUBLIC {}), {} dataset series, seed {}",
            stats.datasets,
            stats.by_access[0],
            stats.by_access[1],
            stats.by_access[2],
            stats.series,
            args.seed
        );
    }
    Ok(ExitCode::SUCCESS)
}
