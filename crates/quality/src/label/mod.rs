//! The EHDS Article 78 **data quality and utility label**, as QUANTUM specifies it: each metric
//! of the framework ([`LabelSpec`], data, not code) at one of its levels — **computed** from the
//! metadata where the framework's measurement approach names metadata ([`Rule`]), or **declared**
//! by the data holder in the record, with its evidence — and the label's score as QUANTUM's tool
//! computes it: Σ over metrics of (dimension weight ÷ all dimensions' weight) × metric weight ×
//! level ÷ highest level, out of 100, then one to five stars. A metric nobody declared counts 0,
//! as in QUANTUM; the label says how many of its points await a declaration.
//!
//! A declaration is a DQV measurement in the record:
//! `<dataset> dqv:hasQualityMeasurement [ dqv:isMeasurementOf <{namespace}{metric}> ;
//! dqv:value 2 ; rdfs:comment "evidence"@en ; rdfs:seeAlso <report> ]`.

mod spec;

pub use spec::{Category, Dimension, LabelError, LabelSpec, Maturity, Metric, Rule, Text};

use healthcat_model::vocab::{csvw, dct, dqv, healthdcatap, odrl, prov, rdfs};
use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use serde::Serialize;

/// How a metric got its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// healthcat computed it from the metadata.
    Computed,
    /// The data holder declared it in the record.
    Declared,
    /// Nobody declared it (it counts 0).
    NotDeclared,
}

/// One metric at its level.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    /// The metric's key.
    pub metric: String,
    /// Its level; `None` when not declared.
    pub level: Option<u8>,
    /// Its highest level.
    pub max: u8,
    /// How it got its level.
    pub by: By,
    /// Points earned (out of 100 for the whole label).
    pub points: f64,
    /// Points it is worth.
    pub worth: f64,
    /// What decided: the properties found (computed), the holder's words (declared).
    pub evidence: Option<String>,
    /// A link to the holder's evidence (declared).
    pub link: Option<String>,
    /// A declared value that is not one of the metric's levels (ignored).
    pub rejected: Option<String>,
}

/// A dataset's label.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// The score, out of 100 (two decimals).
    pub score: f64,
    /// Its stars (0 to 5).
    pub stars: u8,
    /// Points of metrics nobody declared (counted 0).
    pub undeclared: f64,
    /// Every metric, in the framework's order.
    pub metrics: Vec<Measured>,
    /// The data holder's maturity, as its publisher declares it (`None`: no publisher).
    pub maturity: Option<HolderMaturity>,
}

/// The maturity a data holder declares (QUANTUM's ten dimensions, levels 1 to 5), as DQV
/// measurements of `{namespace}maturity-{dimension}` on its `dct:publisher`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HolderMaturity {
    /// The publisher.
    pub publisher: String,
    /// Each dimension's level, in the framework's order (`None`: not declared).
    pub levels: Vec<Option<u8>>,
    /// The sum of the levels declared, out of 5 × the dimensions (QUANTUM's maturity score).
    pub score: u32,
    /// Out of.
    pub out_of: u32,
}

/// Whether the record conforms to the profile it was validated with.
#[derive(Debug, Clone, Copy)]
pub struct Conformance<'a> {
    /// The profile (`healthdcat-ap-r8`, `dcat-ap-3`).
    pub profile: &'a str,
    /// Its violations.
    pub violations: usize,
}

/// The label of `dataset` as described in `graph`; `conformance` is the record's validation.
pub fn label(
    spec: &LabelSpec,
    graph: &Graph,
    dataset: NamedOrBlankNodeRef<'_>,
    conformance: Conformance<'_>,
) -> Label {
    let declared = declarations(spec, graph, dataset);
    let metrics: Vec<Measured> = spec
        .metrics
        .iter()
        .map(|m| {
            let worth = spec.points(m);
            let max = m.max();
            let mut measured = Measured {
                metric: m.key.clone(),
                level: None,
                max,
                by: By::NotDeclared,
                points: 0.0,
                worth,
                evidence: None,
                link: None,
                rejected: None,
            };
            if let Some(rule) = m.computed {
                let (level, evidence) = compute(rule, graph, dataset, conformance);
                measured.level = Some(level.min(max));
                measured.by = By::Computed;
                measured.evidence = evidence;
            } else if let Some(d) = declared.iter().find(|d| d.metric == m.key) {
                match d.value.parse::<u8>() {
                    Ok(level) if level <= max => {
                        measured.level = Some(level);
                        measured.by = By::Declared;
                        measured.evidence = d.comment.clone();
                        measured.link = d.link.clone();
                    }
                    _ => measured.rejected = Some(d.value.clone()),
                }
            }
            if let Some(level) = measured.level {
                measured.points = worth * f64::from(level) / f64::from(max.max(1));
            }
            measured
        })
        .collect();
    let score = round2(metrics.iter().map(|m| m.points).sum());
    let undeclared = round2(
        metrics
            .iter()
            .filter(|m| m.by == By::NotDeclared)
            .map(|m| m.worth)
            .sum(),
    );
    Label {
        score,
        stars: spec.stars_of(score),
        undeclared,
        metrics,
        maturity: maturity(spec, graph, dataset),
    }
}

