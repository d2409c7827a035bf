//! Reading one input document into an in-memory graph.
//!
//! A document is parsed whole before anything is stored, because splitting it into records needs
//! every triple (a distribution may be described after the dataset that lists it) and because a file
//! is imported whole or not at all. Named graphs in N-Quads, TriG or JSON-LD inputs are merged into
//! one graph: healthcat decides the graphs itself (one per record).
//!
//! Security: parsers never fetch anything. A JSON-LD `@context` given by URL is answered from the
//! contexts bundled with healthcat (DCAT-AP 3) or refused with an error naming the URL; RDF/XML
//! external entities are not resolved, and documents whose entities could expand out of
//! proportion (nested, external, parameter or oversized entities) are refused before the XML
//! parser sees them (`xml_guard.rs`).

use crate::doc::DocGraph;
use crate::error::{Location, ParseError};
use crate::format::Format;
use oxrdf::Triple;
use oxrdfio::{JsonLdProfile, LoadedDocument, RdfFormat, RdfParseError, RdfParser};
use std::io::Read;

/// The JSON-LD contexts bundled with healthcat, by every URL they are published at.
const BUNDLED_CONTEXTS: &[(&str, &str)] = &[
    (
        "https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld",
        include_str!("contexts/dcat-ap-3.0.0.jsonld"),
    ),
    (
        "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld",
        include_str!("contexts/dcat-ap-3.0.0.jsonld"),
    ),
    (
        "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
        include_str!("contexts/dcat-ap-3.0.1.jsonld"),
    ),
    (
        "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
        include_str!("contexts/dcat-ap-3.0.1.jsonld"),
    ),
    (
        "https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
        include_str!("contexts/dcat-ap-3.0.0-examples.jsonld"),
    ),
    (
        "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
        include_str!("contexts/dcat-ap-3.0.0-examples.jsonld"),
    ),
    (
        "https://semiceu.github.io/DCAT-AP/releases/3.0.1/html/examples/context.jsonld",
        include_str!("contexts/dcat-ap-3.0.0-examples.jsonld"),
    ),
    (
        "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.1/html/examples/context.jsonld",
        include_str!("contexts/dcat-ap-3.0.0-examples.jsonld"),
    ),
];

/// The bundled context for a URL (`http` and `https` are treated alike).
pub fn bundled_context(url: &str) -> Option<&'static str> {
    let url = url
        .strip_prefix("http://")
        .map_or(url.to_owned(), |rest| format!("https://{rest}"));
    BUNDLED_CONTEXTS
        .iter()
        .find(|(u, _)| *u == url)
        .map(|(_, c)| *c)
}

/// Options for [`parse_document`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Base IRI against which relative IRIs are resolved. Without one, a relative IRI is an error.
    pub base_iri: Option<String>,
    /// Skip statements with syntax errors (each is reported in [`Document::skipped`]) instead of
    /// refusing the whole document.
    pub continue_on_error: bool,
    /// What the document may hold (nesting, literal length, characters); past them it is refused.
    pub limits: crate::InputLimits,
}

/// A parsed input document.
#[derive(Debug, Default)]
pub struct Document {
    /// Every triple of the document (named graphs merged).
    pub graph: DocGraph,
    /// Statements skipped because of syntax errors (only with `continue_on_error`).
    pub skipped: Vec<ParseError>,
}

/// Parses `reader` (named `source_name` in messages) as `format`.
///
/// Fails with [`ParseError::Syntax`] naming `file:line:column` at the first syntax error (unless
/// `continue_on_error`), and with [`ParseError::Empty`] when the document holds no triple.
pub fn parse_document(
    reader: impl Read,
    format: Format,
    source_name: &str,
    options: &ParseOptions,
) -> Result<Document, ParseError> {
    let mut doc = Document::default();
    for triple in statements(reader, format, source_name, options)? {
        match triple {
            Ok(t) => doc.graph.insert(t.subject, t.predicate, t.object),
            Err(err @ ParseError::Syntax { .. }) if options.continue_on_error => {
                doc.skipped.push(err);
            }
            Err(err) => return Err(err),
        }
    }
    doc.graph.seal();
    if doc.graph.is_empty() && doc.skipped.is_empty() {
        return Err(ParseError::Empty(source_name.to_owned()));
    }
    within_limits(&doc.graph, source_name, options)?;
    Ok(doc)
}

