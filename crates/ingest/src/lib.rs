//! # healthcat-ingest
//!
//! Records reach the catalogue in several ways — a file imported by hand, a page read by the
//! harvester, a push to the ingest API, an edit — and each must be treated the same: every record
//! validated on its own against the profile ([`validation`]), invalid records held back or kept
//! flagged by policy, each new or changed dataset's quality assessed and kept with it
//! ([`healthcat_quality`]: so pages and dashboards read stored numbers), the document's units
//! stored in one transaction (unchanged ones skipped by their canonical hash), and the search
//! index brought along for what changed. [`Ingest`] is that
//! path; callers parse and say where the document came from.
//!
//! ```
//! use healthcat_ingest::Ingest;
//! use healthcat_store::{Format, ParseOptions, Source, Store, parse_document};
//!
//! let store = Store::in_memory()?;
//! let ttl = r#"<https://example.org/ds/1> a <http://www.w3.org/ns/dcat#Dataset> ;
//!                <http://purl.org/dc/terms/title> "One"@en ."#;
//! let doc = parse_document(ttl.as_bytes(), Format::Turtle, "one.ttl", &ParseOptions::default())?;
//! let outcome = Ingest::new(&store).document(&doc.graph, &Source::local_file("one.ttl"))?;
//! assert_eq!(outcome.report.record_tally.added, 1);
//! assert!(outcome.rejected.is_empty());
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod drafts;
pub mod edit;
pub mod push;
pub mod sheet;
mod stream;
pub use stream::Progress;
pub mod validation;

static CONFIGURED: std::sync::OnceLock<std::sync::Arc<Assessor>> = std::sync::OnceLock::new();

/// Makes `assessor` (an instance's own label framework, `[quality] label`) the one every
/// [`Ingest`] uses by default, instead of the bundled one; call it once, before the first write
/// (a later call changes nothing and returns `false`).
pub fn configure_assessor(assessor: std::sync::Arc<Assessor>) -> bool {
    CONFIGURED.set(assessor).is_ok()
}

/// The assessor every write uses unless told otherwise: the one [`configure_assessor`] set, else
/// the bundled DCAT-AP 3 profile, vocabularies and label framework, compiled once per process. `None` if the bundled profile does not load (a broken
/// build; the tests load it).
pub fn default_assessor() -> Option<&'static std::sync::Arc<Assessor>> {
    if let Some(a) = CONFIGURED.get() {
        return Some(a);
    }
    static BUNDLED: std::sync::OnceLock<Option<std::sync::Arc<Assessor>>> =
        std::sync::OnceLock::new();
    BUNDLED
        .get_or_init(|| match Assessor::bundled() {
            Ok(a) => Some(std::sync::Arc::new(a)),
            Err(e) => {
                tracing::error!(error = %e, "the bundled DCAT-AP 3 profile does not load: quality is not assessed");
                None
            }
        })
        .as_ref()
}

use healthcat_model::LocalId;
use healthcat_profiles::Profile;
use healthcat_quality::Assessor;
use healthcat_search::SearchIndex;
use healthcat_store::{DocGraph, ImportReport, Outcome as StoreOutcome, Source, Store, split};
use serde::Serialize;
use std::collections::HashMap;

