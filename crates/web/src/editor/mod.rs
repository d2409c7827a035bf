//! The editor (issue #8): data stewards log in ([`session`]), create and edit datasets through a
//! form generated from the validation profile ([`form`]), keep drafts, import a file into a
//! draft, publish, read a record's history and restore an older version ([`history`]), declare
//! the quality and utility label's metrics ([`label`]) and the data holder's maturity
//! ([`maturity`]), import a dataset's data dictionary from CSV or XLSX ([`dictionary`]); administrators keep the trusted data holders ([`trusted`]); the annual review's records are
//! confirmed as still accurate ([`review`]); the biennial usage report is downloaded ([`statistics`]).
//!
//! Every page works without JavaScript. Every POST carries the session's CSRF token. Writes go
//! through the same checks and the same store path as the write API ([`healthcat_ingest::edit`]): the editor's
//! publishers, the record's source (`local` only), validation before anything is stored, and
//! the version the form was opened on (a record changed since is not overwritten).

pub(crate) mod dictionary;
pub(crate) mod form;
pub(crate) mod history;
pub(crate) mod label;
pub(crate) mod maturity;
pub(crate) mod review;
pub(crate) mod session;
pub(crate) mod sheet;
pub(crate) mod statistics;
pub(crate) mod trusted;

#[cfg(test)]
mod tests;

/// The editor's routes; errors are themed pages.
pub(crate) fn router(state: AppState) -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/login", get(session::login_form).post(session::log_in))
        .route("/login/sso", get(session::sign_on))
        .route(healthcat_auth::CALLBACK_PATH, get(session::signed_on))
        .route("/logout", post(session::log_out))
        .route("/edit", get(home))
        .route("/edit/new", get(new_form).post(new_submit))
        .route(
            "/edit/{kind}/{id}",
            get(existing_form).post(existing_submit),
        )
        .route("/edit/datasets/{id}/history", get(history::page))
        .route(
            "/edit/datasets/{id}/dictionary",
            get(dictionary::page).post(dictionary::upload).layer(
                axum::extract::DefaultBodyLimit::max(
                    2 * healthcat_dictionary::Limits::default().max_bytes,
                ),
            ),
        )
        .route("/edit/datasets/{id}/restore", post(history::restore))
        .route(
            "/edit/datasets/{id}/label",
            get(label::page).post(label::save),
        )
        .route(
            "/edit/datasets/{id}/maturity",
            get(maturity::page).post(maturity::save),
        )
        .route("/edit/trusted", get(trusted::page).post(trusted::save))
        .route("/edit/review", get(review::page).post(review::confirm))
        .route("/edit/statistics/report", get(statistics::report))
        .route("/edit/sheet/{file}", get(sheet::download))
        .route(
            "/edit/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::kernel::MAX_BODY,
            )),
        )
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::kernel::page::themed_errors,
        ))
}

use crate::kernel::extract::{CsrfForm, EditorSession, writing_session};
use crate::kernel::i18n::fill;
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use form::{Messages, Values};
use healthcat_auth::{Principal, Role, Session};
use healthcat_ingest::drafts::{Draft, new_id};
use healthcat_ingest::edit::{EditError, Precondition, described, publishers};
use healthcat_profiles::values::Languages;
use healthcat_store::Format;
use oxrdf::{Graph, NamedNode};
use serde_json::{Value, json};
use std::collections::HashSet;

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";

fn value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `GET /edit`: the steward's drafts, a new dataset, importing a file.
pub(crate) async fn home(
    State(state): State<AppState>,
    EditorSession(s): EditorSession,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let st = state.clone();
    let who = s.principal.clone();
    let drafts = blocking(move || {
        let Some(d) = &st.drafts else {
            return Ok(Vec::new());
        };
        let mut list: Vec<Draft> = d.list()?;
        list.retain(|d| d.visible_to(&who));
        list.reverse();
        Ok(list)
    })
    .await?;
    let drafts: Vec<Value> = drafts
        .iter()
        .map(|d| json!({ "id": d.id, "records": d.records, "updated": d.updated, "updated_by": d.updated_by }))
        .collect();
    let error = req
        .params
        .iter()
        .find(|(k, _)| k == "error")
        .map(|(_, v)| v.clone());
    let ctx = json!({
        "user": s.principal.name, "role": s.principal.role.as_str(), "csrf": s.csrf,
        "drafts": drafts, "max_upload_mb": crate::kernel::MAX_BODY >> 20, "error": error,
        "can_write": s.principal.role != Role::Reader,
    });
    req.page(&state, StatusCode::OK, "edit.html", "edit", ctx)
}

