//! The label's framework as data ([`LabelSpec`]): categories, dimensions with their weights,
//! metrics with their weights and levels, the maturity model — read from a TOML file
//! (`quality/quantum-label.toml`, bundled, or one an instance names) and checked as it is read.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The bundled framework.
const BUNDLED: &str = include_str!("../../../../quality/quantum-label.toml");

/// A text in several languages; English is required and is the fallback.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    /// The text in `lang` (its primary subtag), else in English.
    pub fn get(&self, lang: &str) -> &str {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        self.0
            .get(primary)
            .or_else(|| self.0.get("en"))
            .map_or("", String::as_str)
    }
}

/// How healthcat computes a metric from the metadata (docs/quality.md gives each level's rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// `dct:accessRights`, then a usage policy (`odrl:hasPolicy`, `dct:license`, `dct:rights`).
    AccessPolicy,
    /// `dct:source`, `dct:creator` or `dct:contributor`.
    SourceDocumentation,
    /// `dct:provenance`, then PROV-O (`prov:wasGeneratedBy`, `prov:qualifiedAttribution`…).
    ProcessDocumentation,
    /// The record against the catalogue's profile: some violations, then none.
    StandardisedMetadata,
    /// `healthdcatap:hasVariables`, then every column named, described and typed.
    DataDictionary,
}

impl Rule {
    /// The number of levels the rule gives (the metric must have as many).
    pub fn levels(self) -> usize {
        match self {
            Self::SourceDocumentation => 2,
            _ => 3,
        }
    }
}

/// An EHDS category.
#[derive(Debug, Clone, Deserialize)]
pub struct Category {
    /// Its key.
    pub key: String,
    /// Its name.
    #[serde(flatten)]
    pub name: Text,
}

/// A quality and utility dimension.
#[derive(Debug, Clone, Deserialize)]
pub struct Dimension {
    /// Its key.
    pub key: String,
    /// Its category's key.
    pub category: String,
    /// Its weight (a share of the sum of all dimensions' weights).
    pub weight: f64,
    /// What it means.
    pub definition: Text,
    /// Its name.
    #[serde(flatten)]
    pub name: Text,
}

/// A metric: levels from the lowest (worth nothing) to the highest (worth all its weight).
#[derive(Debug, Clone, Deserialize)]
pub struct Metric {
    /// Its key; a declaration measures `{namespace}{key}`.
    pub key: String,
    /// Its dimension's key.
    pub dimension: String,
    /// Its weight within the dimension, in per cent.
    pub weight: f64,
    /// How healthcat computes it; `None`: the data holder declares it.
    #[serde(default)]
    pub computed: Option<Rule>,
    /// Each level's wording, per language.
    pub levels: BTreeMap<String, Vec<String>>,
    /// Its name.
    #[serde(flatten)]
    pub name: Text,
}

impl Metric {
    /// The highest level.
    pub fn max(&self) -> u8 {
        self.levels
            .get("en")
            .map_or(0, |l| l.len().saturating_sub(1)) as u8
    }

    /// Level `level`'s wording in `lang` (else English).
    pub fn level(&self, level: u8, lang: &str) -> &str {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        self.levels
            .get(primary)
            .or_else(|| self.levels.get("en"))
            .and_then(|l| l.get(usize::from(level)))
            .map_or("", String::as_str)
    }
}

/// A dimension of the data holder maturity model (levels 1 to 5).
#[derive(Debug, Clone, Deserialize)]
pub struct Maturity {
    /// Its key.
    pub key: String,
    /// Each level's wording (level 1 first), per language.
    pub levels: BTreeMap<String, Vec<String>>,
    /// Its name.
    #[serde(flatten)]
    pub name: Text,
}

impl Maturity {
    /// Each level's wording (level 1 first) in `lang` (its primary subtag), else in English.
    pub fn levels_in(&self, lang: &str) -> &[String] {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        self.levels
            .get(primary)
            .or_else(|| self.levels.get("en"))
            .map_or(&[], Vec::as_slice)
    }
}

/// The whole framework.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    /// The namespace of the metrics' IRIs (`{namespace}{metric key}`).
    pub namespace: String,
    /// The scores from which the label has one, two… five stars.
    pub stars: [f64; 5],
    /// The categories.
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
    /// The dimensions.
    #[serde(rename = "dimension")]
    pub dimensions: Vec<Dimension>,
    /// The metrics.
    #[serde(rename = "metric")]
    pub metrics: Vec<Metric>,
    /// The maturity model.
    #[serde(rename = "maturity", default)]
    pub maturity: Vec<Maturity>,
}

