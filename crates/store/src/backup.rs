//! Backups of a data directory and restoring them.
//!
//! A backup is a directory holding:
//! - `store/`: a RocksDB checkpoint of the store, taken online (writes go on; the checkpoint is
//!   the store between two transactions, so a write is in it whole or not at all). On the same
//!   file system its immutable files are hard links, so a backup is cheap; on another one they
//!   are copied;
//! - `files/`: every other file of the data directory (accounts and keys, harvest state, drafts,
//!   the outbox, baskets, the link checker's answers…) except those the caller leaves out (the
//!   search index, which is rebuilt from the store) and files being written (`*.tmp`);
//! - [`MANIFEST`]: the data directory's format, when the backup was taken, the records in the
//!   checkpoint, and each file's size and SHA-256 (checked at restore).
//!
//! It is built under a hidden name beside the target and renamed at the end: a backup that failed
//! (a full disk) leaves nothing behind, and a directory with the target's name is always whole.

use crate::Store;
use crate::datadir::{FORMAT_FILE, FORMAT_VERSION, FormatError};
use crate::error::StoreError;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The manifest's file name in a backup.
pub const MANIFEST: &str = "backup.json";

/// What a backup holds (its manifest).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// The data directory's format (see [`crate::datadir`]).
    pub format: u32,
    /// The healthcat version that took it.
    pub healthcat: String,
    /// When it was taken (RFC 3339, UTC).
    pub taken: String,
    /// Records in the store's checkpoint.
    pub records: u64,
    /// The checkpoint's files (in `store/`).
    pub store: Vec<FileEntry>,
    /// The data directory's other files (in `files/`).
    pub files: Vec<FileEntry>,
}

/// One file of the data directory in a backup.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Its path inside the data directory, `/`-separated.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// A backup or a restore failed; nothing was left at the target.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The target exists already.
    #[error("{0} exists already: give a new directory (a backup never overwrites one)")]
    TargetExists(PathBuf),
    /// The backup would be written inside the data directory it copies.
    #[error(
        "{0} is inside the data directory: give a directory outside it (a backup would copy itself)"
    )]
    InsideDataDir(PathBuf),
    /// The data directory to restore into is not empty.
    #[error(
        "the data directory {0} is not empty: restore into a new directory (--data-dir), or move this one away first"
    )]
    NotEmpty(PathBuf),
    /// Reading or writing a file failed (a full disk, permissions…).
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The checkpoint failed (a full disk, or the store is in memory).
    #[error("cannot take the store's checkpoint in {path}: {error}")]
    Checkpoint {
        /// Where it was being written.
        path: PathBuf,
        /// What RocksDB said.
        error: oxigraph::store::StorageError,
    },
    /// The manifest is missing or unreadable: not a healthcat backup, or a damaged one.
    #[error("{path}: {message}")]
    Manifest {
        /// The manifest's path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A file of the backup does not match its manifest.
    #[error("{path}: {message}; the backup is damaged, restore another one")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What differs.
        message: String,
    },
    /// The backup's format is newer than this build reads.
    #[error(transparent)]
    Format(#[from] FormatError),
}

impl BackupError {
    /// True when the storage failed (a full disk, permissions, the store), false when what was
    /// asked cannot be done (a target that exists, a damaged backup…): exit code 2 or 1.
    pub fn is_io(&self) -> bool {
        matches!(
            self,
            Self::Io { .. } | Self::Checkpoint { .. } | Self::Store(_)
        )
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |error| BackupError::Io {
        path: path.to_owned(),
        error,
    }
}

/// True for the files RocksDB keeps in the store's directory (the checkpoint has their content).
fn is_store_file(name: &str) -> bool {
    let numbered = |ext: &str| {
        name.strip_suffix(ext)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    numbered(".sst")
        || numbered(".log")
        || numbered(".blob")
        || matches!(name, "CURRENT" | "IDENTITY" | "LOCK" | "LOG")
        || name.starts_with("MANIFEST-")
        || name.starts_with("OPTIONS-")
        || name.starts_with("LOG.old.")
        || (name.starts_with("bulk-") && name.ends_with(".sst"))
}

/// The size of the store's own files in the data directory `dir` (RocksDB's tables, logs and
/// manifests; not the search index or the other files).
pub fn store_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(is_store_file))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

impl Store {
    /// Backs up the data directory `data_dir` (this store's) into `target`, which must not exist,
    /// while the store keeps serving. `leave_out` names top-level entries not to copy (the
    /// search index, a control socket). Returns the manifest written.
    pub fn backup(
        &self,
        data_dir: &Path,
        target: &Path,
        leave_out: &[&str],
    ) -> Result<Manifest, BackupError> {
        if target.exists() {
            return Err(BackupError::TargetExists(target.to_owned()));
        }
        // The real path of the target's nearest existing ancestor against the data directory's.
        let mut ancestor = target.parent();
        while let Some(a) = ancestor.filter(|a| !a.as_os_str().is_empty() && !a.exists()) {
            ancestor = a.parent();
        }
        let ancestor = ancestor
            .filter(|a| !a.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let (Ok(data), Ok(ancestor)) = (data_dir.canonicalize(), ancestor.canonicalize())
            && ancestor.starts_with(&data)
        {
            return Err(BackupError::InsideDataDir(target.to_owned()));
        }
        let partial = hidden_sibling(target, "partial")?;
        let result = self
            .backup_into(data_dir, &partial, leave_out)
            .and_then(|m| {
                // Another backup to the same target may have finished first: its copy stays.
                if target.exists() {
                    return Err(BackupError::TargetExists(target.to_owned()));
                }
                std::fs::rename(&partial, target).map_err(|e| {
                    if target.exists() {
                        BackupError::TargetExists(target.to_owned())
                    } else {
                        io(target)(e)
                    }
                })?;
                Ok(m)
            });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&partial);
        }
        result
    }

