//! Splitting an input graph into storage units: records, catalogues and shared resources.
//!
//! # The rule (see also `docs/storage.md`)
//!
//! Every subject of the input is stored in exactly one *unit*, and every unit is one named graph:
//!
//! - a **record** is a node typed `dcat:Dataset`, `dcat:DataService` or `dcat:DatasetSeries`;
//! - a **catalogue** is a node typed `dcat:Catalog`;
//! - a **shared resource** is an IRI node that several units point to, or whose class marks it as
//!   something that exists independently of any one record: agents (`foaf:Agent` and its
//!   subclasses, `org:Organization`), vocabulary terms (`skos:Concept`, `dct:Standard`,
//!   `dct:LicenseDocument`, …), and anything under the EU and HealthData@EU authority tables.
//!
//! These *owners* own, besides their own triples, every node reachable from them through nodes
//! that are not owners themselves: a dataset owns its distributions, contact points, periods of
//! time and identifiers, whether they are blank nodes or IRIs. An IRI node reached from two owners
//! is promoted to a shared resource (so its description is stored once); a blank node reached from
//! two owners is copied into both (blank nodes have no identity beyond their document, so there is
//! nothing else to keep consistent). An IRI subject that nothing reaches becomes a shared resource
//! of its own, and blank-node subjects that nothing reaches are kept together in one "orphans" unit:
//! nothing in the input is dropped.
//!
//! The catalogue triples `dcat:dataset` / `dcat:service` that point to records of the same input are
//! not stored in the catalogue's graph: they become *membership* in the records' bookkeeping, and the
//! store derives them again on export. That lets a record move between catalogues, or be deleted,
//! without editing the catalogue's graph.

use crate::canon::{HashError, canonical_hash};
use healthcat_model::RecordKind;
use healthcat_model::vocab::{authority, dcat, dct, eli, foaf, org, rdf, skos};
use oxrdf::{
    Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef, Triple, TripleRef,
};
use std::collections::{HashMap, HashSet, VecDeque};

/// What a storage unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// A catalogue record of the given kind.
    Record(RecordKind),
    /// A `dcat:Catalog` description.
    Catalog,
    /// A resource shared by several units (agents, concepts…), or described on its own.
    Resource,
}

impl UnitKind {
    /// A short name stored in the bookkeeping (`dataset`, `service`, `series`, `catalog`, `resource`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Record(k) => k.as_str(),
            UnitKind::Catalog => "catalog",
            UnitKind::Resource => "resource",
        }
    }

    /// Parses [`as_str`](Self::as_str) back.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "catalog" => Some(UnitKind::Catalog),
            "resource" => Some(UnitKind::Resource),
            other => RecordKind::parse(other).map(UnitKind::Record),
        }
    }
}

/// One unit to be stored in its own named graph.
#[derive(Debug, Clone)]
pub struct Unit {
    /// What it is.
    pub kind: UnitKind,
    /// The node the unit describes (`None` for the orphans unit).
    pub root: Option<NamedOrBlankNode>,
    /// The unit's identity: the root IRI, or for blank-node roots a key derived from the content
    /// (`_:id:<dct:identifier>` for records that have one, else `_:hash:<content hash>`).
    pub key: String,
    /// Its triples.
    pub triples: Vec<Triple>,
    /// For records: the catalogues of the same input that list it (`dcat:dataset`, `dcat:service`).
    pub catalogs: Vec<NamedOrBlankNode>,
    /// SHA-256 of the canonical form of `triples` (RDFC-1.0).
    pub hash: String,
}

impl Unit {
    /// Whether this unit is a record.
    pub fn is_record(&self) -> bool {
        matches!(self.kind, UnitKind::Record(_))
    }

    /// The record's title in `lang` or any language, for messages.
    pub fn label(&self) -> String {
        match &self.root {
            Some(NamedOrBlankNode::NamedNode(n)) => format!("<{}>", n.as_str()),
            Some(NamedOrBlankNode::BlankNode(_)) | None => self.key.clone(),
        }
    }
}

