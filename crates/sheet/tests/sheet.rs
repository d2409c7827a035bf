//! The template as a steward gets it and fills it in: its sheets, headers and drop-downs; rows
//! read back into the form's values; every problem placed at its sheet, row and column; and
//! the bounds (rows, zip bombs) that keep a hostile file from costing more than a refusal.

use healthcat_profiles::values::Values;
use healthcat_profiles::{FieldKind, Profile};
use healthcat_sheet::{Bound, Issue, Kind, Layout, Problem, Read, SheetError, read, write_xlsx};
use rust_xlsxwriter::{ExcelDateTime, Formula, Workbook};
use std::io::{Read as _, Write as _};

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";
const THEMES: &str = "http://publications.europa.eu/resource/authority/data-theme";

struct Template {
    profile: Profile,
    layout: Layout,
}

impl Template {
    fn new() -> Template {
        let profile = Profile::builtin("healthdcat-ap-r8").unwrap();
        let layout = Layout::of(&profile.form(DATASET));
        Template { profile, layout }
    }

    fn header(&self, s: usize, key: &str) -> String {
        let c = self.layout.sheets[s]
            .columns
            .iter()
            .position(|c| c.key == key)
            .unwrap_or_else(|| panic!("no column {key}"));
        self.layout.header(s, c, "en")
    }

    /// The form field (index) with this compact path.
    fn field(&self, key: &str) -> usize {
        self.layout
            .form
            .iter()
            .position(|f| healthcat_model::labels::compact(&f.path) == key)
            .unwrap_or_else(|| panic!("no field {key}"))
    }

    fn read(&self, name: &str, bytes: &[u8]) -> Result<Read, SheetError> {
        let codes = |s: &str, l: &str| self.profile.codes(s, l);
        read(
            name,
            bytes,
            Kind::from_name(name).unwrap(),
            &self.layout,
            &codes,
        )
    }

    fn sheet_of(&self, group_key: &str) -> usize {
        let g = self.field(group_key);
        self.layout
            .sheets
            .iter()
            .position(|s| s.group == Some(g))
            .unwrap()
    }

    /// A code of the themes' list with its label in `lang`.
    fn theme(&self, code: &str, lang: &str) -> (String, String) {
        self.profile
            .codes(THEMES, lang)
            .into_iter()
            .find(|(iri, _)| iri.ends_with(&format!("/{code}")))
            .unwrap()
    }
}

/// The values of field `key` of the row (entries as `value@lang`).
fn shown(read: &Read, row: usize, key: &str) -> Vec<String> {
    let k = read
        .shown
        .iter()
        .position(|f| healthcat_model::labels::compact(&f.path) == key)
        .unwrap_or_else(|| panic!("{key} not shown"));
    let v: &Values = &read.rows[row].values[k];
    v.entries
        .iter()
        .map(|e| {
            if e.lang.is_empty() {
                e.value.clone()
            } else {
                format!("{}@{}", e.value, e.lang)
            }
        })
        .collect()
}

fn places(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.to_string()).collect()
}

/// The empty template: the datasets' sheet with `[@id]` then a column per field (two for a
/// text field), a sheet per group, the code lists as drop-downs backed by a Codes sheet; read
/// back as it is, it says nothing and describes nothing.
#[test]
fn the_template_has_the_form_s_fields_in_both_languages_and_drop_downs() {
    let t = Template::new();
    let codes = |s: &str, l: &str| t.profile.codes(s, l);
    let bytes = write_xlsx(&t.layout, &[], "fr", &codes).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes)).unwrap();
    use calamine::Reader;
    let names = book.sheet_names();
    assert_eq!(names[0], "Jeux de données");
    assert_eq!(names.last().unwrap(), "Codes");
    assert!(names.len() > 3, "a sheet per group: {names:?}");
    let first = book.worksheet_range("Jeux de données").unwrap();
    let headers: Vec<String> = first
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(headers[0].ends_with("[@id]"), "{headers:?}");
    for key in [
        "dct:title@fr",
        "dct:title@en",
        "dct:description@fr",
        "dcat:theme",
    ] {
        assert!(
            headers.iter().any(|h| h.ends_with(&format!("[{key}]"))),
            "{key} in {headers:?}"
        );
    }
    // French labels, a required field marked.
    assert!(
        headers.iter().any(|h| h.starts_with("Titre (fr) *")),
        "{headers:?}"
    );
    // The theme column is a drop-down of the Codes sheet's French labels.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains("<dataValidation type=\"list\""),
        "{}",
        &xml[..2000.min(xml.len())]
    );
    let codes_sheet = book.worksheet_range("Codes").unwrap();
    let (_, sante) = t.theme("HEAL", "fr");
    assert!(
        codes_sheet
            .rows()
            .any(|r| r.iter().any(|c| c.to_string() == sante)),
        "{sante} in the Codes sheet"
    );
    let back = t.read("template.xlsx", &bytes).unwrap();
    assert!(back.problems.is_empty(), "{:?}", places(&back.problems));
    assert!(back.rows.is_empty());
}

