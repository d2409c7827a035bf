//! Federation end to end: two institutions and a national node harvesting them on a schedule, a
//! third institution pushing its records to the national node through its outbox — five
//! healthcat processes on 127.0.0.1.

use crate::harness::{Env, free_port, http_get, serve_with};
use crate::harvest::source;
use serde_json::Value;
use std::time::{Duration, Instant};

/// A free port of 127.0.0.1 (an institution restarts on the same address).
fn json(url: &str) -> Value {
    let (status, body) = http_get(url);
    assert_eq!(status, 200, "{url}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{url}: {e}: {body}"))
}

/// Polls `what` until it returns `Some`, for at most 90 s.
fn wait<T>(label: &str, mut what: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = what() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "gave up waiting for {label}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The number of datasets the node's search finds.
fn total(base: &str) -> u64 {
    json(&format!("{base}/api/search?per_page=1"))["total"]
        .as_u64()
        .unwrap()
}

/// The last run of harvest source `id`, once one that started after `after` (RFC 3339 text) ended
/// with `status`. (Runs while an institution restarts fail and change nothing; the one after them
/// is the one that counts.)
fn run_after(node: &str, id: &str, after: &str, status: &str) -> Value {
    wait(&format!("a {status} run of {id} after {after}"), || {
        let v = json(&format!("{node}/api/harvest/{id}"));
        let r = v["report"].clone();
        (r["started"].as_str().is_some_and(|s| s > after) && r["status"] == status).then_some(r)
    })
}

fn now() -> String {
    // Seconds since the epoch as RFC 3339, without a date crate in the tests: `date`.
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%S"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn demo(env: &Env, seed: &str, n: &str, base: &str) {
    let run = env.run(&[
        "demo-data",
        "--seed",
        seed,
        "--datasets",
        n,
        "--base-iri",
        base,
        "-o",
        "demo.ttl",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = env.run(&["import", "demo.ttl"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn institutions_reach_the_national_node_by_harvest_and_by_push() {
    // Two institutions with different records, on fixed ports.
    let a = Env::new();
    demo(&a, "1", "60", "https://chu-a.example/");
    let a_bind = format!("127.0.0.1:{}", free_port());
    let (a_server, a_url) = serve_with(&a, None, &a_bind, &[], &[]);
    let b = Env::new();
    demo(&b, "2", "40", "https://registre-b.example/");
    let (b_server, b_url) = serve_with(&b, None, "127.0.0.1:0", &[], &[]);

    // The national node harvests both every 5 s and accepts pushes from institution C.
    let key = "c-0123456789abcdef";
    let digest = std::process::Command::new("sh")
        .args(["-c", &format!("printf %s {key} | sha256sum")])
        .output()
        .unwrap();
    let digest = String::from_utf8(digest.stdout).unwrap();
    let digest = digest.split_whitespace().next().unwrap();
    let n = Env::new();
    for (id, url) in [("chu-a", &a_url), ("registre-b", &b_url)] {
        source(
            &n,
            id,
            &format!("{url}/catalog.ttl?per_page=25"),
            "schedule = \"5s\"\nprofile = \"healthdcat-ap-r8\"",
        );
    }
    let config = format!("[[ingest.providers]]\nid = \"clinique-c\"\nkey_sha256 = \"{digest}\"\n");
    let (_n_server, n_url) = serve_with(&n, Some(&config), "127.0.0.1:0", &[], &[]);

    // Institution C pushes its records to the national node.
    let c = Env::new();
    demo(&c, "3", "5", "https://clinique-c.example/");
    let c_config = format!(
        "[parent]\nurl = \"{n_url}\"\napi_key_env = \"PARENT_KEY\"\ninterval_seconds = 1\n"
    );
    let c_server = serve_with(
        &c,
        Some(&c_config),
        "127.0.0.1:0",
        &[],
        &[("PARENT_KEY", key)],
    );

    // The union: 60 + 40 datasets and each institution's SPARQL service harvested, 5 pushed.
    wait("the union at the national node", || {
        (total(&n_url) == 107).then_some(())
    });
    let sources = json(&format!("{n_url}/api/harvest"));
    for s in sources["sources"].as_array().unwrap() {
        assert_eq!(s["last"]["status"], "ok", "{s}");
    }
    // Original IRIs and provenance in the national catalogue.
    let (_, page) = http_get(&format!("{n_url}/catalog.ttl?per_page=1000"));
    for iri in [
        "<https://chu-a.example/dataset/",
        "<https://registre-b.example/dataset/",
        "<https://clinique-c.example/dataset/",
    ] {
        assert!(page.contains(iri), "{iri}");
    }
    assert!(
        page.contains(&format!("dct:source <{a_url}/catalog.ttl")),
        "provenance"
    );
    // The run pages show them.
    let (status, html) = http_get(&format!("{n_url}/harvest"));
    assert_eq!(status, 200);
    assert!(html.contains("chu-a") && html.contains("registre-b"));

    // ckanext-dcat reads the national catalogue completely.
    if let (Some(python), Some(reference)) =
        (crate::parity::oracle(), crate::harness::reference_dir())
    {
        let out = std::process::Command::new(python)
            .arg(reference.join("../tools/ckan_read.py"))
            .arg(format!("{n_url}/catalog.ttl?per_page=40"))
            .output()
            .unwrap();
        let summary: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(summary["errors"], serde_json::json!([]), "{summary}");
        assert_eq!(summary["datasets"], 105, "{summary}");
    } else {
        eprintln!("NOTICE: ckanext-dcat reading of the national node skipped (no oracle venv)");
    }

    // Institution A edits one record and withdraws another, then comes back on its address.
    drop(a_server);
    // Runs that began before this mark (the institution still up) are not the one we wait for.
    std::thread::sleep(Duration::from_millis(1100));
    let mark = now();
    let nt = a.run(&["export", "-f", "nt"]).stdout;
    let edited_line = nt
        .lines()
        .find(|l| {
            l.contains("<http://purl.org/dc/terms/title>")
                && l.starts_with("<https://chu-a.example/dataset/")
        })
        .unwrap();
    let edited = edited_line
        .split_whitespace()
        .next()
        .unwrap()
        .trim_matches(['<', '>'])
        .to_owned();
    let gone = nt
        .lines()
        .filter(|l| l.starts_with("<https://chu-a.example/dataset/") && !l.contains(&edited))
        .map(|l| {
            l.split_whitespace()
                .next()
                .unwrap()
                .trim_matches(['<', '>'])
                .to_owned()
        })
        .next()
        .unwrap();
    let title_at = edited_line.find('"').unwrap();
    let changed_line = format!(
        "{}\"Révisé : {}",
        &edited_line[..title_at],
        &edited_line[title_at + 1..]
    );
    a.write("edit.nt", &nt.replace(edited_line, &changed_line));
    assert_eq!(a.run(&["import", "edit.nt"]).code, 0);
    assert_eq!(a.run(&["remove", &gone]).code, 0);
    let (_a_server, _) = serve_with(&a, None, &a_bind, &[], &[]);
    let run = run_after(&n_url, "chu-a", &mark, "ok");
    assert_eq!(run["status"], "ok", "{run}");
    // Only that record rewritten; the withdrawn one withdrawn.
    assert_eq!(
        (
            run["new"].as_u64(),
            run["updated"].as_u64(),
            run["withdrawn"].as_u64()
        ),
        (Some(0), Some(1), Some(1)),
        "{run}"
    );
    assert_eq!(total(&n_url), 106);
    let (_, page) = http_get(&format!("{n_url}/catalog.ttl?per_page=1000"));
    assert!(page.contains("Révisé : "), "the edit arrived");
    assert!(
        !page.contains(&format!("<{gone}>")),
        "the withdrawal arrived"
    );

    // C withdraws a record: its outbox tells the national node.
    drop(c_server);
    let c_nt = c.run(&["export", "-f", "nt"]).stdout;
    let c_gone = c_nt
        .lines()
        .find(|l| l.starts_with("<https://clinique-c.example/dataset/"))
        .map(|l| {
            l.split_whitespace()
                .next()
                .unwrap()
                .trim_matches(['<', '>'])
                .to_owned()
        })
        .unwrap();
    assert_eq!(c.run(&["remove", &c_gone]).code, 0);
    let _c_server = serve_with(
        &c,
        Some(&c_config),
        "127.0.0.1:0",
        &[],
        &[("PARENT_KEY", key)],
    );
    wait("C's withdrawal at the national node", || {
        (total(&n_url) == 105).then_some(())
    });

    // Institution B goes down: the national node's run fails and withdraws nothing.
    let mark = now();
    drop(b_server);
    let run = run_after(&n_url, "registre-b", &mark, "failed");
    assert_eq!(run["status"], "failed", "{run}");
    assert_eq!(run["withdrawn"], 0);
    assert_eq!(total(&n_url), 105);
}
