//! Search across the variables of the whole catalogue: which records have variables matching
//! some words, and which of their variables those are.
//!
//! The variables live in each record's index document ([`crate::SearchDoc::variables`]): their
//! names, titles, descriptions and tables' titles are analysed like the rest of the text (French
//! and English stemming, accents folded, one typo in words of five letters or more), and the rows
//! are stored. A record matches when every word is found among its variables; the variables
//! shown are those that have at least one of the words (as typed, else by stem, else with a
//! typo — see `matched`), most words first,
//! at most [`MAX_SHOWN`] per record (the record's page lists them all), read from the first
//! [`MAX_SCANNED`] variables of a record.

use crate::document::IndexedVariable;
use crate::query::{Stored, check_filters, parse, pick_tagged};
use crate::{Hit, SearchError, SearchIndex, SearchRequest};
use serde::Serialize;
use std::collections::HashSet;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::BooleanQuery;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

/// `text` through each analyser.
fn analysed(analysers: &mut [TextAnalyzer], text: &str) -> Tokens {
    let mut out: Tokens = Default::default();
    for (i, a) in analysers.iter_mut().enumerate().take(3) {
        let mut stream = a.token_stream(text);
        while stream.advance() {
            out[i].insert(stream.token().text.clone());
        }
    }
    out
}

/// Most variables shown per record.
pub const MAX_SHOWN: usize = 50;
/// Most variables of one record read to find those that match.
pub const MAX_SCANNED: usize = 5_000;

/// A variable that matched.
#[derive(Debug, Clone, Serialize)]
pub struct VariableHit {
    /// `csvw:name`
    pub name: String,
    /// `{table key}/{name}`: how a basket names it.
    pub key: String,
    /// Its table.
    pub table: String,
    /// Title in the asked language (else French, English, any).
    pub title: String,
    /// Its language tag.
    pub title_lang: String,
    /// Description in the asked language.
    pub description: String,
    /// Its language tag.
    pub description_lang: String,
    /// CSVW datatype.
    pub datatype: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// How many of the query's words it has.
    pub matched: usize,
}

/// A record with the variables that matched.
#[derive(Debug, Clone, Serialize)]
pub struct RecordVariables {
    /// The record, as a search hit.
    pub record: Hit,
    /// Its variables that matched, most words first (at most [`MAX_SHOWN`]).
    pub variables: Vec<VariableHit>,
    /// How many more matched than are shown.
    pub more: usize,
}

/// What a variable search returns.
#[derive(Debug, Clone, Serialize)]
pub struct VariableResults {
    /// Records matching, in all.
    pub total: usize,
    /// This page's records.
    pub hits: Vec<RecordVariables>,
}

/// Tokens of one text by each variables analyser (fr, en, other).
type Tokens = [HashSet<String>; 3];

impl SearchIndex {
    /// The variables fields, with their boosts (all equal).
    pub(crate) fn variable_fields(&self) -> Vec<(Field, f32)> {
        self.fields.variables.iter().map(|f| (*f, 1.0)).collect()
    }

    /// The variables fields' analysers, fetched once per search (each fetch builds a stemmer).
    fn analysers(&self) -> Vec<TextAnalyzer> {
        self.fields
            .variables
            .iter()
            .filter_map(|f| self.index.tokenizer_for_field(*f).ok())
            .collect()
    }

