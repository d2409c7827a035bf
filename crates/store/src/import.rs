//! The write path: storing the units of one input document in one transaction.
//!
//! An input is stored whole or not at all: every unit of a document is written in a single Oxigraph
//! transaction, so a failure (disk full, a crash) leaves the store as it was before the import.
//! A unit whose content hash and membership are unchanged is not written at all, which makes
//! re-importing the same file a no-op and re-harvesting a source cost only what changed.

use crate::canon::hex;
use crate::codec;
use crate::doc::DocGraph;
use crate::engine::Transaction;
use crate::error::StoreError;
use crate::feed::{FeedEvent, event_quad, head_quad, set_head};
use crate::literals::ill_typed;
use crate::meta::{META_GRAPH, SNAPSHOT_GRAPH, Source, UnitMeta, hc, snapshot_quad};
use crate::revisions::{Change, revision_quads};
use crate::split::{Unit, UnitKind};
use crate::store::Store;
use healthcat_model::LocalId;
use healthcat_model::vocab::dct;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
    TermRef, TripleRef,
};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Memory the bulk loader may use for its sorted batches. Oxigraph's default (2 GB per thread)
/// made a 10k-dataset import peak at 810 MB and take 14 s; with 64 MB it peaks at 176 MB and takes
/// 6 s (smaller batches sort faster; measured with `healthcat-bench import-export`).
const BULK_LOAD_MEMORY_MB: usize = 64;

/// The same, for the records a harvest batch adds ([`Atomicity::Unit`]). Oxigraph's loader sorts
/// 1,000 quads per megabyte, shared between its threads (two here), and writes one sorted file per
/// index for each run it sorts. A harvest of 16,000 datasets in batches of 5,000 peaked at 746 MB
/// with 128 MB, 885 MB with 256 and 1,191 MB with 512, in about the same time (148–160 s).
const UNIT_LOAD_MEMORY_MB: usize = 128;

/// What happened to one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Not stored before.
    Added,
    /// Stored before with other content or membership; replaced.
    Updated,
    /// Stored before with the same content (canonical hash) and membership; not written.
    Unchanged,
}

/// What happened to one record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordOutcome {
    /// Added, updated or unchanged.
    pub outcome: Outcome,
    /// The record's local id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its IRI or key.
    pub key: String,
}

/// Added / updated / unchanged counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Added.
    pub added: u64,
    /// Updated.
    pub updated: u64,
    /// Unchanged.
    pub unchanged: u64,
}

impl Tally {
    fn count(&mut self, o: Outcome) {
        match o {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// The result of importing one document.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    /// One entry per record, in key order.
    pub records: Vec<RecordOutcome>,
    /// Records tally.
    pub record_tally: Tally,
    /// Catalogue descriptions tally.
    pub catalogs: Tally,
    /// Shared resources tally.
    pub resources: Tally,
    /// Things stored as written but worth a look (ill-typed literals…).
    pub warnings: Vec<String>,
}

/// One unit's fate, decided before anything is written.
pub(crate) struct Planned<'u> {
    pub(crate) unit: &'u Unit,
    pub(crate) outcome: Outcome,
    graph: NamedNode,
    local_id: Option<LocalId>,
    existing: Option<UnitMeta>,
    catalogs: Vec<NamedOrBlankNode>,
}

/// How much of one write is one atomic step ([`Store::import_units_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Atomicity {
    /// The whole document: a failure stores nothing. Imports, pushes and edits.
    #[default]
    Document,
    /// Each unit: when a document both adds many records and changes others, the records it adds
    /// are bulk-loaded first, in one atomic step, and its other changes are written after them in
    /// one transaction. A failure of the second step keeps the added records, each whole (graph,
    /// bookkeeping, revision, change-feed event). For harvest pages, which are not one step
    /// together either: a transaction writes about 30,000 quads a second, the bulk loader several
    /// times that, and a harvested page both adds its records and changes the catalogue that lists
    /// them.
    Unit,
}

/// With [`Atomicity::Unit`], the added records of a document that changes others too are
/// bulk-loaded from this many of their triples (about 40 datasets); fewer go in the transaction,
/// where the bulk loader's fixed cost (one sorted file per index) would not pay.
const BULK_FROM_TRIPLES: usize = 10_000;