/// A framework file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    /// Not TOML of the expected shape.
    #[error("{origin}: {message}")]
    Syntax {
        /// The file.
        origin: String,
        /// What the TOML reader said (with the line).
        message: String,
    },
    /// Well-formed, but breaking a rule of the file's header.
    #[error("{origin}: {entry}: {what}")]
    Invalid {
        /// The file.
        origin: String,
        /// The entry at fault (`metric "access-time"`).
        entry: String,
        /// What is wrong and what to do.
        what: String,
    },
}

impl Default for LabelSpec {
    /// The bundled framework.
    fn default() -> Self {
        Self::bundled().clone()
    }
}

impl LabelSpec {
    /// The bundled framework (QUANTUM's).
    pub fn bundled() -> &'static LabelSpec {
        static SPEC: std::sync::OnceLock<LabelSpec> = std::sync::OnceLock::new();
        SPEC.get_or_init(|| {
            Self::parse(BUNDLED, "quality/quantum-label.toml").unwrap_or_else(|e| {
                unreachable!("the bundled label framework is checked by a test: {e}")
            })
        })
    }

    /// Reads and checks a framework; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, LabelError> {
        let spec: LabelSpec = toml::from_str(text).map_err(|e| LabelError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        spec.check(origin)?;
        Ok(spec)
    }

    fn check(&self, origin: &str) -> Result<(), LabelError> {
        let bad = |entry: String, what: String| LabelError::Invalid {
            origin: origin.to_owned(),
            entry,
            what,
        };
        if !self.stars.windows(2).all(|w| w[0] < w[1])
            || self.stars[0] < 0.0
            || self.stars[4] > 100.0
        {
            return Err(bad(
                "stars".into(),
                "give five increasing scores between 0 and 100".into(),
            ));
        }
        // A name's languages are what no field took: a misspelt field lands there.
        let texts =
            |entry: &str, t: &Text| -> Result<(), LabelError> {
                if let Some(k) = t.0.keys().find(|k| {
                    !(2..=3).contains(&k.len()) || !k.bytes().all(|b| b.is_ascii_lowercase())
                }) {
                    return Err(bad(
                        entry.into(),
                        format!("unknown field `{k}` (names are given per language: `en`, `fr`…)"),
                    ));
                }
                if t.0.get("en").is_none_or(|s| s.trim().is_empty()) {
                    return Err(bad(
                        entry.into(),
                        "give its name in English (`en = \"…\"`)".into(),
                    ));
                }
                Ok(())
            };
        let levels = |entry: &str, l: &BTreeMap<String, Vec<String>>, want: Option<usize>| {
            let Some(en) = l.get("en") else {
                return Err(bad(
                    entry.into(),
                    "give its levels in English (`levels.en`)".into(),
                ));
            };
            if !(2..=10).contains(&en.len()) {
                return Err(bad(entry.into(), "give two to ten levels".into()));
            }
            if let Some((lang, _)) = l.iter().find(|(_, v)| v.len() != en.len()) {
                return Err(bad(
                    entry.into(),
                    format!(
                        "`levels.{lang}` has not as many levels as `levels.en` ({})",
                        en.len()
                    ),
                ));
            }
            if let Some(want) = want
                && en.len() != want
            {
                return Err(bad(
                    entry.into(),
                    format!("its rule gives {want} levels, the file lists {}", en.len()),
                ));
            }
            Ok(())
        };
        let mut keys = std::collections::HashSet::new();
        for c in &self.categories {
            let entry = format!("category \"{}\"", c.key);
            texts(&entry, &c.name)?;
            if !keys.insert(("category", c.key.as_str())) {
                return Err(bad(entry, "appears twice".into()));
            }
        }
        for m in &self.metrics {
            let entry = format!("metric \"{}\"", m.key);
            texts(&entry, &m.name)?;
            if !keys.insert(("metric", m.key.as_str())) {
                return Err(bad(entry, "appears twice".into()));
            }
            if !self.dimensions.iter().any(|d| d.key == m.dimension) {
                return Err(bad(
                    entry,
                    format!("no dimension \"{}\" is listed", m.dimension),
                ));
            }
            if !(m.weight > 0.0 && m.weight.is_finite()) {
                return Err(bad(entry, "give it a positive weight".into()));
            }
            levels(&entry, &m.levels, m.computed.map(Rule::levels))?;
        }
        for d in &self.dimensions {
            let entry = format!("dimension \"{}\"", d.key);
            texts(&entry, &d.name)?;
            if !keys.insert(("dimension", d.key.as_str())) {
                return Err(bad(entry, "appears twice".into()));
            }
            if !self.categories.iter().any(|c| c.key == d.category) {
                return Err(bad(
                    entry,
                    format!("no category \"{}\" is listed", d.category),
                ));
            }
            if !(d.weight > 0.0 && d.weight.is_finite()) {
                return Err(bad(entry, "give it a positive weight".into()));
            }
            let sum: f64 = self
                .metrics
                .iter()
                .filter(|m| m.dimension == d.key)
                .map(|m| m.weight)
                .sum();
            if (sum - 100.0).abs() > 0.01 {
                return Err(bad(
                    entry,
                    format!("its metrics weigh {sum} together; make them weigh 100"),
                ));
            }
        }
        for m in &self.maturity {
            let entry = format!("maturity \"{}\"", m.key);
            texts(&entry, &m.name)?;
            levels(&entry, &m.levels, Some(5))?;
        }
        Ok(())
    }

    /// The metric measured by `iri`, when it is one of this framework's.
    pub fn metric_of(&self, iri: &str) -> Option<&Metric> {
        let key = iri.strip_prefix(&self.namespace)?;
        self.metrics.iter().find(|m| m.key == key)
    }

    /// A dimension by key.
    pub fn dimension(&self, key: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.key == key)
    }

    /// The points (out of 100) a metric is worth: its dimension's share of all the dimensions'
    /// weight times its own weight within the dimension.
    pub fn points(&self, metric: &Metric) -> f64 {
        let total: f64 = self.dimensions.iter().map(|d| d.weight).sum();
        let dim = self.dimension(&metric.dimension).map_or(0.0, |d| d.weight);
        100.0 * dim / total * metric.weight / 100.0
    }

    /// The stars of `score` (0 to 5).
    pub fn stars_of(&self, score: f64) -> u8 {
        self.stars.iter().filter(|&&s| score >= s).count() as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_framework_is_quantums() {
        let s = LabelSpec::bundled();
        assert_eq!(s.categories.len(), 4);
        assert_eq!(s.dimensions.len(), 12);
        assert_eq!(s.metrics.len(), 15);
        assert_eq!(s.maturity.len(), 10);
        let total: f64 = s.metrics.iter().map(|m| s.points(m)).sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
        // The framework's dimension weights add up to 100.01 (rounded per cent): a metric's
        // points are its dimension's share of that times its own weight.
        let policy = s.metric_of("urn:healthcat:quantum:access-policy").unwrap();
        assert!((s.points(policy) - 9.95 / 100.01 * 100.0 / 2.0).abs() < 1e-9);
        assert_eq!(policy.max(), 2);
        assert_eq!(policy.level(1, "fr-FR"), "Politique sommaire disponible");
        assert_eq!(policy.level(1, "de"), "Basic policy available");
        assert_eq!(
            (
                s.stars_of(24.99),
                s.stars_of(25.0),
                s.stars_of(89.9),
                s.stars_of(90.0)
            ),
            (0, 1, 4, 5)
        );
    }

    /// Each rule of the file's header refuses what breaks it, naming the entry.
    #[test]
    fn a_broken_framework_names_its_entry() {
        let err = |from: &str, to: &str| {
            let text = BUNDLED.replacen(from, to, 1);
            assert_ne!(text, BUNDLED, "{from}");
            LabelSpec::parse(&text, "label.toml")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(
                "weight = 50.0\ncomputed = \"access-policy\"",
                "weight = 40.0\ncomputed = \"access-policy\""
            ),
            "label.toml: dimension \"accessibility\": its metrics weigh 90 together; make them weigh 100"
        );
        assert_eq!(
            err(
                "dimension = \"accessibility\"",
                "dimension = \"accessibilty\""
            ),
            "label.toml: metric \"access-policy\": no dimension \"accessibilty\" is listed"
        );
        assert_eq!(
            err(
                "levels.fr = [\"Aucune source documentée\", \"La source est documentée\"]",
                "levels.fr = [\"Aucune\"]"
            ),
            "label.toml: metric \"source-documentation\": `levels.fr` has not as many levels as `levels.en` (2)"
        );
        assert_eq!(
            err(
                "computed = \"source-documentation\"",
                "computed = \"access-policy\""
            ),
            "label.toml: metric \"source-documentation\": its rule gives 3 levels, the file lists 2"
        );
        assert_eq!(
            err("stars = [25.0, 45.0", "stars = [45.0, 25.0"),
            "label.toml: stars: give five increasing scores between 0 and 100"
        );
        assert_eq!(
            err(
                "computed = \"data-dictionary\"",
                "computd = \"data-dictionary\""
            ),
            "label.toml: metric \"data-dictionary\": unknown field `computd` (names are given per language: `en`, `fr`…)"
        );
        let syntax = err("computed = \"data-dictionary\"", "computed = \"guess\"");
        assert!(
            syntax.starts_with("label.toml: ") && syntax.contains("line"),
            "{syntax}"
        );
    }
}
