//! The quality of a stored dataset, as the dataset page and the API show it: the assessment of
//! [`healthcat_quality`] on the record with the shared resources it names (as a harvester of this
//! catalogue reads it), in the reader's language, each piece of advice with the editor field that
//! fixes it.

use super::AppState;
use healthcat_model::RecordKind;
use healthcat_model::labels;
use healthcat_quality::messages::fill;
use healthcat_quality::minimum::Presence;
use healthcat_quality::mqa::On;
use healthcat_quality::{Advice, Assessment, Status};
use healthcat_store::{StoredRecord, UnitKind};
use oxrdf::NamedOrBlankNode;
use serde_json::{Value, json};

/// The editor's form is the dataset's.
const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";
const DISTRIBUTION: &str = "http://www.w3.org/ns/dcat#distribution";

/// The assessment of `record`; `None` when it is not a dataset.
pub(crate) fn assess(
    st: &AppState,
    record: &StoredRecord,
) -> Result<Option<Assessment>, healthcat_store::StoreError> {
    if record.meta.kind != UnitKind::Record(RecordKind::Dataset) {
        return Ok(None);
    }
    let Some(root) = &record.meta.root else {
        return Ok(None);
    };
    let graph = st
        .store
        .with_shared_from(record.graph.clone(), &record.meta.source)?;
    let root: &NamedOrBlankNode = root;
    Ok(Some(st.quality.assess(&graph, root.as_ref(), None)))
}

/// The anchor of the editor field (`f3`) that fixes `advice`: the property's own field on the
/// dataset, the distributions' field for the kept distribution; `None` when the form has none.
fn editor_field(st: &AppState, advice: &Advice) -> Option<String> {
    let path = match advice.on {
        On::Distribution => DISTRIBUTION,
        On::Dataset | On::Either => advice.property.as_deref()?,
    };
    let fields = st.validation.default.form(DATASET);
    fields
        .iter()
        .position(|f| f.path == path)
        .map(|i| format!("f{i}"))
}

/// The assessment in `lang`: every number with its words; each piece of advice with its field's
/// label and, for a record the editor can open (`local`), the editor's address of that field.
pub(crate) fn view(st: &AppState, a: &Assessment, local: &str, lang: &str) -> Value {
    let status = |s: Status| {
        let key = match s {
            Status::Met => "met",
            Status::Missing => "missing",
            Status::Failed => "failed",
            Status::NotChecked => "not_checked",
        };
        (key, fill(lang, &format!("status.{key}"), &[]))
    };
    let band = serde_json::to_value(a.mqa.band)
        .ok()
        .and_then(|b| b.as_str().map(str::to_owned))
        .unwrap_or_default();
    let dimensions: Vec<Value> = a
        .mqa
        .dimensions
        .iter()
        .map(|(d, earned, out_of)| {
            let key = serde_json::to_value(d)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            json!({
                "dimension": key, "label": fill(lang, &format!("dimension.{key}"), &[]),
                "earned": earned, "out_of": out_of,
            })
        })
        .collect();
    let indicators: Vec<Value> = a
        .mqa
        .indicators
        .iter()
        .map(|m| {
            let (key, label) = status(m.status);
            json!({
                "metric": m.indicator.metric,
                "label": fill(lang, &format!("metric.{}", m.indicator.metric), &[]),
                "dimension": m.indicator.dimension,
                "points": m.indicator.points,
                "earned": m.earned,
                "status": key,
                "status_label": label,
                "evidence": m.evidence,
            })
        })
        .collect();
    let advice: Vec<Value> = a
        .advice
        .iter()
        .map(|x| {
            let field = x.property.as_deref().map(|p| {
                labels::label(p, lang)
                    .map(str::to_owned)
                    .unwrap_or_else(|| labels::compact(p))
            });
            let editor = editor_field(st, x).map(|f| format!("/edit/datasets/{local}#{f}"));
            json!({
                "key": x.key, "sentence": x.sentence(lang), "points": x.points,
                "property": x.property, "field": field, "on": x.on, "metrics": x.metrics,
                "value": x.value, "editor": editor,
            })
        })
        .collect();
    let summary = a.summary();
    let elements: Vec<Value> = a
        .minimum
        .iter()
        .map(|e| {
            let presence = match e.presence {
                Presence::Present => "present",
                Presence::Absent => "absent",
                Presence::NotApplicable => "not_applicable",
            };
            json!({
                "number": e.number, "key": e.key,
                "name": fill(lang, &format!("element.{}", e.key), &[]),
                "property": e.property, "conditional": e.conditional,
                "presence": presence, "presence_label": fill(lang, &format!("status.{presence}"), &[]),
                "reason": e.reason.as_deref().map(|r| fill(lang, r, &[])),
                "values": e.values,
            })
        })
        .collect();
    json!({
        "lang": lang,
        "mqa": {
            "total": a.mqa.total, "out_of": a.mqa.out_of, "max": healthcat_quality::MAX_POINTS,
            "band": band, "band_label": fill(lang, &format!("band.{band}"), &[]),
            "dimensions": dimensions, "indicators": indicators,
            "distribution": a.mqa.distribution,
        },
        "advice": advice,
        "minimum": {
            "present": summary.present, "applicable": summary.applicable,
            "elements": elements,
        },
    })
}
