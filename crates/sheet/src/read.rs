//! A filled-in template read back: bounded, and every problem placed at its sheet, row and
//! column.

use crate::issue::{Bound, Issue};
use crate::layout::{Layout, key_of};
use crate::write::{Codes, column_name as letter};
use crate::{Kind, LANGS, MAX_CELL, MAX_PARTS, MAX_RECORDS, MAX_ROWS, MAX_UNPACKED, SheetError};
use calamine::{DataRef, Reader, Xlsx};
use healthcat_profiles::values::{Entry, Group, Values};
use healthcat_profiles::{Field, FieldKind};
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read as _};

/// Where something is in the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The sheet's name.
    pub sheet: String,
    /// The row, counted from 1 as the spreadsheet shows it.
    pub row: usize,
    /// The column's letter and header, when the place is a cell.
    pub column: Option<(String, String)>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sheet \"{}\", row {}", self.sheet, self.row)?;
        match &self.column {
            Some((letter, header)) if header.is_empty() => write!(f, ", column {letter}")?,
            Some((letter, header)) => write!(f, ", column {letter} \"{header}\"")?,
            None => {}
        }
        Ok(())
    }
}

/// Something wrong at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub at: Place,
    /// What, and what to do.
    pub issue: Issue,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.issue)
    }
}

/// One dataset's row (with its groups' rows).
#[derive(Debug, Clone)]
pub struct Row {
    /// The dataset's IRI.
    pub iri: String,
    /// Its row on the first sheet.
    pub at: Place,
    /// Its values, one per field of [`Read::shown`].
    pub values: Vec<Values>,
    /// The cell of each field, by the name [`healthcat_profiles::values::write`] gives it
    /// (`f3`, `f7.0.f2`, `f7.0.iri`).
    pub places: HashMap<String, Place>,
}

/// A workbook read.
#[derive(Debug, Clone)]
pub struct Read {
    /// The form's fields the workbook shows, in the form's order; a group keeps the fields its
    /// sheet shows. What it does not show is left as it is.
    pub shown: Vec<Field>,
    /// The datasets, in the order of the first sheet.
    pub rows: Vec<Row>,
    /// What could not be read; nothing should be applied while there is one.
    pub problems: Vec<Problem>,
}

/// One sheet's cells as text, row by row (the header first).
struct Grid {
    name: String,
    cells: Vec<Vec<String>>,
}

fn too_large(name: &str, bound: Bound, at: String) -> SheetError {
    SheetError::TooLarge {
        name: name.to_owned(),
        bound,
        at,
    }
}

/// Unpacks every part once, counting, before the spreadsheet reader sees it: a workbook that
/// unpacks to more than [`MAX_UNPACKED`] bytes or holds more than [`MAX_PARTS`] parts is
/// refused, whatever its parts claim their sizes are.
fn check_unpacked(name: &str, bytes: &[u8]) -> Result<(), SheetError> {
    let unreadable = |detail: String| SheetError::Unreadable {
        name: name.to_owned(),
        kind: "XLSX",
        detail,
    };
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(too_large(
            name,
            Bound::Parts,
            format!("{} parts", zip.len()),
        ));
    }
    let mut total: u64 = 0;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| unreadable(e.to_string()))?;
        let part_name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        loop {
            let n = part
                .read(&mut sink)
                .map_err(|e| unreadable(format!("{part_name}: {e}")))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_UNPACKED {
                return Err(too_large(name, Bound::Unpacked, part_name));
            }
        }
    }
    Ok(())
}

/// Days from Excel's epoch (1900 system) to an ISO date, with the time when there is one.
fn excel_date(serial: f64) -> Option<String> {
    let days = serial.floor();
    let base = jiff::civil::date(1899, 12, 30);
    let date = base.checked_add(jiff::Span::new().days(days as i64)).ok()?;
    let seconds = ((serial - days) * 86_400.0).round() as i64;
    if seconds == 0 {
        return Some(date.to_string());
    }
    let t = jiff::civil::Time::midnight()
        .checked_add(jiff::Span::new().seconds(seconds))
        .ok()?;
    Some(jiff::civil::DateTime::from_parts(date, t).to_string())
}

