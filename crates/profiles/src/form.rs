//! The fields of an editing form, read from a profile's shapes.
//!
//! For a class (`dcat:Dataset`), every property shape that applies to its instances — shapes
//! targeting the class, the shapes they reach with `sh:node`/`sh:and`, and the default level's
//! shape — is merged per path into one [`Field`]: the largest `sh:minCount` of a violation shape
//! makes it required, one of a warning shape makes it recommended, the smallest `sh:maxCount`
//! bounds its values; `sh:name`/`sh:description` (fr/en) give its label and help, and `sh:order`
//! its place. What kind of input it gets follows from its constraints: a code list (`sh:node` to a
//! shape asking `skos:inScheme`) becomes a select of the bundled codes, `sh:datatype` a typed
//! input, a class with property shapes of its own (a distribution, a contact point) a nested
//! group, anything else that names a resource an IRI input.

use crate::Profile;
use healthcat_shacl::{Constraint, NodeKind, Path, ShapeId, Target};
use oxrdf::{Term, TermRef};
use std::collections::HashMap;

const SH: &str = "http://www.w3.org/ns/shacl#";
/// The DCAT classes of catalogue records: a value of one of them is another record.
const RECORD_CLASSES: [&str; 3] = [
    "http://www.w3.org/ns/dcat#Dataset",
    "http://www.w3.org/ns/dcat#DatasetSeries",
    "http://www.w3.org/ns/dcat#DataService",
];
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
/// Nested groups go this deep (a dataset's distributions, not a distribution's checksums).
const MAX_DEPTH: usize = 1;

/// What a field's values are.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// A literal, with an optional language tag.
    Text,
    /// A literal of this datatype (`xsd:date`, `xsd:nonNegativeInteger`…).
    Typed(String),
    /// `xsd:boolean`.
    Boolean,
    /// A literal of one of these datatypes (a node shape's `sh:or` of `sh:datatype`s, such as
    /// DCAT-AP's date, date-time, year or year-month).
    Datatypes(Vec<String>),
    /// An IRI.
    Iri,
    /// An IRI from one of these code lists (scheme IRIs).
    Code(Vec<String>),
    /// A resource described in the record, with fields of its own; `class` is its `rdf:type`.
    Group {
        /// The class of the nested resource, written as its `rdf:type`.
        class: Option<String>,
        /// Its fields.
        fields: Vec<Field>,
    },
}

/// One property of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property IRI.
    pub path: String,
    /// Values required (`sh:minCount` of a violation shape).
    pub min: u64,
    /// Values allowed at most.
    pub max: Option<u64>,
    /// A warning shape asks for it.
    pub recommended: bool,
    /// The input it gets.
    pub kind: FieldKind,
    /// `sh:name` by language (`fr`, `en`).
    pub name: HashMap<String, String>,
    /// `sh:description` by language.
    pub help: HashMap<String, String>,
    /// healthcat's hint: a text whose values run over several lines (a description), one per
    /// language.
    pub prose: bool,
    order: f64,
}

impl Field {
    /// Its label in `lang`: its `sh:name` (in English when there is none in `lang`), else the
    /// property's usual label, else its compact name (`dct:title`).
    pub fn label(&self, lang: &str) -> String {
        self.name
            .get(lang)
            .or_else(|| self.name.get("en"))
            .cloned()
            .or_else(|| healthcat_model::labels::label(&self.path, lang).map(str::to_owned))
            .unwrap_or_else(|| healthcat_model::labels::compact(&self.path))
    }

    /// Whether more than one value may be given.
    pub fn repeatable(&self) -> bool {
        self.max.is_none_or(|m| m > 1)
    }
}

#[derive(Default)]
struct Acc {
    min: u64,
    max: Option<u64>,
    recommended: bool,
    datatypes: Vec<String>,
    literal: bool,
    resource: bool,
    classes: Vec<String>,
    nodes: Vec<ShapeId>,
    name: HashMap<String, String>,
    help: HashMap<String, String>,
    order: Option<f64>,
    first_seen: usize,
    /// healthcat's hint: a date, date-time, year or year-month.
    date: bool,
    /// healthcat's hint: prose.
    prose: bool,
}

impl Profile {
    /// The form for instances of `class` (an IRI): its fields, required first, then
    /// recommended, then the others, each group in `sh:order` then shapes-file order.
    pub fn form(&self, class: &str) -> Vec<Field> {
        self.form_at(class, None)
    }

