//! The variables explorer of a dataset page: the record's data dictionary (its CSVW tables and
//! columns) as a table the reader filters (`?vq=`: words found in a variable's name, title,
//! description or table) and sorts (`?vsort=name|title|table|datatype`, `-` first for descending)
//! — links and a form, no script. At most [`SHOWN`] rows are shown; the count says how many
//! matched.

use crate::kernel::AppState;
use crate::kernel::i18n::{fill, number};
use crate::kernel::page::label;
use crate::kernel::urls::href;
use healthcat_model::{ColumnView, Dictionary, LangMap, TableView};
use serde_json::{Value, json};

/// Most rows a page shows.
pub(crate) const SHOWN: usize = 200;

const SORTS: [&str; 4] = ["name", "title", "table", "datatype"];

/// The reader's filter and order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Explore {
    q: String,
    sort: &'static str,
    descending: bool,
}

impl Explore {
    /// From `vq` and `vsort` (an unknown order is the default, by name).
    pub(crate) fn from_params(params: &[(String, String)]) -> Self {
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_owned())
        };
        let q = get("vq").unwrap_or_default();
        let raw = get("vsort").unwrap_or_default();
        let descending = raw.starts_with('-');
        let sort = SORTS
            .into_iter()
            .find(|s| *s == raw.trim_start_matches('-'))
            .unwrap_or("name");
        Explore {
            q: q.chars().take(200).collect(),
            sort,
            descending,
        }
    }

    fn matches(&self, t: &TableView, c: &ColumnView) -> bool {
        let words: Vec<String> = self.q.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return true;
        }
        let mut hay = c.name.to_lowercase();
        for map in [&c.titles, &c.description, &t.title] {
            for (_, text) in map.values() {
                hay.push(' ');
                hay.push_str(&text.to_lowercase());
            }
        }
        words.iter().all(|w| hay.contains(w.as_str()))
    }

    /// The explorer's rows and controls for `dictionary` of dataset `id`; `None` when the record
    /// has no variables.
    pub(crate) fn view(
        &self,
        state: &AppState,
        dictionary: &Dictionary,
        id: &str,
        lang: &str,
    ) -> Option<Value> {
        if dictionary.is_empty() {
            return None;
        }
        let t = |k: &str| state.site.msg(lang, k);
        let text = |m: &LangMap| super::dataset::text(m, lang).unwrap_or_default();
        let mut rows: Vec<(&TableView, &ColumnView)> = dictionary
            .variables()
            .filter(|(t, c)| self.matches(t, c))
            .collect();
        let key = |(t, c): &(&TableView, &ColumnView)| -> String {
            match self.sort {
                "title" => text(&c.titles).1.to_lowercase(),
                "table" => format!("{}\u{0}{}", text(&t.title).1.to_lowercase(), c.name),
                "datatype" => format!("{}\u{0}{}", c.datatype.clone().unwrap_or_default(), c.name),
                _ => c.name.to_lowercase(),
            }
        };
        rows.sort_by_cached_key(key);
        if self.descending {
            rows.reverse();
        }
        let matched = rows.len();
        let shown: Vec<Value> = rows
            .iter()
            .take(SHOWN)
            .map(|(table, c)| {
                let (title_lang, title) = text(&c.titles);
                let (description_lang, description) = text(&c.description);
                let (table_lang, table_title) = text(&table.title);
                json!({
                    "table": if table_title.is_empty() { table.key() } else { table_title },
                    "table_lang": table_lang,
                    "name": c.name,
                    "title": title,
                    "title_lang": title_lang,
                    "description": description,
                    "description_lang": description_lang,
                    "datatype": c.datatype,
                    "unit": c.unit,
                    "code_list": c.code_list.as_deref().map(|iri| {
                        let safe = iri.starts_with("https://") || iri.starts_with("http://");
                        json!({ "text": label(state, iri, lang), "href": safe.then_some(iri) })
                    }),
                    "key": format!("{}/{}", table.key(), c.name),
                })
            })
            .collect();
        let page = format!("/datasets/{id}");
        let with = |sort: Option<String>| {
            let mut p: Vec<(String, String)> = Vec::new();
            if !self.q.is_empty() {
                p.push(("vq".into(), self.q.clone()));
            }
            if let Some(s) = sort {
                p.push(("vsort".into(), s));
            }
            format!("{}#variables", href(&page, &p))
        };
        let columns: Vec<Value> = SORTS
            .iter()
            .map(|s| {
                let current = *s == self.sort;
                let next = if current && !self.descending {
                    format!("-{s}")
                } else {
                    (*s).to_owned()
                };
                json!({
                    "key": s,
                    "href": with(Some(next)),
                    "sort": if current { if self.descending { "descending" } else { "ascending" } } else { "none" },
                })
            })
            .collect();
        let total = dictionary.len();
        Some(json!({
            "rows": shown,
            "q": self.q,
            "sort": if self.descending { format!("-{}", self.sort) } else { self.sort.to_owned() },
            "columns": columns,
            "count": fill(&t("variables_count"), &[
                ("shown", &number(matched as u64, lang)),
                ("total", &number(total as u64, lang)),
            ]),
            "more": (matched > SHOWN).then(|| fill(&t("variables_more"), &[("n", &number(SHOWN as u64, lang))])),
            "clear": (!self.q.is_empty()).then(|| with(None)),
            "action": page,
        }))
    }
}
