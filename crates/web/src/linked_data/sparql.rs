//! `/sparql`: a read-only SPARQL 1.1 Query endpoint following the SPARQL 1.1 Protocol.
//!
//! - `GET /sparql?query=…` and `POST /sparql` (a form with `query=…`, or an
//!   `application/sparql-query` body); `default-graph-uri` and `named-graph-uri` choose the
//!   dataset as the protocol says. Updates are refused (403): records are written through the
//!   catalogue's own paths, which validate, keep provenance and index.
//! - The default graph is the union of the published units' graphs; each record is also a named
//!   graph. Bookkeeping and snapshots are invisible ([`healthcat_store::Published`]).
//! - SELECT and ASK answer in JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle, N-Triples,
//!   RDF/XML or JSON-LD — chosen by `Accept`, or by `format=` (`json`, `xml`, `csv`, `tsv`, `ttl`,
//!   `nt`, `rdf`, `jsonld`) for links and the HTML form.
//! - Limits ([`SparqlSettings`]): a query is cancelled at its timeout (10 s by default) and an
//!   answer may hold so many rows or triples; past either, the answer is an error (503 or 400)
//!   when nothing was sent yet, else a broken transfer — never a silently shortened answer. At
//!   most a few queries run at once, on blocking threads, so pages and search keep answering.
//! - `GET /sparql` without a query: the SPARQL service description (RDF), or an HTML form for a
//!   browser. `SERVICE` is not supported: the endpoint never calls other servers.

use crate::kernel::negotiate::RDF_VIEWS;
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_store::Format;
use oxrdf::{GraphName, NamedNode, NamedOrBlankNode};
use sparesults::{QueryResultsFormat, QueryResultsSerializer};
use spareval::{CancellationToken, QueryEvaluationError, QueryEvaluator, QueryResults};
use spargebra::{Query, SparqlParser};
use std::time::Duration;

/// Stack of the threads that parse and evaluate a query: generous, so that the deepest query
/// [`QueryShape`] lets through is far from exhausting it (memory is only committed as used).
const QUERY_STACK: usize = 64 << 20;

/// Answers held back (so an early failure still gets an error status) before streaming starts.
const HOLD: usize = 256 << 10;

/// Result syntaxes of SELECT and ASK: (media type, `format=` name, syntax).
const RESULT_SYNTAXES: [(&str, &str, QueryResultsFormat); 6] = [
    (
        "application/sparql-results+json",
        "json",
        QueryResultsFormat::Json,
    ),
    ("application/json", "json", QueryResultsFormat::Json),
    (
        "application/sparql-results+xml",
        "xml",
        QueryResultsFormat::Xml,
    ),
    ("application/xml", "xml", QueryResultsFormat::Xml),
    ("text/csv", "csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", "tsv", QueryResultsFormat::Tsv),
];

/// A protocol request, from the query string and, for a form post, the body.
#[derive(Default)]
struct Request {
    query: Option<String>,
    update: bool,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    format: Option<String>,
}

impl Request {
    fn add(&mut self, pairs: impl IntoIterator<Item = (String, String)>) -> Result<(), String> {
        for (k, v) in pairs {
            match k.as_str() {
                "query" if self.query.is_some() => {
                    return Err("give the query once".into());
                }
                "query" => self.query = Some(v),
                "update" | "using-graph-uri" | "using-named-graph-uri" => self.update = true,
                "default-graph-uri" => self.default_graphs.push(v),
                "named-graph-uri" => self.named_graphs.push(v),
                "format" | "output" => self.format = Some(v),
                // The form page may carry the reader's language; it does not change the answer.
                "lang" => {}
                other => {
                    return Err(format!(
                        "unknown parameter {other:?}: the endpoint reads query, default-graph-uri, \
                         named-graph-uri and format"
                    ));
                }
            }
        }
        Ok(())
    }
}

fn read_only() -> AppError {
    AppError::refused(
        StatusCode::FORBIDDEN,
        "this SPARQL endpoint is read-only: SPARQL Update is not accepted. Records are written \
         with the write API or by import, which validate them and keep their history.",
    )
}

/// `GET /sparql`.
pub(crate) async fn get(
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let mut req = Request::default();
    if let Err(e) = req.add(crate::kernel::urls::query_pairs(&uri)) {
        return Err(AppError::refused(StatusCode::BAD_REQUEST, e));
    }
    answer(state, uri, headers, req).await
}

