//! HTTP content negotiation (`Accept`) and conditional requests (`If-None-Match`,
//! `If-Modified-Since`), for the linked-data views of records.

use axum::http::{HeaderMap, header};
use healthcat_store::Format;

/// The syntaxes records and the catalogue are offered in, in order of preference when a client
/// accepts several equally (file extension: [`Format::name`], media type: [`Format::media_type`]).
pub const RDF_VIEWS: [Format; 4] = [
    Format::Turtle,
    Format::NTriples,
    Format::RdfXml,
    Format::JsonLd,
];

/// The offered media type the `Accept` header prefers (highest `q`, then the order of `offered`);
/// `None` when it accepts none of them. No `Accept` header accepts everything.
pub fn pick<'a>(headers: &HeaderMap, offered: &[&'a str]) -> Option<&'a str> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*");
    let ranges: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!range.is_empty()).then_some((range, q))
        })
        .collect();
    // Each offered type's weight: that of the most specific range matching it.
    let weight = |offered: &str| -> f32 {
        let (kind, _) = offered.split_once('/').unwrap_or((offered, ""));
        let mut best: Option<(u8, f32)> = None;
        for (range, q) in &ranges {
            let specificity = if range == offered {
                3
            } else if range.strip_suffix("/*") == Some(kind) {
                2
            } else if range == "*/*" {
                1
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, *q));
            }
        }
        best.map_or(0.0, |(_, q)| q)
    };
    let mut chosen: Option<(&str, f32)> = None;
    for o in offered {
        let w = weight(o);
        if w > 0.0 && chosen.is_none_or(|(_, b)| w > b) {
            chosen = Some((o, w));
        }
    }
    chosen.map(|(o, _)| o)
}

/// Whether the client already has this version: `If-None-Match` names `etag` (or `*`), or, when
/// there is no `If-None-Match`, `If-Modified-Since` is not before `modified` (RFC 3339).
pub fn not_modified(headers: &HeaderMap, etag: &str, modified: &str) -> bool {
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return inm
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*");
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| jiff::fmt::rfc2822::parse(v).ok());
    let modified = modified.parse::<jiff::Timestamp>().ok();
    match (since, modified) {
        // HTTP dates have whole seconds.
        (Some(since), Some(m)) => m.as_second() <= since.timestamp().as_second(),
        _ => false,
    }
}

/// The request's media type (`Content-Type` without its parameters, lower case), if any.
pub fn content_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// An RFC 3339 time as an HTTP date (`Last-Modified`).
pub fn http_date(rfc3339: &str) -> Option<String> {
    let t: jiff::Timestamp = rfc3339.parse().ok()?;
    Some(t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string())
}

/// `http://{host}` for the request's `Host` (checked to be a plain host name or address, else
/// `localhost`): the catalogue and its services are named by the address they are served at.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn h(name: header::HeaderName, v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(name, HeaderValue::from_str(v).unwrap());
        m
    }

    const OFFERED: [&str; 3] = ["text/html", "text/turtle", "application/ld+json"];

    #[test]
    fn accept_picks_by_weight_and_specificity() {
        assert_eq!(pick(&HeaderMap::new(), &OFFERED), Some("text/html"));
        assert_eq!(
            pick(&h(header::ACCEPT, "text/turtle"), &OFFERED),
            Some("text/turtle")
        );
        // A browser.
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(
            pick(&h(header::ACCEPT, browser), &OFFERED),
            Some("text/html")
        );
        // ckanext-dcat's harvester.
        let ckan = "text/turtle, application/rdf+xml;q=0.9, */*;q=0.1";
        assert_eq!(
            pick(&h(header::ACCEPT, ckan), &OFFERED),
            Some("text/turtle")
        );
        assert_eq!(
            pick(
                &h(header::ACCEPT, "text/*;q=0.5, application/ld+json"),
                &OFFERED
            ),
            Some("application/ld+json")
        );
        assert_eq!(
            pick(&h(header::ACCEPT, "text/html;q=0, */*"), &OFFERED),
            Some("text/turtle")
        );
        assert_eq!(pick(&h(header::ACCEPT, "application/pdf"), &OFFERED), None);
    }

    #[test]
    fn conditional_requests() {
        let m = "2024-03-05T10:00:00Z";
        assert!(not_modified(
            &h(header::IF_NONE_MATCH, "\"abc\""),
            "\"abc\"",
            m
        ));
        assert!(not_modified(
            &h(header::IF_NONE_MATCH, "W/\"x\", \"abc\""),
            "\"abc\"",
            m
        ));
        assert!(!not_modified(
            &h(header::IF_NONE_MATCH, "\"old\""),
            "\"abc\"",
            m
        ));
        let date = http_date(m).unwrap();
        assert_eq!(date, "Tue, 05 Mar 2024 10:00:00 GMT");
        assert!(not_modified(
            &h(header::IF_MODIFIED_SINCE, &date),
            "\"abc\"",
            m
        ));
        let before = "Tue, 05 Mar 2024 09:59:59 GMT";
        assert!(!not_modified(
            &h(header::IF_MODIFIED_SINCE, before),
            "\"abc\"",
            m
        ));
        assert!(!not_modified(
            &h(header::IF_MODIFIED_SINCE, "garbage"),
            "\"abc\"",
            m
        ));
    }
}
