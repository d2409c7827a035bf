//! The crate's errors.

/// What can go wrong counting, reading or reporting usage.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// The store refused.
    #[error(transparent)]
    Store(#[from] healthcat_store::StoreError),
    /// A period parameter is wrong (`field` names it).
    #[error("{field}: {problem}")]
    Period {
        /// `from` or `to`.
        field: &'static str,
        /// What is wrong and what to give instead.
        problem: String,
    },
    /// The spreadsheet could not be written.
    #[error("the XLSX report could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The CSV could not be written.
    #[error("the CSV report could not be written: {0}")]
    Csv(#[from] csv::Error),
    /// The report could not be written out.
    #[error("the report could not be written: {0}")]
    Io(#[from] std::io::Error),
}
