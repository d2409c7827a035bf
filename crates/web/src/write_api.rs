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

use crate::routes::{AppState, Internal, blocking};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_auth::{Principal, Role};
use healthcat_ingest::{Ingest, IngestError, NotOwned, Stewardship};
use healthcat_model::LocalId;
use healthcat_model::vocab::dct;
use healthcat_store::{
    DocGraph, Format, InputLimits, ParseOptions, Source, StoredRecord, parse_slice, split,
};
use oxrdf::TermRef;
use serde_json::json;
use std::sync::Arc;

/// Who may write: the authenticator (API keys today), shared by every handler.
#[derive(Clone)]
pub struct Auth(pub Arc<dyn healthcat_auth::Authenticator>);

impl Default for Auth {
    fn default() -> Self {
        Self(Arc::new(healthcat_auth::Nobody))
    }
}

fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// A refused request: its status and what to tell the client.
pub(crate) struct Refusal(pub(crate) StatusCode, pub(crate) String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        problem(self.0, self.1)
    }
}

/// The writer, or the response refusing the request.
pub(crate) fn writer(state: &AppState, headers: &HeaderMap) -> Result<Principal, Refusal> {
    match state.auth.0.authenticate(headers) {
        Ok(Some(p)) if p.role == Role::Reader => Err(Refusal(StatusCode::FORBIDDEN,
            format!("the key of {} may read drafts, not write", p.name),
        )),
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(Refusal(StatusCode::UNAUTHORIZED,
            "send an API key (Authorization: Bearer hc_…); an administrator makes one with `healthcat keys create`".into(),
        )),
        Err(e) => Err(Refusal(StatusCode::UNAUTHORIZED, e)),
    }
}

fn force(uri: &Uri) -> bool {
    crate::site::query_pairs(uri)
        .iter()
        .any(|(k, v)| k == "force" && v == "true")
}

/// `?comment=`: why, kept with the revision.
pub(crate) fn comment(uri: &Uri) -> Option<String> {
    crate::site::query_pairs(uri)
        .into_iter()
        .find(|(k, _)| k == "comment")
        .map(|(_, v)| v)
        .filter(|v| !v.trim().is_empty())
}

/// The `dct:publisher` IRIs of `root` in `triples`.
pub(crate) fn publishers<'a>(
    triples: impl Iterator<Item = oxrdf::TripleRef<'a>>,
    root: &str,
) -> Vec<String> {
    triples
        .filter(|t| t.predicate == dct::PUBLISHER && t.subject.to_string() == format!("<{root}>"))
        .filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// The body parsed, and the keys of the records it describes (400 / 415 / 422 otherwise).
pub(crate) fn parse(
    headers: &HeaderMap,
    body: &[u8],
    limits: InputLimits,
) -> Result<(DocGraph, Vec<String>), Refusal> {
    let media = crate::negotiate::content_type(headers).unwrap_or_else(|| "text/turtle".to_owned());
    let Some(format) = Format::from_media_type(&media) else {
        return Err(Refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "{media} is not an RDF syntax healthcat reads: send text/turtle, application/rdf+xml, application/ld+json or application/n-triples"
            ),
        ));
    };
    parse_as(format, body, limits)
}

/// `body` parsed as `format`, and the keys of the records it describes.
pub(crate) fn parse_as(
    format: Format,
    body: &[u8],
    limits: InputLimits,
) -> Result<(DocGraph, Vec<String>), Refusal> {
    let options = ParseOptions {
        limits,
        ..ParseOptions::default()
    };
    let doc = parse_slice(body, format, "request body", &options)
        .map_err(|e| Refusal(StatusCode::BAD_REQUEST, e.to_string()))?;
    let units = split(&doc.graph).map_err(|e| Refusal(StatusCode::BAD_REQUEST, e.to_string()))?;
    let keys: Vec<String> = units
        .iter()
        .filter(|u| u.is_record())
        .map(|u| u.key.clone())
        .collect();
    if keys.is_empty() {
        return Err(Refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the body holds no dcat:Dataset, dcat:DataService or dcat:DatasetSeries".into(),
        ));
    }
    Ok((doc.graph, keys))
}

