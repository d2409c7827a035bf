//! The pages over a small catalogue, through the router (no socket).

use crate::app;
use crate::kernel::testing::*;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn every_page_is_themed_accessible_and_secured() {
    let app = app(state());
    for uri in [
        "/",
        "/search",
        "/search?q=cancer",
        "/datasets/registre",
        "/catalogues",
        "/publishers?iri=https%3A%2F%2Fex.org%2Forg%2Finca",
        "/validate",
        "/api",
        "/quality",
    ] {
        for lang in ["fr", "en"] {
            let sep = if uri.contains('?') { '&' } else { '?' };
            let p = get(&app, &format!("{uri}{sep}lang={lang}")).await;
            assert_eq!(p.status, StatusCode::OK, "{uri} {lang}: {}", p.body);
            let b = &p.body;
            assert!(b.contains(&format!("<html lang=\"{lang}\">")), "{uri}");
            assert!(b.contains("class=\"skip-link\" href=\"#content\""), "{uri}");
            assert!(b.contains("<main id=\"content\""), "{uri}");
            assert!(b.contains("<nav class=\"main\" aria-label="), "{uri}");
            // No script runs: the one `<script>` a dataset page has is a JSON-LD data block.
            let scripts = b.matches("<script").count();
            let data = b.matches("<script type=\"application/ld+json\">").count();
            assert_eq!(scripts, data, "{uri}: no script, no inline script");
            assert!(!b.contains("style=\""), "{uri}: no inline style");
            assert!(b.contains("hreflang=\"en\"") || lang == "en", "{uri}");
            let csp = p.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
            assert_eq!(p.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert_eq!(p.headers[header::CONTENT_LANGUAGE], lang);
            assert!(
                p.headers[header::SET_COOKIE]
                    .to_str()
                    .unwrap()
                    .starts_with(&format!("lang={lang};")),
                "?lang= is remembered"
            );
            assert!(b.len() < 100_000, "{uri}: {} bytes", b.len());
        }
    }
}

#[tokio::test]
async fn language_follows_query_cookie_then_accept_language() {
    let app = app(state());
    let p = get_with(&app, "/", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(p.body.contains("<html lang=\"en\">") && p.body.contains("Skip to content"));
    let p = get_with(
        &app,
        "/",
        &[("accept-language", "en"), ("cookie", "lang=fr")],
    )
    .await;
    assert!(p.body.contains("<html lang=\"fr\">") && p.body.contains("Aller au contenu"));
    let p = get(&app, "/").await;
    assert!(
        p.body.contains("<html lang=\"fr\">"),
        "the configured default"
    );
    // The title in the reader's language, tagged; numbers and dates per locale.
    let p = get(&app, "/datasets/registre?lang=en").await;
    assert!(
        p.body
            .contains("<h1 lang=\"en\">Breast cancer registry</h1>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("1,234,567"), "{}", p.body);
    assert!(p.body.contains("5 March 2024"), "{}", p.body);
    let p = get(&app, "/datasets/registre?lang=fr").await;
    assert!(
        p.body
            .contains("<h1 lang=\"fr\">Registre des cancers du sein</h1>")
    );
    assert!(p.body.contains("1\u{202f}234\u{202f}567"));
    assert!(p.body.contains("5 mars 2024"));
    assert!(
        p.body.contains("du 1er janvier 2010 au 31 décembre 2023"),
        "{}",
        p.body
    );
}

#[tokio::test]
async fn the_dataset_page_shows_the_fields_in_words() {
    let app = app(state());
    let p = get(&app, "/datasets/registre?lang=fr").await;
    let b = &p.body;
    // Code-list labels, never bare IRIs as text.
    assert!(b.to_lowercase().contains(">non public<"), "{b}");
    assert!(b.contains("Santé"), "theme label: {b}");
    assert!(b.contains("de 18 à 99 ans"), "{b}");
    assert!(b.contains("Institut du cancer"), "publisher name: {b}");
    assert!(b.contains(">CSV<"), "format label: {b}");
    // The access route, through the catalogue (counted as followed).
    assert!(
        b.contains("access?to=https%3A%2F%2Fex.org%2Faccess\""),
        "{b}"
    );
    // The data dictionary.
    assert!(
        b.contains("<code>age_diag</code>") && b.contains("Âge au diagnostic"),
        "{b}"
    );
    // A javascript: link from the data is shown, not linked.
    assert!(!b.contains("href=\"javascript:"), "{b}");
    // Paragraphs of the description.
    assert!(b.contains("<p>Depuis 2010.</p>"), "{b}");
    // Its RDF in every syntax, announced and downloadable.
    assert!(b.contains("rel=\"alternate\" type=\"text/turtle\" href=\"/datasets/registre.ttl\""));
    for (ext, media_type) in [
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
    ] {
        let p = get(&app, &format!("/datasets/registre.{ext}")).await;
        assert_eq!(p.status, StatusCode::OK, "{ext}");
        assert!(
            p.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(media_type)
        );
        assert!(p.body.contains("Registre des cancers du sein"), "{ext}");
        assert!(p.headers.contains_key(header::ETAG));
    }
    let p = get(&app, "/datasets/registre.pdf").await;
    assert_eq!(p.status, StatusCode::NOT_ACCEPTABLE);
    assert!(p.body.contains(".ttl (text/turtle)"), "{}", p.body);
    assert_eq!(
        get(&app, "/datasets/nope").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/datasets/NOT_AN_ID").await.status,
        StatusCode::NOT_FOUND
    );
    let p = get(&app, "/records/registre").await;
    assert_eq!(p.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(p.headers[header::LOCATION], "/datasets/registre.ttl");
    let p = get(&app, "/no/such/page?lang=en").await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(p.body.contains("Page not found"));
}

#[tokio::test]
async fn data_is_escaped_everywhere() {
    let app = app(state());
    for uri in [
        "/",
        "/search?q=cohorte",
        "/datasets/xss",
        "/search?q=%3Cscript%3E",
    ] {
        let p = get(&app, uri).await;
        assert!(!p.body.contains("<script>"), "{uri}: {}", p.body);
        assert!(!p.body.contains("<b>gras"), "{uri}");
    }
    let p = get(&app, "/datasets/xss").await;
    assert!(p.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let p = get(&app, "/").await;
    assert!(p.body.contains("Catalogue &lt;test&gt;"));
}

#[tokio::test]
async fn search_filters_by_facet_and_removes_the_filter() {
    let app = app(state());
    let p = get(&app, "/search?lang=fr").await;
    assert!(p.body.contains("2 jeux de données"), "{}", p.body);
    // The access-level facet lists the labelled values with counts and links that add a filter.
    let public = "access_rights=http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Faccess-right%2FPUBLIC";
    assert!(
        p.body.contains(&format!("href=\"/search?{public}\"")),
        "{}",
        p.body
    );
    let p = get(&app, &format!("/search?{public}&lang=fr")).await;
    assert!(p.body.contains("1 jeu de données"), "{}", p.body);
    assert!(p.body.contains("href=\"/datasets/xss\""));
    assert!(!p.body.contains("href=\"/datasets/registre\""));
    // The active filter is shown and its link removes it.
    assert!(p.body.contains("class=\"active-filters\""));
    assert!(p.body.contains("href=\"/search\""), "{}", p.body);
    // Snippets highlight the words.
    let p = get(&app, "/search?q=sein").await;
    assert!(p.body.contains("<mark>"), "{}", p.body);
    // A bad parameter is a page with the message, not a 500.
    let p = get(&app, "/search?age_min=x").await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.contains("age_min"), "{}", p.body);
}

#[tokio::test]
async fn static_files_and_theme_colours_are_served_from_the_binary() {
    let app = app(state());
    let p = get(&app, "/static/style.css").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let p = get(&app, "/theme.css").await;
    assert!(p.body.contains("--primary: #1f3a93;"), "{}", p.body);
    assert_eq!(
        get(&app, "/static/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/static/nope.css").await.status,
        StatusCode::NOT_FOUND
    );
}

fn multipart(fields: &[(&str, Option<&str>, &str)]) -> (String, String) {
    let boundary = "XBOUNDARYX";
    let mut body = String::new();
    for (name, file, value) in fields {
        body.push_str(&format!("--{boundary}\r\n"));
        match file {
            Some(f) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )),
            None => body.push_str(&format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")),
        }
        body.push_str(value);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_form(app: &Router, uri: &str, fields: &[(&str, Option<&str>, &str)]) -> Page {
    let (ct, body) = multipart(fields);
    let req = Request::post(uri).header("content-type", ct);
    send(app, req.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn the_validation_page_reports_in_the_readers_language() {
    let app = app(state());
    let bad = "<https://ex.org/d> a <http://www.w3.org/ns/dcat#Dataset> .";
    let p = post_form(
        &app,
        "/validate?lang=fr",
        &[
            ("profile", None, "dcat-ap-3"),
            ("format", None, "turtle"),
            ("rdf", None, bad),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.body.contains("La description n&#39;est pas conforme"),
        "{}",
        p.body
    );
    assert!(p.body.contains("est obligatoire"), "{}", p.body);
    // What was pasted stays in the form.
    assert!(p.body.contains("&lt;https://ex.org/d&gt;"), "{}", p.body);
    // An uploaded file's syntax comes from its name.
    let nt = "<https://ex.org/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .";
    let p = post_form(&app, "/validate?lang=en", &[("file", Some("d.nt"), nt)]).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("does not conform"), "{}", p.body);
    // Broken input: the parser's message with its line, in the page.
    let p = post_form(
        &app,
        "/validate?lang=en",
        &[("rdf", None, "<https://ex.org/d> a .")],
    )
    .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(
        p.body.contains("role=\"alert\"") && p.body.contains(":1:"),
        "{}",
        p.body
    );
    let p = post_form(&app, "/validate?lang=en", &[("rdf", None, "  ")]).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.contains("Paste a description"), "{}", p.body);
    let p = post_form(
        &app,
        "/validate?lang=en",
        &[("profile", None, "nope"), ("rdf", None, bad)],
    )
    .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.contains("healthdcat-ap-r8"), "{}", p.body);
}

#[tokio::test]
async fn the_shipped_region_theme_changes_the_look_without_a_fork() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/region");
    let app = app(state_themed(
        crate::kernel::theme::Theme::load(Some(&dir)).unwrap(),
    ));
    let p = get(&app, "/?lang=fr").await;
    assert_eq!(p.status, StatusCode::OK);
    // Its brand, its own home template and stylesheet, its messages; the rest is the default's.
    assert!(
        p.body
            .contains("Observatoire régional de santé — Occitalie"),
        "{}",
        p.body
    );
    assert!(p.body.contains("class=\"home-band\""));
    assert!(p.body.contains("href=\"/static/region.css\""));
    assert!(
        p.body
            .contains("Dernières publications de l&#39;Observatoire")
    );
    assert!(
        p.body.contains("Aller au contenu"),
        "default messages still apply"
    );
    let css = get(&app, "/theme.css").await.body;
    assert!(css.contains("--primary: #00594f;"), "{css}");
    assert_eq!(
        get(&app, "/static/region-logo.svg").await.status,
        StatusCode::OK
    );
    assert_eq!(get(&app, "/static/style.css").await.status, StatusCode::OK);
    for uri in [
        "/search?q=cancer",
        "/datasets/registre",
        "/validate",
        "/api",
    ] {
        let p = get(&app, uri).await;
        assert_eq!(p.status, StatusCode::OK, "{uri}");
        assert!(p.body.contains("Occitalie"), "{uri}");
    }
}

#[tokio::test]
async fn a_record_address_serves_what_accept_asks_and_answers_conditional_requests() {
    let app = app(state());
    let ct = |p: &Page| p.headers[header::CONTENT_TYPE].to_str().unwrap().to_owned();
    // A browser gets the page; a harvester asking for Turtle gets the record.
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let p = get_with(&app, "/datasets/registre", &[("accept", browser)]).await;
    assert!(ct(&p).starts_with("text/html"));
    assert!(p.headers[header::VARY].to_str().unwrap().contains("Accept"));
    let ckan = "text/turtle, application/rdf+xml;q=0.9, */*;q=0.1";
    let p = get_with(&app, "/datasets/registre", &[("accept", ckan)]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(ct(&p).starts_with("text/turtle"));
    assert!(p.headers[header::VARY].to_str().unwrap().contains("Accept"));
    assert!(p.body.contains("Registre des cancers du sein"));
    let etag = p.headers[header::ETAG].to_str().unwrap().to_owned();
    let modified = p.headers[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_owned();
    let p = get_with(
        &app,
        "/datasets/registre",
        &[("accept", "application/ld+json")],
    )
    .await;
    assert!(ct(&p).starts_with("application/ld+json"));
    assert_eq!(
        p.headers[header::ETAG].to_str().unwrap(),
        etag,
        "one version, one tag"
    );
    let p = get_with(&app, "/datasets/registre", &[("accept", "application/pdf")]).await;
    assert_eq!(p.status, StatusCode::NOT_ACCEPTABLE);
    // Conditional requests: unchanged → 304 without a body.
    let p = get_with(&app, "/datasets/registre.ttl", &[("if-none-match", &etag)]).await;
    assert_eq!(p.status, StatusCode::NOT_MODIFIED);
    assert!(p.body.is_empty());
    let p = get_with(
        &app,
        "/datasets/registre.ttl",
        &[("if-modified-since", &modified)],
    )
    .await;
    assert_eq!(p.status, StatusCode::NOT_MODIFIED);
    let p = get_with(
        &app,
        "/datasets/registre.ttl",
        &[("if-none-match", "\"stale\"")],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    // ckanext-dcat's addresses.
    let p = get(&app, "/dataset/registre.rdf").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(ct(&p).starts_with("application/rdf+xml"));
}

#[tokio::test]
async fn the_catalogue_is_negotiated_and_describes_itself() {
    let app = app(state());
    let p = get_with(&app, "/catalog", &[("accept", "application/ld+json")]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/ld+json")
    );
    assert_eq!(p.headers[header::VARY], "Accept");
    let p = get_with(&app, "/catalog", &[("accept", "application/pdf")]).await;
    assert_eq!(p.status, StatusCode::NOT_ACCEPTABLE);
    assert!(p.body.contains("/catalog.ttl"), "{}", p.body);
    let p = get_with(&app, "/catalog.nt", &[("host", "cat.example.org")]).await;
    let catalog = "<http://cat.example.org/catalog>";
    for line in [
        format!("{catalog} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Catalog> ."),
        format!("{catalog} <http://www.w3.org/ns/dcat#dataset> <https://ex.org/d/registre> ."),
        "<http://cat.example.org/catalog/record/registre> <http://xmlns.com/foaf/0.1/primaryTopic> <https://ex.org/d/registre> .".to_owned(),
        // The shared publisher comes with the record that names it.
        "<https://ex.org/org/inca> <http://xmlns.com/foaf/0.1/name> \"Institut du cancer\"@fr .".to_owned(),
        "<http://www.w3.org/ns/hydra/core#totalItems> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> .".to_owned(),
    ] {
        assert!(p.body.contains(&line), "{line}\n{}", p.body);
    }
}

/// An error of the site or the editor is the themed page in the reader's language, whatever
/// said it: the fallback, a handler's refusal, an extractor's (the editor's CSRF check).
#[tokio::test]
async fn errors_are_themed_pages_in_the_readers_language() {
    let app = app(state());
    for (headers, heading) in [
        (
            &[("accept-language", "en-GB,en;q=0.9")][..],
            "Page not found",
        ),
        (&[("cookie", "lang=fr")][..], "Page introuvable"),
    ] {
        for path in ["/no/such/page", "/datasets/nope", "/harvest/nobody"] {
            let p = get_with(&app, path, headers).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
            assert!(p.body.contains(heading), "{path} {headers:?}: {}", p.body);
            assert!(p.body.contains("<html"), "{path}: a page, not JSON");
        }
    }
    let p = get_with(&app, "/publishers", &[("cookie", "lang=en")]).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.contains("Bad request"), "{}", p.body);
    // The API answers the same kind of error as JSON.
    let p = get(&app, "/api/harvest/nobody").await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(serde_json::from_str::<serde_json::Value>(&p.body).unwrap()["error"].is_string());
}

#[tokio::test]
async fn the_dataset_page_shows_its_quality_with_the_top_advice() {
    let app = app(state());
    let p = get(&app, "/datasets/registre?lang=en").await;
    assert_eq!(p.status, StatusCode::OK);
    let b = &p.body;
    assert!(
        b.contains("<h2 id=\"quality\">Metadata quality</h2>"),
        "{b}"
    );
    assert!(
        b.contains("180 points out of 355 on data.europa.eu&#39;s metadata quality scale (MQA), rated Sufficient."),
        "{b}"
    );
    assert!(b.contains("the score leaves out the 50 points"), "{b}");
    let advice = b
        .split("<ol class=\"advice\">")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap();
    assert_eq!(advice.matches("<li>").count(), 3, "the top three: {advice}");
    assert!(advice.contains("+30 points"), "{advice}");
    // A reader who is not logged in gets no editor link.
    assert!(!advice.contains("/edit/datasets/"), "{advice}");
    assert!(
        b.contains("href=\"/api/datasets/registre/quality?lang=en\""),
        "{b}"
    );
    let fr = get(&app, "/datasets/registre?lang=fr").await;
    assert!(fr.body.contains("Qualité des métadonnées"), "{}", fr.body);
    assert!(
        fr.body
            .contains("éléments minimaux du règlement (UE) 2026/2098"),
        "{}",
        fr.body
    );
}

#[tokio::test]
async fn the_quality_dashboard_sums_up_what_the_writes_kept() {
    let st = state_assessed();
    let app = app(st);
    let p = get(&app, "/quality?lang=en").await;
    assert_eq!(p.status, StatusCode::OK);
    let b = &p.body;
    assert!(b.contains("<h1>Metadata quality</h1>"), "{b}");
    assert!(b.contains("2 datasets assessed; mean score "), "{b}");
    assert!(b.contains("aria-current=\"page\">Quality</a>"), "{b}");
    // Bands and the indicators most often open, as tables with drawn bars.
    assert!(
        b.contains("<th scope=\"row\">Sufficient</th>") || b.contains("<th scope=\"row\">Bad</th>"),
        "{b}"
    );
    assert!(
        b.contains("<th scope=\"row\">Licence</th><td>2</td><td>100 %</td>"),
        "{b}"
    );
    assert!(b.contains("<svg class=\"bar\""), "{b}");
    // The EHDS label: its mean and its stars, as a table with drawn bars.
    assert!(b.contains("2 datasets carry the label; mean score "), "{b}");
    assert!(b.contains("<th scope=\"row\">0 of 5 stars</th>"), "{b}");
    // The distribution as one labelled SVG.
    assert!(
        b.contains("role=\"img\" aria-label=\"Datasets by score (points): 0–44: "),
        "{b}"
    );
    // Per source and publisher, each its own dashboard; the CSV and JSON behind it.
    assert!(
        b.contains("href=\"/quality?publisher=https%3A%2F%2Fex.org%2Forg%2Finca\""),
        "{b}"
    );
    assert!(b.contains("href=\"/api/quality?format=csv\""), "{b}");
    let one = get(
        &app,
        "/quality?publisher=https%3A%2F%2Fex.org%2Forg%2Finca&lang=fr",
    )
    .await;
    assert!(
        one.body.contains("1 jeux de données évalués"),
        "{}",
        one.body
    );
    assert!(
        one.body.contains("Jeux de données de Institut du cancer"),
        "{}",
        one.body
    );
    assert!(
        one.body.contains(
            "href=\"/api/quality?publisher=https%3A%2F%2Fex.org%2Forg%2Finca&amp;format=csv\""
        ),
        "{}",
        one.body
    );
    // Nothing assessed yet: said so.
    let none = get(&app, "/quality?source=elsewhere&lang=en").await;
    assert!(
        none.body.contains("No dataset has been assessed here yet"),
        "{}",
        none.body
    );
}

/// The figures of each day are kept (the catalogue's, each source's, each publisher's), and the
/// dashboard and `/api/quality` show their trend: a line and the same figures as a table.
#[tokio::test]
async fn the_quality_dashboard_shows_the_days_kept() {
    let st = state_assessed();
    let app = app(st.clone());
    // No day kept yet: no trend.
    let p = get(&app, "/quality?lang=en").await;
    assert!(!p.body.contains("Over time"), "{}", p.body);
    // An earlier day, then today.
    st.store
        .keep_daily(
            "2026-01-15",
            &[(
                "all".into(),
                r#"{"datasets":1,"mean_total":100.0,"mean_out_of":325.0,"mean_label":10.0}"#.into(),
            )],
        )
        .unwrap();
    let scopes = crate::keep_daily_figures(&st).unwrap();
    // The catalogue, its one source, its publishers.
    assert!(scopes >= 3, "{scopes}");
    let today = jiff::Zoned::now().date().to_string();
    let q: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/quality?lang=en").await.body).unwrap();
    let trend = q["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 2, "{q:#}");
    assert_eq!(trend[0]["date"], "2026-01-15");
    assert_eq!(trend[1]["date"], today.as_str());
    assert_eq!(trend[1]["datasets"], 2);
    assert_eq!(trend[1]["mean_total"], q["mean_total"]);
    let b = get(&app, "/quality?lang=en").await.body;
    assert!(b.contains("<h2>Over time</h2>"), "{b}");
    assert!(
        b.contains(&format!(
            "Mean score per day, 2026-01-15 to {today} (2 kept): from 100.0 to "
        )),
        "{b}"
    );
    assert!(
        b.contains(&format!("<th scope=\"row\">{today}</th><td>2</td>")),
        "{b}"
    );
    assert!(b.contains("<polyline class=\"trend\""), "{b}");
    // One source's dashboard reads its own days.
    let one = get(&app, "/quality?source=local&lang=en").await.body;
    assert!(
        one.contains(&format!("Mean score per day, {today} to {today} (1 kept)")),
        "{one}"
    );
}

/// A writer started again the same day does not sum the assessments again when nothing has
/// changed since; a record written or an assessment kept makes it sum them again.
#[test]
fn the_days_figures_are_summed_again_only_when_the_assessments_changed() {
    let st = state_assessed();
    let all = |st: &crate::AppState| st.store.daily("all").unwrap();
    assert!(crate::keep_daily_figures(&st).unwrap() >= 3);
    let kept = all(&st);
    assert_eq!(
        crate::keep_daily_figures(&st).unwrap(),
        0,
        "nothing changed"
    );
    assert_eq!(all(&st), kept);

    // A new assessment kept for a record, its content unchanged: summed again.
    let meta = &st.store.list(0, 1).unwrap()[0];
    let id = meta.local_id.clone().unwrap();
    let before = meta.quality.clone().unwrap();
    let lower = before.replacen("\"total\":", "\"total\":1", 1);
    assert_ne!(lower, before, "{before}");
    assert!(st.store.keep_quality(&id, &meta.hash, &lower).unwrap());
    assert!(crate::keep_daily_figures(&st).unwrap() >= 3);
    assert_ne!(
        all(&st),
        kept,
        "the day's figures follow the new assessment"
    );
    assert_eq!(crate::keep_daily_figures(&st).unwrap(), 0);

    // A record written: summed again, with it.
    import(
        &st.store,
        r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://ex.org/d/new> a dcat:Dataset ; dct:title "New"@en ; dct:description "New."@en ."#,
    );
    assert!(crate::keep_daily_figures(&st).unwrap() >= 1);
    assert_eq!(crate::keep_daily_figures(&st).unwrap(), 0);
}

/// A record that carries its own quality statements (a harvested record's source's MQA score and
/// quality certificate) shows them as the record's, beside this catalogue's assessment.
#[tokio::test]
async fn a_record_s_own_quality_statements_are_shown_as_its_own() {
    let st = state();
    import(
        &st.store,
        r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix dqv: <http://www.w3.org/ns/dqv#> . @prefix oa: <http://www.w3.org/ns/oa#> .
        <https://ex.org/d/harvested> a dcat:Dataset ; dct:title "Harvested"@en ;
          dct:description "From elsewhere."@en ;
          dqv:hasQualityMeasurement <https://source.example/catalog/record/h/quality/score> ;
          dqv:hasQualityAnnotation <https://source.example/catalog/record/h/quality/label> .
        <https://source.example/catalog/record/h/quality/score>
          dqv:isMeasurementOf <https://piveau.eu/ns/voc#score> ; dqv:value 215 .
        <https://source.example/catalog/record/h/quality/label> a dqv:QualityCertificate ;
          oa:hasBody <https://source.example/api/datasets/h/quality> ;
          oa:motivatedBy dqv:qualityAssessment ."#,
    );
    let id = st
        .store
        .record_by_key("https://ex.org/d/harvested")
        .unwrap()
        .unwrap()
        .local_id
        .unwrap();
    let app = app(st);
    let b = get(&app, &format!("/datasets/{}?lang=en", id.as_str()))
        .await
        .body;
    assert!(b.contains("<h3>As the record itself states</h3>"), "{b}");
    assert!(
        b.contains("Its source&#39;s MQA score: 215 points (as published with the record)."),
        "{b}"
    );
    assert!(
        b.contains("href=\"https://source.example/api/datasets/h/quality\""),
        "{b}"
    );
    // A record without its own statements has no such section.
    let other = get(&app, "/datasets/registre?lang=en").await.body;
    assert!(!other.contains("As the record itself states"), "{other}");
}
