//! Where the store's quads live: Oxigraph embedded in the process (RocksDB on disk, or memory),
//! or a remote SPARQL 1.1 server ([`crate::remote`]).
//!
//! The rest of the crate reads and writes through [`Engine`], [`Transaction`] and [`Loader`],
//! which offer the few Oxigraph calls it makes, so that what makes a record (its graph, its
//! bookkeeping, its revision and change-feed event, written in one step) is decided once, above
//! both engines.

use crate::remote::{Remote, RemoteError, RemoteLoader, RemoteTx};
use oxigraph::model::{
    GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, QuadRef, TermRef,
};
use oxigraph::sparql::QuerySolution;
use oxigraph::store::StorageError;
use std::sync::Arc;

/// Quads read from an engine.
pub(crate) type Quads<'a> = Box<dyn Iterator<Item = Result<Quad, StorageError>> + 'a>;

/// The solutions of a SELECT query.
pub(crate) type Solutions = Box<dyn Iterator<Item = Result<QuerySolution, StorageError>>>;

/// The engine under a [`crate::Store`]. Cheap to clone (clones share it).
#[derive(Clone)]
pub(crate) enum Engine {
    /// Oxigraph in this process.
    Embedded(oxigraph::store::Store),
    /// A SPARQL 1.1 server.
    Remote(Arc<Remote>),
}

impl Engine {
    /// The quads matching a pattern (`None`: any).
    pub(crate) fn quads_for_pattern(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'static> {
        match self {
            Self::Embedded(db) => Box::new(db.quads_for_pattern(subject, predicate, object, graph)),
            Self::Remote(r) => r.quads_for_pattern(subject, predicate, object, graph),
        }
    }

    /// The named graphs.
    pub(crate) fn named_graphs(
        &self,
    ) -> Box<dyn Iterator<Item = Result<NamedOrBlankNode, StorageError>>> {
        match self {
            Self::Embedded(db) => Box::new(db.named_graphs()),
            Self::Remote(r) => r.named_graphs(),
        }
    }

    /// Whether the named graph exists (embedded) or holds anything (remote).
    pub(crate) fn contains_named_graph(
        &self,
        graph: NamedNodeRef<'_>,
    ) -> Result<bool, StorageError> {
        match self {
            Self::Embedded(db) => db.contains_named_graph(graph),
            Self::Remote(r) => r.contains_named_graph(graph),
        }
    }

    /// Quads in all.
    pub(crate) fn len(&self) -> Result<usize, StorageError> {
        match self {
            Self::Embedded(db) => db.len(),
            Self::Remote(r) => r.len(),
        }
    }

    /// Writes the embedded store's write buffers to disk (a remote store keeps its own).
    pub(crate) fn flush(&self) -> Result<(), StorageError> {
        match self {
            Self::Embedded(db) => db.flush(),
            Self::Remote(_) => Ok(()),
        }
    }

    /// Merges the embedded store's files into one sorted run per index (RocksDB's manual
    /// compaction, every column family). A remote store compacts itself.
    pub(crate) fn compact(&self) -> Result<(), StorageError> {
        match self {
            Self::Embedded(db) => db.optimize(),
            Self::Remote(_) => Ok(()),
        }
    }

    /// A consistent copy of the embedded store's files in `dir`.
    pub(crate) fn backup(&self, dir: &std::path::Path) -> Result<(), StorageError> {
        match self {
            Self::Embedded(db) => db.backup(dir),
            Self::Remote(_) => Err(StorageError::Io(std::io::Error::other(
                RemoteError::Unsupported("a backup by healthcat"),
            ))),
        }
    }

    /// A transaction: its reads see its own writes, and its writes are applied together or not
    /// at all.
    pub(crate) fn start_transaction(&self) -> Result<Transaction<'_>, StorageError> {
        Ok(match self {
            Self::Embedded(db) => Transaction::Embedded(db.start_transaction()?),
            Self::Remote(r) => Transaction::Remote(RemoteTx::new(r)),
        })
    }

    /// A loader for many new quads, applied at [`Loader::commit`].
    pub(crate) fn bulk_loader(&self) -> Loader<'_> {
        match self {
            Self::Embedded(db) => Loader::Embedded(db.bulk_loader()),
            Self::Remote(r) => Loader::Remote(RemoteLoader::new(r)),
        }
    }

    /// The solutions of a SELECT query over the whole database (internal graphs included).
    pub(crate) fn solutions(&self, query: &str) -> Result<Solutions, crate::StoreError> {
        match self {
            Self::Embedded(db) => {
                use oxigraph::sparql::{QueryResults, SparqlEvaluator};
                let results = SparqlEvaluator::new()
                    .parse_query(query)
                    .map_err(|e| crate::StoreError::Corrupt {
                        graph: query.chars().take(80).collect(),
                        problem: format!("an internal query does not parse: {e}"),
                    })?
                    .on_store(db)
                    .execute()?;
                let QueryResults::Solutions(rows) = results else {
                    return Ok(Box::new(std::iter::empty()));
                };
                Ok(Box::new(rows.map(|r| {
                    r.map_err(|e| StorageError::Io(std::io::Error::other(e)))
                })))
            }
            Self::Remote(r) => Ok(Box::new(r.solutions(query)?)),
        }
    }

    /// Adds one quad, outside any transaction (tests).
    #[cfg(test)]
    pub(crate) fn insert(&self, quad: &Quad) -> Result<(), StorageError> {
        let mut tx = self.start_transaction()?;
        tx.insert(quad);
        tx.commit()
    }

    /// Empties a graph, outside any transaction (tests).
    #[cfg(test)]
    pub(crate) fn clear_graph<'b>(
        &self,
        graph: impl Into<GraphNameRef<'b>>,
    ) -> Result<(), StorageError> {
        let mut tx = self.start_transaction()?;
        tx.clear_graph(graph)?;
        tx.commit()
    }
}

