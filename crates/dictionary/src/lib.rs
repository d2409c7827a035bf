//! # healthcat-dictionary
//!
//! A dataset's data dictionary as a data steward keeps it — a spreadsheet, one row per variable —
//! turned into the CSVW description HealthDCAT-AP Release 8 expects under
//! `healthdcatap:hasVariables` (`csvw:TableGroup` → `csvw:Table` → `csvw:Column`, each column with
//! exactly one `csvw:name`, its titles, descriptions and datatype).
//!
//! - [`read`]: a CSV (UTF-8, `,` `;` or tab) or XLSX file (read with `calamine`) into
//!   [`Variable`]s, within [`Limits`]: the file's size, each part of an XLSX archive inflated once
//!   with a cap before anything else reads it (a zip bomb stops there), the number of variables,
//!   the length of a cell. Every problem names the sheet, row and column, and all of a file's
//!   problems are reported at once; formulas, merged cells, dates where text is expected, cell
//!   errors and bytes that are not UTF-8 are refused by name.
//! - [`csvw`]: the variables as a table group's triples, and a record's graph with its dictionary
//!   replaced.
//! - [`template`]: the file to fill, as CSV or as XLSX (a drop-down for the datatype).
//!
//! The columns ([`COLUMNS`]): `table`, `name`, `title_<lang>`, `description_<lang>`,
//! `table_title_<lang>`, `datatype`, `unit`, `code_list`. A blank `table` repeats the row above
//! (so merged `table` cells read as meant).
//!
//! ```
//! use healthcat_dictionary::{Format, Limits, read};
//!
//! let csv = "table;name;title_en;description_en;datatype;unit\n\
//!            visits;weight;Weight;Body weight at the visit;decimal;kg\n";
//! let variables = read(csv.as_bytes(), Format::Csv, &Limits::default())?;
//! assert_eq!(variables[0].name, "weight");
//! assert_eq!(variables[0].unit.as_deref(), Some("kg"));
//! # Ok::<_, healthcat_dictionary::DictionaryError>(())
//! ```
#![warn(missing_docs)]

pub mod csvw;
mod rows;
mod sheet;
pub mod template;

pub use rows::{COLUMNS, DATATYPES, Variable};

use std::fmt;

/// What a dictionary file may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The file's size in bytes (10 MiB).
    pub max_bytes: usize,
    /// What an XLSX archive may inflate to, all parts together (64 MiB).
    pub max_inflated: u64,
    /// Variables in one dictionary (10,000).
    pub max_variables: usize,
    /// Characters in one cell (10,000).
    pub max_cell_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 10 << 20,
            max_inflated: 64 << 20,
            max_variables: 10_000,
            max_cell_chars: 10_000,
        }
    }
}

/// The kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-, semicolon- or tab-separated values, UTF-8.
    Csv,
    /// An Office Open XML workbook.
    Xlsx,
}

impl Format {
    /// The format a media type or a file name says (`text/csv`, `….spreadsheetml.sheet`,
    /// `*.csv`, `*.xlsx`).
    pub fn of(media_type: &str, file_name: &str) -> Option<Format> {
        let media_type = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let name = file_name.to_ascii_lowercase();
        if media_type == XLSX_MEDIA_TYPE || name.ends_with(".xlsx") {
            Some(Format::Xlsx)
        } else if matches!(
            media_type.as_str(),
            "text/csv" | "text/tab-separated-values" | "application/csv"
        ) || name.ends_with(".csv")
            || name.ends_with(".tsv")
        {
            Some(Format::Csv)
        } else {
            None
        }
    }
}

/// The media type of XLSX workbooks.
pub const XLSX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Where a problem is: the sheet (XLSX), the row (1-based, as the spreadsheet numbers it) and the
/// column (its letter and heading) when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The sheet's name; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The row, 1-based (the header is row 1).
    pub row: usize,
    /// The column's heading, or its letter when it has none.
    pub column: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.sheet {
            write!(f, "sheet {s:?}, ")?;
        }
        write!(f, "row {}", self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        Ok(())
    }
}

/// One problem of a file, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub place: Place,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Most problems reported for one file (the rest are counted).
pub const MAX_PROBLEMS: usize = 50;

/// Why a dictionary file was not read. Nothing is written when it is not.
#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    /// The file is larger than [`Limits::max_bytes`].
    #[error(
        "the file is {size} bytes; a dictionary may be at most {max} bytes (split it by table)"
    )]
    TooLarge {
        /// The file's size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// An XLSX archive would inflate past [`Limits::max_inflated`], or a part is not what its
    /// directory says.
    #[error("the XLSX archive's part {part} {why}: the file was not read")]
    Archive {
        /// The part's name in the archive.
        part: String,
        /// What is wrong with it.
        why: String,
    },
    /// The file is not a workbook calamine can read, or has no sheet.
    #[error("not a readable XLSX workbook: {0}")]
    Workbook(String),
    /// Rows or cells are wrong; each problem names its place.
    #[error("{}", problems_text(.problems, *.more))]
    Invalid {
        /// The first [`MAX_PROBLEMS`] problems, in file order.
        problems: Vec<Problem>,
        /// How many more there were.
        more: usize,
    },
}

fn problems_text(problems: &[Problem], more: usize) -> String {
    let mut s = match problems.len() + more {
        1 => String::from("1 problem: "),
        n => format!("{n} problems: "),
    };
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    s.push_str(&list.join("; "));
    if more > 0 {
        s.push_str(&format!("; and {more} more"));
    }
    s
}

/// Reads a dictionary file into its variables, in file order, or every problem it has.
pub fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Vec<Variable>, DictionaryError> {
    if bytes.len() > limits.max_bytes {
        return Err(DictionaryError::TooLarge {
            size: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let sheet = match format {
        Format::Csv => sheet::csv(bytes, limits)?,
        Format::Xlsx => sheet::xlsx(bytes, limits)?,
    };
    rows::variables(&sheet, limits)
}
