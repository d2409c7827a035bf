//! The index schema and its analysers.
//!
//! Text is indexed three times per property: French (lower-case, Snowball French stemming, accents
//! folded), English (the same with English stemming) and "other" (lower-case, accents folded) for
//! literals in any other or no language. A query is analysed by each field's own analyser and
//! searches all of them, so "études" finds "etude" and "cohorts" finds "cohort".

use crate::stem::{CachedStemmer, Lang};
use tantivy::Index;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// The facets: (request parameter and field name, what it is).
pub const FACETS: &[&str] = &[
    "theme",
    "health_category",
    "health_theme",
    "publisher",
    "access_rights",
    "format",
    "license",
    "language",
    "coding_system",
    "spatial",
    "source",
    "quality",
    "ehds_label",
    "series",
];

/// Languages with their own analyser; everything else goes to `other`.
pub const LANGS: [&str; 3] = ["fr", "en", "other"];

/// The fields of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub iri: Field,
    pub kind: Field,
    pub hash: Field,
    /// title, description, keywords × fr, en, other
    pub title: [Field; 3],
    pub description: [Field; 3],
    pub keywords: [Field; 3],
    pub publisher_name: Field,
    pub identifier: Field,
    /// Stored display values (JSON: titles and descriptions per language, publisher names).
    pub display: Field,
    pub title_sort: Field,
    /// One facet field per entry of [`FACETS`].
    pub facets: Vec<Field>,
    pub min_age: Field,
    pub max_age: Field,
    pub records: Field,
    pub individuals: Field,
    pub temporal_start: Field,
    pub temporal_end: Field,
    pub modified: Field,
    pub valid: Field,
    pub quality_score: Field,
    /// The Article 78 label's score its last write kept, in hundredths (0: not assessed).
    pub label_score: Field,
    /// The data dictionary's variables (names, titles, descriptions, tables' titles) × fr, en,
    /// other.
    pub variables: [Field; 3],
    /// Stored: the variables as JSON, to say which of a record's variables matched.
    pub variable_rows: Field,
    /// Every searched text × fr, en, other: titles three times, keywords twice, descriptions,
    /// publisher names and identifiers once — what a word is matched and scored on.
    pub all: [Field; 3],
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { o.set_stored() } else { o }
}

/// Builds the schema.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let per_lang = |b: &mut tantivy::schema::SchemaBuilder, name: &str| -> [Field; 3] {
        LANGS.map(|l| b.add_text_field(&format!("{name}_{l}"), text(&format!("hc_{l}"), false)))
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        iri: b.add_text_field("iri", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        hash: b.add_text_field("hash", STRING | STORED),
        title: per_lang(&mut b, "title"),
        description: per_lang(&mut b, "description"),
        keywords: per_lang(&mut b, "keywords"),
        publisher_name: b.add_text_field("publisher_name", text("hc_other", false)),
        identifier: b.add_text_field("identifier", text("hc_other", false)),
        display: b.add_text_field("display", STORED),
        title_sort: b.add_text_field("title_sort", STRING | FAST),
        facets: FACETS
            .iter()
            .map(|f| b.add_facet_field(f, FacetOptions::default().set_stored()))
            .collect(),
        min_age: b.add_u64_field("min_age", INDEXED | FAST),
        max_age: b.add_u64_field("max_age", INDEXED | FAST),
        records: b.add_u64_field("records", INDEXED | FAST),
        individuals: b.add_u64_field("individuals", INDEXED | FAST),
        temporal_start: b.add_i64_field("temporal_start", INDEXED | FAST),
        temporal_end: b.add_i64_field("temporal_end", INDEXED | FAST),
        modified: b.add_i64_field("modified", INDEXED | FAST | STORED),
        valid: b.add_u64_field("valid", INDEXED | FAST | STORED),
        quality_score: b.add_u64_field("quality_score", FAST),
        label_score: b.add_u64_field("label_score", FAST),
        variables: per_lang(&mut b, "variables"),
        variable_rows: b.add_text_field("variable_rows", STORED),
        all: LANGS.map(|l| {
            b.add_text_field(
                &format!("all_{l}"),
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(&format!("hc_{l}"))
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            )
        }),
    };
    (b.build(), fields)
}

/// Registers the analysers the schema names.
pub fn register_tokenizers(index: &Index) {
    let stemmed = |language| {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(CachedStemmer(language))
            .filter(AsciiFoldingFilter)
            .build()
    };
    index.tokenizers().register("hc_fr", stemmed(Lang::French));
    index.tokenizers().register("hc_en", stemmed(Lang::English));
    index.tokenizers().register(
        "hc_other",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// The analyser slot of a literal's language tag.
pub fn lang_slot(tag: &str) -> usize {
    let primary = tag
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "fr" => 0,
        "en" => 1,
        _ => 2,
    }
}
