//! Reading dictionaries as stewards write them, and refusing the ones that are wrong with the
//! place of each problem.

use healthcat_dictionary::{DictionaryError, Format, Limits, csvw, read, template};
use healthcat_model::Dictionary;
use oxrdf::{Graph, NamedNodeRef};
use rust_xlsxwriter::{Format as XFormat, Formula, Workbook};

fn problems(e: DictionaryError) -> String {
    match e {
        DictionaryError::Invalid { .. } => e.to_string(),
        other => panic!("expected row problems, got {other}"),
    }
}

fn workbook(rows: &[&[&str]]) -> Workbook {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("variables").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book
}

const HEADER: &[&str] = &[
    "table",
    "name",
    "title_fr",
    "title_en",
    "description_en",
    "datatype",
    "unit",
    "code_list",
];

#[test]
fn a_french_excel_csv_with_a_bom_and_semicolons_reads() {
    let csv = "\u{FEFF}table;name;title_fr;title_en;description_fr;datatype;unit;code_list\n\
               séjours;age;Âge;Age;Âge à l'admission;integer;années;\n\
               ;dp;Diagnostic principal;Main diagnosis;\"Code CIM-10; principal\";string;;http://id.who.int/icd/release/10\n\
               \n\
               actes;ccam;Acte;Procedure;Code CCAM;String;;\n";
    let v = read(csv.as_bytes(), Format::Csv, &Limits::default()).unwrap();
    assert_eq!(v.len(), 3);
    // A blank table repeats the row above; the empty line is skipped; the datatype is spelled
    // as CSVW does.
    assert_eq!(
        v.iter()
            .map(|v| (v.table.as_str(), v.name.as_str(), v.row))
            .collect::<Vec<_>>(),
        [
            ("séjours", "age", 2),
            ("séjours", "dp", 3),
            ("actes", "ccam", 5)
        ]
    );
    assert_eq!(v[0].unit.as_deref(), Some("années"));
    assert_eq!(
        v[1].descriptions,
        [("fr".into(), "Code CIM-10; principal".into())]
    );
    assert_eq!(
        v[1].code_list.as_deref(),
        Some("http://id.who.int/icd/release/10")
    );
    assert_eq!(v[2].datatype, "string");
}

#[test]
fn every_bad_row_is_named_with_its_column() {
    let csv = "table,name,title_en,description_en,datatype,code_list\n\
               t,age,Age,Age at inclusion,integer,\n\
               t,,Sex,Declared sex,string,\n\
               t,bmi,,Body mass index,decimal,\n\
               t,age,Age again,Twice,integer,\n\
               t,dx,Diagnosis,Main diagnosis,text,\n\
               t,cc,Country,Country,string,country list\n";
    let e = problems(read(csv.as_bytes(), Format::Csv, &Limits::default()).unwrap_err());
    for expected in [
        "row 3, column B (name): a variable needs a name",
        "row 4, column C (title_en): a variable needs a title",
        "row 5, column B (name): \"age\" is already the name of row 2 in table \"t\"",
        "row 6, column E (datatype): \"text\" is not a CSVW datatype",
        "row 7, column F (code_list): \"country list\" is not an http(s) IRI",
    ] {
        assert!(e.contains(expected), "{expected:?} not in {e}");
    }
    assert!(e.starts_with("5 problems: "), "{e}");
}

#[test]
fn a_header_without_required_columns_or_with_unknown_ones_is_refused() {
    let e = problems(
        read(
            b"nom,libelle,type\nage,Age,integer\n",
            Format::Csv,
            &Limits::default(),
        )
        .unwrap_err(),
    );
    assert!(
        e.contains("row 1, column A (\"nom\"): unknown heading"),
        "{e}"
    );
    assert!(e.contains("the header has no name column"), "{e}");
    assert!(
        e.contains("the header has no description_<lang> column"),
        "{e}"
    );
}

