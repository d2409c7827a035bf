//! Variables as the CSVW table group HealthDCAT-AP Release 8 expects, and a record's graph with
//! its dictionary replaced.
//!
//! Nodes are named under the dataset's IRI — `{dataset}/variables` (the group),
//! `{dataset}/variables/{table}` and `{dataset}/variables/{table}/{name}`, slugs made unique —
//! so the dictionary stays part of the record when it is stored and exported; a blank-node
//! dataset gets blank nodes.

use crate::Variable;
use healthcat_model::LocalId;
use healthcat_model::vocab::{csvw, dct, healthdcatap, rdf, schema};
use oxrdf::{
    BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef, Triple,
};
use std::collections::{HashMap, HashSet};

/// The title every table group gets: (language, text).
pub const GROUP_TITLES: [(&str, &str); 2] = [
    ("fr", "Dictionnaire des variables"),
    ("en", "Data dictionary"),
];

fn literal(lang: &str, text: &str) -> Literal {
    if lang.is_empty() {
        Literal::new_simple_literal(text)
    } else {
        Literal::new_language_tagged_literal(text, lang)
            .unwrap_or_else(|_| Literal::new_simple_literal(text))
    }
}

/// Gives out slugs unique within one scope.
#[derive(Default)]
struct Slugs(HashSet<String>);

impl Slugs {
    fn take(&mut self, text: &str, fallback: &str) -> String {
        let base = LocalId::slugify(text).map_or_else(|| fallback.to_owned(), |s| s.to_string());
        let mut slug = base.clone();
        let mut n = 2;
        while !self.0.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }
}

/// The table group's triples for `variables`, the group linked from `dataset` by
/// `healthdcatap:hasVariables`. Tables come in the order of their first row.
pub fn group(dataset: NamedOrBlankNodeRef<'_>, variables: &[Variable]) -> Graph {
    let mut g = Graph::new();
    let node = |path: &str| -> NamedOrBlankNode {
        match dataset {
            NamedOrBlankNodeRef::NamedNode(d) => {
                NamedNode::new_unchecked(format!("{}/{path}", d.as_str())).into()
            }
            NamedOrBlankNodeRef::BlankNode(_) => BlankNode::default().into(),
        }
    };
    let group = node("variables");
    g.insert(&Triple::new(
        dataset.into_owned(),
        healthdcatap::HAS_VARIABLES,
        group.clone(),
    ));
    g.insert(&Triple::new(group.clone(), rdf::TYPE, csvw::TABLE_GROUP));
    for (lang, text) in GROUP_TITLES {
        g.insert(&Triple::new(group.clone(), dct::TITLE, literal(lang, text)));
    }
    let mut table_slugs = Slugs::default();
    let mut tables: HashMap<&str, (NamedOrBlankNode, String, Slugs, bool)> = HashMap::new();
    for v in variables {
        let (table, slug, names, titled) = tables.entry(&v.table).or_insert_with(|| {
            let slug = table_slugs.take(&v.table, "table");
            let t = node(&format!("variables/{slug}"));
            g.insert(&Triple::new(group.clone(), csvw::TABLE_PROP, t.clone()));
            g.insert(&Triple::new(t.clone(), rdf::TYPE, csvw::TABLE));
            (t, slug, Slugs::default(), false)
        });
        if !*titled && !v.table_titles.is_empty() {
            for (lang, text) in &v.table_titles {
                g.insert(&Triple::new(table.clone(), dct::TITLE, literal(lang, text)));
            }
            *titled = true;
        }
        let name_slug = names.take(&v.name, "variable");
        let c = node(&format!("variables/{slug}/{name_slug}"));
        g.insert(&Triple::new(table.clone(), csvw::COLUMN_PROP, c.clone()));
        g.insert(&Triple::new(c.clone(), rdf::TYPE, csvw::COLUMN));
        g.insert(&Triple::new(
            c.clone(),
            csvw::NAME,
            Literal::new_simple_literal(&v.name),
        ));
        for (lang, text) in &v.titles {
            g.insert(&Triple::new(c.clone(), csvw::TITLE, literal(lang, text)));
        }
        for (lang, text) in &v.descriptions {
            g.insert(&Triple::new(
                c.clone(),
                dct::DESCRIPTION,
                literal(lang, text),
            ));
        }
        g.insert(&Triple::new(
            c.clone(),
            csvw::DATATYPE,
            Literal::new_simple_literal(&v.datatype),
        ));
        if let Some(u) = &v.unit {
            g.insert(&Triple::new(
                c.clone(),
                schema::UNIT_TEXT,
                Literal::new_simple_literal(u),
            ));
        }
        if let Some(iri) = v.code_list.as_deref().and_then(|i| NamedNode::new(i).ok()) {
            g.insert(&Triple::new(c, csvw::PROPERTY_URL, iri));
        }
    }
    // A table without a title of its own is titled by its name (R8: `dct:title` ≥ 1).
    for (name, (t, _, _, titled)) in &tables {
        if !titled {
            g.insert(&Triple::new(
                t.clone(),
                dct::TITLE,
                Literal::new_simple_literal(*name),
            ));
        }
    }
    g
}

/// `record` with the dictionary of `dataset` replaced by `new` (a [`group`]): the old
/// `hasVariables` links go, with every node reached from them through `csvw:table` and
/// `csvw:column` and the blank nodes those hold; the rest of the record is kept as it was.
pub fn replace(record: &Graph, dataset: NamedOrBlankNodeRef<'_>, new: &Graph) -> Graph {
    let mut doomed: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut todo: Vec<NamedOrBlankNode> = record
        .objects_for_subject_predicate(dataset, healthdcatap::HAS_VARIABLES)
        .filter_map(node)
        .collect();
    while let Some(n) = todo.pop() {
        if n.as_ref() == dataset || !doomed.insert(n.clone()) {
            continue;
        }
        for t in record.triples_for_subject(n.as_ref()) {
            let follow = t.predicate == csvw::TABLE_PROP
                || t.predicate == csvw::COLUMN_PROP
                || matches!(t.object, TermRef::BlankNode(_));
            if follow && let Some(o) = node(t.object) {
                todo.push(o);
            }
        }
    }
    let mut out = Graph::new();
    for t in record {
        let drop = (t.subject == dataset && t.predicate == healthdcatap::HAS_VARIABLES)
            || doomed.contains(&t.subject.into_owned());
        if !drop {
            out.insert(t);
        }
    }
    for t in new {
        out.insert(t);
    }
    out
}

fn node(t: TermRef<'_>) -> Option<NamedOrBlankNode> {
    match t {
        TermRef::NamedNode(n) => Some(n.into_owned().into()),
        TermRef::BlankNode(b) => Some(b.into_owned().into()),
        TermRef::Literal(_) => None,
    }
}
