//! What every request leaves behind: a request id (the caller's `X-Request-Id` when it is a
//! plain token, else a new one), given back in the answer's `X-Request-Id` and carried by every log
//! line written while answering (span `request`); one log line when it is answered (level info:
//! route pattern, method, status, milliseconds — no address, no query text, no user); and its
//! measurement for `/metrics`: counted by route pattern (never the address asked, so the labels
//! stay few), method and status, with its latency in a histogram. The `ops` area adds what it
//! reads at scrape time (records, index, harvests, memory) and writes the whole in the OpenMetrics
//! text format.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

/// The labels of one request's measurement.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route's pattern (`/datasets/{id}`), or `unmatched`.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// The answer's status code.
    pub status: u16,
}

/// Latency buckets: 0.5 ms to about 16 s, doubling.
fn latency() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.0005, 2.0, 16,
    ))
}

/// The request measurements of one server.
pub struct Metrics {
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Family::new_with_constructor(latency as fn() -> Histogram),
        }
    }
}

impl Metrics {
    /// Registers the request measurements in `registry` (a new one at every scrape: the other
    /// figures are read then).
    pub fn register(&self, registry: &mut Registry) {
        registry.register_with_unit(
            "healthcat_http_request_duration",
            "Time to answer HTTP requests, by route pattern, method and status",
            Unit::Seconds,
            self.requests.clone(),
        );
    }
}

/// The request id header.
const REQUEST_ID: &str = "x-request-id";

/// The caller's request id when it is a plain token (a proxy's), else a new one: this process's
/// start time and a counter, unique per process without randomness to wait for.
fn request_id(req: &Request) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    if let Some(given) = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok())
        && !given.is_empty()
        && given.len() <= 64
        && given
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return given.to_owned();
    }
    let start = START.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{start:x}-{n}")
}

/// Middleware: gives every request an id, logs and measures it.
pub async fn record(
    State(metrics): State<std::sync::Arc<Metrics>>,
    req: Request,
    next: Next,
) -> Response {
    use tracing::Instrument;
    let started = std::time::Instant::now();
    let id = request_id(&req);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    // Methods a client makes up are one label, not one each.
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "PATCH" | "OPTIONS") => m,
        _ => "other",
    }
    .to_owned();
    let span = tracing::info_span!("request", id = %id, method = %method, route = %route);
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    span.in_scope(|| tracing::info!(status, ms = seconds * 1000.0, "answered"));
    if let Ok(value) = axum::http::HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status,
        })
        .observe(seconds);
    response
}