fn text_of(v: &DataRef<'_>) -> Result<String, Issue> {
    Ok(match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => excel_date(d.as_f64()).ok_or(Issue::BadDate)?,
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => {
            return Err(Issue::CellError {
                error: e.to_string(),
            });
        }
        DataRef::Empty => String::new(),
    })
}

/// The XLSX workbook's sheets as text; formulas, merged cells and errors are problems.
fn xlsx_grids(
    name: &str,
    bytes: &[u8],
    problems: &mut Vec<Problem>,
) -> Result<Vec<Grid>, SheetError> {
    check_unpacked(name, bytes)?;
    let unreadable = |detail: String| SheetError::Unreadable {
        name: name.to_owned(),
        kind: "XLSX",
        detail,
    };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let mut grids = Vec::new();
    let mut rows_seen = 0usize;
    for sheet in book.sheet_names() {
        if sheet == "Codes" {
            continue;
        }
        for m in book
            .merge_cells_by_sheet_name(&sheet)
            .map_err(|e| unreadable(e.to_string()))?
        {
            let range = format!(
                "{}{}:{}{}",
                letter(u16::try_from(m.start.1).unwrap_or(u16::MAX)),
                m.start.0 + 1,
                letter(u16::try_from(m.end.1).unwrap_or(u16::MAX)),
                m.end.0 + 1
            );
            problems.push(Problem {
                at: Place {
                    sheet: sheet.clone(),
                    row: m.start.0 as usize + 1,
                    column: None,
                },
                issue: Issue::Merged { range },
            });
        }
        let mut cells: Vec<Vec<String>> = Vec::new();
        // The first sheet's rows are datasets; the others', their groups' values.
        let (limit, bound) = if grids.is_empty() {
            (MAX_RECORDS, Bound::Records)
        } else {
            (MAX_ROWS, Bound::Rows)
        };
        let mut reader = book
            .worksheet_cells_reader(&sheet)
            .map_err(|e| unreadable(e.to_string()))?;
        while let Some(cell) = reader
            .next_cell_with_formula()
            .map_err(|e| unreadable(format!("sheet \"{sheet}\": {e}")))?
        {
            let (r, c) = (cell.pos.0 as usize, cell.pos.1 as usize);
            let at = || Place {
                sheet: sheet.clone(),
                row: r + 1,
                column: Some((
                    letter(u16::try_from(c).unwrap_or(u16::MAX)),
                    cells
                        .first()
                        .and_then(|h: &Vec<String>| h.get(c))
                        .cloned()
                        .unwrap_or_default(),
                )),
            };
            if r > limit {
                return Err(too_large(
                    name,
                    bound,
                    format!("sheet \"{sheet}\", row {}", r + 1),
                ));
            }
            if let Some(f) = &cell.formula
                && !f.is_empty()
            {
                problems.push(Problem {
                    at: at(),
                    issue: Issue::Formula { formula: f.clone() },
                });
                continue;
            }
            let text = match text_of(&cell.value) {
                Ok(t) => t,
                Err(issue) => {
                    problems.push(Problem { at: at(), issue });
                    continue;
                }
            };
            if text.is_empty() {
                continue;
            }
            if cells.len() <= r {
                cells.resize_with(r + 1, Vec::new);
            }
            let row = &mut cells[r];
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = text;
        }
        rows_seen += cells.len().saturating_sub(1);
        if rows_seen > MAX_ROWS {
            return Err(too_large(name, Bound::Rows, format!("sheet \"{sheet}\"")));
        }
        grids.push(Grid { name: sheet, cells });
    }
    Ok(grids)
}

