//! `import`, `export`, `demo-data`, `stats`: issue #2's user-visible behaviour.

use crate::harness::{Env, reference_dir};

const TWO_DATASETS: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://ex.org/catalog> a dcat:Catalog ; dct:title "Cat"@en ; dcat:dataset <https://ex.org/ds/a>, <https://ex.org/ds/b> .
<https://ex.org/ds/a> a dcat:Dataset ; dct:title "Données A"@fr, "Data A"@en ; dct:publisher <https://ex.org/agent/p> ;
   <https://unknown.example/vocab#extra> "kept"@de ; dct:issued "2024-13-45"^^xsd:date .
<https://ex.org/ds/b> a dcat:Dataset ; dct:title "B" ; dct:publisher <https://ex.org/agent/p> ;
   dcat:distribution [ dcat:accessURL <https://ex.org/files/b.csv> ] .
<https://ex.org/agent/p> a foaf:Agent ; foaf:name "Publisher" .
"#;

#[test]
fn import_twice_reports_everything_unchanged() {
    let env = Env::new();
    let file = env.write("cat.ttl", TWO_DATASETS);
    let first = env.run(&["import", file.to_str().unwrap()]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        first.stdout.contains("2 added, 0 updated, 0 unchanged"),
        "{first:?}"
    );
    // The ill-typed date is kept, with a warning that names the record, the property and the value.
    assert!(
        first.stdout.contains("warning: <https://ex.org/ds/a>"),
        "{first:?}"
    );
    assert!(
        first
            .stdout
            .contains("\"2024-13-45\" is not a valid xsd:date"),
        "{first:?}"
    );
    let second = env.run(&["import", file.to_str().unwrap()]);
    assert_eq!(second.code, 0, "{second:?}");
    assert!(
        second.stdout.contains("0 added, 0 updated, 2 unchanged"),
        "{second:?}"
    );
    assert!(
        second
            .stdout
            .contains("shared resources: 0 added, 0 updated, 1 unchanged"),
        "{second:?}"
    );
}

#[test]
fn a_changed_record_is_updated_and_the_others_left_alone() {
    let env = Env::new();
    let file = env.write("cat.ttl", TWO_DATASETS);
    assert_eq!(env.run(&["import", file.to_str().unwrap()]).code, 0);
    let changed = env.write(
        "cat2.ttl",
        &TWO_DATASETS.replace("\"Data A\"@en", "\"Data A, revised\"@en"),
    );
    let run = env.run(&["import", "-v", changed.to_str().unwrap()]);
    assert!(
        run.stdout.contains("0 added, 1 updated, 1 unchanged"),
        "{run:?}"
    );
    assert!(run.stdout.contains("updated   dataset  a"), "{run:?}");
    let out = env.run(&["export", "-f", "nt"]);
    assert!(out.stdout.contains("Data A, revised"));
    assert!(
        !out.stdout.contains("\"Data A\"@en"),
        "the old title is gone"
    );
}

#[test]
fn export_gives_back_every_triple() {
    let env = Env::new();
    let file = env.write("cat.ttl", TWO_DATASETS);
    assert_eq!(env.run(&["import", file.to_str().unwrap()]).code, 0);
    let out = env.path("out.nt");
    let run = env.run(&["export", "-f", "nt", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let nt = std::fs::read_to_string(out).unwrap();
    assert_eq!(
        nt.lines().count(),
        17,
        "every input triple, membership included: {nt}"
    );
    for expected in [
        "<https://ex.org/catalog> <http://www.w3.org/ns/dcat#dataset> <https://ex.org/ds/a>",
        "<https://unknown.example/vocab#extra> \"kept\"@de",
        "\"2024-13-45\"^^<http://www.w3.org/2001/XMLSchema#date>",
    ] {
        assert!(nt.contains(expected), "missing {expected} in\n{nt}");
    }
}

#[test]
fn a_malformed_file_names_line_and_column_and_stores_nothing() {
    let env = Env::new();
    let good = env.write("good.ttl", TWO_DATASETS);
    assert_eq!(env.run(&["import", good.to_str().unwrap()]).code, 0);
    let bad = env.write(
        "bad.ttl",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<https://ex.org/ds/c> a dcat:Dataset .\n<https://ex.org/ds/d> a dcat:Dataset ;\n  <http://purl.org/dc/terms/title> \"unterminated .\n",
    );
    let run = env.run(&["import", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("bad.ttl:4:"), "{run:?}");
    assert!(run.stderr.contains("nothing from"), "{run:?}");
    let stats = env.run(&["stats", "--json"]);
    let counts: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(
        counts["datasets"], 2,
        "the valid dataset of bad.ttl was not stored, the old ones kept"
    );
}

#[test]
fn continue_on_error_reports_each_skipped_statement() {
    let env = Env::new();
    let bad = env.write(
        "bad.nt",
        "<https://ex.org/ds/c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n<https://ex.org/ds/c> <http://purl.org/dc/terms/title> <not an iri> .\n",
    );
    let run = env.run(&["import", "--continue-on-error", bad.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("skipped: ") && run.stderr.contains("bad.nt:2:"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("1 added, 0 updated, 0 unchanged, 1 skipped"),
        "{run:?}"
    );
}

#[test]
fn empty_and_datasetless_files_say_so() {
    let env = Env::new();
    let empty = env.write("empty.ttl", "# nothing here\n");
    let run = env.run(&["import", empty.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("empty.ttl: the file is empty"),
        "{run:?}"
    );
    let agents = env.write(
        "agents.ttl",
        "<https://ex.org/p> <http://xmlns.com/foaf/0.1/name> \"P\" .\n",
    );
    let run = env.run(&["import", agents.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no dcat:Dataset, dcat:DataService or dcat:DatasetSeries found"),
        "{run:?}"
    );
}

#[test]
fn remote_json_ld_contexts_are_not_fetched() {
    let env = Env::new();
    let doc = env.write(
        "remote.jsonld",
        r#"{"@context": "https://127.0.0.1:9/context.jsonld", "@id": "https://ex.org/ds/x", "@type": "Dataset"}"#,
    );
    let run = env.run(&["import", doc.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("was not fetched"), "{run:?}");
}

#[test]
fn usage_errors_exit_with_2_and_stdin_needs_a_format() {
    let env = Env::new();
    assert_eq!(env.run(&["import"]).code, 2);
    assert_eq!(env.run(&["export", "--format", "xls"]).code, 2);
    let run = env.run(&["import", "-"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("needs --format"), "{run:?}");
}

#[test]
fn demo_data_is_deterministic_and_imports_whole() {
    let env = Env::new();
    let a = env.path("a.ttl");
    let b = env.path("b.ttl");
    assert_eq!(
        env.run(&[
            "demo-data",
            "--datasets",
            "300",
            "--seed",
            "9",
            "-o",
            a.to_str().unwrap()
        ])
        .code,
        0
    );
    assert_eq!(
        env.run(&[
            "demo-data",
            "--datasets",
            "300",
            "--seed",
            "9",
            "-o",
            b.to_str().unwrap()
        ])
        .code,
        0
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let run = env.run(&["import", a.to_str().unwrap()]);
    assert!(run.stdout.contains("300 added"), "{run:?}");
    let stats = env.run(&["stats", "--json"]);
    let counts: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(counts["datasets"], 300);
    assert_eq!(counts["catalogs"], 1);
}

#[test]
fn the_official_r8_example_round_trips_through_the_cli() {
    let Some(root) = reference_dir() else { return };
    let env = Env::new();
    let example = root.join("healthdcat-ap/release-8/examples/example-healthdcat-dataset.ttl");
    let run = env.run(&["import", example.to_str().unwrap()]);
    assert!(run.stdout.contains("1 added"), "{run:?}");
    let out = env.run(&["export", "-f", "nt"]);
    assert_eq!(
        out.stdout.lines().count(),
        292,
        "every triple of the example comes back"
    );
    assert!(
        out.stdout
            .contains("\"18\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>")
    );
}
