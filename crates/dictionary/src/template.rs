//! The dictionary template a steward fills: the header [`crate::read`] expects and two example
//! rows, as CSV or as an XLSX workbook (a `variables` sheet with a drop-down of the CSVW
//! datatypes, a `datatypes` sheet the drop-down reads, a `help` sheet saying what each column is).

use crate::{COLUMNS, DATATYPES};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};

/// The template's headings, in order.
pub const HEADINGS: [&str; 9] = [
    "table",
    "name",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "datatype",
    "unit",
    "code_list",
];

const EXAMPLES: [[&str; 9]; 2] = [
    [
        "visits",
        "weight",
        "Poids",
        "Weight",
        "Poids mesuré à la visite",
        "Body weight measured at the visit",
        "decimal",
        "kg",
        "",
    ],
    [
        "visits",
        "diagnosis",
        "Diagnostic principal",
        "Main diagnosis",
        "Diagnostic principal de la visite",
        "Main diagnosis of the visit",
        "string",
        "",
        "http://id.who.int/icd/release/10",
    ],
];

/// The template as CSV (UTF-8, comma-separated).
pub fn csv() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory does not fail.
    let _ = w.write_record(HEADINGS);
    for row in EXAMPLES {
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

/// The template as an XLSX workbook.
pub fn xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("variables")?;
    for (c, h) in HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, if c >= 4 { 36 } else { 16 })?;
    }
    for (r, row) in EXAMPLES.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, *v)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let datatype_col = HEADINGS.iter().position(|h| *h == "datatype").unwrap_or(6) as u16;
    let list = DataValidation::new()
        .allow_list_formula(Formula::new(format!(
            "=datatypes!$A$1:$A${}",
            DATATYPES.len()
        )))
        .set_input_message("CSVW datatype")?;
    sheet.add_data_validation(1, datatype_col, 10_000, datatype_col, &list)?;
    let types = book.add_worksheet();
    types.set_name("datatypes")?;
    for (r, d) in DATATYPES.iter().enumerate() {
        types.write_string(r as u32, 0, *d)?;
    }
    let help = book.add_worksheet();
    help.set_name("help")?;
    help.write_string_with_format(0, 0, "column", &bold)?;
    help.write_string_with_format(0, 1, "what it holds", &bold)?;
    help.set_column_width(0, 22)?;
    help.set_column_width(1, 80)?;
    for (r, (name, what)) in COLUMNS.iter().enumerate() {
        help.write_string(r as u32 + 1, 0, *name)?;
        help.write_string(r as u32 + 1, 1, *what)?;
    }
    book.save_to_buffer()
}
