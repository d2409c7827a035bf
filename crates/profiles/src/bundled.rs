//! The profiles compiled into the binary, so validation works with no file on disk.

/// `(path relative to shapes/, contents)` of every bundled file.
macro_rules! bundled {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shapes/", $path)))),*]
    };
}

pub(crate) static FILES: &[(&str, &str)] = bundled![
    "dcat-ap-3/profile.toml",
    "dcat-ap-3/core.ttl",
    "dcat-ap-3/ranges.ttl",
    "dcat-ap-3/recommended.ttl",
    "dcat-ap-3/codelists.ttl",
    "dcat-ap-3/vocabularies.ttl",
    "dcat-ap-3/form.ttl",
    "healthdcat-ap-r8/profile.toml",
    "healthdcat-ap-r8/health.ttl",
    "healthdcat-ap-r8/ranges.ttl",
    "healthdcat-ap-r8/recommended.ttl",
    "healthdcat-ap-r8/vocabularies.ttl",
    "healthdcat-ap-r8/levels.ttl",
    "healthdcat-ap-r8/guard.ttl",
    "vocabularies/access-right.ttl",
    "vocabularies/adms-licence-type.ttl",
    "vocabularies/adms-publisher-type.ttl",
    "vocabularies/adms-status.ttl",
    "vocabularies/coding-system.ttl",
    "vocabularies/continent.ttl",
    "vocabularies/country.ttl",
    "vocabularies/data-theme.ttl",
    "vocabularies/dataset-type.ttl",
    "vocabularies/distribution-status.ttl",
    "vocabularies/file-type.ttl",
    "vocabularies/frequency.ttl",
    "vocabularies/health-activity.ttl",
    "vocabularies/health-category.ttl",
    "vocabularies/health-theme.ttl",
    "vocabularies/language.ttl",
    "vocabularies/planned-availability.ttl",
    "vocabularies/publisher-type.ttl",
    "vocabularies/standard.ttl",
];

/// Names of the bundled profiles.
pub(crate) const PROFILES: &[&str] = &["dcat-ap-3", "healthdcat-ap-r8"];

/// A bundled file by its path relative to shapes/.
pub(crate) fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, c)| *c)
}
