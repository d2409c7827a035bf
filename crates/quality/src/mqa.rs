//! The MQA score of one dataset, as data.europa.eu (piveau) computes it: 23 indicators in five
//! dimensions, 405 points. Each distribution is scored on the distribution-level indicators and
//! the **best** one is kept (a dataset often offers the same content several ways); the
//! dataset-level indicators are added; `dct:issued` and `dct:modified` count once, whether on the
//! dataset or on the kept distribution; a dataset without distributions gets the dataset-level
//! points only. What needs the network (whether an access or download URL answers) or the
//! DCAT-AP validator is given by the caller ([`Checks`]); without it the indicator is
//! [`Status::NotChecked`] and the score says out of how many points it was computed — never a
//! silent zero.

use crate::vocab::Vocabularies;
use healthcat_model::vocab::{dcat, dct};
use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use serde::Serialize;

/// The five dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Can it be found (keywords, themes, coverage)?
    Findability,
    /// Can the data be reached (access and download URLs)?
    Accessibility,
    /// Can it be combined (formats, media types, DCAT-AP)?
    Interoperability,
    /// May it be reused (licence, access rights, contact, publisher)?
    Reusability,
    /// Is it described in context (rights, size, dates)?
    Contextuality,
}

/// Where an indicator is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum On {
    /// The dataset.
    Dataset,
    /// The kept distribution.
    Distribution,
    /// The dataset, or else the kept distribution (`dct:issued`, `dct:modified`).
    Either,
}

/// One indicator of the rubric.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Indicator {
    /// piveau's metric name (`https://piveau.eu/ns/voc#<metric>`).
    pub metric: &'static str,
    /// Its dimension.
    pub dimension: Dimension,
    /// The points it is worth.
    pub points: u32,
    /// Where it is looked for.
    pub on: On,
}

const fn ind(metric: &'static str, dimension: Dimension, points: u32, on: On) -> Indicator {
    Indicator {
        metric,
        dimension,
        points,
        on,
    }
}

use Dimension::{Accessibility, Contextuality, Findability, Interoperability, Reusability};
use On::{Dataset, Distribution, Either};

/// The rubric: 23 indicators, 405 points (data.europa.eu's MQA methodology).
pub const INDICATORS: [Indicator; 23] = [
    ind("keywordAvailability", Findability, 30, Dataset),
    ind("categoryAvailability", Findability, 30, Dataset),
    ind("spatialAvailability", Findability, 20, Dataset),
    ind("temporalAvailability", Findability, 20, Dataset),
    ind("accessUrlStatusCode", Accessibility, 50, Distribution),
    ind("downloadUrlAvailability", Accessibility, 20, Distribution),
    ind("downloadUrlStatusCode", Accessibility, 30, Distribution),
    ind("formatAvailability", Interoperability, 20, Distribution),
    ind("mediaTypeAvailability", Interoperability, 10, Distribution),
    ind(
        "formatMediaTypeVocabularyAlignment",
        Interoperability,
        10,
        Distribution,
    ),
    ind(
        "formatMediaTypeNonProprietary",
        Interoperability,
        20,
        Distribution,
    ),
    ind(
        "formatMediaTypeMachineInterpretable",
        Interoperability,
        20,
        Distribution,
    ),
    ind("dcatApCompliance", Interoperability, 30, Dataset),
    ind("licenceAvailability", Reusability, 20, Distribution),
    ind("knownLicence", Reusability, 10, Distribution),
    ind("accessRightsAvailability", Reusability, 10, Dataset),
    ind("accessRightsVocabularyAlignment", Reusability, 5, Dataset),
    ind("contactPointAvailability", Reusability, 20, Dataset),
    ind("publisherAvailability", Reusability, 10, Dataset),
    ind("rightsAvailability", Contextuality, 5, Distribution),
    ind("byteSizeAvailability", Contextuality, 5, Distribution),
    ind("dateIssuedAvailability", Contextuality, 5, Either),
    ind("dateModifiedAvailability", Contextuality, 5, Either),
];

/// The most a dataset can score.
pub const MAX_POINTS: u32 = 405;

