//! A form's values: what a record's graph gives each [`Field`] of a form, and the triples a set
//! of values writes back. The editor's form and the spreadsheet share these rules, so a value
//! typed in either is read, checked and written the same way.
//!
//! Only what a form shows is replaced on save: [`read`] collects the triples it took, and a
//! writer keeps every other triple as it was — a property the profile does not know, or a value
//! the form cannot show (a blank node where an IRI is expected, a typed literal in a text field),
//! stays untouched.

use crate::{Field, FieldKind};
use oxrdf::{
    BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    Triple,
};
use std::collections::HashSet;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// One value as typed: the text, and its language (`""`: none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The text (an IRI for an IRI or code field).
    pub value: String,
    /// Its language tag, `""` for none.
    pub lang: String,
}

/// One instance of a nested group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    /// `<iri>` or `_:id` of the resource it edits; empty for a new one.
    pub node: String,
    /// Its fields' values, in the order of the group's fields.
    pub fields: Vec<Values>,
}

/// The values of one field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    /// The values of a field that is not a group.
    pub entries: Vec<Entry>,
    /// The instances of a group.
    pub groups: Vec<Group>,
}

/// Why a typed value cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not an absolute IRI.
    #[error("{value} is not an address (an absolute IRI such as https://…)")]
    NotIri {
        /// What was typed.
        value: String,
    },
    /// Not `true` or `false`.
    #[error("{value} is neither true nor false")]
    NotYesNo {
        /// What was typed.
        value: String,
    },
    /// Not a date, date-time, year or year-month.
    #[error(
        "{value} is not a date (YYYY-MM-DD), a date and time, a year (YYYY) or a year and month (YYYY-MM)"
    )]
    NotDateOrTime {
        /// What was typed.
        value: String,
    },
    /// Not an `xsd:date`.
    #[error("{value} is not a date (YYYY-MM-DD)")]
    NotDate {
        /// What was typed.
        value: String,
    },
    /// Not of the field's datatype.
    #[error("{value} is not a value of type {datatype}")]
    NotTyped {
        /// What was typed.
        value: String,
        /// The datatype's local name (`nonNegativeInteger`).
        datatype: String,
    },
    /// Not a language tag.
    #[error("{lang} is not a language tag (fr, en…)")]
    NotLanguage {
        /// What was given.
        lang: String,
    },
}

/// The node a group instance names: `<iri>` or `_:id`.
pub fn node_of(text: &str) -> Option<NamedOrBlankNode> {
    if let Some(id) = text.strip_prefix("_:") {
        return BlankNode::new(id).ok().map(Into::into);
    }
    let iri = text.strip_prefix('<')?.strip_suffix('>')?;
    NamedNode::new(iri).ok().map(Into::into)
}

/// Which text values a reader takes: all, or only those in these languages (the others are not
/// shown, so not replaced).
#[derive(Debug, Clone, Copy)]
pub enum Languages<'a> {
    /// Every text value.
    All,
    /// Text values tagged with one of these languages.
    Only(&'a [&'a str]),
}

/// The values `graph` gives `subject` for `fields`, and the triples they came from (the ones a
/// save replaces) added to `owned`.
pub fn read(
    graph: &Graph,
    subject: NamedOrBlankNodeRef<'_>,
    fields: &[Field],
    langs: Languages<'_>,
    owned: &mut HashSet<Triple>,
) -> Vec<Values> {
    fields
        .iter()
        .map(|f| {
            let mut v = Values::default();
            let Ok(p) = NamedNode::new(&f.path) else {
                return v;
            };
            for o in graph.objects_for_subject_predicate(subject, &p) {
                let taken = match (&f.kind, o) {
                    (
                        FieldKind::Group { fields, class },
                        TermRef::NamedNode(_) | TermRef::BlankNode(_),
                    ) => {
                        let node: NamedOrBlankNodeRef<'_> = match o {
                            TermRef::NamedNode(n) => n.into(),
                            TermRef::BlankNode(b) => b.into(),
                            TermRef::Literal(_) => continue,
                        };
                        if let Some(c) = class.as_deref().and_then(|c| NamedNode::new(c).ok()) {
                            let t = Triple::new(
                                node.into_owned(),
                                NamedNode::new_unchecked(RDF_TYPE),
                                c,
                            );
                            if graph.contains(&t) {
                                owned.insert(t);
                            }
                        }
                        v.groups.push(Group {
                            node: node.to_string(),
                            fields: read(graph, node, fields, langs, owned),
                        });
                        true
                    }
                    (FieldKind::Iri | FieldKind::Code(_), TermRef::NamedNode(n)) => {
                        v.entries.push(Entry {
                            value: n.as_str().to_owned(),
                            lang: String::new(),
                        });
                        true
                    }
                    (FieldKind::Text, TermRef::Literal(l))
                        if matches!(langs, Languages::Only(list)
                            if !list.contains(&l.language().unwrap_or(""))) =>
                    {
                        false
                    }
                    // Only a literal the field writes back the same way: a typed value in a text
                    // field (or another datatype) is left as it is, not rewritten as a string.
                    (
                        FieldKind::Text
                        | FieldKind::Typed(_)
                        | FieldKind::Boolean
                        | FieldKind::Datatypes(_),
                        TermRef::Literal(l),
                    ) if literal_fits(&f.kind, l.datatype().as_str(), l.language().is_some()) => {
                        v.entries.push(Entry {
                            value: l.value().to_owned(),
                            lang: l.language().unwrap_or("").to_owned(),
                        });
                        true
                    }
                    _ => false,
                };
                if taken {
                    owned.insert(Triple::new(subject.into_owned(), p.clone(), o.into_owned()));
                }
            }
            v
        })
        .collect()
}

