//! `GET /api/search` and `GET /api/suggest`.
//!
//! Parameters: `q`, one per facet (`theme`, `health_category`, `health_theme`, `publisher`,
//! `access_rights`, `format`, `license`, `language`, `coding_system`, `spatial`, `source`; repeat
//! a parameter for alternatives), `age_min`, `age_max`, `min_records`, `modified_since` (a date),
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

/// The search request of the query string, or what is wrong with it.
fn request(params: &[(String, String)]) -> Result<SearchRequest, String> {
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
            "modified_since" => {
                let days = healthcat_search::days_since_epoch(v).ok_or_else(|| {
                    format!("modified_since must be a date (2024-01-31), not {v:?}")
                })?;
                r.modified_since = Some(days * 86_400);
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
                     modified_since, sort, page, per_page or lang",
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
    let r = match request(&params) {
        Ok(r) => r,
        Err(e) => return Ok(bad(e)),
    };
    let (page, per_page, lang) = (r.page, r.per_page, r.lang.clone());
    let outcome = blocking(move || {
        let mut results = match state.search.search(&r) {
            Ok(results) => results,
            Err(SearchError::BadRequest(m)) => return Ok(Err(m)),
            Err(e) => return Err(e.to_string()),
        };
        // A person never sees a bare IRI: the code list's label, the publisher's name, or at
        // least the code.
        let background = state.validation.default.background();
        for facet in &mut results.facets {
            for v in &mut facet.values {
                v.label = match facet.name.as_str() {
                    "publisher" => state.search.publisher_name(&v.value, &lang),
                    "source" => Some(v.value.clone()),
                    _ => background.label_of(&v.value, &lang),
                }
                .or_else(|| v.value.rsplit('/').next().map(str::to_owned));
            }
        }
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
