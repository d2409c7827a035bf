//! A record for machine-learning tools and search engines: [Croissant] 1.0 JSON-LD (MLCommons'
//! schema.org extension: the dataset, its files, one record set per CSVW table with one field per
//! column), and the plain schema.org `Dataset` a dataset page embeds for search engines.
//!
//! Croissant requires every file object to have a `contentUrl` and a checksum. The files behind a
//! health dataset are usually extracted per permit: there is no fixed file to hash. So a table's
//! file object points to the table's `csvw:url` when the record gives one, else to the record's
//! access route (its first `dcat:accessURL`), else to the dataset's page, and the dataset says
//! `isLiveDataset: true` — Croissant's way of saying its content is not a fixed set of bytes.
//!
//! [Croissant]: https://docs.mlcommons.org/croissant/docs/croissant-spec.html

use crate::cite::Citation;
use healthcat_model::{DatasetView, Dictionary, LocalId};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// The Croissant version written.
pub const CONFORMS_TO: &str = "http://mlcommons.org/croissant/1.0";

/// Croissant's standard JSON-LD context (version 1.0), as its validator expects it.
fn context() -> Value {
    json!({
        "@language": "en",
        "@vocab": "https://schema.org/",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": { "@id": "cr:data", "@type": "@json" },
        "dataType": { "@id": "cr:dataType", "@type": "@vocab" },
        "dct": "http://purl.org/dc/terms/",
        "equivalentProperty": "cr:equivalentProperty",
        "examples": { "@id": "cr:examples", "@type": "@json" },
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "samplingRate": "cr:samplingRate",
        "sc": "https://schema.org/",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform"
    })
}

/// What both views are built from.
pub struct Described<'a> {
    /// The record.
    pub view: &'a DatasetView,
    /// Its data dictionary.
    pub dictionary: &'a Dictionary,
    /// Its citation (title, publisher, year, identifiers in the reader's language).
    pub citation: &'a Citation,
    /// The dataset's page in the catalogue (absolute).
    pub page: &'a str,
}

/// The schema.org data type of a CSVW datatype.
pub fn data_type(csvw: Option<&str>) -> &'static str {
    let t = csvw.unwrap_or("string");
    let t = t.rsplit(['#', '/']).next().unwrap_or(t);
    match t {
        "boolean" => "sc:Boolean",
        "date" => "sc:Date",
        "dateTime" | "datetime" | "dateTimeStamp" => "sc:DateTime",
        "time" => "sc:Time",
        "anyURI" => "sc:URL",
        "decimal" | "double" | "float" | "number" => "sc:Float",
        t if t.ends_with("nteger")
            || matches!(
                t,
                "long"
                    | "int"
                    | "short"
                    | "byte"
                    | "unsignedLong"
                    | "unsignedInt"
                    | "unsignedShort"
                    | "unsignedByte"
                    | "gYear"
            ) =>
        {
            "sc:Integer"
        }
        _ => "sc:Text",
    }
}

/// The properties both views share: name, description, url, creator, dates, keywords, licence.
fn common(d: &Described<'_>) -> Map<String, Value> {
    let c = d.citation;
    let mut m = Map::new();
    m.insert("name".into(), json!(c.title));
    m.insert(
        "description".into(),
        json!(c.description.clone().unwrap_or_else(|| c.title.clone())),
    );
    m.insert("url".into(), json!(d.page));
    if let Some(iri) = d.view.iri.as_deref().filter(|i| *i != d.page) {
        m.insert("sameAs".into(), json!(iri));
    }
    let org = |iri: Option<&String>| {
        let mut o = json!({ "@type": "sc:Organization", "name": c.publisher });
        if let Some(i) = iri.filter(|i| i.starts_with("http")) {
            o["url"] = json!(i);
        }
        o
    };
    let publisher_iri = d.view.publisher.as_ref().and_then(|p| p.iri.as_ref());
    m.insert("creator".into(), org(publisher_iri));
    m.insert("publisher".into(), org(publisher_iri));
    if let Some(i) = &d.view.issued {
        m.insert("datePublished".into(), json!(i));
    }
    if let Some(i) = &d.view.modified {
        m.insert("dateModified".into(), json!(i));
    }
    if let Some(v) = &d.view.version {
        m.insert("version".into(), json!(v));
    }
    let mut ids: Vec<String> = c
        .doi
        .iter()
        .map(|d| format!("https://doi.org/{d}"))
        .collect();
    ids.extend(c.identifier.iter().cloned());
    if !ids.is_empty() {
        m.insert("identifier".into(), json!(ids));
    }
    if !c.keywords.is_empty() {
        m.insert("keywords".into(), json!(c.keywords));
    }
    if let Some(l) = d.view.distributions.iter().find_map(|x| x.license.clone()) {
        m.insert("license".into(), json!(l));
    }
    if !c.title_lang.is_empty() {
        m.insert("inLanguage".into(), json!(c.title_lang));
    }
    m
}

