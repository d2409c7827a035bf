//! Per-unit bookkeeping, kept in the store itself so that it changes in the same transaction as the
//! data it describes.
//!
//! Every unit graph `G` has, in the graph [`META_GRAPH`], triples with subject `G`:
//! `hc:kind`, `hc:key`, `hc:root`, `hc:source`, `hc:origin`, `hc:firstSeen`, `hc:modified`,
//! `hc:hash`, `hc:run` (harvested versions), and for records `hc:localId` and one `hc:inCatalog` per catalogue listing it.
//! The meta graph is never exported.

use crate::error::StoreError;
use crate::split::UnitKind;
use healthcat_model::LocalId;
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};

/// The named graph holding the bookkeeping.
pub const META_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:meta");

/// The named graph holding each unit's N-Triples snapshot (see [`snapshot_quad`]).
pub const SNAPSHOT_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("urn:healthcat:snapshots");

/// The bookkeeping vocabulary (internal; not part of any export).
pub mod hc {
    use oxigraph::model::NamedNodeRef;
    /// Unit kind (`dataset`, `service`, `series`, `catalog`, `resource`).
    pub const KIND: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#kind");
    /// Identity key (root IRI or content-derived key).
    pub const KEY: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#key");
    /// The described node.
    pub const ROOT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#root");
    /// Local record id.
    pub const LOCAL_ID: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#localId");
    /// Source id (`local`, a harvest source name, a push client).
    pub const SOURCE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#source");
    /// Where the current version came from (file path, URL).
    pub const ORIGIN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#origin");
    /// First import time.
    pub const FIRST_SEEN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#firstSeen");
    /// Last change time.
    pub const MODIFIED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#modified");
    /// The harvest run that brought the current version.
    pub const RUN: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#run");
    /// Content hash (hex SHA-256 of RDFC-1.0 canonical N-Quads).
    pub const HASH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#hash");
    /// The unit's N-Triples snapshot (in [`super::SNAPSHOT_GRAPH`]).
    pub const SNAPSHOT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#snapshot");
    /// The record's latest validation summary (JSON text).
    pub const VALIDATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#validation");
    /// The record's latest quality assessment, as kept (JSON text, `healthcat_quality::Kept`).
    pub const QUALITY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#quality");
    /// The record's last "still accurate" confirmation: `{time} {who}` (annual review).
    pub const CONFIRMED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#confirmed");
    /// A catalogue listing this record.
    pub const IN_CATALOG: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#inCatalog");
}

/// Where a unit came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The source id: `local` for files imported by hand, else a harvest source or push client.
    /// Shared resources are kept per source id, so two sources never overwrite each other's
    /// description of the same agent.
    pub id: String,
    /// The concrete origin of this version (`file:/path/x.ttl`, a URL…).
    pub origin: String,
    /// The harvest run (or other batch) that brought this version, when there is one.
    pub run: Option<String>,
    /// Why, in the author's words (the editor's comment field, `?comment=` on the write API);
    /// kept with the revision.
    pub comment: Option<String>,
}

impl Source {
    /// A file imported by hand.
    pub fn local_file(path: &str) -> Self {
        Self {
            id: "local".to_owned(),
            origin: format!("file:{path}"),
            run: None,
            comment: None,
        }
    }
}

/// The bookkeeping of one stored unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMeta {
    /// The unit's named graph.
    pub graph: NamedNode,
    /// What it is.
    pub kind: UnitKind,
    /// Its identity key.
    pub key: String,
    /// The described node (`None` for an orphans unit).
    pub root: Option<NamedOrBlankNode>,
    /// Records only: the local id.
    pub local_id: Option<LocalId>,
    /// Source id.
    pub source: String,
    /// Origin of the current version.
    pub origin: String,
    /// The harvest run that brought the current version, if any.
    pub run: Option<String>,
    /// First seen (RFC 3339).
    pub first_seen: String,
    /// Last modified (RFC 3339).
    pub modified: String,
    /// Content hash.
    pub hash: String,
    /// Records only: catalogues listing it.
    pub catalogs: Vec<NamedOrBlankNode>,
    /// Records only: the latest validation summary (JSON), if the import validated.
    pub validation: Option<String>,
    /// Records only: the latest quality assessment as kept (JSON), if the write assessed it.
    pub quality: Option<String>,
    /// Records only: when and by whom its current content was last confirmed as still accurate
    /// without a change (`Store::confirm`); a change of content drops it.
    pub confirmed: Option<Confirmation>,
}

/// A "still accurate" confirmation of a record (EHDS Art. 60(3): the annual review).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Confirmation {
    /// When (RFC 3339).
    pub time: String,
    /// Who (the key's or account's name).
    pub by: String,
}

impl Confirmation {
    fn text(&self) -> String {
        format!("{} {}", self.time, self.by)
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (time, by) = text.split_once(' ')?;
        Some(Self {
            time: time.to_owned(),
            by: by.to_owned(),
        })
    }
}

