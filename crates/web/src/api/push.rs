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
//! The ownership check and the write happen in the store's decision turn, so that they cannot
//! interleave with another push or an edit.

use crate::kernel::extract::{Params, Provider, RdfBody};
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use healthcat_ingest::{Ingest, IngestError, NotOwned, Stewardship};
use healthcat_model::LocalId;
use healthcat_store::{Source, parse_slice};
use serde_json::{Value, json};

fn source_of(provider: &str) -> Source {
    Source {
        id: format!("push:{provider}"),
        origin: format!("push:{provider}"),
        run: None,
        comment: None,
    }
}

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

async fn push(
    state: AppState,
    provider: String,
    body: RdfBody,
    replacing: Option<String>,
) -> Result<Response, AppError> {
    blocking(move || {
        let st = &state;
        let doc = parse_slice(&body.bytes, body.format, "request body", &st.parse_options())
            .map_err(|e| AppError::bad_request(e.to_string()))?;
        let units = healthcat_store::split(&doc.graph)
            .map_err(|e| AppError::refused(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        let keys: Vec<&str> = units
            .iter()
            .filter(|u| u.is_record())
            .map(|u| u.key.as_str())
            .collect();
        let source = source_of(&provider);
        let _turn = st.store.decision_turn();
        if let Some(original) = &replacing {
            if st.store.record_by_key(original)?.is_none() {
                return Err(AppError::refused(
                    StatusCode::NOT_FOUND,
                    format!("no record {original} here: create it with POST /ingest/datasets"),
                ));
            }
            if !keys.contains(&original.as_str()) {
                return Err(AppError::refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("the body does not describe {original}"),
                ));
            }
        }
        // Every record must be new or already this provider's.
        for key in &keys {
            if let Some(meta) = st.store.record_by_key(key)?
                && meta.source != source.id
            {
                return Err(AppError::refused(
                    StatusCode::FORBIDDEN,
                    format!("{key} belongs to another source ({}); a provider changes only its own records", meta.source),
                ));
            }
        }
        let outcome = Ingest::new(&st.store)
            .validating(Some(&st.validation.default), false, "en")
            .all_or_nothing()
            .stewardship(Stewardship::OwnSource, NotOwned::Refuse)
            .indexing(Some(&st.search))
            .document(&doc.graph, &source)
            .map_err(|e| match e {
                IngestError::NoRecords { .. } => AppError::refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "the body holds no dcat:Dataset, dcat:DataService or dcat:DatasetSeries",
                ),
                e => e.into(),
            })?;
        if !outcome.rejected.is_empty() {
            return Err(AppError::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "not valid against the {} profile: nothing was stored",
                    st.validation.default.name
                ),
            )
            .with_field("rejected", json!(outcome.rejected)));
        }
        let ids: Vec<&str> = outcome.report.records.iter().map(|r| r.id.as_str()).collect();
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
    let id =
        LocalId::new(id).map_err(|_| AppError::refused(StatusCode::NOT_FOUND, "no such record"))?;
    blocking(move || {
        let by = source_of(&provider);
        let _turn = state.store.decision_turn();
        let Some(record) = state.store.get(&id)? else {
            return Err(AppError::refused(
                StatusCode::NOT_FOUND,
                format!("no record {}", id.as_str()),
            ));
        };
        if record.meta.source != by.id {
            return Err(AppError::refused(
                StatusCode::FORBIDDEN,
                format!(
                    "{} belongs to another source ({}); a provider deletes only its own records",
                    id.as_str(),
                    record.meta.source
                ),
            ));
        }
        let behind = state.search.behind()?;
        state.store.withdraw(&id, &by)?;
        state
            .search
            .refresh(&state.store, std::slice::from_ref(&id))?;
        behind.caught_up();
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

#[cfg(test)]
mod tests;
