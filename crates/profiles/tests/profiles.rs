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