/// A steward's workbook: a theme chosen by its label (French or English), keywords one per
/// line, a date typed as a date, a description over several lines kept as one value, and a
/// distribution on its own sheet: all read back as the form's values.
#[test]
fn a_filled_row_reads_back_as_the_form_s_values() {
    let t = Template::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Datasets").unwrap();
    let cols = [
        "@id",
        "dct:title@fr",
        "dct:title@en",
        "dct:description@fr",
        "dct:description@en",
        "dcat:theme",
        "dcat:keyword@fr",
        "dcat:keyword@en",
        "dct:issued",
    ];
    for (c, key) in cols.iter().enumerate() {
        ws.write(0, c as u16, t.header(0, key)).unwrap();
    }
    let (heal, sante) = t.theme("HEAL", "fr");
    let (soci, social) = t.theme("SOCI", "en");
    ws.write(1, 0, "https://chu.example/dataset/cohorte")
        .unwrap();
    ws.write(1, 1, "Cohorte diabète").unwrap();
    ws.write(1, 2, "Diabetes cohort").unwrap();
    ws.write(1, 3, "Une cohorte.\n\nSuivie depuis 2010.")
        .unwrap();
    ws.write(1, 5, format!("{sante}\n{}", social.to_uppercase()))
        .unwrap();
    ws.write(1, 6, "diabète\ncohorte").unwrap();
    let date = ExcelDateTime::from_ymd(2024, 3, 1).unwrap();
    ws.write_datetime_with_format(
        1,
        8,
        &date,
        &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"),
    )
    .unwrap();
    let d = t.sheet_of("dcat:distribution");
    let dist_name = t.layout.names("en")[d].clone();
    let dist = book.add_worksheet();
    dist.set_name(&dist_name).unwrap();
    dist.write(0, 0, t.header(d, "@dataset")).unwrap();
    dist.write(0, 1, t.header(d, "@id")).unwrap();
    dist.write(1, 0, "https://chu.example/dataset/cohorte")
        .unwrap();
    dist.write(1, 1, "https://chu.example/distribution/1")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let read = t.read("steward.xlsx", &bytes).unwrap();
    assert!(read.problems.is_empty(), "{:?}", places(&read.problems));
    assert_eq!(read.rows.len(), 1);
    let row = &read.rows[0];
    assert_eq!(row.iri, "https://chu.example/dataset/cohorte");
    assert_eq!(row.at.row, 2);
    assert_eq!(
        shown(&read, 0, "dct:title"),
        ["Cohorte diabète@fr", "Diabetes cohort@en"]
    );
    assert_eq!(
        shown(&read, 0, "dct:description"),
        ["Une cohorte.\n\nSuivie depuis 2010.@fr"],
        "a description is one value, blank lines and all"
    );
    assert_eq!(shown(&read, 0, "dcat:theme"), [heal, soci]);
    assert_eq!(
        shown(&read, 0, "dcat:keyword"),
        ["diabète@fr", "cohorte@fr"]
    );
    assert_eq!(shown(&read, 0, "dct:issued"), ["2024-03-01"]);
    // The distribution's sheet shows the group; its row is the dataset's one instance.
    let g = read
        .shown
        .iter()
        .position(|f| matches!(f.kind, FieldKind::Group { .. }))
        .unwrap();
    assert_eq!(row.values[g].groups.len(), 1);
    assert_eq!(
        row.values[g].groups[0].node,
        "<https://chu.example/distribution/1>"
    );
    // A field without a column is not shown: left as it is.
    assert!(
        !read
            .shown
            .iter()
            .any(|f| healthcat_model::labels::compact(&f.path) == "dct:publisher")
    );
}

