//! A basket over a real store: grouped by the body that decides, handed over as JSON, Turtle, a
//! request page and a POST to a local receiver — which may be down.

use healthcat_basket::handover::{FORMAT, RequestPage, SubmitError, Submitter, to_json, to_turtle};
use healthcat_basket::{BasketLimits, Baskets, Lookup, resolve};
use healthcat_store::Store;
use std::time::Duration;

const DATA: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix h: <http://healthdataportal.eu/ns/health#> .
@prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .
<https://ex.org/d/fr1> a dcat:Dataset ; dct:title "Cohorte A"@fr ; dct:accessRights ar:NON_PUBLIC ;
  h:hdab <https://ex.org/hdab/fr> ; dct:publisher <https://ex.org/org/chu> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://hdab.fr/apply> ] ;
  h:hasVariables <https://ex.org/d/fr1/variables> .
<https://ex.org/d/fr1/variables> a csvw:TableGroup ; csvw:table <https://ex.org/d/fr1/variables/main> .
<https://ex.org/d/fr1/variables/main> a csvw:Table ; dct:title "Main"@en ;
  csvw:column <https://ex.org/d/fr1/variables/main/age> , <https://ex.org/d/fr1/variables/main/hba1c> .
<https://ex.org/d/fr1/variables/main/age> a csvw:Column ; csvw:name "age" ; csvw:title "Âge"@fr .
<https://ex.org/d/fr1/variables/main/hba1c> a csvw:Column ; csvw:name "hba1c" ; csvw:title "HbA1c"@fr .
<https://ex.org/d/fr2> a dcat:Dataset ; dct:title "Registre B"@fr ; dct:accessRights ar:NON_PUBLIC ;
  h:hdab <https://ex.org/hdab/fr> .
<https://ex.org/d/fi1> a dcat:Dataset ; dct:title "Findata cohort"@en ; dct:accessRights ar:RESTRICTED ;
  h:hdab <https://ex.org/hdab/fi> .
<https://ex.org/d/open> a dcat:Dataset ; dct:title "Open statistics"@en ; dct:accessRights ar:PUBLIC ;
  h:hdab <https://ex.org/hdab/fr> ; dct:publisher <https://ex.org/org/chu> .
<https://ex.org/hdab/fr> a foaf:Agent ; foaf:name "Health Data Hub"@fr .
<https://ex.org/hdab/fi> a foaf:Agent ; foaf:name "Findata"@en .
<https://ex.org/org/chu> a foaf:Organization ; foaf:name "CHU de Rennes"@fr .
"#;

