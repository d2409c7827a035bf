//! `healthcat demo-data`

use super::Ctx;
use crate::cli::DemoArgs;
use anyhow::Result;
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
        Some(path) => super::write_atomically(path, |tmp| Ok(write_turtle(&config, tmp)?))?,
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