/// Why a document could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The document holds no record at all.
    #[error(
        "no dcat:Dataset, dcat:DataService or dcat:DatasetSeries found ({triples} triples read)"
    )]
    NoRecords {
        /// Triples in the document.
        triples: usize,
    },
    /// The document could not be cut into units.
    #[error("{0}")]
    Split(String),
    /// The store failed underneath; nothing of the document was written.
    #[error("storing failed: {0}")]
    Store(#[from] healthcat_store::StoreError),
    /// The document changes descriptions its writer does not own (see [`Stewardship`]); nothing
    /// was stored.
    #[error(
        "nothing was stored: this write may refer to these but not change their descriptions: {}. \
         Leave their descriptions out of the document (refer to them by IRI), or ask their owner \
         or an administrator to change them",
        .0.join("; ")
    )]
    NotYours(Vec<String>),
    /// The records were stored but the search index could not follow; it catches up when it is
    /// next opened (reconciliation).
    #[error("the records are stored but the search index could not follow: {0}")]
    Index(String),
    /// A file read part by part could not be read that way, or is wrong; nothing was stored.
    #[error(transparent)]
    Stream(#[from] healthcat_store::StreamError),
    /// The write asked for options this path does not have; nothing was stored.
    #[error("{0}")]
    Unsupported(&'static str),
}

impl IngestError {
    /// Why a streamed import stopped before storing anything although the file may be fine
    /// read whole: not grouped by record, or changing stored records (see [`Ingest::stream`]).
    pub fn read_whole(&self) -> Option<String> {
        match self {
            IngestError::Stream(healthcat_store::StreamError::NotGrouped(why)) => Some(why.clone()),
            IngestError::Store(e @ healthcat_store::StoreError::WouldReplace(_)) => {
                Some(e.to_string())
            }
            _ => None,
        }
    }
}

/// What a write may change besides its own records: the shared resources (publishers, access
/// bodies, contact points, code-list entries) and catalogue descriptions its document carries.
///
/// A record's write carries its own graph and may *refer* to shared resources; it changes their
/// descriptions only when its writer owns them. Shared resources are kept per source (a harvest
/// source's or a provider's description of an agent never replaces another source's), so what is
/// at stake is the writer's own source — `local` for the catalogue's own records — and the
/// catalogue descriptions, which are kept once per IRI. Owners (documented in
/// `docs/storage.md`):
/// - a shared resource of `local`: an administrator or the operator (files imported by hand),
///   and the editors of the publisher it describes; any editor may describe one that is not
///   stored yet;
/// - a shared resource of a harvest source or push provider: that source;
/// - a catalogue description: the source that stored it first (an administrator or the
///   operator may change any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Stewardship {
    /// The operator or an administrator: every description of the writer's source, and every
    /// catalogue.
    #[default]
    Any,
    /// A harvest source or a push provider: the descriptions of its own source, and the
    /// catalogues it stored first.
    OwnSource,
    /// An editor scoped to these publishers (IRIs): new shared resources and catalogues, and the
    /// descriptions of these publishers.
    Publishers(Vec<String>),
}

/// What to do with the descriptions a write may not change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NotOwned {
    /// Refuse the whole document ([`IngestError::NotYours`]): a client that sent them learns
    /// they were not taken.
    #[default]
    Refuse,
    /// Store the rest and leave them as they are ([`Outcome::left`]): a harvest cannot answer.
    Leave,
}

/// A record held back by validation.
#[derive(Debug, Clone, Serialize)]
pub struct Rejected {
    /// The record's identity key (its IRI, or the key of a blank-node record).
    pub key: String,
    /// The record as people read it (`<iri>`, or what identifies a blank-node record).
    pub label: String,
    /// Violations.
    pub violations: usize,
    /// Warnings.
    pub warnings: usize,
    /// The first violations, in words.
    pub messages: Vec<String>,
}

/// What became of a document.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    /// What the store did with each unit.
    pub report: ImportReport,
    /// Records held back by validation (policy `reject`).
    pub rejected: Vec<Rejected>,
    /// Records stored although they have violations (policy `keep flagged`), by key.
    pub flagged: Vec<String>,
    /// Records left as they are because another source brought them first (see
    /// [`Ingest::leaving_others`]): (key, that source).
    pub elsewhere: Vec<(String, String)>,
    /// Shared resources and catalogues the document describes but its writer may not change
    /// ([`NotOwned::Leave`]), left as they are: (the unit as people read it, why).
    pub left: Vec<(String, String)>,
}

impl Outcome {
    /// Local ids of the records the store added or changed.
    pub fn changed(&self) -> Vec<LocalId> {
        self.report
            .records
            .iter()
            .filter(|r| r.outcome != StoreOutcome::Unchanged)
            .filter_map(|r| LocalId::new(&r.id).ok())
            .collect()
    }
}

/// The ingest path over one store, with its options.
pub struct Ingest<'a> {
    store: &'a Store,
    index: Option<&'a SearchIndex>,
    profile: Option<&'a Profile>,
    keep_invalid: bool,
    all_or_nothing: bool,
    lang: String,
    origins: Option<&'a HashMap<String, String>>,
    leave_others: bool,
    stewardship: Stewardship,
    not_owned: NotOwned,
    assessor: Option<&'a Assessor>,
    atomicity: healthcat_store::Atomicity,
    record_lines: bool,
}

