//! Message catalogues: the sentences a crate shows users, per language, read from TOML files
//! bundled into the binary (`messages/{lang}.toml`). Rust code picks a key and fills its
//! `{placeholders}`; it never chooses a sentence by language. A new language is a new file.
//!
//! Each crate with sentences keeps one [`Catalogue`] of its files (in a `OnceLock`) and checks
//! them with [`Catalogue::missing`] in a test, so a syntax error or a missing key cannot ship.

use std::collections::HashMap;

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

    /// The raw sentence `key`, if this language has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }
}

/// Every language's sentences; the first file is the fallback (English).
#[derive(Debug)]
pub struct Catalogue {
    langs: Vec<Messages>,
}

impl Catalogue {
    /// The catalogue of `files`: (language, TOML text of `key = "sentence"` lines, tables
    /// flattened to `table.key`). A file that does not parse gives no sentences (the crate's
    /// test of [`Catalogue::missing`] fails on it).
    pub fn new(files: &[(&'static str, &'static str)]) -> Self {
        Self {
            langs: files
                .iter()
                .map(|(lang, text)| Messages {
                    lang,
                    map: parse(text).unwrap_or_default(),
                })
                .collect(),
        }
    }

    /// The sentences of `lang` (`fr`, `fr-CA`, `en`…), the fallback's when there are none.
    pub fn lang(&self, lang: &str) -> &Messages {
        self.langs
            .iter()
            .find(|m| lang == m.lang || lang.starts_with(&format!("{}-", m.lang)))
            .unwrap_or(&self.langs[0])
    }

    /// The sentence `key` in `lang` with its `{name}` placeholders filled; the fallback's
    /// sentence when `lang` lacks it, the key itself when no language has it.
    pub fn fill(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        let template = self
            .lang(lang)
            .get(key)
            .or_else(|| self.langs[0].get(key))
            .unwrap_or(key);
        let mut out = template.to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// What is wrong with `files`: a file that does not parse, or the keys of the first file
    /// another one lacks (`lang: key`). Empty when every language has every sentence.
    pub fn missing(files: &[(&str, &str)]) -> Vec<String> {
        let mut out = Vec::new();
        let Some((first_lang, first)) = files.first() else {
            return out;
        };
        let reference = match parse(first) {
            Ok(m) => m,
            Err(e) => return vec![format!("{first_lang}: {e}")],
        };
        for (lang, text) in files {
            match parse(text) {
                Ok(map) => {
                    let mut lacks: Vec<String> = reference
                        .keys()
                        .filter(|k| !map.contains_key(*k))
                        .map(|k| format!("{lang}: {k}"))
                        .collect();
                    lacks.sort();
                    out.extend(lacks);
                }
                Err(e) => out.push(format!("{lang}: {e}")),
            }
        }
        out
    }
}

/// `key = "sentence"`, with `[table]` keys flattened to `table.key`.
fn parse(text: &str) -> Result<HashMap<String, String>, toml::de::Error> {
    fn flatten(prefix: &str, table: toml::Table, out: &mut HashMap<String, String>) {
        for (k, v) in table {
            let key = if prefix.is_empty() {
                k
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(t) => flatten(&key, t, out),
                toml::Value::String(s) => {
                    out.insert(key, s);
                }
                other => {
                    out.insert(key, other.to_string());
                }
            }
        }
    }
    let mut out = HashMap::new();
    flatten("", toml::from_str(text)?, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[(&str, &str)] = &[
        (
            "en",
            "hello = \"Hello {who}\"\n[advice]\nadd = \"Add it\"\nonly_en = \"x\"\n",
        ),
        (
            "fr",
            "hello = \"Bonjour {who}\"\n[advice]\nadd = \"Ajoutez-le\"\n",
        ),
    ];

    #[test]
    fn fills_falls_back_and_reports_gaps() {
        let c = Catalogue::new(FILES);
        assert_eq!(c.fill("fr-FR", "hello", &[("who", "Ana")]), "Bonjour Ana");
        assert_eq!(c.fill("fr", "advice.add", &[]), "Ajoutez-le");
        assert_eq!(c.fill("fr", "advice.only_en", &[]), "x");
        assert_eq!(c.fill("de", "hello", &[("who", "Ana")]), "Hello Ana");
        assert_eq!(c.fill("en", "nope", &[]), "nope");
        assert_eq!(Catalogue::missing(FILES), vec!["fr: advice.only_en"]);
        let broken = [("en", "a = \"x\""), ("fr", "a = ")];
        assert_eq!(Catalogue::missing(&broken).len(), 1);
    }
}
