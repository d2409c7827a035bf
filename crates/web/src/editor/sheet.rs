//! The spreadsheet template in the editor: `GET /edit/sheet/{file}` downloads it (empty, or
//! with the datasets this person may change), and a `.xlsx` or `.csv` sent to `/edit/import`
//! becomes one draft per row ([`healthcat_ingest::sheet`]), with a report that places each
//! problem at its sheet, row and column, in the reader's language.

use super::form::{Translate, problem};
use crate::kernel::i18n::fill;
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_auth::Principal;
use healthcat_sheet::{Bound, Issue, Kind, Layout, Place, Problem, SheetError};
use serde_json::{Value, json};

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `GET /edit/sheet/{file}`: `template.xlsx`, `template.csv` (empty), `datasets.xlsx`,
/// `datasets.csv` (the catalogue's own datasets this person may change).
pub(crate) async fn download(
    State(state): State<AppState>,
    crate::kernel::extract::EditorSession(s): crate::kernel::extract::EditorSession,
    Path(file): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let (records, kind) = match file.as_str() {
        "template.xlsx" => (false, Kind::Xlsx),
        "template.csv" => (false, Kind::Csv),
        "datasets.xlsx" => (true, Kind::Xlsx),
        "datasets.csv" => (true, Kind::Csv),
        _ => return Err(AppError::not_found()),
    };
    let lang = req.lang;
    let st = state.clone();
    let who = s.principal.clone();
    let bytes = blocking(move || {
        let profile = st.validation.default.clone();
        let form = profile.form(DATASET);
        let layout = Layout::of(&form);
        let codes = |scheme: &str, l: &str| profile.codes(scheme, l);
        let list = if records {
            st.edits().sheet_records(Some(&who), &form)?
        } else {
            Vec::new()
        };
        Ok(match kind {
            Kind::Xlsx => healthcat_sheet::write_xlsx(&layout, &list, lang, &codes),
            Kind::Csv => healthcat_sheet::write_csv(&layout, &list, lang, &codes),
        })
    })
    .await?
    .map_err(|e| match e {
        SheetError::TooMany { .. } => {
            let t = |key: &str, args: &[(&str, &str)]| fill(&state.site.msg(lang, key), args);
            AppError::refused(StatusCode::UNPROCESSABLE_ENTITY, refusal(&e, &t))
        }
        e => AppError::internal(e),
    })?;
    let media_type = match kind {
        Kind::Xlsx => XLSX,
        Kind::Csv => "text/csv; charset=utf-8",
    };
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// What a problem's place says, in `t`'s words.
fn place(at: &Place, t: &Translate<'_>) -> String {
    let row = at.row.to_string();
    match &at.column {
        Some((letter, header)) if !header.is_empty() => t(
            "sheet_at_column",
            &[
                ("sheet", &at.sheet),
                ("row", &row),
                ("column", letter),
                ("header", header),
            ],
        ),
        Some((letter, _)) => t(
            "sheet_at_cell",
            &[("sheet", &at.sheet), ("row", &row), ("column", letter)],
        ),
        None => t("sheet_at_row", &[("sheet", &at.sheet), ("row", &row)]),
    }
}

/// What an issue says, in `t`'s words.
fn issue(i: &Issue, t: &Translate<'_>) -> String {
    match i {
        Issue::Merged { range } => t("sheet_merged", &[("range", range)]),
        Issue::Formula { formula } => t("sheet_formula", &[("formula", formula)]),
        Issue::CellError { error } => t("sheet_cell_error", &[("error", error)]),
        Issue::BadDate => t("sheet_bad_date", &[]),
        Issue::TooLong => t(
            "sheet_too_long",
            &[("max", &healthcat_sheet::MAX_CELL.to_string())],
        ),
        Issue::SecondColumn { key } => t("sheet_second_column", &[("key", key)]),
        Issue::UnknownColumn => t("sheet_unknown_column", &[]),
        Issue::MissingLanguage { key } => t("sheet_missing_language", &[("key", key)]),
        Issue::SecondSheet => t("sheet_second_sheet", &[]),
        Issue::UnknownSheet { sheets } => t("sheet_unknown_sheet", &[("sheets", sheets)]),
        Issue::NoAddress => t("sheet_no_address", &[]),
        Issue::NotHttp { iri } => t("sheet_not_http", &[("iri", iri)]),
        Issue::SecondRow { iri, row } => t(
            "sheet_second_row",
            &[("iri", iri), ("row", &row.to_string())],
        ),
        Issue::NoDataset => t("sheet_no_dataset", &[]),
        Issue::NotOnFirstSheet { iri } => t("sheet_not_on_first", &[("iri", iri)]),
        Issue::SeveralCodes { text, codes } => {
            t("sheet_several_codes", &[("text", text), ("codes", codes)])
        }
        Issue::NotACode { text } => t("sheet_not_a_code", &[("text", text)]),
        Issue::Value(e) => problem(e, t),
        Issue::NotTheirs { who, publishers } => t(
            "sheet_not_theirs",
            &[("who", who), ("publishers", publishers)],
        ),
        // Said by the catalogue (a refusal) or by validation, already in the reader's language.
        Issue::Refused { reason } => reason.clone(),
        Issue::ToFix { text } => text.clone(),
    }
}

/// What a whole file's refusal says, in `t`'s words.
fn refusal(e: &SheetError, t: &Translate<'_>) -> String {
    match e {
        SheetError::Unreadable { name, kind, detail } => t(
            "sheet_unreadable",
            &[("name", name), ("kind", kind), ("detail", detail)],
        ),
        SheetError::TooLarge { name, bound, at } => {
            let key = match bound {
                Bound::Parts => "sheet_too_many_parts",
                Bound::Unpacked => "sheet_unpacks_too_large",
                Bound::Records => "sheet_too_many_records",
                Bound::Rows => "sheet_too_many_rows",
            };
            t(
                key,
                &[
                    ("name", name),
                    ("at", at),
                    ("parts", &healthcat_sheet::MAX_PARTS.to_string()),
                    ("mb", &(healthcat_sheet::MAX_UNPACKED >> 20).to_string()),
                    ("records", &healthcat_sheet::MAX_RECORDS.to_string()),
                    ("rows", &healthcat_sheet::MAX_ROWS.to_string()),
                ],
            )
        }
        SheetError::TooMany { bound, rows } => {
            let limit = match bound {
                Bound::Records => healthcat_sheet::MAX_RECORDS,
                _ => healthcat_sheet::MAX_ROWS,
            };
            t(
                "sheet_too_many_to_write",
                &[("count", &rows.to_string()), ("limit", &limit.to_string())],
            )
        }
        SheetError::NotTemplate { name } => t("sheet_not_template", &[("name", name)]),
        SheetError::Write(detail) => detail.clone(),
    }
}

fn listed(problems: &[Problem], t: &Translate<'_>) -> Vec<Value> {
    problems
        .iter()
        .map(|p| json!({ "place": place(&p.at, t), "text": issue(&p.issue, t) }))
        .collect()
}

/// A workbook sent to `/edit/import` by `who`: one draft per row, or none and what to correct.
pub(crate) async fn import(
    state: &AppState,
    req: &Req,
    who: Principal,
    csrf: String,
    (name, kind, bytes): (String, Kind, axum::body::Bytes),
) -> Result<Response, AppError> {
    let lang = req.lang;
    let st = state.clone();
    let file = name.clone();
    let outcome = blocking(move || {
        let profile = st.validation.default.clone();
        let form = profile.form(DATASET);
        let layout = Layout::of(&form);
        let codes = |scheme: &str, l: &str| profile.codes(scheme, l);
        let read = match healthcat_sheet::read(&file, &bytes, kind, &layout, &codes) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let drafts = st.drafts()?;
        Ok(Ok(st
            .edits()
            .sheet_to_drafts(&who, &drafts, &read, lang)?))
    })
    .await?;
    let site = &state.site;
    let t = |key: &str, args: &[(&str, &str)]| fill(&site.msg(lang, key), args);
    let (status, ctx) = match outcome {
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "file": name, "error": refusal(&e, &t), "problems": [], "drafts": [] }),
        ),
        Ok(o) if !o.problems.is_empty() => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "file": name, "error": null, "problems": listed(&o.problems, &t), "drafts": [] }),
        ),
        Ok(o) => {
            let drafts: Vec<Value> = o
                .drafts
                .iter()
                .map(|d| {
                    json!({
                        "id": d.draft, "iri": d.iri, "row": d.at.row,
                        "changes": d.changes_record, "to_fix": listed(&d.to_fix, &t),
                    })
                })
                .collect();
            (
                StatusCode::OK,
                json!({ "file": name, "error": null, "problems": [], "drafts": drafts }),
            )
        }
    };
    let mut ctx = ctx;
    ctx["csrf"] = json!(csrf);
    req.private_page(state, status, "sheet_report.html", "edit", ctx)
}
