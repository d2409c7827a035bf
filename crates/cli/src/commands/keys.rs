//! `healthcat keys create|list|revoke`: API keys for the write API.

use super::{Ctx, user};
use crate::cli::{KeysArgs, KeysCommand};
use anyhow::Result;
use healthcat_auth::{KeyStore, Role};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: KeysArgs) -> Result<ExitCode> {
    let store = KeyStore::new(&ctx.config.data_dir);
    match args.command {
        KeysCommand::Create {
            name,
            role,
            publishers,
        } => {
            let role = Role::parse(&role)
                .ok_or_else(|| user(format!("role {role:?}: use admin, editor or reader")))?;
            let (key, secret) = store
                .create(&name, role, publishers)
                .map_err(|e| user(e.to_string()))?;
            // The secret goes to standard output alone, so that it can be piped; it is shown
            // this once and kept nowhere.
            println!("{secret}");
            if !ctx.quiet {
                eprintln!(
                    "key {} for {name} ({}) made: give the line above to its user — it is not kept and cannot be shown again",
                    key.id,
                    role.as_str()
                );
            }
        }
        KeysCommand::List { json } => {
            let keys = store.list().map_err(|e| user(e.to_string()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&keys)?);
            } else {
                for k in keys {
                    println!(
                        "{}  {:<7} {:<24} {}{}",
                        k.id,
                        k.role.as_str(),
                        k.name,
                        k.publishers.join(" "),
                        k.revoked
                            .as_deref()
                            .map_or(String::new(), |r| format!("  (revoked {r})"))
                    );
                }
            }
        }
        KeysCommand::Revoke { id } => {
            let k = store.revoke(&id).map_err(|e| user(e.to_string()))?;
            if !ctx.quiet {
                eprintln!("key {} ({}) revoked", k.id, k.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