/// The statements of `reader` one by one, as the parser reads them (graph names dropped), with
/// the errors of [`parse_document`]; a syntax error is yielded once and reading goes on after it.
/// Blank nodes are renamed to fresh ids, consistently within the document.
pub(crate) fn statements<'r>(
    reader: impl Read + 'r,
    format: Format,
    source_name: &str,
    options: &ParseOptions,
) -> Result<impl Iterator<Item = Result<Triple, ParseError>> + 'r, ParseError> {
    // Blank-node labels are local to their document: `_:b1` in two files are two different nodes.
    // Renaming them to random ids keeps them apart in the store (and in a merged shapes graph).
    let mut parser = RdfParser::from_format(format.to_rdf()).rename_blank_nodes();
    if let Some(base) = &options.base_iri {
        parser = parser
            .with_base_iri(base.as_str())
            .map_err(|e| ParseError::Syntax {
                location: Location {
                    source: source_name.to_owned(),
                    line: None,
                    column: None,
                },
                message: format!("the base IRI '{base}' is not a valid IRI: {e}"),
            })?;
    }
    // RDF/XML's prolog is read first, so its DTD can be checked before the XML parser expands any
    // entity; the rest is streamed through a counter of entity expansion (see xml_guard.rs).
    let reader: Box<dyn Read + 'r> = if format == Format::RdfXml {
        match crate::xml_guard::guard(Box::new(reader)) {
            Ok(r) => r,
            Err(crate::xml_guard::GuardError::Refused(message)) => {
                return Err(ParseError::Refused {
                    source_name: source_name.to_owned(),
                    message,
                });
            }
            Err(crate::xml_guard::GuardError::Io(error)) => {
                return Err(ParseError::Io {
                    source_name: source_name.to_owned(),
                    error,
                });
            }
        }
    } else {
        Box::new(reader)
    };
    let parser = parser
        .for_reader(reader)
        .with_document_loader(load_bundled_context);
    let source_name = source_name.to_owned();
    let no_base = options.base_iri.is_none();
    Ok(parser.map(move |quad| match quad {
        Ok(q) => Ok(Triple::new(q.subject, q.predicate, q.object)),
        // The XML guard's expansion counter stops the reading with this kind.
        Err(RdfParseError::Io(error)) if error.kind() == std::io::ErrorKind::InvalidData => {
            Err(ParseError::Refused {
                source_name: source_name.clone(),
                message: error.to_string(),
            })
        }
        Err(RdfParseError::Io(error)) => Err(ParseError::Io {
            source_name: source_name.clone(),
            error,
        }),
        Err(RdfParseError::Syntax(e)) => Err(syntax_error(&source_name, &e, no_base)),
    }))
}

/// [`parse_document`] for a document already in memory: the same result and errors, but a large
/// Turtle or N-Triples document is parsed on every core (`parallel.rs` says how the result is kept
/// exactly the sequential parser's).
pub fn parse_slice(
    bytes: &[u8],
    format: Format,
    source_name: &str,
    options: &ParseOptions,
) -> Result<Document, ParseError> {
    if !options.continue_on_error
        && let Some(mut graph) = crate::parallel::parse(bytes, format, options.base_iri.as_deref())
        && !graph.is_empty()
    {
        graph.seal();
        within_limits(&graph, source_name, options)?;
        return Ok(Document {
            graph,
            skipped: Vec::new(),
        });
    }
    parse_document(bytes, format, source_name, options)
}

pub(crate) fn within_limits(
    graph: &DocGraph,
    source_name: &str,
    options: &ParseOptions,
) -> Result<(), ParseError> {
    options
        .limits
        .check(graph)
        .map_err(|message| ParseError::Refused {
            source_name: source_name.to_owned(),
            message,
        })
}