/// What a form edits.
#[derive(Clone)]
pub(crate) enum Target {
    New,
    Record(String),
    Draft(String),
}

impl Target {
    fn url(&self) -> String {
        match self {
            Target::New => "/edit/new".into(),
            Target::Record(id) => format!("/edit/datasets/{id}"),
            Target::Draft(id) => format!("/edit/drafts/{id}"),
        }
    }
}

/// What is being edited, as it is now.
struct Opened {
    graph: Graph,
    subject: Option<NamedNode>,
    /// The stored record's content hash the edit starts from.
    etag: Option<String>,
    draft: Option<Draft>,
    /// The stored record's local id, when there is one.
    record: Option<String>,
}

/// What `target` is now, if `who` may edit it here (a refusal names why, under the editor's
/// "not allowed" heading).
fn open(st: &AppState, who: &Principal, target: &Target) -> Result<Opened, AppError> {
    open_target(st, who, target).map_err(|e| e.with_heading("edit_forbidden_heading"))
}

fn open_target(st: &AppState, who: &Principal, target: &Target) -> Result<Opened, AppError> {
    let edits = st.edits();
    match target {
        Target::New => Ok(Opened {
            graph: Graph::new(),
            subject: None,
            etag: None,
            draft: None,
            record: None,
        }),
        Target::Record(id) => {
            let record = edits.editable(who, id, Precondition::None)?;
            let Ok(subject) = NamedNode::new(&record.meta.key) else {
                return Err(AppError::refused(
                    StatusCode::CONFLICT,
                    format!("{id} is a blank node: change it with the write API"),
                ));
            };
            Ok(Opened {
                subject: Some(subject),
                etag: Some(record.meta.hash.clone()),
                graph: record.graph,
                draft: None,
                record: Some(id.clone()),
            })
        }
        Target::Draft(id) => {
            let drafts = st.drafts()?;
            let draft = match drafts.get(id)? {
                Some(d) if d.visible_to(who) => d,
                _ => {
                    return Err(AppError::refused(
                        StatusCode::NOT_FOUND,
                        format!("no draft {id}"),
                    ));
                }
            };
            if draft.records.len() > 1 {
                return Err(AppError::refused(
                    StatusCode::CONFLICT,
                    format!(
                        "draft {id} describes {} records and the form edits one: publish it with POST /api/drafts/{id}/publish",
                        draft.records.len()
                    ),
                ));
            }
            let (doc, _) = described(Format::NTriples, draft.content.as_bytes(), st.input)?;
            let graph = doc.to_graph();
            let subject = draft.records.first().and_then(|k| NamedNode::new(k).ok());
            let record = match &subject {
                Some(s) => st
                    .store
                    .record_by_key(s.as_str())?
                    .and_then(|m| m.local_id.map(|l| l.as_str().to_owned())),
                None => None,
            };
            // A draft of a stored record: only of one this person may change here (a harvested
            // or pushed record is changed at its source).
            if let Some(local) = &record {
                edits.editable(who, local, Precondition::None)?;
            }
            Ok(Opened {
                graph,
                subject,
                etag: draft.base.clone(),
                draft: Some(draft),
                record,
            })
        }
    }
}

/// Everything a form page shows.
struct FormPage<'a> {
    target: &'a Target,
    opened: &'a Opened,
    iri: String,
    values: Vec<Values>,
    messages: Messages,
    saved: bool,
    /// The comment typed for the revision, kept when the form comes back.
    comment: String,
}

