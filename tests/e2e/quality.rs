//! `healthcat quality`: the MQA score of stored datasets, and a fix that raises it by exactly the
//! points the report says are missing.

use crate::harness::Env;

const RECORD: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
<https://chu.example/ds/cohorte> a dcat:Dataset ;
  dct:title "Cohorte"@fr ; dct:description "Une cohorte."@fr ; dcat:keyword "cohorte"@fr ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
  dcat:distribution <https://chu.example/ds/cohorte/csv> .
<https://chu.example/ds/cohorte/csv> a dcat:Distribution ;
  dcat:accessURL <https://chu.example/access> ; dct:format ft:CSV LICENCE .
"#;

fn assessed(env: &Env, record: &str) -> serde_json::Value {
    let run = env.run(&["quality", "--json", record]);
    assert_eq!(run.code, 0, "{run:?}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    v[0].clone()
}

fn score(env: &Env, record: &str) -> serde_json::Value {
    assessed(env, record)["mqa"].clone()
}

#[test]
fn a_fix_raises_the_score_by_the_points_the_report_names() {
    let env = Env::new();
    let file = env.write("cohorte.ttl", &RECORD.replace(" LICENCE", ""));
    assert_eq!(env.run(&["import", file.to_str().unwrap()]).code, 0);
    let iri = "https://chu.example/ds/cohorte";
    let before = score(&env, iri);
    // keyword 30, access rights 10 + aligned 5, format 20 + aligned 10 + non-proprietary 20 +
    // machine-readable 20; the access URL is not checked, so out of 355.
    assert_eq!(before["total"], 115, "{before:#}");
    assert_eq!(before["out_of"], 355);
    assert_eq!(before["band"], "bad");
    let missing: u64 = before["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            ["licenceAvailability", "knownLicence"].contains(&i["metric"].as_str().unwrap())
        })
        .map(|i| {
            assert_eq!(i["status"], "missing", "{i}");
            i["points"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(missing, 30);
    // The advice: most points first (30 is the most any open edit here is worth); the licence's
    // says so in words, on the distribution.
    let all = assessed(&env, iri)["advice"].as_array().unwrap().clone();
    assert_eq!(all[0]["advice"]["points"], 30, "{all:#?}");
    let advice = all
        .iter()
        .find(|a| a["advice"]["key"] == "advice.licence.missing")
        .unwrap();
    assert_eq!(advice["advice"]["points"], 30, "{advice:#}");
    assert_eq!(advice["advice"]["on"], "distribution");
    let sentence = advice["sentence"].as_str().unwrap();
    assert!(
        sentence.contains("licence") && sentence.contains("+30"),
        "{advice:#}"
    );
    // The text report lists them with their points.
    let text = env.run(&["quality", iri]);
    assert!(
        text.stdout.contains("licenceAvailability +20") && text.stdout.contains("knownLicence +10"),
        "{text:?}"
    );

    // The steward adds a licence from the EU table: exactly those 30 points.
    let fixed = env.write(
        "cohorte.ttl",
        &RECORD.replace(
            " LICENCE",
            " ; dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>",
        ),
    );
    assert_eq!(env.run(&["import", fixed.to_str().unwrap()]).code, 0);
    let after = score(&env, iri);
    assert_eq!(after["total"], 145, "{after:#}");
    assert_eq!(after["band"], "sufficient");

    let unknown = env.run(&["quality", "https://chu.example/nope"]);
    assert_eq!(unknown.code, 1, "{unknown:?}");
    assert!(unknown.stderr.contains("no record"), "{unknown:?}");
}

/// The label's weights come from a file an instance can replace (`[quality] label`), with no
/// rebuild: the same record scores by the file's weights; a broken file is refused, naming the
/// file and the entry.
#[test]
fn the_label_follows_the_configured_framework() {
    let env = Env::new();
    let record = RECORD.replace(" LICENCE", "").replace(
        "dcat:keyword",
        "dct:creator <https://chu.example/> ; dcat:keyword",
    );
    let file = env.write("cohorte.ttl", &record);
    assert_eq!(env.run(&["import", file.to_str().unwrap()]).code, 0);
    let iri = "https://chu.example/ds/cohorte";
    let bundled = assessed(&env, iri)["label"].clone();
    // Access rights, no usage terms: a basic policy (1 of 2); a creator: the source documented.
    let metrics = bundled["metrics"].as_array().unwrap();
    let of = |key: &str| metrics.iter().find(|m| m["metric"] == key).unwrap().clone();
    assert_eq!(of("access-policy")["level"], 1, "{bundled:#}");
    assert_eq!(of("source-documentation")["level"], 1);
    assert_eq!(of("access-time")["by"], "not_declared");

    // An instance that weighs accessibility alone (every other dimension close to nothing).
    let framework = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../quality/quantum-label.toml"),
    )
    .unwrap();
    let (mut own, mut section, mut key) = (String::new(), "", "");
    for line in framework.lines() {
        if line.starts_with("[[") {
            section = line;
        }
        if let Some(k) = line.strip_prefix("key = ") {
            key = k;
        }
        if section == "[[dimension]]" && line.starts_with("weight = ") {
            let w = if key == "\"accessibility\"" {
                "1000"
            } else {
                "0.001"
            };
            own.push_str(&format!("weight = {w}\n"));
        } else {
            own.push_str(line);
            own.push('\n');
        }
    }
    let label_file = env.write("label.toml", &own);
    let cfg = env.write(
        "healthcat.toml",
        &format!("[quality]\nlabel = {:?}\n", label_file.to_str().unwrap()),
    );
    let run = env.run(&["--config", cfg.to_str().unwrap(), "quality", "--json", iri]);
    assert_eq!(run.code, 0, "{run:?}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let score = v[0]["label"]["score"].as_f64().unwrap();
    // Accessibility weighs ~100 % now: its policy metric (half of it) at level 1 of 2 is ~25.
    assert!((score - 25.0).abs() < 0.1, "{score} {:#}", v[0]["label"]);
    assert_ne!(score, bundled["score"].as_f64().unwrap());
    // What the import kept was computed with the bundled framework: `--keep` replaces it, once.
    let keep = env.run(&["--config", cfg.to_str().unwrap(), "quality", "--keep", iri]);
    assert_eq!(keep.code, 0, "{keep:?}");
    assert!(
        keep.stderr.contains("1 dataset(s) keep a new assessment"),
        "{keep:?}"
    );
    let again = env.run(&["--config", cfg.to_str().unwrap(), "quality", "--keep", iri]);
    assert!(!again.stderr.contains("keep a new assessment"), "{again:?}");

    // A framework whose metrics do not add up is refused before anything runs.
    let broken = env.write(
        "broken.toml",
        &framework.replacen("weight = 50.0", "weight = 45.0", 1),
    );
    let cfg = env.write(
        "broken-healthcat.toml",
        &format!("[quality]\nlabel = {:?}\n", broken.to_str().unwrap()),
    );
    let run = env.run(&["--config", cfg.to_str().unwrap(), "quality", iri]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("broken.toml: dimension \"accessibility\": its metrics weigh 95 together; make them weigh 100"),
        "{run:?}"
    );
}

/// A web server on 127.0.0.1 that answers 200 to `/ok` and 404 to anything else, keeping the
/// request lines it was sent.
fn links_server() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let kept = seen.clone();
    std::thread::spawn(move || {
        for mut sock in listener.incoming().flatten() {
            let mut first = String::new();
            let mut reader = BufReader::new(sock.try_clone().unwrap());
            reader.read_line(&mut first).unwrap_or(0);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let ok = first.split(' ').nth(1) == Some("/ok");
            kept.lock().unwrap().push(first.trim().to_owned());
            let status = if ok { "200 OK" } else { "404 Not Found" };
            let _ = write!(
                sock,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (port, seen)
}

/// `--check-links` requests the records' access and download URLs and nothing else, keeps the
/// answers, and the score counts them: out of 405 points, 50 for the access URL that answers,
/// none for the download URL that does not. Private addresses are refused unless configured.
#[test]
fn checked_links_count_in_the_score() {
    let (port, seen) = links_server();
    let env = Env::new();
    let record = RECORD
        .replace(
            " LICENCE",
            &format!(" ; dcat:downloadURL <http://127.0.0.1:{port}/missing>"),
        )
        .replace(
            "https://chu.example/access",
            &format!("http://127.0.0.1:{port}/ok"),
        );
    let file = env.write("cohorte.ttl", &record);
    assert_eq!(env.run(&["import", file.to_str().unwrap()]).code, 0);
    let iri = "https://chu.example/ds/cohorte";
    let before = score(&env, iri);
    let status = |s: &serde_json::Value, metric: &str| {
        s["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["metric"] == metric)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(&before, "accessUrlStatusCode"), "not_checked");
    assert_eq!(before["out_of"], 325, "{before:#}");

    // By default, a loopback address is not requested at all.
    let run = env.run(&["quality", "--check-links", iri]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
    let links = std::fs::read_to_string(env.path("data/links.tsv")).unwrap();
    assert!(links.contains("private, loopback or link-local"), "{links}");

    // An intranet catalogue allows it; the answers are checked again (`recheck_days = 0`).
    let cfg = env.write(
        "healthcat.toml",
        "[links]\nallow_private = true\nper_host_interval_ms = 0\nrecheck_days = 0\n",
    );
    let cfg = cfg.to_str().unwrap();
    let run = env.run(&["--config", cfg, "quality", "--check-links", "--json", iri]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("2 link(s) checked, 1 answered 2xx"),
        "{run:?}"
    );
    let after: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let after = after[0]["mqa"].clone();
    assert_eq!(status(&after, "accessUrlStatusCode"), "met", "{after:#}");
    assert_eq!(status(&after, "downloadUrlStatusCode"), "failed");
    assert_eq!(after["out_of"], 405);
    assert_eq!(
        after["total"].as_u64().unwrap(),
        before["total"].as_u64().unwrap() + 50,
        "the access URL's 50 points (the download URL was already present: 20)"
    );
    // Only the two URLs of the record were requested.
    let requested = seen.lock().unwrap().clone();
    assert!(!requested.is_empty());
    for line in &requested {
        assert!(
            line.ends_with(" /ok HTTP/1.1") || line.ends_with(" /missing HTTP/1.1"),
            "{requested:?}"
        );
    }
    // The answers are kept: a later run (and every write) counts them without checking again.
    let n = requested.len();
    let again = score(&env, iri);
    assert_eq!(again["total"], after["total"]);
    assert_eq!(seen.lock().unwrap().len(), n);
}

/// Inside `serve` (`[links] every_hours`), the checker runs on its own: the dataset's score
/// counts the answers without any write, and the dataset page reads the score it keeps.
#[test]
fn serve_checks_the_links_on_its_own() {
    let (port, seen) = links_server();
    let env = Env::new();
    let record = RECORD
        .replace(" LICENCE", "")
        .replace(
            "https://chu.example/access",
            &format!("http://127.0.0.1:{port}/ok"),
        )
        .replace(
            "dct:format ft:CSV",
            &format!("dcat:downloadURL <http://127.0.0.1:{port}/gone> ; dct:format ft:CSV"),
        );
    let file = env.write("cohorte.ttl", &record);
    assert_eq!(env.run(&["import", file.to_str().unwrap()]).code, 0);
    let id = env.run(&["search", "--json"]);
    let id: serde_json::Value = serde_json::from_str(&id.stdout).unwrap();
    let id = id["hits"][0]["id"].as_str().unwrap().to_owned();
    let (_server, url) = crate::harness::serve_with(
        &env,
        Some("[links]\nevery_hours = 24\nallow_private = true\nper_host_interval_ms = 0\n"),
        "127.0.0.1:0",
        &[],
        &[],
    );
    let quality = || {
        let (status, body) = crate::harness::http_get(&format!("{url}/api/datasets/{id}/quality"));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    };
    let met = |q: &serde_json::Value| {
        q["mqa"]["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["metric"] == "accessUrlStatusCode" && i["status"] == "met")
    };
    let start = std::time::Instant::now();
    while !met(&quality()) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "the link was not checked: {:#}",
            quality()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|l| l == "HEAD /ok HTTP/1.1"),
        "{seen:?}"
    );
    // The score it keeps moved too: the page says out of 405 points, nothing left unchecked.
    let total = quality()["mqa"]["total"].as_u64().unwrap();
    let page = loop {
        let (_, page) = crate::harness::http_get(&format!("{url}/datasets/{id}?lang=en"));
        if page.contains(&format!("{total} points out of 405")) || start.elapsed().as_secs() > 30 {
            break page;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(
        page.contains(&format!("{total} points out of 405")),
        "{page}"
    );
    assert!(env.path("data/links.tsv").exists());
    // The metrics read the checker's queue: nothing due again before 30 days, one link failing.
    let metrics = loop {
        let (_, text) = crate::harness::http_get(&format!("{url}/metrics"));
        let ran = crate::ops::sample(
            &text,
            r#"healthcat_queue_last_run_timestamp_seconds{queue="links"}"#,
        );
        if ran.is_some() || start.elapsed().as_secs() > 30 {
            break text;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let queue = |state: &str| {
        crate::ops::sample(
            &metrics,
            &format!(r#"healthcat_queue_items{{queue="links",state="{state}"}}"#),
        )
    };
    assert_eq!(
        (queue("due"), queue("failing")),
        (Some(0.0), Some(1.0)),
        "{metrics}"
    );
}
