//! The SPARQL endpoint as the catalogue describes it — its service description (`sd:Service`)
//! and the `dcat:DataService` in the catalogue's own description — and the limits it keeps
//! ([`SparqlLimits`]).

use healthcat_model::vocab::{dcat, dct, rdf};
use healthcat_store::QueryShape;
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::time::Duration;

/// The endpoint's limits (`[sparql]` in the configuration): past the time or the size, the
/// answer is an error (503 or 400) when nothing was sent yet, else a broken transfer — never a
/// silently shortened answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparqlLimits {
    /// A query still running after this is cancelled.
    pub timeout: Duration,
    /// Largest number of rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in one answer.
    pub max_results: u64,
    /// Queries evaluated at once; others wait (within their timeout) for a turn.
    pub concurrent: usize,
    /// How deep and long a query's text may be (checked before parsing: the parser and the
    /// evaluator recurse, and no query may exhaust a thread's stack).
    pub shape: QueryShape,
}

impl Default for SparqlLimits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_results: 100_000,
            concurrent: 4,
            shape: QueryShape::default(),
        }
    }
}

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";

fn sd(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SD}{local}"))
}

/// The SPARQL service description of the endpoint at `{base}/sparql`.
pub fn service_description(base: &str) -> Vec<Triple> {
    let endpoint = NamedNode::new_unchecked(format!("{base}/sparql"));
    let service: NamedOrBlankNode = endpoint.clone().into();
    let mut out = vec![
        Triple::new(service.clone(), rdf::TYPE, sd("Service")),
        Triple::new(service.clone(), sd("endpoint"), endpoint.clone()),
        Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(service.clone(), sd("feature"), sd("UnionDefaultGraph")),
    ];
    for f in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ] {
        out.push(Triple::new(
            service.clone(),
            sd("resultFormat"),
            NamedNode::new_unchecked(format!("{FORMATS}{f}")),
        ));
    }
    let dataset: NamedOrBlankNode = BlankNode::default().into();
    let graph: NamedOrBlankNode = BlankNode::default().into();
    out.extend([
        Triple::new(
            service.clone(),
            sd("defaultDataset"),
            Term::from(dataset.clone()),
        ),
        Triple::new(dataset.clone(), rdf::TYPE, sd("Dataset")),
        Triple::new(
            dataset.clone(),
            sd("defaultGraph"),
            Term::from(graph.clone()),
        ),
        Triple::new(graph.clone(), rdf::TYPE, sd("Graph")),
        Triple::new(
            service,
            dct::DESCRIPTION,
            Literal::new_language_tagged_literal_unchecked(
                "Read-only SPARQL 1.1 endpoint over the catalogue's published records; the \
                 default graph is the union of the records' graphs.",
                "en",
            ),
        ),
    ]);
    out
}

/// The catalogue's `dcat:DataService` for this endpoint (in the catalogue description).
pub fn data_service(base: &str, service: &NamedOrBlankNode) -> Vec<Triple> {
    let endpoint = NamedNode::new_unchecked(format!("{base}/sparql"));
    let protocol = NamedNode::new_unchecked("https://www.w3.org/TR/sparql11-protocol/");
    vec![
        Triple::new(service.clone(), rdf::TYPE, dcat::DATA_SERVICE),
        Triple::new(
            service.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked("SPARQL endpoint", "en"),
        ),
        Triple::new(
            service.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked("Point d’accès SPARQL", "fr"),
        ),
        Triple::new(service.clone(), dcat::ENDPOINT_URL, endpoint.clone()),
        Triple::new(service.clone(), dcat::ENDPOINT_DESCRIPTION, endpoint),
        Triple::new(service.clone(), dct::CONFORMS_TO, protocol.clone()),
        Triple::new(protocol, rdf::TYPE, dct::STANDARD),
    ]
}
