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
use crate::doc::{DocGraph, TermId};
use healthcat_model::RecordKind;
use healthcat_model::vocab::{authority, dcat, dct, eli, foaf, org, rdf, skos};
use oxrdf::{NamedNodeRef, NamedOrBlankNode, TermRef, TripleRef};
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

/// One unit to be stored in its own named graph. Its triples are ids into the [`DocGraph`] it was
/// split from; read them with [`Unit::triples`].
#[derive(Debug, Clone)]
pub struct Unit {
    /// What it is.
    pub kind: UnitKind,
    /// The node the unit describes (`None` for the orphans unit).
    pub root: Option<NamedOrBlankNode>,
    /// The unit's identity: the root IRI, or for blank-node roots a key derived from the content
    /// (`_:id:<dct:identifier>` for records that have one, else `_:hash:<content hash>`).
    pub key: String,
    /// Its triples, as ids into the document.
    pub triple_ids: Vec<[TermId; 3]>,
    /// For records: the catalogues of the same input that list it (`dcat:dataset`, `dcat:service`).
    pub catalogs: Vec<NamedOrBlankNode>,
    /// SHA-256 of the canonical form of its triples (RDFC-1.0).
    pub hash: String,
    /// For records: the latest validation summary (JSON), set by the caller after validating;
    /// stored in the bookkeeping. `None` when the import does not validate.
    pub validation: Option<String>,
    /// For records: the quality assessment as kept (JSON), set by the caller; stored in the
    /// bookkeeping. `None` when the write does not assess.
    pub quality: Option<String>,
    /// Where this unit was read from, when it differs from the document's source origin (a
    /// crawl that gathers several documents into one); set by the caller.
    pub origin: Option<String>,
}

impl Unit {
    /// Whether this unit is a record.
    pub fn is_record(&self) -> bool {
        matches!(self.kind, UnitKind::Record(_))
    }

    /// The unit's triples, read from the document it was split from.
    pub fn triples<'d>(&'d self, doc: &'d DocGraph) -> impl Iterator<Item = TripleRef<'d>> + 'd {
        self.triple_ids.iter().map(|t| doc.triple(*t))
    }

    /// How the unit is named in messages: `<iri>`, or its key for blank nodes.
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

/// Splits `doc` into units, sorted by kind then key (so the result does not depend on parse order).
pub fn split(doc: &DocGraph) -> Result<Vec<Unit>, HashError> {
    split_marking(doc).map(|(units, _)| units)
}

