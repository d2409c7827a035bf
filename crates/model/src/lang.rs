//! Language-tagged text as a small map.

/// The values of a multilingual property (`dct:title`, `dct:description`…): language tag → text.
///
/// Tags are kept as written in the data but compared case-insensitively. A plain or `xsd:string`
/// literal is filed under the empty tag `""`. When the data holds several values for one language,
/// the first one seen is kept by [`get`](Self::get) and all of them by [`values`](Self::values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangMap {
    entries: Vec<(String, String)>,
}

impl LangMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value (tag `""` for untagged text).
    pub fn push(&mut self, lang: impl Into<String>, text: impl Into<String>) {
        self.entries.push((lang.into(), text.into()));
    }

    /// The first value in exactly this language (case-insensitive tag match).
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(lang))
            .map(|(_, t)| t.as_str())
    }

    /// The best value for a reader who prefers `langs` in that order: an exact tag, then a tag with
    /// the same primary language (`fr-BE` for `fr`), then untagged text, then whatever exists.
    /// `None` only when the map is empty.
    pub fn best(&self, langs: &[&str]) -> Option<&str> {
        for lang in langs {
            if let Some(t) = self.get(lang) {
                return Some(t);
            }
            let primary = |l: &str| l.split('-').next().unwrap_or(l).to_ascii_lowercase();
            if let Some((_, t)) = self
                .entries
                .iter()
                .find(|(l, _)| !l.is_empty() && primary(l) == primary(lang))
            {
                return Some(t);
            }
        }
        self.get("")
            .or_else(|| self.entries.first().map(|(_, t)| t.as_str()))
    }

    /// Every (tag, text) pair in data order.
    pub fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(l, t)| (l.as_str(), t.as_str()))
    }

    /// Whether the map holds no value.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_falls_back_by_primary_language_then_untagged() {
        let mut m = LangMap::new();
        m.push("fr-BE", "Titre");
        m.push("", "Plain");
        assert_eq!(m.best(&["fr"]), Some("Titre"));
        assert_eq!(m.best(&["en"]), Some("Plain"));
        let mut only_de = LangMap::new();
        only_de.push("de", "Titel");
        assert_eq!(only_de.best(&["en", "fr"]), Some("Titel"));
        assert_eq!(LangMap::new().best(&["en"]), None);
    }
}