impl Store {
    /// Stores `units` (from [`crate::split`]) as coming from `source`, atomically
    /// ([`Atomicity::Document`]).
    ///
    /// Decisions (added, updated, unchanged; local ids) are taken first, reading only. Then, when the
    /// document only adds units, they are written with Oxigraph's bulk loader, which builds sorted
    /// files and ingests them in one atomic step (an order of magnitude faster than a transaction);
    /// otherwise everything is written in one transaction. Either way, a failure stores nothing.
    pub fn import_units(
        &self,
        doc: &DocGraph,
        units: &[Unit],
        source: &Source,
    ) -> Result<ImportReport, StoreError> {
        self.import_units_with(doc, units, source, Atomicity::Document)
    }

    /// As [`Store::import_units`], with `atomicity` saying how much of the write must be one
    /// step. [`Atomicity::Unit`] only changes how an on-disk embedded store writes; in memory
    /// and on a remote store, the write stays one step.
    pub fn import_units_with(
        &self,
        doc: &DocGraph,
        units: &[Unit],
        source: &Source,
        atomicity: Atomicity,
    ) -> Result<ImportReport, StoreError> {
        let _turn = self.write_turn();
        let now = jiff::Timestamp::now().to_string();
        let mut report = ImportReport::default();
        let plan = self.plan(doc, units, source, &mut report, &mut PlanState::default())?;
        // Before and after writing: a write that fails half-way (the bulk loader is not one
        // transaction) must not leave a stale id list behind.
        self.changed();
        // The change feed's numbers, counted as used once the write is committed.
        let first = self.feed_next();
        let mut seq = first - 1;
        let updates = plan.iter().any(|p| p.outcome == Outcome::Updated);
        let bulk = if updates {
            atomicity == Atomicity::Unit
                && !self.in_memory
                && self.remote_config().is_none()
                && plan
                    .iter()
                    .filter(|p| p.outcome == Outcome::Added && p.unit.is_record())
                    .map(|p| p.unit.triple_ids.len())
                    .sum::<usize>()
                    >= BULK_FROM_TRIPLES
        } else {
            plan.iter().any(|p| p.outcome == Outcome::Added)
        };
        let result = self.write_plan(doc, &plan, source, &now, bulk, updates, &mut seq);
        // What was committed keeps its numbers, even when a second step failed.
        if seq >= first {
            self.feed_committed(seq);
            self.settle_feed(first, seq, &now);
        }
        self.changed();
        result?;
        count(&mut report, &plan);
        Ok(report)
    }

