//! The annual review over the API (EHDS Art. 60(3)): `GET /api/review` (every record with its
//! last confirmation, when it is due and overdue, and the counts per holder and per source;
//! `?state=due|overdue|current`, `?holder=`, `?source=` keep some records; `?at=` a date: the
//! review as it will be then) and
//! `POST /api/datasets/{id}/confirm` (an editor of the record's publisher, or an administrator,
//! says it is still accurate as it is). Both need an API key: who is late is the health data
//! access body's business, not the public's.

use crate::kernel::extract::{Caller, Params, Writer};
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use healthcat_review::{State as ReviewState, overview};
use serde_json::{Value, json};

/// `GET /api/review`
pub(crate) async fn review(
    State(state): State<AppState>,
    _: Caller,
    params: Params,
) -> Result<Json<Value>, AppError> {
    let wanted = match params.get("state") {
        None => None,
        Some("current") => Some(ReviewState::Current),
        Some("due") => Some(ReviewState::Due),
        Some("overdue") => Some(ReviewState::Overdue),
        Some(v) => {
            return Err(AppError::bad_request(format!(
                "state={v:?}: say current, due or overdue"
            )));
        }
    };
    let at = params.review_time()?;
    let holder = params.get("holder").map(str::to_owned);
    let source = params.get("source").map(str::to_owned);
    blocking(move || {
        let mut o = overview(&state.store, at, &state.review.policy).map_err(AppError::internal)?;
        o.entries.retain(|e| {
            wanted.is_none_or(|s| e.state == s)
                && holder
                    .as_deref()
                    .is_none_or(|h| e.holder.as_deref() == Some(h))
                && source.as_deref().is_none_or(|s| e.source == s)
        });
        Ok(Json(json!(o)))
    })
    .await
}

/// `POST /api/datasets/{id}/confirm`
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    blocking(move || {
        let c = state.edits().confirm(&who, &id, jiff::Timestamp::now())?;
        Ok(Json(json!({ "id": id, "confirmed": c })))
    })
    .await
}
