//! A typed, read-only view of a record's triples.
//!
//! Pages and the search index need a handful of well-known properties in a convenient shape; they
//! should not each walk triples. The view is built from the record's graph and never written back:
//! the triples stay the source of truth (the store is lossless, the view is not).

use crate::RecordKind;
use crate::lang::LangMap;
use crate::vocab::{cv, dcat, dcatap, dct, foaf, healthdcatap, rdf, vcard};
use oxrdf::{Graph, NamedOrBlankNodeRef, TermRef};

/// The well-known properties of one dataset, data service or dataset series.
#[derive(Debug, Clone, Default)]
pub struct DatasetView {
    /// The record's IRI, or `None` for a blank-node record.
    pub iri: Option<String>,
    /// The record kind, from its `rdf:type` (`None` if the node carries none of the record classes).
    pub kind: Option<RecordKind>,
    /// `dct:title`
    pub title: LangMap,
    /// `dct:description`
    pub description: LangMap,
    /// `dcat:keyword`, every language together.
    pub keywords: LangMap,
    /// `dct:identifier` values.
    pub identifiers: Vec<String>,
    /// `dcat:theme` IRIs.
    pub themes: Vec<String>,
    /// `dct:accessRights` IRI (the access level).
    pub access_rights: Option<String>,
    /// `healthdcatap:healthCategory` IRIs.
    pub health_categories: Vec<String>,
    /// `healthdcatap:healthTheme` IRIs.
    pub health_themes: Vec<String>,
    /// `healthdcatap:hasCodingSystem` IRIs.
    pub coding_systems: Vec<String>,
    /// `dcatap:applicableLegislation` IRIs.
    pub legislation: Vec<String>,
    /// `dct:publisher`
    pub publisher: Option<AgentView>,
    /// `healthdcatap:hdab`
    pub hdab: Option<AgentView>,
    /// `dct:issued` lexical form.
    pub issued: Option<String>,
    /// `dct:modified` lexical form.
    pub modified: Option<String>,
    /// `dct:language` IRIs.
    pub languages: Vec<String>,
    /// `dct:spatial` IRIs.
    pub spatial: Vec<String>,
    /// `dct:temporal` start and end (`dcat:startDate`, `dcat:endDate`) lexical forms.
    pub temporal: Vec<(Option<String>, Option<String>)>,
    /// `healthdcatap:numberOfRecords`, when it is a non-negative integer.
    pub number_of_records: Option<u64>,
    /// `healthdcatap:numberOfUniqueIndividuals`, when it is a non-negative integer.
    pub number_of_unique_individuals: Option<u64>,
    /// `healthdcatap:minTypicalAge`
    pub min_typical_age: Option<u64>,
    /// `healthdcatap:maxTypicalAge`
    pub max_typical_age: Option<u64>,
    /// `healthdcatap:populationCoverage`
    pub population_coverage: LangMap,
    /// `dcat:contactPoint` e-mail addresses or URLs.
    pub contact_points: Vec<String>,
    /// `dcat:landingPage` IRIs.
    pub landing_pages: Vec<String>,
    /// `dcat:distribution`
    pub distributions: Vec<DistributionView>,
    /// `dcat:inSeries` IRIs: the series this record is an edition of.
    pub in_series: Vec<String>,
    /// `dcat:version`
    pub version: Option<String>,
    /// `dcat:prev` IRI, as the record declares it.
    pub prev: Option<String>,
    /// `dcat:next` IRI, as the record declares it.
    pub next: Option<String>,
}

/// The name and contact of an agent (publisher, HDAB…).
#[derive(Debug, Clone, Default)]
pub struct AgentView {
    /// The agent's IRI, `None` for a blank node.
    pub iri: Option<String>,
    /// `foaf:name`
    pub name: LangMap,
    /// `cv:contactPoint` e-mail, or its contact page.
    pub contact: Option<String>,
}

