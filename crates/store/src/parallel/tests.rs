//! The parallel parser against the sequential one: the same triples, blank nodes and errors
//! for every cut, on generated and hostile documents.

use super::*;
use crate::canon::canonical_hash;
use crate::parse::{ParseOptions, parse_document};

/// A document written to fool a cutter: statements whose lines end in `.` inside multi-line
/// strings and comments, a prefix redefined and a base set mid-document, blank-node labels shared
/// far apart, nested brackets and lists across lines, decimals ending lines.
const TRICKY: &str = r#"@prefix ex: <http://example.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
ex:a dct:title "one" .
_:shared ex:p ex:a .
ex:b dct:description """A long text.
ex:fake ex:p ex:q .
<http://example.org/also-fake> ex:p "x" .
It ends here.""" .
ex:c ex:p ex:d ; # a comment that ends a line with a period.
    ex:q ex:r .
ex:e ex:list ( ex:f
    ex:g ) ;
    ex:n [ ex:x 1.5 ;
           ex:y 2.0 ] .
# a whole comment line.
ex:h ex:p "short" .
@prefix ex: <http://example.org/other/> .
ex:i ex:p ex:j .
@base <http://base.example/> .
<relative> ex:p <other> .
ex:k ex:p '''single
quoted.
''' .
ex:l ex:p _:shared .
"#;

fn sequential(text: &str, format: Format) -> String {
    let doc = parse_document(
        text.as_bytes(),
        format,
        "test",
        &ParseOptions {
            base_iri: Some("http://given.example/".into()),
            ..ParseOptions::default()
        },
    )
    .unwrap();
    canonical_hash(doc.graph.iter()).unwrap()
}

fn hash(mut graph: DocGraph) -> String {
    graph.seal();
    canonical_hash(graph.iter()).unwrap()
}

fn line_ends(text: &str) -> Vec<usize> {
    text.match_indices('\n')
        .map(|(i, _)| i + 1)
        .filter(|&i| i < text.len())
        .collect()
}

#[test]
fn a_cut_at_any_line_gives_the_sequential_graph_or_nothing() {
    let expected = sequential(TRICKY, Format::Turtle);
    let ends = line_ends(TRICKY);
    let mut accepted = 0;
    // Every single cut and every pair of cuts, whether or not the line ends in a period.
    for (i, &a) in ends.iter().enumerate() {
        for cuts in std::iter::once(vec![a]).chain(ends[i + 1..].iter().map(|&b| vec![a, b])) {
            if let Some(graph) = turtle(TRICKY.as_bytes(), Some("http://given.example/"), &cuts) {
                assert_eq!(hash(graph), expected, "cut at {cuts:?}");
                accepted += 1;
            }
        }
    }
    // The cuts between plain statements before the first redefinition must be taken: a check
    // that always refused would pass the assertion above and make nothing faster.
    assert!(accepted >= 3, "only {accepted} cuts were accepted");
}

#[test]
fn a_cut_inside_a_long_string_is_refused() {
    let cut = TRICKY.find("ex:fake").unwrap();
    assert!(turtle(TRICKY.as_bytes(), None, &[cut]).is_none());
}

#[test]
fn a_prefix_redefined_before_a_cut_is_refused() {
    let cut = TRICKY.find("ex:i ex:p").unwrap();
    assert!(turtle(TRICKY.as_bytes(), None, &[cut]).is_none());
}

#[test]
fn the_cutter_only_cuts_after_a_final_period() {
    let text = "ex:a ex:b ex:c ;\n  ex:d ex:e .   \nex:f ex:g ex:h .\n";
    let cut = next_cut(text.as_bytes(), 0, true).unwrap();
    assert_eq!(&text[cut..], "ex:f ex:g ex:h .\n");
}

/// A generated catalogue large enough to be cut: the whole path gives the sequential graph,
/// blank nodes (contact points, periods) included.
#[test]
fn a_large_document_parses_in_pieces_as_it_does_whole() {
    let mut text = String::from(
        "@prefix ex: <http://example.org/> .\n@prefix dct: <http://purl.org/dc/terms/> .\n",
    );
    let mut i = 0;
    while text.len() < MIN_BYTES * 2 {
        text.push_str(&format!(
            "ex:d{i} dct:title \"Dataset {i}\"@en ;\n    ex:contact _:c{} ;\n    ex:period [ ex:start \"2020\" ] .\n_:c{} ex:name \"Contact {}\" .\n",
            i % 7,
            i % 7,
            i % 7
        ));
        i += 1;
    }
    let expected = sequential(&text, Format::Turtle);
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        eprintln!("one core: the parallel path is not taken here");
        return;
    }
    let graph = parse(
        text.as_bytes(),
        Format::Turtle,
        Some("http://given.example/"),
    )
    .expect("a plain generated document is cut");
    assert_eq!(hash(graph), expected);

    let nt: String = {
        let doc = parse_document(
            text.as_bytes(),
            Format::Turtle,
            "t",
            &ParseOptions::default(),
        )
        .unwrap();
        let mut out = Vec::new();
        crate::export::write_triples(doc.graph.iter(), &mut out, Format::NTriples).unwrap();
        String::from_utf8(out).unwrap()
    };
    let graph = parse(nt.as_bytes(), Format::NTriples, None).expect("N-Triples is cut");
    assert_eq!(hash(graph), sequential(&nt, Format::NTriples));
}

