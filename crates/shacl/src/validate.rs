//! Evaluating a compiled plan against a data graph.

use crate::graph::{Graph, Id};
use crate::report::{ResultPath, ValidationReport, ValidationResult};
use crate::shapes::{Constraint, NodeKind, Path, ShapeId, Shapes, Target};
use crate::value::{compare, has_datatype, lang_matches, string_of};
use crate::vocab::{rdf, rdfs};
use oxrdf::{NamedNode, TermRef};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};

/// A data graph ready for validation against one [`Shapes`]: the shapes' constants are interned
/// into it, so constraints compare ids.
#[derive(Debug)]
pub struct DataGraph {
    graph: Graph,
    bound: Vec<Id>,
    rdf_type: Id,
    sub_class_of: Id,
}

impl DataGraph {
    /// Binds `graph` to the constants of `shapes`.
    pub fn new(mut graph: Graph, shapes: &Shapes) -> Self {
        let bound = shapes
            .constants()
            .iter()
            .map(|t| graph.intern(t.as_ref()))
            .collect();
        let rdf_type = graph.intern(rdf::TYPE.into());
        let sub_class_of = graph.intern(rdfs::SUB_CLASS_OF.into());
        Self {
            graph,
            bound,
            rdf_type,
            sub_class_of,
        }
    }

    /// The underlying graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
}

/// Below this many (shape, focus node) checks, validation stays on one thread.
const PARALLEL_THRESHOLD: usize = 512;

/// Validates `data` against every shape with targets in `shapes`, on every core for large graphs
/// (the checks of different focus nodes are independent; each thread has its own recursion stack
/// and class cache, and results keep the single-threaded order).
pub fn validate(shapes: &Shapes, data: &DataGraph) -> ValidationReport {
    validate_with_targets(shapes, data, &[], &[])
}

/// As [`validate`], with extra (shape, focus node) pairs chosen by the caller — how a profile
/// applies a shape to the nodes its own rule selects (a dataset's access level, say), with no
/// target in the shapes graph — and nodes that are never focus nodes (`except`: nodes present
/// only so that the value checks of others see their class, such as another record a record
/// links to). Focus nodes are ids of `data`'s graph.
pub fn validate_with_targets(
    shapes: &Shapes,
    data: &DataGraph,
    extra: &[(ShapeId, Id)],
    except: &[Id],
) -> ValidationReport {
    let mut planner = Ctx::new(shapes, data);
    let mut work: Vec<(ShapeId, Id)> = extra.to_vec();
    for (sid, shape) in shapes.shapes.iter().enumerate() {
        if shape.targets.is_empty() || shape.deactivated {
            continue;
        }
        work.extend(
            planner
                .focus_nodes(&shape.targets)
                .into_iter()
                .map(|f| (sid, f)),
        );
    }
    if !except.is_empty() {
        work.retain(|(_, f)| !except.contains(f));
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let (raw, failures): (Vec<Raw>, Vec<String>) = if threads < 2 || work.len() < PARALLEL_THRESHOLD
    {
        let mut out = Vec::new();
        for &(sid, focus) in &work {
            planner.validate_shape(sid, focus, &mut out);
        }
        (out, std::mem::take(&mut planner.failures))
    } else {
        let chunk = work.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = work
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        let mut ctx = Ctx::new(shapes, data);
                        let mut out = Vec::new();
                        for &(sid, focus) in part {
                            ctx.validate_shape(sid, focus, &mut out);
                        }
                        (out, ctx.failures)
                    })
                })
                .collect();
            let (mut raw, mut failures) = (Vec::new(), Vec::new());
            for h in handles {
                // A panicking worker is a bug in the engine; surface it rather than drop results.
                let (out, f) = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                raw.extend(out);
                failures.extend(f);
            }
            (raw, failures)
        })
    };
    let results: Vec<ValidationResult> = raw
        .into_iter()
        .map(|r| r.into_result(shapes, data))
        .collect();
    ValidationReport {
        conforms: results.is_empty() && failures.is_empty(),
        results,
        failures,
    }
}

/// A result before its terms are resolved.
struct Raw {
    focus: Id,
    path: Option<RawPath>,
    value: Option<Id>,
    shape: ShapeId,
    component: &'static str,
    /// For `sh:node`: the results of the nested shape that made the value fail.
    details: Vec<Raw>,
    /// For `sh:sparql`: the constraint node (shapes graph) and its messages.
    sparql: Option<(Id, Vec<oxrdf::Term>)>,
    /// Index of the constraint in its shape's constraint list.
    constraint: Option<usize>,
}