/// The well-known properties of a distribution.
#[derive(Debug, Clone, Default)]
pub struct DistributionView {
    /// The distribution's IRI, `None` for a blank node.
    pub iri: Option<String>,
    /// `dct:title`
    pub title: LangMap,
    /// `dcat:accessURL`
    pub access_urls: Vec<String>,
    /// `dcat:downloadURL`
    pub download_urls: Vec<String>,
    /// `dct:format` IRI
    pub format: Option<String>,
    /// `dct:license` IRI
    pub license: Option<String>,
}

impl DatasetView {
    /// Reads the view of `subject` from `graph` (usually the record's named graph).
    pub fn new(graph: &Graph, subject: NamedOrBlankNodeRef<'_>) -> Self {
        let r = Reader { graph, subject };
        let kind = RecordKind::ALL.into_iter().find(|k| {
            r.objects(rdf::TYPE)
                .any(|o| o == TermRef::NamedNode(k.class()))
        });
        Self {
            iri: iri_of(subject),
            kind,
            title: r.lang_map(dct::TITLE),
            description: r.lang_map(dct::DESCRIPTION),
            keywords: r.lang_map(dcat::KEYWORD),
            identifiers: r.literals(dct::IDENTIFIER),
            themes: r.iris(dcat::THEME),
            access_rights: r.iris(dct::ACCESS_RIGHTS).into_iter().next(),
            health_categories: r.iris(healthdcatap::HEALTH_CATEGORY),
            health_themes: r.iris(healthdcatap::HEALTH_THEME),
            coding_systems: r.iris(healthdcatap::HAS_CODING_SYSTEM),
            legislation: r.iris(dcatap::APPLICABLE_LEGISLATION),
            publisher: r.node(dct::PUBLISHER).map(|n| AgentView::new(graph, n)),
            hdab: r.node(healthdcatap::HDAB).map(|n| AgentView::new(graph, n)),
            issued: r.literals(dct::ISSUED).into_iter().next(),
            modified: r.literals(dct::MODIFIED).into_iter().next(),
            languages: r.iris(dct::LANGUAGE),
            spatial: r.iris(dct::SPATIAL),
            temporal: r
                .nodes(dct::TEMPORAL)
                .map(|n| {
                    let p = Reader { graph, subject: n };
                    (
                        p.literals(dcat::START_DATE).into_iter().next(),
                        p.literals(dcat::END_DATE).into_iter().next(),
                    )
                })
                .collect(),
            number_of_records: r.count(healthdcatap::NUMBER_OF_RECORDS),
            number_of_unique_individuals: r.count(healthdcatap::NUMBER_OF_UNIQUE_INDIVIDUALS),
            min_typical_age: r.count(healthdcatap::MIN_TYPICAL_AGE),
            max_typical_age: r.count(healthdcatap::MAX_TYPICAL_AGE),
            population_coverage: r.lang_map(healthdcatap::POPULATION_COVERAGE),
            contact_points: r
                .nodes(dcat::CONTACT_POINT)
                .filter_map(|n| {
                    let c = Reader { graph, subject: n };
                    c.iris(vcard::HAS_EMAIL)
                        .into_iter()
                        .chain(c.literals(vcard::HAS_EMAIL))
                        .chain(c.iris(vcard::HAS_URL))
                        .next()
                })
                .collect(),
            landing_pages: r.iris(dcat::LANDING_PAGE),
            distributions: r
                .nodes(dcat::DISTRIBUTION_PROP)
                .map(|n| DistributionView::new(graph, n))
                .collect(),
            in_series: r.iris(dcat::IN_SERIES),
            version: r.literals(dcat::VERSION).into_iter().next(),
            prev: r.iris(dcat::PREV).into_iter().next(),
            next: r.iris(dcat::NEXT).into_iter().next(),
        }
    }

