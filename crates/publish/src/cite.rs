//! "Cite this dataset": a record as a BibTeX entry, a RIS record and a DataCite XML (kernel 4.5)
//! resource, from what the record says — its publisher (the creator: a health dataset's author is
//! the body that holds it), the year it was issued, its title, DOI or identifier, version and
//! landing page.
//!
//! A value the record does not give is left out, except where the format requires one: DataCite
//! and RIS then carry DataCite's `:unav` ("value unavailable"), never an invented value. A record
//! without a DOI gets no DataCite `identifier`: the file is then the draft its DOI registration
//! starts from, its address in `alternateIdentifiers`.

use healthcat_model::{DatasetView, LocalId};
use quick_xml::escape::escape;
use std::fmt::Write;

/// What a citation says, read from one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The title in the reader's language (else French, English, any).
    pub title: String,
    /// Its language tag.
    pub title_lang: String,
    /// The publisher's name (`:unav` when the record names none).
    pub publisher: String,
    /// The year of `dct:issued` (else `dct:modified`).
    pub year: Option<String>,
    /// The DOI (`10.…/…`), from an identifier, the record's IRI or a landing page.
    pub doi: Option<String>,
    /// The first identifier that is not the DOI.
    pub identifier: Option<String>,
    /// `dcat:version`
    pub version: Option<String>,
    /// Where to read it: the DOI's address, else the landing page, else the catalogue's page.
    pub url: String,
    /// The description in the title's language, for DataCite.
    pub description: Option<String>,
    /// The keywords in the title's language.
    pub keywords: Vec<String>,
    /// A citation key for BibTeX: publisher, year and the record's local id.
    pub key: String,
}

/// The DOI in `text`: `10.NNNN/…`, bare or as a `doi.org` address.
pub fn doi_of(text: &str) -> Option<String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let rest = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|p| lower.starts_with(p).then(|| &t[p.len()..]))
    .unwrap_or(t);
    let (prefix, suffix) = rest.split_once('/')?;
    let registrant = prefix.strip_prefix("10.")?;
    let ok = (4..=9).contains(&registrant.split('.').next()?.len())
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.is_empty()
        && !suffix.chars().any(char::is_whitespace);
    ok.then(|| format!("10.{registrant}/{suffix}"))
}

