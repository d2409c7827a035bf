//! The [`Store`]: opening it and reading from it.

use crate::error::StoreError;
use crate::meta::{META_GRAPH, UnitMeta, hc};
use crate::split::UnitKind;
use healthcat_model::vocab::dct;
use healthcat_model::{LocalId, RecordKind};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, Quad, Term};
use oxrdf::{Graph, TripleRef};
use std::path::Path;

/// The catalogue store: Oxigraph (RocksDB on disk, or in memory for tests) holding one named graph
/// per unit and the bookkeeping graph. Cheap to clone (clones share the same database).
#[derive(Clone)]
pub struct Store {
    pub(crate) db: crate::engine::Engine,
    /// The records' local ids in order, kept between writes: listing them means decoding every
    /// id from the database (2 s at 100k records), which a catalogue page cannot afford.
    ids: std::sync::Arc<std::sync::Mutex<IdCache>>,
    /// Held by every write: a write plans (reads what is stored, picks new local ids) before it
    /// writes, and two plans side by side — a scheduled harvest and a push — could pick the same
    /// id.
    writing: std::sync::Arc<std::sync::Mutex<()>>,
    /// See [`Store::decision_turn`].
    deciding: std::sync::Arc<std::sync::Mutex<()>>,
    /// The change feed's head and floor (see [`crate::feed`]).
    pub(crate) feed: std::sync::Arc<crate::feed::FeedState>,
    /// In memory (tests): Oxigraph's bulk loader is then one transaction, which reads wait for.
    pub(crate) in_memory: bool,
    /// Quads written by transactions since RocksDB's write buffers were last flushed (see
    /// [`Store::wrote`]).
    unflushed: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// After how many of them they are flushed ([`FLUSH_AFTER_QUADS`] unless
    /// [`Store::flush_after`] says otherwise).
    flush_after_quads: u64,
    /// Flushes done since the store was opened.
    flushes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Quads written by transactions after which the write buffers are flushed to disk. Oxigraph
/// opens RocksDB with `OptimizeLevelStyleCompaction(512 MB)` (128 MB write buffers per column
/// family, up to six, flushed two at a time) and writes each quad into six column families, so a
/// long run of transactions (a harvest: every page after the first updates its catalogue) kept
/// everything it wrote in memory, and the next process replayed it from the log: a harvest of
/// 10,000 datasets peaked at 2.2 GB, and 756 MB with this flush (docs/benchmarks.md). 250,000
/// quads (about 2,000 datasets) are about 150 MB of write buffers.
const FLUSH_AFTER_QUADS: u64 = 250_000;

/// Removes the `bulk-*.sst` files Oxigraph's bulk loader writes into the store's directory before
/// ingesting them at commit ([`crate::BulkImport`]); any found when the store is opened belong to
/// an import that never committed.
fn remove_unfinished_bulk_files(dir: &Path) -> Result<(), StoreError> {
    let mut removed = 0u64;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            removed += entry.metadata()?.len();
            std::fs::remove_file(entry.path())?;
        }
    }
    if removed > 0 {
        tracing::warn!(
            bytes = removed,
            "removed the files of an import that was stopped before it finished"
        );
    }
    Ok(())
}

/// See `Store::ids`: the sorted (local id, graph) list and the write generation it was read at.
#[derive(Default)]
struct IdCache {
    generation: u64,
    sorted: Option<std::sync::Arc<Vec<(String, NamedNode)>>>,
    /// The IRIs that are the root of a shared resource unit (see [`Store::shared_description`]).
    shared_roots: Option<std::sync::Arc<std::collections::HashSet<String>>>,
    /// Every record's kept quality assessment (see [`Store::kept_quality`]).
    kept_quality: Option<std::sync::Arc<Vec<KeptQuality>>>,
    /// The units of each kind (see [`Store::unit_counts`]).
    unit_counts: Option<Counts>,
}

/// The IRIs `graph` points to (its named objects): where shared descriptions may be.
fn named_objects(graph: &Graph) -> Vec<String> {
    graph
        .iter()
        .filter_map(|t| match t.object {
            oxrdf::TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// Shared descriptions already read, by (IRI, source): see [`Store::with_shared_from_cached`].
#[derive(Debug, Default)]
pub struct SharedCache(std::collections::HashMap<(String, String), Graph>);

/// A record's kept quality assessment, as [`Store::kept_quality`] lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptQuality {
    /// The record.
    pub local_id: LocalId,
    /// Its identity key (its IRI).
    pub key: String,
    /// Its source (`local`, a harvest source, a push provider).
    pub source: String,
    /// Its publisher's IRI, when it names one by IRI.
    pub publisher: Option<String>,
    /// The assessment as kept (JSON; `healthcat_quality::Kept`).
    pub kept: String,
}

/// Whether a bookkeeping property must be there for a record to have a row (see
/// `Store::record_rows`).
enum Needed {
    Required,
    Optional,
}

/// A row of `Store::record_rows`.
struct RecordRow {
    local_id: LocalId,
    key: String,
    source: String,
    publisher: Option<String>,
    values: Vec<Option<String>>,
}

/// What the annual review reads of a record (see [`Store::review_rows`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// The record.
    pub local_id: LocalId,
    /// Its identity key (its IRI).
    pub key: String,
    /// Its source.
    pub source: String,
    /// Its publisher's IRI, when it names one by IRI.
    pub publisher: Option<String>,
    /// When its content last changed (RFC 3339).
    pub modified: String,
    /// Its last "still accurate" confirmation since.
    pub confirmed: Option<crate::meta::Confirmation>,
}

/// A stored record: its bookkeeping and its triples.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    /// Bookkeeping.
    pub meta: UnitMeta,
    /// The record's own graph (without shared resources it points to).
    pub graph: Graph,
}

/// Where a [`Store::window`] starts.
#[derive(Debug, Clone, Copy)]
pub enum Start<'a> {
    /// After skipping this many records.
    Offset(usize),
    /// With the first record whose local id sorts after this one.
    After(&'a str),
}

