//! The annual review's page (`/edit/review`, EHDS Art. 60(3)): for the health data access body
//! (administrators), the catalogue's records per holder and per source (`?at=` a date: as they
//! will be then) — reviewed, due, overdue —
//! the records to review and the reminder log; for an editor, its publishers' records. A
//! "Still accurate" button confirms a record as it is (`healthcat_ingest`'s edits: an editor of
//! its publisher or an administrator; audited).

use crate::kernel::extract::{CsrfForm, EditorSession, Params};
use crate::kernel::i18n::{date, fill};
use crate::kernel::page::{Req, facet_label};
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_review::reminders::Outcome;
use healthcat_review::{Group, State as ReviewState, overview};
use serde_json::{Value, json};

/// Records listed on the page at most (the API gives them all).
const SHOWN: usize = 200;
/// Reminder log lines shown, newest first.
const LOG_LINES: usize = 50;

/// `GET /edit/review`
pub(crate) async fn page(
    State(state): State<AppState>,
    EditorSession(s): EditorSession,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let lang = req.lang;
    let at = Params(req.params.clone()).review_time()?;
    let who = s.principal.clone();
    let st = state.clone();
    let (review, log) = blocking(move || {
        let review = overview(&st.store, at, &st.review.policy).map_err(AppError::internal)?;
        let log = match (&st.review.log, who.may_administer()) {
            (Some(log), true) => log.read().map_err(AppError::internal)?,
            _ => Vec::new(),
        };
        Ok((review, log))
    })
    .await?;
    let admin = s.principal.may_administer();
    let mine = |holder: &Option<String>| {
        admin
            || holder
                .as_deref()
                .is_some_and(|h| s.principal.publishers.iter().any(|p| p == h))
    };
    let holder_name = |iri: &str| {
        if iri.is_empty() {
            req.t(&state, "review_no_holder")
        } else {
            facet_label(&state, "publisher", iri, lang)
        }
    };
    let rows = |groups: &[Group], holders: bool| -> Vec<Value> {
        groups
            .iter()
            .filter(|g| !holders || mine(&Some(g.name.clone())))
            .map(|g| {
                json!({
                    "name": if holders { holder_name(&g.name) } else { g.name.clone() },
                    "iri": if holders { g.name.clone() } else { String::new() },
                    "total": g.total, "current": g.current, "due": g.due, "overdue": g.overdue,
                    "oldest": date(&g.oldest, lang),
                })
            })
            .collect()
    };
    let mut groups = vec![json!({
        "heading": req.t(&state, "review_by_holder"),
        "column": req.t(&state, "review_holder"),
        "rows": rows(&review.holders, true),
    })];
    if admin {
        groups.push(json!({
            "heading": req.t(&state, "review_by_source"),
            "column": req.t(&state, "review_source"),
            "rows": rows(&review.sources, false),
        }));
    }
    let to_do: Vec<_> = review
        .entries
        .iter()
        .filter(|e| e.state != ReviewState::Current && mine(&e.holder))
        .collect();
    let state_label = |s: ReviewState| {
        req.t(
            &state,
            match s {
                ReviewState::Current => "review_current",
                ReviewState::Due => "review_due",
                ReviewState::Overdue => "review_overdue",
            },
        )
    };
    let entries: Vec<Value> = to_do
        .iter()
        .take(SHOWN)
        .map(|e| {
            let how = match &e.confirmed_by {
                Some(who) => fill(&req.t(&state, "review_by_person"), &[("who", who)]),
                None => req.t(&state, "review_by_change"),
            };
            json!({
                "id": e.id,
                "title": state.search.record_title(&e.key, lang).unwrap_or_else(|| e.key.clone()),
                "holder": holder_name(e.holder.as_deref().unwrap_or_default()),
                "confirmed": date(&e.confirmed, lang), "how": how,
                "due_at": date(&e.due_at, lang), "state": state_label(e.state),
                "may_confirm": mine(&e.holder),
            })
        })
        .collect();
    let more = (to_do.len() > SHOWN).then(|| {
        fill(
            &req.t(&state, "review_more"),
            &[("n", &(to_do.len() - SHOWN).to_string())],
        )
    });
    let log: Vec<Value> = log
        .iter()
        .rev()
        .take(LOG_LINES)
        .map(|l| {
            let outcome = match l.outcome {
                Outcome::Sent => "review_outcome_sent",
                Outcome::Failed => "review_outcome_failed",
                Outcome::NoRecipient => "review_outcome_no_recipient",
            };
            json!({
                "time": date(&l.time, lang), "key": l.key, "to": l.to.join(", "),
                "outcome": req.t(&state, outcome), "error": l.error,
            })
        })
        .collect();
    let p = &state.review.policy;
    let t = &review.total;
    let ctx = json!({
        "intro": fill(&req.t(&state, "review_page_intro"), &[
            ("remind", &p.remind_after_months.to_string()), ("due", &p.due_after_months.to_string()),
        ]),
        "total": fill(&req.t(&state, "review_total"), &[
            ("n", &t.total.to_string()), ("current", &t.current.to_string()),
            ("due", &t.due.to_string()), ("overdue", &t.overdue.to_string()),
        ]),
        "groups": groups, "entries": entries, "more": more, "log": log, "csrf": s.csrf,
        "confirmed": req.params.iter().any(|(k, _)| k == "confirmed"),
    });
    req.private_page(&state, StatusCode::OK, "review.html", "edit", ctx)
}

/// `POST /edit/review` (form: `csrf`, `id`)
pub(crate) async fn confirm(
    State(state): State<AppState>,
    form: CsrfForm,
) -> Result<Response, AppError> {
    let id = form.get("id").unwrap_or_default().trim().to_owned();
    let who = form.session.principal.clone();
    blocking(move || {
        state.edits().confirm(&who, &id, jiff::Timestamp::now())?;
        Ok(Redirect::to("/edit/review?confirmed").into_response())
    })
    .await
}