/// What a spreadsheet can hold that the template cannot take: each is reported at its sheet,
/// row and column, all of them at once.
#[test]
fn every_problem_names_its_sheet_row_and_column() {
    let t = Template::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Datasets").unwrap();
    for (c, h) in [
        t.header(0, "@id"),
        t.header(0, "dct:title@fr"),
        t.header(0, "dct:title@en"),
        t.header(0, "dcat:theme"),
        "Budget [my:budget]".to_owned(),
    ]
    .iter()
    .enumerate()
    {
        ws.write(0, c as u16, h).unwrap();
    }
    ws.write(1, 0, "https://chu.example/dataset/a").unwrap();
    ws.write_formula(1, 1, Formula::new("=CONCAT(\"a\",\"b\")"))
        .unwrap();
    ws.write(1, 3, "Pas un thème").unwrap();
    ws.write(2, 0, "https://chu.example/dataset/a").unwrap();
    ws.write(3, 0, "pas-une-adresse").unwrap();
    ws.merge_range(4, 1, 5, 1, "fusion", &rust_xlsxwriter::Format::new())
        .unwrap();
    ws.write(4, 0, "https://chu.example/dataset/b").unwrap();
    ws.write(5, 0, "https://chu.example/dataset/c").unwrap();
    let d = t.sheet_of("dcat:distribution");
    let dist = book.add_worksheet();
    dist.set_name(&t.layout.names("fr")[d]).unwrap();
    dist.write(0, 0, t.header(d, "@dataset")).unwrap();
    dist.write(1, 0, "https://chu.example/dataset/zzz").unwrap();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write(0, 0, "x")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let read = t.read("bad.xlsx", &bytes).unwrap();
    let said = places(&read.problems);
    let has = |place: &str, issue: fn(&Issue) -> bool| {
        read.problems
            .iter()
            .any(|p| p.to_string().starts_with(place) && issue(&p.issue))
    };
    assert!(
        has(
            "sheet \"Datasets\", row 2, column B \"Title (fr) * [dct:title@fr]\"",
            |i| matches!(i, Issue::Formula { formula } if formula.contains("CONCAT"))
        ),
        "{said:#?}"
    );
    assert!(
        has("sheet \"Datasets\", row 2, column D", |i| matches!(
            i,
            Issue::NotACode { .. }
        )),
        "{said:#?}"
    );
    assert!(
        has(
            "sheet \"Datasets\", row 1, column E \"Budget [my:budget]\"",
            |i| { *i == Issue::UnknownColumn }
        ),
        "{said:#?}"
    );
    assert!(
        has("sheet \"Datasets\", row 3, column A", |i| matches!(
            i,
            Issue::SecondRow { row: 2, .. }
        )),
        "{said:#?}"
    );
    assert!(
        has("sheet \"Datasets\", row 4, column A", |i| matches!(
            i,
            Issue::NotHttp { .. }
        )),
        "{said:#?}"
    );
    assert!(
        has(
            "sheet \"Datasets\", row 5",
            |i| matches!(i, Issue::Merged { range } if range == "B5:B6")
        ),
        "{said:#?}"
    );
    let dist_name = &t.layout.names("fr")[d];
    assert!(
        has(
            &format!("sheet \"{dist_name}\", row 2, column A"),
            |i| matches!(i, Issue::NotOnFirstSheet { .. })
        ),
        "{said:#?}"
    );
    assert!(
        has("sheet \"Notes\", row 1", |i| matches!(
            i,
            Issue::UnknownSheet { .. }
        )),
        "{said:#?}"
    );
    // English words for the command line.
    assert!(
        said.iter()
            .any(|s| s.contains("a formula (=") && s.ends_with("): paste its value instead")),
        "{said:#?}"
    );
}

/// A CSV file as a spreadsheet program saves it in France: `;`-separated, with a byte order
/// mark; a text field shown in one language only is a problem (the other would be lost).
#[test]
fn a_csv_file_is_the_datasets_sheet() {
    let t = Template::new();
    let csv = format!(
        "\u{feff}{};{};{}\r\nhttps://chu.example/dataset/a;Registre;Registry\r\n",
        t.header(0, "@id"),
        t.header(0, "dct:title@fr"),
        t.header(0, "dct:title@en")
    );
    let read = t.read("export.csv", csv.as_bytes()).unwrap();
    assert!(read.problems.is_empty(), "{:?}", places(&read.problems));
    assert_eq!(shown(&read, 0, "dct:title"), ["Registre@fr", "Registry@en"]);
    let csv = format!(
        "{},{}\nhttps://chu.example/dataset/a,Registre\n",
        t.header(0, "@id"),
        t.header(0, "dct:title@fr")
    );
    let read = t.read("half.csv", csv.as_bytes()).unwrap();
    assert!(
        read.problems.iter().any(|p| p.issue
            == Issue::MissingLanguage {
                key: "dct:title@en".into()
            }),
        "{:?}",
        places(&read.problems)
    );
    // Not the template at all.
    let e = t.read("other.csv", b"name,age\nx,3\n").unwrap_err();
    assert!(matches!(e, SheetError::NotTemplate { .. }), "{e}");
    assert!(e.to_string().contains("[@id]"), "{e}");
}

