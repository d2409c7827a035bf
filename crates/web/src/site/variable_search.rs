//! `GET /variables?q=`: the variables of the whole catalogue — the records whose data dictionary
//! has variables matching the words, each with those variables (name, title, table, datatype,
//! unit, description), a link to the record's page showing them all, paged by record. The
//! search's own filters (facets, ages, dates) apply too. The content is `healthcat_search`'s
//! ([`healthcat_search::SearchIndex::variables`]).

use crate::kernel::i18n::{fill, number};
use crate::kernel::page::{Req, access_class, label};
use crate::kernel::urls::href;
use crate::kernel::{AppError, AppState, Text, blocking};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};

/// `GET /variables`
pub(crate) async fn page(
    State(state): State<AppState>,
    crate::kernel::extract::Visit(visit): crate::kernel::extract::Visit,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let params: Vec<(String, String)> = req
        .params
        .iter()
        .filter(|(k, _)| k != "lang")
        .cloned()
        .collect();
    let q = params
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut ctx = json!({ "q": q, "hits": [], "heading": null, "error": null, "pages": null });
    if q.trim().is_empty() {
        return req.page(&state, StatusCode::OK, "variables.html", "variables", ctx);
    }
    let outcome = match crate::kernel::trusted::search_request(&state, &params) {
        Ok((mut r, _)) => {
            r.lang = req.lang.into();
            r.typo_min_chars = state.search.settings().typo_min_chars;
            let st = state.clone();
            blocking(move || Ok(st.search.variables(&r).map(|res| (r, res))?)).await
        }
        Err(e) => Err(AppError::bad_request(e.to_string())),
    };
    let (r, results) = match outcome {
        Ok(ok) => ok,
        Err(AppError::Refused {
            message: Text::Said(e),
            ..
        }) => {
            ctx["error"] = json!(e);
            return req.page(
                &state,
                StatusCode::BAD_REQUEST,
                "variables.html",
                "variables",
                ctx,
            );
        }
        Err(e) => return Err(e),
    };
    state.usage.shown(
        visit,
        healthcat_usage::Endpoint::Page,
        results.hits.iter().map(|h| h.record.id.as_str()),
    );
    let lang = req.lang;
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            let page = href(
                &format!("/datasets/{}", h.record.id),
                &[("vq".into(), q.clone())],
            );
            json!({
                "id": h.record.id,
                "title": h.record.title,
                "title_lang": h.record.title_lang,
                "href": format!("{page}#variables"),
                "publisher": h.record.publisher.as_ref().map(|(_, n)| n),
                "access": h.record.access_rights.as_deref().map(|a| label(&state, a, lang)),
                "access_class": h.record.access_rights.as_deref().map(access_class),
                "variables": h.variables,
                "more": (h.more > 0).then(|| fill(&req.t(&state, "variables_search_more"), &[("n", &number(h.more as u64, lang))])),
            })
        })
        .collect();
    let pages_total = results.total.div_ceil(r.per_page).max(1);
    let at = |p: usize| {
        let mut next: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k != "page")
            .cloned()
            .collect();
        next.push(("page".into(), p.to_string()));
        href("/variables", &next)
    };
    ctx["pages"] = json!((results.total > r.per_page).then(|| json!({
        "previous": (r.page > 1).then(|| at(r.page - 1)),
        "next": (r.page < pages_total).then(|| at(r.page + 1)),
        "label": fill(&req.t(&state, "page_of"), &[
            ("page", &number(r.page as u64, lang)),
            ("pages", &number(pages_total as u64, lang)),
        ]),
    })));
    ctx["heading"] = json!(fill(
        &req.t(&state, "variables_search_found"),
        &[("n", &number(results.total as u64, lang))]
    ));
    ctx["hits"] = json!(hits);
    ctx["datasets"] = json!(href("/search", &[("variable".into(), q.clone())]));
    req.page(&state, StatusCode::OK, "variables.html", "variables", ctx)
}
