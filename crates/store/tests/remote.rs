//! The store on a remote SPARQL 1.1 server gives the same answers as the embedded one: the same
//! scenario (imports with blank nodes, a change, a withdrawal, and every reference example when
//! the reference material is there) is run on both, and everything a caller reads is compared:
//! the export (up to blank-node renaming), the records and their graphs, the counts, the history,
//! the change feed and SPARQL over the published graphs. Then the server is stopped: a write
//! fails with an error that says the store is unavailable and stores nothing, and a new process
//! finds the store as it was.
//!
//! The server is Oxigraph server from the Python package registry (`HEALTHCAT_OXIGRAPH_SERVER`,
//! installed by `.ci/oxigraph-server`); without it the tests print a notice and check nothing.

use healthcat_model::LocalId;
use healthcat_store::{Format, ParseOptions, RemoteConfig, Source, Store, parse_document, split};
use healthcat_testkit::sparql_server::SparqlServer;
use oxrdf::{Dataset, Graph};
use std::path::PathBuf;

const FIRST: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hd: <http://healthdataportal.eu/ns/health#> .
<https://ex.org/cat> a dcat:Catalog ; dct:title "Catalogue"@en ;
  dcat:dataset <https://ex.org/ds/a>, <https://ex.org/ds/b> .
<https://ex.org/ds/a> a dcat:Dataset ; dct:title "Cohort A"@en, "Cohorte A"@fr ;
  dct:description "Line one\nline \"two\" \\ three"@en ;
  hd:numberOfRecords "0018"^^xsd:nonNegativeInteger ;
  dcat:contactPoint [ a vcard:Kind ; vcard:fn "Desk" ; vcard:hasEmail <mailto:desk@ex.org> ] ;
  dcat:distribution [ a dcat:Distribution ; dct:title "CSV"@en ;
     dcat:accessURL <https://ex.org/a.csv> ] ;
  dct:publisher <https://ex.org/org/1> .
<https://ex.org/ds/b> a dcat:Dataset ; dct:title "Registry B"@en ;
  dct:publisher [ a foaf:Agent ; foaf:name "Blank publisher" ] .
<https://ex.org/org/1> a foaf:Agent ; foaf:name "Org one" .
"#;

const CHANGED: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<https://ex.org/ds/a> a dcat:Dataset ; dct:title "Cohort A, second wave"@en, "Cohorte A"@fr ;
  dcat:contactPoint [ a vcard:Kind ; vcard:fn "Desk" ] .
"#;

fn import(store: &Store, text: &[u8], format: Format, name: &str) {
    let doc = parse_document(text, format, name, &ParseOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let units = split(&doc.graph).unwrap();
    store
        .import_units(&doc.graph, &units, &Source::local_file(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
}

/// The reference examples that are valid RDF (see lossless.rs), when the material is there.
fn examples() -> Vec<PathBuf> {
    let Some(root) = healthcat_testkit::reference_dir("the reference examples on a remote store")
    else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("healthdcat-ap/release-8/examples"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
        .collect();
    files.sort();
    files
}

/// Everything the scenario lets a caller read, in a comparable form.
#[derive(Debug, PartialEq)]
struct Seen {
    export: String,
    ids: Vec<String>,
    counts: healthcat_store::Counts,
    history: Vec<(String, usize, usize)>,
    feed: Vec<(u64, String, String, String, String)>,
    record_a: String,
    titles: Vec<String>,
    of_source: Vec<(String, String)>,
}

/// Canonical N-Quads of a dataset (blank nodes renamed canonically), for comparison.
fn canonical(nquads: &[u8]) -> String {
    let mut dataset: Dataset = oxttl::NQuadsParser::new()
        .for_slice(nquads)
        .collect::<Result<_, _>>()
        .unwrap();
    dataset.canonicalize(oxrdf::dataset::CanonicalizationAlgorithm::Unstable);
    let mut lines: Vec<String> = dataset.iter().map(|q| q.to_string()).collect();
    lines.sort();
    lines.join("\n")
}

fn graph_text(g: &Graph) -> String {
    let mut g = g.clone();
    g.canonicalize(oxrdf::graph::CanonicalizationAlgorithm::Unstable);
    let mut lines: Vec<String> = g.iter().map(|t| t.to_string()).collect();
    lines.sort();
    lines.join("\n")
}

fn titles(store: &Store) -> Vec<String> {
    use spareval::{QueryEvaluator, QueryResults};
    let query = spargebra::SparqlParser::new()
        .parse_query("SELECT ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t }")
        .unwrap();
    let QueryResults::Solutions(rows) = QueryEvaluator::new()
        .prepare(&query)
        .execute(store.published())
        .unwrap()
    else {
        panic!("not solutions")
    };
    let mut out: Vec<String> = rows
        .map(|r| r.unwrap().get("t").unwrap().to_string())
        .collect();
    out.sort();
    out
}

/// Runs the scenario on `store` and reads everything back.
fn scenario(store: &Store) -> Seen {
    import(store, FIRST.as_bytes(), Format::Turtle, "first.ttl");
    for file in examples() {
        let text = std::fs::read(&file).unwrap();
        import(store, &text, Format::Turtle, &file.display().to_string());
    }
    import(store, CHANGED.as_bytes(), Format::Turtle, "first.ttl");
    let b = store.record_by_key("https://ex.org/ds/b").unwrap().unwrap();
    assert!(
        store
            .withdraw(
                &b.local_id.clone().unwrap(),
                &Source::local_file("first.ttl")
            )
            .unwrap()
    );
    read(store)
}

fn read(store: &Store) -> Seen {
    let a = store.record_by_key("https://ex.org/ds/a").unwrap().unwrap();
    let a_id: LocalId = a.local_id.clone().unwrap();
    let (nq, _) = store.export(Vec::new(), Format::NQuads).unwrap();
    Seen {
        export: canonical(&nq),
        ids: store
            .local_ids()
            .unwrap()
            .iter()
            .map(|i| i.to_string())
            .collect(),
        counts: store.counts().unwrap(),
        history: store
            .history(&a_id)
            .unwrap()
            .into_iter()
            .map(|r| (format!("{:?}", r.change), r.added.len(), r.removed.len()))
            .collect(),
        feed: store
            .changes(0, 1000)
            .unwrap()
            .into_iter()
            .map(|e| (e.seq, format!("{:?}", e.kind), e.id, e.key, e.hash))
            .collect(),
        record_a: graph_text(&store.get(&a_id).unwrap().unwrap().graph),
        titles: titles(store),
        of_source: store
            .records_of_source("local")
            .unwrap()
            .into_iter()
            .map(|(id, h)| (id.to_string(), h))
            .collect(),
    }
}

fn remote(server: &SparqlServer) -> Store {
    Store::remote(RemoteConfig::new(&server.url()).unwrap()).unwrap()
}

#[test]
fn the_remote_store_answers_as_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let Some(server) = SparqlServer::start(&dir.path().join("oxigraph"), "the remote-store tests")
    else {
        return;
    };
    let embedded = scenario(&Store::in_memory().unwrap());
    let on_server = scenario(&remote(&server));
    assert_eq!(embedded.ids, on_server.ids);
    assert_eq!(embedded.counts, on_server.counts);
    assert_eq!(embedded.history, on_server.history);
    assert_eq!(embedded.feed, on_server.feed);
    assert_eq!(embedded.record_a, on_server.record_a);
    assert_eq!(embedded.titles, on_server.titles);
    assert_eq!(embedded.of_source, on_server.of_source);
    assert!(embedded.export == on_server.export, "the exports differ");
    // The change and the blank nodes came through: the new title, the contact point kept as a
    // blank node, the withdrawn record gone.
    assert!(
        on_server.record_a.contains("second wave"),
        "{}",
        on_server.record_a
    );
    assert!(on_server.record_a.contains("_:"), "{}", on_server.record_a);
    assert!(!on_server.export.contains("Registry B"));
    // No skolem IRI leaks out.
    assert!(!on_server.export.contains(healthcat_store::GENID));
    // Another process on the same server reads the same store, feed included.
    let again = remote(&server);
    assert_eq!(again.feed_head(), on_server.feed.len() as u64);
    assert_eq!(read(&again), on_server);
}

#[test]
fn a_store_that_is_away_fails_the_write_and_keeps_what_it_had() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut server) =
        SparqlServer::start(&dir.path().join("oxigraph"), "the remote-store fault tests")
    else {
        return;
    };
    let store = remote(&server);
    import(&store, FIRST.as_bytes(), Format::Turtle, "first.ttl");
    let before = read(&store);
    server.stop();
    let doc = parse_document(
        CHANGED.as_bytes(),
        Format::Turtle,
        "first.ttl",
        &ParseOptions::default(),
    )
    .unwrap();
    let units = split(&doc.graph).unwrap();
    let err = store
        .import_units(&doc.graph, &units, &Source::local_file("first.ttl"))
        .unwrap_err();
    assert!(err.unavailable().is_some(), "{err}");
    assert!(err.to_string().contains(&server.url()), "{err}");
    // Reads say the same, rather than answering nothing.
    let err = store.counts().unwrap_err();
    assert!(err.unavailable().is_some(), "{err}");
    // A process started while the store is away says so at once.
    let e = Store::remote(RemoteConfig::new(&server.url()).unwrap())
        .err()
        .expect("opened a stopped store");
    assert!(e.unavailable().is_some(), "{e}");
    server.resume();
    assert_eq!(read(&store), before, "the failed write changed the store");
    assert_eq!(read(&remote(&server)), before);
}

#[test]
fn two_servers_writing_at_once_never_share_a_change_number() {
    let dir = tempfile::tempdir().unwrap();
    let Some(server) =
        SparqlServer::start(&dir.path().join("oxigraph"), "the concurrent-writers test")
    else {
        return;
    };
    // Two handles on one store are two servers: each its own write turn and its own head.
    let (a, b) = (remote(&server), remote(&server));
    const EACH: usize = 25;
    std::thread::scope(|s| {
        for (name, store) in [("a", &a), ("b", &b)] {
            s.spawn(move || {
                for i in 0..EACH {
                    let ttl = format!(
                        "<https://ex.org/ds/{name}{i}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{name} {i}\"@en ."
                    );
                    import(store, ttl.as_bytes(), Format::Turtle, &format!("{name}{i}.ttl"));
                }
            });
        }
    });
    // A third server reads the feed: every write once, under a number of its own.
    let reader = remote(&server);
    let events = reader.changes(0, 1000).unwrap();
    let mut seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    seqs.dedup();
    assert_eq!(seqs.len(), events.len(), "numbers given twice: {events:?}");
    let mut keys: Vec<&str> = events.iter().map(|e| e.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), 2 * EACH, "{events:?}");
    assert_eq!(events.len(), 2 * EACH, "{events:?}");
    assert_eq!(reader.feed_head(), *seqs.last().unwrap());
}

/// Usage counters added by two servers at the same instant, to the same cells, are all kept:
/// each server rewrites only its own counters in a cell, and a read adds every server's up.
#[test]
fn two_servers_adding_usage_at_once_lose_no_count() {
    use healthcat_store::UsageCell;
    let dir = tempfile::tempdir().unwrap();
    let Some(server) =
        SparqlServer::start(&dir.path().join("oxigraph"), "the concurrent usage test")
    else {
        return;
    };
    let (a, b) = (remote(&server), remote(&server));
    const FLUSHES: u64 = 30;
    let cell = |scope: &str, n: u64| UsageCell {
        day: "2026-12-07".into(),
        scope: scope.into(),
        counts: [("views".to_owned(), n)].into_iter().collect(),
    };
    std::thread::scope(|s| {
        for (store, n) in [(&a, 1), (&b, 100)] {
            let cell = &cell;
            s.spawn(move || {
                for _ in 0..FLUSHES {
                    store
                        .add_usage(&[cell("dataset:x", n), cell("catalogue", n)])
                        .unwrap();
                }
            });
        }
    });
    let reader = remote(&server);
    let day = ["2026-12-07".to_owned()];
    for scope in ["dataset:x", "catalogue"] {
        let got = reader.usage(scope, &day).unwrap();
        assert_eq!(got.len(), 1, "{scope}: {got:?}");
        assert_eq!(
            got[0].1["views"],
            FLUSHES * 101,
            "{scope}: a server's counts lost"
        );
    }
    let mut cells = reader.usage_of_day("2026-12-07").unwrap();
    cells.sort_by(|x, y| x.scope.cmp(&y.scope));
    assert_eq!(
        cells.len(),
        2,
        "one cell per scope, whoever counted: {cells:?}"
    );
    assert!(cells.iter().all(|c| c.counts["views"] == FLUSHES * 101));
    // Forgetting a day forgets every server's counters of it.
    assert_eq!(reader.forget_usage_before("2026-12-08").unwrap(), 2);
    assert!(reader.usage("catalogue", &day).unwrap().is_empty());
}
