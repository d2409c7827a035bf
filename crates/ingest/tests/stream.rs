//! A file read part by part is stored exactly as the whole file is — records, local ids,
//! membership, validation verdicts and quality assessments — or, when it cannot be read that way,
//! nothing is stored and the caller is told to read it whole.

use healthcat_demo::{DemoConfig, write_turtle};
use healthcat_ingest::{Ingest, IngestError, Outcome};
use healthcat_profiles::Profile;
use healthcat_search::{MAX_PER_PAGE, SearchIndex, SearchRequest, Sort};
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

/// Everything searches show of an index, to compare two: every hit of every page in both
/// languages under every order, every facet's counts, the records some words and filters match,
/// and the content hashes reconciliation reads.
fn seen_by_search(index: &SearchIndex) -> Vec<String> {
    let mut seen = Vec::new();
    let mut hashes: Vec<(String, String)> = index.hashes().unwrap().into_iter().collect();
    hashes.sort();
    seen.push(format!("{hashes:?}"));
    for lang in ["en", "fr"] {
        for sort in [Sort::Relevance, Sort::Title, Sort::Quality, Sort::Label] {
            let mut hits = Vec::new();
            for page in 1.. {
                let request = SearchRequest {
                    lang: lang.into(),
                    sort,
                    page,
                    per_page: MAX_PER_PAGE,
                    ..SearchRequest::default()
                };
                let results = index.search(&request).unwrap();
                if page == 1 {
                    seen.push(serde_json::to_string(&results.facets).unwrap());
                }
                if results.hits.is_empty() {
                    break;
                }
                hits.extend(
                    results
                        .hits
                        .iter()
                        .map(|h| serde_json::to_string(h).unwrap()),
                );
            }
            // Records that tie (same title, same score) may come in either order.
            hits.sort();
            seen.push(hits.join("\n"));
        }
    }
    for (q, filters) in [
        ("cohort", vec![]),
        ("cancer registre", vec![]),
        ("santé", vec![]),
        (
            "",
            vec![(
                "publisher".to_owned(),
                vec!["https://catalogue.example.org/agent/chu-de-rennes".to_owned()],
            )],
        ),
        ("", vec![("quality".to_owned(), vec!["good".to_owned()])]),
    ] {
        let request = SearchRequest {
            q: q.into(),
            filters,
            min_records: Some(1000),
            ..SearchRequest::default()
        };
        let mut ids = index.matching_ids(&request).unwrap();
        ids.sort();
        seen.push(format!("{q}: {ids:?}"));
    }
    seen
}

#[test]
fn a_streamed_import_indexes_from_memory_what_reading_the_store_back_would() {
    let profile = Profile::builtin("healthdcat-ap-r8").unwrap();
    let bytes = demo(300, 3);
    for part in [700, 1_000_000] {
        let store = Store::in_memory().unwrap();
        let index = SearchIndex::in_memory().unwrap();
        let mut split =
            stream_document(&bytes[..], Format::Turtle, "demo", &ParseOptions::default())
                .unwrap()
                .part_statements(part);
        Ingest::new(&store)
            .validating(Some(&profile), false, "en")
            .indexing(Some(&index))
            .stream(&mut split, &Source::local_file("demo"), &|_| {})
            .unwrap();
        assert!(index.len() > 300, "{}", index.len());
        // The index a rebuild from the store makes.
        let rebuilt = SearchIndex::in_memory().unwrap();
        rebuilt
            .refresh(&store, &store.local_ids().unwrap())
            .unwrap();
        assert_eq!(index.len(), rebuilt.len());
        let (got, want) = (seen_by_search(&index), seen_by_search(&rebuilt));
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            // The first line that differs, not pages of them.
            let first = g.lines().zip(w.lines()).find(|(a, b)| a != b);
            assert!(g == w, "parts of {part}: {first:?}");
        }
        assert!(
            want.iter().any(|s| s.contains("Hospices Civils de Lyon")),
            "shared publishers' names are shown"
        );
    }
}

