//! healthcat on a remote SPARQL 1.1 store (`--store-url`): Oxigraph server from the Python package
//! registry on 127.0.0.1 keeps the records, and the same binary imports, serves, searches,
//! writes through the API and answers SPARQL as it does on its embedded store. Another process
//! with another data directory reads the same records. While the store is away, pages that need
//! it answer 503 with the catalogue's words, and everything answers again once it is back.

use crate::harness::{Env, http_exchange, http_get, serve_with};
use healthcat_testkit::sparql_server::SparqlServer;

fn sparql(base: &str, query: &str) -> (u16, String) {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("query", query);
    http_get(&format!("{base}/sparql?{}", s.finish()))
}

#[test]
fn the_catalogue_runs_on_a_remote_store() {
    let env = Env::new();
    let Some(mut store) =
        SparqlServer::start(&env.path("oxigraph"), "the remote-store end-to-end test")
    else {
        return;
    };
    let url = store.url();
    let made = env.run(&["keys", "create", "--name", "ops", "--role", "admin"]);
    assert_eq!(made.code, 0, "{made:?}");
    let key = made.stdout.trim().to_owned();

    // The demo records go to the remote store; the index is built from it.
    let (server, base) = serve_with(
        &env,
        None,
        "127.0.0.1:0",
        &["--demo", "--store-url", &url],
        &[],
    );
    let (status, home) = http_get(&format!("{base}/?lang=en"));
    assert_eq!(status, 200);
    assert!(home.contains("<strong>200</strong> datasets"), "{home}");
    let first = home
        .split("href=\"/datasets/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let (status, page) = http_get(&format!("{base}/datasets/{first}?lang=en"));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Access level"), "{page}");
    let (status, ttl) = http_get(&format!("{base}/datasets/{first}.ttl"));
    assert_eq!(status, 200);
    assert!(ttl.contains("dcat:Dataset"), "{ttl}");
    let (status, catalog) = http_get(&format!("{base}/catalog.ttl?per_page=5"));
    assert_eq!(status, 200, "{catalog}");
    let (status, count) = sparql(
        &base,
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
    );
    assert_eq!(status, 200, "{count}");
    assert!(count.contains("200"), "{count}");
    // The bookkeeping stays invisible to SPARQL on the remote store too.
    let (_, meta) = sparql(
        &base,
        "SELECT * WHERE { GRAPH <urn:healthcat:meta> { ?s ?p ?o } } LIMIT 1",
    );
    assert!(!meta.contains("urn:healthcat"), "{meta}");

    // A write through the API is stored remotely and searchable.
    let addr = base.trim_start_matches("http://").to_owned();
    let ttl = r#"<https://chu.example/d/remote-1> a <http://www.w3.org/ns/dcat#Dataset> ;
        <http://purl.org/dc/terms/title> "Zyxwvut cohort on a remote store"@en ."#;
    let (status, body) = http_exchange(
        &addr,
        &format!(
            "POST /api/datasets?force=true HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: text/turtle\r\n"
        ),
        ttl,
    );
    assert_eq!(status, 201, "{body}");
    let (status, found) = http_get(&format!("{base}/api/search?q=zyxwvut"));
    assert_eq!(status, 200);
    assert!(found.contains("chu.example/d/remote-1"), "{found}");
    let (status, changes) = http_get(&format!("{base}/api/changes?after=200"));
    assert_eq!(status, 200, "{changes}");
    assert!(changes.contains("chu.example/d/remote-1"), "{changes}");

    // Another process, with a data directory of its own, reads the same records.
    let other = env.path("other-data");
    let stats = env
        .cmd_on(&other)
        .args(["stats", "--json", "--store-url", &url])
        .output()
        .unwrap();
    let stats = String::from_utf8_lossy(&stats.stdout);
    assert!(stats.contains("\"datasets\": 201"), "{stats}");

    // The store goes away: a page that needs it says so (503, in the catalogue's words); the
    // server itself stays up and answers again once the store is back.
    store.stop();
    let (status, page) = http_get(&format!("{base}/datasets/{first}?lang=en"));
    assert_eq!(status, 503, "{page}");
    assert!(page.contains("does not answer at the moment"), "{page}");
    let (status, _) = http_get(&format!("{base}/healthz"));
    assert_eq!(status, 200);
    store.resume();
    let (status, page) = http_get(&format!("{base}/datasets/{first}?lang=en"));
    assert_eq!(status, 200, "{page}");
    drop(server);

    // A store that does not answer is an I/O failure (exit 2) naming its address.
    store.stop();
    let away = env
        .cmd()
        .args(["stats", "--store-url", &url])
        .output()
        .unwrap();
    assert_eq!(away.status.code(), Some(2), "{away:?}");
    assert!(
        String::from_utf8_lossy(&away.stderr).contains(&format!("{url}/query did not answer")),
        "{away:?}"
    );

    // A wrong address is refused at once, naming it.
    let refused = env
        .cmd()
        .args(["stats", "--store-url", "127.0.0.1:7878"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("is not an http:// or https:// address"),
        "{refused:?}"
    );
}

