//! The assessment as DQV, the way data.europa.eu publishes its MQA: one `dqv:QualityMeasurement`
//! per indicator checked — `dqv:isMeasurementOf` piveau's metric
//! (`https://piveau.eu/ns/voc#keywordAvailability`…), `dqv:computedOn` the dataset, a boolean
//! `dqv:value` — and one of `pv:score` with the total. The indicators whose value piveau gives
//! as an HTTP status code (the URL answers) are published only once a link checker has a code;
//! not checked, they are left out, like every indicator not checked.

use crate::{INDICATORS, Kept};
use healthcat_model::vocab::{dqv, oa, pv, rdf, xsd};
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

/// The measurements of `kept` about `dataset`, each named `{prefix}/{metric}` (a namespace of
/// the publishing catalogue, so that a harvester keeps them as that catalogue's).
pub fn measurements(kept: &Kept, dataset: &NamedOrBlankNode, prefix: &str) -> Vec<Triple> {
    let mut out = Vec::new();
    let mut add = |metric: &str, value: Literal| {
        let m = NamedNode::new_unchecked(format!("{prefix}/{metric}"));
        let node: NamedOrBlankNode = m.clone().into();
        out.push(Triple::new(
            dataset.clone(),
            dqv::HAS_QUALITY_MEASUREMENT,
            Term::from(m),
        ));
        out.push(Triple::new(
            node.clone(),
            rdf::TYPE,
            Term::from(dqv::QUALITY_MEASUREMENT.into_owned()),
        ));
        out.push(Triple::new(
            node.clone(),
            dqv::IS_MEASUREMENT_OF,
            Term::from(NamedNode::new_unchecked(format!("{}{metric}", pv::NS))),
        ));
        out.push(Triple::new(
            node.clone(),
            dqv::COMPUTED_ON,
            Term::from(dataset.clone()),
        ));
        out.push(Triple::new(node, dqv::VALUE, Term::from(value)));
    };
    for (i, indicator) in INDICATORS.iter().enumerate() {
        let bit = 1u32 << i;
        if kept.not_checked & bit != 0 || indicator.metric.ends_with("StatusCode") {
            continue;
        }
        add(indicator.metric, Literal::from(kept.open & bit == 0));
    }
    add(
        "score",
        Literal::new_typed_literal(kept.summary.total.to_string(), xsd::INTEGER),
    );
    out
}

