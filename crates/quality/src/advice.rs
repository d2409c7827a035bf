//! Advice: what would raise a dataset's MQA score, most points first. Indicators that one edit
//! fixes together are one piece of advice (a licence from the EU list earns *licence* and *known
//! licence*: +30), and its points are exactly what that edit adds to the kept distribution or the
//! dataset — the score rises by them once the record is saved. Indicators nobody checked (URL
//! answers) give no advice: nobody knows yet whether they fail; a URL that did not answer does.

use crate::mqa::{On, Score, Status};
use healthcat_model::vocab::{dcat, dct};
use oxrdf::NamedNodeRef;
use serde::Serialize;

/// One edit and the indicators it fixes.
struct Action {
    /// The message key (`advice.<key>.missing`, `advice.<key>.failed`).
    key: &'static str,
    /// The property to edit, on the dataset or the kept distribution.
    property: Option<NamedNodeRef<'static>>,
    /// Where.
    on: On,
    /// The indicators it fixes, the one that says whether the value is missing first.
    metrics: &'static [&'static str],
}

const fn act(
    key: &'static str,
    property: Option<NamedNodeRef<'static>>,
    on: On,
    metrics: &'static [&'static str],
) -> Action {
    Action {
        key,
        property,
        on,
        metrics,
    }
}

/// Every indicator belongs to exactly one action (a test checks it). Advice worth the same points
/// comes in this order: one-field edits in the rubric's order, DCAT-AP conformance last.
const ACTIONS: &[Action] = &[
    act(
        "keyword",
        Some(dcat::KEYWORD),
        On::Dataset,
        &["keywordAvailability"],
    ),
    act(
        "theme",
        Some(dcat::THEME),
        On::Dataset,
        &["categoryAvailability"],
    ),
    act(
        "spatial",
        Some(dct::SPATIAL),
        On::Dataset,
        &["spatialAvailability"],
    ),
    act(
        "temporal",
        Some(dct::TEMPORAL),
        On::Dataset,
        &["temporalAvailability"],
    ),
    act(
        "access_url",
        Some(dcat::ACCESS_URL),
        On::Distribution,
        &["accessUrlStatusCode"],
    ),
    act(
        "download_url",
        Some(dcat::DOWNLOAD_URL),
        On::Distribution,
        &["downloadUrlAvailability"],
    ),
    act(
        "download_url_answer",
        Some(dcat::DOWNLOAD_URL),
        On::Distribution,
        &["downloadUrlStatusCode"],
    ),
    act(
        "format",
        Some(dct::FORMAT),
        On::Distribution,
        &[
            "formatAvailability",
            "formatMediaTypeVocabularyAlignment",
            "formatMediaTypeNonProprietary",
            "formatMediaTypeMachineInterpretable",
        ],
    ),
    act(
        "media_type",
        Some(dcat::MEDIA_TYPE),
        On::Distribution,
        &["mediaTypeAvailability"],
    ),
    act(
        "licence",
        Some(dct::LICENSE),
        On::Distribution,
        &["licenceAvailability", "knownLicence"],
    ),
    act(
        "access_rights",
        Some(dct::ACCESS_RIGHTS),
        On::Dataset,
        &[
            "accessRightsAvailability",
            "accessRightsVocabularyAlignment",
        ],
    ),
    act(
        "contact_point",
        Some(dcat::CONTACT_POINT),
        On::Dataset,
        &["contactPointAvailability"],
    ),
    act(
        "publisher",
        Some(dct::PUBLISHER),
        On::Dataset,
        &["publisherAvailability"],
    ),
    act(
        "rights",
        Some(dct::RIGHTS),
        On::Distribution,
        &["rightsAvailability"],
    ),
    act(
        "byte_size",
        Some(dcat::BYTE_SIZE),
        On::Distribution,
        &["byteSizeAvailability"],
    ),
    act(
        "issued",
        Some(dct::ISSUED),
        On::Dataset,
        &["dateIssuedAvailability"],
    ),
    act(
        "modified",
        Some(dct::MODIFIED),
        On::Dataset,
        &["dateModifiedAvailability"],
    ),
    // Last among equals: conforming to DCAT-AP may take several edits.
    act("dcat_ap", None, On::Dataset, &["dcatApCompliance"]),
];

/// One piece of advice.
#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    /// What to do, as a message key of this crate's catalogue (`advice.licence.missing`); its
    /// sentence takes `{points}` and `{value}` ([`Advice::sentence`]).
    pub key: String,
    /// The points the edit adds.
    pub points: u32,
    /// The property to edit (its IRI), when one edit of one property does it.
    pub property: Option<String>,
    /// Where: the dataset, or the kept distribution ([`Score::distribution`]).
    pub on: On,
    /// The indicators it fixes.
    pub metrics: Vec<&'static str>,
    /// The value at fault, when there is one (a literal where an IRI is expected…).
    pub value: Option<String>,
}

impl Advice {
    /// The advice in `lang`, with its points.
    pub fn sentence(&self, lang: &str) -> String {
        sentence(lang, &self.key, self.points, self.value.as_deref())
    }
}

