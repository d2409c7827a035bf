//! The reader's language, and numbers and dates written the way they read them.
//!
//! The language comes from `?lang=` (remembered in a cookie), then the `lang` cookie, then
//! `Accept-Language`, then the configured default. Metadata literals are shown in that language,
//! else French, else English, else the first one there is — each with its own `lang` attribute.

use crate::kernel::theme::LANGUAGES;
use axum::http::{HeaderMap, header};

/// The chosen language and whether the choice came from `?lang=` (to be remembered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// `fr` or `en`.
    pub lang: &'static str,
    /// Set when `?lang=` chose it: the response sets the cookie.
    pub from_query: bool,
}

fn known(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    LANGUAGES.into_iter().find(|l| *l == primary)
}

/// Picks the language of a request.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap, default: &'static str) -> Negotiated {
    if let Some(lang) = query.and_then(known) {
        return Negotiated {
            lang,
            from_query: true,
        };
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| known(v));
    if let Some(lang) = cookie {
        return Negotiated {
            lang,
            from_query: false,
        };
    }
    // Accept-Language: the known language with the highest weight (ties: first listed).
    let mut best: Option<(&'static str, f32)> = None;
    for value in headers
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for item in value.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = known(tag)
                && q > 0.0
                && best.is_none_or(|(_, b)| q > b)
            {
                best = Some((lang, q));
            }
        }
    }
    Negotiated {
        lang: best.map_or(default, |(l, _)| l),
        from_query: false,
    }
}

/// The `Set-Cookie` value remembering a language for a year.
pub fn cookie(lang: &str) -> String {
    format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax")
}

/// A whole number with the locale's digit grouping: `12 345` (narrow no-break space) in French,
/// `12,345` in English.
pub fn number(n: u64, lang: &str) -> String {
    let sep = if lang == "fr" { "\u{202f}" } else { "," };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A number with one decimal, in the locale's way: `62,4` in French, `62.4` in English.
pub fn decimal(x: f64, lang: &str) -> String {
    let text = format!("{x:.1}");
    if lang == "fr" {
        text.replace('.', ",")
    } else {
        text
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// An ISO date or date-time (`2024-03-05`, `2024-03-05T10:00:00Z`, `2024-03`, `2024`) in words:
/// `5 mars 2024`, `5 March 2024`. Anything else is returned as it is.
pub fn date(iso: &str, lang: &str) -> String {
    let day_part = iso.split('T').next().unwrap_or(iso);
    let parts: Vec<&str> = day_part.splitn(3, '-').collect();
    let months = if lang == "fr" { MONTHS_FR } else { MONTHS_EN };
    let year_ok = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit());
    let month = |m: &str| {
        m.parse::<usize>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(|m| months[m - 1])
    };
    match parts.as_slice() {
        [y] if year_ok(y) => (*y).to_owned(),
        [y, m] if year_ok(y) => match month(m) {
            Some(m) => format!("{m} {y}"),
            None => iso.to_owned(),
        },
        [y, m, d] if year_ok(y) => {
            let day = d.get(..2).and_then(|d| d.parse::<u32>().ok());
            match (month(m), day) {
                (Some(m), Some(d)) if (1..=31).contains(&d) => {
                    if lang == "fr" && d == 1 {
                        format!("1er {m} {y}")
                    } else {
                        format!("{d} {m} {y}")
                    }
                }
                _ => iso.to_owned(),
            }
        }
        _ => iso.to_owned(),
    }
}

/// A message with its `{name}` placeholders filled.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn query_then_cookie_then_accept_language_then_default() {
        let both = headers(&[
            (header::COOKIE, "a=b; lang=en"),
            (header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9"),
        ]);
        assert_eq!(negotiate(Some("fr"), &both, "en").lang, "fr");
        assert!(negotiate(Some("fr"), &both, "en").from_query);
        assert_eq!(negotiate(None, &both, "fr").lang, "en");
        assert_eq!(negotiate(Some("de"), &both, "fr").lang, "en");
        let accept = headers(&[(header::ACCEPT_LANGUAGE, "de-DE, fr;q=0.4, en;q=0.8")]);
        assert_eq!(negotiate(None, &accept, "fr").lang, "en");
        let accept = headers(&[(header::ACCEPT_LANGUAGE, "en;q=0, fr-CA")]);
        assert_eq!(negotiate(None, &accept, "en").lang, "fr");
        assert_eq!(negotiate(None, &HeaderMap::new(), "en").lang, "en");
        let junk = headers(&[
            (header::COOKIE, "lang=xx"),
            (header::ACCEPT_LANGUAGE, ";;,"),
        ]);
        assert_eq!(negotiate(None, &junk, "fr").lang, "fr");
    }

    #[test]
    fn numbers_and_dates_read_naturally() {
        assert_eq!(number(1234567, "en"), "1,234,567");
        assert_eq!(number(1234567, "fr"), "1\u{202f}234\u{202f}567");
        assert_eq!(number(999, "fr"), "999");
        assert_eq!(date("2024-03-05", "fr"), "5 mars 2024");
        assert_eq!(date("2024-03-01T10:00:00Z", "fr"), "1er mars 2024");
        assert_eq!(date("2024-12-25", "en"), "25 December 2024");
        assert_eq!(date("2024-02", "en"), "February 2024");
        assert_eq!(date("not a date", "en"), "not a date");
        assert_eq!(date("2024-13-01", "en"), "2024-13-01");
        assert_eq!(fill("{n} sur {m}", &[("n", "1"), ("m", "2")]), "1 sur 2");
    }
}
