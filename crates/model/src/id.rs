//! Local record ids: short, stable, URL-safe names for records.
//!
//! A record's IRI is its identity, but IRIs make poor URL segments and file names, and records
//! harvested as blank nodes have none. healthcat therefore gives every record a *local id* when it
//! first sees it and never changes it afterwards (the store keeps the mapping). Ids are derived from
//! the IRI's last segment so that they stay readable (`dataset-oncology-ehrs-2024`), and fall back to a
//! hash suffix on collision.

use std::fmt;

/// Longest slug kept from an IRI before the hash suffix.
const MAX_SLUG: usize = 64;

/// A URL-safe local record id: 1 to 80 characters from `[a-z0-9-]`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(String);

/// Returned by [`LocalId::new`] for a string that is not a valid local id.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "'{0}' is not a valid record id: use 1 to 80 characters among a-z, 0-9 and '-', not starting or ending with '-'"
)]
pub struct LocalIdError(pub String);

impl LocalId {
    /// Checks and wraps an id (as typed in a URL or on the command line).
    pub fn new(id: impl Into<String>) -> Result<Self, LocalIdError> {
        let id = id.into();
        let ok = !id.is_empty()
            && id.len() <= 80
            && !id.starts_with('-')
            && !id.ends_with('-')
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(id))
        } else {
            Err(LocalIdError(id))
        }
    }

    /// The readable part proposed for a record IRI: its last non-empty path segment or fragment,
    /// lower-cased, with every run of other characters folded to one `-`. `None` when nothing
    /// readable is left (then callers use a hash).
    pub fn slug_of_iri(iri: &str) -> Option<Self> {
        let tail = iri
            .trim_end_matches(['/', '#'])
            .rsplit(['/', '#', ':', '?', '='])
            .next()
            .unwrap_or_default();
        Self::slugify(tail)
    }

    /// Folds any text (a title, an identifier) into a slug; `None` when nothing is left.
    pub fn slugify(text: &str) -> Option<Self> {
        let mut slug = String::with_capacity(text.len().min(MAX_SLUG));
        let mut dash = false;
        for c in text.chars() {
            let c = fold_accent(c);
            if c.is_ascii_alphanumeric() {
                if dash && !slug.is_empty() {
                    slug.push('-');
                }
                dash = false;
                slug.push(c.to_ascii_lowercase());
                if slug.len() >= MAX_SLUG {
                    break;
                }
            } else {
                dash = true;
            }
        }
        let slug = slug.trim_end_matches('-').to_owned();
        Self::new(slug).ok()
    }

    /// This id with a disambiguating suffix (`slug-1a2b3c4d`), used when the slug is taken.
    pub fn with_suffix(&self, suffix: &str) -> Self {
        let mut s = self.0.clone();
        s.push('-');
        s.push_str(suffix);
        Self(s)
    }

    /// An id made of a suffix alone (for records with no readable name).
    pub fn from_hash(hex: &str) -> Self {
        let mut s = String::from("r-");
        s.extend(hex.chars().filter(char::is_ascii_hexdigit).take(16));
        Self(s.to_ascii_lowercase())
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Maps the Latin letters with diacritics common in French, German and Nordic titles to ASCII, so
/// that `Données` gives `donnees` rather than `donn-es`.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_from_iri_keeps_the_readable_tail() {
        let id =
            LocalId::slug_of_iri("https://ex.org/release-7/example/dataset-oncology-ehrs-2024");
        assert_eq!(id.unwrap().as_str(), "dataset-oncology-ehrs-2024");
        let id = LocalId::slug_of_iri("http://data.europa.eu/88u/dataset/Bee_Population#");
        assert_eq!(id.unwrap().as_str(), "bee-population");
        assert_eq!(
            LocalId::slugify("Données de santé").unwrap().as_str(),
            "donnees-de-sante"
        );
        assert!(LocalId::slug_of_iri("https://ex.org/%%%/").is_none());
    }

    #[test]
    fn ids_are_validated() {
        assert!(LocalId::new("abc-1").is_ok());
        for bad in ["", "-a", "a-", "A", "a/b", "é"] {
            assert!(LocalId::new(bad).is_err(), "{bad}");
        }
        assert_eq!(
            LocalId::from_hash("ABCDEF0123456789ff").as_str(),
            "r-abcdef0123456789"
        );
    }
}