/// Whether a literal of `datatype` is what the field `kind` writes.
fn literal_fits(kind: &FieldKind, datatype: &str, tagged: bool) -> bool {
    match kind {
        FieldKind::Text => tagged || datatype == format!("{XSD}string"),
        FieldKind::Typed(d) => datatype == d,
        FieldKind::Boolean => datatype == format!("{XSD}boolean"),
        FieldKind::Datatypes(list) => list.iter().any(|d| d == datatype),
        _ => false,
    }
}

/// Whether a group instance holds anything typed.
pub fn is_blank(values: &[Values]) -> bool {
    values
        .iter()
        .all(|v| v.entries.is_empty() && v.groups.iter().all(|g| is_blank(&g.fields)))
}

/// What writing values gives.
#[derive(Default)]
pub struct Written {
    /// The triples.
    pub triples: Vec<Triple>,
    /// Each node written, with its fields' name prefix (`""`, `f11.0.`): where a validation
    /// result about it belongs.
    pub nodes: Vec<(NamedOrBlankNode, String)>,
    /// What could not be written, by field name (`f3`, `f11.0.f1`, `f11.0.iri` for a group
    /// instance's address).
    pub problems: Vec<(String, ValueError)>,
}

/// `graph` with `values` of `fields` in place of what it gives `subject` for them (in `langs`):
/// what the fields do not show is kept as it was, and `subject` is given the form's `class`.
/// What could not be written is in the result's `problems`.
pub fn apply(
    graph: &Graph,
    subject: &NamedNode,
    class: &str,
    fields: &[Field],
    values: &[Values],
    langs: Languages<'_>,
) -> Written {
    let mut owned = HashSet::new();
    read(graph, subject.as_ref().into(), fields, langs, &mut owned);
    let node: NamedOrBlankNode = subject.clone().into();
    let mut w = Written {
        triples: graph
            .iter()
            .map(|t| t.into_owned())
            .filter(|t| !owned.contains(t))
            .collect(),
        nodes: vec![(node.clone(), String::new())],
        problems: Vec::new(),
    };
    write(&node, fields, values, "", &mut w);
    w.triples.push(Triple::new(
        subject.clone(),
        NamedNode::new_unchecked(RDF_TYPE),
        NamedNode::new_unchecked(class),
    ));
    w
}

/// The term a value of field kind `kind` is (`None` for a group, which has no value of its own).
pub fn term(kind: &FieldKind, e: &Entry) -> Option<Result<Term, ValueError>> {
    Some(match kind {
        FieldKind::Iri | FieldKind::Code(_) => match NamedNode::new(&e.value) {
            Ok(n) if e.value.contains(':') => Ok(n.into()),
            _ => Err(ValueError::NotIri {
                value: e.value.clone(),
            }),
        },
        FieldKind::Boolean => match e.value.as_str() {
            "true" | "false" => Ok(Literal::new_typed_literal(
                &e.value,
                NamedNode::new_unchecked(format!("{XSD}boolean")),
            )
            .into()),
            _ => Err(ValueError::NotYesNo {
                value: e.value.clone(),
            }),
        },
        FieldKind::Datatypes(list) => match lexical_type(&e.value, list) {
            Some(d) => Ok(Literal::new_typed_literal(&e.value, NamedNode::new_unchecked(d)).into()),
            None => Err(ValueError::NotDateOrTime {
                value: e.value.clone(),
            }),
        },
        FieldKind::Typed(d) => typed(&e.value, d)
            .map(|()| Literal::new_typed_literal(&e.value, NamedNode::new_unchecked(d)).into()),
        FieldKind::Text if e.lang.is_empty() => Ok(Literal::new_simple_literal(&e.value).into()),
        FieldKind::Text => Literal::new_language_tagged_literal(&e.value, &e.lang)
            .map(Into::into)
            .map_err(|_| ValueError::NotLanguage {
                lang: e.lang.clone(),
            }),
        FieldKind::Group { .. } => return None,
    })
}

