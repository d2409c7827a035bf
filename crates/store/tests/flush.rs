//! A long run of transactional writes (a harvest's pages, a push) does not keep what it wrote in
//! memory: the store flushes RocksDB's write buffers as it goes, and every write is still there
//! when the store is opened again.

mod common;

use healthcat_store::{Format, Store};

/// Two datasets whose titles say `version`.
fn doc(version: usize) -> String {
    format!(
        r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://ex.org/ds/a> a dcat:Dataset ; dct:title "A, version {version}" ; dct:description "a" .
<https://ex.org/ds/b> a dcat:Dataset ; dct:title "B, version {version}" ; dct:description "b" .
"#
    )
}

fn write(store: &Store, version: usize) {
    common::import_turtle(store, &doc(version));
}

#[test]
fn transactional_writes_flush_the_write_buffers_as_they_go_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    {
        // About 40 quads a version (two records, their bookkeeping and revisions): a flush
        // every five versions or so.
        let store = Store::open(dir.path()).unwrap().flush_after(200);
        write(&store, 0); // new records: the bulk loader, not counted
        assert_eq!(store.write_buffer_flushes(), 0);
        for version in 1..=30 {
            write(&store, version); // changed records: one transaction each
        }
        let flushes = store.write_buffer_flushes();
        assert!((4..=30).contains(&flushes), "{flushes} flushes");
    }
    {
        // The default: 250,000 quads; none of these writes reaches it.
        let store = Store::open(dir.path()).unwrap();
        write(&store, 31);
        assert_eq!(store.write_buffer_flushes(), 0);
    }
    let store = Store::open(dir.path()).unwrap();
    let text = String::from_utf8(store.export(Vec::new(), Format::NTriples).unwrap().0).unwrap();
    assert!(
        text.contains("\"A, version 31\"") && text.contains("\"B, version 31\""),
        "{text}"
    );
    assert!(!text.contains("version 30\""), "{text}");
}
