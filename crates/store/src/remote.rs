//! The store on a remote SPARQL 1.1 server (Oxigraph server, Apache Jena Fuseki, Virtuoso,
//! GraphDB…): the few reads and writes [`crate::engine`] needs, said in the SPARQL 1.1 Protocol
//! (queries) and SPARQL 1.1 Update.
//!
//! - **Reads** are `SELECT` queries, their results streamed as they arrive
//!   (`application/sparql-results+json`).
//! - **Writes** of one transaction are one update request (`CLEAR`, `DELETE DATA`, `INSERT DATA`
//!   operations in order, one per graph), which a SPARQL 1.1 server applies as a whole or not at all: a record's
//!   graph, bookkeeping, revision and change-feed event are never half-written.
//! - **Blank nodes** cannot be named across requests in SPARQL (a `_:b` in a query is a variable,
//!   in `INSERT DATA` a new node, and `DELETE DATA` refuses them), so they are stored as skolem
//!   IRIs under [`GENID`] and turned back into the same blank nodes when read (RDF 1.1 Concepts,
//!   §3.5). Nothing else changes: the store's own literal wrapping (`codec`) already gives every
//!   engine the exact lexical forms to keep.
//! - **Strings** are written with their datatype said (`"…"^^xsd:string`, the same term): see
//!   `Said` for the engine that needs it.
//! - healthcat writes named graphs only; the server's default graph is neither read nor written
//!   (engines disagree on what it is: Virtuoso and Fuseki can make it the union of all graphs).
//!
//! Every request has a time limit; no redirect is followed and no proxy is taken from the
//! environment: healthcat talks to the configured server only.

use crate::engine::Quads;
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef,
};
use oxigraph::sparql::QuerySolution;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::store::StorageError;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::time::Duration;

/// Where blank nodes are kept as IRIs: `.invalid` is reserved (RFC 2606), so these IRIs are
/// nobody's and never resolve.
pub const GENID: &str = "https://healthcat.invalid/.well-known/genid/";

/// The media type of the results healthcat asks for.
const RESULTS: &str = "application/sparql-results+json";

/// How much of an error answer is quoted in the message.
const QUOTED_ANSWER_BYTES: usize = 600;

/// The remote store's endpoints and limits (`[store]` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteConfig {
    /// The SPARQL 1.1 Protocol query endpoint.
    pub query: String,
    /// The SPARQL 1.1 Update endpoint.
    pub update: String,
    /// Time allowed for a read (a query and its whole answer).
    pub read_timeout: Duration,
    /// Time allowed for a write (an update request; an import of many records is one).
    pub write_timeout: Duration,
    /// Most statements one request of an import that only adds carries (it also stays under
    /// 16 MiB). Servers limit what one update may hold: Virtuoso 7 refuses more than about
    /// 1,000 statements.
    pub statements_per_update: usize,
}

/// The default of [`RemoteConfig::statements_per_update`].
pub const STATEMENTS_PER_UPDATE: usize = 100_000;

impl RemoteConfig {
    /// The endpoints of a server at `base`, named as Oxigraph server names them (`{base}/query`,
    /// `{base}/update`); reads get 30 s, writes 10 minutes. An address that is not `http://` or
    /// `https://` is refused with the reason.
    pub fn new(base: &str) -> Result<Self, RemoteError> {
        let base = base.trim_end_matches('/');
        check_url("the store's address", base)?;
        Ok(Self {
            query: format!("{base}/query"),
            update: format!("{base}/update"),
            read_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(600),
            statements_per_update: STATEMENTS_PER_UPDATE,
        })
    }

    /// The same server with its query endpoint at `url`.
    pub fn with_query(mut self, url: &str) -> Result<Self, RemoteError> {
        check_url("the store's query endpoint", url)?;
        self.query = url.to_owned();
        Ok(self)
    }

    /// The same server with its update endpoint at `url`.
    pub fn with_update(mut self, url: &str) -> Result<Self, RemoteError> {
        check_url("the store's update endpoint", url)?;
        self.update = url.to_owned();
        Ok(self)
    }
}

