//! The national node's outbox driving an eDelivery access point (a mock of its file-system
//! back-end, in a thread): a scripted sequence of creations, edits and withdrawals, with the
//! access point down for a while, the node restarted in the middle and once stopped between the
//! access point's acknowledgement and its own note of it — every change arrives exactly once, in
//! the feed's order.

use healthcat_push::{As4Folder, As4Settings, Outbox};
use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, split};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the mock access point received: (sequence number, kind, record, payload).
type Received = Arc<Mutex<Vec<(String, String, String, String)>>>;

fn property(xml: &str, name: &str) -> String {
    let open = format!("<Property name=\"{name}\">");
    xml.split(&open)
        .nth(1)
        .and_then(|rest| rest.split("</Property>").next())
        .unwrap_or_default()
        .to_owned()
}

/// Moves each message folder of `OUT` to `SENT` while `up`, noting what it carried.
fn access_point(folder: PathBuf, up: Arc<AtomicBool>, received: Received, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        std::fs::create_dir_all(folder.join("SENT")).unwrap();
        while !stop.load(Ordering::SeqCst) {
            if up.load(Ordering::SeqCst) {
                let mut names: Vec<_> = std::fs::read_dir(folder.join("OUT"))
                    .map(|d| d.flatten().map(|e| e.file_name()).collect())
                    .unwrap_or_default();
                names.sort();
                for name in names {
                    let dir = folder.join("OUT").join(&name);
                    let xml = std::fs::read_to_string(dir.join("metadata.xml")).unwrap();
                    let payload =
                        std::fs::read_to_string(dir.join("payload.ttl")).unwrap_or_default();
                    assert!(xml.contains("<PartyId type=\"urn:oasis:names:tc:ebcore:partyid-type:unregistered\">fr-hdab</PartyId>"), "{xml}");
                    assert!(
                        xml.contains(&format!(
                            "<MessageId>{}@fr-hdab</MessageId>",
                            name.to_string_lossy()
                        )),
                        "{xml}"
                    );
                    received.lock().unwrap().push((
                        property(&xml, "sequenceNumber"),
                        property(&xml, "changeKind"),
                        property(&xml, "recordIRI"),
                        payload,
                    ));
                    std::fs::rename(&dir, folder.join("SENT").join(&name)).unwrap();
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
}

fn import(store: &Store, ttl: &str) {
    let doc = parse_document(
        ttl.as_bytes(),
        Format::Turtle,
        "t.ttl",
        &ParseOptions::default(),
    )
    .unwrap();
    store
        .import_units(
            &doc.graph,
            &split(&doc.graph).unwrap(),
            &Source::local_file("t.ttl"),
        )
        .unwrap();
}

fn dataset(name: &str, title: &str) -> String {
    format!(
        "<https://ex.org/{name}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{title}\"@en ."
    )
}

fn outbox(store: &Store, data: &Path, ap: &Path, wait: Duration) -> Outbox<As4Folder> {
    let connector = As4Folder::new(As4Settings {
        folder: ap.to_owned(),
        from_party: "fr-hdab".into(),
        to_party: "eu-hdab".into(),
        party_type: "urn:oasis:names:tc:ebcore:partyid-type:unregistered".into(),
        service: "urn:ehds:catalogue".into(),
        action: "recordChange".into(),
        wait,
    })
    .unwrap();
    Outbox::new(store.clone(), vec!["local".into()], connector, data)
}

fn id_of(store: &Store, key: &str) -> healthcat_model::LocalId {
    store.record_by_key(key).unwrap().unwrap().local_id.unwrap()
}

#[tokio::test]
async fn every_change_reaches_the_access_point_once_in_order_through_outages_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let (db, data, ap) = (
        dir.path().join("store"),
        dir.path().join("data"),
        dir.path().join("ap"),
    );
    let (up, stop, received) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicBool::new(false)),
        Received::default(),
    );
    access_point(ap.clone(), up.clone(), received.clone(), stop.clone());
    let wait = Duration::from_secs(5);

    let store = Store::open(&db).unwrap();
    let r = outbox(&store, &data, &ap, wait).cycle().await.unwrap();
    assert!(r.resynced && r.created == 0, "{r:?}");
    import(
        &store,
        &format!("{}\n{}", dataset("a", "A"), dataset("b", "B")),
    );
    import(
        &store,
        &format!("{}\n{}", dataset("a", "A, second"), dataset("b", "B")),
    );
    let r = outbox(&store, &data, &ap, wait).cycle().await.unwrap();
    assert_eq!((r.created, r.updated, r.resynced), (2, 1, false), "{r:?}");

    // The access point goes down while B is withdrawn: the change waits in OUT.
    up.store(false, Ordering::SeqCst);
    store.delete(&id_of(&store, "https://ex.org/b")).unwrap();
    let r = outbox(&store, &data, &ap, Duration::from_millis(300))
        .cycle()
        .await
        .unwrap();
    assert!(
        r.error.as_deref().unwrap().contains("not acknowledged"),
        "{r:?}"
    );
    assert_eq!(r.pending, 1, "{r:?}");

    // The node restarts; meanwhile C is created and edited; the access point comes back.
    drop(store);
    let store = Store::open(&db).unwrap();
    import(&store, &dataset("c", "C"));
    import(&store, &dataset("c", "C, second"));
    up.store(true, Ordering::SeqCst);
    let r = outbox(&store, &data, &ap, wait).cycle().await.unwrap();
    assert_eq!((r.created, r.updated, r.deleted), (1, 1, 1), "{r:?}");

    // Stopped after the access point took a change but before the node noted it: the change
    // is found in SENT and not handed over again.
    let ledger = data.join("outbox/acknowledged.json");
    let before = std::fs::read(&ledger).unwrap();
    import(&store, &dataset("a", "A, third"));
    outbox(&store, &data, &ap, wait).cycle().await.unwrap();
    std::fs::write(&ledger, before).unwrap();
    let r = outbox(&store, &data, &ap, wait).cycle().await.unwrap();
    assert_eq!(r.updated, 1, "acknowledged by the access point: {r:?}");
    assert_eq!(outbox(&store, &data, &ap, wait).backlog().unwrap(), 0);
    stop.store(true, Ordering::SeqCst);

    let got = received.lock().unwrap().clone();
    let summary: Vec<(String, String, String)> = got
        .iter()
        .map(|(s, k, r, _)| {
            (
                s.clone(),
                k.clone(),
                r.trim_start_matches("https://ex.org/").to_owned(),
            )
        })
        .collect();
    let feed: Vec<(String, String, String)> = [
        ("1", "create", "a"),
        ("2", "create", "b"),
        ("3", "replace", "a"),
        ("4", "delete", "b"),
        ("5", "create", "c"),
        ("6", "replace", "c"),
        ("7", "replace", "a"),
    ]
    .iter()
    .map(|(s, k, r)| (s.to_string(), k.to_string(), r.to_string()))
    .collect();
    assert_eq!(summary, feed, "exactly once, in order");
    // Each version as that change left it.
    assert!(got[0].3.contains("\"A\"@en"), "{}", got[0].3);
    assert!(got[2].3.contains("A, second"), "{}", got[2].3);
    assert!(got[3].3.is_empty(), "a withdrawal carries no payload");
    assert!(got[4].3.contains("\"C\"@en") && got[5].3.contains("C, second"));
    assert!(got[6].3.contains("A, third"));
}
