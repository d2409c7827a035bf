//! `healthcat review [--now TIME] [--send] [--json]`: the annual review from the command line —
//! the counts per holder and per source, the records due or overdue, and (with `--send`) the
//! reminders, exactly as `serve` runs them every day.

use super::{Ctx, user};
use crate::cli::ReviewArgs;
use crate::config::Config;
use anyhow::Result;
use healthcat_review::mail::Mailer;
use healthcat_review::reminders::{ReminderLog, Reminders, RunReport};
use healthcat_review::{State, overview};
use healthcat_store::Store;
use jiff::Timestamp;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: ReviewArgs) -> Result<ExitCode> {
    let now = match args.now.as_deref() {
        None => Timestamp::now(),
        Some(t) => parse_time(t)?,
    };
    let policy = ctx.config.review.policy().map_err(user)?;
    let store = ctx.open_store()?;
    let review = overview(&store, now, &policy)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&review)?);
    } else if !ctx.quiet {
        let t = &review.total;
        println!(
            "{} records at {}: {} reviewed, {} due, {} overdue",
            t.total, review.now, t.current, t.due, t.overdue
        );
        for (what, groups) in [("holder", &review.holders), ("source", &review.sources)] {
            for g in groups.iter().filter(|g| g.due + g.overdue > 0) {
                let name = if g.name.is_empty() { "(none)" } else { &g.name };
                println!(
                    "  {what} {name}: {} due, {} overdue of {}",
                    g.due, g.overdue, g.total
                );
            }
        }
        for e in review.entries.iter().filter(|e| e.state != State::Current) {
            println!(
                "  {:<8} {}  last reviewed {}, due {}",
                if e.state == State::Overdue {
                    "overdue"
                } else {
                    "due"
                },
                e.key,
                &e.confirmed[..e.confirmed.len().min(10)],
                &e.due_at[..e.due_at.len().min(10)]
            );
        }
    }
    if !args.send {
        return Ok(ExitCode::SUCCESS);
    }
    let r = send(&ctx.config, &store, now)?;
    eprintln!(
        "reminders: {} e-mail(s) about {} record(s); {} failed (tried again next time); {} record(s) of holders with no editor address",
        r.emails, r.reminded, r.failed, r.no_recipient
    );
    Ok(if r.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One reminder run at `now` with the configuration's settings.
pub fn send(config: &Config, store: &Store, now: Timestamp) -> Result<RunReport> {
    let Some(smtp) = &config.review.smtp else {
        return Err(user(
            "no [review.smtp] in the configuration: say which mail server sends the reminders",
        ));
    };
    let mailer = Mailer::new(smtp).map_err(|e| user(e.to_string()))?;
    let accounts = healthcat_auth::Accounts::new(&config.data_dir);
    let log = ReminderLog::new(&config.data_dir);
    let reminders = Reminders {
        store,
        accounts: &accounts,
        mailer: &mailer,
        log: &log,
        policy: config.review.policy().map_err(user)?,
        lang: config.review.language.clone(),
        base_url: config
            .review
            .public_url
            .clone()
            .unwrap_or_else(|| config.base_iri.clone()),
        catalogue: config.catalog.title(&config.review.language),
    };
    Ok(reminders.run(now)?)
}

/// An RFC 3339 time, or a date (midnight UTC).
fn parse_time(t: &str) -> Result<Timestamp> {
    healthcat_review::parse_time(t).ok_or_else(|| {
        user(format!(
            "--now {t:?}: give a date (2027-11-30) or a time (2027-11-30T09:00:00Z)"
        ))
    })
}