fn store() -> Store {
    let store = Store::in_memory().unwrap();
    let doc = healthcat_store::parse_document(
        DATA.as_bytes(),
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
    store
}

fn id_of(store: &Store, iri: &str) -> String {
    store
        .record_by_key(iri)
        .unwrap()
        .unwrap()
        .local_id
        .unwrap()
        .as_str()
        .to_owned()
}

#[test]
fn a_basket_is_grouped_by_deciding_body_and_handed_over_as_json_and_turtle() {
    let store = store();
    let [fr1, fr2, fi1, open] =
        ["fr1", "fr2", "fi1", "open"].map(|s| id_of(&store, &format!("https://ex.org/d/{s}")));
    let b = Baskets::in_memory(BasketLimits::default()).unwrap();
    let (t, _) = b
        .add(None, &fr1, &["main/hba1c".into(), "main/gone".into()], 10)
        .unwrap();
    for id in [&fi1, &fr2, &open, "withdrawn-since"] {
        b.add(Some(&t), id, &[], 10).unwrap();
    }
    b.set(
        &t,
        &fr1,
        &["main/hba1c".into(), "main/gone".into()],
        "Diabète, 2015–2020",
        11,
    )
    .unwrap();
    let Lookup::Found(basket) = b.get(&t, 12) else {
        panic!()
    };
    let r = resolve(&store, &basket).unwrap();
    // The French HDAB's two non-public datasets together; Findata's; the public one under its
    // publisher; the record that is not there reported.
    let groups: Vec<(String, bool, usize)> = r
        .groups
        .iter()
        .map(|g| (g.authority.name("fr"), g.is_hdab, g.entries.len()))
        .collect();
    assert_eq!(
        groups,
        [
            ("Health Data Hub".into(), true, 2),
            ("Findata".into(), true, 1),
            ("CHU de Rennes".into(), false, 1)
        ]
    );
    assert_eq!(r.withdrawn, ["withdrawn-since"]);
    let e = &r.groups[0].entries[0];
    assert_eq!(
        e.chosen().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ["hba1c"]
    );
    assert_eq!(e.stale_variables, ["main/gone"]);

    let json = to_json(&r, "https://cat.example", "2026-12-05T10:00:00Z", "fr");
    assert_eq!(json["format"], FORMAT);
    let app = &json["applications"][0];
    assert_eq!(app["authority"]["role"], "hdab");
    assert_eq!(app["authority"]["iri"], "https://ex.org/hdab/fr");
    assert_eq!(app["datasets"][0]["iri"], "https://ex.org/d/fr1");
    assert_eq!(
        app["datasets"][0]["access_urls"][0],
        "https://hdab.fr/apply"
    );
    assert_eq!(
        app["datasets"][0]["variables"][0]["iri"],
        "https://ex.org/d/fr1/variables/main/hba1c"
    );
    assert_eq!(app["datasets"][0]["note"], "Diabète, 2015–2020");
    assert_eq!(json["applications"][2]["authority"]["role"], "publisher");
    assert_eq!(json["withdrawn"][0], "withdrawn-since");

    let ttl = to_turtle(&r, "https://cat.example", "2026-12-05T10:00:00Z").unwrap();
    let triples: Vec<oxrdf::Triple> = oxttl::TurtleParser::new()
        .for_slice(ttl.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    let has = |s: &str, p: &str, o: &str| {
        triples.iter().any(|t| {
            t.subject.to_string() == s && t.predicate.as_str() == p && t.object.to_string() == o
        })
    };
    assert!(
        has(
            "<https://ex.org/d/fr1>",
            "http://healthdataportal.eu/ns/health#hdab",
            "<https://ex.org/hdab/fr>"
        ),
        "{ttl}"
    );
    assert!(
        has(
            "<https://ex.org/d/open>",
            "http://purl.org/dc/terms/publisher",
            "<https://ex.org/org/chu>"
        ),
        "{ttl}"
    );
    assert!(has(
        "<https://ex.org/d/fi1>",
        "http://purl.org/dc/terms/accessRights",
        "<http://publications.europa.eu/resource/authority/access-right/RESTRICTED>"
    ));
    assert!(
        has(
            "<https://ex.org/d/fr1/variables/main/hba1c>",
            "http://www.w3.org/ns/csvw#name",
            "\"hba1c\""
        ),
        "{ttl}"
    );
    assert!(
        !ttl.contains("variables/main/age"),
        "only the chosen variables"
    );

    let page = RequestPage::new(
        "https://ex.org/hdab/fr".into(),
        "https://hdab.fr/apply?datasets={datasets}&v={variables}".into(),
    )
    .unwrap();
    assert_eq!(
        page.url(&r.groups[0], "https://cat.example"),
        format!(
            "https://hdab.fr/apply?datasets=https%3A%2F%2Fex.org%2Fd%2Ffr1%2Chttps%3A%2F%2Fex.org%2Fd%2Ffr2&v={fr1}%3Amain%2Fhba1c"
        )
    );
    for bad in ["ftp://x/{ids}", "https://x/apply", "https://x/{who}"] {
        assert!(RequestPage::new("h".into(), bad.into()).is_err(), "{bad}");
    }
}

/// A receiver on 127.0.0.1 that answers every request with `status` and `body`, and keeps what
/// it was sent.
async fn receiver(status: u16, body: &'static str) -> (String, tokio::task::JoinHandle<Vec<u8>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("http://{}/baskets", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = s.read(&mut buf).await.unwrap();
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got);
            if let Some(i) = text.find("\r\n\r\n") {
                let len: usize = text
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if got.len() >= i + 4 + len {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        let answer = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(answer.as_bytes()).await.unwrap();
        got
    });
    (addr, task)
}

#[tokio::test]
async fn the_basket_is_posted_to_the_receiver_and_a_receiver_down_or_refusing_is_said() {
    let doc = serde_json::json!({ "format": FORMAT, "applications": [] });
    let (url, got) = receiver(
        201,
        r#"{"reference":"APP-2026-0042","url":"https://apply.example/APP-2026-0042"}"#,
    )
    .await;
    let s = Submitter::new(&url, Duration::from_secs(5)).unwrap();
    let receipt = s.submit(&doc).await.unwrap();
    assert_eq!(receipt.reference.as_deref(), Some("APP-2026-0042"));
    assert_eq!(
        receipt.url.as_deref(),
        Some("https://apply.example/APP-2026-0042")
    );
    let sent = String::from_utf8(got.await.unwrap()).unwrap();
    assert!(sent.starts_with("POST /baskets HTTP/1.1"), "{sent}");
    assert!(sent.contains("healthcat-basket/1"), "{sent}");

    let (url, _) = receiver(422, r#"{"error":"dataset unknown to this HDAB"}"#).await;
    let e = Submitter::new(&url, Duration::from_secs(5))
        .unwrap()
        .submit(&doc)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, SubmitError::Refused(m) if m.contains("dataset unknown")),
        "{e}"
    );

    // Nobody listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = Submitter::new(
        &format!("http://127.0.0.1:{port}/x"),
        Duration::from_secs(2),
    )
    .unwrap()
    .submit(&doc)
    .await
    .unwrap_err();
    assert!(matches!(e, SubmitError::Unavailable(_)), "{e}");
    assert!(Submitter::new("file:///etc/passwd", Duration::from_secs(1)).is_err());
}
