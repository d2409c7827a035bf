//! Validation results and the standard `sh:ValidationReport`.

use crate::shapes::{Path, ShapeId, Shapes};
use crate::vocab::{rdf, sh};
use oxrdf::{BlankNode, Literal, NamedNode, Term, Triple};

/// The path of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultPath {
    /// The `sh:path` of this (property) shape.
    Shape(ShapeId),
    /// A predicate (results of `sh:closed`).
    Predicate(Term),
}

/// One validation result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    /// `sh:focusNode`
    pub focus_node: Term,
    /// `sh:resultPath`
    pub result_path: Option<ResultPath>,
    /// `sh:value`
    pub value: Option<Term>,
    /// `sh:sourceShape` (a node of the shapes graph)
    pub source_shape: Term,
    /// The source shape in the compiled [`Shapes`].
    pub shape: ShapeId,
    /// Which of that shape's constraints produced the result (index into `Shape::constraints`).
    pub constraint: Option<usize>,
    /// `sh:sourceConstraintComponent`
    pub component: NamedNode,
    /// `sh:resultSeverity`
    pub severity: Term,
    /// `sh:resultMessage` values (the shape's `sh:message`s).
    pub messages: Vec<Term>,
    /// `sh:sourceConstraint`: for `sh:sparql` results, the constraint node.
    pub source_constraint: Option<Term>,
    /// `sh:detail`: for a `sh:node` result, the results of the nested shape that caused it. SHACL
    /// makes details optional; pySHACL reports them, and tools that count every result of a report
    /// (as the HealthDCAT-AP parity oracle does) count these too.
    pub details: Vec<ValidationResult>,
}

impl ValidationResult {
    /// Whether the severity is `sh:Warning`.
    pub fn is_warning(&self) -> bool {
        matches!(&self.severity, Term::NamedNode(n) if n.as_ref() == sh::WARNING)
    }

    /// Whether the result counts as a violation: any severity but `sh:Warning` and `sh:Info`
    /// (custom severities are treated as violations).
    pub fn is_violation(&self) -> bool {
        !self.is_warning()
            && !matches!(&self.severity, Term::NamedNode(n) if n.as_ref() == sh::INFO)
    }

    /// This result followed by all its details, depth first.
    pub fn flatten(&self) -> Vec<&ValidationResult> {
        let mut out = vec![self];
        for d in &self.details {
            out.extend(d.flatten());
        }
        out
    }
}

/// The outcome of validating a data graph.
#[derive(Debug, Clone, Default)]
pub struct ValidationReport {
    /// Whether there is no result at all (of any severity).
    pub conforms: bool,
    /// The results.
    pub results: Vec<ValidationResult>,
    /// Constraints that could not be evaluated (a SPARQL query failing at run time), one line each.
    /// A report with failures does not conform: nothing is known about those constraints.
    pub failures: Vec<String>,
}

impl ValidationReport {
    /// Top-level results that are violations (see [`ValidationResult::is_violation`]).
    pub fn violations(&self) -> impl Iterator<Item = &ValidationResult> {
        self.results.iter().filter(|r| r.is_violation())
    }

    /// Number of top-level warnings.
    pub fn warnings(&self) -> usize {
        self.results.iter().filter(|r| r.is_warning()).count()
    }

    /// The report as a standard `sh:ValidationReport` graph. Path expressions are copied from the
    /// shapes graph (so a blank-node path reads the same as in the shapes).
    pub fn to_triples(&self, shapes: &Shapes) -> Vec<Triple> {
        let mut out = Vec::new();
        let report = BlankNode::default();
        out.push(Triple::new(
            report.clone(),
            rdf::TYPE,
            sh::VALIDATION_REPORT,
        ));
        out.push(Triple::new(
            report.clone(),
            sh::CONFORMS,
            Literal::from(self.conforms),
        ));
        for r in &self.results {
            let node = write_result(shapes, r, &mut out);
            out.push(Triple::new(report.clone(), sh::RESULT, node));
        }
        out
    }
}

