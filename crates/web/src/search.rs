//! `GET /api/search` and `GET /api/suggest`.
//!
//! Parameters: `q`, one per facet (`theme`, `health_category`, `health_theme`, `publisher`,
//! `access_rights`, `format`, `license`, `language`, `coding_system`, `spatial`, `source`; repeat
//! a parameter for alternatives), `age_min`, `age_max`, `min_records`, `modified_since` (a date or an RFC 3339 time),
//! `temporal_from`, `temporal_to` (dates: the temporal coverage overlaps them),
//! `sort` (`relevance`, `modified`, `title`), `page`, `per_page` (≤ 100), `lang` (`fr`, `en`).
//! Any input gets results or a 400 naming the parameter; facet values carry their code-list label.

use crate::routes::{AppState, Internal, blocking};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use healthcat_search::{FACETS, SearchError, SearchRequest, Sort};

fn bad(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(serde_json::json!({ "error": message.into() })),
    )
        .into_response()
}

fn lang_of(params: &[(String, String)]) -> &'static str {
    match params
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.as_str())
    {
        Some("en") => "en",
        _ => "fr",
    }
}

/// Seconds since 1970 of a `modified_since` value: a date (midnight UTC) or an RFC 3339 time.
fn since_seconds(v: &str) -> Result<i64, String> {
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(t.as_second());
    }
    match healthcat_search::days_since_epoch(v) {
        Some(days) if v.len() == 10 => Ok(days * 86_400),
        _ => Err(format!(
            "modified_since must be a date (2024-01-31) or a time with its offset \
             (2024-01-31T12:00:00Z), not {v:?}"
        )),
    }
}

/// The search request of the query string, or what is wrong with it.
pub(crate) fn request(params: &[(String, String)]) -> Result<SearchRequest, String> {
    let mut r = SearchRequest {
        lang: lang_of(params).to_owned(),
        ..SearchRequest::default()
    };
    let number = |k: &str, v: &str| -> Result<u64, String> {
        v.parse::<u64>()
            .map_err(|_| format!("{k} must be a whole number, not {v:?}"))
    };
    for (k, v) in params {
        match k.as_str() {
            "q" => r.q = v.clone(),
            "lang" => {}
            "age_min" => r.age_min = Some(number(k, v)?),
            "age_max" => r.age_max = Some(number(k, v)?),
            "min_records" => r.min_records = Some(number(k, v)?),
            "page" => r.page = number(k, v)? as usize,
            "per_page" => r.per_page = number(k, v)? as usize,
            "modified_since" => r.modified_since = Some(since_seconds(v)?),
            "temporal_from" | "temporal_to" => {
                let days = healthcat_search::days_since_epoch(v)
                    .ok_or_else(|| format!("{k} must be a date (2024-01-31), not {v:?}"))?;
                let (mut from, mut to) = r.temporal.unwrap_or((None, None));
                if k == "temporal_from" {
                    from = Some(days);
                } else {
                    to = Some(days);
                }
                r.temporal = Some((from, to));
            }
            "sort" => {
                r.sort = match v.as_str() {
                    "" | "relevance" => Sort::Relevance,
                    "modified" => Sort::Modified,
                    "title" => Sort::Title,
                    _ => {
                        return Err(format!(
                            "sort must be relevance, modified or title, not {v:?}"
                        ));
                    }
                }
            }
            name if FACETS.contains(&name) => {
                if v.is_empty() {
                    continue;
                }
                match r.filters.iter_mut().find(|(n, _)| n == name) {
                    Some((_, values)) => values.push(v.clone()),
                    None => r.filters.push((name.to_owned(), vec![v.clone()])),
                }
            }
            other => {
                return Err(format!(
                    "unknown parameter {other:?}: use q, {}, age_min, age_max, min_records, \
                     modified_since, temporal_from, temporal_to, sort, page, per_page or lang",
                    FACETS.join(", ")
                ));
            }
        }
    }
    if let (Some(a), Some(b)) = (r.age_min, r.age_max)
        && a > b
    {
        return Err(format!("age_min ({a}) is above age_max ({b})"));
    }
    Ok(r)
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, Internal> {
    let mut r = match request(&params) {
        Ok(r) => r,
        Err(e) => return Ok(bad(e)),
    };
    r.typo_min_chars = state.search.settings().typo_min_chars;
    let (page, per_page, lang) = (r.page, r.per_page, r.lang.clone());
    let outcome = blocking(move || {
        let mut results = match state.search.search(&r) {
            Ok(results) => results,
            Err(SearchError::BadRequest(m)) => return Ok(Err(m)),
            Err(e) => return Err(e.to_string()),
        };
        // A person never sees a bare IRI: the code list's label, the publisher's name, or at
        // least the code.
        crate::site::pages::label_facets(&state, &mut results, &lang);
        let background = state.validation.default.background();
        let hits: Vec<serde_json::Value> = results
            .hits
            .iter()
            .map(|h| {
                let access_label = h
                    .access_rights
                    .as_deref()
                    .and_then(|a| background.label_of(a, &lang));
                serde_json::json!({
                    "id": h.id,
                    "iri": h.iri,
                    "kind": h.kind,
                    "title": h.title,
                    "snippet": h.snippet,
                    "publisher": h.publisher.as_ref().map(|(iri, name)| serde_json::json!({"iri": iri, "name": name})),
                    "access_rights": h.access_rights.as_ref().map(|iri| serde_json::json!({"iri": iri, "label": access_label})),
                    "modified": h.modified,
                })
            })
            .collect();
        Ok(Ok(serde_json::json!({
            "total": results.total,
            "page": page,
            "per_page": per_page,
            "hits": hits,
            "facets": results.facets,
        })))
    })
    .await?;
    Ok(match outcome {
        Ok(json) => axum::Json(json).into_response(),
        Err(message) => bad(message),
    })
}

pub(crate) async fn suggest(
    State(state): State<AppState>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, Internal> {
    let q = params
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let lang = lang_of(&params);
    let outcome = blocking(move || match state.search.suggest(&q, lang, 8) {
        Ok(s) => Ok(Ok(s)),
        Err(SearchError::BadRequest(m)) => Ok(Err(m)),
        Err(e) => Err(e.to_string()),
    })
    .await?;
    Ok(match outcome {
        Ok(s) => axum::Json(serde_json::json!({ "suggestions": s })).into_response(),
        Err(message) => bad(message),
    })
}

#[cfg(test)]
mod tests {
    use super::request;
    use crate::routes::{AppState, Validators, app};
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

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parameters_are_checked_and_named_in_errors() {
        let r = request(&p(&[
            ("q", "cancer"),
            ("theme", "a"),
            ("theme", "b"),
            ("age_min", "5"),
        ]))
        .unwrap();
        assert_eq!(
            r.filters,
            vec![("theme".to_owned(), vec!["a".to_owned(), "b".to_owned()])]
        );
        assert_eq!(r.age_min, Some(5));
        assert!(
            request(&p(&[("age_min", "five")]))
                .unwrap_err()
                .contains("age_min")
        );
        assert!(
            request(&p(&[("colour", "red")]))
                .unwrap_err()
                .contains("unknown parameter")
        );
        assert!(
            request(&p(&[("modified_since", "yesterday")]))
                .unwrap_err()
                .contains("date")
        );
        assert!(request(&p(&[("age_min", "50"), ("age_max", "10")])).is_err());
    }
}
