#!/usr/bin/env python3
"""Builds the code lists bundled with healthcat's profiles (shapes/vocabularies/*.ttl).

Run by hand when a source changes, with the oracle venv plus pycountry:
    $VENV/bin/pip install pycountry && $VENV/bin/python shapes/vocabularies/build.py ../shared/reference

Each output file holds one concept scheme, reduced to what validation and display need: the scheme
(skos:ConceptScheme, dct:title) and each concept (skos:Concept, skos:inScheme, skos:notation, and
skos:prefLabel in English and French when the source has them; a missing French label stays
missing — the interface falls back to English, it never invents one). Sources and their versions
are listed in shapes/vocabularies/README.md.
"""
import gettext
import os
import sys

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DC, DCTERMS, RDF, SKOS

EU = "http://publications.europa.eu/resource/authority/"
HDEU = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
ADMS = "http://purl.org/adms/"

# scheme IRI -> (output file, English title, French title)
SCHEMES = {
    EU + "access-right": ("access-right", "Access right", "Droit d'accès"),
    EU + "data-theme": ("data-theme", "Data theme", "Thème de données"),
    EU + "dataset-type": ("dataset-type", "Dataset type", "Type de jeu de données"),
    EU + "frequency": ("frequency", "Frequency", "Fréquence"),
    EU + "file-type": ("file-type", "File type", "Type de fichier"),
    EU + "distribution-status": ("distribution-status", "Distribution status", "Statut de distribution"),
    EU + "planned-availability": ("planned-availability", "Planned availability", "Disponibilité prévue"),
    EU + "continent": ("continent", "Continent", "Continent"),
    EU + "country": ("country", "Country", "Pays"),
    EU + "language": ("language", "Language", "Langue"),
    ADMS + "licencetype/1.0": ("adms-licence-type", "Licence type", "Type de licence"),
    ADMS + "publishertype/1.0": ("adms-publisher-type", "Publisher type (ADMS)", "Type d'éditeur (ADMS)"),
    ADMS + "status/1.0": ("adms-status", "Status", "Statut"),
    HDEU + "healthcategories": ("health-category", "Health data category", "Catégorie de données de santé"),
    HDEU + "health-theme": ("health-theme", "Health theme", "Thème de santé"),
    HDEU + "health-activity": ("health-activity", "Health activity", "Activité de santé"),
    HDEU + "coding-system": ("coding-system", "Coding system", "Système de codage"),
    HDEU + "standard": ("standard", "Standard", "Norme"),
    HDEU + "publisher-type": ("publisher-type", "Publisher type", "Type d'éditeur"),
}

# French labels for lists whose only copy here has none (translated by the healthcat authors).
FRENCH = {
    EU + "access-right/PUBLIC": "public",
    EU + "access-right/RESTRICTED": "restreint",
    EU + "access-right/NON_PUBLIC": "non public",
    EU + "access-right/SENSITIVE": "sensible",
    EU + "access-right/CONFIDENTIAL": "confidentiel",
    EU + "access-right/NORMAL": "normal",
    EU + "planned-availability/AVAILABLE": "disponible",
    EU + "planned-availability/EXPERIMENTAL": "expérimental",
    EU + "planned-availability/STABLE": "stable",
    EU + "planned-availability/TEMPORARY": "temporaire",
    EU + "planned-availability/OP_DATPRO": "données provisoires",
}


def sources(ref):
    v = os.path.join(ref, "vocabularies")
    cat = os.path.join(ref, "healthdcat-ap/release-8/validator/catalogue")
    out = [os.path.join(cat, f) for f in sorted(os.listdir(cat))]
    out += [os.path.join(v, "semic-dcat-ap_shacl-resources", f)
            for f in sorted(os.listdir(os.path.join(v, "semic-dcat-ap_shacl-resources")))]
    out += [os.path.join(v, "fdk-reference-data-extracts", f)
            for f in sorted(os.listdir(os.path.join(v, "fdk-reference-data-extracts")))
            if f.endswith(".ttl")]
    return out


