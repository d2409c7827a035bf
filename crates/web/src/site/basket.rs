//! The researcher's basket (`/basket`): datasets added from search results, the variables
//! search and dataset pages (a form button, no script), grouped by the health data access body
//! that decides and the access level, each with its access routes, the variables to ask for and a
//! note; handed over as JSON (`/basket.json`), HealthDCAT-AP Turtle (`/basket.ttl`), the HDAB's
//! request page where it declares a URL template, or a POST to the configured application system.
//!
//! The basket is kept by the server (`healthcat_basket::Baskets`) under a signed token in a
//! cookie set only when the researcher first adds a dataset: `basket`, `HttpOnly`,
//! `SameSite=Lax` (a form on another site cannot change it), no account. The rules and bounds are
//! `healthcat_basket`'s; this module reads forms and writes pages.

use crate::kernel::i18n::fill;
use crate::kernel::page::{Req, access_class, label, now};
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_basket::{AddOutcome, BasketError, Lookup, Resolved, handover};
use serde_json::{Value, json};

/// The cookie's name.
pub(crate) const COOKIE: &str = "basket";

/// The basket token the request carries.
pub(crate) fn token(headers: &HeaderMap) -> Option<String> {
    crate::kernel::session::cookie(headers, COOKIE)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

fn cookie(token: &str, state: &AppState, secure: bool) -> Option<HeaderValue> {
    let max_age = state.basket.baskets.limits().ttl_hours * 3600;
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// A redirect to `back` (a path of this site only; else the basket) with the basket's cookie.
fn back_to(state: &AppState, headers: &HeaderMap, back: Option<&str>, token: &str) -> Response {
    let back = crate::kernel::session::local_path(back).unwrap_or("/basket");
    let mut res = Redirect::to(back).into_response();
    let secure = !crate::kernel::session::is_loopback(headers);
    if let Some(c) = cookie(token, state, secure) {
        res.headers_mut().insert(header::SET_COOKIE, c);
    }
    res
}

/// Refuses a form sent from another site (`Origin` or `Sec-Fetch-Site` say so): such a form could
/// not change the reader's basket (its cookie is `SameSite=Lax`), but it could replace the cookie
/// with a new basket's, and the reader would lose theirs.
fn same_site(headers: &HeaderMap) -> Result<(), AppError> {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("same-origin");
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_ok = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|o| {
            o.strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"))
                .is_some_and(|h| h == host)
        });
    if matches!(fetch_site, "same-origin" | "none") && origin_ok {
        Ok(())
    } else {
        Err(AppError::refused(
            StatusCode::FORBIDDEN,
            "the basket is changed from this catalogue's own pages only",
        ))
    }
}

/// The form's fields (`application/x-www-form-urlencoded`), in order.
fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn all(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

impl From<BasketError> for AppError {
    fn from(e: BasketError) -> Self {
        match e {
            BasketError::Bad(m) => AppError::bad_request(m),
            e => AppError::internal(e),
        }
    }
}

/// `POST /basket/add` (form: `id`, `variable`…, `back`): adds a dataset, with variables.
pub(crate) async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let f = fields(&body);
    let id = field(&f, "id").unwrap_or_default().to_owned();
    let local = healthcat_model::LocalId::new(id.clone())
        .map_err(|_| AppError::bad_request("id: the dataset to add"))?;
    let (st, variables, token) = (state.clone(), all(&f, "variable"), self::token(&headers));
    let (token, outcome) = blocking(move || {
        if st.store.get(&local)?.is_none() {
            return Err(AppError::not_found());
        }
        Ok(st
            .basket
            .baskets
            .add(token.as_deref(), &id, &variables, now())?)
    })
    .await?;
    let back = match outcome {
        AddOutcome::Added => field(&f, "back").map(str::to_owned),
        AddOutcome::Full => Some("/basket?full=1".to_owned()),
    };
    Ok(back_to(&state, &headers, back.as_deref(), &token))
}

/// `POST /basket/remove` (form: `id`, `back`)
pub(crate) async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let f = fields(&body);
    let Some(token) = token(&headers) else {
        return Ok(Redirect::to("/basket").into_response());
    };
    let (st, id) = (
        state.clone(),
        field(&f, "id").unwrap_or_default().to_owned(),
    );
    // Baskets are written to disk: off the async threads.
    let token = blocking(move || Ok(st.basket.baskets.remove(&token, &id, now())?)).await?;
    Ok(back_to(&state, &headers, field(&f, "back"), &token))
}

