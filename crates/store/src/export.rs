//! Streaming export of the whole catalogue.
//!
//! Memory does not grow with the catalogue: units are visited through the bookkeeping index and
//! each unit's quads are streamed from the store straight into the serialiser. The catalogue
//! membership triples (`dcat:dataset`, `dcat:service`), which are kept as bookkeeping rather than
//! in the catalogue's graph (see [`crate::split`]), are derived back as each record is written.

use crate::error::StoreError;
use crate::format::Format;
use crate::meta::{META_GRAPH, hc};
use crate::split::UnitKind;
use crate::store::Store;
use healthcat_model::RecordKind;
use healthcat_model::vocab::{PREFIXES, dcat};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term};
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
/// prefixes.
pub fn write_graph<W: Write>(
    graph: &oxrdf::Graph,
    writer: W,
    format: Format,
) -> Result<W, StoreError> {
    let mut out = serializer(format)?.for_writer(writer);
    for t in graph {
        out.serialize_triple(t)?;
    }
    Ok(out.finish()?)
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

impl Store {
    /// Writes every stored unit to `writer` as `format`. Triple formats (Turtle, N-Triples,
    /// RDF/XML) get the union of all graphs; N-Quads and TriG keep one named graph per unit; JSON-LD
    /// gets the union as a flat `@graph`.
    pub fn export<W: Write>(
        &self,
        writer: W,
        format: Format,
    ) -> Result<(W, ExportStats), StoreError> {
        let mut out = serializer(format)?.for_writer(writer);
        let keep_graphs = matches!(format, Format::NQuads | Format::TriG);
        let mut stats = ExportStats::default();
        let mut write = |q: QuadRef<'_>, stats: &mut ExportStats| -> Result<(), StoreError> {
            stats.quads += 1;
            let graph = if keep_graphs {
                q.graph_name
            } else {
                GraphNameRef::DefaultGraph
            };
            crate::codec::with_decoded(
                QuadRef::new(q.subject, q.predicate, q.object, graph),
                |q| out.serialize_quad(q),
            )?;
            Ok(())
        };
        for entry in self
            .db
            .quads_for_pattern(None, Some(hc::KIND), None, Some(META_GRAPH.into()))
        {
            let entry = entry?;
            let NamedOrBlankNode::NamedNode(graph) = entry.subject else {
                continue;
            };
            let kind = match &entry.object {
                Term::Literal(l) => UnitKind::parse(l.value()),
                _ => None,
            };
            stats.units += 1;
            for q in self.db.quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            ) {
                write(q?.as_ref(), &mut stats)?;
            }
            if let Some(UnitKind::Record(record_kind)) = kind {
                stats.records += 1;
                for m in self.membership(&graph, record_kind)? {
                    write(m.as_ref(), &mut stats)?;
                }
            }
        }
        let writer = out.finish()?;
        Ok((writer, stats))
    }

    /// The derived `<catalogue> dcat:dataset|dcat:service <record>` quads of one record, placed in
    /// the record's graph.
    fn membership(&self, graph: &NamedNode, kind: RecordKind) -> Result<Vec<Quad>, StoreError> {
        let root = self
            .db
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(hc::ROOT),
                None,
                Some(META_GRAPH.into()),
            )
            .next()
            .transpose()?
            .map(|q| q.object);
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
