//! The write API for a catalogue's own records: `POST /api/datasets`, `PUT /api/datasets/{id}`,
//! `DELETE /api/datasets/{id}` — for data stewards' scripts and, later, the editor.
//!
//! - Authentication by API key (`Authorization: Bearer hc_…` or `X-API-Key`), through the
//!   [`healthcat_auth::Authenticator`] of the state: 401 without, 403 for a reader, or for an
//!   editor on a record whose `dct:publisher` is not one of its publishers (before and after the
//!   change).
//! - Any RDF syntax (`Content-Type`); the body is validated with the configured profile before
//!   anything is stored: 422 with the report. An admin may store it anyway with `?force=true`:
//!   the record is kept flagged with its violations.
//! - Optimistic concurrency: a record's `ETag` is its content hash (as on its page); `PUT` needs
//!   `If-Match` (428 without) and gets 412 when the record changed since; `DELETE` honours it
//!   when given.
//! - Only this catalogue's own records (source `local`) are written here: a harvested or pushed
//!   record is changed at its source (403 says which), or its next harvest would undo the edit.
//!   Records written here are `local`, so a `[parent]` receives them.
//! - Every write is recorded in the audit log with the key's name.
//!
//! The rules are [`healthcat_ingest::edit`]'s; this module reads requests and writes answers.

use crate::kernel::extract::{Params, RdfBody, Writer};
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use healthcat_auth::{Principal, Role};
use healthcat_ingest::edit::{Edits, Precondition, Written, described};
use healthcat_store::StoredRecord;
use serde_json::json;

/// The answer to a write: `{"id", "ids", "flagged"}` with the record's `ETag` and `Location`.
pub(crate) fn written(status: StatusCode, w: &Written) -> Response {
    let mut res = (
        status,
        Json(json!({ "id": w.first(), "ids": w.ids, "flagged": w.flagged })),
    )
        .into_response();
    let h = res.headers_mut();
    if let Some(etag) = &w.etag
        && let Ok(v) = HeaderValue::from_str(&format!("\"{etag}\""))
    {
        h.insert(header::ETAG, v);
    }
    if let Some(id) = w.first()
        && let Ok(v) = HeaderValue::from_str(&format!("/datasets/{id}"))
    {
        h.insert(header::LOCATION, v);
    }
    res
}

/// `?force=true`, which only an administrator may use.
fn force(params: &Params, who: &healthcat_auth::Principal) -> bool {
    params.get("force") == Some("true") && who.role == Role::Admin
}

/// `If-Match`, as sent.
pub(crate) fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `POST /api/datasets`
pub(crate) async fn create(
    State(state): State<AppState>,
    Writer(who): Writer,
    params: Params,
    body: RdfBody,
) -> Result<Response, AppError> {
    let force = force(&params, &who);
    blocking(move || {
        let (doc, keys) = described(body.format, &body.bytes, state.input)?;
        let edits = state.edits();
        let _turn = state.store.decision_turn();
        edits.check_new(&who, &doc, &keys)?;
        let w = edits.store(&who, &doc, force, true, params.comment())?;
        Ok(written(StatusCode::CREATED, &w))
    })
    .await
}

/// Runs `f` on record `id` once `who` may change it and `If-Match` holds (`required`: a change
/// without one is refused), in the store's decision turn and off the async threads.
pub(crate) async fn on_record<T: Send + 'static>(
    state: AppState,
    who: Principal,
    id: String,
    if_match: Option<String>,
    required: bool,
    f: impl FnOnce(&Edits<'_>, &Principal, StoredRecord) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    blocking(move || {
        let edits = state.edits();
        let _turn = state.store.decision_turn();
        let pre = Precondition::IfMatch {
            value: if_match.as_deref(),
            required,
        };
        let record = edits.editable(&who, &id, pre)?;
        f(&edits, &who, record)
    })
    .await
}

/// `PUT /api/datasets/{id}`
pub(crate) async fn replace(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
    body: RdfBody,
) -> Result<Response, AppError> {
    let force = force(&params, &who);
    let limits = state.input;
    on_record(
        state,
        who,
        id,
        if_match(&headers),
        true,
        move |edits, who, record| {
            let (doc, keys) = described(body.format, &body.bytes, limits)?;
            let w = edits.replace(who, &record, (&doc, &keys), force, params.comment())?;
            Ok(written(StatusCode::OK, &w))
        },
    )
    .await
}

/// `DELETE /api/datasets/{id}`
pub(crate) async fn remove(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    on_record(
        state,
        who,
        id,
        if_match(&headers),
        false,
        move |edits, who, record| {
            edits.withdraw(who, &record, params.comment())?;
            Ok(StatusCode::NO_CONTENT.into_response())
        },
    )
    .await
}

#[cfg(test)]
pub(crate) mod tests;
