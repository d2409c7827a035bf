//! A search request from the parameters of a query string — the same for the JSON API, the
//! search page and the catalogue's filtered pages.
//!
//! Parameters: `q`, `variable` (words a record's variables must have), one per facet (see [`FACETS`]; repeat a parameter for alternatives),
//! `age_min`, `age_max`, `min_records`, `modified_since` (a date or an RFC 3339 time),
//! `temporal_from`, `temporal_to` (dates: the temporal coverage overlaps them), `sort`
//! (`relevance`, `modified`, `title`, `quality`), `page`, `per_page`, `lang` (`fr`, `en`). Anything else is
//! an error naming the parameter.

use crate::{FACETS, SearchError, SearchRequest, Sort};

impl SearchRequest {
    /// The request the parameters ask for, or [`SearchError::BadRequest`] naming the parameter
    /// at fault.
    pub fn from_params(params: &[(String, String)]) -> Result<Self, SearchError> {
        request(params).map_err(SearchError::BadRequest)
    }
}

/// The language the parameters ask for (`lang=en`), French otherwise.
pub fn lang_of(params: &[(String, String)]) -> &'static str {
    match params
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.as_str())
    {
        Some("en") => "en",
        _ => "fr",
    }
}

/// Seconds since 1970 of a `modified_since` value: a date (midnight UTC) or an RFC 3339 time.
fn since_seconds(v: &str) -> Result<i64, String> {
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(t.as_second());
    }
    match crate::days_since_epoch(v) {
        Some(days) if v.len() == 10 => Ok(days * 86_400),
        _ => Err(format!(
            "modified_since must be a date (2024-01-31) or a time with its offset \
             (2024-01-31T12:00:00Z), not {v:?}"
        )),
    }
}

/// The search request of the query string, or what is wrong with it.
fn request(params: &[(String, String)]) -> Result<SearchRequest, String> {
    let mut r = SearchRequest {
        lang: lang_of(params).to_owned(),
        ..SearchRequest::default()
    };
    let number = |k: &str, v: &str| -> Result<u64, String> {
        v.parse::<u64>()
            .map_err(|_| format!("{k} must be a whole number, not {v:?}"))
    };
    for (k, v) in params {
        match k.as_str() {
            "q" => r.q = v.clone(),
            "variable" => r.variable = v.clone(),
            "lang" => {}
            "age_min" => r.age_min = Some(number(k, v)?),
            "age_max" => r.age_max = Some(number(k, v)?),
            "min_records" => r.min_records = Some(number(k, v)?),
            "page" => r.page = number(k, v)? as usize,
            "per_page" => r.per_page = number(k, v)? as usize,
            "modified_since" => r.modified_since = Some(since_seconds(v)?),
            "temporal_from" | "temporal_to" => {
                let days = crate::days_since_epoch(v)
                    .ok_or_else(|| format!("{k} must be a date (2024-01-31), not {v:?}"))?;
                let (mut from, mut to) = r.temporal.unwrap_or((None, None));
                if k == "temporal_from" {
                    from = Some(days);
                } else {
                    to = Some(days);
                }
                r.temporal = Some((from, to));
            }
            "sort" => {
                r.sort = match v.as_str() {
                    "" | "relevance" => Sort::Relevance,
                    "modified" => Sort::Modified,
                    "title" => Sort::Title,
                    "quality" => Sort::Quality,
                    "ehds_label" => Sort::Label,
                    _ => {
                        return Err(format!(
                            "sort must be relevance, modified, title, quality or ehds_label, not {v:?}"
                        ));
                    }
                }
            }
            name if FACETS.contains(&name) => {
                if v.is_empty() {
                    continue;
                }
                match r.filters.iter_mut().find(|(n, _)| n == name) {
                    Some((_, values)) => values.push(v.clone()),
                    None => r.filters.push((name.to_owned(), vec![v.clone()])),
                }
            }
            other => {
                return Err(format!(
                    "unknown parameter {other:?}: use q, variable, {}, age_min, age_max, min_records, \
                     modified_since, temporal_from, temporal_to, sort, page, per_page or lang",
                    FACETS.join(", ")
                ));
            }
        }
    }
    if let (Some(a), Some(b)) = (r.age_min, r.age_max)
        && a > b
    {
        return Err(format!("age_min ({a}) is above age_max ({b})"));
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::request;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parameters_are_checked_and_named_in_errors() {
        let r = request(&p(&[
            ("q", "cancer"),
            ("theme", "a"),
            ("theme", "b"),
            ("age_min", "5"),
        ]))
        .unwrap();
        assert_eq!(
            r.filters,
            vec![("theme".to_owned(), vec!["a".to_owned(), "b".to_owned()])]
        );
        assert_eq!(r.age_min, Some(5));
        assert!(
            request(&p(&[("age_min", "five")]))
                .unwrap_err()
                .contains("age_min")
        );
        assert!(
            request(&p(&[("colour", "red")]))
                .unwrap_err()
                .contains("unknown parameter")
        );
        assert!(
            request(&p(&[("modified_since", "yesterday")]))
                .unwrap_err()
                .contains("date")
        );
        assert!(request(&p(&[("age_min", "50"), ("age_max", "10")])).is_err());
    }
}