fn check_url(what: &'static str, url: &str) -> Result<(), RemoteError> {
    let parsed: Result<ureq::http::Uri, _> = url.parse();
    match parsed {
        Ok(u) if matches!(u.scheme_str(), Some("http" | "https")) && u.host().is_some() => Ok(()),
        _ => Err(RemoteError::BadAddress {
            what,
            url: url.to_owned(),
        }),
    }
}

/// What went wrong talking to the remote store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// A configured address is not an HTTP(S) URL.
    #[error(
        "{what} '{url}' is not an http:// or https:// address (for example http://127.0.0.1:7878)"
    )]
    BadAddress {
        /// Which address.
        what: &'static str,
        /// As given.
        url: String,
    },
    /// No answer: the server is down, unreachable, or too slow.
    #[error(
        "the remote store at {url} did not answer: {error}; check that it is running and that --store-url (HEALTHCAT_STORE_URL, [store] url) names it"
    )]
    Unreachable {
        /// The endpoint.
        url: String,
        /// Why.
        error: String,
    },
    /// An answer that is an HTTP error.
    #[error("the remote store at {url} answered {status}: {answer}")]
    Status {
        /// The endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The start of its answer.
        answer: String,
    },
    /// An answer that is not SPARQL results healthcat can read.
    #[error("the remote store at {url} answered with results healthcat cannot read: {error}")]
    Results {
        /// The endpoint.
        url: String,
        /// The parser's message.
        error: String,
    },
    /// Something only the embedded store can do.
    #[error("{0} is not possible on a remote store: its operator backs it up and restores it")]
    Unsupported(&'static str),
}

impl RemoteError {
    /// Whether the store cannot be used right now (a server down, slow or failing) rather than
    /// refusing this one request: readers answer "unavailable" (HTTP 503) and may try again.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }

    fn storage(self) -> StorageError {
        StorageError::Io(std::io::Error::other(self))
    }
}

/// The remote store's client.
pub(crate) struct Remote {
    config: RemoteConfig,
    reads: ureq::Agent,
    writes: ureq::Agent,
    /// This process's name among the servers writing to the store (random, new at each
    /// start): what only one server may rewrite — its own usage counters — carries it.
    writer: String,
}

