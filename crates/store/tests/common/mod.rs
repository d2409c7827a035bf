//! What the store's tests share.

use healthcat_store::{Format, ParseOptions, Source, Store, parse_document, split};

/// Imports the Turtle `text` into `store` as the local file `doc.ttl`.
pub fn import_turtle(store: &Store, text: &str) {
    let parsed = parse_document(
        text.as_bytes(),
        Format::Turtle,
        "doc.ttl",
        &ParseOptions::default(),
    )
    .unwrap();
    store
        .import_units(
            &parsed.graph,
            &split(&parsed.graph).unwrap(),
            &Source::local_file("doc.ttl"),
        )
        .unwrap();
}
