//! Hostile and malformed input on every input path of the real binary: each case must end in a
//! clear refusal naming the problem (exit 1 or 2, HTTP 4xx), never a crash, with the server still
//! answering and nothing stored changed.
//!
//! Paths: `import` in each syntax, `validate`, and over HTTP `/api/validate`, the write API
//! (`/api/datasets`, an administrator's key), the push API (`/ingest/datasets`), SPARQL, search
//! and catalogue paging parameters. Harvested pages get the same documents in
//! `harvest::bad_sources_are_reported_and_nothing_is_withdrawn`.

use crate::harness::{Env, http_exchange, http_exchange_bytes, http_get, serve_with};

/// A hostile document: a name, the syntax's extension and media type, the bytes, and what the
/// refusal must say (`None`: it may be accepted, but must not break anything).
struct Doc {
    name: &'static str,
    ext: &'static str,
    media: &'static str,
    body: Vec<u8>,
    says: Option<&'static str>,
}

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const TITLE: &str = "http://purl.org/dc/terms/title";

fn ttl(name: &'static str, body: String, says: Option<&'static str>) -> Doc {
    Doc {
        name,
        ext: "ttl",
        media: "text/turtle",
        body: body.into_bytes(),
        says,
    }
}

fn documents() -> Vec<Doc> {
    let dataset = format!("<https://ex.org/h/1> a <{DCAT}Dataset> ; <{TITLE}> \"Hostile\"@en");
    let chain = |n: usize| {
        format!(
            "{dataset} ; <https://ex.org/p> {}1{} .",
            "[ <https://ex.org/p> ".repeat(n),
            " ]".repeat(n)
        )
    };
    let list = |n: usize| {
        format!(
            "{dataset} ; <https://ex.org/p> ({}) .",
            (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
        )
    };
    let many = format!(
        "{dataset} ; <http://www.w3.org/ns/dcat#keyword> {} .",
        (0..5_000)
            .map(|i| format!("\"k{i}\"@en"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut invalid_utf8 = format!("{dataset} ; <https://ex.org/p> \"").into_bytes();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3, b'"', b' ', b'.']);
    let mut raw_nul = format!("{dataset} ; <https://ex.org/p> \"a").into_bytes();
    raw_nul.extend_from_slice(b"\0b\" .");
    vec![
        ttl("truncated Turtle", dataset[..dataset.len() / 2].to_owned(), Some("hostile")),
        Doc {
            name: "binary",
            ext: "ttl",
            media: "text/turtle",
            body: (0u8..=255).cycle().take(4096).collect(),
            says: Some("hostile"),
        },
        Doc {
            name: "invalid UTF-8",
            ext: "ttl",
            media: "text/turtle",
            body: invalid_utf8,
            says: Some("hostile"),
        },
        Doc {
            name: "a raw NUL byte",
            ext: "ttl",
            media: "text/turtle",
            body: raw_nul,
            says: Some("hostile"),
        },
        ttl(
            "an escaped NUL",
            format!("{dataset} ; <https://ex.org/p> \"a\\u0000b\" ."),
            Some("U+0000"),
        ),
        ttl(
            "a control character",
            format!("{dataset} ; <https://ex.org/p> \"a\\u000Cb\" ."),
            Some("U+000C"),
        ),
        Doc {
            name: "an escaped NUL in N-Triples",
            ext: "nt",
            media: "application/n-triples",
            body: b"<https://ex.org/h/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n<https://ex.org/h/1> <http://purl.org/dc/terms/title> \"a\\u0000b\" .\n".to_vec(),
            says: Some("U+0000"),
        },
        Doc {
            name: "an escaped NUL in JSON-LD",
            ext: "jsonld",
            media: "application/ld+json",
            body: br#"{"@id": "https://ex.org/h/1", "@type": "http://www.w3.org/ns/dcat#Dataset", "http://purl.org/dc/terms/title": "a\u0000b"}"#.to_vec(),
            says: Some("U+0000"),
        },
        ttl("a literal over 8 MiB", format!("{dataset} ; <https://ex.org/p> \"{}\" .", "x".repeat(9 << 20)), Some("max_literal_bytes")),
        ttl("a 100,000-deep blank-node chain", chain(100_000), Some("levels deep")),
        ttl("a 1,000-deep blank-node chain", chain(1_000), Some("levels deep")),
        ttl("a 100,000-item RDF list", list(100_000), Some("levels deep")),
        ttl("5,000 values on one property", many, None),
        Doc {
            name: "nested entities hidden behind '>'",
            ext: "rdf",
            media: "application/rdf+xml",
            body: br#"<?xml version="1.0"?><!DOCTYPE r [ <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"> <!ENTITY b "><&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "><&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"> ]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="https://ex.org/h/1"><x:p xmlns:x="https://ex.org/">&c;&c;&c;&c;</x:p></rdf:Description></rdf:RDF>"#.to_vec(),
            says: Some("refers to other entities"),
        },
        Doc {
            name: "an external entity",
            ext: "rdf",
            media: "application/rdf+xml",
            body: br#"<?xml version="1.0"?><!DOCTYPE r [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="https://ex.org/h/1"><x:p xmlns:x="https://ex.org/">&e;</x:p></rdf:Description></rdf:RDF>"#.to_vec(),
            says: Some("external entity"),
        },
        Doc {
            name: "a remote JSON-LD context",
            ext: "jsonld",
            media: "application/ld+json",
            body: br#"{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "https://ex.org/h/1", "@type": "Dataset"}"#.to_vec(),
            says: Some("was not fetched"),
        },
        Doc {
            name: "deeply nested JSON",
            ext: "jsonld",
            media: "application/ld+json",
            body: format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            says: Some("hostile"),
        },
    ]
}

/// What a refusal says about `doc` matches (the file name counts for "hostile": any clear
/// message naming the input).
fn names_problem(text: &str, doc: &Doc, input: &str) -> bool {
    match doc.says {
        Some("hostile") => text.contains(input) || text.contains("request body"),
        Some(s) => text.contains(s),
        None => true,
    }
}

#[test]
fn hostile_files_are_refused_by_import_and_validate_with_nothing_stored() {
    let env = Env::new();
    let good = env.write(
        "good.ttl",
        &format!("<https://ex.org/good> a <{DCAT}Dataset> ; <{TITLE}> \"Good\"@en ."),
    );
    let first = env.run(&["import", good.to_str().unwrap()]);
    assert_eq!(first.code, 0, "{first:?}");
    let mut before = env.run(&["export", "-f", "nt"]).stdout;
    let mut cases = 0;
    for doc in documents() {
        let name = format!("hostile.{}", doc.ext);
        let path = env.path(&name);
        std::fs::write(&path, &doc.body).unwrap();
        for command in ["import", "validate"] {
            let run = env.run(&[command, path.to_str().unwrap()]);
            cases += 1;
            if doc.says.is_none() {
                assert!(run.code <= 2, "{command} {}: {run:?}", doc.name);
                continue;
            }
            assert!(
                run.code == 1 || run.code == 2,
                "{command} {}: {run:?}",
                doc.name
            );
            assert!(
                names_problem(&run.stderr, &doc, &name) || names_problem(&run.stdout, &doc, &name),
                "{command} {}: {run:?}",
                doc.name
            );
            assert!(
                run.stderr.len() < 10_000,
                "{command} {}: a message of {} bytes",
                doc.name,
                run.stderr.len()
            );
        }
        let now = env.run(&["export", "-f", "nt"]).stdout;
        if doc.says.is_some() {
            assert_eq!(now, before, "{}: the store changed", doc.name);
        }
        before = now;
    }
    eprintln!("{cases} hostile files through import and validate");
}

#[test]
fn hostile_requests_get_a_clear_4xx_and_the_server_stays_healthy() {
    let env = Env::new();
    let key = env.run(&["keys", "create", "--name", "ops", "--role", "admin"]);
    assert_eq!(key.code, 0, "{key:?}");
    let key = key.stdout.trim().to_owned();
    // A push provider with the key "provider-key".
    let provider_key = "provider-key";
    let hash: String = {
        use sha2::Digest;
        sha2::Sha256::digest(provider_key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let config = format!("[[ingest.providers]]\nid = \"prov\"\nkey_sha256 = \"{hash}\"\n");
    let (_server, url) = serve_with(&env, Some(&config), "127.0.0.1:0", &["--demo"], &[]);
    let addr = url.trim_start_matches("http://").to_owned();
    let dump = || http_get(&format!("{url}/catalog/all.nt")).1;
    let before = dump();
    assert!(before.len() > 1000);
    let mut cases = 0;
    for doc in documents() {
        for (path, auth) in [
            ("/api/validate", String::new()),
            ("/api/datasets", format!("Authorization: Bearer {key}\r\n")),
            ("/ingest/datasets", format!("X-API-Key: {provider_key}\r\n")),
        ] {
            // Bodies past the endpoints' size limits are refused before parsing (413).
            let (status, answer) = http_exchange_bytes(
                &addr,
                &format!(
                    "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {}\r\n{auth}",
                    doc.media
                ),
                &doc.body,
            );
            cases += 1;
            if doc.says.is_none() {
                assert!(status < 500, "{path} {}: {status} {answer}", doc.name);
            } else {
                assert!(
                    (400..500).contains(&status),
                    "{path} {}: {status} {answer}",
                    doc.name
                );
                assert!(
                    status == 413 || names_problem(&answer, &doc, "request body"),
                    "{path} {}: {status} {answer}",
                    doc.name
                );
            }
            assert_eq!(
                http_get(&format!("{url}/healthz")).0,
                200,
                "{path} {}",
                doc.name
            );
        }
    }
    // Queries and parameters.
    let deep = format!("SELECT * WHERE {}{}", "{".repeat(1_000), "}".repeat(1_000));
    let path = format!("SELECT * WHERE {{ ?s <p>{} ?o }}", "/<p>".repeat(20_000));
    let parens = format!(
        "ASK {{ FILTER({}1{}) }}",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    let not = format!("ASK {{ FILTER({}true) }}", "!".repeat(20_000));
    let nested_not = format!(
        "ASK {{ FILTER({}true{}) }}",
        "!(".repeat(62),
        ")".repeat(62)
    );
    for q in [&deep, &path, &parens, &not, &nested_not] {
        let mut form = String::from("query=");
        form.push_str(
            &q.replace('{', "%7B")
                .replace('}', "%7D")
                .replace('/', "%2F")
                .replace('!', "%21")
                .replace(' ', "+"),
        );
        let (status, answer) = http_exchange(
            &addr,
            &format!(
                "POST /sparql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            ),
            &form,
        );
        cases += 1;
        assert_eq!(status, 400, "{}…: {answer}", &q[..40]);
        assert_eq!(http_get(&format!("{url}/healthz")).0, 200);
    }
    for path in [
        "/api/search?page=99999999999999999999",
        "/api/search?per_page=-1",
        "/api/search?per_page=100000000",
        "/api/search?sort=%00",
        "/api/search?age_min=abc",
        "/catalog.ttl?per_page=1000000000",
        "/catalog.ttl?page=0",
        "/catalog.ttl?after=%2e%2e%2f%2e%2e",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/datasets/%00.ttl",
        "/api/suggest?q=%FF%FE",
    ] {
        let (status, answer) = http_get(&format!("{url}{path}"));
        cases += 1;
        assert!(status < 500, "{path}: {status} {answer}");
        assert!(
            !answer.contains("<script>alert(1)</script>"),
            "{path}: not escaped"
        );
        assert_eq!(http_get(&format!("{url}/healthz")).0, 200);
    }
    let long_q = format!("/api/search?q={}", "a%20".repeat(20_000));
    let (status, _) = http_get(&format!("{url}{long_q}"));
    assert!(status < 500, "a 60 kB query string: {status}");
    assert_eq!(dump(), before, "nothing stored changed");
    eprintln!("{cases} hostile requests");
}
