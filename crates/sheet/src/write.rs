//! Records written into the template (an empty record list: the template itself).

use crate::layout::{Column, Layout};
use crate::{Bound, MAX_RECORDS, MAX_ROWS, SheetError};
use healthcat_profiles::values::Values;
use healthcat_profiles::{Field, FieldKind};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, Formula, Note, Workbook, Worksheet,
};
use std::collections::HashMap;

/// One record to write: its address and its values for the layout's form.
#[derive(Debug, Clone)]
pub struct Record {
    /// The dataset's IRI.
    pub iri: String,
    /// Its values, one per field of the form.
    pub values: Vec<Values>,
}

/// The code lists' labels: `codes(scheme, lang)` gives `(code IRI, label)` pairs.
pub type Codes<'a> = dyn Fn(&str, &str) -> Vec<(String, String)> + 'a;

/// Labels of one field's codes, each one that names a single code (a label two codes share is
/// written as the code's address).
struct CodeList {
    labels: Vec<String>,
    by_iri: HashMap<String, String>,
}

impl CodeList {
    fn of(schemes: &[String], lang: &str, codes: &Codes<'_>) -> CodeList {
        let pairs: Vec<(String, String)> = schemes.iter().flat_map(|s| codes(s, lang)).collect();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for (_, l) in &pairs {
            *count.entry(l.as_str()).or_default() += 1;
        }
        let by_iri = pairs
            .iter()
            .filter(|(_, l)| count[l.as_str()] == 1)
            .map(|(i, l)| (i.clone(), l.clone()))
            .collect();
        let mut labels: Vec<String> = pairs.iter().map(|(_, l)| l.clone()).collect();
        labels.sort();
        labels.dedup();
        CodeList { labels, by_iri }
    }
}