/// `POST /sparql`: a form (`query=…`) or an `application/sparql-query` body.
pub(crate) async fn post(
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut req = Request::default();
    if let Err(e) = req.add(crate::kernel::urls::query_pairs(&uri)) {
        return Err(AppError::refused(StatusCode::BAD_REQUEST, e));
    }
    let content_type = crate::kernel::negotiate::content_type(&headers).unwrap_or_default();
    match content_type.as_str() {
        "application/x-www-form-urlencoded" => {
            let pairs =
                form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned()));
            if let Err(e) = req.add(pairs) {
                return Err(AppError::refused(StatusCode::BAD_REQUEST, e));
            }
        }
        "application/sparql-query" => {
            if req.query.is_some() {
                return Err(AppError::refused(
                    StatusCode::BAD_REQUEST,
                    "give the query once",
                ));
            }
            match String::from_utf8(body.to_vec()) {
                Ok(q) => req.query = Some(q),
                Err(_) => {
                    return Err(AppError::refused(
                        StatusCode::BAD_REQUEST,
                        "the query is not UTF-8",
                    ));
                }
            }
        }
        "application/sparql-update" => return Err(read_only()),
        other => {
            return Err(AppError::refused(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "a query is posted as application/x-www-form-urlencoded (query=…) or \
                     application/sparql-query, not {other:?}"
                ),
            ));
        }
    }
    answer(state, uri, headers, req).await
}

async fn answer(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    req: Request,
) -> Result<Response, AppError> {
    if req.update {
        return Err(read_only());
    }
    let Some(text_query) = req.query else {
        return describe_or_form(&state, uri, &headers).await;
    };
    if let Err(e) = state.sparql.shape.check(&text_query) {
        return Err(AppError::refused(StatusCode::BAD_REQUEST, e.to_string()));
    }
    // The parser recurses along the query's nesting: it runs on a thread with a stack of its
    // own, sized for the deepest query the shape check lets through.
    let parsed = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("sparql-parse".into())
            .stack_size(QUERY_STACK)
            .spawn_scoped(scope, || {
                match SparqlParser::new().parse_query(&text_query) {
                    Ok(q) => Ok(q),
                    Err(e) => Err(SparqlParser::new()
                        .parse_update(&text_query)
                        .is_ok()
                        .then_some(())
                        .ok_or(e)),
                }
            })
            .map(|h| h.join())
    });
    let query = match parsed {
        Ok(Ok(Ok(q))) => q,
        Ok(Ok(Err(Ok(())))) => return Err(read_only()),
        Ok(Ok(Err(Err(e)))) => {
            return Err(AppError::refused(
                StatusCode::BAD_REQUEST,
                format!("SPARQL syntax error: {e}"),
            ));
        }
        Ok(Err(_)) | Err(_) => return Err(AppError::internal("the SPARQL parser failed")),
    };
    let graph_query = matches!(query, Query::Construct { .. } | Query::Describe { .. });
    let syntax = if graph_query {
        match choose_rdf(&headers, req.format.as_deref()) {
            Ok(f) => Syntax::Rdf(f),
            Err((status, message)) => return Err(AppError::refused(status, message)),
        }
    } else {
        match choose_results(&headers, req.format.as_deref()) {
            Ok(f) => Syntax::Results(f),
            Err((status, message)) => return Err(AppError::refused(status, message)),
        }
    };
    let mut default_graphs = Vec::new();
    let mut named_graphs = Vec::new();
    for (list, out) in [
        (&req.default_graphs, &mut default_graphs),
        (&req.named_graphs, &mut named_graphs),
    ] {
        for g in list {
            match NamedNode::new(g) {
                Ok(n) => out.push(n),
                Err(e) => {
                    return Err(AppError::refused(
                        StatusCode::BAD_REQUEST,
                        format!("graph IRI {g:?} is not valid: {e}"),
                    ));
                }
            }
        }
    }

    let settings = state.sparql.clone();
    let started = tokio::time::Instant::now();
    let Ok(Ok(permit)) = tokio::time::timeout(
        settings.timeout,
        settings.concurrency.clone().acquire_owned(),
    )
    .await
    else {
        return Err(AppError::refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "the SPARQL endpoint is busy: other queries held every slot for the whole timeout; \
             try again later",
        ));
    };
    let token = CancellationToken::new();
    let remaining = settings.timeout.saturating_sub(started.elapsed());
    let timer = {
        let token = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(remaining).await;
            token.cancel();
        })
    };
    let store = state.store.clone();
    let content_type = syntax.content_type();
    let limits = Limits {
        timeout: settings.timeout,
        max_results: settings.max_results,
    };
    let (writer, pending) = crate::kernel::stream::channel(HOLD);
    // Evaluation recurses along the query's algebra: a thread with the same large stack as the
    // parser's (at most `concurrent` of them, each holding a permit).
    let spawned = std::thread::Builder::new()
        .name("sparql-query".into())
        .stack_size(QUERY_STACK)
        .spawn(move || {
            let _permit = permit;
            let dataset = Dataset {
                default_graphs,
                named_graphs,
            };
            run(&store, &query, dataset, syntax, token, limits, writer);
            timer.abort();
        });
    if let Err(e) = spawned {
        return Err(AppError::internal(format!(
            "cannot start a query thread: {e}"
        )));
    }
    // The evaluator looks at the cancellation between the quads it reads, and a large join can
    // compute for a while without reading any: the client gets its answer at the time limit
    // anyway, and the query's thread stops at its next check (it keeps its slot until then, so
    // runaway queries never outnumber `concurrent_queries`).
    let grace = Duration::from_millis(100);
    let mut res =
        match tokio::time::timeout(remaining + grace, pending.response(&content_type)).await {
            Ok(res) => res,
            Err(_) => AppError::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                timeout_message(limits.timeout),
            )
            .into_response(),
        };
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(res)
}

