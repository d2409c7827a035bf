//! The dataset page (`/datasets/{id}`) and the record in every RDF syntax
//! (`/datasets/{id}.ttl|.nt|.rdf|.jsonld`, the ckanext-dcat aliases `/dataset/{id}.…`, or
//! `/datasets/{id}` with an RDF media type in `Accept`), with `ETag` (the content hash),
//! `Last-Modified`, 304 on conditional requests and `Vary: Accept`.
//!
//! Every HealthDCAT-AP field is shown in words: code-list IRIs by their label, numbers and dates
//! per locale, literals in the reader's language (else French, else English, else any) with their
//! own `lang` attribute.

use crate::kernel::extract::{Params, Visit};
use crate::kernel::i18n::{date, decimal, fill, number};
use crate::kernel::negotiate::RDF_VIEWS;
use crate::kernel::page::{Req, access_class, label};
use crate::kernel::urls::href;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_model::{DatasetView, LangMap, LocalId, RecordKind};
use healthcat_store::StoredRecord;
use healthcat_usage::Metric;
use serde_json::{Value, json};

/// `GET /datasets/{id}` (the page, or the RDF `Accept` asks for) and `GET /datasets/{id}.{ext}`.
pub(crate) async fn dataset(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Visit(visit): Visit,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let (id, syntax) = match file.rsplit_once('.') {
        Some((id, ext)) => match RDF_VIEWS.iter().find(|f| f.name() == ext) {
            Some(f) => (id.to_owned(), Some(*f)),
            None => return Err(not_acceptable(&format!("no .{ext} view"))),
        },
        None => {
            // The record's own address: the page for browsers, RDF for machines that ask.
            let offered: Vec<&str> = std::iter::once("text/html")
                .chain(RDF_VIEWS.iter().map(|f| f.media_type()))
                .collect();
            match crate::kernel::negotiate::pick(&headers, &offered) {
                None => return Err(not_acceptable("none of the types in Accept is offered")),
                Some("text/html") => (file, None),
                Some(media_type) => (
                    file,
                    RDF_VIEWS
                        .iter()
                        .find(|f| f.media_type() == media_type)
                        .copied(),
                ),
            }
        }
    };
    let id = LocalId::new(id).map_err(|_| AppError::not_found())?;
    // One trip to the blocking pool: read the record and build what is sent.
    enum Out {
        Missing,
        NotModified(String),
        Rdf(String, String, Vec<u8>),
        Page(Value),
    }
    let (st, lang, format) = (state.clone(), req.lang, syntax);
    let (base, explore) = (
        crate::kernel::negotiate::base_url(&headers),
        super::variables::Explore::from_params(&req.params),
    );
    let conditional = headers.clone();
    let local = id.as_str().to_owned();
    let out = blocking(move || {
        let Some(record) = st.store.get(&id)? else {
            return Ok(Out::Missing);
        };
        let Some(format) = format else {
            return Ok(Out::Page(context(&st, &record, lang, &base, &explore)));
        };
        // The content hash names this version of the record in every syntax.
        let etag = format!("\"{}\"", record.meta.hash);
        if crate::kernel::negotiate::not_modified(&conditional, &etag, &record.meta.modified) {
            return Ok(Out::NotModified(etag));
        }
        let bytes = healthcat_store::write_graph(&record.graph, Vec::new(), format)?;
        Ok(Out::Rdf(etag, record.meta.modified.clone(), bytes))
    })
    .await?;
    let vary = HeaderValue::from_static("Accept, Accept-Language, Cookie");
    let mut res = match out {
        Out::Missing => return Err(AppError::not_found()),
        Out::NotModified(etag) => {
            (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()
        }
        Out::Rdf(etag, modified, bytes) => {
            if let Some(m) = syntax.and_then(|f| Metric::download(f.name())) {
                state.usage.count(visit, &local, m);
            }
            let media_type = syntax.map_or("text/turtle", |f| f.media_type());
            let mut res = (
                [
                    (header::CONTENT_TYPE, format!("{media_type}; charset=utf-8")),
                    (header::ETAG, etag),
                ],
                bytes,
            )
                .into_response();
            if let Some(date) = crate::kernel::negotiate::http_date(&modified)
                .and_then(|d| HeaderValue::from_str(&d).ok())
            {
                res.headers_mut().insert(header::LAST_MODIFIED, date);
            }
            res
        }
        Out::Page(ctx) => {
            state.usage.count(visit, &local, Metric::View);
            // Logged-in stewards get the way to the editor and the history.
            let edit = crate::kernel::session::current(&state, &headers).map(|_| local);
            let ctx = json!({ "d": ctx, "edit": edit });
            req.page(&state, StatusCode::OK, "dataset.html", "search", ctx)?
        }
    };
    res.headers_mut().insert(header::VARY, vary);
    Ok(res)
}

/// `GET /datasets/{id}/access?to=URL`: follows one of the record's access routes (a
/// distribution's `dcat:accessURL`: typically the health data access body's application page),
/// counted as an access route followed. Only to an address the record gives: the catalogue is
/// not an open redirect.
pub(crate) async fn access(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Visit(visit): Visit,
    Params(params): Params,
) -> Result<Response, AppError> {
    let Some(to) = params
        .iter()
        .find(|(k, _)| k == "to")
        .map(|(_, v)| v.clone())
    else {
        return Err(AppError::bad_request(
            "give the access URL to follow: ?to=…",
        ));
    };
    let local = LocalId::new(id.clone()).map_err(|_| AppError::not_found())?;
    let (st, target) = (state.clone(), to.clone());
    let known = blocking(move || {
        let Some(record) = st.store.get(&local)? else {
            return Ok(None);
        };
        let d = record
            .meta
            .root
            .as_ref()
            .map(|r| DatasetView::new(&record.graph, r.as_ref()))
            .unwrap_or_default();
        Ok(Some(
            d.distributions
                .iter()
                .any(|d| d.access_urls.contains(&target)),
        ))
    })
    .await?;
    match known {
        None => Err(AppError::not_found()),
        Some(true) if to.starts_with("https://") || to.starts_with("http://") => {
            state.usage.count(visit, &id, Metric::Request);
            Ok(axum::response::Redirect::to(&to).into_response())
        }
        Some(_) => Err(AppError::bad_request(format!(
            "to: {to} is not an access URL of dataset {id}; follow a link of its page"
        ))),
    }
}

/// 406 with the views a record has.
fn not_acceptable(why: &str) -> AppError {
    let list: Vec<String> = RDF_VIEWS
        .iter()
        .map(|f| format!(".{} ({})", f.name(), f.media_type()))
        .collect();
    AppError::refused(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "{why}: a record is offered as text/html (its page) and as {}",
            list.join(", ")
        ),
    )
}

