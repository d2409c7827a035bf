//! The other kinds of harvest source: FAIR Data Points (the GDI harvester's real responses,
//! served from a local test server with their links mapped to it) and SPARQL endpoints
//! (healthcat's own `/sparql`).

use crate::harness::{Env, Killed, serve};
use crate::harvest::{datasets, fixture_server, source};
use std::sync::Arc;

fn fdp(name: &str) -> Option<String> {
    let root = crate::harness::reference_dir()?;
    std::fs::read_to_string(
        root.join("peer-fixtures/GenomicDataInfrastructure__gdi-userportal-ckanext-fairdatapoint/ckanext/fairdatapoint/tests/test_data")
            .join(name),
    )
    .ok()
}

const SLOVENIA: &str = "https://fair.healthinformationportal.eu/";
const CATALOG: &str = "catalog/1c75c2c9-d2cc-44cb-aaa8-cf8c11515c8d";
const DATASET: &str = "dataset/125c32c0-3aa8-4277-92f6-34acdd058d43";

/// A distribution document for the FDP dataset (the fixtures reference one without serving it).
const DISTRIBUTION: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<BASE/distribution/with-accessservice> a dcat:Distribution ;
    dct:title "Access through the node"@en ;
    dcat:accessURL <BASE/access> ."#;

