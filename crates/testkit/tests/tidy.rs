//! Conventions of the code base, checked by reading the sources (as rust-analyzer's `tidy` test
//! does), so that they stay true without anyone remembering them:
//! - in `crates/web`, an area (site, linked data, API, editor, operations) imports the kernel and the domain
//!   crates, never another area; the kernel imports no area;
//! - one way to refuse a request: `AppError` (no hand-built error responses, nested results, or
//!   boxed early-return responses in handlers);
//! - no sentence chosen by language in Rust: what a person reads comes from message catalogues;
//! - every source file starts with a `//!` comment saying why it exists;
//! - the crate dependency table of `docs/architecture.md` is the one `cargo metadata` reports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, with its path relative to `dir`.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn is_test_file(rel: &str) -> bool {
    rel.ends_with("tests.rs") || rel.ends_with("testing.rs") || rel.contains("/tests/")
}

/// The code of a file without its `#[cfg(test)]` module at the end and without comments.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

const AREAS: [&str; 5] = ["site", "linked_data", "api", "editor", "ops"];

#[test]
fn web_areas_never_import_one_another() {
    let web = root().join("crates/web/src");
    let path = regex::Regex::new(r"\b(?:crate|super)(?:::super)*::([a-z_]+)").unwrap();
    let mut broken = Vec::new();
    for (rel, text) in sources(&web) {
        let own = rel.split('/').next().unwrap_or_default();
        let Some(own) = AREAS
            .iter()
            .chain(&["kernel"])
            .find(|a| **a == own)
            .copied()
        else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            for c in path.captures_iter(line) {
                let named = &c[1];
                if AREAS.contains(&named) && named != own {
                    broken.push(format!("crates/web/src/{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "an area imports another area, or the kernel an area (move what they share into the \
         kernel or a domain crate):\n{}",
        broken.join("\n")
    );
}

#[test]
fn requests_are_refused_one_way() {
    let web = root().join("crates/web/src");
    let idioms = regex::Regex::new(
        r"(?:^|[\s=,>\[{])\(\s*StatusCode::(BAD_REQUEST|UNAUTHORIZED|FORBIDDEN|NOT_FOUND|NOT_ACCEPTABLE|CONFLICT|PRECONDITION_FAILED|PRECONDITION_REQUIRED|UNSUPPORTED_MEDIA_TYPE|UNPROCESSABLE_ENTITY|PAYLOAD_TOO_LARGE|SERVICE_UNAVAILABLE)\b|Box<Response>|Result<Result<|map_err\(\|e\| e\.to_string\(\)\)",
    )
    .unwrap();
    let mut found = Vec::new();
    for (rel, text) in sources(&web) {
        if is_test_file(&rel) || rel.starts_with("kernel/error.rs") {
            continue;
        }
        for (n, line) in code(&text).lines().enumerate() {
            if idioms.is_match(line) {
                found.push(format!("crates/web/src/{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "refuse a request with `Err(AppError::…)` (or `?` on a domain error), not by building \
         the response by hand:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_sentence_is_chosen_by_language_in_rust() {
    let choice = regex::Regex::new(
        r#"let fr = |if fr\b|\(\w+, fr\)|lang(?:uage)?\.starts_with\("(fr|en)"\)"#,
    )
    .unwrap();
    // Known exceptions, each a debt with its reason (remove the line when it is paid):
    let allowed = [
        // The labels of ~50 properties as a bilingual table (data, not sentences); a third
        // language needs a column there.
        "crates/model/src/labels.rs",
    ];
    let mut found = Vec::new();
    for krate in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = krate.unwrap().path().join("src");
        if !dir.is_dir() {
            continue;
        }
        for (rel, text) in sources(&dir) {
            let file = format!(
                "crates/{}/src/{rel}",
                dir.parent().unwrap().file_name().unwrap().to_string_lossy()
            );
            if is_test_file(&rel) || allowed.contains(&file.as_str()) {
                continue;
            }
            for (n, line) in code(&text).lines().enumerate() {
                if choice.is_match(line) {
                    found.push(format!("{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "a sentence a person reads is chosen by language in Rust: put it in the message \
         catalogues (themes/default/messages/*.toml, or the crate's messages/) instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_source_file_says_why_it_exists() {
    let mut silent = Vec::new();
    for krate in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = krate.unwrap().path().join("src");
        if !dir.is_dir() {
            continue;
        }
        for (rel, text) in sources(&dir) {
            if !text.trim_start().starts_with("//!") {
                silent.push(format!("{}/{rel}", dir.display()));
            }
        }
    }
    assert!(
        silent.is_empty(),
        "start these files with a `//!` comment saying what they own:\n{}",
        silent.join("\n")
    );
}

/// The healthcat crates each healthcat crate depends on (normal dependencies), from
/// `cargo metadata`.
fn cargo_dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut deps = BTreeMap::new();
    for p in meta["packages"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap().to_owned();
        let own: BTreeSet<String> = p["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .filter_map(|d| d["name"].as_str())
            .filter(|n| *n == "healthcat" || n.starts_with("healthcat-"))
            .map(str::to_owned)
            .collect();
        deps.insert(name, own);
    }
    deps
}

/// The table between `<!-- crates: begin -->` and `<!-- crates: end -->` in
/// `docs/architecture.md`: `| crate | depends on |`.
fn documented_dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("<!-- crates: begin -->")
        .expect("docs/architecture.md has a <!-- crates: begin --> marker");
    let end = doc
        .find("<!-- crates: end -->")
        .expect("docs/architecture.md has a <!-- crates: end --> marker");
    let mut deps = BTreeMap::new();
    for line in doc[start..end].lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 2 || cells[0].starts_with("---") || cells[0] == "crate" {
            continue;
        }
        let name = cells[0].trim_matches('`').to_owned();
        let on: BTreeSet<String> = cells[1]
            .split(',')
            .map(|s| s.trim().trim_matches('`'))
            .filter(|s| !s.is_empty() && *s != "—")
            .map(str::to_owned)
            .collect();
        deps.insert(name, on);
    }
    deps
}

#[test]
fn the_documented_crate_graph_is_the_real_one() {
    let real = cargo_dependencies();
    let documented = documented_dependencies();
    let mut wrong = Vec::new();
    for (name, on) in &real {
        match documented.get(name) {
            None => wrong.push(format!("{name}: missing from the table")),
            Some(d) if d != on => wrong.push(format!(
                "{name}: the table says {:?}, Cargo.toml says {:?}",
                d, on
            )),
            _ => {}
        }
    }
    for name in documented.keys() {
        if !real.contains_key(name) {
            wrong.push(format!(
                "{name}: in the table but not a crate of the workspace"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "docs/architecture.md's crate table has drifted from the Cargo files:\n{}",
        wrong.join("\n")
    );
}
