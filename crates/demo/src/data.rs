//! The word lists the generator draws from. Real topics and real code-list values only: a
//! demo that shows "Lorem ipsum" or placeholder codes teaches nothing about the standard.

/// (French, English) health topics, with a coding system that typically describes them.
pub const TOPICS: &[(&str, &str, &str)] = &[
    ("cancer du sein", "breast cancer", "ICD-10"),
    ("cancer colorectal", "colorectal cancer", "ICD-10"),
    ("cancer du poumon", "lung cancer", "ICD-10"),
    ("diabète de type 2", "type 2 diabetes", "ICD-10"),
    ("insuffisance cardiaque", "heart failure", "SNOMED-CT"),
    ("accident vasculaire cérébral", "stroke", "ICD-10"),
    ("maladies rares", "rare diseases", "ORPHACODE"),
    ("COVID-19", "COVID-19", "ICD-10"),
    (
        "santé mentale des adolescents",
        "adolescent mental health",
        "ICD-10",
    ),
    ("périnatalité", "perinatal health", "ICD-10"),
    ("maladie d'Alzheimer", "Alzheimer's disease", "SNOMED-CT"),
    ("asthme de l'enfant", "childhood asthma", "ICD-10"),
    ("hépatite C", "hepatitis C", "ICD-10"),
    ("infection par le VIH", "HIV infection", "ICD-10"),
    ("obésité", "obesity", "SNOMED-CT"),
    (
        "insuffisance rénale chronique",
        "chronic kidney disease",
        "ICD-10",
    ),
    ("sclérose en plaques", "multiple sclerosis", "SNOMED-CT"),
    ("polyarthrite rhumatoïde", "rheumatoid arthritis", "ICD-10"),
    ("couverture vaccinale", "vaccination coverage", "ATC"),
    (
        "résistance aux antibiotiques",
        "antimicrobial resistance",
        "ATC",
    ),
    ("consommation de médicaments", "medicine use", "ATC"),
    ("biologie médicale", "laboratory test results", "LOINC"),
    (
        "chutes des personnes âgées",
        "falls in older adults",
        "ICD-10",
    ),
    ("maladie de Parkinson", "Parkinson's disease", "SNOMED-CT"),
    (
        "bronchopneumopathie chronique obstructive",
        "chronic obstructive pulmonary disease",
        "ICD-10",
    ),
];

/// A kind of data collection: (French noun, English noun, HealthData@EU health category, health-activity, dataset-type).
pub struct Kind {
    pub fr: &'static str,
    pub en: &'static str,
    pub category: &'static str,
    pub description_fr: &'static str,
    pub description_en: &'static str,
}

/// Kinds of collections and the EHDS Art. 51 category each belongs to.
pub const KINDS: &[Kind] = &[
    Kind {
        fr: "Cohorte",
        en: "cohort",
        category: "RQSH",
        description_fr: "Cohorte prospective suivant des participants recrutés",
        description_en: "Prospective cohort following participants recruited",
    },
    Kind {
        fr: "Registre",
        en: "registry",
        category: "PHDR",
        description_fr: "Registre de population recensant de manière exhaustive les cas",
        description_en: "Population-based registry recording all cases",
    },
    Kind {
        fr: "Registre de morbidité",
        en: "morbidity registry",
        category: "MRMR",
        description_fr: "Registre médical recueillant les diagnostics et l'évolution des patients",
        description_en: "Medical registry collecting diagnoses and patient outcomes",
    },
    Kind {
        fr: "Base de remboursements",
        en: "claims database",
        category: "HRAD",
        description_fr: "Données de remboursement de l'assurance maladie (actes, consultations, délivrances)",
        description_en: "Health insurance reimbursement data (procedures, visits, dispensations)",
    },
    Kind {
        fr: "Entrepôt de données de santé",
        en: "clinical data warehouse",
        category: "EHRS",
        description_fr: "Données issues des dossiers patients informatisés des établissements",
        description_en: "Data from the electronic health records of the participating hospitals",
    },
    Kind {
        fr: "Enquête",
        en: "survey",
        category: "RQSH",
        description_fr: "Enquête par questionnaire auprès d'un échantillon représentatif",
        description_en: "Questionnaire survey of a representative sample",
    },
    Kind {
        fr: "Essai clinique",
        en: "clinical trial",
        category: "EHCT",
        description_fr: "Données individuelles d'un essai clinique randomisé",
        description_en: "Individual participant data from a randomised clinical trial",
    },
    Kind {
        fr: "Biobanque",
        en: "biobank",
        category: "EINS",
        description_fr: "Collection d'échantillons biologiques et base de données associée",
        description_en: "Collection of biological samples and its associated database",
    },
    Kind {
        fr: "Données génomiques",
        en: "genomic data",
        category: "HGPD",
        description_fr: "Séquençage génomique de patients et données cliniques associées",
        description_en: "Genome sequencing of patients with linked clinical data",
    },
];