/// A transaction of an [`Engine`].
pub(crate) enum Transaction<'a> {
    /// Oxigraph's own.
    Embedded(oxigraph::store::Transaction<'a>),
    /// Kept here, sent as one update request.
    Remote(RemoteTx<'a>),
}

impl Transaction<'_> {
    /// The quads matching a pattern, this transaction's writes included.
    pub(crate) fn quads_for_pattern(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'_> {
        match self {
            Self::Embedded(tx) => Box::new(tx.quads_for_pattern(subject, predicate, object, graph)),
            Self::Remote(tx) => tx.quads_for_pattern(subject, predicate, object, graph),
        }
    }

    /// Adds a quad.
    pub(crate) fn insert<'b>(&mut self, quad: impl Into<QuadRef<'b>>) {
        match self {
            Self::Embedded(tx) => tx.insert(quad),
            Self::Remote(tx) => tx.insert(quad.into()),
        }
    }

    /// Adds quads.
    pub(crate) fn extend<'b>(&mut self, quads: impl IntoIterator<Item = impl Into<QuadRef<'b>>>) {
        for q in quads {
            self.insert(q);
        }
    }

    /// Removes a quad.
    pub(crate) fn remove<'b>(&mut self, quad: impl Into<QuadRef<'b>>) {
        match self {
            Self::Embedded(tx) => tx.remove(quad),
            Self::Remote(tx) => tx.remove(quad.into()),
        }
    }

    /// Removes every quad of a graph.
    pub(crate) fn clear_graph<'b>(
        &mut self,
        graph: impl Into<GraphNameRef<'b>>,
    ) -> Result<(), StorageError> {
        match self {
            Self::Embedded(tx) => tx.clear_graph(graph),
            Self::Remote(tx) => {
                tx.clear_graph(graph.into(), false);
                Ok(())
            }
        }
    }

    /// Removes a graph and its quads.
    pub(crate) fn remove_named_graph<'b>(
        &mut self,
        graph: impl Into<NamedOrBlankNodeRef<'b>>,
    ) -> Result<(), StorageError> {
        match self {
            Self::Embedded(tx) => tx.remove_named_graph(graph),
            Self::Remote(tx) => {
                let g: NamedOrBlankNodeRef<'_> = graph.into();
                tx.clear_graph(g.into(), true);
                Ok(())
            }
        }
    }

    /// Applies the writes, all or none.
    pub(crate) fn commit(self) -> Result<(), StorageError> {
        match self {
            Self::Embedded(tx) => tx.commit(),
            Self::Remote(tx) => tx.commit(),
        }
    }
}

/// A bulk loader of an [`Engine`].
pub(crate) enum Loader<'a> {
    /// Oxigraph's: sorted files ingested at commit.
    Embedded(oxigraph::store::BulkLoader<'a>),
    /// Spilled to a file, sent as one update request at commit.
    Remote(RemoteLoader<'a>),
}

impl Loader<'_> {
    /// The memory the embedded loader may use for sorting.
    pub(crate) fn with_max_memory_size_in_megabytes(self, mb: usize) -> Self {
        match self {
            Self::Embedded(l) => Self::Embedded(l.with_max_memory_size_in_megabytes(mb)),
            other => other,
        }
    }

    /// Adds quads (applied at commit).
    pub(crate) fn load_quads(
        &mut self,
        quads: impl IntoIterator<Item = impl Into<Quad>>,
    ) -> Result<(), StorageError> {
        match self {
            Self::Embedded(l) => l.load_quads(quads),
            Self::Remote(l) => l.load(quads.into_iter().map(Into::into)),
        }
    }

    /// Applies what was loaded.
    pub(crate) fn commit(self) -> Result<(), StorageError> {
        match self {
            Self::Embedded(l) => l.commit(),
            Self::Remote(l) => l.commit(),
        }
    }
}