/// The Article 78 label of `kept` about `dataset`, as HealthDCAT-AP carries it: a
/// `dqv:QualityCertificate` (`{prefix}/label`) annotating the dataset (`oa:hasTarget`), whose
/// body is the label in full (`body`, this catalogue's JSON of the dataset's quality), motivated
/// by `dqv:qualityAssessment`; with a measurement of the label's score (`{namespace}score`, out
/// of 100) and of each metric this catalogue computed (`{namespace}{metric}`, its level). The
/// metrics a data holder declared are in the record already, as the holder wrote them.
pub fn certificate(
    kept: &Kept,
    spec: &crate::LabelSpec,
    dataset: &NamedOrBlankNode,
    prefix: &str,
    body: &str,
) -> Vec<Triple> {
    let Some(label) = &kept.label else {
        return Vec::new();
    };
    let cert: NamedOrBlankNode = NamedNode::new_unchecked(format!("{prefix}/label")).into();
    let mut out = vec![
        Triple::new(
            dataset.clone(),
            dqv::HAS_QUALITY_ANNOTATION,
            Term::from(cert.clone()),
        ),
        Triple::new(
            cert.clone(),
            rdf::TYPE,
            Term::from(dqv::QUALITY_CERTIFICATE.into_owned()),
        ),
        Triple::new(cert.clone(), oa::HAS_TARGET, Term::from(dataset.clone())),
        Triple::new(
            cert.clone(),
            oa::HAS_BODY,
            Term::from(NamedNode::new_unchecked(body)),
        ),
        Triple::new(
            cert,
            oa::MOTIVATED_BY,
            Term::from(dqv::QUALITY_ASSESSMENT.into_owned()),
        ),
    ];
    let mut measure = |name: &str, value: Literal| {
        let m: NamedOrBlankNode = NamedNode::new_unchecked(format!("{prefix}/label/{name}")).into();
        out.push(Triple::new(
            dataset.clone(),
            dqv::HAS_QUALITY_MEASUREMENT,
            Term::from(m.clone()),
        ));
        for (p, o) in [
            (rdf::TYPE, Term::from(dqv::QUALITY_MEASUREMENT.into_owned())),
            (
                dqv::IS_MEASUREMENT_OF,
                Term::from(NamedNode::new_unchecked(format!(
                    "{}{name}",
                    spec.namespace
                ))),
            ),
            (dqv::COMPUTED_ON, Term::from(dataset.clone())),
            (dqv::VALUE, Term::from(value.clone())),
        ] {
            out.push(Triple::new(m.clone(), p, o));
        }
    };
    measure(
        "score",
        Literal::new_typed_literal(format!("{:.2}", label.score), xsd::DECIMAL),
    );
    if label.levels.len() == spec.metrics.len() {
        for (i, m) in spec.metrics.iter().enumerate() {
            if let (Some(_), Some(level)) = (m.computed, label.level(i)) {
                measure(&m.key, Literal::from(i64::from(level)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Band, Summary};

    #[test]
    fn one_measurement_per_checked_indicator_and_the_score() {
        let kept = Kept {
            summary: Summary {
                total: 30,
                out_of: 325,
                band: Band::Bad,
                present: 3,
                applicable: 27,
            },
            // Everything open but the first indicator (keywords).
            open: !1 & ((1 << INDICATORS.len()) - 1),
            // The DCAT-AP compliance not checked.
            not_checked: 1 << 12,
            advice: Vec::new(),
            label: None,
            health: None,
        };
        assert_eq!(INDICATORS[12].metric, "dcatApCompliance");
        let ds: NamedOrBlankNode = NamedNode::new_unchecked("https://ex.org/ds").into();
        let t = measurements(&kept, &ds, "https://cat.example/catalog/record/ds/quality");
        // 23 indicators, less the two URL answers and the one not checked, plus the score.
        let n = t
            .iter()
            .filter(|t| t.predicate == dqv::HAS_QUALITY_MEASUREMENT)
            .count();
        assert_eq!(n, 23 - 2 - 1 + 1);
        let value = |metric: &str| {
            let node = NamedOrBlankNode::from(NamedNode::new_unchecked(format!(
                "https://cat.example/catalog/record/ds/quality/{metric}"
            )));
            t.iter()
                .find(|t| t.subject == node && t.predicate == dqv::VALUE)
                .map(|t| t.object.to_string())
        };
        assert_eq!(
            value("keywordAvailability").unwrap(),
            "\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>"
        );
        assert_eq!(
            value("licenceAvailability").unwrap(),
            "\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>"
        );
        assert_eq!(
            value("score").unwrap(),
            "\"30\"^^<http://www.w3.org/2001/XMLSchema#integer>"
        );
        assert_eq!(value("dcatApCompliance"), None);
        assert_eq!(value("accessUrlStatusCode"), None);
        // No label kept (an older write): no certificate.
        let spec = crate::LabelSpec::bundled();
        assert!(certificate(&kept, spec, &ds, "https://c/q", "https://c/body").is_empty());
    }

    #[test]
    fn the_label_is_a_quality_certificate_with_the_computed_levels() {
        let spec = crate::LabelSpec::bundled();
        let levels: String = spec
            .metrics
            .iter()
            .map(|m| if m.computed.is_some() { '1' } else { '-' })
            .collect();
        let kept = Kept {
            summary: Summary {
                total: 0,
                out_of: 325,
                band: Band::Bad,
                present: 0,
                applicable: 27,
            },
            open: 0,
            not_checked: 0,
            advice: Vec::new(),
            health: None,
            label: Some(crate::KeptLabel {
                score: 12.5,
                stars: 0,
                undeclared: 60.0,
                levels,
                maturity: None,
            }),
        };
        let ds: NamedOrBlankNode = NamedNode::new_unchecked("https://ex.org/ds").into();
        let t = certificate(
            &kept,
            spec,
            &ds,
            "https://c/q",
            "https://c/api/datasets/ds/quality",
        );
        let has = |s: &str, p: oxrdf::NamedNodeRef<'_>, o: &str| {
            t.iter().any(|t| {
                t.subject.to_string() == s && t.predicate == p && t.object.to_string() == o
            })
        };
        assert!(has(
            "<https://ex.org/ds>",
            dqv::HAS_QUALITY_ANNOTATION,
            "<https://c/q/label>"
        ));
        assert!(has(
            "<https://c/q/label>",
            rdf::TYPE,
            "<http://www.w3.org/ns/dqv#QualityCertificate>"
        ));
        assert!(has(
            "<https://c/q/label>",
            oa::HAS_TARGET,
            "<https://ex.org/ds>"
        ));
        assert!(has(
            "<https://c/q/label>",
            oa::HAS_BODY,
            "<https://c/api/datasets/ds/quality>"
        ));
        assert!(has(
            "<https://c/q/label>",
            oa::MOTIVATED_BY,
            "<http://www.w3.org/ns/dqv#qualityAssessment>"
        ));
        assert!(has(
            "<https://c/q/label/score>",
            dqv::VALUE,
            "\"12.50\"^^<http://www.w3.org/2001/XMLSchema#decimal>"
        ));
        assert!(has(
            "<https://c/q/label/data-dictionary>",
            dqv::IS_MEASUREMENT_OF,
            "<urn:healthcat:quantum:data-dictionary>"
        ));
        // The score and the five computed metrics; declared ones are the holder's, in the record.
        let n = t
            .iter()
            .filter(|t| t.predicate == dqv::HAS_QUALITY_MEASUREMENT)
            .count();
        assert_eq!(n, 1 + 5);
    }
}