    /// The series edition this view describes, for [`crate::series::order`].
    pub fn edition(&self) -> Option<crate::series::Edition> {
        Some(crate::series::Edition {
            iri: self.iri.clone()?,
            issued: self.issued.clone(),
            start: self.temporal.iter().find_map(|(s, _)| s.clone()),
            version: self.version.clone(),
            prev: self.prev.clone(),
            next: self.next.clone(),
        })
    }

    /// The access level's code (`PUBLIC`, `RESTRICTED`, `NON_PUBLIC`…), the last segment of
    /// `dct:accessRights`.
    pub fn access_level(&self) -> Option<&str> {
        self.access_rights
            .as_deref()
            .and_then(|iri| iri.rsplit('/').next())
    }
}

impl AgentView {
    /// Reads the agent `subject` from `graph`.
    pub fn new(graph: &Graph, subject: NamedOrBlankNodeRef<'_>) -> Self {
        let r = Reader { graph, subject };
        let contact = r.nodes(cv::CONTACT_POINT).find_map(|n| {
            let c = Reader { graph, subject: n };
            c.literals(cv::EMAIL)
                .into_iter()
                .chain(c.iris(cv::CONTACT_PAGE))
                .next()
        });
        Self {
            iri: iri_of(subject),
            name: r.lang_map(foaf::NAME),
            contact,
        }
    }
}

impl DistributionView {
    /// Reads the distribution `subject` from `graph`.
    pub fn new(graph: &Graph, subject: NamedOrBlankNodeRef<'_>) -> Self {
        let r = Reader { graph, subject };
        Self {
            iri: iri_of(subject),
            title: r.lang_map(dct::TITLE),
            access_urls: r.iris(dcat::ACCESS_URL),
            download_urls: r.iris(dcat::DOWNLOAD_URL),
            format: r.iris(dct::FORMAT).into_iter().next(),
            license: r.iris(dct::LICENSE).into_iter().next(),
        }
    }
}

fn iri_of(node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    match node {
        NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
        NamedOrBlankNodeRef::BlankNode(_) => None,
    }
}

/// Reads the values of one subject's properties.
struct Reader<'a, 'b> {
    graph: &'a Graph,
    subject: NamedOrBlankNodeRef<'b>,
}

impl<'a> Reader<'a, '_> {
    fn objects(&self, p: oxrdf::NamedNodeRef<'static>) -> impl Iterator<Item = TermRef<'a>> {
        self.graph.objects_for_subject_predicate(self.subject, p)
    }

    fn lang_map(&self, p: oxrdf::NamedNodeRef<'static>) -> LangMap {
        let mut map = LangMap::new();
        for o in self.objects(p) {
            if let TermRef::Literal(l) = o {
                map.push(l.language().unwrap_or_default(), l.value());
            }
        }
        map
    }

    fn literals(&self, p: oxrdf::NamedNodeRef<'static>) -> Vec<String> {
        self.objects(p)
            .filter_map(|o| match o {
                TermRef::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect()
    }

    fn iris(&self, p: oxrdf::NamedNodeRef<'static>) -> Vec<String> {
        self.objects(p)
            .filter_map(|o| match o {
                TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }

    fn nodes(
        &self,
        p: oxrdf::NamedNodeRef<'static>,
    ) -> impl Iterator<Item = NamedOrBlankNodeRef<'a>> {
        self.objects(p).filter_map(|o| match o {
            TermRef::NamedNode(n) => Some(n.into()),
            TermRef::BlankNode(b) => Some(b.into()),
            _ => None,
        })
    }

    fn node(&self, p: oxrdf::NamedNodeRef<'static>) -> Option<NamedOrBlankNodeRef<'a>> {
        self.nodes(p).next()
    }

    fn count(&self, p: oxrdf::NamedNodeRef<'static>) -> Option<u64> {
        self.objects(p).find_map(|o| match o {
            TermRef::Literal(l) => l.value().trim().parse().ok(),
            _ => None,
        })
    }
}