/// The CSV file as one sheet (UTF-8, with or without a byte order mark; `,` or `;`).
fn csv_grid(name: &str, bytes: &[u8]) -> Result<Grid, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semicolons = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if semicolons > commas { b';' } else { b',' })
        .from_reader(bytes);
    let mut cells = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i > MAX_RECORDS {
            return Err(too_large(name, Bound::Records, format!("row {}", i + 1)));
        }
        let record = record.map_err(|e| SheetError::Unreadable {
            name: name.to_owned(),
            kind: "CSV",
            detail: format!("row {}: {e} (the file must be UTF-8)", i + 1),
        })?;
        cells.push(record.iter().map(str::to_owned).collect());
    }
    Ok(Grid {
        name: name.to_owned(),
        cells,
    })
}

/// One sheet's header: the layout column each spreadsheet column is (`None`: empty header).
fn header_map(
    layout: &Layout,
    s: usize,
    grid: &Grid,
    problems: &mut Vec<Problem>,
) -> Vec<Option<usize>> {
    let sheet = &layout.sheets[s];
    let empty = Vec::new();
    let header = grid.cells.first().unwrap_or(&empty);
    let mut seen = HashSet::new();
    header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            if h.trim().is_empty() {
                return None;
            }
            let key = key_of(h);
            let at = Place {
                sheet: grid.name.clone(),
                row: 1,
                column: Some((letter(u16::try_from(c).unwrap_or(u16::MAX)), h.clone())),
            };
            let found = sheet
                .columns
                .iter()
                .position(|col| col.key == key)
                .or_else(|| {
                    // A header typed by hand, without its key: the label in either language.
                    let typed = h.trim();
                    (0..sheet.columns.len()).find(|&i| {
                        LANGS.iter().any(|l| {
                            let full = layout.header(s, i, l);
                            let plain = full.rsplit_once(" [").map_or(full.as_str(), |(p, _)| p);
                            plain == typed || plain.trim_end_matches(" *") == typed
                        })
                    })
                });
            match found {
                Some(i) if !seen.insert(i) => {
                    problems.push(Problem {
                        at,
                        issue: Issue::SecondColumn {
                            key: sheet.columns[i].key.clone(),
                        },
                    });
                    None
                }
                Some(i) => Some(i),
                None => {
                    problems.push(Problem {
                        at,
                        issue: Issue::UnknownColumn,
                    });
                    None
                }
            }
        })
        .collect()
}

/// Reads code labels back to their IRIs, for one field.
struct CodeIndex {
    by_label: HashMap<String, Vec<String>>,
    iris: HashSet<String>,
}

impl CodeIndex {
    fn of(schemes: &[String], codes: &Codes<'_>) -> CodeIndex {
        let mut by_label: HashMap<String, Vec<String>> = HashMap::new();
        let mut iris = HashSet::new();
        for s in schemes {
            for l in LANGS {
                for (iri, label) in codes(s, l) {
                    let list = by_label.entry(label.trim().to_lowercase()).or_default();
                    if !list.contains(&iri) {
                        list.push(iri.clone());
                    }
                    iris.insert(iri);
                }
            }
        }
        CodeIndex { by_label, iris }
    }

    fn resolve(&self, text: &str) -> Result<String, Issue> {
        if self.iris.contains(text) {
            return Ok(text.to_owned());
        }
        match self
            .by_label
            .get(&text.trim().to_lowercase())
            .map(Vec::as_slice)
        {
            Some([one]) => Ok(one.clone()),
            Some(many) => Err(Issue::SeveralCodes {
                text: text.to_owned(),
                codes: many.join(", "),
            }),
            // An address from outside the bundled lists is left to validation to judge.
            None if text.contains("://") && !text.contains(char::is_whitespace) => {
                Ok(text.to_owned())
            }
            None => Err(Issue::NotACode {
                text: text.to_owned(),
            }),
        }
    }
}

