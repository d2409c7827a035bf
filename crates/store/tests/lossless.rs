//! Import → export is lossless: for every example in the reference material (HealthDCAT-AP R8,
//! DCAT-AP 3.0.0 and 3.0.1 in Turtle and JSON-LD), the graph exported in each syntax is isomorphic
//! (sophia_isomorphism) to the graph imported, and importing the same file again changes nothing.
//!
//! The examples are read from `$HEALTHCAT_REFERENCE_DIR` (default `../shared/reference` beside the
//! repository). When it is absent these tests print a notice and pass without checking anything.

use healthcat_store::{
    DocGraph, Format, Outcome, ParseOptions, Source, Store, parse_document, split,
};
use oxrdf::Graph;
use std::path::{Path, PathBuf};

fn examples(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "healthdcat-ap/release-8/examples",
        "dcat-ap-3/3.0.0/html/examples",
        "dcat-ap-3/3.0.1/html/examples",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // context.jsonld is a context, not data.
            if (name.ends_with(".ttl") || name.ends_with(".jsonld")) && name != "context.jsonld" {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Official examples that are not valid RDF, with the reason; healthcat must refuse them with a
/// located error instead of importing them.
const INVALID_EXAMPLES: &[(&str, &str)] = &[
    (
        "dcat-ap-3/3.0.0/html/examples/example-bee-population-dataset-series-api.ttl",
        SLASH,
    ),
    (
        "dcat-ap-3/3.0.0/html/examples/example-bee-population-dataset-series-combined.ttl",
        SLASH,
    ),
    (
        "dcat-ap-3/3.0.1/html/examples/example-bee-population-dataset-series-api.ttl",
        SLASH,
    ),
    (
        "dcat-ap-3/3.0.1/html/examples/example-bee-population-dataset-series-combined.ttl",
        SLASH,
    ),
];
const SLASH: &str = "prefixed names like example-dist:BeePopulation2023/csv: '/' is not allowed in a Turtle \
    PN_LOCAL unless escaped (Turtle 1.1 grammar [168s]); their JSON-LD twins are valid and round-trip";

fn parse_file(path: &Path) -> Result<DocGraph, String> {
    let format = Format::from_path(path).unwrap();
    let bytes = std::fs::read(path).unwrap();
    parse_document(
        bytes.as_slice(),
        format,
        &path.display().to_string(),
        &ParseOptions::default(),
    )
    .map(|d| d.graph)
    .map_err(|e| e.to_string())
}

fn isomorphic(a: &Graph, b: &Graph) -> bool {
    healthcat_testkit::isomorphic(a.iter(), b.iter())
}

#[test]
fn every_reference_example_round_trips_in_every_syntax() {
    let Some(root) = healthcat_testkit::reference_dir("lossless round-trip tests") else {
        return;
    };
    let files = examples(&root);
    assert!(
        files.len() >= 60,
        "expected the R8 and DCAT-AP 3 examples, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut refused = Vec::new();
    for path in &files {
        let doc = match parse_file(path) {
            Ok(doc) => doc,
            Err(e) => {
                refused.push(format!(
                    "{} => {e}",
                    path.strip_prefix(&root).unwrap().display()
                ));
                continue;
            }
        };
        let original = doc.to_graph();
        let store = Store::in_memory().unwrap();
        let source = Source::local_file(&path.display().to_string());
        let first = store
            .import_units(&doc, &split(&doc).unwrap(), &source)
            .unwrap();
        assert!(first.records.iter().all(|r| r.outcome == Outcome::Added));
        // A second parse gets fresh blank-node labels: the canonical hash must still match.
        let doc2 = parse_file(path).unwrap();
        let again = store
            .import_units(&doc2, &split(&doc2).unwrap(), &source)
            .unwrap();
        let changed = again.catalogs.added
            + again.catalogs.updated
            + again.resources.added
            + again.resources.updated;
        if again
            .records
            .iter()
            .any(|r| r.outcome != Outcome::Unchanged)
            || changed > 0
        {
            failures.push(format!(
                "{}: second import changed something: {again:?}",
                path.display()
            ));
        }
        for format in [
            Format::Turtle,
            Format::NTriples,
            Format::NQuads,
            Format::TriG,
            Format::RdfXml,
            Format::JsonLd,
        ] {
            let (bytes, _) = store.export(Vec::new(), format).unwrap();
            let back = match parse_document(
                bytes.as_slice(),
                format,
                "export",
                &ParseOptions::default(),
            ) {
                Ok(doc) => doc.graph.to_graph(),
                Err(e) => {
                    failures.push(format!(
                        "{} as {format}: export does not parse back: {e}",
                        path.display()
                    ));
                    continue;
                }
            };
            if !isomorphic(&original, &back) {
                failures.push(format!(
                    "{} as {format}: not isomorphic ({} triples in, {} out)",
                    path.display(),
                    original.len(),
                    back.len()
                ));
            }
        }
        // Compacted JSON-LD (record views, catalogue pages) gives back exactly the same graph.
        let compact = healthcat_store::write_graph(&original, Vec::new(), Format::JsonLd).unwrap();
        match parse_document(
            compact.as_slice(),
            Format::JsonLd,
            "compact",
            &ParseOptions::default(),
        ) {
            Ok(doc) if isomorphic(&original, &doc.graph.to_graph()) => {}
            Ok(doc) => {
                let back = doc.graph.to_graph();
                let lines = |g: &Graph| -> std::collections::BTreeSet<String> {
                    g.iter()
                        .filter(|t| !t.subject.is_blank_node() && !t.object.is_blank_node())
                        .map(|t| t.to_string())
                        .collect()
                };
                let (a, b) = (lines(&original), lines(&back));
                failures.push(format!(
                    "{} as compacted JSON-LD: not isomorphic ({} triples in, {} out); only in: {:?}; only out: {:?}",
                    path.display(),
                    original.len(),
                    back.len(),
                    a.difference(&b).collect::<Vec<_>>(),
                    b.difference(&a).collect::<Vec<_>>()
                ))
            }
            Err(e) => failures.push(format!(
                "{} as compacted JSON-LD: does not parse back: {e}",
                path.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let expected: Vec<&str> = INVALID_EXAMPLES.iter().map(|(f, _)| *f).collect();
    let got: Vec<&str> = refused
        .iter()
        .map(|r| r.split(" => ").next().unwrap())
        .collect();
    assert_eq!(got, expected, "examples refused:\n{}", refused.join("\n"));
}
