//! Parsing a large Turtle or N-Triples document on every core.
//!
//! Parsing is most of the time of validating or importing a whole catalogue file (200 of the 350 ms
//! of validating 1,000 datasets), and one core parses. A document is cut into pieces at line ends,
//! each piece parsed on its own thread into its own [`DocGraph`], and the pieces merged in order.
//!
//! Cutting Turtle is a guess: a line ending in `.` may end a statement, or sit inside a multi-line
//! string, a comment that continues a statement, or before a `@prefix` that changes what later
//! names mean. The guess is never trusted; the result is the sequential parser's result or nothing:
//!
//! - a piece is cut right after a line whose last character (spaces aside) is `.`, so the next
//!   piece begins on a fresh line, outside any comment, and no token runs across the cut;
//! - every piece must parse to its end without error. The first piece starts where the sequential
//!   parser starts, and a piece that parses whole from a statement boundary ends on one (a statement
//!   cut in two, an unterminated string or bracket is an error at the end of the piece), so by
//!   induction every cut is a statement boundary;
//! - the prefixes and base a piece starts with must be those the previous piece ends with (the
//!   pieces after the first start with those declared before the document's first triple), so a
//!   `@prefix` or `@base` in the middle of the document is seen.
//!
//! If any of this fails, [`parse`] answers `None` and the caller parses sequentially — which also
//! gives the error with its true line number (a piece only knows its own lines). Tests cut tricky
//! documents at every line and compare with the sequential parse.

use crate::doc::DocGraph;
use crate::format::Format;
use oxttl::{NTriplesParser, TurtleParser};
use std::collections::HashMap;

/// Below this size the threads cost more than they save.
pub(crate) const MIN_BYTES: usize = 512 * 1024;

/// Parses `bytes` on every core, or `None` when the document is small, the format cannot be cut,
/// or the cuts do not prove to be statement boundaries (see the module documentation).
pub(crate) fn parse(bytes: &[u8], format: Format, base: Option<&str>) -> Option<DocGraph> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || bytes.len() < MIN_BYTES {
        return None;
    }
    let cuts = cuts(bytes, threads, matches!(format, Format::Turtle))?;
    match format {
        Format::Turtle => turtle(bytes, base, &cuts),
        Format::NTriples => ntriples(bytes, &cuts),
        _ => None,
    }
}

/// Offsets that cut `bytes` into about `pieces` pieces, each right after a line end (for Turtle, a
/// line whose last character, spaces aside, is `.`). Empty when no cut was found.
fn cuts(bytes: &[u8], pieces: usize, turtle: bool) -> Option<Vec<usize>> {
    let mut cuts = Vec::new();
    let mut from = 0;
    for k in 1..pieces {
        let target = (bytes.len() / pieces * k).max(from);
        let Some(cut) = next_cut(bytes, target, turtle) else {
            break;
        };
        cuts.push(cut);
        from = cut;
    }
    (!cuts.is_empty()).then_some(cuts)
}

fn next_cut(bytes: &[u8], from: usize, turtle: bool) -> Option<usize> {
    let mut at = from;
    while let Some(i) = bytes.get(at..)?.iter().position(|&b| b == b'\n') {
        let end = at + i;
        let line = &bytes[..end];
        let last = line
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r'));
        if !turtle || last.is_some_and(|j| line[j] == b'.') {
            // Leave the last piece something to parse.
            return (end + 1 < bytes.len()).then_some(end + 1);
        }
        at = end + 1;
    }
    None
}

fn turtle(bytes: &[u8], base: Option<&str>, cuts: &[usize]) -> Option<DocGraph> {
    let mut parser = TurtleParser::new();
    if let Some(base) = base {
        parser = parser.with_base_iri(base).ok()?;
    }
    // What the pieces after the first start with: the prefixes and base declared before the first
    // triple (the usual header), read by parsing up to that triple.
    let mut head = parser.clone().for_slice(bytes);
    head.next()?.ok()?;
    let mut later = parser.clone();
    if let Some(b) = head.base_iri() {
        later = later.with_base_iri(b).ok()?;
    }
    for (name, iri) in head.prefixes() {
        later = later.with_prefix(name, iri).ok()?;
    }
    let state = State::of(head.prefixes(), head.base_iri());
    let pieces = pieces(bytes, cuts);
    let last = pieces.len() - 1;
    each_piece(&pieces, |k, piece| {
        let parser = if k == 0 { &parser } else { &later };
        let mut graph = DocGraph::new();
        let mut triples = parser.clone().for_slice(piece);
        for triple in triples.by_ref() {
            let t = triple.ok()?;
            graph.insert(t.subject, t.predicate, t.object);
        }
        // The state at this cut must be the one the next piece starts with.
        let end = State::of(triples.prefixes(), triples.base_iri());
        (k == last || end == state).then_some(graph)
    })
}

fn ntriples(bytes: &[u8], cuts: &[usize]) -> Option<DocGraph> {
    // N-Triples has one triple per line and nothing else: any line end is a cut.
    each_piece(&pieces(bytes, cuts), |_, piece| {
        let mut graph = DocGraph::new();
        for triple in NTriplesParser::new().for_slice(piece) {
            let t = triple.ok()?;
            graph.insert(t.subject, t.predicate, t.object);
        }
        Some(graph)
    })
}

/// Parses each piece on its own thread with `parse(index, piece)`, then merges them in order;
/// `None` as soon as one piece fails.
fn each_piece(
    pieces: &[&[u8]],
    parse: impl Fn(usize, &[u8]) -> Option<DocGraph> + Sync,
) -> Option<DocGraph> {
    let parse = &parse;
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .iter()
            .enumerate()
            .map(|(k, piece)| scope.spawn(move || parse(k, piece)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect::<Option<Vec<_>>>()
    })?;
    Some(merge(parts))
}

fn pieces<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for &cut in cuts {
        pieces.push(&bytes[from..cut]);
        from = cut;
    }
    pieces.push(&bytes[from..]);
    pieces
}

/// The pieces in document order, blank nodes renamed across all of them (as the sequential parser
/// renames them: a label is local to its document, and shared by its pieces).
fn merge(parts: Vec<DocGraph>) -> DocGraph {
    let mut graph = DocGraph::new();
    let mut blanks = HashMap::new();
    for part in parts {
        graph.absorb(part, &mut blanks);
    }
    graph
}

/// The prefixes and base in force at a point of a Turtle document.
#[derive(PartialEq)]
struct State {
    prefixes: Vec<(String, String)>,
    base: Option<String>,
}

impl State {
    fn of<'a>(prefixes: impl Iterator<Item = (&'a str, &'a str)>, base: Option<&str>) -> Self {
        let mut prefixes: Vec<_> = prefixes
            .map(|(p, i)| (p.to_owned(), i.to_owned()))
            .collect();
        prefixes.sort_unstable();
        Self {
            prefixes,
            base: base.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests;
