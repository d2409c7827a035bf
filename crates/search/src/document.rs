//! What the index holds of one record: built from the record's graph (a [`DatasetView`]) and its
//! bookkeeping.

use healthcat_model::{DatasetView, LangMap};
use serde::{Deserialize, Serialize};

/// One record as the index sees it.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    /// Local id (`/records/{id}`).
    pub id: String,
    /// The record's IRI.
    pub iri: String,
    /// `dataset`, `service` or `series`.
    pub kind: String,
    /// The store's content hash of the record: the index is up to date when they agree.
    pub hash: String,
    /// Titles per language tag (`""` for none).
    pub titles: Vec<(String, String)>,
    /// Descriptions per language tag.
    pub descriptions: Vec<(String, String)>,
    /// Keywords per language tag.
    pub keywords: Vec<(String, String)>,
    /// Identifiers (`dct:identifier`).
    pub identifiers: Vec<String>,
    /// Publisher IRI and names per language.
    pub publisher: Option<(String, Vec<(String, String)>)>,
    /// Facet values (IRIs, or the source id), per facet in [`crate::FACETS`] order.
    pub facets: Vec<Vec<String>>,
    /// Typical ages.
    pub min_age: Option<u64>,
    /// Typical ages.
    pub max_age: Option<u64>,
    /// `healthdcatap:numberOfRecords`
    pub records: Option<u64>,
    /// `healthdcatap:numberOfUniqueIndividuals`
    pub individuals: Option<u64>,
    /// Temporal coverage, days since 1970-01-01.
    pub temporal: Option<(Option<i64>, Option<i64>)>,
    /// Last modified, seconds since 1970 (the store's bookkeeping).
    pub modified: i64,
    /// Whether the latest validation found no violation (`None`: not validated).
    pub valid: Option<bool>,
    /// The MQA total its last write kept (`None`: not assessed; sorted last).
    pub quality_score: Option<u32>,
    /// The Article 78 label's score its last write kept, in hundredths (`None`: not assessed).
    pub label_score: Option<u32>,
    /// The variables of its data dictionary.
    pub variables: Vec<IndexedVariable>,
}

/// One variable of a record's data dictionary, as the index keeps it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexedVariable {
    /// Its table's title (else the table's key).
    #[serde(rename = "t")]
    pub table: String,
    /// How the variable is named in a basket: `{table key}/{name}`.
    #[serde(rename = "k", default)]
    pub key: String,
    /// `csvw:name`
    #[serde(rename = "n")]
    pub name: String,
    /// Titles per language tag.
    #[serde(rename = "ti", default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<(String, String)>,
    /// Descriptions per language tag.
    #[serde(rename = "d", default, skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<(String, String)>,
    /// `csvw:datatype`
    #[serde(rename = "ty", default, skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    /// Unit of measurement.
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl IndexedVariable {
    /// The variables of a dictionary, in its order.
    pub fn all_of(d: &healthcat_model::Dictionary) -> Vec<Self> {
        d.variables()
            .map(|(t, c)| IndexedVariable {
                table: t
                    .title
                    .best(&["fr", "en"])
                    .map_or_else(|| t.key(), str::to_owned),
                key: format!("{}/{}", t.key(), c.name),
                name: c.name.clone(),
                titles: pairs(&c.titles),
                descriptions: pairs(&c.description),
                datatype: c.datatype.clone(),
                unit: c.unit.clone(),
            })
            .collect()
    }
}

/// What a hit shows, stored as one JSON value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Display {
    pub titles: Vec<(String, String)>,
    pub descriptions: Vec<(String, String)>,
    pub publisher: Option<(String, Vec<(String, String)>)>,
    pub access_rights: Option<String>,
    pub modified: String,
}

fn pairs(m: &LangMap) -> Vec<(String, String)> {
    m.values()
        .map(|(l, t)| (l.to_owned(), t.to_owned()))
        .collect()
}

/// Where the names of a shared publisher come from: its IRI to (language, name) pairs.
pub type NamesOf<'a> =
    dyn FnMut(&str) -> Result<Vec<(String, String)>, healthcat_store::StoreError> + 'a;

impl SearchDoc {
    /// The index document of the record `id`, read from `store`; `None` if the store no longer
    /// has it (or it describes nothing).
    pub fn read(
        store: &healthcat_store::Store,
        id: &healthcat_model::LocalId,
    ) -> Result<Option<Self>, healthcat_store::StoreError> {
        let Some(record) = store.get(id)? else {
            return Ok(None);
        };
        Self::of_record(&record, &mut |iri| store.names_of(iri, &record.meta.source))
    }