#[test]
fn a_fair_data_point_is_crawled_to_its_records() {
    let (Some(inline), Some(catalog), Some(dataset), Some(parents), Some(empty)) = (
        fdp("root_fdp_response.ttl"),
        fdp("fdp_catalog.ttl"),
        fdp("dataset_with-accessservice.ttl"),
        fdp("fdp_multiple_parents.ttl"),
        fdp("root_fdp_response_no_catalogs.ttl"),
    ) else {
        eprintln!("NOTICE: FAIR Data Point fixtures not found; FDP harvest test skipped");
        return;
    };
    let docs = Arc::new([inline, catalog, dataset, parents, empty]);
    let base = fixture_server(move |path, base| {
        let body = match path {
            // Catalogue, series and dataset in one container document.
            "/inline" => docs[0].replace("http://example.org/", &format!("{base}/")),
            // The Slovenian node's catalogue: it only references its dataset, which is fetched.
            p if p == format!("/{CATALOG}") => docs[1].replace(SLOVENIA, &format!("{base}/")),
            p if p == format!("/{DATASET}") => docs[2]
                .replace(
                    "https://example.org/dataset/with-accessservice",
                    &format!("{base}/{DATASET}"),
                )
                .replace("https://example.org/", &format!("{base}/")),
            "/distribution/with-accessservice" => DISTRIBUTION.replace("BASE", base),
            "/parents" => docs[3].replace("http://example.org/", &format!("{base}/")),
            "/empty" => docs[4].clone(),
            _ => return (404, "text/plain", b"not found".to_vec()),
        };
        (200, "text/turtle", body.into_bytes())
    });
    let kind = "kind = \"fdp\"";

    // Everything described in the root document: one request.
    let env = Env::new();
    source(&env, "fdp", &format!("{base}/inline"), kind);
    let run = env.run(&["harvest"]);
    assert_eq!(run.code, 0, "{run:?}");
    // The dataset and its series.
    assert!(run.stdout.contains("2 new"), "{run:?}");
    assert!(run.stdout.contains("1 pages"), "{run:?}");
    assert_eq!(datasets(&env), 1);
    // The node loses its catalogues: far fewer records than last time, nothing withdrawn.
    source(&env, "fdp", &format!("{base}/empty"), kind);
    let guarded = env.run(&["harvest"]);
    assert!(guarded.stdout.contains("GUARDED"), "{guarded:?}");
    assert_eq!(datasets(&env), 1);

    // A real node's catalogue → its dataset → the dataset's distribution: three documents.
    let env = Env::new();
    source(&env, "si", &format!("{base}/{CATALOG}"), kind);
    let run = env.run(&["harvest"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("1 new"), "{run:?}");
    assert!(run.stdout.contains("3 pages"), "{run:?}");
    let nt = env.run(&["export", "-f", "nt"]).stdout;
    // Original IRIs; the distribution read from its own document is part of the record; the
    // catalogue still lists the dataset.
    assert!(
        nt.contains(&format!("<{base}/{DATASET}> <http://www.w3.org/ns/dcat#distribution> <{base}/distribution/with-accessservice>")),
        "{nt}"
    );
    assert!(
        nt.contains(&format!(
            "<{base}/distribution/with-accessservice> <http://www.w3.org/ns/dcat#accessURL> <{base}/access>"
        )),
        "{nt}"
    );
    assert!(
        nt.contains(&format!(
            "<{base}/{CATALOG}> <http://www.w3.org/ns/dcat#dataset> <{base}/{DATASET}>"
        )),
        "{nt}"
    );
    let again = env.run(&["harvest"]);
    assert!(
        again.stdout.contains("0 new, 0 updated, 1 unchanged"),
        "{again:?}"
    );

    // One dataset reached through two parents is one record.
    let env = Env::new();
    source(&env, "p", &format!("{base}/parents"), kind);
    let run = env.run(&["harvest"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(datasets(&env), 1);
    assert!(run.stdout.contains("2 new"), "dataset and series: {run:?}");

    // A node without catalogues, harvested for the first time: an empty, successful run.
    let env = Env::new();
    source(&env, "e", &format!("{base}/empty"), kind);
    let run = env.run(&["harvest"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("0 new"), "{run:?}");
}

/// The lines of an N-Triples export about `prefix…` subjects, without blank nodes (their labels
/// differ between stores).
fn about(nt: &str, prefix: &str) -> std::collections::BTreeSet<String> {
    nt.lines()
        .filter(|l| l.starts_with(prefix) && !l.contains("_:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_sparql_endpoint_is_harvested_in_pages_to_the_same_records() {
    let a = Env::new();
    let (_server, base): (Killed, String) = serve(&a, None);
    // Through the SPARQL endpoint, 50 records per CONSTRUCT.
    let b = Env::new();
    source(
        &b,
        "a",
        &format!("{base}/sparql"),
        "kind = \"sparql\"\nprofile = \"healthdcat-ap-r8\"\n[sparql]\npage_size = 50",
    );
    let run = b.run(&["harvest"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("200 new"), "{run:?}");
    assert!(run.stdout.contains(" 0 invalid"), "{run:?}");
    assert_eq!(datasets(&b), 200);
    let again = b.run(&["harvest"]);
    assert!(
        again.stdout.contains("0 new, 0 updated, 200 unchanged"),
        "{again:?}"
    );
    // The same descriptions as a harvest of the DCAT catalogue.
    let c = Env::new();
    source(&c, "a", &format!("{base}/catalog.ttl"), "");
    assert_eq!(c.run(&["harvest"]).code, 0);
    let prefix = "<https://catalogue.example.org/dataset/";
    let (over_sparql, over_dcat) = (
        about(&b.run(&["export", "-f", "nt"]).stdout, prefix),
        about(&c.run(&["export", "-f", "nt"]).stdout, prefix),
    );
    assert!(over_dcat.len() > 2000, "{}", over_dcat.len());
    // The DCAT catalogue adds the source's quality measurements and label (its statements about
    // the records, like its catalogue records); the SPARQL endpoint serves the stored records
    // alone.
    let measured = |l: &String| {
        l.contains("<http://www.w3.org/ns/dqv#hasQualityMeasurement>")
            || l.contains("<http://www.w3.org/ns/dqv#hasQualityAnnotation>")
    };
    assert!(over_dcat.iter().any(measured));
    assert!(!over_sparql.iter().any(measured));
    let over_dcat: std::collections::BTreeSet<String> =
        over_dcat.into_iter().filter(|l| !measured(l)).collect();
    assert_eq!(over_sparql, over_dcat);
}
