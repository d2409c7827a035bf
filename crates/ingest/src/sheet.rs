//! A spreadsheet's rows applied to the catalogue's own records, as drafts, and those records
//! written back into the spreadsheet template.
//!
//! Each row is treated as the editor treats a form: the record it names (when it exists, and is
//! one this person may change here) is the starting point, only the fields the workbook shows
//! are replaced, each value is checked as the form checks it, and the result is validated as it
//! would be published. Rows become drafts: nothing reaches the catalogue until a draft is
//! published. A workbook with a value that cannot be read, or a row this person may not write,
//! gives no draft at all (all or nothing), and says where each problem is.

use crate::drafts::{Draft, Drafts, new_id};
use crate::edit::{EditError, Edits, described, publishers};
use healthcat_auth::Principal;
use healthcat_model::LocalId;
use healthcat_profiles::Field;
use healthcat_profiles::values::{self, Languages, field_of};
use healthcat_sheet::{Issue, LANGS, Place, Problem, Read, Record, Row};
use healthcat_store::Format;
use oxrdf::{Graph, NamedNode, NamedOrBlankNode};
use std::collections::HashSet;

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// One draft made from a row.
#[derive(Debug, Clone)]
pub struct RowDraft {
    /// The draft's id.
    pub draft: String,
    /// The dataset's IRI.
    pub iri: String,
    /// Its row.
    pub at: Place,
    /// Whether it changes a stored record (else it describes a new one).
    pub changes_record: bool,
    /// What blocks its publication, placed (validated as the editor's "publish" does).
    pub to_fix: Vec<Problem>,
}

/// What applying a workbook did.
#[derive(Debug, Clone, Default)]
pub struct SheetOutcome {
    /// The drafts made, in row order (none when there are problems).
    pub drafts: Vec<RowDraft>,
    /// Why nothing was made: values that cannot be read, rows that may not be written.
    pub problems: Vec<Problem>,
}

fn place_of(row: &Row, field: &str) -> Place {
    row.places
        .get(field)
        .cloned()
        .unwrap_or_else(|| row.at.clone())
}

/// A row's graph: the stored record's (when there is one) with what the workbook shows
/// replaced. Problems go to `problems`.
struct Applied {
    graph: Graph,
    nodes: Vec<(NamedOrBlankNode, String)>,
    base: Option<String>,
}

