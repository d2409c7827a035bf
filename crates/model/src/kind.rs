//! What counts as a catalogue record.

use crate::vocab::dcat;
use oxrdf::NamedNodeRef;

/// The three classes whose instances are catalogue *records*: each is stored in its own named graph
/// with everything it owns (see the store crate). Catalogues, agents and concepts are not records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// `dcat:Dataset`
    Dataset,
    /// `dcat:DataService`
    DataService,
    /// `dcat:DatasetSeries` (a series is also a dataset in DCAT 3; the more specific kind wins)
    DatasetSeries,
}

impl RecordKind {
    /// Every kind, most specific first: a node typed both `dcat:DatasetSeries` and `dcat:Dataset`
    /// is a series.
    pub const ALL: [RecordKind; 3] = [
        RecordKind::DatasetSeries,
        RecordKind::DataService,
        RecordKind::Dataset,
    ];

    /// The class IRI.
    pub fn class(self) -> NamedNodeRef<'static> {
        match self {
            RecordKind::Dataset => dcat::DATASET,
            RecordKind::DataService => dcat::DATA_SERVICE,
            RecordKind::DatasetSeries => dcat::DATASET_SERIES,
        }
    }

    /// The kind for a class IRI, if it is one of the record classes.
    pub fn from_class(class: NamedNodeRef<'_>) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.class() == class)
    }

    /// A short lowercase name, used in URLs, JSON and the CLI (`dataset`, `service`, `series`).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Dataset => "dataset",
            RecordKind::DataService => "service",
            RecordKind::DatasetSeries => "series",
        }
    }

    /// Parses [`as_str`](Self::as_str) back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The properties whose values are other records (a series, an edition, a served dataset): a
/// record's checks need the class of what they name, which the other record's own graph holds.
pub const RECORD_LINKS: [oxrdf::NamedNodeRef<'static>; 6] = [
    crate::vocab::dcat::IN_SERIES,
    crate::vocab::dcat::PREV,
    crate::vocab::dcat::NEXT,
    crate::vocab::dcat::FIRST,
    crate::vocab::dcat::LAST,
    crate::vocab::dcat::SERVES_DATASET,
];
