//! `healthcat harvest` against a running healthcat and against peers' real Hydra pages (udata's
//! fixtures, served from a local test server with their paging links mapped to it).

use crate::harness::{Env, Killed, serve};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

/// A tiny HTTP server on 127.0.0.1 answering GETs from `route(path_and_query, base)`:
/// (status, content type, body) — for a 3xx status the body is the `Location`, and the content
/// type `trickle` sends Turtle one byte every 200 ms. Runs until the test process ends.
pub(crate) fn fixture_server(
    route: impl Fn(&str, &str) -> (u16, &'static str, Vec<u8>) + Send + Sync + 'static,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let route = Arc::new(route);
    let b = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let route = route.clone();
            let base = b.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                }
                let (status, ct, body) = route(&path, &base);
                let mut s = &stream;
                if (300..400).contains(&status) {
                    // A redirect: the body is where to.
                    let _ = write!(
                        s,
                        "HTTP/1.1 {status} X\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        String::from_utf8_lossy(&body)
                    );
                    return;
                }
                // "trickle": a server sending one byte every 200 ms.
                let (ct, slow) = match ct {
                    "trickle" => ("text/turtle", true),
                    ct => (ct, false),
                };
                let _ = write!(
                    s,
                    "HTTP/1.1 {status} X\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                if slow {
                    for b in &body {
                        if s.write_all(&[*b]).is_err() {
                            return;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(200));
                    }
                } else {
                    let _ = s.write_all(&body);
                }
            });
        }
    });
    base
}

fn udata(name: &str) -> Option<String> {
    let root = crate::harness::reference_dir()?;
    std::fs::read_to_string(
        root.join("peer-fixtures/opendatateam__udata/udata/harvest/tests/dcat")
            .join(name),
    )
    .ok()
}

pub(crate) fn source(env: &Env, id: &str, url: &str, extra: &str) {
    std::fs::create_dir_all(env.path("harvest")).unwrap();
    env.write(
        &format!("harvest/{id}.toml"),
        &format!("id = \"{id}\"\ntitle = \"{id}\"\nurl = \"{url}\"\n{extra}\n"),
    );
}

pub(crate) fn datasets(env: &Env) -> usize {
    let run = env.run(&["stats", "--json"]);
    let v: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{run:?}"));
    v["datasets"].as_u64().unwrap() as usize
}

#[test]
fn udata_hydra_pages_in_both_styles_are_followed() {
    let (Some(p1), Some(p2), Some(l1), Some(l2)) = (
        udata("partial-collection-1.jsonld"),
        udata("partial-collection-2.jsonld"),
        udata("paged-collection-1.jsonld"),
        udata("paged-collection-2.jsonld"),
    ) else {
        eprintln!("NOTICE: udata fixtures not found; harvest paging test skipped");
        return;
    };
    let pages = Arc::new([p1, p2, l1, l2]);
    let base = fixture_server(move |path, base| {
        // The pages' own links point at data.test.org: map them to this server.
        let (style, page) = match path {
            "/partial/catalog.jsonld?page=1" => ("partial", 0),
            "/partial/catalog.jsonld?page=2" => ("partial", 1),
            "/paged/catalog.jsonld?page=1" => ("paged", 2),
            "/paged/catalog.jsonld?page=2" => ("paged", 3),
            _ => return (404, "text/plain", b"not found".to_vec()),
        };
        let body = pages[page].replace(
            "http://data.test.org/catalog.jsonld",
            &format!("{base}/{style}/catalog.jsonld"),
        );
        (200, "application/ld+json", body.into_bytes())
    });
    for style in ["partial", "paged"] {
        let env = Env::new();
        source(
            &env,
            style,
            &format!("{base}/{style}/catalog.jsonld?page=1"),
            "",
        );
        let run = env.run(&["harvest"]);
        assert_eq!(run.code, 0, "{style}: {run:?}");
        // 3 datasets on the first page, 1 on the second (upstream expects 4).
        assert!(run.stdout.contains("4 new"), "{style}: {run:?}");
        assert!(run.stdout.contains("2 pages"), "{style}: {run:?}");
        assert_eq!(datasets(&env), 4, "{style}");
        // Original IRIs, and the source recorded.
        let nt = env.run(&["export", "-f", "nt"]).stdout;
        assert!(nt.contains("<http://data.test.org/datasets/1>"), "{style}");
        let again = env.run(&["harvest"]);
        assert!(
            again
                .stdout
                .contains("0 new, 0 updated, 4 unchanged, 0 withdrawn"),
            "{again:?}"
        );
    }
}

const LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"> <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"> <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#"
  xmlns:dct="http://purl.org/dc/terms/">
 <dcat:Dataset rdf:about="https://ex.org/d/lol"><dct:title>&i;</dct:title></dcat:Dataset>
</rdf:RDF>"#;