/// A random name for this process among the store's writers (see [`Remote::writer`]): 64 bits
/// from the operating system, or from the clock and the process id if it has none to give.
fn writer_name() -> String {
    let mut bytes = [0u8; 8];
    let n = match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => {
            let nanos = jiff::Timestamp::now().as_nanosecond() as u64;
            nanos ^ (u64::from(std::process::id()) << 40)
        }
    };
    format!("{n:016x}")
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout.min(Duration::from_secs(5))))
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .user_agent(concat!("healthcat/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

impl Remote {
    pub(crate) fn new(config: RemoteConfig) -> Self {
        Self {
            reads: agent(config.read_timeout),
            writes: agent(config.write_timeout),
            config,
            writer: writer_name(),
        }
    }

    /// This process's name among the servers writing to the store.
    pub(crate) fn writer(&self) -> &str {
        &self.writer
    }

    /// The endpoints, for messages and `/healthz`.
    pub(crate) fn config(&self) -> &RemoteConfig {
        &self.config
    }

    /// Sends `query` and returns the answer's body, once its status says it is results. The
    /// query goes URL-encoded in a POST body, the form every SPARQL 1.1 server takes (Virtuoso 7
    /// does not answer a query sent as `application/sparql-query`).
    fn ask(&self, query: &str) -> Result<ureq::Body, RemoteError> {
        let url = &self.config.query;
        let form: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", query)
            .finish();
        let response = self
            .reads
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", RESULTS)
            .send(form)
            .map_err(|e| RemoteError::Unreachable {
                url: url.clone(),
                error: e.to_string(),
            })?;
        checked(url, response)
    }

    /// The solutions of `query`, streamed, with blank nodes given back.
    pub(crate) fn solutions(
        &self,
        query: &str,
    ) -> Result<impl Iterator<Item = Result<QuerySolution, StorageError>> + use<>, StorageError>
    {
        let url = self.config.query.clone();
        let body = self.ask(query).map_err(RemoteError::storage)?;
        let results_error = {
            let url = url.clone();
            move |e: &dyn std::fmt::Display| {
                RemoteError::Results {
                    url: url.clone(),
                    error: e.to_string(),
                }
                .storage()
            }
        };
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(body.into_reader())
            .map_err(|e| results_error(&e))?;
        let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(results_error(&"a boolean where solutions were asked for"));
        };
        Ok(solutions.map(move |s| match s {
            Ok(s) => {
                let variables: std::sync::Arc<[oxigraph::sparql::Variable]> = s.variables().into();
                let values: Vec<Option<Term>> =
                    s.values().iter().map(|v| v.clone().map(unskolem)).collect();
                Ok(QuerySolution::from((variables, values)))
            }
            Err(e) => Err(results_error(&e)),
        }))
    }

    /// The quads matching a pattern, in named graphs only.
    pub(crate) fn quads_for_pattern(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'static> {
        let graph = match graph {
            Some(GraphNameRef::DefaultGraph) => return Box::new(std::iter::empty()),
            Some(GraphNameRef::NamedNode(g)) => Some(Term::from(g.into_owned())),
            Some(GraphNameRef::BlankNode(b)) => Some(Term::from(skolem(b.as_str()))),
            None => None,
        };
        let subject = subject.map(|s| skolem_term(s.into()));
        let predicate = predicate.map(|p| Term::from(p.into_owned()));
        let object = object.map(skolem_term);
        let slot = |t: &Option<Term>, var: &str| match t {
            Some(t) => Said(t).to_string(),
            None => format!("?{var}"),
        };
        let query = format!(
            "SELECT * WHERE {{ GRAPH {} {{ {} {} {} }} }}",
            slot(&graph, "g"),
            slot(&subject, "s"),
            slot(&predicate, "p"),
            slot(&object, "o"),
        );
        let solutions = match self.solutions(&query) {
            Ok(s) => s,
            Err(e) => return Box::new(std::iter::once(Err(e))),
        };
        Box::new(solutions.map(move |row| {
            let row = row?;
            let take = |fixed: &Option<Term>, var: &str| match fixed {
                Some(t) => Some(unskolem(t.clone())),
                None => row.get(var).cloned(),
            };
            let bad = |what: &str| {
                StorageError::Io(std::io::Error::other(format!(
                    "the remote store answered a pattern query without a {what}"
                )))
            };
            let s = match take(&subject, "s").ok_or_else(|| bad("subject"))? {
                Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
                Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
                _ => return Err(bad("subject that is a node")),
            };
            let Some(Term::NamedNode(p)) = take(&predicate, "p") else {
                return Err(bad("predicate"));
            };
            let o = take(&object, "o").ok_or_else(|| bad("object"))?;
            let g = match take(&graph, "g").ok_or_else(|| bad("graph"))? {
                Term::NamedNode(n) => GraphName::NamedNode(n),
                Term::BlankNode(b) => GraphName::BlankNode(b),
                _ => return Err(bad("graph that is a node")),
            };
            Ok(Quad::new(s, p, o, g))
        }))
    }

    /// Whether a query has at least one solution.
    fn any(&self, query: &str) -> Result<bool, StorageError> {
        Ok(self.solutions(query)?.next().transpose()?.is_some())
    }

    /// Asks the server the smallest query there is: an error says it cannot be used.
    pub(crate) fn ping(&self) -> Result<(), StorageError> {
        self.any("SELECT * WHERE { } LIMIT 1").map(|_| ())
    }

    /// Whether the named graph holds anything.
    pub(crate) fn contains_named_graph(
        &self,
        graph: NamedNodeRef<'_>,
    ) -> Result<bool, StorageError> {
        self.any(&format!(
            "SELECT * WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} LIMIT 1"
        ))
    }

    /// The named graphs holding something.
    pub(crate) fn named_graphs(
        &self,
    ) -> Box<dyn Iterator<Item = Result<NamedOrBlankNode, StorageError>>> {
        match self.solutions("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") {
            Ok(rows) => Box::new(rows.filter_map(|row| match row {
                Ok(row) => match row.get("g") {
                    Some(Term::NamedNode(n)) => Some(Ok(n.clone().into())),
                    Some(Term::BlankNode(b)) => Some(Ok(b.clone().into())),
                    _ => None,
                },
                Err(e) => Some(Err(e)),
            })),
            Err(e) => Box::new(std::iter::once(Err(e))),
        }
    }

    /// Quads in named graphs.
    pub(crate) fn len(&self) -> Result<usize, StorageError> {
        let mut rows = self.solutions("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")?;
        match rows.next().transpose()? {
            Some(row) => match row.get("n") {
                Some(Term::Literal(l)) => l.value().parse().map_err(|_| {
                    RemoteError::Results {
                        url: self.config.query.clone(),
                        error: format!("a count that is not a number: {l}"),
                    }
                    .storage()
                }),
                _ => Ok(0),
            },
            None => Ok(0),
        }
    }

    /// Sends one update request with the `length` bytes of `body`; `Ok` once the server says
    /// it is applied. The length is said up front: Virtuoso 7 closes the connection on a
    /// chunked request.
    fn update(&self, body: impl Read + Send + 'static, length: u64) -> Result<(), StorageError> {
        let url = &self.config.update;
        let response = self
            .writes
            .post(url)
            .header("Content-Type", "application/sparql-update; charset=utf-8")
            .header("Content-Length", length.to_string())
            .send(ureq::SendBody::from_owned_reader(body))
            .map_err(|e| {
                RemoteError::Unreachable {
                    url: url.clone(),
                    error: e.to_string(),
                }
                .storage()
            })?;
        checked(url, response).map_err(RemoteError::storage)?;
        Ok(())
    }
}

/// The body of a 2xx answer, or the error its status says.
fn checked(
    url: &str,
    mut response: ureq::http::Response<ureq::Body>,
) -> Result<ureq::Body, RemoteError> {
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return Ok(response.into_body());
    }
    let mut answer = Vec::new();
    let _ = response
        .body_mut()
        .as_reader()
        .take(QUOTED_ANSWER_BYTES as u64)
        .read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).trim().to_owned();
    Err(RemoteError::Status {
        url: url.to_owned(),
        status,
        answer: if answer.is_empty() {
            "(no message)".to_owned()
        } else {
            answer
        },
    })
}

