//! Search, as a researcher uses it: French and English, accents, plurals, typos, facets; and the
//! index agreeing with the store after a crash.

use crate::harness::Env;

fn json(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    assert_eq!(run.code, 0, "{run:?}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"))
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

fn demo(env: &Env, n: &str) {
    let file = env.path("demo.ttl");
    let run = env.run(&[
        "demo-data",
        "--datasets",
        n,
        "--seed",
        "7",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = env.run(&["import", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
}

fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'û' | 'ù' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

#[test]
fn french_and_english_queries_with_accents_plurals_and_typos_find_the_same_dataset() {
    let env = Env::new();
    demo(&env, "300");
    // A breast-cancer dataset of the demo catalogue, with its French and English titles
    // ("Enquête cancer du sein – Danemark 2016-2020", "Breast cancer survey – Denmark 2016-2020").
    let target = ids(&json(&env, &["cancer du sein", "--per-page", "100"]))
        .into_iter()
        .next()
        .expect("a breast cancer dataset in the demo data");
    let title = |lang: &str| -> String {
        let run = env.run(&[
            "--lang",
            lang,
            "search",
            "--json",
            "cancer du sein",
            "--per-page",
            "100",
        ]);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let hit = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == target.as_str())
            .unwrap()
            .clone();
        hit["title"]
            .as_str()
            .unwrap()
            .split(" – ")
            .next()
            .unwrap()
            .to_owned()
    };
    let (fr, en) = (title("fr"), title("en"));
    let fr_kind = fr.split_whitespace().next().unwrap().to_owned();
    let en_kind = en.split_whitespace().last().unwrap().to_owned();
    assert!(
        fr.contains("sein") && en.to_lowercase().contains("breast"),
        "{fr} / {en}"
    );
    for q in [
        format!("{}s cancers sein", fold(&fr_kind)), // no accents, plurals
        fr.to_uppercase(),                           // capitals
        format!("breast cancer {en_kind}s"),         // English, plural
        format!("\"cancer du sein\" {}", fold(&fr_kind)), // a phrase
        format!("{fr_kind} cancr sein"),             // one letter missing
        format!("breast cnacer {en_kind}"),          // two letters swapped
    ] {
        let found = ids(&json(&env, &[&q, "--per-page", "100"]));
        assert!(
            found.contains(&target),
            "{q:?} does not find {target}: {found:?}"
        );
    }
    // All words are required: an unrelated word empties the result.
    assert_eq!(json(&env, &["cancer du sein zzzyzzy"])["total"], 0);
}

#[test]
fn a_facet_filter_narrows_the_total_and_the_other_facets_follow() {
    let env = Env::new();
    demo(&env, "300");
    let all = json(&env, &[""]);
    let total = all["total"].as_u64().unwrap();
    assert_eq!(total, 300);
    let public =
        "access_rights=http://publications.europa.eu/resource/authority/access-right/PUBLIC";
    let filtered = json(&env, &["", "--filter", public]);
    let narrowed = filtered["total"].as_u64().unwrap();
    assert!(narrowed > 0 && narrowed < total, "{narrowed} of {total}");
    let facet = |v: &serde_json::Value, name: &str| -> Vec<(String, u64)> {
        v["facets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["value"].as_str().unwrap().to_owned(),
                    x["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // Another facet's counts follow the filter and add up to (at least) the narrowed total.
    let categories_all = facet(&all, "health_category");
    let categories = facet(&filtered, "health_category");
    assert_ne!(categories, categories_all);
    assert!(categories.iter().map(|(_, n)| n).sum::<u64>() >= narrowed);
    // The filtered facet itself still shows the other access levels, so users can switch.
    let levels = facet(&filtered, "access_rights");
    assert_eq!(levels.len(), 3, "{levels:?}");
    assert_eq!(levels.iter().map(|(_, n)| n).sum::<u64>(), total);
}

#[test]
fn the_index_catches_up_with_the_store_after_a_crash() {
    let env = Env::new();
    demo(&env, "20");
    let extra = env.write(
        "extra.ttl",
        r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://ex.org/dataset/zebrafish> a dcat:Dataset ;
            dct:title "Cohorte des poissons-zèbres"@fr , "Zebrafish cohort"@en ."#,
    );
    // The import stores the record, then dies before the index is updated.
    let run = env
        .cmd()
        .env("HEALTHCAT_TEST_CRASH_AFTER_STORE", "1")
        .args(["import", extra.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!run.status.success(), "the import should have been killed");
    // The next command that opens the index catches up, and says so.
    let run = env.run(&["search", "zebrafish"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("1 results"), "{run:?}");
    assert!(run.stderr.contains("caught up"), "{run:?}");
    // `reindex` rebuilds the same index from scratch.
    let run = env.run(&["reindex"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(json(&env, &[""])["total"], 21);
}

#[test]
fn odd_queries_get_results_or_a_clear_error() {
    let env = Env::new();
    demo(&env, "10");
    for q in [
        "\"",
        "((",
        "-",
        "AND OR NOT",
        "\u{7}\u{1b}[31m",
        "cancer\"du",
        "*",
        "é",
    ] {
        let run = env.run(&["search", q]);
        assert_eq!(run.code, 0, "{q:?}: {run:?}");
    }
    let long = "mot ".repeat(300);
    let run = env.run(&["search", &long]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("shorten"), "{run:?}");
    let run = env.run(&["search", "", "--per-page", "1000"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("per_page"), "{run:?}");
}
