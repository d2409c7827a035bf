//! Themes: the default one compiled into the binary, and a deployer's folder over it.
//!
//! Lookup order, for every template, static file and message: the deployer's `theme_dir` first,
//! then the built-in `themes/default`. `theme.toml` and the message catalogues are *merged* key by
//! key (the deployer's keys win), so a theme holds only what it changes — no fork, no rebuild.

use include_dir::{Dir, include_dir};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The default theme, in the binary: the site works with no file on disk.
static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../themes/default");

/// The languages of the interface.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

/// Why a theme cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// A file of the theme folder cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A TOML file of the theme is invalid.
    #[error("{path}: {message}")]
    Toml {
        /// The file.
        path: String,
        /// What is wrong, with line and column.
        message: String,
    },
    /// A template does not compile or a colour is unreadable.
    #[error("theme: {0}")]
    Invalid(String),
}

/// Text in French and English.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Texts {
    /// French.
    #[serde(default)]
    pub fr: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

impl Texts {
    /// The text in `lang` (French or English), else the other one.
    pub fn get(&self, lang: &str) -> &str {
        let (first, second) = if lang == "en" {
            (&self.en, &self.fr)
        } else {
            (&self.fr, &self.en)
        };
        if first.is_empty() { second } else { first }
    }
}

/// `theme.toml`, after merging.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// `[brand]`
    pub brand: Brand,
    /// `[colors]`: CSS custom properties (name → value).
    pub colors: BTreeMap<String, String>,
    /// `[style]`
    #[serde(default)]
    pub style: Style,
    /// `[home]`
    pub home: Home,
    /// `[footer]`
    #[serde(default)]
    pub footer: Footer,
}

/// `[brand]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// The name in the header (empty: the catalogue title).
    #[serde(default)]
    pub name: Texts,
    /// The logo, a file under `static/`.
    pub logo: String,
    /// The logo's text alternative.
    pub logo_alt: Texts,
}

/// `[style]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Stylesheets under `static/`, loaded after the base one.
    #[serde(default)]
    pub stylesheets: Vec<String>,
}

/// `[home]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    /// The text under the title of the home page.
    pub intro: Texts,
}

/// `[footer]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// Links, in order.
    #[serde(default)]
    pub links: Vec<FooterLink>,
}

/// One footer link.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FooterLink {
    /// Its text.
    pub label: Texts,
    /// Where it goes.
    pub href: String,
}

/// A theme ready to serve: files looked up in the deployer's folder, then in the built-in one.
#[derive(Debug, Clone)]
pub struct Theme {
    dir: Option<PathBuf>,
    /// The merged `theme.toml`.
    pub config: ThemeConfig,
    /// Messages per language, merged.
    pub messages: BTreeMap<String, BTreeMap<String, String>>,
}

impl Theme {
    /// The built-in default theme.
    pub fn builtin() -> Result<Self, ThemeError> {
        Self::load(None)
    }