/// What an indicator came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its points are earned.
    Met,
    /// The property is absent (or there is no distribution to carry it).
    Missing,
    /// The property is there but does not pass (a literal where an IRI is expected, a value
    /// outside the vocabulary, a URL that did not answer 2xx, a description that does not
    /// conform).
    Failed,
    /// Not computed: a URL nobody checked yet, no validation result given. Its points are left
    /// out of the total *and* of what the score is out of.
    NotChecked,
}

/// One indicator, measured.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    /// The indicator.
    #[serde(flatten)]
    pub indicator: Indicator,
    /// Points earned.
    pub earned: u32,
    /// What it came to.
    pub status: Status,
    /// The value that decided (an IRI, a literal), when there is one.
    pub evidence: Option<String>,
}

/// The rating bands of data.europa.eu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// 351–405.
    Excellent,
    /// 221–350.
    Good,
    /// 121–220.
    Sufficient,
    /// 0–120.
    Bad,
}

impl Band {
    /// Its key, as serialised (`good`); its name is `band.<key>` in the message catalogues.
    pub fn key(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Good => "good",
            Self::Sufficient => "sufficient",
            Self::Bad => "bad",
        }
    }

    /// The band of `points`.
    pub fn of(points: u32) -> Self {
        match points {
            351.. => Self::Excellent,
            221..=350 => Self::Good,
            121..=220 => Self::Sufficient,
            _ => Self::Bad,
        }
    }
}

/// A dataset's score.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// Points earned.
    pub total: u32,
    /// Points the score was computed out of: 405 minus the indicators not checked.
    pub out_of: u32,
    /// The band of `total` (a lower bound while indicators are not checked).
    pub band: Band,
    /// Each dimension: (dimension, earned, computed out of).
    pub dimensions: Vec<(Dimension, u32, u32)>,
    /// Every indicator, in the rubric's order.
    pub indicators: Vec<Measured>,
    /// The distribution kept (the best-scoring one), when there is one.
    pub distribution: Option<String>,
}

/// Whether a URL answered 2xx when it was last checked; `None` for a URL not checked.
pub type UrlCheck<'a> = dyn Fn(&str) -> Option<bool> + 'a;

/// What the caller knows that the metadata alone does not say.
#[derive(Default)]
pub struct Checks<'a> {
    /// Whether a URL answered 2xx when it was last checked; `None` for a URL not checked.
    pub url: Option<&'a UrlCheck<'a>>,
    /// Whether the dataset's description conforms to the DCAT-AP shapes.
    pub dcat_ap_conforms: Option<bool>,
}

