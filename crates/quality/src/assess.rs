//! [`Assessor`]: everything healthcat says about one dataset's quality, computed together — the
//! MQA score with DCAT-AP compliance from healthcat's own validator, the advice, the Regulation
//! 2026/2098 elements. The caller gives the record with the shared resources it names and, when
//! a link checker ran, what the URLs answered.

use crate::advice::{Advice, advise};
use crate::label::{Conformance, Label, LabelSpec};
use crate::minimum::{self, Element, Presence, Rule};
use crate::mqa::{Band, Checks, Score, Status, UrlCheck, score};
use crate::vocab::{ACCESS_RIGHT, FILE_TYPE, Vocabularies};
use healthcat_profiles::{Options, Profile, ProfileError};
use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use serde::Serialize;

/// Computes [`Assessment`]s; built once (it holds the compiled DCAT-AP 3 profile).
pub struct Assessor {
    dcat_ap: Profile,
    vocab: Vocabularies,
    rules: Vec<Rule>,
    label: std::sync::Arc<LabelSpec>,
    links: Option<Links>,
    health: Option<crate::health::HealthCheck>,
}

/// What the link checker last found for each URL: whether it answered 2xx, `None` for a URL not
/// checked (shared by every assessment, so that each write sees the known answers).
pub type Links = std::sync::Arc<dyn Fn(&str) -> Option<bool> + Send + Sync>;

/// What healthcat says about one dataset's quality.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The MQA score.
    pub mqa: Score,
    /// What would raise it, most points first.
    pub advice: Vec<Advice>,
    /// The 27 elements of Regulation 2026/2098.
    pub minimum: Vec<Element>,
    /// The Article 78 quality and utility label.
    pub label: Label,
    /// The health layer (when the assessor has a HealthDCAT-AP profile).
    pub health: Option<crate::health::Health>,
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
    /// The Article 78 label (absent from what older versions kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<KeptLabel>,
    /// The health layer in numbers (absent from what older versions kept).
    #[serde(rename = "hl", default, skip_serializing_if = "Option::is_none")]
    pub health: Option<KeptHealth>,
}

/// The health layer as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct KeptHealth {
    /// The access level checked.
    #[serde(rename = "lv", default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Mandatory properties given, of how many.
    #[serde(rename = "m")]
    pub mandatory: (u32, u32),
    /// Recommended properties given, of how many.
    #[serde(rename = "r")]
    pub recommended: (u32, u32),
    /// Health values outside their code lists.
    #[serde(rename = "o")]
    pub outside: u32,
}

/// The Article 78 label as kept.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct KeptLabel {
    /// The score out of 100.
    #[serde(rename = "s")]
    pub score: f64,
    /// Its stars.
    #[serde(rename = "st")]
    pub stars: u8,
    /// Points of metrics nobody declared.
    #[serde(rename = "u")]
    pub undeclared: f64,
    /// Each metric's level in the framework's order: a digit, or `-` where nobody declared it.
    #[serde(rename = "l", default)]
    pub levels: String,
    /// The holder's maturity: (score, dimensions declared), when its publisher declares any.
    #[serde(rename = "mt", default, skip_serializing_if = "Option::is_none")]
    pub maturity: Option<(u32, u32)>,
}

impl KeptLabel {
    /// The level of metric `i` of the framework (`None`: not declared, or a framework that has
    /// changed since).
    pub fn level(&self, i: usize) -> Option<u8> {
        self.levels
            .as_bytes()
            .get(i)
            .and_then(|b| b.is_ascii_digit().then(|| b - b'0'))
    }
}

