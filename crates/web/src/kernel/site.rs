//! Themed, bilingual, server-rendered pages (no JavaScript needed), for every area that shows
//! pages (the public site, the editor, the SPARQL form).
//!
//! [`Site`] holds the theme (see [`super::theme`]) and the minijinja environment whose
//! templates it loads; handlers build each page's context and [`Site::render`] adds what every
//! page shares (language, messages, brand, the language switch). Templates are auto-escaped:
//! data from records is never trusted as HTML.

use super::urls::with_param;
use crate::kernel::i18n;
use crate::kernel::theme::{LANGUAGES, Theme, ThemeError};
use axum::http::{HeaderMap, Uri};
use minijinja::{Environment, State, UndefinedBehavior, Value};
use serde::Serialize;
use std::sync::Arc;

/// What a deployment shows: its theme and the catalogue's own words.
pub struct Site {
    /// The theme in use.
    pub theme: Theme,
    env: Environment<'static>,
    /// Each language's messages as a template value, converted once (not on every page).
    messages: std::collections::BTreeMap<String, Value>,
    /// Language when the request says nothing (`fr` or `en`).
    pub default_lang: &'static str,
    /// Catalogue title per language (`fr`, `en`), from the configuration.
    pub title: (String, String),
    /// Catalogue description per language (`fr`, `en`), from the configuration.
    pub description: (String, String),
    /// The catalogue publisher's name, from the configuration.
    pub publisher: String,
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site").finish_non_exhaustive()
    }
}

/// A footer link, resolved in one language.
#[derive(Serialize)]
struct Link<'a> {
    label: &'a str,
    href: &'a str,
}

/// A language of the switch in the header.
#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: String,
    href: String,
    current: bool,
}

impl Site {
    /// A site with `theme`; `default_lang` other than `en` means French.
    pub fn new(
        theme: Theme,
        default_lang: &str,
        title: (String, String),
    ) -> Result<Self, ThemeError> {
        let mut env = Environment::new();
        // A missing message or variable is a bug to see in tests, not an empty string to ship.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // HTML escaping of the five characters that matter; minijinja's default also escapes `/`,
        // which is harmless but makes every URL in the page unreadable.
        env.set_formatter(
            |out, state, value| match (state.auto_escape(), value.as_str()) {
                (minijinja::AutoEscape::Html, Some(s)) if !value.is_safe() => {
                    use std::fmt::Write;
                    for c in s.chars() {
                        match c {
                            '&' => out.write_str("&amp;"),
                            '<' => out.write_str("&lt;"),
                            '>' => out.write_str("&gt;"),
                            '"' => out.write_str("&quot;"),
                            '\'' => out.write_str("&#39;"),
                            c => out.write_char(c),
                        }
                        .map_err(|_| {
                            minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "output")
                        })?;
                    }
                    Ok(())
                }
                _ => minijinja::escape_formatter(out, state, value),
            },
        );
        let loader_theme = theme.clone();
        env.set_loader(move |name| Ok(loader_theme.template(name)));
        env.add_filter("number", |state: &State, v: Value| -> String {
            let lang = lang_of(state);
            match u64::try_from(v.clone()) {
                Ok(n) => i18n::number(n, &lang),
                Err(_) => v.to_string(),
            }
        });
        env.add_filter("date", |state: &State, v: String| -> String {
            i18n::date(&v, &lang_of(state))
        });
        let messages = theme
            .messages
            .iter()
            .map(|(lang, m)| (lang.clone(), val(m)))
            .collect();
        let site = Site {
            theme,
            env,
            messages,
            default_lang: if default_lang == "en" { "en" } else { "fr" },
            title,
            description: (String::new(), String::new()),
            publisher: String::new(),
        };
        // Compile every page now: a broken template of a deployer's theme stops the start, with
        // its name and line, instead of failing on some visitor's request.
        for page in super::page::TEMPLATES {
            site.env
                .get_template(page)
                .map_err(|e| ThemeError::Invalid(format!("template {page}: {e:#}")))?;
        }
        Ok(site)
    }

    /// The same site with the catalogue's description and publisher (its DCAT description).
    pub fn with_catalog(mut self, description: (String, String), publisher: String) -> Self {
        self.description = description;
        self.publisher = publisher;
        self
    }

    /// The built-in theme with the default titles (tests, demos).
    pub fn builtin() -> Arc<Self> {
        Arc::new(
            Site::new(
                Theme::builtin().expect("the built-in theme is valid"),
                "fr",
                (
                    "Catalogue de données de santé".into(),
                    "Health data catalogue".into(),
                ),
            )
            .expect("the built-in templates compile"),
        )
    }

    /// The message `key` in `lang` (the key itself if missing, which tests catch).
    pub fn msg(&self, lang: &str, key: &str) -> String {
        self.theme
            .messages
            .get(lang)
            .and_then(|m| m.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// The site's name in `lang`: the theme's brand, else the catalogue title.
    pub fn name(&self, lang: &str) -> String {
        let brand = self.theme.config.brand.name.get(lang);
        if !brand.is_empty() {
            return brand.to_owned();
        }
        if lang == "en" && !self.title.1.is_empty() {
            self.title.1.clone()
        } else {
            self.title.0.clone()
        }
    }

    /// Renders `template` for a request in `lang`, with `page` naming the current navigation
    /// entry and `ctx` the page's own values.
    pub fn render(
        &self,
        template: &str,
        lang: &str,
        uri: &Uri,
        page: &str,
        ctx: impl Serialize,
    ) -> Result<String, String> {
        let config = &self.theme.config;
        let footer: Vec<Link<'_>> = config
            .footer
            .links
            .iter()
            .map(|l| Link {
                label: l.label.get(lang),
                href: &l.href,
            })
            .collect();
        let languages: Vec<LanguageLink> = LANGUAGES
            .into_iter()
            .map(|code| LanguageLink {
                code,
                name: self.msg(code, "language_name"),
                href: with_param(uri, "lang", code),
                current: code == lang,
            })
            .collect();
        let shared = minijinja::context! {
            lang => lang,
            page => page,
            // This page's address, for forms that come back to it (the basket's buttons).
            here => uri.path_and_query().map_or("/", |p| p.as_str()),
            t => self.messages.get(lang).cloned().unwrap_or_default(),
            languages => val(&languages),
            site => minijinja::context! {
                name => self.name(lang),
                logo => &config.brand.logo,
                logo_alt => config.brand.logo_alt.get(lang),
                intro => config.home.intro.get(lang),
                stylesheets => &config.style.stylesheets,
                footer_links => val(&footer),
            },
        };
        let ctx = minijinja::context! { ..val(&ctx), ..shared };
        self.env
            .get_template(template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| format!("rendering {template}: {e:#}"))
    }

    /// The language of a request (see [`i18n::negotiate`]).
    pub fn negotiate(&self, query_lang: Option<&str>, headers: &HeaderMap) -> i18n::Negotiated {
        i18n::negotiate(query_lang, headers, self.default_lang)
    }
}

fn val<T: Serialize>(x: T) -> Value {
    Value::from(minijinja::value::Serde(x))
}

fn lang_of(state: &State) -> String {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "fr".into())
}