fn render(
    st: &AppState,
    req: &Req,
    s: &Session,
    status: StatusCode,
    page: FormPage<'_>,
) -> Result<Response, AppError> {
    let profile = st.validation.default.clone();
    let fields = profile.form(DATASET);
    let lang = req.lang;
    let mut codes = |scheme: &str| profile.codes(scheme, lang);
    let ctx_fields = form::context(&fields, &page.values, "", lang, &page.messages, &mut codes);
    // Every message, with the field it belongs to, for the summary at the top of the form.
    let mut summary = Vec::new();
    collect(&ctx_fields, &mut summary);
    for m in page.messages.get("").into_iter().flatten() {
        summary.push(json!({ "id": "", "label": "", "message": m }));
    }
    let ctx = json!({
        "target": page.target.url(),
        "is_new": matches!(page.target, Target::New),
        "record": page.opened.record,
        "draft": page.opened.draft.as_ref().map(|d| d.id.clone()),
        "iri": page.iri,
        "etag": page.opened.etag,
        "csrf": s.csrf,
        "user": s.principal.name,
        "fields": ctx_fields,
        "general": page.messages.get("").cloned().unwrap_or_default(),
        "iri_messages": page.messages.get("iri").cloned().unwrap_or_default(),
        "summary": summary,
        "saved": page.saved,
        "comment": page.comment,
        "profile": profile.title,
    });
    req.page(st, status, "editor.html", "edit", ctx)
}

fn collect(fields: &[Value], out: &mut Vec<Value>) {
    for f in fields {
        for m in f["messages"].as_array().into_iter().flatten() {
            out.push(json!({ "id": f["id"], "label": f["label"], "message": m }));
        }
        for g in f["groups"].as_array().into_iter().flatten() {
            for m in g["iri_messages"].as_array().into_iter().flatten() {
                let id = format!("{}-iri", g["name"].as_str().unwrap_or("").replace('.', "-"));
                out.push(json!({ "id": id, "label": f["label"], "message": m }));
            }
            collect(g["fields"].as_array().map_or(&[][..], |v| v), out);
        }
    }
}

/// `GET /edit/new`, `/edit/datasets/{id}`, `/edit/drafts/{id}`
async fn show(
    state: AppState,
    s: Session,
    target: Target,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let st = state.clone();
    let who = s.principal.clone();
    let t = target.clone();
    let opened = blocking(move || open(&st, &who, &t)).await?;
    let fields = state.validation.default.form(DATASET);
    let mut values = match &opened.subject {
        Some(subject) => healthcat_profiles::values::read(
            &opened.graph,
            subject.as_ref().into(),
            &fields,
            Languages::All,
            &mut HashSet::new(),
        ),
        None => form::posted(&[], &fields, "", None, None),
    };
    form::required_groups(&fields, &mut values);
    let iri = match &opened.subject {
        Some(s) => s.as_str().to_owned(),
        None => format!(
            "{}/dataset/{}",
            crate::kernel::negotiate::base_url(&headers),
            new_id()
        ),
    };
    let saved = req.params.iter().any(|(k, _)| k == "saved");
    let page = FormPage {
        target: &target,
        opened: &opened,
        iri,
        values,
        messages: Messages::new(),
        saved,
        comment: String::new(),
    };
    render(&state, &req, &s, StatusCode::OK, page)
}

/// `GET /edit/new`
pub(crate) async fn new_form(
    State(state): State<AppState>,
    EditorSession(s): EditorSession,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    show(state, s, Target::New, uri, headers).await
}

/// `POST /edit/new`
pub(crate) async fn new_submit(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    form: CsrfForm,
) -> Result<Response, AppError> {
    submit(state, Target::New, uri, headers, form).await
}

impl Target {
    /// `/edit/datasets/{id}` or `/edit/drafts/{id}`.
    fn of(kind: &str, id: String) -> Option<Self> {
        match kind {
            "datasets" => Some(Target::Record(id)),
            "drafts" => Some(Target::Draft(id)),
            _ => None,
        }
    }
}

