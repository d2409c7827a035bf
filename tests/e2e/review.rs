//! The annual review through the binary: records imported today fall due after eleven months
//! (`healthcat review --now`), their holder's editor gets one reminder from a real SMTP server on
//! 127.0.0.1 (the test kit's sink), logged and not repeated; an unreachable mail server is a
//! failure that is logged and tried again; an editor's confirmation through the running
//! server's API starts a new cycle.

use crate::harness::{Env, http_exchange, serve_with};
use healthcat_testkit::smtp::SmtpSink;
use serde_json::Value;

const RECORDS: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://chu.example/d/a> a dcat:Dataset ; dct:title "Cohorte A"@fr ; dct:publisher <https://chu.example/org> .
<https://chu.example/d/b> a dcat:Dataset ; dct:title "Cohorte B"@fr ; dct:publisher <https://chu.example/org> .
<https://chu.example/org> a foaf:Organization ; foaf:name "CHU Exemple"@fr ."#;

/// Now plus `span` (GNU date's words: "11 months 15 days"), as RFC 3339.
fn from_now(span: &str) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("+{span}"), "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn smtp_config(port: u16) -> String {
    format!(
        "[review]\nlanguage = \"en\"\npublic_url = \"https://catalogue.example/\"\n[review.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"Catalogue <catalogue@hdab.example>\"\ntimeout_seconds = 5\n"
    )
}

fn review_json(env: &Env, config: &std::path::Path, now: &str) -> Value {
    let out = env
        .cmd()
        .arg("--config")
        .arg(config)
        .args(["review", "--json", "--now", now])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_record_falls_due_its_holder_is_reminded_once_and_a_confirmation_starts_a_new_cycle() {
    let env = Env::new();
    env.write("records.ttl", RECORDS);
    let run = env.run(&["import", "records.ttl"]);
    assert_eq!(run.code, 0, "{run:?}");
    let made = env
        .cmd()
        .env("PW", "correct horse battery staple")
        .args([
            "users",
            "create",
            "marie",
            "--role",
            "editor",
            "--publisher",
            "https://chu.example/org",
            "--email",
            "marie@chu.example",
            "--password-env",
            "PW",
        ])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let bad = env.run(&["users", "email", "marie", "not an address"]);
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(bad.stderr.contains("not an e-mail address"), "{bad:?}");

    let sink = SmtpSink::start();
    let config = env.write("review.toml", &smtp_config(sink.port));
    let review = |now: &str, send: bool| {
        let mut cmd = env.cmd();
        cmd.arg("--config")
            .arg(&config)
            .args(["review", "--now", now]);
        if send {
            cmd.arg("--send");
        }
        cmd.output().unwrap()
    };

    // Ten months on, nothing is due; eleven and a half, both records are.
    let v = review_json(&env, &config, &from_now("10 months"));
    assert_eq!(v["total"]["current"], 2, "{v}");
    let soon = from_now("11 months 15 days");
    let out = review(&soon, true);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("due"),
        "{out:?}"
    );
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "one e-mail for the holder's two records");
    assert_eq!(mails[0].to, ["marie@chu.example"]);
    assert!(mails[0].data.contains("chu.example/d/a") && mails[0].data.contains("chu.example/d/b"));
    // Logged; the next run sends nothing.
    let log = std::fs::read_to_string(env.path("data/review/reminders.jsonl")).unwrap();
    assert_eq!(
        log.lines().filter(|l| l.contains("\"sent\"")).count(),
        2,
        "{log}"
    );
    assert!(review(&soon, true).status.success());
    assert_eq!(sink.mails().len(), 1, "not sent twice");

    // A new record, and the mail server unreachable when it falls due: exit 1, the failure
    // logged, tried again later.
    env.write(
        "c.ttl",
        "<https://chu.example/d/c> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/publisher> <https://chu.example/org> .",
    );
    assert_eq!(env.run(&["import", "c.ttl"]).code, 0);
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = env.write("down.toml", &smtp_config(closed));
    let out = env
        .cmd()
        .arg("--config")
        .arg(&down)
        .args(["review", "--send", "--now", &soon])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let log = std::fs::read_to_string(env.path("data/review/reminders.jsonl")).unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("\"failed\"") && l.contains("d/c")),
        "{log}"
    );
    // The server is back: C's reminder goes out, and only C's.
    assert!(review(&soon, true).status.success());
    let mails = sink.mails();
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1].data.contains("chu.example/d/c") && !mails[1].data.contains("chu.example/d/a")
    );

    // An editor confirms A through the running server's API.
    let key = env.run(&[
        "keys",
        "create",
        "--name",
        "marie-key",
        "--role",
        "editor",
        "--publisher",
        "https://chu.example/org",
    ]);
    assert_eq!(key.code, 0, "{key:?}");
    let v = review_json(&env, &config, &soon);
    let a = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "https://chu.example/d/a")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (server, base) = serve_with(&env, Some(&smtp_config(sink.port)), "127.0.0.1:0", &[], &[]);
    let addr = base.trim_start_matches("http://");
    let (status, body) = http_exchange(
        addr,
        &format!(
            "POST /api/datasets/{a}/confirm HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n",
            key.stdout.trim()
        ),
        "",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("marie-key"), "{body}");
    let (status, _) = http_exchange(
        addr,
        &format!("GET /api/review HTTP/1.1\r\nHost: {addr}\r\n"),
        "",
    );
    assert_eq!(status, 401, "who is late is not public");
    drop(server);
    // A counts as reviewed by marie today: a new cycle, so when it falls due again its
    // holder is reminded again, of A alone (B and C were reminded in their cycle).
    let v = review_json(&env, &config, &soon);
    let a = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "https://chu.example/d/a")
        .unwrap()
        .clone();
    assert_eq!(a["confirmed_by"], "marie-key", "{a}");
    assert!(review(&soon, true).status.success());
    let mails = sink.mails();
    assert_eq!(mails.len(), 3, "{mails:?}");
    assert!(
        mails[2].data.contains("chu.example/d/a") && !mails[2].data.contains("chu.example/d/b")
    );
}
