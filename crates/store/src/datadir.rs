//! The data directory's format version: written when a directory is created, checked every time
//! it is opened, so that a healthcat never reads (or writes into) a layout it does not know.
//!
//! The version is one line in [`FORMAT_FILE`] at the directory's root. A directory that holds a
//! store but no version file was written before versions existed; its layout is format 1's, and it
//! is stamped when first opened. A newer format than this build knows is refused (upgrade
//! healthcat, or restore a backup taken by this version); an older one is refused too, with the
//! command that upgrades it ([`migrate`]), since a migration may rewrite what is stored and the
//! operator should choose the moment (and take a backup first).

use std::path::{Path, PathBuf};

/// The format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The file at the data directory's root holding its format version.
pub const FORMAT_FILE: &str = "healthcat-format";

/// What is wrong with a data directory's format.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// Written by a newer healthcat.
    #[error(
        "the data directory {dir} is in format {found}, written by a newer healthcat; this healthcat ({build}) reads format {FORMAT_VERSION}: run the newer healthcat, or restore a backup taken by this version"
    )]
    Newer {
        /// The directory.
        dir: PathBuf,
        /// Its format.
        found: u32,
        /// This build's version.
        build: &'static str,
    },
    /// Written by an older healthcat, in a format that needs a migration.
    #[error(
        "the data directory {dir} is in format {found}, older than this healthcat's ({FORMAT_VERSION}): take a backup (`healthcat backup`), then run `healthcat migrate`"
    )]
    Older {
        /// The directory.
        dir: PathBuf,
        /// Its format.
        found: u32,
    },
    /// Older than this build, with no migration from it.
    #[error(
        "the data directory {dir} is in format {found}, which no healthcat ever wrote; restore it from a backup"
    )]
    Unknown {
        /// The directory.
        dir: PathBuf,
        /// Its format.
        found: u32,
    },
    /// The store could not be opened for the migration (another healthcat process uses it).
    #[error(
        "cannot open the store in {dir} to migrate it (is another healthcat process using it?): {error}"
    )]
    InUse {
        /// The directory.
        dir: PathBuf,
        /// What the store said.
        error: String,
    },
    /// The version file does not hold a version.
    #[error(
        "{path}: expected a format version (a number such as {FORMAT_VERSION}), found {found:?}; it is written by healthcat and should not be edited"
    )]
    Unreadable {
        /// The version file.
        path: PathBuf,
        /// What it holds (shortened).
        found: String,
    },
    /// The version file could not be read or written.
    #[error("{path}: {error}")]
    Io {
        /// The version file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
}

/// Whether `dir` holds a store (RocksDB's `CURRENT` file names its live manifest).
pub fn holds_store(dir: &Path) -> bool {
    dir.join("CURRENT").is_file()
}

/// The format `dir` is in: `None` when it holds no version file (a new directory, or one written
/// before versions existed).
pub fn read_format(dir: &Path) -> Result<Option<u32>, FormatError> {
    let path = dir.join(FORMAT_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => text
            .trim()
            .parse::<u32>()
            .map(Some)
            .map_err(|_| FormatError::Unreadable {
                path,
                found: crate::shorten(text, 40),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(FormatError::Io { path, error }),
    }
}

/// Checks that `dir` is in a format this build reads, without writing anything (a directory with
/// no version file passes: [`check_format`] stamps it when the store is opened).
pub fn ensure_readable(dir: &Path) -> Result<(), FormatError> {
    match read_format(dir)? {
        None | Some(FORMAT_VERSION) => Ok(()),
        Some(found) => Err(refusal(dir, found)),
    }
}

/// The refusal of a directory in format `found`, other than this build's.
fn refusal(dir: &Path, found: u32) -> FormatError {
    if found > FORMAT_VERSION {
        FormatError::Newer {
            dir: dir.to_owned(),
            found,
            build: env!("CARGO_PKG_VERSION"),
        }
    } else {
        FormatError::Older {
            dir: dir.to_owned(),
            found,
        }
    }
}

/// Checks that `dir` can be opened by this build, stamping it with [`FORMAT_VERSION`] when it has
/// no version yet (created now, or written before versions existed: the same layout).
pub fn check_format(dir: &Path) -> Result<(), FormatError> {
    match read_format(dir)? {
        None => write_format(dir, FORMAT_VERSION),
        Some(FORMAT_VERSION) => Ok(()),
        Some(found) => Err(refusal(dir, found)),
    }
}

/// Writes `version` to `dir`'s version file (through a temporary file and a rename).
fn write_format(dir: &Path, version: u32) -> Result<(), FormatError> {
    let path = dir.join(FORMAT_FILE);
    let io = |error| FormatError::Io {
        path: path.clone(),
        error,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!("{FORMAT_FILE}.tmp"));
    std::fs::write(&tmp, format!("{version}\n")).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)
}

/// One step of a migration, from the format before it to `to`.
struct Step {
    to: u32,
    what: &'static str,
    run: fn(&Path) -> Result<(), FormatError>,
}

/// The migrations, in order. Format 1 is the first versioned layout, so none exists yet; a
/// change to what is stored adds a step here and raises [`FORMAT_VERSION`].
const STEPS: &[Step] = &[];

/// What [`migrate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The format found (`None`: no version file).
    pub from: Option<u32>,
    /// The format now.
    pub to: u32,
    /// One line per step run.
    pub steps: Vec<String>,
}