    /// The index document of `record` (read from the store, or about to be written to it:
    /// [`healthcat_store::BulkImport::add`]); `None` if it describes nothing. A shared
    /// publisher's names live in its own graph, not the record's: `names_of(iri)` gives them
    /// ([`healthcat_store::Store::names_of`] for the record's source).
    pub fn of_record(
        record: &healthcat_store::StoredRecord,
        names_of: &mut NamesOf<'_>,
    ) -> Result<Option<Self>, healthcat_store::StoreError> {
        let Some(root) = record.meta.root.as_ref() else {
            return Ok(None);
        };
        let id = match &record.meta.local_id {
            Some(id) => id,
            None => return Ok(None),
        };
        let view = DatasetView::new(&record.graph, root.as_ref());
        let dictionary = healthcat_model::Dictionary::new(&record.graph, root.as_ref());
        let mut publisher_names = match view.publisher.as_ref() {
            Some(p) if p.name.is_empty() => match p.iri.as_deref() {
                Some(iri) => names_of(iri)?,
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        // In one order whatever the store's or the file's.
        publisher_names.sort();
        let valid = record
            .meta
            .validation
            .as_deref()
            .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
            .and_then(|v| v["violations"].as_u64())
            .map(|n| n == 0);
        let mut doc = SearchDoc::new(
            id.as_str(),
            &record.meta.hash,
            &view,
            publisher_names,
            &record.meta.source,
            &record.meta.modified,
            valid,
        );
        doc.variables = IndexedVariable::all_of(&dictionary);
        // The MQA band its last write kept (`healthcat_quality::Kept`), as the `quality` facet,
        // and its total, to sort by.
        let kept = record
            .meta
            .quality
            .as_deref()
            .and_then(|q| serde_json::from_str::<serde_json::Value>(q).ok());
        if let Some(kept) = kept {
            if let Some(band) = kept["band"].as_str() {
                doc.facets[crate::facet_index("quality")] = vec![band.to_owned()];
            }
            doc.quality_score = kept["total"].as_u64().and_then(|t| u32::try_from(t).ok());
            // The label's stars as the `ehds_label` facet, and its score to sort by.
            if let Some(stars) = kept["label"]["st"].as_u64() {
                doc.facets[crate::facet_index("ehds_label")] = vec![stars.to_string()];
            }
            doc.label_score = kept["label"]["s"]
                .as_f64()
                .map(|s| (s * 100.0).round().clamp(0.0, 10_000.0) as u32);
        }
        Ok(Some(doc))
    }

    /// The index document of a record.
    ///
    /// `publisher_names` are the names of the record's publisher when they are not in the record's
    /// own graph (a shared agent); `modified` is the bookkeeping's RFC 3339 time.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: &str,
        hash: &str,
        view: &DatasetView,
        publisher_names: Vec<(String, String)>,
        source: &str,
        modified: &str,
        valid: Option<bool>,
    ) -> Self {
        let publisher = view.publisher.as_ref().and_then(|p| {
            let iri = p.iri.clone()?;
            let mut names = pairs(&p.name);
            if names.is_empty() {
                names = publisher_names;
            }
            Some((iri, names))
        });
        let formats = view.distributions.iter().filter_map(|d| d.format.clone());
        let licenses = view.distributions.iter().filter_map(|d| d.license.clone());
        let facet = |name: &str| -> Vec<String> {
            let mut v: Vec<String> = match name {
                "theme" => view.themes.clone(),
                "health_category" => view.health_categories.clone(),
                "health_theme" => view.health_themes.clone(),
                "publisher" => publisher.iter().map(|p| p.0.clone()).collect(),
                "access_rights" => view.access_rights.iter().cloned().collect(),
                "format" => formats.clone().collect(),
                "license" => licenses.clone().collect(),
                "language" => view.languages.clone(),
                "coding_system" => view.coding_systems.clone(),
                "spatial" => view.spatial.clone(),
                "source" => vec![source.to_owned()],
                "series" => view.in_series.clone(),
                _ => Vec::new(),
            };
            v.sort();
            v.dedup();
            v
        };
        let temporal = view.temporal.first().map(|(s, e)| {
            (
                s.as_deref().and_then(days_since_epoch),
                e.as_deref().and_then(days_since_epoch),
            )
        });
        SearchDoc {
            id: id.to_owned(),
            iri: view.iri.clone().unwrap_or_default(),
            kind: view.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
            hash: hash.to_owned(),
            titles: pairs(&view.title),
            descriptions: pairs(&view.description),
            keywords: pairs(&view.keywords),
            identifiers: view.identifiers.clone(),
            facets: crate::FACETS.iter().map(|f| facet(f)).collect(),
            publisher,
            min_age: view.min_typical_age,
            max_age: view.max_typical_age,
            records: view.number_of_records,
            individuals: view.number_of_unique_individuals,
            temporal,
            modified: seconds_since_epoch(modified).unwrap_or(0),
            valid,
            quality_score: None,
            label_score: None,
            variables: Vec::new(),
        }
    }

    pub(crate) fn display(&self) -> Display {
        Display {
            titles: self.titles.clone(),
            descriptions: self.descriptions.clone(),
            publisher: self.publisher.clone(),
            access_rights: self.facets[crate::facet_index("access_rights")]
                .first()
                .cloned(),
            modified: format_seconds(self.modified),
        }
    }
}

/// Days since 1970-01-01 of an `xsd:date`/`xsd:dateTime`/`xsd:gYear` lexical form.
pub fn days_since_epoch(lexical: &str) -> Option<i64> {
    let date = lexical.get(..10).unwrap_or(lexical);
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let d: i64 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Seconds since 1970 of an RFC 3339 time (UTC, as the store writes them).
pub fn seconds_since_epoch(rfc3339: &str) -> Option<i64> {
    let days = days_since_epoch(rfc3339)?;
    let time = rfc3339.get(11..19).unwrap_or("00:00:00");
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi, s) = (t.next()??, t.next()??, t.next()??);
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

fn format_seconds(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (inverse of the above).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11_017));
        assert_eq!(days_since_epoch("2024"), Some(19_723));
        let s = seconds_since_epoch("2026-11-30T20:02:56Z").unwrap();
        assert_eq!(format_seconds(s), "2026-11-30T20:02:56Z");
        assert_eq!(days_since_epoch("not a date"), None);
        assert_eq!(days_since_epoch("2024-13-01"), None);
    }
}
