//! The 27 elements: the data file against the annex table of the reference material, and each
//! status on hand-made records.

use super::*;
use oxrdf::NamedNode;

fn graph(ttl: &str) -> Graph {
    let text = format!(
        "@prefix dct: <http://purl.org/dc/terms/> .\n\
         @prefix dcat: <http://www.w3.org/ns/dcat#> .\n\
         @prefix hd: <http://healthdataportal.eu/ns/health#> .\n\
         @prefix dpv: <https://w3id.org/dpv#> .\n\
         @prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .\n{ttl}"
    );
    crate::test_graph(&text)
}

fn checked(ttl: &str) -> Vec<Element> {
    let g = graph(ttl);
    let ds = NamedNode::new_unchecked("https://ex.org/ds");
    check(&g, ds.as_ref().into(), &rules())
}

fn of<'a>(e: &'a [Element], key: &str) -> &'a Element {
    e.iter().find(|e| e.key == key).unwrap()
}

#[test]
fn twenty_seven_elements_in_order_each_named_in_every_language() {
    let rules = rules();
    assert_eq!(rules.len(), 27);
    for (i, r) in rules.iter().enumerate() {
        assert_eq!(r.number as usize, i + 1);
        assert!(NamedNodeRef::new(&r.property).is_ok(), "{}", r.property);
        for lang in ["en", "fr"] {
            let key = format!("element.{}", r.key);
            assert_ne!(crate::messages::fill(lang, &key, &[]), key, "{lang}");
            for u in &r.unless {
                let key = format!("reason.{}", u.reason);
                assert_ne!(crate::messages::fill(lang, &key, &[]), key, "{lang}");
            }
        }
    }
}

/// The annex table of `../shared/reference/mqa/README.md` (number, "cond.", property) gives the
/// same elements as `quality/minimum-elements.toml`.
#[test]
fn the_elements_are_those_of_the_reference_table() {
    let Some(reference) = healthcat_testkit::reference_dir("the 2026/2098 element comparison")
    else {
        return;
    };
    let text = std::fs::read_to_string(reference.join("mqa").join("README.md")).unwrap();
    let prefixes = [
        ("dct:", "http://purl.org/dc/terms/"),
        ("dcat:", "http://www.w3.org/ns/dcat#"),
        ("dcatap:", "http://data.europa.eu/r5r/"),
        ("healthdcatap:", "http://healthdataportal.eu/ns/health#"),
        ("geodcatap:", "http://data.europa.eu/930/"),
        ("dpv:", "https://w3id.org/dpv#"),
        ("prov:", "http://www.w3.org/ns/prov#"),
    ];
    let expand = |curie: &str| {
        prefixes
            .iter()
            .find_map(|(p, ns)| curie.strip_prefix(p).map(|l| format!("{ns}{l}")))
            .unwrap_or_else(|| panic!("unknown prefix in {curie}"))
    };
    // Rows like `| 1 | access rights | `dct:accessRights` | 15 | identifier | `dct:identifier` |`.
    let mut table = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        for pair in cells.chunks(3) {
            if let [n, name, prop] = pair
                && let Ok(n) = n.parse::<u32>()
            {
                let prop = expand(prop.trim_matches('`'));
                table.push((n, name.contains("(cond.)"), prop));
            }
        }
    }
    table.sort();
    let ours: Vec<_> = rules()
        .into_iter()
        .map(|r| (r.number, r.conditional, r.property))
        .collect();
    assert_eq!(table, ours);
}

#[test]
fn present_absent_and_not_applicable_with_why() {
    let e = checked(
        "<https://ex.org/ds> a dcat:Dataset ; dct:title \"T\"@en ; dct:accessRights ar:PUBLIC ;\n\
           hd:hasStructuredData false ; dpv:hasPersonalData \"false\"^^<http://www.w3.org/2001/XMLSchema#boolean> ;\n\
           dcat:keyword \"a\", \"b\" .",
    );
    assert_eq!(e.len(), 27);
    let title = of(&e, "title");
    assert_eq!((title.presence, title.values), (Presence::Present, 1));
    assert_eq!(of(&e, "keyword").values, 2);
    // Required by the annex, absent: no reason to excuse it.
    let description = of(&e, "description");
    assert_eq!(
        (description.presence, description.reason.as_deref()),
        (Presence::Absent, None)
    );
    // Public data has no HDAB; no structured data has no coding system, code values or count of
    // records; no personal data has no count of individuals.
    for (key, reason) in [
        ("hdab", "reason.public"),
        ("coding_system", "reason.not_structured"),
        ("code_values", "reason.not_structured"),
        ("number_of_records", "reason.not_structured"),
        ("number_of_unique_individuals", "reason.no_personal_data"),
    ] {
        let el = of(&e, key);
        assert_eq!(
            (el.presence, el.reason.as_deref()),
            (Presence::NotApplicable, Some(reason)),
            "{key}"
        );
    }
    // Conditional with nothing to decide it: absent, required where applicable.
    let spatial = of(&e, "geographical_coverage");
    assert_eq!(
        (spatial.presence, spatial.reason.as_deref()),
        (Presence::Absent, Some("reason.conditional"))
    );
}

#[test]
fn non_public_structured_data_needs_its_hdab_and_coding() {
    let e = checked(
        "<https://ex.org/ds> a dcat:Dataset ; dct:accessRights ar:NON_PUBLIC ; hd:hasStructuredData true .",
    );
    for key in [
        "hdab",
        "coding_system",
        "code_values",
        "number_of_records",
        "number_of_unique_individuals",
    ] {
        assert_eq!(of(&e, key).presence, Presence::Absent, "{key}");
    }
    // A value given while the exemption holds is still present.
    let e = checked(
        "<https://ex.org/ds> a dcat:Dataset ; dct:accessRights ar:PUBLIC ; hd:hdab <https://ex.org/hdab> .",
    );
    assert_eq!(of(&e, "hdab").presence, Presence::Present);
}
