//! Namespace and term IRIs, one module per vocabulary, spelled once for the whole workspace.
//!
//! Names follow the local name in SCREAMING_SNAKE_CASE; where a class and a property share a local
//! name (`dcat:Dataset` / `dcat:dataset`) the property gets a `_PROP` suffix.

/// RDF Concepts: `http://www.w3.org/1999/02/22-rdf-syntax-ns#`
pub mod rdf {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    /// `rdf:type`
    pub const TYPE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    /// `rdf:first`
    pub const FIRST: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#first");
    /// `rdf:rest`
    pub const REST: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest");
    /// `rdf:nil`
    pub const NIL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil");
    /// `rdf:langString`
    pub const LANG_STRING: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString");
}

/// RDF Schema: `http://www.w3.org/2000/01/rdf-schema#`
pub mod rdfs {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/2000/01/rdf-schema#";
    /// `rdfs:label`
    pub const LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label");
    /// `rdfs:subClassOf`
    pub const SUB_CLASS_OF: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#subClassOf");
    /// `rdfs:seeAlso`
    pub const SEE_ALSO: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#seeAlso");
    /// `rdfs:comment`
    pub const COMMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#comment");
}

/// XML Schema datatypes: `http://www.w3.org/2001/XMLSchema#`
pub mod xsd {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/2001/XMLSchema#";
    /// `xsd:string`
    pub const STRING: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#string");
    /// `xsd:boolean`
    pub const BOOLEAN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#boolean");
    /// `xsd:date`
    pub const DATE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#date");
    /// `xsd:dateTime`
    pub const DATE_TIME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#dateTime");
    /// `xsd:gYear`
    pub const G_YEAR: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#gYear");
    /// `xsd:gYearMonth`
    pub const G_YEAR_MONTH: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#gYearMonth");
    /// `xsd:decimal`
    pub const DECIMAL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#decimal");
    /// `xsd:integer`
    pub const INTEGER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#integer");
    /// `xsd:nonNegativeInteger`
    pub const NON_NEGATIVE_INTEGER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#nonNegativeInteger");
    /// `xsd:duration`
    pub const DURATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#duration");
    /// `xsd:hexBinary`
    pub const HEX_BINARY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#hexBinary");
    /// `xsd:anyURI`
    pub const ANY_URI: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#anyURI");
}

/// DCAT 3: `http://www.w3.org/ns/dcat#`
pub mod dcat {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/dcat#";
    /// `dcat:Catalog`
    pub const CATALOG: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#Catalog");
    /// `dcat:CatalogRecord`
    pub const CATALOG_RECORD: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#CatalogRecord");
    /// `dcat:Dataset`
    pub const DATASET: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#Dataset");
    /// `dcat:DataService`
    pub const DATA_SERVICE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#DataService");
    /// `dcat:DatasetSeries`
    pub const DATASET_SERIES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#DatasetSeries");
    /// `dcat:Distribution`
    pub const DISTRIBUTION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#Distribution");
    /// `dcat:dataset`
    pub const DATASET_PROP: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#dataset");
    /// `dcat:service`
    pub const SERVICE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#service");
    /// `dcat:catalog`
    pub const CATALOG_PROP: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#catalog");
    /// `dcat:record`
    pub const RECORD: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#record");
    /// `dcat:distribution`
    pub const DISTRIBUTION_PROP: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#distribution");
    /// `dcat:keyword`
    pub const KEYWORD: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#keyword");
    /// `dcat:theme`
    pub const THEME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#theme");
    /// `dcat:themeTaxonomy`
    pub const THEME_TAXONOMY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#themeTaxonomy");
    /// `dcat:contactPoint`
    pub const CONTACT_POINT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#contactPoint");
    /// `dcat:landingPage`
    pub const LANDING_PAGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#landingPage");
    /// `dcat:accessURL`
    pub const ACCESS_URL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#accessURL");
    /// `dcat:downloadURL`
    pub const DOWNLOAD_URL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#downloadURL");
    /// `dcat:mediaType`
    pub const MEDIA_TYPE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#mediaType");
    /// `dcat:byteSize`
    pub const BYTE_SIZE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#byteSize");
    /// `dcat:inSeries`
    pub const IN_SERIES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#inSeries");
    /// `dcat:startDate`
    pub const START_DATE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#startDate");
    /// `dcat:endDate`
    pub const END_DATE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#endDate");
    /// `dcat:endpointURL`
    pub const ENDPOINT_URL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#endpointURL");
    /// `dcat:endpointDescription`
    pub const ENDPOINT_DESCRIPTION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#endpointDescription");
    /// `dcat:servesDataset`
    pub const SERVES_DATASET: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#servesDataset");
    /// `dcat:accessService`
    pub const ACCESS_SERVICE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#accessService");
    /// `dcat:temporalResolution`
    pub const TEMPORAL_RESOLUTION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#temporalResolution");
    /// `dcat:spatialResolutionInMeters`
    pub const SPATIAL_RESOLUTION_IN_METERS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#spatialResolutionInMeters");
    /// `dcat:version`
    pub const VERSION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#version");
    /// `dcat:prev` (the previous edition of a series)
    pub const PREV: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#prev");
    /// `dcat:next` (DCAT 3 deprecates it for `dcat:prev`'s inverse; sources still send it)
    pub const NEXT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#next");
    /// `dcat:first` (a series' first edition)
    pub const FIRST: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#first");
    /// `dcat:last` (a series' last edition)
    pub const LAST: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#last");
}

