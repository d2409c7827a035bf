//! The dataset form: values read from a record's graph or from a posted form, turned into the
//! template's fields, and back into triples.
//!
//! Field `i` of the profile's form is posted as `f{i}` (its values, in order) and `f{i}.lang`
//! (each value's language); a nested group's instance `k` as `f{i}.{k}.f{j}`, with `f{i}.{k}.node`
//! naming the resource it edits and `f{i}.n` how many there are. Only what the form shows is
//! replaced on save: the triples it read, nothing else — a property the profile does not know,
//! or a value the form cannot show (a blank node where an IRI is expected), stays as it was.

use healthcat_profiles::values::{Entry, ValueError};
pub(crate) use healthcat_profiles::values::{Group, Values, Written};
use healthcat_profiles::{Field, FieldKind};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Messages by field name (`f3`, `f11.0.f1`); `""` for the form as a whole.
pub(crate) type Messages = BTreeMap<String, Vec<String>>;

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

/// A sentence of the message catalogues: its key and its placeholders' values.
pub(crate) type Translate<'a> = dyn Fn(&str, &[(&str, &str)]) -> String + 'a;

/// What a value that cannot be written says, in `t`'s words.
pub(crate) fn problem(e: &ValueError, t: &Translate<'_>) -> String {
    match e {
        ValueError::NotIri { value } => t("edit_not_iri", &[("value", value)]),
        ValueError::NotYesNo { .. } => t("edit_yes_no", &[]),
        ValueError::NotDateOrTime { value } => t("edit_not_date_or_time", &[("value", value)]),
        ValueError::NotDate { value } => t("edit_not_date", &[("value", value)]),
        ValueError::NotTyped { value, datatype } => {
            t("edit_not_typed", &[("value", value), ("type", datatype)])
        }
        ValueError::NotLanguage { lang } => t("edit_not_language", &[("lang", lang)]),
    }
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
            let label = f.label(lang);
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
