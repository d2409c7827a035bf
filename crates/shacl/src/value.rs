//! Value semantics the Core components need: ordering of literals (`sh:minInclusive`…,
//! `sh:lessThan`), string forms and lengths, language ranges, datatype well-formedness.

use oxrdf::{LiteralRef, TermRef};
use oxsdatatypes::{Date, DateTime, Decimal, Double, GYear, GYearMonth, Time};
use std::cmp::Ordering;
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// A literal's value, for comparisons.
enum Value {
    Decimal(Decimal),
    Double(Double),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    GYear(GYear),
    GYearMonth(GYearMonth),
    String(String),
}

fn value(l: LiteralRef<'_>) -> Option<Value> {
    let dt = l.datatype().as_str();
    let local = dt.strip_prefix(XSD)?;
    let v = l.value();
    Some(match local {
        "integer" | "decimal" | "long" | "int" | "short" | "byte" | "nonNegativeInteger"
        | "positiveInteger" | "nonPositiveInteger" | "negativeInteger" | "unsignedLong"
        | "unsignedInt" | "unsignedShort" | "unsignedByte" => {
            Value::Decimal(Decimal::from_str(v).ok()?)
        }
        "double" | "float" => Value::Double(Double::from_str(v).ok()?),
        "dateTime" | "dateTimeStamp" => Value::DateTime(DateTime::from_str(v).ok()?),
        "date" => Value::Date(Date::from_str(v).ok()?),
        "time" => Value::Time(Time::from_str(v).ok()?),
        "gYear" => Value::GYear(GYear::from_str(v).ok()?),
        "gYearMonth" => Value::GYearMonth(GYearMonth::from_str(v).ok()?),
        "string" => Value::String(v.to_owned()),
        _ => return None,
    })
}

/// SPARQL-style ordering of two terms; `None` when they are not comparable (different value
/// spaces, IRIs, blank nodes, ill-formed or unknown literals, indeterminate dates).
pub fn compare(a: TermRef<'_>, b: TermRef<'_>) -> Option<Ordering> {
    let (TermRef::Literal(a), TermRef::Literal(b)) = (a, b) else {
        return None;
    };
    if a.language().is_some() || b.language().is_some() {
        return None;
    }
    match (value(a)?, value(b)?) {
        (Value::Decimal(x), Value::Decimal(y)) => x.partial_cmp(&y),
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(&y),
        (Value::Decimal(x), Value::Double(y)) => Double::from(x).partial_cmp(&y),
        (Value::Double(x), Value::Decimal(y)) => x.partial_cmp(&Double::from(y)),
        (Value::DateTime(x), Value::DateTime(y)) => x.partial_cmp(&y),
        (Value::Date(x), Value::Date(y)) => x.partial_cmp(&y),
        (Value::Time(x), Value::Time(y)) => x.partial_cmp(&y),
        (Value::GYear(x), Value::GYear(y)) => x.partial_cmp(&y),
        (Value::GYearMonth(x), Value::GYearMonth(y)) => x.partial_cmp(&y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(&y)),
        _ => None,
    }
}

/// `str()` of an IRI or literal; `None` for blank nodes.
pub fn string_of(t: TermRef<'_>) -> Option<&str> {
    match t {
        TermRef::NamedNode(n) => Some(n.as_str()),
        TermRef::Literal(l) => Some(l.value()),
        TermRef::BlankNode(_) => None,
    }
}

/// SPARQL `langMatches` (basic filtering, RFC 4647 §3.3.1).
pub fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let (tag, range) = (tag.to_ascii_lowercase(), range.to_ascii_lowercase());
    tag == range
        || tag
            .strip_prefix(&range)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// Whether a literal is a well-formed member of the datatype `datatype`.
pub fn has_datatype(l: LiteralRef<'_>, datatype: &str) -> bool {
    l.datatype().as_str() == datatype && healthcat_model::xsd::is_valid_lexical(l.value(), datatype)
}
