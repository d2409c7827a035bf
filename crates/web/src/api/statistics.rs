//! `GET /api/statistics[?dataset=ID|publisher=IRI][&from=&to=]`: the usage figures of the
//! catalogue, a dataset or a data holder, per day and in total (the last 30 days by default; at
//! most 1,100 days). Public, like the statistics pages.

use crate::kernel::extract::Params;
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use healthcat_usage::{Period, figures};
use serde_json::{Value, json};

/// `GET /api/statistics`
pub(crate) async fn statistics(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, AppError> {
    let period = Period::parse(params.get("from"), params.get("to"), Period::today(), 30)
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    let scope = match (params.get("dataset"), params.get("publisher")) {
        (Some(_), Some(_)) => {
            return Err(AppError::bad_request("give dataset or publisher, not both"));
        }
        (Some(id), None) => format!("dataset:{id}"),
        (None, Some(iri)) => format!("publisher:{iri}"),
        (None, None) => "catalogue".to_owned(),
    };
    let s = scope.clone();
    let (days, total) =
        blocking(move || figures::daily(&state.store, &s, &period).map_err(AppError::internal))
            .await?;
    Ok(Json(json!({
        "scope": scope,
        "from": period.from.to_string(),
        "to": period.to.to_string(),
        "total": total,
        "days": days.into_iter().map(|(day, f)| json!({ "day": day, "figures": f })).collect::<Vec<_>>(),
    })))
}
