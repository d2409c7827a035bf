//! The DCAT-AP view of a catalogue page (`?profile=dcat-ap`): what generic DCAT-AP harvesters —
//! data.europa.eu, its metadata quality assessment, the Data Governance Act single information
//! points — read without the health extension. A triple stays when its property is one the
//! bundled DCAT-AP 3 profile's shapes name (`sh:path`), or it types a node with a class they name,
//! or it is the page's Hydra paging; then only what is still reachable from the catalogue and the
//! paging is kept (a data dictionary whose `healthdcatap:hasVariables` link is gone goes too).
//! Two adjustments make the page read as DCAT-AP 3.0.0's shapes expect, without inference:
//! values from the HealthData@EU code lists (a publisher type such as `public-health-institute`),
//! which DCAT-AP's lists do not hold, are left out; a `dcat:DatasetSeries` is also typed
//! `dcat:Dataset` (DCAT 3 makes it a subclass, and SEMIC's examples type both).
//! The records in the store are untouched: this is a projection of the page.

use healthcat_model::vocab::{authority, dcat, rdf};
use oxrdf::{NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// The DCAT-AP 3 vocabulary: (properties, classes), read once from the bundled profile.
fn vocabulary() -> &'static (HashSet<String>, HashSet<String>) {
    static VOCABULARY: OnceLock<(HashSet<String>, HashSet<String>)> = OnceLock::new();
    VOCABULARY.get_or_init(|| match healthcat_profiles::Profile::builtin("dcat-ap-3") {
        Ok(p) => p.vocabulary(),
        // The bundled profile is compiled in and tested; should it ever fail, the view keeps
        // nothing but the paging rather than something unchecked.
        Err(_) => Default::default(),
    })
}

/// Whether `t` belongs to the DCAT-AP view, before reachability.
fn known(t: &Triple, properties: &HashSet<String>, classes: &HashSet<String>) -> bool {
    let p = t.predicate.as_str();
    if p.starts_with(HYDRA) {
        return true;
    }
    if t.predicate == rdf::TYPE {
        return match &t.object {
            Term::NamedNode(c) => classes.contains(c.as_str()) || c.as_str().starts_with(HYDRA),
            _ => false,
        };
    }
    if matches!(&t.object, Term::NamedNode(o) if o.as_str().starts_with(authority::HEALTH_EU)) {
        return false;
    }
    properties.contains(p)
}

/// The DCAT-AP view of a page's `triples` (see the module's doc).
pub fn view(triples: Vec<Triple>) -> Vec<Triple> {
    let (properties, classes) = vocabulary();
    let mut kept: Vec<Triple> = triples
        .into_iter()
        .filter(|t| known(t, properties, classes))
        .collect();
    let series: Vec<Triple> = kept
        .iter()
        .filter(|t| t.predicate == rdf::TYPE && t.object == Term::from(dcat::DATASET_SERIES))
        .map(|t| Triple::new(t.subject.clone(), rdf::TYPE, dcat::DATASET))
        .collect();
    for t in series {
        if !kept.contains(&t) {
            kept.push(t);
        }
    }
    // Roots: the catalogues and the paging nodes; everything else must hang from them.
    let mut by_subject: HashMap<&NamedOrBlankNode, Vec<&Triple>> = HashMap::new();
    for t in &kept {
        by_subject.entry(&t.subject).or_default().push(t);
    }
    let is_root = |t: &Triple| {
        t.predicate.as_str().starts_with(HYDRA)
            || (t.predicate == rdf::TYPE && t.object == Term::from(dcat::CATALOG))
    };
    let mut reached: HashSet<&NamedOrBlankNode> = HashSet::new();
    let mut queue: Vec<&NamedOrBlankNode> = kept
        .iter()
        .filter(|t| is_root(t))
        .map(|t| &t.subject)
        .collect();
    while let Some(node) = queue.pop() {
        if !reached.insert(node) {
            continue;
        }
        for t in by_subject.get(node).into_iter().flatten() {
            let next = match &t.object {
                Term::NamedNode(n) => by_subject.get_key_value(&NamedOrBlankNode::from(n.clone())),
                Term::BlankNode(b) => by_subject.get_key_value(&NamedOrBlankNode::from(b.clone())),
                _ => None,
            };
            if let Some((k, _)) = next {
                queue.push(k);
            }
        }
    }
    let reached: HashSet<NamedOrBlankNode> = reached.into_iter().cloned().collect();
    kept.into_iter()
        .filter(|t| reached.contains(&t.subject))
        .collect()
}
