//! Usage statistics end to end (EHDS Art. 59): a scripted sequence of requests — browsers,
//! scripts, robots, a prefetch, a HEAD, a flood — to a running catalogue; the server stopped by
//! SIGTERM (adding what it counted); the biennial report from the command line in CSV and XLSX;
//! the same numbers over the API and on the statistics pages after a restart.

use crate::harness::{Env, http_exchange, http_get, serve};
use serde_json::Value;

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/// A request with these extra header lines: (status, body).
fn ask(base: &str, method: &str, path: &str, headers: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    http_exchange(
        addr,
        &format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}"),
        "",
    )
}

fn browser(base: &str, path: &str) -> (u16, String) {
    ask(base, "GET", path, &format!("User-Agent: {FIREFOX}\r\n"))
}

fn json(url: &str) -> Value {
    let (status, body) = http_get(url);
    assert_eq!(status, 200, "{url}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{url}: {e}: {body}"))
}

fn csv_value(csv: &str, label: &str) -> u64 {
    csv.lines()
        .find_map(|l| l.strip_prefix(&format!("{label},")))
        .unwrap_or_else(|| panic!("no {label} in\n{csv}"))
        .parse()
        .unwrap()
}

#[test]
fn a_scripted_sequence_of_requests_is_counted_by_the_rule_and_the_report_s_totals_match() {
    let env = Env::new();
    // Counts are added only when the server stops: the report must get them from SIGTERM.
    let config = "[usage]\nflush_seconds = 3600\n";
    let (mut server, base) = serve(&env, Some(config));
    // Setting up with requests that do not count (no user agent: a robot by the rule).
    let found = json(&format!("{base}/api/search?q=cohort&per_page=20"));
    let ids: Vec<String> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 2, "{found}");
    let (a, b) = (&ids[0], &ids[1]);
    let access = ids
        .iter()
        .find_map(|id| {
            let (_, nt) = http_get(&format!("{base}/datasets/{id}.nt"));
            let line = nt
                .lines()
                .find(|l| l.contains("<http://www.w3.org/ns/dcat#accessURL>"))?;
            let url = line.split('<').nth(3)?.split('>').next()?.to_owned();
            Some((id.clone(), url))
        })
        .expect("a demo dataset with an access URL");

    // Page views: browsers only, GET only, no prefetch.
    for _ in 0..5 {
        assert_eq!(browser(&base, &format!("/datasets/{a}")).0, 200);
    }
    for headers in [
        "User-Agent: curl/8.5.0\r\n".to_owned(),
        "User-Agent: Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\r\n"
            .into(),
        String::new(),
        format!("User-Agent: {FIREFOX}\r\nSec-Purpose: prefetch\r\n"),
    ] {
        assert_eq!(
            ask(&base, "GET", &format!("/datasets/{a}"), &headers).0,
            200
        );
    }
    assert_eq!(
        ask(
            &base,
            "HEAD",
            &format!("/datasets/{a}"),
            &format!("User-Agent: {FIREFOX}\r\n")
        )
        .0,
        200
    );
    // Downloads: by extension or by Accept, from scripts too.
    assert_eq!(
        ask(
            &base,
            "GET",
            &format!("/datasets/{a}.ttl"),
            "User-Agent: curl/8.5.0\r\n"
        )
        .0,
        200
    );
    assert_eq!(
        ask(
            &base,
            "GET",
            &format!("/datasets/{b}"),
            &format!("User-Agent: {FIREFOX}\r\nAccept: application/ld+json\r\n")
        )
        .0,
        200
    );
    assert_eq!(browser(&base, &format!("/datasets/{b}.jsonld")).0, 200);
    // Searches and what they showed: the site's page (20 a page) and the API (5 asked).
    let shown_page = json(&format!("{base}/api/search?q=registre&per_page=20"))["hits"]
        .as_array()
        .unwrap()
        .len() as u64;
    assert_eq!(browser(&base, "/search?q=registre").0, 200);
    let (status, _) = ask(
        &base,
        "GET",
        "/api/search?q=cohort&per_page=5",
        "User-Agent: python-requests/2.32\r\n",
    );
    assert_eq!(status, 200);
    let shown = shown_page + ids.len().min(5) as u64;
    // An API read, an access route followed, and one the record does not give (refused).
    assert_eq!(
        ask(
            &base,
            "GET",
            &format!("/api/datasets/{a}/quality"),
            "User-Agent: curl/8.5.0\r\n"
        )
        .0,
        200
    );
    let (id, url) = &access;
    let to = form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>();
    assert_eq!(
        browser(&base, &format!("/datasets/{id}/access?to={to}")).0,
        303
    );
    let (status, body) = browser(
        &base,
        &format!("/datasets/{id}/access?to=https%3A%2F%2Fevil.example%2F"),
    );
    assert_eq!(status, 400, "{body}");
    // A flood of views of one dataset: numbers, not storage.
    for _ in 0..1500 {
        assert_eq!(browser(&base, &format!("/datasets/{b}")).0, 200);
    }

    // SIGTERM: the server adds what it counted and stops.
    let pid = server.0.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = server.0.wait().unwrap();
    assert!(status.success(), "serve stopped with {status}");

    let out = env.path("summary.csv");
    let run = env.run(&["usage-report", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let summary = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv_value(&summary, "Page views"), 1505, "{summary}");
    assert_eq!(csv_value(&summary, "Metadata downloads"), 3);
    assert_eq!(csv_value(&summary, "Downloads (ttl)"), 1);
    assert_eq!(csv_value(&summary, "Downloads (jsonld)"), 2);
    assert_eq!(csv_value(&summary, "Searches"), 2);
    assert_eq!(csv_value(&summary, "Shown in search results"), shown);
    assert_eq!(csv_value(&summary, "API reads"), 1);
    assert_eq!(csv_value(&summary, "Access routes followed"), 1);
    let records = csv_value(&summary, "Records published now");
    assert!(
        csv_value(&summary, "New records") >= records,
        "the demo was loaded in the period"
    );

    let out = env.path("datasets.csv");
    let run = env.run(&[
        "usage-report",
        "--table",
        "datasets",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let datasets = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        datasets.lines().count() as u64,
        records + 1,
        "one row per record, a heading"
    );
    let row = |id: &str| {
        datasets
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .to_owned()
    };
    let views_of = |id: &str| -> u64 {
        // Id, IRI, title, publisher, publisher IRI (quoted when they hold commas), then views.
        let mut r = csv_reader(&row(id));
        r.remove(5).parse().unwrap()
    };
    assert_eq!(views_of(a), 5);
    assert_eq!(views_of(b), 1500);

    let bad = env.run(&[
        "usage-report",
        "--from",
        "2026-02-30",
        "--out",
        env.path("x.csv").to_str().unwrap(),
    ]);
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("--from: '2026-02-30' is not a date"),
        "{bad:?}"
    );

    // The workbook: every table a sheet, the same numbers.
    let xlsx = env.path("report.xlsx");
    let run = env.run(&[
        "--lang",
        "fr",
        "usage-report",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Synthèse",
            "Jeux de données",
            "Détenteurs",
            "Labels de qualité",
            "Nouvelles et retraits"
        ]
    );
    let sheet = book.worksheet_range("Synthèse").unwrap();
    let views = sheet.rows().find(|r| r[0] == "Pages vues").unwrap()[1].to_string();
    assert_eq!(views, "1505");

    // After a restart: the API and the pages read the same figures from the store.
    let (_server, base) = serve(&env, Some(config));
    let all = json(&format!("{base}/api/statistics"));
    assert_eq!(all["total"]["views"], 1505, "{all}");
    assert_eq!(all["total"]["searches"], 2);
    assert_eq!(all["days"].as_array().unwrap().len(), 30);
    let one = json(&format!("{base}/api/statistics?dataset={a}"));
    assert_eq!(one["total"]["views"], 5, "{one}");
    assert_eq!(one["total"]["downloads_by"]["ttl"], 1);
    let (status, page) = http_get(&format!("{base}/statistics?dataset={a}"));
    assert_eq!(status, 200);
    assert!(
        page.contains("<svg") && page.contains("<rect"),
        "a chart drawn on the server"
    );
    assert!(page.contains(": 5</title>"), "today's bar says 5 views");
    assert!(!page.contains("<script"), "no JavaScript");
    let (status, page) = http_get(&format!("{base}/statistics"));
    assert_eq!(status, 200);
    assert!(
        page.contains("1,505") || page.contains("1 505") || page.contains("1505"),
        "the catalogue's views"
    );
    let (status, body) = http_get(&format!(
        "{base}/api/statistics?from=2026-01-01&to=2025-01-01"
    ));
    assert_eq!(status, 400);
    assert!(body.contains("from"), "{body}");
}

/// The fields of one CSV line (quoted fields included).
fn csv_reader(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}