    /// The theme in `dir` over the default one (`None`: the default alone).
    pub fn load(dir: Option<&Path>) -> Result<Self, ThemeError> {
        if let Some(d) = dir
            && !d.is_dir()
        {
            return Err(ThemeError::Io {
                path: d.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the theme folder does not exist (set [site] theme_dir to a folder holding theme.toml, templates/, static/ or messages/)",
                ),
            });
        }
        let theme = Theme {
            dir: dir.map(Path::to_path_buf),
            config: ThemeConfig {
                brand: Brand {
                    name: Texts::default(),
                    logo: String::new(),
                    logo_alt: Texts::default(),
                },
                colors: BTreeMap::new(),
                style: Style::default(),
                home: Home {
                    intro: Texts::default(),
                },
                footer: Footer::default(),
            },
            messages: BTreeMap::new(),
        };
        let config = theme.merged_toml("theme.toml")?;
        let config: ThemeConfig =
            config
                .try_into()
                .map_err(|e: toml::de::Error| ThemeError::Toml {
                    path: theme.describe("theme.toml"),
                    message: e.to_string(),
                })?;
        for (name, value) in &config.colors {
            if !is_css_colour(value) {
                return Err(ThemeError::Invalid(format!(
                    "{}: colour {name} = {value:?} is not a #rgb or #rrggbb colour",
                    theme.describe("theme.toml")
                )));
            }
        }
        let mut messages = BTreeMap::new();
        for lang in LANGUAGES {
            let file = format!("messages/{lang}.toml");
            let table = theme.merged_toml(&file)?;
            let mut map = BTreeMap::new();
            for (k, v) in table {
                match v {
                    toml::Value::String(s) => {
                        map.insert(k, s);
                    }
                    _ => {
                        return Err(ThemeError::Toml {
                            path: theme.describe(&file),
                            message: format!("message {k} must be a string"),
                        });
                    }
                }
            }
            messages.insert(lang.to_owned(), map);
        }
        Ok(Theme {
            config,
            messages,
            ..theme
        })
    }

    fn describe(&self, file: &str) -> String {
        match &self.dir {
            Some(d) => d.join(file).display().to_string(),
            None => format!("themes/default/{file}"),
        }
    }

    /// A file of the theme: the deployer's, else the built-in one.
    pub fn file(&self, path: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
        if !is_safe(path) {
            return None;
        }
        if let Some(dir) = &self.dir
            && let Ok(bytes) = std::fs::read(dir.join(path))
        {
            return Some(bytes.into());
        }
        DEFAULT.get_file(path).map(|f| f.contents().into())
    }

    /// A template's source.
    pub fn template(&self, name: &str) -> Option<String> {
        let bytes = self.file(&format!("templates/{name}"))?;
        String::from_utf8(bytes.into_owned()).ok()
    }

    /// The built-in TOML file merged with the deployer's (its keys win, tables merge).
    fn merged_toml(&self, file: &str) -> Result<toml::Table, ThemeError> {
        let parse = |text: &str, path: String| -> Result<toml::Table, ThemeError> {
            text.parse::<toml::Table>().map_err(|e| ThemeError::Toml {
                path,
                message: e.to_string(),
            })
        };
        let builtin = DEFAULT
            .get_file(file)
            .and_then(|f| f.contents_utf8())
            .unwrap_or_default();
        let mut table = parse(builtin, format!("themes/default/{file}"))?;
        if let Some(dir) = &self.dir {
            let path = dir.join(file);
            match std::fs::read_to_string(&path) {
                Ok(text) => merge(&mut table, parse(&text, path.display().to_string())?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(ThemeError::Io {
                        path: path.display().to_string(),
                        source: e,
                    });
                }
            }
        }
        Ok(table)
    }

    /// `/theme.css`: the colours as CSS custom properties.
    pub fn css(&self) -> String {
        let mut out = String::from(":root {\n");
        for (name, value) in &self.config.colors {
            out.push_str(&format!("  --{name}: {value};\n"));
        }
        out.push_str("}\n");
        out
    }
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// A relative path with no `..`, no root: never leaves the theme folder.
fn is_safe(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn is_css_colour(v: &str) -> bool {
    v.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The relative luminance of a `#rgb` / `#rrggbb` colour (WCAG 2.1).
pub fn luminance(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#')?;
    let full: String = if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex.to_owned()
    };
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(full.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// The WCAG contrast ratio of two colours.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// The content type of a static file, by extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_is_complete_in_both_languages() {
        let theme = Theme::builtin().unwrap();
        let fr: Vec<_> = theme.messages["fr"].keys().collect();
        let en: Vec<_> = theme.messages["en"].keys().collect();
        assert_eq!(fr, en, "fr and en message catalogues have the same keys");
        assert!(theme.template("base.html").unwrap().contains("skip-link"));
        assert!(theme.file("static/style.css").is_some());
        assert!(theme.file("../Cargo.toml").is_none());
        assert!(theme.file("/etc/passwd").is_none());
    }

    #[test]
    fn every_shipped_theme_keeps_text_contrast_at_aa() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes");
        for entry in std::fs::read_dir(&root).unwrap() {
            let dir = entry.unwrap().path();
            if !dir.join("theme.toml").exists() {
                continue;
            }
            let theme = Theme::load(Some(&dir)).unwrap();
            let c = &theme.config.colors;
            for (fg, bg) in [
                ("text", "background"),
                ("muted", "background"),
                ("muted", "surface"),
                ("text", "surface"),
                ("primary", "background"),
                ("primary", "surface"),
                ("on_primary", "primary"),
                ("on_accent", "accent"),
            ] {
                let ratio = contrast(&c[fg], &c[bg]).unwrap();
                assert!(
                    ratio >= 4.5,
                    "{}: {fg} on {bg} has contrast {ratio:.2} (< 4.5)",
                    dir.display()
                );
            }
        }
    }

    #[test]
    fn a_deployer_folder_overrides_only_what_it_holds() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        std::fs::create_dir_all(dir.join("messages")).unwrap();
        std::fs::write(
            dir.join("theme.toml"),
            "[colors]\nprimary = \"#004d40\"\n[brand]\nname = { fr = \"ARS\" }\n",
        )
        .unwrap();
        std::fs::write(dir.join("messages/en.toml"), "nav_search = \"Find\"\n").unwrap();
        let theme = Theme::load(Some(&dir)).unwrap();
        assert_eq!(theme.config.colors["primary"], "#004d40");
        assert_eq!(theme.config.colors["text"], "#1b1b1f");
        assert_eq!(theme.config.brand.name.get("fr"), "ARS");
        assert_eq!(theme.config.brand.name.get("en"), "ARS");
        assert_eq!(theme.messages["en"]["nav_search"], "Find");
        assert_eq!(theme.messages["fr"]["nav_search"], "Rechercher");
        std::fs::write(dir.join("theme.toml"), "[colors]\nprimary = \"red;}\"\n").unwrap();
        let err = Theme::load(Some(&dir)).unwrap_err().to_string();
        assert!(
            err.contains("theme.toml") && err.contains("primary"),
            "{err}"
        );
        std::fs::write(dir.join("theme.toml"), "[colors\n").unwrap();
        let err = Theme::load(Some(&dir)).unwrap_err().to_string();
        assert!(
            err.contains("theme.toml") && err.contains("line 1"),
            "{err}"
        );
    }
}
