//! The baskets the server keeps: in memory, each also written to `{dir}/{id}.json` (atomically)
//! so that a restart loses none, removed after `ttl_hours` without use.
//!
//! A basket is named by a token `{id}.{mac}`: `id` is 16 random bytes, `mac` the first 16 bytes of
//! SHA-256 over the server's 32-byte secret key (`{dir}/key`, made on first use, mode 600) and the
//! id — both fixed-length, so no other id can be given a valid mac without the key. A token whose
//! mac does not match was altered; one that matches but is not kept has expired.

use crate::BasketError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One dataset in a basket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The record's local id.
    pub id: String,
    /// The variables chosen, as `table/name` keys ([`healthcat_model::TableView::key`] and
    /// `csvw:name`).
    #[serde(default)]
    pub variables: Vec<String>,
    /// The researcher's note for this dataset.
    #[serde(default)]
    pub note: String,
}

/// A basket: its datasets in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basket {
    /// The datasets.
    pub items: Vec<Item>,
    /// When it was last used (seconds since 1970).
    pub touched: u64,
}

impl Basket {
    /// The item of record `id`.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }
}

/// What a basket may hold, and how many are kept for how long.
#[derive(Debug, Clone, Copy)]
pub struct BasketLimits {
    /// Datasets in one basket (100).
    pub max_items: usize,
    /// Variables chosen for one dataset (500).
    pub max_variables: usize,
    /// Characters of one note (2,000).
    pub max_note_chars: usize,
    /// Baskets kept at once (10,000); past it, the least recently used goes.
    pub max_baskets: usize,
    /// Hours an unused basket is kept (72).
    pub ttl_hours: u64,
}

impl Default for BasketLimits {
    fn default() -> Self {
        BasketLimits {
            max_items: 100,
            max_variables: 500,
            max_note_chars: 2_000,
            max_baskets: 10_000,
            ttl_hours: 72,
        }
    }
}

/// What a token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The basket.
    Found(Basket),
    /// A well-formed token whose basket is not kept (never filled, or expired).
    Expired,
    /// A token that was altered (or is not one).
    Altered,
}

/// What adding a dataset did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// It was added (or its variables were).
    Added,
    /// The basket is full: nothing was added.
    Full,
}

/// The baskets.
pub struct Baskets {
    dir: Option<PathBuf>,
    key: [u8; 32],
    limits: BasketLimits,
    kept: Mutex<HashMap<String, Basket>>,
}

