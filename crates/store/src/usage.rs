//! Usage counters kept per day (the usage statistics' storage; what is counted and when is
//! `healthcat-usage`'s business): for each day and *scope* (`catalogue`, `dataset:{id}`,
//! `publisher:{iri}`), one set of named counters, in an internal graph that the SPARQL endpoint
//! and the exports never show. Adding to a cell reads and rewrites it in one transaction, so a
//! cell is one quad whatever the traffic: the disk grows with days × scopes that saw use, never
//! with the number of requests.
//!
//! On a remote store several servers add to the same cells, and a read-then-rewrite by one can
//! land between the other's read and rewrite (SPARQL has no compare-and-set): one server's
//! counts would be lost. So there each server process keeps its own counters in every cell it
//! adds to (under a predicate carrying its random name, [`crate::remote`]), rewritten by it
//! alone, and a read adds up every server's. A cell is then one quad per server process that
//! counted that day.
//!
//! Also here, because only the store can read them: a record's publisher (for the publisher
//! scope) and the creations and withdrawals of a period (from the revisions, kept for ever).

use crate::Store;
use crate::error::StoreError;
use crate::revisions::REVISIONS_GRAPH;
use healthcat_model::LocalId;
use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term,
};
use std::collections::BTreeMap;

/// The graph of the counters.
const USAGE_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:usage");
const DAY: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#usageDay");
const SCOPE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#usageScope");
const COUNTS: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#usageCounts");

/// Named counters (`views`, `download.ttl`…).
pub type Counters = BTreeMap<String, u64>;

/// One day's counters of one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageCell {
    /// The day (`2026-12-05`, UTC).
    pub day: String,
    /// What was used: `catalogue`, `dataset:{local id}`, `publisher:{iri}`.
    pub scope: String,
    /// The counters.
    pub counts: Counters,
}

/// A record's creation or withdrawal (see [`Store::lifecycle`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifeEvent {
    /// The record's local id.
    pub local_id: String,
    /// When (RFC 3339).
    pub time: String,
    /// `true` for a withdrawal, `false` for a creation.
    pub withdrawn: bool,
    /// Its publisher's IRI: as it is now, or as it was when withdrawn.
    pub publisher: Option<String>,
}

/// The subject of a cell: the day and the scope, percent-encoded to stay a valid IRI.
fn cell(day: &str, scope: &str) -> NamedNode {
    let mut s = format!("urn:healthcat:usage:{day}:");
    for b in scope.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    NamedNode::new_unchecked(s)
}

fn graph() -> GraphName {
    GraphName::NamedNode(USAGE_GRAPH.into_owned())
}

fn literal_of(
    q: Option<Result<Quad, oxigraph::store::StorageError>>,
) -> Result<Option<String>, StoreError> {
    Ok(q.transpose()?.and_then(|q| match q.object {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }))
}

fn parse_counts(subject: &str, json: &str) -> Result<Counters, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        graph: subject.to_owned(),
        problem: format!("unreadable usage counters: {e}"),
    })
}

impl Store {
    /// Adds `cells` to what the same days and scopes already count (saturating), in one
    /// transaction.
    pub fn add_usage(&self, cells: &[UsageCell]) -> Result<(), StoreError> {
        if cells.is_empty() {
            return Ok(());
        }
        let own = self.own_counts();
        let _turn = self.write_turn();
        let mut tx = self.db.start_transaction()?;
        for c in cells {
            let s = cell(&c.day, &c.scope);
            let old = tx
                .quads_for_pattern(
                    Some(s.as_ref().into()),
                    Some(own.as_ref()),
                    None,
                    Some(USAGE_GRAPH.into()),
                )
                .next()
                .transpose()?;
            let mut counts = match &old {
                Some(q) => match &q.object {
                    Term::Literal(l) => parse_counts(s.as_str(), l.value())?,
                    _ => Counters::new(),
                },
                None => {
                    tx.insert(&Quad::new(
                        s.clone(),
                        DAY,
                        Literal::new_simple_literal(&c.day),
                        graph(),
                    ));
                    tx.insert(&Quad::new(
                        s.clone(),
                        SCOPE,
                        Literal::new_simple_literal(&c.scope),
                        graph(),
                    ));
                    Counters::new()
                }
            };
            if let Some(q) = &old {
                tx.remove(q);
            }
            for (k, v) in &c.counts {
                let slot = counts.entry(k.clone()).or_default();
                *slot = slot.saturating_add(*v);
            }
            let json = serde_json::to_string(&counts).expect("a map of numbers serialises");
            tx.insert(&Quad::new(
                s,
                own.clone(),
                Literal::new_simple_literal(json),
                graph(),
            ));
        }
        tx.commit()?;
        Ok(())
    }