/// The IRI a blank node is kept under.
fn skolem(id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{GENID}{id}"))
}

fn skolem_term(t: TermRef<'_>) -> Term {
    match t {
        TermRef::BlankNode(b) => skolem(b.as_str()).into(),
        other => other.into_owned(),
    }
}

fn skolem_graph(g: GraphNameRef<'_>) -> Term {
    match g {
        GraphNameRef::NamedNode(n) => n.into_owned().into(),
        GraphNameRef::BlankNode(b) => skolem(b.as_str()).into(),
        // Refused before (see `RemoteTx::check`).
        GraphNameRef::DefaultGraph => Term::from(NamedNode::new_unchecked(GENID)),
    }
}

/// A term as healthcat writes it to the server: a string without a language with its datatype
/// said (`"…"^^xsd:string`, the same term in RDF 1.1). Virtuoso 7 merges the constants of one
/// `GRAPH` block by their text: a plain string equal to an IRI of the block (a record's key
/// beside its root) came back as that IRI. Writes and pattern reads say it the same way.
struct Said<'a>(&'a Term);

impl std::fmt::Display for Said<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Term::Literal(l) if l.datatype() == oxigraph::model::vocab::xsd::STRING => {
                write!(f, "{l}^^<{}>", oxigraph::model::vocab::xsd::STRING.as_str())
            }
            other => write!(f, "{other}"),
        }
    }
}

/// The blank node a skolem IRI stands for; any other term as it is.
fn unskolem(t: Term) -> Term {
    match t {
        Term::NamedNode(n) => match n.as_str().strip_prefix(GENID) {
            Some(id) => match BlankNode::new(id) {
                Ok(b) => b.into(),
                Err(_) => Term::NamedNode(n),
            },
            None => Term::NamedNode(n),
        },
        other => other,
    }
}