impl<'a> Ingest<'a> {
    /// Stores without validating and without an index.
    pub fn new(store: &'a Store) -> Self {
        Self {
            store,
            index: None,
            profile: None,
            keep_invalid: false,
            all_or_nothing: false,
            lang: "en".into(),
            origins: None,
            leave_others: false,
            stewardship: Stewardship::Any,
            not_owned: NotOwned::Refuse,
            assessor: default_assessor().map(|a| a.as_ref()),
            atomicity: healthcat_store::Atomicity::Document,
            record_lines: true,
        }
    }

    /// Whether a streamed import's report lists each record ([`Ingest::stream`]; by default it
    /// does). Without, [`Outcome::report`] has the tallies only, and a million records do not
    /// hold a quarter of a gigabyte of lines until the end. A whole document's report always
    /// lists them: its caller indexes what changed from them.
    pub fn record_lines(mut self, lines: bool) -> Self {
        self.record_lines = lines;
        self
    }

    /// How much of each document's write is one atomic step (by default the whole document; a
    /// harvest page may be written unit by unit, see [`healthcat_store::Atomicity::Unit`]).
    pub fn atomicity(mut self, atomicity: healthcat_store::Atomicity) -> Self {
        self.atomicity = atomicity;
        self
    }

    /// Assesses each new or changed dataset's quality with `assessor` (by default the bundled
    /// one, [`default_assessor`]) and keeps it with the record; `None` does not assess.
    pub fn assessing(mut self, assessor: Option<&'a Assessor>) -> Self {
        self.assessor = assessor;
        self
    }

    /// What the writer may change besides its records, and what becomes of the rest (by
    /// default: [`Stewardship::Any`]).
    pub fn stewardship(mut self, stewardship: Stewardship, not_owned: NotOwned) -> Self {
        self.stewardship = stewardship;
        self.not_owned = not_owned;
        self
    }

    /// Why the writer may not change the stored description `unit` would replace, if it may not.
    fn not_owned_reason(
        &self,
        unit: &healthcat_store::Unit,
        source: &Source,
    ) -> Result<Option<String>, IngestError> {
        if unit.is_record() || self.stewardship == Stewardship::Any {
            return Ok(None);
        }
        // A description of a stored record or catalogue that does not say what it is (no
        // rdf:type) is cut out as a shared resource; it would still add to what that record or
        // catalogue says wherever descriptions are merged (SPARQL, catalogue pages).
        if unit.kind == healthcat_store::UnitKind::Resource {
            let as_record = self.store.record_by_key(&unit.key)?;
            let as_catalog = self.store.catalog_by_key(&unit.key)?;
            if let Some(m) = as_record.or(as_catalog) {
                return Ok(Some(format!(
                    "{} (stored as a {} of the source {}: only its own writes describe it)",
                    unit.label(),
                    m.kind.as_str(),
                    m.source
                )));
            }
        }
        let Some(stored) = self.store.unit_meta(unit, &source.id)? else {
            // New: anyone may describe it first.
            return Ok(None);
        };
        let why = match (&self.stewardship, unit.kind) {
            (_, healthcat_store::UnitKind::Catalog) if stored.source != source.id => format!(
                "{} (a catalogue described by the source {})",
                unit.label(),
                stored.source
            ),
            (Stewardship::Publishers(_), healthcat_store::UnitKind::Catalog)
                if stored.hash != unit.hash =>
            {
                format!(
                    "{} (a catalogue: only an administrator may change its description)",
                    unit.label()
                )
            }
            (Stewardship::Publishers(mine), healthcat_store::UnitKind::Resource)
                if stored.hash != unit.hash && !mine.contains(&unit.key) =>
            {
                format!(
                    "{} (a shared resource: only an administrator, or an editor of {0}, may \
                     change its description)",
                    unit.label()
                )
            }
            _ => return Ok(None),
        };
        Ok(Some(why))
    }

    /// Validates every record against `profile`; `keep_invalid` stores those with violations
    /// (flagged in their bookkeeping) instead of holding them back. Messages in `lang`.
    pub fn validating(
        mut self,
        profile: Option<&'a Profile>,
        keep_invalid: bool,
        lang: &str,
    ) -> Self {
        self.profile = profile;
        self.keep_invalid = keep_invalid;
        self.lang = lang.to_owned();
        self
    }