    /// The predicate of this process's counters: [`COUNTS`] on the embedded store (one process
    /// writes it), [`COUNTS`]`-{name}` on a remote one (see the module's doc).
    fn own_counts(&self) -> NamedNode {
        match &self.db {
            crate::engine::Engine::Embedded(_) => COUNTS.into_owned(),
            crate::engine::Engine::Remote(r) => {
                NamedNode::new_unchecked(format!("{}-{}", COUNTS.as_str(), r.writer()))
            }
        }
    }

    /// Cell `s` in one read: its scope, and every server's counters added up (`None` when none
    /// counted there).
    fn read_cell(
        &self,
        s: NamedOrBlankNodeRef<'_>,
    ) -> Result<(Option<String>, Option<Counters>), StoreError> {
        let (mut scope, mut total) = (None, None::<Counters>);
        for q in self
            .db
            .quads_for_pattern(Some(s), None, None, Some(USAGE_GRAPH.into()))
        {
            let q = q?;
            let Term::Literal(l) = &q.object else {
                continue;
            };
            let p = q.predicate.as_str();
            if p == SCOPE.as_str() {
                scope = Some(l.value().to_owned());
            } else if p == COUNTS.as_str()
                || p.strip_prefix(COUNTS.as_str())
                    .is_some_and(|rest| rest.starts_with('-'))
            {
                let total = total.get_or_insert_with(Counters::new);
                for (k, v) in parse_counts(&s.to_string(), l.value())? {
                    let slot = total.entry(k).or_default();
                    *slot = slot.saturating_add(v);
                }
            }
        }
        Ok((scope, total))
    }

    /// The counters of `scope` on each of `days` that has any, in the order given.
    pub fn usage(
        &self,
        scope: &str,
        days: &[String],
    ) -> Result<Vec<(String, Counters)>, StoreError> {
        let mut out = Vec::new();
        for day in days {
            if let (_, Some(counts)) = self.read_cell(cell(day, scope).as_ref().into())? {
                out.push((day.clone(), counts));
            }
        }
        Ok(out)
    }

    /// Every cell of `day`, all scopes (in no particular order).
    pub fn usage_of_day(&self, day: &str) -> Result<Vec<UsageCell>, StoreError> {
        let mut out = Vec::new();
        for q in self.db.quads_for_pattern(
            None,
            Some(DAY),
            Some(Literal::new_simple_literal(day).as_ref().into()),
            Some(USAGE_GRAPH.into()),
        ) {
            if let (Some(scope), Some(counts)) = self.read_cell(q?.subject.as_ref())? {
                out.push(UsageCell {
                    day: day.to_owned(),
                    scope,
                    counts,
                });
            }
        }
        Ok(out)
    }

    /// Removes every cell of a day before `day`; returns how many cells went.
    pub fn forget_usage_before(&self, day: &str) -> Result<u64, StoreError> {
        let old: Vec<String> = {
            let mut days = std::collections::BTreeSet::new();
            for q in self
                .db
                .quads_for_pattern(None, Some(DAY), None, Some(USAGE_GRAPH.into()))
            {
                if let Term::Literal(l) = q?.object
                    && l.value() < day
                {
                    days.insert(l.value().to_owned());
                }
            }
            days.into_iter().collect()
        };
        let mut gone = 0;
        for d in old {
            let _turn = self.write_turn();
            let mut tx = self.db.start_transaction()?;
            let subjects: Vec<_> = tx
                .quads_for_pattern(
                    None,
                    Some(DAY),
                    Some(Literal::new_simple_literal(&d).as_ref().into()),
                    Some(USAGE_GRAPH.into()),
                )
                .map(|q| q.map(|q| q.subject))
                .collect::<Result<_, _>>()?;
            for s in subjects {
                let quads: Vec<Quad> = tx
                    .quads_for_pattern(Some(s.as_ref()), None, None, Some(USAGE_GRAPH.into()))
                    .collect::<Result<_, _>>()?;
                for q in &quads {
                    tx.remove(q);
                }
                gone += 1;
            }
            tx.commit()?;
        }
        Ok(gone)
    }