/// Validates and stores `doc` as written by `who`; the response for the client.
pub(crate) fn store_doc(
    st: &AppState,
    who: &Principal,
    doc: &DocGraph,
    force: bool,
    status: StatusCode,
    comment: Option<String>,
) -> Result<Response, String> {
    let source = Source {
        id: "local".into(),
        origin: format!(
            "{}:{}",
            if who.via.starts_with("account:") {
                "editor"
            } else {
                "api"
            },
            who.name
        ),
        run: None,
        comment,
    };
    // Shared resources and catalogues: an administrator's write may change any, an editor's
    // only its publishers' (and new ones); see `Stewardship`.
    let stewardship = match who.role {
        Role::Admin => Stewardship::Any,
        _ => Stewardship::Publishers(who.publishers.clone()),
    };
    let outcome = Ingest::new(&st.store)
        .validating(Some(&st.validation.default), force, "en")
        .all_or_nothing()
        .stewardship(stewardship, NotOwned::Refuse)
        .indexing(Some(&st.search))
        .document(doc, &source);
    let outcome = match outcome {
        Ok(o) => o,
        Err(IngestError::NoRecords { .. }) => {
            return Ok(problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the body holds no record",
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
                "error": format!(
                    "not valid against the {} profile: nothing was stored{}",
                    st.validation.default.name,
                    if who.role == Role::Admin { " (an administrator may store it flagged with ?force=true)" } else { "" }
                ),
                "rejected": outcome.rejected,
            })),
        )
            .into_response());
    }
    let first = outcome.report.records.first().map(|r| r.id.clone());
    let ids: Vec<&str> = outcome
        .report
        .records
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let mut res = (
        status,
        Json(json!({ "id": first, "ids": ids, "flagged": outcome.flagged })),
    )
        .into_response();
    if let Some(id) = first.as_deref().and_then(|i| LocalId::new(i).ok())
        && let Some(r) = st.store.get(&id).map_err(|e| e.to_string())?
    {
        let h = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", r.meta.hash)) {
            h.insert(header::ETAG, v);
        }
        if let Ok(v) = HeaderValue::from_str(&format!("/datasets/{}", id.as_str())) {
            h.insert(header::LOCATION, v);
        }
    }
    st.auth.0.audit(
        who,
        &format!(
            "{} {}",
            if status == StatusCode::CREATED {
                "create"
            } else {
                "update"
            },
            ids.join(" ")
        ),
    );
    Ok(res)
}

/// `POST /api/datasets`
pub(crate) async fn create(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    let who = match writer(&state, &headers) {
        Ok(w) => w,
        Err(r) => return Ok(r.into_response()),
    };
    let force = force(&uri) && who.role == Role::Admin;
    let _turn = state.providers.write.lock().await;
    let st = state.clone();
    blocking(move || {
        let (doc, keys) = match parse(&headers, &body, st.input) {
            Ok(p) => p,
            Err(r) => return Ok(r.into_response()),
        };
        for key in &keys {
            if let Some(m) = st.store.record_by_key(key).map_err(|e| e.to_string())? {
                let id = m
                    .local_id
                    .map(|i| i.as_str().to_owned())
                    .unwrap_or_default();
                return Ok(problem(
                    StatusCode::CONFLICT,
                    format!("{key} exists: change it with PUT /api/datasets/{id}"),
                ));
            }
            if !who.may_edit(publishers(doc.iter(), key).iter().map(String::as_str)) {
                return Ok(problem(
                    StatusCode::FORBIDDEN,
                    format!(
                        "{key}: {} may only write records published by {}",
                        who.name,
                        who.publishers.join(", ")
                    ),
                ));
            }
        }
        store_doc(&st, &who, &doc, force, StatusCode::CREATED, comment(&uri))
    })
    .await
}

/// The stored record `id` if `who` may change it, else the refusal.
pub(crate) fn editable(
    st: &AppState,
    who: &Principal,
    id: &str,
    headers: &HeaderMap,
    need_if_match: bool,
) -> Result<Result<StoredRecord, Refusal>, String> {
    let Some(record) = LocalId::new(id.to_owned())
        .ok()
        .map(|id| st.store.get(&id))
        .transpose()
        .map_err(|e| e.to_string())?
        .flatten()
    else {
        return Ok(Err(Refusal(
            StatusCode::NOT_FOUND,
            format!("no record {id}"),
        )));
    };
    if record.meta.source != "local" {
        return Ok(Err(Refusal(
            StatusCode::FORBIDDEN,
            format!(
                "{id} comes from {} ({}): change it there — the next harvest or push would undo an edit made here",
                record.meta.source, record.meta.origin
            ),
        )));
    }
    let key = record.meta.key.clone();
    if !who.may_edit(
        publishers(record.graph.iter(), &key)
            .iter()
            .map(String::as_str),
    ) {
        return Ok(Err(Refusal(
            StatusCode::FORBIDDEN,
            format!(
                "{id}: {} may only change records published by {}",
                who.name,
                who.publishers.join(", ")
            ),
        )));
    }
    let etag = format!("\"{}\"", record.meta.hash);
    match headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        None if need_if_match => Ok(Err(Refusal(
            StatusCode::PRECONDITION_REQUIRED,
            format!(
                "send If-Match with the record's ETag (GET /datasets/{id}.ttl gives it): it is {etag}"
            ),
        ))),
        Some(m) if m.trim() != "*" && !m.split(',').any(|t| t.trim() == etag) => Ok(Err(Refusal(
            StatusCode::PRECONDITION_FAILED,
            format!(
                "{id} changed since that version (its ETag is now {etag}): read it again, then apply your change"
            ),
        ))),
        _ => Ok(Ok(record)),
    }
}

