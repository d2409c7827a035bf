//! The usage statistics (EHDS Art. 59): `/statistics` for the catalogue,
//! `?dataset=ID` for one dataset, `?publisher=IRI` for one data holder, over `from`..`to` (the
//! last 30 days by default) — totals and a bar chart per figure, drawn as SVG on the server (no
//! JavaScript). Figures are those flushed to the store (see `[usage] flush_seconds`); signed-in
//! editors get the biennial report's downloads.

use crate::kernel::extract::Params;
use crate::kernel::i18n::{fill, number};
use crate::kernel::page::{Req, facet_label};
use crate::kernel::urls::href;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use healthcat_model::LocalId;
use healthcat_usage::{Figures, Period, chart, figures};
use serde_json::{Value, json};

/// The chart's drawing size.
const WIDTH: u32 = 640;
const HEIGHT: u32 = 120;

/// `GET /statistics`
pub(crate) async fn page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let lang = req.lang;
    let params = Params(req.params.clone());
    let period = Period::parse(params.get("from"), params.get("to"), Period::today(), 30)
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    if params.get("dataset").is_some() && params.get("publisher").is_some() {
        return Err(AppError::bad_request("give dataset or publisher, not both"));
    }
    let (scope, name, keep) = if let Some(id) = params.get("dataset") {
        let local = LocalId::new(id.to_owned()).map_err(|_| AppError::not_found())?;
        let st = state.clone();
        let title = blocking(move || {
            let Some(r) = st.store.get(&local)? else {
                return Ok(None);
            };
            // The record's own title (not the index's title cache: a robot walking every
            // dataset's statistics must not grow memory).
            let d = r
                .meta
                .root
                .as_ref()
                .map(|root| healthcat_model::DatasetView::new(&r.graph, root.as_ref()))
                .unwrap_or_default();
            Ok(Some(
                super::dataset::text(&d.title, lang).map_or(r.meta.key, |(_, t)| t),
            ))
        })
        .await?
        .ok_or_else(AppError::not_found)?;
        (format!("dataset:{id}"), title, ("dataset", id.to_owned()))
    } else if let Some(iri) = params.get("publisher") {
        let name = facet_label(&state, "publisher", iri, lang);
        (
            format!("publisher:{iri}"),
            name,
            ("publisher", iri.to_owned()),
        )
    } else {
        (
            String::from("catalogue"),
            state.site.name(lang),
            ("", String::new()),
        )
    };
    let st = state.clone();
    let (days, total) =
        blocking(move || figures::daily(&st.store, &scope, &period).map_err(AppError::internal))
            .await?;
    let t = |k: &str| req.t(&state, k);
    let n = |v: u64| number(v, lang);
    let mut totals = vec![
        (t("stats_views"), n(total.views)),
        (t("stats_downloads"), n(total.downloads)),
    ];
    for (syntax, v) in total.downloads_per_syntax() {
        totals.push((
            fill(&t("stats_downloads_syntax"), &[("syntax", syntax)]),
            n(v),
        ));
    }
    totals.extend([
        (t("stats_impressions"), n(total.impressions)),
        (t("stats_api"), n(total.api)),
        (t("stats_requests"), n(total.requests)),
    ]);
    let catalogue = keep.0.is_empty();
    if catalogue {
        totals.push((t("stats_searches"), n(total.searches)));
    }
    let series = |f: fn(&Figures) -> u64| -> Vec<(String, u64)> {
        days.iter().map(|(d, fig)| (d.clone(), f(fig))).collect()
    };
    let mut charts = vec![
        (t("stats_views"), series(|f| f.views)),
        (t("stats_downloads"), series(|f| f.downloads)),
        (t("stats_impressions"), series(|f| f.impressions)),
    ];
    if catalogue {
        charts.push((t("stats_searches"), series(|f| f.searches)));
    }
    let charts: Vec<Value> = charts
        .into_iter()
        .map(|(title, points)| {
            let c = chart::bars(&points, WIDTH, HEIGHT);
            let caption = fill(
                &t("stats_chart_caption"),
                &[("total", &n(c.total)), ("max", &n(c.max))],
            );
            json!({ "title": title, "chart": c, "caption": caption })
        })
        .collect();
    let mut pairs: Vec<(String, String)> = vec![
        ("from".into(), period.from.to_string()),
        ("to".into(), period.to.to_string()),
    ];
    if !catalogue {
        pairs.push((keep.0.into(), keep.1.clone()));
    }
    let signed_in = crate::kernel::session::current(&state, &headers).is_some();
    let report = (signed_in && catalogue).then(|| {
        let period = &pairs[..2];
        let mut links = vec![json!({
            "href": href("/edit/statistics/report", &[period, &[("format".into(), "xlsx".into())]].concat()),
            "label": t("stats_report_xlsx"),
        })];
        for table in healthcat_usage::report::TABLES {
            links.push(json!({
                "href": href("/edit/statistics/report", &[period, &[("format".into(), "csv".into()), ("table".into(), table.into())]].concat()),
                "label": fill(&t("stats_report_csv"), &[("table", &t(&format!("stats_table_{table}")))]),
            }));
        }
        links
    });
    let ctx = json!({
        "heading": fill(&t("stats_heading"), &[("name", &name)]),
        "period": fill(&t("stats_period"), &[("from", &crate::kernel::i18n::date(&period.from.to_string(), lang)), ("to", &crate::kernel::i18n::date(&period.to.to_string(), lang))]),
        "from": period.from.to_string(),
        "to": period.to.to_string(),
        "keep": (!catalogue).then(|| json!({ "name": keep.0, "value": keep.1 })),
        "back": match keep.0 {
            "dataset" => Some(format!("/datasets/{}", keep.1)),
            "publisher" => Some(href("/publishers", &[("iri".into(), keep.1.clone())])),
            _ => None,
        },
        "totals": totals.into_iter().map(|(label, value)| json!({ "label": label, "value": value })).collect::<Vec<_>>(),
        "charts": charts,
        "report": report,
        "json": href("/api/statistics", &pairs),
    });
    req.page(&state, StatusCode::OK, "statistics.html", "statistics", ctx)
}
