//! The routes and the shared state.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use healthcat_model::LocalId;
use healthcat_store::Store;
use std::sync::Arc;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The catalogue store.
    pub store: Store,
    /// The profiles `/api/validate` offers, compiled once.
    pub validation: Arc<Validators>,
    /// The public site: theme, messages, catalogue title.
    pub site: Arc<crate::site::Site>,
    /// The search index (kept in step with the store by the writers).
    pub search: Arc<healthcat_search::SearchIndex>,
    /// The SPARQL endpoint's limits.
    pub sparql: crate::sparql::SparqlSettings,
    /// Who may push records (`/ingest/datasets`).
    pub providers: Arc<crate::ingest_api::Providers>,
    /// The harvest sources, for their pages.
    pub harvest: Arc<crate::harvest_pages::HarvestSources>,
    /// Who may write with the write API.
    pub auth: crate::write_api::Auth,
    /// Drafts (`{data_dir}/drafts/`); none: the draft API answers 503.
    pub drafts: Option<Arc<healthcat_ingest::drafts::Drafts>>,
    /// What one document sent to the server may hold (`[input]`).
    pub input: healthcat_store::InputLimits,
}

impl AppState {
    /// How documents sent to the server are parsed: no base IRI, the configured limits.
    pub fn parse_options(&self) -> healthcat_store::ParseOptions {
        healthcat_store::ParseOptions {
            limits: self.input,
            ..healthcat_store::ParseOptions::default()
        }
    }
}

/// Validation profiles, by name: the configured one is the default of `/api/validate`.
pub struct Validators {
    /// Used when the request names no profile.
    pub default: Arc<healthcat_profiles::Profile>,
    /// The others a request may name (`?profile=dcat-ap-3`).
    pub others: Vec<Arc<healthcat_profiles::Profile>>,
}

impl Validators {
    /// The profile called `name`, or the default.
    pub fn get(&self, name: Option<&str>) -> Option<Arc<healthcat_profiles::Profile>> {
        match name {
            None => Some(self.default.clone()),
            Some(n) => std::iter::once(&self.default)
                .chain(&self.others)
                .find(|p| p.name == n)
                .cloned(),
        }
    }

    /// Every profile's name.
    pub fn names(&self) -> Vec<String> {
        std::iter::once(&self.default)
            .chain(&self.others)
            .map(|p| p.name.clone())
            .collect()
    }

    /// The default plus every bundled profile.
    pub fn with_bundled(
        default: Arc<healthcat_profiles::Profile>,
    ) -> Result<Self, healthcat_profiles::ProfileError> {
        let mut others = Vec::new();
        for name in healthcat_profiles::Profile::builtin_names() {
            if *name != default.name {
                others.push(Arc::new(healthcat_profiles::Profile::builtin(name)?));
            }
        }
        Ok(Validators { default, others })
    }
}

