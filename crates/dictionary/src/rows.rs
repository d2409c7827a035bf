//! The header and the rows of a dictionary sheet, checked: what each column means, and each
//! variable with what R8 requires of a `csvw:Column` (one name, a title, a description, a
//! datatype).

use crate::sheet::{Sheet, letters};
use crate::{DictionaryError, Limits, MAX_PROBLEMS, Problem};

/// The columns a dictionary file may have (`<lang>`: a language tag such as `fr` or `en`).
pub const COLUMNS: [(&str, &str); 8] = [
    (
        "table",
        "the table (file) the variable belongs to; blank repeats the row above",
    ),
    (
        "name",
        "the variable's name in the data (required, unique in its table)",
    ),
    ("title_<lang>", "its title in a language (one at least)"),
    (
        "description_<lang>",
        "its description in a language (one at least)",
    ),
    (
        "datatype",
        "a CSVW datatype: integer, decimal, string, boolean, date, dateTime… (required)",
    ),
    ("unit", "the unit of measurement (kg, mmol/L…)"),
    (
        "code_list",
        "the IRI of the terminology or code list the values come from",
    ),
    (
        "table_title_<lang>",
        "the table's title in a language (else its name)",
    ),
];

/// The CSVW built-in datatypes (CSV on the Web, §5.11.1), by their names.
pub const DATATYPES: [&str; 47] = [
    "string",
    "integer",
    "decimal",
    "boolean",
    "date",
    "dateTime",
    "time",
    "double",
    "float",
    "number",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "dateTimeStamp",
    "datetime",
    "duration",
    "dayTimeDuration",
    "yearMonthDuration",
    "gDay",
    "gMonth",
    "gMonthDay",
    "gYear",
    "gYearMonth",
    "anyURI",
    "base64Binary",
    "binary",
    "hexBinary",
    "QName",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NMTOKEN",
    "xml",
    "html",
    "json",
    "any",
    "anyAtomicType",
];

/// One row of the dictionary: a variable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variable {
    /// The row it was read from (1-based).
    pub row: usize,
    /// Its table.
    pub table: String,
    /// The table's titles given on this row: (language, text).
    pub table_titles: Vec<(String, String)>,
    /// `csvw:name`
    pub name: String,
    /// `csvw:title`: (language, text), language empty when the heading gives none.
    pub titles: Vec<(String, String)>,
    /// `dct:description`: (language, text).
    pub descriptions: Vec<(String, String)>,
    /// `csvw:datatype`, spelled as CSVW does.
    pub datatype: String,
    /// `schema:unitText`
    pub unit: Option<String>,
    /// `csvw:propertyUrl`
    pub code_list: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Col {
    Table,
    TableTitle(String),
    Name,
    Title(String),
    Description(String),
    Datatype,
    Unit,
    CodeList,
}

fn language(tag: &str) -> Option<String> {
    let mut parts = tag.split('-');
    let first = parts.next()?;
    let ok = (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    ok.then(|| tag.to_ascii_lowercase())
}

fn column(heading: &str) -> Option<Col> {
    let h = heading.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let with_lang = |prefix: &str| -> Option<Option<String>> {
        if h == prefix {
            return Some(Some(String::new()));
        }
        let tag = h.strip_prefix(prefix)?.strip_prefix('_')?;
        Some(language(&tag.replace('_', "-")))
    };
    Some(match h.as_str() {
        "table" => Col::Table,
        "name" => Col::Name,
        "datatype" => Col::Datatype,
        "unit" => Col::Unit,
        "code_list" | "codelist" => Col::CodeList,
        _ => {
            if let Some(l) = with_lang("table_title") {
                Col::TableTitle(l?)
            } else if let Some(l) = with_lang("title") {
                Col::Title(l?)
            } else if let Some(l) = with_lang("description") {
                Col::Description(l?)
            } else {
                return None;
            }
        }
    })
}

/// Collects problems, keeping the first [`MAX_PROBLEMS`].
struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }
}

