//! API keys, kept hashed in a JSON file.

use crate::file::{JsonFile, audit_line, hex, random, same};
use crate::{AuthError, Authenticator, Principal, Role};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

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

/// The keys of one catalogue (`{data_dir}/auth/`).
pub struct KeyStore {
    dir: PathBuf,
    file: JsonFile<ApiKey>,
}

impl KeyStore {
    /// The store in `{data_dir}/auth/` (created on the first key).
    pub fn new(data_dir: &Path) -> Self {
        let dir = data_dir.join("auth");
        Self {
            file: JsonFile::new(&dir, "keys.json", "keys"),
            dir,
        }
    }

    /// Every key, revoked ones included.
    pub fn list(&self) -> Result<Vec<ApiKey>, AuthError> {
        self.file.list()
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
        let random = random::<20>()?;
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
        self.file.save(&keys)?;
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
        self.file.save(&keys)?;
        Ok(out)
    }

    /// The principal of a presented key (`hc_<id>_<secret>`).
    /// An unreadable keys file is [`AuthError::File`], not a refusal.
    pub fn check(&self, presented: &str) -> Result<Principal, AuthError> {
        let refused = || AuthError::Refused("this API key is unknown or revoked".to_owned());
        let rest = presented.strip_prefix("hc_").ok_or_else(refused)?;
        let (id, secret) = rest.split_once('_').ok_or_else(refused)?;
        let keys = self.list()?;
        let key = keys
            .iter()
            .find(|k| k.id == id && k.revoked.is_none())
            .ok_or_else(refused)?;
        let hash = hex(&Sha256::digest(secret.as_bytes()));
        if !same(&hash, &key.sha256) {
            return Err(refused());
        }
        Ok(Principal {
            name: key.name.clone(),
            role: key.role,
            publishers: key.publishers.clone(),
            via: format!("key:{}", key.id),
        })
    }

    pub(crate) fn log(&self, line: serde_json::Value) {
        audit_line(&self.dir, line);
    }
}

impl Authenticator for KeyStore {
    fn authenticate(&self, headers: &http::HeaderMap) -> Result<Option<Principal>, AuthError> {
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
            Err(e @ AuthError::File { .. }) => Err(e),
            Err(e) => {
                // The key id only: never the secret.
                let id = presented
                    .strip_prefix("hc_")
                    .and_then(|r| r.split('_').next())
                    .unwrap_or("?");
                self.log(serde_json::json!({
                    "event": "key refused",
                    "key": id,
                }));
                Err(e)
            }
        }
    }

    fn audit(&self, who: &Principal, action: &str) {
        self.log(serde_json::json!({
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
        // Its last character changed (to one it is not: a fixed '0' made this test fail whenever
        // the secret happened to end in '0').
        let last = if secret.ends_with('0') { '1' } else { '0' };
        let wrong = format!("{}{last}", &secret[..secret.len() - 1]);
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

    #[test]
    fn an_unreadable_key_file_is_a_server_fault_not_a_bad_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::new(dir.path());
        let (_, secret) = store.create("script", Role::Admin, vec![]).unwrap();
        std::fs::write(dir.path().join("auth/keys.json"), "{ not json").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let err = store.check(&secret).unwrap_err();
        assert!(!err.is_refusal(), "{err}");
        assert!(err.to_string().contains("keys.json"), "{err}");
        let mut headers = http::HeaderMap::new();
        headers.insert("x-api-key", secret.parse().unwrap());
        assert!(matches!(
            store.authenticate(&headers),
            Err(AuthError::File { .. })
        ));
        assert!(
            !std::fs::read_to_string(dir.path().join("auth/audit.log"))
                .unwrap_or_default()
                .contains("key refused"),
            "a disk fault is not logged as a refused key"
        );
    }
}
