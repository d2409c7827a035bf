//! Writing a generated catalogue as Turtle.

use crate::data::{
    DATASET_TYPES, FILE_TYPES, HDABS, HEALTH_THEMES, KEYWORDS, KINDS, MEASURES, PLACES, PUBLISHERS,
    TOPICS,
};
use healthcat_model::LocalId;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{self, Write};

const EU: &str = "http://publications.europa.eu/resource/authority/";
const HDEU: &str = "https://hdeu-dcat.data.health.europa.eu/resource/authority/";
const EHDS: &str = "http://data.europa.eu/eli/reg/2025/327/oj";

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Number of datasets.
    pub datasets: usize,
    /// Random seed: the same seed gives the same output.
    pub seed: u64,
    /// Base of every IRI the generator mints (ends with `/`).
    pub base_iri: String,
    /// Number of dataset series, each with three yearly editions (datasets of their own, after
    /// the others; the datasets before them are the same whatever this number).
    pub series: usize,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoStats {
    /// Datasets written.
    pub datasets: usize,
    /// Of which PUBLIC / RESTRICTED / NON_PUBLIC.
    pub by_access: [usize; 3],
    /// Dataset series written (their editions are counted in `datasets`).
    pub series: usize,
}

/// The years of each generated series' editions.
pub const EDITION_YEARS: [u32; 3] = [2022, 2023, 2024];

const LEVELS: [&str; 3] = ["PUBLIC", "RESTRICTED", "NON_PUBLIC"];

/// Writes the catalogue, its shared agents and `config.datasets` datasets to `out` as Turtle.
pub fn write_turtle(config: &DemoConfig, out: &mut impl Write) -> io::Result<DemoStats> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let base = if config.base_iri.ends_with('/') {
        config.base_iri.clone()
    } else {
        format!("{}/", config.base_iri)
    };
    write_header(&mut w)?;
    write_catalog(&mut w, &base)?;
    write_reference_types(&mut w, &base)?;
    write_agents(&mut w, &base)?;
    let mut stats = DemoStats::default();
    for n in 0..config.datasets {
        let level = write_dataset(&mut w, &base, n, None, &mut rng)?;
        stats.datasets += 1;
        stats.by_access[level] += 1;
    }
    // Series draw from their own generator: the datasets above do not depend on them.
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x5e71e5);
    for k in 0..config.series {
        let (series, (topic, place, publisher)) = write_series(&mut w, &base, k, &mut rng)?;
        stats.series += 1;
        for (i, year) in EDITION_YEARS.iter().enumerate() {
            let n = config.datasets + k * EDITION_YEARS.len() + i;
            let edition = Edition {
                series: &series,
                year: *year,
                topic,
                place,
                publisher,
            };
            let level = write_dataset(&mut w, &base, n, Some(edition), &mut rng)?;
            stats.datasets += 1;
            stats.by_access[level] += 1;
        }
    }
    w.flush()?;
    Ok(stats)
}