impl Edits<'_> {
    fn apply_row(
        &self,
        who: &Principal,
        shown: &[Field],
        row: &Row,
        problems: &mut Vec<Problem>,
    ) -> Result<Option<Applied>, EditError> {
        let subject = NamedNode::new_unchecked(row.iri.clone());
        let (base_graph, base) = match self.store.record_by_key(&row.iri)? {
            Some(meta) => {
                let id = meta
                    .local_id
                    .as_ref()
                    .map(LocalId::as_str)
                    .unwrap_or_default();
                match self.editable(who, id, crate::edit::Precondition::None) {
                    Ok(r) => (r.graph, Some(r.meta.hash)),
                    Err(e) if e.is_refusal() => {
                        problems.push(Problem {
                            at: row.at.clone(),
                            issue: Issue::Refused {
                                reason: e.to_string(),
                            },
                        });
                        return Ok(None);
                    }
                    Err(e) => return Err(e),
                }
            }
            None => (Graph::new(), None),
        };
        let w = values::apply(
            &base_graph,
            &subject,
            DATASET,
            shown,
            &row.values,
            Languages::Only(&LANGS),
        );
        let before = problems.len();
        for (field, e) in &w.problems {
            problems.push(Problem {
                at: place_of(row, field),
                issue: Issue::Value(e.clone()),
            });
        }
        let graph: Graph = w.triples.into_iter().collect();
        let theirs = publishers(graph.iter(), subject.as_str());
        if !who.may_edit(theirs.iter().map(String::as_str)) {
            let field = shown
                .iter()
                .position(|f| f.path == "http://purl.org/dc/terms/publisher")
                .map_or(String::new(), |i| format!("f{i}"));
            problems.push(Problem {
                at: place_of(row, &field),
                issue: Issue::NotTheirs {
                    who: who.name.clone(),
                    publishers: who.publishers.join(", "),
                },
            });
        }
        Ok((problems.len() == before).then_some(Applied {
            graph,
            nodes: w.nodes,
            base,
        }))
    }

    /// Applies a read workbook as `who`: one draft per row, or none and the problems. The
    /// validation results are in `lang`.
    pub fn sheet_to_drafts(
        &self,
        who: &Principal,
        drafts: &Drafts,
        read: &Read,
        lang: &str,
    ) -> Result<SheetOutcome, EditError> {
        let mut problems = read.problems.clone();
        let mut made: Vec<(Draft, RowDraft)> = Vec::new();
        for (n, row) in read.rows.iter().enumerate() {
            let Some(applied) = self.apply_row(who, &read.shown, row, &mut problems)? else {
                continue;
            };
            let (_, findings) = self.check_for_publishing(applied.graph.clone(), lang)?;
            let to_fix = findings
                .into_iter()
                .map(|f| {
                    let field = field_of(&read.shown, &applied.nodes, &f.focus, f.path.as_deref());
                    let text = match (&f.path, field.is_empty()) {
                        (Some(p), true) => {
                            format!("{} ({})", f.text, healthcat_model::labels::compact(p))
                        }
                        _ => f.text,
                    };
                    Problem {
                        at: place_of(row, &field),
                        issue: Issue::ToFix { text },
                    }
                })
                .collect();
            let text = healthcat_store::write_graph(&applied.graph, Vec::new(), Format::NTriples)?;
            let (doc, keys) = described(Format::NTriples, &text, self.limits)?;
            let id = format!("{}-{n}", new_id());
            let mut draft = match Draft::of(who, (&doc, keys), id, None) {
                Ok(d) => d,
                Err(e) if e.is_refusal() => {
                    problems.push(Problem {
                        at: row.at.clone(),
                        issue: Issue::Refused {
                            reason: e.to_string(),
                        },
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            draft.base = applied.base.clone();
            let report = RowDraft {
                draft: draft.id.clone(),
                iri: row.iri.clone(),
                at: row.at.clone(),
                changes_record: applied.base.is_some(),
                to_fix,
            };
            made.push((draft, report));
        }
        if !problems.is_empty() {
            return Ok(SheetOutcome {
                drafts: Vec::new(),
                problems,
            });
        }
        // All or nothing: a draft that cannot be written takes back those written before it.
        for (i, (draft, _)) in made.iter().enumerate() {
            if let Err(e) = drafts.save(draft) {
                for (d, _) in &made[..i] {
                    let _ = drafts.remove(&d.id);
                }
                return Err(e.into());
            }
        }
        Ok(SheetOutcome {
            drafts: made.into_iter().map(|(_, r)| r).collect(),
            problems: Vec::new(),
        })
    }

    /// The catalogue's own records `who` may change (all of them for `None`), as rows of the
    /// template for `form`, in the order of their addresses.
    pub fn sheet_records(
        &self,
        who: Option<&Principal>,
        form: &[Field],
    ) -> Result<Vec<Record>, EditError> {
        let mut out = Vec::new();
        for (id, _) in self.store.records_of_source("local")? {
            let Some(record) = self.store.get(&id)? else {
                continue;
            };
            let Ok(subject) = NamedNode::new(&record.meta.key) else {
                continue;
            };
            if !record.graph.contains(oxrdf::TripleRef::new(
                &subject,
                oxrdf::NamedNodeRef::new_unchecked(RDF_TYPE),
                oxrdf::NamedNodeRef::new_unchecked(DATASET),
            )) {
                continue;
            }
            if let Some(who) = who
                && !who.may_edit(
                    publishers(record.graph.iter(), subject.as_str())
                        .iter()
                        .map(String::as_str),
                )
            {
                continue;
            }
            let values = values::read(
                &record.graph,
                subject.as_ref().into(),
                form,
                Languages::Only(&LANGS),
                &mut HashSet::new(),
            );
            out.push(Record {
                iri: record.meta.key.clone(),
                values,
            });
        }
        out.sort_by(|a, b| a.iri.cmp(&b.iri));
        Ok(out)
    }
}
