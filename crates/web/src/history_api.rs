//! A record's revision history over the API: `GET /api/datasets/{id}/history` (every import,
//! harvest, push, edit and withdrawal, newest first, with the lines each added and removed) and
//! `POST /api/datasets/{id}/restore?revision=…` (the record as it was right after that revision
//! becomes its new version — validated, and itself a revision). Both need an API key; a restore
//! needs the right to write the record (see [`crate::write_api`]).

use crate::routes::{AppState, Internal, blocking};
use crate::write_api::{Refusal, on_record, store_version, writer};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use healthcat_model::LocalId;
use serde_json::json;

/// `GET /api/datasets/{id}/history`
pub(crate) async fn history(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    match state.auth.0.authenticate(&headers) {
        Ok(Some(_)) => {}
        Ok(None) => {
            return Ok(Refusal(
                StatusCode::UNAUTHORIZED,
                "send an API key (Authorization: Bearer hc_…) to read a record's history".into(),
            )
            .into_response());
        }
        Err(e) => return Ok(Refusal(StatusCode::UNAUTHORIZED, e).into_response()),
    }
    let Ok(local) = LocalId::new(id.clone()) else {
        return Ok(Refusal(StatusCode::NOT_FOUND, format!("no record {id}")).into_response());
    };
    let st = state.clone();
    let revisions = blocking(move || st.store.history(&local).map_err(|e| e.to_string())).await?;
    if revisions.is_empty() {
        return Ok(Refusal(StatusCode::NOT_FOUND, format!("no record {id}")).into_response());
    }
    Ok(Json(json!({ "id": id, "revisions": revisions })).into_response())
}

/// `POST /api/datasets/{id}/restore?revision=…`
pub(crate) async fn restore(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let who = match writer(&state, &headers) {
        Ok(w) => w,
        Err(r) => return Ok(r.into_response()),
    };
    let Some(revision) = crate::site::query_pairs(&uri)
        .into_iter()
        .find(|(k, _)| k == "revision")
        .map(|(_, v)| v)
    else {
        return Ok(Refusal(
            StatusCode::BAD_REQUEST,
            "name the revision to restore: ?revision=<id from the history>".into(),
        )
        .into_response());
    };
    on_record(
        state,
        who,
        id.clone(),
        headers,
        true,
        move |st, who, record| {
            let Some(local) = record.meta.local_id.clone() else {
                return Err(format!("{id} has no local id"));
            };
            let Some(text) = st
                .store
                .version_at(&local, &revision)
                .map_err(|e| e.to_string())?
            else {
                return Ok(Refusal(
                    StatusCode::NOT_FOUND,
                    format!("{id} has no revision {revision:?} (see /api/datasets/{id}/history)"),
                )
                .into_response());
            };
            st.auth.0.audit(who, &format!("restore {id} to {revision}"));
            let why = crate::write_api::comment(&uri)
                .or_else(|| Some(format!("restored the version of {revision}")));
            store_version(st, who, &record, text.as_bytes(), why)
        },
    )
    .await
}
