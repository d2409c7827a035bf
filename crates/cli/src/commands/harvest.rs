//! `healthcat harvest`: runs sources once, in order, with a progress line each.

use super::{Ctx, user};
use crate::cli::HarvestArgs;
use anyhow::{Context, Result};
use healthcat_harvest::{SourceConfig, StateDir, Status};
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

pub fn run(ctx: &Ctx, args: HarvestArgs) -> Result<ExitCode> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| ctx.config.harvest.sources_dir.clone());
    let all = healthcat_harvest::load_dir(&dir).map_err(|e| user(e.to_string()))?;
    let chosen: Vec<&SourceConfig> = if args.sources.is_empty() {
        all.iter().collect()
    } else {
        let mut out = Vec::new();
        for id in &args.sources {
            out.push(all.iter().find(|s| &s.id == id).ok_or_else(|| {
                user(format!(
                    "no source {id:?} in {} (there are: {})",
                    dir.display(),
                    all.iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?);
        }
        out
    };
    if chosen.is_empty() {
        return Err(user(format!(
            "no source file (*.toml) in {}",
            dir.display()
        )));
    }
    let store = ctx.open_store()?;
    let index = super::indexing::open(ctx, &store).map(Arc::new);
    if let Err(e) = &index {
        eprintln!("warning: {e:#}; harvested records will be stored but not yet searchable");
        super::indexing::mark_behind(ctx)?;
    }
    let contexts = contexts(ctx, &store, index.as_ref().ok().cloned(), &chosen)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut failed = false;
    for (source, hctx) in chosen.into_iter().zip(contexts) {
        let state_dir = StateDir::new(&ctx.config.data_dir, &source.id);
        let mut state = state_dir.load();
        let bar = if ctx.quiet {
            indicatif::ProgressBar::hidden()
        } else {
            indicatif::ProgressBar::new_spinner()
        };
        bar.set_message(format!("harvesting {} ({})", source.id, source.url));
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        let report = runtime.block_on(healthcat_harvest::run(&hctx, source, &mut state));
        bar.finish_and_clear();
        if report.status != Status::Failed {
            state_dir.save(&state)?;
        }
        let kept = state_dir.keep(&report)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            println!("{}", report.summary());
            for e in &report.errors {
                println!("  error: {e}");
            }
            if let Some(g) = &report.guard {
                println!("  {g}");
            }
            if !ctx.quiet {
                for i in report.invalid.iter().take(10) {
                    println!(
                        "  invalid{}: {} ({} violations): {}",
                        if i.stored { " (stored, flagged)" } else { "" },
                        i.record,
                        i.violations,
                        i.messages.join("; ")
                    );
                }
                println!("  report: {}", kept.display());
            }
        }
        failed |= report.status != Status::Ok;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What each source's runs work with: the store, the index, and the source's validation profile
/// (its own, else the configured one; each loaded once).
pub fn contexts(
    ctx: &Ctx,
    store: &healthcat_store::Store,
    index: Option<Arc<healthcat_search::SearchIndex>>,
    sources: &[&SourceConfig],
) -> Result<Vec<healthcat_harvest::Context>> {
    let mut profiles: HashMap<String, Arc<healthcat_profiles::Profile>> = HashMap::new();
    let mut out = Vec::with_capacity(sources.len());
    for source in sources {
        let name = source
            .profile
            .clone()
            .or_else(|| ctx.config.validation.profile.clone());
        let profile = match name {
            Some(n) => match profiles.get(&n) {
                Some(p) => Some(p.clone()),
                None => {
                    let p = super::validate::load_validator(Some(&n), &[], false)?
                        .map(Arc::new)
                        .with_context(|| format!("source {}: profile {n}", source.id))?;
                    profiles.insert(n, p.clone());
                    Some(p)
                }
            },
            None => None,
        };
        out.push(healthcat_harvest::Context {
            store: store.clone(),
            index: index.clone(),
            profile,
            lang: ctx.lang.clone(),
            limits: ctx.config.input.limits(),
        });
    }
    Ok(out)
}
