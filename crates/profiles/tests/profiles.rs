//! Loading profiles: the bundled ones compile, and a broken folder profile is refused with the file
//! and the problem named.

use healthcat_profiles::{Options, Profile, ProfileError};
use oxrdf::{NamedNode, Triple};

#[test]
fn bundled_profiles_compile_with_their_code_lists_and_levels() {
    for name in Profile::builtin_names() {
        let p = Profile::builtin(name).unwrap();
        assert!(p.shapes().len() > 50, "{name}: {} shapes", p.shapes().len());
        assert!(p.background().len() > 1000, "{name}: code lists missing");
    }
    let r8 = Profile::builtin("healthdcat-ap-r8").unwrap();
    assert_eq!(r8.level_names(), ["public", "restricted", "non-public"]);
    let public = NamedNode::new_unchecked(
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
    );
    assert_eq!(r8.level_for(Some(public.as_ref())).unwrap().name, "public");
    assert_eq!(r8.level_for(None).unwrap().name, "non-public");
    assert!(
        Profile::builtin("dcat-ap-3")
            .unwrap()
            .level_names()
            .is_empty()
    );
}

#[test]
fn unknown_names_and_broken_folders_are_explained() {
    let e = Profile::builtin("healthdcat-ap-r9").unwrap_err();
    assert!(e.to_string().contains("healthdcat-ap-r8"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mine");
    std::fs::create_dir(&p).unwrap();
    std::fs::write(
        p.join("profile.toml"),
        "name = \"mine\"\ntitle = \"Mine\"\nversion = \"1\"\nshapes = [\"core.ttl\"]\n",
    )
    .unwrap();
    let e = Profile::load(&p).unwrap_err();
    assert!(
        matches!(e, ProfileError::File { .. }) && e.to_string().contains("core.ttl"),
        "{e}"
    );

    std::fs::write(
        p.join("core.ttl"),
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:minCount .\n",
    )
    .unwrap();
    let e = Profile::load(&p).unwrap_err();
    assert!(
        e.to_string().contains("mine/core.ttl") && e.to_string().contains("Turtle"),
        "{e}"
    );

    std::fs::write(
        p.join("core.ttl"),
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ; sh:property [ sh:path <urn:p> ; sh:minCount \"x\" ] .\n",
    )
    .unwrap();
    let e = Profile::load(&p).unwrap_err();
    assert!(
        matches!(e, ProfileError::Shapes { .. }) && e.to_string().contains("minCount"),
        "{e}"
    );

    std::fs::write(
        p.join("profile.toml"),
        "name = \"mine\"\ntitle = \"Mine\"\nversion = \"1\"\nshapes = []\ndocument_shapes = [\"urn:nope\"]\n",
    )
    .unwrap();
    let e = Profile::load(&p).unwrap_err();
    assert!(e.to_string().contains("no shape <urn:nope>"), "{e}");
}

#[test]
fn only_the_code_lists_a_document_reaches_are_added() {
    let r8 = Profile::builtin("healthdcat-ap-r8").unwrap();
    let d = NamedNode::new_unchecked("https://ex.org/d");
    let cat = NamedNode::new_unchecked(
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/EHRS",
    );
    let data = [Triple::new(
        d,
        NamedNode::new_unchecked("http://healthdataportal.eu/ns/health#healthCategory"),
        cat,
    )];
    let refs: Vec<_> = data.iter().map(Triple::as_ref).collect();
    let added = r8.background().closure(&refs);
    // The concept (type, scheme, notation, labels) and its scheme (type, titles): a handful.
    assert!(added.len() >= 6 && added.len() < 20, "{added:#?}");
    // An unknown level is a failure of the report, never silently ignored.
    let report = r8.validate(
        &refs,
        &Options {
            level: Some("secret".into()),
            skip_document_shapes: true,
        },
    );
    assert!(!report.conforms && report.failures[0].contains("secret"));
}

/// `validate_interned` (a parsed file's own interned terms) and `validate` (triples) must give
/// the same report: the CLI uses the first, the web and import paths the second.
#[test]
fn a_document_interned_by_its_parser_gets_the_same_report() {
    let r8 = Profile::builtin("healthdcat-ap-r8").unwrap();
    let text = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix health: <http://healthdataportal.eu/ns/health#> .
        <https://ex.org/d> a dcat:Dataset ;
            dct:title "Cohort"@en ;
            dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
            health:healthCategory
                <https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/EHRS>,
                <https://ex.org/not-a-code> ;
            dcat:contactPoint [ dct:title "nobody" ] ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "not a date" ] .
        <https://ex.org/e> a dcat:Dataset ; dct:publisher [ a <http://xmlns.com/foaf/0.1/Agent> ] .
    "#;
    let triples: Vec<Triple> = oxttl::TurtleParser::new()
        .for_slice(text)
        .collect::<Result<_, _>>()
        .unwrap();
    let refs: Vec<_> = triples.iter().map(Triple::as_ref).collect();
    let options = Options::default();
    let plain = r8.validate(&refs, &options);

    let mut terms = healthcat_shacl::Terms::default();
    let mut ids: Vec<[u32; 3]> = triples
        .iter()
        .map(|t| {
            [
                t.subject.clone().into(),
                t.predicate.clone().into(),
                t.object.clone(),
            ]
            .map(|term| terms.insert_full(term).0 as u32)
        })
        .collect();
    ids.sort_unstable();
    let interned = r8.validate_interned(terms, ids, &options);

    let keys = |report: &healthcat_shacl::ValidationReport| {
        let mut k: Vec<_> = r8
            .summaries(report, "en")
            .into_iter()
            .map(|s| {
                let blank = |t: String| if t.starts_with("_:") { "_:".into() } else { t };
                (
                    blank(s.focus),
                    s.path,
                    s.component,
                    s.value.map(blank),
                    s.explanation,
                )
            })
            .collect();
        k.sort();
        k
    };
    assert!(plain.results.len() > 5, "{:#?}", plain.results);
    assert_eq!(keys(&plain), keys(&interned));
}
