//! # healthcat-sheet
//!
//! Dataset descriptions as a spreadsheet, for data stewards who keep their metadata in one: the
//! **template** made from the profile's dataset form (the editor's fields, under the editor's
//! labels in French or English), **rows read** into the form's values with bounds and errors
//! that name the sheet, row and column, and **records written** into the same template so that
//! a catalogue can be edited in bulk and read back.
//!
//! The layout, in an XLSX workbook:
//! - the first sheet holds one row per dataset: its address (`[@id]`), then one column per field
//!   of the form that is not a group; a text field has one column per language (`fr`, `en`);
//! - each group of the form (distributions, contact point, temporal coverage…) has a sheet of its
//!   own, one row per instance: the dataset it belongs to (`[@dataset]`), the resource's own
//!   address if it has one (`[@id]`; `_:…` names a resource without address), then its fields;
//! - a `Codes` sheet lists each code list's labels: a code column offers them as a drop-down.
//!
//! Each header says the field's label and, in brackets, its key (`Titre (fr) [dct:title@fr]`):
//! the key is what is read back, so a header can be relabelled or the columns reordered, and a
//! column (or a group's sheet) left out is a field left as it is. A CSV file is the first sheet
//! alone. In a cell, several values go one per line, except in a prose field (a description),
//! whose cell is one value; a code is written as its label and read back from its label in
//! either language or from its address.
//!
//! This crate knows nothing of the store, the people writing or the validation: it turns bytes
//! into values and values into bytes. Applying rows to records is `healthcat-ingest`'s.

#![warn(missing_docs)]

mod issue;
mod layout;
mod read;
mod write;

pub use issue::{Bound, Issue};
pub use layout::{Column, Layout, Sheet};
pub use read::{Place, Problem, Read, Row, read};
pub use write::{Record, write_csv, write_xlsx};

/// The languages a text field has a column for.
pub const LANGS: [&str; 2] = ["fr", "en"];
/// Datasets (rows of the first sheet) read at most: a larger catalogue is edited in parts.
pub const MAX_RECORDS: usize = 20_000;
/// Data rows read at most, over all sheets (datasets and their distributions, contact points…).
pub const MAX_ROWS: usize = 100_000;
/// Characters in one cell at most (Excel's own limit).
pub const MAX_CELL: usize = 32_767;
/// Bytes a workbook may unpack to, over all its parts (against a "zip bomb").
pub const MAX_UNPACKED: u64 = 256 << 20;
/// Parts (files) an XLSX workbook may hold.
pub const MAX_PARTS: usize = 1_000;

/// A spreadsheet's file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML workbook.
    Xlsx,
    /// Comma-separated values (UTF-8; `;` accepted as separator).
    Csv,
}

impl Kind {
    /// The kind a file name's extension says (`.xlsx`, `.csv`).
    pub fn from_name(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".xlsx") {
            Some(Kind::Xlsx)
        } else if lower.ends_with(".csv") {
            Some(Kind::Csv)
        } else {
            None
        }
    }
}

/// Why a spreadsheet could not be read or written at all (a problem with one cell is a
/// [`Problem`], reported with the others).
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// Not a workbook, or a damaged one.
    #[error("{name}: not a readable {kind} file: {detail}")]
    Unreadable {
        /// The file's name.
        name: String,
        /// `XLSX` or `CSV`.
        kind: &'static str,
        /// What the reader said.
        detail: String,
    },
    /// More than a bound allows.
    #[error("{name} ({at}): {bound}")]
    TooLarge {
        /// The file's name.
        name: String,
        /// Which bound.
        bound: Bound,
        /// Where it was passed (a part, a sheet and row).
        at: String,
    },
    /// No sheet of the template (no `[@id]` column on the first sheet).
    #[error(
        "{name}: the first sheet has no column headed [@id] (the dataset's address): start from the template (healthcat export --sheet, or the editor's template link)"
    )]
    NotTemplate {
        /// The file's name.
        name: String,
    },
    /// The records would make a workbook larger than one that is read back.
    #[error(
        "{rows} rows to write: {bound}; a larger workbook would not be read back: write the datasets of one editor at a time (export --sheet --as ACCOUNT)"
    )]
    TooMany {
        /// Which bound.
        bound: Bound,
        /// The rows (datasets, or rows over all sheets) the records make.
        rows: usize,
    },
    /// The workbook could not be made.
    #[error("writing the spreadsheet: {0}")]
    Write(String),
}
