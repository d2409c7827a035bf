//! Handing a basket over to where access applications are made: as JSON (the format
//! `healthcat-basket/1`, below), as HealthDCAT-AP Turtle, as each HDAB's request page filled from
//! the URL template it declares, or POSTed to a configured data-access-application endpoint.
//!
//! The JSON document:
//!
//! ```text
//! { "format": "healthcat-basket/1", "catalogue": "https://catalogue.example", "created": RFC 3339,
//!   "applications": [                      // one per deciding body and access level
//!     { "authority": { "iri", "name", "role": "hdab" | "publisher", "contact" },
//!       "access_rights": IRI | null,
//!       "datasets": [ { "id", "iri", "title", "page", "access_urls": [URL],
//!                       "variables": [ { "table", "name", "iri", "title" } ], "note" } ] } ],
//!   "withdrawn": [ id ] }              // records withdrawn since they were added
//! ```

use crate::{Group, Resolved};
use futures_util::StreamExt;
use healthcat_model::vocab::{csvw, dcat, dct, healthdcatap, rdf, rdfs, xsd};
use oxrdf::{BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, Triple};
use serde_json::{Value, json};
use std::time::Duration;

/// The JSON format's name and version.
pub const FORMAT: &str = "healthcat-basket/1";

fn page(base: &str, id: &str) -> String {
    format!("{base}/datasets/{id}")
}

fn best(map: &healthcat_model::LangMap, lang: &str) -> String {
    map.best(&[lang, "fr", "en"])
        .or_else(|| map.values().next().map(|(_, t)| t))
        .unwrap_or_default()
        .to_owned()
}

/// The basket as the JSON document above; `base` is the catalogue's address, `now` RFC 3339.
pub fn to_json(r: &Resolved, base: &str, now: &str, lang: &str) -> Value {
    let applications: Vec<Value> = r
        .groups
        .iter()
        .map(|g| {
            let datasets: Vec<Value> = g
                .entries
                .iter()
                .map(|e| {
                    let variables: Vec<Value> = e
                        .chosen()
                        .map(|v| json!({ "table": v.table, "name": v.name, "iri": v.iri, "title": best(&v.titles, lang) }))
                        .collect();
                    let access: Vec<&String> = e
                        .view
                        .distributions
                        .iter()
                        .flat_map(|d| d.access_urls.iter())
                        .collect();
                    json!({
                        "id": e.id,
                        "iri": e.view.iri,
                        "title": best(&e.view.title, lang),
                        "page": page(base, &e.id),
                        "access_urls": access,
                        "variables": variables,
                        "note": e.note,
                    })
                })
                .collect();
            json!({
                "authority": {
                    "iri": g.authority.iri,
                    "name": g.authority.name(lang),
                    "role": if g.is_hdab { "hdab" } else { "publisher" },
                    "contact": g.authority.contact,
                },
                "access_rights": g.access_rights,
                "datasets": datasets,
            })
        })
        .collect();
    json!({
        "format": FORMAT,
        "catalogue": base,
        "created": now,
        "applications": applications,
        "withdrawn": r.withdrawn,
    })
}

fn iri(s: &str) -> Option<NamedNode> {
    NamedNode::new(s).ok()
}

