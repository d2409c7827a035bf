//! Property tests of the pieces whose input is unbounded: the record splitter (split, then join
//! the units, gives the input graph), the canonical hash (blind to blank-node labels and triple
//! order, sensitive to content), and paging by cursor (every record present all along is seen
//! exactly once while records are added and removed between pages).

use healthcat_model::LocalId;
use healthcat_store::{
    Format, ParseOptions, Source, Start, Store, canonical_hash, parse_document, split,
};
use oxrdf::{BlankNode, Graph, Literal, NamedNode, Triple};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashSet};

/// A random small catalogue: datasets, agents, nested blank nodes, catalogues, literals with
/// language tags, shared and unshared IRIs.
fn document() -> impl Strategy<Value = String> {
    let node = prop_oneof![
        (0..8u8).prop_map(|i| format!("<https://ex.org/n{i}>")),
        (0..6u8).prop_map(|i| format!("_:b{i}")),
    ];
    let object = prop_oneof![
        node.clone(),
        "[a-zA-Zé \"\\\\.]{0,10}"
            .prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))),
        ("[a-z]{1,6}", prop_oneof![Just("fr"), Just("en")])
            .prop_map(|(s, l)| format!("\"{s}\"@{l}")),
        (0..100i32).prop_map(|n| n.to_string()),
    ];
    let class = prop_oneof![
        Just("<http://www.w3.org/ns/dcat#Dataset>"),
        Just("<http://www.w3.org/ns/dcat#Catalog>"),
        Just("<http://www.w3.org/ns/dcat#DataService>"),
        Just("<http://xmlns.com/foaf/0.1/Agent>"),
        Just("<http://www.w3.org/ns/dcat#Distribution>"),
    ];
    let predicate = prop_oneof![
        Just("<http://purl.org/dc/terms/publisher>"),
        Just("<http://www.w3.org/ns/dcat#distribution>"),
        Just("<http://www.w3.org/ns/dcat#dataset>"),
        Just("<http://www.w3.org/ns/dcat#service>"),
        Just("<http://purl.org/dc/terms/title>"),
        Just("<https://ex.org/p>"),
    ];
    let typed = (node.clone(), class).prop_map(|(s, c)| format!("{s} a {c} ."));
    let triple = (node, predicate, object).prop_map(|(s, p, o)| format!("{s} {p} {o} ."));
    (
        prop::collection::vec(typed, 1..6),
        prop::collection::vec(triple, 0..30),
    )
        .prop_map(|(a, b)| {
            let mut lines = a;
            lines.extend(b);
            lines.join("\n")
        })
}

fn parse(text: &str) -> healthcat_store::DocGraph {
    parse_document(
        text.as_bytes(),
        Format::Turtle,
        "prop.ttl",
        &ParseOptions::default(),
    )
    .expect("generated Turtle parses")
    .graph
}

