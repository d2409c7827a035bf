//! The write API through the router: keys and roles, scopes, validation, concurrency.

use crate::kernel::testing::{call, one_dataset, state};
use axum::http::StatusCode;
use healthcat_auth::{KeyStore, Role};
use std::sync::Arc;

#[tokio::test]
async fn stewards_write_their_own_records_with_keys_validation_and_if_match() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeyStore::new(dir.path());
    let (ttl, publisher) = one_dataset("https://chu.example/");
    let (_, admin) = keys.create("admin", Role::Admin, vec![]).unwrap();
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
    let mut st = state();
    st.auth = crate::kernel::Auth(Arc::new(keys));
    let store = st.store.clone();
    let app = crate::app(st);

    // No key, a reader's, a wrong one, another publisher's editor: nothing written.
    for (key, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(reader.as_str()), StatusCode::FORBIDDEN),
        (Some("hc_00000000_nope"), StatusCode::UNAUTHORIZED),
        (Some(outsider.as_str()), StatusCode::FORBIDDEN),
    ] {
        let r = call(&app, "POST", "/api/datasets", key, &[], &ttl).await;
        assert_eq!(r.status, status, "{key:?}: {}", r.body);
    }
    // The steward of that publisher creates it.
    let r = call(&app, "POST", "/api/datasets", Some(&editor), &[], &ttl).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let id = v["id"].as_str().unwrap().to_owned();
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(r.headers["location"], format!("/datasets/{id}").as_str());
    let again = call(&app, "POST", "/api/datasets", Some(&editor), &[], &ttl).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // A change needs If-Match; a stale one is refused; the current one applies.
    let path = format!("/api/datasets/{id}");
    let changed = ttl.replacen("dct:identifier \"", "dct:identifier \"r2-", 1);
    assert_ne!(changed, ttl);
    let r = call(&app, "PUT", &path, Some(&editor), &[], &changed).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{}", r.body);
    let r = call(
        &app,
        "PUT",
        &path,
        Some(&editor),
        &[("if-match", "\"0\"")],
        &changed,
    )
    .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    let r = call(
        &app,
        "PUT",
        &path,
        Some(&editor),
        &[("if-match", &etag)],
        &changed,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let newer = r.headers["etag"].to_str().unwrap().to_owned();
    assert_ne!(newer, etag);
    // A second writer still holding the first version: 412, its change not applied.
    let r = call(
        &app,
        "PUT",
        &path,
        Some(&admin),
        &[("if-match", &etag)],
        &ttl,
    )
    .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    let stored = store
        .get(&healthcat_model::LocalId::new(id.clone()).unwrap())
        .unwrap()
        .unwrap();
    assert!(format!("{}", stored.graph).contains("\"r2-HC-"));

    // An invalid record: 422 with the report; an admin may store it flagged, an editor not.
    let bad = format!(
        "<https://chu.example/d/bad> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/publisher> <{publisher}> ."
    );
    let r = call(
        &app,
        "POST",
        "/api/datasets?force=true",
        Some(&editor),
        &[],
        &bad,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("rejected"), "{}", r.body);
    let r = call(
        &app,
        "POST",
        "/api/datasets?force=true",
        Some(&admin),
        &[],
        &bad,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        r.body.contains("https://chu.example/d/bad"),
        "flagged: {}",
        r.body
    );

    // Records that came from elsewhere are changed at their source.
    let doc = healthcat_store::parse_document(
        "<https://registre.example/d/1> a <http://www.w3.org/ns/dcat#Dataset> .".as_bytes(),
        healthcat_store::Format::Turtle,
        "t",
        &Default::default(),
    )
    .unwrap();
    let harvested = store
        .import_units(
            &doc.graph,
            &healthcat_store::split(&doc.graph).unwrap(),
            &healthcat_store::Source {
                id: "registre".into(),
                origin: "https://registre.example/catalog.ttl".into(),
                run: None,
                comment: None,
            },
        )
        .unwrap();
    let p = format!("/api/datasets/{}", harvested.records[0].id);
    let r = call(&app, "DELETE", &p, Some(&admin), &[], "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("comes from registre"), "{}", r.body);

    // The history: who changed what, newest first; an older version restored.
    let history = format!("/api/datasets/{id}/history");
    assert_eq!(
        call(&app, "GET", &history, None, &[], "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = call(&app, "GET", &history, Some(&reader), &[], "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let h: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let revisions = h["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 2, "{h}");
    assert_eq!(revisions[0]["change"], "changed");
    assert_eq!(revisions[0]["origin"], "api:steward");
    assert!(revisions[0]["added"].to_string().contains("r2-HC-"), "{h}");
    assert!(
        !revisions[0]["removed"].to_string().contains("r2-HC-"),
        "{h}"
    );
    assert_eq!(revisions[1]["change"], "created");
    let first = revisions[1]["id"].as_str().unwrap().to_owned();
    let restore = format!("/api/datasets/{id}/restore?revision={first}");
    let r = call(
        &app,
        "POST",
        &restore,
        Some(&outsider),
        &[("if-match", &newer)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = call(
        &app,
        "POST",
        &restore,
        Some(&editor),
        &[("if-match", &newer)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.headers["etag"].to_str().unwrap(),
        etag,
        "the first version again"
    );
    let newer = etag.clone();
    let stored = store
        .get(&healthcat_model::LocalId::new(id.clone()).unwrap())
        .unwrap()
        .unwrap();
    assert!(!format!("{}", stored.graph).contains("\"r2-HC-"));
    let r = call(&app, "GET", &history, Some(&editor), &[], "").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["revisions"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Delete: not by another publisher's editor; by the steward; then it is gone.
    let r = call(&app, "DELETE", &path, Some(&outsider), &[], "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = call(
        &app,
        "DELETE",
        &path,
        Some(&editor),
        &[("if-match", &newer)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = call(&app, "DELETE", &path, Some(&editor), &[], "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Its history stays, ending with the withdrawal and the lines it removed.
    let r = call(&app, "GET", &history, Some(&editor), &[], "").await;
    let h: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(h["revisions"][0]["change"], "withdrawn", "{h}");
    assert!(
        h["revisions"][0]["removed"].as_array().unwrap().len() > 10,
        "{h}"
    );

    // Each write is in the audit log, under the key's name.
    let log = std::fs::read_to_string(dir.path().join("auth/audit.log")).unwrap();
    assert!(
        log.contains("\"who\":\"steward\"") && log.contains("delete"),
        "{log}"
    );
    assert!(log.contains("key refused"), "{log}");
}

/// The IRI of the one dataset `one_dataset` describes.
fn dataset_iri(ttl: &str) -> String {
    ttl.lines()
        .find_map(|l| {
            l.strip_prefix('<')
                .and_then(|l| l.split_once("> a dcat:Dataset"))
        })
        .map(|(iri, _)| iri.to_owned())
        .expect("the dataset's IRI")
}

/// An editor's write carries its own record and may refer to shared resources, but changes
/// only its own publisher's description: another publisher's name, a catalogue, or a record
/// described without its type are refused with 403, naming them, and nothing is stored.
#[tokio::test]
async fn an_editor_cannot_rewrite_another_publisher_or_a_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeyStore::new(dir.path());
    let (ttl_a, pub_a) = one_dataset("https://chu.example/");
    let (ttl_b, pub_b) = one_dataset("https://other.example/");
    let (_, admin) = keys.create("admin", Role::Admin, vec![]).unwrap();
    let (_, editor_b) = keys
        .create("steward-b", Role::Editor, vec![pub_b.clone()])
        .unwrap();
    let mut st = state();
    st.auth = crate::kernel::Auth(Arc::new(keys));
    let store = st.store.clone();
    let app = crate::app(st);
    let r = call(&app, "POST", "/api/datasets", Some(&admin), &[], &ttl_a).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let record_a = dataset_iri(&ttl_a);
    let names_a = store.names_of(&pub_a, "local").unwrap();
    let foaf_name = "<http://xmlns.com/foaf/0.1/name>";
    let title = "<http://purl.org/dc/terms/title>";
    for (what, extra) in [
        (
            "another publisher",
            format!("<{pub_a}> {foaf_name} \"Renamed\"@fr ."),
        ),
        (
            "a catalogue",
            format!(
                "<https://chu.example/catalog> a <http://www.w3.org/ns/dcat#Catalog> ; {title} \"Pwned\"@en ."
            ),
        ),
        (
            "an untyped catalogue",
            format!("<https://chu.example/catalog> {title} \"Pwned\"@en ."),
        ),
        (
            "an untyped record",
            format!("<{record_a}> {title} \"Pwned\"@en ."),
        ),
    ] {
        let body = format!("{ttl_b}\n{extra}\n");
        let r = call(&app, "POST", "/api/datasets", Some(&editor_b), &[], &body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}: {}", r.body);
        assert!(r.body.contains("nothing was stored"), "{what}: {}", r.body);
        assert!(
            store.record_by_key(&dataset_iri(&ttl_b)).unwrap().is_none(),
            "{what}"
        );
    }
    assert_eq!(
        store.names_of(&pub_a, "local").unwrap(),
        names_a,
        "A's name unchanged"
    );
    let sparql =
        "SELECT ?t WHERE { <https://chu.example/catalog> <http://purl.org/dc/terms/title> ?t }";
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("query", sparql).append_pair("format", "csv");
    let r = crate::kernel::testing::get(&app, &format!("/sparql?{}", q.finish())).await;
    assert!(!r.body.contains("Pwned"), "{}", r.body);

    // Its own publisher's description it may change, and the rest of its record is stored.
    let own = format!("{ttl_b}\n<{pub_b}> {foaf_name} \"Nouveau nom\"@fr .\n");
    let r = call(&app, "POST", "/api/datasets", Some(&editor_b), &[], &own).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        store
            .names_of(&pub_b, "local")
            .unwrap()
            .contains(&("fr".into(), "Nouveau nom".into()))
    );
}

/// An unreadable keys file is the server's fault: 500 and logged, never a 401 that tells a
/// script its (valid) key is wrong; nothing is written.
#[tokio::test]
async fn a_broken_key_file_is_a_server_error_not_a_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeyStore::new(dir.path());
    let (ttl, _) = one_dataset("https://chu.example/");
    let (_, admin) = keys.create("admin", Role::Admin, vec![]).unwrap();
    std::fs::write(dir.path().join("auth/keys.json"), "{ truncated").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut st = state();
    st.auth = crate::kernel::Auth(Arc::new(keys));
    let store = st.store.clone();
    let before = store.counts().unwrap().records();
    let app = crate::app(st);
    let r = call(&app, "POST", "/api/datasets", Some(&admin), &[], &ttl).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    assert!(
        !r.body.contains("keys.json"),
        "no file path told to the client"
    );
    assert_eq!(store.counts().unwrap().records(), before);
}