    fn backup_into(
        &self,
        data_dir: &Path,
        partial: &Path,
        leave_out: &[&str],
    ) -> Result<Manifest, BackupError> {
        private_dir(partial)?;
        let store_dir = partial.join("store");
        self.db
            .backup(&store_dir)
            .map_err(|error| BackupError::Checkpoint {
                path: store_dir.clone(),
                error,
            })?;
        let records = checkpoint_records(&store_dir)?;
        let store = hash_dir(&store_dir)?;
        let mut files = Vec::new();
        let files_dir = partial.join("files");
        private_dir(&files_dir)?;
        copy_tree(data_dir, &files_dir, "", leave_out, &mut files)?;
        let manifest = Manifest {
            format: crate::datadir::read_format(data_dir)?.unwrap_or(FORMAT_VERSION),
            healthcat: env!("CARGO_PKG_VERSION").to_owned(),
            taken: jiff::Timestamp::now().to_string(),
            records,
            store,
            files,
        };
        let path = partial.join(MANIFEST);
        let text = serde_json::to_vec_pretty(&manifest).map_err(|e| BackupError::Manifest {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let mut f = std::fs::File::create(&path).map_err(io(&path))?;
        f.write_all(&text).map_err(io(&path))?;
        f.sync_all().map_err(io(&path))?;
        Ok(manifest)
    }
}

/// Records in the checkpoint at `dir` (opened read-only, then closed).
fn checkpoint_records(dir: &Path) -> Result<u64, BackupError> {
    let db =
        oxigraph::store::Store::open_read_only(dir).map_err(|error| BackupError::Checkpoint {
            path: dir.to_owned(),
            error,
        })?;
    let mut n = 0;
    for q in db.quads_for_pattern(
        None,
        Some(crate::meta::hc::LOCAL_ID),
        None,
        Some(crate::meta::META_GRAPH.into()),
    ) {
        q.map_err(StoreError::from)?;
        n += 1;
    }
    Ok(n)
}

/// The size and SHA-256 of each file in `dir` (not recursive), by name.
fn hash_dir(dir: &Path) -> Result<Vec<FileEntry>, BackupError> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        let (bytes, sha256) = copy_hashed(&path, None)?;
        out.push(FileEntry {
            path: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes,
            sha256,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Copies the regular files under `from` (recursively) to `to`, except the store's own files at
/// the top level, `leave_out`, the format file, and files being written; appends each to `files`.
fn copy_tree(
    from: &Path,
    to: &Path,
    prefix: &str,
    leave_out: &[&str],
    files: &mut Vec<FileEntry>,
) -> Result<(), BackupError> {
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .map_err(io(from))?
        .collect::<Result<_, _>>()
        .map_err(io(from))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let top = prefix.is_empty();
        if name.ends_with(".tmp")
            || (top && (is_store_file(name) || name == FORMAT_FILE || leave_out.contains(&name)))
        {
            continue;
        }
        let path = entry.path();
        // Not followed: a link could lead out of the data directory.
        let kind = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        let rel = format!("{prefix}{name}");
        if kind.is_dir() {
            private_dir(&to.join(name))?;
            copy_tree(&path, &to.join(name), &format!("{rel}/"), leave_out, files)?;
        } else if kind.is_file() {
            match copy_hashed(&path, Some(&to.join(name))) {
                Ok((bytes, sha256)) => files.push(FileEntry {
                    path: rel,
                    bytes,
                    sha256,
                }),
                // Removed since it was listed (a basket forgotten, a draft published).
                Err(BackupError::Io { error, .. })
                    if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// The size and SHA-256 of `from`, copied to `to` (mode kept) when given.
fn copy_hashed(from: &Path, to: Option<&Path>) -> Result<(u64, String), BackupError> {
    let mut input = std::fs::File::open(from).map_err(io(from))?;
    let mut output = match to {
        Some(to) => Some((std::fs::File::create(to).map_err(io(to))?, to)),
        None => None,
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = input.read(&mut buf).map_err(io(from))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if let Some((out, to)) = &mut output {
            out.write_all(&buf[..n]).map_err(io(to))?;
        }
        bytes += n as u64;
    }
    if let Some((out, to)) = output {
        out.sync_all().map_err(io(to))?;
        let mode = input.metadata().map_err(io(from))?.permissions();
        std::fs::set_permissions(to, mode).map_err(io(to))?;
    }
    Ok((bytes, crate::canon::hex(&hasher.finalize())))
}

/// A directory only its owner reads (a backup holds password hashes and keys).
fn private_dir(dir: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

/// `.{name}.{what}-{pid}-{n}` beside `path`: where a backup or a restore is built before its
/// rename; `n` counts within the process, so that two backups a server takes at once to the same
/// target never share (nor remove) each other's copy.
fn hidden_sibling(path: &Path, what: &str) -> Result<PathBuf, BackupError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| BackupError::Io {
            path: path.to_owned(),
            error: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "give a directory name (not / or ..)",
            ),
        })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(parent.join(format!(".{name}.{what}-{}-{n}", std::process::id())))
}

/// Reads the manifest of the backup in `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).map_err(|e| BackupError::Manifest {
        path: path.clone(),
        message: format!("{e} (is {} a healthcat backup?)", dir.display()),
    })?;
    serde_json::from_slice(&text).map_err(|e| BackupError::Manifest {
        path,
        message: format!("not a healthcat backup manifest: {e}"),
    })
}

/// Restores the backup in `backup` into the data directory `data_dir`, which must not exist or
/// be empty. Every file is checked against the manifest; the directory appears whole at the end
/// (built under a hidden name beside it) or not at all. The search index is not in a backup: it
/// is rebuilt when the store is next opened with it.
pub fn restore(backup: &Path, data_dir: &Path) -> Result<Manifest, BackupError> {
    let manifest = read_manifest(backup)?;
    if manifest.format > FORMAT_VERSION {
        return Err(FormatError::Newer {
            dir: backup.to_owned(),
            found: manifest.format,
            build: env!("CARGO_PKG_VERSION"),
        }
        .into());
    }
    if data_dir.exists() {
        let mut entries = std::fs::read_dir(data_dir).map_err(io(data_dir))?;
        if entries.next().is_some() {
            return Err(BackupError::NotEmpty(data_dir.to_owned()));
        }
    }
    let partial = hidden_sibling(data_dir, "restoring")?;
    let result = restore_into(backup, &manifest, &partial).and_then(|()| {
        if data_dir.exists() {
            std::fs::remove_dir(data_dir).map_err(io(data_dir))?;
        }
        std::fs::rename(&partial, data_dir).map_err(io(data_dir))
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    result.map(|()| manifest)
}

fn restore_into(backup: &Path, manifest: &Manifest, partial: &Path) -> Result<(), BackupError> {
    private_dir(partial)?;
    // The checkpoint's files go to the top of the data directory, the others where they were.
    // Copied, not linked: RocksDB appends to some of its files (its manifest, its log), which
    // would change the backup.
    let store = manifest
        .store
        .iter()
        .map(|f| (f, "store", partial.to_owned()));
    let files = manifest
        .files
        .iter()
        .map(|f| (f, "files", partial.to_owned()));
    for (file, part, into) in store.chain(files) {
        let rel = Path::new(&file.path);
        // The manifest is data: a path that climbs out (or is absolute) is not ours.
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(BackupError::Damaged {
                path: backup.join(MANIFEST),
                message: format!("the file path {:?} leaves the data directory", file.path),
            });
        }
        if part == "store" && rel.components().count() != 1 {
            return Err(BackupError::Damaged {
                path: backup.join(MANIFEST),
                message: format!("the store file {:?} is not in store/", file.path),
            });
        }
        let to = into.join(rel);
        if let Some(parent) = to.parent() {
            private_dir(parent)?;
        }
        let from = backup.join(part).join(rel);
        let (bytes, sha256) = copy_hashed(&from, Some(&to))?;
        if bytes != file.bytes || sha256 != file.sha256 {
            return Err(BackupError::Damaged {
                path: from,
                message: format!(
                    "{bytes} bytes with SHA-256 {sha256}, the manifest says {} bytes with {}",
                    file.bytes, file.sha256
                ),
            });
        }
    }
    std::fs::write(partial.join(FORMAT_FILE), format!("{}\n", manifest.format)).map_err(io(partial))
}
