//! What every request leaves behind: a request id (the caller's `X-Request-Id` when it is a
//! plain token, else a new one), given back in the answer's `X-Request-Id` and carried by every log
//! line written while answering (span `request`); one log line when it is answered (level info:
//! route pattern, method, status, milliseconds — no address, no query text, no user); and its
//! measurement for `/metrics`: counted by route pattern (never the address asked, so the labels
//! stay few), method and status, with its latency in a histogram; and the background [`Queues`]
//! (outbox, link checker, reminders) as the loops that work them report. The `ops` area adds what
//! it reads at scrape time (records, index, harvests, memory) and writes the whole in the
//! OpenMetrics text format.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
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

/// The request measurements of one server, and its background queues.
pub struct Metrics {
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    /// The work waiting in the background (outbox, link checker, reminders).
    pub queues: Queues,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Family::new_with_constructor(latency as fn() -> Histogram),
            queues: Queues::default(),
        }
    }
}

/// A queue's figures read at scrape time: `(state, items)` pairs, or why they could not be read.
type Reader = Box<dyn Fn() -> Result<Vec<(&'static str, u64)>, String> + Send + Sync>;

/// The background queues of a server (the outbox towards the parent, the link checker, the annual
/// review's reminders), as the loops that work them report: each queue's items by state — read
/// live at each scrape when the loop gave a reader, else as its last run left them — and when
/// its last run ended. A queue whose loop does not run in this process (not configured) is not
/// reported at all.
#[derive(Default)]
pub struct Queues {
    live: std::sync::Mutex<Vec<(&'static str, Reader)>>,
    last: std::sync::Mutex<std::collections::BTreeMap<&'static str, LastRun>>,
}

/// What a queue's last run left.
struct LastRun {
    /// Unix time, seconds.
    ended: f64,
    /// Items by state, when no reader gives them live.
    items: Vec<(&'static str, u64)>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabel {
    queue: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueStateLabel {
    queue: String,
    state: String,
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Queues {
    /// Reads `queue`'s items at each scrape with `reader` (cheap: it runs on every scrape).
    pub fn read_live(
        &self,
        queue: &'static str,
        reader: impl Fn() -> Result<Vec<(&'static str, u64)>, String> + Send + Sync + 'static,
    ) {
        lock(&self.live).push((queue, Box::new(reader)));
    }

    /// Records that a run of `queue` ended now, leaving `items` by state (ignored for the states
    /// a live reader gives).
    pub fn ran(&self, queue: &'static str, items: Vec<(&'static str, u64)>) {
        let ended = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        lock(&self.last).insert(queue, LastRun { ended, items });
    }

    /// Registers the queues' figures in `registry`: `healthcat_queue_items{queue,state}` and
    /// `healthcat_queue_last_run_timestamp_seconds{queue}`; a live reader that fails is logged and
    /// its queue left out (never a wrong figure).
    pub fn register(&self, registry: &mut Registry) {
        let items: Family<QueueStateLabel, Gauge> = Family::default();
        let ended: Family<QueueLabel, Gauge<f64, std::sync::atomic::AtomicU64>> = Family::default();
        let set = |queue: &str, state: &str, n: u64| {
            items
                .get_or_create(&QueueStateLabel {
                    queue: queue.to_owned(),
                    state: state.to_owned(),
                })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        };
        let mut read = std::collections::HashSet::new();
        for (queue, reader) in lock(&self.live).iter() {
            match reader() {
                Ok(figures) => {
                    for (state, n) in figures {
                        set(queue, state, n);
                        read.insert((*queue, state));
                    }
                }
                Err(e) => {
                    tracing::warn!(queue = *queue, error = %e, "metrics: a queue could not be read")
                }
            }
        }
        for (queue, last) in lock(&self.last).iter() {
            for &(state, n) in &last.items {
                if !read.contains(&(*queue, state)) {
                    set(queue, state, n);
                }
            }
            ended
                .get_or_create(&QueueLabel {
                    queue: (*queue).to_owned(),
                })
                .set(last.ended);
        }
        registry.register(
            "healthcat_queue_items",
            "Work waiting in the background, by queue (outbox, links, reminders) and state",
            items,
        );
        registry.register(
            "healthcat_queue_last_run_timestamp_seconds",
            "When each background queue's last run ended (Unix time)",
            ended,
        );
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
        self.queues.register(registry);
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
