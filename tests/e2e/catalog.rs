//! The DCAT catalogue endpoint of `healthcat serve`, read as harvesters read it: following Hydra
//! pages (our own reading, then ckanext-dcat's parser — the code CKAN's DCAT harvester runs).

use crate::harness::{Env, http_get, serve};
use std::collections::HashSet;

const DCAT_DATASET: &str = "http://www.w3.org/ns/dcat#dataset";
const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// Follows `hydra:next` from `start`: every page's `dcat:dataset` links from the served catalogue
/// (not those of the sub-catalogues nested in it), in order, and the pages.
fn harvest(start: &str) -> (Vec<String>, usize, u64) {
    let catalog = format!("{}/catalog>", start.split("/catalog").next().unwrap())
        .replacen("http", "<http", 1);
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
                DCAT_DATASET if t.subject.to_string() == catalog => {
                    datasets.push(t.object.to_string())
                }
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

/// The demo catalogue as served: the non-public subset (chosen with the catalogue's own search
/// filter) conforms to our HealthDCAT-AP R8 profile, and pySHACL with the official R8 shapes finds
/// exactly what healthcat finds with them; rdflib reads every syntax to the same triples.
#[test]
fn the_served_catalogue_validates_and_reads_in_every_syntax() {
    let env = Env::new();
    let (_server, base) = serve(&env, None);
    let non_public =
        "http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Faccess-right%2FNON_PUBLIC";
    let (status, page) = http_get(&format!(
        "{base}/catalog.ttl?per_page=1000&access_rights={non_public}"
    ));
    assert_eq!(status, 200, "{page}");
    let file = env.write("served.ttl", &page);
    let run = env.run(&[
        "validate",
        file.to_str().unwrap(),
        "--profile",
        "healthdcat-ap-r8",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("conforms"), "{run:?}");
    assert!(
        page.contains("dcat:DataService"),
        "the SPARQL service is described"
    );

    let Some(python) = crate::parity::oracle() else {
        eprintln!(
            "NOTICE: pySHACL and rdflib checks of the served catalogue skipped (no oracle venv)"
        );
        return;
    };
    let Some(root) = crate::harness::reference_dir() else {
        return;
    };
    let shapes = crate::harness::official_r8_non_public_shapes(&root);
    if let Some(diff) = crate::parity::compare(&env, &python, &root, &file, &shapes, true) {
        panic!("healthcat and pySHACL disagree on the served catalogue:\n{diff}");
    }

    let mut counts = Vec::new();
    for (ext, rdflib_format) in [
        ("ttl", "turtle"),
        ("rdf", "xml"),
        ("jsonld", "json-ld"),
        ("nt", "nt"),
    ] {
        let (status, body) = http_get(&format!("{base}/catalog.{ext}?per_page=40"));
        assert_eq!(status, 200, "{ext}");
        let path = env.write(&format!("page.{ext}"), &body);
        let out = std::process::Command::new(&python)
            .args([
                "-c",
                "import sys, rdflib; g = rdflib.Graph(); \
                 g.parse(sys.argv[1], format=sys.argv[2]); print(len(g))",
            ])
            .arg(&path)
            .arg(rdflib_format)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let n: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        counts.push((ext, n));
    }
    assert!(counts[0].1 > 1000, "{counts:?}");
    assert!(counts.iter().all(|(_, n)| *n == counts[0].1), "{counts:?}");
}
