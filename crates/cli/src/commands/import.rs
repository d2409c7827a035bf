//! `healthcat import`

use super::{Ctx, user};
use crate::cli::ImportArgs;
use anyhow::{Context, Result};
use healthcat_ingest::Progress;
use healthcat_store::{
    Format, ImportReport, Outcome, ParseError, ParseOptions, Source, Store, parse_document,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

/// Inputs larger than this get a progress bar (on a terminal).
const PROGRESS_THRESHOLD: u64 = 4 << 20;

/// Files this large or larger are read part by part (unless --read-whole).
const STREAM_THRESHOLD: u64 = 64 << 20;

pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<ExitCode> {
    if let (Some(path), Some(account)) = (&args.from_sheet, &args.account) {
        return super::sheet::import(ctx, path, account);
    }
    let store = ctx.open_store()?;
    // A profile or shapes from the command line, else from the configuration's [validation].
    let v = &ctx.config.validation;
    let validator = if args.profile.is_some() || !args.shapes.is_empty() {
        super::validate::load_validator(
            args.profile.as_deref(),
            &args.shapes,
            args.pathless_property_as_node,
        )?
    } else {
        super::validate::load_validator(
            v.profile.as_deref(),
            &v.shapes,
            v.pathless_property_as_node,
        )?
    };
    if validator.is_none() && args.keep_invalid {
        anyhow::bail!(
            "--keep-invalid needs a validation profile (--profile, or [validation] in the configuration)"
        );
    }
    let keep_invalid = args.keep_invalid || v.keep_invalid;
    // The search index follows the store: opened (and caught up) first, marked behind while the
    // store is written, updated with what changed, then marked current. See indexing.rs.
    let index = match super::indexing::open(ctx, &store) {
        Ok(index) => Some(index),
        Err(e) => {
            eprintln!("warning: {e:#}; the records will be stored but not yet searchable");
            super::indexing::mark_behind(ctx)?;
            None
        }
    };
    let behind = index.as_ref().map(|i| i.behind()).transpose()?;
    let mut changed: Vec<healthcat_model::LocalId> = Vec::new();

    let mut failed = 0usize;
    let mut reports = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        match import_one(
            ctx,
            &store,
            index.as_ref(),
            path,
            &args,
            validator.as_ref(),
            keep_invalid,
        ) {
            Ok((report, rejected, indexed)) => {
                for r in &rejected {
                    eprintln!("refused: {r}");
                }
                if !rejected.is_empty() {
                    failed += 1;
                }
                if !args.json {
                    print_report(&name, &report, &args, ctx.quiet);
                }
                // A streamed import indexed its records itself.
                changed.extend(
                    report
                        .records
                        .iter()
                        .filter(|_| !indexed)
                        .filter(|r| r.outcome != healthcat_store::Outcome::Unchanged)
                        .filter_map(|r| healthcat_model::LocalId::new(&r.id).ok()),
                );
                // Only when asked: a million records' lines as JSON values took more memory
                // than anything else at the end of an import.
                if args.json {
                    reports.push(serde_json::json!({
                        "file": name,
                        "ok": rejected.is_empty(),
                        "report": report,
                        "refused": rejected,
                    }));
                }
            }
            Err(err) => {
                failed += 1;
                eprintln!("error: {err:#}");
                eprintln!("       nothing from {name} was imported");
                reports.push(
                    serde_json::json!({"file": name, "ok": false, "error": format!("{err:#}")}),
                );
                if !err
                    .chain()
                    .any(|e| e.downcast_ref::<crate::UserError>().is_some())
                {
                    // An I/O or storage failure: stop, and let main exit with 2.
                    return Err(err);
                }
            }
        }
    }
    // For tests of crash recovery: stop as a killed process would, store written, index not.
    if std::env::var_os("HEALTHCAT_TEST_CRASH_AFTER_STORE").is_some() {
        std::process::abort();
    }
    if let (Some(index), Some(behind)) = (&index, behind) {
        index
            .refresh(&store, &changed)
            .context("updating the search index (it will catch up on the next start)")?;
        behind.caught_up();
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Imports one file; returns the store's report, the records refused by validation, and whether
/// the records are indexed already (a streamed import indexes them as it goes).
fn import_one(
    ctx: &Ctx,
    store: &Store,
    index: Option<&healthcat_search::SearchIndex>,
    path: &Path,
    args: &ImportArgs,
    validator: Option<&healthcat_profiles::Profile>,
    keep_invalid: bool,
) -> Result<(ImportReport, Vec<String>, bool)> {
    let lang = ctx.lang.as_str();
    let limits = ctx.config.input.limits();
    let name = path.display().to_string();
    let stdin = path.as_os_str() == "-";
    let format = match args.format {
        Some(f) => f.format(),
        None if stdin => {
            return Err(user(
                "reading standard input needs --format (ttl, nt, nq, trig, rdf, jsonld)",
            ));
        }
        None => Format::from_path(path)
            .ok_or_else(|| user(ParseError::UnknownFormat(name.clone()).to_string()))?,
    };
    let options = ParseOptions {
        base_iri: args.base_iri.clone(),
        continue_on_error: args.continue_on_error,
        limits,
    };
    let source = Source {
        id: args.source.clone(),
        origin: if stdin {
            "stdin".into()
        } else {
            format!(
                "file:{}",
                std::path::absolute(path)
                    .unwrap_or(path.to_path_buf())
                    .display()
            )
        },
        run: None,
        comment: None,
    };
    let len = if stdin {
        0
    } else {
        std::fs::metadata(path)
            .map_err(|e| user(format!("{name}: cannot open: {e}")))?
            .len()
    };
    let stream = !args.read_whole && (args.stream || len >= STREAM_THRESHOLD);
    if stream {
        // Its records are indexed as it goes: a line per record is only for the reader.
        let ingest = healthcat_ingest::Ingest::new(store)
            .validating(validator, keep_invalid, lang)
            .indexing(index)
            .record_lines(args.verbose || args.json);
        let mut split = healthcat_store::stream_document(
            std::io::BufReader::with_capacity(1 << 16, open(path, stdin, len)?),
            format,
            &name,
            &options,
        )
        .map_err(parse_error)?
        .part_statements(args.part_statements);
        // For tests of an import killed midway: stop as a killed process would after N parts.
        let crash_after: Option<usize> = std::env::var("HEALTHCAT_TEST_CRASH_AFTER_PARTS")
            .ok()
            .and_then(|v| v.parse().ok());
        let (shown, quiet) = (name.clone(), ctx.quiet);
        let progress = move |p: Progress| match p {
            Progress::Parts(done) => {
                tracing::debug!(parts = done, "part stored");
                if crash_after == Some(done) {
                    std::process::abort();
                }
            }
            Progress::Compacting(_) | Progress::Compacted(_) if quiet => {}
            Progress::Compacting(runs) => eprintln!(
                "{shown}: stored and indexed; compacting the store, which the load left in {runs} \
                 sorted runs (pages read slowly until this ends; stopping it loses nothing)…"
            ),
            Progress::Compacted(took) => {
                eprintln!("{shown}: store compacted in {:.1} s", took.as_secs_f64());
            }
        };
        let started = std::time::Instant::now();
        match ingest.stream(&mut split, &source, &progress) {
            Ok(outcome) => {
                tracing::debug!(elapsed = ?started.elapsed(), "streamed and stored");
                let skipped: Vec<String> =
                    split.skipped().iter().map(ToString::to_string).collect();
                for s in &skipped {
                    eprintln!("skipped: {s}");
                }
                let (report, rejected) = finish(outcome, &skipped);
                return Ok((report, rejected, index.is_some()));
            }
            Err(e) => match e.read_whole() {
                Some(why) if !stdin => {
                    eprintln!("note: {why}; reading {name} whole instead");
                }
                Some(why) => {
                    return Err(user(format!(
                        "{why}; standard input cannot be read twice: import it with --read-whole, \
                         or from a file"
                    )));
                }
                None => return Err(ingest_error(&name, e)),
            },
        }
    }
    let reader = open(path, stdin, len)?;
    let started = std::time::Instant::now();
    let doc = parse_document(
        std::io::BufReader::with_capacity(1 << 16, reader),
        format,
        &name,
        &options,
    )
    .map_err(parse_error)?;
    for skipped in &doc.skipped {
        eprintln!("skipped: {skipped}");
    }
    tracing::debug!(elapsed = ?started.elapsed(), triples = doc.graph.len(), "parsed");
    // The index follows in the caller, once for all files (see indexing.rs).
    let outcome = healthcat_ingest::Ingest::new(store)
        .validating(validator, keep_invalid, lang)
        .document(&doc.graph, &source)
        .map_err(|e| ingest_error(&name, e))?;
    tracing::debug!(elapsed = ?started.elapsed(), "validated and stored");
    let skipped: Vec<String> = doc.skipped.iter().map(ToString::to_string).collect();
    let (report, rejected) = finish(outcome, &skipped);
    Ok((report, rejected, false))
}

/// An ingest error as the command reports it: the user's (exit 1, go on with the next file) or
/// the storage's (stop).
fn ingest_error(name: &str, e: healthcat_ingest::IngestError) -> anyhow::Error {
    match e {
        healthcat_ingest::IngestError::Store(e) => {
            anyhow::Error::new(e).context(format!("{name}: storing failed"))
        }
        healthcat_ingest::IngestError::Stream(healthcat_store::StreamError::Parse(e)) => {
            parse_error(e)
        }
        other => user(format!("{name}: {other}")),
    }
}

fn parse_error(e: ParseError) -> anyhow::Error {
    match e {
        ParseError::Io { .. } => anyhow::Error::new(e),
        other => user(other.to_string()),
    }
}

/// Opens an input (with a progress bar when it is large).
fn open(path: &Path, stdin: bool, len: u64) -> Result<Box<dyn Read>> {
    if stdin {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| user(format!("{name}: cannot open: {e}")))?;
    Ok(if len > PROGRESS_THRESHOLD {
        let bar = ProgressBar::new(len).with_style(
            ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(format!("reading {name}"));
        Box::new(bar.wrap_read(file))
    } else {
        Box::new(file)
    })
}

/// The store's report and the records refused by validation, with the skipped statements.
fn finish(outcome: healthcat_ingest::Outcome, skipped: &[String]) -> (ImportReport, Vec<String>) {
    let rejected = outcome
        .rejected
        .iter()
        .map(|r| {
            format!(
                "{} ({} violations, {} warnings): {}",
                r.label,
                r.violations,
                r.warnings,
                r.messages.join("; ")
            )
        })
        .collect();
    let mut report = outcome.report;
    report
        .warnings
        .extend(skipped.iter().map(|s| format!("skipped statement: {s}")));
    (report, rejected)
}

fn print_report(name: &str, r: &ImportReport, args: &ImportArgs, quiet: bool) {
    let t = r.record_tally;
    println!(
        "{name}: {} added, {} updated, {} unchanged, {} skipped",
        t.added,
        t.updated,
        t.unchanged,
        r.warnings
            .iter()
            .filter(|w| w.starts_with("skipped statement"))
            .count()
    );
    if quiet {
        return;
    }
    if args.verbose {
        for rec in &r.records {
            let o = match rec.outcome {
                Outcome::Added => "added",
                Outcome::Updated => "updated",
                Outcome::Unchanged => "unchanged",
            };
            println!("  {o:9} {:8} {}  {}", rec.kind, rec.id, rec.key);
        }
    }
    let (c, s) = (r.catalogs, r.resources);
    if c.added + c.updated + c.unchanged > 0 || s.added + s.updated + s.unchanged > 0 {
        println!(
            "  catalogues: {} added, {} updated, {} unchanged; shared resources: {} added, {} updated, {} unchanged",
            c.added, c.updated, c.unchanged, s.added, s.updated, s.unchanged
        );
    }
    for w in &r.warnings {
        println!("  warning: {w}");
    }
}