/// Dublin Core terms: `http://purl.org/dc/terms/`
pub mod dct {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://purl.org/dc/terms/";
    /// `dct:title`
    pub const TITLE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title");
    /// `dct:description`
    pub const DESCRIPTION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/description");
    /// `dct:identifier`
    pub const IDENTIFIER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/identifier");
    /// `dct:publisher`
    pub const PUBLISHER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/publisher");
    /// `dct:creator`
    pub const CREATOR: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/creator");
    /// `dct:issued`
    pub const ISSUED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/issued");
    /// `dct:modified`
    pub const MODIFIED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/modified");
    /// `dct:language`
    pub const LANGUAGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/language");
    /// `dct:license`
    pub const LICENSE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/license");
    /// `dct:accessRights`
    pub const ACCESS_RIGHTS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/accessRights");
    /// `dct:accrualPeriodicity`
    pub const ACCRUAL_PERIODICITY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/accrualPeriodicity");
    /// `dct:conformsTo`
    pub const CONFORMS_TO: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/conformsTo");
    /// `dct:format`
    pub const FORMAT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/format");
    /// `dct:spatial`
    pub const SPATIAL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/spatial");
    /// `dct:temporal`
    pub const TEMPORAL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/temporal");
    /// `dct:type`
    pub const TYPE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/type");
    /// `dct:provenance`
    pub const PROVENANCE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/provenance");
    /// `dct:relation`
    pub const RELATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/relation");
    /// `dct:source`
    pub const SOURCE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/source");
    /// `dct:isReferencedBy`
    pub const IS_REFERENCED_BY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/isReferencedBy");
    /// `dct:alternative`
    pub const ALTERNATIVE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/alternative");
    /// `dct:contributor`
    pub const CONTRIBUTOR: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/contributor");
    /// `dct:rights`
    pub const RIGHTS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/rights");
    /// `dct:hasPart`
    pub const HAS_PART: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/hasPart");
    /// `dct:isPartOf`
    pub const IS_PART_OF: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/isPartOf");
    /// `dct:Agent`
    pub const AGENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/Agent");
    /// `dct:Standard`
    pub const STANDARD: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/Standard");
    /// `dct:LicenseDocument`
    pub const LICENSE_DOCUMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/LicenseDocument");
    /// `dct:LinguisticSystem`
    pub const LINGUISTIC_SYSTEM: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/LinguisticSystem");
    /// `dct:Location`
    pub const LOCATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/Location");
    /// `dct:MediaType`
    pub const MEDIA_TYPE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/MediaType");
    /// `dct:MediaTypeOrExtent`
    pub const MEDIA_TYPE_OR_EXTENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/MediaTypeOrExtent");
    /// `dct:Frequency`
    pub const FREQUENCY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/Frequency");
    /// `dct:RightsStatement`
    pub const RIGHTS_STATEMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/RightsStatement");
    /// `dct:PeriodOfTime`
    pub const PERIOD_OF_TIME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/PeriodOfTime");
    /// `dct:ProvenanceStatement`
    pub const PROVENANCE_STATEMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/ProvenanceStatement");
}

/// DCAT-AP 3: `http://data.europa.eu/r5r/`
pub mod dcatap {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://data.europa.eu/r5r/";
    /// `dcatap:applicableLegislation`
    pub const APPLICABLE_LEGISLATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/r5r/applicableLegislation");
    /// `dcatap:availability`
    pub const AVAILABILITY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/r5r/availability");
}