/// `POST /basket/items/{id}` (form: `variable`…, `note`): the variables chosen and the note.
pub(crate) async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let f = fields(&body);
    let Some(token) = token(&headers) else {
        return Ok(Redirect::to("/basket").into_response());
    };
    let note = field(&f, "note").unwrap_or_default().to_owned();
    let (st, item, variables) = (state.clone(), id.clone(), all(&f, "variable"));
    let token = blocking(move || {
        Ok(st
            .basket
            .baskets
            .set(&token, &item, &variables, &note, now())?)
    })
    .await?;
    let back = format!(
        "/basket?saved={}#item-{id}",
        form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
    );
    Ok(back_to(&state, &headers, Some(&back), &token))
}

/// `POST /basket/clear`: forgets the basket.
pub(crate) async fn clear(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    if let Some(token) = token(&headers) {
        let st = state.clone();
        blocking(move || {
            st.basket.baskets.clear(&token);
            Ok(())
        })
        .await?;
    }
    let mut res = Redirect::to("/basket").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("basket=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
    );
    Ok(res)
}

/// The basket the request names, resolved against the store; what to tell about the token.
async fn current(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Resolved, Option<&'static str>), AppError> {
    let Some(token) = token(headers) else {
        return Ok((Resolved::default(), None));
    };
    let lookup = state.basket.baskets.get(&token, now());
    let st = state.clone();
    match lookup {
        Lookup::Found(basket) => {
            let resolved = blocking(move || {
                let resolved = healthcat_basket::resolve(&st.store, &basket)?;
                // Withdrawn records leave the basket (the page says which).
                for id in &resolved.withdrawn {
                    let _ = st.basket.baskets.remove(&token, id, now());
                }
                Ok(resolved)
            })
            .await?;
            Ok((resolved, None))
        }
        Lookup::Expired => Ok((Resolved::default(), Some("basket_expired"))),
        Lookup::Altered => Ok((Resolved::default(), Some("basket_altered"))),
    }
}

/// `GET /basket`
pub(crate) async fn page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let (resolved, problem) = current(&state, &headers).await?;
    let lang = req.lang;
    let t = |k: &str| req.t(&state, k);
    let base = crate::kernel::negotiate::base_url(&headers);
    let groups: Vec<Value> = resolved
        .groups
        .iter()
        .map(|g| {
            let entries: Vec<Value> = g
                .entries
                .iter()
                .map(|e| {
                    let routes: Vec<Value> = e
                        .view
                        .distributions
                        .iter()
                        .flat_map(|d| d.access_urls.iter())
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                        .map(|u| json!(crate::kernel::urls::href(&format!("/datasets/{}/access", e.id), &[("to".into(), u.clone())])))
                        .collect();
                    let variables: Vec<Value> = e
                        .variables
                        .iter()
                        .map(|v| json!({
                            "key": v.key, "name": v.name, "table": v.table, "chosen": v.chosen,
                            "title": v.titles.best(&[lang, "fr", "en"]).unwrap_or_default(),
                        }))
                        .collect();
                    let (title_lang, title) = super::dataset::text(&e.view.title, lang)
                        .unwrap_or_else(|| (String::new(), e.id.clone()));
                    json!({
                        "id": e.id, "title": title, "title_lang": title_lang,
                        "routes": routes, "variables": variables, "note": e.note,
                        "chosen": e.chosen().count(),
                        "stale": (!e.stale_variables.is_empty()).then(|| fill(&t("basket_stale"), &[("names", &e.stale_variables.join(", "))])),
                    })
                })
                .collect();
            let role = if g.is_hdab { t("basket_role_hdab") } else { t("basket_role_publisher") };
            json!({
                "authority": g.authority.name(lang),
                "role": role,
                "contact": g.authority.contact,
                "access": g.access_rights.as_deref().map(|a| label(&state, a, lang)),
                "access_class": g.access_rights.as_deref().map(access_class),
                "request_page": state.basket.request_page(&g.authority.iri).map(|p| p.url(g, &base)),
                "entries": entries,
            })
        })
        .collect();
    let count = resolved.len();
    let ctx = json!({
        "groups": groups,
        "count": count,
        "summary": fill(&t("basket_summary"), &[("n", &count.to_string()), ("bodies", &resolved.groups.len().to_string())]),
        "problem": problem.map(|k| fill(&t(k), &[("hours", &state.basket.baskets.limits().ttl_hours.to_string())])),
        "withdrawn": (!resolved.withdrawn.is_empty()).then(|| fill(&t("basket_withdrawn"), &[("ids", &resolved.withdrawn.join(", "))])),
        "full": req.params.iter().any(|(k, _)| k == "full").then(|| fill(&t("basket_full"), &[("max", &state.basket.baskets.limits().max_items.to_string())])),
        "saved": req.params.iter().any(|(k, _)| k == "saved"),
        "submit": state.basket.submitter.is_some(),
        "sent": req.params.iter().find(|(k, _)| k == "sent").map(|(_, v)| v.clone()),
    });
    let mut res = req.private_page(&state, StatusCode::OK, "basket.html", "basket", ctx)?;
    if problem.is_some() {
        res.headers_mut().insert(
            header::SET_COOKIE,
            HeaderValue::from_static("basket=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
        );
    }
    Ok(res)
}

