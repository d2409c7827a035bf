//! `healthcat remove`: withdraws records by IRI or local id.

use super::{Ctx, user};
use crate::cli::RemoveArgs;
use anyhow::Result;
use healthcat_model::LocalId;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: RemoveArgs) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    // Every name is checked before anything is removed: a typo removes nothing.
    let mut ids = Vec::new();
    for name in &args.records {
        let by_key = store.record_by_key(name)?.and_then(|m| m.local_id);
        let id = match by_key {
            Some(id) => id,
            None => match LocalId::new(name.clone()) {
                Ok(id) if store.get(&id)?.is_some() => id,
                _ => {
                    return Err(user(format!(
                        "no record {name:?} in the catalogue (give its IRI or its local id); nothing was removed"
                    )));
                }
            },
        };
        ids.push(id);
    }
    let index = super::indexing::open(ctx, &store)?;
    let behind = index.behind()?;
    let by = healthcat_store::Source {
        id: "local".into(),
        origin: "healthcat remove".into(),
        run: None,
        comment: None,
    };
    for id in &ids {
        store.withdraw(id, &by)?;
    }
    index.refresh(&store, &ids)?;
    behind.caught_up();
    if !ctx.quiet {
        eprintln!("removed {} record(s)", ids.len());
    }
    Ok(ExitCode::SUCCESS)
}
