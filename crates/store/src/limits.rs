//! What one parsed document may hold before anything else reads it.
//!
//! Every input path — import, validate, `/api/validate`, the write API, a push, a harvested page —
//! parses through [`crate::parse_document`] or [`crate::parse_slice`], which check the parsed graph
//! against [`InputLimits`] and refuse it whole, naming the file, the subject and the limit:
//!
//! - **nesting**: blank nodes nested more than [`InputLimits::max_depth`] levels deep (a chain of
//!   blank nodes, an RDF list — a list of 100 items is 100 levels). Code that follows such chains
//!   (canonical hashing, the pages that show a record, validation) costs more with each level, and
//!   a 100,000-deep chain used to exhaust a thread's stack and abort the process;
//! - **literal size**: a literal longer than [`InputLimits::max_literal_bytes`]. The parsers read
//!   one token in a buffer of at most 16 MiB; an escaped literal in an export takes up to twice its
//!   length, so a literal of more than 8 MiB could be stored but not read back from an export;
//! - **characters XML cannot carry**: U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE and
//!   U+FFFF are legal in Turtle and N-Triples (escaped) but not in XML 1.0, even as character
//!   references: a record holding one would make its RDF/XML, and every RDF/XML catalogue page
//!   listing it, unreadable. Refused at the door, so every syntax healthcat serves can carry every
//!   record it stores.
//!
//! The pass is linear in the document and recurses nowhere.

use crate::doc::{DocGraph, TermId};
use oxrdf::TermRef;
use std::collections::HashMap;

/// Bounds on one input document (`[input]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// Deepest nesting of blank nodes (an RDF list counts one level per item).
    pub max_depth: usize,
    /// Longest literal, in bytes.
    pub max_literal_bytes: usize,
}

/// Default of [`InputLimits::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 100;
/// Default of [`InputLimits::max_literal_bytes`] (and its highest useful value: see the module).
pub const DEFAULT_MAX_LITERAL_BYTES: usize = 8 << 20;

impl Default for InputLimits {
    fn default() -> Self {
        Self {
            max_depth: DEFAULT_MAX_DEPTH,
            max_literal_bytes: DEFAULT_MAX_LITERAL_BYTES,
        }
    }
}

/// Whether XML 1.0 can carry `c` (in text or as a character reference).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

impl InputLimits {
    /// `Err(message)` naming the first thing in `doc` past a limit.
    pub fn check(&self, doc: &DocGraph) -> Result<(), String> {
        for t in doc.iter() {
            if let TermRef::Literal(l) = t.object {
                let value = l.value();
                if value.len() > self.max_literal_bytes {
                    return Err(format!(
                        "the value of {} on {} is {} bytes long, more than the limit of {} \
                         ([input] max_literal_bytes): link to a document instead of embedding it",
                        t.predicate,
                        t.subject,
                        value.len(),
                        self.max_literal_bytes
                    ));
                }
                if let Some((at, c)) = value.char_indices().find(|(_, c)| !xml_char(*c)) {
                    return Err(format!(
                        "the value of {} on {} holds the control character U+{:04X} at byte {at}, \
                         which RDF/XML cannot carry: remove it (healthcat serves every record in \
                         every RDF syntax)",
                        t.predicate, t.subject, c as u32
                    ));
                }
            }
        }
        if let Some((depth, root)) = deepest(doc, self.max_depth) {
            let root = match doc.term(root) {
                TermRef::NamedNode(n) => format!("the description of {n}"),
                _ => "a description".to_owned(),
            };
            return Err(format!(
                "{root} nests blank nodes (or an RDF list) more than {depth} levels deep, past \
                 the limit of {} ([input] max_depth): give the nested nodes IRIs or shorten the list",
                self.max_depth
            ));
        }
        Ok(())
    }
}

