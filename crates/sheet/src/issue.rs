//! What can be wrong in a filled-in template, as values: the command line prints them in
//! English ([`std::fmt::Display`]), the editor says them from its message catalogues.

use crate::{MAX_CELL, MAX_PARTS, MAX_RECORDS, MAX_ROWS, MAX_UNPACKED};
use healthcat_profiles::values::ValueError;

/// Something wrong with one cell, row, column or sheet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Issue {
    /// Merged cells (`range`, as `B2:B5`).
    #[error("cells {range} are merged: unmerge them and give each row its own values")]
    Merged {
        /// The merged range.
        range: String,
    },
    /// A formula where a value is expected.
    #[error("a formula (={formula}): paste its value instead")]
    Formula {
        /// The formula, without its `=`.
        formula: String,
    },
    /// A cell showing an error value (`#N/A`, `#REF!`…).
    #[error("the cell shows an error ({error}): give it a value")]
    CellError {
        /// The error shown.
        error: String,
    },
    /// A date the calendar does not have.
    #[error("a date outside the calendar: type it as text (YYYY-MM-DD)")]
    BadDate,
    /// More characters than a cell holds.
    #[error("more than {MAX_CELL} characters in the cell")]
    TooLong,
    /// A column whose key appears twice.
    #[error("a second column [{key}]: keep one")]
    SecondColumn {
        /// The key.
        key: String,
    },
    /// A header that names no column of the template.
    #[error(
        "not a column of the template: remove it, or give it a field's key in brackets (see the template)"
    )]
    UnknownColumn,
    /// A text field shown in one language but not the other.
    #[error(
        "no column [{key}]: a text field has a column per language (fr, en); add it, even empty"
    )]
    MissingLanguage {
        /// The missing column's key.
        key: String,
    },
    /// Two sheets for one group.
    #[error("a second sheet for the same group: merge them")]
    SecondSheet,
    /// A sheet the template does not have.
    #[error("not a sheet of the template ({sheets}): rename it, or remove it")]
    UnknownSheet {
        /// The template's group sheets, comma-separated.
        sheets: String,
    },
    /// A dataset row without address.
    #[error("no address: every dataset needs its IRI (https://…)")]
    NoAddress,
    /// A dataset address that is not http(s).
    #[error("{iri} is not an http(s) address")]
    NotHttp {
        /// What the cell holds.
        iri: String,
    },
    /// A dataset on two rows.
    #[error("{iri} is already on row {row}: one row per dataset")]
    SecondRow {
        /// The dataset.
        iri: String,
        /// Its first row.
        row: usize,
    },
    /// A group row that names no dataset.
    #[error("no dataset: give the address of a dataset of the first sheet")]
    NoDataset,
    /// A group row for a dataset the first sheet does not have.
    #[error("{iri} is not on the first sheet: add its row there")]
    NotOnFirstSheet {
        /// The dataset named.
        iri: String,
    },
    /// A label that several codes of the list have.
    #[error("\"{text}\" names several codes ({codes}): give the code's address")]
    SeveralCodes {
        /// The label.
        text: String,
        /// Their addresses, comma-separated.
        codes: String,
    },
    /// A label that no code of the list has.
    #[error("\"{text}\" is not a label of this column's code list (see the Codes sheet)")]
    NotACode {
        /// The label.
        text: String,
    },
    /// A value the field cannot hold (as the editor's form checks it).
    #[error(transparent)]
    Value(ValueError),
    /// A row this person may not write (why, as the catalogue says it).
    #[error("{reason}")]
    Refused {
        /// Why.
        reason: String,
    },
    /// A dataset published by someone this person does not write for.
    #[error("{who} may only write datasets published by {publishers}")]
    NotTheirs {
        /// The person.
        who: String,
        /// Their publishers, comma-separated.
        publishers: String,
    },
    /// What validation finds in the row's description (already in the language asked for);
    /// a draft is made all the same, but not published until it is fixed.
    #[error("{text}")]
    ToFix {
        /// The finding.
        text: String,
    },
}

/// Which bound a workbook goes past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// More parts (files) than [`MAX_PARTS`].
    Parts,
    /// Unpacks to more than [`MAX_UNPACKED`] bytes.
    Unpacked,
    /// More datasets (rows of the first sheet) than [`MAX_RECORDS`].
    Records,
    /// More data rows over all sheets than [`MAX_ROWS`].
    Rows,
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Parts => write!(f, "more than {MAX_PARTS} parts in the workbook"),
            Bound::Unpacked => write!(
                f,
                "the workbook unpacks to more than {} MB: split it, or remove what is not the template's",
                MAX_UNPACKED >> 20
            ),
            Bound::Records => write!(
                f,
                "more than {MAX_RECORDS} datasets (rows of the first sheet): at most {MAX_RECORDS} are read at once; split it"
            ),
            Bound::Rows => write!(
                f,
                "more than {MAX_ROWS} rows over all sheets: at most {MAX_ROWS} are read at once; split it"
            ),
        }
    }
}
