//! The editor (issue #8): data stewards log in ([`session`]), create and edit datasets through a
//! form generated from the validation profile ([`form`]), keep drafts, import a file into a
//! draft, publish, read a record's history and restore an older version ([`history`]).
//!
//! Every page works without JavaScript. Every POST carries the session's CSRF token. Writes go
//! through the same checks and the same store path as the write API (`write_api`): the editor's
//! publishers, the record's source (`local` only), validation before anything is stored, and
//! the version the form was opened on (a record changed since is not overwritten).

pub(crate) mod form;
pub(crate) mod history;
pub(crate) mod session;

#[cfg(test)]
mod tests;

use crate::drafts_api::{draft_of, drafts, new_id, visible};
use crate::routes::{AppState, Internal, blocking};
use crate::site::pages::Req;
use crate::write_api::{Refusal, editable, parse_as, publishers, store_doc};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use form::{Messages, Values};
use healthcat_auth::{Principal, Role, Session};
use healthcat_ingest::drafts::Draft;
use healthcat_profiles::Options;
use healthcat_store::Format;
use oxrdf::{Graph, NamedNode, NamedOrBlankNode, Triple};
use serde_json::{Value, json};
use std::collections::HashSet;

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// A form's fields, as posted (names repeat).
pub(crate) type Pairs = Vec<(String, String)>;

/// A urlencoded body's pairs.
pub(crate) fn posted(body: &[u8]) -> Pairs {
    form_urlencoded::parse(body).into_owned().collect()
}

fn value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The session, or the response sending the visitor to log in.
fn session_or_login(
    state: &AppState,
    req: &Req,
    headers: &HeaderMap,
) -> Result<Session, Box<Response>> {
    session::current(state, headers).ok_or_else(|| {
        let next = req.uri.path_and_query().map_or("/edit", |p| p.as_str());
        Box::new(
            Redirect::to(&crate::site::href(
                "/login",
                &[("next".into(), next.into())],
            ))
            .into_response(),
        )
    })
}

/// The session of a POST whose form carries its CSRF token, or the refusal.
fn checked(
    state: &AppState,
    req: &Req,
    headers: &HeaderMap,
    csrf: Option<&str>,
) -> Result<Session, Box<Response>> {
    let s = session_or_login(state, req, headers)?;
    if !s.csrf_ok(csrf) {
        let page = req.error(
            state,
            StatusCode::FORBIDDEN,
            &req.t(state, "edit_csrf_heading"),
            &req.t(state, "edit_csrf"),
        );
        return Err(Box::new(page.unwrap_or_else(|e| e.into_response())));
    }
    if s.principal.role == Role::Reader {
        let page = req.error(
            state,
            StatusCode::FORBIDDEN,
            &req.t(state, "edit_forbidden_heading"),
            &req.t(state, "edit_reader"),
        );
        return Err(Box::new(page.unwrap_or_else(|e| e.into_response())));
    }
    Ok(s)
}

