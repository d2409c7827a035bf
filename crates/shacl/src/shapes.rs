//! Compiling a shapes graph into an evaluation plan.
//!
//! The shapes graph is read once: every shape becomes a [`Shape`] with its targets, its path (for
//! property shapes) and one [`Constraint`] per constraint parameter, each already parsed (regexes
//! compiled, lists read, numbers checked). Terms the constraints compare against are *constants*,
//! numbered here and bound to a data graph's ids when one is loaded, so that evaluation compares
//! integers.

use crate::graph::{Graph, Id};
use crate::vocab::{rdf, rdfs, sh};
use oxrdf::{NamedNodeRef, Term, TermRef};
use regex::Regex;
use std::collections::HashMap;

/// Index of a shape in [`Shapes`].
pub type ShapeId = usize;
/// Index of a constant in [`Shapes`] (bound to a data-graph id at validation).
pub type Const = usize;

/// A malformed shapes graph: which shape, what is wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("shape {shape}: {problem}")]
pub struct ShapesError {
    /// The shape (its IRI, or the blank node with the shape that uses it).
    pub shape: String,
    /// The problem, in words.
    pub problem: String,
}

/// Options for reading shapes graphs written for other engines.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShapesOptions {
    /// A `sh:property` value without `sh:path` is malformed SHACL; the official HealthDCAT-AP R8
    /// shapes contain one (hasStructuredData ⇒ hasVariables). When set, such a value is applied to
    /// the focus node as `sh:node` would be (the intent of its authors, and what pySHACL's oracle does
    /// with `--fix-pathless`); otherwise it is an error.
    pub pathless_property_as_node: bool,
}

/// A SHACL property path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    /// An IRI.
    Predicate(Const),
    /// `sh:inversePath`
    Inverse(Box<Path>),
    /// A list of paths.
    Sequence(Vec<Path>),
    /// `sh:alternativePath`
    Alternative(Vec<Path>),
    /// `sh:zeroOrMorePath`
    ZeroOrMore(Box<Path>),
    /// `sh:oneOrMorePath`
    OneOrMore(Box<Path>),
    /// `sh:zeroOrOnePath`
    ZeroOrOne(Box<Path>),
}

/// How a shape selects focus nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `sh:targetNode`
    Node(Const),
    /// `sh:targetClass` (and implicit class targets)
    Class(Const),
    /// `sh:targetSubjectsOf`
    SubjectsOf(Const),
    /// `sh:targetObjectsOf`
    ObjectsOf(Const),
}

/// `sh:nodeKind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// `sh:IRI`
    Iri,
    /// `sh:BlankNode`
    BlankNode,
    /// `sh:Literal`
    Literal,
    /// `sh:BlankNodeOrIRI`
    BlankNodeOrIri,
    /// `sh:BlankNodeOrLiteral`
    BlankNodeOrLiteral,
    /// `sh:IRIOrLiteral`
    IriOrLiteral,
}

/// One constraint component instance.
#[derive(Debug, Clone)]
pub enum Constraint {
    /// `sh:class`
    Class(Const),
    /// `sh:datatype` (its IRI)
    Datatype(String),
    /// `sh:nodeKind`
    NodeKind(NodeKind),
    /// `sh:minCount`
    MinCount(u64),
    /// `sh:maxCount`
    MaxCount(u64),
    /// `sh:minExclusive`
    MinExclusive(Term),
    /// `sh:minInclusive`
    MinInclusive(Term),
    /// `sh:maxExclusive`
    MaxExclusive(Term),
    /// `sh:maxInclusive`
    MaxInclusive(Term),
    /// `sh:minLength`
    MinLength(u64),
    /// `sh:maxLength`
    MaxLength(u64),
    /// `sh:pattern` with `sh:flags`
    Pattern(Regex),
    /// `sh:languageIn`
    LanguageIn(Vec<String>),
    /// `sh:uniqueLang true`
    UniqueLang,
    /// `sh:equals`
    Equals(Const),
    /// `sh:disjoint`
    Disjoint(Const),
    /// `sh:lessThan`
    LessThan(Const),
    /// `sh:lessThanOrEquals`
    LessThanOrEquals(Const),
    /// `sh:not`
    Not(ShapeId),
    /// `sh:and`
    And(Vec<ShapeId>),
    /// `sh:or`
    Or(Vec<ShapeId>),
    /// `sh:xone`
    Xone(Vec<ShapeId>),
    /// `sh:node`
    Node(ShapeId),
    /// `sh:property`
    Property(ShapeId),
    /// `sh:qualifiedValueShape` with its counts.
    Qualified {
        /// The qualified shape.
        shape: ShapeId,
        /// `sh:qualifiedMinCount`
        min: Option<u64>,
        /// `sh:qualifiedMaxCount`
        max: Option<u64>,
        /// With `sh:qualifiedValueShapesDisjoint true`: the sibling qualified shapes.
        siblings: Vec<ShapeId>,
    },
    /// `sh:closed true`: the allowed predicates.
    Closed(Vec<Const>),
    /// `sh:hasValue`
    HasValue(Const),
    /// `sh:in`
    In(Vec<Const>),
    /// `sh:sparql`: a SHACL-SPARQL SELECT constraint, parsed once (prefixes declared, `$PATH`
    /// substituted for property shapes).
    Sparql(Box<SparqlConstraint>),
}

