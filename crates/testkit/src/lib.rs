//! # healthcat-testkit
//!
//! What several test suites need, written once: locating the reference material
//! (`$HEALTHCAT_REFERENCE_DIR`, default `../shared/reference` beside the repository) with a clear
//! notice when it is absent, comparing RDF graphs up to blank-node renaming, a local SMTP
//! sink ([`smtp`]) and a real SPARQL 1.1 server ([`sparql_server`]).
//!
//! Graphs are compared with `sophia_isomorphism`; [`canonical`] gives their RDFC-1.0 canonical
//! N-Quads (sophia_c14n), which can be diffed line by line when a comparison fails.
#![warn(missing_docs)]

pub mod smtp;
pub mod sparql_server;

use oxrdf::{NamedOrBlankNodeRef, TermRef, TripleRef};
use sophia_api::MownStr;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The reference material directory, or `None` after printing a notice naming `what` is skipped.
pub fn reference_dir(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("HEALTHCAT_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "NOTICE: reference material not found at {} (set HEALTHCAT_REFERENCE_DIR); {what} skipped",
            dir.display()
        );
        None
    }
}

fn sophia_set<'a>(
    triples: impl IntoIterator<Item = TripleRef<'a>>,
) -> BTreeSet<[SimpleTerm<'static>; 3]> {
    let iri = |s: &str| IriRef::new_unchecked(MownStr::from(s.to_owned()));
    let node = |n: NamedOrBlankNodeRef<'_>| match n {
        NamedOrBlankNodeRef::NamedNode(n) => SimpleTerm::Iri(iri(n.as_str())),
        NamedOrBlankNodeRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(b.as_str().to_owned())))
        }
    };
    triples
        .into_iter()
        .map(|t| {
            let o = match t.object {
                TermRef::NamedNode(n) => node(n.into()),
                TermRef::BlankNode(b) => node(b.into()),
                TermRef::Literal(l) => match l.language() {
                    Some(lang) => SimpleTerm::LiteralLanguage(
                        MownStr::from(l.value().to_owned()),
                        LanguageTag::new_unchecked(MownStr::from(lang.to_owned())),
                        None,
                    ),
                    None => SimpleTerm::LiteralDatatype(
                        MownStr::from(l.value().to_owned()),
                        iri(l.datatype().as_str()),
                    ),
                },
            };
            [
                node(t.subject),
                SimpleTerm::Iri(iri(t.predicate.as_str())),
                o,
            ]
        })
        .collect()
}

/// The official HealthDCAT-AP R8 NON_PUBLIC shape set with the DCAT-AP 3.0.0 shapes it imports, as
/// the hosted validator loads them (without the code lists and the SPARQL graph guard, which is
/// `healthdcat-ap/release-8/validator/shapes/graph-guard.ttl`), under the reference directory `root`.
pub fn official_r8_non_public_shapes(root: &Path) -> Vec<PathBuf> {
    let v = root.join("healthdcat-ap/release-8/validator");
    let d = root.join("dcat-ap-3/3.0.0/html/shacl");
    vec![
        v.join("shapes/non-public-shapes.ttl"),
        v.join("ranges/range.ttl"),
        v.join("controlled-vocabularies/mdr-vocabularies.shape.ttl"),
        v.join("recommended/non-public-shapes_recommended.ttl"),
        d.join("shapes.ttl"),
        d.join("range.ttl"),
        d.join("shapes_recommended.ttl"),
    ]
}

/// A SHACL validation result reduced to what two validators must agree on: focus node, path,
/// component, severity, value.
pub type ResultKey = (String, String, String, String, String);

/// The key of one result, whose fields (`focus`, `path`, `component`, `severity`, `value`, as both
/// `healthcat validate --format json` and `../shared/tools/shacl_oracle.py` print them) `field`
/// reads: blank nodes as `_:` (their labels differ between tools and runs), components and
/// severities by the local name after `#` (with or without angle brackets), the other terms passed
/// through `normalise`.
pub fn result_key<'a>(
    field: impl Fn(&str) -> Option<&'a str>,
    normalise: &dyn Fn(&str) -> String,
) -> ResultKey {
    let term = |k: &str| {
        let v = field(k).unwrap_or_default();
        if v.starts_with("_:") {
            "_:".to_owned()
        } else {
            normalise(v)
        }
    };
    let local = |k: &str| {
        let v = field(k).unwrap_or_default().trim_matches(['<', '>']);
        v.rsplit('#').next().unwrap_or_default().to_owned()
    };
    (
        term("focus"),
        term("path"),
        local("component"),
        local("severity"),
        term("value"),
    )
}

/// The RDFC-1.0 canonical N-Quads of a set of triples.
pub fn canonical<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> String {
    let set: BTreeSet<([SimpleTerm<'static>; 3], Option<SimpleTerm<'static>>)> =
        sophia_set(triples).into_iter().map(|t| (t, None)).collect();
    let mut out = Vec::new();
    // Test graphs are small and not adversarial; a failure here is a test bug worth a panic.
    #[allow(clippy::expect_used)]
    sophia_c14n::rdfc10::normalize(&set, &mut out).expect("canonicalisation of a test graph");
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether two graphs are isomorphic, by sophia_isomorphism.
pub fn isomorphic<'a, 'b>(
    a: impl IntoIterator<Item = TripleRef<'a>>,
    b: impl IntoIterator<Item = TripleRef<'b>>,
) -> bool {
    let (a, b) = (sophia_set(a), sophia_set(b));
    #[allow(clippy::expect_used)]
    sophia_isomorphism::isomorphic_graphs(&a, &b).expect("isomorphism check of test graphs")
}
