//! API keys, kept hashed in a JSON file.

use crate::{AuthError, Authenticator, Principal, Role};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// One key, as stored (never the secret).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ApiKey {
    /// Public part of the key, used to find it (8 hex digits).
    pub id: String,
    /// Who or what uses it (recorded with each change).
    pub name: String,
    /// Its role.
    pub role: Role,
    /// For editors: the publishers it may change.
    #[serde(default)]
    pub publishers: Vec<String>,
    /// Hex SHA-256 of the secret.
    pub sha256: String,
    /// When it was made (RFC 3339).
    pub created: String,
    /// When it was revoked, if it was.
    #[serde(default)]
    pub revoked: Option<String>,
}

#[derive(Default)]
struct Cache {
    read_at: Option<SystemTime>,
    keys: Vec<ApiKey>,
}

/// The keys of one catalogue (`{data_dir}/auth/`).
pub struct KeyStore {
    dir: PathBuf,
    cache: Mutex<Cache>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl KeyStore {
    /// The store in `{data_dir}/auth/` (created on the first key).
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("auth"),
            cache: Mutex::new(Cache::default()),
        }
    }

    fn file(&self) -> PathBuf {
        self.dir.join("keys.json")
    }

    fn bad(&self, message: impl Into<String>) -> AuthError {
        AuthError::File {
            path: self.file().display().to_string(),
            message: message.into(),
        }
    }

    /// Every key, revoked ones included.
    pub fn list(&self) -> Result<Vec<ApiKey>, AuthError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let modified = std::fs::metadata(self.file())
            .and_then(|m| m.modified())
            .ok();
        if modified.is_none() {
            cache.keys.clear();
            cache.read_at = None;
        } else if cache.read_at != modified {
            let bytes = std::fs::read(self.file()).map_err(|e| self.bad(e.to_string()))?;
            cache.keys = serde_json::from_slice(&bytes)
                .map_err(|e| self.bad(format!("not a key list ({e}); restore it from a backup")))?;
            cache.read_at = modified;
        }
        Ok(cache.keys.clone())
    }

    fn save(&self, keys: &[ApiKey]) -> Result<(), AuthError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| self.bad(e.to_string()))?;
        let tmp = self.dir.join(".keys.json.tmp");
        let bytes = serde_json::to_vec_pretty(keys).map_err(|e| self.bad(e.to_string()))?;
        std::fs::write(&tmp, bytes).map_err(|e| self.bad(e.to_string()))?;
        std::fs::rename(&tmp, self.file()).map_err(|e| self.bad(e.to_string()))
    }

    /// Makes a key; returns it and the secret to hand over (`hc_<id>_<secret>`), which is not
    /// kept anywhere.
    pub fn create(
        &self,
        name: &str,
        role: Role,
        publishers: Vec<String>,
    ) -> Result<(ApiKey, String), AuthError> {
        if role == Role::Editor && publishers.is_empty() {
            return Err(AuthError::Invalid(
                "an editor key needs at least one publisher (--publisher IRI)".into(),
            ));
        }
        let mut keys = self.list()?;
        let mut random = [0u8; 20];
        getrandom::fill(&mut random)
            .map_err(|e| AuthError::Invalid(format!("no randomness from the system: {e}")))?;
        let id = hex(&random[..4]);
        let secret = hex(&random[4..]);
        let key = ApiKey {
            id: id.clone(),
            name: name.to_owned(),
            role,
            publishers,
            sha256: hex(&Sha256::digest(secret.as_bytes())),
            created: jiff::Timestamp::now().to_string(),
            revoked: None,
        };
        keys.push(key.clone());
        self.save(&keys)?;
        Ok((key, format!("hc_{id}_{secret}")))
    }

    /// Revokes the key `id`: it stops working at once, even in a running server.
    pub fn revoke(&self, id: &str) -> Result<ApiKey, AuthError> {
        let mut keys = self.list()?;
        let key = keys.iter_mut().find(|k| k.id == id).ok_or_else(|| {
            AuthError::Invalid(format!("no key {id:?} (see `healthcat keys list`)"))
        })?;
        if key.revoked.is_none() {
            key.revoked = Some(jiff::Timestamp::now().to_string());
        }
        let out = key.clone();
        self.save(&keys)?;
        Ok(out)
    }

    /// The principal of a presented key (`hc_<id>_<secret>`).
    pub fn check(&self, presented: &str) -> Result<Principal, String> {
        let refused = || "this API key is unknown or revoked".to_owned();
        let rest = presented.strip_prefix("hc_").ok_or_else(refused)?;
        let (id, secret) = rest.split_once('_').ok_or_else(refused)?;
        let keys = self.list().map_err(|e| e.to_string())?;
        let key = keys
            .iter()
            .find(|k| k.id == id && k.revoked.is_none())
            .ok_or_else(refused)?;
        let hash = hex(&Sha256::digest(secret.as_bytes()));
        // Compared in full whatever the first difference (no early exit to time).
        let same = hash
            .bytes()
            .zip(key.sha256.bytes())
            .fold(hash.len() == key.sha256.len(), |acc, (a, b)| acc & (a == b));
        if !same {
            return Err(refused());
        }
        Ok(Principal {
            name: key.name.clone(),
            role: key.role,
            publishers: key.publishers.clone(),
            via: format!("key:{}", key.id),
        })
    }

    fn log(&self, line: serde_json::Value) {
        let _ = std::fs::create_dir_all(&self.dir);
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("audit.log"))
        {
            let _ = writeln!(f, "{line}");
        }
    }
}

