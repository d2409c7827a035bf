//! Snowball stemming with each thread's memory of the words it has stemmed.
//!
//! A catalogue's texts use a few thousand distinct words over and over, and the Snowball French
//! stemmer costs far more than a hash lookup: it was 11 % of a search at 100,000 records (the
//! snippets analyse each hit's description) and a large share of indexing, where every text goes
//! through the French and the English analysers. [`CachedStemmer`] gives the same tokens as
//! tantivy's `Stemmer` (the tests check it word for word); it only remembers, per thread and per
//! language, up to [`WORDS_REMEMBERED`] words, forgetting them all when that is reached.

use foldhash::HashMap;
use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per thread and language (about 100 bytes each).
pub(crate) const WORDS_REMEMBERED: usize = 8192;

/// The languages stemmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    French = 0,
    English = 1,
}

impl Lang {
    fn algorithm(self) -> Algorithm {
        match self {
            Lang::French => Algorithm::French,
            Lang::English => Algorithm::English,
        }
    }
}

thread_local! {
    /// Per language: word → stem.
    static STEMS: RefCell<[HashMap<String, String>; 2]> = RefCell::default();
}

/// A token filter stemming each token as tantivy's `Stemmer` does, remembering the stems.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CachedStemmer(pub(crate) Lang);

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            lang: self.0,
            inner: tokenizer,
        }
    }
}

/// [`CachedStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub(crate) struct CachedStemmerFilter<T> {
    lang: Lang,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            lang: self.lang,
            stemmer: Stemmer::create(self.lang.algorithm()),
        }
    }
}

/// The token stream of a [`CachedStemmerFilter`].
pub(crate) struct CachedStemmerStream<T> {
    tail: T,
    lang: Lang,
    stemmer: Stemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        STEMS.with_borrow_mut(|stems| {
            let known = &mut stems[self.lang as usize];
            if let Some(stem) = known.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem = self.stemmer.stem(&token.text).into_owned();
            if known.len() >= WORDS_REMEMBERED {
                known.clear();
            }
            let word = std::mem::replace(&mut token.text, stem.clone());
            known.insert(word, stem);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    /// Words as a catalogue has them: repeated, inflected, accented, in both languages, plus more
    /// distinct words than the memory holds, so that it is emptied and filled again mid-text.
    fn text() -> String {
        let mut text = String::from(
            "Les cohortes nationales suivent les enfants asthmatiques ; les études \
             épidémiologiques régionales et la cohorte CONSTANCES. Hospitalisations, \
             hospitalisées, hospitalier. Registries of children followed; registered cohorts, \
             running studies, studied diseases. Données générales, généralement, ",
        );
        for i in 0..(WORDS_REMEMBERED + 500) {
            text.push_str(&format!("mot{i}ations cohortes studies "));
        }
        text
    }

    #[test]
    fn stems_as_tantivys_stemmer_does_across_forgetting() {
        for (lang, language) in [
            (Lang::French, Language::French),
            (Lang::English, Language::English),
        ] {
            let mut ours = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(CachedStemmer(lang))
                .build();
            let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(tantivy::tokenizer::Stemmer::new(language))
                .build();
            let text = text();
            // Twice: the second pass is answered from memory (what is left of it).
            for _ in 0..2 {
                assert_eq!(tokens(&mut ours, &text), tokens(&mut theirs, &text));
            }
            let remembered = STEMS.with_borrow(|s| s[lang as usize].len());
            assert!((1..=WORDS_REMEMBERED).contains(&remembered), "{remembered}");
        }
    }
}
