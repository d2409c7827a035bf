//! Human labels of the properties and classes of HealthDCAT-AP (DCAT-AP 3 + health), in French and
//! English, for messages, forms and pages. A property missing here is shown by its compact name
//! (`dct:title`), never by a placeholder.

/// (IRI, French, English)
const LABELS: &[(&str, &str, &str)] = &[
    ("http://purl.org/dc/terms/title", "Titre", "Title"),
    (
        "http://purl.org/dc/terms/description",
        "Description",
        "Description",
    ),
    (
        "http://purl.org/dc/terms/identifier",
        "Identifiant",
        "Identifier",
    ),
    ("http://purl.org/dc/terms/publisher", "Éditeur", "Publisher"),
    ("http://purl.org/dc/terms/creator", "Créateur", "Creator"),
    (
        "http://purl.org/dc/terms/issued",
        "Date de publication",
        "Release date",
    ),
    (
        "http://purl.org/dc/terms/modified",
        "Date de modification",
        "Modification date",
    ),
    ("http://purl.org/dc/terms/language", "Langue", "Language"),
    ("http://purl.org/dc/terms/license", "Licence", "Licence"),
    (
        "http://purl.org/dc/terms/accessRights",
        "Droits d'accès",
        "Access rights",
    ),
    (
        "http://purl.org/dc/terms/accrualPeriodicity",
        "Fréquence de mise à jour",
        "Update frequency",
    ),
    (
        "http://purl.org/dc/terms/conformsTo",
        "Conforme à",
        "Conforms to",
    ),
    ("http://purl.org/dc/terms/format", "Format", "Format"),
    (
        "http://purl.org/dc/terms/spatial",
        "Couverture géographique",
        "Geographical coverage",
    ),
    (
        "http://purl.org/dc/terms/temporal",
        "Couverture temporelle",
        "Temporal coverage",
    ),
    ("http://purl.org/dc/terms/type", "Type", "Type"),
    (
        "http://purl.org/dc/terms/provenance",
        "Provenance",
        "Provenance",
    ),
    (
        "http://purl.org/dc/terms/relation",
        "Ressource liée",
        "Related resource",
    ),
    ("http://purl.org/dc/terms/source", "Source", "Source"),
    (
        "http://purl.org/dc/terms/isReferencedBy",
        "Référencé par",
        "Is referenced by",
    ),
    (
        "http://purl.org/dc/terms/alternative",
        "Titre alternatif",
        "Alternative title",
    ),
    ("http://purl.org/dc/terms/rights", "Droits", "Rights"),
    (
        "http://www.w3.org/ns/dcat#dataset",
        "Jeu de données",
        "Dataset",
    ),
    (
        "http://www.w3.org/ns/dcat#distribution",
        "Distribution",
        "Distribution",
    ),
    ("http://www.w3.org/ns/dcat#keyword", "Mot-clé", "Keyword"),
    ("http://www.w3.org/ns/dcat#theme", "Thème", "Theme"),
    (
        "http://www.w3.org/ns/dcat#themeTaxonomy",
        "Taxonomie des thèmes",
        "Theme taxonomy",
    ),
    (
        "http://www.w3.org/ns/dcat#contactPoint",
        "Point de contact",
        "Contact point",
    ),
    (
        "http://www.w3.org/ns/dcat#landingPage",
        "Page d'accueil",
        "Landing page",
    ),
    (
        "http://www.w3.org/ns/dcat#accessURL",
        "URL d'accès",
        "Access URL",
    ),
    (
        "http://www.w3.org/ns/dcat#downloadURL",
        "URL de téléchargement",
        "Download URL",
    ),
    (
        "http://www.w3.org/ns/dcat#mediaType",
        "Type de média",
        "Media type",
    ),
    (
        "http://www.w3.org/ns/dcat#byteSize",
        "Taille en octets",
        "Byte size",
    ),
    (
        "http://www.w3.org/ns/dcat#temporalResolution",
        "Résolution temporelle",
        "Temporal resolution",
    ),
    (
        "http://www.w3.org/ns/dcat#spatialResolutionInMeters",
        "Résolution spatiale (m)",
        "Spatial resolution (m)",
    ),
    (
        "http://www.w3.org/ns/dcat#startDate",
        "Date de début",
        "Start date",
    ),
    (
        "http://www.w3.org/ns/dcat#endDate",
        "Date de fin",
        "End date",
    ),
    (
        "http://www.w3.org/ns/dcat#endpointURL",
        "URL du point d'accès",
        "Endpoint URL",
    ),
    ("http://www.w3.org/ns/dcat#inSeries", "Série", "In series"),
    (
        "http://data.europa.eu/r5r/applicableLegislation",
        "Législation applicable",
        "Applicable legislation",
    ),
    (
        "http://data.europa.eu/r5r/availability",
        "Disponibilité",
        "Availability",
    ),
    (
        "http://healthdataportal.eu/ns/health#healthCategory",
        "Catégorie de données de santé",
        "Health data category",
    ),
    (
        "http://healthdataportal.eu/ns/health#healthTheme",
        "Thème de santé",
        "Health theme",
    ),
    (
        "http://healthdataportal.eu/ns/health#hdab",
        "Organisme d'accès aux données de santé",
        "Health data access body",
    ),
    (
        "http://healthdataportal.eu/ns/health#hdabCoordinator",
        "Coordinateur des organismes d'accès",
        "HDAB coordinator",
    ),
    (
        "http://healthdataportal.eu/ns/health#hasStructuredData",
        "Données structurées",
        "Structured data",
    ),
    (
        "http://healthdataportal.eu/ns/health#hasVariables",
        "Dictionnaire des variables",
        "Data dictionary",
    ),
    (
        "http://healthdataportal.eu/ns/health#hasCodingSystem",
        "Système de codage",
        "Coding system",
    ),
    (
        "http://healthdataportal.eu/ns/health#hasCodeValues",
        "Valeurs codées",
        "Code values",
    ),
    (
        "http://healthdataportal.eu/ns/health#numberOfRecords",
        "Nombre d'enregistrements",
        "Number of records",
    ),
    (
        "http://healthdataportal.eu/ns/health#numberOfUniqueIndividuals",
        "Nombre d'individus",
        "Number of unique individuals",
    ),
    (
        "http://healthdataportal.eu/ns/health#minTypicalAge",
        "Âge minimal typique",
        "Minimum typical age",
    ),
    (
        "http://healthdataportal.eu/ns/health#maxTypicalAge",
        "Âge maximal typique",
        "Maximum typical age",
    ),
    (
        "http://healthdataportal.eu/ns/health#populationCoverage",
        "Population couverte",
        "Population coverage",
    ),
    (
        "http://healthdataportal.eu/ns/health#retentionPeriod",
        "Durée de conservation",
        "Retention period",
    ),
    (
        "http://healthdataportal.eu/ns/health#analytics",
        "Analyses",
        "Analytics",
    ),
    (
        "http://data.europa.eu/930/custodian",
        "Détenteur des données",
        "Data holder",
    ),
    (
        "https://w3id.org/dpv#hasPersonalData",
        "Données personnelles",
        "Personal data",
    ),
    (
        "https://w3id.org/dpv#hasLegalBasis",
        "Base légale",
        "Legal basis",
    ),
    ("https://w3id.org/dpv#hasPurpose", "Finalité", "Purpose"),
    (
        "http://www.w3.org/ns/dqv#hasQualityAnnotation",
        "Certificat de qualité",
        "Quality certificate",
    ),
    ("http://www.w3.org/ns/adms#sample", "Échantillon", "Sample"),
    (
        "http://www.w3.org/ns/adms#identifier",
        "Autre identifiant",
        "Other identifier",
    ),
    ("http://www.w3.org/ns/adms#status", "Statut", "Status"),
    ("http://xmlns.com/foaf/0.1/name", "Nom", "Name"),
    (
        "http://xmlns.com/foaf/0.1/page",
        "Documentation",
        "Documentation",
    ),
    ("http://xmlns.com/foaf/0.1/homepage", "Site web", "Homepage"),
    (
        "http://data.europa.eu/m8g/contactPoint",
        "Point de contact",
        "Contact point",
    ),
    ("http://data.europa.eu/m8g/email", "Courriel", "E-mail"),
    (
        "http://data.europa.eu/m8g/contactPage",
        "Page de contact",
        "Contact page",
    ),
    (
        "http://www.w3.org/2006/vcard/ns#hasEmail",
        "Courriel",
        "E-mail",
    ),
    (
        "http://www.w3.org/2006/vcard/ns#hasURL",
        "Adresse web",
        "Web address",
    ),
    ("http://www.w3.org/ns/csvw#table", "Table", "Table"),
    ("http://www.w3.org/ns/csvw#column", "Colonne", "Column"),
    (
        "http://www.w3.org/ns/csvw#name",
        "Nom de la colonne",
        "Column name",
    ),
    ("http://www.w3.org/ns/csvw#title", "Intitulé", "Title"),
    (
        "http://www.w3.org/ns/csvw#datatype",
        "Type de données",
        "Datatype",
    ),
    (
        "http://www.w3.org/2004/02/skos/core#inScheme",
        "Liste de référence",
        "Code list",
    ),
    (
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "Libellé",
        "Label",
    ),
    (
        "http://www.w3.org/ns/dcat#Dataset",
        "jeu de données",
        "dataset",
    ),
    (
        "http://www.w3.org/ns/dcat#Distribution",
        "distribution",
        "distribution",
    ),
    (
        "http://www.w3.org/ns/dcat#Catalog",
        "catalogue",
        "catalogue",
    ),
    (
        "http://www.w3.org/ns/dcat#DataService",
        "service de données",
        "data service",
    ),
    (
        "http://xmlns.com/foaf/0.1/Agent",
        "organisation ou personne",
        "agent",
    ),
    (
        "http://www.w3.org/2004/02/skos/core#Concept",
        "concept d'une liste de référence",
        "code-list concept",
    ),
    (
        "http://data.europa.eu/m8g/ContactPoint",
        "point de contact",
        "contact point",
    ),
    (
        "http://data.europa.eu/eli/ontology#LegalResource",
        "texte juridique",
        "legal resource",
    ),
];