/// Longest parser message quoted: some quote the offending text whole (a 2 GB value).
const MAX_MESSAGE: usize = 500;

fn syntax_error(source_name: &str, e: &oxrdfio::RdfSyntaxError, no_base: bool) -> ParseError {
    let (line, column) = e.location().map_or((None, None), |r| {
        (Some(r.start.line + 1), Some(r.start.column + 1))
    });
    let mut message = crate::error::shorten(e.to_string(), MAX_MESSAGE);
    // The parsers keep one token in a buffer of at most 16 MiB.
    if message.contains("buffer maximal size") {
        message = format!(
            "a single value (literal or IRI) is longer than the 16 MiB the parser can read; \
             healthcat refuses literals over {} bytes at import, so none of its exports holds one \
             ({message})",
            crate::DEFAULT_MAX_LITERAL_BYTES
        );
    }
    // oxttl repeats the position in its message; ours is already in front.
    if (message.starts_with("Parser error at line ")
        || message.starts_with("Parser error between line "))
        && let Some((_, tail)) = message.split_once(": ")
    {
        message = tail.to_owned();
    }
    // The parsers report a relative IRI without a base as a missing scheme; say what to do.
    if no_base && (message.contains("No scheme") || message.contains("relative")) {
        message.push_str(" (relative IRIs need a base: pass --base-iri)");
    }
    ParseError::Syntax {
        location: Location {
            source: source_name.to_owned(),
            line,
            column,
        },
        message,
    }
}

/// The document loader handed to the JSON-LD parser: bundled contexts only, never the network.
fn load_bundled_context(
    url: &str,
) -> Result<LoadedDocument, Box<dyn std::error::Error + Send + Sync>> {
    match bundled_context(url) {
        Some(content) => Ok(LoadedDocument {
            url: url.to_owned(),
            content: content.as_bytes().to_vec(),
            format: RdfFormat::JsonLd {
                profile: JsonLdProfile::Context.into(),
            },
        }),
        None => Err(format!(
            "the remote JSON-LD context <{url}> was not fetched: healthcat never loads remote contexts. \
             Inline the context in the document, or convert it to Turtle first"
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, format: Format) -> Result<Document, ParseError> {
        parse_document(
            text.as_bytes(),
            format,
            "input.ttl",
            &ParseOptions::default(),
        )
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let err = parse(
            "<http://a> <http://b> <http://c> .\n<http://a> <http://b> \"x\n",
            Format::Turtle,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("input.ttl:2:"), "{text}");
    }

    #[test]
    fn empty_input_says_so() {
        let err = parse("# only a comment\n", Format::Turtle).unwrap_err();
        assert!(matches!(err, ParseError::Empty(_)), "{err}");
    }

    #[test]
    fn remote_contexts_are_refused_not_fetched() {
        let doc = r#"{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://ex.org/a", "name": "x"}"#;
        let err = parse(doc, Format::JsonLd).unwrap_err().to_string();
        assert!(err.contains("was not fetched"), "{err}");
        assert!(err.contains("http://127.0.0.1:9/ctx.jsonld"), "{err}");
    }

    #[test]
    fn the_dcat_ap_context_is_bundled() {
        let doc = r#"{"@context": "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
                      "@id": "http://ex.org/d", "@type": "Dataset", "title": {"en": "T"}}"#;
        let parsed = parse(doc, Format::JsonLd).unwrap();
        assert_eq!(parsed.graph.len(), 2);
    }

    #[test]
    fn continue_on_error_skips_bad_statements() {
        let text = "<http://a> <http://b> <http://c> .\n<http://a> <http://b> <bad iri> .\n<http://d> <http://b> <http://c> .\n";
        let doc = parse_document(
            text.as_bytes(),
            Format::NTriples,
            "x.nt",
            &ParseOptions {
                continue_on_error: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(doc.graph.len(), 2);
        assert_eq!(doc.skipped.len(), 1);
        assert!(
            doc.skipped[0].to_string().starts_with("x.nt:2:"),
            "{}",
            doc.skipped[0]
        );
    }
}
