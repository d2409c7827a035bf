//! Errors of the store crate.
//!
//! Two kinds of failure are kept apart because callers answer them differently: a
//! [`ParseError`] is the user's input being wrong (exit code 1, HTTP 400) and always names the
//! file and, when the parser knows it, the line and column; a [`StoreError`] is the storage
//! failing underneath (exit code 2, HTTP 500).

use std::fmt;

/// Where in an input a problem is: a file (or `-` for standard input) and an optional position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The input's name as the user gave it.
    pub source: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// An input document could not be read as RDF.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The bytes are not valid in the declared syntax (includes invalid IRIs).
    #[error("{location}: {message}")]
    Syntax {
        /// Where.
        location: Location,
        /// What the parser said, with a hint when we know a common cause.
        message: String,
    },
    /// The input could not be read at all.
    #[error("{source_name}: cannot read: {error}")]
    Io {
        /// The input's name.
        source_name: String,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
    /// The syntax could not be told from the file name; the message lists the choices.
    #[error(
        "{0}: cannot tell the RDF syntax from the file name; pass --format (ttl, nt, nq, trig, rdf, jsonld)"
    )]
    UnknownFormat(String),
    /// The input is past one of the [`crate::InputLimits`] (too deep, a literal too long, a
    /// character RDF/XML cannot carry) or its DTD could expand out of proportion.
    #[error("{source_name}: refused: {message}")]
    Refused {
        /// The input's name.
        source_name: String,
        /// What is past which limit, and what to do.
        message: String,
    },
    /// The input holds no triple at all.
    #[error("{0}: the file is empty (no RDF statement found)")]
    Empty(String),
}

/// The storage underneath failed, or holds something healthcat did not write.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Oxigraph / RocksDB failed.
    #[error("storage error: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// A change-feed reader asked for events after a number this store never issued.
    #[error(
        "after={after} is past this catalogue's last change ({head}): this position was not given by this catalogue (another node, or a copy restored from an older backup); re-sync from a full export, then follow from after={head}"
    )]
    FeedAhead {
        /// The number asked for.
        after: u64,
        /// The last number issued.
        head: u64,
    },
    /// A change-feed reader is behind the feed's retention: a withdrawal it has not seen may
    /// have been removed.
    #[error(
        "the changes after {after} are no longer all kept (events up to {floor} were removed after the feed's retention time): re-sync from a full export of the catalogue, then follow from the head it was taken at"
    )]
    FeedGone {
        /// The number asked for.
        after: u64,
        /// Events up to this number may be gone.
        floor: u64,
    },
    /// A SPARQL query used internally failed.
    #[error("internal query failed: {0}")]
    Query(#[from] oxigraph::sparql::QueryEvaluationError),
    /// Writing an export failed (disk full, closed pipe…).
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    /// The bookkeeping of a graph is missing or malformed.
    #[error(
        "the bookkeeping of {graph} is damaged: {problem}; run `healthcat verify` or re-import the source"
    )]
    Corrupt {
        /// The graph concerned.
        graph: String,
        /// What is wrong.
        problem: String,
    },
    /// The data directory is in a format this build does not read.
    #[error(transparent)]
    Format(#[from] crate::datadir::FormatError),
    /// No record with this local id.
    #[error("no record with id '{0}'")]
    NotFound(String),
    /// A streamed import met a unit stored before with other content or membership: it only
    /// adds ([`crate::BulkImport`]); nothing was stored.
    #[error(
        "{0} is stored already with other content or membership, and a streamed import only adds"
    )]
    WouldReplace(String),
}

impl StoreError {
    /// The remote store's failure, when this error is the store being down, slow or failing
    /// (not this request's fault): HTTP readers answer 503.
    pub fn unavailable(&self) -> Option<&crate::RemoteError> {
        let Self::Storage(oxigraph::store::StorageError::Io(io)) = self else {
            return None;
        };
        io.get_ref()
            .and_then(|e| e.downcast_ref::<crate::RemoteError>())
            .filter(|e| e.is_unavailable())
    }
}

/// `message` cut to at most `max` bytes (on a character boundary), saying how long it was: a
/// message may quote what it failed on whole (a page, a 2 GB value).
pub fn shorten(mut message: String, max: usize) -> String {
    if message.len() > max {
        let mut end = max;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        let total = message.len();
        message.truncate(end);
        message.push_str(&format!("… ({total} bytes in all)"));
    }
    message
}
