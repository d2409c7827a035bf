//! A record's history page (`/edit/datasets/{id}/history`): each revision — who or which source,
//! when, the triples it added and removed — and a button restoring the record as it was right
//! after that revision (a new revision itself, validated like any edit, refused when the record
//! changed since the page was shown).

use super::{form_post, page_session, value};
use crate::routes::{AppState, Internal, blocking};
use crate::write_api::{editable, store_version};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_model::LocalId;
use serde_json::json;

/// An N-Triples line with the IRIs healthcat knows a prefix for written short.
fn compact_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        out.push_str(&rest[..start]);
        let iri = &rest[start + 1..start + len];
        out.push_str(&healthcat_model::labels::compact(iri));
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out.trim_end_matches(" .").to_owned()
}

/// `GET /edit/datasets/{id}/history`
pub(crate) async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let (req, s) = match page_session(&state, uri, &headers) {
        Ok(x) => x,
        Err(r) => return Ok(*r),
    };
    let Ok(local) = LocalId::new(id.clone()) else {
        return crate::site::pages::not_found_for(&state, &req);
    };
    let st = state.clone();
    let who = s.principal.clone();
    let rid = id.clone();
    let (revisions, current) = blocking(move || {
        let revisions = st.store.history(&local).map_err(|e| e.to_string())?;
        // The current version's ETag, when this person may restore.
        let current = editable(&st, &who, &rid, &HeaderMap::new(), false)?
            .ok()
            .map(|r| r.meta.hash);
        Ok((revisions, current))
    })
    .await?;
    if revisions.is_empty() {
        return crate::site::pages::not_found_for(&state, &req);
    }
    let newest = revisions.first().map(|r| r.id.clone());
    let items: Vec<_> = revisions
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "time": r.time, "change": format!("{:?}", r.change).to_lowercase(),
                "source": r.source, "origin": r.origin, "comment": r.comment,
                "added": r.added.iter().map(|l| compact_line(l)).collect::<Vec<_>>(),
                "removed": r.removed.iter().map(|l| compact_line(l)).collect::<Vec<_>>(),
                "restorable": current.is_some() && Some(&r.id) != newest.as_ref()
                    && !matches!(r.change, healthcat_store::Change::Withdrawn),
            })
        })
        .collect();
    let restored = req.params.iter().any(|(k, _)| k == "restored");
    let ctx = json!({
        "id": id, "revisions": items, "etag": current, "csrf": s.csrf, "restored": restored,
    });
    let mut res = req.page(&state, StatusCode::OK, "history.html", "edit", ctx)?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `POST /edit/datasets/{id}/restore` (form: `csrf`, `revision`, `etag`)
pub(crate) async fn restore(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    let (req, form, s) = match form_post(&state, uri, &headers, &body) {
        Ok(x) => x,
        Err(r) => return Ok(*r),
    };
    let revision = value(&form, "revision").unwrap_or("").to_owned();
    // The version the page showed: a record changed since is not restored over.
    let mut expect = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", value(&form, "etag").unwrap_or(""))) {
        expect.insert(header::IF_MATCH, v);
    }
    let _turn = state.providers.write.lock().await;
    let st = state.clone();
    let who = s.principal.clone();
    let rid = id.clone();
    let outcome = blocking(move || {
        let record = match editable(&st, &who, &rid, &expect, true)? {
            Ok(r) => r,
            Err(r) => return Ok(Err((r.0, r.1))),
        };
        let Some(local) = record.meta.local_id.clone() else {
            return Err(format!("{rid} has no local id"));
        };
        let Some(text) = st
            .store
            .version_at(&local, &revision)
            .map_err(|e| e.to_string())?
        else {
            return Ok(Err((
                StatusCode::NOT_FOUND,
                format!("no revision {revision:?}"),
            )));
        };
        let why = Some(format!("restored the version of {revision}"));
        let res = store_version(&st, &who, &record, text.as_bytes(), why)?;
        if res.status().is_success() {
            st.auth
                .0
                .audit(&who, &format!("restore {rid} to {revision}"));
            Ok(Ok(()))
        } else {
            Ok(Err((res.status(), String::new())))
        }
    })
    .await?;
    match outcome {
        Ok(()) => {
            Ok(Redirect::to(&format!("/edit/datasets/{id}/history?restored=1")).into_response())
        }
        Err((status, detail)) => {
            let message = match status {
                StatusCode::PRECONDITION_FAILED => req.t(&state, "history_changed_since"),
                StatusCode::UNPROCESSABLE_ENTITY => req.t(&state, "history_invalid"),
                _ => detail,
            };
            req.error(
                &state,
                status,
                &req.t(&state, "history_not_restored"),
                &message,
            )
        }
    }
}