    /// The same at access level `level` (a name of [`Profile::level_for`]'s levels; `None` or
    /// an unknown name: the default level).
    pub fn form_at(&self, class: &str, level: Option<&str>) -> Vec<Field> {
        let mut roots = self.shapes_targeting(class);
        if let Some(levels) = &self.levels
            && levels.class.as_str() == class
        {
            let i = level
                .and_then(|name| levels.levels.iter().position(|l| l.name == name))
                .unwrap_or(levels.default);
            roots.push(levels.levels[i].shape);
        }
        self.fields_of(&roots, 0)
    }

    fn shapes_targeting(&self, class: &str) -> Vec<ShapeId> {
        let constants = self.shapes.constants();
        (0..self.shapes.len())
            .filter(|&id| {
                let s = self.shapes.shape(id);
                !s.deactivated
                    && s.path.is_none()
                    && s.targets.iter().any(|t| {
                        matches!(t, Target::Class(c)
                            if matches!(&constants[*c], Term::NamedNode(n) if n.as_str() == class))
                    })
            })
            .collect()
    }

    fn fields_of(&self, roots: &[ShapeId], depth: usize) -> Vec<Field> {
        let mut by_path: HashMap<String, Acc> = HashMap::new();
        let mut seen = Vec::new();
        let mut queue = roots.to_vec();
        while let Some(id) = queue.pop() {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            for c in &self.shapes.shape(id).constraints {
                match c {
                    Constraint::Property(p) => self.merge(*p, &mut by_path),
                    Constraint::Node(n) => queue.push(*n),
                    Constraint::And(list) => queue.extend(list),
                    _ => {}
                }
            }
        }
        // Sorted on a total order: field names (`f3`) are positions, so the form must come out
        // the same on every call, whatever the hash map's order.
        let mut fields: Vec<(usize, Field)> = by_path
            .into_iter()
            .filter(|(path, _)| path != RDF_TYPE)
            .map(|(path, acc)| (acc.first_seen, self.field(path, acc, depth)))
            .collect();
        fields.sort_by(|(a_seen, a), (b_seen, b)| {
            let rank = |f: &Field| {
                if f.min > 0 {
                    0
                } else if f.recommended {
                    1
                } else {
                    2
                }
            };
            rank(a)
                .cmp(&rank(b))
                .then(a.order.total_cmp(&b.order))
                .then(a_seen.cmp(b_seen))
                .then(a.path.cmp(&b.path))
        });
        fields.into_iter().map(|(_, f)| f).collect()
    }

    fn merge(&self, p: ShapeId, by_path: &mut HashMap<String, Acc>) {
        let shape = self.shapes.shape(p);
        let Some((Path::Predicate(k), _)) = &shape.path else {
            return;
        };
        let Term::NamedNode(path) = &self.shapes.constants()[*k] else {
            return;
        };
        let n = by_path.len();
        let acc = by_path
            .entry(path.as_str().to_owned())
            .or_insert_with(|| Acc {
                first_seen: n,
                ..Acc::default()
            });
        let warning =
            matches!(&shape.severity, Term::NamedNode(s) if s.as_str() != format!("{SH}Violation"));
        for c in &shape.constraints {
            match c {
                Constraint::MinCount(m) if warning => acc.recommended |= *m > 0,
                Constraint::MinCount(m) => acc.min = acc.min.max(*m),
                Constraint::MaxCount(m) if !warning => {
                    acc.max = Some(acc.max.map_or(*m, |x| x.min(*m)))
                }
                Constraint::Datatype(d) => acc.datatypes.push(d.clone()),
                Constraint::NodeKind(NodeKind::Literal) => acc.literal = true,
                Constraint::NodeKind(NodeKind::Iri | NodeKind::BlankNodeOrIri) => {
                    acc.resource = true
                }
                Constraint::Class(c) => {
                    if let Term::NamedNode(n) = &self.shapes.constants()[*c] {
                        acc.classes.push(n.as_str().to_owned());
                    }
                }
                Constraint::Node(n) => acc.nodes.push(*n),
                _ => {}
            }
        }
        // Words for people, straight from the shapes graph.
        let graph = self.shapes.graph();
        let term = |local: &str| {
            let iri = oxrdf::NamedNode::new_unchecked(format!("{SH}{local}"));
            graph.id(TermRef::NamedNode(iri.as_ref()))
        };
        for (local, into) in [("name", &mut acc.name), ("description", &mut acc.help)] {
            if let Some(pred) = term(local) {
                for o in graph.objects(shape.node, pred) {
                    if let TermRef::Literal(l) = graph.term(o) {
                        into.entry(l.language().unwrap_or("en").to_owned())
                            .or_insert_with(|| l.value().to_owned());
                    }
                }
            }
        }
        // healthcat's own hints, for a property no constraint types: an IRI (vcard:hasEmail), a
        // date (DCAT-AP 3.0.0 leaves a dataset's dct:issued untyped).
        let hint = graph.id(TermRef::NamedNode(oxrdf::NamedNodeRef::new_unchecked(
            "urn:healthcat:form#input",
        )));
        if let Some(pred) = hint {
            for o in graph.objects(shape.node, pred) {
                match graph.term(o) {
                    TermRef::Literal(l) if l.value() == "iri" => acc.resource = true,
                    TermRef::Literal(l) if l.value() == "date" => acc.date = true,
                    TermRef::Literal(l) if l.value() == "prose" => acc.prose = true,
                    _ => {}
                }
            }
        }
        if let Some(pred) = term("order") {
            for o in graph.objects(shape.node, pred) {
                if let TermRef::Literal(l) = graph.term(o) {
                    acc.order = l.value().parse().ok().or(acc.order);
                }
            }
        }
    }

