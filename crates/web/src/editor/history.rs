//! A record's history page (`/edit/datasets/{id}/history`): each revision — who or which source,
//! when, the triples it added and removed — and a button restoring the record as it was right
//! after that revision (a new revision itself, validated like any edit, refused when the record
//! changed since the page was shown).

use crate::kernel::extract::{CsrfForm, EditorSession};
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_ingest::edit::{EditError, Precondition};
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
    EditorSession(s): EditorSession,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let local = LocalId::new(id.clone()).map_err(|_| AppError::not_found())?;
    let st = state.clone();
    let who = s.principal.clone();
    let rid = id.clone();
    let (revisions, current) = blocking(move || {
        let revisions = st.store.history(&local)?;
        // The current version's ETag, when this person may restore.
        let current = match st.edits().editable(&who, &rid, Precondition::None) {
            Ok(r) => Some(r.meta.hash),
            Err(e) if e.is_refusal() => None,
            Err(e) => return Err(e.into()),
        };
        Ok((revisions, current))
    })
    .await?;
    if revisions.is_empty() {
        return Err(AppError::not_found());
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
    req.private_page(&state, StatusCode::OK, "history.html", "edit", ctx)
}

/// `POST /edit/datasets/{id}/restore` (form: `csrf`, `revision`, `etag`)
pub(crate) async fn restore(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, AppError> {
    let revision = form.get("revision").unwrap_or("").to_owned();
    // The version the page showed: a record changed since is not restored over.
    let expect = format!("\"{}\"", form.get("etag").unwrap_or(""));
    let who = form.session.principal;
    let rid = id.clone();
    let outcome = blocking(move || {
        let edits = state.edits();
        let _turn = state.store.decision_turn();
        let pre = Precondition::IfMatch {
            value: Some(&expect),
            required: true,
        };
        let done = edits.editable(&who, &rid, pre).and_then(|record| {
            let why = Some(format!("restored the version of {revision}"));
            edits.restore(&who, &record, &revision, why)
        });
        match done {
            Ok(_) => Ok(Ok(())),
            Err(e) if e.is_refusal() => Ok(Err(e)),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    match outcome {
        Ok(()) => {
            Ok(Redirect::to(&format!("/edit/datasets/{id}/history?restored=1")).into_response())
        }
        Err(e) => {
            let key = if matches!(e, EditError::Changed { .. }) {
                Some("history_changed_since")
            } else if matches!(e, EditError::Invalid { .. }) {
                Some("history_invalid")
            } else {
                None
            };
            let refused = AppError::from(e);
            Err(match key {
                Some(key) => AppError::page(refused.status(), "history_not_restored", key),
                None => refused.with_heading("history_not_restored"),
            })
        }
    }
}