/// The basket as HealthDCAT-AP Turtle: a `dcat:Catalog` of the datasets, each with its title,
/// HDAB (or publisher), access rights, the note as `rdfs:comment`, and the chosen variables as a
/// CSVW table group of the chosen columns.
pub fn to_turtle(r: &Resolved, base: &str, now: &str) -> Result<String, std::io::Error> {
    let mut g = Graph::new();
    let basket = BlankNode::default();
    g.insert(&Triple::new(basket.clone(), rdf::TYPE, dcat::CATALOG));
    for (lang, title) in [
        ("fr", "Panier de demande d'accès"),
        ("en", "Access request basket"),
    ] {
        g.insert(&Triple::new(
            basket.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked(title, lang),
        ));
    }
    g.insert(&Triple::new(
        basket.clone(),
        dct::ISSUED,
        Literal::new_typed_literal(now, xsd::DATE_TIME),
    ));
    for group in &r.groups {
        for e in &group.entries {
            let ds: NamedOrBlankNode = e
                .view
                .iri
                .as_deref()
                .and_then(iri)
                .or_else(|| iri(&page(base, &e.id)))
                .map_or_else(|| BlankNode::default().into(), Into::into);
            g.insert(&Triple::new(basket.clone(), dcat::DATASET_PROP, ds.clone()));
            g.insert(&Triple::new(ds.clone(), rdf::TYPE, dcat::DATASET));
            for (lang, t) in e.view.title.values() {
                let l = if lang.is_empty() {
                    Literal::new_simple_literal(t)
                } else {
                    Literal::new_language_tagged_literal(t, lang)
                        .unwrap_or_else(|_| Literal::new_simple_literal(t))
                };
                g.insert(&Triple::new(ds.clone(), dct::TITLE, l));
            }
            if let Some(body) = iri(&group.authority.iri) {
                let p = if group.is_hdab {
                    healthdcatap::HDAB
                } else {
                    dct::PUBLISHER
                };
                g.insert(&Triple::new(ds.clone(), p, body));
            }
            if let Some(a) = group.access_rights.as_deref().and_then(iri) {
                g.insert(&Triple::new(ds.clone(), dct::ACCESS_RIGHTS, a));
            }
            if !e.note.is_empty() {
                g.insert(&Triple::new(
                    ds.clone(),
                    rdfs::COMMENT,
                    Literal::new_simple_literal(&e.note),
                ));
            }
            let chosen: Vec<_> = e.chosen().collect();
            if chosen.is_empty() {
                continue;
            }
            let group_node = BlankNode::default();
            g.insert(&Triple::new(
                ds.clone(),
                healthdcatap::HAS_VARIABLES,
                group_node.clone(),
            ));
            g.insert(&Triple::new(
                group_node.clone(),
                rdf::TYPE,
                csvw::TABLE_GROUP,
            ));
            g.insert(&Triple::new(
                group_node.clone(),
                dct::TITLE,
                Literal::new_language_tagged_literal_unchecked("Requested variables", "en"),
            ));
            let mut tables: Vec<(String, BlankNode)> = Vec::new();
            for v in chosen {
                let table = match tables.iter().find(|(k, _)| *k == v.table) {
                    Some((_, t)) => t.clone(),
                    None => {
                        let t = BlankNode::default();
                        g.insert(&Triple::new(
                            group_node.clone(),
                            csvw::TABLE_PROP,
                            t.clone(),
                        ));
                        g.insert(&Triple::new(t.clone(), rdf::TYPE, csvw::TABLE));
                        g.insert(&Triple::new(
                            t.clone(),
                            dct::TITLE,
                            Literal::new_simple_literal(&v.table),
                        ));
                        tables.push((v.table.clone(), t.clone()));
                        t
                    }
                };
                let column: NamedOrBlankNode = v
                    .iri
                    .as_deref()
                    .and_then(iri)
                    .map_or_else(|| BlankNode::default().into(), Into::into);
                g.insert(&Triple::new(table, csvw::COLUMN_PROP, column.clone()));
                g.insert(&Triple::new(column.clone(), rdf::TYPE, csvw::COLUMN));
                g.insert(&Triple::new(
                    column,
                    csvw::NAME,
                    Literal::new_simple_literal(&v.name),
                ));
            }
        }
    }
    let mut s = oxttl::TurtleSerializer::new();
    for (p, ns) in [
        ("dcat", dcat::NS),
        ("dct", dct::NS),
        ("healthdcatap", healthdcatap::NS),
        ("csvw", csvw::NS),
        ("rdfs", rdfs::NS),
        ("xsd", xsd::NS),
    ] {
        s = s.with_prefix(p, ns).map_err(std::io::Error::other)?;
    }
    let mut w = s.for_writer(Vec::new());
    for t in &g {
        w.serialize_triple(t)?;
    }
    let bytes = w.finish()?;
    String::from_utf8(bytes).map_err(std::io::Error::other)
}

/// An HDAB's request page: its IRI and a URL template whose `{datasets}` (the datasets' IRIs),
/// `{ids}` (their ids in this catalogue) and `{variables}` (`dataset-id:table/name` of the
/// variables chosen) are replaced, comma-separated and percent-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPage {
    /// The HDAB's IRI, as records name it in `healthdcatap:hdab`.
    pub hdab: String,
    /// The template, an http(s) URL.
    pub url_template: String,
}