/// Classes whose IRI instances are shared resources wherever they appear.
const SHARED_CLASSES: &[NamedNodeRef<'static>] = &[
    foaf::AGENT,
    foaf::ORGANIZATION,
    foaf::PERSON,
    org::ORGANIZATION,
    skos::CONCEPT,
    skos::CONCEPT_SCHEME,
    dct::AGENT,
    dct::STANDARD,
    dct::LICENSE_DOCUMENT,
    dct::LINGUISTIC_SYSTEM,
    dct::LOCATION,
    dct::MEDIA_TYPE,
    dct::MEDIA_TYPE_OR_EXTENT,
    dct::FREQUENCY,
    dct::RIGHTS_STATEMENT,
    eli::LEGAL_RESOURCE,
];

/// Splits `graph` into units, sorted by kind then key (so the result does not depend on parse order).
pub fn split(graph: &Graph) -> Result<Vec<Unit>, HashError> {
    let mut subjects: Vec<NamedOrBlankNodeRef<'_>> = Vec::new();
    let mut is_subject: HashSet<NamedOrBlankNodeRef<'_>> = HashSet::new();
    for t in graph {
        if is_subject.insert(t.subject) {
            subjects.push(t.subject);
        }
    }

    // Owners by kind. A catalogue is also a dataset in DCAT 3; the catalogue role wins.
    let mut kind_of: HashMap<NamedOrBlankNodeRef<'_>, UnitKind> = HashMap::new();
    for &s in &subjects {
        let types: Vec<TermRef<'_>> = graph.objects_for_subject_predicate(s, rdf::TYPE).collect();
        let has = |c: NamedNodeRef<'_>| types.contains(&TermRef::NamedNode(c));
        let kind = if has(dcat::CATALOG) {
            Some(UnitKind::Catalog)
        } else if let Some(k) = RecordKind::ALL.into_iter().find(|k| has(k.class())) {
            Some(UnitKind::Record(k))
        } else if let NamedOrBlankNodeRef::NamedNode(n) = s {
            let shared = SHARED_CLASSES.iter().any(|c| has(*c))
                || n.as_str().starts_with(authority::EU)
                || n.as_str().starts_with(authority::HEALTH_EU);
            shared.then_some(UnitKind::Resource)
        } else {
            None
        };
        if let Some(kind) = kind {
            kind_of.insert(s, kind);
        }
    }

    // Assign every other subject to the owners that reach it, promoting IRIs reached by several
    // owners (or by none) to shared resources until the assignment is stable.
    let mut reach: HashMap<NamedOrBlankNodeRef<'_>, Vec<usize>>;
    let mut owners: Vec<NamedOrBlankNodeRef<'_>>;
    loop {
        owners = subjects
            .iter()
            .copied()
            .filter(|s| kind_of.contains_key(s))
            .collect();
        reach = HashMap::new();
        for (i, &owner) in owners.iter().enumerate() {
            let mut seen: HashSet<NamedOrBlankNodeRef<'_>> = HashSet::new();
            let mut queue = VecDeque::from([owner]);
            while let Some(node) = queue.pop_front() {
                for o in graph.objects_for_subject(node) {
                    let Some(o) = as_node(o) else { continue };
                    if !is_subject.contains(&o) || kind_of.contains_key(&o) || !seen.insert(o) {
                        continue;
                    }
                    reach.entry(o).or_default().push(i);
                    queue.push_back(o);
                }
            }
        }
        // Promote only the topmost of the nodes to promote: a node reached by several owners
        // through another such node (a shared period's own sub-nodes) stays with that node, which
        // owns it once promoted. Same for nodes nothing reaches: only those that no other
        // unreached node points to, unless they sit on a cycle with no way in.
        let multi = |n: &NamedOrBlankNodeRef<'_>| reach.get(n).is_some_and(|o| o.len() > 1);
        let unreached =
            |n: &NamedOrBlankNodeRef<'_>| !kind_of.contains_key(n) && !reach.contains_key(n);
        let is_iri = |n: &NamedOrBlankNodeRef<'_>| matches!(n, NamedOrBlankNodeRef::NamedNode(_));
        let mut to_promote: Vec<NamedOrBlankNodeRef<'_>> = subjects
            .iter()
            .copied()
            .filter(|n| !kind_of.contains_key(n) && is_iri(n))
            .filter(|n| {
                let parents = || {
                    graph
                        .triples_for_object(TermRef::from(*n))
                        .map(|t| t.subject)
                };
                if multi(n) {
                    parents().any(|p| kind_of.contains_key(&p) || reach.get(&p) != reach.get(n))
                } else if reach.get(n).is_none() {
                    !parents().any(|p| p != *n && unreached(&p))
                } else {
                    false
                }
            })
            .collect();
        if to_promote.is_empty() {
            // Only unreached IRIs on entry-less cycles (or below them) are left: take them all.
            to_promote = subjects
                .iter()
                .copied()
                .filter(|n| is_iri(n) && unreached(n))
                .collect();
        }
        let promoted = !to_promote.is_empty();
        for n in to_promote {
            kind_of.insert(n, UnitKind::Resource);
        }
        if !promoted {
            break;
        }
    }

    // Gather each owner's triples.
    let mut owned: Vec<Vec<NamedOrBlankNodeRef<'_>>> = owners.iter().map(|o| vec![*o]).collect();
    let mut orphans: Vec<NamedOrBlankNodeRef<'_>> = Vec::new();
    for &s in &subjects {
        if kind_of.contains_key(&s) {
            continue;
        }
        match reach.get(&s) {
            Some(list) => list.iter().for_each(|&i| owned[i].push(s)),
            None => orphans.push(s),
        }
    }
    let record_nodes: HashSet<NamedOrBlankNodeRef<'_>> = kind_of
        .iter()
        .filter(|(_, k)| matches!(k, UnitKind::Record(_)))
        .map(|(n, _)| *n)
        .collect();
    let mut membership: HashMap<NamedOrBlankNodeRef<'_>, Vec<NamedOrBlankNode>> = HashMap::new();

    let mut units = Vec::with_capacity(owners.len() + 1);
    for (i, &owner) in owners.iter().enumerate() {
        let kind = kind_of[&owner];
        let mut triples = Vec::new();
        for &node in &owned[i] {
            for t in graph.triples_for_subject(node) {
                if kind == UnitKind::Catalog && node == owner && is_membership(t, &record_nodes) {
                    if let Some(record) = as_node(t.object) {
                        membership
                            .entry(record)
                            .or_default()
                            .push(owner.into_owned());
                    }
                    continue;
                }
                triples.push(t.into_owned());
            }
        }
        units.push((kind, Some(owner), triples));
    }
    if !orphans.is_empty() {
        let triples = orphans
            .iter()
            .flat_map(|&n| graph.triples_for_subject(n).map(TripleRef::into_owned))
            .collect();
        units.push((UnitKind::Resource, None, triples));
    }

    let mut out = Vec::with_capacity(units.len());
    for (kind, root, triples) in units {
        let hash = canonical_hash(triples.iter().map(Triple::as_ref))?;
        let key = match root {
            Some(NamedOrBlankNodeRef::NamedNode(n)) => n.as_str().to_owned(),
            Some(b @ NamedOrBlankNodeRef::BlankNode(_)) if matches!(kind, UnitKind::Record(_)) => {
                match graph
                    .objects_for_subject_predicate(b, dct::IDENTIFIER)
                    .find_map(|o| match o {
                        TermRef::Literal(l) => Some(l.value().to_owned()),
                        _ => None,
                    }) {
                    Some(id) => format!("_:id:{id}"),
                    None => format!("_:hash:{hash}"),
                }
            }
            _ => format!("_:hash:{hash}"),
        };
        let mut catalogs = root.and_then(|r| membership.remove(&r)).unwrap_or_default();
        catalogs.sort_by(|a, b| a.to_string().cmp(&b.to_string()));
        catalogs.dedup();
        out.push(Unit {
            kind,
            root: root.map(NamedOrBlankNodeRef::into_owned),
            key,
            triples,
            catalogs,
            hash,
        });
    }
    out.sort_by(|a, b| {
        order(a.kind)
            .cmp(&order(b.kind))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(out)
}

/// Catalogues first (so membership can refer to them), then records, then resources.
fn order(kind: UnitKind) -> u8 {
    match kind {
        UnitKind::Catalog => 0,
        UnitKind::Record(_) => 1,
        UnitKind::Resource => 2,
    }
}

fn is_membership(t: TripleRef<'_>, records: &HashSet<NamedOrBlankNodeRef<'_>>) -> bool {
    (t.predicate == dcat::DATASET_PROP || t.predicate == dcat::SERVICE)
        && as_node(t.object).is_some_and(|o| records.contains(&o))
}

fn as_node(t: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match t {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

trait ObjectsForSubject {
    fn objects_for_subject<'a>(
        &'a self,
        s: NamedOrBlankNodeRef<'a>,
    ) -> impl Iterator<Item = TermRef<'a>>;
}

impl ObjectsForSubject for Graph {
    fn objects_for_subject<'a>(
        &'a self,
        s: NamedOrBlankNodeRef<'a>,
    ) -> impl Iterator<Item = TermRef<'a>> {
        self.triples_for_subject(s).map(|t| t.object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::parse::{ParseOptions, parse_document};

    fn units(ttl: &str) -> Vec<Unit> {
        let doc = parse_document(
            ttl.as_bytes(),
            Format::Turtle,
            "t.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        split(&doc.graph).unwrap()
    }

    const PREFIXES: &str =
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix ex: <http://ex.org/> .\n";

    #[test]
    fn datasets_own_their_distributions_and_share_their_publisher() {
        let u = units(&format!("{PREFIXES}
            ex:cat a dcat:Catalog ; dct:title \"C\" ; dcat:dataset ex:d1, ex:d2 ; dct:publisher ex:pub .
            ex:d1 a dcat:Dataset ; dct:publisher ex:pub ; dcat:distribution ex:dist1 ; dcat:contactPoint [ dct:title \"cp\" ] .
            ex:dist1 a dcat:Distribution ; dcat:accessURL <http://x> .
            ex:d2 a dcat:Dataset ; dct:publisher ex:pub ; dcat:distribution [ dcat:accessURL <http://y> ] .
            ex:pub a foaf:Agent ; foaf:name \"P\" ."));
        let kinds: Vec<(&str, &str)> = u
            .iter()
            .map(|u| (u.kind.as_str(), u.key.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("catalog", "http://ex.org/cat"),
                ("dataset", "http://ex.org/d1"),
                ("dataset", "http://ex.org/d2"),
                ("resource", "http://ex.org/pub")
            ]
        );
        assert_eq!(
            u[1].triples.len(),
            3 + 2 + 1 + 1,
            "d1 owns dist1 and its contact point"
        );
        assert_eq!(
            u[0].triples.len(),
            3,
            "membership is not stored in the catalogue graph"
        );
        assert_eq!(u[1].catalogs.len(), 1);
        let total: usize = u.iter().map(|u| u.triples.len()).sum();
        assert_eq!(
            total + 2,
            18,
            "every triple lands somewhere (plus 2 membership triples)"
        );
    }

    #[test]
    fn an_iri_reached_by_two_records_is_shared_and_stored_once() {
        let u = units(&format!(
            "{PREFIXES}
            ex:d1 a dcat:Dataset ; dct:temporal ex:period .
            ex:d2 a dcat:Dataset ; dct:temporal ex:period .
            ex:period dcat:startDate \"2020\" ; dct:source ex:note . ex:note dct:title \"n\" ."
        ));
        let keys: Vec<&str> = u.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "http://ex.org/d1",
                "http://ex.org/d2",
                "http://ex.org/period"
            ]
        );
        assert_eq!(
            u[2].triples.len(),
            3,
            "the shared period keeps what it owns"
        );
    }

    #[test]
    fn unreachable_subjects_are_kept() {
        let u = units(&format!(
            "{PREFIXES}
            ex:d1 a dcat:Dataset . ex:lonely dct:title \"x\" . [] dct:title \"orphan\" ."
        ));
        assert_eq!(u.len(), 3);
        assert!(
            u.iter()
                .any(|u| u.key == "http://ex.org/lonely" && u.kind == UnitKind::Resource)
        );
        assert!(
            u.iter()
                .any(|u| u.key.starts_with("_:hash:") && u.root.is_none())
        );
    }

    #[test]
    fn blank_node_records_are_keyed_by_identifier() {
        let u = units(&format!(
            "{PREFIXES} [] a dcat:Dataset ; dct:identifier \"ID-1\" . [] a dcat:Dataset ; dct:title \"t\" ."
        ));
        let keys: Vec<&str> = u.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(keys[0], "_:hash:".to_owned() + &u[0].hash);
        assert_eq!(keys[1], "_:id:ID-1");
    }
}
