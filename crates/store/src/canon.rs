//! Content hashes of records: SHA-256 over the RDFC-1.0 canonical N-Quads.
//!
//! The hash is what makes re-importing an unchanged record a no-op: blank-node labels differ at every
//! parse, so a plain hash of the triples would see a change where there is none. RDFC-1.0 (W3C RDF
//! Dataset Canonicalization) relabels blank nodes canonically; sophia_c14n implements it.

use oxrdf::{NamedOrBlankNodeRef, TermRef, TripleRef};
use sha2::{Digest, Sha256};
use sophia_api::MownStr;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use std::collections::BTreeSet;

/// Returned when a graph is too tangled for canonicalisation (RDFC-1.0's safeguard against graphs
/// crafted to make it exponential).
#[derive(Debug, thiserror::Error)]
#[error("the record's blank nodes are too entangled to canonicalise: {0}")]
pub struct HashError(String);

/// The hex SHA-256 of the canonical form of `triples`.
///
/// Graphs without blank nodes (the common case for records with IRIs everywhere) skip the
/// relabelling: their canonical form is just the sorted N-Quads, and hashing that directly gives the
/// same result RDFC-1.0 would, at a fraction of the cost.
pub fn canonical_hash<'a>(
    triples: impl IntoIterator<Item = TripleRef<'a>>,
) -> Result<String, HashError> {
    let triples: Vec<TripleRef<'a>> = triples.into_iter().collect();
    let has_bnode = triples.iter().any(|t| {
        matches!(t.subject, NamedOrBlankNodeRef::BlankNode(_))
            || matches!(t.object, TermRef::BlankNode(_))
    });
    let mut hasher = Sha256::new();
    if has_bnode {
        hasher.update(rdfc10_nquads(triples.iter().copied())?);
    } else {
        // Same bytes as RDFC-1.0's output for a blank-node-free graph: canonical N-Quads lines,
        // sorted by code point order (UTF-8 byte order), without duplicates.
        let mut lines: Vec<String> = triples.iter().map(|t| canonical_line(*t)).collect();
        lines.sort_unstable();
        lines.dedup();
        for line in &lines {
            hasher.update(line.as_bytes());
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// One triple as a canonical N-Quads line (no blank nodes), byte for byte as sophia_c14n writes it:
/// language tags lower-cased, `xsd:string` datatype omitted, the escapes of its `nq` function.
fn canonical_line(t: TripleRef<'_>) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(128);
    let _ = write!(s, "{} <{}> ", t.subject, t.predicate.as_str());
    match t.object {
        TermRef::Literal(l) => {
            s.push('"');
            for c in l.value().chars() {
                match c {
                    '"' => s.push_str("\\\""),
                    '\\' => s.push_str("\\\\"),
                    '\n' => s.push_str("\\n"),
                    '\r' => s.push_str("\\r"),
                    '\t' => s.push_str("\\t"),
                    '\x08' => s.push_str("\\b"),
                    '\x0c' => s.push_str("\\f"),
                    '\x7f' => s.push_str("\\u007F"),
                    c if c <= '\x1f' => {
                        let _ = write!(s, "\\u{:04X}", c as u8);
                    }
                    c => s.push(c),
                }
            }
            s.push('"');
            if let Some(lang) = l.language() {
                s.push('@');
                s.push_str(&lang.to_ascii_lowercase());
            } else if l.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string" {
                let _ = write!(s, "^^<{}>", l.datatype().as_str());
            }
        }
        other => {
            let _ = write!(s, "{other}");
        }
    }
    s.push_str(" .\n");
    s
}

/// The RDFC-1.0 canonical N-Quads of `triples`, by sophia_c14n.
fn rdfc10_nquads<'a>(triples: impl Iterator<Item = TripleRef<'a>>) -> Result<Vec<u8>, HashError> {
    let set: BTreeSet<([SimpleTerm<'a>; 3], Option<SimpleTerm<'a>>)> = triples
        .map(|t| {
            (
                [
                    subject(t.subject),
                    SimpleTerm::Iri(iri(t.predicate.as_str())),
                    term(t.object),
                ],
                None,
            )
        })
        .collect();
    let mut out = Vec::new();
    sophia_c14n::rdfc10::normalize(&set, &mut out).map_err(|e| HashError(e.to_string()))?;
    Ok(out)
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn iri(s: &str) -> IriRef<MownStr<'_>> {
    IriRef::new_unchecked(MownStr::from(s))
}

fn subject(s: NamedOrBlankNodeRef<'_>) -> SimpleTerm<'_> {
    match s {
        NamedOrBlankNodeRef::NamedNode(n) => SimpleTerm::Iri(iri(n.as_str())),
        NamedOrBlankNodeRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(b.as_str())))
        }
    }
}

