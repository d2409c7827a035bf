//! A record's data dictionary: `healthdcatap:hasVariables` → `csvw:TableGroup` → `csvw:table` →
//! `csvw:column`, as HealthDCAT-AP Release 8 describes the variables of structured data.
//!
//! Read-only, like [`crate::DatasetView`]: the variables explorer, the variables index, Croissant's
//! record sets and the basket all read the same view. A table named directly by `hasVariables`
//! (without a group) is read too, and `csvw:titles` (the CSVW spelling) as well as `csvw:title`.
//! RDF keeps no order among a table's columns: they are sorted by name, tables by title.

use crate::lang::LangMap;
use crate::vocab::{csvw, dcat, dct, healthdcatap, schema};
use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef};

/// Every table of a record's dictionaries.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// The table groups' `dct:title`s (usually one group).
    pub title: LangMap,
    /// The tables, by title.
    pub tables: Vec<TableView>,
}

/// One `csvw:Table`.
#[derive(Debug, Clone, Default)]
pub struct TableView {
    /// The table's IRI, `None` for a blank node.
    pub iri: Option<String>,
    /// `dct:title`
    pub title: LangMap,
    /// `csvw:url`: the file the table describes.
    pub url: Option<String>,
    /// `dcat:keyword`
    pub keywords: LangMap,
    /// The columns, by name.
    pub columns: Vec<ColumnView>,
}

/// One `csvw:Column`: a variable.
#[derive(Debug, Clone, Default)]
pub struct ColumnView {
    /// The column's IRI, `None` for a blank node.
    pub iri: Option<String>,
    /// `csvw:name`: the variable's name in the data (exactly one in R8; the first when there are
    /// more, empty when there is none).
    pub name: String,
    /// `csvw:title` and `csvw:titles`
    pub titles: LangMap,
    /// `dct:description`
    pub description: LangMap,
    /// `csvw:datatype`: a CSVW datatype name (`integer`, `string`, `date`…) or an XSD IRI.
    pub datatype: Option<String>,
    /// `schema:unitText`: the unit of measurement.
    pub unit: Option<String>,
    /// `csvw:propertyUrl`: the terminology or code list the values come from.
    pub code_list: Option<String>,
}

impl Dictionary {
    /// Reads the dictionaries of `subject` (a dataset) from `graph`.
    pub fn new(graph: &Graph, subject: NamedOrBlankNodeRef<'_>) -> Self {
        let mut out = Dictionary::default();
        let mut seen: Vec<NamedOrBlankNode> = Vec::new();
        for group in nodes(graph, subject, healthdcatap::HAS_VARIABLES) {
            for (l, t) in lang_map(graph, group.as_ref(), &[dct::TITLE]).values() {
                out.title.push(l, t);
            }
            let mut tables = nodes(graph, group.as_ref(), csvw::TABLE_PROP);
            // A table named directly by `hasVariables`.
            if graph
                .objects_for_subject_predicate(group.as_ref(), csvw::COLUMN_PROP)
                .next()
                .is_some()
            {
                tables.push(group.clone());
            }
            for t in tables {
                if seen.contains(&t) {
                    continue;
                }
                seen.push(t.clone());
                out.tables.push(TableView::new(graph, t.as_ref()));
            }
        }
        let key = |t: &TableView| t.title.best(&["en", "fr"]).map(str::to_lowercase);
        out.tables
            .sort_by(|a, b| (key(a), &a.iri).cmp(&(key(b), &b.iri)));
        out
    }

    /// Whether the record gives no variable.
    pub fn is_empty(&self) -> bool {
        self.tables.iter().all(|t| t.columns.is_empty())
    }

    /// Every variable with its table.
    pub fn variables(&self) -> impl Iterator<Item = (&TableView, &ColumnView)> {
        self.tables
            .iter()
            .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
    }

    /// How many variables.
    pub fn len(&self) -> usize {
        self.tables.iter().map(|t| t.columns.len()).sum()
    }
}

impl TableView {
    fn new(graph: &Graph, table: NamedOrBlankNodeRef<'_>) -> Self {
        let mut columns: Vec<ColumnView> = nodes(graph, table, csvw::COLUMN_PROP)
            .iter()
            .map(|c| ColumnView::new(graph, c.as_ref()))
            .collect();
        columns.sort_by(|a, b| (&a.name, &a.iri).cmp(&(&b.name, &b.iri)));
        TableView {
            iri: iri_of(table),
            title: lang_map(graph, table, &[dct::TITLE]),
            url: iri(graph, table, csvw::URL),
            keywords: lang_map(graph, table, &[dcat::KEYWORD]),
            columns,
        }
    }

    /// The name a table is known by in identifiers (Croissant record sets, basket entries): the
    /// last segment of its IRI, else its English or French title, else `table`.
    pub fn key(&self) -> String {
        self.iri
            .as_deref()
            .and_then(|i| i.rsplit(['/', '#']).find(|s| !s.is_empty()))
            .map(str::to_owned)
            .or_else(|| self.title.best(&["en", "fr"]).map(str::to_owned))
            .unwrap_or_else(|| "table".to_owned())
    }
}

