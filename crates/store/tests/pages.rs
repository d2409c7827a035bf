//! A harvested page written unit by unit ([`Atomicity::Unit`]: its new records bulk-loaded, then
//! the catalogue that lists them changed in a transaction) stores exactly what the same page
//! written as one transaction stores: the same records, revisions and change-feed events.

use healthcat_store::{Atomicity, Format, ParseOptions, Source, Store, parse_document, split};

/// One page of a paged catalogue: the catalogue, titled after the page, listing `count` datasets
/// from `first`, each with 120 keywords (so that a page of 100 is past the bulk threshold).
fn page(n: usize, first: usize, count: usize) -> String {
    let mut text = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n",
    );
    text += &format!("<https://ex.org/cat> a dcat:Catalog ; dct:title \"Page {n}\"");
    for d in first..first + count {
        text += &format!(" ; dcat:dataset <https://ex.org/ds/{d}>");
    }
    text += " .\n";
    for d in first..first + count {
        text += &format!("<https://ex.org/ds/{d}> a dcat:Dataset ; dct:title \"Dataset {d}\"");
        for k in 0..120 {
            text += &format!(" ; dcat:keyword \"k{d}-{k}\"");
        }
        text += " .\n";
    }
    text
}

fn write(store: &Store, text: &str, atomicity: Atomicity) -> Vec<(String, String)> {
    let doc = parse_document(
        text.as_bytes(),
        Format::Turtle,
        "page.ttl",
        &ParseOptions::default(),
    )
    .unwrap()
    .graph;
    let units = split(&doc).unwrap();
    let report = store
        .import_units_with(&doc, &units, &Source::local_file("page.ttl"), atomicity)
        .unwrap();
    let mut outcomes: Vec<_> = report
        .records
        .iter()
        .map(|r| (r.key.clone(), format!("{:?}", r.outcome)))
        .collect();
    outcomes.push(("catalogues".into(), format!("{:?}", report.catalogs)));
    outcomes
}

/// What a user of the store sees after two pages: each page's outcomes, the export, the change
/// feed, one record's history, and how many write-buffer flushes the transactions made.
type Seen = (Vec<Vec<(String, String)>>, String, Vec<String>, usize, u64);

fn two_pages(atomicity: Atomicity) -> Seen {
    let dir = tempfile::tempdir().unwrap();
    // A flush every 1,000 quads written by transactions: a page of 100 datasets written in one
    // transaction (about 12,500 quads) makes one; its catalogue alone does not.
    let store = Store::open(dir.path()).unwrap().flush_after(1_000);
    let reports = vec![
        write(&store, &page(1, 0, 100), atomicity),
        write(&store, &page(2, 100, 100), atomicity),
    ];
    let export = String::from_utf8(store.export(Vec::new(), Format::NQuads).unwrap().0).unwrap();
    let mut export: Vec<_> = export.lines().map(str::to_owned).collect();
    export.sort();
    let feed = store
        .changes(0, 1_000)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {:?} {}", e.seq, e.kind, e.key))
        .collect();
    let meta = store
        .record_by_key("https://ex.org/ds/150")
        .unwrap()
        .unwrap();
    let history = store.history(&meta.local_id.unwrap()).unwrap().len();
    (
        reports,
        export.join("\n"),
        feed,
        history,
        store.write_buffer_flushes(),
    )
}

#[test]
fn a_page_written_unit_by_unit_stores_what_one_transaction_stores() {
    let (reports, export, feed, history, flushes) = two_pages(Atomicity::Document);
    let (unit_reports, unit_export, unit_feed, unit_history, unit_flushes) =
        two_pages(Atomicity::Unit);
    // The second page added 100 records and changed the catalogue.
    assert_eq!(reports[1].len(), 101);
    assert!(
        reports[1][..100].iter().all(|(_, o)| o == "Added"),
        "{reports:?}"
    );
    assert!(reports[1][100].1.contains("updated: 1"), "{reports:?}");
    assert_eq!(unit_reports, reports);
    assert_eq!(unit_export, export);
    assert!(export.contains("\"Page 2\"") && !export.contains("\"Page 1\""));
    assert!(export.contains("\"k199-119\""));
    // 200 creations numbered 1 to 200, in the same order.
    assert_eq!(feed.len(), 200, "{feed:?}");
    assert!(feed[199].starts_with("200 Created"), "{feed:?}");
    assert_eq!(unit_feed, feed);
    assert_eq!((history, unit_history), (1, 1));
    // Unit by unit, the second page's records did not go through the transaction.
    assert!(flushes >= 1, "{flushes}");
    assert_eq!(unit_flushes, 0);
}
