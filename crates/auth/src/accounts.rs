//! Accounts of people: a name, a role, and an argon2id hash of a password (never the password).

use crate::file::{JsonFile, audit_line, random};
use crate::{AuthError, Principal, Role};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Shortest password accepted: long passphrases beat composition rules (NIST SP 800-63B).
pub const MIN_PASSWORD: usize = 12;
/// Failed logins in a row after which an account waits [`LOCKOUT`] before the next try.
const MAX_FAILURES: u32 = 5;
const LOCKOUT: Duration = Duration::from_secs(60);

/// One account, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Account {
    /// Login name (recorded with each change the account makes).
    pub name: String,
    /// Its role.
    pub role: Role,
    /// For editors: the publishers whose records it may change.
    #[serde(default)]
    pub publishers: Vec<String>,
    /// argon2id hash of the password, PHC string format.
    pub password: String,
    /// When it was made (RFC 3339).
    pub created: String,
    /// When it was disabled, if it was.
    #[serde(default)]
    pub disabled: Option<String>,
    /// Where the catalogue writes to this person (the annual review's reminders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The accounts of one catalogue (`{data_dir}/auth/accounts.json`).
pub struct Accounts {
    dir: PathBuf,
    file: JsonFile<Account>,
    /// Failed logins in a row per name, and when the last one happened.
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

fn hash(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::encode_b64(&random::<16>()?)
        .map_err(|e| AuthError::Invalid(format!("salt: {e}")))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Invalid(format!("password hash: {e}")))
}

fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

impl Accounts {
    /// The accounts in `{data_dir}/auth/` (the file is created with the first account).
    pub fn new(data_dir: &Path) -> Self {
        let dir = data_dir.join("auth");
        Self {
            file: JsonFile::new(&dir, "accounts.json", "accounts"),
            dir,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Every account, disabled ones included.
    pub fn list(&self) -> Result<Vec<Account>, AuthError> {
        self.file.list()
    }

    /// Makes an account.
    pub fn create(
        &self,
        name: &str,
        role: Role,
        publishers: Vec<String>,
        password: &str,
    ) -> Result<Account, AuthError> {
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(AuthError::Invalid(format!(
                "{name:?} is not a login name: use letters, digits and punctuation, no spaces"
            )));
        }
        if role == Role::Editor && publishers.is_empty() {
            return Err(AuthError::Invalid(
                "an editor account needs at least one publisher (--publisher IRI)".into(),
            ));
        }
        check_password(password)?;
        let mut accounts = self.list()?;
        if accounts.iter().any(|a| a.name == name) {
            return Err(AuthError::Invalid(format!(
                "an account {name:?} exists (see `healthcat users list`)"
            )));
        }
        let account = Account {
            name: name.to_owned(),
            role,
            publishers,
            password: hash(password)?,
            created: jiff::Timestamp::now().to_string(),
            disabled: None,
            email: None,
        };
        accounts.push(account.clone());
        self.file.save(&accounts)?;
        Ok(account)
    }

    /// Sets (or, with `None`, removes) the account's e-mail address.
    pub fn set_email(&self, name: &str, email: Option<&str>) -> Result<(), AuthError> {
        if let Some(e) = email {
            let ok = e.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.contains('@')
            }) && !e
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ',');
            if !ok {
                return Err(AuthError::Invalid(format!(
                    "{e:?} is not an e-mail address (name@example.org)"
                )));
            }
        }
        let mut accounts = self.list()?;
        let account = accounts
            .iter_mut()
            .find(|a| a.name == name)
            .ok_or_else(|| {
                AuthError::Invalid(format!("no account {name:?} (see `healthcat users list`)"))
            })?;
        account.email = email.map(str::to_owned);
        self.file.save(&accounts)
    }

    /// Sets a new password (and enables the account again).
    pub fn set_password(&self, name: &str, password: &str) -> Result<(), AuthError> {
        check_password(password)?;
        let phc = hash(password)?;
        self.change(name, |a| {
            a.password = phc;
            a.disabled = None;
        })
    }

    /// Disables an account: its sessions end at their next request.
    pub fn disable(&self, name: &str) -> Result<(), AuthError> {
        self.change(name, |a| {
            a.disabled
                .get_or_insert_with(|| jiff::Timestamp::now().to_string());
        })
    }

    fn change(&self, name: &str, f: impl FnOnce(&mut Account)) -> Result<(), AuthError> {
        let mut accounts = self.list()?;
        let account = accounts
            .iter_mut()
            .find(|a| a.name == name)
            .ok_or_else(|| {
                AuthError::Invalid(format!("no account {name:?} (see `healthcat users list`)"))
            })?;
        f(account);
        self.file.save(&accounts)
    }

    /// The enabled account `name` as a principal (sessions look it up on each request, so a
    /// disabled account or a changed role applies at once).
    pub fn principal(&self, name: &str) -> Option<Principal> {
        let accounts = self.list().ok()?;
        let a = accounts
            .iter()
            .find(|a| a.name == name && a.disabled.is_none())?;
        Some(Principal {
            name: a.name.clone(),
            role: a.role,
            publishers: a.publishers.clone(),
            via: format!("account:{}", a.name),
        })
    }

    /// Checks a login; every attempt is in the audit log. The same answer, after the same work,
    /// for an unknown name and a wrong password (no way to learn which names exist).
    /// Wrong credentials are [`AuthError::Refused`]; an unreadable accounts file is
    /// [`AuthError::File`].
    pub fn log_in(&self, name: &str, password: &str) -> Result<Principal, AuthError> {
        let refused = AuthError::Refused("unknown name or wrong password".to_owned());
        {
            let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((n, at)) = failures.get(name)
                && *n >= MAX_FAILURES
                && at.elapsed() < LOCKOUT
            {
                self.log(name, "login refused (too many failures; wait a minute)");
                return Err(AuthError::Refused(format!(
                    "too many failed attempts for this account: try again in {} seconds",
                    (LOCKOUT - at.elapsed()).as_secs() + 1
                )));
            }
        }
        let accounts = self.list()?;
        let account = accounts.iter().find(|a| a.name == name);
        // An unknown name still costs one hash, as a wrong password does.
        const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1yH5ffdK0dQcRDDbWMRPhiV7ldMM/gy8OjqmSvI6zxw";
        let ok = verify(password, account.map_or(DUMMY, |a| a.password.as_str()))
            && account.is_some_and(|a| a.disabled.is_none());
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if !ok {
            let entry = failures
                .entry(name.to_owned())
                .or_insert((0, Instant::now()));
            *entry = (entry.0 + 1, Instant::now());
            self.log(name, "login failed");
            return Err(refused);
        }
        failures.remove(name);
        self.log(name, "login");
        self.principal(name).ok_or(refused)
    }

    fn log(&self, name: &str, event: &str) {
        audit_line(
            &self.dir,
            serde_json::json!({ "who": name, "via": "password", "event": event }),
        );
    }
}