impl RequestPage {
    /// Checks the template: an http(s) URL with at least one placeholder, and no unknown one.
    pub fn new(hdab: String, url_template: String) -> Result<Self, crate::BasketError> {
        let bad = |why: &str| {
            crate::BasketError::Bad(format!(
                "basket request page of {hdab}: url_template {url_template:?} {why}"
            ))
        };
        if !(url_template.starts_with("https://") || url_template.starts_with("http://")) {
            return Err(bad("must be an http(s) URL"));
        }
        let mut rest = url_template.as_str();
        let mut any = false;
        while let Some(i) = rest.find('{') {
            let end = rest[i..]
                .find('}')
                .ok_or_else(|| bad("has an unclosed {"))?;
            let name = &rest[i + 1..i + end];
            if !matches!(name, "datasets" | "ids" | "variables") {
                return Err(bad(&format!(
                    "has {{{name}}}: the placeholders are {{datasets}}, {{ids}} and {{variables}}"
                )));
            }
            any = true;
            rest = &rest[i + end + 1..];
        }
        if !any {
            return Err(bad("has no placeholder ({datasets}, {ids} or {variables})"));
        }
        Ok(RequestPage { hdab, url_template })
    }

    /// The page for `group`'s datasets.
    pub fn url(&self, group: &Group, base: &str) -> String {
        let enc = |values: Vec<String>| -> String {
            form_urlencoded::byte_serialize(values.join(",").as_bytes()).collect()
        };
        let datasets = enc(group
            .entries
            .iter()
            .map(|e| e.view.iri.clone().unwrap_or_else(|| page(base, &e.id)))
            .collect());
        let ids = enc(group.entries.iter().map(|e| e.id.clone()).collect());
        let variables = enc(group
            .entries
            .iter()
            .flat_map(|e| e.chosen().map(move |v| format!("{}:{}", e.id, v.key)))
            .collect());
        self.url_template
            .replace("{datasets}", &datasets)
            .replace("{ids}", &ids)
            .replace("{variables}", &variables)
    }
}

/// What the application system answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The HTTP status.
    pub status: u16,
    /// Its reference for the draft application (`reference` or `id` in its JSON answer).
    pub reference: Option<String>,
    /// Where to continue the application (`url`, an http(s) address).
    pub url: Option<String>,
}

/// Why the basket was not handed over; the basket is untouched either way.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The system did not answer, or answered with a server error: try again later.
    #[error("the application system did not take the basket ({0})")]
    Unavailable(String),
    /// The system refused it (4xx): what it said.
    #[error("the application system refused the basket: {0}")]
    Refused(String),
}

/// Largest answer read from the application system.
const MAX_ANSWER: usize = 64 << 10;

/// The configured data-access-application endpoint.
#[derive(Debug, Clone)]
pub struct Submitter {
    client: reqwest::Client,
    url: String,
}

impl Submitter {
    /// POSTs baskets to `url` (http or https) with a time limit; redirects are not followed.
    pub fn new(url: &str, timeout: Duration) -> Result<Self, crate::BasketError> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(crate::BasketError::Bad(format!(
                "basket submit_url {url:?} must be an http(s) URL"
            )));
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .user_agent(concat!(
                "healthcat/",
                env!("CARGO_PKG_VERSION"),
                " (basket)"
            ))
            .build()
            .map_err(|e| crate::BasketError::Bad(e.to_string()))?;
        Ok(Submitter {
            client,
            url: url.to_owned(),
        })
    }

    /// Where baskets go.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// POSTs `document` (the JSON of [`to_json`]).
    pub async fn submit(&self, document: &Value) -> Result<Receipt, SubmitError> {
        let res = self
            .client
            .post(&self.url)
            .header("Content-Type", "application/json")
            .body(document.to_string())
            .send()
            .await
            .map_err(|e| SubmitError::Unavailable(chain(&e)))?;
        let status = res.status().as_u16();
        let mut body = Vec::new();
        let mut stream = res.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| SubmitError::Unavailable(chain(&e)))?;
            let room = MAX_ANSWER.saturating_sub(body.len()).min(chunk.len());
            body.extend_from_slice(&chunk[..room]);
        }
        let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let text = || {
            v["error"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| String::from_utf8_lossy(&body).chars().take(300).collect())
        };
        match status {
            200..=299 => Ok(Receipt {
                status,
                reference: v["reference"]
                    .as_str()
                    .or(v["id"].as_str())
                    .map(str::to_owned),
                url: v["url"]
                    .as_str()
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .map(str::to_owned),
            }),
            400..=499 => Err(SubmitError::Refused(format!("HTTP {status}: {}", text()))),
            _ => Err(SubmitError::Unavailable(format!(
                "HTTP {status}: {}",
                text()
            ))),
        }
    }
}

/// An error with its causes, one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}
