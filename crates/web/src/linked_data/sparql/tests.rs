//! The SPARQL endpoint through the router (no socket): protocol, syntaxes, limits, what it hides.

use crate::app;
use crate::kernel::testing::{get, get_with, send, state};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::time::Duration;

fn q(query: &str) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("query", query);
    format!("/sparql?{}", s.finish())
}

const TITLES: &str = "PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?t WHERE { <https://ex.org/d/registre> dct:title ?t } ORDER BY ?t";

#[tokio::test]
async fn select_answers_in_each_results_syntax() {
    let app = app(state());
    let p = get(&app, &q(TITLES)).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/sparql-results+json")
    );
    let json: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    let titles: Vec<&str> = json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["t"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Breast cancer registry", "Registre des cancers du sein"]
    );
    assert_eq!(json["results"]["bindings"][0]["t"]["xml:lang"], "en");

    let p = get_with(&app, &q(TITLES), &[("accept", "text/csv")]).await;
    assert!(p.body.starts_with("t\r\n"), "{}", p.body);
    assert!(p.body.contains("Registre des cancers du sein"));
    let p = get(&app, &format!("{}&format=tsv", q(TITLES))).await;
    assert!(p.body.starts_with("?t\n"), "{}", p.body);
    assert!(p.body.contains("\"Registre des cancers du sein\"@fr"));
    let p = get_with(
        &app,
        &q(TITLES),
        &[("accept", "application/sparql-results+xml")],
    )
    .await;
    assert!(
        p.body
            .contains("<literal xml:lang=\"fr\">Registre des cancers du sein</literal>"),
        "{}",
        p.body
    );
    // A SELECT cannot be Turtle.
    let p = get_with(&app, &q(TITLES), &[("accept", "text/turtle")]).await;
    assert_eq!(p.status, StatusCode::NOT_ACCEPTABLE);
    assert!(
        p.body.contains("application/sparql-results+json"),
        "{}",
        p.body
    );
}

#[tokio::test]
async fn ask_construct_and_describe() {
    let app = app(state());
    let p = get(
        &app,
        &q("ASK { <https://ex.org/d/xss> a <http://www.w3.org/ns/dcat#Dataset> }"),
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(json["boolean"], true);

    let construct = "PREFIX dct: <http://purl.org/dc/terms/>
        CONSTRUCT { ?d dct:title ?t } WHERE { ?d dct:title ?t }";
    let p = get_with(&app, &q(construct), &[("accept", "application/n-triples")]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/n-triples")
    );
    assert!(p.body.contains(
        "<https://ex.org/d/registre> <http://purl.org/dc/terms/title> \"Breast cancer registry\"@en ."
    ), "{}", p.body);
    assert_eq!(p.body.lines().count(), 4, "{}", p.body);
    let p = get(
        &app,
        &format!("{}&format=ttl", q("DESCRIBE <https://ex.org/org/inca>")),
    )
    .await;
    assert!(
        p.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/turtle")
    );
    assert!(p.body.contains("Institut du cancer"), "{}", p.body);
    let p = get(&app, &format!("{}&format=csv", q(construct))).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST, "{}", p.body);
}

#[tokio::test]
async fn post_as_form_and_as_query_body() {
    let app = app(state());
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("query", TITLES);
    let req = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.finish()))
        .unwrap();
    let p = send(&app, req).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("Registre des cancers du sein"));
    let req = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/sparql-query")
        .header(header::ACCEPT, "text/csv")
        .body(Body::from(TITLES))
        .unwrap();
    let p = send(&app, req).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.starts_with("t\r\n"));
}

#[tokio::test]
async fn bookkeeping_is_invisible_and_updates_are_refused() {
    let app = app(state());
    let p = get(&app, &q("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")).await;
    assert!(p.body.contains("http://purl.org/dc/terms/title"));
    assert!(!p.body.contains("urn:healthcat"), "{}", p.body);
    let p = get(
        &app,
        &q("SELECT * WHERE { GRAPH <urn:healthcat:meta> { ?s ?p ?o } }"),
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 0);
    // default-graph-uri chooses the dataset; an internal graph is empty.
    let p = get(
        &app,
        &format!(
            "{}&default-graph-uri=urn%3Ahealthcat%3Asnapshots",
            q("SELECT * WHERE { ?s ?p ?o }")
        ),
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 0);

    for req in [
        Request::post("/sparql")
            .header(header::CONTENT_TYPE, "application/sparql-update")
            .body(Body::from("DELETE WHERE { ?s ?p ?o }"))
            .unwrap(),
        Request::get(q("DELETE WHERE { ?s ?p ?o }"))
            .body(Body::empty())
            .unwrap(),
        Request::get("/sparql?update=CLEAR%20ALL")
            .body(Body::empty())
            .unwrap(),
    ] {
        let p = send(&app, req).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{}", p.body);
        assert!(p.body.contains("read-only"));
    }
    // Nothing was deleted.
    let p = get(&app, &q(TITLES)).await;
    assert!(p.body.contains("Registre des cancers du sein"));
}

