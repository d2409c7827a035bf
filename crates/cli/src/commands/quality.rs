//! `healthcat quality`: the quality of stored datasets (see `healthcat_quality`): the MQA score
//! with DCAT-AP compliance from healthcat's own validator (the bundled DCAT-AP 3 profile), the
//! advice, the Regulation 2026/2098 elements. URL reachability is not checked here yet: those
//! indicators say "not checked" and each score says out of how many points it was computed.

use super::{Ctx, user};
use crate::cli::QualityArgs;
use anyhow::Result;
use healthcat_model::{LocalId, RecordKind};
use healthcat_quality::{Assessment, Assessor, Status};
use healthcat_store::{Store, UnitKind};
use oxrdf::NamedNode;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: QualityArgs) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let ids = chosen(&store, &args.records)?;
    let assessor = Assessor::bundled()?;
    let mut out = Vec::new();
    for id in ids {
        let Some(record) = store.get(&id)? else {
            continue;
        };
        if record.meta.kind != UnitKind::Record(RecordKind::Dataset) {
            continue;
        }
        let Ok(root) = NamedNode::new(&record.meta.key) else {
            continue;
        };
        // The record with the shared resources it names (publisher, contact…), as a harvester
        // of this catalogue would read it.
        let graph = store.with_shared_from(record.graph, &record.meta.source)?;
        let assessment = assessor.assess(&graph, root.as_ref().into(), None);
        out.push((id, record.meta.key.clone(), assessment));
    }
    // A reader that stops early (`| head`) is not an error.
    let printed = print(&out, args.json);
    if let Err(e) = &printed
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        return Ok(ExitCode::SUCCESS);
    }
    printed?;
    if !args.json && !ctx.quiet {
        eprintln!(
            "{} dataset(s) scored; URLs are not checked yet, so each score is out of fewer than 405 points",
            out.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print(out: &[(LocalId, String, Assessment)], json: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if json {
        let json: Vec<_> = out
            .iter()
            .map(|(id, key, a)| {
                let advice: Vec<_> = a
                    .advice
                    .iter()
                    .map(|x| serde_json::json!({ "sentence": x.sentence("en"), "advice": x }))
                    .collect();
                serde_json::json!({
                    "id": id.as_str(), "iri": key, "mqa": a.mqa, "advice": advice,
                    "minimum": a.minimum, "summary": a.summary(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut stdout, &json)?;
        writeln!(stdout)
    } else {
        for (id, _, s) in out {
            writeln!(stdout, "{}\t{}", id.as_str(), line(s))?;
        }
        Ok(())
    }
}

/// `total/out_of band`, the 2026/2098 elements present of those that apply, then what is missing
/// or failing, largest first.
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
    format!(
        "{}/{}\t{:?}\t2026/2098 {}/{}\t{}",
        s.total,
        s.out_of,
        s.band,
        summary.present,
        summary.applicable,
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
        return Ok(store
            .record_hashes()?
            .into_iter()
            .map(|(id, _)| id)
            .collect());
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
