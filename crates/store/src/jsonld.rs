//! JSON-LD compacted with the DCAT-AP 3.0.1 context: what people and JSON tools read
//! (`"title": [{"@value": "…", "@language": "fr"}]` rather than full IRIs).
//!
//! The context is the bundled SEMIC file (see `contexts/SOURCES.md`), embedded in every document
//! rather than referenced by URL: a reader never has to fetch it, and healthcat never does either.
//! It defines one term per class (`Dataset`, `Distribution`…) and, scoped to each class, the terms
//! of its properties (`title`, `distribution`…); HealthDCAT-AP's own properties are not in it and
//! are written as compact IRIs (`healthdcatap:numberOfRecords`) with healthcat's usual prefixes,
//! declared in a second context object.
//!
//! Output is flat: one node object per subject in `@graph`, others referenced by `@id`, so each
//! node's type-scoped terms apply to its own properties only (JSON-LD 1.1 does not propagate them
//! into nested nodes, which flat output never has). A value a term cannot carry exactly (another
//! datatype than the term's, a literal for an IRI-valued term) is written under the full IRI, so
//! the document expands to exactly the triples given: the tests check it on every reference
//! example.

use crate::error::StoreError;
use indexmap::IndexMap;
use oxrdf::{NamedOrBlankNode, Term, TermRef, TripleRef};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::OnceLock;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// What a term's values are.
#[derive(Debug, Clone, PartialEq)]
enum Coercion {
    /// `"@type": "@id"`: IRIs and blank nodes, written as strings.
    Id,
    /// `"@type": <datatype>`: literals of that datatype, written as their lexical form.
    Datatype(String),
    /// No coercion: value objects (a plain string for an `xsd:string` literal).
    None,
}

#[derive(Debug, Clone)]
struct TermDef {
    iri: String,
    coercion: Coercion,
    /// `"@container": "@set"`: always an array.
    set: bool,
}

/// The context, read once.
struct Context {
    /// The `@context` object as written in documents.
    json: Value,
    /// Class IRI → term name.
    classes: HashMap<String, String>,
    /// Class term name → its scoped property terms (name → definition).
    scoped: HashMap<String, BTreeMap<String, TermDef>>,
    /// Whether this document declares and uses the prefixes (see [`write_compact`]).
    prefixed: bool,
}

impl Context {
    /// `prefix:local` for an IRI under one of healthcat's usual prefixes (declared in the
    /// document's context beside DCAT-AP's), else the IRI. For keys, types and datatypes: never
    /// for node identifiers, which stay absolute.
    fn compact(&self, iri: &str) -> String {
        if !self.prefixed {
            return iri.to_owned();
        }
        healthcat_model::vocab::PREFIXES
            .iter()
            .filter(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns))
            .max_by_key(|(_, ns)| ns.len())
            .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
            .filter(|c| !c.contains("://"))
            .unwrap_or_else(|| iri.to_owned())
    }
}

fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let text = crate::parse::bundled_context(CONTEXT_URL).unwrap_or("{}");
        let json: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let ctx = json.get("@context").cloned().unwrap_or(Value::Null);
        let mut classes = HashMap::new();
        let mut scoped = HashMap::new();
        if let Value::Object(terms) = &ctx {
            // Sorted, so the first name wins when two name the same class (`Literal`,
            // `TemporalLiteral`).
            let sorted: BTreeMap<&String, &Value> = terms.iter().collect();
            for (name, def) in sorted {
                let iri = match def {
                    Value::String(s) => s.as_str(),
                    Value::Object(o) => o.get("@id").and_then(Value::as_str).unwrap_or(""),
                    _ => "",
                };
                if !iri.is_empty() {
                    classes
                        .entry(iri.to_owned())
                        .or_insert_with(|| name.clone());
                }
                if let Some(Value::Object(inner)) = def.get("@context") {
                    scoped.insert(name.clone(), property_terms(inner));
                }
            }
        }
        let prefixes: Map<String, Value> = healthcat_model::vocab::PREFIXES
            .iter()
            .map(|(p, ns)| ((*p).to_owned(), Value::String((*ns).to_owned())))
            .collect();
        Context {
            prefixed: true,
            json: Value::Array(vec![ctx, Value::Object(prefixes)]),
            classes,
            scoped,
        }
    })
}

/// The address of the context whose content is embedded.
pub const CONTEXT_URL: &str =
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld";

