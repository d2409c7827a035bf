//! The index: writing documents, reading the hashes back for reconciliation.

use crate::SearchError;
use crate::cache::ResultCache;
use crate::document::SearchDoc;
use crate::facets::FacetTables;
use crate::schema::{Fields, LANGS, lang_slot, register_tokenizers, schema};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::{Facet, Value};
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};

/// Memory the writer may buffer before flushing a segment.
const WRITER_MEMORY: usize = 64 << 20;

/// A search index, on disk or in memory. Cheap to share (`&self` everywhere); writes are serialised.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    /// Publisher names by IRI, read from stored documents on first use, cleared on commit: facet
    /// labels would otherwise cost one lookup per publisher per request.
    pub(crate) publisher_names: std::sync::RwLock<HashMap<String, Vec<(String, String)>>>,
    /// Record titles by IRI (a series' title labels the `series` facet), the same way.
    pub(crate) record_titles: std::sync::RwLock<HashMap<String, Vec<(String, String)>>>,
    /// Per-segment facet tables for counting.
    pub(crate) facet_tables: FacetTables,
    /// Recent results, cleared on commit.
    pub(crate) cache: ResultCache,
    settings: SearchSettings,
    /// Lets [`SearchSettings::concurrency`] searches compute at once.
    pub(crate) gate: crate::gate::Gate,
    /// The writes in flight and the mark they keep (see [`crate::follow`]).
    pub(crate) following: crate::follow::Following,
}

/// How searches behave (`[search]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchSettings {
    /// Words of at least this many characters match with one typo (0: never). Requests built
    /// by the HTTP API use it.
    pub typo_min_chars: usize,
    /// Search results kept until the next commit (0: none).
    pub cache_entries: usize,
    /// Searches computed at once, the others waiting in arrival order (0: one more than the
    /// machine has cores). Cached results do not wait.
    pub concurrency: usize,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            typo_min_chars: 5,
            cache_entries: 512,
            concurrency: 0,
        }
    }
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// The size of the doc store's compressed blocks. A hit reads its document's block whole: with
/// tantivy's 16 KiB, that was about eight documents decompressed for the one shown, a tenth of a
/// search's time at 100,000 records. An index keeps the size it was made with (`reindex` remakes
/// it). See docs/benchmarks.md.
const DOC_STORE_BLOCK_BYTES: usize = 4 << 10;

/// Decompressed blocks of stored documents kept per segment: the hits' titles and descriptions
/// are read from there. 4.8 MB per segment (1,200 blocks of 4 KiB) holds a 10,000-record catalogue
/// entirely (+8 % searches per second with distinct queries); at 100,000 records (nine segments)
/// it costs about 45 MB once warm. See docs/benchmarks.md.
const DOC_STORE_CACHE_BLOCKS: usize = 1200;