/// A literal in the reader's language, with the tag of the one shown.
pub(super) fn text(map: &LangMap, lang: &str) -> Option<(String, String)> {
    [lang, "fr", "en"]
        .iter()
        .find_map(|l| map.get(l).map(|t| (l.to_string(), t.to_owned())))
        .or_else(|| {
            map.values()
                .next()
                .map(|(l, t)| (l.to_owned(), t.to_owned()))
        })
}

/// One value of a field: text, optional link, optional language.
fn v(text: impl Into<String>) -> Value {
    json!({ "text": text.into(), "href": null, "lang": null })
}

fn link(text: impl Into<String>, href: &str) -> Value {
    // Only web links are links: a record cannot smuggle `javascript:` into a page.
    let safe = href.starts_with("https://") || href.starts_with("http://");
    json!({ "text": text.into(), "href": safe.then_some(href), "lang": null })
}

fn field(label: String, values: Vec<Value>) -> Option<Value> {
    (!values.is_empty()).then(|| json!({ "label": label, "values": values }))
}

fn context(
    state: &AppState,
    record: &StoredRecord,
    lang: &'static str,
    base: &str,
    explore: &super::variables::Explore,
) -> Value {
    let t = |k: &str| state.site.msg(lang, k);
    let meta = &record.meta;
    // The record read once: its view, dictionary and citation serve the whole page.
    let researcher = super::formats::Researcher::of(state, record, base, lang);
    let d = &researcher.view;
    let codes = |iris: &[String]| -> Vec<Value> {
        iris.iter()
            .map(|i| link(label(state, i, lang), i))
            .collect()
    };
    let (title_lang, title) =
        text(&d.title, lang).unwrap_or_else(|| (String::new(), meta.key.clone()));
    let description = text(&d.description, lang).map(|(l, t)| {
        json!({ "lang": l, "paragraphs": t.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>() })
    });
    let agent_name =
        |a: &healthcat_model::AgentView| super::formats::agent_name(state, a, &meta.source, lang);
    let keywords: Vec<Value> = d
        .keywords
        .values()
        .filter(|(l, _)| l.is_empty() || *l == lang || d.keywords.get(lang).is_none())
        .map(|(l, k)| json!({ "text": k, "href": null, "lang": l }))
        .collect();
    let publisher = d.publisher.as_ref().map(|p| {
        let name = agent_name(p).unwrap_or_else(|| p.iri.clone().unwrap_or_default());
        match &p.iri {
            Some(iri) => json!({ "text": name, "href": href("/publishers", &[("iri".into(), iri.clone())]), "lang": null }),
            None => v(name),
        }
    });
    let temporal: Vec<Value> = d
        .temporal
        .iter()
        .filter_map(|(s, e)| {
            let (s, e) = (
                s.as_deref().map(|x| date(x, lang)),
                e.as_deref().map(|x| date(x, lang)),
            );
            match (s, e) {
                (Some(s), Some(e)) => {
                    Some(fill(&t("temporal_range"), &[("start", &s), ("end", &e)]))
                }
                (Some(s), None) => Some(fill(&t("temporal_from"), &[("start", &s)])),
                (None, Some(e)) => Some(fill(&t("temporal_to"), &[("end", &e)])),
                (None, None) => None,
            }
        })
        .map(v)
        .collect();
    let about: Vec<Value> = [
        field(t("field_publisher"), publisher.into_iter().collect()),
        field(t("field_keywords"), keywords),
        field(t("field_health_categories"), codes(&d.health_categories)),
        field(t("field_health_themes"), codes(&d.health_themes)),
        field(t("field_themes"), codes(&d.themes)),
        field(t("field_temporal"), temporal),
        field(t("field_spatial"), codes(&d.spatial)),
        field(t("field_languages"), codes(&d.languages)),
        field(t("field_coding_systems"), codes(&d.coding_systems)),
        field(t("field_legislation"), codes(&d.legislation)),
        field(
            t("field_identifiers"),
            d.identifiers.iter().map(v).collect(),
        ),
        field(
            t("field_landing_page"),
            d.landing_pages.iter().map(|u| link(u.clone(), u)).collect(),
        ),
        field(
            t("field_issued"),
            d.issued.iter().map(|x| v(date(x, lang))).collect(),
        ),
        field(
            t("field_modified"),
            d.modified.iter().map(|x| v(date(x, lang))).collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let ages = match (d.min_typical_age, d.max_typical_age) {
        (Some(a), Some(b)) => Some(fill(
            &t("age_range"),
            &[("min", &a.to_string()), ("max", &b.to_string())],
        )),
        (Some(a), None) => Some(fill(&t("age_from"), &[("min", &a.to_string())])),
        (None, Some(b)) => Some(fill(&t("age_to"), &[("max", &b.to_string())])),
        (None, None) => None,
    };
    let population: Vec<Value> = [
        field(
            t("field_population"),
            text(&d.population_coverage, lang)
                .map(|(l, p)| json!({ "text": p, "href": null, "lang": l }))
                .into_iter()
                .collect(),
        ),
        field(t("field_age_range"), ages.into_iter().map(v).collect()),
        field(
            t("field_records"),
            d.number_of_records
                .iter()
                .map(|n| v(number(*n, lang)))
                .collect(),
        ),
        field(
            t("field_individuals"),
            d.number_of_unique_individuals
                .iter()
                .map(|n| v(number(*n, lang)))
                .collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let hdab = d.hdab.as_ref().map(|h| {
        let name = agent_name(h).unwrap_or_else(|| h.iri.clone().unwrap_or_default());
        (name, h.contact.clone())
    });
    let contact = |c: &str| {
        if let Some(mail) = c.strip_prefix("mailto:") {
            json!({ "text": mail, "href": c, "lang": null })
        } else if c.contains('@') && !c.contains('/') {
            json!({ "text": c, "href": format!("mailto:{c}"), "lang": null })
        } else {
            link(c.to_owned(), c)
        }
    };
    let access_fields: Vec<Value> = [
        field(
            t("field_access_rights"),
            d.access_rights
                .iter()
                .map(|a| link(label(state, a, lang), a))
                .collect(),
        ),
        field(
            t("field_hdab"),
            hdab.iter().map(|(n, _)| v(n.clone())).collect(),
        ),
        field(
            t("field_access_request"),
            hdab.iter()
                .flat_map(|(n, c)| {
                    let mut out = vec![v(fill(&t("hdab_request"), &[("name", n)]))];
                    out.extend(c.as_deref().map(contact));
                    out
                })
                .collect(),
        ),
        field(
            t("field_contact"),
            d.contact_points.iter().map(|c| contact(c)).collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Access routes go through the catalogue, to count them (`access` below).
    let own_id = meta
        .local_id
        .as_ref()
        .map(|i| i.as_str())
        .unwrap_or_default();
    let distributions: Vec<Value> = d
        .distributions
        .iter()
        .map(|dist| {
            let (tl, title) = text(&dist.title, lang).unwrap_or_else(|| (String::new(), t("distribution_title")));
            let mut links: Vec<Value> = Vec::new();
            for u in &dist.access_urls {
                let mut l = link(t("distribution_access"), u);
                if !l["href"].is_null() {
                    l["href"] = json!(href(&format!("/datasets/{own_id}/access"), &[("to".into(), u.clone())]));
                }
                links.push(l);
            }
            for u in &dist.download_urls {
                links.push(link(t("distribution_download"), u));
            }
            links.retain(|l| !l["href"].is_null());
            json!({
                "title": title,
                "title_lang": tl,
                "format": dist.format.as_deref().map(|f| label(state, f, lang)).unwrap_or_default(),
                "license": dist.license.as_deref().map(|l| label(state, l, lang)).unwrap_or_default(),
                "links": links,
            })
        })
        .collect();
    let source = if meta.source == "local" {
        t("catalogues_local")
    } else {
        meta.source.clone()
    };
    let provenance: Vec<Value> = [
        field(t("field_source"), vec![json!({ "text": source, "href": href("/search", &[("source".into(), meta.source.clone())]), "lang": null })]),
        field(t("field_original_iri"), d.iri.iter().map(|i| link(i.clone(), i)).collect()),
        field(t("field_origin"), vec![v(meta.origin.clone())]),
        field(t("field_first_seen"), vec![v(date(&meta.first_seen, lang))]),
    ]
    .into_iter()
    .flatten()
    .collect();
    let validation = meta.validation.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok()).map(|s| {
        let profile = s["profile"].as_str().unwrap_or("?").to_owned();
        let problems = s["violations"].as_u64().unwrap_or(0) + s["warnings"].as_u64().unwrap_or(0);
        let label = if s["conforms"].as_bool() == Some(true) {
            fill(&t("validation_conforms"), &[("profile", &profile)])
        } else {
            fill(&t("validation_fails"), &[("profile", &profile), ("n", &number(problems, lang))])
        };
        json!({ "label": label, "messages": s["messages"].as_array().cloned().unwrap_or_default() })
    });
    let id = meta
        .local_id
        .as_ref()
        .map(|i| i.as_str().to_owned())
        .unwrap_or_default();
    let rdf: Vec<Value> = RDF_VIEWS
        .iter()
        .map(|f| json!({ "href": format!("/datasets/{id}.{}", f.name()), "media_type": f.media_type(), "name": f.label() }))
        .collect();
    let kind = match d.kind {
        Some(RecordKind::DataService) => t("kind_service"),
        Some(RecordKind::DatasetSeries) => t("kind_series"),
        _ => t("kind_dataset"),
    };
    json!({
        "id": id,
        "kind_label": kind,
        "title": { "text": title, "lang": title_lang },
        "description": description,
        "access": d.access_rights.as_deref().map(|a| json!({
            "badge": fill(&t("access_badge"), &[("level", &label(state, a, lang))]),
            "class": access_class(a),
        })),
        "about": about,
        "population": population,
        "access_fields": access_fields,
        "distributions": distributions,
        "variables": explore.view(state, &researcher.dictionary, &id, lang),
        "cite": {
            "bibtex": researcher.citation.bibtex(),
            "links": [
                { "href": format!("/datasets/{id}/cite.bib"), "text": t("cite_bibtex"), "type": "application/x-bibtex" },
                { "href": format!("/datasets/{id}/cite.ris"), "text": t("cite_ris"), "type": "application/x-research-info-systems" },
                { "href": format!("/datasets/{id}/datacite.xml"), "text": t("cite_datacite"), "type": "application/xml" },
            ],
        },
        "croissant": format!("/datasets/{id}/croissant.jsonld"),
        "jsonld": researcher.script(),
        "provenance": provenance,
        "validation": validation,
        "quality": quality(state, record, &id, lang),
        "series": super::series::context(state, d, lang),
        "trusted": d
            .publisher
            .as_ref()
            .and_then(|p| p.iri.as_deref())
            .and_then(|iri| state.trusted.get(iri))
            .map(|h| json!({
                "badge": t("trusted_badge"),
                "decision": fill(&t("trusted_decision"), &[("date", &date(&h.decided, lang)), ("reference", &h.reference)]),
            })),
        "rdf": rdf,
        "statistics": href("/statistics", &[("dataset".into(), id.clone())]),
    })
}

/// The quality block: the MQA band and score, the top three pieces of advice, the 2026/2098
/// elements given — as kept with the record on its last write; `None` for a record that is not
/// a dataset or cannot be assessed (the page still shows, the error is logged).
fn quality(state: &AppState, record: &StoredRecord, id: &str, lang: &str) -> Option<Value> {
    let t = |k: &str| state.site.msg(lang, k);
    let k = match crate::kernel::quality::kept(state, record) {
        Ok(k) => k?,
        Err(e) => {
            tracing::warn!(record = %record.meta.key, error = %e, "quality not assessed");
            return None;
        }
    };
    let v = crate::kernel::quality::kept_view(state, &k, id, lang);
    let band = v["band_label"].as_str().unwrap_or_default();
    let (total, out_of) = (k.summary.total as u64, k.summary.out_of as u64);
    let unchecked = healthcat_quality::MAX_POINTS as u64 - out_of;
    let advice: Vec<Value> = v["advice"]
        .as_array()
        .into_iter()
        .flatten()
        .take(3)
        .cloned()
        .collect();
    Some(json!({
        "band": v["band"],
        "badge": fill(&t("quality_badge"), &[("band", band)]),
        "score": fill(&t("quality_score"), &[("total", &number(total, lang)), ("out_of", &number(out_of, lang)), ("band", band)]),
        "not_checked": (unchecked > 0).then(|| fill(&t("quality_not_checked"), &[("n", &number(unchecked, lang))])),
        "advice": advice,
        "minimum": fill(&t("quality_minimum"), &[
            ("present", &k.summary.present.to_string()),
            ("applicable", &k.summary.applicable.to_string()),
        ]),
        "details": format!("/api/datasets/{id}/quality?lang={lang}"),
        "label": k.label.as_ref().map(|l| label_block(state, l, lang)),
        "own": own_annotations(record, &t),
        "health": k.health.as_ref().map(|h| {
            let level = v["health"]["level_label"].as_str().unwrap_or_default();
            let mut text = fill(&t("quality_health"), &[
                ("level", level),
                ("mandatory", &h.mandatory.0.to_string()),
                ("mandatory_of", &h.mandatory.1.to_string()),
                ("recommended", &h.recommended.0.to_string()),
                ("recommended_of", &h.recommended.1.to_string()),
            ]);
            if h.outside > 0 {
                text.push(' ');
                text.push_str(&fill(&t("quality_health_outside"), &[("n", &h.outside.to_string())]));
            }
            text
        }),
    }))
}

/// The quality statements the record itself carries (a harvested record's source's, or its
/// holder's): the MQA score its source published (`pv:score`) and its quality certificates
/// (`dqv:hasQualityAnnotation` → `oa:hasBody`), kept as given and shown as theirs; `None` when
/// it carries none.
fn own_annotations(record: &StoredRecord, t: &dyn Fn(&str) -> String) -> Option<Value> {
    use healthcat_model::vocab::{dqv, oa, pv};
    let root = record.meta.root.as_ref()?;
    let g = &record.graph;
    let node = |t: oxrdf::TermRef<'_>| -> Option<oxrdf::NamedOrBlankNode> {
        match t {
            oxrdf::TermRef::NamedNode(n) => Some(n.into_owned().into()),
            oxrdf::TermRef::BlankNode(b) => Some(b.into_owned().into()),
            oxrdf::TermRef::Literal(_) => None,
        }
    };
    let score_metric = format!("{}score", pv::NS);
    let score = g
        .objects_for_subject_predicate(root.as_ref(), dqv::HAS_QUALITY_MEASUREMENT)
        .filter_map(node)
        .find(|m| {
            g.object_for_subject_predicate(m.as_ref(), dqv::IS_MEASUREMENT_OF)
                .is_some_and(
                    |o| matches!(o, oxrdf::TermRef::NamedNode(n) if n.as_str() == score_metric),
                )
        })
        .and_then(
            |m| match g.object_for_subject_predicate(m.as_ref(), dqv::VALUE) {
                Some(oxrdf::TermRef::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            },
        );
    let certificates: Vec<String> = g
        .objects_for_subject_predicate(root.as_ref(), dqv::HAS_QUALITY_ANNOTATION)
        .filter_map(node)
        .filter_map(
            |c| match g.object_for_subject_predicate(c.as_ref(), oa::HAS_BODY) {
                Some(oxrdf::TermRef::NamedNode(n)) => Some(n.as_str().to_owned()),
                _ => None,
            },
        )
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .collect();
    if score.is_none() && certificates.is_empty() {
        return None;
    }
    Some(json!({
        "score": score.map(|s| fill(&t("quality_own_score"), &[("score", &s)])),
        "certificates": certificates,
    }))
}

/// The Article 78 label as kept: its score and stars, then each dimension's metrics at their
/// level, computed or declared (the evidence is in the JSON details).
fn label_block(state: &AppState, l: &healthcat_quality::KeptLabel, lang: &str) -> Value {
    let t = |k: &str| state.site.msg(lang, k);
    let spec = state.quality.label_spec();
    let current = l.levels.len() == spec.metrics.len();
    let rows: Vec<Value> = if current {
        spec.metrics
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let level = l.level(i);
                let by = match (m.computed, level) {
                    (Some(_), _) => "computed",
                    (None, Some(_)) => "declared",
                    (None, None) => "not_declared",
                };
                json!({
                    "dimension": spec.dimension(&m.dimension).map(|d| d.name.get(lang)),
                    "metric": m.name.get(lang),
                    "level": level.map(|v| format!("{v}/{} — {}", m.max(), m.level(v, lang))),
                    "by": healthcat_quality::messages::fill(lang, &format!("label.by.{by}"), &[]),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let stars =
        healthcat_quality::messages::fill(lang, "label.stars", &[("stars", &l.stars.to_string())]);
    json!({
        "stars": l.stars,
        "summary": fill(&t("quality_label"), &[("score", &decimal(l.score, lang)), ("stars", &stars)]),
        "undeclared": (l.undeclared > 0.0).then(|| fill(&t("quality_label_undeclared"), &[("points", &decimal(l.undeclared, lang))])),
        "maturity": l.maturity.map(|(score, n)| fill(&t("quality_label_maturity"), &[
            ("score", &score.to_string()),
            ("out_of", &(5 * spec.maturity.len()).to_string()),
            ("n", &n.to_string()),
            ("of", &spec.maturity.len().to_string()),
        ])),
        "rows": rows,
    })
}