impl std::fmt::Debug for Baskets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Baskets")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random<const N: usize>() -> Result<[u8; N], BasketError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out)
        .map_err(|e| BasketError::Bad(format!("no randomness from the system: {e}")))?;
    Ok(out)
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> BasketError {
    BasketError::File {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

impl Baskets {
    /// Baskets kept in memory only (tests, or `[basket] keep = false`), with a fresh key.
    pub fn in_memory(limits: BasketLimits) -> Result<Self, BasketError> {
        Ok(Baskets {
            dir: None,
            key: random()?,
            limits,
            kept: Mutex::new(HashMap::new()),
        })
    }

    /// The baskets kept in `dir` (created if missing): its key, and the baskets not expired at
    /// `now` (seconds since 1970). A basket file that cannot be read is logged and skipped.
    pub fn open(dir: &Path, limits: BasketLimits, now: u64) -> Result<Self, BasketError> {
        std::fs::create_dir_all(dir).map_err(|e| file_error(dir, e))?;
        let key_path = dir.join("key");
        let key: [u8; 32] = match std::fs::read(&key_path) {
            Ok(bytes) => bytes.try_into().map_err(|_| {
                file_error(
                    &key_path,
                    "not a 32-byte key: remove it and restart (the baskets kept are then lost)",
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = random()?;
                write_private(&key_path, &key)?;
                key
            }
            Err(e) => return Err(file_error(&key_path, e)),
        };
        let mut kept = HashMap::new();
        for entry in std::fs::read_dir(dir).map_err(|e| file_error(dir, e))? {
            let path = entry.map_err(|e| file_error(dir, e))?.path();
            let Some(id) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".json"))
            else {
                continue;
            };
            match std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<Basket>(&b).map_err(|e| e.to_string()))
            {
                Ok(b) if b.touched + limits.ttl_hours * 3600 >= now => {
                    kept.insert(id.to_owned(), b);
                }
                Ok(_) => {
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => tracing::warn!(file = %path.display(), error = %e, "basket not read"),
            }
        }
        Ok(Baskets {
            dir: Some(dir.to_owned()),
            key,
            limits,
            kept: Mutex::new(kept),
        })
    }

    /// The limits in force.
    pub fn limits(&self) -> BasketLimits {
        self.limits
    }

    fn mac(&self, id: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(id.as_bytes());
        hex(&h.finalize()[..16])
    }

    /// The id a token names, if its mac is right.
    fn id_of(&self, token: &str) -> Option<String> {
        let (id, mac) = token.split_once('.')?;
        let well_formed = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
        let expected = self.mac(id);
        // Compared in full (no early exit a timing attack could measure).
        let same = mac.len() == expected.len()
            && mac
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        (well_formed && same).then(|| id.to_owned())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Basket>> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The basket `token` names, at `now`.
    pub fn get(&self, token: &str, now: u64) -> Lookup {
        let Some(id) = self.id_of(token) else {
            return Lookup::Altered;
        };
        match self.lock().get(&id) {
            Some(b) if b.touched + self.limits.ttl_hours * 3600 >= now => Lookup::Found(b.clone()),
            _ => Lookup::Expired,
        }
    }

    /// Changes the basket `token` names — a new one when `token` is `None`, altered or expired —
    /// with `f`, at `now`; the token to keep using (a new one for a new basket).
    fn change<T>(
        &self,
        token: Option<&str>,
        now: u64,
        f: impl FnOnce(&mut Basket) -> Result<T, BasketError>,
    ) -> Result<(String, T), BasketError> {
        let mut kept = self.lock();
        let existing = token.and_then(|t| self.id_of(t)).filter(|id| {
            kept.get(id)
                .is_some_and(|b| b.touched + self.limits.ttl_hours * 3600 >= now)
        });
        let id = match existing {
            Some(id) => id,
            None => hex(&random::<16>()?),
        };
        let mut basket = kept.get(&id).cloned().unwrap_or_default();
        let out = f(&mut basket)?;
        basket.touched = now;
        if let Some(dir) = &self.dir {
            let path = dir.join(format!("{id}.json"));
            let bytes = serde_json::to_vec(&basket).map_err(|e| file_error(&path, e))?;
            write_private(&path, &bytes)?;
        }
        kept.insert(id.clone(), basket);
        // Past the bound, the least recently used baskets go.
        if kept.len() > self.limits.max_baskets {
            let mut by_age: Vec<(u64, String)> =
                kept.iter().map(|(k, b)| (b.touched, k.clone())).collect();
            by_age.sort();
            for (_, old) in by_age
                .into_iter()
                .take(kept.len() - self.limits.max_baskets)
            {
                kept.remove(&old);
                self.forget_file(&old);
            }
        }
        let token = format!("{id}.{}", self.mac(&id));
        Ok((token, out))
    }

    fn forget_file(&self, id: &str) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_file(dir.join(format!("{id}.json")));
        }
    }

    /// Refuses a change to a basket that is not kept (expired, or an altered token).
    fn existing(&self, token: &str, now: u64) -> Result<(), BasketError> {
        match self.get(token, now) {
            Lookup::Found(_) => Ok(()),
            Lookup::Expired => Err(BasketError::Bad(
                "basket: it is no longer kept (unused for too long); add the datasets again".into(),
            )),
            Lookup::Altered => Err(BasketError::Bad(
                "basket: its token was altered; add the datasets again".into(),
            )),
        }
    }

    fn check_variables(&self, variables: &[String]) -> Result<(), BasketError> {
        if variables.len() > self.limits.max_variables {
            return Err(BasketError::Bad(format!(
                "variables: at most {} per dataset, not {}",
                self.limits.max_variables,
                variables.len()
            )));
        }
        Ok(())
    }

    /// Adds record `id` (with `variables`, added to those already chosen) to the basket `token`
    /// names, or to a new one; the token to keep using and what happened.
    pub fn add(
        &self,
        token: Option<&str>,
        id: &str,
        variables: &[String],
        now: u64,
    ) -> Result<(String, AddOutcome), BasketError> {
        self.check_variables(variables)?;
        let max_items = self.limits.max_items;
        let max_variables = self.limits.max_variables;
        self.change(token, now, |b| {
            let count = b.items.len();
            match b.items.iter_mut().find(|i| i.id == id) {
                Some(item) => {
                    for v in variables {
                        if !item.variables.contains(v) && item.variables.len() < max_variables {
                            item.variables.push(v.clone());
                        }
                    }
                }
                None if count >= max_items => return Ok(AddOutcome::Full),
                None => b.items.push(Item {
                    id: id.to_owned(),
                    variables: variables.to_vec(),
                    note: String::new(),
                }),
            }
            Ok(AddOutcome::Added)
        })
    }

    /// Sets the variables and note of record `id` in the basket `token` names (nothing when it
    /// is not there). A note too long is refused, naming the field.
    pub fn set(
        &self,
        token: &str,
        id: &str,
        variables: &[String],
        note: &str,
        now: u64,
    ) -> Result<String, BasketError> {
        self.check_variables(variables)?;
        self.existing(token, now)?;
        if note.chars().count() > self.limits.max_note_chars {
            return Err(BasketError::Bad(format!(
                "note: at most {} characters",
                self.limits.max_note_chars
            )));
        }
        let (token, ()) = self.change(Some(token), now, |b| {
            if let Some(item) = b.items.iter_mut().find(|i| i.id == id) {
                item.variables = variables.to_vec();
                item.note = note.trim().to_owned();
            }
            Ok(())
        })?;
        Ok(token)
    }

    /// Removes record `id` from the basket `token` names.
    pub fn remove(&self, token: &str, id: &str, now: u64) -> Result<String, BasketError> {
        self.existing(token, now)?;
        let (token, ()) = self.change(Some(token), now, |b| {
            b.items.retain(|i| i.id != id);
            Ok(())
        })?;
        Ok(token)
    }

    /// Empties and forgets the basket `token` names.
    pub fn clear(&self, token: &str) {
        if let Some(id) = self.id_of(token) {
            self.lock().remove(&id);
            self.forget_file(&id);
        }
    }

    /// Forgets the baskets unused for `ttl_hours` at `now`; how many.
    pub fn prune(&self, now: u64) -> usize {
        let ttl = self.limits.ttl_hours * 3600;
        let mut kept = self.lock();
        let old: Vec<String> = kept
            .iter()
            .filter(|(_, b)| b.touched + ttl < now)
            .map(|(k, _)| k.clone())
            .collect();
        for id in &old {
            kept.remove(id);
            self.forget_file(id);
        }
        old.len()
    }
}

/// Writes `bytes` to `path` through a temporary file renamed in (mode 600 on Unix).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), BasketError> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp).map_err(|e| file_error(&tmp, e))?;
    f.write_all(bytes).map_err(|e| file_error(&tmp, e))?;
    f.sync_all().map_err(|e| file_error(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| file_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_baskets_and_altered_ones_are_told_from_expired_ones() {
        let b = Baskets::in_memory(BasketLimits::default()).unwrap();
        let (token, out) = b.add(None, "a", &[], 1_000).unwrap();
        assert_eq!(out, AddOutcome::Added);
        let (same, _) = b.add(Some(&token), "b", &["t/x".into()], 1_001).unwrap();
        assert_eq!(same, token);
        let Lookup::Found(basket) = b.get(&token, 1_002) else {
            panic!()
        };
        assert_eq!(basket.items.len(), 2);
        // One character changed: altered. Expired: after the ttl.
        let mut altered = token.clone();
        let last = if altered.ends_with('0') { "1" } else { "0" };
        altered.replace_range(altered.len() - 1.., last);
        assert_eq!(b.get(&altered, 1_002), Lookup::Altered);
        assert_eq!(b.get("nonsense", 1_002), Lookup::Altered);
        assert_eq!(b.get(&token, 1_001 + 72 * 3600 + 1), Lookup::Expired);
        // An altered token starts a new basket rather than touching another's.
        let (other, _) = b.add(Some(&altered), "c", &[], 1_003).unwrap();
        assert_ne!(other, token);
    }

    #[test]
    fn a_basket_is_bounded_and_notes_are_checked() {
        let limits = BasketLimits {
            max_items: 3,
            max_baskets: 2,
            ..Default::default()
        };
        let b = Baskets::in_memory(limits).unwrap();
        let (t, _) = b.add(None, "a", &[], 10).unwrap();
        b.add(Some(&t), "b", &[], 10).unwrap();
        b.add(Some(&t), "c", &[], 10).unwrap();
        assert_eq!(b.add(Some(&t), "d", &[], 10).unwrap().1, AddOutcome::Full);
        let long = "x".repeat(2_001);
        let e = b.set(&t, "a", &[], &long, 11).unwrap_err();
        assert!(e.to_string().starts_with("note:"), "{e}");
        let many: Vec<String> = (0..501).map(|i| format!("t/v{i}")).collect();
        assert!(
            b.add(Some(&t), "a", &many, 11)
                .unwrap_err()
                .to_string()
                .starts_with("variables:")
        );
        // A third basket pushes out the least recently used.
        let (t2, _) = b.add(None, "a", &[], 12).unwrap();
        let (t3, _) = b.add(None, "a", &[], 13).unwrap();
        assert_eq!(b.get(&t, 14), Lookup::Expired);
        assert!(matches!(b.get(&t2, 14), Lookup::Found(_)));
        assert!(matches!(b.get(&t3, 14), Lookup::Found(_)));
    }

    #[test]
    fn baskets_survive_a_restart_and_expire() {
        let dir = tempfile::tempdir().unwrap();
        let limits = BasketLimits::default();
        let token = {
            let b = Baskets::open(dir.path(), limits, 100).unwrap();
            let (t, _) = b.add(None, "a", &["main/age".into()], 100).unwrap();
            b.set(&t, "a", &["main/age".into()], "cohorte 2015-2020", 101)
                .unwrap()
        };
        let b = Baskets::open(dir.path(), limits, 200).unwrap();
        let Lookup::Found(basket) = b.get(&token, 200) else {
            panic!("kept across a restart")
        };
        assert_eq!(basket.items[0].note, "cohorte 2015-2020");
        assert_eq!(b.prune(101 + 72 * 3600 + 1), 1);
        assert_eq!(b.get(&token, 101 + 72 * 3600 + 1), Lookup::Expired);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "only the key is left"
        );
    }
}
