//! The quality dashboard (`/quality`, `?source=…` or `?publisher=…` for one source's or one
//! publisher's datasets): what each write kept, summed up — the MQA bands, the score
//! distribution, the indicators most often open, the Regulation 2026/2098 coverage — as tables
//! with server-drawn SVG bars (no script), the trend of the mean score over the days kept (a line
//! drawn as SVG and the same figures as a table), and the links to the CSV and JSON of
//! `/api/quality`.

use crate::kernel::i18n::{fill, number};
use crate::kernel::page::{Req, facet_label};
use crate::kernel::urls::href;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use healthcat_quality::aggregate;
use healthcat_quality::aggregate::bar_end;
use healthcat_quality::messages::fill as quality_word;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The widest bar, in SVG units.
const WIDTH: f64 = 240.0;
/// The histogram's column width, in SVG units.
const COLUMN: f64 = 40.0;
/// The histogram's tallest column, in SVG units.
const HEIGHT: f64 = 120.0;

/// `GET /quality`
pub(crate) async fn page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let param = |k: &str| {
        req.params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let (source, publisher) = (param("source"), param("publisher"));
    let st = state.clone();
    let (s, p) = (source.clone(), publisher.clone());
    let (rows, days) = blocking(move || {
        let rows = crate::kernel::quality::rows(&st, s.as_deref(), p.as_deref())?;
        let scope = crate::kernel::quality::scope(s.as_deref(), p.as_deref());
        Ok((rows, crate::kernel::quality::trend(&st, &scope)?))
    })
    .await?;
    let lang = req.lang;
    let t = |k: &str| req.t(&state, k);
    let a = aggregate(rows.iter().map(|(_, k)| k));
    let pct = |n: usize| {
        let share = (n * 100 + a.datasets / 2)
            .checked_div(a.datasets)
            .unwrap_or(0);
        format!("{share} %")
    };
    let bar = |n: usize, max: usize| {
        if max == 0 {
            0.0
        } else {
            (n as f64 / max as f64 * WIDTH).round()
        }
    };
    let max_band = a.bands.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let bands: Vec<Value> = a
        .bands
        .iter()
        .map(|(b, n)| {
            json!({
                "key": b.key(), "label": quality_word(lang, &format!("band.{}", b.key()), &[]),
                "count": number(*n as u64, lang), "share": pct(*n), "width": bar(*n, max_band),
            })
        })
        .collect();
    let max_open = a.open.first().map_or(0, |(_, n)| *n);
    let open: Vec<Value> = a
        .open
        .iter()
        .take(10)
        .map(|(m, n)| {
            json!({
                "label": quality_word(lang, &format!("metric.{m}"), &[]),
                "count": number(*n as u64, lang), "share": pct(*n), "width": bar(*n, max_open),
            })
        })
        .collect();
    // The histogram: one column per bar of 45 points, its height by count.
    let max_bar = a.histogram.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let columns: Vec<Value> = a
        .histogram
        .iter()
        .enumerate()
        .map(|(i, (from, n))| {
            let h = if max_bar == 0 {
                0.0
            } else {
                (*n as f64 / max_bar as f64 * HEIGHT).round()
            };
            json!({
                "x": i as f64 * COLUMN + 4.0, "y": HEIGHT - h, "h": h, "w": COLUMN - 8.0,
                "label_x": i as f64 * COLUMN + COLUMN / 2.0, "from": from,
                "count": n,
            })
        })
        .collect();
    let described: Vec<String> = a
        .histogram
        .iter()
        .map(|(from, n)| {
            let to = bar_end(*from);
            format!("{from}–{to}: {}", number(*n as u64, lang))
        })
        .collect();
    let histogram = json!({
        "columns": columns,
        "width": a.histogram.len() as f64 * COLUMN,
        "height": HEIGHT + 20.0,
        "baseline": HEIGHT + 14.0,
        "label": fill(&t("quality_histogram_label"), &[("bars", &described.join(", "))]),
    });
    // Per source and per publisher: links to their own dashboards.
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_publisher: BTreeMap<String, usize> = BTreeMap::new();
    for (r, _) in &rows {
        *by_source.entry(r.source.clone()).or_default() += 1;
        if let Some(p) = &r.publisher {
            *by_publisher.entry(p.clone()).or_default() += 1;
        }
    }
    let link = |k: &str, v: &str| href("/quality", &[(k.to_owned(), v.to_owned())]);
    let sources: Vec<Value> = by_source
        .iter()
        .map(|(s, n)| {
            let label = if s == "local" {
                t("catalogues_local")
            } else {
                s.clone()
            };
            json!({ "label": label, "count": number(*n as u64, lang), "href": link("source", s) })
        })
        .collect();
    let publishers: Vec<Value> = by_publisher
        .iter()
        .map(|(p, n)| {
            json!({
                "label": facet_label(&state, "publisher", p, lang),
                "count": number(*n as u64, lang), "href": link("publisher", p),
            })
        })
        .collect();
    let scope = match (&source, &publisher) {
        (Some(s), _) => fill(&t("quality_scope_source"), &[("source", s)]),
        (None, Some(p)) => fill(
            &t("quality_scope_publisher"),
            &[("publisher", &facet_label(&state, "publisher", p, lang))],
        ),
        (None, None) => t("quality_scope_all"),
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    pairs.extend(source.iter().map(|s| ("source".to_owned(), s.clone())));
    pairs.extend(
        publisher
            .iter()
            .map(|p| ("publisher".to_owned(), p.clone())),
    );
    let mut csv = pairs.clone();
    csv.push(("format".into(), "csv".into()));
    let mut json_link = pairs.clone();
    json_link.push(("lang".into(), lang.into()));
    let one = |x: f64| format!("{:.1}", x).replace('.', if lang == "fr" { "," } else { "." });
    let ctx = json!({
        "scope": scope,
        "filtered": source.is_some() || publisher.is_some(),
        "datasets": a.datasets,
        "summary": fill(&t("quality_summary"), &[
            ("n", &number(a.datasets as u64, lang)),
            ("mean", &one(a.mean_total)),
            ("out_of", &one(a.mean_out_of)),
        ]),
        "bands": bands,
        "histogram": histogram,
        "open": open,
        "minimum": fill(&t("quality_minimum_summary"), &[
            ("complete", &number(a.minimum_complete as u64, lang)),
            ("n", &number(a.datasets as u64, lang)),
            ("present", &number(a.minimum_present, lang)),
            ("applicable", &number(a.minimum_applicable, lang)),
        ]),
        "label": (a.labelled > 0).then(|| {
            let max = a.stars.iter().copied().max().unwrap_or(0);
            json!({
                "summary": fill(&t("quality_label_summary"), &[
                    ("n", &number(a.labelled as u64, lang)),
                    ("mean", &one(a.mean_label)),
                    ("undeclared", &one(a.mean_undeclared)),
                ]),
                "stars": a.stars.iter().enumerate().rev().map(|(s, n)| json!({
                    "label": quality_word(lang, "label.stars", &[("stars", &s.to_string())]),
                    "count": number(*n as u64, lang), "share": pct(*n), "width": bar(*n, max),
                })).collect::<Vec<_>>(),
            })
        }),
        "trend": trend(&days, lang, &t),
        "sources": sources,
        "publishers": publishers,
        "csv": href("/api/quality", &csv),
        "json": href("/api/quality", &json_link),
    });
    req.page(&state, StatusCode::OK, "quality.html", "quality", ctx)
}

/// The trend of the last 90 days kept: the mean MQA score per day as an SVG line (0 at the
/// bottom, 405 at the top) with a label in words, and the figures as a table; `None` before any
/// day was kept.
fn trend(days: &[(String, Value)], lang: &str, t: &dyn Fn(&str) -> String) -> Option<Value> {
    const W: f64 = 360.0;
    const H: f64 = 120.0;
    let days = &days[days.len().saturating_sub(90)..];
    if days.is_empty() {
        return None;
    }
    let one = |x: f64| format!("{x:.1}").replace('.', if lang == "fr" { "," } else { "." });
    let mean = |v: &Value| v["mean_total"].as_f64().unwrap_or(0.0);
    let step = if days.len() > 1 {
        W / (days.len() - 1) as f64
    } else {
        0.0
    };
    let points: Vec<(f64, f64)> = days
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let y = H - mean(v) / f64::from(healthcat_quality::MAX_POINTS) * H;
            ((i as f64 * step).round(), y.round())
        })
        .collect();
    let line = points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    let (first, last) = (&days[0], &days[days.len() - 1]);
    Some(json!({
        "width": W, "height": H, "line": line,
        "points": points.iter().map(|(x, y)| json!({"x": x, "y": y})).collect::<Vec<_>>(),
        "label": fill(&t("quality_trend_label"), &[
            ("from", &first.0), ("to", &last.0),
            ("first", &one(mean(&first.1))), ("last", &one(mean(&last.1))),
            ("days", &number(days.len() as u64, lang)),
        ]),
        "rows": days.iter().rev().map(|(d, v)| json!({
            "date": d,
            "datasets": number(v["datasets"].as_u64().unwrap_or(0), lang),
            "mean": one(mean(v)),
            "label": one(v["mean_label"].as_f64().unwrap_or(0.0)),
        })).collect::<Vec<_>>(),
    }))
}