/// What a query's answer is written as.
#[derive(Clone, Copy)]
enum Syntax {
    Results(QueryResultsFormat),
    Rdf(Format),
}

impl Syntax {
    fn content_type(self) -> String {
        let media = match self {
            Syntax::Results(f) => f.media_type(),
            Syntax::Rdf(f) => f.media_type(),
        };
        format!("{media}; charset=utf-8")
    }
}

fn choose_results(
    headers: &HeaderMap,
    format: Option<&str>,
) -> Result<QueryResultsFormat, (StatusCode, String)> {
    if let Some(name) = format {
        return RESULT_SYNTAXES
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(_, _, f)| *f)
            .ok_or_else(|| {
                (
                    StatusCode::BAD_REQUEST,
                    format!("format {name:?} is not offered for SELECT and ASK: use json, xml, csv or tsv"),
                )
            });
    }
    let offered: Vec<&str> = RESULT_SYNTAXES.iter().map(|(m, _, _)| *m).collect();
    crate::kernel::negotiate::pick(headers, &offered)
        .and_then(|m| RESULT_SYNTAXES.iter().find(|(o, _, _)| *o == m))
        .map(|(_, _, f)| *f)
        .ok_or_else(|| {
            (
                StatusCode::NOT_ACCEPTABLE,
                format!(
                    "SELECT and ASK results are offered as {}",
                    offered.join(", ")
                ),
            )
        })
}

fn choose_rdf(headers: &HeaderMap, format: Option<&str>) -> Result<Format, (StatusCode, String)> {
    if let Some(name) = format {
        return RDF_VIEWS
            .iter()
            .find(|f| f.name() == name)
            .copied()
            .ok_or_else(|| {
                (
                    StatusCode::BAD_REQUEST,
                    format!("format {name:?} is not offered for CONSTRUCT and DESCRIBE: use ttl, nt, rdf or jsonld"),
                )
            });
    }
    let offered: Vec<&str> = RDF_VIEWS.iter().map(|f| f.media_type()).collect();
    crate::kernel::negotiate::pick(headers, &offered)
        .and_then(|m| RDF_VIEWS.iter().find(|f| f.media_type() == m))
        .copied()
        .ok_or_else(|| {
            (
                StatusCode::NOT_ACCEPTABLE,
                format!(
                    "CONSTRUCT and DESCRIBE results are offered as {}",
                    offered.join(", ")
                ),
            )
        })
}

/// The protocol's dataset, when the request chose one.
struct Dataset {
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
}

#[derive(Clone, Copy)]
struct Limits {
    timeout: Duration,
    max_results: u64,
}

/// Why an answer stopped.
enum Stop {
    Timeout,
    TooMany,
    Gone,
    Failed(String),
}

impl From<QueryEvaluationError> for Stop {
    fn from(e: QueryEvaluationError) -> Self {
        match e {
            QueryEvaluationError::Cancelled => Stop::Timeout,
            other => Stop::Failed(other.to_string()),
        }
    }
}

impl From<std::io::Error> for Stop {
    fn from(_: std::io::Error) -> Self {
        Stop::Gone
    }
}

fn timeout_message(timeout: Duration) -> String {
    format!(
        "the query was stopped after {} s, the endpoint's time limit ([sparql] timeout_seconds): \
         make it more selective, or page it with LIMIT and OFFSET",
        timeout.as_secs_f64()
    )
}

