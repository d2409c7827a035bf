//! Checking typed literals at import.
//!
//! Real exports often carry ill-typed literals (`"2024-13-01"^^xsd:date`, `"n/a"^^xsd:integer`).
//! The rule (documented in `docs/storage.md`): the record is **kept as written**, losslessly, and
//! the import reports a warning naming the record, the property and the value. Refusing the record
//! would lose a whole description for one bad date; rewriting the value would make healthcat say
//! something its source did not. SHACL validation (`sh:datatype`) reports the same value as a
//! violation, so a catalogue that rejects invalid records still rejects it.

use healthcat_model::vocab::xsd;
use oxrdf::{NamedNodeRef, TermRef, TripleRef};

/// A literal whose lexical form is not valid for its datatype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllTypedLiteral {
    /// The triple's subject.
    pub subject: String,
    /// The property.
    pub predicate: String,
    /// The lexical form.
    pub value: String,
    /// The datatype IRI.
    pub datatype: String,
}

impl std::fmt::Display for IllTypedLiteral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let short = self
            .datatype
            .strip_prefix(xsd::NS)
            .map_or(self.datatype.clone(), |l| format!("xsd:{l}"));
        write!(
            f,
            "{} <{}>: \"{}\" is not a valid {short}; kept as written (validation will report it)",
            self.subject, self.predicate, self.value
        )
    }
}

/// The ill-typed literals among `triples`, for the XSD datatypes healthcat knows.
pub fn ill_typed<'a>(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Vec<IllTypedLiteral> {
    triples
        .into_iter()
        .filter_map(|t| {
            let TermRef::Literal(l) = t.object else {
                return None;
            };
            if l.language().is_some() || is_valid(l.value(), l.datatype()) {
                return None;
            }
            Some(IllTypedLiteral {
                subject: t.subject.to_string(),
                predicate: t.predicate.as_str().to_owned(),
                value: l.value().to_owned(),
                datatype: l.datatype().as_str().to_owned(),
            })
        })
        .collect()
}

/// Whether `value` is a valid lexical form of `datatype`; unknown datatypes are accepted.
pub fn is_valid(value: &str, datatype: NamedNodeRef<'_>) -> bool {
    healthcat_model::xsd::is_valid_lexical(value, datatype.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_bad_values_are_caught() {
        let x = |l: &str| {
            NamedNodeRef::new_unchecked(match l {
                "date" => "http://www.w3.org/2001/XMLSchema#date",
                "nni" => "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
                _ => "http://www.w3.org/2001/XMLSchema#gYear",
            })
        };
        assert!(is_valid("2024-02-29", x("date")));
        assert!(!is_valid("2023-02-29", x("date")));
        assert!(!is_valid("15/01/2024", x("date")));
        assert!(is_valid("245000000", x("nni")));
        assert!(!is_valid("-1", x("nni")));
        assert!(!is_valid("NA", x("nni")));
        assert!(is_valid("2024", x("gyear")));
        assert!(is_valid(
            "anything",
            NamedNodeRef::new_unchecked("http://ex.org/custom")
        ));
    }
}
