//! The JSON API: search and suggestions, the change feed, the usage statistics, validation, the OpenAPI description, the write API
//! (`/api/datasets`, API keys, a record's data dictionary from CSV or XLSX), drafts, a record's history and restore, its quality, the annual review, the Health Data
//! Hub–compatible push API (`/ingest/datasets`, provider keys) and the harvest reports. Errors are
//! JSON (`{"error": …}`, with the validation report when there is one).

mod changes;
mod datasets;
mod dictionary;
mod drafts;
mod harvest;
mod history;
mod push;
mod quality;
mod review;
mod search;
mod statistics;
mod validate;

use crate::kernel::{AppState, MAX_BODY};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::routing::{delete, get, post, put};

/// The API's routes.
pub(crate) fn router() -> Router<AppState> {
    let limit = || DefaultBodyLimit::max(MAX_BODY);
    Router::new()
        .route("/api/search", get(search::search))
        .route("/api/suggest", get(search::suggest))
        .route("/api/variables", get(search::variables))
        .route("/api/changes", get(changes::changes))
        .route("/api/statistics", get(statistics::statistics))
        .route(
            "/api/openapi.json",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    include_str!("openapi.json"),
                )
            }),
        )
        .route("/api/validate", post(validate::validate).layer(limit()))
        .route("/api/datasets", post(datasets::create).layer(limit()))
        .route(
            "/api/datasets/{id}",
            put(datasets::replace)
                .delete(datasets::remove)
                .layer(limit()),
        )
        .route(
            "/api/datasets/{id}/dictionary",
            // Above the dictionary's own limit, so that its error (naming the limit) answers.
            put(dictionary::replace).layer(DefaultBodyLimit::max(
                2 * healthcat_dictionary::Limits::default().max_bytes,
            )),
        )
        .route("/api/datasets/{id}/history", get(history::history))
        .route("/api/datasets/{id}/quality", get(quality::quality))
        .route("/api/quality", get(quality::catalogue))
        .route("/api/datasets/{id}/restore", post(history::restore))
        .route("/api/datasets/{id}/confirm", post(review::confirm))
        .route("/api/review", get(review::review))
        .route(
            "/api/drafts",
            get(drafts::list).post(drafts::create).layer(limit()),
        )
        .route(
            "/api/drafts/{id}",
            get(drafts::get)
                .put(drafts::replace)
                .delete(drafts::remove)
                .layer(limit()),
        )
        .route("/api/drafts/{id}/publish", post(drafts::publish))
        .route("/ingest/datasets", post(push::create).layer(limit()))
        .route("/ingest/datasets/origin", put(push::replace).layer(limit()))
        .route("/ingest/datasets/{id}", delete(push::remove))
        .route("/api-keys/whoami", get(push::whoami))
        .route("/api/harvest", get(harvest::list))
        .route("/api/harvest/{id}", get(harvest::source))
}
