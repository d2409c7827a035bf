//! The trusted health data holders' page (`/edit/trusted`, EHDS Art. 72): the decisions of the
//! configuration and of the administrators, each with its date and reference; an administrator
//! adds or withdraws one (kept by [`healthcat_publish::trusted`], written to the audit log); the
//! search facet, the dataset badge and the catalogue follow at once.

use crate::kernel::extract::{CsrfForm, EditorSession};
use crate::kernel::i18n::date;
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_publish::trusted::TrustedHolder;
use serde_json::json;

/// `GET /edit/trusted`
pub(crate) async fn page(
    State(state): State<AppState>,
    EditorSession(s): EditorSession,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let lang = req.lang;
    let holders: Vec<_> = state
        .trusted
        .all()
        .into_iter()
        .map(|(h, configured)| {
            json!({
                "iri": h.iri, "name": crate::kernel::page::facet_label(&state, "publisher", &h.iri, lang),
                "decided": date(&h.decided, lang), "reference": h.reference, "configured": configured,
            })
        })
        .collect();
    let saved = req.params.iter().any(|(k, _)| k == "saved");
    let ctx = json!({
        "holders": holders, "csrf": s.csrf, "saved": saved,
        "may_change": s.principal.may_administer(),
    });
    req.private_page(&state, StatusCode::OK, "trusted.html", "edit", ctx)
}

/// `POST /edit/trusted` (form: `csrf`, `action` = `add` with `iri`, `decided`, `reference`, or
/// `remove` with `iri`)
pub(crate) async fn save(
    State(state): State<AppState>,
    form: CsrfForm,
) -> Result<Response, AppError> {
    let who = &form.session.principal;
    if !who.may_administer() {
        return Err(AppError::page(
            StatusCode::FORBIDDEN,
            "edit_forbidden_heading",
            "trusted_admins_only",
        ));
    }
    let field = |name: &str| form.get(name).unwrap_or("").trim().to_owned();
    let iri = field("iri");
    let refused =
        |e: healthcat_publish::trusted::TrustedError| AppError::bad_request(e.to_string());
    match form.get("action") {
        Some("add") => {
            let holder = TrustedHolder {
                iri: iri.clone(),
                decided: field("decided"),
                reference: field("reference"),
            };
            state.trusted.add(holder.clone()).map_err(refused)?;
            state.auth.0.audit(
                who,
                &format!(
                    "trust {iri} (decision {} of {})",
                    holder.reference, holder.decided
                ),
            );
        }
        Some("remove") => {
            if !state.trusted.remove(&iri).map_err(refused)? {
                return Err(AppError::bad_request(format!(
                    "iri: {iri:?} is not among the decisions taken here (one from the configuration is changed there)"
                )));
            }
            state.auth.0.audit(who, &format!("withdraw trust {iri}"));
        }
        other => {
            return Err(AppError::bad_request(format!(
                "action must be add or remove, not {:?}",
                other.unwrap_or("")
            )));
        }
    }
    Ok(Redirect::to("/edit/trusted?saved=1").into_response())
}
