//! The DCAT catalogue endpoint of `healthcat serve`, read as harvesters read it: following Hydra
//! pages (our own reading, then ckanext-dcat's parser — the code CKAN's DCAT harvester runs).

use crate::harness::{Env, http_get, serve};
use std::collections::HashSet;

const DCAT_DATASET: &str = "http://www.w3.org/ns/dcat#dataset";
const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// Follows `hydra:next` from `start`: every page's `dcat:dataset` links, in order, and the pages.
fn harvest(start: &str) -> (Vec<String>, usize, u64) {
    let (mut url, mut datasets, mut pages, mut total) = (Some(start.to_owned()), Vec::new(), 0, 0);
    while let Some(u) = url.take() {
        let (status, body) = http_get(&u);
        assert_eq!(status, 200, "{u}: {body}");
        let doc = healthcat_store::parse_document(
            body.as_bytes(),
            healthcat_store::Format::Turtle,
            &u,
            &Default::default(),
        )
        .unwrap();
        for t in doc.graph.iter() {
            match t.predicate.as_str() {
                DCAT_DATASET => datasets.push(t.object.to_string()),
                p if p == format!("{HYDRA}next") => {
                    if let oxrdf::TermRef::NamedNode(n) = t.object {
                        url = Some(n.as_str().to_owned());
                    }
                }
                p if p == format!("{HYDRA}totalItems") => {
                    if let oxrdf::TermRef::Literal(l) = t.object {
                        total = l.value().parse().unwrap();
                    }
                }
                _ => {}
            }
        }
        pages += 1;
        assert!(pages < 100, "paging does not end");
    }
    (datasets, pages, total)
}

#[test]
fn hydra_pages_hold_every_dataset_once_and_bad_parameters_are_refused() {
    let env = Env::new();
    let (_server, base) = serve(&env, None);
    let (datasets, pages, total) = harvest(&format!("{base}/catalog.ttl?per_page=30"));
    assert_eq!(total, 200);
    assert_eq!(pages, 7, "200 records by 30");
    let unique: HashSet<&String> = datasets.iter().collect();
    assert_eq!(datasets.len(), 200, "every dataset listed");
    assert_eq!(unique.len(), 200, "none twice");
    // Same order, same pages, on a second harvest of an unchanged catalogue.
    assert_eq!(
        harvest(&format!("{base}/catalog.ttl?per_page=30")).0,
        datasets
    );
    // The legacy vocabulary ckanext-dcat reads is there too.
    let (_, first) = http_get(&format!("{base}/catalog.ttl?per_page=30"));
    for p in [
        "nextPage",
        "lastPage",
        "firstPage",
        "itemsPerPage",
        "PagedCollection",
    ] {
        assert!(
            first.contains(&format!("hydra:{p}")) || first.contains(&format!("{HYDRA}{p}>")),
            "{p}"
        );
    }
    for bad in ["per_page=0", "per_page=5000", "page=abc", "colour=red"] {
        let (status, body) = http_get(&format!("{base}/catalog.ttl?{bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
    }
    assert_eq!(http_get(&format!("{base}/catalog.ttl?page=99")).0, 404);
    // Far past the end, without overflowing.
    let far = format!("{base}/catalog.ttl?page=1000000000000000000&per_page=1000");
    assert_eq!(http_get(&far).0, 404);
    for ext in ["rdf", "jsonld", "nt"] {
        assert_eq!(
            http_get(&format!("{base}/catalog.{ext}?per_page=5")).0,
            200,
            "{ext}"
        );
    }
    // The whole catalogue in one streamed file: every dataset, readable N-Triples.
    let body = get_chunked(&base, "/catalog/all.nt");
    let doc = healthcat_store::parse_document(
        body.as_bytes(),
        healthcat_store::Format::NTriples,
        "all.nt",
        &Default::default(),
    )
    .unwrap();
    let typed_datasets = doc
        .graph
        .iter()
        .filter(|t| {
            t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                && t.object.to_string() == "<http://www.w3.org/ns/dcat#Dataset>"
        })
        .count();
    assert_eq!(typed_datasets, 200);
}

/// The body of a chunked HTTP/1.1 response, as bytes until the end (chunks may split a
/// character), then as text.
fn get_chunked(base: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..at]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(
        head.contains("transfer-encoding: chunked"),
        "streamed: {head}"
    );
    let mut rest = &raw[at + 4..];
    let mut out = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = std::str::from_utf8(&rest[..line_end]).unwrap().trim();
        let n = usize::from_str_radix(size, 16).unwrap();
        if n == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&rest[start..start + n]);
        rest = &rest[start + n + 2..];
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn ckanext_dcat_harvests_every_dataset_through_our_pages() {
    let Some(python) = crate::parity::oracle() else {
        eprintln!("NOTICE: ckanext-dcat harvest test skipped (no oracle venv)");
        return;
    };
    let Some(reference) = crate::harness::reference_dir() else {
        return;
    };
    let script = reference.join("../tools/ckan_read.py");
    let env = Env::new();
    let (_server, base) = serve(&env, None);
    for (ext, per_page) in [("ttl", 50), ("rdf", 70), ("jsonld", 100)] {
        let out = std::process::Command::new(&python)
            .arg(&script)
            .arg(format!("{base}/catalog.{ext}?per_page={per_page}"))
            .output()
            .unwrap();
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(summary["errors"], serde_json::json!([]), "{ext}: {summary}");
        assert_eq!(summary["datasets"], 200, "{ext}: {summary}");
        assert_eq!(
            summary["pages"],
            200u64.div_ceil(per_page),
            "{ext}: {summary}"
        );
    }
}
