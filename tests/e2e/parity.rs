//! Parity with the official validator's verdicts (issue #3): healthcat and pySHACL 0.40.1 — run
//! through `../shared/tools/shacl_oracle.py --fix-pathless` — validate the official R8 example and
//! mutations of it against the official R8 non-public shapes (with their DCAT-AP 3.0.0 imports), and
//! must give the same multiset of (focus node, path, constraint component, severity, value).
//!
//! Needs the oracle venv: `.ci/run` builds it and sets HEALTHCAT_ORACLE_PYTHON. Without it (or
//! without the reference material) the test prints a notice and checks nothing.

use crate::harness::{Env, official_r8_non_public_shapes, reference_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn oracle() -> Option<PathBuf> {
    match std::env::var_os("HEALTHCAT_ORACLE_PYTHON").map(PathBuf::from) {
        Some(p) if p.exists() => Some(p),
        _ => {
            eprintln!(
                "NOTICE: HEALTHCAT_ORACLE_PYTHON is not set (run ../shared/tools/oracle-venv.sh and export \
                 its output); pySHACL parity test skipped"
            );
            None
        }
    }
}

pub type Key = healthcat_testkit::ResultKey;

/// Normalises one result as the oracle prints it (see [`healthcat_testkit::result_key`]).
fn key(r: &serde_json::Value) -> Key {
    key_with(r, &|s: &str| s.to_owned())
}

/// As [`key`], with the other terms passed through `normalise`.
pub fn key_with(r: &serde_json::Value, normalise: &dyn Fn(&str) -> String) -> Key {
    healthcat_testkit::result_key(|k| r[k].as_str(), normalise)
}

fn multiset(results: impl IntoIterator<Item = Key>) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for k in results {
        *m.entry(k).or_default() += 1;
    }
    m
}

/// The example with the lines of the dataset's own block that start with `predicate` removed.
fn without(example: &str, predicate: &str) -> String {
    let mut in_dataset = false;
    let mut out = Vec::new();
    for line in example.lines() {
        if line.starts_with("ex:dataset-oncology-ehrs-2024") {
            in_dataset = true;
        }
        let drop = in_dataset && line.starts_with(&format!("    {predicate} "));
        if in_dataset && line.ends_with(" .") {
            in_dataset = false;
        }
        if !drop {
            out.push(line);
        }
    }
    out.join("\n")
}