/// The maturity the dataset's publisher declares.
fn maturity(
    spec: &LabelSpec,
    graph: &Graph,
    dataset: NamedOrBlankNodeRef<'_>,
) -> Option<HolderMaturity> {
    let publisher = graph
        .objects_for_subject_predicate(dataset, dct::PUBLISHER)
        .find_map(as_subject)?;
    let declared = declarations(spec, graph, publisher);
    let levels: Vec<Option<u8>> = spec
        .maturity
        .iter()
        .map(|m| {
            declared
                .iter()
                .find(|d| d.metric == format!("maturity-{}", m.key))
                .and_then(|d| d.value.parse::<u8>().ok())
                .filter(|l| (1..=5).contains(l))
        })
        .collect();
    Some(HolderMaturity {
        publisher: match publisher {
            NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_owned(),
            NamedOrBlankNodeRef::BlankNode(b) => b.to_string(),
        },
        score: levels.iter().flatten().map(|&l| u32::from(l)).sum(),
        out_of: 5 * levels.len() as u32,
        levels,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

struct Declaration {
    metric: String,
    value: String,
    comment: Option<String>,
    link: Option<String>,
}

/// The measurements `subject` carries of the framework's IRIs (`{namespace}{key}`: a metric,
/// or `maturity-{dimension}`), the first per key.
fn declarations(
    spec: &LabelSpec,
    graph: &Graph,
    subject: NamedOrBlankNodeRef<'_>,
) -> Vec<Declaration> {
    let mut out: Vec<Declaration> = Vec::new();
    for m in graph.objects_for_subject_predicate(subject, dqv::HAS_QUALITY_MEASUREMENT) {
        let Some(node) = as_subject(m) else { continue };
        let Some(key) = graph
            .objects_for_subject_predicate(node, dqv::IS_MEASUREMENT_OF)
            .find_map(|t| match t {
                TermRef::NamedNode(n) => n.as_str().strip_prefix(spec.namespace.as_str()),
                _ => None,
            })
        else {
            continue;
        };
        if out.iter().any(|d| d.metric == key) {
            continue;
        }
        let value = graph
            .object_for_subject_predicate(node, dqv::VALUE)
            .map(|t| match t {
                TermRef::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            })
            .unwrap_or_default();
        let comment = graph
            .object_for_subject_predicate(node, rdfs::COMMENT)
            .and_then(|t| match t {
                TermRef::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
        let link = graph
            .object_for_subject_predicate(node, rdfs::SEE_ALSO)
            .and_then(|t| match t {
                TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            });
        out.push(Declaration {
            metric: key.to_owned(),
            value,
            comment,
            link,
        });
    }
    out
}

fn as_subject(t: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match t {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        TermRef::Literal(_) => None,
    }
}

/// The properties of `node` among `props` that it has, as `prefix:name`s.
fn having(
    graph: &Graph,
    node: NamedOrBlankNodeRef<'_>,
    props: &[(NamedNodeRef<'_>, &str)],
) -> Vec<String> {
    props
        .iter()
        .filter(|(p, _)| graph.object_for_subject_predicate(node, *p).is_some())
        .map(|(_, name)| (*name).to_owned())
        .collect()
}

fn compute(
    rule: Rule,
    graph: &Graph,
    dataset: NamedOrBlankNodeRef<'_>,
    conformance: Conformance<'_>,
) -> (u8, Option<String>) {
    let join = |found: Vec<String>| (!found.is_empty()).then(|| found.join(", "));
    match rule {
        Rule::AccessPolicy => {
            let rights = having(graph, dataset, &[(dct::ACCESS_RIGHTS, "dct:accessRights")]);
            // Usage terms on the dataset or any of its distributions.
            let terms = [
                (odrl::HAS_POLICY, "odrl:hasPolicy"),
                (dct::LICENSE, "dct:license"),
                (dct::RIGHTS, "dct:rights"),
            ];
            let mut usage = having(graph, dataset, &terms);
            for d in graph.objects_for_subject_predicate(
                dataset,
                healthcat_model::vocab::dcat::DISTRIBUTION_PROP,
            ) {
                if let Some(d) = as_subject(d) {
                    for p in having(graph, d, &terms) {
                        if !usage.contains(&p) {
                            usage.push(p);
                        }
                    }
                }
            }
            let level = match (rights.is_empty(), usage.is_empty()) {
                (true, _) => 0,
                (false, true) => 1,
                (false, false) => 2,
            };
            let mut found = rights;
            found.extend(usage);
            (level, join(found))
        }
        Rule::SourceDocumentation => {
            let found = having(
                graph,
                dataset,
                &[
                    (dct::SOURCE, "dct:source"),
                    (dct::CREATOR, "dct:creator"),
                    (dct::CONTRIBUTOR, "dct:contributor"),
                ],
            );
            (u8::from(!found.is_empty()), join(found))
        }
        Rule::ProcessDocumentation => {
            let prov = having(
                graph,
                dataset,
                &[
                    (prov::WAS_GENERATED_BY, "prov:wasGeneratedBy"),
                    (prov::QUALIFIED_ATTRIBUTION, "prov:qualifiedAttribution"),
                    (prov::WAS_DERIVED_FROM, "prov:wasDerivedFrom"),
                    (prov::QUALIFIED_DERIVATION, "prov:qualifiedDerivation"),
                ],
            );
            let statement = having(graph, dataset, &[(dct::PROVENANCE, "dct:provenance")]);
            let level = if !prov.is_empty() {
                2
            } else {
                u8::from(!statement.is_empty())
            };
            let mut found = prov;
            found.extend(statement);
            (level, join(found))
        }
        Rule::StandardisedMetadata => {
            let level = if conformance.violations == 0 { 2 } else { 1 };
            (
                level,
                Some(format!(
                    "{}: {}",
                    conformance.profile, conformance.violations
                )),
            )
        }
        Rule::DataDictionary => dictionary(graph, dataset),
    }
}

/// `healthdcatap:hasVariables` → tables → columns: none, some, or every column named
/// (`csvw:name`), described (`csvw:title`, `dct:title` or `dct:description`) and typed
/// (`csvw:datatype`). The evidence counts the columns described in full.
fn dictionary(graph: &Graph, dataset: NamedOrBlankNodeRef<'_>) -> (u8, Option<String>) {
    let groups: Vec<_> = graph
        .objects_for_subject_predicate(dataset, healthdcatap::HAS_VARIABLES)
        .filter_map(as_subject)
        .collect();
    if groups.is_empty() {
        return (0, None);
    }
    let (mut columns, mut full) = (0usize, 0usize);
    for group in groups {
        // A table group's tables, or the node itself when it is a table.
        let mut tables: Vec<_> = graph
            .objects_for_subject_predicate(group, csvw::TABLE_PROP)
            .filter_map(as_subject)
            .collect();
        tables.push(group);
        for table in tables {
            let schemas = graph
                .objects_for_subject_predicate(table, csvw::TABLE_SCHEMA)
                .filter_map(as_subject);
            for holder in std::iter::once(table).chain(schemas) {
                for col in graph
                    .objects_for_subject_predicate(holder, csvw::COLUMN_PROP)
                    .filter_map(as_subject)
                {
                    columns += 1;
                    let has = |p| graph.object_for_subject_predicate(col, p).is_some();
                    if has(csvw::NAME)
                        && (has(csvw::TITLE) || has(dct::TITLE) || has(dct::DESCRIPTION))
                        && has(csvw::DATATYPE)
                    {
                        full += 1;
                    }
                }
            }
        }
    }
    let level = if columns > 0 && full == columns { 2 } else { 1 };
    (level, Some(format!("{full}/{columns}")))
}

#[cfg(test)]
mod tests;
