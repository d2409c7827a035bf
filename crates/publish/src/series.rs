//! Dataset series as the catalogue shows them: a series' editions found in the store (every
//! stored record whose `dcat:inSeries` names it), in order ([`healthcat_model::series::order`]:
//! the source's own `dcat:prev`/`dcat:next` chain when it links every edition, else by date),
//! each with its local id and title; and the series an edition belongs to, with its neighbours.

use crate::PublishError;
use healthcat_model::series::{Edition, Ordered, Problem, order};
use healthcat_model::{DatasetView, LangMap, LocalId};
use healthcat_store::Store;
use std::collections::HashMap;

/// One stored record as a series page names it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its local id (its page is `/datasets/{id}`).
    pub id: LocalId,
    /// `dct:title`
    pub title: LangMap,
    /// `dct:issued`, lexical.
    pub issued: Option<String>,
    /// `dcat:version`
    pub version: Option<String>,
}

/// A series and its editions.
#[derive(Debug, Clone)]
pub struct Series {
    /// The series' IRI.
    pub iri: String,
    /// The series record, when the catalogue holds it (an edition may name a series it does
    /// not: shown as such, never invented).
    pub record: Option<Entry>,
    /// The editions in order.
    pub ordered: Ordered,
    /// Each edition's stored record, by IRI.
    pub entries: HashMap<String, Entry>,
}

impl Series {
    /// The editions in order with their records.
    pub fn editions(&self) -> impl Iterator<Item = (&Edition, &Entry)> {
        self.ordered
            .editions
            .iter()
            .filter_map(|e| self.entries.get(&e.iri).map(|x| (e, x)))
    }

    /// The stored record of edition `iri`.
    pub fn entry(&self, iri: &str) -> Option<&Entry> {
        self.entries.get(iri)
    }

    /// Why the source's chain was not followed, in words (English; the pages translate the
    /// kinds).
    pub fn problems(&self) -> &[Problem] {
        &self.ordered.problems
    }
}

fn entry(id: LocalId, view: &DatasetView) -> Entry {
    Entry {
        id,
        title: view.title.clone(),
        issued: view.issued.clone(),
        version: view.version.clone(),
    }
}

/// The series `iri` with its stored editions in order.
pub fn series(store: &Store, iri: &str) -> Result<Series, PublishError> {
    let record = match store.record_by_key(iri)?.and_then(|m| m.local_id) {
        Some(id) => store.get(&id)?.and_then(|r| {
            let root = r.meta.root.as_ref()?;
            Some(entry(id, &DatasetView::new(&r.graph, root.as_ref())))
        }),
        None => None,
    };
    let mut editions = Vec::new();
    let mut entries = HashMap::new();
    for id in store.records_naming(iri)? {
        let Some(r) = store.get(&id)? else {
            continue;
        };
        let Some(root) = r.meta.root.as_ref() else {
            continue;
        };
        let view = DatasetView::new(&r.graph, root.as_ref());
        if !view.in_series.iter().any(|s| s == iri) {
            continue;
        }
        if let Some(e) = view.edition() {
            entries.insert(e.iri.clone(), entry(id, &view));
            editions.push(e);
        }
    }
    Ok(Series {
        iri: iri.to_owned(),
        record,
        ordered: order(editions),
        entries,
    })
}
