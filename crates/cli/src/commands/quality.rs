//! `healthcat quality`: the quality of stored datasets (see `healthcat_quality`): the MQA score
//! with DCAT-AP compliance from healthcat's own validator (the bundled DCAT-AP 3 profile), the
//! advice, the Regulation 2026/2098 elements, the Article 78 label. URL answers come from the link
//! checker's results (`{data_dir}/links.tsv`); `--check-links` checks the chosen datasets' URLs
//! first and keeps the new scores with the records. A URL never checked is "not checked", and
//! each score says out of how many points it was computed.

use super::{Ctx, user};
use crate::cli::QualityArgs;
use anyhow::Result;
use healthcat_harvest::links;
use healthcat_model::LocalId;
use healthcat_quality::{Assessment, Assessor, Status};
use healthcat_store::{SharedCache, Store};
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: QualityArgs) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let ids = chosen(&store, &args.records)?;
    if args.check_links {
        check_links(ctx, &store, &ids)?;
    }
    // The assessor writes use (with `[quality] label` and the link checker's answers, this run's
    // included).
    let assessor = match healthcat_ingest::default_assessor() {
        Some(a) => a.clone(),
        None => std::sync::Arc::new(Assessor::bundled()?),
    };
    // What changed, to keep with the records (`--check-links`).
    let mut changed: Vec<(LocalId, String, String)> = Vec::new();
    // Batches keep memory bounded and the output in order; within a batch, the records are
    // spread over the cores, each thread reading every shared description once.
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    let mut caches: Vec<SharedCache> = (0..threads).map(|_| SharedCache::default()).collect();
    let mut scored = 0usize;
    let mut first = true;
    let write = |text: &str| -> std::io::Result<()> {
        use std::io::Write;
        std::io::stdout().lock().write_all(text.as_bytes())
    };
    let written = (|| -> Result<()> {
        if args.json {
            write("[")?;
        }
        for batch in ids.chunks(1024) {
            let per = batch.len().div_ceil(threads).max(1);
            type Part = (Vec<String>, Vec<(LocalId, String, String)>);
            let parts: Vec<Result<Part>> = std::thread::scope(|scope| {
                let handles: Vec<_> = batch
                    .chunks(per)
                    .zip(caches.iter_mut())
                    .map(|(part, cache)| {
                        let (store, assessor) = (&store, assessor.as_ref());
                        scope.spawn(move || -> Result<Part> {
                            let mut out = Vec::with_capacity(part.len());
                            let mut kept = Vec::new();
                            for id in part {
                                if let Some((meta, a)) = assess(store, assessor, id, cache)? {
                                    out.push(render(id, &meta.key, &a, args.json));
                                    let json = a.kept().to_json();
                                    if meta.quality.as_deref() != Some(json.as_str()) {
                                        kept.push((id.clone(), meta.hash, json));
                                    }
                                }
                            }
                            Ok((out, kept))
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            for part in parts {
                let (texts, kept) = part?;
                changed.extend(kept);
                for text in texts {
                    if args.json {
                        write(if first { "\n" } else { ",\n" })?;
                    }
                    first = false;
                    scored += 1;
                    write(&text)?;
                }
            }
        }
        if args.json {
            write("\n]\n")?;
        }
        Ok(())
    })();
    // A reader that stops early (`| head`) is not an error.
    if let Err(e) = &written
        && e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    {
        return Ok(ExitCode::SUCCESS);
    }
    written?;
    if (args.check_links || args.keep) && !changed.is_empty() {
        let index = super::indexing::open(ctx, &store)?;
        let n = healthcat_ingest::keep_quality(&store, Some(&index), &changed)?;
        if !ctx.quiet {
            eprintln!("{n} dataset(s) keep a new assessment");
        }
    }
    if !args.json && !ctx.quiet {
        eprintln!(
            "{scored} dataset(s) scored; a URL not checked leaves its points out of the score (--check-links checks them)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks the access and download URLs of datasets `ids` that are due (never checked, or longer
/// ago than `[links] recheck_days`), and keeps every answer (`ctx.links`, and
/// `{data_dir}/links.tsv`).
fn check_links(ctx: &Ctx, store: &Store, ids: &[LocalId]) -> Result<()> {
    let config = &ctx.config.links;
    let urls = links::urls_of(store, ids)?;
    let checker =
        links::LinkChecker::new(config.clone()).map_err(|e| user(format!("[links]: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (checked, _) = runtime.block_on(links::check_due(
        &checker,
        &ctx.links,
        &urls,
        config.recheck_days,
    ));
    let path = links::LinkResults::path(&ctx.config.data_dir);
    ctx.links.save(&path).map_err(|e| user(e.to_string()))?;
    if !ctx.quiet {
        eprintln!(
            "{} link(s) checked, {} answered 2xx; answers kept in {}",
            checked.checked,
            checked.answered,
            path.display()
        );
    }
    Ok(())
}

/// The assessment of record `id`, with its bookkeeping; `None` for anything but a dataset.
fn assess(
    store: &Store,
    assessor: &Assessor,
    id: &LocalId,
    cache: &mut SharedCache,
) -> Result<Option<(healthcat_store::UnitMeta, Assessment)>> {
    let Some(record) = store.get(id)? else {
        return Ok(None);
    };
    let a = healthcat_ingest::assess_stored(store, assessor, &record, Some(cache))?;
    Ok(a.map(|a| (record.meta, a)))
}

/// One dataset's output: a line, or a JSON object (every indicator, the advice with its English
/// sentence, the 27 elements, the summary).
fn render(id: &LocalId, key: &str, a: &Assessment, json: bool) -> String {
    if !json {
        return format!("{}\t{}\n", id.as_str(), line(a));
    }
    let advice: Vec<_> = a
        .advice
        .iter()
        .map(|x| serde_json::json!({ "sentence": x.sentence("en"), "advice": x }))
        .collect();
    let v = serde_json::json!({
        "id": id.as_str(), "iri": key, "mqa": a.mqa, "advice": advice,
        "minimum": a.minimum, "summary": a.summary(), "label": a.label, "health": a.health,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// `total/out_of band`, the 2026/2098 elements present of those that apply, the Article 78
/// label's score and stars, then what is missing or failing, largest first.
fn line(a: &Assessment) -> String {
    let s = &a.mqa;
    let summary = a.summary();
    let mut open: Vec<_> = s
        .indicators
        .iter()
        .filter(|m| matches!(m.status, Status::Missing | Status::Failed))
        .collect();
    open.sort_by_key(|m| std::cmp::Reverse(m.indicator.points));
    let open: Vec<String> = open
        .iter()
        .map(|m| format!("{} +{}", m.indicator.metric, m.indicator.points))
        .collect();
    let health = a.health.as_ref().map_or("-".to_owned(), |h| {
        format!(
            "{} {}/{} {}/{}",
            h.level.as_deref().unwrap_or("-"),
            h.mandatory.0,
            h.mandatory.1,
            h.recommended.0,
            h.recommended.1
        )
    });
    format!(
        "{}/{}\t{:?}\t2026/2098 {}/{}\tlabel {:.2}/100 {}*\thealth {}\t{}",
        s.total,
        s.out_of,
        s.band,
        summary.present,
        summary.applicable,
        a.label.score,
        a.label.stars,
        health,
        if open.is_empty() {
            "-".to_owned()
        } else {
            open.join(", ")
        }
    )
}

/// The local ids of the records named (by IRI or local id), or of every record.
fn chosen(store: &Store, names: &[String]) -> Result<Vec<LocalId>> {
    if names.is_empty() {
        // The id list and the shared resources' roots, read side by side and kept for the pass.
        store.warm()?;
        return Ok(store.local_ids()?);
    }
    let mut ids = Vec::new();
    for name in names {
        let id = match store.record_by_key(name)?.and_then(|m| m.local_id) {
            Some(id) => id,
            None => match LocalId::new(name.clone()) {
                Ok(id) if store.get(&id)?.is_some() => id,
                _ => {
                    return Err(user(format!(
                        "no record {name:?} in the catalogue (give its IRI or its local id)"
                    )));
                }
            },
        };
        ids.push(id);
    }
    Ok(ids)
}
