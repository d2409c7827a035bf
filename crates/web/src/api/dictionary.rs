//! `PUT /api/datasets/{id}/dictionary`: a data steward's CSV or XLSX data dictionary (one row per
//! variable, `Content-Type: text/csv` or the XLSX media type; the template is at
//! `/templates/dictionary.xlsx` and `.csv`) becomes the record's CSVW table group, replacing the
//! one it had — with the same checks as `PUT /api/datasets/{id}` (an API key of the record's
//! publisher, `If-Match`, validation with the profile). A file with problems is refused whole
//! (422) with every problem's sheet, row and column in `problems`; nothing is written.

use super::datasets::{if_match, on_record, written};
use crate::kernel::extract::{Params, Writer};
use crate::kernel::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use healthcat_dictionary::{Format, Limits};

/// `PUT /api/datasets/{id}/dictionary`
pub(crate) async fn replace(
    State(state): State<AppState>,
    Writer(who): Writer,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Some(format) = Format::of(&media_type, "") else {
        return Err(AppError::refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Content-Type {media_type:?}: send the dictionary as text/csv or {} (templates: /templates/dictionary.csv, /templates/dictionary.xlsx)",
                healthcat_dictionary::XLSX_MEDIA_TYPE
            ),
        ));
    };
    on_record(
        state,
        who,
        id,
        if_match(&headers),
        true,
        move |edits, who, record| {
            let variables = healthcat_dictionary::read(&body, format, &Limits::default())?;
            let w = edits.replace_dictionary(who, &record, &variables, params.comment())?;
            Ok(written(StatusCode::OK, &w))
        },
    )
    .await
}

#[cfg(test)]
mod tests;