    /// Writes `plan`: the units it adds through the bulk loader when `bulk` (one atomic step),
    /// then, when `updates`, everything else it changes in one transaction. `seq` ends at the
    /// last change-feed number committed.
    #[allow(clippy::too_many_arguments)]
    fn write_plan(
        &self,
        doc: &DocGraph,
        plan: &[Planned<'_>],
        source: &Source,
        now: &str,
        bulk: bool,
        updates: bool,
        seq: &mut u64,
    ) -> Result<(), StoreError> {
        if bulk {
            let mut next = *seq;
            let seqs = feed_numbers(plan, &mut next);
            // Quads are produced lazily: the loader sorts them in bounded batches, so memory
            // stays flat however large the document.
            let quads =
                added_quads(doc, plan, seqs, source, now).chain(std::iter::once(head_quad(next)));
            let memory = if updates {
                UNIT_LOAD_MEMORY_MB
            } else {
                BULK_LOAD_MEMORY_MB
            };
            let mut loader = self
                .db
                .bulk_loader()
                .with_max_memory_size_in_megabytes(memory);
            loader.load_quads(quads)?;
            loader.commit()?;
            *seq = next;
        }
        if updates {
            let mut tx = self.db.start_transaction()?;
            let mut next = *seq;
            let mut quads = 0;
            for p in plan.iter().filter(|p| match p.outcome {
                Outcome::Unchanged => false,
                Outcome::Added => !bulk,
                Outcome::Updated => true,
            }) {
                quads += write_in_transaction(&mut tx, doc, p, source, now, &mut next)?;
            }
            set_head(&mut tx, next)?;
            tx.commit()?;
            self.wrote(quads);
            *seq = next;
        }
        Ok(())
    }

    /// Decides what happens to each unit, reading the store only.
    pub(crate) fn plan<'u>(
        &self,
        doc: &DocGraph,
        units: &'u [Unit],
        source: &Source,
        report: &mut ImportReport,
        state: &mut PlanState,
    ) -> Result<Vec<Planned<'u>>, StoreError> {
        // Reads go through a transaction that is never committed: it gives one consistent view.
        let tx = self.db.start_transaction()?;
        let PlanState {
            catalog_alias,
            taken_ids,
        } = state;
        let mut plan = Vec::with_capacity(units.len());
        for unit in units {
            for bad in ill_typed(unit.triples(doc)) {
                report
                    .warnings
                    .push(format!("{} ({}): {bad}", unit.label(), unit.kind.as_str()));
            }
            let existing = match unit.kind {
                UnitKind::Record(_) => find_record(&tx, &unit.key)?,
                UnitKind::Catalog => read_meta(&tx, &catalog_graph(&unit.key))?,
                UnitKind::Resource => read_meta(&tx, &resource_graph(&source.id, &unit.key))?,
            };
            let catalogs: Vec<NamedOrBlankNode> = unit
                .catalogs
                .iter()
                .map(|c| catalog_alias.get(c).cloned().unwrap_or_else(|| c.clone()))
                .collect();
            let outcome = match &existing {
                Some(m)
                    if m.hash == unit.hash
                        && m.catalogs == catalogs
                        && m.source == source.id
                        && (unit.validation.is_none() || unit.validation == m.validation)
                        && (unit.quality.is_none() || unit.quality == m.quality) =>
                {
                    Outcome::Unchanged
                }
                Some(_) => Outcome::Updated,
                None => Outcome::Added,
            };
            let (graph, local_id) = match (&existing, unit.kind) {
                (Some(m), _) => (m.graph.clone(), m.local_id.clone()),
                (None, UnitKind::Record(_)) => {
                    let id = new_local_id(&tx, doc, unit, taken_ids)?;
                    (record_graph(&id), Some(id))
                }
                (None, UnitKind::Catalog) => (catalog_graph(&unit.key), None),
                (None, UnitKind::Resource) => (resource_graph(&source.id, &unit.key), None),
            };
            if let (UnitKind::Catalog, Outcome::Unchanged, Some(m), Some(new_root)) =
                (unit.kind, outcome, &existing, &unit.root)
                && let Some(old_root) = m.root.as_ref().filter(|old| *old != new_root)
            {
                catalog_alias.insert(new_root.clone(), old_root.clone());
            }
            plan.push(Planned {
                unit,
                outcome,
                graph,
                local_id,
                existing,
                catalogs,
            });
        }
        Ok(plan)
    }
}

/// The change-feed number of each added record of `plan` (0 for the other units), counted on
/// from `seq`.
pub(crate) fn feed_numbers(plan: &[Planned<'_>], seq: &mut u64) -> Vec<u64> {
    plan.iter()
        .map(|p| {
            if p.outcome == Outcome::Added && p.unit.is_record() {
                *seq += 1;
                *seq
            } else {
                0
            }
        })
        .collect()
}

/// Adds what became of each unit of `plan` to `report`.
pub(crate) fn count(report: &mut ImportReport, plan: &[Planned<'_>]) {
    for p in plan {
        match p.unit.kind {
            UnitKind::Record(kind) => {
                report.record_tally.count(p.outcome);
                report.records.push(RecordOutcome {
                    outcome: p.outcome,
                    id: p
                        .local_id
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    kind: kind.as_str().to_owned(),
                    key: p.unit.key.clone(),
                });
            }
            UnitKind::Catalog => report.catalogs.count(p.outcome),
            UnitKind::Resource => report.resources.count(p.outcome),
        }
    }
}

/// What planning carries from one part of a streamed document to the next.
#[derive(Default)]
pub(crate) struct PlanState {
    /// A blank-node catalogue that is unchanged keeps its stored blank node; records of this
    /// input must point to that one.
    catalog_alias: HashMap<NamedOrBlankNode, NamedOrBlankNode>,
    /// Local ids given to new records of this input (not stored yet).
    taken_ids: HashSet<String>,
}

/// Everything written for the added units of `plan` (`seqs`: each one's change-feed number, 0
/// for units that are not records), produced lazily.
pub(crate) fn added_quads<'a>(
    doc: &'a DocGraph,
    plan: &'a [Planned<'a>],
    seqs: Vec<u64>,
    source: &'a Source,
    now: &'a str,
) -> impl Iterator<Item = Quad> + 'a {
    plan.iter()
        .zip(seqs)
        .filter(|(p, _)| p.outcome == Outcome::Added)
        .flat_map(move |(p, seq)| {
            let g = GraphNameRef::NamedNode(p.graph.as_ref());
            p.unit
                .triples(doc)
                .map(move |t| stored_quad(t, g))
                .chain(new_meta(p, source, now).to_quads())
                .chain(std::iter::once(snapshot_quad(
                    &p.graph,
                    p.unit.triples(doc),
                )))
                .chain(if p.unit.is_record() {
                    let mut q = revision_quads(&p.graph, Change::Created, source, now, "", "");
                    q.push(event_quad(&event(p, seq, Change::Created, source, now)));
                    q
                } else {
                    Vec::new()
                })
        })
}

