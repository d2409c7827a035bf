//! Documents gathered into one before they are ingested, each record remembering the document
//! that described it.
//!
//! A FAIR Data Point crawl gathers all its documents ([`crate::fdp`]); a paged DCAT catalogue
//! gathers its pages [`BATCH_RECORDS`] records at a time ([`Batch`]). Writing one page of 100
//! datasets at a time made the store's write the largest part of a harvest: each write hands
//! RocksDB new sorted files to merge, and at 100,000 datasets its compaction took a third of the
//! machine and stalled the writes.

use crate::config::SourceConfig;
use crate::report::{PageState, RunReport};
use crate::run::{Context, HYDRA, ingest};
use healthcat_model::vocab::{dcat, rdf};
use healthcat_store::DocGraph;
use oxrdf::{BlankNode, NamedOrBlankNode, Term, TermRef};
use reqwest::Url;
use std::collections::{HashMap, HashSet};

/// How many records a paged harvest gathers before it writes them (50 pages of 100). Harvesting
/// 100,000 datasets, 450 pages were written in the first 7 minutes with 5,000 and 382–389 with
/// 1,000; 150 and 80 in the first 2 minutes with 5,000 and page by page (docs/benchmarks.md).
pub(crate) const BATCH_RECORDS: usize = 5_000;

/// Types whose documents are remembered as their records' origin.
pub(crate) fn is_record_type(t: &str) -> bool {
    [
        dcat::DATASET.as_str(),
        dcat::DATASET_SERIES.as_str(),
        dcat::DATA_SERVICE.as_str(),
    ]
    .contains(&t)
}

/// Adds `doc`, read from `url`, to `all` (its blank nodes kept apart from other documents'),
/// notes the IRIs it describes in `described` and the document of each record it describes in
/// `origins` (the first document wins), and returns the objects of the triples whose predicate
/// `follow` accepts.
pub(crate) fn merge(
    doc: &DocGraph,
    all: &mut DocGraph,
    described: &mut HashSet<String>,
    origins: &mut HashMap<String, String>,
    url: &Url,
    follow: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut bnodes: HashMap<String, BlankNode> = HashMap::new();
    let mut fresh = |b: &str| bnodes.entry(b.to_owned()).or_default().clone();
    let mut links = Vec::new();
    for t in doc.iter() {
        let subject: NamedOrBlankNode = match t.subject {
            oxrdf::NamedOrBlankNodeRef::NamedNode(n) => n.into_owned().into(),
            oxrdf::NamedOrBlankNodeRef::BlankNode(b) => fresh(b.as_str()).into(),
        };
        let object: Term = match t.object {
            TermRef::BlankNode(b) => fresh(b.as_str()).into(),
            o => o.into_owned(),
        };
        let p = t.predicate.as_str();
        if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&subject, &object)
            && p == rdf::TYPE.as_str()
        {
            described.insert(s.as_str().to_owned());
            if is_record_type(o.as_str()) {
                origins
                    .entry(s.as_str().to_owned())
                    .or_insert_with(|| url.to_string());
            }
        }
        if let Term::NamedNode(o) = &object
            && follow(p)
        {
            links.push(o.as_str().to_owned());
        }
        all.insert(subject, t.predicate.into_owned(), object);
    }
    links
}

/// The IRIs of the records `doc` describes; `None` when one of them is a blank node (its key
/// comes from its content, so it cannot be traced back to its page once gathered).
pub(crate) fn record_iris(doc: &DocGraph) -> Option<Vec<String>> {
    let mut iris = Vec::new();
    for t in doc.iter() {
        if t.predicate != rdf::TYPE {
            continue;
        }
        let TermRef::NamedNode(class) = t.object else {
            continue;
        };
        if !is_record_type(class.as_str()) {
            continue;
        }
        match t.subject {
            oxrdf::NamedOrBlankNodeRef::NamedNode(n) => iris.push(n.as_str().to_owned()),
            oxrdf::NamedOrBlankNodeRef::BlankNode(_) => return None,
        }
    }
    iris.sort_unstable();
    iris.dedup();
    Some(iris)
}

/// Pages of a paged DCAT catalogue gathered until [`BATCH_RECORDS`] records, then ingested as
/// one document; each page's state (in the run's list, by index) gets the keys of its records.
#[derive(Default)]
pub(crate) struct Batch {
    all: DocGraph,
    origins: HashMap<String, String>,
    /// The gathered pages: their address and index in the run's page states.
    pages: Vec<(Url, usize)>,
}

impl Batch {
    /// Whether the batch is full.
    pub(crate) fn is_full(&self) -> bool {
        self.origins.len() >= BATCH_RECORDS
    }

    /// Whether a page describing the records `iris` can join the batch: none of them is described
    /// by a gathered page already (the later description must replace the earlier one, not be
    /// merged with it).
    pub(crate) fn takes(&self, iris: &[String]) -> bool {
        !iris.iter().any(|i| self.origins.contains_key(i))
    }

    /// Gathers `doc`, read from `url`, whose state is `pages[index]`, without its Hydra paging
    /// (each page's view and links to the source's other pages): gathered, the views of several
    /// pages would be kept as the source's catalogue and served again, `hydra:next` included.
    pub(crate) fn add(&mut self, doc: &DocGraph, url: &Url, index: usize) {
        let mut page = DocGraph::new();
        for t in doc.iter() {
            let paging = t.predicate.as_str().starts_with(HYDRA)
                || (t.predicate == rdf::TYPE
                    && matches!(t.object, TermRef::NamedNode(c) if c.as_str().starts_with(HYDRA)));
            if !paging {
                page.insert(
                    t.subject.into_owned(),
                    t.predicate.into_owned(),
                    t.object.into_owned(),
                );
            }
        }
        page.seal();
        merge(
            &page,
            &mut self.all,
            &mut HashSet::new(),
            &mut self.origins,
            url,
            |_| false,
        );
        self.pages.push((url.clone(), index));
    }