/// (French, English) place names with the EU country code.
pub const PLACES: &[(&str, &str, &str)] = &[
    ("France entière", "France", "FRA"),
    ("Île-de-France", "Île-de-France", "FRA"),
    ("Occitanie", "Occitania", "FRA"),
    ("Bretagne", "Brittany", "FRA"),
    ("Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes", "FRA"),
    ("Hauts-de-France", "Hauts-de-France", "FRA"),
    ("Belgique", "Belgium", "BEL"),
    ("Finlande", "Finland", "FIN"),
    ("Pays-Bas", "Netherlands", "NLD"),
    ("Danemark", "Denmark", "DNK"),
];

/// Publishers: (name, HealthData@EU publisher type, e-mail domain).
pub const PUBLISHERS: &[(&str, &str, &str)] = &[
    (
        "Assistance Publique – Hôpitaux de Paris",
        "healthcare-providers",
        "aphp.example.org",
    ),
    (
        "Hospices Civils de Lyon",
        "healthcare-providers",
        "chu-lyon.example.org",
    ),
    (
        "CHU de Toulouse",
        "healthcare-providers",
        "chu-toulouse.example.org",
    ),
    (
        "CHU de Rennes",
        "healthcare-providers",
        "chu-rennes.example.org",
    ),
    (
        "CHU de Lille",
        "healthcare-providers",
        "chu-lille.example.org",
    ),
    (
        "Caisse nationale de l'Assurance Maladie",
        "gov-public-sector-org",
        "cnam.example.org",
    ),
    (
        "Santé publique France",
        "public-health-institute",
        "santepubliquefrance.example.org",
    ),
    (
        "Institut national du cancer",
        "public-health-institute",
        "inca.example.org",
    ),
    ("Inserm", "research-academic-org", "inserm.example.org"),
    (
        "Registre des cancers du Tarn",
        "public-health-registry",
        "registre-tarn.example.org",
    ),
    (
        "Registre national des maladies rares",
        "public-health-registry",
        "maladies-rares.example.org",
    ),
    (
        "Sciensano",
        "public-health-institute",
        "sciensano.example.org",
    ),
    (
        "Belgian Cancer Registry",
        "public-health-registry",
        "kankerregister.example.org",
    ),
    (
        "Finnish Institute for Health and Welfare",
        "public-health-institute",
        "thl.example.org",
    ),
    (
        "Rijksinstituut voor Volksgezondheid en Milieu",
        "public-health-institute",
        "rivm.example.org",
    ),
    (
        "Statens Serum Institut",
        "public-health-institute",
        "ssi.example.org",
    ),
    (
        "Constances (cohorte nationale)",
        "research-infra",
        "constances.example.org",
    ),
    (
        "Biobanque de Picardie",
        "research-infra",
        "biobanque-picardie.example.org",
    ),
];

/// Health data access bodies per country code: (country, name, e-mail domain).
pub const HDABS: &[(&str, &str, &str)] = &[
    (
        "FRA",
        "Health Data Hub – Plateforme des données de santé",
        "health-data-hub.example.org",
    ),
    ("BEL", "Health Data Agency Belgium", "hda.example.org"),
    (
        "FIN",
        "Findata – Social and Health Data Permit Authority",
        "findata.example.org",
    ),
    ("NLD", "Health-RI Data Access Body", "health-ri.example.org"),
    (
        "DNK",
        "Danish Health Data Authority",
        "sundhedsdata.example.org",
    ),
];

/// HealthData@EU health themes.
pub const HEALTH_THEMES: &[&str] = &[
    "CANCER_DISEASE",
    "NONCOMMUNICABLE_DISEASES",
    "MENTAL_HEALTH",
    "HEALTH_SYSTEMS",
    "IMMUNIZATION_DISEASES",
    "ANTIMICROBIAL_CONTROL",
    "REPRODUCTIVE_HEALTH",
    "LIFECOURSE_HEALTH",
    "RESPIRATORY_DISEASES",
    "HEALTH_PRODUCTS",
];

/// EU dataset types.
pub const DATASET_TYPES: &[&str] = &["STATISTICAL", "SYNTHETIC_DATA", "TEST_DATA", "CODE_LIST"];