/// `GET /edit/{datasets|drafts}/{id}`
pub(crate) async fn existing_form(
    State(state): State<AppState>,
    EditorSession(s): EditorSession,
    Path((kind, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let target = Target::of(&kind, id).ok_or_else(AppError::not_found)?;
    show(state, s, target, uri, headers).await
}

/// `POST /edit/{datasets|drafts}/{id}`
pub(crate) async fn existing_submit(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    form: CsrfForm,
) -> Result<Response, AppError> {
    let target = Target::of(&kind, id).ok_or_else(AppError::not_found)?;
    submit(state, target, uri, headers, form).await
}

/// What a submission came to.
enum Done {
    /// Show the form again (with messages, or with a group added).
    Again(Box<(StatusCode, Opened, String, Vec<Values>, Messages)>),
    /// Go there.
    Go(String),
}

/// `POST` of a form: `action` is `draft`, `publish`, `discard`, `add:f{i}` or `remove:f{i}.{k}`.
async fn submit(
    state: AppState,
    target: Target,
    uri: Uri,
    headers: HeaderMap,
    form: CsrfForm,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let CsrfForm {
        session: s,
        fields: pairs,
    } = form;
    let typed_comment = value(&pairs, "comment").unwrap_or("").to_owned();
    let st = state.clone();
    let who = s.principal.clone();
    let t = target.clone();
    let lang = req.lang;
    let done = blocking(move || {
        let _turn = st.store.decision_turn();
        decide(&st, &who, &t, &pairs, lang)
    })
    .await?;
    match done {
        Done::Go(to) => Ok(Redirect::to(&to).into_response()),
        Done::Again(again) => {
            let (status, opened, iri, values, messages) = *again;
            let page = FormPage {
                target: &target,
                opened: &opened,
                iri,
                values,
                messages,
                saved: false,
                comment: typed_comment,
            };
            render(&state, &req, &s, status, page)
        }
    }
}

fn say(messages: &mut Messages, field: &str, m: String) {
    messages.entry(field.to_owned()).or_default().push(m);
}

fn decide(
    st: &AppState,
    who: &Principal,
    target: &Target,
    pairs: &[(String, String)],
    lang: &str,
) -> Result<Done, AppError> {
    let t = |key: &str, args: &[(&str, &str)]| fill(&st.site.msg(lang, key), args);
    let opened = open(st, who, target)?;
    let action = value(pairs, "action").unwrap_or("draft");
    let profile = st.validation.default.clone();
    let fields = profile.form(DATASET);
    let values = form::posted(
        pairs,
        &fields,
        "",
        action.strip_prefix("add:"),
        action.strip_prefix("remove:"),
    );
    let iri = match &opened.subject {
        Some(s) => s.as_str().to_owned(),
        None => value(pairs, "iri").unwrap_or("").trim().to_owned(),
    };
    let again = |status, messages| {
        Ok(Done::Again(Box::new((
            status,
            opened_clone(&opened),
            iri.clone(),
            values.clone(),
            messages,
        ))))
    };
    if action.starts_with("add:") || action.starts_with("remove:") {
        return again(StatusCode::OK, Messages::new());
    }
    if action == "discard" {
        if let (Some(d), Some(drafts)) = (&opened.draft, &st.drafts) {
            drafts.remove(&d.id)?;
        }
        return Ok(Done::Go("/edit".into()));
    }
    let mut messages = Messages::new();
    let subject = match NamedNode::new(&iri) {
        Ok(n) if iri.starts_with("http://") || iri.starts_with("https://") => n,
        _ => {
            say(
                &mut messages,
                "iri",
                t("edit_iri_not_http", &[("iri", &iri)]),
            );
            return again(StatusCode::UNPROCESSABLE_ENTITY, messages);
        }
    };
    // The new graph: what the form did not show, as it was, plus what the form says now.
    let form::Written {
        triples,
        nodes,
        problems,
    } = healthcat_profiles::values::apply(
        &opened.graph,
        &subject,
        DATASET,
        &fields,
        &values,
        Languages::All,
    );
    for (field, p) in &problems {
        say(&mut messages, field, form::problem(p, &t));
    }
    let graph: Graph = triples.into_iter().collect();
    if !who.may_edit(
        publishers(graph.iter(), subject.as_str())
            .iter()
            .map(String::as_str),
    ) {
        let publisher_field = fields
            .iter()
            .position(|f| f.path == "http://purl.org/dc/terms/publisher")
            .map_or(String::new(), |i| format!("f{i}"));
        say(
            &mut messages,
            &publisher_field,
            t("edit_publish_for", &[("list", &who.publishers.join(", "))]),
        );
    }
    if !messages.is_empty() {
        return again(StatusCode::UNPROCESSABLE_ENTITY, messages);
    }
    if matches!(target, Target::New) && st.store.record_by_key(subject.as_str())?.is_some() {
        say(&mut messages, "iri", t("edit_iri_exists", &[("iri", &iri)]));
        return again(StatusCode::CONFLICT, messages);
    }
    // A stored record changed since the form (or its draft) was opened is not overwritten.
    if let Some(id) = &opened.record {
        let sent = value(pairs, "etag")
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .or(opened.etag.clone());
        let now = healthcat_model::LocalId::new(id.clone())
            .ok()
            .and_then(|l| st.store.get(&l).ok().flatten())
            .map(|r| r.meta.hash);
        if sent.is_some() && now.is_some() && sent != now {
            say(&mut messages, "", t("edit_changed_since", &[]));
            return again(StatusCode::PRECONDITION_FAILED, messages);
        }
    }
    let text = healthcat_store::write_graph(&graph, Vec::new(), Format::NTriples)?;
    let refused = |e: EditError| AppError::from(e).with_heading("edit_forbidden_heading");
    if action == "draft" {
        let drafts = st.drafts()?;
        let (doc, keys) = described(Format::NTriples, &text, st.input).map_err(refused)?;
        let id = opened.draft.as_ref().map_or_else(new_id, |d| d.id.clone());
        let mut draft = Draft::of(who, (&doc, keys), id, opened.draft.as_ref()).map_err(refused)?;
        draft.base = value(pairs, "etag")
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .or(opened.etag.clone());
        drafts.save(&draft)?;
        return Ok(Done::Go(format!("/edit/drafts/{}?saved=1", draft.id)));
    }
    // Publish: validated as it would be stored, the messages placed next to their fields.
    let (whole, findings) = st.edits().check_for_publishing(graph, lang)?;
    let blocking_results = findings.len();
    for f in findings {
        let field =
            healthcat_profiles::values::field_of(&fields, &nodes, &f.focus, f.path.as_deref());
        let list = messages.entry(field).or_default();
        if !list.contains(&f.text) {
            list.push(f.text);
        }
    }
    if blocking_results > 0 {
        say(
            &mut messages,
            "",
            t("edit_not_conform", &[("profile", &profile.title)]),
        );
        return again(StatusCode::UNPROCESSABLE_ENTITY, messages);
    }
    let text = healthcat_store::write_graph(&whole, Vec::new(), Format::NTriples)?;
    let (doc, _) = described(Format::NTriples, &text, st.input).map_err(refused)?;
    let why = value(pairs, "comment")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    let created = opened.record.is_none();
    if let Err(e) = st.edits().store(who, &doc, false, created, why) {
        if !e.is_refusal() {
            return Err(e.into());
        }
        // Refused after the form's own checks (a shared description not this person's…): the
        // form again, with why.
        say(&mut messages, "", e.to_string());
        return again(AppError::from(e).status(), messages);
    }
    if let (Some(d), Some(drafts)) = (&opened.draft, &st.drafts) {
        drafts.remove(&d.id)?;
    }
    let id = st
        .store
        .record_by_key(subject.as_str())?
        .and_then(|m| m.local_id)
        .map(|l| l.as_str().to_owned())
        .unwrap_or_default();
    Ok(Done::Go(format!("/datasets/{id}")))
}

/// A file sent with a form.
pub(crate) struct UploadedFile {
    /// Its name on the sender's disk.
    pub name: String,
    /// The media type the browser gave.
    pub media_type: String,
    /// Its bytes.
    pub bytes: axum::body::Bytes,
}

/// The fields of an upload form: `csrf`, `etag` and a non-empty `file`.
pub(crate) struct Upload {
    pub csrf: Option<String>,
    pub etag: String,
    pub file: Option<UploadedFile>,
}

/// Reads an upload form; the status of a body that could not be read (413 when too large).
pub(crate) async fn upload_fields(multipart: &mut Multipart) -> Result<Upload, StatusCode> {
    let mut u = Upload {
        csrf: None,
        etag: String::new(),
        file: None,
    };
    while let Some(field) = multipart.next_field().await.map_err(|e| e.status())? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let media_type = field.content_type().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|e| e.status())?;
        match name.as_str() {
            "csrf" => u.csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "etag" => u.etag = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if !bytes.is_empty() => {
                u.file = Some(UploadedFile {
                    name: file_name,
                    media_type,
                    bytes,
                })
            }
            _ => {}
        }
    }
    Ok(u)
}

