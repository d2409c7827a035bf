//! Drafts through the router: invisible everywhere until published.

use crate::kernel::testing::{call, one_dataset};
use crate::kernel::testing::{get, send};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use healthcat_auth::{KeyStore, Role};
use healthcat_ingest::drafts::Drafts;
use std::sync::Arc;

#[tokio::test]
async fn a_draft_is_invisible_until_published() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeyStore::new(dir.path());
    let (ttl, publisher) = one_dataset("https://draft.example/");
    let (_, editor) = keys
        .create("steward", Role::Editor, vec![publisher.clone()])
        .unwrap();
    let (_, outsider) = keys
        .create(
            "other",
            Role::Editor,
            vec!["https://elsewhere.example/org".into()],
        )
        .unwrap();
    let (_, reader) = keys.create("reader", Role::Reader, vec![]).unwrap();
    let mut st = crate::kernel::testing::state();
    st.auth = crate::kernel::Auth(Arc::new(keys));
    st.drafts = Some(Arc::new(Drafts::new(dir.path())));
    let store = st.store.clone();
    let app = crate::app(st);
    let iri = "https://draft.example/dataset/";

    let r = call(&app, "POST", "/api/drafts", Some(&reader), &[], &ttl).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a reader does not write: {}",
        r.body
    );
    let r = call(&app, "POST", "/api/drafts", Some(&editor), &[], &ttl).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let id = v["id"].as_str().unwrap().to_owned();
    let key = v["records"][0].as_str().unwrap().to_owned();

    // Nowhere to be seen: store, search, catalogue, SPARQL.
    assert!(store.record_by_key(&key).unwrap().is_none());
    let search = get(&app, "/api/search?q=draft.example").await;
    assert!(!search.body.contains(iri), "{}", search.body);
    let catalog = get(&app, "/catalog.nt?per_page=1000").await;
    assert!(!catalog.body.contains(iri));
    let ask = format!(
        "/sparql?query=ASK%20%7B%20%3C{}%3E%20%3Fp%20%3Fo%20%7D",
        urlencode(&key)
    );
    let sparql = get(&app, &ask).await;
    assert!(sparql.body.contains("false"), "{}", sparql.body);

    // Readers and its publisher's editors see it; another publisher's editor does not.
    let r = call(&app, "GET", "/api/drafts", Some(&reader), &[], "").await;
    assert!(r.body.contains(&id), "{}", r.body);
    let r = call(&app, "GET", "/api/drafts", Some(&outsider), &[], "").await;
    assert!(!r.body.contains(&id), "{}", r.body);
    let path = format!("/api/drafts/{id}");
    let r = call(&app, "GET", &path, Some(&outsider), &[], "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call(&app, "GET", &path, Some(&reader), &[], "").await;
    assert!(r.body.contains(&key), "{}", r.body);

    // Worked on, then published: now it is in the catalogue, and the draft is gone.
    let changed = ttl.replacen("dct:identifier \"", "dct:identifier \"v2-", 1);
    let r = call(&app, "PUT", &path, Some(&editor), &[], &changed).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let publish = format!("/api/drafts/{id}/publish");
    let r = call(&app, "POST", &publish, None, &[], "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call(&app, "POST", &publish, Some(&editor), &[], "").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    let stored = store.record_by_key(&key).unwrap().expect("published");
    assert!(
        get(&app, "/catalog.nt?per_page=1000")
            .await
            .body
            .contains(&key)
    );
    assert_eq!(
        call(&app, "GET", &path, Some(&reader), &[], "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A draft of a record that exists replaces it only from the version it knows.
    let r = call(&app, "POST", "/api/drafts", Some(&editor), &[], &ttl).await;
    let id2 = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let publish2 = format!("/api/drafts/{id2}/publish");
    let r = call(&app, "POST", &publish2, Some(&editor), &[], "").await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{}", r.body);
    let r = call(
        &app,
        "POST",
        &publish2,
        Some(&editor),
        &[("if-match", &etag)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(
        store.record_by_key(&key).unwrap().unwrap().hash,
        stored.hash
    );

    // An invalid draft is kept as a draft: publishing it is refused with the report.
    let bad = format!(
        "<https://draft.example/d/bad> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/publisher> <{publisher}> ."
    );
    let r = call(&app, "POST", "/api/drafts", Some(&editor), &[], &bad).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id3 = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = call(
        &app,
        "POST",
        &format!("/api/drafts/{id3}/publish"),
        Some(&editor),
        &[],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let kept = format!("/api/drafts/{id3}");
    assert_eq!(
        call(&app, "GET", &kept, Some(&editor), &[], "")
            .await
            .status,
        StatusCode::OK
    );
    let r = send(&app, Request::delete(&kept).body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
