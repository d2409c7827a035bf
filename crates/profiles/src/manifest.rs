//! A profile's manifest (`profile.toml`).

use serde::Deserialize;

/// What a profile is made of.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub name: String,
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub specification: Option<String>,
    /// Shapes files, relative to the manifest, merged into one shapes graph.
    pub shapes: Vec<String>,
    /// Shapes run once per document, with their own IRI as focus node.
    #[serde(default)]
    pub document_shapes: Vec<String>,
    /// Reference data (code lists), relative to the manifest.
    #[serde(default)]
    pub vocabularies: Vec<String>,
    #[serde(default)]
    pub levels: Option<LevelsManifest>,
}

/// `[levels]`: a shape per value of one property, applied to the instances of one class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LevelsManifest {
    pub class: String,
    pub property: String,
    /// The level of an instance whose value is missing or matches no level.
    pub default: String,
    pub level: Vec<LevelManifest>,
}

/// `[[levels.level]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LevelManifest {
    pub name: String,
    pub value: String,
    pub shape: String,
}

/// `base/relative` with `.` and `..` segments resolved (paths use `/` on every platform).
pub(crate) fn join(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}
