//! The quality of a stored dataset, as the dataset page and the API show it: the assessment of
//! [`healthcat_quality`] on the record with the shared resources it names (as a harvester of this
//! catalogue reads it), in the reader's language, each piece of advice with the editor field that
//! fixes it.

use super::AppState;
use healthcat_model::labels;
use healthcat_quality::label::By;
use healthcat_quality::messages::fill;
use healthcat_quality::minimum::Presence;
use healthcat_quality::mqa::On;
use healthcat_quality::{Assessment, Kept, Status};
use healthcat_store::{KeptQuality, StoredRecord};
use serde_json::{Value, json};

const DISTRIBUTION: &str = "http://www.w3.org/ns/dcat#distribution";

/// The assessment of `record`; `None` when it is not a dataset.
pub(crate) fn assess(
    st: &AppState,
    record: &StoredRecord,
) -> Result<Option<Assessment>, healthcat_ingest::IngestError> {
    healthcat_ingest::assess_stored(&st.store, &st.quality, record, None)
}

/// What is kept with `record` (computed on its last write), or else its assessment now (a
/// record stored before healthcat kept them); `None` when it is not a dataset.
pub(crate) fn kept(
    st: &AppState,
    record: &StoredRecord,
) -> Result<Option<Kept>, healthcat_ingest::IngestError> {
    if let Some(k) = record.meta.quality.as_deref().and_then(Kept::from_json) {
        return Ok(Some(k));
    }
    Ok(assess(st, record)?.map(|a| a.kept()))
}

/// The datasets whose writes kept an assessment, with it: all of them, or one source's, or one
/// publisher's (its IRI).
pub(crate) fn rows(
    st: &AppState,
    source: Option<&str>,
    publisher: Option<&str>,
) -> Result<Vec<(KeptQuality, Kept)>, healthcat_store::StoreError> {
    Ok(st
        .store
        .kept_quality()?
        .iter()
        .filter(|r| source.is_none_or(|s| s == r.source))
        .filter(|r| publisher.is_none_or(|p| Some(p) == r.publisher.as_deref()))
        .filter_map(|r| Kept::from_json(&r.kept).map(|k| (r.clone(), k)))
        .collect())
}

/// The scope of the figures kept per day: `all`, `source:{id}` or `publisher:{iri}`.
pub(crate) fn scope(source: Option<&str>, publisher: Option<&str>) -> String {
    match (source, publisher) {
        (Some(s), _) => format!("source:{s}"),
        (None, Some(p)) => format!("publisher:{p}"),
        (None, None) => "all".to_owned(),
    }
}

/// The figures of one day for a trend: datasets, mean MQA total and out of, mean label score.
fn figures(a: &healthcat_quality::Aggregate) -> String {
    let one = |x: f64| (x * 10.0).round() / 10.0;
    json!({
        "datasets": a.datasets, "mean_total": one(a.mean_total),
        "mean_out_of": one(a.mean_out_of), "mean_label": one(a.mean_label),
    })
    .to_string()
}

/// Keeps today's figures of the catalogue, of each source and of each publisher (what the
/// dashboards' trends read); returns how many scopes, or 0 when today's figures were kept from
/// the store as it is (a restart the same day: at a million records the pass takes over a minute
/// of one core). The assessments are read and summed one at a time, not kept: a server of a
/// million records would otherwise hold them all at rest.
pub fn keep_daily_figures(st: &AppState) -> Result<usize, healthcat_store::StoreError> {
    let today = jiff::Zoned::now().date().to_string();
    if st.store.daily_current(&today)? {
        return Ok(0);
    }
    let read_at = st.store.trend_mark();
    let mut scopes: std::collections::BTreeMap<String, healthcat_quality::Summing> =
        Default::default();
    st.store.each_kept_quality(&mut |r| {
        let Some(k) = Kept::from_json(&r.kept) else {
            return;
        };
        scopes.entry(scope(None, None)).or_default().add(&k);
        scopes
            .entry(scope(Some(&r.source), None))
            .or_default()
            .add(&k);
        if let Some(p) = &r.publisher {
            scopes.entry(scope(None, Some(p))).or_default().add(&k);
        }
    })?;
    let kept: Vec<(String, String)> = scopes
        .into_iter()
        .map(|(scope, sum)| (scope, figures(&sum.finish())))
        .collect();
    st.store.keep_daily_as_of(&today, &kept, read_at)?;
    Ok(kept.len())
}

/// The figures kept per day for a scope, oldest first: (date, figures).
pub(crate) fn trend(
    st: &AppState,
    scope: &str,
) -> Result<Vec<(String, Value)>, healthcat_store::StoreError> {
    Ok(st
        .store
        .daily(scope)?
        .into_iter()
        .filter_map(|(d, j)| Some((d, serde_json::from_str(&j).ok()?)))
        .collect())
}

/// The anchor of the editor field (`f3`) that fixes a piece of advice about `property` `on` the
/// dataset or the kept distribution: the property's own field, or the distributions' field;
/// `None` when the form has none.
fn editor_field(st: &AppState, on: On, property: Option<&str>) -> Option<String> {
    let path = match on {
        On::Distribution => DISTRIBUTION,
        On::Dataset | On::Either => property?,
    };
    st.validation
        .dataset_fields()
        .iter()
        .position(|p| p == path)
        .map(|i| format!("f{i}"))
}

