//! The dataset form: values read from a record's graph or from a posted form, turned into the
//! template's fields, and back into triples.
//!
//! Field `i` of the profile's form is posted as `f{i}` (its values, in order) and `f{i}.lang`
//! (each value's language); a nested group's instance `k` as `f{i}.{k}.f{j}`, with `f{i}.{k}.node`
//! naming the resource it edits and `f{i}.n` how many there are. Only what the form shows is
//! replaced on save: the triples it read, nothing else — a property the profile does not know,
//! or a value the form cannot show (a blank node where an IRI is expected), stays as it was.

use healthcat_profiles::{Field, FieldKind};
use oxrdf::{
    BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    Triple,
};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// One value as typed: the text, and its language (`""`: none).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Entry {
    pub(crate) value: String,
    pub(crate) lang: String,
}

/// One instance of a nested group.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    /// `<iri>` or `_:id` of the resource it edits; empty for a new one.
    pub(crate) node: String,
    pub(crate) fields: Vec<Values>,
}

/// The values of one field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    pub(crate) entries: Vec<Entry>,
    pub(crate) groups: Vec<Group>,
}

/// Messages by field name (`f3`, `f11.0.f1`); `""` for the form as a whole.
pub(crate) type Messages = BTreeMap<String, Vec<String>>;

fn node_text(n: NamedOrBlankNodeRef<'_>) -> String {
    n.to_string()
}

fn node_of(text: &str) -> Option<NamedOrBlankNode> {
    if let Some(id) = text.strip_prefix("_:") {
        return BlankNode::new(id).ok().map(Into::into);
    }
    let iri = text.strip_prefix('<')?.strip_suffix('>')?;
    NamedNode::new(iri).ok().map(Into::into)
}

/// The values `graph` gives `subject` for `fields`, and the triples they came from (the ones a
/// save replaces).
pub(crate) fn read(
    graph: &Graph,
    subject: NamedOrBlankNodeRef<'_>,
    fields: &[Field],
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
                            node: node_text(node),
                            fields: read(graph, node, fields, owned),
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

fn all<'a>(form: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    form.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The values of a posted form; `add` names a group to give one more (empty) instance and
/// `remove` an instance to drop (`f11.0`).
pub(crate) fn posted(
    form: &[(String, String)],
    fields: &[Field],
    prefix: &str,
    add: Option<&str>,
    remove: Option<&str>,
) -> Vec<Values> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = format!("{prefix}f{i}");
            let mut v = Values::default();
            if let FieldKind::Group { fields, .. } = &f.kind {
                let n: usize = all(form, &format!("{name}.n"))
                    .first()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0)
                    // A bound against a forged count, far above any real record: every instance
                    // the form showed must come back, or its triples would be dropped on save.
                    .min(10_000);
                for k in 0..n {
                    let inst = format!("{name}.{k}");
                    if remove == Some(inst.as_str()) {
                        continue;
                    }
                    // An address typed for the resource wins over the blank node it was.
                    let iri = all(form, &format!("{inst}.iri"))
                        .first()
                        .map_or("", |s| s.trim());
                    let node = if iri.is_empty() {
                        all(form, &format!("{inst}.node"))
                            .first()
                            .copied()
                            .unwrap_or("")
                            .to_owned()
                    } else {
                        format!("<{iri}>")
                    };
                    v.groups.push(Group {
                        node,
                        fields: posted(form, fields, &format!("{inst}."), None, None),
                    });
                }
                if add == Some(name.as_str()) {
                    v.groups.push(Group {
                        node: String::new(),
                        fields: posted(&[], fields, "", None, None),
                    });
                }
            } else {
                let values = all(form, &name);
                let langs = all(form, &format!("{name}.lang"));
                for (j, value) in values.iter().enumerate() {
                    let value = value.trim();
                    if !value.is_empty() {
                        v.entries.push(Entry {
                            value: value.to_owned(),
                            lang: langs.get(j).copied().unwrap_or("").to_owned(),
                        });
                    }
                }
            }
            v
        })
        .collect()
}

