//! Which sheets and columns a form becomes.

use crate::LANGS;
use healthcat_model::labels::compact;
use healthcat_profiles::{Field, FieldKind};

/// One column of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// What the header says in brackets: `@id`, `@dataset`, `dct:title@fr`, `dcat:theme`.
    pub key: String,
    /// The field of the sheet's fields it shows (`None`: `@id`, `@dataset`).
    pub field: Option<usize>,
    /// The language of a text field's column.
    pub lang: Option<&'static str>,
}

/// One sheet: the datasets, or one group of the form.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The group field of the form it shows (`None`: the datasets' sheet).
    pub group: Option<usize>,
    /// The fields its columns show (the form's, or the group's).
    pub fields: Vec<Field>,
    /// Its columns, in order.
    pub columns: Vec<Column>,
}

/// The sheets a form becomes: the datasets' first, then one per group.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The form's fields.
    pub form: Vec<Field>,
    /// The sheets.
    pub sheets: Vec<Sheet>,
}

fn columns_of(fields: &[Field], first: &[&str]) -> Vec<Column> {
    let mut columns: Vec<Column> = first
        .iter()
        .map(|k| Column {
            key: (*k).to_owned(),
            field: None,
            lang: None,
        })
        .collect();
    for (i, f) in fields.iter().enumerate() {
        match f.kind {
            FieldKind::Group { .. } => {}
            FieldKind::Text => columns.extend(LANGS.iter().map(|l| Column {
                key: format!("{}@{l}", compact(&f.path)),
                field: Some(i),
                lang: Some(l),
            })),
            _ => columns.push(Column {
                key: compact(&f.path),
                field: Some(i),
                lang: None,
            }),
        }
    }
    columns
}

impl Layout {
    /// The layout of a form.
    pub fn of(form: &[Field]) -> Layout {
        let mut sheets = vec![Sheet {
            group: None,
            fields: form.to_vec(),
            columns: columns_of(form, &["@id"]),
        }];
        for (i, f) in form.iter().enumerate() {
            if let FieldKind::Group { fields, .. } = &f.kind {
                sheets.push(Sheet {
                    group: Some(i),
                    fields: fields.clone(),
                    columns: columns_of(fields, &["@dataset", "@id"]),
                });
            }
        }
        Layout {
            form: form.to_vec(),
            sheets,
        }
    }

    /// The sheets' names in `lang`, in order: the datasets' sheet, then each group's label (at
    /// most 31 characters, none of `[]:*?/\`, each once).
    pub fn names(&self, lang: &str) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for s in &self.sheets {
            let label = match s.group {
                None if lang == "fr" => "Jeux de données".to_owned(),
                None => "Datasets".to_owned(),
                Some(g) => self.form[g].label(lang),
            };
            let mut name = sheet_name(&label);
            if names.contains(&name) || name == "Codes" {
                let key = compact(&self.form[s.group.unwrap_or(0)].path);
                name = sheet_name(&format!("{label} {key}"));
            }
            names.push(name);
        }
        names
    }

    /// The header of column `c` of sheet `s` in `lang`: `Titre (fr) * [dct:title@fr]`.
    pub fn header(&self, s: usize, c: usize, lang: &str) -> String {
        let sheet = &self.sheets[s];
        let col = &sheet.columns[c];
        let Some(i) = col.field else {
            let what = match (col.key.as_str(), lang) {
                ("@dataset", "fr") => "Jeu de données",
                ("@dataset", _) => "Dataset",
                (_, "fr") => "Adresse (IRI)",
                _ => "Address (IRI)",
            };
            let required = if col.key == "@dataset" || sheet.group.is_none() {
                " *"
            } else {
                ""
            };
            return format!("{what}{required} [{}]", col.key);
        };
        let f = &sheet.fields[i];
        let mut h = f.label(lang);
        if let Some(l) = col.lang {
            h.push_str(&format!(" ({l})"));
        }
        if f.min > 0 {
            h.push_str(" *");
        }
        format!("{h} [{}]", col.key)
    }
}

/// A sheet name Excel accepts.
fn sheet_name(label: &str) -> String {
    let clean: String = label
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let trimmed = clean.trim().trim_matches('\'');
    trimmed
        .chars()
        .take(31)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The key in a header's brackets (`Titre (fr) [dct:title@fr]` → `dct:title@fr`), or the
/// header itself when it has none.
pub(crate) fn key_of(header: &str) -> &str {
    let h = header.trim();
    match (h.rfind('['), h.ends_with(']')) {
        (Some(i), true) => h[i + 1..h.len() - 1].trim(),
        _ => h,
    }
}