/// A page of records (see [`Store::window`]).
#[derive(Debug, Clone)]
pub struct Window {
    /// Records in the listing (all, or the subset).
    pub total: usize,
    /// Position of the first record of the page in the listing.
    pub offset: usize,
    /// The page's records.
    pub records: Vec<UnitMeta>,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// `dcat:Dataset` records.
    pub datasets: u64,
    /// `dcat:DataService` records.
    pub services: u64,
    /// `dcat:DatasetSeries` records.
    pub series: u64,
    /// Catalogue descriptions.
    pub catalogs: u64,
    /// Shared resources (agents, concepts…) and orphan groups.
    pub resources: u64,
    /// Records stored although validation found violations (`import --keep-invalid`).
    pub invalid: u64,
    /// Every quad, bookkeeping included.
    pub quads: u64,
}

impl Counts {
    /// Records of every kind.
    pub fn records(&self) -> u64 {
        self.datasets + self.services + self.series
    }
}

impl Store {
    /// Opens (or creates) a store in `dir`.
    ///
    /// The directory's format version is checked first ([`crate::datadir`]): a directory written
    /// by a newer healthcat (or needing a migration) is refused before anything in it is touched.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        crate::datadir::check_format(dir.as_ref())?;
        let db = crate::engine::Engine::Embedded(oxigraph::store::Store::open(dir.as_ref())?);
        // Opened for writing, the directory is ours alone (RocksDB's lock): sorted files a bulk
        // load left behind when its process was killed before committing are garbage.
        remove_unfinished_bulk_files(dir.as_ref())?;
        let store = Self::on(db, false);
        store.open_feed()?;
        Ok(store)
    }

    /// A store on `db`, nothing read yet.
    fn on(db: crate::engine::Engine, in_memory: bool) -> Self {
        Self {
            db,
            ids: Default::default(),
            writing: Default::default(),
            deciding: Default::default(),
            feed: Default::default(),
            in_memory,
            unflushed: Default::default(),
            flush_after_quads: FLUSH_AFTER_QUADS,
            flushes: Default::default(),
        }
    }

    /// The store kept on a remote SPARQL 1.1 server ([`RemoteConfig`]): the server is asked
    /// once here, so that a wrong address or a server that is down is said at start-up.
    pub fn remote(config: crate::RemoteConfig) -> Result<Self, StoreError> {
        let remote = std::sync::Arc::new(crate::remote::Remote::new(config));
        remote.ping()?;
        let store = Self::on(crate::engine::Engine::Remote(remote), false);
        store.open_feed()?;
        Ok(store)
    }

    /// The remote store's endpoints, when the store is remote.
    pub fn remote_config(&self) -> Option<&crate::RemoteConfig> {
        match &self.db {
            crate::engine::Engine::Remote(r) => Some(r.config()),
            crate::engine::Engine::Embedded(_) => None,
        }
    }

    /// A fresh store in memory (tests, `validate` of files without a catalogue).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self::on(
            crate::engine::Engine::Embedded(oxigraph::store::Store::new()?),
            true,
        ))
    }

    /// The same store, its write buffers flushed after `quads` quads written by transactions
    /// (250,000 by default: about 150 MB of buffers; less memory, more and smaller files).
    pub fn flush_after(mut self, quads: u64) -> Self {
        self.flush_after_quads = quads.max(1);
        self
    }

    /// Counts `quads` written by a committed transaction, and flushes RocksDB's write buffers to
    /// disk once [`FLUSH_AFTER_QUADS`] have been written since the last flush, so that the memory
    /// a run of transactions holds stays bounded (the bulk loader writes sorted files directly and
    /// is not counted). The data is already durable (RocksDB's log): the flush only frees memory,
    /// so a flush that fails (a full disk) is logged and tried again after the next write, and
    /// never turns the committed write into an error.
    pub(crate) fn wrote(&self, quads: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.in_memory || self.remote_config().is_some() {
            return;
        }
        if self.unflushed.fetch_add(quads, Relaxed) + quads >= self.flush_after_quads {
            match self.db.flush() {
                Ok(()) => {
                    self.unflushed.store(0, Relaxed);
                    self.flushes.fetch_add(1, Relaxed);
                }
                Err(e) => tracing::warn!(
                    error = %e,
                    "the store's write buffers could not be flushed to disk (the writes are kept in its log); tried again after the next write"
                ),
            }
        }
    }

    /// How many times the write buffers were flushed since the store was opened (`/metrics`).
    pub fn write_buffer_flushes(&self) -> u64 {
        self.flushes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The bookkeeping of the unit stored in `graph`.
    pub fn meta(&self, graph: &NamedNode) -> Result<Option<UnitMeta>, StoreError> {
        let quads = self
            .db
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                None,
                None,
                Some(META_GRAPH.into()),
            )
            .collect::<Result<Vec<_>, _>>()?;
        UnitMeta::from_quads(graph.clone(), quads)
    }

    /// The record with this local id.
    pub fn get(&self, id: &LocalId) -> Result<Option<StoredRecord>, StoreError> {
        // While no write happens (a pass over the catalogue, pages between writes), the kept
        // id list answers without a seek.
        let (graph, kept) = match self.kept_graph_for_local_id(id) {
            Some(graph) => (graph, true),
            None => (self.graph_for_local_id(id)?, false),
        };
        let Some(graph) = graph else {
            return Ok(None);
        };
        let meta = match self.meta(&graph)? {
            Some(meta) => meta,
            // Withdrawn since the list was read.
            None if kept => return Ok(None),
            None => {
                return Err(StoreError::Corrupt {
                    graph: graph.as_str().to_owned(),
                    problem: "local id without bookkeeping".into(),
                });
            }
        };
        let mut g = Graph::new();
        // The unit's N-Triples snapshot is its content as written, in one read; parsing it is
        // several times faster than walking the graph's quads (what the search index does for
        // every record when it is rebuilt). The store wrote it from checked terms, so IRIs are
        // not validated again (lenient: a fifth of a dataset page's time otherwise).
        if let Some(text) = self.snapshot(&graph)? {
            for t in oxttl::NTriplesParser::new()
                .lenient()
                .for_slice(text.as_bytes())
            {
                let t = t.map_err(|e| StoreError::Corrupt {
                    graph: graph.as_str().to_owned(),
                    problem: format!("unreadable snapshot: {e}"),
                })?;
                g.insert(&t);
            }
            return Ok(Some(StoredRecord { meta, graph: g }));
        }
        self.read_graph(&graph, &mut g)?;
        Ok(Some(StoredRecord { meta, graph: g }))
    }

    /// Adds the triples of the unit graph `unit` to `into`, literals as imported.
    pub(crate) fn read_graph(&self, unit: &NamedNode, into: &mut Graph) -> Result<(), StoreError> {
        for q in self.db.quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(unit.as_ref())),
        ) {
            let q = q?;
            let t = TripleRef::new(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref());
            crate::codec::triple_with_decoded(t, |t| into.insert(t));
        }
        Ok(())
    }

    /// The graph of record `id` from the sorted id list if it is kept (no write since it was
    /// read): `None` when it is not kept. A write's commit comes just before the list is
    /// dropped, so a reader may get the graph of a record withdrawn a moment ago (its
    /// bookkeeping is then gone) or miss one added a moment ago: the store before the write.
    fn kept_graph_for_local_id(&self, id: &LocalId) -> Option<Option<NamedNode>> {
        let sorted = {
            let c = self.ids.lock().unwrap_or_else(|p| p.into_inner());
            c.sorted.clone()
        }?;
        Some(
            sorted
                .binary_search_by(|(i, _)| i.as_str().cmp(id.as_str()))
                .ok()
                .map(|at| sorted[at].1.clone()),
        )
    }

    pub(crate) fn graph_for_local_id(&self, id: &LocalId) -> Result<Option<NamedNode>, StoreError> {
        let lit = Literal::new_simple_literal(id.as_str());
        let found = self
            .db
            .quads_for_pattern(
                None,
                Some(hc::LOCAL_ID),
                Some(lit.as_ref().into()),
                Some(META_GRAPH.into()),
            )
            .next()
            .transpose()?;
        Ok(found.and_then(|q| match q.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(n) => Some(n),
            oxigraph::model::NamedOrBlankNode::BlankNode(_) => None,
        }))
    }

    /// Records in local-id order: `limit` of them after skipping `offset`.
    pub fn list(&self, offset: usize, limit: usize) -> Result<Vec<UnitMeta>, StoreError> {
        Ok(self.page(offset, limit)?.1)
    }

    /// Marks the store as written: the cached id list is read again on next use. Every write
    /// calls it after committing.
    pub(crate) fn changed(&self) {
        let mut c = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        c.generation += 1;
        c.sorted = None;
        c.shared_roots = None;
        c.kept_quality = None;
        c.unit_counts = None;
    }

    /// The value the cache keeps in `slot` until the next write, or `read` now and kept — unless a
    /// write came while it was read (the generation moved on), then returned but not kept.
    fn kept<T: Clone>(
        &self,
        slot: impl Fn(&mut IdCache) -> &mut Option<T>,
        read: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let generation = {
            let mut c = self.ids.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(value) = slot(&mut c) {
                return Ok(value.clone());
            }
            c.generation
        };
        let value = read()?;
        let mut c = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        if c.generation == generation {
            *slot(&mut c) = Some(value.clone());
        }
        Ok(value)
    }

    /// Marks the kept quality assessments as written (the ids and contents are unchanged).
    /// Moves on at every write of this process (records, assessments).
    pub(crate) fn generation(&self) -> u64 {
        self.ids
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .generation
    }

    fn quality_changed(&self) {
        let mut c = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        c.generation += 1;
        c.kept_quality = None;
    }

    /// The records' (local id, graph), sorted by id; cached until the next write. A list read
    /// while a write commits is returned but not kept (the generation moved on).
    fn sorted_ids(&self) -> Result<std::sync::Arc<Vec<(String, NamedNode)>>, StoreError> {
        self.kept(|c| &mut c.sorted, || self.read_sorted_ids())
    }

    fn read_sorted_ids(&self) -> Result<std::sync::Arc<Vec<(String, NamedNode)>>, StoreError> {
        let mut ids: Vec<(String, NamedNode)> = Vec::new();
        for q in self
            .db
            .quads_for_pattern(None, Some(hc::LOCAL_ID), None, Some(META_GRAPH.into()))
        {
            let q: Quad = q?;
            if let (oxigraph::model::NamedOrBlankNode::NamedNode(g), Term::Literal(l)) =
                (q.subject, q.object)
            {
                ids.push((l.value().to_owned(), g));
            }
        }
        ids.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(std::sync::Arc::new(ids))
    }

    /// [`Store::list`] with the number of records in all, counted on the same read (counting the
    /// store with [`Store::counts`] walks every quad).
    pub fn page(&self, offset: usize, limit: usize) -> Result<(usize, Vec<UnitMeta>), StoreError> {
        let ids = self.sorted_ids()?;
        let total = ids.len();
        let page = ids
            .iter()
            .skip(offset)
            .take(limit)
            .map(|(_, g)| {
                self.meta(g)?.ok_or_else(|| StoreError::Corrupt {
                    graph: g.as_str().to_owned(),
                    problem: "local id without bookkeeping".into(),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok((total, page))
    }

    /// One page of records in local-id order — of all records, or of `only` (local ids, sorted,
    /// such as a search's matches) — starting at a position or just after a local id. Paging by
    /// [`Start::After`] the last id of the previous page is stable while the catalogue changes: a
    /// record present all along is seen exactly once, whatever is added or removed meanwhile.
    pub fn window(
        &self,
        only: Option<&[String]>,
        start: Start<'_>,
        limit: usize,
    ) -> Result<Window, StoreError> {
        let all = self.sorted_ids()?;
        let ids: Vec<&str> = match only {
            Some(only) => only.iter().map(String::as_str).collect(),
            None => all.iter().map(|(id, _)| id.as_str()).collect(),
        };
        let offset = match start {
            Start::Offset(n) => n.min(ids.len()),
            Start::After(id) => ids.partition_point(|x| *x <= id),
        };
        let mut records = Vec::new();
        for id in ids.iter().skip(offset).take(limit) {
            // A subset may name a record deleted since it was computed: skipped.
            let Ok(i) = all.binary_search_by(|(x, _)| x.as_str().cmp(id)) else {
                continue;
            };
            let g = &all[i].1;
            records.push(self.meta(g)?.ok_or_else(|| StoreError::Corrupt {
                graph: g.as_str().to_owned(),
                problem: "local id without bookkeeping".into(),
            })?);
        }
        Ok(Window {
            total: ids.len(),
            offset,
            records,
        })
    }

    /// The bookkeeping of the record whose identity key is `key` (its IRI, for an IRI record).
    pub fn record_by_key(&self, key: &str) -> Result<Option<UnitMeta>, StoreError> {
        let tx = self.db.start_transaction()?;
        crate::import::find_record(&tx, key)
    }

    /// The bookkeeping of the catalogue whose identity key is `key`.
    pub fn catalog_by_key(&self, key: &str) -> Result<Option<UnitMeta>, StoreError> {
        self.meta(&crate::import::catalog_graph(key))
    }

    /// The bookkeeping of the stored unit `unit` would replace when written by `source`: the
    /// record with its key, the catalogue with its key (whoever stored it), or `source`'s own
    /// description of a shared resource. None when `unit` is new.
    pub fn unit_meta(
        &self,
        unit: &crate::Unit,
        source: &str,
    ) -> Result<Option<UnitMeta>, StoreError> {
        match unit.kind {
            crate::UnitKind::Record(_) => self.record_by_key(&unit.key),
            crate::UnitKind::Catalog => self.meta(&crate::import::catalog_graph(&unit.key)),
            crate::UnitKind::Resource => {
                self.meta(&crate::import::resource_graph(source, &unit.key))
            }
        }
    }

    /// The class (`rdf:type`) of every stored record `triples` link to with
    /// [`healthcat_model::RECORD_LINKS`] (its series, its editions, the datasets a service serves):
    /// what validating or assessing the record on its own needs to know of them.
    pub fn linked_record_types<'a>(
        &self,
        triples: impl IntoIterator<Item = TripleRef<'a>>,
    ) -> Result<Vec<oxrdf::Triple>, StoreError> {
        let mut out: Vec<oxrdf::Triple> = Vec::new();
        for t in triples {
            let oxrdf::TermRef::NamedNode(n) = t.object else {
                continue;
            };
            if !healthcat_model::RECORD_LINKS.contains(&t.predicate)
                || out.iter().any(|x| x.subject == n.into())
            {
                continue;
            }
            if let Some(UnitKind::Record(kind)) = self.record_by_key(n.as_str())?.map(|m| m.kind) {
                out.push(oxrdf::Triple::new(
                    n.into_owned(),
                    healthcat_model::vocab::rdf::TYPE,
                    kind.class(),
                ));
            }
        }
        Ok(out)
    }

    /// The records whose own triples name `iri` (as an object): those whose view of a shared
    /// resource changes when its description does. In local-id order.
    pub fn records_naming(&self, iri: &str) -> Result<Vec<LocalId>, StoreError> {
        let Ok(node) = NamedNode::new(iri) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for q in self
            .db
            .quads_for_pattern(None, None, Some(node.as_ref().into()), None)
        {
            if let GraphName::NamedNode(g) = q?.graph_name
                && let Some(id) = g.as_str().strip_prefix(crate::import::RECORD_GRAPH_PREFIX)
                && let Ok(id) = LocalId::new(id)
            {
                out.push(id);
            }
        }
        out.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        out.dedup();
        Ok(out)
    }

    /// The records that came from `source` (a harvest source id, `local`…): (local id, identity
    /// key). What a harvest compares with what the source lists now.
    pub fn records_of_source(&self, source: &str) -> Result<Vec<(LocalId, String)>, StoreError> {
        let lit = Literal::new_simple_literal(source);
        let mut out = Vec::new();
        for q in self.db.quads_for_pattern(
            None,
            Some(hc::SOURCE),
            Some(lit.as_ref().into()),
            Some(META_GRAPH.into()),
        ) {
            let oxigraph::model::NamedOrBlankNode::NamedNode(graph) = q?.subject else {
                continue;
            };
            if let Some(meta) = self.meta(&graph)?
                && let Some(id) = meta.local_id
            {
                out.push((id, meta.key));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every record's kept quality assessment (the JSON each write keeps), with its local id, its
    /// source and its publisher, in a few scans of the bookkeeping and of the `dct:publisher`
    /// statements: what the quality dashboards and `/api/quality` aggregate. Records without a
    /// kept assessment are left out. In local-id order.
    /// Kept until the next write: the dashboards read it on every view.
    pub fn kept_quality(&self) -> Result<std::sync::Arc<Vec<KeptQuality>>, StoreError> {
        self.kept(
            |c| &mut c.kept_quality,
            || Ok(std::sync::Arc::new(self.read_kept_quality()?)),
        )
    }

    /// Every record's kept quality assessment, one at a time and in no particular order, without
    /// keeping them: what summing them up needs (a server held a million of them at rest: about
    /// 400 MB). Each record once, with the first publisher read, as [`Store::kept_quality`].
    pub fn each_kept_quality(&self, each: &mut dyn FnMut(KeptQuality)) -> Result<(), StoreError> {
        let mut seen = std::collections::HashSet::new();
        self.each_record_row(
            "kept-quality",
            &[(hc::QUALITY, Needed::Required)],
            &mut |mut r| {
                if seen.insert(r.local_id.clone()) {
                    each(KeptQuality {
                        kept: r.values.pop().flatten().unwrap_or_default(),
                        local_id: r.local_id,
                        key: r.key,
                        source: r.source,
                        publisher: r.publisher,
                    });
                }
            },
        )
    }

    fn read_kept_quality(&self) -> Result<Vec<KeptQuality>, StoreError> {
        let rows = self.record_rows("kept-quality", &[(hc::QUALITY, Needed::Required)])?;
        Ok(rows
            .into_iter()
            .map(|mut r| KeptQuality {
                kept: r.values.pop().flatten().unwrap_or_default(),
                local_id: r.local_id,
                key: r.key,
                source: r.source,
                publisher: r.publisher,
            })
            .collect())
    }

    /// One row per record from one join on the bookkeeping, evaluated on the store's encoded
    /// terms: only the values of each row are decoded (a scan per property decoded every
    /// subject, predicate and graph name again: 6.6 s for /api/quality at 100,000 records). Each
    /// row has the record's id, key, source, a publisher named by IRI (a record with several has
    /// a row for each), and the value of each bookkeeping property of `more`, in order; `what`
    /// names the query in an error. Given to `each` as they are read, in no particular order.
    fn each_record_row(
        &self,
        what: &str,
        more: &[(oxigraph::model::NamedNodeRef<'_>, Needed)],
        each: &mut dyn FnMut(RecordRow),
    ) -> Result<(), StoreError> {
        let mut patterns = String::new();
        for (i, (p, needed)) in more.iter().enumerate() {
            match needed {
                Needed::Required => patterns.push_str(&format!(" ?g <{}> ?v{i} .", p.as_str())),
                Needed::Optional => {
                    patterns.push_str(&format!(" OPTIONAL {{ ?g <{}> ?v{i} }}", p.as_str()))
                }
            }
        }
        let vars: String = (0..more.len()).map(|i| format!(" ?v{i}")).collect();
        let query = format!(
            "SELECT ?id ?key ?source ?publisher{vars} WHERE {{ \
               GRAPH <{meta}> {{ ?g <{local_id}> ?id ; <{source}> ?source ; <{key}> ?key ; \
                 <{root}> ?root .{patterns} }} \
               OPTIONAL {{ GRAPH ?g {{ ?root <{publisher}> ?publisher }} \
                 FILTER(isIRI(?publisher) && !STRSTARTS(STR(?publisher), \"{genid}\")) }} }}",
            meta = META_GRAPH.as_str(),
            local_id = hc::LOCAL_ID.as_str(),
            source = hc::SOURCE.as_str(),
            key = hc::KEY.as_str(),
            root = hc::ROOT.as_str(),
            publisher = dct::PUBLISHER.as_str(),
            // A blank publisher kept by a remote store (`crate::remote`) is not one by IRI.
            genid = crate::remote::GENID,
        );
        let rows = self.db.solutions(&query).map_err(|e| match e {
            StoreError::Corrupt { problem, .. } => StoreError::Corrupt {
                graph: META_GRAPH.as_str().to_owned(),
                problem: format!("the {what} query: {problem}"),
            },
            other => other,
        })?;
        let text = |t: Option<&Term>| match t {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
            _ => None,
        };
        for row in rows {
            let row = row?;
            let Some(id) = text(row.get("id")).and_then(|id| LocalId::new(id).ok()) else {
                continue;
            };
            each(RecordRow {
                local_id: id,
                key: text(row.get("key")).unwrap_or_default(),
                source: text(row.get("source")).unwrap_or_default(),
                publisher: text(row.get("publisher")),
                values: (0..more.len())
                    .map(|i| text(row.get(format!("v{i}").as_str())))
                    .collect(),
            });
        }
        Ok(())
    }

    /// [`Store::each_record_row`], collected in local-id order.
    fn record_rows(
        &self,
        what: &str,
        more: &[(oxigraph::model::NamedNodeRef<'_>, Needed)],
    ) -> Result<Vec<RecordRow>, StoreError> {
        let mut out: Vec<RecordRow> = Vec::new();
        self.each_record_row(what, more, &mut |row| out.push(row))?;
        out.sort_by(|a, b| a.local_id.as_str().cmp(b.local_id.as_str()));
        // A record with several publishers has a row for each: the first is kept.
        out.dedup_by(|b, a| a.local_id == b.local_id);
        Ok(out)
    }

    /// Every record's local id and content hash, in one scan of the bookkeeping: what the search
    /// index is reconciled against.
    pub fn record_hashes(&self) -> Result<Vec<(LocalId, String)>, StoreError> {
        let mut ids = std::collections::HashMap::new();
        for q in self
            .db
            .quads_for_pattern(None, Some(hc::LOCAL_ID), None, Some(META_GRAPH.into()))
        {
            let q: Quad = q?;
            if let Term::Literal(l) = q.object
                && let Ok(id) = LocalId::new(l.value())
            {
                ids.insert(q.subject, id);
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        for q in self
            .db
            .quads_for_pattern(None, Some(hc::HASH), None, Some(META_GRAPH.into()))
        {
            let q: Quad = q?;
            if let (Some(id), Term::Literal(l)) = (ids.remove(&q.subject), q.object) {
                out.push((id, l.value().to_owned()));
            }
        }
        out.sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        Ok(out)
    }

    /// The `foaf:name`s given to `iri`, as (language, name), for a record of `source`: a
    /// record's publisher is a shared resource, outside the record's own graph, and several
    /// sources may describe it. The names its own source gives win, then the catalogue's own
    /// (`local`), then every source's — so a harvest source or a push provider cannot rename the
    /// publisher of another source's records.
    pub fn names_of(&self, iri: &str, source: &str) -> Result<Vec<(String, String)>, StoreError> {
        let Ok(node) = NamedNode::new(iri) else {
            return Ok(Vec::new());
        };
        let name = oxigraph::model::NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/name");
        // Who said what: the description by the reader's record's own source, else the
        // catalogue's own (`local`), else every source's.
        let own = crate::import::resource_graph(source, iri);
        let local = crate::import::resource_graph("local", iri);
        let mut found: Vec<(oxigraph::model::GraphName, (String, String))> = Vec::new();
        for q in self
            .db
            .quads_for_pattern(Some(node.as_ref().into()), Some(name), None, None)
        {
            let q = q?;
            if let Some(pair) = name_pair(q.object.as_ref()) {
                found.push((q.graph_name, pair));
            }
        }
        let from = |g: &NamedNode| -> Vec<(String, String)> {
            found
                .iter()
                .filter(|(graph, _)| matches!(graph, oxigraph::model::GraphName::NamedNode(n) if n == g))
                .map(|(_, p)| p.clone())
                .collect()
        };
        let mut out = from(&own);
        if out.is_empty() {
            out = from(&local);
        }
        if out.is_empty() {
            out = found.into_iter().map(|(_, p)| p).collect();
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|p| seen.insert(p.clone()));
        Ok(out)
    }

    /// What the store's units say of `iri` — its triples and those of the blank nodes they lead
    /// to — outside the bookkeeping: how a record's publisher or health data access body, a shared
    /// resource, is shown beside the record (catalogue pages, harvesters).
    pub fn describe(&self, iri: &str) -> Result<Graph, StoreError> {
        let mut g = Graph::new();
        let Ok(node) = NamedNode::new(iri) else {
            return Ok(g);
        };
        let mut todo: Vec<(
            oxigraph::model::NamedOrBlankNode,
            oxigraph::model::GraphName,
        )> = Vec::new();
        // In the order met (not a hash set): the same description comes out in the same order, so a
        // page that did not change has the same bytes (and ETag).
        let mut whole: Vec<NamedNode> = Vec::new();
        for q in self
            .db
            .quads_for_pattern(Some(node.as_ref().into()), None, None, None)
        {
            let q = q?;
            if q.graph_name == GraphNameRef::NamedNode(META_GRAPH).into_owned() {
                continue;
            }
            // A shared resource's or a catalogue's own unit is all about it, IRI-named parts
            // included (an agent's `…/contact` point, a homepage typed foaf:Document): given
            // whole.
            if let oxigraph::model::GraphName::NamedNode(g) = &q.graph_name
                && (g.as_str().starts_with(crate::import::RESOURCE_GRAPH_PREFIX)
                    || g.as_str().starts_with(crate::import::CATALOG_GRAPH_PREFIX))
            {
                if !whole.contains(g) {
                    whole.push(g.clone());
                }
                continue;
            }
            if let Term::BlankNode(b) = &q.object {
                todo.push((b.clone().into(), q.graph_name.clone()));
            }
            let t = TripleRef::new(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref());
            crate::codec::triple_with_decoded(t, |t| g.insert(t));
        }
        for unit in whole {
            self.read_graph(&unit, &mut g)?;
        }
        // Blank nodes (a vCard, an address) belong to the unit that names them.
        let mut seen = std::collections::HashSet::new();
        while let Some((b, graph)) = todo.pop() {
            if !seen.insert(b.clone()) {
                continue;
            }
            for q in self
                .db
                .quads_for_pattern(Some(b.as_ref()), None, None, Some(graph.as_ref()))
            {
                let q = q?;
                if let Term::BlankNode(c) = &q.object {
                    todo.push((c.clone().into(), q.graph_name.clone()));
                }
                let t = TripleRef::new(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref());
                crate::codec::triple_with_decoded(t, |t| g.insert(t));
            }
        }
        Ok(g)
    }

    /// The roots of the shared resource units if they were read since the last write.
    fn cached_shared_roots(&self) -> Option<std::sync::Arc<std::collections::HashSet<String>>> {
        let c = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        c.shared_roots.clone()
    }

    /// The roots of the shared resource units, kept until the next write: a catalogue page asks
    /// [`Store::shared_description`] about every IRI its records point to (thousands per page),
    /// and most are not shared resources — a set lookup instead of a database seek each.
    fn shared_roots(
        &self,
    ) -> Result<std::sync::Arc<std::collections::HashSet<String>>, StoreError> {
        self.kept(|c| &mut c.shared_roots, || self.read_shared_roots())
    }

    fn read_shared_roots(
        &self,
    ) -> Result<std::sync::Arc<std::collections::HashSet<String>>, StoreError> {
        let mut roots = std::collections::HashSet::new();
        for q in self
            .db
            .quads_for_pattern(None, Some(hc::ROOT), None, Some(META_GRAPH.into()))
        {
            let q: Quad = q?;
            if let (oxigraph::model::NamedOrBlankNode::NamedNode(g), Term::NamedNode(root)) =
                (&q.subject, q.object)
                && g.as_str().starts_with(crate::import::RESOURCE_GRAPH_PREFIX)
            {
                roots.insert(root.into_string());
            }
        }
        Ok(std::sync::Arc::new(roots))
    }

    /// Reads what the catalogue pages keep between writes (the sorted id list, the shared
    /// resources' roots), so that the first page after a start does not pay for it (2 s at 100k
    /// records). `serve` calls it in the background as it starts.
    pub fn warm(&self) -> Result<(), StoreError> {
        // Two scans of the bookkeeping, side by side.
        std::thread::scope(|scope| {
            let roots = scope.spawn(|| self.shared_roots().map(drop));
            self.sorted_ids()?;
            roots
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))
        })
    }

    /// Every record's local id, sorted; kept until the next write (see [`Store::warm`]).
    pub fn local_ids(&self) -> Result<Vec<LocalId>, StoreError> {
        Ok(self
            .sorted_ids()?
            .iter()
            .filter_map(|(id, _)| LocalId::new(id.clone()).ok())
            .collect())
    }

    /// `graph` (a record's) with the shared descriptions of every IRI it names: what the record
    /// needs beside it to be validated on its own (sent to a parent, restored from its history).
    pub fn with_shared(&self, graph: Graph) -> Result<Graph, StoreError> {
        self.with_shared_of(graph, None)
    }

    /// [`Store::with_shared`] for a record of `source`: where `source` describes a resource, its
    /// own description alone (a write of that record carries it back unchanged, and never copies
    /// another source's words into it).
    pub fn with_shared_from(&self, graph: Graph, source: &str) -> Result<Graph, StoreError> {
        self.with_shared_of(graph, Some(source))
    }

    /// [`Store::with_shared_from`] reading each shared description once per `cache`: for a pass
    /// over many records that name the same few agents (`healthcat quality` over the catalogue).
    /// The cache is only right while nothing is written.
    pub fn with_shared_from_cached(
        &self,
        mut graph: Graph,
        source: &str,
        cache: &mut SharedCache,
    ) -> Result<Graph, StoreError> {
        // Most IRIs a record names (its distributions, themes, licences…) are no shared
        // resource: the set of roots answers those without a seek, and they stay out of the
        // cache (which would otherwise grow by every distinct IRI of the pass).
        let roots = self.shared_roots()?;
        for iri in named_objects(&graph) {
            if !roots.contains(&iri) {
                continue;
            }
            let shared = match cache.0.entry((iri, source.to_owned())) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let shared = self.shared_description_of(&e.key().0, Some(source))?;
                    e.insert(shared)
                }
            };
            graph.extend(shared.iter());
        }
        Ok(graph)
    }

    fn with_shared_of(&self, mut graph: Graph, source: Option<&str>) -> Result<Graph, StoreError> {
        for iri in named_objects(&graph) {
            let shared = self.shared_description_of(&iri, source)?;
            graph.extend(shared.iter());
        }
        Ok(graph)
    }

    /// The shared resources (agents, code-list entries…) stored under `iri`, whole, from every
    /// source that described it: what a catalogue page adds beside the records that point to
    /// them, so the page can be validated on its own. Empty when `iri` is no shared resource.
    pub fn shared_description(&self, iri: &str) -> Result<Graph, StoreError> {
        self.shared_description_of(iri, None)
    }

    fn shared_description_of(&self, iri: &str, source: Option<&str>) -> Result<Graph, StoreError> {
        let mut g = Graph::new();
        // Most IRIs a page asks about are no shared resource: the set of roots, while no write
        // has changed it, answers without a database seek. After a write it is not rebuilt here
        // (a full scan per call made catalogue pages take 30 s under a stream of writes at 10k
        // records, `bench load`): each IRI is then looked up in the index below.
        if let Some(roots) = self.cached_shared_roots()
            && !roots.contains(iri)
        {
            return Ok(g);
        }
        let Ok(node) = NamedNode::new(iri) else {
            return Ok(g);
        };
        let mut units = Vec::new();
        for q in self.db.quads_for_pattern(
            None,
            Some(hc::ROOT),
            Some(node.as_ref().into()),
            Some(META_GRAPH.into()),
        ) {
            let oxigraph::model::NamedOrBlankNode::NamedNode(unit) = q?.subject else {
                continue;
            };
            if !unit
                .as_str()
                .starts_with(crate::import::RESOURCE_GRAPH_PREFIX)
            {
                continue;
            }
            units.push(unit);
        }
        if let Some(own) = source.map(|s| crate::import::resource_graph(s, iri))
            && units.contains(&own)
        {
            units = vec![own];
        }
        for unit in units {
            self.read_graph(&unit, &mut g)?;
        }
        Ok(g)
    }

    /// How many units of each kind, and quads in all (a walk over every quad: `stats`, not a
    /// probe; see [`Store::unit_counts`]).
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let mut c = self.count_units()?;
        c.quads = self.db.len()? as u64;
        Ok(c)
    }

    /// How many units of each kind, read from the bookkeeping (one quad per unit) and kept until
    /// the next write; `quads` is left at 0.
    pub fn unit_counts(&self) -> Result<Counts, StoreError> {
        self.kept(|c| &mut c.unit_counts, || self.count_units())
    }

    fn count_units(&self) -> Result<Counts, StoreError> {
        let mut c = Counts::default();
        for q in self
            .db
            .quads_for_pattern(None, Some(hc::KIND), None, Some(META_GRAPH.into()))
        {
            if let Term::Literal(l) = q?.object {
                match UnitKind::parse(l.value()) {
                    Some(UnitKind::Record(RecordKind::Dataset)) => c.datasets += 1,
                    Some(UnitKind::Record(RecordKind::DataService)) => c.services += 1,
                    Some(UnitKind::Record(RecordKind::DatasetSeries)) => c.series += 1,
                    Some(UnitKind::Catalog) => c.catalogs += 1,
                    Some(UnitKind::Resource) => c.resources += 1,
                    None => {}
                }
            }
        }
        for q in
            self.db
                .quads_for_pattern(None, Some(hc::VALIDATION), None, Some(META_GRAPH.into()))
        {
            if let Term::Literal(l) = q?.object
                && l.value().contains("\"conforms\":false")
            {
                c.invalid += 1;
            }
        }
        Ok(c)
    }

    /// This process's turn to write (see `Store::writing`).
    pub(crate) fn write_turn(&self) -> std::sync::MutexGuard<'_, ()> {
        // A writer that panicked left nothing half-written (writes are atomic): carry on.
        let turn = self
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // On a remote store another process may have written since: its change-feed numbers
        // are taken, and its records may be the ones this write plans against. (Two replicas
        // writing at the same instant can still pick the same number: docs/scaling.md.)
        if self.remote_config().is_some()
            && let Err(e) = self.sync_with_store()
        {
            tracing::warn!(error = %e, "cannot read the remote store's change feed before a write");
        }
        turn
    }

    /// The turn of a writer whose decision depends on what is stored — an edit checked against
    /// `If-Match` and the record's publisher, a push checked against the record's source: it
    /// holds the turn from its read to its write, so that no other such writer changes the
    /// record in between (a lost update). Writers that decide nothing from the store (an import,
    /// a harvest of its own source) need not take it; every write still takes the store's own
    /// short turn.
    pub fn decision_turn(&self) -> std::sync::MutexGuard<'_, ()> {
        // A writer that panicked left nothing half-written (writes are atomic): carry on.
        self.deciding
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces the quality assessment kept with record `id` — only if its content is still the
    /// one whose hash is `hash` (an assessment of older content never overwrites a newer one's).
    /// The record itself is unchanged (no revision). Returns whether it was replaced.
    pub fn keep_quality(&self, id: &LocalId, hash: &str, kept: &str) -> Result<bool, StoreError> {
        let _turn = self.write_turn();
        let Some(graph) = self.graph_for_local_id(id)? else {
            return Ok(false);
        };
        if self.meta(&graph)?.is_none_or(|m| m.hash != hash) {
            return Ok(false);
        }
        let subject: oxigraph::model::NamedOrBlankNode = graph.clone().into();
        let mut tx = self.db.start_transaction()?;
        let old: Vec<Quad> = tx
            .quads_for_pattern(
                Some(subject.as_ref()),
                Some(hc::QUALITY),
                None,
                Some(META_GRAPH.into()),
            )
            .collect::<Result<_, _>>()?;
        for q in &old {
            tx.remove(q);
        }
        // The day's figures kept no longer say what the assessments are.
        crate::trend::unmark(&mut tx)?;
        tx.insert(&Quad::new(
            subject,
            hc::QUALITY,
            Literal::new_simple_literal(kept),
            GraphName::NamedNode(META_GRAPH.into_owned()),
        ));
        let committed = tx.commit();
        self.quality_changed();
        committed?;
        Ok(true)
    }

    /// For every record: its key, source, publisher, when its content last changed and its last
    /// confirmation, if any (the annual review), read with one join on the bookkeeping.
    pub fn review_rows(&self) -> Result<Vec<ReviewRow>, StoreError> {
        let rows = self.record_rows(
            "review",
            &[
                (hc::MODIFIED, Needed::Required),
                (hc::CONFIRMED, Needed::Optional),
            ],
        )?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut values = r.values.into_iter();
                ReviewRow {
                    modified: values.next().flatten().unwrap_or_default(),
                    confirmed: values
                        .next()
                        .flatten()
                        .as_deref()
                        .and_then(crate::meta::Confirmation::parse),
                    local_id: r.local_id,
                    key: r.key,
                    source: r.source,
                    publisher: r.publisher,
                }
            })
            .collect())
    }

    /// Notes that `by` confirmed the current content of record `id` as still accurate at `time`
    /// (RFC 3339), replacing an earlier confirmation; the content, its revision history and the
    /// change feed are untouched. Returns whether the record exists.
    pub fn confirm(&self, id: &LocalId, time: &str, by: &str) -> Result<bool, StoreError> {
        let _turn = self.write_turn();
        let Some(graph) = self.graph_for_local_id(id)? else {
            return Ok(false);
        };
        let Some(mut meta) = self.meta(&graph)? else {
            return Ok(false);
        };
        meta.confirmed = Some(crate::meta::Confirmation {
            time: time.to_owned(),
            by: by.to_owned(),
        });
        let subject: oxigraph::model::NamedOrBlankNode = graph.clone().into();
        let mut tx = self.db.start_transaction()?;
        let old: Vec<Quad> = tx
            .quads_for_pattern(
                Some(subject.as_ref()),
                Some(hc::CONFIRMED),
                None,
                Some(META_GRAPH.into()),
            )
            .collect::<Result<_, _>>()?;
        for q in &old {
            tx.remove(q);
        }
        for q in meta.to_quads() {
            if q.predicate == hc::CONFIRMED {
                tx.insert(&q);
            }
        }
        tx.commit()?;
        Ok(true)
    }

    /// [`Store::withdraw`] by the catalogue itself (source `local`).
    pub fn delete(&self, id: &LocalId) -> Result<bool, StoreError> {
        self.withdraw(
            id,
            &crate::meta::Source {
                id: "local".into(),
                origin: "healthcat".into(),
                run: None,
                comment: None,
            },
        )
    }

    /// Deletes the record with this local id, atomically with its bookkeeping, and the shared
    /// resources of its source that no other unit refers to any more, recording the withdrawal
    /// (with the lines it removed) as made by `by`. Returns whether it existed.
    pub fn withdraw(&self, id: &LocalId, by: &crate::meta::Source) -> Result<bool, StoreError> {
        let _turn = self.write_turn();
        let Some(graph) = self.graph_for_local_id(id)? else {
            return Ok(false);
        };
        let meta = self.meta(&graph)?;
        let mut tx = self.db.start_transaction()?;
        let referenced: Vec<NamedNode> = tx
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .filter_map(|q| match q.ok()?.object {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
            .collect();
        let old = crate::import::snapshot_text(&tx, &graph)?;
        let now = jiff::Timestamp::now().to_string();
        tx.extend(
            crate::revisions::revision_quads(
                &graph,
                crate::revisions::Change::Withdrawn,
                by,
                &now,
                &old,
                "",
            )
            .iter(),
        );
        let seq = self.feed_next();
        let has_event = meta.is_some();
        if let Some(meta) = &meta {
            tx.insert(&crate::feed::event_quad(&crate::feed::FeedEvent {
                seq,
                kind: crate::revisions::Change::Withdrawn,
                time: now.clone(),
                id: id.to_string(),
                key: meta.key.clone(),
                hash: meta.hash.clone(),
                source: meta.source.clone(),
            }));
            crate::feed::set_head(&mut tx, seq)?;
        }
        tx.remove_named_graph(graph.as_ref())?;
        crate::import::remove_meta(&mut tx, &graph)?;
        if let Some(meta) = meta {
            crate::import::collect_unreferenced(&mut tx, &meta.source, referenced)?;
        }
        let committed = tx.commit();
        self.changed();
        committed?;
        if has_event {
            self.feed_committed(seq);
            self.settle_feed(seq, seq, &now);
        }
        Ok(true)
    }
}

/// A `foaf:name` object as [`Store::names_of`] gives it, (language, value): a literal, else
/// nothing. Shared with whoever resolves names before they are stored (the streamed import's
/// index).
pub fn name_pair(object: oxrdf::TermRef<'_>) -> Option<(String, String)> {
    match object {
        oxrdf::TermRef::Literal(l) => Some((
            l.language().unwrap_or_default().to_owned(),
            l.value().to_owned(),
        )),
        _ => None,
    }
}