    /// Stores nothing of a document in which a record was held back (a push is accepted whole or
    /// refused whole).
    pub fn all_or_nothing(mut self) -> Self {
        self.all_or_nothing = true;
        self
    }

    /// Names, by record key, the address each record was read from when a document gathers
    /// several (a FAIR Data Point crawl); records not named get the source's origin.
    pub fn origins(mut self, origins: &'a HashMap<String, String>) -> Self {
        self.origins = Some(origins);
        self
    }

    /// Leaves alone the records another source brought first: a record that reaches the catalogue
    /// by two paths (an institution harvested directly and through a regional node) stays one
    /// record, owned by the first, instead of changing hands at every run. Once the first source
    /// withdraws it, the next run of another source that lists it stores it anew.
    pub fn leaving_others(mut self) -> Self {
        self.leave_others = true;
        self
    }

    /// Re-indexes what changed in `index` after each document.
    pub fn indexing(mut self, index: Option<&'a SearchIndex>) -> Self {
        self.index = index;
        self
    }

    /// Validates and assesses the records of `units` that are new or changed; keeps each one's
    /// summary and assessment with it and moves those held back to `outcome`. `context` and
    /// `linked` are what a part of a streamed file needs from the parts before it (see
    /// [`healthcat_store::Part`]).
    fn check(
        &self,
        doc: &DocGraph,
        units: Vec<healthcat_store::Unit>,
        context: &[healthcat_store::Unit],
        linked: Vec<oxrdf::Triple>,
        outcome: &mut Outcome,
    ) -> Result<Vec<healthcat_store::Unit>, IngestError> {
        // A record stored with this very content was validated and assessed when it was
        // stored: only new and changed records are checked again (a re-harvest where 1 %
        // changed checks 1 %).
        let mut unchanged = Vec::with_capacity(units.len());
        for u in &units {
            unchanged.push(
                u.is_record()
                    && self
                        .store
                        .record_by_key(&u.key)?
                        .is_some_and(|m| m.hash == u.hash),
            );
        }
        // The class of the stored records the document's records link to (a series stored
        // before the edition that names it).
        let mut stored = self.store.linked_record_types(
            units
                .iter()
                .filter(|u| u.is_record())
                .flat_map(|u| u.triples(doc)),
        )?;
        stored.extend(linked);
        let checked = validation::check_records(
            doc,
            &units,
            context,
            &unchanged,
            &stored,
            self.profile,
            self.assessor,
            &self.lang,
        );
        let mut keep = Vec::with_capacity(units.len());
        for (mut unit, c) in units.into_iter().zip(checked) {
            unit.quality = c.quality;
            if let (Some(profile), Some(v)) = (self.profile, c.verdict) {
                unit.validation = Some(v.summary(&profile.name));
                if v.violations > 0 {
                    if !self.keep_invalid {
                        outcome.rejected.push(Rejected {
                            key: unit.key.clone(),
                            label: unit.label(),
                            violations: v.violations,
                            warnings: v.warnings,
                            messages: v.first,
                        });
                        continue;
                    }
                    outcome.flagged.push(unit.key.clone());
                }
            }
            keep.push(unit);
        }
        Ok(keep)
    }