/// A compiled `sh:sparql` constraint.
#[derive(Debug, Clone)]
pub struct SparqlConstraint {
    /// The constraint's node in the shapes graph (reported as `sh:sourceConstraint`).
    pub node: Id,
    /// The SELECT query.
    pub query: spargebra::Query,
    /// The constraint's `sh:message`s (the shape's are used when it has none).
    pub messages: Vec<Term>,
    /// The variables the SELECT projects.
    pub projected: Vec<oxrdf::Variable>,
}

impl Constraint {
    /// The constraint component IRI reported in results.
    pub fn component(&self) -> &'static str {
        match self {
            Constraint::Class(_) => "ClassConstraintComponent",
            Constraint::Datatype(_) => "DatatypeConstraintComponent",
            Constraint::NodeKind(_) => "NodeKindConstraintComponent",
            Constraint::MinCount(_) => "MinCountConstraintComponent",
            Constraint::MaxCount(_) => "MaxCountConstraintComponent",
            Constraint::MinExclusive(_) => "MinExclusiveConstraintComponent",
            Constraint::MinInclusive(_) => "MinInclusiveConstraintComponent",
            Constraint::MaxExclusive(_) => "MaxExclusiveConstraintComponent",
            Constraint::MaxInclusive(_) => "MaxInclusiveConstraintComponent",
            Constraint::MinLength(_) => "MinLengthConstraintComponent",
            Constraint::MaxLength(_) => "MaxLengthConstraintComponent",
            Constraint::Pattern(_) => "PatternConstraintComponent",
            Constraint::LanguageIn(_) => "LanguageInConstraintComponent",
            Constraint::UniqueLang => "UniqueLangConstraintComponent",
            Constraint::Equals(_) => "EqualsConstraintComponent",
            Constraint::Disjoint(_) => "DisjointConstraintComponent",
            Constraint::LessThan(_) => "LessThanConstraintComponent",
            Constraint::LessThanOrEquals(_) => "LessThanOrEqualsConstraintComponent",
            Constraint::Not(_) => "NotConstraintComponent",
            Constraint::And(_) => "AndConstraintComponent",
            Constraint::Or(_) => "OrConstraintComponent",
            Constraint::Xone(_) => "XoneConstraintComponent",
            Constraint::Node(_) => "NodeConstraintComponent",
            Constraint::Property(_) => "PropertyConstraintComponent",
            Constraint::Qualified { .. } => "QualifiedValueShapeConstraintComponent",
            Constraint::Closed(_) => "ClosedConstraintComponent",
            Constraint::HasValue(_) => "HasValueConstraintComponent",
            Constraint::In(_) => "InConstraintComponent",
            Constraint::Sparql(_) => "SPARQLConstraintComponent",
        }
    }
}

/// A compiled shape.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The shape's node in the shapes graph.
    pub node: Id,
    /// Its path (property shapes only) and the path's node in the shapes graph (for reports).
    pub path: Option<(Path, Id)>,
    /// Targets.
    pub targets: Vec<Target>,
    /// Constraints, in shapes-graph order.
    pub constraints: Vec<Constraint>,
    /// `sh:severity` (default `sh:Violation`).
    pub severity: Term,
    /// `sh:message` values.
    pub messages: Vec<Term>,
    /// `sh:deactivated true`.
    pub deactivated: bool,
}

/// A compiled shapes graph.
#[derive(Debug, Clone)]
pub struct Shapes {
    pub(crate) graph: Graph,
    pub(crate) shapes: Vec<Shape>,
    pub(crate) constants: Vec<Term>,
    pub(crate) unsupported: Vec<String>,
}

impl Shapes {
    /// Turns off the property shapes whose severity is not `sh:Violation` (warnings, infos):
    /// what is left reports exactly the violations, faster — for a caller that only asks whether
    /// there are any. Node shapes stay on (their property shapes may be violations).
    pub fn only_violations(&mut self) {
        for shape in &mut self.shapes {
            if shape.path.is_some() && shape.severity != Term::from(sh::VIOLATION.into_owned()) {
                shape.deactivated = true;
            }
        }
    }

