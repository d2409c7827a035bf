//! Reminders end to end against a real SMTP server on 127.0.0.1 (the test kit's sink): a record
//! falls due after eleven months (the clock is a parameter), its holder's editor gets one e-mail,
//! the attempt is logged, nothing is sent twice; a server refusing mail is logged and tried again;
//! a holder without an address is noted once; a confirmation starts a new cycle.

use healthcat_auth::{Accounts, Role};
use healthcat_review::mail::{Mailer, SmtpSettings};
use healthcat_review::reminders::{Outcome, ReminderLog, Reminders, RunReport};
use healthcat_review::{Policy, State, overview};
use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, split};
use healthcat_testkit::smtp::SmtpSink;
use jiff::{Timestamp, ToSpan, tz::TimeZone};

const RECORDS: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://ex.org/a> a dcat:Dataset ; dct:title "A"@en ; dct:publisher <https://ex.org/chu> .
<https://ex.org/b> a dcat:Dataset ; dct:title "B"@en ; dct:publisher <https://ex.org/chu> .
<https://ex.org/c> a dcat:Dataset ; dct:title "C"@en ; dct:publisher <https://ex.org/registry> .
<https://ex.org/chu> a foaf:Organization ; foaf:name "CHU de Nulle-Part"@fr .
<https://ex.org/registry> a foaf:Organization ; foaf:name "Registre"@fr ."#;

fn months(t: Timestamp, n: i32) -> Timestamp {
    t.to_zoned(TimeZone::UTC)
        .checked_add(n.months())
        .unwrap()
        .timestamp()
}

fn mailer(port: u16) -> Mailer {
    Mailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: "none".into(),
        username: None,
        password_env: None,
        from: "Catalogue <catalogue@hdab.example>".into(),
        timeout_seconds: 5,
    })
    .unwrap()
}

/// The message as a person reads it: folded headers unfolded, quoted-printable decoded.
fn plain(data: &str) -> String {
    let unfolded = data.replace("\n ", " ").replace("=\n", "");
    let mut out = Vec::new();
    let bytes = unfolded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&unfolded[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn due_records_are_reminded_once_per_cycle_and_failures_are_retried() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("store")).unwrap();
    let doc = parse_document(
        RECORDS.as_bytes(),
        Format::Turtle,
        "r.ttl",
        &ParseOptions::default(),
    )
    .unwrap();
    store
        .import_units(
            &doc.graph,
            &split(&doc.graph).unwrap(),
            &Source::local_file("r.ttl"),
        )
        .unwrap();
    let written = Timestamp::now();
    let accounts = Accounts::new(dir.path());
    let editor = |name: &str, publisher: &str| {
        accounts
            .create(
                name,
                Role::Editor,
                vec![publisher.into()],
                "correct horse battery",
            )
            .unwrap();
    };
    editor("marie", "https://ex.org/chu");
    accounts
        .set_email("marie", Some("marie@chu.example"))
        .unwrap();
    // The registry's editor has no address.
    editor("paul", "https://ex.org/registry");
    let log = ReminderLog::new(dir.path());
    let sink = SmtpSink::start();
    let up = mailer(sink.port);
    let reminders = |mailer| Reminders {
        store: &store,
        accounts: &accounts,
        mailer,
        log: &log,
        policy: Policy::default(),
        lang: "en".into(),
        base_url: "https://catalogue.example/".into(),
        catalogue: "The national catalogue".into(),
    };

    // Ten months on: nothing is due.
    let r = reminders(&up).run(months(written, 10)).unwrap();
    assert_eq!(r, RunReport::default());
    assert!(sink.mails().is_empty());

    // Eleven and a half: the server refuses mail — logged, nothing lost.
    let later = months(written, 11) + (15 * 24).hours();
    let review = overview(&store, later, &Policy::default()).unwrap();
    assert_eq!(review.total.due, 3);
    sink.refuse(true);
    let r = reminders(&up).run(later).unwrap();
    assert_eq!((r.emails, r.failed, r.no_recipient), (0, 2, 1), "{r:?}");
    let lines = log.read().unwrap();
    assert!(
        lines.iter().any(|l| l.outcome == Outcome::Failed
            && l.error.as_deref().is_some_and(|e| e.contains("451"))),
        "{lines:?}"
    );

    // The server is back: the next run sends the reminder; the one after sends nothing.
    sink.refuse(false);
    let r = reminders(&up).run(later + 1.hour()).unwrap();
    assert_eq!((r.emails, r.reminded, r.failed), (1, 2, 0), "{r:?}");
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["marie@chu.example"]);
    let text = &plain(&mails[0].data);
    assert!(
        text.contains("CHU de Nulle-Part: 2 dataset description(s) to review"),
        "{text}"
    );
    assert!(text.contains("https://ex.org/a") && text.contains("https://ex.org/b"));
    assert!(
        text.contains("https://catalogue.example/edit/review"),
        "{text}"
    );
    assert!(
        !text.contains("https://ex.org/c"),
        "another holder's record"
    );
    let r = reminders(&up).run(later + 2.hours()).unwrap();
    assert_eq!((r.emails, r.failed), (0, 0), "{r:?}");
    assert_eq!(sink.mails().len(), 1, "reminded once");
    let noted = |log: &ReminderLog| {
        log.read()
            .unwrap()
            .iter()
            .filter(|l| l.outcome == Outcome::NoRecipient)
            .count()
    };
    assert_eq!(noted(&log), 1, "noted once per cycle");

    // Marie confirms A: current again; eleven months later it is due in a new cycle, while B,
    // reminded in its cycle, is not reminded again.
    let a = store
        .record_by_key("https://ex.org/a")
        .unwrap()
        .unwrap()
        .local_id
        .unwrap();
    assert!(store.confirm(&a, &later.to_string(), "marie").unwrap());
    let review = overview(&store, later + 24.hours(), &Policy::default()).unwrap();
    let ea = review
        .entries
        .iter()
        .find(|e| e.key == "https://ex.org/a")
        .unwrap();
    assert_eq!(
        (ea.state, ea.confirmed_by.as_deref()),
        (State::Current, Some("marie"))
    );
    let next = months(later, 11) + 24.hours();
    let r = reminders(&up).run(next).unwrap();
    assert_eq!((r.emails, r.reminded), (1, 1), "{r:?}");
    let last = plain(&sink.mails().pop().unwrap().data);
    assert!(last.contains("https://ex.org/a") && !last.contains("https://ex.org/b"));

    // A server nobody answers on: the run reports the failure instead of waiting for ever.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    store.confirm(&a, &next.to_string(), "marie").unwrap();
    let r = reminders(&mailer(closed)).run(months(next, 12)).unwrap();
    assert_eq!(r.failed, 1, "{r:?}");
}
