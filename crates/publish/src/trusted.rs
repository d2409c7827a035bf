//! Trusted health data holders (EHDS Article 72): the health data access body's decisions, each
//! with its date and reference, that a holder is trusted — from the configuration
//! (`[[trusted_holders]]`, read-only) and from the administrators' page (kept in
//! `{data_dir}/trusted-holders.toml`, written whole and atomically). HealthDCAT-AP Release 8 has
//! no property for it; the catalogue publishes `healthdcatap:trustedDataHolder true` on the
//! holder, the property HealthDCAT-AP drafts used (and a source's own statement stays as it sent
//! it, shown as the source's).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// One decision that a data holder is trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedHolder {
    /// The holder's IRI (the `dct:publisher` of its datasets).
    pub iri: String,
    /// The decision's date (`YYYY-MM-DD`).
    pub decided: String,
    /// The decision's reference (a number, a link).
    pub reference: String,
}

/// Why a decision or the list could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum TrustedError {
    /// A field of a decision is wrong.
    #[error("{field}: {why}")]
    Invalid {
        /// `iri`, `decided` or `reference` (with the entry's place when read from a file).
        field: String,
        /// What is wrong and what to do.
        why: String,
    },
    /// The list's file could not be read or written.
    #[error("{path}: {why}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        why: String,
    },
}

impl TrustedHolder {
    /// Checks the decision's fields; `at` says where it was read (for the message).
    pub fn check(&self, at: &str) -> Result<(), TrustedError> {
        let bad = |field: &str, why: String| TrustedError::Invalid {
            field: format!("{at}{field}"),
            why,
        };
        if oxrdf::NamedNode::new(&self.iri).is_err()
            || !(self.iri.starts_with("https://") || self.iri.starts_with("http://"))
        {
            return Err(bad(
                "iri",
                format!(
                    "{:?} is not an http(s) IRI: give the holder's IRI, as its datasets name it in dct:publisher",
                    self.iri
                ),
            ));
        }
        if self.decided.parse::<jiff::civil::Date>().is_err() {
            return Err(bad(
                "decided",
                format!("{:?} is not a date: write it YYYY-MM-DD", self.decided),
            ));
        }
        if self.reference.trim().is_empty() {
            return Err(bad(
                "reference",
                "is empty: give the decision's reference (its number or a link to it)".into(),
            ));
        }
        Ok(())
    }
}

/// The file the administrators' decisions are kept in.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "holder")]
    holders: Vec<TrustedHolder>,
}

/// The trusted holders: the configuration's and the administrators'.
#[derive(Debug)]
pub struct TrustedHolders {
    path: Option<PathBuf>,
    configured: Vec<TrustedHolder>,
    managed: RwLock<Vec<TrustedHolder>>,
}

impl TrustedHolders {
    /// The list in `{data_dir}/trusted-holders.toml` (absent: empty) beside the `configured`
    /// decisions; each checked, the first wrong one named.
    pub fn open(data_dir: &Path, configured: Vec<TrustedHolder>) -> Result<Self, TrustedError> {
        for (i, h) in configured.iter().enumerate() {
            h.check(&format!("[[trusted_holders]] #{}: ", i + 1))?;
        }
        let path = data_dir.join("trusted-holders.toml");
        let managed = match std::fs::read_to_string(&path) {
            Ok(text) => {
                let file: File = toml::from_str(&text).map_err(|e| TrustedError::File {
                    path: path.display().to_string(),
                    why: e.to_string(),
                })?;
                for (i, h) in file.holders.iter().enumerate() {
                    h.check(&format!("{} [[holder]] #{}: ", path.display(), i + 1))?;
                }
                file.holders
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(TrustedError::File {
                    path: path.display().to_string(),
                    why: e.to_string(),
                });
            }
        };
        Ok(Self {
            path: Some(path),
            configured,
            managed: RwLock::new(managed),
        })
    }

    /// An empty list kept nowhere (tests, tools).
    pub fn none() -> Self {
        Self {
            path: None,
            configured: Vec::new(),
            managed: RwLock::new(Vec::new()),
        }
    }

    /// Every decision: the configuration's first, then the administrators', one per holder.
    pub fn all(&self) -> Vec<(TrustedHolder, bool)> {
        let managed = self.managed.read().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<(TrustedHolder, bool)> =
            self.configured.iter().map(|h| (h.clone(), true)).collect();
        for h in managed.iter() {
            if !out.iter().any(|(o, _)| o.iri == h.iri) {
                out.push((h.clone(), false));
            }
        }
        out
    }