#[test]
fn a_publisher_named_after_its_records_is_named_in_the_index_or_nothing_is_indexed() {
    let text = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://ex.org/ds/1> a dcat:Dataset ; dct:title "Cohort one"@en ; dct:publisher <https://ex.org/org/late> .
<https://ex.org/ds/2> a dcat:Dataset ; dct:title "Cohort two"@en ; dct:publisher <https://ex.org/org/late> .
<https://ex.org/org/late> a foaf:Agent ; foaf:name "Named at the end"@en .
"#;
    let store = Store::in_memory().unwrap();
    let index = SearchIndex::in_memory().unwrap();
    let import = |part: usize| {
        let mut split = stream_document(
            text.as_bytes(),
            Format::Turtle,
            "late",
            &ParseOptions::default(),
        )
        .unwrap()
        .part_statements(part);
        Ingest::new(&store).indexing(Some(&index)).stream(
            &mut split,
            &Source::local_file("late"),
            &|_| {},
        )
    };
    // In parts of one statement, the publisher comes parts after its records: the file is to be
    // read whole, and what was indexed of it is thrown away with the store's part.
    let err = import(1).unwrap_err();
    assert!(err.read_whole().is_some(), "{err}");
    index.commit().unwrap();
    assert_eq!(index.len(), 0, "a record the store refused was indexed");
    assert_eq!(store.counts().unwrap().datasets, 0);
    // In one part, the publisher's names are known when its records are indexed.
    import(1_000).unwrap();
    let request = SearchRequest {
        lang: "en".into(),
        ..SearchRequest::default()
    };
    let hits = index.search(&request).unwrap().hits;
    assert_eq!(hits.len(), 2);
    for hit in hits {
        assert_eq!(
            hit.publisher.map(|p| p.1).as_deref(),
            Some("Named at the end"),
            "{}",
            hit.id
        );
    }
}

/// The store's sorted files (RocksDB's tables) in `dir`.
fn tables(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sst"))
        })
        .count()
}

#[test]
fn a_large_load_is_compacted_once_stored_and_indexed_and_a_small_one_is_left_to_rocksdb() {
    use healthcat_ingest::Progress;
    use std::sync::Mutex;
    let bytes = demo(300, 3);
    let reference = Store::in_memory().unwrap();
    Ingest::new(&reference)
        .stream(
            &mut stream_document(&bytes[..], Format::Turtle, "demo", &ParseOptions::default())
                .unwrap(),
            &Source::local_file("demo"),
            &|_| {},
        )
        .unwrap();
    // Parts of 700 statements: one sorted run each, dozens of them; one part: one run.
    for (part, compacted) in [(700, true), (1_000_000, false)] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let index = SearchIndex::in_memory().unwrap();
        // What happened, with the store's files and the records searchable at that moment.
        let seen: Mutex<Vec<(String, usize, u64)>> = Mutex::new(Vec::new());
        let progress = |p: Progress| {
            if !matches!(p, Progress::Parts(_)) {
                let name = format!("{p:?}").split('(').next().unwrap().to_owned();
                let found = index.len();
                seen.lock().unwrap().push((name, tables(dir.path()), found));
            }
        };
        let mut split =
            stream_document(&bytes[..], Format::Turtle, "demo", &ParseOptions::default())
                .unwrap()
                .part_statements(part);
        let out = Ingest::new(&store)
            .indexing(Some(&index))
            .stream(&mut split, &Source::local_file("demo"), &progress)
            .unwrap();
        assert!(out.report.warnings.is_empty(), "{:?}", out.report.warnings);
        let seen = seen.into_inner().unwrap();
        if compacted {
            let [(a, before, searchable), (b, after, _)] = &seen[..] else {
                panic!("parts of {part}: {seen:?}");
            };
            assert_eq!((a.as_str(), b.as_str()), ("Compacting", "Compacted"));
            assert!(*searchable > 300, "indexed before the compaction: {seen:?}");
            // Merged (RocksDB may still be deleting some of the files merged, or compacting in
            // the background meanwhile: not down to one file per index every time).
            assert!(after * 2 < *before, "parts of {part}: {seen:?}");
        } else {
            assert!(seen.is_empty(), "parts of {part}: {seen:?}");
        }
        assert_eq!(
            bookkeeping(&store),
            bookkeeping(&reference),
            "parts of {part}"
        );
        assert_eq!(export(&store), export(&reference), "parts of {part}");
    }
}

#[test]
fn a_streamed_import_without_record_lines_reports_the_same_tallies_and_stores_the_same() {
    let bytes = demo(100, 1);
    let run = |lines: bool| {
        let store = Store::in_memory().unwrap();
        let mut split =
            stream_document(&bytes[..], Format::Turtle, "demo", &ParseOptions::default())
                .unwrap()
                .part_statements(700);
        let out = Ingest::new(&store)
            .record_lines(lines)
            .stream(&mut split, &Source::local_file("demo"), &|_| {})
            .unwrap();
        (out.report, export(&store))
    };
    let ((with, stored_with), (without, stored_without)) = (run(true), run(false));
    assert_eq!(with.records.len() as u64, with.record_tally.added);
    assert!(without.records.is_empty());
    assert_eq!(
        (without.record_tally, without.catalogs, without.resources),
        (with.record_tally, with.catalogs, with.resources)
    );
    assert_eq!(stored_without, stored_with);
}
