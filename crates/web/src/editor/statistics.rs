//! The biennial usage report (EHDS Art. 59) for signed-in editors and administrators:
//! `/edit/statistics/report?from=&to=&format=xlsx` (the whole workbook) or
//! `format=csv&table=summary|datasets|holders|labels|records` (one table), in the reader's
//! language, for the last two years by default. Built by `healthcat_usage::report`.

use crate::kernel::extract::{EditorSession, Params};
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_usage::Period;
use healthcat_usage::report::{Report, TABLES};

/// `GET /edit/statistics/report`
pub(crate) async fn report(
    State(state): State<AppState>,
    EditorSession(_): EditorSession,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let lang = req.lang;
    let params = Params(req.params.clone());
    let period = Period::parse(params.get("from"), params.get("to"), Period::today(), 730)
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    let format = params.get("format").unwrap_or("xlsx").to_owned();
    if format != "xlsx" && format != "csv" {
        return Err(AppError::bad_request(format!(
            "format: '{format}' is not offered; give xlsx or csv"
        )));
    }
    let table = params.get("table").unwrap_or("summary").to_owned();
    if !TABLES.contains(&table.as_str()) {
        return Err(AppError::bad_request(format!(
            "table: '{table}' is not one of {}",
            TABLES.join(", ")
        )));
    }
    let name = format!("usage-{}-{}", period.from, period.to);
    let st = state.clone();
    let (bytes, media_type, file) = blocking(move || {
        let spec = st.quality.label_spec_shared();
        let report = Report::build(&st.store, Some(&st.search), &spec, period, lang)
            .map_err(AppError::internal)?;
        Ok(if format == "xlsx" {
            (
                report.to_xlsx().map_err(AppError::internal)?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                format!("{name}.xlsx"),
            )
        } else {
            (
                report
                    .write_csv(&table, Vec::new())
                    .map_err(AppError::internal)?,
                "text/csv; charset=utf-8",
                format!("{name}-{table}.csv"),
            )
        })
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
