//! The push API through the router: keys, ownership, validation before acceptance.

use crate::app;
use crate::kernel::Validators;
use crate::kernel::testing::{Page, get, send, state};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use healthcat_auth::Providers;
use sha2::{Digest, Sha256};
use std::sync::Arc;

fn hex(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn router() -> axum::Router {
    let mut st = state();
    st.providers = Arc::new(
        Providers::new(&[
            ("chu".into(), hex("key-chu")),
            ("other".into(), hex("key-other")),
        ])
        .unwrap(),
    );
    // DCAT-AP 3 keeps the test records short (a title and a description make a valid dataset).
    st.validation = Arc::new(
        Validators::with_bundled(Arc::new(
            healthcat_profiles::Profile::builtin("dcat-ap-3").unwrap(),
        ))
        .unwrap(),
    );
    app(st)
}

fn dataset(iri: &str, title: &str) -> String {
    format!(
        "<{iri}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{title}\"@en ; \
         <http://purl.org/dc/terms/description> \"Pushed.\"@en ."
    )
}

async fn call(app: &axum::Router, method: &str, uri: &str, key: Option<&str>, body: &str) -> Page {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "text/turtle");
    if let Some(k) = key {
        req = req.header("x-api-key", k);
    }
    send(app, req.body(Body::from(body.to_owned())).unwrap()).await
}

#[tokio::test]
async fn providers_push_update_and_delete_their_own_records_only() {
    let app = router();
    let pushed = dataset("https://chu.example/d/1", "Cohorte pushée");

    // No key, or an unknown one: 401.
    for key in [None, Some("nope")] {
        let p = call(&app, "POST", "/ingest/datasets", key, &pushed).await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED, "{}", p.body);
    }
    let p = call(&app, "GET", "/api-keys/whoami", Some("key-chu"), "").await;
    assert!(p.body.contains("\"provider\":\"chu\""), "{}", p.body);

    // Create: 201 with the record's id; readable and searchable at once.
    let p = call(&app, "POST", "/ingest/datasets", Some("key-chu"), &pushed).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let v: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    let id = v["id"].as_str().unwrap().to_owned();
    assert_eq!(
        get(&app, &format!("/datasets/{id}.ttl")).await.status,
        StatusCode::OK
    );
    let hits = get(&app, "/api/search?q=pushée").await;
    assert!(hits.body.contains("chu.example/d/1"), "{}", hits.body);

    // Another provider can neither overwrite, replace nor delete it; nor touch a local record.
    let other = call(&app, "POST", "/ingest/datasets", Some("key-other"), &pushed).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
    let put = "/ingest/datasets/origin?originalId=https%3A%2F%2Fchu.example%2Fd%2F1";
    let other = call(&app, "PUT", put, Some("key-other"), &pushed).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
    let other = call(
        &app,
        "DELETE",
        &format!("/ingest/datasets/{id}"),
        Some("key-other"),
        "",
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
    let local = call(
        &app,
        "POST",
        "/ingest/datasets",
        Some("key-chu"),
        &dataset("https://ex.org/d/registre", "Mine now"),
    )
    .await;
    assert_eq!(local.status, StatusCode::FORBIDDEN, "{}", local.body);

    // Replace: 200, new content.
    let p = call(
        &app,
        "PUT",
        put,
        Some("key-chu"),
        &dataset("https://chu.example/d/1", "Titre revu"),
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        get(&app, &format!("/datasets/{id}.ttl"))
            .await
            .body
            .contains("Titre revu")
    );
    let p = call(
        &app,
        "PUT",
        "/ingest/datasets/origin?originalId=https%3A%2F%2Fchu.example%2Fd%2Fnone",
        Some("key-chu"),
        &dataset("https://chu.example/d/none", "x"),
    )
    .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.body);

    // An invalid record refuses the whole request, with the report; nothing stored.
    let mixed = format!(
        "{}\n<https://chu.example/d/bad> a <http://www.w3.org/ns/dcat#Dataset> .",
        dataset("https://chu.example/d/2", "Fine")
    );
    let p = call(&app, "POST", "/ingest/datasets", Some("key-chu"), &mixed).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(
        p.body.contains("https://chu.example/d/bad") && p.body.contains("dct:title"),
        "{}",
        p.body
    );
    let all = get(&app, "/catalog.nt?per_page=1000").await.body;
    assert!(
        !all.contains("https://chu.example/d/2"),
        "nothing stored: {all}"
    );
    let p = call(
        &app,
        "POST",
        "/ingest/datasets",
        Some("key-chu"),
        "not turtle at all",
    )
    .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST, "{}", p.body);

    // Delete: 204, then gone everywhere.
    let p = call(
        &app,
        "DELETE",
        &format!("/ingest/datasets/{id}"),
        Some("key-chu"),
        "",
    )
    .await;
    assert_eq!(p.status, StatusCode::NO_CONTENT, "{}", p.body);
    assert_eq!(
        get(&app, &format!("/datasets/{id}.ttl")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !get(&app, "/api/search?q=revu")
            .await
            .body
            .contains("chu.example")
    );
    let p = call(
        &app,
        "DELETE",
        &format!("/ingest/datasets/{id}"),
        Some("key-chu"),
        "",
    )
    .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.body);
}

/// A provider describes publishers in its own words, kept as its own; it can neither rename a
/// publisher on another source's records nor rewrite the catalogue's own description, and a
/// document that cannot be cut into records gets a 4xx, not a 500.
#[tokio::test]
async fn a_provider_cannot_rename_a_local_publisher_or_the_catalogue() {
    let app = router();
    let foaf = "http://xmlns.com/foaf/0.1/";
    let pushed = format!(
        "{}\n<https://chu.example/d/p> <http://purl.org/dc/terms/publisher> <https://ex.org/org/inca> .\n\
         <https://ex.org/org/inca> a <{foaf}Organization> , <{foaf}Agent> ; <{foaf}name> \"Pirate\"@fr , \"Pirate\"@en .\n\
         <http://localhost/catalog> a <http://www.w3.org/ns/dcat#Catalog> ; \
           <http://purl.org/dc/terms/title> \"Pwned\"@fr ; <http://www.w3.org/ns/dcat#dataset> <https://chu.example/d/p> .",
        dataset("https://chu.example/d/p", "Cohorte")
    );
    let r = call(&app, "POST", "/ingest/datasets", Some("key-chu"), &pushed).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The local record still shows its publisher's own name.
    let page = get(&app, "/datasets/registre?lang=fr").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Institut du cancer"), "{}", page.body);
    assert!(!page.body.contains("Pirate"), "{}", page.body);
    // The catalogue's own description is the configuration's alone.
    let cat = get(&app, "/catalog.ttl").await;
    assert_eq!(cat.status, StatusCode::OK, "{}", cat.body);
    assert!(!cat.body.contains("Pwned"), "{}", cat.body);
    // The other provider cannot take the catalogue over either.
    let again = pushed
        .replace("chu.example/d/p", "other.example/d/q")
        .replace("Pwned", "Pwned again");
    let r = call(&app, "POST", "/ingest/datasets", Some("key-other"), &again).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("<http://localhost/catalog>"), "{}", r.body);
}
