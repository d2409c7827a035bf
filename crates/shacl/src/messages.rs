//! The sentences of validation explanations, per language, read from `messages/{lang}.toml`
//! (bundled into the binary): Rust code picks a key and fills its `{placeholders}`, it never
//! chooses a sentence by language. A new language is a new file, listed in [`FILES`].

use std::collections::HashMap;
use std::sync::OnceLock;

/// The bundled catalogues: (language, TOML text). English is the fallback.
const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../messages/en.toml")),
    ("fr", include_str!("../messages/fr.toml")),
];

/// One language's sentences.
#[derive(Debug)]
pub struct Messages {
    lang: &'static str,
    map: HashMap<String, String>,
}

impl Messages {
    /// The language.
    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// The sentence `key` with its `{name}` placeholders filled; the key itself when no
    /// catalogue has it (a test checks that every key exists in every language).
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let template = self
            .map
            .get(key)
            .or_else(|| all()[0].map.get(key))
            .map_or(key, String::as_str);
        let mut out = template.to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

fn all() -> &'static [Messages] {
    static ALL: OnceLock<Vec<Messages>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            .map(|(lang, text)| Messages {
                lang,
                // Bundled and checked by the tests below: a syntax error cannot ship.
                map: toml::from_str(text).unwrap_or_default(),
            })
            .collect()
    })
}

/// The catalogue of `lang` (`fr`, `fr-CA`, `en`…), English when there is none.
pub fn messages(lang: &str) -> &'static Messages {
    let all = all();
    all.iter()
        .find(|m| lang == m.lang || lang.starts_with(&format!("{}-", m.lang)))
        .unwrap_or(&all[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_sentence_and_parses() {
        let en: HashMap<String, String> = toml::from_str(FILES[0].1).unwrap();
        for (lang, text) in FILES {
            let map: HashMap<String, String> =
                toml::from_str(text).unwrap_or_else(|e| panic!("messages/{lang}.toml: {e}"));
            let mut missing: Vec<_> = en.keys().filter(|k| !map.contains_key(*k)).collect();
            missing.sort();
            assert!(missing.is_empty(), "messages/{lang}.toml lacks {missing:?}");
        }
        assert_eq!(messages("fr-FR").lang(), "fr");
        assert_eq!(messages("de").lang(), "en");
        assert_eq!(
            messages("fr").fill("min_count", &[("field", "Titre"), ("n", "1"), ("s", "")]),
            "« Titre » est obligatoire : indiquez au moins 1 valeur."
        );
    }
}
