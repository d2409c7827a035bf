//! The data graph as the engine reads it: interned terms and three sorted triple indexes.
//!
//! SHACL evaluation is dominated by lookups — objects of (s, p) for paths, subjects of (p, o) for
//! inverse paths and class targets, all triples of p for subjectsOf/objectsOf targets. Terms are
//! interned once into `u32` ids, and the triples are kept sorted three ways, so each lookup is a
//! binary search over a contiguous slice: no hashing of strings, no allocation.

use indexmap::IndexSet;
use oxrdf::{NamedOrBlankNodeRef, Term, TermRef, TripleRef};

/// A term's id in a [`Graph`].
pub type Id = u32;

/// Interned terms: a term's id is its position. foldhash rather than SipHash: interning is the
/// hottest loop of loading, and foldhash's per-process random seed still resists hash flooding
/// from untrusted input.
pub type Terms = IndexSet<Term, foldhash::fast::RandomState>;

/// From this many triples on, a graph's sort orders are built on two threads.
const PARALLEL_SORT: usize = 50_000;

/// An immutable, indexed RDF graph.
#[derive(Debug, Default, Clone)]
pub struct Graph {
    terms: Terms,
    spo: Vec<[Id; 3]>,
    pos: Vec<[Id; 3]>,
    osp: Vec<[Id; 3]>,
}

impl Graph {
    /// Builds the graph from triples (duplicates are removed).
    pub fn new<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Self {
        Self::from_interned(Terms::default(), Vec::new(), triples)
    }

    /// Builds the graph from terms someone already interned and triples over their ids (a
    /// parser's document, which interned every term once already: interning them again was a
    /// tenth of validating a catalogue file), plus `extra` triples interned here. Ids out of
    /// range read as an empty literal.
    pub fn from_interned<'a>(
        terms: Terms,
        triples: Vec<[Id; 3]>,
        extra: impl IntoIterator<Item = TripleRef<'a>>,
    ) -> Self {
        let mut g = Graph {
            terms,
            spo: triples,
            ..Graph::default()
        };
        for t in extra {
            let s = g.intern(t.subject.into());
            let p = g.intern(t.predicate.into());
            let o = g.intern(t.object);
            g.spo.push([s, p, o]);
        }
        g.index();
        g
    }

    /// Sorts the triples three ways (for a large graph, the two permutations on their own
    /// threads: each is a sort of the whole graph).
    fn index(&mut self) {
        self.spo.sort_unstable();
        self.spo.dedup();
        let spo = &self.spo;
        let sorted = |order: fn(&[Id; 3]) -> [Id; 3]| {
            let mut v: Vec<_> = spo.iter().map(order).collect();
            v.sort_unstable();
            v
        };
        let pos_order: fn(&[Id; 3]) -> [Id; 3] = |&[s, p, o]| [p, o, s];
        let osp_order: fn(&[Id; 3]) -> [Id; 3] = |&[s, p, o]| [o, s, p];
        // A record validated at import or in the editor is a few hundred triples: a thread would
        // cost more than its sort, and import validates records by the hundred thousand.
        if spo.len() < PARALLEL_SORT {
            (self.pos, self.osp) = (sorted(pos_order), sorted(osp_order));
            return;
        }
        let (pos, osp) = std::thread::scope(|scope| {
            let pos = scope.spawn(|| sorted(pos_order));
            (pos.join(), sorted(osp_order))
        });
        // A sort does not panic; should the thread have, sort here.
        self.pos = pos.unwrap_or_else(|_| sorted(pos_order));
        self.osp = osp;
    }

    /// Interns a term that may not occur in any triple (a shape's constant), returning its id.
    pub fn intern(&mut self, term: TermRef<'_>) -> Id {
        if let Some(i) = self.terms.get_index_of(&term.into_owned()) {
            return i as Id;
        }
        self.terms.insert_full(term.into_owned()).0 as Id
    }

    /// The id of a term, if interned.
    pub fn id(&self, term: TermRef<'_>) -> Option<Id> {
        self.terms.get_index_of(&term.into_owned()).map(|i| i as Id)
    }

    /// The term of an id.
    pub fn term(&self, id: Id) -> TermRef<'_> {
        self.terms.get_index(id as usize).map_or(
            TermRef::Literal(oxrdf::LiteralRef::new_simple_literal("")),
            Term::as_ref,
        )
    }

    /// Number of triples.
    pub fn len(&self) -> usize {
        self.spo.len()
    }

    /// Whether the graph has no triple.
    pub fn is_empty(&self) -> bool {
        self.spo.is_empty()
    }

    /// Objects of (s, p).
    pub fn objects(&self, s: Id, p: Id) -> impl Iterator<Item = Id> + '_ {
        range(&self.spo, s, Some(p)).iter().map(|t| t[2])
    }

    /// Subjects of (p, o).
    pub fn subjects(&self, p: Id, o: Id) -> impl Iterator<Item = Id> + '_ {
        range(&self.pos, p, Some(o)).iter().map(|t| t[2])
    }

    /// (predicate, object) pairs of a subject.
    pub fn outgoing(&self, s: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        range(&self.spo, s, None).iter().map(|t| (t[1], t[2]))
    }

    /// (subject, object) pairs of a predicate.
    pub fn with_predicate(&self, p: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        range(&self.pos, p, None).iter().map(|t| (t[2], t[1]))
    }

    /// (subject, predicate) pairs pointing to an object.
    pub fn incoming(&self, o: Id) -> impl Iterator<Item = (Id, Id)> + '_ {
        range(&self.osp, o, None).iter().map(|t| (t[1], t[2]))
    }

    /// Whether the triple is in the graph.
    pub fn contains(&self, s: Id, p: Id, o: Id) -> bool {
        self.spo.binary_search(&[s, p, o]).is_ok()
    }

    /// Every triple.
    pub fn iter(&self) -> impl Iterator<Item = TripleRef<'_>> + '_ {
        self.spo.iter().filter_map(|&[s, p, o]| {
            let subject = match self.term(s) {
                TermRef::NamedNode(n) => NamedOrBlankNodeRef::NamedNode(n),
                TermRef::BlankNode(b) => NamedOrBlankNodeRef::BlankNode(b),
                _ => return None,
            };
            let TermRef::NamedNode(predicate) = self.term(p) else {
                return None;
            };
            Some(TripleRef::new(subject, predicate, self.term(o)))
        })
    }

    /// Reads an RDF list starting at `head` (`rdf:first`/`rdf:rest`); `None` if malformed or cyclic.
    pub fn list(&self, head: Id, first: Id, rest: Id, nil: Id) -> Option<Vec<Id>> {
        let mut out = Vec::new();
        let mut node = head;
        let mut guard = 0usize;
        while node != nil {
            let item = self.objects(node, first).next()?;
            out.push(item);
            node = self.objects(node, rest).next()?;
            guard += 1;
            if guard > self.spo.len() {
                return None;
            }
        }
        Some(out)
    }
}

