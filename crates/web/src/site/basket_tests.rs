//! The researcher's basket through the router: added from search results and dataset pages,
//! grouped by HDAB, variables and notes kept, handed over — and the bad cases.

use crate::app;
use crate::kernel::testing::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const TWO_HDABS: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix h: <http://healthdataportal.eu/ns/health#> .
@prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .
<https://ex.org/d/snds> a dcat:Dataset ; dct:title "Cohorte diabète SNDS"@fr ; dct:accessRights ar:NON_PUBLIC ;
  h:hdab <https://ex.org/hdab/fr> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://hdab.fr/apply> ] ;
  h:hasVariables <https://ex.org/d/snds/variables> .
<https://ex.org/d/snds/variables> a csvw:TableGroup ; csvw:table <https://ex.org/d/snds/variables/main> .
<https://ex.org/d/snds/variables/main> a csvw:Table ; dct:title "Main"@en ;
  csvw:column <https://ex.org/d/snds/variables/main/age> , <https://ex.org/d/snds/variables/main/hba1c> .
<https://ex.org/d/snds/variables/main/age> a csvw:Column ; csvw:name "age" ; csvw:title "Âge"@fr ; dct:description "Âge"@fr .
<https://ex.org/d/snds/variables/main/hba1c> a csvw:Column ; csvw:name "hba1c" ; csvw:title "HbA1c"@fr ; dct:description "Diabète"@fr .
<https://ex.org/d/findata> a dcat:Dataset ; dct:title "Diabetes cohort Finland"@en ; dct:accessRights ar:RESTRICTED ;
  h:hdab <https://ex.org/hdab/fi> .
<https://ex.org/hdab/fr> a foaf:Agent ; foaf:name "Health Data Hub"@fr .
<https://ex.org/hdab/fi> a foaf:Agent ; foaf:name "Findata"@en .
"#;

fn with_two_hdabs(service: healthcat_basket::Service) -> axum::Router {
    with_two_hdabs_and_store(service).0
}

fn with_two_hdabs_and_store(
    service: healthcat_basket::Service,
) -> (axum::Router, healthcat_store::Store) {
    let mut st = state();
    import(&st.store, TWO_HDABS);
    let docs: Vec<_> = ["snds", "findata"]
        .iter()
        .map(|id| {
            let id = healthcat_model::LocalId::new((*id).to_owned()).unwrap();
            healthcat_search::SearchDoc::read(&st.store, &id)
                .unwrap()
                .unwrap()
        })
        .collect();
    st.search.upsert(&docs).unwrap();
    st.search.commit().unwrap();
    st.basket = std::sync::Arc::new(service);
    let store = st.store.clone();
    (app(st), store)
}

