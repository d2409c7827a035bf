//! The label on hand-made records: each computed metric at each of its levels, declarations
//! (valid, out of range, for a computed metric), and the score as QUANTUM computes it.

use super::*;
use oxrdf::NamedNode;

const PREFIXES: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dqv: <http://www.w3.org/ns/dqv#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix hd: <http://healthdataportal.eu/ns/health#> .
@prefix q: <urn:healthcat:quantum:> .
@prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .
"#;

const CONFORMS: Conformance<'static> = Conformance {
    profile: "healthdcat-ap-r8",
    violations: 0,
};

fn labelled(ttl: &str, conformance: Conformance<'_>) -> Label {
    let text = format!("{PREFIXES}<https://ex.org/ds> a dcat:Dataset ; {ttl} .");
    let g = crate::test_graph(&text);
    let ds = NamedNode::new_unchecked("https://ex.org/ds");
    label(LabelSpec::bundled(), &g, ds.as_ref().into(), conformance)
}

/// A dimension's weight as a share of all of them (QUANTUM's add up to 100.01).
fn w(weight: f64) -> f64 {
    weight / 100.01 * 100.0
}

fn level(l: &Label, metric: &str) -> (Option<u8>, By, Option<String>) {
    let m = l.metrics.iter().find(|m| m.metric == metric).unwrap();
    (m.level, m.by, m.evidence.clone())
}

#[test]
fn access_policy_levels() {
    let at = |ttl| level(&labelled(ttl, CONFORMS), "access-policy");
    assert_eq!(at("dct:title \"t\""), (Some(0), By::Computed, None));
    assert_eq!(
        at("dct:accessRights ar:NON_PUBLIC"),
        (Some(1), By::Computed, Some("dct:accessRights".into()))
    );
    // Usage terms without access rights are not a policy at the time of release.
    assert_eq!(at("odrl:hasPolicy <https://ex.org/p>").0, Some(0));
    assert_eq!(
        at("dct:accessRights ar:NON_PUBLIC ; odrl:hasPolicy <https://ex.org/p>"),
        (
            Some(2),
            By::Computed,
            Some("dct:accessRights, odrl:hasPolicy".into())
        )
    );
    // On a distribution too.
    assert_eq!(
        at("dct:accessRights ar:PUBLIC ; dcat:distribution [ dct:rights [ a dct:RightsStatement ] ]").0,
        Some(2)
    );
}

#[test]
fn provenance_levels() {
    let source = |ttl| level(&labelled(ttl, CONFORMS), "source-documentation").0;
    assert_eq!(source("dct:title \"t\""), Some(0));
    assert_eq!(source("dct:creator <https://ex.org/a>"), Some(1));
    assert_eq!(source("dct:source <https://ex.org/s>"), Some(1));
    let process = |ttl| level(&labelled(ttl, CONFORMS), "process-documentation").0;
    assert_eq!(process("dct:title \"t\""), Some(0));
    assert_eq!(
        process("dct:provenance [ rdfs:label \"from the claims\" ]"),
        Some(1)
    );
    assert_eq!(process("prov:wasGeneratedBy [ a prov:Activity ]"), Some(2));
}

#[test]
fn standardised_metadata_follows_the_validation() {
    let at = |c| level(&labelled("dct:title \"t\"", c), "standardised-metadata");
    assert_eq!(
        at(CONFORMS),
        (Some(2), By::Computed, Some("healthdcat-ap-r8: 0".into()))
    );
    let (l, _, e) = at(Conformance {
        profile: "dcat-ap-3",
        violations: 3,
    });
    assert_eq!((l, e.as_deref()), (Some(1), Some("dcat-ap-3: 3")));
}

#[test]
fn data_dictionary_levels() {
    let at = |ttl| level(&labelled(ttl, CONFORMS), "data-dictionary");
    assert_eq!(at("dct:title \"t\"").0, Some(0));
    let full = r#"hd:hasVariables [ a csvw:TableGroup ; csvw:table [ csvw:column
        [ csvw:name "age" ; csvw:title "Age" ; csvw:datatype "integer" ],
        [ csvw:name "sex" ; dct:description "Sex at birth" ; csvw:datatype "string" ] ] ]"#;
    assert_eq!(at(full), (Some(2), By::Computed, Some("2/2".into())));
    let partial = r#"hd:hasVariables [ csvw:table [ csvw:column
        [ csvw:name "age" ; csvw:title "Age" ; csvw:datatype "integer" ], [ csvw:name "sex" ] ] ]"#;
    assert_eq!(at(partial), (Some(1), By::Computed, Some("1/2".into())));
    // A dictionary announced without a column is partial, not complete.
    assert_eq!(at("hd:hasVariables [ a csvw:TableGroup ]").0, Some(1));
    // Columns under a table schema count too.
    let schema = r#"hd:hasVariables [ csvw:table [ csvw:tableSchema [ csvw:column
        [ csvw:name "age" ; csvw:title "Age" ; csvw:datatype "integer" ] ] ] ]"#;
    assert_eq!(at(schema).0, Some(2));
}

