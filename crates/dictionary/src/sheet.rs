//! A file's cells as text with their places, whatever the format: CSV with the `csv` crate,
//! XLSX with `calamine` (streamed, after the archive's parts were inflated once with a cap).

use crate::{DictionaryError, Limits, Place, Problem};
use calamine::{DataRef, Reader, Xlsx};
use std::io::{Cursor, Read};

/// The rows of one sheet: `(row number, cells)`, the header first; empty rows left out.
pub(crate) struct Sheet {
    /// `None` for CSV.
    pub name: Option<String>,
    pub rows: Vec<(usize, Vec<String>)>,
    /// Cells that could not be read as text, found while reading.
    pub problems: Vec<Problem>,
    /// Merged regions (XLSX): (first row, first column) to (last row, last column), 0-based.
    pub merged: Vec<calamine::Dimensions>,
}

impl Sheet {
    pub(crate) fn place(&self, row: usize, column: Option<String>) -> Place {
        Place {
            sheet: self.name.clone(),
            row,
            column,
        }
    }

    /// Records a problem; `false` once the file has too many variables to go on.
    fn push_row(&mut self, row: usize, cells: Vec<String>, limits: &Limits) -> bool {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return true;
        }
        // The header and at most `max_variables` rows.
        if self.rows.len() > limits.max_variables {
            let place = self.place(row, None);
            self.problems.push(Problem {
                place,
                message: format!(
                    "more than {} variables: a dataset's dictionary may list at most {} (the rest of the file was not read)",
                    limits.max_variables, limits.max_variables
                ),
            });
            return false;
        }
        self.rows.push((row, cells));
        true
    }
}

/// A column's letters (`A`, `B`, … `AA`) from its 0-based index.
pub(crate) fn letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

pub(crate) fn csv(bytes: &[u8], limits: &Limits) -> Result<Sheet, DictionaryError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut sheet = Sheet {
        name: None,
        rows: Vec::new(),
        problems: Vec::new(),
        merged: Vec::new(),
    };
    // Encoding first, line by line, so the error names the line.
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if let Err(e) = std::str::from_utf8(line) {
            let place = sheet.place(i + 1, None);
            return Err(DictionaryError::Invalid {
                problems: vec![Problem {
                    place,
                    message: format!(
                        "byte {} is not UTF-8: save the file as \"CSV UTF-8\" (or upload the XLSX workbook)",
                        e.valid_up_to() + 1
                    ),
                }],
                more: 0,
            });
        }
    }
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| header.iter().filter(|b| **b == c).count();
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|c| count(*c))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    for record in reader.records() {
        match record {
            Ok(r) => {
                // From the byte offset: the csv crate's own line count skips blank lines.
                let row = r.position().map_or(0, |p| line_of(bytes, p.byte()));
                let cells = r.iter().map(str::to_owned).collect();
                if !sheet.push_row(row, cells, limits) {
                    break;
                }
            }
            Err(e) => {
                let row = e.position().map_or(0, |p| line_of(bytes, p.byte()));
                let place = sheet.place(row, None);
                sheet.problems.push(Problem {
                    place,
                    message: format!("not readable as CSV ({e})"),
                });
                break;
            }
        }
    }
    Ok(sheet)
}

/// The 1-based line of a byte offset.
fn line_of(bytes: &[u8], offset: u64) -> usize {
    let mut end = (offset as usize).min(bytes.len());
    // A record's position may be that of the blank lines before it, which the reader skips.
    while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    bytes[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// Inflates every part of the archive once, counting, before calamine reads it: a part that
/// inflates past the cap, or past the size its directory declares, stops the reading.
fn check_archive(bytes: &[u8], limits: &Limits) -> Result<(), DictionaryError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| DictionaryError::Workbook(format!("not a zip archive ({e})")))?;
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 << 10];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| DictionaryError::Workbook(e.to_string()))?;
        let name = String::from_utf8_lossy(part.name_raw()).into_owned();
        let declared = part.size();
        let mut read: u64 = 0;
        loop {
            let n = part.read(&mut buf).map_err(|e| DictionaryError::Archive {
                part: name.clone(),
                why: format!("cannot be inflated ({e})"),
            })?;
            if n == 0 {
                break;
            }
            read += n as u64;
            if total + read > limits.max_inflated {
                return Err(DictionaryError::Archive {
                    part: name,
                    why: format!(
                        "inflates the workbook past {} MiB (a zip bomb, or a workbook far larger than a dictionary)",
                        limits.max_inflated >> 20
                    ),
                });
            }
            if read > declared {
                return Err(DictionaryError::Archive {
                    part: name,
                    why: format!("inflates past the {declared} bytes its directory declares"),
                });
            }
        }
        total += read;
    }
    Ok(())
}

