//! The sentences of metadata quality, per language (`messages/{lang}.toml`, bundled): advice,
//! indicator, band and status names, the Regulation 2026/2098 elements and reasons.

use healthcat_model::messages::Catalogue;
use std::sync::OnceLock;

/// The bundled catalogues: (language, TOML text). English is the fallback.
const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../messages/en.toml")),
    ("fr", include_str!("../messages/fr.toml")),
];

fn catalogue() -> &'static Catalogue {
    static ALL: OnceLock<Catalogue> = OnceLock::new();
    ALL.get_or_init(|| Catalogue::new(FILES))
}

/// The sentence `key` (`advice.licence.missing`, `band.good`, `element.title`…) in `lang`, its
/// `{placeholders}` filled.
pub fn fill(lang: &str, key: &str, args: &[(&str, &str)]) -> String {
    catalogue().fill(lang, key, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_sentence_and_parses() {
        assert_eq!(Catalogue::missing(FILES), Vec::<String>::new());
        assert_eq!(fill("fr-FR", "band.good", &[]), "Bon");
        assert_eq!(fill("de", "band.good", &[]), "Good");
    }
}
