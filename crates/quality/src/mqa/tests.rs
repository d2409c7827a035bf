//! Each indicator on hand-made records: present, absent, a literal where an IRI is expected, a
//! value outside the vocabulary; the best-distribution rule; dates counted once; the bands.

use super::*;
use crate::vocab::{ACCESS_RIGHT, FILE_TYPE, LICENCE};
use oxrdf::NamedNode;

const PREFIXES: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .
@prefix lic: <http://publications.europa.eu/resource/authority/licence/> .
"#;

fn graph(ttl: &str) -> Graph {
    crate::test_graph(&format!("{PREFIXES}{ttl}"))
}

fn vocab() -> Vocabularies {
    Vocabularies::new(
        ["CSV", "PDF", "JSON", "XLSX"].map(str::to_owned),
        ["PUBLIC", "NON_PUBLIC", "RESTRICTED"].map(str::to_owned),
    )
}

fn scored(ttl: &str, checks: &Checks<'_>) -> Score {
    let g = graph(ttl);
    let ds = NamedNode::new_unchecked("https://ex.org/ds");
    score(&g, ds.as_ref().into(), &vocab(), checks)
}

fn of<'a>(s: &'a Score, metric: &str) -> &'a Measured {
    s.indicators
        .iter()
        .find(|m| m.indicator.metric == metric)
        .unwrap()
}

#[test]
fn the_rubric_is_405_points_in_five_dimensions() {
    assert_eq!(INDICATORS.iter().map(|i| i.points).sum::<u32>(), MAX_POINTS);
    let per = |d| {
        INDICATORS
            .iter()
            .filter(|i| i.dimension == d)
            .map(|i| i.points)
            .sum::<u32>()
    };
    assert_eq!(
        [
            per(Dimension::Findability),
            per(Dimension::Accessibility),
            per(Dimension::Interoperability),
            per(Dimension::Reusability),
            per(Dimension::Contextuality)
        ],
        [100, 100, 110, 75, 20]
    );
}

