//! The Regulation (EU) 2026/2098 view: each of the 27 minimum metadata elements of its Annex B
//! present, absent, or not applicable (and why) for one dataset. The elements, their properties
//! and when they do not apply are data (`quality/minimum-elements.toml`, bundled), so a new
//! reading of the annex is an edit of that file.

use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use serde::{Deserialize, Serialize};

/// `quality/minimum-elements.toml`, bundled.
const ELEMENTS: &str = include_str!("../../../quality/minimum-elements.toml");

/// One element of the annex, as the data file describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    /// Its number in the annex (1–27).
    pub number: u32,
    /// Its key: its name in the message catalogues is `element.<key>`.
    pub key: String,
    /// The property of the dataset that carries it.
    pub property: String,
    /// The annex says "where applicable".
    #[serde(default)]
    pub conditional: bool,
    /// When it does not apply.
    #[serde(default)]
    pub unless: Vec<Unless>,
}

/// An element does not apply when the dataset's `property` has `value`.
#[derive(Debug, Clone, Deserialize)]
pub struct Unless {
    /// The property looked at.
    pub property: String,
    /// An IRI, or a literal's lexical form.
    pub value: String,
    /// Why, as a message key (`reason.<reason>`).
    pub reason: String,
}

#[derive(Deserialize)]
struct File {
    element: Vec<Rule>,
}

/// The bundled elements, in the annex's order.
pub fn rules() -> Vec<Rule> {
    // Bundled and checked by the tests below: a syntax error cannot ship.
    toml::from_str::<File>(ELEMENTS)
        .map(|f| f.element)
        .unwrap_or_default()
}

/// Whether an element is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// At least one value.
    Present,
    /// No value (for a conditional element: required only where it applies).
    Absent,
    /// It does not apply to this dataset (see the reason).
    NotApplicable,
}

/// One element, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Element {
    /// Its number in the annex.
    pub number: u32,
    /// Its key (`element.<key>` in the message catalogues).
    pub key: String,
    /// The property that carries it.
    pub property: String,
    /// The annex says "where applicable".
    pub conditional: bool,
    /// What it came to.
    pub presence: Presence,
    /// Why it does not apply, or (conditional and absent) that it is required only where it
    /// applies: a message key (`reason.<…>`).
    pub reason: Option<String>,
    /// How many values it has.
    pub values: usize,
}

/// The elements of `rules` for `dataset` in `graph`.
pub fn check(graph: &Graph, dataset: NamedOrBlankNodeRef<'_>, rules: &[Rule]) -> Vec<Element> {
    let values_of = |p: &str| -> Vec<TermRef<'_>> {
        NamedNodeRef::new(p)
            .map(|p| graph.objects_for_subject_predicate(dataset, p).collect())
            .unwrap_or_default()
    };
    rules
        .iter()
        .map(|r| {
            let values = values_of(&r.property).len();
            let exempt = r.unless.iter().find(|u| {
                values_of(&u.property).iter().any(|v| match v {
                    TermRef::NamedNode(n) => n.as_str() == u.value,
                    TermRef::Literal(l) => l.value() == u.value,
                    TermRef::BlankNode(_) => false,
                })
            });
            let (presence, reason) = match (values, exempt) {
                (1.., _) => (Presence::Present, None),
                (0, Some(u)) => (
                    Presence::NotApplicable,
                    Some(format!("reason.{}", u.reason)),
                ),
                (0, None) if r.conditional => {
                    (Presence::Absent, Some("reason.conditional".to_owned()))
                }
                (0, None) => (Presence::Absent, None),
            };
            Element {
                number: r.number,
                key: r.key.clone(),
                property: r.property.clone(),
                conditional: r.conditional,
                presence,
                reason,
                values,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