    /// The IRI of the first publisher record `id` names by IRI (`None`: no such record, or none).
    pub fn publisher_of(&self, id: &LocalId) -> Result<Option<String>, StoreError> {
        let Some(graph) = self.graph_for_local_id(id)? else {
            return Ok(None);
        };
        let Some(meta) = self.meta(&graph)? else {
            return Ok(None);
        };
        let Some(root) = meta.root else {
            return Ok(None);
        };
        for q in self.db.quads_for_pattern(
            Some(root.as_ref()),
            Some(healthcat_model::vocab::dct::PUBLISHER),
            None,
            Some(graph.as_ref().into()),
        ) {
            if let Term::NamedNode(n) = q?.object {
                return Ok(Some(n.into_string()));
            }
        }
        Ok(None)
    }

    /// The records created or withdrawn between `from` (included) and `to` (excluded), RFC 3339
    /// times compared as text, oldest first, read from the revisions (which are never removed).
    pub fn lifecycle(&self, from: &str, to: &str) -> Result<Vec<LifeEvent>, StoreError> {
        use crate::revisions::Change;
        let revisions = self.revision_changes()?;
        // The lines each record's latest withdrawal removed: where the publisher of a record
        // gone since is read.
        let mut withdrawals: std::collections::HashMap<&str, (&str, &str)> =
            std::collections::HashMap::new();
        for (graph, time, _, removed) in &revisions {
            if let Some(removed) = removed {
                let latest = withdrawals.entry(graph).or_insert((time, removed));
                if time.as_str() > latest.0 {
                    *latest = (time, removed);
                }
            }
        }
        let marker = format!("<{}> <", healthcat_model::vocab::dct::PUBLISHER.as_str());
        let publisher_in = |text: &str| {
            text.lines().find_map(|l| {
                let rest = &l[l.find(&marker)? + marker.len()..];
                Some(rest[..rest.find('>')?].to_owned())
            })
        };
        let mut out = Vec::new();
        for (graph, time, change, _) in &revisions {
            if time.as_str() < from || time.as_str() >= to || *change == Change::Changed {
                continue;
            }
            let Some(id) = graph.strip_prefix(crate::import::RECORD_GRAPH_PREFIX) else {
                continue;
            };
            let withdrawn = *change == Change::Withdrawn;
            let mut publisher = match LocalId::new(id.to_owned()) {
                Ok(local) if !withdrawn => self.publisher_of(&local)?,
                _ => None,
            };
            if publisher.is_none() {
                publisher = withdrawals
                    .get(graph.as_str())
                    .and_then(|(_, removed)| publisher_in(removed));
            }
            out.push(LifeEvent {
                local_id: id.to_owned(),
                time: time.clone(),
                withdrawn,
                publisher,
            });
        }
        out.sort_by(|a, b| a.time.cmp(&b.time).then(a.local_id.cmp(&b.local_id)));
        Ok(out)
    }

    /// (graph, time, change, removed lines of a withdrawal) of every revision.
    #[allow(clippy::type_complexity)]
    fn revision_changes(
        &self,
    ) -> Result<Vec<(String, String, crate::revisions::Change, Option<String>)>, StoreError> {
        use crate::revisions::rev;
        let (of, time, change, removed) = (rev::OF, rev::TIME, rev::CHANGE, rev::REMOVED);
        let mut out = Vec::new();
        for q in self
            .db
            .quads_for_pattern(None, Some(change), None, Some(REVISIONS_GRAPH.into()))
        {
            let q = q?;
            let Term::Literal(kind) = &q.object else {
                continue;
            };
            let Some(kind) = crate::revisions::Change::parse(kind.value()) else {
                continue;
            };
            let s = q.subject.as_ref();
            let first = |p: NamedNodeRef<'_>| {
                self.db
                    .quads_for_pattern(Some(s), Some(p), None, Some(REVISIONS_GRAPH.into()))
                    .next()
                    .transpose()
            };
            let (Some(g), Some(t)) = (first(of)?, first(time)?) else {
                continue;
            };
            let (Term::NamedNode(g), Term::Literal(t)) = (g.object, t.object) else {
                continue;
            };
            let removed = if kind == crate::revisions::Change::Withdrawn {
                literal_of(first(removed).transpose())?
            } else {
                None
            };
            out.push((g.into_string(), t.value().to_owned(), kind, removed));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, ParseOptions, Source, parse_document, split};