impl Citation {
    /// The citation of `view`, whose publisher is called `publisher` and whose page in the
    /// catalogue is `page` (an absolute URL), for a reader of `lang`; `id` is its local id.
    pub fn new(
        view: &DatasetView,
        publisher: Option<String>,
        page: &str,
        id: &LocalId,
        lang: &str,
    ) -> Self {
        let order = [lang, "fr", "en"];
        let (title_lang, title) = order
            .iter()
            .find_map(|l| view.title.get(l).map(|t| (l.to_string(), t.to_owned())))
            .or_else(|| {
                view.title
                    .values()
                    .next()
                    .map(|(l, t)| (l.to_owned(), t.to_owned()))
            })
            .unwrap_or_else(|| (String::new(), id.as_str().to_owned()));
        let doi = view
            .identifiers
            .iter()
            .chain(view.iri.iter())
            .chain(view.landing_pages.iter())
            .find_map(|t| doi_of(t));
        let identifier = view
            .identifiers
            .iter()
            .find(|i| doi_of(i).is_none())
            .cloned();
        let year = [&view.issued, &view.modified]
            .into_iter()
            .flatten()
            .map(|d| d.chars().take(4).collect::<String>())
            .find(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()));
        let url = doi
            .as_ref()
            .map(|d| format!("https://doi.org/{d}"))
            .or_else(|| {
                view.landing_pages
                    .iter()
                    .find(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .cloned()
            })
            .unwrap_or_else(|| page.to_owned());
        let publisher = publisher
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| ":unav".to_owned());
        let in_lang = |m: &healthcat_model::LangMap| m.get(&title_lang).map(str::to_owned);
        // Sorted: a graph keeps no order, a citation should read the same every time.
        let mut keywords: Vec<String> = view
            .keywords
            .values()
            .filter(|(l, _)| *l == title_lang)
            .map(|(_, k)| k.to_owned())
            .collect();
        keywords.sort();
        keywords.dedup();
        let short = LocalId::slugify(&publisher)
            .map(|s| s.as_str().split('-').next().unwrap_or_default().to_owned())
            .filter(|s| !s.is_empty() && publisher != ":unav")
            .unwrap_or_else(|| "dataset".to_owned());
        let key = format!(
            "{short}{}_{}",
            year.as_deref().unwrap_or(""),
            id.as_str().replace('-', "_")
        );
        Citation {
            description: in_lang(&view.description),
            title,
            title_lang,
            publisher,
            year,
            doi,
            identifier,
            version: view.version.clone(),
            url,
            keywords,
            key,
        }
    }

    /// A BibTeX `@misc` entry (BibTeX has no dataset type; `note = {Dataset}` says it), the
    /// publisher in double braces as a corporate author.
    pub fn bibtex(&self) -> String {
        let mut s = format!("@misc{{{},\n", self.key);
        let mut field = |name: &str, value: &str| {
            let _ = writeln!(s, "  {name:<9} = {{{}}},", bibtex_escape(value));
        };
        field("author", &format!("{{{}}}", self.publisher));
        field("title", &format!("{{{}}}", self.title));
        field("publisher", &self.publisher);
        if let Some(y) = &self.year {
            field("year", y);
        }
        if let Some(v) = &self.version {
            field("version", v);
        }
        if let Some(d) = &self.doi {
            field("doi", d);
        }
        field("url", &self.url);
        if !self.keywords.is_empty() {
            field("keywords", &self.keywords.join(", "));
        }
        field("note", "Dataset");
        // The last comma is allowed by BibTeX; drop it all the same.
        if s.ends_with(",\n") {
            s.truncate(s.len() - 2);
            s.push('\n');
        }
        s.push_str("}\n");
        s
    }

    /// A RIS record of type `DATA`.
    pub fn ris(&self) -> String {
        let mut s = String::new();
        let mut tag = |t: &str, v: &str| {
            let v = v.replace(['\r', '\n'], " ");
            let _ = write!(s, "{t}  - {}\r\n", v.trim());
        };
        tag("TY", "DATA");
        tag("TI", &self.title);
        tag("AU", &self.publisher);
        tag("PB", &self.publisher);
        if let Some(y) = &self.year {
            tag("PY", y);
        }
        if let Some(v) = &self.version {
            tag("ET", v);
        }
        if let Some(d) = &self.doi {
            tag("DO", d);
        }
        if let Some(i) = &self.identifier {
            tag("ID", i);
        }
        tag("UR", &self.url);
        for k in &self.keywords {
            tag("KW", k);
        }
        if !self.title_lang.is_empty() {
            tag("LA", &self.title_lang);
        }
        if let Some(d) = &self.description {
            tag("AB", d);
        }
        tag("ER", "");
        s
    }

    /// A DataCite XML resource (kernel 4.5), `resourceTypeGeneral="Dataset"`.
    pub fn datacite(&self) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<resource xmlns=\"http://datacite.org/schema/kernel-4\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://datacite.org/schema/kernel-4 https://schema.datacite.org/meta/kernel-4.5/metadata.xsd\">\n",
        );
        let lang_attr = if self.title_lang.is_empty() {
            String::new()
        } else {
            format!(" xml:lang=\"{}\"", escape(&self.title_lang))
        };
        if let Some(d) = &self.doi {
            let _ = writeln!(
                s,
                "  <identifier identifierType=\"DOI\">{}</identifier>",
                escape(d)
            );
        }
        let _ = writeln!(
            s,
            "  <creators>\n    <creator>\n      <creatorName nameType=\"Organizational\">{}</creatorName>\n    </creator>\n  </creators>",
            escape(&self.publisher)
        );
        let _ = writeln!(
            s,
            "  <titles>\n    <title{lang_attr}>{}</title>\n  </titles>",
            escape(&self.title)
        );
        let _ = writeln!(s, "  <publisher>{}</publisher>", escape(&self.publisher));
        let _ = writeln!(
            s,
            "  <publicationYear>{}</publicationYear>",
            escape(self.year.as_deref().unwrap_or(":unav"))
        );
        s.push_str("  <resourceType resourceTypeGeneral=\"Dataset\">Dataset</resourceType>\n");
        if !self.keywords.is_empty() {
            s.push_str("  <subjects>\n");
            for k in &self.keywords {
                let _ = writeln!(s, "    <subject{lang_attr}>{}</subject>", escape(k));
            }
            s.push_str("  </subjects>\n");
        }
        if !self.title_lang.is_empty() {
            let _ = writeln!(s, "  <language>{}</language>", escape(&self.title_lang));
        }
        s.push_str("  <alternateIdentifiers>\n");
        let _ = writeln!(
            s,
            "    <alternateIdentifier alternateIdentifierType=\"URL\">{}</alternateIdentifier>",
            escape(&self.url)
        );
        if let Some(i) = &self.identifier {
            let _ = writeln!(
                s,
                "    <alternateIdentifier alternateIdentifierType=\"Local\">{}</alternateIdentifier>",
                escape(i)
            );
        }
        s.push_str("  </alternateIdentifiers>\n");
        if let Some(v) = &self.version {
            let _ = writeln!(s, "  <version>{}</version>", escape(v));
        }
        if let Some(d) = &self.description {
            let _ = writeln!(
                s,
                "  <descriptions>\n    <description{lang_attr} descriptionType=\"Abstract\">{}</description>\n  </descriptions>",
                escape(d)
            );
        }
        s.push_str("</resource>\n");
        s
    }
}

/// Escapes BibTeX's special characters; braces written by [`Citation::bibtex`] itself (the
/// protected title and author) are kept by escaping before they are added.
fn bibtex_escape(value: &str) -> String {
    // The outer pair of braces around a protected value is ours.
    let (open, inner, close) = match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        Some(inner) => ("{", inner, "}"),
        None => ("", value, ""),
    };
    let mut s = String::with_capacity(inner.len() + 8);
    s.push_str(open);
    for c in inner.chars() {
        match c {
            '\\' => s.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                s.push('\\');
                s.push(c);
            }
            '~' => s.push_str("\\textasciitilde{}"),
            '^' => s.push_str("\\textasciicircum{}"),
            '\n' | '\r' => s.push(' '),
            c => s.push(c),
        }
    }
    s.push_str(close);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_are_found_bare_or_as_addresses() {
        assert_eq!(
            doi_of("10.5281/zenodo.123").as_deref(),
            Some("10.5281/zenodo.123")
        );
        assert_eq!(
            doi_of("https://doi.org/10.34810/data1").as_deref(),
            Some("10.34810/data1")
        );
        assert_eq!(doi_of("DOI:10.1000/x y"), None);
        assert_eq!(doi_of("HC-0001"), None);
        assert_eq!(doi_of("10.12/too-short"), None);
    }

    #[test]
    fn bibtex_escapes_what_latex_would_read() {
        assert_eq!(bibtex_escape("{A & B_1 {x}}"), "{A \\& B\\_1 \\{x\\}}");
        assert_eq!(bibtex_escape("100% ~"), "100\\% \\textasciitilde{}");
    }
}