/// 100,000 datasets (XLSX or CSV), 100,001 rows of a group's sheet, a zip bomb, a file that is
/// no workbook: refused with what was passed, without reading on.
#[test]
fn large_or_hostile_files_are_refused_within_bounds() {
    let t = Template::new();
    // 100,000 rows in a workbook.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write(0, 0, t.header(0, "@id")).unwrap();
    for r in 1..=100_000u32 {
        ws.write(r, 0, format!("https://chu.example/dataset/{r}"))
            .unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let started = std::time::Instant::now();
    let e = t.read("big.xlsx", &bytes).unwrap_err();
    eprintln!(
        "100,000-row workbook ({} KB) refused in {:?}",
        bytes.len() >> 10,
        started.elapsed()
    );
    assert!(
        matches!(&e, SheetError::TooLarge { bound: Bound::Records, at, .. } if at.contains("row 20002")),
        "{e}"
    );
    // Groups' rows count over all sheets: 20,000 datasets are read, 100,001 distributions not.
    let d = t.sheet_of("dcat:distribution");
    let names = t.layout.names("en");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(&names[0]).unwrap();
    ws.write(0, 0, t.header(0, "@id")).unwrap();
    ws.write(1, 0, "https://chu.example/dataset/1").unwrap();
    let ws = book.add_worksheet();
    ws.set_name(&names[d]).unwrap();
    ws.write(0, 0, t.header(d, "@dataset")).unwrap();
    for r in 1..=100_001u32 {
        ws.write(r, 0, "https://chu.example/dataset/1").unwrap();
    }
    let e = t
        .read("groups.xlsx", &book.save_to_buffer().unwrap())
        .unwrap_err();
    assert!(
        matches!(&e, SheetError::TooLarge { bound: Bound::Rows, at, .. } if at.contains(&names[d]) && at.contains("row 100002")),
        "{e}"
    );
    // The same as CSV.
    let mut csv = t.header(0, "@id") + "\n";
    for r in 1..=100_000 {
        csv.push_str(&format!("https://chu.example/dataset/{r}\n"));
    }
    let e = t.read("big.csv", csv.as_bytes()).unwrap_err();
    assert!(
        matches!(
            &e,
            SheetError::TooLarge {
                bound: Bound::Records,
                ..
            }
        ),
        "{e}"
    );
    // A zip bomb: a sheet part of 300 MB of zeros, deflated to a few hundred KB.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&zeros).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let started = std::time::Instant::now();
    let e = t.read("bomb.xlsx", &bomb).unwrap_err();
    eprintln!(
        "zip bomb ({} KB, 300 MB unpacked) refused in {:?}",
        bomb.len() >> 10,
        started.elapsed()
    );
    assert!(
        matches!(&e, SheetError::TooLarge { bound: Bound::Unpacked, at, .. } if at == "xl/worksheets/sheet1.xml"),
        "{e}"
    );
    let e = t.read("fake.xlsx", b"PK\x03\x04 not really").unwrap_err();
    assert!(
        matches!(&e, SheetError::Unreadable { kind: "XLSX", .. }),
        "{e}"
    );
    assert!(e.to_string().starts_with("fake.xlsx: "), "{e}");
}

/// The writer never makes a workbook the reader would refuse: past 20,000 datasets, or past
/// 100,000 rows over all sheets, it says so and writes nothing.
#[test]
fn a_workbook_too_large_to_be_read_back_is_not_written() {
    let t = Template::new();
    let codes = |s: &str, l: &str| t.profile.codes(s, l);
    let blank = || vec![Values::default(); t.layout.form.len()];
    let record = |i: usize| healthcat_sheet::Record {
        iri: format!("https://chu.example/dataset/{i}"),
        values: blank(),
    };
    let many: Vec<_> = (0..=healthcat_sheet::MAX_RECORDS).map(record).collect();
    let e = write_xlsx(&t.layout, &many, "en", &codes).unwrap_err();
    assert!(
        matches!(
            e,
            SheetError::TooMany {
                bound: Bound::Records,
                rows: 20_001
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("--as ACCOUNT"), "{e}");
    // 10,000 datasets of 10 distributions each: 110,000 rows over all sheets.
    let g = t.field("dcat:distribution");
    let mut records: Vec<_> = (0..10_000).map(record).collect();
    for r in &mut records {
        r.values[g].groups = vec![
            healthcat_profiles::values::Group {
                node: String::new(),
                fields: Vec::new(),
            };
            10
        ];
    }
    let e = write_xlsx(&t.layout, &records, "en", &codes).unwrap_err();
    assert!(
        matches!(
            e,
            SheetError::TooMany {
                bound: Bound::Rows,
                rows: 110_000
            }
        ),
        "{e}"
    );
    // The datasets' CSV holds the first sheet alone: those rows are within bounds.
    healthcat_sheet::write_csv(&t.layout, &records, "en", &codes).unwrap();
}