pub(crate) fn variables(sheet: &Sheet, limits: &Limits) -> Result<Vec<Variable>, DictionaryError> {
    let mut problems = Problems {
        list: Vec::new(),
        more: 0,
    };
    let Some((header_row, header)) = sheet.rows.first() else {
        problems.push(Problem {
            place: sheet.place(1, None),
            message: "the file is empty: start from the template (a header row, then one row per variable)".into(),
        });
        return Err(DictionaryError::Invalid {
            problems: problems.list,
            more: 0,
        });
    };
    // The header.
    let mut cols: Vec<Option<Col>> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let at = || sheet.place(*header_row, Some(format!("{} ({h:?})", letters(i))));
        if h.trim().is_empty() {
            cols.push(None);
            continue;
        }
        match column(h) {
            Some(c) if cols.contains(&Some(c.clone())) => {
                problems.push(Problem {
                    place: at(),
                    message: "this heading appears twice: keep one column".into(),
                });
                cols.push(None);
            }
            Some(c) => cols.push(Some(c)),
            None => {
                let known: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
                problems.push(Problem {
                    place: at(),
                    message: format!(
                        "unknown heading: the columns are {} (see the template)",
                        known.join(", ")
                    ),
                });
                cols.push(None);
            }
        }
    }
    let has = |f: &dyn Fn(&Col) -> bool| cols.iter().flatten().any(f);
    for (ok, what) in [
        (has(&|c| *c == Col::Name), "name"),
        (has(&|c| *c == Col::Datatype), "datatype"),
        (has(&|c| matches!(c, Col::Title(_))), "title_<lang>"),
        (
            has(&|c| matches!(c, Col::Description(_))),
            "description_<lang>",
        ),
    ] {
        if !ok {
            problems.push(Problem {
                place: sheet.place(*header_row, None),
                message: format!(
                    "the header has no {what} column: R8 requires it of every variable"
                ),
            });
        }
    }
    // Merged cells below the header, outside the table columns.
    for m in &sheet.merged {
        if (m.start.0 as usize) < *header_row {
            continue;
        }
        let columns_ok = (m.start.1..=m.end.1).all(|c| {
            matches!(
                cols.get(c as usize),
                Some(Some(Col::Table | Col::TableTitle(_)))
            )
        });
        if !columns_ok {
            let from = format!("{}{}", letters(m.start.1 as usize), m.start.0 + 1);
            let to = format!("{}{}", letters(m.end.1 as usize), m.end.0 + 1);
            problems.push(Problem {
                place: sheet.place(m.start.0 as usize + 1, Some(letters(m.start.1 as usize))),
                message: format!(
                    "cells {from}:{to} are merged: only table cells may be; give each variable its own value"
                ),
            });
        }
    }
    for p in &sheet.problems {
        problems.push(p.clone());
    }
    if !problems.list.is_empty() && sheet.rows.len() == 1 {
        return Err(DictionaryError::Invalid {
            problems: problems.list,
            more: problems.more,
        });
    }
    // The rows.
    let heading = |i: usize| match &cols[i] {
        Some(_) => format!("{} ({})", letters(i), header[i].trim()),
        None => letters(i),
    };
    let mut out: Vec<Variable> = Vec::new();
    let mut table = String::new();
    for (row, cells) in &sheet.rows[1..] {
        let mut v = Variable {
            row: *row,
            ..Variable::default()
        };
        let mut blank_table = false;
        for (i, col) in cols.iter().enumerate() {
            let Some(col) = col else { continue };
            let text = cells.get(i).map_or("", |c| c.trim());
            let at = || sheet.place(*row, Some(heading(i)));
            if text.chars().count() > limits.max_cell_chars {
                problems.push(Problem {
                    place: at(),
                    message: format!(
                        "the cell has more than {} characters",
                        limits.max_cell_chars
                    ),
                });
                continue;
            }
            let text = text.to_owned();
            match col {
                Col::Table if text.is_empty() => blank_table = true,
                Col::Table => table = text,
                Col::TableTitle(l) if !text.is_empty() => v.table_titles.push((l.clone(), text)),
                Col::Name => v.name = text,
                Col::Title(l) if !text.is_empty() => v.titles.push((l.clone(), text)),
                Col::Description(l) if !text.is_empty() => v.descriptions.push((l.clone(), text)),
                Col::Datatype if text.is_empty() => {}
                Col::Datatype => match DATATYPES.iter().find(|d| d.eq_ignore_ascii_case(&text)) {
                    Some(d) => v.datatype = (*d).to_owned(),
                    None => problems.push(Problem {
                        place: at(),
                        message: format!(
                            "{text:?} is not a CSVW datatype: use one of {}",
                            DATATYPES[..12].join(", ") + ", … (the template lists them all)"
                        ),
                    }),
                },
                Col::Unit if !text.is_empty() => v.unit = Some(text),
                Col::CodeList if !text.is_empty() => {
                    let web = text.starts_with("https://") || text.starts_with("http://");
                    if web && oxrdf::NamedNode::new(text.as_str()).is_ok() {
                        v.code_list = Some(text);
                    } else {
                        problems.push(Problem {
                            place: at(),
                            message: format!(
                                "{text:?} is not an http(s) IRI: give the IRI of the terminology or code list (e.g. http://id.who.int/icd/release/10)"
                            ),
                        });
                    }
                }
                _ => {}
            }
        }
        let named = |what: &str| -> String {
            cols.iter()
                .enumerate()
                .filter(|(_, c)| match c {
                    Some(Col::Name) => what == "name",
                    Some(Col::Title(_)) => what == "title",
                    Some(Col::Description(_)) => what == "description",
                    Some(Col::Datatype) => what == "datatype",
                    Some(Col::Table) => what == "table",
                    _ => false,
                })
                .map(|(i, _)| heading(i))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let has_table_column = cols.contains(&Some(Col::Table));
        if !has_table_column {
            table = "variables".into();
        } else if blank_table && table.is_empty() {
            problems.push(Problem {
                place: sheet.place(*row, Some(named("table"))),
                message: "give the table this variable belongs to".into(),
            });
        }
        v.table = table.clone();
        let mut missing = |ok: bool, what: &str, why: &str| {
            if !ok && !named(what).is_empty() {
                problems.push(Problem {
                    place: sheet.place(*row, Some(named(what))),
                    message: why.to_owned(),
                });
            }
        };
        missing(!v.name.is_empty(), "name", "a variable needs a name");
        missing(
            !v.titles.is_empty(),
            "title",
            "a variable needs a title in one language at least",
        );
        missing(
            !v.descriptions.is_empty(),
            "description",
            "a variable needs a description in one language at least",
        );
        let datatype_given = cols.iter().enumerate().any(|(i, c)| {
            *c == Some(Col::Datatype) && cells.get(i).is_some_and(|t| !t.trim().is_empty())
        });
        missing(
            datatype_given,
            "datatype",
            "a variable needs a datatype (string, integer, decimal, date…)",
        );
        if !v.name.is_empty()
            && let Some(first) = out.iter().find(|o| o.table == v.table && o.name == v.name)
        {
            problems.push(Problem {
                place: sheet.place(*row, Some(named("name"))),
                message: format!(
                    "{:?} is already the name of row {} in table {:?}: a name appears once per table",
                    v.name, first.row, v.table
                ),
            });
        }
        out.push(v);
    }
    if out.is_empty() && problems.list.is_empty() {
        problems.push(Problem {
            place: sheet.place(*header_row + 1, None),
            message: "no variable below the header".into(),
        });
    }
    if problems.list.is_empty() {
        Ok(out)
    } else {
        Err(DictionaryError::Invalid {
            problems: problems.list,
            more: problems.more,
        })
    }
}
