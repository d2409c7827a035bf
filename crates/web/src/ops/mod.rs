//! The operations area: what a service manager, a load balancer and Prometheus ask.
//!
//! - `GET /healthz` — the process answers (liveness): always `ok`.
//! - `GET /readyz` — the store answers and the search index has every write (readiness): 200
//!   `{"ready": true, …}`, else 503 with what is wrong (from the message catalogues, in the
//!   language asked), so a load balancer sends no traffic to a replica whose index lags or whose
//!   store fails.
//! - `GET /metrics` — the OpenMetrics text format (which Prometheus reads): requests by route
//!   pattern, method and status with latency histograms (kernel), and read at each scrape the
//!   records and units stored, the store's size on disk and its write-buffer flushes, the
//!   index's documents and lag, each harvest source's last run, the background queues (outbox
//!   backlog, links due and failing, reminders not sent; [`crate::kernel::metrics::Queues`]),
//!   and the process's resident memory.

use crate::kernel::{AppError, AppState, blocking};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::{Registry, Unit};
use serde_json::json;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// `GET /readyz`: what is wrong is said in the language the caller asks (`Accept-Language`,
/// else the catalogue's).
async fn readyz(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let lang = state.site.negotiate(None, &headers).lang;
    let said = |key: &str, values: &[(&str, &str)]| {
        AppError::refused(
            StatusCode::SERVICE_UNAVAILABLE,
            crate::kernel::i18n::fill(&state.site.msg(lang, key), values),
        )
    };
    let lag = state.search.lag();
    let store = state.store.clone();
    let in_step = state.search.in_step_at();
    // An index in step with the store at its feed head holds exactly its records: nothing to
    // count. Else the records as the catalogue pages count them (the id list, kept between
    // writes), not `Store::counts`, which walks every quad: a probe every few seconds must stay
    // cheap at a million records. A remote store is asked for its feed's head, which also says it
    // answers.
    let records = blocking(move || {
        store.sync_with_store()?;
        if in_step.is_some_and(|head| head == store.feed_head()) {
            return Ok(None);
        }
        Ok(Some(store.page(0, 0)?.0 as u64))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = ?e, "readiness: the store does not answer");
        said("not_ready_store", &[])
    })?;
    let indexed = state.search.len();
    let records = records.unwrap_or(indexed);
    if lag.changes_behind > 0 {
        return Err(said(
            "not_ready_following",
            &[("behind", &lag.changes_behind.to_string())],
        ));
    }
    if lag.lost || lag.writers > 0 || indexed != records {
        let key = if lag.lost {
            "not_ready_index_lost"
        } else {
            "not_ready_index"
        };
        return Err(said(
            key,
            &[
                ("records", &records.to_string()),
                ("indexed", &indexed.to_string()),
                ("writers", &lag.writers.to_string()),
            ],
        ));
    }
    Ok(
        axum::Json(json!({ "ready": true, "records": records, "indexed": indexed }))
            .into_response(),
    )
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabel {
    source: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RunLabel {
    source: String,
    status: String,
}

/// `GET /metrics`
async fn metrics(State(state): State<AppState>) -> Result<Response, AppError> {
    let text = blocking(move || {
        let mut registry = Registry::default();
        state.metrics.register(&mut registry);
        read_figures(&state, &mut registry)?;
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry)
            .map_err(|e| AppError::internal(format!("encoding the metrics: {e}")))?;
        Ok(text)
    })
    .await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// The figures read at each scrape, registered in `registry`.
fn read_figures(state: &AppState, registry: &mut Registry) -> Result<(), AppError> {
    let counts = state.store.unit_counts()?;
    let units: Family<KindLabel, Gauge> = Family::default();
    for (kind, n) in [
        ("dataset", counts.datasets),
        ("data_service", counts.services),
        ("dataset_series", counts.series),
        ("catalog", counts.catalogs),
        ("shared_resource", counts.resources),
    ] {
        units
            .get_or_create(&KindLabel { kind: kind.into() })
            .set(n as i64);
    }
    registry.register("healthcat_store_units", "Units stored, by kind", units);
    let data_dir = &state.harvest.data_dir;
    let bytes: Gauge = Gauge::default();
    bytes.set(healthcat_store::store_bytes(data_dir) as i64);
    registry.register_with_unit(
        "healthcat_store_size",
        "The store's files on disk",
        Unit::Bytes,
        bytes,
    );
    let flushes: prometheus_client::metrics::counter::Counter = Default::default();
    flushes.inc_by(state.store.write_buffer_flushes());
    registry.register(
        "healthcat_store_write_buffer_flushes",
        "Times the store flushed its write buffers to disk since the server started (every 250,000 quads written by transactions)",
        flushes,
    );
    let indexed: Gauge = Gauge::default();
    indexed.set(state.search.len() as i64);
    registry.register(
        "healthcat_index_documents",
        "Records in the search index",
        indexed,
    );
    let lag = state.search.lag();
    let behind: Gauge = Gauge::default();
    behind.set((counts.records() as i64 - state.search.len() as i64).abs());
    registry.register(
        "healthcat_index_lag_records",
        "Difference between the records stored and the records indexed",
        behind,
    );
    let in_flight: Gauge = Gauge::default();
    in_flight.set(lag.writers as i64);
    registry.register(
        "healthcat_index_writes_in_flight",
        "Writes stored or being stored and not yet in the search index",
        in_flight,
    );
    let following: Gauge = Gauge::default();
    following.set(lag.changes_behind as i64);
    registry.register(
        "healthcat_index_changes_behind",
        "Changes other servers wrote to the shared store that the search index does not have yet (0 on an embedded store)",
        following,
    );
    let lost: Gauge = Gauge::default();
    lost.set(i64::from(lag.lost));
    registry.register(
        "healthcat_index_missed_write",
        "1 when a write did not reach the search index since the server started (repaired at the next start or by `healthcat reindex`)",
        lost,
    );
    harvest_figures(state, registry);
    if let Some(rss) = resident_bytes() {
        let g: Gauge = Gauge::default();
        g.set(rss as i64);
        registry.register_with_unit(
            "process_resident_memory",
            "Resident memory of the healthcat process",
            Unit::Bytes,
            g,
        );
    }
    Ok(())
}

/// Each configured harvest source's last run: when it finished, how long it took, its status.
fn harvest_figures(state: &AppState, registry: &mut Registry) {
    let finished: Family<SourceLabel, Gauge<f64, std::sync::atomic::AtomicU64>> = Family::default();
    let duration: Family<SourceLabel, Gauge<f64, std::sync::atomic::AtomicU64>> = Family::default();
    let status: Family<RunLabel, Gauge> = Family::default();
    let runs: Family<SourceLabel, Gauge> = Family::default();
    for source in &state.harvest.sources {
        let dir = state.harvest.state(&source.id);
        let label = SourceLabel {
            source: source.id.clone(),
        };
        runs.get_or_create(&label).set(dir.run_names().len() as i64);
        let Some(last) = dir.last() else { continue };
        if let Some(t) = last["finished"]
            .as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        {
            finished
                .get_or_create(&label)
                .set(t.as_millisecond() as f64 / 1000.0);
        }
        if let Some(d) = last["duration_seconds"].as_f64() {
            duration.get_or_create(&label).set(d);
        }
        if let Some(s) = last["status"].as_str() {
            status
                .get_or_create(&RunLabel {
                    source: source.id.clone(),
                    status: s.to_owned(),
                })
                .set(1);
        }
    }
    registry.register(
        "healthcat_harvest_runs_kept",
        "Run reports kept for each harvest source",
        runs,
    );
    registry.register(
        "healthcat_harvest_last_run_finished_timestamp_seconds",
        "When each harvest source's last run finished (Unix time)",
        finished,
    );
    registry.register_with_unit(
        "healthcat_harvest_last_run_duration",
        "How long each harvest source's last run took",
        Unit::Seconds,
        duration,
    );
    registry.register(
        "healthcat_harvest_last_run_status",
        "1 for the status of each harvest source's last run (ok, partial, failed, guarded…)",
        status,
    );
}

/// The process's resident memory, from `/proc/self/status` (Linux); `None` elsewhere.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use crate::kernel::testing::{get, get_with, import, state};
    use axum::http::StatusCode;

    #[tokio::test]
    async fn a_server_whose_index_lags_the_store_is_not_ready_and_says_why() {
        let st = state();
        let (store, app) = (st.store.clone(), crate::app(st));
        let ready = get(&app, "/readyz").await;
        assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
        // A record stored behind the index's back (what a write that failed midway leaves).
        import(
            &store,
            "<https://ex.org/d/new> a <http://www.w3.org/ns/dcat#Dataset> .",
        );
        let lagging = get_with(&app, "/readyz", &[("accept-language", "en")]).await;
        assert_eq!(lagging.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            lagging.body.contains("the search index lags the store")
                && lagging.body.contains("3 records stored, 2 indexed"),
            "{}",
            lagging.body
        );
        // In the language asked.
        let french = get_with(&app, "/readyz", &[("accept-language", "fr")]).await;
        assert!(
            french.body.contains("l’index de recherche est en retard")
                && french.body.contains("3 fiches stockées, 2 indexées"),
            "{}",
            french.body
        );
        // Alive all the same.
        assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
        let metrics = get(&app, "/metrics").await;
        assert!(
            metrics.body.contains("healthcat_index_lag_records 1"),
            "{}",
            metrics.body
        );
    }
}
