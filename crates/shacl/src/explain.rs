//! Messages people can act on: what is wrong, in which field (its label, not only its IRI), and
//! how to fix it, in French or English.

use crate::report::{ResultPath, ValidationResult};
use crate::shapes::{Constraint, NodeKind, Path, Shapes};
use healthcat_model::labels::{compact, describe};
use oxrdf::{Term, TermRef};

/// Explains a result in `lang` (`fr`, else English).
pub fn explain(shapes: &Shapes, r: &ValidationResult, lang: &str) -> String {
    let fr = lang.starts_with("fr");
    let field = field(shapes, r, lang);
    let value = r.value.as_ref().map(show).unwrap_or_default();
    let constraint = r
        .constraint
        .and_then(|i| shapes.shape(r.shape).constraints.get(i));
    let t = |f: String, e: String| if fr { f } else { e };
    let component = r.component.as_str().rsplit('#').next().unwrap_or_default();
    match (constraint, component) {
        // A missing recommended property (a warning) is not "required".
        (Some(Constraint::MinCount(_)), _) if r.is_warning() => t(
            format!("« {field} » est recommandé : renseignez-le si possible."),
            format!("“{field}” is recommended: give it if you can."),
        ),
        (Some(Constraint::MinCount(n)), _) => t(
            format!(
                "« {field} » est obligatoire : indiquez au moins {n} valeur{}.",
                plural(*n)
            ),
            format!(
                "“{field}” is required: give at least {n} value{}.",
                plural(*n)
            ),
        ),
        (Some(Constraint::MaxCount(n)), _) => t(
            format!(
                "« {field} » accepte au plus {n} valeur{} : retirez les valeurs en trop.",
                plural(*n)
            ),
            format!(
                "“{field}” takes at most {n} value{}: remove the extra ones.",
                plural(*n)
            ),
        ),
        (Some(Constraint::Datatype(dt)), _) => {
            let (name, example) = (compact(dt), example_of(dt));
            t(
                format!(
                    "La valeur {value} de « {field} » doit être de type {name} (par exemple {example})."
                ),
                format!("The value {value} of “{field}” must be a {name} (for example {example})."),
            )
        }
        (Some(Constraint::Class(k)), _) => {
            let class = shapes.constants()[*k].to_string();
            let class_iri = class.trim_matches(|c| c == '<' || c == '>');
            let what = describe(class_iri, lang);
            t(
                format!(
                    "La valeur {value} de « {field} » doit être de type « {what} » : déclarez ce \
                     type (rdf:type {}) ou choisissez une valeur de la liste de référence.",
                    compact(class_iri)
                ),
                format!(
                    "The value {value} of “{field}” must be a {what}: declare its type (rdf:type {}) \
                     or pick a value from the code list.",
                    compact(class_iri)
                ),
            )
        }
        (Some(Constraint::NodeKind(kind)), _) => {
            let (f, e) = match kind {
                NodeKind::Iri => ("une IRI (un lien)", "an IRI (a link)"),
                NodeKind::Literal => (
                    "un texte ou un nombre (littéral)",
                    "a text or number (literal)",
                ),
                NodeKind::BlankNode => ("un nœud anonyme", "a blank node"),
                NodeKind::BlankNodeOrIri => {
                    ("une IRI ou un nœud anonyme", "an IRI or a blank node")
                }
                NodeKind::BlankNodeOrLiteral => (
                    "un littéral ou un nœud anonyme",
                    "a literal or a blank node",
                ),
                NodeKind::IriOrLiteral => ("une IRI ou un littéral", "an IRI or a literal"),
            };
            t(
                format!("La valeur {value} de « {field} » doit être {f}."),
                format!("The value {value} of “{field}” must be {e}."),
            )
        }
        (Some(Constraint::HasValue(k)), _) => {
            let expected = show(&shapes.constants()[*k]);
            t(
                format!("« {field} » doit contenir la valeur {expected}."),
                format!("“{field}” must include the value {expected}."),
            )
        }
        (Some(Constraint::In(list)), _) => {
            let allowed: Vec<String> = list
                .iter()
                .take(12)
                .map(|k| show(&shapes.constants()[*k]))
                .collect();
            let more = if list.len() > 12 { ", …" } else { "" };
            t(
                format!(
                    "La valeur {value} de « {field} » n'est pas autorisée ; valeurs possibles : {}{more}.",
                    allowed.join(", ")
                ),
                format!(
                    "The value {value} of “{field}” is not allowed; allowed values: {}{more}.",
                    allowed.join(", ")
                ),
            )
        }
        (Some(Constraint::Pattern(re)), _) => t(
            format!(
                "La valeur {value} de « {field} » n'a pas la forme attendue (motif {}).",
                re.as_str()
            ),
            format!(
                "The value {value} of “{field}” does not have the expected form (pattern {}).",
                re.as_str()
            ),
        ),
        (Some(Constraint::Node(_)), _) => t(
            format!(
                "La valeur {value} de « {field} » est incomplète ou invalide : voir le détail ci-dessous."
            ),
            format!(
                "The value {value} of “{field}” is incomplete or invalid: see the details below."
            ),
        ),
        (Some(Constraint::Or(_)), _) => t(
            format!("« {field} » ne remplit aucune des conditions possibles."),
            format!("“{field}” meets none of the allowed alternatives."),
        ),
        (Some(Constraint::Closed(_)), _) => t(
            format!("La propriété « {field} » n'est pas prévue ici : retirez-la."),
            format!("The property “{field}” is not expected here: remove it."),
        ),
        (Some(Constraint::MinLength(n)), _) => t(
            format!("La valeur {value} de « {field} » est trop courte (au moins {n} caractères)."),
            format!("The value {value} of “{field}” is too short (at least {n} characters)."),
        ),
        (Some(Constraint::MaxLength(n)), _) => t(
            format!("La valeur {value} de « {field} » est trop longue (au plus {n} caractères)."),
            format!("The value {value} of “{field}” is too long (at most {n} characters)."),
        ),
        (
            Some(
                Constraint::MinInclusive(b)
                | Constraint::MinExclusive(b)
                | Constraint::MaxInclusive(b)
                | Constraint::MaxExclusive(b),
            ),
            _,
        ) => {
            let bound = show(b);
            let (f, e) = match constraint {
                Some(Constraint::MinInclusive(_)) => ("au moins", "at least"),
                Some(Constraint::MinExclusive(_)) => ("plus que", "more than"),
                Some(Constraint::MaxInclusive(_)) => ("au plus", "at most"),
                _ => ("moins que", "less than"),
            };
            t(
                format!("La valeur {value} de « {field} » doit valoir {f} {bound}."),
                format!("The value {value} of “{field}” must be {e} {bound}."),
            )
        }
        _ => {
            let message = r.messages.iter().find_map(|m| match m {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
            let name = component.trim_end_matches("ConstraintComponent");
            match message {
                Some(m) => m,
                None => t(
                    format!(
                        "« {field} » ne respecte pas la contrainte {name}{}.",
                        if value.is_empty() {
                            String::new()
                        } else {
                            format!(" (valeur {value})")
                        }
                    ),
                    format!(
                        "“{field}” violates the {name} constraint{}.",
                        if value.is_empty() {
                            String::new()
                        } else {
                            format!(" (value {value})")
                        }
                    ),
                ),
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
    path.unwrap_or_else(|| {
        if lang.starts_with("fr") {
            "cette ressource".into()
        } else {
            "this resource".into()
        }
    })
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