enum RawPath {
    Shape(ShapeId),
    Predicate(Id),
}

impl Raw {
    fn into_result(self, shapes: &Shapes, data: &DataGraph) -> ValidationResult {
        let shape = &shapes.shapes[self.shape];
        ValidationResult {
            focus_node: data.graph.term(self.focus).into_owned(),
            result_path: self.path.map(|p| match p {
                RawPath::Shape(sid) => ResultPath::Shape(sid),
                RawPath::Predicate(p) => ResultPath::Predicate(data.graph.term(p).into_owned()),
            }),
            value: self.value.map(|v| data.graph.term(v).into_owned()),
            source_shape: shapes.graph.term(shape.node).into_owned(),
            shape: self.shape,
            constraint: self.constraint,
            component: NamedNode::new_unchecked(format!("{}{}", crate::vocab::SH, self.component)),
            severity: shape.severity.clone(),
            messages: match &self.sparql {
                Some((_, m)) if !m.is_empty() => m.clone(),
                _ => shape.messages.clone(),
            },
            source_constraint: self
                .sparql
                .as_ref()
                .map(|(c, _)| shapes.graph.term(*c).into_owned()),
            details: self
                .details
                .into_iter()
                .map(|d| d.into_result(shapes, data))
                .collect(),
        }
    }
}