/// HealthDCAT-AP (provisional namespace, unchanged through Release 8): `http://healthdataportal.eu/ns/health#`
pub mod healthdcatap {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://healthdataportal.eu/ns/health#";
    /// `healthdcatap:trustedDataHolder` (HealthDCAT-AP drafts; not in Release 8): an agent is a
    /// trusted health data holder (EHDS Art. 72).
    pub const TRUSTED_DATA_HOLDER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#trustedDataHolder");
    /// `healthdcatap:healthCategory`
    pub const HEALTH_CATEGORY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#healthCategory");
    /// `healthdcatap:healthTheme`
    pub const HEALTH_THEME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#healthTheme");
    /// `healthdcatap:hdab`
    pub const HDAB: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#hdab");
    /// `healthdcatap:hdabCoordinator`
    pub const HDAB_COORDINATOR: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#hdabCoordinator");
    /// `healthdcatap:hasStructuredData`
    pub const HAS_STRUCTURED_DATA: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#hasStructuredData");
    /// `healthdcatap:hasVariables`
    pub const HAS_VARIABLES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#hasVariables");
    /// `healthdcatap:hasCodingSystem`
    pub const HAS_CODING_SYSTEM: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#hasCodingSystem");
    /// `healthdcatap:hasCodeValues`
    pub const HAS_CODE_VALUES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#hasCodeValues");
    /// `healthdcatap:numberOfRecords`
    pub const NUMBER_OF_RECORDS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#numberOfRecords");
    /// `healthdcatap:numberOfUniqueIndividuals`
    pub const NUMBER_OF_UNIQUE_INDIVIDUALS: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(
        "http://healthdataportal.eu/ns/health#numberOfUniqueIndividuals",
    );
    /// `healthdcatap:minTypicalAge`
    pub const MIN_TYPICAL_AGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#minTypicalAge");
    /// `healthdcatap:maxTypicalAge`
    pub const MAX_TYPICAL_AGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#maxTypicalAge");
    /// `healthdcatap:populationCoverage`
    pub const POPULATION_COVERAGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#populationCoverage");
    /// `healthdcatap:retentionPeriod`
    pub const RETENTION_PERIOD: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#retentionPeriod");
    /// `healthdcatap:analytics`
    pub const ANALYTICS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://healthdataportal.eu/ns/health#analytics");
}

/// FOAF: `http://xmlns.com/foaf/0.1/`
pub mod foaf {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://xmlns.com/foaf/0.1/";
    /// `foaf:Agent`
    pub const AGENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/Agent");
    /// `foaf:Organization`
    pub const ORGANIZATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/Organization");
    /// `foaf:Person`
    pub const PERSON: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/Person");
    /// `foaf:name`
    pub const NAME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/name");
    /// `foaf:homepage`
    pub const HOMEPAGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/homepage");
    /// `foaf:page`
    pub const PAGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/page");
    /// `foaf:primaryTopic`
    pub const PRIMARY_TOPIC: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/primaryTopic");
    /// `foaf:Document`
    pub const DOCUMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://xmlns.com/foaf/0.1/Document");
}

/// vCard: `http://www.w3.org/2006/vcard/ns#`
pub mod vcard {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/2006/vcard/ns#";
    /// `vcard:Kind`
    pub const KIND: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#Kind");
    /// `vcard:Organization`
    pub const ORGANIZATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#Organization");
    /// `vcard:Individual`
    pub const INDIVIDUAL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#Individual");
    /// `vcard:fn`
    pub const FN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#fn");
    /// `vcard:hasEmail`
    pub const HAS_EMAIL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#hasEmail");
    /// `vcard:hasURL`
    pub const HAS_URL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#hasURL");
    /// `vcard:hasTelephone`
    pub const HAS_TELEPHONE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/vcard/ns#hasTelephone");
}

/// SEMIC Core Vocabularies: `http://data.europa.eu/m8g/`
pub mod cv {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://data.europa.eu/m8g/";
    /// `cv:contactPoint`
    pub const CONTACT_POINT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/m8g/contactPoint");
    /// `cv:ContactPoint`
    pub const CONTACT_POINT_CLASS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/m8g/ContactPoint");
    /// `cv:email`
    pub const EMAIL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/m8g/email");
    /// `cv:contactPage`
    pub const CONTACT_PAGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/m8g/contactPage");
    /// `cv:telephone`
    pub const TELEPHONE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/m8g/telephone");
}

/// SKOS: `http://www.w3.org/2004/02/skos/core#`
pub mod skos {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/2004/02/skos/core#";
    /// `skos:Concept`
    pub const CONCEPT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#Concept");
    /// `skos:ConceptScheme`
    pub const CONCEPT_SCHEME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#ConceptScheme");
    /// `skos:prefLabel`
    pub const PREF_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#prefLabel");
    /// `skos:altLabel`
    pub const ALT_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel");
    /// `skos:notation`
    pub const NOTATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#notation");
    /// `skos:inScheme`
    pub const IN_SCHEME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#inScheme");
}