    fn field(&self, path: String, acc: Acc, depth: usize) -> Field {
        let mut schemes = Vec::new();
        for n in &acc.nodes {
            self.schemes_of(*n, &mut schemes, 0);
        }
        schemes.dedup();
        let datatype = acc.datatypes.first().map(String::as_str);
        let mut alternatives = self.datatype_alternatives(&acc.nodes);
        if alternatives.is_empty() && acc.date {
            alternatives = ["date", "dateTime", "gYear", "gYearMonth"]
                .map(|t| format!("{XSD}{t}"))
                .to_vec();
        }
        let kind = if !schemes.is_empty() {
            FieldKind::Code(schemes)
        } else if datatype.is_none() && !alternatives.is_empty() {
            FieldKind::Datatypes(alternatives)
        } else if datatype == Some(&format!("{XSD}boolean")) {
            FieldKind::Boolean
        } else if let Some(d) = datatype
            && !d.ends_with("#langString")
            && d != format!("{XSD}string")
        {
            FieldKind::Typed(d.to_owned())
        } else if acc.literal || datatype.is_some() {
            FieldKind::Text
        } else if acc
            .classes
            .iter()
            .any(|c| RECORD_CLASSES.contains(&c.as_str()))
        {
            // Another record (a dataset's series): linked by its IRI, never edited inside this one.
            FieldKind::Iri
        } else if let Some(group) = (depth < MAX_DEPTH)
            .then(|| self.group(&acc, depth))
            .flatten()
        {
            group
        } else if acc.resource || !acc.classes.is_empty() || !acc.nodes.is_empty() {
            FieldKind::Iri
        } else {
            FieldKind::Text
        };
        Field {
            prose: acc.prose && kind == FieldKind::Text,
            path,
            min: acc.min,
            max: acc.max,
            recommended: acc.recommended && acc.min == 0,
            kind,
            name: acc.name,
            help: acc.help,
            order: acc.order.unwrap_or(f64::MAX),
        }
    }

    /// The datatypes a value may have when `nodes` say "one of these datatypes" (`sh:or` of shapes
    /// with one `sh:datatype` each).
    fn datatype_alternatives(&self, nodes: &[ShapeId]) -> Vec<String> {
        let mut out = Vec::new();
        for n in nodes {
            for c in &self.shapes.shape(*n).constraints {
                let Constraint::Or(alts) = c else { continue };
                let types: Vec<String> = alts
                    .iter()
                    .filter_map(|a| match self.shapes.shape(*a).constraints.as_slice() {
                        [Constraint::Datatype(d)] => Some(d.clone()),
                        _ => None,
                    })
                    .collect();
                if !types.is_empty() && types.len() == alts.len() {
                    out.extend(types);
                }
            }
        }
        out
    }

    /// A nested group, when the values' class or node shapes have property shapes of their own.
    fn group(&self, acc: &Acc, depth: usize) -> Option<FieldKind> {
        let mut roots: Vec<ShapeId> = acc
            .classes
            .iter()
            .flat_map(|c| self.shapes_targeting(c))
            .collect();
        roots.extend(&acc.nodes);
        let fields = self.fields_of(&roots, depth + 1);
        if fields.is_empty() {
            return None;
        }
        let constants = self.shapes.constants();
        let class = acc.classes.first().cloned().or_else(|| {
            roots.iter().find_map(|r| {
                self.shapes.shape(*r).targets.iter().find_map(|t| match t {
                    Target::Class(c) => match &constants[*c] {
                        Term::NamedNode(n) => Some(n.as_str().to_owned()),
                        _ => None,
                    },
                    _ => None,
                })
            })
        });
        Some(FieldKind::Group { class, fields })
    }