/// Brings `dir` to [`FORMAT_VERSION`], one step at a time, stamping the version after each step
/// (a migration stopped midway resumes at the step it was in). Refuses a newer format, and a store
/// another process has open.
pub fn migrate(dir: &Path) -> Result<Migration, FormatError> {
    let from = read_format(dir)?;
    let mut at = from.unwrap_or(FORMAT_VERSION);
    if at > FORMAT_VERSION {
        return Err(refusal(dir, at));
    }
    // The store's lock, held through the steps: no server or import writes meanwhile.
    let _lock = if holds_store(dir) {
        Some(
            oxigraph::store::Store::open(dir).map_err(|e| FormatError::InUse {
                dir: dir.to_owned(),
                error: e.to_string(),
            })?,
        )
    } else {
        None
    };
    let mut steps = Vec::new();
    let start = at;
    for step in STEPS.iter().filter(|s| s.to > start) {
        (step.run)(dir)?;
        write_format(dir, step.to)?;
        steps.push(format!("format {at} → {}: {}", step.to, step.what));
        at = step.to;
    }
    if at < FORMAT_VERSION {
        return Err(FormatError::Unknown {
            dir: dir.to_owned(),
            found: at,
        });
    }
    if from.is_none() {
        write_format(dir, FORMAT_VERSION)?;
        steps.push(format!(
            "no format version: stamped format {FORMAT_VERSION} (the layout before versions existed)"
        ));
    }
    Ok(Migration {
        from,
        to: at,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_directory_is_stamped_and_a_newer_or_older_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        check_format(dir.path()).unwrap();
        assert_eq!(read_format(dir.path()).unwrap(), Some(FORMAT_VERSION));
        check_format(dir.path()).unwrap();

        std::fs::write(dir.path().join(FORMAT_FILE), "7\n").unwrap();
        let e = check_format(dir.path()).unwrap_err().to_string();
        assert!(e.contains("format 7, written by a newer healthcat"), "{e}");
        let e = migrate(dir.path()).unwrap_err().to_string();
        assert!(e.contains("newer"), "{e}");
        assert_eq!(read_format(dir.path()).unwrap(), Some(7), "left as it was");

        std::fs::write(dir.path().join(FORMAT_FILE), "0\n").unwrap();
        let e = check_format(dir.path()).unwrap_err().to_string();
        assert!(e.contains("run `healthcat migrate`"), "{e}");
        let e = migrate(dir.path()).unwrap_err().to_string();
        assert!(e.contains("no healthcat ever wrote"), "{e}");

        std::fs::write(dir.path().join(FORMAT_FILE), "one\n").unwrap();
        let e = check_format(dir.path()).unwrap_err().to_string();
        assert!(e.contains(FORMAT_FILE) && e.contains("\"one\\n\""), "{e}");
    }

    #[test]
    fn migrate_stamps_an_unversioned_directory_and_then_has_nothing_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let first = migrate(dir.path()).unwrap();
        assert_eq!((first.from, first.to), (None, FORMAT_VERSION));
        assert_eq!(first.steps.len(), 1);
        let again = migrate(dir.path()).unwrap();
        assert_eq!((again.from, again.steps.len()), (Some(FORMAT_VERSION), 0));
    }
}