fn property_terms(terms: &Map<String, Value>) -> BTreeMap<String, TermDef> {
    let mut out = BTreeMap::new();
    for (name, def) in terms {
        let (iri, coercion, set) = match def {
            Value::String(s) => (s.clone(), Coercion::None, false),
            Value::Object(o) => {
                let Some(iri) = o.get("@id").and_then(Value::as_str) else {
                    continue;
                };
                let coercion = match o.get("@type").and_then(Value::as_str) {
                    Some("@id") => Coercion::Id,
                    Some(dt) if !dt.starts_with('@') => Coercion::Datatype(dt.to_owned()),
                    Some(_) => continue,
                    None => Coercion::None,
                };
                // Only plain and `@set` containers are used by this writer.
                let set = match o.get("@container").and_then(Value::as_str) {
                    Some("@set") => true,
                    Some(_) => continue,
                    None => false,
                };
                (iri.to_owned(), coercion, set)
            }
            _ => continue,
        };
        out.insert(name.clone(), TermDef { iri, coercion, set });
    }
    out
}

fn node_id(n: &NamedOrBlankNode) -> String {
    match n {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// A value under a term with `coercion`, or `None` when the term cannot carry it exactly.
fn value(ctx: &Context, term: &Term, coercion: &Coercion) -> Option<Value> {
    match (term, coercion) {
        (Term::NamedNode(n), Coercion::Id) => Some(Value::String(n.as_str().to_owned())),
        (Term::BlankNode(b), Coercion::Id) => Some(Value::String(format!("_:{}", b.as_str()))),
        (Term::NamedNode(n), Coercion::None) => Some(json!({ "@id": n.as_str() })),
        (Term::BlankNode(b), Coercion::None) => Some(json!({ "@id": format!("_:{}", b.as_str()) })),
        (Term::Literal(l), Coercion::Datatype(dt))
            if l.language().is_none() && l.datatype().as_str() == dt =>
        {
            Some(Value::String(l.value().to_owned()))
        }
        (Term::Literal(l), Coercion::None) => Some(match l.language() {
            Some(lang) => json!({ "@value": l.value(), "@language": lang }),
            None if l.datatype().as_str() == XSD_STRING => Value::String(l.value().to_owned()),
            None => json!({ "@value": l.value(), "@type": ctx.compact(l.datatype().as_str()) }),
        }),
        _ => None,
    }
}

fn push(node: &mut Map<String, Value>, key: &str, v: Value, set: bool) {
    match node.get_mut(key) {
        Some(Value::Array(a)) => a.push(v),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, v]);
        }
        None => {
            node.insert(key.to_owned(), if set { Value::Array(vec![v]) } else { v });
        }
    }
}

