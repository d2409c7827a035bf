//! The data dictionary import (`/edit/datasets/{id}/dictionary`): a steward uploads the
//! dataset's variables as CSV or XLSX (the templates are linked), and the record's CSVW table
//! group is replaced through the same checks as every edit — the steward's publishers,
//! validation, the version the form was opened on. A file with problems is refused whole and the
//! page lists each problem with its sheet, row and column; nothing is written.

use crate::kernel::extract::{EditorSession, writing_session};
use crate::kernel::i18n::{fill, number};
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_dictionary::{DictionaryError, Format, Limits};
use healthcat_ingest::edit::Precondition;
use healthcat_model::Dictionary;
use serde_json::{Value, json};

/// The page's values: the record's current number of variables and its version.
fn current(
    state: &AppState,
    who: &healthcat_auth::Principal,
    id: &str,
) -> Result<(String, usize), AppError> {
    let record = state.edits().editable(who, id, Precondition::None)?;
    let n = record
        .meta
        .root
        .as_ref()
        .map(|r| Dictionary::new(&record.graph, r.as_ref()).len())
        .unwrap_or_default();
    Ok((record.meta.hash, n))
}

fn render(
    state: &AppState,
    req: &Req,
    status: StatusCode,
    id: &str,
    csrf: &str,
    (etag, n): (String, usize),
    problems: Value,
) -> Result<Response, AppError> {
    let saved = req
        .params
        .iter()
        .find(|(k, _)| k == "saved")
        .map(|(_, v)| fill(&req.t(state, "dictionary_saved"), &[("n", v)]));
    let columns: Vec<Value> = healthcat_dictionary::COLUMNS
        .iter()
        .map(|(name, what)| json!({ "name": name, "what": what }))
        .collect();
    let ctx = json!({
        "id": id, "etag": etag, "csrf": csrf, "saved": saved, "problems": problems,
        "current": fill(&req.t(state, "dictionary_current"), &[("n", &number(n as u64, req.lang))]),
        "columns": columns,
        "max": number(Limits::default().max_variables as u64, req.lang),
    });
    req.private_page(state, status, "dictionary_form.html", "edit", ctx)
}

/// `GET /edit/datasets/{id}/dictionary`
pub(crate) async fn page(
    State(state): State<AppState>,
    EditorSession(s): EditorSession,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let (st, who, rid) = (state.clone(), s.principal.clone(), id.clone());
    let now = blocking(move || current(&st, &who, &rid)).await?;
    render(&state, &req, StatusCode::OK, &id, &s.csrf, now, json!([]))
}

/// `POST /edit/datasets/{id}/dictionary` (multipart: `csrf`, `etag`, `file`)
pub(crate) async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: axum::http::request::Parts,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let req = Req::new(&state, parts.uri.clone(), &parts.headers);
    let (csrf, etag, file, failed) = match super::upload_fields(&mut multipart).await {
        Ok(u) => (
            u.csrf,
            u.etag,
            u.file.map(|f| (f.name, f.media_type, f.bytes)),
            None,
        ),
        Err(status) => (None, String::new(), None, Some(status)),
    };
    let s = match writing_session(&state, &parts, csrf.as_deref()) {
        Ok(s) => s,
        Err(refusal) => return Ok(refusal.into_response()),
    };
    let problem = |message: String| json!([{ "place": "", "message": message }]);
    let refusal = if let Some(status) = failed {
        Some(problem(if status == StatusCode::PAYLOAD_TOO_LARGE {
            DictionaryError::TooLarge {
                size: 2 * Limits::default().max_bytes,
                max: Limits::default().max_bytes,
            }
            .to_string()
        } else {
            req.t(&state, "dictionary_unreadable")
        }))
    } else {
        match &file {
            None => Some(problem(req.t(&state, "dictionary_no_file"))),
            Some((name, media_type, _)) if Format::of(media_type, name).is_none() => Some(problem(
                fill(&req.t(&state, "dictionary_not_csv"), &[("file", name)]),
            )),
            Some(_) => None,
        }
    };
    let (st, who, rid) = (state.clone(), s.principal.clone(), id.clone());
    if let Some(problems) = refusal {
        let now = blocking(move || current(&st, &who, &rid)).await?;
        return render(
            &state,
            &req,
            StatusCode::BAD_REQUEST,
            &id,
            &s.csrf,
            now,
            problems,
        );
    }
    let Some((name, media_type, bytes)) = file else {
        return Err(AppError::bad_request("file"));
    };
    let expect = format!("\"{etag}\"");
    let done = blocking(move || {
        let edits = st.edits();
        let _turn = st.store.decision_turn();
        let pre = Precondition::IfMatch {
            value: Some(&expect),
            required: true,
        };
        let record = edits.editable(&who, &rid, pre)?;
        let format = Format::of(&media_type, &name).unwrap_or(Format::Csv);
        let variables = match healthcat_dictionary::read(&bytes, format, &Limits::default()) {
            Ok(v) => v,
            Err(DictionaryError::Invalid { problems, more }) => {
                let mut list: Vec<Value> = problems
                    .iter()
                    .map(|p| json!({ "place": p.place.to_string(), "message": p.message }))
                    .collect();
                if more > 0 {
                    list.push(json!({ "place": "", "message": format!("+ {more}") }));
                }
                return Ok(Err(Value::Array(list)));
            }
            Err(e) => return Ok(Err(json!([{ "place": name, "message": e.to_string() }]))),
        };
        let comment = Some(format!("data dictionary imported from {name}"));
        match edits.replace_dictionary(&who, &record, &variables, comment) {
            Ok(_) => Ok(Ok(variables.len())),
            // Refusals the steward can act on (validation, a change meanwhile) are shown on the page.
            Err(e) if e.is_refusal() => Ok(Err(json!([{ "place": "", "message": e.to_string() }]))),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    match done {
        Ok(n) => {
            Ok(Redirect::to(&format!("/edit/datasets/{id}/dictionary?saved={n}")).into_response())
        }
        Err(problems) => {
            let (st, who, rid) = (state.clone(), s.principal.clone(), id.clone());
            let now = blocking(move || current(&st, &who, &rid)).await?;
            render(
                &state,
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                &id,
                &s.csrf,
                now,
                problems,
            )
        }
    }
}