impl ColumnView {
    fn new(graph: &Graph, column: NamedOrBlankNodeRef<'_>) -> Self {
        let first = |p| literal(graph, column, p);
        ColumnView {
            iri: iri_of(column),
            name: first(csvw::NAME).unwrap_or_default(),
            titles: lang_map(graph, column, &[csvw::TITLE, csvw::TITLES]),
            description: lang_map(graph, column, &[dct::DESCRIPTION]),
            datatype: first(csvw::DATATYPE).or_else(|| iri(graph, column, csvw::DATATYPE)),
            unit: first(schema::UNIT_TEXT),
            code_list: iri(graph, column, csvw::PROPERTY_URL),
        }
    }
}

fn iri_of(node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    match node {
        NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
        NamedOrBlankNodeRef::BlankNode(_) => None,
    }
}

fn nodes(graph: &Graph, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>) -> Vec<NamedOrBlankNode> {
    graph
        .objects_for_subject_predicate(s, p)
        .filter_map(|o| match o {
            TermRef::NamedNode(n) => Some(n.into_owned().into()),
            TermRef::BlankNode(b) => Some(b.into_owned().into()),
            TermRef::Literal(_) => None,
        })
        .collect()
}

fn lang_map(graph: &Graph, s: NamedOrBlankNodeRef<'_>, preds: &[NamedNodeRef<'_>]) -> LangMap {
    let mut map = LangMap::new();
    for p in preds {
        for o in graph.objects_for_subject_predicate(s, *p) {
            if let TermRef::Literal(l) = o {
                map.push(l.language().unwrap_or_default(), l.value());
            }
        }
    }
    map
}

fn literal(graph: &Graph, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>) -> Option<String> {
    let mut values: Vec<&str> = graph
        .objects_for_subject_predicate(s, p)
        .filter_map(|o| match o {
            TermRef::Literal(l) => Some(l.value()),
            _ => None,
        })
        .collect();
    // The smallest, so that a record with two names reads the same every time.
    values.sort_unstable();
    values.first().map(|v| (*v).to_owned())
}

fn iri(graph: &Graph, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>) -> Option<String> {
    let mut values: Vec<&str> = graph
        .objects_for_subject_predicate(s, p)
        .filter_map(|o| match o {
            TermRef::NamedNode(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    values.sort_unstable();
    values.first().map(|v| (*v).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(ttl: &str) -> Graph {
        let text = format!(
            "@prefix csvw: <http://www.w3.org/ns/csvw#> . @prefix dct: <http://purl.org/dc/terms/> .
             @prefix h: <http://healthdataportal.eu/ns/health#> . @prefix schema: <http://schema.org/> .
             {ttl}"
        );
        oxttl::TurtleParser::new()
            .for_slice(text.as_bytes())
            .map(|t| t.unwrap())
            .collect()
    }

    #[test]
    fn reads_groups_tables_and_columns_sorted() {
        let g = graph(
            r#"<https://ex.org/d> h:hasVariables <https://ex.org/g> , <https://ex.org/t2> .
            <https://ex.org/g> dct:title "Dictionnaire"@fr ; csvw:table <https://ex.org/t1> .
            <https://ex.org/t1> dct:title "B visits"@en ; csvw:url <https://ex.org/v.csv> ;
              csvw:column [ csvw:name "weight" ; csvw:title "Poids"@fr , "Weight"@en ;
                dct:description "Poids"@fr ; csvw:datatype "decimal" ; schema:unitText "kg" ] ,
              [ csvw:name "dx" ; csvw:titles "Diagnosis"@en ; csvw:datatype "string" ;
                csvw:propertyUrl <http://id.who.int/icd/release/10> ] .
            <https://ex.org/t2> dct:title "A patients"@en ; csvw:column [ csvw:name "age" ] ."#,
        );
        let d = Dictionary::new(&g, NamedNodeRef::new_unchecked("https://ex.org/d").into());
        assert_eq!(d.title.get("fr"), Some("Dictionnaire"));
        let names: Vec<_> = d
            .variables()
            .map(|(t, c)| (t.key(), c.name.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("t2".into(), "age".into()),
                ("t1".into(), "dx".into()),
                ("t1".into(), "weight".into())
            ]
        );
        let (table, weight) = d.variables().nth(2).unwrap();
        assert_eq!(table.url.as_deref(), Some("https://ex.org/v.csv"));
        assert_eq!(weight.unit.as_deref(), Some("kg"));
        assert_eq!(weight.titles.get("en"), Some("Weight"));
        let dx = &d.tables[1].columns[0];
        assert_eq!(dx.titles.get("en"), Some("Diagnosis"));
        assert_eq!(
            dx.code_list.as_deref(),
            Some("http://id.who.int/icd/release/10")
        );
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn a_record_without_dictionary_has_none() {
        let g = graph(r#"<https://ex.org/d> dct:title "x" ."#);
        let d = Dictionary::new(&g, NamedNodeRef::new_unchecked("https://ex.org/d").into());
        assert!(d.is_empty());
        assert_eq!(d.len(), 0);
    }
}
