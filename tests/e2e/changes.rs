//! The change feed of a running national node, and its outbox handing each change to an eDelivery
//! access point (a mock of its file-system back-end, in a thread): writes through the API, a
//! restart in the middle, the feed read over HTTP and its refusals.

use crate::harness::{Env, http_exchange, http_get, serve_with};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn request(base: &str, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    http_exchange(
        addr,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Type: text/turtle\r\n"
        ),
        body,
    )
}

fn feed(base: &str, query: &str) -> (u16, Value) {
    let (status, body) = http_get(&format!("{base}/api/changes{query}"));
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")),
    )
}

fn dataset(n: u32, title: &str) -> String {
    format!(
        "<https://chu.example/d/{n}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{title}\"@en ."
    )
}

/// The access point: moves every message of `OUT` to `SENT`, noting (sequence, kind, record).
fn access_point(folder: PathBuf, got: Arc<Mutex<Vec<String>>>, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let _ = std::fs::create_dir_all(folder.join("SENT"));
        while !stop.load(Ordering::SeqCst) {
            for e in std::fs::read_dir(folder.join("OUT"))
                .into_iter()
                .flatten()
                .flatten()
            {
                let xml =
                    std::fs::read_to_string(e.path().join("metadata.xml")).unwrap_or_default();
                let prop = |n: &str| {
                    xml.split(&format!("<Property name=\"{n}\">"))
                        .nth(1)
                        .and_then(|r| r.split('<').next())
                        .unwrap_or_default()
                        .to_owned()
                };
                got.lock().unwrap().push(format!(
                    "{} {} {}",
                    prop("sequenceNumber"),
                    prop("changeKind"),
                    prop("recordIRI").trim_start_matches("https://chu.example/d/")
                ));
                std::fs::rename(e.path(), folder.join("SENT").join(e.file_name())).unwrap();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
}

#[test]
fn the_feed_numbers_every_change_across_a_restart_and_the_access_point_gets_each_once() {
    let env = Env::new();
    let made = env.run(&["keys", "create", "--name", "ops", "--role", "admin"]);
    assert_eq!(made.code, 0, "{made:?}");
    let auth = format!("Authorization: Bearer {}\r\n", made.stdout.trim());
    let ap = env.path("access-point");
    let config = format!(
        "[parent]\nconnector = \"as4-folder\"\nfolder = \"{}\"\nfrom_party = \"fr-hdab\"\nto_party = \"eu\"\nservice = \"urn:ehds:catalogue\"\naction = \"recordChange\"\ninterval_seconds = 1\ntimeout_seconds = 5\n",
        ap.display()
    );
    let (got, stop) = (
        Arc::new(Mutex::new(Vec::new())),
        Arc::new(AtomicBool::new(false)),
    );
    access_point(ap.clone(), got.clone(), stop.clone());

    let (server, base) = serve_with(&env, Some(&config), "127.0.0.1:0", &[], &[]);
    // The outbox's first cycle (nothing to compare yet) sets its cursor: every write after it is
    // sent from the feed, with its number.
    let ledger = env.path("data/outbox/acknowledged.json");
    let start = Instant::now();
    while !ledger.exists() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    for n in [1, 2] {
        let (s, b) = request(
            &base,
            "POST",
            "/api/datasets?force=true",
            &auth,
            &dataset(n, "First"),
        );
        assert_eq!(s, 201, "{b}");
    }
    let (s, v) = feed(&base, "");
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["head"], 2, "{v}");
    let first = &v["events"][0];
    assert_eq!(first["kind"], "created");
    assert!(
        first["payload"].as_str().unwrap().contains("\"First\"@en"),
        "{first}"
    );
    // An edit needs the record's hash, which the feed gives.
    let id = first["id"].as_str().unwrap().to_owned();
    let etag = format!("If-Match: \"{}\"\r\n", first["hash"].as_str().unwrap());
    let (s, b) = request(
        &base,
        "PUT",
        &format!("/api/datasets/{id}?force=true"),
        &format!("{auth}{etag}"),
        &dataset(1, "Second"),
    );
    assert_eq!(s, 200, "{b}");

    // Restarted on the same data.
    drop(server);
    let (_server, base) = serve_with(&env, Some(&config), "127.0.0.1:0", &[], &[]);
    let second = v["events"][1]["id"].as_str().unwrap().to_owned();
    let (s, b) = request(
        &base,
        "DELETE",
        &format!("/api/datasets/{second}"),
        &auth,
        "",
    );
    assert!(s == 200 || s == 204, "{s} {b}");
    let (s, v) = feed(&base, "?after=2&payload=false");
    assert_eq!(s, 200, "{v}");
    let kinds: Vec<_> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["seq"].as_u64().unwrap(),
                e["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [(3, "changed".to_owned()), (4, "withdrawn".to_owned())],
        "numbers go on after the restart: {v}"
    );
    assert!(v["events"][0].get("payload").is_none(), "{v}");
    assert_eq!(v["next"], 4);

    // Replay from any point gives the same events.
    let (_, again) = feed(&base, "?after=2&payload=false");
    assert_eq!(again["events"], v["events"]);
    // Refusals name what to do.
    let (s, e) = feed(&base, "?after=99");
    assert_eq!(s, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("after=4"), "{e}");
    assert_eq!(e["head"], 4);
    let (s, e) = feed(&base, "?limit=5000");
    assert_eq!(s, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("limit=5000"), "{e}");
    let (s, e) = feed(&base, "?after=two");
    assert_eq!(s, 400, "{e}");

    // The access point got every change exactly once, in order.
    let start = Instant::now();
    while got.lock().unwrap().len() < 4 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500)); // one more cycle: nothing sent twice
    stop.store(true, Ordering::SeqCst);
    let got = got.lock().unwrap().clone();
    assert_eq!(
        got,
        ["1 create 1", "2 create 2", "3 replace 1", "4 delete 2"]
    );
}
