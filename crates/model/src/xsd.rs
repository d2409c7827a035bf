//! Lexical validity of XSD literals, shared by import (warnings) and SHACL (`sh:datatype`).

use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Whether `value` is a valid lexical form of the datatype `datatype` (an IRI). Datatypes healthcat
/// does not know (not XSD, or XSD types without a check here) are accepted.
pub fn is_valid_lexical(value: &str, datatype: &str) -> bool {
    let Some(local) = datatype.strip_prefix(XSD) else {
        return true;
    };
    let int = || Integer::from_str(value).ok();
    let in_range =
        |lo: i64, hi: i64| int().is_some_and(|i| i >= Integer::from(lo) && i <= Integer::from(hi));
    match local {
        "boolean" => Boolean::from_str(value).is_ok(),
        "date" => Date::from_str(value).is_ok(),
        "dateTime" => DateTime::from_str(value).is_ok(),
        "dateTimeStamp" => DateTime::from_str(value).is_ok_and(|d| d.timezone_offset().is_some()),
        "time" => Time::from_str(value).is_ok(),
        "gYear" => GYear::from_str(value).is_ok(),
        "gYearMonth" => GYearMonth::from_str(value).is_ok(),
        "gMonthDay" => GMonthDay::from_str(value).is_ok(),
        "gDay" => GDay::from_str(value).is_ok(),
        "gMonth" => GMonth::from_str(value).is_ok(),
        "duration" => Duration::from_str(value).is_ok(),
        "yearMonthDuration" => YearMonthDuration::from_str(value).is_ok(),
        "dayTimeDuration" => DayTimeDuration::from_str(value).is_ok(),
        "decimal" => Decimal::from_str(value).is_ok(),
        "double" => Double::from_str(value).is_ok(),
        "float" => Float::from_str(value).is_ok(),
        "integer" => int().is_some(),
        "long" => in_range(i64::MIN, i64::MAX),
        "int" => in_range(i32::MIN.into(), i32::MAX.into()),
        "short" => in_range(i16::MIN.into(), i16::MAX.into()),
        "byte" => in_range(i8::MIN.into(), i8::MAX.into()),
        "nonNegativeInteger" | "unsignedLong" => int().is_some_and(|i| i >= Integer::from(0)),
        "unsignedInt" => in_range(0, u32::MAX.into()),
        "unsignedShort" => in_range(0, u16::MAX.into()),
        "unsignedByte" => in_range(0, u8::MAX.into()),
        "positiveInteger" => int().is_some_and(|i| i > Integer::from(0)),
        "nonPositiveInteger" => int().is_some_and(|i| i <= Integer::from(0)),
        "negativeInteger" => int().is_some_and(|i| i < Integer::from(0)),
        "hexBinary" => {
            value.len().is_multiple_of(2) && value.bytes().all(|b| b.is_ascii_hexdigit())
        }
        "string" | "normalizedString" | "token" | "anyURI" | "language" | "Name" | "NCName"
        | "base64Binary" => true,
        _ => true,
    }
}
