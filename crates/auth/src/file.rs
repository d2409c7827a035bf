//! A list kept in one JSON file: read again when the file changes (the CLI and a running server
//! share it), rewritten atomically (a crash leaves the old or the new file, never half of one);
//! and the audit log, one JSON object per line.

use crate::AuthError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

struct Cache<T> {
    read_at: Option<SystemTime>,
    items: Vec<T>,
}

/// `{dir}/{name}`: a JSON array of `T`.
pub(crate) struct JsonFile<T> {
    dir: PathBuf,
    name: &'static str,
    what: &'static str,
    cache: Mutex<Cache<T>>,
}

impl<T: Clone + Serialize + DeserializeOwned> JsonFile<T> {
    /// The file `name` in `dir`, holding a list of `what` (for messages).
    pub(crate) fn new(dir: &Path, name: &'static str, what: &'static str) -> Self {
        Self {
            dir: dir.to_owned(),
            name,
            what,
            cache: Mutex::new(Cache {
                read_at: None,
                items: Vec::new(),
            }),
        }
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.join(self.name)
    }

    pub(crate) fn bad(&self, message: impl Into<String>) -> AuthError {
        AuthError::File {
            path: self.path().display().to_string(),
            message: message.into(),
        }
    }

    /// Every item, as the file holds them now (one `stat` when it has not changed).
    pub(crate) fn list(&self) -> Result<Vec<T>, AuthError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let modified = std::fs::metadata(self.path())
            .and_then(|m| m.modified())
            .ok();
        if modified.is_none() {
            cache.items.clear();
            cache.read_at = None;
        } else if cache.read_at != modified {
            let bytes = std::fs::read(self.path()).map_err(|e| self.bad(e.to_string()))?;
            cache.items = serde_json::from_slice(&bytes).map_err(|e| {
                self.bad(format!(
                    "not a list of {} ({e}); restore it from a backup",
                    self.what
                ))
            })?;
            cache.read_at = modified;
        }
        Ok(cache.items.clone())
    }

    /// Replaces the file's content with `items`, atomically.
    /// The folder is made readable by its owner only, the file too: it holds password and key
    /// hashes, which other users of the machine must not read.
    pub(crate) fn save(&self, items: &[T]) -> Result<(), AuthError> {
        private_dir(&self.dir).map_err(|e| self.bad(e.to_string()))?;
        let tmp = self.dir.join(format!(".{}.tmp", self.name));
        let bytes = serde_json::to_vec_pretty(items).map_err(|e| self.bad(e.to_string()))?;
        write_private(&tmp, &bytes).map_err(|e| self.bad(e.to_string()))?;
        std::fs::rename(&tmp, self.path()).map_err(|e| self.bad(e.to_string()))
    }
}

/// Creates `dir` (and its parents) and makes it accessible to its owner only (mode 700).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Writes `bytes` to a new file `path` readable and writable by its owner only (mode 600), from
/// its creation on (never readable by others, even for a moment).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// `{dir}/audit.log`: who did what, when (JSON lines). A line that cannot be written is dropped
/// rather than failing the request it records.
pub(crate) fn audit_line(dir: &Path, mut line: serde_json::Value) {
    line["time"] = serde_json::Value::String(jiff::Timestamp::now().to_string());
    let _ = private_dir(dir);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    if let Ok(mut f) = options.open(dir.join("audit.log")) {
        let _ = writeln!(f, "{line}");
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` random bytes from the system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], AuthError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out)
        .map_err(|e| AuthError::Invalid(format!("no randomness from the system: {e}")))?;
    Ok(out)
}

/// Whether two strings are equal, compared in full whatever the first difference (no early exit
/// for a timing attack to measure).
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.bytes()
        .zip(b.bytes())
        .fold(a.len() == b.len(), |acc, (x, y)| acc & (x == y))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn secrets_are_their_owners_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data/auth");
        let file: JsonFile<String> = JsonFile::new(&dir, "keys.json", "keys");
        file.save(&["hash".to_owned()]).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("keys.json")), 0o600);
        // Rewritten: still 600 (the temporary file is made 600, then renamed).
        file.save(&["other".to_owned()]).unwrap();
        assert_eq!(mode(&dir.join("keys.json")), 0o600);
        audit_line(&dir, serde_json::json!({"who": "x"}));
        assert_eq!(mode(&dir.join("audit.log")), 0o600);
    }
}