    fn cellv(day: &str, scope: &str, counts: &[(&str, u64)]) -> UsageCell {
        UsageCell {
            day: day.into(),
            scope: scope.into(),
            counts: counts.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        }
    }

    #[test]
    fn cells_add_up_stay_one_per_day_and_scope_and_go_when_old() {
        let store = Store::in_memory().unwrap();
        let publisher = "publisher:https://example.org/org?a=1&b";
        store
            .add_usage(&[
                cellv("2026-12-04", "dataset:a", &[("views", 2)]),
                cellv("2026-12-04", publisher, &[("views", 2)]),
            ])
            .unwrap();
        store
            .add_usage(&[cellv(
                "2026-12-04",
                "dataset:a",
                &[("views", 3), ("download.ttl", 1)],
            )])
            .unwrap();
        store
            .add_usage(&[cellv("2026-12-05", "dataset:a", &[("views", u64::MAX)])])
            .unwrap();
        store
            .add_usage(&[cellv("2026-12-05", "dataset:a", &[("views", 1)])])
            .unwrap();
        let days = [
            "2026-12-03".to_owned(),
            "2026-12-04".to_owned(),
            "2026-12-05".to_owned(),
        ];
        let got = store.usage("dataset:a", &days).unwrap();
        assert_eq!(got.len(), 2, "no cell for a day without use: {got:?}");
        assert_eq!(got[0].1["views"], 5);
        assert_eq!(got[0].1["download.ttl"], 1);
        assert_eq!(got[1].1["views"], u64::MAX, "saturates, never wraps");
        assert_eq!(store.usage(publisher, &days).unwrap()[0].1["views"], 2);
        let mut day = store.usage_of_day("2026-12-04").unwrap();
        day.sort_by(|a, b| a.scope.cmp(&b.scope));
        assert_eq!(day.len(), 2);
        assert_eq!(day[1].scope, publisher);
        // One quad of counters per cell, whatever was added.
        let quads = store
            .db
            .quads_for_pattern(None, Some(COUNTS), None, Some(USAGE_GRAPH.into()))
            .count();
        assert_eq!(quads, 3);
        assert_eq!(store.forget_usage_before("2026-12-05").unwrap(), 2);
        assert!(store.usage_of_day("2026-12-04").unwrap().is_empty());
        assert_eq!(store.usage("dataset:a", &days).unwrap().len(), 1);
    }

    #[test]
    fn creations_and_withdrawals_of_a_period_with_their_publisher() {
        let store = Store::in_memory().unwrap();
        let ttl = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <https://ex.org/a> a dcat:Dataset ; dct:title "A"@en ; dct:publisher <https://ex.org/org1> .
            <https://ex.org/b> a dcat:Dataset ; dct:title "B"@en ; dct:publisher <https://ex.org/org2> ."#;
        let doc = parse_document(
            ttl.as_bytes(),
            Format::Turtle,
            "t.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        let units = split(&doc.graph).unwrap();
        let report = store
            .import_units(&doc.graph, &units, &Source::local_file("t.ttl"))
            .unwrap();
        let b = report
            .records
            .iter()
            .find(|r| r.key.ends_with("/b"))
            .unwrap()
            .id
            .clone();
        let b = LocalId::new(b).unwrap();
        store.withdraw(&b, &Source::local_file("t.ttl")).unwrap();
        let all = store.lifecycle("2000-01-01", "9999-01-01").unwrap();
        let created: Vec<_> = all.iter().filter(|e| !e.withdrawn).collect();
        let withdrawn: Vec<_> = all.iter().filter(|e| e.withdrawn).collect();
        assert_eq!(created.len(), 2);
        assert_eq!(withdrawn.len(), 1);
        assert_eq!(withdrawn[0].local_id, b.as_str());
        assert_eq!(
            withdrawn[0].publisher.as_deref(),
            Some("https://ex.org/org2")
        );
        let b_created = created.iter().find(|e| e.local_id == b.as_str()).unwrap();
        assert_eq!(
            b_created.publisher.as_deref(),
            Some("https://ex.org/org2"),
            "from its withdrawal"
        );
        assert!(
            store
                .lifecycle("9000-01-01", "9999-01-01")
                .unwrap()
                .is_empty()
        );
    }
}