    /// Ingests what was gathered and gives each page's state the keys of its records; empties
    /// the batch.
    pub(crate) async fn flush(
        &mut self,
        ctx: &Context,
        source: &SourceConfig,
        report: &mut RunReport,
        states: &mut [PageState],
    ) -> Result<(), String> {
        let Batch {
            mut all,
            origins,
            pages,
        } = std::mem::take(self);
        let Some((first, _)) = pages.first() else {
            return Ok(());
        };
        all.seal();
        let keys = ingest(ctx, source, first, all, origins.clone(), report).await?;
        let index: HashMap<String, usize> =
            pages.iter().map(|(url, i)| (url.to_string(), *i)).collect();
        let last = pages.last().map_or(0, |(_, i)| *i);
        for key in keys {
            let page = origins.get(&key).and_then(|url| index.get(url));
            states[*page.unwrap_or(&last)].keys.push(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use healthcat_store::{Format, ParseOptions, Store, parse_slice};

    /// A page of the catalogue listing the datasets `ids`, each titled `title`.
    fn page(ids: &[usize], title: &str) -> DocGraph {
        let mut text = String::from(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<https://ex.org/cat> hydra:view <https://ex.org/cat?p> .
<https://ex.org/cat?p> a hydra:PartialCollectionView ; hydra:next <https://ex.org/cat?next> .
<https://ex.org/cat> a dcat:Catalog",
        );
        for i in ids {
            text += &format!(" ; dcat:dataset <https://ex.org/ds/{i}>");
        }
        text += " .\n";
        for i in ids {
            text += &format!(
                "<https://ex.org/ds/{i}> a dcat:Dataset ; dct:title \"{title} {i}\" ; dcat:distribution [ a dcat:Distribution ; dct:title \"file\" ] .\n"
            );
        }
        parse_slice(
            text.as_bytes(),
            Format::Turtle,
            "p.ttl",
            &ParseOptions::default(),
        )
        .unwrap()
        .graph
    }

    fn iris(ids: &[usize]) -> Vec<String> {
        ids.iter()
            .map(|i| format!("https://ex.org/ds/{i}"))
            .collect()
    }

    #[tokio::test]
    async fn gathered_pages_are_written_once_and_each_keeps_its_own_records() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(
            &file,
            "id = \"s\"\ntitle = \"t\"\nurl = \"https://ex.org/cat\"",
        )
        .unwrap();
        let source = SourceConfig::from_file(&file).unwrap();
        let ctx = Context {
            store: Store::in_memory().unwrap(),
            index: None,
            profile: None,
            lang: "en".into(),
            limits: Default::default(),
        };
        let mut report = RunReport::start(&source);
        let pages = [vec![3, 1], vec![2, 5], vec![4]];
        let mut batch = Batch::default();
        let mut states = Vec::new();
        for (n, ids) in pages.iter().enumerate() {
            let doc = page(ids, "Dataset");
            assert_eq!(
                record_iris(&doc),
                Some(iris(&{
                    let mut s = ids.clone();
                    s.sort();
                    s
                }))
            );
            assert!(batch.takes(&iris(ids)));
            let url = Url::parse(&format!("https://ex.org/cat?page={n}")).unwrap();
            batch.add(&doc, &url, n);
            states.push(PageState {
                url: url.to_string(),
                ..Default::default()
            });
        }
        // A page describing a gathered record again is not merged into the batch.
        assert!(!batch.takes(&iris(&[7, 5])));
        assert!(!batch.is_full());
        batch
            .flush(&ctx, &source, &mut report, &mut states)
            .await
            .unwrap();
        for (state, ids) in states.iter_mut().zip(&pages) {
            state.keys.sort();
            let mut want = iris(ids);
            want.sort();
            assert_eq!(state.keys, want, "{}", state.url);
        }
        assert_eq!(report.new, 5);
        // One write for the three pages; each record remembers its page, its blank-node
        // distribution kept apart from the others'.
        assert_eq!(ctx.store.feed_head(), 5);
        let meta = ctx
            .store
            .record_by_key("https://ex.org/ds/5")
            .unwrap()
            .unwrap();
        assert_eq!(meta.origin, "https://ex.org/cat?page=1");
        let stored = ctx
            .store
            .get(meta.local_id.as_ref().unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(stored.graph.len(), 5, "{:?}", stored.graph);
        // The source's paging is not kept with its catalogue.
        let export =
            String::from_utf8(ctx.store.export(Vec::new(), Format::NTriples).unwrap().0).unwrap();
        assert!(export.contains("<https://ex.org/cat>"), "{export}");
        assert!(!export.contains("hydra"), "{export}");
        // The batch is empty again.
        assert!(batch.takes(&iris(&[5])));
        // A record with a blank-node root cannot be traced back to its page.
        let blank = parse_slice(
            b"[] a <http://www.w3.org/ns/dcat#Dataset> .".as_slice(),
            Format::Turtle,
            "b.ttl",
            &ParseOptions::default(),
        )
        .unwrap()
        .graph;
        assert_eq!(record_iris(&blank), None);
    }
}