/// Where the advice `key` applies and the property it edits (`None`: several).
pub fn target(key: &str) -> (On, Option<&'static str>) {
    let action = key
        .strip_prefix("advice.")
        .and_then(|k| k.rsplit_once('.'))
        .map(|(a, _)| a);
    if action == Some("distribution") {
        return (On::Dataset, Some(dcat::DISTRIBUTION_PROP.as_str()));
    }
    ACTIONS
        .iter()
        .find(|a| Some(a.key) == action)
        .map_or((On::Dataset, None), |a| {
            (a.on, a.property.map(|p| p.as_str()))
        })
}

/// The sentence of advice `key` in `lang`, with its points and the value at fault.
pub(crate) fn sentence(lang: &str, key: &str, points: u32, value: Option<&str>) -> String {
    let points = points.to_string();
    crate::messages::fill(
        lang,
        key,
        &[("points", points.as_str()), ("value", value.unwrap_or(""))],
    )
}

/// The advice for `score`, most points first (ties: one-field edits first, in the rubric's order).
/// A dataset without distributions gets one piece of advice for them all — add one — worth *up
/// to* what a complete distribution earns (what it does earn depends on what it carries).
pub fn advise(score: &Score) -> Vec<Advice> {
    let no_distribution = score.distribution.is_none();
    let mut whole = Advice {
        key: "advice.distribution.missing".to_owned(),
        points: 0,
        property: Some(dcat::DISTRIBUTION_PROP.as_str().to_owned()),
        on: On::Dataset,
        metrics: Vec::new(),
        value: None,
    };
    let mut out: Vec<Advice> = ACTIONS
        .iter()
        .filter(|a| !(no_distribution && a.on == On::Distribution))
        .filter_map(|a| {
            let open: Vec<_> = score
                .indicators
                .iter()
                .filter(|m| a.metrics.contains(&m.indicator.metric))
                .filter(|m| match m.status {
                    Status::Failed => true,
                    // A URL to add earns nothing until the link checker finds it answering:
                    // the availability indicators (and DCAT-AP, for the access URL) advise it.
                    Status::Missing => !m.indicator.metric.ends_with("StatusCode"),
                    Status::Met | Status::NotChecked => false,
                })
                .collect();
            let lead = open.first()?;
            // Missing when the first indicator of the action says the value is absent.
            let missing = lead.indicator.metric == a.metrics[0] && lead.status == Status::Missing;
            let value = open
                .iter()
                .find(|m| m.status == Status::Failed)
                .and_then(|m| m.evidence.clone());
            Some(Advice {
                key: format!(
                    "advice.{}.{}",
                    a.key,
                    if missing { "missing" } else { "failed" }
                ),
                points: open.iter().map(|m| m.indicator.points).sum(),
                property: a.property.map(|p| p.as_str().to_owned()),
                on: a.on,
                metrics: open.iter().map(|m| m.indicator.metric).collect(),
                value,
            })
        })
        .collect();
    if no_distribution {
        for m in &score.indicators {
            if m.indicator.on == On::Distribution
                && m.status == Status::Missing
                && !m.indicator.metric.ends_with("StatusCode")
            {
                whole.points += m.indicator.points;
                whole.metrics.push(m.indicator.metric);
            }
        }
        if whole.points > 0 {
            out.push(whole);
        }
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.points));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqa::INDICATORS;

    #[test]
    fn the_target_follows_from_the_key() {
        assert_eq!(
            target("advice.licence.missing"),
            (On::Distribution, Some(dct::LICENSE.as_str()))
        );
        assert_eq!(
            target("advice.distribution.missing"),
            (On::Dataset, Some(dcat::DISTRIBUTION_PROP.as_str()))
        );
        assert_eq!(target("advice.dcat_ap.failed"), (On::Dataset, None));
    }

    #[test]
    fn every_indicator_belongs_to_exactly_one_action() {
        for i in &INDICATORS {
            let n = ACTIONS
                .iter()
                .filter(|a| a.metrics.contains(&i.metric))
                .count();
            assert_eq!(n, 1, "{}", i.metric);
        }
        let all: usize = ACTIONS.iter().map(|a| a.metrics.len()).sum();
        assert_eq!(all, INDICATORS.len());
    }

    #[test]
    fn every_action_has_both_sentences_in_every_language() {
        for a in ACTIONS {
            for status in ["missing", "failed"] {
                let key = format!("advice.{}.{status}", a.key);
                for lang in ["en", "fr"] {
                    let s = crate::messages::fill(lang, &key, &[("points", "7")]);
                    assert_ne!(s, key, "{lang}: {key}");
                    assert!(s.contains('7'), "{lang}: {key} does not say its points");
                }
            }
        }
        for lang in ["en", "fr"] {
            let s = crate::messages::fill(lang, "advice.distribution.missing", &[("points", "7")]);
            assert!(s.contains("+7"), "{lang}");
        }
    }
}