    /// The codes of a code list, (IRI, label) in `lang`.
    pub fn codes(&self, scheme: &str, lang: &str) -> Vec<(String, String)> {
        self.background.concepts(scheme, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dataset_form_follows_the_r8_shapes() {
        let p = Profile::builtin("healthdcat-ap-r8").unwrap();
        let form = p.form("http://www.w3.org/ns/dcat#Dataset");
        let get = |path: &str| {
            form.iter()
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("no field {path}"))
        };
        let title = get("http://purl.org/dc/terms/title");
        assert_eq!((title.min, title.kind.clone()), (1, FieldKind::Text));
        assert_eq!(title.name["fr"], "Titre");
        assert!(
            form[0].min > 0 && title == &form[0],
            "required first, in sh:order"
        );
        // A code list becomes a select of the bundled codes, labelled in both languages.
        let access = get("http://purl.org/dc/terms/accessRights");
        assert_eq!((access.min, access.max), (1, Some(1)));
        let FieldKind::Code(schemes) = &access.kind else {
            panic!("{access:?}")
        };
        let codes = p.codes(&schemes[0], "fr");
        assert!(
            codes
                .iter()
                .any(|(iri, label)| iri.ends_with("/NON_PUBLIC") && label == "non public")
        );
        assert_eq!(
            get("http://healthdataportal.eu/ns/health#hasStructuredData").kind,
            FieldKind::Boolean
        );
        assert!(matches!(
            &get("http://healthdataportal.eu/ns/health#numberOfRecords").kind,
            FieldKind::Typed(d) if d.ends_with("#nonNegativeInteger")
        ));
        // Nested groups: a distribution's own required fields; a contact point's properties.
        let FieldKind::Group { class, fields } =
            &get("http://www.w3.org/ns/dcat#distribution").kind
        else {
            panic!()
        };
        assert_eq!(
            class.as_deref(),
            Some("http://www.w3.org/ns/dcat#Distribution")
        );
        assert!(
            fields
                .iter()
                .any(|f| f.path.ends_with("#accessURL") && f.min == 1)
        );
        let FieldKind::Group { fields, .. } = &get("http://www.w3.org/ns/dcat#contactPoint").kind
        else {
            panic!()
        };
        assert!(
            fields
                .iter()
                .any(|f| f.path.ends_with("#hasEmail") && f.kind == FieldKind::Iri)
        );
        // The default level's rules are in: a non-public dataset needs a contact point (only
        // recommended in DCAT-AP).
        assert_eq!(get("http://www.w3.org/ns/dcat#contactPoint").min, 1);
        assert!(form.iter().all(|f| f.path != RDF_TYPE));
        // DCAT-AP's "date, date-time, year or year-month".
        assert!(matches!(
            &get("http://purl.org/dc/terms/issued").kind,
            FieldKind::Datatypes(d) if d.len() == 4 && d[0].ends_with("#date")
        ));
        // Fields are named by position: every call gives the same order.
        for _ in 0..5 {
            assert_eq!(p.form("http://www.w3.org/ns/dcat#Dataset"), form);
        }
    }

    /// A steward reads words, never a property's compact name: every field of the dataset form,
    /// nested ones included, has a label in French and in English (what the editor's form and
    /// the spreadsheet's headers and sheet names show).
    #[test]
    fn every_field_of_the_dataset_form_has_words_in_both_languages() {
        fn unnamed(fields: &[Field], out: &mut Vec<String>) {
            for f in fields {
                let compact = healthcat_model::labels::compact(&f.path);
                for lang in ["fr", "en"] {
                    if f.label(lang) == compact {
                        out.push(format!("{compact} ({lang})"));
                    }
                }
                if let FieldKind::Group { fields, .. } = &f.kind {
                    unnamed(fields, out);
                }
            }
        }
        for profile in ["healthdcat-ap-r8", "dcat-ap-3"] {
            let p = Profile::builtin(profile).unwrap();
            let mut out = Vec::new();
            unnamed(&p.form("http://www.w3.org/ns/dcat#Dataset"), &mut out);
            assert_eq!(out, Vec::<String>::new(), "{profile}");
        }
    }
}