fn range(index: &[[Id; 3]], a: Id, b: Option<Id>) -> &[[Id; 3]] {
    let start = index.partition_point(|t| t[0] < a || (t[0] == a && b.is_some_and(|b| t[1] < b)));
    let end = index.partition_point(|t| t[0] < a || (t[0] == a && b.is_none_or(|b| t[1] <= b)));
    &index[start..end.max(start)]
}

/// A graph term as the SPARQL evaluator sees it: an id of the graph, or a term the graph does not
/// hold (a query constant), which then matches nothing.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum SparqlTerm {
    /// A term of the graph.
    Id(Id),
    /// A term outside the graph.
    Absent(Term),
}

/// `sh:sparql` constraints are evaluated directly over the graph's own indexes: no second copy of
/// the data graph is built for Oxigraph's evaluator (which, for a 10,000-dataset document, cost
/// more time and memory than the rest of the validation).
impl<'a> spareval::QueryableDataset<'a> for &'a Graph {
    type InternalTerm = SparqlTerm;
    type Error = std::convert::Infallible;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&SparqlTerm>,
        predicate: Option<&SparqlTerm>,
        object: Option<&SparqlTerm>,
        graph_name: Option<Option<&SparqlTerm>>,
    ) -> impl Iterator<Item = Result<spareval::InternalQuad<SparqlTerm>, Self::Error>> + use<'a>
    {
        let g: &'a Graph = self;
        let id = |t: Option<&SparqlTerm>| match t {
            None => Ok(None),
            Some(SparqlTerm::Id(i)) => Ok(Some(*i)),
            Some(SparqlTerm::Absent(_)) => Err(()),
        };
        // Everything is in the default graph.
        let in_named_graph = matches!(graph_name, Some(Some(_)));
        let triples: Box<dyn Iterator<Item = [Id; 3]> + 'a> =
            match (in_named_graph, id(subject), id(predicate), id(object)) {
                (true, ..) | (_, Err(()), _, _) | (_, _, Err(()), _) | (_, _, _, Err(())) => {
                    Box::new(std::iter::empty())
                }
                (_, Ok(Some(s)), Ok(Some(p)), Ok(o)) => Box::new(
                    g.objects(s, p)
                        .filter(move |x| o.is_none_or(|o| o == *x))
                        .map(move |x| [s, p, x]),
                ),
                (_, Ok(Some(s)), Ok(None), Ok(o)) => Box::new(
                    g.outgoing(s)
                        .filter(move |(_, x)| o.is_none_or(|o| o == *x))
                        .map(move |(p, x)| [s, p, x]),
                ),
                (_, Ok(None), Ok(Some(p)), Ok(Some(o))) => {
                    Box::new(g.subjects(p, o).map(move |s| [s, p, o]))
                }
                (_, Ok(None), Ok(Some(p)), Ok(None)) => {
                    Box::new(g.with_predicate(p).map(move |(s, o)| [s, p, o]))
                }
                (_, Ok(None), Ok(None), Ok(Some(o))) => {
                    Box::new(g.incoming(o).map(move |(s, p)| [s, p, o]))
                }
                (_, Ok(None), Ok(None), Ok(None)) => Box::new(g.spo.iter().copied()),
            };
        triples.map(|[s, p, o]| {
            Ok(spareval::InternalQuad {
                subject: SparqlTerm::Id(s),
                predicate: SparqlTerm::Id(p),
                object: SparqlTerm::Id(o),
                graph_name: None,
            })
        })
    }

    fn internalize_term(&self, term: Term) -> Result<SparqlTerm, Self::Error> {
        Ok(match self.id(term.as_ref()) {
            Some(i) => SparqlTerm::Id(i),
            None => SparqlTerm::Absent(term),
        })
    }

    fn externalize_term(&self, term: SparqlTerm) -> Result<Term, Self::Error> {
        Ok(match term {
            SparqlTerm::Id(i) => self.term(i).into_owned(),
            SparqlTerm::Absent(t) => t,
        })
    }
}
