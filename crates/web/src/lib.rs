//! # healthcat-web
//!
//! The HTTP face of healthcat. [`app`] builds the axum `Router` over a [`healthcat_store::Store`];
//! the binary binds it with [`serve`], tests drive it with `oneshot` without opening a socket.
//!
//! A **kernel** ([`kernel`]: the state, the one error type [`AppError`], the extractors, the
//! themed pages, negotiation, the server loop, the request metrics) and five **areas**, each with its own `router()`,
//! merged here:
//! - the public site (`site`): themed, bilingual pages rendered with minijinja, no JavaScript
//!   needed — home, search, dataset pages, catalogues, publishers, the validation form, the API
//!   list, the harvest pages;
//! - linked data (`linked_data`): the DCAT catalogue (`/catalog`, Hydra-paged, and the streamed
//!   `/catalog/all.nt`), a read-only SPARQL 1.1 endpoint (`/sparql`);
//! - the JSON API (`api`): search and suggestions, validation, the write, drafts and history API
//!   (API keys), the Health Data Hub–compatible push API (provider keys), harvest reports;
//! - the editor (`editor`): login, sessions, CSRF tokens, a form generated from the validation
//!   profile, history and restore;
//! - operations (`ops`): `/healthz`, `/readyz` and `/metrics` (Prometheus).
//!
//! An area imports the kernel and the domain crates, never another area; every write goes
//! through `healthcat-ingest`. Everything rendered is HTML-escaped and every response carries a
//! strict Content-Security-Policy; the store is reached through `spawn_blocking` because
//! Oxigraph is synchronous.
#![warn(missing_docs)]

mod api;
mod editor;
pub mod kernel;
mod linked_data;
mod ops;
mod site;

pub use kernel::quality::keep_daily_figures;
pub use kernel::server::{ServerLimits, serve};
pub use kernel::theme::Theme;
pub use kernel::{AppError, AppState, Auth, Site, SparqlSettings, Validators};

/// The application's router: every area's routes, the themed 404 for any other address, and
/// the security headers on every response.
pub fn app(state: AppState) -> axum::Router {
    axum::Router::new()
        .merge(site::router(state.clone()))
        .merge(linked_data::router())
        .merge(api::router())
        .merge(editor::router(state.clone()))
        .merge(ops::router())
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            kernel::metrics::record,
        ))
        .layer(axum::middleware::map_response(
            kernel::security::add_headers,
        ))
        .with_state(state)
}
