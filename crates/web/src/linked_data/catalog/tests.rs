//! The catalogue's paging, subsets and self-description, through the router.

use crate::app;
use crate::kernel::testing::{get, import, state};
use axum::http::StatusCode;

const HYDRA_NEXT: &str = "<http://www.w3.org/ns/hydra/core#next> <";
const LISTED: &str = "<http://localhost/catalog> <http://www.w3.org/ns/dcat#dataset> ";

/// The datasets the served catalogue lists on a page, and its `hydra:next` (as a path).
fn listed(body: &str) -> (Vec<String>, Option<String>) {
    let datasets = body
        .lines()
        .filter_map(|l| l.strip_prefix(LISTED))
        .map(|o| o.trim_end_matches(" .").to_owned())
        .collect();
    let next = body.lines().find_map(|l| {
        let (_, rest) = l.split_once(HYDRA_NEXT)?;
        Some(
            rest.split_once('>')?
                .0
                .trim_start_matches("http://localhost")
                .to_owned(),
        )
    });
    (datasets, next)
}

#[tokio::test]
async fn following_next_sees_every_record_once_while_the_catalogue_changes() {
    let st = state();
    let store = st.store.clone();
    let app = app(st);
    let (first, next) = listed(&get(&app, "/catalog.nt?per_page=1").await.body);
    assert_eq!(first, ["<https://ex.org/d/registre>"]);
    let next = next.expect("a next page");
    assert!(next.contains("after=registre"), "{next}");
    // Meanwhile a record is added before the cursor: with positional pages, page 2 would now
    // list `registre` again.
    import(
        &store,
        "<https://ex.org/d/aaa> a <http://www.w3.org/ns/dcat#Dataset> ; \
         <http://purl.org/dc/terms/title> \"A\"@en .",
    );
    let p = get(&app, &next).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let (second, next) = listed(&p.body);
    assert_eq!(second, ["<https://ex.org/d/xss>"]);
    assert_eq!(next, None, "xss is the last record");
    assert!(p.body.contains("totalItems> \"3\""), "{}", p.body);
}

