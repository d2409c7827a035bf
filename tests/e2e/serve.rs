//! `serve`: the server binds, answers /healthz, lists records, and `--demo` fills an empty store.

use crate::harness::Env;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

fn get(addr: &str, path: &str) -> (u16, String) {
    crate::harness::http_get(&format!("http://{addr}{path}"))
}

#[test]
fn serve_demo_prints_its_url_and_lists_records() {
    let env = Env::new();
    let mut child = env
        .cmd()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let (status, body) = get(&addr, "/healthz");
    assert_eq!((status, body.trim()), (200, "ok"));
    let (status, body) = get(&addr, "/?lang=en");
    assert_eq!(status, 200);
    assert!(body.contains("<strong>200</strong> datasets"), "{body}");
    let first = body
        .split("href=\"/datasets/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let (status, page) = get(&addr, &format!("/datasets/{first}?lang=en"));
    assert_eq!(status, 200);
    assert!(page.contains("Access level"), "{page}");
    let (status, ttl) = get(&addr, &format!("/datasets/{first}.ttl"));
    assert_eq!(status, 200);
    assert!(ttl.contains("dcat:Dataset"), "{ttl}");
    assert_eq!(get(&addr, "/datasets/no-such-record").0, 404);
    child.kill().unwrap();
    child.wait().unwrap();
}
