//! `healthcat-bench compare` at a tiny size on every CI run, so the harness keeps working: it
//! measures healthcat and — when the oracle venv and the reference material are here — pySHACL,
//! rudof and rdflib on the same catalogue, checks that they agree, and writes its tables between
//! the markers of a Markdown file, leaving the rest of the file alone.

use std::path::PathBuf;
use std::process::Command;

/// The `healthcat` binary `cargo test --workspace` built beside this crate's.
fn healthcat() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_BIN_EXE_healthcat-bench"))
        .with_file_name(format!("healthcat{}", std::env::consts::EXE_SUFFIX));
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "NOTICE: no healthcat binary at {} (run `cargo test --workspace`, which builds it); \
             the benchmark harness test is skipped",
            path.display()
        );
        None
    }
}

fn oracle() -> Option<PathBuf> {
    match std::env::var_os("HEALTHCAT_ORACLE_PYTHON").map(PathBuf::from) {
        Some(p) if p.exists() => Some(p),
        _ => {
            eprintln!("NOTICE: HEALTHCAT_ORACLE_PYTHON is not set: the peers are not measured");
            None
        }
    }
}

fn reference_dir() -> Option<PathBuf> {
    healthcat_testkit::reference_dir("the benchmark harness test")
}

#[test]
fn the_comparison_harness_runs_at_a_tiny_size_and_the_systems_agree() {
    let Some(healthcat) = healthcat() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("benchmarks.md");
    std::fs::write(
        &doc,
        "# Benchmarks\n\nnotes above\n<!-- bench compare: begin -->\nold table\n<!-- bench compare: end -->\nnotes below\n",
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_healthcat-bench"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("HEALTHCAT_") {
            cmd.env_remove(k);
        }
    }
    cmd.arg("--healthcat").arg(&healthcat);
    cmd.args(["compare", "--datasets", "10", "--runs", "1", "--work-dir"])
        .arg(dir.path().join("bench"))
        .arg("--write")
        .arg(&doc);
    // The reference material is the harness's as much as the test's (the DCAT-AP workload),
    // with or without the peers.
    if let Some(reference) = reference_dir() {
        cmd.env("HEALTHCAT_REFERENCE_DIR", reference);
    }
    let peers = match (oracle(), reference_dir()) {
        (Some(python), Some(reference)) => {
            cmd.env("HEALTHCAT_ORACLE_PYTHON", python)
                .env("HEALTHCAT_REFERENCE_DIR", reference);
            true
        }
        _ => false,
    };
    let out = cmd.output().expect("run healthcat-bench compare");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let text = std::fs::read_to_string(&doc).unwrap();
    assert!(
        text.contains("notes above") && text.contains("notes below") && !text.contains("old table"),
        "{text}"
    );
    for workload in [
        "**validate (R8 non-public)**",
        "**parse + import**",
        "**serialise (Turtle)**",
        "**cold start → first answer**",
    ] {
        assert!(text.contains(workload), "{workload} missing:\n{text}");
    }
    if reference_dir().is_some() {
        assert!(
            text.contains("**validate (DCAT-AP 3.0.0 shapes)**"),
            "the generated-shapes workload is missing:\n{text}"
        );
    }
    assert!(!text.contains("disagree"), "{text}");
    if peers {
        // pySHACL and rudof in both validation workloads, rdflib in parse and serialise.
        for (system, rows) in [("pySHACL", 2), ("rudof", 2), ("rdflib", 2)] {
            let lines: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with("| ") && l.contains(system))
                .collect();
            assert_eq!(lines.len(), rows, "{system} rows:\n{text}");
            for line in lines {
                // A ratio is printed only when the answers agree.
                let ratio = line
                    .trim_end_matches('|')
                    .rsplit('|')
                    .next()
                    .unwrap()
                    .trim();
                assert!(ratio.parse::<f64>().is_ok(), "{line}");
            }
        }
    } else {
        assert!(stderr.contains("NOTICE: peers not measured"), "{stderr}");
    }
}
