//! # healthcat-auth
//!
//! Who may write to the catalogue. A [`Principal`] has a [`Role`] — `admin` (everything),
//! `editor` (the records of the publishers it is scoped to), `reader` (drafts, read only) — and is
//! found from a request by an [`Authenticator`]. Behind that trait today: API keys for machines
//! and scripts ([`KeyStore`], `healthcat keys create|list|revoke`); accounts with passwords and
//! browser sessions, and OIDC, are further implementations.
//!
//! A key is `hc_<id>_<secret>`: 128 random bits of secret, shown once when it is made; only the
//! SHA-256 of the secret is kept (`{data_dir}/auth/keys.json`, rewritten atomically), so a copy of
//! the file gives no key. A fast hash is right here, unlike for passwords: the secret is random,
//! not guessable. The file is read again when it changes, so a key made or revoked with the CLI
//! takes effect in a running server at its next request. Each use of a key for a write, and each
//! refused key, is appended to `{data_dir}/auth/audit.log` (JSON lines).
#![warn(missing_docs)]

mod keys;

pub use keys::{ApiKey, KeyStore};

use serde::{Deserialize, Serialize};

/// What a principal may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Everything, including storing a record that fails validation (flagged).
    Admin,
    /// Create, edit and delete the records of its publishers.
    Editor,
    /// Read drafts; no write.
    Reader,
}

impl Role {
    /// `admin`, `editor`, `reader`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "editor" => Some(Self::Editor),
            "reader" => Some(Self::Reader),
            _ => None,
        }
    }

    /// The name, as written in files and commands.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Editor => "editor",
            Self::Reader => "reader",
        }
    }
}

/// Someone (or something) authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The key's or account's name, as recorded with each change it makes.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// For editors: the publishers (IRIs) whose records it may change.
    pub publishers: Vec<String>,
    /// How it authenticated (`key:<id>`).
    pub via: String,
}

impl Principal {
    /// Whether it may change a record published by `publishers` (a record with no publisher:
    /// admins only).
    pub fn may_edit<'a>(&self, publishers: impl IntoIterator<Item = &'a str>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Reader => false,
            Role::Editor => {
                let mut any = false;
                for p in publishers {
                    any = true;
                    if !self.publishers.iter().any(|mine| mine == p) {
                        return false;
                    }
                }
                any
            }
        }
    }
}

/// Finds who sent a request.
pub trait Authenticator: Send + Sync {
    /// The principal the request's credentials name, if they are valid. Credentials that are
    /// present but wrong give `Err` with what to tell the client.
    fn authenticate(&self, headers: &http::HeaderMap) -> Result<Option<Principal>, String>;

    /// Records that `who` did `action` (audit log).
    fn audit(&self, who: &Principal, action: &str);
}

/// Nobody can authenticate (no keys configured).
pub struct Nobody;

impl Authenticator for Nobody {
    fn authenticate(&self, _: &http::HeaderMap) -> Result<Option<Principal>, String> {
        Ok(None)
    }
    fn audit(&self, _: &Principal, _: &str) {}
}

/// Errors of the key store.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The keys file could not be read or written.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What happened, and what to do.
        message: String,
    },
    /// A request to the store was wrong (unknown key id…).
    #[error("{0}")]
    Invalid(String),
}
