//! Validating and assessing records at import.
//!
//! Each record is validated on its own, as the national node and the EU catalogue will judge it:
//! the record's graph plus the shared resources and catalogues of the same document it refers to
//! (its publisher, HDAB, concepts). Each dataset's quality is assessed on the same triples
//! ([`healthcat_quality::Assessor`]) and kept with it. Records are independent, so they are
//! spread over all cores.

use healthcat_model::RecordKind;
use healthcat_profiles::{Options, Profile};
use healthcat_quality::Assessor;
use healthcat_quality::label::Conformance;
use healthcat_shacl::ValidationReport;
use healthcat_store::{DocGraph, Unit, UnitKind};
use oxrdf::{Graph, NamedOrBlankNode, TermRef, TripleRef};
use std::collections::HashMap;

/// One record's verdict.
pub struct Verdict {
    /// Violations (results that are not warnings or infos).
    pub violations: usize,
    /// Warnings.
    pub warnings: usize,
    /// A few violations in words, for the import report.
    pub first: Vec<String>,
}

impl Verdict {
    /// The summary stored in the record's bookkeeping (shown on the dataset page).
    pub fn summary(&self, profile: &str) -> String {
        serde_json::json!({
            "conforms": self.violations == 0 && self.warnings == 0,
            "profile": profile,
            "violations": self.violations,
            "warnings": self.warnings,
            "messages": self.first,
        })
        .to_string()
    }
}

/// The profile and the number of violations in a summary [`Verdict::summary`] wrote (kept in a
/// record's bookkeeping); `None` for anything else.
pub fn stored_verdict(summary: &str) -> Option<(String, usize)> {
    let v: serde_json::Value = serde_json::from_str(summary).ok()?;
    Some((
        v.get("profile")?.as_str()?.to_owned(),
        usize::try_from(v.get("violations")?.as_u64()?).ok()?,
    ))
}

/// What the checks of one record came to.
#[derive(Default)]
pub struct Checked {
    /// Its validation verdict, when a profile was given.
    pub verdict: Option<Verdict>,
    /// Its quality assessment as kept (JSON), for a dataset.
    pub quality: Option<String>,
}

pub use healthcat_model::RECORD_LINKS;

/// Validates (with `profile`, when given) and assesses (datasets, with `assessor`, when given)
/// every record of `units`, in place order; nothing for units that are not records. `skip[i]`
/// leaves unit `i` out (a record already stored with the same content). `context` adds shared
/// resources and catalogues described elsewhere (earlier parts of a streamed file). `stored` gives
/// the class (`rdf:type` triples) of stored records the records link to ([`RECORD_LINKS`]); the
/// records of the document give their own.
#[allow(clippy::too_many_arguments)]
pub fn check_records(
    doc: &DocGraph,
    units: &[Unit],
    context: &[Unit],
    skip: &[bool],
    stored: &[oxrdf::Triple],
    profile: Option<&Profile>,
    assessor: Option<&Assessor>,
    lang: &str,
) -> Vec<Checked> {
    // Each record at its own access level; "the document has a dataset" is a document check.
    let options = Options {
        level: None,
        skip_document_shapes: true,
    };
    // Non-record units by the node they describe, so a record can pull in what it refers to.
    let by_root: HashMap<NamedOrBlankNode, usize> = units
        .iter()
        .chain(context)
        .enumerate()
        .filter(|(_, u)| !u.is_record())
        .filter_map(|(i, u)| u.root.clone().map(|r| (r, i)))
        .collect();
    let unit_at = |i: usize| units.get(i).unwrap_or_else(|| &context[i - units.len()]);
    // The class of every record a record may link to: `rdf:type` as the other record says it.
    let mut classes: HashMap<oxrdf::NamedNode, oxrdf::Triple> = stored
        .iter()
        .filter_map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(n) => Some((n.clone(), t.clone())),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    for u in units.iter().filter(|u| u.is_record()) {
        if let (Some(NamedOrBlankNode::NamedNode(root)), UnitKind::Record(kind)) = (&u.root, u.kind)
        {
            let t = oxrdf::Triple::new(
                root.clone(),
                healthcat_model::vocab::rdf::TYPE,
                kind.class(),
            );
            classes.insert(root.clone(), t);
        }
    }
    let check = |(unit, skip): (&Unit, &bool)| -> Checked {
        if !unit.is_record() || *skip {
            return Checked::default();
        }
        let mut triples: Vec<TripleRef<'_>> = unit.triples(doc).collect();
        let mut context: Vec<oxrdf::NamedNodeRef<'_>> = Vec::new();
        for t in unit.triples(doc) {
            if let TermRef::NamedNode(o) = t.object
                && RECORD_LINKS.contains(&t.predicate)
                && unit.root.as_ref().is_none_or(|r| r.as_ref() != o.into())
                && let Some(class) = classes.get(&o.into_owned())
            {
                triples.push(class.as_ref());
                if let oxrdf::NamedOrBlankNodeRef::NamedNode(n) = class.subject.as_ref() {
                    context.push(n);
                }
            }
        }
        let mut included = Vec::new();
        for t in unit.triples(doc) {
            let node: Option<NamedOrBlankNode> = match t.object {
                TermRef::NamedNode(n) => Some(n.into_owned().into()),
                TermRef::BlankNode(b) => Some(b.into_owned().into()),
                TermRef::Literal(_) => None,
            };
            if let Some(i) = node.and_then(|n| by_root.get(&n).copied())
                && !included.contains(&i)
            {
                included.push(i);
                triples.extend(unit_at(i).triples(doc));
            }
        }
        let verdict = profile.map(|p| {
            verdict(
                p,
                &p.validate_in_context(&triples, &context, &options),
                lang,
            )
        });
        let quality = match (assessor, &unit.root) {
            (Some(a), Some(root)) if unit.kind == UnitKind::Record(RecordKind::Dataset) => {
                let graph: Graph = triples.iter().copied().collect();
                // The label's "standardised metadata" follows the catalogue's own profile.
                let validated = profile.zip(verdict.as_ref()).map(|(p, v)| Conformance {
                    profile: &p.name,
                    violations: v.violations,
                });
                Some(
                    a.assess_validated(&graph, root.as_ref(), None, validated)
                        .kept()
                        .to_json(),
                )
            }
            _ => None,
        };
        Checked { verdict, quality }
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = units.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = units
            .chunks(chunk)
            .zip(skip.chunks(chunk))
            .map(|(part, skip)| {
                scope.spawn(move || part.iter().zip(skip).map(check).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn verdict(profile: &Profile, report: &ValidationReport, lang: &str) -> Verdict {
    let violations: Vec<_> = report.violations().collect();
    let warnings = report.warnings();
    let first = violations
        .iter()
        .take(3)
        .map(|r| format!("{}: {}", r.focus_node, profile.explain(r, lang)))
        .collect();
    Verdict {
        violations: violations.len() + report.failures.len(),
        warnings,
        first,
    }
}
