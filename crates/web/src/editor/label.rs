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
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
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
    let mut res = req.page(&state, StatusCode::OK, "label_form.html", "edit", ctx)?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
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
        let get = |name: String| {
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        // The record without its former declarations…
        let declared: Vec<&healthcat_quality::label::Metric> =
            spec.metrics.iter().filter(|m| m.computed.is_none()).collect();
        let iri_of = |key: &str| format!("{}{key}", spec.namespace);
        let ours: Vec<String> = declared.iter().map(|m| iri_of(&m.key)).collect();
        let mut graph: Graph = record.graph.clone();
        let old: Vec<NamedOrBlankNode> = graph
            .objects_for_subject_predicate(root.as_ref(), dqv::HAS_QUALITY_MEASUREMENT)
            .filter_map(|t| match t {
                TermRef::NamedNode(n) => Some(n.into_owned().into()),
                TermRef::BlankNode(b) => Some(b.into_owned().into()),
                TermRef::Literal(_) => None,
            })
            .filter(|m: &NamedOrBlankNode| {
                graph
                    .object_for_subject_predicate(m.as_ref(), dqv::IS_MEASUREMENT_OF)
                    .is_some_and(|o| matches!(o, TermRef::NamedNode(n) if ours.iter().any(|i| i == n.as_str())))
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
                root.clone(),
                dqv::HAS_QUALITY_MEASUREMENT,
                Term::from(m),
            ));
        }
        // …and with the ones the form gives.
        for m in &declared {
            let Some(level) = get(format!("level.{}", m.key)) else {
                continue;
            };
            let level: u8 = match level.parse() {
                Ok(l) if l <= m.max() => l,
                _ => {
                    return Err(AppError::bad_request(format!(
                        "level.{}: {level:?} is not a level of this metric (0 to {})",
                        m.key,
                        m.max()
                    )));
                }
            };
            let node: NamedOrBlankNode = BlankNode::default().into();
            graph.insert(&Triple::new(
                root.clone(),
                dqv::HAS_QUALITY_MEASUREMENT,
                Term::from(node.clone()),
            ));
            graph.insert(&Triple::new(
                node.clone(),
                dqv::IS_MEASUREMENT_OF,
                Term::from(NamedNode::new_unchecked(iri_of(&m.key))),
            ));
            graph.insert(&Triple::new(
                node.clone(),
                dqv::VALUE,
                Term::from(Literal::from(i64::from(level))),
            ));
            if let Some(text) = get(format!("evidence.{}", m.key)) {
                graph.insert(&Triple::new(
                    node.clone(),
                    rdfs::COMMENT,
                    Term::from(Literal::new_simple_literal(text)),
                ));
            }
            if let Some(link) = get(format!("link.{}", m.key)) {
                let iri = NamedNode::new(&link)
                    .ok()
                    .filter(|_| link.starts_with("https://") || link.starts_with("http://"))
                    .ok_or_else(|| {
                        AppError::bad_request(format!(
                            "link.{}: {link:?} is not a web address (https://…)",
                            m.key
                        ))
                    })?;
                graph.insert(&Triple::new(node, rdfs::SEE_ALSO, Term::from(iri)));
            }
        }
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
