//! What operations ask of a running server: `/healthz`, `/readyz`, and `/metrics` read by the
//! Prometheus project's own OpenMetrics parser (prometheus-client from the Python package
//! registry, `.ci/prometheus`).

use crate::harness::{Env, http_get, serve_with};
use serde_json::Value;

/// `/metrics` parsed by prometheus_client's OpenMetrics parser: {sample name: [{labels, value}]}.
fn parsed(python: &str, text: &str) -> Value {
    use std::io::Write;
    let script = r#"
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
out = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        out.setdefault(s.name, []).append({"labels": s.labels, "value": s.value})
print(json.dumps(out))
"#;
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the OpenMetrics parser refused /metrics: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The value of the sample `name` whose labels include every pair of `labels`.
fn value(metrics: &Value, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    metrics[name].as_array()?.iter().find_map(|s| {
        labels
            .iter()
            .all(|(k, v)| s["labels"][k] == *v)
            .then(|| s["value"].as_f64())
            .flatten()
    })
}

#[test]
fn metrics_are_read_by_prometheus_parser_and_count_what_was_asked() {
    let env = Env::new();
    let (_server, url) = serve_with(&env, None, "127.0.0.1:0", &["--demo"], &[]);
    assert_eq!(http_get(&format!("{url}/healthz")), (200, "ok".into()));
    let (status, ready) = http_get(&format!("{url}/readyz"));
    assert_eq!(status, 200, "{ready}");
    let ready: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(ready["ready"], true);
    assert_eq!(
        (ready["records"].as_u64(), ready["indexed"].as_u64()),
        (Some(200), Some(200))
    );

    // Three dataset pages, a search, an address that is nobody's.
    let (_, list) = http_get(&format!("{url}/api/search?per_page=3"));
    let list: Value = serde_json::from_str(&list).unwrap();
    for hit in list["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        assert_eq!(http_get(&format!("{url}/datasets/{id}")).0, 200);
    }
    assert_eq!(http_get(&format!("{url}/no/such/page")).0, 404);

    let (status, text) = http_get(&format!("{url}/metrics"));
    assert_eq!(status, 200);
    let Some(python) = std::env::var("HEALTHCAT_PROMETHEUS_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
    else {
        eprintln!(
            "NOTICE: HEALTHCAT_PROMETHEUS_PYTHON not set (run `make test`, or `bash .ci/prometheus`): /metrics not read by Prometheus' parser"
        );
        assert!(text.ends_with("# EOF\n"), "{text}");
        return;
    };
    let m = parsed(&python, &text);
    let count = |route: &str, status: &str| {
        value(
            &m,
            "healthcat_http_request_duration_seconds_count",
            &[("route", route), ("method", "GET"), ("status", status)],
        )
    };
    assert_eq!(count("/datasets/{file}", "200"), Some(3.0), "{m}");
    assert_eq!(count("unmatched", "404"), Some(1.0), "{m}");
    assert_eq!(count("/readyz", "200"), Some(1.0), "{m}");
    // Latency buckets are cumulative and end with everything.
    let inf = value(
        &m,
        "healthcat_http_request_duration_seconds_bucket",
        &[("route", "/datasets/{file}"), ("le", "+Inf")],
    );
    assert_eq!(inf, Some(3.0));
    assert_eq!(
        value(&m, "healthcat_store_units", &[("kind", "dataset")]),
        Some(200.0)
    );
    assert_eq!(value(&m, "healthcat_index_documents", &[]), Some(200.0));
    assert_eq!(value(&m, "healthcat_index_lag_records", &[]), Some(0.0));
    assert_eq!(value(&m, "healthcat_index_missed_write", &[]), Some(0.0));
    // The demo was loaded in bulk: no transaction filled the write buffers.
    assert_eq!(
        value(&m, "healthcat_store_write_buffer_flushes_total", &[]),
        Some(0.0)
    );
    assert!(value(&m, "healthcat_store_size_bytes", &[]).unwrap() > 100_000.0);
    let rss = value(&m, "process_resident_memory_bytes", &[]).unwrap();
    assert!(rss > 10e6 && rss < 4e9, "{rss}");
}

#[test]
fn json_logs_carry_the_request_id_the_answer_gives_back() {
    let env = Env::new();
    let mut child = env
        .cmd()
        // --quiet: the messages for a person (what --demo did) are not logs.
        .args(["--quiet", "serve", "--demo", "--bind", "127.0.0.1:0"])
        .env("HEALTHCAT_LOG_FORMAT", "json")
        .env("HEALTHCAT_LOG", "healthcat_web=info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let url = crate::harness::served_url(&mut child);
    let server = crate::harness::Killed(child);
    let addr = url.trim_start_matches("http://");
    // A proxy's id is kept; an unusable one is replaced.
    let ask = |id: &str| {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        use std::io::{Read, Write};
        write!(
            s,
            "GET /no/such/page?q=secret HTTP/1.0\r\nHost: {addr}\r\nX-Request-Id: {id}\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("x-request-id: ").map(str::to_owned))
            .expect("an x-request-id header")
    };
    assert_eq!(ask("proxy-42.a_b"), "proxy-42.a_b");
    let made = ask("<script>");
    assert_ne!(made, "<script>");
    let mut logs = String::new();
    use std::io::Read;
    let mut killed = server_stderr(server);
    killed.read_to_string(&mut logs).unwrap();
    let lines: Vec<Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: not JSON: {l}")))
        .collect();
    for id in ["proxy-42.a_b", made.as_str()] {
        let answered = lines
            .iter()
            .find(|l| l["span"]["id"] == id && l["fields"]["message"] == "answered")
            .unwrap_or_else(|| panic!("no line for {id} in {logs}"));
        assert_eq!(answered["fields"]["status"], 404);
        assert_eq!(answered["span"]["route"], "unmatched");
    }
    assert!(!logs.contains("secret"), "no query text in the logs");
}

/// The value `/metrics` gives the sample `sample` (name and labels as the text writes them).
pub(crate) fn sample(text: &str, sample: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(sample)?.strip_prefix(' ')?.parse().ok())
}

/// The outbox's backlog is read live: a parent that does not answer leaves every record of the
/// sources it is given (here the demo's) waiting, and the cycles that tried are reported.
#[test]
fn the_outbox_backlog_towards_a_parent_that_is_down_is_in_the_metrics() {
    // A port that refuses: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new();
    let config = format!(
        "[parent]\nurl = \"http://127.0.0.1:{closed}\"\napi_key_env = \"PARENT_KEY\"\ninterval_seconds = 1\nsources = [\"demo\"]\n"
    );
    let (_server, url) = serve_with(
        &env,
        Some(&config),
        "127.0.0.1:0",
        &["--demo"],
        &[("PARENT_KEY", "k")],
    );
    let start = std::time::Instant::now();
    let text = loop {
        let (status, text) = http_get(&format!("{url}/metrics"));
        assert_eq!(status, 200);
        if sample(
            &text,
            r#"healthcat_queue_last_run_timestamp_seconds{queue="outbox"}"#,
        )
        .is_some()
        {
            break text;
        }
        assert!(start.elapsed().as_secs() < 30, "no outbox cycle: {text}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(
        sample(
            &text,
            r#"healthcat_queue_items{queue="outbox",state="waiting"}"#
        ),
        Some(200.0),
        "{text}"
    );
    // Queues that do not run here are not reported.
    assert!(!text.contains(r#"queue="reminders""#), "{text}");
    assert!(!text.contains(r#"queue="links""#), "{text}");
}

/// The standard error of a server already killed.
fn server_stderr(mut server: crate::harness::Killed) -> std::process::ChildStderr {
    let _ = server.0.kill();
    let _ = server.0.wait();
    server.0.stderr.take().unwrap()
}
