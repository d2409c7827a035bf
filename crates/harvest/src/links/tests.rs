//! The link checker against servers started here on 127.0.0.1: what it records for each kind of
//! answer, what it never requests, its pace per host, and its results file.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server answering by path; it counts requests and keeps their first lines.
struct Server {
    port: u16,
    hits: Arc<AtomicUsize>,
    lines: Arc<Mutex<Vec<String>>>,
}

async fn server(other: u16) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let (h, l) = (hits.clone(), lines.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (h, l) = (h.clone(), l.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let text = String::from_utf8_lossy(&buf[..n]).to_string();
                let first = text.lines().next().unwrap_or_default().to_owned();
                h.fetch_add(1, Ordering::SeqCst);
                l.lock().unwrap().push(first.clone());
                let head = first.starts_with("HEAD");
                let path = first.split(' ').nth(1).unwrap_or("/").to_owned();
                let path = path.split('?').next().unwrap_or("/").to_owned();
                let answer = match path.as_str() {
                    "/ok" => "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_owned(),
                    "/no-head" if head => {
                        "HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n".to_owned()
                    }
                    "/no-head" => {
                        "HTTP/1.1 206 Partial Content\r\ncontent-length: 1\r\n\r\nx".to_owned()
                    }
                    "/broken" => {
                        "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n".to_owned()
                    }
                    "/here" => "HTTP/1.1 302 Found\r\nlocation: /ok\r\ncontent-length: 0\r\n\r\n"
                        .to_owned(),
                    "/away" => format!(
                        "HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:{other}/ok\r\ncontent-length: 0\r\n\r\n"
                    ),
                    "/slow" => {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_owned()
                    }
                    _ => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".to_owned(),
                };
                let _ = sock.write_all(answer.as_bytes()).await;
            });
        }
    });
    Server { port, hits, lines }
}

fn local(per_host_interval_ms: u64) -> LinkChecker {
    LinkChecker::new(LinkConfig {
        allow_private: true,
        per_host_interval_ms,
        timeout_seconds: 1,
        ..LinkConfig::default()
    })
    .unwrap()
}

#[tokio::test]
async fn each_answer_is_recorded_with_why() {
    let elsewhere = server(0).await;
    let s = server(elsewhere.port).await;
    let c = local(0);
    let at = |p: &str| format!("http://127.0.0.1:{}{p}", s.port);
    let ok = c.check(&at("/ok")).await;
    assert_eq!(
        (ok.status, ok.ok(), ok.note.clone()),
        (Some(200), true, None)
    );
    // HEAD refused: the first byte by GET.
    let r = c.check(&at("/no-head")).await;
    assert_eq!((r.status, r.ok()), (Some(206), true));
    let r = c.check(&at("/broken")).await;
    assert_eq!((r.status, r.ok()), (Some(500), false));
    // A redirect on the same host is followed.
    assert_eq!(c.check(&at("/here")).await.status, Some(200));
    // A redirect to another host is recorded, not followed.
    let r = c.check(&at("/away")).await;
    assert_eq!((r.status, r.ok()), (Some(302), false));
    assert!(r.note.unwrap().contains("another host: not followed"));
    assert_eq!(elsewhere.hits.load(Ordering::SeqCst), 0);
    // No answer in time.
    let r = c.check(&at("/slow")).await;
    assert_eq!((r.status, r.ok()), (None, false));
    assert!(r.note.as_deref().unwrap().contains("time limit"), "{r:?}");
    // Not a web address: nothing requested.
    let r = c.check("ftp://example.org/x").await;
    assert!(r.note.unwrap().contains("not an http(s) URL"));
    let lines = s.lines.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.starts_with("HEAD /ok ")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("GET /no-head ")),
        "{lines:?}"
    );
}

/// By default the checker calls no private, loopback or link-local address — written as such or
/// behind a name — and the server sees nothing.
#[tokio::test]
async fn private_addresses_are_refused_before_any_request() {
    let s = server(0).await;
    let c = LinkChecker::new(LinkConfig {
        timeout_seconds: 2,
        ..LinkConfig::default()
    })
    .unwrap();
    for url in [
        format!("http://127.0.0.1:{}/ok", s.port),
        format!("http://localhost:{}/ok", s.port),
        format!("http://[::1]:{}/ok", s.port),
    ] {
        let r = c.check(&url).await;
        assert_eq!(r.status, None, "{url}");
        let note = r.note.unwrap();
        assert!(
            note.contains("private") || note.contains("public address"),
            "{note}"
        );
    }
    assert_eq!(s.hits.load(Ordering::SeqCst), 0);
    for ip in [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
    ] {
        assert!(is_private(ip.parse().unwrap()), "{ip}");
    }
    for ip in ["8.8.8.8", "2001:4860:4860::8888", "193.51.24.1"] {
        assert!(!is_private(ip.parse().unwrap()), "{ip}");
    }
}

/// Requests to one host are spaced by the configured interval.
#[tokio::test]
async fn one_host_is_called_at_its_pace() {
    let s = server(0).await;
    let c = local(200);
    let urls: Vec<String> = (0..3)
        .map(|i| format!("http://127.0.0.1:{}/ok?{i}", s.port))
        .collect();
    let start = std::time::Instant::now();
    let mut got = Vec::new();
    c.check_all(urls, |u, r| got.push((u, r))).await;
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|(_, r)| r.ok()), "{got:?}");
    assert!(
        start.elapsed() >= Duration::from_millis(400),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn results_are_kept_and_rechecked_when_old() {
    let dir = tempfile::tempdir().unwrap();
    let path = LinkResults::path(dir.path());
    assert!(LinkResults::load(&path).unwrap().is_empty());
    let mut r = LinkResults::default();
    let now: jiff::Timestamp = "2026-12-05T10:00:00Z".parse().unwrap();
    r.insert(
        "https://a.example/x".into(),
        LinkResult {
            status: Some(200),
            checked: "2026-12-04T10:00:00Z".into(),
            note: None,
        },
    );
    r.insert(
        "https://b.example/y".into(),
        LinkResult {
            status: None,
            checked: "2026-11-01T10:00:00Z".into(),
            note: Some("no answer\twithin the time limit".into()),
        },
    );
    r.save(&path).unwrap();
    let back = LinkResults::load(&path).unwrap();
    assert_eq!(back.answered("https://a.example/x"), Some(true));
    assert_eq!(back.answered("https://b.example/y"), Some(false));
    assert_eq!(back.answered("https://c.example/z"), None);
    assert_eq!(
        back.get("https://b.example/y").unwrap().note.as_deref(),
        Some("no answer within the time limit")
    );
    // Due: the one never checked and the one older than a week, each once.
    let due = back.due(
        [
            "https://a.example/x",
            "https://b.example/y",
            "https://c.example/z",
            "https://c.example/z",
        ],
        7,
        now,
    );
    assert_eq!(due, ["https://b.example/y", "https://c.example/z"]);
    std::fs::write(&path, "https://a.example/x\tmaybe\t2026\t\n").unwrap();
    let e = LinkResults::load(&path).unwrap_err().to_string();
    assert!(e.contains("links.tsv:1: expected url, status"), "{e}");
}
