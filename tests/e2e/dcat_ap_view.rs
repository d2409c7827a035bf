//! The DCAT-AP view of the catalogue (`/catalog.ttl?profile=dcat-ap`), for data.europa.eu and the
//! Data Governance Act single information points: no health extension left, every page linked
//! to the next in the same view, and what is served conforms to DCAT-AP 3 — by our own bundled
//! profile, and by pySHACL with the official DCAT-AP 3.0.0 shapes (skipped with a NOTICE without
//! the oracle or the reference folder). The full HealthDCAT-AP page of the same records does not
//! conform to the official DCAT-AP shapes, which is why the view exists.

use crate::harness::{Env, http_get, reference_dir, serve_with};
use crate::parity::oracle;
use std::path::Path;
use std::process::Command;

/// Every page of `first` in turn (following `hydra:next`), as Turtle.
fn pages(first: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut url = Some(first.to_owned());
    while let Some(u) = url {
        let (status, body) = http_get(&u);
        assert_eq!(status, 200, "{u}: {body}");
        url = body
            .lines()
            .find_map(|l| l.split_once("hydra/core#next> <").map(|(_, rest)| rest))
            .and_then(|rest| rest.split('>').next())
            .map(str::to_owned);
        if let Some(next) = &url
            && first.contains("profile=dcat-ap")
        {
            assert!(next.contains("profile=dcat-ap"), "the view is kept: {next}");
        }
        out.push(body);
        assert!(out.len() < 20, "paging does not end");
    }
    out
}

/// The Violation-severity results pySHACL gives on `data` with the official DCAT-AP 3.0.0 shapes
/// and ranges, the code lists merged as the hosted validator does.
fn official_violations(python: &Path, root: &Path, data: &Path) -> Vec<String> {
    let shacl = root.join("dcat-ap-3/3.0.0/html/shacl");
    let mut c = Command::new(python);
    c.arg(root.parent().unwrap().join("tools/shacl_oracle.py"))
        .arg("--data")
        .arg(data)
        .arg("--merge-shapes")
        .arg("--shapes")
        .arg(shacl.join("shapes.ttl"))
        .arg("--shapes")
        .arg(shacl.join("range.ttl"));
    let vocabularies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shapes/vocabularies");
    for e in std::fs::read_dir(vocabularies).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "ttl") {
            c.arg("--import").arg(e.path());
        }
    }
    let out = c.output().expect("run the oracle");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"focus\"") && l.contains("Violation"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_dcat_ap_view_keeps_what_dcat_ap_knows_and_conforms() {
    let env = Env::new();
    let made = env.run(&[
        "demo-data",
        "--datasets",
        "12",
        "--series",
        "1",
        "-o",
        "demo.ttl",
    ]);
    assert_eq!(made.code, 0, "{made:?}");
    let imported = env.run(&["import", "--profile", "healthdcat-ap-r8", "demo.ttl"]);
    assert_eq!(imported.code, 0, "{imported:?}");
    let (_server, base) = serve_with(&env, None, "127.0.0.1:0", &[], &[]);

    let view = pages(&format!("{base}/catalog.ttl?profile=dcat-ap&per_page=5"));
    // 12 datasets, a series of 3 editions, the source's SPARQL endpoint: 17 records.
    assert_eq!(view.len(), 4, "17 records, 5 a page");
    let all = view.join("\n");
    for health in ["healthdcatap:", "health#", "csvw:", "hdeu-dcat"] {
        assert!(
            !all.lines()
                .any(|l| l.contains(health) && !l.starts_with("@prefix")),
            "{health} left in the view"
        );
    }
    // Every record is there, the series typed as a dataset too; the full view has the health
    // properties the DCAT-AP view left out.
    // (The series comes whole on each page that holds one of its editions.)
    let series = all
        .lines()
        .find(|l| l.starts_with("<https://catalogue.example.org/series/"))
        .and_then(|l| l.split('>').next())
        .map(|s| format!("{s}>"))
        .unwrap_or_else(|| panic!("no series: {all}"));
    assert!(all.contains("a dcat:DatasetSeries"), "{all}");
    assert!(
        all.contains(&format!("{series} a dcat:Dataset")),
        "{series}: {all}"
    );
    let full = pages(&format!("{base}/catalog.ttl?per_page=5")).join("\n");
    assert!(
        full.contains("healthdcatap:healthCategory"),
        "the full view is unchanged"
    );
    let (status, body) = http_get(&format!("{base}/catalog.ttl?profile=ckan"));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("profile must be healthdcat-ap"), "{body}");

    // Our own DCAT-AP 3 profile: no violation on any page.
    for (i, page) in view.iter().enumerate() {
        let file = env.write(&format!("view-{i}.ttl"), page);
        let run = env.run(&["validate", "--profile", "dcat-ap-3", file.to_str().unwrap()]);
        assert!(run.stdout.contains("(0 violations"), "page {i}: {run:?}");
    }

    // The official shapes, through pySHACL.
    let (Some(root), Some(python)) = (reference_dir(), oracle()) else {
        return;
    };
    for (i, page) in view.iter().enumerate() {
        let file = env.write(&format!("official-{i}.ttl"), page);
        let violations = official_violations(&python, &root, &file);
        assert!(violations.is_empty(), "page {i}: {violations:#?}");
    }
    let file = env.write(
        "full.ttl",
        &pages(&format!("{base}/catalog.ttl?per_page=20"))[0],
    );
    assert!(
        !official_violations(&python, &root, &file).is_empty(),
        "the HealthDCAT-AP page is no DCAT-AP 3.0.0 page: the test would not tell the view apart"
    );
}
