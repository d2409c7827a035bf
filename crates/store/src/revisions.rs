//! Revision history of records: every change — import, harvest, push, edit, withdrawal — appends
//! a revision, written in the same atomic step as the change itself (the bulk load or the
//! transaction), in the internal graph [`REVISIONS_GRAPH`] (never exported, invisible to SPARQL).
//!
//! A revision says when, which source (`local`, a harvest source, `push:<provider>`), through
//! what (`file:…`, a page's URL, `api:<key name>`), the author's comment if any, and which N-Triples lines of the record were
//! added and removed. A creation stores no lines: the first version is the current snapshot with
//! every later revision undone, so a first import of 100,000 records costs seven small quads each,
//! not a second copy of the catalogue. A withdrawal keeps the lines it removed.

use crate::error::StoreError;
use crate::meta::Source;
use crate::store::Store;
use healthcat_model::LocalId;
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term};
use std::collections::BTreeSet;

/// The internal graph of revisions.
pub const REVISIONS_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("urn:healthcat:revisions");

pub(crate) mod rev {
    use oxigraph::model::NamedNodeRef;
    pub const OF: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#revisionOf");
    pub const TIME: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#time");
    pub const CHANGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#change");
    pub const SOURCE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#revisionSource");
    pub const ORIGIN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#revisionOrigin");
    pub const ADDED: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#added");
    pub const REMOVED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#removed");
    pub const COMMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("urn:healthcat:ns#comment");
}

/// What a revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// The record appeared.
    Created,
    /// Its content changed.
    Changed,
    /// It was withdrawn.
    Withdrawn,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Changed => "changed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "created" => Some(Self::Created),
            "changed" => Some(Self::Changed),
            "withdrawn" => Some(Self::Withdrawn),
            _ => None,
        }
    }
}

/// One revision of a record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    /// Its id (the time, unique per record).
    pub id: String,
    /// When (RFC 3339).
    pub time: String,
    /// What it did.
    pub change: Change,
    /// The source that made it.
    pub source: String,
    /// Through what (`file:…`, a page's URL, `api:<key name>`…).
    pub origin: String,
    /// N-Triples lines added (none for a creation).
    pub added: Vec<String>,
    /// N-Triples lines removed.
    pub removed: Vec<String>,
    /// Why, in the author's words, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn lines(text: &str) -> BTreeSet<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// The quads of a revision of `graph`, from the old and new snapshots (N-Triples text).
pub(crate) fn revision_quads(
    graph: &NamedNode,
    change: Change,
    source: &Source,
    now: &str,
    old: &str,
    new: &str,
) -> Vec<Quad> {
    let subject = NamedNode::new_unchecked(format!("{}/revision/{now}", graph.as_str()));
    let g = GraphNameRef::NamedNode(REVISIONS_GRAPH).into_owned();
    let q = |p: NamedNodeRef<'_>, o: Term| Quad::new(subject.clone(), p, o, g.clone());
    let lit = |v: &str| Term::from(Literal::new_simple_literal(v));
    let (old, new) = (lines(old), lines(new));
    let join = |set: Vec<&str>| set.join("\n");
    let mut quads = vec![
        q(rev::OF, graph.clone().into()),
        q(rev::TIME, lit(now)),
        q(rev::CHANGE, lit(change.as_str())),
        q(rev::SOURCE, lit(&source.id)),
        q(rev::ORIGIN, lit(&source.origin)),
    ];
    if let Some(c) = source.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        quads.push(q(rev::COMMENT, lit(c.trim())));
    }
    if change != Change::Created {
        quads.push(q(
            rev::ADDED,
            lit(&join(new.difference(&old).copied().collect())),
        ));
        quads.push(q(
            rev::REMOVED,
            lit(&join(old.difference(&new).copied().collect())),
        ));
    }
    quads
}

impl Store {
    /// The revisions of record `id`, newest first (none if it never existed).
    pub fn history(&self, id: &LocalId) -> Result<Vec<Revision>, StoreError> {
        // The graph is named by the id, so a withdrawn record's history is still found.
        self.history_of(&crate::import::record_graph(id))
    }

    pub(crate) fn history_of(&self, graph: &NamedNode) -> Result<Vec<Revision>, StoreError> {
        let mut out = Vec::new();
        let subjects: Vec<_> = self
            .db
            .quads_for_pattern(
                None,
                Some(rev::OF),
                Some(graph.as_ref().into()),
                Some(REVISIONS_GRAPH.into()),
            )
            .map(|q| q.map(|q| q.subject))
            .collect::<Result<_, _>>()?;
        for s in subjects {
            let mut r = Revision {
                id: String::new(),
                time: String::new(),
                change: Change::Changed,
                source: String::new(),
                origin: String::new(),
                added: Vec::new(),
                removed: Vec::new(),
                comment: None,
            };
            for q in self.db.quads_for_pattern(
                Some(s.as_ref()),
                None,
                None,
                Some(REVISIONS_GRAPH.into()),
            ) {
                let q = q?;
                let Term::Literal(l) = &q.object else {
                    continue;
                };
                let v = l.value();
                let p = q.predicate.as_ref();
                if p == rev::TIME {
                    r.time = v.to_owned();
                } else if p == rev::CHANGE {
                    r.change = Change::parse(v).unwrap_or(Change::Changed);
                } else if p == rev::SOURCE {
                    r.source = v.to_owned();
                } else if p == rev::ORIGIN {
                    r.origin = v.to_owned();
                } else if p == rev::ADDED {
                    r.added = v.lines().map(str::to_owned).collect();
                } else if p == rev::REMOVED {
                    r.removed = v.lines().map(str::to_owned).collect();
                } else if p == rev::COMMENT {
                    r.comment = Some(v.to_owned());
                }
            }
            r.id = r.time.clone();
            out.push(r);
        }
        out.sort_by(|a, b| b.time.cmp(&a.time));
        Ok(out)
    }

    /// Record `id` as it was right after revision `revision` (N-Triples text): the current
    /// version with every later revision undone. `None` if there is no such revision.
    pub fn version_at(&self, id: &LocalId, revision: &str) -> Result<Option<String>, StoreError> {
        let graph = crate::import::record_graph(id);
        let history = self.history_of(&graph)?;
        if !history.iter().any(|r| r.id == revision) {
            return Ok(None);
        }
        let current = self.snapshot(&graph)?.unwrap_or_default();
        let mut version: BTreeSet<String> =
            lines(&current).into_iter().map(str::to_owned).collect();
        for r in history.iter().take_while(|r| r.id != revision) {
            for l in &r.added {
                version.remove(l);
            }
            version.extend(r.removed.iter().cloned());
        }
        Ok(Some(version.into_iter().map(|l| l + "\n").collect()))
    }
}