/// Writes `triples` as one compacted JSON-LD document.
pub fn write_compact<'a, W: Write>(
    triples: impl IntoIterator<Item = impl Into<TripleRef<'a>>>,
    mut writer: W,
) -> Result<W, StoreError> {
    let shared = context();
    let mut with_prefixes = true;
    // Subjects in first-seen order, each with its predicates in first-seen order.
    type Properties = IndexMap<String, Vec<Term>>;
    let mut nodes: IndexMap<String, Properties> = IndexMap::new();
    for t in triples {
        let t: TripleRef<'_> = t.into();
        // An IRI whose scheme is one of the prefixes (`xsd:date` written as an IRI, as one
        // DCAT-AP example does) would be read back as the prefixed name: such a document is
        // written without them.
        let scheme_is_prefix = |iri: &str| {
            iri.split_once(':').is_some_and(|(scheme, _)| {
                healthcat_model::vocab::PREFIXES
                    .iter()
                    .any(|(p, _)| *p == scheme)
            })
        };
        with_prefixes &= !scheme_is_prefix(t.predicate.as_str())
            && !match t.object {
                TermRef::NamedNode(n) => scheme_is_prefix(n.as_str()),
                TermRef::Literal(l) => scheme_is_prefix(l.datatype().as_str()),
                _ => false,
            }
            && !matches!(t.subject, oxrdf::NamedOrBlankNodeRef::NamedNode(n) if scheme_is_prefix(n.as_str()));
        nodes
            .entry(node_id(&t.subject.into_owned()))
            .or_default()
            .entry(t.predicate.as_str().to_owned())
            .or_default()
            .push(t.object.into_owned());
    }
    let plain;
    let ctx = if with_prefixes {
        shared
    } else {
        plain = Context {
            json: shared.json.get(0).cloned().unwrap_or(Value::Null),
            classes: shared.classes.clone(),
            scoped: shared.scoped.clone(),
            prefixed: false,
        };
        &plain
    };
    let mut graph = Vec::with_capacity(nodes.len());
    for (id, properties) in nodes {
        let mut node = Map::new();
        node.insert("@id".into(), Value::String(id));
        // Types: class terms where the context has them. Their scoped terms apply, in the
        // lexicographic order of the type terms, a later one overriding an earlier one.
        let mut active: BTreeMap<String, TermDef> = BTreeMap::new();
        let mut types: Vec<String> = Vec::new();
        let mut other_types = Vec::new();
        for t in properties.get(RDF_TYPE).into_iter().flatten() {
            match t {
                Term::NamedNode(n) => types.push(
                    ctx.classes
                        .get(n.as_str())
                        .cloned()
                        .unwrap_or_else(|| ctx.compact(n.as_str())),
                ),
                Term::BlankNode(b) => types.push(format!("_:{}", b.as_str())),
                Term::Literal(_) => other_types.push(t.clone()),
            }
        }
        let mut sorted_types = types.clone();
        sorted_types.sort();
        for name in &sorted_types {
            if let Some(terms) = ctx.scoped.get(name) {
                active.extend(terms.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        match types.len() {
            0 => {}
            1 => {
                node.insert("@type".into(), Value::String(types.remove(0)));
            }
            _ => {
                node.insert(
                    "@type".into(),
                    Value::Array(types.into_iter().map(Value::String).collect()),
                );
            }
        }
        for (predicate, objects) in properties {
            let objects = if predicate == RDF_TYPE {
                std::mem::take(&mut other_types)
            } else {
                objects
            };
            // The terms of this property, in name order.
            let terms: Vec<(&String, &TermDef)> =
                active.iter().filter(|(_, d)| d.iri == predicate).collect();
            for o in objects {
                let chosen = terms.iter().find_map(|(name, d)| {
                    value(ctx, &o, &d.coercion).map(|v| (name.as_str(), v, d.set))
                });
                match chosen {
                    Some((name, v, set)) => push(&mut node, name, v, set),
                    None => {
                        let v = value(ctx, &o, &Coercion::None).unwrap_or(Value::Null);
                        push(&mut node, &ctx.compact(&predicate), v, true);
                    }
                }
            }
        }
        graph.push(Value::Object(node));
    }
    let doc = json!({ "@context": ctx.json, "@graph": graph });
    serde_json::to_writer(&mut writer, &doc).map_err(|e| StoreError::Io(e.into()))?;
    Ok(writer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, ParseOptions, parse_document};

    fn round_trip(ttl: &str) -> (String, bool) {
        let doc = parse_document(
            ttl.as_bytes(),
            Format::Turtle,
            "t.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        let graph: oxrdf::Graph = doc.graph.iter().collect();
        let out = String::from_utf8(write_compact(graph.iter(), Vec::new()).unwrap()).unwrap();
        let back = parse_document(
            out.as_bytes(),
            Format::JsonLd,
            "out.jsonld",
            &ParseOptions::default(),
        )
        .unwrap();
        let back: oxrdf::Graph = back.graph.iter().collect();
        let same = healthcat_testkit::isomorphic(graph.iter(), back.iter());
        if !same {
            let show = |g: &oxrdf::Graph| {
                let mut v: Vec<String> = g.iter().map(|t| t.to_string()).collect();
                v.sort();
                v.join("\n")
            };
            eprintln!("--- in\n{}\n--- back\n{}", show(&graph), show(&back));
        }
        (out, same)
    }

    #[test]
    fn compact_terms_and_exact_round_trip() {
        let (out, same) = round_trip(
            r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix hd: <http://healthdataportal.eu/ns/health#> .
            <https://ex.org/d> a dcat:Dataset ; dct:title "Registre"@fr, "Registry"@en ;
              dct:identifier "R-1" ; dct:issued "2024-01-02"^^xsd:date ;
              dct:publisher <https://ex.org/org> ; hd:numberOfRecords "018"^^xsd:nonNegativeInteger ;
              dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://ex.org/get> ;
                                  dct:title "odd"^^<https://ex.org/dt> ] ;
              dct:type "not an IRI" .
            <https://ex.org/org> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> "Org" ."#,
        );
        assert!(same, "{out}");
        assert!(out.contains(r#""@type":"Dataset""#), "{out}");
        assert!(out.contains(r#""title":[{"@language":"#), "{out}");
        assert!(
            out.contains(r#"{"@language":"fr","@value":"Registre"}"#),
            "{out}"
        );
        assert!(out.contains(r#""publisher":"https://ex.org/org""#), "{out}");
        assert!(out.contains(r#""healthdcatap:numberOfRecords":[{"@type":"xsd:nonNegativeInteger","@value":"018"}]"#), "{out}");
        assert!(out.contains(r#""@type":"Agent""#), "{out}");
        // The context is in the document, not fetched.
        assert!(out.starts_with(r#"{"@context":[{"Activity""#), "{out}");
    }

    #[test]
    fn an_iri_that_looks_prefixed_turns_the_prefixes_off() {
        // `xsd:date` as an absolute IRI (scheme `xsd`), as a published DCAT-AP example has it.
        let (out, same) = round_trip(
            r#"<https://ex.org/d> a <http://www.w3.org/ns/dcat#Dataset> ;
               <http://purl.org/dc/terms/issued> "2022-04-01"^^<xsd:date> ;
               <https://ex.org/p> "x" ."#,
        );
        assert!(same, "{out}");
        assert!(out.contains(r#""@type":"xsd:date""#), "{out}");
        assert!(out.contains(r#""https://ex.org/p""#), "{out}");
        assert!(
            !out.contains(r#""dcat":"http"#),
            "no prefix declared: {out}"
        );
    }
}
