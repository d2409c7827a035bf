//! The `trusted` search filter and facet (EHDS Art. 72): `trusted=yes` keeps the records whose
//! publisher is a trusted holder ([`healthcat_publish::trusted`]) — read as a filter on the
//! `publisher` facet, intersected with the one the request may already give — and the facet
//! counts them from the publisher counts (a record has one publisher). The list changes without
//! any record changing, so the index holds nothing of it.

use crate::kernel::AppState;
use healthcat_search::{FacetCounts, FacetValue, SearchError, SearchRequest, SearchResults};

/// A value no record has, for a trusted filter that nothing can match.
const NOBODY: &str = "urn:healthcat:no-trusted-holder";

/// The search `params` ask for, and whether they ask for trusted holders only.
pub(crate) fn search_request(
    state: &AppState,
    params: &[(String, String)],
) -> Result<(SearchRequest, bool), SearchError> {
    let mut trusted = false;
    let mut rest = Vec::with_capacity(params.len());
    for (k, v) in params {
        match (k.as_str(), v.as_str()) {
            ("trusted", "yes") => trusted = true,
            ("trusted", other) => {
                return Err(SearchError::BadRequest(format!(
                    "trusted must be yes (records of trusted health data holders only), not {other:?}"
                )));
            }
            _ => rest.push((k.clone(), v.clone())),
        }
    }
    let mut r = SearchRequest::from_params(&rest)?;
    if trusted {
        let holders = state.trusted.iris();
        let asked: Vec<String> = r
            .filters
            .iter()
            .filter(|(name, _)| name == "publisher")
            .flat_map(|(_, values)| values.iter().cloned())
            .collect();
        let mut kept: Vec<String> = if asked.is_empty() {
            holders
        } else {
            asked.into_iter().filter(|p| holders.contains(p)).collect()
        };
        if kept.is_empty() {
            kept.push(NOBODY.to_owned());
        }
        r.filters.retain(|(name, _)| name != "publisher");
        r.filters.push(("publisher".into(), kept));
    }
    Ok((r, trusted))
}

/// Adds the `trusted` facet to `results`: the hits whose publisher is a trusted holder (shown
/// when there are some, or when the request asks for them).
pub(crate) fn add_facet(state: &AppState, results: &mut SearchResults, asked: bool, lang: &str) {
    let holders = state.trusted.iris();
    let count: u64 = results
        .facets
        .iter()
        .filter(|f| f.name == "publisher")
        .flat_map(|f| f.values.iter())
        .filter(|v| holders.contains(&v.value))
        .map(|v| v.count)
        .sum();
    if count == 0 && !asked {
        return;
    }
    results.facets.push(FacetCounts {
        name: "trusted".into(),
        values: vec![FacetValue {
            value: "yes".into(),
            count,
            label: Some(state.site.msg(lang, "trusted_facet_yes")),
        }],
    });
}