    /// Validates, stores and indexes one parsed document as coming from `source`.
    pub fn document(&self, doc: &DocGraph, source: &Source) -> Result<Outcome, IngestError> {
        let started = std::time::Instant::now();
        let mut units = split(doc).map_err(|e| IngestError::Split(e.to_string()))?;
        if !units.iter().any(healthcat_store::Unit::is_record) {
            return Err(IngestError::NoRecords { triples: doc.len() });
        }
        let mut outcome = Outcome::default();
        if self.leave_others {
            let mut mine = Vec::with_capacity(units.len());
            for u in units {
                if u.is_record()
                    && let Some(m) = self.store.record_by_key(&u.key)?
                    && m.source != source.id
                {
                    outcome.elsewhere.push((u.key, m.source));
                    continue;
                }
                mine.push(u);
            }
            units = mine;
            if !units.iter().any(healthcat_store::Unit::is_record) {
                return Ok(outcome);
            }
        }
        if self.stewardship != Stewardship::Any {
            let mut refused = Vec::new();
            let mut mine = Vec::with_capacity(units.len());
            for u in units {
                match self.not_owned_reason(&u, source)? {
                    Some(why) => refused.push((u.label(), why)),
                    None => mine.push(u),
                }
            }
            units = mine;
            if !refused.is_empty() {
                match self.not_owned {
                    NotOwned::Refuse => {
                        return Err(IngestError::NotYours(
                            refused.into_iter().map(|(_, why)| why).collect(),
                        ));
                    }
                    NotOwned::Leave => outcome.left = refused,
                }
            }
        }
        if let Some(origins) = self.origins {
            for u in &mut units {
                u.origin = origins.get(&u.key).cloned();
            }
        }
        let checking = std::time::Instant::now();
        if self.profile.is_some() || self.assessor.is_some() {
            units = self.check(doc, units, &[], Vec::new(), &mut outcome)?;
            let refused = self.all_or_nothing && !outcome.rejected.is_empty();
            if refused || !units.iter().any(healthcat_store::Unit::is_record) {
                return Ok(outcome);
            }
        }
        // The index is marked behind the store from before the write until it has the change
        // (see `healthcat_search::SearchIndex::behind`): a process stopped in between leaves the
        // mark, and the next open catches the index up.
        let behind = mark_behind(self.index)?;
        // Shared resources this write changes (a publisher's maturity, a contact's address): the
        // stored datasets that name them see them change, and are assessed again below.
        let mut redescribed = Vec::new();
        if self.assessor.is_some() {
            for u in units.iter().filter(|u| !u.is_record()) {
                if self
                    .store
                    .unit_meta(u, &source.id)?
                    .is_some_and(|m| m.hash != u.hash)
                {
                    redescribed.push(u.key.clone());
                }
            }
        }
        let storing = std::time::Instant::now();
        outcome.report = self
            .store
            .import_units_with(doc, &units, source, self.atomicity)?;
        let indexing = std::time::Instant::now();
        follow(self.index, behind, self.store, &outcome.changed())?;
        tracing::debug!(
            units = units.len(),
            prepare_ms = (checking - started).as_millis() as u64,
            validate_ms = (storing - checking).as_millis() as u64,
            store_ms = (indexing - storing).as_millis() as u64,
            index_ms = indexing.elapsed().as_millis() as u64,
            "document ingested"
        );
        if let Some(assessor) = self.assessor
            && !redescribed.is_empty()
        {
            reassess_naming(
                self.store,
                self.index,
                assessor,
                &redescribed,
                &outcome.changed(),
            )?;
        }
        Ok(outcome)
    }
}

/// Marks `index` (if any) behind the store until the returned mark is dropped or caught up.
fn mark_behind(
    index: Option<&SearchIndex>,
) -> Result<Option<healthcat_search::Behind<'_>>, IngestError> {
    index
        .map(|i| i.behind().map_err(|e| IngestError::Index(e.to_string())))
        .transpose()
}

/// Re-indexes `changed` in `index` (if any) after a write, and clears the `behind` mark.
fn follow(
    index: Option<&SearchIndex>,
    behind: Option<healthcat_search::Behind<'_>>,
    store: &Store,
    changed: &[LocalId],
) -> Result<(), IngestError> {
    if let (Some(index), Some(behind)) = (index, behind) {
        index
            .refresh(store, changed)
            .map_err(|e| IngestError::Index(e.to_string()))?;
        behind.caught_up();
    }
    Ok(())
}

/// Assesses again the stored datasets that name one of the shared resources `iris` (their
/// descriptions just changed), except those in `written` (assessed with the write), and keeps
/// each new assessment that differs from the kept one. Returns how many changed.
fn reassess_naming(
    store: &Store,
    index: Option<&SearchIndex>,
    assessor: &Assessor,
    iris: &[String],
    written: &[LocalId],
) -> Result<usize, IngestError> {
    let mut ids = Vec::new();
    for iri in iris {
        ids.extend(store.records_naming(iri)?);
    }
    ids.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    ids.dedup();
    let written: std::collections::HashSet<&LocalId> = written.iter().collect();
    ids.retain(|id| !written.contains(id));
    let mut cache = healthcat_store::SharedCache::default();
    let mut kept = Vec::new();
    for id in ids {
        let Some(record) = store.get(&id)? else {
            continue;
        };
        let Some(a) = assess_stored(store, assessor, &record, Some(&mut cache))? else {
            continue;
        };
        let json = a.kept().to_json();
        if record.meta.quality.as_deref() != Some(json.as_str()) {
            kept.push((id, record.meta.hash, json));
        }
    }
    keep_quality(store, index, &kept)
}