/// `healthcat serve` on the data directory `data`, the store at `url` and the configuration
/// file `config`; its base URL.
fn replica(
    env: &Env,
    data: &std::path::Path,
    url: &str,
    config: &std::path::Path,
) -> (crate::harness::Killed, String) {
    let mut child = env
        .cmd_on(data)
        .arg("--config")
        .arg(config)
        .args(["serve", "--bind", "127.0.0.1:0", "--store-url", url])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let base = crate::harness::served_url(&mut child);
    (crate::harness::Killed(child), base)
}

/// A key made on the data directory `data`.
fn key_on(env: &Env, data: &std::path::Path) -> String {
    let made = env
        .cmd_on(data)
        .args(["keys", "create", "--name", "ops", "--role", "admin"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    String::from_utf8_lossy(&made.stdout).trim().to_owned()
}

fn post(base: &str, key: &str, ttl: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://").to_owned();
    http_exchange(
        &addr,
        &format!(
            "POST /api/datasets?force=true HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: text/turtle\r\n"
        ),
        ttl,
    )
}

/// Waits (up to 20 s) until `base` finds `word`; how long it took.
fn searchable(base: &str, word: &str, iri: &str) -> std::time::Duration {
    let started = std::time::Instant::now();
    loop {
        let (status, found) = http_get(&format!("{base}/api/search?q={word}"));
        if status == 200 && found.contains(iri) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{base} did not find {iri} within 20 s: {found}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn replicas_on_one_store_search_each_others_writes() {
    let env = Env::new();
    let Some(_store) = SparqlServer::start(&env.path("oxigraph"), "the serving-replica test")
    else {
        return;
    };
    let url = _store.url();
    let (data_a, data_b) = (env.path("data-a"), env.path("data-b"));
    let (key_a, key_b) = (key_on(&env, &data_a), key_on(&env, &data_b));
    // The same configuration on both, pushing to a parent node's access point; B is a replica.
    let parent = format!(
        "[parent]\nconnector = \"as4-folder\"\nfolder = \"{}\"\nfrom_party = \"fr-hdab\"\nto_party = \"eu\"\nservice = \"urn:ehds:catalogue\"\naction = \"recordChange\"\ninterval_seconds = 1\ntimeout_seconds = 5\n",
        env.path("access-point").display()
    );
    let (config_a, config_b) = (env.path("writer.toml"), env.path("replica.toml"));
    std::fs::write(&config_a, &parent).unwrap();
    std::fs::write(&config_b, format!("{parent}[store]\nrole = \"replica\"\n")).unwrap();
    let (a, base_a) = replica(&env, &data_a, &url, &config_a);
    let (_b, base_b) = replica(&env, &data_b, &url, &config_b);

    let ttl = r#"<https://chu.example/d/from-a> a <http://www.w3.org/ns/dcat#Dataset> ;
        <http://purl.org/dc/terms/title> "Qwertzuiop cohort written on A"@en ."#;
    assert_eq!(post(&base_a, &key_a, ttl).0, 201);
    let took = searchable(&base_b, "qwertzuiop", "chu.example/d/from-a");
    eprintln!("a write on replica A was searchable on replica B after {took:?}");
    let ttl = r#"<https://chu.example/d/from-b> a <http://www.w3.org/ns/dcat#Dataset> ;
        <http://purl.org/dc/terms/title> "Asdfghjkl registry written on B"@en ."#;
    assert_eq!(post(&base_b, &key_b, ttl).0, 201);
    searchable(&base_a, "asdfghjkl", "chu.example/d/from-b");
    // Both have every change: ready (within seconds on a loaded machine: a replica follows
    // the store once a second), and the feed numbers are not shared out twice.
    for base in [&base_a, &base_b] {
        let started = std::time::Instant::now();
        loop {
            let (status, body) = http_get(&format!("{base}/readyz"));
            if status == 200 {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{base} not ready after 10 s: {status} {body}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
    let (_, changes) = http_get(&format!("{base_b}/api/changes?after=0"));
    assert!(
        changes.contains("\"seq\":1") && changes.contains("\"seq\":2"),
        "{changes}"
    );
    // Only the writer runs the outbox: its ledger and its queue in /metrics; the replica has
    // neither, though configured the same.
    let started = std::time::Instant::now();
    let ledger = |data: &std::path::Path| data.join("outbox/acknowledged.json").exists();
    while !ledger(&data_a) && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(ledger(&data_a), "the writer's outbox never ran");
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(!ledger(&data_b), "the replica ran the outbox");
    let queue = "queue=\"outbox\"";
    let (_, metrics_a) = http_get(&format!("{base_a}/metrics"));
    let (_, metrics_b) = http_get(&format!("{base_b}/metrics"));
    assert!(metrics_a.contains(queue), "{metrics_a}");
    assert!(!metrics_b.contains(queue), "{metrics_b}");

    // Replica A goes away: B keeps serving reads and taking writes.
    drop(a);
    let (status, page) = http_get(&format!("{base_b}/api/search?q=qwertzuiop"));
    assert_eq!(status, 200, "{page}");
    let ttl = r#"<https://chu.example/d/after> a <http://www.w3.org/ns/dcat#Dataset> ;
        <http://purl.org/dc/terms/title> "Lkjhgfdsa written after A stopped"@en ."#;
    assert_eq!(post(&base_b, &key_b, ttl).0, 201);
    searchable(&base_b, "lkjhgfdsa", "chu.example/d/after");
}
