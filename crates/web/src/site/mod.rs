//! The public site: home, search, the variables search, the researcher's basket, dataset pages (which also serve the record's RDF by
//! negotiation), catalogues, publishers, the quality dashboard, the usage statistics, the validation form, the API list, the harvest pages,
//! the theme's files — and the themed 404 for any other address. Errors are rendered as themed
//! pages ([`crate::kernel::page::themed_errors`]).

mod basket;
mod dashboard;
mod dataset;
mod formats;
mod harvest;
mod pages;
mod series;
mod statistics;
mod validate_page;
mod variable_search;
mod variables;

#[cfg(test)]
mod basket_tests;
#[cfg(test)]
mod researcher_tests;
#[cfg(test)]
mod tests;

use crate::kernel::{AppState, page};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

/// The site's routes.
pub(crate) fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/datasets/{file}", get(dataset::dataset))
        .route("/search.atom", get(pages::search_atom))
        .route("/variables", get(variable_search::page))
        .route("/basket", get(basket::page))
        .route("/basket.json", get(basket::json_file))
        .route("/basket.ttl", get(basket::turtle_file))
        .route("/basket/add", axum::routing::post(basket::add))
        .route("/basket/remove", axum::routing::post(basket::remove))
        .route("/basket/items/{id}", axum::routing::post(basket::save))
        .route("/basket/clear", axum::routing::post(basket::clear))
        .route("/basket/submit", axum::routing::post(basket::submit))
        .route("/datasets/{id}/access", get(dataset::access))
        .route("/datasets/{id}/{view}", get(formats::view))
        .route("/templates/{file}", get(formats::template))
        // ckanext-dcat's addresses of a dataset's RDF.
        .route("/dataset/{file}", get(dataset::dataset))
        .route("/catalogues", get(pages::catalogues))
        .route("/publishers", get(pages::publisher))
        .route("/quality", get(dashboard::page))
        .route("/statistics", get(statistics::page))
        .route(
            "/validate",
            get(validate_page::page)
                .post(validate_page::submit)
                .layer(DefaultBodyLimit::max(crate::kernel::MAX_BODY)),
        )
        .route("/api", get(pages::api))
        .route("/harvest", get(harvest::list_page))
        .route("/harvest/{id}", get(harvest::source_page))
        .route("/static/{*path}", get(pages::static_file))
        .route("/theme.css", get(pages::theme_css))
        .fallback(page::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state,
            page::themed_errors,
        ))
}
