//! A DCAT catalogue page: the catalogue's own description (`dcat:Catalog`: title, description,
//! publisher, homepage, theme taxonomy, the page's `dcat:dataset` / `dcat:service` links and a
//! `dcat:CatalogRecord` per record with `foaf:primaryTopic`, `dct:issued`, `dct:modified`), the
//! records themselves with the shared resources they name as publisher or health data access
//! body, and the paging: `hydra:PartialCollectionView` (first / previous / next / last,
//! `totalItems`) *and* the legacy `hydra:PagedCollection` predicates ckanext-dcat writes and reads
//! (`firstPage`, `previousPage`, `nextPage`, `lastPage`, `itemsPerPage`, `totalItems`); and each
//! dataset's quality as this catalogue assessed it (DQV measurements of data.europa.eu's MQA
//! metrics, see `healthcat_quality::dqv`). Records come in local-id order, so a page always holds
//! the same records while the catalogue is unchanged; a page may be a subset chosen with the
//! search filters.

use crate::PublishError;
use healthcat_model::RecordKind;
use healthcat_model::vocab::{authority, dcat, dcatap, dct, foaf, healthdcatap, rdf, xsd};
use healthcat_search::{SearchIndex, SearchRequest};
use healthcat_store::{Store, UnitKind};
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::HashSet;

/// What the configuration says of the catalogue itself.
#[derive(Debug, Clone, Default)]
pub struct CatalogueInfo {
    /// Its title (French, English).
    pub title: (String, String),
    /// Its description (French, English).
    pub description: (String, String),
    /// Its publisher's name.
    pub publisher: String,
    /// The Article 78 label's framework its datasets were assessed with.
    pub label: std::sync::Arc<healthcat_quality::LabelSpec>,
    /// The trusted health data holders' IRIs (EHDS Art. 72, [`crate::trusted`]): each one a
    /// page's records name as publisher is published with `healthdcatap:trustedDataHolder true`.
    pub trusted: Vec<String>,
}

/// Records per page by default.
pub const DEFAULT_PER_PAGE: usize = 100;
/// Largest page.
pub const MAX_PER_PAGE: usize = 1000;

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// A Hydra term (the only vocabulary here that `healthcat_model::vocab` does not have).
fn hydra(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{HYDRA}{local}"))
}

