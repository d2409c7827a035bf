//! The label's self-assessment form (`/edit/datasets/{id}/label`): for each metric of the
//! Article 78 label that the data holder declares (those healthcat cannot compute), its level —
//! the framework's levels in the reader's language — the evidence in words and a link to it.
//! Saving writes them into the record as DQV measurements (replacing the ones it had), through
//! the same checks as every edit: the steward's publishers, validation, the version the form was
//! opened on.

use crate::kernel::extract::{CsrfForm, EditorSession};
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_ingest::edit::Precondition;
use healthcat_model::vocab::{dqv, rdfs};
use oxrdf::{BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, Term, TermRef, Triple};
use serde_json::{Value, json};

/// `GET /edit/datasets/{id}/label`
pub(crate) async fn page(
    State(state): State<AppState>,
    EditorSession(s): EditorSession,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let lang = req.lang;
    let st = state.clone();
    let who = s.principal.clone();
    let rid = id.clone();
    let (etag, view) = blocking(move || {
        let record = st.edits().editable(&who, &rid, Precondition::None)?;
        let a = crate::kernel::quality::assess(&st, &record)?.ok_or_else(AppError::not_found)?;
        Ok((
            record.meta.hash,
            crate::kernel::quality::view(&st, &a, &rid, lang),
        ))
    })
    .await?;
    // The declared metrics, each with its levels as options and what the record says now.
    let metrics: Vec<Value> = view["label"]["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["dimensions"].as_array().into_iter().flatten())
        .flat_map(|d| {
            d["metrics"].as_array().into_iter().flatten().map(move |m| (d, m))
        })
        .filter(|(_, m)| m["by"] != "computed")
        .map(|(d, m)| {
            let levels: Vec<Value> = m["levels"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, text)| {
                    json!({ "value": i, "text": text, "selected": m["level"].as_u64() == Some(i as u64) })
                })
                .collect();
            json!({
                "key": m["metric"], "name": m["name"], "dimension": d["name"],
                "levels": levels, "evidence": m["evidence"], "link": m["link"],
            })
        })
        .collect();
    let saved = req.params.iter().any(|(k, _)| k == "saved");
    let ctx = json!({
        "id": id, "etag": etag, "csrf": s.csrf, "metrics": metrics, "saved": saved,
        "score": view["label"]["score"], "stars": view["label"]["stars_label"],
    });
    req.private_page(&state, StatusCode::OK, "label_form.html", "edit", ctx)
}

