//! Push providers (`[[ingest.providers]]`): the child catalogues and scripts that send their
//! records to the Health Data Hub–compatible push API. Each has an id and a key given in
//! `X-API-Key`; the configuration holds only the key's SHA-256, compared in constant time.

use crate::file::same;
use crate::{AuthError, Authenticator, Principal, Role};
use sha2::{Digest, Sha256};

/// The providers allowed to push, by the SHA-256 of their key.
#[derive(Debug, Default)]
pub struct Providers {
    keys: Vec<(String, String)>,
}

impl Providers {
    /// Providers from (id, hex SHA-256 of the key); a malformed hash is an error naming the
    /// provider.
    pub fn new(entries: &[(String, String)]) -> Result<Self, AuthError> {
        let mut keys = Vec::new();
        for (id, hex) in entries {
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(AuthError::Invalid(format!(
                    "[[ingest.providers]] {id}: key_sha256 must be 64 hexadecimal digits"
                )));
            }
            keys.push((id.clone(), hex.to_ascii_lowercase()));
        }
        Ok(Self { keys })
    }

    /// The id of the provider whose key `presented` is.
    pub fn provider(&self, presented: &str) -> Option<&str> {
        let hash = crate::file::hex(&Sha256::digest(presented.as_bytes()));
        self.keys
            .iter()
            .find(|(_, h)| same(h, &hash))
            .map(|(id, _)| id.as_str())
    }
}

impl Authenticator for Providers {
    /// A provider is an editor of no publisher (it cannot use the write API's rules): what it
    /// may change is its own source's records, which the push API checks by
    /// [`Principal::name`]. `via` is `provider:<id>`.
    fn authenticate(&self, headers: &http::HeaderMap) -> Result<Option<Principal>, AuthError> {
        let Some(presented) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) else {
            return Ok(None);
        };
        match self.provider(presented) {
            Some(id) => Ok(Some(Principal {
                name: id.to_owned(),
                role: Role::Editor,
                publishers: Vec::new(),
                via: format!("provider:{id}"),
            })),
            None => Err(AuthError::Refused(
                "send a provider's key in X-API-Key ([[ingest.providers]] in the configuration)"
                    .into(),
            )),
        }
    }

    fn audit(&self, _: &Principal, _: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_is_found_by_its_key_and_nothing_else() {
        let hash = crate::file::hex(&Sha256::digest(b"secret-of-lille"));
        let p = Providers::new(&[("lille".into(), hash.to_uppercase())]).unwrap();
        assert_eq!(p.provider("secret-of-lille"), Some("lille"));
        assert_eq!(p.provider("secret-of-lill"), None);
        let mut h = http::HeaderMap::new();
        assert!(p.authenticate(&h).unwrap().is_none());
        h.insert("x-api-key", "nope".parse().unwrap());
        assert!(p.authenticate(&h).unwrap_err().is_refusal());
        h.insert("x-api-key", "secret-of-lille".parse().unwrap());
        let who = p.authenticate(&h).unwrap().unwrap();
        assert_eq!(
            (who.name.as_str(), who.via.as_str()),
            ("lille", "provider:lille")
        );
        let err = Providers::new(&[("x".into(), "abc".into())]).unwrap_err();
        assert!(err.to_string().contains("[[ingest.providers]] x"), "{err}");
    }
}
