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
use healthcat_model::vocab::{authority, dcat, dcatap, dct, foaf, rdf, xsd};
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

/// What a catalogue page request asks for.
struct PageRequest {
    start: Start,
    per_page: usize,
    /// The search filters choosing a subset, as given (they are repeated in the paging links).
    filters: Vec<(String, String)>,
}

enum Start {
    Page(usize),
    After(String),
}

/// Parameters that choose a subset, read as `/api/search` reads them.
fn is_filter(key: &str) -> bool {
    matches!(
        key,
        "q" | "age_min"
            | "age_max"
            | "min_records"
            | "modified_since"
            | "temporal_from"
            | "temporal_to"
    ) || healthcat_search::FACETS.contains(&key)
}

fn parse(uri: &Uri) -> Result<PageRequest, String> {
    let mut page = None;
    let mut after = None;
    let mut per_page = DEFAULT_PER_PAGE;
    let mut filters = Vec::new();
    for (k, v) in crate::site::query_pairs(uri) {
        let n = v.parse::<usize>();
        match (k.as_str(), n) {
            ("page", Ok(n)) if n >= 1 => page = Some(n),
            ("per_page", Ok(n)) if (1..=MAX_PER_PAGE).contains(&n) => per_page = n,
            ("page", _) => return Err(format!("page must be a whole number from 1, not {v:?}")),
            ("per_page", _) => {
                return Err(format!(
                    "per_page must be a whole number from 1 to {MAX_PER_PAGE}, not {v:?}"
                ));
            }
            ("after", _) if !v.is_empty() => after = Some(v),
            ("after", _) => return Err("after must name a record (a local id)".into()),
            (key, _) if is_filter(key) => filters.push((k, v)),
            (other, _) => {
                return Err(format!(
                    "unknown parameter {other:?}: use page or after, per_page, and the search \
                     filters of /api/search (q, modified_since, {}, …)",
                    healthcat_search::FACETS.join(", ")
                ));
            }
        }
    }
    let start = match (page, after) {
        (Some(_), Some(_)) => return Err("give page or after, not both".into()),
        (_, Some(a)) => Start::After(a),
        (p, None) => Start::Page(p.unwrap_or(1)),
    };
    Ok(PageRequest {
        start,
        per_page,
        filters,
    })
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
    let req = match parse(&uri) {
        Ok(r) => r,
        Err(e) => return Ok(bad(e)),
    };
    let subset = if req.filters.is_empty() {
        None
    } else {
        match crate::search::request(&req.filters) {
            Ok(r) => Some(r),
            Err(e) => return Ok(bad(e)),
        }
    };
    let base = crate::negotiate::base_url(&headers);
    let path = uri.path().to_owned();
    let st = state.clone();
    let out = blocking(move || {
        let only = match &subset {
            Some(r) => Some(st.search.matching_ids(r).map_err(|e| e.to_string())?),
            None => None,
        };
        let triples = build(&st, &base, &path, &req, only.as_deref()).map_err(|e| e.to_string())?;
        match triples {
            None => Ok(None),
            Some(t) => healthcat_store::write_triples(&t, Vec::new(), format)
                .map(Some)
                .map_err(|e| e.to_string()),
        }
    })
    .await?;
    let Some(bytes) = out else {
        return Ok((
            StatusCode::NOT_FOUND,
            "there is no such page: it is past the last one",
        )
            .into_response());
    };
    // The page's own hash: a harvester asking again with If-None-Match gets 304 when nothing on
    // the page changed (records, shared resources, paging), and skips parsing it.
    let etag = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&bytes);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    };
    // No Last-Modified for a page: only If-None-Match counts.
    Ok(if crate::negotiate::not_modified(&headers, &etag, "") {
        (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()
    } else {
        (
            [
                (
                    header::CONTENT_TYPE,
                    format!("{}; charset=utf-8", format.media_type()),
                ),
                (header::ETAG, etag),
            ],
            bytes,
        )
            .into_response()
    })
}