pub(crate) fn xlsx(bytes: &[u8], limits: &Limits) -> Result<Sheet, DictionaryError> {
    check_archive(bytes, limits)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| DictionaryError::Workbook(e.to_string()))?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case("variables"))
        .or(names.first())
        .cloned()
        .ok_or_else(|| DictionaryError::Workbook("the workbook has no sheet".into()))?;
    let mut sheet = Sheet {
        name: Some(name.clone()),
        rows: Vec::new(),
        problems: Vec::new(),
        merged: Vec::new(),
    };
    // Merged cells below the header: only `table` cells may be merged (a blank `table` repeats
    // the row above); elsewhere each variable needs its own value. Columns are checked against
    // the header once it is read (`rows.rs`); here the regions are kept.
    let merged: Vec<calamine::Dimensions> = book
        .merge_cells_by_sheet_name(&name)
        .map_err(|e| DictionaryError::Workbook(e.to_string()))?
        .into_iter()
        .filter(|d| d.end.0 > d.start.0 || d.end.1 > d.start.1)
        .collect();
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|e| DictionaryError::Workbook(e.to_string()))?;
    let mut row: Option<(u32, Vec<String>)> = None;
    let mut go_on = true;
    while go_on {
        let cell = match cells.next_cell_with_formula() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(DictionaryError::Workbook(e.to_string())),
        };
        let (r, c) = cell.pos;
        if row.as_ref().is_some_and(|(n, _)| *n != r)
            && let Some((n, done)) = row.take()
        {
            go_on = sheet.push_row(n as usize + 1, done, limits);
            if !go_on {
                break;
            }
        }
        let (_, current) = row.get_or_insert_with(|| (r, Vec::new()));
        let place = |sheet: &Sheet| sheet.place(r as usize + 1, Some(letters(c as usize)));
        let text = if let Some(f) = cell.formula.filter(|f| !f.is_empty()) {
            let place = place(&sheet);
            sheet.problems.push(Problem {
                place,
                message: format!("a formula (={f}): type the value itself"),
            });
            String::new()
        } else {
            match cell.value {
                DataRef::String(s) => s,
                DataRef::SharedString(s) => s.to_owned(),
                DataRef::Int(i) => i.to_string(),
                DataRef::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => {
                    format!("{}", x as i64)
                }
                DataRef::Float(x) => x.to_string(),
                DataRef::Bool(b) => b.to_string(),
                DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
                DataRef::DateTime(_) => {
                    let place = place(&sheet);
                    sheet.problems.push(Problem {
                        place,
                        message: "a date where text is expected: format the cell as text".into(),
                    });
                    String::new()
                }
                DataRef::Error(e) => {
                    let place = place(&sheet);
                    sheet.problems.push(Problem {
                        place,
                        message: format!("the cell shows an error ({e}): type the value"),
                    });
                    String::new()
                }
                DataRef::Empty => String::new(),
            }
        };
        let c = c as usize;
        if current.len() <= c {
            current.resize(c + 1, String::new());
        }
        current[c] = text;
    }
    if go_on && let Some((n, done)) = row.take() {
        sheet.push_row(n as usize + 1, done, limits);
    }
    drop(cells);
    sheet.merged = merged;
    Ok(sheet)
}