/// `POST /edit/datasets/{id}/label` (form: `csrf`, `etag`, and per declared metric `level.{key}`
/// — empty: not declared —, `evidence.{key}`, `link.{key}`)
pub(crate) async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, AppError> {
    let expect = format!("\"{}\"", form.get("etag").unwrap_or(""));
    let values = form.fields;
    let who = form.session.principal;
    let rid = id.clone();
    blocking(move || {
        let spec = state.quality.label_spec_shared();
        let edits = state.edits();
        let _turn = state.store.decision_turn();
        let pre = Precondition::IfMatch {
            value: Some(&expect),
            required: true,
        };
        let record = edits.editable(&who, &rid, pre)?;
        let root = record.meta.root.clone().ok_or_else(AppError::not_found)?;
        // The declared metrics' fields replace the declarations the record had.
        let metrics: Vec<(String, String, std::ops::RangeInclusive<u8>)> = spec
            .metrics
            .iter()
            .filter(|m| m.computed.is_none())
            .map(|m| {
                (
                    m.key.clone(),
                    format!("{}{}", spec.namespace, m.key),
                    0..=m.max(),
                )
            })
            .collect();
        let mut graph: Graph = record.graph.clone();
        write_declarations(&mut graph, &root, &values, &metrics)?;
        edits.replace_graph(
            &who,
            &record,
            graph,
            Some("the quality and utility label's declarations".into()),
        )?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/edit/datasets/{id}/label?saved=1")).into_response())
}

/// Writes into `graph` what a declarations form gives for `subject`: for each metric `(key, IRI,
/// levels)`, the fields `level.{key}` (empty: not declared), `evidence.{key}` and `link.{key}`,
/// as DQV measurements replacing those of the same metrics it had. An error names the field.
pub(super) fn write_declarations(
    graph: &mut Graph,
    subject: &NamedOrBlankNode,
    values: &[(String, String)],
    metrics: &[(String, String, std::ops::RangeInclusive<u8>)],
) -> Result<(), AppError> {
    let get = |name: String| {
        values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let iris: Vec<String> = metrics.iter().map(|(_, iri, _)| iri.clone()).collect();
    remove_measurements(graph, subject, &iris);
    for (key, iri, levels) in metrics {
        let Some(level) = get(format!("level.{key}")) else {
            continue;
        };
        let level: u8 = match level.parse() {
            Ok(l) if levels.contains(&l) => l,
            _ => {
                return Err(AppError::bad_request(format!(
                    "level.{key}: {level:?} is not one of the levels ({} to {})",
                    levels.start(),
                    levels.end()
                )));
            }
        };
        let link = get(format!("link.{key}"))
            .map(|link| {
                web_address(&link).ok_or_else(|| {
                    AppError::bad_request(format!(
                        "link.{key}: {link:?} is not a web address (https://…)"
                    ))
                })
            })
            .transpose()?;
        add_measurement(
            graph,
            subject,
            iri,
            level,
            get(format!("evidence.{key}")),
            link,
        );
    }
    Ok(())
}

/// Takes out of `graph` the DQV measurements of `subject` whose metric is one of `metrics`
/// (IRIs), with their own triples.
fn remove_measurements(graph: &mut Graph, subject: &NamedOrBlankNode, metrics: &[String]) {
    let old: Vec<NamedOrBlankNode> = graph
        .objects_for_subject_predicate(subject.as_ref(), dqv::HAS_QUALITY_MEASUREMENT)
        .filter_map(|t| match t {
            TermRef::NamedNode(n) => Some(n.into_owned().into()),
            TermRef::BlankNode(b) => Some(b.into_owned().into()),
            TermRef::Literal(_) => None,
        })
        .filter(|m: &NamedOrBlankNode| {
            graph
                .object_for_subject_predicate(m.as_ref(), dqv::IS_MEASUREMENT_OF)
                .is_some_and(|o| matches!(o, TermRef::NamedNode(n) if metrics.iter().any(|i| i == n.as_str())))
        })
        .collect();
    for m in old {
        let gone: Vec<Triple> = graph
            .triples_for_subject(m.as_ref())
            .map(|t| t.into_owned())
            .collect();
        for t in &gone {
            graph.remove(t);
        }
        graph.remove(&Triple::new(
            subject.clone(),
            dqv::HAS_QUALITY_MEASUREMENT,
            Term::from(m),
        ));
    }
}

/// Adds to `graph` a DQV measurement of `subject`: metric `metric` (an IRI) at `level`, with the
/// evidence in words (`rdfs:comment`) and a link to it (`rdfs:seeAlso`).
fn add_measurement(
    graph: &mut Graph,
    subject: &NamedOrBlankNode,
    metric: &str,
    level: u8,
    evidence: Option<String>,
    link: Option<NamedNode>,
) {
    let node: NamedOrBlankNode = BlankNode::default().into();
    graph.insert(&Triple::new(
        subject.clone(),
        dqv::HAS_QUALITY_MEASUREMENT,
        Term::from(node.clone()),
    ));
    graph.insert(&Triple::new(
        node.clone(),
        dqv::IS_MEASUREMENT_OF,
        Term::from(NamedNode::new_unchecked(metric)),
    ));
    graph.insert(&Triple::new(
        node.clone(),
        dqv::VALUE,
        Term::from(Literal::from(i64::from(level))),
    ));
    if let Some(text) = evidence {
        graph.insert(&Triple::new(
            node.clone(),
            rdfs::COMMENT,
            Term::from(Literal::new_simple_literal(text)),
        ));
    }
    if let Some(link) = link {
        graph.insert(&Triple::new(node, rdfs::SEE_ALSO, Term::from(link)));
    }
}

/// `link` as an IRI if it is a web address (http or https).
fn web_address(link: &str) -> Option<NamedNode> {
    NamedNode::new(link)
        .ok()
        .filter(|_| link.starts_with("https://") || link.starts_with("http://"))
}