/// One spilled line of a bulk load: `<g> s p o .`, blank nodes as skolem IRIs. The graph comes
/// first so that a part can be written grouped by graph (see [`write_part`]).
fn write_line(out: &mut impl Write, q: QuadRef<'_>) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {} {} {} .",
        skolem_graph(q.graph_name),
        skolem_term(q.subject.into()),
        q.predicate,
        Said(&skolem_term(q.object)),
    )
}

/// `{verb} DATA { GRAPH <g> { … } }`, one operation per graph in the order the graphs first come,
/// separated by `;` (the caller separates the last one from what follows). One operation holding every graph says the
/// same, but Virtuoso 7 mishandles it: it compiles each block to its own SQL and refuses more than
/// 10,000 lines of it, and its `DELETE DATA` of several graphs leaves typed strings in place.
fn write_grouped<'q>(
    out: &mut Vec<u8>,
    verb: &str,
    quads: impl IntoIterator<Item = &'q Quad>,
) -> std::io::Result<()> {
    let mut by_graph: indexmap::IndexMap<&GraphName, Vec<&Quad>> = indexmap::IndexMap::new();
    for q in quads {
        by_graph.entry(&q.graph_name).or_default().push(q);
    }
    let mut lines = Vec::new();
    for q in by_graph.into_values().flatten() {
        write_line(&mut lines, q.as_ref())?;
    }
    write_part(out, verb, &lines);
    Ok(())
}

/// Spilled lines (see [`write_line`]) as `{verb} DATA` operations (see [`write_grouped`]), one
/// for each run of lines of the same graph (a load comes record by record).
fn write_part(out: &mut Vec<u8>, verb: &str, lines: &[u8]) {
    let mut current: Option<&[u8]> = None;
    for line in lines.split_inclusive(|&b| b == b'\n') {
        // An IRI has no space: the graph is everything before the first one.
        let Some(space) = line.iter().position(|&b| b == b' ') else {
            continue;
        };
        let (graph, triple) = line.split_at(space);
        if current != Some(graph) {
            if current.is_some() {
                out.extend_from_slice(b"} } ;\n");
            }
            out.extend_from_slice(verb.as_bytes());
            out.extend_from_slice(b" DATA { GRAPH ");
            out.extend_from_slice(graph);
            out.extend_from_slice(b" {\n");
            current = Some(graph);
        }
        out.extend_from_slice(&triple[1..]);
    }
    if current.is_some() {
        out.extend_from_slice(b"} }\n");
    }
}

fn matches(
    q: &Quad,
    s: Option<&Term>,
    p: Option<&NamedNode>,
    o: Option<&Term>,
    g: Option<&GraphName>,
) -> bool {
    s.is_none_or(|s| Term::from(q.subject.clone()) == *s)
        && p.is_none_or(|p| q.predicate == *p)
        && o.is_none_or(|o| q.object == *o)
        && g.is_none_or(|g| q.graph_name == *g)
}

/// A transaction on the remote store: its writes are kept, read back by its own reads (over
/// what the server holds), and sent as one update request at commit.
pub(crate) struct RemoteTx<'a> {
    remote: &'a Remote,
    /// Graphs emptied, in order, and whether they were removed (`DROP`) or cleared.
    cleared: Vec<(GraphName, bool)>,
    cleared_set: HashSet<GraphName>,
    inserted: indexmap::IndexSet<Quad>,
    removed: indexmap::IndexSet<Quad>,
    /// A write this store cannot take (into the default graph); the commit refuses it.
    refused: Option<&'static str>,
}

impl<'a> RemoteTx<'a> {
    pub(crate) fn new(remote: &'a Remote) -> Self {
        Self {
            remote,
            cleared: Vec::new(),
            cleared_set: HashSet::new(),
            inserted: Default::default(),
            removed: Default::default(),
            refused: None,
        }
    }

    fn check(&mut self, q: QuadRef<'_>) -> bool {
        if q.graph_name.is_default_graph() {
            self.refused = Some("a write into the default graph");
            return false;
        }
        true
    }

    pub(crate) fn insert(&mut self, q: QuadRef<'_>) {
        if self.check(q) {
            let q = q.into_owned();
            self.removed.shift_remove(&q);
            self.inserted.insert(q);
        }
    }