/// `GET /basket.json`
pub(crate) async fn json_file(
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    download(state, "basket.json", uri, headers).await
}

/// `GET /basket.ttl`
pub(crate) async fn turtle_file(
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    download(state, "basket.ttl", uri, headers).await
}

/// The hand-over documents, as downloads.
async fn download(
    State(state): State<AppState>,
    file: &str,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let (resolved, _) = current(&state, &headers).await?;
    let base = crate::kernel::negotiate::base_url(&headers);
    let created = jiff::Timestamp::now().to_string();
    let (body, media_type) = match file {
        "basket.json" => (
            serde_json::to_string_pretty(&handover::to_json(&resolved, &base, &created, req.lang))
                .map_err(AppError::internal)?,
            "application/json",
        ),
        "basket.ttl" => (
            handover::to_turtle(&resolved, &base, &created).map_err(AppError::internal)?,
            "text/turtle; charset=utf-8",
        ),
        _ => return Err(AppError::not_found()),
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
        body,
    )
        .into_response())
}

/// `POST /basket/submit`: the basket's JSON POSTed to the configured application system; the
/// answer (its reference and where to continue) or why not — the basket is kept either way.
pub(crate) async fn submit(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    same_site(&headers)?;
    let req = Req::new(&state, uri, &headers);
    let Some(submitter) = state.basket.submitter.clone() else {
        return Err(AppError::not_found());
    };
    let (resolved, _) = current(&state, &headers).await?;
    if resolved.is_empty() {
        return Ok(Redirect::to("/basket").into_response());
    }
    let base = crate::kernel::negotiate::base_url(&headers);
    let created = jiff::Timestamp::now().to_string();
    let document = handover::to_json(&resolved, &base, &created, req.lang);
    let t = |k: &str| req.t(&state, k);
    let (status, ctx) = match submitter.submit(&document).await {
        Ok(receipt) => (
            StatusCode::OK,
            json!({
                "ok": true,
                "message": fill(&t("basket_sent"), &[("reference", receipt.reference.as_deref().unwrap_or("—"))]),
                "url": receipt.url,
            }),
        ),
        Err(e) => {
            tracing::warn!(endpoint = submitter.url(), error = %e, "basket not handed over");
            (
                StatusCode::BAD_GATEWAY,
                json!({ "ok": false, "message": fill(&t("basket_not_sent"), &[("why", &e.to_string())]), "url": null }),
            )
        }
    };
    req.private_page(&state, status, "basket_sent.html", "basket", ctx)
}
