//! [`Assessor`]: everything healthcat says about one dataset's quality, computed together — the
//! MQA score with DCAT-AP compliance from healthcat's own validator, the advice, the Regulation
//! 2026/2098 elements. The caller gives the record with the shared resources it names and, when
//! a link checker ran, what the URLs answered.

use crate::advice::{Advice, advise};
use crate::minimum::{self, Element, Presence, Rule};
use crate::mqa::{Band, Checks, Score, UrlCheck, score};
use crate::vocab::{ACCESS_RIGHT, FILE_TYPE, Vocabularies};
use healthcat_profiles::{Options, Profile, ProfileError};
use oxrdf::{Graph, NamedOrBlankNodeRef};
use serde::Serialize;
use std::sync::Arc;

/// Computes [`Assessment`]s; built once (it holds the compiled DCAT-AP 3 profile).
pub struct Assessor {
    dcat_ap: Arc<Profile>,
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

impl Assessment {
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
    /// An assessor checking DCAT-AP compliance with `dcat_ap` and taking the file-type and
    /// access-right codes from its bundled code lists.
    pub fn new(dcat_ap: Arc<Profile>) -> Self {
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
        Ok(Self::new(Arc::new(Profile::builtin("dcat-ap-3")?)))
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
        let conforms = self
            .dcat_ap
            .validate(
                &triples,
                &Options {
                    level: None,
                    skip_document_shapes: true,
                },
            )
            .conforms;
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
