//! Configuration: file < HEALTHCAT_* environment < flags, and clear errors for a bad file.

use crate::harness::Env;

#[test]
fn the_config_file_sets_the_data_dir_and_flags_override_it() {
    let env = Env::new();
    let cfg = env.write(
        "healthcat.toml",
        "data_dir = \"from-config\"\n[catalog]\ntitle_fr = \"Mon catalogue\"\n",
    );
    let data = env.write(
        "d.ttl",
        "<https://ex.org/d> a <http://www.w3.org/ns/dcat#Dataset> .\n",
    );
    // Env::cmd passes --data-dir, which must win over the file: use a bare command here.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_healthcat"));
    cmd.current_dir(env.dir.path())
        .env_remove("HEALTHCAT_DATA_DIR")
        .env_remove("HEALTHCAT_CONFIG");
    let out = cmd
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "import",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        env.path("from-config").is_dir(),
        "data_dir from the file was used"
    );

    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_healthcat"));
    cmd.current_dir(env.dir.path())
        .env("HEALTHCAT_DATA_DIR", env.path("from-env"));
    let out = cmd
        .args(["--config", cfg.to_str().unwrap(), "stats", "--json"])
        .output()
        .unwrap();
    let counts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        counts["datasets"], 0,
        "HEALTHCAT_DATA_DIR overrides the file: a new, empty store"
    );
    assert!(env.path("from-env").is_dir());
}

#[test]
fn a_bad_config_file_is_named_with_the_problem() {
    let env = Env::new();
    let cfg = env.write(
        "bad.toml",
        "data_dir = \"x\"\nbind_adress = \"127.0.0.1:1\"\n",
    );
    let run = env.run(&["--config", cfg.to_str().unwrap(), "stats"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("bad.toml") && run.stderr.contains("bind_adress"),
        "{run:?}"
    );
    let cfg = env.write("iri.toml", "base_iri = \"catalogue.example.org\"\n");
    let run = env.run(&["--config", cfg.to_str().unwrap(), "stats"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("not an absolute IRI"), "{run:?}");
}

#[test]
fn a_wrong_trusted_holder_decision_stops_serve_naming_the_entry_and_field() {
    let env = Env::new();
    let cfg = env.write(
        "trusted.toml",
        "[[trusted_holders]]\niri = \"https://chu.example/org\"\ndecided = \"2026-03-01\"\nreference = \"HDAB-1\"\n\
         [[trusted_holders]]\niri = \"https://inserm.example/org\"\ndecided = \"mars 2026\"\nreference = \"HDAB-2\"\n",
    );
    let run = env.run(&[
        "--config",
        cfg.to_str().unwrap(),
        "serve",
        "--bind",
        "127.0.0.1:0",
    ]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("[[trusted_holders]] #2: decided")
            && run.stderr.contains("write it YYYY-MM-DD"),
        "{run:?}"
    );
}
