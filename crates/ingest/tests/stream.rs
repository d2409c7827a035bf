//! A file read part by part is stored exactly as the whole file is — records, local ids,
//! membership, validation verdicts and quality assessments — or, when it cannot be read that way,
//! nothing is stored and the caller is told to read it whole.

use healthcat_demo::{DemoConfig, write_turtle};
use healthcat_ingest::{Ingest, IngestError, Outcome};
use healthcat_profiles::Profile;
use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, stream_document};

fn demo(datasets: usize, series: usize) -> Vec<u8> {
    let mut out = Vec::new();
    write_turtle(
        &DemoConfig {
            datasets,
            seed: 7,
            base_iri: "https://catalogue.example.org/".into(),
            series,
        },
        &mut out,
    )
    .unwrap();
    out
}

fn whole(store: &Store, bytes: &[u8], format: Format, profile: &Profile) -> Outcome {
    let doc = parse_document(bytes, format, "demo", &ParseOptions::default()).unwrap();
    Ingest::new(store)
        .validating(Some(profile), false, "en")
        .document(&doc.graph, &Source::local_file("demo"))
        .unwrap()
}

fn streamed(
    store: &Store,
    bytes: &[u8],
    format: Format,
    profile: &Profile,
    part: usize,
) -> Result<Outcome, IngestError> {
    let mut split = stream_document(bytes, format, "demo", &ParseOptions::default())
        .unwrap()
        .part_statements(part);
    Ingest::new(store)
        .validating(Some(profile), false, "en")
        .stream(&mut split, &Source::local_file("demo"), &|_| {})
}

/// Everything kept per record but the times.
fn bookkeeping(store: &Store) -> Vec<String> {
    store
        .list(0, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|m| {
            format!(
                "{} {:?} {} {:?} {} {:?} {:?}",
                m.key,
                m.local_id,
                m.kind.as_str(),
                m.catalogs,
                m.hash,
                m.validation,
                m.quality
            )
        })
        .collect()
}

fn export(store: &Store) -> Vec<String> {
    let (out, _) = store.export(Vec::new(), Format::NQuads).unwrap();
    let mut lines: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

fn rejected(o: &Outcome) -> Vec<String> {
    let mut keys: Vec<String> = o.rejected.iter().map(|r| r.key.clone()).collect();
    keys.sort();
    keys
}

#[test]
fn a_file_read_in_parts_is_stored_as_the_whole_file_is() {
    let profile = Profile::builtin("healthdcat-ap-r8").unwrap();
    let bytes = demo(300, 3);
    let reference = Store::in_memory().unwrap();
    let expected = whole(&reference, &bytes, Format::Turtle, &profile);
    assert!(
        expected.report.record_tally.added > 300,
        "{:?}",
        expected.report.record_tally
    );
    // Our own N-Triples export is a file people stream too.
    let (nt, _) = reference.export(Vec::new(), Format::NTriples).unwrap();
    for (format, bytes) in [(Format::Turtle, &bytes), (Format::NTriples, &nt)] {
        // From parts of one record or less to one part for everything.
        for part in [1, 700, 5_000, 1_000_000] {
            let store = Store::in_memory().unwrap();
            let got = streamed(&store, bytes, format, &profile, part)
                .unwrap_or_else(|e| panic!("{format:?}, parts of {part}: {e}"));
            assert_eq!(got.report.record_tally, expected.report.record_tally);
            assert_eq!(got.report.resources, expected.report.resources);
            assert_eq!(got.report.catalogs, expected.report.catalogs);
            assert_eq!(rejected(&got), rejected(&expected), "{format:?} {part}");
            assert_eq!(
                bookkeeping(&store),
                bookkeeping(&reference),
                "{format:?} {part}"
            );
            assert_eq!(export(&store), export(&reference), "{format:?} {part}");
        }
    }
}

#[test]
fn the_same_file_again_is_unchanged_and_a_changed_one_stores_nothing() {
    let profile = Profile::builtin("healthdcat-ap-r8").unwrap();
    let bytes = demo(50, 1);
    let store = Store::in_memory().unwrap();
    let first = streamed(&store, &bytes, Format::Turtle, &profile, 500).unwrap();
    let before = (bookkeeping(&store), export(&store));

    let again = streamed(&store, &bytes, Format::Turtle, &profile, 500).unwrap();
    assert_eq!(again.report.record_tally.added, 0);
    assert_eq!(again.report.record_tally.updated, 0);
    assert_eq!(
        again.report.record_tally.unchanged,
        first.report.record_tally.added
    );

    // One title changed: the streamed import only adds, so it stores nothing and says why.
    let text = String::from_utf8(bytes).unwrap();
    let changed = text.replacen("dct:title \"", "dct:title \"Revised: ", 1);
    let err = streamed(&store, changed.as_bytes(), Format::Turtle, &profile, 500).unwrap_err();
    let why = err.read_whole().expect("read it whole");
    assert!(why.contains("stored already with other content"), "{why}");
    assert_eq!((bookkeeping(&store), export(&store)), before);
}

#[test]
fn a_file_not_grouped_by_record_stores_nothing_and_says_which_node() {
    let profile = Profile::builtin("healthdcat-ap-r8").unwrap();
    let text = String::from_utf8(demo(40, 0)).unwrap();
    let first = "https://catalogue.example.org/dataset/000000-";
    let iri = text
        .lines()
        .find_map(|l| l.strip_prefix('<').filter(|l| l.starts_with(first)))
        .and_then(|l| l.split_once('>'))
        .map(|(iri, _)| iri.to_owned())
        .unwrap();
    let cases = [
        // The first dataset described again at the end.
        format!("{text}\n<{iri}> <http://purl.org/dc/terms/subject> <https://ex.org/late> .\n"),
        // A node the first dataset names, described at the end (it would have been its own).
        text.replacen(
            &format!("<{iri}> a "),
            &format!("<{iri}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://ex.org/rel> ;\n  a "),
            1,
        ) + "\n<https://ex.org/rel> <http://purl.org/dc/terms/title> \"late\" .\n",
        // The catalogue lists a dataset the file does not describe.
        format!(
            "{text}\n<https://catalogue.example.org/catalog> <http://www.w3.org/ns/dcat#dataset> <https://ex.org/elsewhere> .\n"
        ),
    ];
    for (i, case) in cases.iter().enumerate() {
        let store = Store::in_memory().unwrap();
        let err = streamed(&store, case.as_bytes(), Format::Turtle, &profile, 300).unwrap_err();
        let why = err
            .read_whole()
            .unwrap_or_else(|| panic!("case {i}: {err}"));
        let named = [
            "dataset/000000-",
            "https://ex.org/rel",
            "https://ex.org/elsewhere",
        ][i];
        assert!(why.contains(named), "case {i}: {why}");
        assert!(
            store.list(0, 1).unwrap().is_empty(),
            "case {i}: nothing is stored"
        );
        // Read whole, the same file is fine.
        let reference = Store::in_memory().unwrap();
        whole(&reference, case.as_bytes(), Format::Turtle, &profile);
        assert!(reference.list(0, 100).unwrap().len() >= 40);
    }
}