    /// Compiles the shapes of `graph`.
    pub fn compile(graph: Graph, options: ShapesOptions) -> Result<Self, ShapesError> {
        let mut c = Compiler {
            ids: Ids::new(&graph),
            g: &graph,
            shapes: Vec::new(),
            by_node: HashMap::new(),
            constants: Vec::new(),
            constant_ids: HashMap::new(),
            options,
        };
        for root in c.shape_roots() {
            c.shape(root)?;
        }
        c.link_qualified_siblings();
        let unsupported = c.unsupported();
        let (shapes, constants) = (c.shapes, c.constants);
        Ok(Shapes {
            graph,
            shapes,
            constants,
            unsupported,
        })
    }

    /// Number of shapes.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether there is no shape.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// The shapes graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// A shape.
    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    /// Constraints present in the shapes graph that this engine does not evaluate (today:
    /// SHACL-SPARQL `sh:sparql`), one line per shape. Callers must tell their users: those
    /// constraints were not checked, and a report that "conforms" says nothing about them.
    pub fn unsupported(&self) -> &[String] {
        &self.unsupported
    }

    /// A shape's path in SPARQL property-path syntax (`<iri>`, `^<iri>`, `(<a>|<b>)`, `(<a>/<b>)`…).
    pub fn path_text(&self, id: ShapeId) -> Option<String> {
        self.shapes[id]
            .path
            .as_ref()
            .map(|(p, _)| sparql_path(p, &self.constants))
    }

    /// The shape declared by `node` in the shapes graph, if any.
    pub fn shape_of(&self, node: TermRef<'_>) -> Option<ShapeId> {
        let id = self.graph.id(node)?;
        self.shapes.iter().position(|s| s.node == id)
    }

    /// The constants to bind into data graphs.
    pub fn constants(&self) -> &[Term] {
        &self.constants
    }
}

/// Ids of the vocabulary in the shapes graph (absent terms get an id no triple uses).
struct Ids {
    map: HashMap<&'static str, Id>,
}

impl Ids {
    fn new(g: &Graph) -> Self {
        Self {
            map: HashMap::new(),
        }
        .fill(g)
    }

    fn fill(mut self, g: &Graph) -> Self {
        for t in ALL_TERMS {
            self.map
                .insert(t.as_str(), g.id(TermRef::NamedNode(*t)).unwrap_or(Id::MAX));
        }
        self
    }

    fn get(&self, t: NamedNodeRef<'static>) -> Id {
        self.map.get(t.as_str()).copied().unwrap_or(Id::MAX)
    }
}

const ALL_TERMS: &[NamedNodeRef<'static>] = &[
    rdf::TYPE,
    rdf::FIRST,
    rdf::REST,
    rdf::NIL,
    rdfs::CLASS,
    rdfs::SUB_CLASS_OF,
    sh::NODE_SHAPE,
    sh::PROPERTY_SHAPE,
    sh::TARGET_NODE,
    sh::TARGET_CLASS,
    sh::TARGET_SUBJECTS_OF,
    sh::TARGET_OBJECTS_OF,
    sh::PATH,
    sh::INVERSE_PATH,
    sh::ALTERNATIVE_PATH,
    sh::ZERO_OR_MORE_PATH,
    sh::ONE_OR_MORE_PATH,
    sh::ZERO_OR_ONE_PATH,
    sh::DEACTIVATED,
    sh::SEVERITY,
    sh::MESSAGE,
    sh::CLASS,
    sh::DATATYPE,
    sh::NODE_KIND,
    sh::MIN_COUNT,
    sh::MAX_COUNT,
    sh::MIN_EXCLUSIVE,
    sh::MIN_INCLUSIVE,
    sh::MAX_EXCLUSIVE,
    sh::MAX_INCLUSIVE,
    sh::MIN_LENGTH,
    sh::MAX_LENGTH,
    sh::PATTERN,
    sh::FLAGS,
    sh::LANGUAGE_IN,
    sh::UNIQUE_LANG,
    sh::EQUALS,
    sh::DISJOINT,
    sh::LESS_THAN,
    sh::LESS_THAN_OR_EQUALS,
    sh::NOT,
    sh::AND,
    sh::OR,
    sh::XONE,
    sh::NODE,
    sh::PROPERTY,
    sh::QUALIFIED_VALUE_SHAPE,
    sh::QUALIFIED_MIN_COUNT,
    sh::QUALIFIED_MAX_COUNT,
    sh::QUALIFIED_VALUE_SHAPES_DISJOINT,
    sh::CLOSED,
    sh::IGNORED_PROPERTIES,
    sh::HAS_VALUE,
    sh::IN,
    sh::VIOLATION,
    sh::SPARQL,
    sh::SELECT,
    sh::PREFIXES,
    sh::DECLARE,
    sh::PREFIX,
    sh::NAMESPACE,
];

struct Compiler<'g> {
    ids: Ids,
    g: &'g Graph,
    shapes: Vec<Shape>,
    by_node: HashMap<Id, ShapeId>,
    constants: Vec<Term>,
    constant_ids: HashMap<Term, Const>,
    options: ShapesOptions,
}

