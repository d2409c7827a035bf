//! The push API, compatible with the Health Data Hub's (`/ingest/datasets`): a child catalogue or
//! a provider's script sends its records; each provider touches only its own.
//!
//! - `POST /ingest/datasets` — RDF in the body (Turtle, or what `Content-Type` says) → 201
//!   `{"id": …, "ids": […]}`; the record keeps its IRI. Sending a record again updates it.
//! - `PUT /ingest/datasets/origin?originalId=<IRI>` — replaces that record (404 if unknown).
//! - `DELETE /ingest/datasets/{id}` — withdraws it (204; 404 if unknown).
//! - `GET /api-keys/whoami` — `{"provider": …}`.
//!
//! Authentication: `X-API-Key`, matched against the SHA-256 of the keys in `[[ingest.providers]]`
//! (401 without a known key). A provider's records are stored with the source `push:<provider>`;
//! another provider's record is a 403. Every record is validated with the configured profile
//! before anything is stored: one invalid record refuses the whole request (422, with the report).
//! The rules are [`healthcat_ingest::push`]'s; this module reads requests and writes answers.

use crate::kernel::extract::{Params, Provider, RdfBody};
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use healthcat_ingest::push::Pushes;
use serde_json::{Value, json};

/// `GET /api-keys/whoami`
pub(crate) async fn whoami(Provider(p): Provider) -> Json<Value> {
    Json(json!({ "provider": p }))
}

/// `POST /ingest/datasets`
pub(crate) async fn create(
    State(state): State<AppState>,
    Provider(provider): Provider,
    body: RdfBody,
) -> Result<Response, AppError> {
    push(state, provider, body, None).await
}

/// `PUT /ingest/datasets/origin?originalId=…`
pub(crate) async fn replace(
    State(state): State<AppState>,
    Provider(provider): Provider,
    params: Params,
    body: RdfBody,
) -> Result<Response, AppError> {
    let Some(original) = params.get("originalId").map(str::to_owned) else {
        return Err(AppError::bad_request(
            "originalId is required: the IRI of the record to replace",
        ));
    };
    push(state, provider, body, Some(original)).await
}

fn pushes(state: &AppState) -> Pushes<'_> {
    Pushes {
        store: &state.store,
        index: &state.search,
        profile: &state.validation.default,
        options: state.parse_options(),
    }
}

async fn push(
    state: AppState,
    provider: String,
    body: RdfBody,
    replacing: Option<String>,
) -> Result<Response, AppError> {
    blocking(move || {
        let ids = pushes(&state).push(&provider, body.format, &body.bytes, replacing.as_deref())?;
        let status = if replacing.is_some() {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        Ok((status, Json(json!({ "id": ids.first(), "ids": ids }))).into_response())
    })
    .await
}

/// `DELETE /ingest/datasets/{id}`
pub(crate) async fn remove(
    State(state): State<AppState>,
    Provider(provider): Provider,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    blocking(move || {
        pushes(&state).withdraw(&provider, &id)?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

#[cfg(test)]
mod tests;
