//! Peers' real DCAT output as harvest input (ckanext-dcat's and udata's fixtures, served as they
//! are from a local test server), and the transport problems a source can have.

use crate::harness::Env;
use crate::harvest::{datasets, fixture_server, source};
use std::sync::Arc;

/// `(path under peer-fixtures, content type, datasets upstream counts)`.
const PEERS: &[(&str, &str, usize)] = &[
    (
        "ckan__ckanext-dcat/examples/dcat/catalog.rdf",
        "application/rdf+xml",
        2,
    ),
    (
        "ckan__ckanext-dcat/examples/dcat/catalog_datasets_list.rdf",
        "application/rdf+xml",
        2,
    ),
    (
        "ckan__ckanext-dcat/examples/dcat/catalog_with_at_graph.jsonld",
        "application/ld+json",
        1,
    ),
    (
        "ckan__ckanext-dcat/examples/dcat/dataset_afs.ttl",
        "text/turtle",
        1,
    ),
    (
        "ckan__ckanext-dcat/examples/dcat/dataset_multilingual.ttl",
        "text/turtle",
        1,
    ),
    (
        "opendatateam__udata/udata/harvest/tests/dcat/bnodes.jsonld",
        "application/ld+json",
        3,
    ),
    (
        "opendatateam__udata/udata/harvest/tests/dcat/bnodes.xml",
        "application/rdf+xml",
        3,
    ),
    (
        "opendatateam__udata/udata/harvest/tests/dcat/flat.jsonld",
        "application/ld+json",
        3,
    ),
    (
        "opendatateam__udata/udata/harvest/tests/dcat/catalog.xml",
        "application/rdf+xml",
        4,
    ),
    (
        "opendatateam__udata/udata/harvest/tests/dcat/udata.xml",
        "application/rdf+xml",
        2,
    ),
];

const BROKEN: &str = "ckan__ckanext-dcat/examples/dcat/dataset.ttl";

#[test]
fn peer_catalogues_are_harvested_whole_and_again_unchanged() {
    let Some(root) = crate::harness::reference_dir() else {
        eprintln!("NOTICE: peer fixtures not found; peer harvest test skipped");
        return;
    };
    let root = Arc::new(root.join("peer-fixtures"));
    let served = root.clone();
    let base = fixture_server(move |path, _| {
        let name = path.trim_start_matches("/peer/");
        let ct = PEERS
            .iter()
            .find(|(p, ..)| *p == name)
            .map(|(_, ct, _)| *ct)
            .unwrap_or("text/turtle");
        match std::fs::read(served.join(name)) {
            Ok(body) if !name.contains("..") => (200, ct, body),
            _ => (404, "text/plain", b"not found".to_vec()),
        }
    });
    for (path, _, expected) in PEERS {
        let env = Env::new();
        source(&env, "peer", &format!("{base}/peer/{path}"), "");
        let run = env.run(&["harvest"]);
        assert_eq!(run.code, 0, "{path}: {run:?}");
        assert_eq!(datasets(&env), *expected, "{path}: {run:?}");
        // Read again: the same records — blank-node datasets included, recognised by their
        // dct:identifier or content — none rewritten.
        let again = env.run(&["harvest"]);
        assert!(
            again.stdout.contains(" 0 new, 0 updated,"),
            "{path}: {again:?}"
        );
        assert_eq!(datasets(&env), *expected, "{path}");
        if path.ends_with("bnodes.xml") {
            // Relative rdf:about resolved against the page's address.
            let nt = env.run(&["export", "-f", "nt"]).stdout;
            assert!(
                nt.contains(&format!(
                    "<{base}/peer/opendatateam__udata/udata/harvest/tests/dcat/dataset-2>"
                )),
                "{nt}"
            );
        }
    }
    // ckanext-dcat's broken example: a clear failure naming the problem, nothing stored.
    let env = Env::new();
    source(&env, "peer", &format!("{base}/peer/{BROKEN}"), "");
    let run = env.run(&["harvest"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("FAILED"), "{run:?}");
    assert!(run.stdout.contains("dataset.ttl"), "{run:?}");
    assert!(
        run.stdout.contains("dataset.ttl:149:")
            && run.stdout.contains("healthdcatap: has not been declared"),
        "the line and the undeclared prefix: {run:?}"
    );
    assert_eq!(datasets(&env), 0);
}