#[test]
fn a_csv_that_is_not_utf8_is_refused_at_its_line() {
    let mut bytes = b"name,title_fr,description_fr,datatype\nage,Age,Age,integer\n".to_vec();
    // "Âge" in Windows-1252, as Excel's plain "CSV" saves it on Windows.
    bytes.extend_from_slice(b"sexe,\xC2ge,Sexe d\xE9clar\xE9,string\n");
    let e = problems(read(&bytes, Format::Csv, &Limits::default()).unwrap_err());
    assert!(e.contains("row 3: byte 6 is not UTF-8"), "{e}");
    assert!(e.contains("CSV UTF-8"), "{e}");
}

#[test]
fn a_hundred_thousand_rows_stop_at_the_limit_with_the_row() {
    let mut csv = String::from("name,title_en,description_en,datatype\n");
    for i in 0..100_000 {
        csv.push_str(&format!("v{i},Variable {i},Variable number {i},integer\n"));
    }
    let e = problems(read(csv.as_bytes(), Format::Csv, &Limits::default()).unwrap_err());
    assert!(e.contains("row 10002: more than 10000 variables"), "{e}");
    // And a file over the byte limit is not read at all.
    let small = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        read(csv.as_bytes(), Format::Csv, &small),
        Err(DictionaryError::TooLarge { .. })
    ));
}

#[test]
fn the_templates_read_back_as_their_two_examples() {
    for (bytes, format) in [
        (template::csv(), Format::Csv),
        (template::xlsx().unwrap(), Format::Xlsx),
    ] {
        let v = read(&bytes, format, &Limits::default()).unwrap();
        assert_eq!(
            v.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            ["weight", "diagnosis"],
            "{format:?}"
        );
        assert_eq!(v[0].titles.len(), 2);
        assert_eq!(v[0].unit.as_deref(), Some("kg"));
    }
}

#[test]
fn an_xlsx_with_numbers_and_merged_table_cells_reads() {
    let mut book = workbook(&[
        HEADER,
        &[
            "visits", "weight", "Poids", "Weight", "Weight", "decimal", "kg", "",
        ],
        &[
            "", "height", "Taille", "Height", "Height", "decimal", "cm", "",
        ],
    ]);
    let sheet = book.worksheet_from_name("variables").unwrap();
    // A name typed as a number, and the table cell merged over two rows.
    sheet.write_number(3, 1, 2024).unwrap();
    for (c, v) in ["Année", "Year", "Year of the visit", "gYear"]
        .iter()
        .enumerate()
    {
        sheet.write_string(3, c as u16 + 2, *v).unwrap();
    }
    sheet
        .merge_range(1, 0, 3, 0, "visits", &XFormat::new())
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let v = read(&bytes, Format::Xlsx, &Limits::default()).unwrap();
    assert_eq!(
        v.iter()
            .map(|v| (v.table.as_str(), v.name.as_str()))
            .collect::<Vec<_>>(),
        [
            ("visits", "weight"),
            ("visits", "height"),
            ("visits", "2024")
        ]
    );
}

#[test]
fn formulas_merged_values_dates_and_errors_are_named() {
    let mut book = workbook(&[
        HEADER,
        &["t", "a", "A", "A", "A", "string", "", ""],
        &["t", "b", "B", "B", "B", "string", "", ""],
        &["t", "c", "", "", "C", "string", "", ""],
    ]);
    let sheet = book.worksheet_from_name("variables").unwrap();
    sheet
        .write_formula(3, 2, Formula::new("=B4&\"!\"").set_result("c!"))
        .unwrap();
    sheet.write_string(3, 3, "C").unwrap();
    sheet
        .merge_range(1, 4, 2, 4, "shared description", &XFormat::new())
        .unwrap();
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(
            2,
            6,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 2).unwrap(),
            &date,
        )
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let e = problems(read(&bytes, Format::Xlsx, &Limits::default()).unwrap_err());
    for expected in [
        "sheet \"variables\", row 2, column E: cells E2:E3 are merged",
        "sheet \"variables\", row 4, column C: a formula (=B4&\"!\")",
        "sheet \"variables\", row 3, column G: a date where text is expected",
    ] {
        assert!(e.contains(expected), "{expected:?} not in {e}");
    }
}

