//! Streaming export of the whole catalogue.
//!
//! Memory does not grow with the catalogue: units are visited through the bookkeeping index and
//! each unit's quads are streamed from the store straight into the serialiser. The catalogue
//! membership triples (`dcat:dataset`, `dcat:service`), which are kept as bookkeeping rather than
//! in the catalogue's graph (see [`crate::split`]), are derived back as each record is written.

use crate::error::StoreError;
use crate::format::Format;
use crate::meta::{META_GRAPH, SNAPSHOT_GRAPH, hc};
use crate::split::UnitKind;
use crate::store::Store;
use healthcat_model::RecordKind;
use healthcat_model::vocab::{PREFIXES, dcat};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term,
};
use oxrdfio::RdfSerializer;
use std::io::Write;

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportStats {
    /// Units (records, catalogues, resources) written.
    pub units: u64,
    /// Records written.
    pub records: u64,
    /// Quads (or triples) written.
    pub quads: u64,
}

/// Serialises one in-memory graph (a record read with [`Store::get`]) as `format`, with the usual
/// prefixes (JSON-LD: compacted, see [`write_triples`]).
pub fn write_graph<W: Write>(
    graph: &oxrdf::Graph,
    writer: W,
    format: Format,
) -> Result<W, StoreError> {
    write_triples(graph, writer, format)
}

/// Serialises triples as `format`, streamed, with the usual prefixes; JSON-LD is compacted with the
/// DCAT-AP 3 context (see `jsonld.rs`), which needs the whole document in memory.
pub fn write_triples<'a, W: Write>(
    triples: impl IntoIterator<Item = impl Into<oxrdf::TripleRef<'a>>>,
    writer: W,
    format: Format,
) -> Result<W, StoreError> {
    if format == Format::JsonLd {
        return crate::jsonld::write_compact(triples, writer);
    }
    let mut out = TripleWriter::new(writer, format)?;
    for t in triples {
        out.write(t.into())?;
    }
    out.finish()
}

/// A streaming serialiser of triples, with the usual prefixes, for triples that come one by one
/// from somewhere fallible (a SPARQL `CONSTRUCT`) rather than from a collection. JSON-LD comes out
/// expanded here (flat, with prefixes): compaction needs every triple of a subject first.
pub struct TripleWriter<W: Write>(oxrdfio::WriterQuadSerializer<W>);

impl<W: Write> TripleWriter<W> {
    /// Starts writing `format` to `writer`.
    pub fn new(writer: W, format: Format) -> Result<Self, StoreError> {
        Ok(Self(serializer(format)?.for_writer(writer)))
    }

    /// Writes one triple.
    pub fn write(&mut self, triple: oxrdf::TripleRef<'_>) -> Result<(), StoreError> {
        Ok(self.0.serialize_triple(triple)?)
    }

    /// Writes the end of the document and gives the writer back.
    pub fn finish(self) -> Result<W, StoreError> {
        Ok(self.0.finish()?)
    }
}

fn serializer(format: Format) -> Result<RdfSerializer, StoreError> {
    let mut serializer = RdfSerializer::from_format(format.to_rdf());
    if !matches!(format, Format::NTriples | Format::NQuads) {
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *iri)
                .map_err(|e| StoreError::Io(std::io::Error::other(e)))?;
        }
    }
    Ok(serializer)
}

/// Where exported quads go: N-Triples and N-Quads are written as lines straight from the snapshots
/// (no parse, no serialiser); other syntaxes go through Oxigraph's streaming serialisers.
enum Sink<W: Write> {
    Lines {
        writer: W,
        with_graphs: bool,
    },
    // Boxed: the serialiser is large and the line writer small.
    Serializer {
        out: Box<oxrdfio::WriterQuadSerializer<W>>,
        with_graphs: bool,
    },
}

impl<W: Write> Sink<W> {
    fn quad(&mut self, q: QuadRef<'_>) -> Result<(), StoreError> {
        match self {
            Sink::Lines {
                writer,
                with_graphs,
            } => {
                if *with_graphs && !q.graph_name.is_default_graph() {
                    writeln!(
                        writer,
                        "{} {} {} {} .",
                        q.subject, q.predicate, q.object, q.graph_name
                    )?;
                } else {
                    writeln!(writer, "{} {} {} .", q.subject, q.predicate, q.object)?;
                }
            }
            Sink::Serializer { out, with_graphs } => {
                let graph = if *with_graphs {
                    q.graph_name
                } else {
                    GraphNameRef::DefaultGraph
                };
                out.serialize_quad(QuadRef::new(q.subject, q.predicate, q.object, graph))?;
            }
        }
        Ok(())
    }

    /// Writes a unit's N-Triples snapshot as the content of `graph`; returns the triples written.
    fn snapshot(&mut self, text: &str, graph: GraphNameRef<'_>) -> Result<u64, StoreError> {
        match self {
            Sink::Lines {
                writer,
                with_graphs: false,
            } => {
                writer.write_all(text.as_bytes())?;
                Ok(text.lines().count() as u64)
            }
            Sink::Lines {
                writer,
                with_graphs: true,
            } => {
                let mut n = 0;
                for line in text.lines() {
                    let triple = line.strip_suffix(" .").unwrap_or(line);
                    writeln!(writer, "{triple} {graph} .")?;
                    n += 1;
                }
                Ok(n)
            }
            Sink::Serializer { .. } => {
                let mut n = 0;
                for t in oxttl::NTriplesParser::new().for_slice(text) {
                    let t = t.map_err(|e| StoreError::Corrupt {
                        graph: graph.to_string(),
                        problem: format!("unreadable snapshot: {e}"),
                    })?;
                    self.quad(QuadRef::new(
                        t.subject.as_ref(),
                        t.predicate.as_ref(),
                        t.object.as_ref(),
                        graph,
                    ))?;
                    n += 1;
                }
                Ok(n)
            }
        }
    }

