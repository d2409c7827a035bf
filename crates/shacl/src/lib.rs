//! # healthcat-shacl
//!
//! A SHACL engine built for validating many catalogue records against the same shapes:
//!
//! - [`Shapes::compile`] reads a shapes graph once into an evaluation plan (targets, paths and one
//!   constraint per parameter, regexes compiled, lists read), with an error naming the shape when the
//!   graph is malformed;
//! - [`DataGraph::new`] indexes a data graph and binds the plan's constants to it;
//! - [`validate`] evaluates every targeted shape and returns a [`ValidationReport`], also available as
//!   a standard `sh:ValidationReport` graph.
//!
//! SHACL Core is covered: all targets (including implicit class targets), all property paths, every
//! Core constraint component, `sh:deactivated`, severities and messages. Recursive shapes terminate
//! (a shape re-entered on the same node is taken as conforming). SHACL-SPARQL `sh:sparql` SELECT
//! constraints run on Oxigraph's SPARQL evaluator with `$this` pre-bound; the constructs SHACL forbids
//! with pre-binding (MINUS, VALUES, SERVICE, nested SELECT) are refused when compiling. SPARQL-based
//! constraint components are listed by [`Shapes::unsupported`] rather than silently passed.
//!
//! ```
//! use healthcat_shacl::{DataGraph, Graph, Shapes, ShapesOptions, validate};
//! use oxrdf::{Literal, NamedNode, Triple};
//!
//! let sh = |l: &str| NamedNode::new_unchecked(format!("http://www.w3.org/ns/shacl#{l}"));
//! let ex = |l: &str| NamedNode::new_unchecked(format!("http://example.org/{l}"));
//! let shapes = vec![
//!     Triple::new(ex("S"), sh("targetNode"), ex("alice")),
//!     Triple::new(ex("S"), sh("property"), ex("P")),
//!     Triple::new(ex("P"), sh("path"), ex("name")),
//!     Triple::new(ex("P"), sh("minCount"), Literal::from(1)),
//! ];
//! let shapes = Shapes::compile(Graph::new(shapes.iter().map(Triple::as_ref)), ShapesOptions::default())?;
//! let data = DataGraph::new(Graph::new([]), &shapes);
//! let report = validate(&shapes, &data);
//! assert!(!report.conforms);
//! assert_eq!(report.results[0].component.as_str(), "http://www.w3.org/ns/shacl#MinCountConstraintComponent");
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod explain;
mod graph;
mod messages;
mod report;
mod report_turtle;
mod shapes;
mod validate;
mod value;
pub mod vocab;

pub use explain::{ResultSummary, explain, field, summaries, summary};
pub use graph::{Graph, Id, Terms};
pub use messages::{Messages, messages};
pub use report::{ResultPath, ValidationReport, ValidationResult};
pub use shapes::{
    Constraint, NodeKind, Path, Shape, ShapeId, Shapes, ShapesError, ShapesOptions,
    SparqlConstraint, Target,
};
pub use validate::{DataGraph, validate, validate_with_targets};
