//! The pages: home, search, dataset, catalogues, publisher, validation, API, errors.

use crate::kernel::page::{Req, access_class, facet_label, label, label_facets};
use crate::kernel::urls::href;
use crate::kernel::{AppError, AppState, Text, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_search::{FACETS, SearchRequest, SearchResults, Sort};
use serde_json::{Value, json};

async fn run_search(
    state: &AppState,
    r: SearchRequest,
    trusted: bool,
    lang: &'static str,
) -> Result<SearchResults, AppError> {
    let st = state.clone();
    blocking(move || {
        let mut results = st.search.search(&r)?;
        label_facets(&st, &mut results, lang);
        crate::kernel::trusted::add_facet(&st, &mut results, trusted, lang);
        Ok(results)
    })
    .await
}

/// A hit as the templates show it.
fn hit_json(state: &AppState, h: &healthcat_search::Hit, lang: &str) -> Value {
    json!({
        "id": h.id,
        "title": h.title,
        "title_lang": h.title_lang,
        "snippet": h.snippet,
        "snippet_lang": h.snippet_lang,
        "publisher": h.publisher.as_ref().map(|(_, name)| name),
        "access": h.access_rights.as_deref().map(|a| label(state, a, lang)),
        "access_class": h.access_rights.as_deref().map(access_class),
        "modified": h.modified,
    })
}

/// `GET /`
pub(crate) async fn home(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let r = SearchRequest {
        sort: Sort::Modified,
        per_page: 6,
        lang: req.lang.into(),
        ..Default::default()
    };
    let results = run_search(&state, r, false, req.lang).await?;
    let facet = |name: &str| results.facets.iter().find(|f| f.name == name);
    let browse: Vec<Value> = [
        ("health_category", "browse_health_category", 12),
        ("theme", "browse_theme", 12),
        ("publisher", "browse_publisher", 8),
    ]
    .into_iter()
    .map(|(name, title, max)| {
        let values: Vec<Value> = facet(name)
            .map(|f| {
                f.values
                    .iter()
                    .take(max)
                    .map(|v| {
                        json!({
                            "label": v.label,
                            "count": v.count,
                            "href": href("/search", &[(name.to_owned(), v.value.clone())]),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        json!({ "title": req.t(&state, title), "values": values })
    })
    .collect();
    let distinct = |name: &str| facet(name).map_or(0, |f| f.values.len());
    let ctx = json!({
        "counts": {
            "datasets": results.total,
            "publishers": distinct("publisher"),
            "sources": distinct("source"),
        },
        "browse": browse,
        "recent": results.hits.iter().map(|h| hit_json(&state, h, req.lang)).collect::<Vec<_>>(),
    });
    req.page(&state, StatusCode::OK, "home.html", "home", ctx)
}

/// `GET /search`: the same parameters as `/api/search`.
pub(crate) async fn search(
    State(state): State<AppState>,
    crate::kernel::extract::Visit(visit): crate::kernel::extract::Visit,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    // Parameters that only concern the page (language) are not search parameters.
    let params: Vec<(String, String)> = req
        .params
        .iter()
        .filter(|(k, _)| k != "lang")
        .cloned()
        .collect();
    let mut error = None;
    let (mut r, trusted) = match crate::kernel::trusted::search_request(&state, &params) {
        Ok(r) => r,
        Err(e) => {
            error = Some(e.to_string());
            (SearchRequest::default(), false)
        }
    };
    r.lang = req.lang.into();
    r.typo_min_chars = state.search.settings().typo_min_chars;
    let (page, per_page, q, sort) = (r.page, r.per_page, r.q.clone(), r.sort);
    let results = match run_search(&state, r, trusted, req.lang).await {
        Ok(results) => results,
        // A search the index refuses: the page says why, with no results.
        Err(AppError::Refused {
            message: Text::Said(e),
            ..
        }) => {
            error = Some(e);
            SearchResults {
                total: 0,
                hits: Vec::new(),
                facets: Vec::new(),
            }
        }
        Err(e) => return Err(e),
    };
    state.usage.shown(
        visit,
        healthcat_usage::Endpoint::Page,
        results.hits.iter().map(|h| h.id.as_str()),
    );
    // Links keep every parameter but the page; a facet value toggles its own pair.
    let base: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "page")
        .cloned()
        .collect();
    let toggle = |name: &str, value: &str| {
        let pair = (name.to_owned(), value.to_owned());
        let mut next: Vec<(String, String)> = base.clone();
        if let Some(i) = next.iter().position(|p| *p == pair) {
            next.remove(i);
        } else {
            next.push(pair);
        }
        href("/search", &next)
    };
    let is_selected = |name: &str, value: &str| params.iter().any(|(k, v)| k == name && v == value);
    let facets: Vec<Value> = results
        .facets
        .iter()
        .map(|f| {
            let values: Vec<Value> = f
                .values
                .iter()
                .take(15)
                .map(|v| {
                    json!({
                        "label": v.label,
                        "count": v.count,
                        "href": toggle(&f.name, &v.value),
                        "selected": is_selected(&f.name, &v.value),
                    })
                })
                .collect();
            json!({
                "name": f.name,
                "title": req.t(&state, &format!("facet_{}", f.name)),
                "values": values,
            })
        })
        .collect();
    let active: Vec<Value> = params
        .iter()
        .filter(|(k, v)| (FACETS.contains(&k.as_str()) || k == "variable") && !v.is_empty())
        .map(|(k, v)| {
            let label = if k == "variable" {
                v.clone()
            } else {
                facet_label(&state, k, v, req.lang)
            };
            json!({
                "name": k,
                "value": v,
                "facet": req.t(&state, &format!("facet_{k}")),
                "label": label,
                "remove": toggle(k, v),
            })
        })
        .collect();
    let sorts: Vec<Value> = [
        ("relevance", Sort::Relevance),
        ("modified", Sort::Modified),
        ("title", Sort::Title),
        ("quality", Sort::Quality),
        ("ehds_label", Sort::Label),
    ]
    .into_iter()
    .map(|(value, s)| {
        json!({
            "value": value,
            "label": req.t(&state, &format!("sort_{value}")),
            "selected": s == sort,
        })
    })
    .collect();
    let pages_total = results.total.div_ceil(per_page).max(1);
    let pages = (results.total > per_page).then(|| {
        let at = |p: usize| {
            let mut next = base.clone();
            next.push(("page".into(), p.to_string()));
            href("/search", &next)
        };
        json!({
            "previous": (page > 1).then(|| at(page - 1)),
            "next": (page < pages_total).then(|| at(page + 1)),
            "label": crate::kernel::i18n::fill(&req.t(&state, "page_of"), &[
                ("page", &crate::kernel::i18n::number(page as u64, req.lang)),
                ("pages", &crate::kernel::i18n::number(pages_total as u64, req.lang)),
            ]),
        })
    });
    let heading = match results.total {
        0 => req.t(&state, "results_none"),
        1 => req.t(&state, "results_one"),
        n => crate::kernel::i18n::fill(
            &req.t(&state, "results_many"),
            &[("n", &crate::kernel::i18n::number(n as u64, req.lang))],
        ),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let feed_params: Vec<(String, String)> =
        base.iter().filter(|(k, _)| k != "sort").cloned().collect();
    let variable = params
        .iter()
        .find(|(k, _)| k == "variable")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let ctx = json!({
        "q": q,
        "variable": variable,
        "feed": href("/search.atom", &feed_params),
        "error": error,
        "facets": facets,
        "active": active,
        "sorts": sorts,
        "results_heading": heading,
        "hits": results.hits.iter().map(|h| hit_json(&state, h, req.lang)).collect::<Vec<_>>(),
        "pages": pages,
    });
    req.page(&state, status, "search.html", "search", ctx)
}

/// Most entries in a search's Atom feed.
const FEED_ENTRIES: usize = 50;

/// `GET /search.atom?…`: the same search as an Atom feed of the records that newly match it or
/// changed, most recent first (at most [`FEED_ENTRIES`]); its own order and paging parameters are
/// ignored. A search the index refuses is a 400 naming the parameter.
pub(crate) async fn search_atom(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let params: Vec<(String, String)> = req
        .params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "lang" | "sort" | "page" | "per_page"))
        .cloned()
        .collect();
    let (mut r, trusted) = crate::kernel::trusted::search_request(&state, &params)
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    r.lang = req.lang.into();
    r.typo_min_chars = state.search.settings().typo_min_chars;
    r.sort = Sort::Modified;
    r.page = 1;
    r.per_page = FEED_ENTRIES;
    let results = run_search(&state, r.clone(), trusted, req.lang).await?;
    let base = crate::kernel::negotiate::base_url(&headers);
    // What the search is, in words: its text and its filters' labels.
    let mut what: Vec<String> = Vec::new();
    if !r.q.trim().is_empty() {
        what.push(format!("« {} »", r.q.trim()));
    }
    for (k, v) in &params {
        if FACETS.contains(&k.as_str()) && !v.is_empty() {
            what.push(facet_label(&state, k, v, req.lang));
        } else if k == "variable" && !v.trim().is_empty() {
            what.push(format!(
                "{} « {} »",
                req.t(&state, "facet_variable"),
                v.trim()
            ));
        }
    }
    let what = if what.is_empty() {
        req.t(&state, "atom_all")
    } else {
        what.join(", ")
    };
    let site = if req.lang == "en" {
        &state.site.title.1
    } else {
        &state.site.title.0
    };
    let mut with_lang = params.clone();
    with_lang.push(("lang".into(), req.lang.to_owned()));
    let info = healthcat_publish::atom::FeedInfo {
        title: crate::kernel::i18n::fill(
            &req.t(&state, "atom_title"),
            &[("site", site), ("search", &what)],
        ),
        self_url: format!("{base}{}", href("/search.atom", &with_lang)),
        alternate: format!("{base}{}", href("/search", &with_lang)),
        author: state.site.publisher.clone(),
        lang: req.lang.to_owned(),
        now: jiff::Timestamp::now().to_string(),
    };
    let entries: Vec<healthcat_publish::atom::FeedEntry> = results
        .hits
        .iter()
        .map(|h| healthcat_publish::atom::FeedEntry {
            page: format!("{base}/datasets/{}", h.id),
            title: h.title.clone(),
            summary_html: h.snippet.clone(),
            updated: h.modified.clone(),
            publisher: h.publisher.as_ref().map(|(_, name)| name.clone()),
        })
        .collect();
    let xml = healthcat_publish::atom::feed(&info, &entries).map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::VARY, "Accept-Language, Cookie"),
        ],
        xml,
    )
        .into_response())
}

/// `GET /catalogues`: the source catalogues and the publishers.
pub(crate) async fn catalogues(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let r = SearchRequest {
        per_page: 1,
        lang: req.lang.into(),
        ..Default::default()
    };
    let results = run_search(&state, r, false, req.lang).await?;
    let values = |name: &str, link: &dyn Fn(&str) -> String| -> Vec<Value> {
        results
            .facets
            .iter()
            .find(|f| f.name == name)
            .map(|f| {
                f.values
                    .iter()
                    .map(|v| json!({ "label": v.label, "count": v.count, "href": link(&v.value) }))
                    .collect()
            })
            .unwrap_or_default()
    };
    let local = req.t(&state, "catalogues_local");
    let mut catalogues = values("source", &|v| {
        href("/search", &[("source".into(), v.to_owned())])
    });
    for c in &mut catalogues {
        if c["label"] == "local" {
            c["label"] = json!(local);
        }
    }
    let publishers = values("publisher", &|v| {
        href("/publishers", &[("iri".into(), v.to_owned())])
    });
    let ctx = json!({ "catalogues": catalogues, "publishers": publishers });
    req.page(&state, StatusCode::OK, "catalogues.html", "catalogues", ctx)
}

/// `GET /publishers?iri=`: a publisher and its most recent datasets.
pub(crate) async fn publisher(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let Some(iri) = req
        .params
        .iter()
        .find(|(k, _)| k == "iri")
        .map(|(_, v)| v.clone())
    else {
        return Err(AppError::page(
            StatusCode::BAD_REQUEST,
            "bad_request_title",
            "publisher_missing_iri",
        ));
    };
    let r = SearchRequest {
        filters: vec![("publisher".into(), vec![iri.clone()])],
        sort: Sort::Modified,
        per_page: 20,
        lang: req.lang.into(),
        ..Default::default()
    };
    let results = run_search(&state, r, false, req.lang).await?;
    if results.total == 0 {
        return Err(AppError::not_found());
    }
    let name = facet_label(&state, "publisher", &iri, req.lang);
    let ctx = json!({
        "name": name,
        "iri": iri,
        "summary": crate::kernel::i18n::fill(&req.t(&state, "publisher_summary"),
            &[("n", &crate::kernel::i18n::number(results.total as u64, req.lang))]),
        "hits": results.hits.iter().map(|h| hit_json(&state, h, req.lang)).collect::<Vec<_>>(),
        "more": (results.total > 20).then(|| href("/search", &[("publisher".into(), iri.clone())])),
        "statistics": href("/statistics", &[("publisher".into(), iri.clone())]),
    });
    req.page(&state, StatusCode::OK, "publisher.html", "catalogues", ctx)
}

/// `GET /api`: the machine endpoints.
pub(crate) async fn api(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let endpoints: Vec<Value> = [
        ("GET", "/api/search?q=cancer", "api_search", true),
        ("GET", "/api/suggest?q=regis", "api_suggest", true),
        ("GET", "/api/variables?q=age", "api_variables", true),
        ("GET", "/search.atom?q=cancer", "api_atom", true),
        ("GET", "/datasets/{id}/croissant.jsonld", "api_croissant", false),
        ("GET", "/datasets/{id}/cite.bib", "api_cite", false),
        ("PUT", "/api/datasets/{id}/dictionary", "api_dictionary", false),
        ("POST", "/api/validate", "api_validate", false),
        ("POST", "/ingest/datasets", "api_ingest", false),
        ("GET", "/api/openapi.json", "api_openapi", true),
        ("GET", "/catalog.ttl", "api_catalog", true),
        ("GET", "/datasets/{id}.ttl", "api_record", false),
        ("GET", "/api/datasets/{id}/quality", "api_quality", false),
        ("GET", "/api/quality", "api_quality_catalogue", true),
        ("GET", "/api/statistics", "api_statistics", true),
        ("GET", "/sparql", "api_sparql", true),
        ("GET", "/api/harvest", "api_harvest", true),
        ("GET", "/healthz", "api_healthz", true),
        ("GET", "/readyz", "api_readyz", true),
        ("GET", "/metrics", "api_metrics", true),
    ]
    .into_iter()
    .map(|(method, path, what, link)| {
        json!({ "method": method, "path": path, "what": req.t(&state, what), "link": link })
    })
    .collect();
    req.page(
        &state,
        StatusCode::OK,
        "api.html",
        "api",
        json!({ "endpoints": endpoints }),
    )
}

/// `GET /static/{*path}`: the theme's files (the deployer's first).
pub(crate) async fn static_file(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response, AppError> {
    match state.site.theme.file(&format!("static/{path}")) {
        Some(bytes) => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    crate::kernel::theme::content_type(&path),
                ),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes.into_owned(),
        )
            .into_response()),
        None => Err(AppError::not_found()),
    }
}

/// `GET /theme.css`: the theme's colours.
pub(crate) async fn theme_css(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        state.site.theme.css(),
    )
        .into_response()
}
