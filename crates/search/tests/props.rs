//! Whatever a visitor types — quotes left open, operators, control characters, any script — and
//! whatever paging and filters a request carries, a search answers or says why; it never
//! panics.

use healthcat_model::LocalId;
use healthcat_search::{SearchIndex, SearchRequest, Sort};
use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, split};
use proptest::prelude::*;
use std::sync::OnceLock;

const DATA: &str = r#"
<https://ex.org/d/one> a <http://www.w3.org/ns/dcat#Dataset> ;
  <http://purl.org/dc/terms/title> "Registre des cancers du sein"@fr , "Breast cancer registry"@en ;
  <http://purl.org/dc/terms/description> "Tous les cancers « diagnostiqués »."@fr ;
  <http://www.w3.org/ns/dcat#keyword> "cancer"@fr .
<https://ex.org/d/two> a <http://www.w3.org/ns/dcat#Dataset> ;
  <http://purl.org/dc/terms/title> "Enquête santé 2024"@fr ;
  <http://www.w3.org/ns/dcat#keyword> "enquête"@fr , "C++"@en .
"#;

fn index() -> &'static (Store, SearchIndex) {
    static INDEX: OnceLock<(Store, SearchIndex)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let store = Store::in_memory().unwrap();
        let doc = parse_document(
            DATA.as_bytes(),
            Format::Turtle,
            "d.ttl",
            &ParseOptions::default(),
        )
        .unwrap();
        let report = store
            .import_units(
                &doc.graph,
                &split(&doc.graph).unwrap(),
                &Source::local_file("d.ttl"),
            )
            .unwrap();
        let ids: Vec<LocalId> = report
            .records
            .iter()
            .map(|r| LocalId::new(&r.id).unwrap())
            .collect();
        let index = SearchIndex::in_memory().unwrap();
        index.refresh(&store, &ids).unwrap();
        (store, index)
    })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\"'()\\[\\]{}+\\-!:^~*?\\\\/&|<> a-zé«»0-9]{0,40}",
        Just("\"cancer".to_owned()),
        Just("cancer\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("-".to_owned()),
        Just("title:".to_owned()),
        Just("*:*".to_owned()),
        Just("\u{0}".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn any_request_is_answered_or_refused_never_a_panic(
        q in text(),
        page in prop_oneof![Just(0usize), 1..5usize, Just(usize::MAX)],
        per_page in prop_oneof![Just(0usize), 1..200usize, Just(usize::MAX)],
        facet in "[a-z_]{0,12}",
        value in any::<String>(),
        sort in prop_oneof![Just(Sort::Relevance), Just(Sort::Modified), Just(Sort::Title)],
        typo in 0..8usize,
        ages in (any::<Option<u64>>(), any::<Option<u64>>()),
    ) {
        let (_, index) = index();
        let request = SearchRequest {
            q,
            filters: vec![(facet, vec![value])],
            age_min: ages.0,
            age_max: ages.1,
            sort,
            page,
            per_page,
            typo_min_chars: typo,
            ..SearchRequest::default()
        };
        let _ = index.search(&request);
        let _ = index.matching_ids(&request);
    }
}