/// The schema.org `Dataset` for a page's `<script type="application/ld+json">`: the common
/// properties, the temporal coverage, whether it is free to access (public data), the variables
/// measured (at most 200) and the download links.
pub fn schema_org(d: &Described<'_>) -> Value {
    let mut m = common(d);
    m.insert("@context".into(), json!("https://schema.org/"));
    m.insert("@type".into(), json!("Dataset"));
    for k in ["creator", "publisher"] {
        if let Some(o) = m.get_mut(k) {
            o["@type"] = json!("Organization");
        }
    }
    if let Some((s, e)) = d.view.temporal.first() {
        let range = format!(
            "{}/{}",
            s.as_deref().unwrap_or(".."),
            e.as_deref().unwrap_or("..")
        );
        m.insert("temporalCoverage".into(), json!(range));
    }
    if let Some(level) = d.view.access_level() {
        m.insert("isAccessibleForFree".into(), json!(level == "PUBLIC"));
    }
    let variables: Vec<Value> = d
        .dictionary
        .variables()
        .take(200)
        .map(|(_, c)| {
            let mut v = json!({ "@type": "PropertyValue", "name": c.name });
            if let Some(t) = c.description.best(&[&d.citation.title_lang, "en", "fr"]) {
                v["description"] = json!(t);
            }
            if let Some(u) = &c.unit {
                v["unitText"] = json!(u);
            }
            v
        })
        .collect();
    if !variables.is_empty() {
        m.insert("variableMeasured".into(), json!(variables));
    }
    let downloads: Vec<Value> = d
        .view
        .distributions
        .iter()
        .flat_map(|x| x.download_urls.iter())
        .map(|u| json!({ "@type": "DataDownload", "contentUrl": u }))
        .collect();
    if !downloads.is_empty() {
        m.insert("distribution".into(), json!(downloads));
    }
    Value::Object(m)
}

/// Unique, IRI-safe ids for record sets and fields.
#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    fn take(&mut self, prefix: &str, text: &str) -> String {
        let slug = LocalId::slugify(text).map_or_else(|| "x".to_owned(), |s| s.to_string());
        let base = format!("{prefix}{slug}");
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// The Croissant JSON-LD of a dataset: one file object and one record set per dictionary table.
pub fn croissant(d: &Described<'_>) -> Value {
    let mut m = common(d);
    m.insert("@context".into(), context());
    m.insert("@type".into(), json!("sc:Dataset"));
    m.insert("conformsTo".into(), json!(CONFORMS_TO));
    m.insert("citeAs".into(), json!(d.citation.bibtex()));
    m.insert("isLiveDataset".into(), json!(true));
    let access = d
        .view
        .distributions
        .iter()
        .flat_map(|x| x.access_urls.iter())
        .find(|u| u.starts_with("https://") || u.starts_with("http://"))
        .cloned()
        .unwrap_or_else(|| d.page.to_owned());
    let lang = [d.citation.title_lang.as_str(), "en", "fr"];
    let mut ids = Ids::default();
    let mut files = Vec::new();
    let mut sets = Vec::new();
    for table in &d.dictionary.tables {
        let key = table.key();
        let file_id = ids.take("file/", &key);
        let set_id = ids.take("", &key);
        files.push(json!({
            "@type": "cr:FileObject",
            "@id": file_id,
            "name": file_id,
            "contentUrl": table.url.clone().unwrap_or_else(|| access.clone()),
            "encodingFormat": "text/csv",
        }));
        let fields: Vec<Value> = table
            .columns
            .iter()
            .filter(|c| !c.name.is_empty())
            .map(|c| {
                let mut f = json!({
                    "@type": "cr:Field",
                    "@id": ids.take(&format!("{set_id}/"), &c.name),
                    "name": c.name,
                    "dataType": data_type(c.datatype.as_deref()),
                    "source": { "fileObject": { "@id": file_id }, "extract": { "column": c.name } },
                });
                let text = c.description.best(&lang).or_else(|| c.titles.best(&lang));
                if let Some(t) = text {
                    f["description"] = json!(t);
                }
                if let Some(iri) = &c.code_list {
                    f["equivalentProperty"] = json!(iri);
                }
                f
            })
            .collect();
        let mut set = json!({
            "@type": "cr:RecordSet",
            "@id": set_id,
            "name": set_id,
            "field": fields,
        });
        if let Some(t) = table.title.best(&lang) {
            set["description"] = json!(t);
        }
        sets.push(set);
    }
    if !files.is_empty() {
        m.insert("distribution".into(), json!(files));
        m.insert("recordSet".into(), json!(sets));
    }
    Value::Object(m)
}
