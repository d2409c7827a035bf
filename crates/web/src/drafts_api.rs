//! Drafts over the API (issue #8): `POST /api/drafts` keeps a description aside — invisible to
//! search, pages, DCAT, SPARQL and exports, because it is not in the store at all (see
//! [`healthcat_ingest::drafts`]) — `GET /api/drafts`, `GET|PUT|DELETE /api/drafts/{id}`, and
//! `POST /api/drafts/{id}/publish`, which validates and stores it like `POST`/`PUT
//! /api/datasets` (422 with the report; a record that exists needs its `If-Match`). Readers may
//! read drafts; editors see and change those of their publishers.

use crate::routes::{AppState, Internal, blocking};
use crate::write_api::{Refusal, editable, parse, publishers, store_doc, writer};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use healthcat_auth::{Principal, Role};
use healthcat_ingest::drafts::{Draft, Drafts};
use healthcat_store::Format;
use serde_json::json;
use std::sync::Arc;

/// The drafts folder, or the refusal when the server was given no data directory.
pub(crate) fn drafts(state: &AppState) -> Result<Arc<Drafts>, Refusal> {
    state.drafts.clone().ok_or_else(|| {
        Refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "drafts are kept in the data directory, which this server was not given".into(),
        )
    })
}

/// Anyone with a key may read drafts; editors only those of their publishers.
fn reader(state: &AppState, headers: &HeaderMap) -> Result<Principal, Refusal> {
    match state.auth.0.authenticate(headers) {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(Refusal(
            StatusCode::UNAUTHORIZED,
            "send an API key (Authorization: Bearer hc_…) to read drafts".into(),
        )),
        Err(e) => Err(Refusal(StatusCode::UNAUTHORIZED, e)),
    }
}

/// The caller (a writer, or anyone with a key when `write` is false) and the drafts.
fn open(
    state: &AppState,
    headers: &HeaderMap,
    write: bool,
) -> Result<(Principal, Arc<Drafts>), Refusal> {
    let who = if write {
        writer(state, headers)?
    } else {
        reader(state, headers)?
    };
    Ok((who, drafts(state)?))
}

pub(crate) fn visible(who: &Principal, d: &Draft) -> bool {
    who.role != Role::Editor || who.may_edit(d.publishers.iter().map(String::as_str))
}

fn summary(d: &Draft) -> serde_json::Value {
    json!({
        "id": d.id, "records": d.records, "publishers": d.publishers,
        "created": d.created, "created_by": d.created_by,
        "updated": d.updated, "updated_by": d.updated_by,
    })
}

/// A draft of a parsed description (its graph and the records it describes), or the refusal.
pub(crate) fn draft_of(
    who: &Principal,
    (doc, keys): (healthcat_store::DocGraph, Vec<String>),
    id: String,
    before: Option<&Draft>,
) -> Result<Draft, Refusal> {
    let mut scope = Vec::new();
    for key in &keys {
        let p = publishers(doc.iter(), key);
        if !who.may_edit(p.iter().map(String::as_str)) {
            return Err(Refusal(
                StatusCode::FORBIDDEN,
                format!(
                    "{key}: {} may only write records published by {}",
                    who.name,
                    who.publishers.join(", ")
                ),
            ));
        }
        scope.extend(p);
    }
    scope.sort();
    scope.dedup();
    let content = healthcat_store::write_triples(doc.iter(), Vec::new(), Format::NTriples)
        .map_err(|e| Refusal(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let now = jiff::Timestamp::now().to_string();
    Ok(Draft {
        id,
        records: keys,
        publishers: scope,
        created_by: before.map_or(who.name.clone(), |b| b.created_by.clone()),
        updated_by: who.name.clone(),
        created: before.map_or(now.clone(), |b| b.created.clone()),
        updated: now,
        content: String::from_utf8_lossy(&content).into_owned(),
        base: before.and_then(|b| b.base.clone()),
    })
}

/// A new draft's id: time-derived, so that ids sort as they were made; unique enough for one
/// catalogue.
pub(crate) fn new_id() -> String {
    format!("{:x}", jiff::Timestamp::now().as_nanosecond())
}

/// `POST /api/drafts`
pub(crate) async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    let (who, store) = match open(&state, &headers, true) {
        Ok(x) => x,
        Err(r) => return Ok(r.into_response()),
    };
    blocking(move || {
        let draft = match parse(&headers, &body, state.input)
            .and_then(|p| draft_of(&who, p, new_id(), None))
        {
            Ok(d) => d,
            Err(r) => return Ok(r.into_response()),
        };
        store.save(&draft).map_err(|e| e.to_string())?;
        Ok((StatusCode::CREATED, Json(summary(&draft))).into_response())
    })
    .await
}

/// `GET /api/drafts`
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let (who, store) = match open(&state, &headers, false) {
        Ok(x) => x,
        Err(r) => return Ok(r.into_response()),
    };
    blocking(move || {
        let all = store.list().map_err(|e| e.to_string())?;
        let mine: Vec<_> = all
            .iter()
            .filter(|d| visible(&who, d))
            .map(summary)
            .collect();
        Ok(Json(json!({ "drafts": mine })).into_response())
    })
    .await
}