    pub(crate) fn remove(&mut self, q: QuadRef<'_>) {
        if self.check(q) {
            let q = q.into_owned();
            self.inserted.shift_remove(&q);
            self.removed.insert(q);
        }
    }

    pub(crate) fn clear_graph(&mut self, g: GraphNameRef<'_>, drop: bool) {
        if g.is_default_graph() {
            return;
        }
        let g = g.into_owned();
        self.inserted.retain(|q| q.graph_name != g);
        self.removed.retain(|q| q.graph_name != g);
        self.cleared_set.insert(g.clone());
        self.cleared.push((g, drop));
    }

    /// What the server holds matching the pattern, as this transaction changed it.
    pub(crate) fn quads_for_pattern(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'_> {
        let s = subject.map(|s| Term::from(s.into_owned()));
        let p = predicate.map(NamedNodeRef::into_owned);
        let o = object.map(TermRef::into_owned);
        let g = graph.map(GraphNameRef::into_owned);
        let stored = self
            .remote
            .quads_for_pattern(subject, predicate, object, graph)
            .filter(|q| {
                q.as_ref().map_or(true, |q| {
                    !self.cleared_set.contains(&q.graph_name)
                        && !self.removed.contains(q)
                        && !self.inserted.contains(q)
                })
            });
        let added: Vec<Quad> = self
            .inserted
            .iter()
            .filter(|q| matches(q, s.as_ref(), p.as_ref(), o.as_ref(), g.as_ref()))
            .cloned()
            .collect();
        Box::new(stored.chain(added.into_iter().map(Ok)))
    }

    /// Sends the writes as one update request (none when there are none).
    pub(crate) fn commit(self) -> Result<(), StorageError> {
        if let Some(what) = self.refused {
            return Err(RemoteError::Unsupported(what).storage());
        }
        if self.cleared.is_empty() && self.inserted.is_empty() && self.removed.is_empty() {
            return Ok(());
        }
        let mut body = Vec::new();
        for (g, drop) in &self.cleared {
            let verb = if *drop { "DROP" } else { "CLEAR" };
            writeln!(body, "{verb} SILENT GRAPH {} ;", skolem_graph(g.as_ref()))?;
        }
        if !self.removed.is_empty() {
            write_grouped(&mut body, "DELETE", &self.removed)?;
            body.extend_from_slice(b";\n");
        }
        if !self.inserted.is_empty() {
            write_grouped(&mut body, "INSERT", &self.inserted)?;
        }
        let length = body.len() as u64;
        self.remote.update(std::io::Cursor::new(body), length)
    }
}

/// The most one request of a bulk load carries: Oxigraph server refuses update requests over
/// 128 MiB, and a server parses a request whole.
const PART_BYTES: usize = 16 << 20;

/// A bulk load on the remote store (an import that only adds): the quads are written to a file as
/// they come (memory stays flat), then sent at commit as `INSERT DATA` requests of at most
/// [`PART_BYTES`]. A part that fails takes back every part sent (`DELETE DATA` of the same quads:
/// a bulk load only adds, so that restores what was there), so the load is all or nothing —
/// though readers may see its first parts while the last ones are on their way.
pub(crate) struct RemoteLoader<'a> {
    remote: &'a Remote,
    spill: Option<std::io::BufWriter<std::fs::File>>,
    quads: u64,
    part_bytes: usize,
    part_lines: usize,
}

impl<'a> RemoteLoader<'a> {
    pub(crate) fn new(remote: &'a Remote) -> Self {
        Self {
            remote,
            spill: None,
            quads: 0,
            part_bytes: PART_BYTES,
            part_lines: remote.config().statements_per_update.max(1),
        }
    }

    pub(crate) fn load(
        &mut self,
        quads: impl IntoIterator<Item = Quad>,
    ) -> Result<(), StorageError> {
        if self.spill.is_none() {
            self.spill = Some(std::io::BufWriter::new(tempfile::tempfile()?));
        }
        let Some(out) = self.spill.as_mut() else {
            return Ok(());
        };
        for q in quads {
            if q.graph_name.is_default_graph() {
                return Err(RemoteError::Unsupported("a write into the default graph").storage());
            }
            write_line(out, q.as_ref())?;
            self.quads += 1;
        }
        Ok(())
    }

