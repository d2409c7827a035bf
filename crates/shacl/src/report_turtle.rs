//! The `sh:ValidationReport` written straight to Turtle, one result after another, without first
//! building its triples: each result is a blank-node property list (`sh:result [ … ]`), details
//! nested in theirs, paths as Turtle's own blank nodes and collections. Terms are written in their
//! N-Triples form (valid Turtle), SHACL's own terms with the `sh:` prefix.
//!
//! It says exactly what [`ValidationReport::to_triples`] says (the tests compare the two graphs):
//! the triples' version stays for callers that want a graph; this one is for reports of hundreds
//! of thousands of results, where building the graph first cost most of the time.

use crate::report::{ResultPath, ValidationReport, ValidationResult};
use crate::shapes::{Path, Shapes};
use crate::vocab::SH;
use oxrdf::{NamedNodeRef, Term, TermRef};
use std::io::{self, Write};

/// A term, SHACL's own IRIs as `sh:Name`.
fn term(w: &mut dyn Write, t: TermRef<'_>) -> io::Result<()> {
    if let TermRef::NamedNode(n) = t {
        return iri(w, n);
    }
    write!(w, "{t}")
}

fn iri(w: &mut dyn Write, n: NamedNodeRef<'_>) -> io::Result<()> {
    match n.as_str().strip_prefix(SH) {
        Some(local) if !local.is_empty() && local.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            write!(w, "sh:{local}")
        }
        _ => write!(w, "{n}"),
    }
}

fn indent(w: &mut dyn Write, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        w.write_all(b"\t")?;
    }
    Ok(())
}

fn path(w: &mut dyn Write, shapes: &Shapes, p: &Path) -> io::Result<()> {
    let wrapped = |w: &mut dyn Write, pred: &str, inner: &Path| -> io::Result<()> {
        write!(w, "[ {pred} ")?;
        path(w, shapes, inner)?;
        w.write_all(b" ]")
    };
    match p {
        Path::Predicate(c) => term(w, shapes.constants()[*c].as_ref()),
        Path::Inverse(i) => wrapped(w, "sh:inversePath", i),
        Path::ZeroOrMore(i) => wrapped(w, "sh:zeroOrMorePath", i),
        Path::OneOrMore(i) => wrapped(w, "sh:oneOrMorePath", i),
        Path::ZeroOrOne(i) => wrapped(w, "sh:zeroOrOnePath", i),
        Path::Sequence(items) => list(w, shapes, items),
        Path::Alternative(items) => {
            w.write_all(b"[ sh:alternativePath ")?;
            list(w, shapes, items)?;
            w.write_all(b" ]")
        }
    }
}

fn list(w: &mut dyn Write, shapes: &Shapes, items: &[Path]) -> io::Result<()> {
    w.write_all(b"(")?;
    for item in items {
        w.write_all(b" ")?;
        path(w, shapes, item)?;
    }
    w.write_all(b" )")
}

fn result(
    w: &mut dyn Write,
    shapes: &Shapes,
    r: &ValidationResult,
    depth: usize,
) -> io::Result<()> {
    w.write_all(b"[\n")?;
    let property = |w: &mut dyn Write, name: &str| -> io::Result<()> {
        w.write_all(b" ;\n")?;
        for _ in 0..=depth {
            w.write_all(b"\t")?;
        }
        w.write_all(name.as_bytes())?;
        w.write_all(b" ")
    };
    indent(w, depth + 1)?;
    w.write_all(b"a sh:ValidationResult")?;
    property(w, "sh:focusNode")?;
    term(w, r.focus_node.as_ref())?;
    match &r.result_path {
        Some(ResultPath::Shape(id)) => {
            if let Some((p, _)) = &shapes.shape(*id).path {
                property(w, "sh:resultPath")?;
                path(w, shapes, p)?;
            }
        }
        Some(ResultPath::Predicate(p)) => {
            property(w, "sh:resultPath")?;
            term(w, p.as_ref())?;
        }
        None => {}
    }
    if let Some(v) = &r.value {
        property(w, "sh:value")?;
        term(w, v.as_ref())?;
    }
    property(w, "sh:sourceShape")?;
    term(w, r.source_shape.as_ref())?;
    property(w, "sh:sourceConstraintComponent")?;
    iri(w, r.component.as_ref())?;
    property(w, "sh:resultSeverity")?;
    term(w, r.severity.as_ref())?;
    write_all(w, depth, "sh:resultMessage", &r.messages, &property)?;
    if let Some(c) = &r.source_constraint {
        property(w, "sh:sourceConstraint")?;
        term(w, c.as_ref())?;
    }
    if !r.details.is_empty() {
        property(w, "sh:detail")?;
        for (i, d) in r.details.iter().enumerate() {
            if i > 0 {
                w.write_all(b" , ")?;
            }
            result(w, shapes, d, depth + 1)?;
        }
    }
    w.write_all(b"\n")?;
    indent(w, depth)?;
    w.write_all(b"]")
}

fn write_all(
    w: &mut dyn Write,
    _depth: usize,
    name: &str,
    values: &[Term],
    property: &dyn Fn(&mut dyn Write, &str) -> io::Result<()>,
) -> io::Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    property(w, name)?;
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            w.write_all(b" , ")?;
        }
        term(w, v.as_ref())?;
    }
    Ok(())
}

impl ValidationReport {
    /// Writes the report as Turtle to `w` (see the module's documentation).
    pub fn write_turtle(&self, shapes: &Shapes, w: &mut impl Write) -> io::Result<()> {
        let w: &mut dyn Write = w;
        w.write_all(
            b"@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n[] a sh:ValidationReport ;\n\tsh:conforms ",
        )?;
        w.write_all(if self.conforms { b"true" } else { b"false" })?;
        for (i, r) in self.results.iter().enumerate() {
            w.write_all(if i == 0 { b" ;\n\tsh:result " } else { b" , " })?;
            result(w, shapes, r, 1)?;
        }
        w.write_all(b" .\n")
    }
}