#[test]
fn bad_sources_are_reported_and_nothing_is_withdrawn() {
    let Some(p1) = udata("partial-collection-1.jsonld") else {
        eprintln!("NOTICE: udata fixtures not found; harvest error test skipped");
        return;
    };
    let p1 = Arc::new(p1);
    let base = fixture_server(move |path, base| {
        match path {
        // Its next page is itself: a Hydra loop.
        "/loop/catalog.jsonld" => (
            200,
            "application/ld+json",
            p1.replace(
                "http://data.test.org/catalog.jsonld?page=2",
                &format!("{base}/loop/catalog.jsonld"),
            )
            .replace(
                "http://data.test.org/catalog.jsonld?page=1",
                &format!("{base}/loop/catalog.jsonld"),
            )
            .into_bytes(),
        ),
        "/elsewhere/catalog.jsonld" => (
            200,
            "application/ld+json",
            p1.replace(
                "http://data.test.org/catalog.jsonld?page=2",
                "http://192.0.2.1/catalog.jsonld?page=2",
            )
            .into_bytes(),
        ),
        "/good/catalog.jsonld" => (200, "application/ld+json", p1.as_bytes().to_vec()),
        "/garbage/catalog.ttl" => (200, "text/turtle", b"<a> <b> oops".to_vec()),
        "/big/catalog.ttl" => (200, "text/turtle", vec![b' '; 200_000]),
        "/error/catalog.ttl" => (500, "text/html", b"<h1>oops</h1>".to_vec()),
        // Entity expansion: a 1 kB page that would take gigabytes to parse.
        "/laughs/catalog.rdf" => (200, "application/rdf+xml", LAUGHS.as_bytes().to_vec()),
        // Redirects that go round, and a server that trickles.
        "/redirect/a.ttl" => (302, "text/plain", format!("{base}/redirect/b.ttl").into_bytes()),
        "/redirect/b.ttl" => (302, "text/plain", format!("{base}/redirect/a.ttl").into_bytes()),
        "/slow/catalog.ttl" => (200, "trickle", vec![b' '; 100]),
        // A 100,000-deep blank-node chain (it used to overflow the harvester's stack), a
        // literal RDF/XML cannot carry, and a 3 MB bad IRI (the report must stay small).
        "/deep/catalog.ttl" => (200, "text/turtle", format!(
            "<https://ex.org/d> a <http://www.w3.org/ns/dcat#Dataset> ; <https://ex.org/p> {}1{} .",
            "[ <https://ex.org/p> ".repeat(100_000), " ]".repeat(100_000)).into_bytes()),
        "/nul/catalog.ttl" => (200, "text/turtle",
            b"<https://ex.org/d> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"a\\u0000b\" .".to_vec()),
        "/quoted/catalog.ttl" => (200, "text/turtle", format!("<https://ex.org/{} x> <b> <c> .", "a".repeat(3_000_000)).into_bytes()),
        "/context/catalog.jsonld" => (
            200,
            "application/ld+json",
            br#"{"@context": "https://evil.example/ctx.jsonld", "@id": "https://ex.org/d", "@type": "Dataset"}"#.to_vec(),
        ),
        _ => (404, "text/plain", b"not found".to_vec()),
    }
    });
    let env = Env::new();
    // First a good run: 3 datasets from this source (page 2 is not served, so point at page 1
    // without its next link).
    source(&env, "s", &format!("{base}/good/catalog.jsonld"), "");
    let first = env.run(&["harvest", "s"]);
    // The good page links to data.test.org for page 2: not followed, an error, but page 1 stored.
    assert!(
        first.stdout.contains("off the source's address"),
        "{first:?}"
    );
    assert_eq!(datasets(&env), 3);
    for (path, says, extra) in [
        ("/loop/catalog.jsonld", "paging loop", ""),
        ("/elsewhere/catalog.jsonld", "off the source's address", ""),
        ("/garbage/catalog.ttl", "catalog.ttl", ""),
        (
            "/big/catalog.ttl",
            "larger than the 1000-byte limit",
            "[http]\nmax_bytes = 1000",
        ),
        ("/error/catalog.ttl", "HTTP 500", ""),
        ("/laughs/catalog.rdf", "nested entities", ""),
        ("/context/catalog.jsonld", "was not fetched", ""),
        (
            "/deep/catalog.ttl",
            "levels deep",
            "[http]\nmax_bytes = 10000000",
        ),
        ("/nul/catalog.ttl", "U+0000", ""),
        (
            "/quoted/catalog.ttl",
            "catalog.ttl",
            "[http]\nmax_bytes = 10000000",
        ),
        ("/missing/catalog.ttl", "HTTP 404", ""),
        ("/redirect/a.ttl", "more than 5 redirects", ""),
        (
            "/slow/catalog.ttl",
            "timed out",
            "[http]\ntimeout_seconds = 2",
        ),
    ] {
        source(&env, "s", &format!("{base}{path}"), extra);
        let run = env.run(&["harvest", "s"]);
        assert_eq!(run.code, 1, "{path}: {run:?}");
        assert!(run.stdout.contains("FAILED"), "{path}: {run:?}");
        assert!(run.stdout.contains(says), "{path}: {run:?}");
        // The three records stay.
        assert_eq!(datasets(&env), 3, "{path}");
        // The report quotes no page whole.
        let report = std::fs::read_to_string(env.path("data/harvest/s/last.json")).unwrap();
        assert!(
            report.len() < 20_000,
            "{path}: a report of {} bytes",
            report.len()
        );
    }
    // A source that is down.
    source(
        &env,
        "s",
        "http://127.0.0.1:9/catalog.ttl",
        "[http]\ntimeout_seconds = 5",
    );
    let run = env.run(&["harvest", "s"]);
    assert!(run.stdout.contains("FAILED"), "{run:?}");
    assert_eq!(datasets(&env), 3);
    // The report is kept as JSON.
    let last: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(env.path("data/harvest/s/last.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(last["status"], "failed");
    assert_eq!(last["withdrawn"], 0);
}

#[test]
fn a_healthcat_node_harvests_another_incrementally_and_withdraws_safely() {
    let a = Env::new();
    let (server, base): (Killed, String) = serve(&a, None);
    let b = Env::new();
    source(
        &b,
        "a",
        &format!("{base}/catalog.ttl?per_page=50"),
        "profile = \"healthdcat-ap-r8\"",
    );
    let first = b.run(&["harvest"]);
    assert_eq!(first.code, 0, "{first:?}");
    // 200 datasets and the source's SPARQL endpoint, a dcat:DataService of its catalogue.
    assert!(first.stdout.contains("201 new"), "{first:?}");
    assert!(first.stdout.contains("4 pages"), "{first:?}");
    assert_eq!(datasets(&b), 200);
    // Original IRIs; the source's sub-catalogue survives the hop.
    let nt = b.run(&["export", "-f", "nt"]).stdout;
    assert!(
        nt.contains("<https://catalogue.example.org/dataset/000000-"),
        "IRIs kept"
    );
    assert!(
        nt.contains("<https://catalogue.example.org/catalog> <http://www.w3.org/ns/dcat#dataset>"),
        "sub-catalogue kept"
    );
    // The source's quality measurements (DQV, named under its catalogue records) survive the hop,
    // as the source's: kept with what the source said, beside the harvester's own assessment.
    // (The harvester's own assessment is in its bookkeeping, not in what it stores of a record.)
    assert!(
        nt.lines().any(|l| l.contains(
            "/quality/score> <http://www.w3.org/ns/dqv#isMeasurementOf> <https://piveau.eu/ns/voc#score>"
        )),
        "the source's measurements are kept"
    );
    assert!(
        nt.contains("/quality/keywordAvailability> <http://www.w3.org/ns/dqv#value> \"true\"^^"),
        "with their values"
    );
    // And its EHDS label, a quality certificate whose body is the source's full assessment.
    assert!(
        nt.contains(&format!(
            "/quality/label> <http://www.w3.org/ns/oa#hasBody> <{base}/api/datasets/"
        )),
        "the source's label is kept"
    );
    // The same catalogue by a second path (as through a regional node): one record each, left
    // with the source that brought it first.
    source(
        &b,
        "a-again",
        &format!("{base}/catalog.ttl?per_page=50"),
        "profile = \"healthdcat-ap-r8\"",
    );
    let twice = b.run(&["harvest", "a-again"]);
    assert_eq!(twice.code, 0, "{twice:?}");
    assert!(twice.stdout.contains("0 new, 0 updated"), "{twice:?}");
    assert!(
        twice
            .stdout
            .contains("201 already from a, left as they are"),
        "{twice:?}"
    );
    assert_eq!(datasets(&b), 200);
    std::fs::remove_file(b.path("harvest/a-again.toml")).unwrap();
    // Nothing changed at the source: nothing rewritten.
    let again = b.run(&["harvest"]);
    assert!(
        again
            .stdout
            .contains("0 new, 0 updated, 201 unchanged, 0 withdrawn"),
        "{again:?}"
    );
    // The source now lists only a few records (a filter): far below half, so nothing is withdrawn.
    source(
        &b,
        "a",
        &format!("{base}/catalog.ttl?per_page=50&q=asthme"),
        "profile = \"healthdcat-ap-r8\"",
    );
    let guarded = b.run(&["harvest"]);
    assert_eq!(guarded.code, 1, "{guarded:?}");
    assert!(guarded.stdout.contains("GUARDED"), "{guarded:?}");
    assert_eq!(datasets(&b), 200);
    // The administrator agrees: with the threshold at 0 the vanished records are withdrawn.
    source(
        &b,
        "a",
        &format!("{base}/catalog.ttl?per_page=50&q=asthme"),
        "profile = \"healthdcat-ap-r8\"\n[deletion]\nmin_ratio = 0.0",
    );
    let withdrawn = b.run(&["harvest"]);
    assert_eq!(withdrawn.code, 0, "{withdrawn:?}");
    let kept = datasets(&b);
    assert!(kept > 0 && kept < 20, "{kept}: {withdrawn:?}");
    assert!(
        withdrawn
            .stdout
            .contains(&format!("{} withdrawn", 200 - kept)),
        "{withdrawn:?}"
    );
    // The source goes down: the run fails and withdraws nothing.
    drop(server);
    let down = b.run(&["harvest"]);
    assert!(down.stdout.contains("FAILED"), "{down:?}");
    assert_eq!(datasets(&b), kept);
}