fn term(t: TermRef<'_>) -> SimpleTerm<'_> {
    match t {
        TermRef::NamedNode(n) => SimpleTerm::Iri(iri(n.as_str())),
        TermRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(b.as_str())))
        }
        TermRef::Literal(l) => match l.language() {
            Some(lang) => SimpleTerm::LiteralLanguage(
                MownStr::from(l.value()),
                LanguageTag::new_unchecked(MownStr::from(lang)),
                None,
            ),
            None => {
                SimpleTerm::LiteralDatatype(MownStr::from(l.value()), iri(l.datatype().as_str()))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{BlankNode, Graph, Literal, NamedNode, Triple};

    fn graph_with_bnode(label: &str) -> Graph {
        let mut g = Graph::new();
        let s = NamedNode::new_unchecked("http://ex.org/d");
        let b = BlankNode::new_unchecked(label);
        let p = NamedNode::new_unchecked("http://ex.org/p");
        g.insert(&Triple::new(s, p.clone(), b.clone()));
        g.insert(&Triple::new(b, p, Literal::new_simple_literal("v")));
        g
    }

    #[test]
    fn hash_ignores_blank_node_labels() {
        let a = canonical_hash(graph_with_bnode("x1").iter()).unwrap();
        let b = canonical_hash(graph_with_bnode("other").iter()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn hash_sees_a_changed_literal() {
        let mut g = Graph::new();
        let s = NamedNode::new_unchecked("http://ex.org/d");
        let p = NamedNode::new_unchecked("http://ex.org/p");
        g.insert(&Triple::new(
            s.clone(),
            p.clone(),
            Literal::new_language_tagged_literal_unchecked("a", "en"),
        ));
        let h1 = canonical_hash(g.iter()).unwrap();
        let mut g2 = Graph::new();
        g2.insert(&Triple::new(
            s,
            p,
            Literal::new_language_tagged_literal_unchecked("a", "fr"),
        ));
        assert_ne!(h1, canonical_hash(g2.iter()).unwrap());
    }

    #[test]
    fn fast_path_equals_rdfc10() {
        // The shortcut for blank-node-free graphs must agree with sophia's RDFC-1.0 output.
        let mut g = Graph::new();
        let s = NamedNode::new_unchecked("http://ex.org/d");
        g.insert(&Triple::new(
            s.clone(),
            NamedNode::new_unchecked("http://ex.org/b"),
            Literal::new_typed_literal(
                "1",
                NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#integer"),
            ),
        ));
        g.insert(&Triple::new(
            s.clone(),
            NamedNode::new_unchecked("http://ex.org/a"),
            Literal::new_simple_literal("é \"q\"\n\ttab\\"),
        ));
        g.insert(&Triple::new(
            s,
            NamedNode::new_unchecked("http://ex.org/a"),
            Literal::new_language_tagged_literal_unchecked("x", "en-GB"),
        ));
        let out = rdfc10_nquads(g.iter()).unwrap();
        assert_eq!(
            canonical_hash(g.iter()).unwrap(),
            hex(&Sha256::digest(&out))
        );
    }
}
