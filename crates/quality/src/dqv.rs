//! The assessment as DQV, the way data.europa.eu publishes its MQA: one `dqv:QualityMeasurement`
//! per indicator checked — `dqv:isMeasurementOf` piveau's metric
//! (`https://piveau.eu/ns/voc#keywordAvailability`…), `dqv:computedOn` the dataset, a boolean
//! `dqv:value` — and one of `pv:score` with the total. The indicators whose value piveau gives
//! as an HTTP status code (the URL answers) are published only once a link checker has a code;
//! not checked, they are left out, like every indicator not checked.

use crate::{INDICATORS, Kept};
use healthcat_model::vocab::{dqv, pv, rdf, xsd};
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
    }
}
