//! The DCAT catalogue endpoint: `/catalog` (content negotiation) and `/catalog.ttl|.rdf|.jsonld|.nt`,
//! paged with Hydra the way harvesters expect.
//!
//! A page holds the catalogue's own description (`dcat:Catalog`: title, description, publisher,
//! homepage, theme taxonomy, the page's `dcat:dataset` / `dcat:service` links and a
//! `dcat:CatalogRecord` per record with `foaf:primaryTopic`, `dct:issued`, `dct:modified`), the
//! records themselves with the shared resources they name as publisher or health data access body,
//! and the paging: `hydra:PartialCollectionView` (first / previous / next / last, `totalItems`)
//! *and* the legacy `hydra:PagedCollection` predicates ckanext-dcat writes and reads
//! (`firstPage`, `previousPage`, `nextPage`, `lastPage`, `itemsPerPage`, `totalItems`). Records come
//! in local-id order, so a page always holds the same records while the catalogue is unchanged.

use crate::negotiate::RDF_VIEWS;
use crate::routes::{AppState, Internal, blocking};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_model::RecordKind;
use healthcat_model::vocab::{dcat, dct, foaf, healthdcatap, rdf, xsd};
use healthcat_store::{Format, UnitKind};
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::HashSet;

/// Records per page by default.
pub const DEFAULT_PER_PAGE: usize = 100;
/// Largest page.
pub const MAX_PER_PAGE: usize = 1000;

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// A Hydra term (the only vocabulary here that `healthcat_model::vocab` does not have).
fn hydra(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{HYDRA}{local}"))
}

/// `GET /catalog.{ext}` for the syntax of `ext`.
pub(crate) async fn by_extension(
    ext: &'static str,
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let format = RDF_VIEWS.iter().find(|f| f.name() == ext).copied();
    page(state, uri, headers, format).await
}

/// `GET /catalog`: the syntax `Accept` prefers (Turtle when it accepts anything).
pub(crate) async fn negotiated(
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let offered: Vec<&str> = RDF_VIEWS.iter().map(|f| f.media_type()).collect();
    let format = crate::negotiate::pick(&headers, &offered)
        .and_then(|mt| RDF_VIEWS.iter().find(|f| f.media_type() == mt))
        .copied();
    if format.is_none() {
        let list: Vec<String> = RDF_VIEWS
            .iter()
            .map(|f| format!("{} (/catalog.{})", f.media_type(), f.name()))
            .collect();
        return Ok((
            StatusCode::NOT_ACCEPTABLE,
            format!("the catalogue is offered as {}", list.join(", ")),
        )
            .into_response());
    }
    let mut res = page(state, uri, headers, format).await?;
    res.headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    Ok(res)
}

fn bad(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

async fn page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    format: Option<Format>,
) -> Result<Response, Internal> {
    let Some(format) = format else {
        return Ok((StatusCode::NOT_ACCEPTABLE, "unknown syntax").into_response());
    };
    let mut page = 1usize;
    let mut per_page = DEFAULT_PER_PAGE;
    for (k, v) in crate::site::query_pairs(&uri) {
        let n = v.parse::<usize>();
        match (k.as_str(), n) {
            ("page", Ok(n)) if n >= 1 => page = n,
            ("per_page", Ok(n)) if (1..=MAX_PER_PAGE).contains(&n) => per_page = n,
            ("page", _) => {
                return Ok(bad(format!(
                    "page must be a whole number from 1, not {v:?}"
                )));
            }
            ("per_page", _) => {
                return Ok(bad(format!(
                    "per_page must be a whole number from 1 to {MAX_PER_PAGE}, not {v:?}"
                )));
            }
            (other, _) => {
                return Ok(bad(format!(
                    "unknown parameter {other:?}: use page and per_page"
                )));
            }
        }
    }
    // The catalogue is named by the address it is served at.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost")
        .to_owned();
    let path = uri.path().to_owned();
    let st = state.clone();
    let out = blocking(move || {
        let triples = build(&st, &host, &path, page, per_page).map_err(|e| e.to_string())?;
        match triples {
            None => Ok(None),
            Some(t) => healthcat_store::write_triples(&t, Vec::new(), format)
                .map(Some)
                .map_err(|e| e.to_string()),
        }
    })
    .await?;
    Ok(match out {
        None => (StatusCode::NOT_FOUND, format!("there is no page {page}")).into_response(),
        Some(bytes) => (
            [(
                header::CONTENT_TYPE,
                format!("{}; charset=utf-8", format.media_type()),
            )],
            bytes,
        )
            .into_response(),
    })
}