/// ADMS: `http://www.w3.org/ns/adms#`
pub mod adms {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/adms#";
    /// `adms:identifier`
    pub const IDENTIFIER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/adms#identifier");
    /// `adms:Identifier`
    pub const IDENTIFIER_CLASS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/adms#Identifier");
    /// `adms:sample`
    pub const SAMPLE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/adms#sample");
    /// `adms:status`
    pub const STATUS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/adms#status");
    /// `adms:versionNotes`
    pub const VERSION_NOTES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/adms#versionNotes");
}

/// GeoDCAT-AP: `http://data.europa.eu/930/`
pub mod geodcatap {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://data.europa.eu/930/";
    /// `geodcatap:custodian`
    pub const CUSTODIAN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/930/custodian");
}

/// Data Privacy Vocabulary: `https://w3id.org/dpv#`
pub mod dpv {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "https://w3id.org/dpv#";
    /// `dpv:hasPersonalData`
    pub const HAS_PERSONAL_DATA: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/dpv#hasPersonalData");
    /// `dpv:hasLegalBasis`
    pub const HAS_LEGAL_BASIS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/dpv#hasLegalBasis");
    /// `dpv:hasPurpose`
    pub const HAS_PURPOSE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/dpv#hasPurpose");
    /// `dpv:Purpose`
    pub const PURPOSE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/dpv#Purpose");
    /// `dpv:LegalBasis`
    pub const LEGAL_BASIS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/dpv#LegalBasis");
}

/// Data Quality Vocabulary: `http://www.w3.org/ns/dqv#`
pub mod dqv {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/dqv#";
    /// `dqv:hasQualityAnnotation`
    pub const HAS_QUALITY_ANNOTATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#hasQualityAnnotation");
    /// `dqv:QualityCertificate`
    pub const QUALITY_CERTIFICATE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#QualityCertificate");
    /// `dqv:hasQualityMeasurement`
    pub const HAS_QUALITY_MEASUREMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#hasQualityMeasurement");
    /// `dqv:QualityMeasurement`
    pub const QUALITY_MEASUREMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#QualityMeasurement");
    /// `dqv:isMeasurementOf`
    pub const IS_MEASUREMENT_OF: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#isMeasurementOf");
    /// `dqv:computedOn`
    pub const COMPUTED_ON: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#computedOn");
    /// `dqv:value`
    pub const VALUE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#value");
    /// `dqv:qualityAssessment`
    pub const QUALITY_ASSESSMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/dqv#qualityAssessment");
}

/// piveau's metrics, which data.europa.eu's MQA publishes: `https://piveau.eu/ns/voc#`
pub mod pv {
    /// The namespace IRI (a metric is `{NS}{metric}`, e.g. `keywordAvailability`, `score`).
    pub const NS: &str = "https://piveau.eu/ns/voc#";
}

/// CSV on the Web: `http://www.w3.org/ns/csvw#`
pub mod csvw {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/csvw#";
    /// `csvw:TableGroup`
    pub const TABLE_GROUP: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#TableGroup");
    /// `csvw:Table`
    pub const TABLE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#Table");
    /// `csvw:Column`
    pub const COLUMN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#Column");
    /// `csvw:table`
    pub const TABLE_PROP: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#table");
    /// `csvw:column`
    pub const COLUMN_PROP: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#column");
    /// `csvw:tableSchema`
    pub const TABLE_SCHEMA: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#tableSchema");
    /// `csvw:name`
    pub const NAME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#name");
    /// `csvw:title`
    pub const TITLE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#title");
    /// `csvw:datatype`
    pub const DATATYPE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#datatype");
    /// `csvw:titles` (the CSVW spelling; HealthDCAT-AP writes `csvw:title`)
    pub const TITLES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#titles");
    /// `csvw:propertyUrl`: the terminology or code list a column's values come from
    pub const PROPERTY_URL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#propertyUrl");
    /// `csvw:url`: the file a table describes
    pub const URL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/csvw#url");
}

/// schema.org: `http://schema.org/` (the terms healthcat reads from records)
pub mod schema {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://schema.org/";
    /// `schema:unitText`: a column's unit of measurement, as text (`mmol/L`, `kg`)
    pub const UNIT_TEXT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/unitText");
}

