//! Backups as data: a manifest that names paths outside the data directory is refused, with
//! nothing written outside it and nothing left behind, and two backups to one target at once
//! leave one whole copy.

mod common;

use healthcat_store::{BackupError, MANIFEST, Store};
use std::path::Path;

const DOC: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://ex.org/ds/a> a dcat:Dataset ; dct:title "A" .
<https://ex.org/ds/b> a dcat:Dataset ; dct:title "B" .
"#;

/// A store of two records in `dir/data`, with one more file beside it, backed up to `dir/backup`.
fn backed_up(dir: &Path) -> (Store, std::path::PathBuf) {
    let data = dir.join("data");
    let store = Store::open(&data).unwrap();
    common::import_turtle(&store, DOC);
    std::fs::create_dir_all(data.join("auth")).unwrap();
    std::fs::write(data.join("auth/accounts.json"), "[]").unwrap();
    let backup = dir.join("backup");
    store.backup(&data, &backup, &[]).unwrap();
    (store, data)
}

/// Entries of `dir` whose names start with a dot (half-built copies).
fn hidden(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn a_manifest_whose_paths_leave_the_data_directory_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let (_store, _) = backed_up(tmp.path());
    let backup = tmp.path().join("backup");
    let manifest_path = backup.join(MANIFEST);
    let original = std::fs::read_to_string(&manifest_path).unwrap();
    // The first file of files/ (or store/) renamed to climb out, be absolute, or hide a store
    // file in a folder; its size and hash stay a real file's, so only the path is wrong.
    for (part, path) in [
        ("files", "../../escaped"),
        ("files", "auth/../../escaped"),
        ("files", "/tmp/escaped"),
        ("store", "sub/CURRENT"),
    ] {
        let mut manifest: serde_json::Value = serde_json::from_str(&original).unwrap();
        let entry = &mut manifest[part][0];
        entry["path"] = path.into();
        std::fs::write(&manifest_path, manifest.to_string()).unwrap();
        let into = tmp.path().join("restored");
        let err = healthcat_store::restore(&backup, &into).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, BackupError::Damaged { .. }) && text.contains(path),
            "{path}: {text}"
        );
        assert!(!into.exists(), "{path}: a half-restored directory");
        assert!(!tmp.path().join("escaped").exists() && !Path::new("/tmp/escaped").exists());
        assert_eq!(hidden(tmp.path()), Vec::<String>::new(), "{path}");
    }
    // The manifest as it was restores.
    std::fs::write(&manifest_path, &original).unwrap();
    let into = tmp.path().join("restored");
    let manifest = healthcat_store::restore(&backup, &into).unwrap();
    assert_eq!(manifest.records, 2);
    assert_eq!(
        std::fs::read_to_string(into.join("auth/accounts.json")).unwrap(),
        "[]"
    );
}

#[test]
fn two_backups_to_one_target_at_once_leave_one_whole_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, data) = backed_up(tmp.path());
    let target = tmp.path().join("twice");
    let results: Vec<_> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..4)
            .map(|_| s.spawn(|| store.backup(&data, &target, &[])))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let done = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(done, 1, "{results:?}");
    for r in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(matches!(r, BackupError::TargetExists(_)), "{r}");
    }
    assert_eq!(hidden(tmp.path()), Vec::<String>::new());
    // The copy that stayed is whole: it restores, every file checked against its manifest.
    let manifest = healthcat_store::restore(&target, &tmp.path().join("restored")).unwrap();
    assert_eq!(manifest.records, 2);
}
