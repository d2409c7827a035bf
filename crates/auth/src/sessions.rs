//! Browser sessions: a random token in a cookie, kept server-side as its SHA-256 with who holds
//! it and the session's CSRF token.
//!
//! Sessions live in memory: a restart logs everyone out, which is acceptable for a catalogue's
//! handful of data stewards and keeps no bearer secret on disk. A local account is looked up
//! again on every request, so disabling it or changing its role applies at once; someone who
//! signed in through an identity provider keeps the role its claims gave at sign-in until the
//! session ends (at most [`ABSOLUTE`]).

use crate::file::{hex, random, same};
use crate::{AuthError, Principal};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A session ends after this long without a request…
pub const IDLE: Duration = Duration::from_secs(2 * 3600);
/// …and in any case this long after login.
pub const ABSOLUTE: Duration = Duration::from_secs(12 * 3600);

/// An open session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who is logged in.
    pub principal: Principal,
    /// The token every form of the session carries (checked on every POST).
    pub csrf: String,
}

impl Session {
    /// Whether a form's token is this session's.
    pub fn csrf_ok(&self, sent: Option<&str>) -> bool {
        sent.is_some_and(|s| same(s, &self.csrf))
    }
}

/// Who a session is for.
#[derive(Debug, Clone)]
pub enum Holder {
    /// A local account, by name (looked up on every request).
    Account(String),
    /// Someone an identity provider vouched for, as mapped at sign-in, with the ID token the
    /// provider gave (sent back as a hint when the session ends).
    SignedIn(Box<Principal>, String),
}

struct Entry {
    holder: Holder,
    csrf: String,
    opened: Instant,
    seen: Instant,
}

/// The open sessions.
#[derive(Default)]
pub struct Sessions {
    open: Mutex<HashMap<String, Entry>>,
}

fn key(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

impl Sessions {
    /// Opens a session for `holder`; returns the cookie's token (not kept) and the CSRF token.
    pub fn open(&self, holder: Holder) -> Result<(String, String), AuthError> {
        let token = hex(&random::<32>()?);
        let csrf = hex(&random::<32>()?);
        let now = Instant::now();
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.retain(|_, e| e.seen.elapsed() < IDLE && e.opened.elapsed() < ABSOLUTE);
        open.insert(
            key(&token),
            Entry {
                holder,
                csrf: csrf.clone(),
                opened: now,
                seen: now,
            },
        );
        Ok((token, csrf))
    }

    /// Who holds a live session, and its CSRF token (and the session is kept alive).
    pub fn get(&self, token: &str) -> Option<(Holder, String)> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let k = key(token);
        let e = open.get_mut(&k)?;
        if e.seen.elapsed() >= IDLE || e.opened.elapsed() >= ABSOLUTE {
            open.remove(&k);
            return None;
        }
        e.seen = Instant::now();
        Some((e.holder.clone(), e.csrf.clone()))
    }

    /// Ends a session.
    pub fn close(&self, token: &str) {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key(token));
    }
}
