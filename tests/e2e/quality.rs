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