    /// The IRIs of the trusted holders.
    pub fn iris(&self) -> Vec<String> {
        self.all().into_iter().map(|(h, _)| h.iri).collect()
    }

    /// The decision about holder `iri`, if it is trusted.
    pub fn get(&self, iri: &str) -> Option<TrustedHolder> {
        self.all()
            .into_iter()
            .map(|(h, _)| h)
            .find(|h| h.iri == iri)
    }

    /// Adds (or replaces) an administrators' decision, and keeps the list.
    pub fn add(&self, holder: TrustedHolder) -> Result<(), TrustedError> {
        holder.check("")?;
        if self.configured.iter().any(|h| h.iri == holder.iri) {
            return Err(TrustedError::Invalid {
                field: "iri".into(),
                why: format!(
                    "{} is trusted by the configuration ([[trusted_holders]]): change it there",
                    holder.iri
                ),
            });
        }
        let mut managed = self.managed.write().unwrap_or_else(|p| p.into_inner());
        let mut next = managed.clone();
        next.retain(|h| h.iri != holder.iri);
        next.push(holder);
        self.save(&next)?;
        *managed = next;
        Ok(())
    }

    /// Withdraws an administrators' decision; whether there was one.
    pub fn remove(&self, iri: &str) -> Result<bool, TrustedError> {
        let mut managed = self.managed.write().unwrap_or_else(|p| p.into_inner());
        let mut next = managed.clone();
        next.retain(|h| h.iri != iri);
        if next.len() == managed.len() {
            return Ok(false);
        }
        self.save(&next)?;
        *managed = next;
        Ok(true)
    }

    /// Writes `holders` whole: a new file renamed over the old one.
    fn save(&self, holders: &[TrustedHolder]) -> Result<(), TrustedError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let fail = |e: &dyn std::fmt::Display| TrustedError::File {
            path: path.display().to_string(),
            why: e.to_string(),
        };
        let text = toml::to_string(&File {
            holders: holders.to_vec(),
        })
        .map_err(|e| fail(&e))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let tmp = path.with_extension("toml.new");
        std::fs::write(&tmp, text).map_err(|e| fail(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| fail(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(iri: &str) -> TrustedHolder {
        TrustedHolder {
            iri: iri.into(),
            decided: "2026-03-01".into(),
            reference: "HDAB-2026-014".into(),
        }
    }

    #[test]
    fn decisions_are_kept_across_opens_and_the_configuration_s_cannot_be_changed_here() {
        let dir = tempfile::tempdir().unwrap();
        let configured = vec![holder("https://chu.example/org")];
        let list = TrustedHolders::open(dir.path(), configured.clone()).unwrap();
        list.add(holder("https://inserm.example/org")).unwrap();
        assert!(list.add(holder("https://chu.example/org")).is_err());
        let again = TrustedHolders::open(dir.path(), configured.clone()).unwrap();
        assert_eq!(
            again.iris(),
            ["https://chu.example/org", "https://inserm.example/org"]
        );
        assert_eq!(
            again.get("https://inserm.example/org").unwrap().reference,
            "HDAB-2026-014"
        );
        assert!(again.remove("https://inserm.example/org").unwrap());
        assert!(!again.remove("https://inserm.example/org").unwrap());
        let third = TrustedHolders::open(dir.path(), configured).unwrap();
        assert_eq!(third.iris(), ["https://chu.example/org"]);
    }

    #[test]
    fn a_wrong_decision_is_refused_naming_the_field() {
        let list = TrustedHolders::none();
        let e = list
            .add(TrustedHolder {
                decided: "1 March 2026".into(),
                ..holder("https://chu.example/org")
            })
            .unwrap_err();
        assert!(e.to_string().starts_with("decided: "), "{e}");
        let e = list.add(holder("javascript:alert(1)")).unwrap_err();
        assert!(e.to_string().starts_with("iri: "), "{e}");
        let e = list
            .add(TrustedHolder {
                reference: " ".into(),
                ..holder("https://chu.example/org")
            })
            .unwrap_err();
        assert!(e.to_string().starts_with("reference: "), "{e}");
        assert!(list.iris().is_empty());
        // A broken file is named, with the entry.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("trusted-holders.toml"),
            "[[holder]]\niri = \"https://x.example/\"\ndecided = \"soon\"\nreference = \"r\"\n",
        )
        .unwrap();
        let e = TrustedHolders::open(dir.path(), Vec::new()).unwrap_err();
        assert!(e.to_string().contains("[[holder]] #1: decided"), "{e}");
    }
}
