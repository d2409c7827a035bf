//! A record's revision history over the API: `GET /api/datasets/{id}/history` (every import,
//! harvest, push, edit and withdrawal, newest first, with the lines each added and removed) and
//! `POST /api/datasets/{id}/restore?revision=…` (the record as it was right after that revision
//! becomes its new version — validated, and itself a revision). Both need an API key; a restore
//! needs the right to write the record (see [`healthcat_ingest::edit`]).

use super::datasets::{if_match, on_record, written};
use crate::kernel::extract::{Caller, Params, Writer};
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use healthcat_model::LocalId;
use serde_json::{Value, json};

/// `GET /api/datasets/{id}/history`
pub(crate) async fn history(
    State(state): State<AppState>,
    _: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let missing = || AppError::refused(StatusCode::NOT_FOUND, format!("no record {id}"));
    let local = LocalId::new(id.clone()).map_err(|_| missing())?;
    let st = state.clone();
    let revisions = blocking(move || Ok(st.store.history(&local)?)).await?;
    if revisions.is_empty() {
        return Err(missing());
    }
    Ok(Json(json!({ "id": id, "revisions": revisions })))
}

/// `POST /api/datasets/{id}/restore?revision=…`
pub(crate) async fn restore(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(revision) = params.get("revision").map(str::to_owned) else {
        return Err(AppError::bad_request(
            "name the revision to restore: ?revision=<id from the history>",
        ));
    };
    on_record(
        state,
        who,
        id,
        if_match(&headers),
        true,
        move |edits, who, record| {
            let why = params
                .comment()
                .or_else(|| Some(format!("restored the version of {revision}")));
            let w = edits.restore(who, &record, &revision, why)?;
            Ok(written(StatusCode::OK, &w))
        },
    )
    .await
}