/// The draft `id` if `who` may see it.
fn find(store: &Drafts, who: &Principal, id: &str) -> Result<Result<Draft, Refusal>, String> {
    Ok(match store.get(id).map_err(|e| e.to_string())? {
        Some(d) if visible(who, &d) => Ok(d),
        _ => Err(Refusal(StatusCode::NOT_FOUND, format!("no draft {id}"))),
    })
}

/// `GET /api/drafts/{id}`: its N-Triples.
pub(crate) async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let (who, store) = match open(&state, &headers, false) {
        Ok(x) => x,
        Err(r) => return Ok(r.into_response()),
    };
    blocking(move || {
        Ok(match find(&store, &who, &id)? {
            Ok(d) => (
                [(header::CONTENT_TYPE, "application/n-triples; charset=utf-8")],
                d.content,
            )
                .into_response(),
            Err(r) => r.into_response(),
        })
    })
    .await
}

/// `PUT /api/drafts/{id}`
pub(crate) async fn replace(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    let (who, store) = match open(&state, &headers, true) {
        Ok(x) => x,
        Err(r) => return Ok(r.into_response()),
    };
    blocking(move || {
        let before = match find(&store, &who, &id)? {
            Ok(d) => d,
            Err(r) => return Ok(r.into_response()),
        };
        let draft = match parse(&headers, &body, state.input)
            .and_then(|p| draft_of(&who, p, id, Some(&before)))
        {
            Ok(d) => d,
            Err(r) => return Ok(r.into_response()),
        };
        store.save(&draft).map_err(|e| e.to_string())?;
        Ok(Json(summary(&draft)).into_response())
    })
    .await
}

/// `DELETE /api/drafts/{id}`
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let (who, store) = match open(&state, &headers, true) {
        Ok(x) => x,
        Err(r) => return Ok(r.into_response()),
    };
    blocking(move || {
        Ok(match find(&store, &who, &id)? {
            Ok(_) => {
                store.remove(&id).map_err(|e| e.to_string())?;
                StatusCode::NO_CONTENT.into_response()
            }
            Err(r) => r.into_response(),
        })
    })
    .await
}

/// `POST /api/drafts/{id}/publish`
pub(crate) async fn publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let why = crate::write_api::comment(&uri);
    let (who, store) = match open(&state, &headers, true) {
        Ok(x) => x,
        Err(r) => return Ok(r.into_response()),
    };
    let _turn = state.providers.write.lock().await;
    let st = state.clone();
    blocking(move || {
        let draft = match find(&store, &who, &id)? {
            Ok(d) => d,
            Err(r) => return Ok(r.into_response()),
        };
        // A draft of a record that exists replaces it: only from the version it was based on.
        let mut existing = false;
        for key in &draft.records {
            if let Some(m) = st.store.record_by_key(key).map_err(|e| e.to_string())? {
                let local = m
                    .local_id
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default();
                if let Err(r) = editable(&st, &who, &local, &headers, true)? {
                    return Ok(r.into_response());
                }
                existing = true;
            }
        }
        let (doc, _) = match crate::write_api::parse_as(
            Format::NTriples,
            draft.content.as_bytes(),
            st.input,
        ) {
            Ok(p) => p,
            Err(r) => return Ok(r.into_response()),
        };
        let status = if existing {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        let res = store_doc(&st, &who, &doc, false, status, why)?;
        if res.status().is_success() {
            store.remove(&id).map_err(|e| e.to_string())?;
        }
        Ok(res)
    })
    .await
}

#[cfg(test)]
mod tests;