/// The label of a property or class in `lang` (`fr`, or anything else for English).
pub fn label(iri: &str, lang: &str) -> Option<&'static str> {
    LABELS
        .iter()
        .find(|(i, _, _)| *i == iri)
        .map(|(_, fr, en)| if lang.starts_with("fr") { *fr } else { *en })
}

/// A compact name for any IRI: `prefix:local` with healthcat's prefixes, else the IRI in `<>`.
pub fn compact(iri: &str) -> String {
    crate::vocab::PREFIXES
        .iter()
        .find_map(|(p, ns)| {
            iri.strip_prefix(ns)
                .filter(|l| !l.is_empty())
                .map(|l| format!("{p}:{l}"))
        })
        .unwrap_or_else(|| format!("<{iri}>"))
}

/// The label if known, with the compact name: `Titre (dct:title)`.
pub fn describe(iri: &str, lang: &str) -> String {
    match label(iri, lang) {
        Some(l) => format!("{l} ({})", compact(iri)),
        None => compact(iri),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_compact_names() {
        assert_eq!(
            describe("http://purl.org/dc/terms/title", "fr"),
            "Titre (dct:title)"
        );
        assert_eq!(
            describe("http://purl.org/dc/terms/title", "en"),
            "Title (dct:title)"
        );
        assert_eq!(
            describe("http://example.org/x", "en"),
            "<http://example.org/x>"
        );
    }
}
