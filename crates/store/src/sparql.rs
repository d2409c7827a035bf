//! The store as a SPARQL dataset: what `/sparql` sees.
//!
//! The database holds more than the published catalogue: the bookkeeping graph (local ids,
//! hashes, sources) and the N-Triples snapshots are internal, and literals Oxigraph would alter
//! are stored wrapped (see `codec`). [`Published`] answers spareval's quad patterns from the
//! database directly, so queries run on Oxigraph's indexes, but:
//! - only the graphs of published units (records, catalogues, shared resources) exist — the
//!   default graph is their union and they are the named graphs; internal graphs are invisible
//!   even when a query names them with `FROM` or `GRAPH`;
//! - literals are given back exactly as they were imported (`"18"^^xsd:nonNegativeInteger`), and
//!   a literal in a pattern finds its stored, possibly wrapped, form.
//!
//! Terms cross the boundary as [`oxrdf::Term`] values; that costs an allocation per term compared
//! with Oxigraph's own evaluator, and buys the two guarantees above.

use crate::codec;
use crate::store::Store;
use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef};
use oxigraph::store::StorageError;
use spareval::{InternalQuad, QueryableDataset};

/// Prefixes of the graphs that hold published units.
const PUBLISHED_GRAPHS: [&str; 3] = [
    crate::import::RECORD_GRAPH_PREFIX,
    crate::import::CATALOG_GRAPH_PREFIX,
    crate::import::RESOURCE_GRAPH_PREFIX,
];

/// Whether `graph` holds published content (not bookkeeping, not a snapshot).
fn is_published(graph: &Term) -> bool {
    match graph {
        Term::NamedNode(n) => PUBLISHED_GRAPHS.iter().any(|p| n.as_str().starts_with(p)),
        _ => false,
    }
}

/// The published part of a [`Store`], as a [`spareval::QueryableDataset`]. Cheap to create.
#[derive(Clone)]
pub struct Published {
    db: crate::engine::Engine,
}

impl Store {
    /// The published records, catalogues and shared resources, for SPARQL evaluation.
    pub fn published(&self) -> Published {
        Published {
            db: self.db.clone(),
        }
    }
}

fn subject_ref(t: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
    match t {
        Term::NamedNode(n) => Some(n.as_ref().into()),
        Term::BlankNode(b) => Some(b.as_ref().into()),
        _ => None,
    }
}

fn named_ref(t: &Term) -> Option<NamedNodeRef<'_>> {
    match t {
        Term::NamedNode(n) => Some(n.as_ref()),
        _ => None,
    }
}