/// Gives each required group with no instance one empty instance to fill in.
pub(crate) fn required_groups(fields: &[Field], values: &mut [Values]) {
    for (f, v) in fields.iter().zip(values.iter_mut()) {
        if let FieldKind::Group { fields, .. } = &f.kind
            && f.min > 0
            && v.groups.is_empty()
        {
            v.groups.push(Group {
                node: String::new(),
                fields: posted(&[], fields, "", None, None),
            });
        }
    }
}

/// Whether a group instance holds anything typed.
fn is_blank(values: &[Values]) -> bool {
    values
        .iter()
        .all(|v| v.entries.is_empty() && v.groups.iter().all(|g| is_blank(&g.fields)))
}

/// What writing a form gives.
#[derive(Default)]
pub(crate) struct Written {
    /// The triples.
    pub(crate) triples: Vec<Triple>,
    /// Each node the form wrote, with its fields' name prefix (`""`, `f11.0.`): where a
    /// validation result about it is shown.
    pub(crate) nodes: Vec<(NamedOrBlankNode, String)>,
    /// What could not be read, by field name.
    pub(crate) messages: Messages,
}

/// A sentence of the message catalogues: its key and its placeholders' values.
pub(crate) type Translate<'a> = dyn Fn(&str, &[(&str, &str)]) -> String + 'a;

