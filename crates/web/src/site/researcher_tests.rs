//! What a researcher takes away from a dataset page: the variables explorer, the citations, the
//! Croissant and schema.org JSON-LD, and a search's Atom feed — through the router.

use crate::app;
use crate::kernel::testing::*;
use axum::http::{StatusCode, header};

const COHORT: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix schema: <http://schema.org/> .
@prefix hd: <http://healthdataportal.eu/ns/health#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://ex.org/d/cohorte> a dcat:Dataset ;
  dct:title "Cohorte diabète </script><b>"@fr, "Diabetes cohort"@en ;
  dct:description "Une cohorte de patients diabétiques suivis depuis 2015."@fr ;
  dcat:keyword "diabète"@fr ;
  dct:identifier "https://doi.org/10.34810/data42", "COH-42" ;
  dcat:version "2.1" ;
  dct:issued "2021-06-01"^^xsd:date ;
  dct:publisher <https://ex.org/org/chu> ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
  hd:hasVariables <https://ex.org/d/cohorte/variables> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://hdab.example/apply> ;
      dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ] .
<https://ex.org/d/cohorte/variables> a csvw:TableGroup ; dct:title "Dictionnaire"@fr ;
  csvw:table <https://ex.org/d/cohorte/variables/visits> , <https://ex.org/d/cohorte/variables/labs> .
<https://ex.org/d/cohorte/variables/visits> a csvw:Table ; dct:title "Visites"@fr ;
  csvw:url <https://ex.org/files/visits.csv> ;
  csvw:column [ csvw:name "weight" ; csvw:title "Poids"@fr ; dct:description "Poids à la visite"@fr ;
      csvw:datatype "decimal" ; schema:unitText "kg" ] ,
    [ csvw:name "visit_date" ; csvw:title "Date de visite"@fr ; dct:description "Jour de la visite"@fr ;
      csvw:datatype "date" ] .