/// Writes one result (and its details) and returns its node.
fn write_result(shapes: &Shapes, r: &ValidationResult, out: &mut Vec<Triple>) -> BlankNode {
    let node = BlankNode::default();
    out.push(Triple::new(node.clone(), rdf::TYPE, sh::VALIDATION_RESULT));
    out.push(Triple::new(
        node.clone(),
        sh::FOCUS_NODE,
        r.focus_node.clone(),
    ));
    match &r.result_path {
        Some(ResultPath::Shape(id)) => {
            if let Some((path, _)) = &shapes.shape(*id).path {
                let path = write_path(shapes, path, out);
                out.push(Triple::new(node.clone(), sh::RESULT_PATH, path));
            }
        }
        Some(ResultPath::Predicate(p)) => {
            out.push(Triple::new(node.clone(), sh::RESULT_PATH, p.clone()))
        }
        None => {}
    }
    if let Some(v) = &r.value {
        out.push(Triple::new(node.clone(), sh::VALUE, v.clone()));
    }
    out.push(Triple::new(
        node.clone(),
        sh::SOURCE_SHAPE,
        r.source_shape.clone(),
    ));
    out.push(Triple::new(
        node.clone(),
        sh::SOURCE_CONSTRAINT_COMPONENT,
        r.component.clone(),
    ));
    out.push(Triple::new(
        node.clone(),
        sh::RESULT_SEVERITY,
        r.severity.clone(),
    ));
    for m in &r.messages {
        out.push(Triple::new(node.clone(), sh::RESULT_MESSAGE, m.clone()));
    }
    if let Some(c) = &r.source_constraint {
        out.push(Triple::new(node.clone(), sh::SOURCE_CONSTRAINT, c.clone()));
    }
    for d in &r.details {
        let detail = write_result(shapes, d, out);
        out.push(Triple::new(node.clone(), sh::DETAIL, detail));
    }
    node
}

/// Writes a compiled path as the SHACL path expression it was read as (so a malformed path node
/// with extra triples is reported as interpreted). Each result gets its own blank nodes.
fn write_path(shapes: &Shapes, path: &Path, out: &mut Vec<Triple>) -> Term {
    let wrap = |pred: oxrdf::NamedNodeRef<'_>, inner: Term, out: &mut Vec<Triple>| -> Term {
        let b = BlankNode::default();
        out.push(Triple::new(b.clone(), pred, inner));
        b.into()
    };
    match path {
        Path::Predicate(c) => shapes.constants()[*c].clone(),
        Path::Inverse(p) => {
            let inner = write_path(shapes, p, out);
            wrap(sh::INVERSE_PATH, inner, out)
        }
        Path::ZeroOrMore(p) => {
            let inner = write_path(shapes, p, out);
            wrap(sh::ZERO_OR_MORE_PATH, inner, out)
        }
        Path::OneOrMore(p) => {
            let inner = write_path(shapes, p, out);
            wrap(sh::ONE_OR_MORE_PATH, inner, out)
        }
        Path::ZeroOrOne(p) => {
            let inner = write_path(shapes, p, out);
            wrap(sh::ZERO_OR_ONE_PATH, inner, out)
        }
        Path::Sequence(items) => write_list(shapes, items, out),
        Path::Alternative(items) => {
            let list = write_list(shapes, items, out);
            wrap(sh::ALTERNATIVE_PATH, list, out)
        }
    }
}

fn write_list(shapes: &Shapes, items: &[Path], out: &mut Vec<Triple>) -> Term {
    let mut rest: Term = rdf::NIL.into_owned().into();
    for item in items.iter().rev() {
        let cell = BlankNode::default();
        let first = write_path(shapes, item, out);
        out.push(Triple::new(cell.clone(), rdf::FIRST, first));
        out.push(Triple::new(cell.clone(), rdf::REST, rest));
        rest = cell.into();
    }
    rest
}