#[test]
fn a_zip_bomb_is_stopped_before_calamine_reads_it() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "xl/sharedStrings.xml",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..8 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 100_000, "{}", bytes.len());
    let limits = Limits {
        max_inflated: 4 << 20,
        ..Limits::default()
    };
    let e = read(&bytes, Format::Xlsx, &limits).unwrap_err();
    assert!(
        matches!(&e, DictionaryError::Archive { part, .. } if part == "xl/sharedStrings.xml"),
        "{e}"
    );
    assert!(e.to_string().contains("past 4 MiB"), "{e}");
    // Not a workbook at all.
    let e = read(b"PK not really", Format::Xlsx, &Limits::default()).unwrap_err();
    assert!(matches!(e, DictionaryError::Workbook(_)), "{e}");
}

#[test]
fn the_csvw_group_reads_back_and_replaces_the_old_dictionary() {
    let csv = "table,name,title_fr,title_en,description_en,datatype,unit,code_list,table_title_en\n\
               visits,weight,Poids,Weight,Body weight,decimal,kg,,Visits\n\
               visits,Weight,Poids (2),Weight (2),Again,decimal,kg,,\n\
               labs,hba1c,HbA1c,HbA1c,Glycated haemoglobin,decimal,%,http://loinc.org/4548-4,\n";
    let vars = read(csv.as_bytes(), Format::Csv, &Limits::default()).unwrap();
    let ds = NamedNodeRef::new_unchecked("https://ex.org/dataset/1");
    let old: Graph = oxttl::TurtleParser::new()
        .for_slice(
            br#"@prefix csvw: <http://www.w3.org/ns/csvw#> . @prefix dct: <http://purl.org/dc/terms/> .
            <https://ex.org/dataset/1> dct:title "D"@en ;
              <http://healthdataportal.eu/ns/health#hasVariables> <https://ex.org/old> .
            <https://ex.org/old> csvw:table [ csvw:column [ csvw:name "gone" ] ] ."#,
        )
        .map(Result::unwrap)
        .collect();
    let new = csvw::group(ds.into(), &vars);
    let record = csvw::replace(&old, ds.into(), &new);
    let d = Dictionary::new(&record, ds.into());
    let got: Vec<_> = d
        .variables()
        .map(|(t, c)| (t.key(), c.iri.clone().unwrap(), c.name.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "labs".into(),
                "https://ex.org/dataset/1/variables/labs/hba1c".into(),
                "hba1c".into()
            ),
            (
                "visits".into(),
                "https://ex.org/dataset/1/variables/visits/weight-2".into(),
                "Weight".into()
            ),
            (
                "visits".into(),
                "https://ex.org/dataset/1/variables/visits/weight".into(),
                "weight".into()
            ),
        ]
    );
    let labs = &d.tables[0];
    // A table without titles of its own is titled by its name.
    assert_eq!(labs.title.get(""), Some("labs"));
    assert_eq!(d.tables[1].title.get("en"), Some("Visits"));
    assert_eq!(
        labs.columns[0].code_list.as_deref(),
        Some("http://loinc.org/4548-4")
    );
    assert_eq!(labs.columns[0].unit.as_deref(), Some("%"));
    // The old dictionary is gone entirely, the record's other triples stay.
    assert!(!record.iter().any(|t| t.to_string().contains("gone")));
    assert!(
        !record
            .iter()
            .any(|t| t.to_string().contains("https://ex.org/old"))
    );
    assert_eq!(record.len(), new.len() + 1);
}