/// Scores `dataset` as described in `graph` (its record with the shared resources it names).
pub fn score(
    graph: &Graph,
    dataset: NamedOrBlankNodeRef<'_>,
    vocab: &Vocabularies,
    checks: &Checks<'_>,
) -> Score {
    // Each distribution scored on the distribution-level indicators and the dates (counted with
    // the dataset's); the best kept, ties to the first in IRI order so the choice is stable.
    let mut distributions: Vec<NamedOrBlankNodeRef<'_>> = graph
        .objects_for_subject_predicate(dataset, dcat::DISTRIBUTION_PROP)
        .filter_map(|o| match o {
            TermRef::NamedNode(n) => Some(n.into()),
            TermRef::BlankNode(b) => Some(b.into()),
            TermRef::Literal(_) => None,
        })
        .collect();
    distributions.sort_by_key(|d| d.to_string());
    distributions.dedup();
    let mut best: Option<(u32, NamedOrBlankNodeRef<'_>, Vec<Measured>)> = None;
    for d in distributions {
        let measured: Vec<Measured> = INDICATORS
            .iter()
            .filter(|i| i.on != Dataset)
            .map(|i| measure(i, graph, dataset, Some(d), vocab, checks))
            .collect();
        let points: u32 = measured.iter().map(|m| m.earned).sum();
        if best.as_ref().is_none_or(|(b, _, _)| points > *b) {
            best = Some((points, d, measured));
        }
    }
    let kept = best.as_ref().map(|(_, d, _)| *d);
    let mut indicators = Vec::with_capacity(INDICATORS.len());
    for i in &INDICATORS {
        let m = match (&best, i.on) {
            (Some((_, _, measured)), Distribution | Either) => measured
                .iter()
                .find(|m| m.indicator.metric == i.metric)
                .cloned()
                .unwrap_or_else(|| measure(i, graph, dataset, kept, vocab, checks)),
            _ => measure(i, graph, dataset, kept, vocab, checks),
        };
        indicators.push(m);
    }
    let total = indicators.iter().map(|m| m.earned).sum();
    let out_of = indicators
        .iter()
        .filter(|m| m.status != Status::NotChecked)
        .map(|m| m.indicator.points)
        .sum();
    let dimensions = [
        Findability,
        Accessibility,
        Interoperability,
        Reusability,
        Contextuality,
    ]
    .into_iter()
    .map(|dim| {
        let of_dim = indicators.iter().filter(|m| m.indicator.dimension == dim);
        let earned = of_dim.clone().map(|m| m.earned).sum();
        let max = of_dim
            .filter(|m| m.status != Status::NotChecked)
            .map(|m| m.indicator.points)
            .sum();
        (dim, earned, max)
    })
    .collect();
    Score {
        total,
        out_of,
        band: Band::of(total),
        dimensions,
        indicators,
        distribution: kept.map(|d| d.to_string()),
    }
}

/// The first object of `subject p`, if any.
fn first<'a>(
    graph: &'a Graph,
    subject: NamedOrBlankNodeRef<'_>,
    p: NamedNodeRef<'_>,
) -> Option<TermRef<'a>> {
    graph.object_for_subject_predicate(subject, p)
}

/// The text of a term for the evidence.
fn shown(t: TermRef<'_>) -> String {
    match t {
        TermRef::NamedNode(n) => n.as_str().to_owned(),
        TermRef::BlankNode(_) => "[…]".to_owned(),
        TermRef::Literal(l) => format!("\"{}\"", l.value()),
    }
}

fn measured(i: &Indicator, status: Status, evidence: Option<String>) -> Measured {
    Measured {
        indicator: *i,
        earned: if status == Status::Met { i.points } else { 0 },
        status,
        evidence,
    }
}

/// Present: at least one value.
fn presence(i: &Indicator, value: Option<TermRef<'_>>) -> Measured {
    match value {
        Some(v) => measured(i, Status::Met, Some(shown(v))),
        None => measured(i, Status::Missing, None),
    }
}

/// The first value of `p` on `subject` that passes `test`, else the first value (failed), else
/// missing.
fn aligned(
    i: &Indicator,
    graph: &Graph,
    subject: Option<NamedOrBlankNodeRef<'_>>,
    p: NamedNodeRef<'_>,
    test: impl Fn(&str) -> bool,
) -> Measured {
    let Some(subject) = subject else {
        return measured(i, Status::Missing, None);
    };
    let mut seen = None;
    for v in graph.objects_for_subject_predicate(subject, p) {
        if let TermRef::NamedNode(n) = v
            && test(n.as_str())
        {
            return measured(i, Status::Met, Some(shown(v)));
        }
        seen.get_or_insert(v);
    }
    match seen {
        Some(v) => measured(i, Status::Failed, Some(shown(v))),
        None => measured(i, Status::Missing, None),
    }
}

