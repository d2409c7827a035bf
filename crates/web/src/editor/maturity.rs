//! The data holder's maturity form (`/edit/datasets/{id}/maturity`): QUANTUM's maturity model —
//! each dimension at a level from 1 to 5, in the reader's language — declared for the publisher
//! of dataset `id`. Saving writes the levels as DQV measurements on the publisher's description
//! (replacing the ones it had) through the dataset's edit: the steward's publishers, validation,
//! the version the form was opened on; the publisher's description is changed only by an
//! administrator or an editor of that publisher. Every dataset of the publisher shows the new
//! maturity (their kept assessments follow the write).

use super::label::write_declarations;
use crate::kernel::extract::{CsrfForm, EditorSession};
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_ingest::edit::Precondition;
use healthcat_model::vocab::{dct, dqv, rdfs};
use oxrdf::{Graph, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef};
use serde_json::{Value, json};

/// The publisher of `root` in `graph`, if it names one.
fn publisher_of(graph: &Graph, root: &NamedOrBlankNode) -> Option<NamedOrBlankNode> {
    graph
        .objects_for_subject_predicate(root.as_ref(), dct::PUBLISHER)
        .find_map(|t| match t {
            TermRef::NamedNode(n) => Some(n.into_owned().into()),
            TermRef::BlankNode(b) => Some(b.into_owned().into()),
            TermRef::Literal(_) => None,
        })
}

/// What `publisher` declares for metric `iri`: (level, evidence, link).
fn declared(
    graph: &Graph,
    publisher: NamedOrBlankNodeRef<'_>,
    iri: &str,
) -> Option<(String, Option<String>, Option<String>)> {
    let text = |t: TermRef<'_>| match t {
        TermRef::Literal(l) => l.value().to_owned(),
        TermRef::NamedNode(n) => n.as_str().to_owned(),
        TermRef::BlankNode(_) => String::new(),
    };
    graph
        .objects_for_subject_predicate(publisher, dqv::HAS_QUALITY_MEASUREMENT)
        .filter_map(|m| match m {
            TermRef::NamedNode(n) => Some(NamedOrBlankNodeRef::from(n)),
            TermRef::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b)),
            TermRef::Literal(_) => None,
        })
        .find(|m| {
            graph
                .object_for_subject_predicate(*m, dqv::IS_MEASUREMENT_OF)
                .is_some_and(|o| matches!(o, TermRef::NamedNode(n) if n.as_str() == iri))
        })
        .map(|m| {
            let get = |p| graph.object_for_subject_predicate(m, p).map(text);
            (
                get(dqv::VALUE).unwrap_or_default(),
                get(rdfs::COMMENT),
                get(rdfs::SEE_ALSO),
            )
        })
}

/// `GET /edit/datasets/{id}/maturity`
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
    let (etag, publisher, dimensions) = blocking(move || {
        let record = st.edits().editable(&who, &rid, Precondition::None)?;
        let root = record.meta.root.clone().ok_or_else(AppError::not_found)?;
        let whole = st.store.with_shared_from(record.graph.clone(), "local")?;
        let publisher = publisher_of(&whole, &root).ok_or_else(|| {
            AppError::bad_request(format!(
                "dataset {rid} names no publisher (dct:publisher): give it one in the editor first"
            ))
        })?;
        let spec = st.quality.label_spec_shared();
        let dimensions: Vec<Value> = spec
            .maturity
            .iter()
            .map(|d| {
                let iri = format!("{}maturity-{}", spec.namespace, d.key);
                let (level, evidence, link) =
                    declared(&whole, publisher.as_ref(), &iri).unwrap_or_default();
                let levels: Vec<Value> = d
                    .levels_in(lang)
                    .iter()
                    .enumerate()
                    .map(|(i, text)| {
                        let value = (i + 1).to_string();
                        json!({ "value": value, "text": text, "selected": value == level })
                    })
                    .collect();
                json!({
                    "key": d.key, "name": d.name.get(lang), "levels": levels,
                    "evidence": evidence, "link": link,
                })
            })
            .collect();
        let name = match &publisher {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            NamedOrBlankNode::BlankNode(b) => b.to_string(),
        };
        Ok((record.meta.hash, name, dimensions))
    })
    .await?;
    let saved = req.params.iter().any(|(k, _)| k == "saved");
    let ctx = json!({
        "id": id, "etag": etag, "csrf": s.csrf, "dimensions": dimensions, "saved": saved,
        "publisher": publisher,
    });
    req.private_page(&state, StatusCode::OK, "maturity_form.html", "edit", ctx)
}

/// `POST /edit/datasets/{id}/maturity` (form: `csrf`, `etag`, and per dimension `level.{key}` —
/// 1 to 5, empty: not declared —, `evidence.{key}`, `link.{key}`)
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
        // The record with the descriptions an edit of it writes back (the catalogue's own).
        let mut whole = state
            .store
            .with_shared_from(record.graph.clone(), "local")?;
        let publisher = publisher_of(&whole, &root).ok_or_else(|| {
            AppError::bad_request(format!(
                "dataset {rid} names no publisher (dct:publisher): give it one in the editor first"
            ))
        })?;
        let metrics: Vec<(String, String, std::ops::RangeInclusive<u8>)> = spec
            .maturity
            .iter()
            .map(|d| {
                (
                    d.key.clone(),
                    format!("{}maturity-{}", spec.namespace, d.key),
                    1..=5,
                )
            })
            .collect();
        write_declarations(&mut whole, &publisher, &values, &metrics)?;
        edits.replace_whole(
            &who,
            &record,
            whole,
            Some("the data holder's maturity".into()),
        )?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/edit/datasets/{id}/maturity?saved=1")).into_response())
}