/// Depth of the deepest chain of blank nodes, as soon as it passes `limit`: `(limit + 1, where
/// the chain starts)`. Iterative depth-first search: each blank node's height is one more than its
/// highest blank child (a child still on the stack, a cycle, counts nothing).
fn deepest(doc: &DocGraph, limit: usize) -> Option<(usize, TermId)> {
    let blank = |id: TermId| matches!(doc.term(id), TermRef::BlankNode(_));
    // 0: not seen; u32::MAX: on the stack; otherwise height.
    let mut height: HashMap<TermId, u32> = HashMap::new();
    const ON_STACK: u32 = u32::MAX;
    // Roots: the IRI subjects first (so that a chain is named by the IRI it hangs from), then
    // the blank nodes no IRI reaches; a node already measured is skipped.
    let (iris, blanks): (Vec<TermId>, Vec<TermId>) =
        doc.subjects().iter().partition(|&&s| !blank(s));
    for root in iris.into_iter().chain(blanks) {
        if height.contains_key(&root) {
            continue;
        }
        let mut stack: Vec<(TermId, usize)> = vec![(root, 0)];
        height.insert(root, ON_STACK);
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            let triples = doc.triples_of(node);
            if let Some(t) = triples.get(top.1) {
                top.1 += 1;
                let child = t[2];
                if blank(child) && doc.is_subject(child) && !height.contains_key(&child) {
                    height.insert(child, ON_STACK);
                    stack.push((child, 0));
                    // The stack holds the chain itself: past the limit, stop here.
                    if stack.len() > limit + 1 {
                        return Some((limit + 1, stack[0].0));
                    }
                }
                continue;
            }
            let h = triples
                .iter()
                .filter(|t| blank(t[2]))
                .filter_map(|t| height.get(&t[2]).copied())
                .filter(|&h| h != ON_STACK)
                .max()
                .unwrap_or(0)
                + u32::from(blank(node));
            if h as usize > limit {
                return Some((limit + 1, stack[0].0));
            }
            height.insert(node, h);
            stack.pop();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's graph, unchecked.
    fn doc(ttl: &str) -> DocGraph {
        let mut g = DocGraph::new();
        for t in oxttl::TurtleParser::new().for_slice(ttl.as_bytes()) {
            let t = t.unwrap();
            g.insert(t.subject, t.predicate, t.object);
        }
        g.seal();
        g
    }

    fn chain(n: usize) -> String {
        format!(
            "<https://ex.org/a> <https://ex.org/p> {}1{} .",
            "[ <https://ex.org/p> ".repeat(n),
            " ]".repeat(n)
        )
    }

    #[test]
    fn depth_counts_blank_nodes_along_the_deepest_chain() {
        let limits = |max_depth| InputLimits {
            max_depth,
            ..InputLimits::default()
        };
        let ten = doc(&chain(10));
        assert_eq!(limits(10).check(&ten), Ok(()));
        let err = limits(9).check(&ten).unwrap_err();
        assert!(
            err.contains("the description of <https://ex.org/a> nests"),
            "{err}"
        );
        assert!(err.contains("more than 10 levels deep"), "{err}");
        // A list of 5 items is 5 levels.
        let list = doc("<https://ex.org/a> <https://ex.org/p> (1 2 3 4 5) .");
        assert_eq!(limits(5).check(&list), Ok(()));
        assert!(limits(4).check(&list).is_err());
        // Wide is not deep; cycles end.
        let wide = doc(&format!(
            "<https://ex.org/a> {} .",
            (0..500)
                .map(|i| format!("<https://ex.org/p> [ <https://ex.org/q> {i} ]"))
                .collect::<Vec<_>>()
                .join(" ; ")
        ));
        assert_eq!(limits(1).check(&wide), Ok(()));
        let cycle = doc(
            "_:a <https://ex.org/p> _:b . _:b <https://ex.org/p> _:c . _:c <https://ex.org/p> _:a .",
        );
        assert_eq!(limits(3).check(&cycle), Ok(()));
        assert!(limits(2).check(&cycle).is_err());
    }

    #[test]
    fn a_deep_chain_is_measured_without_recursion() {
        let deep = doc(&chain(200_000));
        let err = InputLimits::default().check(&deep).unwrap_err();
        assert!(err.contains("more than 101 levels deep"), "{err}");
    }

    #[test]
    fn control_characters_and_long_literals_are_named() {
        let nul = doc("<https://ex.org/a> <https://ex.org/p> \"a\\u0000b\" .");
        let err = InputLimits::default().check(&nul).unwrap_err();
        assert!(
            err.contains("U+0000") && err.contains("<https://ex.org/p>"),
            "{err}"
        );
        let tab = doc("<https://ex.org/a> <https://ex.org/p> \"a\\tb\\n\u{1F600}\" .");
        assert_eq!(InputLimits::default().check(&tab), Ok(()));
        let long = doc(&format!(
            "<https://ex.org/a> <https://ex.org/p> \"{}\" .",
            "x".repeat(1000)
        ));
        let small = InputLimits {
            max_literal_bytes: 999,
            ..InputLimits::default()
        };
        assert!(small.check(&long).unwrap_err().contains("1000 bytes long"));
    }
}