/// The triples of `values` about `subject`, added to `w`; what cannot be written goes to its
/// problems under the field's name (`{prefix}f{i}`).
pub fn write(
    subject: &NamedOrBlankNode,
    fields: &[Field],
    values: &[Values],
    prefix: &str,
    w: &mut Written,
) {
    for (i, (f, v)) in fields.iter().zip(values).enumerate() {
        let name = format!("{prefix}f{i}");
        let Ok(p) = NamedNode::new(&f.path) else {
            continue;
        };
        for e in &v.entries {
            match term(&f.kind, e) {
                Some(Ok(o)) => w.triples.push(Triple::new(subject.clone(), p.clone(), o)),
                Some(Err(m)) => w.problems.push((name.clone(), m)),
                None => {}
            }
        }
        if let FieldKind::Group { class, fields } = &f.kind {
            for (k, g) in v.groups.iter().enumerate() {
                let inst = format!("{name}.{k}");
                let node = match node_of(&g.node) {
                    Some(n) => n,
                    None if g.node.starts_with('<') => {
                        let typed = g.node.trim_start_matches('<').trim_end_matches('>');
                        w.problems.push((
                            format!("{inst}.iri"),
                            ValueError::NotIri {
                                value: typed.to_owned(),
                            },
                        ));
                        continue;
                    }
                    None => BlankNode::default().into(),
                };
                let named = matches!(node, NamedOrBlankNode::NamedNode(_));
                if is_blank(&g.fields) {
                    // Nothing typed: a reference to a resource described elsewhere (a
                    // publisher the catalogue knows), a resource of the record whose values
                    // the form does not show (kept as they are), or nothing at all.
                    if named || !g.node.is_empty() {
                        w.nodes.push((node.clone(), format!("{inst}.")));
                        w.triples
                            .push(Triple::new(subject.clone(), p.clone(), node));
                    }
                    continue;
                }
                w.nodes.push((node.clone(), format!("{inst}.")));
                w.triples
                    .push(Triple::new(subject.clone(), p.clone(), node.clone()));
                if let Some(c) = class.as_deref().and_then(|c| NamedNode::new(c).ok()) {
                    w.triples.push(Triple::new(
                        node.clone(),
                        NamedNode::new_unchecked(RDF_TYPE),
                        c,
                    ));
                }
                write(&node, fields, &g.fields, &format!("{inst}."), w);
            }
        }
    }
}

/// The first of `allowed` datatypes whose lexical form `value` has.
fn lexical_type<'a>(value: &str, allowed: &'a [String]) -> Option<&'a str> {
    allowed
        .iter()
        .find(|d| lexical_ok(value, d) && shape_of(value, d))
        .map(String::as_str)
}

/// Whether `value` looks like `datatype` at all (a year is not a date, a date is not a year).
fn shape_of(value: &str, datatype: &str) -> bool {
    match datatype.strip_prefix(XSD).unwrap_or("") {
        "gYear" => value.len() == 4,
        "gYearMonth" => {
            value.len() == 7
                && value.as_bytes().get(4) == Some(&b'-')
                && value[..4].parse::<u16>().is_ok()
                && value[5..]
                    .parse::<u8>()
                    .is_ok_and(|m| (1..=12).contains(&m))
        }
        "date" => value.len() == 10,
        "dateTime" => value.contains('T'),
        _ => true,
    }
}

/// Whether a value has the lexical form of `datatype` (the common datatypes; others are left to
/// validation).
fn lexical_ok(value: &str, datatype: &str) -> bool {
    match datatype.strip_prefix(XSD).unwrap_or("") {
        "integer" | "int" | "long" => value.parse::<i64>().is_ok(),
        "nonNegativeInteger" => value.parse::<u64>().is_ok(),
        "positiveInteger" => value.parse::<u64>().is_ok_and(|n| n > 0),
        "decimal" | "double" | "float" => value.parse::<f64>().is_ok(),
        "date" => value.parse::<jiff::civil::Date>().is_ok(),
        "dateTime" => value.parse::<jiff::civil::DateTime>().is_ok(),
        "gYear" => value.len() == 4 && value.parse::<u16>().is_ok(),
        _ => true,
    }
}

/// Checks a typed value's lexical form.
fn typed(value: &str, datatype: &str) -> Result<(), ValueError> {
    if lexical_ok(value, datatype) {
        return Ok(());
    }
    let local = datatype.strip_prefix(XSD).unwrap_or(datatype);
    Err(if local == "date" {
        ValueError::NotDate {
            value: value.to_owned(),
        }
    } else {
        ValueError::NotTyped {
            value: value.to_owned(),
            datatype: local.to_owned(),
        }
    })
}

/// The field name a validation result is about: the form's node it was found on, and the field
/// of its path there (`""` when no field shows it).
pub fn field_of(
    fields: &[Field],
    nodes: &[(NamedOrBlankNode, String)],
    focus: &Term,
    path: Option<&str>,
) -> String {
    let Some((_, prefix)) = nodes.iter().find(|(n, _)| Term::from(n.clone()) == *focus) else {
        return String::new();
    };
    // The fields at that prefix: walk down the groups the prefix names.
    let mut level = fields;
    for part in prefix.split('.').filter(|p| p.starts_with('f')) {
        let Some(i) = part[1..].parse::<usize>().ok() else {
            return String::new();
        };
        match level.get(i).map(|f| &f.kind) {
            Some(FieldKind::Group { fields, .. }) => level = fields,
            _ => return String::new(),
        }
    }
    match path.and_then(|p| level.iter().position(|f| f.path == p)) {
        Some(i) => format!("{prefix}f{i}"),
        None => String::new(),
    }
}