/// A triple as stored in `graph` (typed literals Oxigraph would normalise are wrapped, see
/// [`crate::codec`]).
fn stored_quad(t: TripleRef<'_>, graph: GraphNameRef<'_>) -> Quad {
    match t.object {
        TermRef::Literal(l) => match codec::encode(l) {
            Some(stored) => Quad::new(
                t.subject.into_owned(),
                t.predicate.into_owned(),
                stored,
                graph.into_owned(),
            ),
            None => t.in_graph(graph).into_owned(),
        },
        _ => t.in_graph(graph).into_owned(),
    }
}

/// The bookkeeping of a planned unit after it is written.
pub(crate) fn new_meta(p: &Planned<'_>, source: &Source, now: &str) -> UnitMeta {
    let content_changed = p.existing.as_ref().is_none_or(|m| m.hash != p.unit.hash);
    UnitMeta {
        graph: p.graph.clone(),
        kind: p.unit.kind,
        key: p.unit.key.clone(),
        // When only membership changed, the stored blank-node root (if any) is still the one.
        root: if content_changed {
            p.unit.root.clone()
        } else {
            p.existing.as_ref().and_then(|m| m.root.clone())
        },
        local_id: p.local_id.clone(),
        source: source.id.clone(),
        // A crawl gathering several documents names the one each record was read from.
        origin: p
            .unit
            .origin
            .clone()
            .unwrap_or_else(|| source.origin.clone()),
        run: source.run.clone(),
        first_seen: p
            .existing
            .as_ref()
            .map_or_else(|| now.to_owned(), |m| m.first_seen.clone()),
        modified: now.to_owned(),
        hash: p.unit.hash.clone(),
        // Without a new validation, an unchanged record keeps its last summary.
        validation: p.unit.validation.clone().or_else(|| {
            if content_changed {
                None
            } else {
                p.existing.as_ref().and_then(|m| m.validation.clone())
            }
        }),
        // Likewise the quality assessment.
        quality: p.unit.quality.clone().or_else(|| {
            if content_changed {
                None
            } else {
                p.existing.as_ref().and_then(|m| m.quality.clone())
            }
        }),
        // A confirmation is of the content it saw.
        confirmed: if content_changed {
            None
        } else {
            p.existing.as_ref().and_then(|m| m.confirmed.clone())
        },
        catalogs: p.catalogs.clone(),
    }
}

/// The feed's event for planned record `p`, number `seq`.
fn event(p: &Planned<'_>, seq: u64, kind: Change, source: &Source, now: &str) -> FeedEvent {
    FeedEvent {
        seq,
        kind,
        time: now.to_owned(),
        id: p
            .local_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        key: p.unit.key.clone(),
        hash: p.unit.hash.clone(),
        source: source.id.clone(),
    }
}