impl Compiler<'_> {
    fn name(&self, node: Id) -> String {
        self.g.term(node).to_string()
    }

    fn err(&self, node: Id, problem: impl Into<String>) -> ShapesError {
        ShapesError {
            shape: self.name(node),
            problem: problem.into(),
        }
    }

    fn constant(&mut self, t: TermRef<'_>) -> Const {
        let t = t.into_owned();
        if let Some(&c) = self.constant_ids.get(&t) {
            return c;
        }
        self.constants.push(t.clone());
        self.constant_ids.insert(t, self.constants.len() - 1);
        self.constants.len() - 1
    }

    fn values(&self, s: Id, p: NamedNodeRef<'static>) -> Vec<Id> {
        self.g.objects(s, self.ids.get(p)).collect()
    }

    /// Nodes that are shapes by declaration or by having targets.
    fn shape_roots(&self) -> Vec<Id> {
        let mut roots = Vec::new();
        let ty = self.ids.get(rdf::TYPE);
        for class in [sh::NODE_SHAPE, sh::PROPERTY_SHAPE] {
            roots.extend(self.g.subjects(ty, self.ids.get(class)));
        }
        for p in [
            sh::TARGET_NODE,
            sh::TARGET_CLASS,
            sh::TARGET_SUBJECTS_OF,
            sh::TARGET_OBJECTS_OF,
        ] {
            roots.extend(self.g.with_predicate(self.ids.get(p)).map(|(s, _)| s));
        }
        // Shapes used by other shapes are compiled when reached; list them too, so that shapes only
        // referenced (never targeted) still get checked for well-formedness.
        for p in [sh::NODE, sh::PROPERTY, sh::NOT, sh::QUALIFIED_VALUE_SHAPE] {
            roots.extend(self.g.with_predicate(self.ids.get(p)).map(|(_, o)| o));
        }
        roots.sort_unstable();
        roots.dedup();
        roots
    }

    fn list(&self, owner: Id, head: Id, what: &str) -> Result<Vec<Id>, ShapesError> {
        self.g
            .list(
                head,
                self.ids.get(rdf::FIRST),
                self.ids.get(rdf::REST),
                self.ids.get(rdf::NIL),
            )
            .ok_or_else(|| {
                self.err(
                    owner,
                    format!("the value of {what} is not a well-formed RDF list"),
                )
            })
    }

    fn shape(&mut self, node: Id) -> Result<ShapeId, ShapesError> {
        if let Some(&id) = self.by_node.get(&node) {
            return Ok(id);
        }
        if matches!(self.g.term(node), TermRef::Literal(_)) {
            return Err(self.err(node, "a literal cannot be a shape"));
        }
        let id = self.shapes.len();
        self.by_node.insert(node, id);
        self.shapes.push(Shape {
            node,
            path: None,
            targets: Vec::new(),
            constraints: Vec::new(),
            severity: sh::VIOLATION.into_owned().into(),
            messages: Vec::new(),
            deactivated: false,
        });
        let path = match self.values(node, sh::PATH).as_slice() {
            [] => None,
            [p] => Some((self.path(node, *p, 0)?, *p)),
            _ => return Err(self.err(node, "has more than one sh:path")),
        };
        let targets = self.targets(node);
        let mut constraints = Vec::new();
        self.constraints(node, path.is_some(), &mut constraints)?;
        for c in self.values(node, sh::SPARQL) {
            if let Some(sparql) = self.sparql(node, c, path.as_ref().map(|(p, _)| p))? {
                constraints.push(Constraint::Sparql(Box::new(sparql)));
            }
        }
        let severity = match self.values(node, sh::SEVERITY).as_slice() {
            [] => sh::VIOLATION.into_owned().into(),
            [s] if matches!(self.g.term(*s), TermRef::NamedNode(_)) => self.g.term(*s).into_owned(),
            _ => return Err(self.err(node, "sh:severity must be one IRI")),
        };
        let messages = self
            .values(node, sh::MESSAGE)
            .into_iter()
            .map(|m| self.g.term(m).into_owned())
            .collect();
        let deactivated =
            self.values(node, sh::DEACTIVATED)
                .iter()
                .any(|d| match self.g.term(*d) {
                    TermRef::Literal(l) => l.value() == "true" || l.value() == "1",
                    _ => false,
                });
        let shape = &mut self.shapes[id];
        shape.path = path;
        shape.targets = targets;
        shape.constraints = constraints;
        shape.severity = severity;
        shape.messages = messages;
        shape.deactivated = deactivated;
        Ok(id)
    }

    fn targets(&mut self, node: Id) -> Vec<Target> {
        let mut out = Vec::new();
        for (p, make) in [
            (sh::TARGET_NODE, Target::Node as fn(Const) -> Target),
            (sh::TARGET_CLASS, Target::Class),
            (sh::TARGET_SUBJECTS_OF, Target::SubjectsOf),
            (sh::TARGET_OBJECTS_OF, Target::ObjectsOf),
        ] {
            for v in self.values(node, p) {
                let c = self.constant(self.g.term(v));
                out.push(make(c));
            }
        }
        // Implicit class target: a shape that is also an rdfs:Class targets its instances.
        let is_class = self
            .g
            .contains(node, self.ids.get(rdf::TYPE), self.ids.get(rdfs::CLASS));
        if is_class && matches!(self.g.term(node), TermRef::NamedNode(_)) {
            let c = self.constant(self.g.term(node));
            out.push(Target::Class(c));
        }
        out
    }

    fn path(&mut self, shape: Id, p: Id, depth: usize) -> Result<Path, ShapesError> {
        if depth > 64 {
            return Err(self.err(shape, "sh:path is nested too deeply (or cyclic)"));
        }
        match self.g.term(p) {
            TermRef::NamedNode(_) => return Ok(Path::Predicate(self.constant(self.g.term(p)))),
            TermRef::Literal(_) => return Err(self.err(shape, "sh:path cannot be a literal")),
            TermRef::BlankNode(_) => {}
        }
        if self.g.objects(p, self.ids.get(rdf::FIRST)).next().is_some() {
            let items = self.list(shape, p, "a sequence path")?;
            if items.len() < 2 {
                return Err(self.err(shape, "a sequence path needs at least two members"));
            }
            return Ok(Path::Sequence(
                items
                    .into_iter()
                    .map(|i| self.path(shape, i, depth + 1))
                    .collect::<Result<_, _>>()?,
            ));
        }
        let one = |c: &mut Self, pred| -> Result<Option<Box<Path>>, ShapesError> {
            match c.values(p, pred).as_slice() {
                [] => Ok(None),
                [v] => Ok(Some(Box::new(c.path(shape, *v, depth + 1)?))),
                _ => Err(c.err(
                    shape,
                    "a path node has two values for the same path operator",
                )),
            }
        };
        if let Some(x) = one(self, sh::INVERSE_PATH)? {
            return Ok(Path::Inverse(x));
        }
        if let Some(x) = one(self, sh::ZERO_OR_MORE_PATH)? {
            return Ok(Path::ZeroOrMore(x));
        }
        if let Some(x) = one(self, sh::ONE_OR_MORE_PATH)? {
            return Ok(Path::OneOrMore(x));
        }
        if let Some(x) = one(self, sh::ZERO_OR_ONE_PATH)? {
            return Ok(Path::ZeroOrOne(x));
        }
        if let [head] = self.values(p, sh::ALTERNATIVE_PATH).as_slice() {
            let items = self.list(shape, *head, "sh:alternativePath")?;
            return Ok(Path::Alternative(
                items
                    .into_iter()
                    .map(|i| self.path(shape, i, depth + 1))
                    .collect::<Result<_, _>>()?,
            ));
        }
        Err(self.err(
            shape,
            format!("sh:path {} is not a SHACL property path", self.g.term(p)),
        ))
    }

    fn count(&self, node: Id, p: NamedNodeRef<'static>) -> Result<Option<u64>, ShapesError> {
        match self.values(node, p).as_slice() {
            [] => Ok(None),
            [v] => match self.g.term(*v) {
                TermRef::Literal(l) => l.value().parse::<u64>().map(Some).map_err(|_| {
                    self.err(
                        node,
                        format!("{} must be a non-negative integer, not {}", short(p), l),
                    )
                }),
                other => Err(self.err(
                    node,
                    format!("{} must be a non-negative integer, not {other}", short(p)),
                )),
            },
            _ => Err(self.err(node, format!("{} has several values", short(p)))),
        }
    }

    fn constraints(
        &mut self,
        node: Id,
        is_property: bool,
        out: &mut Vec<Constraint>,
    ) -> Result<(), ShapesError> {
        let g = self.g;
        for v in self.values(node, sh::CLASS) {
            let c = self.constant(g.term(v));
            out.push(Constraint::Class(c));
        }
        for v in self.values(node, sh::DATATYPE) {
            match g.term(v) {
                TermRef::NamedNode(n) => out.push(Constraint::Datatype(n.as_str().to_owned())),
                other => {
                    return Err(self.err(node, format!("sh:datatype must be an IRI, not {other}")));
                }
            }
        }
        for v in self.values(node, sh::NODE_KIND) {
            let kind = match g.term(v) {
                TermRef::NamedNode(n) if n == sh::IRI => NodeKind::Iri,
                TermRef::NamedNode(n) if n == sh::BLANK_NODE => NodeKind::BlankNode,
                TermRef::NamedNode(n) if n == sh::LITERAL => NodeKind::Literal,
                TermRef::NamedNode(n) if n == sh::BLANK_NODE_OR_IRI => NodeKind::BlankNodeOrIri,
                TermRef::NamedNode(n) if n == sh::BLANK_NODE_OR_LITERAL => {
                    NodeKind::BlankNodeOrLiteral
                }
                TermRef::NamedNode(n) if n == sh::IRI_OR_LITERAL => NodeKind::IriOrLiteral,
                other => {
                    return Err(self.err(
                        node,
                        format!("sh:nodeKind {other} is not one of the six SHACL node kinds"),
                    ));
                }
            };
            out.push(Constraint::NodeKind(kind));
        }
        if is_property {
            if let Some(n) = self.count(node, sh::MIN_COUNT)? {
                out.push(Constraint::MinCount(n));
            }
            if let Some(n) = self.count(node, sh::MAX_COUNT)? {
                out.push(Constraint::MaxCount(n));
            }
        }
        for (p, make) in [
            (
                sh::MIN_EXCLUSIVE,
                Constraint::MinExclusive as fn(Term) -> Constraint,
            ),
            (sh::MIN_INCLUSIVE, Constraint::MinInclusive),
            (sh::MAX_EXCLUSIVE, Constraint::MaxExclusive),
            (sh::MAX_INCLUSIVE, Constraint::MaxInclusive),
        ] {
            for v in self.values(node, p) {
                out.push(make(g.term(v).into_owned()));
            }
        }
        if let Some(n) = self.count(node, sh::MIN_LENGTH)? {
            out.push(Constraint::MinLength(n));
        }
        if let Some(n) = self.count(node, sh::MAX_LENGTH)? {
            out.push(Constraint::MaxLength(n));
        }
        let flags: String = self
            .values(node, sh::FLAGS)
            .first()
            .and_then(|f| match g.term(*f) {
                TermRef::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .unwrap_or_default();
        for v in self.values(node, sh::PATTERN) {
            let TermRef::Literal(l) = g.term(v) else {
                return Err(self.err(node, "sh:pattern must be a string"));
            };
            out.push(Constraint::Pattern(
                regex(l.value(), &flags).map_err(|e| self.err(node, e))?,
            ));
        }
        for v in self.values(node, sh::LANGUAGE_IN) {
            let items = self.list(node, v, "sh:languageIn")?;
            let langs = items.iter().filter_map(|i| match g.term(*i) {
                TermRef::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
            out.push(Constraint::LanguageIn(langs.collect()));
        }
        if is_property
            && self
                .values(node, sh::UNIQUE_LANG)
                .iter()
                .any(|v| matches!(g.term(*v), TermRef::Literal(l) if l.value() == "true"))
        {
            out.push(Constraint::UniqueLang);
        }
        for (p, make) in [
            (sh::EQUALS, Constraint::Equals as fn(Const) -> Constraint),
            (sh::DISJOINT, Constraint::Disjoint),
            (sh::LESS_THAN, Constraint::LessThan),
            (sh::LESS_THAN_OR_EQUALS, Constraint::LessThanOrEquals),
        ] {
            for v in self.values(node, p) {
                let c = self.constant(g.term(v));
                out.push(make(c));
            }
        }
        for v in self.values(node, sh::NOT) {
            out.push(Constraint::Not(self.shape(v)?));
        }
        for (p, make) in [
            (sh::AND, Constraint::And as fn(Vec<ShapeId>) -> Constraint),
            (sh::OR, Constraint::Or),
            (sh::XONE, Constraint::Xone),
        ] {
            for v in self.values(node, p) {
                let members = self.list(node, v, short(p))?;
                let shapes = members
                    .into_iter()
                    .map(|m| self.shape(m))
                    .collect::<Result<_, _>>()?;
                out.push(make(shapes));
            }
        }
        for v in self.values(node, sh::NODE) {
            out.push(Constraint::Node(self.shape(v)?));
        }
        for v in self.values(node, sh::PROPERTY) {
            let has_path = self.g.objects(v, self.ids.get(sh::PATH)).next().is_some();
            if !has_path && self.options.pathless_property_as_node {
                out.push(Constraint::Node(self.shape(v)?));
                continue;
            }
            if !has_path {
                return Err(self.err(
                    node,
                    format!(
                        "the sh:property value {} has no sh:path (not a property shape); \
                         if it is meant to apply to the focus node, use sh:node",
                        self.name(v)
                    ),
                ));
            }
            out.push(Constraint::Property(self.shape(v)?));
        }
        for v in self.values(node, sh::QUALIFIED_VALUE_SHAPE) {
            let shape = self.shape(v)?;
            let min = self.count(node, sh::QUALIFIED_MIN_COUNT)?;
            let max = self.count(node, sh::QUALIFIED_MAX_COUNT)?;
            let disjoint = self
                .values(node, sh::QUALIFIED_VALUE_SHAPES_DISJOINT)
                .iter()
                .any(|d| matches!(g.term(*d), TermRef::Literal(l) if l.value() == "true"));
            // Siblings are filled in once every shape is compiled (link_qualified_siblings);
            // a marker (the shape itself) says they are wanted.
            out.push(Constraint::Qualified {
                shape,
                min,
                max,
                siblings: if disjoint {
                    vec![usize::MAX]
                } else {
                    Vec::new()
                },
            });
        }
        if self
            .values(node, sh::CLOSED)
            .iter()
            .any(|v| matches!(g.term(*v), TermRef::Literal(l) if l.value() == "true"))
        {
            let mut allowed = Vec::new();
            for p in self.values(node, sh::PROPERTY) {
                for path in self.values(p, sh::PATH) {
                    if matches!(g.term(path), TermRef::NamedNode(_)) {
                        allowed.push(self.constant(g.term(path)));
                    }
                }
            }
            for v in self.values(node, sh::IGNORED_PROPERTIES) {
                for i in self.list(node, v, "sh:ignoredProperties")? {
                    allowed.push(self.constant(g.term(i)));
                }
            }
            out.push(Constraint::Closed(allowed));
        }
        for v in self.values(node, sh::HAS_VALUE) {
            let c = self.constant(g.term(v));
            out.push(Constraint::HasValue(c));
        }
        for v in self.values(node, sh::IN) {
            let items = self.list(node, v, "sh:in")?;
            let consts = items
                .into_iter()
                .map(|i| self.constant(g.term(i)))
                .collect();
            out.push(Constraint::In(consts));
        }
        Ok(())
    }

    fn unsupported(&self) -> Vec<String> {
        // SPARQL-based constraint components (custom components with validators) are not
        // evaluated: say so instead of silently passing data they would reject.
        let mut out = Vec::new();
        for p in ["validator", "nodeValidator", "propertyValidator"] {
            let iri = format!("{}{p}", crate::vocab::SH);
            let Some(pid) = self.g.id(NamedNodeRef::new_unchecked(&iri).into()) else {
                continue;
            };
            for (s, _) in self.g.with_predicate(pid) {
                out.push(format!(
                    "constraint component {}: sh:{p} (SPARQL-based constraint components) is not evaluated yet",
                    self.name(s)
                ));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Compiles one `sh:sparql` value of `shape`; `None` when it is deactivated.
    fn sparql(
        &mut self,
        shape: Id,
        c: Id,
        path: Option<&Path>,
    ) -> Result<Option<SparqlConstraint>, ShapesError> {
        let g = self.g;
        let literal = |ids: Vec<Id>| -> Option<String> {
            ids.first().and_then(|v| match g.term(*v) {
                TermRef::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
        };
        if literal(self.values(c, sh::DEACTIVATED)).as_deref() == Some("true") {
            return Ok(None);
        }
        let Some(select) = literal(self.values(c, sh::SELECT)) else {
            return Err(self.err(
                shape,
                format!(
                    "the sh:sparql value {} has no sh:select string",
                    self.name(c)
                ),
            ));
        };
        let mut text = String::new();
        for p in self.values(c, sh::PREFIXES) {
            for decl in self.values(p, sh::DECLARE) {
                let prefix = literal(self.values(decl, sh::PREFIX));
                let ns = literal(self.values(decl, sh::NAMESPACE));
                let (Some(prefix), Some(ns)) = (prefix, ns) else {
                    return Err(self.err(
                        shape,
                        format!(
                            "a sh:declare of {} lacks sh:prefix or sh:namespace",
                            self.name(p)
                        ),
                    ));
                };
                text.push_str(&format!("PREFIX {prefix}: <{ns}>\n"));
            }
        }
        let body = match path {
            Some(path) => select.replace("$PATH", &sparql_path(path, &self.constants)),
            None => select,
        };
        text.push_str(&body);
        let query = spargebra::SparqlParser::new()
            .parse_query(&text)
            .map_err(|e| self.err(shape, format!("its sh:sparql query does not parse: {e}")))?;
        if !matches!(query, spargebra::Query::Select { .. }) {
            return Err(self.err(shape, "a sh:sparql constraint must be a SELECT query"));
        }
        let messages = self
            .values(c, sh::MESSAGE)
            .into_iter()
            .map(|m| g.term(m).into_owned())
            .collect();
        let projected = match &query {
            spargebra::Query::Select { pattern, .. } => {
                if let Some(problem) = forbidden_in_prebinding(top_of(pattern), false) {
                    return Err(self.err(shape, format!("its sh:sparql query uses {problem}, which SHACL pre-binding does not allow (SHACL §5.2.1)")));
                }
                projection_of(pattern)
            }
            _ => Vec::new(),
        };
        Ok(Some(SparqlConstraint {
            node: c,
            query,
            messages,
            projected,
        }))
    }

    /// For `sh:qualifiedValueShapesDisjoint`: the sibling shapes of a qualified property shape are
    /// the qualified value shapes of the other property shapes of the same parent shapes.
    fn link_qualified_siblings(&mut self) {
        let property = self.ids.get(sh::PROPERTY);
        let qvs = self.ids.get(sh::QUALIFIED_VALUE_SHAPE);
        for i in 0..self.shapes.len() {
            let node = self.shapes[i].node;
            let mut siblings = Vec::new();
            for (parent, _) in self.g.incoming(node).filter(|(_, p)| *p == property) {
                for sibling_prop in self.g.objects(parent, property) {
                    if sibling_prop == node {
                        continue;
                    }
                    for q in self.g.objects(sibling_prop, qvs) {
                        if let Some(&s) = self.by_node.get(&q) {
                            siblings.push(s);
                        }
                    }
                }
            }
            for c in &mut self.shapes[i].constraints {
                if let Constraint::Qualified { siblings: s, .. } = c
                    && s.first() == Some(&usize::MAX)
                {
                    *s = siblings.clone();
                }
            }
        }
    }
}

/// The pattern under the query's own projection (and its DISTINCT, ORDER BY, slice).
fn top_of(pattern: &spargebra::algebra::GraphPattern) -> &spargebra::algebra::GraphPattern {
    use spargebra::algebra::GraphPattern;
    match pattern {
        GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. } => top_of(inner),
        other => other,
    }
}

/// The first construct SHACL forbids in queries with pre-bound variables: MINUS, VALUES, SERVICE,
/// nested SELECT, and binding a pre-bound variable (`AS $this`, `$shapesGraph`, `$currentShape`).
fn forbidden_in_prebinding(
    p: &spargebra::algebra::GraphPattern,
    _nested: bool,
) -> Option<&'static str> {
    use spargebra::algebra::GraphPattern as G;
    let prebound =
        |v: &oxrdf::Variable| matches!(v.as_str(), "this" | "shapesGraph" | "currentShape");
    match p {
        G::Minus { .. } => Some("MINUS"),
        G::Values { .. } => Some("VALUES"),
        G::Service { .. } => Some("SERVICE"),
        G::Project { .. } => Some("a nested SELECT"),
        G::Extend { variable, .. } if prebound(variable) => {
            Some("BIND ... AS a pre-bound variable")
        }
        G::Extend { inner, .. }
        | G::Filter { inner, .. }
        | G::Graph { inner, .. }
        | G::Distinct { inner }
        | G::Reduced { inner }
        | G::Slice { inner, .. }
        | G::OrderBy { inner, .. }
        | G::Group { inner, .. } => forbidden_in_prebinding(inner, true),
        G::Join { left, right } | G::LeftJoin { left, right, .. } | G::Union { left, right } => {
            forbidden_in_prebinding(left, true).or_else(|| forbidden_in_prebinding(right, true))
        }
        _ => None,
    }
}

/// The projected variables of a SELECT whose projection sits under DISTINCT, REDUCED, ORDER BY or
/// a slice.
fn projection_of(pattern: &spargebra::algebra::GraphPattern) -> Vec<oxrdf::Variable> {
    use spargebra::algebra::GraphPattern;
    match pattern {
        GraphPattern::Project { variables, .. } => variables.clone(),
        GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => projection_of(inner),
        GraphPattern::Slice { inner, .. } | GraphPattern::OrderBy { inner, .. } => {
            projection_of(inner)
        }
        _ => Vec::new(),
    }
}

/// A path in SPARQL property-path syntax (for `$PATH`).
fn sparql_path(path: &Path, constants: &[Term]) -> String {
    let join = |items: &[Path], sep: &str| {
        items
            .iter()
            .map(|p| sparql_path(p, constants))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match path {
        Path::Predicate(c) => constants[*c].to_string(),
        Path::Inverse(p) if matches!(**p, Path::Predicate(_)) => {
            format!("^{}", sparql_path(p, constants))
        }
        Path::Inverse(p) => format!("^({})", sparql_path(p, constants)),
        Path::Sequence(items) => format!("({})", join(items, "/")),
        Path::Alternative(items) => format!("({})", join(items, "|")),
        Path::ZeroOrMore(p) => format!("({})*", sparql_path(p, constants)),
        Path::OneOrMore(p) => format!("({})+", sparql_path(p, constants)),
        Path::ZeroOrOne(p) => format!("({})?", sparql_path(p, constants)),
    }
}

fn short(p: NamedNodeRef<'_>) -> &str {
    p.as_str().rsplit('#').next().unwrap_or(p.as_str())
}

/// Compiles a `sh:pattern` with its `sh:flags` (XPath flags `s`, `m`, `i`, `x`, `q`). Rust's regex
/// engine runs in linear time, so no pattern can make validation hang.
fn regex(pattern: &str, flags: &str) -> Result<Regex, String> {
    let mut b = regex::RegexBuilder::new(&if flags.contains('q') {
        regex::escape(pattern)
    } else {
        pattern.to_owned()
    });
    b.case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .ignore_whitespace(flags.contains('x'))
        .size_limit(1 << 22);
    b.build()
        .map_err(|e| format!("sh:pattern {pattern:?} is not a valid regular expression: {e}"))
}
