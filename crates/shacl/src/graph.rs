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

/// An immutable, indexed RDF graph.
#[derive(Debug, Default, Clone)]
pub struct Graph {
    /// Interned terms. foldhash rather than SipHash: interning is the hottest loop of loading,
    /// and foldhash's per-process random seed still resists hash flooding from untrusted input.
    terms: IndexSet<Term, foldhash::fast::RandomState>,
    spo: Vec<[Id; 3]>,
    pos: Vec<[Id; 3]>,
    osp: Vec<[Id; 3]>,
}

impl Graph {
    /// Builds the graph from triples (duplicates are removed).
    pub fn new<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Self {
        let mut g = Graph::default();
        for t in triples {
            let s = g.intern(t.subject.into());
            let p = g.intern(t.predicate.into());
            let o = g.intern(t.object);
            g.spo.push([s, p, o]);
        }
        g.spo.sort_unstable();
        g.spo.dedup();
        g.pos = g.spo.iter().map(|&[s, p, o]| [p, o, s]).collect();
        g.pos.sort_unstable();
        g.osp = g.spo.iter().map(|&[s, p, o]| [o, s, p]).collect();
        g.osp.sort_unstable();
        g
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