impl Authenticator for KeyStore {
    fn authenticate(&self, headers: &http::HeaderMap) -> Result<Option<Principal>, String> {
        let presented = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()));
        let Some(presented) = presented else {
            return Ok(None);
        };
        match self.check(presented.trim()) {
            Ok(p) => Ok(Some(p)),
            Err(e) => {
                // The key id only: never the secret.
                let id = presented
                    .strip_prefix("hc_")
                    .and_then(|r| r.split('_').next())
                    .unwrap_or("?");
                self.log(serde_json::json!({
                    "time": jiff::Timestamp::now().to_string(),
                    "event": "key refused",
                    "key": id,
                }));
                Err(e)
            }
        }
    }

    fn audit(&self, who: &Principal, action: &str) {
        self.log(serde_json::json!({
            "time": jiff::Timestamp::now().to_string(),
            "who": who.name,
            "via": who.via,
            "action": action,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_shown_once_kept_hashed_scoped_and_revocable() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::new(dir.path());
        let (key, secret) = store
            .create(
                "chu-lille-script",
                Role::Editor,
                vec!["https://chu.example/org".into()],
            )
            .unwrap();
        let file = std::fs::read_to_string(dir.path().join("auth/keys.json")).unwrap();
        assert!(
            !file.contains(secret.rsplit('_').next().unwrap()),
            "only the hash is kept"
        );
        let p = store.check(&secret).unwrap();
        assert_eq!(
            (p.role, p.name.as_str()),
            (Role::Editor, "chu-lille-script")
        );
        assert!(p.may_edit(["https://chu.example/org"]));
        assert!(!p.may_edit(["https://other.example/org"]));
        assert!(!p.may_edit([]), "a record without publisher: admins only");
        // A wrong secret, a made-up key, then the revoked key: refused.
        let wrong = format!("{}0", &secret[..secret.len() - 1]);
        for bad in [wrong.as_str(), "hc_00000000_abc", "Bearer x"] {
            assert!(store.check(bad).is_err(), "{bad}");
        }
        // Another handle on the same folder (the CLI while a server runs) revokes it.
        KeyStore::new(dir.path()).revoke(&key.id).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(store.check(&secret).is_err(), "revoked at once");
        assert!(
            store
                .create("x", Role::Editor, vec![])
                .unwrap_err()
                .to_string()
                .contains("--publisher")
        );
    }
}