#[test]
fn a_complete_dataset_scores_405_once_every_check_is_done() {
    let ttl = r#"<https://ex.org/ds> a dcat:Dataset ;
        dcat:keyword "cancer"@fr ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL> ;
        dct:spatial <http://publications.europa.eu/resource/authority/country/FRA> ;
        dct:temporal [ a dct:PeriodOfTime ] ; dct:accessRights ar:PUBLIC ;
        dcat:contactPoint [ a <http://www.w3.org/2006/vcard/ns#Kind> ] ; dct:publisher <https://ex.org/org> ;
        dct:issued "2024-01-01"^^xsd:date ; dct:modified "2024-02-01"^^xsd:date ;
        dcat:distribution <https://ex.org/ds/csv> .
      <https://ex.org/ds/csv> a dcat:Distribution ; dcat:accessURL <https://ex.org/a> ;
        dcat:downloadURL <https://ex.org/d.csv> ; dct:format ft:CSV ;
        dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
        dct:license lic:CC_BY_4_0 ; dct:rights [ a dct:RightsStatement ] ; dcat:byteSize "12"^^xsd:nonNegativeInteger ."#;
    let unchecked = scored(ttl, &Checks::default());
    assert_eq!(
        (unchecked.total, unchecked.out_of),
        (295, 295),
        "{unchecked:#?}"
    );
    for metric in [
        "accessUrlStatusCode",
        "downloadUrlStatusCode",
        "dcatApCompliance",
    ] {
        assert_eq!(of(&unchecked, metric).status, Status::NotChecked);
    }
    let up = |_: &str| Some(true);
    let all = scored(
        ttl,
        &Checks {
            url: Some(&up),
            dcat_ap_conforms: Some(true),
        },
    );
    assert_eq!(
        (all.total, all.out_of, all.band),
        (405, 405, Band::Excellent)
    );
    assert_eq!(all.distribution.as_deref(), Some("<https://ex.org/ds/csv>"));
}

#[test]
fn each_indicator_tells_absent_from_failing() {
    let ttl = r#"<https://ex.org/ds> a dcat:Dataset ; dct:accessRights "public" ;
        dcat:distribution <https://ex.org/ds/d> .
      <https://ex.org/ds/d> dct:format "CSV" ; dct:license <https://example.org/my-licence> ;
        dcat:mediaType <https://www.iana.org/assignments/media-types/text> ;
        dcat:accessURL <https://ex.org/a> ."#;
    let down = |_: &str| Some(false);
    let s = scored(
        ttl,
        &Checks {
            url: Some(&down),
            dcat_ap_conforms: Some(false),
        },
    );
    for (metric, status) in [
        ("keywordAvailability", Status::Missing),
        ("accessRightsAvailability", Status::Met),
        ("accessRightsVocabularyAlignment", Status::Failed),
        ("formatAvailability", Status::Met),
        ("formatMediaTypeVocabularyAlignment", Status::Failed),
        ("formatMediaTypeNonProprietary", Status::Failed),
        ("licenceAvailability", Status::Met),
        ("knownLicence", Status::Failed),
        ("accessUrlStatusCode", Status::Failed),
        ("downloadUrlAvailability", Status::Missing),
        ("downloadUrlStatusCode", Status::Missing),
        ("dcatApCompliance", Status::Failed),
    ] {
        let m = of(&s, metric);
        assert_eq!(m.status, status, "{metric}: {m:?}");
        assert_eq!(
            m.earned,
            if status == Status::Met {
                m.indicator.points
            } else {
                0
            }
        );
    }
    assert_eq!(
        of(&s, "accessRightsVocabularyAlignment")
            .evidence
            .as_deref(),
        Some("\"public\"")
    );
    // Present, whatever their values: access rights 10, format 20, media type 10, licence 20.
    assert_eq!(s.total, 10 + 20 + 10 + 20);
    assert_eq!(of(&s, "mediaTypeAvailability").status, Status::Met);
    assert_eq!(s.out_of, MAX_POINTS);
}

#[test]
fn the_best_distribution_is_kept_and_dates_count_once() {
    // The PDF has a licence only; the CSV a format, a media type and a byte size, and a date the
    // dataset lacks. The CSV is kept; its dct:modified counts, the dataset's dct:issued too, once.
    let ttl = r#"<https://ex.org/ds> a dcat:Dataset ; dct:issued "2024-01-01"^^xsd:date ;
        dcat:distribution <https://ex.org/ds/pdf>, <https://ex.org/ds/csv> .
      <https://ex.org/ds/pdf> dct:license lic:CC_BY_4_0 ; dct:issued "2023-01-01"^^xsd:date .
      <https://ex.org/ds/csv> dct:format ft:CSV ; dcat:byteSize "3"^^xsd:nonNegativeInteger ;
        dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
        dct:modified "2024-03-01"^^xsd:date ."#;
    let s = scored(ttl, &Checks::default());
    assert_eq!(s.distribution.as_deref(), Some("<https://ex.org/ds/csv>"));
    // format 20 + media type 10 + alignment 10 + non-proprietary 20 + machine-readable 20 +
    // byte size 5 + issued 5 (the dataset's) + modified 5 (the distribution's); no licence:
    // the PDF's is not added to the CSV's.
    assert_eq!(s.total, 95, "{s:#?}");
    assert_eq!(of(&s, "licenceAvailability").status, Status::Missing);
    assert_eq!(of(&s, "dateIssuedAvailability").earned, 5);
    assert_eq!(
        of(&s, "dateIssuedAvailability").evidence.as_deref(),
        Some("\"2024-01-01\"")
    );
}

#[test]
fn a_dataset_without_distributions_gets_the_dataset_points_only() {
    let ttl = r#"<https://ex.org/ds> a dcat:Dataset ; dcat:keyword "k"@en ;
        dct:publisher <https://ex.org/org> ; dct:accessRights ar:NON_PUBLIC ."#;
    let s = scored(ttl, &Checks::default());
    assert_eq!(s.distribution, None);
    assert_eq!(s.total, 30 + 10 + 10 + 5);
    assert_eq!(of(&s, "formatAvailability").status, Status::Missing);
    // Without distributions no URL exists to check: missing, and counted in "out of".
    assert_eq!(of(&s, "accessUrlStatusCode").status, Status::Missing);
    assert_eq!(
        s.out_of,
        MAX_POINTS - 30,
        "only the DCAT-AP check is not done"
    );
    assert_eq!(s.band, Band::Bad);
}

#[test]
fn bands_have_data_europa_eus_boundaries() {
    for (points, band) in [
        (0, Band::Bad),
        (120, Band::Bad),
        (121, Band::Sufficient),
        (220, Band::Sufficient),
        (221, Band::Good),
        (350, Band::Good),
        (351, Band::Excellent),
        (405, Band::Excellent),
    ] {
        assert_eq!(Band::of(points), band, "{points}");
    }
}

#[test]
fn vocabulary_namespaces_are_the_eu_tables() {
    assert!(FILE_TYPE.ends_with("file-type/") && ACCESS_RIGHT.ends_with("access-right/"));
    assert!(LICENCE.ends_with("licence/"));
}
