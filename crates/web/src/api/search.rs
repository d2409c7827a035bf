//! `GET /api/search`, `GET /api/variables` and `GET /api/suggest`.
//!
//! Parameters: see [`SearchRequest::from_params`] (`q`, one per facet, ages, dates, `sort`,
//! `page`, `per_page` ≤ 100, `lang`). Any input gets results or a 400 naming the parameter; facet
//! values carry their code-list label.

use crate::kernel::extract::{Params, Visit};
use crate::kernel::page::label_facets;
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// `GET /api/search`
pub(crate) async fn search(
    State(state): State<AppState>,
    Visit(visit): Visit,
    Params(params): Params,
) -> Result<Json<Value>, AppError> {
    let (mut r, trusted) = crate::kernel::trusted::search_request(&state, &params)?;
    r.typo_min_chars = state.search.settings().typo_min_chars;
    let (page, per_page, lang) = (r.page, r.per_page, r.lang.clone());
    blocking(move || {
        let mut results = state.search.search(&r)?;
        state.usage.shown(
            visit,
            healthcat_usage::Endpoint::Machine,
            results.hits.iter().map(|h| h.id.as_str()),
        );
        crate::kernel::trusted::add_facet(&state, &mut results, trusted, &lang);
        // A person never sees a bare IRI: the code list's label, the publisher's name, or at
        // least the code.
        label_facets(&state, &mut results, &lang);
        let background = state.validation.default.background();
        let hits: Vec<Value> = results
            .hits
            .iter()
            .map(|h| {
                let access_label = h
                    .access_rights
                    .as_deref()
                    .and_then(|a| background.label_of(a, &lang));
                json!({
                    "id": h.id,
                    "iri": h.iri,
                    "kind": h.kind,
                    "title": h.title,
                    "snippet": h.snippet,
                    "publisher": h.publisher.as_ref().map(|(iri, name)| json!({"iri": iri, "name": name})),
                    "access_rights": h.access_rights.as_ref().map(|iri| json!({"iri": iri, "label": access_label})),
                    "modified": h.modified,
                })
            })
            .collect();
        Ok(Json(json!({
            "total": results.total,
            "page": page,
            "per_page": per_page,
            "hits": hits,
            "facets": results.facets,
        })))
    })
    .await
}

/// `GET /api/variables?q=`: records whose data dictionary has variables matching the words,
/// each with the variables that matched (the search's filters apply; `page`, `per_page` page the
/// records).
pub(crate) async fn variables(
    State(state): State<AppState>,
    Visit(visit): Visit,
    Params(params): Params,
) -> Result<Json<Value>, AppError> {
    let (mut r, _) = crate::kernel::trusted::search_request(&state, &params)?;
    r.typo_min_chars = state.search.settings().typo_min_chars;
    let (page, per_page) = (r.page, r.per_page);
    blocking(move || {
        let results = state.search.variables(&r)?;
        state.usage.shown(
            visit,
            healthcat_usage::Endpoint::Machine,
            results.hits.iter().map(|h| h.record.id.as_str()),
        );
        let hits: Vec<Value> = results
            .hits
            .iter()
            .map(|h| {
                json!({
                    "id": h.record.id,
                    "iri": h.record.iri,
                    "title": h.record.title,
                    "publisher": h.record.publisher.as_ref().map(|(iri, name)| json!({"iri": iri, "name": name})),
                    "access_rights": h.record.access_rights,
                    "variables": h.variables,
                    "more": h.more,
                })
            })
            .collect();
        Ok(Json(json!({
            "total": results.total,
            "page": page,
            "per_page": per_page,
            "hits": hits,
        })))
    })
    .await
}

/// `GET /api/suggest`
pub(crate) async fn suggest(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, AppError> {
    let q = params.get("q").unwrap_or_default().to_owned();
    let lang = healthcat_search::lang_of(&params.0);
    blocking(move || {
        let s = state.search.suggest(&q, lang, 8)?;
        Ok(Json(json!({ "suggestions": s })))
    })
    .await
}

#[cfg(test)]
mod tests {
    use crate::app;
    use crate::kernel::{AppState, Validators};
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use std::sync::Arc;
    use tower::ServiceExt;

    async fn get(state: AppState, uri: &str) -> (StatusCode, serde_json::Value) {
        let res = app(state)
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        )
    }

    fn state() -> AppState {
        let search = healthcat_search::SearchIndex::in_memory().unwrap();
        let mut doc = healthcat_search::SearchDoc {
            id: "registre".into(),
            titles: vec![("fr".into(), "Registre des cancers du sein".into())],
            descriptions: vec![(
                "fr".into(),
                "Tous les cancers <b>du sein</b> diagnostiqués.".into(),
            )],
            facets: vec![Vec::new(); healthcat_search::FACETS.len()],
            ..Default::default()
        };
        let i = healthcat_search::FACETS
            .iter()
            .position(|f| *f == "health_category")
            .unwrap();
        doc.facets[i] = vec![
            "https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/PHDR"
                .into(),
        ];
        search.upsert(&[doc]).unwrap();
        search.commit().unwrap();
        let r8 = healthcat_profiles::Profile::builtin("healthdcat-ap-r8").unwrap();
        AppState {
            store: healthcat_store::Store::in_memory().unwrap(),
            validation: Arc::new(Validators::with_bundled(Arc::new(r8)).unwrap()),
            site: crate::Site::builtin(),
            search: Arc::new(search),
            sparql: Default::default(),
            providers: Default::default(),
            harvest: Default::default(),
            auth: Default::default(),
            drafts: None,
            input: healthcat_store::InputLimits::default(),
            trusted: std::sync::Arc::new(healthcat_publish::trusted::TrustedHolders::none()),
            review: std::sync::Arc::new(healthcat_review::Review::unlogged()),
            usage: Default::default(),
            metrics: Default::default(),
            basket: Arc::new(healthcat_basket::Service::in_memory().unwrap()),
            quality: Arc::new(healthcat_quality::Assessor::bundled().unwrap()),
        }
    }

    #[tokio::test]
    async fn search_answers_with_labels_escaped_snippets_and_clear_errors() {
        let (status, json) = get(state(), "/api/search?q=cancer+sein&lang=fr").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json["total"], 1);
        let snippet = json["hits"][0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("<mark>") && snippet.contains("&lt;b&gt;"),
            "{snippet}"
        );
        let categories = json["facets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "health_category")
            .unwrap()["values"][0]
            .clone();
        assert_eq!(categories["count"], 1);
        assert!(
            categories["label"]
                .as_str()
                .unwrap()
                .starts_with("Registres"),
            "{categories}"
        );
        for bad in [
            "/api/search?per_page=0",
            "/api/search?per_page=101",
            "/api/search?age_min=x",
            "/api/search?colour=red",
            "/api/search?temporal_from=tomorrow",
        ] {
            let (status, json) = get(state(), bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(json["error"].as_str().is_some(), "{bad}");
        }
        let long = format!("/api/search?q={}", "a+".repeat(600));
        assert_eq!(get(state(), &long).await.0, StatusCode::BAD_REQUEST);
        let (status, json) = get(state(), "/api/suggest?q=regis").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json["suggestions"][0]["id"], "registre");
        let (status, json) = get(state(), "/api/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        for path in [
            "/api/search",
            "/api/datasets",
            "/api/datasets/{id}",
            "/api/harvest",
        ] {
            assert!(json["paths"][path].is_object(), "{path}");
        }
    }
}