/// The same graph with blank nodes relabelled and triples in another order.
fn relabelled(graph: &Graph, salt: u64) -> Vec<Triple> {
    let rename = |b: &BlankNode| BlankNode::new_unchecked(format!("x{salt}{}", b.as_str()));
    let mut triples: Vec<Triple> = graph
        .iter()
        .map(|t| {
            let t = t.into_owned();
            let subject = match t.subject {
                oxrdf::NamedOrBlankNode::BlankNode(b) => rename(&b).into(),
                s => s,
            };
            let object = match t.object {
                oxrdf::Term::BlankNode(b) => rename(&b).into(),
                o => o,
            };
            Triple::new(subject, t.predicate, object)
        })
        .collect();
    triples.sort_by_key(|t| {
        let s = t.to_string();
        s.bytes()
            .fold(salt, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
    });
    triples
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn split_then_join_gives_the_input_graph(text in document()) {
        let doc = parse(&text);
        let Ok(units) = split(&doc) else { return Ok(()); };
        // Each triple lands in exactly one unit, except catalogue membership, which the store
        // keeps as bookkeeping and derives back: put it back here.
        let mut joined: Vec<String> = Vec::new();
        for u in &units {
            for t in u.triples(&doc) {
                joined.push(t.to_string());
            }
            if let Some(root) = &u.root {
                for c in &u.catalogs {
                    let p = if u.kind == healthcat_store::UnitKind::Record(healthcat_model::RecordKind::DataService) {
                        "http://www.w3.org/ns/dcat#service"
                    } else {
                        "http://www.w3.org/ns/dcat#dataset"
                    };
                    joined.push(Triple::new(c.clone(), NamedNode::new_unchecked(p), root.clone()).to_string());
                }
            }
        }
        let expected: BTreeSet<String> = doc.iter().map(|t| t.to_string()).collect();
        let joined_set: BTreeSet<String> = joined.iter().cloned().collect();
        prop_assert_eq!(joined_set, expected);
        // No triple twice, but a blank node reached by two units is copied into both.
        let mut seen = HashSet::new();
        for t in &joined {
            if !t.contains("_:") {
                prop_assert!(seen.insert(t.clone()), "{} is in two units", t);
            }
        }
    }

    #[test]
    fn the_hash_ignores_labels_and_order_and_sees_content(text in document(), salt in 1..1000u64) {
        let doc = parse(&text);
        let graph = doc.to_graph();
        let Ok(h) = canonical_hash(graph.iter()) else { return Ok(()); };
        let other = relabelled(&graph, salt);
        prop_assert_eq!(&canonical_hash(other.iter().map(Triple::as_ref)).unwrap(), &h);
        let mut changed = other.clone();
        changed.push(Triple::new(
            NamedNode::new_unchecked("https://ex.org/changed"),
            NamedNode::new_unchecked("https://ex.org/p"),
            Literal::new_simple_literal("new"),
        ));
        prop_assert_ne!(canonical_hash(changed.iter().map(Triple::as_ref)).unwrap(), h);
    }
}

fn record(i: u32) -> String {
    format!(
        "<https://ex.org/d/r{i:04}> a <http://www.w3.org/ns/dcat#Dataset> ; \
         <http://purl.org/dc/terms/title> \"R{i}\"@en ."
    )
}

fn add(store: &Store, i: u32) {
    let doc = parse(&record(i));
    let units = split(&doc).unwrap();
    store
        .import_units(&doc, &units, &Source::local_file("p.ttl"))
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn paging_by_cursor_sees_every_lasting_record_once(
        initial in 1..60u32,
        per_page in 1..8usize,
        changes in prop::collection::vec((any::<bool>(), 0..120u32), 0..40),
    ) {
        let store = Store::in_memory().unwrap();
        for i in 0..initial {
            add(&store, i);
        }
        let mut removed: HashSet<u32> = HashSet::new();
        let mut seen: Vec<String> = Vec::new();
        let mut after: Option<String> = None;
        let mut changes = changes.into_iter();
        loop {
            let start = match &after {
                Some(a) => Start::After(a),
                None => Start::Offset(0),
            };
            let page = store.window(None, start, per_page).unwrap();
            if page.records.is_empty() {
                break;
            }
            for m in &page.records {
                seen.push(m.local_id.as_ref().unwrap().to_string());
            }
            after = seen.last().cloned();
            // Between pages: a record added or one removed.
            if let Some((adding, i)) = changes.next() {
                if adding {
                    add(&store, 200 + i);
                } else if i < initial && removed.insert(i) {
                    let id = LocalId::new(format!("r{i:04}")).unwrap();
                    store.withdraw(&id, &Source::local_file("p.ttl")).unwrap();
                }
            }
        }
        let unique: HashSet<&String> = seen.iter().collect();
        prop_assert_eq!(unique.len(), seen.len(), "a record seen twice: {:?}", seen);
        for i in 0..initial {
            if !removed.contains(&i) {
                let id = format!("r{i:04}");
                prop_assert!(unique.contains(&id), "{} was never seen", id);
            }
        }
    }
}