    pub(crate) fn commit(mut self) -> Result<(), StorageError> {
        let Some(spill) = self.spill.take() else {
            return Ok(());
        };
        if self.quads == 0 {
            return Ok(());
        }
        let mut file = spill.into_inner().map_err(|e| e.into_error())?;
        std::io::Seek::rewind(&mut file)?;
        let mut lines = std::io::BufReader::new(file);
        let mut sent = 0usize;
        loop {
            let part = next_part(&mut lines, self.part_bytes, self.part_lines)?;
            if part.is_empty() {
                return Ok(());
            }
            if let Err(e) = self.remote.send_data("INSERT", &part) {
                // This part may have been applied before its answer was lost: it is taken back
                // too.
                let back = self.take_back(lines.into_inner(), sent + 1);
                return Err(match back {
                    Ok(()) => e,
                    Err(b) => StorageError::Io(std::io::Error::other(format!(
                        "{e}; and what was sent of this import could not be taken back ({b}): import the same file again once the store answers (what is stored is skipped, what is missing is added)"
                    ))),
                });
            }
            sent += 1;
        }
    }

    /// Sends `DELETE DATA` of the first `parts` parts of the spilled file.
    fn take_back(&self, mut file: std::fs::File, parts: usize) -> Result<(), StorageError> {
        std::io::Seek::rewind(&mut file)?;
        let mut lines = std::io::BufReader::new(file);
        for _ in 0..parts {
            let part = next_part(&mut lines, self.part_bytes, self.part_lines)?;
            if part.is_empty() {
                break;
            }
            self.remote.send_data("DELETE", &part)?;
        }
        Ok(())
    }
}

/// The next lines of a spilled load, up to about `max_bytes` and at most `max_lines` (empty at
/// the end).
fn next_part(
    lines: &mut impl std::io::BufRead,
    max_bytes: usize,
    max_lines: usize,
) -> Result<Vec<u8>, StorageError> {
    let mut part = Vec::new();
    let mut count = 0;
    while part.len() < max_bytes && count < max_lines && lines.read_until(b'\n', &mut part)? > 0 {
        count += 1;
    }
    Ok(part)
}

