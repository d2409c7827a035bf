//! A steward's dictionary file through the write API: imported whole, or refused whole with
//! every problem's place.

use crate::kernel::testing::{admin_with_one_dataset, call_bytes, get};
use axum::http::StatusCode;
use healthcat_model::{Dictionary, LocalId};

const GOOD: &str = "table;name;title_fr;title_en;description_fr;datatype;unit;code_list\n\
    séjours;age;Âge;Age;Âge à l'admission;integer;années;\n\
    ;dp;Diagnostic principal;Main diagnosis;Code CIM-10;string;;http://id.who.int/icd/release/10\n\
    actes;ccam;Acte;Procedure;Code CCAM de l'acte;string;;\n";

fn variables(store: &healthcat_store::Store, id: &str) -> Vec<(String, String)> {
    let r = store
        .get(&LocalId::new(id.to_owned()).unwrap())
        .unwrap()
        .unwrap();
    let root = r.meta.root.unwrap();
    Dictionary::new(&r.graph, root.as_ref())
        .variables()
        .map(|(t, c)| (t.key(), c.name.clone()))
        .collect()
}

#[tokio::test]
async fn a_csv_or_xlsx_dictionary_replaces_the_record_s_and_a_bad_one_changes_nothing() {
    let (app, admin, _, id, etag, store, _dir) = admin_with_one_dataset().await;
    let path = format!("/api/datasets/{id}/dictionary");
    let csv = [("content-type", "text/csv; charset=utf-8")];
    let key = Some(admin.as_str());

    // The same checks as any change: If-Match, a known type.
    let r = call_bytes(&app, "PUT", &path, key, &csv, GOOD.into()).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{}", r.body);
    let r = call_bytes(
        &app,
        "PUT",
        &path,
        key,
        &[("content-type", "application/pdf"), ("if-match", &etag)],
        GOOD.into(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    assert!(r.body.contains("/templates/dictionary.xlsx"), "{}", r.body);
    let r = call_bytes(&app, "PUT", &path, None, &csv, GOOD.into()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // A file with bad rows: 422, each problem placed, the record untouched.
    let before = variables(&store, &id);
    let bad = "name,title_en,description_en,datatype\nage,Age,Age,integer\n,Sex,Sex,string\nbmi,BMI,Body mass index,real\n";
    let with_match = [("content-type", "text/csv"), ("if-match", etag.as_str())];
    let r = call_bytes(&app, "PUT", &path, key, &with_match, bad.into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["problems"][0]["row"], 3);
    assert_eq!(v["problems"][0]["column"], "A (name)");
    assert_eq!(v["problems"][1]["row"], 4);
    assert!(
        v["problems"][1]["message"]
            .as_str()
            .unwrap()
            .contains("\"real\" is not a CSVW datatype")
    );
    assert_eq!(variables(&store, &id), before);

    // A good one: the record's dictionary is replaced, validated, its version moves on.
    let with_match = [("content-type", "text/csv"), ("if-match", etag.as_str())];
    let r = call_bytes(&app, "PUT", &path, key, &with_match, GOOD.into()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let etag2 = r.headers["etag"].to_str().unwrap().to_owned();
    assert_ne!(etag2, etag);
    assert_eq!(
        variables(&store, &id),
        [
            ("actes".into(), "ccam".into()),
            ("sejours".into(), "age".into()),
            ("sejours".into(), "dp".into())
        ]
    );
    let page = get(&app, &format!("/datasets/{id}?lang=en")).await;
    assert!(
        page.body.contains("<td><code>ccam</code></td>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Variables: 3 of 3"));
    let ttl = get(&app, &format!("/datasets/{id}.ttl")).await.body;
    assert!(ttl.contains("Main diagnosis"), "{ttl}");

    // The XLSX template itself is a valid dictionary (its two examples).
    let template = crate::kernel::testing::send(
        &app,
        axum::http::Request::get("/templates/dictionary.xlsx")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(template.status, StatusCode::OK);
    let xlsx = healthcat_dictionary::template::xlsx().unwrap();
    let r = call_bytes(
        &app,
        "PUT",
        &path,
        key,
        &[
            ("content-type", healthcat_dictionary::XLSX_MEDIA_TYPE),
            ("if-match", &etag2),
        ],
        xlsx,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        variables(&store, &id),
        [
            ("visits".into(), "diagnosis".into()),
            ("visits".into(), "weight".into())
        ]
    );
    // A stale version is refused, as for any change.
    let r = call_bytes(
        &app,
        "PUT",
        &path,
        key,
        &[("content-type", "text/csv"), ("if-match", &etag2)],
        GOOD.into(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
}
