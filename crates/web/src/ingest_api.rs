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
//! Writes go one at a time, so the ownership check and the write cannot interleave with another
//! push.

use crate::routes::{AppState, Internal, blocking};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use healthcat_ingest::{Ingest, IngestError, NotOwned, Stewardship};
use healthcat_model::LocalId;
use healthcat_store::{Format, Source, parse_slice};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Largest push body.
pub const MAX_BODY: usize = 10 << 20;

/// The providers allowed to push, by the SHA-256 of their key.
#[derive(Default)]
pub struct Providers {
    keys: Vec<(String, [u8; 32])>,
    /// Serialises pushes and the write API's requests (see the module doc).
    pub(crate) write: tokio::sync::Mutex<()>,
}

impl Providers {
    /// Providers from (id, lower-case hex SHA-256 of the key); a malformed hash is an error
    /// naming the provider.
    pub fn new(entries: &[(String, String)]) -> Result<Self, String> {
        let mut keys = Vec::new();
        for (id, hex) in entries {
            let bytes: Option<Vec<u8>> = (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|b| u8::from_str_radix(b, 16).ok())
                })
                .collect();
            let hash: [u8; 32] = bytes.and_then(|b| b.try_into().ok()).ok_or_else(|| {
                format!("[[ingest.providers]] {id}: key_sha256 must be 64 hexadecimal digits")
            })?;
            keys.push((id.clone(), hash));
        }
        Ok(Self {
            keys,
            write: Default::default(),
        })
    }

    fn provider(&self, headers: &HeaderMap) -> Option<&str> {
        let key = headers.get("x-api-key")?.to_str().ok()?;
        let hash: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        self.keys
            .iter()
            .find(|(_, h)| *h == hash)
            .map(|(id, _)| id.as_str())
    }
}

fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn who(state: &AppState, headers: &HeaderMap) -> Option<String> {
    state.providers.provider(headers).map(str::to_owned)
}

fn unauthorized() -> Response {
    problem(
        StatusCode::UNAUTHORIZED,
        "send a provider's key in X-API-Key ([[ingest.providers]] in the configuration)",
    )
}

fn source_of(provider: &str) -> String {
    format!("push:{provider}")
}

/// `GET /api-keys/whoami`
pub(crate) async fn whoami(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match who(&state, &headers) {
        Some(p) => Json(json!({ "provider": p })).into_response(),
        None => unauthorized(),
    }
}

/// `POST /ingest/datasets`
pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    push(state, headers, body, None).await
}

/// `PUT /ingest/datasets/origin?originalId=…`
pub(crate) async fn replace(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    let original = crate::site::query_pairs(&uri)
        .into_iter()
        .find(|(k, _)| k == "originalId")
        .map(|(_, v)| v);
    let Some(original) = original else {
        return Ok(problem(
            StatusCode::BAD_REQUEST,
            "originalId is required: the IRI of the record to replace",
        ));
    };
    push(state, headers, body, Some(original)).await
}

async fn push(
    state: AppState,
    headers: HeaderMap,
    body: Bytes,
    replacing: Option<String>,
) -> Result<Response, Internal> {
    let Some(provider) = who(&state, &headers) else {
        return Ok(unauthorized());
    };
    let media =
        crate::negotiate::content_type(&headers).unwrap_or_else(|| "text/turtle".to_owned());
    let Some(format) = Format::from_media_type(&media) else {
        return Ok(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "{media} is not an RDF syntax healthcat reads: send text/turtle (or RDF/XML, JSON-LD, N-Triples)"
            ),
        ));
    };
    let _turn = state.providers.write.lock().await;
    let st = state.clone();
    let answer = blocking(move || {
        let doc = match parse_slice(body.as_ref(), format, "request body", &st.parse_options()) {
            Ok(d) => d,
            Err(e) => return Ok(problem(StatusCode::BAD_REQUEST, e.to_string())),
        };
        let units = match healthcat_store::split(&doc.graph) {
            Ok(u) => u,
            Err(e) => return Ok(problem(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
        };
        let keys: Vec<&str> = units
            .iter()
            .filter(|u| u.is_record())
            .map(|u| u.key.as_str())
            .collect();
        if let Some(original) = &replacing {
            match st.store.record_by_key(original).map_err(|e| e.to_string())? {
                None => {
                    return Ok(problem(
                        StatusCode::NOT_FOUND,
                        format!("no record {original} here: create it with POST /ingest/datasets"),
                    ));
                }
                Some(_) if !keys.contains(&original.as_str()) => {
                    return Ok(problem(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("the body does not describe {original}"),
                    ));
                }
                Some(_) => {}
            }
        }
        // Every record must be new or already this provider's.
        for key in &keys {
            if let Some(meta) = st.store.record_by_key(key).map_err(|e| e.to_string())?
                && meta.source != source_of(&provider)
            {
                return Ok(problem(
                    StatusCode::FORBIDDEN,
                    format!("{key} belongs to another source ({}); a provider changes only its own records", meta.source),
                ));
            }
        }
        let source = Source {
            id: source_of(&provider),
            origin: format!("push:{provider}"),
            run: None,
            comment: None,
        };
        let outcome = Ingest::new(&st.store)
            .validating(Some(&st.validation.default), false, "en")
            .all_or_nothing()
            .stewardship(Stewardship::OwnSource, NotOwned::Refuse)
            .indexing(Some(&st.search))
            .document(&doc.graph, &source);
        let outcome = match outcome {
            Ok(o) => o,
            Err(IngestError::NoRecords { .. }) => {
                return Ok(problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "the body holds no dcat:Dataset, dcat:DataService or dcat:DatasetSeries",
                ));
            }
            Err(e @ IngestError::NotYours(_)) => {
                return Ok(problem(StatusCode::FORBIDDEN, e.to_string()));
            }
            Err(e @ IngestError::Split(_)) => {
                return Ok(problem(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()));
            }
            Err(e) => return Err(e.to_string()),
        };
        if !outcome.rejected.is_empty() {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({
                    "error": format!("not valid against the {} profile: nothing was stored", st.validation.default.name),
                    "rejected": outcome.rejected,
                })),
            )
                .into_response());
        }
        let ids: Vec<&str> = outcome.report.records.iter().map(|r| r.id.as_str()).collect();
        let status = if replacing.is_some() {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        Ok((status, Json(json!({ "id": ids.first(), "ids": ids }))).into_response())
    })
    .await?;
    Ok(answer)
}

/// `DELETE /ingest/datasets/{id}`
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let Some(provider) = who(&state, &headers) else {
        return Ok(unauthorized());
    };
    let Ok(id) = LocalId::new(id) else {
        return Ok(problem(StatusCode::NOT_FOUND, "no such record"));
    };
    let _turn = state.providers.write.lock().await;
    let st = state.clone();
    blocking(move || {
        let Some(record) = st.store.get(&id).map_err(|e| e.to_string())? else {
            return Ok(problem(
                StatusCode::NOT_FOUND,
                format!("no record {}", id.as_str()),
            ));
        };
        if record.meta.source != source_of(&provider) {
            return Ok(problem(
                StatusCode::FORBIDDEN,
                format!(
                    "{} belongs to another source ({}); a provider deletes only its own records",
                    id.as_str(),
                    record.meta.source
                ),
            ));
        }
        let by = Source {
            id: source_of(&provider),
            origin: format!("push:{provider}"),
            run: None,
            comment: None,
        };
        st.store.withdraw(&id, &by).map_err(|e| e.to_string())?;
        st.search
            .refresh(&st.store, std::slice::from_ref(&id))
            .map_err(|e| e.to_string())?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}

#[cfg(test)]
mod tests;