impl UnitMeta {
    /// The bookkeeping quads.
    pub(crate) fn to_quads(&self) -> Vec<Quad> {
        let g = GraphNameRef::NamedNode(META_GRAPH).into_owned();
        let s = NamedOrBlankNode::from(self.graph.clone());
        let q = |p: NamedNodeRef<'_>, o: Term| Quad::new(s.clone(), p.into_owned(), o, g.clone());
        let lit = |v: &str| Term::from(Literal::new_simple_literal(v));
        let mut quads = vec![
            q(hc::KIND, lit(self.kind.as_str())),
            q(hc::KEY, lit(&self.key)),
            q(hc::SOURCE, lit(&self.source)),
            q(hc::ORIGIN, lit(&self.origin)),
            q(hc::FIRST_SEEN, lit(&self.first_seen)),
            q(hc::MODIFIED, lit(&self.modified)),
            q(hc::HASH, lit(&self.hash)),
        ];
        if let Some(root) = &self.root {
            quads.push(q(hc::ROOT, root.clone().into()));
        }
        if let Some(r) = &self.run {
            quads.push(q(hc::RUN, lit(r)));
        }
        if let Some(v) = &self.validation {
            quads.push(q(hc::VALIDATION, lit(v)));
        }
        if let Some(v) = &self.quality {
            quads.push(q(hc::QUALITY, lit(v)));
        }
        if let Some(c) = &self.confirmed {
            quads.push(q(hc::CONFIRMED, lit(&c.text())));
        }
        if let Some(id) = &self.local_id {
            quads.push(q(hc::LOCAL_ID, lit(id.as_str())));
        }
        for c in &self.catalogs {
            quads.push(q(hc::IN_CATALOG, c.clone().into()));
        }
        quads
    }

    /// Reads the bookkeeping from the quads whose subject is `graph` (in any order).
    pub(crate) fn from_quads(
        graph: NamedNode,
        quads: impl IntoIterator<Item = Quad>,
    ) -> Result<Option<Self>, StoreError> {
        let mut kind = None;
        let (mut key, mut source, mut origin, mut first_seen, mut modified, mut hash) =
            (None, None, None, None, None, None);
        let (mut root, mut local_id, mut catalogs) = (None, None, Vec::new());
        let (mut validation, mut quality, mut run) = (None, None, None);
        let mut confirmed = None;
        let mut any = false;
        for quad in quads {
            any = true;
            let text = match &quad.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            };
            let p = quad.predicate.as_ref();
            if p == hc::KIND {
                kind = text.as_deref().and_then(UnitKind::parse);
            } else if p == hc::KEY {
                key = text;
            } else if p == hc::SOURCE {
                source = text;
            } else if p == hc::ORIGIN {
                origin = text;
            } else if p == hc::FIRST_SEEN {
                first_seen = text;
            } else if p == hc::MODIFIED {
                modified = text;
            } else if p == hc::HASH {
                hash = text;
            } else if p == hc::LOCAL_ID {
                local_id = text.and_then(|t| LocalId::new(t).ok());
            } else if p == hc::ROOT {
                root = node(quad.object);
            } else if p == hc::RUN {
                run = text;
            } else if p == hc::VALIDATION {
                validation = text;
            } else if p == hc::QUALITY {
                quality = text;
            } else if p == hc::CONFIRMED {
                confirmed = text.as_deref().and_then(Confirmation::parse);
            } else if p == hc::IN_CATALOG {
                catalogs.extend(node(quad.object));
            }
        }
        if !any {
            return Ok(None);
        }
        let corrupt = |what: &str| StoreError::Corrupt {
            graph: graph.as_str().to_owned(),
            problem: format!("missing or invalid {what}"),
        };
        let kind = kind.ok_or_else(|| corrupt("kind"))?;
        if matches!(kind, UnitKind::Record(_)) && local_id.is_none() {
            return Err(corrupt("local id"));
        }
        catalogs.sort_by_key(ToString::to_string);
        Ok(Some(Self {
            kind,
            key: key.ok_or_else(|| corrupt("key"))?,
            root,
            local_id,
            source: source.ok_or_else(|| corrupt("source"))?,
            origin: origin.unwrap_or_default(),
            run,
            first_seen: first_seen.ok_or_else(|| corrupt("first-seen time"))?,
            modified: modified.ok_or_else(|| corrupt("modified time"))?,
            hash: hash.ok_or_else(|| corrupt("hash"))?,
            catalogs,
            validation,
            quality,
            confirmed,
            graph,
        }))
    }
}

/// The unit's triples as N-Triples text, kept beside its graph and written in the same atomic step.
///
/// Reading a quad back from Oxigraph costs one RocksDB lookup per term (measured: 166k quads/s on
/// the 2-core reference machine, so 100k datasets would take ~50 s to export). With the snapshot,
/// an export reads one string per unit. The named graph stays the source of truth (SPARQL, views);
/// the snapshot is only ever written together with it, by `import` and `delete`.
pub(crate) fn snapshot_quad<'a>(
    graph: &NamedNode,
    triples: impl Iterator<Item = oxrdf::TripleRef<'a>>,
) -> Quad {
    use std::fmt::Write;
    let mut text = String::new();
    for t in triples {
        let _ = writeln!(text, "{t} .");
    }
    Quad::new(
        graph.clone(),
        hc::SNAPSHOT.into_owned(),
        Literal::new_simple_literal(text),
        GraphNameRef::NamedNode(SNAPSHOT_GRAPH).into_owned(),
    )
}

fn node(t: Term) -> Option<NamedOrBlankNode> {
    match t {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}