#[test]
fn oxttl_reports_a_statement_cut_short() {
    // The module's argument rests on this: a piece ending inside a statement is an error.
    for text in [
        "<http://a> <http://b> <http://c> ;\n",
        "<http://a> <http://b> <http://c>\n",
        "<http://a> <http://b> ( <http://c>\n",
        "<http://a> <http://b> [ <http://c> <http://d>\n",
        "<http://a> <http://b> \"\"\"text.\n",
        "<http://a> <http://b> <http://c> , \n",
        "@prefix ex: <http://example.org/>\n",
    ] {
        let errors = TurtleParser::new()
            .for_slice(text.as_bytes())
            .filter(Result::is_err)
            .count();
        assert!(errors > 0, "no error for {text:?}");
    }
}

/// A large document with a syntax error far from its start: the parallel path gives up and the
/// error names the document's true line, not a line within a piece.
#[test]
fn an_error_in_a_large_document_names_its_true_line() {
    let mut text = String::from("@prefix ex: <http://example.org/> .\n");
    let mut lines = 1;
    while text.len() < MIN_BYTES * 2 {
        text.push_str(&format!("ex:d{lines} ex:title \"Dataset {lines}\" .\n"));
        lines += 1;
    }
    text.push_str("ex:broken ex:title \"unterminated .\n");
    let err = crate::parse::parse_slice(
        text.as_bytes(),
        Format::Turtle,
        "big.ttl",
        &ParseOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with(&format!("big.ttl:{}:", lines + 1)),
        "{err} (expected line {})",
        lines + 1
    );
}

/// Random documents of the statements a cutter can trip on, cut at random lines: the pieces give
/// the sequential parser's graph, or the cut is refused — never another graph.
mod props {
    use super::*;
    use proptest::prelude::*;

    fn statement() -> impl Strategy<Value = String> {
        prop_oneof![
            (0..6u8, 0..4u8, 0..6u8).prop_map(|(s, p, o)| format!("ex:s{s} ex:p{p} ex:o{o} .\n")),
            (0..6u8, "[a-z .;#\\[\\]()]{0,16}")
                .prop_map(|(s, t)| format!("ex:s{s} ex:t \"{t}\" .\n")),
            (0..6u8, "[a-z .;#\n]{0,30}")
                .prop_map(|(s, t)| format!("ex:s{s} ex:long \"\"\"{t}\"\"\" .\n")),
            (0..6u8, "[a-z .\n]{0,20}")
                .prop_map(|(s, t)| format!("ex:s{s} ex:single '''{t}''' .\n")),
            (0..6u8, 0..4u8).prop_map(|(s, b)| format!("_:b{b} ex:p ex:s{s} .\n")),
            (0..6u8).prop_map(|s| format!(
                "ex:s{s} ex:list ( ex:a\n  ex:b ) ;\n  ex:n [ ex:x 1.5 ;\n    ex:y 2.0 ] .\n"
            )),
            (0..6u8).prop_map(|s| format!(
                "ex:s{s} ex:p ex:a ; # a comment ending a line.\n  ex:q 3 .\n"
            )),
            Just("# a whole comment line.\n".to_owned()),
            (0..3u8).prop_map(|i| format!("@prefix ex: <http://example.org/v{i}/> .\n")),
            (0..3u8).prop_map(|i| format!("@base <http://base{i}.example/> .\n<r> ex:p <o> .\n")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_cut_gives_the_sequential_graph_or_nothing(
            statements in prop::collection::vec(statement(), 1..40),
            picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        ) {
            let text = format!("@prefix ex: <http://example.org/> .\nex:first ex:p ex:o .\n{}", statements.concat());
            let ends = line_ends(&text);
            prop_assume!(!ends.is_empty());
            let mut cuts: Vec<usize> = picks.iter().map(|i| ends[i.index(ends.len())]).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let expected = sequential(&text, Format::Turtle);
            if let Some(graph) = turtle(text.as_bytes(), Some("http://given.example/"), &cuts) {
                prop_assert_eq!(hash(graph), expected, "cuts {:?} of\n{}", cuts, text);
            }
        }
    }
}