#[test]
fn declarations_count_with_their_evidence() {
    let l = labelled(
        r#"dqv:hasQualityMeasurement [ dqv:isMeasurementOf q:access-time ; dqv:value 3 ;
              rdfs:comment "Median 21 days in 2025" ; rdfs:seeAlso <https://ex.org/report> ],
            [ dqv:isMeasurementOf q:coverage-rate ; dqv:value 9 ],
            [ dqv:isMeasurementOf q:access-policy ; dqv:value 2 ]"#,
        CONFORMS,
    );
    let time = l
        .metrics
        .iter()
        .find(|m| m.metric == "access-time")
        .unwrap();
    assert_eq!(
        (
            time.level,
            time.by,
            time.evidence.as_deref(),
            time.link.as_deref()
        ),
        (
            Some(3),
            By::Declared,
            Some("Median 21 days in 2025"),
            Some("https://ex.org/report")
        )
    );
    assert!((time.points - w(9.95) / 2.0).abs() < 1e-9);
    // 9 is not a level of a four-level metric: said, not counted.
    let rate = l
        .metrics
        .iter()
        .find(|m| m.metric == "coverage-rate")
        .unwrap();
    assert_eq!(
        (rate.level, rate.by, rate.rejected.as_deref()),
        (None, By::NotDeclared, Some("9"))
    );
    // A computed metric cannot be declared: the metadata decide.
    assert_eq!(level(&l, "access-policy").0, Some(0));
}

/// The score is QUANTUM's formula on the framework's weights, worked out by hand here.
#[test]
fn the_score_is_quantums_formula() {
    let l = labelled(
        r#"dct:accessRights ar:NON_PUBLIC ; dct:creator <https://ex.org/a> ;
           dct:provenance [ rdfs:label "p" ] ;
           dqv:hasQualityMeasurement [ dqv:isMeasurementOf q:accuracy-documentation ; dqv:value 1 ]"#,
        CONFORMS,
    );
    // access-policy 1/2 of half of accessibility; source all of half of provenance; process
    // 1/2 of the other half; standardised metadata all of 40 % of metadata scope; dictionary
    // nothing; accuracy 1/2 of it.
    let want = w(9.95) / 4.0 + w(7.96) / 2.0 + w(7.96) / 4.0 + 0.4 * w(8.46) + w(9.95) / 2.0;
    assert!(
        (l.score - (want * 100.0).round() / 100.0).abs() < 1e-9,
        "{} vs {want}",
        l.score
    );
    assert_eq!(l.stars, 0);
    // The nine declared metrics nobody declared but accuracy: 100 minus the computed ones'
    // worth and accuracy's.
    let computed = w(9.95) / 2.0 + w(7.96) + w(8.46);
    assert!(
        (l.undeclared - (100.0 - computed - w(9.95))).abs() < 0.006,
        "{}",
        l.undeclared
    );
}

#[test]
fn every_level_declared_at_the_top_is_five_stars() {
    let spec = LabelSpec::bundled();
    let decl: Vec<String> = spec
        .metrics
        .iter()
        .filter(|m| m.computed.is_none())
        .map(|m| {
            format!(
                "[ dqv:isMeasurementOf q:{} ; dqv:value {} ]",
                m.key,
                m.max()
            )
        })
        .collect();
    let l = labelled(
        &format!(
            r#"dct:accessRights ar:NON_PUBLIC ; odrl:hasPolicy <https://ex.org/p> ;
               dct:source <https://ex.org/s> ; prov:wasGeneratedBy [ a prov:Activity ] ;
               hd:hasVariables [ csvw:table [ csvw:column [ csvw:name "a" ; csvw:title "A" ; csvw:datatype "string" ] ] ] ;
               dqv:hasQualityMeasurement {}"#,
            decl.join(", ")
        ),
        CONFORMS,
    );
    assert_eq!((l.score, l.stars, l.undeclared), (100.0, 5, 0.0));
}

/// The holder's maturity is what its publisher declares, dimension by dimension (levels 1 to 5,
/// summed out of 50); a level outside 1–5 is not counted.
#[test]
fn the_publisher_declares_its_maturity() {
    let l = labelled(
        r#"dct:publisher <https://ex.org/org> .
           <https://ex.org/org> dqv:hasQualityMeasurement
               [ dqv:isMeasurementOf q:maturity-data-collection ; dqv:value 4 ],
               [ dqv:isMeasurementOf q:maturity-governance ; dqv:value 3 ],
               [ dqv:isMeasurementOf q:maturity-access ; dqv:value 9 ]"#,
        CONFORMS,
    );
    let m = l.maturity.unwrap();
    assert_eq!(m.publisher, "https://ex.org/org");
    assert_eq!((m.score, m.out_of), (7, 50));
    assert_eq!(&m.levels[..2], [Some(4), Some(3)]);
    assert_eq!(m.levels.iter().flatten().count(), 2);
    // No publisher, no maturity.
    assert_eq!(labelled("dct:title \"t\"", CONFORMS).maturity, None);
}