async fn post(app: &axum::Router, uri: &str, cookie: Option<&str>, form: &str) -> Page {
    let mut req = Request::post(uri)
        .header("host", "localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(form.to_owned())).unwrap()).await
}

async fn get_as(app: &axum::Router, uri: &str, cookie: &str) -> Page {
    get_with(app, uri, &[("cookie", cookie), ("host", "localhost")]).await
}

/// The `basket=…` pair of a response's cookie.
fn basket_cookie(p: &Page) -> String {
    let c = p.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
    c.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn datasets_from_two_hdabs_are_grouped_with_their_variables_and_handed_over() {
    let app = with_two_hdabs(healthcat_basket::Service::in_memory().unwrap());
    // No cookie until something is added.
    let page = get(&app, "/search?q=diab%C3%A8te&lang=fr").await;
    assert!(
        page.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("basket="))
    );
    assert!(
        page.body.contains("action=\"/basket/add\""),
        "{}",
        page.body
    );
    // Added from the search results: back to the same page, which now says so.
    let r = post(
        &app,
        "/basket/add",
        None,
        "id=snds&back=%2Fsearch%3Fq%3Ddiab%25C3%25A8te",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/search?q=diab%C3%A8te");
    let cookie = basket_cookie(&r);
    let page = get_as(&app, "/search?q=diab%C3%A8te&lang=fr", &cookie).await;
    assert!(page.body.contains("Panier (1)"), "{}", page.body);
    assert!(page.body.contains("Dans votre panier"));
    // The second, from another HDAB, from its page; a foreign `back` is not followed.
    let r = post(
        &app,
        "/basket/add",
        Some(&cookie),
        "id=findata&back=https%3A%2F%2Fevil.example%2F",
    )
    .await;
    assert_eq!(r.headers[header::LOCATION], "/basket");
    assert_eq!(basket_cookie(&r), cookie, "the same basket");
    // Variables ticked on the dataset page's explorer.
    let page = get_as(&app, "/datasets/snds?lang=fr", &cookie).await;
    assert!(
        page.body.contains("name=\"variable\" value=\"main/hba1c\""),
        "{}",
        page.body
    );
    post(
        &app,
        "/basket/add",
        Some(&cookie),
        "id=snds&variable=main%2Fhba1c&back=%2Fdatasets%2Fsnds",
    )
    .await;

    let page = get_as(&app, "/basket?lang=en", &cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let hub = page.body.find("Health Data Hub").unwrap();
    let fin = page.body.find("Findata").unwrap();
    assert!(hub < fin, "grouped by HDAB, in the order added");
    assert!(
        page.body.contains("2 dataset(s), 2 body(ies) to apply to."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"main/hba1c\" checked"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"/datasets/snds/access?to=https%3A%2F%2Fhdab.fr%2Fapply\"")
    );
    // A note and the variables, saved.
    let r = post(
        &app,
        "/basket/items/snds",
        Some(&cookie),
        "variable=main%2Fage&variable=main%2Fhba1c&note=Suivi+2015-2020",
    )
    .await;
    assert_eq!(r.headers[header::LOCATION], "/basket?saved=snds#item-snds");
    // The JSON hand-over.
    let json = get_as(&app, "/basket.json", &cookie).await;
    assert_eq!(
        json.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"basket.json\""
    );
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["format"], "healthcat-basket/1");
    assert_eq!(v["applications"][0]["authority"]["name"], "Health Data Hub");
    assert_eq!(
        v["applications"][0]["datasets"][0]["note"],
        "Suivi 2015-2020"
    );
    let names: Vec<&str> = v["applications"][0]["datasets"][0]["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["age", "hba1c"]);
    assert_eq!(v["applications"][1]["authority"]["name"], "Findata");
    let ttl = get_as(&app, "/basket.ttl", &cookie).await;
    assert!(
        ttl.body.contains("<https://ex.org/hdab/fi>"),
        "{}",
        ttl.body
    );
    // Removed, then emptied.
    post(
        &app,
        "/basket/remove",
        Some(&cookie),
        "id=findata&back=%2Fbasket",
    )
    .await;
    let page = get_as(&app, "/basket?lang=en", &cookie).await;
    assert!(page.body.contains("1 dataset(s), 1 body(ies)"));
    let r = post(&app, "/basket/clear", Some(&cookie), "").await;
    assert!(
        r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let page = get_as(&app, "/basket?lang=en", &cookie).await;
    assert!(page.body.contains("no longer kept"), "{}", page.body);
}

#[tokio::test]
async fn altered_tokens_withdrawn_records_and_a_full_basket_are_said_and_the_rest_kept() {
    let limits = healthcat_basket::BasketLimits {
        max_items: 2,
        ..Default::default()
    };
    let service = healthcat_basket::Service {
        baskets: healthcat_basket::Baskets::in_memory(limits).unwrap(),
        request_pages: vec![
            healthcat_basket::RequestPage::new(
                "https://ex.org/hdab/fr".into(),
                "https://hdab.fr/apply?ids={ids}".into(),
            )
            .unwrap(),
        ],
        // The application system is down: nobody listens there.
        submitter: Some(
            healthcat_basket::Submitter::new(
                &format!(
                    "http://127.0.0.1:{}/baskets",
                    std::net::TcpListener::bind("127.0.0.1:0")
                        .unwrap()
                        .local_addr()
                        .unwrap()
                        .port()
                ),
                std::time::Duration::from_secs(2),
            )
            .unwrap(),
        ),
    };
    let (app, store) = with_two_hdabs_and_store(service);
    let r = post(&app, "/basket/add", None, "id=snds").await;
    let cookie = basket_cookie(&r);
    // An altered token: a clear message, its cookie removed.
    let flipped = if cookie.ends_with('0') { '1' } else { '0' };
    let altered = format!("{}{flipped}", &cookie[..cookie.len() - 1]);
    let page = get_as(&app, "/basket?lang=en", &altered).await;
    assert!(page.body.contains("was altered"), "{}", page.body);
    assert!(
        page.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The request page of an HDAB that declares one, filled in.
    let page = get_as(&app, "/basket?lang=en", &cookie).await;
    assert!(
        page.body
            .contains("href=\"https://hdab.fr/apply?ids=snds\""),
        "{}",
        page.body
    );
    // Full: nothing more is added, and the page says why.
    post(&app, "/basket/add", Some(&cookie), "id=findata").await;
    post(&app, "/basket/add", Some(&cookie), "id=registre").await;
    let r = post(&app, "/basket/add", Some(&cookie), "id=xss").await;
    assert_eq!(r.headers[header::LOCATION], "/basket?full=1");
    let page = get_as(&app, "/basket?full=1&lang=en", &cookie).await;
    assert!(
        page.body.contains("holds the most it may (2 datasets)"),
        "{}",
        page.body
    );
    // The application system is down: the researcher is told, the basket is kept.
    let r = post(&app, "/basket/submit?lang=en", Some(&cookie), "").await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY, "{}", r.body);
    assert!(r.body.contains("Nothing was lost"), "{}", r.body);
    let page = get_as(&app, "/basket?lang=en", &cookie).await;
    assert!(page.body.contains("2 dataset(s)"), "{}", page.body);
    // A form from another site is refused, the basket untouched.
    let mut req = Request::post("/basket/add")
        .header("host", "localhost")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, cookie.as_str())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let r = send(&app, req.body(Body::from("id=snds")).unwrap()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    req = Request::post("/basket/clear")
        .header("host", "localhost")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, cookie.as_str());
    assert_eq!(
        send(&app, req.body(Body::empty()).unwrap()).await.status,
        StatusCode::FORBIDDEN
    );
    // A record withdrawn since it was added: named, taken out, the rest kept.
    store
        .withdraw(
            &healthcat_model::LocalId::new("findata".to_owned()).unwrap(),
            &healthcat_store::Source::local_file("t.ttl"),
        )
        .unwrap();
    let page = get_as(&app, "/basket?lang=en", &cookie).await;
    assert!(
        page.body
            .contains("No longer in the catalogue, so removed from your basket: findata."),
        "{}",
        page.body
    );
    assert!(page.body.contains("1 dataset(s)"), "{}", page.body);
    let page = get_as(&app, "/basket?lang=en", &cookie).await;
    assert!(
        !page.body.contains("No longer in the catalogue"),
        "said once"
    );
    // A dataset that does not exist cannot be added.
    assert_eq!(
        post(&app, "/basket/add", Some(&cookie), "id=nothing-here")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
