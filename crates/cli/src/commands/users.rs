//! `healthcat users create|list|password|disable`: accounts of people who edit in the browser.

use super::{Ctx, user};
use crate::cli::{UsersArgs, UsersCommand};
use anyhow::Result;
use healthcat_auth::{Accounts, Role};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: UsersArgs) -> Result<ExitCode> {
    let accounts = Accounts::new(&ctx.config.data_dir);
    match args.command {
        UsersCommand::Create {
            name,
            admin,
            role,
            publishers,
            password_env,
            email,
        } => {
            let role = if admin {
                Role::Admin
            } else {
                Role::parse(&role)
                    .ok_or_else(|| user(format!("role {role:?}: use admin, editor or reader")))?
            };
            let password = password(password_env.as_deref())?;
            accounts
                .create(&name, role, publishers, &password)
                .map_err(|e| user(e.to_string()))?;
            if let Some(email) = email.as_deref() {
                accounts
                    .set_email(&name, Some(email))
                    .map_err(|e| user(e.to_string()))?;
            }
            if !ctx.quiet {
                eprintln!(
                    "account {name} ({}) made: log in at /login of the running catalogue",
                    role.as_str()
                );
            }
        }
        UsersCommand::Email { name, address } => {
            accounts
                .set_email(&name, address.as_deref())
                .map_err(|e| user(e.to_string()))?;
            if !ctx.quiet {
                match &address {
                    Some(a) => eprintln!("{name} is written to at {a}"),
                    None => eprintln!("{name} has no e-mail address any more"),
                }
            }
        }
        UsersCommand::List => {
            for a in accounts.list().map_err(|e| user(e.to_string()))? {
                println!(
                    "{:<24} {:<7} {}{}{}",
                    a.name,
                    a.role.as_str(),
                    a.publishers.join(" "),
                    a.email
                        .as_deref()
                        .map_or(String::new(), |e| format!("  <{e}>")),
                    a.disabled
                        .as_deref()
                        .map_or(String::new(), |d| format!("  (disabled {d})"))
                );
            }
        }
        UsersCommand::Password { name, password_env } => {
            let password = password(password_env.as_deref())?;
            accounts
                .set_password(&name, &password)
                .map_err(|e| user(e.to_string()))?;
            if !ctx.quiet {
                eprintln!("password of {name} changed");
            }
        }
        UsersCommand::Disable { name } => {
            accounts.disable(&name).map_err(|e| user(e.to_string()))?;
            if !ctx.quiet {
                eprintln!("account {name} disabled");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The password from the variable `env`, else typed (twice, echo off when on a terminal).
fn password(env: Option<&str>) -> Result<String> {
    if let Some(var) = env {
        return std::env::var(var).map_err(|_| {
            user(format!(
                "--password-env {var}: the variable is not set (or not UTF-8)"
            ))
        });
    }
    let tty = std::io::stdin().is_terminal();
    let echo = |on: bool| {
        if tty {
            // No dependency for this: the terminal's own setting, restored right after.
            let _ = std::process::Command::new("stty")
                .arg(if on { "echo" } else { "-echo" })
                .stdin(std::process::Stdio::inherit())
                .status();
        }
    };
    let read = |prompt: &str| -> Result<String> {
        if tty {
            eprint!("{prompt}");
            std::io::stderr().flush()?;
        }
        echo(false);
        let mut line = String::new();
        let got = std::io::stdin().lock().read_line(&mut line);
        echo(true);
        if tty {
            eprintln!();
        }
        got?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    };
    let first = read("password: ")?;
    if tty && read("again: ")? != first {
        return Err(user("the two passwords differ: nothing was changed"));
    }
    Ok(first)
}
