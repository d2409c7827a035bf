//! The pages: home, search, dataset, catalogues, publisher, validation, API, errors.

use super::{href, query_pairs};
use crate::routes::{AppState, Internal, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use healthcat_search::{FACETS, SearchRequest, SearchResults, Sort};
use serde::Serialize;
use serde_json::{Value, json};

/// Every page template, compiled at start.
pub(crate) const TEMPLATES: &[&str] = &[
    "home.html",
    "search.html",
    "dataset.html",
    "catalogues.html",
    "publisher.html",
    "validate.html",
    "api.html",
    "sparql.html",
    "error.html",
    "login.html",
    "edit.html",
    "editor.html",
    "history.html",
];

/// What every handler starts from: the reader's language and the request's address.
pub(crate) struct Req {
    pub(crate) lang: &'static str,
    remember: bool,
    pub(crate) uri: Uri,
    pub(crate) params: Vec<(String, String)>,
}

impl Req {
    pub(crate) fn new(state: &AppState, uri: Uri, headers: &HeaderMap) -> Self {
        let params = query_pairs(&uri);
        let asked = params
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        let n = state.site.negotiate(asked, headers);
        Req {
            lang: n.lang,
            remember: n.from_query,
            uri,
            params,
        }
    }

    /// The page, with the headers every page carries.
    pub(crate) fn page(
        &self,
        state: &AppState,
        status: StatusCode,
        template: &str,
        nav: &str,
        ctx: impl Serialize,
    ) -> Result<Response, Internal> {
        let html = state
            .site
            .render(template, self.lang, &self.uri, nav, ctx)
            .map_err(Internal)?;
        let mut res = (status, Html(html)).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(self.lang),
        );
        h.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        if self.remember
            && let Ok(v) = HeaderValue::from_str(&super::i18n::cookie(self.lang))
        {
            h.insert(header::SET_COOKIE, v);
        }
        Ok(res)
    }

    pub(crate) fn error(
        &self,
        state: &AppState,
        status: StatusCode,
        heading: &str,
        message: &str,
    ) -> Result<Response, Internal> {
        let ctx = json!({ "heading": heading, "message": message });
        self.page(state, status, "error.html", "", ctx)
    }

    pub(crate) fn t(&self, state: &AppState, key: &str) -> String {
        state.site.msg(self.lang, key)
    }
}

/// The label a person reads for a code-list IRI: the bundled code list's, then healthcat's own
/// table, then the IRI's last segment when it says something (an ELI ends in `oj`: then the IRI
/// without its scheme) — never an empty string.
pub(crate) fn label(state: &AppState, iri: &str, lang: &str) -> String {
    state
        .validation
        .default
        .background()
        .label_of(iri, lang)
        .or_else(|| healthcat_model::labels::label(iri, lang).map(str::to_owned))
        .unwrap_or_else(|| {
            let last = iri
                .trim_end_matches(['/', '#'])
                .rsplit(['/', '#'])
                .next()
                .unwrap_or(iri);
            if last.chars().count() > 3 {
                last.to_owned()
            } else {
                iri.split_once("://")
                    .map_or(iri, |(_, rest)| rest)
                    .to_owned()
            }
        })
}

/// The label of a value of facet `facet`: a publisher's name, a source's id, a code's label.
fn facet_label(state: &AppState, facet: &str, value: &str, lang: &str) -> String {
    match facet {
        "publisher" => state
            .search
            .publisher_name(value, lang)
            .unwrap_or_else(|| label(state, value, lang)),
        "source" => value.to_owned(),
        _ => label(state, value, lang),
    }
}

/// Fills the facet labels of `results`.
pub(crate) fn label_facets(state: &AppState, results: &mut SearchResults, lang: &str) {
    for facet in &mut results.facets {
        for v in &mut facet.values {
            v.label = Some(facet_label(state, &facet.name, &v.value, lang));
        }
    }
}

/// The badge style of an access level: `public`, else `restricted`.
pub(crate) fn access_class(iri: &str) -> &'static str {
    if iri.ends_with("/PUBLIC") {
        "public"
    } else {
        "restricted"
    }
}

