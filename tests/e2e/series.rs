//! Dataset series end to end: a registry's three yearly editions, named by `dcat:inSeries` only,
//! harvested by a second node, shown in order with each edition's neighbours computed, filtered
//! by the `series` facet; a chain that loops and an edition of a series nobody holds.

use crate::harness::{Env, http_get, serve_with};
use crate::harvest::source;

const SERIES: &str = "https://catalogue.example.org/series/";

fn page(base: &str, path: &str) -> String {
    let (status, body) = http_get(&format!("{base}{path}"));
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The local id of the generated series, found by searching.
fn series_id(base: &str) -> String {
    let hits: serde_json::Value =
        serde_json::from_str(&page(base, "/api/search?q=registre&per_page=50")).unwrap();
    hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"].as_str().unwrap().starts_with("000-registre"))
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("{hits:#}"))
}

/// The editions of the series page, as (link, text) in the page's order.
fn editions(body: &str) -> Vec<String> {
    let list = body
        .split("<ol class=\"editions\">")
        .nth(1)
        .and_then(|rest| rest.split("</ol>").next())
        .unwrap_or_else(|| panic!("no list of editions: {body}"));
    list.split("<a href=\"/datasets/")
        .skip(1)
        .map(|a| a.split('"').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_series_harvested_by_another_node_is_shown_in_order_with_its_neighbours() {
    let a = Env::new();
    let made = a.run(&[
        "demo-data",
        "--datasets",
        "3",
        "--series",
        "1",
        "-o",
        "a.ttl",
    ]);
    assert_eq!(made.code, 0, "{made:?}");
    assert!(made.stderr.contains("1 dataset series"), "{made:?}");
    let imported = a.run(&["import", "--profile", "healthdcat-ap-r8", "a.ttl"]);
    assert_eq!(imported.code, 0, "{imported:?}");
    assert!(imported.stdout.contains("7 added"), "{imported:?}");
    let (_a_server, a_base) = serve_with(&a, None, "127.0.0.1:0", &[], &[]);

    // A second node harvests it, validating with HealthDCAT-AP R8.
    let b = Env::new();
    source(
        &b,
        "a",
        &format!("{a_base}/catalog.ttl?per_page=2"),
        "profile = \"healthdcat-ap-r8\"",
    );
    let run = b.run(&["harvest"]);
    assert_eq!(run.code, 0, "{run:?}");
    // The seven records and the source's SPARQL endpoint (a data service).
    assert!(run.stdout.contains("8 new"), "{run:?}");
    let (_b_server, b_base) = serve_with(&b, None, "127.0.0.1:0", &[], &[]);

    // The series is found by its kind; its page lists the editions oldest first.
    let series_id = series_id(&b_base);
    let body = page(&b_base, &format!("/datasets/{series_id}?lang=en"));
    let order = editions(&body);
    assert_eq!(order.len(), 3, "{body}");
    let years: Vec<String> = order
        .iter()
        .map(|id| {
            let p = page(&b_base, &format!("/datasets/{id}?lang=en"));
            ["2022", "2023", "2024"]
                .into_iter()
                .find(|y| p.contains(&format!("{y} edition</h1>")))
                .unwrap_or_else(|| panic!("{id}: no edition year in its title"))
                .to_owned()
        })
        .collect();
    assert_eq!(years, ["2022", "2023", "2024"]);
    assert!(body.contains("In order of publication"), "{body}");

    // The middle edition names its series and its neighbours, none of which the source gave.
    let middle = page(&b_base, &format!("/datasets/{}?lang=en", order[1]));
    assert!(middle.contains("edition 2 of 3"), "{middle}");
    for (label, id) in [
        ("First:", &order[0]),
        ("Previous:", &order[0]),
        ("Next:", &order[2]),
        ("Latest:", &order[2]),
    ] {
        assert!(
            middle.contains(&format!("{label} <a href=\"/datasets/{id}\"")),
            "{label} {id}: {middle}"
        );
    }
    assert!(
        middle.contains(&format!("<a href=\"/datasets/{series_id}\"")),
        "the series is linked: {middle}"
    );
    // The first has no previous one.
    let first = page(&b_base, &format!("/datasets/{}?lang=en", order[0]));
    assert!(
        first.contains("edition 1 of 3") && !first.contains("Previous:"),
        "{first}"
    );

    // The series facet: its three editions, labelled with the series' title.
    let iri = format!("{SERIES}{series_id}");
    let filtered: serde_json::Value =
        serde_json::from_str(&page(&b_base, &format!("/api/search?series={iri}&lang=en"))).unwrap();
    assert_eq!(filtered["total"], 3, "{filtered:#}");
    let facet = filtered["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "series")
        .unwrap()
        .clone();
    assert!(
        facet["values"][0]["label"]
            .as_str()
            .unwrap()
            .contains("yearly editions"),
        "{facet:#}"
    );
}

#[test]
fn a_looping_chain_and_a_series_nobody_holds_are_said_in_words() {
    let env = Env::new();
    let made = env.run(&[
        "demo-data",
        "--datasets",
        "0",
        "--series",
        "1",
        "-o",
        "s.ttl",
    ]);
    assert_eq!(made.code, 0, "{made:?}");
    // The source chains its editions in a loop: 2022 after 2024.
    let text = std::fs::read_to_string(env.path("s.ttl")).unwrap();
    let ids: Vec<String> = text
        .lines()
        .filter(|l| l.ends_with("> a dcat:Dataset ;"))
        .map(|l| {
            l.trim_start_matches('<')
                .split('>')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 3);
    let looped = format!(
        "{text}\n<{}> <http://www.w3.org/ns/dcat#prev> <{}> .\n<{}> <http://www.w3.org/ns/dcat#prev> <{}> .\n<{}> <http://www.w3.org/ns/dcat#prev> <{}> .\n",
        ids[1], ids[0], ids[2], ids[1], ids[0], ids[2]
    );
    env.write("s.ttl", &looped);
    let imported = env.run(&["import", "--profile", "healthdcat-ap-r8", "s.ttl"]);
    assert_eq!(imported.code, 0, "{imported:?}");
    // An edition of a series the catalogue does not hold is refused by the profile, saying why.
    let mut in_series = false;
    let editions_only: String = text
        .lines()
        .filter(|l| {
            if l.contains("a dcat:DatasetSeries") {
                in_series = true;
            }
            let keep =
                !in_series && !l.contains("dcat:dataset <https://catalogue.example.org/series/");
            if in_series && l.ends_with(" .") {
                in_series = false;
            }
            keep
        })
        .map(|l| format!("{l}\n"))
        .collect();
    env.write(
        "orphan.ttl",
        &editions_only
            .replace(SERIES, "https://elsewhere.example/series/")
            .replace("/dataset/", "/orphan/"),
    );
    let orphan = env.run(&["import", "--profile", "healthdcat-ap-r8", "orphan.ttl"]);
    assert_eq!(orphan.code, 1, "{orphan:?}");
    assert!(
        orphan.stdout.contains("must be a dcat:DatasetSeries")
            || orphan.stderr.contains("must be a dcat:DatasetSeries"),
        "{orphan:?}"
    );
    let (_server, base) = serve_with(&env, None, "127.0.0.1:0", &[], &[]);
    let series_id = series_id(&base);
    let body = page(&base, &format!("/datasets/{series_id}?lang=en"));
    assert!(body.contains("go round in a loop"), "{body}");
    assert_eq!(editions(&body).len(), 3, "shown by date: {body}");
}