/// The assessment of a stored dataset as a write would compute it: its record with the shared
/// resources the catalogue holds for its source (read through `cache` when given: a pass over
/// many records while nothing is written), the label's "standardised metadata" following the
/// validation kept with it; `None` for anything but a dataset.
pub fn assess_stored(
    store: &Store,
    assessor: &Assessor,
    record: &healthcat_store::StoredRecord,
    cache: Option<&mut healthcat_store::SharedCache>,
) -> Result<Option<healthcat_quality::Assessment>, IngestError> {
    let meta = &record.meta;
    if meta.kind != healthcat_store::UnitKind::Record(healthcat_model::RecordKind::Dataset) {
        return Ok(None);
    }
    let Some(root) = &meta.root else {
        return Ok(None);
    };
    let mut graph = match cache {
        Some(cache) => store.with_shared_from_cached(record.graph.clone(), &meta.source, cache)?,
        None => store.with_shared_from(record.graph.clone(), &meta.source)?,
    };
    // The class of the records it links to (its series…), as a write saw them.
    let linked = store.linked_record_types(record.graph.iter())?;
    graph.extend(linked.iter());
    let verdict = meta
        .validation
        .as_deref()
        .and_then(validation::stored_verdict);
    let validated =
        verdict.as_ref().map(
            |(profile, violations)| healthcat_quality::label::Conformance {
                profile,
                violations: *violations,
            },
        );
    Ok(Some(assessor.assess_validated(
        &graph,
        root.as_ref(),
        None,
        validated,
    )))
}

