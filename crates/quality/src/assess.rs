//! [`Assessor`]: everything healthcat says about one dataset's quality, computed together — the
//! MQA score with DCAT-AP compliance from healthcat's own validator, the advice, the Regulation
//! 2026/2098 elements. The caller gives the record with the shared resources it names and, when
//! a link checker ran, what the URLs answered.

use crate::advice::{Advice, advise};
use crate::minimum::{self, Element, Presence, Rule};
use crate::mqa::{Band, Checks, Score, Status, UrlCheck, score};
use crate::vocab::{ACCESS_RIGHT, FILE_TYPE, Vocabularies};
use healthcat_profiles::{Options, Profile, ProfileError};
use oxrdf::{Graph, NamedOrBlankNodeRef};
use serde::Serialize;

/// Computes [`Assessment`]s; built once (it holds the compiled DCAT-AP 3 profile).
pub struct Assessor {
    dcat_ap: Profile,
    vocab: Vocabularies,
    rules: Vec<Rule>,
}

/// What healthcat says about one dataset's quality.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The MQA score.
    pub mqa: Score,
    /// What would raise it, most points first.
    pub advice: Vec<Advice>,
    /// The 27 elements of Regulation 2026/2098.
    pub minimum: Vec<Element>,
}

/// An assessment in a few numbers, small enough to keep with every record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Summary {
    /// MQA points earned.
    pub total: u32,
    /// Out of.
    pub out_of: u32,
    /// The band of `total`.
    pub band: Band,
    /// 2026/2098 elements present.
    pub present: u32,
    /// 2026/2098 elements that apply (present or absent).
    pub applicable: u32,
}

/// What is kept with every record's bookkeeping on each write (about 150 bytes of JSON), so that
/// pages and dashboards read stored numbers: the summary, which indicators are open (missing or
/// failed) and not checked (bit `i` = [`crate::INDICATORS`]`[i]`), and the advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Kept {
    /// The numbers.
    #[serde(flatten)]
    pub summary: Summary,
    /// The indicators missing or failed, one bit each in the rubric's order.
    pub open: u32,
    /// The indicators not checked, likewise.
    pub not_checked: u32,
    /// The advice, most points first.
    pub advice: Vec<KeptAdvice>,
}

/// A piece of advice as kept: its key, its points, the value at fault; where it applies and the
/// property it edits follow from the key ([`KeptAdvice::target`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct KeptAdvice {
    /// Its message key.
    #[serde(rename = "k")]
    pub key: String,
    /// The points it adds.
    #[serde(rename = "p")]
    pub points: u32,
    /// The value at fault.
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl KeptAdvice {
    /// The advice in `lang`, with its points.
    pub fn sentence(&self, lang: &str) -> String {
        crate::advice::sentence(lang, &self.key, self.points, self.value.as_deref())
    }

    /// Where it applies and the property it edits (see [`crate::advice::target`]).
    pub fn target(&self) -> (crate::mqa::On, Option<&'static str>) {
        crate::advice::target(&self.key)
    }
}

impl Kept {
    /// The JSON kept in the bookkeeping.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads what [`Kept::to_json`] wrote; `None` for anything else (an older format: the
    /// caller assesses again).
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// The open indicators' metric names, in the rubric's order.
    pub fn open_metrics(&self) -> impl Iterator<Item = &'static str> + '_ {
        crate::INDICATORS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.open & (1 << i) != 0)
            .map(|(_, m)| m.metric)
    }
}

impl Assessment {
    /// What is kept with the record.
    pub fn kept(&self) -> Kept {
        let bits = |want: &[Status]| -> u32 {
            self.mqa
                .indicators
                .iter()
                .enumerate()
                .filter(|(_, m)| want.contains(&m.status))
                .fold(0, |acc, (i, _)| acc | (1 << i))
        };
        Kept {
            summary: self.summary(),
            open: bits(&[Status::Missing, Status::Failed]),
            not_checked: bits(&[Status::NotChecked]),
            advice: self
                .advice
                .iter()
                .map(|a| KeptAdvice {
                    key: a.key.clone(),
                    points: a.points,
                    value: a.value.clone(),
                })
                .collect(),
        }
    }

    /// The few numbers of this assessment.
    pub fn summary(&self) -> Summary {
        let count = |p: Presence| self.minimum.iter().filter(|e| e.presence == p).count() as u32;
        Summary {
            total: self.mqa.total,
            out_of: self.mqa.out_of,
            band: self.mqa.band,
            present: count(Presence::Present),
            applicable: count(Presence::Present) + count(Presence::Absent),
        }
    }
}

impl Assessor {
    /// An assessor checking DCAT-AP compliance with `dcat_ap` — no violation; its warnings (what
    /// is only recommended) are not checked — and taking the file-type and access-right codes
    /// from its bundled code lists.
    pub fn new(dcat_ap: Profile) -> Self {
        let dcat_ap = dcat_ap.only_violations();
        // The codes of a bundled table, from its namespace (`…/file-type/` is the scheme
        // `…/file-type`).
        let codes = |namespace: &str| -> Vec<String> {
            dcat_ap
                .codes(namespace.trim_end_matches('/'), "en")
                .into_iter()
                .filter_map(|(iri, _)| iri.strip_prefix(namespace).map(str::to_owned))
                .collect()
        };
        let vocab = Vocabularies::new(codes(FILE_TYPE), codes(ACCESS_RIGHT));
        Self {
            dcat_ap,
            vocab,
            rules: minimum::rules(),
        }
    }

    /// An assessor with the bundled DCAT-AP 3 profile.
    pub fn bundled() -> Result<Self, ProfileError> {
        Ok(Self::new(Profile::builtin("dcat-ap-3")?))
    }

    /// The vocabularies it checks values against.
    pub fn vocabularies(&self) -> &Vocabularies {
        &self.vocab
    }

    /// Assesses `dataset` as described in `graph` (its record with the shared resources it
    /// names); `url` says what a URL answered when the link checker last tried it.
    pub fn assess(
        &self,
        graph: &Graph,
        dataset: NamedOrBlankNodeRef<'_>,
        url: Option<&UrlCheck<'_>>,
    ) -> Assessment {
        let triples: Vec<_> = graph.iter().collect();
        let report = self.dcat_ap.validate(
            &triples,
            &Options {
                level: None,
                skip_document_shapes: true,
            },
        );
        let conforms = report.failures.is_empty() && report.violations().next().is_none();
        let checks = Checks {
            url,
            dcat_ap_conforms: Some(conforms),
        };
        let mqa = score(graph, dataset, &self.vocab, &checks);
        let advice = advise(&mqa);
        let minimum = minimum::check(graph, dataset, &self.rules);
        Assessment {
            mqa,
            advice,
            minimum,
        }
    }
}