/// A property as readers know it.
fn field_label(property: &str, lang: &str) -> String {
    labels::label(property, lang)
        .map(str::to_owned)
        .unwrap_or_else(|| labels::compact(property))
}

/// What is kept, in `lang`: the numbers, the band's name, each piece of advice with its sentence,
/// its field's label and the editor's address of that field.
pub(crate) fn kept_view(st: &AppState, k: &Kept, local: &str, lang: &str) -> Value {
    let band = k.summary.band.key();
    let advice: Vec<Value> = k
        .advice
        .iter()
        .map(|x| {
            let (on, property) = x.target();
            json!({
                "key": x.key, "sentence": x.sentence(lang), "points": x.points,
                "field": property.map(|p| field_label(p, lang)),
                "editor": editor_field(st, on, property)
                    .map(|f| format!("/edit/datasets/{local}#{f}")),
            })
        })
        .collect();
    json!({
        "total": k.summary.total, "out_of": k.summary.out_of,
        "band": band, "band_label": fill(lang, &format!("band.{band}"), &[]),
        "present": k.summary.present, "applicable": k.summary.applicable,
        "advice": advice,
        "health": k.health.as_ref().map(|h| json!({
            "level": h.level,
            "level_label": h.level.as_deref().map(|l| fill(lang, &format!("level.{l}"), &[])),
            "mandatory": h.mandatory, "recommended": h.recommended, "outside": h.outside,
        })),
        "label": k.label.as_ref().map(|l| json!({
            "score": l.score, "stars": l.stars, "undeclared": l.undeclared,
            "stars_label": fill(lang, "label.stars", &[("stars", &l.stars.to_string())]),
        })),
    })
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
    let band = a.mqa.band.key();
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
            let field = x.property.as_deref().map(|p| field_label(p, lang));
            let editor = editor_field(st, x.on, x.property.as_deref())
                .map(|f| format!("/edit/datasets/{local}#{f}"));
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
        "label": label_view(st, &a.label, lang),
        "health": a.health.as_ref().map(|h| {
            let names = |paths: &[String]| -> Vec<Value> {
                paths.iter().map(|p| json!({ "property": p, "label": field_label(p, lang) })).collect()
            };
            json!({
                "profile": h.profile,
                "level": h.level,
                "level_label": h.level.as_deref().map(|l| fill(lang, &format!("level.{l}"), &[])),
                "mandatory": { "given": h.mandatory.0, "of": h.mandatory.1, "missing": names(&h.missing_mandatory) },
                "recommended": { "given": h.recommended.0, "of": h.recommended.1, "missing": names(&h.missing_recommended) },
                "outside": h.outside.iter().map(|(p, v)| json!({
                    "property": p, "label": field_label(p, lang), "value": v,
                })).collect::<Vec<_>>(),
            })
        }),
    })
}

/// The Article 78 label in `lang`: its score and stars, then each category, dimension and
/// metric with its level in words, how it got it and the evidence.
fn label_view(st: &AppState, l: &healthcat_quality::Label, lang: &str) -> Value {
    let spec = st.quality.label_spec();
    let by = |b: By| {
        let key = match b {
            By::Computed => "computed",
            By::Declared => "declared",
            By::NotDeclared => "not_declared",
        };
        (key, fill(lang, &format!("label.by.{key}"), &[]))
    };
    let categories: Vec<Value> = spec
        .categories
        .iter()
        .map(|c| {
            let dimensions: Vec<Value> = spec
                .dimensions
                .iter()
                .filter(|d| d.category == c.key)
                .map(|d| {
                    let metrics: Vec<Value> = spec
                        .metrics
                        .iter()
                        .filter(|m| m.dimension == d.key)
                        .filter_map(|m| {
                            let x = l.metrics.iter().find(|x| x.metric == m.key)?;
                            let (by_key, by_label) = by(x.by);
                            Some(json!({
                                "metric": m.key, "iri": format!("{}{}", spec.namespace, m.key),
                                "name": m.name.get(lang),
                                "level": x.level, "max": x.max,
                                "level_label": x.level.map(|v| m.level(v, lang)),
                                "levels": (0..=m.max()).map(|v| m.level(v, lang)).collect::<Vec<_>>(),
                                "by": by_key, "by_label": by_label,
                                "points": x.points, "worth": x.worth,
                                "evidence": x.evidence, "link": x.link, "rejected": x.rejected,
                            }))
                        })
                        .collect();
                    json!({
                        "dimension": d.key, "name": d.name.get(lang),
                        "definition": d.definition.get(lang), "weight": d.weight,
                        "metrics": metrics,
                    })
                })
                .collect();
            json!({ "category": c.key, "name": c.name.get(lang), "dimensions": dimensions })
        })
        .collect();
    let maturity = l.maturity.as_ref().map(|m| {
        json!({
            "publisher": m.publisher, "score": m.score, "out_of": m.out_of,
            "dimensions": spec.maturity.iter().zip(&m.levels).map(|(d, level)| json!({
                "dimension": d.key, "name": d.name.get(lang),
                "iri": format!("{}maturity-{}", spec.namespace, d.key),
                "level": level,
                "level_label": level.map(|v| {
                    d.levels_in(lang).get(usize::from(v.saturating_sub(1))).cloned().unwrap_or_default()
                }),
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "maturity": maturity,
        "score": l.score, "max": 100, "stars": l.stars,
        "stars_label": fill(lang, "label.stars", &[("stars", &l.stars.to_string())]),
        "undeclared": l.undeclared,
        "categories": categories,
    })
}
