//! The sentences of validation explanations, per language, read from `messages/{lang}.toml`
//! (bundled into the binary): Rust code picks a key and fills its `{placeholders}`, it never
//! chooses a sentence by language. A new language is a new file, listed in [`FILES`].

use healthcat_model::messages::Catalogue;
use std::sync::OnceLock;

/// The bundled catalogues: (language, TOML text). English is the fallback.
const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../messages/en.toml")),
    ("fr", include_str!("../messages/fr.toml")),
];

/// One language's explanations.
#[derive(Debug, Clone, Copy)]
pub struct Messages {
    lang: &'static str,
}

impl Messages {
    /// The language.
    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// The sentence `key` with its `{name}` placeholders filled; the key itself when no
    /// catalogue has it (a test checks that every key exists in every language).
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        catalogue().fill(self.lang, key, args)
    }
}

fn catalogue() -> &'static Catalogue {
    static ALL: OnceLock<Catalogue> = OnceLock::new();
    ALL.get_or_init(|| Catalogue::new(FILES))
}

/// The explanations in `lang` (`fr`, `fr-CA`, `en`…), English when there are none.
pub fn messages(lang: &str) -> Messages {
    Messages {
        lang: catalogue().lang(lang).lang(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_sentence_and_parses() {
        assert_eq!(Catalogue::missing(FILES), Vec::<String>::new());
        assert_eq!(messages("fr-FR").lang(), "fr");
        assert_eq!(messages("de").lang(), "en");
        assert_eq!(
            messages("fr").fill("min_count", &[("field", "Titre"), ("n", "1"), ("s", "")]),
            "« Titre » est obligatoire : indiquez au moins 1 valeur."
        );
    }
}
