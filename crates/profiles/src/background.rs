//! Reference data (code lists) made available to validation.
//!
//! The official validator merges whole code lists into every data graph it checks. Doing that per
//! record would copy thousands of concepts into each one; instead, only the part of the lists a
//! record reaches is added: the description of every IRI the record mentions, and of every IRI
//! those descriptions mention in turn (a concept's scheme). The lists hold no links from a scheme
//! down to its concepts, so this closure stays a few triples per code used.

use oxrdf::{NamedOrBlankNode, TermRef, Triple, TripleRef};
use std::collections::{HashMap, HashSet};

/// Triples indexed by subject.
#[derive(Debug, Default)]
pub struct Background {
    triples: Vec<Triple>,
    /// By subject IRI (blank-node subjects cannot be reached from a record).
    by_subject: HashMap<String, Vec<usize>>,
}

impl Background {
    /// Adds triples.
    pub(crate) fn extend(&mut self, triples: impl IntoIterator<Item = Triple>) {
        for t in triples {
            let i = self.triples.len();
            if let NamedOrBlankNode::NamedNode(n) = &t.subject {
                self.by_subject
                    .entry(n.as_str().to_owned())
                    .or_default()
                    .push(i);
            }
            self.triples.push(t);
        }
    }

    /// Number of triples.
    pub fn len(&self) -> usize {
        self.triples.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    /// The reference triples reachable from the IRIs of `data`.
    pub fn closure<'a>(&'a self, data: &[TripleRef<'_>]) -> Vec<TripleRef<'a>> {
        let mut seen: HashSet<usize> = HashSet::new();
        let mut queue: Vec<usize> = Vec::new();
        let visit = |term: TermRef<'_>, queue: &mut Vec<usize>, seen: &mut HashSet<usize>| {
            if let TermRef::NamedNode(n) = term
                && let Some(ids) = self.by_subject.get(n.as_str())
            {
                for &i in ids {
                    if seen.insert(i) {
                        queue.push(i);
                    }
                }
            }
        };
        let mut terms: HashSet<TermRef<'_>> = HashSet::new();
        for t in data {
            terms.insert(t.subject.into());
            terms.insert(t.object);
        }
        for term in terms {
            visit(term, &mut queue, &mut seen);
        }
        let mut out = Vec::new();
        while let Some(i) = queue.pop() {
            let t = self.triples[i].as_ref();
            out.push(t);
            visit(t.object, &mut queue, &mut seen);
        }
        out
    }
}
