//! Messages people can act on: what is wrong, in which field (its label, not only its IRI), and
//! how to fix it, in the reader's language (the sentences are in `messages/`).

use crate::messages::messages;
use crate::report::{ResultPath, ValidationResult};
use crate::shapes::{Constraint, NodeKind, Path, Shapes};
use healthcat_model::labels::{compact, describe};
use oxrdf::{Term, TermRef};

/// Explains a result in `lang` (see [`crate::messages`]; English when the language has no
/// catalogue).
pub fn explain(shapes: &Shapes, r: &ValidationResult, lang: &str) -> String {
    let m = messages(lang);
    let field = field(shapes, r, lang);
    let value = r.value.as_ref().map(show).unwrap_or_default();
    let constraint = r
        .constraint
        .and_then(|i| shapes.shape(r.shape).constraints.get(i));
    let say = |key: &str, more: &[(&str, &str)]| {
        let mut args = vec![("field", field.as_str()), ("value", value.as_str())];
        args.extend_from_slice(more);
        m.fill(key, &args)
    };
    let component = r.component.as_str().rsplit('#').next().unwrap_or_default();
    match constraint {
        // A missing recommended property (a warning) is not "required".
        Some(Constraint::MinCount(_)) if r.is_warning() => say("recommended", &[]),
        Some(Constraint::MinCount(n)) => {
            say("min_count", &[("n", &n.to_string()), ("s", plural(*n))])
        }
        Some(Constraint::MaxCount(n)) => {
            say("max_count", &[("n", &n.to_string()), ("s", plural(*n))])
        }
        Some(Constraint::Datatype(dt)) => say(
            "datatype",
            &[("name", &compact(dt)), ("example", example_of(dt))],
        ),
        Some(Constraint::Class(k)) => {
            let class = shapes.constants()[*k].to_string();
            let class_iri = class.trim_matches(|c| c == '<' || c == '>');
            say(
                "class",
                &[
                    ("what", &describe(class_iri, lang)),
                    ("class", &compact(class_iri)),
                ],
            )
        }
        Some(Constraint::NodeKind(kind)) => {
            let kind = m.fill(
                match kind {
                    NodeKind::Iri => "kind_iri",
                    NodeKind::Literal => "kind_literal",
                    NodeKind::BlankNode => "kind_blank",
                    NodeKind::BlankNodeOrIri => "kind_blank_or_iri",
                    NodeKind::BlankNodeOrLiteral => "kind_blank_or_literal",
                    NodeKind::IriOrLiteral => "kind_iri_or_literal",
                },
                &[],
            );
            say("node_kind", &[("kind", &kind)])
        }
        Some(Constraint::HasValue(k)) => {
            say("has_value", &[("expected", &show(&shapes.constants()[*k]))])
        }
        Some(Constraint::In(list)) => {
            let allowed: Vec<String> = list
                .iter()
                .take(12)
                .map(|k| show(&shapes.constants()[*k]))
                .collect();
            let more = if list.len() > 12 { ", …" } else { "" };
            say("in", &[("allowed", &allowed.join(", ")), ("more", more)])
        }
        Some(Constraint::Pattern(re)) => say("pattern", &[("pattern", re.as_str())]),
        Some(Constraint::Node(_)) => say("node", &[]),
        Some(Constraint::Or(_)) => say("or", &[]),
        Some(Constraint::Closed(_)) => say("closed", &[]),
        Some(Constraint::MinLength(n)) => say("min_length", &[("n", &n.to_string())]),
        Some(Constraint::MaxLength(n)) => say("max_length", &[("n", &n.to_string())]),
        Some(
            Constraint::MinInclusive(b)
            | Constraint::MinExclusive(b)
            | Constraint::MaxInclusive(b)
            | Constraint::MaxExclusive(b),
        ) => {
            let how = m.fill(
                match constraint {
                    Some(Constraint::MinInclusive(_)) => "bound_min_inclusive",
                    Some(Constraint::MinExclusive(_)) => "bound_min_exclusive",
                    Some(Constraint::MaxInclusive(_)) => "bound_max_inclusive",
                    _ => "bound_max_exclusive",
                },
                &[],
            );
            say("bound", &[("how", &how), ("bound", &show(b))])
        }
        _ => {
            let message = r.messages.iter().find_map(|m| match m {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
            let name = component.trim_end_matches("ConstraintComponent");
            match message {
                Some(message) => message,
                None => {
                    let detail = if value.is_empty() {
                        String::new()
                    } else {
                        m.fill("other_value", &[("value", &value)])
                    };
                    say("other", &[("name", name), ("detail", &detail)])
                }
            }
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n > 1 { "s" } else { "" }
}

/// The field a result is about: the label of its path's property, or the resource itself.
/// The field a result is about, for people: its label and compact IRI (« Titre (dct:title) »), or
/// "this resource" for node results.
pub fn field(shapes: &Shapes, r: &ValidationResult, lang: &str) -> String {
    let iri_of = |t: &Term| match t {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    };
    let path = match &r.result_path {
        Some(ResultPath::Shape(sid)) => shapes
            .shape(*sid)
            .path
            .as_ref()
            .map(|(p, _)| path_text(shapes, p, lang)),
        Some(ResultPath::Predicate(p)) => iri_of(p).map(|i| describe(&i, lang)),
        None => None,
    };
    path.unwrap_or_else(|| messages(lang).fill("this_resource", &[]))
}

fn path_text(shapes: &Shapes, p: &Path, lang: &str) -> String {
    match p {
        Path::Predicate(c) => match &shapes.constants()[*c] {
            Term::NamedNode(n) => describe(n.as_str(), lang),
            other => other.to_string(),
        },
        Path::Inverse(inner) => format!("^{}", path_text(shapes, inner, lang)),
        Path::Sequence(items) => items
            .iter()
            .map(|i| path_text(shapes, i, lang))
            .collect::<Vec<_>>()
            .join(" / "),
        Path::Alternative(items) => items
            .iter()
            .map(|i| path_text(shapes, i, lang))
            .collect::<Vec<_>>()
            .join(" | "),
        Path::ZeroOrMore(inner) => format!("{}*", path_text(shapes, inner, lang)),
        Path::OneOrMore(inner) => format!("{}+", path_text(shapes, inner, lang)),
        Path::ZeroOrOne(inner) => format!("{}?", path_text(shapes, inner, lang)),
    }
}

/// A term as a person reads it: a compact IRI, or a quoted literal.
fn show(t: &Term) -> String {
    match t.as_ref() {
        TermRef::NamedNode(n) => compact(n.as_str()),
        TermRef::Literal(l)
            if l.language().is_some() || l.datatype().as_str().ends_with("#string") =>
        {
            format!("\"{}\"", l.value())
        }
        TermRef::Literal(l) => format!("\"{}\"^^{}", l.value(), compact(l.datatype().as_str())),
        TermRef::BlankNode(_) => "[…]".into(),
    }
}

fn example_of(datatype: &str) -> &'static str {
    match datatype.rsplit('#').next().unwrap_or_default() {
        "date" => "\"2024-01-31\"^^xsd:date",
        "dateTime" => "\"2024-01-31T12:00:00Z\"^^xsd:dateTime",
        "gYear" => "\"2024\"^^xsd:gYear",
        "nonNegativeInteger" => "\"42\"^^xsd:nonNegativeInteger",
        "integer" => "\"42\"^^xsd:integer",
        "decimal" => "\"3.5\"^^xsd:decimal",
        "boolean" => "true",
        "duration" => "\"P1Y\"^^xsd:duration",
        "langString" => "\"texte\"@fr",
        _ => "\"…\"",
    }
}

/// A result flattened for JSON (the CLI's `--format json` and the web API): every field as text,
/// details as results of their own, and the explanation in the requested language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResultSummary {
    /// `sh:focusNode`
    pub focus: String,
    /// `sh:resultPath`, compact.
    pub path: Option<String>,
    /// `sh:value`
    pub value: Option<String>,
    /// `sh:sourceShape`
    pub shape: String,
    /// `sh:sourceConstraintComponent` IRI
    pub component: String,
    /// `sh:resultSeverity` IRI
    pub severity: String,
    /// `sh:resultMessage`s of the shapes
    pub messages: Vec<String>,
    /// What is wrong and how to fix it.
    pub explanation: String,
}

/// Every result of `report`, details flattened (depth first), as [`ResultSummary`]s.
pub fn summaries(
    shapes: &Shapes,
    report: &crate::ValidationReport,
    lang: &str,
) -> Vec<ResultSummary> {
    report
        .results
        .iter()
        .flat_map(|r| r.flatten())
        .map(|r| summary(shapes, r, lang))
        .collect()
}

/// One result (without its details) as a [`ResultSummary`].
pub fn summary(shapes: &Shapes, r: &ValidationResult, lang: &str) -> ResultSummary {
    ResultSummary {
        focus: r.focus_node.to_string(),
        path: match &r.result_path {
            Some(ResultPath::Shape(sid)) => shapes.path_text(*sid),
            Some(ResultPath::Predicate(p)) => Some(p.to_string()),
            None => None,
        },
        value: r.value.as_ref().map(ToString::to_string),
        shape: r.source_shape.to_string(),
        component: r.component.as_str().to_owned(),
        severity: r.severity.to_string(),
        messages: r.messages.iter().map(ToString::to_string).collect(),
        explanation: explain(shapes, r, lang),
    }
}