#[tokio::test]
async fn bad_queries_get_the_parsers_message() {
    let app = app(state());
    let p = get(&app, &q("SELECT ?x WHERE { ?x ?y }")).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.starts_with("SPARQL syntax error"), "{}", p.body);
    // Unknown parameters are refused, not ignored (a `timeout=` would otherwise seem to work).
    for extra in ["foo=1", "timeout=60"] {
        let p = get(&app, &format!("/sparql?query=ASK%7B%7D&{extra}")).await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST, "{extra}");
        assert!(
            p.body.contains(extra.split('=').next().unwrap()),
            "{}",
            p.body
        );
    }
    // The endpoint never calls another server.
    let p = get(
        &app,
        &q("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    )
    .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST, "{}", p.body);
}

#[tokio::test]
async fn limits_stop_a_query_with_a_clear_status() {
    let mut st = state();
    st.sparql = settings(Duration::from_secs(10), 3, 2);
    let app = app(st);
    let p = get(&app, &q("SELECT * WHERE { ?s ?p ?o }")).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.contains("more than 3 rows"), "{}", p.body);
    // Within the limit: fine.
    let p = get(&app, &q(TITLES)).await;
    assert_eq!(p.status, StatusCode::OK);

    let mut st = state();
    st.sparql = settings(Duration::from_millis(200), 100, 2);
    let app = crate::app(st);
    // Millions of combinations, one row: only the timeout stops it.
    let slow =
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }";
    let started = std::time::Instant::now();
    let p = get(&app, &q(slow)).await;
    assert_eq!(p.status, StatusCode::SERVICE_UNAVAILABLE, "{}", p.body);
    assert!(p.body.contains("stopped after 0.2 s"), "{}", p.body);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn without_a_query_it_describes_itself() {
    let app = app(state());
    let p = get_with(
        &app,
        "/sparql",
        &[("accept", "text/turtle"), ("host", "cat.example.org")],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body.contains("sd:Service") || p.body.contains("sparql-service-description#Service"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("<http://cat.example.org/sparql>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("SPARQL11Query"));
    let p = get_with(
        &app,
        "/sparql?lang=en",
        &[("accept", "text/html,application/xhtml+xml,*/*;q=0.8")],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body.contains("<textarea id=\"query\" name=\"query\""),
        "{}",
        p.body
    );
    assert!(p.body.contains("stopped after 10 s"), "{}", p.body);
}

/// `query` posted as a form.
async fn post_form(app: &axum::Router, query: &str) -> crate::kernel::testing::Page {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", query)
        .finish();
    send(
        app,
        Request::post("/sparql")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// Queries that made the parser or the evaluator recurse until the process aborted (a long
/// property path, deep parentheses, nested groups, chains of negations) are refused with a 400
/// naming the limit, and the deepest and longest queries the limits allow are answered.
#[tokio::test]
async fn queries_that_would_exhaust_the_stack_are_refused_and_the_largest_allowed_run() {
    let mut st = state();
    st.sparql = settings(Duration::from_secs(2), 100_000, 4);
    let app = app(st);
    let path = format!(
        "SELECT * WHERE {{ ?s <https://ex.org/p>{} ?o }}",
        "/<https://ex.org/p>".repeat(20_000)
    );
    let parens = format!(
        "ASK {{ FILTER({}true{}) }}",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    let groups = format!("SELECT * WHERE {}{}", "{".repeat(1_000), "}".repeat(1_000));
    let negations = format!("ASK {{ FILTER({}true) }}", "!".repeat(20_000));
    // 130 bytes that the parser would take ages over: its time doubles with each nested `!`.
    let nested_negations = format!(
        "ASK {{ FILTER({}true{}) }}",
        "!(".repeat(62),
        ")".repeat(62)
    );
    for (name, query) in [
        ("path", &path),
        ("parens", &parens),
        ("groups", &groups),
        ("negations", &negations),
        ("nested negations", &nested_negations),
    ] {
        let p = post_form(&app, query).await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST, "{name}: {}", p.body);
        assert!(
            ["operators", "levels deep", "sequence steps"]
                .iter()
                .any(|w| p.body.contains(w)),
            "{name}: {}",
            p.body
        );
    }
    // Just inside the limits: 63 nested groups around a 101-step path, 8 nested negations,
    // 999 alternatives.
    let deep_ok = format!(
        "SELECT * WHERE {}<https://ex.org/d/registre> <https://ex.org/p>{} ?o{}",
        "{".repeat(63),
        "/<https://ex.org/p>".repeat(100),
        "}".repeat(63)
    );
    let neg_ok = format!("ASK {{ FILTER({}true{}) }}", "!(".repeat(8), ")".repeat(8));
    let alt_ok = format!(
        "SELECT * WHERE {{ <https://ex.org/d/registre> <https://ex.org/p>{} ?o }}",
        "|<https://ex.org/p>".repeat(999)
    );
    for (name, query) in [
        ("deep", &deep_ok),
        ("negations", &neg_ok),
        ("alternatives", &alt_ok),
    ] {
        let p = post_form(&app, query).await;
        assert_eq!(p.status, StatusCode::OK, "{name}: {}", p.body);
    }
    // And the endpoint still answers.
    assert_eq!(get(&app, &q(TITLES)).await.status, StatusCode::OK);
}

/// Settings with these limits and the default query shape.
fn settings(
    timeout: Duration,
    max_results: u64,
    concurrent: usize,
) -> crate::kernel::SparqlSettings {
    crate::kernel::SparqlSettings::new(healthcat_publish::SparqlLimits {
        timeout,
        max_results,
        concurrent,
        ..Default::default()
    })
}