#[tokio::test]
async fn search_filters_choose_a_subset_and_stay_in_the_links() {
    let app = app(state());
    let p = get(&app, "/catalog.nt?q=cancer&per_page=1").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let (datasets, next) = listed(&p.body);
    assert_eq!(datasets, ["<https://ex.org/d/registre>"]);
    assert_eq!(next, None);
    assert!(p.body.contains("totalItems> \"1\""), "{}", p.body);
    assert!(
        p.body
            .contains("firstPage> <http://localhost/catalog.nt?page=1&per_page=1&q=cancer>"),
        "{}",
        p.body
    );
    // Everything was modified after 2000, nothing after 2999.
    let p = get(&app, "/catalog.nt?modified_since=2000-01-01").await;
    assert_eq!(listed(&p.body).0.len(), 2);
    let p = get(
        &app,
        "/catalog.nt?modified_since=2999-01-01T00:00:00%2B02:00",
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(listed(&p.body).0.is_empty());
    assert!(p.body.contains("totalItems> \"0\""), "{}", p.body);
    let public =
        "http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Faccess-right%2FPUBLIC";
    let p = get(&app, &format!("/catalog.nt?access_rights={public}")).await;
    assert_eq!(listed(&p.body).0, ["<https://ex.org/d/xss>"]);
    for (bad, says) in [
        ("modified_since=yesterday", "modified_since"),
        ("page=1&after=registre", "not both"),
        ("after=", "after"),
        ("colour=red", "colour"),
        ("age_min=old", "age_min"),
    ] {
        let p = get(&app, &format!("/catalog.nt?{bad}")).await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(p.body.contains(says), "{bad}: {}", p.body);
    }
}

#[tokio::test]
async fn the_catalogue_names_its_sub_catalogues_and_its_sparql_service() {
    let st = state();
    import(
        &st.store,
        r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://hospital.example/catalog> a dcat:Catalog ; dct:title "Hospital"@en ;
            dcat:dataset <https://hospital.example/d/cohort> .
        <https://hospital.example/d/cohort> a dcat:Dataset ; dct:title "Cohort"@en ."#,
    );
    let app = app(st);
    let body = get(&app, "/catalog.nt?per_page=1000").await.body;
    for line in [
        "<http://localhost/catalog> <http://www.w3.org/ns/dcat#catalog> <https://hospital.example/catalog> .",
        "<https://hospital.example/catalog> <http://www.w3.org/ns/dcat#dataset> <https://hospital.example/d/cohort> .",
        "<https://hospital.example/catalog> <http://purl.org/dc/terms/title> \"Hospital\"@en .",
        "<http://localhost/catalog> <http://www.w3.org/ns/dcat#dataset> <https://hospital.example/d/cohort> .",
        "<http://localhost/catalog> <http://www.w3.org/ns/dcat#service> <http://localhost/sparql#service> .",
        "<http://localhost/sparql#service> <http://www.w3.org/ns/dcat#endpointURL> <http://localhost/sparql> .",
        "<http://localhost/catalog> <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg/2025/327/oj> .",
    ] {
        assert!(body.contains(line), "{line}\n{body}");
    }
    // A record from a local file does not publish the file's path.
    assert!(!body.contains("file:"), "{body}");
}

#[tokio::test]
async fn an_unchanged_page_answers_304_to_its_etag() {
    let st = state();
    let store = st.store.clone();
    let app = app(st);
    let p = get(&app, "/catalog.ttl?per_page=1").await;
    let etag = p.headers[axum::http::header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let again = crate::kernel::testing::get_with(
        &app,
        "/catalog.ttl?per_page=1",
        &[("if-none-match", etag.as_str())],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // A record on the page changes: the page does too.
    import(
        &store,
        "<https://ex.org/d/registre> a <http://www.w3.org/ns/dcat#Dataset> ; \
         <http://purl.org/dc/terms/title> \"Renamed\"@en .",
    );
    let changed = crate::kernel::testing::get_with(
        &app,
        "/catalog.ttl?per_page=1",
        &[("if-none-match", etag.as_str())],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains("Renamed"));
}

/// Each dataset's assessment is published as DQV measurements of data.europa.eu's metrics, named
/// under its catalogue record, and they add no problem to the HealthDCAT-AP R8 validation.
#[tokio::test]
async fn the_catalogue_publishes_each_dataset_s_quality_as_dqv() {
    let st = crate::kernel::testing::state_assessed();
    let app = app(st);
    let p = get(&app, "/catalog.nt").await;
    assert_eq!(p.status, StatusCode::OK);
    let m = "<http://localhost/catalog/record/registre/quality/score>";
    assert!(
        p.body.contains(&format!(
            "<https://ex.org/d/registre> <http://www.w3.org/ns/dqv#hasQualityMeasurement> {m} ."
        )),
        "{}",
        p.body
    );
    assert!(p.body.contains(&format!(
        "{m} <http://www.w3.org/ns/dqv#isMeasurementOf> <https://piveau.eu/ns/voc#score> ."
    )));
    assert!(p.body.contains(&format!(
        "{m} <http://www.w3.org/ns/dqv#computedOn> <https://ex.org/d/registre> ."
    )));
    // The registry has keywords and no licence; its URL answers were not checked: no measurement.
    let value = |metric: &str| {
        let subject = format!(
            "<http://localhost/catalog/record/registre/quality/{metric}> <http://www.w3.org/ns/dqv#value> "
        );
        p.body
            .lines()
            .find_map(|l| l.strip_prefix(&subject))
            .map(|v| v.trim_end_matches(" .").to_owned())
    };
    assert_eq!(
        value("keywordAvailability").as_deref(),
        Some("\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>")
    );
    assert_eq!(
        value("licenceAvailability").as_deref(),
        Some("\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>")
    );
    assert_eq!(value("accessUrlStatusCode"), None);
    // The Article 78 label: a quality certificate whose body is the dataset's quality in full,
    // with the label's score and the levels this catalogue computed.
    let cert = "<http://localhost/catalog/record/registre/quality/label>";
    for line in [
        format!("<https://ex.org/d/registre> <http://www.w3.org/ns/dqv#hasQualityAnnotation> {cert} ."),
        format!("{cert} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dqv#QualityCertificate> ."),
        format!("{cert} <http://www.w3.org/ns/oa#hasTarget> <https://ex.org/d/registre> ."),
        format!("{cert} <http://www.w3.org/ns/oa#hasBody> <http://localhost/api/datasets/registre/quality> ."),
        format!("{cert} <http://www.w3.org/ns/oa#motivatedBy> <http://www.w3.org/ns/dqv#qualityAssessment> ."),
        "<http://localhost/catalog/record/registre/quality/label/score> <http://www.w3.org/ns/dqv#isMeasurementOf> <urn:healthcat:quantum:score> .".to_owned(),
    ] {
        assert!(p.body.contains(&line), "{line}");
    }
    assert!(value("label/access-policy").is_some());
    // The R8 validation of the page says nothing about the measurements.
    let doc = healthcat_store::parse_document(
        p.body.as_bytes(),
        healthcat_store::Format::NTriples,
        "catalog.nt",
        &Default::default(),
    )
    .unwrap();
    let graph = doc.graph.to_graph();
    let triples: Vec<_> = graph.iter().collect();
    let r8 = healthcat_profiles::Profile::builtin("healthdcat-ap-r8").unwrap();
    let report = r8.validate(&triples, &Default::default());
    for r in &report.results {
        let about = format!("{} {:?} {:?}", r.focus_node, r.result_path, r.value);
        assert!(
            !about.contains("/quality") && !about.contains("dqv#") && !about.contains("oa#"),
            "{about}"
        );
    }
}