/// Whether one of the URLs of `p` answered 2xx: met if any did, failed if all checked ones did
/// not, not checked if none was checked.
fn reachable(
    i: &Indicator,
    graph: &Graph,
    subject: Option<NamedOrBlankNodeRef<'_>>,
    p: NamedNodeRef<'_>,
    checks: &Checks<'_>,
) -> Measured {
    let urls: Vec<String> = subject
        .map(|s| {
            graph
                .objects_for_subject_predicate(s, p)
                .filter_map(|t| match t {
                    TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    if urls.is_empty() {
        return measured(i, Status::Missing, None);
    }
    let Some(check) = checks.url else {
        return measured(i, Status::NotChecked, urls.first().cloned());
    };
    let mut checked = None;
    for u in &urls {
        match check(u) {
            Some(true) => return measured(i, Status::Met, Some(u.clone())),
            Some(false) => checked = checked.or(Some(u.clone())),
            None => {}
        }
    }
    match checked {
        Some(u) => measured(i, Status::Failed, Some(u)),
        None => measured(i, Status::NotChecked, urls.first().cloned()),
    }
}

fn measure(
    i: &Indicator,
    graph: &Graph,
    dataset: NamedOrBlankNodeRef<'_>,
    distribution: Option<NamedOrBlankNodeRef<'_>>,
    vocab: &Vocabularies,
    checks: &Checks<'_>,
) -> Measured {
    let on_dist = |p| distribution.and_then(|d| first(graph, d, p));
    match i.metric {
        "keywordAvailability" => presence(i, first(graph, dataset, dcat::KEYWORD)),
        "categoryAvailability" => presence(i, first(graph, dataset, dcat::THEME)),
        "spatialAvailability" => presence(i, first(graph, dataset, dct::SPATIAL)),
        "temporalAvailability" => presence(i, first(graph, dataset, dct::TEMPORAL)),
        "accessUrlStatusCode" => reachable(i, graph, distribution, dcat::ACCESS_URL, checks),
        "downloadUrlAvailability" => presence(i, on_dist(dcat::DOWNLOAD_URL)),
        "downloadUrlStatusCode" => reachable(i, graph, distribution, dcat::DOWNLOAD_URL, checks),
        "formatAvailability" => presence(i, on_dist(dct::FORMAT)),
        "mediaTypeAvailability" => presence(i, on_dist(dcat::MEDIA_TYPE)),
        "formatMediaTypeVocabularyAlignment" => {
            let format = aligned(i, graph, distribution, dct::FORMAT, |iri| {
                vocab.is_file_type(iri)
            });
            if format.status == Status::Met {
                return format;
            }
            let media = aligned(i, graph, distribution, dcat::MEDIA_TYPE, |iri| {
                vocab.is_media_type(iri)
            });
            match (format.status, media.status) {
                (_, Status::Met) => media,
                (Status::Missing, _) => media,
                _ => format,
            }
        }
        "formatMediaTypeNonProprietary" => aligned(i, graph, distribution, dct::FORMAT, |iri| {
            vocab.is_non_proprietary(iri)
        }),
        "formatMediaTypeMachineInterpretable" => {
            aligned(i, graph, distribution, dct::FORMAT, |iri| {
                vocab.is_machine_readable(iri)
            })
        }
        "dcatApCompliance" => match checks.dcat_ap_conforms {
            Some(true) => measured(i, Status::Met, None),
            Some(false) => measured(i, Status::Failed, None),
            None => measured(i, Status::NotChecked, None),
        },
        "licenceAvailability" => presence(i, on_dist(dct::LICENSE)),
        "knownLicence" => aligned(i, graph, distribution, dct::LICENSE, |iri| {
            vocab.is_known_licence(iri)
        }),
        "accessRightsAvailability" => presence(i, first(graph, dataset, dct::ACCESS_RIGHTS)),
        "accessRightsVocabularyAlignment" => {
            aligned(i, graph, Some(dataset), dct::ACCESS_RIGHTS, |iri| {
                vocab.is_access_right(iri)
            })
        }
        "contactPointAvailability" => presence(i, first(graph, dataset, dcat::CONTACT_POINT)),
        "publisherAvailability" => presence(i, first(graph, dataset, dct::PUBLISHER)),
        "rightsAvailability" => presence(i, on_dist(dct::RIGHTS)),
        "byteSizeAvailability" => presence(i, on_dist(dcat::BYTE_SIZE)),
        "dateIssuedAvailability" => presence(
            i,
            first(graph, dataset, dct::ISSUED).or_else(|| on_dist(dct::ISSUED)),
        ),
        "dateModifiedAvailability" => presence(
            i,
            first(graph, dataset, dct::MODIFIED).or_else(|| on_dist(dct::MODIFIED)),
        ),
        _ => measured(i, Status::NotChecked, None),
    }
}

#[cfg(test)]
mod tests;