#[test]
fn same_results_as_pyshacl_on_the_official_example_and_its_mutations() {
    let (Some(root), Some(python)) = (reference_dir(), oracle()) else {
        return;
    };
    let env = Env::new();
    let example = std::fs::read_to_string(
        root.join("healthdcat-ap/release-8/examples/example-healthdcat-dataset.ttl"),
    )
    .unwrap();
    let mut cases: Vec<(String, String)> = vec![("official example".into(), example.clone())];
    for p in [
        "dct:title",
        "dct:description",
        "dct:identifier",
        "dcat:theme",
        "dct:accessRights",
        "dcatap:applicableLegislation",
        "dcat:distribution",
        "healthdcatap:healthCategory",
        "healthdcatap:hdab",
        "healthdcatap:hasStructuredData",
        "healthdcatap:hasVariables",
        "dcat:contactPoint",
        "dcat:keyword",
        "dct:type",
        "dct:provenance",
    ] {
        cases.push((format!("without {p}"), without(&example, p)));
    }
    cases.push((
        "ill-typed age".into(),
        example.replace(
            "\"18\"^^xsd:nonNegativeInteger",
            "\"dix-huit\"^^xsd:nonNegativeInteger",
        ),
    ));
    cases.push((
        "age as a string".into(),
        example.replace("\"18\"^^xsd:nonNegativeInteger", "\"18\""),
    ));
    cases.push((
        "wrong access level".into(),
        example.replace("access-right/NON_PUBLIC", "access-right/PUBLIC"),
    ));
    cases.push((
        "health category outside the list".into(),
        example.replace("healthcategories/EHRS", "healthcategories/NOT_A_CATEGORY"),
    ));
    cases.push((
        "HDAB contact point without e-mail or page".into(),
        example
            .replace("    cv:email \"hdab-contact@example.org\" ;\n", "")
            .replace(
                "    cv:contactPage <https://healthdcat-ap.example.org/contacts/hdab> ;\n",
                "",
            ),
    ));
    let shape_files = official_r8_non_public_shapes(&root);
    let mut failures = Vec::new();
    for (name, data) in &cases {
        let file = env.write("case.ttl", data);
        if let Some(difference) = compare(&env, &python, &root, &file, &shape_files, true) {
            failures.push(format!("{name}:\n{difference}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Workload (b) of issue #3: the DCAT-AP 3.0.0 generated shapes (`shacl/dcat-ap-SHACL.ttl`) on each
/// valid DCAT-AP 3.0.0 Turtle example.
#[test]
fn same_results_as_pyshacl_with_the_dcat_ap_generated_shapes() {
    let (Some(root), Some(python)) = (reference_dir(), oracle()) else {
        return;
    };
    let env = Env::new();
    let shapes = vec![root.join("dcat-ap-3/3.0.0/shacl/dcat-ap-SHACL.ttl")];
    let examples = dcat_ap_turtle_examples(&root);
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|f| {
            compare(&env, &python, &root, f, &shapes, false)
                .map(|d| format!("{}:\n{d}", f.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Validates `data` with healthcat and with the oracle; `None` when the result multisets agree.
pub fn compare(
    env: &Env,
    python: &Path,
    root: &Path,
    data: &Path,
    shapes: &[PathBuf],
    pathless: bool,
) -> Option<String> {
    let mut args = vec![
        "validate".to_owned(),
        data.display().to_string(),
        "--format".into(),
        "json".into(),
    ];
    if pathless {
        args.push("--pathless-property-as-node".into());
    }
    args.push("--shapes".into());
    args.extend(shapes.iter().map(|f| f.display().to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = env.run(&refs);
    let ours: serde_json::Value = match serde_json::from_str(&run.stdout) {
        Ok(v) => v,
        Err(e) => return Some(format!("  healthcat output unreadable ({e}): {run:?}")),
    };
    let ours = multiset(ours[0]["results"].as_array().into_iter().flatten().map(key));
    let mut oracle = Command::new(python);
    oracle
        .arg(root.parent().unwrap().join("tools/shacl_oracle.py"))
        .arg("--data")
        .arg(data);
    if pathless {
        oracle.arg("--fix-pathless");
    }
    for f in shapes {
        oracle.arg("--shapes").arg(f);
    }
    let out = oracle.output().expect("run the oracle");
    if !out.status.success() {
        return Some(format!(
            "  oracle failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let theirs = multiset(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v.get("focus").is_some())
            .map(|v| key(&v)),
    );
    if ours == theirs {
        return None;
    }
    let only_ours: Vec<_> = ours
        .iter()
        .filter(|(k, n)| theirs.get(*k) != Some(n))
        .collect();
    let only_theirs: Vec<_> = theirs
        .iter()
        .filter(|(k, n)| ours.get(*k) != Some(n))
        .collect();
    Some(format!(
        "  only healthcat: {only_ours:?}\n  only pySHACL: {only_theirs:?}"
    ))
}

/// The valid DCAT-AP 3.0.0 Turtle examples (two published ones are not valid Turtle: see
/// crates/store/tests/lossless.rs).
pub fn dcat_ap_turtle_examples(root: &Path) -> Vec<PathBuf> {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("dcat-ap-3/3.0.0/html/examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
        .filter(|p| {
            let name = p.to_string_lossy();
            !name.contains("series-api") && !name.contains("series-combined")
        })
        .collect();
    examples.sort();
    assert!(examples.len() >= 13, "{examples:?}");
    examples
}