<https://ex.org/d/cohorte/variables/labs> a csvw:Table ; dct:title "Biologie"@fr ;
  csvw:column [ csvw:name "hba1c" ; csvw:title "Hémoglobine glyquée"@fr ; dct:description "HbA1c en %"@fr ;
      csvw:datatype "decimal" ; schema:unitText "%" ; csvw:propertyUrl <http://loinc.org/4548-4> ] ,
    [ csvw:name "glucose" ; csvw:title "Glycémie à jeun"@fr ; dct:description "Glucose à jeun"@fr ;
      csvw:datatype "decimal" ; schema:unitText "mmol/L" ] .
<https://ex.org/org/chu> a foaf:Organization ; foaf:name "CHU de Rennes"@fr .
"#;

fn with_cohort() -> crate::kernel::AppState {
    let st = state();
    import(&st.store, COHORT);
    let id = healthcat_model::LocalId::new("cohorte".to_owned()).unwrap();
    let doc = healthcat_search::SearchDoc::read(&st.store, &id)
        .unwrap()
        .unwrap();
    st.search.upsert(&[doc]).unwrap();
    st.search.commit().unwrap();
    st
}

/// The rows of the explorer, in order: the `<code>` names.
fn names(body: &str) -> Vec<String> {
    let table = body
        .split("<table class=\"variables\">")
        .nth(1)
        .unwrap_or_default();
    let table = table.split("</table>").next().unwrap_or_default();
    table
        .split("<td><code>")
        .skip(1)
        .map(|s| s.split("</code>").next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_variables_explorer_filters_and_sorts_without_script() {
    let app = app(with_cohort());
    let p = get(&app, "/datasets/cohorte?lang=fr").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(names(&p.body), ["glucose", "hba1c", "visit_date", "weight"]);
    assert!(p.body.contains("Variables : 4 sur 4"), "{}", p.body);
    assert!(p.body.contains("<td>kg</td>"));
    assert!(p.body.contains("<a href=\"http://loinc.org/4548-4\">"));
    // Words in a title or a description, accents kept; the count says how many matched.
    let p = get(&app, "/datasets/cohorte?lang=fr&vq=gly").await;
    assert_eq!(names(&p.body), ["glucose", "hba1c"]);
    assert!(p.body.contains("Variables : 2 sur 4"));
    let p = get(&app, "/datasets/cohorte?lang=fr&vq=biologie%20jeun").await;
    assert_eq!(names(&p.body), ["glucose"], "the table's title counts");
    let p = get(&app, "/datasets/cohorte?lang=fr&vq=nothing").await;
    assert!(names(&p.body).is_empty());
    assert!(p.body.contains("Aucune variable ne correspond."));
    // Sorting by a column, then the other way; the header says which.
    let p = get(&app, "/datasets/cohorte?lang=fr&vsort=title").await;
    assert_eq!(names(&p.body), ["visit_date", "glucose", "hba1c", "weight"]);
    assert!(
        p.body.contains(
            "aria-sort=\"ascending\"><a href=\"/datasets/cohorte?vsort=-title#variables\""
        ),
        "{}",
        p.body
    );
    let p = get(&app, "/datasets/cohorte?lang=fr&vsort=-name").await;
    assert_eq!(names(&p.body), ["weight", "visit_date", "hba1c", "glucose"]);
    let p = get(&app, "/datasets/cohorte?lang=fr&vsort=-table").await;
    assert_eq!(
        names(&p.body),
        ["weight", "visit_date", "hba1c", "glucose"],
        "Visites after Biologie"
    );
    // An unknown order is the default one, not an error.
    let p = get(&app, "/datasets/cohorte?lang=fr&vsort=%3Cx%3E").await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(names(&p.body), ["glucose", "hba1c", "visit_date", "weight"]);
}

#[tokio::test]
async fn the_page_embeds_schema_org_json_ld_that_cannot_close_its_script() {
    let app = app(with_cohort());
    let p = get(&app, "/datasets/cohorte?lang=fr").await;
    let script = p
        .body
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    assert!(
        !script.contains('<') && script.contains("\\u003c/script\\u003e"),
        "{script}"
    );
    let v: serde_json::Value = serde_json::from_str(script).unwrap();
    assert_eq!(v["@type"], "Dataset");
    assert_eq!(v["name"], "Cohorte diabète </script><b>");
    assert_eq!(v["creator"]["name"], "CHU de Rennes");
    assert_eq!(v["isAccessibleForFree"], false);
    assert_eq!(
        v["license"],
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    );
    assert_eq!(v["identifier"][0], "https://doi.org/10.34810/data42");
    assert_eq!(v["variableMeasured"].as_array().unwrap().len(), 4);
    // The only script of any page is this data block: no code runs.
    assert_eq!(p.body.matches("<script").count(), 1);
}

#[tokio::test]
async fn citations_carry_the_records_fields_in_three_formats() {
    let app = app(with_cohort());
    let bib = get(&app, "/datasets/cohorte/cite.bib?lang=fr").await;
    assert_eq!(bib.status, StatusCode::OK);
    assert_eq!(
        bib.headers[header::CONTENT_TYPE],
        "application/x-bibtex; charset=utf-8"
    );
    for field in [
        "@misc{chu2021_cohorte,",
        "author    = {{CHU de Rennes}},",
        "title     = {{Cohorte diabète </script><b>}},",
        "year      = {2021},",
        "version   = {2.1},",
        "doi       = {10.34810/data42},",
        "url       = {https://doi.org/10.34810/data42},",
        "note      = {Dataset}",
    ] {
        assert!(bib.body.contains(field), "{field:?} in {}", bib.body);
    }
    let ris = get(&app, "/datasets/cohorte/cite.ris?lang=en").await;
    for line in [
        "TY  - DATA\r\n",
        "TI  - Diabetes cohort\r\n",
        "AU  - CHU de Rennes\r\n",
        "PY  - 2021\r\n",
        "ET  - 2.1\r\n",
        "DO  - 10.34810/data42\r\n",
        "ID  - COH-42\r\n",
        "ER  - \r\n",
    ] {
        assert!(ris.body.contains(line), "{line:?} in {}", ris.body);
    }
    let xml = get(&app, "/datasets/cohorte/datacite.xml?lang=fr").await;
    for part in [
        "<identifier identifierType=\"DOI\">10.34810/data42</identifier>",
        "<creatorName nameType=\"Organizational\">CHU de Rennes</creatorName>",
        "<title xml:lang=\"fr\">Cohorte diabète &lt;/script&gt;&lt;b&gt;</title>",
        "<publicationYear>2021</publicationYear>",
        "<resourceType resourceTypeGeneral=\"Dataset\">Dataset</resourceType>",
        "<version>2.1</version>",
    ] {
        assert!(xml.body.contains(part), "{part:?} in {}", xml.body);
    }
    // A record without DOI, year or publisher: nothing invented.
    let xml = get(&app, "/datasets/xss/datacite.xml").await;
    assert!(!xml.body.contains("<identifier"), "{}", xml.body);
    assert!(
        xml.body
            .contains("<publicationYear>:unav</publicationYear>")
    );
    assert!(
        xml.body
            .contains("<creatorName nameType=\"Organizational\">:unav</creatorName>")
    );
    // The page offers them, with a copy-ready BibTeX block.
    let p = get(&app, "/datasets/cohorte?lang=fr").await;
    assert!(p.body.contains("<pre class=\"citation\""));
    assert!(p.body.contains("href=\"/datasets/cohorte/cite.ris\""));
    assert_eq!(
        get(&app, "/datasets/cohorte/cite.doc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/datasets/none/cite.bib").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn croissant_has_a_record_set_per_table_and_passes_mlcroissant() {
    let app = app(with_cohort());
    let r = get(&app, "/datasets/cohorte/croissant.jsonld").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["conformsTo"], "http://mlcommons.org/croissant/1.0");
    let sets = v["recordSet"].as_array().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0]["@id"], "labs");
    let hba1c = &sets[0]["field"][1];
    assert_eq!(hba1c["name"], "hba1c");
    assert_eq!(hba1c["dataType"], "sc:Float");
    assert_eq!(hba1c["source"]["extract"]["column"], "hba1c");
    assert_eq!(hba1c["equivalentProperty"], "http://loinc.org/4548-4");
    let files = v["distribution"].as_array().unwrap();
    // The table with its own file points to it; the other to the access route.
    assert_eq!(files[0]["contentUrl"], "https://hdab.example/apply");
    assert_eq!(files[1]["contentUrl"], "https://ex.org/files/visits.csv");
    assert_eq!(sets[1]["field"][0]["dataType"], "sc:Date");
    assert!(v["citeAs"].as_str().unwrap().starts_with("@misc{"));

    let Some(python) = std::env::var("HEALTHCAT_CROISSANT_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
    else {
        eprintln!(
            "NOTICE: HEALTHCAT_CROISSANT_PYTHON is not set (bash .ci/croissant builds a venv with mlcroissant); the Croissant output is not checked by MLCommons' validator"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, uri) in [
        ("cohort.json", "/datasets/cohorte/croissant.jsonld"),
        ("no-dictionary.json", "/datasets/xss/croissant.jsonld"),
        ("registre.json", "/datasets/registre/croissant.jsonld"),
    ] {
        let body = get(&app, uri).await.body;
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        // mlcroissant's own loader: it raises on any error (the CLI prints them and exits 0).
        let out = std::process::Command::new(&python)
            .arg("-c")
            .arg("import sys, mlcroissant as mlc; mlc.Dataset(jsonld=sys.argv[1]); print('valid')")
            .arg(&path)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && text.contains("valid"),
            "{uri}: {text}"
        );
        assert!(!text.contains("error(s)"), "{uri}: {text}");
    }
}

#[tokio::test]
async fn a_search_has_an_atom_feed_that_follows_imports() {
    let (app, admin, ttl, id, _, _, _dir) = admin_with_one_dataset().await;
    let read = |body: &str| atom_syndication::Feed::read_from(body.as_bytes()).unwrap();
    let r = get(&app, "/search.atom?lang=en").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let feed = read(&r.body);
    // Most recently changed first.
    let times: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let created = format!("http://localhost/datasets/{id}");
    let before = feed
        .entries()
        .iter()
        .find(|e| e.links()[0].href() == created)
        .unwrap()
        .id()
        .to_owned();
    assert!(feed.title().as_str().contains("all datasets"));
    let total = feed.entries().len();
    // A search with a filter lists only what matches, and names it.
    let r = get(&app, "/search.atom?lang=en&q=cancer").await;
    let feed = read(&r.body);
    assert!(
        feed.title().as_str().contains("« cancer »"),
        "{}",
        feed.title().as_str()
    );
    assert!(
        feed.entries()
            .iter()
            .all(|e| !e.links()[0].href().ends_with(&id))
    );
    // A new record that matches appears at the top (times are kept to the second).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let other = ttl.replace("https://chu.example/", "https://chu2.example/");
    let r = call(&app, "POST", "/api/datasets", Some(&admin), &[], &other).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let new_id = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let feed = read(&get(&app, "/search.atom?lang=en").await.body);
    assert_eq!(feed.entries().len(), total + 1);
    assert!(feed.entries()[0].links()[0].href().ends_with(&new_id));
    assert!(
        feed.entries().iter().any(|e| e.id() == before),
        "unchanged records keep their entry"
    );
    // The search page links to its feed; a wrong parameter is a 400 naming it.
    let p = get(&app, "/search?q=cancer&sort=title&lang=en").await;
    assert!(
        p.body.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/search.atom?q=cancer\""
        ),
        "{}",
        p.body
    );
    let bad = get(&app, "/search.atom?age_min=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("age_min"));
}

#[tokio::test]
async fn the_variables_of_the_whole_catalogue_are_searched_and_filter_the_datasets() {
    let app = app(with_cohort());
    // Across the catalogue: the records with matching variables, each with those variables.
    let p = get(&app, "/variables?q=glyc%C3%A9mie&lang=fr").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.body
            .contains("Jeux de données avec des variables correspondantes : 1"),
        "{}",
        p.body
    );
    assert!(
        p.body
            .contains("href=\"/datasets/cohorte?vq=glyc%C3%A9mie#variables\""),
        "{}",
        p.body
    );
    assert_eq!(names(&p.body), ["glucose"]);
    // Stemmed, and from the other record too: "diagnostic" is the registre's age variable's title.
    let r = get(&app, "/api/variables?q=diagnostic").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["id"], "registre");
    assert_eq!(v["hits"][0]["variables"][0]["name"], "age_diag");
    // A unit is not searched; the empty query is named; filters apply.
    let r = get(&app, "/api/variables?q=").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("q:"), "{}", r.body);
    let public =
        "http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Faccess-right%2FPUBLIC";
    let r = get(
        &app,
        &format!("/api/variables?q=glucose&access_rights={public}"),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["total"],
        0
    );
    // The dataset search's "has a variable about" filter, with its chip and in the feed's title.
    let p = get(&app, "/search?variable=h%C3%A9moglobine&lang=fr").await;
    assert!(p.body.contains("href=\"/datasets/cohorte\""), "{}", p.body);
    assert!(!p.body.contains("href=\"/datasets/registre\""));
    assert!(p.body.contains("Variable : hémoglobine"), "{}", p.body);
    assert!(p.body.contains("value=\"hémoglobine\""));
    let r = get(&app, "/api/search?variable=fevg").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["total"],
        0
    );
    let feed = get(&app, "/search.atom?variable=glucose&lang=fr").await;
    assert!(feed.body.contains("Variable « glucose »"), "{}", feed.body);
}