/// The application's router.
pub fn app(state: AppState) -> Router {
    use crate::site::{dataset, pages, validate_page};
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/datasets/{file}", get(dataset::dataset))
        // ckanext-dcat's addresses of a dataset's RDF.
        .route("/dataset/{file}", get(dataset::dataset))
        .route("/catalogues", get(pages::catalogues))
        .route("/publishers", get(pages::publisher))
        .route(
            "/validate",
            get(validate_page::page).post(validate_page::submit).layer(
                axum::extract::DefaultBodyLimit::max(crate::validate::MAX_BODY),
            ),
        )
        .route("/api", get(pages::api))
        .route("/catalog", get(crate::dcat::negotiated))
        .route("/catalog/all.nt", get(crate::dcat::dump))
        .route(
            "/sparql",
            get(crate::sparql::get)
                .post(crate::sparql::post)
                .layer(axum::extract::DefaultBodyLimit::max(1 << 20)),
        )
        .route(
            "/catalog.ttl",
            get(|s, u, h| crate::dcat::by_extension("ttl", s, u, h)),
        )
        .route(
            "/catalog.rdf",
            get(|s, u, h| crate::dcat::by_extension("rdf", s, u, h)),
        )
        .route(
            "/catalog.jsonld",
            get(|s, u, h| crate::dcat::by_extension("jsonld", s, u, h)),
        )
        .route(
            "/catalog.nt",
            get(|s, u, h| crate::dcat::by_extension("nt", s, u, h)),
        )
        .route(
            "/ingest/datasets",
            axum::routing::post(crate::ingest_api::create).layer(
                axum::extract::DefaultBodyLimit::max(crate::ingest_api::MAX_BODY),
            ),
        )
        .route(
            "/ingest/datasets/origin",
            axum::routing::put(crate::ingest_api::replace).layer(
                axum::extract::DefaultBodyLimit::max(crate::ingest_api::MAX_BODY),
            ),
        )
        .route(
            "/ingest/datasets/{id}",
            axum::routing::delete(crate::ingest_api::remove),
        )
        .route("/api-keys/whoami", get(crate::ingest_api::whoami))
        .route(
            "/api/datasets",
            axum::routing::post(crate::write_api::create).layer(
                axum::extract::DefaultBodyLimit::max(crate::ingest_api::MAX_BODY),
            ),
        )
        .route(
            "/api/drafts",
            get(crate::drafts_api::list)
                .post(crate::drafts_api::create)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::ingest_api::MAX_BODY,
                )),
        )
        .route(
            "/api/drafts/{id}",
            get(crate::drafts_api::get)
                .put(crate::drafts_api::replace)
                .delete(crate::drafts_api::remove)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::ingest_api::MAX_BODY,
                )),
        )
        .route(
            "/api/drafts/{id}/publish",
            axum::routing::post(crate::drafts_api::publish),
        )
        .route(
            "/api/datasets/{id}/history",
            get(crate::history_api::history),
        )
        .route(
            "/api/datasets/{id}/restore",
            axum::routing::post(crate::history_api::restore),
        )
        .route(
            "/api/datasets/{id}",
            axum::routing::put(crate::write_api::replace)
                .delete(crate::write_api::remove)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::ingest_api::MAX_BODY,
                )),
        )
        .route(
            "/login",
            get(crate::editor::session::login_form).post(crate::editor::session::log_in),
        )
        .route(
            "/logout",
            axum::routing::post(crate::editor::session::log_out),
        )
        .route("/edit", get(crate::editor::home))
        .route(
            "/edit/new",
            get(crate::editor::new_form).post(crate::editor::new_submit),
        )
        .route(
            "/edit/{kind}/{id}",
            get(crate::editor::existing_form).post(crate::editor::existing_submit),
        )
        .route(
            "/edit/datasets/{id}/history",
            get(crate::editor::history::page),
        )
        .route(
            "/edit/datasets/{id}/restore",
            axum::routing::post(crate::editor::history::restore),
        )
        .route(
            "/edit/import",
            axum::routing::post(crate::editor::import).layer(axum::extract::DefaultBodyLimit::max(
                crate::ingest_api::MAX_BODY,
            )),
        )
        .route("/static/{*path}", get(pages::static_file))
        .route("/theme.css", get(pages::theme_css))
        .route("/records/{id}", get(record_turtle))
        .route("/harvest", get(crate::harvest_pages::list_page))
        .route("/harvest/{id}", get(crate::harvest_pages::source_page))
        .route("/api/harvest", get(crate::harvest_pages::list_json))
        .route("/api/harvest/{id}", get(crate::harvest_pages::source_json))
        .route("/api/search", get(crate::search::search))
        .route("/api/suggest", get(crate::search::suggest))
        .route(
            "/api/openapi.json",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    include_str!("openapi.json"),
                )
            }),
        )
        .route(
            "/api/validate",
            axum::routing::post(crate::validate::validate).layer(
                axum::extract::DefaultBodyLimit::max(crate::validate::MAX_BODY),
            ),
        )
        .fallback(pages::not_found)
        .layer(axum::middleware::map_response(crate::security::add_headers))
        .with_state(state)
}

/// An internal failure: logged, and answered with a generic 500.
pub(crate) struct Internal(pub(crate) String);

impl IntoResponse for Internal {
    fn into_response(self) -> Response {
        tracing::error!(error = %self.0, "request failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    }
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, Internal> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Internal(e.to_string()))?
        .map_err(Internal)
}

/// `GET /records/{id}`: the first address of a record's Turtle, kept for links already out there.
async fn record_turtle(Path(id): Path<String>) -> Response {
    match LocalId::new(id) {
        Ok(id) => Redirect::permanent(&format!("/datasets/{}.ttl", id.as_str())).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "no such record").into_response(),
    }
}