/// Keeps new quality assessments of stored records whose content did not change (after the link
/// checker ran): each `(id, hash, kept)` replaces what is kept only if the record still has the
/// content `hash`; the index follows (its facets and sorts read the kept assessment), marked
/// behind the store until it has. Returns how many were replaced.
pub fn keep_quality(
    store: &Store,
    index: Option<&SearchIndex>,
    kept: &[(LocalId, String, String)],
) -> Result<usize, IngestError> {
    let behind = mark_behind(index)?;
    let mut changed = Vec::new();
    for (id, hash, json) in kept {
        if store.keep_quality(id, hash, json)? {
            changed.push(id.clone());
        }
    }
    follow(index, behind, store, &changed)?;
    Ok(changed.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use healthcat_store::{Format, ParseOptions, parse_document};

    const TWO: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://ex.org/good> a dcat:Dataset ; dct:title "Good"@en ; dct:description "Fine."@en .
        <https://ex.org/bad> a dcat:Dataset ."#;

    fn doc() -> DocGraph {
        parse_document(
            TWO.as_bytes(),
            Format::Turtle,
            "two.ttl",
            &ParseOptions::default(),
        )
        .unwrap()
        .graph
    }

    #[test]
    fn invalid_records_are_held_back_or_flagged_and_the_index_follows() {
        let profile = Profile::builtin("dcat-ap-3").unwrap();
        let source = Source::local_file("two.ttl");

        let store = Store::in_memory().unwrap();
        let index = SearchIndex::in_memory().unwrap();
        let out = Ingest::new(&store)
            .validating(Some(&profile), false, "en")
            .indexing(Some(&index))
            .document(&doc(), &source)
            .unwrap();
        assert_eq!(out.rejected.len(), 1, "{out:?}");
        assert_eq!(out.rejected[0].key, "https://ex.org/bad");
        assert_eq!(out.rejected[0].label, "<https://ex.org/bad>");
        assert!(out.rejected[0].messages[0].contains("dct:title"), "{out:?}");
        assert_eq!(out.report.record_tally.added, 1);
        assert_eq!(index.len(), 1, "the stored record is searchable");

        let store = Store::in_memory().unwrap();
        let out = Ingest::new(&store)
            .validating(Some(&profile), true, "en")
            .document(&doc(), &source)
            .unwrap();
        assert!(out.rejected.is_empty());
        assert_eq!(out.flagged, ["https://ex.org/bad"]);
        assert_eq!(out.report.record_tally.added, 2);

        let empty = parse_document(
            "<https://ex.org/x> <https://ex.org/p> 1 .".as_bytes(),
            Format::Turtle,
            "x.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        assert!(matches!(
            Ingest::new(&store).document(&empty.graph, &source),
            Err(IngestError::NoRecords { triples: 1 })
        ));
    }

    #[test]
    fn each_written_dataset_keeps_its_quality_and_an_unchanged_one_keeps_the_last() {
        let store = Store::in_memory().unwrap();
        let source = Source::local_file("two.ttl");
        Ingest::new(&store).document(&doc(), &source).unwrap();
        let kept = |key: &str| {
            let m = store.record_by_key(key).unwrap().unwrap();
            healthcat_quality::Kept::from_json(m.quality.as_deref().unwrap()).unwrap()
        };
        // "good" has what DCAT-AP 3 requires of a dataset (a title and a description), so it
        // earns the 30 points of DCAT-AP compliance, and nothing else the MQA counts.
        let good = kept("https://ex.org/good");
        assert_eq!(good.summary.total, 30);
        assert!(
            good.open_metrics().any(|m| m == "keywordAvailability"),
            "{good:?}"
        );
        assert!(!good.open_metrics().any(|m| m == "dcatApCompliance"));
        // With no distribution, adding one comes first, worth up to 140 points.
        assert_eq!(
            good.advice[0].key, "advice.distribution.missing",
            "{good:?}"
        );
        assert_eq!(good.advice[0].points, 140, "{good:?}");
        assert_eq!(good.advice[1].key, "advice.keyword.missing", "{good:?}");
        // A keyword earns its 30 points at the next write; the other record is unchanged and
        // keeps what it had.
        let more = TWO.replace(
            "dct:description \"Fine.\"@en",
            "dct:description \"Fine.\"@en ; dcat:keyword \"k\"@en",
        );
        assert_ne!(more, TWO);
        let more = parse_document(
            more.as_bytes(),
            Format::Turtle,
            "two.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        let bad_before = store.record_by_key("https://ex.org/bad").unwrap().unwrap();
        Ingest::new(&store).document(&more.graph, &source).unwrap();
        assert_eq!(
            kept("https://ex.org/good").summary.total,
            good.summary.total + 30
        );
        let bad_after = store.record_by_key("https://ex.org/bad").unwrap().unwrap();
        assert_eq!(
            (bad_after.modified, bad_after.quality),
            (bad_before.modified, bad_before.quality)
        );
        // Without an assessor, nothing is kept.
        let store = Store::in_memory().unwrap();
        Ingest::new(&store)
            .assessing(None)
            .document(&doc(), &source)
            .unwrap();
        assert_eq!(
            store
                .record_by_key("https://ex.org/good")
                .unwrap()
                .unwrap()
                .quality,
            None
        );
    }

    /// A new assessment of unchanged content (the link checker's) replaces the kept one, in the
    /// store and in the index's facets; one computed on older content is refused.
    #[test]
    fn a_new_assessment_of_the_same_content_is_kept_and_indexed() {
        let store = Store::in_memory().unwrap();
        let index = SearchIndex::in_memory().unwrap();
        let source = Source::local_file("two.ttl");
        Ingest::new(&store)
            .indexing(Some(&index))
            .document(&doc(), &source)
            .unwrap();
        let meta = store.record_by_key("https://ex.org/good").unwrap().unwrap();
        let id = meta.local_id.clone().unwrap();
        let mut kept =
            healthcat_quality::Kept::from_json(meta.quality.as_deref().unwrap()).unwrap();
        let band_count = |band: &str| {
            let r = healthcat_search::SearchRequest::from_params(&[(
                "quality".to_owned(),
                band.to_owned(),
            )])
            .unwrap();
            index.search(&r).unwrap().total
        };
        assert_eq!(band_count("excellent"), 0);
        // What the dashboards read, kept by the store between writes.
        let listed = |store: &Store| {
            store
                .kept_quality()
                .unwrap()
                .iter()
                .find(|k| k.local_id == id)
                .map(|k| k.kept.clone())
        };
        assert_eq!(listed(&store).as_deref(), meta.quality.as_deref());
        kept.summary.total = 400;
        kept.summary.band = healthcat_quality::Band::Excellent;
        let json = kept.to_json();
        // Computed on other content: refused.
        let n = keep_quality(
            &store,
            Some(&index),
            &[(id.clone(), "not-its-hash".into(), json.clone())],
        )
        .unwrap();
        assert_eq!(n, 0);
        assert_eq!(band_count("excellent"), 0);
        let n = keep_quality(
            &store,
            Some(&index),
            &[(id.clone(), meta.hash.clone(), json.clone())],
        )
        .unwrap();
        assert_eq!(n, 1);
        let after = store.record_by_key("https://ex.org/good").unwrap().unwrap();
        assert_eq!(after.quality.as_deref(), Some(json.as_str()));
        assert_eq!(listed(&store).as_deref(), Some(json.as_str()));
        // The content, its hash and its date are untouched.
        assert_eq!((after.hash, after.modified), (meta.hash, meta.modified));
        assert_eq!(band_count("excellent"), 1);
    }

    /// A publisher's description changed by one write (its declared maturity) is seen by the
    /// other stored datasets that name it: their kept assessments follow.
    #[test]
    fn a_shared_description_changed_reassesses_the_datasets_naming_it() {
        let store = Store::in_memory().unwrap();
        let source = Source::local_file("p.ttl");
        let write = |ttl: &str| {
            let d = parse_document(
                ttl.as_bytes(),
                Format::Turtle,
                "p.ttl",
                &ParseOptions::default(),
            )
            .unwrap()
            .graph;
            Ingest::new(&store).document(&d, &source).unwrap()
        };
        const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> . \
            @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> . \
            @prefix dqv: <http://www.w3.org/ns/dqv#> .";
        write(&format!(
            "{PREFIXES} <https://ex.org/a> a dcat:Dataset ; dct:title \"A\"@en ; \
               dct:publisher <https://ex.org/p> . \
             <https://ex.org/p> a foaf:Agent ; foaf:name \"P\"@en ."
        ));
        let maturity = |key: &str| {
            let m = store.record_by_key(key).unwrap().unwrap();
            healthcat_quality::Kept::from_json(m.quality.as_deref().unwrap())
                .unwrap()
                .label
                .unwrap()
                .maturity
        };
        assert_eq!(maturity("https://ex.org/a"), None);
        // Another dataset's write declares the publisher's maturity.
        let outcome = write(&format!(
            "{PREFIXES} <https://ex.org/b> a dcat:Dataset ; dct:title \"B\"@en ; \
               dct:publisher <https://ex.org/p> . \
             <https://ex.org/p> a foaf:Agent ; foaf:name \"P\"@en ; dqv:hasQualityMeasurement \
               [ dqv:isMeasurementOf <urn:healthcat:quantum:maturity-governance> ; dqv:value 4 ] ."
        ));
        assert_eq!(outcome.report.resources.updated, 1);
        assert_eq!(maturity("https://ex.org/b"), Some((4, 1)));
        assert_eq!(maturity("https://ex.org/a"), Some((4, 1)));
    }

    #[test]
    fn each_record_remembers_where_and_in_which_run_it_was_read() {
        let store = Store::in_memory().unwrap();
        let source = Source {
            id: "fdp".into(),
            origin: "https://fdp.example/".into(),
            run: Some("fdp/2026-12-01T00:00:00Z".into()),
            comment: None,
        };
        let origins = HashMap::from([(
            "https://ex.org/good".to_owned(),
            "https://fdp.example/dataset/good".to_owned(),
        )]);
        Ingest::new(&store)
            .origins(&origins)
            .document(&doc(), &source)
            .unwrap();
        let good = store.record_by_key("https://ex.org/good").unwrap().unwrap();
        assert_eq!(good.origin, "https://fdp.example/dataset/good");
        assert_eq!(good.run.as_deref(), Some("fdp/2026-12-01T00:00:00Z"));
        let bad = store.record_by_key("https://ex.org/bad").unwrap().unwrap();
        assert_eq!(
            bad.origin, "https://fdp.example/",
            "not named: the source's"
        );

        // The same records through another source: left to the first.
        let other = Source {
            id: "regional".into(),
            origin: "https://regional.example/".into(),
            run: None,
            comment: None,
        };
        let out = Ingest::new(&store)
            .leaving_others()
            .document(&doc(), &other)
            .unwrap();
        assert_eq!(out.elsewhere.len(), 2, "{out:?}");
        assert_eq!(out.elsewhere[0].1, "fdp");
        let good = store.record_by_key("https://ex.org/good").unwrap().unwrap();
        assert_eq!(good.source, "fdp");
    }
}
