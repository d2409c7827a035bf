//! The validation page: paste or upload RDF, read the report in words (issue #3). Nothing is
//! stored; the form works without JavaScript.

use crate::kernel::i18n::{fill, number};
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use healthcat_store::{Format, parse_slice};
use serde_json::{Value, json};

/// What the form sent.
#[derive(Default)]
struct Form {
    profile: Option<String>,
    level: Option<String>,
    format: Option<String>,
    text: String,
    file: Option<(String, Vec<u8>)>,
}

fn form_context(state: &AppState, form: &Form) -> Value {
    let chosen = state.validation.get(form.profile.as_deref());
    let profiles: Vec<Value> = state
        .validation
        .names()
        .into_iter()
        .map(|name| {
            let selected = chosen.as_ref().is_some_and(|p| p.name == name);
            json!({ "name": name, "selected": selected })
        })
        .collect();
    let levels: Vec<Value> = chosen
        .map(|p| {
            p.level_names()
                .iter()
                .map(|l| json!({ "name": l, "selected": form.level.as_deref() == Some(*l) }))
                .collect()
        })
        .unwrap_or_default();
    let formats: Vec<Value> = Format::ALL
        .iter()
        .map(|f| {
            let value = f.name();
            json!({ "value": value, "label": value, "selected": form.format.as_deref().unwrap_or("turtle") == value })
        })
        .collect();
    json!({
        "profiles": profiles, "levels": levels, "formats": formats,
        "text": form.text, "error": null, "report": null,
    })
}

/// `GET /validate`
pub(crate) async fn page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let ctx = form_context(&state, &Form::default());
    req.page(&state, StatusCode::OK, "validate.html", "validate", ctx)
}

/// `POST /validate` (multipart: `profile`, `level`, `format`, `rdf`, `file`).
pub(crate) async fn submit(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let mut form = Form::default();
    let mut error = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                error = Some(e.body_text());
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                error = Some(e.body_text());
                break;
            }
        };
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "profile" => form.profile = Some(text()).filter(|s| !s.is_empty()),
            "level" => form.level = Some(text()).filter(|s| !s.is_empty()),
            "format" => form.format = Some(text()).filter(|s| !s.is_empty()),
            "rdf" => form.text = text(),
            "file" if !bytes.is_empty() => {
                form.file = Some((file_name.unwrap_or_default(), bytes.to_vec()));
            }
            _ => {}
        }
    }
    let mut ctx = form_context(&state, &form);
    let profile = state.validation.get(form.profile.as_deref());
    if error.is_none() && profile.is_none() {
        error = Some(fill(
            &req.t(&state, "validate_unknown_profile"),
            &[
                ("name", &form.profile.clone().unwrap_or_default()),
                ("list", &state.validation.names().join(", ")),
            ],
        ));
    }
    let (body, format, name) = match &form.file {
        Some((file_name, bytes)) => {
            let by_name = std::path::Path::new(file_name);
            let format = Format::from_path(by_name)
                .or_else(|| form.format.as_deref().and_then(Format::from_name));
            (bytes.clone(), format, file_name.clone())
        }
        None => (
            form.text.clone().into_bytes(),
            form.format
                .as_deref()
                .map_or(Some(Format::Turtle), Format::from_name),
            req.t(&state, "validate_paste"),
        ),
    };
    if error.is_none() && body.iter().all(u8::is_ascii_whitespace) {
        error = Some(req.t(&state, "validate_empty"));
    }
    // The form comes back with the message and the user's input.
    let refuse = |mut ctx: Value, message: String| {
        ctx["error"] = json!(message);
        req.page(
            &state,
            StatusCode::BAD_REQUEST,
            "validate.html",
            "validate",
            ctx,
        )
    };
    let Some(format) = format else {
        let m = fill(
            &req.t(&state, "validate_unknown_syntax"),
            &[("name", &name)],
        );
        return refuse(ctx, m);
    };
    if let Some(e) = error {
        return refuse(ctx, e);
    }
    let Some(profile) = profile else {
        return Err(AppError::internal("no profile"));
    };
    if let Some(level) = &form.level
        && !profile.level_names().contains(&level.as_str())
    {
        let m = fill(
            &req.t(&state, "validate_unknown_level"),
            &[("name", level), ("list", &profile.level_names().join(", "))],
        );
        return refuse(ctx, m);
    }
    let lang = req.lang;
    let options = healthcat_profiles::Options {
        level: form.level.clone(),
        skip_document_shapes: false,
    };
    let parse_options = state.parse_options();
    let st = state.clone();
    let outcome = blocking(move || {
        let doc = match parse_slice(body.as_slice(), format, &name, &parse_options) {
            Ok(doc) => doc,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let triples: Vec<_> = doc.graph.iter().collect();
        let report = profile.validate(&triples, &options);
        let summaries = profile.summaries(&report, lang);
        let t = |k: &str| st.site.msg(lang, k);
        let count = |suffix: &str| summaries.iter().filter(|s| s.severity.ends_with(suffix)).count();
        let (v, w, i) = (count("#Violation"), count("#Warning"), count("#Info"));
        let results: Vec<Value> = summaries
            .iter()
            .map(|s| {
                let severity = match s.severity.rsplit('#').next() {
                    Some("Violation") => t("severity_violation"),
                    Some("Warning") => t("severity_warning"),
                    _ => t("severity_info"),
                };
                json!({ "severity": severity, "focus": s.focus, "path": s.path, "message": s.explanation })
            })
            .collect();
        let conforms = report.conforms;
        Ok(Ok(json!({
            "conforms": conforms,
            "title": t(if conforms { "report_conforms" } else { "report_fails" }),
            "summary": fill(&t("report_summary"), &[
                ("v", &number(v as u64, lang)), ("w", &number(w as u64, lang)), ("i", &number(i as u64, lang)),
            ]),
            "results": results,
        })))
    })
    .await?;
    let status = match outcome {
        Ok(report) => {
            ctx["report"] = report;
            StatusCode::OK
        }
        Err(parse_error) => {
            ctx["error"] = json!(parse_error);
            StatusCode::BAD_REQUEST
        }
    };
    req.page(&state, status, "validate.html", "validate", ctx)
}
