//! The routes and the shared state.

use crate::html::escape;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use healthcat_model::{DatasetView, LocalId};
use healthcat_store::{Format, Store};
use std::fmt::Write;
use std::sync::Arc;

/// Records per page of the list.
const PAGE_SIZE: usize = 50;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The catalogue store.
    pub store: Store,
    /// The profiles `/api/validate` offers, compiled once.
    pub validation: Arc<Validators>,
    /// Catalogue title per language, `(fr, en)`.
    pub title: Arc<(String, String)>,
    /// The search index (kept in step with the store by the writers).
    pub search: Arc<healthcat_search::SearchIndex>,
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
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/", get(list))
        .route("/records/{id}", get(record_turtle))
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
        .with_state(state)
}

#[derive(serde::Deserialize)]
struct ListQuery {
    page: Option<usize>,
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

async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, Internal> {
    let page = q.page.unwrap_or(1).max(1);
    let store = state.store.clone();
    let (total, rows) = blocking(move || {
        let total = store.counts().map_err(|e| e.to_string())?.records();
        let metas = store
            .list((page - 1) * PAGE_SIZE, PAGE_SIZE)
            .map_err(|e| e.to_string())?;
        let mut rows = Vec::with_capacity(metas.len());
        for m in metas {
            let Some(id) = m.local_id else { continue };
            let Some(rec) = store.get(&id).map_err(|e| e.to_string())? else {
                continue;
            };
            let view = m
                .root
                .as_ref()
                .map(|r| DatasetView::new(&rec.graph, r.as_ref()));
            let title = view
                .as_ref()
                .and_then(|v| v.title.best(&["fr", "en"]).map(str::to_owned))
                .unwrap_or_else(|| m.key.clone());
            let level = view
                .as_ref()
                .and_then(|v| v.access_level().map(str::to_owned))
                .unwrap_or_default();
            rows.push((id.to_string(), m.kind.as_str(), title, level));
        }
        Ok((total, rows))
    })
    .await?;
    let (fr, en) = &*state.title;
    let mut body = String::new();
    let _ = write!(
        body,
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\
         <h1 lang=\"fr\">{}</h1><p lang=\"en\">{}</p><p>{total} records</p><ul>",
        escape(fr),
        escape(fr),
        escape(en)
    );
    for (id, kind, title, level) in rows {
        let _ = write!(
            body,
            "<li><a href=\"/records/{}\">{}</a> <small>{} {}</small></li>",
            escape(&id),
            escape(&title),
            escape(kind),
            escape(&level)
        );
    }
    body.push_str("</ul>");
    if page * PAGE_SIZE < total as usize {
        let _ = write!(
            body,
            "<a rel=\"next\" href=\"/?page={}\">next</a>",
            page + 1
        );
    }
    body.push_str("</body></html>");
    Ok(Html(body))
}

async fn record_turtle(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Internal> {
    let Ok(id) = LocalId::new(id) else {
        return Ok((StatusCode::NOT_FOUND, "no such record").into_response());
    };
    let store = state.store.clone();
    let turtle = blocking(move || {
        let Some(rec) = store.get(&id).map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let bytes = healthcat_store::write_graph(&rec.graph, Vec::new(), Format::Turtle)
            .map_err(|e| e.to_string())?;
        Ok(Some(bytes))
    })
    .await?;
    Ok(match turtle {
        Some(bytes) => (
            [(header::CONTENT_TYPE, "text/turtle; charset=utf-8")],
            bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such record").into_response(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn state_with(ttl: &str) -> AppState {
        let store = Store::in_memory().unwrap();
        let doc = healthcat_store::parse_document(
            ttl.as_bytes(),
            Format::Turtle,
            "t.ttl",
            &Default::default(),
        )
        .unwrap();
        let units = healthcat_store::split(&doc.graph).unwrap();
        store
            .import_units(
                &doc.graph,
                &units,
                &healthcat_store::Source::local_file("t.ttl"),
            )
            .unwrap();
        AppState {
            store,
            validation: Arc::new(
                Validators::with_bundled(Arc::new(
                    healthcat_profiles::Profile::builtin("healthdcat-ap-r8").unwrap(),
                ))
                .unwrap(),
            ),
            title: Arc::new(("Catalogue <test>".into(), "Catalogue".into())),
            search: Arc::new(healthcat_search::SearchIndex::in_memory().unwrap()),
        }
    }

    async fn get(app: Router, uri: &str) -> (StatusCode, String) {
        let res = app
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn the_list_escapes_titles_from_the_data() {
        let app = app(state_with(
            r#"<https://ex.org/d/x> a <http://www.w3.org/ns/dcat#Dataset> ;
                 <http://purl.org/dc/terms/title> "<script>alert(1)</script>"@fr ."#,
        ));
        let (status, body) = get(app.clone(), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{body}"
        );
        assert!(!body.contains("<script>"), "{body}");
        assert!(body.contains("Catalogue &lt;test&gt;"), "{body}");
        assert!(body.contains("href=\"/records/x\""), "{body}");
        let (status, ttl) = get(app.clone(), "/records/x").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ttl.contains("dcat:Dataset"), "{ttl}");
        assert_eq!(
            get(app.clone(), "/records/NOT_AN_ID").await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(app, "/healthz").await,
            (StatusCode::OK, "ok".to_owned())
        );
    }
}