impl Remote {
    /// `{verb} DATA` of a part, one request.
    fn send_data(&self, verb: &str, part: &[u8]) -> Result<(), StorageError> {
        let mut body = Vec::with_capacity(part.len() + 1024);
        write_part(&mut body, verb, part);
        let length = body.len() as u64;
        self.update(std::io::Cursor::new(body), length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_must_be_http() {
        assert!(RemoteConfig::new("http://127.0.0.1:7878/").is_ok());
        assert_eq!(
            RemoteConfig::new("http://127.0.0.1:7878/").unwrap().update,
            "http://127.0.0.1:7878/update"
        );
        for bad in ["127.0.0.1:7878", "file:///tmp/x", "ftp://h/", ""] {
            let e = RemoteConfig::new(bad).unwrap_err().to_string();
            assert!(
                e.contains("is not an http:// or https:// address"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn blank_nodes_come_back_as_they_went() {
        let b = BlankNode::new("b0x1").unwrap();
        let kept = skolem_term(TermRef::BlankNode(b.as_ref()));
        assert!(matches!(&kept, Term::NamedNode(n) if n.as_str().starts_with(GENID)));
        assert_eq!(unskolem(kept), Term::BlankNode(b));
        let iri = Term::NamedNode(NamedNode::new("https://ex.org/a").unwrap());
        assert_eq!(unskolem(iri.clone()), iri);
    }

    fn quad(i: usize, object: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(format!("https://ex.org/s{i}")),
            NamedNode::new_unchecked("https://ex.org/p"),
            Term::from(oxigraph::model::Literal::new_simple_literal(object)),
            GraphName::NamedNode(NamedNode::new_unchecked(format!(
                "urn:healthcat:record:{}",
                i % 7
            ))),
        )
    }

    /// What an update body says, applied to an empty in-memory store.
    fn applied(body: &[u8]) -> HashSet<Quad> {
        let store = oxigraph::store::Store::new().unwrap();
        #[allow(deprecated)]
        store.update(std::str::from_utf8(body).unwrap()).unwrap();
        store.iter().map(Result::unwrap).collect()
    }

    #[test]
    fn writes_are_grouped_by_graph_and_say_the_same() {
        // Interleaved graphs, a blank node and a literal with a newline and a space.
        let mut quads: Vec<Quad> = (0..50)
            .map(|i| quad(i, "a value\nover two lines"))
            .collect();
        quads.push(Quad::new(
            NamedNode::new_unchecked("https://ex.org/s"),
            NamedNode::new_unchecked("https://ex.org/p"),
            Term::from(BlankNode::new("b1").unwrap()),
            GraphName::NamedNode(NamedNode::new_unchecked("urn:healthcat:record:3")),
        ));
        let expected: HashSet<Quad> = quads
            .iter()
            .map(|q| {
                let mut q = q.clone();
                q.object = skolem_term(q.object.as_ref());
                q
            })
            .collect();
        // A transaction's writes: one operation per graph (7 graphs).
        let mut body = Vec::new();
        write_grouped(&mut body, "INSERT", &quads).unwrap();
        assert_eq!(String::from_utf8_lossy(&body).matches("GRAPH").count(), 7);
        assert_eq!(applied(&body), expected);
        // A bulk load's spilled lines: one operation per run of the same graph.
        let mut lines = Vec::new();
        let mut sorted = quads.clone();
        sorted.sort_by_key(|q| q.graph_name.to_string());
        for q in &sorted {
            write_line(&mut lines, q.as_ref()).unwrap();
        }
        let mut body = Vec::new();
        write_part(&mut body, "INSERT", &lines);
        assert_eq!(String::from_utf8_lossy(&body).matches("GRAPH").count(), 7);
        assert_eq!(applied(&body), expected);
    }

    #[test]
    fn a_bulk_load_goes_in_parts_and_a_failing_part_takes_back_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let Some(server) = healthcat_testkit::sparql_server::SparqlServer::start(
            dir.path(),
            "the remote bulk-load test",
        ) else {
            return;
        };
        let remote = Remote::new(RemoteConfig::new(&server.url()).unwrap());
        // 2,000 quads in parts of 4 kB: about 40 requests, all applied.
        let mut loader = RemoteLoader::new(&remote);
        loader.part_bytes = 4096;
        loader.load((0..2000).map(|i| quad(i, "a value"))).unwrap();
        loader.commit().unwrap();
        assert_eq!(remote.len().unwrap(), 2000);
        // Another load whose 30th part the server refuses (an IRI with a space): none of its
        // quads stay, and the first load's are untouched.
        let mut loader = RemoteLoader::new(&remote);
        loader.part_bytes = 4096;
        let mut quads: Vec<Quad> = (2000..4000).map(|i| quad(i, "another")).collect();
        quads.insert(
            1500,
            Quad::new(
                NamedNode::new_unchecked("https://ex.org/not an iri"),
                NamedNode::new_unchecked("https://ex.org/p"),
                Term::from(oxigraph::model::Literal::new_simple_literal("x")),
                GraphName::NamedNode(NamedNode::new_unchecked("urn:healthcat:record:0")),
            ),
        );
        loader.load(quads).unwrap();
        let e = loader.commit().unwrap_err();
        assert!(e.to_string().contains("answered 400"), "{e}");
        assert_eq!(remote.len().unwrap(), 2000);
    }

    #[test]
    fn an_unreachable_store_is_unavailable() {
        // Port 9 (discard) on loopback: nothing listens in the test sandbox.
        let mut config = RemoteConfig::new("http://127.0.0.1:9").unwrap();
        config.read_timeout = Duration::from_secs(2);
        let remote = Remote::new(config);
        let e = remote.len().unwrap_err();
        let StorageError::Io(io) = &e else {
            panic!("{e}")
        };
        let inner = io
            .get_ref()
            .and_then(|e| e.downcast_ref::<RemoteError>())
            .unwrap();
        assert!(inner.is_unavailable(), "{inner}");
        assert!(
            e.to_string()
                .contains("http://127.0.0.1:9/query did not answer"),
            "{e}"
        );
    }
}