fn write_header(w: &mut impl Write) -> io::Result<()> {
    for (p, iri) in [
        ("dcat", "http://www.w3.org/ns/dcat#"),
        ("dct", "http://purl.org/dc/terms/"),
        ("dcatap", "http://data.europa.eu/r5r/"),
        ("healthdcatap", "http://healthdataportal.eu/ns/health#"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("cv", "http://data.europa.eu/m8g/"),
        ("csvw", "http://www.w3.org/ns/csvw#"),
        ("schema", "http://schema.org/"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("eli", "http://data.europa.eu/eli/ontology#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ] {
        writeln!(w, "@prefix {p}: <{iri}> .")?;
    }
    writeln!(w)
}

/// The class of each reference value the records use (an access right is a dct:RightsStatement, a
/// language a dct:LinguisticSystem…), declared once, as the official HealthDCAT-AP example does:
/// the DCAT-AP range checks look for them.
fn write_reference_types(w: &mut impl Write, base: &str) -> io::Result<()> {
    let mut typed: Vec<(String, &str)> = vec![
        (EHDS.to_owned(), "eli:LegalResource"),
        (format!("{EU}language/FRA"), "dct:LinguisticSystem"),
        (format!("{EU}language/ENG"), "dct:LinguisticSystem"),
        (base.to_owned(), "foaf:Document"),
    ];
    typed.extend(
        LEVELS
            .iter()
            .map(|l| (format!("{EU}access-right/{l}"), "dct:RightsStatement")),
    );
    let mut countries: Vec<&str> = PLACES.iter().map(|p| p.2).collect();
    countries.dedup();
    typed.extend(
        countries
            .iter()
            .map(|c| (format!("{EU}country/{c}"), "dct:Location")),
    );
    let mut codings: Vec<&str> = TOPICS.iter().map(|t| t.2).collect();
    codings.sort_unstable();
    codings.dedup();
    typed.extend(
        codings
            .iter()
            .map(|c| (format!("{HDEU}coding-system/{c}"), "dct:Standard")),
    );
    for (code, media) in FILE_TYPES {
        typed.push((format!("{EU}file-type/{code}"), "dct:MediaTypeOrExtent"));
        typed.push((
            format!("https://www.iana.org/assignments/media-types/{media}"),
            "dct:MediaType",
        ));
    }
    for (iri, class) in typed {
        writeln!(w, "<{iri}> a {class} .")?;
    }
    writeln!(w)
}

fn write_catalog(w: &mut impl Write, base: &str) -> io::Result<()> {
    write!(
        w,
        "<{base}catalog> a dcat:Catalog ;
  dct:title \"Catalogue de démonstration healthcat\"@fr , \"healthcat demo catalogue\"@en ;
  dct:description \"Jeux de données de santé fictifs mais réalistes, générés pour découvrir healthcat.\"@fr ,
    \"Fictitious but realistic health datasets, generated to explore healthcat.\"@en ;
  dct:publisher <{base}agent/healthcat-demo> ;
  dcatap:applicableLegislation <{EHDS}> ;
  dcat:themeTaxonomy <{EU}data-theme> ;
  dct:language <{EU}language/FRA> , <{EU}language/ENG> ;
  foaf:homepage <{base}> .

<{base}agent/healthcat-demo> a foaf:Agent ;
  foaf:name \"healthcat demo\"@en , \"Démonstration healthcat\"@fr .

"
    )
}

fn agent_slug(name: &str) -> String {
    LocalId::slugify(name).map_or_else(|| "agent".to_owned(), |s| s.to_string())
}

fn write_agents(w: &mut impl Write, base: &str) -> io::Result<()> {
    for (name, kind, domain) in PUBLISHERS {
        let a = format!("{base}agent/{}", agent_slug(name));
        write!(
            w,
            "<{a}> a foaf:Agent ;
  foaf:name \"{name}\" ;
  dct:type <{HDEU}publisher-type/{kind}> ;
  cv:contactPoint <{a}/contact> .
<{a}/contact> a cv:ContactPoint ;
  cv:email \"donnees@{domain}\" ;
  cv:contactPage <https://{domain}/donnees> .

"
        )?;
    }
    for (cc, name, domain) in HDABS {
        let a = format!("{base}agent/hdab-{}", cc.to_ascii_lowercase());
        write!(
            w,
            "<{a}> a foaf:Agent ;
  foaf:name \"{name}\" ;
  dct:type <{HDEU}publisher-type/gov-public-sector-org> ;
  cv:contactPoint <{a}/contact> .
<{a}/contact> a cv:ContactPoint ;
  cv:email \"access@{domain}\" ;
  cv:contactPage <https://{domain}/access> .

"
        )?;
    }
    Ok(())
}

/// A yearly edition of a series: the series' IRI, the year it covers, and what every edition
/// of the series shares (topic, place and publisher, as indexes into the tables).
#[derive(Clone, Copy)]
struct Edition<'a> {
    series: &'a str,
    year: u32,
    topic: usize,
    place: usize,
    publisher: usize,
}

/// What a generated series is about: indexes of its topic, place and publisher.
type About = (usize, usize, usize);

/// Writes dataset series `k` (a registry published yearly); returns its IRI.
fn write_series(
    w: &mut impl Write,
    base: &str,
    k: usize,
    rng: &mut ChaCha8Rng,
) -> io::Result<(String, About)> {
    let about = (
        rng.random_range(0..TOPICS.len()),
        rng.random_range(0..PLACES.len()),
        rng.random_range(0..PUBLISHERS.len()),
    );
    let (topic_fr, topic_en, _) = TOPICS[about.0];
    let (place_fr, place_en, _) = PLACES[about.1];
    let publisher = PUBLISHERS[about.2];
    let slug = LocalId::slugify(&format!("{k:03} registre {topic_fr} {place_fr}"))
        .map_or_else(|| format!("s{k:03}"), |s| s.to_string());
    let iri = format!("{base}series/{slug}");
    if k == 0 {
        // The class of the frequency the series use, declared once (see write_reference_types).
        writeln!(w, "<{EU}frequency/ANNUAL> a dct:Frequency .")?;
    }
    write!(
        w,
        "<{iri}> a dcat:DatasetSeries ;
  dct:title \"Registre {topic_fr} – {place_fr} (éditions annuelles)\"@fr ,
    \"{} registry – {place_en} (yearly editions)\"@en ;
  dct:description \"Le registre publie chaque année une édition couvrant l'année écoulée.\"@fr ,
    \"The registry publishes an edition each year, covering the year before.\"@en ;
  dct:publisher <{base}agent/{}> ;
  dcatap:applicableLegislation <{EHDS}> ;
  dct:accrualPeriodicity <{EU}frequency/ANNUAL> .
<{base}catalog> dcat:dataset <{iri}> .

",
        capitalise(topic_en),
        agent_slug(publisher.0),
    )?;
    Ok((iri, about))
}

/// Writes one dataset (an `edition` of a series when given); returns the index of its access
/// level in [`LEVELS`].
fn write_dataset(
    w: &mut impl Write,
    base: &str,
    n: usize,
    edition: Option<Edition<'_>>,
    rng: &mut ChaCha8Rng,
) -> io::Result<usize> {
    let (mut topic_fr, mut topic_en, mut coding) = *TOPICS.choose(rng).unwrap_or(&TOPICS[0]);
    let mut kind = KINDS.choose(rng).unwrap_or(&KINDS[0]);
    let (mut place_fr, mut place_en, mut country) = *PLACES.choose(rng).unwrap_or(&PLACES[0]);
    let mut publisher = PUBLISHERS
        .iter()
        .filter(|p| country == "FRA" || !p.2.starts_with("chu") || rng.random_bool(0.1))
        .collect::<Vec<_>>()
        .choose(rng)
        .map_or(PUBLISHERS[0], |p| **p);
    // Every edition of a series is the same registry: its topic, place and publisher.
    if let Some(e) = edition {
        (topic_fr, topic_en, coding) = TOPICS[e.topic];
        (place_fr, place_en, country) = PLACES[e.place];
        publisher = PUBLISHERS[e.publisher];
        kind = KINDS.iter().find(|k| k.fr == "Registre").unwrap_or(kind);
    }
    let hdab = HDABS.iter().find(|h| h.0 == country).unwrap_or(&HDABS[0]);
    let level = match rng.random_range(0..10) {
        0 | 1 => 0,
        2..=4 => 1,
        _ => 2,
    };
    let mut start = rng.random_range(2000..2021);
    let mut end = (start + rng.random_range(1..9)).min(2025);
    if let Some(e) = edition {
        (start, end) = (e.year, e.year);
    }
    let individuals: u64 = 10f64.powf(rng.random_range(2.7..6.7)) as u64;
    let records = individuals * rng.random_range(1..25);
    let min_age = *[0u32, 0, 18, 18, 40, 65].choose(rng).unwrap_or(&0);
    let max_age = (min_age + rng.random_range(15..80)).min(110);
    let structured = rng.random_bool(0.6);
    // HealthDCAT-AP R8: hasStructuredData true requires at least one hasVariables (a CSVW data
    // dictionary); found by validating demo data against the official shapes.
    let with_dictionary = structured;

    let (title_fr, title_en) = match edition {
        Some(e) => (
            format!(
                "{} {} – {} – édition {}",
                kind.fr, topic_fr, place_fr, e.year
            ),
            format!(
                "{} {} – {} – {} edition",
                capitalise(topic_en),
                kind.en,
                place_en,
                e.year
            ),
        ),
        None => (
            format!("{} {} – {} {start}-{end}", kind.fr, topic_fr, place_fr),
            format!(
                "{} {} – {} {start}-{end}",
                capitalise(topic_en),
                kind.en,
                place_en
            ),
        ),
    };
    // The number goes first: slugs are capped in length, and the number is what keeps them unique.
    let slug = LocalId::slugify(&format!("{n:06} {} {topic_fr} {place_fr}", kind.fr))
        .map_or_else(|| format!("d{n:06}"), |s| s.to_string());
    let d = format!("{base}dataset/{slug}");
    let pub_iri = format!("{base}agent/{}", agent_slug(publisher.0));
    let hdab_iri = format!("{base}agent/hdab-{}", hdab.0.to_ascii_lowercase());
    let (kw_fr, kw_en) = *KEYWORDS.choose(rng).unwrap_or(&KEYWORDS[0]);
    let theme = HEALTH_THEMES.choose(rng).unwrap_or(&HEALTH_THEMES[0]);
    let dtype = DATASET_TYPES[usize::from(rng.random_bool(0.05))];
    let issued_m = rng.random_range(1..13);
    let issued_y = (end + 1).min(2026);
    let in_series = edition.map_or_else(String::new, |e| {
        format!(
            "  dcat:inSeries <{}> ;\n  dcat:version \"{}\" ;\n",
            e.series, e.year
        )
    });

    write!(
        w,
        "<{d}> a dcat:Dataset ;
  dct:title \"{title_fr}\"@fr , \"{title_en}\"@en ;
  dct:description \"{} ({place_fr}, {start}–{end}). Thème : {topic_fr}. Producteur : {}.\"@fr ,
    \"{} ({place_en}, {start}–{end}). Topic: {topic_en}. Producer: {}.\"@en ;
  dct:identifier \"HC-{n:07}\" ;
  dct:accessRights <{EU}access-right/{}> ;
  dcatap:applicableLegislation <{EHDS}> ;
  dcat:theme <{EU}data-theme/HEAL> ;
  healthdcatap:healthCategory <{HDEU}healthcategories/{}> ;
  healthdcatap:healthTheme <{HDEU}health-theme/{theme}> ;
  healthdcatap:hdab <{hdab_iri}> ;
  healthdcatap:hasStructuredData {structured} ;
  dct:publisher <{pub_iri}> ;
  dcat:contactPoint <{d}/contact> ;
  dcat:keyword \"{topic_fr}\"@fr , \"{topic_en}\"@en , \"{kw_fr}\"@fr , \"{kw_en}\"@en , \"{}\"@fr , \"{}\"@en ;
  dct:type <{EU}dataset-type/{dtype}> ;
  dct:provenance <{d}/provenance> ;
  dct:spatial <{EU}country/{country}> ;
  dct:temporal <{d}/period> ;
  dct:issued \"{issued_y}-{issued_m:02}-15\"^^xsd:date ;
  dct:modified \"{issued_y}-{issued_m:02}-28\"^^xsd:date ;
  dct:language <{EU}language/FRA> ;
  healthdcatap:hasCodingSystem <{HDEU}coding-system/{coding}> ;
  healthdcatap:numberOfRecords \"{records}\"^^xsd:nonNegativeInteger ;
  healthdcatap:numberOfUniqueIndividuals \"{individuals}\"^^xsd:nonNegativeInteger ;
  healthdcatap:minTypicalAge \"{min_age}\"^^xsd:nonNegativeInteger ;
  healthdcatap:maxTypicalAge \"{max_age}\"^^xsd:nonNegativeInteger ;
  healthdcatap:populationCoverage \"Personnes de {min_age} à {max_age} ans, {place_fr}\"@fr ,
    \"People aged {min_age} to {max_age}, {place_en}\"@en ;
{in_series}",
        kind.description_fr,
        publisher.0,
        kind.description_en,
        publisher.0,
        LEVELS[level],
        kind.category,
        kind.fr.to_lowercase(),
        kind.en,
    )?;
    if with_dictionary {
        writeln!(w, "  healthdcatap:hasVariables <{d}/variables> ;")?;
    }
    let n_dist = rng.random_range(1..3);
    let dists: Vec<String> = (1..=n_dist)
        .map(|i| format!("<{d}/distribution/{i}>"))
        .collect();
    writeln!(w, "  dcat:distribution {} .", dists.join(" , "))?;
    writeln!(w, "<{base}catalog> dcat:dataset <{d}> .")?;
    write!(
        w,
        "<{d}/contact> a vcard:Kind ;
  vcard:fn \"Contact {}\" ;
  vcard:hasEmail <mailto:donnees@{}> ;
  vcard:hasURL <https://{}/donnees> .
<{d}/provenance> a dct:ProvenanceStatement ;
  rdfs:label \"Données collectées par {} puis pseudonymisées avant mise à disposition.\"@fr ,
    \"Data collected by {} and pseudonymised before being made available.\"@en .
<{d}/period> a dct:PeriodOfTime ;
  dcat:startDate \"{start}-01-01\"^^xsd:date ;
  dcat:endDate \"{end}-12-31\"^^xsd:date .
",
        publisher.0, publisher.2, publisher.2, publisher.0, publisher.0,
    )?;
    for i in 1..=n_dist {
        let (ft, media) = *FILE_TYPES.choose(rng).unwrap_or(&FILE_TYPES[0]);
        write!(
            w,
            "<{d}/distribution/{i}> a dcat:Distribution ;
  dct:title \"Extraction {i} ({ft})\"@fr , \"Extract {i} ({ft})\"@en ;
  dct:description \"Accès sur autorisation de l'organisme d'accès aux données de santé.\"@fr ,
    \"Access upon permit from the health data access body.\"@en ;
  dcat:accessURL <https://{}/access/{slug}> ;
  dcatap:applicableLegislation <{EHDS}> ;
  dct:format <{EU}file-type/{ft}> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ;
  dcatap:availability <{EU}planned-availability/STABLE> .
",
            hdab.2,
        )?;
    }
    if with_dictionary {
        // A measure chosen by topic, beside age, sex and diagnosis.
        let topic = TOPICS.iter().position(|t| t.0 == topic_fr).unwrap_or(0);
        let (m_name, m_title_fr, m_title_en, m_desc_fr, m_desc_en, m_type, unit) =
            MEASURES[topic % MEASURES.len()];
        let m_unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" ; schema:unitText \"{unit}\"")
        };
        write!(
            w,
            "<{d}/variables> a csvw:TableGroup ;
  dct:title \"Dictionnaire des variables\"@fr , \"Data dictionary\"@en ;
  csvw:table <{d}/variables/main> .
<{d}/variables/main> a csvw:Table ;
  dct:title \"Table principale\"@fr , \"Main table\"@en ;
  csvw:column <{d}/variables/main/age> , <{d}/variables/main/sex> , <{d}/variables/main/diagnosis> ,
    <{d}/variables/main/{m_name}> .
<{d}/variables/main/{m_name}> a csvw:Column ; csvw:name \"{m_name}\" ; csvw:title \"{m_title_fr}\"@fr , \"{m_title_en}\"@en ;
  dct:description \"{m_desc_fr}\"@fr , \"{m_desc_en}\"@en ; csvw:datatype \"{m_type}\"{m_unit} .
<{d}/variables/main/age> a csvw:Column ; csvw:name \"age\" ; csvw:title \"Âge\"@fr , \"Age\"@en ;
  dct:description \"Âge à l'inclusion, en années\"@fr , \"Age at inclusion, in years\"@en ; csvw:datatype \"integer\" .
<{d}/variables/main/sex> a csvw:Column ; csvw:name \"sex\" ; csvw:title \"Sexe\"@fr , \"Sex\"@en ;
  dct:description \"Sexe déclaré\"@fr , \"Declared sex\"@en ; csvw:datatype \"string\" .
<{d}/variables/main/diagnosis> a csvw:Column ; csvw:name \"diagnosis\" ; csvw:title \"Diagnostic\"@fr , \"Diagnosis\"@en ;
  dct:description \"Diagnostic principal ({coding})\"@fr , \"Main diagnosis ({coding})\"@en ; csvw:datatype \"string\" .
"
        )?;
    }
    writeln!(w)?;
    Ok(level)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(n: usize, seed: u64) -> (Vec<u8>, DemoStats) {
        let mut out = Vec::new();
        let cfg = DemoConfig {
            datasets: n,
            seed,
            base_iri: "https://catalogue.example.org/".into(),
            series: 0,
        };
        let stats = write_turtle(&cfg, &mut out).unwrap();
        (out, stats)
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        assert_eq!(generate(50, 1).0, generate(50, 1).0);
        assert_ne!(generate(50, 1).0, generate(50, 2).0);
    }

    #[test]
    fn dataset_iris_are_unique() {
        let (out, _) = generate(3000, 4);
        let text = String::from_utf8(out).unwrap();
        let mut iris: Vec<&str> = text
            .lines()
            .filter(|l| l.ends_with("> a dcat:Dataset ;"))
            .collect();
        let n = iris.len();
        iris.sort_unstable();
        iris.dedup();
        assert_eq!((n, iris.len()), (3000, 3000));
    }

    #[test]
    fn every_access_level_occurs() {
        let (_, stats) = generate(200, 3);
        assert!(stats.by_access.iter().all(|&n| n > 10), "{stats:?}");
    }

    #[test]
    fn series_come_after_the_datasets_with_three_yearly_editions() {
        let cfg = |series| DemoConfig {
            datasets: 20,
            seed: 5,
            base_iri: "https://catalogue.example.org/".into(),
            series,
        };
        let (mut plain, mut with) = (Vec::new(), Vec::new());
        write_turtle(&cfg(0), &mut plain).unwrap();
        let stats = write_turtle(&cfg(2), &mut with).unwrap();
        assert_eq!((stats.datasets, stats.series), (26, 2));
        // The datasets before the series are the same bytes.
        assert!(with.starts_with(&plain[..plain.len() - 1]));
        let text = String::from_utf8(with).unwrap();
        assert_eq!(text.matches("a dcat:DatasetSeries").count(), 2);
        assert_eq!(text.matches("dcat:inSeries <").count(), 6);
        assert_eq!(text.matches("dcat:version \"2023\"").count(), 2);
    }
}