    /// Records whose variables match `r.q` (words, `"phrases"`), with `r`'s filters, by
    /// relevance; `r.page` and `r.per_page` page the records.
    pub fn variables(&self, r: &SearchRequest) -> Result<VariableResults, SearchError> {
        if r.per_page == 0 || r.per_page > crate::MAX_PER_PAGE {
            return Err(SearchError::BadRequest(format!(
                "per_page must be between 1 and {}",
                crate::MAX_PER_PAGE
            )));
        }
        if r.page == 0 || r.page > 10_000 {
            return Err(SearchError::BadRequest(
                "page must be between 1 and 10000".into(),
            ));
        }
        check_filters(r)?;
        let (words, phrases) = parse(&r.q)?;
        if words.is_empty() && phrases.is_empty() {
            return Err(SearchError::BadRequest(
                "q: give the words to look for in the variables' names, titles and descriptions"
                    .into(),
            ));
        }
        let parsed = (words, phrases);
        let mut must = self.required(&parsed, &self.variable_fields(), r.typo_min_chars);
        // A word the analysers drop entirely cannot be found.
        if must.len() < parsed.0.len() + parsed.1.len() {
            return Ok(VariableResults {
                total: 0,
                hits: Vec::new(),
            });
        }
        let (words, phrases) = parsed;
        must.extend(self.filter_clauses(r, true));
        let query = BooleanQuery::new(must);
        let searcher = self.reader.searcher();
        let page = TopDocs::with_limit(r.per_page).and_offset((r.page - 1) * r.per_page);
        let (top, total) = searcher.search(&query, &(page, Count))?;
        let addrs: Vec<_> = top.iter().map(|(_, a)| *a).collect();
        let records = self.hits(&searcher, &addrs, None, &r.lang)?;
        // The query's words (a phrase's words too), analysed once.
        let mut analysers = self.analysers();
        let mut terms: Vec<(String, Tokens)> = words
            .iter()
            .chain(phrases.iter())
            .flat_map(|w| w.split_whitespace())
            .map(|w| (w.to_lowercase(), analysed(&mut analysers, w)))
            .collect();
        terms.dedup_by(|a, b| a.0 == b.0);
        let mut hits = Vec::with_capacity(records.len());
        for (record, addr) in records.into_iter().zip(addrs) {
            let stored = Stored::read(&searcher, &self.fields, addr)?;
            let rows: Vec<IndexedVariable> = stored
                .doc
                .get_first(self.fields.variable_rows)
                .and_then(|v| tantivy::schema::Value::as_str(&v))
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            let rows = &rows[..rows.len().min(MAX_SCANNED)];
            let counts = matched(&mut analysers, rows, &terms, r.typo_min_chars);
            let mut found: Vec<VariableHit> = rows
                .iter()
                .zip(counts)
                .filter(|(_, n)| *n > 0)
                .map(|(v, n)| hit(v, n, &r.lang))
                .collect();
            found.sort_by(|a, b| b.matched.cmp(&a.matched).then(a.name.cmp(&b.name)));
            let more = found.len().saturating_sub(MAX_SHOWN);
            found.truncate(MAX_SHOWN);
            hits.push(RecordVariables {
                record,
                variables: found,
                more,
            });
        }
        Ok(VariableResults { total, hits })
    }
}

/// How many of the query's words each variable of `rows` has. A word is looked for as typed
/// first (the unstemmed analyser: case and accents folded), which is cheap; only when no variable
/// has it so are the stemmed analysers run (French, English), then, for words of
/// `typo_min_chars` or more, one typo allowed.
fn matched(
    analysers: &mut [TextAnalyzer],
    rows: &[IndexedVariable],
    terms: &[(String, Tokens)],
    typo_min_chars: usize,
) -> Vec<usize> {
    let texts: Vec<String> = rows
        .iter()
        .map(|v| {
            let mut text = format!("{} {}", v.name, v.table);
            for (_, t) in v.titles.iter().chain(&v.descriptions) {
                text.push(' ');
                text.push_str(t);
            }
            text
        })
        .collect();
    let unstemmed = |analysers: &mut [TextAnalyzer], text: &str| -> HashSet<String> {
        let mut out = HashSet::new();
        if let Some(a) = analysers.get_mut(2) {
            let mut stream = a.token_stream(text);
            while stream.advance() {
                out.insert(stream.token().text.clone());
            }
        }
        out
    };
    let plain: Vec<HashSet<String>> = texts.iter().map(|t| unstemmed(analysers, t)).collect();
    let mut stemmed: Option<Vec<Tokens>> = None;
    let mut counts = vec![0; rows.len()];
    for (word, t) in terms {
        let has =
            |own: &HashSet<String>, mine: &HashSet<String>| !mine.is_empty() && mine.is_subset(own);
        let mut hit: Vec<bool> = plain.iter().map(|own| has(own, &t[2])).collect();
        if !hit.contains(&true) {
            let all = stemmed
                .get_or_insert_with(|| texts.iter().map(|x| analysed(analysers, x)).collect());
            hit = all
                .iter()
                .map(|own| has(&own[0], &t[0]) || has(&own[1], &t[1]))
                .collect();
        }
        if !hit.contains(&true) && typo_min_chars > 0 && word.chars().count() >= typo_min_chars {
            hit = plain
                .iter()
                .map(|own| {
                    !t[2].is_empty()
                        && t[2]
                            .iter()
                            .all(|w| own.iter().any(|o| one_edit_apart(w, o)))
                })
                .collect();
        }
        for (c, h) in counts.iter_mut().zip(hit) {
            *c += usize::from(h);
        }
    }
    counts
}