/// The triples of one page; `None` past the last page.
fn build(
    state: &AppState,
    base: &str,
    path: &str,
    req: &PageRequest,
    only: Option<&[String]>,
) -> Result<Option<Vec<Triple>>, healthcat_store::StoreError> {
    let store = &state.store;
    let per_page = req.per_page;
    let window = match &req.start {
        Start::Page(n) => store.window(
            only,
            healthcat_store::Start::Offset((n - 1).saturating_mul(per_page)),
            per_page,
        )?,
        Start::After(id) => store.window(only, healthcat_store::Start::After(id), per_page)?,
    };
    let total = window.total;
    let last = total.div_ceil(per_page).max(1);
    // The page this window is (a cursor may start it anywhere).
    let page = window.offset / per_page + 1;
    if matches!(req.start, Start::Page(n) if n > last) {
        return Ok(None);
    }
    let catalog = NamedNode::new_unchecked(format!("{base}/catalog"));
    let cat: NamedOrBlankNode = catalog.clone().into();
    let mut out: Vec<Triple> = Vec::new();
    describe_catalog(state, base, &catalog, window.offset == 0, &mut out);
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };

    // The page's records, their catalogue records and the shared agents and sub-catalogues they
    // name.
    let mut described: HashSet<String> = HashSet::new();
    let mut subs: HashSet<String> = HashSet::new();
    let mut last_id = None;
    for meta in window.records {
        let Some(id) = &meta.local_id else { continue };
        last_id = Some(id.as_str().to_owned());
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
        // The shared resources the page points to (publishers, health data access bodies,
        // typed code-list entries), and those they point to in turn, once per page.
        let mut todo: Vec<String> = Vec::new();
        let mut note = |t: oxrdf::TripleRef<'_>, todo: &mut Vec<String>| {
            if let oxrdf::TermRef::NamedNode(n) = t.object
                && described.insert(n.as_str().to_owned())
            {
                todo.push(n.as_str().to_owned());
            }
        };
        // A harvested record stays listed in its source's catalogue, nested in this one.
        for sub in &meta.catalogs {
            // The page's own catalogue is described by the configuration alone: a stored
            // description naming its IRI (a push, a harvested page) adds nothing to it.
            if *sub == cat {
                continue;
            }
            add(sub, link.into_owned(), root.clone().into());
            if let NamedOrBlankNode::NamedNode(n) = sub
                && subs.insert(n.as_str().to_owned())
            {
                add(&cat, dcat::CATALOG_PROP.into_owned(), sub.clone().into());
                for d in store.describe(n.as_str())?.iter() {
                    note(d, &mut todo);
                    out_push(&mut add, d);
                }
            }
        }
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
        // Provenance: where a harvested or pushed record was read (a local file's path is not
        // published).
        if meta.source != "local"
            && (meta.origin.starts_with("http://") || meta.origin.starts_with("https://"))
            && let Ok(origin) = NamedNode::new(&meta.origin)
        {
            add(&cr, dct::SOURCE.into_owned(), origin.into());
        }
        for t in record.graph.iter() {
            note(t, &mut todo);
            out_push(&mut add, t);
        }
        while let Some(iri) = todo.pop() {
            for d in store.shared_description(&iri)?.iter() {
                note(d, &mut todo);
                out_push(&mut add, d);
            }
        }
    }

    // Paging, both vocabularies. Links keep the request's filters; `next` continues after the
    // page's last record, so it stays right while the catalogue changes.
    let link = |pairs: &[(String, String)]| -> Term {
        let mut all = pairs.to_vec();
        all.push(("per_page".into(), per_page.to_string()));
        all.extend(req.filters.iter().cloned());
        NamedNode::new_unchecked(format!("{base}{}", crate::site::href(path, &all))).into()
    };
    let at = |n: usize| link(&[("page".into(), n.to_string())]);
    let view: NamedOrBlankNode = match &req.start {
        Start::Page(n) => at(*n),
        Start::After(id) => link(&[("after".into(), id.clone())]),
    }
    .try_into()
    .unwrap_or_else(|_| BlankNode::default().into());
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
    let next = match (&last_id, window.offset + per_page < total) {
        (Some(id), true) => Some(link(&[("after".into(), id.clone())])),
        _ => None,
    };
    for (modern, legacy, target) in [
        ("first", "firstPage", Some(at(1))),
        ("last", "lastPage", Some(at(last))),
        ("next", "nextPage", next),
        ("previous", "previousPage", (page > 1).then(|| at(page - 1))),
    ] {
        if let Some(target) = target {
            add(&view, hydra(modern), target.clone());
            add(&view, hydra(legacy), target);
        }
    }
    add(&cat, hydra("view"), view.into());
    // In-memory graphs give their triples in no fixed order; sorted, the same page always has the
    // same bytes (so its ETag is stable), and each subject's triples sit together (tighter Turtle).
    out.sort_by_cached_key(|t| t.to_string());
    out.dedup();
    Ok(Some(out))
}

/// The catalogue's own description: title, description, publisher, homepage, theme taxonomy,
/// and on the first page its SPARQL endpoint as a `dcat:DataService`.
fn describe_catalog(
    state: &AppState,
    base: &str,
    catalog: &NamedNode,
    first_page: bool,
    out: &mut Vec<Triple>,
) {
    let cat: NamedOrBlankNode = catalog.clone().into();
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
        let publisher: NamedOrBlankNode =
            NamedNode::new_unchecked(format!("{base}/catalog#publisher")).into();
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
    let home: NamedOrBlankNode = NamedNode::new_unchecked(format!("{base}/")).into();
    add(&cat, foaf::HOMEPAGE.into_owned(), home.clone().into());
    add(
        &home,
        rdf::TYPE.into_owned(),
        foaf::DOCUMENT.into_owned().into(),
    );
    add(
        &cat,
        dcat::THEME_TAXONOMY.into_owned(),
        NamedNode::new_unchecked("http://publications.europa.eu/resource/authority/data-theme")
            .into(),
    );
    // A health catalogue's records fall under the EHDS regulation.
    add(
        &cat,
        dcatap::APPLICABLE_LEGISLATION.into_owned(),
        NamedNode::new_unchecked(authority::EHDS_REGULATION).into(),
    );
    // The SPARQL endpoint is one more service of the catalogue: described once, on the first
    // page, so that a harvester meets it once.
    if first_page {
        let service: NamedOrBlankNode =
            NamedNode::new_unchecked(format!("{base}/sparql#service")).into();
        add(&cat, dcat::SERVICE.into_owned(), service.clone().into());
        out.extend(crate::sparql::data_service(base, &service));
    }
}

fn out_push(add: &mut impl FnMut(&NamedOrBlankNode, NamedNode, Term), t: oxrdf::TripleRef<'_>) {
    add(
        &t.subject.into_owned(),
        t.predicate.into_owned(),
        t.object.into_owned(),
    );
}

/// `GET /catalog/all.nt`: every stored unit as N-Triples in one streamed response, for harvesters
/// that want one file.
pub(crate) async fn dump(State(state): State<AppState>) -> Response {
    let (mut w, pending) = crate::stream::channel(64 << 10);
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || match store.export(&mut w, Format::NTriples) {
        Ok(_) => {
            // A client gone before the end is not an error of ours.
            let _ = w.finish();
        }
        Err(e) => {
            tracing::error!(error = %e, "catalogue dump failed");
            w.fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error".into());
        }
    });
    pending
        .response("application/n-triples; charset=utf-8")
        .await
}

#[cfg(test)]
mod tests;