/// The text of a cell: the values of `field` in `col`, one per line (a prose field's one value
/// per language as it is; two would be joined by an empty line and read back as one).
fn cell_text(field: &Field, values: &Values, col: &Column, codes: Option<&CodeList>) -> String {
    let texts: Vec<&str> = values
        .entries
        .iter()
        .filter(|e| col.lang.is_none_or(|l| e.lang == l))
        .map(|e| match codes.and_then(|c| c.by_iri.get(&e.value)) {
            Some(label) => label.as_str(),
            None => e.value.as_str(),
        })
        .collect();
    texts.join(if field.prose { "\n\n" } else { "\n" })
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> SheetError {
    SheetError::Write(e.to_string())
}

/// The rows of sheet `s` for `records`: each row's cells, by column.
fn rows(
    layout: &Layout,
    s: usize,
    records: &[Record],
    lists: &[Option<CodeList>],
) -> Vec<Vec<String>> {
    let sheet = &layout.sheets[s];
    let row_of = |iri: &str, node: &str, values: &[Values]| -> Vec<String> {
        sheet
            .columns
            .iter()
            .enumerate()
            .map(|(c, col)| match (col.key.as_str(), col.field) {
                ("@id", None) if sheet.group.is_none() => iri.to_owned(),
                ("@id", None) => node
                    .strip_prefix('<')
                    .and_then(|n| n.strip_suffix('>'))
                    .unwrap_or(node)
                    .to_owned(),
                (_, None) => iri.to_owned(),
                (_, Some(i)) => cell_text(&sheet.fields[i], &values[i], col, lists[c].as_ref()),
            })
            .collect()
    };
    let mut out = Vec::new();
    for r in records {
        match sheet.group {
            None => out.push(row_of(&r.iri, "", &r.values)),
            Some(g) => {
                for inst in &r.values[g].groups {
                    out.push(row_of(&r.iri, &inst.node, &inst.fields));
                }
            }
        }
    }
    out
}

/// Refuses `records` when the sheets `shown` would hold more than [`crate::read`] reads back:
/// more than [`MAX_RECORDS`] datasets, or more than [`MAX_ROWS`] rows over all sheets.
fn within_bounds(
    layout: &Layout,
    records: &[Record],
    shown: impl Iterator<Item = usize>,
) -> Result<(), SheetError> {
    if records.len() > MAX_RECORDS {
        return Err(SheetError::TooMany {
            bound: Bound::Records,
            rows: records.len(),
        });
    }
    let rows: usize = shown
        .map(|s| match layout.sheets[s].group {
            None => records.len(),
            Some(g) => records.iter().map(|r| r.values[g].groups.len()).sum(),
        })
        .sum();
    if rows > MAX_ROWS {
        return Err(SheetError::TooMany {
            bound: Bound::Rows,
            rows,
        });
    }
    Ok(())
}

/// The code list of each column of sheet `s`, when it shows a code field.
fn lists_of(layout: &Layout, s: usize, lang: &str, codes: &Codes<'_>) -> Vec<Option<CodeList>> {
    let sheet = &layout.sheets[s];
    sheet
        .columns
        .iter()
        .map(|col| match col.field.map(|i| &sheet.fields[i].kind) {
            Some(FieldKind::Code(schemes)) => Some(CodeList::of(schemes, lang, codes)),
            _ => None,
        })
        .collect()
}

pub(crate) fn column_name(c: u16) -> String {
    let mut n = u32::from(c) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push(b'A' + r);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The workbook for `records` (none: the empty template), its headers and code labels in
/// `lang`.
pub fn write_xlsx(
    layout: &Layout,
    records: &[Record],
    lang: &str,
    codes: &Codes<'_>,
) -> Result<Vec<u8>, SheetError> {
    within_bounds(layout, records, 0..layout.sheets.len())?;
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0xDDEBF7);
    let wrap = Format::new().set_text_wrap();
    let names = layout.names(lang);
    // The Codes sheet's columns: one per distinct list, filled after the data sheets.
    let mut code_columns: Vec<(String, Vec<String>)> = Vec::new();
    let mut sheets: Vec<Worksheet> = Vec::new();
    for (s, name) in names.iter().enumerate() {
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(xlsx_error)?;
        let lists = lists_of(layout, s, lang, codes);
        let sheet = &layout.sheets[s];
        for (c, col) in sheet.columns.iter().enumerate() {
            let c16 = u16::try_from(c).map_err(|_| SheetError::Write("too many columns".into()))?;
            ws.write_string_with_format(0, c16, layout.header(s, c, lang), &header)
                .map_err(xlsx_error)?;
            ws.set_column_width(c16, if col.field.is_none() { 40 } else { 28 })
                .map_err(xlsx_error)?;
            if let Some(f) = col.field.map(|i| &sheet.fields[i])
                && let Some(help) = f.help.get(lang).or_else(|| f.help.get("en"))
            {
                ws.insert_note(0, c16, &Note::new(help).set_author("healthcat"))
                    .map_err(xlsx_error)?;
            }
            if let Some(list) = &lists[c] {
                let at = match code_columns.iter().position(|(_, l)| *l == list.labels) {
                    Some(i) => i,
                    None => {
                        code_columns.push((col.key.clone(), list.labels.clone()));
                        code_columns.len() - 1
                    }
                };
                let letter = column_name(u16::try_from(at).unwrap_or(0));
                let last = list.labels.len().max(1) + 1;
                let rule = DataValidation::new()
                    .allow_list_formula(Formula::new(format!(
                        "=Codes!${letter}$2:${letter}${last}"
                    )))
                    .set_error_style(DataValidationErrorStyle::Information);
                let last_row = u32::try_from(MAX_ROWS).unwrap_or(u32::MAX);
                ws.add_data_validation(1, c16, last_row, c16, &rule)
                    .map_err(xlsx_error)?;
            }
        }
        ws.set_freeze_panes(1, 1).map_err(xlsx_error)?;
        for (r, cells) in rows(layout, s, records, &lists).iter().enumerate() {
            let r32 =
                u32::try_from(r + 1).map_err(|_| SheetError::Write("too many rows".into()))?;
            for (c, text) in cells.iter().enumerate() {
                if !text.is_empty() {
                    let c16 = u16::try_from(c).unwrap_or(u16::MAX);
                    ws.write_string_with_format(r32, c16, text, &wrap)
                        .map_err(xlsx_error)?;
                }
            }
        }
        sheets.push(ws);
    }
    for ws in sheets {
        book.push_worksheet(ws);
    }
    let codes_sheet = book.add_worksheet();
    codes_sheet.set_name("Codes").map_err(xlsx_error)?;
    for (c, (key, labels)) in code_columns.iter().enumerate() {
        let c16 = u16::try_from(c).unwrap_or(u16::MAX);
        codes_sheet
            .write_string_with_format(0, c16, key, &header)
            .map_err(xlsx_error)?;
        codes_sheet.set_column_width(c16, 36).map_err(xlsx_error)?;
        for (r, l) in labels.iter().enumerate() {
            let r32 = u32::try_from(r + 1).unwrap_or(u32::MAX);
            codes_sheet.write_string(r32, c16, l).map_err(xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// The datasets' sheet for `records` as CSV (UTF-8, comma-separated), headers and code labels
/// in `lang`.
pub fn write_csv(
    layout: &Layout,
    records: &[Record],
    lang: &str,
    codes: &Codes<'_>,
) -> Result<Vec<u8>, SheetError> {
    within_bounds(layout, records, std::iter::once(0))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| SheetError::Write(e.to_string());
    let headers: Vec<String> = (0..layout.sheets[0].columns.len())
        .map(|c| layout.header(0, c, lang))
        .collect();
    w.write_record(&headers).map_err(err)?;
    let lists = lists_of(layout, 0, lang, codes);
    for row in rows(layout, 0, records, &lists) {
        w.write_record(&row).map_err(err)?;
    }
    w.into_inner().map_err(|e| SheetError::Write(e.to_string()))
}
