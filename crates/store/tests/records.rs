//! The record API: get, list (stable order, paging), counts, atomic delete with collection of shared
//! resources nobody refers to any more, and provenance bookkeeping.

use healthcat_model::LocalId;
use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, split};

const DOC: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://ex.org/ds/zeta> a dcat:Dataset ; dct:title "Zeta" ; dct:publisher <https://ex.org/agent/p> .
<https://ex.org/ds/alpha> a dcat:Dataset ; dct:title "Alpha" ; dct:publisher <https://ex.org/agent/p> .
<https://ex.org/ds/mid> a dcat:DataService ; dct:title "Mid" .
<https://ex.org/agent/p> a foaf:Agent ; foaf:name "Publisher" .
"#;

fn store_with(doc: &str, source: &Source) -> Store {
    let store = Store::in_memory().unwrap();
    import(&store, doc, source);
    store
}

fn import(store: &Store, doc: &str, source: &Source) -> healthcat_store::ImportReport {
    let parsed = parse_document(
        doc.as_bytes(),
        Format::Turtle,
        "doc.ttl",
        &ParseOptions::default(),
    )
    .unwrap();
    store
        .import_units(&parsed.graph, &split(&parsed.graph).unwrap(), source)
        .unwrap()
}

fn id(s: &str) -> LocalId {
    LocalId::new(s).unwrap()
}

#[test]
fn list_is_in_local_id_order_and_pages() {
    let store = store_with(DOC, &Source::local_file("doc.ttl"));
    let ids: Vec<String> = store
        .list(0, 10)
        .unwrap()
        .iter()
        .map(|m| m.local_id.clone().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["alpha", "mid", "zeta"]);
    let page2: Vec<String> = store
        .list(1, 1)
        .unwrap()
        .iter()
        .map(|m| m.local_id.clone().unwrap().to_string())
        .collect();
    assert_eq!(page2, ["mid"]);
    let c = store.counts().unwrap();
    assert_eq!((c.datasets, c.services, c.resources), (2, 1, 1));
}

#[test]
fn get_returns_the_record_and_its_bookkeeping() {
    let store = store_with(DOC, &Source::local_file("/data/doc.ttl"));
    let rec = store.get(&id("alpha")).unwrap().unwrap();
    assert_eq!(rec.meta.key, "https://ex.org/ds/alpha");
    assert_eq!(rec.meta.source, "local");
    assert_eq!(rec.meta.origin, "file:/data/doc.ttl");
    assert_eq!(rec.meta.first_seen, rec.meta.modified);
    assert_eq!(
        rec.graph.len(),
        3,
        "the record's own triples, not the publisher's"
    );
    assert!(store.get(&id("nope")).unwrap().is_none());
}

#[test]
fn an_update_keeps_first_seen_and_moves_modified() {
    let store = store_with(DOC, &Source::local_file("doc.ttl"));
    let before = store.get(&id("alpha")).unwrap().unwrap().meta;
    std::thread::sleep(std::time::Duration::from_millis(5));
    let report = import(
        &store,
        &DOC.replace("\"Alpha\"", "\"Alpha v2\""),
        &Source::local_file("doc.ttl"),
    );
    assert_eq!(
        (report.record_tally.updated, report.record_tally.unchanged),
        (1, 2)
    );
    let after = store.get(&id("alpha")).unwrap().unwrap().meta;
    assert_eq!(after.first_seen, before.first_seen);
    assert!(after.modified > before.modified);
    assert_ne!(after.hash, before.hash);
    assert_eq!(
        after.graph, before.graph,
        "the local id and graph never change"
    );
}

#[test]
fn delete_is_atomic_and_collects_unreferenced_shared_resources() {
    let store = store_with(DOC, &Source::local_file("doc.ttl"));
    // The counts kept between writes (`unit_counts`) follow each write, as the full count does.
    let records = store.unit_counts().unwrap().records();
    assert!(store.delete(&id("alpha")).unwrap());
    assert!(store.get(&id("alpha")).unwrap().is_none());
    assert_eq!(store.unit_counts().unwrap().records(), records - 1);
    assert_eq!(
        store.counts().unwrap().resources,
        1,
        "zeta still refers to the publisher"
    );
    assert!(store.delete(&id("zeta")).unwrap());
    assert_eq!(
        store.counts().unwrap().resources,
        0,
        "nobody refers to the publisher any more"
    );
    assert_eq!(store.unit_counts().unwrap().resources, 0);
    assert_eq!(store.unit_counts().unwrap().records(), records - 2);
    assert!(
        !store.delete(&id("zeta")).unwrap(),
        "deleting twice reports absence"
    );
    let (nt, _) = store.export(Vec::new(), Format::NTriples).unwrap();
    let nt = String::from_utf8(nt).unwrap();
    assert!(
        !nt.contains("Publisher") && !nt.contains("Alpha") && nt.contains("Mid"),
        "{nt}"
    );
}