/// The triples of one page; `None` past the last page.
fn build(
    state: &AppState,
    host: &str,
    path: &str,
    page: usize,
    per_page: usize,
) -> Result<Option<Vec<Triple>>, healthcat_store::StoreError> {
    let store = &state.store;
    let (total, records) = store.page((page - 1).saturating_mul(per_page), per_page)?;
    let last = total.div_ceil(per_page).max(1);
    if page > last {
        return Ok(None);
    }
    let base = format!("http://{host}");
    let catalog = NamedNode::new_unchecked(format!("{base}/catalog"));
    let cat: NamedOrBlankNode = catalog.clone().into();
    let mut out: Vec<Triple> = Vec::new();
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };
    let site = &state.site;
    add(
        &cat,
        rdf::TYPE.into_owned(),
        dcat::CATALOG.into_owned().into(),
    );
    for (text, lang) in [(&site.title.0, "fr"), (&site.title.1, "en")] {
        if !text.is_empty() {
            let l = Literal::new_language_tagged_literal_unchecked(text.as_str(), lang);
            add(&cat, dct::TITLE.into_owned(), l.into());
        }
    }
    for (text, lang) in [(&site.description.0, "fr"), (&site.description.1, "en")] {
        if !text.is_empty() {
            let l = Literal::new_language_tagged_literal_unchecked(text.as_str(), lang);
            add(&cat, dct::DESCRIPTION.into_owned(), l.into());
        }
    }
    if !site.publisher.is_empty() {
        let publisher: NamedOrBlankNode = BlankNode::default().into();
        add(&cat, dct::PUBLISHER.into_owned(), publisher.clone().into());
        add(
            &publisher,
            rdf::TYPE.into_owned(),
            foaf::AGENT.into_owned().into(),
        );
        add(
            &publisher,
            foaf::NAME.into_owned(),
            Literal::new_simple_literal(&site.publisher).into(),
        );
    }
    add(
        &cat,
        foaf::HOMEPAGE.into_owned(),
        NamedNode::new_unchecked(format!("{base}/")).into(),
    );
    add(
        &cat,
        dcat::THEME_TAXONOMY.into_owned(),
        NamedNode::new_unchecked("http://publications.europa.eu/resource/authority/data-theme")
            .into(),
    );

    // The page's records, their catalogue records and the shared agents they name.
    let mut described: HashSet<String> = HashSet::new();
    let agents = [dct::PUBLISHER.into_owned(), healthdcatap::HDAB.into_owned()];
    for meta in records {
        let Some(id) = &meta.local_id else { continue };
        let Some(record) = store.get(id)? else {
            continue;
        };
        let Some(root) = meta.root.clone() else {
            continue;
        };
        let link = match meta.kind {
            UnitKind::Record(RecordKind::DataService) => dcat::SERVICE,
            _ => dcat::DATASET_PROP,
        };
        add(&cat, link.into_owned(), root.clone().into());
        let cr: NamedOrBlankNode =
            NamedNode::new_unchecked(format!("{base}/catalog/record/{}", id.as_str())).into();
        add(&cat, dcat::RECORD.into_owned(), cr.clone().into());
        add(
            &cr,
            rdf::TYPE.into_owned(),
            dcat::CATALOG_RECORD.into_owned().into(),
        );
        add(&cr, foaf::PRIMARY_TOPIC.into_owned(), root.clone().into());
        for (p, when) in [
            (dct::ISSUED, &meta.first_seen),
            (dct::MODIFIED, &meta.modified),
        ] {
            let lit = Literal::new_typed_literal(when, xsd::DATE_TIME);
            add(&cr, p.into_owned(), lit.into());
        }
        for t in record.graph.iter() {
            if let (true, oxrdf::TermRef::NamedNode(agent)) =
                (agents.iter().any(|a| a.as_ref() == t.predicate), t.object)
                && described.insert(agent.as_str().to_owned())
            {
                for d in store.describe(agent.as_str())?.iter() {
                    out_push(&mut add, d);
                }
            }
            out_push(&mut add, t);
        }
    }

    // Paging, both vocabularies.
    let at = |n: usize| -> Term {
        NamedNode::new_unchecked(format!("{base}{path}?page={n}&per_page={per_page}")).into()
    };
    let view: NamedOrBlankNode =
        NamedNode::new_unchecked(format!("{base}{path}?page={page}&per_page={per_page}")).into();
    add(
        &view,
        rdf::TYPE.into_owned(),
        hydra("PartialCollectionView").into(),
    );
    add(
        &view,
        rdf::TYPE.into_owned(),
        hydra("PagedCollection").into(),
    );
    let count = |n: usize| -> Term { Literal::from(n as u64).into() };
    add(&view, hydra("totalItems"), count(total));
    add(&view, hydra("itemsPerPage"), count(per_page));
    for (modern, legacy, target) in [
        ("first", "firstPage", Some(1)),
        ("last", "lastPage", Some(last)),
        ("next", "nextPage", (page < last).then_some(page + 1)),
        ("previous", "previousPage", (page > 1).then_some(page - 1)),
    ] {
        if let Some(n) = target {
            add(&view, hydra(modern), at(n));
            add(&view, hydra(legacy), at(n));
        }
    }
    add(&cat, hydra("view"), view.into());
    Ok(Some(out))
}

fn out_push(add: &mut impl FnMut(&NamedOrBlankNode, NamedNode, Term), t: oxrdf::TripleRef<'_>) {
    add(
        &t.subject.into_owned(),
        t.predicate.into_owned(),
        t.object.into_owned(),
    );
}

/// Bytes written by a blocking export, sent to the response body in chunks; a full channel makes
/// the writer wait, so memory stays at a few chunks whatever the size of the catalogue. A client
/// that goes away makes the next write fail, which stops the export.
struct ChannelWriter {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Result<axum::body::Bytes, std::io::Error>>,
}

const CHUNK: usize = 64 << 10;

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = axum::body::Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

/// `GET /catalog/all.nt`: every stored unit as N-Triples in one streamed response, for harvesters
/// that want one file.
pub(crate) async fn dump(State(state): State<AppState>) -> Response {
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter {
            buf: Vec::with_capacity(CHUNK),
            tx: tx.clone(),
        };
        let result = match store.export(&mut w, Format::NTriples) {
            Ok(_) => std::io::Write::flush(&mut w).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = result {
            // The status is sent; ending the body with an error makes the client see a broken
            // transfer rather than a complete-looking file.
            tracing::error!(error = %e, "catalogue dump failed");
            let _ = tx.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    (
        [(header::CONTENT_TYPE, "application/n-triples; charset=utf-8")],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}
