//! Counting → flushing into a real store → the figures and the biennial report, in CSV and in
//! XLSX read back with calamine.

use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, split};
use healthcat_usage::report::{Report, TABLES};
use healthcat_usage::{Client, Endpoint, Metric, Period, Tally, figures};

const TTL: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://ex.org/ds/a> a dcat:Dataset ; dct:title "Cohort A"@en ; dct:publisher <https://ex.org/org/one> .
<https://ex.org/ds/b> a dcat:Dataset ; dct:title "=Registry B"@en ; dct:publisher <https://ex.org/org/two> .
<https://ex.org/ds/c> a dcat:Dataset ; dct:title "Claims C"@en ; dct:publisher <https://ex.org/org/two> .
"#;

fn store() -> (Store, Vec<(String, String)>) {
    let store = Store::in_memory().unwrap();
    let doc = parse_document(
        TTL.as_bytes(),
        Format::Turtle,
        "t.ttl",
        &ParseOptions::default(),
    )
    .unwrap();
    let units = split(&doc.graph).unwrap();
    let r = store
        .import_units(&doc.graph, &units, &Source::local_file("t.ttl"))
        .unwrap();
    let ids = r
        .records
        .iter()
        .map(|r| (r.key.clone(), r.id.clone()))
        .collect();
    (store, ids)
}

fn id_of(ids: &[(String, String)], suffix: &str) -> String {
    ids.iter()
        .find(|(k, _)| k.ends_with(suffix))
        .unwrap()
        .1
        .clone()
}

#[test]
fn counts_flushed_add_up_per_dataset_publisher_and_catalogue_and_the_report_says_so() {
    let (store, ids) = store();
    let (a, b, c) = (id_of(&ids, "/a"), id_of(&ids, "/b"), id_of(&ids, "/c"));
    let tally = Tally::default();
    let person = Client::of(true, Some("Mozilla/5.0 Firefox/133.0"), false);
    let script = Client::of(true, Some("curl/8.5"), false);
    let robot = Client::of(true, Some("Googlebot/2.1"), false);
    for _ in 0..3 {
        tally.count(person, &a, Metric::View);
    }
    tally.count(script, &a, Metric::View); // a script reading a page: not a view
    tally.count(robot, &a, Metric::View);
    tally.count(script, &a, Metric::download("ttl").unwrap());
    tally.count(person, &b, Metric::download("jsonld").unwrap());
    tally.count(person, &b, Metric::Api);
    tally.count(person, &c, Metric::Request);
    tally.shown(person, Endpoint::Page, [a.as_str(), b.as_str()]);
    tally.shown(script, Endpoint::Machine, [b.as_str(), c.as_str()]);
    tally.shown(robot, Endpoint::Machine, [a.as_str()]);
    assert_eq!(
        tally.flush(&store).unwrap(),
        3 + 2 + 1,
        "three datasets, two publishers, the catalogue"
    );
    assert_eq!(tally.cells(), 0);
    // A second flush adds to the same cells.
    tally.count(person, &a, Metric::View);
    tally.flush(&store).unwrap();

    let today = Period::today();
    let period = Period::parse(None, None, today, 7).unwrap();
    let (days, total) = figures::daily(&store, "catalogue", &period).unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(
        (
            total.views,
            total.downloads,
            total.impressions,
            total.api,
            total.requests,
            total.searches
        ),
        (4, 2, 4, 1, 1, 2)
    );
    let (_, two) = figures::daily(&store, "publisher:https://ex.org/org/two", &period).unwrap();
    assert_eq!(
        (two.views, two.downloads, two.impressions, two.requests),
        (0, 1, 3, 1)
    );
    assert_eq!(two.downloads_by["jsonld"], 1);

    // Withdraw c: the report lists it as withdrawn, its usage still counted.
    let c_id = healthcat_model::LocalId::new(c.clone()).unwrap();
    store.withdraw(&c_id, &Source::local_file("t.ttl")).unwrap();
    let spec = healthcat_quality::LabelSpec::bundled();
    let report = Report::build(&store, None, spec, period, "en").unwrap();
    assert_eq!(report.totals.views, 4);
    let csv = String::from_utf8(report.write_csv("summary", Vec::new()).unwrap()).unwrap();
    for line in [
        "Page views,4",
        "Metadata downloads,2",
        "Records published now,2",
        "New records,3",
        "Withdrawn records,1",
        "Access routes followed,1",
        "Searches,2",
    ] {
        assert!(csv.lines().any(|l| l == line), "{line} in\n{csv}");
    }
    let datasets = String::from_utf8(report.write_csv("datasets", Vec::new()).unwrap()).unwrap();
    let row_a = datasets
        .lines()
        .find(|l| l.starts_with(&format!("{a},")))
        .unwrap();
    assert!(
        row_a.contains(",4,1,1,0,0,0,1,0,0,"),
        "views 4, downloads 1 (ttl), one impression: {row_a}"
    );
    assert!(
        datasets.lines().any(|l| l.starts_with(&format!("{c},"))),
        "the withdrawn record keeps its row"
    );
    let holders = String::from_utf8(report.write_csv("holders", Vec::new()).unwrap()).unwrap();
    let two_row = holders
        .lines()
        .find(|l| l.contains("https://ex.org/org/two"))
        .unwrap();
    assert!(
        two_row.ends_with(",2,1,"),
        "two created, one withdrawn, no label: {two_row}"
    );
    let fr = Report::build(&store, None, spec, period, "fr").unwrap();
    let csv = String::from_utf8(fr.write_csv("summary", Vec::new()).unwrap()).unwrap();
    assert!(csv.contains("Pages vues,4"), "{csv}");

    // The workbook: one sheet per table, the same numbers.
    use calamine::{Reader, Xlsx};
    let bytes = report.to_xlsx().unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names().len(), TABLES.len());
    let summary = book.worksheet_range("Summary").unwrap();
    let views = summary
        .rows()
        .find(|r| r[0] == "Page views")
        .map(|r| r[1].to_string())
        .unwrap();
    assert_eq!(views, "4");
    let sheet = book.worksheet_range("Datasets").unwrap();
    assert_eq!(
        sheet.rows().count(),
        1 + 3,
        "a heading, two live records, the withdrawn one used"
    );
}

#[test]
fn a_formula_looking_title_is_not_a_formula_in_the_csv() {
    let (store, _) = store();
    let index = healthcat_search::SearchIndex::in_memory().unwrap();
    let ids = store.local_ids().unwrap();
    index.refresh(&store, &ids).unwrap();
    let period = Period::parse(None, None, Period::today(), 1).unwrap();
    let report = Report::build(
        &store,
        Some(&index),
        healthcat_quality::LabelSpec::bundled(),
        period,
        "en",
    )
    .unwrap();
    let csv = String::from_utf8(report.write_csv("datasets", Vec::new()).unwrap()).unwrap();
    assert!(csv.contains(",'=Registry B,"), "{csv}");
    assert!(csv.contains(",Cohort A,"), "{csv}");
}
