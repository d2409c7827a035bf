//! Large graphs are validated on several threads; the report must be the one a single thread gives:
//! same results, same order.

use healthcat_shacl::{DataGraph, Graph, Shapes, ShapesOptions, validate};
use oxrdf::{Literal, NamedNode, Triple};

fn ex(l: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("http://example.org/{l}"))
}

fn sh(l: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("http://www.w3.org/ns/shacl#{l}"))
}

#[test]
fn many_focus_nodes_give_the_same_report_as_one_thread_would() {
    let rdf_type = NamedNode::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let shapes = [
        Triple::new(ex("S"), sh("targetClass"), ex("C")),
        Triple::new(ex("S"), sh("property"), ex("P")),
        Triple::new(ex("P"), sh("path"), ex("name")),
        Triple::new(ex("P"), sh("minCount"), Literal::from(1)),
        Triple::new(ex("P"), sh("node"), ex("N")),
        Triple::new(ex("N"), sh("pattern"), Literal::new_simple_literal("^ok")),
    ];
    let shapes = Shapes::compile(
        Graph::new(shapes.iter().map(Triple::as_ref)),
        ShapesOptions::default(),
    )
    .unwrap();
    let mut data = Vec::new();
    for i in 0..5000 {
        let node = ex(&format!("n{i:05}"));
        data.push(Triple::new(node.clone(), rdf_type.clone(), ex("C")));
        match i % 3 {
            0 => {}
            1 => data.push(Triple::new(
                node,
                ex("name"),
                Literal::new_simple_literal("bad"),
            )),
            _ => data.push(Triple::new(
                node,
                ex("name"),
                Literal::new_simple_literal("ok"),
            )),
        }
    }
    let data = DataGraph::new(Graph::new(data.iter().map(Triple::as_ref)), &shapes);
    let report = validate(&shapes, &data);
    let missing = report
        .results
        .iter()
        .filter(|r| {
            r.component
                .as_str()
                .ends_with("MinCountConstraintComponent")
        })
        .count();
    let bad = report
        .results
        .iter()
        .filter(|r| r.component.as_str().ends_with("NodeConstraintComponent"))
        .count();
    assert_eq!((missing, bad), (1667, 1667));
    assert!(
        report
            .results
            .iter()
            .filter(|r| !r.details.is_empty())
            .count()
            == bad,
        "each sh:node result has its detail"
    );
    let foci: Vec<String> = report
        .results
        .iter()
        .map(|r| r.focus_node.to_string())
        .collect();
    let mut sorted = foci.clone();
    sorted.sort();
    assert_eq!(
        foci, sorted,
        "results come in focus-node order, whatever the number of threads"
    );
}
