//! `GET /api/harvest` (the sources with their last run) and `GET /api/harvest/{id}` (a source's
//! recent runs and one run's report: the last, or `?run=`). The same as the harvest pages show.

use crate::kernel::extract::Params;
use crate::kernel::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// `GET /api/harvest`
pub(crate) async fn list(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "sources": state.harvest.summaries() }))
}

/// `GET /api/harvest/{id}` (`?run=run-….json` for an older report)
pub(crate) async fn source(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, AppError> {
    state
        .harvest
        .detail(&id, params.get("run"))
        .map(Json)
        .ok_or_else(|| {
            AppError::refused(
                StatusCode::NOT_FOUND,
                format!("no harvest source {id:?} (or no such run)"),
            )
        })
}