/// The triples of `values` about `subject`; what cannot be read (not an IRI, not a number…) goes
/// to the messages under the field's name, in the words `t` gives (a message key and its
/// placeholders).
pub(crate) fn write(
    subject: &NamedOrBlankNode,
    fields: &[Field],
    values: &[Values],
    prefix: &str,
    t: &Translate<'_>,
    w: &mut Written,
) {
    for (i, (f, v)) in fields.iter().zip(values).enumerate() {
        let name = format!("{prefix}f{i}");
        let Ok(p) = NamedNode::new(&f.path) else {
            continue;
        };
        let mut say = |m: String| w.messages.entry(name.clone()).or_default().push(m);
        for e in &v.entries {
            let object: Result<Term, String> = match &f.kind {
                FieldKind::Iri | FieldKind::Code(_) => match NamedNode::new(&e.value) {
                    Ok(n) if e.value.contains(':') => Ok(n.into()),
                    _ => Err(t("edit_not_iri", &[("value", &e.value)])),
                },
                FieldKind::Boolean => match e.value.as_str() {
                    "true" | "false" => Ok(Literal::new_typed_literal(
                        &e.value,
                        NamedNode::new_unchecked(format!("{XSD}boolean")),
                    )
                    .into()),
                    _ => Err(t("edit_yes_no", &[])),
                },
                FieldKind::Datatypes(list) => match lexical_type(&e.value, list) {
                    Some(d) => Ok(Literal::new_typed_literal(
                        &e.value,
                        NamedNode::new_unchecked(d),
                    )
                    .into()),
                    None => Err(t("edit_not_date_or_time", &[("value", &e.value)])),
                },
                FieldKind::Typed(d) => typed(&e.value, d, t).map(|()| {
                    Literal::new_typed_literal(&e.value, NamedNode::new_unchecked(d)).into()
                }),
                FieldKind::Text if e.lang.is_empty() => {
                    Ok(Literal::new_simple_literal(&e.value).into())
                }
                FieldKind::Text => Literal::new_language_tagged_literal(&e.value, &e.lang)
                    .map(Into::into)
                    .map_err(|_| format!("{}: ?", e.lang)),
                FieldKind::Group { .. } => continue,
            };
            match object {
                Ok(o) => w.triples.push(Triple::new(subject.clone(), p.clone(), o)),
                Err(m) => say(m),
            }
        }
        if let FieldKind::Group { class, fields } = &f.kind {
            for (k, g) in v.groups.iter().enumerate() {
                let inst = format!("{name}.{k}");
                let node = match node_of(&g.node) {
                    Some(n) => n,
                    None if g.node.starts_with('<') => {
                        let typed = g.node.trim_start_matches('<').trim_end_matches('>');
                        w.messages
                            .entry(format!("{inst}.iri"))
                            .or_default()
                            .push(t("edit_not_iri", &[("value", typed)]));
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
                write(&node, fields, &g.fields, &format!("{inst}."), t, w);
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

/// Checks a typed value's lexical form; what is wrong, in `t`'s words.
fn typed(value: &str, datatype: &str, t: &Translate<'_>) -> Result<(), String> {
    let local = datatype.strip_prefix(XSD).unwrap_or("");
    let ok = lexical_ok(value, datatype);
    if ok {
        return Ok(());
    }
    Err(if local == "date" {
        t("edit_not_date", &[("value", value)])
    } else {
        t("edit_not_typed", &[("value", value), ("type", local)])
    })
}

/// The template's view of the fields: labels, help, required marks, inputs with their values,
/// selects with the code lists' labels in `lang`, messages next to each field.
pub(crate) fn context(
    fields: &[Field],
    values: &[Values],
    prefix: &str,
    lang: &str,
    messages: &Messages,
    codes: &mut dyn FnMut(&str) -> Vec<(String, String)>,
) -> Vec<Value> {
    fields
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (f, v))| {
            let name = format!("{prefix}f{i}");
            let label = f
                .name
                .get(lang)
                .or_else(|| f.name.get("en"))
                .cloned()
                .or_else(|| healthcat_model::labels::label(&f.path, lang).map(str::to_owned))
                .unwrap_or_else(|| healthcat_model::labels::compact(&f.path));
            let help = f.help.get(lang).or_else(|| f.help.get("en")).cloned();
            let kind = match &f.kind {
                FieldKind::Text => "text",
                FieldKind::Typed(d) if d.ends_with("#date") => "date",
                FieldKind::Typed(d) if d.ends_with("Integer") || d.ends_with("#integer") => "number",
                FieldKind::Typed(_) => "text",
                FieldKind::Boolean => "boolean",
                FieldKind::Datatypes(_) => "text-typed",
                FieldKind::Iri => "url",
                FieldKind::Code(_) => "select",
                FieldKind::Group { .. } => "group",
            };
            let options: Vec<Value> = match &f.kind {
                FieldKind::Code(schemes) => schemes
                    .iter()
                    .flat_map(|s| codes(s))
                    .map(|(iri, label)| json!({ "value": iri, "label": label }))
                    .collect(),
                _ => Vec::new(),
            };
            // Existing values, then one empty input when another value is allowed (no script
            // needed to add one: each save shows a new empty input).
            let known = |value: &str| options.iter().any(|o| o["value"] == value);
            let mut entries: Vec<Value> = v
                .entries
                .iter()
                .map(|e| json!({ "value": e.value, "lang": e.lang, "known": known(&e.value) }))
                .collect();
            if entries.is_empty() || f.repeatable() && kind != "group" {
                let default_lang = if kind == "text" { lang } else { "" };
                entries.push(json!({ "value": "", "lang": default_lang, "known": true }));
            }
            let groups: Vec<Value> = match &f.kind {
                FieldKind::Group { fields, .. } => v
                    .groups
                    .iter()
                    .enumerate()
                    .map(|(k, g)| {
                        let inst = format!("{name}.{k}");
                        let iri = g.node.strip_prefix('<').and_then(|n| n.strip_suffix('>'));
                        json!({
                            "name": inst,
                            "node": if iri.is_some() { "" } else { g.node.as_str() },
                            "iri": iri.unwrap_or(""),
                            "iri_messages": messages.get(&format!("{inst}.iri")).cloned().unwrap_or_default(),
                            "fields": context(fields, &g.fields, &format!("{inst}."), lang, messages, codes),
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            };
            json!({
                "name": name,
                "id": name.replace('.', "-"),
                "path": healthcat_model::labels::compact(&f.path),
                "label": label,
                "help": help,
                "required": f.min > 0,
                "recommended": f.recommended,
                "repeatable": f.repeatable(),
                "kind": kind,
                "options": options,
                "entries": entries,
                "groups": groups,
                "count": v.groups.len(),
                "messages": messages.get(&name).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

/// The field name a validation result is about: the form's node it was found on, and the field
/// of its path there (`""` when no field shows it).
pub(crate) fn field_of(
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