/// Writes one planned unit; returns about how many quads it wrote (for [`Store::wrote`]).
fn write_in_transaction(
    tx: &mut Transaction<'_>,
    doc: &DocGraph,
    p: &Planned<'_>,
    source: &Source,
    now: &str,
    seq: &mut u64,
) -> Result<u64, StoreError> {
    let content_changed = p.existing.as_ref().is_none_or(|m| m.hash != p.unit.hash);
    let mut old_objects = Vec::new();
    // The bookkeeping, snapshot and revision: about a dozen quads.
    let mut quads = 12;
    if content_changed {
        if p.existing.is_some() {
            old_objects = iri_objects(tx, &p.graph)?;
            tx.clear_graph(p.graph.as_ref())?;
        }
        let g = GraphNameRef::NamedNode(p.graph.as_ref());
        for t in p.unit.triples(doc) {
            tx.insert(&stored_quad(t, g));
            quads += 1;
        }
    }
    let old_snapshot = if content_changed && p.unit.is_record() {
        Some(snapshot_text(tx, &p.graph)?)
    } else {
        None
    };
    remove_meta(tx, &p.graph)?;
    tx.extend(new_meta(p, source, now).to_quads().iter());
    let snapshot = snapshot_quad(&p.graph, p.unit.triples(doc));
    if let (Some(old), Term::Literal(new)) = (&old_snapshot, &snapshot.object) {
        let change = if p.existing.is_some() {
            Change::Changed
        } else {
            Change::Created
        };
        tx.extend(revision_quads(&p.graph, change, source, now, old, new.value()).iter());
        *seq += 1;
        tx.insert(&event_quad(&event(p, *seq, change, source, now)));
    }
    tx.insert(&snapshot);
    if !old_objects.is_empty() {
        let new: HashSet<&str> = p
            .unit
            .triples(doc)
            .filter_map(|t| match t.object {
                TermRef::NamedNode(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        old_objects.retain(|n| !new.contains(n.as_str()));
        collect_unreferenced(tx, &source.id, old_objects)?;
    }
    Ok(quads)
}

/// The graph of a record with this local id.
pub(crate) fn record_graph(id: &LocalId) -> NamedNode {
    NamedNode::new_unchecked(format!("{RECORD_GRAPH_PREFIX}{id}"))
}

/// Graph names of the published units, by kind: records, catalogues, shared resources. Anything
/// else in the database (bookkeeping, snapshots) is internal.
pub(crate) const RECORD_GRAPH_PREFIX: &str = "urn:healthcat:record:";
/// See [`RECORD_GRAPH_PREFIX`].
pub(crate) const CATALOG_GRAPH_PREFIX: &str = "urn:healthcat:catalog:";
/// See [`RECORD_GRAPH_PREFIX`].
pub(crate) const RESOURCE_GRAPH_PREFIX: &str = "urn:healthcat:resource:";

/// The graph of the catalogue with this key.
pub(crate) fn catalog_graph(key: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{CATALOG_GRAPH_PREFIX}{}", short_hash(key)))
}

/// The graph of a shared resource as described by one source.
pub(crate) fn resource_graph(source: &str, key: &str) -> NamedNode {
    NamedNode::new_unchecked(format!(
        "{RESOURCE_GRAPH_PREFIX}{}",
        short_hash(&format!("{source}\n{key}"))
    ))
}

fn short_hash(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes())[..16])
}

fn read_meta(tx: &Transaction<'_>, graph: &NamedNode) -> Result<Option<UnitMeta>, StoreError> {
    let quads = tx
        .quads_for_pattern(
            Some(graph.as_ref().into()),
            None,
            None,
            Some(META_GRAPH.into()),
        )
        .collect::<Result<Vec<_>, _>>()?;
    UnitMeta::from_quads(graph.clone(), quads)
}

pub(crate) fn find_record(tx: &Transaction<'_>, key: &str) -> Result<Option<UnitMeta>, StoreError> {
    let lit = Literal::new_simple_literal(key);
    let graphs: Vec<NamedNode> = tx
        .quads_for_pattern(
            None,
            Some(hc::KEY),
            Some(lit.as_ref().into()),
            Some(META_GRAPH.into()),
        )
        .filter_map(|q| match q {
            Ok(Quad {
                subject: NamedOrBlankNode::NamedNode(g),
                ..
            }) => Some(Ok(g)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    for g in graphs {
        if let Some(m) = read_meta(tx, &g)?
            && matches!(m.kind, UnitKind::Record(_))
        {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

/// A unit's N-Triples snapshot as stored (empty if it has none).
pub(crate) fn snapshot_text(tx: &Transaction<'_>, graph: &NamedNode) -> Result<String, StoreError> {
    let q = tx
        .quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(hc::SNAPSHOT),
            None,
            Some(SNAPSHOT_GRAPH.into()),
        )
        .next()
        .transpose()?;
    Ok(match q.map(|q| q.object) {
        Some(Term::Literal(l)) => l.value().to_owned(),
        _ => String::new(),
    })
}

/// Removes a unit's bookkeeping and snapshot.
pub(crate) fn remove_meta(tx: &mut Transaction<'_>, graph: &NamedNode) -> Result<(), StoreError> {
    let mut quads: Vec<Quad> = tx
        .quads_for_pattern(
            Some(graph.as_ref().into()),
            None,
            None,
            Some(META_GRAPH.into()),
        )
        .collect::<Result<_, _>>()?;
    quads.extend(
        tx.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(hc::SNAPSHOT),
            None,
            Some(SNAPSHOT_GRAPH.into()),
        )
        .collect::<Result<Vec<_>, _>>()?,
    );
    for q in &quads {
        tx.remove(q);
    }
    Ok(())
}

fn iri_objects(tx: &Transaction<'_>, graph: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    let mut out = Vec::new();
    for q in tx.quads_for_pattern(
        None,
        None,
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        if let Term::NamedNode(n) = q?.object {
            out.push(n);
        }
    }
    Ok(out)
}

/// Removes the shared resources (of `source`) among `candidates` that no unit refers to any more.
pub(crate) fn collect_unreferenced(
    tx: &mut Transaction<'_>,
    source: &str,
    candidates: Vec<NamedNode>,
) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    for node in candidates {
        if !seen.insert(node.clone()) {
            continue;
        }
        let graph = resource_graph(source, node.as_str());
        if read_meta(tx, &graph)?.is_none_or(|m| m.kind != UnitKind::Resource) {
            continue;
        }
        let still_used = tx
            .quads_for_pattern(None, None, Some(node.as_ref().into()), None)
            .any(|q| {
                q.is_ok_and(|q| {
                    q.graph_name != GraphName::NamedNode(graph.clone())
                        && q.graph_name != GraphName::NamedNode(META_GRAPH.into_owned())
                })
            });
        if !still_used {
            tx.remove_named_graph(graph.as_ref())?;
            remove_meta(tx, &graph)?;
        }
    }
    Ok(())
}

/// Picks a free local id for a new record: a slug of its IRI (or identifier, or title), then the
/// slug with a hash suffix, then the hash alone.
fn new_local_id(
    tx: &Transaction<'_>,
    doc: &DocGraph,
    unit: &Unit,
    taken: &mut HashSet<String>,
) -> Result<LocalId, StoreError> {
    let text_of = |p: NamedNodeRef<'_>| -> Option<String> {
        unit.triples(doc)
            .find_map(|t| match (&unit.root, t.object) {
                (Some(r), TermRef::Literal(l)) if t.subject == r.as_ref() && t.predicate == p => {
                    Some(l.value().to_owned())
                }
                _ => None,
            })
    };
    let slug = match &unit.root {
        Some(NamedOrBlankNode::NamedNode(n)) => LocalId::slug_of_iri(n.as_str()),
        _ => text_of(dct::IDENTIFIER)
            .and_then(|s| LocalId::slugify(&s))
            .or_else(|| text_of(dct::TITLE).and_then(|s| LocalId::slugify(&s))),
    };
    let digest = hex(&Sha256::digest(unit.key.as_bytes()));
    let mut candidates = Vec::new();
    if let Some(s) = slug {
        candidates.push(s.clone());
        candidates.push(s.with_suffix(&digest[..8]));
    }
    candidates.push(LocalId::from_hash(&digest));
    for c in candidates {
        let lit = Literal::new_simple_literal(c.as_str());
        let used = taken.contains(c.as_str())
            || tx
                .quads_for_pattern(
                    None,
                    Some(hc::LOCAL_ID),
                    Some(lit.as_ref().into()),
                    Some(META_GRAPH.into()),
                )
                .next()
                .is_some();
        if !used {
            taken.insert(c.as_str().to_owned());
            return Ok(c);
        }
    }
    Err(StoreError::Corrupt {
        graph: unit.key.clone(),
        problem: "every candidate local id is taken".into(),
    })
}
