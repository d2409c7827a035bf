//! The vocabularies the MQA indicators check values against: the EU file-type and access-right
//! authority tables (the code lists the profiles bundle, `shapes/vocabularies/`), IANA media types,
//! the EU licence authority table, and healthcat's classification of file types as
//! non-proprietary and machine-readable (`quality/mqa.toml`).

use std::collections::HashSet;

/// The EU file-type authority table's namespace.
pub const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
/// The EU access-right authority table's namespace.
pub const ACCESS_RIGHT: &str = "http://publications.europa.eu/resource/authority/access-right/";
/// The EU licence authority table's namespace.
pub const LICENCE: &str = "http://publications.europa.eu/resource/authority/licence/";

/// `quality/mqa.toml`, bundled.
const MQA: &str = include_str!("../../../quality/mqa.toml");

#[derive(serde::Deserialize)]
struct Classification {
    non_proprietary: Vec<String>,
    machine_readable: Vec<String>,
}

/// What the indicators check values against.
#[derive(Debug, Clone, Default)]
pub struct Vocabularies {
    /// Codes of the file-type table (`CSV`, `JSON`…).
    pub file_types: HashSet<String>,
    /// Codes of the access-right table (`PUBLIC`, `NON_PUBLIC`…).
    pub access_rights: HashSet<String>,
    /// File-type codes that are not proprietary.
    pub non_proprietary: HashSet<String>,
    /// File-type codes a machine can process.
    pub machine_readable: HashSet<String>,
    /// Licence IRIs known besides the EU licence authority table.
    pub other_licences: HashSet<String>,
}

impl Vocabularies {
    /// The classification of `quality/mqa.toml` with the given file-type and access-right codes
    /// (the profile's bundled code lists).
    pub fn new(
        file_types: impl IntoIterator<Item = String>,
        access_rights: impl IntoIterator<Item = String>,
    ) -> Self {
        // Bundled and checked by the tests below: a syntax error cannot ship.
        let c: Classification = toml::from_str(MQA).unwrap_or(Classification {
            non_proprietary: Vec::new(),
            machine_readable: Vec::new(),
        });
        Self {
            file_types: file_types.into_iter().collect(),
            access_rights: access_rights.into_iter().collect(),
            non_proprietary: c.non_proprietary.into_iter().collect(),
            machine_readable: c.machine_readable.into_iter().collect(),
            other_licences: HashSet::new(),
        }
    }

    fn code<'a>(iri: &'a str, namespace: &str) -> Option<&'a str> {
        iri.strip_prefix(namespace).filter(|c| !c.is_empty())
    }

    /// An IRI of the file-type table.
    pub fn is_file_type(&self, iri: &str) -> bool {
        Self::code(iri, FILE_TYPE).is_some_and(|c| self.file_types.contains(c))
    }

    /// An IANA media type (`https://www.iana.org/assignments/media-types/text/csv`).
    pub fn is_media_type(&self, iri: &str) -> bool {
        ["http://www.iana.org/assignments/media-types/", "https://www.iana.org/assignments/media-types/"]
            .iter()
            .filter_map(|ns| iri.strip_prefix(ns))
            .any(|t| {
                let mut parts = t.split('/');
                matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if !a.is_empty() && !b.is_empty())
            })
    }

    /// A file type classified as not proprietary.
    pub fn is_non_proprietary(&self, iri: &str) -> bool {
        Self::code(iri, FILE_TYPE).is_some_and(|c| self.non_proprietary.contains(c))
    }

    /// A file type classified as machine-readable.
    pub fn is_machine_readable(&self, iri: &str) -> bool {
        Self::code(iri, FILE_TYPE).is_some_and(|c| self.machine_readable.contains(c))
    }

    /// An IRI of the access-right table.
    pub fn is_access_right(&self, iri: &str) -> bool {
        Self::code(iri, ACCESS_RIGHT).is_some_and(|c| self.access_rights.contains(c))
    }

    /// A licence of the EU licence authority table, or one of `other_licences`.
    pub fn is_known_licence(&self, iri: &str) -> bool {
        Self::code(iri, LICENCE).is_some() || self.other_licences.contains(iri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_classification_reads() {
        let c: Classification = toml::from_str(MQA).unwrap();
        assert!(c.non_proprietary.contains(&"CSV".to_owned()));
        assert!(c.machine_readable.contains(&"XLSX".to_owned()));
        let v = Vocabularies::new(["CSV".to_owned()], ["PUBLIC".to_owned()]);
        assert!(v.is_file_type(&format!("{FILE_TYPE}CSV")));
        assert!(!v.is_file_type(&format!("{FILE_TYPE}NOPE")));
        assert!(v.is_media_type("https://www.iana.org/assignments/media-types/text/csv"));
        assert!(!v.is_media_type("https://www.iana.org/assignments/media-types/text"));
        assert!(!v.is_media_type("text/csv"));
        assert!(v.is_access_right(&format!("{ACCESS_RIGHT}PUBLIC")));
        assert!(v.is_known_licence(&format!("{LICENCE}CC_BY_4_0")));
        assert!(!v.is_known_licence("https://example.org/my-licence"));
    }

    /// Our classification of file types gives data.europa.eu's answers: the same codes as its
    /// vocabularies `edp-non-proprietary-format.rdf` and `edp-machine-readable-format.rdf`.
    #[test]
    fn the_classification_is_data_europa_eus() {
        let Some(reference) = healthcat_testkit::reference_dir("the MQA vocabulary comparison")
        else {
            return;
        };
        let v = Vocabularies::new([], []);
        for (file, ours) in [
            ("edp-non-proprietary-format.rdf", &v.non_proprietary),
            ("edp-machine-readable-format.rdf", &v.machine_readable),
        ] {
            let text = std::fs::read_to_string(reference.join("mqa").join(file)).unwrap();
            let theirs: HashSet<String> = text
                .split("rdf:about=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .filter_map(|iri| iri.strip_prefix(FILE_TYPE))
                .map(str::to_owned)
                .collect();
            assert!(!theirs.is_empty(), "{file}");
            let mut missing: Vec<_> = theirs.difference(ours).collect();
            let mut extra: Vec<_> = ours.difference(&theirs).collect();
            missing.sort();
            extra.sort();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{file}: missing {missing:?}, extra {extra:?}"
            );
        }
    }
}
