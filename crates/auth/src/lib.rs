//! # healthcat-auth
//!
//! Who may write to the catalogue. A [`Principal`] has a [`Role`] — `admin` (everything),
//! `editor` (the records of the publishers it is scoped to), `reader` (drafts, read only) — and is
//! found by an [`Authenticator`]. [`Local`]: API keys for machines and scripts ([`KeyStore`],
//! `healthcat keys`), and accounts of people with argon2id password hashes ([`Accounts`],
//! `healthcat users`) who log in to browser [`Sessions`]. [`Oidc`] adds sign-in through an
//! identity provider (OpenID Connect) over them, and can turn the local accounts off.
//!
//! A key is `hc_<id>_<secret>`: 128 random bits of secret, shown once when it is made; only the
//! SHA-256 of the secret is kept (`{data_dir}/auth/keys.json`, rewritten atomically), so a copy of
//! the file gives no key. A fast hash is right there, unlike for passwords: the secret is random,
//! not guessable. Passwords get argon2id (memory-hard) with a salt each; five failed logins in a
//! row make an account wait a minute. The files are read again when they change, so a key or an
//! account made, revoked or disabled with the CLI takes effect in a running server at its next
//! request. Each write, each login (failed ones too) and each refused key is appended to
//! `{data_dir}/auth/audit.log` (JSON lines); no secret is ever written there.
#![warn(missing_docs)]

mod accounts;
mod file;
pub use file::private_dir;
mod keys;
mod oidc;
mod providers;
mod sessions;

pub use oidc::{
    CALLBACK_PATH, Departure, HttpFailure, MAX_RESPONSE, Oidc, OidcConfig, PENDING_TTL,
    SignOnFailure, map_claims,
};
pub use sessions::Holder;

pub use accounts::{Account, Accounts, MIN_PASSWORD};
pub use keys::{ApiKey, KeyStore};
pub use providers::Providers;
pub use sessions::{Session, Sessions};

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
    /// How it authenticated (`key:<id>`, `account:<name>`).
    pub via: String,
}

impl Principal {
    /// Whether it may take the health data access body's decisions about the catalogue as a
    /// whole (the trusted data holders): administrators only.
    pub fn may_administer(&self) -> bool {
        self.role == Role::Admin
    }

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
    /// The principal the request's API credentials (`Authorization: Bearer`, `X-API-Key`) name,
    /// if they are valid. Credentials that are present but wrong give [`AuthError::Refused`]
    /// with what to tell the client; a key file that cannot be read is [`AuthError::File`] — a
    /// fault of the server, never to be answered as a bad key. Session cookies are not looked at
    /// here: the API must not be reachable by a browser's ambient credentials (cross-site
    /// requests), the pages check CSRF tokens instead.
    fn authenticate(&self, headers: &http::HeaderMap) -> Result<Option<Principal>, AuthError>;

    /// Records that `who` did `action` (audit log).
    fn audit(&self, who: &Principal, action: &str);

    /// Checks a password login and opens a session: the cookie's token and the session.
    fn log_in(&self, _name: &str, _password: &str) -> Result<(String, Session), AuthError> {
        Err(AuthError::Refused("this catalogue has no accounts: an administrator makes one with `healthcat users create`".into()))
    }

    /// The live session a cookie's token names.
    fn session(&self, _token: &str) -> Option<Session> {
        None
    }

    /// Ends the session a cookie's token names.
    fn log_out(&self, _token: &str) {}

    /// Sign-in through an identity provider, when one is configured.
    fn single_sign_on(&self) -> Option<&Oidc> {
        None
    }

    /// Whether people may log in with a local account's password.
    fn local_accounts(&self) -> bool {
        true
    }
}

/// `e` and its sources, joined by `: ` (what a log line or a refusal shows).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// API keys and password accounts of one data directory (`{data_dir}/auth/`).
pub struct Local {
    /// The API keys.
    pub keys: KeyStore,
    /// The accounts.
    pub accounts: Accounts,
    pub(crate) sessions: Sessions,
}

impl Local {
    /// Keys and accounts of `data_dir`, no session open.
    pub fn new(data_dir: &std::path::Path) -> Self {
        Self {
            keys: KeyStore::new(data_dir),
            accounts: Accounts::new(data_dir),
            sessions: Sessions::default(),
        }
    }
}

impl Authenticator for Local {
    fn authenticate(&self, headers: &http::HeaderMap) -> Result<Option<Principal>, AuthError> {
        self.keys.authenticate(headers)
    }

    fn audit(&self, who: &Principal, action: &str) {
        self.keys.audit(who, action)
    }

    fn log_in(&self, name: &str, password: &str) -> Result<(String, Session), AuthError> {
        let principal = self.accounts.log_in(name, password)?;
        let (token, csrf) = self
            .sessions
            .open(Holder::Account(principal.name.clone()))?;
        Ok((token, Session { principal, csrf }))
    }

    fn session(&self, token: &str) -> Option<Session> {
        let (holder, csrf) = self.sessions.get(token)?;
        let account = match holder {
            Holder::SignedIn(principal, _) => {
                return Some(Session {
                    principal: *principal,
                    csrf,
                });
            }
            Holder::Account(name) => name,
        };
        match self.accounts.principal(&account) {
            Some(principal) => Some(Session { principal, csrf }),
            None => {
                self.sessions.close(token);
                None
            }
        }
    }

    fn log_out(&self, token: &str) {
        self.sessions.close(token)
    }
}

/// Nobody can authenticate (no keys configured).
pub struct Nobody;

impl Authenticator for Nobody {
    fn authenticate(&self, _: &http::HeaderMap) -> Result<Option<Principal>, AuthError> {
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
    /// A sign-in through the identity provider failed: why (each has its own page), and the
    /// details for the audit log and the server's log.
    #[error("{detail}")]
    SignOn {
        /// Why, in short.
        failure: SignOnFailure,
        /// What happened.
        detail: String,
    },
    /// A request to the store was wrong (unknown key id…).
    #[error("{0}")]
    Invalid(String),
    /// The credentials presented are wrong (unknown or revoked key, wrong password, locked
    /// account): what to tell the client.
    #[error("{0}")]
    Refused(String),
}

impl AuthError {
    /// Whether the client is at fault (wrong credentials or request), not the server.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, Self::File { .. })
    }
}