/// `PUT /api/datasets/{id}`
pub(crate) async fn replace(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    let who = match writer(&state, &headers) {
        Ok(w) => w,
        Err(r) => return Ok(r.into_response()),
    };
    let force = force(&uri) && who.role == Role::Admin;
    let why = comment(&uri);
    on_record(
        state,
        who,
        id,
        headers.clone(),
        true,
        move |st, who, record| {
            let (doc, keys) = match parse(&headers, &body, st.input) {
                Ok(p) => p,
                Err(r) => return Ok(r.into_response()),
            };
            replace_with(st, who, &record, &doc, &keys, force, why)
        },
    )
    .await
}

/// Runs `f` on record `id` once `who` may change it (see [`editable`]), in the API's write turn
/// and off the async threads.
pub(crate) async fn on_record(
    state: AppState,
    who: Principal,
    id: String,
    headers: HeaderMap,
    need_if_match: bool,
    f: impl FnOnce(&AppState, &Principal, StoredRecord) -> Result<Response, String> + Send + 'static,
) -> Result<Response, Internal> {
    let _turn = state.providers.write.lock().await;
    let st = state.clone();
    blocking(
        move || match editable(&st, &who, &id, &headers, need_if_match)? {
            Ok(record) => f(&st, &who, record),
            Err(r) => Ok(r.into_response()),
        },
    )
    .await
}

/// Stores `doc` as the new version of `record`, if it describes that record only and keeps it
/// within `who`'s publishers.
fn replace_with(
    st: &AppState,
    who: &Principal,
    record: &StoredRecord,
    doc: &DocGraph,
    keys: &[String],
    force: bool,
    comment: Option<String>,
) -> Result<Response, String> {
    if keys != [record.meta.key.clone()] {
        return Ok(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the body must describe {} and only it (it describes: {})",
                record.meta.key,
                keys.join(", ")
            ),
        ));
    }
    if !who.may_edit(
        publishers(doc.iter(), &record.meta.key)
            .iter()
            .map(String::as_str),
    ) {
        return Ok(problem(
            StatusCode::FORBIDDEN,
            format!(
                "{} may not give the record a publisher outside {}",
                who.name,
                who.publishers.join(", ")
            ),
        ));
    }
    store_doc(st, who, doc, force, StatusCode::OK, comment)
}

/// Stores an earlier version of `record` (N-Triples, from its history) as its new version.
pub(crate) fn store_version(
    st: &AppState,
    who: &Principal,
    record: &StoredRecord,
    ntriples: &[u8],
    comment: Option<String>,
) -> Result<Response, String> {
    // The version alone, then with what the catalogue holds of the resources it names (the
    // record's graph never held them), so that it validates as it did.
    let version = match parse_as(Format::NTriples, ntriples, st.input) {
        Ok((doc, _)) => doc.to_graph(),
        Err(r) => return Ok(r.into_response()),
    };
    let whole = st
        .store
        .with_shared_from(version, "local")
        .map_err(|e| e.to_string())?;
    let text = healthcat_store::write_graph(&whole, Vec::new(), Format::NTriples)
        .map_err(|e| e.to_string())?;
    match parse_as(Format::NTriples, &text, st.input) {
        Ok((doc, keys)) => replace_with(st, who, record, &doc, &keys, false, comment),
        Err(r) => Ok(r.into_response()),
    }
}

/// `DELETE /api/datasets/{id}`
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let who = match writer(&state, &headers) {
        Ok(w) => w,
        Err(r) => return Ok(r.into_response()),
    };
    let why = comment(&uri);
    on_record(
        state,
        who,
        id.clone(),
        headers,
        false,
        move |st, who, record| {
            let Some(local) = record.meta.local_id.clone() else {
                return Err(format!("{id} has no local id"));
            };
            let by = Source {
                id: "local".into(),
                origin: format!("api:{}", who.name),
                run: None,
                comment: why,
            };
            st.store.withdraw(&local, &by).map_err(|e| e.to_string())?;
            st.search
                .refresh(&st.store, std::slice::from_ref(&local))
                .map_err(|e| e.to_string())?;
            st.auth.0.audit(who, &format!("delete {id}"));
            Ok(StatusCode::NO_CONTENT.into_response())
        },
    )
    .await
}

#[cfg(test)]
pub(crate) mod tests;
