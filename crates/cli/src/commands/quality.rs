//! `healthcat quality`: the MQA score of stored datasets (see `healthcat_quality`), the DCAT-AP
//! compliance indicator from healthcat's own validator with the bundled DCAT-AP 3 profile, the
//! vocabularies from the profile's bundled code lists. URL reachability is not checked here yet:
//! those indicators say "not checked" and each score says out of how many points it was computed.

use super::{Ctx, user};
use crate::cli::QualityArgs;
use anyhow::Result;
use healthcat_model::{LocalId, RecordKind};
use healthcat_profiles::{Options, Profile};
use healthcat_quality::vocab::{ACCESS_RIGHT, FILE_TYPE};
use healthcat_quality::{Checks, Score, Status, Vocabularies};
use healthcat_store::{Store, UnitKind};
use oxrdf::NamedNode;
use std::process::ExitCode;

pub fn run(ctx: &Ctx, args: QualityArgs) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let ids = chosen(&store, &args.records)?;
    let dcat_ap = Profile::builtin("dcat-ap-3")?;
    // The codes of a bundled table, from its namespace (`…/file-type/` is the scheme `…/file-type`).
    let codes = |namespace: &str| -> Vec<String> {
        dcat_ap
            .codes(namespace.trim_end_matches('/'), "en")
            .into_iter()
            .filter_map(|(iri, _)| iri.strip_prefix(namespace).map(str::to_owned))
            .collect()
    };
    let vocab = Vocabularies::new(codes(FILE_TYPE), codes(ACCESS_RIGHT));
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
        let triples: Vec<_> = graph.iter().collect();
        let conforms = dcat_ap
            .validate(
                &triples,
                &Options {
                    level: None,
                    skip_document_shapes: true,
                },
            )
            .conforms;
        let checks = Checks {
            url: None,
            dcat_ap_conforms: Some(conforms),
        };
        let score = healthcat_quality::score(&graph, root.as_ref().into(), &vocab, &checks);
        out.push((id, record.meta.key.clone(), score));
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

fn print(out: &[(LocalId, String, Score)], json: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if json {
        let json: Vec<_> = out
            .iter()
            .map(|(id, key, s)| serde_json::json!({ "id": id.as_str(), "iri": key, "mqa": s }))
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

/// `total/out_of band`, then what is missing or failing, largest first.
fn line(s: &Score) -> String {
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
        "{}/{}\t{:?}\t{}",
        s.total,
        s.out_of,
        s.band,
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
