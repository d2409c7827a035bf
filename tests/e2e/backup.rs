//! Backup, restore, verify and the data directory's format version, as an operator runs them:
//! a backup taken from a running server while a push writes 1,500 datasets, restored into a new
//! directory that verifies and exports exactly what the source held before or after the push
//! (never half of it); a damaged backup, a full disk and a newer format refused by name.

use crate::harness::{Env, http_exchange, serve_with};
use std::path::Path;

/// The catalogue's N-Triples dump from a running server, sorted (HTTP/1.0: no chunked body).
fn dump(url: &str) -> Vec<String> {
    let addr = url.trim_start_matches("http://");
    let (status, body) = http_exchange(
        addr,
        &format!("GET /catalog/all.nt HTTP/1.0\r\nHost: {addr}\r\n"),
        "",
    );
    assert_eq!(status, 200);
    sorted(&body)
}

fn sorted(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort_unstable();
    lines
}

fn sha256_hex(text: &str) -> String {
    let out = std::process::Command::new("sh")
        .args(["-c", &format!("printf %s '{text}' | sha256sum")])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

#[test]
fn a_backup_taken_while_a_push_writes_restores_to_a_catalogue_that_verifies() {
    let env = Env::new();
    catalogue(&env, "200");
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
    // A second institution's records, pushed while the backup is taken.
    let run = env.run(&[
        "demo-data",
        "--datasets",
        "1500",
        "--seed",
        "9",
        "--base-iri",
        "https://clinique.example/",
        "-o",
        "push.ttl",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let key = "prov-0123456789abcdef";
    let config = format!(
        "[[ingest.providers]]\nid = \"clinique\"\nkey_sha256 = \"{}\"\n",
        sha256_hex(key)
    );
    let (server, url) = serve_with(&env, Some(&config), "127.0.0.1:0", &[], &[]);
    let before = dump(&url);

    let addr = url.trim_start_matches("http://").to_owned();
    let body = std::fs::read(env.path("push.ttl")).unwrap();
    let push = std::thread::spawn(move || {
        crate::harness::http_exchange_bytes(
            &addr,
            &format!(
                "POST /ingest/datasets HTTP/1.1\r\nHost: {addr}\r\nX-API-Key: {key}\r\nContent-Type: text/turtle\r\n"
            ),
            &body,
        )
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The server holds the store: the backup goes through it.
    let backup = env.run(&["backup", "backup-1"]);
    assert_eq!(backup.code, 0, "{backup:?}");
    assert!(backup.stderr.contains("backed up"), "{backup:?}");
    let (status, answer) = push.join().unwrap();
    assert_eq!(status, 201, "{answer}");
    let after = dump(&url);
    assert!(after.len() > before.len());
    // The server keeps serving after the backup.
    assert_eq!(dump(&url), after);

    let inside = env.run(&["backup", "data/harvest/backup"]);
    assert_eq!(inside.code, 1, "{inside:?}");
    assert!(
        inside.stderr.contains("is inside the data directory"),
        "{inside:?}"
    );
    let again = env.run(&["backup", "backup-1"]);
    assert_eq!(again.code, 1, "{again:?}");
    assert!(again.stderr.contains("exists already"), "{again:?}");

    // Restored into a new directory: its index rebuilt, verified, and the catalogue of one
    // moment — before the push or after it, never part of it.
    let restored = env.path("restored");
    let run = env
        .cmd_on(&restored)
        .args(["restore", "backup-1"])
        .output()
        .unwrap();
    let run = crate::harness::Run::from(run);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("verified: the store and its index are sound"),
        "{run:?}"
    );
    let export = env
        .cmd_on(&restored)
        .args(["export", "-f", "nt"])
        .output()
        .unwrap();
    let export = sorted(&String::from_utf8(export.stdout).unwrap());
    assert!(
        export == before || export == after,
        "the restored catalogue is neither the one before the push ({} lines) nor after it ({} lines): {} lines",
        before.len(),
        after.len(),
        export.len()
    );
    eprintln!(
        "backup taken {} the push",
        if export == before { "before" } else { "after" }
    );
    // The accounts came along, and search works on the rebuilt index.
    let users = env
        .cmd_on(&restored)
        .args(["users", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&users.stdout).contains("steward"));
    let search = env
        .cmd_on(&restored)
        .args(["search", "--json", "cohorte"])
        .output()
        .unwrap();
    assert!(search.status.success(), "{search:?}");
    drop(server);

    // Restoring into a directory that holds something is refused, and touches nothing.
    let run = crate::harness::Run::from(
        env.cmd_on(&restored)
            .args(["restore", "backup-1"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("is not empty"), "{run:?}");

    // A damaged backup is named, and leaves no directory behind.
    let accounts = first_file(&env.path("backup-1/files/auth"));
    let mut bytes = std::fs::read(&accounts).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&accounts, bytes).unwrap();
    let damaged = env.path("damaged");
    let run = crate::harness::Run::from(
        env.cmd_on(&damaged)
            .args(["restore", "backup-1"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("the backup is damaged")
            && run
                .stderr
                .contains(&accounts.file_name().unwrap().to_string_lossy().to_string()),
        "{run:?}"
    );
    assert!(!damaged.exists());
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A catalogue of `n` generated datasets in the environment's data directory.
fn catalogue(env: &Env, n: &str) {
    let run = env.run(&["demo-data", "--datasets", n, "-o", "a.ttl"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = env.run(&["import", "a.ttl"]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// The first regular file under `dir`.
fn first_file(dir: &Path) -> std::path::PathBuf {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    names.into_iter().next().expect("a file")
}

#[test]
fn verify_names_an_index_behind_the_store_and_reindex_repairs_it() {
    let env = Env::new();
    catalogue(&env, "30");
    let run = env.run(&["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("30 records read back"), "{run:?}");
    // The index of that moment, put back after more records are imported.
    let old = env.path("old-index");
    copy_dir(&env.path("data/search"), &old);
    let more = env.run(&[
        "demo-data",
        "--datasets",
        "3",
        "--seed",
        "4",
        "--base-iri",
        "https://autre.example/",
        "-o",
        "b.ttl",
    ]);
    assert_eq!(more.code, 0);
    assert_eq!(env.run(&["import", "b.ttl"]).code, 0);
    std::fs::remove_dir_all(env.path("data/search")).unwrap();
    copy_dir(&old, &env.path("data/search"));
    let run = env.run(&["verify", "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["records"], 33);
    assert_eq!(
        report["index"]["stale"].as_array().unwrap().len(),
        3,
        "{report}"
    );
    assert_eq!(report["sound"], false);
    assert_eq!(env.run(&["reindex"]).code, 0);
    let run = env.run(&["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_backup_onto_a_full_disk_fails_cleanly_and_the_server_keeps_serving() {
    let env = Env::new();
    catalogue(&env, "300");
    // A 1 MB file system (a store of 300 datasets is several MB).
    let small = env.path("small");
    std::fs::create_dir(&small).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("NOTICE: the full-disk backup test needs to mount a small tmpfs (root); skipped");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&small);
    let (_server, url) = serve_with(&env, None, "127.0.0.1:0", &[], &[]);
    let before = dump(&url);
    // A RocksDB error (here: the store is in use) is an error message, not a crash (it was a
    // SIGSEGV: see the allocator in main.rs).
    let run = env.run(&["stats"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("is another healthcat process using it?"),
        "{run:?}"
    );
    let run = env.run(&["backup", "small/backup"]);
    assert_eq!(run.code, 2, "an I/O error: {run:?}");
    assert!(run.stderr.contains("No space left on device"), "{run:?}");
    let left: Vec<_> = std::fs::read_dir(&small).unwrap().flatten().collect();
    assert!(left.is_empty(), "nothing left on the full disk: {left:?}");
    assert_eq!(dump(&url), before, "the server keeps serving");
    // A backup elsewhere still works.
    let run = env.run(&["backup", "backup-ok"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn a_data_directory_of_a_newer_format_is_refused_before_anything_is_touched() {
    let env = Env::new();
    catalogue(&env, "5");
    let format = env.path("data/healthcat-format");
    assert_eq!(std::fs::read_to_string(&format).unwrap().trim(), "1");
    assert_eq!(
        env.run(&["migrate"]).stdout.trim_end().rsplit(' ').next(),
        Some("do")
    );
    std::fs::write(&format, "2\n").unwrap();
    let listing = |dir: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| (e.file_name(), e.metadata().unwrap().len()))
            .collect();
        v.sort();
        v
    };
    let files = listing(&env.path("data"));
    for args in [
        &["stats"][..],
        &["export"],
        &["import", "a.ttl"],
        &["serve", "--bind", "127.0.0.1:0"],
        &["users", "list"],
        &["migrate"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(
            run.stderr
                .contains("is in format 2, written by a newer healthcat"),
            "{args:?}: {run:?}"
        );
    }
    assert_eq!(listing(&env.path("data")), files, "nothing touched");
    // A directory from before versions existed is stamped when opened.
    std::fs::remove_file(&format).unwrap();
    assert_eq!(env.run(&["stats"]).code, 0);
    assert_eq!(std::fs::read_to_string(&format).unwrap().trim(), "1");
}