/// [`split`], and the nodes that became shared resources because nothing in `doc` reaches them
/// (the streamed import keeps them until a later part of the file may reach them).
pub(crate) fn split_marking(doc: &DocGraph) -> Result<(Vec<Unit>, HashSet<TermId>), HashError> {
    let mut unreached_roots = HashSet::new();
    let id = |n: NamedNodeRef<'_>| doc.id_of(n.into_owned());
    let rdf_type = id(rdf::TYPE);
    let catalog_class = id(dcat::CATALOG);
    let record_classes: Vec<(TermId, RecordKind)> = RecordKind::ALL
        .into_iter()
        .filter_map(|k| id(k.class()).map(|c| (c, k)))
        .collect();
    let shared_classes: HashSet<TermId> = SHARED_CLASSES.iter().filter_map(|c| id(*c)).collect();
    // Membership is derived back on export from the record's kind (`dcat:service` for a data
    // service, `dcat:dataset` otherwise): only links in that form are taken as membership; any
    // other stays in the catalogue's graph as written, so nothing is lost or changed.
    let dataset_prop = id(dcat::DATASET_PROP);
    let service_prop = id(dcat::SERVICE);
    let membership_link = |p: TermId, kind: Option<&UnitKind>| match kind {
        Some(UnitKind::Record(RecordKind::DataService)) => Some(p) == service_prop,
        Some(UnitKind::Record(_)) => Some(p) == dataset_prop,
        _ => false,
    };
    let is_iri = |n: TermId| matches!(doc.term(n), TermRef::NamedNode(_));

    // Owners by kind. A catalogue is also a dataset in DCAT 3; the catalogue role wins; among
    // record classes the most specific wins (RecordKind::ALL order).
    let mut kind_of: HashMap<TermId, UnitKind> = HashMap::new();
    for &s in doc.subjects() {
        let types: Vec<TermId> = doc
            .triples_of(s)
            .iter()
            .filter(|t| Some(t[1]) == rdf_type)
            .map(|t| t[2])
            .collect();
        let kind = if catalog_class.is_some_and(|c| types.contains(&c)) {
            Some(UnitKind::Catalog)
        } else if let Some((_, k)) = record_classes.iter().find(|(c, _)| types.contains(c)) {
            Some(UnitKind::Record(*k))
        } else if let TermRef::NamedNode(n) = doc.term(s) {
            let shared = types.iter().any(|t| shared_classes.contains(t))
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

    // Who points to each subject (for promotion decisions).
    let mut parents: HashMap<TermId, Vec<TermId>> = HashMap::new();
    for t in doc.triple_ids() {
        if t[2] != t[0] && doc.is_subject(t[2]) {
            let list = parents.entry(t[2]).or_default();
            if list.last() != Some(&t[0]) {
                list.push(t[0]);
            }
        }
    }

    // Assign every other subject to the owners that reach it, promoting IRIs reached by several
    // owners (or by none) to shared resources until the assignment is stable.
    let mut reach: HashMap<TermId, Vec<usize>>;
    let mut owners: Vec<TermId>;
    loop {
        owners = doc
            .subjects()
            .iter()
            .copied()
            .filter(|s| kind_of.contains_key(s))
            .collect();
        reach = HashMap::new();
        let mut seen: HashSet<TermId> = HashSet::new();
        let mut queue = VecDeque::new();
        for (i, &owner) in owners.iter().enumerate() {
            seen.clear();
            queue.push_back(owner);
            while let Some(node) = queue.pop_front() {
                for t in doc.triples_of(node) {
                    let o = t[2];
                    if !doc.is_subject(o) || kind_of.contains_key(&o) || !seen.insert(o) {
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
        let unreached = |n: TermId| !kind_of.contains_key(&n) && !reach.contains_key(&n);
        let parents_of = |n: TermId| parents.get(&n).map_or(&[][..], Vec::as_slice);
        let mut to_promote: Vec<TermId> = doc
            .subjects()
            .iter()
            .copied()
            .filter(|&n| !kind_of.contains_key(&n) && is_iri(n))
            .filter(|&n| match reach.get(&n) {
                // A blank parent cannot be promoted itself (it is copied into each unit that
                // reaches it): an IRI below it is, or it would be copied too.
                Some(r) if r.len() > 1 => parents_of(n)
                    .iter()
                    .any(|&p| kind_of.contains_key(&p) || reach.get(&p) != Some(r) || !is_iri(p)),
                Some(_) => false,
                None => !parents_of(n).iter().any(|&p| unreached(p)),
            })
            .collect();
        if to_promote.is_empty() {
            // Only unreached IRIs on entry-less cycles (or below them) are left: take them all.
            to_promote = doc
                .subjects()
                .iter()
                .copied()
                .filter(|&n| is_iri(n) && unreached(n))
                .collect();
        }
        if to_promote.is_empty() {
            break;
        }
        for n in to_promote {
            if !reach.contains_key(&n) {
                unreached_roots.insert(n);
            }
            kind_of.insert(n, UnitKind::Resource);
        }
    }

    // Gather each owner's triples.
    let mut owned: Vec<Vec<TermId>> = owners.iter().map(|o| vec![*o]).collect();
    let mut orphans: Vec<TermId> = Vec::new();
    for &s in doc.subjects() {
        if kind_of.contains_key(&s) {
            continue;
        }
        match reach.get(&s) {
            Some(list) => list.iter().for_each(|&i| owned[i].push(s)),
            None => orphans.push(s),
        }
    }
    let mut membership: HashMap<TermId, Vec<TermId>> = HashMap::new();
    let mut units: Vec<(UnitKind, Option<TermId>, Vec<[TermId; 3]>)> =
        Vec::with_capacity(owners.len() + 1);
    for (i, &owner) in owners.iter().enumerate() {
        let kind = kind_of[&owner];
        let mut triples = Vec::new();
        for &node in &owned[i] {
            for t in doc.triples_of(node) {
                let is_membership = kind == UnitKind::Catalog
                    && node == owner
                    && membership_link(t[1], kind_of.get(&t[2]));
                if is_membership {
                    membership.entry(t[2]).or_default().push(owner);
                } else {
                    triples.push(*t);
                }
            }
        }
        units.push((kind, Some(owner), triples));
    }
    if !orphans.is_empty() {
        let triples = orphans
            .iter()
            .flat_map(|&n| doc.triples_of(n).iter().copied())
            .collect();
        units.push((UnitKind::Resource, None, triples));
    }

    let node = |n: TermId| match doc.term(n) {
        TermRef::NamedNode(n) => Some(NamedOrBlankNode::from(n.into_owned())),
        TermRef::BlankNode(b) => Some(NamedOrBlankNode::from(b.into_owned())),
        TermRef::Literal(_) => None,
    };
    let identifier = id(dct::IDENTIFIER);
    let mut out = Vec::with_capacity(units.len());
    for (kind, root, triples) in units {
        let hash = canonical_hash(triples.iter().map(|t| doc.triple(*t)))?;
        let key = match root.map(|r| (r, doc.term(r))) {
            Some((_, TermRef::NamedNode(n))) => n.as_str().to_owned(),
            Some((r, _)) if matches!(kind, UnitKind::Record(_)) => {
                let ident = doc.triples_of(r).iter().find_map(|t| match doc.term(t[2]) {
                    TermRef::Literal(l) if Some(t[1]) == identifier => Some(l.value().to_owned()),
                    _ => None,
                });
                match ident {
                    Some(value) => format!("_:id:{value}"),
                    None => format!("_:hash:{hash}"),
                }
            }
            _ => format!("_:hash:{hash}"),
        };
        let mut catalogs: Vec<NamedOrBlankNode> = root
            .and_then(|r| membership.remove(&r))
            .unwrap_or_default()
            .into_iter()
            .filter_map(node)
            .collect();
        catalogs.sort_by_key(ToString::to_string);
        catalogs.dedup();
        out.push(Unit {
            validation: None,
            quality: None,
            origin: None,
            kind,
            root: root.and_then(node),
            key,
            triple_ids: triples,
            catalogs,
            hash,
        });
    }
    out.sort_by(|a, b| {
        order(a.kind)
            .cmp(&order(b.kind))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok((out, unreached_roots))
}

/// Catalogues first (so membership can refer to them), then records, then resources.
fn order(kind: UnitKind) -> u8 {
    match kind {
        UnitKind::Catalog => 0,
        UnitKind::Record(_) => 1,
        UnitKind::Resource => 2,
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
            u[1].triple_ids.len(),
            3 + 2 + 1 + 1,
            "d1 owns dist1 and its contact point"
        );
        assert_eq!(
            u[0].triple_ids.len(),
            3,
            "membership is not stored in the catalogue graph"
        );
        assert_eq!(u[1].catalogs.len(), 1);
        let total: usize = u.iter().map(|u| u.triple_ids.len()).sum();
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
            u[2].triple_ids.len(),
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