impl<'a> QueryableDataset<'a> for Published {
    type InternalTerm = Term;
    type Error = StorageError;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&Term>,
        predicate: Option<&Term>,
        object: Option<&Term>,
        graph_name: Option<Option<&Term>>,
    ) -> impl Iterator<Item = Result<InternalQuad<Term>, StorageError>> + use<'a> {
        // A bound position that cannot occur there (a literal subject, a blank predicate, an
        // internal graph) matches nothing.
        let nothing = subject.is_some_and(|s| subject_ref(s).is_none())
            || predicate.is_some_and(|p| named_ref(p).is_none())
            || matches!(graph_name, Some(Some(g)) if !is_published(g));
        let stored_object = match object {
            Some(Term::Literal(l)) => codec::encode(l.as_ref()).map(Term::Literal),
            _ => None,
        };
        let object = stored_object.as_ref().or(object);
        let default_graph = matches!(graph_name, Some(None));
        let iter = if nothing {
            None
        } else {
            Some(self.db.quads_for_pattern(
                subject.and_then(subject_ref),
                predicate.and_then(named_ref),
                object.map(TermRef::from),
                match graph_name {
                    Some(Some(Term::NamedNode(g))) => Some(GraphNameRef::NamedNode(g.as_ref())),
                    Some(Some(Term::BlankNode(g))) => Some(GraphNameRef::BlankNode(g.as_ref())),
                    // All graphs, filtered below: the default graph is the union of the
                    // published ones, and "any named graph" means any published one.
                    _ => None,
                },
            ))
        };
        iter.into_iter().flatten().filter_map(move |q| {
            let q: Quad = match q {
                Ok(q) => q,
                Err(e) => return Some(Err(e)),
            };
            let graph: Term = match q.graph_name {
                oxigraph::model::GraphName::NamedNode(n) => n.into(),
                oxigraph::model::GraphName::BlankNode(b) => b.into(),
                oxigraph::model::GraphName::DefaultGraph => return None,
            };
            if !is_published(&graph) {
                return None;
            }
            let object = match q.object {
                Term::Literal(l) => Term::Literal(codec::decode(l.as_ref()).unwrap_or(l)),
                other => other,
            };
            Some(Ok(InternalQuad {
                subject: q.subject.into(),
                predicate: q.predicate.into(),
                object,
                graph_name: (!default_graph).then_some(graph),
            }))
        })
    }

    fn internal_named_graphs(&self) -> impl Iterator<Item = Result<Term, StorageError>> + use<'a> {
        self.db.named_graphs().filter_map(|g| match g {
            Ok(g) => {
                let g: Term = match g {
                    oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.into(),
                    oxigraph::model::NamedOrBlankNode::BlankNode(b) => b.into(),
                };
                is_published(&g).then_some(Ok(g))
            }
            Err(e) => Some(Err(e)),
        })
    }

    fn contains_internal_graph_name(&self, graph_name: &Term) -> Result<bool, StorageError> {
        match graph_name {
            Term::NamedNode(n) if is_published(graph_name) => {
                self.db.contains_named_graph(n.as_ref())
            }
            _ => Ok(false),
        }
    }

    fn internalize_term(&self, term: Term) -> Result<Term, StorageError> {
        Ok(term)
    }

    fn externalize_term(&self, term: Term) -> Result<Term, StorageError> {
        Ok(term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, ParseOptions, Source, parse_document, split};
    use spareval::{QueryEvaluator, QueryResults};
    use spargebra::SparqlParser;

    fn store() -> Store {
        let ttl = r#"
          @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
          @prefix hd: <http://healthdataportal.eu/ns/health#> .
          @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
          <https://example.org/ds/a> a dcat:Dataset ; dct:title "A"@en ;
             hd:numberOfRecords "0018"^^xsd:nonNegativeInteger .
          <https://example.org/ds/b> a dcat:Dataset ; dct:title "B"@en .
        "#;
        let store = Store::in_memory().unwrap();
        let doc = parse_document(
            ttl.as_bytes(),
            Format::Turtle,
            "t.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        let units = split(&doc.graph).unwrap();
        store
            .import_units(&doc.graph, &units, &Source::local_file("t.ttl"))
            .unwrap();
        store
    }

    fn select(store: &Store, q: &str) -> Vec<String> {
        let query = SparqlParser::new().parse_query(q).unwrap();
        let evaluator = QueryEvaluator::new();
        let QueryResults::Solutions(s) = evaluator
            .prepare(&query)
            .execute(store.published())
            .unwrap()
        else {
            panic!("not a SELECT")
        };
        let mut rows: Vec<String> = s
            .map(|s| {
                let s = s.unwrap();
                s.iter()
                    .map(|(_, t)| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        rows.sort();
        rows
    }

    #[test]
    fn bookkeeping_is_invisible_and_literals_come_back_as_imported() {
        let store = store();
        // Every predicate in the default graph is a published one.
        let predicates = select(&store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }");
        assert!(!predicates.is_empty());
        assert!(
            predicates.iter().all(|p| !p.contains("urn:healthcat")),
            "{predicates:?}"
        );
        // Naming an internal graph gives nothing.
        assert!(
            select(
                &store,
                "SELECT * WHERE { GRAPH <urn:healthcat:meta> { ?s ?p ?o } }"
            )
            .is_empty()
        );
        assert!(
            select(
                &store,
                "SELECT * FROM <urn:healthcat:snapshots> WHERE { ?s ?p ?o }"
            )
            .is_empty()
        );
        // Nor the figures kept per day.
        store
            .keep_daily("2026-12-05", &[("all".into(), "{}".into())])
            .unwrap();
        assert!(
            select(
                &store,
                "SELECT * WHERE { { ?s ?p \"2026-12-05\" } UNION { GRAPH ?g { ?s ?p \"2026-12-05\" } } }"
            )
            .is_empty()
        );
        // Named graphs are the records'.
        let graphs = select(&store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a ?t } }");
        assert_eq!(graphs.len(), 2, "{graphs:?}");
        // The count keeps its lexical form and datatype, and a pattern with it finds it.
        let n = select(
            &store,
            "SELECT ?n WHERE { ?d <http://healthdataportal.eu/ns/health#numberOfRecords> ?n }",
        );
        assert_eq!(
            n,
            ["\"0018\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"]
        );
        let found = select(
            &store,
            r#"SELECT ?d WHERE { ?d <http://healthdataportal.eu/ns/health#numberOfRecords> "0018"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> }"#,
        );
        assert_eq!(found, ["<https://example.org/ds/a>"]);
        // And it compares as a number.
        let big = select(
            &store,
            "SELECT ?d WHERE { ?d <http://healthdataportal.eu/ns/health#numberOfRecords> ?n FILTER(?n > 10) }",
        );
        assert_eq!(big, ["<https://example.org/ds/a>"]);
    }
}
