//! The spreadsheet template from the command line, as an operator helps a steward: the
//! catalogue exported as a workbook, read back as one draft per row for a named account, the
//! empty template, and files with mistakes refused with their places and exit code 1.

use crate::harness::Env;

#[test]
fn a_workbook_goes_out_and_comes_back_as_drafts() {
    let env = Env::new();
    let run = env.run(&[
        "demo-data",
        "--datasets",
        "300",
        "--seed",
        "4",
        "-o",
        "a.ttl",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = env.run(&["import", "a.ttl"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = env
        .cmd()
        .args([
            "users",
            "create",
            "steward",
            "--admin",
            "--password-env",
            "PW",
        ])
        .env("PW", "a long enough password")
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");

    let started = std::time::Instant::now();
    let run = env.run(&["export", "--sheet", "all.xlsx"]);
    let exported = started.elapsed();
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("wrote 300 dataset(s) to all.xlsx"),
        "{run:?}"
    );
    let started = std::time::Instant::now();
    let run = env.run(&["import", "--from-sheet", "all.xlsx", "--as", "steward"]);
    let imported = started.elapsed();
    assert_eq!(run.code, 0, "{run:?}");
    eprintln!("300 datasets: export --sheet {exported:?}, import --from-sheet {imported:?}");
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("row "))
        .collect();
    assert_eq!(rows.len(), 300, "{run:?}");
    assert!(
        rows.iter().all(|l| l.contains(" changes https://")),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("300 draft(s) made for steward"),
        "{run:?}"
    );
    let drafts = std::fs::read_dir(env.path("data").join("drafts"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .count();
    assert_eq!(drafts, 300);

    // One editor's datasets only: those of its publisher, each row naming it.
    let a = std::fs::read_to_string(env.path("a.ttl")).unwrap();
    let publisher = a
        .lines()
        .filter_map(|l| l.trim().strip_prefix("dct:publisher <"))
        .filter_map(|l| l.split('>').next())
        .find(|iri| !iri.ends_with("/healthcat-demo"))
        .expect("a publisher")
        .to_owned();
    let run = env
        .cmd()
        .args(["users", "create", "editor", "--publisher", &publisher])
        .args(["--password-env", "PW"])
        .env("PW", "a long enough password")
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let run = env.run(&["export", "--sheet", "theirs.xlsx", "--as", "editor"]);
    assert_eq!(run.code, 0, "{run:?}");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(env.path("theirs.xlsx")).unwrap();
    let first = book.worksheet_range_at(0).unwrap().unwrap();
    let mut exported: Vec<String> = first.rows().skip(1).map(|r| r[0].to_string()).collect();
    exported.sort();
    // The publisher's datasets, as the search's publisher facet has them.
    let mut expected = Vec::new();
    for page in 1.. {
        let run = env.run(&[
            "search",
            "--json",
            "--per-page",
            "100",
            "--page",
            &page.to_string(),
            "--filter",
            &format!("publisher={publisher}"),
        ]);
        let hits: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let hits = hits["hits"].as_array().unwrap();
        if hits.is_empty() {
            break;
        }
        expected.extend(hits.iter().map(|h| h["iri"].as_str().unwrap().to_owned()));
    }
    expected.sort();
    assert!(
        !exported.is_empty() && exported.len() < 300,
        "{}",
        exported.len()
    );
    assert_eq!(exported, expected);
    assert!(
        run.stderr.contains(&format!(
            "wrote {} dataset(s) to theirs.xlsx",
            exported.len()
        )),
        "{run:?}"
    );
    let run = env.run(&["export", "--sheet", "x.xlsx", "--as", "nobody"]);
    assert_eq!(run.code, 1, "{run:?}");

    // The empty template, in French.
    let run = env.run(&[
        "--lang",
        "fr",
        "export",
        "--sheet",
        "modele.csv",
        "--template",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let template = std::fs::read_to_string(env.path("modele.csv")).unwrap();
    assert_eq!(template.lines().count(), 1, "{template}");
    assert!(template.starts_with("Adresse (IRI) * [@id],"), "{template}");

    // Mistakes: no draft, exit 1, each named.
    let header = template.lines().next().unwrap();
    env.write(
        "bad.csv",
        &format!("{header}\nhttps://chu.example/dataset/x\nnot an address\n"),
    );
    let run = env.run(&["import", "--from-sheet", "bad.csv", "--as", "steward"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(
            "error: bad.csv: sheet \"bad.csv\", row 3, column A \"Adresse (IRI) * [@id]\": not an address is not an http(s) address"
        ),
        "{run:?}"
    );
    assert!(run.stderr.contains("no draft was made"), "{run:?}");
    let after = std::fs::read_dir(env.path("data").join("drafts"))
        .unwrap()
        .count();
    assert_eq!(after, 300, "nothing made");
    // Who, and what kind of file.
    let run = env.run(&["import", "--from-sheet", "bad.csv", "--as", "nobody"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("--as nobody: no such account"),
        "{run:?}"
    );
    let run = env.run(&["import", "--from-sheet", "bad.csv"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--as <ACCOUNT>"), "{run:?}");
    env.write("notes.txt", "x");
    let run = env.run(&["import", "--from-sheet", "notes.txt", "--as", "steward"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("notes.txt: a spreadsheet is a .xlsx or a .csv file"),
        "{run:?}"
    );
}