/// What a catalogue page request asks for.
pub struct PageRequest {
    start: Start,
    per_page: usize,
    /// The search filters choosing a subset, as given (they are repeated in the paging links).
    filters: Vec<(String, String)>,
    /// `profile=dcat-ap`: the DCAT-AP view ([`crate::dcat_ap::view`]), repeated in the links.
    dcat_ap: bool,
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

impl PageRequest {
    /// The page the query parameters ask for (`page` or `after`, `per_page`, the search filters),
    /// or what is wrong with them.
    pub fn from_params(params: Vec<(String, String)>) -> Result<Self, String> {
        parse(params)
    }
}

fn parse(params: Vec<(String, String)>) -> Result<PageRequest, String> {
    let mut page = None;
    let mut after = None;
    let mut per_page = DEFAULT_PER_PAGE;
    let mut filters = Vec::new();
    let mut dcat_ap = false;
    for (k, v) in params {
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
            ("profile", _) if v == "dcat-ap" => dcat_ap = true,
            ("profile", _) if v == "healthdcat-ap" => dcat_ap = false,
            ("profile", _) => {
                return Err(format!(
                    "profile must be healthdcat-ap (the default: everything) or dcat-ap (what \
                     DCAT-AP 3 knows, for generic harvesters), not {v:?}"
                ));
            }
            ("after", _) if !v.is_empty() => after = Some(v),
            ("after", _) => return Err("after must name a record (a local id)".into()),
            (key, _) if is_filter(key) => filters.push((k, v)),
            (other, _) => {
                return Err(format!(
                    "unknown parameter {other:?}: use page or after, per_page, profile, and the search \
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
        dcat_ap,
    })
}

/// The triples of the catalogue page `req` asks for, served at `{base}{path}`; `None` past the
/// last page.
pub fn page(
    store: &Store,
    index: &SearchIndex,
    about: &CatalogueInfo,
    base: &str,
    path: &str,
    req: &PageRequest,
) -> Result<Option<Vec<Triple>>, PublishError> {
    let only = if req.filters.is_empty() {
        None
    } else {
        Some(index.matching_ids(&SearchRequest::from_params(&req.filters)?)?)
    };
    let triples = build(store, about, base, path, req, only.as_deref())?;
    Ok(if req.dcat_ap {
        triples.map(crate::dcat_ap::view)
    } else {
        triples
    })
}

/// The triples of one page; `None` past the last page.
fn build(
    store: &Store,
    about: &CatalogueInfo,
    base: &str,
    path: &str,
    req: &PageRequest,
    only: Option<&[String]>,
) -> Result<Option<Vec<Triple>>, healthcat_store::StoreError> {
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
    describe_catalog(about, base, &catalog, window.offset == 0, &mut out);
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };

    // The page's records, their catalogue records and the shared agents and sub-catalogues they
    // name.
    let mut described: HashSet<String> = HashSet::new();
    let mut subs: HashSet<String> = HashSet::new();
    // The records the page's records link to (their series…) and the roots on the page.
    let mut linked: Vec<String> = Vec::new();
    let mut on_page: HashSet<String> = HashSet::new();
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
        let mut note =
            |t: oxrdf::TripleRef<'_>, todo: &mut Vec<String>| note_named(t, &mut described, todo);
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
        on_page.insert(root.to_string());
        for t in record.graph.iter() {
            if let oxrdf::TermRef::NamedNode(n) = t.object
                && healthcat_model::RECORD_LINKS.contains(&t.predicate)
                && !linked.iter().any(|l| l == n.as_str())
            {
                linked.push(n.as_str().to_owned());
            }
        }
        // This catalogue's quality assessment of a dataset, as DQV measurements named under its
        // catalogue record (a harvester keeps them as this catalogue's; a harvested record's own
        // measurements are in its graph above, as the source gave them).
        if let Some(kept) = meta
            .quality
            .as_deref()
            .and_then(healthcat_quality::Kept::from_json)
        {
            let prefix = format!("{base}/catalog/record/{}/quality", id.as_str());
            for t in healthcat_quality::dqv::measurements(&kept, &root, &prefix) {
                add(&t.subject, t.predicate, t.object);
            }
            // The Article 78 label, whose body is the dataset's quality in full.
            let body = format!("{base}/api/datasets/{}/quality", id.as_str());
            for t in healthcat_quality::dqv::certificate(&kept, &about.label, &root, &prefix, &body)
            {
                add(&t.subject, t.predicate, t.object);
            }
        }
        describe_reached(store, todo, &mut described, &mut add)?;
    }
    // A linked record that is not on this page (an edition's series) comes whole, with the
    // shared resources it names, so that the page reads on its own and a harvester meets the
    // series with its editions, whatever the order of the pages.
    for iri in linked {
        if on_page.contains(&format!("<{iri}>")) {
            continue;
        }
        let Some(id) = store.record_by_key(&iri)?.and_then(|m| m.local_id) else {
            continue;
        };
        let Some(other) = store.get(&id)? else {
            continue;
        };
        let mut todo: Vec<String> = Vec::new();
        for t in other.graph.iter() {
            note_named(t, &mut described, &mut todo);
            out_push(&mut add, t);
        }
        describe_reached(store, todo, &mut described, &mut add)?;
    }

    // The trusted holders among the page's publishers, as this catalogue decided.
    let mut marked: HashSet<String> = HashSet::new();
    let trusted: Vec<NamedNode> = out
        .iter()
        .filter(|t| t.predicate == dct::PUBLISHER)
        .filter_map(|t| match &t.object {
            Term::NamedNode(p) if about.trusted.iter().any(|x| x == p.as_str()) => Some(p.clone()),
            _ => None,
        })
        .filter(|p| marked.insert(p.as_str().to_owned()))
        .collect();
    for p in trusted {
        let yes = Literal::new_typed_literal("true", xsd::BOOLEAN);
        out.push(Triple::new(p, healthdcatap::TRUSTED_DATA_HOLDER, yes));
    }
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };

    // Paging, both vocabularies. Links keep the request's filters; `next` continues after the
    // page's last record, so it stays right while the catalogue changes.
    let link = |pairs: &[(String, String)]| -> Term {
        let mut all = pairs.to_vec();
        all.push(("per_page".into(), per_page.to_string()));
        if req.dcat_ap {
            all.push(("profile".into(), "dcat-ap".into()));
        }
        all.extend(req.filters.iter().cloned());
        NamedNode::new_unchecked(format!("{base}{}", href(path, &all))).into()
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
    site: &CatalogueInfo,
    base: &str,
    catalog: &NamedNode,
    first_page: bool,
    out: &mut Vec<Triple>,
) {
    let cat: NamedOrBlankNode = catalog.clone().into();
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };
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

/// Notes the IRI `t` points to, if not `described` yet, as one whose shared description the page
/// needs.
fn note_named(t: oxrdf::TripleRef<'_>, described: &mut HashSet<String>, todo: &mut Vec<String>) {
    if let oxrdf::TermRef::NamedNode(n) = t.object
        && described.insert(n.as_str().to_owned())
    {
        todo.push(n.as_str().to_owned());
    }
}

/// Adds the shared descriptions of the IRIs in `todo`, and of those they point to in turn.
fn describe_reached(
    store: &Store,
    mut todo: Vec<String>,
    described: &mut HashSet<String>,
    add: &mut impl FnMut(&NamedOrBlankNode, NamedNode, Term),
) -> Result<(), healthcat_store::StoreError> {
    while let Some(iri) = todo.pop() {
        for d in store.shared_description(&iri)?.iter() {
            note_named(d, described, &mut todo);
            out_push(add, d);
        }
    }
    Ok(())
}

fn out_push(add: &mut impl FnMut(&NamedOrBlankNode, NamedNode, Term), t: oxrdf::TripleRef<'_>) {
    add(
        &t.subject.into_owned(),
        t.predicate.into_owned(),
        t.object.into_owned(),
    );
}

/// `path?k=v&…`, encoded.
fn href(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{path}?{}", q.finish())
}