    fn finish(self) -> Result<W, StoreError> {
        Ok(match self {
            Sink::Lines { writer, .. } => writer,
            Sink::Serializer { out, .. } => (*out).finish()?,
        })
    }
}

impl Store {
    /// Writes every stored unit to `writer` as `format`. Triple formats (Turtle, N-Triples,
    /// RDF/XML) get the union of all graphs; N-Quads and TriG keep one named graph per unit; JSON-LD
    /// gets the union as a flat `@graph`. Memory stays flat: one unit at a time.
    pub fn export<W: Write>(
        &self,
        writer: W,
        format: Format,
    ) -> Result<(W, ExportStats), StoreError> {
        let with_graphs = matches!(format, Format::NQuads | Format::TriG);
        let mut sink = match format {
            Format::NTriples | Format::NQuads => Sink::Lines {
                writer,
                with_graphs,
            },
            _ => Sink::Serializer {
                out: Box::new(serializer(format)?.for_writer(writer)),
                with_graphs,
            },
        };
        let mut stats = ExportStats::default();
        // Shared resources and catalogues before the records that name them, series before their
        // editions, datasets before the services that serve them: the order a streamed import
        // reads in one pass (see `stream.rs`).
        let order = [
            UnitKind::Resource,
            UnitKind::Catalog,
            UnitKind::Record(RecordKind::DatasetSeries),
            UnitKind::Record(RecordKind::Dataset),
            UnitKind::Record(RecordKind::DataService),
        ];
        let kinds: Vec<Literal> = order
            .iter()
            .map(|k| Literal::new_simple_literal(k.as_str()))
            .collect();
        for entry in kinds.iter().flat_map(|kind| {
            self.db.quads_for_pattern(
                None,
                Some(hc::KIND),
                Some(kind.as_ref().into()),
                Some(META_GRAPH.into()),
            )
        }) {
            let entry = entry?;
            let NamedOrBlankNode::NamedNode(graph) = entry.subject else {
                continue;
            };
            let kind = match &entry.object {
                Term::Literal(l) => UnitKind::parse(l.value()),
                _ => None,
            };
            stats.units += 1;
            let graph_name = GraphNameRef::NamedNode(graph.as_ref());
            match self.snapshot(&graph)? {
                Some(text) => stats.quads += sink.snapshot(&text, graph_name)?,
                // No snapshot (a store written before snapshots existed): read the graph itself.
                None => {
                    for q in self
                        .db
                        .quads_for_pattern(None, None, None, Some(graph_name))
                    {
                        let q = q?;
                        crate::codec::with_decoded(q.as_ref(), |q| sink.quad(q))?;
                        stats.quads += 1;
                    }
                }
            }
            if let Some(UnitKind::Record(record_kind)) = kind {
                stats.records += 1;
                for m in self.membership(&graph, record_kind)? {
                    sink.quad(m.as_ref())?;
                    stats.quads += 1;
                }
            }
        }
        Ok((sink.finish()?, stats))
    }

    /// The first object of `(graph, predicate)` in the internal graph `in_graph` (bookkeeping or
    /// snapshots).
    fn first_object(
        &self,
        graph: &NamedNode,
        predicate: oxigraph::model::NamedNodeRef<'_>,
        in_graph: oxigraph::model::NamedNodeRef<'_>,
    ) -> Result<Option<Term>, StoreError> {
        let q = self
            .db
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(predicate),
                None,
                Some(in_graph.into()),
            )
            .next()
            .transpose()?;
        Ok(q.map(|q| q.object))
    }

    pub(crate) fn snapshot(&self, graph: &NamedNode) -> Result<Option<String>, StoreError> {
        Ok(
            match self.first_object(graph, hc::SNAPSHOT, SNAPSHOT_GRAPH)? {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            },
        )
    }

    /// The derived `<catalogue> dcat:dataset|dcat:service <record>` quads of one record, placed in
    /// the record's graph.
    fn membership(&self, graph: &NamedNode, kind: RecordKind) -> Result<Vec<Quad>, StoreError> {
        let root = self.first_object(graph, hc::ROOT, META_GRAPH)?;
        let Some(root) = root else {
            return Ok(Vec::new());
        };
        let predicate = if kind == RecordKind::DataService {
            dcat::SERVICE
        } else {
            dcat::DATASET_PROP
        };
        let mut out = Vec::new();
        for q in self.db.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(hc::IN_CATALOG),
            None,
            Some(META_GRAPH.into()),
        ) {
            let catalog = match q?.object {
                Term::NamedNode(n) => NamedOrBlankNode::from(n),
                Term::BlankNode(b) => NamedOrBlankNode::from(b),
                Term::Literal(_) => continue,
            };
            out.push(Quad::new(
                catalog,
                predicate.into_owned(),
                root.clone(),
                GraphName::NamedNode(graph.clone()),
            ));
        }
        Ok(out)
    }
}
