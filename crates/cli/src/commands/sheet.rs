//! `healthcat import --from-sheet` and `healthcat export --sheet`: the spreadsheet template
//! (healthcat-sheet) over the catalogue's own datasets (healthcat-ingest's rows to drafts).

use super::{Ctx, user};
use anyhow::{Context, Result};
use healthcat_ingest::drafts::Drafts;
use healthcat_ingest::edit::Edits;
use healthcat_sheet::{Kind, Layout};
use std::path::Path;
use std::process::ExitCode;

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";

fn kind_of(path: &Path) -> Result<Kind> {
    Kind::from_name(&path.to_string_lossy()).ok_or_else(|| {
        user(format!(
            "{}: a spreadsheet is a .xlsx or a .csv file; rename it, or save it as one of them",
            path.display()
        ))
    })
}

/// The account `--as` names, as the catalogue sees its rights.
fn principal(ctx: &Ctx, account: &str) -> Result<healthcat_auth::Principal> {
    healthcat_auth::Accounts::new(&ctx.config.data_dir)
        .principal(account)
        .ok_or_else(|| {
            user(format!(
                "--as {account}: no such account (or it is disabled); `healthcat users list` shows them"
            ))
        })
}

/// Reads `path` and makes each row a draft of `account`.
pub fn import(ctx: &Ctx, path: &Path, account: &str) -> Result<ExitCode> {
    let kind = kind_of(path)?;
    let bytes =
        std::fs::read(path).map_err(|e| user(format!("cannot read {}: {e}", path.display())))?;
    let who = principal(ctx, account)?;
    let profile = super::validate::instance_profile(ctx)?;
    let form = profile.form(DATASET);
    let layout = Layout::of(&form);
    let codes = |scheme: &str, lang: &str| profile.codes(scheme, lang);
    let name = path.display().to_string();
    let read = healthcat_sheet::read(&name, &bytes, kind, &layout, &codes)
        .map_err(|e| user(e.to_string()))?;
    let store = ctx.open_store()?;
    let index = super::indexing::open(ctx, &store)?;
    let audit = healthcat_auth::Local::new(&ctx.config.data_dir);
    let edits = Edits {
        store: &store,
        index: &index,
        profile: &profile,
        limits: ctx.config.input.limits(),
        audit: &audit,
    };
    let drafts = Drafts::new(&ctx.config.data_dir);
    let outcome = edits
        .sheet_to_drafts(&who, &drafts, &read, &ctx.lang)
        .with_context(|| format!("making drafts of {name}"))?;
    if !outcome.problems.is_empty() {
        for p in &outcome.problems {
            eprintln!("error: {name}: {p}");
        }
        eprintln!(
            "       {} problem(s): no draft was made; correct the file and import it again",
            outcome.problems.len()
        );
        return Ok(ExitCode::from(1));
    }
    let mut to_fix = 0;
    for d in &outcome.drafts {
        if !ctx.quiet {
            println!(
                "row {}: draft {} {} {}",
                d.at.row,
                d.draft,
                if d.changes_record { "changes" } else { "adds" },
                d.iri
            );
        }
        for p in &d.to_fix {
            to_fix += 1;
            println!("  to fix before publishing: {p}");
        }
    }
    if !ctx.quiet {
        eprintln!(
            "{} draft(s) made for {account} from {name}, {to_fix} thing(s) to fix before they can be published; review and publish them in the editor (/edit/drafts)",
            outcome.drafts.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the template to `path`, with the catalogue's own datasets unless `empty` (those
/// `account` may change, when given).
pub fn export(ctx: &Ctx, path: &Path, empty: bool, account: Option<&str>) -> Result<ExitCode> {
    let kind = kind_of(path)?;
    let who = account.map(|a| principal(ctx, a)).transpose()?;
    let profile = super::validate::instance_profile(ctx)?;
    let form = profile.form(DATASET);
    let layout = Layout::of(&form);
    let codes = |scheme: &str, lang: &str| profile.codes(scheme, lang);
    let records = if empty {
        Vec::new()
    } else {
        let store = ctx.open_store()?;
        let index = super::indexing::open(ctx, &store)?;
        let audit = healthcat_auth::Nobody;
        Edits {
            store: &store,
            index: &index,
            profile: &profile,
            limits: ctx.config.input.limits(),
            audit: &audit,
        }
        .sheet_records(who.as_ref(), &form)?
    };
    let bytes = match kind {
        Kind::Xlsx => healthcat_sheet::write_xlsx(&layout, &records, &ctx.lang, &codes),
        Kind::Csv => healthcat_sheet::write_csv(&layout, &records, &ctx.lang, &codes),
    }
    .map_err(|e| match e {
        e @ healthcat_sheet::SheetError::TooMany { .. } => user(format!("{}: {e}", path.display())),
        e => e.into(),
    })?;
    super::write_atomically(path, |tmp| Ok(std::io::Write::write_all(tmp, &bytes)?))?;
    if !ctx.quiet {
        eprintln!(
            "wrote {} dataset(s) to {}{}",
            records.len(),
            path.display(),
            if kind == Kind::Csv && !layout.sheets.is_empty() {
                " (CSV: the datasets' sheet only; distributions and the other groups need .xlsx)"
            } else {
                ""
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