struct Ctx<'a> {
    shapes: &'a Shapes,
    data: &'a DataGraph,
    /// (shape, node) pairs being checked: re-entering one means a recursive shape, taken as
    /// conforming (SHACL leaves recursion undefined; this terminates and matches pySHACL).
    stack: HashSet<(ShapeId, Id)>,
    superclasses: HashMap<Id, Vec<Id>>,
    /// Errors met while evaluating (a SPARQL query failing at run time): reported, never ignored.
    failures: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn new(shapes: &'a Shapes, data: &'a DataGraph) -> Self {
        Self {
            shapes,
            data,
            stack: HashSet::new(),
            superclasses: HashMap::new(),
            failures: Vec::new(),
        }
    }

    fn g(&self) -> &Graph {
        &self.data.graph
    }

    fn c(&self, constant: usize) -> Id {
        self.data.bound[constant]
    }

    fn focus_nodes(&mut self, targets: &[Target]) -> Vec<Id> {
        let mut out = Vec::new();
        for t in targets {
            match *t {
                Target::Node(c) => out.push(self.c(c)),
                Target::Class(c) => {
                    let class = self.c(c);
                    for sub in self.subclasses(class) {
                        out.extend(self.g().subjects(self.data.rdf_type, sub));
                    }
                }
                Target::SubjectsOf(c) => {
                    out.extend(self.g().with_predicate(self.c(c)).map(|(s, _)| s))
                }
                Target::ObjectsOf(c) => {
                    out.extend(self.g().with_predicate(self.c(c)).map(|(_, o)| o))
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// `class` and every class below it (rdfs:subClassOf*, inverse).
    fn subclasses(&self, class: Id) -> Vec<Id> {
        let mut seen = vec![class];
        let mut queue = VecDeque::from([class]);
        while let Some(c) = queue.pop_front() {
            for sub in self.g().subjects(self.data.sub_class_of, c) {
                if !seen.contains(&sub) {
                    seen.push(sub);
                    queue.push_back(sub);
                }
            }
        }
        seen
    }

    /// Whether `node` is an instance of `class` (rdf:type/rdfs:subClassOf*).
    fn is_instance(&mut self, node: Id, class: Id) -> bool {
        let types: Vec<Id> = self.g().objects(node, self.data.rdf_type).collect();
        types
            .into_iter()
            .any(|t| t == class || self.supers(t).contains(&class))
    }

    fn supers(&mut self, t: Id) -> &[Id] {
        if !self.superclasses.contains_key(&t) {
            let mut seen = Vec::new();
            let mut queue = VecDeque::from([t]);
            while let Some(c) = queue.pop_front() {
                for sup in self.g().objects(c, self.data.sub_class_of) {
                    if sup != t && !seen.contains(&sup) {
                        seen.push(sup);
                        queue.push_back(sup);
                    }
                }
            }
            self.superclasses.insert(t, seen);
        }
        &self.superclasses[&t]
    }

    fn eval_path(&self, path: &Path, start: &[Id], inverse: bool) -> Vec<Id> {
        let step = |nodes: &[Id], p: &Path| self.eval_path(p, nodes, inverse);
        let mut out: Vec<Id> = match path {
            Path::Predicate(c) => {
                let p = self.c(*c);
                start
                    .iter()
                    .flat_map(|&n| -> Box<dyn Iterator<Item = Id> + '_> {
                        if inverse {
                            Box::new(self.g().subjects(p, n))
                        } else {
                            Box::new(self.g().objects(n, p))
                        }
                    })
                    .collect()
            }
            Path::Inverse(p) => self.eval_path(p, start, !inverse),
            Path::Sequence(items) => {
                let mut nodes = start.to_vec();
                let ordered: Box<dyn Iterator<Item = &Path>> = if inverse {
                    Box::new(items.iter().rev())
                } else {
                    Box::new(items.iter())
                };
                for p in ordered {
                    nodes = step(&nodes, p);
                }
                nodes
            }
            Path::Alternative(items) => items.iter().flat_map(|p| step(start, p)).collect(),
            Path::ZeroOrMore(p) => self.closure(p, start, inverse, true),
            Path::OneOrMore(p) => self.closure(p, start, inverse, false),
            Path::ZeroOrOne(p) => start.iter().copied().chain(step(start, p)).collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    fn closure(&self, p: &Path, start: &[Id], inverse: bool, reflexive: bool) -> Vec<Id> {
        let mut seen: HashSet<Id> = if reflexive {
            start.iter().copied().collect()
        } else {
            HashSet::new()
        };
        let mut frontier = start.to_vec();
        while !frontier.is_empty() {
            let next = self.eval_path(p, &frontier, inverse);
            frontier = next.into_iter().filter(|n| seen.insert(*n)).collect();
        }
        seen.into_iter().collect()
    }

    fn conforms(&mut self, sid: ShapeId, node: Id) -> bool {
        self.nested_results(sid, node).is_empty()
    }

    /// The results of validating `node` against `sid` (empty if the pair is already being checked).
    fn nested_results(&mut self, sid: ShapeId, node: Id) -> Vec<Raw> {
        let mut tmp = Vec::new();
        if self.stack.insert((sid, node)) {
            self.validate_shape(sid, node, &mut tmp);
            self.stack.remove(&(sid, node));
        }
        tmp
    }

    /// Runs a `sh:sparql` SELECT with `$this` (and `$currentShape`) pre-bound; one result per
    /// solution (SHACL §5.3.2): `?path` and `?value` when bound, else the shape's path and, for node
    /// shapes, the focus node as value.
    fn sparql(
        &mut self,
        sid: ShapeId,
        focus: Id,
        c: &crate::shapes::SparqlConstraint,
        out: &mut Vec<Raw>,
    ) {
        let shapes = self.shapes;
        let shape = &shapes.shapes[sid];
        let this = self.g().term(focus).into_owned();
        let current = shapes.graph.term(shape.node).into_owned();
        let var = |n: &str| oxrdf::Variable::new_unchecked(n);
        let evaluator = spareval::QueryEvaluator::new();
        // spareval pre-binds (SEP-0007) only variables the SELECT projects; SHACL queries project
        // $this as a rule. Other pre-bound variables are bound only when projected.
        let mut prepared = evaluator.prepare(&c.query);
        for (name, term) in [("this", this), ("currentShape", current)] {
            if c.projected.iter().any(|v| v.as_str() == name) {
                prepared = prepared.substitute_variable(var(name), term);
            }
        }
        let solutions: Vec<_> = match prepared.execute(self.data.graph()) {
            Ok(spareval::QueryResults::Solutions(solutions)) => solutions.collect(),
            Ok(_) => Vec::new(),
            Err(e) => {
                self.failures.push(format!(
                    "{}: sh:sparql query failed: {e}",
                    shapes.graph.term(shape.node)
                ));
                return;
            }
        };
        for solution in solutions.into_iter().flatten() {
            if matches!(solution.get("failure"), Some(oxrdf::Term::Literal(l)) if l.value() == "true")
            {
                continue;
            }
            let value = solution.get("value").and_then(|v| self.g().id(v.as_ref()));
            let path_term = solution.get("path").and_then(|p| self.g().id(p.as_ref()));
            let path = match (path_term, &shape.path) {
                (Some(p), _) => Some(RawPath::Predicate(p)),
                (None, Some(_)) => Some(RawPath::Shape(sid)),
                (None, None) => None,
            };
            let value = value.or(if shape.path.is_none() {
                Some(focus)
            } else {
                None
            });
            out.push(Raw {
                focus,
                path,
                value,
                shape: sid,
                component: "SPARQLConstraintComponent",
                details: Vec::new(),
                sparql: Some((c.node, c.messages.clone())),
                constraint: None,
            });
        }
    }

    fn validate_shape(&mut self, sid: ShapeId, focus: Id, out: &mut Vec<Raw>) {
        let shapes = self.shapes;
        let shape = &shapes.shapes[sid];
        if shape.deactivated {
            return;
        }
        let values: Vec<Id> = match &shape.path {
            Some((path, _)) => self.eval_path(path, &[focus], false),
            None => vec![focus],
        };
        let path = shape.path.as_ref().map(|_| sid);
        let res = |out: &mut Vec<Raw>, value: Option<Id>, component: &'static str| {
            out.push(Raw {
                focus,
                path: path.map(RawPath::Shape),
                value,
                shape: sid,
                component,
                details: Vec::new(),
                sparql: None,
                constraint: None,
            });
        };
        for (index, c) in shape.constraints.iter().enumerate() {
            let before = out.len();
            let comp = c.component();
            match c {
                Constraint::Class(k) => {
                    let class = self.c(*k);
                    for &v in &values {
                        if !self.is_instance(v, class) {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::Datatype(dt) => {
                    for &v in &values {
                        let ok = match self.g().term(v) {
                            TermRef::Literal(l) => has_datatype(l, dt),
                            _ => false,
                        };
                        if !ok {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::NodeKind(kind) => {
                    for &v in &values {
                        let t = self.g().term(v);
                        let (iri, bnode, lit) = (
                            matches!(t, TermRef::NamedNode(_)),
                            matches!(t, TermRef::BlankNode(_)),
                            matches!(t, TermRef::Literal(_)),
                        );
                        let ok = match kind {
                            NodeKind::Iri => iri,
                            NodeKind::BlankNode => bnode,
                            NodeKind::Literal => lit,
                            NodeKind::BlankNodeOrIri => bnode || iri,
                            NodeKind::BlankNodeOrLiteral => bnode || lit,
                            NodeKind::IriOrLiteral => iri || lit,
                        };
                        if !ok {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::MinCount(n) => {
                    if (values.len() as u64) < *n {
                        res(out, None, comp);
                    }
                }
                Constraint::MaxCount(n) => {
                    if (values.len() as u64) > *n {
                        res(out, None, comp);
                    }
                }
                Constraint::MinExclusive(t)
                | Constraint::MinInclusive(t)
                | Constraint::MaxExclusive(t)
                | Constraint::MaxInclusive(t) => {
                    for &v in &values {
                        let ord = compare(self.g().term(v), t.as_ref());
                        let ok = match c {
                            Constraint::MinExclusive(_) => ord == Some(Ordering::Greater),
                            Constraint::MinInclusive(_) => {
                                matches!(ord, Some(Ordering::Greater | Ordering::Equal))
                            }
                            Constraint::MaxExclusive(_) => ord == Some(Ordering::Less),
                            _ => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
                        };
                        if !ok {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::MinLength(n) | Constraint::MaxLength(n) => {
                    for &v in &values {
                        let len = string_of(self.g().term(v)).map(|s| s.chars().count() as u64);
                        let ok = match (c, len) {
                            (_, None) => false,
                            (Constraint::MinLength(_), Some(l)) => l >= *n,
                            (_, Some(l)) => l <= *n,
                        };
                        if !ok {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::Pattern(re) => {
                    for &v in &values {
                        if !string_of(self.g().term(v)).is_some_and(|s| re.is_match(s)) {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::LanguageIn(langs) => {
                    for &v in &values {
                        let ok = match self.g().term(v) {
                            TermRef::Literal(l) => l
                                .language()
                                .is_some_and(|tag| langs.iter().any(|r| lang_matches(tag, r))),
                            _ => false,
                        };
                        if !ok {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::UniqueLang => {
                    let mut seen: HashMap<String, usize> = HashMap::new();
                    for &v in &values {
                        if let TermRef::Literal(l) = self.g().term(v)
                            && let Some(tag) = l.language()
                        {
                            *seen.entry(tag.to_ascii_lowercase()).or_default() += 1;
                        }
                    }
                    for _ in seen.values().filter(|n| **n > 1) {
                        res(out, None, comp);
                    }
                }
                Constraint::Equals(p)
                | Constraint::Disjoint(p)
                | Constraint::LessThan(p)
                | Constraint::LessThanOrEquals(p) => {
                    let other: Vec<Id> = self.g().objects(focus, self.c(*p)).collect();
                    match c {
                        Constraint::Equals(_) => {
                            for &v in values.iter().filter(|v| !other.contains(v)) {
                                res(out, Some(v), comp);
                            }
                            for &o in other.iter().filter(|o| !values.contains(o)) {
                                res(out, Some(o), comp);
                            }
                        }
                        Constraint::Disjoint(_) => {
                            for &v in values.iter().filter(|v| other.contains(v)) {
                                res(out, Some(v), comp);
                            }
                        }
                        _ => {
                            let or_equal = matches!(c, Constraint::LessThanOrEquals(_));
                            for &v in &values {
                                for &o in &other {
                                    let ord = compare(self.g().term(v), self.g().term(o));
                                    let ok = ord == Some(Ordering::Less)
                                        || (or_equal && ord == Some(Ordering::Equal));
                                    if !ok {
                                        res(out, Some(v), comp);
                                    }
                                }
                            }
                        }
                    }
                }
                Constraint::Not(s) => {
                    for &v in &values {
                        if self.conforms(*s, v) {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::And(ss) | Constraint::Or(ss) | Constraint::Xone(ss) => {
                    for &v in &values {
                        let n = ss.iter().filter(|s| self.conforms(**s, v)).count();
                        let ok = match c {
                            Constraint::And(_) => n == ss.len(),
                            Constraint::Or(_) => n > 0,
                            _ => n == 1,
                        };
                        if !ok {
                            res(out, Some(v), comp);
                        }
                    }
                }
                Constraint::Node(s) => {
                    for &v in &values {
                        let details = self.nested_results(*s, v);
                        if !details.is_empty() {
                            out.push(Raw {
                                focus,
                                path: path.map(RawPath::Shape),
                                value: Some(v),
                                shape: sid,
                                component: comp,
                                details,
                                sparql: None,
                                constraint: None,
                            });
                        }
                    }
                }
                Constraint::Property(s) => {
                    for &v in &values {
                        self.validate_shape(*s, v, out);
                    }
                }
                Constraint::Qualified {
                    shape: q,
                    min,
                    max,
                    siblings,
                } => {
                    let mut n = 0u64;
                    for &v in &values {
                        if self.conforms(*q, v) && !siblings.iter().any(|s| self.conforms(*s, v)) {
                            n += 1;
                        }
                    }
                    if min.is_some_and(|m| n < m) {
                        res(out, None, "QualifiedMinCountConstraintComponent");
                    }
                    if max.is_some_and(|m| n > m) {
                        res(out, None, "QualifiedMaxCountConstraintComponent");
                    }
                }
                Constraint::Closed(allowed) => {
                    let allowed: HashSet<Id> = allowed.iter().map(|a| self.c(*a)).collect();
                    for &v in &values {
                        let extra: Vec<(Id, Id)> = self
                            .g()
                            .outgoing(v)
                            .filter(|(p, _)| !allowed.contains(p))
                            .collect();
                        for (p, o) in extra {
                            out.push(Raw {
                                focus,
                                path: Some(RawPath::Predicate(p)),
                                value: Some(o),
                                shape: sid,
                                component: comp,
                                details: Vec::new(),
                                sparql: None,
                                constraint: None,
                            });
                        }
                    }
                }
                Constraint::HasValue(k) => {
                    if !values.contains(&self.c(*k)) {
                        res(out, None, comp);
                    }
                }
                Constraint::Sparql(q) => self.sparql(sid, focus, q, out),
                Constraint::In(list) => {
                    let list: Vec<Id> = list.iter().map(|k| self.c(*k)).collect();
                    for &v in &values {
                        if !list.contains(&v) {
                            res(out, Some(v), comp);
                        }
                    }
                }
            }
            // Tag this shape's new results with the constraint that produced them (nested shapes'
            // results, from sh:property, were tagged by their own shape).
            for r in &mut out[before..] {
                if r.shape == sid && r.constraint.is_none() {
                    r.constraint = Some(index);
                }
            }
        }
    }
}
