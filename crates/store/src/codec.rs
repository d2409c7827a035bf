//! Keeping typed literals exactly as written, although Oxigraph normalises them.
//!
//! Oxigraph stores XSD values natively (`numeric_encoder.rs` in oxigraph 0.5): `"18"^^xsd:nonNegativeInteger`
//! comes back as `"18"^^xsd:integer`, `"01"^^xsd:integer` as `"1"`, `"1"^^xsd:boolean` as `"true"`,
//! `xsd:dateTimeStamp` as `xsd:dateTime`. That is right for a query engine and wrong for a catalogue
//! that promises to give back what it was given (HealthDCAT-AP *requires* `xsd:nonNegativeInteger` on
//! its counts and ages, and validation checks the exact datatype).
//!
//! So before a literal is stored, [`encode`] predicts whether Oxigraph would alter it (it parses the
//! value the way Oxigraph does and compares the canonical form with the original); if so, the literal
//! is stored with the datatype `urn:healthcat:datatype:<original datatype IRI>`, which Oxigraph keeps
//! verbatim. [`decode`] undoes this on every read. Literals Oxigraph keeps as they are (the vast
//! majority: strings, language strings, canonical dates and integers) are stored unchanged, so SPARQL
//! over the store still sees native values for them.

use oxrdf::{Literal, LiteralRef, NamedNode, NamedNodeRef, QuadRef, TermRef, TripleRef};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};
use std::str::FromStr;

const WRAPPED: &str = "urn:healthcat:datatype:";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The literal to store for `literal`, when Oxigraph would not give `literal` back unchanged.
pub fn encode(literal: LiteralRef<'_>) -> Option<Literal> {
    if literal.language().is_some() {
        return None;
    }
    let datatype = literal.datatype().as_str();
    let local = datatype.strip_prefix(XSD)?;
    let value = literal.value();
    // (what Oxigraph would give back as lexical form, its datatype's local name), or None when
    // Oxigraph keeps the literal as an opaque typed string (unknown datatype or invalid value).
    let native: Option<(String, &str)> = match local {
        "boolean" => Boolean::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "boolean")),
        "float" => Float::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "float")),
        "double" => Double::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "double")),
        "integer" | "byte" | "short" | "int" | "long" | "unsignedByte" | "unsignedShort"
        | "unsignedInt" | "unsignedLong" | "positiveInteger" | "negativeInteger"
        | "nonPositiveInteger" | "nonNegativeInteger" => Integer::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "integer")),
        "decimal" => Decimal::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "decimal")),
        "dateTime" | "dateTimeStamp" => DateTime::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "dateTime")),
        "time" => Time::from_str(value).ok().map(|v| (v.to_string(), "time")),
        "date" => Date::from_str(value).ok().map(|v| (v.to_string(), "date")),
        "gYearMonth" => GYearMonth::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "gYearMonth")),
        "gYear" => GYear::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "gYear")),
        "gMonthDay" => GMonthDay::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "gMonthDay")),
        "gDay" => GDay::from_str(value).ok().map(|v| (v.to_string(), "gDay")),
        "gMonth" => GMonth::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "gMonth")),
        "duration" => Duration::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "duration")),
        "yearMonthDuration" => YearMonthDuration::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "yearMonthDuration")),
        "dayTimeDuration" => DayTimeDuration::from_str(value)
            .ok()
            .map(|v| (v.to_string(), "dayTimeDuration")),
        _ => None,
    };
    match native {
        Some((lexical, dt)) if lexical != value || dt != local => Some(Literal::new_typed_literal(
            value,
            NamedNode::new_unchecked(format!("{WRAPPED}{datatype}")),
        )),
        _ => None,
    }
}

/// The original literal for a stored one (see [`encode`]).
pub fn decode(literal: LiteralRef<'_>) -> Option<Literal> {
    let original = literal.datatype().as_str().strip_prefix(WRAPPED)?;
    Some(Literal::new_typed_literal(
        literal.value(),
        NamedNodeRef::new_unchecked(original),
    ))
}

/// Applies [`decode`] to a stored quad's object, calling `f` with the original quad.
pub fn with_decoded<R>(q: QuadRef<'_>, f: impl FnOnce(QuadRef<'_>) -> R) -> R {
    match q.object {
        TermRef::Literal(l) => match decode(l) {
            Some(original) => f(QuadRef::new(
                q.subject,
                q.predicate,
                original.as_ref(),
                q.graph_name,
            )),
            None => f(q),
        },
        _ => f(q),
    }
}

/// Applies [`decode`] to a stored triple's object, calling `f` with the original triple.
pub fn triple_with_decoded<R>(t: TripleRef<'_>, f: impl FnOnce(TripleRef<'_>) -> R) -> R {
    match t.object {
        TermRef::Literal(l) => match decode(l) {
            Some(original) => f(TripleRef::new(t.subject, t.predicate, original.as_ref())),
            None => f(t),
        },
        _ => f(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphNameRef, NamedNodeRef, Term};
    use oxigraph::store::Store;

    /// The prediction must match what Oxigraph actually does, for every case we care about.
    #[test]
    fn encode_predicts_oxigraph_normalisation() {
        let store = Store::new().unwrap();
        let s = NamedNodeRef::new_unchecked("http://ex.org/s");
        let cases = [
            ("18", "nonNegativeInteger"),
            ("18", "integer"),
            ("018", "integer"),
            ("+5", "integer"),
            ("1", "boolean"),
            ("true", "boolean"),
            ("1.0", "decimal"),
            ("1.5", "decimal"),
            ("1e3", "double"),
            ("2024-01-15", "date"),
            ("2024-01-15Z", "date"),
            ("2024-01-15T10:00:00+01:00", "dateTime"),
            ("2024-01-15T10:00:00.000Z", "dateTime"),
            ("2024-01-15T10:00:00Z", "dateTimeStamp"),
            ("2024", "gYear"),
            ("P1M", "duration"),
            ("P0D", "duration"),
            ("P1Y", "yearMonthDuration"),
            ("not a date", "date"),
            ("245000000", "nonNegativeInteger"),
            ("2024-13", "gYearMonth"),
            ("00FF", "hexBinary"),
        ];
        for (i, (value, local)) in cases.iter().enumerate() {
            let lit = Literal::new_typed_literal(
                *value,
                NamedNode::new_unchecked(format!("{XSD}{local}")),
            );
            let p = NamedNode::new_unchecked(format!("http://ex.org/p{i}"));
            store
                .insert(QuadRef::new(
                    s,
                    p.as_ref(),
                    lit.as_ref(),
                    GraphNameRef::DefaultGraph,
                ))
                .unwrap();
            let back = store
                .quads_for_pattern(Some(s.into()), Some(p.as_ref()), None, None)
                .next()
                .unwrap()
                .unwrap()
                .object;
            let altered = back != Term::from(lit.clone());
            assert_eq!(
                encode(lit.as_ref()).is_some(),
                altered,
                "{lit}: stored back as {back}"
            );
            if let Some(wrapped) = encode(lit.as_ref()) {
                assert_eq!(decode(wrapped.as_ref()), Some(lit.clone()));
            }
        }
    }
}