/// (file type code, media type) for distributions.
pub const FILE_TYPES: &[(&str, &str)] = &[
    ("CSV", "text/csv"),
    (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("JSON", "application/json"),
    ("PDF", "application/pdf"),
    ("ZIP", "application/zip"),
];

/// (French, English) keywords added to every dataset of a kind.
pub const KEYWORDS: &[(&str, &str)] = &[
    ("santé publique", "public health"),
    ("épidémiologie", "epidemiology"),
    ("données de vie réelle", "real-world data"),
    ("recherche clinique", "clinical research"),
    ("usage secondaire", "secondary use"),
    ("pharmaco-épidémiologie", "pharmacoepidemiology"),
];

/// A clinical measure a structured dataset's dictionary adds to age, sex and diagnosis: (name,
/// French title, English title, French description, English description, CSVW datatype, unit),
/// chosen by topic so that a search across variables finds something worth finding.
pub const MEASURES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "tumour_stage",
        "Stade de la tumeur",
        "Tumour stage",
        "Stade TNM au diagnostic",
        "TNM stage at diagnosis",
        "string",
        "",
    ),
    (
        "hba1c",
        "Hémoglobine glyquée",
        "Glycated haemoglobin",
        "HbA1c, dernière mesure de l'année",
        "HbA1c, last measurement of the year",
        "decimal",
        "%",
    ),
    (
        "lvef",
        "Fraction d'éjection ventriculaire gauche",
        "Left ventricular ejection fraction",
        "FEVG à l'échocardiographie",
        "LVEF at echocardiography",
        "decimal",
        "%",
    ),
    (
        "nihss",
        "Score NIHSS",
        "NIHSS score",
        "Gravité de l'AVC à l'admission",
        "Stroke severity at admission",
        "integer",
        "",
    ),
    (
        "orpha_code",
        "Code Orphanet",
        "Orphanet code",
        "Maladie rare diagnostiquée",
        "Rare disease diagnosed",
        "string",
        "",
    ),
    (
        "vaccine_doses",
        "Doses de vaccin",
        "Vaccine doses",
        "Nombre de doses reçues",
        "Number of doses received",
        "integer",
        "",
    ),
    (
        "phq9",
        "Score PHQ-9",
        "PHQ-9 score",
        "Symptômes dépressifs (questionnaire PHQ-9)",
        "Depressive symptoms (PHQ-9 questionnaire)",
        "integer",
        "",
    ),
    (
        "birth_weight",
        "Poids de naissance",
        "Birth weight",
        "Poids du nouveau-né à la naissance",
        "Newborn's weight at birth",
        "integer",
        "g",
    ),
    (
        "mmse",
        "Score MMSE",
        "MMSE score",
        "Fonctions cognitives (mini-mental state)",
        "Cognitive function (mini-mental state)",
        "integer",
        "",
    ),
    (
        "fev1",
        "VEMS",
        "FEV1",
        "Volume expiratoire maximal en une seconde",
        "Forced expiratory volume in one second",
        "decimal",
        "L",
    ),
    (
        "viral_load",
        "Charge virale",
        "Viral load",
        "Charge virale plasmatique",
        "Plasma viral load",
        "integer",
        "copies/mL",
    ),
    (
        "bmi",
        "Indice de masse corporelle",
        "Body mass index",
        "IMC à l'inclusion",
        "BMI at inclusion",
        "decimal",
        "kg/m2",
    ),
    (
        "egfr",
        "Débit de filtration glomérulaire",
        "Glomerular filtration rate",
        "DFG estimé (CKD-EPI)",
        "Estimated GFR (CKD-EPI)",
        "decimal",
        "mL/min/1.73m2",
    ),
    (
        "edss",
        "Score EDSS",
        "EDSS score",
        "Handicap dans la sclérose en plaques",
        "Disability in multiple sclerosis",
        "decimal",
        "",
    ),
    (
        "das28",
        "Score DAS28",
        "DAS28 score",
        "Activité de la polyarthrite",
        "Arthritis disease activity",
        "decimal",
        "",
    ),
    (
        "atc_code",
        "Code ATC",
        "ATC code",
        "Médicament délivré",
        "Medicine dispensed",
        "string",
        "",
    ),
    (
        "creatinine",
        "Créatininémie",
        "Serum creatinine",
        "Créatinine sérique",
        "Serum creatinine",
        "decimal",
        "µmol/L",
    ),
    (
        "falls_count",
        "Nombre de chutes",
        "Number of falls",
        "Chutes dans l'année",
        "Falls in the year",
        "integer",
        "",
    ),
    (
        "updrs",
        "Score UPDRS",
        "UPDRS score",
        "Sévérité de la maladie de Parkinson",
        "Parkinson's disease severity",
        "integer",
        "",
    ),
];
