//! Drafts: descriptions a data steward is still working on. They live outside the catalogue —
//! one JSON file each in `{data_dir}/drafts/`, written whole to a temporary file and renamed — so
//! no reader of the store (search, pages, DCAT, SPARQL, exports, harvesters, the outbox) can ever
//! see one. Publishing a draft sends it through the ingest path like any write (validated, then
//! stored atomically), after which the draft is removed.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One draft.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Draft {
    /// Its id (8 hex digits, or the id it was given).
    pub id: String,
    /// The IRIs of the records it describes.
    pub records: Vec<String>,
    /// Their publishers (who may see and change the draft).
    pub publishers: Vec<String>,
    /// Who made it, who last changed it.
    pub created_by: String,
    /// See `created_by`.
    pub updated_by: String,
    /// RFC 3339.
    pub created: String,
    /// RFC 3339.
    pub updated: String,
    /// The description, as N-Triples.
    pub content: String,
    /// The content hash (ETag) of the stored record the draft was started from, if any: its
    /// publication is refused when the record changed since.
    #[serde(default)]
    pub base: Option<String>,
}

/// Why a draft could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DraftError {
    /// The file.
    pub path: String,
    /// What happened.
    pub message: String,
}

/// The drafts of one catalogue.
pub struct Drafts {
    dir: PathBuf,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl Drafts {
    /// The drafts in `{data_dir}/drafts/`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("drafts"),
        }
    }

    fn err(&self, path: &Path, e: impl ToString) -> DraftError {
        DraftError {
            path: path.display().to_string(),
            message: e.to_string(),
        }
    }

    /// Draft `id`, if there is one.
    pub fn get(&self, id: &str) -> Result<Option<Draft>, DraftError> {
        if !valid_id(id) {
            return Ok(None);
        }
        let path = self.dir.join(format!("{id}.json"));
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| self.err(&path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.err(&path, e)),
        }
    }

    /// Every draft, newest change first.
    pub fn list(&self) -> Result<Vec<Draft>, DraftError> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Ok(out);
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".json")
                && let Some(d) = self.get(id)?
            {
                out.push(d);
            }
        }
        out.sort_by(|a, b| b.updated.cmp(&a.updated));
        Ok(out)
    }

    /// Writes `draft` (a new one, or a new version of it).
    pub fn save(&self, draft: &Draft) -> Result<(), DraftError> {
        let path = self.dir.join(format!("{}.json", draft.id));
        if !valid_id(&draft.id) {
            return Err(self.err(&path, "invalid draft id"));
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| self.err(&self.dir, e))?;
        let tmp = self.dir.join(format!(".{}.json.tmp", draft.id));
        let bytes = serde_json::to_vec_pretty(draft).map_err(|e| self.err(&path, e))?;
        std::fs::write(&tmp, bytes).map_err(|e| self.err(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| self.err(&path, e))
    }

    /// Removes draft `id`; whether it existed.
    pub fn remove(&self, id: &str) -> Result<bool, DraftError> {
        if !valid_id(id) {
            return Ok(false);
        }
        let path = self.dir.join(format!("{id}.json"));
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.err(&path, e)),
        }
    }
}

impl Draft {
    /// A draft of a parsed description (its graph and the records it describes) by `who`,
    /// replacing `before` when there is one; refused when `who` may not write one of them.
    pub fn of(
        who: &healthcat_auth::Principal,
        (doc, keys): (&healthcat_store::DocGraph, Vec<String>),
        id: String,
        before: Option<&Draft>,
    ) -> Result<Draft, crate::edit::EditError> {
        let mut scope = Vec::new();
        for key in &keys {
            let p = crate::edit::publishers(doc.iter(), key);
            crate::edit::check_publishers(who, key, &p, "write")?;
            scope.extend(p);
        }
        scope.sort();
        scope.dedup();
        let content = healthcat_store::write_triples(
            doc.iter(),
            Vec::new(),
            healthcat_store::Format::NTriples,
        )?;
        let now = jiff::Timestamp::now().to_string();
        Ok(Draft {
            id,
            records: keys,
            publishers: scope,
            created_by: before.map_or(who.name.clone(), |b| b.created_by.clone()),
            updated_by: who.name.clone(),
            created: before.map_or(now.clone(), |b| b.created.clone()),
            updated: now,
            content: String::from_utf8_lossy(&content).into_owned(),
            base: before.and_then(|b| b.base.clone()),
        })
    }

    /// Whether `who` may see this draft: editors only those of their publishers.
    pub fn visible_to(&self, who: &healthcat_auth::Principal) -> bool {
        who.role != healthcat_auth::Role::Editor
            || who.may_edit(self.publishers.iter().map(String::as_str))
    }
}

/// A new draft's id: time-derived, so that ids sort as they were made; unique enough for one
/// catalogue.
pub fn new_id() -> String {
    format!("{:x}", jiff::Timestamp::now().as_nanosecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_written_whole_listed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::new(dir.path());
        assert!(drafts.list().unwrap().is_empty());
        let d = Draft {
            base: None,
            id: "a1b2c3d4".into(),
            records: vec!["https://ex.org/d".into()],
            publishers: vec![],
            created_by: "steward".into(),
            updated_by: "steward".into(),
            created: "2026-12-01T00:00:00Z".into(),
            updated: "2026-12-01T00:00:00Z".into(),
            content: "<https://ex.org/d> a <http://www.w3.org/ns/dcat#Dataset> .\n".into(),
        };
        drafts.save(&d).unwrap();
        assert_eq!(drafts.get("a1b2c3d4").unwrap().as_ref(), Some(&d));
        assert_eq!(drafts.list().unwrap().len(), 1);
        assert_eq!(drafts.get("../../etc/passwd").unwrap(), None);
        assert!(drafts.remove("a1b2c3d4").unwrap());
        assert!(!drafts.remove("a1b2c3d4").unwrap());
    }
}
