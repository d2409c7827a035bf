//! `/sparql` on a running server: a query that would run for minutes is stopped at the configured
//! timeout with a clear status, while the server keeps answering everything else.

use crate::harness::{Env, http_get, serve};
use std::time::{Duration, Instant};

fn url(base: &str, query: &str) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("query", query);
    format!("{base}/sparql?{}", s.finish())
}

#[test]
fn a_runaway_query_is_stopped_and_the_server_keeps_answering() {
    let env = Env::new();
    let (_server, base) = serve(&env, Some("[sparql]\ntimeout_seconds = 2\n"));
    // Thousands of billions of combinations, one row out: only the time limit stops it.
    let slow = url(
        &base,
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    );
    let started = Instant::now();
    let runaway = std::thread::spawn(move || (http_get(&slow), started.elapsed()));
    std::thread::sleep(Duration::from_millis(300));
    // Meanwhile: pages, search and other queries answer at once.
    for path in [
        "/healthz".to_owned(),
        "/api/search?q=cancer".to_owned(),
        "/search?q=asthme".to_owned(),
        "/catalog.ttl?per_page=5".to_owned(),
        url("", "ASK { ?s a <http://www.w3.org/ns/dcat#Dataset> }"),
    ] {
        let t = Instant::now();
        let (status, body) = http_get(&format!("{base}{path}"));
        assert_eq!(status, 200, "{path}: {body}");
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "{path} took {:?}",
            t.elapsed()
        );
    }
    let ((status, body), took) = runaway.join().unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("stopped after 2 s"), "{body}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}