/// The entries of one cell for `field` (in `lang` for a text column).
fn entries(
    field: &Field,
    text: &str,
    lang: Option<&str>,
    codes: Option<&CodeIndex>,
) -> Result<Vec<Entry>, Issue> {
    if text.chars().count() > MAX_CELL {
        return Err(Issue::TooLong);
    }
    let parts: Vec<&str> = if field.prose {
        vec![text.trim()]
    } else {
        text.lines().map(str::trim).collect()
    };
    let mut out = Vec::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        let value = match codes {
            Some(c) => c.resolve(p)?,
            None => p.to_owned(),
        };
        out.push(Entry {
            value,
            lang: lang.unwrap_or("").to_owned(),
        });
    }
    Ok(out)
}

/// What one sheet shows: the layout column of each spreadsheet column, and the code index of
/// each code column.
struct Shown {
    columns: Vec<Option<usize>>,
    codes: HashMap<usize, CodeIndex>,
}

fn shown_of(
    layout: &Layout,
    s: usize,
    grid: &Grid,
    codes: &Codes<'_>,
    problems: &mut Vec<Problem>,
) -> Shown {
    let columns = header_map(layout, s, grid, problems);
    let sheet = &layout.sheets[s];
    let mut index = HashMap::new();
    for c in columns.iter().flatten() {
        if let Some(i) = sheet.columns[*c].field
            && let FieldKind::Code(schemes) = &sheet.fields[i].kind
        {
            index.insert(*c, CodeIndex::of(schemes, codes));
        }
    }
    // A text field's columns go together: one language without the other would leave that one
    // as it was, or drop it — neither is what the sheet says.
    for (i, f) in sheet.fields.iter().enumerate() {
        if f.kind != FieldKind::Text {
            continue;
        }
        let of_field: Vec<usize> = (0..sheet.columns.len())
            .filter(|&c| sheet.columns[c].field == Some(i))
            .collect();
        let present: Vec<&usize> = of_field
            .iter()
            .filter(|c| columns.contains(&Some(**c)))
            .collect();
        if !present.is_empty() && present.len() < of_field.len() {
            for c in of_field.iter().filter(|c| !columns.contains(&Some(**c))) {
                problems.push(Problem {
                    at: Place {
                        sheet: grid.name.clone(),
                        row: 1,
                        column: None,
                    },
                    issue: Issue::MissingLanguage {
                        key: sheet.columns[*c].key.clone(),
                    },
                });
            }
        }
    }
    Shown {
        columns,
        codes: index,
    }
}

/// The fields (of `sheet_fields`) a sheet's columns show, by index.
fn fields_shown(layout: &Layout, s: usize, shown: &Shown) -> Vec<usize> {
    let mut list: Vec<usize> = shown
        .columns
        .iter()
        .flatten()
        .filter_map(|c| layout.sheets[s].columns[*c].field)
        .collect();
    list.sort_unstable();
    list.dedup();
    list
}

/// The values of one row of sheet `s` for its fields `which` (by index in the sheet's fields),
/// with each field's place, named `{prefix}f{k}` where `k` is its place in `which`.
#[allow(clippy::too_many_arguments)]
fn row_values(
    layout: &Layout,
    s: usize,
    grid: &Grid,
    r: usize,
    shown: &Shown,
    which: &[usize],
    prefix: &str,
    places: &mut HashMap<String, Place>,
    problems: &mut Vec<Problem>,
) -> Vec<Values> {
    let sheet = &layout.sheets[s];
    let mut values = vec![Values::default(); which.len()];
    let row = &grid.cells[r];
    let header = &grid.cells[0];
    for (c, col) in shown.columns.iter().enumerate() {
        let Some(col) = col else { continue };
        let Some(i) = sheet.columns[*col].field else {
            continue;
        };
        let Some(k) = which.iter().position(|w| *w == i) else {
            continue;
        };
        let place = Place {
            sheet: grid.name.clone(),
            row: r + 1,
            column: Some((
                letter(u16::try_from(c).unwrap_or(u16::MAX)),
                header.get(c).cloned().unwrap_or_default(),
            )),
        };
        places
            .entry(format!("{prefix}f{k}"))
            .or_insert_with(|| place.clone());
        let text = row.get(c).map_or("", String::as_str);
        match entries(
            &sheet.fields[i],
            text,
            sheet.columns[*col].lang,
            shown.codes.get(col),
        ) {
            Ok(e) => values[k].entries.extend(e),
            Err(issue) => problems.push(Problem { at: place, issue }),
        }
    }
    values
}