/// The settings an index is made with.
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: DOC_STORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if absent. An index written with another schema (an
    /// older healthcat) is refused with a message saying to run `healthcat reindex`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Io {
            path: dir.display().to_string(),
            source: e,
        })?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .open_or_create(directory)
            .map_err(|e| match e {
                tantivy::TantivyError::SchemaError(m) => SearchError::Outdated {
                    path: dir.display().to_string(),
                    message: m,
                },
                other => other.into(),
            })?;
        let mut opened = Self::with_index(index, fields)?;
        opened.following = crate::follow::Following::on_disk(dir);
        Ok(opened)
    }

    /// A fresh index in memory (tests).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()?;
        Self::with_index(index, fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        register_tokenizers(&index);
        let writer = index.writer(WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let index = SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            publisher_names: Default::default(),
            record_titles: Default::default(),
            facet_tables: FacetTables::default(),
            cache: ResultCache::new(SearchSettings::default().cache_entries),
            gate: crate::gate::Gate::new(SearchSettings::default().concurrency),
            settings: SearchSettings::default(),
            following: Default::default(),
        };
        index
            .facet_tables
            .of(&index.reader.searcher(), &index.fields.facets)?;
        Ok(index)
    }

    /// The same index with other settings.
    pub fn with_settings(mut self, settings: SearchSettings) -> Self {
        self.cache = ResultCache::new(settings.cache_entries);
        self.gate = crate::gate::Gate::new(settings.concurrency);
        self.settings = settings;
        self
    }

    /// The settings in force.
    pub fn settings(&self) -> SearchSettings {
        self.settings
    }

    pub(crate) fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock leaves nothing half-applied that a commit would publish:
        // uncommitted work is only visible after `commit`.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds or replaces records (by id). Visible after [`SearchIndex::commit`].
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        self.upsert_with(&self.writer(), docs)
    }

    /// [`SearchIndex::upsert`] with the writer in hand.
    pub(crate) fn upsert_with<'d>(
        &self,
        w: &IndexWriter,
        docs: impl IntoIterator<Item = &'d SearchDoc>,
    ) -> Result<(), SearchError> {
        for d in docs {
            w.delete_term(Term::from_field_text(self.fields.id, &d.id));
            w.add_document(self.document(d))?;
        }
        Ok(())
    }

    /// Removes records by id. Visible after [`SearchIndex::commit`].
    pub fn delete(&self, ids: &[String]) -> Result<(), SearchError> {
        let w = self.writer();
        for id in ids {
            w.delete_term(Term::from_field_text(self.fields.id, id));
        }
        Ok(())
    }

    /// Publishes the pending changes, all at once.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer().commit()?;
        self.published()
    }

    /// After a commit: the reader sees it, and what was kept of the last one goes.
    pub(crate) fn published(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        self.cache.clear();
        // Build the new segments' facet tables now rather than in the next search.
        self.facet_tables
            .of(&self.reader.searcher(), &self.fields.facets)?;
        self.publisher_names
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.record_titles
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        Ok(())
    }

    /// Number of records indexed (committed).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether no record is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every indexed record's content hash, by id: what reconciliation compares with the store.
    pub fn hashes(&self) -> Result<HashMap<String, String>, SearchError> {
        let searcher = self.reader.searcher();
        let mut out = HashMap::new();
        for addr in searcher.search(&AllQuery, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            out.insert(get(self.fields.id), get(self.fields.hash));
        }
        Ok(out)
    }

    pub(crate) fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.iri, &d.iri);
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.hash, &d.hash);
        // Each text in its language's stemmed field and, unstemmed, in the "other" field: stemmers
        // are not always consistent between forms ("cancer" / "cancers" in French), and an exact
        // word, or one typo away, must always be found.
        let other = LANGS.len() - 1;
        for (values, fields, weight) in [
            (&d.titles, &f.title, 3),
            (&d.descriptions, &f.description, 1),
            (&d.keywords, &f.keywords, 2),
        ] {
            for (lang, text) in values {
                let slot = lang_slot(lang);
                doc.add_text(fields[slot], text);
                for _ in 0..weight {
                    doc.add_text(f.all[slot], text);
                }
                if slot != other {
                    doc.add_text(fields[other], text);
                    for _ in 0..weight {
                        doc.add_text(f.all[other], text);
                    }
                }
            }
        }
        for id in &d.identifiers {
            doc.add_text(f.identifier, id);
            doc.add_text(f.all[other], id);
        }
        // Variables: names and tables' titles unstemmed, titles and descriptions per language
        // and unstemmed; the rows stored to say which matched.
        if !d.variables.is_empty() {
            let mut tables: Vec<&str> = Vec::new();
            for v in &d.variables {
                doc.add_text(f.variables[other], &v.name);
                if !tables.contains(&v.table.as_str()) {
                    tables.push(&v.table);
                    doc.add_text(f.variables[other], &v.table);
                }
                for (lang, text) in v.titles.iter().chain(&v.descriptions) {
                    let slot = lang_slot(lang);
                    doc.add_text(f.variables[slot], text);
                    if slot != other {
                        doc.add_text(f.variables[other], text);
                    }
                }
            }
            let rows = serde_json::to_string(&d.variables).unwrap_or_default();
            doc.add_text(f.variable_rows, rows);
        }
        if let Some((_, names)) = &d.publisher {
            for (_, name) in names {
                doc.add_text(f.publisher_name, name);
                doc.add_text(f.all[other], name);
            }
        }
        let display = serde_json::to_string(&d.display()).unwrap_or_default();
        doc.add_text(f.display, display);
        // Sorting by title: the French title, else English, else any, folded to lower case.
        let title = ["fr", "en"]
            .iter()
            .find_map(|l| d.titles.iter().find(|(tag, _)| tag == l))
            .or(d.titles.first())
            .map(|(_, t)| t.to_lowercase())
            .unwrap_or_default();
        doc.add_text(f.title_sort, title);
        for (values, field) in d.facets.iter().zip(&f.facets) {
            for v in values {
                doc.add_facet(*field, Facet::from_path([v.as_str()]));
            }
        }
        for (value, field) in [
            (d.min_age, f.min_age),
            (d.max_age, f.max_age),
            (d.records, f.records),
            (d.individuals, f.individuals),
        ] {
            if let Some(v) = value {
                doc.add_u64(field, v);
            }
        }
        if let Some((start, end)) = d.temporal {
            if let Some(s) = start {
                doc.add_i64(f.temporal_start, s);
            }
            if let Some(e) = end {
                doc.add_i64(f.temporal_end, e);
            }
        }
        doc.add_i64(f.modified, d.modified);
        doc.add_u64(f.quality_score, d.quality_score.map_or(0, u64::from));
        doc.add_u64(f.label_score, d.label_score.map_or(0, u64::from));
        if let Some(v) = d.valid {
            doc.add_u64(f.valid, u64::from(v));
        }
        doc
    }
}
