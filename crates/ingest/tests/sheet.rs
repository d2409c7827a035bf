//! A catalogue's own records written into the spreadsheet template and read back as drafts:
//! unchanged rows give the records as they are, an edited cell changes that value only, a row
//! this person may not write means no draft at all, and a new dataset's draft says what blocks
//! its publication, at its cell.

use healthcat_auth::{Principal, Role};
use healthcat_ingest::Ingest;
use healthcat_ingest::drafts::Drafts;
use healthcat_ingest::edit::Edits;
use healthcat_profiles::Profile;
use healthcat_search::SearchIndex;
use healthcat_sheet::{Issue, Kind, Layout, Read, write_csv, write_xlsx};
use healthcat_store::{Format, ParseOptions, Source, Store, canonical_hash, parse_document};

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";

struct Catalogue {
    store: Store,
    index: SearchIndex,
    profile: Profile,
    layout: Layout,
    dir: tempfile::TempDir,
}

impl Catalogue {
    fn with_demo(datasets: usize) -> Catalogue {
        let mut ttl = Vec::new();
        healthcat_demo::write_turtle(
            &healthcat_demo::DemoConfig {
                datasets,
                seed: 11,
                base_iri: "https://chu.example/".into(),
                series: 0,
            },
            &mut ttl,
        )
        .unwrap();
        let store = Store::in_memory().unwrap();
        let doc = parse_document(
            &ttl[..],
            Format::Turtle,
            "demo.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        Ingest::new(&store)
            .document(&doc.graph, &Source::local_file("demo.ttl"))
            .unwrap();
        let profile = Profile::builtin("healthdcat-ap-r8").unwrap();
        let layout = Layout::of(&profile.form(DATASET));
        Catalogue {
            store,
            index: SearchIndex::in_memory().unwrap(),
            profile,
            layout,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn edits(&self) -> Edits<'_> {
        Edits {
            store: &self.store,
            index: &self.index,
            profile: &self.profile,
            limits: Default::default(),
            audit: &healthcat_auth::Nobody,
        }
    }

    fn drafts(&self) -> Drafts {
        Drafts::new(self.dir.path())
    }

    fn export(&self, kind: Kind, lang: &str) -> Vec<u8> {
        let form = self.profile.form(DATASET);
        let records = self.edits().sheet_records(None, &form).unwrap();
        let codes = |s: &str, l: &str| self.profile.codes(s, l);
        match kind {
            Kind::Xlsx => write_xlsx(&self.layout, &records, lang, &codes).unwrap(),
            Kind::Csv => write_csv(&self.layout, &records, lang, &codes).unwrap(),
        }
    }

    fn read(&self, name: &str, bytes: &[u8]) -> Read {
        let codes = |s: &str, l: &str| self.profile.codes(s, l);
        let read = healthcat_sheet::read(
            name,
            bytes,
            Kind::from_name(name).unwrap(),
            &self.layout,
            &codes,
        )
        .unwrap();
        assert!(read.problems.is_empty(), "{:#?}", read.problems);
        read
    }

    /// The graph of a draft's content.
    fn draft_graph(&self, id: &str) -> oxrdf::Graph {
        let d = self.drafts().get(id).unwrap().unwrap();
        parse_document(
            d.content.as_bytes(),
            Format::NTriples,
            "draft",
            &ParseOptions::default(),
        )
        .unwrap()
        .graph
        .iter()
        .map(|t| t.into_owned())
        .collect()
    }
}

fn admin() -> Principal {
    Principal {
        name: "root".into(),
        role: Role::Admin,
        publishers: Vec::new(),
        via: "account:root".into(),
    }
}

/// Every record, exported to XLSX (distributions and the other groups on their sheets) and
/// read back untouched, gives drafts identical to the stored records: nothing is lost or
/// added on the way.
#[test]
fn an_exported_workbook_read_back_gives_the_records_as_they_are() {
    let c = Catalogue::with_demo(5);
    for lang in ["fr", "en"] {
        let bytes = c.export(Kind::Xlsx, lang);
        let read = c.read("catalogue.xlsx", &bytes);
        assert_eq!(read.rows.len(), 5);
        let outcome = c
            .edits()
            .sheet_to_drafts(&admin(), &c.drafts(), &read, lang)
            .unwrap();
        assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
        assert_eq!(outcome.drafts.len(), 5);
        for d in &outcome.drafts {
            assert!(d.changes_record);
            let draft = c.drafts().get(&d.draft).unwrap().unwrap();
            let graph = c.draft_graph(&d.draft);
            let stored = c.store.record_by_key(&d.iri).unwrap().unwrap();
            assert_eq!(
                canonical_hash(graph.iter()).unwrap(),
                stored.hash,
                "{} ({lang}) changed on the way:\n{}",
                d.iri,
                draft.content
            );
            assert_eq!(draft.base.as_deref(), Some(stored.hash.as_str()));
            assert_eq!(draft.created_by, "root");
        }
    }
}

/// The English title changed in the CSV export: the draft has the new title, and the rest of
/// the record (French title, groups the CSV does not show) as it was.
#[test]
fn a_cell_changed_in_a_csv_file_changes_that_value_only() {
    let c = Catalogue::with_demo(2);
    let csv = String::from_utf8(c.export(Kind::Csv, "en")).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = headers
        .iter()
        .position(|h| h.ends_with("[dct:title@en]"))
        .unwrap();
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let old = rows[0][col].to_owned();
    let mut edited: Vec<String> = rows[0].iter().map(str::to_owned).collect();
    edited[col] = "Diabetes cohort, 2010–2024".into();
    rows[0] = csv::StringRecord::from(edited);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    let read = c.read("edited.csv", &bytes);
    let outcome = c
        .edits()
        .sheet_to_drafts(&admin(), &c.drafts(), &read, "en")
        .unwrap();
    assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
    let first = &outcome.drafts[0];
    let stored = c.store.record_by_key(&first.iri).unwrap().unwrap();
    let record = c.store.get(&stored.local_id.unwrap()).unwrap().unwrap();
    let graph = c.draft_graph(&first.draft);
    let title = |g: &oxrdf::Graph, lang: &str| -> Vec<String> {
        g.iter()
            .filter(|t| {
                t.subject.to_string() == format!("<{}>", first.iri)
                    && t.predicate.as_str() == "http://purl.org/dc/terms/title"
            })
            .filter_map(|t| match t.object {
                oxrdf::TermRef::Literal(l) if l.language() == Some(lang) => {
                    Some(l.value().to_owned())
                }
                _ => None,
            })
            .collect()
    };
    assert_eq!(title(&record.graph, "en"), [old]);
    assert_eq!(title(&graph, "en"), ["Diabetes cohort, 2010–2024"]);
    assert_eq!(title(&graph, "fr"), title(&record.graph, "fr"));
    // Everything else is the stored record's.
    let others = |g: &oxrdf::Graph| {
        let mut v: Vec<String> = g
            .iter()
            .filter(|t| t.predicate.as_str() != "http://purl.org/dc/terms/title")
            .map(|t| t.to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(others(&graph), others(&record.graph));
    // The second row, untouched, is the record as it is.
    let second = &outcome.drafts[1];
    let stored = c.store.record_by_key(&second.iri).unwrap().unwrap();
    assert_eq!(
        canonical_hash(c.draft_graph(&second.draft).iter()).unwrap(),
        stored.hash
    );
}

/// An editor's workbook naming a dataset of another publisher: no draft at all, and the row
/// named.
#[test]
fn a_row_this_person_may_not_write_means_no_draft_at_all() {
    let c = Catalogue::with_demo(6);
    let bytes = c.export(Kind::Xlsx, "en");
    let read = c.read("all.xlsx", &bytes);
    let publisher_of = |iri: &str| {
        let m = c.store.record_by_key(iri).unwrap().unwrap();
        let r = c.store.get(&m.local_id.unwrap()).unwrap().unwrap();
        healthcat_ingest::edit::publishers(r.graph.iter(), iri)
    };
    let mine = publisher_of(&read.rows[0].iri);
    let theirs: Vec<usize> = (0..read.rows.len())
        .filter(|&i| publisher_of(&read.rows[i].iri) != mine)
        .collect();
    assert!(!theirs.is_empty(), "the demo has several publishers");
    let marie = Principal {
        name: "marie".into(),
        role: Role::Editor,
        publishers: mine,
        via: "account:marie".into(),
    };
    let outcome = c
        .edits()
        .sheet_to_drafts(&marie, &c.drafts(), &read, "en")
        .unwrap();
    assert!(outcome.drafts.is_empty());
    assert_eq!(c.drafts().list().unwrap().len(), 0, "nothing half-made");
    for i in theirs {
        let row = read.rows[i].at.row;
        assert!(
            outcome
                .problems
                .iter()
                .any(|p| p.at.row == row && matches!(p.issue, Issue::Refused { .. })),
            "row {row}: {:#?}",
            outcome.problems
        );
    }
}

/// A new dataset with only a title and an address: a draft is made (nothing is published),
/// with what its publication needs, placed at the column of the field when the sheet shows it.
#[test]
fn a_new_dataset_s_draft_says_what_blocks_its_publication() {
    let c = Catalogue::with_demo(1);
    let h = |key: &str| {
        let col = c.layout.sheets[0]
            .columns
            .iter()
            .position(|col| col.key == key)
            .unwrap();
        c.layout.header(0, col, "en")
    };
    let csv = format!(
        "{},{},{},{},{}\nhttps://chu.example/dataset/new,Nouveau registre,New registry,,\n",
        h("@id"),
        h("dct:title@fr"),
        h("dct:title@en"),
        h("dct:description@fr"),
        h("dct:description@en"),
    );
    let read = c.read("new.csv", csv.as_bytes());
    let outcome = c
        .edits()
        .sheet_to_drafts(&admin(), &c.drafts(), &read, "en")
        .unwrap();
    assert!(outcome.problems.is_empty(), "{:#?}", outcome.problems);
    let d = &outcome.drafts[0];
    assert!(!d.changes_record);
    assert!(!d.to_fix.is_empty());
    assert!(
        d.to_fix.iter().any(|p| p.at.column.as_ref().is_some_and(
            |(letter, header)| letter == "D" && header.ends_with("[dct:description@fr]")
        )),
        "{:#?}",
        d.to_fix
    );
    assert!(c.drafts().get(&d.draft).unwrap().is_some());
    assert!(
        c.store.record_by_key(&d.iri).unwrap().is_none(),
        "a draft only"
    );
}
