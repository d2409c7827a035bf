//! What the tests of every area start from: a small catalogue in a store and an index, the
//! router over it, and requests sent through it (no socket).

use crate::kernel::{AppState, Validators};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

pub(crate) const DATA: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix hd: <http://healthdataportal.eu/ns/health#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://ex.org/d/registre> a dcat:Dataset ;
  dct:title "Registre des cancers du sein"@fr, "Breast cancer registry"@en ;
  dct:description "Tous les cancers du sein diagnostiqués.\n\nDepuis 2010."@fr, "All breast cancers diagnosed."@en ;
  dcat:keyword "cancer"@fr, "sein"@fr, "cancer"@en ;
  dct:publisher <https://ex.org/org/inca> ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL> ;
  hd:healthCategory <https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/PHDR> ;
  hd:minTypicalAge 18 ; hd:maxTypicalAge 99 ;
  hd:numberOfRecords 1234567 ;
  dct:modified "2024-03-05"^^xsd:date ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2010-01-01"^^xsd:date ; dcat:endDate "2023-12-31"^^xsd:date ] ;
  dcat:landingPage <javascript:alert(1)> ;
  hd:hasVariables <https://ex.org/d/registre/variables> ;
  dcat:distribution [ a dcat:Distribution ; dct:title "Extraction annuelle"@fr ;
      dcat:accessURL <https://ex.org/access> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .

<https://ex.org/d/registre/variables> a csvw:TableGroup ;
  csvw:table [ a csvw:Table ; csvw:column [ a csvw:Column ; csvw:name "age_diag" ;
      csvw:title "Âge au diagnostic"@fr ; csvw:datatype "integer" ; dct:description "En années."@fr ] ] .

<https://ex.org/org/inca> a foaf:Organization ; foaf:name "Institut du cancer"@fr, "Cancer institute"@en .

<https://ex.org/d/xss> a dcat:Dataset ;
  dct:title "<script>alert(1)</script>"@fr ;
  dct:description "<b>gras</b> cohorte"@fr ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
"#;

/// Imports Turtle into the store (not into the search index).
pub(crate) fn import(store: &healthcat_store::Store, ttl: &str) {
    let doc = healthcat_store::parse_document(
        ttl.as_bytes(),
        healthcat_store::Format::Turtle,
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
}

/// [`state`], its catalogue written through the one write path (`Ingest`), which keeps each
/// dataset's quality assessment, and indexed from there.
pub(crate) fn state_assessed() -> AppState {
    let mut st = state();
    st.store = healthcat_store::Store::in_memory().unwrap();
    let doc = healthcat_store::parse_document(
        DATA.as_bytes(),
        healthcat_store::Format::Turtle,
        "t.ttl",
        &Default::default(),
    )
    .unwrap();
    let search = healthcat_search::SearchIndex::in_memory().unwrap();
    healthcat_ingest::Ingest::new(&st.store)
        .indexing(Some(&search))
        .document(&doc.graph, &healthcat_store::Source::local_file("t.ttl"))
        .unwrap();
    st.search = Arc::new(search);
    st
}

pub(crate) fn state() -> AppState {
    state_themed(crate::kernel::theme::Theme::builtin().unwrap())
}

pub(crate) fn state_themed(theme: crate::kernel::theme::Theme) -> AppState {
    let store = healthcat_store::Store::in_memory().unwrap();
    import(&store, DATA);
    let search = healthcat_search::SearchIndex::in_memory().unwrap();
    let (ids, _) = store
        .record_hashes()
        .unwrap()
        .into_iter()
        .unzip::<_, _, Vec<_>, Vec<_>>();
    let docs: Vec<_> = ids
        .iter()
        .filter_map(|id| healthcat_search::SearchDoc::read(&store, id).unwrap())
        .collect();
    search.upsert(&docs).unwrap();
    search.commit().unwrap();
    AppState {
        store,
        validation: Arc::new(
            Validators::with_bundled(Arc::new(
                healthcat_profiles::Profile::builtin("healthdcat-ap-r8").unwrap(),
            ))
            .unwrap(),
        ),
        site: Arc::new(
            crate::Site::new(
                theme,
                "fr",
                ("Catalogue <test>".into(), "Test catalogue".into()),
            )
            .unwrap(),
        ),
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

#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: String,
}

pub(crate) async fn send(app: &Router, req: Request<Body>) -> Page {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    Page {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

pub(crate) async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Page {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

pub(crate) async fn get(app: &Router, uri: &str) -> Page {
    get_with(app, uri, &[]).await
}

/// One generated, valid HealthDCAT-AP R8 dataset under `base`, and its publisher.
/// An app whose key store has an administrator, with one generated dataset created through the
/// write API: (app, the admin's key, the dataset's Turtle, its local id, its ETag, the store).
pub(crate) async fn admin_with_one_dataset() -> (
    axum::Router,
    String,
    String,
    String,
    String,
    healthcat_store::Store,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let keys = healthcat_auth::KeyStore::new(dir.path());
    let (_, admin) = keys
        .create("admin", healthcat_auth::Role::Admin, vec![])
        .unwrap();
    let mut st = state();
    st.auth = crate::kernel::Auth(Arc::new(keys));
    let store = st.store.clone();
    let app = crate::app(st);
    let (ttl, _) = one_dataset("https://chu.example/");
    let r = call(&app, "POST", "/api/datasets", Some(&admin), &[], &ttl).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.body);
    let id = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    (app, admin, ttl, id, etag, store, dir)
}

pub(crate) fn one_dataset(base: &str) -> (String, String) {
    let mut ttl = Vec::new();
    healthcat_demo::write_turtle(
        &healthcat_demo::DemoConfig {
            datasets: 1,
            seed: 7,
            base_iri: base.into(),
            series: 0,
        },
        &mut ttl,
    )
    .unwrap();
    let ttl = String::from_utf8(ttl).unwrap();
    let doc = healthcat_store::parse_document(
        ttl.as_bytes(),
        healthcat_store::Format::Turtle,
        "t",
        &Default::default(),
    )
    .unwrap();
    let publisher = doc
        .graph
        .iter()
        .find(|t| {
            t.predicate == healthcat_model::vocab::dct::PUBLISHER
                && t.subject.to_string().contains("/dataset/")
        })
        .map(|t| match t.object {
            oxrdf::TermRef::NamedNode(n) => n.as_str().to_owned(),
            _ => panic!("publisher"),
        })
        .unwrap();
    (ttl, publisher)
}

pub(crate) async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    key: Option<&str>,
    headers: &[(&str, &str)],
    body: &str,
) -> Page {
    call_bytes(app, method, uri, key, headers, body.as_bytes().to_vec()).await
}

/// [`call`] with any body; `text/turtle` unless `headers` give a `content-type`.
pub(crate) async fn call_bytes(
    app: &axum::Router,
    method: &str,
    uri: &str,
    key: Option<&str>,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        req = req.header("content-type", "text/turtle");
    }
    if let Some(k) = key {
        req = req.header("authorization", format!("Bearer {k}"));
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}