fn hit(v: &IndexedVariable, matched: usize, lang: &str) -> VariableHit {
    let (title_lang, title) = pick_tagged(&v.titles, lang);
    let (description_lang, description) = pick_tagged(&v.descriptions, lang);
    VariableHit {
        name: v.name.clone(),
        key: v.key.clone(),
        table: v.table.clone(),
        title,
        title_lang,
        description,
        description_lang,
        datatype: v.datatype.clone(),
        unit: v.unit.clone(),
        matched,
    }
}

/// Whether `a` and `b` are at most one insertion, deletion or substitution apart.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    if short.len() == long.len() {
        return short
            .iter()
            .zip(long.iter())
            .filter(|(x, y)| x != y)
            .count()
            <= 1;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    short[prefix..] == long[prefix + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SearchDoc;

    fn doc(id: &str, title: &str, vars: &[(&str, &str, &str)]) -> SearchDoc {
        let mut d = SearchDoc {
            id: id.into(),
            titles: vec![("fr".into(), title.into())],
            facets: vec![Vec::new(); crate::FACETS.len()],
            ..Default::default()
        };
        d.variables = vars
            .iter()
            .map(|(n, t, desc)| IndexedVariable {
                table: "main".into(),
                key: format!("main/{n}"),
                name: (*n).into(),
                titles: vec![("fr".into(), (*t).into())],
                descriptions: vec![("fr".into(), (*desc).into())],
                datatype: Some("decimal".into()),
                unit: None,
            })
            .collect();
        d
    }

    fn index() -> SearchIndex {
        let index = SearchIndex::in_memory().unwrap();
        index
            .upsert(&[
                doc(
                    "a",
                    "Cohorte diabète",
                    &[
                        ("hba1c", "Hémoglobine glyquée", "HbA1c en pourcentage"),
                        ("poids", "Poids", "Poids à l'inclusion"),
                    ],
                ),
                doc(
                    "b",
                    "Registre cardiaque",
                    &[("fevg", "Fraction d'éjection", "FEVG en pourcentage")],
                ),
                doc("c", "Sans dictionnaire", &[]),
            ])
            .unwrap();
        index.commit().unwrap();
        index
    }

    fn ask(index: &SearchIndex, q: &str) -> Vec<(String, Vec<String>)> {
        let r = SearchRequest {
            q: q.into(),
            ..Default::default()
        };
        index
            .variables(&r)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| {
                (
                    h.record.id,
                    h.variables.into_iter().map(|v| v.name).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn variables_are_found_by_name_title_or_description_stemmed_and_with_a_typo() {
        let index = index();
        assert_eq!(
            ask(&index, "hémoglobines"),
            [("a".into(), vec!["hba1c".into()])]
        );
        assert_eq!(ask(&index, "HBA1C"), [("a".into(), vec!["hba1c".into()])]);
        assert_eq!(
            ask(&index, "hemoglobyne"),
            [("a".into(), vec!["hba1c".into()])],
            "one typo"
        );
        let mut both = ask(&index, "pourcentage");
        both.sort();
        assert_eq!(
            both,
            [
                ("a".into(), vec!["hba1c".into()]),
                ("b".into(), vec!["fevg".into()])
            ]
        );
        // Every word among the record's variables; the variables with most words first.
        assert_eq!(
            ask(&index, "poids glyquée"),
            [("a".into(), vec!["hba1c".into(), "poids".into()])]
        );
        assert!(
            ask(&index, "diabète").is_empty(),
            "the title is not a variable"
        );
        let r = SearchRequest {
            q: "  ".into(),
            ..Default::default()
        };
        assert!(
            matches!(index.variables(&r), Err(SearchError::BadRequest(m)) if m.starts_with("q:"))
        );
    }

    #[test]
    fn has_a_variable_matching_filters_the_dataset_search() {
        let index = index();
        let r = SearchRequest {
            variable: "pourcentage".into(),
            ..Default::default()
        };
        let mut ids: Vec<String> = index
            .search(&r)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        ids.sort();
        assert_eq!(ids, ["a", "b"]);
        let r = SearchRequest {
            q: "cohorte".into(),
            variable: "fevg".into(),
            ..Default::default()
        };
        assert_eq!(index.search(&r).unwrap().total, 0);
    }

    #[test]
    fn one_edit() {
        assert!(one_edit_apart("glycemie", "glycemia"));
        assert!(one_edit_apart("poid", "poids"));
        assert!(one_edit_apart("poids", "poids"));
        assert!(!one_edit_apart("poids", "pois s"));
        assert!(!one_edit_apart("abc", "cab"));
        assert!(one_edit_apart("", "a"));
    }
}