fn check_password(password: &str) -> Result<(), AuthError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AuthError::Invalid(format!(
            "the password is too short: use at least {MIN_PASSWORD} characters (a phrase of a few words is best)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_kept_hashed_and_checked_and_failures_slow_down() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::new(dir.path());
        let pw = "correct horse battery staple";
        accounts
            .create(
                "marie",
                Role::Editor,
                vec!["https://chu.example/org".into()],
                pw,
            )
            .unwrap();
        let file = std::fs::read_to_string(dir.path().join("auth/accounts.json")).unwrap();
        assert!(!file.contains(pw) && file.contains("$argon2id$"), "{file}");
        let p = accounts.log_in("marie", pw).unwrap();
        assert_eq!((p.role, p.via.as_str()), (Role::Editor, "account:marie"));
        let unknown = accounts.log_in("nobody", pw).unwrap_err();
        let wrong = accounts.log_in("marie", "not the password").unwrap_err();
        assert_eq!(
            unknown.to_string(),
            wrong.to_string(),
            "names cannot be probed"
        );
        assert!(unknown.is_refusal());
        for _ in 0..5 {
            let _ = accounts.log_in("marie", "still not it");
        }
        assert!(
            accounts
                .log_in("marie", pw)
                .unwrap_err()
                .to_string()
                .contains("too many")
        );
        let log = std::fs::read_to_string(dir.path().join("auth/audit.log")).unwrap();
        assert!(
            log.contains("\"login\"") && log.contains("login failed"),
            "{log}"
        );
        assert!(!log.contains(pw));
        // Short passwords, duplicates and editors without publishers are refused with the fix.
        assert!(
            accounts
                .create("x", Role::Admin, vec![], "short")
                .unwrap_err()
                .to_string()
                .contains("at least 12")
        );
        assert!(accounts.create("marie", Role::Admin, vec![], pw).is_err());
        assert!(accounts.create("y", Role::Editor, vec![], pw).is_err());
        // Disabled: no login, no principal for its sessions.
        accounts.create("paul", Role::Admin, vec![], pw).unwrap();
        accounts.disable("paul").unwrap();
        assert!(accounts.log_in("paul", pw).is_err());
        assert!(accounts.principal("paul").is_none());
    }
}
