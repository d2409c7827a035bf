//! `POST /api/validate`: validates the RDF in the request body against a validation profile.
//!
//! The body's syntax comes from `Content-Type` (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD);
//! `?profile=` names a profile (default: the configured one), `?level=` forces an access level,
//! `?lang=fr|en` picks the language of explanations; `Accept: text/turtle` returns a standard
//! `sh:ValidationReport`, anything else JSON. Nothing is stored and no remote content is fetched.
//! Bodies are limited to [`crate::kernel::MAX_BODY`] bytes: a large catalogue is validated at
//! import, not over HTTP.

use crate::kernel::{AppError, AppState, blocking};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use healthcat_store::{Format, parse_slice};

#[derive(serde::Deserialize)]
pub(crate) struct ValidateQuery {
    lang: Option<String>,
    profile: Option<String>,
    level: Option<String>,
}

/// `POST /api/validate`
pub(crate) async fn validate(
    State(state): State<AppState>,
    Query(q): Query<ValidateQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let Some(profile) = state.validation.get(q.profile.as_deref()) else {
        return Err(AppError::bad_request(format!(
            "unknown profile {:?}: use one of {}",
            q.profile.unwrap_or_default(),
            state.validation.names().join(", ")
        )));
    };
    if let Some(level) = &q.level
        && !profile.level_names().contains(&level.as_str())
    {
        return Err(AppError::bad_request(format!(
            "unknown level {level:?} of profile {}: use one of {}",
            profile.name,
            profile.level_names().join(", ")
        )));
    }
    let options = healthcat_profiles::Options {
        level: q.level.clone(),
        skip_document_shapes: false,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(format) = Format::from_media_type(content_type) else {
        return Err(AppError::refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "unsupported Content-Type '{content_type}': send text/turtle, application/n-triples, application/n-quads, application/trig, application/rdf+xml or application/ld+json"
            ),
        ));
    };
    let lang = match q.lang.as_deref() {
        Some("fr") => "fr",
        _ => "en",
    };
    let turtle = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/turtle"));
    let parse_options = state.parse_options();
    blocking(move || {
        let doc = parse_slice(body.as_ref(), format, "request body", &parse_options)
            .map_err(|e| AppError::bad_request(e.to_string()))?;
        let triples: Vec<_> = doc.graph.iter().collect();
        let report = profile.validate(&triples, &options);
        let shapes = profile.shapes();
        if turtle {
            let mut bytes = Vec::new();
            report
                .write_turtle(shapes, &mut bytes)
                .map_err(AppError::internal)?;
            return Ok((
                [(header::CONTENT_TYPE, "text/turtle; charset=utf-8")],
                bytes,
            )
                .into_response());
        }
        Ok(axum::Json(serde_json::json!({
            "conforms": report.conforms,
            "profile": profile.name,
            "results": profile.summaries(&report, lang),
            "failures": report.failures,
            "unchecked": shapes.unsupported(),
        }))
        .into_response())
    })
    .await
}

#[cfg(test)]
mod tests {
    use crate::app;
    use crate::kernel::AppState;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use std::sync::Arc;
    use tower::ServiceExt;

    const SHAPES: &str = r#"@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://ex.org/S> sh:targetClass <http://www.w3.org/ns/dcat#Dataset> ;
          sh:property [ sh:path <http://purl.org/dc/terms/title> ; sh:minCount 1 ] ."#;

    fn state() -> AppState {
        let doc = healthcat_store::parse_document(
            SHAPES.as_bytes(),
            healthcat_store::Format::Turtle,
            "shapes",
            &Default::default(),
        )
        .unwrap();
        let g = healthcat_shacl::Graph::new(doc.graph.iter());
        let shapes = healthcat_shacl::Shapes::compile(g, Default::default()).unwrap();
        let default = Arc::new(healthcat_profiles::Profile::from_shapes("shapes", shapes));
        AppState {
            store: healthcat_store::Store::in_memory().unwrap(),
            validation: Arc::new(crate::kernel::Validators::with_bundled(default).unwrap()),
            site: crate::Site::builtin(),
            search: Arc::new(healthcat_search::SearchIndex::in_memory().unwrap()),
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

    async fn post(
        state: AppState,
        uri: &str,
        ct: &str,
        accept: &str,
        body: &str,
    ) -> (StatusCode, String) {
        let req = Request::post(uri)
            .header("content-type", ct)
            .header("accept", accept)
            .body(Body::from(body.to_owned()))
            .unwrap();
        let res = app(state).oneshot(req).await.unwrap();
        let status = res.status();
        (
            status,
            String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes())
                .into_owned(),
        )
    }

    const BAD: &str = "<https://ex.org/d> a <http://www.w3.org/ns/dcat#Dataset> .";

    #[tokio::test]
    async fn validates_and_explains_in_the_requested_language() {
        let (status, body) = post(
            state(),
            "/api/validate?lang=fr",
            "text/turtle",
            "application/json",
            BAD,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["conforms"], false);
        assert_eq!(
            json["results"][0]["explanation"],
            "« Titre (dct:title) » est obligatoire : indiquez au moins 1 valeur."
        );
        let (_, turtle) = post(state(), "/api/validate", "text/turtle", "text/turtle", BAD).await;
        assert!(
            turtle.contains("sh:ValidationReport")
                && turtle.contains("sh:MinCountConstraintComponent"),
            "{turtle}"
        );
    }

    #[tokio::test]
    async fn bad_requests_get_clear_errors() {
        let (status, body) = post(
            state(),
            "/api/validate",
            "text/turtle",
            "",
            "<https://ex.org/d> a .",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("request body:1:"), "{body}");
        let (status, _) = post(state(), "/api/validate", "application/pdf", "", BAD).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (status, body) = post(
            state(),
            "/api/validate?profile=nope",
            "text/turtle",
            "",
            BAD,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("healthdcat-ap-r8"), "{body}");
        let (status, body) = post(
            state(),
            "/api/validate?profile=healthdcat-ap-r8&level=secret",
            "text/turtle",
            "",
            BAD,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("non-public"), "{body}");
    }

    #[tokio::test]
    async fn a_named_profile_checks_access_levels_and_code_lists() {
        let (status, body) = post(
            state(),
            "/api/validate?profile=healthdcat-ap-r8",
            "text/turtle",
            "application/json",
            BAD,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["profile"], "healthdcat-ap-r8");
        // No access rights: checked at the strictest level, which asks for a contact point.
        let results = json["results"].as_array().unwrap();
        assert!(
            results.iter().any(|r| r["path"]
                .as_str()
                .is_some_and(|p| p.contains("contactPoint"))
                && r["severity"]
                    .as_str()
                    .is_some_and(|s| s.contains("#Violation"))),
            "{body}"
        );
    }
}
