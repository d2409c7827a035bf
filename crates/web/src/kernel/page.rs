//! What every themed page starts from: [`Req`] (the reader's language, negotiated, and the
//! request's address), the page with the headers every page carries, the labels people read for
//! code-list IRIs, and [`themed_errors`], which renders an [`AppError`] as the themed error page.

use super::urls::query_pairs;
use super::{AppError, AppState, Text};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use healthcat_search::SearchResults;
use serde::Serialize;
use serde_json::json;

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

/// Seconds since 1970 (the basket's clock).
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What every handler starts from: the reader's language and the request's address.
pub(crate) struct Req {
    pub(crate) lang: &'static str,
    remember: bool,
    pub(crate) uri: Uri,
    pub(crate) params: Vec<(String, String)>,
    /// The ids of the datasets in the reader's basket (none without one).
    pub(crate) basket: Vec<String>,
}

impl Req {
    pub(crate) fn new(state: &AppState, uri: Uri, headers: &HeaderMap) -> Self {
        let params = query_pairs(&uri);
        let asked = params
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        let n = state.site.negotiate(asked, headers);
        let basket = match super::session::cookie(headers, "basket")
            .map(|t| state.basket.baskets.get(t, now()))
        {
            Some(healthcat_basket::Lookup::Found(b)) => b.items.into_iter().map(|i| i.id).collect(),
            _ => Vec::new(),
        };
        Req {
            lang: n.lang,
            remember: n.from_query,
            uri,
            params,
            basket,
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
    ) -> Result<Response, AppError> {
        // Every page knows the reader's basket: its count in the navigation, its datasets'
        // buttons.
        let mut ctx = serde_json::to_value(ctx).map_err(AppError::internal)?;
        if let Some(o) = ctx.as_object_mut() {
            o.insert(
                "basket".into(),
                json!({ "ids": self.basket, "count": self.basket.len() }),
            );
        }
        let html = state
            .site
            .render(template, self.lang, &self.uri, nav, ctx)
            .map_err(AppError::Internal)?;
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
            && let Ok(v) = HeaderValue::from_str(&crate::kernel::i18n::cookie(self.lang))
        {
            h.insert(header::SET_COOKIE, v);
        }
        Ok(res)
    }

    /// [`Req::page`] for a page of one person's session (the editor's): never stored by a cache.
    pub(crate) fn private_page(
        &self,
        state: &AppState,
        status: StatusCode,
        template: &str,
        nav: &str,
        ctx: impl Serialize,
    ) -> Result<Response, AppError> {
        let mut res = self.page(state, status, template, nav, ctx)?;
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(res)
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
pub(crate) fn facet_label(state: &AppState, facet: &str, value: &str, lang: &str) -> String {
    match facet {
        "publisher" => state
            .search
            .publisher_name(value, lang)
            .unwrap_or_else(|| label(state, value, lang)),
        "source" => value.to_owned(),
        "quality" => healthcat_quality::messages::fill(lang, &format!("band.{value}"), &[]),
        "ehds_label" => healthcat_quality::messages::fill(lang, "label.stars", &[("stars", value)]),
        "series" => state
            .search
            .record_title(value, lang)
            .unwrap_or_else(|| label(state, value, lang)),
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

/// Renders the [`AppError`] a handler of a themed area answered with as the error page, in the
/// reader's language (an API answers the same error as JSON: it has no such layer).
pub(crate) async fn themed_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // What the error page needs of the request (its language), kept before the handler takes
    // it: the address and the two headers the language is negotiated from, not all of them.
    let uri = request.uri().clone();
    let mut headers = HeaderMap::new();
    for name in [header::ACCEPT_LANGUAGE, header::COOKIE] {
        for value in request.headers().get_all(&name) {
            headers.append(name.clone(), value.clone());
        }
    }
    let res = next.run(request).await;
    let Some(error) = res.extensions().get::<AppError>().cloned() else {
        return res;
    };
    let req = Req::new(&state, uri, &headers);
    let (heading, message) = match &error {
        AppError::Refused {
            status,
            message,
            heading,
            ..
        } => (
            req.t(&state, heading.unwrap_or_else(|| default_heading(*status))),
            match message {
                Text::Key(k) => req.t(&state, k),
                Text::Said(s) => s.clone(),
            },
        ),
        AppError::Internal(_) => (
            req.t(&state, "internal_error_title"),
            req.t(&state, "internal_error_message"),
        ),
    };
    let ctx = json!({ "heading": heading, "message": message });
    match req.page(&state, error.status(), "error.html", "", ctx) {
        Ok(page) => page,
        // The error page itself failed: the plain answer rather than none.
        Err(_) => res,
    }
}

/// The heading of an error page whose handler named none.
fn default_heading(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found_title",
        StatusCode::FORBIDDEN => "forbidden_title",
        s if s.is_server_error() => "internal_error_title",
        _ => "bad_request_title",
    }
}

/// Any other address: the themed 404.
pub(crate) async fn not_found() -> AppError {
    AppError::not_found()
}