fn cell<'a>(
    grid: &'a Grid,
    shown: &Shown,
    layout: &Layout,
    s: usize,
    r: usize,
    key: &str,
) -> Option<(usize, &'a str)> {
    let c = shown
        .columns
        .iter()
        .position(|col| col.is_some_and(|col| layout.sheets[s].columns[col].key == key))?;
    Some((c, grid.cells[r].get(c).map_or("", |t| t.trim())))
}

fn blank_row(row: &[String]) -> bool {
    row.iter().all(|t| t.trim().is_empty())
}

/// Reads a filled-in template (`name` is the file's name, for messages).
pub fn read(
    name: &str,
    bytes: &[u8],
    kind: Kind,
    layout: &Layout,
    codes: &Codes<'_>,
) -> Result<Read, SheetError> {
    let mut problems = Vec::new();
    let grids = match kind {
        Kind::Xlsx => xlsx_grids(name, bytes, &mut problems)?,
        Kind::Csv => vec![csv_grid(name, bytes)?],
    };
    // Which layout sheet each workbook sheet is: the first is the datasets'.
    let names: Vec<Vec<String>> = LANGS.iter().map(|l| layout.names(l)).collect();
    let mut assigned: Vec<(usize, &Grid)> = Vec::new();
    for (g, grid) in grids.iter().enumerate() {
        if grid.cells.is_empty() {
            continue;
        }
        let s = if g == 0 {
            Some(0)
        } else {
            (1..layout.sheets.len()).find(|&s| names.iter().any(|n| n[s] == grid.name))
        };
        match s {
            Some(s) if assigned.iter().any(|(t, _)| *t == s) => problems.push(Problem {
                at: Place {
                    sheet: grid.name.clone(),
                    row: 1,
                    column: None,
                },
                issue: Issue::SecondSheet,
            }),
            Some(s) => assigned.push((s, grid)),
            None => problems.push(Problem {
                at: Place {
                    sheet: grid.name.clone(),
                    row: 1,
                    column: None,
                },
                issue: Issue::UnknownSheet {
                    sheets: names[0][1..].join(", "),
                },
            }),
        }
    }
    let Some((_, main)) = assigned.iter().find(|(s, _)| *s == 0) else {
        return Err(SheetError::NotTemplate {
            name: name.to_owned(),
        });
    };
    let main_shown = shown_of(layout, 0, main, codes, &mut problems);
    if cell(main, &main_shown, layout, 0, 0, "@id").is_none() {
        return Err(SheetError::NotTemplate {
            name: name.to_owned(),
        });
    }
    // The fields shown: the datasets' sheet's, then the groups with a sheet, in form order.
    let mut top = fields_shown(layout, 0, &main_shown);
    let mut group_sheets: Vec<(usize, &Grid, Shown, Vec<usize>)> = Vec::new();
    for (s, grid) in assigned.iter().filter(|(s, _)| *s != 0) {
        let shown = shown_of(layout, *s, grid, codes, &mut problems);
        let sub = fields_shown(layout, *s, &shown);
        if let Some(g) = layout.sheets[*s].group {
            top.push(g);
            group_sheets.push((*s, grid, shown, sub));
        }
    }
    top.sort_unstable();
    let shown_fields: Vec<Field> = top
        .iter()
        .map(|&i| {
            let mut f = layout.form[i].clone();
            if let FieldKind::Group { class, fields } = &f.kind
                && let Some((_, _, _, sub)) = group_sheets
                    .iter()
                    .find(|(s, ..)| layout.sheets[*s].group == Some(i))
            {
                f.kind = FieldKind::Group {
                    class: class.clone(),
                    fields: sub.iter().map(|j| fields[*j].clone()).collect(),
                };
            }
            f
        })
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    let mut by_iri: HashMap<String, usize> = HashMap::new();
    for r in 1..main.cells.len() {
        if blank_row(&main.cells[r]) {
            continue;
        }
        let (c, iri) = cell(main, &main_shown, layout, 0, r, "@id").unwrap_or((0, ""));
        let at = Place {
            sheet: main.name.clone(),
            row: r + 1,
            column: Some((
                letter(u16::try_from(c).unwrap_or(u16::MAX)),
                main.cells[0].get(c).cloned().unwrap_or_default(),
            )),
        };
        if !(iri.starts_with("http://") || iri.starts_with("https://"))
            || iri.contains(char::is_whitespace)
        {
            problems.push(Problem {
                at,
                issue: if iri.is_empty() {
                    Issue::NoAddress
                } else {
                    Issue::NotHttp {
                        iri: iri.to_owned(),
                    }
                },
            });
            continue;
        }
        if let Some(first) = by_iri.get(iri) {
            problems.push(Problem {
                issue: Issue::SecondRow {
                    iri: iri.to_owned(),
                    row: rows[*first].at.row,
                },
                at,
            });
            continue;
        }
        let mut places = HashMap::new();
        let which: Vec<usize> = top.clone();
        let values = row_values(
            layout,
            0,
            main,
            r,
            &main_shown,
            &which,
            "",
            &mut places,
            &mut problems,
        );
        by_iri.insert(iri.to_owned(), rows.len());
        rows.push(Row {
            iri: iri.to_owned(),
            at,
            values,
            places,
        });
    }
    for (s, grid, shown, sub) in &group_sheets {
        let g = layout.sheets[*s].group.unwrap_or(0);
        let k_top = top.iter().position(|t| *t == g).unwrap_or(0);
        for r in 1..grid.cells.len() {
            if blank_row(&grid.cells[r]) {
                continue;
            }
            let (c, dataset) = cell(grid, shown, layout, *s, r, "@dataset").unwrap_or((0, ""));
            let at = Place {
                sheet: grid.name.clone(),
                row: r + 1,
                column: Some((
                    letter(u16::try_from(c).unwrap_or(u16::MAX)),
                    grid.cells[0].get(c).cloned().unwrap_or_default(),
                )),
            };
            let Some(&d) = by_iri.get(dataset) else {
                problems.push(Problem {
                    at,
                    issue: if dataset.is_empty() {
                        Issue::NoDataset
                    } else {
                        Issue::NotOnFirstSheet {
                            iri: dataset.to_owned(),
                        }
                    },
                });
                continue;
            };
            let node = match cell(grid, shown, layout, *s, r, "@id").map(|(_, t)| t) {
                None | Some("") => String::new(),
                Some(t) if t.starts_with("_:") => t.to_owned(),
                Some(t) => format!("<{t}>"),
            };
            let row = &mut rows[d];
            let k = row.values[k_top].groups.len();
            let prefix = format!("f{k_top}.{k}.");
            if let Some((c, _)) = cell(grid, shown, layout, *s, r, "@id") {
                row.places.insert(
                    format!("{prefix}iri"),
                    Place {
                        sheet: grid.name.clone(),
                        row: r + 1,
                        column: Some((
                            letter(u16::try_from(c).unwrap_or(u16::MAX)),
                            grid.cells[0].get(c).cloned().unwrap_or_default(),
                        )),
                    },
                );
            }
            let fields = row_values(
                layout,
                *s,
                grid,
                r,
                shown,
                sub,
                &prefix,
                &mut row.places,
                &mut problems,
            );
            row.values[k_top].groups.push(Group { node, fields });
        }
    }
    Ok(Read {
        shown: shown_fields,
        rows,
        problems,
    })
}
