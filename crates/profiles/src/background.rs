//! Reference data (code lists) made available to validation.
//!
//! The official validator merges whole code lists into every data graph it checks. Doing that per
//! record would copy thousands of concepts into each one; instead, only the part of the lists a
//! record reaches is added: the description of every IRI the record mentions, and of every IRI
//! those descriptions mention in turn (a concept's scheme). The lists hold no links from a scheme
//! down to its concepts, so this closure stays a few triples per code used.

use oxrdf::{NamedOrBlankNode, TermRef, Triple, TripleRef};
use std::collections::{HashMap, HashSet};

const SKOS_IN_SCHEME: &str = "http://www.w3.org/2004/02/skos/core#inScheme";
const SKOS_PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
const SKOS_NOTATION: &str = "http://www.w3.org/2004/02/skos/core#notation";
const DCT_TITLE: &str = "http://purl.org/dc/terms/title";

/// A code list as people see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeList {
    /// The list's title in the asked language (else English, else its IRI).
    pub title: String,
    /// Its codes: (code, label), in the list's order.
    pub codes: Vec<(String, String)>,
}

/// Triples indexed by subject.
#[derive(Debug, Default)]
pub struct Background {
    /// Concepts by scheme IRI, sorted by code, for telling people which values are allowed.
    by_scheme: HashMap<String, Vec<usize>>,
    triples: Vec<Triple>,
    /// By subject IRI (blank-node subjects cannot be reached from a record).
    by_subject: HashMap<String, Vec<usize>>,
}

impl Background {
    /// Adds triples.
    pub(crate) fn extend(&mut self, triples: impl IntoIterator<Item = Triple>) {
        for t in triples {
            let i = self.triples.len();
            if t.predicate.as_str() == SKOS_IN_SCHEME
                && let oxrdf::Term::NamedNode(scheme) = &t.object
            {
                self.by_scheme
                    .entry(scheme.as_str().to_owned())
                    .or_default()
                    .push(i);
            }
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

    /// The code list `scheme`, labelled in `lang`; `None` when it is not bundled.
    pub fn code_list(&self, scheme: &str, lang: &str) -> Option<CodeList> {
        let members = self.by_scheme.get(scheme)?;
        let title = self
            .label(scheme, DCT_TITLE, lang)
            .unwrap_or_else(|| scheme.to_owned());
        let mut codes: Vec<(String, String)> = members
            .iter()
            .filter_map(|&i| match &self.triples[i].subject {
                NamedOrBlankNode::NamedNode(c) => Some(c.as_str()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .map(|c| {
                let code = self
                    .label(c, SKOS_NOTATION, lang)
                    .unwrap_or_else(|| c.rsplit('/').next().unwrap_or(c).to_owned());
                let label = self.label(c, SKOS_PREF_LABEL, lang).unwrap_or_default();
                (code, label)
            })
            .collect();
        codes.sort();
        Some(CodeList { title, codes })
    }

    /// The codes of `scheme` as (IRI, label in `lang`), by label: what a form offers.
    pub fn concepts(&self, scheme: &str, lang: &str) -> Vec<(String, String)> {
        let Some(members) = self.by_scheme.get(scheme) else {
            return Vec::new();
        };
        let mut out: Vec<(String, String)> = members
            .iter()
            .filter_map(|&i| match &self.triples[i].subject {
                NamedOrBlankNode::NamedNode(c) => Some(c.as_str()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .map(|c| {
                let label = self
                    .label(c, SKOS_PREF_LABEL, lang)
                    .unwrap_or_else(|| c.rsplit('/').next().unwrap_or(c).to_owned());
                (c.to_owned(), label)
            })
            .collect();
        out.sort_by_key(|a| a.1.to_lowercase());
        out.dedup();
        out
    }

    /// The label of a code (`skos:prefLabel` in `lang`, else English, else any); `None` for an
    /// IRI no bundled list holds.
    pub fn label_of(&self, iri: &str, lang: &str) -> Option<String> {
        self.label(iri, SKOS_PREF_LABEL, lang)
    }

    /// A literal of `subject`'s `predicate` in `lang`, else English, else any.
    fn label(&self, subject: &str, predicate: &str, lang: &str) -> Option<String> {
        let literals: Vec<&oxrdf::Literal> = self
            .by_subject
            .get(subject)?
            .iter()
            .map(|&i| &self.triples[i])
            .filter(|t| t.predicate.as_str() == predicate)
            .filter_map(|t| match &t.object {
                oxrdf::Term::Literal(l) => Some(l),
                _ => None,
            })
            .collect();
        [Some(lang), Some("en"), None]
            .iter()
            .find_map(|want| {
                literals
                    .iter()
                    .find(|l| want.is_none() || l.language() == *want)
            })
            .map(|l| l.value().to_owned())
    }

    /// The reference triples reachable from the IRIs of `data`.
    pub fn closure<'a>(&'a self, data: &[TripleRef<'_>]) -> Vec<TripleRef<'a>> {
        let mut terms: HashSet<TermRef<'_>, foldhash::fast::RandomState> = HashSet::default();
        for t in data {
            terms.insert(t.subject.into());
            terms.insert(t.object);
        }
        self.closure_of(terms)
    }

    /// The reference triples reachable from `terms` (the distinct subjects and objects of a
    /// document; a term given twice is visited once).
    pub fn closure_of<'a, 'b>(
        &'a self,
        terms: impl IntoIterator<Item = TermRef<'b>>,
    ) -> Vec<TripleRef<'a>> {
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
