//! Linked data: the DCAT catalogue (`/catalog`, negotiated and Hydra-paged, `/catalog.ttl|.rdf|
//! .jsonld|.nt`, the streamed `/catalog/all.nt`), the read-only SPARQL endpoint (`/sparql`) and
//! the old address of a record's Turtle (`/records/{id}`). Errors are plain text, as SPARQL
//! clients expect.

mod catalog;
mod sparql;

use crate::kernel::{AppError, AppState};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path};
use axum::response::Redirect;
use axum::routing::get;
use healthcat_model::LocalId;

/// The linked-data routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(catalog::negotiated))
        .route("/catalog/all.nt", get(catalog::dump))
        .route(
            "/catalog.ttl",
            get(|s, u, h| catalog::by_extension("ttl", s, u, h)),
        )
        .route(
            "/catalog.rdf",
            get(|s, u, h| catalog::by_extension("rdf", s, u, h)),
        )
        .route(
            "/catalog.jsonld",
            get(|s, u, h| catalog::by_extension("jsonld", s, u, h)),
        )
        .route(
            "/catalog.nt",
            get(|s, u, h| catalog::by_extension("nt", s, u, h)),
        )
        .route(
            "/sparql",
            get(sparql::get)
                .post(sparql::post)
                .layer(DefaultBodyLimit::max(1 << 20)),
        )
        .route("/records/{id}", get(record_turtle))
        .layer(axum::middleware::from_fn(
            crate::kernel::error::plain_text_errors,
        ))
}

/// `GET /records/{id}`: the first address of a record's Turtle, kept for links already out there.
async fn record_turtle(Path(id): Path<String>) -> Result<Redirect, AppError> {
    let id = LocalId::new(id).map_err(|_| AppError::not_found())?;
    Ok(Redirect::permanent(&format!(
        "/datasets/{}.ttl",
        id.as_str()
    )))
}