async fn run_search(
    state: &AppState,
    r: SearchRequest,
    lang: &'static str,
) -> Result<Result<SearchResults, String>, Internal> {
    let st = state.clone();
    blocking(move || match st.search.search(&r) {
        Ok(mut results) => {
            label_facets(&st, &mut results, lang);
            Ok(Ok(results))
        }
        Err(healthcat_search::SearchError::BadRequest(m)) => Ok(Err(m)),
        Err(e) => Err(e.to_string()),
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
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    let r = SearchRequest {
        sort: Sort::Modified,
        per_page: 6,
        lang: req.lang.into(),
        ..Default::default()
    };
    let results = run_search(&state, r, req.lang).await?.map_err(Internal)?;
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
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    // Parameters that only concern the page (language) are not search parameters.
    let params: Vec<(String, String)> = req
        .params
        .iter()
        .filter(|(k, _)| k != "lang")
        .cloned()
        .collect();
    let mut error = None;
    let mut r = match crate::search::request(&params) {
        Ok(r) => r,
        Err(e) => {
            error = Some(e);
            SearchRequest::default()
        }
    };
    r.lang = req.lang.into();
    r.typo_min_chars = state.search.settings().typo_min_chars;
    let (page, per_page, q, sort) = (r.page, r.per_page, r.q.clone(), r.sort);
    let results = match run_search(&state, r, req.lang).await? {
        Ok(results) => results,
        Err(e) => {
            error = Some(e);
            SearchResults {
                total: 0,
                hits: Vec::new(),
                facets: Vec::new(),
            }
        }
    };
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
        .filter(|(k, v)| FACETS.contains(&k.as_str()) && !v.is_empty())
        .map(|(k, v)| {
            let label = facet_label(&state, k, v, req.lang);
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
            "label": super::i18n::fill(&req.t(&state, "page_of"), &[
                ("page", &super::i18n::number(page as u64, req.lang)),
                ("pages", &super::i18n::number(pages_total as u64, req.lang)),
            ]),
        })
    });
    let heading = match results.total {
        0 => req.t(&state, "results_none"),
        1 => req.t(&state, "results_one"),
        n => super::i18n::fill(
            &req.t(&state, "results_many"),
            &[("n", &super::i18n::number(n as u64, req.lang))],
        ),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let ctx = json!({
        "q": q,
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

/// `GET /catalogues`: the source catalogues and the publishers.
pub(crate) async fn catalogues(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    let r = SearchRequest {
        per_page: 1,
        lang: req.lang.into(),
        ..Default::default()
    };
    let results = run_search(&state, r, req.lang).await?.map_err(Internal)?;
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
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    let Some(iri) = req
        .params
        .iter()
        .find(|(k, _)| k == "iri")
        .map(|(_, v)| v.clone())
    else {
        let (h, m) = (
            req.t(&state, "bad_request_title"),
            req.t(&state, "publisher_missing_iri"),
        );
        return req.error(&state, StatusCode::BAD_REQUEST, &h, &m);
    };
    let r = SearchRequest {
        filters: vec![("publisher".into(), vec![iri.clone()])],
        sort: Sort::Modified,
        per_page: 20,
        lang: req.lang.into(),
        ..Default::default()
    };
    let results = run_search(&state, r, req.lang).await?.map_err(Internal)?;
    if results.total == 0 {
        return not_found_for(&state, &req);
    }
    let name = facet_label(&state, "publisher", &iri, req.lang);
    let ctx = json!({
        "name": name,
        "iri": iri,
        "summary": super::i18n::fill(&req.t(&state, "publisher_summary"),
            &[("n", &super::i18n::number(results.total as u64, req.lang))]),
        "hits": results.hits.iter().map(|h| hit_json(&state, h, req.lang)).collect::<Vec<_>>(),
        "more": (results.total > 20).then(|| href("/search", &[("publisher".into(), iri.clone())])),
    });
    req.page(&state, StatusCode::OK, "publisher.html", "catalogues", ctx)
}

/// `GET /api`: the machine endpoints.
pub(crate) async fn api(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    let endpoints: Vec<Value> = [
        ("GET", "/api/search?q=cancer", "api_search", true),
        ("GET", "/api/suggest?q=regis", "api_suggest", true),
        ("POST", "/api/validate", "api_validate", false),
        ("POST", "/ingest/datasets", "api_ingest", false),
        ("GET", "/api/openapi.json", "api_openapi", true),
        ("GET", "/catalog.ttl", "api_catalog", true),
        ("GET", "/datasets/{id}.ttl", "api_record", false),
        ("GET", "/sparql", "api_sparql", true),
        ("GET", "/api/harvest", "api_harvest", true),
        ("GET", "/healthz", "api_healthz", true),
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

/// The themed 404 for a request already read.
pub(crate) fn not_found_for(state: &AppState, req: &Req) -> Result<Response, Internal> {
    let (h, m) = (
        req.t(state, "not_found_title"),
        req.t(state, "not_found_message"),
    );
    req.error(state, StatusCode::NOT_FOUND, &h, &m)
}

/// Any other address: a themed 404.
pub(crate) async fn not_found(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    not_found_for(&state, &req)
}

/// `GET /static/{*path}`: the theme's files (the deployer's first).
pub(crate) async fn static_file(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Response {
    match state.site.theme.file(&format!("static/{path}")) {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, super::theme::content_type(&path)),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes.into_owned(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
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