def scheme_of(g, c):
    for s in g.objects(c, SKOS.inScheme):
        if str(s) in SCHEMES:
            return str(s)
    # Extracts without skos:inScheme (file types): the scheme is the IRI's parent.
    parent = str(c).rsplit("/", 1)[0]
    return parent if parent in SCHEMES else None


def collect(ref):
    concepts = {}  # iri -> {"scheme", "en", "fr", "notation"}
    for path in sources(ref):
        g = Graph()
        g.parse(path, format="xml" if path.endswith(".rdf") else "turtle")
        subjects = set(g.subjects(SKOS.inScheme, None)) | set(g.subjects(RDF.type, None))
        for c in subjects:
            if not isinstance(c, URIRef):
                continue
            scheme = scheme_of(g, c)
            if scheme is None or str(c) == scheme:
                continue
            entry = concepts.setdefault(str(c), {"scheme": scheme})
            for label in g.objects(c, SKOS.prefLabel):
                if isinstance(label, Literal) and label.language in ("en", "fr"):
                    entry.setdefault(label.language, str(label))
            notation = next(iter(g.objects(c, DC.identifier)), None) or next(
                iter(g.objects(c, SKOS.notation)), None)
            if notation is not None:
                entry.setdefault("notation", str(notation))
    return concepts


def iso(concepts):
    """Languages and countries, which no copy here holds: from the ISO tables of pycountry."""
    import pycountry
    loc = pycountry.LOCALES_DIR
    fr_lang = gettext.translation("iso639-3", loc, languages=["fr"])
    fr_country = gettext.translation("iso3166-1", loc, languages=["fr"])
    for lang in pycountry.languages:
        # The EU language list covers the languages with a two- or three-letter bibliographic code.
        # The EU list uses the ISO 639-3 (terminology) code, upper-cased: FRA, DEU, ENG. It covers the
        # languages of ISO 639-1/639-2 and the special codes (MUL, UND, ZXX, MIS).
        special = getattr(lang, "type", "") == "S"
        if not (hasattr(lang, "alpha_2") or hasattr(lang, "bibliographic") or special):
            continue
        code = lang.alpha_3.upper()
        concepts[EU + "language/" + code] = {
            "scheme": EU + "language", "en": lang.name, "fr": fr_lang.gettext(lang.name),
            "notation": code}
    for country in pycountry.countries:
        code = country.alpha_3
        concepts[EU + "country/" + code] = {
            "scheme": EU + "country", "en": country.name, "fr": fr_country.gettext(country.name),
            "notation": code}


def lit(s, lang=None):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{s}"@{lang}' if lang else f'"{s}"'


def write(out_dir, concepts):
    for scheme, (name, en, fr) in SCHEMES.items():
        members = sorted(c for c, e in concepts.items() if e["scheme"] == scheme)
        lines = [
            "# Generated by shapes/vocabularies/build.py; do not edit by hand.",
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
            "@prefix dct: <http://purl.org/dc/terms/> .",
            "",
            f"<{scheme}> a skos:ConceptScheme ; dct:title {lit(en, 'en')}, {lit(fr, 'fr')} .",
            "",
        ]
        for c in members:
            e = concepts[c]
            fr_label = e.get("fr") or FRENCH.get(c)
            props = [f"skos:inScheme <{scheme}>"]
            if "notation" in e:
                props.append(f"skos:notation {lit(e['notation'])}")
            labels = []
            if "en" in e:
                labels.append(lit(e["en"], "en"))
            if fr_label:
                labels.append(lit(fr_label, "fr"))
            if not labels and "notation" in e:
                # No label in any copy (file types): the code itself, in no language, is the label.
                labels.append(lit(e["notation"]))
            if labels:
                props.append("skos:prefLabel " + ", ".join(labels))
            lines.append(f"<{c}> a skos:Concept ;\n    " + " ;\n    ".join(props) + " .")
        with open(os.path.join(out_dir, name + ".ttl"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{name}: {len(members)} concepts", file=sys.stderr)


def main():
    ref = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference"
    concepts = collect(ref)
    iso(concepts)
    write(os.path.dirname(os.path.abspath(__file__)), concepts)


if __name__ == "__main__":
    main()