fn opened_clone(o: &Opened) -> Opened {
    Opened {
        graph: o.graph.clone(),
        subject: o.subject.clone(),
        etag: o.etag.clone(),
        draft: o.draft.clone(),
        record: o.record.clone(),
    }
}

/// `POST /edit/import` (multipart: `csrf`, `file`): a file becomes a draft.
pub(crate) async fn import(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let req = Req::new(&state, parts.uri.clone(), &parts.headers);
    let (csrf, file, error) = match upload_fields(&mut multipart).await {
        Ok(u) => (u.csrf, u.file.map(|f| (f.name, f.bytes)), None),
        Err(status) => (None, None, Some(status)),
    };
    let back = |key: &str, detail: &str| {
        let message = crate::kernel::i18n::fill(
            &req.t(&state, key),
            &[
                ("detail", detail),
                ("max", &(crate::kernel::MAX_BODY >> 20).to_string()),
            ],
        );
        Ok(Redirect::to(&crate::kernel::urls::href(
            "/edit",
            &[("error".into(), message)],
        ))
        .into_response())
    };
    if let Some(status) = error {
        return if status == StatusCode::PAYLOAD_TOO_LARGE {
            back("edit_too_large", "")
        } else {
            back("edit_import_failed", status.as_str())
        };
    }
    let s = match writing_session(&state, &parts, csrf.as_deref()) {
        Ok(s) => s,
        Err(refusal) => return Ok(refusal.into_response()),
    };
    let Some((name, bytes)) = file else {
        return back("edit_import_empty", "");
    };
    if let Some(kind) = healthcat_sheet::Kind::from_name(&name) {
        let csrf = s.csrf.clone();
        return sheet::import(&state, &req, s.principal, csrf, (name, kind, bytes)).await;
    }
    let Some(format) = Format::from_path(std::path::Path::new(&name)) else {
        return back(
            "edit_import_failed",
            &format!("{name}: .ttl, .nt, .rdf, .jsonld, .xlsx, .csv"),
        );
    };
    let st = state.clone();
    let who = s.principal.clone();
    let made = blocking(move || {
        let drafts = match st.drafts() {
            Ok(d) => d,
            Err(e) => return Ok(Err(message_of(e))),
        };
        let (doc, keys) = match described(format, &bytes, st.input) {
            Ok(p) => p,
            Err(e) => return Ok(Err(format!("{name}: {e}"))),
        };
        if keys.len() > 1 {
            return Ok(Err(format!(
                "{name}: {} datasets (the editor takes one per file; several: healthcat import, or POST /api/drafts)",
                keys.len()
            )));
        }
        let mut draft = match Draft::of(&who, (&doc, keys), new_id(), None) {
            Ok(d) => d,
            Err(e) if e.is_refusal() => return Ok(Err(e.to_string())),
            Err(e) => return Err(e.into()),
        };
        // A file describing a record that exists is a proposed new version of it.
        if let Some(key) = draft.records.first()
            && let Some(m) = st.store.record_by_key(key)?
        {
            draft.base = Some(m.hash);
        }
        drafts.save(&draft)?;
        Ok(Ok(draft.id))
    })
    .await?;
    match made {
        Ok(id) => Ok(Redirect::to(&format!("/edit/drafts/{id}")).into_response()),
        Err(detail) => back("edit_import_failed", &detail),
    }
}

/// What a refusal says, for a message carried back to the editor's home page.
fn message_of(e: AppError) -> String {
    match e {
        AppError::Refused {
            message: crate::kernel::Text::Said(m),
            ..
        } => m,
        other => other.status().to_string(),
    }
}
