//! The RDF syntaxes healthcat reads and writes.

use oxrdfio::RdfFormat;
use std::path::Path;

/// An RDF syntax, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Turtle (`ttl`)
    Turtle,
    /// N-Triples (`nt`)
    NTriples,
    /// N-Quads (`nq`)
    NQuads,
    /// TriG (`trig`)
    TriG,
    /// RDF/XML (`rdf`, `xml`, `owl`)
    RdfXml,
    /// JSON-LD (`jsonld`, `json`)
    JsonLd,
}

impl Format {
    /// Every format, in the order listed in help texts.
    pub const ALL: [Format; 6] = [
        Format::Turtle,
        Format::NTriples,
        Format::NQuads,
        Format::TriG,
        Format::RdfXml,
        Format::JsonLd,
    ];

    /// Parses a command-line name or file extension (`ttl`, `turtle`, `nt`, `jsonld`…).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "ttl" | "turtle" => Format::Turtle,
            "nt" | "ntriples" | "n-triples" => Format::NTriples,
            "nq" | "nquads" | "n-quads" => Format::NQuads,
            "trig" => Format::TriG,
            "rdf" | "xml" | "owl" | "rdfxml" | "rdf-xml" => Format::RdfXml,
            "jsonld" | "json-ld" | "json" => Format::JsonLd,
            _ => return None,
        })
    }

    /// The format of a file from its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::from_name)
    }

    /// The format for an HTTP media type (parameters ignored).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        RdfFormat::from_media_type(media_type).map(Self::from_rdf)
    }

    /// The short name (`ttl`, `nt`, …), also the usual file extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::Turtle => "ttl",
            Format::NTriples => "nt",
            Format::NQuads => "nq",
            Format::TriG => "trig",
            Format::RdfXml => "rdf",
            Format::JsonLd => "jsonld",
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        self.to_rdf().media_type()
    }

    /// The syntax's name for people (`Turtle`, `N-Triples`, `RDF/XML`, `JSON-LD`…).
    pub fn label(self) -> &'static str {
        self.to_rdf().name()
    }

    pub(crate) fn to_rdf(self) -> RdfFormat {
        match self {
            Format::Turtle => RdfFormat::Turtle,
            Format::NTriples => RdfFormat::NTriples,
            Format::NQuads => RdfFormat::NQuads,
            Format::TriG => RdfFormat::TriG,
            Format::RdfXml => RdfFormat::RdfXml,
            Format::JsonLd => RdfFormat::JsonLd {
                profile: oxrdfio::JsonLdProfileSet::empty(),
            },
        }
    }

    fn from_rdf(f: RdfFormat) -> Self {
        match f {
            RdfFormat::NTriples => Format::NTriples,
            RdfFormat::NQuads => Format::NQuads,
            RdfFormat::TriG => Format::TriG,
            RdfFormat::RdfXml => Format::RdfXml,
            RdfFormat::JsonLd { .. } => Format::JsonLd,
            _ => Format::Turtle,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