#[test]
fn two_sources_keep_their_own_description_of_a_shared_agent() {
    let store = store_with(DOC, &Source::local_file("doc.ttl"));
    let other = r#"<https://ex.org/ds/other> a <http://www.w3.org/ns/dcat#Dataset> ;
        <http://purl.org/dc/terms/publisher> <https://ex.org/agent/p> .
        <https://ex.org/agent/p> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> "Publisher (as harvested)" ."#;
    let report = import(
        &store,
        other,
        &Source {
            id: "harvest-a".into(),
            origin: "https://a.example/".into(),
            run: None,
            comment: None,
        },
    );
    assert_eq!(
        report.resources.added, 1,
        "a new description, from another source"
    );
    let (nt, _) = store.export(Vec::new(), Format::NTriples).unwrap();
    let nt = String::from_utf8(nt).unwrap();
    assert!(
        nt.contains("\"Publisher\"") && nt.contains("\"Publisher (as harvested)\""),
        "{nt}"
    );
}

#[test]
fn blank_node_labels_of_different_documents_stay_apart() {
    let doc = |title: &str| {
        format!(
            "<https://ex.org/ds/{title}> a <http://www.w3.org/ns/dcat#Dataset> ;
               <http://www.w3.org/ns/dcat#distribution> _:b1 .
             _:b1 <http://purl.org/dc/terms/title> \"{title}\" ."
        )
    };
    let store = Store::in_memory().unwrap();
    import(&store, &doc("one"), &Source::local_file("one.ttl"));
    import(&store, &doc("two"), &Source::local_file("two.ttl"));
    let (nt, _) = store.export(Vec::new(), Format::NTriples).unwrap();
    let parsed = parse_document(
        nt.as_slice(),
        Format::NTriples,
        "export",
        &ParseOptions::default(),
    )
    .unwrap();
    let distributions: std::collections::HashSet<String> = parsed
        .graph
        .iter()
        .filter(|t| t.predicate.as_str() == "http://purl.org/dc/terms/title")
        .map(|t| t.subject.to_string())
        .collect();
    assert_eq!(
        distributions.len(),
        2,
        "each dataset keeps its own distribution: {}",
        String::from_utf8_lossy(&nt)
    );
}

#[test]
fn pages_see_every_write_despite_the_cached_id_list() {
    let store = store_with(DOC, &Source::local_file("doc.ttl"));
    assert_eq!(store.page(0, 2).unwrap().0, 3);
    // Cached now; an import and a delete must both show.
    import(
        &store,
        "<https://ex.org/ds/beta> a <http://www.w3.org/ns/dcat#Dataset> .",
        &Source::local_file("more.ttl"),
    );
    let (total, page) = store.page(0, 2).unwrap();
    assert_eq!(total, 4);
    let ids: Vec<String> = page
        .iter()
        .map(|m| m.local_id.clone().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["alpha", "beta"]);
    assert!(store.delete(&id("alpha")).unwrap());
    let (total, page) = store.page(0, 1).unwrap();
    assert_eq!(total, 3);
    assert_eq!(page[0].local_id.clone().unwrap().to_string(), "beta");
    // Clones share the database and the list.
    let clone = store.clone();
    assert!(clone.delete(&id("beta")).unwrap());
    assert_eq!(store.page(0, 10).unwrap().0, 2);
}

#[test]
fn get_answers_from_the_kept_id_list_and_still_sees_every_write() {
    let store = store_with(DOC, &Source::local_file("doc.ttl"));
    store.warm().unwrap();
    let ids: Vec<String> = store
        .local_ids()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(ids, ["alpha", "mid", "zeta"]);
    assert_eq!(
        store.get(&id("zeta")).unwrap().unwrap().meta.key,
        "https://ex.org/ds/zeta"
    );
    assert!(store.get(&id("nope")).unwrap().is_none());
    // A record added after the list was read is found; one withdrawn is gone.
    import(
        &store,
        "<https://ex.org/ds/beta> a <http://www.w3.org/ns/dcat#Dataset> .",
        &Source::local_file("more.ttl"),
    );
    assert!(store.get(&id("beta")).unwrap().is_some());
    store.warm().unwrap();
    assert!(store.delete(&id("alpha")).unwrap());
    assert!(store.get(&id("alpha")).unwrap().is_none());
    assert_eq!(store.local_ids().unwrap().len(), 3);
}
