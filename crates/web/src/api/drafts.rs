//! Drafts over the API (issue #8): `POST /api/drafts` keeps a description aside — invisible to
//! search, pages, DCAT, SPARQL and exports, because it is not in the store at all (see
//! [`healthcat_ingest::drafts`]) — `GET /api/drafts`, `GET|PUT|DELETE /api/drafts/{id}`, and
//! `POST /api/drafts/{id}/publish`, which validates and stores it like `POST`/`PUT
//! /api/datasets` (422 with the report; a record that exists needs its `If-Match`). Readers may
//! read drafts; editors see and change those of their publishers.

use super::datasets::{if_match, written};
use crate::kernel::extract::{Caller, Params, RdfBody, Writer};
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use healthcat_auth::Principal;
use healthcat_ingest::drafts::{Draft, Drafts, new_id};
use healthcat_ingest::edit::{Precondition, described};
use healthcat_store::Format;
use serde_json::json;

fn summary(d: &Draft) -> serde_json::Value {
    json!({
        "id": d.id, "records": d.records, "publishers": d.publishers,
        "created": d.created, "created_by": d.created_by,
        "updated": d.updated, "updated_by": d.updated_by,
    })
}

/// The draft `id` if `who` may see it.
fn find(store: &Drafts, who: &Principal, id: &str) -> Result<Draft, AppError> {
    match store.get(id)? {
        Some(d) if d.visible_to(who) => Ok(d),
        _ => Err(AppError::refused(
            StatusCode::NOT_FOUND,
            format!("no draft {id}"),
        )),
    }
}

/// `POST /api/drafts`
pub(crate) async fn create(
    State(state): State<AppState>,
    Writer(who): Writer,
    body: RdfBody,
) -> Result<Response, AppError> {
    let store = state.drafts()?;
    blocking(move || {
        let (doc, keys) = described(body.format, &body.bytes, state.input)?;
        let draft = Draft::of(&who, (&doc, keys), new_id(), None)?;
        store.save(&draft)?;
        Ok((StatusCode::CREATED, Json(summary(&draft))).into_response())
    })
    .await
}

/// `GET /api/drafts`
pub(crate) async fn list(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Response, AppError> {
    let store = state.drafts()?;
    blocking(move || {
        let mine: Vec<_> = store
            .list()?
            .iter()
            .filter(|d| d.visible_to(&who))
            .map(summary)
            .collect();
        Ok(Json(json!({ "drafts": mine })).into_response())
    })
    .await
}

/// `GET /api/drafts/{id}`: its N-Triples.
pub(crate) async fn get(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let store = state.drafts()?;
    blocking(move || {
        let d = find(&store, &who, &id)?;
        Ok((
            [(header::CONTENT_TYPE, "application/n-triples; charset=utf-8")],
            d.content,
        )
            .into_response())
    })
    .await
}

/// `PUT /api/drafts/{id}`
pub(crate) async fn replace(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
    body: RdfBody,
) -> Result<Response, AppError> {
    let store = state.drafts()?;
    blocking(move || {
        let before = find(&store, &who, &id)?;
        let (doc, keys) = described(body.format, &body.bytes, state.input)?;
        let draft = Draft::of(&who, (&doc, keys), id, Some(&before))?;
        store.save(&draft)?;
        Ok(Json(summary(&draft)).into_response())
    })
    .await
}

/// `DELETE /api/drafts/{id}`
pub(crate) async fn remove(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let store = state.drafts()?;
    blocking(move || {
        find(&store, &who, &id)?;
        store.remove(&id)?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}

/// `POST /api/drafts/{id}/publish`
pub(crate) async fn publish(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let store = state.drafts()?;
    let expected = if_match(&headers);
    blocking(move || {
        let edits = state.edits();
        let _turn = state.store.decision_turn();
        let draft = find(&store, &who, &id)?;
        // A draft of a record that exists replaces it: only from the version it was based on.
        let mut existing = false;
        for key in &draft.records {
            if let Some(m) = state.store.record_by_key(key)? {
                let local = m
                    .local_id
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default();
                let pre = Precondition::IfMatch {
                    value: expected.as_deref(),
                    required: true,
                };
                edits.editable(&who, &local, pre)?;
                existing = true;
            }
        }
        let (doc, _) = described(Format::NTriples, draft.content.as_bytes(), state.input)?;
        let w = edits.store(&who, &doc, false, !existing, params.comment())?;
        store.remove(&id)?;
        let status = if existing {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        Ok(written(status, &w))
    })
    .await
}

#[cfg(test)]
mod tests;
