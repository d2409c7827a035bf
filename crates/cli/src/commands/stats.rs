//! `healthcat stats`

use super::Ctx;
use crate::cli::StatsArgs;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: StatsArgs) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let c = store.counts()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&c)?);
    } else {
        match store.remote_config() {
            Some(remote) => println!("store:          {} (remote)", remote.query),
            None => println!("data directory: {}", ctx.config.data_dir.display()),
        }
        println!(
            "records:        {} ({} datasets, {} data services, {} dataset series)",
            c.records(),
            c.datasets,
            c.services,
            c.series
        );
        println!("catalogues:     {}", c.catalogs);
        if c.invalid > 0 {
            println!(
                "flagged invalid: {} (imported with --keep-invalid)",
                c.invalid
            );
        }
        println!("shared resources: {}", c.resources);
        println!("quads:          {}", c.quads);
    }
    Ok(ExitCode::SUCCESS)
}