impl Eq for KeptLabel {}

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
            health: self.health.as_ref().map(|h| KeptHealth {
                level: h.level.clone(),
                mandatory: h.mandatory,
                recommended: h.recommended,
                outside: h.outside.len() as u32,
            }),
            label: Some(KeptLabel {
                score: self.label.score,
                stars: self.label.stars,
                undeclared: self.label.undeclared,
                levels: self
                    .label
                    .metrics
                    .iter()
                    .map(|m| match m.level {
                        Some(l) if l < 10 => char::from(b'0' + l),
                        _ => '-',
                    })
                    .collect(),
                maturity: self
                    .label
                    .maturity
                    .as_ref()
                    .map(|m| (m.score, m.levels.iter().flatten().count() as u32))
                    .filter(|(_, n)| *n > 0),
            }),
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
            label: std::sync::Arc::new(LabelSpec::bundled().clone()),
            links: None,
            health: None,
        }
    }

    /// The same, with the health layer checked against `profile` (HealthDCAT-AP).
    pub fn with_health(mut self, profile: Profile) -> Self {
        self.health = Some(crate::health::HealthCheck::new(profile));
        self
    }

    /// The same, with the label framework `spec` instead of the bundled one.
    pub fn with_label(mut self, spec: LabelSpec) -> Self {
        self.label = std::sync::Arc::new(spec);
        self
    }

    /// The same, answering the URL indicators from `links` (the link checker's results) when the
    /// caller gives no URL answers of its own.
    pub fn with_links(mut self, links: Links) -> Self {
        self.links = Some(links);
        self
    }

    /// The label framework it uses.
    pub fn label_spec(&self) -> &LabelSpec {
        &self.label
    }

    /// The same, shared.
    pub fn label_spec_shared(&self) -> std::sync::Arc<LabelSpec> {
        self.label.clone()
    }

    /// An assessor with the bundled DCAT-AP 3 profile, and the health layer against the bundled
    /// HealthDCAT-AP R8 profile.
    pub fn bundled() -> Result<Self, ProfileError> {
        Ok(Self::new(Profile::builtin("dcat-ap-3")?)
            .with_health(Profile::builtin("healthdcat-ap-r8")?))
    }

    /// The vocabularies it checks values against.
    pub fn vocabularies(&self) -> &Vocabularies {
        &self.vocab
    }

    /// Assesses `dataset` as described in `graph` (its record with the shared resources it
    /// names); `url` says what a URL answered when the link checker last tried it. The label's
    /// "standardised metadata" follows the DCAT-AP 3 check; see [`Assessor::assess_validated`].
    pub fn assess(
        &self,
        graph: &Graph,
        dataset: NamedOrBlankNodeRef<'_>,
        url: Option<&UrlCheck<'_>>,
    ) -> Assessment {
        self.assess_validated(graph, dataset, url, None)
    }

    /// The same, where the record was validated with the catalogue's profile: `validated` is
    /// that profile's verdict, which the label's "standardised metadata" follows.
    pub fn assess_validated(
        &self,
        graph: &Graph,
        dataset: NamedOrBlankNodeRef<'_>,
        url: Option<&UrlCheck<'_>>,
        validated: Option<Conformance<'_>>,
    ) -> Assessment {
        let triples: Vec<_> = graph.iter().collect();
        // Other records it links to (its series…) are there for their class only.
        let context: Vec<NamedNodeRef<'_>> = healthcat_model::RECORD_LINKS
            .iter()
            .flat_map(|p| graph.objects_for_subject_predicate(dataset, *p))
            .filter_map(|o| match o {
                TermRef::NamedNode(n) if NamedOrBlankNodeRef::from(n) != dataset => Some(n),
                _ => None,
            })
            .collect();
        let report = self.dcat_ap.validate_in_context(
            &triples,
            &context,
            &Options {
                level: None,
                skip_document_shapes: true,
            },
        );
        let violations = report.failures.len() + report.violations().count();
        let conforms = violations == 0;
        let url = url.or(self.links.as_deref().map(|l| l as &UrlCheck<'_>));
        let checks = Checks {
            url,
            dcat_ap_conforms: Some(conforms),
        };
        let mqa = score(graph, dataset, &self.vocab, &checks);
        let advice = advise(&mqa);
        let minimum = minimum::check(graph, dataset, &self.rules);
        let conformance = validated.unwrap_or(Conformance {
            profile: "dcat-ap-3",
            violations,
        });
        let label = crate::label::label(&self.label, graph, dataset, conformance);
        let health = self.health.as_ref().map(|h| h.check(graph, dataset));
        Assessment {
            mqa,
            advice,
            minimum,
            label,
            health,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::NamedNode;

    /// What a write keeps reads back the same, label included; what an older version kept (no
    /// label) still reads, without a label.
    #[test]
    fn kept_reads_back() {
        let text = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
            @prefix dct: <http://purl.org/dc/terms/> .
            <https://ex.org/ds> a dcat:Dataset ; dct:title "t"@en ; dct:description "d"@en ;
              dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
              dct:creator <https://ex.org/org> ."#;
        let g = crate::test_graph(text);
        let ds = NamedNode::new_unchecked("https://ex.org/ds");
        let a = Assessor::bundled()
            .unwrap()
            .assess(&g, ds.as_ref().into(), None);
        let kept = a.kept();
        let label = kept.label.clone().unwrap();
        assert_eq!(label.levels.len(), 15);
        // Access rights without usage terms: a basic policy; a creator: the source documented.
        assert_eq!(label.level(0), Some(1));
        assert_eq!((label.score, label.stars), (a.label.score, a.label.stars));
        assert_eq!(Kept::from_json(&kept.to_json()), Some(kept.clone()));
        let mut older: serde_json::Value = serde_json::from_str(&kept.to_json()).unwrap();
        older.as_object_mut().unwrap().remove("label");
        let read = Kept::from_json(&older.to_string()).unwrap();
        assert_eq!((read.label, read.summary), (None, kept.summary));
    }
}
