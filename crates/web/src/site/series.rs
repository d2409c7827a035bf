//! The series part of a dataset page: on a series, its editions in order; on an edition, the
//! series it belongs to with its position and neighbours (first, previous, next, last), computed
//! by `healthcat_publish::series` whether or not the source declared them. A series the
//! catalogue does not hold is named as such, and a broken chain (a loop, a link outside the
//! series) is said in words while the editions are shown by date.

use super::dataset::text;
use crate::kernel::AppState;
use crate::kernel::i18n::{date, fill};
use healthcat_model::DatasetView;
use healthcat_model::series::Problem;
use healthcat_publish::series::{Entry, Series, series};
use serde_json::{Value, json};

/// A link to a stored record's page, with its title in the reader's language.
fn entry_link(e: &Entry, lang: &str) -> Value {
    let (l, title) = text(&e.title, lang).unwrap_or_else(|| (String::new(), e.id.to_string()));
    json!({ "text": title, "lang": l, "href": format!("/datasets/{}", e.id) })
}

/// The reasons a source's chain was not followed, in words.
fn problems(state: &AppState, s: &Series, lang: &str) -> Vec<String> {
    let t = |k: &str| state.site.msg(lang, k);
    s.problems()
        .iter()
        .map(|p| match p {
            Problem::Loop { from } => fill(&t("series_problem_loop"), &[("edition", from)]),
            Problem::Outside { edition, other } => fill(
                &t("series_problem_outside"),
                &[("edition", edition), ("other", other)],
            ),
            Problem::Fork { edition } => fill(&t("series_problem_fork"), &[("edition", edition)]),
            Problem::Incomplete { chained, editions } => fill(
                &t("series_problem_incomplete"),
                &[
                    ("chained", &chained.to_string()),
                    ("editions", &editions.to_string()),
                ],
            ),
        })
        .collect()
}

/// What the dataset page shows of series for the record `d`: `editions` when it is a series,
/// `in_series` for each series it is an edition of. Errors are logged and leave the part out.
pub(super) fn context(state: &AppState, d: &DatasetView, lang: &str) -> Value {
    let t = |k: &str| state.site.msg(lang, k);
    let order_note = |s: &Series| {
        if s.ordered.declared {
            t("series_order_declared")
        } else {
            t("series_order_date")
        }
    };
    let read = |iri: &str| match series(&state.store, iri) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!(series = iri, error = %e, "the series could not be read");
            None
        }
    };
    let editions = (d.kind == Some(healthcat_model::RecordKind::DatasetSeries))
        .then(|| d.iri.as_deref().and_then(read))
        .flatten()
        .map(|s| {
            let items: Vec<Value> = s
                .editions()
                .map(|(_, e)| {
                    json!({
                        "link": entry_link(e, lang),
                        "issued": e.issued.as_deref().map(|x| date(x, lang)),
                        "version": e.version,
                    })
                })
                .collect();
            json!({ "items": items, "order": order_note(&s), "problems": problems(state, &s, lang) })
        });
    let in_series: Vec<Value> = d
        .in_series
        .iter()
        .filter_map(|iri| {
            let s = read(iri)?;
            let me = d.iri.as_deref()?;
            let n = s.ordered.neighbours(me)?;
            let link = |e: Option<&healthcat_model::series::Edition>| {
                e.filter(|e| e.iri != me)
                    .and_then(|e| s.entry(&e.iri))
                    .map(|x| entry_link(x, lang))
            };
            Some(json!({
                "series": s.record.as_ref().map(|r| entry_link(r, lang)),
                "iri": iri,
                "position": fill(&t("series_position"), &[
                    ("n", &(n.position + 1).to_string()),
                    ("total", &s.ordered.editions.len().to_string()),
                ]),
                "first": link(n.first), "prev": link(n.prev),
                "next": link(n.next), "last": link(n.last),
                "order": order_note(&s),
                "problems": problems(state, &s, lang),
            }))
        })
        .collect();
    json!({ "editions": editions, "in_series": in_series })
}