/// Evaluates `query` and writes its answer (blocking).
fn run(
    store: &healthcat_store::Store,
    query: &Query,
    dataset: Dataset,
    syntax: Syntax,
    token: CancellationToken,
    limits: Limits,
    mut writer: crate::kernel::stream::BodyWriter,
) {
    let result = (|| -> Result<(), Stop> {
        let evaluator = QueryEvaluator::new().with_cancellation_token(token);
        let mut prepared = evaluator.prepare(query);
        if !dataset.default_graphs.is_empty() {
            prepared.dataset_mut().set_default_graph(
                dataset
                    .default_graphs
                    .into_iter()
                    .map(GraphName::NamedNode)
                    .collect(),
            );
        }
        if !dataset.named_graphs.is_empty() {
            prepared.dataset_mut().set_available_named_graphs(
                dataset
                    .named_graphs
                    .into_iter()
                    .map(NamedOrBlankNode::NamedNode)
                    .collect(),
            );
        }
        let results = prepared.execute(store.published())?;
        let too_many = |n: u64| n > limits.max_results;
        match (results, syntax) {
            (QueryResults::Boolean(b), Syntax::Results(f)) => {
                QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(&mut writer, b)?;
            }
            (QueryResults::Solutions(solutions), Syntax::Results(f)) => {
                let mut out = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(&mut writer, solutions.variables().to_vec())?;
                let mut n = 0u64;
                for s in solutions {
                    let s = s?;
                    n += 1;
                    if too_many(n) {
                        return Err(Stop::TooMany);
                    }
                    out.serialize(s.iter())?;
                }
                out.finish()?;
            }
            (QueryResults::Graph(triples), Syntax::Rdf(f)) => {
                let mut out = healthcat_store::TripleWriter::new(&mut writer, f)
                    .map_err(|e| Stop::Failed(e.to_string()))?;
                let mut n = 0u64;
                for t in triples {
                    let t = t?;
                    n += 1;
                    if too_many(n) {
                        return Err(Stop::TooMany);
                    }
                    out.write(t.as_ref()).map_err(|_| Stop::Gone)?;
                }
                out.finish().map_err(|_| Stop::Gone)?;
            }
            _ => return Err(Stop::Failed("query form and answer syntax disagree".into())),
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            let _ = writer.finish();
        }
        Err(Stop::Gone) => {}
        Err(Stop::Timeout) => writer.fail(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout_message(limits.timeout),
        ),
        Err(Stop::TooMany) => writer.fail(
            StatusCode::BAD_REQUEST,
            format!(
                "the answer has more than {} rows or triples, the endpoint's limit ([sparql] \
                 max_results): page it with ORDER BY, LIMIT and OFFSET",
                limits.max_results
            ),
        ),
        Err(Stop::Failed(e)) => writer.fail(
            StatusCode::BAD_REQUEST,
            format!("the query could not be evaluated: {e}"),
        ),
    }
}

/// `GET /sparql` without a query: the form for a browser, else the service description.
async fn describe_or_form(
    state: &AppState,
    uri: Uri,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let mut offered: Vec<&str> = RDF_VIEWS.iter().map(|f| f.media_type()).collect();
    offered.insert(1, "text/html");
    let Some(chosen) = crate::kernel::negotiate::pick(headers, &offered) else {
        return Err(AppError::refused(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "the service description is offered as {}",
                offered.join(", ")
            ),
        ));
    };
    let mut res = if chosen == "text/html" {
        form(state, uri, headers)?
    } else {
        let format = RDF_VIEWS
            .iter()
            .find(|f| f.media_type() == chosen)
            .copied()
            .unwrap_or(Format::Turtle);
        let base = crate::kernel::negotiate::base_url(headers);
        let triples = healthcat_publish::sparql::service_description(&base);
        let bytes = healthcat_store::write_triples(&triples, Vec::new(), format)?;
        (
            [(
                header::CONTENT_TYPE,
                format!("{}; charset=utf-8", format.media_type()),
            )],
            bytes,
        )
            .into_response()
    };
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(res)
}

fn form(state: &AppState, uri: Uri, headers: &HeaderMap) -> Result<Response, AppError> {
    let req = Req::new(state, uri, headers);
    let example = "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n\
                   PREFIX dct: <http://purl.org/dc/terms/>\n\n\
                   SELECT ?dataset ?title WHERE {\n  ?dataset a dcat:Dataset ; dct:title ?title .\n}\n\
                   ORDER BY ?dataset\nLIMIT 20\n";
    req.page(
        state,
        StatusCode::OK,
        "sparql.html",
        "api",
        serde_json::json!({
            "example": example,
            "limits": crate::kernel::i18n::fill(
                &req.t(state, "sparql_limits"),
                &[
                    ("timeout", &crate::kernel::i18n::number(state.sparql.timeout.as_secs(), req.lang)),
                    ("max", &crate::kernel::i18n::number(state.sparql.max_results, req.lang)),
                ],
            ),
        }),
    )
}

#[cfg(test)]
mod tests;