/// PROV-O: `http://www.w3.org/ns/prov#`
pub mod prov {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/prov#";
    /// `prov:wasGeneratedBy`
    pub const WAS_GENERATED_BY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#wasGeneratedBy");
    /// `prov:Activity`
    pub const ACTIVITY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#Activity");
    /// `prov:qualifiedAttribution`
    pub const QUALIFIED_ATTRIBUTION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#qualifiedAttribution");
    /// `prov:wasDerivedFrom`
    pub const WAS_DERIVED_FROM: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#wasDerivedFrom");
    /// `prov:qualifiedDerivation`
    pub const QUALIFIED_DERIVATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#qualifiedDerivation");
}

/// ODRL: `http://www.w3.org/ns/odrl/2/`
pub mod odrl {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/odrl/2/";
    /// `odrl:hasPolicy`
    pub const HAS_POLICY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/odrl/2/hasPolicy");
}

/// Web Annotation: `http://www.w3.org/ns/oa#`
pub mod oa {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/oa#";
    /// `oa:hasTarget`
    pub const HAS_TARGET: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/oa#hasTarget");
    /// `oa:hasBody`
    pub const HAS_BODY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/oa#hasBody");
    /// `oa:motivatedBy`
    pub const MOTIVATED_BY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/oa#motivatedBy");
}

/// ELI: `http://data.europa.eu/eli/ontology#`
pub mod eli {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://data.europa.eu/eli/ontology#";
    /// `eli:LegalResource`
    pub const LEGAL_RESOURCE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://data.europa.eu/eli/ontology#LegalResource");
}

/// W3C Organization ontology: `http://www.w3.org/ns/org#`
pub mod org {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/org#";
    /// `org:Organization`
    pub const ORGANIZATION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/org#Organization");
}

/// OWL-Time: `http://www.w3.org/2006/time#`
pub mod time {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/2006/time#";
    /// `time:TemporalEntity`
    pub const TEMPORAL_ENTITY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2006/time#TemporalEntity");
}

/// SPDX: `http://spdx.org/rdf/terms#`
pub mod spdx {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://spdx.org/rdf/terms#";
    /// `spdx:checksum`
    pub const CHECKSUM: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://spdx.org/rdf/terms#checksum");
}

/// ISA Core Location: `http://www.w3.org/ns/locn#`
pub mod locn {
    use oxrdf::NamedNodeRef;
    /// The namespace IRI.
    pub const NS: &str = "http://www.w3.org/ns/locn#";
    /// `locn:geometry`
    pub const GEOMETRY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/locn#geometry");
}

/// Prefixes used when healthcat writes Turtle, TriG, RDF/XML or JSON-LD, so that exports are readable.
pub const PREFIXES: &[(&str, &str)] = &[
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("xsd", xsd::NS),
    ("dcat", dcat::NS),
    ("dct", dct::NS),
    ("dcatap", dcatap::NS),
    ("healthdcatap", healthdcatap::NS),
    ("foaf", foaf::NS),
    ("vcard", vcard::NS),
    ("cv", cv::NS),
    ("skos", skos::NS),
    ("adms", adms::NS),
    ("geodcatap", geodcatap::NS),
    ("dpv", dpv::NS),
    ("dqv", dqv::NS),
    ("csvw", csvw::NS),
    ("schema", schema::NS),
    ("prov", prov::NS),
    ("eli", eli::NS),
    ("org", org::NS),
    ("time", time::NS),
    ("spdx", spdx::NS),
    ("locn", locn::NS),
];

/// EU controlled vocabularies (Publications Office "authority tables").
pub mod authority {
    /// Base of the EU access-right, data-theme, frequency, language… tables.
    pub const EU: &str = "http://publications.europa.eu/resource/authority/";
    /// Base of the HealthData@EU tables (health categories, health themes, publisher types…).
    pub const HEALTH_EU: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/";
    /// The three access levels HealthDCAT-AP distinguishes, by `dct:accessRights`.
    pub const ACCESS_PUBLIC: &str =
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC";
    /// See [`ACCESS_PUBLIC`].
    pub const ACCESS_RESTRICTED: &str =
        "http://publications.europa.eu/resource/authority/access-right/RESTRICTED";
    /// See [`ACCESS_PUBLIC`].
    pub const ACCESS_NON_PUBLIC: &str =
        "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC";
    /// The data theme every HealthDCAT-AP dataset must carry.
    pub const THEME_HEALTH: &str =
        "http://publications.europa.eu/resource/authority/data-theme/HEAL";
    /// The European Health Data Space regulation, the applicable legislation of HealthDCAT-AP records.
    pub const EHDS_REGULATION: &str = "http://data.europa.eu/eli/reg/2025/327/oj";
}
