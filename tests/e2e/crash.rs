//! Crash safety: `healthcat import` killed (`SIGKILL`) at many moments of a 20,000-dataset import,
//! and `healthcat serve` killed during a stream of API writes.
//!
//! After each kill: the file's records are all there or none, the records stored before are
//! intact, search agrees with the store, and every write the server answered 2xx is there after a
//! restart. CI runs a handful of kill points; `cargo test --test e2e crash -- --ignored` runs the
//! long variant (25 kill points, and a longer stream of writes).

use crate::harness::{Env, http_exchange, http_get, serve_with};
use std::path::Path;
use std::time::{Duration, Instant};

const BIG: usize = 20_000;

/// `healthcat ARGS` on `data`: its standard output (it must succeed).
fn output(env: &Env, data: &Path, args: &[&str]) -> Vec<u8> {
    let out = env.cmd_on(data).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn stats(env: &Env, data: &Path) -> serde_json::Value {
    serde_json::from_slice(&output(env, data, &["stats", "--json"])).unwrap()
}

fn search_total(env: &Env, data: &Path) -> u64 {
    let v: serde_json::Value =
        serde_json::from_slice(&output(env, data, &["search", "--json", "--per-page", "1"]))
            .unwrap();
    v["total"].as_u64().unwrap()
}

fn export(env: &Env, data: &Path) -> String {
    String::from_utf8(output(env, data, &["export", "-f", "nt"])).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The lines of `all` that mention `base` (the records of one file), sorted.
fn lines_of(all: &str, base: &str) -> Vec<String> {
    let mut v: Vec<String> = all
        .lines()
        .filter(|l| l.contains(base) && !l.contains("_:"))
        .map(str::to_owned)
        .collect();
    v.sort();
    v
}

fn import_killed_at_many_moments(points: usize) {
    let env = Env::new();
    let generate = |n: usize, base: &str, out: &str| {
        let run = env.run(&[
            "demo-data",
            "--datasets",
            &n.to_string(),
            "--seed",
            "3",
            "--base-iri",
            base,
            "-o",
            out,
        ]);
        assert_eq!(run.code, 0, "{run:?}");
    };
    generate(300, "https://before.example/", "before.ttl");
    generate(BIG, "https://big.example/", "big.ttl");
    // The store as it was before: 300 records, indexed.
    let base_dir = env.path("base");
    output(&env, &base_dir, &["import", "before.ttl"]);
    let before = stats(&env, &base_dir)["datasets"].as_u64().unwrap();
    assert_eq!(before, 300);
    let before_lines = lines_of(&export(&env, &base_dir), "https://before.example/");

    // One whole import, timed: the kill points are spread over its duration.
    let whole = env.path("whole");
    copy_dir(&base_dir, &whole);
    let started = Instant::now();
    output(&env, &whole, &["import", "big.ttl"]);
    let took = started.elapsed();
    let after = before + BIG as u64;
    assert_eq!(stats(&env, &whole)["datasets"].as_u64().unwrap(), after);

    let (mut none, mut all) = (0, 0);
    for i in 0..points {
        let data = env.path(&format!("kill-{i}"));
        copy_dir(&base_dir, &data);
        // From 2 % to 98 % of the whole import's time, and a little past it.
        let at = took.mul_f64(0.02 + 1.0 * i as f64 / points.max(2) as f64);
        let mut child = env
            .cmd_on(&data)
            .args(["import", "big.ttl"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let datasets = stats(&env, &data)["datasets"].as_u64().unwrap();
        assert!(
            datasets == before || datasets == after,
            "killed at {at:?}: {datasets} datasets (before {before}, after {after})"
        );
        if datasets == before {
            none += 1;
        } else {
            all += 1;
        }
        assert_eq!(
            search_total(&env, &data),
            datasets,
            "killed at {at:?}: search and store disagree"
        );
        assert_eq!(
            lines_of(&export(&env, &data), "https://before.example/"),
            before_lines,
            "killed at {at:?}: the records stored before changed"
        );
        let _ = std::fs::remove_dir_all(&data);
    }
    eprintln!(
        "import of {BIG} datasets ({took:?}) killed at {points} moments: {none} left nothing, {all} stored everything"
    );
}

#[test]
fn a_killed_import_stores_its_file_whole_or_not_at_all() {
    import_killed_at_many_moments(5);
}

#[test]
#[ignore = "long: 25 kill points; run with --ignored"]
fn a_killed_import_stores_its_file_whole_or_not_at_all_at_25_moments() {
    import_killed_at_many_moments(25);
}

fn writes_survive_a_killed_server(writes: usize) {
    let env = Env::new();
    let key = env.run(&["keys", "create", "--name", "ops", "--role", "admin"]);
    assert_eq!(key.code, 0, "{key:?}");
    let key = key.stdout.trim().to_owned();
    let (server, url) = serve_with(&env, None, "127.0.0.1:0", &["--demo"], &[]);
    let addr = url.trim_start_matches("http://").to_owned();
    // Each write: one generated dataset under its own base, stored flagged if it does not
    // validate (an admin's ?force=true), so every write is a real store write.
    let mut docs = Vec::new();
    for i in 0..writes {
        let file = format!("w{i}.ttl");
        let run = env.run(&[
            "demo-data",
            "--datasets",
            "1",
            "--seed",
            &i.to_string(),
            "--base-iri",
            &format!("https://w{i}.example/"),
            "-o",
            &file,
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        docs.push(std::fs::read_to_string(env.path(&file)).unwrap());
    }
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let writer = {
        let addr = addr.clone();
        let key = key.clone();
        std::thread::spawn(move || {
            for doc in docs {
                let result = std::panic::catch_unwind(|| {
                    http_exchange(
                        &addr,
                        &format!(
                            "POST /api/datasets?force=true HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/turtle\r\nAuthorization: Bearer {key}\r\n"
                        ),
                        &doc,
                    )
                });
                match result {
                    Ok((201, body)) => {
                        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                        let _ = tx.send(v["id"].as_str().unwrap().to_owned());
                    }
                    // The server is gone: the stream ends.
                    _ => return,
                }
            }
        })
    };
    // Let some writes through, then kill the server mid-stream.
    let mut acknowledged = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.len() < writes / 2 && Instant::now() < deadline {
        if let Ok(id) = rx.recv_timeout(Duration::from_secs(1)) {
            acknowledged.push(id);
        }
    }
    drop(server); // SIGKILL
    let _ = writer.join();
    acknowledged.extend(rx.try_iter());
    assert!(!acknowledged.is_empty());
    // Restarted on the same data: every acknowledged write is there, and search finds it.
    let (_server, url) = serve_with(&env, None, "127.0.0.1:0", &[], &[]);
    for id in &acknowledged {
        let (status, _) = http_get(&format!("{url}/datasets/{id}.ttl"));
        assert_eq!(
            status, 200,
            "{id}: acknowledged but not there after the restart"
        );
    }
    let (_, home) = http_get(&format!("{url}/api/search?per_page=1"));
    let total = serde_json::from_str::<serde_json::Value>(&home).unwrap()["total"]
        .as_u64()
        .unwrap();
    // At most one write more than acknowledged: stored, but killed before it could answer.
    let least = 200 + acknowledged.len() as u64;
    assert!(
        (least..=least + 1).contains(&total),
        "search has {total} records; the store has the {least} acknowledged (and at most one more)"
    );
    eprintln!(
        "{} writes acknowledged before the server was killed, all there after the restart",
        acknowledged.len()
    );
}

#[test]
fn writes_answered_before_a_kill_are_there_after_the_restart() {
    writes_survive_a_killed_server(40);
}

#[test]
#[ignore = "long: 400 writes; run with --ignored"]
fn writes_answered_before_a_kill_are_there_after_the_restart_long() {
    writes_survive_a_killed_server(400);
}

/// Files under `dir` (recursively) whose name starts with `prefix`.
fn files_named(dir: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_named(&path, prefix));
        } else if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        {
            found.push(path);
        }
    }
    found
}

#[test]
fn a_streamed_import_stopped_after_some_parts_stores_nothing_and_its_files_are_cleaned() {
    let env = Env::new();
    for (n, base, out) in [
        ("200", "https://before.example/", "before.ttl"),
        ("3000", "https://big.example/", "big.ttl"),
    ] {
        let run = env.run(&[
            "demo-data",
            "--datasets",
            n,
            "--seed",
            "5",
            "--base-iri",
            base,
            "-o",
            out,
        ]);
        assert_eq!(run.code, 0, "{run:?}");
    }
    let data = env.path("data");
    output(&env, &data, &["import", "before.ttl"]);
    let before_export = export(&env, &data);

    // Parts of 5,000 statements (≈ 55 datasets): the process stops as a killed one would after
    // the 20th part was planned and handed to the loader, long before the end of the file.
    let run = env
        .cmd_on(&data)
        .env("HEALTHCAT_TEST_CRASH_AFTER_PARTS", "20")
        .args(["import", "--stream", "--part-statements", "5000", "big.ttl"])
        .output()
        .unwrap();
    assert!(!run.status.success(), "the import should have been stopped");
    assert!(
        !files_named(&data, "bulk-").is_empty(),
        "the loader had written sorted files before it was stopped"
    );
    // The store is as it was; the next open removes the loader's files.
    assert_eq!(stats(&env, &data)["datasets"], 200);
    assert!(files_named(&data, "bulk-").is_empty(), "left behind");
    assert_eq!(search_total(&env, &data), 200);
    assert_eq!(export(&env, &data), before_export);

    // Run again to the end: everything, as a whole-file import of the same file stores it.
    let run = env
        .cmd_on(&data)
        .args(["import", "--stream", "--part-statements", "5000", "big.ttl"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("whole instead"), "{stderr}");
    // About sixty parts, each a sorted run of its own: the store is compacted, and says so.
    assert!(
        stderr.contains("stored and indexed; compacting the store")
            && stderr.contains("store compacted in"),
        "{stderr}"
    );
    assert_eq!(stats(&env, &data)["datasets"], 3200);
    assert_eq!(search_total(&env, &data), 3200);
    let whole = env.path("whole");
    output(&env, &whole, &["import", "before.ttl"]);
    output(&env, &whole, &["import", "--read-whole", "big.ttl"]);
    assert_eq!(
        lines_of(&export(&env, &data), "https://big.example/"),
        lines_of(&export(&env, &whole), "https://big.example/")
    );
}