/// `GET /edit`: the steward's drafts, a new dataset, importing a file.
pub(crate) async fn home(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let (req, s) = match page_session(&state, uri, &headers) {
        Ok(x) => x,
        Err(r) => return Ok(*r),
    };
    let st = state.clone();
    let who = s.principal.clone();
    let drafts = blocking(move || {
        let Some(d) = &st.drafts else {
            return Ok(Vec::new());
        };
        let mut list: Vec<Draft> = d.list().map_err(|e| e.to_string())?;
        list.retain(|d| visible(&who, d));
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
        "drafts": drafts, "max_upload_mb": crate::ingest_api::MAX_BODY >> 20, "error": error,
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

fn open(
    st: &AppState,
    who: &Principal,
    target: &Target,
) -> Result<Result<Opened, Refusal>, String> {
    match target {
        Target::New => Ok(Ok(Opened {
            graph: Graph::new(),
            subject: None,
            etag: None,
            draft: None,
            record: None,
        })),
        Target::Record(id) => {
            let record = match editable(st, who, id, &HeaderMap::new(), false)? {
                Ok(r) => r,
                Err(r) => return Ok(Err(r)),
            };
            let Ok(subject) = NamedNode::new(&record.meta.key) else {
                return Ok(Err(Refusal(
                    StatusCode::CONFLICT,
                    format!("{id} is a blank node: change it with the write API"),
                )));
            };
            Ok(Ok(Opened {
                subject: Some(subject),
                etag: Some(record.meta.hash.clone()),
                graph: record.graph,
                draft: None,
                record: Some(id.clone()),
            }))
        }
        Target::Draft(id) => {
            let drafts = match drafts(st) {
                Ok(d) => d,
                Err(r) => return Ok(Err(r)),
            };
            let draft = match drafts.get(id).map_err(|e| e.to_string())? {
                Some(d) if visible(who, &d) => d,
                _ => {
                    return Ok(Err(Refusal(
                        StatusCode::NOT_FOUND,
                        format!("no draft {id}"),
                    )));
                }
            };
            if draft.records.len() > 1 {
                return Ok(Err(Refusal(
                    StatusCode::CONFLICT,
                    format!(
                        "draft {id} describes {} records and the form edits one: publish it with POST /api/drafts/{id}/publish",
                        draft.records.len()
                    ),
                )));
            }
            let graph = match parse_as(Format::NTriples, draft.content.as_bytes(), st.input) {
                Ok((doc, _)) => doc.to_graph(),
                Err(r) => return Ok(Err(r)),
            };
            let subject = draft.records.first().and_then(|k| NamedNode::new(k).ok());
            let record = match &subject {
                Some(s) => st
                    .store
                    .record_by_key(s.as_str())
                    .map_err(|e| e.to_string())?
                    .and_then(|m| m.local_id.map(|l| l.as_str().to_owned())),
                None => None,
            };
            // A draft of a stored record: only of one this person may change here (a harvested
            // or pushed record is changed at its source).
            if let Some(local) = &record
                && let Err(r) = editable(st, who, local, &HeaderMap::new(), false)?
            {
                return Ok(Err(r));
            }
            Ok(Ok(Opened {
                graph,
                subject,
                etag: draft.base.clone(),
                draft: Some(draft),
                record,
            }))
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
) -> Result<Response, Internal> {
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

fn refusal_page(st: &AppState, req: &Req, r: Refusal) -> Result<Response, Internal> {
    req.error(st, r.0, &req.t(st, "edit_forbidden_heading"), &r.1)
}

/// `GET /edit/new`, `/edit/datasets/{id}`, `/edit/drafts/{id}`
async fn show(
    state: AppState,
    target: Target,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let (req, s) = match page_session(&state, uri, &headers) {
        Ok(x) => x,
        Err(r) => return Ok(*r),
    };
    let st = state.clone();
    let who = s.principal.clone();
    let t = target.clone();
    let opened = blocking(move || open(&st, &who, &t)).await?;
    let opened = match opened {
        Ok(o) => o,
        Err(r) => return refusal_page(&state, &req, r),
    };
    let fields = state.validation.default.form(DATASET);
    let mut values = match &opened.subject {
        Some(subject) => form::read(
            &opened.graph,
            subject.as_ref().into(),
            &fields,
            &mut HashSet::new(),
        ),
        None => form::posted(&[], &fields, "", None, None),
    };
    form::required_groups(&fields, &mut values);
    let iri = match &opened.subject {
        Some(s) => s.as_str().to_owned(),
        None => format!(
            "{}/dataset/{}",
            crate::negotiate::base_url(&headers),
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

pub(crate) async fn new_form(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    show(state, Target::New, uri, headers).await
}

pub(crate) async fn new_submit(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    submit(state, Target::New, uri, headers, body).await
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
    Path((kind, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    match Target::of(&kind, id) {
        Some(target) => show(state, target, uri, headers).await,
        None => crate::site::pages::not_found_for(&state, &Req::new(&state, uri, &headers)),
    }
}

/// `POST /edit/{datasets|drafts}/{id}`
pub(crate) async fn existing_submit(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    match Target::of(&kind, id) {
        Some(target) => submit(state, target, uri, headers, body).await,
        None => crate::site::pages::not_found_for(&state, &Req::new(&state, uri, &headers)),
    }
}

/// A page for logged-in people: the request and its session — or the response sending the
/// visitor to log in.
fn page_session(
    state: &AppState,
    uri: Uri,
    headers: &HeaderMap,
) -> Result<(Req, Session), Box<Response>> {
    let req = Req::new(state, uri, headers);
    let s = session_or_login(state, &req, headers)?;
    Ok((req, s))
}

/// A form POST: the request, its fields, and the session whose CSRF token it carries — or the
/// response refusing it.
fn form_post(
    state: &AppState,
    uri: Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Req, Pairs, Session), Box<Response>> {
    let req = Req::new(state, uri, headers);
    let pairs = posted(body);
    let s = checked(state, &req, headers, value(&pairs, "csrf"))?;
    Ok((req, pairs, s))
}

/// What a submission came to.
enum Done {
    /// Show the form again (with messages, or with a group added).
    Again(Box<(StatusCode, Opened, String, Vec<Values>, Messages)>),
    /// Go there.
    Go(String),
    Refused(Refusal),
}

/// `POST` of a form: `action` is `draft`, `publish`, `discard`, `add:f{i}` or `remove:f{i}.{k}`.
async fn submit(
    state: AppState,
    target: Target,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Internal> {
    let (req, pairs, s) = match form_post(&state, uri, &headers, &body) {
        Ok(x) => x,
        Err(r) => return Ok(*r),
    };
    let typed_comment = value(&pairs, "comment").unwrap_or("").to_owned();
    let _turn = state.providers.write.lock().await;
    let st = state.clone();
    let who = s.principal.clone();
    let t = target.clone();
    let lang = req.lang;
    let done = blocking(move || decide(&st, &who, &t, &pairs, lang)).await?;
    match done {
        Done::Go(to) => Ok(Redirect::to(&to).into_response()),
        Done::Refused(r) => refusal_page(&state, &req, r),
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
) -> Result<Done, String> {
    let fr = lang == "fr";
    let opened = match open(st, who, target)? {
        Ok(o) => o,
        Err(r) => return Ok(Done::Refused(r)),
    };
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
            drafts.remove(&d.id).map_err(|e| e.to_string())?;
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
                if fr {
                    format!(
                        "« {iri} » n'est pas une adresse http(s) : donnez l'IRI du jeu de données, par exemple https://catalogue.example.org/dataset/ma-cohorte"
                    )
                } else {
                    format!(
                        "“{iri}” is not an http(s) address: give the dataset's IRI, for example https://catalogue.example.org/dataset/my-cohort"
                    )
                },
            );
            return again(StatusCode::UNPROCESSABLE_ENTITY, messages);
        }
    };
    // The new graph: what the form did not show, as it was, plus what the form says now.
    let mut owned = HashSet::new();
    let subject_node: NamedOrBlankNode = subject.clone().into();
    form::read(&opened.graph, subject.as_ref().into(), &fields, &mut owned);
    let triples: Vec<Triple> = opened
        .graph
        .iter()
        .map(|t| t.into_owned())
        .filter(|t| !owned.contains(t))
        .collect();
    let mut written = form::Written {
        triples,
        nodes: vec![(subject_node.clone(), String::new())],
        messages,
    };
    form::write(&subject_node, &fields, &values, "", lang, &mut written);
    let form::Written {
        mut triples,
        nodes,
        mut messages,
    } = written;
    triples.push(Triple::new(
        subject.clone(),
        NamedNode::new_unchecked(RDF_TYPE),
        NamedNode::new_unchecked(DATASET),
    ));
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
            if fr {
                format!("vous pouvez publier pour : {}", who.publishers.join(", "))
            } else {
                format!("you may publish for: {}", who.publishers.join(", "))
            },
        );
    }
    if !messages.is_empty() {
        return again(StatusCode::UNPROCESSABLE_ENTITY, messages);
    }
    if matches!(target, Target::New)
        && st
            .store
            .record_by_key(subject.as_str())
            .map_err(|e| e.to_string())?
            .is_some()
    {
        say(
            &mut messages,
            "iri",
            if fr {
                format!("{iri} existe déjà dans le catalogue : choisissez une autre adresse")
            } else {
                format!("{iri} is already in the catalogue: choose another address")
            },
        );
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
            say(
                &mut messages,
                "",
                if fr {
                    "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte : rien n'a été enregistré. Ouvrez-la de nouveau pour voir sa version actuelle.".into()
                } else {
                    "Someone else changed this record since you opened it: nothing was saved. Open it again to see its current version.".into()
                },
            );
            return again(StatusCode::PRECONDITION_FAILED, messages);
        }
    }
    let text = healthcat_store::write_graph(&graph, Vec::new(), Format::NTriples)
        .map_err(|e| e.to_string())?;
    if action == "draft" {
        let drafts = match drafts(st) {
            Ok(d) => d,
            Err(r) => return Ok(Done::Refused(r)),
        };
        let parsed = match parse_as(Format::NTriples, &text, st.input) {
            Ok(p) => p,
            Err(r) => return Ok(Done::Refused(r)),
        };
        let id = opened.draft.as_ref().map_or_else(new_id, |d| d.id.clone());
        let mut draft = match draft_of(who, parsed, id, opened.draft.as_ref()) {
            Ok(d) => d,
            Err(r) => return Ok(Done::Refused(r)),
        };
        draft.base = value(pairs, "etag")
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .or(opened.etag.clone());
        drafts.save(&draft).map_err(|e| e.to_string())?;
        return Ok(Done::Go(format!("/edit/drafts/{}?saved=1", draft.id)));
    }
    // Publish: validated with what the catalogue holds of the resources it names (publisher,
    // access body), the messages placed next to their fields.
    let whole = st
        .store
        .with_shared_from(graph, "local")
        .map_err(|e| e.to_string())?;
    let data: Vec<_> = whole.iter().collect();
    let report = profile.validate(
        &data,
        &Options {
            level: None,
            skip_document_shapes: true,
        },
    );
    let flat: Vec<_> = report.results.iter().flat_map(|r| r.flatten()).collect();
    let summaries = profile.summaries(&report, lang);
    let mut blocking_results = 0;
    for (r, summary) in flat.iter().zip(&summaries) {
        if r.is_warning() || !r.details.is_empty() && summary.explanation.is_empty() {
            continue;
        }
        blocking_results += 1;
        let path = match &r.result_path {
            Some(healthcat_shacl::ResultPath::Shape(p)) => profile
                .shapes()
                .path_text(*p)
                .map(|t| t.trim_matches(['<', '>']).to_owned()),
            Some(healthcat_shacl::ResultPath::Predicate(oxrdf::Term::NamedNode(n))) => {
                Some(n.as_str().to_owned())
            }
            _ => None,
        };
        let field = form::field_of(&fields, &nodes, &r.focus_node, path.as_deref());
        let text = if summary.explanation.is_empty() {
            summary.messages.join(" ")
        } else {
            summary.explanation.clone()
        };
        let list = messages.entry(field).or_default();
        if !list.contains(&text) {
            list.push(text);
        }
    }
    if blocking_results > 0 {
        say(
            &mut messages,
            "",
            if fr {
                format!(
                    "La fiche n'est pas conforme au profil {} : rien n'a été publié. Corrigez les champs signalés, ou enregistrez-la comme brouillon.",
                    profile.title
                )
            } else {
                format!(
                    "The record does not conform to the {} profile: nothing was published. Correct the fields marked, or save it as a draft.",
                    profile.title
                )
            },
        );
        return again(StatusCode::UNPROCESSABLE_ENTITY, messages);
    }
    let text = healthcat_store::write_graph(&whole, Vec::new(), Format::NTriples)
        .map_err(|e| e.to_string())?;
    let (doc, _) = match parse_as(Format::NTriples, &text, st.input) {
        Ok(p) => p,
        Err(r) => return Ok(Done::Refused(r)),
    };
    let status = if opened.record.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let why = value(pairs, "comment")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    let res = store_doc(st, who, &doc, false, status, why)?;
    if !res.status().is_success() {
        say(&mut messages, "", format!("{}", res.status()));
        return again(res.status(), messages);
    }
    if let (Some(d), Some(drafts)) = (&opened.draft, &st.drafts) {
        drafts.remove(&d.id).map_err(|e| e.to_string())?;
    }
    let id = st
        .store
        .record_by_key(subject.as_str())
        .map_err(|e| e.to_string())?
        .and_then(|m| m.local_id)
        .map(|l| l.as_str().to_owned())
        .unwrap_or_default();
    Ok(Done::Go(format!("/datasets/{id}")))
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
    uri: Uri,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    let (mut csrf, mut file, mut error) = (None, None, None);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                match field.bytes().await {
                    Ok(b) if name == "csrf" => {
                        csrf = Some(String::from_utf8_lossy(&b).into_owned())
                    }
                    Ok(b) if name == "file" && !b.is_empty() => {
                        file = Some((file_name.unwrap_or_default(), b))
                    }
                    Ok(_) => {}
                    Err(e) => {
                        error = Some(e.status());
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                error = Some(e.status());
                break;
            }
        }
    }
    let back = |key: &str, detail: &str| {
        let message = crate::site::i18n::fill(
            &req.t(&state, key),
            &[
                ("detail", detail),
                ("max", &(crate::ingest_api::MAX_BODY >> 20).to_string()),
            ],
        );
        Ok(Redirect::to(&crate::site::href("/edit", &[("error".into(), message)])).into_response())
    };
    if let Some(status) = error {
        return if status == StatusCode::PAYLOAD_TOO_LARGE {
            back("edit_too_large", "")
        } else {
            back("edit_import_failed", status.as_str())
        };
    }
    let s = match checked(&state, &req, &headers, csrf.as_deref()) {
        Ok(s) => s,
        Err(r) => return Ok(*r),
    };
    let Some((name, bytes)) = file else {
        return back("edit_import_empty", "");
    };
    let Some(format) = Format::from_path(std::path::Path::new(&name)) else {
        return back(
            "edit_import_failed",
            &format!("{name}: .ttl, .nt, .rdf, .jsonld"),
        );
    };
    let st = state.clone();
    let who = s.principal.clone();
    let made = blocking(move || {
        let drafts = match drafts(&st) {
            Ok(d) => d,
            Err(r) => return Ok(Err(r.1)),
        };
        let parsed = match parse_as(format, &bytes, st.input) {
            Ok(p) => p,
            Err(r) => return Ok(Err(format!("{name}: {}", r.1))),
        };
        if parsed.1.len() > 1 {
            return Ok(Err(format!(
                "{name}: {} datasets (the editor takes one per file; several: healthcat import, or POST /api/drafts)",
                parsed.1.len()
            )));
        }
        let mut draft = match draft_of(&who, parsed, new_id(), None) {
            Ok(d) => d,
            Err(r) => return Ok(Err(r.1)),
        };
        // A file describing a record that exists is a proposed new version of it.
        if let Some(key) = draft.records.first()
            && let Some(m) = st.store.record_by_key(key).map_err(|e| e.to_string())?
        {
            draft.base = Some(m.hash);
        }
        drafts.save(&draft).map_err(|e| e.to_string())?;
        Ok(Ok(draft.id))
    })
    .await?;
    match made {
        Ok(id) => Ok(Redirect::to(&format!("/edit/drafts/{id}")).into_response()),
        Err(detail) => back("edit_import_failed", &detail),
    }
}
